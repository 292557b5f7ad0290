/*
 * ziplist_test.c: member names the way archivers write them (CP932
 * without the UTF-8 flag, UTF-8 with it), an encrypted member, archives
 * damaged the ways mail attachments are (bytes before the archive, the
 * end cut off) and bytes that are no archive; archives inside archives
 * (by name and by their bytes), their caps on depth, size, unpacked bytes
 * and names, and those inside that are encrypted or damaged. The fixed
 * archives below are written by testdata/mail/make-fixtures.py's
 * make_zip; the nested ones are built here by zbuild.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <zip.h>
#include <zlib.h>
#include "test.h"
#include "ziplist.h"

static const unsigned char zip_names[] = {
	0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x60, 0x79, 0x5b, 0x5d, 0x9b, 0xb0, 0x8f, 0x02, 0x00, 0x00, 0x00,
	0x02, 0x00, 0x00, 0x00, 0x0e, 0x00, 0x00, 0x00, 0x90, 0xbf, 0x8b,
	0x81, 0x8f, 0x91, 0x2e, 0x70, 0x64, 0x66, 0x2e, 0x65, 0x78, 0x65,
	0x4d, 0x5a, 0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x08, 0x00,
	0x00, 0x00, 0x60, 0x79, 0x5b, 0x83, 0x16, 0xdc, 0x8c, 0x01, 0x00,
	0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x72,
	0xc3, 0xa9, 0x73, 0x75, 0x6d, 0xc3, 0xa9, 0x2e, 0x74, 0x78, 0x74,
	0x78, 0x50, 0x4b, 0x01, 0x02, 0x14, 0x00, 0x14, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x60, 0x79, 0x5b, 0x5d, 0x9b, 0xb0, 0x8f, 0x02,
	0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x0e, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x90, 0xbf, 0x8b, 0x81, 0x8f, 0x91, 0x2e, 0x70,
	0x64, 0x66, 0x2e, 0x65, 0x78, 0x65, 0x50, 0x4b, 0x01, 0x02, 0x14,
	0x00, 0x14, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x60, 0x79, 0x5b,
	0x83, 0x16, 0xdc, 0x8c, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x2e, 0x00, 0x00, 0x00, 0x72, 0xc3, 0xa9,
	0x73, 0x75, 0x6d, 0xc3, 0xa9, 0x2e, 0x74, 0x78, 0x74, 0x50, 0x4b,
	0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x76,
	0x00, 0x00, 0x00, 0x59, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static const unsigned char zip_encrypted[] = {
	0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x60, 0x79, 0x5b, 0xe8, 0x2b, 0xf1, 0xd1, 0x13, 0x00, 0x00, 0x00,
	0x07, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x61, 0x2e, 0x6a,
	0x73, 0xe3, 0xc0, 0x80, 0xa1, 0x8c, 0x03, 0x67, 0xa9, 0x30, 0xde,
	0x33, 0x5e, 0xec, 0x38, 0xbe, 0x58, 0x0c, 0xd9, 0xd3, 0x50, 0x4b,
	0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x60, 0x79,
	0x5b, 0xac, 0x2a, 0x93, 0xd8, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00,
	0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x62, 0x2e, 0x74, 0x78, 0x74,
	0x68, 0x69, 0x50, 0x4b, 0x01, 0x02, 0x14, 0x00, 0x14, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x60, 0x79, 0x5b, 0xe8, 0x2b, 0xf1, 0xd1,
	0x13, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x61, 0x2e, 0x6a, 0x73, 0x50, 0x4b, 0x01,
	0x02, 0x14, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x60,
	0x79, 0x5b, 0xac, 0x2a, 0x93, 0xd8, 0x02, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x35, 0x00, 0x00, 0x00, 0x62,
	0x2e, 0x74, 0x78, 0x74, 0x50, 0x4b, 0x05, 0x06, 0x00, 0x00, 0x00,
	0x00, 0x02, 0x00, 0x02, 0x00, 0x65, 0x00, 0x00, 0x00, 0x5a, 0x00,
	0x00, 0x00, 0x00, 0x00,
};

/* zip_one: 130 bytes; its central directory starts at 47 */
static const unsigned char zip_one[] = {
	0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x60, 0x79, 0x5b, 0x5d, 0x9b, 0xb0, 0x8f, 0x02, 0x00, 0x00, 0x00,
	0x02, 0x00, 0x00, 0x00, 0x0f, 0x00, 0x00, 0x00, 0x69, 0x6e, 0x76,
	0x6f, 0x69, 0x63, 0x65, 0x2e, 0x70, 0x64, 0x66, 0x2e, 0x65, 0x78,
	0x65, 0x4d, 0x5a, 0x50, 0x4b, 0x01, 0x02, 0x14, 0x00, 0x14, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x60, 0x79, 0x5b, 0x5d, 0x9b, 0xb0,
	0x8f, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x0f, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x69, 0x6e, 0x76, 0x6f, 0x69, 0x63,
	0x65, 0x2e, 0x70, 0x64, 0x66, 0x2e, 0x65, 0x78, 0x65, 0x50, 0x4b,
	0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x3d,
	0x00, 0x00, 0x00, 0x2f, 0x00, 0x00, 0x00, 0x00, 0x00,
};


