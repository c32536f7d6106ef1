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
man5dir    ?= $(mandir)/man5
man8dir    ?= $(mandir)/man8
# Where Debian's shells look.  bash-completion's .pc hard-codes /usr/share,
# so its completionsdir is asked for relative to our datadir.
bashcompdir ?= $(shell $(PKG_CONFIG) --define-variable=datadir=$(datadir) \
               --variable=completionsdir bash-completion 2>/dev/null || \
               echo $(datadir)/bash-completion/completions)
zshcompdir  ?= $(datadir)/zsh/vendor-completions
fishcompdir ?= $(datadir)/fish/vendor_completions.d
systemdunitdir ?= $(PREFIX)/lib/systemd/system
# where monitoring plugins live (Debian's monitoring-plugins, NRPE)
nagiosplugindir ?= $(PREFIX)/lib/nagios/plugins

INSTALL      ?= install
INSTALL_PROGRAM ?= $(INSTALL) -m 0755
INSTALL_DATA ?= $(INSTALL) -m 0644

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
# The source folders, one per layer, from the bottom up (HACKING.md);
# headers sit beside their sources.
LAYERS      = lib model analysis bpf sys store output ops cli cmd
LAYER_INC   = $(addprefix -Isrc/,$(LAYERS))
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)
# 'watch' needs libbpf, clang (-target bpf) and bpftool (the skeleton):
# WITH_BPF=auto builds it when all three are there, WITH_BPF=0 never.
WITH_BPF   ?= auto
BPF_CLANG  ?= clang
# <asm/types.h> lives in Debian's multiarch include directory, named the
# same by gcc and clang with -print-multiarch (clang's -dumpmachine is not)
BPF_MULTIARCH ?= $(shell $(BPF_CLANG) -print-multiarch 2>/dev/null || \
    gcc -print-multiarch 2>/dev/null)
BPFTOOL    ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
ifeq ($(WITH_BPF),auto)
override WITH_BPF := $(shell $(PKG_CONFIG) --exists libbpf 2>/dev/null && \
    command -v $(BPF_CLANG) >/dev/null 2>&1 && test -x $(BPFTOOL) && \
    echo 1 || echo 0)
endif
ifeq ($(WITH_BPF),1)
BPF_ARCH   := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
BPF_CFLAGS  = -DIPCTUNE_BPF -I$(BUILD)/bpf \
              $(shell $(PKG_CONFIG) --cflags libbpf 2>/dev/null)
