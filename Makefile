# ipctune: one Makefile.  GNU conventions: PREFIX, DESTDIR, sbindir,
# mandir, datadir, sysconfdir; user CFLAGS/LDFLAGS respected; STRICT=1
# for the developer warnings CI uses; SANITIZE=1 for ASan+UBSan; V=1 for
# verbose builds.

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

.PHONY: all deps run test test-unit test-sys bench install uninstall \
        clean check-strict

all: ipctune

$(BUILD)/%.o: src/%.c $(wildcard include/*.h) | $(BUILD)
	$(E) "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(OBJS)
	$(E) "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

ipctune: $(BUILD)/main.o $(LIB)
	$(E) "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/tests/check_%: tests/unit/check_%.c $(LIB) | $(BUILD)/tests
	$(E) "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -o $@ $< $(LIB) \
	    $(ALL_LDFLAGS) $(PKG_LIBS) $(CHECK_LIBS)

$(BUILD)/tests/%: tests/sys/%.c $(LIB) | $(BUILD)/tests
	$(E) "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

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

tests-build: ipctune $(UNIT_BINS) $(HELPER_BINS)

test-unit: tests-build
	$(Q)sh tests/run-all.sh unit

test-sys: tests-build
	$(Q)sh tests/run-all.sh sys

bench: all tests-build
	$(Q)for b in tests/bench/bench*.sh; do sh "$$b" || exit 1; done

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
