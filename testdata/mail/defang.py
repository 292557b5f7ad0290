#!/usr/bin/env python3
"""Writes the defanged copies of SpamScope's malicious test mails (real/).

The three SpamScope messages csm's tests read (spamscope_mail_test_1.eml,
spamscope_mail_test_15.eml, spamscope_mail_malformed_1.eml) are real
malicious spam: their attachments are, or hold, Windows malware. The copies
in real/ keep every byte of the originals except the attachment payloads:

  - a ZIP attachment becomes a new ZIP with the same members in the same
    order, named by the same raw bytes (non-UTF-8 names stay so, without
    the UTF-8 flag) with the same flags (bit 3, the data descriptor, and
    bits 1-2, the deflate options, dropped), times, attributes, extra
    fields (but ZIP64's) and comments; each member is stored, not
    compressed, and holds MARK, unless it was itself a ZIP, which is
    defanged the same way (the nested archive of test_1). Bytes before
    the first member or after the end record are dropped.
  - any other attachment becomes MARK.
  - the payload keeps its transfer encoding: base64 with the line length
    and line ends of the original, uuencode with the "begin" line and what
    follows the data ("`" and "end") unchanged; when the original's lines
    lost their trailing spaces on the way (test_15), so do the new ones.

Everything else (headers, boundaries, part headers, text parts, blank
lines, the missing closing boundary of test_1, the boundary malformed_1
reuses) is copied byte for byte. The output is deterministic.

Usage (from anywhere):
  defang.py [SRC]          read the originals from SRC (default
                           ../shared/testdata/real/mail/malware_eml beside
                           the repository), check their sha256, write the
                           copies into real/ next to this script.
  defang.py --check PATH.. check messages (files, or the *.eml and *.mbox
                           files of directories, "-" for standard input):
                           no base64 or uuencoded part, nor any member of a
                           ZIP one (nested ZIPs too), may start with "MZ"
                           (a DOS/PE executable) or hold a PE's DOS stub
                           message; the attachments of the three files
                           above must be MARK or ZIPs of MARK only.
                           Exits 1 when a check fails.
Python 3 standard library only.
"""
import base64
import hashlib
import os
import re
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "real")
SRC = os.path.join(HERE, "..", "..", "..", "shared", "testdata", "real",
                   "mail", "malware_eml")
MARK = b"defanged by csm: payload removed\n"

# The originals (SpamScope/mail-parser 01c177fe, tests/mails/), by sha256.
FILES = {
    "spamscope_mail_test_1.eml":
        "b7883d1cfdaff2b05ad54842f4bdfc59ef5d76aa6387bd2dbdaeceddc6d97d6a",
    "spamscope_mail_test_15.eml":
        "899682b819759359168c8d59df70b52323476ea6949b8838797afc4c0540603c",
    "spamscope_mail_malformed_1.eml":
        "776e73c6ad6d3c3e8baf422424e05fd124e5aaf5e5bd304fbcd8f6f0f0ad386b",
}

PE_STUBS = (b"This program cannot be run in DOS mode",
            b"This program must be run under Win32")

UU_ENCODINGS = (b"x-uuencode", b"uuencode", b"x-uue", b"uue")


class Defang(Exception):
    pass


# ---------------------------------------------------------------- MIME --

def split_lines(data):
    """The lines of data, each with its line end."""
    return re.findall(rb"[^\n]*\n|[^\n]+$", data)


def bare(line):
    return line.rstrip(b"\r\n")


def boundaries(data):
    """Every boundary parameter the message declares, anywhere."""
    found = set()
    for m in re.finditer(rb'(?i)\bboundary\s*=\s*(?:"([^"\r\n]*)"|'
                         rb'([^\s;"]+))', data):
        found.add(m.group(1) if m.group(1) is not None else m.group(2))
    return found


def is_delimiter(line, bounds):
    s = bare(line).rstrip(b" \t")
    if not s.startswith(b"--"):
        return False
    s = s[2:]
    if s.endswith(b"--") and s[:-2] in bounds:
        return True
    return s in bounds


def header_fields(lines):
    """Unfolded (name, value) pairs of a header block, names lowered."""
    fields = []
    for line in lines:
        s = bare(line)
        if s[:1] in (b" ", b"\t") and fields:
            fields[-1][1] += b" " + s.strip()
        elif b":" in s:
            name, value = s.split(b":", 1)
            fields.append([name.strip().lower(), value.strip()])
    return fields


def field(fields, name):
    for n, v in fields:
        if n == name:
            return v
    return b""


