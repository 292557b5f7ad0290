/*
 * squidfmt.c: compiles a Squid logformat string into fields and literal
 * text, following the token rules of Squid's src/format/Token.cc (longer
 * names first, "namespace::" prefixes, {arg} before or after the name, and
 * the quoting a literal " or [ switches on for the codes after it).
 * squidfmt_match.c cuts log lines against the result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "squidfmt.h"

/*
 * Known code names, scanned in this order by prefix as Squid does: its
 * long names first, then the two-letter ones, then the one-letter ones,
 * so that ">Hs" is not read as ">h" followed by "s".
 */
static const struct code_name {
	const char *name;
	enum squidfmt_code code;
} code_names[] = {
	/* Squid's TokenTableMisc */
	{ ">eui", SQUIDFMT_OTHER }, { ">qos", SQUIDFMT_OTHER },
	{ "<qos", SQUIDFMT_OTHER }, { ">nfmark", SQUIDFMT_OTHER },
	{ "<nfmark", SQUIDFMT_OTHER }, { ">handshake", SQUIDFMT_OTHER },
	{ "err_code", SQUIDFMT_ERR_CODE },
	{ "err_detail", SQUIDFMT_ERR_DETAIL },
	{ "note", SQUIDFMT_OTHER }, { "credentials", SQUIDFMT_OTHER },
	{ "busy_time", SQUIDFMT_OTHER }, { "request_attempts", SQUIDFMT_OTHER },
	{ "master_xaction", SQUIDFMT_OTHER },
	/* TokenTable2C */
	{ ">la", SQUIDFMT_LOCAL_IP }, { "la", SQUIDFMT_LOCAL_IP },
	{ ">lp", SQUIDFMT_LOCAL_PORT }, { "lp", SQUIDFMT_LOCAL_PORT },
	{ "<la", SQUIDFMT_OTHER }, { "oa", SQUIDFMT_OTHER },
	{ "<lp", SQUIDFMT_OTHER },
	{ "ts", SQUIDFMT_TS }, { "tu", SQUIDFMT_TU }, { "tl", SQUIDFMT_TL },
	{ "tg", SQUIDFMT_TG }, { "tS", SQUIDFMT_TSTART },
	{ "tr", SQUIDFMT_TR },
	{ "<pt", SQUIDFMT_OTHER }, { "<tt", SQUIDFMT_OTHER },
	{ "dt", SQUIDFMT_OTHER },
	{ ">ha", SQUIDFMT_REQ_HEADER },
	{ "un", SQUIDFMT_USER }, { "ul", SQUIDFMT_USER },
	{ "ui", SQUIDFMT_USER }, { "ue", SQUIDFMT_USER },
	{ "us", SQUIDFMT_USER },
	{ "Hs", SQUIDFMT_STATUS }, { ">Hs", SQUIDFMT_STATUS },
	{ "<Hs", SQUIDFMT_SERVER_STATUS }, { "<bs", SQUIDFMT_OTHER },
	{ "Ss", SQUIDFMT_RESULT }, { "Sh", SQUIDFMT_HIER },
	{ "mt", SQUIDFMT_MIME },
	{ ">rm", SQUIDFMT_METHOD }, { ">ru", SQUIDFMT_URL },
	{ ">rs", SQUIDFMT_OTHER }, { ">rd", SQUIDFMT_DOMAIN },
	{ ">rP", SQUIDFMT_URL_PORT }, { ">rp", SQUIDFMT_PATH },
	{ ">rv", SQUIDFMT_VERSION },
	{ "rm", SQUIDFMT_METHOD }, { "ru", SQUIDFMT_URL },
	{ "rp", SQUIDFMT_PATH }, { "rv", SQUIDFMT_VERSION },
	{ "rG", SQUIDFMT_OTHER },
	{ "<rm", SQUIDFMT_OTHER }, { "<ru", SQUIDFMT_OTHER },
	{ "<rs", SQUIDFMT_OTHER }, { "<rd", SQUIDFMT_OTHER },
	{ "<rP", SQUIDFMT_OTHER }, { "<rp", SQUIDFMT_OTHER },
	{ "<rv", SQUIDFMT_OTHER },
	{ ">st", SQUIDFMT_BYTES_REQUEST }, { ">sh", SQUIDFMT_OTHER },
	{ "<st", SQUIDFMT_BYTES_REPLY }, { "<sH", SQUIDFMT_OTHER },
	{ "<sS", SQUIDFMT_OTHER }, { "<sh", SQUIDFMT_OTHER },
	{ "st", SQUIDFMT_BYTES_TOTAL },
	{ "et", SQUIDFMT_OTHER }, { "ea", SQUIDFMT_OTHER },
	{ "sn", SQUIDFMT_OTHER },
	/* TokenTable1C */
	{ ">a", SQUIDFMT_CLIENT_IP }, { ">p", SQUIDFMT_CLIENT_PORT },
	{ ">A", SQUIDFMT_CLIENT_FQDN },
	{ "<a", SQUIDFMT_SERVER_IP }, { "<p", SQUIDFMT_SERVER_PORT },
	{ "<A", SQUIDFMT_SERVER_NAME },
	{ ">h", SQUIDFMT_REQ_HEADER }, { "<h", SQUIDFMT_REPLY_HEADER },
	{ ">v", SQUIDFMT_VERSION },
	{ NULL, SQUIDFMT_OTHER }
};

