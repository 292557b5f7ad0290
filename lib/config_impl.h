/*
 * config_impl.h: the inside of struct config, shared by config.c (loading,
 * --set, errors, memory) and the files that own one part of the model:
 * config_value.c (value syntax), config_net.c (networks, egress,
 * segments), config_flows.c, config_time.c (zone and hours),
 * config_maint.c (maintenance windows) and config_check.c ([lists] and
 * the check sections). Not for use outside config*.c.
 */
#ifndef CSM_CONFIG_IMPL_H
#define CSM_CONFIG_IMPL_H

#include <stdarg.h>
#include "config.h"

#define CFG_CMDLINE 0			/* line of a --set value */
#define CFG_NOLINE UINT64_MAX		/* a message with no source */
#define CFG_ANY (-2)			/* '*' in [flows] */

enum cfg_sect {
	SECT_SITE, SECT_NETWORKS, SECT_EGRESS, SECT_SEGMENT, SECT_FLOWS,
	SECT_HOURS, SECT_MAINT, SECT_LISTS, SECT_CHECK
};

/* One CIDR block as written. plen counts IPv4 as 96 + its length. */
struct cfg_cidr {
	struct ipaddr lo, hi;
	int plen;
	const char *text;
};

/* The CIDR list of one key and where it was given. */
struct cfg_nets {
	struct cfg_cidr *v;
	size_t n;
	uint64_t line;
	int given;
};

/* Disjoint sorted address intervals, each with its longest prefix's value. */
struct cfg_iv {
	struct ipaddr lo, hi;
	int val;
};

struct cfg_pfxmap {
	struct cfg_iv *iv;
	size_t n;
};

struct cfg_egress {
	const char *label;
	struct cfg_nets nets;
};

struct cfg_segment {
	const char *name;
	const char *desc;
	uint64_t line;			/* of its header, or CFG_CMDLINE */
	struct cfg_nets nets;
};

/* One protocol and port range of a [flows] rule. */
struct cfg_svc {
	int proto;			/* IP protocol number */
	int lo, hi;			/* 0-65535 */
};

struct cfg_flow {
	const char *from, *to;		/* names as written, "*" */
	int fi, ti;			/* segment index or CFG_ANY */
	int any;			/* the rule permits every service */
	struct cfg_svc *svc;		/* sorted, merged */
	size_t nsvc;
	uint64_t line;
};

/* UTC offsets of the site's zone: off[i] is in force from t[i] on. */
struct cfg_zone {
	int64_t *t;
	int32_t *off;
	size_t n;
};

/* What [hours] said, composed into struct config_hours at the finish. */
struct cfg_hours_src {
	unsigned days;
	struct config_range *r;
	size_t n;
	struct cfg_day {
		int given;
		struct config_range *r;	/* none: closed */
		size_t n;
	} day[7];
	int japan;
	struct config_strv files;
};

/* A date and time of a window as written. */
struct cfg_when {
	int given;
	int has_off;			/* an explicit Z or +hh:mm */
	int64_t wall;			/* wall clock as if UTC, seconds */
	int32_t off;
	const char *text;
	uint64_t line;
};

/* A weekly or monthly recurrence, in local wall-clock minutes. */
struct cfg_recur {
	int nth;			/* 0 weekly; 1-5 or -1 (last) monthly */
	int wday;			/* start weekday, 0 Sunday */
	int minute;			/* start minute of the day */
	int len;			/* minutes, 1 to 7 days */
};

struct cfg_window {
	const char *name;
	const char *desc;
	uint64_t line;
	struct cfg_when start, end;
	int64_t ustart, uend;		/* resolved; open ends are extremes */
	struct cfg_recur *weekly, *monthly;
	size_t nweekly, nmonthly;
	int hosts_given;
	uint64_t hosts_line;
	struct cfg_nets nets;
	const char **segname;
	int *seg;
	size_t nseg;
	struct cfg_pfxmap map;
	const char **operators;		/* accounts; none: anyone */
	size_t noperators;
};

/* A [lists] key. */
struct cfg_paths {
	struct config_strv v;
	uint64_t line;
};

/* A key of a check section, kept as written until the check declares it. */
struct cfg_raw {
	const char *section;
	const char *key;
	const char *value;
	uint64_t line;
};

struct cfg_decl {
	const char *section;
	const struct config_key *keys;
	size_t n;
};

struct cfg_block;

struct config {
	struct cfg_block *mem;		/* everything below lives here */
	char *err;			/* the caller's buffer, this call */
	size_t errcap;
	char qbuf[4][320];		/* escaped values for a message */
	int qnext;
	const char *path;		/* the file loaded, or NULL */
	const char *dir;		/* its directory, "" for the cwd */
	int loaded, finished;
	size_t nsets;			/* config_set calls so far */

