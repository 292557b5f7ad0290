/*
 * sudoline.h: the key list of sudo's log line, "[REASON ; ][HOST=h ; ]
 * TTY=t ; [CHROOT=c ; ]PWD=p ; USER=u ; [GROUP=g ; ][TSID=s ; ][ENV=e ;
 * ]COMMAND=cmd", read so that text the user controls cannot forge a key.
 * sudo joins the keys with " ; " and escapes nothing: a directory, a
 * chroot, an environment value or the command may hold " ; USER=root".
 * The keys always come in the order above, so every way of splitting the
 * line that keeps that order is tried; a key all of them agree on is
 * certain, any other is left out and marked uncertain.
 */
#ifndef CSM_SUDOLINE_H
#define CSM_SUDOLINE_H

#include "slice.h"

/* sudo's keys, in the order sudo writes them. */
enum sudo_key {
	SUDO_HOST, SUDO_TTY, SUDO_CHROOT, SUDO_PWD, SUDO_USER, SUDO_GROUP,
	SUDO_TSID, SUDO_ENV, SUDO_COMMAND, SUDO_NKEYS
};

/* Most " ; "-separated parts read; a line with more is not split. */
#define SUDOLINE_MAX_PARTS 64

/* What sudoline_read made of a line. */
struct sudoline {
	struct slice reason;		/* "3 incorrect password attempts" */
	struct slice val[SUDO_NKEYS];	/* empty: absent or uncertain */
	unsigned uncertain;		/* bit per key: readings differ */
	int readings;			/* 1 certain; 0 none fits; 2 several */
	struct slice from;		/* the text from the first uncertain
					 * key on, as logged (when not 1) */
};

/*
 * Reads rest, the text after sudo's "USER : ", into sl. Every reading
 * keeps the key order; keys that are fixed words (HOST, TTY, USER,
 * GROUP, TSID) are one part each, the values a user chooses (CHROOT, PWD,
 * ENV, COMMAND, which runs to the end) may span parts; PWD, USER and
 * COMMAND, which sudo always writes, must be read when the line has
 * them. Returns sl->readings. Slices point into rest.
 */
int sudoline_read(struct slice rest, struct sudoline *sl);

#endif
