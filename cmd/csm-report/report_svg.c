/*
 * report_svg.c: the pictures of the HTML report, drawn as inline SVG so
 * that the page needs nothing from the network: the timeline of findings
 * per local hour (stacked by severity; per day when the evidence spans
 * more than two weeks), the weekday by hour-of-day heat map of off-hours
 * activity, and the small per-day bars of the trend table. Every text
 * that could come from a log goes through htmlesc; the rest is numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "htmlesc.h"
#include "report.h"

#define PUT(ob, lit) outbuf_put((ob), (lit), sizeof(lit) - 1)

static void
putf_num(struct outbuf *ob, long long v)
{
	char b[32];
	int n = snprintf(b, sizeof b, "%lld", v);

	if (n > 0)
		outbuf_put(ob, b, (size_t)n);
}

/* Local hour number (hours since 1970-01-01 00:00 local) of ms. */
static int64_t
local_hour(const struct report *r, int64_t ms, struct config_local *lt)
{
	model_local(r, ms, lt);
	return lt->days * 24 + lt->minute / 60;
}

/* A <text> element. */
static void
svg_text(struct outbuf *ob, long x, long y, const char *anchor,
    const char *s)
{
	PUT(ob, "<text x=\"");
	putf_num(ob, x);
	PUT(ob, "\" y=\"");
	putf_num(ob, y);
	PUT(ob, "\" text-anchor=\"");
	outbuf_put(ob, anchor, strlen(anchor));
	PUT(ob, "\">");
	htmlesc_puts(ob, s);
	PUT(ob, "</text>");
}

static void
svg_rect(struct outbuf *ob, long x, long y, long w, long h, const char *cls)
{
	PUT(ob, "<rect x=\"");
	putf_num(ob, x);
	PUT(ob, "\" y=\"");
	putf_num(ob, y);
	PUT(ob, "\" width=\"");
	putf_num(ob, w);
	PUT(ob, "\" height=\"");
	putf_num(ob, h);
	PUT(ob, "\" class=\"");
	outbuf_put(ob, cls, strlen(cls));
	PUT(ob, "\"/>");
}

