/*
 * ioc.h: a set of threat-intelligence indicators (addresses, networks,
 * domains, URLs, e-mail addresses) built once from indicator lists and
 * asked about every event. Each indicator keeps its source and tag for
 * the finding. Lookups cost O(1) for addresses, domains (per label),
 * URLs (per path segment) and e-mail addresses, and O(log n) for
 * networks; loading a million indicators takes about a second.
 *
 * Use: ioc_new; ioc_load_suffixes (optional); ioc_add, or ioc_load_file
 * of ioc_load.c, for every list; ioc_finish once; the ioc_match_*
 * queries; ioc_free. Nothing here prints or exits.
 */
#ifndef CSM_IOC_H
#define CSM_IOC_H

#include <stddef.h>
#include <stdint.h>
#include "ipaddr.h"
#include "slice.h"

/* What an indicator is, once loaded; also the rule of its findings. */
enum ioc_kind {
	IOC_ADDR,		/* one address, maybe with a port */
	IOC_NET,		/* a CIDR block */
	IOC_DOMAIN,		/* a name and every name under it */
	IOC_URL,		/* a URL and every URL under it */
	IOC_EMAIL,		/* one e-mail address */
	IOC_NKINDS
};

/* "ip", "cidr", "domain", "url", "email". */
extern const char *const ioc_kind_names[IOC_NKINDS];

/* What a list declares a value to be (its type column, or nothing). */
enum ioc_decl {
	IOC_DECL_AUTO,		/* guess from the text (plain lists) */
	IOC_DECL_ADDR,		/* an address or a CIDR block */
	IOC_DECL_ADDR_PORT,	/* "addr:port", "[v6]:port" or "addr|port" */
	IOC_DECL_DOMAIN,	/* a host or domain name ("*.x" is x) */
	IOC_DECL_URL,		/* a URL, with or without its scheme */
	IOC_DECL_EMAIL		/* an e-mail address */
};

/* The attack stage a list gives an indicator (ThreatFox threat_type). */
enum ioc_stage {
	IOC_STAGE_NONE,		/* the check decides by the kind of log */
	IOC_STAGE_DELIVERY,	/* a site that hands out malware */
	IOC_STAGE_C2		/* a command-and-control server */
};

/* What a list says about one indicator beside its value. */
struct ioc_meta {
	struct slice source;	/* the list's own source, else its file */
	struct slice tag;	/* threat type, malware, tags, comment */
	int severity;		/* 0-4 (finding.h), -1: not given (high) */
	int confidence;		/* 0-100, -1: not given */
	enum ioc_stage stage;
};

/* One indicator as the check reports it. */
struct ioc_info {
	enum ioc_kind kind;
	struct slice source, tag;	/* raw bytes, not escaped */
	int severity;			/* 0-4: the highest any list gave */
	int confidence;			/* 0-100, or -1 */
	enum ioc_stage stage;
};

/* Results of ioc_add. */
#define IOC_ADDED 0		/* a new indicator */
#define IOC_MERGED 1		/* already in the set: merged into it */
#define IOC_LOW 2		/* below the set's minimum confidence */
#define IOC_UNUSED 3		/* a kind no log shows (a file hash) */
#define IOC_BAD (-1)		/* not a usable indicator: why is set */
#define IOC_NOMEM (-2)		/* out of memory, or the set is full */

struct ioc_set;

/* An empty set; NULL when out of memory. */
struct ioc_set *ioc_new(void);

/* Frees the set and everything it owns. */
void ioc_free(struct ioc_set *s);

/*
 * Indicators with a confidence below min (0-100) are left out (IOC_LOW);
 * those without a confidence are kept.
 */
void ioc_set_min_confidence(struct ioc_set *s, int min);

/*
 * Adds the public suffixes of a Public Suffix List file (the
 * publicsuffix.org format: one rule a line, "//" comments, "*." and "!"
 * rules) to those built in. A domain indicator that is a public suffix
 * ("com", "co.jp", "github.io") would match every name registered under
 * it, so ioc_add refuses it. Returns 0, or -1 with err set ("path:
 * reason") when the file cannot be read.
 */
int ioc_load_suffixes(struct ioc_set *s, const char *path, char *err,
    size_t errcap);

/* Whether name (lower case, no trailing dot) is a public suffix. */
int ioc_is_public_suffix(const struct ioc_set *s, struct slice name);

/*
 * Adds one indicator: value (raw bytes, white space around it ignored;
 * defanged text such as "hxxp://evil[.]example" is accepted) declared as
 * decl, with its meta. A value already in the set is merged: the first
 * list's source and tag stay, the severity becomes the higher. Returns
 * IOC_ADDED, IOC_MERGED, IOC_LOW, IOC_BAD with why (size whycap) set to
 * a message quoting the value, IOC_UNUSED for a file hash in a plain list,
 * or IOC_NOMEM. Only before ioc_finish.
 */
