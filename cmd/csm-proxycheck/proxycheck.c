/*
 * proxycheck.c: csm-proxycheck's shared per-event work. Each proxy event
 * from an internal client that is not itself a proxy, its columns checked
 * once by the preparation (prep.c: address, port, byte counts), is handed
 * to each rule that runs: connect-port (connect.c), user-agent
 * (useragent.c) and large-upload (upload.c). Also the [proxycheck] table,
 * the parsing of its list values, and the helpers the rules share for
 * keys and findings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "esc.h"
#include "num.h"
#include "proxycheck.h"

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
	/* Without its memory the preparation only does more work. */
	(void)pc_memo_new(pc);
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
	pc_memo_free(pc);
}

struct slice
pc_join(char **buf, size_t *cap, const struct slice *parts, int n)
{
	size_t need = 0, k = 0;
	int i;

	for (i = 0; i < n; i++)
		need += parts[i].n + 1;
	if (need > *cap) {
		size_t c = need < 4096 ? 4096 : need * 2;
		char *p = realloc(*buf, c);

		if (p == NULL)
			return slice_make(NULL, 0);
		*buf = p;
		*cap = c;
	}
	for (i = 0; i < n; i++) {
		if (i)
			(*buf)[k++] = '\t';
		if (parts[i].n)
			memcpy(*buf + k, parts[i].p, parts[i].n);
		k += parts[i].n;
	}
	return slice_make(*buf, k);
}

struct slice
pc_key(struct proxycheck *pc, const struct slice *parts, int n)
{
	return pc_join(&pc->key, &pc->key_cap, parts, n);
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

/*
 * The index of the event's format in pc->fmt (the last one when full);
 * *exact says whether that one is called name.
 */
static int
format_index(struct proxycheck *pc, struct slice name, int *exact)
{
	struct pc_format *f;
	int i;

	*exact = 1;
	if (name.n >= sizeof pc->fmt[0].name)
		name.n = sizeof pc->fmt[0].name - 1;
	/* Events of one format come in runs: try the last one first. */
	if (pc->last_fmt >= 0 && name.n == (f = &pc->fmt[pc->last_fmt])->len &&
	    memcmp(name.p, f->name, name.n) == 0)
		return pc->last_fmt;
	for (i = 0; i < pc->nfmt; i++)
		if (slice_eq(name, pc->fmt[i].name))
			return pc->last_fmt = i;
	if (pc->nfmt == PC_MAX_FORMATS) {
		*exact = 0;
		return pc->last_fmt = PC_MAX_FORMATS - 1;
	}
	f = &pc->fmt[pc->nfmt];
	memcpy(f->name, name.p, name.n);
	f->name[name.n] = '\0';
	/* A NUL the stream should not hold ends the name kept. */
	f->len = strlen(f->name);
	*exact = f->len == name.n;
	return pc->last_fmt = pc->nfmt++;
}

/* Rejects row for its bad column col; always LINE_REJECTED. */
static enum line_result
bad_column(struct evrow *row, int col)
{
	char q[80];

	snprintf(row->reason, sizeof row->reason, "bad %s '%s'",
	    proxycheck_columns[col], diag_quote(q, sizeof q,
	    evrow_get(row, col)));
	return LINE_REJECTED;
}

struct slice
pc_host_key(struct slice h, char *buf, size_t cap)
{
	size_t i;

	/*
	 * Host names are case-blind and a trailing dot names the same host,
	 * so "EXFIL.example." must not start a stream of its own beside
	 * "exfil.example". A name longer than cap is kept as it is.
	 */
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

struct slice
pc_event_host(const struct evrow *row, uint64_t w, char *buf, size_t cap)
{
	struct slice h = evrow_get(row, PC_DST_HOST);

	if (h.n == 0)
		h = evrow_get(row, PC_DST_IP);
	if (w & PCF_UPPER)
		return pc_host_key(h, buf, cap);
	while (h.n > 1 && h.p[h.n - 1] == '.')
		h.n--;
	return h;
}

/*
 * The work on one event that needs the check's tables; what depends on
 * the event alone the preparation did (prep.c), in the reading thread.
 */
enum line_result
proxycheck_event(void *arg, struct evrow *row)
{
	struct proxycheck *pc = arg;
	const uint64_t *aux = row->aux;
	uint64_t mine[EVROW_AUX], w;
	struct pc_event ev;
	char q[80], host[PC_HOST_KEY_MAX];
	int r, exact;

	if (aux == NULL) {
		pc_prep_row(pc, NULL, row, mine);
		aux = mine;
	}
	w = aux[PCX_KIND];
	switch ((enum pc_kind)(w & 0xff)) {
	case PCK_SKIP:
		return LINE_SKIPPED;
	case PCK_NO_TIME:
		snprintf(row->reason, sizeof row->reason, "event has no time");
		return LINE_REJECTED;
	case PCK_BAD_SRC:
		snprintf(row->reason, sizeof row->reason, "bad src_ip '%s'",
		    diag_quote(q, sizeof q, evrow_get(row, PC_SRC_IP)));
		return LINE_REJECTED;
	case PCK_BAD_PORT:
		return bad_column(row, PC_DST_PORT);
	case PCK_BAD_OUT:
		return bad_column(row, PC_BYTES_OUT);
	case PCK_BAD_IN:
		return bad_column(row, PC_BYTES_IN);
	/*
	 * The check is about the organisation's own clients: a web server's
	 * visitors send whatever they like, and a proxy's own requests
	 * repeat its clients'.
	 */
	case PCK_OUTSIDE:
		pc->outside++;
		return LINE_SKIPPED;
	case PCK_PROXY:
		pc->proxies++;
		return LINE_SKIPPED;
	case PCK_CHECK:
		break;
	}
	ev.src = evrow_get(row, PC_SRC_IP);
	ev.ts_ms = row->ts_ms;
	ev.port = w & PCF_PORT ? (int)(w >> PCX_PORT_SHIFT & 0xffff) : -1;
	ev.has_out = (w & PCF_OUT) != 0;
	ev.out = aux[PCX_OUT];
	ev.in = aux[PCX_IN];
	ev.method = (enum pc_method)(w >> PCX_METHOD_SHIFT & 3);
	ev.deny = (w & PCF_DENY) != 0;
	ev.ambiguous = (w & PCF_AMBIGUOUS) != 0;
	ev.host = pc_event_host(row, w, host, sizeof host);
	ev.action = evrow_get(row, PC_ACTION);
	ev.ua = evrow_get(row, PC_USER_AGENT);
	ev.origin = evrow_get(row, PC_ORIGIN);
	ev.fmt = format_index(pc, evrow_get(row, PC_FORMAT), &exact);
	ev.h_connect = aux[PCX_H_CONNECT];
	ev.h_upload = aux[PCX_H_UPLOAD];
	ev.h_bucket = aux[PCX_H_BUCKET];
	ev.h_ua = aux[PCX_H_UA];
	/* A format past the last kept is keyed by that one's name. */
	ev.h_ua_pair = exact ? aux[PCX_H_UA_PAIR] : 0;
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
