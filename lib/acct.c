/*
 * acct.c: account names, SIDs and hex numbers of authentication logs
 * (acct.h). Names compare in the account's own part, folded as Windows
 * compares them: without regard to case in any script, or to width
 * (libunistring's case folding with NFKC); bytes that are not UTF-8
 * compare as they are, ASCII letters folded. SIDs are recognised by their text only: no directory is asked, so a
 * group known here is known by its well-known SID or English name.
 */
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <uninorm.h>
#include <unistr.h>
#include "acct.h"

static unsigned char
fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

struct slice
acct_name(struct slice s)
{
	size_t i;

	s = slice_trim(s);
	for (i = s.n; i > 0; i--)
		if (s.p[i - 1] == '\\') {
			s = slice_from(s, i);
			break;
		}
	for (i = s.n; i > 0; i--)
		if (s.p[i - 1] == '@') {
			s.n = i - 1;
			break;
		}
	return slice_trim(s);
}

/* s with ASCII letters lowered, cut to cap. */
static struct slice
fold_ascii(struct slice s, char *buf, size_t cap)
{
	size_t i, n = s.n < cap ? s.n : cap;

	for (i = 0; i < n; i++)
		buf[i] = (char)fold((unsigned char)s.p[i]);
	return slice_make(buf, n);
}

/*
 * The fold of s into buf, or -1 when s is ASCII, not UTF-8 or too long
 * to fold into cap: then its bytes stand, ASCII letters folded.
 */
static long
fold_utf8(struct slice s, char *buf, size_t cap)
{
	const uint8_t *u = (const uint8_t *)s.p;
	size_t i, n = cap;
	uint8_t *r;

	for (i = 0; i < s.n && u[i] < 0x80; i++)
		;
	/* ASCII needs no tables; the bound keeps libunistring's work small. */
	if (i == s.n || s.n > cap || u8_check(u, s.n) != NULL)
		return -1;
	r = u8_casefold(u, s.n, NULL, UNINORM_NFKC, (uint8_t *)buf, &n);
	if (r == NULL)
		return -1;
	if (r != (uint8_t *)buf) {
		free(r);	/* longer than cap: not folded, never cut */
		return -1;
	}
	return (long)n;
}

struct slice
acct_fold(struct slice s, char *buf, size_t cap)
{
	long n = fold_utf8(s, buf, cap);

	return n < 0 ? fold_ascii(s, buf, cap) : slice_make(buf, (size_t)n);
}

