/*
 * prep.c: csm-proxycheck's work on each event that depends on the event
 * alone, done in evstream's reading thread (evstream.h) so that the
 * check's thread keeps only what needs its tables: whether the event is
 * checked at all (its source, internal or not), its numbers, its method,
 * and the hashes of the keys each rule will look up. And the look-ahead
 * that prefetches, rows in advance, what those keys will touch: the
 * tables of a day's traffic are far larger than the caches, and the check
 * spent most of its time waiting on them.
 */
#include <stdlib.h>
#include <string.h>
#include "extra.h"
#include "ipaddr.h"
#include "num.h"
#include "proxycheck.h"
#include "srcmemo.h"

/*
 * What the preparation remembers: a day's events come from a few hundred
 * sources, and parsing each one's address and placing it in the site's
 * networks were much of the work. Only the thread that runs the
 * preparation touches it, and one thread at a time does (evread's).
 */
struct pc_memo {
	struct src_memo src;
	char *key;			/* scratch for the keys hashed */
	size_t key_cap;
};

int
pc_memo_new(struct proxycheck *pc)
{
	return (pc->memo = calloc(1, sizeof *pc->memo)) == NULL ? -1 : 0;
}

void
pc_memo_free(struct proxycheck *pc)
{
	if (pc->memo != NULL)
		free(pc->memo->key);
	free(pc->memo);
	pc->memo = NULL;
}

/*
 * What the source at text s is to the check: PCK_BAD_SRC, PCK_OUTSIDE,
 * PCK_PROXY, or PCK_CHECK for an internal client.
 */
static enum pc_kind
source_kind(const struct proxycheck *pc, struct pc_memo *memo, struct slice s)
{
	static const enum pc_kind kind[] = {
		[SRC_BAD] = PCK_BAD_SRC, [SRC_OUTSIDE] = PCK_OUTSIDE,
		[SRC_PROXY] = PCK_PROXY, [SRC_INTERNAL] = PCK_CHECK
	};
	struct ipaddr ip;

	return kind[src_classify(pc->cfg, memo ? &memo->src : NULL, s, &ip)];
}

int
pc_parse_u64(struct slice s, uint64_t max, uint64_t *v)
{
#ifdef NUM_DIGITS8
	uint64_t x;
	int64_t d;

	if (s.n > 0 && s.n <= 8) {
		memcpy(&x, s.p, 8);
		/* The bytes past the field become leading zeros. */
		if (s.n < 8)
			x = x << (8 * (8 - s.n)) |
			    0x3030303030303030ULL >> (8 * s.n);
		if ((d = num_digits8(x)) < 0 || (uint64_t)d > max)
			return -1;
		*v = (uint64_t)d;
		return 0;
	}
#endif
	return num_parse_u64(s, max, v);
}

/*
 * Parses an optional number column into *v (0 when empty); -1: bad.
 * There are three on every event.
 */
static int
number(const struct evrow *row, int col, uint64_t max, uint64_t *v,
    int *has)
{
	struct slice s = evrow_get(row, col);

	*has = s.n > 0;
	*v = 0;
	return s.n == 0 || pc_parse_u64(s, max, v) == 0 ? 0 : -1;
}

/* Whether m is the method lit (upper-case letters), ignoring case. */
static int
method_is(struct slice m, const char *lit, size_t n)
{
	size_t i;

	if (m.n != n)
		return 0;
	for (i = 0; i < n; i++)
		if (((unsigned char)m.p[i] | 0x20) != (lit[i] | 0x20))
			return 0;
	return 1;
}

static enum pc_method
method_kind(struct slice m)
{
	if (m.n == 0)
		return PCM_NONE;
	if (method_is(m, "CONNECT", 7))
		return PCM_CONNECT;
	if (method_is(m, "POST", 4) || method_is(m, "PUT", 3))
		return PCM_BODY;
	return PCM_OTHER;
}

/*
 * Whether the extra column says ambiguous=1 (extra_is_ambiguous): one of
 * its pairs must begin so, and that seldom is, so that is looked for
 * first, from each 'a' that begins a pair.
 */
static int
ambiguous(struct slice extra)
{
	const char *p = extra.p, *end = extra.p + extra.n;

	for (; (p = memchr(p, 'a', (size_t)(end - p))) != NULL; p++)
		if ((p == extra.p || p[-1] == ';') && end - p >= 11 &&
		    memcmp(p, "ambiguous=1", 11) == 0)
			return extra_is_ambiguous(extra);
	return 0;
}

