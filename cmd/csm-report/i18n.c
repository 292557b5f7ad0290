/*
 * i18n.c: the report's words in English and Japanese. The guideline's own
 * wording of each 19.1.2 item (事例2, per device and item) and of the
 * attack stages (偵察 ... 目的の実行) comes from the JASA Cybersecurity
 * Management Guideline Ver 2.0, so that the Japanese report speaks the
 * language of the audit it serves. The strings hold no markup and no
 * East Asian Ambiguous characters (they would misalign terminals that
 * draw them wide).
 */
#include <string.h>
#include "report.h"

static const char *const msgs[M_NMSG][2] = {
	[M_TITLE] = { "csm report", "csm 検知レポート" },
	[M_REPORT_DATE] = { "Report date", "レポート日" },
	[M_PERIOD] = { "Evidence from", "証跡の期間" },
	[M_NONE] = { "No findings.", "検知はありません。" },
	[M_SUMMARY] = { "Summary", "概要" },
	[M_TOTAL] = { "total", "合計" },
	[M_CHECK] = { "check", "チェック" },
	[M_ITEM] = { "item", "項目" },
	[M_TERM] = { "guideline 19.1.2", "ガイドライン 19.1.2" },
	[M_SUPPRESSED] = { "Suppressed by the allowlist",
	    "許可リストにより抑止" },
	[M_REJECTED] = { "input lines rejected (see standard error)",
	    "行の入力を不正として除外 (標準エラー出力を参照)" },
	[M_STAGES] = { "Attack stages", "攻撃段階" },
	[M_NEW] = { "NEW", "新規" },
	[M_TREND] = { "Trend: findings per day", "傾向: 日ごとの検知件数" },
	[M_TREND_NOTE] = { "'-': no report that day; NEW: none on the "
	    "earlier days", "「-」はその日のレポートなし、「新規」は過去の日に"
	    "検知なし" },
	[M_HOSTS] = { "Hosts with findings today", "本日検知のあったホスト" },
	[M_HOST] = { "host", "ホスト" },
	[M_FINDINGS] = { "findings", "検知" },
	[M_ALLOWED] = { "why allowed", "許可の理由" },
	[M_ALLOW_FILE] = { "allowlist line", "許可リストの行" },
	[M_TIMELINE] = { "Findings per hour", "時間ごとの検知件数" },
	[M_HEATMAP] = { "Off-hours activity by weekday and hour (events)",
	    "業務時間外の通信: 曜日と時刻ごとのイベント数" },
	[M_HEAT_NONE] = { "No off-hours findings.",
	    "業務時間外の検知はありません。" },
	[M_ORIGINS] = { "Evidence origins", "証跡の出所" },
	[M_FILE] = { "file", "ファイル" },
	[M_LINES] = { "lines", "行" },
	[M_SEVERITY] = { "severity", "重要度" },
	[M_TIME] = { "time", "時刻" },
	[M_SRC] = { "source", "送信元" },
	[M_USER] = { "user", "ユーザ" },
	[M_DST] = { "destination", "送信先" },
	[M_COUNT] = { "events", "件数" },
	[M_BYTES] = { "bytes", "バイト" },
	[M_RULE] = { "rule", "ルール" },
	[M_CLAUSE] = { "clause", "項目" },
	[M_STAGE] = { "stage", "攻撃段階" },
	[M_REASON] = { "reason", "理由" },
	[M_ORIGIN] = { "origin", "証跡" },
	[M_NO_HISTORY] = { "No earlier reports in the history yet.",
	    "履歴に過去のレポートはまだありません。" },
	[M_DUPS] = { "duplicate findings merged", "件の重複を統合" },
	[M_SORT_HINT] = { "Click a column heading to sort.",
	    "列見出しをクリックすると並べ替えます。" },
	[M_BY_HOST] = { "Findings by host", "ホスト別の検知" },
	[M_NCHECKS] = { "Findings by check", "チェック別の検知" },
	[M_LEGEND1] = { "Each finding: severity, local time, source -> "
	    "destination, events, bytes;", "各検知: 重要度, 時刻, 送信元 -> "
	    "送信先, 件数, バイト数;" },
	[M_LEGEND2] = { "then the rule, the reason and [the evidence "
	    "origin].", "次の行にルール, 理由, [証跡の出所]." },
	[M_NOTES] = { "Notes from the pipeline", "前段の処理からの通知" },
};

const char *
i18n(int lang, enum msg m)
{
	if ((int)m < 0 || m >= M_NMSG || msgs[m][0] == NULL)
		return "";
	return msgs[m][lang == LANG_JA];
}

static const char *const sev_names[5][2] = {
	{ "info", "情報" }, { "low", "低" }, { "medium", "中" },
	{ "high", "高" }, { "critical", "重大" },
};

