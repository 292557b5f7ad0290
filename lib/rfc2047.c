/*
 * rfc2047.c: decoding the mail header words that logs quote (see
 * rfc2047.h), and the two header values checks read: a From-style
 * mailbox and a file name parameter. Adjacent encoded-words of one
 * charset are converted together (charset.c), since mail programs split
 * a multibyte character (and ISO-2022-JP's escape state) across words.
 * All parsing is bounded by the input and the caller's buffers; a header
 * value too long for the stack is worked on in a buffer of its size.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "charset.h"
#include "rfc2047.h"
#include "num.h"

#define PEND_MAX 4096		/* decoded bytes of a run of words */
#define WORK_MAX 4096		/* header text kept on the stack */
#define WORK_CAP (1024 * 1024)	/* header text looked at, at most */

/* Bounded output. */
struct out {
	char *p;
	size_t cap, n;
	int cut;
};

static void
put(struct out *o, const char *s, size_t n)
{
	if (o->cut)
		return;		/* nothing after a cut */
	if (n > o->cap - o->n) {
		n = o->cap - o->n;
		o->cut = 1;
	}
	if (n)
		memcpy(o->p + o->n, s, n);
	o->n += n;
}

static size_t
out_done(struct out *o)
{
	return o->cut ? charset_trim_utf8(o->p, o->n) : o->n;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

long
rfc2047_to_utf8(char *dst, size_t cap, struct slice cs, struct slice bytes)
{
	int cut = 0;
	long r = charset_to_utf8(dst, cap, cs, bytes, &cut);

	return cut ? -1 : r;
}

static int
b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/*
 * Decodes the text of a word (B: base64, padding optional; Q: '_' is a
 * space, =HH a byte) into dst (cap bytes). Returns the length, or -1.
 */
static long
word_bytes(char *dst, size_t cap, char enc, struct slice t)
{
	size_t i, o = 0;

	if (enc == 'B' || enc == 'b') {
		unsigned acc = 0;
		int bits = 0, v;

		while (t.n && t.p[t.n - 1] == '=')
			t.n--;
		for (i = 0; i < t.n; i++) {
			if ((v = b64val(t.p[i])) < 0)
				return -1;
			acc = (acc << 6 | (unsigned)v) & 0xffffff;
			if ((bits += 6) >= 8) {
				bits -= 8;
				if (o == cap)
					return -1;
				dst[o++] = (char)(acc >> bits & 0xff);
			}
		}
		return (long)o;
	}
	for (i = 0; i < t.n; i++) {
		char c = t.p[i];
		int hi, lo;

		if (o == cap)
			return -1;
		if (c == '=') {
			if (i + 2 >= t.n)
				return -1;
			if ((hi = num_hex_digit((unsigned char)t.p[i + 1])) < 0 ||
			    (lo = num_hex_digit((unsigned char)t.p[i + 2])) < 0)
				return -1;
			c = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '_') {
			c = ' ';
		}
		dst[o++] = c;
	}
	return (long)o;
}

/*
 * Parses "=?charset[*lang]?B|Q?text?=" at s.p[i]. Returns the offset just
 * past it, or 0 when there is none.
 */
static size_t
word_at(struct slice s, size_t i, struct slice *cs, char *enc,
    struct slice *text)
{
	size_t j = i + 2, k, m;
	long star;

	if (i + 2 > s.n || s.p[i] != '=' || s.p[i + 1] != '?')
		return 0;
	for (k = j; k < s.n && s.p[k] != '?'; k++)
		if ((unsigned char)s.p[k] <= ' ' ||
		    (unsigned char)s.p[k] >= 0x7f ||
		    k - j >= CHARSET_NAME_MAX + 20)
			return 0;
	if (k == j || k + 3 > s.n || s.p[k + 2] != '?')
		return 0;
	*enc = s.p[k + 1];
	if (*enc != 'B' && *enc != 'b' && *enc != 'Q' && *enc != 'q')
		return 0;
	*cs = slice_make(s.p + j, k - j);
	if ((star = slice_find(*cs, '*')) >= 0)
		cs->n = (size_t)star;	/* RFC 2231 language */
	for (m = k + 3; m < s.n && s.p[m] != '?'; m++)
		if ((unsigned char)s.p[m] <= ' ' ||
		    (unsigned char)s.p[m] >= 0x7f)
			return 0;
	if (m + 1 >= s.n || s.p[m + 1] != '=')
		return 0;
	*text = slice_make(s.p + k + 3, m - (k + 3));
	return m + 2;
}

/* Whether s.p[a..b) is only white space (and, folded, '?'). */
static int
only_space(struct slice s, size_t a, size_t b, int flags)
{
	for (; a < b; a++)
		if (!is_space(s.p[a]) &&
		    !((flags & RFC2047_FOLDED) && s.p[a] == '?'))
			return 0;
	return 1;
}

/* A run of adjacent words of one charset, decoded but not converted. */
struct pend {
	int on;
	struct slice cs;
	size_t raw_a, raw_b;	/* the words' text in s */
	size_t n;
	char buf[PEND_MAX];
};

static void
flush(struct out *o, struct pend *pd, struct slice s)
{
	size_t raw = pd->raw_b - pd->raw_a;
	int cut = o->cut;
	long r;

	if (!pd->on)
		return;
	pd->on = 0;
	r = charset_to_utf8(o->p + o->n, o->cap - o->n, pd->cs,
	    slice_make(pd->buf, pd->n), &o->cut);
	/*
	 * Decoded text is at most three times the words' (a caller sizes
	 * its buffer so, and must see what follows): a charset that makes
	 * more (TSCII: twelve bytes of one) keeps the words as written.
	 */
	if (r >= 0 && (size_t)r <= 3 * raw) {
		o->n += (size_t)r;
		return;
	}
	o->cut = cut;
	put(o, s.p + pd->raw_a, raw);
}

size_t
rfc2047_decode(char *dst, size_t cap, struct slice s, int flags)
{
	struct out o = { dst, cap, 0, 0 };
	struct pend pd;
	char wb[PEND_MAX];
	size_t i = 0, gap = 0, end;

	if (s.n == 0)
		return 0;	/* s.p may be NULL */
	pd.on = 0;
	while (i < s.n) {
		struct slice cs, text;
		char enc;
		long wn;
		int adj;

		if (s.p[i] != '=' || (end = word_at(s, i, &cs, &enc,
		    &text)) == 0) {
			i++;
			continue;
		}
		if ((wn = word_bytes(wb, sizeof wb, enc, text)) < 0) {
			i = end;	/* kept as it is, in the gap */
			continue;
		}
		adj = pd.on && only_space(s, gap, i, flags);
		if (adj && cs.n == pd.cs.n &&
		    strncasecmp(cs.p, pd.cs.p, cs.n) == 0 &&
		    pd.n + (size_t)wn <= sizeof pd.buf) {
			memcpy(pd.buf + pd.n, wb, (size_t)wn);
			pd.n += (size_t)wn;
			pd.raw_b = end;
		} else {
			flush(&o, &pd, s);
			if (!adj)
				put(&o, s.p + gap, i - gap);
			pd.on = 1;
			pd.cs = cs;
			pd.raw_a = i;
			pd.raw_b = end;
			memcpy(pd.buf, wb, (size_t)wn);
			pd.n = (size_t)wn;
		}
		i = gap = end;
	}
	flush(&o, &pd, s);
	put(&o, s.p + gap, s.n - gap);
	return out_done(&o);
}

/*
 * The buffers of one call, sized to its header value: on the stack for a
 * short value, else on the heap, up to WORK_CAP bytes of value. u holds
 * the value; a and b as much again each, c three times as much (b and c
 * only when work_init was asked for all).
 */
struct work {
	char *u, *a, *b, *c;
	size_t cap;		/* bytes of value that fit */
	char *heap;
	char stack[6 * WORK_MAX];
};

static void
work_init(struct work *w, size_t n, int all)
{
	w->heap = NULL;
	w->cap = WORK_MAX;
	if (n > WORK_MAX) {
		size_t cap = n < WORK_CAP ? n : WORK_CAP;

		/* u and a alone, or all of them. */
		if ((w->heap = malloc((all ? 6 : 2) * cap)) != NULL)
			w->cap = cap;	/* else the stack's: cut */
	}
	w->u = w->heap ? w->heap : w->stack;
	w->a = w->u + w->cap;
	w->b = all ? w->a + w->cap : NULL;
	w->c = all ? w->b + w->cap : NULL;
}

static void
work_free(struct work *w)
{
	free(w->heap);
}

/*
 * Copies s into w->u with Postfix's folding marks made spaces: "??" (CR
 * LF TAB) and "? " (CR LF SPACE). Returns the length. A value longer than
 * w->cap gives its first and last w->cap / 2 bytes, and sets *cut: the
 * end of a file name (its extension) is what its checks look at.
 */
static size_t
unfold(struct work *w, struct slice s, int flags, int *cut)
{
	char *buf = w->u;
	size_t i, half = w->cap / 2;

	*cut = s.n > w->cap;
	if (*cut) {
		memcpy(buf, s.p, half);
		memcpy(buf + half, s.p + s.n - half, half);
		s.n = 2 * half;
	} else if (s.n) {
		memcpy(buf, s.p, s.n);
	}
	if (!(flags & RFC2047_FOLDED))
		return s.n;
	for (i = 0; i + 1 < s.n; i++)
		if (buf[i] == '?' && (buf[i + 1] == '?' || buf[i + 1] == ' ')) {
			buf[i] = ' ';
			if (buf[i + 1] == '?')
				buf[++i] = ' ';
		}
	return s.n;
}

/* Appends s to a bounded text, after a space unless it is empty. */
static void
add_word(char *buf, size_t cap, size_t *n, const char *s, size_t sn,
    int space)
{
	if (space && *n && *n < cap)
		buf[(*n)++] = ' ';
	if (sn > cap - *n)
		sn = cap - *n;
	memcpy(buf + *n, s, sn);
	*n += sn;
}

/*
 * The quoted string or comment that starts at u[i] ('"' or '('), its
 * backslash escapes removed (a comment keeps nested parentheses), into
 * tok (room for n - i bytes). Returns the offset past its end (the end of
 * u when it is not closed).
 */
static size_t
take_quoted(const char *u, size_t n, size_t i, char *tok, size_t *tn)
{
	char close = u[i] == '"' ? '"' : ')';
	int depth = 1;

	*tn = 0;
	for (i++; i < n; i++) {
		if (u[i] == '\\' && i + 1 < n) {
			tok[(*tn)++] = u[++i];
			continue;
		}
		if (close == ')' && u[i] == '(')
			depth++;
		else if (u[i] == close && --depth == 0)
			return i + 1;
		tok[(*tn)++] = u[i];
	}
	return n;
}

void
rfc2047_mailbox(struct slice s, int flags, struct rfc2047_mailbox *mb)
{
	char ph[WORK_MAX], cm[WORK_MAX], as[WORK_MAX], *u, *tok;
	struct work w;
	size_t n, i = 0, tn, phn = 0, cmn = 0, asn = 0;
	struct slice addr = SLICE_NONE, name;
	int angle = 0, cut;

	work_init(&w, s.n, 0);
	n = unfold(&w, s, flags, &cut);
	u = w.u;
	tok = w.a;

	mb->addr_n = mb->name_n = 0;
	while (i < n) {
		char c = u[i];
		size_t j;

		if (is_space(c)) {
			i++;
		} else if (c == ',') {
			break;		/* the first mailbox only */
		} else if (c == '<') {
			for (j = i + 1; j < n && u[j] != '>'; j++)
				;
			addr = slice_trim(slice_make(u + i + 1, j - i - 1));
			angle = 1;
			break;
		} else if (c == '"') {
			j = take_quoted(u, n, i, tok, &tn);
			add_word(ph, sizeof ph, &phn, tok, tn, 1);
			add_word(as, sizeof as, &asn, u + i, j - i, 0);
			i = j;
		} else if (c == '(') {
			j = take_quoted(u, n, i, tok, &tn);
			add_word(ph, sizeof ph, &phn, "(", 1, 1);
			add_word(ph, sizeof ph, &phn, tok, tn, 0);
			add_word(ph, sizeof ph, &phn, ")", 1, 0);
			add_word(cm, sizeof cm, &cmn, tok, tn, 1);
			i = j;
		} else {
			for (j = i; j < n && !is_space(u[j]) && u[j] != '"' &&
			    u[j] != '(' && u[j] != '<' && u[j] != ','; j++)
				;
			add_word(ph, sizeof ph, &phn, u + i, j - i, 1);
			add_word(as, sizeof as, &asn, u + i, j - i, 0);
			i = j;
		}
	}
	name = slice_make(ph, phn);
	if (!angle && memchr(as, '@', asn) != NULL) {
		/* addr-spec, maybe with the obsolete "(Name)" comment. */
		addr = slice_make(as, asn);
		name = slice_make(cm, cmn);
	}
	if (addr.n > mb->addr_cap)
		addr.n = mb->addr_cap;
	if (addr.n)
		memcpy(mb->addr, addr.p, addr.n);
	mb->addr_n = addr.n;
	mb->name_n = rfc2047_decode(mb->name, mb->name_cap, name, 0);
	work_free(&w);
}

/* Percent-decodes s (RFC 2231) onto the end of buf. */
static void
add_pct(char *buf, size_t cap, size_t *n, struct slice s)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < s.n && *n < cap; i++) {
		if (s.p[i] == '%' && i + 2 < s.n &&
		    (hi = num_hex_digit((unsigned char)s.p[i + 1])) >= 0 &&
		    (lo = num_hex_digit((unsigned char)s.p[i + 2])) >= 0) {
			buf[(*n)++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			buf[(*n)++] = s.p[i];
		}
	}
}

