/*
 * proxycheck.c: csm-proxycheck's shared per-event work. Each proxy event
 * from an internal client that is not itself a proxy has its columns
 * checked once (address, port, byte counts) and is handed to each rule
 * that runs: connect-port (connect.c), user-agent (useragent.c) and
 * large-upload (upload.c). Also the [proxycheck] table, the parsing of
 * its list values, and the helpers the rules share for keys and findings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "esc.h"
#include "ipaddr.h"
#include "extra.h"
#include "num.h"
#include "proxycheck.h"

#define HOST_KEY_MAX 512	/* longest host name lower-cased */

const char *const proxycheck_columns[PC_NCOLS] = {
	"log", "src_ip", "format", "dst_host", "dst_ip", "dst_port", "action",
	"method", "bytes_out", "bytes_in", "ua", "origin", "extra"
};

const char *const proxycheck_rule_names[PC_NRULES] = {
	"connect-port", "user-agent", "large-upload"
};

static const char *const default_rules[] = {
	"connect-port", "user-agent", "large-upload"
};
static const char *const default_ports[] = { "80", "443" };

void
proxycheck_keys(struct pc_tunables *t, struct config_key *k)
{
	memset(t, 0, sizeof *t);
	t->rules.v = default_rules;
	t->rules.n = PC_NRULES;
	t->ports.v = default_ports;
	t->ports.n = 2;
	t->rare_hosts = 2;
	t->min_org_hosts = 20;
	t->window_s = 3600;
	t->upload_mb = 50;
	t->factor = 10;
	t->baseline_windows = 4;
	k[0] = (struct config_key){ "rules", CONFIG_LIST, &t->rules, 0, 0 };
	k[1] = (struct config_key){ "connect-ports", CONFIG_LIST, &t->ports,
	    0, 0 };
	k[2] = (struct config_key){ "rare-hosts", CONFIG_UINT, &t->rare_hosts,
	    1, 1000000 };
	k[3] = (struct config_key){ "min-org-hosts", CONFIG_UINT,
	    &t->min_org_hosts, 1, 100000000 };
	k[4] = (struct config_key){ "upload-window", CONFIG_DURATION,
	    &t->window_s, 60, 7 * 86400 };
	k[5] = (struct config_key){ "upload-mb", CONFIG_UINT, &t->upload_mb,
	    0, 100000000 };
	k[6] = (struct config_key){ "upload-factor", CONFIG_UINT, &t->factor,
	    1, 1000000 };
	k[7] = (struct config_key){ "baseline-windows", CONFIG_UINT,
	    &t->baseline_windows, 2, 1000000 };
}

/* A port or a range "a-b" of connect-ports into the bitmap. */
static int
add_ports(struct proxycheck *pc, struct slice s)
{
	const char *dash = memchr(s.p, '-', s.n);
	uint64_t lo, hi, p;

	if (dash == NULL) {
		if (num_parse_u64(s, 65535, &lo) != 0)
			return -1;
		hi = lo;
	} else if (num_parse_u64(slice_make(s.p, (size_t)(dash - s.p)),
	    65535, &lo) != 0 || num_parse_u64(slice_make(dash + 1,
	    s.n - (size_t)(dash + 1 - s.p)), 65535, &hi) != 0 || hi < lo)
		return -1;
	for (p = lo; p <= hi; p++)
		pc->port_ok[p / 8] |= (unsigned char)(1u << (p % 8));
	return 0;
}

int
proxycheck_setup(struct proxycheck *pc, char *err, size_t errcap)
{
	char q[80], at[CONFIG_WHERE_MAX];
	size_t i;
	int r;

	pc->rules = 0;
	for (i = 0; i < pc->t.rules.n; i++) {
		struct slice s = slice_cstr(pc->t.rules.v[i]);

		for (r = 0; r < PC_NRULES; r++)
			if (slice_eq(s, proxycheck_rule_names[r]))
				break;
		if (r == PC_NRULES) {
			snprintf(err, errcap, "%sunknown rule '%s' in "
			    "[proxycheck] rules (connect-port, user-agent, "
			    "large-upload)", config_key_where(pc->cfg,
			    &pc->t.rules, at, sizeof at),
			    diag_quote(q, sizeof q, s));
			return -1;
		}
		pc->rules |= 1u << r;
	}
	if (pc->rules == 0) {
		snprintf(err, errcap, "%sno rule left to run in [proxycheck] "
		    "rules", config_key_where(pc->cfg, &pc->t.rules, at,
		    sizeof at));
		return -1;
	}
	memset(pc->port_ok, 0, sizeof pc->port_ok);
	for (i = 0; i < pc->t.ports.n; i++) {
		struct slice s = slice_cstr(pc->t.ports.v[i]);

		if (add_ports(pc, s) != 0) {
			snprintf(err, errcap, "%sbad port '%s' in [proxycheck] "
			    "connect-ports (a number up to 65535, or a range "
			    "such as 8000-8099)", config_key_where(pc->cfg,
			    &pc->t.ports, at, sizeof at),
			    diag_quote(q, sizeof q, s));
			return -1;
		}
	}
	agg_init(&pc->connects);
	agg_init(&pc->uas);
	agg_init(&pc->pairs);
	agg_init(&pc->hosts);
	pc_upload_init(&pc->up);
	listfile_init(&pc->list);
	pc->last_fmt = -1;
	return 0;
}

