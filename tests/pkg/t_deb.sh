#!/bin/sh
# The Debian package, built the way a distribution builds it: a copy of
# the tree, 'dpkg-buildpackage -us -uc -b' (no test suite inside),
# lintian clean at the error and warning levels, the hardening kept, the
# exact file list.  Then the package is used as installed: unpacked with
# 'dpkg -x' and laid over /usr with an overlay mount inside private mount
# and IPC namespaces, so the host's /usr is never written, it must run
# ('ipctune status', the man pages, each shell's completion, the
# profiles, the units, check_ipctune, the fact wrapper, the schemas).
#
# IPCTUNE_PKG_INSTALL=1 (CI, as root) also installs it for real with
# 'apt-get install ./ipctune_*.deb', runs the same checks, then removes
# and purges it and checks that nothing is left behind.  That writes the
# host's /usr: use it only on a machine that exists for the test.
#
# Usage: sh tests/pkg/t_deb.sh     (or: make deb-test)
# Internal: t_deb.sh --overlay ROOT | --installed (the checks in a
# private namespace, printing ok/FAIL lines and the counts).
. "$(dirname "$0")/../sys/lib.sh"

VERSION=$(sed -n 's/^VERSION *= *//p' "$TOP/Makefile")
NPROFILES=$(ls "$TOP"/profiles/*.conf | wc -l)

# The package as installed under /usr: each check runs the installed
# files, never the tree's.
installed_checks() {
	cd / || exit 1
	expect_eq "/usr/sbin/ipctune is the packaged version" \
	    "ipctune $VERSION" "$(/usr/sbin/ipctune -V 2>&1)"
	/usr/sbin/ipctune status >"$TMPD/st" 2>&1
	expect_eq "ipctune status runs (exit 0)" 0 $?
	expect_match "... and prints the limits" '^semmni +' "$TMPD/st"
	n=$(env -u IPCTUNE_PROFILE_PATH /usr/sbin/ipctune profiles \
	    --format json | jq '[.profiles[] | select(.error == null and
	    (.path | startswith("/usr/share/ipctune/profiles/")))] | length')
	expect_eq "the $NPROFILES profiles load from /usr/share/ipctune" \
	    "$NPROFILES" "$n"
	/usr/sbin/ipctune status --format json >"$TMPD/st.json"
	check "status validates against the installed status-1.json" \
	    validate /usr/share/ipctune/schema/status-1.json "$TMPD/st.json"
	expect_eq "man finds ipctune(8)" /usr/share/man/man8/ipctune.8.gz \
	    "$(man -w ipctune 2>&1)"
	expect_eq "man finds ipctune-profile(5)" \
	    /usr/share/man/man5/ipctune-profile.5.gz \
	    "$(man -w 5 ipctune-profile 2>&1)"
	MANWIDTH=80 man -P cat ipctune >"$TMPD/man" 2>"$TMPD/manerr"
	expect_match "the man page renders" '^SYNOPSIS' "$TMPD/man"
	expect_eq "... without warnings" "" "$(cat "$TMPD/manerr")"
	out=$(bash -c '. /usr/share/bash-completion/bash_completion
	    __load_completion ipctune && complete -p ipctune' 2>&1)
	expect_eq "bash-completion loads the packaged completion" \
	    "complete -F _ipctune ipctune" "$out"
	out=$(zsh -f "$TOP/tests/sys/zcomp.zsh" /usr/share/zsh/vendor-completions \
	    "ipctune snap" | tail -n +2)
	expect_eq "zsh completes from the packaged _ipctune" snapshot "$out"
	mkdir -p "$TMPD/home"
	out=$(HOME=$TMPD/home env -u XDG_DATA_DIRS fish -c \
	    'complete -C"ipctune snap"' 2>&1 | cut -f1)
	expect_eq "fish autoloads the packaged completion" snapshot "$out"
	for u in /lib/systemd/system/ipctune-*.service; do
		grep -q '^ExecStart=/usr/sbin/ipctune ' "$u" &&
		    ok "${u##*/} runs /usr/sbin/ipctune" ||
		    fail "${u##*/}: $(grep ExecStart "$u")"
		check "systemd-analyze verify accepts ${u##*/} and its timer" \
		    systemd-analyze verify "$u" "${u%.service}.timer"
	done
	/usr/lib/nagios/plugins/check_ipctune >"$TMPD/ck" 2>&1
	expect_eq "check_ipctune in /usr/lib/nagios/plugins: OK here (exit 0)" \
	    0 $?
	expect_match "... with the plugin's output" '^IPC OK - .*\|' "$TMPD/ck"
	n=$(/usr/share/ipctune/facts/ipctune.fact | jq 'length')
	[ "${n:-0}" -gt 20 ] && ok "the fact wrapper prints $n facts" ||
	    fail "the fact wrapper printed '$n'"
}

