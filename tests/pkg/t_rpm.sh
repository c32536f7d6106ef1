#!/bin/sh
# ipctune.spec, checked as far as a Debian machine can check it honestly:
# rpmspec parses it, 'rpmbuild -bb --nodeps' builds a package from a
# tarball of the tree (BuildRequires are not checked: Debian has no RPM
# database of them; the distributions' strip and compress steps are
# run: brp-compress with bash, as Debian's rpm runs it with dash, and a
# strip where find-debuginfo would split the debug information off),
# 'make install' puts there, its binary runs, rpm installs and erases it
# in a scratch root, and rpmlint reports no error or warning beyond the
# ones explained in tests/pkg/rpmlintrc.  Not checked here: the
# BuildRequires names on RHEL and SLES, the systemd scriptlets (Debian's
# rpm has no systemd-rpm-macros), a real install on those systems.
# Usage: sh tests/pkg/t_rpm.sh     (or: make rpm-test)
. "$(dirname "$0")/../sys/lib.sh"

for t in rpmspec rpmbuild rpmlint rpm2cpio cpio; do
	command -v $t >/dev/null 2>&1 ||
	    { fail "$t is needed (apt-get install rpm rpmlint)"; finish; exit 1; }
done
VERSION=$(sed -n 's/^VERSION *= *//p' "$TOP/Makefile")
SPEC=$TOP/ipctune.spec

check "rpmspec parses ipctune.spec" rpmspec -P "$SPEC"
expect_eq "the spec's version is the Makefile's" "$VERSION" \
    "$(rpmspec -q --srpm --qf '%{version}' "$SPEC" 2>/dev/null)"
req=$(rpmspec -q --buildrequires "$SPEC" 2>/dev/null | tr '\n' ' ')
for r in 'pkgconfig(jansson)' 'pkgconfig(smartcols)' 'pkgconfig(inih)' gcc \
    make; do
	case " $req" in *" $r "*) ok "BuildRequires $r" ;;
	*) fail "BuildRequires lacks $r: $req" ;; esac
done
# every library the Makefile links through pkg-config is build-required
for p in $(sed -n 's/^PKGS *= *//p' "$TOP/Makefile"); do
	case " $req" in *"pkgconfig($p)"*) ;;
	*) fail "the Makefile links $p but the spec does not require it" ;;
	esac
done

R=$TMPD/rpm
mkdir -p "$R/SOURCES"
(cd "$TOP" && tar --exclude=./build --exclude=./ipctune --exclude=./.git \
    --exclude='./build-*' --transform "s|^\./|ipctune-$VERSION/|" \
    -czf "$R/SOURCES/ipctune-$VERSION.tar.gz" .)
t0=$(date +%s)
if env -u BUILD rpmbuild -bb --nodeps --define "_topdir $R" \
    --define '__os_install_post bash /usr/lib/rpm/brp-compress; %{__strip} --strip-unneeded %{buildroot}%{_sbindir}/ipctune' \
    "$SPEC" >"$TMPD/build.log" 2>&1; then
	ok "rpmbuild -bb --nodeps ($(($(date +%s) - t0)) s)"
else
	fail "rpmbuild failed"
	tail -20 "$TMPD/build.log" | sed 's/^/    /'
	finish
	exit 1
fi
RPM=$(ls "$R"/RPMS/*/ipctune-"$VERSION"-*.rpm)

# the file list: what 'make install' installs, in the RPM paths
{
	echo /usr/sbin/ipctune
	echo /usr/share/man/man8/ipctune.8.gz
	echo /usr/share/man/man5/ipctune-profile.5.gz
	echo /usr/share/bash-completion/completions/ipctune
	echo /usr/share/zsh/site-functions/_ipctune
	echo /usr/share/fish/vendor_completions.d/ipctune.fish
	echo /usr/share/ipctune/facts/ipctune.fact
	echo /usr/lib64/nagios/plugins/check_ipctune
	echo "/usr/share/doc/ipctune-$VERSION/README.md"
	for f in "$TOP"/profiles/*.conf; do
		echo "/usr/share/ipctune/profiles/${f##*/}"
	done
	for f in "$TOP"/contrib/schema/*.json; do
		echo "/usr/share/ipctune/schema/${f##*/}"
	done
	for f in "$TOP"/contrib/systemd/*.service "$TOP"/contrib/systemd/*.timer
	do
		echo "/usr/lib/systemd/system/${f##*/}"
	done
} | sort >"$TMPD/want"
# files only: the directories the spec owns are checked below
rpm -qp --qf '[%{FILENAMES} %{FILEMODES:perms}\n]' "$RPM" 2>/dev/null |
    awk '$2 !~ /^d/ { print $1 }' | grep -v '^/usr/lib/\.build-id/' |
    sort >"$TMPD/got"
