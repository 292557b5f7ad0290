/*
 * config.c: the life of a struct config: its memory (one arena, so that
 * config_free releases everything at once and nothing handed out can leak),
 * its error messages ("file:line: reason" or "command line: reason" into
 * the caller's buffer), the dispatch of each key to the file that owns its
 * section, the finishing pass, and the [site] accessors. Reading the file
 * and --set are in config_file.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config_impl.h"
#include "esc.h"

/* A block of the arena; allocations are aligned like malloc's. */
struct cfg_block {
	struct cfg_block *next;
	size_t used, cap;
	max_align_t data[];
};

#define CFG_BLOCK 8192

/* Values longer than this are cut in messages, with "..." after. */
#define CFG_QUOTE_MAX 72

void *
cfg_alloc(struct config *cfg, size_t n)
{
	struct cfg_block *b = cfg->mem;
	size_t a = sizeof(max_align_t);
	void *p;

	n = (n + a - 1) / a * a;
	if (n == 0)
		n = a;
	if (b == NULL || b->cap - b->used < n) {
		size_t cap = n > CFG_BLOCK ? n : CFG_BLOCK;
		if ((b = malloc(sizeof *b + cap)) == NULL)
			return NULL;
		b->used = 0;
		b->cap = cap;
		/* A big one-off block goes behind, so the current one fills. */
		if (cap > CFG_BLOCK && cfg->mem != NULL) {
			b->next = cfg->mem->next;
			cfg->mem->next = b;
		} else {
			b->next = cfg->mem;
			cfg->mem = b;
		}
	}
	p = (char *)b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *
cfg_strdup(struct config *cfg, struct slice s)
{
	char *p = cfg_alloc(cfg, s.n + 1);

	if (p != NULL && s.n > 0)
		memcpy(p, s.p, s.n);
	return p;
}

void *
cfg_grow(struct config *cfg, void *v, size_t n, size_t *cap, size_t sz)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return v;
	ncap = *cap ? *cap * 2 : 8;
	if ((nv = cfg_alloc(cfg, ncap * sz)) == NULL)
		return NULL;
	if (n > 0)
		memcpy(nv, v, n * sz);
	*cap = ncap;
	return nv;
}

size_t
cfg_place(const struct config *cfg, uint64_t line, char *buf, size_t cap)
{
	int r;

	if (cap == 0)
		return 0;
	if (line == CFG_CMDLINE) {
		r = snprintf(buf, cap, "command line: ");
	} else if (line != CFG_NOLINE) {
		/* Not through cfg_q: the message may need all four buffers. */
		char path[CFG_QUOTE_MAX * ESC_MAX_GROWTH + 4];
		struct slice p = slice_cstr(cfg->path ? cfg->path : "-");
		size_t n = 0;

		/* A long path keeps its end, the file's name. */
		if (p.n > CFG_QUOTE_MAX) {
			p = slice_from(p, p.n - CFG_QUOTE_MAX);
			memcpy(path, "...", 3);
			n = 3;
		}
		n += esc_tsv(path + n, p, ESC_TSV);
		path[n] = '\0';
		r = snprintf(buf, cap, "%s:%llu: ", path,
		    (unsigned long long)line);
	} else {
		buf[0] = '\0';
		r = 0;
	}
	if (r <= 0)
		return 0;
	return (size_t)r < cap ? (size_t)r : cap - 1;
}

int
cfg_fail(struct config *cfg, uint64_t line, const char *fmt, ...)
{
	va_list ap;
	size_t off;

	if (cfg->err == NULL || cfg->errcap == 0)
		return -1;
	off = cfg_place(cfg, line, cfg->err, cfg->errcap);
	va_start(ap, fmt);
	vsnprintf(cfg->err + off, cfg->errcap - off, fmt, ap);
	va_end(ap);
	return -1;
}

const char *
cfg_q(struct config *cfg, struct slice s)
{
	char *dst = cfg->qbuf[cfg->qnext];
	int cut = s.n > CFG_QUOTE_MAX;
	size_t n;

	cfg->qnext = (cfg->qnext + 1) % 4;
	if (cut)
		s.n = CFG_QUOTE_MAX;
	n = esc_tsv(dst, s, ESC_TSV);
	if (cut) {
		memcpy(dst + n, "...", 3);
		n += 3;
	}
	dst[n] = '\0';
	return dst;
}

