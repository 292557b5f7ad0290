/*
 * config_value.c: the syntax of csm.conf values, shared by every section:
 * lists (white space or commas, "quoted" items), booleans, CIDR blocks
 * (strict: host bits beyond the prefix are a mistake, not a wish), clock
 * times and ranges, weekdays in English or Japanese, local dates and
 * times, durations, paths, and time zone names.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config_impl.h"
#include "num.h"
#include "timeconv.h"

int
cfg_next_item(struct slice *rest, struct slice *item)
{
	const char *p = rest->p, *end = rest->p + rest->n, *q;

	while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
		p++;
	if (p == end) {
		*rest = slice_make(end, 0);
		return 0;
	}
	if (*p == '"') {
		q = memchr(p + 1, '"', (size_t)(end - p - 1));
		if (q == NULL)
			return -1;
		*item = slice_make(p + 1, (size_t)(q - p - 1));
		*rest = slice_make(q + 1, (size_t)(end - q - 1));
		return 1;
	}
	q = p;
	while (q < end && *q != ' ' && *q != '\t' && *q != ',')
		q++;
	*item = slice_make(p, (size_t)(q - p));
	*rest = slice_make(q, (size_t)(end - q));
	return 1;
}

int
cfg_name_valid(struct slice s)
{
	size_t i;

	if (s.n == 0 || s.p[0] == '-')
		return 0;
	for (i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (!(c >= 0x80 || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

int
cfg_parse_bool(struct slice s, int *v)
{
	if (slice_eq_nocase(s, "yes") || slice_eq_nocase(s, "true") ||
	    slice_eq_nocase(s, "on") || slice_eq(s, "1")) {
		*v = 1;
		return 0;
	}
	if (slice_eq_nocase(s, "no") || slice_eq_nocase(s, "false") ||
	    slice_eq_nocase(s, "off") || slice_eq(s, "0")) {
		*v = 0;
		return 0;
	}
	return -1;
}

int
cfg_parse_cidr(struct slice s, struct cfg_cidr *c)
{
	long slash = slice_find(s, '/');
	struct slice a = slash >= 0 ? slice_make(s.p, (size_t)slash) : s;
	uint64_t len;
	int i, v4, host = 0;

	if (ip_parse(a, &c->lo) != 0)
		return -1;
	v4 = ip_is_v4(&c->lo);
	len = v4 ? 32 : 128;
	if (slash >= 0 && num_parse_u64(slice_from(s, (size_t)slash + 1),
	    len, &len) != 0)
		return -1;
	c->plen = (int)len + (v4 ? 96 : 0);
	c->hi = c->lo;
	for (i = 0; i < 16; i++) {
		int bits = c->plen - i * 8;
		uint8_t mask = bits >= 8 ? 0xff : bits <= 0 ? 0 :
		    (uint8_t)(0xff << (8 - bits));
		if (c->lo.b[i] & (uint8_t)~mask)
			host = 1;
		c->lo.b[i] &= mask;
		c->hi.b[i] |= (uint8_t)~mask;
	}
	return host ? -2 : 0;
}

/* The blocks the word "private" stands for. */
static const char *const private_nets[] = {
	"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"
};

int
cfg_parse_nets(struct config *cfg, struct slice value, uint64_t line,
    struct cfg_nets *nets, int allow_private)
{
	struct cfg_nets out = { NULL, 0, line, 1 };
	size_t cap = 0, j;
	struct slice rest = value, item;
	int r;

