/*
 * regdomain.c: canonical domains and registrable domains, a thin layer
 * over libpsl (the Public Suffix List) and libidn2 (punycode). Domains
 * come from mail headers, so every byte is the sender's choice: they are
 * checked before libpsl or libidn2 sees them, and nothing longer than
 * REGDOMAIN_MAX is handed on.
 */
#include <stdlib.h>
#include <string.h>
#include <idn2.h>
#include <libpsl.h>
#include <unicase.h>
#include <uninorm.h>
#include <unistr.h>
#include "ipaddr.h"
#include "regdomain.h"

struct regdomain {
	const psl_ctx_t *psl;
	psl_ctx_t *owned;	/* psl_latest's, freed on close */
};

struct regdomain *
regdomain_open(void)
{
	struct regdomain *rd = calloc(1, sizeof *rd);

	if (rd == NULL)
		return NULL;
	/* psl_latest(NULL): the newer of the built-in and the system list. */
	if ((rd->owned = psl_latest(NULL)) != NULL)
		rd->psl = rd->owned;
	else
		rd->psl = psl_builtin();
	if (rd->psl == NULL) {
		free(rd);
		return NULL;
	}
	return rd;
}

void
regdomain_close(struct regdomain *rd)
{
	if (rd == NULL)
		return;
	psl_free(rd->owned);
	free(rd);
}

struct slice
regdomain_addr_domain(struct slice addr)
{
	size_t i;

	addr = slice_trim(addr);
	while (addr.n > 0 && addr.p[addr.n - 1] == '>')
		addr.n--;
	for (i = addr.n; i > 0; i--)
		if (addr.p[i - 1] == '@')
			return slice_trim(slice_from(addr, i));
	return slice_make(addr.p, 0);
}

/* Whether byte c can be part of a domain as written in an address. */
static int
domain_byte(unsigned char c)
{
	if (c <= 0x20 || c == 0x7f)
		return 0;
	return strchr("@<>(),;:\"\\/", c) == NULL;
}

/* Whether label p[0..n) starts with "xn--", in any case. */
static int
ace_label(const char *p, size_t n)
{
	return n > 4 && (p[0] == 'x' || p[0] == 'X') &&
	    (p[1] == 'n' || p[1] == 'N') && p[2] == '-' && p[3] == '-';
}

/*
 * Decodes the ACE labels of the n bytes at buf (NUL-terminated) in place,
 * when there are any and libidn2 takes them. Returns the new length.
 */
static size_t
decode_ace(char *buf, size_t n, size_t cap)
{
	char *out = NULL;
	size_t i, start = 0, len;
	int any = 0;

	for (i = 0; i <= n; i++)
		if (i == n || buf[i] == '.') {
			any |= ace_label(buf + start, i - start);
			start = i + 1;
		}
	if (!any)
		return n;
	/*
	 * A label that is not valid punycode, or decodes to something IDNA
	 * forbids, fails the whole call: then the domain stays as written,
	 * which is still one exact form to compare.
	 */
	if (idn2_to_unicode_8z8z(buf, &out, 0) != IDN2_OK || out == NULL) {
		idn2_free(out);
		return n;
	}
	len = strlen(out);
	if (len < cap) {
		memcpy(buf, out, len + 1);
		n = len;
	}
	idn2_free(out);
	return n;
}

int
regdomain_canon(struct slice s, char *buf, size_t cap)
{
	char low[REGDOMAIN_MAX];
	uint8_t *r;
	size_t i, n, lown = sizeof low;

	s = slice_trim(s);
	if (s.n > 0 && s.p[s.n - 1] == '.')
		s.n--;
	if (s.n == 0 || s.n >= cap || s.n >= REGDOMAIN_MAX)
		return -1;
	if (s.p[0] == '[') {
		/* An address literal: compared as written. */
		if (s.p[s.n - 1] != ']')
			return -1;
		for (i = 0; i < s.n; i++) {
			if (!domain_byte((unsigned char)s.p[i]) &&
			    s.p[i] != ':')
				return -1;
			buf[i] = (char)((s.p[i] >= 'A' && s.p[i] <= 'Z') ?
			    s.p[i] + 32 : s.p[i]);
		}
		buf[s.n] = '\0';
		return (int)s.n;
	}
	for (i = 0; i < s.n; i++)
		if (!domain_byte((unsigned char)s.p[i]) ||
		    (s.p[i] == '.' && (i == 0 || s.p[i - 1] == '.')))
			return -1;
	if (u8_check((const uint8_t *)s.p, s.n) != NULL)
		return -1;
	memcpy(buf, s.p, s.n);
	buf[s.n] = '\0';
	n = decode_ace(buf, s.n, cap);
	/* Lower case, NFC: the form the Public Suffix List is written in. */
	r = u8_tolower((const uint8_t *)buf, n, NULL, UNINORM_NFC,
	    (uint8_t *)low, &lown);
	if (r == NULL)
		return -1;
	if (lown >= cap) {
		if (r != (uint8_t *)low)
			free(r);
		return -1;
	}
	memcpy(buf, r, lown);
	buf[lown] = '\0';
	if (r != (uint8_t *)low)
		free(r);
	return (int)lown;
}

struct slice
regdomain_of(const struct regdomain *rd, const char *d)
{
	struct slice all = slice_cstr(d);
	const char *r;

	if (all.n == 0 || d[0] == '[' || ip_valid(all))
		return all;
	r = psl_registrable_domain(rd->psl, d);
	if (r == NULL)
		return all;
	return slice_cstr(r);
}

int
regdomain_known_suffix(const struct regdomain *rd, const char *d)
{
	const char *last = strrchr(d, '.');

	if (d[0] == '\0' || d[0] == '[' || ip_valid(slice_cstr(d)))
		return 0;
	return psl_is_public_suffix2(rd->psl, last ? last + 1 : d,
	    PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
}

struct slice
regdomain_label(struct slice r)
{
	long dot = slice_find(r, '.');

	return dot < 0 ? r : slice_make(r.p, (size_t)dot);
}

int
regdomain_under(struct slice d, struct slice parent)
{
	if (parent.n == 0 || d.n < parent.n ||
	    memcmp(d.p + d.n - parent.n, parent.p, parent.n) != 0)
		return 0;
	return d.n == parent.n || d.p[d.n - parent.n - 1] == '.';
}