const char *
cfg_qs(struct config *cfg, const char *s)
{
	return cfg_q(cfg, slice_cstr(s));
}

const char *
cfg_path(struct config *cfg, struct slice path, uint64_t line, int glob)
{
	size_t i, dn = 0, len;
	char *p;

	/* Only a pattern is globbed (csm-daily takes a plain path as it is). */
	for (i = 0; glob && i < path.n; i++)
		if (path.p[i] == '*' || path.p[i] == '?' || path.p[i] == '[')
			break;
	glob = glob && i < path.n;
	if (line == CFG_CMDLINE || path.n == 0 || path.p[0] == '/' ||
	    cfg->dir == NULL || cfg->dir[0] == '\0')
		return cfg_strdup(cfg, path);
	len = strlen(cfg->dir);
	if ((p = cfg_alloc(cfg, 2 * len + 1 + path.n + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		/* In "/etc/csm[1]/x.log", "[1]" is no character class. */
		if (glob && strchr("*?[\\", cfg->dir[i]) != NULL)
			p[dn++] = '\\';
		p[dn++] = cfg->dir[i];
	}
	if (cfg->dir[len - 1] != '/')
		p[dn++] = '/';
	memcpy(p + dn, path.p, path.n);
	return p;
}

struct config *
config_new(void)
{
	struct config *cfg = calloc(1, sizeof *cfg);

	if (cfg == NULL)
		return NULL;
	/* The defaults: Monday to Friday, 09:00-18:00, Japanese holidays. */
	cfg->hsrc.days = 0x3e;
	cfg->hsrc.japan = 1;
	if ((cfg->hsrc.r = cfg_alloc(cfg, sizeof *cfg->hsrc.r)) == NULL) {
		free(cfg);
		return NULL;
	}
	cfg->hsrc.r[0].start = 9 * 60;
	cfg->hsrc.r[0].end = 18 * 60;
	cfg->hsrc.n = 1;
	return cfg;
}

void
config_free(struct config *cfg)
{
	struct cfg_block *b, *next;

	if (cfg == NULL)
		return;
	for (b = cfg->mem; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(cfg);
}

/* The sections csm itself reads; anything else is a check's section. */
static const struct {
	const char *name;
	enum cfg_sect sect;
	int named;
} core[] = {
	{ "site", SECT_SITE, 0 },
	{ "networks", SECT_NETWORKS, 0 },
	{ "egress", SECT_EGRESS, 0 },
	{ "segment", SECT_SEGMENT, 1 },
	{ "flows", SECT_FLOWS, 0 },
	{ "hours", SECT_HOURS, 0 },
	{ "maintenance", SECT_MAINT, 1 },
	{ "lists", SECT_LISTS, 0 },
};

int
cfg_sect_lookup(struct slice type, int *named)
{
	size_t i;

	for (i = 0; i < sizeof core / sizeof core[0]; i++)
		if (slice_eq_nocase(type, core[i].name)) {
			*named = core[i].named;
			return (int)core[i].sect;
		}
	*named = 0;
	return SECT_CHECK;
}

const char *
cfg_sect_name(enum cfg_sect sect)
{
	size_t i;

	for (i = 0; i < sizeof core / sizeof core[0]; i++)
		if (core[i].sect == sect)
			return core[i].name;
	return "?";
}

const char *
cfg_where(struct config *cfg, int sect, struct slice sname)
{
	char *dst = cfg->qbuf[cfg->qnext];
	const char *name;

	cfg->qnext = (cfg->qnext + 1) % 4;
	name = cfg_q(cfg, sname);
	if (sect == SECT_CHECK)
		snprintf(dst, sizeof cfg->qbuf[0], "[%s]", name);
	else if (sect == SECT_SEGMENT || sect == SECT_MAINT)
		snprintf(dst, sizeof cfg->qbuf[0], "[%s %s]",
		    cfg_sect_name(sect), name);
	else
		snprintf(dst, sizeof cfg->qbuf[0], "[%s]", cfg_sect_name(sect));
	return dst;
}

/* A key of [site]. */
static int
site_apply(struct config *cfg, struct slice key, struct slice value,
    uint64_t line)
{
	if (slice_eq_nocase(key, "name")) {
		if ((cfg->site_name = cfg_strdup(cfg, value)) == NULL)
			return cfg_fail(cfg, CFG_NOLINE, "out of memory");
		return 0;
	}
	if (slice_eq_nocase(key, "timezone")) {
		char *tz = cfg_strdup(cfg, value);
		if (tz == NULL)
			return cfg_fail(cfg, CFG_NOLINE, "out of memory");
		if (!cfg_zone_valid(tz))
			return cfg_fail(cfg, line, "unknown time zone '%s'",
			    cfg_q(cfg, value));
		cfg->tz = tz;
		cfg->tz_line = line;
		return 0;
	}
	return cfg_fail(cfg, line, "unknown key '%s' in [site]",
	    cfg_q(cfg, key));
}

int
cfg_apply(struct config *cfg, int sect, struct slice sname, struct slice key,
    struct slice value, uint64_t line)
{
	/* A header alone: named sections come to life, checks are noted. */
	if (key.p == NULL) {
		switch (sect) {
		case SECT_SEGMENT:
			return cfg_net_apply(cfg, SECT_SEGMENT, sname, key,
			    value, line);
		case SECT_MAINT:
			return cfg_maint_apply(cfg, sname, key, value, line);
		case SECT_CHECK:
			return cfg_check_apply(cfg, sname, key, value, line);
		default:
			return 0;
		}
	}
	if (value.n == 0)
		return cfg_fail(cfg, line, "empty value for '%s' in %s",
		    cfg_q(cfg, key), cfg_where(cfg, sect, sname));
	switch (sect) {
	case SECT_SITE:
		return site_apply(cfg, key, value, line);
	case SECT_NETWORKS:
	case SECT_EGRESS:
	case SECT_SEGMENT:
		return cfg_net_apply(cfg, sect, sname, key, value, line);
	case SECT_FLOWS:
		return cfg_flow_apply(cfg, key, value, line);
	case SECT_HOURS:
		return cfg_hours_apply(cfg, key, value, line);
	case SECT_MAINT:
		return cfg_maint_apply(cfg, sname, key, value, line);
	case SECT_LISTS:
		return cfg_lists_apply(cfg, key, value, line);
	default:
		return cfg_check_apply(cfg, sname, key, value, line);
	}
}

void
cfg_begin(struct config *cfg, char *err, size_t errcap)
{
	cfg->err = err;
	cfg->errcap = errcap;
	if (err != NULL && errcap > 0)
		err[0] = '\0';
}

int
config_finish(struct config *cfg, char *err, size_t errcap)
{
	cfg_begin(cfg, err, errcap);
	if (cfg->finished)
		return cfg_fail(cfg, CFG_NOLINE, "configuration finished twice");
	if (cfg->tz == NULL) {
		const char *tz = getenv("TZ");
		if (tz == NULL || *tz == '\0')
			tz = "UTC";
		if (!cfg_zone_valid(tz))
			return cfg_fail(cfg, CFG_NOLINE, "unknown time zone "
			    "'%s' (from TZ)", cfg_qs(cfg, tz));
		if ((cfg->tz = cfg_strdup(cfg, slice_cstr(tz))) == NULL)
			return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	}
	if (cfg_zone_finish(cfg) != 0 || cfg_net_finish(cfg) != 0 ||
	    cfg_flow_finish(cfg) != 0 || cfg_hours_finish(cfg) != 0 ||
	    cfg_maint_finish(cfg) != 0 || cfg_check_finish(cfg) != 0)
		return -1;
	cfg->finished = 1;
	return 0;
}

int
config_setup(struct config *cfg, const char *cflag, char *const *sets,
    size_t nsets, char *err, size_t errcap)
{
	char path[4096];
	size_t i;
	int r;

	r = config_find(cflag, path, sizeof path, err, errcap);
	if (r < 0)
		return -1;
	if (r == 1 && config_load(cfg, path, err, errcap) != 0)
		return -1;
	for (i = 0; i < nsets; i++)
		if (config_set(cfg, sets[i], err, errcap) != 0)
			return -1;
	return config_finish(cfg, err, errcap);
}

const char *
config_path(const struct config *cfg)
{
	return cfg->path;
}

const char *
config_site_name(const struct config *cfg)
{
	return cfg->site_name ? cfg->site_name : "";
}

const char *
config_timezone(const struct config *cfg)
{
	return cfg->tz ? cfg->tz : "UTC";
}
