/*
 * detect.h: what csm-beacon's main.c hands to the detector: the [beacon]
 * tunables, the pair store that collect.c fills event by event, and the
 * analysis (score.c, daily.c) that turns it into findings at the end.
 */
#ifndef CSM_BEACON_DETECT_H
#define CSM_BEACON_DETECT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "agg.h"
#include "config.h"
#include "evstream.h"
#include "ipaddr.h"
#include "outbuf.h"
#include "timeconv.h"

/* The event columns the check reads, in evstream want order. */
enum bc_col {
	BC_LOG, BC_SRC_IP, BC_DST_HOST, BC_DST_IP, BC_DST_PORT, BC_BYTES_OUT,
	BC_BYTES_IN, BC_FORMAT, BC_DURATION, BC_ORIGIN, BC_NCOLS
};
extern const char *const beacon_columns[BC_NCOLS];
#define BC_NREQUIRED (BC_SRC_IP + 1)	/* log and src_ip must exist */

/* How a destination is named (--pair). */
enum bc_pair_mode {
	PAIR_AUTO,		/* proxy: host; firewall: address:port */
	PAIR_HOST,		/* host name, else address */
	PAIR_HOST_PORT,		/* host name or address, and port */
	PAIR_IP,		/* address, else host name */
	PAIR_IP_PORT		/* address or host name, and port */
};

/* The [beacon] keys and their defaults. */
struct bc_tunables {
	uint64_t min_events;		/* min-events */
	uint64_t min_period;		/* min-period, seconds */
	uint64_t max_period;		/* max-period, seconds */
	uint64_t burst_ms;		/* burst-ms */
	uint64_t min_score;		/* min-score, percent */
	uint64_t max_share;		/* max-share, percent of hosts */
	uint64_t prevalence_hosts;	/* prevalence-hosts */
	uint64_t max_stored;		/* max-timestamps */
	const char *pair;		/* pair */
	struct config_strv allow;	/* allow */
	struct config_strv allow_files;	/* allow-files */
	uint64_t daily_hosts;		/* daily-hosts */
	uint64_t daily_share;		/* daily-share, percent of days */
	uint64_t daily_days;		/* daily-days */
};

#define BC_NKEYS 14

/* Fills t with the defaults and k[BC_NKEYS] with the [beacon] table. */
void beacon_keys(struct bc_tunables *t, struct config_key *k);

/*
 * One (source, destination) pair. Its connections are stored as packed
 * words (lib/beacon.h) in a chain of chunks of the word store, newest
 * chunk first; past max-timestamps words only those of the clock hours
 * whose hash falls in the top 1/2^shift are kept, a choice that depends
 * on the words alone, never on their order.
 */
struct bc_pair {
	int64_t first_ms, last_ms;
	uint64_t bytes;			/* over every event */
	uint64_t oline;			/* origin line; 0: none */
	uint32_t src, dst;		/* name ids */
	uint32_t n;			/* events (saturating) */
	uint32_t stored;		/* words kept */
	uint32_t chunk;			/* newest chunk: its index + 1 */
	uint32_t ofile;			/* origin file id + 1; 0: none */
	uint32_t daytab;		/* sampled: its day table + 1 */
	uint16_t used;			/* words in the newest chunk */
	uint8_t clog;			/* its capacity: 2^clog words */
	uint8_t shift;			/* sampling level */
};

_Static_assert(sizeof(struct bc_pair) == 64, "a pair is one cache line");

/*
 * A sampled pair's exact connections per local date, kept from the moment
 * sampling starts (the daily view and the days a pair was seen must not
 * depend on which hours the sample kept).
 */
struct bc_daytab {
	int64_t first;			/* the date of count[0] */
	uint32_t *count;
	size_t n;
};

/* Interned names: sources, destinations, origin files (names.c). */
struct bc_text {
	uint32_t off, len;		/* in the arena */
};
struct bc_names {
	struct agg a;			/* flags: id | BC_NAME_* bits */
	struct agg_entry **by_id;
	struct bc_text *text;		/* by id */
	char *arena;			/* the texts, padded at the end */
	size_t arena_len, arena_cap;
	size_t n, cap;
};

/*
 * The id of name s of hash h (agg_hash), created when new, or -1 when out
 * of memory; *ep (when ep is not NULL) gets its table entry.
 */
int64_t bc_names_intern(struct bc_names *nm, struct slice s, uint64_t h,
    struct agg_entry **ep);

