/*
 * config_file.c: where the configuration comes from. config_find walks the
 * search order (-c, $CSM_CONFIG, ./csm.conf, ~/.config/csm/csm.conf,
 * /etc/csm/csm.conf); config_load feeds the file to inih through a reader
 * of our own, so that every line is numbered, over-long lines are refused
 * instead of being cut in two (inih would parse the rest as a new line),
 * section headers are checked whole (inih truncates long ones quietly) and
 * a line inih cannot parse is reported with its text; config_set applies
 * a --set assignment. Each complete key goes to cfg_apply in file order,
 * so the first mistake reported is the first in the file.
 */
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "config_impl.h"
#include "diag.h"
#include "input.h"
#include "num.h"

enum line_kind { LK_BLANK, LK_COMMENT, LK_HEADER, LK_OTHER };

/* A section header already seen, for "defined twice". */
struct seen {
	int sect;
	const char *name;
	uint64_t line;
};

/* A key already seen in the current section. */
struct seen_key {
	const char *key;
	uint64_t line;
};

struct load {
	struct config *cfg;
	struct input in;
	int failed, read_error;
	uint64_t lineno;
	enum line_kind kind;	/* of the line handed to inih last */
	int indented, handled;
	struct slice raw;	/* its text (valid until the next read) */

	int have_sect, sect;
	const char *sname;
	struct seen *seen;
	size_t nseen, seen_cap;
	struct seen_key *keys;
	size_t nkeys, keys_cap;

