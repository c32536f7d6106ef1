#!/bin/sh
# --pid and --ns: a process in another IPC namespace (a "container")
# is reported with its own objects, limits and namespace inode; an
# unprivileged caller and a missing PID get a clear error and exit 1.
. "$(dirname "$0")/lib.sh"
enter_private_ns pid
save_defaults

# our namespace: 2 segments and shmmni 4000
sysctl_set shmmni 4000
"$HELPER" -q shm size=1 count=2 >/dev/null
# the container: its own IPC namespace with 3 segments, 1 array and
# odd limits, held by a helper running inside it
unshare --ipc sh -c '
	echo 77 >/proc/sys/kernel/shmmni
	echo "250 1000 32 99" >/proc/sys/kernel/sem
	exec "$HELPER" shm size=5000 count=3 sem nsems=4 hold' \
    >"$TMPD/c.out" 2>&1 &
CPID=$!
HELD_PIDS=$CPID
i=0
until grep -q '^ready$' "$TMPD/c.out" 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 500 ] && break; sleep 0.01
done
check "the container helper is ready" grep -q '^ready$' "$TMPD/c.out"
cino=$(stat -L -c %i /proc/$CPID/ns/ipc)
check "the container has its own IPC namespace" \
    test "$cino" != "$(stat -L -c %i /proc/self/ns/ipc)"

"$IPCTUNE" --pid "$CPID" status --format json >"$TMPD/s.json"
expect_eq "status --pid: the namespace inode is the process's" "$cino" \
    "$(jget .ipc_namespace.inode "$TMPD/s.json")"
expect_eq "status --pid: the PID is named" "$CPID" \
    "$(jget .ipc_namespace.pid "$TMPD/s.json")"
expect_eq "status --pid: the container's shmmni limit" 77 \
    "$(jget '.resources[] | select(.name == "shmmni") | .limit' "$TMPD/s.json")"
expect_eq "status --pid: the container's 3 segments" 3 \
    "$(jget '.resources[] | select(.name == "shmmni") | .used' "$TMPD/s.json")"
expect_eq "status --pid: the container's 2 pages per 5000-byte segment" 6 \
    "$(jget '.resources[] | select(.name == "shmall") | .used' "$TMPD/s.json")"
expect_eq "status --pid: the container's kernel.sem" "250 1000 32 99" \
    "$(jget '.sysctls["kernel.sem"] | "\(.semmsl) \(.semmns) \(.semopm) \(.semmni)"' "$TMPD/s.json")"
"$IPCTUNE" status --pid "$CPID" >"$TMPD/t"
expect_match "the table names the namespace and the process" \
    "^IPC namespace $cino of process $CPID on " "$TMPD/t"
"$IPCTUNE" list --pid "$CPID" --format json >"$TMPD/l.json"
expect_eq "list --pid: the container's objects" "3 1 0" \
    "$(jget '"\(.shm | length) \(.sem | length) \(.msg | length)"' "$TMPD/l.json")"
expect_eq "list --pid: the segments' creator is the helper" "$CPID $CPID $CPID" \
    "$(jget '[.shm[].cpid | tostring] | join(" ")' "$TMPD/l.json")"
for r in syscall procfs; do
	"$IPCTUNE" list shm --pid "$CPID" --reader $r --format json |
	    jq -c '.shm | map(del(.rss_bytes, .swap_bytes))' >"$TMPD/$r"
done
check "list --pid: both readers agree inside the container" \
    cmp "$TMPD/syscall" "$TMPD/procfs"
"$IPCTUNE" owners --pid "$CPID" --format json >"$TMPD/o.json"
expect_eq "owners --pid: root holds the 3 segments and 4 semaphores" "3 4" \
    "$(jget '.owners[] | select(.uid == 0) | "\(.shm_segments) \(.sem_semaphores)"' "$TMPD/o.json")"
"$IPCTUNE" --ns /proc/$CPID/ns/ipc status --format json >"$TMPD/n.json"
expect_eq "--ns PATH: the same namespace" "$cino 77" \
    "$(jget '"\(.ipc_namespace.inode) \(.resources[0].limit)"' "$TMPD/n.json")"
expect_eq "--ns PATH: the path is named" "/proc/$CPID/ns/ipc" \
    "$(jget .ipc_namespace.path "$TMPD/n.json")"
"$IPCTUNE" snapshot --pid "$CPID" >"$TMPD/snap.json"
expect_eq "snapshot --pid: the container's namespace and objects" "$cino 3" \
    "$(jget '"\(.ipc_namespace.inode) \(.objects.shm | length)"' "$TMPD/snap.json")"

# our own namespace is unchanged
"$IPCTUNE" status --format json >"$TMPD/s.json"
expect_eq "without --pid: our namespace, 2 segments of 4000" "2 4000" \
    "$(jget '.resources[] | select(.name == "shmmni") | "\(.used) \(.limit)"' "$TMPD/s.json")"
expect_eq "without --pid: our inode" "$(stat -L -c %i /proc/self/ns/ipc)" \
    "$(jget .ipc_namespace.inode "$TMPD/s.json")"

# errors: unprivileged, missing PID, not an IPC namespace
for cmd in status list owners snapshot; do
	expect_status "$cmd --pid as uid 65534: exit 1" 1 \
	    setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$IPCTUNE" $cmd --pid "$CPID"
	check "$cmd --pid as uid 65534: nothing on stdout (no partial report)" \
	    test ! -s "$TMPD/out"
	expect_match "$cmd --pid as uid 65534: a clear error" \
	    "^ipctune: cannot .*(ns/ipc|namespace).*[Pp]ermission denied.*run as root" \
	    "$TMPD/err"
done
expect_status "status --pid --format json as uid 65534: exit 1" 1 \
    setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$IPCTUNE" status --format json --pid "$CPID"
expect_eq "... stdout is an error document, not a partial report" \
    "error null" "$(jq -r '"\(.document) \(.resources)"' "$TMPD/out")"
missing=99999
while [ -e /proc/$missing ]; do missing=$((missing + 1)); done
expect_status "--pid of a missing process: exit 1" 1 \
    "$IPCTUNE" status --pid $missing
expect_match "--pid of a missing process: a clear error" \
    "^ipctune: .*process $missing: no such process" "$TMPD/err"
check "--pid of a missing process: nothing on stdout" test ! -s "$TMPD/out"
expect_status "--ns of a network namespace: exit 1" 1 \
    "$IPCTUNE" status --ns /proc/self/ns/net
expect_match "--ns of a network namespace: not an IPC namespace" \
    "not an IPC namespace" "$TMPD/err"
expect_status "--ns of a missing file: exit 1" 1 \
    "$IPCTUNE" status --ns "$TMPD/nope"
expect_match "--ns of a missing file: named" "'$TMPD/nope'" "$TMPD/err"
expect_status "--pid 0: usage error" 2 "$IPCTUNE" status --pid 0
expect_status "--pid abc: usage error" 2 "$IPCTUNE" status --pid abc
expect_status "--pid with --ns: usage error" 2 \
    "$IPCTUNE" status --pid "$CPID" --ns /proc/$CPID/ns/ipc
expect_status "--pid with --root: usage error" 2 \
    "$IPCTUNE" status --pid "$CPID" --root "$TOP/tests/fixtures/root64"
ipc_reset
finish