class Part:
    """A leaf of the message: its header fields and body line range."""

    def __init__(self, fields, start, end):
        self.fields = fields
        self.start = start      # first body line
        self.end = end          # one past the last body line

    def cte(self):
        return field(self.fields, b"content-transfer-encoding").lower()

    def ctype(self):
        return field(self.fields, b"content-type").split(b";")[0].strip() \
            .lower()

    def named(self):
        """Whether the part carries a file name or says attachment."""
        for n, v in self.fields:
            if n in (b"content-type", b"content-disposition") and \
                    re.search(rb"(?i)(?:^|[;\s])(?:file)?name\*?(?:\*\d+\*?)?"
                              rb"\s*=", v):
                return True
            if n == b"content-disposition" and \
                    v.split(b";")[0].strip().lower() == b"attachment":
                return True
        return False


def parts(lines):
    """The parts that follow each delimiter line, multiparts left out."""
    bounds = boundaries(b"".join(lines))
    out = []
    delims = [i for i, l in enumerate(lines) if is_delimiter(l, bounds)]
    for k, d in enumerate(delims):
        if bare(lines[d]).rstrip(b" \t").endswith(b"--") and \
                bare(lines[d]).rstrip(b" \t")[2:-2] in bounds:
            continue
        stop = delims[k + 1] if k + 1 < len(delims) else len(lines)
        i = d + 1
        while i < stop and bare(lines[i]) != b"":
            i += 1
        fields = header_fields(lines[d + 1:i])
        p = Part(fields, min(i + 1, stop), stop)
        if not p.ctype().startswith(b"multipart/"):
            out.append(p)
    return out


# --------------------------------------------------- transfer encodings --

def base64_block(lines, p):
    """(first, end) of the base64 lines of part p: blank lines around kept."""
    i = p.start
    while i < p.end and bare(lines[i]).strip() == b"":
        i += 1
    j = i
    while j < p.end and bare(lines[j]).strip() != b"":
        j += 1
    return i, j


def base64_decode(block):
    text = re.sub(rb"[^A-Za-z0-9+/]", b"", b"".join(block))
    text += b"=" * (-len(text) % 4)
    return base64.b64decode(text)


def base64_lines(data, width, eol):
    s = base64.b64encode(data)
    return [s[i:i + width] + eol for i in range(0, len(s), width)]


def uu_value(line, i):
    return (line[i] - 0x20) & 0x3F if i < len(line) else 0


def uu_line_size(line):
    return uu_value(line, 0)


def uu_block(lines, p):
    """(begin, first, end) of uuencoded data in part p: end is the first
    line after the data (a zero-length line or "end"), or None."""
    for b in range(p.start, p.end):
        if bare(lines[b]).startswith(b"begin "):
            break
    else:
        return None
    e = b + 1
    while e < p.end:
        s = bare(lines[e])
        if s.startswith(b"end") or (s and uu_line_size(s) == 0):
            break
        e += 1
    return b, b + 1, e


def uu_decode(block):
    """Decodes like csm does: characters lost at a line's end were spaces."""
    out = bytearray()
    for line in block:
        s = bare(line)
        if not s:
            continue
        n = uu_line_size(s)
        k, i = 0, 1
        while k < n:
            v = uu_value(s, i) << 18 | uu_value(s, i + 1) << 12 | \
                uu_value(s, i + 2) << 6 | uu_value(s, i + 3)
            out += bytes((v >> 16, v >> 8 & 0xFF, v & 0xFF))[:min(3, n - k)]
            k += 3
            i += 4
    return bytes(out)


