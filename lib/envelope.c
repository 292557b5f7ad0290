/*
 * envelope.c: takes the syslog header off a line, whichever of the three
 * common shapes it has: RFC 3164 ("<13>Nov  5 17:06:35 fw01 kernel: ...",
 * also without the host as daemons write to their own files), RFC 5424
 * ("<134>1 2026-11-25T17:06:35.123+09:00 host app procid msgid [sd] msg")
 * and rsyslog's RFC 3339 prefix ("2026-11-25T17:06:35.123456+09:00 host
 * tag[pid]: msg"). All bytes here come from the log: every index is checked
 * against the slice's length, and nothing past it is read.
 */
#include <string.h>
#include <stdlib.h>
#include "envelope.h"
#include "num.h"
#include "timeconv.h"

#define DAY_SECONDS 86400

void
envelope_year_init(struct envelope_year *ey, int year, int64_t now)
{
	memset(ey, 0, sizeof *ey);
	ey->year = year;
	ey->now = now;
}

/* Fails with reason why. */
static int
fail(struct envelope *env, const char *why)
{
	env->err = why;
	return -1;
}

/* The UTC year that second t falls in. */
static int
year_of(int64_t t)
{
	int64_t days = t >= 0 ? t / DAY_SECONDS : -((-t + DAY_SECONDS - 1) /
	    DAY_SECONDS);
	int64_t y = 1970 + days / 366;

	/* days / 366 is a lower bound; walk up to the exact year. */
	while (time_days_from_civil(y + 1, 1, 1) <= days)
		y++;
	while (time_days_from_civil(y, 1, 1) > days)
		y--;
	return (int)y;
}

/*
 * UTC milliseconds of a local RFC 3164 stamp (no year) under the year rule
 * of struct envelope_year. The state changes only for a valid stamp.
 */
static int
stamp_3164(struct envelope_year *ey, int mo, int d, int h, int mi, int s,
    int ms, int64_t *out)
{
	int64_t local, t;
	int y;

	if (ey->cur == 0)
		y = ey->year ? ey->year : year_of(ey->now);
	else if (mo < ey->month - 6)
		y = ey->cur + 1;	/* Dec -> Jan: the next year */
	else if (mo > ey->month + 6)
		y = ey->cur - 1;	/* a late line from the old year */
	else
		y = ey->cur;
	if ((local = time_utc_seconds(y, mo, d, h, mi, s)) < 0)
		return -1;
	t = time_local_to_utc(local);
	if (ey->cur == 0 && ey->year == 0 && t > ey->now + DAY_SECONDS) {
		/* A stamp in the future is one from last year. */
		y--;
		if ((local = time_utc_seconds(y, mo, d, h, mi, s)) < 0)
			return -1;
		t = time_local_to_utc(local);
	}
	ey->cur = y;
	ey->month = mo;
	*out = t * 1000 + ms;
	return 0;
}

/*
 * Milliseconds of the fraction digits at p[*i...] after a '.', advancing
 * *i past all of them (only the first three count).
 */
static int
fraction_ms(struct slice s, size_t *i)
{
	int ms = 0, scale = 100;

	for (; *i < s.n && s.p[*i] >= '0' && s.p[*i] <= '9'; (*i)++) {
		ms += (s.p[*i] - '0') * scale;
		scale /= 10;
	}
	return ms;
}

/*
 * parse_3164_time for a stamp of the day ey holds ("Mmm dd hh:mm:ss[.fff] "
 * whose first six bytes are day_key), while the year state is the one the
 * day was parsed under: the month then equals the last stamp's, so the
 * year rule keeps the year, the date is known to exist and the state stays
 * as it is. Returns what parse_3164_time would, or 0 when the day is not
 * the cached one or the rest is not well formed (parse_3164_time then
 * decides, with its reasons).
 */
