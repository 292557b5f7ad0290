/*
 * evtcsv_labels.c: the words of an Event Viewer CSV export, in English
 * and Japanese: the header row's column names (and those of PowerShell's
 * Export-Csv of Get-WinEvent), the Keywords that tell audit success from
 * failure, and the message text's section headings and field labels with
 * the EventData name each field has in the event's XML. The message is
 * what Windows renders from the event's template, so a label means one
 * field only under its heading: "Account Name" is SubjectUserName under
 * "Subject:" and TargetUserName under "New Logon:". Labels csm does not
 * keep are not listed; their values go nowhere. The reader of the
 * message's lines is here too: it needs these words and nothing of CSV.
 */
#include <stdint.h>
#include <string.h>
#include "evtcsv.h"
#include "winevt.h"

static const struct {
	enum evtcsv_col col;
	const char *name;
} columns[] = {
	{ EVTCSV_COL_LEVEL, "Level" },
	{ EVTCSV_COL_LEVEL, "レベル" },
	{ EVTCSV_COL_LEVEL, "LevelDisplayName" },
	{ EVTCSV_COL_KEYWORDS, "Keywords" },
	{ EVTCSV_COL_KEYWORDS, "キーワード" },
	{ EVTCSV_COL_KEYWORDS, "KeywordsDisplayNames" },
	{ EVTCSV_COL_DATE, "Date and Time" },
	{ EVTCSV_COL_DATE, "日付と時刻" },
	{ EVTCSV_COL_DATE, "TimeCreated" },
	{ EVTCSV_COL_SOURCE, "Source" },
	{ EVTCSV_COL_SOURCE, "ソース" },
	{ EVTCSV_COL_SOURCE, "ProviderName" },
	{ EVTCSV_COL_EVENT_ID, "Event ID" },
	{ EVTCSV_COL_EVENT_ID, "イベント ID" },
	{ EVTCSV_COL_EVENT_ID, "Id" },
	{ EVTCSV_COL_TASK, "Task Category" },
	{ EVTCSV_COL_TASK, "タスクのカテゴリ" },
	{ EVTCSV_COL_TASK, "TaskDisplayName" },
	{ EVTCSV_COL_MESSAGE, "Message" },
	{ EVTCSV_COL_MESSAGE, "Description" },
	{ EVTCSV_COL_MESSAGE, "説明" },
	{ EVTCSV_COL_COMPUTER, "Computer" },
	{ EVTCSV_COL_COMPUTER, "コンピューター" },
	{ EVTCSV_COL_COMPUTER, "MachineName" },
	{ EVTCSV_COL_LOG, "Log Name" },
	{ EVTCSV_COL_LOG, "ログの名前" },
	{ EVTCSV_COL_LOG, "LogName" },
	{ EVTCSV_COL_RECORD_ID, "RecordId" },
};

enum evtcsv_col
evtcsv_column(struct slice name)
{
	size_t i;

	name = slice_trim(name);
	for (i = 0; i < sizeof columns / sizeof columns[0]; i++)
		if (slice_eq_nocase(name, columns[i].name))
			return columns[i].col;
	return EVTCSV_COL_OTHER;
}

/* Whether s holds the text lit. */
static int
holds(struct slice s, const char *lit)
{
	return s.n && memmem(s.p, s.n, lit, strlen(lit)) != NULL;
}

int
evtcsv_audit(struct slice v)
{
	if (holds(v, "Audit Failure") || holds(v, "失敗の監査"))
		return -1;
	if (holds(v, "Audit Success") || holds(v, "成功の監査"))
		return 1;
	return 0;
}

/* The sections of a message whose fields csm keeps. */
enum {
	S_SUBJECT = 1, S_NEW_LOGON, S_LOGON_FAILED, S_CREDS_USED,
	S_TARGET_SUBJECT, S_NEW_ACCOUNT, S_TARGET_ACCOUNT, S_ACCOUNT_INFO,
	S_MEMBER, S_GROUP, S_LOGON_INFO, S_NETWORK, S_AUTH_DETAIL,
	S_FAILURE, S_PROCESS, S_TARGET_SERVER, S_SERVICE, S_ADDITIONAL,
	S_ATTRIBUTES
};
_Static_assert(S_ATTRIBUTES < 32, "a section is a bit of a uint32_t");

