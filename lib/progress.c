/*
 * progress.c: a carriage-return progress line. It is drawn at most every
 * 0.5 s, so the cost per call is one clock read.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include "diag.h"
#include "progress.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
progress_init(struct progress *pg, enum progress_mode mode, uint64_t total)
{
	pg->on = mode == PROGRESS_ON ||
	    (mode == PROGRESS_AUTO && isatty(STDERR_FILENO));
	pg->shown = 0;
	pg->total = total;
	pg->start = pg->last = now();
}

static void
human(char *dst, size_t cap, double bytes)
{
	const char *unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (bytes >= 1024 && u < 4) {
		bytes /= 1024;
		u++;
	}
	snprintf(dst, cap, "%.1f %s", bytes, unit[u]);
}

void
progress_update(struct progress *pg, uint64_t done)
{
	double t, rate;
	char a[32], b[32], r[32];

	if (!pg->on)
		return;
	t = now();
	if (t - pg->last < 0.5)
		return;
	pg->last = t;
	rate = (double)done / (t - pg->start);
	human(a, sizeof a, (double)done);
	human(r, sizeof r, rate);
	if (pg->total > 0 && done <= pg->total && rate > 0) {
		double left = (double)(pg->total - done) / rate;
		human(b, sizeof b, (double)pg->total);
		fprintf(stderr, "\r%s: %s of %s (%d%%), %s/s, %d:%02d left\033[K",
		    diag_prog(), a, b, (int)(100.0 * (double)done /
		    (double)pg->total), r, (int)left / 60, (int)left % 60);
	} else {
		fprintf(stderr, "\r%s: %s, %s/s\033[K", diag_prog(), a, r);
	}
	pg->shown = 1;
}

void
progress_end(struct progress *pg)
{
	if (pg->shown)
		fputs("\r\033[K", stderr);
	pg->shown = 0;
}
