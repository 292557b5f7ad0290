#!/usr/bin/env python3
# evtcsv-gen.py: writes the Event Viewer CSV fixtures of this folder
# (evtcsv-*.csv) the way Event Viewer's "Save All Events As... CSV" does:
# a header row of five names, records of six fields (the last, unnamed,
# the rendered message in quotes, its quotes doubled), CRLF line ends, in
# the encoding a Windows of that language writes. Hand-made from the
# message templates' shapes, with documentation addresses (RFC 5737, RFC
# 3849) and made-up names; run it from this folder to write them again:
#
#     cd testdata/logs/auth && python3 evtcsv-gen.py
#
# evtcsv-en-security.csv   English Security log (Keywords column), UTF-8
#                          with BOM, en-US dates; the same events as
#                          winevt_saved.xml and winevt_wevtutil.xml, newest
#                          first as Event Viewer writes them
# evtcsv-en-system.csv     English System log (Level column): 7045
# evtcsv-ja-utf16.csv      Japanese Security log, UTF-16LE with BOM
# evtcsv-ja-cp932.csv      Japanese System and Security lines (Level
#                          column) in CP932, as an ANSI export writes them
# evtcsv-bad.csv           records that must be rejected, one by one

EN_SEC = "Microsoft-Windows-Security-Auditing"

EN_4624 = """An account was successfully logged on.

Subject:
\tSecurity ID:\t\tNULL SID
\tAccount Name:\t\t-
\tAccount Domain:\t\t-
\tLogon ID:\t\t0x0

Logon Information:
\tLogon Type:\t\t3
\tRestricted Admin Mode:\t-
\tVirtual Account:\t\tNo
\tElevated Token:\t\tYes

Impersonation Level:\t\tImpersonation

New Logon:
\tSecurity ID:\t\tS-1-5-21-1111111111-2222222222-3333333333-1105
\tAccount Name:\t\tadm-tanaka
\tAccount Domain:\t\tCORP
\tLogon ID:\t\t0x5C1A2B
\tLinked Logon ID:\t\t0x0
\tNetwork Account Name:\t-
\tNetwork Account Domain:\t-
\tLogon GUID:\t\t{00000000-0000-0000-0000-000000000000}

Process Information:
\tProcess ID:\t\t0x0
\tProcess Name:\t\t-

Network Information:
\tWorkstation Name:\t-
\tSource Network Address:\t::ffff:10.1.20.35
\tSource Port:\t\t51514

Detailed Authentication Information:
\tLogon Process:\t\tKerberos
\tAuthentication Package:\tKerberos
\tTransited Services:\t-
\tPackage Name (NTLM only):\t-
\tKey Length:\t\t0

This event is generated when a logon session is created. It is generated on the computer that was accessed.

The subject fields indicate the account on the local system which requested the logon. This is most commonly a service such as the Server service, or a local process such as Winlogon.exe or Services.exe.

The logon type field indicates the kind of logon that occurred. The most common types are 2 (interactive) and 3 (network)."""

EN_4672 = """Special privileges assigned to new logon.

Subject:
\tSecurity ID:\t\tS-1-5-21-1111111111-2222222222-3333333333-1105
\tAccount Name:\t\tadm-tanaka
\tAccount Domain:\t\tCORP
\tLogon ID:\t\t0x5C1A2B

Privileges:\t\tSeSecurityPrivilege
\t\t\tSeBackupPrivilege
\t\t\tSeDebugPrivilege"""

