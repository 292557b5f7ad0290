/*
 * attach.c: the attachment rules of csm-mailcheck (guideline 19.1.2,
 * mail item 2). Each attachment name, and each member name of a ZIP
 * attachment (extra archive_member), is folded (NFKC, case folding,
 * invisible code points dropped) and its extensions read from the end,
 * after the trailing dots and spaces Windows ignores. One name gives at
 * most one rule, the most specific: a right-to-left override, then an
 * executable extension behind a document's ("invoice.pdf.exe"), then an
 * executable extension, then a macro-enabled Office extension.
 * A member of a ZIP inside a ZIP ("a.zip/b.zip/run.js") is judged by its
 * last path element. Encrypted archives (extra archive_encrypted) and
 * attachments that claim to be ZIP but cannot be read (archive_error)
 * are rules of their own: no scanner on the way saw what they hold; so
 * is a message with more names than csm-parse keeps (attach_cut).
 * Each rule that fires writes one finding for the message, naming every
 * attachment it fired on, with invisible code points written out.
 */
#include <stdio.h>
#include <string.h>
#include "mailcheck.h"

#define REASON_MAX 1024
#define NAME_SHOW 160		/* a shown name beyond this keeps both ends */
#define EXT_MAX 64
#define TAIL_BYTES 512		/* of a long name, enough for extensions */
#define TAIL_CP (TAIL_BYTES * 6)	/* folded: NFKC makes up to 6 of a byte */
#define LOOK 256		/* list items compared with each item */

/* What a name is, and the evidence. */
struct verdict {
	int rule;			/* enum mc_rule, or -1 */
	char ext[EXT_MAX];		/* the real (last) extension */
	char decoy[EXT_MAX];		/* the one before it */
	char display[NAME_SHOW + 8];	/* an override's rendering */
};

/* Per rule: its sentence so far, and how many names. */
struct collect {
	char why[REASON_MAX];
	size_t n, count;
	int raise;
};

/* Moves back from p[off] to the start of a UTF-8 character. */
static size_t
char_start(const char *p, size_t off)
{
	while (off > 0 && ((unsigned char)p[off] & 0xc0) == 0x80)
		off--;
	return off;
}

/* The name as shown: invisibles written out, a long name cut inside. */
static const char *
show_name(struct slice s, char *buf, size_t cap)
{
	char head[NAME_SHOW], tail[NAME_SHOW];
	size_t h, t;

	if (s.n <= NAME_SHOW / 2) {
		lookalike_show(s, buf, cap);
		return buf;
	}
	h = char_start(s.p, NAME_SHOW / 4);
	t = char_start(s.p, s.n - NAME_SHOW / 4);
	lookalike_show(slice_make(s.p, h), head, sizeof head);
	lookalike_show(slice_from(s, t), tail, sizeof tail);
	snprintf(buf, cap, "%s...%s", head, tail);
	return buf;
}

/*
 * Copies the extension ending at e (exclusive) in t into out; returns
 * where the extension's dot is, or -1. The real extension is taken as
 * Windows takes it; a decoy (loose) as a reader does, without the spaces
 * and underscores around it: "invoice.pdf      .exe", "photo.jpg_.exe".
 */
static long
extension(const char *t, size_t e, char *out, int loose)
{
	size_t b = e, k;

	while (b > 0 && t[b - 1] != '.')
		b--;
	if (b == 0)
		return -1;
	k = b;
	while (loose && k < e && (t[k] == ' ' || t[k] == '_'))
		k++;
	while (loose && e > k && (t[e - 1] == ' ' || t[e - 1] == '_'))
		e--;
	if (e - k >= EXT_MAX)
		k = e - (EXT_MAX - 1);
	memcpy(out, t + k, e - k);
	out[e - k] = '\0';
	return (long)b - 1;
}

/*
 * How U+202E makes the name render: the text after it, up to U+202C,
 * reversed character by character (enough to show the trick).
 */
