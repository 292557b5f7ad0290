/*
 * ioc_load.c: the readers of indicator lists (see ioc_load.h): format
 * detection from the first 64 KB, the plain list and Zeek Intel files,
 * each read whole through zlib (gzip or not) and then line by line, so
 * that every bad line has its number. CSV lines go to ioc_csv.c, MISP
 * JSON to ioc_misp.c. The type names of every format meet in one table
 * here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "diag.h"
#include "input.h"
#include "ioc_impl.h"
#include "ioc_load.h"
#include "num.h"

const char *const ioc_format_names[IOC_FMT_COUNT] = {
	"auto", "plain", "csv", "misp-json", "zeek"
};

int
ioc_format_lookup(const char *name)
{
	int i;

	for (i = 0; i < IOC_FMT_COUNT; i++)
		if (strcmp(name, ioc_format_names[i]) == 0)
			return i;
	return -1;
}

#define HEAD 65536		/* bytes the format is told from */

enum { SPLIT_NONE, SPLIT_IP, SPLIT_PORT };

/* The type names of ThreatFox, MISP and Zeek, and some plain ones. */
static const struct {
	const char *name;
	int decl;
	int split;
} types[] = {
	{ "ip", IOC_DECL_ADDR, 0 }, { "ipv4", IOC_DECL_ADDR, 0 },
	{ "ipv6", IOC_DECL_ADDR, 0 }, { "ip-dst", IOC_DECL_ADDR, 0 },
	{ "ip-src", IOC_DECL_ADDR, 0 }, { "cidr", IOC_DECL_ADDR, 0 },
	{ "subnet", IOC_DECL_ADDR, 0 }, { "ip:port", IOC_DECL_ADDR_PORT, 0 },
	{ "ip-dst|port", IOC_DECL_ADDR_PORT, 0 },
	{ "ip-src|port", IOC_DECL_ADDR_PORT, 0 },
	{ "domain", IOC_DECL_DOMAIN, 0 }, { "hostname", IOC_DECL_DOMAIN, 0 },
	{ "fqdn", IOC_DECL_DOMAIN, 0 },
	{ "hostname|port", IOC_DECL_DOMAIN, SPLIT_PORT },
	{ "domain|ip", IOC_DECL_DOMAIN, SPLIT_IP },
	{ "url", IOC_DECL_URL, 0 }, { "email", IOC_DECL_EMAIL, 0 },
	{ "email-src", IOC_DECL_EMAIL, 0 },
	{ "Intel::ADDR", IOC_DECL_ADDR, 0 },
	{ "Intel::SUBNET", IOC_DECL_ADDR, 0 },
	{ "Intel::DOMAIN", IOC_DECL_DOMAIN, 0 },
	{ "Intel::URL", IOC_DECL_URL, 0 },
	{ "Intel::EMAIL", IOC_DECL_EMAIL, 0 },
};

void
ioc_load_bad(struct ioc_load *ld, uint64_t line, const char *why)
{
	if (ld->bad != NULL)
		ld->bad(ld->arg, line, why);
}

/* Counts the outcome of one ioc_add; 1 for a bad value, -1 for memory. */
static int
tally(struct ioc_load *ld, int rc)
{
	switch (rc) {
	case IOC_ADDED: ld->added++; return 0;
	case IOC_MERGED: ld->merged++; return 0;
	case IOC_LOW: ld->low++; return 0;
	case IOC_UNUSED: ld->unused++; return 0;
	case IOC_BAD: ld->bad_lines++; return 1;
	}
	return -1;
}

int
ioc_load_add(struct ioc_set *s, struct ioc_load *ld, struct slice type,
    struct slice value, const struct ioc_meta *meta, char *why,
    size_t whycap)
{
	int decl = IOC_DECL_AUTO, split = SPLIT_NONE, rc;
	size_t i;
	long bar;

	type = slice_trim(type);
	if (type.n > 0) {
		for (i = 0; i < sizeof types / sizeof types[0]; i++)
			if (slice_eq_nocase(type, types[i].name))
				break;
		if (i == sizeof types / sizeof types[0]) {
			ld->unused++;
			return 0;
		}
		decl = types[i].decl;
		split = types[i].split;
	}
	if (split == SPLIT_NONE)
		return tally(ld, ioc_add(s, (enum ioc_decl)decl, value, meta,
		    why, whycap));
	/* "evil.example|203.0.113.5": two indicators; "x|8080": a name. */
	if ((bar = slice_find(value, '|')) < 0) {
		char q[80];

		snprintf(why, whycap, "no '|' in a %s value '%s'",
		    split == SPLIT_IP ? "domain|ip" : "hostname|port",
		    diag_escape(q, sizeof q, slice_make(value.p, value.n > 60 ?
		    60 : value.n)));
		ld->bad_lines++;
		return 1;
	}
	rc = tally(ld, ioc_add(s, IOC_DECL_DOMAIN, slice_make(value.p,
	    (size_t)bar), meta, why, whycap));
	if (rc != 0 || split == SPLIT_PORT)
		return rc;
	return tally(ld, ioc_add(s, IOC_DECL_ADDR, slice_from(value,
	    (size_t)bar + 1), meta, why, whycap));
}

