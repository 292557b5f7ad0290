/*
 * config_doc_test.c: the documentation of csm.conf cannot rot. The
 * annotated example man/csm.conf.example loads and says what its comments
 * say; the configuration in the EXAMPLES section of man/csm.conf.5 loads;
 * and every key the code knows is a key the manual describes.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config.h"
#include "test.h"
#include "timeconv.h"

static char top[PATH_MAX];	/* the source tree */

static struct ipaddr
ip(const char *s)
{
	struct ipaddr a;

	if (ip_parse(slice_cstr(s), &a) != 0)
		abort();
	return a;
}

static int
streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Whether a config_strv holds exactly the n strings given. */
static int
strv_is(const struct config_strv *v, size_t n, const char *a, const char *b)
{
	return v->n == n && (n < 1 || streq(v->v[0], a)) &&
	    (n < 2 || streq(v->v[1], b));
}

/* The whole of a file, NUL-terminated; aborts when it cannot be read. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (f == NULL)
		abort();
	do {
		if (cap - n < 4096 && (buf = realloc(buf, cap += 65536)) == NULL)
			abort();
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* The annotated example must load and say what its comments say. */
static void
test_example(void)
{
	char err[CONFIG_ERR_MAX], path[PATH_MAX + 64];
	struct config *cfg = config_new();
	const struct config_hours *h;
	struct ipaddr a;
	int clients, servers, dns, dmz, mgmt;

	snprintf(path, sizeof path, "%s/man/csm.conf.example", top);
	TEST_OK(config_load(cfg, path, err, sizeof err) == 0 &&
	    config_finish(cfg, err, sizeof err) == 0, "example: loads");
	TEST_OK(streq(config_site_name(cfg),
	    "\xe6\xa0\xaa\xe5\xbc\x8f\xe4\xbc\x9a\xe7\xa4\xbe\xe3\x82\xb5"
	    "\xe3\x83\xb3\xe3\x83\x97\xe3\x83\xab\xe5\x95\x86\xe4\xba\x8b") &&
	    streq(config_timezone(cfg), "Asia/Tokyo"),
	    "example: site 株式会社サンプル商事, Asia/Tokyo");
	a = ip("172.20.1.1");
	TEST_OK(config_is_internal(cfg, &a), "example: internal = private");
	a = ip("10.20.1.10");
	TEST_OK(config_is_proxy(cfg, &a), "example: Osaka proxy");
	a = ip("172.16.0.25");
	TEST_OK(streq(config_egress_label(cfg, &a), "mail-relay"),
	    "example: mail relay egress (inline comment cut)");
	a = ip("10.20.1.53");
	TEST_OK(streq(config_egress_label(cfg, &a), "dns"),
	    "example: dns egress");
	a = ip("10.10.1.123");
	TEST_OK(streq(config_egress_label(cfg, &a), "ntp"),
	    "example: ntp egress");
	TEST_OK(config_segment_count(cfg) == 5, "example: five segments");
	clients = config_segment_find(cfg, "clients");
	servers = config_segment_find(cfg, "servers");
	dns = config_segment_find(cfg, "dns");
	dmz = config_segment_find(cfg, "dmz");
	mgmt = config_segment_find(cfg, "management");
	a = ip("10.10.1.53");
	TEST_OK(config_segment_of(cfg, &a) == dns && dns >= 0,
	    "example: the DNS server is its own segment");
	a = ip("10.10.1.54");
	TEST_OK(config_segment_of(cfg, &a) == servers && servers >= 0,
	    "example: its neighbour is a server");
	a = ip("fd12:3456:789a:10::77");
	TEST_OK(config_segment_of(cfg, &a) == clients && clients >= 0,
	    "example: IPv6 clients on a continuation line");
	TEST_OK(config_flow_permitted(cfg, clients, servers, SLICE_LIT("tcp"),
	    445) && config_flow_permitted(cfg, clients, servers,
	    SLICE_LIT("tcp"), 50000) && config_flow_permitted(cfg, clients,
	    servers, SLICE_LIT("udp"), 123), "example: clients -> servers");
	TEST_OK(!config_flow_permitted(cfg, clients, servers, SLICE_LIT("tcp"),
	    3389), "example: no RDP from clients");
	TEST_OK(!config_flow_permitted(cfg, clients, clients, SLICE_LIT("tcp"),
	    445), "example: no SMB between clients");
	TEST_OK(config_flow_permitted(cfg, clients, dns, SLICE_LIT("udp"), 53)
	    && config_flow_permitted(cfg, CONFIG_NO_SEGMENT, dns,
	    SLICE_LIT("tcp"), 53), "example: * -> dns");
	TEST_OK(config_flow_permitted(cfg, mgmt, clients, SLICE_LIT("tcp"),
	    3389) && config_flow_permitted(cfg, servers, dmz,
	    SLICE_LIT("tcp"), 25) && !config_flow_permitted(cfg, dmz, clients,
	    SLICE_LIT("tcp"), 25), "example: management, mail");
	h = config_hours(cfg);
	TEST_OK(h->days == 0x3e && h->n[3] == 1 && h->r[3][0].start == 540 &&
	    h->r[3][0].end == 1080 && h->japan_holidays &&
	    strv_is(&h->holiday_files, 1, "/etc/csm/company-holidays.csv",
	    NULL), "example: 9:00-18:00 Monday to Friday, holidays");
	/* 2026-01-17 is the third Saturday of January; JST is UTC+9. */
	a = ip("10.10.16.9");
	TEST_OK(streq(config_in_maintenance(cfg, time_utc_seconds(2026, 1,
	    17, 11, 0, 0), &a), "monthly-patch") &&
	    config_in_maintenance(cfg, time_utc_seconds(2026, 1, 17, 10, 59,
	    59), &a) == NULL && config_in_maintenance(cfg,
	    time_utc_seconds(2026, 1, 10, 12, 0, 0), &a) == NULL,
	    "example: monthly patch window, 3rd Saturday 20:00 JST");
	a = ip("10.10.1.5");
	TEST_OK(streq(config_in_maintenance(cfg, time_utc_seconds(2026, 12,
	    29, 13, 0, 0), &a), "year-end-2026") &&
	    config_in_maintenance(cfg, time_utc_seconds(2026, 12, 29, 21, 0,
	    0), &a) == NULL, "example: year-end window 22:00-06:00 JST");
	a = ip("10.10.16.9");
	TEST_OK(config_in_maintenance(cfg, time_utc_seconds(2026, 12, 29, 13,
	    0, 0), &a) == NULL, "example: year-end window not for clients");
	TEST_OK(config_list_paths(cfg, CONFIG_LIST_IOC)->n == 2,
	    "example: two IoC files");
	config_free(cfg);
}

