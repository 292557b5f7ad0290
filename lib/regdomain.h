/*
 * regdomain.h: mail and host domains made comparable. A domain is first
 * put in one canonical form (punycode labels decoded, lower case), then
 * cut to its registrable domain with the Public Suffix List (libpsl):
 * "bounce.example.co.jp" and "example.co.jp" are one organisation's,
 * because co.jp is a public suffix, while "a.example.com" and
 * "b.example.net" are not. Comparing strings would get both wrong.
 */
#ifndef CSM_REGDOMAIN_H
#define CSM_REGDOMAIN_H

#include <stddef.h>
#include "slice.h"

/* Room for any canonical domain, with its NUL. */
#define REGDOMAIN_MAX 512

struct regdomain;

/*
 * Loads the Public Suffix List: the newer of the list built into libpsl
 * and the system's copy (Debian's publicsuffix package). Returns the
 * handle (free it with regdomain_close), or NULL when neither can be
 * loaded.
 */
struct regdomain *regdomain_open(void);

/* Frees what regdomain_open returned (NULL is fine). */
void regdomain_close(struct regdomain *rd);

/*
 * The domain part of a mail address: what follows the last '@', without
 * surrounding white space and angle brackets. An empty slice when addr
 * holds no '@' or is the null sender "<>".
 */
struct slice regdomain_addr_domain(struct slice addr);

/*
 * The canonical form of a domain: white space around it and one trailing
 * dot dropped, each ASCII-compatible label ("xn--...") decoded to Unicode
 * with libidn2 (a label that does not decode is kept as written), then
 * lower-cased. An address literal ("[192.0.2.1]") is kept, lower-cased.
 * Writes a NUL-terminated string to buf (cap bytes; REGDOMAIN_MAX holds
 * any) and returns its length, or -1 when s is empty, too long, not
 * valid UTF-8, or holds a byte no domain has (white space, control
 * bytes, '@', '<', '>', '(', ')', ',', ';', ':', '"', '\', '/') or an
 * empty label.
 */
int regdomain_canon(struct slice s, char *buf, size_t cap);

/*
 * The registrable domain of canonical domain d (from regdomain_canon):
 * the public suffix with one more label, as "example.co.jp" for
 * "bounce.example.co.jp", returned as a slice of d. All of d when d is
 * itself a public suffix ("co.jp", a single label), an address literal
 * or an IP address.
 */
struct slice regdomain_of(const struct regdomain *rd, const char *d);

/*
 * Whether canonical domain d ends in a public suffix the list names
 * (not only through its default rule, which makes any last label a
 * suffix): true for "example.co.jp" and "paypal.com", false for
 * "j.p.morgan" and "localhost".
 */
int regdomain_known_suffix(const struct regdomain *rd, const char *d);

/*
 * The label its owner chose of registrable domain r (from regdomain_of):
 * its first label, "example" of "example.co.jp". All of r when r holds
 * no dot.
 */
struct slice regdomain_label(struct slice r);

/*
 * Whether canonical domain d is parent or a subdomain of it (label by
 * label: "mail.example.jp" is under "example.jp", "badexample.jp" is
 * not).
 */
int regdomain_under(struct slice d, struct slice parent);

#endif
