/*
 * ioc_name.c: the text side of indicators: host and domain names, URLs
 * and e-mail addresses brought to the one form that lists and logs are
 * compared in, defanged indicators made usable again, and the public
 * suffixes ("com", "co.jp", "github.io") that a domain indicator must not
 * be, since it would match every name registered under it. The same
 * normalisers serve the lists and the events, so that both sides agree.
 */
#include <idn2.h>
#include <stdio.h>
#include <string.h>
#include "diag.h"
#include "input.h"
#include "ioc_impl.h"
#include "num.h"

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_alpha(int c)
{
	c = lower(c);
	return c >= 'a' && c <= 'z';
}

static int
hex_val(int c)
{
	if (is_digit(c))
		return c - '0';
	c = lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

size_t
ioc_name_ascii(char *buf, size_t n, size_t cap)
{
	char tmp[1024], *out = NULL;
	size_t i, len;

	for (i = 0; i < n && (unsigned char)buf[i] < 0x80; i++)
		;
	/* A NUL would end libidn2's name early: it would lose the rest. */
	if (i == n || n >= sizeof tmp || memchr(buf, '\0', n) != NULL)
		return n;
	memcpy(tmp, buf, n);
	tmp[n] = '\0';
	/*
	 * Non-transitional, as browsers resolve names now ("faß" is not
	 * "fass"); the mapping folds case and width, NFC_INPUT composes.
	 */
	if (idn2_to_ascii_8z(tmp, &out, IDN2_NONTRANSITIONAL |
	    IDN2_NFC_INPUT) == IDN2_OK && out != NULL &&
	    (len = strlen(out)) <= cap) {
		memcpy(buf, out, len);
		n = len;
	}
	idn2_free(out);
	return n;
}

/* The most used public suffixes, for a machine without the list. */
static const char builtin[] =
    "ac.jp ad.jp co.jp ed.jp go.jp gr.jp lg.jp ne.jp or.jp tokyo.jp "
    "osaka.jp co.uk org.uk ac.uk gov.uk me.uk net.uk ltd.uk plc.uk "
    "com.au net.au org.au edu.au gov.au com.cn net.cn org.cn gov.cn "
    "edu.cn com.tw net.tw org.tw co.kr or.kr ne.kr go.kr com.hk net.hk "
    "org.hk com.sg com.br co.nz co.in com.mx co.za com.tr github.io "
    "gitlab.io blogspot.com appspot.com herokuapp.com azurewebsites.net "
    "cloudfront.net s3.amazonaws.com pages.dev workers.dev netlify.app "
    "vercel.app web.app firebaseapp.com ngrok.io duckdns.org no-ip.org "
    "ddns.net dyndns.org glitch.me repl.co";

static int suffix_has(const struct ioc_set *s, struct slice name);

static int
suffix_add(struct ioc_set *s, struct slice rule)
{
	uint32_t id;

	if (rule.n == 0 || suffix_has(s, rule))
		return 0;
	if (ioc_intern(s, rule, &id) != 0)
		return -1;
	return ioc_tab_put(&s->psl, ioc_hash(rule.p, rule.n, 7), id);
}

int
ioc_suffix_builtin(struct ioc_set *s)
{
	struct slice rest = SLICE_LIT(builtin), w;

	while ((w = slice_next_word(&rest)).n > 0)
		if (suffix_add(s, w) != 0)
			return -1;
	return 0;
}

int
ioc_load_suffixes(struct ioc_set *s, const char *path, char *err,
    size_t errcap)
{
	struct input in;
	struct slice line, w;
	enum input_status st;
	char name[DIAG_NAME_MAX], rule[256];
	size_t i, k, n;
	int rc = 0;

	diag_escape(name, sizeof name, slice_cstr(path));
	if (input_open(&in, path) != 0) {
		snprintf(err, errcap, "%s: %s", name, in.errmsg);
		input_close(&in);
		return -1;
	}
	while ((st = input_next(&in, &line)) != INPUT_EOF) {
		if (st == INPUT_ERROR) {
			snprintf(err, errcap, "%s: %s", name, in.errmsg);
			rc = -1;
			break;
		}
		if (st == INPUT_LONG)
			continue;
		w = slice_next_word(&line);
		if (w.n == 0 || w.n >= sizeof rule || (w.n >= 2 &&
		    w.p[0] == '/' && w.p[1] == '/'))
			continue;
		for (i = 0; i < w.n; i++)
			rule[i] = (char)lower((unsigned char)w.p[i]);
		/* The list writes IDN rules in Unicode, names come as ACE. */
		k = rule[0] == '!' ? 1 : w.n > 1 && rule[0] == '*' &&
		    rule[1] == '.' ? 2 : 0;
		n = k + ioc_name_ascii(rule + k, w.n - k, sizeof rule - k);
		if (suffix_add(s, slice_make(rule, n)) != 0) {
			snprintf(err, errcap, "%s: out of memory", name);
			rc = -1;
			break;
		}
	}
	input_close(&in);
	return rc;
}

static int
suffix_has(const struct ioc_set *s, struct slice name)
{
	uint32_t h = ioc_hash(name.p, name.n, 7);
	size_t mask = s->psl.cap - 1, i;
	uint64_t v;

	if (s->psl.cap == 0)
		return 0;
	for (i = h & mask; (v = s->psl.slot[i]) != 0; i = (i + 1) & mask) {
		struct slice t;

		if ((uint32_t)(v >> 32) != h)
			continue;
		t = ioc_str_get(s, (uint32_t)(v & 0xffffffffu) - 1);
		if (t.n == name.n && memcmp(t.p, name.p, name.n) == 0)
			return 1;
	}
	return 0;
}

int
ioc_is_public_suffix(const struct ioc_set *s, struct slice name)
{
	long dot = slice_find(name, '.');
	char buf[300];

	if (dot < 0)
		return 1;	/* the list's implicit rule "*" */
	if (suffix_has(s, name))
		return 1;
	/* "*.ck": every name one label under ck, unless "!www.ck". */
	if (name.n - (size_t)dot + 1 > sizeof buf || name.n + 1 > sizeof buf)
		return 0;
	buf[0] = '*';
	memcpy(buf + 1, name.p + dot, name.n - (size_t)dot);
	if (!suffix_has(s, slice_make(buf, name.n - (size_t)dot + 1)))
		return 0;
	buf[0] = '!';
	memcpy(buf + 1, name.p, name.n);
	return !suffix_has(s, slice_make(buf, name.n + 1));
}

/* Whether v starts with "hxxp://" or "hxxps://" (any case). */
static int
hxxp(struct slice v)
{
	size_t i;

	if (v.n < 7 || lower((unsigned char)v.p[0]) != 'h' ||
	    lower((unsigned char)v.p[1]) != 'x' ||
	    lower((unsigned char)v.p[2]) != 'x' ||
	    lower((unsigned char)v.p[3]) != 'p')
		return 0;
	i = lower((unsigned char)v.p[4]) == 's' ? 5 : 4;
	return (v.n - i >= 3 && memcmp(v.p + i, "://", 3) == 0) ||
	    (v.n - i >= 5 && memcmp(v.p + i, "[://]", 5) == 0);
}

struct slice
ioc_refang(struct slice v, char *buf, size_t cap)
{
	static const struct {
		const char *from, *to;
	} subst[] = {
		{ "[.]", "." }, { "(.)", "." }, { "[dot]", "." },
		{ "[:]", ":" }, { "[@]", "@" }, { "[at]", "@" },
		{ "[://]", "://" },
	};
	size_t i = 0, n = 0, k, path;
	int scheme = hxxp(v);
	const char *sep;

	if (!scheme && memchr(v.p, '[', v.n) == NULL &&
	    memchr(v.p, '(', v.n) == NULL)
		return v;
	/* Only the scheme and the host are defanged, never a path. */
	sep = memmem(v.p, v.n, "://", 3);
	if (sep != NULL && memchr(v.p, '/', v.n) != sep + 1)
		sep = NULL;	/* not a scheme: a '/' comes before it */
	path = sep ? (size_t)(sep - v.p) + 3 : 0;
	while (path < v.n && v.p[path] != '/')
		path++;
	if (scheme && cap >= 4) {
		memcpy(buf, "http", 4);
		i = n = 4;
	}
	while (i < v.n && n < cap) {
		if (i >= path) {
			buf[n++] = v.p[i++];
			continue;
		}
		for (k = 0; k < sizeof subst / sizeof subst[0]; k++) {
			size_t fl = strlen(subst[k].from);
			size_t tl = strlen(subst[k].to);

			if (v.n - i >= fl && memcmp(v.p + i, subst[k].from,
			    fl) == 0 && cap - n >= tl) {
				memcpy(buf + n, subst[k].to, tl);
				n += tl;
				i += fl;
				break;
			}
		}
		if (k == sizeof subst / sizeof subst[0])
			buf[n++] = v.p[i++];
	}
	return slice_make(buf, n);
}

long
ioc_domain_norm(const struct ioc_set *s, struct slice v, char *dst,
    size_t cap, const char **why)
{
	char ace[1024];
	size_t i, n = 0, label = 0, labels = 0;
	int digits = 1;

	if (v.n >= 2 && v.p[0] == '*' && v.p[1] == '.')
		v = slice_from(v, 2);
	else if (v.n >= 1 && v.p[0] == '.')
		v = slice_from(v, 1);
	if (v.n > 0 && v.p[v.n - 1] == '.')
		v.n--;
	/*
	 * A list may write a name in Unicode; logs show its A-labels. The
	 * checks below are on those: a long Unicode label may be short
	 * enough as punycode.
	 */
	if (v.n < sizeof ace) {
		memcpy(ace, v.p, v.n);
		v = slice_make(ace, ioc_name_ascii(ace, v.n, sizeof ace));
	}
	if (v.n == 0) {
		*why = "empty name";
		return -1;
	}
	if (v.n > 253 || v.n > cap) {
		*why = "name longer than 253 bytes";
		return -1;
	}
	for (i = 0; i < v.n; i++) {
		int c = lower((unsigned char)v.p[i]);

		if (c == '.') {
			if (label == 0)
				break;
			labels++;
			label = 0;
			digits = 1;
		} else if (is_alpha(c) || is_digit(c) || c == '-' ||
		    c == '_' || c >= 0x80) {
			digits &= is_digit(c);
			if (++label > 63) {
				*why = "label longer than 63 bytes in";
				return -1;
			}
		} else {
			*why = "bad host name";
			return -1;
		}
		dst[n++] = (char)c;
	}
	if (label == 0) {
		*why = "empty label in";
		return -1;
	}
	labels++;
	if (digits) {
		*why = "numeric top-level label in";
		return -1;
	}
	if (labels < 2) {
		*why = "top-level name|refused: it would match every name "
		    "under it";
		return -1;
	}
	if (s != NULL && ioc_is_public_suffix(s, slice_make(dst, n))) {
		*why = "public suffix|refused: it would match every name "
		    "registered under it";
		return -1;
	}
	return (long)n;
}

/* Whether byte c is unreserved (RFC 3986 2.3): decoded when escaped. */
static int
unreserved(int c)
{
	return is_alpha(c) || is_digit(c) || c == '-' || c == '.' ||
	    c == '_' || c == '~';
}

/* The default port of a scheme, or 0. */
static unsigned
default_port(struct slice scheme)
{
	if (slice_eq_nocase(scheme, "http"))
		return 80;
	if (slice_eq_nocase(scheme, "https"))
		return 443;
	if (slice_eq_nocase(scheme, "ftp"))
		return 21;
	return 0;
}

/*
 * Where the authority of URL u starts (*a, after "scheme://" or "//") and
 * ends (*end, at '/', '?', '#' or the end); the scheme's default port, 0
 * for none or another scheme. A scheme is 1 to 16 letters, digits, '+',
 * '-' or '.'.
 */
static void
url_bounds(struct slice u, size_t *a, size_t *end, unsigned *defport)
{
	size_t i;

	*a = 0;
	*defport = 0;
	for (i = 0; i < u.n && i < 16; i++)
		if (!is_alpha((unsigned char)u.p[i]) &&
		    !is_digit((unsigned char)u.p[i]) && u.p[i] != '+' &&
		    u.p[i] != '-' && u.p[i] != '.')
			break;
	if (i > 0 && u.n - i >= 3 && memcmp(u.p + i, "://", 3) == 0) {
		*defport = default_port(slice_make(u.p, i));
		*a = i + 3;
	} else if (u.n >= 2 && u.p[0] == '/' && u.p[1] == '/')
		*a = 2;
	/* A browser and IIS end the host at a backslash as at '/'. */
	for (*end = *a; *end < u.n && u.p[*end] != '/' && u.p[*end] != '\\' &&
	    u.p[*end] != '?' && u.p[*end] != '#'; (*end)++)
		;
}

struct slice
ioc_url_head(struct slice u)
{
	size_t a, end;
	unsigned defport;

	url_bounds(u, &a, &end, &defport);
	return slice_make(u.p, end);
}

/*
 * The path p[0..n) with each backslash read as '/' and each run of '/' as
 * one, in place: "//kit\a.exe" is what IIS and nginx serve as "/kit/a.exe"
 * (a client may write either to slip past a listed path). Returns the new
 * length.
 */
static size_t
merge_slashes(char *p, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		char c = p[i] == '\\' ? '/' : p[i];

		if (c != '/' || o == 0 || p[o - 1] != '/')
			p[o++] = c;
	}
	return o;
}