/* Headings, English then Japanese. */
static const struct {
	int id;
	const char *en, *ja;
} sections[] = {
	{ S_SUBJECT, "Subject", "サブジェクト" },
	{ S_SUBJECT, "Creator Subject", "作成者サブジェクト" },	/* 4688 */
	{ S_NEW_LOGON, "New Logon", "新しいログオン" },
	{ S_LOGON_FAILED, "Account For Which Logon Failed",
	    "ログオンを失敗したアカウント" },
	{ S_CREDS_USED, "Account Whose Credentials Were Used",
	    "資格情報が使用されたアカウント" },
	{ S_TARGET_SUBJECT, "Target Subject", "ターゲット サブジェクト" },
	{ S_NEW_ACCOUNT, "New Account", "新しいアカウント" },
	{ S_TARGET_ACCOUNT, "Target Account", "ターゲット アカウント" },
	{ S_ACCOUNT_INFO, "Account Information", "アカウント情報" },
	{ S_MEMBER, "Member", "メンバー" },
	{ S_MEMBER, "Member", "メンバ" },		/* older releases */
	{ S_GROUP, "Group", "グループ" },
	{ S_LOGON_INFO, "Logon Information", "ログオン情報" },
	{ S_NETWORK, "Network Information", "ネットワーク情報" },
	{ S_AUTH_DETAIL, "Detailed Authentication Information",
	    "詳細な認証情報" },
	{ S_FAILURE, "Failure Information", "エラー情報" },
	{ S_PROCESS, "Process Information", "プロセス情報" },
	{ S_TARGET_SERVER, "Target Server", "ターゲット サーバー" },
	{ S_SERVICE, "Service Information", "サービス情報" },
	{ S_ADDITIONAL, "Additional Information", "追加情報" },
	{ S_ATTRIBUTES, "Attributes", "属性" },
	{ S_ATTRIBUTES, "Changed Attributes", "変更された属性" },	/* 4738, 4742 */
};

int
evtcsv_section(struct slice heading)
{
	size_t i;

	heading = slice_trim(heading);
	for (i = 0; i < sizeof sections / sizeof sections[0]; i++)
		if (slice_eq(heading, sections[i].en) ||
		    slice_eq(heading, sections[i].ja))
			return sections[i].id;
	return EVTCSV_UNKNOWN;
}