static const char *const sev_short[5] = {
	"INFO", "LOW", "MED", "HIGH", "CRIT"
};

const char *
i18n_sev(int lang, int sev, int shortname)
{
	if (sev < 0 || sev > 4)
		return "";
	if (lang == LANG_EN && shortname)
		return sev_short[sev];
	return sev_names[sev][lang == LANG_JA];
}

/* The stages of the guideline's 用語, with the findings stream's names. */
static const char *const stages[I18N_NSTAGES][3] = {
	{ "recon", "recon", "偵察" },
	{ "weaponize", "weaponization", "武器化" },
	{ "delivery", "delivery", "デリバリ" },
	{ "exploit", "exploitation", "エクスプロイト" },
	{ "install", "installation", "インストール" },
	{ "c2", "C&C", "C&C" },
	{ "objectives", "actions on objectives", "目的の実行" },
};

int
i18n_stage_index(struct slice stage)
{
	int i;

	for (i = 0; i < I18N_NSTAGES; i++)
		if (slice_eq(stage, stages[i][0]))
			return i;
	return -1;
}

const char *
i18n_stage(int lang, int idx)
{
	if (idx < 0 || idx >= I18N_NSTAGES)
		return "";
	return stages[idx][lang == LANG_JA ? 2 : 1];
}

/* 19.1.2 関連情報 事例2: each device's items b) 1) ... */
static const char *const clauses[][3] = {
	{ "mail-1", "Mail server b) 1) Display name spoofed in the From "
	    "field", "メールサーバ b) 1) From フィールドの表示名偽装" },
	{ "mail-2", "Mail server b) 2) Executable file attached",
	    "メールサーバ b) 2) 実行ファイル添付" },
	{ "fw-1", "Firewall b) 1) Unauthorised traffic from inside to "
	    "outside", "Firewall b) 1) 組織内から組織外への不正な通信" },
	{ "fw-2", "Firewall b) 2) Unauthorised traffic between PCs in "
	    "different segments", "Firewall b) 2) 異なるセグメントに収容された"
	    " PC 間の不正な通信" },
	{ "proxy-1", "Web proxy b) 1) Traffic to suspicious destinations",
	    "Web プロキシ b) 1) 不審な送信先への通信" },
	{ "proxy-2", "Web proxy b) 2) CONNECT to ports other than 80 and "
	    "443", "Web プロキシ b) 2) CONNECT メソッドで 80, 443 以外の"
	    "ポートへ通信" },
	{ "proxy-3", "Web proxy b) 3) Traffic with a non-standard "
	    "User-Agent", "Web プロキシ b) 3) 標準利用以外の User Agent "
	    "による通信" },
	{ "proxy-4", "Web proxy b) 4) HTTP traffic at regular intervals",
	    "Web プロキシ b) 4) 定期的に発生する HTTP 通信" },
	{ "proxy-5", "Web proxy b) 5) HTTP traffic outside business hours",
	    "Web プロキシ b) 5) 業務時間外に発生する HTTP 通信" },
	{ "proxy-6", "Web proxy b) 6) Large volumes of HTTP traffic",
	    "Web プロキシ b) 6) 大量の HTTP 通信" },
	{ "dns-1", "DNS server b) 1) Traffic to suspicious destinations",
	    "DNS サーバ b) 1) 不審な送信先への通信" },
	{ "auth-1", "Authentication server b) 1) Events involving "
	    "administrator accounts", "認証サーバ b) 1) 管理者アカウントに"
	    "関連したイベントの調査" },
	{ "auth-2", "Authentication server b) 2) Events that do not occur "
	    "in normal operation", "認証サーバ b) 2) 通常の運用では発生しない"
	    "ようなイベント" },
};

struct slice
i18n_item(struct slice clause)
{
	if (slice_has_prefix(clause, "19.1.2 "))
		return slice_from(clause, 7);
	return clause;
}

const char *
i18n_clause(int lang, struct slice clause)
{
	struct slice item;
	size_t i;

	if (!slice_has_prefix(clause, "19.1.2 "))
		return NULL;
	item = i18n_item(clause);
	for (i = 0; i < sizeof clauses / sizeof clauses[0]; i++)
		if (slice_eq(item, clauses[i][0]))
			return clauses[i][lang == LANG_JA ? 2 : 1];
	return NULL;
}

static const char *const wdays[7][2] = {
	{ "Sun", "日" }, { "Mon", "月" }, { "Tue", "火" }, { "Wed", "水" },
	{ "Thu", "木" }, { "Fri", "金" }, { "Sat", "土" },
};

const char *
i18n_wday(int lang, int wday)
{
	return wdays[((wday % 7) + 7) % 7][lang == LANG_JA];
}
