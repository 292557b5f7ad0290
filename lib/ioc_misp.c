/*
 * ioc_misp.c: MISP JSON exports read with jansson: one event
 * ({"Event": {...}}), a list of them, a restSearch response
 * ({"response": [...]}, events or {"Attribute": [...]}) or bare
 * attributes. Each attribute meant for detection (to_ids) becomes an
 * indicator with its event's organisation as source, its category,
 * comment, event title and tags as tag, and the event's threat level as
 * severity; attributes of objects count too. JSON has no lines, so a bad
 * attribute is reported under the line of its uuid when that can be
 * found in the text.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include "diag.h"
#include "ioc_impl.h"
#include "ioc_load.h"

struct misp {
	struct ioc_set *s;
	struct ioc_load *ld;
	const char *name;
	const char *buf;	/* the file's text, for line numbers */
	size_t len;
	int nomem;
};

/* What an event gives each of its attributes. */
struct misp_event {
	struct slice info, org, tags;
	int severity;
	char tagbuf[256];
};

/* A string member of o as a slice (JSON may hold NULs), or empty. */
static struct slice
str(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		return SLICE_NONE;
	return slice_make(json_string_value(v), json_string_length(v));
}

/* Appends the names of the tags in o's "Tag" array to buf, ", " apart. */
static size_t
tag_names(const json_t *o, char *buf, size_t cap, size_t n)
{
	const json_t *tags = json_object_get(o, "Tag"), *t;
	size_t i;

	json_array_foreach(tags, i, t) {
		struct slice name = str(t, "name");
		int k;

		if (name.n == 0 || n + 3 >= cap)
			continue;
		k = snprintf(buf + n, cap - n, "%s%.*s", n ? ", " : "",
		    (int)name.n, name.p);
		if (k > 0)
			n += (size_t)k < cap - n ? (size_t)k : cap - n - 1;
	}
	return n;
}

/* Appends part to buf, "; " apart. */
static size_t
join(char *buf, size_t cap, size_t n, struct slice part)
{
	int k;

	if (part.n == 0 || n + 3 >= cap)
		return n;
	k = snprintf(buf + n, cap - n, "%s%.*s", n ? "; " : "", (int)part.n,
	    part.p);
	if (k > 0)
		n += (size_t)k < cap - n ? (size_t)k : cap - n - 1;
	return n;
}

/* The line of the first occurrence of v in the text, or 0. */
static uint64_t
line_of(const struct misp *m, struct slice v)
{
	const char *p;
	uint64_t line = 1;
	size_t i;

	if (v.n < 8 || (p = memmem(m->buf, m->len, v.p, v.n)) == NULL)
		return 0;
	for (i = 0; i < (size_t)(p - m->buf); i++)
		line += m->buf[i] == '\n';
	return line;
}

/* Whether "to_ids" (true, "1", "true"; absent means yes) says detect. */
static int
for_detection(const json_t *a)
{
	const json_t *v = json_object_get(a, "to_ids");

	if (v == NULL)
		return 1;
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (json_is_string(v))
		return slice_eq(str(a, "to_ids"), "1") ||
		    slice_eq_nocase(str(a, "to_ids"), "true");
	return 0;
}

static void
attribute(struct misp *m, const json_t *a, const struct misp_event *ev)
{
	struct slice type = str(a, "type"), value = str(a, "value");
	struct slice category = str(a, "category");
	struct ioc_meta meta = ioc_meta_of(m->name);
	char tag[400], atags[200], why[300];
	size_t n = 0;
	int rc;

	if (!json_is_object(a))
		return;
	if (!for_detection(a) || json_is_true(json_object_get(a,
	    "deleted"))) {
		m->ld->ignored++;
		return;
	}
	n = join(tag, sizeof tag, n, category);
	n = join(tag, sizeof tag, n, str(a, "comment"));
	if (ev != NULL) {
		n = join(tag, sizeof tag, n, ev->info);
		n = join(tag, sizeof tag, n, ev->tags);
		if (ev->org.n > 0)
			meta.source = ev->org;
		meta.severity = ev->severity;
	}
	n = join(tag, sizeof tag, n, slice_make(atags, tag_names(a, atags,
	    sizeof atags, 0)));
	meta.tag = slice_make(tag, n);
	if (slice_eq_nocase(category, "payload delivery"))
		meta.stage = IOC_STAGE_DELIVERY;
	if (type.n == 0 || value.n == 0) {
		m->ld->bad_lines++;
		ioc_load_bad(m->ld, line_of(m, str(a, "uuid")),
		    "attribute without a type or a value");
		return;
	}
	rc = ioc_load_add(m->s, m->ld, type, value, &meta, why, sizeof why);
	if (rc < 0)
		m->nomem = 1;
	else if (rc == 1) {
		uint64_t line = line_of(m, str(a, "uuid"));

		ioc_load_bad(m->ld, line ? line : line_of(m, value), why);
	}
}