int
acct_cmp(struct slice a, struct slice b)
{
	char ab[ACCT_FOLD_MAX], bb[ACCT_FOLD_MAX];
	long an, bn;
	size_t i, n;

	a = acct_name(a);
	b = acct_name(b);
	/* A name not folded compares as its bytes, folded as they go. */
	if ((an = fold_utf8(a, ab, sizeof ab)) >= 0)
		a = slice_make(ab, (size_t)an);
	if ((bn = fold_utf8(b, bb, sizeof bb)) >= 0)
		b = slice_make(bb, (size_t)bn);
	n = a.n < b.n ? a.n : b.n;
	for (i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a.p[i];
		unsigned char y = (unsigned char)b.p[i];

		if (an < 0)
			x = fold(x);
		if (bn < 0)
			y = fold(y);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return a.n < b.n ? -1 : a.n > b.n;
}

int
acct_eq(struct slice a, struct slice b)
{
	return acct_cmp(a, b) == 0;
}

int
acct_is_machine(struct slice name)
{
	name = acct_name(name);
	return name.n > 1 && name.p[name.n - 1] == '$';
}

int
acct_is_sid(struct slice s)
{
	size_t i;

	if (s.n < 5 || (s.p[0] != 'S' && s.p[0] != 's') ||
	    memcmp(s.p + 1, "-1-", 3) != 0)
		return 0;
	for (i = 4; i < s.n; i++)
		if (!(s.p[i] >= '0' && s.p[i] <= '9') &&
		    !(s.p[i] == '-' && s.p[i - 1] != '-'))
			return 0;
	return s.p[s.n - 1] != '-';
}

/* The dash-separated numbers of a SID after "S-1-": how many, into v. */
static int
sid_parts(struct slice sid, uint64_t *v, int max)
{
	size_t i;
	int n = 0;

	if (!acct_is_sid(sid))
		return -1;
	for (i = 4; i < sid.n && n < max + 1; n++) {
		uint64_t x = 0;

		for (; i < sid.n && sid.p[i] != '-'; i++) {
			if (x > UINT32_MAX)
				return -1;	/* no SID part is that long */
			x = x * 10 + (uint64_t)(sid.p[i] - '0');
		}
		i++;
		if (n < max)
			v[n] = x;
	}
	return n > max ? -1 : n;
}

int64_t
acct_sid_rid(struct slice sid)
{
	uint64_t v[8];
	int n = sid_parts(sid, v, 8);

	/* S-1-5-21-a-b-c-RID: authority 5, sub-authority 21, three more. */
	if (n != 6 || v[0] != 5 || v[1] != 21 || v[5] > UINT32_MAX)
		return -1;
	return (int64_t)v[5];
}

int
acct_sid_is_system(struct slice sid)
{
	static const char *const ids[] = {
		"S-1-0-0", "S-1-5-7", "S-1-5-18", "S-1-5-19", "S-1-5-20"
	};
	size_t i;

	for (i = 0; i < sizeof ids / sizeof ids[0]; i++)
		if (slice_eq_nocase(sid, ids[i]))
			return 1;
	return 0;
}

/* Well-known privileged groups: BUILTIN by SID, domain ones by RID. */
static const struct {
	const char *sid;	/* S-1-5-32-x, or NULL for a domain group */
	int64_t rid;		/* domain RID, or -1 */
	const char *name;
} groups[] = {
	{ "S-1-5-32-544", -1, "Administrators" },
	{ "S-1-5-32-548", -1, "Account Operators" },
	{ "S-1-5-32-549", -1, "Server Operators" },
	{ "S-1-5-32-550", -1, "Print Operators" },
	{ "S-1-5-32-551", -1, "Backup Operators" },
	{ NULL, 512, "Domain Admins" },
	{ NULL, 516, "Domain Controllers" },
	{ NULL, 518, "Schema Admins" },
	{ NULL, 519, "Enterprise Admins" },
	{ NULL, 520, "Group Policy Creator Owners" },
	{ NULL, 526, "Key Admins" },
	{ NULL, 527, "Enterprise Key Admins" },
	{ NULL, -1, "DnsAdmins" },
};

const char *
acct_privileged_group(struct slice sid, struct slice name)
{
	int64_t rid = acct_sid_rid(sid);
	size_t i;

	for (i = 0; i < sizeof groups / sizeof groups[0]; i++)
		if ((groups[i].sid && slice_eq_nocase(sid, groups[i].sid)) ||
		    (groups[i].rid >= 0 && rid == groups[i].rid))
			return groups[i].name;
	name = acct_name(name);
	for (i = 0; i < sizeof groups / sizeof groups[0]; i++)
		if (slice_eq_nocase(name, groups[i].name))
			return groups[i].name;
	return NULL;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)fold((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

struct slice
acct_dn_cn(struct slice dn, char *buf, size_t cap)
{
	size_t i, n = 0;

	dn = slice_trim(dn);
	if (dn.n < 3 || fold((unsigned char)dn.p[0]) != 'c' ||
	    fold((unsigned char)dn.p[1]) != 'n' || dn.p[2] != '=')
		return slice_make(buf, 0);
	for (i = 3; i < dn.n && dn.p[i] != ','; i++) {
		char c = dn.p[i];

		if (c == '\\' && i + 1 < dn.n) {
			int hi = hexval(dn.p[i + 1]);
			int lo = i + 2 < dn.n ? hexval(dn.p[i + 2]) : -1;

			if (hi >= 0 && lo >= 0) {
				c = (char)(hi << 4 | lo);
				i += 2;
			} else {
				c = dn.p[++i];
			}
		}
		if (n == cap)
			return slice_make(buf, 0);
		buf[n++] = c;
	}
	return slice_make(buf, n);
}

int
acct_parse_hex(struct slice s, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (s.n < 3 || s.n > 18 || s.p[0] != '0' ||
	    (s.p[1] != 'x' && s.p[1] != 'X'))
		return -1;
	for (i = 2; i < s.n; i++) {
		int d = hexval(s.p[i]);

		if (d < 0)
			return -1;
		x = x << 4 | (uint64_t)d;
	}
	*v = x;
	return 0;
}