# real_install DEB: apt-get install, the installed checks, remove, purge
real_install() {
	if dpkg-query -W -f='${Status}' ipctune 2>/dev/null |
	    grep -q ' installed'; then
		fail "ipctune is already installed here: not touching it"
		return
	fi
	if (cd "${1%/*}" && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -q ./"${1##*/}") >"$TMPD/apt.log" 2>&1; then
		ok "apt-get install ./${1##*/}"
	else
		fail "apt-get install failed"
		tail -10 "$TMPD/apt.log" | sed 's/^/    /'
		return
	fi
	(unshare --ipc sh "$0" --installed) >"$TMPD/inst.out" 2>&1
	grep -v ' passed, .* failed$' "$TMPD/inst.out"
	T_PASS=$((T_PASS + $(sed -n 's/^\([0-9]*\) passed, .*/\1/p' \
	    "$TMPD/inst.out")))
	T_FAIL=$((T_FAIL + $(sed -n 's/.* passed, \([0-9]*\) failed$/\1/p' \
	    "$TMPD/inst.out")))
	expect_eq "installing enabled no timer" "" \
	    "$(ls /etc/systemd/system/timers.target.wants/ipctune* 2>/dev/null)"
	# what a timer run leaves: purge must take it away
	mkdir -p /var/lib/ipctune
	/usr/sbin/ipctune record --history /var/lib/ipctune/history.jsonl
	# the package's files (not its directories: /lib is a symlink
	# with usrmerge, /usr/share others' too)
	dpkg-deb -c "$1" | awk '$1 !~ /^d/ { print $6 }' |
	    sed 's|^\./|/|' >"$TMPD/paths"
	DEBIAN_FRONTEND=noninteractive apt-get remove -y -q ipctune \
	    >"$TMPD/apt.log" 2>&1
	expect_eq "apt-get remove (exit 0)" 0 $?
	expect_eq "... /usr/sbin/ipctune is gone" no \
	    "$([ -e /usr/sbin/ipctune ] && echo yes || echo no)"
	DEBIAN_FRONTEND=noninteractive apt-get purge -y -q ipctune \
	    >"$TMPD/apt.log" 2>&1
	expect_eq "apt-get purge (exit 0)" 0 $?
	st=$(dpkg-query -W -f='${Status}' ipctune 2>/dev/null)
	case "$st" in
	""|*not-installed*) ok "dpkg knows no ipctune after purge" ;;
	*) fail "after purge dpkg says '$st'" ;;
	esac
	left=
	while read -r p; do
		{ [ -f "$p" ] || [ -L "$p" ]; } && left="$left $p"
	done <"$TMPD/paths"
	for d in /usr/share/ipctune /usr/share/doc/ipctune /var/lib/ipctune \
	    /var/lib/systemd/deb-systemd-helper-enabled/ipctune-record.timer.dsh-also
	do
		[ -e "$d" ] && left="$left $d"
	done
	expect_eq "remove and purge leave nothing behind" "" "$left"
}

case "${1:-}" in
--real-install)
	real_install "$2"
	finish
	exit
	;;
