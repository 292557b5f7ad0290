/*
 * fmt_zeek_dns.c: Zeek (Bro) dns.log in the ASCII/TSV writer's form, one
 * line per DNS query and its response (or none) that Zeek saw on the
 * wire. Columns are taken by name from each header block's #fields,
 * through the shared reader in zeek.c. The query name is lower-cased and
 * loses the trailing dot of a fully qualified name; the type and response
 * code are Zeek's names (the numbers when only those are set); the
 * answers, a Zeek vector, are joined with ',' whatever the log's set
 * separator, each element unescaped. An unanswered query has no rcode.
 */
#include "fmt.h"
#include "ipaddr.h"
#include "num.h"
#include "zeek_view.h"

#define ZD_NAME_MAX 1024	/* longest query name taken (escaped text) */

enum zd_col {
	ZD_TS, ZD_UID, ZD_ORIG_H, ZD_ORIG_P, ZD_RESP_H, ZD_RESP_P, ZD_PROTO,
	ZD_TRANS_ID, ZD_QUERY, ZD_QTYPE, ZD_QTYPE_NAME, ZD_RCODE,
	ZD_RCODE_NAME, ZD_AA, ZD_TC, ZD_RD, ZD_RA, ZD_ANSWERS, ZD_TTLS,
	ZD_REJECTED, ZD_NCOLS
};

static const char *const zd_names[ZD_NCOLS] = {
	"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p",
	"proto", "trans_id", "query", "qtype", "qtype_name", "rcode",
	"rcode_name", "AA", "TC", "RD", "RA", "answers", "TTLs", "rejected"
};

/* Without #path, these columns mark the log. */
static const char *const zd_sniff_cols[] = {
	"id.orig_h", "query", "qtype_name", NULL
};

static const struct zeek_view_spec zd_spec = {
	.fmt = "zeek-dns",
	.kind = "dns",
	.key = "query",
	.key_always = 1,
	.not_kind = "not a dns log",
	.names = zd_names,
	.ncols = ZD_NCOLS,
	.sniff_cols = zd_sniff_cols,
};

static int
zeek_dns_sniff(const struct slice *lines, int n)
{
	return zeek_view_sniff(&zd_spec, lines, n);
}

static void *
zeek_dns_open(struct parse_ctx *ctx)
{
	return zeek_view_open(&zd_spec, ctx);
}

/*
 * Appends src to dst (len bytes used of cap) with its \xHH escapes
 * decoded and, when lower is set, A-Z lower-cased. Returns the new
 * length, or cap + 1 when it does not fit.
 */
static size_t
append_unescaped(char *dst, size_t len, size_t cap, struct slice src,
    int lower)
{
	size_t n = zeek_unescape(dst + len, cap - len, src), i;

	if (n > cap - len)
		return cap + 1;
	if (lower)
		for (i = len; i < len + n; i++)
			if (dst[i] >= 'A' && dst[i] <= 'Z')
				dst[i] = (char)(dst[i] - 'A' + 'a');
	return len + n;
}

/*
 * Sets the qname column from the query: unescaped, lower-cased, without
 * the trailing dot (the root stays "."). Returns -1 when it is too long.
 */
static int
set_qname(struct zeek_view *s, struct event *ev)
{
	char buf[ZD_NAME_MAX];
	struct slice v;
	size_t n;

	if (zeek_kind(&s->z, s->col[ZD_QUERY]) != ZEEK_VALUE)
		return 0;
	v = s->z.val[s->col[ZD_QUERY]];
	n = append_unescaped(buf, 0, sizeof buf, v, 1);
	if (n > sizeof buf)
		return -1;
	if (n > 1 && buf[n - 1] == '.')
		n--;
	if (n == v.n && memcmp(buf, v.p, n) == 0)
		ev->f[EV_QNAME] = v;	/* as written: no copy */
	else
		ev->f[EV_QNAME] = event_keep(ev, buf, n);
	return 0;
}

/*
 * The set or vector in column c: its elements, split by the set separator
 * and unescaped one by one, joined with ','. Empty when the column holds
 * no value or the result does not fit the event's scratch space.
 */
