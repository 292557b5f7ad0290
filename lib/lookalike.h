/*
 * lookalike.h: comparing names the way a reader sees them, not the way a
 * computer stores them. Text is folded (NFKC, case folding, invisible
 * code points dropped), then reduced to a skeleton in which characters
 * that look alike are one (Cyrillic 'а' and Latin 'a', '0' and 'o', 'rn'
 * and 'm'); skeletons are compared exactly or by edit distance. Also
 * shows invisible and bidirectional control characters visibly, as
 * <U+202E>, so that an analyst sees what the sender hid.
 *
 * Code point arrays are uint32_t; every function takes its sizes and
 * writes at most cap elements. Input is hostile text: bytes that are not
 * UTF-8 count as U+FFFD, and nothing is allocated per character.
 */
#ifndef CSM_LOOKALIKE_H
#define CSM_LOOKALIKE_H

#include <stddef.h>
#include <stdint.h>
#include "slice.h"

/* Code points the comparisons look at; longer text is cut. */
#define LOOKALIKE_MAX 256

/*
 * Whether code point c is invisible: a default-ignorable code point
 * (zero-width space and joiners, soft hyphen, variation selectors, tag
 * characters, ...), a bidirectional control, another format character,
 * or a line or paragraph separator.
 */
int lookalike_invisible(uint32_t c);

/*
 * Whether c is a bidirectional control (U+061C, U+200E, U+200F,
 * U+202A-U+202E, U+2066-U+2069): U+202E, the right-to-left override,
 * makes "exe.pdf" out of "fdp.exe".
 */
int lookalike_bidi(uint32_t c);

/*
 * Folds UTF-8 text s for comparison: NFKC (full-width and mathematical
 * letters become plain ones), full case folding, then every invisible
 * code point dropped. Writes at most cap code points to out; returns
 * how many (the text is cut at cap, or at LOOKALIKE_MAX * 4 bytes of
 * input). Returns 0 when memory runs out.
 */
size_t lookalike_fold(struct slice s, uint32_t *out, size_t cap);

/* Flags of lookalike_skeleton. */
#define LOOKALIKE_ALNUM 1	/* keep letters and digits only */

/*
 * The skeleton of folded text in[0..n): decomposed, combining marks
 * dropped, each character that looks like an ASCII letter replaced by it
 * ('0' and Cyrillic 'о' by 'o'; '1', 'i', 'I', '|' and 'l' by 'l'; ...),
 * then "rn" read as 'm' and "vv" as 'w'. With LOOKALIKE_ALNUM, only
 * letters and digits are kept (white space and punctuation dropped).
 * Writes at most cap code points to out and returns how many; 0 when
 * memory runs out.
 */
size_t lookalike_skeleton(const uint32_t *in, size_t n, uint32_t *out,
    size_t cap, int flags);

/*
 * The edit distance between a and b (insertions, deletions,
 * substitutions and transpositions of neighbours: the optimal string
 * alignment distance), or max + 1 when it is larger than max or either
 * is longer than LOOKALIKE_MAX.
 */
size_t lookalike_distance(const uint32_t *a, size_t an, const uint32_t *b,
    size_t bn, size_t max);

/*
 * The smallest edit distance between needle and any substring of hay
 * (0: hay contains needle), or max + 1 when larger than max or either is
 * longer than LOOKALIKE_MAX.
 */
size_t lookalike_find(const uint32_t *needle, size_t nn, const uint32_t *hay,
    size_t hn, size_t max);

/*
 * Counts the hidden characters of a name: its invisible code points,
 * except a variation selector or zero-width joiner that follows a
 * character other than an ASCII letter or digit (an emoji sequence, as
 * in a friendly display name, is not hiding anything).
 */
size_t lookalike_hidden(struct slice s);

/* Whether UTF-8 text s holds a bidirectional control. */
int lookalike_has_bidi(struct slice s);

/*
 * Copies UTF-8 text s to out (cap bytes, NUL-terminated) with every
 * invisible code point and C0 control written as "<U+XXXX>", so that it
 * can be seen;
 * other bytes, valid or not, are copied (the TSV writer escapes what it
 * must). When out is too small the text is cut before a whole character
 * or marker and ends in "..."; cap must be at least 4. Returns the
 * length written.
 */
size_t lookalike_show(struct slice s, char *out, size_t cap);

/*
 * Copies UTF-8 text s to out (cap bytes, NUL-terminated, cut before a
 * character that does not fit) without its invisible code points and C0
 * controls (what lookalike_show marks): the text as a reader sees it,
 * with no NUL inside. Bytes that are not UTF-8 become U+FFFD. Returns
 * the length.
 */
size_t lookalike_strip(struct slice s, char *out, size_t cap);

/*
 * Writes code points cp[0..n) as UTF-8 to out (cap bytes,
 * NUL-terminated, cut before a character that does not fit); returns the
 * length.
 */
size_t lookalike_utf8(const uint32_t *cp, size_t n, char *out, size_t cap);

#endif