	const char *site_name;
	const char *tz;
	uint64_t tz_line;
	struct cfg_zone zone;

	struct cfg_nets internal, proxies;
	struct cfg_pfxmap internal_map, proxy_map;

	struct cfg_egress *egress;
	size_t negress, egress_cap;
	struct cfg_pfxmap egress_map;

	struct cfg_segment *seg;
	size_t nseg, seg_cap;
	struct cfg_pfxmap seg_map;

	struct cfg_flow *flow;
	size_t nflow, flow_cap;

	struct cfg_hours_src hsrc;
	struct config_hours hours;

	struct cfg_window *win;
	size_t nwin, win_cap;
	size_t *once;			/* one-off windows by start */
	int64_t *once_maxend;		/* running maximum of their ends */
	size_t nonce;
	size_t *recurring;
	size_t nrecurring;

	struct cfg_paths lists[CONFIG_LIST_COUNT];

	struct cfg_raw *raw;
	size_t nraw, raw_cap;
	struct cfg_decl *decl;
	size_t ndecl, decl_cap;
};

/* config.c: memory, messages, paths */

/* Zeroed memory from the configuration's arena; NULL when out of memory. */
void *cfg_alloc(struct config *cfg, size_t n);

/* A NUL-terminated copy of s in the arena, or NULL. */
char *cfg_strdup(struct config *cfg, struct slice s);

/*
 * Makes room for element n of the array v (elements of size sz, room for
 * *cap), copying it into a larger arena block when full. Returns the
 * array, perhaps moved, or NULL when out of memory.
 */
void *cfg_grow(struct config *cfg, void *v, size_t n, size_t *cap,
    size_t sz);

/*
 * Writes the place of line, "file:line: " ("command line: ", or nothing
 * for CFG_NOLINE), into buf of cap bytes; its length.
 */
size_t cfg_place(const struct config *cfg, uint64_t line, char *buf,
    size_t cap);

/*
 * Writes "file:line: message" (or "command line: message", or only the
 * message for CFG_NOLINE) to the caller's error buffer. Returns -1.
 */
