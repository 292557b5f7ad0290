/*
 * fuzz_ioc.c: libFuzzer harness for the indicator lists of csm-ioc
 * (lib/ioc_load.c, ioc_csv.c, ioc_misp.c) and the set they fill (ioc.c,
 * ioc_name.c, ioc_match.c). The first input byte picks the format
 * (modulo the five of ioc_format_names, 0 for detection: a seed starting
 * with 'x' is detected); the rest, in a heap block of its exact size so
 * that ASan sees a read past it, is loaded as a list. Beyond "does not
 * crash" it checks properties: the counts add up; every indicator's text
 * is already normal (adding it again merges it into itself); and each
 * domain, URL, e-mail address and address indicator is found by the
 * query that should find it, exactly. Then every word of the input is
 * asked about as an event's name, URL, sender and address.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ioc.h"
#include "ioc_load.h"

#define MAX_CHECKED 2000	/* indicators checked one by one */
#define MAX_WORDS 500		/* input words asked about */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, const char *text)
{
	fprintf(stderr, "fuzz_ioc: %s: '%s'\n", what, text);
	abort();
}

static uint64_t bad_lines;

static void
on_bad(void *arg, uint64_t line, const char *reason)
{
	(void)arg;
	(void)line;
	if (reason == NULL || reason[0] == '\0')
		fail("bad line without a reason", "");
	bad_lines++;
}

/* How an indicator of kind k with text t is given back to ioc_add. */
static enum ioc_decl
decl_of(enum ioc_kind k, const char *t)
{
	switch (k) {
	case IOC_ADDR:
		return ip_valid(slice_cstr(t)) ? IOC_DECL_ADDR :
		    IOC_DECL_ADDR_PORT;
	case IOC_NET:
		return IOC_DECL_ADDR;
	case IOC_DOMAIN:
		return IOC_DECL_DOMAIN;
	case IOC_URL:
		return IOC_DECL_URL;
	default:
		return IOC_DECL_EMAIL;
	}
}

/* Whether the set is asked about the indicator's own text and finds it. */
static int
finds_itself(const struct ioc_set *s, uint32_t id, enum ioc_kind k,
    const char *t)
{
	struct ioc_hit h[16];
	struct ipaddr ip;
	size_t n = 0, i;
	char a[64];
	const char *colon;

	switch (k) {
	case IOC_DOMAIN:
		n = ioc_match_domain(s, slice_cstr(t), h, 16);
		break;
	case IOC_URL:
		n = ioc_match_url(s, slice_cstr(t), h, 16);
		break;
	case IOC_EMAIL:
		n = ioc_match_email(s, slice_cstr(t), h, 16);
		break;
	case IOC_ADDR:
		snprintf(a, sizeof a, "%s", t[0] == '[' ? t + 1 : t);
		if (!ip_valid(slice_cstr(t)) && (colon = strrchr(a,
		    t[0] == '[' ? ']' : ':')) != NULL)
			a[colon - a] = '\0';
		if (ip_parse(slice_cstr(a), &ip) != 0)
			fail("an address indicator's text does not parse", t);
		n = ioc_match_addr(s, &ip, 0, h, 16);
		break;
	default:
		return 1;
	}
	for (i = 0; i < n; i++)
		if (h[i].id == id)
			return h[i].exact;
	return 0;
}

static void
ask(const struct ioc_set *s, struct slice w)
{
	struct ioc_hit h[16];
	struct ipaddr ip;
	size_t n, i, total = ioc_count(s, IOC_NKINDS);

	n = ioc_match_domain(s, w, h, 16);
	n += ioc_match_url(s, w, h + (n < 16 ? n : 16), 16 - (n < 16 ? n : 16));
	for (i = 0; i < n && i < 16; i++)
		if (h[i].id >= total)
			fail("a hit beyond the set", "");
	n = ioc_match_email(s, w, h, 16);
	for (i = 0; i < n; i++)
		if (h[i].id >= total)
			fail("an e-mail hit beyond the set", "");
	if (ip_parse(w, &ip) == 0) {
		n = ioc_match_addr(s, &ip, 443, h, 16);
		for (i = 0; i < n; i++)
			if (h[i].id >= total)
				fail("an address hit beyond the set", "");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ioc_set *s;
	struct ioc_load ld;
	struct ioc_meta m;
	struct ioc_info info;
	char err[600], why[300], t[9000], *copy;
	size_t i, n, words = 0;
	const char *p, *end;

	if (size == 0 || (s = ioc_new()) == NULL)
		return 0;
	if ((copy = malloc(size - 1 ? size - 1 : 1)) == NULL) {
		ioc_free(s);
		return 0;
	}
	memcpy(copy, data + 1, size - 1);
	memset(&ld, 0, sizeof ld);
	ld.format = (enum ioc_format)(data[0] % IOC_FMT_COUNT);
	ld.bad = on_bad;
	bad_lines = 0;
	if (ioc_load_buffer(s, "fuzz", copy, size - 1, &ld, err,
	    sizeof err) != 0 && err[0] == '\0')
		fail("an error without a message", "");
	if (ld.added != ioc_count(s, IOC_NKINDS))
		fail("added does not count the indicators", "");
	if (ld.bad_lines != bad_lines)
		fail("bad lines not all reported", "");
	n = ioc_count(s, IOC_NKINDS);
	memset(&m, 0, sizeof m);
	m.source = SLICE_LIT("again");
	m.severity = -1;
	m.confidence = -1;
	for (i = 0; i < n && i < MAX_CHECKED; i++) {
		ioc_get(s, (uint32_t)i, &info);
		ioc_text(s, (uint32_t)i, t, sizeof t);
		if (ioc_add(s, decl_of(info.kind, t), slice_cstr(t), &m, why,
		    sizeof why) != IOC_MERGED)
			fail("an indicator's text is not its normal form", t);
	}
	if (ioc_count(s, IOC_NKINDS) != n)
		fail("adding an indicator again made a new one", "");
	if (ioc_finish(s) != 0) {
		free(copy);
		ioc_free(s);
		return 0;
	}
	for (i = 0; i < n && i < MAX_CHECKED; i++) {
		ioc_get(s, (uint32_t)i, &info);
		ioc_text(s, (uint32_t)i, t, sizeof t);
		if (!finds_itself(s, (uint32_t)i, info.kind, t))
			fail("an indicator does not find itself", t);
	}
	p = copy;
	end = copy + size - 1;
	while (p < end && words < MAX_WORDS) {
		const char *q = p;

		while (q < end && *q != ' ' && *q != '\n' && *q != '\t' &&
		    *q != ',' && *q != '"')
			q++;
		if (q > p) {
			ask(s, slice_make(p, (size_t)(q - p)));
			words++;
		}
		p = q + 1;
	}
	free(copy);
	ioc_free(s);
	return 0;
}
