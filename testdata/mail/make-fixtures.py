#!/usr/bin/env python3
"""Writes the synthetic mail fixtures of testdata/mail/ (run from anywhere).

Everything here is made up for csm's tests: documentation addresses
(192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24), example domains and
harmless archive contents (the ".exe" members are a few bytes of text).
The output is deterministic: running the script again rewrites the same
bytes. What each file is for:

  jp_iso2022.eml   ISO-2022-JP encoded-words with the NEC characters
                   Windows adds (circled digits, the kabushiki-gaisha sign),
                   an RFC 2231 ISO-2022-JP file name, a ZIP whose member
                   name is CP932 without the UTF-8 flag, a Received chain
                   with private and public hops, Authentication-Results.
  jp_sjis.eml      undeclared 8-bit Shift_JIS display name and subject,
                   Shift_JIS encoded-words inside a quoted file name, an
                   RFC 2231 continued Shift_JIS file name.
  raw_charsets.eml undeclared EUC-JP display name, undeclared ISO-2022-JP
                   (escape sequences) subject, raw Shift_JIS file name.
  archives.eml     invoice.zip holding invoice.pdf.exe, an encrypted
                   (ZipCrypto) archive whose name has a comma, a ".zip"
                   that is no archive, a forwarded message with its own
                   attachment.
  nested.eml       bundle.zip holding ZIPs: inner.zip (a CP932 member name
                   without the UTF-8 flag, and deeper.zip inside it),
                   photos.dat (a ZIP by its bytes only), locked.zip (an
                   encrypted member), bad.zip (no archive); mixed.zip,
                   encrypted itself, holding sealed.zip (an encrypted
                   member) and locked.zip again.
  broken.eml       a multipart whose boundary never comes, base64 with
                   bytes it cannot hold, undeclared Latin-1, a header line
                   with no name, a 100 KB header.
  nodate.eml       no Date and no Received header (the time comes from the
                   file's mtime).
  three.mbox       three messages; the second has no Date (the "From "
                   line gives the time); the third holds a "From " line
                   that does not begin a message and a ">From " one.
  Maildir/         cur/ and new/ with one message each, tmp/ with one that
                   is not delivered yet (left out).
  evasion.eml      names that once hid an executable: a ZIP named
                   "docs.zip." (Windows drops the dot), a ZIP sent as
                   octet-stream named report.dat, a Content-Type name that
                   differs from the Content-Disposition filename, RFC 2231
                   continuations with a gap, a name with a NUL before
                   ".pdf", and one whose part before the NUL is milder
                   than the whole.
"""
import base64
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def jis(text):
    """ISO-2022-JP bytes of text, NEC row 13 characters included (as
    Windows writes them, CP50221), which Python's codec refuses."""
    out = bytearray()
    kanji = False
    for ch in text:
        if ord(ch) < 0x80:
            if kanji:
                out += b"\x1b(B"
                kanji = False
            out += ch.encode("ascii")
            continue
        s = ch.encode("cp932")
        b1, b2 = s[0], s[1]
        # Shift_JIS to JIS X 0208 row/cell bytes.
        b1 = (b1 - 0x70 if b1 < 0xa0 else b1 - 0xb0) * 2
        if b2 < 0x9f:
            b1 -= 1
            b2 = b2 - 0x1f - (1 if b2 > 0x7f else 0)
        else:
            b2 -= 0x7e
        if not kanji:
            out += b"\x1b$B"
            kanji = True
        out += bytes([b1, b2])
    if kanji:
        out += b"\x1b(B"
    return bytes(out)


def ew(charset, raw):
    return "=?%s?B?%s?=" % (charset, base64.b64encode(raw).decode())


def pct(raw):
    return "".join(chr(b) if b < 0x80 and (chr(b).isalnum() or
                                          chr(b) in "._-") else
                   "%%%02X" % b for b in raw)


def b64(data):
    s = base64.b64encode(data).decode()
    return "\n".join(s[i:i + 76] for i in range(0, len(s), 76))


