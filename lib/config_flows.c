/*
 * config_flows.c: the [flows] matrix of permitted traffic between
 * segments. Each key "FROM -> TO" (a segment name or '*') lists the
 * services permitted: "tcp/80,443 tcp/1024-65535 udp/53 icmp", "any", or
 * "none". Rules are sorted by (from, to) and each rule's services by
 * (protocol, first port), merged, so that a lookup is a few binary
 * searches. Whatever no rule permits is not permitted.
 */
#include <stdlib.h>
#include <string.h>
#include "config_impl.h"
#include "num.h"

#define P_ICMP 1
#define P_TCP 6
#define P_UDP 17
#define P_ICMP6 58
#define P_SCTP 132

static const struct {
	const char *name;
	int proto;
} protos[] = {
	{ "tcp", P_TCP }, { "udp", P_UDP }, { "sctp", P_SCTP },
	{ "icmp", P_ICMP }, { "icmp6", P_ICMP6 }, { "icmpv6", P_ICMP6 },
	{ "ipv6-icmp", P_ICMP6 }, { "igmp", 2 }, { "ipip", 4 },
	{ "gre", 47 }, { "esp", 50 }, { "ah", 51 }, { "ospf", 89 },
	{ "pim", 103 }, { "vrrp", 112 }, { "l2tp", 115 },
};

/* The protocol number of a name (any case) or of a decimal, or -1. */
static int
proto_number(struct slice s)
{
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof protos / sizeof protos[0]; i++)
		if (slice_eq_nocase(s, protos[i].name))
			return protos[i].proto;
	if (num_parse_u64(s, 255, &v) == 0)
		return (int)v;
	return -1;
}

static int
has_ports(int p)
{
	return p == P_TCP || p == P_UDP || p == P_SCTP;
}

