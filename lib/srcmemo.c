/*
 * srcmemo.c: a source address's class under the site's networks, with a
 * direct-mapped memory of recent sources (srcmemo.h).
 */
#include <string.h>
#include "srcmemo.h"

/*
 * The slot of text s (0 < s.n < IPADDR_TEXT_MAX): a hash of its first and
 * last eight bytes, loaded whole, which for a dotted quad are all of it.
 */
static struct src_memo_slot *
slot_of(struct src_memo *memo, struct slice s)
{
	uint64_t a, b;

	memcpy(&a, s.p, 8);
	if (s.n < 8)
		b = a &= ~0ULL >> (8 * (8 - s.n));
	else
		memcpy(&b, s.p + s.n - 8, 8);
	a = (a ^ b * 0x9e3779b97f4a7c15ULL ^ s.n) * 0xff51afd7ed558ccdULL;
	return &memo->slot[a >> 52];
}

enum src_class
src_classify(const struct config *cfg, struct src_memo *memo,
    struct slice s, struct ipaddr *ip)
{
	struct src_memo_slot *seen = NULL;
	enum src_class c;

	if (memo != NULL && s.n > 0 && s.n < IPADDR_TEXT_MAX) {
		seen = slot_of(memo, s);
		if (seen->len == s.n && memcmp(seen->text, s.p, s.n) == 0) {
			*ip = seen->ip;
			return (enum src_class)seen->cls;
		}
	}
	if (s.n == 0 || ip_parse(s, ip) != 0)
		c = SRC_BAD;
	else if (!config_is_internal(cfg, ip))
		c = SRC_OUTSIDE;
	else if (config_is_proxy(cfg, ip))
		c = SRC_PROXY;
	else
		c = SRC_INTERNAL;
	if (seen != NULL) {
		memcpy(seen->text, s.p, s.n);
		seen->len = (uint8_t)s.n;
		seen->cls = (uint8_t)c;
		seen->ip = *ip;
	}
	return c;
}
