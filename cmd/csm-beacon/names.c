/*
 * names.c: csm-beacon's interned names (sources, destinations, origin
 * files). An agg table finds a name's id when a pair is new; the ids'
 * texts are also kept side by side in one arena, so that checking an
 * event's names against its pair's (every event) reads a few packed
 * lines, not one scattered table entry per name.
 */
#include <stdlib.h>
#include <string.h>
#include "detect.h"

/* Bytes after the arena's last text, for loads of eight (bc_name_is). */
#define ARENA_PAD 8

/* Appends s to nm's arena as the text of the next id; -1: no memory. */
static int
keep_text(struct bc_names *nm, struct slice s)
{
	if (nm->arena_len + s.n + ARENA_PAD > nm->arena_cap) {
		size_t cap = nm->arena_cap ? nm->arena_cap : 4096;
		char *a;

		while (cap < nm->arena_len + s.n + ARENA_PAD)
			cap *= 2;
		if (cap > UINT32_MAX || (a = realloc(nm->arena, cap)) == NULL)
			return -1;
		nm->arena = a;
		nm->arena_cap = cap;
	}
	memcpy(nm->arena + nm->arena_len, s.p, s.n);
	memset(nm->arena + nm->arena_len + s.n, 0, ARENA_PAD);
	nm->text[nm->n].off = (uint32_t)nm->arena_len;
	nm->text[nm->n].len = (uint32_t)s.n;
	nm->arena_len += s.n;
	return 0;
}

int64_t
bc_names_intern(struct bc_names *nm, struct slice s, uint64_t h,
    struct agg_entry **ep)
{
	struct agg_entry *e = agg_get_hashed(&nm->a, s, h);

	if (e == NULL)
		return -1;
	if (e->count == 0) {
		if (nm->n == nm->cap) {
			size_t cap = nm->cap ? nm->cap * 2 : 1024;
			struct agg_entry **v = realloc(nm->by_id,
			    cap * sizeof *v);
			struct bc_text *t;

			if (v == NULL)
				return -1;
			nm->by_id = v;
			if ((t = realloc(nm->text, cap * sizeof *t)) == NULL)
				return -1;
			nm->text = t;
			nm->cap = cap;
		}
		if (nm->n >= UINT32_MAX || keep_text(nm, s) != 0)
			return -1;
		e->count = 1;
		e->flags = nm->n;
		nm->by_id[nm->n++] = e;
	}
	if (ep)
		*ep = e;
	return (int64_t)(e->flags & 0xffffffffu);
}

void
bc_names_release(struct bc_names *nm)
{
	agg_release(&nm->a);
	free(nm->by_id);
	free(nm->text);
	free(nm->arena);
}
