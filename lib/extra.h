/*
 * extra.h: reading the extra column of a csm event (csm-events(5)):
 * "key=value" pairs separated by ';', keys written by csm-parse, values
 * escaped (a ';' inside one is \x3b). A key is matched whole, never found
 * as text inside another key's value: the values are a log's.
 */
#ifndef CSM_EXTRA_H
#define CSM_EXTRA_H

#include "slice.h"

/* The escaped value of key in extra, or an empty slice. */
struct slice extra_get(struct slice extra, const char *key);

/*
 * Whether extra says ambiguous=1: csm-parse read the record neither of
 * two ways and left the fields in dispute empty.
 */
int extra_is_ambiguous(struct slice extra);

#endif
