#!/bin/sh
# 'make install' and 'make uninstall' with PREFIX and DESTDIR, the way a
# packager runs them: a copy of the tree is built for a PREFIX under the
# test directory and staged into a DESTDIR.  The exact file list and
# modes are checked, the installed binary runs from there and finds its
# installed profiles, each shell finds its installed completion, and
# uninstall leaves no file behind.
. "$(dirname "$0")/lib.sh"
SRC=$TMPD/src
PREFIX=$TMPD/prefix
STAGE=$TMPD/stage
mkdir -p "$SRC"
(cd "$TOP" && tar --exclude=./build --exclude=./ipctune --exclude=./.git \
    -cf - .) | tar -C "$SRC" -xf -
# clean the copy: a stale build of the source tree must not leak in
rm -rf "$SRC/build" "$SRC/ipctune"

if env -u BUILD make -C "$SRC" -j2 PREFIX="$PREFIX" DESTDIR="$STAGE" install \
    >"$TMPD/install.log" 2>&1; then
	ok "make install PREFIX=... DESTDIR=... succeeds"
else
	fail "make install failed"
	tail -20 "$TMPD/install.log"
fi

# the exact list, derived from the tree so a forgotten file fails
{
	echo "sbin/ipctune 755"
	echo "share/man/man8/ipctune.8 644"
	echo "share/man/man5/ipctune-profile.5 644"
	echo "share/bash-completion/completions/ipctune 644"
	echo "share/zsh/vendor-completions/_ipctune 644"
	echo "share/fish/vendor_completions.d/ipctune.fish 644"
	echo "share/ipctune/facts/ipctune.fact 755"
	echo "lib/nagios/plugins/check_ipctune 755"
	for f in "$SRC"/profiles/*.conf; do
		[ -e "$f" ] && echo "share/ipctune/profiles/${f##*/} 644"
	done
	for f in "$SRC"/contrib/schema/*.json; do
		[ -e "$f" ] && echo "share/ipctune/schema/${f##*/} 644"
	done
	for f in "$SRC"/contrib/systemd/*.service \
	    "$SRC"/contrib/systemd/*.timer; do
		[ -e "$f" ] && echo "lib/systemd/system/${f##*/} 644"
	done
} | sort >"$TMPD/want"
(cd "$STAGE$PREFIX" 2>/dev/null && find . \( -type f -o -type l \) \
    -printf '%P %m\n' | sort) >"$TMPD/got"
if cmp -s "$TMPD/want" "$TMPD/got"; then
	ok "installed files and modes are exactly the expected $(wc -l <"$TMPD/want")"
else
	fail "installed file list differs (- expected, + installed):"
	diff "$TMPD/want" "$TMPD/got" | sed -n 's/^\([<>]\)/    \1/p'
fi
out=$(find "$STAGE" \( -type f -o -type l \) ! -path "$STAGE$PREFIX/*")
expect_eq "nothing is installed outside DESTDIR/PREFIX" "" "$out"

bin=$STAGE$PREFIX/sbin/ipctune
expect_eq "the staged binary runs" "ipctune $(sed -n \
    's/^VERSION *= *//p' "$SRC/Makefile")" "$("$bin" -V 2>&1)"
check "the staged binary reports status" "$bin" status
if "$bin" facts | python3 -c 'import json, sys; d = json.load(sys.stdin)
assert d["ipctune_schema_version"] == 1' 2>"$TMPD/err"; then
	ok "the staged binary prints facts"
else
	fail "the staged binary prints no facts: $(cat "$TMPD/err")"
fi
grep -q "exec $PREFIX/sbin/ipctune facts" \
    "$STAGE$PREFIX/share/ipctune/facts/ipctune.fact" &&
    ok "the fact wrapper runs the installed binary" ||
    fail "the fact wrapper does not name $PREFIX/sbin/ipctune"
