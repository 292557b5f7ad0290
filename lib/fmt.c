/*
 * fmt.c: the format registry (one row per log format) and the shared
 * helpers parsers use to reject lines and quote log text safely.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "diag.h"
#include "fmt.h"
#include "ipaddr.h"

extern const struct fmt fmt_squid;
extern const struct fmt fmt_squid_common, fmt_squid_combined, fmt_squid_csm;
extern const struct fmt fmt_squid_custom;
extern const struct fmt fmt_w3c;
extern const struct fmt fmt_zeek_http;
extern const struct fmt fmt_iptables;
extern const struct fmt fmt_panos, fmt_pfsense;
extern const struct fmt fmt_fortigate, fmt_asa;
extern const struct fmt fmt_bind, fmt_dnsmasq;
extern const struct fmt fmt_windns;
extern const struct fmt fmt_zeek_conn, fmt_zeek_dns, fmt_zeek_smtp;
extern const struct fmt fmt_zeek_json;
extern const struct fmt fmt_postfix, fmt_sendmail, fmt_exchange;
extern const struct fmt fmt_linux_auth;
extern const struct fmt fmt_winevt_xml;
extern const struct fmt fmt_winevt_json;
extern const struct fmt fmt_evtx, fmt_evtcsv;
extern const struct fmt fmt_eml, fmt_mbox, fmt_maildir;

const struct fmt *const fmt_list[] = {
	&fmt_squid,
	&fmt_squid_common,
	&fmt_squid_combined,
	&fmt_squid_csm,
	&fmt_squid_custom,
	&fmt_w3c,
	&fmt_zeek_http,
	&fmt_iptables,
	&fmt_panos,
	&fmt_pfsense,
	&fmt_fortigate,
	&fmt_asa,
	&fmt_bind,
	&fmt_dnsmasq,
	&fmt_windns,
	&fmt_zeek_conn,
	&fmt_zeek_dns,
	&fmt_zeek_smtp,
	&fmt_zeek_json,
	&fmt_postfix,
	&fmt_sendmail,
	&fmt_exchange,
	&fmt_linux_auth,
	&fmt_winevt_xml,
	&fmt_winevt_json,
	&fmt_evtx,
	&fmt_evtcsv,
	&fmt_eml,
	&fmt_mbox,
	&fmt_maildir,
	NULL
};

const struct fmt *
fmt_lookup(const char *name)
{
	int i;

	for (i = 0; fmt_list[i]; i++)
		if (strcmp(fmt_list[i]->name, name) == 0)
			return fmt_list[i];
	return NULL;
}

const struct fmt *
fmt_detect(const struct slice *lines, int n)
{
	const struct fmt *best = NULL;
	int i, best_score = 49;

	for (i = 0; fmt_list[i]; i++) {
		int score;

		if (fmt_list[i]->sniff == NULL)
			continue;
		score = fmt_list[i]->sniff(lines, n);
		if (score > best_score) {
			best_score = score;
			best = fmt_list[i];
		}
	}
	return best;
}

int
fmt_sniff_mixed(const struct slice *lines, int n,
    int (*is_record)(struct slice line))
{
	int i, data = 0, hits = 0;

	for (i = 0; i < n; i++) {
		if (slice_trim(lines[i]).n == 0)
			continue;
		data++;
		hits += is_record(lines[i]) != 0;
	}
	/* A few recognised lines among others are enough; more, surer. */
	return hits ? 60 + 40 * hits / data : 0;
}

int
fmt_set_proto(struct event *ev, struct slice v)
{
	char low[16];
	size_t i;

	if (slice_eq(v, "TCP") || slice_eq(v, "tcp")) {
		event_set_checked(ev, EV_PROTO, SLICE_LIT("tcp"));
		return 0;
	}
	if (slice_eq(v, "UDP") || slice_eq(v, "udp")) {
		event_set_checked(ev, EV_PROTO, SLICE_LIT("udp"));
		return 0;
	}
	if (v.n == 0 || v.n > sizeof low)
		return -1;
	for (i = 0; i < v.n; i++) {
		unsigned char c = (unsigned char)v.p[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_'))
			return -1;
		low[i] = (char)c;
	}
	event_set_checked(ev, EV_PROTO, event_keep(ev, low, v.n));
	return 0;
}

int
fmt_set_addr(struct event *ev, enum ev_col col, struct slice v)
{
	struct ipaddr ip;

	if (ip_parse(v, &ip) != 0)
		return -1;
	/*
	 * One spelling an address: ::ffff:203.0.113.9 (a PAM rhost, say) is
	 * 203.0.113.9, or a check would count one source as two.
	 */
	if (!ip_is_v4(&ip) || memchr(v.p, ':', v.n) != NULL) {
		char text[IPADDR_TEXT_MAX];
		v = event_keep(ev, text, ip_format(text, &ip));
	}
	event_set_checked(ev, col, v);
	return 0;
}

enum line_result
fmt_reject(struct parse_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->reason, sizeof ctx->reason, fmt, ap);
	va_end(ap);
	return LINE_REJECTED;
}

void
fmt_warn(struct parse_ctx *ctx, uint64_t line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (ctx->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ctx->warn(ctx, line, msg);
}

