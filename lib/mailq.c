/*
 * mailq.c: the table of messages in flight of mail server logs (see
 * mailq.h). Messages are slots of one array that grows by doubling up to
 * MAILQ_MAX, found through hash chains on host and queue ID, and kept on
 * two lists in order of their last line: those not yet queued, which
 * leave when idle, and those queued, which leave when the log says so.
 * All of a message's text is copied into its slot: log lines do not
 * outlive the call that reads them. The address scanners shared by the
 * mail formats live here too: an envelope address is the sender's text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "esc.h"
#include "ipaddr.h"
#include "mailq.h"

static const char *const status_words[] = {
	"", "sent", "deferred", "bounced", "expired", "reject",
	"deliverable", "undeliverable", "other"
};

struct slice
mailq_text(const struct mailq_msg *m, enum mailq_text t)
{
	return slice_make(m->text + m->off[t], m->len[t]);
}

/* Copies s into m's text; lost is set when it does not fit. */
static int
keep(struct mailq_msg *m, struct slice s, uint16_t *off, uint16_t *len)
{
	if (s.n > MAILQ_TEXT - m->used) {
		m->lost = 1;
		return -1;
	}
	if (s.n)
		memcpy(m->text + m->used, s.p, s.n);
	*off = (uint16_t)m->used;
	*len = (uint16_t)s.n;
	m->used += s.n;
	return 0;
}

void
mailq_set_text(struct mailq_msg *m, enum mailq_text t, struct slice s)
{
	/* The same value again (a deferred message's retries) costs nothing. */
	if (s.n && !(m->len[t] == s.n &&
	    memcmp(m->text + m->off[t], s.p, s.n) == 0))
		keep(m, s, &m->off[t], &m->len[t]);
}

void
mailq_set_ambiguous(struct mailq_msg *m, struct slice unparsed)
{
	if (!m->ambiguous)
		mailq_set_text(m, MQ_UNPARSED, unparsed);
	m->ambiguous = 1;
}

struct mailq_item *
mailq_add_item(struct mailq_msg *m, enum mailq_kind k, struct slice s)
{
	struct mailq_item *it;
	int i;

	if (s.n == 0)
		return NULL;
	for (i = 0; i < m->nitem; i++) {
		it = &m->item[i];
		if (it->kind == k && it->len == s.n &&
		    memcmp(m->text + it->off, s.p, s.n) == 0)
			return it;
	}
	if (m->nitem == MAILQ_ITEMS || keep(m, s, &m->item[m->nitem].off,
	    &m->item[m->nitem].len) != 0) {
		m->lost = 1;
		m->attach_lost |= k == MQ_ATTACH;
		return NULL;
	}
	it = &m->item[m->nitem];
	it->kind = (uint8_t)k;
	it->status = MQ_ST_NONE;
	m->nitem++;
	return it;
}

void
mailq_set_from(struct mailq_msg *m, struct slice from, int prio)
{
	if (from.p == NULL || prio < m->from_prio)
		return;
	if (from.n == 0)
		from = SLICE_LIT("<>");	/* the null sender of bounces */
	m->from_prio = prio;
	mailq_set_text(m, MQ_FROM, from);
}

void
mailq_unset_from(struct mailq_msg *m, int prio)
{
	if (prio < m->from_prio)
		return;
	m->from_prio = prio;
	m->len[MQ_FROM] = 0;
}

void
mailq_set_client(struct mailq_msg *m, struct slice name, struct slice addr,
    struct slice port)
{
	struct ipaddr ip;
	char text[IPADDR_TEXT_MAX];

	if (ip_parse(addr, &ip) != 0)
		return;
	if (!ip_is_v4(&ip))
		addr = slice_make(text, ip_format(text, &ip));
	mailq_set_text(m, MQ_IP, addr);
	mailq_set_text(m, MQ_PORT, port);
	if (!slice_eq(name, "unknown"))
		mailq_set_text(m, MQ_CLIENT, name);
}

enum mailq_status
mailq_status_of(struct slice w)
{
	int i;

	for (i = MQ_ST_SENT; i < MQ_ST_OTHER; i++)
		if (slice_eq_nocase(w, status_words[i]))
			return (enum mailq_status)i;
	return MQ_ST_OTHER;
}

