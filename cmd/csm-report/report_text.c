/*
 * report_text.c: csm-report's default output, for mail and terminals: a
 * header, the summary table (findings per check and guideline item by
 * severity), the trend when --history is given, then one section per
 * check (or host), most severe first, each finding on two lines, then
 * the allowlisted findings with their reasons. Every line fits 80
 * columns, counting East Asian wide characters as two (textcol.c); text
 * from the findings is their escaped form, so no control byte reaches a
 * terminal.
 */
#include <stdio.h>
#include <string.h>
#include "esc.h"
#include "report.h"

#define WIDTH 80

/*
 * A piece of a finding is cut to FIT_BYTES before it is fitted to its
 * columns: zero-width characters (combining marks) take bytes but no
 * columns, and a piece padded with them must not overflow the line.
 */
#define FIT_BYTES 512

struct line {
	char b[16384];	/* a line's pieces, each at most 3 * FIT_BYTES */
	size_t n, cols;
};

static void
ln_put(struct line *l, struct slice s)
{
	if (3 * s.n > sizeof l->b - l->n)
		return;		/* cannot happen: every piece is fitted */
	l->n += textcol_put(l->b + l->n, s);
	l->cols += textcol_width(s);
}

static void
ln_puts(struct line *l, const char *s)
{
	ln_put(l, slice_cstr(s));
}

static void
ln_pad(struct line *l, size_t col)
{
	while (l->cols < col && l->n < sizeof l->b) {
		l->b[l->n++] = ' ';
		l->cols++;
	}
}

/*
 * Puts s in at most cols columns, cut with "..." (at the end, or at the
 * start when tail is set: the end of a host name or path matters most).
 */
static void
ln_fit(struct line *l, struct slice s, size_t cols, int tail)
{
	size_t w, k;
	int cut = s.n > FIT_BYTES;

	if (cut && tail) {
		k = s.n - FIT_BYTES;
		while (k < s.n && ((unsigned char)s.p[k] & 0xc0) == 0x80)
			k++;	/* start at a character */
		s = slice_from(s, k);
	} else if (cut) {
		k = FIT_BYTES;
		while (k > 0 && ((unsigned char)s.p[k] & 0xc0) == 0x80)
			k--;
		s.n = k;
	}
	if (!cut && textcol_width(s) <= cols) {
		ln_put(l, s);
		return;
	}
	if (cols < 4) {
		ln_put(l, slice_make("...", cols));
		return;
	}
	if (tail) {
		k = textcol_suffix(s, cols - 3, &w);
		ln_puts(l, "...");
		ln_put(l, slice_from(s, k));
	} else {
		k = textcol_prefix(s, cols - 3, &w);
		ln_put(l, slice_make(s.p, k));
		ln_puts(l, "...");
	}
}

/* Puts s right-aligned in a field of cols columns. */
static void
ln_right(struct line *l, const char *s, size_t cols)
{
	size_t w = textcol_width(slice_cstr(s));

	if (w < cols)
		ln_pad(l, l->cols + cols - w);
	ln_puts(l, s);
}

static void
ln_end(struct line *l, struct outbuf *ob)
{
	while (l->n > 0 && l->b[l->n - 1] == ' ')
		l->n--;
	outbuf_put(ob, l->b, l->n);
	outbuf_putc(ob, '\n');
	l->n = l->cols = 0;
}

static void
put_text(struct outbuf *ob, const char *s)
{
	outbuf_put(ob, s, strlen(s));
	outbuf_putc(ob, '\n');
}

/* "11-24 18:30", "11-24 18:30-18:35", or "11-24 23:50 +2d". */
static void
span(const struct report *r, const struct rfind *f, char *buf, size_t cap)
{
	struct config_local a, b;
	int n;

	model_local(r, f->ts, &a);
	model_local(r, f->ts_last, &b);
	n = snprintf(buf, cap, "%02d-%02d %02d:%02d", a.month, a.day,
	    a.minute / 60, a.minute % 60);
	if (n < 0 || (size_t)n >= cap)
		return;
	if (b.days != a.days)
		snprintf(buf + n, cap - (size_t)n, " +%lldd",
		    (long long)(b.days - a.days));
	else if (b.minute != a.minute)
		snprintf(buf + n, cap - (size_t)n, "-%02d:%02d",
		    b.minute / 60, b.minute % 60);
}