static int
svc_cmp(const void *a, const void *b)
{
	const struct cfg_svc *x = a, *y = b;

	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Adds proto lo-hi to the rule's list. */
static int
svc_add(struct config *cfg, struct cfg_flow *f, size_t *cap, int proto,
    int lo, int hi)
{
	f->svc = cfg_grow(cfg, f->svc, f->nsvc, cap, sizeof *f->svc);
	if (f->svc == NULL)
		return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	f->svc[f->nsvc].proto = proto;
	f->svc[f->nsvc].lo = lo;
	f->svc[f->nsvc].hi = hi;
	f->nsvc++;
	return 0;
}

/* "80", "1024-65535": 0, or -1 with the message set. */
static int
port_range(struct config *cfg, struct slice s, uint64_t line, int *lo,
    int *hi)
{
	long dash = slice_find(s, '-');
	uint64_t a, b;

	if (dash < 0) {
		if (num_parse_u64(s, 65535, &a) != 0)
			return cfg_fail(cfg, line, "bad port '%s'",
			    cfg_q(cfg, s));
		*lo = *hi = (int)a;
		return 0;
	}
	if (num_parse_u64(slice_make(s.p, (size_t)dash), 65535, &a) != 0 ||
	    num_parse_u64(slice_from(s, (size_t)dash + 1), 65535, &b) != 0 ||
	    a > b)
		return cfg_fail(cfg, line, "bad port range '%s'",
		    cfg_q(cfg, s));
	*lo = (int)a;
	*hi = (int)b;
	return 0;
}

/* One word of services: any, none, PROTO or PROTO/PORTS. */
static int
service(struct config *cfg, struct cfg_flow *f, size_t *cap,
    struct slice w, uint64_t line)
{
	long slash = slice_find(w, '/');
	struct slice name = slash < 0 ? w : slice_make(w.p, (size_t)slash);
	struct slice ports, item;
	int p, lo = 0, hi = 0;

	if (slash < 0 && slice_eq_nocase(w, "any")) {
		f->any = 1;
		return 0;
	}
	if (slash < 0 && slice_eq_nocase(w, "none"))
		return 0;
	p = proto_number(name);
	if (p < 0 || (name.n > 0 && name.p[0] >= '0' && name.p[0] <= '9'))
		return cfg_fail(cfg, line, "unknown protocol '%s'",
		    cfg_q(cfg, name));
	if (slash < 0) {
		if (p == P_ICMP && svc_add(cfg, f, cap, P_ICMP6, 0, 65535) != 0)
			return -1;
		return svc_add(cfg, f, cap, p, 0, 65535);
	}
	if (!has_ports(p))
		return cfg_fail(cfg, line, "protocol '%s' has no ports: '%s'",
		    cfg_q(cfg, name), cfg_q(cfg, w));
	ports = slice_from(w, (size_t)slash + 1);
	if (ports.n == 0)
		return cfg_fail(cfg, line, "no port after '%s'",
		    cfg_q(cfg, w));
	while (ports.n > 0) {
		long comma = slice_find(ports, ',');
		item = comma < 0 ? ports : slice_make(ports.p, (size_t)comma);
		ports = comma < 0 ? slice_make(ports.p + ports.n, 0) :
		    slice_from(ports, (size_t)comma + 1);
		if (port_range(cfg, item, line, &lo, &hi) != 0 ||
		    svc_add(cfg, f, cap, p, lo, hi) != 0)
			return -1;
		if (comma >= 0 && ports.n == 0)
			return cfg_fail(cfg, line, "bad port list '%s'",
			    cfg_q(cfg, w));
	}
	return 0;
}

/*
 * Parses the services of a rule. White space next to ',', '/' or '-' is
 * dropped first, so "tcp/80, 443" reads as "tcp/80,443".
 */
static int
services(struct config *cfg, struct cfg_flow *f, struct slice value,
    uint64_t line)
{
	char *buf = cfg_alloc(cfg, value.n + 1);
	size_t i, n = 0, cap = 0, o;
	struct slice rest, w;

	if (buf == NULL)
		return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	for (i = 0; i < value.n; i++) {
		char c = value.p[i];
		if (c == ' ' || c == '\t') {
			size_t j = i;
			while (j < value.n && (value.p[j] == ' ' ||
			    value.p[j] == '\t'))
				j++;
			if ((n > 0 && strchr(",/-", buf[n - 1]) != NULL) ||
			    (j < value.n && strchr(",/-", value.p[j]) != NULL)) {
				i = j - 1;
				continue;
			}
		}
		buf[n++] = c;
	}
	rest = slice_make(buf, n);
	while ((w = slice_next_word(&rest)).n > 0)
		if (service(cfg, f, &cap, w, line) != 0)
			return -1;
	if (f->nsvc > 1)
		qsort(f->svc, f->nsvc, sizeof *f->svc, svc_cmp);
	/* Merge overlapping and touching ranges of one protocol. */
	for (i = 0, o = 0; i < f->nsvc; i++) {
		if (o > 0 && f->svc[o - 1].proto == f->svc[i].proto &&
		    f->svc[i].lo <= f->svc[o - 1].hi + 1) {
			if (f->svc[i].hi > f->svc[o - 1].hi)
				f->svc[o - 1].hi = f->svc[i].hi;
			continue;
		}
		f->svc[o++] = f->svc[i];
	}
	f->nsvc = o;
	return 0;
}

static int
endpoint_valid(struct slice s)
{
	return slice_eq(s, "*") || cfg_name_valid(s);
}

int
cfg_flow_apply(struct config *cfg, struct slice key, struct slice value,
    uint64_t line)
{
	struct slice from, to;
	struct cfg_flow nf, *f = NULL;
	size_t i;
	long arrow = -1;

	for (i = 0; i + 1 < key.n; i++)
		if (key.p[i] == '-' && key.p[i + 1] == '>') {
			arrow = (long)i;
			break;
		}
	if (arrow < 0)
		return cfg_fail(cfg, line, "bad flow '%s': expected 'FROM -> "
		    "TO = services'", cfg_q(cfg, key));
	from = slice_trim(slice_make(key.p, (size_t)arrow));
	to = slice_trim(slice_from(key, (size_t)arrow + 2));
	if (!endpoint_valid(from) || !endpoint_valid(to))
		return cfg_fail(cfg, line, "bad flow '%s': expected 'FROM -> "
		    "TO' with segment names or '*'", cfg_q(cfg, key));
	memset(&nf, 0, sizeof nf);
	nf.line = line;
	if ((nf.from = cfg_strdup(cfg, from)) == NULL ||
	    (nf.to = cfg_strdup(cfg, to)) == NULL)
		return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	if (services(cfg, &nf, value, line) != 0)
		return -1;
	for (i = 0; i < cfg->nflow; i++)
		if (slice_eq(from, cfg->flow[i].from) &&
		    slice_eq(to, cfg->flow[i].to))
			f = &cfg->flow[i];
	if (f != NULL && line != CFG_CMDLINE && f->line != CFG_CMDLINE)
		return cfg_fail(cfg, line, "flow '%s -> %s' given twice (first "
		    "at line %llu)", cfg_q(cfg, from), cfg_q(cfg, to),
		    (unsigned long long)f->line);
	if (f == NULL) {
		cfg->flow = cfg_grow(cfg, cfg->flow, cfg->nflow,
		    &cfg->flow_cap, sizeof *cfg->flow);
		if (cfg->flow == NULL)
			return cfg_fail(cfg, CFG_NOLINE, "out of memory");
		f = &cfg->flow[cfg->nflow++];
	}
	*f = nf;
	return 0;
}

static int
flow_cmp(const void *a, const void *b)
{
	const struct cfg_flow *x = a, *y = b;

	if (x->fi != y->fi)
		return x->fi < y->fi ? -1 : 1;
	return x->ti < y->ti ? -1 : x->ti > y->ti;
}

/* A rule endpoint's index: CFG_ANY for '*', or -1 (message set). */
static int
resolve(struct config *cfg, const char *name, uint64_t line, int *idx)
{
	if (strcmp(name, "*") == 0) {
		*idx = CFG_ANY;
		return 0;
	}
	if ((*idx = cfg_segment_lookup(cfg, slice_cstr(name))) < 0)
		return cfg_fail(cfg, line, "unknown segment '%s' in [flows]",
		    cfg_qs(cfg, name));
	return 0;
}

int
cfg_flow_finish(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nflow; i++) {
		struct cfg_flow *f = &cfg->flow[i];
		if (resolve(cfg, f->from, f->line, &f->fi) != 0 ||
		    resolve(cfg, f->to, f->line, &f->ti) != 0)
			return -1;
	}
	if (cfg->nflow > 1)
		qsort(cfg->flow, cfg->nflow, sizeof *cfg->flow, flow_cmp);
	return 0;
}

