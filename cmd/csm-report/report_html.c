/*
 * report_html.c: csm-report --html, one self-contained page that works
 * offline and as a mail attachment: inline CSS, inline SVG pictures
 * (report_svg.c), and a few lines of inline script that sort a table when
 * its heading is clicked; a Content-Security-Policy forbids every fetch.
 * The page holds a summary, the timeline, the off-hours heat map, the
 * trend (--history), one table per check or host, the allowlisted
 * findings with their reasons, and the evidence origins. Every string
 * that comes from a log, the configuration or the allowlist is written
 * through htmlesc, in text and in attributes alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "htmlesc.h"
#include "num.h"
#include "report.h"

#define PUT(ob, lit) outbuf_put((ob), (lit), sizeof(lit) - 1)

static const char css[] =
":root{--s4:#6a1b9a;--s3:#c62828;--s2:#e65100;--s1:#b28704;--s0:#607d8b}\n"
"body{font:14px/1.5 system-ui,-apple-system,\"Segoe UI\",\"Hiragino Sans\","
"\"Noto Sans CJK JP\",Meiryo,sans-serif;color:#1f2328;margin:0 auto;"
"max-width:1280px;padding:1em 2em}\n"
"h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;border-bottom:2px "
"solid #d0d7de;padding-bottom:.2em;margin-top:1.6em}h3{font-size:1.08em;"
"margin:1.2em 0 .3em}h3 small{font-weight:normal;color:#57606a}\n"
".meta{color:#57606a;margin:.2em 0}\n"
".cards{display:flex;flex-wrap:wrap;gap:.6em;margin:.8em 0}.card{border:"
"1px solid #d0d7de;border-radius:6px;padding:.4em .9em;min-width:5.5em}"
".card b{display:block;font-size:1.6em}\n"
"table{border-collapse:collapse;width:100%;margin:.4em 0}th,td{border-"
"bottom:1px solid #d8dee4;padding:.25em .5em;text-align:left;vertical-"
"align:top}th{background:#f6f8fa;white-space:nowrap}table.sort th{cursor:"
"pointer}th[aria-sort=ascending]::after{content:\" \\25B2\"}"
"th[aria-sort=descending]::after{content:\" \\25BC\"}\n"
"td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:"
"nowrap}td.m,code{font-family:ui-monospace,Menlo,Consolas,monospace;"
"font-size:.92em;word-break:break-all}td.t{white-space:nowrap}\n"
".sev{display:inline-block;min-width:3.6em;text-align:center;border-"
"radius:3px;color:#fff;font-size:.85em;padding:0 .3em}"
".sev.s4{background:var(--s4)}.sev.s3{background:var(--s3)}.sev.s2{"
"background:var(--s2)}.sev.s1{background:var(--s1)}.sev.s0{background:"
"var(--s0)}\n"
".new{display:inline-block;background:#0969da;color:#fff;border-radius:"
"3px;font-size:.75em;padding:0 .35em;margin-left:.4em}\n"
"svg text{font-size:10px;fill:#57606a}svg .axis{stroke:#8c959f}"
"rect.s4{fill:var(--s4)}rect.s3{fill:var(--s3)}rect.s2{fill:var(--s2)}"
"rect.s1{fill:var(--s1)}rect.s0{fill:var(--s0)}rect.h0{fill:#eef1f4}"
"rect.h1{fill:#c62828}rect.past{fill:#8c959f}rect.today{fill:#0969da}"
"rect.gap{fill:#d0d7de}\n"
"svg.chart,svg.heat{max-width:100%;height:auto}.none,.more{color:#57606a}"
"pre.notes{white-space:pre-wrap;word-break:break-all;font-size:.92em}"
"\n@media print{table.sort th{cursor:auto}body{max-width:none}}\n";

/* Sorts a table by the clicked column: data-v numbers, else the text. */
static const char script[] =
"document.querySelectorAll('table.sort').forEach(function(t){"
"t.querySelectorAll('th').forEach(function(th,i){"
"th.addEventListener('click',function(){"
"var b=t.tBodies[0],d=th.getAttribute('aria-sort')==='ascending'?-1:1;"
"t.querySelectorAll('th').forEach(function(h){"
"h.removeAttribute('aria-sort')});"
"th.setAttribute('aria-sort',d>0?'ascending':'descending');"
"Array.prototype.slice.call(b.rows).sort(function(x,y){"
"var p=x.cells[i],q=y.cells[i],u=p.getAttribute('data-v'),"
"v=q.getAttribute('data-v');"
"return d*(u===null||v===null?"
"p.textContent.localeCompare(q.textContent):u-v)"
"}).forEach(function(r){b.appendChild(r)})})})});\n";

