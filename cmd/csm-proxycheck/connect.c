/*
 * connect.c: the connect-port rule (guideline 19.1.2, web proxy item 2).
 * A CONNECT request asks the proxy for a raw tunnel; browsers use it for
 * HTTPS on 443, so a tunnel to any other port is a protocol being smuggled
 * through the proxy (SSH, IRC, a C2 channel). Requests are counted per
 * source, destination host, port and action: a denied attempt is evidence
 * too, and its finding says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "num.h"
#include "proxycheck.h"

int
pc_connect_event(struct proxycheck *pc, const struct pc_event *ev)
{
	struct slice parts[4];
	struct agg_entry *e;
	char pbuf[8];
	struct slice key;

	if (ev->method != PCM_CONNECT)
		return 0;
	if (ev->port < 0) {
		pc->no_port++;	/* a log without the port: nothing to judge */
		return 0;
	}
	if (pc_port_allowed(pc, ev->port))
		return 0;
	parts[0] = ev->src;
	parts[1] = ev->host;
	parts[2] = slice_make(pbuf, num_format_u64(pbuf, (uint64_t)ev->port));
	parts[3] = ev->action.n ? ev->action : slice_cstr("-");
	key = pc_key(pc, parts, 4);
	if (key.p == NULL || (e = agg_get_hashed(&pc->connects, key,
	    ev->h_connect ? ev->h_connect : agg_hash(key))) == NULL)
		return -1;
	return agg_add(e, ev->ts_ms, pc_sat_add(ev->out, ev->in),
	    ev->origin);
}

/* The allowed ports as text, ranges joined: "80, 443, 8000-8099". */
static void
allowed_text(const struct proxycheck *pc, char *buf, size_t cap)
{
	size_t n = 0;
	int p = 0, lo;

	buf[0] = '\0';
	while (p < 65536 && n + 16 < cap) {
		if (!pc_port_allowed(pc, p)) {
			p++;
			continue;
		}
		lo = p;
		while (p + 1 < 65536 && pc_port_allowed(pc, p + 1))
			p++;
		n += (size_t)snprintf(buf + n, cap - n, lo == p ? "%s%d" :
		    "%s%d-%d", n ? ", " : "", lo, p);
		p++;
	}
	if (n == 0)
		snprintf(buf, cap, "none");
	else if (p < 65536)
		snprintf(buf + n, cap - n, ", ...");
}

/* Appends n bytes of s to buf (cap bytes) at *at, as far as they fit. */
static void
append(char *buf, size_t cap, size_t *at, const char *s, size_t n)
{
	if (n > cap - 1 - *at)
		n = cap - 1 - *at;
	memcpy(buf + *at, s, n);
	*at += n;
	buf[*at] = '\0';
}

#define APPEND_LIT(buf, cap, at, lit) append(buf, cap, at, lit, \
	sizeof lit - 1)

/*
 * The reason of a finding of count requests to port, into why (cap
 * bytes): built without printf, which took most of the time spent
 * writing the tens of thousands of findings of a day's log.
 */
static void
reason(char *why, size_t cap, uint64_t count, uint64_t port,
    const char *allowed, int denied, int unknown)
{
	char num[24];
	size_t at = 0;

	why[0] = '\0';
	append(why, cap, &at, num, num_format_u64(num, count));
	APPEND_LIT(why, cap, &at, " CONNECT request");
	if (count != 1)
		APPEND_LIT(why, cap, &at, "s");
	APPEND_LIT(why, cap, &at, " to port ");
	append(why, cap, &at, num, num_format_u64(num, port));
	APPEND_LIT(why, cap, &at, ", not an allowed CONNECT port (");
	append(why, cap, &at, allowed, strlen(allowed));
	APPEND_LIT(why, cap, &at, "): a tunnel for another protocol (");
	if (denied)
		APPEND_LIT(why, cap, &at, "denied: an attempt");
	else if (unknown)
		APPEND_LIT(why, cap, &at, "outcome not logged");
	else
		APPEND_LIT(why, cap, &at, "allowed");
	APPEND_LIT(why, cap, &at, ")");
}

int
pc_connect_write(struct proxycheck *pc)
{
	struct agg_entry **v = agg_sorted(&pc->connects);
	char src[300], host[1100], dst[1200], origin[1100];
	char why[600], allowed[160];
	struct finding fd;
	size_t i;

	if (v == NULL)
		return -1;
	allowed_text(pc, allowed, sizeof allowed);
	for (i = 0; i < pc->connects.n; i++) {
		const struct agg_entry *e = v[i];
		struct slice action = agg_key_field(e, 3);
		struct slice h = agg_key_field(e, 1);
		uint64_t port = 0;
		int denied = slice_eq(action, "deny");
		int unknown = slice_eq(action, "-");

		(void)num_parse_u64(agg_key_field(e, 2), 65535, &port);
		pc_finding_init(&fd, e, PC_CONNECT);
		fd.severity = denied ? 2 : 3;
		fd.score = denied ? 0.5 : 0.8;
		fd.f[FD_SRC_IP] = finding_raw(agg_key_field(e, 0), src,
		    sizeof src);
		h = finding_raw(h, host, sizeof host);
		fd.f[FD_DST] = pc_host_port(dst, sizeof dst, h, (int)port);
		reason(why, sizeof why, e->count, port, allowed, denied,
		    unknown);
		fd.f[FD_REASON] = slice_cstr(why);
		fd.f[FD_STAGE] = slice_cstr("c2");
		fd.f[FD_ORIGIN] = finding_raw(slice_cstr(e->origin), origin,
		    sizeof origin);
		finding_write(pc->out, &fd, &pc->tc);
	}
	pc->nfindings[PC_CONNECT] = pc->connects.n;
	free(v);
	return 0;
}
