/*
 * charset.c: text in a MIME charset to UTF-8, through iconv, with the
 * labels mail programs really write mapped to what glibc reads best:
 * Shift_JIS as CP932, ISO-2022-JP first as itself and, when it holds the
 * NEC or IBM characters Windows adds (circled digits, ㈱), through
 * EUC-JP-MS after a shift of its JIS bytes.
 */
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "charset.h"

/*
 * Converters kept open per thread, by charset: iconv_open loads a gconv
 * module (an mmap) and iconv_close unloads it, which was half of
 * csm-parse's time on a mail log of encoded-words. The first few
 * charsets a thread meets are kept (a client may name hundreds), each
 * reset to its initial state before use; a thread's are closed when it
 * ends.
 */
#define CD_KEEP 8
struct cd_kept {
	struct {
		char name[CHARSET_NAME_MAX + 1];
		iconv_t cd;
	} e[CD_KEEP];
	size_t n;
};

static pthread_key_t cd_key;
static pthread_once_t cd_once = PTHREAD_ONCE_INIT;
static int cd_key_ok;

static void
cd_kept_free(void *p)
{
	struct cd_kept *k = p;
	size_t i;

	for (i = 0; i < k->n; i++)
		iconv_close(k->e[i].cd);
	free(k);
}

static void
cd_key_init(void)
{
	cd_key_ok = pthread_key_create(&cd_key, cd_kept_free) == 0;
}

/* This thread's kept converters, or NULL when they cannot be kept. */
static struct cd_kept *
cd_kept(void)
{
	struct cd_kept *k;

	if (pthread_once(&cd_once, cd_key_init) != 0 || !cd_key_ok)
		return NULL;
	if ((k = pthread_getspecific(cd_key)) == NULL &&
	    (k = calloc(1, sizeof *k)) != NULL &&
	    pthread_setspecific(cd_key, k) != 0) {
		free(k);
		k = NULL;
	}
	return k;
}

/*
 * A converter from charset from to UTF-8 in its initial state, or
 * (iconv_t)-1; *kept says whether it stays open (else the caller closes
 * it).
 */
static iconv_t
cd_open(const char *from, int *kept)
{
	struct cd_kept *k = cd_kept();
	size_t i, len = strlen(from);
	iconv_t cd;

	*kept = 0;
	if (k == NULL || len > CHARSET_NAME_MAX)
		return iconv_open("UTF-8", from);
	for (i = 0; i < k->n; i++)
		if (strcmp(k->e[i].name, from) == 0) {
			iconv(k->e[i].cd, NULL, NULL, NULL, NULL);
			*kept = 1;
			return k->e[i].cd;
		}
	if ((cd = iconv_open("UTF-8", from)) == (iconv_t)-1 || k->n == CD_KEEP)
		return cd;
	memcpy(k->e[k->n].name, from, len + 1);
	k->e[k->n++].cd = cd;
	*kept = 1;
	return cd;
}

size_t
charset_trim_utf8(const char *p, size_t n)
{
	size_t i, need;
	unsigned char c;

	for (i = n; i > 0 && n - i < 4; i--) {
		c = (unsigned char)p[i - 1];
		if ((c & 0xc0) == 0x80)
			continue;
		need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		return n - (i - 1) < need ? i - 1 : n;
	}
	return n;
}

/*
 * One iconv conversion to UTF-8. Returns the length, or -1; output that
 * does not fit is cut after the last whole character, and *cut set.
 */
static long
conv(char *dst, size_t cap, const char *from, const char *in, size_t n,
    int *cut)
{
	char *ip = (char *)in, *op = dst;	/* iconv does not write input */
	size_t il = n, ol = cap;
	long r = -1;
	int kept;
	iconv_t cd = cd_open(from, &kept);

	if (cd == (iconv_t)-1)
		return -1;
	if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 &&
	    iconv(cd, NULL, NULL, &op, &ol) != (size_t)-1)
		r = (long)(cap - ol);
	else if (errno == E2BIG)
		r = (long)(cap - ol), *cut = 1;
	if (!kept)
		iconv_close(cd);
	return r;
}

/*
 * ISO-2022-JP (and CP50220-50222) shifted to EUC-JP, whose -MS flavour
 * iconv reads with the Windows extensions: JIS X 0208 bytes get the high
 * bit, half-width katakana SS2, JIS X 0212 SS3. Returns the length, or -1
 * for an escape it does not know, an 8-bit byte, or an output over cap
 * bytes (a kana byte takes two: 2n + 2 is always enough).
 */
