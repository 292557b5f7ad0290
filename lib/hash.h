/*
 * hash.h: the byte-string hash of the in-memory tables (agg, burst). Keys
 * come from logs, so each table seeds it (per process or per table): logs
 * cannot be shaped to pile their keys into one slot.
 */
#ifndef CSM_HASH_H
#define CSM_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Eight bytes a step, each mixed by a multiply and a shift, then a final
 * mix so the low bits (the slot) depend on every byte. The tail is read
 * with whole loads, overlapping bytes already mixed: copying it into a
 * zeroed word byte by byte stalled the final multiply on the store.
 */
static inline uint64_t
hash_bytes(const char *p, size_t len, uint64_t seed)
{
	uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ULL), w;
	size_t n = len;
	uint32_t a, b;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 29;
	}
	if (len >= 8)
		memcpy(&w, p + n - 8, 8);
	else if (n >= 4) {
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		w = (uint64_t)a << 32 | b;
	} else if (n > 0)
		w = (uint64_t)(unsigned char)p[0] << 16 |
		    (uint64_t)(unsigned char)p[n / 2] << 8 |
		    (unsigned char)p[n - 1];
	else
		w = 0;
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 32;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

/* Mixes the bits of x into every bit (murmur3's finaliser). */
static inline uint64_t
hash_mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* A seed for a table: differs per process and per call. */
uint64_t hash_seed(void);

#endif
