/*
 * checkfeed.h: what the harnesses of the checks share (fuzz_mailcheck.c,
 * fuzz_proxycheck.c, ...). A check reads an events stream that csm-parse,
 * awk or a hand may have written, so its fields are hostile; these
 * helpers put the fuzz bytes into such a stream and run it through the
 * path main.c takes (checkopt_read, evstream, evread), then check what the
 * check wrote. The stream starts with a header of the check's own columns
 * ("ts" first) and each line of the input becomes a row of it: cut or
 * padded with empty fields to the header's width, so that the fuzzer
 * spends its time on field contents rather than on rows of the wrong
 * width. A line whose first field is "ts" passes as it is and becomes the
 * header (a stream may change columns mid-way). Rejection reasons and the
 * output are checked against the stream contract: a reason is short,
 * escaped text; every output line ends with LF, holds no raw control
 * byte and, in a TSV output, has as many fields as its header. That holds
 * for an output that passes stream text on too (csm-offhours --events,
 * the User-Agents of csm-proxycheck --learn): a raw byte of a hand-made
 * stream is escaped there (ESC_MEND).
 * Static inline functions (no warning where a harness uses only some):
 * only the harnesses include this.
 */
#ifndef CSM_CHECKFEED_H
#define CSM_CHECKFEED_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "checkopt.h"
#include "config.h"
#include "diag.h"
#include "evread.h"
#include "evstream.h"
#include "outbuf.h"
#include "tsv.h"

/* One check as its harness hands it over; arg is what fn etc. get. */
struct checkfeed {
	const char *name;		/* the harness, for messages */
	const char *const *want;	/* the check's columns */
	int nwant, nrequired;
	evstream_fn fn;
	evstream_prep_fn prep;		/* NULL: none */
	int prep_partial;
	evstream_ahead_fn ahead;	/* NULL: none */
	void *arg;
};

/*
 * What every harness's LLVMFuzzerInitialize does first: messages named
 * as the program names them, one thread (fuzz_evread covers the reading
 * thread), and the reader's batches kept from one run to the next.
 */
static inline void
checkfeed_init(const char *prog)
{
	diag_init(prog);
	setenv("CSM_THREADS", "1", 1);
	evread_keep_batches();
}

static inline void
checkfeed_fail(const struct checkfeed *cf, const char *what)
{
	fprintf(stderr, "%s: %s\n", cf->name, what);
	abort();
}

/*
 * Makes a memory file holding n bytes at p and writes its path
 * (/proc/self/fd/N) into path (cap bytes). The file stays open for the
 * process: for the configuration and lists a harness sets up once.
 * Returns its descriptor; aborts when it cannot.
 */
static inline int
checkfeed_file(char *path, size_t cap, const void *p, size_t n)
{
	int fd = memfd_create("checkfeed", 0);

	if (fd < 0 || (n > 0 && write(fd, p, n) != (ssize_t)n))
		abort();
	snprintf(path, cap, "/proc/self/fd/%d", fd);
	return fd;
}

/*
 * The configuration of one run: the file at path (NULL: defaults alone,
 * as with no csm.conf), with the check's [section] keys declared (section
 * NULL: none). The harness's own file must load: aborts when it does not.
 */
static inline struct config *
checkfeed_config(const struct checkfeed *cf, const char *path,
    const char *section, const struct config_key *keys, size_t nkeys)
{
	char err[CONFIG_ERR_MAX];
	struct config *cfg = config_new();

	if (cfg == NULL)
		abort();
	if (section && config_declare(cfg, section, keys, nkeys) != 0)
		checkfeed_fail(cf, "cannot declare the check's section");
	if ((path && config_load(cfg, path, err, sizeof err) != 0) ||
	    config_finish(cfg, err, sizeof err) != 0) {
		fprintf(stderr, "%s: %s\n", cf->name, err);
		abort();
	}
	return cfg;
}

/* A reason must be short, escaped text: what diag_reject prints. */
static inline void
checkfeed_check_reason(const struct checkfeed *cf, const char *reason)
{
	const unsigned char *p = (const unsigned char *)reason;
	size_t i, n = strnlen(reason, sizeof ((struct evrow *)0)->reason);

	if (n == 0)
		checkfeed_fail(cf, "a row rejected without a reason");
	if (n == sizeof ((struct evrow *)0)->reason)
		checkfeed_fail(cf, "a reason without its NUL");
	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7f)
			checkfeed_fail(cf, "a raw control byte in a reason");
}

/* The wrappers between evstream and the check: they check its answers. */
static inline enum line_result
checkfeed_event(void *arg, struct evrow *row)
{
	const struct checkfeed *cf = arg;
	enum line_result r = cf->fn(cf->arg, row);

	if (r == LINE_REJECTED)
		checkfeed_check_reason(cf, row->reason);
	else if (r != LINE_USED && r != LINE_SKIPPED)
		checkfeed_fail(cf, "a row's result is none of used, skipped "
		    "and rejected");
	return r;
}

static inline void
checkfeed_prep(const void *arg, const struct evrow *row, uint64_t *aux)
{
	const struct checkfeed *cf = arg;

	cf->prep(cf->arg, row, aux);
}

static inline void
checkfeed_ahead(void *arg, const uint64_t *aux)
{
	const struct checkfeed *cf = arg;

	cf->ahead(cf->arg, aux);
}

/* Fields of line: TABs + 1. */
static inline int
checkfeed_width(const uint8_t *p, size_t n)
{
	size_t i;
	int w = 1;

	for (i = 0; i < n; i++)
		w += p[i] == '\t';
	return w;
}

/*
 * Writes the stream of data[0..size) into b (cap bytes, room for the
 * worst case): the header, then each line as a row of it (see the top of
 * the file). Returns the bytes written.
 */