#define SEG_MAX 64	/* RFC 2231 continuations taken */

/*
 * The value in whole[0..n) into dst (cap bytes): as it is when it fits,
 * else its first and last bytes around "...", cut at characters, setting
 * *cut. Returns the length.
 */
static long
keep_ends(char *dst, size_t cap, const char *whole, size_t n, int *cut)
{
	size_t head, tail;

	if (n <= cap) {
		memcpy(dst, whole, n);
		return (long)n;
	}
	*cut |= RFC2047_CUT_VALUE;
	if (cap < 16)
		return (long)charset_trim_utf8(memcpy(dst, whole, cap), cap);
	head = charset_trim_utf8(whole, (cap - 3) / 2);
	memcpy(dst, whole, head);
	memcpy(dst + head, "...", 3);
	tail = cap - head - 3;
	while (tail > 0 && ((unsigned char)whole[n - tail] & 0xc0) == 0x80)
		tail--;		/* start at a character */
	memcpy(dst + head + 3, whole + n - tail, tail);
	return (long)(head + 3 + tail);
}

long
rfc2047_param(struct slice s, const char *name, int flags, char *dst,
    size_t cap, int *cut)
{
	struct slice seg[SEG_MAX], plain = SLICE_NONE, cs = SLICE_NONE;
	unsigned char ext[SEG_MAX];
	size_t n, i = 0, vn = 0, rn = 0, nl = strlen(name), wn;
	int nseg = 0, k, have_plain = 0, over;
	struct work w;
	char *u, *vals, *raw, *whole;
	long r = -1;

	work_init(&w, s.n, 1);
	n = unfold(&w, s, flags, &over);
	/* Decoded, the raw bytes become at most three times as many. */
	u = w.u, vals = w.a, raw = w.b, whole = w.c, wn = 3 * w.cap;
	*cut = over ? RFC2047_CUT_HEADER : 0;
	memset(seg, 0, sizeof seg);
	/* Past the type or disposition, to the first ';' outside quotes. */
	while (i < n && u[i] != ';') {
		if (u[i] == '"') {
			size_t tn;

			i = take_quoted(u, n, i, vals, &tn);
		} else {
			i++;
		}
	}
	while (i < n) {
		size_t a, b, vs;
		struct slice pn, v;
		long idx = -1;
		int is_ext = 0;

		while (i < n && (is_space(u[i]) || u[i] == ';'))
			i++;
		for (a = i; i < n && u[i] != '=' && u[i] != ';' &&
		    !is_space(u[i]); i++)
			;
		pn = slice_make(u + a, i - a);
		while (i < n && is_space(u[i]))
			i++;
		if (i >= n || u[i] != '=')
			continue;	/* not a parameter: on to the next ';' */
		for (i++; i < n && is_space(u[i]); i++)
			;
		vs = vn;
		if (i < n && u[i] == '"') {
			size_t tn;

			i = take_quoted(u, n, i, vals + vn, &tn);
			vn += tn;
		} else {
			for (b = i; i < n && u[i] != ';' && !is_space(u[i]); i++)
				;
			memcpy(vals + vn, u + b, i - b);
			vn += i - b;
		}
		v = slice_make(vals + vs, vn - vs);
		if (pn.n < nl || strncasecmp(pn.p, name, nl) != 0)
			continue;
		pn = slice_from(pn, nl);
		if (pn.n && pn.p[pn.n - 1] == '*') {
			is_ext = 1;
			pn.n--;
		}
		if (pn.n == 0 && !is_ext) {
			if (!have_plain)
				plain = v;
			have_plain = 1;
			continue;
		}
		if (pn.n == 0) {
			idx = 0;
		} else if (pn.p[0] == '*' && pn.n >= 2) {
			idx = 0;
			for (k = 1; k < (int)pn.n; k++) {
				if (pn.p[k] < '0' || pn.p[k] > '9')
					break;
				if (idx < SEG_MAX)
					idx = idx * 10 + (pn.p[k] - '0');
			}
			if (k < (int)pn.n)
				idx = -1;
		}
		/*
		 * Past SEG_MAX a part of the name is not read: the name is
		 * cut, and the caller asks a reader that takes them all.
		 */
		if (idx >= SEG_MAX)
			*cut |= RFC2047_CUT_PARTS;
		if (idx < 0 || idx >= SEG_MAX || seg[idx].p != NULL)
			continue;
		seg[idx] = v;	/* v.p is never NULL: it points into vals */
		ext[idx] = (unsigned char)is_ext;
		if (idx >= nseg)
			nseg = (int)idx + 1;
	}
	if (nseg == 0 || (flags & RFC2047_PLAIN)) {
		if (have_plain)
			r = keep_ends(dst, cap, whole, rfc2047_decode(whole, wn,
			    plain, 0), cut);
		work_free(&w);
		return r;
	}
	/*
	 * The segments present, in order. A gap is not read as the end, as
	 * RFC 2231 would have it, nor a missing first one as no value: mail
	 * programs join what is there, and a name cut short at a gap would
	 * hide its extension.
	 */
	for (k = 0; k < nseg; k++) {
		struct slice v = seg[k];

		if (v.p == NULL)
			continue;
		if (ext[k]) {
			if (k == 0) {
				/* charset'language'value */
				long q1 = slice_find(v, '\''), q2;

				if (q1 >= 0 && (q2 = slice_find(slice_from(v,
				    (size_t)q1 + 1), '\'')) >= 0) {
					cs = slice_make(v.p, (size_t)q1);
					v = slice_from(v, (size_t)q1 + 2 +
					    (size_t)q2);
				}
			}
			add_pct(raw, w.cap, &rn, v);
		} else {
			if (v.n > w.cap - rn)
				v.n = w.cap - rn;
			memcpy(raw + rn, v.p, v.n);
			rn += v.n;
		}
	}
	if (!(cs.n && (r = rfc2047_to_utf8(whole, wn, cs, slice_make(raw,
	    rn))) >= 0))
		/* No charset, or bytes it does not have: as they are. */
		r = (long)rfc2047_decode(whole, wn, slice_make(raw, rn), 0);
	r = keep_ends(dst, cap, whole, (size_t)r, cut);
	work_free(&w);
	return r;
}
