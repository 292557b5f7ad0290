/*
 * upload.c: the large-upload rule (guideline 19.1.2, web proxy item 6).
 * Data leaves through the proxy as request bodies (POST, PUT) and as the
 * client's side of CONNECT tunnels. Per source and destination host the
 * bytes sent are summed over windows of upload-window (default 1 hour)
 * that start every half window, so that an upload lasting up to half a
 * window is never split between two; a window is flagged when its volume
 * is above the threshold (upload-mb) and above upload-factor times the
 * source's usual volume: the lower median of what it sent per destination
 * in each aligned window in which it sent anything. A source with fewer
 * than baseline-windows such windows has no usual volume yet, and the
 * threshold alone decides. Overlapping flagged windows of one pair make
 * one finding, with totals that count each request once.
 *
 * Memory grows with the (source, host, half window) buckets that hold an
 * upload, each of a fixed size; judging them at the end groups them by
 * source and pair and sorts them by time, with integer comparisons only.
 *
 * A log format without request sizes (Squid's native access.log) leaves
 * bytes_out empty: such events say nothing of POST and PUT bodies, and
 * for CONNECT the size the log gives (a tunnel's bytes as logged) is
 * used instead, at a lower severity. This is said once per format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "hash.h"
#include "num.h"
#include "proxycheck.h"

/* What the bytes of a request are. */
enum { K_BODY, K_TUNNEL, K_LOGGED, K_NKINDS };

/* Rounds down, also before 1970. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

int64_t
pc_upload_half(const struct proxycheck *pc, int64_t ts_ms)
{
	return floor_div(ts_ms, (int64_t)pc->t.window_s * 500);
}

/*
 * Pairs and times are the clients' to shape, so the bucket's slot comes
 * from the pair's key hash, seeded per process (agg.c), and from that
 * the preparation can work it out before the pair's index is known.
 */
uint64_t
pc_bucket_hash(uint64_t pair_hash, int64_t half)
{
	return hash_mix64(pair_hash ^ (uint64_t)half * 0x9e3779b97f4a7c15ULL);
}

void
pc_upload_init(struct pc_uploads *up)
{
	memset(up, 0, sizeof *up);
	agg_init(&up->pairs);
	agg_init(&up->files);
}

void
pc_upload_release(struct pc_uploads *up)
{
	agg_release(&up->pairs);
	agg_release(&up->files);
	free(up->pair);
	free(up->pair_hash);
	free(up->file);
	free(up->b);
	free(up->slot);
	memset(up, 0, sizeof *up);
}

/*
 * The index of key (of hash h) in table a, whose entries are also listed
 * by index in *list (flags: the index), and with hashes when not NULL,
 * their hashes; -1 when out of memory.
 */
static int64_t
intern(struct agg *a, struct agg_entry ***list, uint64_t **hashes,
    size_t *n, size_t *cap, struct slice key, uint64_t h,
    struct agg_entry **ep)
{
	struct agg_entry *e = agg_get_hashed(a, key, h);

	if (e == NULL)
		return -1;
	if (e->count == 0) {
		if (*n == *cap) {
			size_t c = *cap ? *cap * 2 : 256;
			struct agg_entry **v = realloc(*list, c * sizeof *v);
			uint64_t *hv;

			if (v == NULL)
				return -1;
			*list = v;
			if (hashes != NULL) {
				if ((hv = realloc(*hashes, c * sizeof *hv)) ==
				    NULL)
					return -1;
				*hashes = hv;
			}
			*cap = c;
		}
		if (hashes != NULL)
			(*hashes)[*n] = h;
		e->count = 1;
		e->flags = *n;
		(*list)[(*n)++] = e;
	}
	if (ep)
		*ep = e;
	return (int64_t)e->flags;
}

/* Splits origin "file:line" into the file's index and the line. */
static int
origin_ref(struct pc_uploads *up, struct slice o, uint32_t *file,
    uint64_t *line)
{
	const char *colon = o.n ? memrchr(o.p, ':', o.n) : NULL;
	struct slice f = o;
	int64_t i;

	*line = UINT64_MAX;
	/* The line ends the field: the row's slack follows it. */
	if (colon != NULL && pc_parse_u64(slice_make(colon + 1,
	    o.n - (size_t)(colon + 1 - o.p)), UINT64_MAX - 1, line) == 0)
		f = slice_make(o.p, (size_t)(colon - o.p));
	else
		*line = UINT64_MAX;
	if (up->last_file != NULL && up->last_file->key_len == f.n &&
	    memcmp(up->last_file->key, f.p, f.n) == 0) {
		*file = (uint32_t)up->last_file->flags;
		return 0;
	}
	if ((i = intern(&up->files, &up->file, NULL, &up->nfile,
	    &up->file_cap, f, agg_hash(f), &up->last_file)) < 0)
		return -1;
	*file = (uint32_t)i;
	return 0;
}