int cfg_fail(struct config *cfg, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* s escaped for a message, in one of four rotating buffers of cfg. */
const char *cfg_q(struct config *cfg, struct slice s);

/* cfg_q of a C string. */
const char *cfg_qs(struct config *cfg, const char *s);

/*
 * path made absolute against the file's directory (line other than
 * CFG_CMDLINE) or kept as given (command line); in the arena, or NULL.
 * For a glob with a pattern character, the directory's are escaped.
 */
const char *cfg_path(struct config *cfg, struct slice path, uint64_t line,
    int glob);

/* Points the messages of this call at the caller's buffer err. */
void cfg_begin(struct config *cfg, char *err, size_t errcap);

/*
 * The section kind of a header's first word (any case); *named says
 * whether it takes a name. SECT_CHECK for a word csm does not know.
 */
int cfg_sect_lookup(struct slice type, int *named);

/* The name of a core section kind, for messages. */
const char *cfg_sect_name(enum cfg_sect sect);

/*
 * A section as a message shows it: "[hours]", "[segment clients]",
 * "[beacon]" (escaped, in a rotating buffer like cfg_q).
 */
const char *cfg_where(struct config *cfg, int sect, struct slice sname);

/*
 * Applies one key of a section (sname: the name of a [segment] or
 * [maintenance], the word of a check's section). A NULL key.p announces
 * the section's header. Returns 0 or -1 (message set).
 */
int cfg_apply(struct config *cfg, int sect, struct slice sname,
    struct slice key, struct slice value, uint64_t line);

/* config_value.c: the syntax of values */

/*
 * The next item of a list: items are separated by white space or commas;
 * "double quotes" keep both inside one item. Returns 1 with *item set, 0
 * at the end, -1 for an unterminated quote.
 */
int cfg_next_item(struct slice *rest, struct slice *item);

/*
 * Whether s is fit for the name of a segment, window or egress label:
 * ASCII letters, digits, '-' and '_' (not first), and any UTF-8 letters.
 */
int cfg_name_valid(struct slice s);

/* yes/no, true/false, on/off, 1/0 (any case): 0 or -1. */
int cfg_parse_bool(struct slice s, int *v);

/* "addr" or "addr/len": 0; -1 bad text; -2 host bits set. */
int cfg_parse_cidr(struct slice s, struct cfg_cidr *c);

/*
 * A list of CIDR blocks into *nets (replacing it) for a key of a section
 * (both for messages); allow_private admits the word "private" for the
 * RFC 1918 and fc00::/7 blocks. Returns 0 or -1 (message set).
 */
int cfg_parse_nets(struct config *cfg, struct slice value, uint64_t line,
    struct cfg_nets *nets, int allow_private);

/* "H:MM" or "HH:MM" (24:00 allowed when end is set): minutes or -1. */
int cfg_parse_clock(struct slice s, int end);

/*
 * "HH:MM-HH:MM" (a dash or a wave dash between; the end may be 24:00 and
 * before the start, crossing midnight): 0 or -1 (message set).
 */
int cfg_parse_range(struct config *cfg, struct slice s, uint64_t line,
    struct config_range *r);

/* A list of time ranges into a new array: 0 or -1 (message set). */
int cfg_parse_ranges(struct config *cfg, struct slice value, uint64_t line,
    struct config_range **r, size_t *n);

/*
 * A weekday, English (mon, monday) or Japanese (月, 月曜, 月曜日): 0
 * (Sunday) to 6, or -1.
 */
int cfg_parse_weekday(struct slice s);

/*
 * A list of weekdays and ranges of them ("mon-fri sat", "月-金") into a
 * bit set. Returns 0 or -1 (message set).
 */
int cfg_parse_days(struct config *cfg, struct slice value, uint64_t line,
    unsigned *days);

/*
 * "YYYY-MM-DD HH:MM[:SS]" (or a T between), optionally followed by Z or
 * +hh:mm. Returns 0 or -1.
 */
int cfg_parse_when(struct slice s, struct cfg_when *w);

/* 90, 90s, 15m, 2h, 7d, 1h30m: seconds into *v; 0 or -1. */
int cfg_parse_duration(struct slice s, uint64_t *v);

/*
 * Whether name is a zone time_zone_set would take: "UTC", a POSIX rule
 * ("JST-9"), or a file of the tz database.
 */
int cfg_zone_valid(const char *name);

/*
 * A list of paths (globs when glob is set), resolved with cfg_path, into
 * *v. Returns 0 or -1 (message set).
 */
int cfg_parse_paths(struct config *cfg, struct slice value, uint64_t line,
    struct config_strv *v, int glob);

/* config_net.c */

/* Applies a key of [networks], [egress] or [segment name]: 0 or -1. */
int cfg_net_apply(struct config *cfg, enum cfg_sect sect, struct slice name,
    struct slice key, struct slice value, uint64_t line);

/* Checks segments and egress and builds the address maps: 0 or -1. */
int cfg_net_finish(struct config *cfg);

/* The segment called name, or CONFIG_NO_SEGMENT. */
int cfg_segment_lookup(const struct config *cfg, struct slice name);

/*
 * Builds a map from the n CIDR lists lists[i] (value i); identical blocks
 * in two lists are an error naming the kind ("segment") of the owners.
 * Returns 0 or -1.
 */
int cfg_map_build(struct config *cfg, struct cfg_pfxmap *map,
    struct cfg_nets *const *lists, const char *const *owners, size_t n,
    const char *kind);

/* The value of ip in map, or -1. */
int cfg_map_lookup(const struct cfg_pfxmap *map, const struct ipaddr *ip);

/* config_flows.c */

/* Applies a [flows] key: 0 or -1. */
int cfg_flow_apply(struct config *cfg, struct slice key, struct slice value,
    uint64_t line);

/* Resolves segment names and sorts the rules: 0 or -1. */
int cfg_flow_finish(struct config *cfg);

/* config_time.c */

/* Applies a [hours] key: 0 or -1. */
int cfg_hours_apply(struct config *cfg, struct slice key, struct slice value,
    uint64_t line);

/* Composes the business hours: 0 or -1. */
int cfg_hours_finish(struct config *cfg);

/* Learns the site zone's offsets: 0 or -1. */
int cfg_zone_finish(struct config *cfg);

/*
 * The UTC instants whose wall-clock time in the site zone is wall: 0 (a
 * gap, as when clocks go forward), 1 or 2 (an overlap), earliest first.
 */
int cfg_zone_to_utc(const struct config *cfg, int64_t wall, int64_t out[2]);

/* config_maint.c */

/* Applies a key of [maintenance name]: 0 or -1. */
int cfg_maint_apply(struct config *cfg, struct slice name, struct slice key,
    struct slice value, uint64_t line);

/* Resolves hosts and times, and indexes the windows: 0 or -1. */
int cfg_maint_finish(struct config *cfg);

/* config_check.c */

/* Applies a [lists] key: 0 or -1. */
int cfg_lists_apply(struct config *cfg, struct slice key, struct slice value,
    uint64_t line);

/* Keeps a key of a check section for config_finish: 0 or -1. */
int cfg_check_apply(struct config *cfg, struct slice section,
    struct slice key, struct slice value, uint64_t line);

/* Checks every check section against the declarations: 0 or -1. */
int cfg_check_finish(struct config *cfg);

#endif