	int pending;		/* a key waiting for continuation lines */
	const char *key;
	char *value;
	size_t vlen;
	uint64_t pline;
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

static struct slice
trim_all(struct slice s)
{
	while (s.n && is_space(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_space(s.p[s.n - 1]))
		s.n--;
	return s;
}

/* Cuts a comment (';' or '#' after white space) off a value. */
static struct slice
strip_comment(struct slice s)
{
	size_t i;

	for (i = 1; i < s.n; i++)
		if ((s.p[i] == '#' || s.p[i] == ';') && is_space(s.p[i - 1])) {
			s.n = i;
			break;
		}
	return trim_all(s);
}

static void
fail_mark(struct load *ld)
{
	ld->failed = 1;
}

/* Applies the pending key, if any. */
static void
flush(struct load *ld)
{
	if (!ld->pending || ld->failed)
		return;
	ld->pending = 0;
	if (cfg_apply(ld->cfg, ld->sect, slice_cstr(ld->sname),
	    slice_cstr(ld->key), slice_make(ld->value, ld->vlen),
	    ld->pline) != 0)
		fail_mark(ld);
}

/* After inih is done with a line: a line it could not parse is an error. */
static void
end_of_line(struct load *ld)
{
	if (ld->failed || ld->lineno == 0 || ld->kind != LK_OTHER ||
	    ld->handled)
		return;
	flush(ld);
	if (ld->failed)
		return;
	cfg_fail(ld->cfg, ld->lineno, "expected 'key = value' or "
	    "'[section]', not '%s'", cfg_q(ld->cfg, trim_all(ld->raw)));
	fail_mark(ld);
}

/* A "[type name]" line: checks it, then makes it the current section. */
static void
header(struct load *ld, struct slice t)
{
	struct config *cfg = ld->cfg;
	struct slice inner, rest, type, name, extra;
	long close = slice_find(t, ']');
	int sect, named;
	size_t i;
	struct seen *sn;

	flush(ld);
	if (ld->failed)
		return;
	if (close < 0) {
		cfg_fail(cfg, ld->lineno, "unterminated section header '%s'",
		    cfg_q(cfg, t));
		goto bad;
	}
	inner = slice_make(t.p + 1, (size_t)close - 1);
	rest = trim_all(slice_from(t, (size_t)close + 1));
	if ((rest.n > 0 && rest.p[0] != '#' && rest.p[0] != ';') ||
	    slice_find(inner, ';') >= 0 || slice_find(inner, '#') >= 0 ||
	    slice_find(inner, '[') >= 0) {
		cfg_fail(cfg, ld->lineno, "bad section header '%s'",
		    cfg_q(cfg, t));
		goto bad;
	}
	inner = trim_all(inner);
	type = slice_next_word(&inner);
	name = slice_next_word(&inner);
	extra = slice_next_word(&inner);
	if (type.n == 0 || extra.n > 0) {
		cfg_fail(cfg, ld->lineno, "bad section header '%s'",
		    cfg_q(cfg, t));
		goto bad;
	}
	sect = cfg_sect_lookup(type, &named);
	if (named && name.n == 0) {
		cfg_fail(cfg, ld->lineno, "section [%s] needs a name, as in "
		    "[%s NAME]", cfg_sect_name(sect), cfg_sect_name(sect));
		goto bad;
	}
	if (!named && name.n > 0) {
		cfg_fail(cfg, ld->lineno, "section '[%s]' takes no name",
		    cfg_q(cfg, type));
		goto bad;
	}
	if (named && !cfg_name_valid(name)) {
		cfg_fail(cfg, ld->lineno, "bad %s name '%s' (letters, digits, "
		    "'-' and '_')", cfg_sect_name(sect), cfg_q(cfg, name));
		goto bad;
	}
	if (!named)
		name = type;
	for (i = 0; i < ld->nseen; i++) {
		sn = &ld->seen[i];
		if (sn->sect != sect)
			continue;
		if (named && slice_eq(name, sn->name)) {
			cfg_fail(cfg, ld->lineno, "%s '%s' defined twice "
			    "(first at line %llu)", cfg_sect_name(sect),
			    cfg_q(cfg, name), (unsigned long long)sn->line);
			goto bad;
		}
		if (!named && slice_eq_nocase(name, sn->name)) {
			cfg_fail(cfg, ld->lineno, "section [%s] defined twice "
			    "(first at line %llu)", cfg_q(cfg, name),
			    (unsigned long long)sn->line);
			goto bad;
		}
	}
	ld->seen = cfg_grow(cfg, ld->seen, ld->nseen, &ld->seen_cap,
	    sizeof *ld->seen);
	if (ld->seen == NULL || (ld->sname = cfg_strdup(cfg, name)) == NULL) {
		cfg_fail(cfg, CFG_NOLINE, "out of memory");
		goto bad;
	}
	sn = &ld->seen[ld->nseen++];
	sn->sect = sect;
	sn->name = ld->sname;
	sn->line = ld->lineno;
	ld->have_sect = 1;
	ld->sect = sect;
	ld->nkeys = 0;
	if (cfg_apply(cfg, sect, name, SLICE_NONE, SLICE_NONE,
	    ld->lineno) != 0)
		goto bad;
	return;
bad:
	fail_mark(ld);
}

/*
 * Whether key line t starts with an IPv6 address or network ("fd00::/8",
 * "2001:db8::/32") on a line of its own, meant to go on with the value
 * above: a word of two ':' or more whose first group is empty or 1 to 4
 * hex digits. inih splits a line at ':' as at '=' ("key: value" and
 * "internal:fd00::/8" are allowed), so it would become a key "fd00".
 */
static int
starts_with_address(struct slice t)
{
	size_t i, colons = 0, group = SIZE_MAX;

	for (i = 0; i < t.n && !is_space(t.p[i]) && t.p[i] != '='; i++)
		if (t.p[i] == ':') {
			if (colons++ == 0)
				group = i;
		}
	if (colons < 2 || group > 4)
		return 0;
	for (i = 0; i < group; i++)
		if (num_hex_digit(t.p[i]) < 0)
			return 0;
	return 1;
}

/* inih's fgets: hands out one whole line at a time, or refuses it. */
static char *
reader(char *str, int num, void *stream)
{
	struct load *ld = stream;
	struct slice line, t;
	enum input_status st;

	end_of_line(ld);
	if (ld->failed)
		return NULL;
	st = input_next(&ld->in, &line);
	if (st == INPUT_EOF)
		return NULL;
	if (st == INPUT_ERROR) {
		ld->read_error = 1;
		return NULL;
	}
	ld->lineno = ld->in.lineno;
	ld->handled = 0;
	if (st == INPUT_LINE && ld->lineno == 1 &&
	    slice_has_prefix(line, "\xef\xbb\xbf"))
		line = slice_from(line, 3);
	if (st == INPUT_LONG || num < 2 || line.n > (size_t)num - 2) {
		flush(ld);
		if (!ld->failed)
			cfg_fail(ld->cfg, ld->lineno, "line longer than %d "
			    "bytes; continue the value on an indented line",
			    num - 2);
		fail_mark(ld);
		return NULL;
	}
	if (line.n > 0 && memchr(line.p, '\0', line.n) != NULL) {
		flush(ld);
		if (!ld->failed)
			cfg_fail(ld->cfg, ld->lineno, "NUL byte in line");
		fail_mark(ld);
		return NULL;
	}
	ld->raw = line;
	t = trim_all(line);
	ld->indented = line.n > 0 && is_space(line.p[0]);
	if (t.n == 0) {
		ld->kind = LK_BLANK;
	} else if (t.p[0] == ';' || t.p[0] == '#') {
		ld->kind = LK_COMMENT;
	} else if (t.p[0] == '[') {
		ld->kind = LK_HEADER;
		if (ld->indented) {
			flush(ld);
			if (!ld->failed)
				cfg_fail(ld->cfg, ld->lineno, "section header "
				    "'%s' must start the line", cfg_q(ld->cfg, t));
			fail_mark(ld);
			return NULL;
		}
		header(ld, t);
		if (ld->failed)
			return NULL;
	} else {
		ld->kind = LK_OTHER;
		if (!ld->indented && starts_with_address(t)) {
			flush(ld);
			if (!ld->failed)
				cfg_fail(ld->cfg, ld->lineno, "'%s' is no key "
				    "but an address: a value that goes on over "
				    "lines goes on over indented ones",
				    cfg_q(ld->cfg, t));
			fail_mark(ld);
			return NULL;
		}
	}
	if (line.n > 0)
		memcpy(str, line.p, line.n);
	str[line.n] = '\n';
	str[line.n + 1] = '\0';
	return str;
}

/* Appends a continuation line to the pending value. */
static void
append(struct load *ld, struct slice more)
{
	char *v;

	if (more.n == 0)
		return;
	if ((v = cfg_alloc(ld->cfg, ld->vlen + 1 + more.n + 1)) == NULL) {
		cfg_fail(ld->cfg, CFG_NOLINE, "out of memory");
		fail_mark(ld);
		return;
	}
	memcpy(v, ld->value, ld->vlen);
	if (ld->vlen > 0)
		v[ld->vlen++] = ' ';
	memcpy(v + ld->vlen, more.p, more.n);
	ld->vlen += more.n;
	ld->value = v;
}

/* inih's handler: one key, or one continuation line of the last key. */
static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct load *ld = user;
	struct config *cfg = ld->cfg;
	struct slice key = trim_all(slice_cstr(name));
	struct slice val = strip_comment(slice_cstr(value));
	struct seen_key *k;
	size_t i;

	(void)section;		/* ours is whole; inih's may be cut */
	if (ld->failed)
		return 1;
	ld->handled = 1;
	if (ld->kind != LK_OTHER) {
		cfg_fail(cfg, ld->lineno, "cannot parse '%s'",
		    cfg_q(cfg, trim_all(ld->raw)));
		goto bad;
	}
	if (ld->indented && ld->pending) {
		/* "  proxies = x" under "internal = y" is a key gone astray. */
		if (slice_find(val, '=') >= 0) {
			cfg_fail(cfg, ld->lineno, "'%s' is indented, so it "
			    "would continue the value of '%s'; a key must start "
			    "the line", cfg_q(cfg, val), cfg_qs(cfg, ld->key));
			goto bad;
		}
		append(ld, val);
		return 1;
	}
	flush(ld);
	if (ld->failed)
		return 1;
	if (key.n == 0) {
		cfg_fail(cfg, ld->lineno, "no key before '=' in '%s'",
		    cfg_q(cfg, trim_all(ld->raw)));
		goto bad;
	}
	if (!ld->have_sect) {
		cfg_fail(cfg, ld->lineno, "key '%s' outside any section",
		    cfg_q(cfg, key));
		goto bad;
	}
	for (i = 0; i < ld->nkeys; i++)
		if (slice_eq_nocase(key, ld->keys[i].key)) {
			cfg_fail(cfg, ld->lineno, "key '%s' given twice in "
			    "this section (first at line %llu)",
			    cfg_q(cfg, key),
			    (unsigned long long)ld->keys[i].line);
			goto bad;
		}
	ld->keys = cfg_grow(cfg, ld->keys, ld->nkeys, &ld->keys_cap,
	    sizeof *ld->keys);
	if (ld->keys == NULL || (ld->key = cfg_strdup(cfg, key)) == NULL ||
	    (ld->value = cfg_strdup(cfg, val)) == NULL) {
		cfg_fail(cfg, CFG_NOLINE, "out of memory");
		goto bad;
	}
	k = &ld->keys[ld->nkeys++];
	k->key = ld->key;
	k->line = ld->lineno;
	ld->vlen = val.n;
	ld->pline = ld->lineno;
	ld->pending = 1;
	return 1;
bad:
	fail_mark(ld);
	return 1;
}

int
config_load(struct config *cfg, const char *path, char *err, size_t errcap)
{
	struct load ld;
	const char *slash;
	int rc;

	cfg_begin(cfg, err, errcap);
	if (cfg->loaded || cfg->finished || cfg->nsets > 0)
		return cfg_fail(cfg, CFG_NOLINE, "config '%s': loaded too late "
		    "(once, before --set and the finish)", cfg_qs(cfg, path));
	cfg->loaded = 1;
	if ((cfg->path = cfg_strdup(cfg, slice_cstr(path))) == NULL)
		return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	slash = strrchr(path, '/');
	cfg->dir = cfg_strdup(cfg, slash == NULL ? SLICE_LIT("") :
	    slice_make(path, slash == path ? 1 : (size_t)(slash - path)));
	if (cfg->dir == NULL)
		return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	memset(&ld, 0, sizeof ld);
	ld.cfg = cfg;
	if (input_open(&ld.in, path) != 0) {
		cfg_fail(cfg, CFG_NOLINE, "config '%s': %s", cfg_qs(cfg, path),
		    ld.in.errmsg);
		input_close(&ld.in);
		return -1;
	}
	rc = ini_parse_stream(reader, &ld, handler, &ld);
	flush(&ld);
	if (ld.read_error && !ld.failed) {
		cfg_fail(cfg, CFG_NOLINE, "config '%s': %s", cfg_qs(cfg, path),
		    ld.in.errmsg);
		ld.failed = 1;
	}
	input_close(&ld.in);
	if (ld.failed)
		return -1;
	if (rc == -2)
		return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	if (rc != 0)
		return cfg_fail(cfg, rc > 0 ? (uint64_t)rc : CFG_NOLINE,
		    "cannot parse this line");
	return 0;
}

int
config_set(struct config *cfg, const char *assignment, char *err,
    size_t errcap)
{
	struct slice s = slice_cstr(assignment), left, value, type, name, key;
	long eq, dot;
	int sect, named;

	cfg_begin(cfg, err, errcap);
	if (cfg->finished)
		return cfg_fail(cfg, CFG_CMDLINE, "'%s' comes too late: the "
		    "configuration is finished", cfg_q(cfg, s));
	if ((eq = slice_find(s, '=')) < 0)
		goto bad;
	left = trim_all(slice_make(s.p, (size_t)eq));
	value = trim_all(slice_from(s, (size_t)eq + 1));
	if ((dot = slice_find(left, '.')) <= 0)
		goto bad;
	type = slice_make(left.p, (size_t)dot);
	key = slice_from(left, (size_t)dot + 1);
	sect = cfg_sect_lookup(type, &named);
	name = type;
	if (named) {
		if ((dot = slice_find(key, '.')) <= 0)
			return cfg_fail(cfg, CFG_CMDLINE, "bad assignment '%s': "
			    "expected %s.NAME.key=value", cfg_q(cfg, s),
			    cfg_sect_name(sect));
		name = slice_make(key.p, (size_t)dot);
		key = slice_from(key, (size_t)dot + 1);
		if (!cfg_name_valid(name))
			return cfg_fail(cfg, CFG_CMDLINE, "bad %s name '%s' "
			    "(letters, digits, '-' and '_')",
			    cfg_sect_name(sect), cfg_q(cfg, name));
	}
	key = trim_all(key);
	if (key.n == 0)
		goto bad;
	cfg->nsets++;
	if (cfg_apply(cfg, sect, name, SLICE_NONE, SLICE_NONE,
	    CFG_CMDLINE) != 0)
		return -1;
	return cfg_apply(cfg, sect, name, key, value, CFG_CMDLINE);
bad:
	return cfg_fail(cfg, CFG_CMDLINE, "bad assignment '%s': expected "
	    "section.key=value", cfg_q(cfg, s));
}

/* Whether path names something (an unreadable file counts: load says why). */
static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 || (errno != ENOENT && errno != ENOTDIR);
}

