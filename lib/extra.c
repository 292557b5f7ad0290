/*
 * extra.c: the extra column's keys (extra.h).
 */
#include <string.h>
#include "extra.h"

struct slice
extra_get(struct slice extra, const char *key)
{
	size_t klen = strlen(key);
	struct slice rest = extra, pair;
	long semi;

	while (rest.n > 0) {
		semi = slice_find(rest, ';');
		pair = semi < 0 ? rest : slice_make(rest.p, (size_t)semi);
		rest = semi < 0 ? slice_make(rest.p + rest.n, 0) :
		    slice_from(rest, (size_t)semi + 1);
		if (pair.n > klen && pair.p[klen] == '=' &&
		    memcmp(pair.p, key, klen) == 0)
			return slice_from(pair, klen + 1);
	}
	return slice_make(extra.p, 0);
}

int
extra_is_ambiguous(struct slice extra)
{
	return slice_eq(extra_get(extra, "ambiguous"), "1");
}