static void
put_num(struct outbuf *ob, uint64_t v)
{
	char b[24];

	outbuf_put(ob, b, num_format_u64(b, v));
}

static void
put_msg(struct outbuf *ob, const struct report *r, enum msg m)
{
	htmlesc_puts(ob, i18n(r->lang, m));
}

/* The <th> cells of a heading row. */
static void
heads(struct outbuf *ob, const struct report *r, const enum msg *m,
    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		PUT(ob, "<th>");
		put_msg(ob, r, m[i]);
		PUT(ob, "</th>");
	}
}

static void
sev_badge(struct outbuf *ob, const struct report *r, int sev)
{
	char b[64];

	snprintf(b, sizeof b, "<span class=\"sev s%d\">", sev);
	outbuf_put(ob, b, strlen(b));
	htmlesc_puts(ob, i18n_sev(r->lang, sev, 0));
	PUT(ob, "</span>");
}

/* A cell with the value as text and, for the hover, in a title. */
static void
cell_titled(struct outbuf *ob, const char *cls, struct slice s)
{
	PUT(ob, "<td class=\"");
	outbuf_put(ob, cls, strlen(cls));
	PUT(ob, "\" title=\"");
	htmlesc_put(ob, s);
	PUT(ob, "\">");
	htmlesc_put(ob, s);
	PUT(ob, "</td>");
}

/* "2026-11-24 10:00-10:05" in the site's zone. */
static void
put_span(struct outbuf *ob, const struct report *r, const struct rfind *f)
{
	struct config_local a, b;
	char buf[80];
	int n;

	model_local(r, f->ts, &a);
	model_local(r, f->ts_last, &b);
	n = snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", a.year,
	    a.month, a.day, a.minute / 60, a.minute % 60, a.second);
	if (n > 0 && (size_t)n < sizeof buf && f->ts_last / 1000 != f->ts /
	    1000) {
		if (b.days != a.days)
			snprintf(buf + n, sizeof buf - (size_t)n,
			    " - %04d-%02d-%02d %02d:%02d:%02d", b.year,
			    b.month, b.day, b.minute / 60, b.minute % 60,
			    b.second);
		else
			snprintf(buf + n, sizeof buf - (size_t)n,
			    " - %02d:%02d:%02d", b.minute / 60,
			    b.minute % 60, b.second);
	}
	htmlesc_puts(ob, buf);
}

