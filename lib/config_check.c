/*
 * config_check.c: the sections that name files and tunables rather than
 * the organisation. [lists] holds the paths of list files the checks read
 * (resolved, not opened: lib/listfile.c reads them). A check's own section
 * ([beacon], [proxycheck], ...) is kept as written, with line numbers,
 * until config_finish: then the sections this program declared are checked
 * key by key against its table and stored through the table's pointers,
 * the sections of other checks are left alone (one file serves every
 * program), and a section no check has is an error. So no key is ever
 * ignored quietly by the program that should read it.
 */
#include <string.h>
#include "config_impl.h"
#include "num.h"

/* Every check that has a section; a new check adds its name here. */
static const char *const checks[] = {
	"offhours", "fwdirect", "proxycheck", "ioc", "mailcheck",
	"authcheck", "beacon", "daily", "geoip", "report",
};

static const char *const list_keys[CONFIG_LIST_COUNT] = {
	"user-agents", "admins", "ioc", "protected-names",
};

int
cfg_lists_apply(struct config *cfg, struct slice key, struct slice value,
    uint64_t line)
{
	int i;

	for (i = 0; i < CONFIG_LIST_COUNT; i++)
		if (slice_eq_nocase(key, list_keys[i])) {
			cfg->lists[i].line = line;
			return cfg_parse_paths(cfg, value, line,
			    &cfg->lists[i].v, 0);
		}
	return cfg_fail(cfg, line, "unknown key '%s' in [lists]",
	    cfg_q(cfg, key));
}

const struct config_strv *
config_list_paths(const struct config *cfg, enum config_list which)
{
	static const struct config_strv none = { NULL, 0 };

	if ((int)which < 0 || which >= CONFIG_LIST_COUNT)
		return &none;
	return &cfg->lists[which].v;
}

int
cfg_check_apply(struct config *cfg, struct slice section, struct slice key,
    struct slice value, uint64_t line)
{
	struct cfg_raw *r;
	size_t i;

	/* A header is kept once, so that an empty unknown section is seen. */
	if (key.p == NULL)
		for (i = 0; i < cfg->nraw; i++)
			if (slice_eq_nocase(section, cfg->raw[i].section))
				return 0;
	cfg->raw = cfg_grow(cfg, cfg->raw, cfg->nraw, &cfg->raw_cap,
	    sizeof *cfg->raw);
	if (cfg->raw == NULL)
		return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	r = &cfg->raw[cfg->nraw];
	if ((r->section = cfg_strdup(cfg, section)) == NULL ||
	    (key.p != NULL && ((r->key = cfg_strdup(cfg, key)) == NULL ||
	    (r->value = cfg_strdup(cfg, value)) == NULL)))
		return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	r->line = line;
	cfg->nraw++;
	return 0;
}

int
config_declare(struct config *cfg, const char *section,
    const struct config_key *keys, size_t n)
{
	struct cfg_decl *d;
	size_t i;
	int named;

	if (cfg_sect_lookup(slice_cstr(section), &named) != SECT_CHECK)
		return -1;
	for (i = 0; i < cfg->ndecl; i++)
		if (slice_eq_nocase(slice_cstr(section), cfg->decl[i].section))
			return -1;
	cfg->decl = cfg_grow(cfg, cfg->decl, cfg->ndecl, &cfg->decl_cap,
	    sizeof *cfg->decl);
	if (cfg->decl == NULL)
		return -1;
	d = &cfg->decl[cfg->ndecl];
	if ((d->section = cfg_strdup(cfg, slice_cstr(section))) == NULL)
		return -1;
	d->keys = keys;
	d->n = n;
	cfg->ndecl++;
	return 0;
}

const char *
config_key_where(const struct config *cfg, const void *dst, char *buf,
    size_t cap)
{
	const struct cfg_decl *d;
	const char *key = NULL;
	size_t i, j;

	buf[0] = '\0';
	for (i = 0; i < cfg->ndecl && key == NULL; i++)
		for (d = &cfg->decl[i], j = 0; j < d->n; j++)
			if (d->keys[j].dst == dst) {
				key = d->keys[j].name;
				break;
			}
	if (key == NULL)
		return buf;
	d = &cfg->decl[i - 1];
	/* The last one given is the one in force. */
	for (i = cfg->nraw; i-- > 0;) {
		const struct cfg_raw *r = &cfg->raw[i];

		if (r->key != NULL && slice_eq_nocase(slice_cstr(r->section),
		    d->section) && slice_eq_nocase(slice_cstr(r->key), key)) {
			cfg_place(cfg, r->line, buf, cap);
			break;
		}
	}
	return buf;
}

/* Checks a value against the range of k (max 0: no limit). */
static int
in_range(struct config *cfg, const struct cfg_raw *r,
    const struct config_key *k, uint64_t v)
{
	if (v >= k->min && (k->max == 0 || v <= k->max))
		return 0;
	if (k->max == 0)
		return cfg_fail(cfg, r->line, "'%s' in [%s] must be at least "
		    "%llu, not '%s'", cfg_qs(cfg, r->key), cfg_qs(cfg,
		    r->section), (unsigned long long)k->min,
		    cfg_qs(cfg, r->value));
	return cfg_fail(cfg, r->line, "'%s' in [%s] must be from %llu to "
	    "%llu, not '%s'", cfg_qs(cfg, r->key), cfg_qs(cfg, r->section),
	    (unsigned long long)k->min, (unsigned long long)k->max,
	    cfg_qs(cfg, r->value));
}