if cmp -s "$TMPD/want" "$TMPD/got"; then
	ok "the package holds exactly the expected $(wc -l <"$TMPD/want") files"
else
	fail "the package's file list differs (< expected, > packaged):"
	diff "$TMPD/want" "$TMPD/got" | sed -n 's/^\([<>]\)/    \1/p'
fi
for d in /usr/share/ipctune /usr/lib64/nagios/plugins; do
	rpm -qlp "$RPM" 2>/dev/null | grep -qx "$d" &&
	    ok "the package owns $d" || fail "the package does not own $d"
done
rpm -qp --requires "$RPM" 2>/dev/null >"$TMPD/requires"
for l in libjansson libsmartcols libinih; do
	grep -q "^$l\.so" "$TMPD/requires" && ok "Requires $l (found by rpm)" ||
	    fail "Requires lacks $l"
done

# what is inside runs
mkdir "$TMPD/x"
(cd "$TMPD/x" && rpm2cpio "$RPM" | cpio -idm --quiet)
expect_eq "the packaged binary runs" "ipctune $VERSION" \
    "$("$TMPD/x/usr/sbin/ipctune" -V 2>&1)"
grep -q '^ExecStart=/usr/sbin/ipctune ' \
    "$TMPD/x/usr/lib/systemd/system/ipctune-record.service" &&
    ok "the service runs /usr/sbin/ipctune" || fail "the service's ExecStart"
grep -q '^exec /usr/sbin/ipctune check ' \
    "$TMPD/x/usr/lib64/nagios/plugins/check_ipctune" &&
    ok "check_ipctune runs /usr/sbin/ipctune check" ||
    fail "check_ipctune does not run /usr/sbin/ipctune"
check "hardening-check on the packaged binary" \
    hardening-check --nocfprotection "$TMPD/x/usr/sbin/ipctune"

# rpm itself installs and erases it (a scratch root; no scriptlets run)
SR=$TMPD/sysroot
mkdir -p "$SR"
check "rpm --root installs it" rpm --root "$SR" --nodeps --noscripts \
    -i "$RPM"
check "rpm -V: the installed files are intact" rpm --root "$SR" -V --nodeps \
    ipctune
check "rpm --root erases it" rpm --root "$SR" -e ipctune
# (the database: rpm's dbpath, ~/.rpmdb with Debian's rpm)
left=$(cd "$SR" && find . ! -type d ! -path './var/lib/rpm/*' \
    ! -path './usr/lib/sysimage/*' ! -path './root/.rpmdb/*' \
    ! -path './var/tmp/*' -print)
expect_eq "... and erasing leaves no file behind" "" "$left"

if rpmlint -c "$TOP/tests/pkg/rpmlint.toml" -r "$TOP/tests/pkg/rpmlintrc" \
    "$RPM" "$SPEC" \
    >"$TMPD/rpmlint" 2>&1; then
	:
fi
bad=$(grep -E '^[^ ]+: [EW]: ' "$TMPD/rpmlint")
expect_eq "rpmlint: no error or warning beyond tests/pkg/rpmlintrc" "" "$bad"
grep -q 'errors*, .* warnings*' "$TMPD/rpmlint" ||
    fail "rpmlint printed no summary: $(tail -3 "$TMPD/rpmlint")"
finish
