/*
 * rare.c: events that never happen in normal operation (guideline
 * 19.1.2, authentication server item 2), as a table of rules with
 * configurable severities: logs cleared (1102, 517, 104), the event log
 * service stopped (1100), the audit policy changed (4719), accounts
 * created or deleted (4720, 4726), members added to privileged groups
 * (4728, 4732, 4756), risky account flags set (4738, 4742), a computer
 * account renamed to a name without '$' (4781), services installed
 * (7045, 4697) and scheduled tasks created (4698). An event inside a
 * maintenance window that excuses its actor is left out and counted.
 * Findings are per rule, computer, actor and what was done.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "acct.h"
#include "authcheck.h"

/* Whether the event comes from provider (or names none). */
static int
from(const struct ac_event *ev, const char *provider)
{
	struct slice p = ac_extra(ev, "provider");

	return p.n == 0 || slice_eq_nocase(p, provider);
}

/* Whether s starts with lit, ASCII case ignored. */
static int
has_prefix(struct slice s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n >= n && slice_eq_nocase(slice_make(s.p, n), lit);
}

/* Whether lit occurs in s, ASCII case ignored. */
static int
has(struct slice s, const char *lit)
{
	size_t n = strlen(lit), i;

	for (i = 0; i + n <= s.n; i++)
		if (slice_eq_nocase(slice_make(s.p + i, n), lit))
			return 1;
	return 0;
}

/*
 * Whether program prog is named in s: at the start, or after a backslash,
 * a double quote or a space.
 */
static int
has_prog(struct slice s, const char *prog)
{
	size_t n = strlen(prog), i;

	for (i = 0; i + n <= s.n; i++)
		if ((i == 0 || s.p[i - 1] == '\\' || s.p[i - 1] == '"' ||
		    s.p[i - 1] == ' ') &&
		    slice_eq_nocase(slice_make(s.p + i, n), prog))
			return 1;
	return 0;
}

/*
 * Why a service's image or name looks like remote execution or a
 * dropped program rather than installed software, or NULL.
 */
static const char *
service_suspect(struct slice name, struct slice image)
{
	static const struct {
		const char *what, *why;
		int prog;
	} words[] = {
		{ "psexesvc", "PsExec's service", 0 },
		{ "\\\\127.0.0.1\\", "output sent through an administrative "
		    "share of the computer itself (as Impacket's smbexec does)",
		    0 },
		{ "\\\\localhost\\", "output sent through an administrative "
		    "share of the computer itself", 0 },
		{ "%comspec%", "a command shell (%COMSPEC%)", 0 },
		{ "cmd.exe", "a command shell", 1 },
		{ "cmd /", "a command shell", 1 },
		{ "mshta", "a script host", 1 },
		{ "wscript", "a script host", 1 },
		{ "cscript", "a script host", 1 },
		{ "rundll32", "rundll32, which runs code from any DLL", 1 },
		{ "regsvr32", "regsvr32, which runs code from any DLL", 1 },
		{ "\\users\\", "a program in a user's directory", 0 },
		{ "\\appdata\\", "a program in a user's directory", 0 },
		{ "\\temp\\", "a program in a temporary directory", 0 },
		{ "\\programdata\\", "a program in ProgramData, writable by "
		    "every user", 0 },
		{ "\\perflogs\\", "a program in PerfLogs, writable by every "
		    "user", 0 },
	};
	size_t i, slash;

	if (slice_eq_nocase(name, "PSEXESVC"))
		return "PsExec's service";
	if (has_prog(image, "powershell") || has_prog(image, "pwsh"))
		return has(image, " -e") ? "encoded PowerShell" : "PowerShell";
	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (words[i].prog ? has_prog(image, words[i].what) :
		    has(image, words[i].what))
			return words[i].why;
	/* "%SystemRoot%\x.exe": where PsExec-like tools drop their service. */
	image = slice_trim(image);
	if (image.n > 0 && image.p[0] == '"')
		image = slice_from(image, 1);
	/* A run of backslashes counts once: JSON escaped twice doubles them. */
	for (slash = 0, i = 0; i < image.n && image.p[i] != ' ' &&
	    image.p[i] != '"'; i++)
		if (image.p[i] == '\\' && (i == 0 || image.p[i - 1] != '\\'))
			slash++;
	if (slash == 1 && (has_prefix(image, "%systemroot%\\") ||
	    has_prefix(image, "c:\\windows\\")))
		return "a program directly in the Windows directory, where "
		    "PsExec-like tools put their service";
	return NULL;
}

