/*
 * esc.h: escaping of attacker-controlled bytes so that no log content can
 * split a TSV record, reach a terminal raw, or break out of an HTML page.
 */
#ifndef CSM_ESC_H
#define CSM_ESC_H

#include <stddef.h>
#include <stdint.h>
#include "slice.h"

/* Worst-case growth: one input byte becomes "\xHH". */
#define ESC_MAX_GROWTH 4

enum esc_flags {
	ESC_TSV = 0,		/* the stream contract of csm-events(5) */
	ESC_EXTRA = 1,		/* also ';' as \x3b, for values inside extra */
	ESC_MEND = 2		/* text escaped already: a backslash stays */
};

/*
 * Escapes src into dst, which must have room for ESC_MAX_GROWTH * src.n
 * bytes: TAB, LF, CR and backslash become \t \n \r \\, every other control
 * byte (C0, DEL, and the C1 range U+0080-U+009F), every byte that is not
 * part of valid UTF-8, and the bytes of an invisible character
 * (esc_is_invisible) become \xHH. Returns the bytes written.
 */
size_t esc_tsv(char *dst, struct slice src, int flags);

/*
 * With ESC_MEND, esc_tsv takes a field of a stream (escaped already, but
 * perhaps written by hand or by another tool): what the contract allows
 * is copied as it is, backslashes and their escapes included, and only
 * the raw bytes it forbids become \t, \n, \r or \xHH. A program that
 * passes a stream's fields on uses it, so that no raw control byte of a
 * hand-made stream reaches its output.
 */

/*
 * esc_tsv for an item of a ','-separated list (csm-events(5)): a ',' in
 * it is written \x2c too. The same room in dst; returns the bytes written.
 */
size_t esc_list_item(char *dst, struct slice src, int flags);

/*
 * Reverses esc_tsv: writes the raw bytes of an escaped field to dst (room
 * for src.n bytes). Unknown escapes are kept as written. Returns the length.
 */
size_t esc_unescape(char *dst, struct slice src);

/* Whether src can be written as it is (the common, fast case). */
int esc_is_clean(struct slice src);

/*
 * Length of the valid UTF-8 sequence at s (left > 0 bytes), with its code
 * point in *cp; 0 for a byte that starts none, and for a C1 control
 * (U+0080-U+009F), an overlong form, a surrogate or a code point past
 * U+10FFFF, all of which the escapers show as bytes.
 */
size_t esc_utf8_char(const char *s, size_t left, uint32_t *cp);

/*
 * Whether code point cp is one a reader cannot see but a display obeys:
 * bidirectional controls (U+202E makes "gpj.exe" read "exe.jpg"),
 * zero-width characters, line and paragraph separators, tag characters.
 * esc_tsv escapes their bytes; a display shows them (esc_show).
 */
int esc_is_invisible(uint32_t cp);

/* The length of esc_show's text for cp: 6 or 7. */
#define ESC_SHOW_MAX 7

/*
 * Writes cp as the visible text \uXXXX (\uXXXXX past U+FFFF) to dst
 * (ESC_SHOW_MAX bytes of room); returns its length.
 */
size_t esc_show(char *dst, uint32_t cp);

#endif
