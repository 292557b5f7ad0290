/*
 * fmt_evtx_test.c: the evtx format on a small .evtx file written here,
 * so that no third-party log is needed: a file header and one chunk
 * holding two event records in binary XML (plain elements, no templates),
 * and a third record left in the chunk's free space, as a cleared log
 * leaves one. Checks the events read through open_file, next_record and
 * line as csm-parse drives them, the recovered record's mark, a record
 * with a broken token (rejected, the others read, the damage reported)
 * and a copy cut short. CSM_EVTX_WRITE=FILE keeps the image:
 * testdata/logs/auth/tiny.evtx.gz is it, compressed.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>
#include "event.h"
#include "fmt.h"
#include "test.h"

extern const struct fmt fmt_evtx;

#define CHUNK 65536
#define FILE_HEAD 4096

static uint8_t file[FILE_HEAD + CHUNK];
static size_t at;	/* write offset in the chunk */
static size_t broken_at;	/* a token of the second record */
static uint8_t *chunk = file + FILE_HEAD;

static void
put(const void *p, size_t n)
{
	memcpy(chunk + at, p, n);
	at += n;
}

static void
le16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
le32(uint8_t *p, uint32_t v)
{
	le16(p, v & 0xffff);
	le16(p + 2, v >> 16);
}

static void
le64(uint8_t *p, uint64_t v)
{
	le32(p, (uint32_t)v);
	le32(p + 4, (uint32_t)(v >> 32));
}

static void
put8(unsigned v)
{
	uint8_t b = (uint8_t)v;

	put(&b, 1);
}

static void
put16(unsigned v)
{
	uint8_t b[2];

	le16(b, v);
	put(b, 2);
}

static void
put32(uint32_t v)
{
	uint8_t b[4];

	le32(b, v);
	put(b, 4);
}

/* UTF-16LE of an ASCII string, without a NUL. */
static void
put_utf16(const char *s)
{
	while (*s)
		put16((unsigned char)*s++);
}

/*
 * A name where it is first used: its chunk offset is the offset just
 * past the field that points at it. Layout: next (4), hash (2), number of
 * characters (2), UTF-16 text, NUL (2).
 */
static void
put_name(const char *s)
{
	unsigned hash = 0;
	const char *c;

	for (c = s; *c; c++)
		hash = (hash * 65599 + (unsigned char)*c) & 0xffff;
	put32((uint32_t)(at + 4));	/* the name follows right here */
	put32(0);
	put16(hash);
	put16((unsigned)strlen(s));
	put_utf16(s);
	put16(0);
}

/* A text value: token, string type, characters, text. */
static void
put_text(const char *s)
{
	put8(0x05);
	put8(0x01);
	put16((unsigned)strlen(s));
	put_utf16(s);
}

/*
 * <name attr="val">: returns the offset of the data size field, to be
 * filled in by end_el. attr may be NULL.
 */
static size_t
open_el(const char *name, const char *attr, const char *val)
{
	size_t size_at, list_at = 0;

	put8(attr ? 0x41 : 0x01);
	put16(0xffff);		/* dependency identifier: none */
	size_at = at;
	put32(0);
	put_name(name);
	if (attr) {
		list_at = at;
		put32(0);
		put8(0x06);
		put_name(attr);
		put_text(val);
		le32(chunk + list_at, (uint32_t)(at - list_at - 4));
	}
	put8(0x02);
	return size_at;
}

static void
end_el(size_t size_at)
{
	put8(0x04);
	le32(chunk + size_at, (uint32_t)(at - size_at - 4));
}

/* <name>text</name> */
static void
leaf(const char *name, const char *attr, const char *val, const char *text)
{
	size_t s = open_el(name, attr, val);

	put_text(text);
	end_el(s);
}

