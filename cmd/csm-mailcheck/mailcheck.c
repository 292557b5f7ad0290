/*
 * mailcheck.c: csm-mailcheck's shared work. The [mailcheck] table and
 * its set-up (rules, severities, extension lists, the organisation's
 * domains with their registrable domains and skeletons, the protected
 * names), then per mail event: its columns and extra keys unescaped once
 * into a scratch buffer, its sender domains made canonical, and the
 * message handed to the spoofing rules (spoof.c), the rule on records
 * that read two ways (ambiguous.c) and the attachment rules (attach.c).
 * Each rule writes at most one finding per message through mc_emit.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "esc.h"
#include "extra.h"
#include "finding.h"
#include "mailcheck.h"

const char *const mailcheck_columns[MC_NCOLS] = {
	"log", "mail_from", "hdr_from", "hdr_from_name", "src_ip", "action",
	"rcpt", "attach", "extra", "origin"
};

const char *const mailcheck_rule_names[MC_NRULES] = {
	"envelope-mismatch", "display-name-address", "display-name-at",
	"protected-name", "lookalike-domain", "hidden-characters",
	"ambiguous-record", "executable", "double-extension", "rtl-override",
	"archive-executable", "archive-encrypted", "archive-unreadable",
	"macro", "attachments-cut"
};

static const int default_level[MC_NRULES] = {
	MC_MEDIUM, MC_MEDIUM, MC_LOW, MC_HIGH, MC_HIGH, MC_MEDIUM,
	MC_MEDIUM,
	MC_HIGH, MC_CRITICAL, MC_CRITICAL, MC_HIGH, MC_MEDIUM, MC_LOW,
	MC_MEDIUM, MC_MEDIUM
};

/* Windows runs these by a double click, or mounts them (disk images). */
static const char *const default_exec[] = {
	"appinstaller", "application", "appref-ms", "appx", "appxbundle",
	"bat", "chm",
	"cmd", "com", "cpl", "diagcab", "dll", "dmg", "exe", "gadget", "hlp",
	"hta", "img", "inf", "ins", "iso", "isp", "jar", "jnlp", "js", "jse",
	"lnk", "mde", "msc", "msi", "msix", "msixbundle", "msp", "mst", "ocx",
	"one", "onepkg", "pif", "ps1", "ps1xml", "ps2", "ps2xml", "psc1",
	"psc2", "psd1", "psm1", "reg", "scf", "scr", "sct",
	"settingcontent-ms", "shb", "shs", "url", "vb", "vbe", "vbs", "vhd",
	"vhdx", "ws", "wsc", "wsf", "wsh", "xbap", "xll"
};

/* Office files that carry macros by design. */
static const char *const default_macro[] = {
	"docm", "dotm", "ppa", "ppam", "potm", "ppsm", "pptm", "sldm", "xla",
	"xlam", "xlsb", "xlsm", "xltm"
};

