/*
 * config.h: the organisation's configuration (csm.conf(5)) that the checks
 * read: internal networks, proxies, egress exceptions, named segments and
 * the matrix of flows permitted between them, business hours, maintenance
 * windows, list files, and each check's own tunables.
 *
 * A program uses it in this order:
 *
 *	cfg = config_new();
 *	config_declare(cfg, "beacon", keys, nkeys);	(its section, if any)
 *	config_setup(cfg, opt.conf, opt.sets, opt.nsets, err, sizeof err)
 *		(that is config_find, config_load, config_set for each --set,
 *		config_finish)
 *	... queries per event ...
 *	config_free(cfg);
 *
 * Every mistake in the file or on the command line is an error naming its
 * source and the bad value ("csm.conf:12: unknown key 'foo' in [hours]",
 * "command line: bad CIDR '10.0.0.0/33'"), written to an error buffer the
 * caller owns (CONFIG_ERR_MAX bytes hold any message whole, values being
 * cut to 72 bytes in messages); nothing is printed.
 * The queries are valid only after config_finish succeeded; each costs
 * O(log n) in the size of the configuration. Times are seconds since the
 * epoch, UTC (divide an event's milliseconds by 1000, rounding down).
 *
 * Not thread-safe while loading: config_finish sets the TZ environment
 * variable for a moment to learn the site's zone, and restores it. The
 * queries only read.
 */
#ifndef CSM_CONFIG_H
#define CSM_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include "ipaddr.h"
#include "slice.h"

#define CONFIG_ERR_MAX 2048	/* room for any message */

struct config;

/* A list of strings owned by the configuration. */
struct config_strv {
	const char *const *v;
	size_t n;
};

/* Allocates an empty configuration (all defaults); NULL when out of memory. */
struct config *config_new(void);

/* Frees cfg and everything it owns, including every string handed out. */
void config_free(struct config *cfg);

/*
 * Chooses the file to load: cflag (the -c option) when not NULL; else
 * $CSM_CONFIG when set and not empty; else the first of ./csm.conf,
 * $XDG_CONFIG_HOME/csm/csm.conf (default ~/.config/csm/csm.conf) and
 * /etc/csm/csm.conf that exists. Returns 1 with the path in buf (size
 * cap); 0 when no file exists (run on defaults); -1 with err set when a
 * file named by -c or CSM_CONFIG does not exist or the path is too long.
 */
int config_find(const char *cflag, char *buf, size_t cap, char *err,
    size_t errcap);

/*
 * Reads the file at path into cfg (once, before any config_set). Values
 * are checked as they are read; references between sections (segment
 * names in [flows] and [maintenance]) are checked by config_finish.
 * Relative paths in the file are taken from the file's directory. Returns
 * 0, or -1 with err set to the first mistake.
 */
int config_load(struct config *cfg, const char *path, char *err,
    size_t errcap);

/*
 * Applies one "section.key=value" assignment (the --set option) over what
 * the file said, with the same checks; named sections are written
 * "segment.NAME.key=value" and "maintenance.NAME.key=value". The value
 * replaces the file's value of that key (lists are not merged). Relative
 * paths are taken from the working directory. Returns 0, or -1 with err
 * set ("command line: ...").
 */
int config_set(struct config *cfg, const char *assignment, char *err,
    size_t errcap);

/*
 * Checks the whole (references, completeness, every declared check
 * section) and builds the lookup tables; call once, after config_load and
 * config_set. Returns 0, or -1 with err set.
 */
int config_finish(struct config *cfg, char *err, size_t errcap);

/*
 * The usual start of a program: config_find(cflag), config_load of what
 * it found (nothing when it found nothing), config_set of each of the
 * nsets assignments, then config_finish. Returns 0, or -1 with err set.
 */
int config_setup(struct config *cfg, const char *cflag,
    char *const *sets, size_t nsets, char *err, size_t errcap);

/* The file loaded, or NULL when running on defaults. */
const char *config_path(const struct config *cfg);

/*
 * Check sections. A check reads its tunables from a section named after
 * it ([beacon], [proxycheck], ...): it declares the keys before
 * config_finish, which checks every value of the section (file and --set)
 * against the table and stores it through dst. A key the table does not
 * know is an error. Sections of other checks are kept unread, so one file
 * serves every program; a section that no check has is an error.
 */
enum config_type {
	CONFIG_BOOL,		/* int *: yes/no, true/false, on/off, 1/0 */
	CONFIG_UINT,		/* uint64_t *: decimal, within [min, max] */
	CONFIG_DURATION,	/* uint64_t *, seconds: 90 90s 15m 2h 7d 1h30m */
	CONFIG_STRING,		/* const char **, owned by the config */
	CONFIG_PATH,		/* const char **, relative to the file */
	CONFIG_LIST,		/* struct config_strv *: words */
	CONFIG_PATHS,		/* struct config_strv *: paths, as PATH */
	CONFIG_GLOBS		/* struct config_strv *: shell globs, as PATH */
};

struct config_key {
	const char *name;	/* "min-events" */
	enum config_type type;
	void *dst;		/* not NULL; untouched unless the key is set */
	uint64_t min, max;	/* UINT, DURATION; max 0: no maximum */
};

/*
 * Declares that this program reads [section] with the n keys of keys[]
 * (which must stay valid while cfg is used: config_key_where reads
 * them). Returns 0, or -1 when the section is one of the core sections or
 * was declared already, or memory runs out.
 */
int config_declare(struct config *cfg, const char *section,
    const struct config_key *keys, size_t n);