void
proxycheck_release(struct proxycheck *pc)
{
	size_t i;

	agg_release(&pc->connects);
	agg_release(&pc->uas);
	agg_release(&pc->pairs);
	agg_release(&pc->hosts);
	pc_upload_release(&pc->up);
	listfile_release(&pc->list);
	free(pc->exact);
	free(pc->patterns);
	for (i = 0; i < pc->npair_dst; i++)
		free(pc->pair_dst[i]);
	free(pc->pair_dst);
	free(pc->key);
}

struct slice
pc_key(struct proxycheck *pc, const struct slice *parts, int n)
{
	size_t need = 0, k = 0;
	int i;

	for (i = 0; i < n; i++)
		need += parts[i].n + 1;
	if (need > pc->key_cap) {
		size_t cap = need < 4096 ? 4096 : need * 2;
		char *p = realloc(pc->key, cap);

		if (p == NULL)
			return slice_make(NULL, 0);
		pc->key = p;
		pc->key_cap = cap;
	}
	for (i = 0; i < n; i++) {
		if (i)
			pc->key[k++] = '\t';
		if (parts[i].n)
			memcpy(pc->key + k, parts[i].p, parts[i].n);
		k += parts[i].n;
	}
	return slice_make(pc->key, k);
}

struct slice
pc_raw(struct slice s, char *buf, size_t cap)
{
	size_t n;

	if (s.n > cap)
		s.n = cap;
	/* Never longer than s: said again for the compiler's bounds. */
	n = esc_unescape(buf, s);
	return slice_make(buf, n < s.n ? n : s.n);
}

struct slice
pc_host_port(char *buf, size_t cap, struct slice host, int port)
{
	int v6 = port >= 0 && memchr(host.p, ':', host.n) != NULL;
	size_t n = 0;

	if (host.n + 10 > cap)
		host.n = cap - 10;
	if (v6)
		buf[n++] = '[';
	memcpy(buf + n, host.p, host.n);
	n += host.n;
	if (v6)
		buf[n++] = ']';
	if (port >= 0) {
		buf[n++] = ':';
		n += num_format_u64(buf + n, (uint64_t)port);
	}
	return slice_make(buf, n);
}

void
pc_finding_init(struct finding *fd, const struct agg_entry *e,
    enum pc_rule rule)
{
	static const char *const clause[PC_NRULES] = {
		"19.1.2 proxy-2", "19.1.2 proxy-3", "19.1.2 proxy-6"
	};

	memset(fd, 0, sizeof *fd);
	fd->f[FD_CHECK] = slice_cstr("proxycheck");
	fd->f[FD_RULE] = slice_cstr(proxycheck_rule_names[rule]);
	fd->f[FD_CLAUSE] = slice_cstr(clause[rule]);
	if (e != NULL) {
		fd->ts_ms = e->first_ms;
		fd->ts_last_ms = e->last_ms;
		fd->count = e->count;
		fd->bytes = e->bytes;
	}
}

/* The index of the event's format in pc->fmt (the last one when full). */
static int
format_index(struct proxycheck *pc, struct slice name)
{
	struct pc_format *f;
	int i;

	if (name.n >= sizeof pc->fmt[0].name)
		name.n = sizeof pc->fmt[0].name - 1;
	/* Events of one format come in runs: try the last one first. */
	if (pc->last_fmt >= 0 && slice_eq(name, pc->fmt[pc->last_fmt].name))
		return pc->last_fmt;
	for (i = 0; i < pc->nfmt; i++)
		if (slice_eq(name, pc->fmt[i].name))
			return pc->last_fmt = i;
	if (pc->nfmt == PC_MAX_FORMATS)
		return pc->last_fmt = PC_MAX_FORMATS - 1;
	f = &pc->fmt[pc->nfmt];
	memcpy(f->name, name.p, name.n);
	f->name[name.n] = '\0';
	return pc->last_fmt = pc->nfmt++;
}

/* Parses an optional number column; -1 (with the reason) when bad. */
static int
number(struct evrow *row, int col, uint64_t max, uint64_t *v, int *has)
{
	struct slice s = evrow_get(row, col);
	char q[80];

	*has = s.n > 0;
	*v = 0;
	if (s.n == 0 || num_parse_u64(s, max, v) == 0)
		return 0;
	snprintf(row->reason, sizeof row->reason, "bad %s '%s'",
	    proxycheck_columns[col], diag_quote(q, sizeof q, s));
	return -1;
}