/* What an executable pretends to be in "invoice.pdf.exe". */
static const char *const default_decoy[] = {
	"7z", "avi", "bmp", "csv", "doc", "docx", "eml", "gif", "htm", "html",
	"jpeg", "jpg", "mov", "mp3", "mp4", "msg", "odp", "ods", "odt", "pdf",
	"png", "ppt", "pptx", "rar", "rtf", "tif", "tiff", "txt", "wav", "xls",
	"xlsx", "xml", "zip"
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

void
mailcheck_keys(struct mc_tunables *t, struct config_key *k)
{
	memset(t, 0, sizeof *t);
	t->rules.v = mailcheck_rule_names;
	t->rules.n = MC_NRULES;
	t->exec.v = default_exec;
	t->exec.n = NELEM(default_exec);
	t->macro.v = default_macro;
	t->macro.n = NELEM(default_macro);
	t->decoy.v = default_decoy;
	t->decoy.n = NELEM(default_decoy);
	t->distance = 2;
	k[0] = (struct config_key){ "rules", CONFIG_LIST, &t->rules, 0, 0 };
	k[1] = (struct config_key){ "internal-domains", CONFIG_LIST,
	    &t->internal, 0, 0 };
	k[2] = (struct config_key){ "executable-extensions", CONFIG_LIST,
	    &t->exec, 0, 0 };
	k[3] = (struct config_key){ "macro-extensions", CONFIG_LIST,
	    &t->macro, 0, 0 };
	k[4] = (struct config_key){ "decoy-extensions", CONFIG_LIST,
	    &t->decoy, 0, 0 };
	k[5] = (struct config_key){ "lookalike-distance", CONFIG_UINT,
	    &t->distance, 0, 5 };
	k[6] = (struct config_key){ "severity", CONFIG_LIST, &t->severity,
	    0, 0 };
	k[7] = (struct config_key){ "allowed-envelope-domains", CONFIG_LIST,
	    &t->envelope, 0, 0 };
}

static int
rule_index(struct slice s)
{
	int r;

	for (r = 0; r < MC_NRULES; r++)
		if (slice_eq(s, mailcheck_rule_names[r]))
			return r;
	return -1;
}

/* rules and severity into mc. */
static int
setup_rules(struct mailcheck *mc, char *err, size_t errcap)
{
	char q[80], at[CONFIG_WHERE_MAX];
	size_t i;
	int r, lv;

	mc->rules = 0;
	for (i = 0; i < mc->t.rules.n; i++) {
		struct slice s = slice_cstr(mc->t.rules.v[i]);

		if ((r = rule_index(s)) < 0) {
			snprintf(err, errcap, "%sunknown rule '%s' in "
			    "[mailcheck] rules (see csm-mailcheck(1))",
			    config_key_where(mc->cfg, &mc->t.rules, at,
			    sizeof at), diag_quote(q, sizeof q, s));
			return -1;
		}
		mc->rules |= 1u << r;
	}
	if (mc->rules == 0) {
		snprintf(err, errcap, "%sno rule left to run in [mailcheck] "
		    "rules", config_key_where(mc->cfg, &mc->t.rules, at,
		    sizeof at));
		return -1;
	}
	memcpy(mc->level, default_level, sizeof mc->level);
	for (i = 0; i < mc->t.severity.n; i++) {
		struct slice s = slice_cstr(mc->t.severity.v[i]);
		long eq = slice_find(s, '=');

		if (eq < 0 || (r = rule_index(slice_make(s.p,
		    (size_t)eq))) < 0 || (lv = finding_severity_level(
		    slice_from(s, (size_t)eq + 1))) < 0) {
			snprintf(err, errcap, "%sbad severity '%s' in "
			    "[mailcheck] severity (rule=level, as macro=low; "
			    "levels info, low, medium, high, critical)",
			    config_key_where(mc->cfg, &mc->t.severity, at,
			    sizeof at), diag_quote(q, sizeof q, s));
			return -1;
		}
		mc->level[r] = lv;
	}
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Folds s (a leading '.' dropped) into a new string; NULL: no memory. */
static char *
fold_dup(struct slice s)
{
	uint32_t cp[LOOKALIKE_MAX];
	char buf[LOOKALIKE_MAX * 4 + 1];
	size_t n;

	if (s.n > 0 && s.p[0] == '.')
		s = slice_from(s, 1);
	n = lookalike_fold(s, cp, LOOKALIKE_MAX);
	lookalike_utf8(cp, n, buf, sizeof buf);
	return strdup(buf);
}

static int
setup_exts(struct mailcheck *mc, int which, const struct config_strv *v)
{
	size_t i;

	if ((mc->exts[which] = calloc(v->n + 1, sizeof(char *))) == NULL)
		return -1;
	for (i = 0; i < v->n; i++) {
		if ((mc->exts[which][i] = fold_dup(slice_cstr(v->v[i]))) ==
		    NULL)
			return -1;
		mc->next[which]++;
	}
	qsort(mc->exts[which], mc->next[which], sizeof(char *), cmp_str);
	return 0;
}

int
mc_ext_in(const struct mailcheck *mc, int which, const char *ext)
{
	return ext[0] != '\0' && bsearch(&ext, mc->exts[which],
	    mc->next[which], sizeof(char *), cmp_str) != NULL;
}

/* Adds a domain of the organisation; 1 when s is not a domain. */
static int
add_domain(struct mailcheck *mc, struct slice s, int internal)
{
	char canon[REGDOMAIN_MAX];
	uint32_t cp[LOOKALIKE_MAX], sk[LOOKALIKE_MAX];
	struct mc_domain *d, *nd;
	size_t n;

	if (regdomain_canon(s, canon, sizeof canon) < 0)
		return 1;
	nd = realloc(mc->dom, (mc->ndom + 1) * sizeof *mc->dom);
	if (nd == NULL)
		return -1;
	mc->dom = nd;
	d = &mc->dom[mc->ndom];
	memset(d, 0, sizeof *d);
	if ((d->canon = strdup(canon)) == NULL)
		return -1;
	mc->ndom++;
	d->internal = internal;
	d->reg = regdomain_of(mc->rd, d->canon);
	n = lookalike_fold(d->reg, cp, LOOKALIKE_MAX);
	d->nskel = lookalike_skeleton(cp, n, sk, LOOKALIKE_MAX, 0);
	n = lookalike_fold(regdomain_label(d->reg), cp, LOOKALIKE_MAX);
	d->label = n;
	if ((d->skel = malloc((d->nskel + 1) * sizeof *sk)) == NULL)
		return -1;
	memcpy(d->skel, sk, d->nskel * sizeof *sk);
	return 0;
}

/*
 * The protected names: an item that is a domain under a public suffix
 * the list knows ("example.co.jp") joins the organisation's domains;
 * every other item ("Example K.K.", "山田 太郎") is a name.
 */
static int
setup_names(struct mailcheck *mc, char *err, size_t errcap)
{
	const struct config_strv *paths = config_list_paths(mc->cfg,
	    CONFIG_LIST_PROTECTED_NAMES);
	char canon[REGDOMAIN_MAX];
	uint32_t cp[LOOKALIKE_MAX], sk[LOOKALIKE_MAX];
	size_t i, n;

	for (i = 0; i < paths->n; i++)
		if (listfile_load(&mc->list, paths->v[i], err, errcap) != 0)
			return -1;
	if ((mc->names = calloc(mc->list.n + 1, sizeof *mc->names)) == NULL)
		goto oom;
	for (i = 0; i < mc->list.n; i++) {
		struct slice s = mc->list.item[i].s;
		struct mc_name *nm;

		if (slice_find(s, ' ') < 0 && slice_find(s, '@') < 0 &&
		    regdomain_canon(s, canon, sizeof canon) >= 0 &&
		    slice_find(slice_cstr(canon), '.') > 0 &&
		    regdomain_known_suffix(mc->rd, canon)) {
			if (add_domain(mc, s, 0) < 0)
				goto oom;
			continue;
		}
		n = lookalike_fold(s, cp, LOOKALIKE_MAX);
		n = lookalike_skeleton(cp, n, sk, LOOKALIKE_MAX,
		    LOOKALIKE_ALNUM);
		if (n == 0)
			continue;	/* punctuation only: nothing to match */
		nm = &mc->names[mc->nnames];
		nm->text = s.p;
		nm->nskel = n;
		if ((nm->skel = malloc(n * sizeof *sk)) == NULL)
			goto oom;
		memcpy(nm->skel, sk, n * sizeof *sk);
		mc->nnames++;
	}
	return 0;
oom:
	snprintf(err, errcap, "out of memory");
	return -1;
}

int
mailcheck_setup(struct mailcheck *mc, char *err, size_t errcap)
{
	char q[80], at[CONFIG_WHERE_MAX];
	size_t i;
	int r;

	listfile_init(&mc->list);
	if (setup_rules(mc, err, errcap) != 0)
		return -1;
	if ((mc->rd = regdomain_open()) == NULL) {
		snprintf(err, errcap, "cannot load the Public Suffix List "
		    "(libpsl)");
		return -1;
	}
	if (setup_exts(mc, MC_EXT_EXEC, &mc->t.exec) != 0 ||
	    setup_exts(mc, MC_EXT_MACRO, &mc->t.macro) != 0 ||
	    setup_exts(mc, MC_EXT_DECOY, &mc->t.decoy) != 0)
		goto oom;
	for (i = 0; i < mc->t.internal.n; i++) {
		struct slice s = slice_cstr(mc->t.internal.v[i]);

		if ((r = add_domain(mc, s, 1)) < 0)
			goto oom;
		if (r > 0) {
			snprintf(err, errcap, "%sbad domain '%s' in "
			    "[mailcheck] internal-domains", config_key_where(
			    mc->cfg, &mc->t.internal, at, sizeof at),
			    diag_quote(q, sizeof q, s));
			return -1;
		}
	}
	if ((mc->envelope = calloc(mc->t.envelope.n + 1,
	    sizeof *mc->envelope)) == NULL)
		goto oom;
	for (i = 0; i < mc->t.envelope.n; i++) {
		struct slice s = slice_cstr(mc->t.envelope.v[i]);
		char canon[REGDOMAIN_MAX];

		if (regdomain_canon(s, canon, sizeof canon) < 0) {
			snprintf(err, errcap, "%sbad domain '%s' in "
			    "[mailcheck] allowed-envelope-domains",
			    config_key_where(mc->cfg, &mc->t.envelope, at,
			    sizeof at), diag_quote(q, sizeof q, s));
			return -1;
		}
		if ((mc->envelope[i] = strdup(canon)) == NULL)
			goto oom;
		mc->nenvelope++;
	}
	return setup_names(mc, err, errcap);
oom:
	snprintf(err, errcap, "out of memory");
	return -1;
}

void
mailcheck_release(struct mailcheck *mc)
{
	size_t i;
	int w;

	for (i = 0; i < mc->ndom; i++) {
		free(mc->dom[i].canon);
		free(mc->dom[i].skel);
	}
	free(mc->dom);
	for (i = 0; i < mc->nenvelope; i++)
		free(mc->envelope[i]);
	free(mc->envelope);
	for (i = 0; i < mc->nnames; i++)
		free(mc->names[i].skel);
	free(mc->names);
	listfile_release(&mc->list);
	for (w = 0; w < 3; w++) {
		for (i = 0; i < mc->next[w]; i++)
			free(mc->exts[w][i]);
		free(mc->exts[w]);
	}
	regdomain_close(mc->rd);
	free(mc->scratch);
}

struct slice
mc_raw(struct mailcheck *mc, struct slice s)
{
	char *p = mc->scratch + mc->scratch_used;

	if (s.n > mc->scratch_cap - mc->scratch_used)
		return slice_make(p, 0);
	s.n = esc_unescape(p, s);
	mc->scratch_used += s.n;
	return slice_make(p, s.n);
}

int
mc_list_next(struct mailcheck *mc, struct slice *rest, struct slice *item)
{
	long comma;

	if (rest->n == 0)
		return 0;
	comma = slice_find(*rest, ',');
	if (comma < 0) {
		*item = mc_raw(mc, *rest);
		*rest = slice_make(rest->p + rest->n, 0);
	} else {
		*item = mc_raw(mc, slice_make(rest->p, (size_t)comma));
		*rest = slice_from(*rest, (size_t)comma + 1);
	}
	return 1;
}

int
mc_own(const struct mailcheck *mc, struct slice d)
{
	size_t i;
	int own = 0;

	for (i = 0; i < mc->ndom; i++)
		if (regdomain_under(d, mc->dom[i].reg)) {
			if (mc->dom[i].internal)
				return MC_OWN_INTERNAL;
			own = MC_OWN_LISTED;
		}
	return own;
}

int
mc_envelope_allowed(const struct mailcheck *mc, struct slice d)
{
	size_t i;

	for (i = 0; i < mc->nenvelope; i++)
		if (regdomain_under(d, slice_cstr(mc->envelope[i])))
			return 1;
	return 0;
}

const char *
mc_own_words(int own)
{
	return own == MC_OWN_INTERNAL ? "a domain of the organisation" :
	    "a protected domain";
}

void
mc_append(char *buf, size_t cap, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (*n + 4 >= cap)
		return;
	va_start(ap, fmt);
	w = vsnprintf(buf + *n, cap - *n, fmt, ap);
	va_end(ap);
	if (w < 0)
		return;
	if ((size_t)w >= cap - *n) {
		/* Cut: end with "..." on a whole character. */
		*n = cap - 4;
		while (*n > 0 && ((unsigned char)buf[*n] & 0xc0) == 0x80)
			(*n)--;
		memcpy(buf + *n, "...", 4);
		*n += 3;
		return;
	}
	*n += (size_t)w;
}

void
mc_emit(struct mailcheck *mc, const struct mc_msg *msg, enum mc_rule rule,
    int raise, const char *reason)
{
	static const double score[] = { 0.1, 0.3, 0.5, 0.8, 0.95 };
	struct finding fd;
	char why[1200];
	size_t n = 0;
	int lv = mc->level[rule] + raise - msg->denied;

	/* Refused or not, a finding stays at least low (or info as set). */
	if (lv < MC_LOW)
		lv = mc->level[rule] < MC_LOW ? MC_INFO : MC_LOW;
	if (lv > MC_CRITICAL)
		lv = MC_CRITICAL;
	memset(&fd, 0, sizeof fd);
	fd.ts_ms = fd.ts_last_ms = msg->ts_ms;
	fd.f[FD_CHECK] = slice_cstr("mailcheck");
	fd.f[FD_RULE] = slice_cstr(mailcheck_rule_names[rule]);
	fd.severity = lv;
	fd.score = score[lv];
	fd.f[FD_SRC_IP] = msg->src;
	fd.f[FD_USER] = msg->hdr_from.n ? msg->hdr_from : msg->mail_from;
	fd.f[FD_DST] = msg->rcpt;
	fd.count = 1;
	mc_append(why, sizeof why, &n, "%s%s", reason, msg->denied ?
	    "; the mail server refused the message" : "");
	fd.f[FD_REASON] = slice_make(why, n);
	fd.f[FD_CLAUSE] = slice_cstr(rule < MC_FIRST_ATTACH ?
	    "19.1.2 mail-1" : "19.1.2 mail-2");
	fd.f[FD_STAGE] = slice_cstr("delivery");
	fd.f[FD_ORIGIN] = msg->origin;
	finding_write(mc->out, &fd, &mc->tc);
	mc->nfindings[rule]++;
}

struct slice
mc_sender_domain(struct mailcheck *mc, struct slice a, char *buf,
    struct slice *reg)
{
	buf[0] = '\0';
	*reg = slice_make(buf, 0);
	if (regdomain_canon(regdomain_addr_domain(a), buf, REGDOMAIN_MAX) < 0) {
		buf[0] = '\0';
		return slice_make(buf, 0);
	}
	*reg = regdomain_of(mc->rd, buf);
	return slice_cstr(buf);
}

/* Room for every field of row unescaped, and for the lists once more. */
static int
scratch_reserve(struct mailcheck *mc, const struct evrow *row)
{
	size_t need = 64;
	char *p;
	int i;

	for (i = 0; i < row->nf; i++)
		need += 2 * row->f[i].n;
	mc->scratch_used = 0;
	if (need <= mc->scratch_cap)
		return 0;
	if ((p = realloc(mc->scratch, need)) == NULL)
		return -1;
	mc->scratch = p;
	mc->scratch_cap = need;
	return 0;
}

enum line_result
mailcheck_event(void *arg, struct evrow *row)
{
	struct mailcheck *mc = arg;
	struct mc_msg msg;
	struct slice extra = evrow_get(row, MC_EXTRA);

	if (!slice_eq(evrow_get(row, MC_LOG), "mail")) {
		mc->skipped++;
		return LINE_SKIPPED;
	}
	if (row->ts_ms == INT64_MIN) {
		snprintf(row->reason, sizeof row->reason,
		    "event has no time");
		return LINE_REJECTED;
	}
	if (scratch_reserve(mc, row) != 0) {
		mc->oom = 1;
		snprintf(row->reason, sizeof row->reason, "out of memory");
		return LINE_REJECTED;
	}
	memset(&msg, 0, sizeof msg);
	msg.ts_ms = row->ts_ms;
	msg.mail_from = slice_trim(mc_raw(mc, evrow_get(row, MC_MAIL_FROM)));
	msg.hdr_from = slice_trim(mc_raw(mc, evrow_get(row, MC_HDR_FROM)));
	msg.name = mc_raw(mc, evrow_get(row, MC_HDR_FROM_NAME));
	msg.src = mc_raw(mc, evrow_get(row, MC_SRC_IP));
	msg.rcpt = mc_raw(mc, evrow_get(row, MC_RCPT));
	msg.origin = mc_raw(mc, evrow_get(row, MC_ORIGIN));
	msg.denied = slice_eq(evrow_get(row, MC_ACTION), "deny");
	msg.attach = evrow_get(row, MC_ATTACH);
	msg.types = extra_get(extra, "attach_type");
	msg.reply_to = mc_raw(mc, extra_get(extra, "reply_to"));
	msg.sender = mc_raw(mc, extra_get(extra, "sender"));
	msg.from_more = extra_get(extra, "from_more");
	msg.reply_more = extra_get(extra, "reply_to_more");
	msg.spf = mc_raw(mc, extra_get(extra, "spf"));
	msg.dkim = mc_raw(mc, extra_get(extra, "dkim"));
	msg.dmarc = mc_raw(mc, extra_get(extra, "dmarc"));
	msg.members = extra_get(extra, "archive_member");
	msg.encrypted = extra_get(extra, "archive_encrypted");
	msg.unreadable = extra_get(extra, "archive_error");
	msg.attach_cut = extra_get(extra, "attach_cut").n > 0;
	msg.ambiguous = extra_is_ambiguous(extra);
	mc_sender_domain(mc, msg.hdr_from, msg.hdom, &msg.hreg);
	if (!slice_eq(msg.mail_from, "<>"))
		mc_sender_domain(mc, msg.mail_from, msg.mdom, &msg.mreg);
	else
		msg.mreg = slice_make(msg.mdom, 0);
	/* Every rule still runs on the fields csm-parse could read. */
	mc_spoof(mc, &msg);
	mc_ambiguous(mc, &msg);
	mc_attach(mc, &msg);
	mc->messages++;
	return LINE_USED;
}