/* Local date and time of ms, "2026-11-24 18:30". */
static void
stamp(const struct report *r, int64_t ms, char *buf, size_t cap)
{
	struct config_local lt;

	model_local(r, ms, &lt);
	snprintf(buf, cap, "%04d-%02d-%02d %02d:%02d", lt.year, lt.month,
	    lt.day, lt.minute / 60, lt.minute % 60);
}

/* The first line of a finding: severity, time, who -> where, counts. */
static void
finding_line1(struct report *r, struct line *l, const struct rfind *f,
    int by_host)
{
	char t[40], num[24], by[24];
	struct slice who = f->f[FD_SRC_IP], dst = f->f[FD_DST];
	char whobuf[600];
	size_t room, wroom, right, dw;

	ln_puts(l, "  ");
	ln_puts(l, i18n_sev(r->lang, f->sev, 1));
	ln_pad(l, 8);
	span(r, f, t, sizeof t);
	ln_puts(l, t);
	ln_pad(l, 27);
	if (by_host) {
		size_t n = 0, k = f->f[FD_CHECK].n < 300 ? f->f[FD_CHECK].n :
		    300;
		struct slice item = i18n_item(f->f[FD_CLAUSE]);

		memcpy(whobuf, f->f[FD_CHECK].p, k);
		n = k;
		if (item.n > 0 && item.n < 200) {
			whobuf[n++] = ' ';
			memcpy(whobuf + n, item.p, item.n);
			n += item.n;
		}
		who = slice_make(whobuf, n);
	} else if (f->f[FD_USER].n > 0) {
		size_t n = f->f[FD_USER].n < 300 ? f->f[FD_USER].n : 300;

		memcpy(whobuf, f->f[FD_USER].p, n);
		whobuf[n++] = '@';
		memcpy(whobuf + n, who.p, who.n < 290 ? who.n : 290);
		n += who.n < 290 ? who.n : 290;
		who = slice_make(whobuf, n);
	}
	if (who.n == 0)
		who = SLICE_LIT("-");
	if (dst.n == 0)
		dst = SLICE_LIT("-");
	snprintf(num, sizeof num, "%llu", (unsigned long long)f->count);
	finding_bytes(by, sizeof by, f->bytes);
	/*
	 * Who, " -> " and dst share what the numbers leave (15 columns
	 * unless they are huge); the destination gets up to half of it.
	 */
	right = strlen(num) + strlen(by) + 2;
	if (right < 15)
		right = 15;
	room = WIDTH - 27 - 4 - right;
	dw = textcol_width(dst);
	if (dw > room / 2)
		dw = room / 2;
	wroom = textcol_width(who);
	if (wroom > room - dw)
		wroom = room - dw;
	ln_fit(l, who, wroom, 1);
	ln_puts(l, " -> ");
	ln_fit(l, dst, WIDTH - l->cols - right, 1);
	ln_pad(l, l->cols + 1 > WIDTH - 9 - strlen(num) ? l->cols + 1 :
	    WIDTH - 9 - strlen(num));
	ln_puts(l, num);
	ln_pad(l, l->cols + 1 > WIDTH - strlen(by) ? l->cols + 1 :
	    WIDTH - strlen(by));
	ln_puts(l, by);
}

/* The second line: rule and reason (or a given text), and the origin. */
static void
finding_line2(struct report *r, struct line *l, const struct rfind *f,
    struct slice what, struct slice why, struct slice origin)
{
	size_t ow = 0;

	ln_puts(l, "    ");
	if (f->is_new && f->allow < 0) {
		ln_puts(l, i18n(r->lang, M_NEW));
		ln_puts(l, " ");
	}
	if (origin.n > 0) {
		ow = textcol_width(origin);
		if (ow > 30)
			ow = 30;
		ow += 3;	/* " [" and "]" */
	}
	if (what.n > 0) {
		/*
		 * The rule and its ": " leave the reason at least half of
		 * the room: a long rule must neither push the line past
		 * WIDTH nor leave no reason.
		 */
		size_t room = WIDTH > ow + l->cols + 2 ? WIDTH - ow - l->cols -
		    2 : 0, ww = textcol_width(what), yw = textcol_width(why);

		if (ww + yw > room && ww > room / 2)
			ww = yw < room / 2 ? room - yw : room / 2;
		ln_fit(l, what, ww, 0);
		ln_puts(l, ": ");
	}
	ln_fit(l, why, WIDTH > ow + l->cols ? WIDTH - ow - l->cols : 0, 0);
	if (origin.n > 0) {
		ln_puts(l, " [");
		ln_fit(l, origin, ow - 3, 1);
		ln_puts(l, "]");
	}
}

