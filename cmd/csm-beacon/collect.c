/*
 * collect.c: csm-beacon's per-event work. Each proxy or firewall event
 * from an internal host that is not a proxy is filed under its (source,
 * destination) pair (pairs.c): source and destination names are interned
 * once. The work is split between evstream's two threads: beacon_prep,
 * in the reading thread, does what depends on the event alone (its
 * numbers, its pair's hash, where its destination is); beacon_event looks
 * the pair up (and, for a new pair, the names), after beacon_ahead has
 * prefetched its slot, the pair, its next word and its destination's
 * text in the events before.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "beacon.h"
#include "detect.h"
#include "diag.h"
#include "esc.h"
#include "fieldscan.h"
#include "num.h"

const char *const beacon_columns[BC_NCOLS] = {
	"log", "src_ip", "dst_host", "dst_ip", "dst_port", "bytes_out",
	"bytes_in", "format", "duration_ms", "origin"
};

#define QUARTER_MS 900000LL

/*
 * Appends s to buf at *n, lower-cased (host names are case-blind); the
 * caller leaves room. Copied whole, then mended only when it has a capital
 * (rare): this runs twice for each firewall event.
 */
static void
put_lower(char *buf, size_t *n, struct slice s)
{
	char *d = buf + *n;
	size_t i;

	memcpy(d, s.p, s.n);
	if (fieldscan_kinds(s.p, s.n) & FIELDSCAN_UPPER)
		for (i = 0; i < s.n; i++)
			if (d[i] >= 'A' && d[i] <= 'Z')
				d[i] = (char)(d[i] - 'A' + 'a');
	*n += s.n;
}

/*
 * The destination's name for the pair mode, and its port (or nothing).
 * Each column is read only when the mode needs it: this runs for every
 * event.
 */
static struct slice
destination_parts(const struct beacon *b, const struct evrow *row,
    int firewall, struct slice *port)
{
	enum bc_pair_mode mode = b->mode;
	struct slice name;

	if (mode == PAIR_AUTO)
		mode = firewall ? PAIR_IP_PORT : PAIR_HOST;
	if (mode == PAIR_HOST_PORT || mode == PAIR_IP_PORT)
		*port = evrow_get(row, BC_DST_PORT);
	else
		*port = slice_make(row->f[0].p, 0);
	if (mode == PAIR_IP || mode == PAIR_IP_PORT) {
		name = evrow_get(row, BC_DST_IP);
		if (name.n == 0)
			name = evrow_get(row, BC_DST_HOST);
	} else {
		name = evrow_get(row, BC_DST_HOST);
		if (name.n == 0)
			name = evrow_get(row, BC_DST_IP);
	}
	/* "c2.example." is c2.example: alternating must not split a pair. */
	while (name.n > 1 && name.p[name.n - 1] == '.')
		name.n--;
	return name;
}

/* The destination's name for the pair mode; its length, 0 for none. */
static size_t
destination(const struct beacon *b, const struct evrow *row, int firewall,
    char *buf, size_t cap)
{
	struct slice port, name = destination_parts(b, row, firewall, &port);
	size_t n = 0;
	int v6;

	if (name.n == 0 || name.n > cap - 16)
		return 0;
	v6 = port.n > 0 && memchr(name.p, ':', name.n) != NULL;
	if (v6)
		buf[n++] = '[';
	put_lower(buf, &n, name);
	if (v6)
		buf[n++] = ']';
	if (port.n > 0 && port.n < 8) {
		buf[n++] = ':';
		memcpy(buf + n, port.p, port.n);
		n += port.n;
	}
	return n;
}

/*
 * Whether destination() would give the name field itself (no port, no
 * capital letter): the common case, where the key need not be built.
 */