/* UserAccountControl flags (SAMR bit numbers) that weaken an account. */
static const struct {
	int bit;
	const char *name;
} risky[] = {
	{ 2, "'Password Not Required'" },
	{ 11, "'Encrypted Text Password Allowed' (reversible passwords)" },
	{ 13, "'Trusted For Delegation' (unconstrained delegation)" },
	{ 15, "'Use DES Key Only'" },
	{ 16, "'Don't Require Preauth' (AS-REP roasting)" },
	{ 18, "'Trusted To Authenticate For Delegation'" },
};

/*
 * The flags newly set by a 4738 or 4742: OldUacValue and NewUacValue,
 * and the "%%2080"-"%%2111" lines of UserAccountControl ("%%2080 + k":
 * flag k enabled, as Windows writes it).
 */
static uint64_t
uac_enabled(const struct ac_event *ev)
{
	struct slice u = ac_extra(ev, "UserAccountControl");
	uint64_t o, nw, bits = 0;
	size_t i;

	if (acct_parse_hex(ac_extra(ev, "OldUacValue"), &o) == 0 &&
	    acct_parse_hex(ac_extra(ev, "NewUacValue"), &nw) == 0)
		bits = nw & ~o;
	for (i = 0; i + 6 <= u.n; i++)
		if (u.p[i] == '%' && u.p[i + 1] == '%' && u.p[i + 2] == '2' &&
		    u.p[i + 3] >= '0' && u.p[i + 3] <= '1' &&
		    u.p[i + 4] >= '0' && u.p[i + 4] <= '9' &&
		    u.p[i + 5] >= '0' && u.p[i + 5] <= '9') {
			int code = 2000 + (u.p[i + 3] - '0') * 100 +
			    (u.p[i + 4] - '0') * 10 + (u.p[i + 5] - '0');

			if (code >= 2080 && code < 2112)
				bits |= 1ULL << (code - 2080);
		}
	return bits;
}

/*
 * What "%%8448"-"%%8451" in AuditPolicyChanges say, into buf: success or
 * failure auditing removed or added.
 */
static void
audit_changes(const struct ac_event *ev, char *buf, size_t cap)
{
	static const char *const what[4] = { "success auditing removed",
	    "success auditing added", "failure auditing removed",
	    "failure auditing added" };
	/* As a shipper renders them, when it did. */
	static const char *const text[4] = { "success removed",
	    "success added", "failure removed", "failure added" };
	struct slice c = ac_extra(ev, "AuditPolicyChanges");
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < 4; i++) {
		char code[8];

		snprintf(code, sizeof code, "%%%%%d", 8448 + i);
		if ((has(c, code) || has(c, text[i])) && n < cap) {
			snprintf(buf + n, cap - n, "%s%s", n ? ", " : "",
			    what[i]);
			n = strlen(buf);
		}
	}
}

/* A member SID that is not a person: said, and one level up. */
static const char *
member_note(struct slice sid)
{
	if (acct_sid_rid(sid) == 501)
		return " (the Guest account)";
	if (slice_eq_nocase(sid, "S-1-5-20"))
		return " (NETWORK SERVICE)";
	if (slice_eq_nocase(sid, "S-1-5-19"))
		return " (LOCAL SERVICE)";
	if (slice_eq_nocase(sid, "S-1-5-7"))
		return " (ANONYMOUS LOGON)";
	return NULL;
}

