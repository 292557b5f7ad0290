/*
 * allow.c: the allowlist of csm-report (--allow). Each line accepts the
 * findings matching four patterns, check, rule, source and destination,
 * and says why ("nightly backup upload, ticket 4711"); blank lines and
 * '#' comments are skipped. A pattern is '*' (anything), a glob with '*'
 * and '?' (ASCII case ignored, as host names are), or for the source and
 * destination an address or CIDR block, which matches the address part
 * of the column ("203.0.113.9:443/tcp", "[fd00:2::7]:5985/tcp"). The
 * reason is required: the report lists every suppressed finding with it,
 * so that accepting a risk stays visible.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "esc.h"
#include "listfile.h"
#include "report.h"

/* Whether s matches the glob pat ('*', '?', ASCII case ignored). */
static int
glob_match(const char *pat, struct slice s)
{
	const char *star = NULL;
	size_t i = 0, mark = 0;

	while (i < s.n) {
		if (*pat == '*') {
			star = ++pat;
			mark = i;
		} else if (*pat != '\0' && (*pat == '?' ||
		    tolower((unsigned char)*pat) ==
		    tolower((unsigned char)s.p[i]))) {
			pat++;
			i++;
		} else if (star != NULL) {
			pat = star;
			i = ++mark;
		} else {
			return 0;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

/* The address in a dst column: "[v6]:port/proto", "v4:port/proto", ... */
static int
dst_address(struct slice d, struct ipaddr *ip)
{
	long k;

	if (d.n > 0 && d.p[0] == '[') {
		if ((k = slice_find(d, ']')) < 0)
			return -1;
		return ip_parse(slice_make(d.p + 1, (size_t)k - 1), ip);
	}
	if (ip_parse(d, ip) == 0)
		return 0;
	for (k = (long)d.n - 1; k >= 0; k--)
		if (d.p[k] == '/')
			break;
	if (k > 0) {
		d.n = (size_t)k;
		if (ip_parse(d, ip) == 0)
			return 0;
	}
	for (k = (long)d.n - 1; k >= 0; k--)
		if (d.p[k] == ':')
			break;
	if (k > 0 && ip_parse(slice_make(d.p, (size_t)k), ip) == 0)
		return 0;
	return -1;
}

static char *
dup_slice(struct slice s)
{
	char *p = malloc(s.n + 1);

	if (p != NULL) {
		memcpy(p, s.p, s.n);
		p[s.n] = '\0';
	}
	return p;
}

/* Whether a pattern is an address or CIDR block; fills set if so. */
static int
as_cidr(struct slice w, struct cidr_set *set)
{
	long slash = slice_find(w, '/');
	struct slice a = slash >= 0 ? slice_make(w.p, (size_t)slash) : w;

	if (!ip_valid(a))
		return 0;
	return cidr_set_add(set, w) == 0 ? 1 : -1;
}

static int
parse_line(struct allow_rule *ar, const struct listfile_item *it,
    char *err, size_t errcap)
{
	struct slice rest = it->s, w[4];
	char q[80], file[DIAG_NAME_MAX];
	int i, c;

	/* The list's name, like every file's in a message, escaped. */
	diag_escape(file, sizeof file, slice_cstr(it->file));
	memset(ar, 0, sizeof *ar);
	cidr_set_init(&ar->src_set);
	cidr_set_init(&ar->dst_set);
	ar->file = it->file;
	ar->line = it->line;
	for (i = 0; i < 4; i++)
		w[i] = slice_next_word(&rest);
	rest = slice_trim(rest);
	if (w[3].n == 0 || rest.n == 0) {
		snprintf(err, errcap, "%s:%llu: expected 'check rule source "
		    "destination reason'", file,
		    (unsigned long long)it->line);
		return -1;
	}
	for (i = 0; i < 4; i++)
		if ((ar->pat[i] = dup_slice(w[i])) == NULL)
			goto oom;
	/* Kept escaped, like the findings' text, for every writer. */
	if ((ar->reason = malloc(rest.n * ESC_MAX_GROWTH + 1)) == NULL)
		goto oom;
	ar->reason[esc_tsv(ar->reason, rest, ESC_TSV)] = '\0';
	for (i = 2; i < 4; i++) {
		c = as_cidr(w[i], i == 2 ? &ar->src_set : &ar->dst_set);
		if (c < 0) {
			snprintf(err, errcap, "%s:%llu: bad address '%s'",
			    file, (unsigned long long)it->line,
			    diag_quote(q, sizeof q, w[i]));
			return -1;
		}
		if (i == 2)
			ar->src_cidr = c;
		else
			ar->dst_cidr = c;
	}
	cidr_set_finish(&ar->src_set);
	cidr_set_finish(&ar->dst_set);
	return 0;
oom:
	snprintf(err, errcap, "%s: out of memory", file);
	return -1;
}

static void
rule_release(struct allow_rule *ar)
{
	int i;

	for (i = 0; i < 4; i++)
		free(ar->pat[i]);
	free(ar->reason);
	cidr_set_release(&ar->src_set);
	cidr_set_release(&ar->dst_set);
}

int
allow_load(struct allowlist *al, const char *path, char *err,
    size_t errcap)
{
	struct listfile lf;
	size_t i;
	int rc = 0;

	listfile_init(&lf);
	if (listfile_load(&lf, path, err, errcap) != 0) {
		listfile_release(&lf);
		return -1;
	}
	if ((al->r = calloc(lf.n + 1, sizeof *al->r)) == NULL) {
		snprintf(err, errcap, "%s: out of memory", path);
		listfile_release(&lf);
		return -1;
	}
	for (i = 0; i < lf.n; i++) {
		/* The file names of listfile go away with it: keep ours. */
		lf.item[i].file = path;
		if (parse_line(&al->r[al->n], &lf.item[i], err, errcap) != 0) {
			rule_release(&al->r[al->n]);
			rc = -1;
			break;
		}
		al->n++;
	}
	listfile_release(&lf);
	return rc;
}

int
allow_match(struct allowlist *al, const struct rfind *f)
{
	size_t i;

	for (i = 0; i < al->n; i++) {
		struct allow_rule *ar = &al->r[i];
		struct ipaddr ip;

		if (!glob_match(ar->pat[0], f->f[FD_CHECK]) ||
		    !glob_match(ar->pat[1], f->f[FD_RULE]))
			continue;
		if (ar->src_cidr ? ip_parse(f->f[FD_SRC_IP], &ip) != 0 ||
		    !cidr_set_contains(&ar->src_set, &ip) :
		    !glob_match(ar->pat[2], f->f[FD_SRC_IP]))
			continue;
		if (ar->dst_cidr ? dst_address(f->f[FD_DST], &ip) != 0 ||
		    !cidr_set_contains(&ar->dst_set, &ip) :
		    !glob_match(ar->pat[3], f->f[FD_DST]))
			continue;
		return (int)i;
	}
	return -1;
}

void
allow_release(struct allowlist *al)
{
	size_t i;

	for (i = 0; i < al->n; i++)
		rule_release(&al->r[i]);
	free(al->r);
	memset(al, 0, sizeof *al);
}