long
mailq_quoted_end(struct slice s, size_t i)
{
	for (i++; i < s.n; i++) {
		if (s.p[i] == '\\')
			i++;	/* an escaped quote or backslash is text */
		else if (s.p[i] == '"')
			return (long)i + 1;
	}
	return -1;
}

long
mailq_addr_end(struct slice s, size_t i)
{
	long q;

	/*
	 * The sender writes the address: a '>' or ", key=" inside its
	 * quoted local part is text, never the end of the field.
	 */
	for (i++; i < s.n; i++) {
		if (s.p[i] == '>')
			return (long)i;
		if (s.p[i] == '"') {
			if ((q = mailq_quoted_end(s, i)) < 0)
				return -1;
			i = (size_t)q - 1;
		}
	}
	return -1;
}

static uint32_t
key_hash(struct slice dev, struct slice qid)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < dev.n; i++)
		h = (h ^ (unsigned char)dev.p[i]) * 16777619u;
	h = (h ^ 0x2f) * 16777619u;
	for (i = 0; i < qid.n; i++)
		h = (h ^ (unsigned char)qid.p[i]) * 16777619u;
	return h;
}

static void
list_unlink(struct mailq *q, int i)
{
	struct mailq_msg *m = &q->m[i];
	int l = m->queued;

	if (m->prev >= 0)
		q->m[m->prev].next = m->next;
	else
		q->head[l] = m->next;
	if (m->next >= 0)
		q->m[m->next].prev = m->prev;
	else
		q->tail[l] = m->prev;
}

static void
list_append(struct mailq *q, int i)
{
	struct mailq_msg *m = &q->m[i];
	int l = m->queued;

	m->prev = q->tail[l];
	m->next = -1;
	if (q->tail[l] >= 0)
		q->m[q->tail[l]].next = i;
	else
		q->head[l] = i;
	q->tail[l] = i;
}

/*
 * The items of kind k, escaped with flags as list items (a quoted local
 * part may hold a ',': '"a,b"@x' is one recipient), or with status their
 * status words, joined with ',', in ev's scratch space. Empty when there
 * are none (or no status).
 */
static struct slice
join(struct event *ev, const struct mailq_msg *m, enum mailq_kind k,
    int status, int flags)
{
	char buf[MAILQ_TEXT * ESC_MAX_GROWTH + MAILQ_ITEMS * 16];
	size_t n = 0;
	int i, any = 0;

	for (i = 0; i < m->nitem; i++) {
		const struct mailq_item *it = &m->item[i];

		if (it->kind != k)
			continue;
		any |= it->status != MQ_ST_NONE;
		if (n)
			buf[n++] = ',';
		if (status) {
			const char *w = status_words[it->status];

			memcpy(buf + n, w, strlen(w));
			n += strlen(w);
		} else {
			n += esc_list_item(buf + n, slice_make(m->text +
			    it->off, it->len), flags);
		}
	}
	if (n == 0 || (status && !any))
		return SLICE_NONE;
	return event_keep(ev, buf, n);
}

static void
extra_text(struct event *ev, const struct mailq_msg *m, const char *key,
    enum mailq_text t)
{
	if (m->len[t])
		event_add_extra(ev, key, mailq_text(m, t));
}