class ZipCrypto:
    """PKWARE traditional encryption (APPNOTE 6.1)."""

    def __init__(self, password):
        self.k = [0x12345678, 0x23456789, 0x34567890]
        for c in password:
            self.update(c)

    @staticmethod
    def crc(c, b):
        return zlib.crc32(bytes([b]), c ^ 0xffffffff) ^ 0xffffffff

    def update(self, b):
        k = self.k
        k[0] = self.crc(k[0], b)
        k[1] = ((k[1] + (k[0] & 0xff)) * 134775813 + 1) & 0xffffffff
        k[2] = self.crc(k[2], k[1] >> 24)

    def encrypt(self, data):
        out = bytearray()
        for p in data:
            t = (self.k[2] | 2) & 0xffff
            out.append(p ^ (((t * (t ^ 1)) >> 8) & 0xff))
            self.update(p)
        return bytes(out)


def make_zip(members):
    """A stored (uncompressed) ZIP of (raw name bytes, data, utf8 flag,
    password or None) tuples, with a fixed date."""
    local = bytearray()
    central = bytearray()
    for name, data, utf8, password in members:
        crc = zlib.crc32(data) & 0xffffffff
        flags = (0x800 if utf8 else 0) | (1 if password else 0)
        body = data
        if password:
            zc = ZipCrypto(password)
            head = bytes(range(11)) + bytes([crc >> 24])
            body = zc.encrypt(head) + zc.encrypt(data)
        fixed = struct.pack("<HHHHHIIIHH", 20, flags, 0, 0x6000, 0x5b79,
                            crc, len(body), len(data), len(name), 0)
        offset = len(local)
        local += b"PK\x03\x04" + fixed + name + body
        central += (b"PK\x01\x02" + struct.pack("<H", 20) + fixed +
                    struct.pack("<HHHII", 0, 0, 0, 0, offset) + name)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members),
                      len(members), len(central), len(local), 0)
    return bytes(local + central + end)


def write(name, text, encoding=None):
    data = text if isinstance(text, bytes) else text.encode(
        encoding or "ascii")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def jp_iso2022():
    name = "山田 太郎（経理部）①"
    subject_a = "【至急】請求書送付のご案内"
    subject_b = "㈱サンプル商事"
    zipname = "請求書_2025年11月.zip"
    member = "請求書_2025年11月.pdf.exe"
    z = make_zip([(member.encode("cp932"), b"MZ not really\n", False, None),
                  (b"readme.txt", b"harmless\n", False, None)])
    h = [
        "Return-Path: <bounce+yamada@mail.example.net>",
        "Received: from mx1.corp.example.co.jp (mx1.corp.example.co.jp"
        " [10.1.2.3])",
        "\tby mbox.corp.example.co.jp (Postfix) with ESMTP id 4AB12;",
        "\tTue, 25 Nov 2025 10:00:05 +0900 (JST)",
        "Received: from mail.example.net (unknown [203.0.113.45])",
        "\tby mx1.corp.example.co.jp (Postfix) with ESMTPS id 3CD34",
        "\tfor <keiri@corp.example.co.jp>; Tue, 25 Nov 2025 10:00:03 +0900",
        "Received: from [192.168.10.5] (helo=pc01)",
        "\tby mail.example.net with esmtpa (Exim 4.96)",
        "\tid 1vABCD-000123-XY; Tue, 25 Nov 2025 01:00:01 +0000",
        "Authentication-Results: mx1.corp.example.co.jp;",
        "\tspf=softfail (domain of example.net does not designate"
        " 203.0.113.45) smtp.mailfrom=example.net;",
        "\tdkim=none; dmarc=fail (p=none dis=none)"
        " header.from=corp-example.co.jp",
        "From: %s <yamada@corp-example.co.jp>" % ew("ISO-2022-JP",
                                                   jis(name)),
        "Sender: relay@example.net",
        "Reply-To: %s <yamada.taro@example.net>" % ew("ISO-2022-JP",
                                                     jis("山田")),
        'To: "Keiri, Tantou" <keiri@corp.example.co.jp>,',
        " %s <buchou@corp.example.co.jp>" % ew("ISO-2022-JP", jis("部長")),
        "Cc: audit@corp.example.co.jp",
        "Subject: %s" % ew("ISO-2022-JP", jis(subject_a)),
        " %s" % ew("ISO-2022-JP", jis(subject_b)),
        "Date: Tue, 25 Nov 2025 10:00:00 +0900",
        "Message-ID: <20251125100000.ABCDEF@mail.example.net>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="=_b1"',
        "",
        "--=_b1",
        "Content-Type: text/plain; charset=ISO-2022-JP",
        "Content-Transfer-Encoding: 7bit",
        "",
    ]
    body = jis("経理部 御中\n請求書を添付いたします。\n").decode("ascii")
    t = "\n".join(h) + "\n" + body + "\n".join([
        "--=_b1",
        'Content-Type: application/zip; name="%s"' % ew(
            "ISO-2022-JP", jis(zipname)),
        "Content-Disposition: attachment;",
        " filename*=ISO-2022-JP''%s" % pct(jis(zipname)),
        "Content-Transfer-Encoding: base64",
        "",
        b64(z),
        "--=_b1--",
        ""])
    write("jp_iso2022.eml", t)


