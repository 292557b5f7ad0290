/*
 * zeek_test.c: the Zeek ASCII log reader: meta lines, column mapping and
 * re-mapping, unset versus empty fields, \xHH escapes, field counts.
 */
#include "test.h"
#include "zeek.h"

static struct zeek z;
static struct event ev;

/* Feeds a NUL-terminated line (tests only) and returns the verdict. */
static enum zeek_line
feed(const char *line)
{
	return zeek_read(&z, slice_cstr(line));
}

static void
test_header(void)
{
	zeek_init(&z);
	TEST_OK(z.sep == '\t' && z.nfields == 0, "defaults");
	TEST_OK(feed("\t#separator \\x09") == ZEEK_META && z.sep == '\t',
	    "separator after a stray leading TAB");
	TEST_OK(feed("#set_separator\t,") == ZEEK_META &&
	    z.set_sep.n == 1 && z.set_sep.b[0] == ',', "set separator");
	TEST_OK(feed("#empty_field\t(empty)") == ZEEK_META &&
	    z.empty.n == 7, "empty marker");
	TEST_OK(feed("#unset_field\t-") == ZEEK_META && z.unset.n == 1,
	    "unset marker");
	TEST_OK(feed("#path\thttp") == ZEEK_META &&
	    slice_eq(slice_make(z.path.b, z.path.n), "http"), "path");
	TEST_OK(feed("#open\t2017-04-16-21-36-10") == ZEEK_META, "open");
	TEST_OK(feed("x\ty") == ZEEK_BAD &&
	    strcmp(z.why, "data line before the #fields header") == 0,
	    "data before #fields");
	TEST_OK(feed("#fields\tts\tuid\tid.orig_h\tuser_agent\ttags") ==
	    ZEEK_META && z.nfields == 5 && z.gen == 1, "fields");
	TEST_OK(feed("#types\ttime\tstring\taddr\tstring\tset[enum]") ==
	    ZEEK_META && z.ntypes == 5 && slice_eq(z.type[4], "set[enum]"),
	    "types");
	TEST_OK(zeek_col(&z, "ts") == 0 && zeek_col(&z, "tags") == 4 &&
	    zeek_col(&z, "id.orig") == -1 && zeek_col(&z, "t") == -1,
	    "columns by name");
	TEST_OK(feed("") == ZEEK_META, "empty line");
	TEST_OK(feed("#close\t2017-04-16-21-36-10") == ZEEK_META, "close");
}

static void
test_data(void)
{
	struct slice s;
	int64_t ms;

	TEST_OK(feed("1320279566.452687\tCwFs\t10.0.0.1\tA\\x09B\\x5cC"
	    "\t(empty)") == ZEEK_DATA && z.nval == 5, "data line");
	TEST_OK(zeek_kind(&z, 4) == ZEEK_EMPTY && zeek_kind(&z, 1) ==
	    ZEEK_VALUE && zeek_kind(&z, -1) == ZEEK_ABSENT &&
	    zeek_kind(&z, 5) == ZEEK_ABSENT, "kinds");
	TEST_OK(zeek_time_ms(z.val[0], &ms) == 0 && ms == 1320279566452LL,
	    "time to ms");
	TEST_OK(zeek_time_ms(SLICE_LIT("-"), &ms) != 0, "bad time");
	event_clear(&ev);
	s = zeek_str(&z, 1, &ev);
	TEST_OK(s.p == z.val[1].p && ev.scratch_used == 0,
	    "plain value not copied");
	s = zeek_str(&z, 3, &ev);
	TEST_BYTES(s.p, s.n, "A\tB\\C", "\\xHH decoded");
	TEST_OK(s.p == ev.scratch, "decoded into scratch");
	s = zeek_str(&z, 4, &ev);
	TEST_OK(s.n == 0, "empty marker gives no value");

	TEST_OK(feed("1.0\t-\t\\x2d\t\\xZZ\\x4\\\t") == ZEEK_DATA,
	    "odd escapes");
	TEST_OK(zeek_kind(&z, 1) == ZEEK_UNSET, "unset marker");
	TEST_OK(zeek_kind(&z, 2) == ZEEK_VALUE, "escaped '-' is a value");
	s = zeek_str(&z, 2, &ev);
	TEST_BYTES(s.p, s.n, "-", "escaped '-' decoded");
	s = zeek_str(&z, 3, &ev);
	TEST_BYTES(s.p, s.n, "\\xZZ\\x4\\", "bad escapes kept");
	TEST_OK(zeek_kind(&z, 4) == ZEEK_EMPTY, "zero-length is empty");

	TEST_OK(feed("1.0\tC\t10.0.0.1") == ZEEK_BAD &&
	    strcmp(z.why, "3 fields, want 5") == 0, "too few fields");
	TEST_OK(z.nval == 0 && zeek_kind(&z, 0) == ZEEK_ABSENT,
	    "no values after a bad line");
	TEST_OK(feed("1\t2\t3\t4\t5\t6") == ZEEK_BAD &&
	    strcmp(z.why, "6 fields, want 5") == 0, "too many fields");
}

