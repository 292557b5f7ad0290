/*
 * fuzz_mailcheck.c: libFuzzer harness for csm-mailcheck's per-message
 * rules (cmd/csm-mailcheck/: spoof.c, attach.c, ambiguous.c and the
 * unescaping and finding writer of mailcheck.c), linked by scripts/fuzz.
 * One harness per check rather than one with a selector byte: each check
 * keeps a corpus of its own columns, and its header says what it sets up.
 * The first input byte's low bit chooses the configuration: a site with
 * internal and bulk-sender domains and a protected-names list (0), or the
 * defaults (1); the rest is the events stream (checkfeed.h), so the
 * fuzzer works on addresses, display names, attachment lists and the
 * extra column's key=value pairs.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "checkfeed.h"
#include "finding.h"
#include "mailcheck.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char names[] =
	"# executives and brands to guard\n"
	"山田 太郎\n"
	"Taro Yamada\n"
	"example-group.com\n"
	"Capital One\n"
	"PayPal\n";

static char conf_path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char list[64], conf[512];
	int n;

	(void)argc;
	(void)argv;
	checkfeed_init("csm-mailcheck");
	checkfeed_file(list, sizeof list, names, sizeof names - 1);
	n = snprintf(conf, sizeof conf,
	    "[site]\ntimezone = Asia/Tokyo\n"
	    "[lists]\nprotected-names = %s\n"
	    "[mailcheck]\ninternal-domains = example.ne.jp corp.example.co.jp\n"
	    "allowed-envelope-domains = bulk.example\n", list);
	checkfeed_file(conf_path, sizeof conf_path, conf, (size_t)n);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mailcheck mc;
	static struct outbuf out;
	struct config_key keys[MC_NKEYS];
	struct checkfeed cf = {
		.name = "fuzz_mailcheck", .want = mailcheck_columns,
		.nwant = MC_NCOLS, .nrequired = MC_NREQUIRED,
		.fn = mailcheck_event,
		.arg = &mc
	};
	struct config *cfg;
	char err[CONFIG_ERR_MAX];

	if (size == 0)
		return 0;
	memset(&mc, 0, sizeof mc);
	mailcheck_keys(&mc.t, keys);
	cfg = checkfeed_config(&cf, data[0] & 1 ? NULL : conf_path,
	    "mailcheck", keys, MC_NKEYS);
	mc.cfg = cfg;
	if (mailcheck_setup(&mc, err, sizeof err) != 0) {
		fprintf(stderr, "fuzz_mailcheck: %s\n", err);
		abort();
	}
	outbuf_init_mem(&out);
	mc.out = &out;
	time_cache_init(&mc.tc);
	finding_write_header(&out);
	checkfeed_run(&cf, data + 1, size - 1);
	if (mc.oom)
		checkfeed_fail(&cf, "out of memory");
	checkfeed_check_output(&cf, &out, 1);
	outbuf_release(&out);
	mailcheck_release(&mc);
	config_free(cfg);
	return 0;
}