static void
finding_row(struct outbuf *ob, const struct report *r, const struct rfind *f,
    int by_host, int supp)
{
	char b[96];
	int st = i18n_stage_index(f->f[FD_STAGE]);

	snprintf(b, sizeof b, "<tr><td data-v=\"%d\">", f->sev);
	outbuf_put(ob, b, strlen(b));
	sev_badge(ob, r, f->sev);
	snprintf(b, sizeof b, "</td><td class=\"t\" data-v=\"%lld\">",
	    (long long)f->ts);
	outbuf_put(ob, b, strlen(b));
	put_span(ob, r, f);
	PUT(ob, "</td>");
	if (by_host || supp) {
		PUT(ob, "<td>");
		htmlesc_put(ob, f->f[FD_CHECK]);
		PUT(ob, "</td>");
	}
	if (!by_host || supp) {
		PUT(ob, "<td class=\"m\">");
		htmlesc_put(ob, f->f[FD_SRC_IP]);
		if (f->is_new && !supp) {
			PUT(ob, "<span class=\"new\">");
			put_msg(ob, r, M_NEW);
			PUT(ob, "</span>");
		}
		PUT(ob, "</td>");
	}
	PUT(ob, "<td>");
	htmlesc_put(ob, f->f[FD_USER]);
	PUT(ob, "</td>");
	cell_titled(ob, "m", f->f[FD_DST]);
	PUT(ob, "<td class=\"n\" data-v=\"");
	put_num(ob, f->count);
	PUT(ob, "\">");
	put_num(ob, f->count);
	PUT(ob, "</td><td class=\"n\" data-v=\"");
	put_num(ob, f->bytes);
	PUT(ob, "\">");
	htmlesc_puts(ob, finding_bytes(b, sizeof b, f->bytes));
	PUT(ob, "</td><td>");
	htmlesc_put(ob, f->f[FD_RULE]);
	PUT(ob, "</td>");
	if (supp) {
		const struct allow_rule *ar = &r->allow.r[f->allow];

		PUT(ob, "<td>");
		htmlesc_puts(ob, ar->reason);
		PUT(ob, "</td><td class=\"m\">");
		htmlesc_puts(ob, ar->file);
		snprintf(b, sizeof b, ":%llu", (unsigned long long)ar->line);
		htmlesc_puts(ob, b);
		PUT(ob, "</td></tr>\n");
		return;
	}
	PUT(ob, "<td title=\"");
	htmlesc_put(ob, f->f[FD_CLAUSE]);
	PUT(ob, "\">");
	htmlesc_put(ob, i18n_item(f->f[FD_CLAUSE]));
	PUT(ob, "</td><td>");
	htmlesc_puts(ob, st >= 0 ? i18n_stage(r->lang, st) : "");
	PUT(ob, "</td>");
	cell_titled(ob, "r", f->f[FD_REASON]);
	PUT(ob, "<td class=\"m\">");
	htmlesc_put(ob, f->f[FD_ORIGIN]);
	PUT(ob, "</td></tr>\n");
}

static void
head(struct outbuf *ob, const struct report *r)
{
	const char *site = config_site_name(r->cfg);

	PUT(ob, "<!DOCTYPE html>\n<html lang=\"");
	outbuf_put(ob, r->lang == LANG_JA ? "ja" : "en", 2);
	PUT(ob, "\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'; "
	    "script-src 'unsafe-inline'\"/>\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\"/>\n<meta name=\"generator\" content=\""
	    "csm-report\"/>\n<title>");
	put_msg(ob, r, M_TITLE);
	if (site[0] != '\0') {
		PUT(ob, ": ");
		htmlesc_puts(ob, site);
	}
	if (r->have_day) {
		PUT(ob, " ");
		htmlesc_puts(ob, r->date);
	}
	PUT(ob, "</title>\n<style>\n");
	outbuf_put(ob, css, sizeof css - 1);
	PUT(ob, "</style>\n</head>\n<body>\n<header>\n<h1>");
	put_msg(ob, r, M_TITLE);
	if (site[0] != '\0') {
		PUT(ob, ": ");
		htmlesc_puts(ob, site);
	}
	PUT(ob, "</h1>\n<p class=\"meta\">");
	put_msg(ob, r, M_REPORT_DATE);
	PUT(ob, " ");
	htmlesc_puts(ob, r->have_day ? r->date : "-");
	PUT(ob, " (");
	htmlesc_puts(ob, config_timezone(r->cfg));
	PUT(ob, ")");
	if (r->nshown > 0) {
		struct config_local a, b;
		char buf[120];

		model_local(r, r->first_ts, &a);
		model_local(r, r->last_ts, &b);
		snprintf(buf, sizeof buf, " %04d-%02d-%02d %02d:%02d - "
		    "%04d-%02d-%02d %02d:%02d", a.year, a.month, a.day,
		    a.minute / 60, a.minute % 60, b.year, b.month, b.day,
		    b.minute / 60, b.minute % 60);
		PUT(ob, " &#183; ");
		put_msg(ob, r, M_PERIOD);
		htmlesc_puts(ob, buf);
	}
	PUT(ob, "</p>\n</header>\n");
}