void
svg_timeline(struct report *r, struct outbuf *ob)
{
	struct config_local lt;
	int64_t h0 = INT64_MAX, h1 = INT64_MIN, h;
	uint64_t (*bins)[5], maxv = 1;
	long nb, unit = 1, bw, plot = 140, left = 40, top = 10, i;
	size_t k;
	int s;
	char buf[160];

	for (k = 0; k < r->nshown; k++) {
		h = local_hour(r, r->shown[k]->ts, &lt);
		if (h < h0)
			h0 = h;
		if (h > h1)
			h1 = h;
	}
	if (r->nshown == 0)
		return;
	if (h1 - h0 + 1 > 24 * 14) {
		/* A long span: one bar per day, or per n days past 1000. */
		int64_t days = (h1 - h0) / 24 + 2;

		unit = 24 * (long)((days + 999) / 1000);
		h0 = (h0 >= 0 ? h0 / 24 : (h0 - 23) / 24) * 24;
	}
	nb = (long)((h1 - h0) / unit + 1);
	if ((bins = calloc((size_t)nb, sizeof *bins)) == NULL) {
		r->oom = 1;
		return;
	}
	for (k = 0; k < r->nshown; k++) {
		h = local_hour(r, r->shown[k]->ts, &lt);
		bins[(h - h0) / unit][r->shown[k]->sev]++;
	}
	for (i = 0; i < nb; i++) {
		uint64_t t = 0;

		for (s = 0; s < 5; s++)
			t += bins[i][s];
		if (t > maxv)
			maxv = t;
	}
	bw = 900 / nb;
	if (bw > 36)
		bw = 36;
	if (bw < 2)
		bw = 2;
	PUT(ob, "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 ");
	putf_num(ob, left + nb * bw + 10);
	PUT(ob, " ");
	putf_num(ob, top + plot + 30);
	PUT(ob, "\" width=\"");
	putf_num(ob, left + nb * bw + 10);
	PUT(ob, "\"><title>");
	htmlesc_puts(ob, i18n(r->lang, M_TIMELINE));
	PUT(ob, "</title>");
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)maxv);
	svg_text(ob, left - 4, top + 8, "end", buf);
	svg_text(ob, left - 4, top + plot, "end", "0");
	PUT(ob, "<line x1=\"");
	putf_num(ob, left);
	PUT(ob, "\" y1=\"");
	putf_num(ob, top + plot);
	PUT(ob, "\" x2=\"");
	putf_num(ob, left + nb * bw);
	PUT(ob, "\" y2=\"");
	putf_num(ob, top + plot);
	PUT(ob, "\" class=\"axis\"/>");
	for (i = 0; i < nb; i++) {
		uint64_t t = 0;
		long y = top + plot, x = left + i * bw;
		struct time_parts tp;
		int64_t hour = h0 + i * unit;

		time_split(hour * 3600, &tp);
		for (s = 0; s < 5; s++)
			t += bins[i][s];
		if (unit == 1 ? tp.minute == 0 || i == 0 :
		    bw >= 30 || tp.day == 1 || i == 0) {
			snprintf(buf, sizeof buf, "%02d-%02d", tp.month,
			    tp.day);
			svg_text(ob, x, top + plot + 14, "start", buf);
		} else if (unit == 1 && tp.minute % 360 == 0 && bw * 6 >= 30) {
			snprintf(buf, sizeof buf, "%02d", tp.minute / 60);
			svg_text(ob, x, top + plot + 14, "start", buf);
		}
		if (t == 0)
			continue;
		PUT(ob, "<g><title>");
		if (unit > 24)
			snprintf(buf, sizeof buf, "%04d-%02d-%02d +%ldd: ",
			    tp.year, tp.month, tp.day, unit / 24);
		else if (unit == 24)
			snprintf(buf, sizeof buf, "%04d-%02d-%02d: ", tp.year,
			    tp.month, tp.day);
		else
			snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:00: ",
			    tp.year, tp.month, tp.day, tp.minute / 60);
		htmlesc_puts(ob, buf);
		if (r->lang == LANG_JA)
			snprintf(buf, sizeof buf, "%llu 件",
			    (unsigned long long)t);
		else
			snprintf(buf, sizeof buf, "%llu finding%s",
			    (unsigned long long)t, t == 1 ? "" : "s");
		htmlesc_puts(ob, buf);
		PUT(ob, "</title>");
		for (s = 4; s >= 0; s--) {
			long bh = (long)((double)bins[i][s] * (double)plot /
			    (double)maxv + 0.5);
			char cls[4] = { 's', (char)('0' + s), 0, 0 };

			if (bins[i][s] == 0)
				continue;
			if (bh < 1)
				bh = 1;
			y -= bh;
			svg_rect(ob, x, y, bw > 3 ? bw - 1 : bw, bh, cls);
		}
		PUT(ob, "</g>");
	}
	PUT(ob, "</svg>\n");
	free(bins);
}

/* Whether f is an off-hours finding (csm-offhours, or its clause). */
static int
is_offhours(const struct rfind *f)
{
	return slice_eq(f->f[FD_CHECK], "offhours") ||
	    slice_eq(i18n_item(f->f[FD_CLAUSE]), "proxy-5");
}