static void
render_override(struct slice s, char *out, size_t cap)
{
	char raw[NAME_SHOW * 2];
	const char *rlo = NULL, *pdf, *q, *end;
	size_t n = 0, k;

	if (s.n > sizeof raw / 2)
		s.n = char_start(s.p, sizeof raw / 2);
	for (q = s.p; q + 3 <= s.p + s.n; q++)
		if (memcmp(q, "\xe2\x80\xae", 3) == 0) {
			rlo = q;
			break;
		}
	if (rlo == NULL) {
		out[0] = '\0';
		return;
	}
	memcpy(raw, s.p, (size_t)(rlo - s.p));
	n = (size_t)(rlo - s.p);
	end = s.p + s.n;
	for (pdf = rlo + 3; pdf + 3 <= end; pdf++)
		if (memcmp(pdf, "\xe2\x80\xac", 3) == 0)
			break;
	if (pdf + 3 > end)
		pdf = end;
	for (q = pdf; q > rlo + 3; q -= k) {
		k = 1;
		/* *(q - k), not q[-k]: that adds a size_t wrapped negative. */
		while (q - k > rlo + 3 && ((unsigned char)*(q - k) & 0xc0) ==
		    0x80)
			k++;
		memcpy(raw + n, q - k, k);
		n += k;
	}
	if (pdf < end) {
		memcpy(raw + n, pdf + 3, (size_t)(end - pdf - 3));
		n += (size_t)(end - pdf - 3);
	}
	lookalike_strip(slice_make(raw, n), out, cap);
}

/* Classifies one attachment or member name, as it is. */
static void
classify_as_is(const struct mailcheck *mc, struct slice name, struct verdict *v)
{
	uint32_t cp[TAIL_CP];
	char t[TAIL_CP * 4 + 1];
	struct slice tail = name;
	size_t n;
	long dot;

	memset(v, 0, sizeof *v);
	v->rule = -1;
	/*
	 * The extensions are at the end: a padded name is read from there,
	 * into room for all it can fold into (U+FDFA alone is 18 letters),
	 * so that no padding pushes the extension out.
	 */
	if (tail.n > TAIL_BYTES)
		tail = slice_from(tail, char_start(tail.p, tail.n -
		    TAIL_BYTES));
	n = lookalike_fold(tail, cp, TAIL_CP);
	n = lookalike_utf8(cp, n, t, sizeof t);
	while (n > 0 && (t[n - 1] == '.' || t[n - 1] == ' '))
		n--;
	dot = extension(t, n, v->ext, 0);
	if (dot > 0)
		extension(t, (size_t)dot, v->decoy, 1);
	if (lookalike_has_bidi(name)) {
		v->rule = MC_RTLO;
		render_override(name, v->display, sizeof v->display);
		return;
	}
	if (dot < 0)
		return;
	if (mc_ext_in(mc, MC_EXT_EXEC, v->ext))
		v->rule = mc_ext_in(mc, MC_EXT_DECOY, v->decoy) ? MC_DOUBLE :
		    MC_EXEC;
	else if (mc_ext_in(mc, MC_EXT_MACRO, v->ext))
		v->rule = MC_MACRO;
}

/*
 * The tail of s (the bytes classify_as_is reads, and some) without its
 * C0 control bytes, into buf; its length.
 */
static size_t
without_controls(struct slice s, char *buf, size_t cap)
{
	size_t i, n = 0;

	if (s.n > cap)
		s = slice_from(s, char_start(s.p, s.n - cap));
	for (i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] >= 0x20)
			buf[n++] = s.p[i];
	return n;
}

/*
 * Classifies one attachment or member name. A program that takes the
 * name as a C string reads it up to a NUL: "evil.exe\0.pdf" is evil.exe
 * to it; one that drops control bytes makes "evil.\0exe" evil.exe. The
 * whole name, the name before a NUL and the name without its controls
 * are each judged, and the graver verdict stands.
 */
