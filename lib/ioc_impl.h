/*
 * ioc_impl.h: the inside of an indicator set, shared by ioc.c (the set
 * and its lookups), ioc_name.c (names, URLs and public suffixes) and the
 * list readers ioc_load.c and ioc_misp.c. Not for the checks: they use
 * ioc.h and ioc_load.h.
 */
#ifndef CSM_IOC_IMPL_H
#define CSM_IOC_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include "ioc.h"

/* One indicator: 24 bytes, so that a million fit in 24 MB. */
struct ioc_ind {
	uint32_t off, len;	/* its text in the pool; addresses: 16 bytes */
	uint32_t source, tag;	/* string ids */
	uint16_t port;		/* IOC_ADDR: port, 0 any; IOC_NET: prefix
				 * length of the IPv6 form (IPv4 is +96) */
	uint8_t kind, severity;
	int8_t confidence;	/* -1: not given */
	uint8_t stage;
};

/*
 * An open-addressing hash table of ids: each slot holds the upper half of
 * the key's hash (so most misses never touch the key) and id + 1 (0:
 * free). The slot index is taken from the same 32 bits, so the table
 * grows without the keys.
 */
struct ioc_tab {
	uint64_t *slot;
	size_t cap, n;		/* cap a power of two */
};

struct ioc_str {
	uint32_t off, len;
};

/*
 * A piece of the address space and the most specific network over it;
 * addresses as two host-order halves, compared faster than bytes.
 */
struct ioc_iv {
	uint64_t lo[2], hi[2];
	uint32_t id;
};

struct ioc_set {
	struct ioc_ind *ind;
	size_t n, cap;
	char *pool;		/* texts and addresses, back to back */
	size_t plen, pcap;
	struct ioc_tab names;	/* domains, URLs, e-mail: by kind and text */
	struct ioc_tab addrs;	/* addresses (by address) and networks */
	struct ioc_str *str;	/* sources, tags and public suffixes */
	size_t nstr, strcap;
	struct ioc_tab strs;	/* every string, for interning */
	struct ioc_tab psl;	/* the public suffixes, ids into str */
	struct ioc_iv *iv;	/* the networks, flattened, sorted */
	size_t niv;
	/*
	 * v4first[k]: the first interval ending at or after the IPv4 address
	 * k.0.0.0 / 16 (k << 16), so that an IPv4 lookup searches only the
	 * intervals of its /16: one or two among a million networks.
	 */
	uint32_t *v4first;	/* 65537 entries, or NULL */
	uint32_t *urlhost;	/* hashes of the hosts of URL indicators */
	size_t nurlhost, urlhostcap;
	/*
	 * A Bloom filter (two bits a key) over every key of names and addrs
	 * and every URL host, built by ioc_finish: most lookups are misses,
	 * and the filter answers them from the cache without touching the
	 * tables, which a million indicators make larger than it.
	 */
	uint64_t *bloom;
	uint32_t bloom_mask;	/* its size in bits, less one */
	size_t count[IOC_NKINDS];
	size_t site_urls;	/* URL indicators of path "/" alone */
	int min_confidence;
	int finished;
};

/* Seeds of ioc_hash for the tables (names use their kind + 1). */
enum { SEED_STR = 3, SEED_URLHOST = 77, SEED_ADDR = 101, SEED_NET = 202 };

/* Puts id under hash h into t, growing it. Returns 0, or -1 (memory). */
int ioc_tab_put(struct ioc_tab *t, uint32_t h, uint32_t id);

/* Frees t's slots. */
void ioc_tab_release(struct ioc_tab *t);

/*
 * The id of string v in s->str, added when new. Returns 0, or -1 when
 * out of memory.
 */
int ioc_intern(struct ioc_set *s, struct slice v, uint32_t *id);

/*
 * The two bits of hash h in the Bloom filter: both in one 512-bit block
 * (a cache line), so that a lookup costs one miss at most. The block
 * comes from the bits the tables take their slot from, the bits inside
 * it from a remix of h.
 */
static inline void
ioc_bloom_bits(const struct ioc_set *s, uint32_t h, uint32_t *a, uint32_t *b)
{
	uint32_t block = h & s->bloom_mask & ~(uint32_t)511;
	uint32_t r = h * 0x9e3779b1u;

	*a = block | (r >> 23);
	*b = block | (r >> 14 & 511);
}

/* Whether the Bloom filter may hold hash h (always, before ioc_finish). */
static inline int
ioc_bloom_may(const struct ioc_set *s, uint32_t h)
{
	uint32_t a, b;

	if (s->bloom == NULL)
		return 1;
	ioc_bloom_bits(s, h, &a, &b);
	return (s->bloom[a >> 6] >> (a & 63) & 1) &&
	    (s->bloom[b >> 6] >> (b & 63) & 1);
}

/* The indicator of kind k with the text p[0..n), or -1. */
long ioc_name_find(const struct ioc_set *s, int k, const char *p,
    size_t n);

/* Clears the host bits of lo and sets those of hi (hi = lo first). */
void ioc_prefix_range(struct ipaddr *lo, struct ipaddr *hi, unsigned len);

