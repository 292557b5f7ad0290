/*
 * findings.c: csm-ioc's findings, written at the end of the input: one
 * per (source, indicator, log), sorted, its reason saying which listed
 * indicator was met, how (itself, as a parent domain, as a URL prefix),
 * in which fields, from which list, and what the device did.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "finding.h"
#include "iocmatch.h"
#include "num.h"

/* "as a parent domain" and the like: how the indicator was met. */
static const char *
how(enum ioc_kind k, unsigned flags)
{
	int exact = (flags & FL_EXACT) != 0, under = (flags & FL_UNDER) != 0;

	if (!under || k == IOC_NET)
		return "";
	if (k == IOC_DOMAIN)
		return exact ? " itself and as a parent domain" :
		    " as a parent domain";
	if (k == IOC_URL)
		return exact ? " exactly and as a URL prefix" :
		    " as a URL prefix";
	return "";
}

/* The reason column. */
static void
reason(const struct iocmatch *m, const struct agg_entry *e, uint32_t id,
    int log, char *buf, size_t cap)
{
	static const char *const kinds[IOC_NKINDS] = {
		"address", "network", "domain", "URL", "e-mail address"
	};
	struct ioc_info info;
	char text[600], fields[100];
	size_t n = 0;
	int f;

	ioc_get(m->set, id, &info);
	ioc_text(m->set, id, text, sizeof text);
	fields[0] = '\0';
	for (f = 0; f < F_NFIELDS; f++)
		if (e->flags & (1u << f))
			n += (size_t)snprintf(fields + n, sizeof fields - n,
			    "%s%s", n ? ", " : "", iocmatch_field_names[f]);
	snprintf(buf, cap, "%llu %s event%s matched listed %s '%s'%s in %s "
	    "(%.*s%s%.*s)%s", (unsigned long long)e->count, iocmatch_log_names[log],
	    e->count == 1 ? "" : "s", kinds[info.kind], text,
	    how(info.kind, (unsigned)e->flags), fields, (int)info.source.n,
	    info.source.p, info.tag.n ? ": " : "", (int)(info.tag.n < 300 ?
	    info.tag.n : 300), info.tag.p, !(e->flags & FL_DENY) ? "" :
	    e->flags & FL_ALLOW ? "; some denied" : "; all denied");
}

int
iocmatch_write_findings(struct iocmatch *m)
{
	static const double scores[5] = { 0.1, 0.3, 0.5, 0.8, 1.0 };
	struct agg_entry **v = agg_sorted(&m->agg);
	char src[256], dst[1300], user[320], origin[1100], why[1200];
	struct finding fd;
	size_t i;

	if (v == NULL)
		return -1;
	finding_write_header(m->out);
	for (i = 0; i < m->agg.n; i++) {
		const struct agg_entry *e = v[i], *s;
		struct slice seen, lg = agg_key_field(e, 2);
		struct ioc_info info;
		uint64_t id = 0;
		int log;
		long tab;

		(void)num_parse_u64(agg_key_field(e, 1), UINT32_MAX, &id);
		for (log = 0; log < LOG_NKINDS - 1 &&
		    !slice_eq(lg, iocmatch_log_names[log]); log++)
			;
		ioc_get(m->set, (uint32_t)id, &info);
		s = agg_get(&m->seen, slice_make(e->key, e->key_len));
		seen = s != NULL && s->origin ? slice_cstr(s->origin) :
		    SLICE_NONE;
		tab = slice_find(seen, '\t');
		memset(&fd, 0, sizeof fd);
		fd.ts_ms = e->first_ms;
		fd.ts_last_ms = e->last_ms;
		fd.f[FD_CHECK] = slice_cstr("ioc");
		fd.f[FD_RULE] = slice_cstr(ioc_kind_names[info.kind]);
		fd.severity = info.severity;
		fd.score = info.confidence >= 0 ? info.confidence / 100.0 :
		    scores[info.severity];
		fd.f[FD_SRC_IP] = finding_raw(agg_key_field(e, 0), src, sizeof src);
		if (tab >= 0) {
			fd.f[FD_DST] = finding_raw(slice_make(seen.p, (size_t)tab), dst,
			    sizeof dst);
			fd.f[FD_USER] = finding_raw(slice_from(seen, (size_t)tab + 1),
			    user, sizeof user);
		}
		fd.count = e->count;
		fd.bytes = e->bytes;
		reason(m, e, (uint32_t)id, log, why, sizeof why);
		fd.f[FD_REASON] = slice_cstr(why);
		fd.f[FD_CLAUSE] = slice_cstr(iocmatch_clauses[log]);
		fd.f[FD_STAGE] = slice_cstr(info.stage == IOC_STAGE_DELIVERY ||
		    (info.stage == IOC_STAGE_NONE && log == LOG_MAIL) ?
		    "delivery" : "c2");
		fd.f[FD_ORIGIN] = finding_raw(slice_cstr(e->origin ? e->origin : ""),
		    origin, sizeof origin);
		finding_write(m->out, &fd, &m->tc);
	}
	free(v);
	return 0;
}