static void
summary(struct report *r, struct outbuf *ob)
{
	struct line l = { .n = 0 };
	size_t cw, iw, i, s, tw, nw;
	uint64_t tot[6] = { 0 }, all = 0;
	char num[24];

	cw = textcol_width(slice_cstr(i18n(r->lang, M_CHECK)));
	iw = textcol_width(slice_cstr(i18n(r->lang, M_ITEM)));
	for (i = 0; i < r->nrows; i++) {
		size_t w = textcol_width(r->rows[i].check);

		if (w > cw)
			cw = w;
		w = textcol_width(i18n_item(r->rows[i].clause));
		if (w > iw)
			iw = w;
	}
	if (cw > 14)
		cw = 14;
	if (iw > 10)
		iw = 10;
	/* Six count columns, as wide as the grand total needs (at least 5). */
	for (i = 0; i < r->nrows; i++)
		all += r->rows[i].total;
	nw = (size_t)snprintf(num, sizeof num, "%llu",
	    (unsigned long long)all) + 1;
	if (nw < 5)
		nw = 5;
	tw = WIDTH - 2 - cw - 1 - iw - 1 - 6 * nw;
	ln_puts(&l, "== ");
	ln_puts(&l, i18n(r->lang, M_SUMMARY));
	ln_puts(&l, " ==");
	ln_end(&l, ob);
	ln_puts(&l, "  ");
	ln_puts(&l, i18n(r->lang, M_CHECK));
	ln_pad(&l, 2 + cw + 1);
	ln_puts(&l, i18n(r->lang, M_ITEM));
	ln_pad(&l, 2 + cw + 1 + iw + 1);
	ln_fit(&l, slice_cstr(i18n(r->lang, M_TERM)), tw, 0);
	ln_pad(&l, WIDTH - 6 * nw);
	for (s = 5; s-- > 0;)
		ln_right(&l, i18n_sev(r->lang, s, 1), nw);
	ln_right(&l, r->lang == LANG_JA ? "計" : "all", nw);
	ln_end(&l, ob);
	for (i = 0; i < r->nrows; i++) {
		const struct srow *row = &r->rows[i];
		const char *term = i18n_clause(r->lang, row->clause);

		ln_puts(&l, "  ");
		ln_fit(&l, row->check, cw, 0);
		ln_pad(&l, 2 + cw + 1);
		ln_fit(&l, i18n_item(row->clause), iw, 0);
		ln_pad(&l, 2 + cw + 1 + iw + 1);
		if (term != NULL) {
			/* The wording without its "Firewall b) 1) " lead. */
			const char *p = strstr(term, ") ");

			p = p && strstr(p + 2, ") ") ? strstr(p + 2, ") ") + 2 :
			    term;
			ln_fit(&l, slice_cstr(p), tw, 0);
		}
		ln_pad(&l, WIDTH - 6 * nw);
		for (s = 5; s-- > 0;) {
			snprintf(num, sizeof num, "%llu",
			    (unsigned long long)row->sev[s]);
			ln_right(&l, num, nw);
			tot[s] += row->sev[s];
		}
		snprintf(num, sizeof num, "%llu",
		    (unsigned long long)row->total);
		ln_right(&l, num, nw);
		tot[5] += row->total;
		ln_end(&l, ob);
	}
	ln_puts(&l, "  ");
	ln_puts(&l, i18n(r->lang, M_TOTAL));
	ln_pad(&l, WIDTH - 6 * nw);
	for (s = 5; s-- > 0;) {
		snprintf(num, sizeof num, "%llu", (unsigned long long)tot[s]);
		ln_right(&l, num, nw);
	}
	snprintf(num, sizeof num, "%llu", (unsigned long long)tot[5]);
	ln_right(&l, num, nw);
	ln_end(&l, ob);
}