static void
classify(const struct mailcheck *mc, struct slice name, struct verdict *v)
{
	char clean[TAIL_BYTES * 2];
	const char *nul;
	struct verdict whole, bare;
	size_t i;

	classify_as_is(mc, name, v);
	for (i = 0; i < name.n && (unsigned char)name.p[i] >= 0x20; i++)
		;
	if (i == name.n)
		return;
	if ((nul = memchr(name.p, '\0', name.n)) != NULL) {
		whole = *v;
		classify_as_is(mc, slice_make(name.p, (size_t)(nul - name.p)),
		    v);
		if (v->rule < 0 || (whole.rule >= 0 &&
		    mc->level[whole.rule] >= mc->level[v->rule]))
			*v = whole;
	}
	classify_as_is(mc, slice_make(clean, without_controls(name, clean,
	    sizeof clean)), &bare);
	if (bare.rule >= 0 && (v->rule < 0 ||
	    mc->level[bare.rule] > mc->level[v->rule]))
		*v = bare;
}

/* Adds one clause to a rule's sentence, after a "; ". */
static void
add(struct collect *c, const char *clause)
{
	if (c->n > 0)
		mc_append(c->why, sizeof c->why, &c->n, "; ");
	mc_append(c->why, sizeof c->why, &c->n, "%s", clause);
	c->count++;
}

/* The clause of a verdict on a name (in is "" or " in archive 'x'"). */
static void
attachment_clause(struct collect *col, const struct verdict *v,
    const char *shown, const char *in)
{
	char t[REASON_MAX];
	size_t n = 0;

	switch (v->rule) {
	case MC_RTLO:
		if (v->display[0] != '\0')
			mc_append(t, sizeof t, &n, "attachment '%s'%s renders "
			    "as '%s' with a right-to-left override", shown, in,
			    v->display);
		else
			mc_append(t, sizeof t, &n, "attachment '%s'%s holds "
			    "bidirectional control characters", shown, in);
		if (v->ext[0] != '\0')
			mc_append(t, sizeof t, &n, ": it is .%s", v->ext);
		break;
	case MC_DOUBLE:
		mc_append(t, sizeof t, &n, "attachment '%s'%s poses as .%s but "
		    "is .%s", shown, in, v->decoy, v->ext);
		break;
	case MC_EXEC:
		mc_append(t, sizeof t, &n, "executable attachment '%s'%s (.%s)",
		    shown, in, v->ext);
		break;
	case MC_MACRO:
		mc_append(t, sizeof t, &n, "macro-enabled Office attachment "
		    "'%s'%s (.%s)", shown, in, v->ext);
		break;
	default:
		return;
	}
	add(&col[v->rule], t);
}

/*
 * Whether escaped item it appeared earlier in escaped list all, among
 * its first LOOK items: a hostile list of a million names costs a
 * bounded look-back each, not a quadratic scan.
 */
static int
seen_before(struct slice all, struct slice it)
{
	struct slice rest = all;
	long comma;
	int k = 0;

	while (rest.p < it.p && k++ < LOOK) {
		comma = slice_find(rest, ',');
		if (comma < 0)
			break;
		if ((size_t)comma == it.n && memcmp(rest.p, it.p, it.n) == 0)
			return 1;
		rest = slice_from(rest, (size_t)comma + 1);
	}
	return 0;
}

/* The next escaped item of list *rest (0 at the end). */
static int
next_escaped(struct slice *rest, struct slice *it)
{
	long comma;

	if (rest->n == 0)
		return 0;
	comma = slice_find(*rest, ',');
	*it = comma < 0 ? *rest : slice_make(rest->p, (size_t)comma);
	*rest = comma < 0 ? slice_make(rest->p + rest->n, 0) :
	    slice_from(*rest, (size_t)comma + 1);
	return 1;
}

/*
 * Whether the part at index k (name it, type ty) has a namesake of the
 * same type among the first LOOK before it, in the side-by-side lists
 * names and types: judged once, not twice.
 */
static int
pair_seen_before(struct slice names, struct slice types, size_t k,
    struct slice it, struct slice ty)
{
	struct slice n, t;
	size_t i;

	for (i = 0; i < k && i < LOOK; i++) {
		if (!next_escaped(&names, &n))
			n = slice_make(names.p, 0);
		if (!next_escaped(&types, &t))
			t = slice_make(types.p, 0);
		if (slice_eq_slice(n, it) && slice_eq_slice(t, ty))
			return 1;
	}
	return 0;
}

