/*
 * findings.c: csm-offhours' findings, one per (source, destination, local
 * day), in the order of their first events, with a reason an analyst can
 * read: how many events, when in local time, and why that is off hours.
 */
#include <string.h>
#include "esc.h"
#include "finding.h"
#include "findsplit.h"
#include "num.h"
#include "offhours.h"

static const char *const wday_names[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};

/*
 * A line being written into a buffer, cut at its room: the reason is
 * written once per finding, and printf's parsing of its format was a
 * tenth of the whole run's time on a day of many findings.
 */
struct line {
	char *p;
	size_t n, cap;
};

static void
put(struct line *l, const char *s, size_t k)
{
	if (k > l->cap - l->n)
		k = l->cap - l->n;
	memcpy(l->p + l->n, s, k);
	l->n += k;
}

static void
put_str(struct line *l, const char *s)
{
	put(l, s, strlen(s));
}

/* v in decimal, zero-padded to width digits. */
static void
put_num(struct line *l, uint64_t v, size_t width)
{
	char d[24];
	size_t k = num_format_u64(d, v);

	for (; width > k; width--)
		put(l, "0", 1);
	put(l, d, k);
}

/* A minute of the day as HH:MM. */
static void
put_hhmm(struct line *l, int minute)
{
	put_num(l, (uint64_t)(minute / 60), 2);
	put(l, ":", 1);
	put_num(l, (uint64_t)(minute % 60), 2);
}

/*
 * The reason column: what, when in local time, and why it is off-hours;
 * its length in buf.
 */
static size_t
reason(const struct offhours *oh, const struct agg_entry *e, char *buf,
    size_t cap)
{
	struct config_local a, b;
	const char *hname = NULL;
	struct line l = { buf, 0, cap };

	config_local_time(oh->cfg, e->first_ms / 1000, &a);
	config_local_time(oh->cfg, e->last_ms / 1000, &b);
	put_num(&l, e->count, 1);
	put_str(&l, e->count == 1 ? " event on " : " events on ");
	put_str(&l, wday_names[a.wday]);
	put(&l, " ", 1);
	put_num(&l, (uint64_t)a.year, 4);
	put(&l, "-", 1);
	put_num(&l, (uint64_t)a.month, 2);
	put(&l, "-", 1);
	put_num(&l, (uint64_t)a.day, 2);
	if (a.days == b.days && a.minute == b.minute) {
		put_str(&l, ", at ");
		put_hhmm(&l, a.minute);
	} else {
		put_str(&l, ", ");
		put_hhmm(&l, a.minute);
		put(&l, "-", 1);
		put_hhmm(&l, b.minute);
	}
	put(&l, " ", 1);
	put_str(&l, config_timezone(oh->cfg));
	put_str(&l, ": ");
	switch ((enum bizcal_state)e->flags) {
	case BIZCAL_HOLIDAY:
		bizcal_holiday(&oh->cal, a.days, &hname);
		put_str(&l, "a holiday");
		if (hname && *hname) {
			put_str(&l, " (");
			put_str(&l, hname);
			put_str(&l, ")");
		}
		break;
	case BIZCAL_DAY_OFF:
		put_str(&l, "not a business day");
		break;
	default:
		put_str(&l, "outside business hours");
		break;
	}
	return l.n;
}

/* Writes the finding of entry e; in either thread of findsplit_write. */
static int
write_one(const void *arg, const struct agg_entry *e, struct outbuf *ob,
    struct time_cache *tc)
{
	const struct offhours *oh = arg;
	char src[256], dst[1100], origin[1100], why[512];
	struct finding fd;

	memset(&fd, 0, sizeof fd);
	fd.ts_ms = e->first_ms;
	fd.ts_last_ms = e->last_ms;
	fd.f[FD_CHECK] = slice_cstr("offhours");
	fd.f[FD_RULE] = slice_cstr(bizcal_state_names[e->flags]);
	/* Off-hours alone is weak evidence: more events, more weight. */
	fd.severity = 1;
	fd.score = 1.0 - 1.0 / (1.0 + (double)e->count / 20.0);
	fd.f[FD_SRC_IP] = finding_raw(agg_key_field(e, 0), src, sizeof src);
	fd.f[FD_DST] = finding_raw(agg_key_field(e, 1), dst, sizeof dst);
	fd.count = e->count;
	fd.bytes = e->bytes;
	fd.f[FD_REASON] = slice_make(why, reason(oh, e, why, sizeof why));
	fd.f[FD_CLAUSE] = slice_cstr("19.1.2 proxy-5");
	fd.f[FD_STAGE] = slice_cstr("c2");
	fd.f[FD_ORIGIN] = finding_raw(slice_cstr(e->origin), origin,
	    sizeof origin);
	finding_write(ob, &fd, tc);
	return 0;
}

int
offhours_write_findings(struct offhours *oh)
{
	finding_write_header(oh->out);
	return findsplit_write_agg(oh->out, &oh->agg, write_one, oh);
}