static void
attributes(struct misp *m, const json_t *list, const struct misp_event *ev)
{
	const json_t *a;
	size_t i;

	json_array_foreach(list, i, a)
		attribute(m, a, ev);
}

static void
event(struct misp *m, const json_t *e)
{
	const json_t *org = json_object_get(e, "Orgc"), *lv, *o;
	struct misp_event ev;
	size_t i;

	memset(&ev, 0, sizeof ev);
	ev.info = str(e, "info");
	if (org == NULL)
		org = json_object_get(e, "Org");
	ev.org = str(org, "name");
	ev.tags = slice_make(ev.tagbuf, tag_names(e, ev.tagbuf,
	    sizeof ev.tagbuf, 0));
	/* threat_level_id: 1 high, 2 medium, 3 low, 4 undefined. */
	ev.severity = -1;
	lv = json_object_get(e, "threat_level_id");
	if (json_is_string(lv) && json_string_length(lv) == 1 &&
	    json_string_value(lv)[0] >= '1' && json_string_value(lv)[0] <= '3')
		ev.severity = 4 - (json_string_value(lv)[0] - '0');
	else if (json_is_integer(lv) && json_integer_value(lv) >= 1 &&
	    json_integer_value(lv) <= 3)
		ev.severity = 4 - (int)json_integer_value(lv);
	attributes(m, json_object_get(e, "Attribute"), &ev);
	json_array_foreach(json_object_get(e, "Object"), i, o)
		attributes(m, json_object_get(o, "Attribute"), &ev);
}

/* Finds events and attributes in v; returns whether there were any. */
static int
walk(struct misp *m, const json_t *v, int depth)
{
	const json_t *x;
	size_t i;
	int any = 0;

	if (depth > 8)
		return 0;
	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			any |= walk(m, x, depth + 1);
		return any;
	}
	if (!json_is_object(v))
		return 0;
	if (json_is_object(x = json_object_get(v, "Event"))) {
		event(m, x);
		return 1;
	}
	if ((x = json_object_get(v, "response")) != NULL)
		return walk(m, x, depth + 1);
	if (json_is_array(json_object_get(v, "Attribute"))) {
		event(m, v);
		return 1;
	}
	if (json_is_string(json_object_get(v, "type")) &&
	    json_object_get(v, "value") != NULL) {
		attribute(m, v, NULL);
		return 1;
	}
	return 0;
}

int
ioc_misp_load(struct ioc_set *s, const char *name, const char *buf,
    size_t len, struct ioc_load *ld, char *err, size_t errcap)
{
	struct misp m = { s, ld, name, buf, len, 0 };
	json_error_t je;
	json_t *root;
	char q[DIAG_NAME_MAX], t[200];
	int any;

	diag_escape(q, sizeof q, slice_cstr(name));
	if ((root = json_loadb(buf, len, 0, &je)) == NULL) {
		snprintf(err, errcap, "%s:%d: bad JSON: %s", q, je.line,
		    diag_escape(t, sizeof t, slice_cstr(je.text)));
		return IOC_LOAD_FAILED;
	}
	any = walk(&m, root, 0);
	json_decref(root);
	if (m.nomem) {
		snprintf(err, errcap, "%s: out of memory", q);
		return IOC_LOAD_NOMEM;
	}
	if (!any) {
		snprintf(err, errcap, "%s: no MISP event or attribute in the "
		    "JSON", q);
		return IOC_LOAD_FAILED;
	}
	return 0;
}