	while ((r = cfg_next_item(&rest, &item)) == 1) {
		size_t nadd = 1, k;
		int priv = allow_private && slice_eq_nocase(item, "private");

		if (priv)
			nadd = sizeof private_nets / sizeof private_nets[0];
		for (k = 0; k < nadd; k++) {
			struct slice text = priv ? slice_cstr(private_nets[k]) :
			    item;
			struct cfg_cidr c;
			int pr = cfg_parse_cidr(text, &c);

			if (pr == -1)
				return cfg_fail(cfg, line, "bad CIDR '%s'",
				    cfg_q(cfg, text));
			if (pr == -2) {
				char a[IPADDR_TEXT_MAX + 8];
				size_t an = ip_format(a, &c.lo);
				snprintf(a + an, sizeof a - an, "/%d",
				    ip_is_v4(&c.lo) ? c.plen - 96 : c.plen);
				return cfg_fail(cfg, line, "bad CIDR '%s': host "
				    "bits set (the network is '%s')",
				    cfg_q(cfg, text), a);
			}
			for (j = 0; j < out.n; j++)
				if (out.v[j].plen == c.plen &&
				    memcmp(&out.v[j].lo, &c.lo, 16) == 0)
					return cfg_fail(cfg, line, "'%s' listed "
					    "twice (as '%s')", cfg_q(cfg, text),
					    cfg_qs(cfg, out.v[j].text));
			out.v = cfg_grow(cfg, out.v, out.n, &cap, sizeof *out.v);
			if (out.v == NULL ||
			    (c.text = cfg_strdup(cfg, text)) == NULL)
				return cfg_fail(cfg, CFG_NOLINE,
				    "out of memory");
			out.v[out.n++] = c;
		}
	}
	if (r < 0)
		return cfg_fail(cfg, line, "unterminated quote in '%s'",
		    cfg_q(cfg, value));
	if (out.n == 0)
		return cfg_fail(cfg, line, "no network in '%s'",
		    cfg_q(cfg, value));
	*nets = out;
	return 0;
}

int
cfg_parse_clock(struct slice s, int end)
{
	int h, m;

	if (s.n == 4 && s.p[1] == ':') {
		if (num_parse_digits(s.p, 1, &h) != 0 ||
		    num_parse_digits(s.p + 2, 2, &m) != 0)
			return -1;
	} else if (s.n == 5 && s.p[2] == ':') {
		if (num_parse_digits(s.p, 2, &h) != 0 ||
		    num_parse_digits(s.p + 3, 2, &m) != 0)
			return -1;
	} else {
		return -1;
	}
	if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end)))
		return -1;
	return h * 60 + m;
}

/* Splits s at a range dash: '-', or the wave dashes U+301C and U+FF5E. */
static int
split_range(struct slice s, struct slice *a, struct slice *b)
{
	static const char *const dash[] = { "-", "\xe3\x80\x9c", "\xef\xbd\x9e" };
	size_t i, d;

	for (i = 0; i < s.n; i++)
		for (d = 0; d < 3; d++) {
			size_t n = strlen(dash[d]);
			if (s.n - i >= n && memcmp(s.p + i, dash[d], n) == 0) {
				*a = slice_make(s.p, i);
				*b = slice_from(s, i + n);
				return 0;
			}
		}
	return -1;
}

int
cfg_parse_range(struct config *cfg, struct slice s, uint64_t line,
    struct config_range *r)
{
	struct slice a, b;

	if (split_range(s, &a, &b) != 0)
		return cfg_fail(cfg, line, "bad time range '%s': expected "
		    "HH:MM-HH:MM", cfg_q(cfg, s));
	a = slice_trim(a);
	b = slice_trim(b);
	if ((r->start = cfg_parse_clock(a, 0)) < 0)
		return cfg_fail(cfg, line, "bad time '%s'", cfg_q(cfg, a));
	if ((r->end = cfg_parse_clock(b, 1)) < 0)
		return cfg_fail(cfg, line, "bad time '%s'", cfg_q(cfg, b));
	if (r->start == r->end)
		return cfg_fail(cfg, line, "empty time range '%s'",
		    cfg_q(cfg, s));
	/* "21:00-00:00" ends at midnight: 24:00, not a range crossing it. */
	if (r->end == 0)
		r->end = 1440;
	return 0;
}

int
cfg_parse_ranges(struct config *cfg, struct slice value, uint64_t line,
    struct config_range **r, size_t *n)
{
	char *buf = cfg_alloc(cfg, value.n + 1);
	struct config_range *out = NULL;
	size_t i, k = 0, cap = 0, cnt = 0;
	struct slice rest, item;

	if (buf == NULL)
		return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	/* "09:00 - 12:00" reads as "09:00-12:00". */
	for (i = 0; i < value.n; i++) {
		if (value.p[i] == ' ' || value.p[i] == '\t') {
			size_t j = i;
			while (j < value.n && (value.p[j] == ' ' ||
			    value.p[j] == '\t'))
				j++;
			if ((k > 0 && buf[k - 1] == '-') ||
			    (j < value.n && value.p[j] == '-')) {
				i = j - 1;
				continue;
			}
		}
		buf[k++] = value.p[i];
	}
	rest = slice_make(buf, k);
	while (cfg_next_item(&rest, &item) == 1) {
		out = cfg_grow(cfg, out, cnt, &cap, sizeof *out);
		if (out == NULL)
			return cfg_fail(cfg, CFG_NOLINE, "out of memory");
		if (cfg_parse_range(cfg, item, line, &out[cnt]) != 0)
			return -1;
		cnt++;
	}
	if (cnt == 0)
		return cfg_fail(cfg, line, "no time range in '%s'",
		    cfg_q(cfg, value));
	*r = out;
	*n = cnt;
	return 0;
}