/*
 * RFC 3986's remove_dot_segments on the path p[0..n), which starts with
 * '/', in place: "/kit/x/../a.exe" is what a server serves as
 * "/kit/a.exe", and must match as that. Returns the new length.
 */
static size_t
remove_dot_segments(char *p, size_t n)
{
	size_t i = 0, j, o = 0;

	for (; i < n; i = j) {
		for (j = i + 1; j < n && p[j] != '/'; j++)
			;
		if (j - i == 3 && p[i + 1] == '.' && p[i + 2] == '.') {
			/* "/..": the segment before goes, with its '/'. */
			while (o > 0 && p[--o] != '/')
				;
		} else if (j - i != 2 || p[i + 1] != '.') {
			memmove(p + o, p + i, j - i);	/* not "/." */
			o += j - i;
			continue;
		}
		if (j == n)
			p[o++] = '/';	/* "/a/.." is "/" */
	}
	return o;
}

/*
 * Writes the host of a URL (without its trailing dot) into dst, cap bytes
 * and at least host.n: lower-cased, in A-labels when written in Unicode.
 * An address has many spellings ("[2001:db8:0::77]", and
 * "[::ffff:203.0.113.77]" or "3405803853" for 203.0.113.77): it gets
 * one, ip_format's, an IPv4-mapped one as dotted IPv4. Returns the
 * length.
 */
