/*
 * event_test.c: the events writer: column order, escaping of unchecked
 * fields, extra with its ';' escape, origin, the slow path for records
 * too large to reserve at once, and the timestamp cache.
 */
#include <stdlib.h>
#include "event.h"
#include "test.h"

static struct outbuf ob;
static struct event ev;

/* Writes ev into a fresh memory outbuf and returns the record as text. */
static const char *
record(void)
{
	static char text[1 << 20];
	struct time_cache tc;
	size_t n;

	time_cache_init(&tc);
	outbuf_init_mem(&ob);
	event_write(&ob, &ev, &tc);
	n = ob.len < sizeof text - 1 ? ob.len : sizeof text - 1;
	memcpy(text, ob.buf, n);
	text[n] = '\0';
	outbuf_release(&ob);
	return text;
}

static int
count_tabs(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\t';
	return n;
}

/*
 * The writer's time cache moves within a day by rewriting "HH:MM:SS".
 * Each stamp of a walk through one cache (milliseconds, seconds, minutes,
 * hours, days ahead and back, across midnight, before 1970) must read as
 * time_format_rfc3339 writes it from an empty cache.
 */
static void
test_time_cache(void)
{
	static const int64_t steps[] = { 1, 999, 1000, 59000, 61000, 3600000,
	    86399999, 86400000, -1, -1000, -3600000, -86400000,
	    -172800001, 7 * 86400000LL + 1 };
	struct time_cache tc, fresh;
	char want[TIME_RFC3339_LEN];
	int64_t ms = 1795564799000LL;	/* 2026-11-24T23:59:59Z */
	unsigned seed = 7;
	int i, same = 1;

	time_cache_init(&tc);
	for (i = 0; i < 100000 && same; i++) {
		seed = seed * 1103515245 + 12345;
		ms += steps[(seed >> 16) % (sizeof steps / sizeof steps[0])];
		if (i == 50000)
			ms = -86400000 * 3 + 5;	/* 1969: no move, ever */
		event_clear(&ev);
		ev.has_ts = 1;
		ev.ts_ms = ms;
		outbuf_init_mem(&ob);
		event_write(&ob, &ev, &tc);
		time_cache_init(&fresh);
		time_format_rfc3339(want, ms, &fresh);
		if (ob.len < TIME_RFC3339_LEN ||
		    memcmp(ob.buf, want, TIME_RFC3339_LEN) != 0) {
			same = 0;
			printf("# %lld: '%.24s', not '%.24s'\n", (long long)ms,
			    ob.buf, want);
		}
		outbuf_release(&ob);
	}
	TEST_OK(same, "time cache: a walk over days reads as formatted anew");
}

int
main(void)
{
	const char *r;
	char *big;

	test_time_cache();
	TEST_OK(strcmp(event_columns[0], "ts") == 0 &&
	    strcmp(event_columns[EV_EXTRA], "extra") == 0 &&
	    strcmp(event_columns[EV_NCOLS - 1], "origin") == 0,
	    "column names in contract order");

	event_clear(&ev);
	r = record();
	TEST_OK(count_tabs(r) == EV_NCOLS - 1 && r[strlen(r) - 1] == '\n' &&
	    r[0] == '\t', "empty event: 36 empty columns");

	event_clear(&ev);
	ev.has_ts = 1;
	ev.ts_ms = 1795564801250LL;
	event_set_checked(&ev, EV_LOG, SLICE_LIT("proxy"));
	ev.f[EV_URL] = SLICE_LIT("http://x/\t\x1b");
	event_set_u64(&ev, EV_BYTES_IN, 12345);
	event_add_extra(&ev, "cat", SLICE_LIT("a;b"));
	event_add_extra(&ev, "n", SLICE_LIT("1"));
	ev.origin_file = "logs/a.log";
	ev.origin_line = 42;
	r = record();
	TEST_OK(strncmp(r, "2026-11-25T00:00:01.250Z\tproxy\t", 31) == 0,
	    "ts and log first");
	TEST_OK(strstr(r, "\thttp://x/\\t\\x1b\t") != NULL, "url escaped");
	TEST_OK(strstr(r, "\t12345\t") != NULL, "number column");
	TEST_OK(strstr(r, "\tcat=a\\x3bb;n=1\t") != NULL,
	    "extra pairs, ';' in a value escaped");
	TEST_OK(strstr(r, "\tlogs/a.log:42\n") != NULL, "origin last");
	TEST_OK(count_tabs(r) == EV_NCOLS - 1, "still 36 columns");

	/* A field larger than half the buffer takes the piecewise path. */
	big = malloc(OUTBUF_SIZE);
	memset(big, 'a', OUTBUF_SIZE);
	big[100] = '\n';
	event_clear(&ev);
	ev.f[EV_UA] = slice_make(big, OUTBUF_SIZE);
	r = record();
	TEST_OK(count_tabs(r) == EV_NCOLS - 1 && strstr(r, "aaa\\naaa") != NULL,
	    "huge field escaped in pieces");
	/* There, values already escaped are written as they are, once. */
	event_set_checked(&ev, EV_ATTACH, SLICE_LIT("a\\x2cb\\\\c.exe"));
	event_add_extra_checked(&ev, "w", SLICE_LIT("x\\x3by"));
	r = record();
	TEST_OK(strstr(r, "\ta\\x2cb\\\\c.exe\t") != NULL &&
	    strstr(r, "\tw=x\\x3by\t") != NULL,
	    "checked values in pieces not escaped twice");
	free(big);

	/* Scratch space runs out quietly rather than overflowing. */
	event_clear(&ev);
	{
		char chunk[1000];
		struct slice s = SLICE_NONE;
		int i;

		memset(chunk, 'x', sizeof chunk);
		for (i = 0; i < 20; i++)
			s = event_keep(&ev, chunk, sizeof chunk);
		TEST_OK(s.n == 0 && ev.scratch_used <= EVENT_SCRATCH,
		    "scratch bounded");
	}
	return test_done();
}
