/*
 * fuzz_geoip.c: libFuzzer harness for csm-geoip (cmd/csm-geoip/geoip.c:
 * the stream's header rules, the field count of each row and the two
 * address fields found sixty-four bytes at a time, the columns added,
 * and each line passed on with a raw byte of a hand-made stream mended),
 * linked by scripts/fuzz as the checks' harnesses are. The first input
 * byte chooses --src (bit 0); the rest is the stream itself, header lines
 * included, read from a file as csm-geoip reads one, against the bundled
 * test databases. The output must keep the stream contract
 * (checkfeed_check_output: every line's fields as its header's, which a
 * row miscounted would break, and no raw control byte), and every line
 * must be counted once.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "checkfeed.h"
#include "geoip.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct geoip gp;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const dbs[] = {
		"testdata/geoip/GeoLite2-Country-Test.mmdb",
		"testdata/geoip/GeoLite2-ASN-Test.mmdb"
	};
	char err[1400];
	size_t i;

	(void)argc;
	(void)argv;
	checkfeed_init("csm-geoip");
	geo_init(&gp.geo);
	for (i = 0; i < sizeof dbs / sizeof dbs[0]; i++)
		if (geo_open(&gp.geo, dbs[i], err, sizeof err) != 0) {
			fprintf(stderr, "fuzz_geoip: %s (run from the top of "
			    "the tree)\n", err);
			abort();
		}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct outbuf out;
	struct checkfeed cf = { .name = "fuzz_geoip" };
	struct line_stats st;
	struct input in;
	char path[64];
	int fd;

	if (size == 0)
		return 0;
	gp.src = data[0] & 1;
	gp.column = NULL;
	gp.max_errors = 0;
	gp.have_hdr = 0;
	gp.hdr_len = 0;
	outbuf_init_mem(&out);
	gp.out = &out;
	memset(&st, 0, sizeof st);
	fd = checkfeed_file(path, sizeof path, data + 1, size - 1);
	if (input_open(&in, path) != 0)
		checkfeed_fail(&cf, "cannot open the stream");
	(void)geoip_input(&gp, &in, &st);
	input_close(&in);
	close(fd);
	if (st.used + st.skipped + st.rejected != st.lines)
		checkfeed_fail(&cf, "lines neither used, skipped nor rejected");
	checkfeed_check_output(&cf, &out, 1);
	outbuf_release(&out);
	return 0;
}
