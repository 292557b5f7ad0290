/*
 * extra_test.c: keys of the extra column are matched whole.
 */
#include "extra.h"
#include "test.h"

static int
got(const char *extra, const char *key, const char *want)
{
	struct slice v = extra_get(slice_cstr(extra), key);

	return slice_eq(v, want);
}

int
main(void)
{
	TEST_OK(got("a=1;b=2", "b", "2"), "second key");
	TEST_OK(got("a=1;b=2", "a", "1"), "first key");
	TEST_OK(got("ab=1;b=2", "b", "2"),
	    "a key ending in the name is not it");
	TEST_OK(got("b=;c=3", "b", ""), "an empty value");
	TEST_OK(got("x=b=2", "b", ""), "text inside a value is not a key");
	TEST_OK(got("x=a\\x3bb=2", "b", ""), "an escaped ';' ends no pair");
	TEST_OK(got("", "b", ""), "an empty column");
	TEST_OK(got("b", "b", ""), "a key without '='");
	TEST_OK(extra_is_ambiguous(slice_cstr("user=x;ambiguous=1")),
	    "ambiguous=1 after another key");
	TEST_OK(!extra_is_ambiguous(slice_cstr("ambiguous=10")),
	    "ambiguous=10 is not 1");
	TEST_OK(!extra_is_ambiguous(slice_cstr("notambiguous=1")),
	    "another key ending in the name");
	TEST_OK(!extra_is_ambiguous(slice_cstr("helo=ambiguous=1")),
	    "the text in a value");
	return test_done();
}
