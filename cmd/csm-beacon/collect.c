/*
 * collect.c: csm-beacon's per-event work and the memory it fills. Each
 * proxy or firewall event from an internal host that is not a proxy is
 * filed under its (source, destination) pair: source and destination
 * names are interned once, the pair is found in an open-addressing table
 * of 32-bit indices, and the event's time and size are appended as one
 * 64-bit word to the pair's chain of chunks in a single word store (chunks
 * of 2, 4, ... 4096 words, so a pair of n events costs at most about 2n
 * words plus a header per chunk, and nothing is allocated per event).
 * Memory grows with pairs and their events up to max-timestamps words a
 * pair; past that a pair keeps a deterministic sample of its clock hours
 * (by a hash of the hour), so the result does not depend on the input
 * order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "beacon.h"
#include "detect.h"
#include "esc.h"
#include "num.h"

const char *const beacon_columns[BC_NCOLS] = {
	"log", "src_ip", "dst_host", "dst_ip", "dst_port", "bytes_out",
	"bytes_in", "format", "duration_ms", "origin"
};

#define CLOG_MAX 12		/* chunks of at most 4096 words */
#define QUARTER_MS 900000LL

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/*
 * Whether word w survives sampling level shift (always at level 0): the
 * clock hours are sampled, by a hash of the hour, not the connections,
 * since thinning single beats would turn a beacon into random arrivals
 * while a kept hour keeps every gap of it. Each level keeps half of the
 * hours of the one below, whatever the order the words came in.
 */
static int
kept(uint64_t w, unsigned shift)
{
	uint64_t hour = (w >> BEACON_SIZE_BITS) / 3600000;

	return shift == 0 || mix64(hour + 0x9e3779b97f4a7c15ULL) >>
	    (64 - shift) == 0;
}

/* The id of name s (created when new), or -1 when out of memory. */
static int64_t
intern(struct bc_names *nm, struct slice s, struct agg_entry **ep)
{
	struct agg_entry *e = agg_get(&nm->a, s);

	if (e == NULL)
		return -1;
	if (e->count == 0) {
		if (nm->n == nm->cap) {
			size_t cap = nm->cap ? nm->cap * 2 : 1024;
			struct agg_entry **v = realloc(nm->by_id,
			    cap * sizeof *v);

			if (v == NULL)
				return -1;
			nm->by_id = v;
			nm->cap = cap;
		}
		e->count = 1;
		e->flags = nm->n;
		nm->by_id[nm->n++] = e;
	}
	if (ep)
		*ep = e;
	return (int64_t)(e->flags & 0xffffffffu);
}

struct slice
bc_name(const struct bc_names *nm, uint32_t id)
{
	const struct agg_entry *e = nm->by_id[id];

	return slice_make(e->key, e->key_len);
}

/* A new chunk of 2^clog words (plus header) linked after prev. */
static int64_t
chunk_new(struct beacon *b, unsigned clog, uint32_t prev)
{
	size_t need = ((size_t)1 << clog) + 1, at;
	uint32_t f = b->free_chunk[clog];

	if (f != 0) {
		at = f - 1;
		b->free_chunk[clog] = (uint32_t)(b->w[at] & 0xffffffffu);
	} else {
		if (b->wlen + need > b->wcap) {
			size_t cap = b->wcap ? b->wcap * 2 : 1 << 16;
			uint64_t *w;

			while (cap < b->wlen + need)
				cap *= 2;
			if (cap > UINT32_MAX)
				return -1;	/* 32 GiB of words */
			if ((w = realloc(b->w, cap * sizeof *w)) == NULL)
				return -1;
			b->w = w;
			b->wcap = cap;
		}
		at = b->wlen;
		b->wlen += need;
	}
	b->w[at] = (uint64_t)clog << 32 | prev;
	return (int64_t)at;
}

