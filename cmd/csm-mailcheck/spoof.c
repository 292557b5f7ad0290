/*
 * spoof.c: the sender spoofing rules of csm-mailcheck (guideline 19.1.2,
 * mail item 1). A message's claimed sender is compared with what it
 * really is: the envelope sender against the header From, by registrable
 * domain; an address written into the display name against the real
 * one; text shaped like an address ("Service@intl-Pay") in the display
 * name against the sender; the display name against the organisation's
 * protected names when the sender is outside; every sender domain
 * against the organisation's
 * domains, by homoglyph skeleton and edit distance; and the display name
 * for characters nobody can see. A failed SPF, DKIM or DMARC verdict in
 * the message's Authentication-Results raises each finding by one level.
 * All comparisons run on folded text (NFKC, case folding, invisible code
 * points dropped), and reasons show names with invisible code points
 * written out as <U+XXXX>.
 */
#include <stdio.h>
#include <string.h>
#include "mailcheck.h"

#define REASON_MAX 1024
#define SHOW_MAX 200

/* s as an analyst should see it: invisible code points written out. */
static const char *
shown(struct slice s, char *buf, size_t cap)
{
	lookalike_show(s, buf, cap);
	return buf;
}

/*
 * The failed verdicts of Authentication-Results ("spf=softfail
 * dmarc=fail") into buf; returns whether there are any.
 */
static int
auth_failures(const struct mc_msg *m, char *buf, size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	if (slice_eq_nocase(m->spf, "fail") ||
	    slice_eq_nocase(m->spf, "softfail"))
		mc_append(buf, cap, &n, " spf=%.*s", (int)m->spf.n, m->spf.p);
	if (slice_eq_nocase(m->dkim, "fail"))
		mc_append(buf, cap, &n, " dkim=fail");
	if (slice_eq_nocase(m->dmarc, "fail"))
		mc_append(buf, cap, &n, " dmarc=fail");
	return n > 0;
}

/* Ends a reason with the failed verdicts, when there are any. */
static void
add_auth(char *why, size_t cap, size_t *n, const char *auth)
{
	if (auth[0] != '\0')
		mc_append(why, cap, n, "; Authentication-Results:%s", auth);
}

/* Whether address a is a mail system's own: MAILER-DAEMON, postmaster. */
static int
notifier(struct slice a)
{
	long at = slice_find(a, '@');

	if (at < 0)
		return 0;
	a.n = (size_t)at;
	if (a.n > 0 && a.p[0] == '<')
		a = slice_from(a, 1);
	return slice_eq_nocase(a, "mailer-daemon") ||
	    slice_eq_nocase(a, "postmaster");
}

/*
 * The envelope sender against one author of the From: from, of domain
 * hdom and registrable domain hreg; more when it is not the first.
 */
static void
envelope_one(struct mailcheck *mc, const struct mc_msg *m, int raise,
    const char *auth, struct slice from, const char *hdom,
    struct slice hreg, int more)
{
	char why[REASON_MAX], a[SHOW_MAX], b[SHOW_MAX];
	size_t n = 0;
	int claims;

	if (hreg.n == 0 || m->mreg.n == 0 || (hreg.n == m->mreg.n &&
	    memcmp(hreg.p, m->mreg.p, hreg.n) == 0))
		return;
	/* From outside, claiming one of the organisation's domains. */
	claims = mc_own(mc, slice_cstr(m->mdom)) ? 0 :
	    mc_own(mc, slice_cstr(hdom));
	/*
	 * A delivery status notification sent with a MAILER-DAEMON or
	 * postmaster envelope instead of the null sender: the From is the
	 * reporting system's, not a claimed author.
	 */
	if (!claims && notifier(m->mail_from))
		return;
	/* A bulk sender the organisation allows to send for others. */
	if (!claims && mc_envelope_allowed(mc, slice_cstr(m->mdom)))
		return;
	mc_append(why, sizeof why, &n, "envelope sender '%s' and header "
	    "From '%s'%s are in different domains (%.*s, %.*s)",
	    shown(m->mail_from, a, sizeof a), shown(from, b, sizeof b),
	    more ? " (one of its several authors)" : "", (int)m->mreg.n,
	    m->mreg.p, (int)hreg.n, hreg.p);
	if (claims)
		mc_append(why, sizeof why, &n, "; the From claims %s",
		    mc_own_words(claims));
	add_auth(why, sizeof why, &n, auth);
	mc_emit(mc, m, MC_ENVELOPE, raise + (claims != 0), why);
}