/* One row of the trend: the earlier days, today, NEW, and the name. */
static void
trend_row(struct report *r, struct outbuf *ob, const struct rgroup *g,
    int first, int today_col)
{
	struct line l = { .n = 0 };
	char num[24];
	int d;

	ln_puts(&l, "  ");
	for (d = first; d < r->hist.ndays; d++) {
		if (g->trend[d] < 0)
			ln_right(&l, "-", 4);
		else {
			snprintf(num, sizeof num, "%ld", g->trend[d]);
			ln_right(&l, num, 4);
		}
	}
	ln_puts(&l, " |");
	snprintf(num, sizeof num, "%zu", g->n);
	ln_right(&l, num, 4);
	ln_puts(&l, "  ");
	if (g->is_new)
		ln_puts(&l, i18n(r->lang, M_NEW));
	ln_pad(&l, (size_t)today_col + 4 + 2 + 4 + 1);
	ln_fit(&l, g->key, WIDTH - l.cols, 0);
	ln_end(&l, ob);
}

static void
trend(struct report *r, struct outbuf *ob)
{
	struct line l = { .n = 0 };
	struct time_parts tp;
	char num[24];
	size_t i, shown = 0;
	int d, first;

	outbuf_putc(ob, '\n');
	ln_puts(&l, "== ");
	ln_puts(&l, i18n(r->lang, M_TREND));
	ln_puts(&l, " ==");
	ln_end(&l, ob);
	if (!r->hist.any) {
		put_text(ob, i18n(r->lang, M_NO_HISTORY));
		return;
	}
	put_text(ob, i18n(r->lang, M_TREND_NOTE));
	/* The last seven earlier days fit 80 columns; HTML has them all. */
	first = r->hist.ndays > 7 ? r->hist.ndays - 7 : 0;
	ln_puts(&l, "  ");
	for (d = first; d < r->hist.ndays; d++) {
		time_split((r->day - r->hist.ndays + d) * 86400, &tp);
		snprintf(num, sizeof num, "%d", tp.day);
		ln_right(&l, num, 4);
	}
	ln_puts(&l, " |");
	time_split(r->day * 86400, &tp);
	snprintf(num, sizeof num, "%d", tp.day);
	ln_right(&l, num, 4);
	ln_pad(&l, 2 + 4 * (size_t)(r->hist.ndays - first) + 2 + 4 + 2 + 4 +
	    1);
	ln_puts(&l, i18n(r->lang, M_CHECK));
	ln_end(&l, ob);
	for (i = 0; i < r->nchecks; i++)
		trend_row(r, ob, &r->checks[i], first, 2 + 4 * (r->hist.ndays -
		    first) + 2);
	if (r->nhosts == 0)
		return;
	ln_puts(&l, i18n(r->lang, M_HOSTS));
	ln_puts(&l, ":");
	ln_end(&l, ob);
	for (i = 0; i < r->nhosts; i++) {
		if (r->top > 0 && shown == r->top)
			break;
		trend_row(r, ob, &r->hosts[i], first, 2 + 4 * (r->hist.ndays -
		    first) + 2);
		shown++;
	}
	if (shown < r->nhosts) {
		char more[80];

		if (r->lang == LANG_JA)
			snprintf(more, sizeof more,
			    "  ...ほか %zu ホストは省略", r->nhosts - shown);
		else
			snprintf(more, sizeof more, "  ... and %zu more hosts",
			    r->nhosts - shown);
		put_text(ob, more);
	}
}

/* "8 findings (high 4, medium 3, info 1)" */
static void
counts(struct report *r, struct line *l, size_t n, const uint64_t *sev)
{
	char num[48];
	int s, first = 1;

	snprintf(num, sizeof num, r->lang == LANG_JA ? "%zu 件 (" :
	    "%zu findings (", n);
	if (r->lang != LANG_JA && n == 1)
		snprintf(num, sizeof num, "1 finding (");
	ln_puts(l, num);
	for (s = 5; s-- > 0;) {
		if (sev[s] == 0)
			continue;
		if (!first)
			ln_puts(l, ", ");
		first = 0;
		ln_puts(l, i18n_sev(r->lang, s, 0));
		snprintf(num, sizeof num, " %llu", (unsigned long long)sev[s]);
		ln_puts(l, num);
	}
	ln_puts(l, ")");
}

