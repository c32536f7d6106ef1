#!/bin/sh
# namespaces, --container and --all-namespaces: every IPC namespace under
# our private /proc, found with its processes, limits, usage and /dev/shm.
# Plain namespaces (unshare) for a pod-like layout (one IPC namespace,
# two PID namespaces), 200 namespaces and namespaces that die during the
# scan; real podman containers (offline, --network=none, a scratch store)
# for their ids, names, --ipc=container:, a pod, --sysctl and --shm-size.
. "$(dirname "$0")/lib.sh"
enter_private_ns pid
save_defaults
NS="$TMPD/ns.json"

# wait_ready FILE: until FILE has a line "ready" (5 s at most)
wait_ready() {
	i=0
	until grep -q '^ready$' "$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 500 ] && return 1; sleep 0.01
	done
}
# nsq INODE FILTER: FILTER applied to namespace INODE of $NS
nsq() { jq -r --argjson i "$1" ".namespaces[] | select(.ipc_ns == \$i) | $2" "$NS"; }
# fig INODE RESOURCE FIELD: the figure of a resource of namespace INODE
fig() { nsq "$1" ".figures.resources[] | select(.resource == \"$3\") | .$2"; }

# --- a pod-like layout: one IPC namespace, two PID namespaces ---------
unshare --ipc sh -c '
	echo 16384 >/proc/sys/kernel/msgmax
	unshare --pid --fork "$HELPER" msg count=3 hold &
	unshare --pid --fork "$HELPER" sem nsems=5 hold &
	wait' >"$TMPD/pod.out" 2>&1 &
POD=$!
HELD_PIDS=$POD
i=0
until [ "$(grep -c '^ready$' "$TMPD/pod.out" 2>/dev/null)" = 2 ]; do
	i=$((i + 1)); [ $i -gt 500 ] && break; sleep 0.01
done
pino=$(stat -L -c %i /proc/$POD/ns/ipc)
"$IPCTUNE" namespaces --format json >"$NS"
expect_status "namespaces exits 0" 0 "$IPCTUNE" namespaces
check "namespaces: the table names the pod-like namespace" \
    grep -q "^ *$pino " "$TMPD/out"
expect_eq "pod-like: one namespace for two PID namespaces" 1 \
    "$(jq "[.namespaces[] | select(.ipc_ns == $pino)] | length" "$NS")"
expect_eq "pod-like: its processes (sh, 2 unshare, 2 helpers)" 5 \
    "$(nsq "$pino" .processes)"
expect_eq "pod-like: the lowest PID represents it" "$POD" \
    "$(nsq "$pino" .pid)"
expect_eq "pod-like: 3 queues of both PID namespaces" 3 \
    "$(fig "$pino" used msgmni)"
expect_eq "pod-like: 5 semaphores" 5 "$(fig "$pino" used semmns)"
expect_eq "pod-like: its own msgmax" 16384 \
    "$(nsq "$pino" '.figures.sysctls["kernel.msgmax"]')"
expect_eq "pod-like: its limits differ from the host's in msgmax" \
    "kernel.msgmax" "$(nsq "$pino" '.differing_sysctls | join(",")')"
expect_eq "the host is our PID 1's namespace" \
    "$(stat -L -c %i /proc/1/ns/ipc)" "$(jget .host_ipc_ns "$NS")"
expect_eq "the host's limits are not 'differing'" "[]" \
    "$(jq -c '.namespaces[] | select(.host) | .differing_sysctls' "$NS")"
check "namespaces JSON validates against its schema" \
    validate "$SCHEMAS/namespaces.schema.json" "$NS"
check "status --all-namespaces --format prometheus: the pod's series" \
    sh -c "'$IPCTUNE' status --all-namespaces --format prometheus |
    grep -q 'ipctune_used{resource=\"msgmni\",ipc_ns=\"$pino\"'"

# tightest first: fill the pod-like namespace's msgmni
nsenter -t "$POD" -i sh -c 'echo 4 >/proc/sys/kernel/msgmni'
"$IPCTUNE" namespaces --format json >"$NS"
expect_eq "sorted by the tightest resource: the full one first" "$pino" \
    "$(jq '.namespaces[0].ipc_ns' "$NS")"