/*
 * The envelope sender against each author of the From: a spoofed one
 * may follow an honest first.
 */
static void
envelope(struct mailcheck *mc, const struct mc_msg *m, int raise,
    const char *auth)
{
	char dom[REGDOMAIN_MAX];
	struct slice rest = m->from_more, from, reg;

	envelope_one(mc, m, raise, auth, m->hdr_from, m->hdom, m->hreg, 0);
	while (mc_list_next(mc, &rest, &from)) {
		(void)mc_sender_domain(mc, from, dom, &reg);
		envelope_one(mc, m, raise, auth, from, dom, reg, 1);
	}
}

static int
local_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    (c >= 'A' && c <= 'Z') || (c != 0 &&
	    strchr("!#$%&'*+-/=?^_`{|}~.", c) != NULL);
}

static int
domain_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    (c >= 'A' && c <= 'Z') || c == '-' || c == '.';
}

/*
 * The next address in folded text t[0..n) from *pos: a local part, '@'
 * and an ASCII domain with a dot and a last label of two letters or
 * more (or punycode), dots and hyphens around it dropped. Sets addr and
 * dom; returns 0 when there is none.
 */
static int
next_address(const char *t, size_t n, size_t *pos, struct slice *addr,
    struct slice *dom)
{
	size_t at, b, e, i, last;

	for (at = *pos; at < n; at++) {
		if (t[at] != '@')
			continue;
		for (b = at; b > 0 && local_byte((unsigned char)t[b - 1]); b--)
			;
		for (e = at + 1; e < n && domain_byte((unsigned char)t[e]);
		    e++)
			;
		*pos = at + 1;
		while (e > at + 1 && (t[e - 1] == '.' || t[e - 1] == '-'))
			e--;
		i = at + 1;
		while (i < e && (t[i] == '.' || t[i] == '-'))
			i++;
		if (b == at || i == e)
			continue;
		for (last = e; last > i && t[last - 1] != '.'; last--)
			;
		if (last == i || (e - last < 2))
			continue;
		*dom = slice_make(t + i, e - i);
		*addr = slice_make(t + b, e - b);
		if (e - last > 4 && memcmp(t + last, "xn--", 4) == 0)
			return 1;
		for (; last < e; last++)
			if (!((t[last] >= 'a' && t[last] <= 'z') ||
			    (t[last] >= 'A' && t[last] <= 'Z')))
				break;
		if (last == e)
			return 1;
	}
	*pos = n;
	return 0;
}

/* The smallest edit distance allowed against a name of k characters. */
static size_t
allowed(const struct mailcheck *mc, size_t k)
{
	size_t a = k >= 2 ? (k - 2) / 4 : 0;

	return a < mc->t.distance ? a : (size_t)mc->t.distance;
}

/* The sender whose domain the rules compare: header From, else envelope. */
static struct slice
sender_of(const struct mc_msg *m, struct slice *dom, struct slice *reg)
{
	if (m->hreg.n > 0) {
		*dom = slice_cstr(m->hdom);
		*reg = m->hreg;
		return m->hdr_from;
	}
	*dom = slice_cstr(m->mdom);
	*reg = m->mreg;
	return m->mail_from;
}

