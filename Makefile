# csm: a hand-written GNU Makefile. Objects go to build/ (build-san/ with
# SAN=1, for ASan and UBSan; build-tsan/ with SAN=thread).
# User variables (CC, CFLAGS, LDFLAGS, PREFIX, DESTDIR) are honoured; project
# flags are appended. WERROR= turns warnings back into warnings for packagers.

# Every core by default (make check builds the project four times); a -j
# on the command line wins. Set once, in the top make: the builds make
# check starts share its jobs.
ifeq ($(MAKELEVEL),0)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 1)
endif

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
CC      ?= cc
CFLAGS  ?= -O2 -g
WERROR  ?= -Werror
PKG_CONFIG ?= pkg-config

# Link-time optimisation with GCC: a check's hot path runs through the
# reader, its hook and its tables, each in a file of its own (5% fewer
# instructions in csm-beacon). LTO= turns it off (needed with an AR that
# lacks GCC's plugin, as the objects hold no machine code); other
# compilers go without. GCC is told by its macros, not by its -v text,
# which the locale translates.
ifeq ($(origin LTO),undefined)
LTO := $(if $(filter gcc,$(shell $(CC) -dM -E -x c /dev/null 2>/dev/null | \
	awk '/ __clang__ /{ c = 1 } / __GNUC__ /{ g = 1 } \
	END { print g && !c ? "gcc" : "other" }')),-flto=auto)
endif

SAN ?=
ifeq ($(SAN),1)
BUILD   := build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
override LTO :=
else ifeq ($(SAN),thread)
# ThreadSanitizer, for the threads csm has: each check's reading thread
# (lib/evread.c), csm-parse's workers and gzip inflater, csm-beacon's
# analysis. It cannot share a build with ASan.
BUILD   := build-tsan
SANFLAGS := -fsanitize=thread -fno-omit-frame-pointer
override LTO :=
else
BUILD   := build
SANFLAGS :=
endif

# Dependencies. Libraries with a .pc file are asked through pkg-config; the
# variables are computed on first use, in a recipe, so after $(DEPS_OK) has
# installed the packages on a fresh machine; pkg-config then runs only once.
# GMime pulls in GLib, whose headers are not -Wpedantic clean: they come in
# as system headers.
# libcsv, jansson, inih, maxminddb, expat, evtx, libunistring: plain -l.
PC_PKGS    := zlib gmime-3.0 libzip libpsl libidn2
DEP_CFLAGS = $(eval DEP_CFLAGS := $(patsubst -I%,-isystem %,$(shell \
	$(PKG_CONFIG) --cflags $(PC_PKGS) 2>/dev/null)))$(DEP_CFLAGS)
DEP_LIBS   = $(eval DEP_LIBS := $(shell $(PKG_CONFIG) --libs $(PC_PKGS) \
	2>/dev/null) -lcsv -ljansson -linih -lmaxminddb -lexpat -levtx -lunistring -lm -lpthread)$(DEP_LIBS)

WARN := -Wall -Wextra -Wpedantic -Wformat=2 -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wvla $(WERROR)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE \
	$(WARN) $(CFLAGS) $(LTO) $(SANFLAGS) $(DEP_CFLAGS) -Ilib -MMD -MP
# With LTO the code is compiled at link time: its warnings count there too.
ALL_LDFLAGS := -Wl,--as-needed $(LDFLAGS) $(LTO) $(if $(LTO),$(WARN)) \
	$(SANFLAGS)

