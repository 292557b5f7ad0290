#!/usr/bin/env python3
"""Writes squid_beacon.log: a day (2026-11-25, Asia/Tokyo) of Squid native
lines from two clients. 10.1.20.44 browses a few sites now and then and,
from 09:12 to 17:47 JST, also polls a command-and-control look-alike host
every 300 s with +-4 s of jitter (a Cobalt Strike-like sleep); 10.1.20.45
browses only. Deterministic (fixed seed): rerun to get the same bytes."""
import random

rng = random.Random(20261125)
start = 1795565520  # 2026-11-25T00:12:00Z = 09:12 JST
lines = []
t = float(start)
while t < start + 8.6 * 3600:
    lines.append((t, "10.1.20.44", "TCP_TUNNEL/200", rng.randint(4200, 4600),
                  "CONNECT", "cdn-update.jp-checker.example:443",
                  "HIER_DIRECT/198.51.100.201", "-"))
    t += 300 + rng.uniform(-4, 4)
sites = ["www.example.co.jp", "news.example.jp", "intranet.example.co.jp",
         "docs.example.com", "mail.example.co.jp"]
for client in ("10.1.20.44", "10.1.20.45"):
    t = float(start)
    while t < start + 8.6 * 3600:
        site = rng.choice(sites)
        lines.append((t, client, "TCP_MISS/200", rng.randint(800, 90000),
                      "GET", "http://%s/%s" % (site, rng.choice(
                          ["index.html", "top", "search?q=csm", "a.css"])),
                      "HIER_DIRECT/203.0.113.%d" % (10 + sites.index(site)),
                      "text/html"))
        t += rng.expovariate(1 / 900.0)
lines.sort()
with open("squid_beacon.log", "w") as f:
    for t, c, code, size, method, url, hier, mime in lines:
        f.write("%.3f %6d %s %s %d %s %s - %s %s\n" % (
            t, rng.randint(20, 900), c, code, size, method, url, hier, mime))
