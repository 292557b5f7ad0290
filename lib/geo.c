/*
 * geo.c: country, ASN and AS organisation of an address from MaxMind DB
 * files, through libmaxminddb (see geo.h). Special-purpose ranges are
 * classified from fixed tables (the IANA special-purpose address
 * registries) and never looked up. Answers are kept in a direct-mapped
 * cache keyed by the address: a hit costs a hash and one comparison, and
 * the strings in it stay slices of the memory-mapped files, so the cache
 * is fixed in size whatever the database holds. A database file is
 * untrusted input too: its search tree is walked once at open, and every
 * decoding error later is reported rather than guessed around.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "diag.h"
#include "geo.h"
#include "num.h"

struct geo_db {
	MMDB_s mmdb;
	char *path;
	int bad;		/* failed once: not asked again */
};

struct geo_slot {
	struct ipaddr ip;
	int used;
	struct geo_info info;
};

static const char *const class_names[GEO_NCLASSES] = {
	"", "private", "shared", "loopback", "link-local", "documentation",
	"multicast", "reserved",
};

/* IPv4 special-purpose ranges (RFC 6890 and the IANA registry). */
static const struct v4range {
	uint32_t net;
	int plen;
	enum geo_class cls;
} v4ranges[] = {
	{ 0x00000000, 8, GEO_RESERVED },	/* "this network" */
	{ 0x0a000000, 8, GEO_PRIVATE },
	{ 0x64400000, 10, GEO_SHARED },
	{ 0x7f000000, 8, GEO_LOOPBACK },
	{ 0xa9fe0000, 16, GEO_LINK_LOCAL },
	{ 0xac100000, 12, GEO_PRIVATE },
	{ 0xc0000000, 24, GEO_RESERVED },	/* IETF protocol assignments */
	{ 0xc0000200, 24, GEO_DOCUMENTATION },	/* TEST-NET-1 */
	{ 0xc0a80000, 16, GEO_PRIVATE },
	{ 0xc6120000, 15, GEO_RESERVED },	/* benchmarking */
	{ 0xc6336400, 24, GEO_DOCUMENTATION },	/* TEST-NET-2 */
	{ 0xcb007100, 24, GEO_DOCUMENTATION },	/* TEST-NET-3 */
	{ 0xe0000000, 4, GEO_MULTICAST },
	{ 0xf0000000, 4, GEO_RESERVED },	/* incl. 255.255.255.255 */
};

/* IPv6 ranges by their first 64 bits (none is longer than /64). */
static const struct v6range {
	uint64_t net;
	int plen;
	enum geo_class cls;
} v6ranges[] = {
	{ 0xff00000000000000ULL, 8, GEO_MULTICAST },
	{ 0xfe80000000000000ULL, 10, GEO_LINK_LOCAL },
	{ 0xfc00000000000000ULL, 7, GEO_PRIVATE },
	{ 0x20010db800000000ULL, 32, GEO_DOCUMENTATION },
	{ 0x3fff000000000000ULL, 20, GEO_DOCUMENTATION },	/* RFC 9637 */
	{ 0x2001000200000000ULL, 48, GEO_RESERVED },	/* benchmarking */
};

const char *
geo_class_name(enum geo_class cls)
{
	return cls >= 0 && cls < GEO_NCLASSES ? class_names[cls] : "";
}

static uint64_t
load_be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

enum geo_class
geo_classify(const struct ipaddr *ip)
{
	struct ipaddr v4;
	uint64_t hi, lo;
	size_t i;

	/* A NAT64 address is its IPv4 address, reached through a gateway. */
	if (ip_nat64_v4(ip, &v4))
		ip = &v4;
	if (ip_is_v4(ip)) {
		uint32_t a = (uint32_t)ip->b[12] << 24 |
		    (uint32_t)ip->b[13] << 16 | (uint32_t)ip->b[14] << 8 |
		    ip->b[15];

		for (i = 0; i < sizeof v4ranges / sizeof v4ranges[0]; i++) {
			uint32_t mask = ~0U << (32 - v4ranges[i].plen);

			if ((a & mask) == v4ranges[i].net)
				return v4ranges[i].cls;
		}
		return GEO_PUBLIC;
	}
	hi = load_be64(ip->b);
	lo = load_be64(ip->b + 8);
	if (hi == 0 && lo == 1)
		return GEO_LOOPBACK;
	for (i = 0; i < sizeof v6ranges / sizeof v6ranges[0]; i++) {
		uint64_t mask = ~0ULL << (64 - v6ranges[i].plen);

		if ((hi & mask) == v6ranges[i].net)
			return v6ranges[i].cls;
	}
	/* Global unicast is 2000::/3; everything else is not routed. */
	return (hi >> 61) == 1 ? GEO_PUBLIC : GEO_RESERVED;
}