/* The lines of a list held in memory, numbered. */
struct lsrc {
	const char *p;
	size_t n, off;
	uint64_t line;
};

/* The next line, without its LF and a CR before it. */
static enum input_status
lsrc_next(struct lsrc *l, struct slice *line)
{
	const char *nl;
	size_t end;

	if (l->off >= l->n)
		return INPUT_EOF;
	nl = memchr(l->p + l->off, '\n', l->n - l->off);
	end = nl ? (size_t)(nl - l->p) : l->n;
	*line = slice_make(l->p + l->off, end - l->off);
	if (line->n > 0 && line->p[line->n - 1] == '\r')
		line->n--;
	l->off = nl ? end + 1 : l->n;
	l->line++;
	return line->n > INPUT_MAX_LINE ? INPUT_LONG : INPUT_LINE;
}

struct ioc_meta
ioc_meta_of(const char *name)
{
	struct ioc_meta m;

	memset(&m, 0, sizeof m);
	m.source = slice_cstr(name);
	m.severity = -1;
	m.confidence = -1;
	return m;
}

int
ioc_load_value(struct ioc_set *s, struct ioc_load *ld, uint64_t line,
    struct slice type, struct slice value, const struct ioc_meta *m)
{
	char why[300];
	int rc = ioc_load_add(s, ld, type, value, m, why, sizeof why);

	if (rc == 1)
		ioc_load_bad(ld, line, why);
	return rc < 0 ? -1 : 0;
}

/* A plain list: "indicator [tag]", "indicator,tag", '#' comments. */
static int
plain_line(struct ioc_set *s, struct ioc_load *ld, const char *name,
    uint64_t line, struct slice t)
{
	struct ioc_meta m = ioc_meta_of(name);
	struct slice rest = t, v = slice_next_word(&rest);
	long comma = slice_find(v, ',');

	/* A comma ends a value that is not a URL. */
	if (comma > 0 && slice_find(v, '/') < 0) {
		rest = slice_from(t, (size_t)comma + 1);
		v.n = (size_t)comma;
	}
	rest = slice_trim(rest);
	if (rest.n > 0 && rest.p[0] == '#')
		rest = slice_trim(slice_from(rest, 1));
	m.tag = rest.n > 300 ? slice_make(rest.p, 300) : rest;
	return ioc_load_value(s, ld, line, SLICE_NONE, v, &m);
}

/* Zeek Intel files: the separator and the columns of #fields. */
struct zeekst {
	char sep;
	int have_fields;
	int ind, type, source, desc;
};

/* Splits line at sep into f (at most max); returns the count. */
static int
split(struct slice line, char sep, struct slice *f, int max)
{
	int n = 0;
	long k;

	while (n < max) {
		if ((k = slice_find(line, sep)) < 0) {
			f[n++] = line;
			break;
		}
		f[n++] = slice_make(line.p, (size_t)k);
		line = slice_from(line, (size_t)k + 1);
		if (line.n == 0 && n < max)
			f[n++] = line;
	}
	return n;
}

/* Whether a Zeek field is unset or empty. */
static int
zeek_unset(struct slice v)
{
	return v.n == 0 || slice_eq(v, "-") || slice_eq(v, "(empty)");
}

