#!/bin/sh
# apply --runtime, verify and rollback in another IPC namespace (--pid,
# --ns): a "container" is a process in its own IPC namespace, nested in
# the test's private one.  Only that namespace's /proc/sys changes, the
# record names it, rollback and verify go back to it and refuse another
# one, a vanished one, or one that may reuse the inode; --persist is
# refused and no drop-in is ever written for it.
. "$(dirname "$0")/lib.sh"
enter_private_ns pid
save_defaults
umask 077
R=$TMPD/root
D=$R/etc/sysctl.d/zz-ipctune.conf
P=$TMPD/prof
export IPCTUNE_STATE_DIR=$TMPD/state
mkdir -p "$R/etc/sysctl.d" "$P"
chmod 755 "$TMPD" "$P"
cat >"$P/t-raise.conf" <<'EOF2'
[main]
summary = test: raise some limits
[sysctl]
kernel.shmmni = 5000
kernel.msgmax = 65536
kernel.sem = 250  32000  600  32000
fs.mqueue.msg_max = 20
EOF2
apply() { "$IPCTUNE" apply --profile-dir "$P" --sysctl-root "$R" "$@"; }
verify() { "$IPCTUNE" verify --profile-dir "$P" --sysctl-root "$R" "$@"; }

# container CMD: a process in a new IPC namespace; sets CPID
container() {
	unshare --ipc sleep 1000 &
	CPID=$!
	HELD_PIDS="$HELD_PIDS $CPID"
	i=0
	while [ "$(stat -L -c %i /proc/$CPID/ns/ipc 2>/dev/null)" = \
	    "$(stat -L -c %i /proc/self/ns/ipc)" ]; do
		i=$((i + 1)); [ $i -gt 500 ] && break; sleep 0.01
	done
}
# vals PID: the values of PID's IPC namespace, one line
vals() {
	nsenter -t "$1" --ipc sh -c 'cat /proc/sys/kernel/shmmni \
	    /proc/sys/kernel/msgmax /proc/sys/kernel/sem \
	    /proc/sys/fs/mqueue/msg_max' | tr -s ' \t\n' ' '
}
own() {
	cat /proc/sys/kernel/shmmni /proc/sys/kernel/msgmax \
	    /proc/sys/kernel/sem /proc/sys/fs/mqueue/msg_max | tr -s ' \t\n' ' '
}

# our namespace gets values of its own, so a change in it shows
sysctl_set shmmni 4001
sysctl_set msgmax 8193
container
C1=$CPID
ino1=$(stat -L -c %i /proc/$C1/ns/ipc)
check "the container has its own IPC namespace" \
    test "$ino1" != "$(stat -L -c %i /proc/self/ns/ipc)"
own0=$(own)
c0=$(vals "$C1")

# dry run: nothing written, no record
expect_status "apply --dry-run --pid: exit 0" 0 apply -p t-raise --pid "$C1" \
    --runtime --dry-run
expect_match "apply --dry-run --pid: the container's old value" \
    "^kernel.msgmax: 8192 -> 65536 \(dry run\)$" "$TMPD/out"
expect_eq "apply --dry-run --pid: the container unchanged" "$c0" "$(vals "$C1")"
check "apply --dry-run --pid: no record" test ! -e "$TMPD/state/ns-$ino1"

# --persist, or a drop-in, is refused for a namespace: usage error
expect_status "apply --persist --pid: refused (2)" 2 apply -p t-raise \
    --pid "$C1" --persist
expect_match "apply --persist --pid: why" \
    "runtime value in a container lasts only as long as the container" \
    "$TMPD/err"
expect_match "apply --persist --pid: the platform's form" \
    "platform's form" "$TMPD/err"
expect_status "apply --dropin --pid: refused (2)" 2 apply -p t-raise \
    --pid "$C1" --dropin "$D"