static void
section(struct report *r, struct outbuf *ob, const struct rgroup *g)
{
	struct line l = { .n = 0 };
	char num[64];
	size_t i, j;
	int s, first = 1;

	outbuf_putc(ob, '\n');
	ln_puts(&l, "== ");
	ln_fit(&l, g->key, 40, 0);
	ln_puts(&l, ": ");
	counts(r, &l, g->n, g->sev);
	if (r->use_history && r->hist.any && g->is_new) {
		ln_puts(&l, " ");
		ln_puts(&l, i18n(r->lang, M_NEW));
	}
	ln_puts(&l, " ==");
	ln_end(&l, ob);
	for (j = 0; !r->by_host && j < g->nclause; j++) {
		const char *term = i18n_clause(r->lang, g->clause[j]);

		ln_puts(&l, "  ");
		ln_fit(&l, g->clause[j], 18, 0);
		ln_pad(&l, 18);
		if (term != NULL)
			ln_fit(&l, slice_cstr(term), WIDTH - 18, 0);
		ln_end(&l, ob);
	}
	for (s = 0; s < I18N_NSTAGES; s++) {
		if (g->stage[s] == 0)
			continue;
		if (first) {
			ln_puts(&l, "  ");
			ln_puts(&l, i18n(r->lang, M_STAGES));
			ln_puts(&l, ": ");
		} else {
			ln_puts(&l, ", ");
		}
		first = 0;
		ln_puts(&l, i18n_stage(r->lang, s));
		snprintf(num, sizeof num, " %llu",
		    (unsigned long long)g->stage[s]);
		ln_puts(&l, num);
	}
	if (!first)
		ln_end(&l, ob);
	for (i = 0; i < g->n; i++) {
		const struct rfind *f = g->v[i];

		if (r->top > 0 && i == r->top) {
			if (r->lang == LANG_JA)
				snprintf(num, sizeof num,
				    "  ...ほか %zu 件は省略", g->n - i);
			else
				snprintf(num, sizeof num, "  ... and %zu more",
				    g->n - i);
			put_text(ob, num);
			break;
		}
		finding_line1(r, &l, f, r->by_host);
		ln_end(&l, ob);
		finding_line2(r, &l, f, f->f[FD_RULE], f->f[FD_REASON],
		    f->f[FD_ORIGIN]);
		ln_end(&l, ob);
	}
}

/* The allowlisted findings, under the allow rule that took them. */
static void
suppressed(struct report *r, struct outbuf *ob)
{
	struct line l = { .n = 0 };
	char buf[600], q[520];
	size_t i;
	int prev = -1;

	outbuf_putc(ob, '\n');
	ln_puts(&l, "== ");
	ln_puts(&l, i18n(r->lang, M_SUPPRESSED));
	snprintf(buf, sizeof buf, ": %zu ==", r->nsupp);
	ln_puts(&l, buf);
	ln_end(&l, ob);
	for (i = 0; i < r->nsupp; i++) {
		const struct rfind *f = r->supp[i];
		const struct allow_rule *ar = &r->allow.r[f->allow];

		if (f->allow != prev) {
			prev = f->allow;
			q[esc_tsv(q, slice_make(ar->file, strlen(ar->file) <
			    120 ? strlen(ar->file) : 120), ESC_TSV)] = '\0';
			snprintf(buf, sizeof buf, "%s:%llu: ", q,
			    (unsigned long long)ar->line);
			ln_puts(&l, buf);
			ln_fit(&l, slice_cstr(ar->reason), WIDTH - l.cols, 0);
			ln_end(&l, ob);
		}
		finding_line1(r, &l, f, 0);
		ln_end(&l, ob);
		finding_line2(r, &l, f, f->f[FD_RULE], f->f[FD_REASON],
		    f->f[FD_ORIGIN]);
		ln_end(&l, ob);
	}
}