/* Two hex digits at p as a byte, or -1. */
static int
hex_byte(const char *p)
{
	int v = 0, i;

	for (i = 0; i < 2; i++) {
		char c = p[i];

		v *= 16;
		if (c >= '0' && c <= '9')
			v += c - '0';
		else if (c >= 'a' && c <= 'f')
			v += c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v += c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* "#separator \x09" or "#fields ..."; other '#' lines say nothing. */
static int
zeek_directive(struct zeekst *z, struct slice line, uint64_t lineno,
    const char *name, char *err, size_t errcap)
{
	struct slice f[64];
	char q[DIAG_NAME_MAX];
	int n, i, h1;

	if (slice_has_prefix(line, "#separator") && line.n > 11) {
		struct slice v = slice_from(line, 11);

		if (v.n == 4 && v.p[0] == '\\' && v.p[1] == 'x' &&
		    (h1 = hex_byte(v.p + 2)) >= 0)
			z->sep = (char)h1;
		else if (v.n == 1)
			z->sep = v.p[0];
		return 0;
	}
	if (!slice_has_prefix(line, "#fields"))
		return 0;
	n = split(line, z->sep, f, 64);
	z->ind = z->type = z->source = z->desc = -1;
	for (i = 1; i < n; i++) {
		if (slice_eq(f[i], "indicator"))
			z->ind = i - 1;
		else if (slice_eq(f[i], "indicator_type"))
			z->type = i - 1;
		else if (slice_eq(f[i], "meta.source"))
			z->source = i - 1;
		else if (slice_eq(f[i], "meta.desc"))
			z->desc = i - 1;
	}
	if (z->ind < 0 || z->type < 0) {
		snprintf(err, errcap, "%s:%llu: #fields without indicator and "
		    "indicator_type", diag_escape(q, sizeof q,
		    slice_cstr(name)), (unsigned long long)lineno);
		return IOC_LOAD_FAILED;
	}
	z->have_fields = 1;
	return 0;
}

static int
zeek_line(struct ioc_set *s, struct ioc_load *ld, const char *name,
    struct zeekst *z, uint64_t lineno, struct slice line, char *err,
    size_t errcap)
{
	struct ioc_meta m = ioc_meta_of(name);
	struct slice f[64];
	char q[DIAG_NAME_MAX];
	int n;

	if (line.n > 0 && line.p[0] == '#')
		return zeek_directive(z, line, lineno, name, err, errcap);
	if (slice_trim(line).n == 0)
		return 0;
	if (!z->have_fields) {
		snprintf(err, errcap, "%s:%llu: data before the #fields line",
		    diag_escape(q, sizeof q, slice_cstr(name)),
		    (unsigned long long)lineno);
		return IOC_LOAD_FAILED;
	}
	n = split(line, z->sep, f, 64);
	if (n <= z->ind || n <= z->type) {
		ioc_load_bad(ld, lineno, "record shorter than #fields");
		ld->bad_lines++;
		return 0;
	}
	if (zeek_unset(f[z->ind]) || zeek_unset(f[z->type])) {
		ioc_load_bad(ld, lineno, "no indicator or no indicator_type");
		ld->bad_lines++;
		return 0;
	}
	if (z->source >= 0 && z->source < n && !zeek_unset(f[z->source]))
		m.source = f[z->source];
	if (z->desc >= 0 && z->desc < n && !zeek_unset(f[z->desc]))
		m.tag = f[z->desc];
	return ioc_load_value(s, ld, lineno, f[z->type], f[z->ind], &m);
}

/* Reads a line-based list through its format's reader. */
static int
load_lines(struct ioc_set *s, struct lsrc *l, struct ioc_load *ld,
    const char *name, char *err, size_t errcap)
{
	struct zeekst z = { '\t', 0, -1, -1, -1, -1 };
	struct ioc_csv *c = NULL;
	enum input_status st;
	struct slice line, t;
	int rc = 0;

	if (ld->used == IOC_FMT_CSV && (c = ioc_csv_new()) == NULL) {
		snprintf(err, errcap, "out of memory");
		return IOC_LOAD_NOMEM;
	}
	while (rc == 0 && (st = lsrc_next(l, &line)) != INPUT_EOF) {
		ld->lines++;
		if (st == INPUT_LONG) {
			ioc_load_bad(ld, l->line, "line longer than 1 MB");
			ld->bad_lines++;
			if (c != NULL)
				rc = ioc_csv_reset(c);
			continue;
		}
		switch (ld->used) {
		case IOC_FMT_CSV:
			rc = ioc_csv_line(s, ld, name, c, l->line, line, err,
			    errcap);
			break;
		case IOC_FMT_ZEEK:
			rc = zeek_line(s, ld, name, &z, l->line, line, err,
			    errcap);
			break;
		default:
			t = slice_trim(line);
			if (t.n > 0 && t.p[0] != '#')
				rc = plain_line(s, ld, name, l->line, t);
			break;
		}
		if (rc != 0 && err[0] == '\0') {
			snprintf(err, errcap, "out of memory");
			rc = IOC_LOAD_NOMEM;
		}
	}
	if (rc == 0 && c != NULL)
		ioc_csv_end(c, ld);
	ioc_csv_free(c);
	return rc;
}

/* The format of a list from its first bytes. */
static enum ioc_format
detect(const char *p, size_t n)
{
	struct slice rest = slice_make(p, n), line;
	long nl;
	int i;

	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		rest = slice_from(rest, 3);
	while (rest.n > 0 && (rest.p[0] == ' ' || rest.p[0] == '\t' ||
	    rest.p[0] == '\n' || rest.p[0] == '\r'))
		rest = slice_from(rest, 1);
	if (rest.n > 0 && (rest.p[0] == '{' || rest.p[0] == '['))
		return IOC_FMT_MISP_JSON;
	for (i = 0; i < 64 && rest.n > 0; i++) {
		nl = slice_find(rest, '\n');
		line = slice_trim(slice_make(rest.p, nl < 0 ? rest.n :
		    (size_t)nl));
		rest = nl < 0 ? slice_from(rest, rest.n) :
		    slice_from(rest, (size_t)nl + 1);
		if (slice_has_prefix(line, "#fields") ||
		    slice_has_prefix(line, "#separator"))
			return IOC_FMT_ZEEK;
		if (ioc_csv_is_header(line))
			return IOC_FMT_CSV;
	}
	return IOC_FMT_PLAIN;
}

int
ioc_load_buffer(struct ioc_set *s, const char *name, const char *data,
    size_t len, struct ioc_load *ld, char *err, size_t errcap)
{
	struct lsrc l;

	err[0] = '\0';
	ld->used = ld->format != IOC_FMT_AUTO ? ld->format :
	    detect(data, len < HEAD ? len : HEAD);
	if (ld->used == IOC_FMT_MISP_JSON)
		return ioc_misp_load(s, name, data, len, ld, err, errcap);
	memset(&l, 0, sizeof l);
	l.p = data;
	l.n = len;
	return load_lines(s, &l, ld, name, err, errcap);
}

/*
 * Reads a whole file through zlib (plain or gzip): a list is read whole
 * anyway, JSON exports are often one line longer than lib/input.h hands
 * out, and a list given as a pipe (--ioc <(...)) can be read only once.
 * At most max bytes. Returns the bytes (the caller frees them), or NULL
 * with *why set.
 */
static char *
slurp(gzFile gz, size_t *len, size_t max, const char **why)
{
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap), *b;
	int k, e;

	*why = "out of memory";
	if (buf == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 65536) {
			if (cap >= max) {
				*why = "file over 2 GB";
				free(buf);
				return NULL;
			}
			if ((b = realloc(buf, cap * 2)) == NULL) {
				free(buf);
				return NULL;
			}
			buf = b;
			cap *= 2;
		}
		if ((k = gzread(gz, buf + n, 65536)) <= 0)
			break;
		n += (size_t)k;
	}
	/*
	 * A stream cut short ends without an error but Z_BUF_ERROR; a failed
	 * read has its error code there too.
	 */
	(void)gzerror(gz, &e);
	if (k < 0 || e == Z_BUF_ERROR) {
		*why = e == Z_BUF_ERROR ? "truncated gzip file" :
		    gzerror(gz, &e);
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

int
ioc_load_file(struct ioc_set *s, const char *path, struct ioc_load *ld,
    char *err, size_t errcap)
{
	const char *why;
	char q[DIAG_NAME_MAX], *all;
	size_t len = 0;
	gzFile gz;
	int rc;

	err[0] = '\0';
	diag_escape(q, sizeof q, slice_cstr(path));
	if (strcmp(path, "-") == 0) {
		snprintf(err, errcap, "-: indicator lists are read from files");
		return IOC_LOAD_FAILED;
	}
	if ((gz = gzopen(path, "rb")) == NULL) {
		snprintf(err, errcap, "%s: cannot open: %s", q,
		    strerror(errno ? errno : ENOMEM));
		return IOC_LOAD_FAILED;
	}
	all = slurp(gz, &len, (size_t)1 << 31, &why);
	/* zlib's message starts with the path, raw: it is given escaped. */
	if (all == NULL && strncmp(why, path, strlen(path)) == 0 &&
	    strncmp(why + strlen(path), ": ", 2) == 0)
		why += strlen(path) + 2;
	if (all == NULL) {
		/* zlib's message is gone with the stream: decided first. */
		rc = strcmp(why, "out of memory") == 0 ? IOC_LOAD_NOMEM :
		    IOC_LOAD_FAILED;
		snprintf(err, errcap, "%s: %s", q, why);
		gzclose(gz);
		return rc;
	}
	gzclose(gz);
	rc = ioc_load_buffer(s, path, all, len, ld, err, errcap);
	free(all);
	return rc;
}