def jp_sjis():
    pdf = "見積書①.pdf"
    xlsm = "見積書（最終版）.xlsm"
    raw = bytearray()
    raw += b"Received: from pc01 (localhost [127.0.0.1])\n"
    raw += b"\tby mail.example.org (Postfix) with ESMTP id 77EE1;\n"
    raw += b"\tMon, 24 Nov 2025 17:30:02 +0900 (JST)\n"
    raw += b"From: " + "営業部 佐藤".encode("cp932") + \
        b" <sato@example.org>\n"
    raw += b"To: tanaka@example.co.jp\n"
    raw += b"Subject: " + "見積書の件（ご確認ください）①".encode("cp932") + b"\n"
    raw += b"Date: Mon, 24 Nov 2025 17:30:00 +0900\n"
    raw += b"Message-ID: <sjis.0001@example.org>\n"
    raw += b"MIME-Version: 1.0\n"
    raw += b'Content-Type: multipart/mixed; boundary="XYZ"\n\n'
    raw += b"--XYZ\nContent-Type: text/plain; charset=Shift_JIS\n"
    raw += b"Content-Transfer-Encoding: 8bit\n\n"
    raw += "お世話になっております。\n".encode("cp932")
    raw += b"--XYZ\n"
    raw += ('Content-Type: application/pdf; name="%s"\n' % ew(
        "Shift_JIS", pdf.encode("cp932"))).encode()
    raw += ('Content-Disposition: attachment; filename="%s"\n' % ew(
        "Shift_JIS", pdf.encode("cp932"))).encode()
    raw += b"Content-Transfer-Encoding: base64\n\n"
    raw += b64(b"%PDF-1.4\n%%EOF\n").encode() + b"\n"
    x = xlsm.encode("cp932")
    raw += b"--XYZ\nContent-Type: application/vnd.ms-excel.sheet.macroEnabled.12\n"
    raw += b"Content-Disposition: attachment;\n"
    # Cut inside a character: RFC 2231 decodes the joined bytes.
    raw += (" filename*0*=shift_jis''%s;\n" % pct(x[:5])).encode()
    raw += (" filename*1*=%s\n" % pct(x[5:])).encode()
    raw += b"Content-Transfer-Encoding: base64\n\n"
    raw += b64(b"PK\x03\x04 not a real workbook").encode() + b"\n"
    raw += b"--XYZ--\n"
    write("jp_sjis.eml", bytes(raw))


