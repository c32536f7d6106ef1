#!/bin/sh
# --pid and --ns switch the IPC namespace only, never privileges: a
# non-root caller (setpriv to nobody) gets a clear error and exit 1 from
# every command, and no partial report on stdout.  Root gets the report.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rlib.sh"
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
if [ "$(id -u)" -ne 0 ]; then
	fail "this suite needs root (to create namespaces and drop to nobody)"
	finish
	exit
fi
chmod 1777 "$TMPD"
# a root process and a nobody process, each in its own IPC namespace
unshare --ipc sleep 300 &
rootp=$!
unshare --ipc $NOBODY sleep 300 &
nobp=$!
trap 'kill $rootp $nobp 2>/dev/null; rm -rf "$TMPD"' EXIT
sleep 0.3
# the sleep process is unshare's exec'd child: the same pid
for p in $rootp $nobp; do
	[ "$(stat -L -c %i /proc/$p/ns/ipc)" != "$(stat -L -c %i /proc/self/ns/ipc)" ] ||
	    fail "process $p is not in a private IPC namespace"
done

# nobody_case DESC PATTERN ARGS...: as nobody, exit 1, PATTERN named, no
# stdout; a command that does not take --pid/--ns may say so (exit 2)
nobody_case() {
	d=$1
	pat=$2
	shift 2
	LIMIT_SECONDS=20 run_limited $NOBODY "$IPCTUNE" "$@" \
	    >"$TMPD/p.out" 2>"$TMPD/p.err"
	rc=$?
	if [ "$rc" = 2 ] && grep -q 'does not take' "$TMPD/p.err"; then
		ok "$d: refused as a usage error"
		return
	fi
	if [ "$rc" != 1 ]; then
		fail "$d: exit $rc, expected 1"
		sed 's/^/    /' "$TMPD/p.err" | head -5
	elif ! grep -q "^ipctune: .*$pat" "$TMPD/p.err"; then
		fail "$d: message lacks '$pat'"
		sed 's/^/    /' "$TMPD/p.err" | head -5
	elif [ -s "$TMPD/p.out" ]; then
		fail "$d: partial report on stdout"
		head -3 "$TMPD/p.out" | sed 's/^/    /'
	else
		ok "$d"
	fi
}

cmds=$("$IPCTUNE" __complete commands)
for c in $cmds; do
	nobody_case "nobody: $c --pid (root's namespace)" \
	    "permission denied\|Permission denied" "$c" --pid "$rootp"
	nobody_case "nobody: $c --ns (root's namespace)" \
	    "permission denied\|Permission denied" "$c" --ns /proc/$rootp/ns/ipc
	nobody_case "nobody: $c --pid (own process, other namespace)" \
	    "CAP_SYS_ADMIN" "$c" --pid "$nobp"
	nobody_case "nobody: $c --ns (own process, other namespace)" \
	    "CAP_SYS_ADMIN" "$c" --ns /proc/$nobp/ns/ipc
	nobody_case "nobody: $c --pid 1" \
	    "permission denied\|Permission denied" "$c" --pid 1
done

# root may enter both, and the report is of the other namespace
for p in $rootp $nobp; do
	ino=$(stat -L -c %i /proc/$p/ns/ipc)
	got=$("$IPCTUNE" status --pid "$p" --format json 2>"$TMPD/r.err" |
	    jq -r '.ipc_namespace.inode')
	expect_eq "root: status --pid $p reports namespace $ino" "$ino" "$got"
done
finish
