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
# the sleep process is unshare's exec'd child: the same pid, running
# sleep once its namespace and (for nobp) its ids are set
for p in $rootp $nobp; do
	wait_comm "$p" sleep || fail "process $p did not start sleep"
	[ "$(stat -L -c %i /proc/$p/ns/ipc)" != "$(stat -L -c %i /proc/self/ns/ipc)" ] ||
	    fail "process $p is not in a private IPC namespace"
done

# what each command needs besides --pid/--ns to get as far as reading
# the kernel (commands not listed need nothing)
args_for() {
	case "$1" in
	fit) echo "--shm-size 1M" ;;
	clean) echo "--all-orphans" ;;
	profiles) echo "show db2" ;;
	recommend) echo "-p db2" ;;
	apply) echo "-p db2 --runtime" ;;
	plan) echo "-p db2 -n 1" ;;
	show) echo "shm 0" ;;
	explain) echo "--call semget --nsems 1 --errno ENOSPC" ;;
	esac
}
# exit status of a failure: 1, or 3 (UNKNOWN) for the monitoring plugin
want_for() { if [ "$1" = check ]; then echo 3; else echo 1; fi; }

# nobody_case DESC CMD PATTERN ARGS...: as nobody, CMD fails with its
# failure status, PATTERN is named on stderr (on stdout for check), and
# nothing else is printed; a command that does not take --pid/--ns may
# refuse it as a usage error (exit 2)
nobody_case() {
	d=$1
	c=$2
	pat=$3
	shift 3
	want=$(want_for "$c")
	# shellcheck disable=SC2046
	IPCTUNE_STATE_DIR=$TMPD/state LIMIT_SECONDS=20 run_limited $NOBODY \
	    "$IPCTUNE" "$c" "$@" $(args_for "$c") >"$TMPD/p.out" 2>"$TMPD/p.err"
	rc=$?
	if [ "$rc" = 2 ] && grep -q 'does not take' "$TMPD/p.err"; then
		ok "$d: refused as a usage error"
		return
	fi
	if [ "$c" = check ]; then
		msg=$TMPD/p.out
		extra=$TMPD/p.err
		[ "$(wc -l <"$TMPD/p.out")" -le 1 ] || extra=$TMPD/p.out
	else
		msg=$TMPD/p.err
		extra=$TMPD/p.out
	fi
	if [ "$rc" != "$want" ]; then
		fail "$d: exit $rc, expected $want"
		sed 's/^/    /' "$TMPD/p.err" | head -5
	elif ! grep -qi "$pat" "$msg"; then
		fail "$d: message lacks '$pat'"
		sed 's/^/    /' "$msg" | head -5
	elif [ "$extra" = "$TMPD/p.out" ] && [ -s "$TMPD/p.out" ] &&
	    [ "$c" != check ]; then
		fail "$d: partial report on stdout"
		head -3 "$TMPD/p.out" | sed 's/^/    /'
	elif [ "$c" = check ] && [ "$extra" = "$TMPD/p.out" ]; then
		fail "$d: more than the one UNKNOWN line"
	else
		ok "$d"
	fi
}

mkdir -p "$TMPD/state"
chown 65534:65534 "$TMPD/state"
cmds=$("$IPCTUNE" __complete commands)
for c in $cmds; do
	cap=CAP_SYS_ADMIN
	# watch's --pid and --ns filter events; BPF is what nobody lacks
	[ "$c" = watch ] && cap="cannot use BPF: permission denied"
	nobody_case "nobody: $c --pid (root's namespace)" "$c" \
	    "permission denied" --pid "$rootp"
	nobody_case "nobody: $c --ns (root's namespace)" "$c" \
	    "permission denied" --ns /proc/$rootp/ns/ipc
	nobody_case "nobody: $c --pid (own process, other namespace)" "$c" \
	    "$cap" --pid "$nobp"
	nobody_case "nobody: $c --ns (own process, other namespace)" "$c" \
	    "$cap" --ns /proc/$nobp/ns/ipc
	nobody_case "nobody: $c --pid 1" "$c" "permission denied" --pid 1
done
expect_eq "nobody's failed runs recorded nothing" "" \
    "$(find "$TMPD/state" -type f)"

# root may enter both, and the report is of the other namespace
for p in $rootp $nobp; do
	ino=$(stat -L -c %i /proc/$p/ns/ipc)
	got=$("$IPCTUNE" status --pid "$p" --format json 2>"$TMPD/r.err" |
	    jq -r '.ipc_namespace.inode')
	expect_eq "root: status --pid $p reports namespace $ino" "$ino" "$got"
done
finish
