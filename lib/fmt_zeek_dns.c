/*
 * fmt_zeek_dns.c: Zeek (Bro) dns.log, one record per DNS query and its
 * response (or none) that Zeek saw on the wire: the zeek-dns format (the
 * ASCII/TSV writer's form, columns taken by name from each header block's
 * #fields through zeek.c) and the dns mapping that zeek-json uses for dns
 * records too. The query name is lower-cased and loses the trailing dot of
 * a fully qualified name; the type and response code are Zeek's names (the
 * numbers when only those are set); the answers, a Zeek vector, are joined
 * with ',' whatever the log's set separator, each element unescaped on its
 * own and a ',' inside it kept as \x2c. An unanswered query has no rcode.
 */
#include "fmt.h"
#include "zeek_view.h"

#define ZD_NAME_MAX 1024	/* longest query name taken (escaped text) */

enum zd_col {
	ZD_UID = ZEEK_VIEW_UID, ZD_PROTO = ZEEK_VIEW_NID, ZD_TRANS_ID,
	ZD_QUERY, ZD_QTYPE, ZD_QTYPE_NAME, ZD_RCODE, ZD_RCODE_NAME,
	ZD_AA, ZD_TC, ZD_RD, ZD_RA, ZD_ANSWERS, ZD_TTLS, ZD_REJECTED,
	ZD_NCOLS
};

static const char *const zd_names[ZD_NCOLS] = {
	ZEEK_VIEW_ID_NAMES, "proto", "trans_id", "query", "qtype",
	"qtype_name", "rcode", "rcode_name", "AA", "TC", "RD", "RA",
	"answers", "TTLs", "rejected"
};

/* Without #path, these columns mark the log. */
static const char *const zd_sniff_cols[] = {
	"id.orig_h", "query", "qtype_name", NULL
};

static enum line_result zeek_dns_map(const struct zeek_view_rec *r,
    struct parse_ctx *ctx);

const struct zeek_view_spec fmt_zeek_dns_spec = {
	.fmt = "zeek-dns",
	.kind = "dns",
	.key = "query",
	.key_always = 1,
	.not_kind = "not a dns log",
	.names = zd_names,
	.ncols = ZD_NCOLS,
	.sniff_cols = zd_sniff_cols,
	.map = zeek_dns_map,
};

static int
zeek_dns_sniff(const struct slice *lines, int n)
{
	return zeek_view_sniff(&fmt_zeek_dns_spec, lines, n);
}

static void *
zeek_dns_open(struct parse_ctx *ctx)
{
	return zeek_view_open(&fmt_zeek_dns_spec, ctx);
}

/*
 * Sets the qname column from the query: unescaped, lower-cased, without
 * the trailing dot (the root stays "."). Returns -1 when it is too long.
 */
static int
set_qname(const struct zeek_view_rec *r, struct event *ev)
{
	char buf[ZD_NAME_MAX];
	struct slice v;
	size_t n;

	if (!zeek_view_has(r, ZD_QUERY))
		return 0;
	v = r->val[ZD_QUERY];
	n = zeek_view_append(buf, 0, sizeof buf, v, 1);
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
 * Sets column ec from the name field c, else from the number field cn.
 */
static void
name_or_number(const struct zeek_view_rec *r, struct event *ev,
    enum zd_col c, enum zd_col cn, enum ev_col ec)
{
	struct slice v = zeek_view_str(r, c, ev);

	if (v.n == 0)
		v = zeek_view_str(r, cn, ev);
	ev->f[ec] = v;
}

static enum line_result
zeek_dns_map(const struct zeek_view_rec *r, struct parse_ctx *ctx)
{
	static const struct {
		enum zd_col c;
		const char *key;
	} extras[] = {
		{ ZD_UID, "uid" }, { ZD_TRANS_ID, "trans_id" },
		{ ZD_AA, "aa" }, { ZD_TC, "tc" }, { ZD_RD, "rd" },
		{ ZD_RA, "ra" }, { ZD_REJECTED, "rejected" }
	};
	struct event *ev = ctx->ev;
	size_t i;

	if (set_qname(r, ev) != 0)
		return zeek_view_bad(r, ctx, ZD_QUERY);

	ev->f[EV_LOG] = SLICE_LIT("dns");
	ev->f[EV_PROTO] = zeek_view_str(r, ZD_PROTO, ev);
	name_or_number(r, ev, ZD_QTYPE_NAME, ZD_QTYPE, EV_QTYPE);
	name_or_number(r, ev, ZD_RCODE_NAME, ZD_RCODE, EV_RCODE);
	zeek_view_set_col(r, ev, ZD_ANSWERS, EV_ANSWER);
	for (i = 0; i < sizeof extras / sizeof extras[0]; i++)
		zeek_view_extra(r, ev, extras[i].c, extras[i].key);
	zeek_view_set_extra(r, ev, ZD_TTLS, "ttls");
	return fmt_emit(ctx);
}

const struct fmt fmt_zeek_dns = {
	.name = "zeek-dns",
	.log = "dns",
	.summary = "Zeek/Bro dns.log (TSV with #fields header)",
	.sniff = zeek_dns_sniff,
	.open = zeek_dns_open,
	.line = zeek_view_line,
	.close = zeek_view_close,
};