static char got[65536];
static size_t got_n;
static long got_names;

/* Members as they are, "E:" and "U:" before archives inside. */
static void
collect(void *arg, enum ziplist_what what, struct slice name)
{
	const char *tag = what == ZIPLIST_ENCRYPTED ? "E:" :
	    what == ZIPLIST_UNREAD ? "U:" : "";

	(void)arg;
	if (what == ZIPLIST_MEMBER)
		got_names++;
	if (got_n + name.n + 3 < sizeof got) {
		if (got_n)
			got[got_n++] = '|';
		memcpy(got + got_n, tag, strlen(tag));
		got_n += strlen(tag);
		memcpy(got + got_n, name.p, name.n);
		got_n += name.n;
	}
}

static int
list(const void *data, size_t n, struct ziplist_info *info)
{
	got_n = 0;
	got_names = 0;
	return ziplist_read(data, n, collect, NULL, info);
}

/* One member for zbuild. */
struct zm {
	const char *name;
	const void *data;
	size_t len;
	int flags;		/* ZM_ENCRYPTED, ZM_DEFLATE */
	unsigned long usize;	/* size the headers say; 0: len */
};

#define ZM_ENCRYPTED 1		/* the flag only: no member is opened so */
#define ZM_DEFLATE 2

static void
put16(GByteArray *a, unsigned v)
{
	unsigned char b[2] = { v & 0xff, (v >> 8) & 0xff };

	g_byte_array_append(a, b, 2);
}

static void
put32(GByteArray *a, unsigned long v)
{
	put16(a, v & 0xffff);
	put16(a, (v >> 16) & 0xffff);
}

/* The raw deflate form of d[0..n), in a GByteArray. */
static GByteArray *
squeeze(const void *d, size_t n)
{
	GByteArray *a = g_byte_array_new();
	z_stream zs;

	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		abort();
	g_byte_array_set_size(a, (guint)deflateBound(&zs, n));
	zs.next_in = (unsigned char *)d;
	zs.avail_in = (uInt)n;
	zs.next_out = a->data;
	zs.avail_out = a->len;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		abort();
	g_byte_array_set_size(a, (guint)zs.total_out);
	deflateEnd(&zs);
	return a;
}