static void
summary(struct outbuf *ob, const struct report *r)
{
	static const enum msg h[] = { M_CHECK, M_ITEM, M_TERM };
	uint64_t tot[5] = { 0 };
	size_t i;
	int s;

	for (i = 0; i < r->nrows; i++)
		for (s = 0; s < 5; s++)
			tot[s] += r->rows[i].sev[s];
	PUT(ob, "<section id=\"summary\">\n<h2>");
	put_msg(ob, r, M_SUMMARY);
	PUT(ob, "</h2>\n<div class=\"cards\"><div class=\"card\"><b id=\""
	    "total\" data-count=\"");
	put_num(ob, r->nshown);
	PUT(ob, "\">");
	put_num(ob, r->nshown);
	PUT(ob, "</b>");
	put_msg(ob, r, M_FINDINGS);
	PUT(ob, "</div>");
	for (s = 4; s >= 0; s--) {
		PUT(ob, "<div class=\"card\"><b>");
		put_num(ob, tot[s]);
		PUT(ob, "</b>");
		sev_badge(ob, r, s);
		PUT(ob, "</div>");
	}
	PUT(ob, "</div>\n");
	if (r->nrows == 0) {
		PUT(ob, "<p class=\"none\">");
		put_msg(ob, r, M_NONE);
		PUT(ob, "</p>\n</section>\n");
		return;
	}
	PUT(ob, "<table class=\"sort\"><thead><tr>");
	heads(ob, r, h, 3);
	for (s = 4; s >= 0; s--) {
		PUT(ob, "<th>");
		htmlesc_puts(ob, i18n_sev(r->lang, s, 0));
		PUT(ob, "</th>");
	}
	PUT(ob, "<th>");
	put_msg(ob, r, M_TOTAL);
	PUT(ob, "</th></tr></thead><tbody>\n");
	for (i = 0; i < r->nrows; i++) {
		const struct srow *row = &r->rows[i];
		const char *term = i18n_clause(r->lang, row->clause);

		PUT(ob, "<tr><td>");
		htmlesc_put(ob, row->check);
		PUT(ob, "</td><td title=\"");
		htmlesc_put(ob, row->clause);
		PUT(ob, "\">");
		htmlesc_put(ob, i18n_item(row->clause));
		PUT(ob, "</td><td>");
		htmlesc_puts(ob, term ? term : "");
		PUT(ob, "</td>");
		for (s = 4; s >= 0; s--) {
			PUT(ob, "<td class=\"n\" data-v=\"");
			put_num(ob, row->sev[s]);
			PUT(ob, "\">");
			put_num(ob, row->sev[s]);
			PUT(ob, "</td>");
		}
		PUT(ob, "<td class=\"n\" data-v=\"");
		put_num(ob, row->total);
		PUT(ob, "\">");
		put_num(ob, row->total);
		PUT(ob, "</td></tr>\n");
	}
	PUT(ob, "</tbody></table>\n<p class=\"more\">");
	put_msg(ob, r, M_SORT_HINT);
	PUT(ob, "</p>\n</section>\n");
}

/* "8 findings (high 4, medium 3, info 1)" */
static void
counts(struct outbuf *ob, const struct report *r, size_t n,
    const uint64_t *sev)
{
	char b[64];
	int s, first = 1;

	if (r->lang == LANG_JA)
		snprintf(b, sizeof b, "%zu 件 (", n);
	else
		snprintf(b, sizeof b, "%zu finding%s (", n, n == 1 ? "" : "s");
	htmlesc_puts(ob, b);
	for (s = 4; s >= 0; s--) {
		if (sev[s] == 0)
			continue;
		if (!first)
			PUT(ob, ", ");
		first = 0;
		htmlesc_puts(ob, i18n_sev(r->lang, s, 0));
		snprintf(b, sizeof b, " %llu", (unsigned long long)sev[s]);
		htmlesc_puts(ob, b);
	}
	PUT(ob, ")");
}

