/*
 * fuzz_lookalike.c: libFuzzer harness for the code that reads names a
 * sender chose (lib/lookalike.c, lib/regdomain.c): display names,
 * attachment names and domains, any bytes at all. The input after its
 * first byte is split at its first NUL into two texts a and b; the first
 * byte chooses the output sizes. Checked for every input:
 *
 * - folding gives at most cap code points, none of them invisible, and
 *   folding its own UTF-8 output again changes nothing;
 * - a skeleton has at most cap code points, only letters and digits with
 *   LOOKALIKE_ALNUM;
 * - edit distance is symmetric, zero against itself, never above the
 *   length of the longer text, and the distance to the best substring is
 *   never above the whole distance;
 * - shown and stripped text fit their buffer, end in a NUL and hold
 *   none before it (both are put in reasons as C strings), hold no raw
 *   invisible code point (stripping writes bad bytes as U+FFFD, so
 *   that they cannot join the bytes around a dropped character into
 *   an invisible one), and the shown text of valid UTF-8 without its
 *   <U+XXXX> markers is the stripped text: stripping drops what
 *   showing marks, invisible code points and C0 controls;
 * - a canonical domain is NUL-terminated at its length, has no ASCII
 *   capital, and its registrable domain is a label-aligned suffix of it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>
#include "lookalike.h"
#include "regdomain.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct regdomain *rd;

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_lookalike: %s\n", what);
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if ((rd = regdomain_open()) == NULL)
		fail("cannot load the Public Suffix List");
	return 0;
}

/* Whether UTF-8 text p[0..n) holds an invisible code point. */
static int
has_invisible(const char *p, size_t n)
{
	size_t i = 0;
	ucs4_t c;
	int len;

	while (i < n) {
		len = u8_mbtouc(&c, (const uint8_t *)p + i, n - i);
		if (len <= 0)
			len = 1;
		if (len > 1 && lookalike_invisible(c) &&
		    u8_mbtouc(&c, (const uint8_t *)p + i, (size_t)len) == len)
			return 1;
		i += (size_t)len;
	}
	return 0;
}

static void
check_fold(struct slice s, size_t cap)
{
	static uint32_t a[LOOKALIKE_MAX], b[LOOKALIKE_MAX], k[LOOKALIKE_MAX];
	static char text[LOOKALIKE_MAX * 4 + 1];
	size_t n, m, i, t;

	n = lookalike_fold(s, a, cap);
	if (n > cap)
		fail("fold: over cap");
	for (i = 0; i < n; i++)
		if (lookalike_invisible(a[i]))
			fail("fold: an invisible code point kept");
	/* Folding is idempotent (unless cut at cap). */
	t = lookalike_utf8(a, n, text, sizeof text);
	if (n < cap && s.n < LOOKALIKE_MAX) {
		m = lookalike_fold(slice_make(text, t), b, LOOKALIKE_MAX);
		if (m != n || (n > 0 && memcmp(a, b, n * sizeof *a) != 0))
			fail("fold: not idempotent");
	}
	m = lookalike_skeleton(a, n, k, cap, 0);
	if (m > cap)
		fail("skeleton: over cap");
	m = lookalike_skeleton(a, n, k, cap, LOOKALIKE_ALNUM);
	if (m > cap)
		fail("skeleton alnum: over cap");
	for (i = 0; i < m; i++)
		if (k[i] == ' ' || k[i] == '.' || k[i] == '-' || k[i] == '@')
			fail("skeleton alnum: punctuation kept");
}