expect_status "apply --root: refused (2)" 2 apply -p t-raise --root "$R"
expect_eq "refusals: the container unchanged" "$c0" "$(vals "$C1")"

# the real apply: the container's values only
expect_status "apply --runtime --pid: exit 0" 0 apply -p t-raise --runtime \
    --pid "$C1"
cp "$TMPD/out" "$TMPD/apply.out"
expect_match "apply --pid: old -> new of the container" \
    "^kernel.shmmni: 4096 -> 5000$" "$TMPD/apply.out"
expect_match "apply --pid: the output names the namespace and says it lasts" \
    "^IPC namespace $ino1 \(process $C1\): running values only; they last as long as that namespace" \
    "$TMPD/apply.out"
c1=$(vals "$C1")
expect_eq "apply --pid: the container's shmmni, msgmax, semopm, msg_max" \
    "5000 65536 600 20" "$(echo "$c1" | awk '{print $1, $2, $5, $7}')"
expect_eq "apply --pid: our own values unchanged" "$own0" "$(own)"
check "apply --pid: no drop-in written" test ! -e "$D"
check "apply --pid: the host's record untouched" \
    test ! -e "$TMPD/state/last-apply.json"
rec=$(ls "$TMPD/state/ns-$ino1"/*.json 2>/dev/null | head -1)
check "apply --pid: a record in the namespace's directory" test -n "$rec"
expect_eq "record: the namespace inode" "$ino1" \
    "$(jget .ipc_namespace.inode "$rec")"
expect_eq "record: the process used" "$C1" "$(jget .ipc_namespace.pid "$rec")"
expect_eq "record: not the host's" false "$(jget .ipc_namespace.host "$rec")"
expect_status "apply --pid without --runtime: runtime implied, exit 0" 0 \
    apply -p t-raise --pid "$C1"
expect_match "apply --pid again: nothing to change" \
    "^nothing changed: the running values already match$" "$TMPD/out"
check "apply --pid again: still no drop-in" test ! -e "$D"

# JSON names the namespace
apply -p t-raise --pid "$C1" --format json >"$TMPD/a.json" 2>/dev/null
expect_eq "apply --format json --pid: ipc_namespace.inode" "$ino1" \
    "$(jget .ipc_namespace.inode "$TMPD/a.json")"
check "apply --format json --pid: valid" \
    validate "$SCHEMAS/apply-1.json" "$TMPD/a.json"

# verify: the container's running values, no next boot
expect_status "verify --pid (from the record): compliant, exit 0" 0 \
    verify --pid "$C1"
expect_match "verify --pid: compliant" "^compliant$" "$TMPD/out"
expect_match "verify --pid: next boot not judged" "^next boot: not judged" \
    "$TMPD/out"
verify --pid "$C1" --format json >"$TMPD/v.json"
expect_eq "verify --format json --pid: next_boot null" null \
    "$(jget '.sysctls[0].next_boot' "$TMPD/v.json")"
check "verify --format json --pid: valid" \
    validate "$SCHEMAS/verify-1.json" "$TMPD/v.json"
expect_status "verify here (no record for our namespace): exit 1" 1 verify
expect_match "verify here: nothing applied" "nothing was applied" "$TMPD/err"
nsenter -t "$C1" --ipc sh -c 'echo 100 >/proc/sys/kernel/shmmni'
expect_status "verify --pid: drift in the container: exit 4" 4 \
    verify --pid "$C1"
nsenter -t "$C1" --ipc sh -c 'echo 5000 >/proc/sys/kernel/shmmni'

# another namespace: no record there; a record moved there is refused
container
C2=$CPID
ino2=$(stat -L -c %i /proc/$C2/ns/ipc)
c2=$(vals "$C2")
expect_status "rollback --pid C2: nothing recorded there, exit 0" 0 \
    "$IPCTUNE" rollback --pid "$C2"
expect_match "rollback --pid C2: says so" "^nothing to roll back" "$TMPD/out"
expect_status "rollback here: the host has no record, exit 0" 0 \
    "$IPCTUNE" rollback
expect_eq "rollback here: the container keeps its values" \
    "$c1" "$(vals "$C1")"
mkdir -p "$TMPD/state/ns-$ino2"
cp "$rec" "$TMPD/state/ns-$ino2/"
expect_status "rollback --pid C2 with C1's record: refused, exit 1" 1 \
    "$IPCTUNE" rollback --pid "$C2"
expect_match "rollback --pid C2: another namespace named" \
    "changed another IPC namespace \(inode $ino1, a container's\)" "$TMPD/err"
expect_eq "rollback --pid C2: C2 unchanged" "$c2" "$(vals "$C2")"
rm -rf "$TMPD/state/ns-$ino2"

# rollback through the same PID puts the container's values back
expect_status "rollback --pid --dry-run: exit 0" 0 "$IPCTUNE" rollback \
    --pid "$C1" --dry-run
expect_match "rollback --dry-run: the way back" \
    "^kernel.shmmni: 5000 -> 4096 \(dry run\)$" "$TMPD/out"
expect_status "rollback --pid: exit 0" 0 "$IPCTUNE" rollback --pid "$C1"
expect_eq "rollback --pid: the container's old values" "$c0" "$(vals "$C1")"
expect_eq "rollback --pid: our own values unchanged" "$own0" "$(own)"
expect_status "rollback --pid again: nothing to roll back" 0 \
    "$IPCTUNE" rollback --pid "$C1"

# --ns names the namespace by its file
expect_status "apply --runtime --ns /proc/C1/ns/ipc: exit 0" 0 \
    apply -p t-raise --runtime --ns "/proc/$C1/ns/ipc"
expect_eq "apply --ns: the container's values" \
    "$c1" "$(vals "$C1")"
expect_status "rollback --ns: exit 0" 0 "$IPCTUNE" rollback \
    --ns "/proc/$C1/ns/ipc"
expect_eq "rollback --ns: the container's old values" "$c0" "$(vals "$C1")"

# the process the apply went through is gone, the namespace lives on in
# another one: the inode alone does not prove it is the same namespace
expect_status "apply --pid C1 again: exit 0" 0 apply -p t-raise --pid "$C1"
nsenter -t "$C1" --ipc sleep 1000 &
J=$!
HELD_PIDS="$HELD_PIDS $J"
i=0
while [ "$(stat -L -c %i /proc/$J/ns/ipc 2>/dev/null)" != "$ino1" ]; do
	i=$((i + 1)); [ $i -gt 500 ] && break; sleep 0.01
done
kill "$C1"; wait "$C1" 2>/dev/null
expect_status "rollback --pid C1 after it exited: refused, exit 1" 1 \
    "$IPCTUNE" rollback --pid "$C1"
expect_match "rollback of a vanished process: why" \
    "process $C1 is gone" "$TMPD/err"
expect_status "verify --pid C1 after it exited: refused, exit 1" 1 \
    verify --pid "$C1"
expect_match "verify of a vanished process: why" "process $C1 is gone" \
    "$TMPD/err"
expect_status "apply --pid C1 after it exited: refused, exit 1" 1 \
    apply -p t-raise --pid "$C1"
expect_status "rollback through another member: refused, exit 1" 1 \
    "$IPCTUNE" rollback --pid "$J"
expect_match "rollback through another member: inode may be reused" \
    "process $C1, through which the last apply entered IPC namespace inode $ino1, is gone" \
    "$TMPD/err"
expect_status "rollback --pid J --any-namespace: exit 0" 0 \
    "$IPCTUNE" rollback --pid "$J" --any-namespace
expect_eq "rollback --any-namespace: the old values" "$c0" "$(vals "$J")"
expect_eq "our own values never changed" "$own0" "$(own)"

ipc_reset
finish