EN_4625 = """An account failed to log on.

Subject:
\tSecurity ID:\t\tNULL SID
\tAccount Name:\t\t-
\tAccount Domain:\t\t-
\tLogon ID:\t\t0x0

Logon Type:\t\t\t10

Account For Which Logon Failed:
\tSecurity ID:\t\tNULL SID
\tAccount Name:\t\tAdministrator
\tAccount Domain:\t\tWS12

Failure Information:
\tFailure Reason:\t\tUnknown user name or bad password.
\tStatus:\t\t\t0xC000006D
\tSub Status:\t\t0xC000006A

Process Information:
\tCaller Process ID:\t0x0
\tCaller Process Name:\t-

Network Information:
\tWorkstation Name:\tATTACKER-PC
\tSource Network Address:\t203.0.113.66
\tSource Port:\t\t0

Detailed Authentication Information:
\tLogon Process:\t\tUser32 
\tAuthentication Package:\tNegotiate
\tTransited Services:\t-
\tPackage Name (NTLM only):\t-
\tKey Length:\t\t0

This event is generated when a logon request fails. It is generated on the computer where access was attempted."""

EN_4648 = """A logon was attempted using explicit credentials.

Subject:
\tSecurity ID:\t\tS-1-5-21-1111111111-2222222222-3333333333-1201
\tAccount Name:\t\tsuzuki
\tAccount Domain:\t\tCORP
\tLogon ID:\t\t0x3E8F1
\tLogon GUID:\t\t{00000000-0000-0000-0000-000000000000}

Account Whose Credentials Were Used:
\tAccount Name:\t\tadm-tanaka
\tAccount Domain:\t\tCORP
\tLogon GUID:\t\t{00000000-0000-0000-0000-000000000000}

Target Server:
\tTarget Server Name:\tFS01.corp.example.co.jp
\tAdditional Information:\tFS01.corp.example.co.jp

Process Information:
\tProcess ID:\t\t0x1a3c
\tProcess Name:\t\tC:\\Windows\\System32\\runas.exe

Network Information:
\tNetwork Address:\t-
\tPort:\t\t\t-

This event is generated when a process attempts to log on an account by explicitly specifying that account's credentials."""

EN_4688 = """A new process has been created.

Creator Subject:
\tSecurity ID:\t\tCORP\\suzuki
\tAccount Name:\t\tsuzuki
\tAccount Domain:\t\tCORP
\tLogon ID:\t\t0x3E8F1

Target Subject:
\tSecurity ID:\t\tNULL SID
\tAccount Name:\t\t-
\tAccount Domain:\t\t-
\tLogon ID:\t\t0x0

Process Information:
\tNew Process ID:\t\t0x1f3c
\tNew Process Name:\tC:\\Tools\\A&B\\x.exe
\tToken Elevation Type:\t%%1938
\tMandatory Label:\t\tS-1-16-8192
\tCreator Process ID:\t0x1a2c
\tCreator Process Name:\tC:\\Windows\\explorer.exe
\tProcess Command Line:\tx.exe -p "a<b" ; tab\there

Token Elevation Type indicates the type of token that was assigned to the new process in accordance with User Account Control policy."""

EN_4768_OK = """A Kerberos authentication ticket (TGT) was requested.

Account Information:
\tAccount Name:\t\tadm-tanaka
\tSupplied Realm Name:\tCORP.EXAMPLE.CO.JP
\tUser ID:\t\t\tS-1-5-21-1111111111-2222222222-3333333333-1105

Service Information:
\tService Name:\t\tkrbtgt
\tService ID:\t\tCORP\\krbtgt

Network Information:
\tClient Address:\t\t::ffff:10.1.20.40
\tClient Port:\t\t50123

Additional Information:
\tTicket Options:\t\t0x40810010
\tResult Code:\t\t0x0
\tTicket Encryption Type:\t0x17
\tPre-Authentication Type:\t2

Certificate Information:
\tCertificate Issuer Name:\t\t
\tCertificate Serial Number:\t
\tCertificate Thumbprint:\t\t

Certificate information is only provided if a certificate was used for pre-authentication."""