/* Doubles the bucket index (at most half full). */
static int
grow_index(struct pc_uploads *up)
{
	size_t cap = up->scap ? up->scap * 2 : 4096, i, j;
	uint32_t *slot = calloc(cap, sizeof *slot);

	if (slot == NULL)
		return -1;
	for (i = 0; i < up->nb; i++) {
		j = pc_bucket_hash(up->pair_hash[up->b[i].pair], up->b[i].h) &
		    (cap - 1);
		while (slot[j])
			j = (j + 1) & (cap - 1);
		slot[j] = (uint32_t)(i + 1);
	}
	free(up->slot);
	up->slot = slot;
	up->scap = cap;
	return 0;
}

/*
 * The bucket of (pair, h), whose pc_bucket_hash is hb, created empty
 * when new; NULL: no memory.
 */
static struct pc_bucket *
bucket(struct pc_uploads *up, uint32_t pair, int64_t h, uint64_t hb)
{
	struct pc_bucket *b;
	size_t j;

	if ((up->nb + 1) * 2 > up->scap && grow_index(up) != 0)
		return NULL;
	j = hb & (up->scap - 1);
	for (; up->slot[j]; j = (j + 1) & (up->scap - 1)) {
		b = &up->b[up->slot[j] - 1];
		if (b->pair == pair && b->h == h)
			return b;
	}
	if (up->nb == up->bcap) {
		size_t cap = up->bcap ? up->bcap * 2 : 4096;

		if (cap > UINT32_MAX - 1 || (b = realloc(up->b, cap *
		    sizeof *b)) == NULL)
			return NULL;
		up->b = b;
		up->bcap = cap;
	}
	b = &up->b[up->nb];
	memset(b, 0, sizeof *b);
	b->pair = pair;
	b->h = h;
	up->slot[j] = (uint32_t)++up->nb;
	return b;
}

int
pc_upload_event(struct proxycheck *pc, const struct pc_event *ev)
{
	struct pc_uploads *up = &pc->up;
	struct pc_format *f = &pc->fmt[ev->fmt];
	struct slice parts[2], key;
	struct pc_bucket *b;
	uint64_t bytes;
	int64_t pair, half;
	int k;

	if (ev->method == PCM_BODY)
		k = ev->has_out ? K_BODY : -1;
	else if (ev->method == PCM_CONNECT)
		k = ev->has_out ? K_TUNNEL : K_LOGGED;
	else
		return 0;
	if (!ev->has_out && !f->sizes_noted) {
		f->sizes_noted = 1;
		diag_msg("%s%s%s events have no request sizes (bytes_out): "
		    "large-upload uses CONNECT bytes only for them, as logged",
		    f->name[0] ? "'" : "", f->name[0] ? f->name :
		    "format-less", f->name[0] ? "'" : "");
	}
	if (k < 0)
		return 0;
	/* A denied request never reached the destination. */
	if (ev->deny) {
		up->denied++;
		return 0;
	}
	parts[0] = ev->src;
	parts[1] = ev->host;
	key = pc_key(pc, parts, 2);
	if (key.p == NULL)
		return -1;
	/* A page comes in several requests to one host: try the last. */
	if (up->last_pair != NULL && up->last_pair->key_len == key.n &&
	    memcmp(up->last_pair->key, key.p, key.n) == 0)
		pair = (int64_t)up->last_pair->flags;
	else if ((pair = intern(&up->pairs, &up->pair, &up->pair_hash,
	    &up->npair, &up->pair_cap, key, ev->h_upload ? ev->h_upload :
	    agg_hash(key), &up->last_pair)) < 0)
		return -1;
	half = pc_upload_half(pc, ev->ts_ms);
	if ((b = bucket(up, (uint32_t)pair, half, ev->h_bucket ?
	    ev->h_bucket : pc_bucket_hash(up->pair_hash[pair], half))) ==
	    NULL)
		return -1;
	bytes = k == K_LOGGED ? ev->in : ev->out;
	b->bytes[k] = pc_sat_add(b->bytes[k], bytes);
	if (b->count == 0 || ev->ts_ms < b->first) {
		if (origin_ref(up, ev->origin, &b->ofile, &b->oline) != 0)
			return -1;
		b->first = ev->ts_ms;
	}
	if (b->count == 0 || ev->ts_ms > b->last)
		b->last = ev->ts_ms;
	b->count++;
	return 0;
}

