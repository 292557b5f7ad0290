/*
 * sudoline.c: sudo's " ; "-joined key list read without trusting what the
 * user typed. The line is cut at every " ; " into parts; a reading picks
 * the parts that start keys, in sudo's key order, each value running to
 * the next picked part (a fixed word takes exactly one part). All
 * readings are searched, and each key is compared across them: a
 * directory named "x ; USER=root ; COMMAND=/bin/true" gives two readings
 * that differ in USER, so USER is uncertain rather than "root".
 */
#include <string.h>
#include "sudoline.h"

/* Steps of the search: a crafted line with many keys gives up early. */
#define SUDOLINE_BUDGET 20000

static const char *const key_name[SUDO_NKEYS] = {
	"HOST=", "TTY=", "CHROOT=", "PWD=", "USER=", "GROUP=", "TSID=",
	"ENV=", "COMMAND="
};

/* Parts from first to last of the line; first is -1 for no value. */
struct span {
	int first, last;
};

struct search {
	struct slice part[SUDOLINE_MAX_PARTS];
	int key[SUDOLINE_MAX_PARTS];	/* the key a part starts, or -1 */
	int n;
	unsigned need;			/* keys every reading must hold */
	long steps;
	int readings;
	unsigned differ;		/* keys the readings disagree on */
	struct span cur[SUDO_NKEYS];	/* the reading being built */
	struct span first[SUDO_NKEYS];	/* the first complete reading */
	int min_first[SUDO_NKEYS];	/* earliest start over readings */
};

/* Whether the value of key k is text the user chose (may hold " ; "). */
static int
is_free(int k)
{
	return k == SUDO_CHROOT || k == SUDO_PWD || k == SUDO_ENV ||
	    k == SUDO_COMMAND;
}

static int
key_of(struct slice part)
{
	int k;

	for (k = 0; k < SUDO_NKEYS; k++)
		if (slice_has_prefix(part, key_name[k]))
			return k;
	return -1;
}

/* The text of parts a to b as logged. */
static struct slice
parts(const struct search *s, int a, int b)
{
	const char *end = s->part[b].p + s->part[b].n;

	return slice_make(s->part[a].p, (size_t)(end - s->part[a].p));
}

/* Whether two readings of a key give the same value (or both none). */
static int
same(const struct search *s, const struct span *a, const struct span *b)
{
	struct slice x, y;

	if (a->first < 0 || b->first < 0)
		return a->first == b->first;
	x = parts(s, a->first, a->last);
	y = parts(s, b->first, b->last);
	return x.n == y.n && memcmp(x.p, y.p, x.n) == 0;
}

/* Takes the complete reading in s->cur when it holds the keys needed. */
static void
record(struct search *s)
{
	unsigned have = 0;
	int k;

	for (k = 0; k < SUDO_NKEYS; k++)
		if (s->cur[k].first >= 0)
			have |= 1U << k;
	if ((have & s->need) != s->need)
		return;
	for (k = 0; k < SUDO_NKEYS; k++)
		if (s->cur[k].first >= 0 && (s->min_first[k] < 0 ||
		    s->cur[k].first < s->min_first[k]))
			s->min_first[k] = s->cur[k].first;
	if (s->readings++ == 0) {
		memcpy(s->first, s->cur, sizeof s->first);
		return;
	}
	/* By text: the same USER=root at two places is still certain. */
	for (k = 0; k < SUDO_NKEYS; k++)
		if (!same(s, &s->cur[k], &s->first[k]))
			s->differ |= 1U << k;
}

/* Reads part i as the start of its key (one after kmin at least). */
static void
walk(struct search *s, int i, int kmin)
{
	int k = s->key[i], j;

	if (++s->steps > SUDOLINE_BUDGET || k < kmin)
		return;
	s->cur[k].first = i;
	if (k == SUDO_COMMAND) {
		s->cur[k].last = s->n - 1;	/* the command runs to the end */
		record(s);
	} else if (!is_free(k)) {
		s->cur[k].last = i;	/* a word: the next part is a key */
		if (i + 1 == s->n)
			record(s);
		else
			walk(s, i + 1, k + 1);
	} else {
		for (j = i + 1; j <= s->n; j++) {
			s->cur[k].last = j - 1;
			if (j == s->n)
				record(s);
			else if (s->key[j] > k)
				walk(s, j, k + 1);
		}
	}
	s->cur[k].first = -1;
}

/* Cuts rest at each " ; "; -1 when it has too many parts. */
static int
split(struct search *s, struct slice rest)
{
	const char *q;

	s->n = 0;
	for (;;) {
		if (s->n == SUDOLINE_MAX_PARTS)
			return -1;
		q = rest.n ? memmem(rest.p, rest.n, " ; ", 3) : NULL;
		if (q == NULL) {
			s->part[s->n++] = rest;
			return 0;
		}
		s->part[s->n++] = slice_make(rest.p, (size_t)(q - rest.p));
		rest = slice_from(rest, (size_t)(q - rest.p) + 3);
	}
}

int
sudoline_read(struct slice rest, struct sudoline *sl)
{
	struct search s;		/* 1.5 KiB; csm-parse parses in threads */
	int i, k, f = -1, from;

	memset(sl, 0, sizeof *sl);
	memset(&s, 0, sizeof s);
	for (k = 0; k < SUDO_NKEYS; k++)
		s.cur[k].first = s.first[k].first = s.min_first[k] = -1;
	if (split(&s, rest) != 0) {
		sl->uncertain = (1U << SUDO_NKEYS) - 1;
		sl->readings = 2;
		sl->from = rest;
		return sl->readings;
	}
	for (i = 0; i < s.n; i++) {
		s.key[i] = key_of(s.part[i]);
		if (s.key[i] >= 0 && f < 0)
			f = i;
		if (s.key[i] == SUDO_PWD || s.key[i] == SUDO_USER ||
		    s.key[i] == SUDO_COMMAND)
			s.need |= 1U << s.key[i];
	}
	/* sudo's own words come first: "3 incorrect password attempts". */
	if (f > 0)
		sl->reason = parts(&s, 0, f - 1);
	if (f < 0) {
		sl->from = rest;	/* no key at all: nothing fits */
		return 0;
	}
	walk(&s, f, 0);
	if (s.steps > SUDOLINE_BUDGET || s.readings == 0) {
		sl->uncertain = (1U << SUDO_NKEYS) - 1;
		sl->readings = s.readings ? 2 : 0;
		sl->from = parts(&s, f, s.n - 1);
		return sl->readings;
	}
	sl->readings = s.readings > 1 ? 2 : 1;
	sl->uncertain = s.differ;
	from = s.n;
	for (k = 0; k < SUDO_NKEYS; k++) {
		if (s.differ & (1U << k)) {
			if (s.min_first[k] >= 0 && s.min_first[k] < from)
				from = s.min_first[k];
			continue;
		}
		if (s.first[k].first < 0)
			continue;
		sl->val[k] = parts(&s, s.first[k].first, s.first[k].last);
		sl->val[k] = slice_from(sl->val[k], strlen(key_name[k]));
	}
	if (from < s.n)
		sl->from = parts(&s, from, s.n - 1);
	return sl->readings;
}