/* Field labels under their section, English then Japanese (or NULL). */
static const struct {
	int section;
	const char *en, *ja, *name;
} fields[] = {
	/* Who acted; 1102 says "Domain Name". */
	{ S_SUBJECT, "Security ID", "セキュリティ ID", "SubjectUserSid" },
	{ S_SUBJECT, "Account Name", "アカウント名", "SubjectUserName" },
	{ S_SUBJECT, "Account Domain", "アカウント ドメイン",
	    "SubjectDomainName" },
	{ S_SUBJECT, "Domain Name", "ドメイン名", "SubjectDomainName" },
	{ S_SUBJECT, "Logon ID", "ログオン ID", "SubjectLogonId" },

	/* The account a logon, a failure or a change is about. */
	{ S_NEW_LOGON, "Security ID", "セキュリティ ID", "TargetUserSid" },
	{ S_NEW_LOGON, "Account Name", "アカウント名", "TargetUserName" },
	{ S_NEW_LOGON, "Account Domain", "アカウント ドメイン",
	    "TargetDomainName" },
	{ S_NEW_LOGON, "Logon ID", "ログオン ID", "TargetLogonId" },
	{ S_LOGON_FAILED, "Security ID", "セキュリティ ID", "TargetUserSid" },
	{ S_LOGON_FAILED, "Account Name", "アカウント名", "TargetUserName" },
	{ S_LOGON_FAILED, "Account Domain", "アカウント ドメイン",
	    "TargetDomainName" },
	{ S_CREDS_USED, "Account Name", "アカウント名", "TargetUserName" },
	{ S_CREDS_USED, "Account Domain", "アカウント ドメイン",
	    "TargetDomainName" },
	{ S_TARGET_SUBJECT, "Security ID", "セキュリティ ID",
	    "TargetUserSid" },
	{ S_TARGET_SUBJECT, "Account Name", "アカウント名", "TargetUserName" },
	{ S_TARGET_SUBJECT, "Account Domain", "アカウント ドメイン",
	    "TargetDomainName" },
	{ S_TARGET_SUBJECT, "Logon ID", "ログオン ID", "TargetLogonId" },
	{ S_NEW_ACCOUNT, "Security ID", "セキュリティ ID", "TargetSid" },
	{ S_NEW_ACCOUNT, "Account Name", "アカウント名", "TargetUserName" },
	{ S_NEW_ACCOUNT, "Account Domain", "アカウント ドメイン",
	    "TargetDomainName" },
	{ S_TARGET_ACCOUNT, "Security ID", "セキュリティ ID", "TargetSid" },
	{ S_TARGET_ACCOUNT, "Account Name", "アカウント名", "TargetUserName" },
	{ S_TARGET_ACCOUNT, "Account Domain", "アカウント ドメイン",
	    "TargetDomainName" },
	/* Kerberos: 4768, 4769, 4771. */
	{ S_ACCOUNT_INFO, "Security ID", "セキュリティ ID", "TargetSid" },
	{ S_ACCOUNT_INFO, "Account Name", "アカウント名", "TargetUserName" },
	{ S_ACCOUNT_INFO, "Account Domain", "アカウント ドメイン",
	    "TargetDomainName" },
	{ S_ACCOUNT_INFO, "Supplied Realm Name", "提供された領域名",
	    "TargetDomainName" },
	{ S_ACCOUNT_INFO, "User ID", "ユーザー ID", "TargetSid" },
	/* Group membership: 4728, 4732, 4756 and their removals. */
	{ S_MEMBER, "Security ID", "セキュリティ ID", "MemberSid" },
	{ S_MEMBER, "Account Name", "アカウント名", "MemberName" },
	{ S_GROUP, "Security ID", "セキュリティ ID", "TargetSid" },
	{ S_GROUP, "Group Name", "グループ名", "TargetUserName" },
	{ S_GROUP, "Group Domain", "グループ ドメイン", "TargetDomainName" },

	/* How and from where. */
	{ S_LOGON_INFO, "Logon Type", "ログオン タイプ", "LogonType" },
	{ S_LOGON_INFO, "Elevated Token", NULL, "ElevatedToken" },
	{ S_NETWORK, "Workstation Name", "ワークステーション名",
	    "WorkstationName" },
	{ S_NETWORK, "Source Network Address", "ソース ネットワーク アドレス",
	    "IpAddress" },
	{ S_NETWORK, "Source Port", "ソース ポート", "IpPort" },
	{ S_NETWORK, "Network Address", "ネットワーク アドレス",
	    "IpAddress" },					/* 4648 */
	{ S_NETWORK, "Port", "ポート", "IpPort" },
	{ S_NETWORK, "Client Address", "クライアント アドレス",
	    "IpAddress" },					/* Kerberos */
	{ S_NETWORK, "Client Port", "クライアント ポート", "IpPort" },
	{ S_AUTH_DETAIL, "Logon Process", "ログオン プロセス",
	    "LogonProcessName" },
	{ S_AUTH_DETAIL, "Authentication Package", "認証パッケージ",
	    "AuthenticationPackageName" },
	{ S_FAILURE, "Failure Reason", "失敗の原因", "FailureReason" },
	{ S_FAILURE, "Status", "状態", "Status" },
	{ S_FAILURE, "Sub Status", "サブ ステータス", "SubStatus" },

	/* Processes: the caller of a logon, 4688's new process. */
	{ S_PROCESS, "Process Name", "プロセス名", "ProcessName" },
	{ S_PROCESS, "Caller Process Name", "呼び出し側プロセス名",
	    "ProcessName" },
	{ S_PROCESS, "New Process Name", "新しいプロセス名",
	    "NewProcessName" },
	{ S_PROCESS, "Creator Process Name", "作成元プロセス名",
	    "ParentProcessName" },
	{ S_PROCESS, "Process Command Line", "プロセスのコマンド ライン",
	    "CommandLine" },
	{ S_TARGET_SERVER, "Target Server Name", "ターゲット サーバー名",
	    "TargetServerName" },

	/*
	 * Kerberos tickets; 4697's service (whose XML names its program
	 * ServiceFileName, where 7045's names it ImagePath); 4728's
	 * privileges.
	 */
	{ S_SERVICE, "Service Name", "サービス名", "ServiceName" },
	{ S_SERVICE, "Service File Name", "サービス ファイル名",
	    "ServiceFileName" },
	{ S_ADDITIONAL, "Ticket Options", "チケット オプション",
	    "TicketOptions" },
	{ S_ADDITIONAL, "Result Code", "結果コード", "Status" },
	{ S_ADDITIONAL, "Failure Code", "エラー コード", "Status" },
	{ S_ADDITIONAL, "Ticket Encryption Type", "チケット暗号化の種類",
	    "TicketEncryptionType" },
	{ S_ADDITIONAL, "Pre-Authentication Type", "事前認証の種類",
	    "PreAuthType" },
	{ S_ADDITIONAL, "Privileges", "特権", "PrivilegeList" },
	{ S_ATTRIBUTES, "SAM Account Name", "SAM アカウント名",
	    "SamAccountName" },
	/* The flags in hex; Japanese labels not known from an export. */
	{ S_ATTRIBUTES, "Old UAC Value", NULL, "OldUacValue" },
	{ S_ATTRIBUTES, "New UAC Value", NULL, "NewUacValue" },

	/* Before any heading: 4625, 4672, 4776, 7045. */
	{ EVTCSV_TOP, "Logon Type", "ログオン タイプ", "LogonType" },
	{ EVTCSV_TOP, "Privileges", "特権", "PrivilegeList" },
	{ EVTCSV_TOP, "Logon Account", "ログオン アカウント",
	    "TargetUserName" },
	{ EVTCSV_TOP, "Source Workstation", "ソース ワークステーション",
	    "Workstation" },
	{ EVTCSV_TOP, "Error Code", "エラー コード", "Status" },
	{ EVTCSV_TOP, "Service Name", "サービス名", "ServiceName" },
	{ EVTCSV_TOP, "Service File Name", "サービス ファイル名",
	    "ImagePath" },
	{ EVTCSV_TOP, "Service Type", "サービスの種類", "ServiceType" },
	{ EVTCSV_TOP, "Service Start Type", "サービス開始の種類",
	    "StartType" },
	{ EVTCSV_TOP, "Service Account", "サービス アカウント",
	    "AccountName" },
};