EN_4768_BAD = """A Kerberos authentication ticket (TGT) was requested.

Account Information:
\tAccount Name:\t\tnosuchuser
\tSupplied Realm Name:\tCORP.EXAMPLE.CO.JP
\tUser ID:\t\t\tNULL SID

Service Information:
\tService Name:\t\tkrbtgt/CORP.EXAMPLE.CO.JP
\tService ID:\t\tNULL SID

Network Information:
\tClient Address:\t\t::ffff:10.1.20.41
\tClient Port:\t\t50124

Additional Information:
\tTicket Options:\t\t0x40810010
\tResult Code:\t\t0x6
\tTicket Encryption Type:\t0xFFFFFFFF
\tPre-Authentication Type:\t-"""

EN_4769 = """A Kerberos service ticket was requested.

Account Information:
\tAccount Name:\t\tadm-tanaka@CORP.EXAMPLE.CO.JP
\tAccount Domain:\t\tCORP.EXAMPLE.CO.JP
\tLogon GUID:\t\t{1f6e3a0b-28d4-4c6a-9d8e-0c2b5f4a7e11}

Service Information:
\tService Name:\t\tFS01$
\tService ID:\t\tCORP\\FS01$

Network Information:
\tClient Address:\t\t2001:db8::20:40
\tClient Port:\t\t50125

Additional Information:
\tTicket Options:\t\t0x40810000
\tTicket Encryption Type:\t0x12
\tFailure Code:\t\t0x0
\tTransited Services:\t-"""

EN_4771 = """Kerberos pre-authentication failed.

Account Information:
\tSecurity ID:\t\tCORP\\yamada
\tAccount Name:\t\tyamada

Service Information:
\tService Name:\t\tkrbtgt/CORP.EXAMPLE.CO.JP

Network Information:
\tClient Address:\t\t::ffff:10.1.20.99
\tClient Port:\t\t50126

Additional Information:
\tTicket Options:\t\t0x40810010
\tFailure Code:\t\t0x18
\tPre-Authentication Type:\t2"""

EN_4776 = """The computer attempted to validate the credentials for an account.

Authentication Package:\tMICROSOFT_AUTHENTICATION_PACKAGE_V1_0
Logon Account:\t{user}
Source Workstation:\t{ws}
Error Code:\t{code}"""

EN_1102 = """The audit log was cleared.
Subject:
\tSecurity ID:\tS-1-5-21-1111111111-2222222222-3333333333-1105
\tAccount Name:\tadm-tanaka
\tDomain Name:\tCORP
\tLogon ID:\t0x5C1A2B"""

EN_4732 = """A member was added to a security-enabled local group.

Subject:
\tSecurity ID:\t\tWS12\\suzuki
\tAccount Name:\t\tsuzuki
\tAccount Domain:\t\tWS12
\tLogon ID:\t\t0x3E8F1

Member:
\tSecurity ID:\t\tS-1-5-21-4444444444-5555555555-6666666666-1001
\tAccount Name:\t\t-

Group:
\tSecurity ID:\t\tBUILTIN\\Administrators
\tGroup Name:\t\tAdministrators
\tGroup Domain:\t\tBuiltin

Additional Information:
\tPrivileges:\t\t-"""

EN_4728 = """A member was added to a security-enabled global group.

Subject:
\tSecurity ID:\t\tCORP\\adm-tanaka
\tAccount Name:\t\tadm-tanaka
\tAccount Domain:\t\tCORP
\tLogon ID:\t\t0x5C1A2B

Member:
\tSecurity ID:\t\tCORP\\eve
\tAccount Name:\t\tCN=Eve Mallory,OU=Users,DC=corp,DC=example,DC=co,DC=jp

Group:
\tSecurity ID:\t\tCORP\\Domain Admins
\tGroup Name:\t\tDomain Admins
\tGroup Domain:\t\tCORP

Additional Information:
\tPrivileges:\t\t-"""