LIB_SRC  := $(filter-out %_test.c,$(wildcard lib/*.c))
LIB_OBJ  := $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o)
TEST_SRC := $(wildcard lib/*_test.c)
TESTS    := $(TEST_SRC:lib/%.c=$(BUILD)/test/%)
PROGS    := $(filter-out %.sh,$(notdir $(wildcard cmd/csm-*)))
PROG_BIN := $(PROGS:%=$(BUILD)/bin/%)
SCRIPTS  := $(notdir $(wildcard cmd/*.sh))
SCRIPT_BIN := $(SCRIPTS:%.sh=$(BUILD)/bin/%)
MAN1     := $(wildcard man/*.1)
MAN5     := $(wildcard man/*.5)
MAN7     := $(wildcard man/*.7)
FUZZ_SRC := $(wildcard lib/fuzz/*.c)

.SECONDARY:
.PHONY: all check test lint fuzz bench analyze install uninstall clean demo FORCE
DEPS_OK := $(BUILD)/.deps-ok
all: $(DEPS_OK) $(PROG_BIN) $(SCRIPT_BIN) $(TESTS)

# A fresh Debian machine lacks the -dev packages: install them once.
$(DEPS_OK):
	@scripts/install-deps --check >/dev/null 2>&1 || scripts/install-deps
	@mkdir -p $(BUILD)
	@touch $@

# Objects depend on the compiler and flags they were built with, so that
# `make CC=clang` after `make` rebuilds instead of mixing the two.
FLAGS_STAMP := $(BUILD)/.flags
$(FLAGS_STAMP): FORCE | $(DEPS_OK)
	@mkdir -p $(BUILD)
	@echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $@ || \
		echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' >$@
FORCE:

$(BUILD)/lib/%.o: lib/%.c $(FLAGS_STAMP) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libcsm.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/cmd/%.o: cmd/%.c $(FLAGS_STAMP) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Each program is every .c file in its cmd/<prog>/ folder plus libcsm.a.
define prog_rule
$(BUILD)/bin/$(1): $(patsubst cmd/%.c,$(BUILD)/cmd/%.o,$(wildcard cmd/$(1)/*.c)) $(BUILD)/libcsm.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$^ $$(DEP_LIBS)
endef
$(foreach p,$(PROGS),$(eval $(call prog_rule,$(p))))

# The POSIX sh programs (cmd/NAME.sh) are installed as NAME.
$(BUILD)/bin/%: cmd/%.sh
	@mkdir -p $(dir $@)
	cp $< $@.tmp && chmod 755 $@.tmp && mv $@.tmp $@

$(BUILD)/test/%: $(BUILD)/lib/%.o $(BUILD)/libcsm.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS)

$(BUILD)/lib/%_test.o: lib/%_test.c $(FLAGS_STAMP) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The whole suite: plain build, then the same suite under ASan+UBSan and
# under TSan, then the real-data tier. One closing "N passed, M failed"
# line. Before that, everything is compiled by clang too (into
# build-clang/, not run): its warnings are not GCC's, and -Werror makes
# each one a failure.
check: all
	$(MAKE) CC=clang BUILD=build-clang all
	$(MAKE) SAN=1 all
	$(MAKE) SAN=thread all
	scripts/runtests build build-san build-tsan

test: all
	scripts/runtests build

lint:
	scripts/check-style build
	mandoc -Tlint -W warning $(MAN1) $(MAN5) $(MAN7)

# Builds the libFuzzer harnesses and runs each for FUZZ_SECONDS (60).
fuzz: $(DEPS_OK)
	scripts/fuzz

bench: all
	scripts/bench

# The clang static analyzer over every file, from scratch (scan-build sees
# only what is compiled; objects and reports in build-scan/). Not in CI:
# it takes minutes, and a report is a path to read, not a verdict (those
# left were read and found impossible). Needs Debian's clang-tools.
analyze: $(DEPS_OK)
	@command -v scan-build >/dev/null || { echo "make analyze: \
	scan-build missing: apt-get install clang-tools" >&2; exit 2; }
	rm -rf build-scan
	scan-build -o build-scan/reports $(MAKE) BUILD=build-scan LTO= all

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	for p in $(PROGS) $(SCRIPTS:%.sh=%); do install -m 755 $(BUILD)/bin/$$p $(DESTDIR)$(BINDIR)/$$p; done
	for m in $(MAN1); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in $(MAN5); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man5/; done
	for m in $(MAN7); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man7/; done
	mkdir -p $(DESTDIR)$(PREFIX)/share/doc/csm
	install -m 644 man/csm.conf.example $(DESTDIR)$(PREFIX)/share/doc/csm/

uninstall:
	for p in $(PROGS) $(SCRIPTS:%.sh=%); do rm -f $(DESTDIR)$(BINDIR)/$$p; done
	for m in $(notdir $(MAN1)); do rm -f $(DESTDIR)$(MANDIR)/man1/$$m; done
	for m in $(notdir $(MAN5)); do rm -f $(DESTDIR)$(MANDIR)/man5/$$m; done
	for m in $(notdir $(MAN7)); do rm -f $(DESTDIR)$(MANDIR)/man7/$$m; done
	rm -f $(DESTDIR)$(PREFIX)/share/doc/csm/csm.conf.example

# Runs the bundled samples through the pipeline: the README's first command.
demo: all
	scripts/demo

clean:
	rm -rf build build-san build-tsan build-clang build-scan build-fuzz

-include $(wildcard $(BUILD)/*/*.d $(BUILD)/*/*/*.d)
