/*
 * notes.c: csm-report --notes, what the stages before the report said (a
 * csm-daily run's csm-parse and checks: rejected lines, a log source
 * without files, a check not installed), read from files and shown at
 * the end of the text and HTML reports, so that what the report could
 * not see is written in it. The lines come from other programs that
 * quote logs: in the text report a control byte or a byte that is not
 * UTF-8 is shown as \xHH (a backslash stays as it is, since the programs
 * escaped log bytes already), and the HTML page escapes them as it does
 * every string. Long lines are wrapped to the text report's 80 columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "esc.h"
#include "htmlesc.h"
#include "input.h"
#include "report.h"

#define NOTE_MAX_BYTES 2000	/* longer lines are cut */
#define WIDTH 80
#define PUT(ob, lit) outbuf_put((ob), (lit), sizeof(lit) - 1)

int
notes_load(struct notes *nt, const char *path)
{
	struct input in;
	struct slice line;
	enum input_status st;
	char **v;
	int rc = 0;

	if (input_open(&in, path) != 0) {
		diag_msg("notes '%s': %s", path, in.errmsg);
		input_close(&in);
		return -1;
	}
	while ((st = input_next(&in, &line)) == INPUT_LINE ||
	    st == INPUT_LONG) {
		line = slice_trim(line);
		if (st == INPUT_LONG || line.n == 0)
			continue;
		if (nt->n == NOTES_MAX) {
			nt->more++;
			continue;
		}
		if (line.n > NOTE_MAX_BYTES)
			line.n = NOTE_MAX_BYTES;
		if ((v = realloc(nt->v, (nt->n + 1) * sizeof *v)) == NULL ||
		    (v[nt->n] = malloc(line.n + 1)) == NULL) {
			if (v != NULL)
				nt->v = v;
			diag_msg("notes '%s': out of memory", path);
			rc = -1;
			break;
		}
		nt->v = v;
		memcpy(v[nt->n], line.p, line.n);
		v[nt->n++][line.n] = '\0';
	}
	if (st == INPUT_ERROR) {
		diag_msg("notes '%s': %s", path, in.errmsg);
		rc = -1;
	}
	input_close(&in);
	return rc;
}

void
notes_release(struct notes *nt)
{
	size_t i;

	for (i = 0; i < nt->n; i++)
		free(nt->v[i]);
	free(nt->v);
	memset(nt, 0, sizeof *nt);
}

/*
 * Copies s to dst (room for 4 * s.n bytes) with every control byte and
 * every byte that is not valid UTF-8 as \xHH, and a bidirectional or
 * invisible character as \uXXXX (esc_show); returns the length.
 */
static size_t
clean(char *dst, struct slice s)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, n = 0, k;
	uint32_t cp;

	while (i < s.n) {
		k = utf8_seq(s.p + i, s.n - i, &cp);
		if (k > 0 && esc_is_invisible(cp)) {
			/* A character that would reorder or hide text. */
			n += esc_show(dst + n, cp);
			i += k;
			continue;
		}
		if (k > 0 && cp >= 0x20 && cp != 0x7f &&
		    (cp < 0x80 || cp >= 0xa0)) {
			memcpy(dst + n, s.p + i, k);
			n += k;
			i += k;
			continue;
		}
		dst[n++] = '\\';
		dst[n++] = 'x';
		dst[n++] = hex[(unsigned char)s.p[i] >> 4];
		dst[n++] = hex[(unsigned char)s.p[i] & 15];
		i++;
	}
	return n;
}

/* Writes s wrapped at WIDTH: indent 2, continued lines indent 4. */
static void
wrap(struct outbuf *ob, struct slice s)
{
	size_t indent = 2, k, j, n, w;

	while (s.n > 0) {
		outbuf_put(ob, "    ", indent);
		k = textcol_prefix(s, WIDTH - indent, &w);
		if (k == 0)
			k = s.n;	/* cannot happen: no character is that wide */
		if (k < s.n) {
			/* Break at the last space of the second half, if any. */
			for (j = k; j > k / 2 && s.p[j - 1] != ' '; j--)
				;
			if (j > k / 2)
				k = j;
		}
		for (n = k; n > 0 && s.p[n - 1] == ' '; n--)
			;
		outbuf_put(ob, s.p, n);
		outbuf_putc(ob, '\n');
		s = slice_from(s, k);
		while (s.n > 0 && s.p[0] == ' ')
			s = slice_from(s, 1);
		indent = 4;
	}
}

/* "... and N more lines" in the report's language, into buf. */
static const char *
more_text(const struct report *r, char *buf, size_t cap)
{
	if (r->lang == LANG_JA)
		snprintf(buf, cap, "... ほか %llu 行は省略",
		    (unsigned long long)r->notes.more);
	else
		snprintf(buf, cap, "... and %llu more line%s not shown",
		    (unsigned long long)r->notes.more,
		    r->notes.more == 1 ? "" : "s");
	return buf;
}

void
notes_text(const struct report *r, struct outbuf *ob)
{
	static char buf[NOTE_MAX_BYTES * 4];
	const char *title = i18n(r->lang, M_NOTES);
	size_t i;

	if (r->notes.n == 0 && r->notes.more == 0)
		return;
	PUT(ob, "\n== ");
	outbuf_put(ob, title, strlen(title));
	PUT(ob, " ==\n");
	for (i = 0; i < r->notes.n; i++)
		wrap(ob, slice_make(buf, clean(buf, slice_cstr(
		    r->notes.v[i]))));
	if (r->notes.more > 0)
		wrap(ob, slice_cstr(more_text(r, buf, sizeof buf)));
}

void
notes_html(const struct report *r, struct outbuf *ob)
{
	char buf[80];
	size_t i;

	if (r->notes.n == 0 && r->notes.more == 0)
		return;
	PUT(ob, "<section id=\"notes\">\n<h2>");
	htmlesc_puts(ob, i18n(r->lang, M_NOTES));
	PUT(ob, "</h2>\n<pre class=\"notes\">");
	for (i = 0; i < r->notes.n; i++) {
		htmlesc_puts(ob, r->notes.v[i]);
		outbuf_putc(ob, '\n');
	}
	if (r->notes.more > 0) {
		htmlesc_puts(ob, more_text(r, buf, sizeof buf));
		outbuf_putc(ob, '\n');
	}
	PUT(ob, "</pre>\n</section>\n");
}
