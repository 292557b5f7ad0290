/*
 * fuzz_authcheck.c: libFuzzer harness for csm-authcheck
 * (cmd/csm-authcheck/: administrators' sources in admin.c, the rare
 * events of rare.c, failure bursts in fail.c, records read two ways in
 * ambiguous.c, --learn in learn.c, and the joins, sorting and finding
 * writer of authcheck.c), linked by scripts/fuzz; one harness per check,
 * as fuzz_mailcheck.c says why. The first input byte chooses: bit 0, the
 * defaults (1) or a site with an administrators list, usual sources,
 * a jump host, segments and maintenance windows (0); bit 1, --learn (a
 * configuration value instead of findings). The rest is the events
 * stream (checkfeed.h): account names and SIDs, hosts, logon types and
 * the extra column's key=value pairs. Each input runs twice, with the
 * preparation that lets the check pass over most events (prep.c) and
 * with every event through the rules, and the two outputs must be the
 * same.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "checkfeed.h"
#include "authcheck.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char admins[] =
	"# accounts, a domain account, a SID and a group\n"
	"adm-tanaka\n"
	"CORP\\adm-sato\n"
	"S-1-5-21-1111111111-2222222222-3333333333-1500\n"
	"Server Admins\n";

static char conf_path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char list[64], conf[2048];
	int n;

	(void)argc;
	(void)argv;
	checkfeed_init("csm-authcheck");
	checkfeed_file(list, sizeof list, admins, sizeof admins - 1);
	n = snprintf(conf, sizeof conf,
	    "[site]\ntimezone = Asia/Tokyo\n"
	    "[networks]\ninternal = 10.0.0.0/8 fd00::/8\n"
	    "[segment management]\nnetworks = 10.1.250.0/24\n"
	    "[maintenance patch]\nstart = 2026-11-24 22:00\n"
	    "end = 2026-11-25 02:00\noperators = adm-sato\n"
	    "[maintenance dc-rebuild]\nstart = 2026-11-25 12:00\n"
	    "end = 2026-11-25 13:00\nhosts = 10.1.0.10\n"
	    "[lists]\nadmins = %s\n"
	    "[authcheck]\njump-hosts = 10.1.0.50\n"
	    "usual-sources = adm-tanaka:10.1.30.10,management\n"
	    "\tadm-sato:10.1.30.11,ADMIN-PC02\n"
	    "\tS-1-5-21-1111111111-2222222222-3333333333-500:10.1.30.12\n",
	    list);
	checkfeed_file(conf_path, sizeof conf_path, conf, (size_t)n);
	return 0;
}

/*
 * One run of the check over the input into out (a memory outbuf the
 * caller releases): with the preparation (prep.c) as main.c has it, or
 * with every auth event through the rules (quiet_off).
 */
static void
run(const uint8_t *data, size_t size, int prep, struct outbuf *out)
{
	static struct authcheck ac;
	struct config_key keys[AC_NKEYS];
	struct checkfeed cf = {
		.name = "fuzz_authcheck", .want = authcheck_columns,
		.nwant = AC_NCOLS, .nrequired = AC_NREQUIRED,
		.fn = authcheck_event, .arg = &ac
	};
	struct config *cfg;
	char err[CONFIG_ERR_MAX];

	memset(&ac, 0, sizeof ac);
	ac.learn = (data[0] & 2) != 0;
	if (prep) {
		cf.prep = authcheck_prep;
		cf.prep_partial = 1;
		cf.ahead = authcheck_ahead;
	} else {
		ac.quiet_off = 1;
	}
	authcheck_keys(&ac.t, keys);
	cfg = checkfeed_config(&cf, data[0] & 1 ? NULL : conf_path,
	    "authcheck", keys, AC_NKEYS);
	ac.cfg = cfg;
	if (authcheck_setup(&ac, err, sizeof err) != 0) {
		fprintf(stderr, "fuzz_authcheck: %s\n", err);
		abort();
	}
	outbuf_init_mem(out);
	ac.out = out;
	time_cache_init(&ac.tc);
	checkfeed_run(&cf, data + 1, size - 1);
	if (authcheck_finish(&ac) != 0 || authcheck_write(&ac) != 0 ||
	    ac.oom)
		checkfeed_fail(&cf, "out of memory");
	/* --learn writes a configuration value, not a stream. */
	checkfeed_check_output(&cf, out, !ac.learn);
	authcheck_release(&ac);
	config_free(cfg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	/*
	 * The preparation only saves work: an event it lets the check pass
	 * over is one no rule would have acted on.
	 */
	checkfeed_same_both_ways("fuzz_authcheck", run, data, size,
	    "the output differs without the preparation");
	return 0;
}
