/*
 * fuzz_offhours.c: libFuzzer harness for csm-offhours
 * (cmd/csm-offhours/offhours.c: the business calendar's verdict on each
 * event, the aggregation by source, destination and local day, the
 * findings, and --events passing records through under their header),
 * linked by scripts/fuzz; one harness per check, as fuzz_mailcheck.c says
 * why. The first input byte chooses: bit 0, the defaults (1) or a site in
 * Tokyo with hours, Japanese holidays and a maintenance window (0); bit
 * 1, --events. The rest is the events stream (checkfeed.h). Each input
 * runs twice, with the preparation's memory of sources and minutes and
 * without it, and the two outputs must be the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "agg.h"
#include "bizcal.h"
#include "checkfeed.h"
#include "offhours.h"

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
	    "[hours]\ndays = mon-fri\nhours = 09:00-12:00 13:00-18:00\n"
	    "japan-holidays = yes\n"
	    "[maintenance patch]\nstart = 2026-11-25 01:00\n"
	    "end = 2026-11-25 04:00\nhosts = 10.1.30.0/24\n";

	(void)argc;
	(void)argv;
	checkfeed_init("csm-offhours");
	checkfeed_file(conf_path, sizeof conf_path, conf, sizeof conf - 1);
	return 0;
}

/*
 * One run of the check over the input, with or without the preparation's
 * memory, into out (a memory outbuf the caller releases).
 */
static void
run(const uint8_t *data, size_t size, int memo, struct outbuf *out)
{
	static struct offhours oh;
	struct checkfeed cf = {
		.name = "fuzz_offhours", .want = offhours_columns,
		.nwant = OH_NCOLS, .nrequired = OH_NREQUIRED,
		.fn = offhours_event, .prep = offhours_prep,
		.ahead = offhours_ahead, .arg = &oh
	};
	struct config *cfg;
	char err[CONFIG_ERR_MAX];

	/* No keys of its own, as main.c. */
	cfg = checkfeed_config(&cf, data[0] & 1 ? NULL : conf_path,
	    "offhours", NULL, 0);
	memset(&oh, 0, sizeof oh);
	oh.cfg = cfg;
	oh.events_mode = (data[0] & 2) != 0;
	oh.out = out;
	if (bizcal_init(&oh.cal, cfg, err, sizeof err) != 0) {
		fprintf(stderr, "fuzz_offhours: %s\n", err);
		abort();
	}
	agg_init(&oh.agg);
	if (memo && offhours_memo_new(&oh) != 0)
		abort();
	outbuf_init_mem(out);
	checkfeed_run(&cf, data + 1, size - 1);
	if (!oh.events_mode && offhours_write_findings(&oh) != 0)
		oh.oom = 1;
	if (oh.oom)
		checkfeed_fail(&cf, "out of memory");
	checkfeed_check_output(&cf, out, 1);
	offhours_memo_free(&oh);
	agg_release(&oh.agg);
	bizcal_release(&oh.cal);
	config_free(cfg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	/*
	 * The preparation's memory of sources and minutes only saves work:
	 * the output is the same without it (when it could not be made).
	 */
	checkfeed_same_both_ways("fuzz_offhours", run, data, size,
	    "the output differs without the preparation's memory");
	return 0;
}