const char *
evtcsv_field(int section, struct slice label)
{
	size_t i;

	if (section == EVTCSV_UNKNOWN)
		return NULL;
	label = slice_trim(label);
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (fields[i].section == section &&
		    (slice_eq(label, fields[i].en) || (fields[i].ja &&
		    slice_eq(label, fields[i].ja))))
			return fields[i].name;
	return NULL;
}

/* Offset of the colon ending a label ("Account Name:<tab>"), or -1. */
static long
label_colon(struct slice t)
{
	size_t i;

	for (i = 0; i < t.n; i++)
		if (t.p[i] == ':')
			return i + 1 == t.n || t.p[i + 1] == '\t' ||
			    t.p[i + 1] == ' ' ? (long)i : -1;
	return -1;
}

int
evtcsv_message(struct slice msg, struct winevt_rec *r)
{
	int section = EVTCSV_TOP, cur = -1, ambiguous = 0, i;
	uint32_t headings = 0;		/* bit per section seen */
	size_t at = 0;

	while (at < msg.n) {
		const char *nl = memchr(msg.p + at, '\n', msg.n - at);
		size_t end = nl ? (size_t)(nl - msg.p) : msg.n;
		struct slice line = slice_make(msg.p + at, end - at);
		struct slice t = slice_trim(line), label, value;
		int indented = line.n && (line.p[0] == '\t' ||
		    line.p[0] == ' ');
		const char *name;
		long colon;

		at = end + 1;
		if (t.n == 0) {
			cur = -1;
			continue;
		}
		if ((colon = label_colon(t)) < 0) {
			if (indented && cur >= 0 && r->val[cur].n == 0)
				r->val[cur] = t;
			else if (indented && cur >= 0)
				r->val[cur].n = (size_t)(t.p + t.n -
				    r->val[cur].p);
			else
				cur = -1;	/* a sentence */
			continue;
		}
		label = slice_trim(slice_make(t.p, (size_t)colon));
		value = slice_trim(slice_from(t, (size_t)colon + 1));
		cur = -1;
		if (!indented) {
			section = value.n ? EVTCSV_TOP : evtcsv_section(label);
			if (value.n == 0) {	/* a heading */
				if (section > 0 && (headings >> section & 1))
					ambiguous = 1;	/* see below */
				headings |= section > 0 ? 1u << section : 0;
				continue;
			}
		}
		/*
		 * Under a heading we do not know (another Windows release
		 * may word it otherwise), the fields that need none still
		 * count.
		 */
		name = evtcsv_field(section == EVTCSV_UNKNOWN ? EVTCSV_TOP :
		    section, label);
		if (name == NULL)
			continue;
		/*
		 * Windows renders each field of the template once, and each
		 * heading. A second field means a value (a user name, a
		 * workstation, a command line) spelled "\n\tSource Network
		 * Address:\t10.0.0.1" and either copy may be the forged one:
		 * the field is emptied (p kept, so later copies find it) and
		 * takes no more lines. A second heading means one was
		 * planted, and the real fields after it were read under it,
		 * where most are no label and are lost: the event is marked
		 * (above), as nothing says which fields were real.
		 */
		if ((i = winevt_find(r, name)) >= 0) {
			r->val[i] = slice_make(r->val[i].p ? r->val[i].p :
			    value.p, 0);
			ambiguous = 1;
			continue;
		}
		if (winevt_rec_add(r, slice_cstr(name), value) == 0)
			cur = r->ndata - 1;
	}
	return ambiguous;
}
