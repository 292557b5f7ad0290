/*
 * finding_test.c: the findings writer: contract columns, severity names,
 * score clamped to 0-1, text columns escaped.
 */
#include "finding.h"
#include "test.h"

static struct outbuf ob;

int
main(void)
{
	struct finding fd;
	struct time_cache tc;
	char text[4096];

	TEST_OK(strcmp(finding_columns[0], "ts") == 0 &&
	    strcmp(finding_columns[FD_ORIGIN], "origin") == 0 &&
	    FD_NCOLS == 15, "15 columns, ts first, origin last");
	TEST_OK(finding_severity_level(SLICE_LIT("high")) == 3 &&
	    finding_severity_level(SLICE_LIT("bad")) == -1, "severity names");
	/* A byte count, the way reasons give it. */
	{
		static const struct { uint64_t n; const char *want; } cases[] = {
			{ 0, "0 B" }, { 999, "999 B" }, { 1000, "1.0 kB" },
			{ 999949, "999.9 kB" },
			{ 999950, "1.0 MB" },	/* not "1000.0 kB" */
			{ 52400000, "52.4 MB" },
			{ UINT64_MAX, "18446.7 PB" },	/* the last unit */
		};
		size_t i;

		for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
			TEST_OK(strcmp(finding_bytes(text, sizeof text,
			    cases[i].n), cases[i].want) == 0, cases[i].want);
	}

	memset(&fd, 0, sizeof fd);
	fd.ts_ms = 0;
	fd.ts_last_ms = 1000;
	fd.f[FD_CHECK] = SLICE_LIT("offhours");
	fd.f[FD_REASON] = SLICE_LIT("<script>\tx");
	fd.severity = 4;
	fd.score = 1.7;
	fd.count = 3;
	fd.bytes = 99;
	time_cache_init(&tc);
	outbuf_init_mem(&ob);
	finding_write(&ob, &fd, &tc);
	memcpy(text, ob.buf, ob.len);
	text[ob.len] = '\0';
	outbuf_release(&ob);
	TEST_OK(strcmp(text, "1970-01-01T00:00:00.000Z\t"
	    "1970-01-01T00:00:01.000Z\toffhours\t\tcritical\t1.000\t\t\t\t3\t99"
	    "\t<script>\\tx\t\t\t\n") == 0, "record as written");
	return test_done();
}