EN_4720 = """A user account was created.

Subject:
\tSecurity ID:\t\tCORP\\adm-tanaka
\tAccount Name:\t\tadm-tanaka
\tAccount Domain:\t\tCORP
\tLogon ID:\t\t0x5C1A2B

New Account:
\tSecurity ID:\t\tCORP\\backdoor
\tAccount Name:\t\tbackdoor
\tAccount Domain:\t\tCORP

Attributes:
\tSAM Account Name:\tbackdoor
\tDisplay Name:\t\t<value not set>
\tUser Principal Name:\tbackdoor@corp.example.co.jp
\tHome Directory:\t\t<value not set>
\tPassword Last Set:\t<never>
\tAccount Expires:\t\t<never>
\tPrimary Group ID:\t513
\tOld UAC Value:\t\t0x0
\tNew UAC Value:\t\t0x15
\tUser Account Control:\t
\t\tAccount Disabled
\t\t'Password Not Required' - Enabled
\t\t'Normal Account' - Enabled

Additional Information:
\tPrivileges\t\t-"""

EN_7045 = """A service was installed in the system.

Service Name:  PSEXESVC
Service File Name:  %SystemRoot%\\PSEXESVC.exe
Service Type:  user mode service
Service Start Type:  demand start
Service Account:  LocalSystem"""


def field(s):
    if any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def row(first, when, source, eid, task, msg):
    msg = msg.replace("\n", "\r\n")
    return ",".join([field(first), when, field(source), str(eid),
                     field(task), '"' + msg.replace('"', '""') + '"']) + "\r\n"


def en_security():
    # Local time of a machine in Asia/Tokyo (UTC+9), newest first.
    rows = [
        ("Audit Success", "11/25/2026 10:08:00 AM", 4720, "User Account Management", EN_4720),
        ("Audit Success", "11/25/2026 10:06:01 AM", 4728, "Security Group Management", EN_4728),
        ("Audit Success", "11/25/2026 10:06:00 AM", 4732, "Security Group Management", EN_4732),
        ("Audit Success", "11/25/2026 10:05:00 AM", 1102, "Log clear", EN_1102),
        ("Audit Failure", "11/25/2026 10:00:05 AM", 4776, "Credential Validation",
         EN_4776.format(user="adm-tanaka", ws="KALI", code="0xC000006A")),
        ("Audit Success", "11/25/2026 10:00:04 AM", 4776, "Credential Validation",
         EN_4776.format(user="adm-tanaka", ws="WS12", code="0x0")),
        ("Audit Failure", "11/25/2026 10:00:03 AM", 4771, "Kerberos Authentication Service", EN_4771),
        ("Audit Success", "11/25/2026 10:00:02 AM", 4769, "Kerberos Service Ticket Operations", EN_4769),
        ("Audit Failure", "11/25/2026 10:00:01 AM", 4768, "Kerberos Authentication Service", EN_4768_BAD),
        ("Audit Success", "11/25/2026 10:00:00 AM", 4768, "Kerberos Authentication Service", EN_4768_OK),
        ("Audit Success", "11/25/2026 9:09:00 AM", 4688, "Process Creation", EN_4688),
        ("Audit Success", "11/25/2026 9:08:00 AM", 4648, "Logon", EN_4648),
        ("Audit Failure", "11/25/2026 9:07:01 AM", 4625, "Logon", EN_4625),
        ("Audit Success", "11/25/2026 9:06:35 AM", 4672, "Special Logon", EN_4672),
        ("Audit Success", "11/25/2026 9:06:35 AM", 4624, "Logon", EN_4624),
    ]
    out = "Keywords,Date and Time,Source,Event ID,Task Category\r\n"
    for kw, when, eid, task, msg in rows:
        src = "Microsoft-Windows-Eventlog" if eid == 1102 else EN_SEC
        out += row(kw, when, src, eid, task, msg)
    return "\ufeff" + out


def en_system():
    out = "Level,Date and Time,Source,Event ID,Task Category\r\n"
    out += row("Information", "11/25/2026 10:07:00 AM", "Service Control Manager",
               7045, "None", EN_7045)
    return "\ufeff" + out


JA_SEC = EN_SEC