static uint64_t
total(const struct pc_bucket *b)
{
	return pc_sat_add(pc_sat_add(b->bytes[K_BODY], b->bytes[K_TUNNEL]),
	    b->bytes[K_LOGGED]);
}

static int
cmp_slice(struct slice a, struct slice b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	int c = n ? memcmp(a.p, b.p, n) : 0;

	return c ? c : a.n < b.n ? -1 : a.n > b.n;
}

/* Pairs by key: "src\thost" sorts as (source, host). */
static int
cmp_pair(const void *pa, const void *pb)
{
	const struct agg_entry *a = *(struct agg_entry *const *)pa;
	const struct agg_entry *b = *(struct agg_entry *const *)pb;

	return cmp_slice(slice_make(a->key, a->key_len),
	    slice_make(b->key, b->key_len));
}

/* Buckets of one pair by half window. */
static int
cmp_half(const void *pa, const void *pb)
{
	const struct pc_bucket *a = pa, *b = pb;

	return a->h < b->h ? -1 : a->h > b->h;
}

/*
 * Orders the buckets by the rank of their pair (kept in pair), then
 * time: a counting sort by rank, stable, into a second array (chasing
 * each bucket to its place in the one array waited on memory at every
 * step), then a sort of each pair's buckets by time where a log not
 * written in time order left them out of order. Returns 0, or -1 when
 * out of memory.
 */
static int
sort_buckets(struct pc_uploads *up)
{
	size_t *next = calloc(up->npair + 1, sizeof *next), i, j, r, c;
	struct pc_bucket *to = malloc((up->nb ? up->nb : 1) * sizeof *to);

	if (next == NULL || to == NULL) {
		free(next);
		free(to);
		return -1;
	}
	for (i = 0; i < up->nb; i++)
		next[up->b[i].pair]++;
	for (r = 0, j = 0; r < up->npair; r++) {
		c = next[r];
		next[r] = j;
		j += c;
	}
	for (i = 0; i < up->nb; i++)
		to[next[up->b[i].pair]++] = up->b[i];
	free(next);
	free(up->b);
	up->b = to;
	up->bcap = up->nb ? up->nb : 1;
	/* Rotated logs read newest file first come out of order. */
	for (i = 0; i < up->nb; i = j) {
		int sorted = 1;

		for (j = i + 1; j < up->nb && up->b[j].pair == up->b[i].pair;
		    j++)
			if (up->b[j].h < up->b[j - 1].h)
				sorted = 0;
		if (!sorted)
			qsort(up->b + i, j - i, sizeof *up->b, cmp_half);
	}
	return 0;
}

static int
cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

/*
 * The value v[(k - 1) / 2] would hold were v[0..k) sorted (k > 0), v
 * reordered: quickselect, which qsort had taken most of the writing
 * time of large-upload to do, and qsort after all when the rounds pass
 * twice the bits of k (values chosen to defeat the middle pivot).
 */
static uint64_t
lower_median(uint64_t *v, size_t k)
{
	int64_t lo = 0, hi = (int64_t)k - 1, want = hi / 2, i, j;
	int rounds = 0, limit = 2 * (64 - __builtin_clzll(k));
	uint64_t p, t;

	while (lo < hi) {
		if (++rounds > limit) {
			qsort(v + lo, (size_t)(hi - lo + 1), sizeof *v,
			    cmp_u64);
			break;
		}
		p = v[lo + (hi - lo) / 2];
		/* Hoare: v[lo..j] <= p, v[i..hi] >= p, between them p. */
		for (i = lo, j = hi; i <= j; ) {
			while (v[i] < p)
				i++;
			while (v[j] > p)
				j--;
			if (i <= j) {
				t = v[i];
				v[i++] = v[j];
				v[j--] = t;
			}
		}
		if (want <= j)
			hi = j;
		else if (want >= i)
			lo = i;
		else
			break;
	}
	return v[want];
}

/* The source's usual volume per (host, aligned window). */
struct usual {
	uint64_t median;
	size_t windows;
	int known;
};

/* A finding to write, once all are known and sorted by time. */
struct upfind {
	const struct agg_entry *pair;
	int64_t first, last;
	uint64_t count, bytes[K_NKINDS], total, max_w, oline;
	uint32_t ofile;
	struct usual us;
};