static size_t
cached_3164_time(struct slice s, struct envelope_year *ey, int64_t *ms)
{
	int h, mi, sec, frac = 0;
	size_t i = 15;

	if (ey->day_year == 0 || ey->cur != ey->day_year ||
	    ey->month != ey->day_month || s.n < 16 ||
	    memcmp(s.p, ey->day_key, sizeof ey->day_key) != 0 ||
	    s.p[6] != ' ' || s.p[9] != ':' || s.p[12] != ':' ||
	    time_two_digits(s.p + 7, &h) != 0 || time_two_digits(s.p + 10, &mi) != 0 ||
	    time_two_digits(s.p + 13, &sec) != 0 || h > 23 || mi > 59 || sec > 60)
		return 0;
	if (s.p[i] == '.') {
		i++;
		frac = fraction_ms(s, &i);
	}
	if (i >= s.n || s.p[i] != ' ')
		return 0;
	/* The zone is applied every time: --tz may have changed since. */
	*ms = time_local_to_utc(ey->day_secs + h * 3600 + mi * 60 + sec) *
	    1000 + frac;
	return i + 1;
}

/*
 * Parses "Mmm dd hh:mm:ss[.fff] " at the start of s (the day padded with a
 * space or a zero, or one digit alone). Returns the bytes taken including
 * the space after the time, or 0 when s does not start so.
 */
static size_t
parse_3164_time(struct slice s, struct envelope_year *ey, int64_t *ms,
    struct envelope *env)
{
	int mo, d, h, mi, sec, frac = 0;
	size_t i = 3, nd;

	if ((i = cached_3164_time(s, ey, ms)) != 0) {
		env->err = "bad rfc 3164 time";	/* as below */
		return i;
	}
	i = 3;
	if (s.n < 3 || (mo = time_month_from_abbr(slice_make(s.p, 3))) == 0)
		return 0;
	env->err = "bad rfc 3164 time";	/* a month, but what follows? */
	if (i >= s.n || s.p[i] != ' ')
		return 0;
	i++;
	if (i < s.n && s.p[i] == ' ')
		i++;	/* "Nov  5" */
	for (nd = 0; i + nd < s.n && nd < 3 && s.p[i + nd] >= '0' &&
	    s.p[i + nd] <= '9'; nd++)
		;
	if (nd == 0 || nd > 2 || num_parse_digits(s.p + i, nd, &d) != 0)
		return 0;
	i += nd;
	if (s.n - i < 9 || s.p[i] != ' ' || s.p[i + 3] != ':' ||
	    s.p[i + 6] != ':' ||
	    num_parse_digits(s.p + i + 1, 2, &h) != 0 ||
	    num_parse_digits(s.p + i + 4, 2, &mi) != 0 ||
	    num_parse_digits(s.p + i + 7, 2, &sec) != 0)
		return 0;
	i += 9;
	if (i < s.n && s.p[i] == '.') {
		i++;
		frac = fraction_ms(s, &i);
	}
	if (i >= s.n || s.p[i] != ' ')
		return 0;
	if (stamp_3164(ey, mo, d, h, mi, sec, frac, ms) != 0) {
		env->err = "bad rfc 3164 date";
		return 0;
	}
	/*
	 * A day in the six bytes "Mmm dd" (or "Mmm  d") is remembered for
	 * cached_3164_time, under the year state the stamp left.
	 */
	if (s.p[3] == ' ' && s.p[6] == ' ' && s.p[5] >= '0' &&
	    s.p[5] <= '9' && (s.p[4] == ' ' || (s.p[4] >= '0' &&
	    s.p[4] <= '9'))) {
		memcpy(ey->day_key, s.p, sizeof ey->day_key);
		ey->day_year = ey->cur;
		ey->day_month = ey->month;
		ey->day_secs = time_days_from_civil(ey->cur, mo, d) *
		    DAY_SECONDS;
	}
	return i + 1;
}

/*
 * Parses an RFC 3339 stamp; one without a zone is local time in the --tz
 * zone, as rsyslog writes when told to leave the offset out.
 */
