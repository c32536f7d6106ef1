# ipctune: one Makefile.  GNU conventions: PREFIX, DESTDIR, sbindir,
# mandir, datadir, sysconfdir; user CFLAGS/LDFLAGS respected; STRICT=1
# for the developer warnings CI uses; SANITIZE=1 for ASan+UBSan (the
# program, the unit tests and the helpers); V=1 for verbose builds.
# 'make fuzz' builds the libFuzzer targets with clang in $(BUILD)/fuzz.

VERSION     = 0.1.0
PREFIX     ?= /usr/local
exec_prefix ?= $(PREFIX)
sbindir    ?= $(exec_prefix)/sbin
datarootdir ?= $(PREFIX)/share
datadir    ?= $(datarootdir)
mandir     ?= $(datarootdir)/man
sysconfdir ?= /etc
localstatedir ?= /var
pkgdatadir  = $(datadir)/ipctune

CC         ?= cc
PKG_CONFIG ?= pkg-config
PKGS        = jansson smartcols inih
CFLAGS     ?= -O2 -g
WARN        = -Wall -Wextra -Wshadow -Wstrict-prototypes \
              -Wmissing-prototypes -Wformat=2 -Wvla -Wpointer-arith \
              -Wcast-qual -Wundef
ifeq ($(STRICT),1)
WARN       += -Werror -Wno-error=deprecated-declarations
endif
HARDEN      = -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
HARDEN_LD   = -pie -Wl,-z,relro -Wl,-z,now
ifeq ($(SANITIZE),1)
HARDEN      = -fsanitize=address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=all -fPIE
HARDEN_LD   = -fsanitize=address,undefined -pie
endif
ifeq ($(SANITIZE),fuzz)
# clang only: the library is instrumented for libFuzzer; each fuzz_*
# target links the fuzzer's main
HARDEN      = -fsanitize=fuzzer-no-link,address,undefined \
              -fno-omit-frame-pointer -fno-sanitize-recover=all -fPIE
HARDEN_LD   = -fsanitize=address,undefined -pie
endif
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)
ALL_CFLAGS  = -std=gnu11 -Iinclude $(WARN) $(HARDEN) $(PKG_CFLAGS) \
              -DIPCTUNE_VERSION='"$(VERSION)"' \
              -DIPCTUNE_DATADIR='"$(pkgdatadir)"' \
              -DIPCTUNE_SYSCONFDIR='"$(sysconfdir)"' \
              $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(HARDEN_LD) $(LDFLAGS) -pthread

ifneq ($(V),1)
Q = @
E = @echo
else
Q =
E = @:
endif