static long
jis_to_euc(char *dst, size_t cap, const unsigned char *s, size_t n)
{
	enum { ASCII, KANJI, KANA, X0212 } mode = ASCII;
	size_t i = 0, o = 0;

	while (i < n) {
		unsigned char c = s[i];

		if (c == 0x1b) {
			if (i + 2 < n && s[i + 1] == '$' &&
			    (s[i + 2] == 'B' || s[i + 2] == '@')) {
				mode = KANJI;
				i += 3;
			} else if (i + 3 < n && s[i + 1] == '$' &&
			    s[i + 2] == '(' && s[i + 3] == 'D') {
				mode = X0212;
				i += 4;
			} else if (i + 2 < n && s[i + 1] == '(' &&
			    (s[i + 2] == 'B' || s[i + 2] == 'J')) {
				mode = ASCII;
				i += 3;
			} else if (i + 2 < n && s[i + 1] == '(' &&
			    s[i + 2] == 'I') {
				mode = KANA;
				i += 3;
			} else {
				return -1;
			}
			continue;
		}
		if (c == 0x0e || c == 0x0f) {	/* SO/SI: CP50222 kana */
			mode = c == 0x0e ? KANA : ASCII;
			i++;
			continue;
		}
		if (c >= 0x80 || cap - o < 3)
			return -1;
		if (mode == ASCII || c < 0x21 || c > 0x7e) {
			dst[o++] = (char)c;
			i++;
		} else if (mode == KANA) {
			dst[o++] = (char)0x8e;
			dst[o++] = (char)(c | 0x80);
			i++;
		} else {
			if (i + 1 >= n || s[i + 1] < 0x21 || s[i + 1] > 0x7e)
				return -1;
			if (mode == X0212)
				dst[o++] = (char)0x8f;
			dst[o++] = (char)(c | 0x80);
			dst[o++] = (char)(s[i + 1] | 0x80);
			i += 2;
		}
	}
	return (long)o;
}

/* Whether cs is one of the NULL-terminated labels. */
static int
cs_in(struct slice cs, const char *const *labels)
{
	for (; *labels; labels++)
		if (slice_eq_nocase(cs, *labels))
			return 1;
	return 0;
}

static const char *const cs_utf8[] = {
	"utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968", NULL
};
static const char *const cs_jis[] = {
	"iso-2022-jp", "csiso2022jp", "iso2022jp", "cp50220", "cp50221",
	"cp50222", "iso-2022-jp-ms", NULL
};
static const char *const cs_sjis[] = {
	"shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis",
	"windows-31j", "cp932", "ms932", "x-ms-cp932", NULL
};
static const char *const cs_euc[] = {
	"euc-jp", "x-euc-jp", "eucjp", "cseucpkdfmtjapanese", NULL
};
static const char *const cs_kr[] = {
	"ks_c_5601-1987", "ks_c_5601", "euc-kr", "cseuckr", NULL
};
static const char *const cs_cn[] = {
	"gb2312", "gbk", "x-gbk", "cp936", "csgb2312", NULL
};
static const char *const cs_latin1[] = {
	"iso-8859-1", "latin1", "iso_8859-1", "l1", NULL
};

long
charset_to_utf8(char *dst, size_t cap, struct slice cs, struct slice bytes,
    int *cut)
{
	char name[CHARSET_NAME_MAX + 1], tmp[CHARSET_JIS_MAX * 2 + 2];
	const char *alt = NULL;
	long r;
	size_t i;

	if (cs_in(cs, cs_utf8)) {
		if (bytes.n > cap) {
			*cut = 1;
			bytes.n = charset_trim_utf8(bytes.p, cap);
		}
		if (bytes.n)
			memcpy(dst, bytes.p, bytes.n);
		return (long)bytes.n;
	}
	if (cs.n == 0 || cs.n > CHARSET_NAME_MAX)
		return -1;
	for (i = 0; i < cs.n; i++) {
		char c = cs.p[i];

		/* A name iconv may take: no '/' (a "//IGNORE" suffix), no NUL. */
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == ':' || c == '+'))
			return -1;
		name[i] = c;
	}
	name[cs.n] = '\0';
	if (cs_in(cs, cs_jis)) {
		if ((r = conv(dst, cap, "ISO-2022-JP", bytes.p, bytes.n,
		    cut)) >= 0)
			return r;
		if (bytes.n > CHARSET_JIS_MAX ||
		    (r = jis_to_euc(tmp, sizeof tmp, (const unsigned char *)
		    bytes.p, bytes.n)) < 0)
			return -1;
		return conv(dst, cap, "EUC-JP-MS", tmp, (size_t)r, cut);
	}
	if (cs_in(cs, cs_sjis))
		return conv(dst, cap, "CP932", bytes.p, bytes.n, cut);
	if (cs_in(cs, cs_euc)) {
		if ((r = conv(dst, cap, "EUC-JP", bytes.p, bytes.n, cut)) >= 0)
			return r;
		return conv(dst, cap, "EUC-JP-MS", bytes.p, bytes.n, cut);
	}
	if (cs_in(cs, cs_kr))
		return conv(dst, cap, "CP949", bytes.p, bytes.n, cut);
	if (cs_in(cs, cs_cn))
		return conv(dst, cap, "GB18030", bytes.p, bytes.n, cut);
	if (cs_in(cs, cs_latin1))
		alt = "CP1252";	/* what "Latin-1" mail really holds */
	if (alt && (r = conv(dst, cap, alt, bytes.p, bytes.n, cut)) >= 0)
		return r;
	return conv(dst, cap, name, bytes.p, bytes.n, cut);
}