static void
header(struct report *r, struct outbuf *ob)
{
	struct line l = { .n = 0 };
	const char *site = config_site_name(r->cfg);
	char buf[600], a[40], b[40];

	ln_puts(&l, i18n(r->lang, M_TITLE));
	if (site[0] != '\0') {
		size_t n = strlen(site) < 120 ? strlen(site) : 120;

		ln_puts(&l, ": ");
		ln_fit(&l, slice_make(buf, esc_tsv(buf, slice_make(site, n),
		    ESC_TSV)), WIDTH - l.cols, 0);
	}
	ln_end(&l, ob);
	ln_puts(&l, i18n(r->lang, M_REPORT_DATE));
	ln_puts(&l, " ");
	ln_puts(&l, r->have_day ? r->date : "-");
	ln_puts(&l, " (");
	ln_fit(&l, slice_cstr(config_timezone(r->cfg)), 40, 0);
	ln_puts(&l, ")");
	ln_end(&l, ob);
	if (r->nshown > 0) {
		stamp(r, r->first_ts, a, sizeof a);
		stamp(r, r->last_ts, b, sizeof b);
		snprintf(buf, sizeof buf, "%s %s - %s", i18n(r->lang,
		    M_PERIOD), a, b);
		put_text(ob, buf);
		if (r->lang == LANG_JA)
			snprintf(buf, sizeof buf, "検知 %zu 件 (%zu 種類の"
			    "チェック)", r->nshown, r->ntoday_checks);
		else
			snprintf(buf, sizeof buf, "%zu finding%s from %zu "
			    "check%s", r->nshown, r->nshown == 1 ? "" : "s",
			    r->ntoday_checks, r->ntoday_checks == 1 ? "" :
			    "s");
		put_text(ob, buf);
	}
}

/* The closing notes: what is not shown, and why. */
static void
notes(struct report *r, struct outbuf *ob)
{
	char buf[300];
	int ja = r->lang == LANG_JA, any = 0;

	if (r->below > 0) {
		outbuf_putc(ob, '\n');
		any = 1;
		if (ja)
			snprintf(buf, sizeof buf, "重要度が「%s」未満の %llu "
			    "件は表示していません。",
			    i18n_sev(r->lang, r->min_sev, 0),
			    (unsigned long long)r->below);
		else
			snprintf(buf, sizeof buf, "%llu finding%s below %s not "
			    "shown.", (unsigned long long)r->below,
			    r->below == 1 ? "" : "s", finding_severities[
			    r->min_sev]);
		put_text(ob, buf);
	}
	if (r->dups > 0) {
		if (!any++)
			outbuf_putc(ob, '\n');
		if (ja)
			snprintf(buf, sizeof buf,
			    "重複した %llu 件を統合しました。",
			    (unsigned long long)r->dups);
		else
			snprintf(buf, sizeof buf, "%llu duplicate finding%s "
			    "merged.", (unsigned long long)r->dups,
			    r->dups == 1 ? "" : "s");
		put_text(ob, buf);
	}
	if (r->rejected > 0) {
		if (!any++)
			outbuf_putc(ob, '\n');
		if (ja)
			snprintf(buf, sizeof buf, "入力の %llu 行を不正として"
			    "除外しました (標準エラー出力を参照)。",
			    (unsigned long long)r->rejected);
		else
			snprintf(buf, sizeof buf, "%llu input line%s rejected "
			    "(see standard error).",
			    (unsigned long long)r->rejected,
			    r->rejected == 1 ? "" : "s");
		put_text(ob, buf);
	}
}

int
report_text(struct report *r, struct outbuf *ob)
{
	size_t i;

	header(r, ob);
	outbuf_putc(ob, '\n');
	if (r->nshown == 0) {
		put_text(ob, i18n(r->lang, M_NONE));
	} else {
		summary(r, ob);
		outbuf_putc(ob, '\n');
		put_text(ob, i18n(r->lang, M_LEGEND1));
		put_text(ob, i18n(r->lang, M_LEGEND2));
	}
	if (r->use_history)
		trend(r, ob);
	for (i = 0; i < r->ngroups; i++)
		section(r, ob, &r->groups[i]);
	if (r->nsupp > 0)
		suppressed(r, ob);
	notes(r, ob);
	notes_text(r, ob);
	return 0;
}