/* A ZIP archive of m[0..n), in a GByteArray the caller unrefs. */
static GByteArray *
zbuild(const struct zm *m, int n)
{
	GByteArray *a = g_byte_array_new(), *cd = g_byte_array_new();
	int i;

	for (i = 0; i < n; i++) {
		GByteArray *z = m[i].flags & ZM_DEFLATE ? squeeze(m[i].data,
		    m[i].len) : NULL;
		const void *body = z ? z->data : m[i].data;
		size_t blen = z ? z->len : m[i].len, nl = strlen(m[i].name);
		unsigned long crc = crc32(0, m[i].data, (uInt)m[i].len);
		unsigned long usize = m[i].usize ? m[i].usize : m[i].len;
		GByteArray *h[2] = { a, cd };
		unsigned long off = a->len;
		int k;

		for (k = 0; k < 2; k++) {
			g_byte_array_append(h[k], (const guint8 *)(k ?
			    "PK\1\2" : "PK\3\4"), 4);
			if (k)
				put16(h[k], 20);
			put16(h[k], 20);
			put16(h[k], m[i].flags & ZM_ENCRYPTED ? 1 : 0);
			put16(h[k], z ? 8 : 0);
			put16(h[k], 0x6000);
			put16(h[k], 0x5b79);
			put32(h[k], crc);
			put32(h[k], blen);
			put32(h[k], usize);
			put16(h[k], (unsigned)nl);
			put16(h[k], 0);
			if (k) {
				put16(h[k], 0);
				put16(h[k], 0);
				put16(h[k], 0);
				put32(h[k], 0);
				put32(h[k], off);
			}
			g_byte_array_append(h[k], (const guint8 *)m[i].name,
			    (guint)nl);
		}
		g_byte_array_append(a, body, (guint)blen);
		if (z)
			g_byte_array_unref(z);
	}
	{
		unsigned long cdoff = a->len;

		g_byte_array_append(a, cd->data, cd->len);
		g_byte_array_append(a, (const guint8 *)"PK\5\6", 4);
		put16(a, 0);
		put16(a, 0);
		put16(a, (unsigned)n);
		put16(a, (unsigned)n);
		put32(a, cd->len);
		put32(a, cdoff);
		put16(a, 0);
	}
	g_byte_array_unref(cd);
	return a;
}

/* An archive of one member, name holding the archive a. */
static GByteArray *
wrap(const char *name, const GByteArray *a, int flags)
{
	struct zm m = { name, a->data, a->len, flags, 0 };

	return zbuild(&m, 1);
}

static int
list_a(const GByteArray *a, struct ziplist_info *info)
{
	return list(a->data, a->len, info);
}

static void
names(void)
{
	char *s;

	s = ziplist_name_utf8("abc.txt", 7);
	TEST_OK(strcmp(s, "abc.txt") == 0, "ASCII kept");
	g_free(s);
	s = ziplist_name_utf8("\x90\xbf\x8b\x81\x8f\x91.pdf", 10);
	TEST_OK(strcmp(s, "請求書.pdf") == 0, "CP932 read");
	g_free(s);
	s = ziplist_name_utf8("\x87\x40\x87\x8a", 4);
	TEST_OK(strcmp(s, "①㈱") == 0, "CP932's NEC characters");
	g_free(s);
	s = ziplist_name_utf8("r\xc3\xa9sum\xc3\xa9", 8);
	TEST_OK(strcmp(s, "résumé") == 0, "UTF-8 kept");
	/* 0xff is no CP932 lead byte: the ZIP format's CP437. */
	g_free(s);
	s = ziplist_name_utf8("\xff\x84\x94", 3);
	TEST_OK(strcmp(s, "\xc2\xa0äö") == 0, "CP437 for the rest");
	g_free(s);
}