enum squidfmt_code
squidfmt_lookup(const char *name)
{
	const char *base = name, *sep = strstr(name, "::");
	int i;

	if (sep != NULL) {
		size_t ns = (size_t)(sep - name);
		base = sep + 2;
		if ((ns == 3 && (memcmp(name, "ssl", 3) == 0 ||
		    memcmp(name, "tls", 3) == 0)) && strcmp(base, ">sni") == 0)
			return SQUIDFMT_SNI;
		if (!(ns == 4 && memcmp(name, "http", 4) == 0))
			return SQUIDFMT_OTHER;
	}
	for (i = 0; code_names[i].name; i++)
		if (strcmp(code_names[i].name, base) == 0)
			return code_names[i].code;
	return SQUIDFMT_OTHER;
}

static int
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Length of a name csm does not know: [<>]* then letters, digits, '_'. */
static size_t
generic_name_len(const char *s)
{
	size_t n = 0, m;

	while (s[n] == '<' || s[n] == '>')
		n++;
	m = n;
	while (is_alnum(s[n]))
		n++;
	return n > m ? n : 0;
}

/* Length of the code name at s as Squid would read it, or 0. */
static size_t
name_len(const char *s)
{
	size_t i, n;

	/* "namespace::name": any namespace, the name read generically */
	for (i = 0; (s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'; i++)
		;
	if (i > 0 && s[i] == ':' && s[i + 1] == ':') {
		n = generic_name_len(s + i + 2);
		return n ? i + 2 + n : 0;
	}
	for (i = 0; code_names[i].name; i++) {
		n = strlen(code_names[i].name);
		if (strncmp(code_names[i].name, s, n) == 0)
			return n;
	}
	return generic_name_len(s);
}

/* A small integer from the digits at *s (capped, never overflows). */
static int
small_number(const char **s)
{
	int v = 0;

	while (is_digit(**s)) {
		if (v < 100000)
			v = v * 10 + (**s - '0');
		(*s)++;
	}
	return v;
}

/* Appends n bytes to the string area and NUL-terminates them. */
static char *
keep_str(char **area, const char *p, size_t n)
{
	char *s = *area;

	memcpy(s, p, n);
	s[n] = '\0';
	*area += n + 1;
	return s;
}

/*
 * Appends n bytes of p to a key being built at *d: bytes that could split
 * the extra column or confuse a reader become '_'; lower folds ASCII
 * letters (HTTP header names are case-insensitive).
 */
static void
key_put(char **d, const char *p, size_t n, int lower)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = p[i];
		if (lower && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!is_alnum(c) && strchr(".:<>{}/-", c) == NULL)
			c = '_';
		*(*d)++ = c;
	}
}

static int
compile_error(char *err, size_t errcap, const char *what, const char *at)
{
	char q[120];
	size_t n = strlen(at);

	if (n > 30)
		n = 30;
	snprintf(err, errcap, "logformat: %s at '%s'", what,
	    diag_escape(q, sizeof q, slice_make(at, n)));
	return -1;
}