void
mailq_emit(struct mailq *q, struct parse_ctx *ctx, struct mailq_msg *m,
    int unfinished)
{
	struct event *ev = &q->out;
	struct slice s;
	int i = (int)(m - q->m), *pp, k;

	event_clear(ev);
	ev->origin_file = m->origin_file;
	ev->origin_line = m->line;
	ev->ts_ms = m->ts_ms;
	ev->has_ts = m->has_ts;
	event_set_checked(ev, EV_LOG, SLICE_LIT("mail"));
	event_set_checked(ev, EV_FORMAT, slice_cstr(q->format));
	ev->f[EV_DEVICE] = mailq_text(m, MQ_DEVICE);
	/* Set only through mailq_set_client: an address and digits. */
	event_set_checked(ev, EV_SRC_IP, mailq_text(m, MQ_IP));
	event_set_checked(ev, EV_SRC_PORT, mailq_text(m, MQ_PORT));
	ev->f[EV_USER] = mailq_text(m, MQ_USER);
	ev->f[EV_MAIL_FROM] = mailq_text(m, MQ_FROM);
	ev->f[EV_HDR_FROM] = mailq_text(m, MQ_HDR_FROM);
	ev->f[EV_HDR_FROM_NAME] = mailq_text(m, MQ_NAME);
	event_set_checked(ev, EV_RCPT, join(ev, m, MQ_RCPT, 0, ESC_TSV));
	ev->f[EV_SUBJECT] = mailq_text(m, MQ_SUBJECT);
	event_set_checked(ev, EV_ATTACH, join(ev, m, MQ_ATTACH, 0, ESC_TSV));
	ev->f[EV_MSG_ID] = mailq_text(m, MQ_MSGID);
	if (!m->queued && !m->deny) {
		/* Never queued, every recipient refused: the mail was. */
		int nr = 0, nrej = 0;

		for (k = 0; k < m->nitem; k++) {
			nr += m->item[k].kind == MQ_RCPT;
			nrej += m->item[k].kind == MQ_RCPT &&
			    m->item[k].status == MQ_ST_REJECT;
		}
		m->deny = nr > 0 && nrej == nr;
	}
	if (m->deny)
		event_set_checked(ev, EV_ACTION, SLICE_LIT("deny"));
	else if (m->queued)
		event_set_checked(ev, EV_ACTION, SLICE_LIT("allow"));
	extra_text(ev, m, "qid", MQ_QID);
	extra_text(ev, m, "client", MQ_CLIENT);
	extra_text(ev, m, "helo", MQ_HELO);
	extra_text(ev, m, "proto", MQ_PROTO);
	extra_text(ev, m, "sasl_method", MQ_METHOD);
	extra_text(ev, m, "uid", MQ_UID);
	extra_text(ev, m, "size", MQ_SIZE);
	extra_text(ev, m, "nrcpt", MQ_NRCPT);
	if ((s = join(ev, m, MQ_RCPT, 1, 0)).n)
		event_add_extra_checked(ev, "status", s);
	if ((s = join(ev, m, MQ_RELAY, 0, ESC_EXTRA)).n)
		event_add_extra_checked(ev, "relay", s);
	extra_text(ev, m, "reply_to", MQ_REPLY_TO);
	extra_text(ev, m, "reject", MQ_REJECT);
	extra_text(ev, m, "ndr", MQ_NDR);
	if (m->ambiguous)
		event_add_extra_checked(ev, "ambiguous", SLICE_LIT("1"));
	extra_text(ev, m, "unparsed", MQ_UNPARSED);
	if (m->expired)
		event_add_extra_checked(ev, "expired", SLICE_LIT("1"));
	if (m->lost)
		event_add_extra_checked(ev, "truncated", SLICE_LIT("1"));
	if (m->attach_lost)
		event_add_extra_checked(ev, "attach_cut", SLICE_LIT("1"));
	if (unfinished && !m->deny)
		event_add_extra_checked(ev, "unfinished", SLICE_LIT("1"));
	ctx->emit(ctx, ev);

	for (pp = &q->heads[m->hash & (MAILQ_HASH - 1)]; *pp != i;
	    pp = &q->m[*pp].hnext)
		;
	*pp = m->hnext;
	list_unlink(q, i);
	m->live = 0;
	m->hnext = q->free_list;
	q->free_list = i;
	q->count--;
}

void
mailq_expire(struct mailq *q, struct parse_ctx *ctx, int64_t now)
{
	while (q->head[0] >= 0) {
		struct mailq_msg *m = &q->m[q->head[0]];
		int64_t age = now - m->last_ms;

		/* Log time may also jump back (files out of order). */
		if (m->has_last && age <= MAILQ_IDLE_MS &&
		    age >= -MAILQ_IDLE_MS)
			break;
		mailq_emit(q, ctx, m, 1);
	}
}

void
mailq_finish(struct mailq *q, struct parse_ctx *ctx)
{
	int l;

	for (l = 0; l < 2; l++)
		while (q->head[l] >= 0)
			mailq_emit(q, ctx, &q->m[q->head[l]], 1);
}

/* The message of this host and queue ID, or -1. */
static int
find_msg(struct mailq *q, struct slice dev, struct slice qid, uint32_t h)
{
	int i;

	for (i = q->heads[h & (MAILQ_HASH - 1)]; i >= 0; i = q->m[i].hnext) {
		const struct mailq_msg *m = &q->m[i];

		if (m->hash == h && m->len[MQ_QID] == qid.n &&
		    m->len[MQ_DEVICE] == dev.n &&
		    memcmp(m->text + m->off[MQ_QID], qid.p, qid.n) == 0 &&
		    (dev.n == 0 || memcmp(m->text + m->off[MQ_DEVICE], dev.p,
		    dev.n) == 0))
			return i;
	}
	return -1;
}

