/*
 * report_tsv.c: csm-report --tsv, the findings again as a findings stream
 * (csm-events(5)): de-duplicated, sorted by time, below the severity
 * threshold or allowlisted left out, times and numbers in their canonical
 * form. The history files are written by the same row writer.
 */
#include <string.h>
#include "num.h"
#include "report.h"

void
report_tsv_row(struct outbuf *ob, const struct rfind *f,
    struct time_cache *tc)
{
	int i;

	/*
	 * Not finding_write: the text columns are escaped already, and
	 * escaping them again would double every backslash.
	 */
	{
		char *dst = outbuf_reserve(ob, 2 * TIME_RFC3339_LEN + 1);

		if (dst == NULL)
			return;
		time_format_rfc3339(dst, f->ts, tc);
		dst[TIME_RFC3339_LEN] = '\t';
		time_format_rfc3339(dst + TIME_RFC3339_LEN + 1, f->ts_last,
		    tc);
		ob->len += 2 * TIME_RFC3339_LEN + 1;
	}
	for (i = FD_CHECK; i < FD_NCOLS; i++) {
		char num[32];
		size_t n;

		outbuf_putc(ob, '\t');
		switch (i) {
		case FD_SEVERITY:
			outbuf_put(ob, finding_severities[f->sev],
			    strlen(finding_severities[f->sev]));
			break;
		case FD_SCORE:
			num[0] = (char)('0' + f->score / 1000);
			num[1] = '.';
			num[2] = (char)('0' + f->score / 100 % 10);
			num[3] = (char)('0' + f->score / 10 % 10);
			num[4] = (char)('0' + f->score % 10);
			outbuf_put(ob, num, 5);
			break;
		case FD_COUNT:
		case FD_BYTES:
			n = num_format_u64(num, i == FD_COUNT ? f->count :
			    f->bytes);
			outbuf_put(ob, num, n);
			break;
		default:
			outbuf_put(ob, f->f[i].p, f->f[i].n);
		}
	}
	outbuf_putc(ob, '\n');
}

int
report_tsv(struct report *r, struct outbuf *ob)
{
	struct time_cache tc;
	size_t i;

	time_cache_init(&tc);
	finding_write_header(ob);
	for (i = 0; i < r->nshown; i++)
		report_tsv_row(ob, r->shown[i], &tc);
	return 0;
}