void bc_names_release(struct bc_names *nm);

#define BC_NAME_CHECKED (1ULL << 32)	/* the bits below are known */
#define BC_NAME_OK (1ULL << 33)		/* a source to count */
#define BC_NAME_PROXY (1ULL << 34)	/* a proxy's address */
#define BC_NAME_OUTSIDE (1ULL << 35)	/* not an internal address */

struct bc_allow {
	char **dom;			/* lower case, no "*.", sorted */
	size_t ndom, domcap;
	struct cidr_set nets;
	size_t n;
};

/* Words of one pair, gathered for a look at them all; grows as needed. */
struct bc_words {
	uint64_t *v;
	size_t cap;
};

/*
 * The look-ahead's ring (collect.c), a row's entry for each of the last
 * EVROW_AHEAD rows it saw: its pair's hash (0: a row not filed), then the
 * pair (its index + 1) once found.
 */
#define BC_AHEAD EVROW_AHEAD
struct bc_ahead {
	uint64_t hash;
	uint32_t pair;
};

struct beacon {
	const struct config *cfg;
	struct bc_tunables t;
	enum bc_pair_mode mode;
	int daily, all;			/* --daily, --all */
	struct bc_allow allow;
	struct outbuf *out;
	struct time_cache tc;

	struct bc_names srcs, dsts, files;
	uint32_t last_file;		/* the file last noted: its id + 1 */
	struct bc_pair *pair;		/* at a cache line's start */
	void *pair_mem;			/* its allocation */
	size_t npair, pair_cap;
	uint64_t *slot;			/* hash >> 32, pair index + 1; 0: free */
	size_t nslot;
	uint64_t *w;			/* the word store */
	size_t wlen, wcap;
	uint32_t free_chunk[16];	/* freed chunks by clog: index + 1 */
	struct bc_daytab *daytab;	/* of the sampled pairs */
	size_t ndaytab, daytab_cap;
	struct bc_days *days;		/* date cache of the collection */
	struct bc_words tmp;		/* scratch words of the collection */
	unsigned char *quarters;	/* bit per quarter hour with data */
	size_t nquarters;
	struct bc_ahead ahead[BC_AHEAD];	/* the look-ahead's ring */
	unsigned ahead_pos;

	/* Counters for --stats. */
	uint64_t proxies, outside, nodst, to_proxy, sampled;
	uint64_t scored, bounded, findings, popular, allowed, strobes;
	size_t population;		/* sources with any pair */
	size_t ndst;			/* destinations with any pair */
	size_t ndays;			/* --daily: dates with data */
	int daily_short;		/* --daily: fewer than daily-days */
	int oom;
};

/* Prepares b (after the tunables are set); -1 with err for a bad value. */
int beacon_setup(struct beacon *b, char *err, size_t errcap);

void beacon_release(struct beacon *b);

#define BC_KEY_MAX 1100		/* a destination name, with its port */
#define BC_SRC_MAX 64		/* a source address */

/*
 * The evstream preparation hook (run in the reading thread: it reads b's
 * settings only) and the callback, which takes what it worked out.
 */
void beacon_prep(const void *arg, const struct evrow *row, uint64_t *aux);
enum line_result beacon_event(void *arg, struct evrow *row);

/* The look-ahead hook: prefetches what a coming row will touch. */
void beacon_ahead(void *arg, const uint64_t *aux);

/* Writes the periodic findings; returns -1 when out of memory. */
int beacon_write_findings(struct beacon *b);

/* Writes the daily view (--daily); returns -1 when out of memory. */
int beacon_write_daily(struct beacon *b);

/*
 * The pair store (pairs.c). A pair's hash comes from its names' texts
 * (src at most BC_SRC_MAX bytes, dst at most BC_KEY_MAX), so it is known
 * before the names are looked up.
 */
uint64_t bc_pair_hash(struct slice src, struct slice dst);

/*
 * A new pair (src, dst) of hash h, one bc_pair_find did not find; NULL
 * when out of memory.
 */
struct bc_pair *bc_pair_new(struct beacon *b, uint32_t src, uint32_t dst,
    uint64_t h);

/*
 * The pair of hash h whose names are the texts src and dst, when there
 * is one: a pair seen before needs no look-up of its names. NULL if new.
 * Both texts must be followed by EVROW_SLACK readable bytes (bc_name_is).
 */