/*
 * A destination as the rules key it: host names are case-blind and a
 * trailing dot names the same host, so "EXFIL.example." must not start a
 * stream of its own beside "exfil.example". Lower-cased into buf when
 * needed (cap bytes); a longer name is kept as it is.
 */
static struct slice
host_key(struct slice h, char *buf, size_t cap)
{
	size_t i;

	while (h.n > 1 && h.p[h.n - 1] == '.')
		h.n--;
	for (i = 0; i < h.n && !(h.p[i] >= 'A' && h.p[i] <= 'Z'); i++)
		;
	if (i == h.n || h.n > cap)
		return h;
	for (i = 0; i < h.n; i++)
		buf[i] = h.p[i] >= 'A' && h.p[i] <= 'Z' ?
		    (char)(h.p[i] - 'A' + 'a') : h.p[i];
	return slice_make(buf, h.n);
}

enum line_result
proxycheck_event(void *arg, struct evrow *row)
{
	struct proxycheck *pc = arg;
	struct pc_event ev;
	struct ipaddr sip;
	uint64_t port;
	char q[80], host[HOST_KEY_MAX];
	int has, r;

	if (!slice_eq(evrow_get(row, PC_LOG), "proxy"))
		return LINE_SKIPPED;
	if (row->ts_ms == INT64_MIN) {
		snprintf(row->reason, sizeof row->reason, "event has no time");
		return LINE_REJECTED;
	}
	memset(&ev, 0, sizeof ev);
	ev.src = evrow_get(row, PC_SRC_IP);
	if (ev.src.n == 0 || ip_parse(ev.src, &sip) != 0) {
		snprintf(row->reason, sizeof row->reason, "bad src_ip '%s'",
		    diag_quote(q, sizeof q, ev.src));
		return LINE_REJECTED;
	}
	if (number(row, PC_DST_PORT, 65535, &port, &has) != 0 ||
	    number(row, PC_BYTES_OUT, UINT64_MAX, &ev.out, &ev.has_out) != 0 ||
	    number(row, PC_BYTES_IN, UINT64_MAX, &ev.in, &r) != 0)
		return LINE_REJECTED;
	ev.port = has ? (int)port : -1;
	/*
	 * The check is about the organisation's own clients: a web server's
	 * visitors send whatever they like, and a proxy's own requests
	 * repeat its clients'.
	 */
	if (!config_is_internal(pc->cfg, &sip)) {
		pc->outside++;
		return LINE_SKIPPED;
	}
	if (config_is_proxy(pc->cfg, &sip)) {
		pc->proxies++;
		return LINE_SKIPPED;
	}
	ev.ts_ms = row->ts_ms;
	ev.host = evrow_get(row, PC_DST_HOST);
	if (ev.host.n == 0)
		ev.host = evrow_get(row, PC_DST_IP);
	ev.host = host_key(ev.host, host, sizeof host);
	ev.method = evrow_get(row, PC_METHOD);
	ev.action = evrow_get(row, PC_ACTION);
	ev.ua = evrow_get(row, PC_USER_AGENT);
	ev.origin = evrow_get(row, PC_ORIGIN);
	/* Only an empty User-Agent can be one left empty: read it then. */
	ev.ambiguous = ev.ua.n == 0 &&
	    extra_is_ambiguous(evrow_get(row, PC_EXTRA));
	ev.fmt = format_index(pc, evrow_get(row, PC_FORMAT));
	if (pc->learn)
		r = pc_ua_event(pc, &ev);
	else
		r = ((pc->rules & 1u << PC_CONNECT) &&
		    pc_connect_event(pc, &ev) != 0) ||
		    ((pc->rules & 1u << PC_UA) && pc_ua_event(pc, &ev) != 0) ||
		    ((pc->rules & 1u << PC_UPLOAD) &&
		    pc_upload_event(pc, &ev) != 0);
	if (r != 0) {
		pc->oom = 1;
		snprintf(row->reason, sizeof row->reason, "out of memory");
		return LINE_REJECTED;
	}
	return LINE_USED;
}

int
proxycheck_write(struct proxycheck *pc)
{
	if (pc->learn)
		return pc_ua_learn(pc);
	finding_write_header(pc->out);
	if ((pc->rules & 1u << PC_CONNECT) && pc_connect_write(pc) != 0)
		return -1;
	if ((pc->rules & 1u << PC_UA) && pc_ua_write(pc) != 0)
		return -1;
	if ((pc->rules & 1u << PC_UPLOAD) && pc_upload_write(pc) != 0)
		return -1;
	return 0;
}