/* Appends word w to p's chain; -1 when out of memory. */
static int
store(struct beacon *b, struct bc_pair *p, uint64_t w)
{
	int64_t at;

	if (p->chunk == 0 || p->used == 1u << p->clog) {
		unsigned clog = p->chunk == 0 ? 1 : p->clog < CLOG_MAX ?
		    p->clog + 1u : CLOG_MAX;

		if ((at = chunk_new(b, clog, p->chunk)) < 0)
			return -1;
		p->chunk = (uint32_t)at + 1;
		p->clog = (uint8_t)clog;
		p->used = 0;
	}
	b->w[p->chunk + p->used] = w;	/* chunk is header index + 1 */
	p->used++;
	p->stored++;
	return 0;
}

/* Copies p's words into b->tmp, unsorted; returns how many or -1. */
static int64_t
copy_words(struct beacon *b, const struct bc_pair *p)
{
	uint32_t c = p->chunk;
	size_t k = 0, used = p->used;

	if (b->tmp_cap < p->stored) {
		size_t cap = p->stored < 1024 ? 1024 : p->stored;
		uint64_t *t = realloc(b->tmp, cap * sizeof *t);

		if (t == NULL)
			return -1;
		b->tmp = t;
		b->tmp_cap = cap;
	}
	while (c != 0) {
		uint64_t hdr = b->w[c - 1];

		memcpy(b->tmp + k, b->w + c, used * sizeof *b->tmp);
		k += used;
		c = (uint32_t)(hdr & 0xffffffffu);
		if (c != 0)
			used = (size_t)1 << (b->w[c - 1] >> 32 & 0xff);
	}
	return (int64_t)k;
}

/* Adds k connections on local date day to p's day table. */
static int
daytab_add(struct beacon *b, struct bc_pair *p, int64_t day, uint32_t k)
{
	struct bc_daytab *d = &b->daytab[p->daytab - 1];
	size_t lead, n;
	uint32_t *c;

	if (d->n == 0) {
		if ((d->count = calloc(1, sizeof *d->count)) == NULL)
			return -1;
		d->first = day;
		d->n = 1;
	} else if (day < d->first || day >= d->first + (int64_t)d->n) {
		/* Grow to cover day, on whichever side it lies. */
		lead = day < d->first ? (size_t)(d->first - day) : 0;
		n = day < d->first ? d->n + lead : (size_t)(day - d->first) + 1;
		if ((c = calloc(n, sizeof *c)) == NULL)
			return -1;
		memcpy(c + lead, d->count, d->n * sizeof *c);
		free(d->count);
		d->count = c;
		d->n = n;
		d->first -= (int64_t)lead;
	}
	c = &d->count[day - d->first];
	*c = *c > UINT32_MAX - k ? UINT32_MAX : *c + k;
	return 0;
}

/* Starts p's day table from the words it holds (all of them so far). */
static int
daytab_start(struct beacon *b, struct bc_pair *p, size_t n)
{
	size_t i;

	if (b->ndaytab == b->daytab_cap) {
		size_t cap = b->daytab_cap ? b->daytab_cap * 2 : 16;
		struct bc_daytab *d = realloc(b->daytab, cap * sizeof *d);

		if (d == NULL)
			return -1;
		b->daytab = d;
		b->daytab_cap = cap;
	}
	memset(&b->daytab[b->ndaytab], 0, sizeof *b->daytab);
	p->daytab = (uint32_t)++b->ndaytab;
	for (i = 0; i < n; i++)
		if (daytab_add(b, p, bc_day(b->days, beacon_ts(b->tmp[i])),
		    1) != 0)
			return -1;
	return 0;
}

/*
 * Halves p's sample until it fits: the chunks go back to their free
 * lists and the words that survive the next level are stored again.
 */