struct bc_pair *bc_pair_find(const struct beacon *b, uint64_t h,
    struct slice src, struct slice dst);

/* Stores word w in p (when its sample keeps it); -1 when out of memory. */
int bc_pair_store(struct beacon *b, struct bc_pair *p, uint64_t w);

/*
 * bc_pair_store, with its common case inline (every event): no sample,
 * room in the newest chunk, below max-timestamps.
 */
static inline int
bc_pair_add(struct beacon *b, struct bc_pair *p, uint64_t w)
{
	if (p->shift == 0 && p->chunk != 0 && p->used < 1u << p->clog &&
	    p->stored < b->t.max_stored) {
		b->w[p->chunk + p->used] = w;	/* chunk: header index + 1 */
		p->used++;
		p->stored++;
		return 0;
	}
	return bc_pair_store(b, p, w);
}

/* Counts an event at ts_ms in a sampled pair's day table; -1: no memory. */
int bc_pair_day_add(struct beacon *b, struct bc_pair *p, int64_t ts_ms);

/* bc_pair_day_add for a sampled pair; nothing (0) for the others. */
static inline int
bc_pair_count_day(struct beacon *b, struct bc_pair *p, int64_t ts_ms)
{
	return p->daytab == 0 ? 0 : bc_pair_day_add(b, p, ts_ms);
}

/*
 * For the analysis (score.c, daily.c, from pairs.c): copies the words
 * of pair p into into->v, sorted; returns their number, or (size_t)-1
 * when out of memory. Only reads b: threads may gather at once, each
 * into its own words.
 */
size_t bc_gather(const struct beacon *b, const struct bc_pair *p,
    struct bc_words *into);

/*
 * Name id's text (escaped, as in the stream); it moves when a name is
 * added.
 */
static inline struct slice
bc_name(const struct bc_names *nm, uint32_t id)
{
	return slice_make(nm->arena + nm->text[id].off, nm->text[id].len);
}

/*
 * Whether name id's text is s, whose bytes are followed by at least eight
 * readable ones (a row's field: EVROW_SLACK), as the arena's are: eight
 * bytes a load, no call.
 */
static inline int
bc_name_is(const struct bc_names *nm, uint32_t id, struct slice s)
{
	const char *a = nm->arena + nm->text[id].off, *b = s.p;
	size_t n = s.n;
	uint64_t x, y;

	if (nm->text[id].len != n)
		return 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	for (; n >= 8; a += 8, b += 8, n -= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return 0;
	}
	if (n == 0)
		return 1;
	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	/* The first n bytes are the low ones. */
	return ((x ^ y) << (8 * (8 - n))) == 0;
#else
	(void)x;
	(void)y;
	return memcmp(a, b, n) == 0;
#endif
}

/* The origin of pair p as "file:line" into buf (escaped). */
struct slice bc_origin(const struct beacon *b, const struct bc_pair *p,
    char *buf, size_t cap);

/*
 * Orders two pairs by source text, then destination text (never by ids,
 * which follow the input order): <0, 0 or >0 as for qsort.
 */
int bc_pair_order(const struct beacon *b, const struct bc_pair *p,
    const struct bc_pair *q);

/* Whether the destination text (escaped) is on the allowlist. */
int bc_allowed(const struct beacon *b, struct slice dst);

/*
 * Days: the local date (days since 1970, site zone) of a UTC instant, via
 * a direct-mapped cache of quarter hours: the analysis asks it for every
 * beat of every pair, and a million pairs share the same few days.
 */
#define BC_DAYS_CACHE 256
struct bc_days {
	const struct config *cfg;
	int64_t quarter[BC_DAYS_CACHE];		/* INT64_MIN: empty */
	int64_t day[BC_DAYS_CACHE];
};
void bc_days_init(struct bc_days *d, const struct config *cfg);
int64_t bc_day(struct bc_days *d, int64_t ts_ms);

/*
 * The local dates with data in the input (any event used), ascending,
 * into a new array the caller frees; *n its length. NULL with *n 0 when
 * there are none or memory runs out (*n is then SIZE_MAX).
 */
int64_t *bc_data_days(struct beacon *b, size_t *n);

/*
 * The number of sources that have any pair (SIZE_MAX when out of
 * memory); *per_dst gets a new array (the caller frees it) of the hosts
 * of each destination id, and b->ndst the destinations with a pair.
 */
size_t bc_host_counts(struct beacon *b, uint32_t **per_dst);

#endif
