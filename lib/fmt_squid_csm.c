/*
 * fmt_squid_csm.c: the event of a line of the recommended Squid format
 * (SQUIDFMT_CSM) that squidfmt_match_csm read at a glance, made straight
 * from its fifteen values. fmt_squid_logformat.c's general mapping
 * (fill_event) walks any format's codes one by one and parses every
 * number twice; here each value goes to its column directly. The event
 * must equal the general mapping's byte for byte, the same columns and
 * the same extras in the same order (the squid-csm-glance case and
 * fuzz_parse run both and compare, through CSM_SQUID_GLANCE=0). A value
 * the general mapping would refuse sends the line back to it, the event
 * untouched, for its reason.
 */
#include <stdlib.h>
#include <string.h>
#include "fmt_squid_csm.h"
#include "ipaddr.h"
#include "num.h"
#include "squidfmt.h"
#include "squidhdr.h"
#include "squidtime.h"
#include "url.h"

/*
 * Whether digits s (as squidfmt_match_csm checked them) are a byte count
 * num_parse_u64 takes: fewer than 20 always are.
 */
static int
count_ok(struct slice s)
{
	uint64_t u;

	return s.n < 20 || num_parse_u64(s, UINT64_MAX, &u) == 0;
}

/* The numbers of a line, checked before the event is touched. */
struct numbers {
	int64_t ms;		/* %ts.%03tu, when %ts is given */
	int64_t tr_ms;		/* %tr written with a '.' */
	int tr_dot;
	uint64_t status;
};

/* Reads the numbers of v as fill_event would; -1 where it would refuse. */
static int
read_numbers(const struct slice *v, struct numbers *nb)
{
	uint64_t u;

	nb->status = 0;
	/* "1795593995.412", nearly always: as the native format's */
	if (v[0].n == 10 && v[1].n == 3 && v[1].p == v[0].p + 11) {
		if (squidtime_parse(slice_make(v[0].p, 14), &nb->ms) != 0)
			return -1;
	} else if (v[0].n) {
		if (num_parse_milli(v[0], &nb->ms) != 0)
			return -1;
		/* %03tu: three digits; more must still read 999 or less */
		if (v[1].n) {
			if (num_parse_u64(v[1], 999999999, &u) != 0 || u > 999)
				return -1;
			nb->ms += (int64_t)u;
		}
	}
	nb->tr_dot = v[2].n && memchr(v[2].p, '.', v[2].n) != NULL;
	if (nb->tr_dot ? num_parse_milli(v[2], &nb->tr_ms) != 0 :
	    v[2].n && !count_ok(v[2]))
		return -1;
	if (v[5].n && num_parse_u64(v[5], 999, &nb->status) != 0)
		return -1;
	return v[6].n && !count_ok(v[6]) ? -1 :
	    v[7].n && !count_ok(v[7]) ? -1 : 0;
}

int
squidcsm_fill(struct event *ev, const struct slice *v)
{
	struct numbers nb;
	struct slice none = { NULL, 0 };

	if (read_numbers(v, &nb) != 0)
		return -1;
	/* In the order of the format's codes, as fill_event adds extras. */
	if (v[3].n) {
		if (ip_valid(v[3]))
			ev->f[EV_SRC_IP] = v[3];
		else
			event_add_extra(ev, "client", v[3]);
	}
	if (v[4].n)
		event_add_extra(ev, "result", v[4]);
	if (nb.status != 0)
		ev->f[EV_STATUS] = v[5];
	if (v[6].n)
		ev->f[EV_BYTES_OUT] = v[6];
	if (v[7].n)
		ev->f[EV_BYTES_IN] = v[7];
	if (v[10].n)
		ev->f[EV_UA] = squidhdr_value(ev, v[10], '"');
	if (v[11].n)
		ev->f[EV_USER] = v[11];
	if (v[12].n)
		event_add_extra(ev, "hier", v[12]);
	if (v[13].n) {
		if (ip_valid(v[13]) && ev->f[EV_DST_IP].n == 0)
			ev->f[EV_DST_IP] = v[13];
		else
			event_add_extra(ev, "peer", v[13]);
	}
	if (v[14].n)
		event_add_extra(ev, "mime", v[14]);
	/* Then what depends on several codes. */
	if (v[0].n) {
		ev->ts_ms = nb.ms;
		ev->has_ts = 1;
	}
	if (nb.tr_dot)
		event_set_u64(ev, EV_DURATION_MS, (uint64_t)nb.tr_ms);
	else if (v[2].n)
		ev->f[EV_DURATION_MS] = v[2];
	if (v[8].n)
		ev->f[EV_METHOD] = v[8];
	if (slice_has_prefix(v[9], "error:")) {
		event_add_extra(ev, "error", slice_from(v[9], 6));
	} else if (v[9].n) {
		ev->f[EV_URL] = v[9];
		url_fill_target(ev, v[8].n ? v[8] : none, v[9]);
	}
	if (v[4].n)
		event_set_checked(ev, EV_ACTION, squidfmt_code_denied(v[4]) ?
		    SLICE_LIT("deny") : SLICE_LIT("allow"));
	return 0;
}

int
squidcsm_glance_wanted(void)
{
	const char *env = getenv("CSM_SQUID_GLANCE");

	return env == NULL || strcmp(env, "0") != 0;
}
