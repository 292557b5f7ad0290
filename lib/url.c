/*
 * url.c: request-target splitting for proxy events. Only the authority part
 * is looked at; the rest of the URL stays in the url column as logged.
 */
#include "ipaddr.h"
#include "num.h"
#include "url.h"

/* Sets host (and port when present) from "host[:port]" or "[v6][:port]". */
static void
fill_authority(struct event *ev, struct slice auth, struct slice def_port)
{
	struct slice host = auth, port = def_port;
	struct ipaddr ip;
	uint64_t pn;
	long colon;

	if (auth.n && auth.p[0] == '[') {
		long close = slice_find(auth, ']');
		if (close < 0)
			return;
		host = slice_make(auth.p + 1, (size_t)close - 1);
		if ((size_t)close + 1 < auth.n && auth.p[close + 1] == ':')
			port = slice_from(auth, (size_t)close + 2);
	} else if ((colon = slice_find(auth, ':')) >= 0 &&
	    slice_find(slice_from(auth, (size_t)colon + 1), ':') < 0) {
		host = slice_make(auth.p, (size_t)colon);
		port = slice_from(auth, (size_t)colon + 1);
	}
	if (host.n == 0)
		return;
	ev->f[EV_DST_HOST] = host;
	if (port.n && num_parse_u64(port, 65535, &pn) == 0)
		ev->f[EV_DST_PORT] = port;
	if (ev->f[EV_DST_IP].n == 0 && ip_parse(host, &ip) == 0)
		ev->f[EV_DST_IP] = host;
}

void
url_fill_target(struct event *ev, struct slice method, struct slice target)
{
	struct slice rest, scheme, def = SLICE_NONE;
	long sep, end, at;
	size_t i;

	if (slice_eq(method, "CONNECT")) {
		fill_authority(ev, target, SLICE_NONE);
		return;
	}
	sep = -1;
	for (i = 0; i + 2 < target.n; i++) {
		if (target.p[i] == ':' && target.p[i + 1] == '/' &&
		    target.p[i + 2] == '/') {
			sep = (long)i;
			break;
		}
		if (target.p[i] == '/' || target.p[i] == '?')
			break;
	}
	if (sep <= 0)
		return;
	scheme = slice_make(target.p, (size_t)sep);
	if (slice_eq_nocase(scheme, "http"))
		def = SLICE_LIT("80");
	else if (slice_eq_nocase(scheme, "https"))
		def = SLICE_LIT("443");
	else if (slice_eq_nocase(scheme, "ftp"))
		def = SLICE_LIT("21");
	rest = slice_from(target, (size_t)sep + 3);
	for (end = 0; (size_t)end < rest.n; end++)
		if (rest.p[end] == '/' || rest.p[end] == '?' ||
		    rest.p[end] == '#')
			break;
	rest.n = (size_t)end;
	/* Drop userinfo: the last '@' before the path. */
	while ((at = slice_find(rest, '@')) >= 0)
		rest = slice_from(rest, (size_t)at + 1);
	fill_authority(ev, rest, def);
}