def raw_charsets():
    raw = bytearray()
    raw += b"Received: from sender.example.com (sender.example.com"
    raw += b" [198.51.100.77]) by mx.example.jp with ESMTP;"
    raw += b" Wed, 26 Nov 2025 09:00:01 +0900\n"
    raw += b"From: " + "総務課 鈴木".encode("euc_jp") + \
        b" <suzuki@example.com>\n"
    raw += b"To: all@example.jp\n"
    raw += b"Subject: " + "【重要】パスワード更新のお願い".encode(
        "iso2022_jp") + b"\n"
    raw += b"Date: Wed, 26 Nov 2025 09:00:00 +0900\n"
    raw += b"Message-ID: <raw.0001@example.com>\n"
    raw += b"MIME-Version: 1.0\n"
    raw += b'Content-Type: multipart/mixed; boundary="b"\n\n'
    raw += b"--b\nContent-Type: text/plain\n\nbody\n"
    raw += b"--b\nContent-Type: text/html\n"
    raw += b'Content-Disposition: attachment; filename="' + \
        "更新手順.html".encode("cp932") + b'"\n\n<p>x</p>\n--b--\n'
    write("raw_charsets.eml", bytes(raw))


def archives():
    invoice = make_zip([(b"invoice.pdf.exe", b"MZ not really\n", False,
                         None)])
    secret = make_zip([(b"payload.js", b"WScript.Echo('hi');\n", False,
                        b"infected"),
                       (b"readme.txt", b"password: infected\n", False,
                        None)])
    inner = "\n".join([
        "From: partner@example.org",
        "To: sales@example.com",
        "Subject: the original",
        "Date: Thu, 20 Nov 2025 08:00:00 +0000",
        "Message-ID: <inner.0001@example.org>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="in"',
        "",
        "--in",
        "Content-Type: text/plain",
        "",
        "see attachment",
        "--in",
        'Content-Type: application/vnd.ms-word.document.macroEnabled.12;'
        ' name="order.docm"',
        "Content-Transfer-Encoding: base64",
        "",
        b64(b"PK\x03\x04 not a real document"),
        "--in--",
        ""])
    t = "\n".join([
        "Return-Path: <>",
        "Received: from gw.example.com (gw.example.com [172.16.0.1]) by"
        " mx.example.com with ESMTP; Thu, 27 Nov 2025 01:02:03 +0000",
        "Received: from outbound.example.org (outbound.example.org"
        " [2001:db8:25::7]) by gw.example.com with ESMTPS;"
        " Thu, 27 Nov 2025 01:02:01 +0000",
        "Authentication-Results: mx.example.com; spf=pass"
        " smtp.mailfrom=example.org; dkim=pass header.d=example.org;"
        " dmarc=pass header.from=example.org",
        'From: "Billing, Partner Inc." <billing@example.org>',
        "To: undisclosed-recipients:;",
        "Subject: Invoice and files",
        "Date: Thu, 27 Nov 2025 01:00:00 +0000",
        "Message-ID: <archives.0001@example.org>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="out"',
        "",
        "--out",
        "Content-Type: text/plain",
        "",
        "Please find the invoice attached.",
        "--out",
        'Content-Type: application/zip; name="invoice.zip"',
        "Content-Disposition: attachment",
        "Content-Transfer-Encoding: base64",
        "",
        b64(invoice),
        "--out",
        "Content-Type: application/octet-stream",
        'Content-Disposition: attachment; filename="Q4 report, final.ZIP"',
        "Content-Transfer-Encoding: base64",
        "",
        b64(secret),
        "--out",
        'Content-Type: application/x-zip-compressed; name="broken.zip"',
        "Content-Transfer-Encoding: base64",
        "",
        b64(b"this is not an archive at all\n"),
        "--out",
        "Content-Type: message/rfc822",
        'Content-Disposition: attachment; filename="original.eml"',
        "",
        inner,
        "--out--",
        ""])
    write("archives.eml", t)


