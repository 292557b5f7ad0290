/*
 * ipaddr.h: IPv4 and IPv6 addresses from log text, and CIDR sets for
 * "is this address internal / a proxy / an exception" questions. IPv4 is
 * held as an IPv4-mapped IPv6 address so that one comparison serves both.
 */
#ifndef CSM_IPADDR_H
#define CSM_IPADDR_H

#include <stddef.h>
#include <stdint.h>
#include "slice.h"

struct ipaddr {
	uint8_t b[16];		/* network order; IPv4 as ::ffff:a.b.c.d */
};

#define IPADDR_TEXT_MAX 46	/* INET6_ADDRSTRLEN */

/*
 * Parses a dotted IPv4 or textual IPv6 address (no brackets, no port; a
 * zone only on a link-local address, and dropped). Returns 0, or -1 when
 * s is not exactly an address.
 */
int ip_parse(struct slice s, struct ipaddr *ip);

/*
 * Whether ip_parse would accept s; faster, as the address is not built
 * (for callers that only need to know that a field is an address).
 */
int ip_valid(struct slice s);

/*
 * Parses an IPv4 address as a URL's host may spell it, which browsers and
 * curl accept (the WHATWG URL standard's IPv4 parser): one to four parts
 * split by dots, each decimal, "0x" hex or "0" octal, the last filling
 * the bytes the others left ("3325256770", "0xC6.0x33.0x64.0x42",
 * "0306.51.25666"). One trailing dot is allowed. Returns 0, or -1 when s
 * is no such address (a name, or a number out of range).
 */
int ip_parse_url_v4(struct slice s, struct ipaddr *ip);

/* Whether ip is an IPv4 address. */
int ip_is_v4(const struct ipaddr *ip);

/*
 * Whether ip is in the NAT64 well-known prefix 64:ff9b::/96 (RFC 6052):
 * an IPv4 address, in its last 32 bits, reached through a gateway; *v4
 * gets that address.
 */
int ip_nat64_v4(const struct ipaddr *ip, struct ipaddr *v4);

/* Writes the canonical text of ip into dst (IPADDR_TEXT_MAX); returns length. */
size_t ip_format(char *dst, const struct ipaddr *ip);

#define IPADDR_REVERSE_MAX 73	/* 32 nibbles, their dots, "ip6.arpa" */

/*
 * Writes the reverse-lookup name of ip into dst (IPADDR_REVERSE_MAX):
 * "1.2.0.192.in-addr.arpa" for 192.0.2.1, 32 nibbles under "ip6.arpa" for
 * IPv6, in lower case. Returns the length.
 */
size_t ip_reverse_name(char *dst, const struct ipaddr *ip);

/* A set of address ranges built from CIDR blocks. */
struct cidr_set {
	struct cidr_range {
		struct ipaddr lo, hi;
	} *r;
	size_t n, cap;
	int sorted;
};

/* Prepares an empty set. */
void cidr_set_init(struct cidr_set *set);

/*
 * Adds "addr" or "addr/len" (IPv4 len 0-32, IPv6 0-128). Returns 0, or -1
 * for bad text (host bits set beyond the prefix are accepted and cleared)
 * or when memory runs out.
 */
int cidr_set_add(struct cidr_set *set, struct slice text);

/*
 * Sorts and merges the ranges added so far, for cidr_set_contains's
 * binary search: call it once they are all in. (Before that, or after
 * another add, lookups scan the ranges one by one: slower, never wrong.)
 */
void cidr_set_finish(struct cidr_set *set);

/*
 * Whether ip falls in any range of the set. Only reads it, so threads may
 * ask at once.
 */
int cidr_set_contains(const struct cidr_set *set, const struct ipaddr *ip);

/* Frees the ranges. */
void cidr_set_release(struct cidr_set *set);

#endif
