/*
 * dnsmasq_text.c: names, lists and reply words of dnsmasq's query log,
 * for fmt_dnsmasq.c, which keeps the queries in flight.
 */
#include <string.h>
#include "dnsmasq_text.h"
#include "esc.h"

struct slice
dnsmasq_first_word(struct slice s)
{
	long sp = slice_find(s, ' ');

	return sp < 0 ? s : slice_make(s.p, (size_t)sp);
}

size_t
dnsmasq_norm_name(char *buf, struct slice s)
{
	size_t i;

	if (s.n > 1 && s.p[s.n - 1] == '.')
		s.n--;
	if (s.n == 0 || s.n > DNSMASQ_NAME_MAX)
		return 0;
	for (i = 0; i < s.n; i++)
		buf[i] = s.p[i] >= 'A' && s.p[i] <= 'Z' ? (char)(s.p[i] + 32) :
		    s.p[i];
	return s.n;
}

int
dnsmasq_append(char *buf, size_t *n, size_t cap, const char *sep,
    struct slice s)
{
	size_t sn = *n ? strlen(sep) : 0;

	if (s.n == 0)
		return 0;	/* s.p may be NULL */
	if (*n + sn + s.n > cap)
		return -1;
	memcpy(buf + *n, sep, sn);
	memcpy(buf + *n + sn, s.p, s.n);
	*n += sn + s.n;
	return 0;
}

int
dnsmasq_append_item(char *buf, size_t *n, size_t cap, struct slice s)
{
	char esc[DNSMASQ_ITEM_MAX * ESC_MAX_GROWTH];
	size_t en;

	/*
	 * A name may hold any byte but '.' and NUL, TXT text anything: a ','
	 * left raw would split one answer into two, a listed name among them.
	 */
	if (s.n > DNSMASQ_ITEM_MAX)
		return -1;
	en = esc_list_item(esc, s, ESC_TSV);
	return dnsmasq_append(buf, n, cap, ",", slice_make(esc, en));
}

int
dnsmasq_in_list(struct slice list, struct slice s)
{
	long c;

	for (; list.n; list = slice_from(list, (size_t)c + 1)) {
		if ((c = slice_find(list, ',')) < 0)
			c = (long)list.n;
		if ((size_t)c == s.n && memcmp(list.p, s.p, s.n) == 0)
			return 1;
	}
	return 0;
}

const char *
dnsmasq_rcode(struct slice v, struct slice after)
{
	static const char *const words[][2] = { { "NXDOMAIN", "NXDOMAIN" },
	    { "NODATA", "NODATA" }, { "NODATA-IPv4", "NODATA" },
	    { "NODATA-IPv6", "NODATA" }, { "SERVFAIL", "SERVFAIL" },
	    { "REFUSED", "REFUSED" }, { "FORMERR", "FORMERR" } };
	/*
	 * Other rcodes dnsmasq writes as numbers (cache.c log_query with
	 * F_RCODE: "%u"); the 4-bit header rcode names of RFC 1035 and 2136.
	 */
	static const char *const num[16] = { "NOERROR", "FORMERR",
	    "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN",
	    "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "RCODE11", "RCODE12",
	    "RCODE13", "RCODE14", "RCODE15" };
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (slice_eq(v, words[i][0]))
			return words[i][1];
	if (v.n == 1 && v.p[0] >= '0' && v.p[0] <= '9')
		return num[v.p[0] - '0'];
	if (v.n == 2 && v.p[0] == '1' && v.p[1] >= '0' && v.p[1] <= '5')
		return num[10 + v.p[1] - '0'];
	if (slice_eq(v, "not") && slice_has_prefix(after, " implemented"))
		return "NOTIMP";
	return NULL;
}