def uu_full_length(s):
    return 1 + 4 * ((uu_line_size(s) + 2) // 3)


def uu_lines(data, eol, strip):
    """Classic uuencode (a space for zero), 45 bytes a line."""
    out = []
    for i in range(0, len(data), 45):
        chunk = data[i:i + 45]
        padded = chunk + b"\0" * (-len(chunk) % 3)
        s = bytearray((0x20 + len(chunk),))
        for k in range(0, len(padded), 3):
            v = padded[k] << 16 | padded[k + 1] << 8 | padded[k + 2]
            s += bytes(0x20 + (v >> sh & 0x3F) for sh in (18, 12, 6, 0))
        s = bytes(s)
        if strip:
            s = s.rstrip(b" ")
        out.append(s + eol)
    return out


# ----------------------------------------------------------------- ZIP --

EOCD = b"PK\x05\x06"
CEN = b"PK\x01\x02"
LOC = b"PK\x03\x04"


class Member:
    pass


def zip_read(data):
    """The members of the ZIP archive data, in central directory order,
    each with its header fields and content (None when it cannot be had:
    encrypted or compressed in a way zlib cannot undo)."""
    e = data.rfind(EOCD)
    while e >= 0 and e + 22 + struct.unpack_from("<H", data, e + 20)[0] \
            != len(data):
        e = data.rfind(EOCD, 0, e)
    if e < 0:
        raise Defang("no ZIP end of central directory record")
    disk, cdisk, ndisk, n, size, off, clen = struct.unpack_from(
        "<HHHHIIH", data, e + 4)
    if n == 0xFFFF or size == 0xFFFFFFFF or off == 0xFFFFFFFF:
        raise Defang("ZIP64 archives are not handled")
    members = []
    p = off
    for _ in range(n):
        if data[p:p + 4] != CEN:
            raise Defang("bad central directory header at %d" % p)
        m = Member()
        (m.made, m.need, m.flags, m.method, m.time, m.date, m.crc, m.csize,
         m.usize, nl, xl, cl, m.disk, m.iattr, m.eattr, m.offset) = \
            struct.unpack_from("<HHHHHHIIIHHHHHII", data, p + 4)
        q = p + 46
        m.name = data[q:q + nl]
        m.extra = data[q + nl:q + nl + xl]
        m.comment = data[q + nl + xl:q + nl + xl + cl]
        p = q + nl + xl + cl
        lo = m.offset
        if data[lo:lo + 4] != LOC:
            raise Defang("bad local header at %d" % lo)
        (m.lneed, m.lflags, _, m.ltime, m.ldate, _, _, _, lnl, lxl) = \
            struct.unpack_from("<HHHHHIIIHH", data, lo + 4)
        m.lname = data[lo + 30:lo + 30 + lnl]
        m.lextra = data[lo + 30 + lnl:lo + 30 + lnl + lxl]
        raw = data[lo + 30 + lnl + lxl:lo + 30 + lnl + lxl + m.csize]
        m.content = None
        if not m.flags & 1:
            try:
                if m.method == 0:
                    m.content = raw
                elif m.method == 8:
                    m.content = zlib.decompressobj(-15).decompress(raw)
            except zlib.error:
                m.content = None
        members.append(m)
    return members, data[e + 22:e + 22 + clen]


def is_zip(data):
    return data[:4] == LOC


def drop_zip64(extra):
    """The extra fields but ZIP64's (its sizes would be the old ones)."""
    out = b""
    i = 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, i)
        if tag != 0x0001:
            out += extra[i:i + 4 + size]
        i += 4 + size
    return out + extra[i:]


def zip_defang(data):
    """A harmless ZIP with the members of data (see the top comment)."""
    members, comment = zip_read(data)
    local = b""
    central = b""
    for m in members:
        if m.content is not None and is_zip(m.content):
            body = zip_defang(m.content)
        else:
            body = MARK
        crc = zlib.crc32(body) & 0xFFFFFFFF
        offset = len(local)
        lflags = m.lflags & ~0x000E
        flags = m.flags & ~0x000E
        lextra = drop_zip64(m.lextra)
        extra = drop_zip64(m.extra)
        local += LOC + struct.pack("<HHHHHIIIHH", m.lneed, lflags, 0,
                                   m.ltime, m.ldate, crc, len(body),
                                   len(body), len(m.lname), len(lextra)) + \
            m.lname + lextra + body
        central += CEN + struct.pack("<HHHHHHIIIHHHHHII", m.made, m.need,
                                     flags, 0, m.time, m.date, crc,
                                     len(body), len(body), len(m.name),
                                     len(extra), len(m.comment), 0, m.iattr,
                                     m.eattr, offset) + \
            m.name + extra + m.comment
    return local + central + EOCD + struct.pack(
        "<HHHHIIH", 0, 0, len(members), len(members), len(central),
        len(local), len(comment)) + comment


def harmless(payload):
    return zip_defang(payload) if is_zip(payload) else MARK


# ------------------------------------------------------------- defang --

def eol_of(line):
    return line[len(bare(line)):] or b"\n"