JA_4624 = """アカウントが正常にログオンしました。

サブジェクト:
\tセキュリティ ID:\t\tSYSTEM
\tアカウント名:\t\tWS21$
\tアカウント ドメイン:\t\tCORP
\tログオン ID:\t\t0x3E7

ログオン情報:
\tログオン タイプ:\t\t10
\t制限付き管理モード:\tいいえ
\t仮想アカウント:\t\tいいえ
\t昇格されたトークン:\t\tはい

偽装レベル:\t\t偽装

新しいログオン:
\tセキュリティ ID:\t\tCORP\\yamada
\tアカウント名:\t\tyamada
\tアカウント ドメイン:\t\tCORP
\tログオン ID:\t\t0x8A1F33
\tリンクされたログオン ID:\t\t0x8A1F5C
\tネットワーク アカウント名:\t-
\tネットワーク アカウント ドメイン:\t-
\tログオン GUID:\t\t{00000000-0000-0000-0000-000000000000}

プロセス情報:
\tプロセス ID:\t\t0x1d4
\tプロセス名:\t\tC:\\Windows\\System32\\svchost.exe

ネットワーク情報:
\tワークステーション名:\tWS21
\tソース ネットワーク アドレス:\t203.0.113.5
\tソース ポート:\t\t0

詳細な認証情報:
\tログオン プロセス:\t\tUser32 
\t認証パッケージ:\tNegotiate
\t移行されたサービス:\t-
\tパッケージ名 (NTLM のみ):\t-
\tキーの長さ:\t\t0

このイベントは、ログオン セッションが作成されると生成されます。このイベントは、アクセスされたコンピューターで生成されます。"""

JA_4625 = """アカウントがログオンに失敗しました。

サブジェクト:
\tセキュリティ ID:\t\tNULL SID
\tアカウント名:\t\t-
\tアカウント ドメイン:\t\t-
\tログオン ID:\t\t0x0

ログオン タイプ:\t\t\t3

ログオンを失敗したアカウント:
\tセキュリティ ID:\t\tNULL SID
\tアカウント名:\t\t{user}
\tアカウント ドメイン:\t\t

エラー情報:
\t失敗の原因:\t\tユーザー名を認識できないか、またはパスワードが間違っています。
\t状態:\t\t\t0xC000006D
\tサブ ステータス:\t\t0xC000006A

プロセス情報:
\t呼び出し側プロセス ID:\t0x0
\t呼び出し側プロセス名:\t-

ネットワーク情報:
\tワークステーション名:\tKALI
\tソース ネットワーク アドレス:\t{ip}
\tソース ポート:\t\t{port}

詳細な認証情報:
\tログオン プロセス:\t\tNtLmSsp 
\t認証パッケージ:\tNTLM
\t移行されたサービス:\t-
\tパッケージ名 (NTLM のみ):\t-
\tキーの長さ:\t\t0

このイベントは、ログオン要求が失敗したときに生成されます。"""

JA_4648 = """明示的な資格情報を使用してログオンが試行されました。

サブジェクト:
\tセキュリティ ID:\t\tCORP\\yamada
\tアカウント名:\t\tyamada
\tアカウント ドメイン:\t\tCORP
\tログオン ID:\t\t0x8A1F33
\tログオン GUID:\t\t{00000000-0000-0000-0000-000000000000}

資格情報が使用されたアカウント:
\tアカウント名:\t\tadm-sato
\tアカウント ドメイン:\t\tCORP
\tログオン GUID:\t\t{00000000-0000-0000-0000-000000000000}

ターゲット サーバー:
\tターゲット サーバー名:\tFS01.corp.example.co.jp
\t追加情報:\tFS01.corp.example.co.jp

プロセス情報:
\tプロセス ID:\t\t0x1a3c
\tプロセス名:\t\tC:\\Windows\\System32\\runas.exe

ネットワーク情報:
\tネットワーク アドレス:\t-
\tポート:\t\t\t-"""

