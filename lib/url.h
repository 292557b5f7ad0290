/*
 * url.h: the request target of a proxy log line, split into the
 * destination columns every proxy format fills the same way.
 */
#ifndef CSM_URL_H
#define CSM_URL_H

#include "event.h"
#include "slice.h"

/*
 * Sets dst_host and dst_port of ev from a request target: "host:port" for
 * CONNECT (also "[v6]:port"), else an absolute URL
 * "scheme://[userinfo@]host[:port]/...", whose port defaults from the
 * scheme (http 80, https 443, ftp 21). When the host is an IP literal and
 * dst_ip is empty, dst_ip is set too. A relative target sets nothing.
 */
void url_fill_target(struct event *ev, struct slice method,
    struct slice target);

#endif