static void
name_address(struct mailcheck *mc, const struct mc_msg *m, int raise,
    const char *auth)
{
	char why[REASON_MAX], a[SHOW_MAX], b[SHOW_MAX];
	char text[LOOKALIKE_MAX * 4 + 1], canon[REGDOMAIN_MAX];
	uint32_t cp[LOOKALIKE_MAX];
	struct slice addr, dom, sdom, sreg, reg, sender;
	size_t n, pos = 0;
	int own;

	sender = sender_of(m, &sdom, &sreg);
	if (m->name.n == 0 || sreg.n == 0 || (memchr(m->name.p, '@',
	    m->name.n) == NULL && memchr(m->name.p, 0xef, m->name.n) == NULL))
		return;		/* no '@', not even a full-width one */
	n = lookalike_fold(m->name, cp, LOOKALIKE_MAX);
	n = lookalike_utf8(cp, n, text, sizeof text);
	while (next_address(text, n, &pos, &addr, &dom)) {
		if (regdomain_canon(dom, canon, sizeof canon) < 0)
			continue;
		reg = regdomain_of(mc->rd, canon);
		if (reg.n == sreg.n && memcmp(reg.p, sreg.p, reg.n) == 0)
			continue;	/* the sender's own address */
		own = mc_own(mc, slice_cstr(canon));
		n = 0;
		mc_append(why, sizeof why, &n, "display name '%s' names the "
		    "address %.*s, not the sender %s",
		    shown(m->name, a, sizeof a), (int)addr.n, addr.p,
		    shown(sender, b, sizeof b));
		if (own)
			mc_append(why, sizeof why, &n, "; the address is in %s",
			    mc_own_words(own));
		add_auth(why, sizeof why, &n, auth);
		mc_emit(mc, m, MC_NAME_ADDR, raise + (own != 0), why);
		return;
	}
}


static int
ascii_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    (c >= 'A' && c <= 'Z');
}

/*
 * The next text of folded t[0..n) from *pos shaped like an address
 * without being one: an ASCII letter or digit on both sides of an '@'
 * ("Service@intl-Pay"), the local part and the word after '@' (letters,
 * digits, dots and hyphens) around it. "Sales @ Example", "@home" and
 * "田中＠営業部" have no such text. Returns 0 when there is none.
 */
static int
next_shape(const char *t, size_t n, size_t *pos, struct slice *shape,
    struct slice *word)
{
	size_t at, b, e;

	for (at = *pos; at < n; at++) {
		if (t[at] != '@' || at == 0 || at + 1 >= n ||
		    !ascii_alnum((unsigned char)t[at - 1]) ||
		    !ascii_alnum((unsigned char)t[at + 1]))
			continue;
		for (b = at; b > 0 && local_byte((unsigned char)t[b - 1]); b--)
			;
		while (!ascii_alnum((unsigned char)t[b]))
			b++;
		for (e = at + 1; e < n && domain_byte((unsigned char)t[e]);
		    e++)
			;
		while (t[e - 1] == '.' || t[e - 1] == '-')
			e--;
		*pos = at + 1;
		*shape = slice_make(t + b, e - b);
		*word = slice_make(t + at + 1, e - at - 1);
		return 1;
	}
	*pos = n;
	return 0;
}

/*
 * Whether shape (folded local@word) is the sender's own: the start of
 * the sender's address ("info@example" of info@example.co.jp), or word's
 * first label that of the sender's registrable domain.
 */
static int
own_shape(struct slice shape, struct slice word, struct slice sender,
    struct slice sreg)
{
	size_t i;
	long dot;