/* Copies a path named by the user after checking that it exists. */
static int
named_file(const char *path, const char *how, char *buf, size_t cap,
    char *err, size_t errcap)
{
	struct stat st;
	char q[DIAG_NAME_MAX];

	if (stat(path, &st) != 0) {
		int e = errno;
		snprintf(err, errcap, "cannot open config '%s'%s: %s",
		    diag_escape(q, sizeof q, slice_cstr(path)), how,
		    strerror(e));
		return -1;
	}
	if (strlen(path) >= cap) {
		snprintf(err, errcap, "config path too long");
		return -1;
	}
	memcpy(buf, path, strlen(path) + 1);
	return 1;
}

int
config_find(const char *cflag, char *buf, size_t cap, char *err,
    size_t errcap)
{
	const char *env, *xdg, *home;
	char cand[3][4096];
	int i, n = 0;

	if (err != NULL && errcap > 0)
		err[0] = '\0';
	if (cflag != NULL)
		return named_file(cflag, "", buf, cap, err, errcap);
	env = getenv("CSM_CONFIG");
	if (env != NULL && *env != '\0')
		return named_file(env, " (from CSM_CONFIG)", buf, cap, err,
		    errcap);
	snprintf(cand[n++], sizeof cand[0], "csm.conf");
	xdg = getenv("XDG_CONFIG_HOME");
	home = getenv("HOME");
	if (xdg != NULL && xdg[0] == '/')
		snprintf(cand[n++], sizeof cand[0], "%s/csm/csm.conf", xdg);
	else if (home != NULL && home[0] == '/')
		snprintf(cand[n++], sizeof cand[0], "%s/.config/csm/csm.conf",
		    home);
	snprintf(cand[n++], sizeof cand[0], "/etc/csm/csm.conf");
	for (i = 0; i < n; i++) {
		if (!exists(cand[i]))
			continue;
		if (strlen(cand[i]) >= cap) {
			snprintf(err, errcap, "config path too long");
			return -1;
		}
		memcpy(buf, cand[i], strlen(cand[i]) + 1);
		return 1;
	}
	return 0;
}