static struct slice
join_set(struct zeek_view *s, enum zd_col c, struct event *ev)
{
	char buf[EVENT_SCRATCH / 2];
	struct slice v, sep = slice_make(s->z.set_sep.b, s->z.set_sep.n);
	size_t n = 0;

	if (zeek_kind(&s->z, s->col[c]) != ZEEK_VALUE)
		return SLICE_NONE;
	v = s->z.val[s->col[c]];
	if (slice_eq(sep, ",") && memchr(v.p, '\\', v.n) == NULL)
		return v;	/* the common case: as written */
	for (;;) {
		size_t i, end = v.n;

		for (i = 0; sep.n && i + sep.n <= v.n; i++)
			if (memcmp(v.p + i, sep.p, sep.n) == 0) {
				end = i;
				break;
			}
		if (n && (n = append_unescaped(buf, n, sizeof buf,
		    SLICE_LIT(","), 0)) > sizeof buf)
			return SLICE_NONE;
		n = append_unescaped(buf, n, sizeof buf, slice_make(v.p, end),
		    0);
		if (n > sizeof buf)
			return SLICE_NONE;
		if (end == v.n)
			break;
		v = slice_from(v, end + sep.n);
	}
	return event_keep(ev, buf, n);
}

/*
 * Sets column ec from the name column c, else from the number column cn.
 */
static void
name_or_number(struct zeek_view *s, struct event *ev, enum zd_col c,
    enum zd_col cn, enum ev_col ec)
{
	struct slice v = zeek_str(&s->z, s->col[c], ev);

	if (v.n == 0)
		v = zeek_str(&s->z, s->col[cn], ev);
	ev->f[ec] = v;
}

static enum line_result
zeek_dns_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	static const struct {
		enum zd_col c;
		const char *key;
	} extras[] = {
		{ ZD_UID, "uid" }, { ZD_TRANS_ID, "trans_id" },
		{ ZD_AA, "aa" }, { ZD_TC, "tc" }, { ZD_RD, "rd" },
		{ ZD_RA, "ra" }, { ZD_REJECTED, "rejected" }
	};
	struct zeek_view *s = state;
	struct event *ev = ctx->ev;
	struct slice ttls;
	enum line_result r;
	size_t i;

	switch (zeek_read(&s->z, line)) {
	case ZEEK_META:
		return LINE_SKIPPED;
	case ZEEK_BAD:
		return fmt_reject(ctx, "zeek-dns: %s", s->z.why);
	case ZEEK_DATA:
		break;
	}
	if ((r = zeek_view_check(s, ctx)) != LINE_USED)
		return r;
	if (zeek_kind(&s->z, s->col[ZD_TS]) != ZEEK_VALUE ||
	    zeek_time_ms(s->z.val[s->col[ZD_TS]], &ev->ts_ms) != 0)
		return zeek_view_bad(s, ctx, ZD_TS);
	ev->has_ts = 1;
	if (zeek_view_addr(s, ev, ZD_ORIG_H, EV_SRC_IP) != 0)
		return zeek_view_bad(s, ctx, ZD_ORIG_H);
	if (zeek_view_count(s, ev, ZD_ORIG_P, EV_SRC_PORT, 65535) != 0)
		return zeek_view_bad(s, ctx, ZD_ORIG_P);
	if (zeek_view_addr(s, ev, ZD_RESP_H, EV_DST_IP) != 0)
		return zeek_view_bad(s, ctx, ZD_RESP_H);
	if (zeek_view_count(s, ev, ZD_RESP_P, EV_DST_PORT, 65535) != 0)
		return zeek_view_bad(s, ctx, ZD_RESP_P);
	if (set_qname(s, ev) != 0)
		return zeek_view_bad(s, ctx, ZD_QUERY);

	ev->f[EV_LOG] = SLICE_LIT("dns");
	ev->f[EV_FORMAT] = SLICE_LIT("zeek-dns");
	ev->f[EV_PROTO] = zeek_str(&s->z, s->col[ZD_PROTO], ev);
	name_or_number(s, ev, ZD_QTYPE_NAME, ZD_QTYPE, EV_QTYPE);
	name_or_number(s, ev, ZD_RCODE_NAME, ZD_RCODE, EV_RCODE);
	ev->f[EV_ANSWER] = join_set(s, ZD_ANSWERS, ev);
	for (i = 0; i < sizeof extras / sizeof extras[0]; i++)
		zeek_view_extra(s, ev, extras[i].c, extras[i].key);
	ttls = join_set(s, ZD_TTLS, ev);
	if (ttls.n)
		event_add_extra(ev, "ttls", ttls);
	return fmt_emit(ctx);
}

const struct fmt fmt_zeek_dns = {
	.name = "zeek-dns",
	.log = "dns",
	.summary = "Zeek/Bro dns.log (TSV with #fields header)",
	.sniff = zeek_dns_sniff,
	.open = zeek_dns_open,
	.line = zeek_dns_line,
	.close = zeek_view_close,
};