static void
group(struct outbuf *ob, const struct report *r, const struct rgroup *g)
{
	static const enum msg hc[] = {
		M_SEVERITY, M_TIME, M_SRC, M_USER, M_DST, M_COUNT, M_BYTES,
		M_RULE, M_CLAUSE, M_STAGE, M_REASON, M_ORIGIN
	};
	static const enum msg hh[] = {
		M_SEVERITY, M_TIME, M_CHECK, M_USER, M_DST, M_COUNT, M_BYTES,
		M_RULE, M_CLAUSE, M_STAGE, M_REASON, M_ORIGIN
	};
	size_t i, j;
	int s, first = 1;
	char b[96];

	PUT(ob, "<section class=\"group\">\n<h3><code>");
	htmlesc_put(ob, g->key);
	PUT(ob, "</code> <small>");
	counts(ob, r, g->n, g->sev);
	PUT(ob, "</small>");
	if (r->use_history && r->hist.any && g->is_new) {
		PUT(ob, "<span class=\"new\">");
		put_msg(ob, r, M_NEW);
		PUT(ob, "</span>");
	}
	PUT(ob, "</h3>\n");
	if (!r->by_host && g->nclause > 0) {
		PUT(ob, "<ul>");
		for (j = 0; j < g->nclause; j++) {
			const char *term = i18n_clause(r->lang, g->clause[j]);

			PUT(ob, "<li><code>");
			htmlesc_put(ob, g->clause[j]);
			PUT(ob, "</code> ");
			htmlesc_puts(ob, term ? term : "");
			PUT(ob, "</li>");
		}
		PUT(ob, "</ul>\n");
	}
	for (s = 0; s < I18N_NSTAGES; s++) {
		if (g->stage[s] == 0)
			continue;
		if (first) {
			PUT(ob, "<p>");
			put_msg(ob, r, M_STAGES);
			PUT(ob, ": ");
		} else {
			PUT(ob, ", ");
		}
		first = 0;
		htmlesc_puts(ob, i18n_stage(r->lang, s));
		snprintf(b, sizeof b, " %llu", (unsigned long long)g->stage[s]);
		htmlesc_puts(ob, b);
	}
	if (!first)
		PUT(ob, "</p>\n");
	PUT(ob, "<table class=\"sort\"><thead><tr>");
	heads(ob, r, r->by_host ? hh : hc, 12);
	PUT(ob, "</tr></thead><tbody>\n");
	for (i = 0; i < g->n && (r->top == 0 || i < r->top); i++)
		finding_row(ob, r, g->v[i], r->by_host, 0);
	PUT(ob, "</tbody></table>\n");
	if (i < g->n) {
		if (r->lang == LANG_JA)
			snprintf(b, sizeof b, "ほか %zu 件は省略", g->n - i);
		else
			snprintf(b, sizeof b, "... and %zu more", g->n - i);
		PUT(ob, "<p class=\"more\">");
		htmlesc_puts(ob, b);
		PUT(ob, "</p>\n");
	}
	PUT(ob, "</section>\n");
}

/* The trend's rows of groups g; --top limits hosts (limit 0: all). */
static void
trend_rows(struct outbuf *ob, const struct report *r,
    const struct rgroup *g, size_t n, size_t limit)
{
	size_t i;
	int d;

	for (i = 0; i < n && (limit == 0 || i < limit); i++) {
		PUT(ob, "<tr><td class=\"m\">");
		htmlesc_put(ob, g[i].key);
		if (g[i].is_new) {
			PUT(ob, "<span class=\"new\">");
			put_msg(ob, r, M_NEW);
			PUT(ob, "</span>");
		}
		PUT(ob, "</td>");
		for (d = 0; d < r->hist.ndays; d++) {
			PUT(ob, "<td class=\"n\">");
			if (g[i].trend[d] < 0)
				PUT(ob, "-");
			else
				put_num(ob, (uint64_t)g[i].trend[d]);
			PUT(ob, "</td>");
		}
		PUT(ob, "<td class=\"n\"><b>");
		put_num(ob, g[i].n);
		PUT(ob, "</b></td><td>");
		svg_spark(ob, g[i].trend, r->hist.ndays, (long)g[i].n);
		PUT(ob, "</td></tr>\n");
	}
}

