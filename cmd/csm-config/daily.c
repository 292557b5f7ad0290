/*
 * daily.c: the [daily] section of csm.conf(5), read for csm-daily(1):
 * the log sources per kind (globs, with the csm-parse format of each
 * kind), the checks to run, the report formats and where the report goes
 * (a directory, mail). The table is declared to the configuration, so an
 * unknown key is an error like anywhere else; what a table cannot say
 * (that a format exists and reads that kind of log, that a check has a
 * name csm knows) is checked here. Values are printed one a line for a
 * shell script: a value that holds a control byte is refused, since it
 * could split a line or carry a header into a mail.
 */
#include <stdio.h>
#include <string.h>
#include "daily.h"
#include "diag.h"
#include "esc.h"
#include "fmt.h"

static const char *const kind_names[NKINDS] = {
	"proxy", "firewall", "dns", "mail", "auth"
};

static const char *const format_keys[NKINDS] = {
	"proxy-format", "firewall-format", "dns-format", "mail-format",
	"auth-format"
};

static const char *const all_checks[] = {
	"offhours", "fwdirect", "proxycheck", "beacon", "ioc", "mailcheck",
	"authcheck"
};
#define NCHECKS (sizeof all_checks / sizeof all_checks[0])

static const char *const all_forms[] = { "text", "html" };

static const char *const list_keys[CONFIG_LIST_COUNT] = {
	"user-agents", "admins", "ioc", "protected-names"
};

void
daily_keys(struct daily *d, struct config_key *k)
{
	size_t i, n = 0;

	memset(d, 0, sizeof *d);
	d->checks = (struct config_strv){ all_checks, NCHECKS };
	d->formats = (struct config_strv){ all_forms, 2 };
	for (i = 0; i < NKINDS; i++) {
		d->format[i] = "auto";
		k[n++] = (struct config_key){ kind_names[i], CONFIG_GLOBS,
		    &d->src[i], 0, 0 };
		k[n++] = (struct config_key){ format_keys[i], CONFIG_STRING,
		    &d->format[i], 0, 0 };
	}
	k[n++] = (struct config_key){ "checks", CONFIG_LIST, &d->checks, 0, 0 };
	k[n++] = (struct config_key){ "formats", CONFIG_LIST, &d->formats,
	    0, 0 };
	k[n++] = (struct config_key){ "output", CONFIG_PATH, &d->output,
	    0, 0 };
	k[n++] = (struct config_key){ "mail-to", CONFIG_LIST, &d->mail_to,
	    0, 0 };
	k[n++] = (struct config_key){ "mail-from", CONFIG_STRING,
	    &d->mail_from, 0, 0 };
	k[n++] = (struct config_key){ "subject", CONFIG_STRING, &d->subject,
	    0, 0 };
}

/* Whether s holds a control byte (C0 or DEL): one line, one header. */
static int
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static int
one_of(const char *s, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, v[i]) == 0)
			return 1;
	return 0;
}

/* Where the message about a bad value goes, and where values came from. */
struct verdict {
	const struct config *cfg;
	char *err;
	size_t errcap;
};

/* Says that value of key (stored at dst) is bad: what, and a hint. */
static int
bad_value(const struct verdict *v, const void *dst, const char *what,
    const char *key, const char *value, const char *hint)
{
	char q[80], at[CONFIG_WHERE_MAX];

	snprintf(v->err, v->errcap, "%s%s '%s' for '%s' in [daily]%s%s",
	    config_key_where(v->cfg, dst, at, sizeof at), what,
	    diag_quote(q, sizeof q, slice_cstr(value)), key,
	    hint[0] ? " " : "", hint);
	return -1;
}

/*
 * An address for a mail header, bare (local@domain): nothing that could
 * end it or start another header, group or comment, and no leading '-'.
 */
static int
mail_address_ok(const char *s)
{
	return s[0] != '\0' && s[0] != '-' && !has_control(s) &&
	    strpbrk(s, " ,;:<>\"()[]\\") == NULL;
}