static int
thin(struct beacon *b, struct bc_pair *p)
{
	int64_t n;
	size_t i, k;
	uint32_t c;

	while (p->stored > b->t.max_stored && p->shift < 63) {
		if ((n = copy_words(b, p)) < 0)
			return -1;
		if (p->daytab == 0 && daytab_start(b, p, (size_t)n) != 0)
			return -1;
		for (c = p->chunk; c != 0; ) {
			uint64_t hdr = b->w[c - 1];
			unsigned clog = (unsigned)(hdr >> 32 & 0xff);

			b->w[c - 1] = (uint64_t)clog << 32 |
			    b->free_chunk[clog];
			b->free_chunk[clog] = c;
			c = (uint32_t)(hdr & 0xffffffffu);
		}
		p->chunk = 0;
		p->stored = 0;
		p->used = 0;
		p->shift++;
		for (i = k = 0; i < (size_t)n; i++)
			if (kept(b->tmp[i], p->shift))
				b->tmp[k++] = b->tmp[i];
		for (i = 0; i < k; i++)
			if (store(b, p, b->tmp[i]) != 0)
				return -1;
	}
	return 0;
}

size_t
bc_gather(struct beacon *b, const struct bc_pair *p)
{
	int64_t n = copy_words(b, p);

	if (n < 0)
		return (size_t)-1;
	beacon_sort_words(b->tmp, (size_t)n);
	return (size_t)n;
}

/* The pair (src, dst), created when new; NULL when out of memory. */
static struct bc_pair *
pair_get(struct beacon *b, uint32_t src, uint32_t dst)
{
	uint64_t h = mix64(((uint64_t)src << 32 | dst) ^ b->seed);
	size_t i, mask;
	struct bc_pair *p;

	if (2 * (b->npair + 1) > b->nslot) {
		size_t n = b->nslot ? b->nslot * 2 : 4096, j;
		uint32_t *s = calloc(n, sizeof *s);

		if (s == NULL)
			return NULL;
		for (j = 0; j < b->npair; j++) {
			p = &b->pair[j];
			i = mix64(((uint64_t)p->src << 32 | p->dst) ^
			    b->seed) & (n - 1);
			while (s[i] != 0)
				i = (i + 1) & (n - 1);
			s[i] = (uint32_t)j + 1;
		}
		free(b->slot);
		b->slot = s;
		b->nslot = n;
	}
	mask = b->nslot - 1;
	for (i = h & mask; b->slot[i] != 0; i = (i + 1) & mask) {
		p = &b->pair[b->slot[i] - 1];
		if (p->src == src && p->dst == dst)
			return p;
	}
	if (b->npair == b->pair_cap) {
		size_t cap = b->pair_cap ? b->pair_cap * 2 : 4096;

		if (cap > UINT32_MAX - 1 ||
		    (p = realloc(b->pair, cap * sizeof *p)) == NULL)
			return NULL;
		b->pair = p;
		b->pair_cap = cap;
	}
	p = &b->pair[b->npair];
	memset(p, 0, sizeof *p);
	p->src = src;
	p->dst = dst;
	p->first_ms = INT64_MAX;
	p->last_ms = INT64_MIN;
	b->slot[i] = (uint32_t)++b->npair;
	return p;
}