/* Group additions teach who the administrators are. */
static int
group_add(struct authcheck *ac, const struct ac_event *ev, char *why,
    size_t cap, unsigned *flags)
{
	struct slice gname = ac_extra(ev, "TargetUserName");
	struct slice gsid = ac_extra(ev, "TargetSid");
	struct slice msid = ac_extra(ev, "MemberSid");
	struct slice mname = ac_extra(ev, "MemberName"), m;
	const char *label, *note;
	char cn[256];

	if (!ac_is_priv_group(ac, gsid, gname, &label))
		return 0;
	/* The member: MemberName is the account column, a DN for a domain. */
	m = acct_dn_cn(mname.n ? mname : ev->account, cn, sizeof cn);
	if (m.n == 0)
		m = mname.n ? mname : ev->account;
	if (ac_add_admin(ac, m, msid) != 0)
		return -1;
	note = member_note(msid.n ? msid : ev->account);
	if (note != NULL)
		*flags |= AC_F_SUSPECT;
	snprintf(why, cap, "'%.*s'%s was added to the %s group '%.*s'%s%s%s",
	    (int)m.n, m.p, note ? note : "", ev->id == 4728 ? "global" :
	    ev->id == 4732 ? "local" : "universal", (int)gname.n, gname.p,
	    label && !slice_eq_nocase(gname, label) ? " (" : "",
	    label && !slice_eq_nocase(gname, label) ? label : "",
	    label && !slice_eq_nocase(gname, label) ? ")" : "");
	return 1;
}

/*
 * The rule of an event (-1 none, -2 out of memory), what happened (why,
 * before " by ACTOR") and what makes it bad (detail, after ": ").
 */
static int
classify(struct authcheck *ac, const struct ac_event *ev, char *why,
    char *detail, size_t cap, unsigned *flags)
{
	struct slice a = ev->account, s, t;
	const char *sus;
	uint64_t bits;
	size_t i, n;
	int r;

	why[0] = detail[0] = '\0';
	switch (ev->id) {
	case 1102:
	case 517:
		if (!from(ev, "Microsoft-Windows-Eventlog") &&
		    !from(ev, "Security"))
			return -1;
		snprintf(why, cap, "the Security log was cleared");
		return AC_LOG_CLEARED;
	case 104:
		if (!from(ev, "Microsoft-Windows-Eventlog"))
			return -1;
		s = ac_extra(ev, "Channel");
		snprintf(why, cap, "the %.*s log was cleared", (int)(s.n ?
		    s.n : 5), s.n ? s.p : "other");
		return AC_OTHER_LOG_CLEARED;
	case 1100:
		if (!from(ev, "Microsoft-Windows-Eventlog"))
			return -1;
		snprintf(why, cap, "the event logging service shut down");
		snprintf(detail, cap, "nothing is recorded until it starts "
		    "again (a restart logs this too)");
		return AC_EVENTLOG_STOPPED;
	case 4719:
		snprintf(why, cap, "the audit policy was changed");
		audit_changes(ev, detail, cap);
		return AC_AUDIT_POLICY;
	case 4720:
	case 4726:
		snprintf(why, cap, "account '%.*s' was %s", (int)a.n, a.p,
		    ev->id == 4720 ? "created" : "deleted");
		return ev->id == 4720 ? AC_ACCOUNT_CREATED : AC_ACCOUNT_DELETED;
	case 4728:
	case 4732:
	case 4756:
		r = group_add(ac, ev, why, cap, flags);
		return r < 0 ? -2 : r ? AC_PRIV_GROUP : -1;
	case 4738:
	case 4742:
		if ((bits = uac_enabled(ev)) == 0)
			return -1;
		for (n = 0, i = 0; i < sizeof risky / sizeof risky[0]; i++)
			if ((bits & 1ULL << risky[i].bit) && n < cap)
				n += (size_t)snprintf(detail + n, cap - n,
				    "%s%s enabled", n ? ", " : "",
				    risky[i].name);
		if (n == 0)
			return -1;
		snprintf(why, cap, "%s account '%.*s' was changed",
		    ev->id == 4742 ? "computer" : "user", (int)a.n, a.p);
		return AC_RISKY_FLAG;
	case 4781:
		s = ac_extra(ev, "OldTargetUserName");
		t = ac_extra(ev, "NewTargetUserName");
		if (!acct_is_machine(s) || t.n == 0 || acct_is_machine(t))
			return -1;
		snprintf(why, cap, "computer account '%.*s' was renamed to "
		    "'%.*s'", (int)s.n, s.p, (int)t.n, t.p);
		snprintf(detail, cap, "a name without '$' that Kerberos can "
		    "take for a computer's (sAMAccountName spoofing, "
		    "CVE-2021-42278)");
		return AC_MACHINE_RENAMED;
	case 7045:
	case 4697:
		if (ev->id == 7045 && !from(ev, "Service Control Manager"))
			return -1;
		s = ac_extra(ev, "ServiceName");
		t = ac_extra(ev, ev->id == 7045 ? "ImagePath" :
		    "ServiceFileName");
		if ((sus = service_suspect(s, t)) != NULL) {
			*flags |= AC_F_SUSPECT;
			snprintf(detail, cap, "%s", sus);
		}
		snprintf(why, cap, "service '%.*s' was installed%s%.*s%s",
		    (int)s.n, s.p, t.n ? " to run '" : "", (int)t.n, t.p,
		    t.n ? "'" : "");
		return AC_SERVICE;
	case 4698:
		s = ac_extra(ev, "TaskName");
		snprintf(why, cap, "scheduled task '%.*s' was created",
		    (int)s.n, s.p);
		return AC_TASK;
	}
	return -1;
}

