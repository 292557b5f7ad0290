/*
 * proxycheck.h: what csm-proxycheck's main.c hands to the per-event logic
 * and what the three rule files (connect.c, useragent.c, upload.c) share.
 */
#ifndef CSM_PROXYCHECK_H
#define CSM_PROXYCHECK_H

#include <stddef.h>
#include <stdint.h>
#include "agg.h"
#include "config.h"
#include "evstream.h"
#include "finding.h"
#include "listfile.h"
#include "outbuf.h"
#include "timeconv.h"

/* The event columns the check reads, in evstream want order. */
enum pc_col {
	PC_LOG, PC_SRC_IP, PC_FORMAT, PC_DST_HOST, PC_DST_IP, PC_DST_PORT,
	PC_ACTION, PC_METHOD, PC_BYTES_OUT, PC_BYTES_IN, PC_USER_AGENT,
	PC_ORIGIN, PC_EXTRA, PC_NCOLS
};
extern const char *const proxycheck_columns[PC_NCOLS];
#define PC_NREQUIRED (PC_SRC_IP + 1)	/* log and src_ip must exist */

/* The rules, as bits of proxycheck.rules. */
enum pc_rule { PC_CONNECT, PC_UA, PC_UPLOAD, PC_NRULES };
extern const char *const proxycheck_rule_names[PC_NRULES];

/* The [proxycheck] keys and their defaults. */
struct pc_tunables {
	struct config_strv rules;	/* rules: which rules run */
	struct config_strv ports;	/* connect-ports */
	uint64_t rare_hosts;		/* rare-hosts: N */
	uint64_t min_org_hosts;		/* min-org-hosts: M */
	uint64_t window_s;		/* upload-window */
	uint64_t upload_mb;		/* upload-mb */
	uint64_t factor;		/* upload-factor */
	uint64_t baseline_windows;	/* baseline-windows */
};

#define PC_NKEYS 8

/* A format seen in the input: whether it logs User-Agents, request sizes. */
#define PC_MAX_FORMATS 16
struct pc_format {
	char name[48];			/* escaped, as in the stream */
	size_t len;			/* strlen(name) */
	uint64_t requests;		/* events with a method */
	uint64_t ua_events;		/* those with a User-Agent */
	int sizes_noted;		/* "no request sizes" said */
};

/*
 * The large-upload table (upload.c): per (source, host) pair and half
 * window one fixed-size bucket, found through an open-addressing index,
 * with the origin of its earliest request kept as (file, line), so that
 * no request costs an allocation of its own.
 */
struct pc_bucket {
	int64_t h, first, last;		/* half window; first and last time */
	uint64_t bytes[3];		/* by kind: body, tunnel, as logged */
	uint64_t count;			/* requests */
	uint64_t oline;			/* origin line; UINT64_MAX: none */
	uint32_t pair, ofile;		/* pair index; origin file index */
};

struct pc_uploads {
	struct agg pairs;		/* "src\thost"; flags: pair index */
	struct agg_entry **pair;	/* by index */
	uint64_t *pair_hash;		/* by index: the key's agg_hash */
	size_t npair, pair_cap;
	struct agg_entry *last_pair;	/* cache: pages come in runs */
	struct agg files;		/* origin files; flags: file index */
	struct agg_entry **file;	/* by index */
	size_t nfile, file_cap;
	struct agg_entry *last_file;	/* cache: events come in runs */
	struct pc_bucket *b;
	size_t nb, bcap;
	uint32_t *slot;			/* index + 1 into b; 0: free */
	size_t scap;
	uint64_t denied;		/* denied POST, PUT, CONNECT */
};

/* What a request's method is to the rules. */
enum pc_method {
	PCM_NONE,			/* none logged: no request was read */
	PCM_CONNECT, PCM_BODY,		/* CONNECT; POST or PUT */
	PCM_OTHER
};

/*
 * One proxy event, its columns checked once for every rule, with the
 * hashes (agg_hash) of the keys the rules look up, as the preparation
 * worked them out; 0: not worked out, the rule hashes the key itself.
 */
struct pc_event {
	struct slice src, host, action, ua, origin;
	int64_t ts_ms;
	int port;			/* -1: none logged */
	int has_out;			/* bytes_out logged */
	uint64_t out, in;
	enum pc_method method;
	int deny;			/* action is "deny" */
	int fmt;			/* index into proxycheck.fmt */
	int ambiguous;			/* extra says ambiguous=1 */
	uint64_t h_connect;		/* connect-port's key */
	uint64_t h_upload, h_bucket;	/* large-upload's pair and bucket */
	uint64_t h_ua, h_ua_pair;	/* user-agent's User-Agent and pair */
};