int
daily_check(const struct daily *d, const struct config *cfg, char *err,
    size_t errcap)
{
	const struct verdict v = { cfg, err, errcap };
	char at[CONFIG_WHERE_MAX];
	const struct fmt *f;
	size_t i, j;

	for (i = 0; i < NKINDS; i++) {
		if (strcmp(d->format[i], "auto") == 0)
			;
		else if ((f = fmt_lookup(d->format[i])) == NULL)
			return bad_value(&v, &d->format[i], "unknown format",
			    format_keys[i], d->format[i],
			    "(auto, or a name from csm-parse --list-formats)");
		else if (strcmp(f->log, kind_names[i]) != 0 &&
		    strcmp(f->log, "mixed") != 0) {
			snprintf(err, errcap, "%sformat '%s' for '%s' in "
			    "[daily] reads %s logs, not %s", config_key_where(
			    cfg, &d->format[i], at, sizeof at), f->name,
			    format_keys[i], f->log, kind_names[i]);
			return -1;
		}
		for (j = 0; j < d->src[i].n; j++)
			if (has_control(d->src[i].v[j]))
				return bad_value(&v, &d->src[i],
				    "control byte in", kind_names[i],
				    d->src[i].v[j], "");
	}
	for (i = 0; i < d->checks.n; i++)
		if (!one_of(d->checks.v[i], all_checks, NCHECKS))
			return bad_value(&v, &d->checks, "unknown check",
			    "checks", d->checks.v[i], "(offhours, fwdirect, "
			    "proxycheck, beacon, ioc, mailcheck, authcheck)");
	for (i = 0; i < d->formats.n; i++)
		if (!one_of(d->formats.v[i], all_forms, 2))
			return bad_value(&v, &d->formats,
			    "unknown report format", "formats",
			    d->formats.v[i], "(text, html)");
	for (i = 0; i < d->mail_to.n; i++)
		if (!mail_address_ok(d->mail_to.v[i]))
			return bad_value(&v, &d->mail_to, "bad address",
			    "mail-to", d->mail_to.v[i], "");
	if (d->mail_from && !mail_address_ok(d->mail_from))
		return bad_value(&v, &d->mail_from, "bad address",
		    "mail-from", d->mail_from, "");
	if (d->output && has_control(d->output))
		return bad_value(&v, &d->output, "control byte in", "output",
		    d->output, "");
	if (d->subject && has_control(d->subject))
		return bad_value(&v, &d->subject, "control byte in",
		    "subject", d->subject, "");
	return 0;
}

static void
put_line(struct outbuf *ob, const char *s)
{
	outbuf_put(ob, s, strlen(s));
	outbuf_putc(ob, '\n');
}

static void
put_strv(struct outbuf *ob, const struct config_strv *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		put_line(ob, v->v[i]);
}

int
daily_get(const struct daily *d, const struct config *cfg, const char *key,
    struct outbuf *ob)
{
	const char *name = config_site_name(cfg);
	size_t i;

	if (strcmp(key, "file") == 0) {
		if (config_path(cfg) != NULL)
			put_line(ob, config_path(cfg));
	} else if (strcmp(key, "site.timezone") == 0) {
		put_line(ob, config_timezone(cfg));
	} else if (strcmp(key, "site.name") == 0) {
		/* Escaped: a name is text for people, one line. */
		outbuf_put_escaped(ob, slice_cstr(name), ESC_TSV);
		outbuf_putc(ob, '\n');
	} else if (strncmp(key, "lists.", 6) == 0) {
		for (i = 0; i < CONFIG_LIST_COUNT; i++)
			if (strcmp(key + 6, list_keys[i]) == 0)
				break;
		if (i == CONFIG_LIST_COUNT)
			return -1;
		put_strv(ob, config_list_paths(cfg, (enum config_list)i));
	} else if (strncmp(key, "daily.", 6) == 0) {
		key += 6;
		for (i = 0; i < NKINDS; i++)
			if (strcmp(key, kind_names[i]) == 0) {
				put_strv(ob, &d->src[i]);
				return 0;
			} else if (strcmp(key, format_keys[i]) == 0) {
				put_line(ob, d->format[i]);
				return 0;
			}
		if (strcmp(key, "checks") == 0)
			put_strv(ob, &d->checks);
		else if (strcmp(key, "formats") == 0)
			put_strv(ob, &d->formats);
		else if (strcmp(key, "mail-to") == 0)
			put_strv(ob, &d->mail_to);
		else if (strcmp(key, "output") == 0) {
			if (d->output)
				put_line(ob, d->output);
		} else if (strcmp(key, "mail-from") == 0) {
			if (d->mail_from)
				put_line(ob, d->mail_from);
		} else if (strcmp(key, "subject") == 0) {
			if (d->subject) {
				put_line(ob, d->subject);
			} else {
				outbuf_put(ob, "csm report", 10);
				if (name[0] != '\0') {
					outbuf_putc(ob, ' ');
					outbuf_put_escaped(ob, slice_cstr(name),
					    ESC_TSV);
				}
				outbuf_putc(ob, '\n');
			}
		} else
			return -1;
	} else {
		return -1;
	}
	return 0;
}

void
daily_sources(const struct daily *d, struct outbuf *ob)
{
	size_t i, j;

	for (i = 0; i < NKINDS; i++)
		for (j = 0; j < d->src[i].n; j++) {
			outbuf_put(ob, kind_names[i], strlen(kind_names[i]));
			outbuf_putc(ob, '\t');
			outbuf_put(ob, d->format[i], strlen(d->format[i]));
			outbuf_putc(ob, '\t');
			put_line(ob, d->src[i].v[j]);
		}
}