static int
parse_iso_time(struct slice w, int64_t *ms)
{
	int64_t t, sec;
	int zoned;

	zoned = w.n > 19 && (w.p[w.n - 1] == 'Z' || w.p[w.n - 1] == 'z' ||
	    (w.n >= 25 && (w.p[w.n - 6] == '+' || w.p[w.n - 6] == '-') &&
	    w.p[w.n - 3] == ':'));
	if (w.n > 0 && w.p[w.n - 1] == 'z') {
		char tmp[40];

		/* RFC 3339 allows a lower-case z; time_parse_rfc3339 does not. */
		if (w.n > sizeof tmp)
			return -1;
		memcpy(tmp, w.p, w.n);
		tmp[w.n - 1] = 'Z';
		return time_parse_rfc3339(slice_make(tmp, w.n), ms);
	}
	if (time_parse_rfc3339(w, &t) != 0)
		return -1;
	if (!zoned) {
		sec = t >= 0 ? t / 1000 : -((-t + 999) / 1000);
		t = time_local_to_utc(sec) * 1000 + (t - sec * 1000);
	}
	*ms = t;
	return 0;
}

/*
 * Whether w is a program tag "name:" or "name[pid]:", the token that ends
 * an RFC 3164 header; fills tag and pid.
 */
static int
split_tag(struct slice w, struct slice *tag, struct slice *pid)
{
	long open;

	if (w.n < 2 || w.p[w.n - 1] != ':')
		return 0;
	w.n--;
	open = slice_find(w, '[');
	if (open < 0) {
		if (slice_find(w, ']') >= 0 || slice_find(w, ':') >= 0)
			return 0;
		*tag = w;
		*pid = slice_make(w.p + w.n, 0);
		return 1;
	}
	if (open == 0 || w.p[w.n - 1] != ']')
		return 0;
	*tag = slice_make(w.p, (size_t)open);
	*pid = slice_make(w.p + open + 1, w.n - (size_t)open - 2);
	if (slice_find(*tag, ':') >= 0 || slice_find(*pid, '[') >= 0 ||
	    slice_find(*pid, ']') >= 0)
		return 0;
	return 1;
}

/*
 * After the time of an RFC 3164 or RFC 3339 header: "host tag[pid]: msg",
 * "tag[pid]: msg" (no host: a daemon's own file) or "host msg" (no tag).
 */
static void
parse_host_tag(struct slice rest, struct envelope *env)
{
	struct slice w = slice_next_token(&rest), after = rest;

	if (split_tag(w, &env->tag, &env->pid)) {
		env->msg = rest;
		return;
	}
	env->host = w;
	w = slice_next_token(&rest);
	if (split_tag(w, &env->tag, &env->pid))
		env->msg = rest;
	else
		env->msg = after;	/* no tag: the message follows the host */
}

/* "-" is RFC 5424's nil value. */
static struct slice
nil_empty(struct slice w)
{
	return slice_eq(w, "-") ? slice_make(w.p, 0) : w;
}

/*
 * The length of the RFC 5424 structured data at the start of s: one or
 * more "[id param="value" ...]" elements, where a quoted value may hold
 * '\"', '\\' and '\]' escapes and a bare ']'. Returns 0 when malformed.
 */
static size_t
sd_length(struct slice s)
{
	size_t i = 0;

	while (i < s.n && s.p[i] == '[') {
		int quoted = 0;

		for (i++; i < s.n; i++) {
			char c = s.p[i];

			if (quoted) {
				if (c == '\\' && i + 1 < s.n)
					i++;
				else if (c == '"')
					quoted = 0;
			} else if (c == '"') {
				quoted = 1;
			} else if (c == ']') {
				break;
			}
		}
		if (i >= s.n)
			return 0;	/* unterminated element */
		i++;
	}
	return i;
}

