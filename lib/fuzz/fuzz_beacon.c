/*
 * fuzz_beacon.c: libFuzzer harness for csm-beacon (cmd/csm-beacon/: the
 * preparation hook, look-ahead and pair table of collect.c and pairs.c,
 * the names of names.c, the scoring of score.c and the daily view of
 * daily.c), linked by scripts/fuzz; one harness per check, as
 * fuzz_mailcheck.c says why. The first input byte chooses: bit 0, the
 * defaults (1) or a site in Tokyo with internal networks, a proxy, an
 * allowlist and low thresholds (0); bit 1, --daily; bit 2, --all (not
 * with --daily, which refuses it). The rest is the events stream
 * (checkfeed.h): times, hosts, addresses, ports and byte counts.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "checkfeed.h"
#include "detect.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char conf_path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char conf[] =
	    "[site]\ntimezone = Asia/Tokyo\n"
	    "[networks]\ninternal = 10.0.0.0/8 fd00::/8\n"
	    "proxies = 10.1.0.10\n"
	    "[beacon]\nmin-events = 4\nmin-score = 30\n"
	    "prevalence-hosts = 3\nmax-timestamps = 64\n"
	    "allow = accepted.example.com *.cdn.example 192.0.2.128/25\n"
	    "daily-hosts = 2\ndaily-share = 50\ndaily-days = 2\n";

	(void)argc;
	(void)argv;
	checkfeed_init("csm-beacon");
	checkfeed_file(conf_path, sizeof conf_path, conf, sizeof conf - 1);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct beacon b;
	static struct outbuf out;
	struct config_key keys[BC_NKEYS];
	struct checkfeed cf = {
		.name = "fuzz_beacon", .want = beacon_columns,
		.nwant = BC_NCOLS, .nrequired = BC_NREQUIRED,
		.fn = beacon_event, .prep = beacon_prep, .ahead = beacon_ahead,
		.arg = &b
	};
	struct config *cfg;
	char err[CONFIG_ERR_MAX];

	if (size == 0)
		return 0;
	memset(&b, 0, sizeof b);
	b.daily = (data[0] & 2) != 0;
	b.all = !b.daily && (data[0] & 4) != 0;
	beacon_keys(&b.t, keys);
	cfg = checkfeed_config(&cf, data[0] & 1 ? NULL : conf_path, "beacon",
	    keys, BC_NKEYS);
	b.cfg = cfg;
	b.out = &out;
	if (beacon_setup(&b, err, sizeof err) != 0) {
		fprintf(stderr, "fuzz_beacon: %s\n", err);
		abort();
	}
	outbuf_init_mem(&out);
	checkfeed_run(&cf, data + 1, size - 1);
	if ((b.daily ? beacon_write_daily(&b) : beacon_write_findings(&b)) !=
	    0 || b.oom)
		checkfeed_fail(&cf, "out of memory");
	checkfeed_check_output(&cf, &out, 1);
	outbuf_release(&out);
	beacon_release(&b);
	config_free(cfg);
	return 0;
}