def nested():
    deeper = make_zip([(b"run.js", b"WScript.Echo('hi');\n", False, None)])
    inner = make_zip([("請求書.pdf.exe".encode("cp932"), b"MZ not really\n",
                       False, None),
                      (b"deeper.zip", deeper, False, None)])
    photos = make_zip([(b"img.scr", b"MZ not really\n", False, None)])
    locked = make_zip([(b"payload.js", b"WScript.Echo('hi');\n", False,
                        b"infected")])
    bundle = make_zip([(b"readme.txt", b"see inside\n", False, None),
                       (b"inner.zip", inner, False, None),
                       (b"photos.dat", photos, False, None),
                       (b"locked.zip", locked, False, None),
                       (b"bad.zip", b"this is not an archive at all\n",
                        False, None)])
    mixed = make_zip([(b"sealed.zip", locked, False, b"infected"),
                      (b"locked.zip", locked, False, None)])
    write("nested.eml", "\n".join([
        "Received: from out.example.net (out.example.net [203.0.113.80])"
        " by mx.example.com with ESMTPS; Sat, 29 Nov 2025 07:00:02 +0000",
        "From: Shipping <notice@example.net>",
        "To: staff@example.com",
        "Subject: Your parcel documents",
        "Date: Sat, 29 Nov 2025 07:00:00 +0000",
        "Message-ID: <nested.0001@example.net>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="n"',
        "",
        "--n",
        "Content-Type: text/plain",
        "",
        "Open the archive inside the archive.",
        "--n",
        'Content-Type: application/zip; name="bundle.zip"',
        "Content-Disposition: attachment",
        "Content-Transfer-Encoding: base64",
        "",
        b64(bundle),
        "--n",
        'Content-Type: application/zip; name="mixed.zip"',
        "Content-Disposition: attachment",
        "Content-Transfer-Encoding: base64",
        "",
        b64(mixed),
        "--n--",
        ""]))


def broken():
    raw = bytearray()
    raw += b"Received: from unknown (HELO 203.0.113.9) (198.51.100.23)\n"
    raw += b"  by mx.example.net with SMTP; 28 Nov 2025 12:00:00 -0000\n"
    raw += b"From: Caf\xe9 Owner <owner@example.net>\n"
    raw += b"Subject: Caf\xe9 menu\n"
    raw += b"X-Long: " + b"A" * 100000 + b"\n"
    raw += b"Not a header line at all\n"
    raw += b"Date: Fri, 28 Nov 2025 12:00:00 +0000\n"
    raw += b"Message-ID: <broken.0001@example.net>\n"
    raw += b"MIME-Version: 1.0\n"
    raw += b'Content-Type: multipart/mixed; boundary="outer"\n\n'
    raw += b"--outer\n"
    raw += b'Content-Type: multipart/alternative; boundary="never-seen"\n\n'
    raw += b"--wrong-boundary\nContent-Type: text/plain\n\nhidden\n"
    raw += b"--outer\n"
    raw += b'Content-Type: application/pdf; name="menu.pdf"\n'
    raw += b"Content-Transfer-Encoding: base64\n\n"
    raw += b"JVBERi0x!!!LjQK*JSVFT0YK\nJVB\n"
    raw += b"--outer--\n"
    write("broken.eml", bytes(raw))


def nodate():
    write("nodate.eml", "\n".join([
        "From: draft@example.com",
        "To: someone@example.com",
        "Subject: saved without a date",
        "",
        "A draft saved by a mail program.",
        ""]))


