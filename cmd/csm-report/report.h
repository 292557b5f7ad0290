/*
 * report.h: what the parts of csm-report share: the findings as read
 * (model.c), the allowlist (allow.c), the day-by-day history (history.c),
 * the language tables (i18n.c), display widths (textcol.c), and the four
 * writers (report_text.c, report_html.c with report_svg.c, report_json.c,
 * report_tsv.c).
 */
#ifndef CSM_REPORT_H
#define CSM_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "evstream.h"
#include "finding.h"
#include "ipaddr.h"
#include "outbuf.h"
#include "slice.h"

/* One finding. Text columns hold canonical escaped text (esc_tsv). */
struct rfind {
	int64_t ts, ts_last;		/* UTC milliseconds */
	int sev;			/* 0 info .. 4 critical */
	int score;			/* thousandths, 0-1000 */
	uint64_t count, bytes;
	struct slice f[FD_NCOLS];	/* ts, ts_last, severity, score, count
					 * and bytes unused */
	int allow;			/* allow rule that matched, or -1 */
	int is_new;			/* (check, host) new versus history */
	char text[];			/* the columns' bytes */
};

/* A list of findings. */
struct store {
	struct rfind **v;
	size_t n, cap;
};

/* The allowlist: check, rule, source and destination patterns. */
struct allow_rule {
	char *pat[4];			/* check, rule, src, dst globs */
	int src_cidr, dst_cidr;		/* pat[2], pat[3] are addresses */
	struct cidr_set src_set, dst_set;
	char *reason;			/* escaped as esc_tsv */
	const char *file;
	uint64_t line;
};

struct allowlist {
	struct allow_rule *r;
	size_t n;
};

#define HIST_MAX_DAYS 14

/* Previous days read from --history. */
struct history {
	const char *dir;
	int ndays;			/* --history-days */
	int64_t day;			/* the report date, days since 1970 */
	int any;			/* some earlier day has a file */
	int have[HIST_MAX_DAYS];	/* day - ndays + i has a file */
	struct store day_store[HIST_MAX_DAYS];
};

/* A section: the findings of one check, or of one host. */
struct rgroup {
	struct slice key;
	struct rfind **v;		/* shown findings, most severe first */
	size_t n;
	uint64_t sev[5];
	int maxsev;
	int is_new;			/* none under key on earlier days */
	long trend[HIST_MAX_DAYS];	/* findings per earlier day; -1:
					 * no file that day */
	struct slice clause[8];		/* distinct clauses, first 8 */
	size_t nclause;
	uint64_t stage[8];		/* per stage index of i18n_stage */
};

/* A row of the summary table: one (check, clause). */
struct srow {
	struct slice check, clause;
	uint64_t sev[5], total;
};

enum report_form { FORM_TEXT, FORM_HTML, FORM_JSON, FORM_TSV };
enum report_lang { LANG_EN, LANG_JA };

/* Lines of --notes files: what the stages before the report said. */
struct notes {
	char **v;			/* kept lines, raw bytes */
	size_t n;
	uint64_t more;			/* lines over the limit, not kept */
};

/* The [report] section; NULL or 0 where the file says nothing. */
struct rconf {
	const char *lang, *min_sev, *group_by;
	const char *allow, *history;
	uint64_t top, history_days;
};

#define RCONF_NKEYS 7

/* Which options the command line gave: they override [report]. */
enum rconf_given {
	GIVEN_LANG = 1, GIVEN_MIN_SEV = 2, GIVEN_TOP = 4, GIVEN_GROUP_BY = 8,
	GIVEN_ALLOW = 16, GIVEN_HISTORY = 32, GIVEN_HISTORY_DAYS = 64
};

struct report {
	const struct config *cfg;
	int lang;
	int form;
	int min_sev;
	size_t top;			/* 0: every finding */
	int by_host;			/* --group-by host */
	const char *date_opt;		/* --date, or NULL */
	struct allowlist allow;
	struct history hist;
	int use_history;
	struct notes notes;		/* --notes */

	struct store all;		/* today's, de-duplicated and sorted */
	struct store *load;		/* where model_row puts findings */
	uint64_t read, dups, below;
	uint64_t rejected;		/* input lines rejected */
	int64_t day;			/* report date, days since 1970 */
	int have_day;
	char date[11];			/* the report date, YYYY-MM-DD */

