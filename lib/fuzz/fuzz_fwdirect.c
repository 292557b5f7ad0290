/*
 * fuzz_fwdirect.c: libFuzzer harness for csm-fwdirect
 * (cmd/csm-fwdirect/fwdirect.c: proxy bypass and flows between segments
 * that the [flows] matrix does not permit, the hosts in no segment, and
 * the findings), linked by scripts/fuzz; one harness per check, as
 * fuzz_mailcheck.c says why. The first input byte chooses: bit 0, the
 * defaults (1) or a site with segments, flows, egress exceptions and a
 * proxy (0); bit 1, --no-bypass; bit 2, --no-lateral (not both: that is
 * a usage error). The rest is the events stream (checkfeed.h): addresses,
 * ports, protocols and actions.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "agg.h"
#include "checkfeed.h"
#include "fwdirect.h"

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
	    "[egress]\nmail-relay = 10.1.0.25\ndns = 10.1.0.53\n"
	    "[segment clients]\nnetworks = 10.1.20.0/22 fd00:1::/64\n"
	    "[segment servers]\nnetworks = 10.1.0.0/24\n"
	    "[segment admin]\nnetworks = fd00:2::/64\n"
	    "[flows]\nclients -> servers = tcp/80,443 tcp/445 udp/88\n"
	    "* -> servers = udp/53\nadmin -> * = any\n";

	(void)argc;
	(void)argv;
	checkfeed_init("csm-fwdirect");
	checkfeed_file(conf_path, sizeof conf_path, conf, sizeof conf - 1);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fwdirect fw;
	static struct outbuf out;
	struct checkfeed cf = {
		.name = "fuzz_fwdirect", .want = fwdirect_columns,
		.nwant = FW_NCOLS, .nrequired = FW_NREQUIRED,
		.fn = fwdirect_event,
		.arg = &fw
	};
	struct config *cfg;

	if (size == 0)
		return 0;
	memset(&fw, 0, sizeof fw);
	fw.no_bypass = (data[0] & 2) != 0;
	fw.no_lateral = !fw.no_bypass && (data[0] & 4) != 0;
	/* No keys of its own, as main.c. */
	cfg = checkfeed_config(&cf, data[0] & 1 ? NULL : conf_path,
	    "fwdirect", NULL, 0);
	fw.cfg = cfg;
	fw.out = &out;
	agg_init(&fw.flows);
	agg_init(&fw.unknown);
	outbuf_init_mem(&out);
	checkfeed_run(&cf, data + 1, size - 1);
	if (fwdirect_write_findings(&fw) != 0 || fw.oom)
		checkfeed_fail(&cf, "out of memory");
	checkfeed_check_output(&cf, &out, 1);
	outbuf_release(&out);
	agg_release(&fw.flows);
	agg_release(&fw.unknown);
	config_free(cfg);
	return 0;
}