/* Drops a "logformat NAME " prefix pasted from squid.conf. */
static const char *
skip_directive(const char *text)
{
	const char *s = text;

	if (strncmp(s, "logformat", 9) != 0 || (s[9] != ' ' && s[9] != '\t'))
		return text;
	s += 9;
	while (*s == ' ' || *s == '\t')
		s++;
	while (*s && *s != ' ' && *s != '\t' && *s != '%')
		s++;
	if (*s != ' ' && *s != '\t')
		return text;
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/*
 * Sets the extra key of f: request headers by their lowercase name, reply
 * headers as "reply-name", anything else by the code name and its {arg}.
 */
static void
set_key(struct squidfmt_field *f, char **area)
{
	char *d = *area;
	size_t an = f->arg ? strlen(f->arg) : 0;
	const char *colon;

	f->key = d;
	if (f->arg && (f->code == SQUIDFMT_REQ_HEADER ||
	    f->code == SQUIDFMT_REPLY_HEADER)) {
		/* "%{Name:element}>h": the key is the header's name */
		if ((colon = strchr(f->arg, ':')) != NULL)
			an = (size_t)(colon - f->arg);
		if (f->code == SQUIDFMT_REPLY_HEADER)
			key_put(&d, "reply-", 6, 0);
		key_put(&d, f->arg, an, 1);
	} else {
		key_put(&d, f->name, strlen(f->name), 0);
		if (f->arg) {
			key_put(&d, "{", 1, 0);
			key_put(&d, f->arg, an, 0);
			key_put(&d, "}", 1, 0);
		}
	}
	*d++ = '\0';
	*area = d;
}

/* Reads the {arg} at *s into the string area; -1 when unterminated. */
static int
read_arg(const char **s, char **area, const char **arg)
{
	const char *close = strchr(*s + 1, '}');

	if (close == NULL)
		return -1;
	*arg = keep_str(area, *s + 1, (size_t)(close - *s - 1));
	*s = close + 1;
	return 0;
}

int
squidfmt_compile(struct squidfmt *sf, const char *text, char *err,
    size_t errcap)
{
	enum { Q_NONE, Q_QUOTES, Q_BLOB } qstate = Q_NONE;
	const char *s = skip_directive(text), *start;
	char *area, *lit;
	size_t len = strlen(s), max = 1, i;
	struct slice *cur;

	memset(sf, 0, sizeof *sf);
	for (i = 0; i < len; i++)
		max += s[i] == '%';
	/*
	 * One block: literal text (at most len), then per code its name,
	 * arg and key, each bounded by a few times the code's own text.
	 */
	sf->buf = malloc(8 * len + 16 * max + 64);
	sf->f = calloc(max, sizeof *sf->f);
	if (sf->buf == NULL || sf->f == NULL) {
		snprintf(err, errcap, "logformat: out of memory");
		return -1;
	}
	lit = sf->buf;
	area = sf->buf + len + 1;
	cur = &sf->lead;
	cur->p = lit;
	while (*s) {
		struct squidfmt_field *f;
		size_t n;

		if (*s != '%' || s[1] == '%') {
			/* a literal " or [ switches quoting on for later codes */
			if (*s == '"')
				qstate = qstate == Q_NONE ? Q_QUOTES :
				    qstate == Q_QUOTES ? Q_NONE : qstate;
			else if (*s == '[' && qstate == Q_NONE)
				qstate = Q_BLOB;
			else if (*s == ']' && qstate == Q_BLOB)
				qstate = Q_NONE;
			*lit++ = *s;
			cur->n++;
			s += *s == '%' ? 2 : 1;
			continue;
		}
		start = s++;
		if (*s == '\0')
			return compile_error(err, errcap, "'%' at the end",
			    start);
		f = &sf->f[sf->n];
		f->width = f->precision = -1;
		if (strchr("\"'[#/", *s) != NULL)
			f->enc = *s++;
		else
			f->enc = qstate == Q_QUOTES ? '"' :
			    qstate == Q_BLOB ? '[' : 0;
		if (*s == '-') {
			f->left = 1;
			s++;
		}
		if (*s == '0') {
			f->zero = 1;
			s++;
		}
		if (is_digit(*s))
			f->width = small_number(&s);
		if (*s == '.' && is_digit(s[1])) {
			s++;
			f->precision = small_number(&s);
		}
		if (*s == '{' && read_arg(&s, &area, &f->arg) != 0)
			return compile_error(err, errcap, "unterminated '{'",
			    start);
		if (strncmp(s, "http::", 6) == 0 && s[6] != '%')
			s += 6;
		if ((n = name_len(s)) == 0)
			return compile_error(err, errcap, "no code after '%'",
			    start);
		f->name = keep_str(&area, s, n);
		s += n;
		if (*s == '{' && f->arg == NULL &&
		    read_arg(&s, &area, &f->arg) != 0)
			return compile_error(err, errcap, "unterminated '{'",
			    start);
		if (sf->n > 0 && cur->n == 0)
			return compile_error(err, errcap, "two codes with no "
			    "text between them", start);
		f->code = squidfmt_lookup(f->name);
		if ((f->code == SQUIDFMT_TL || f->code == SQUIDFMT_TG) &&
		    f->arg == NULL)
			f->fixed = 26;	/* dd/Mon/yyyy:HH:MM:SS +zzzz */
		f->quoted = cur->n > 0 && cur->p[cur->n - 1] == '"';
		set_key(f, &area);
		sf->n++;
		cur = &f->after;
		cur->p = lit;
	}
	if (sf->n == 0)
		return compile_error(err, errcap, "no % code", text);
	/* trailing spaces of lines are ignored, so also of the format */
	while (cur->n && cur->p[cur->n - 1] == ' ')
		cur->n--;
	for (i = 0; i < (size_t)sf->n; i++) {
		if (sf->f[i].after.n == 0 || sf->f[i].after.p[0] != '"')
			sf->f[i].quoted = 0;
		sf->f[i].flex = squidfmt_is_flex(&sf->f[i]);
		sf->nflex += sf->f[i].flex;
	}
	return 0;
}

int
squidfmt_is_flex(const struct squidfmt_field *f)
{
	/* %#un is URL-encoded: a space would be %20 */
	return f->code == SQUIDFMT_USER && !f->quoted && f->enc != '#';
}

void
squidfmt_release(struct squidfmt *sf)
{
	free(sf->buf);
	free(sf->f);
	memset(sf, 0, sizeof *sf);
}

int
squidfmt_code_denied(struct slice code)
{
	size_t i;

	for (i = 0; i + 6 <= code.n; i++)
		if (code.p[i] == 'D' && memcmp(code.p + i, "DENIED", 6) == 0)
			return 1;
	return 0;
}