--sandbox-install)
	# the real install with /usr, /etc and /var as overlays whose
	# writes stay in this test's directory (no systemd is told either)
	for d in usr etc var; do
		mkdir -p "$TMPD/ov/$d.up" "$TMPD/ov/$d.work"
		mount -t overlay overlay -o "lowerdir=/$d,upperdir=$TMPD/ov/$d.up,workdir=$TMPD/ov/$d.work" "/$d" || exit 1
	done
	mount -t tmpfs tmpfs /run/systemd 2>/dev/null ||
	    mount -t tmpfs tmpfs /run || exit 1
	real_install "$2"
	finish
	exit
	;;
--overlay)
	# private mount and IPC namespaces: the package over /usr
	mount -t overlay overlay -o "lowerdir=$2/usr:/usr" /usr || exit 1
	installed_checks
	finish
	exit
	;;
--installed)
	installed_checks
	finish
	exit
	;;
esac

for t in dpkg-buildpackage dh lintian hardening-check; do
	command -v $t >/dev/null 2>&1 ||
	    { fail "$t is needed (sh scripts/deps.sh)"; finish; exit 1; }
done
# run_inner WHAT ARGS...: the installed checks in private mount and IPC
# namespaces; their ok/FAIL lines shown, their counts added to ours
run_inner() {
	unshare --mount --ipc --propagation private sh "$0" "$@" \
	    >"$TMPD/inner.out" 2>&1
	grep -v ' passed, .* failed$' "$TMPD/inner.out"
	p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' \
	    "$TMPD/inner.out")
	f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' \
	    "$TMPD/inner.out")
	[ -n "$p" ] || { fail "the installed checks did not finish"; return; }
	T_PASS=$((T_PASS + p))
	T_FAIL=$((T_FAIL + f))
}

# -- build, from a clean copy of the tree
SRC=$TMPD/ipctune-$VERSION
mkdir -p "$SRC"
(cd "$TOP" && tar --exclude=./build --exclude=./ipctune --exclude=./.git \
    --exclude='./build-*' -cf - .) | tar -C "$SRC" -xf -
expect_eq "debian/changelog has the Makefile's version" "$VERSION" \
    "$(cd "$SRC" && dpkg-parsechangelog -S Version)"
t0=$(date +%s)
if (cd "$SRC" && env -u BUILD dpkg-buildpackage -us -uc -b) >"$TMPD/build.log" 2>&1
then
	ok "dpkg-buildpackage -us -uc -b ($(($(date +%s) - t0)) s)"
else
	fail "dpkg-buildpackage failed"
	tail -20 "$TMPD/build.log" | sed 's/^/    /'
	finish
	exit 1
fi
DEB=$(ls "$TMPD"/ipctune_"$VERSION"_*.deb)
CHANGES=$(ls "$TMPD"/ipctune_"$VERSION"_*.changes)
grep -q 'run-all.sh\|make.* test' "$TMPD/build.log" &&
    fail "the package build ran the test suite" ||
    ok "the package build runs no test suite"
# every flag dpkg-buildflags gives with hardening=+all, on the link line
link=$(grep -- ' -o ipctune ' "$TMPD/build.log")
missing=
for fl in $(cd "$SRC" && for v in CPPFLAGS CFLAGS LDFLAGS; do
    DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get $v; done)
do
	case " $link " in *" $fl "*) ;; *) missing="$missing $fl" ;; esac
done
expect_eq "the link line has every hardening=+all flag of dpkg-buildflags" \
    "" "$missing"
if lintian --fail-on error,warning "$CHANGES" >"$TMPD/lintian" 2>&1; then
	ok "lintian: no error or warning"
else
	fail "lintian reports errors or warnings:"
	sed 's/^/    /' "$TMPD/lintian" | head -20
fi