/* Whether s is 1 to max bytes, each accepted by the kind. */
static int
all_of(struct slice s, size_t max, int proto)
{
	size_t i;

	if (s.n == 0 || s.n > max)
		return 0;
	for (i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];

		if (c >= '0' && c <= '9')
			continue;
		if (!proto || !((c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

/* Whether rest is "", ":port", "/proto" or ":port/proto". */
static int
port_proto(struct slice rest)
{
	long slash = slice_find(rest, '/');
	struct slice port = rest;
	uint64_t v;

	if (slash >= 0) {
		if (!all_of(slice_from(rest, (size_t)slash + 1), 16, 1))
			return 0;
		port.n = (size_t)slash;
	}
	if (port.n == 0)
		return 1;
	return port.p[0] == ':' && all_of(slice_from(port, 1), 5, 0) &&
	    num_parse_u64(slice_from(port, 1), 65535, &v) == 0;
}

int
geo_addr_from_text(struct slice s, struct ipaddr *ip)
{
	struct slice a;
	long end, cut;

	if (s.n == 0)
		return -1;
	if (ip_parse(s, ip) == 0)
		return 0;
	if (s.p[0] == '[') {
		if ((end = slice_find(s, ']')) < 0 ||
		    !port_proto(slice_from(s, (size_t)end + 1)))
			return -1;
		a = slice_make(s.p + 1, (size_t)end - 1);
		if ((cut = slice_find(a, '%')) >= 0)
			a.n = (size_t)cut;
		return ip_parse(a, ip);
	}
	/* An unbracketed IPv6 address has no port: only "/proto" may follow. */
	a = s;
	if ((cut = slice_find(s, '/')) >= 0)
		a.n = (size_t)cut;
	if (ip_parse(a, ip) == 0)
		return port_proto(slice_from(s, a.n)) ? 0 : -1;
	if ((cut = slice_find(a, ':')) < 0)
		return -1;
	a.n = (size_t)cut;
	if (ip_parse(a, ip) != 0 || !ip_is_v4(ip) ||
	    !port_proto(slice_from(s, a.n)))
		return -1;
	return 0;
}

void
geo_init(struct geo *g)
{
	memset(g, 0, sizeof *g);
}

/* Sets err to "what 'PATH': why", the path named whole (diag.h). */
static void
geo_fail(char *err, size_t errcap, const char *what, const char *path,
    const char *why)
{
	char q[DIAG_NAME_MAX];

	snprintf(err, errcap, "%s '%s': %s", what,
	    diag_escape(q, sizeof q, slice_cstr(path)), why);
}

/* Our words for what libmaxminddb found wrong with a file. */
static const char *
mmdb_why(int rc)
{
	switch (rc) {
	case MMDB_CORRUPT_SEARCH_TREE_ERROR:
	case MMDB_INVALID_NODE_NUMBER_ERROR:
		return "corrupt search tree";
	case MMDB_INVALID_METADATA_ERROR:
		return "no valid metadata (not a MaxMind DB file?)";
	case MMDB_UNKNOWN_DATABASE_FORMAT_ERROR:
		return "unknown format version";
	case MMDB_INVALID_DATA_ERROR:
		return "corrupt data section";
	case MMDB_OUT_OF_MEMORY_ERROR:
		return "out of memory";
	default:
		return MMDB_strerror(rc);
	}
}

/* Bit i of a bitmap. */
static int
bit_get(const uint8_t *map, uint32_t i)
{
	return map[i >> 3] >> (i & 7) & 1;
}

static void
bit_put(uint8_t *map, uint32_t i, int v)
{
	if (v)
		map[i >> 3] |= (uint8_t)(1U << (i & 7));
	else
		map[i >> 3] &= (uint8_t)~(1U << (i & 7));
}

/*
 * Walks the search tree from the root, depth first, with a stack no
 * deeper than the address is long. Nodes may be shared (IPv6 databases
 * alias ::ffff:0:0/96 and 2002::/16 to the IPv4 tree), but a record
 * leading back to a node on the current path is a loop, and a node that
 * no path reaches means the file is not what its metadata says. Returns
 * NULL, or why the tree is bad; -1 in *oom when memory ran out.
 */
static const char *
tree_check(const MMDB_s *m, int *oom)
{
	struct frame {
		MMDB_search_node_s node;
		uint32_t num;
		int side;
	} *stack;
	uint32_t n = m->metadata.node_count, seen = 1, i;
	uint8_t *visited, *onpath;
	const char *why = NULL;
	int depth = 0, maxdepth = m->depth;

	*oom = 0;
	if (n == 0)
		return "empty search tree";
	visited = calloc((size_t)n / 8 + 1, 1);
	onpath = calloc((size_t)n / 8 + 1, 1);
	stack = calloc((size_t)maxdepth + 1, sizeof *stack);
	if (visited == NULL || onpath == NULL || stack == NULL) {
		*oom = 1;
		why = "out of memory";
		goto out;
	}
	if (MMDB_read_node(m, 0, &stack[0].node) != MMDB_SUCCESS) {
		why = "unreadable search tree";
		goto out;
	}
	bit_put(visited, 0, 1);
	bit_put(onpath, 0, 1);
	while (depth >= 0) {
		struct frame *f = &stack[depth];
		uint64_t rec;
		uint8_t type;

		if (f->side == 2) {
			bit_put(onpath, f->num, 0);
			depth--;
			continue;
		}
		rec = f->side ? f->node.right_record : f->node.left_record;
		type = f->side ? f->node.right_record_type :
		    f->node.left_record_type;
		f->side++;
		if (type == MMDB_RECORD_TYPE_INVALID) {
			why = "search tree record out of range";
			goto out;
		}
		if (type != MMDB_RECORD_TYPE_SEARCH_NODE)
			continue;
		i = (uint32_t)rec;
		if (bit_get(onpath, i)) {
			why = "loop in the search tree";
			goto out;
		}
		if (bit_get(visited, i))
			continue;	/* shared: walked already */
		if (depth + 1 >= maxdepth) {
			why = "search tree deeper than an address";
			goto out;
		}
		depth++;
		memset(&stack[depth], 0, sizeof stack[depth]);
		stack[depth].num = i;
		if (MMDB_read_node(m, i, &stack[depth].node) != MMDB_SUCCESS) {
			why = "unreadable search tree";
			goto out;
		}
		bit_put(visited, i, 1);
		bit_put(onpath, i, 1);
		seen++;
	}
	if (seen != n)
		why = "search tree nodes that no address reaches";
out:
	free(visited);
	free(onpath);
	free(stack);
	return why;
}

int
geo_open(struct geo *g, const char *path, char *err, size_t errcap)
{
	struct geo_db *db;
	const char *why;
	int rc, oom;

	if (g->ndb == g->capdb) {
		size_t cap = g->capdb ? 2 * g->capdb : 4;
		struct geo_db *p = realloc(g->db, cap * sizeof *p);

		if (p == NULL)
			return -2;
		g->db = p;
		g->capdb = cap;
	}
	db = &g->db[g->ndb];
	memset(db, 0, sizeof *db);
	errno = 0;
	rc = MMDB_open(path, MMDB_MODE_MMAP, &db->mmdb);
	if (rc == MMDB_OUT_OF_MEMORY_ERROR)
		return -2;
	if (rc == MMDB_FILE_OPEN_ERROR || rc == MMDB_IO_ERROR) {
		/* A directory gets as far as a failed read (ENODEV). */
		geo_fail(err, errcap, "cannot open database", path,
		    errno == ENODEV ? "not a regular file" : errno ?
		    strerror(errno) : MMDB_strerror(rc));
		return -1;
	}
	if (rc != MMDB_SUCCESS) {
		geo_fail(err, errcap, "bad database", path, mmdb_why(rc));
		return -1;
	}
	if ((why = tree_check(&db->mmdb, &oom)) != NULL) {
		MMDB_close(&db->mmdb);
		if (oom)
			return -2;
		geo_fail(err, errcap, "bad database", path, why);
		return -1;
	}
	if ((db->path = strdup(path)) == NULL) {
		MMDB_close(&db->mmdb);
		return -2;
	}
	g->ndb++;
	return 0;
}

/* A slot for ip: a multiplicative hash of the two halves. */
static size_t
slot_of(const struct ipaddr *ip)
{
	uint64_t a, b;

	memcpy(&a, ip->b, 8);
	memcpy(&b, ip->b + 8, 8);
	a = (a ^ (b * 0x9e3779b97f4a7c15ULL)) * 0xff51afd7ed558ccdULL;
	return (size_t)(a >> 32) & (GEO_CACHE_SLOTS - 1);
}

/*
 * One value at the first of two paths that the entry has: 1 found, 0 not
 * there (or not of the wanted kind), -1 with *rc set on a decoding error.
 */
static int
get_value(MMDB_entry_s *e, const char *const *p1, const char *const *p2,
    MMDB_entry_data_s *d, int *rc)
{
	const char *const *paths[2] = { p1, p2 };
	int i;

	for (i = 0; i < 2; i++) {
		*rc = MMDB_aget_value(e, d, paths[i]);
		if (*rc == MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR ||
		    *rc == MMDB_INVALID_LOOKUP_PATH_ERROR)
			continue;
		if (*rc != MMDB_SUCCESS)
			return -1;
		if (d->has_data)
			return 1;
	}
	return 0;
}

static const char *const p_country[] = { "country", "iso_code", NULL };
static const char *const p_registered[] = { "registered_country",
    "iso_code", NULL };
static const char *const p_asn[] = { "autonomous_system_number", NULL };
static const char *const p_traits_asn[] = { "traits",
    "autonomous_system_number", NULL };
static const char *const p_org[] = { "autonomous_system_organization",
    NULL };
static const char *const p_traits_org[] = { "traits",
    "autonomous_system_organization", NULL };

/* Fills what db knows of sa into out; returns 0, or an MMDB error. */
static int
ask(struct geo_db *db, const struct sockaddr *sa, struct geo_info *out)
{
	MMDB_lookup_result_s res;
	MMDB_entry_data_s d;
	int rc, r;

	res = MMDB_lookup_sockaddr(&db->mmdb, sa, &rc);
	if (rc == MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR)
		return 0;	/* an IPv4 database knows no IPv6 */
	if (rc != MMDB_SUCCESS)
		return rc;
	if (!res.found_entry)
		return 0;
	if (out->country.n == 0) {
		if ((r = get_value(&res.entry, p_country, p_registered, &d,
		    &rc)) < 0)
			return rc;
		if (r && d.type == MMDB_DATA_TYPE_UTF8_STRING)
			out->country = slice_make(d.utf8_string, d.data_size);
	}
	if (!out->has_asn) {
		if ((r = get_value(&res.entry, p_asn, p_traits_asn, &d,
		    &rc)) < 0)
			return rc;
		if (r && d.type == MMDB_DATA_TYPE_UINT32) {
			out->asn = d.uint32;
			out->has_asn = 1;
		} else if (r && d.type == MMDB_DATA_TYPE_UINT16) {
			out->asn = d.uint16;
			out->has_asn = 1;
		} else if (r && d.type == MMDB_DATA_TYPE_UINT64) {
			out->asn = d.uint64;
			out->has_asn = 1;
		}
	}
	if (out->org.n == 0) {
		if ((r = get_value(&res.entry, p_org, p_traits_org, &d,
		    &rc)) < 0)
			return rc;
		if (r && d.type == MMDB_DATA_TYPE_UTF8_STRING)
			out->org = slice_make(d.utf8_string, d.data_size);
	}
	return 0;
}

int
geo_lookup(struct geo *g, const struct ipaddr *ip, struct geo_info *out,
    char *err, size_t errcap)
{
	struct sockaddr_storage ss;
	struct geo_slot *slot = NULL;
	struct ipaddr v4;
	size_t i;
	int rc;

	if (g->cache == NULL)
		g->cache = calloc(GEO_CACHE_SLOTS, sizeof *g->cache);
	if (g->cache != NULL) {
		slot = &g->cache[slot_of(ip)];
		if (slot->used && memcmp(slot->ip.b, ip->b, 16) == 0) {
			g->st.lookups++;
			g->st.cached++;
			*out = slot->info;
			return 0;
		}
	}
	memset(out, 0, sizeof *out);
	out->country = out->org = slice_make("", 0);
	out->cls = geo_classify(ip);
	if (out->cls != GEO_PUBLIC) {
		g->st.special++;
	} else {
		memset(&ss, 0, sizeof ss);
		/* Databases know NAT64 addresses by their IPv4 ones. */
		if (ip_is_v4(ip) || ip_nat64_v4(ip, &v4)) {
			struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

			sin->sin_family = AF_INET;
			memcpy(&sin->sin_addr, ip->b + 12, 4);
		} else {
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

			sin6->sin6_family = AF_INET6;
			memcpy(&sin6->sin6_addr, ip->b, 16);
		}
		for (i = 0; i < g->ndb; i++) {
			if (g->db[i].bad)
				continue;
			if ((rc = ask(&g->db[i], (struct sockaddr *)&ss,
			    out)) != 0) {
				/*
				 * From here on the database says nothing:
				 * forget what it said before too, so that
				 * one address gets one answer.
				 */
				g->db[i].bad = 1;
				if (g->cache != NULL)
					memset(g->cache, 0, GEO_CACHE_SLOTS *
					    sizeof *g->cache);
				geo_fail(err, errcap, "bad database",
				    g->db[i].path, mmdb_why(rc));
				return -1;
			}
		}
		g->st.searched++;
		if (out->country.n == 0 && !out->has_asn && out->org.n == 0)
			g->st.unknown++;
	}
	if (slot != NULL) {
		slot->ip = *ip;
		slot->used = 1;
		slot->info = *out;
	}
	g->st.lookups++;
	return 0;
}

void
geo_release(struct geo *g)
{
	size_t i;

	for (i = 0; i < g->ndb; i++) {
		MMDB_close(&g->db[i].mmdb);
		free(g->db[i].path);
	}
	free(g->db);
	free(g->cache);
	memset(g, 0, sizeof *g);
}
