/*
 * report_json.c: csm-report --json, one JSON object per finding per line
 * (NDJSON) for a SIEM or jq. Every column is there under its stream name,
 * text unescaped to the bytes the log held and escaped again by JSON's
 * rules; score, count and bytes are numbers. Findings below the severity
 * threshold are left out; allowlisted ones stay, with "suppressed" giving
 * the allowlist's reason, and with --history "new" says whether the
 * (check, host) pair is new. JSON must be UTF-8: a byte that is not part
 * of valid UTF-8 is written as the four characters \xHH, as in the TSV
 * stream, rather than lost.
 */
#include <stdlib.h>
#include <string.h>
#include "esc.h"
#include "num.h"
#include "report.h"

static const char hexdigits[] = "0123456789abcdef";

/* Appends raw bytes as the inside of a JSON string. */
static void
json_bytes(struct outbuf *ob, const char *p, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		unsigned char c = (unsigned char)p[i];
		char u[6] = { '\\', 'u', '0', '0', 0, 0 };

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			outbuf_putc(ob, (char)c);
			i++;
			continue;
		}
		switch (c) {
		case '"': outbuf_put(ob, "\\\"", 2); i++; continue;
		case '\\': outbuf_put(ob, "\\\\", 2); i++; continue;
		case '\n': outbuf_put(ob, "\\n", 2); i++; continue;
		case '\r': outbuf_put(ob, "\\r", 2); i++; continue;
		case '\t': outbuf_put(ob, "\\t", 2); i++; continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7f) {
			u[4] = hexdigits[c >> 4];
			u[5] = hexdigits[c & 15];
			outbuf_put(ob, u, 6);
			i++;
			continue;
		}
		if ((k = utf8_seq(p + i, n - i, &cp)) > 0) {
			if (cp < 0xa0 || cp == 0x2028 || cp == 0x2029) {
				/* C1 controls, and JavaScript's line ends. */
				outbuf_put(ob, "\\u", 2);
				outbuf_putc(ob, hexdigits[cp >> 12 & 15]);
				outbuf_putc(ob, hexdigits[cp >> 8 & 15]);
				outbuf_putc(ob, hexdigits[cp >> 4 & 15]);
				outbuf_putc(ob, hexdigits[cp & 15]);
			} else {
				outbuf_put(ob, p + i, k);
			}
			i += k;
			continue;
		}
		outbuf_put(ob, "\\\\x", 3);
		outbuf_putc(ob, hexdigits[c >> 4]);
		outbuf_putc(ob, hexdigits[c & 15]);
		i++;
	}
}

/* "key":"value" for an escaped column; returns -1 when out of memory. */
static int
json_text(struct outbuf *ob, const char *key, struct slice v, char **buf,
    size_t *cap)
{
	size_t n;

	if (v.n + 1 > *cap) {
		char *nb = realloc(*buf, v.n + 1);

		if (nb == NULL)
			return -1;
		*buf = nb;
		*cap = v.n + 1;
	}
	n = esc_unescape(*buf, v);
	outbuf_putc(ob, '"');
	outbuf_put(ob, key, strlen(key));
	outbuf_put(ob, "\":\"", 3);
	json_bytes(ob, *buf, n);
	outbuf_putc(ob, '"');
	return 0;
}

static void
json_num(struct outbuf *ob, const char *key, uint64_t v)
{
	char num[24];

	outbuf_putc(ob, '"');
	outbuf_put(ob, key, strlen(key));
	outbuf_put(ob, "\":", 2);
	outbuf_put(ob, num, num_format_u64(num, v));
}

int
report_json(struct report *r, struct outbuf *ob)
{
	struct time_cache tc;
	char t[TIME_RFC3339_LEN], *buf = NULL;
	size_t i, cap = 0;
	int c, rc = 0;

	time_cache_init(&tc);
	for (i = 0; i < r->all.n && rc == 0; i++) {
		const struct rfind *f = r->all.v[i];

		if (f->sev < r->min_sev)
			continue;
		time_format_rfc3339(t, f->ts, &tc);
		outbuf_put(ob, "{\"ts\":\"", 7);
		outbuf_put(ob, t, sizeof t);
		time_format_rfc3339(t, f->ts_last, &tc);
		outbuf_put(ob, "\",\"ts_last\":\"", 13);
		outbuf_put(ob, t, sizeof t);
		outbuf_putc(ob, '"');
		for (c = FD_CHECK; c < FD_NCOLS && rc == 0; c++) {
			outbuf_putc(ob, ',');
			switch (c) {
			case FD_SEVERITY:
				rc = json_text(ob, "severity", slice_cstr(
				    finding_severities[f->sev]), &buf, &cap);
				break;
			case FD_SCORE: {
				char s[6] = { (char)('0' + f->score / 1000),
				    '.', (char)('0' + f->score / 100 % 10),
				    (char)('0' + f->score / 10 % 10),
				    (char)('0' + f->score % 10), 0 };

				outbuf_put(ob, "\"score\":", 8);
				outbuf_put(ob, s, 5);
				break;
			}
			case FD_COUNT:
				json_num(ob, "count", f->count);
				break;
			case FD_BYTES:
				json_num(ob, "bytes", f->bytes);
				break;
			default:
				rc = json_text(ob, finding_columns[c], f->f[c],
				    &buf, &cap);
			}
		}
		if (rc == 0 && f->allow >= 0) {
			outbuf_putc(ob, ',');
			rc = json_text(ob, "suppressed", slice_cstr(
			    r->allow.r[f->allow].reason), &buf, &cap);
		}
		if (r->use_history && r->hist.any && f->allow < 0)
			outbuf_put(ob, f->is_new ? ",\"new\":true" :
			    ",\"new\":false", f->is_new ? 11 : 12);
		outbuf_put(ob, "}\n", 2);
	}
	free(buf);
	return rc;
}
