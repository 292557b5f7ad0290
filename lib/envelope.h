/*
 * envelope.h: the syslog envelope that firewall, DNS, mail and auth logs
 * arrive in. envelope_parse takes the header off a line (time, reporting
 * host, program tag and pid) and hands back the message for the format's
 * own parser. It reads RFC 3164 (BSD) headers with or without <PRI> and
 * with or without the host, RFC 5424, and rsyslog's high-precision RFC 3339
 * prefix. RFC 3164 stamps carry neither year nor zone: the zone is the one
 * chosen with time_zone_set (--tz), the year comes from struct
 * envelope_year, one per input.
 */
#ifndef CSM_ENVELOPE_H
#define CSM_ENVELOPE_H

#include <stdint.h>
#include "fmt.h"
#include "slice.h"

/* A parsed envelope; the slices point into the line. */
struct envelope {
	int64_t ts_ms;		/* UTC milliseconds when has_ts */
	int has_ts;		/* 0 only for RFC 5424's nil time "-" */
	int pri;		/* the <PRI> value, or -1 without one */
	struct slice host;	/* reporting host; empty when absent or "-" */
	struct slice tag;	/* program (APP-NAME) without "[pid]"; may be
				 * empty when the line has no tag */
	struct slice pid;	/* process id (PROCID); empty when none */
	struct slice msgid;	/* RFC 5424 MSGID; empty otherwise or "-" */
	struct slice sd;	/* RFC 5424 structured data; empty for "-" */
	struct slice msg;	/* the message after the header */
	const char *err;	/* why envelope_parse failed (a literal) */
};

/*
 * env->err when the line does not even begin like a syslog header (no
 * <PRI>, month name or date); other reasons mean a header that is broken.
 */
#define ENVELOPE_NONE "no syslog header"

/*
 * The length of the "<PRI>" (0 to 191) at the start of s, which *pri gets;
 * 0 (*pri untouched) when s does not start with '<', -1 when what starts
 * with it is no priority.
 */
long envelope_pri(struct slice s, int *pri);


/*
 * Year inference for RFC 3164 stamps of one input. The first stamp takes
 * the given year, or else the year of now unless that puts it more than a
 * day after now (then the year before); after that a month more than six
 * months before the previous stamp's moves to the next year (a December to
 * January roll-over), one more than six months after it to the year before
 * (a late line from the old year).
 */
struct envelope_year {
	int year;		/* --year, or 0 to infer from now */
	int64_t now;		/* seconds since the epoch, UTC */
	int cur;		/* year of the last stamp; 0 before the first */
	int month;		/* month of the last stamp */
	/*
	 * The day of the last "Mmm dd hh:mm:ss" stamp, so that the next
	 * lines of that day skip the month name, the calendar and the year
	 * rule. It holds only while cur and month are still the ones it was
	 * filled under (day_year, day_month); the zone is applied anew on
	 * every line. Private to envelope.c; envelope_year_init empties it.
	 */
	char day_key[6];	/* the stamp's first six bytes: "Nov 25" */
	int day_year, day_month; /* 0 when empty */
	int64_t day_secs;	/* 00:00:00 of that day, local, as if UTC */
};

/*
 * Prepares ey for a new input: year is --year (0 to infer), now the time
 * at start in seconds since the epoch.
 */
void envelope_year_init(struct envelope_year *ey, int year, int64_t now);

/*
 * Parses the syslog envelope at the start of line into *env, updating the
 * year state ey with an RFC 3164 stamp. Returns 0, or -1 when the line does
 * not start with a syslog header (or its time is invalid), with env->err
 * saying why.
 */
int envelope_parse(struct slice line, struct envelope_year *ey,
    struct envelope *env);

/*
 * fmt open and close callbacks for formats whose only per-input state is
 * the year inference: the state is a struct envelope_year.
 */
void *envelope_year_open(struct parse_ctx *ctx);
void envelope_year_close(void *state);

/*
 * fmt carry callbacks (see fmt.h) for the year inference, the carry being
 * a struct envelope_year: init from --year and now; advance with a line's
 * RFC 3164 stamp (a line without one leaves it as it is); seed a state
 * that is a struct envelope_year.
 */
void envelope_carry_init(void *carry, const struct parse_opts *opts);
void envelope_carry_advance(void *carry, struct slice line);
void envelope_carry_seed(void *state, const void *carry);

/* The fmt table fields of a format whose state is envelope_year_open's. */
#define ENVELOPE_YEAR_STATE \
	.open = envelope_year_open, \
	.close = envelope_year_close, \
	.carry_size = sizeof(struct envelope_year), \
	.carry_init = envelope_carry_init, \
	.carry_advance = envelope_carry_advance, \
	.carry_seed = envelope_carry_seed

#endif