def defang_message(data):
    """The defanged copy of message data and a list of what changed."""
    lines = split_lines(data)
    edits = []          # (first, end, new lines)
    log = []
    for p in parts(lines):
        if not p.named():
            continue
        cte = p.cte()
        if cte == b"base64":
            i, j = base64_block(lines, p)
            if i == j:
                continue
            payload = base64_decode(lines[i:j])
            width = len(bare(lines[i]))
            new = base64_lines(harmless(payload), width, eol_of(lines[i]))
            log.append("base64 %d -> %d bytes" % (len(payload),
                                                  len(b"".join(new))))
            edits.append((i, j, new))
        elif cte in UU_ENCODINGS:
            blk = uu_block(lines, p)
            if blk is None:
                raise Defang("uuencoded part without a begin line")
            _, i, j = blk
            old = [bare(l) for l in lines[i:j] if bare(l)]
            strip = any(len(s) < uu_full_length(s) for s in old)
            payload = uu_decode(lines[i:j])
            new = uu_lines(harmless(payload), eol_of(lines[i]), strip)
            short = [k for k, l in enumerate(new[:-1])
                     if len(bare(l)) < uu_full_length(bare(l))]
            if strip and not short:
                raise Defang("no uuencoded line before the last one lost "
                             "its trailing spaces: the quirk is gone")
            log.append("uuencode %d -> %d bytes, %d lines before the "
                       "last lost trailing spaces" % (
                len(payload), len(b"".join(new)), len(short)))
            edits.append((i, j, new))
        elif cte not in (b"", b"7bit", b"8bit", b"binary") or \
                not p.ctype().startswith(b"text/"):
            raise Defang("attachment in %r not handled" % cte)
    for i, j, new in sorted(edits, reverse=True):
        lines[i:j] = new
    return b"".join(lines), log


def generate(src):
    for name in sorted(FILES):
        with open(os.path.join(src, name), "rb") as f:
            data = f.read()
        if hashlib.sha256(data).hexdigest() != FILES[name]:
            raise Defang("%s: not the original (sha256 differs)" % name)
        out, log = defang_message(data)
        if not log:
            raise Defang("%s: no attachment found" % name)
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(out)
        print("%s: %s" % (name, "; ".join(log)))


# -------------------------------------------------------------- check --

def inspect(payload, where, problems, leaves):
    """Looks for executables in payload and the members of ZIPs in it;
    adds the contents that are no ZIP to leaves and returns the number of
    members, nested ones included."""
    if payload[:2] == b"MZ":
        problems.append("%s: starts with MZ (an executable)" % where)
    for s in PE_STUBS:
        if s in payload:
            problems.append("%s: holds a PE's DOS stub message" % where)
    if not is_zip(payload):
        leaves.append(payload)
        return 0
    try:
        members, _ = zip_read(payload)
    except (Defang, struct.error) as e:
        problems.append("%s: unreadable ZIP (%s)" % (where, e))
        return 0
    count = len(members)
    for m in members:
        w = "%s/%s" % (where, m.name.decode("cp437"))
        if m.content is None:
            problems.append("%s: content cannot be read" % w)
            continue
        count += inspect(m.content, w, problems, leaves)
    return count


def check_message(data, origin, strict):
    """Problems found in one message (or mbox), and a summary."""
    lines = split_lines(data)
    problems = []
    attached = members = 0
    for p in parts(lines):
        cte = p.cte()
        if cte == b"base64":
            i, j = base64_block(lines, p)
            payload = base64_decode(lines[i:j])
        elif cte in UU_ENCODINGS:
            blk = uu_block(lines, p)
            if blk is None:
                continue
            payload = uu_decode(lines[blk[1]:blk[2]])
        else:
            continue
        where = "%s:%d" % (origin, p.start + 1)
        leaves = []
        n = inspect(payload, where, problems, leaves)
        if strict and p.named():
            attached += 1
            members += n
            if any(leaf != MARK for leaf in leaves):
                problems.append("%s: attachment not defanged" % where)
    if strict and attached == 0:
        problems.append("%s: no attachment found" % origin)
    summary = "%s: defanged: %d attachments, %d archive members" % (
        origin, attached, members) if strict else None
    return problems, summary


def check(paths):
    files = []
    for path in paths:
        if os.path.isdir(path):
            files += [os.path.join(path, n) for n in sorted(os.listdir(path))
                      if n.endswith((".eml", ".mbox"))]
        else:
            files.append(path)
    bad = 0
    for path in files:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
        problems, summary = check_message(data, path,
                                          os.path.basename(path) in FILES)
        for s in problems:
            print(s)
        if summary is not None and not problems:
            print(summary)
        bad += len(problems)
    print("%d files, %d problems" % (len(files), bad))
    return 1 if bad else 0


def main(argv):
    try:
        if argv[1:2] == ["--check"]:
            if len(argv) < 3:
                sys.stderr.write("usage: defang.py --check PATH...\n")
                return 2
            return check(argv[2:])
        if len(argv) > 2 or argv[1:2] and argv[1].startswith("-"):
            sys.stderr.write("usage: defang.py [SRC] | --check PATH...\n")
            return 2
        generate(argv[1] if len(argv) == 2 else SRC)
    except (Defang, OSError) as e:
        sys.stderr.write("defang.py: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