PKG_LIBS   += $(shell $(PKG_CONFIG) --libs libbpf 2>/dev/null)
BPF_SKEL    = $(BUILD)/bpf/ipcwatch.skel.h
endif
ALL_CFLAGS  = -std=gnu11 $(LAYER_INC) $(BPF_CFLAGS) $(WARN) $(HARDEN) $(PKG_CFLAGS) \
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
# src/bpf holds the BPF program: built by clang -target bpf, not linked
SRCS        = $(filter-out src/cmd/main.c src/bpf/%,$(wildcard src/*/*.c))
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

.PHONY: all deps deps-build run test test-unit test-sys bench install install-strip \
        uninstall clean check-strict FORCE fuzz fuzz-build fuzz-targets \
        valgrind fault deb-test rpm-test

all: ipctune

# The compiler flags, with the installation paths compiled in, as a file
# that changes only when they do: a build for another PREFIX recompiles.
CFLAGS_TEXT = $(subst ','\'',$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS))
$(BUILD)/cflags: FORCE | $(BUILD)
	$(Q)printf '%s\n' '$(CFLAGS_TEXT)' >$@.new; \
	if cmp -s $@.new $@; then rm -f $@.new; else mv $@.new $@; fi
FORCE:

$(BUILD)/%.o: src/%.c $(wildcard src/*/*.h) $(BUILD)/cflags | $(BUILD)
	$(E) "  CC      $<"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The BPF object (CO-RE, against the kernel types in src/bpf) and the
# skeleton that embeds it, included by src/sys/bpfwatch.c.
$(BUILD)/bpf/ipcwatch.bpf.o: src/bpf/ipcwatch.bpf.c $(wildcard src/bpf/*.h)
	$(E) "  BPF     $@"
	$(Q)mkdir -p $(@D)
	$(Q)$(BPF_CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) \
	    -I/usr/include/$(BPF_MULTIARCH) -Isrc/bpf \
	    $(shell $(PKG_CONFIG) --cflags libbpf 2>/dev/null) \
	    -c -o $@ $<
	$(Q)llvm-strip -g $@ 2>/dev/null || :

$(BUILD)/bpf/ipcwatch.skel.h: $(BUILD)/bpf/ipcwatch.bpf.o
	$(E) "  SKEL    $@"
	$(Q)$(BPFTOOL) gen skeleton $< name ipcwatch >$@.new && mv $@.new $@

$(BUILD)/sys/bpfwatch.o: $(BPF_SKEL)

$(LIB): $(OBJS)
	$(E) "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

ipctune: $(BUILD)/cmd/main.o $(LIB)
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

# Install what the build and the tests need (Debian/Ubuntu, as root);
# deps-build: only what building and running need.
deps:
	$(Q)sh scripts/deps.sh

deps-build:
	$(Q)sh scripts/deps.sh build

run: deps-build
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

# The Debian package: built in a copy of the tree, lintian, its contents,
# used as installed (tests/pkg/t_deb.sh; IPCTUNE_PKG_INSTALL=1 installs
# it for real, CI only).
deb-test:
	$(Q)sh tests/pkg/t_deb.sh

# ipctune.spec as far as Debian can check it: rpmspec, rpmbuild --nodeps,
# the file list, rpm install/erase in a scratch root, rpmlint.
rpm-test:
	$(Q)sh tests/pkg/t_rpm.sh

test-unit: tests-build
	$(Q)sh tests/run-all.sh unit

test-sys: tests-build
	$(Q)sh tests/run-all.sh sys

bench: all tests-build
	$(Q)for b in $(filter-out %/benchlib.sh,$(wildcard tests/bench/bench*.sh)); \
	    do sh "$$b" || exit 1; done

# GNU conventions: $(DESTDIR) only here, every directory overridable.
# Profiles, schemas and units are installed when the tree has them; the
# units and the fact wrapper get the installed binary's path.
FACT_DIR = $(pkgdatadir)/facts
install: all
	$(INSTALL) -d $(DESTDIR)$(sbindir) $(DESTDIR)$(man5dir) \
	    $(DESTDIR)$(man8dir) $(DESTDIR)$(bashcompdir) \
	    $(DESTDIR)$(zshcompdir) $(DESTDIR)$(fishcompdir) \
	    $(DESTDIR)$(FACT_DIR)
	$(INSTALL_PROGRAM) ipctune $(DESTDIR)$(sbindir)/ipctune
	$(INSTALL_DATA) man/ipctune.8 $(DESTDIR)$(man8dir)/ipctune.8
	$(INSTALL_DATA) man/ipctune-profile.5 \
	    $(DESTDIR)$(man5dir)/ipctune-profile.5
	$(INSTALL_DATA) completions/ipctune.bash $(DESTDIR)$(bashcompdir)/ipctune
	$(INSTALL_DATA) completions/_ipctune $(DESTDIR)$(zshcompdir)/_ipctune
	$(INSTALL_DATA) completions/ipctune.fish \
	    $(DESTDIR)$(fishcompdir)/ipctune.fish
	sed 's|@sbindir@|$(sbindir)|g' contrib/facts/ipctune.fact.in \
	    >$(DESTDIR)$(FACT_DIR)/ipctune.fact
	chmod 0755 $(DESTDIR)$(FACT_DIR)/ipctune.fact
	$(INSTALL) -d $(DESTDIR)$(nagiosplugindir)
	sed 's|@sbindir@|$(sbindir)|g' contrib/nagios/check_ipctune.in \
	    >$(DESTDIR)$(nagiosplugindir)/check_ipctune
	chmod 0755 $(DESTDIR)$(nagiosplugindir)/check_ipctune
	set -e; for f in profiles/*.conf; do [ -e "$$f" ] || continue; \
	    $(INSTALL) -d $(DESTDIR)$(pkgdatadir)/profiles; \
	    $(INSTALL_DATA) $$f $(DESTDIR)$(pkgdatadir)/profiles/; done
	set -e; for f in contrib/schema/*.json; do [ -e "$$f" ] || continue; \
	    $(INSTALL) -d $(DESTDIR)$(pkgdatadir)/schema; \
	    $(INSTALL_DATA) $$f $(DESTDIR)$(pkgdatadir)/schema/; done
	set -e; for f in contrib/systemd/*.service contrib/systemd/*.timer; do \
	    [ -e "$$f" ] || continue; \
	    $(INSTALL) -d $(DESTDIR)$(systemdunitdir); \
	    sed -e 's|@sbindir@|$(sbindir)|g' \
	    -e 's|/usr/sbin/ipctune|$(sbindir)/ipctune|g' $$f \
	    >$(DESTDIR)$(systemdunitdir)/$${f##*/}; \
	    chmod 0644 $(DESTDIR)$(systemdunitdir)/$${f##*/}; done

install-strip:
	$(MAKE) INSTALL_PROGRAM='$(INSTALL_PROGRAM) -s' install

uninstall:
	rm -f $(DESTDIR)$(sbindir)/ipctune $(DESTDIR)$(man8dir)/ipctune.8 \
	    $(DESTDIR)$(man5dir)/ipctune-profile.5 \
	    $(DESTDIR)$(bashcompdir)/ipctune $(DESTDIR)$(zshcompdir)/_ipctune \
	    $(DESTDIR)$(fishcompdir)/ipctune.fish \
	    $(DESTDIR)$(FACT_DIR)/ipctune.fact \
	    $(DESTDIR)$(nagiosplugindir)/check_ipctune
	for f in profiles/*.conf; do \
	    rm -f $(DESTDIR)$(pkgdatadir)/profiles/$${f##*/}; done
	for f in contrib/schema/*.json; do \
	    rm -f $(DESTDIR)$(pkgdatadir)/schema/$${f##*/}; done
	for f in contrib/systemd/*.service contrib/systemd/*.timer; do \
	    rm -f $(DESTDIR)$(systemdunitdir)/$${f##*/}; done
	rmdir $(DESTDIR)$(pkgdatadir)/profiles $(DESTDIR)$(pkgdatadir)/schema \
	    $(DESTDIR)$(FACT_DIR) $(DESTDIR)$(pkgdatadir) 2>/dev/null || :

clean:
	rm -rf $(BUILD) ipctune