/*
 * The first literal display of EXAMPLES in csm.conf.5, with the roff
 * escapes \e and \& undone, written to path.
 */
static int
man_example(const char *page, const char *path)
{
	const char *p = strstr(page, "\n.Sh EXAMPLES\n"), *end;
	FILE *f;

	if (p == NULL || (p = strstr(p, "\n.Bd -literal")) == NULL ||
	    (p = strchr(p + 1, '\n')) == NULL ||
	    (end = strstr(p, "\n.Ed\n")) == NULL)
		return -1;
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	for (p++; p <= end; p++) {
		if (p[0] == '\\' && p[1] == 'e') {
			fputc('\\', f);
			p++;
		} else if (p[0] == '\\' && p[1] == '&') {
			p++;
		} else {
			fputc(*p, f);
		}
	}
	return fclose(f);
}

static void
test_man_example(const char *page)
{
	char path[] = "/tmp/csm-config-doc-XXXXXX", err[CONFIG_ERR_MAX];
	struct config *cfg = config_new();
	int fd = mkstemp(path), office, servers;
	struct ipaddr a;

	if (fd < 0)
		abort();
	close(fd);
	TEST_OK(man_example(page, path) == 0, "csm.conf.5: EXAMPLES found");
	TEST_OK(config_load(cfg, path, err, sizeof err) == 0 &&
	    config_finish(cfg, err, sizeof err) == 0,
	    "csm.conf.5: the EXAMPLES configuration loads");
	office = config_segment_find(cfg, "office");
	servers = config_segment_find(cfg, "servers");
	TEST_OK(config_segment_count(cfg) == 2 && office == 0 &&
	    servers == 1 && config_flow_permitted(cfg, office, servers,
	    SLICE_LIT("tcp"), 445) && !config_flow_permitted(cfg, servers,
	    office, SLICE_LIT("tcp"), 445), "csm.conf.5: EXAMPLES flows");
	a = ip("192.168.1.8");
	TEST_OK(config_is_proxy(cfg, &a), "csm.conf.5: EXAMPLES proxy");
	a = ip("192.168.1.20");
	/* 2026-01-04 is a Sunday; 01:00 JST is 16:00 UTC the day before. */
	TEST_OK(streq(config_in_maintenance(cfg, time_utc_seconds(2026, 1, 3,
	    16, 0, 0), &a), "backup") && config_in_maintenance(cfg,
	    time_utc_seconds(2026, 1, 3, 19, 0, 0), &a) == NULL,
	    "csm.conf.5: EXAMPLES backup window");
	config_free(cfg);
	unlink(path);
}