/* One event record with its binary XML; returns its offset. */
static size_t
record(uint64_t id, const char *event_id, const char *time,
    const char *user, const char *ip)
{
	size_t start = at, ev, sys, data;

	put("**\0\0", 4);
	put32(0);				/* size, below */
	{
		uint8_t b[8];

		le64(b, id);
		put(b, 8);
		le64(b, UINT64_C(134085024000000000));	/* 2025-11-25 */
		put(b, 8);
	}
	put8(0x0f);				/* fragment header 1.1 */
	put8(1);
	put8(1);
	put8(0);
	ev = open_el("Event", "xmlns",
	    "http://schemas.microsoft.com/win/2004/08/events/event");
	sys = open_el("System", NULL, NULL);
	leaf("EventID", NULL, NULL, event_id);
	leaf("Channel", NULL, NULL, "Security");
	leaf("Computer", NULL, NULL, "DC01.corp.example.co.jp");
	{
		size_t t = open_el("TimeCreated", "SystemTime", time);

		end_el(t);
	}
	end_el(sys);
	data = open_el("EventData", NULL, NULL);
	leaf("Data", "Name", "TargetUserName", user);
	leaf("Data", "Name", "IpAddress", ip);
	leaf("Data", "Name", "LogonType", "3");
	end_el(data);
	end_el(ev);
	put8(0x00);				/* end of document */
	while ((at - start) % 8 != 4)
		put8(0);
	put32((uint32_t)(at - start + 4));
	le32(chunk + start + 4, (uint32_t)(at - start));
	le32(chunk + at - 4, (uint32_t)(at - start));
	return start;
}

/* Builds the file: header, a chunk with two records and one in slack. */
static void
build(void)
{
	size_t last, free_at;
	uint32_t crc;

	memset(file, 0, sizeof file);
	at = 512;
	(void)record(1, "4624", "2026-11-25T00:00:01.000Z", "adm-tanaka",
	    "::ffff:10.1.20.35");
	last = record(2, "4625", "2026-11-25T00:00:02.000Z", "administrator",
	    "203.0.113.66");
	broken_at = last + 28;	/* the first element's token */
	free_at = at;
	/* A record of the log's past, beyond the free space offset. */
	(void)record(7, "1102", "2026-11-24T23:00:00.000Z", "eve", "-");

	memcpy(chunk, "ElfChnk\0", 8);
	le64(chunk + 8, 1);		/* first, last record number */
	le64(chunk + 16, 2);
	le64(chunk + 24, 1);			/* first, last record id */
	le64(chunk + 32, 2);
	le32(chunk + 40, 128);
	le32(chunk + 44, (uint32_t)last);
	le32(chunk + 48, (uint32_t)free_at);
	le32(chunk + 52, (uint32_t)crc32(0, chunk + 512,
	    (uInt)(free_at - 512)));
	crc = (uint32_t)crc32(0, chunk, 120);
	crc = (uint32_t)crc32(crc, chunk + 128, 384);
	le32(chunk + 124, crc);

	memcpy(file, "ElfFile\0", 8);
	le64(file + 8, 0);			/* first, last chunk */
	le64(file + 16, 0);
	le64(file + 24, 3);			/* next record id */
	le32(file + 32, 128);
	le16(file + 36, 1);			/* version 3.1 */
	le16(file + 38, 3);
	le16(file + 40, FILE_HEAD);
	le16(file + 42, 1);			/* chunks */
	le32(file + 124, (uint32_t)crc32(0, file, 120));
}

struct got {
	int n;
	char line[8][400];
	char reason[2][256];	/* first rejection, reason of the end */
};

static void
emit(struct parse_ctx *ctx, struct event *ev)
{
	struct got *g = ctx->emit_arg;
	char *p;
	size_t left;
	int i, k;

	if (g->n >= 8)
		return;
	p = g->line[g->n++];
	left = sizeof g->line[0];
	k = snprintf(p, left, "%llu", (unsigned long long)ev->origin_line);
	for (i = EV_LOG; i < EV_EXTRA && k > 0 && (size_t)k < left; i++)
		if (ev->f[i].n)
			k += snprintf(p + k, left - (size_t)k, " %.*s",
			    (int)ev->f[i].n, ev->f[i].p);
	for (i = 0; i < ev->nextra && k > 0 && (size_t)k < left; i++)
		k += snprintf(p + k, left - (size_t)k, " %.*s=%.*s",
		    (int)ev->extra_key[i].n, ev->extra_key[i].p,
		    (int)ev->extra_val[i].n, ev->extra_val[i].p);
}

/* Reads path as csm-parse does; counts records by result. */
static int
read_file(const char *path, struct got *g, int *used, int *rejected,
    enum record_status *last)
{
	struct parse_opts opts;
	struct parse_ctx ctx;
	struct event *ev = malloc(sizeof *ev);
	enum record_status rs;
	struct slice rec;
	uint64_t recno;
	void *state;

