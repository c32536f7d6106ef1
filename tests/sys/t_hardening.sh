#!/bin/sh
# The release build is hardened: PIE, stack protector, FORTIFY_SOURCE,
# RELRO and immediate binding, as Debian's hardening-check sees them.
# Control-flow protection is left out: Debian 12's start files are not
# CET-marked, so the linker drops the property for every program.
. "$(dirname "$0")/lib.sh"
if ! command -v hardening-check >/dev/null 2>&1; then
	fail "hardening-check is not installed (package devscripts)"
	finish
	exit 1
fi
if nm -D "$IPCTUNE" 2>/dev/null | grep -q '__asan_init'; then
	# a SANITIZE=1 build replaces the hardening flags on purpose
	ok "sanitizer build: release hardening does not apply"
	finish
	exit 0
fi
if hardening-check --nocfprotection "$IPCTUNE" >"$TMPD/hc" 2>&1; then
	ok "hardening-check --nocfprotection passes"
else
	fail "hardening-check --nocfprotection fails:"
	sed 's/^/    /' "$TMPD/hc"
fi
for what in "Position Independent Executable: yes" "Stack protected: yes" \
    "Fortify Source functions: yes" "Read-only relocations: yes" \
    "Immediate binding: yes"; do
	grep -q "$what" "$TMPD/hc" && ok "$what" || fail "not: $what"
done
# and the check can fail: a plain build of a tiny program is not hardened
printf 'int main(void) { return 0; }\n' >"$TMPD/plain.c"
if cc -O2 -no-pie -fno-stack-protector -o "$TMPD/plain" "$TMPD/plain.c" &&
    ! hardening-check --nocfprotection "$TMPD/plain" >/dev/null 2>&1; then
	ok "hardening-check rejects an unhardened binary"
else
	fail "hardening-check accepts an unhardened binary"
fi
finish
