/*
 * hash.c: table seeds (hash.h). Not secret, only unpredictable enough
 * that a log written in advance cannot aim at one table's slots: the
 * time, the process and a count of the seeds handed out, mixed.
 */
#include <time.h>
#include <unistd.h>
#include "hash.h"

uint64_t
hash_seed(void)
{
	static uint64_t calls;
	uint64_t x = ((uint64_t)time(NULL) << 20 ^ (uint64_t)getpid()) +
	    ++calls * 0x9e3779b97f4a7c15ULL;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x | 1;
}