int
cfg_parse_weekday(struct slice s)
{
	static const char *const en[7][3] = {
		{ "sun", "sunday", NULL }, { "mon", "monday", NULL },
		{ "tue", "tuesday", "tues" }, { "wed", "wednesday", NULL },
		{ "thu", "thursday", "thurs" }, { "fri", "friday", NULL },
		{ "sat", "saturday", NULL }
	};
	/* 日 月 火 水 木 金 土, then 曜 and 日 of "月曜日". */
	static const char *const ja[7] = {
		"\xe6\x97\xa5", "\xe6\x9c\x88", "\xe7\x81\xab", "\xe6\xb0\xb4",
		"\xe6\x9c\xa8", "\xe9\x87\x91", "\xe5\x9c\x9f"
	};
	static const char you[] = "\xe6\x9b\x9c", bi[] = "\xe6\x97\xa5";
	int d, k;

	for (d = 0; d < 7; d++)
		for (k = 0; k < 3; k++)
			if (en[d][k] != NULL && slice_eq_nocase(s, en[d][k]))
				return d;
	if (s.n != 3 && s.n != 6 && s.n != 9)
		return -1;
	for (d = 0; d < 7; d++) {
		if (memcmp(s.p, ja[d], 3) != 0)
			continue;
		if (s.n >= 6 && memcmp(s.p + 3, you, 3) != 0)
			return -1;
		if (s.n == 9 && memcmp(s.p + 6, bi, 3) != 0)
			return -1;
		return d;
	}
	return -1;
}

int
cfg_parse_days(struct config *cfg, struct slice value, uint64_t line,
    unsigned *days)
{
	struct slice rest = value, item, a, b;
	unsigned set = 0;
	int r, from, to;

	while ((r = cfg_next_item(&rest, &item)) == 1) {
		if (split_range(item, &a, &b) != 0) {
			a = b = item;
		}
		if ((from = cfg_parse_weekday(a)) < 0)
			return cfg_fail(cfg, line, "unknown weekday '%s'",
			    cfg_q(cfg, a));
		if ((to = cfg_parse_weekday(b)) < 0)
			return cfg_fail(cfg, line, "unknown weekday '%s'",
			    cfg_q(cfg, b));
		/* "fri-mon" wraps over the weekend. */
		for (;;) {
			set |= 1u << from;
			if (from == to)
				break;
			from = (from + 1) % 7;
		}
	}
	if (r < 0 || set == 0)
		return cfg_fail(cfg, line, "no weekday in '%s'",
		    cfg_q(cfg, value));
	*days = set;
	return 0;
}