static size_t
url_host(char *dst, size_t cap, struct slice host)
{
	struct ipaddr ip;
	size_t i, n = 0;

	if (host.n > 2 && host.p[0] == '[' && host.p[host.n - 1] == ']' &&
	    cap >= IPADDR_TEXT_MAX + 2 && ip_parse(slice_make(host.p + 1,
	    host.n - 2), &ip) == 0) {
		if (ip_is_v4(&ip))
			return ip_format(dst, &ip);
		dst[n++] = '[';
		n += ip_format(dst + n, &ip);
		dst[n++] = ']';
		return n;
	}
	/* "3325256770" or "0xC6.0x33.0x64.0x42" is 198.51.100.66 to a browser. */
	if (cap >= IPADDR_TEXT_MAX && ip_parse_url_v4(host, &ip) == 0)
		return ip_format(dst, &ip);
	for (i = 0; i < host.n; i++)
		dst[n++] = (char)lower((unsigned char)host.p[i]);
	return ioc_name_ascii(dst, n, cap);
}

long
ioc_url_norm(char *dst, size_t cap, struct slice u, size_t *hostlen,
    int *trunc, int host_only)
{
	struct slice auth, host, port = SLICE_NONE;
	unsigned defport;
	size_t i, a, end, n = 0;
	uint64_t pv = 0;
	long at, colon;

	*trunc = 0;
	*hostlen = 0;
	url_bounds(u, &a, &end, &defport);
	auth = slice_make(u.p + a, end - a);
	/* A user name (and password) before the host says nothing. */
	for (at = (long)auth.n - 1; at >= 0 && auth.p[at] != '@'; at--)
		;
	if (at >= 0)
		auth = slice_from(auth, (size_t)at + 1);
	host = auth;
	if (auth.n > 0 && auth.p[0] == '[') {
		long close = slice_find(auth, ']');

		if (close < 0)
			return -1;
		host = slice_make(auth.p, (size_t)close + 1);
		if ((size_t)close + 1 < auth.n) {
			if (auth.p[close + 1] != ':')
				return -1;
			port = slice_from(auth, (size_t)close + 2);
		}
	} else if ((colon = slice_find(auth, ':')) >= 0) {
		host = slice_make(auth.p, (size_t)colon);
		port = slice_from(auth, (size_t)colon + 1);
	}
	if (host.n > 0 && host.p[host.n - 1] == '.')
		host.n--;
	if (host.n == 0)
		return -1;
	if (port.n > 0 && (num_parse_u64(port, 65535, &pv) != 0 || pv == 0))
		return -1;
	if (host.n + 7 > cap) {
		*trunc = 1;
		return -1;
	}
	n = url_host(dst, cap - 7, host);	/* room for ":port/" */
	if (port.n > 0 && pv != defport) {
		dst[n++] = ':';
		n += num_format_u64(dst + n, pv);
	}
	*hostlen = n;
	if (host_only)
		return (long)n;
	if (end == u.n || u.p[end] != '/')
		dst[n++] = '/';
	for (i = end; i < u.n && u.p[i] != '#'; i++) {
		int c = (unsigned char)u.p[i], h1, h2;

		if (n + 3 > cap) {
			*trunc = 1;
			break;
		}
		if (c == '%' && i + 2 < u.n && (h1 = hex_val((unsigned char)
		    u.p[i + 1])) >= 0 && (h2 = hex_val((unsigned char)
		    u.p[i + 2])) >= 0) {
			c = h1 * 16 + h2;
			i += 2;
			if (unreserved(c))
				dst[n++] = (char)c;
			else {
				dst[n++] = '%';
				dst[n++] = "0123456789ABCDEF"[c >> 4];
				dst[n++] = "0123456789ABCDEF"[c & 15];
			}
		} else if (c == '%') {
			/* A lone '%' is "%25", so that the form is stable. */
			memcpy(dst + n, "%25", 3);
			n += 3;
		} else if (c >= 0x80) {
			/*
			 * A list writes /ログイン/ in UTF-8, a proxy logs the
			 * request's /%E3%83%AD...: one form, escaped.
			 */
			dst[n++] = '%';
			dst[n++] = "0123456789ABCDEF"[c >> 4];
			dst[n++] = "0123456789ABCDEF"[c & 15];
		} else
			dst[n++] = (char)c;
	}
	for (i = *hostlen; i < n && dst[i] != '?'; i++)
		;
	a = merge_slashes(dst + *hostlen, i - *hostlen);
	a = *hostlen + remove_dot_segments(dst + *hostlen, a);
	memmove(dst + a, dst + i, n - i);
	return (long)(a + n - i);
}