int ioc_add(struct ioc_set *s, enum ioc_decl decl, struct slice value,
    const struct ioc_meta *meta, char *why, size_t whycap);

/*
 * Builds the network lookup; call once after the last ioc_add. Returns 0,
 * or -1 when out of memory.
 */
int ioc_finish(struct ioc_set *s);

/* Number of indicators of kind k (IOC_NKINDS: all of them). */
size_t ioc_count(const struct ioc_set *s, enum ioc_kind k);

/* One match: which indicator, and whether the value itself is listed. */
struct ioc_hit {
	uint32_t id;
	int exact;	/* 0: a parent domain, a URL prefix or a network */
};

/*
 * The queries. Each writes at most max hits (each indicator once) to
 * out and returns how many; values are raw bytes as logged.
 *
 * ioc_match_addr: the address itself (listed with no port, with port, or
 * with any port when port is 0: unknown), and the most specific listed
 * network holding it.
 *
 * ioc_match_domain: the name (case and a trailing dot ignored, in
 * A-labels when written in Unicode) and each of its parents:
 * a.b.evil.example finds evil.example. A '.' escaped with a backslash,
 * as BIND writes one inside a label ("x\.evil.example"), separates no
 * labels.
 *
 * ioc_match_url: the URL normalised as ioc_url_normalise does, exactly,
 * then its prefixes that end at a path boundary: the URL without its
 * query, then each directory up to the host's root. So a listed
 * "http://evil.example/kit" finds ".../kit", ".../kit?x=1" and
 * ".../kit/a.exe", never ".../kitten".
 *
 * ioc_match_email: the address (in angle brackets or not, case, needless
 * quotes around the local part and a trailing dot ignored, the domain in
 * A-labels) and, as ioc_match_domain does, the domain after its '@'.
 */
size_t ioc_match_addr(const struct ioc_set *s, const struct ipaddr *ip,
    unsigned port, struct ioc_hit *out, size_t max);
size_t ioc_match_domain(const struct ioc_set *s, struct slice name,
    struct ioc_hit *out, size_t max);
size_t ioc_match_url(const struct ioc_set *s, struct slice url,
    struct ioc_hit *out, size_t max);
size_t ioc_match_email(const struct ioc_set *s, struct slice addr,
    struct ioc_hit *out, size_t max);

/*
 * Whether any URL indicator may be listed on the host of url: 0 when
 * none is, so that ioc_match_url would find nothing for any URL on that
 * host (a caller may remember the host); 1 otherwise.
 */
int ioc_url_host_listed(const struct ioc_set *s, struct slice url);

/*
 * Whether some URL indicator is a whole site: its path "/" and no query
 * ("https://evil.example/"). Only such a URL can hold a CONNECT tunnel.
 */
int ioc_has_site_urls(const struct ioc_set *s);

/*
 * The start of url up to the end of its authority ("HTTP://u@Host:80"),
 * as ioc_url_normalise reads it: ioc_url_host_listed depends on these
 * bytes alone, so a caller that remembers its answer keys it on them.
 */
struct slice ioc_url_head(struct slice url);

/*
 * A fast 32-bit hash of n bytes at p, different for each seed: the one
 * the set's tables use, for callers that keep their own.
 */
uint32_t ioc_hash(const void *p, size_t n, uint32_t seed);

/* What the set knows about indicator id. */
void ioc_get(const struct ioc_set *s, uint32_t id, struct ioc_info *info);

/*
 * Writes the indicator as text into buf (size cap, NUL-terminated):
 * "198.51.100.7", "198.51.100.7:8080", "[2001:db8::1]:443",
 * "203.0.113.0/24", "evil.example", "evil.example/gate.php" (URLs in
 * their normalised form), "x@evil.example". Returns the length, cut at
 * cap - 1.
 */
size_t ioc_text(const struct ioc_set *s, uint32_t id, char *buf, size_t cap);

/*
 * Normalises a URL for comparison into dst (size cap): the scheme and any
 * user name are dropped (http and https URLs of one host and path are
 * one), the host is lower-cased without a trailing dot (in A-labels when
 * written in Unicode; an address in brackets as ip_format writes it, an
 * IPv4-mapped one as IPv4), the scheme's default port is dropped (http 80,
 * https 443, ftp 21), the path becomes "/" when empty, the fragment is
 * dropped and %-escapes of unreserved characters are decoded (the others
 * are written with upper-case hex, as are raw bytes >= 0x80 of the path
 * and query, a lone '%' as "%25"): "HTTP://Evil.Example:80/a%7Eb#x" becomes
 * "evil.example/a~b". Text without a scheme ("evil.example/gate", as
 * Zeek writes URLs) is taken as already in this form. Returns the
 * length, or -1 when the text has no host or the result does not fit
 * (the first cap bytes are written anyway).
 */
long ioc_url_normalise(char *dst, size_t cap, struct slice url);

#endif