/* Archives inside: by name (any case), by their bytes, CP932 names. */
static void
nested(void)
{
	struct ziplist_info info;
	struct zm in[] = {
		{ "doc.js", "x", 1, 0, 0 },
		{ "deep/x.txt", "y", 1, ZM_DEFLATE, 0 },
	};
	GByteArray *inner = zbuild(in, 2), *bin, *outer;
	struct zm out[] = {
		{ "a.txt", "a", 1, 0, 0 },
		{ "inner.zip", inner->data, inner->len, 0, 0 },
		{ "data.bin", NULL, 0, ZM_DEFLATE, 0 },
		{ "UP.ZIP", inner->data, inner->len, ZM_DEFLATE, 0 },
		{ "\x90\xbf\x8b\x81\x8f\x91.zip", zip_names,
		    sizeof zip_names, 0, 0 },
		{ "fake.bin", "PK\3\4 but not an archive at all", 31, 0, 0 },
		{ "z.txt", "z", 1, 0, 0 },
	};

	bin = zbuild(in, 1);
	out[2].data = bin->data;
	out[2].len = bin->len;
	outer = zbuild(out, 7);
	TEST_OK(list_a(outer, &info) == 0 && info.members == 7 &&
	    !info.encrypted && got_names == 14, "archive with archives inside");
	TEST_BYTES(got, got_n, "a.txt|inner.zip|inner.zip/doc.js|"
	    "inner.zip/deep/x.txt|data.bin|data.bin/doc.js|UP.ZIP|UP.ZIP/doc.js|"
	    "UP.ZIP/deep/x.txt|請求書.zip|請求書.zip/請求書.pdf.exe|"
	    "請求書.zip/résumé.txt|fake.bin|U:fake.bin|z.txt",
	    "members inside follow theirs; by name, any case, by \"PK\\3\\4\", "
	    "deflated or stored, CP932 names; bytes that only look so");
	g_byte_array_unref(outer);
	g_byte_array_unref(bin);
	g_byte_array_unref(inner);
}

/* Three levels inside are read, the fourth is named only. */
static void
depth(void)
{
	struct ziplist_info info;
	struct zm leaf = { "deep.txt", "d", 1, 0, 0 };
	GByteArray *a = zbuild(&leaf, 1), *b;
	const char *names[] = { "l4.zip", "l3.zip", "l2.zip", "l1.zip" };
	int i;

	for (i = 0; i < 4; i++) {
		b = wrap(names[i], a, i % 2 ? ZM_DEFLATE : 0);
		g_byte_array_unref(a);
		a = b;
	}
	TEST_OK(list_a(a, &info) == 0 && got_names == 4, "four levels");
	TEST_BYTES(got, got_n, "l1.zip|l1.zip/l2.zip|l1.zip/l2.zip/l3.zip|"
	    "l1.zip/l2.zip/l3.zip/l4.zip|U:l1.zip/l2.zip/l3.zip/l4.zip",
	    "depth cap: the fourth level is not opened, and said so");
	g_byte_array_unref(a);

	/* The same by bytes only: at the cap, still said. */
	a = zbuild(&leaf, 1);
	for (i = 0; i < 4; i++) {
		b = wrap(i == 0 ? "l4.bin" : names[i], a, 0);
		g_byte_array_unref(a);
		a = b;
	}
	TEST_OK(list_a(a, &info) == 0, "four levels, the last by bytes");
	TEST_BYTES(got, got_n, "l1.zip|l1.zip/l2.zip|l1.zip/l2.zip/l3.zip|"
	    "l1.zip/l2.zip/l3.zip/l4.bin|U:l1.zip/l2.zip/l3.zip/l4.bin",
	    "depth cap by bytes");
	g_byte_array_unref(a);
}

/* An archive of pad.bin (stored) and hidden.txt, size bytes in all. */
static GByteArray *
padded(size_t size)
{
	struct zm in[] = {
		{ "pad.bin", NULL, 0, 0, 0 },
		{ "hidden.txt", "h", 1, 0, 0 },
	};
	GByteArray *a = zbuild(in, 2);
	unsigned char *pad = calloc(size - a->len, 1);

	in[0].data = pad;
	in[0].len = size - a->len;
	g_byte_array_unref(a);
	a = zbuild(in, 2);
	free(pad);
	return a;
}

/*
 * An archive inside of ZIPLIST_MAX_NESTED bytes is read, one byte more
 * is not (by name or by bytes), nor one whose directory says 200 bytes
 * but that unpacks to more; ZIPLIST_MAX_UNPACKED ends the reading.
 */