/* What pc_upload_write gathers. */
struct upscan {
	struct upfind *f;
	size_t n, cap;
};

/* From the buckets b[0..n) of one source (sorted), its usual volume. */
static struct usual
usual_volume(const struct proxycheck *pc, const struct pc_bucket *b,
    size_t n, uint64_t *vol)
{
	struct usual us = { 0, 0, 0 };
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (i > 0 && b[i].pair == b[i - 1].pair &&
		    floor_div(b[i].h, 2) == floor_div(b[i - 1].h, 2))
			vol[k - 1] = pc_sat_add(vol[k - 1], total(&b[i]));
		else
			vol[k++] = total(&b[i]);
	}
	/* Only windows in which something was sent. */
	for (i = 0; i < k; )
		if (vol[i] == 0)
			vol[i] = vol[--k];
		else
			i++;
	us.windows = k;
	if (k == 0 || k < pc->t.baseline_windows)
		return us;
	us.median = lower_median(vol, k);
	us.known = 1;
	return us;
}

/* Whether window volume w is flagged. */
static int
flagged(const struct proxycheck *pc, uint64_t w, const struct usual *us)
{
	if (w <= pc->t.upload_mb * 1000000)
		return 0;
	if (!us->known)
		return 1;
	return us->median <= UINT64_MAX / pc->t.factor &&
	    w > us->median * pc->t.factor;
}

/* Records the finding of buckets b[a..z]; -1 when out of memory. */
static int
gather(struct upscan *sc, const struct agg_entry *pair,
    const struct pc_bucket *b, size_t a, size_t z, uint64_t max_w,
    const struct usual *us)
{
	struct upfind *f;
	size_t i;
	int k;

	if (sc->n == sc->cap) {
		size_t cap = sc->cap ? sc->cap * 2 : 64;
		struct upfind *v = realloc(sc->f, cap * sizeof *v);

		if (v == NULL)
			return -1;
		sc->f = v;
		sc->cap = cap;
	}
	f = &sc->f[sc->n++];
	memset(f, 0, sizeof *f);
	f->pair = pair;
	f->first = b[a].first;
	f->last = b[a].last;
	f->ofile = b[a].ofile;
	f->oline = b[a].oline;
	f->max_w = max_w;
	f->us = *us;
	for (i = a; i <= z; i++) {
		for (k = 0; k < K_NKINDS; k++)
			f->bytes[k] = pc_sat_add(f->bytes[k], b[i].bytes[k]);
		f->total = pc_sat_add(f->total, total(&b[i]));
		f->count += b[i].count;
		if (b[i].first < f->first) {
			f->first = b[i].first;
			f->ofile = b[i].ofile;
			f->oline = b[i].oline;
		}
		if (b[i].last > f->last)
			f->last = b[i].last;
	}
	return 0;
}

/* Judges one (source, host): its buckets b[0..m), sorted by time. */
static int
judge_pair(struct proxycheck *pc, struct upscan *sc,
    const struct agg_entry *pair, const struct pc_bucket *b, size_t m,
    const struct usual *us)
{
	uint64_t w, max_w;
	size_t i, j;

	/*
	 * The window starting at half i holds halves i and i+1. One starting
	 * just before a half that has no predecessor holds less, so these
	 * are the only windows to judge.
	 */
#define NEXT(i) ((i) + 1 < m && b[(i) + 1].h == b[i].h + 1)
#define VOLUME(i) pc_sat_add(total(&b[i]), NEXT(i) ? total(&b[(i) + 1]) : 0)
	for (i = 0; i < m; i++) {
		if (!flagged(pc, (w = VOLUME(i)), us))
			continue;
		max_w = w;
		/* Overlapping flagged windows make one finding. */
		for (j = i; NEXT(j) && flagged(pc, VOLUME(j + 1), us); j++)
			if (VOLUME(j + 1) > max_w)
				max_w = VOLUME(j + 1);
		if (gather(sc, pair, b, i, NEXT(j) ? j + 1 : j, max_w, us) != 0)
			return -1;
		/* Window j+1 is not flagged; j+2 shares nothing with these. */
		i = NEXT(j) ? j + 1 : j;
	}
#undef VOLUME
#undef NEXT
	return 0;
}

/* By first time, then source and host. */
static int
cmp_find(const void *pa, const void *pb)
{
	const struct upfind *a = pa, *b = pb;

	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	return cmp_pair(&a->pair, &b->pair);
}