JA_4672 = """新しいログオンに特殊な特権が割り当てられました。

サブジェクト:
\tセキュリティ ID:\t\tCORP\\adm-sato
\tアカウント名:\t\tadm-sato
\tアカウント ドメイン:\t\tCORP
\tログオン ID:\t\t0x8B0012

特権:\t\tSeSecurityPrivilege
\t\t\tSeBackupPrivilege
\t\t\tSeRestorePrivilege
\t\t\tSeDebugPrivilege"""

# The path holds 上 (U+4E0A) and 《 (U+300A), whose UTF-16LE units hold
# the byte 0x0A: the reader cuts the line there.
JA_4688 = """新しいプロセスが作成されました。

作成者サブジェクト:
\tセキュリティ ID:\t\tCORP\\yamada
\tアカウント名:\t\tyamada
\tアカウント ドメイン:\t\tCORP
\tログオン ID:\t\t0x8A1F33

ターゲット サブジェクト:
\tセキュリティ ID:\t\tNULL SID
\tアカウント名:\t\t-
\tアカウント ドメイン:\t\t-
\tログオン ID:\t\t0x0

プロセス情報:
\t新しいプロセス ID:\t\t0x2f4c
\t新しいプロセス名:\tC:\\Users\\yamada\\Downloads\\上期売上《速報》.exe
\tトークン昇格の種類:\t%%1938
\t必須ラベル:\t\tS-1-16-8192
\t作成元プロセス ID:\t0x1b2c
\t作成元プロセス名:\tC:\\Windows\\explorer.exe
\tプロセスのコマンド ライン:\t"C:\\Users\\yamada\\Downloads\\上期売上《速報》.exe" /silent"""

JA_4720 = """ユーザー アカウントが作成されました。

サブジェクト:
\tセキュリティ ID:\t\tCORP\\adm-sato
\tアカウント名:\t\tadm-sato
\tアカウント ドメイン:\t\tCORP
\tログオン ID:\t\t0x8B0012

新しいアカウント:
\tセキュリティ ID:\t\tCORP\\svc-backup2
\tアカウント名:\t\tsvc-backup2
\tアカウント ドメイン:\t\tCORP

属性:
\tSAM アカウント名:\tsvc-backup2
\t表示名:\t\t<値は設定されていません>
\tユーザー プリンシパル名:\tsvc-backup2@corp.example.co.jp"""

JA_GROUP = """セキュリティが有効な{kind} グループに{member}が追加されました。

サブジェクト:
\tセキュリティ ID:\t\tCORP\\adm-sato
\tアカウント名:\t\tadm-sato
\tアカウント ドメイン:\t\tCORP
\tログオン ID:\t\t0x8B0012

{member}:
\tセキュリティ ID:\t\t{sid}
\tアカウント名:\t\t{name}

グループ:
\tセキュリティ ID:\t\t{gsid}
\tグループ名:\t\t{group}
\tグループ ドメイン:\t\t{gdom}

追加情報:
\t特権:\t\t-"""

JA_4768 = """Kerberos 認証チケット (TGT) が要求されました。

アカウント情報:
\tアカウント名:\t\tyamada
\t提供された領域名:\t\tCORP.EXAMPLE.CO.JP
\tユーザー ID:\t\t\tCORP\\yamada

サービス情報:
\tサービス名:\t\tkrbtgt
\tサービス ID:\t\tCORP\\krbtgt

ネットワーク情報:
\tクライアント アドレス:\t\t::ffff:10.1.20.52
\tクライアント ポート:\t\t49832

追加情報:
\tチケット オプション:\t\t0x40810010
\t結果コード:\t\t0x0
\tチケット暗号化の種類:\t0x12
\t事前認証の種類:\t\t2"""

