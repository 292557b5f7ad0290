/*
 * fuzz_iocmatch.c: libFuzzer harness for csm-ioc's own code
 * (cmd/csm-ioc/iocmatch.c: matching each event's hosts, addresses, URLs,
 * answers and mail addresses against the indicators, and the findings),
 * linked by scripts/fuzz; one harness per check, as fuzz_mailcheck.c
 * says why. fuzz_ioc covers the list readers (lib/ioc*.c); here the list
 * is a fixed one of every kind of indicator, with a small public suffix
 * list, and the events are the fuzz bytes. The first input byte chooses:
 * bit 0, the defaults (1) or a site with internal networks and a proxy
 * (0); bit 1, a minimum confidence of 50 (the plain list's indicators
 * have none and stay in). The rest is the events stream (checkfeed.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "agg.h"
#include "checkfeed.h"
#include "ioc.h"
#include "iocmatch.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char conf_path[64], list_path[64], psl_path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char conf[] =
	    "[site]\ntimezone = Asia/Tokyo\n"
	    "[networks]\ninternal = 10.0.0.0/8 fd00::/8\n"
	    "proxies = 10.1.0.10\n";
	static const char list[] =
	    "evil-c2.example.net C2\n"
	    "198.51.100.66\n"
	    "198.51.100.77:8443 port\n"
	    "203.0.113.0/24 block\n"
	    "2001:db8:bad::/48\n"
	    "http://dl.example.org/kit kit\n"
	    "hxxp://phish[.]example/login.php?id=7\n"
	    "attacker@spoof.example\n"
	    "lookalike.example,sender domain\n"
	    "d41d8cd98f00b204e9800998ecf8427e\n"
	    "*.hosting.example\n"
	    "xn--80ak6aa92e.example\n";
	static const char psl[] =
	    "example.net\n*.hosting.example\n!www.hosting.example\n"
	    "com\nco.jp\nexample\n";

	(void)argc;
	(void)argv;
	checkfeed_init("csm-ioc");
	checkfeed_file(conf_path, sizeof conf_path, conf, sizeof conf - 1);
	checkfeed_file(list_path, sizeof list_path, list, sizeof list - 1);
	checkfeed_file(psl_path, sizeof psl_path, psl, sizeof psl - 1);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct iocmatch m;
	static struct outbuf out;
	static const struct config_strv none;
	struct iocfile file = { list_path, IOC_FMT_AUTO };
	struct checkfeed cf = {
		.name = "fuzz_iocmatch", .want = iocmatch_columns,
		.nwant = IM_NCOLS, .nrequired = IM_NREQUIRED,
		.fn = iocmatch_event, .prep = iocmatch_prep, .prep_partial = 1,
		.arg = &m
	};
	struct config *cfg;
	int status;

	if (size == 0)
		return 0;
	memset(&m, 0, sizeof m);
	cfg = checkfeed_config(&cf, data[0] & 1 ? NULL : conf_path, NULL,
	    NULL, 0);
	/* The list's lines are all good: anything else is the harness's. */
	status = iocmatch_load(&m, &none, IOC_FMT_AUTO, &file, 1, psl_path,
	    data[0] & 2 ? 50 : 0, 0, 0);
	if (status != 0)
		checkfeed_fail(&cf, "the harness's indicator list is refused");
	m.out = &out;
	time_cache_init(&m.tc);
	agg_init(&m.agg);
	agg_init(&m.seen);
	outbuf_init_mem(&out);
	checkfeed_run(&cf, data + 1, size - 1);
	if (iocmatch_write_findings(&m) != 0 || m.oom)
		checkfeed_fail(&cf, "out of memory");
	checkfeed_check_output(&cf, &out, 1);
	outbuf_release(&out);
	iocmatch_release(&m);
	config_free(cfg);
	return 0;
}