static void
trend(struct outbuf *ob, const struct report *r)
{
	struct time_parts tp;
	char b[32];
	int d, k;

	PUT(ob, "<section id=\"trend\">\n<h2>");
	put_msg(ob, r, M_TREND);
	PUT(ob, "</h2>\n");
	if (!r->hist.any) {
		PUT(ob, "<p class=\"none\">");
		put_msg(ob, r, M_NO_HISTORY);
		PUT(ob, "</p>\n</section>\n");
		return;
	}
	PUT(ob, "<p class=\"more\">");
	put_msg(ob, r, M_TREND_NOTE);
	PUT(ob, "</p>\n");
	for (k = 0; k < (r->nhosts > 0 ? 2 : 1); k++) {
		PUT(ob, "<table><thead><tr><th>");
		put_msg(ob, r, k == 0 ? M_CHECK : M_HOST);
		PUT(ob, "</th>");
		for (d = 0; d <= r->hist.ndays; d++) {
			time_split((r->day - r->hist.ndays + d) * 86400, &tp);
			snprintf(b, sizeof b, "%02d-%02d", tp.month, tp.day);
			PUT(ob, "<th>");
			htmlesc_puts(ob, b);
			PUT(ob, "</th>");
		}
		PUT(ob, "<th></th></tr></thead><tbody>\n");
		if (k == 0)
			trend_rows(ob, r, r->checks, r->nchecks, 0);
		else
			trend_rows(ob, r, r->hosts, r->nhosts, r->top);
		PUT(ob, "</tbody></table>\n");
	}
	PUT(ob, "</section>\n");
}

static void
suppressed(struct outbuf *ob, const struct report *r)
{
	static const enum msg h[] = {
		M_SEVERITY, M_TIME, M_CHECK, M_SRC, M_USER, M_DST, M_COUNT,
		M_BYTES, M_RULE, M_ALLOWED, M_ALLOW_FILE
	};
	size_t i;

	PUT(ob, "<section id=\"suppressed\">\n<h2>");
	put_msg(ob, r, M_SUPPRESSED);
	PUT(ob, " (");
	put_num(ob, r->nsupp);
	PUT(ob, ")</h2>\n<table class=\"sort\"><thead><tr>");
	heads(ob, r, h, 11);
	PUT(ob, "</tr></thead><tbody>\n");
	for (i = 0; i < r->nsupp; i++)
		finding_row(ob, r, r->supp[i], 0, 1);
	PUT(ob, "</tbody></table>\n</section>\n");
}

/* The file of an origin: "logs/a.log" of "logs/a.log:12". */
static struct slice
origin_file(struct slice o, uint64_t *line)
{
	long i;

	*line = 0;
	for (i = (long)o.n - 1; i >= 0; i--)
		if (o.p[i] == ':')
			break;
	if (i > 0 && num_parse_u64(slice_from(o, (size_t)i + 1), UINT64_MAX,
	    line) == 0)
		return slice_make(o.p, (size_t)i);
	return o;
}

static int
qcmp_origin(const void *x, const void *y)
{
	const struct rfind *a = *(struct rfind *const *)x;
	const struct rfind *b = *(struct rfind *const *)y;
	uint64_t la, lb;
	struct slice fa = origin_file(a->f[FD_ORIGIN], &la);
	struct slice fb = origin_file(b->f[FD_ORIGIN], &lb);
	size_t n = fa.n < fb.n ? fa.n : fb.n;
	int c = n ? memcmp(fa.p, fb.p, n) : 0;

	if (c == 0 && fa.n != fb.n)
		c = fa.n < fb.n ? -1 : 1;
	if (c == 0 && la != lb)
		c = la < lb ? -1 : 1;
	return c;
}