static inline size_t
checkfeed_stream(const struct checkfeed *cf, char *b, size_t cap,
    const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	size_t n = 0;
	int i, width = cf->nwant + 1;

	n += (size_t)snprintf(b, cap, "ts");
	for (i = 0; i < cf->nwant; i++)
		n += (size_t)snprintf(b + n, cap - n, "\t%s", cf->want[i]);
	b[n++] = '\n';
	while (p < end) {
		const uint8_t *eol = memchr(p, '\n', (size_t)(end - p));
		size_t len = eol ? (size_t)(eol - p) : (size_t)(end - p);
		int w = checkfeed_width(p, len), k = 0;
		size_t j;

		if ((len == 2 || (len > 2 && p[2] == '\t')) &&
		    memcmp(p, "ts", 2) == 0) {
			width = w <= TSV_MAX_COLS ? w : TSV_MAX_COLS;
			memcpy(b + n, p, len);
			n += len;
		} else {
			/* Up to width fields, then pad with empty ones. */
			for (j = 0; j < len; j++) {
				if (p[j] == '\t' && ++k == width)
					break;
				b[n++] = (char)p[j];
			}
			for (k++; k < width; k++)
				b[n++] = '\t';
		}
		b[n++] = '\n';
		p += len + 1;
	}
	return n;
}

/*
 * Runs the stream made of data[0..size) through the check as main.c
 * does (checkopt_read: every rejection counted, none shown) and returns
 * its exit status.
 */
static inline int
checkfeed_run(struct checkfeed *cf, const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	struct checkopt co;
	struct evstream es;
	char *b, *files[1];
	size_t cap, n;
	int status;

	if (fd < 0)
		fd = checkfeed_file(path, sizeof path, "", 0);
	/* A header of at most EVSTREAM_MAX_COLS names; a TAB per field. */
	cap = 64 * EVSTREAM_MAX_COLS + size + (size + 1) * (TSV_MAX_COLS + 1);
	if ((b = malloc(cap)) == NULL)
		abort();
	n = checkfeed_stream(cf, b, cap, data, size);
	if (ftruncate(fd, 0) != 0 || pwrite(fd, b, n, 0) != (ssize_t)n)
		abort();
	free(b);
	memset(&co, 0, sizeof co);
	co.max_errors = 0;
	co.prep = cf->prep ? checkfeed_prep : NULL;
	co.prep_partial = cf->prep_partial;
	co.ahead = cf->ahead ? checkfeed_ahead : NULL;
	files[0] = path;
	status = checkopt_read(&co, &es, cf->want, cf->nwant, cf->nrequired,
	    checkfeed_event, cf, files, 1);
	if (es.total.lines != es.total.used + es.total.skipped +
	    es.total.rejected)
		checkfeed_fail(cf, "lines not all accounted for");
	return status;
}

/* Shows output line p[0..n) on stderr, control bytes as \xHH, and fails. */
static inline void
checkfeed_fail_line(const struct checkfeed *cf, const char *what,
    const unsigned char *p, size_t n)
{
	size_t i;

	fprintf(stderr, "%s: output line: ", cf->name);
	for (i = 0; i < n && i < 2000; i++)
		if (p[i] < 0x20 || p[i] == 0x7f)
			fprintf(stderr, "\\x%02x", p[i]);
		else
			fputc(p[i], stderr);
	fputc('\n', stderr);
	checkfeed_fail(cf, what);
}

/*
 * Checks what the check wrote into out (a memory outbuf): every line ends
 * with LF and holds no raw control byte but TAB; with tsv set, every line
 * has as many fields as the header above it (the first line, or a line
 * whose first field is "ts": csm-offhours --events passes headers on).
 */
static inline void
checkfeed_check_output(const struct checkfeed *cf, const struct outbuf *out,
    int tsv)
{
	const unsigned char *p = (const unsigned char *)out->buf;
	size_t i, start = 0;
	int tabs = 0, header = -1;

	if (out->err != 0)
		checkfeed_fail(cf, "the output ran out of memory");
	if (out->len > 0 && p[out->len - 1] != '\n')
		checkfeed_fail(cf, "the output does not end with LF");
	for (i = 0; i < out->len; i++) {
		if (p[i] == '\n') {
			if (header < 0 || (i - start >= 2 &&
			    memcmp(p + start, "ts", 2) == 0 &&
			    (i - start == 2 || p[start + 2] == '\t')))
				header = tabs;
			else if (tsv && tabs != header)
				checkfeed_fail_line(cf, "an output line has "
				    "the wrong number of fields", p + start,
				    i - start);
			tabs = 0;
			start = i + 1;
		} else if (p[i] == '\t') {
			tabs++;
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			const unsigned char *eol = memchr(p + i, '\n',
			    out->len - i);

			checkfeed_fail_line(cf, "a raw control byte in the "
			    "output", p + start, (size_t)(eol - p) - start);
		}
	}
}

/*
 * For a check with a shortcut that must never change what it writes (a
 * preparation, a memory): runs run(data, size, 1, out), with it, and
 * run(data, size, 0, out), without, and aborts with what when the two
 * outputs differ.
 */
static inline void
checkfeed_same_both_ways(const char *name,
    void (*run)(const uint8_t *, size_t, int, struct outbuf *),
    const uint8_t *data, size_t size, const char *what)
{
	static struct outbuf with, without;

	run(data, size, 1, &with);
	run(data, size, 0, &without);
	if (with.len != without.len ||
	    memcmp(with.buf, without.buf, with.len) != 0) {
		fprintf(stderr, "%s: %s\n", name, what);
		abort();
	}
	outbuf_release(&with);
	outbuf_release(&without);
}

#endif