# -- the exact contents, derived from the tree so a forgotten file fails
{
	for p in usr/sbin/ipctune usr/lib/nagios/plugins/check_ipctune \
	    usr/share/ipctune/facts/ipctune.fact; do
		echo "$p 755"
	done
	for p in usr/share/man/man8/ipctune.8.gz \
	    usr/share/man/man5/ipctune-profile.5.gz \
	    usr/share/bash-completion/completions/ipctune \
	    usr/share/zsh/vendor-completions/_ipctune \
	    usr/share/fish/vendor_completions.d/ipctune.fish \
	    usr/share/doc/ipctune/README.md.gz \
	    usr/share/doc/ipctune/changelog.gz \
	    usr/share/doc/ipctune/copyright; do
		echo "$p 644"
	done
	for f in "$TOP"/profiles/*.conf; do
		echo "usr/share/ipctune/profiles/${f##*/} 644"
	done
	for f in "$TOP"/contrib/schema/*.json; do
		echo "usr/share/ipctune/schema/${f##*/} 644"
	done
	for f in "$TOP"/contrib/systemd/*.service "$TOP"/contrib/systemd/*.timer
	do
		echo "lib/systemd/system/${f##*/} 644"
	done
} | sort >"$TMPD/want"
ROOT=$TMPD/root
dpkg -x "$DEB" "$ROOT"
(cd "$ROOT" && find . -type f -printf '%P %m\n' | sort) >"$TMPD/got"
if cmp -s "$TMPD/want" "$TMPD/got"; then
	ok "the package holds exactly the expected $(wc -l <"$TMPD/want") files"
else
	fail "the package's file list differs (< expected, > packaged):"
	diff "$TMPD/want" "$TMPD/got" | sed -n 's/^\([<>]\)/    \1/p'
fi
dep=$(dpkg-deb -f "$DEB" Depends)
for l in libjansson libsmartcols libinih; do
	case "$dep" in *"$l"*) ok "Depends names $l" ;;
	*) fail "Depends lacks $l: $dep" ;; esac
done
check "hardening-check: PIE, stack protector, fortify, RELRO, bindnow" \
    hardening-check --nocfprotection "$ROOT/usr/sbin/ipctune"
dpkg-deb -e "$DEB" "$TMPD/ctrl"
grep -q 'deb-systemd-invoke\|systemctl' "$TMPD/ctrl/postinst" &&
    fail "the postinst starts a unit" || ok "the postinst starts no unit"
grep -B3 'deb-systemd-helper enable' "$TMPD/ctrl/postinst" |
    grep -q 'was-enabled' &&
    ok "... and enables the timer only where the admin had enabled it" ||
    fail "the postinst enables the timer"
grep -q '^	rm -rf /var/lib/ipctune$' "$TMPD/ctrl/postrm" &&
    ok "purge removes the state directory /var/lib/ipctune" ||
    fail "the postrm leaves /var/lib/ipctune on purge"

# -- used as installed: the unpacked tree over /usr (usrmerge: /lib is
# /usr/lib, as dpkg installs it on Debian 12)
mkdir -p "$ROOT/usr/lib"
cp -a "$ROOT/lib/." "$ROOT/usr/lib/"
mkdir -p "$TMPD/inner"
run_inner --overlay "$ROOT"

# -- installed for real, removed, purged
if [ "${IPCTUNE_PKG_INSTALL:-}" != 1 ] &&
    [ "${IPCTUNE_PKG_INSTALL:-}" != sandbox ]; then
	echo "skip - a real apt-get install (IPCTUNE_PKG_INSTALL=1 in CI," \
	    "or =sandbox)"
	finish
	exit
fi
if [ "$(id -u)" -ne 0 ]; then
	fail "IPCTUNE_PKG_INSTALL needs root"
	finish
	exit
fi
mkdir -p "$TMPD/apt"
cp "$DEB" "$TMPD/apt/"
chmod 755 "$TMPD" "$TMPD/apt"
if [ "$IPCTUNE_PKG_INSTALL" = 1 ]; then
	run_inner --real-install "$TMPD/apt/${DEB##*/}"
else
	run_inner --sandbox-install "$TMPD/apt/${DEB##*/}"
fi
finish