static void
size_caps(void)
{
	struct ziplist_info info;
	GByteArray *fits = padded(ZIPLIST_MAX_NESTED), *over =
	    padded(ZIPLIST_MAX_NESTED + 1), *outer;
	struct zm out[] = {
		{ "fits.zip", fits->data, fits->len, ZM_DEFLATE, 0 },
		{ "big.zip", over->data, over->len, ZM_DEFLATE, 0 },
		{ "big.bin", over->data, over->len, ZM_DEFLATE, 0 },
		{ "liar.zip", over->data, over->len, ZM_DEFLATE, 200 },
		{ "liar.bin", over->data, over->len, ZM_DEFLATE, 200 },
	};
	struct zm five[5];
	char names[5][8];
	int i;

	TEST_OK(fits->len == ZIPLIST_MAX_NESTED && over->len ==
	    ZIPLIST_MAX_NESTED + 1, "padded archives");
	outer = zbuild(out, 5);
	TEST_OK(outer->len < 1000000 && list_a(outer, &info) == 0,
	    "archives inside of 16 MiB and more");
	TEST_BYTES(got, got_n, "fits.zip|fits.zip/pad.bin|fits.zip/hidden.txt|"
	    "big.zip|U:big.zip|big.bin|U:big.bin|liar.zip|U:liar.zip|"
	    "liar.bin|U:liar.bin", "size cap: by the directory's size, and "
	    "by the bytes unpacked when the directory lies");
	g_byte_array_unref(outer);
	g_byte_array_unref(over);
	g_byte_array_unref(fits);

	/* Four archives of 15 MiB inside are 60 MiB: a fifth is too many. */
	fits = padded(15L * 1024 * 1024);
	for (i = 0; i < 5; i++) {
		snprintf(names[i], sizeof names[i], "p%d.zip", i + 1);
		five[i] = (struct zm){ names[i], fits->data, fits->len,
		    ZM_DEFLATE, 0 };
	}
	outer = zbuild(five, 5);
	TEST_OK(list_a(outer, &info) == 0 && got_names == 13,
	    "five archives of 15 MiB inside");
	TEST_OK(got_n > 15 && memcmp(got + got_n - 15, "p5.zip|U:p5.zip",
	    15) == 0 && memmem(got, got_n, "p4.zip/hidden.txt", 17) != NULL,
	    "unpacked bytes cap: the fifth is not read");
	g_byte_array_unref(outer);
	g_byte_array_unref(fits);
}

/*
 * Encrypted: an archive inside with an encrypted member is read and
 * named; one that is itself encrypted is named, not read.
 */
static void
encrypted_inside(void)
{
	struct ziplist_info info;
	GByteArray *inner = zbuild((struct zm[]){ { "x.txt", "x", 1, 0,
	    0 } }, 1), *outer;
	struct zm out[] = {
		{ "sec.zip", zip_encrypted, sizeof zip_encrypted, 0, 0 },
		{ "locked.zip", inner->data, inner->len, ZM_ENCRYPTED, 0 },
		{ "locked.bin", inner->data, inner->len, ZM_ENCRYPTED, 0 },
	};

	outer = zbuild(out, 3);
	TEST_OK(list_a(outer, &info) == 0 && info.encrypted,
	    "encrypted inside and an encrypted member");
	TEST_BYTES(got, got_n, "sec.zip|E:sec.zip|sec.zip/a.js|sec.zip/b.txt|"
	    "locked.zip|E:locked.zip|locked.bin", "encrypted archives inside");
	g_byte_array_unref(outer);
	outer = wrap("sec.zip", &(GByteArray){ (guint8 *)zip_encrypted,
	    sizeof zip_encrypted }, 0);
	TEST_OK(list_a(outer, &info) == 0 && !info.encrypted,
	    "encrypted only inside: the archive itself is not");
	g_byte_array_unref(outer);
	g_byte_array_unref(inner);
}

