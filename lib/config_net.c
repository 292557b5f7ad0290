/*
 * config_net.c: the address side of the configuration: [networks] internal
 * and proxies, the [egress] exceptions and the [segment NAME] sections, and
 * the prefix map behind every address question. CIDR blocks are nested or
 * disjoint, so a map flattens them once into sorted disjoint intervals,
 * each carrying the value of the longest prefix that covers it; a lookup is
 * then one binary search.
 */
#include <stdlib.h>
#include <string.h>
#include "config_impl.h"

/* The index of the segment called name, or -1. */
int
cfg_segment_lookup(const struct config *cfg, struct slice name)
{
	size_t i;

	for (i = 0; i < cfg->nseg; i++)
		if (slice_eq(name, cfg->seg[i].name))
			return (int)i;
	return CONFIG_NO_SEGMENT;
}

static int
egress_apply(struct config *cfg, struct slice label, struct slice value,
    uint64_t line)
{
	struct cfg_egress *e = NULL;
	size_t i;

	if (!cfg_name_valid(label))
		return cfg_fail(cfg, line, "bad egress label '%s' (letters, "
		    "digits, '-' and '_')", cfg_q(cfg, label));
	for (i = 0; i < cfg->negress; i++)
		if (slice_eq(label, cfg->egress[i].label))
			e = &cfg->egress[i];
	if (e == NULL) {
		cfg->egress = cfg_grow(cfg, cfg->egress, cfg->negress,
		    &cfg->egress_cap, sizeof *cfg->egress);
		if (cfg->egress == NULL)
			return cfg_fail(cfg, CFG_NOLINE, "out of memory");
		e = &cfg->egress[cfg->negress];
		if ((e->label = cfg_strdup(cfg, label)) == NULL)
			return cfg_fail(cfg, CFG_NOLINE, "out of memory");
		cfg->negress++;
	}
	return cfg_parse_nets(cfg, value, line, &e->nets, 0);
}

static int
segment_apply(struct config *cfg, struct slice name, struct slice key,
    struct slice value, uint64_t line)
{
	int i = cfg_segment_lookup(cfg, name);
	struct cfg_segment *s;

	if (i == CONFIG_NO_SEGMENT) {
		cfg->seg = cfg_grow(cfg, cfg->seg, cfg->nseg, &cfg->seg_cap,
		    sizeof *cfg->seg);
		if (cfg->seg == NULL)
			return cfg_fail(cfg, CFG_NOLINE, "out of memory");
		s = &cfg->seg[cfg->nseg];
		if ((s->name = cfg_strdup(cfg, name)) == NULL)
			return cfg_fail(cfg, CFG_NOLINE, "out of memory");
		s->line = line;
		i = (int)cfg->nseg++;
	}
	s = &cfg->seg[i];
	if (key.p == NULL)
		return 0;
	if (slice_eq_nocase(key, "networks"))
		return cfg_parse_nets(cfg, value, line, &s->nets, 0);
	if (slice_eq_nocase(key, "description")) {
		if ((s->desc = cfg_strdup(cfg, value)) == NULL)
			return cfg_fail(cfg, CFG_NOLINE, "out of memory");
		return 0;
	}
	return cfg_fail(cfg, line, "unknown key '%s' in %s", cfg_q(cfg, key),
	    cfg_where(cfg, SECT_SEGMENT, name));
}

int
cfg_net_apply(struct config *cfg, enum cfg_sect sect, struct slice name,
    struct slice key, struct slice value, uint64_t line)
{
	if (sect == SECT_SEGMENT)
		return segment_apply(cfg, name, key, value, line);
	if (sect == SECT_EGRESS)
		return egress_apply(cfg, key, value, line);
	if (slice_eq_nocase(key, "internal"))
		return cfg_parse_nets(cfg, value, line, &cfg->internal, 1);
	if (slice_eq_nocase(key, "proxies"))
		return cfg_parse_nets(cfg, value, line, &cfg->proxies, 0);
	return cfg_fail(cfg, line, "unknown key '%s' in [networks]",
	    cfg_q(cfg, key));
}

/* One block on its way into a map. */
struct entry {
	const struct cfg_cidr *c;
	int val;
	uint64_t line;
};

