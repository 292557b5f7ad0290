/*
 * srcmemo_test.c: unit tests of a source's class under the site's
 * networks (src_classify): each class, with the memory and without, the
 * address handed back on a hit as on a miss, and sources that share a
 * slot in turn.
 */
#include <stdlib.h>
#include <string.h>
#include "srcmemo.h"
#include "test.h"

/* A source as a row field has it: eight readable bytes after its end. */
static struct slice
field(char *buf, const char *text)
{
	size_t n = strlen(text);

	memset(buf, 'x', 64);
	memcpy(buf, text, n);
	return slice_make(buf, n);
}

int
main(void)
{
	static const struct {
		const char *text;
		enum src_class want;
	} cases[] = {
		{ "10.1.20.35", SRC_INTERNAL }, { "10.1.0.10", SRC_PROXY },
		{ "198.51.100.7", SRC_OUTSIDE }, { "fd00::1", SRC_INTERNAL },
		{ "2001:db8::1", SRC_OUTSIDE }, { "10.1.20", SRC_BAD },
		{ "-", SRC_BAD }, { "", SRC_BAD }, { "10.1.20.35x", SRC_BAD },
	};
	struct src_memo *memo = calloc(1, sizeof *memo);
	struct config *cfg = config_new();
	struct ipaddr ip, want;
	char err[CONFIG_ERR_MAX], buf[64], name[96];
	size_t i, k;
	int round;

	if (memo == NULL || cfg == NULL ||
	    config_set(cfg, "networks.internal=10.0.0.0/8 fd00::/8", err,
	    sizeof err) != 0 ||
	    config_set(cfg, "networks.proxies=10.1.0.10", err, sizeof err) !=
	    0 || config_finish(cfg, err, sizeof err) != 0)
		abort();
	/* Without the memory, then twice with it (a miss, then a hit). */
	for (round = 0; round < 3; round++)
		for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			struct slice s = field(buf, cases[i].text);
			enum src_class c = src_classify(cfg, round ? memo :
			    NULL, s, &ip);

			snprintf(name, sizeof name, "%s, round %d",
			    cases[i].text, round);
			TEST_OK(c == cases[i].want, name);
			if (c != SRC_BAD && ip_parse(s, &want) == 0)
				TEST_OK(memcmp(&ip, &want, sizeof ip) == 0,
				    "the address handed back");
		}
	/* Many sources through few slots: each still gets its own class. */
	for (k = 0; k < 2; k++)
		for (i = 0; i < 20000; i++) {
			char text[32];

			snprintf(text, sizeof text, "%s.%zu.%zu",
			    i % 2 ? "10.9" : "192.0", i / 250 % 250, i % 250);
			if (src_classify(cfg, memo, field(buf, text), &ip) !=
			    (i % 2 ? SRC_INTERNAL : SRC_OUTSIDE)) {
				TEST_OK(0, text);
				k = 2;
				break;
			}
		}
	TEST_OK(k == 2 && i == 20000, "20,000 sources through 4,096 slots");
	config_free(cfg);
	free(memo);
	return test_done();
}