/* A free slot, growing the array; -1 when memory runs out. */
static int
new_slot(struct mailq *q, struct parse_ctx *ctx)
{
	int i;

	if (q->count >= MAILQ_MAX)	/* full: the longest idle goes */
		mailq_emit(q, ctx, &q->m[q->head[q->head[0] >= 0 ? 0 : 1]], 1);
	if (q->free_list < 0) {
		int ncap = q->cap ? q->cap * 2 : 16;
		struct mailq_msg *nm;

		if (ncap > MAILQ_MAX)
			ncap = MAILQ_MAX;
		if (ncap <= q->cap ||
		    (nm = realloc(q->m, (size_t)ncap * sizeof *nm)) == NULL)
			return -1;
		q->m = nm;
		for (i = ncap - 1; i >= q->cap; i--) {
			q->m[i].live = 0;
			q->m[i].hnext = q->free_list;
			q->free_list = i;
		}
		q->cap = ncap;
	}
	i = q->free_list;
	q->free_list = q->m[i].hnext;
	return i;
}

struct mailq_msg *
mailq_find(struct mailq *q, struct slice dev, struct slice qid)
{
	int i = find_msg(q, dev, qid, key_hash(dev, qid));

	return i < 0 ? NULL : &q->m[i];
}

struct mailq_msg *
mailq_get(struct mailq *q, struct parse_ctx *ctx, struct slice dev,
    struct slice qid, int start)
{
	uint32_t h = key_hash(dev, qid);
	struct mailq_msg *m;
	int i = find_msg(q, dev, qid, h);

	if (i >= 0 && start && q->m[i].started) {
		mailq_emit(q, ctx, &q->m[i], 1);	/* queue ID reused */
		i = -1;
	}
	if (i >= 0) {
		list_unlink(q, i);
	} else {
		if ((i = new_slot(q, ctx)) < 0)
			return NULL;
		m = &q->m[i];
		memset(m, 0, offsetof(struct mailq_msg, text));
		m->live = 1;
		m->hash = h;
		m->hnext = q->heads[h & (MAILQ_HASH - 1)];
		q->heads[h & (MAILQ_HASH - 1)] = i;
		q->count++;
		m->ts_ms = ctx->ev->ts_ms;
		m->has_ts = ctx->ev->has_ts;
		m->origin_file = ctx->ev->origin_file;
		m->line = ctx->ev->origin_line;
		mailq_set_text(m, MQ_QID, qid);
		mailq_set_text(m, MQ_DEVICE, dev);
	}
	m = &q->m[i];
	m->started |= start;
	if (ctx->ev->has_ts) {
		m->last_ms = ctx->ev->ts_ms;
		m->has_last = 1;
	}
	list_append(q, i);
	return m;
}

void
mailq_set_queued(struct mailq *q, struct mailq_msg *m)
{
	int i = (int)(m - q->m);

	if (m->queued)
		return;
	list_unlink(q, i);
	m->queued = 1;
	list_append(q, i);
}

struct mailq *
mailq_new(const char *format)
{
	struct mailq *q = malloc(sizeof *q);

	if (q == NULL)
		return NULL;
	memset(q, 0, offsetof(struct mailq, heads));
	q->format = format;
	q->free_list = q->head[0] = q->head[1] = q->tail[0] = q->tail[1] = -1;
	memset(q->heads, 0xff, sizeof q->heads);	/* all -1 */
	return q;
}

void
mailq_free(struct mailq *q)
{
	if (q == NULL)
		return;
	free(q->m);
	free(q);
}

void *
mailq_input_open(struct parse_ctx *ctx, const char *format)
{
	struct mailq_input *st = malloc(sizeof *st);

	if (st == NULL || (st->q = mailq_new(format)) == NULL) {
		free(st);
		fmt_reject(ctx, "out of memory");
		return NULL;
	}
	envelope_year_init(&st->ey, ctx->opts->year, ctx->opts->now);
	return st;
}

void
mailq_input_close(void *state)
{
	struct mailq_input *st = state;

	if (st == NULL)
		return;
	mailq_free(st->q);
	free(st);
}

void
mailq_input_finish(void *state, struct parse_ctx *ctx)
{
	mailq_finish(((struct mailq_input *)state)->q, ctx);
}
