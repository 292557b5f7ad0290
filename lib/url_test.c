/*
 * url_test.c: request targets split into destination columns.
 */
#include "test.h"
#include "url.h"

static struct event ev;

static void
check(const char *method, const char *target, const char *host,
    const char *port, const char *ip, const char *what)
{
	event_clear(&ev);
	url_fill_target(&ev, slice_cstr(method), slice_cstr(target));
	TEST_OK(slice_eq(ev.f[EV_DST_HOST], host) &&
	    slice_eq(ev.f[EV_DST_PORT], port) &&
	    slice_eq(ev.f[EV_DST_IP], ip), what);
}

int
main(void)
{
	check("CONNECT", "login.example.net:443", "login.example.net", "443",
	    "", "CONNECT host:port");
	check("CONNECT", "203.0.113.5:8443", "203.0.113.5", "8443",
	    "203.0.113.5", "CONNECT to an address sets dst_ip");
	check("CONNECT", "[2001:db8::1]:443", "2001:db8::1", "443",
	    "2001:db8::1", "CONNECT to [v6]:port");
	check("GET", "http://www.example.com/a:b", "www.example.com", "80", "",
	    "http default port; colon in path ignored");
	check("GET", "https://example.jp:8443/x?y=1", "example.jp", "8443", "",
	    "explicit port");
	check("GET", "HTTPS://Example.JP/", "Example.JP", "443", "",
	    "scheme in any case");
	check("GET", "ftp://user:pw@files.example/f", "files.example", "21", "",
	    "userinfo dropped");
	check("GET", "http://a@b@c.example/", "c.example", "80", "",
	    "last @ wins");
	check("GET", "/relative/path", "", "", "", "relative target sets nothing");
	check("GET", "http://host.example:99999/", "host.example", "", "",
	    "port out of range not kept");
	check("GET", "gopher://g.example/", "g.example", "", "",
	    "unknown scheme: no default port");
	check("GET", "http://[::1]/", "::1", "80", "::1", "bracketed v6");
	check("GET", "http://", "", "", "", "empty authority");
	return test_done();
}