/* "45s", "12m30s", "1h02m" */
static const char *
span_text(char *buf, size_t cap, int64_t ms)
{
	int64_t s = ms / 1000;

	if (s < 60)
		snprintf(buf, cap, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, cap, "%lldm%02llds", (long long)(s / 60),
		    (long long)(s % 60));
	else
		snprintf(buf, cap, "%lldh%02lldm", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	return buf;
}

static const char *
window_text(char *buf, size_t cap, uint64_t s)
{
	if (s % 3600 == 0)
		snprintf(buf, cap, "%lluh", (unsigned long long)(s / 3600));
	else if (s % 60 == 0)
		snprintf(buf, cap, "%llum", (unsigned long long)(s / 60));
	else
		snprintf(buf, cap, "%llus", (unsigned long long)s);
	return buf;
}

/* What the total is made of: "POST/PUT 10.0 MB, CONNECT 52.4 MB". */
static void
parts_text(const struct upfind *f, char *buf, size_t cap)
{
	char t[24];
	size_t n = 0;

	buf[0] = '\0';
	if (f->bytes[K_BODY])
		n += (size_t)snprintf(buf + n, cap - n, "POST/PUT %s",
		    finding_bytes(t, sizeof t, f->bytes[K_BODY]));
	if (f->bytes[K_TUNNEL] && n < cap)
		n += (size_t)snprintf(buf + n, cap - n, "%sCONNECT %s",
		    n ? ", " : "", finding_bytes(t, sizeof t, f->bytes[K_TUNNEL]));
	if (f->bytes[K_LOGGED] && n < cap)
		snprintf(buf + n, cap - n, "%sCONNECT %s as logged: the log "
		    "has no request sizes", n ? ", " : "",
		    finding_bytes(t, sizeof t, f->bytes[K_LOGGED]));
}

/* The origin "file:line" back from its parts, into buf (raw bytes). */
static struct slice
origin_text(const struct pc_uploads *up, const struct upfind *f, char *buf,
    size_t cap)
{
	const struct agg_entry *e = up->file[f->ofile];
	struct slice s = pc_raw(slice_make(e->key, e->key_len), buf, cap - 24);

	if (f->oline != UINT64_MAX) {
		buf[s.n++] = ':';
		s.n += num_format_u64(buf + s.n, f->oline);
	}
	return s;
}

static void
write_one(struct proxycheck *pc, const struct upfind *f)
{
	char src[300], dst[1100], origin[1100], why[900], parts[200];
	char t2[24], t3[24], t4[24], t5[24], sp[32], win[24];
	struct agg_entry sum;
	struct finding fd;

	memset(&sum, 0, sizeof sum);
	sum.first_ms = f->first;
	sum.last_ms = f->last;
	sum.count = f->count;
	sum.bytes = f->total;
	pc_finding_init(&fd, &sum, PC_UPLOAD);
	parts_text(f, parts, sizeof parts);
	window_text(win, sizeof win, pc->t.window_s);
	finding_bytes(t2, sizeof t2, f->total);
	span_text(sp, sizeof sp, f->last - f->first);
	finding_bytes(t3, sizeof t3, f->max_w);
	snprintf(t4, sizeof t4, "%llu MB", (unsigned long long)pc->t.upload_mb);
	if (f->us.known)
		snprintf(why, sizeof why, "%s sent in %llu request%s over %s "
		    "(%s); %s within one %s window: above %s and %.0f times "
		    "the source's usual %s (the median of %zu windows)", t2,
		    (unsigned long long)f->count, f->count == 1 ? "" : "s",
		    sp, parts, t3, win, t4, (double)f->max_w /
		    (double)f->us.median, finding_bytes(t5, sizeof t5,
		    f->us.median), f->us.windows);
	else
		snprintf(why, sizeof why, "%s sent in %llu request%s over %s "
		    "(%s); %s within one %s window: above %s (the source's "
		    "usual volume is not known: %zu window%s with uploads, "
		    "fewer than %llu)", t2, (unsigned long long)f->count,
		    f->count == 1 ? "" : "s", sp, parts, t3, win, t4,
		    f->us.windows, f->us.windows == 1 ? "" : "s",
		    (unsigned long long)pc->t.baseline_windows);
	/* Sizes as logged may be the download: less certain. */
	fd.severity = f->bytes[K_LOGGED] ? 2 : 3;
	fd.score = f->bytes[K_LOGGED] ? 0.5 : 0.8;
	fd.f[FD_SRC_IP] = finding_raw(agg_key_field(f->pair, 0), src,
	    sizeof src);
	fd.f[FD_DST] = finding_raw(agg_key_field(f->pair, 1), dst,
	    sizeof dst);
	fd.f[FD_REASON] = slice_cstr(why);
	fd.f[FD_STAGE] = slice_cstr("objectives");
	fd.f[FD_ORIGIN] = origin_text(&pc->up, f, origin, sizeof origin);
	finding_write(pc->out, &fd, &pc->tc);
}

/*
 * Ranks the pairs so that each source's come together: src_of[i] is the
 * number of pair i's source, rank[i] pair i's rank, and byrank[r] the
 * pair of rank r. Which source or pair comes first does not matter:
 * findings are sorted by time and key at the end. Grouping the pairs by
 * a table of their sources reads each pair once, in the order they were
 * made, where sorting them by key read two at random for every
 * comparison. Returns 0, or -1 when out of memory.
 */
static int
rank_pairs(struct pc_uploads *up, uint32_t *src_of, uint32_t *rank,
    struct agg_entry **byrank)
{
	struct agg srcs;
	struct agg_entry *e;
	size_t i, nsrc = 0, *next;
	uint32_t s;

	agg_init(&srcs);
	for (i = 0; i < up->npair; i++) {
		if ((e = agg_get(&srcs, agg_key_field(up->pair[i], 0))) ==
		    NULL) {
			agg_release(&srcs);
			return -1;
		}
		if (e->count++ == 0)
			e->flags = nsrc++;
		src_of[i] = (uint32_t)e->flags;
	}
	agg_release(&srcs);
	if ((next = calloc(nsrc + 1, sizeof *next)) == NULL)
		return -1;
	for (i = 0; i < up->npair; i++)
		next[src_of[i] + 1]++;
	for (i = 1; i <= nsrc; i++)
		next[i] += next[i - 1];
	for (i = 0; i < up->npair; i++) {
		s = src_of[i];
		rank[i] = (uint32_t)next[s];
		byrank[next[s]++] = up->pair[i];
	}
	free(next);
	return 0;
}

int
pc_upload_write(struct proxycheck *pc)
{
	struct pc_uploads *up = &pc->up;
	size_t np = up->npair ? up->npair : 1;
	struct agg_entry **byrank = malloc(np * sizeof *byrank);
	uint32_t *src_of = malloc(np * sizeof *src_of);
	uint32_t *rank = malloc(np * sizeof *rank);
	uint32_t *src_by_rank = malloc(np * sizeof *src_by_rank);
	uint64_t *vol = malloc((up->nb ? up->nb : 1) * sizeof *vol);
	struct upscan sc = { NULL, 0, 0 };
	size_t i, a, z, c, d;
	int r = -1;

	if (byrank == NULL || src_of == NULL || rank == NULL ||
	    src_by_rank == NULL || vol == NULL ||
	    rank_pairs(up, src_of, rank, byrank) != 0)
		goto out;
	for (i = 0; i < up->npair; i++)
		src_by_rank[rank[i]] = src_of[i];
	for (i = 0; i < up->nb; i++)
		up->b[i].pair = rank[up->b[i].pair];
	/* The index no longer matches: the table is only read from here. */
	free(up->slot);
	up->slot = NULL;
	up->scap = 0;
	if (sort_buckets(up) != 0)
		goto out;
	for (a = 0; a < up->nb; a = z) {
		uint32_t src = src_by_rank[up->b[a].pair];
		struct usual us;

		for (z = a + 1; z < up->nb &&
		    src_by_rank[up->b[z].pair] == src; z++)
			;
		us = usual_volume(pc, up->b + a, z - a, vol);
		for (c = a; c < z; c = d) {
			for (d = c + 1; d < z && up->b[d].pair == up->b[c].pair;
			    d++)
				;
			if (judge_pair(pc, &sc, byrank[up->b[c].pair],
			    up->b + c, d - c, &us) != 0)
				goto out;
		}
	}
	if (sc.n > 0)
		qsort(sc.f, sc.n, sizeof *sc.f, cmp_find);
	for (i = 0; i < sc.n; i++)
		write_one(pc, &sc.f[i]);
	pc->nfindings[PC_UPLOAD] = sc.n;
	r = 0;
out:
	free(sc.f);
	free(byrank);
	free(src_of);
	free(rank);
	free(src_by_rank);
	free(vol);
	return r;
}