	memset(&opts, 0, sizeof opts);
	memset(&ctx, 0, sizeof ctx);
	memset(g, 0, sizeof *g);
	*used = *rejected = 0;
	ctx.opts = &opts;
	ctx.ev = ev;
	ctx.emit = emit;
	ctx.emit_arg = g;
	if (ev == NULL || (state = fmt_evtx.open(&ctx)) == NULL) {
		free(ev);
		return -1;
	}
	if (fmt_evtx.open_file(state, path, &ctx) != 0) {
		fmt_evtx.close(state);
		free(ev);
		return -1;
	}
	while ((rs = fmt_evtx.next_record(state, &rec, &recno, &ctx)) ==
	    RECORD_OK || rs == RECORD_BAD) {
		event_clear(ev);
		ev->origin_line = recno;
		if (rs == RECORD_OK && fmt_evtx.line(state, rec, &ctx) ==
		    LINE_USED) {
			(*used)++;
		} else if ((*rejected)++ == 0) {
			memcpy(g->reason[0], ctx.reason, sizeof ctx.reason);
		}
		ctx.reason[0] = '\0';
	}
	memcpy(g->reason[1], ctx.reason, sizeof ctx.reason);
	*last = rs;
	fmt_evtx.close(state);
	free(ev);
	return 0;
}

int
main(void)
{
	char path[] = "/tmp/csm-evtx-test-XXXXXX";
	enum record_status last;
	struct got g;
	int fd, used, rejected;

	build();
	if (getenv("CSM_EVTX_WRITE") != NULL) {
		FILE *fp = fopen(getenv("CSM_EVTX_WRITE"), "wb");

		TEST_OK(fp != NULL && fwrite(file, 1, sizeof file, fp) ==
		    sizeof file && fclose(fp) == 0, "image kept");
	}
	if ((fd = mkstemp(path)) < 0)
		return 1;
	TEST_OK(write(fd, file, sizeof file) == (ssize_t)sizeof file,
	    "test file written");
	close(fd);

	TEST_OK(fmt_evtx.sniff(&(struct slice){ (const char *)file, 100 },
	    1) == 100, "sniffed by its signature");
	TEST_OK(read_file(path, &g, &used, &rejected, &last) == 0,
	    "opens");
	TEST_OK(used == 3 && rejected == 0 && last == RECORD_END,
	    "two records and one recovered, none rejected");
	TEST_OK(g.n == 3, "three events");
	TEST_OK(strcmp(g.line[0], "1 auth evtx DC01.corp.example.co.jp "
	    "10.1.20.35 4624 adm-tanaka 3 success channel=Security") == 0,
	    "first record");
	TEST_OK(strcmp(g.line[1], "2 auth evtx DC01.corp.example.co.jp "
	    "203.0.113.66 4625 administrator 3 failure channel=Security") == 0,
	    "second record");
	TEST_OK(strcmp(g.line[2], "3 auth evtx DC01.corp.example.co.jp "
	    "1102 eve 3 channel=Security recovered=1") == 0,
	    "recovered record, marked");

	/*
	 * A broken token in the second record's XML: that record is
	 * rejected with libevtx's reason, the others still come.
	 */
	file[FILE_HEAD + broken_at] = 0x7f;
	if ((fd = open(path, O_WRONLY | O_TRUNC)) >= 0) {
		TEST_OK(write(fd, file, sizeof file) == (ssize_t)sizeof file,
		    "broken copy written");
		close(fd);
	}
	TEST_OK(read_file(path, &g, &used, &rejected, &last) == 0,
	    "broken copy opens");
	TEST_OK(used == 2 && rejected == 1 && g.n == 2 &&
	    strncmp(g.line[0], "1 ", 2) == 0 &&
	    strncmp(g.line[1], "3 ", 2) == 0, "broken record: the rest read");
	TEST_OK(strstr(g.reason[0], "evtx: unreadable record: ") == g.reason[0],
	    "broken record: rejected with libevtx's reason");
	TEST_OK(last == RECORD_FAIL && strstr(g.reason[1], "damaged") != NULL,
	    "broken record: the file's damage reported at the end");

	/* Cut inside the chunk: no record, and the damage is reported. */
	if ((fd = open(path, O_WRONLY | O_TRUNC)) >= 0) {
		TEST_OK(write(fd, file, FILE_HEAD + 600) == FILE_HEAD + 600,
		    "cut copy written");
		close(fd);
	}
	TEST_OK(read_file(path, &g, &used, &rejected, &last) == 0 &&
	    used == 0 && last == RECORD_FAIL, "cut short: reported");
	unlink(path);
	return test_done();
}