/* Whether escaped list holds escaped item a (among its first LOOK). */
static int
in_list(struct slice list, struct slice a)
{
	struct slice it;
	int k = 0;

	while (k++ < LOOK && next_escaped(&list, &it))
		if (it.n == a.n && memcmp(it.p, a.p, a.n) == 0)
			return 1;
	return 0;
}

/*
 * Splits an escaped archive_member item "ARCHIVE/MEMBER": the archive is
 * the longest attachment name it starts with (names may hold '/'; the
 * first LOOK attachments are looked at), else the text before the first
 * '/'.
 */
static void
split_member(const struct mc_msg *m, struct slice item, struct slice *zip,
    struct slice *member)
{
	struct slice rest = m->attach, a;
	long slash;
	int k = 0;

	*zip = slice_make(item.p, 0);
	while (k++ < LOOK && next_escaped(&rest, &a))
		if (a.n > zip->n && a.n < item.n && item.p[a.n] == '/' &&
		    memcmp(item.p, a.p, a.n) == 0)
			*zip = a;
	if (zip->n == 0 && (slash = slice_find(item, '/')) > 0)
		*zip = slice_make(item.p, (size_t)slash);
	*member = zip->n ? slice_from(item, zip->n + 1) : item;
}

/*
 * Whether the escaped member item "A.zip/B.zip/MEMBER" lies in an
 * encrypted archive, A.zip or A.zip/B.zip in the escaped list enc (the
 * first 16 path elements are looked at): returns the length of its path
 * in item, or 0.
 */
static size_t
locked_path(struct slice enc, struct slice item)
{
	size_t i;
	int k = 0;

	for (i = 1; i < item.n && k < 16; i++) {
		if (item.p[i] != '/')
			continue;
		k++;
		if (in_list(enc, slice_make(item.p, i)))
			return i;
	}
	return 0;
}

/* The last path element of a member name ('/' or '\'). */
static struct slice
base_name(struct slice s)
{
	size_t i;

	for (i = s.n; i > 0; i--)
		if (s.p[i - 1] == '/' || s.p[i - 1] == '\\')
			return slice_from(s, i);
	return s;
}

static void
members(struct mailcheck *mc, const struct mc_msg *m, struct collect *col)
{
	char sa[NAME_SHOW * 2 + 16], sz[NAME_SHOW * 2 + 16];
	char in[NAME_SHOW * 4 + 96];
	struct slice rest = m->members, item, zip, member;
	struct verdict v;
	size_t mark;

	while (next_escaped(&rest, &item)) {
		mark = mc->scratch_used;
		split_member(m, item, &zip, &member);
		classify(mc, base_name(mc_raw(mc, member)), &v);
		if (v.rule >= 0) {
			int r = v.rule == MC_MACRO ? MC_MACRO : MC_ARCHIVE_EXEC;

			show_name(mc_raw(mc, zip), sz, sizeof sz);
			show_name(mc_raw(mc, member), sa, sizeof sa);
			if (r == MC_MACRO) {
				size_t n = 0;

				mc_append(in, sizeof in, &n, " in archive "
				    "'%s'", sz);
				attachment_clause(col, &v, sa, in);
			} else {
				size_t n = 0;
				size_t locked = locked_path(m->encrypted, item);

				mc_append(in, sizeof in, &n, "%sarchive '%s' "
				    "holds '%s' (.%s)%s", locked > 0 &&
				    locked == zip.n ?
				    "encrypted " : "", sz, sa, v.ext,
				    v.rule == MC_RTLO ? ", named with a "
				    "right-to-left override" : "");
				if (locked > zip.n)
					mc_append(in, sizeof in, &n, ", inside "
					    "the encrypted archive '%s'",
					    show_name(mc_raw(mc, slice_make(
					    item.p, locked)), sa, sizeof sa));
				add(&col[r], in);
				/* Encrypted: no scanner on the way saw it. */
				col[r].raise |= locked > 0;
			}
		}
		mc->scratch_used = mark;
	}
}

/*
 * The archives of escaped list all (archive_encrypted, archive_error)
 * into rule r's sentence: "attachment 'x.zip' <what>", or "archive
 * 'a.zip/b.zip'" for one inside an attachment.
 */
