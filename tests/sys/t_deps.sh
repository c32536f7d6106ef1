#!/bin/sh
# First contact: 'make run' installs only what building and running
# need, 'make test' and .ci/run everything the tests need.  apt-get and
# dpkg-query are stubs first on PATH that record what would be installed,
# so nothing is installed or removed here.
. "$(dirname "$0")/lib.sh"
enter_private_ns
mkdir "$TMPD/bin"
# dpkg-query -W -f=FORMAT PKG...: the packages named in $INSTALLED
cat >"$TMPD/bin/dpkg-query" <<'STUB'
#!/bin/sh
for p; do
	case $p in -*) continue ;; esac
	case " ${INSTALLED:-} " in
	*" $p "*) echo "$p install ok installed" ;;
	*) echo "dpkg-query: no packages found matching $p" >&2 ;;
	esac
done
STUB
printf '#!/bin/sh\necho "$*" >>"%s/apt.log"\n' "$TMPD" >"$TMPD/bin/apt-get"
chmod +x "$TMPD/bin/dpkg-query" "$TMPD/bin/apt-get"
PATH=$TMPD/bin:$PATH
export PATH
build="gcc make pkg-config libjansson-dev libsmartcols-dev libinih-dev"

# installed: the packages apt-get was asked for, one line
installed() { sed -n 's/^install -y -qq //p' "$TMPD/apt.log" | tr ' ' '\n' |
    sort | tr '\n' ' ' | sed 's/ $//'; }
sorted() { printf '%s\n' $1 | sort | tr '\n' ' ' | sed 's/ $//'; }

: >"$TMPD/apt.log"
check "make deps-build with nothing installed succeeds" \
    env -u BUILD make -s -C "$TOP" deps-build
expect_eq "make deps-build installs only the build and run packages" \
    "$(sorted "$build")" "$(installed)"
: >"$TMPD/apt.log"
check "scripts/deps.sh with nothing installed succeeds" sh "$TOP/scripts/deps.sh"
all=$(installed)
for p in $build check jq python3-jsonschema cppcheck valgrind zsh fish \
    bash-completion strace; do
	case " $all " in *" $p "*) ok "deps.sh (make test) installs $p" ;;
	*) fail "deps.sh (make test) does not install $p" ;; esac
done
for p in prometheus ansible-core facter valgrind clang zsh fish; do
	case " $build " in *" $p "*) fail "make run would install $p" ;;
	*) ok "make run does not install $p" ;; esac
done
: >"$TMPD/apt.log"
INSTALLED="$build gcc" sh "$TOP/scripts/deps.sh" build
expect_eq "all there: apt-get is not run" "" "$(cat "$TMPD/apt.log")"
INSTALLED="gcc make pkg-config libjansson-dev" sh "$TOP/scripts/deps.sh" build
expect_eq "only the missing ones are installed" \
    "libinih-dev libsmartcols-dev" "$(installed)"
expect_status "an unknown set: exit 2" 2 sh "$TOP/scripts/deps.sh" tests

# which target runs which set, and every library the build links
expect_match "make run runs 'deps.sh build'" '^sh scripts/deps.sh build$' \
    "$(env -u BUILD make -n -C "$TOP" run >"$TMPD/n" 2>&1; echo "$TMPD/n")"
env -u BUILD make -n -C "$TOP" test >"$TMPD/n" 2>&1
expect_match "make test runs deps.sh for everything" '^sh scripts/deps.sh$' \
    "$TMPD/n"
expect_match ".ci/run runs deps.sh for everything" '^sh scripts/deps.sh$' \
    "$TOP/.ci/run"
for l in $(sed -n 's/^PKGS *= *//p' "$TOP/Makefile"); do
	case " $build " in *" lib$l-dev "*) ok "make run installs lib$l-dev" ;;
	*) fail "the Makefile links $l, make run does not install it" ;; esac
done
finish