/* Stores one raw value through its declared key. */
static int
store(struct config *cfg, const struct cfg_raw *r, const struct config_key *k)
{
	struct slice v = slice_cstr(r->value), item, rest;
	uint64_t u;
	int b;

	switch (k->type) {
	case CONFIG_BOOL:
		if (cfg_parse_bool(v, &b) != 0)
			return cfg_fail(cfg, r->line, "bad boolean '%s' for "
			    "'%s' in [%s] (yes or no)", cfg_q(cfg, v),
			    cfg_qs(cfg, r->key), cfg_qs(cfg, r->section));
		*(int *)k->dst = b;
		return 0;
	case CONFIG_UINT:
	case CONFIG_DURATION:
		if (k->type == CONFIG_UINT ? num_parse_u64(v, UINT64_MAX,
		    &u) != 0 : cfg_parse_duration(v, &u) != 0)
			return cfg_fail(cfg, r->line, "bad %s '%s' for '%s' in "
			    "[%s]", k->type == CONFIG_UINT ? "number" :
			    "duration", cfg_q(cfg, v), cfg_qs(cfg, r->key),
			    cfg_qs(cfg, r->section));
		if (in_range(cfg, r, k, u) != 0)
			return -1;
		*(uint64_t *)k->dst = u;
		return 0;
	case CONFIG_STRING:
		*(const char **)k->dst = r->value;
		return 0;
	case CONFIG_PATH:
		rest = v;
		if (cfg_next_item(&rest, &item) != 1 ||
		    slice_trim(rest).n > 0 || item.n == 0)
			return cfg_fail(cfg, r->line, "bad path '%s' for '%s' "
			    "in [%s] (one path; \"quote\" one with spaces)",
			    cfg_q(cfg, v), cfg_qs(cfg, r->key),
			    cfg_qs(cfg, r->section));
		if ((*(const char **)k->dst = cfg_path(cfg, item, r->line, 0)) ==
		    NULL)
			return cfg_fail(cfg, CFG_NOLINE, "out of memory");
		return 0;
	case CONFIG_LIST: {
		struct config_strv *sv = k->dst;
		const char **out = NULL;
		size_t n = 0, cap = 0;
		int got;

		rest = v;
		while ((got = cfg_next_item(&rest, &item)) == 1) {
			out = cfg_grow(cfg, out, n, &cap, sizeof *out);
			if (out == NULL ||
			    (out[n++] = cfg_strdup(cfg, item)) == NULL)
				return cfg_fail(cfg, CFG_NOLINE,
				    "out of memory");
		}
		if (got < 0)
			return cfg_fail(cfg, r->line, "unterminated quote in "
			    "'%s'", cfg_q(cfg, v));
		sv->v = out;
		sv->n = n;
		return 0;
	}
	case CONFIG_PATHS:
	case CONFIG_GLOBS:
		return cfg_parse_paths(cfg, v, r->line, k->dst,
		    k->type == CONFIG_GLOBS);
	}
	return cfg_fail(cfg, r->line, "key '%s' in [%s] has no type",
	    cfg_qs(cfg, r->key), cfg_qs(cfg, r->section));
}

static int
known_check(const char *section)
{
	size_t i;

	for (i = 0; i < sizeof checks / sizeof checks[0]; i++)
		if (slice_eq_nocase(slice_cstr(section), checks[i]))
			return 1;
	return 0;
}

int
cfg_check_finish(struct config *cfg)
{
	size_t i, j;

	for (i = 0; i < cfg->nraw; i++) {
		const struct cfg_raw *r = &cfg->raw[i];
		const struct cfg_decl *d = NULL;

		for (j = 0; j < cfg->ndecl; j++)
			if (slice_eq_nocase(slice_cstr(r->section),
			    cfg->decl[j].section))
				d = &cfg->decl[j];
		if (d == NULL && !known_check(r->section))
			return cfg_fail(cfg, r->line, "unknown section '[%s]'",
			    cfg_qs(cfg, r->section));
		if (r->key == NULL)
			continue;
		if (d == NULL) {
			/* Another check's: its program checks it. */
			if (r->line == CFG_CMDLINE)
				return cfg_fail(cfg, r->line, "this program "
				    "does not read [%s]", cfg_qs(cfg,
				    r->section));
			continue;
		}
		for (j = 0; j < d->n; j++)
			if (slice_eq_nocase(slice_cstr(r->key), d->keys[j].name))
				break;
		if (j == d->n)
			return cfg_fail(cfg, r->line, "unknown key '%s' in [%s]",
			    cfg_qs(cfg, r->key), cfg_qs(cfg, r->section));
		if (store(cfg, r, &d->keys[j]) != 0)
			return -1;
	}
	return 0;
}
