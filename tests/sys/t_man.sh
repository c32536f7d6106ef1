#!/bin/sh
# The man pages are clean under mandoc's and groff's own checks, as
# Debian's lintian runs them: 'mandoc -Tlint -W warning' exits 0 and
# 'groff -ww -z' prints nothing (groff exits 0 even when it warns).
. "$(dirname "$0")/lib.sh"
for page in "$TOP"/man/*.[1-9]; do
	name=$(basename "$page")
	if command -v mandoc >/dev/null 2>&1; then
		if out=$(mandoc -Tlint -W warning "$page" 2>&1); then
			ok "mandoc -Tlint: $name is clean"
		else
			fail "mandoc -Tlint: $name: $out"
		fi
	else
		fail "mandoc is not installed (scripts/deps.sh installs it)"
	fi
	if command -v groff >/dev/null 2>&1; then
		out=$(groff -ww -z -man "$page" 2>&1)
		expect_eq "groff -ww -z: $name is clean" "" "$out"
	else
		fail "groff is not installed (scripts/deps.sh installs it)"
	fi
	# every page renders with man-db the way users read it
	if command -v man >/dev/null 2>&1; then
		out=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings \
		    -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null)
		expect_eq "man --warnings: $name is clean" "" "$out"
	fi
done
# the checks can fail: a broken page is reported by both tools
printf '.TH X 8\n.SH NAME\n.SH SYNOPSIS\n.RS\n.BI\n.xx\n' >"$TMPD/bad.8"
if mandoc -Tlint -W warning "$TMPD/bad.8" >/dev/null 2>&1; then
	fail "mandoc accepts a broken page"
else
	ok "mandoc rejects a broken page"
fi
out=$(groff -ww -z -man "$TMPD/bad.8" 2>&1)
[ -n "$out" ] && ok "groff warns about a broken page" ||
    fail "groff is silent about a broken page"
finish