JA_4769 = """Kerberos サービス チケットが要求されました。

アカウント情報:
\tアカウント名:\t\tyamada@CORP.EXAMPLE.CO.JP
\tアカウント ドメイン:\t\tCORP.EXAMPLE.CO.JP
\tログオン GUID:\t\t{6b0d3f55-1c9e-4e8a-b1a2-3c4d5e6f7a8b}

サービス情報:
\tサービス名:\t\tsvc-sql
\tサービス ID:\t\tCORP\\svc-sql

ネットワーク情報:
\tクライアント アドレス:\t\t::ffff:10.1.20.52
\tクライアント ポート:\t\t49840

追加情報:
\tチケット オプション:\t\t0x40810000
\tチケット暗号化の種類:\t0x17
\tエラー コード:\t\t0x0
\t移行されたサービス:\t-"""

JA_4771 = """Kerberos 事前認証に失敗しました。

アカウント情報:
\tセキュリティ ID:\t\tCORP\\sato
\tアカウント名:\t\tsato

サービス情報:
\tサービス名:\t\tkrbtgt/CORP.EXAMPLE.CO.JP

ネットワーク情報:
\tクライアント アドレス:\t\t::ffff:10.1.20.77
\tクライアント ポート:\t\t50211

追加情報:
\tチケット オプション:\t\t0x40810010
\tエラー コード:\t\t0x18
\t事前認証の種類:\t\t2"""

JA_4776 = """コンピューターがアカウントの資格情報の確認を試行しました。

認証パッケージ:\tMICROSOFT_AUTHENTICATION_PACKAGE_V1_0
ログオン アカウント:\tadministrator
ソース ワークステーション:\tKALI
エラー コード:\t0xc000006a"""

JA_1102 = """監査ログが消去されました。
サブジェクト:
\tセキュリティ ID:\tCORP\\adm-sato
\tアカウント名:\tadm-sato
\tドメイン名:\tCORP
\tログオン ID:\t0x8B0012"""

JA_7045 = """サービスがシステムにインストールされました。

サービス名:  PSEXESVC
サービス ファイル名:  %SystemRoot%\\PSEXESVC.exe
サービスの種類:  ユーザー モード サービス
サービス開始の種類:  要求による開始
サービス アカウント:  LocalSystem"""


def ja_security():
    g = JA_GROUP
    rows = [
        ("成功の監査", "2026/11/26 9:40:00", 1102, "ログのクリア", JA_1102),
        ("成功の監査", "2026/11/26 9:32:10", 4756, "セキュリティ グループの管理",
         g.format(kind="ユニバーサル", member="メンバー", sid="CORP\\svc-backup2",
                  name="CN=svc-backup2,CN=Users,DC=corp,DC=example,DC=co,DC=jp",
                  gsid="CORP\\Enterprise Admins", group="Enterprise Admins", gdom="CORP")),
        ("成功の監査", "2026/11/26 9:32:05", 4732, "セキュリティ グループの管理",
         g.format(kind="ローカル", member="メンバー", sid="S-1-5-21-4444444444-5555555555-6666666666-1001",
                  name="-", gsid="BUILTIN\\Administrators", group="Administrators", gdom="Builtin")),
        ("成功の監査", "2026/11/26 9:32:00", 4728, "セキュリティ グループの管理",
         g.format(kind="グローバル", member="メンバ", sid="CORP\\svc-backup2",
                  name="CN=svc-backup2,CN=Users,DC=corp,DC=example,DC=co,DC=jp",
                  gsid="CORP\\Domain Admins", group="Domain Admins", gdom="CORP")),
        ("成功の監査", "2026/11/26 9:31:00", 4720, "ユーザー アカウント管理", JA_4720),
        ("成功の監査", "2026/11/26 9:30:00", 4688, "プロセス作成", JA_4688),
        ("成功の監査", "2026/11/26 9:25:00", 4672, "特殊なログオン", JA_4672),
        ("成功の監査", "2026/11/26 9:24:59", 4648, "ログオン", JA_4648),
        ("成功の監査", "2026/11/26 9:20:00", 4624, "ログオン", JA_4624),
        ("成功の監査", "2026/11/26 9:10:01", 4769, "Kerberos サービス チケット操作", JA_4769),
        ("成功の監査", "2026/11/26 9:10:00", 4768, "Kerberos 認証サービス", JA_4768),
        ("失敗の監査", "2026/11/26 9:05:12", 4771, "Kerberos 認証サービス", JA_4771),
        ("失敗の監査", "2026/11/26 9:03:20", 4776, "資格情報の確認", JA_4776),
        ("失敗の監査", "2026/11/26 9:03:19", 4625, "ログオン",
         JA_4625.format(user="administrator", ip="203.0.113.50", port="0")),
        ("失敗の監査", "2026/11/26 9:03:18", 4625, "ログオン",
         JA_4625.format(user="admin", ip="2001:db8::bad:1", port="51002")),
    ]
    out = "キーワード,日付と時刻,ソース,イベント ID,タスクのカテゴリ\r\n"
    for kw, when, eid, task, msg in rows:
        src = "Microsoft-Windows-Eventlog" if eid == 1102 else JA_SEC
        out += row(kw, when, src, eid, task, msg)
    return "\ufeff" + out