	if (sender.n > 0 && sender.p[0] == '<')
		sender = slice_from(sender, 1);
	for (i = 0; i < shape.n && i < sender.n; i++) {
		unsigned char c = (unsigned char)sender.p[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((unsigned char)shape.p[i] != c)	/* shape is folded */
			break;
	}
	if (i == shape.n && (i == sender.n || sender.p[i] == '.' ||
	    sender.p[i] == '>'))
		return 1;
	if ((dot = slice_find(word, '.')) >= 0)
		word.n = (size_t)dot;
	if ((dot = slice_find(sreg, '.')) >= 0)
		sreg.n = (size_t)dot;
	return word.n == sreg.n && memcmp(word.p, sreg.p, word.n) == 0;
}

/*
 * What the word after '@' imitates: a protected name, or the first
 * label of one of the organisation's domains, within the edits allowed.
 * Returns the name as listed (or the domain, *own set to its mc_own
 * kind), or NULL.
 */
static const char *
imitated(const struct mailcheck *mc, struct slice word, int *own)
{
	uint32_t cp[LOOKALIKE_MAX], sk[LOOKALIKE_MAX], ak[LOOKALIKE_MAX];
	size_t i, j, n, na, k;

	*own = 0;
	n = lookalike_fold(word, cp, LOOKALIKE_MAX);
	na = lookalike_skeleton(cp, n, ak, LOOKALIKE_MAX, LOOKALIKE_ALNUM);
	n = lookalike_skeleton(cp, n, sk, LOOKALIKE_MAX, 0);
	for (i = 0; i < mc->nnames && na > 0; i++) {
		k = mc->names[i].nskel;
		if (k >= 3 && lookalike_find(mc->names[i].skel, k, ak, na,
		    allowed(mc, k)) <= allowed(mc, k))
			return mc->names[i].text;
	}
	for (i = 0; i < mc->ndom && n > 0; i++) {
		const struct mc_domain *o = &mc->dom[i];

		for (j = 0; j < o->nskel && o->skel[j] != '.'; j++)
			;
		if (j >= 3 && lookalike_find(o->skel, j, sk, n,
		    allowed(mc, j)) <= allowed(mc, j)) {
			*own = o->internal ? MC_OWN_INTERNAL : MC_OWN_LISTED;
			return o->canon;
		}
	}
	return NULL;
}

static void
name_at(struct mailcheck *mc, const struct mc_msg *m, int raise,
    const char *auth)
{
	char why[REASON_MAX], a[SHOW_MAX], b[SHOW_MAX];
	char text[LOOKALIKE_MAX * 4 + 1];
	uint32_t cp[LOOKALIKE_MAX];
	struct slice addr, dom, sdom, sreg, sender, shape, word;
	size_t n, pos = 0;
	const char *like;
	int own;

	sender = sender_of(m, &sdom, &sreg);
	if (m->name.n == 0 || sreg.n == 0 || (memchr(m->name.p, '@',
	    m->name.n) == NULL && memchr(m->name.p, 0xef, m->name.n) == NULL))
		return;
	n = lookalike_fold(m->name, cp, LOOKALIKE_MAX);
	n = lookalike_utf8(cp, n, text, sizeof text);
	if (next_address(text, n, &pos, &addr, &dom))
		return;		/* a real address: display-name-address's */
	pos = 0;
	while (next_shape(text, n, &pos, &shape, &word)) {
		if (own_shape(shape, word, sender, sreg))
			continue;
		like = imitated(mc, word, &own);
		n = 0;
		mc_append(why, sizeof why, &n, "display name '%s' is shaped "
		    "like an address (%.*s), not the sender %s",
		    shown(m->name, a, sizeof a), (int)shape.n, shape.p,
		    shown(sender, b, sizeof b));
		if (like != NULL && own)
			mc_append(why, sizeof why, &n, "; '%.*s' imitates "
			    "%s, %s", (int)word.n, word.p, shown(slice_cstr(
			    like), b, sizeof b), mc_own_words(own));
		else if (like != NULL)
			mc_append(why, sizeof why, &n, "; '%.*s' imitates "
			    "the protected name '%s'", (int)word.n, word.p,
			    shown(slice_cstr(like), b, sizeof b));
		add_auth(why, sizeof why, &n, auth);
		mc_emit(mc, m, MC_NAME_AT, raise + (like != NULL), why);
		return;
	}
}

static void
protected_name(struct mailcheck *mc, const struct mc_msg *m, int raise,
    const char *auth)
{
	char why[REASON_MAX], a[SHOW_MAX], b[SHOW_MAX], c[SHOW_MAX];
	uint32_t cp[LOOKALIKE_MAX], sk[LOOKALIKE_MAX];
	struct slice sdom, sreg, sender;
	const struct mc_name *best = NULL;
	size_t i, n, d, bestd = SIZE_MAX, k;

	sender = sender_of(m, &sdom, &sreg);
	if (mc->nnames == 0 || m->name.n == 0 || sdom.n == 0 ||
	    mc_own(mc, sdom))
		return;
	n = lookalike_fold(m->name, cp, LOOKALIKE_MAX);
	n = lookalike_skeleton(cp, n, sk, LOOKALIKE_MAX, LOOKALIKE_ALNUM);
	if (n == 0)
		return;
	for (i = 0; i < mc->nnames && bestd > 0; i++) {
		const struct mc_name *nm = &mc->names[i];

		k = nm->nskel;
		if (k < 3)	/* a short name: the whole display name only */
			d = n == k && memcmp(sk, nm->skel, k * sizeof *sk) ==
			    0 ? 0 : SIZE_MAX;
		else if ((d = lookalike_find(nm->skel, k, sk, n,
		    allowed(mc, k))) > allowed(mc, k))
			d = SIZE_MAX;
		if (d < bestd) {
			bestd = d;
			best = nm;
		}
	}
	if (best == NULL)
		return;
	n = 0;
	if (bestd == 0)
		mc_append(why, sizeof why, &n, "display name '%s' matches the "
		    "protected name '%s'", shown(m->name, a, sizeof a),
		    shown(slice_cstr(best->text), b, sizeof b));
	else
		mc_append(why, sizeof why, &n, "display name '%s' is %zu "
		    "edit%s from the protected name '%s'",
		    shown(m->name, a, sizeof a), bestd, bestd == 1 ? "" : "s",
		    shown(slice_cstr(best->text), b, sizeof b));
	mc_append(why, sizeof why, &n, ", but the sender %s is outside the "
	    "organisation", shown(sender, c, sizeof c));
	add_auth(why, sizeof why, &n, auth);
	mc_emit(mc, m, MC_PROTECTED, raise, why);
}

/* Appends the non-ASCII code points of s (up to four) to why. */
static void
non_ascii(char *why, size_t cap, size_t *n, struct slice s)
{
	uint32_t cp[LOOKALIKE_MAX], seen[4];
	size_t i, j, k, ns = 0;

	/* Canonical domains are NFC and lower case already: fold is NFKC. */
	k = lookalike_fold(s, cp, LOOKALIKE_MAX);
	for (i = 0; i < k && ns < 4; i++) {
		if (cp[i] < 0x80)
			continue;
		for (j = 0; j < ns && seen[j] != cp[i]; j++)
			;
		if (j == ns)
			seen[ns++] = cp[i];
	}
	for (i = 0; i < ns; i++)
		mc_append(why, cap, n, "%sU+%04X%s", i ? " " : " (with ",
		    (unsigned)seen[i], i + 1 == ns ? ")" : "");
}

/*
 * Checks one sender domain (canonical dom, registrable reg) against the
 * organisation's domains; appends to why and returns 1 on a look-alike.
 */
static int
lookalike_one(struct mailcheck *mc, const char *what, struct slice addr,
    struct slice dom, struct slice reg, char *why, size_t cap, size_t *n)
{
	char a[SHOW_MAX], b[SHOW_MAX];
	uint32_t cp[LOOKALIKE_MAX], sk[LOOKALIKE_MAX];
	const struct mc_domain *best = NULL;
	size_t i, k, d, bestd = SIZE_MAX, lim;