int
cfg_parse_when(struct slice s, struct cfg_when *w)
{
	int y, mo, d, h, mi, sec = 0, oh, om;
	size_t i = 16;
	int64_t t;

	if (s.n < 16 || s.p[4] != '-' || s.p[7] != '-' ||
	    (s.p[10] != ' ' && s.p[10] != 'T') || s.p[13] != ':' ||
	    num_parse_digits(s.p, 4, &y) != 0 ||
	    num_parse_digits(s.p + 5, 2, &mo) != 0 ||
	    num_parse_digits(s.p + 8, 2, &d) != 0 ||
	    num_parse_digits(s.p + 11, 2, &h) != 0 ||
	    num_parse_digits(s.p + 14, 2, &mi) != 0)
		return -1;
	if (s.n >= 19 && s.p[16] == ':') {
		if (num_parse_digits(s.p + 17, 2, &sec) != 0 || sec > 59)
			return -1;
		i = 19;
	}
	if ((t = time_utc_seconds(y, mo, d, h, mi, sec)) < 0)
		return -1;
	w->wall = t;
	w->has_off = 0;
	w->off = 0;
	if (i == s.n)
		return 0;
	if (s.n - i == 1 && (s.p[i] == 'Z' || s.p[i] == 'z')) {
		w->has_off = 1;
		return 0;
	}
	if ((s.p[i] != '+' && s.p[i] != '-') || (s.n - i != 6 &&
	    s.n - i != 5))
		return -1;
	if (num_parse_digits(s.p + i + 1, 2, &oh) != 0)
		return -1;
	if (s.n - i == 6) {
		if (s.p[i + 3] != ':' ||
		    num_parse_digits(s.p + i + 4, 2, &om) != 0)
			return -1;
	} else if (num_parse_digits(s.p + i + 3, 2, &om) != 0) {
		return -1;
	}
	if (oh > 23 || om > 59)
		return -1;
	w->has_off = 1;
	w->off = (s.p[i] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
	return 0;
}

int
cfg_parse_duration(struct slice s, uint64_t *v)
{
	uint64_t total = 0, n;
	size_t i = 0, start;

	if (s.n == 0)
		return -1;
	while (i < s.n) {
		uint64_t unit;

		start = i;
		while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9')
			i++;
		if (num_parse_u64(slice_make(s.p + start, i - start),
		    UINT32_MAX, &n) != 0)
			return -1;
		if (i == s.n) {
			/* A bare number is seconds, but not after a unit. */
			if (start != 0)
				return -1;
			unit = 1;
		} else {
			switch (s.p[i++]) {
			case 's': unit = 1; break;
			case 'm': unit = 60; break;
			case 'h': unit = 3600; break;
			case 'd': unit = 86400; break;
			case 'w': unit = 604800; break;
			default: return -1;
			}
		}
		total += n * unit;
	}
	*v = total;
	return 0;
}

/*
 * Whether s looks like a POSIX TZ rule: a name of three or more letters
 * (or <...>) then an offset, then anything built of the rule's bytes.
 */
static int
posix_rule(const char *s)
{
	size_t i = 0, n;

	if (s[0] == '<') {
		const char *gt = strchr(s, '>');
		if (gt == NULL || gt - s < 4)
			return 0;
		i = (size_t)(gt - s) + 1;
	} else {
		while ((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z'))
			i++;
		if (i < 3)
			return 0;
	}
	if (s[i] == '+' || s[i] == '-')
		i++;
	if (s[i] < '0' || s[i] > '9')
		return 0;
	n = strspn(s + i, "0123456789:+-,./<>ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz");
	return s[i + n] == '\0';
}

/* Whether path is a regular file that starts like a tz database file. */
static int
tzif_file(const char *path)
{
	struct stat st;
	char magic[4];
	int fd, ok;

	if ((fd = open(path, O_RDONLY)) < 0)
		return 0;
	ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    read(fd, magic, 4) == 4 && memcmp(magic, "TZif", 4) == 0;
	close(fd);
	return ok;
}

int
cfg_zone_valid(const char *name)
{
	const char *n = name[0] == ':' ? name + 1 : name;
	const char *dir = getenv("TZDIR");
	char path[512];

	if (strcmp(name, "UTC") == 0)
		return 1;
	if (n[0] == '\0' || strlen(n) > 255 || strstr(n, "..") != NULL)
		return 0;
	if (dir == NULL || dir[0] == '\0')
		dir = "/usr/share/zoneinfo";
	if (n[0] == '/')
		snprintf(path, sizeof path, "%s", n);
	else
		snprintf(path, sizeof path, "%s/%s", dir, n);
	/* glibc tries a file first, then a rule ("Etc/GMT+9" is a file). */
	if (tzif_file(path))
		return 1;
	return name[0] != ':' && posix_rule(name);
}

int
cfg_parse_paths(struct config *cfg, struct slice value, uint64_t line,
    struct config_strv *v, int glob)
{
	struct slice rest = value, item;
	const char **out = NULL;
	size_t n = 0, cap = 0;
	int r;

	while ((r = cfg_next_item(&rest, &item)) == 1) {
		if (item.n == 0)
			return cfg_fail(cfg, line, "empty path in '%s'",
			    cfg_q(cfg, value));
		out = cfg_grow(cfg, out, n, &cap, sizeof *out);
		if (out == NULL || (out[n] = cfg_path(cfg, item, line,
		    glob)) == NULL)
			return cfg_fail(cfg, CFG_NOLINE, "out of memory");
		n++;
	}
	if (r < 0)
		return cfg_fail(cfg, line, "unterminated quote in '%s'",
		    cfg_q(cfg, value));
	if (n == 0)
		return cfg_fail(cfg, line, "no path in '%s'",
		    cfg_q(cfg, value));
	v->v = out;
	v->n = n;
	return 0;
}
