/*
 * htmlesc.h: escaping of attacker-controlled bytes for an HTML page, in
 * element content and in double- or single-quoted attribute values alike
 * (inline SVG included), so that a User-Agent, a mail subject or a URL
 * from a log renders as text and can never open a tag, close a <style> or
 * <script> element, or leave an attribute.
 */
#ifndef CSM_HTMLESC_H
#define CSM_HTMLESC_H

#include <stddef.h>
#include "outbuf.h"
#include "slice.h"

/* Worst-case growth: '"' becomes "&quot;". */
#define HTMLESC_MAX_GROWTH 6

/*
 * Escapes src into dst, which must have room for HTMLESC_MAX_GROWTH *
 * src.n bytes: & < > " ' become &amp; &lt; &gt; &quot; &#39;; every
 * control byte (C0, DEL, and the C1 range U+0080-U+009F) and every byte
 * that is not part of valid UTF-8 becomes the visible text \xHH, so the
 * page is valid UTF-8 whatever the input; an invisible character that
 * would reorder or hide text (esc_is_invisible) becomes \uXXXX. Returns
 * the bytes written.
 */
size_t htmlesc(char *dst, struct slice src);

/* Appends src escaped as by htmlesc, in pieces if it is very long. */
void htmlesc_put(struct outbuf *ob, struct slice src);

/* Appends the C string s escaped as by htmlesc. */
void htmlesc_puts(struct outbuf *ob, const char *s);

#endif