/* Damaged archives inside: named, with what could be salvaged. */
static void
corrupt_inside(void)
{
	struct ziplist_info info;
	GByteArray *outer;
	struct zm out[] = {
		{ "bad.zip", "this is not an archive, not at all", 34, 0, 0 },
		{ "cut.zip", zip_one, 47, 0, 0 },
		{ "empty.zip", "", 0, 0, 0 },
		{ "ok.txt", "ok", 2, 0, 0 },
	};
	GByteArray *inner;
	unsigned char *crc;

	outer = zbuild(out, 4);
	TEST_OK(list_a(outer, &info) == 0 && !info.salvaged,
	    "damaged archives inside");
	TEST_BYTES(got, got_n, "bad.zip|U:bad.zip|cut.zip|U:cut.zip|"
	    "cut.zip/invoice.pdf.exe|empty.zip|U:empty.zip|ok.txt",
	    "damaged inside: named; salvaged names listed");
	g_byte_array_unref(outer);

	/* A member whose bytes do not match its CRC cannot be read. */
	inner = wrap("in.zip", &(GByteArray){ (guint8 *)zip_one,
	    sizeof zip_one }, 0);
	crc = memmem(inner->data, inner->len, "invoice", 7);
	crc[-30 + 14] ^= 1;	/* the local header's CRC of in.zip */
	TEST_OK(list_a(inner, &info) == 0, "bad CRC inside");
	TEST_BYTES(got, got_n, "in.zip|U:in.zip", "bad CRC: not read");
	g_byte_array_unref(inner);
}

/* The cap on names counts those inside. */
static void
name_cap(void)
{
	struct ziplist_info info;
	struct zm many[1500], out[2];
	char (*names)[16] = calloc(1500, sizeof *names);
	GByteArray *inner, *outer;
	int i;

	for (i = 0; i < 1500; i++) {
		snprintf(names[i], sizeof names[i], "m%04d.txt", i);
		many[i] = (struct zm){ names[i], "m", 1, 0, 0 };
	}
	inner = zbuild(many, 1500);
	out[0] = (struct zm){ "many.zip", inner->data, inner->len, 0, 0 };
	out[1] = (struct zm){ "after.txt", "a", 1, 0, 0 };
	outer = zbuild(out, 2);
	TEST_OK(list_a(outer, &info) == 0 && info.members == 2 &&
	    got_names == ZIPLIST_MAX_MEMBERS, "1000 names in all");
	TEST_OK(memmem(got, got_n, "many.zip/m0998.txt", 18) != NULL &&
	    memmem(got, got_n, "m0999", 5) == NULL &&
	    memmem(got, got_n, "after.txt", 9) == NULL,
	    "the first 1000 names, those inside counted");
	g_byte_array_unref(outer);
	g_byte_array_unref(inner);
	free(names);
}

/* An archive of names[i] holding a (bzip2 by libzip), GByteArray. */
static GByteArray *
bzipped(const char *const *names, int n, const GByteArray *a)
{
	GByteArray *out = g_byte_array_new();
	zip_error_t ze;
	zip_source_t *src, *m;
	zip_t *za;
	zip_int64_t idx, size;
	int i;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL)
		abort();
	zip_source_keep(src);
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, &ze)) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		if ((m = zip_source_buffer(za, a->data, a->len, 0)) == NULL ||
		    (idx = zip_file_add(za, names[i], m, 0)) < 0 ||
		    zip_set_file_compression(za, (zip_uint64_t)idx,
		    ZIP_CM_BZIP2, 0) != 0)
			abort();
	}
	if (zip_close(za) != 0 || zip_source_open(src) != 0 ||
	    zip_source_seek(src, 0, SEEK_END) != 0 ||
	    (size = zip_source_tell(src)) < 0 ||
	    zip_source_seek(src, 0, SEEK_SET) != 0)
		abort();
	g_byte_array_set_size(out, (guint)size);
	if (zip_source_read(src, out->data, (zip_uint64_t)size) != size)
		abort();
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	return out;
}