	struct rfind **shown;		/* passing the filters */
	size_t nshown;
	struct rfind **supp;		/* suppressed by the allowlist */
	size_t nsupp;
	struct rgroup *groups;		/* sections */
	size_t ngroups;
	struct rgroup *checks;		/* per check (summary, trend), then
					 * those seen on earlier days only */
	size_t nchecks, ntoday_checks;
	struct rgroup *hosts;		/* per host (trend) */
	size_t nhosts;
	struct rfind **checks_base;	/* the arrays the groups point in */
	struct rfind **hosts_base;
	struct srow *rows;		/* summary table */
	size_t nrows;
	int64_t first_ts, last_ts;	/* over shown findings */
	int oom;
};

/* model.c */

/* The columns read, in evstream want order; the first two required. */
extern const char *const model_columns[];
extern const int model_ncolumns, model_nrequired;

/* The evstream callback: one finding into r->load. */
enum line_result model_row(void *arg, struct evrow *row);

/*
 * Sorts st in stream order (ts, then the other columns) and drops exact
 * duplicates; returns how many were dropped.
 */
uint64_t model_dedup(struct store *st);

/*
 * Applies --min-severity and the allowlist, marks new findings against
 * the history, and builds the sections, the summary rows and the trends.
 * Returns 0, or -1 when out of memory.
 */
int model_build(struct report *r);

/* The section key of f under the grouping: check, or host. */
struct slice model_host(const struct rfind *f);

/*
 * Whether f passes --min-severity and is not allowlisted; sets f->allow
 * to the allow rule that took it (-1 for none).
 */
int model_shown(struct report *r, struct rfind *f);

/* Frees what st holds. */
void store_release(struct store *st);

/* Frees everything model_build made and the findings. */
void model_release(struct report *r);

/* Parses a --date, YYYY-MM-DD, into days since 1970; 0 or -1. */
int model_parse_date(const char *s, int64_t *days);

/*
 * Sets the report date: --date, else the local day of the latest
 * finding; none when there is neither.
 */
void model_date(struct report *r);

/* Local time of utc milliseconds in the site's zone. */
void model_local(const struct report *r, int64_t ms,
    struct config_local *lt);

/* allow.c */

/*
 * Loads the allowlist file at path. Returns 0, or -1 with err set to
 * "file:line: reason".
 */
int allow_load(struct allowlist *al, const char *path, char *err,
    size_t errcap);

/* The index of the first rule matching f, or -1. */
int allow_match(struct allowlist *al, const struct rfind *f);

/* Frees the rules. */
void allow_release(struct allowlist *al);

/* history.c */

/*
 * Chooses the report date (--date, else the local day of the latest
 * finding) and reads the earlier days' files. Returns the worst exit
 * status of reading them.
 */
int history_load(struct report *r, uint64_t max_errors);

/*
 * Writes today's findings as DIR/YYYY-MM-DD.tsv (atomically). Returns 0,
 * or -1 after printing why.
 */
int history_save(struct report *r);

/* i18n.c */

enum msg {
	M_TITLE, M_REPORT_DATE, M_PERIOD, M_NONE, M_SUMMARY, M_TOTAL,
	M_CHECK, M_ITEM, M_TERM, M_SUPPRESSED, M_REJECTED, M_STAGES,
	M_NEW, M_TREND, M_TREND_NOTE, M_HOSTS, M_HOST, M_FINDINGS,
	M_ALLOWED, M_TIMELINE, M_HEATMAP, M_HEAT_NONE, M_ORIGINS,
	M_FILE, M_LINES, M_SEVERITY, M_TIME, M_SRC, M_USER, M_DST,
	M_COUNT, M_BYTES, M_RULE, M_CLAUSE, M_STAGE, M_REASON, M_ORIGIN,
	M_NO_HISTORY, M_DUPS, M_SORT_HINT, M_BY_HOST, M_NCHECKS,
	M_LEGEND1, M_LEGEND2, M_ALLOW_FILE, M_NOTES, M_NMSG
};

/* The text of m in lang (UTF-8, no markup). */
const char *i18n(int lang, enum msg m);

