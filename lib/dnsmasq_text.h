/*
 * dnsmasq_text.h: the text of dnsmasq's query log that fmt_dnsmasq.c
 * reads into its table of queries: names as it compares them, the lists
 * it keeps (answers, upstream servers) and the words an answer line uses
 * for a reply without data.
 */
#ifndef CSM_DNSMASQ_TEXT_H
#define CSM_DNSMASQ_TEXT_H

#include <stddef.h>
#include "slice.h"

#define DNSMASQ_NAME_MAX 1024	/* no name in text form is longer */

/* The first space-separated word of s (all of s without a space). */
struct slice dnsmasq_first_word(struct slice s);

/*
 * Copies name s lower-cased and without a trailing dot (the root stays
 * ".") into buf (DNSMASQ_NAME_MAX). Returns the length, or 0 when it is
 * empty or too long.
 */
size_t dnsmasq_norm_name(char *buf, struct slice s);

/*
 * Appends s to buf (*n of cap bytes used) after sep when buf is not empty.
 * Returns 0, or -1 when it does not fit (buf is then unchanged).
 */
int dnsmasq_append(char *buf, size_t *n, size_t cap, const char *sep,
    struct slice s);

/*
 * Appends s as an item of the ','-separated list buf (*n of cap bytes
 * used, cap at most DNSMASQ_ITEM_MAX), escaped for the stream with a ','
 * inside it written \x2c (esc_list_item). Returns 0, or -1 when it does
 * not fit (buf is then unchanged).
 */
int dnsmasq_append_item(char *buf, size_t *n, size_t cap, struct slice s);

#define DNSMASQ_ITEM_MAX 4096

/* Whether the ','-separated list holds s as an element. */
int dnsmasq_in_list(struct slice list, struct slice s);

/*
 * The rcode an answer's value v stands for (a literal), or NULL for data;
 * after is the rest of the line after v ("not implemented" is two words).
 * A number 0-15 is read as dnsmasq writes other rcodes, and named.
 */
const char *dnsmasq_rcode(struct slice v, struct slice after);

#endif