void
svg_heatmap(struct report *r, struct outbuf *ob)
{
	static const int order[7] = { 1, 2, 3, 4, 5, 6, 0 };	/* Mon first */
	uint64_t ev[7][24], nf[7][24], maxv = 0;
	struct config_local lt;
	char buf[200];
	size_t k;
	int d, hr, any = 0;
	const long cw = 26, ch = 20, left = 36, top = 16;

	memset(ev, 0, sizeof ev);
	memset(nf, 0, sizeof nf);
	for (k = 0; k < r->nshown; k++) {
		const struct rfind *f = r->shown[k];

		if (!is_offhours(f))
			continue;
		model_local(r, f->ts, &lt);
		ev[lt.wday][lt.minute / 60] += f->count ? f->count : 1;
		nf[lt.wday][lt.minute / 60]++;
		any = 1;
	}
	if (!any) {
		PUT(ob, "<p class=\"none\">");
		htmlesc_puts(ob, i18n(r->lang, M_HEAT_NONE));
		PUT(ob, "</p>\n");
		return;
	}
	for (d = 0; d < 7; d++)
		for (hr = 0; hr < 24; hr++)
			if (ev[d][hr] > maxv)
				maxv = ev[d][hr];
	PUT(ob, "<svg class=\"heat\" role=\"img\" viewBox=\"0 0 ");
	putf_num(ob, left + 24 * cw + 4);
	PUT(ob, " ");
	putf_num(ob, top + 7 * ch + 4);
	PUT(ob, "\" width=\"");
	putf_num(ob, left + 24 * cw + 4);
	PUT(ob, "\"><title>");
	htmlesc_puts(ob, i18n(r->lang, M_HEATMAP));
	PUT(ob, "</title>");
	for (hr = 0; hr < 24; hr += 3) {
		snprintf(buf, sizeof buf, "%02d", hr);
		svg_text(ob, left + hr * cw + cw / 2, top - 4, "middle", buf);
	}
	for (d = 0; d < 7; d++) {
		int wd = order[d];

		svg_text(ob, left - 6, top + d * ch + ch - 6, "end",
		    i18n_wday(r->lang, wd));
		for (hr = 0; hr < 24; hr++) {
			uint64_t v = ev[wd][hr];

			PUT(ob, "<rect x=\"");
			putf_num(ob, left + hr * cw);
			PUT(ob, "\" y=\"");
			putf_num(ob, top + d * ch);
			PUT(ob, "\" width=\"");
			putf_num(ob, cw - 2);
			PUT(ob, "\" height=\"");
			putf_num(ob, ch - 2);
			if (v == 0) {
				PUT(ob, "\" class=\"h0\"/>");
				continue;
			}
			/* Opacity by tenths: the same page everywhere. */
			snprintf(buf, sizeof buf, "\" class=\"h1\" "
			    "fill-opacity=\"%.1f\"><title>",
			    0.2 + 0.8 * (double)v / (double)maxv);
			outbuf_put(ob, buf, strlen(buf));
			if (r->lang == LANG_JA)
				snprintf(buf, sizeof buf, "%s曜 %02d時台: "
				    "%llu イベント (%llu 件)",
				    i18n_wday(r->lang, wd), hr,
				    (unsigned long long)v,
				    (unsigned long long)nf[wd][hr]);
			else
				snprintf(buf, sizeof buf, "%s %02d:00-%02d:59: "
				    "%llu event%s in %llu finding%s",
				    i18n_wday(r->lang, wd), hr, hr,
				    (unsigned long long)v, v == 1 ? "" : "s",
				    (unsigned long long)nf[wd][hr],
				    nf[wd][hr] == 1 ? "" : "s");
			htmlesc_puts(ob, buf);
			PUT(ob, "</title></rect>");
		}
	}
	PUT(ob, "</svg>\n");
}

void
svg_spark(struct outbuf *ob, const long *v, int n, long today)
{
	long maxv = today > 0 ? today : 1;
	const long bw = 8, hgt = 20;
	int i;

	for (i = 0; i < n; i++)
		if (v[i] > maxv)
			maxv = v[i];
	PUT(ob, "<svg class=\"spark\" viewBox=\"0 0 ");
	putf_num(ob, (n + 1) * bw);
	PUT(ob, " ");
	putf_num(ob, hgt);
	PUT(ob, "\" width=\"");
	putf_num(ob, (n + 1) * bw);
	PUT(ob, "\" height=\"");
	putf_num(ob, hgt);
	PUT(ob, "\" aria-hidden=\"true\">");
	for (i = 0; i <= n; i++) {
		long x = i * bw, val = i < n ? v[i] : today, bh;

		if (val < 0) {
			svg_rect(ob, x, hgt - 1, bw - 2, 1, "gap");
			continue;
		}
		bh = val == 0 ? 1 : (val * (hgt - 1) + maxv - 1) / maxv;
		svg_rect(ob, x, hgt - bh, bw - 2, bh, i < n ? "past" :
		    "today");
	}
	PUT(ob, "</svg>");
}