#define ONES 0x0101010101010101ULL

/*
 * Whether host h holds an upper-case letter (pc_host_key folds it):
 * eight bytes at a time, each tested for 'A' <= b <= 'Z' in its own
 * seven bits (no carry crosses into the next byte) and for b < 0x80.
 */
static int
has_upper(struct slice h)
{
	uint64_t x, lo;
	size_t i;

	for (i = 0; i + 8 <= h.n; i += 8) {
		memcpy(&x, h.p + i, 8);
		lo = x & ONES * 0x7f;
		if ((ONES * (127 + 'Z' + 1) - lo) & ~x &
		    (lo + ONES * (127 - ('A' - 1))) & ONES * 0x80)
			return 1;
	}
	for (; i < h.n; i++)
		if (h.p[i] >= 'A' && h.p[i] <= 'Z')
			return 1;
	return 0;
}

/* agg_hash of the n parts joined by TABs; 0 (not worked out): no memory. */
static uint64_t
key_hash(struct pc_memo *memo, const struct slice *parts, int n)
{
	struct slice key = pc_join(&memo->key, &memo->key_cap, parts, n);

	return key.p == NULL ? 0 : agg_hash(key);
}

/*
 * The hashes of the keys the rules will look up for an event to check,
 * as each rule builds its key (connect.c, useragent.c, upload.c).
 */
static void
key_hashes(const struct proxycheck *pc, struct pc_memo *memo,
    const struct evrow *row, uint64_t w, uint64_t *aux)
{
	enum pc_method m = (enum pc_method)(w >> PCX_METHOD_SHIFT & 3);
	int port = w & PCF_PORT ? (int)(w >> PCX_PORT_SHIFT & 0xffff) : -1;
	char hbuf[PC_HOST_KEY_MAX], pbuf[8];
	struct slice parts[4], ua, fmt;

	parts[0] = evrow_get(row, PC_SRC_IP);
	parts[1] = pc_event_host(row, w, hbuf, sizeof hbuf);
	if (!pc->learn && (pc->rules & 1u << PC_CONNECT) &&
	    m == PCM_CONNECT && port >= 0 && !pc_port_allowed(pc, port)) {
		parts[2] = slice_make(pbuf, num_format_u64(pbuf,
		    (uint64_t)port));
		parts[3] = evrow_get(row, PC_ACTION);
		if (parts[3].n == 0)
			parts[3] = slice_cstr("-");
		aux[PCX_H_CONNECT] = key_hash(memo, parts, 4);
	}
	if (!pc->learn && (pc->rules & 1u << PC_UPLOAD) && !(w & PCF_DENY) &&
	    (m == PCM_CONNECT || (m == PCM_BODY && (w & PCF_OUT)))) {
		aux[PCX_H_UPLOAD] = key_hash(memo, parts, 2);
		if (aux[PCX_H_UPLOAD] != 0)
			aux[PCX_H_BUCKET] = pc_bucket_hash(aux[PCX_H_UPLOAD],
			    pc_upload_half(pc, row->ts_ms));
	}
	if ((pc->learn || (pc->rules & 1u << PC_UA)) && m != PCM_NONE) {
		ua = evrow_get(row, PC_USER_AGENT);
		aux[PCX_H_UA] = agg_hash(ua);
		/* The format's name as pc->fmt keeps it: cut to fit. */
		fmt = evrow_get(row, PC_FORMAT);
		if (fmt.n >= sizeof pc->fmt[0].name)
			fmt.n = sizeof pc->fmt[0].name - 1;
		parts[1] = parts[0];
		parts[0] = ua;
		parts[2] = fmt;
		parts[3] = slice_cstr("ambiguous");
		aux[PCX_H_UA_PAIR] = key_hash(memo, parts, ua.n > 0 ? 2 :
		    (w & PCF_AMBIGUOUS) ? 4 : 3);
	}
}