/* bzip2 members: read when named .zip, not looked at by their bytes. */
static void
bzip2_inside(void)
{
	struct ziplist_info info;
	static const char *const names[] = { "in.zip", "photos.dat" };
	struct zm leaf = { "x.txt", "x", 1, 0, 0 };
	GByteArray *inner = zbuild(&leaf, 1), *outer;

	outer = bzipped(names, 2, inner);
	TEST_OK(list_a(outer, &info) == 0, "bzip2 members");
	TEST_BYTES(got, got_n, "in.zip|in.zip/x.txt|photos.dat",
	    "a bzip2 member is read when named .zip, not looked at else");
	g_byte_array_unref(outer);
	g_byte_array_unref(inner);
}

/*
 * Past ZIPLIST_MAX_MEMBERS names the rest are left out, and info says so:
 * a thousand decoys must not hide the last member in silence.
 */
static void
capped(void)
{
	static struct zm m[ZIPLIST_MAX_MEMBERS + 1];
	static char names[ZIPLIST_MAX_MEMBERS + 1][16];
	struct ziplist_info info;
	GByteArray *a;
	int i;

	for (i = 0; i <= ZIPLIST_MAX_MEMBERS; i++) {
		snprintf(names[i], sizeof names[i], i < ZIPLIST_MAX_MEMBERS ?
		    "doc%04d.txt" : "invoice.exe", i);
		m[i].name = names[i];
		m[i].data = "x";
		m[i].len = 1;
	}
	a = zbuild(m, ZIPLIST_MAX_MEMBERS);
	TEST_OK(list(a->data, a->len, &info) == 0 && !info.capped &&
	    got_names == ZIPLIST_MAX_MEMBERS, "1000 members: all, not capped");
	g_byte_array_unref(a);
	a = zbuild(m, ZIPLIST_MAX_MEMBERS + 1);
	TEST_OK(list(a->data, a->len, &info) == 0 && info.capped &&
	    got_names == ZIPLIST_MAX_MEMBERS && info.members == 1001,
	    "1001 members: the last left out, and capped says so");
	g_byte_array_unref(a);
}

int
main(void)
{
	struct ziplist_info info;
	unsigned char *buf;
	size_t n;

	names();
	TEST_OK(list(zip_names, sizeof zip_names, &info) == 0 &&
	    info.members == 2 && !info.encrypted && !info.salvaged, "read");
	TEST_BYTES(got, got_n, "請求書.pdf.exe|résumé.txt",
	    "CP932 name without the UTF-8 flag, UTF-8 name with it");
	TEST_OK(list(zip_encrypted, sizeof zip_encrypted, &info) == 0 &&
	    info.encrypted && info.members == 2, "encrypted member");
	TEST_BYTES(got, got_n, "a.js|b.txt", "names of an encrypted archive");
	TEST_OK(list(zip_one, sizeof zip_one, &info) == 0 &&
	    !info.encrypted, "plain archive not encrypted");

	/* Six bytes in front: the offsets no longer add up. */
	n = sizeof zip_one + 6;
	buf = malloc(n);
	memcpy(buf, "junk!\n", 6);
	memcpy(buf + 6, zip_one, sizeof zip_one);
	TEST_OK(list(buf, n, &info) == 1 && info.salvaged &&
	    info.error[0] != '\0', "bytes before the archive: salvaged");
	TEST_BYTES(got, got_n, "invoice.pdf.exe", "salvaged name");
	free(buf);

	/* The end cut off: only the member's own header is left. */
	TEST_OK(list(zip_one, 47, &info) == 1 && info.members == 1,
	    "central directory cut off: salvaged from the local header");
	TEST_BYTES(got, got_n, "invoice.pdf.exe", "name from local header");
	TEST_OK(list(zip_one, 20, &info) == -1 && got_n == 0 &&
	    info.error[0] != '\0', "cut inside the first header: unreadable");
	TEST_OK(list("this is not an archive", 22, &info) == -1,
	    "not an archive");
	TEST_OK(list("", 0, &info) == -1, "empty");
	nested();
	depth();
	size_caps();
	encrypted_inside();
	corrupt_inside();
	name_cap();
	bzip2_inside();
	capped();
	return test_done();
}