BUILD      ?= build
SRCS        = $(filter-out src/main.c,$(wildcard src/*.c))
OBJS        = $(SRCS:src/%.c=$(BUILD)/%.o)
LIB         = $(BUILD)/libipctune.a
UNIT_SRCS   = $(wildcard tests/unit/check_*.c)
UNIT_BINS   = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
HELPER_SRCS = $(wildcard tests/sys/*.c)
HELPER_BINS = $(HELPER_SRCS:tests/sys/%.c=$(BUILD)/tests/%)
FUZZ_SRCS   = $(wildcard tests/fuzz/fuzz_*.c)
# each fuzz target also builds with an ordinary main (tests/fuzz/replay.c)
# so 'make test' replays the corpora and the hostile inputs through it
FUZZ_REPLAY = $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/tests/%)
FUZZ_BINS   = $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/%)
FAULT_SO    = $(BUILD)/tests/faultinject.so
FUZZ_CC    ?= clang
FUZZ_SECONDS ?= 30

.PHONY: all deps run test test-unit test-sys bench install uninstall \
        clean check-strict FORCE fuzz fuzz-build fuzz-targets valgrind fault

all: ipctune

# Everything is rebuilt when the compiler or the flags change, so that
# 'make SANITIZE=1' and a plain 'make' never mix objects.
FLAGS_TEXT  = $(subst ',,$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS))
FLAGS_STAMP = $(BUILD)/flags.stamp
$(FLAGS_STAMP): FORCE | $(BUILD)
	$(Q)echo '$(FLAGS_TEXT)' | cmp -s - $@ || echo '$(FLAGS_TEXT)' >$@
FORCE:

$(BUILD)/%.o: src/%.c $(wildcard include/*.h) $(FLAGS_STAMP) | $(BUILD)
	$(E) "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(OBJS)
	$(E) "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

ipctune: $(BUILD)/main.o $(LIB) $(FLAGS_STAMP)
	$(E) "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/tests/check_%: tests/unit/check_%.c $(LIB) | $(BUILD)/tests
	$(E) "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -o $@ $< $(LIB) \
	    $(ALL_LDFLAGS) $(PKG_LIBS) $(CHECK_LIBS)

$(BUILD)/tests/%: tests/sys/%.c $(LIB) | $(BUILD)/tests
	$(E) "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/tests/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c \
    tests/fuzz/fuzz.h $(LIB) | $(BUILD)/tests
	$(E) "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< tests/fuzz/replay.c $(LIB) \
	    $(ALL_LDFLAGS) $(PKG_LIBS)

# The fault-injection shim is preloaded into the program under test; it
# is never sanitized itself (an ASan program runs it with
# verify_asan_link_order=0).
$(FAULT_SO): tests/fault/faultinject.c | $(BUILD)/tests
	$(E) "  CC      $@"
	$(Q)$(CC) -std=gnu11 $(WARN) -O1 -g -fPIC -shared -o $@ $< -ldl

# libFuzzer targets; built by 'make fuzz-build' in $(BUILD)/fuzz
$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(LIB)
	$(E) "  FUZZ    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB) \
	    $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD) $(BUILD)/tests:
	$(Q)mkdir -p $@

# Install what the build and the tests need (Debian/Ubuntu, as root).
deps:
	$(Q)sh scripts/deps.sh

run: deps
	$(Q)$(MAKE) --no-print-directory all
	./ipctune status

test: deps
	$(Q)$(MAKE) --no-print-directory all tests-build
	$(Q)sh tests/run-all.sh

tests-build: ipctune $(UNIT_BINS) $(HELPER_BINS) $(FUZZ_REPLAY) $(FAULT_SO)

fuzz-build:
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/fuzz CC=$(FUZZ_CC) \
	    SANITIZE=fuzz fuzz-targets

fuzz-targets: $(FUZZ_BINS)

# Run every libFuzzer target for FUZZ_SECONDS (each), from its corpus.
fuzz: fuzz-build
	$(Q)BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh

# The integration suites with the program under valgrind.
valgrind: all tests-build
	$(Q)sh tests/valgrind.sh

# The fault-injection sweeps and kill -9 trials (slow; CI runs them).
fault: all tests-build
	$(Q)sh tests/fault/run.sh

test-unit: tests-build
	$(Q)sh tests/run-all.sh unit

test-sys: tests-build
	$(Q)sh tests/run-all.sh sys

bench: all tests-build
	$(Q)sh tests/bench/bench.sh

install: all
	install -d $(DESTDIR)$(sbindir) $(DESTDIR)$(mandir)/man8 \
	    $(DESTDIR)$(pkgdatadir)/profiles $(DESTDIR)$(pkgdatadir)/schema
	install -m 0755 ipctune $(DESTDIR)$(sbindir)/ipctune
	install -m 0644 man/ipctune.8 $(DESTDIR)$(mandir)/man8/ipctune.8
	for f in contrib/schema/*.json; do \
	    install -m 0644 $$f $(DESTDIR)$(pkgdatadir)/schema/; done
	for f in profiles/*.conf; do [ -e "$$f" ] || continue; \
	    install -m 0644 $$f $(DESTDIR)$(pkgdatadir)/profiles/; done
	install -d $(DESTDIR)$(datarootdir)/bash-completion/completions
	install -m 0644 completions/ipctune.bash \
	    $(DESTDIR)$(datarootdir)/bash-completion/completions/ipctune

uninstall:
	rm -f $(DESTDIR)$(sbindir)/ipctune $(DESTDIR)$(mandir)/man8/ipctune.8
	rm -f $(DESTDIR)$(datarootdir)/bash-completion/completions/ipctune
	rm -rf $(DESTDIR)$(pkgdatadir)

clean:
	rm -rf $(BUILD) ipctune
