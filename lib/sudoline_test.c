/*
 * sudoline_test.c: sudo's key list read against text the user controls:
 * ordinary lines give one reading, a directory or ENV value holding
 * " ; KEY=" either gives a second reading (those keys left out) or is
 * read by the key order alone, and a crafted line with too many parts or
 * none of the keys is never read as certain.
 */
#include "sudoline.h"
#include "test.h"

static struct sudoline sl;

static int
read_line(const char *s)
{
	return sudoline_read(slice_cstr(s), &sl);
}

static int
is(enum sudo_key k, const char *want)
{
	return slice_eq(sl.val[k], want);
}

int
main(void)
{
	char big[SUDOLINE_MAX_PARTS * 8 + 64];
	size_t n = 0;
	int i;

	TEST_OK(read_line("TTY=pts/0 ; PWD=/home/a ; USER=root ; "
	    "COMMAND=/bin/ls") == 1 && is(SUDO_TTY, "pts/0") &&
	    is(SUDO_PWD, "/home/a") && is(SUDO_USER, "root") &&
	    is(SUDO_COMMAND, "/bin/ls") && sl.uncertain == 0 &&
	    sl.reason.n == 0, "plain line: one reading");
	TEST_OK(read_line("3 incorrect password attempts ; HOST=h ; "
	    "TTY=pts/1 ; CHROOT=/srv ; PWD=/ ; USER=pg ; GROUP=pg ; "
	    "TSID=00/00/01 ; ENV=A=1 ; COMMAND=/bin/sh -c a ; b") == 1 &&
	    slice_eq(sl.reason, "3 incorrect password attempts") &&
	    is(SUDO_HOST, "h") && is(SUDO_CHROOT, "/srv") &&
	    is(SUDO_GROUP, "pg") && is(SUDO_TSID, "00/00/01") &&
	    is(SUDO_ENV, "A=1") && is(SUDO_COMMAND, "/bin/sh -c a ; b"),
	    "every key, a reason, ' ; ' in the command");
	TEST_OK(read_line("TTY=pts/0 ; PWD=/x ; USER=root ; "
	    "COMMAND=/bin/true ; USER=nobody ; COMMAND=/bin/ls") == 2 &&
	    sl.val[SUDO_USER].n == 0 && sl.val[SUDO_PWD].n == 0 &&
	    sl.val[SUDO_COMMAND].n == 0 && is(SUDO_TTY, "pts/0") &&
	    sl.uncertain == (1U << SUDO_PWD | 1U << SUDO_USER |
	    1U << SUDO_COMMAND) && slice_has_prefix(sl.from, "PWD=/x ; "),
	    "forged USER in PWD: two readings, USER left out");
	TEST_OK(read_line("TTY=pts/0 ; PWD=/x ; USER=root ; USER=bob ; "
	    "COMMAND=/bin/id") == 1 && is(SUDO_PWD, "/x ; USER=root") &&
	    is(SUDO_USER, "bob"), "repeated USER read by the key order");
	TEST_OK(read_line("TTY=pts/0 ; PWD=/y ; COMMAND=/bin/true ; "
	    "USER=bob ; COMMAND=/bin/ls") == 1 && is(SUDO_USER, "bob") &&
	    is(SUDO_COMMAND, "/bin/ls"), "COMMAND in PWD before USER");
	TEST_OK(read_line("TTY=pts/0 ; PWD=/ ; USER=bob ; COMMAND=/bin/echo "
	    "a ; USER=root") == 1 && is(SUDO_USER, "bob") &&
	    is(SUDO_COMMAND, "/bin/echo a ; USER=root"),
	    "USER in the command: the command runs to the end");
	TEST_OK(read_line("TTY=pts/0 ; PWD=/ ; USER=root ; ENV=A=1 ; "
	    "COMMAND=/bin/true ; COMMAND=/bin/sh") == 2 &&
	    is(SUDO_USER, "root") && sl.val[SUDO_COMMAND].n == 0 &&
	    sl.uncertain == (1U << SUDO_ENV | 1U << SUDO_COMMAND) &&
	    slice_has_prefix(sl.from, "ENV="), "COMMAND in ENV: USER kept");
	TEST_OK(read_line("alice (command continued) x") == 0 &&
	    sl.val[SUDO_USER].n == 0, "no key: no reading");
	TEST_OK(read_line("TTY=pts/0 ; USER=root ; PWD=/ ; COMMAND=x") == 0 &&
	    sl.val[SUDO_USER].n == 0, "keys out of order: no reading");
	memcpy(big, "TTY=x", 5);
	n = 5;
	for (i = 0; i < SUDOLINE_MAX_PARTS; i++) {
		memcpy(big + n, " ; PWD=a", 8);
		n += 8;
	}
	TEST_OK(sudoline_read(slice_make(big, n), &sl) == 2 &&
	    sl.val[SUDO_TTY].n == 0, "too many parts: not certain");
	return test_done();
}