static void
check_distance(struct slice x, struct slice y)
{
	static uint32_t a[LOOKALIKE_MAX], b[LOOKALIKE_MAX];
	size_t an = lookalike_fold(x, a, LOOKALIKE_MAX);
	size_t bn = lookalike_fold(y, b, LOOKALIKE_MAX);
	size_t longer = an > bn ? an : bn, d, e, f;

	d = lookalike_distance(a, an, b, bn, LOOKALIKE_MAX);
	e = lookalike_distance(b, bn, a, an, LOOKALIKE_MAX);
	if (d != e)
		fail("distance: not symmetric");
	if (d > longer)
		fail("distance: above the longer length");
	if (lookalike_distance(a, an, a, an, 0) != 0)
		fail("distance: not zero against itself");
	f = lookalike_find(a, an, b, bn, LOOKALIKE_MAX);
	if (f > d)
		fail("find: above the whole distance");
	if (lookalike_distance(a, an, b, bn, 1) > 2 ||
	    (d <= 1 && lookalike_distance(a, an, b, bn, 1) != d) ||
	    (d > 1 && lookalike_distance(a, an, b, bn, 1) != 2))
		fail("distance: max cut wrong");
}

static void
check_show(struct slice s, size_t cap)
{
	static char out[8192], plain[8192], strip[8192];
	size_t n, i, k = 0, m;

	n = lookalike_show(s, out, cap);
	if (cap >= 4 && (n >= cap || out[n] != '\0'))
		fail("show: does not fit or no NUL");
	if (cap >= 4 && memchr(out, '\0', n) != NULL)
		fail("show: a NUL inside");
	if (cap >= 4 && has_invisible(out, n))
		fail("show: a raw invisible code point");
	m = lookalike_strip(s, strip, sizeof strip);
	/*
	 * Uncut, valid UTF-8 with no '<' of its own: the shown text without
	 * its markers is the stripped text.
	 */
	if (cap == sizeof out && s.n < sizeof strip / 8 &&
	    memchr(s.p, '<', s.n) == NULL &&
	    u8_check((const uint8_t *)s.p, s.n) == NULL) {
		for (i = 0; i < n; i++) {
			if (out[i] == '<') {
				while (i < n && out[i] != '>')
					i++;
				continue;
			}
			plain[k++] = out[i];
		}
		if (k != m || memcmp(plain, strip, k) != 0)
			fail("show: other bytes than the input's");
	}
	n = lookalike_strip(s, out, cap);
	if (cap > 0 && (n >= cap || out[n] != '\0' || has_invisible(out, n)))
		fail("strip: does not fit, or an invisible kept");
	if (cap > 0 && memchr(out, '\0', n) != NULL)
		fail("strip: a NUL inside");
	(void)lookalike_hidden(s);
	(void)lookalike_has_bidi(s);
}

static void
check_domain(struct slice s)
{
	char buf[REGDOMAIN_MAX];
	struct slice reg, d;
	int n = regdomain_canon(s, buf, sizeof buf);
	size_t i;

	(void)regdomain_addr_domain(s);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof buf || strlen(buf) != (size_t)n)
		fail("canon: length or NUL wrong");
	for (i = 0; i < (size_t)n; i++)
		if (buf[i] >= 'A' && buf[i] <= 'Z')
			fail("canon: an ASCII capital");
	d = slice_make(buf, (size_t)n);
	reg = regdomain_of(rd, buf);
	if (reg.n == 0 || reg.n > d.n || reg.p != buf + (d.n - reg.n))
		fail("regdomain_of: not a suffix of the domain");
	if (!regdomain_under(d, reg))
		fail("regdomain_of: not label-aligned");
	(void)regdomain_label(reg);
	(void)regdomain_known_suffix(rd, buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t caps[] = { 0, 1, 4, 5, 16, 64, 256, 8192 };
	const char *p = (const char *)data + 1, *nul;
	struct slice a, b;
	size_t n, cap;

	if (size == 0)
		return 0;
	n = size - 1;
	cap = caps[data[0] & 7];
	nul = memchr(p, '\0', n);
	a = slice_make(p, nul ? (size_t)(nul - p) : n);
	b = nul ? slice_make(nul + 1, n - a.n - 1) : slice_make(p, 0);
	check_fold(a, cap < LOOKALIKE_MAX ? cap : LOOKALIKE_MAX);
	check_fold(b, LOOKALIKE_MAX);
	check_distance(a, b);
	check_show(a, cap);
	check_domain(a);
	check_domain(b);
	return 0;
}