/*
 * The preparation's words (row->aux, evstream.h). PCX_KIND holds the
 * verdict (enum pc_kind) in its low byte, then the PCF_ flags, the
 * method (enum pc_method) at PCX_METHOD_SHIFT and the port at
 * PCX_PORT_SHIFT; the numbers and hashes follow, 0 when not needed.
 */
enum pc_aux {
	PCX_KIND, PCX_OUT, PCX_IN, PCX_H_CONNECT, PCX_H_UPLOAD, PCX_H_BUCKET,
	PCX_H_UA, PCX_H_UA_PAIR
};

enum pc_kind {
	PCK_SKIP,			/* not a proxy event */
	PCK_NO_TIME, PCK_BAD_SRC, PCK_BAD_PORT, PCK_BAD_OUT, PCK_BAD_IN,
	PCK_OUTSIDE, PCK_PROXY,		/* left out, counted */
	PCK_CHECK			/* to hand to the rules */
};

#define PCF_PORT (1u << 8)		/* dst_port logged */
#define PCF_OUT (1u << 9)		/* bytes_out logged */
#define PCF_DENY (1u << 10)		/* action is "deny" */
#define PCF_AMBIGUOUS (1u << 11)	/* empty ua, extra says ambiguous */
#define PCF_UPPER (1u << 12)		/* the host has upper-case letters */
#define PCX_METHOD_SHIFT 16
#define PCX_PORT_SHIFT 32

/*
 * The look-ahead's ring: the hashes of the last PC_AHEAD rows the hook
 * saw, so that what a slot points to is fetched PC_STEP rows after the
 * slot itself.
 */
#define PC_AHEAD EVROW_AHEAD
#define PC_STEP (PC_AHEAD / 2)
#define PC_NHASH 5	/* PCX_H_CONNECT .. PCX_H_UA_PAIR */

struct pc_memo;

#define PC_SEEN_PAIRS 1024	/* a power of two */

struct proxycheck {
	const struct config *cfg;
	struct pc_tunables t;
	unsigned rules;			/* 1 << enum pc_rule */
	int learn;			/* --learn: inventory, no findings */
	struct outbuf *out;
	struct time_cache tc;
	unsigned char port_ok[65536 / 8];	/* allowed CONNECT ports */

	/* connect-port */
	struct agg connects;		/* (src, host, port, action) */
	uint64_t no_port;		/* CONNECT without a port */

	/* user-agent */
	int have_list;
	struct listfile list;
	struct slice *exact;		/* every list item, sorted */
	size_t nexact;
	const char **patterns;		/* the items with * ? or [ */
	size_t npatterns;
	struct agg uas;			/* per User-Agent; flags: PC_UA_* */
	struct agg pairs;		/* (ua, src[, format]) */
	struct pc_seen_pair {		/* recent pairs by hash (useragent.c) */
		uint64_t h;
		struct agg_entry *e;	/* NULL: none */
	} seen_pair[PC_SEEN_PAIRS];
	char **pair_dst;		/* pairs' earliest destination */
	size_t npair_dst, pair_dst_cap;
	struct agg hosts;		/* sources that sent a User-Agent */

	/* large-upload */
	struct pc_uploads up;

	struct pc_format fmt[PC_MAX_FORMATS];
	int nfmt, last_fmt;

	char *key;			/* scratch for keys, grown */
	size_t key_cap;
	uint64_t proxies, outside;	/* events left out, and why */
	size_t nfindings[PC_NRULES];
	int oom;

	struct pc_memo *memo;		/* the preparation's (prep.c) */
	uint64_t ahead[PC_AHEAD][PC_NHASH];
	unsigned ahead_pos;
};

/* User-Agent entries' flags: the list verdict and the hosts counted. */
#define PC_UA_UNJUDGED 0
#define PC_UA_LISTED 1
#define PC_UA_UNLISTED 2
#define PC_UA_VERDICT(f) ((int)((f) & 3))
#define PC_UA_HOSTS(f) ((f) >> 2)

/*
 * Sets the defaults of t and fills keys (PC_NKEYS rows) with the
 * [proxycheck] table that stores into t.
 */
void proxycheck_keys(struct pc_tunables *t, struct config_key *keys);

/*
 * Applies the tunables after the configuration was read: the rules and
 * the allowed ports into pc. Returns 0, or -1 with err set to the
 * mistake ("bad port '99999' in [proxycheck] connect-ports").
 */
int proxycheck_setup(struct proxycheck *pc, char *err, size_t errcap);

/* Frees what pc holds (not pc->cfg). */
void proxycheck_release(struct proxycheck *pc);

/*
 * The evstream hooks (prep.c): the preparation, in the reading thread,
 * reads pc's settings only and works out all that depends on the event
 * alone into aux (enum pc_aux); the look-ahead prefetches what a coming
 * row's keys will touch. The callback (proxycheck.c) takes one event.
 * pc_memo_new makes the preparation's memory (before reading; -1 when
 * out of memory, and the preparation does without); pc_memo_free frees
 * it.
 */