/* The bytes of string id. */
struct slice ioc_str_get(const struct ioc_set *s, uint32_t id);

/*
 * Puts the public suffixes built in (the most used ones of the Public
 * Suffix List: Japan's second-level names, other countries' "co." and
 * "com." names, shared hosting such as github.io) into s. Returns 0, or
 * -1 when out of memory.
 */
int ioc_suffix_builtin(struct ioc_set *s);

/*
 * Undoes the usual defanging of indicators ("hxxp://", "[.]", "(.)",
 * "[:]", "[@]"): returns v itself when there is none, else the clean text
 * written into buf (cap bytes; cut when longer).
 */
struct slice ioc_refang(struct slice v, char *buf, size_t cap);

/*
 * Writes the n-byte name at buf (cap bytes) in place in its A-label form
 * ("bücher.example", any case, is "xn--bcher-kva.example", as DNS and
 * proxy logs show it) when it holds a byte >= 0x80. A name libidn2
 * refuses (bad UTF-8, a label IDNA forbids) or whose A-labels do not fit
 * stays as written. Returns the new length.
 */
size_t ioc_name_ascii(char *buf, size_t n, size_t cap);

/*
 * Lower-cases and checks a domain indicator into dst (cap bytes, at least
 * 256): drops "*." or "." in front and one dot at the end, takes the
 * A-label form of a Unicode name (ioc_name_ascii), then requires
 * labels of 1-63 bytes (letters, digits, '-', '_' or UTF-8), at most 253
 * bytes, two labels or more, a top-level label that is not all digits,
 * and (when s is not NULL) a name that is not a public suffix. Returns
 * the length, or -1 with *why set.
 */
long ioc_domain_norm(const struct ioc_set *s, struct slice v, char *dst,
    size_t cap, const char **why);

/*
 * The URL normaliser behind ioc_url_normalise: writes at most cap bytes,
 * sets *hostlen to the length of "host[:port]" and *trunc when the
 * result was cut; with host_only, stops after the host. Returns the
 * length written, or -1 when there is no host, a bad port or an IPv6
 * literal without its ']'.
 */
long ioc_url_norm(char *dst, size_t cap, struct slice url, size_t *hostlen,
    int *trunc, int host_only);

/*
 * Lower-cases an e-mail address into dst (cap bytes): white space and
 * angle brackets around it dropped, quotes around a local part that needs
 * none ('"ceo"@x' is ceo@x) and one dot after the domain dropped. Returns
 * the length and sets *at to the offset of the last '@', or -1 when there
 * is no '@' with text on both sides or it does not fit.
 */
long ioc_email_norm(char *dst, size_t cap, struct slice v, size_t *at);

/* The list readers (ioc_load.c), for ioc_misp.c. */
struct ioc_load;

/*
 * Adds value, of the list's type name type ("ip-dst", "domain|ip",
 * "Intel::URL", "ip:port"; empty: guessed from the text), with meta,
 * counting the outcome in ld. A type no log shows is counted and left
 * out. Returns 0; 1 for a bad value (counted; why, size whycap, set for
 * the caller to report); -1 when out of memory.
 */
int ioc_load_add(struct ioc_set *s, struct ioc_load *ld, struct slice type,
    struct slice value, const struct ioc_meta *meta, char *why,
    size_t whycap);

/* The meta of an indicator of list name that says nothing else. */
struct ioc_meta ioc_meta_of(const char *name);

/*
 * ioc_load_add, reporting a bad value at line. Returns 0, or -1 when out
 * of memory.
 */
int ioc_load_value(struct ioc_set *s, struct ioc_load *ld, uint64_t line,
    struct slice type, struct slice value, const struct ioc_meta *meta);

/* Reports a bad line through ld's function. */
void ioc_load_bad(struct ioc_load *ld, uint64_t line, const char *why);

/* The CSV reader (ioc_csv.c): one per file. NULL when out of memory. */
struct ioc_csv;
struct ioc_csv *ioc_csv_new(void);
void ioc_csv_free(struct ioc_csv *c);

/*
 * Reads one line of a CSV list. Returns 0 (bad records reported through
 * ld), or -1 with err set: no header, out of memory.
 */
int ioc_csv_line(struct ioc_set *s, struct ioc_load *ld, const char *name,
    struct ioc_csv *c, uint64_t lineno, struct slice line, char *err,
    size_t errcap);

/* Drops a record in progress (after a line too long); -1 for memory. */
int ioc_csv_reset(struct ioc_csv *c);

/* At the end of the file: reports a record whose quote never closed. */
void ioc_csv_end(struct ioc_csv *c, struct ioc_load *ld);

/* Whether a line (after any '#') is a CSV header naming a value column. */
int ioc_csv_is_header(struct slice line);

/*
 * Reads the MISP JSON export of len bytes at buf (see ioc_load.h).
 * Returns 0, or -1 with err set (bad JSON, no event or attribute in it,
 * out of memory).
 */
int ioc_misp_load(struct ioc_set *s, const char *name, const char *buf,
    size_t len, struct ioc_load *ld, char *err, size_t errcap);

#endif
