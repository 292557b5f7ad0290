/*
 * progress.h: the progress line on stderr for long runs (bytes read of the
 * total, rate, time left). Shown only when asked for or when stderr is a
 * terminal, so pipes to files and cron mail stay clean.
 */
#ifndef CSM_PROGRESS_H
#define CSM_PROGRESS_H

#include <stdint.h>

enum progress_mode { PROGRESS_AUTO, PROGRESS_ON, PROGRESS_OFF };

struct progress {
	int on;
	int shown;		/* a line is on the screen and must be cleared */
	uint64_t total;		/* bytes of all inputs, 0 when unknown */
	double start, last;	/* monotonic seconds */
};

/* Starts the clock; total is the sum of input sizes (0 if unknown). */
void progress_init(struct progress *pg, enum progress_mode mode,
    uint64_t total);

/* Redraws the line at most a few times a second; done is bytes read. */
void progress_update(struct progress *pg, uint64_t done);

/* Erases the line before the closing messages. */
void progress_end(struct progress *pg);

#endif