	if (reg.n == 0 || mc_own(mc, dom))
		return 0;
	k = lookalike_fold(reg, cp, LOOKALIKE_MAX);
	k = lookalike_skeleton(cp, k, sk, LOOKALIKE_MAX, 0);
	for (i = 0; i < mc->ndom && bestd > 0; i++) {
		const struct mc_domain *o = &mc->dom[i];

		lim = allowed(mc, o->label);
		if (k == o->nskel && memcmp(sk, o->skel, k * sizeof *sk) == 0)
			d = 0;
		else if ((d = lookalike_distance(sk, k, o->skel, o->nskel,
		    lim)) > lim)
			d = SIZE_MAX;
		if (d < bestd) {
			bestd = d;
			best = o;
		}
	}
	if (best == NULL)
		return 0;
	mc_append(why, cap, n, "%s%s %s: domain %.*s", *n ? "; " : "", what,
	    shown(addr, a, sizeof a), (int)reg.n, reg.p);
	non_ascii(why, cap, n, reg);
	if (bestd == 0)
		mc_append(why, cap, n, " looks like %s", shown(best->reg, b,
		    sizeof b));
	else
		mc_append(why, cap, n, " is %zu edit%s from %s", bestd,
		    bestd == 1 ? "" : "s", shown(best->reg, b, sizeof b));
	mc_append(why, cap, n, ", %s", mc_own_words(best->internal ?
	    MC_OWN_INTERNAL : MC_OWN_LISTED));
	return 1;
}

/*
 * lookalike_one for each address of escaped list more (From's authors
 * after the first, or Reply-To's) whose registrable domain is none of
 * seen (the four lookalike judged); returns the number of look-alikes.
 */
static int
lookalike_more(struct mailcheck *mc, const char *what, struct slice more,
    const struct slice *seen, char *why, size_t cap, size_t *n)
{
	char dom[REGDOMAIN_MAX];
	struct slice a, d, reg;
	int hits = 0, k, dup;

	while (mc_list_next(mc, &more, &a)) {
		d = mc_sender_domain(mc, a, dom, &reg);
		for (k = 0, dup = 0; k < 4 && !dup; k++)
			dup = slice_eq_slice(seen[k], reg);
		if (!dup)
			hits += lookalike_one(mc, what, a, d, reg, why, cap, n);
	}
	return hits;
}

static void
lookalike(struct mailcheck *mc, const struct mc_msg *m, int raise,
    const char *auth)
{
	static const char *const what[] = {
		"header From", "envelope sender", "Reply-To", "Sender"
	};
	char why[REASON_MAX], buf[2][REGDOMAIN_MAX];
	struct slice addr[4], dom[4], reg[4];
	size_t n = 0;
	int i, j, hits = 0;

	if (mc->ndom == 0)
		return;
	addr[0] = m->hdr_from;
	dom[0] = slice_cstr(m->hdom);
	reg[0] = m->hreg;
	addr[1] = m->mail_from;
	dom[1] = slice_cstr(m->mdom);
	reg[1] = m->mreg;
	addr[2] = m->reply_to;
	addr[3] = m->sender;
	for (i = 2; i < 4; i++) {
		dom[i] = reg[i] = slice_make(buf[i - 2], 0);
		if (regdomain_canon(regdomain_addr_domain(addr[i]), buf[i - 2],
		    REGDOMAIN_MAX) >= 0) {
			dom[i] = slice_cstr(buf[i - 2]);
			reg[i] = regdomain_of(mc->rd, buf[i - 2]);
		}
	}
	for (i = 0; i < 4; i++) {
		for (j = 0; j < i; j++)
			if (reg[j].n == reg[i].n && memcmp(reg[j].p, reg[i].p,
			    reg[i].n) == 0)
				break;
		if (j == i)	/* each registrable domain once */
			hits += lookalike_one(mc, what[i], addr[i], dom[i],
			    reg[i], why, sizeof why, &n);
	}
	/* A client shows every author, and replies go to every Reply-To. */
	hits += lookalike_more(mc, "header From", m->from_more, reg, why,
	    sizeof why, &n);
	hits += lookalike_more(mc, "Reply-To", m->reply_more, reg, why,
	    sizeof why, &n);
	if (hits == 0)
		return;
	add_auth(why, sizeof why, &n, auth);
	mc_emit(mc, m, MC_LOOKALIKE, raise, why);
}

static void
hidden(struct mailcheck *mc, const struct mc_msg *m, int raise,
    const char *auth)
{
	char why[REASON_MAX], a[SHOW_MAX * 2], b[SHOW_MAX];
	size_t n = 0, h = lookalike_hidden(m->name);

	if (h == 0)
		return;
	lookalike_strip(m->name, b, sizeof b);
	mc_append(why, sizeof why, &n, "display name '%s' hides %zu "
	    "invisible character%s; it reads '%s'",
	    shown(m->name, a, sizeof a), h, h == 1 ? "" : "s", b);
	add_auth(why, sizeof why, &n, auth);
	mc_emit(mc, m, MC_HIDDEN, raise, why);
}

void
mc_spoof(struct mailcheck *mc, struct mc_msg *m)
{
	char auth[96];
	int raise = auth_failures(m, auth, sizeof auth);

	if (mc->rules & 1u << MC_ENVELOPE)
		envelope(mc, m, raise, auth);
	if (mc->rules & 1u << MC_NAME_ADDR)
		name_address(mc, m, raise, auth);
	if (mc->rules & 1u << MC_NAME_AT)
		name_at(mc, m, raise, auth);
	if (mc->rules & 1u << MC_PROTECTED)
		protected_name(mc, m, raise, auth);
	if (mc->rules & 1u << MC_LOOKALIKE)
		lookalike(mc, m, raise, auth);
	if (mc->rules & 1u << MC_HIDDEN)
		hidden(mc, m, raise, auth);
}
