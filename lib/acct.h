/*
 * acct.h: accounts as authentication logs name them. "CORP\alice",
 * "alice@CORP.EXAMPLE" and "ALICE" are one account (Windows compares
 * names without regard to case); a name ending in '$' is a computer's;
 * security identifiers (SIDs) name well-known accounts and groups: the
 * built-in Administrator is RID 500 of its domain, Domain Admins RID 512,
 * the local Administrators group S-1-5-32-544. Also the hexadecimal
 * numbers that Windows security events write ("0x5c1a2b", "0x00000017").
 * Everything works on slices of raw (unescaped) bytes and keeps nothing
 * (folding UTF-8 may allocate for a moment inside libunistring).
 */
#ifndef CSM_ACCT_H
#define CSM_ACCT_H

#include <stdint.h>
#include "slice.h"

/*
 * The account part of a name: what follows the last backslash of a
 * "DOMAIN\name" and precedes the last '@' of a "name@realm", spaces and
 * tabs around it trimmed. Points into s.
 */
struct slice acct_name(struct slice s);

#define ACCT_FOLD_MAX 512	/* bytes of a folded name, at most */

/*
 * Name s (taken whole; pass acct_name(s) for the account part) folded as
 * accounts compare, into buf (cap bytes): valid UTF-8 is case-folded and
 * NFKC-normalised, as Active Directory compares names without regard to
 * case or width ("ÄDMIN" and "ädmin", fullwidth "ＡＤＭＩＮ" and "admin",
 * Cyrillic "АДМИН" and "админ" are one). Text that is not valid UTF-8,
 * or whose fold does not fit in cap, gives its bytes with ASCII letters
 * lowered, cut to cap. Returns the slice of buf.
 */
struct slice acct_fold(struct slice s, char *buf, size_t cap);

/*
 * Orders the acct_name of a and b as their folds (acct_fold, with
 * ACCT_FOLD_MAX; the bytes, never cut, when a fold does not fit) compare
 * byte by byte: less than, equal to or greater than 0, as strcmp.
 */
int acct_cmp(struct slice a, struct slice b);

/* Whether a and b name the same account (acct_cmp is 0). */
int acct_eq(struct slice a, struct slice b);

/* Whether name is a computer account: its acct_name ends in '$'. */
int acct_is_machine(struct slice name);

/* Whether s is written as a SID: "S-1-" then digits and dashes. */
int acct_is_sid(struct slice s);

/*
 * The relative identifier of a domain or machine account SID
 * ("S-1-5-21-a-b-c-RID"), or -1 for any other text.
 */
int64_t acct_sid_rid(struct slice sid);

/*
 * Whether sid is one of the identities of Windows itself rather than of
 * a person: the null SID S-1-0-0, ANONYMOUS LOGON S-1-5-7, SYSTEM
 * S-1-5-18, LOCAL SERVICE S-1-5-19 and NETWORK SERVICE S-1-5-20.
 */
int acct_sid_is_system(struct slice sid);

/*
 * The English name of a well-known privileged group, found by its SID
 * (BUILTIN Administrators, Account, Server, Print and Backup Operators;
 * the domain's Domain Admins, Domain Controllers, Schema Admins,
 * Enterprise Admins, Group Policy Creator Owners, Key Admins and
 * Enterprise Key Admins), else by its name (those, and DnsAdmins, whose
 * RID differs between domains), without regard to case. NULL when sid
 * and name are neither (either may be empty).
 */
const char *acct_privileged_group(struct slice sid, struct slice name);

/*
 * The value of the first relative name of an LDAP distinguished name
 * when it is a CN ("CN=Bob Smith,OU=Staff,DC=corp" gives "Bob Smith"),
 * with the escapes of RFC 4514 ("\,", "\2C") undone, copied into buf (cap
 * bytes). An empty slice when dn does not start with "CN=" or the value
 * does not fit.
 */
struct slice acct_dn_cn(struct slice dn, char *buf, size_t cap);

/*
 * Parses "0x" (or "0X") and one to sixteen hexadecimal digits into *v.
 * Returns 0, or -1 for any other text.
 */
int acct_parse_hex(struct slice s, uint64_t *v);

#endif