/*
 * Where the value of a declared key (the one whose dst is dst) was given,
 * for a program's message about a value it cannot use: "csm.conf:12: " or
 * "command line: " in buf (CONFIG_WHERE_MAX bytes hold any), or "" when
 * the key was not given. Valid after config_finish.
 */
#define CONFIG_WHERE_MAX 320
const char *config_key_where(const struct config *cfg, const void *dst,
    char *buf, size_t cap);

/* [site] */

/* The organisation's name, or "" when not given. */
const char *config_site_name(const struct config *cfg);

/*
 * The site's time zone as written ("Asia/Tokyo"); when not given, the TZ
 * environment variable at config_finish, else "UTC".
 */
const char *config_timezone(const struct config *cfg);

/* A UTC instant as wall-clock time in the site's zone. */
struct config_local {
	int64_t days;		/* days since 1970-01-01 (local date) */
	int year, month, day;	/* month 1-12, day 1-31 */
	int wday;		/* 0 Sunday .. 6 Saturday */
	int minute;		/* minute of the day, 0-1439 */
	int second;		/* 0-59 */
	int32_t offset;		/* seconds east of UTC in force */
};

/*
 * Converts utc into the site's zone. The zone's rules are learned for
 * 1970-2099; outside that range the nearest known offset is used.
 */
void config_local_time(const struct config *cfg, int64_t utc,
    struct config_local *lt);

/* [networks], [egress], [segment NAME] */

/*
 * Whether ip is in [networks] internal (default RFC 1918 and fc00::/7).
 */
int config_is_internal(const struct config *cfg, const struct ipaddr *ip);

/* Whether ip is one of the web proxies of [networks] proxies. */
int config_is_proxy(const struct config *cfg, const struct ipaddr *ip);

/*
 * The label of the [egress] exception holding ip (longest prefix), or
 * NULL.
 */
const char *config_egress_label(const struct config *cfg,
    const struct ipaddr *ip);

#define CONFIG_NO_SEGMENT (-1)

/*
 * The segment holding ip, by longest prefix: an index from 0 in the order
 * segments were first defined, or CONFIG_NO_SEGMENT.
 */
int config_segment_of(const struct config *cfg, const struct ipaddr *ip);

/* The number of segments. */
int config_segment_count(const struct config *cfg);

/* The name of segment seg, or NULL for CONFIG_NO_SEGMENT or out of range. */
const char *config_segment_name(const struct config *cfg, int seg);

/* The description of segment seg, or "" when none was given. */
const char *config_segment_description(const struct config *cfg, int seg);

/* The index of the segment called name, or CONFIG_NO_SEGMENT. */
int config_segment_find(const struct config *cfg, const char *name);

/* [flows] */

/*
 * Whether [flows] permits traffic from segment from to segment to (either
 * may be CONFIG_NO_SEGMENT, which only '*' rules match) with protocol
 * proto as logged ("tcp", "UDP", "icmp", "icmpv6", "47", ...) and
 * destination port port (-1 when unknown: then only a rule permitting
 * every port of the protocol matches). Deny by default: traffic no rule
 * names is not permitted, inside one segment too.
 */
int config_flow_permitted(const struct config *cfg, int from, int to,
    struct slice proto, int port);

/* [hours] */

/* A range of minutes of a day, [start, end); end < start crosses midnight. */
struct config_range {
	int start, end;		/* 0-1439, end 1-1440 */
};

struct config_hours {
	unsigned days;		/* bit d: weekday d (0 Sunday) is worked */
	const struct config_range *r[7];	/* each weekday's ranges */
	size_t n[7];
	int japan_holidays;	/* use the built-in Japanese calendar */
	struct config_strv holiday_files;	/* resolved paths */
};

/* The business hours. */
const struct config_hours *config_hours(const struct config *cfg);

/*
 * Whether a local time (lt from config_local_time) is inside business
 * hours. The caller says whether that local date and the one before are
 * holidays (national or company), since a range crossing midnight belongs
 * to the day it starts on.
 */
int config_hours_open(const struct config *cfg, const struct config_local *lt,
    int holiday_today, int holiday_yesterday);

/* [maintenance NAME] */

/*
 * The name of a maintenance window covering address ip at utc (hosts
 * given as addresses, networks or segments; no hosts means every host),
 * or NULL.
 */
const char *config_in_maintenance(const struct config *cfg, int64_t utc,
    const struct ipaddr *ip);

/* Whether any maintenance window is configured (so a look can be saved). */
int config_has_maintenance(const struct config *cfg);

/*
 * The name of a maintenance window that excuses an action by the account
 * actor (raw bytes; empty when the log names nobody) on a host at utc, or
 * NULL: a window covering the host (ip; NULL for a host known only by
 * name, which only a window for every host covers) that either has no
 * operators or names actor among them, compared as acct_eq does
 * ("CORP\alice" is "ALICE"). config_in_maintenance ignores operators.
 */
const char *config_maintenance_excuses(const struct config *cfg,
    int64_t utc, const struct ipaddr *ip, struct slice actor);

/* [lists] */

enum config_list {
	CONFIG_LIST_USER_AGENTS,	/* user-agents: approved User-Agents */
	CONFIG_LIST_ADMINS,		/* admins: administrator accounts */
	CONFIG_LIST_IOC,		/* ioc: indicator files */
	CONFIG_LIST_PROTECTED_NAMES,	/* protected-names: names to guard */
	CONFIG_LIST_COUNT
};

/* The paths given for a [lists] key (resolved; n is 0 when none). */
const struct config_strv *config_list_paths(const struct config *cfg,
    enum config_list which);

#endif
