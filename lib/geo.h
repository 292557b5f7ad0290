/*
 * geo.h: where an address is, from MaxMind DB files (.mmdb, read with
 * libmaxminddb): its country, autonomous system number and the AS
 * organisation, from whichever databases are open (a Country or City
 * database gives the country, an ASN database the number and organisation,
 * an Enterprise or ISP database may give all three). Private and reserved
 * ranges are labelled without a lookup, and recent answers are cached,
 * since logs name the same addresses over and over.
 *
 * Everything a database says is untrusted: strings come back as slices of
 * raw bytes, for the caller to escape.
 */
#ifndef CSM_GEO_H
#define CSM_GEO_H

#include <stddef.h>
#include <stdint.h>
#include "ipaddr.h"
#include "slice.h"

/* What kind of address it is; only GEO_PUBLIC is looked up. */
enum geo_class {
	GEO_PUBLIC,		/* anything below does not match */
	GEO_PRIVATE,		/* RFC 1918, fc00::/7 (RFC 4193) */
	GEO_SHARED,		/* 100.64.0.0/10, carrier-grade NAT (RFC 6598) */
	GEO_LOOPBACK,		/* 127.0.0.0/8, ::1 */
	GEO_LINK_LOCAL,		/* 169.254.0.0/16, fe80::/10 */
	GEO_DOCUMENTATION,	/* RFC 5737, 2001:db8::/32, 3fff::/20 */
	GEO_MULTICAST,		/* 224.0.0.0/4, ff00::/8 */
	GEO_RESERVED,		/* every other range never routed on the
				 * internet: 0/8, 192.0.0/24, 198.18/15,
				 * 240/4, IPv6 outside 2000::/3, ... */
	GEO_NCLASSES
};

/*
 * The label of a class as written in the country column: "private",
 * "shared", "loopback", "link-local", "documentation", "multicast",
 * "reserved"; "" for GEO_PUBLIC. A static string.
 */
const char *geo_class_name(enum geo_class cls);

/* The class of ip (IPv4 held as ::ffff:a.b.c.d counts as IPv4). */
enum geo_class geo_classify(const struct ipaddr *ip);

/*
 * Finds the address in a field that names a destination: "ip",
 * "ip:port", "ip/proto", "ip:port/proto", "[v6]", "[v6]:port" and
 * "[v6]:port/proto" (a port is 0 to 65535 in at most 5 digits, a
 * protocol 1 to 16 letters, digits, '-' or '_'; a zone "%eth0" inside
 * brackets is dropped).
 * Host names and anything else are not addresses. Returns 0 with *ip set,
 * or -1.
 */
int geo_addr_from_text(struct slice s, struct ipaddr *ip);

/* One answer. */
struct geo_info {
	enum geo_class cls;
	struct slice country;	/* ISO 3166 code as stored; empty: unknown */
	struct slice org;	/* AS organisation; empty: unknown */
	uint64_t asn;		/* valid when has_asn */
	int has_asn;
};

struct geo_db;
struct geo_slot;

/* Counters for the summary line. */
struct geo_stats {
	uint64_t lookups;	/* addresses answered */
	uint64_t cached;	/* answered from the cache */
	uint64_t special;	/* private or reserved, not looked up */
	uint64_t searched;	/* public addresses looked up in the files */
	uint64_t unknown;	/* of those, no database knew anything */
};

struct geo {
	struct geo_db *db;
	size_t ndb, capdb;
	struct geo_slot *cache;	/* GEO_CACHE_SLOTS, allocated at first use */
	struct geo_stats st;
};

#define GEO_CACHE_SLOTS 16384	/* a power of two; about 1.3 MB */

/* Prepares g with no database open. */
void geo_init(struct geo *g);

/*
 * Opens the MaxMind DB at path and checks its search tree (every node
 * reachable from the root, no loop, no path longer than the address,
 * every record in range), so that a damaged file is refused here rather
 * than met half-way through a stream. Databases are asked in the order
 * they were opened; for each of country, ASN and organisation the first
 * one that knows it answers. Returns 0; -1 with err set ("cannot open
 * database 'PATH': reason" or "bad database 'PATH': reason", PATH
 * escaped); -2 when out of memory.
 */
int geo_open(struct geo *g, const char *path, char *err, size_t errcap);

/*
 * Classifies ip and, when it is public, looks it up in every open
 * database (through the cache). The slices in *out point into the
 * database files and stay valid until geo_release. Returns 0; or -1 with
 * err set ("bad database 'PATH': reason") when a database failed to
 * decode: that database is then left out for good, and calling again
 * for the same address gives the answer of the others (each database
 * fails at most once, so a loop ends).
 */
int geo_lookup(struct geo *g, const struct ipaddr *ip, struct geo_info *out,
    char *err, size_t errcap);

/* Closes every database and frees the cache. */
void geo_release(struct geo *g);

#endif