static void
archives(struct mailcheck *mc, const struct mc_msg *m, struct slice all,
    struct collect *c, const char *what)
{
	char sa[NAME_SHOW * 2 + 16], t[NAME_SHOW * 2 + 120];
	struct slice rest = all, item;
	size_t mark, n;

	while (next_escaped(&rest, &item)) {
		if (item.n == 0 || seen_before(all, item))
			continue;
		mark = mc->scratch_used;
		n = 0;
		mc_append(t, sizeof t, &n, "%s '%s' %s: its contents cannot be "
		    "checked", in_list(m->attach, item) ? "attachment" :
		    "archive", show_name(mc_raw(mc, item), sa, sizeof sa),
		    what);
		add(c, t);
		mc->scratch_used = mark;
	}
}

/* A content type of Windows programs, as mail clients label them, or NULL. */
static const char *
exec_type(struct slice t)
{
	static const char *const types[] = {
		"application/hta", "application/vnd.microsoft.portable-executable",
		"application/x-dosexec", "application/x-ms-application",
		"application/x-ms-installer", "application/x-ms-shortcut",
		"application/x-msdos-program", "application/x-msdownload",
		"application/x-msi"
	};
	size_t i;

	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		if (slice_eq_nocase(t, types[i]))
			return types[i];
	return NULL;
}

void
mc_attach(struct mailcheck *mc, struct mc_msg *m)
{
	static struct collect col[MC_NRULES];
	char sa[NAME_SHOW * 2 + 16], t[NAME_SHOW * 2 + 160];
	const char *et;
	struct slice rest = m->attach, types = m->types, item, type;
	struct verdict v;
	size_t mark, n, k;
	int r;

	for (r = MC_FIRST_ATTACH; r < MC_NRULES; r++)
		col[r].n = col[r].count = (size_t)(col[r].raise = 0);
	/*
	 * attach_type runs beside attach, one type per part: a part without
	 * a name has a type still, and a name given twice may come with
	 * another type the second time.
	 */
	for (k = 0;; k++) {
		int named = next_escaped(&rest, &item), seen;

		if (!next_escaped(&types, &type)) {
			if (!named)
				break;
			type = slice_make(item.p, 0);
		} else if (!named) {
			item = slice_make(type.p, 0);
		}
		/* A name met before: only its type may still say more. */
		seen = item.n > 0 && seen_before(m->attach, item);
		if (seen && (exec_type(type) == NULL || pair_seen_before(
		    m->attach, m->types, k, item, type)))
			continue;
		mark = mc->scratch_used;
		v.rule = -1;
		if (item.n > 0)
			classify(mc, mc_raw(mc, item), &v);
		show_name(mc_raw(mc, item), sa, sizeof sa);
		if (v.rule < 0 && (et = exec_type(type)) != NULL) {
			n = 0;
			if (item.n > 0)
				mc_append(t, sizeof t, &n, "attachment '%s' is "
				    "declared as %s, a Windows program", sa, et);
			else
				mc_append(t, sizeof t, &n, "an attachment "
				    "without a name is declared as %s, a "
				    "Windows program", et);
			add(&col[MC_EXEC], t);
		} else if (v.rule >= 0 && !seen)
			attachment_clause(col, &v, sa, "");
		mc->scratch_used = mark;
	}
	members(mc, m, col);
	archives(mc, m, m->encrypted, &col[MC_ENCRYPTED],
	    "is an encrypted archive");
	archives(mc, m, m->unreadable, &col[MC_UNREADABLE],
	    "claims to be a ZIP archive but cannot be read");
	/* Padding names past csm-parse's caps must not hide the rest. */
	if (m->attach_cut)
		add(&col[MC_CUT], "more attachment or archive member names "
		    "than csm-parse keeps: those left out were not checked");
	for (r = MC_FIRST_ATTACH; r < MC_NRULES; r++)
		if (col[r].count > 0 && (mc->rules & 1u << r))
			mc_emit(mc, m, (enum mc_rule)r, col[r].raise,
			    col[r].why);
}