static int
origins(struct outbuf *ob, const struct report *r)
{
	static const enum msg h[] = { M_FILE, M_FINDINGS, M_LINES };
	struct rfind **v;
	size_t i, j, k, n = r->nshown;

	if ((v = malloc((n + 1) * sizeof *v)) == NULL)
		return -1;
	if (n)
		memcpy(v, r->shown, n * sizeof *v);
	qsort(v, n, sizeof *v, qcmp_origin);
	PUT(ob, "<section id=\"origins\">\n<h2>");
	put_msg(ob, r, M_ORIGINS);
	PUT(ob, "</h2>\n<table class=\"sort\"><thead><tr>");
	heads(ob, r, h, 3);
	PUT(ob, "</tr></thead><tbody>\n");
	for (i = 0; i < n; i = j) {
		uint64_t line, l2;
		struct slice f = origin_file(v[i]->f[FD_ORIGIN], &line), f2;

		for (j = i + 1; j < n; j++) {
			f2 = origin_file(v[j]->f[FD_ORIGIN], &l2);
			if (f2.n != f.n || memcmp(f2.p, f.p, f.n) != 0)
				break;
		}
		PUT(ob, "<tr><td class=\"m\">");
		htmlesc_put(ob, f.n ? f : SLICE_LIT("-"));
		PUT(ob, "</td><td class=\"n\" data-v=\"");
		put_num(ob, j - i);
		PUT(ob, "\">");
		put_num(ob, j - i);
		PUT(ob, "</td><td class=\"m\">");
		for (k = i; k < j && k < i + 50; k++) {
			origin_file(v[k]->f[FD_ORIGIN], &line);
			if (line == 0)
				continue;
			if (k > i)
				PUT(ob, " ");
			put_num(ob, line);
		}
		if (j - i > 50)
			PUT(ob, " ...");
		PUT(ob, "</td></tr>\n");
	}
	PUT(ob, "</tbody></table>\n</section>\n");
	free(v);
	return 0;
}

/* The closing notes: what is not shown, and why. */
static void
footer(struct outbuf *ob, const struct report *r)
{
	char b[300];

	PUT(ob, "<footer>\n<p class=\"more\">csm-report");
	if (r->below > 0) {
		if (r->lang == LANG_JA)
			snprintf(b, sizeof b, " &#183; 重要度が「%s」未満の "
			    "%llu 件は非表示", i18n_sev(r->lang, r->min_sev, 0),
			    (unsigned long long)r->below);
		else
			snprintf(b, sizeof b, " &#183; %llu below %s not shown",
			    (unsigned long long)r->below,
			    finding_severities[r->min_sev]);
		outbuf_put(ob, b, strlen(b));
	}
	if (r->dups > 0) {
		snprintf(b, sizeof b, " &#183; %llu ",
		    (unsigned long long)r->dups);
		outbuf_put(ob, b, strlen(b));
		put_msg(ob, r, M_DUPS);
	}
	if (r->rejected > 0) {
		snprintf(b, sizeof b, " &#183; %llu ",
		    (unsigned long long)r->rejected);
		outbuf_put(ob, b, strlen(b));
		put_msg(ob, r, M_REJECTED);
	}
	PUT(ob, "</p>\n</footer>\n");
}

int
report_html(struct report *r, struct outbuf *ob)
{
	size_t i;

	head(ob, r);
	summary(ob, r);
	if (r->nshown > 0) {
		PUT(ob, "<section id=\"timeline\">\n<h2>");
		put_msg(ob, r, M_TIMELINE);
		PUT(ob, "</h2>\n");
		svg_timeline(r, ob);
		PUT(ob, "</section>\n<section id=\"heatmap\">\n<h2>");
		put_msg(ob, r, M_HEATMAP);
		PUT(ob, "</h2>\n");
		svg_heatmap(r, ob);
		PUT(ob, "</section>\n");
	}
	if (r->use_history)
		trend(ob, r);
	if (r->ngroups > 0) {
		PUT(ob, "<section id=\"findings\">\n<h2>");
		put_msg(ob, r, r->by_host ? M_BY_HOST : M_NCHECKS);
		PUT(ob, "</h2>\n");
		for (i = 0; i < r->ngroups; i++)
			group(ob, r, &r->groups[i]);
		PUT(ob, "</section>\n");
	}
	if (r->nsupp > 0)
		suppressed(ob, r);
	if (r->nshown > 0 && origins(ob, r) != 0)
		return -1;
	notes_html(r, ob);
	footer(ob, r);
	PUT(ob, "<script>\n");
	outbuf_put(ob, script, sizeof script - 1);
	PUT(ob, "</script>\n</body>\n</html>\n");
	return r->oom ? -1 : 0;
}