static const struct cfg_flow *
rule(const struct config *cfg, int fi, int ti)
{
	size_t lo = 0, hi = cfg->nflow;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct cfg_flow *f = &cfg->flow[mid];
		if (f->fi == fi && f->ti == ti)
			return f;
		if (f->fi < fi || (f->fi == fi && f->ti < ti))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Whether rule f permits protocol p (or -1) to port (or -1). */
static int
permits(const struct cfg_flow *f, int p, int port)
{
	size_t lo = 0, hi = f->nsvc;
	int want = has_ports(p) && port >= 0 ? port : 0;

	if (f->any)
		return 1;
	if (p < 0)
		return 0;
	/* The last range at or before (p, want). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct cfg_svc *s = &f->svc[mid];
		if (s->proto < p || (s->proto == p && s->lo <= want))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || f->svc[lo - 1].proto != p)
		return 0;
	if (has_ports(p) && port < 0)
		return f->svc[lo - 1].lo == 0 && f->svc[lo - 1].hi == 65535;
	return f->svc[lo - 1].hi >= want;
}

int
config_flow_permitted(const struct config *cfg, int from, int to,
    struct slice proto, int port)
{
	int p = proto_number(proto), fs[2], ts[2], nf = 0, nt = 0, i, j;
	const struct cfg_flow *f;

	if (from >= 0)
		fs[nf++] = from;
	fs[nf++] = CFG_ANY;
	if (to >= 0)
		ts[nt++] = to;
	ts[nt++] = CFG_ANY;
	if (port > 65535)
		port = -1;
	for (i = 0; i < nf; i++)
		for (j = 0; j < nt; j++)
			if ((f = rule(cfg, fs[i], ts[j])) != NULL &&
			    permits(f, p, port))
				return 1;
	return 0;
}