# as the package manager would: the staged tree moved into place
mkdir -p "$(dirname "$PREFIX")"
mv "$STAGE$PREFIX" "$PREFIX"
bin=$PREFIX/sbin/ipctune
if "$bin" __complete commands | grep -qx profiles; then
	nprof=0
	for f in "$SRC"/profiles/*.conf; do
		[ -e "$f" ] || continue
		nprof=$((nprof + 1))
		n=${f##*/}
		n=${n%.conf}
		(cd / && IPCTUNE_PROFILE_PATH= "$bin" profiles) 2>&1 |
		    grep -qw -- "$n" || fail "installed binary lacks profile '$n'"
	done
	ok "the installed binary lists its $nprof installed profiles"
else
	ls "$PREFIX/share/ipctune/profiles"/*.conf >/dev/null 2>&1 &&
	    fail "profiles are installed but 'profiles' is missing" ||
	    ok "no profiles command and no profiles in this tree yet"
fi
out=$("$PREFIX/share/ipctune/facts/ipctune.fact" |
    python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
[ "${out:-0}" -gt 20 ] && ok "the installed fact wrapper prints $out facts" ||
    fail "the installed fact wrapper printed '$out'"
"$PREFIX/lib/nagios/plugins/check_ipctune" -w 100% -c 100% >"$TMPD/ck" 2>&1
rc=$?
[ $rc -le 3 ] && grep -q '^IPC [A-Z]* - ' "$TMPD/ck" &&
    ok "the installed check_ipctune runs the plugin (exit $rc)" ||
    fail "check_ipctune: exit $rc, $(head -1 "$TMPD/ck")"
for u in "$PREFIX"/lib/systemd/system/*.service; do
	[ -e "$u" ] || continue
	grep -q "^ExecStart=$PREFIX/sbin/ipctune " "$u" &&
	    ok "${u##*/} runs the installed binary" ||
	    fail "${u##*/}: $(grep ExecStart "$u")"
	if command -v systemd-analyze >/dev/null 2>&1; then
		check "systemd-analyze verify accepts ${u##*/}" \
		    systemd-analyze verify --man=no "$u" "${u%.service}.timer"
	fi
done
out=$(MANPATH=$PREFIX/share/man man -w ipctune-profile 2>&1)
expect_eq "man finds the installed profile page" \
    "$PREFIX/share/man/man5/ipctune-profile.5" "$out"

# each shell loads the installed completion from where it looks
out=$(PATH=$PREFIX/sbin:$PATH XDG_DATA_DIRS=$PREFIX/share bash -c '
	. /usr/share/bash-completion/bash_completion
	__load_completion ipctune && complete -p ipctune' 2>&1)
expect_eq "bash-completion loads the installed completion" \
    "complete -F _ipctune ipctune" "$out"
out=$(PATH=$PREFIX/sbin:$PATH zsh -f "$TOP/tests/sys/zcomp.zsh" \
    "$PREFIX/share/zsh/vendor-completions" "ipctune snap" | tail -n +2)
expect_eq "zsh completes from the installed _ipctune" "snapshot" "$out"
# (not -N: fish builds its completion path in its own config.fish)
mkdir -p "$TMPD/home"
out=$(HOME=$TMPD/home PATH=$PREFIX/sbin:$PATH XDG_DATA_DIRS=$PREFIX/share \
    fish -c 'complete -C"ipctune snap"' 2>&1 | cut -f1)
expect_eq "fish autoloads the installed completion" "snapshot" "$out"

mv "$PREFIX" "$STAGE$PREFIX"
if env -u BUILD make -C "$SRC" PREFIX="$PREFIX" DESTDIR="$STAGE" uninstall \
    >"$TMPD/uninstall.log" 2>&1; then
	ok "make uninstall succeeds"
else
	fail "make uninstall failed"
	tail -20 "$TMPD/uninstall.log"
fi
out=$(find "$STAGE" \( -type f -o -type l \) | sed "s|^$STAGE||")
expect_eq "make uninstall leaves no file behind" "" "$out"
[ -d "$STAGE$PREFIX/share/ipctune" ] &&
    fail "uninstall leaves share/ipctune" ||
    ok "uninstall removes share/ipctune"
finish