static int
key_is_name(struct slice name, struct slice port)
{
	return port.n == 0 && name.n > 0 && name.n <= BC_KEY_MAX - 16 &&
	    !(fieldscan_kinds(name.p, name.n) & FIELDSCAN_UPPER);
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
	struct slice file = split_origin(o, &line);
	int64_t id;

	/*
	 * Nearly always the file of the one before: a pair's first event
	 * is noted about three times in a day of random order.
	 */
	if (b->last_file != 0 && bc_name_is(&b->files, b->last_file - 1,
	    file))
		id = b->last_file - 1;
	else if ((id = bc_names_intern(&b->files, file, agg_hash(file),
	    NULL)) < 0)
		return -1;
	b->last_file = (uint32_t)id + 1;
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

/* What beacon_prep makes of a record: aux[BCX_KIND]. */
enum bc_kind {
	BCK_SKIP,		/* neither proxy nor firewall */
	BCK_NO_TIME, BCK_BAD_TIME, BCK_BAD_SRC,		/* rejected */
	BCK_PROXY, BCK_FIREWALL
};

/*
 * aux[BCX_KIND] also says when the key is the name field as it is, which
 * is then at aux[BCX_DST_TEXT], its length in bits 16-31; and for an
 * event to file, the length of its source (at aux[BCX_SRC_TEXT]) in bits
 * 32-39. The check's thread then reads neither from the row's fields.
 */
#define BCK_MASK 0xff
#define BCK_KEY_IS_NAME 0x100
#define BCK_LEN_SHIFT 16
#define BCK_LEN_MASK 0xffff
#define BCK_SRC_SHIFT 32

/* The words of aux. The event's time is in its word (beacon_ts). */
enum {
	BCX_KIND, BCX_WORD, BCX_BYTES, BCX_PAIR_HASH, BCX_DST_TEXT,
	BCX_SRC_TEXT
};

void
beacon_prep(const void *arg, const struct evrow *row, uint64_t *aux)
{
	const struct beacon *b = arg;
	struct slice log = evrow_get(row, BC_LOG);
	struct slice src = evrow_get(row, BC_SRC_IP);
	struct slice out = evrow_get(row, BC_BYTES_OUT);
	struct slice name, port;
	uint64_t dur, bout, bin;
	int64_t ts = row->ts_ms;
	char key[BC_KEY_MAX];
	size_t n;
	int firewall;

	if (slice_eq(log, "proxy"))
		firewall = 0;
	else if (slice_eq(log, "firewall"))
		firewall = 1;
	else {
		aux[BCX_KIND] = BCK_SKIP;
		return;
	}
	if (ts == INT64_MIN) {
		aux[BCX_KIND] = BCK_NO_TIME;
		return;
	}
	/*
	 * Squid's native log stamps the end of a transaction: the beacon's
	 * timer started the request, duration_ms earlier (csm-events(5)).
	 */
	if (!firewall && slice_eq(evrow_get(row, BC_FORMAT), "squid") &&
	    (dur = num_field_u64_padded(evrow_get(row, BC_DURATION))) > 0 &&
	    dur < (uint64_t)ts)
		ts -= (int64_t)dur;
	/* The request's size: what the client sent, else what it got. */
	bout = num_field_u64_padded(out);
	bin = num_field_u64_padded(evrow_get(row, BC_BYTES_IN));
	if (beacon_pack(ts, out.n > 0 ? bout : bin, &aux[BCX_WORD]) != 0) {
		aux[BCX_KIND] = BCK_BAD_TIME;
		return;
	}
	if (src.n == 0 || src.n > BC_SRC_MAX) {
		aux[BCX_KIND] = BCK_BAD_SRC;
		return;
	}
	aux[BCX_KIND] = (firewall ? BCK_FIREWALL : BCK_PROXY) |
	    (uint64_t)src.n << BCK_SRC_SHIFT;
	aux[BCX_SRC_TEXT] = (uint64_t)(uintptr_t)src.p;
	aux[BCX_BYTES] = bout + bin;
	name = destination_parts(b, row, firewall, &port);
	if (key_is_name(name, port)) {
		aux[BCX_KIND] |= BCK_KEY_IS_NAME | (uint64_t)name.n <<
		    BCK_LEN_SHIFT;
		aux[BCX_DST_TEXT] = (uint64_t)(uintptr_t)name.p;
	} else {
		n = destination(b, row, firewall, key, sizeof key);
		name = slice_make(key, n);
	}
	aux[BCX_PAIR_HASH] = bc_pair_hash(src, name);
}

/*
 * Four steps, BC_STEP rows apart, so that what the check touches for a
 * pair seen before is in cache when the row comes: the slot of the row's
 * pair; the pair; the destination's text entry and the pair's next word;
 * the destination's text. Each reads only what the step before fetched.
 * In a day's log in time order the pairs come in no order at all, and
 * each of these was a wait for memory.
 */
#define BC_STEP (BC_AHEAD / 4)

/*
 * Below this many pairs (8 MiB of them) only the slot is prefetched: the
 * rest is mostly in cache, and the other steps cost a tenth of the CPU
 * for a day of 68,000 pairs in time order (scripts/bench-beacon).
 */
#define AHEAD_DEEP_PAIRS (1u << 17)

static struct bc_ahead *
ahead_back(struct beacon *b, unsigned steps)
{
	return &b->ahead[(b->ahead_pos + BC_AHEAD - steps * BC_STEP) %
	    BC_AHEAD];
}

/* The pair hash h's slot holds, when its tag matches: its index + 1. */
static uint32_t
slot_pair(const struct beacon *b, uint64_t h)
{
	uint64_t s = b->slot[(h >> 32) & (b->nslot - 1)];

	return s != 0 && s >> 32 == h >> 32 ? (uint32_t)s : 0;
}

void
beacon_ahead(void *arg, const uint64_t *aux)
{
	struct beacon *b = arg;
	struct bc_ahead *r;
	const struct bc_pair *p;
	uint64_t kind = aux[BCX_KIND] & BCK_MASK;

	if (b->nslot == 0)
		return;
	if (b->npair < AHEAD_DEEP_PAIRS)
		goto slot;
	if ((r = ahead_back(b, 3))->pair != 0) {
		p = &b->pair[r->pair - 1];
		__builtin_prefetch(b->dsts.arena + b->dsts.text[p->dst].off);
	}
	if ((r = ahead_back(b, 2))->pair != 0) {
		p = &b->pair[r->pair - 1];
		__builtin_prefetch(&b->dsts.text[p->dst]);
		if (p->chunk != 0)
			__builtin_prefetch(&b->w[p->chunk + p->used], 1);
	}
	if ((r = ahead_back(b, 1))->hash != 0 &&
	    (r->pair = slot_pair(b, r->hash)) != 0)
		__builtin_prefetch(&b->pair[r->pair - 1]);
slot:
	r = &b->ahead[b->ahead_pos];
	r->hash = kind == BCK_PROXY || kind == BCK_FIREWALL ?
	    aux[BCX_PAIR_HASH] : 0;
	r->pair = 0;
	if (r->hash != 0)
		__builtin_prefetch(&b->slot[(r->hash >> 32) & (b->nslot - 1)]);
	b->ahead_pos = (b->ahead_pos + 1) % BC_AHEAD;
}

/*
 * Through the proxy is the proxy's business, not a pair: counted, left.
 * The destination's entry is read only for a firewall event: for a proxy
 * event in a day of a million pairs it was a wait for memory.
 */
static int
through_proxy(struct beacon *b, uint32_t did, int firewall)
{
	if (!firewall || !(b->dsts.by_id[did]->flags & BC_NAME_PROXY))
		return 0;
	b->to_proxy++;
	return 1;
}

enum line_result
beacon_event(void *arg, struct evrow *row)
{
	struct beacon *b = arg;
	struct slice src, dkey;
	const uint64_t *aux = row->aux;
	uint64_t mine[EVROW_AUX], w, h;
	struct agg_entry *se, *de;
	struct bc_pair *p;
	int64_t sid, did, ts;
	char key[BC_KEY_MAX + EVROW_SLACK], q[80];	/* read as a field */
	int firewall;

	if (aux == NULL) {
		beacon_prep(b, row, mine);
		aux = mine;
	}
	switch (aux[BCX_KIND] & BCK_MASK) {
	case BCK_PROXY:
	case BCK_FIREWALL:
		break;
	case BCK_NO_TIME:
		snprintf(row->reason, sizeof row->reason, "event has no time");
		return LINE_REJECTED;
	case BCK_BAD_TIME:
		snprintf(row->reason, sizeof row->reason, "time outside the "
		    "years 2000-2138");
		return LINE_REJECTED;
	case BCK_BAD_SRC:
		goto bad_src;
	default:
		return LINE_SKIPPED;
	}
	firewall = (aux[BCX_KIND] & BCK_MASK) == BCK_FIREWALL;
	src = slice_make((const char *)(uintptr_t)aux[BCX_SRC_TEXT],
	    (size_t)(aux[BCX_KIND] >> BCK_SRC_SHIFT & 0xff));
	w = aux[BCX_WORD];
	ts = beacon_ts(w);
	h = aux[BCX_PAIR_HASH];
	/*
	 * A pair seen before: its source passed the checks then, and its
	 * destination was checked; only the names' texts are compared.
	 */
	if (aux[BCX_KIND] & BCK_KEY_IS_NAME)
		dkey = slice_make((const char *)(uintptr_t)aux[BCX_DST_TEXT],
		    (size_t)(aux[BCX_KIND] >> BCK_LEN_SHIFT & BCK_LEN_MASK));
	else if ((dkey.n = destination(b, row, firewall, key,
	    BC_KEY_MAX)) > 0) {
		dkey.p = key;
		memset(key + dkey.n, 0, EVROW_SLACK);	/* read by bc_name_is */
	}
	if (dkey.n > 0 && (p = bc_pair_find(b, h, src, dkey)) != NULL) {
		if (through_proxy(b, p->dst, firewall))
			return LINE_SKIPPED;
		goto seen;
	}
	/* A pair not seen before: its names are looked up by their own hashes. */
	if ((sid = bc_names_intern(&b->srcs, src, agg_hash(src), &se)) < 0)
		goto oom;
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
	if (dkey.n == 0) {
		b->nodst++;
		return LINE_SKIPPED;
	}
	if ((did = bc_names_intern(&b->dsts, dkey, agg_hash(dkey), &de)) < 0)
		goto oom;
	if (!(de->flags & BC_NAME_CHECKED)) {
		de->flags |= BC_NAME_CHECKED;
		if (is_proxy_text(b, evrow_get(row, BC_DST_IP)))
			de->flags |= BC_NAME_PROXY;
	}
	if (through_proxy(b, (uint32_t)did, firewall))
		return LINE_SKIPPED;
	/* Not found above with these names: the pair is new. */
	if ((p = bc_pair_new(b, (uint32_t)sid, (uint32_t)did, h)) == NULL)
		goto oom;
seen:
	if (p->n < UINT32_MAX)
		p->n++;
	p->bytes += aux[BCX_BYTES];
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
	if (bc_pair_count_day(b, p, ts) != 0 || bc_pair_add(b, p, w) != 0)
		goto oom;
	return LINE_USED;
bad_src:
	snprintf(row->reason, sizeof row->reason, "bad src_ip '%s'",
	    diag_quote(q, sizeof q, evrow_get(row, BC_SRC_IP)));
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
		/* The bits run from 2000: years of empty bytes to pass. */
		if (q % 8 == 0 && b->quarters[q / 8] == 0) {
			q += 7;
			continue;
		}
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
	size_t i;

	d->cfg = cfg;
	for (i = 0; i < BC_DAYS_CACHE; i++)
		d->quarter[i] = INT64_MIN;
}

int64_t
bc_day(struct bc_days *d, int64_t ts_ms)
{
	int64_t q = ts_ms >= 0 ? ts_ms / QUARTER_MS : -1;
	size_t slot = (size_t)q % BC_DAYS_CACHE;
	struct config_local lt;

	/*
	 * Every zone's offset is a whole number of quarter hours, so a
	 * quarter hour of UTC lies within one local date.
	 */
	if (q != d->quarter[slot]) {
		config_local_time(d->cfg, q * (QUARTER_MS / 1000), &lt);
		d->quarter[slot] = q;
		d->day[slot] = lt.days;
	}
	return d->day[slot];
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
