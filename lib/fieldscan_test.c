/*
 * fieldscan_test.c: the field scans against plain byte loops, for every
 * length up to 48 and the byte sought (or a byte that ends a run) at every
 * place, from fields that end where their allocation ends (so that a
 * sanitizer build sees any read past them); and fieldscan_u64 against
 * num_parse_u64.
 */
#include <stdio.h>
#include <stdlib.h>
#include "fieldscan.h"
#include "num.h"
#include "test.h"

#define MAXN 48

/* Plain loops: what the scans must return. */
static size_t
ref_byte(const char *p, size_t n, char c)
{
	size_t i;

	for (i = 0; i < n && p[i] != c; i++)
		;
	return i;
}

static size_t
ref_hex(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && ((p[i] >= '0' && p[i] <= '9') ||
	    (p[i] >= 'a' && p[i] <= 'f') || (p[i] >= 'A' && p[i] <= 'F')); i++)
		;
	return i;
}

static unsigned
ref_kinds(const char *p, size_t n)
{
	unsigned k = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c >= 'A' && c <= 'Z')
			k |= FIELDSCAN_UPPER;
		if (c < 0x20 || c >= 0x7f || c == '\\')
			k |= FIELDSCAN_ESCAPE;
	}
	return k;
}

/*
 * For each length n and place at, a field of n filler bytes with byte b
 * at at (none when at == n), placed at the very end of its own
 * allocation; the three scans must agree with the loops. Returns 1 when
 * all did.
 */
static int
sweep(char filler, char b)
{
	size_t n, at;
	int ok = 1;

	for (n = 0; n <= MAXN && ok; n++) {
		for (at = 0; at <= n && ok; at++) {
			char *p = malloc(n ? n : 1);

			if (p == NULL)
				return 0;
			memset(p, filler, n);
			if (at < n)
				p[at] = b;
			ok = fieldscan_byte(p, n, b) == ref_byte(p, n, b) &&
			    fieldscan_byte(p, n, ' ') == ref_byte(p, n, ' ') &&
			    fieldscan_hex(p, n) == ref_hex(p, n) &&
			    fieldscan_kinds(p, n) == ref_kinds(p, n);
			if (!ok)
				printf("# n %zu, 0x%02x at %zu in 0x%02x\n", n,
				    (unsigned char)b, at,
				    (unsigned char)filler);
			free(p);
		}
	}
	return ok;
}

static void
test_scans(void)
{
	static const char fillers[] = "a0F.", bytes[] = " :#/gZ;\\\x7f"
	    "\x80\xff\x01\t";
	size_t f, b;
	int ok = 1;

	for (f = 0; f < sizeof fillers - 1; f++)
		for (b = 0; b < sizeof bytes - 1; b++)
			ok = ok && sweep(fillers[f], bytes[b]);
	TEST_OK(ok, "scans agree with byte loops at every length and place");
	TEST_OK(sweep('a', '\0'), "a NUL is found (and ends nothing else)");
	TEST_OK(fieldscan_byte("abc", 3, 'x') == 3 &&
	    fieldscan_byte("", 0, ' ') == 0 && fieldscan_hex("", 0) == 0 &&
	    fieldscan_kinds("", 0) == 0, "empty and absent");
}

/* fieldscan_u64 against num_parse_u64 on strings near each max. */
static void
test_u64(void)
{
	static const char *const s[] = { "", "0", "00", "7", "255", "256",
	    "0255", "65535", "65536", "000000000000000065535",
	    "00000000000000065535", "4294967295", "4294967296",
	    "99999999999999999999", "+1", "-1", "1 ", " 1", "1a", "\x80",
	    "18446744073709551615" };
	static const uint64_t max[] = { 0, 1, 255, 65535, UINT32_MAX,
	    UINT64_MAX / 10 - 1 };
	size_t i, j;
	int ok = 1;

	for (i = 0; i < sizeof s / sizeof s[0]; i++) {
		for (j = 0; j < sizeof max / sizeof max[0]; j++) {
			uint64_t a = 12345, b = 12345;
			int ra = fieldscan_u64(slice_cstr(s[i]), max[j], &a);
			int rb = num_parse_u64(slice_cstr(s[i]), max[j], &b);

			if (ra != rb || a != b) {
				ok = 0;
				printf("# '%s' max %llu: %d %llu, not "
				    "%d %llu\n",
				    s[i], (unsigned long long)max[j], ra,
				    (unsigned long long)a, rb,
				    (unsigned long long)b);
			}
		}
	}
	TEST_OK(ok, "fieldscan_u64 as num_parse_u64");
}

int
main(void)
{
	test_scans();
	test_u64();
	return test_done();
}