static void
test_blocks(void)
{
	char big[2048];
	size_t o;
	int i;

	TEST_OK(feed("#separator \\x09") == ZEEK_META && z.nfields == 0 &&
	    z.path.n == 0 && z.gen == 1, "new block resets columns");
	TEST_OK(feed("#path\tconn") == ZEEK_META, "second path");
	TEST_OK(feed("#fields\tts\tproto\tuid") == ZEEK_META && z.gen == 2 &&
	    zeek_col(&z, "uid") == 2 && zeek_col(&z, "tags") == -1,
	    "second block re-mapped");
	TEST_OK(feed("2.5\ttcp\tCx") == ZEEK_DATA, "data of second block");

	TEST_OK(feed("#separator \\x2c") == ZEEK_META && z.sep == ',',
	    "comma separator");
	TEST_OK(feed("#unset_field,NA") == ZEEK_META && feed("#fields,a,b") ==
	    ZEEK_META && feed("NA,x\\x2cy") == ZEEK_DATA, "comma block");
	TEST_OK(zeek_kind(&z, 0) == ZEEK_UNSET, "custom unset marker");
	event_clear(&ev);
	TEST_OK(slice_eq(zeek_str(&z, 1, &ev), "x,y"),
	    "escaped separator decoded");

	TEST_OK(feed("#separator \\x09\\x09") == ZEEK_BAD,
	    "two-byte separator refused");
	TEST_OK(feed("#separator x") == ZEEK_META && z.sep == 'x',
	    "unescaped separator byte");
	TEST_OK(feed("#separator ") == ZEEK_BAD, "empty separator refused");
	TEST_OK(feed("#separator \\x09") == ZEEK_META, "back to TAB");
	TEST_OK(feed("#path\t0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789") == ZEEK_BAD,
	    "long path refused");

	/* 200 columns: more than ZEEK_MAX_FIELDS. */
	memcpy(big, "#fields", 7);
	o = 7;
	for (i = 0; i < 200; i++) {
		memcpy(big + o, "\tc", 2);
		o += 2;
	}
	TEST_OK(zeek_read(&z, slice_make(big, o)) == ZEEK_BAD &&
	    z.nfields == 0, "too many columns refused");
	TEST_OK(feed("#fields\ta") == ZEEK_META, "one column");
	TEST_OK(zeek_read(&z, slice_make(big + 8, o - 8)) == ZEEK_BAD &&
	    strcmp(z.why, "200 fields, want 1") == 0,
	    "long data line counted, not stored");
}

static void
test_sniff(void)
{
	struct slice http[] = {
		SLICE_LIT("\t#separator \\x09"), SLICE_LIT("#path\thttp"),
		SLICE_LIT("#fields\tts\tmethod"), SLICE_LIT("#types\ttime\tstring"),
		SLICE_LIT("1.0\tGET")
	};
	struct slice plain[] = { SLICE_LIT("#fields\tts"), SLICE_LIT("1.0") };

	TEST_OK(zeek_sniff_header(&z, http, 5) == 1 && z.nfields == 2 &&
	    z.path.n == 4, "sniff header");
	TEST_OK(zeek_sniff_header(&z, http, 2) == 0, "sniff without #fields");
	TEST_OK(zeek_sniff_header(&z, plain, 2) == 0,
	    "sniff needs #separator first");
	TEST_OK(zeek_sniff_header(&z, http, 0) == 0, "sniff no lines");
}

int
main(void)
{
	test_header();
	test_data();
	test_blocks();
	test_sniff();
	return test_done();
}