def three_mbox():
    t = "\n".join([
        "From alice@example.com Mon Nov 24 09:15:00 2025",
        "Return-Path: <alice@example.com>",
        "Received: from client.example.com ([198.51.100.5]) by"
        " mx.example.com with ESMTPSA; Mon, 24 Nov 2025 09:15:00 +0000",
        "From: Alice <alice@example.com>",
        "To: bob@example.com",
        "Subject: first",
        "Date: Mon, 24 Nov 2025 09:14:58 +0000",
        "Message-ID: <mbox.1@example.com>",
        "",
        "Hello Bob.",
        "",
        "From MAILER-DAEMON Mon Nov 24 10:00:00 2025",
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>",
        "To: alice@example.com",
        "Subject: second, without a date",
        "Message-ID: <mbox.2@mx.example.com>",
        "",
        "Undelivered.",
        "",
        "From carol@example.org Mon Nov 24 11:30:00 2025",
        "From: Carol <carol@example.org>",
        "To: bob@example.com",
        "Subject: third",
        "Date: Mon, 24 Nov 2025 11:29:00 +0000",
        "Message-ID: <mbox.3@example.org>",
        "",
        "Quoting the old mail:",
        "From here on the line is body text.",
        "",
        ">From the archive, escaped by the mbox writer.",
        ""])
    write("three.mbox", t)


def maildir():
    base = os.path.join(HERE, "Maildir")
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(base, sub), exist_ok=True)

    def msg(n, subject, date):
        return "\n".join([
            "Return-Path: <sender%d@example.com>" % n,
            "Received: from out.example.com (out.example.com"
            " [203.0.113.%d]) by mx.example.jp with ESMTPS; %s" % (n, date),
            "From: Sender %d <sender%d@example.com>" % (n, n),
            "To: user@example.jp",
            "Subject: %s" % subject,
            "Date: %s" % date,
            "Message-ID: <maildir.%d@example.com>" % n,
            "",
            "body %d" % n,
            ""])
    write("Maildir/cur/1764000000.M1P100.mx:2,S",
          msg(1, "read already", "Mon, 24 Nov 2025 16:00:00 +0000"))
    write("Maildir/new/1764100000.M2P200.mx",
          msg(2, "not read yet", "Tue, 25 Nov 2025 19:46:40 +0000"))
    write("Maildir/tmp/1764200000.M3P300.mx",
          msg(3, "still being delivered", "Wed, 26 Nov 2025 23:33:20 +0000"))


def evasion():
    z1 = make_zip([(b"evil1.exe", b"MZ not really\n", False, None)])
    z2 = make_zip([(b"evil2.exe", b"MZ not really\n", False, None)])

    def part(headers, body):
        return ["--e"] + headers + ["Content-Transfer-Encoding: base64",
                                    "", body]
    t = "\n".join([
        "From: supplier@example.net",
        "To: staff@example.com",
        "Subject: documents",
        "Date: Tue, 25 Nov 2025 09:00:00 +0900",
        "Message-ID: <evasion.0001@example.net>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="e"',
        "",
        "--e",
        "Content-Type: text/plain",
        "",
        "see the attachments",
    ] + part(["Content-Type: application/octet-stream",
              'Content-Disposition: attachment; filename="docs.zip."'],
             b64(z1))
      + part(["Content-Type: application/octet-stream",
              'Content-Disposition: attachment; filename="report.dat"'],
             b64(z2))
      + part(['Content-Type: application/pdf; name="report.pdf"',
              'Content-Disposition: attachment; filename="evil3.exe"'],
             b64(b"MZ not really\n"))
      + part(["Content-Type: application/pdf",
              'Content-Disposition: attachment; filename*0="invoice.pdf";'
              ' filename*2=".exe"'],
             b64(b"MZ not really\n"))
      + part(["Content-Type: application/pdf",
              "Content-Disposition: attachment;"
              " filename*=UTF-8''evil5.exe%00.pdf"],
             b64(b"MZ not really\n"))
      + part(["Content-Type: application/pdf",
              "Content-Disposition: attachment;"
              " filename*=UTF-8''invoice.docm%00.pdf.exe"],
             b64(b"MZ not really\n"))
      + ["--e--", ""])
    write("evasion.eml", t)


if __name__ == "__main__":
    jp_iso2022()
    jp_sjis()
    raw_charsets()
    archives()
    nested()
    broken()
    nodate()
    three_mbox()
    maildir()
    evasion()