/* Severity name 0-4 in lang; short names for narrow columns. */
const char *i18n_sev(int lang, int sev, int shortname);

#define I18N_NSTAGES 7

/* The stage index (0 recon .. 6 objectives) of a stage column, or -1. */
int i18n_stage_index(struct slice stage);

/* The stage's name in lang. */
const char *i18n_stage(int lang, int idx);

/* The guideline's wording of a clause ("19.1.2 fw-1"), or NULL. */
const char *i18n_clause(int lang, struct slice clause);

/* The short item of a clause: "fw-1" for "19.1.2 fw-1". */
struct slice i18n_item(struct slice clause);

/* Weekday 0 Sunday .. 6 Saturday, short. */
const char *i18n_wday(int lang, int wday);

/* rconf.c */

/* Fills k[RCONF_NKEYS] with the [report] keys, stored in rc (cleared). */
void rconf_keys(struct rconf *rc, struct config_key *k);

/*
 * Applies what [report] says to r and *allow, except where the command
 * line gave the option (given, a set of GIVEN_ bits). Returns 0, or -1
 * with err set to the bad value and where in cfg it was given.
 */
int rconf_apply(const struct rconf *rc, const struct config *cfg,
    unsigned given, struct report *r, const char **allow, char *err,
    size_t errcap);

/* notes.c */

/*
 * Reads the lines of a --notes file into nt, blank lines left out, at
 * most NOTES_MAX lines in all (the rest counted). Returns 0, or -1 after
 * printing why the file could not be read.
 */
int notes_load(struct notes *nt, const char *path);

#define NOTES_MAX 200

/* Frees the lines. */
void notes_release(struct notes *nt);

/* The notes as the text report's last section (nothing when none). */
void notes_text(const struct report *r, struct outbuf *ob);

/* The notes as a section of the HTML page (nothing when none). */
void notes_html(const struct report *r, struct outbuf *ob);

/* textcol.c */

/*
 * Length of the valid UTF-8 sequence at p (left bytes, left > 0) with its
 * code point in *cp; 0 when p does not start one.
 */
size_t utf8_seq(const char *p, size_t left, uint32_t *cp);

/*
 * Terminal columns of s as textcol_put writes it: 2 for East Asian Wide
 * and Fullwidth, 0 for combining marks, 6 or 7 for an invisible character
 * shown as \uXXXX (esc_is_invisible), else 1 (any locale: the table is
 * our own).
 */
size_t textcol_width(struct slice s);

/*
 * Writes s to dst for a terminal, its invisible characters shown as
 * \uXXXX: dst needs room for 3 * s.n bytes (U+061C: 2 bytes, 6 shown).
 * Returns the length.
 */
size_t textcol_put(char *dst, struct slice s);

/* Bytes of the longest prefix of s that fits in cols; *w its width. */
size_t textcol_prefix(struct slice s, size_t cols, size_t *w);

/* Bytes where the longest suffix of s that fits in cols starts. */
size_t textcol_suffix(struct slice s, size_t cols, size_t *w);

/*
 * The writers: each writes the whole report of r (after model_build) to
 * ob and returns 0, or -1 when out of memory (the output is then
 * incomplete). Write errors stay in ob for the caller's flush.
 */
int report_text(struct report *r, struct outbuf *ob);
int report_html(struct report *r, struct outbuf *ob);
int report_json(struct report *r, struct outbuf *ob);
int report_tsv(struct report *r, struct outbuf *ob);

/*
 * Writes one finding as a findings stream record (also the history); tc
 * caches the last second formatted.
 */
void report_tsv_row(struct outbuf *ob, const struct rfind *f,
    struct time_cache *tc);

/*
 * report_svg.c: the inline SVG of the HTML report. The timeline of the
 * shown findings per local hour (sets r->oom when out of memory); the
 * weekday by hour heat map of off-hours findings (or a line saying there
 * are none); and a small bar chart of n earlier days (v, -1 for none)
 * and today.
 */
void svg_timeline(struct report *r, struct outbuf *ob);
void svg_heatmap(struct report *r, struct outbuf *ob);
void svg_spark(struct outbuf *ob, const long *v, int n, long today);

#endif