/* Sort key of a line: the command line comes after the file. */
static uint64_t
order(uint64_t line)
{
	return line == CFG_CMDLINE ? UINT64_MAX : line;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int r = memcmp(x->c->lo.b, y->c->lo.b, 16);

	if (r != 0)
		return r;
	if (x->c->plen != y->c->plen)
		return x->c->plen < y->c->plen ? -1 : 1;
	/* The same block twice: the earlier definition first. */
	if (x->line != y->line)
		return order(x->line) < order(y->line) ? -1 : 1;
	return x->val < y->val ? -1 : x->val > y->val;
}

/* ip + 1; returns 1 when it wrapped past the last address. */
static int
ip_inc(struct ipaddr *ip)
{
	int i;

	for (i = 15; i >= 0; i--)
		if (++ip->b[i] != 0)
			return 0;
	return 1;
}

static void
ip_dec(struct ipaddr *ip)
{
	int i;

	for (i = 15; i >= 0; i--)
		if (ip->b[i]-- != 0)
			return;
}

/* Appends [lo, hi] with val, joining it to an equal neighbour. */
static void
emit(struct cfg_pfxmap *map, const struct ipaddr *lo, const struct ipaddr *hi,
    int val)
{
	struct cfg_iv *last = map->n ? &map->iv[map->n - 1] : NULL;

	if (memcmp(lo->b, hi->b, 16) > 0)
		return;
	if (last != NULL && last->val == val) {
		struct ipaddr next = last->hi;
		if (!ip_inc(&next) && memcmp(next.b, lo->b, 16) == 0) {
			last->hi = *hi;
			return;
		}
	}
	map->iv[map->n].lo = *lo;
	map->iv[map->n].hi = *hi;
	map->iv[map->n].val = val;
	map->n++;
}

int
cfg_map_build(struct config *cfg, struct cfg_pfxmap *map,
    struct cfg_nets *const *lists, const char *const *owners, size_t n,
    const char *kind)
{
	struct entry *e, *stack[130];
	struct ipaddr cursor;
	size_t total = 0, i, j, k, sp = 0;
	int done = 0;

	map->iv = NULL;
	map->n = 0;
	for (i = 0; i < n; i++)
		total += lists[i]->n;
	if (total == 0)
		return 0;
	if ((e = malloc(total * sizeof *e)) == NULL)
		return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	for (i = k = 0; i < n; i++)
		for (j = 0; j < lists[i]->n; j++) {
			e[k].c = &lists[i]->v[j];
			e[k].val = (int)i;
			e[k].line = lists[i]->line;
			k++;
		}
	qsort(e, total, sizeof *e, entry_cmp);
	for (i = 1; i < total; i++) {
		const struct entry *a = &e[i - 1], *b = &e[i];
		if (a->c->plen != b->c->plen ||
		    memcmp(a->c->lo.b, b->c->lo.b, 16) != 0)
			continue;
		cfg_fail(cfg, b->line, "network '%s' of %s '%s' is already in "
		    "%s '%s'%s%.0llu%s", cfg_qs(cfg, b->c->text), kind,
		    cfg_qs(cfg, owners[b->val]), kind,
		    cfg_qs(cfg, owners[a->val]),
		    a->line == CFG_CMDLINE ? " (command line)" : " (line ",
		    (unsigned long long)a->line,
		    a->line == CFG_CMDLINE ? "" : ")");
		free(e);
		return -1;
	}
	if ((map->iv = cfg_alloc(cfg, (2 * total + 1) * sizeof *map->iv)) ==
	    NULL) {
		free(e);
		return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	}
	/*
	 * Sorted by start, wider first: a block either nests in the one on
	 * top of the stack or starts after it ends.
	 */
	memset(&cursor, 0, sizeof cursor);
	for (i = 0; i < total; i++) {
		const struct cfg_cidr *c = e[i].c;
		while (sp > 0 && memcmp(stack[sp - 1]->c->hi.b, c->lo.b, 16) < 0) {
			struct entry *top = stack[--sp];
			if (!done)
				emit(map, &cursor, &top->c->hi, top->val);
			cursor = top->c->hi;
			done = ip_inc(&cursor);
		}
		if (sp > 0 && memcmp(cursor.b, c->lo.b, 16) < 0) {
			struct ipaddr before = c->lo;
			ip_dec(&before);
			emit(map, &cursor, &before, stack[sp - 1]->val);
		}
		cursor = c->lo;
		done = 0;
		stack[sp++] = &e[i];
	}
	while (sp > 0) {
		struct entry *top = stack[--sp];
		if (!done)
			emit(map, &cursor, &top->c->hi, top->val);
		cursor = top->c->hi;
		done = ip_inc(&cursor);
	}
	free(e);
	return 0;
}