void
pc_prep_row(const struct proxycheck *pc, struct pc_memo *memo,
    const struct evrow *row, uint64_t *aux)
{
	struct slice host;
	enum pc_kind k;
	uint64_t port, w = 0;
	int has;

	memset(aux, 0, EVROW_AUX * sizeof *aux);
	if (!slice_eq(evrow_get(row, PC_LOG), "proxy")) {
		aux[PCX_KIND] = PCK_SKIP;
		return;
	}
	if (row->ts_ms == INT64_MIN) {
		aux[PCX_KIND] = PCK_NO_TIME;
		return;
	}
	/* In the order the reasons for a rejection are given. */
	if ((k = source_kind(pc, memo, evrow_get(row, PC_SRC_IP))) ==
	    PCK_BAD_SRC) {
		aux[PCX_KIND] = k;
		return;
	}
	if (number(row, PC_DST_PORT, 65535, &port, &has) != 0) {
		aux[PCX_KIND] = PCK_BAD_PORT;
		return;
	}
	if (has)
		w |= PCF_PORT | port << PCX_PORT_SHIFT;
	if (number(row, PC_BYTES_OUT, UINT64_MAX, &aux[PCX_OUT], &has) != 0) {
		aux[PCX_KIND] = PCK_BAD_OUT;
		return;
	}
	if (has)
		w |= PCF_OUT;
	if (number(row, PC_BYTES_IN, UINT64_MAX, &aux[PCX_IN], &has) != 0) {
		aux[PCX_KIND] = PCK_BAD_IN;
		return;
	}
	if (k != PCK_CHECK) {
		aux[PCX_KIND] = k;
		return;
	}
	w |= (uint64_t)method_kind(evrow_get(row, PC_METHOD)) <<
	    PCX_METHOD_SHIFT;
	if (slice_eq(evrow_get(row, PC_ACTION), "deny"))
		w |= PCF_DENY;
	/* Only an empty User-Agent can be one left empty: read it then. */
	if (evrow_get(row, PC_USER_AGENT).n == 0 &&
	    ambiguous(evrow_get(row, PC_EXTRA)))
		w |= PCF_AMBIGUOUS;
	host = evrow_get(row, PC_DST_HOST);
	if (host.n == 0)
		host = evrow_get(row, PC_DST_IP);
	if (has_upper(host))
		w |= PCF_UPPER;
	aux[PCX_KIND] = w | PCK_CHECK;
	if (memo != NULL)
		key_hashes(pc, memo, row, w, aux);
}

void
proxycheck_prep(const void *arg, const struct evrow *row, uint64_t *aux)
{
	const struct proxycheck *pc = arg;

	pc_prep_row(pc, pc->memo, row, aux);
}

/*
 * A table of fewer entries stays in cache (a day's User-Agents, often):
 * prefetching for it would only cost the instructions.
 */
#define AHEAD_MIN_ENTRIES 2048

void
proxycheck_ahead(void *arg, const uint64_t *aux)
{
	struct proxycheck *pc = arg;
	struct pc_uploads *up = &pc->up;
	/* The tables by hash (PCX_H_CONNECT + i); the bucket index apart. */
	const struct agg *t[PC_NHASH] = {
		&pc->connects, &up->pairs, NULL, &pc->uas, &pc->pairs
	};
	uint64_t *h = pc->ahead[pc->ahead_pos];
	const uint64_t *back = pc->ahead[(pc->ahead_pos + PC_AHEAD -
	    PC_STEP) % PC_AHEAD];
	int i, check = (aux[PCX_KIND] & 0xff) == PCK_CHECK;

	/* By now the slots of the row PC_STEP rows back are in cache. */
	for (i = 0; i < PC_NHASH; i++)
		if (back[i] != 0 && t[i] != NULL)
			agg_prefetch_entry(t[i], back[i]);
	if (back[2] != 0 && up->scap > 0) {
		uint32_t b = up->slot[back[2] & (up->scap - 1)];

		if (b != 0) {
			__builtin_prefetch(&up->b[b - 1]);
			__builtin_prefetch((const char *)&up->b[b] - 1);
		}
	}
	for (i = 0; i < PC_NHASH; i++) {
		h[i] = check ? aux[PCX_H_CONNECT + i] : 0;
		if (h[i] == 0)
			continue;
		if (t[i] == NULL && up->scap > 0)
			__builtin_prefetch(&up->slot[h[i] & (up->scap - 1)]);
		else if (t[i] != NULL && t[i]->n >= AHEAD_MIN_ENTRIES)
			agg_prefetch_slot(t[i], h[i]);
		else
			h[i] = 0;
	}
	pc->ahead_pos = (pc->ahead_pos + 1) % PC_AHEAD;
}