/* Whether the page has an ".It Ic" line naming key among its words. */
static int
documented(const char *page, const char *key)
{
	const char *p = page;
	size_t n = strlen(key);

	while ((p = strstr(p, "\n.It Ic ")) != NULL) {
		const char *q = p + 8, *eol = strchr(q, '\n');
		for (; eol != NULL && q < eol; q++)
			if (strncmp(q, key, n) == 0 && (q[n] == ' ' ||
			    q[n] == '\n') && (q[-1] == ' '))
				return 1;
		p += 8;
	}
	return 0;
}

/* Every key the code knows: accepted by config_set, in the manual. */
static void
test_keys(const char *page)
{
	static const char *const keys[] = {
		"site.name=x", "site.timezone=UTC",
		"networks.internal=10.0.0.0/8", "networks.proxies=10.0.0.1",
		"segment.s.networks=10.0.0.0/8", "segment.s.description=x",
		"hours.days=mon", "hours.hours=09:00-10:00", "hours.mon=closed",
		"hours.tue=closed", "hours.wed=closed", "hours.thu=closed",
		"hours.fri=closed", "hours.sat=closed", "hours.sun=closed",
		"hours.japan-holidays=no", "hours.holiday-files=a",
		"maintenance.m.start=2026-01-01 00:00",
		"maintenance.m.end=2026-01-02 00:00",
		"maintenance.m.weekly=sat 22:00-sun 06:00",
		"maintenance.m.monthly=1st mon 00:00-01:00",
		"maintenance.m.hosts=*", "maintenance.m.description=x",
		"lists.user-agents=a", "lists.admins=a", "lists.ioc=a",
		"lists.protected-names=a",
	};
	char err[CONFIG_ERR_MAX], what[120], key[40];
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		struct config *cfg = config_new();
		const char *eq = strchr(keys[i], '='), *k = eq;
		size_t n;

		/* The key is between the last '.' before '=' and '='. */
		while (k[-1] != '.')
			k--;
		n = (size_t)(eq - k);
		memcpy(key, k, n);
		key[n] = '\0';
		snprintf(what, sizeof what, "key %s: known and documented",
		    keys[i]);
		TEST_OK(config_set(cfg, keys[i], err, sizeof err) == 0 &&
		    documented(page, key), what);
		config_free(cfg);
	}
	TEST_OK(!documented(page, "nonsense"), "documented() can say no");
}

int
main(int argc, char **argv)
{
	char exe[PATH_MAX], path[PATH_MAX + 64], *p, *page;
	int i;

	(void)argc;
	if (realpath(argv[0], exe) == NULL)
		abort();
	for (i = 0; i < 3; i++)
		if ((p = strrchr(exe, '/')) != NULL)
			*p = '\0';
	memcpy(top, exe, strlen(exe) + 1);
	unsetenv("TZ");
	test_example();
	snprintf(path, sizeof path, "%s/man/csm.conf.5", top);
	page = slurp(path);
	test_man_example(page);
	test_keys(page);
	free(page);
	return test_done();
}