int
cfg_map_lookup(const struct cfg_pfxmap *map, const struct ipaddr *ip)
{
	size_t lo = 0, hi = map->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (memcmp(map->iv[mid].hi.b, ip->b, 16) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < map->n && memcmp(map->iv[lo].lo.b, ip->b, 16) <= 0)
		return map->iv[lo].val;
	return -1;
}

int
cfg_net_finish(struct config *cfg)
{
	struct cfg_nets **lists;
	const char **owners;
	struct cfg_nets *one;
	size_t i, n = cfg->nseg > cfg->negress ? cfg->nseg : cfg->negress;

	if (!cfg->internal.given && cfg_parse_nets(cfg, SLICE_LIT("private"),
	    CFG_NOLINE, &cfg->internal, 1) != 0)
		return -1;
	one = &cfg->internal;
	if (cfg_map_build(cfg, &cfg->internal_map, &one, NULL, 1, NULL) != 0)
		return -1;
	one = &cfg->proxies;
	if (cfg_map_build(cfg, &cfg->proxy_map, &one, NULL, 1, NULL) != 0)
		return -1;
	if (n == 0)
		return 0;
	lists = cfg_alloc(cfg, n * sizeof *lists);
	owners = cfg_alloc(cfg, n * sizeof *owners);
	if (lists == NULL || owners == NULL)
		return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	for (i = 0; i < cfg->nseg; i++) {
		if (cfg->seg[i].nets.n == 0)
			return cfg_fail(cfg, cfg->seg[i].line, "segment '%s' has "
			    "no networks", cfg_qs(cfg, cfg->seg[i].name));
		lists[i] = &cfg->seg[i].nets;
		owners[i] = cfg->seg[i].name;
	}
	if (cfg_map_build(cfg, &cfg->seg_map, lists, owners, cfg->nseg,
	    "segment") != 0)
		return -1;
	for (i = 0; i < cfg->negress; i++) {
		lists[i] = &cfg->egress[i].nets;
		owners[i] = cfg->egress[i].label;
	}
	return cfg_map_build(cfg, &cfg->egress_map, lists, owners,
	    cfg->negress, "egress");
}

int
config_is_internal(const struct config *cfg, const struct ipaddr *ip)
{
	return cfg_map_lookup(&cfg->internal_map, ip) >= 0;
}

int
config_is_proxy(const struct config *cfg, const struct ipaddr *ip)
{
	return cfg_map_lookup(&cfg->proxy_map, ip) >= 0;
}

const char *
config_egress_label(const struct config *cfg, const struct ipaddr *ip)
{
	int v = cfg_map_lookup(&cfg->egress_map, ip);

	return v < 0 ? NULL : cfg->egress[v].label;
}

int
config_segment_of(const struct config *cfg, const struct ipaddr *ip)
{
	int v = cfg_map_lookup(&cfg->seg_map, ip);

	return v < 0 ? CONFIG_NO_SEGMENT : v;
}

int
config_segment_count(const struct config *cfg)
{
	return (int)cfg->nseg;
}

const char *
config_segment_name(const struct config *cfg, int seg)
{
	if (seg < 0 || (size_t)seg >= cfg->nseg)
		return NULL;
	return cfg->seg[seg].name;
}

const char *
config_segment_description(const struct config *cfg, int seg)
{
	if (seg < 0 || (size_t)seg >= cfg->nseg || cfg->seg[seg].desc == NULL)
		return "";
	return cfg->seg[seg].desc;
}

int
config_segment_find(const struct config *cfg, const char *name)
{
	return cfg_segment_lookup(cfg, slice_cstr(name));
}
