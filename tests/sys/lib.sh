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

# enter_private_ns [pid]: re-run this test file inside a private IPC and
# mount namespace (with "pid": also a private PID namespace and /proc),
# so it may create objects and write /proc/sys/kernel/* freely.  Inside,
# the guard refuses to go on if the IPC namespace is still the host's.
enter_private_ns() {
	if [ -z "${IPCTUNE_IN_NS:-}" ]; then
		rm -rf "$TMPD"
		host_ns=$(stat -L -c %i /proc/self/ns/ipc)
		if [ "${1:-}" = pid ]; then
			exec unshare --ipc --mount --propagation private \
			    --pid --fork --mount-proc \
			    env IPCTUNE_IN_NS="$host_ns" sh "$0"
		fi
		exec unshare --ipc --mount --propagation private \
		    env IPCTUNE_IN_NS="$host_ns" sh "$0"
	fi
	ns_guard
}
# Stop unless the current IPC namespace differs from the host's.
ns_guard() {
	if [ -z "${IPCTUNE_IN_NS:-}" ] ||
	    [ "$(stat -L -c %i /proc/self/ns/ipc)" = "$IPCTUNE_IN_NS" ]; then
		echo "refusing to run: not in a private IPC namespace" >&2
		exit 99
	fi
}
# Remove every IPC object and stop held helpers (private namespace only).
ipc_reset() {
	ns_guard
	for p in $HELD_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	HELD_PIDS=
	ipcrm -a 2>/dev/null
	for f in shmmax shmall shmmni msgmax msgmnb msgmni sem; do
		eval "v=\${DEFAULT_$f:-}"
		[ -n "$v" ] && printf '%s\n' "$v" >/proc/sys/kernel/$f
	done
	return 0
}
HELD_PIDS=
# hold ARGS...: run ipchelper ARGS... hold in the background; wait until
# it prints "ready" (its ids are in $TMPD/held.N); sets HELD_PID.
hold() {
	n=$(( $(echo $HELD_PIDS | wc -w) + 1 ))
	"$HELPER" "$@" hold >"$TMPD/held.$n" 2>&1 &
	HELD_PID=$!
	HELD_PIDS="$HELD_PIDS $HELD_PID"
	i=0
	while ! grep -q '^ready$' "$TMPD/held.$n" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 3000 ] || ! kill -0 "$HELD_PID" 2>/dev/null; then
			echo "helper did not get ready:" >&2
			cat "$TMPD/held.$n" >&2
			return 1
		fi
		sleep 0.01
	done
}
# sysctl_set NAME VALUE: write /proc/sys/kernel/NAME (private namespace).
sysctl_set() {
	ns_guard
	printf '%s\n' "$2" >"/proc/sys/kernel/$1"
}
# Remember the namespace's initial values, for ipc_reset.
save_defaults() {
	for f in shmmax shmall shmmni msgmax msgmnb msgmni sem; do
		eval "DEFAULT_$f=\$(cat /proc/sys/kernel/$f)"
	done
}
# expect_status DESCRIPTION WANT COMMAND...: COMMAND exits with WANT;
# its stdout and stderr are left in $TMPD/out and $TMPD/err.
expect_status() {
	d=$1
	want=$2
	shift 2
	"$@" >"$TMPD/out" 2>"$TMPD/err"
	got=$?
	if [ "$got" = "$want" ]; then ok "$d"; else
		fail "$d: exit status $got, expected $want"
		sed 's/^/    /' "$TMPD/err" | head -5
	fi
}
# expect_match DESCRIPTION REGEX FILE: FILE has a line matching REGEX.
expect_match() {
	if grep -Eq -- "$2" "$3"; then ok "$1"; else
		fail "$1: no line matches '$2' in:"
		sed 's/^/    /' "$3" | head -5
	fi
}
# jget JQ-FILTER FILE: the filter's value, raw.
jget() { jq -r "$1" "$2"; }
# The Debian python3 with python3-jsonschema, for the schema checks.
PYTHON=${PYTHON:-/usr/bin/python3}
[ -x "$PYTHON" ] || PYTHON=python3
SCHEMAS=$TOP/contrib/schema
# validate SCHEMA DOCUMENT: 0 if DOCUMENT validates against SCHEMA.
validate() { "$PYTHON" "$TOP/tests/sys/validate.py" "$1" "$2"; }
# wait_comm PID NAME: until process PID runs NAME (/proc/PID/comm), as a
# process started by 'unshare ... NAME' or 'setpriv ... NAME' does once
# its namespaces and ids are set; 1 if it did not within 60 s or ended
wait_comm() {
	_wc=0
	until [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; do
		_wc=$((_wc + 1))
		[ $_wc -gt 3000 ] || ! kill -0 "$1" 2>/dev/null && return 1
		sleep 0.02
	done
}