/* Appends s to buf at *n, lower-cased (host names are case-blind). */
static void
put_lower(char *buf, size_t *n, size_t cap, struct slice s)
{
	size_t i;

	for (i = 0; i < s.n && *n < cap; i++) {
		char c = s.p[i];

		buf[(*n)++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') :
		    c;
	}
}

/* The destination's name for the pair mode; its length, 0 for none. */
static size_t
destination(const struct beacon *b, const struct evrow *row, int firewall,
    char *buf, size_t cap)
{
	struct slice host = evrow_get(row, BC_DST_HOST);
	struct slice ip = evrow_get(row, BC_DST_IP);
	struct slice port = evrow_get(row, BC_DST_PORT), name;
	enum bc_pair_mode mode = b->mode;
	size_t n = 0;
	int v6;

	if (mode == PAIR_AUTO)
		mode = firewall ? PAIR_IP_PORT : PAIR_HOST;
	if (mode == PAIR_IP || mode == PAIR_IP_PORT)
		name = ip.n ? ip : host;
	else
		name = host.n ? host : ip;
	if (name.n == 0 || name.n > cap - 16)
		return 0;
	if (mode != PAIR_HOST_PORT && mode != PAIR_IP_PORT)
		port.n = 0;
	v6 = port.n > 0 && memchr(name.p, ':', name.n) != NULL;
	if (v6)
		buf[n++] = '[';
	put_lower(buf, &n, cap, name);
	if (v6)
		buf[n++] = ']';
	if (port.n > 0 && port.n < 8) {
		buf[n++] = ':';
		memcpy(buf + n, port.p, port.n);
		n += port.n;
	}
	return n;
}

/* Whether the address text s is one of the proxies. */
static int
is_proxy_text(const struct beacon *b, struct slice s)
{
	struct ipaddr ip;

	return ip_parse(s, &ip) == 0 && config_is_proxy(b->cfg, &ip);
}

/*
 * Splits an origin "file:line" into its file and line; an origin of
 * another shape is all file, line 0.
 */
static struct slice
split_origin(struct slice o, uint64_t *line)
{
	size_t i;

	*line = 0;
	for (i = o.n; i > 0; i--)
		if (o.p[i - 1] == ':')
			break;
	if (i > 0 && num_parse_u64(slice_from(o, i), UINT64_MAX, line) == 0 &&
	    *line > 0)
		return slice_make(o.p, i - 1);
	*line = 0;
	return o;
}

/* Files origin o as pair p's; -1 when out of memory. */
static int
note_origin(struct beacon *b, struct bc_pair *p, struct slice o)
{
	uint64_t line;
	int64_t id = intern(&b->files, split_origin(o, &line), NULL);

	if (id < 0)
		return -1;
	p->ofile = (uint32_t)id + 1;
	p->oline = line;
	return 0;
}

/*
 * Whether origin o sorts before p's: of two events at the same instant
 * the smaller origin is kept, so that the input order does not matter.
 */
static int
origin_before(const struct beacon *b, const struct bc_pair *p,
    struct slice o)
{
	struct slice have, file;
	uint64_t line;
	int c;

	if (p->ofile == 0)
		return 1;
	have = bc_name(&b->files, p->ofile - 1);
	file = split_origin(o, &line);
	c = memcmp(file.p, have.p, file.n < have.n ? file.n : have.n);
	if (c == 0)
		c = (file.n > have.n) - (file.n < have.n);
	return c < 0 || (c == 0 && line < p->oline);
}

/* Marks the quarter hour of ts (ms since 2000) as holding data. */
static int
mark_quarter(struct beacon *b, int64_t rel_ms)
{
	size_t q = (size_t)(rel_ms / QUARTER_MS);

	if (q / 8 >= b->nquarters) {
		size_t n = b->nquarters ? b->nquarters : 4096;
		unsigned char *v;

		while (q / 8 >= n)
			n *= 2;
		if ((v = realloc(b->quarters, n)) == NULL)
			return -1;
		memset(v + b->nquarters, 0, n - b->nquarters);
		b->quarters = v;
		b->nquarters = n;
	}
	b->quarters[q / 8] |= (unsigned char)(1u << (q % 8));
	return 0;
}

static uint64_t
field_u64(struct slice s)
{
	uint64_t v;

	return num_parse_u64(s, UINT64_MAX, &v) == 0 ? v : 0;
}

/* Checks a new source once: address, internal, proxy. */
static void
check_source(struct beacon *b, struct agg_entry *e, struct slice s)
{
	struct ipaddr ip;

	e->flags |= BC_NAME_CHECKED;
	if (ip_parse(s, &ip) != 0)
		return;
	if (!config_is_internal(b->cfg, &ip))
		e->flags |= BC_NAME_OUTSIDE;
	else if (config_is_proxy(b->cfg, &ip))
		e->flags |= BC_NAME_PROXY;
	else
		e->flags |= BC_NAME_OK;
}

enum line_result
beacon_event(void *arg, struct evrow *row)
{
	struct beacon *b = arg;
	struct slice log = evrow_get(row, BC_LOG);
	struct slice src = evrow_get(row, BC_SRC_IP);
	struct slice out = evrow_get(row, BC_BYTES_OUT);
	struct agg_entry *se, *de;
	struct bc_pair *p;
	int64_t sid, did;
	uint64_t w, size, dur, bout, bin;
	int64_t ts = row->ts_ms;
	char key[1100], q[80];
	size_t n;
	int firewall;

	if (slice_eq(log, "proxy"))
		firewall = 0;
	else if (slice_eq(log, "firewall"))
		firewall = 1;
	else
		return LINE_SKIPPED;
	if (ts == INT64_MIN) {
		snprintf(row->reason, sizeof row->reason, "event has no time");
		return LINE_REJECTED;
	}
	/*
	 * Squid's native log stamps the end of a transaction: the beacon's
	 * timer started the request, duration_ms earlier (csm-events(5)).
	 */
	if (!firewall && slice_eq(evrow_get(row, BC_FORMAT), "squid") &&
	    (dur = field_u64(evrow_get(row, BC_DURATION))) > 0 &&
	    dur < (uint64_t)ts)
		ts -= (int64_t)dur;
	/* The request's size: what the client sent, else what it got. */
	bout = field_u64(out);
	bin = field_u64(evrow_get(row, BC_BYTES_IN));
	size = out.n > 0 ? bout : bin;
	if (beacon_pack(ts, size, &w) != 0) {
		snprintf(row->reason, sizeof row->reason, "time outside the "
		    "years 2000-2138");
		return LINE_REJECTED;
	}
	if (src.n == 0 || src.n > 64 || (sid = intern(&b->srcs, src,
	    &se)) < 0)
		goto bad_or_oom;
	if (!(se->flags & BC_NAME_CHECKED))
		check_source(b, se, src);
	if (!(se->flags & (BC_NAME_OK | BC_NAME_OUTSIDE | BC_NAME_PROXY)))
		goto bad_src;
	if (se->flags & BC_NAME_OUTSIDE) {
		b->outside++;
		return LINE_SKIPPED;
	}
	if (se->flags & BC_NAME_PROXY) {
		b->proxies++;
		return LINE_SKIPPED;
	}
	if ((n = destination(b, row, firewall, key, sizeof key)) == 0) {
		b->nodst++;
		return LINE_SKIPPED;
	}
	if ((did = intern(&b->dsts, slice_make(key, n), &de)) < 0)
		goto oom;
	if (!(de->flags & BC_NAME_CHECKED)) {
		de->flags |= BC_NAME_CHECKED;
		if (is_proxy_text(b, evrow_get(row, BC_DST_IP)))
			de->flags |= BC_NAME_PROXY;
	}
	/* Through the proxy is the proxy's business, not a pair. */
	if (firewall && (de->flags & BC_NAME_PROXY)) {
		b->to_proxy++;
		return LINE_SKIPPED;
	}
	if ((p = pair_get(b, (uint32_t)sid, (uint32_t)did)) == NULL)
		goto oom;
	if (p->n < UINT32_MAX)
		p->n++;
	p->bytes += bout + bin;
	if (ts < p->first_ms || (ts == p->first_ms &&
	    origin_before(b, p, evrow_get(row, BC_ORIGIN)))) {
		p->first_ms = ts;
		if (note_origin(b, p, evrow_get(row, BC_ORIGIN)) != 0)
			goto oom;
	}
	if (ts > p->last_ms)
		p->last_ms = ts;
	if (mark_quarter(b, ts - BEACON_EPOCH_MS) != 0)
		goto oom;
	if (p->daytab != 0 && daytab_add(b, p, bc_day(b->days, ts), 1) != 0)
		goto oom;
	if (kept(w, p->shift)) {
		if (store(b, p, w) != 0)
			goto oom;
		if (p->stored > b->t.max_stored) {
			if (p->shift == 0)
				b->sampled++;
			if (thin(b, p) != 0)
				goto oom;
		}
	}
	return LINE_USED;
bad_or_oom:
	if (src.n > 0 && src.n <= 64)
		goto oom;
bad_src:
	snprintf(row->reason, sizeof row->reason, "bad src_ip '%s'",
	    fmt_quote(q, sizeof q, src));
	return LINE_REJECTED;
oom:
	b->oom = 1;
	snprintf(row->reason, sizeof row->reason, "out of memory");
	return LINE_REJECTED;
}

static int
cmp_slice(struct slice x, struct slice y)
{
	int c = memcmp(x.p, y.p, x.n < y.n ? x.n : y.n);

	return c ? c : (x.n > y.n) - (x.n < y.n);
}

int
bc_pair_order(const struct beacon *b, const struct bc_pair *p,
    const struct bc_pair *q)
{
	int c = cmp_slice(bc_name(&b->srcs, p->src), bc_name(&b->srcs,
	    q->src));

	return c ? c : cmp_slice(bc_name(&b->dsts, p->dst),
	    bc_name(&b->dsts, q->dst));
}

struct slice
bc_origin(const struct beacon *b, const struct bc_pair *p, char *buf,
    size_t cap)
{
	struct slice f;
	size_t n;

	if (p->ofile == 0)
		return slice_make(buf, 0);
	f = bc_name(&b->files, p->ofile - 1);
	n = f.n < cap - 24 ? f.n : cap - 24;
	memcpy(buf, f.p, n);
	if (p->oline > 0) {
		buf[n++] = ':';
		n += num_format_u64(buf + n, p->oline);
	}
	return slice_make(buf, n);
}

int64_t *
bc_data_days(struct beacon *b, size_t *n)
{
	struct bc_days d;
	int64_t *v = NULL, day, last = INT64_MIN;
	size_t q, k = 0, cap = 0;

	bc_days_init(&d, b->cfg);
	for (q = 0; q < b->nquarters * 8; q++) {
		if (!(b->quarters[q / 8] & (1u << (q % 8))))
			continue;
		day = bc_day(&d, BEACON_EPOCH_MS + (int64_t)q * QUARTER_MS);
		if (day == last)
			continue;
		last = day;
		if (k == cap) {
			int64_t *t;

			cap = cap ? cap * 2 : 64;
			if ((t = realloc(v, cap * sizeof *t)) == NULL) {
				free(v);
				*n = SIZE_MAX;
				return NULL;
			}
			v = t;
		}
		v[k++] = day;
	}
	*n = k;
	return v;
}

void
bc_days_init(struct bc_days *d, const struct config *cfg)
{
	d->cfg = cfg;
	d->quarter = INT64_MIN;
	d->day = 0;
}

int64_t
bc_day(struct bc_days *d, int64_t ts_ms)
{
	int64_t q = ts_ms >= 0 ? ts_ms / QUARTER_MS : -1;
	struct config_local lt;

	/*
	 * Every zone's offset is a whole number of quarter hours, so a
	 * quarter hour of UTC lies within one local date.
	 */
	if (q != d->quarter) {
		config_local_time(d->cfg, q * (QUARTER_MS / 1000), &lt);
		d->quarter = q;
		d->day = lt.days;
	}
	return d->day;
}

size_t
bc_host_counts(struct beacon *b, uint32_t **per_dst)
{
	unsigned char *seen;
	size_t i, hosts = 0;
	uint32_t *c;

	*per_dst = NULL;
	c = calloc(b->dsts.n + 1, sizeof *c);
	seen = calloc(b->srcs.n + 1, 1);
	if (c == NULL || seen == NULL) {
		free(c);
		free(seen);
		return SIZE_MAX;
	}
	b->ndst = 0;
	for (i = 0; i < b->npair; i++) {
		if (c[b->pair[i].dst]++ == 0)
			b->ndst++;
		if (!seen[b->pair[i].src]) {
			seen[b->pair[i].src] = 1;
			hosts++;
		}
	}
	free(seen);
	*per_dst = c;
	return hosts;
}