expect_eq "its tightest resource is msgmni" "msgmni 0.75" \
    "$(jq -r '.namespaces[0].tightest | "\(.resource) \(.ratio)"' "$NS")"

# check --pid judges the namespace of the process, not ours
expect_status "check --pid: a namespace at 3 of 4 queues warns" 1 \
    "$IPCTUNE" check --pid "$POD" -w 70% -c 90%
expect_match "check --pid names msgmni" "msgmni 75.0%" "$TMPD/out"
nsenter -t "$POD" -i sh -c 'echo 3 >/proc/sys/kernel/msgmni'
expect_status "check --pid: msgsnd's exhausted namespace is CRITICAL" 2 \
    "$IPCTUNE" check --pid "$POD"
expect_status "check: our own namespace is OK" 0 "$IPCTUNE" check
expect_status "check --all-namespaces: CRITICAL from the worst" 2 \
    "$IPCTUNE" check --all-namespaces
expect_match "check --all-namespaces names the worst namespace" \
    "IPC CRITICAL - namespace $pino .*msgmni 100.0%" "$TMPD/out"

# idle namespaces only with --all
unshare --ipc sleep 60 &
IDLE=$!
HELD_PIDS="$HELD_PIDS $IDLE"
sleep 0.1
iino=$(stat -L -c %i /proc/$IDLE/ns/ipc)
"$IPCTUNE" namespaces --format json >"$NS"
expect_eq "an idle namespace is left out" "" "$(nsq "$iino" .ipc_ns)"
"$IPCTUNE" namespaces --all --format json >"$NS"
expect_eq "--all shows the idle namespace" "true" "$(nsq "$iino" .idle)"
ipc_reset

# --- 200 namespaces ---------------------------------------------------
pids=
n=0
while [ $n -lt 200 ]; do
	unshare --ipc sleep 120 &
	pids="$pids $!"
	n=$((n + 1))
done
HELD_PIDS=$pids
sleep 0.5
"$IPCTUNE" namespaces --all --format json >"$NS"
expect_eq "200 namespaces and ours, each read" 201 \
    "$(jq '[.namespaces[] | select(.state == "read")] | length' "$NS")"
expect_eq "each of the 200 with one process" 200 \
    "$(jq '[.namespaces[] | select(.processes == 1 and (.host | not))] | length' "$NS")"

# --- namespaces whose processes exit during the scan ------------------
# 200 namespaces die while ten scans run: never an error exit, every
# document complete, every namespace read or gone
for p in $pids; do kill "$p" 2>/dev/null; done
bad=0
gone=0
k=0
while [ $k -lt 10 ]; do
	"$IPCTUNE" namespaces --all --format json >"$NS.$k" 2>"$TMPD/err.$k" ||
	    bad=$((bad + 1))
	jq -e '.namespaces | all(.state == "read" or .state == "gone")' \
	    "$NS.$k" >/dev/null 2>&1 || bad=$((bad + 1))
	g=$(jq '[.namespaces[] | select(.state == "gone")] | length' \
	    "$NS.$k" 2>/dev/null)
	gone=$((gone + ${g:-0}))
	k=$((k + 1))
done
for p in $pids; do wait "$p" 2>/dev/null; done
HELD_PIDS=
expect_eq "dying namespaces: ten scans exit 0 with whole documents" 0 "$bad"
echo "# namespaces seen gone during the scans: $gone"
# the race made certain: a namespace that dies between the listing and
# the reading (strace holds the fork of the reader for 300 ms)
unshare --ipc sh -c "exec $HELPER msg count=1 hold" >/dev/null 2>&1 &
D=$!
sleep 0.1
dino=$(stat -L -c %i /proc/$D/ns/ipc)
strace -o /dev/null -e trace=clone,clone3 \
    -e inject=clone,clone3:delay_enter=300000:when=1 \
    "$IPCTUNE" namespaces --all --format json >"$NS" 2>"$TMPD/err" &
S=$!
sleep 0.15
kill "$D"
wait "$D" 2>/dev/null
wait "$S"
expect_eq "a namespace that died during the scan: exit 0" 0 "$?"
expect_eq "a namespace that died during the scan is shown as gone" gone \
    "$(nsq "$dino" .state)"

finish