def ja_cp932():
    out = "レベル,日付と時刻,ソース,イベント ID,タスクのカテゴリ\r\n"
    out += row("情報", "2026/11/26 10:07:00", "Service Control Manager", 7045, "なし", JA_7045)
    out += row("情報", "2026/11/26 10:06:30", JA_SEC, 4624, "ログオン",
               JA_4624.replace("203.0.113.5", "10.1.20.52").replace("\t\t10\n", "\t\t3\n"))
    return out


BAD = [
    "Level,Date and Time,Source,Event ID,Task Category",
    "",
    # dotted and day first (de-DE)
    'Information,25.11.2026 10:00:00,Microsoft-Windows-Security-Auditing,4624,Logon,"An account was successfully logged on.',
    "",
    "New Logon:",
    "\tAccount Name:\t\tok",
    "",
    "Logon Type:\t\t\t2\"",
    # no such month
    'Information,2026/13/01 10:00:00,Microsoft-Windows-Security-Auditing,4624,Logon,"x"',
    # an EventID that is no number
    'Information,11/25/2026 10:00:00 AM,Microsoft-Windows-Security-Auditing,46x4,Logon,"x"',
    # a quote inside an unquoted field
    'Information,11/25/2026 10:00:00 AM,Microsoft "Windows",4624,Logon,"x"',
    # too few fields for the header
    "Information,11/25/2026 10:00:00 AM",
    # a second export appended: its header is read again
    "Keywords,Date and Time,Source,Event ID,Task Category",
    # a record over three lines whose date is bad
    'Audit Success,11/25/2026 25:00:00 AM,Microsoft-Windows-Security-Auditing,4624,Logon,"An account was successfully logged on.',
    "",
    'New Logon:"',
    # 13/11 shows slashed dates are day first from here on
    'Audit Failure,13/11/2026 10:00:00,Microsoft-Windows-Security-Auditing,4625,Logon,"Account For Which Logon Failed:\n\tAccount Name:\t\tdayfirst"',
    'Audit Failure,12/11/2026 10:00:00,Microsoft-Windows-Security-Auditing,4625,Logon,"Account For Which Logon Failed:\n\tAccount Name:\t\tnovember"',
    # a quote that is never closed
    'Audit Success,12/11/2026 11:00:00,Microsoft-Windows-Security-Auditing,4624,Logon,"An account was',
    "\tcut off",
]


def main():
    with open("evtcsv-en-security.csv", "w", encoding="utf-8", newline="") as f:
        f.write(en_security())
    with open("evtcsv-en-system.csv", "w", encoding="utf-8", newline="") as f:
        f.write(en_system())
    with open("evtcsv-ja-utf16.csv", "wb") as f:
        f.write(ja_security().encode("utf-16-le"))	# the BOM is in it
    with open("evtcsv-ja-cp932.csv", "wb") as f:
        f.write(ja_cp932().encode("cp932"))
    with open("evtcsv-bad.csv", "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(BAD) + "\n")


main()
