/*
 * fuzz_proxycheck.c: libFuzzer harness for csm-proxycheck
 * (cmd/csm-proxycheck/: the CONNECT ports of connect.c, the User-Agent
 * list and inventory of useragent.c, the upload windows and baselines of
 * upload.c, and the finding writers), linked by scripts/fuzz; one harness
 * per check, as fuzz_mailcheck.c says why. The first input byte chooses:
 * bit 0, the defaults (1) or a site with internal networks, a proxy, a
 * User-Agent list and low thresholds (0); bit 1, --learn (the inventory
 * of User-Agents instead of findings). The rest is the events stream
 * (checkfeed.h): hosts, ports, byte counts, User-Agents and the extra
 * column. Each input runs twice, with and without the preparation hook
 * (prep.c), and the two outputs must agree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "checkfeed.h"
#include "proxycheck.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char uas[] =
	"# exact entries and fnmatch patterns\n"
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64)*Chrome/13[01].*\n"
	"Windows-Update-Agent/*\n"
	"Microsoft-Delivery-Optimization/10.0\n"
	"FBAN [FBAN/FBIOS;FBAV/400.0]\n"
	"curl/?.*\n";

static char conf_path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char list[64], conf[1024];
	int n;

	(void)argc;
	(void)argv;
	checkfeed_init("csm-proxycheck");
	checkfeed_file(list, sizeof list, uas, sizeof uas - 1);
	n = snprintf(conf, sizeof conf,
	    "[site]\ntimezone = Asia/Tokyo\n"
	    "[networks]\ninternal = 10.0.0.0/8 fd00::/8\n"
	    "proxies = 10.1.0.10\n"
	    "[lists]\nuser-agents = %s\n"
	    "[proxycheck]\nconnect-ports = 80 443 8000-8099\n"
	    "rare-hosts = 1\nmin-org-hosts = 2\nupload-window = 1h\n"
	    "upload-mb = 1\nupload-factor = 10\nbaseline-windows = 2\n",
	    list);
	checkfeed_file(conf_path, sizeof conf_path, conf, (size_t)n);
	return 0;
}

/*
 * One run of the check over the input, with the preparation and the
 * look-ahead in the reading thread or without them (the check prepares
 * each row itself, hashing every key), into out (a memory outbuf the
 * caller releases).
 */
static void
run(const uint8_t *data, size_t size, int prep, struct outbuf *out)
{
	static struct proxycheck pc;
	struct config_key keys[PC_NKEYS];
	struct checkfeed cf = {
		.name = "fuzz_proxycheck", .want = proxycheck_columns,
		.nwant = PC_NCOLS, .nrequired = PC_NREQUIRED,
		.fn = proxycheck_event,
		.prep = prep ? proxycheck_prep : NULL,
		.ahead = prep ? proxycheck_ahead : NULL,
		.arg = &pc
	};
	struct config *cfg;
	char err[CONFIG_ERR_MAX];

	memset(&pc, 0, sizeof pc);
	pc.learn = (data[0] & 2) != 0;
	proxycheck_keys(&pc.t, keys);
	cfg = checkfeed_config(&cf, data[0] & 1 ? NULL : conf_path,
	    "proxycheck", keys, PC_NKEYS);
	pc.cfg = cfg;
	if (proxycheck_setup(&pc, err, sizeof err) != 0 ||
	    (!pc.learn && (pc.rules & 1u << PC_UA) &&
	    pc_ua_load(&pc, err, sizeof err) != 0)) {
		fprintf(stderr, "fuzz_proxycheck: %s\n", err);
		abort();
	}
	outbuf_init_mem(out);
	pc.out = out;
	time_cache_init(&pc.tc);
	checkfeed_run(&cf, data + 1, size - 1);
	if (pc.learn || (pc.rules & 1u << PC_UA))
		pc_ua_notes(&pc);
	if (proxycheck_write(&pc) != 0 || pc.oom)
		checkfeed_fail(&cf, "out of memory");
	checkfeed_check_output(&cf, out, 1);
	proxycheck_release(&pc);
	config_free(cfg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	/*
	 * The preparation's hashes only save the check work: the output is
	 * the same when it hashes every key itself.
	 */
	checkfeed_same_both_ways("fuzz_proxycheck", run, data, size,
	    "the output differs without the preparation");
	return 0;
}