long
ioc_url_normalise(char *dst, size_t cap, struct slice url)
{
	size_t hostlen;
	int trunc;
	long n = ioc_url_norm(dst, cap, url, &hostlen, &trunc, 0);

	return trunc ? -1 : n;
}

/* Whether c may stand unquoted in a local part (RFC 5322 atext). */
static int
atext(int c)
{
	return is_alpha(c) || is_digit(c) || c >= 0x80 ||
	    (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/*
 * The local part v of an address, lower-cased into dst (at least v.n
 * bytes): '"ceo"' and '"c\eo"' are the mailbox ceo, and a header may
 * quote what needs no quoting, so the quotes (and quoted-pairs) go when
 * what they hold is a dot-atom; else the part stays as written. Returns
 * the length.
 */
static size_t
email_local(char *dst, struct slice v)
{
	size_t i, n = 0;
	int ok = v.n > 2 && v.p[0] == '"' && v.p[v.n - 1] == '"';

	for (i = 1; ok && i + 1 < v.n; i++) {
		int c = (unsigned char)v.p[i];

		if (c == '\\' && i + 2 < v.n)
			c = (unsigned char)v.p[++i];
		else if (c == '"' || c == '\\')
			ok = 0;
		/* A dot-atom: no '.' first, last or after another. */
		if (c == '.' ? n == 0 || dst[n - 1] == '.' : !atext(c))
			ok = 0;
		dst[n++] = (char)lower(c);
	}
	if (ok && dst[n - 1] != '.')
		return n;
	for (i = 0; i < v.n; i++)
		dst[i] = (char)lower((unsigned char)v.p[i]);
	return v.n;
}

long
ioc_email_norm(char *dst, size_t cap, struct slice v, size_t *at)
{
	long a = -1;
	size_t i, n;

	v = slice_trim(v);
	if (v.n >= 2 && v.p[0] == '<' && v.p[v.n - 1] == '>')
		v = slice_make(v.p + 1, v.n - 2);
	/* The root's dot after the domain ("ceo@bad.example.") says nothing. */
	if (v.n >= 2 && v.p[v.n - 1] == '.' && v.p[v.n - 2] != '@')
		v.n--;
	if (v.n == 0 || v.n > cap)
		return -1;
	for (i = 0; i < v.n; i++)
		if (v.p[i] == '@')
			a = (long)i;
	if (a <= 0 || (size_t)a + 1 >= v.n)
		return -1;
	n = email_local(dst, slice_make(v.p, (size_t)a));
	*at = n;
	for (i = (size_t)a; i < v.n; i++)
		dst[n++] = (char)lower((unsigned char)v.p[i]);
	return (long)(*at + 1 + ioc_name_ascii(dst + *at + 1, n - *at - 1,
	    cap - *at - 1));
}
