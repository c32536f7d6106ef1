# Shared helpers for the shell suites in tests/sys.  Source it, call
# check/ok/fail, and end with 'finish'.  Tests run the real binary
# against the real kernel, each inside private namespaces (innerns), so
# the host's IPC objects and /proc/sys are never touched.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
IPCTUNE=${IPCTUNE:-$TOP/ipctune}
HELPER=$BUILD/tests/ipchelper
TMPD=$(mktemp -d /tmp/ipctune-test.XXXXXX)
trap '[ -n "${KEEP_TMPD:-}" ] || rm -rf "$TMPD"' EXIT
export TOP BUILD IPCTUNE HELPER TMPD
T_PASS=0
T_FAIL=0

ok() { T_PASS=$((T_PASS + 1)); echo "ok - $*"; }
fail() { T_FAIL=$((T_FAIL + 1)); echo "FAIL - $*"; }
# check DESCRIPTION COMMAND...: pass if COMMAND exits 0
check() {
	d=$1
	shift
	if "$@" >"$TMPD/check.out" 2>&1; then ok "$d"; else
		fail "$d"
		sed 's/^/    /' "$TMPD/check.out" | head -20
	fi
}
# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		fail "$1: expected '$2', got '$3'"
	fi
}
# Run a shell snippet in a private IPC (and mount) namespace.
in_ipcns() { unshare --ipc --mount --propagation private sh -c "$1"; }
finish() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}