void proxycheck_prep(const void *arg, const struct evrow *row, uint64_t *aux);
void proxycheck_ahead(void *arg, const uint64_t *aux);
enum line_result proxycheck_event(void *arg, struct evrow *row);
int pc_memo_new(struct proxycheck *pc);
void pc_memo_free(struct proxycheck *pc);

/*
 * The preparation of row into aux with memo (NULL: none, and then no
 * key's hash but the User-Agent's is worked out): proxycheck_prep's work,
 * also for a row that comes without it.
 */
void pc_prep_row(const struct proxycheck *pc, struct pc_memo *memo,
    const struct evrow *row, uint64_t *aux);

/* Writes every finding (or with --learn the inventory); -1: no memory. */
int proxycheck_write(struct proxycheck *pc);

/* Shared by the rules (proxycheck.c). */

/*
 * The n slices joined by TABs in *buf (cap *cap, grown as needed, with
 * room for one byte more), or a NULL slice when out of memory.
 */
struct slice pc_join(char **buf, size_t *cap, const struct slice *parts,
    int n);

/* The key scratch holding the n slices joined by TABs, or NULL. */
struct slice pc_key(struct proxycheck *pc, const struct slice *parts,
    int n);

/*
 * A destination as the rules key it, lower-cased into buf (cap bytes)
 * when needed: see proxycheck.c. pc_event_host: that of row, whose
 * preparation's first word is w (PCF_UPPER: there is something to fold).
 */
#define PC_HOST_KEY_MAX 512	/* longest host name lower-cased */
struct slice pc_host_key(struct slice h, char *buf, size_t cap);
struct slice pc_event_host(const struct evrow *row, uint64_t w, char *buf,
    size_t cap);

/*
 * num_parse_u64 of a field of an evread row, which has EVROW_SLACK
 * readable bytes after it: up to eight digits in one load (prep.c).
 */
int pc_parse_u64(struct slice s, uint64_t max, uint64_t *v);

/* Whether port is an allowed CONNECT port. */
static inline int
pc_port_allowed(const struct proxycheck *pc, int port)
{
	return (pc->port_ok[port / 8] >> (port % 8)) & 1;
}

/*
 * Copies escaped field s, unescaped, into buf; the finding re-escapes.
 * Always a copy (not finding_raw): its callers go on using the result
 * after the memory the field lies in is reused.
 */
struct slice pc_raw(struct slice s, char *buf, size_t cap);

/*
 * host (raw bytes), in brackets when it is an IPv6 address, then ":port"
 * (none when port is -1), into buf (cap bytes, the host cut to fit).
 */
struct slice pc_host_port(char *buf, size_t cap, struct slice host,
    int port);

/* a + b, or UINT64_MAX when that does not fit. */
static inline uint64_t
pc_sat_add(uint64_t a, uint64_t b)
{
	return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

/* Fills the columns every finding of the check has. */
void pc_finding_init(struct finding *fd, const struct agg_entry *e,
    enum pc_rule rule);

/*
 * The rules. Each *_event counts one event (checked, from an internal
 * client) and returns 0, or -1 when out of memory; each *_write writes
 * the rule's findings, sorted by time, after the input, and returns 0 or
 * -1 when out of memory.
 */

/* connect-port (connect.c). */
int pc_connect_event(struct proxycheck *pc, const struct pc_event *ev);
int pc_connect_write(struct proxycheck *pc);

/*
 * user-agent (useragent.c). pc_ua_load reads the list files named by
 * [lists] user-agents (none: the rarity sub-rule) before the input;
 * returns 0, or -1 with err set to "file: reason". pc_ua_learn writes the
 * inventory instead of findings. pc_ua_notes says, after the input, which
 * formats carried no User-Agent at all.
 */
int pc_ua_load(struct proxycheck *pc, char *err, size_t errcap);
int pc_ua_event(struct proxycheck *pc, const struct pc_event *ev);
int pc_ua_write(struct proxycheck *pc);
int pc_ua_learn(struct proxycheck *pc);
void pc_ua_notes(const struct proxycheck *pc);

/*
 * large-upload (upload.c); pc_upload_init and _release: the table.
 * pc_upload_half is the half window of a time; pc_bucket_hash the hash
 * of the bucket index for a pair's key hash and a half window.
 */
int64_t pc_upload_half(const struct proxycheck *pc, int64_t ts_ms);
uint64_t pc_bucket_hash(uint64_t pair_hash, int64_t half);
void pc_upload_init(struct pc_uploads *up);
void pc_upload_release(struct pc_uploads *up);
int pc_upload_event(struct proxycheck *pc, const struct pc_event *ev);
int pc_upload_write(struct proxycheck *pc);

#endif
