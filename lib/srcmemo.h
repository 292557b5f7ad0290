/*
 * srcmemo.h: what the site's networks make of an event's source address,
 * with a memory of the sources seen lately. A day's events come from a
 * few thousand hosts, and parsing each event's address and placing it in
 * the networks was much of a check's per-event work (csm-offhours,
 * csm-proxycheck). One thread at a time may use a memory.
 */
#ifndef CSM_SRCMEMO_H
#define CSM_SRCMEMO_H

#include <stdint.h>
#include "config.h"
#include "ipaddr.h"
#include "slice.h"

enum src_class {
	SRC_BAD,		/* not an address */
	SRC_OUTSIDE,		/* not an internal one */
	SRC_PROXY,		/* one of the proxies */
	SRC_INTERNAL		/* an internal host */
};

#define SRC_MEMO_SLOTS 4096	/* the top 12 bits of a hash */

struct src_memo {
	struct src_memo_slot {
		char text[IPADDR_TEXT_MAX];
		uint8_t len;		/* 0: empty */
		uint8_t cls;		/* enum src_class */
		struct ipaddr ip;
	} slot[SRC_MEMO_SLOTS];
};

/*
 * The class of the source address text s under cfg's networks, its
 * address in *ip (but for SRC_BAD), through memo when it is not NULL
 * (zeroed before its first use), in which case s must be followed by
 * eight readable bytes (an evrow field: EVROW_SLACK).
 */
enum src_class src_classify(const struct config *cfg, struct src_memo *memo,
    struct slice s, struct ipaddr *ip);

#endif