/* RFC 5424 after "<PRI>1 ". */
static int
parse_5424(struct slice rest, struct envelope *env)
{
	struct slice w;
	size_t sdn;

	w = slice_next_token(&rest);
	if (slice_eq(w, "-")) {
		env->has_ts = 0;
	} else if (parse_iso_time(w, &env->ts_ms) != 0) {
		return fail(env, "bad rfc 5424 time");
	} else {
		env->has_ts = 1;
	}
	env->host = nil_empty(slice_next_token(&rest));
	env->tag = nil_empty(slice_next_token(&rest));
	env->pid = nil_empty(slice_next_token(&rest));
	w = slice_next_token(&rest);
	if (w.n == 0 || rest.n == 0)
		return fail(env, "truncated rfc 5424 header");
	env->msgid = nil_empty(w);
	if (rest.p[0] == '-') {
		sdn = 1;
	} else if ((sdn = sd_length(rest)) == 0) {
		return fail(env, "bad rfc 5424 structured data");
	} else {
		env->sd = slice_make(rest.p, sdn);
	}
	rest = slice_from(rest, sdn);
	if (rest.n > 0 && rest.p[0] != ' ')
		return fail(env, "bad rfc 5424 structured data");
	rest = slice_from(rest, 1);
	/* The message may start with a UTF-8 byte order mark. */
	if (slice_has_prefix(rest, "\xef\xbb\xbf"))
		rest = slice_from(rest, 3);
	env->msg = rest;
	return 0;
}

long
envelope_pri(struct slice s, int *pri)
{
	long close;
	uint64_t v;

	if (s.n == 0 || s.p[0] != '<')
		return 0;
	close = slice_find(slice_make(s.p, s.n < 5 ? s.n : 5), '>');
	if (close < 2 || num_parse_u64(slice_make(s.p + 1, (size_t)close - 1),
	    191, &v) != 0)
		return -1;
	*pri = (int)v;
	return close + 1;
}

int
envelope_parse(struct slice line, struct envelope_year *ey,
    struct envelope *env)
{
	struct slice rest = line;
	size_t n;
	long pri;

	/* Field by field: a memset of the struct was a slow `rep stos`. */
	env->ts_ms = 0;
	env->has_ts = 0;
	env->pri = -1;
	env->host = env->tag = env->pid = env->msgid = env->sd =
	    slice_make(line.p, 0);
	env->msg = SLICE_NONE;
	env->err = NULL;
	if ((pri = envelope_pri(rest, &env->pri)) < 0)
		return fail(env, "bad priority");
	rest = slice_from(rest, (size_t)pri);
	if (rest.n >= 2 && rest.p[0] == '1' && rest.p[1] == ' ')
		return parse_5424(slice_from(rest, 2), env);
	if (rest.n >= 20 && rest.p[4] == '-' && rest.p[0] >= '0' &&
	    rest.p[0] <= '9') {
		struct slice w;

		if (slice_find(rest, ' ') < 0)
			return fail(env, "bad rfc 3339 header");
		w = slice_next_token(&rest);
		if (parse_iso_time(w, &env->ts_ms) != 0)
			return fail(env, "bad rfc 3339 time");
		env->has_ts = 1;
		parse_host_tag(rest, env);
		return 0;
	}
	if ((n = parse_3164_time(rest, ey, &env->ts_ms, env)) == 0)
		return fail(env, env->err ? env->err : ENVELOPE_NONE);
	env->has_ts = 1;
	parse_host_tag(slice_from(rest, n), env);
	return 0;
}

void *
envelope_year_open(struct parse_ctx *ctx)
{
	struct envelope_year *ey = malloc(sizeof *ey);

	if (ey == NULL) {
		fmt_reject(ctx, "out of memory");
		return NULL;
	}
	envelope_year_init(ey, ctx->opts->year, ctx->opts->now);
	return ey;
}

void
envelope_year_close(void *state)
{
	free(state);
}

void
envelope_carry_init(void *carry, const struct parse_opts *opts)
{
	envelope_year_init(carry, opts->year, opts->now);
}

void
envelope_carry_advance(void *carry, struct slice line)
{
	struct envelope env;

	/* Only the side effect on the year state is wanted. */
	(void)envelope_parse(line, carry, &env);
}

void
envelope_carry_seed(void *state, const void *carry)
{
	memcpy(state, carry, sizeof(struct envelope_year));
}
