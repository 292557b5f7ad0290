/*
 * num_test.c: range checks of the number parser.
 */
#include <stdlib.h>
#include "num.h"
#include "test.h"

/*
 * Whether num_field_u64_padded agrees with num_field_u64 on every field
 * of up to 12 bytes cut from random text of digits and other bytes, with
 * whatever follows the field in the buffer.
 */
static int
padded_agrees(void)
{
	static const char pool[] = "0123456789012345678\t\n:/ a-";
	char text[64];
	int round;
	size_t i, n;

	srand(7);
	for (round = 0; round < 20000; round++) {
		for (i = 0; i < sizeof text; i++)
			text[i] = pool[(size_t)rand() % (sizeof pool - 1)];
		n = (size_t)rand() % 13;
		if (num_field_u64_padded(slice_make(text + 3, n)) !=
		    num_field_u64(slice_make(text + 3, n)))
			return 0;
	}
	return 1;
}

int
main(void)
{
	uint64_t v;
	int64_t ms;
	char buf[24];

	TEST_OK(num_parse_u64(SLICE_LIT("65535"), 65535, &v) == 0 &&
	    v == 65535, "max accepted");
	TEST_OK(num_parse_u64(SLICE_LIT("65536"), 65535, &v) != 0,
	    "above max rejected");
	TEST_OK(num_parse_u64(SLICE_LIT(""), 10, &v) != 0, "empty rejected");
	TEST_OK(num_parse_u64(SLICE_LIT("-1"), 10, &v) != 0, "sign rejected");
	TEST_OK(num_parse_u64(SLICE_LIT("12a"), 1000, &v) != 0,
	    "trailing junk rejected");
	TEST_OK(num_parse_u64(SLICE_LIT("18446744073709551616"), UINT64_MAX,
	    &v) != 0, "overflow rejected");
	TEST_OK(num_parse_u64(SLICE_LIT("18446744073709551615"), UINT64_MAX,
	    &v) == 0 && v == UINT64_MAX, "UINT64_MAX accepted");
	TEST_OK(num_parse_u64(SLICE_LIT("9999999999999999999"), UINT64_MAX,
	    &v) == 0 && v == 9999999999999999999ULL, "19 digits accepted");
	TEST_OK(num_parse_u64(SLICE_LIT("99999999999999999999"), UINT64_MAX,
	    &v) != 0, "20 nines rejected");
	TEST_OK(num_parse_u64(SLICE_LIT("1844674407370955161x"), UINT64_MAX,
	    &v) != 0, "junk as the 20th byte rejected");
	TEST_OK(num_parse_u64(SLICE_LIT("0000000000000000042"), 100, &v) ==
	    0 && v == 42, "leading zeros");
	TEST_OK(num_field_u64(SLICE_LIT("38101")) == 38101, "field: a count");
	TEST_OK(num_field_u64(SLICE_LIT("")) == 0 &&
	    num_field_u64(SLICE_LIT("-")) == 0, "field: empty or '-' is 0");
	TEST_OK(num_field_u64_padded(slice_make("512\t38101\tx", 3)) == 512 &&
	    num_field_u64_padded(slice_make("38101\tx\n\0\0\0", 5)) == 38101 &&
	    num_field_u64_padded(slice_make("12345678\t\0\0\0", 8)) ==
	    12345678 && num_field_u64_padded(slice_make("1234567890\t", 10)) ==
	    1234567890, "field, padded: counts with text after them");
	TEST_OK(num_field_u64_padded(slice_make("5x2\t\0\0\0\0\0", 3)) == 0 &&
	    num_field_u64_padded(slice_make("-\t\0\0\0\0\0\0", 1)) == 0,
	    "field, padded: not a number is 0");
	TEST_OK(padded_agrees(), "field, padded: agrees with the plain one");
	TEST_OK(num_parse_milli(SLICE_LIT("1795593995.412"), &ms) == 0 &&
	    ms == 1795593995412LL, "epoch with ms");
	TEST_OK(num_parse_milli(SLICE_LIT("1.5"), &ms) == 0 && ms == 1500,
	    "one decimal");
	TEST_OK(num_parse_milli(SLICE_LIT("0.123456"), &ms) == 0 && ms == 123,
	    "microseconds truncated");
	TEST_OK(num_parse_milli(SLICE_LIT("7"), &ms) == 0 && ms == 7000,
	    "no fraction");
	TEST_OK(num_parse_milli(SLICE_LIT("7."), &ms) != 0, "dot alone");
	TEST_OK(num_parse_milli(SLICE_LIT(".5"), &ms) != 0, "no whole part");
	TEST_OK(num_parse_milli(SLICE_LIT("1.2.3"), &ms) != 0, "two dots");
	TEST_OK(num_parse_milli(SLICE_LIT("99999999999999999999"), &ms) != 0,
	    "overflow rejected");
	TEST_BYTES(buf, num_format_u64(buf, 0), "0", "format zero");
	TEST_BYTES(buf, num_format_u64(buf, 18446744073709551615ULL),
	    "18446744073709551615", "format max");
	return test_done();
}