enum ac_prep
ac_rare_prep(const struct ac_event *ev)
{
	/* The events classify has a case for; it passes over the others. */
	switch (ev->id) {
	case 1102: case 517: case 104: case 1100: case 4719: case 4720:
	case 4726: case 4728: case 4732: case 4756: case 4738: case 4742:
	case 4781: case 7045: case 4697: case 4698:
		return AC_PREP_WORK;
	}
	return AC_PREP_NONE;
}

int
ac_rare_event(struct authcheck *ac, const struct ac_event *ev)
{
	struct slice actor = ev->user.n ? ev->user : ev->account;
	struct slice dom = ac_extra(ev, "SubjectDomainName");
	char why[900], detail[400], key[1400], actor_s[300], dev[300];
	char src[64];
	struct ipaddr ip;
	struct ac_found *f;
	unsigned flags = 0;
	int rule, sev;
	int64_t utc;
	size_t n;

	/* A service's account column is the one it runs as, not an actor. */
	if (ev->id == 7045)
		actor = slice_make("", 0);
	if ((rule = classify(ac, ev, why, detail, sizeof detail,
	    &flags)) == -2)
		return -1;
	if (rule < 0 || ac->learn || (sev = ac->sev[rule]) < 0)
		return 0;
	ac->rare_events++;
	utc = ev->ts_ms >= 0 ? ev->ts_ms / 1000 : -((-ev->ts_ms + 999) / 1000);
	if (config_maintenance_excuses(ac->cfg, utc, ip_parse(ev->device,
	    &ip) == 0 ? &ip : NULL, actor) != NULL) {
		ac->maintenance++;
		return 0;
	}
	n = strlen(why);
	if (actor.n > 0)
		n += (size_t)snprintf(why + n, sizeof why - n, " by %.*s%s%.*s",
		    dom.n && !slice_eq(dom, "-") ? (int)dom.n : 0, dom.p,
		    dom.n && !slice_eq(dom, "-") ? "\\" : "",
		    (int)actor.n, actor.p);
	/* Group Policy changing the audit policy acts as the computer. */
	if (rule == AC_AUDIT_POLICY && (acct_is_machine(actor) ||
	    acct_sid_is_system(ac_extra(ev, "SubjectUserSid")))) {
		flags |= AC_F_MACHINE;
		n += (size_t)snprintf(why + n, sizeof why - n, " (the "
		    "computer itself: Group Policy?)");
	}
	if (detail[0] && n < sizeof why)
		snprintf(why + n, sizeof why - n, ": %s", detail);
	if (flags & AC_F_SUSPECT)
		sev++;
	if (flags & AC_F_MACHINE)
		sev--;
	snprintf(actor_s, sizeof actor_s, "%.*s", (int)actor.n, actor.p);
	snprintf(dev, sizeof dev, "%.*s", (int)ev->device.n, ev->device.p);
	snprintf(src, sizeof src, "%.*s", (int)ev->src_ip.n, ev->src_ip.p);
	n = (size_t)snprintf(key, sizeof key, "%s\t%s\t%s", dev, actor_s, why);
	if ((f = ac_found_add(ac, (enum ac_rule)rule, slice_make(key,
	    n < sizeof key ? n : sizeof key - 1), src[0] ? src : NULL,
	    actor_s[0] ? actor_s : NULL, dev[0] ? dev : NULL, ev->ts_ms,
	    ev->ts_ms, 1, ev->origin)) == NULL)
		return -1;
	if (f->text == NULL && (f->text = ac_strdup(slice_cstr(why))) == NULL)
		return -1;
	f->severity = sev;
	f->flags |= flags;
	return 0;
}
