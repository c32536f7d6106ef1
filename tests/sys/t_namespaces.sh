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

# wait_ready FILE: until FILE has a line "ready" (60 s at most)
wait_ready() {
	i=0
	until grep -q '^ready$' "$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 6000 ] && return 1; sleep 0.01
	done
}
# kill_ns INODE: kill every process of ours in IPC namespace INODE (the
# init of a PID namespace ignores SIGTERM from outside: SIGKILL)
kill_ns() {
	for l in /proc/[0-9]*/ns/ipc; do
		[ "$(stat -L -c %i "$l" 2>/dev/null)" = "$1" ] || continue
		p=${l#/proc/}; p=${p%%/*}
		[ "$p" = $$ ] || kill -KILL "$p" 2>/dev/null
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
	i=$((i + 1)); [ $i -gt 6000 ] && break; sleep 0.01
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
    validate "$SCHEMAS/namespaces-1.json" "$NS"
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
wait_comm "$IDLE" sleep || fail "the idle namespace's sleep did not start"
iino=$(stat -L -c %i /proc/$IDLE/ns/ipc)
"$IPCTUNE" namespaces --format json >"$NS"
expect_eq "an idle namespace is left out" "" "$(nsq "$iino" .ipc_ns)"
"$IPCTUNE" namespaces --all --format json >"$NS"
expect_eq "--all shows the idle namespace" "true" "$(nsq "$iino" .idle)"
kill_ns "$pino"
ipc_reset

# not root: only what it may see, with a warning, never a failure
cp "$IPCTUNE" "$TMPD/ipctune" && chmod 755 "$TMPD" "$TMPD/ipctune"
expect_status "not root: namespaces exits 0" 0 setpriv --reuid=65534 \
    --regid=65534 --clear-groups "$TMPD/ipctune" namespaces --format json
expect_match "not root: a warning says processes were hidden" \
    "process(es)? could not be inspected.*run as root" "$TMPD/err"
check "not root: the hidden processes are counted" \
    jq -e '.processes_unreadable > 0' "$TMPD/out"

# --- 200 namespaces ---------------------------------------------------
pids=
n=0
while [ $n -lt 200 ]; do
	unshare --ipc sleep 120 &
	pids="$pids $!"
	n=$((n + 1))
done
HELD_PIDS=$pids
for p in $pids; do
	wait_comm "$p" sleep || { fail "namespace $p did not start"; break; }
done
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
# the reading (strace holds the reader's open of its namespace until the
# namespace's process is killed)
unshare --ipc sh -c "exec $HELPER msg count=1 hold" >"$TMPD/d.out" 2>&1 &
D=$!
wait_ready "$TMPD/d.out" || fail "the dying namespace's helper did not start"
dino=$(stat -L -c %i /proc/$D/ns/ipc)
# (LeakSanitizer cannot run under ptrace)
ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 \
    strace -f -o "$TMPD/strace" -P "/proc/$D/ns/ipc" -e trace=openat \
    -e inject=openat:delay_enter=2000000:when=1 \
    "$IPCTUNE" namespaces --all --format json >"$NS" 2>"$TMPD/err" &
S=$!
i=0
until grep -q openat "$TMPD/strace" 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 3000 ] && break; sleep 0.01
done
kill "$D"
wait "$D" 2>/dev/null
wait "$S"
expect_eq "a namespace that died during the scan: exit 0" 0 "$?"
expect_eq "a namespace that died during the scan is shown as gone" gone \
    "$(nsq "$dino" .state)"

# --- real containers: podman, offline, in a scratch store -------------
# The recipe of the test machines: runc, cgroupfs, no network, file
# locks, an image imported from a tarball of busybox and a static test
# program.  /run, /var/lib and /etc/containers are private here.
W=$TMPD/podman
CTRS=
POD=
podman_cleanup() {
	[ -n "${PM:-}" ] || return 0
	# joiners before their target, then the rest, by the ids we made
	for c in $CTRS; do $PM rm -f -t 0 "$c" >/dev/null 2>&1; done
	[ -n "$POD" ] && $PM pod rm -f -t 0 "$POD" >/dev/null 2>&1
	$PM rmi -a -f >/dev/null 2>&1
	$PM system reset -f >/dev/null 2>&1
	for c in $CTRS $POD; do
		for d in /sys/fs/cgroup/*/libpod_parent/libpod-$c \
		    /sys/fs/cgroup/*/libpod_parent/$c/* \
		    /sys/fs/cgroup/*/libpod_parent/$c; do
			[ -d "$d" ] && rmdir "$d" 2>/dev/null
		done
	done
	if [ -z "$HAD_PARENT" ]; then
		for d in /sys/fs/cgroup/*/libpod_parent/conmon \
		    /sys/fs/cgroup/*/libpod_parent; do
			[ -d "$d" ] && rmdir "$d" 2>/dev/null
		done
	fi
	PM=
}
podman_setup() {
	command -v podman >/dev/null 2>&1 || { echo "podman not installed"; return 1; }
	command -v runc >/dev/null 2>&1 || { echo "runc not installed"; return 1; }
	bb=$(command -v busybox) || { echo "busybox not installed"; return 1; }
	mkdir -p "$W/rootfs/bin" "$W/etc" "$W/networks" &&
	    mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /var/lib ||
	    { echo "cannot mount private /run and /var/lib"; return 1; }
	cp -a /etc/containers/. "$W/etc/" 2>/dev/null
	mount --bind "$W/etc" /etc/containers 2>/dev/null
	cat >"$W/containers.conf" <<EOC
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
netns = "none"
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
lock_type = "file"
[network]
network_config_dir = "$W/networks"
EOC
	export CONTAINERS_CONF="$W/containers.conf"
	cp "$bb" "$W/rootfs/bin/busybox" || return 1
	for l in sh sleep cat ls stat; do ln -s busybox "$W/rootfs/bin/$l"; done
	mkdir -p "$W/rootfs/dev" "$W/rootfs/proc" "$W/rootfs/sys" "$W/rootfs/tmp"
	${CC:-cc} -static -O2 -o "$W/rootfs/prog" "$TOP/tests/sys/ctrprog.c" ||
	    { echo "cannot link a static test program"; return 1; }
	PM="podman --root $W/root --runroot $W/runroot --tmpdir $W/temp"
	tar -C "$W/rootfs" -c . | $PM import - localhost/ipctest:1 \
	    >"$TMPD/import.out" 2>&1 ||
	    { PM=; echo "podman import failed: $(tail -1 "$TMPD/import.out")"; return 1; }
}
# run_ctr ARGS...: podman run -d ARGS... the image /prog; prints the id
run_ctr() {
	$PM run -d --network=none "$@" localhost/ipctest:1 /prog 2>"$TMPD/run.err"
}
# run_fill ARGS...: the same, with /prog filling its queue
run_fill() {
	$PM run -d --network=none "$@" localhost/ipctest:1 /prog fill \
	    2>"$TMPD/run.err"
}
# ctr_ready ID: until its log says ready; ctr_pid ID: its PID
ctr_ready() {
	i=0
	until $PM logs "$1" 2>/dev/null | grep -q '^ready$'; do
		i=$((i + 1)); [ $i -gt 600 ] && return 1; sleep 0.05
	done
}
ctr_pid() { $PM inspect -f '{{.State.Pid}}' "$1"; }

podman_tests() {
	A=$(run_ctr --name a --shm-size 64m --sysctl kernel.msgmax=16384)
	CTRS="$A"
	B=$(run_ctr --name b --ipc "container:$A")
	CTRS="$B $CTRS"
	C=$(run_ctr --name c --ipc private --shm-size 8m \
	    --sysctl kernel.msgmni=1)
	CTRS="$CTRS $C"
	POD=$($PM pod create --name p --shm-size 32m 2>"$TMPD/pod.err")
	P1=$(run_ctr --name p1 --pod p)
	P2=$(run_ctr --name p2 --pod p)
	CTRS="$CTRS $P1 $P2"
	# d: msgsnd fails on its full queue, and its /dev/shm is full
	D=$(run_fill --name d --shm-size 1m --sysctl kernel.msgmnb=4096)
	CTRS="$CTRS $D"
	for c in $A $B $C $P1 $P2 $D; do
		ctr_ready "$c" || { fail "container $c did not get ready"; \
		    sed 's/^/    /' "$TMPD/run.err" | head -5; return; }
	done
	apid=$(ctr_pid "$A"); bpid=$(ctr_pid "$B"); cpid=$(ctr_pid "$C")
	p1pid=$(ctr_pid "$P1")
	aino=$(stat -L -c %i /proc/$apid/ns/ipc)
	cino=$(stat -L -c %i /proc/$cpid/ns/ipc)
	pino=$(stat -L -c %i /proc/$p1pid/ns/ipc)
	expect_eq "podman: --ipc=container: joins a's namespace" "$aino" \
	    "$(stat -L -c %i /proc/$bpid/ns/ipc)"
	IPCTUNE_CONTAINER_STORAGE=$W/root "$IPCTUNE" namespaces \
	    --format json >"$NS"
	check "podman: namespaces JSON validates" \
	    validate "$SCHEMAS/namespaces-1.json" "$NS"
	expect_eq "podman: a and b, one namespace of two containers" 2 \
	    "$(nsq "$aino" .containers)"
	case " $A $B " in *" $(nsq "$aino" .owner.id) "*)
		ok "podman: a's namespace is named by a's or b's id" ;;
	*)	fail "podman: a's namespace owner $(nsq "$aino" .owner.id)" ;;
	esac
	expect_eq "podman: the runtime is podman" podman \
	    "$(nsq "$aino" .owner.runtime)"
	case "$(nsq "$aino" .owner.name)" in a|b)
		ok "podman: the name from containers.json" ;;
	*)	fail "podman: name '$(nsq "$aino" .owner.name)'" ;;
	esac
	expect_eq "podman: --sysctl kernel.msgmax=16384 seen" 16384 \
	    "$(nsq "$aino" '.figures.sysctls["kernel.msgmax"]')"
	expect_eq "podman: a's limits differ from the host's in msgmax" \
	    kernel.msgmax "$(nsq "$aino" '.differing_sysctls | join(",")')"
	expect_eq "podman: --shm-size 64m" 67108864 \
	    "$(nsq "$aino" '.dev_shm[0].size_bytes')"
	expect_eq "podman: a and b made one queue each" 2 \
	    "$(fig "$aino" used msgmni)"
	expect_eq "podman: and one segment each" 2 "$(fig "$aino" used shmmni)"
	expect_eq "podman: c is named by its id" "$C" "$(nsq "$cino" .owner.id)"
	expect_eq "podman: c's msgmni 1 from --sysctl" 1 \
	    "$(fig "$cino" limit msgmni)"
	expect_eq "podman: c's one queue" 1 "$(fig "$cino" used msgmni)"
	expect_eq "podman: c's --shm-size 8m" 8388608 \
	    "$(nsq "$cino" '.dev_shm[0].size_bytes')"
	expect_eq "podman: c's /dev/shm holds the program's 1 MiB" 1048576 \
	    "$(nsq "$cino" '.dev_shm[0].used_bytes')"
	dino=$(stat -L -c %i /proc/$(ctr_pid "$D")/ns/ipc)
	expect_eq "podman: c and d, both full, are the tightest namespaces" \
	    "$(printf '%s\n' "$cino" "$dino" | sort | tr '\n' ' ')" \
	    "$(jq '.namespaces[0:2][].ipc_ns' "$NS" | sort | tr '\n' ' ')"
	expect_eq "podman: the pod's namespace holds infra and 2 members" 3 \
	    "$(nsq "$pino" .containers)"
	expect_eq "podman: the pod is named" "$POD" "$(nsq "$pino" .owner.pod)"
	expect_eq "podman: the pod's --shm-size 32m" 33554432 \
	    "$(nsq "$pino" '.dev_shm[0].size_bytes')"
	# check --pid sees a container's exhausted limit
	expect_status "podman: check --pid c is CRITICAL" 2 \
	    "$IPCTUNE" check --pid "$cpid"
	expect_match "podman: check --pid names msgmni" "msgmni 100.0%" \
	    "$TMPD/out"
	dpid=$(ctr_pid "$D")
	check "podman: msgsnd failed in d" \
	    sh -c "$PM logs $D 2>&1 | grep -q 'msgsnd: Resource temporarily'"
	expect_status "podman: check --pid d is CRITICAL" 2 \
	    "$IPCTUNE" check --pid "$dpid"
	expect_match "podman: ... for its full queue (msgmnb)" \
	    "msgmnb 100.0% \(4096 of 4096 bytes" "$TMPD/out"
	expect_match "podman: ... and its full /dev/shm" \
	    "dev_shm 100.0% \(1048576 of 1048576 bytes" "$TMPD/out"
	expect_status "podman: check --container ID-PREFIX is CRITICAL" 2 \
	    "$IPCTUNE" check --container "$(echo "$C" | cut -c1-12)"
	export IPCTUNE_CONTAINER_STORAGE=$W/root
	expect_status "podman: check --container NAME is CRITICAL" 2 \
	    "$IPCTUNE" check --container c
	expect_status "podman: status --container b" 0 \
	    "$IPCTUNE" status --container b --format json
	expect_eq "podman: --container b reports a's namespace" "$aino" \
	    "$(jget .ipc_namespace.inode "$TMPD/out")"
	expect_status "podman: list --container p2 (a pod member)" 0 \
	    "$IPCTUNE" list --container p2 --format json
	# every reading command takes --container and reads c's namespace
	for cmd in status list owners orphans snapshot "clean --all-orphans" \
	    "fit --queues 1" "plan -p postgresql-sysv -n 1" \
	    "recommend -p kernel-default"; do
		expect_status "podman: $cmd --container c" "$(case $cmd in
		    fit*) echo 4 ;; *) echo 0 ;; esac)" \
		    "$IPCTUNE" $cmd --container c --format json
		case $cmd in plan*|recommend*) continue ;; esac
		expect_eq "podman: $cmd --container c reads c's namespace" \
		    "$cino" "$(jget .ipc_namespace.inode "$TMPD/out")"
	done
	expect_status "podman: facts --container c" 0 \
	    "$IPCTUNE" facts --container c
	expect_eq "podman: facts --container c reads c's namespace" "$cino" \
	    "$(jget .ipctune_ipc_namespace_inode "$TMPD/out")"
	# the documents name the container, and a snapshot keeps it
	expect_eq "podman: facts name the container" "podman $C" \
	    "$(jq -r '"\(.ipctune_container_runtime) \(.ipctune_container)"' \
	    "$TMPD/out")"
	"$IPCTUNE" status --container c --format json >"$TMPD/cs.json"
	expect_eq "podman: status JSON names the container" "podman $C" \
	    "$(jq -r '.ipc_namespace.container | "\(.runtime) \(.id)"' \
	    "$TMPD/cs.json")"
	"$IPCTUNE" snapshot --container c >"$TMPD/cs.snap"
	"$IPCTUNE" status --from "$TMPD/cs.snap" --format json >"$TMPD/cf.json"
	expect_eq "podman: status --from the snapshot names the container" \
	    "podman $C" \
	    "$(jq -r '.ipc_namespace.container | "\(.runtime) \(.id)"' \
	    "$TMPD/cf.json")"
	"$IPCTUNE" status --container c --format prometheus >"$TMPD/cs.prom"
	expect_eq "podman: every series of status --container c names it" "" \
	    "$(grep -v '^#' "$TMPD/cs.prom" | grep -v "container=\"$C\"")"
	"$IPCTUNE" status --format json >"$TMPD/hs.json"
	expect_eq "podman: the host's status names no container" null \
	    "$(jq -c '.ipc_namespace.container' "$TMPD/hs.json")"
	# watch --container: only c's namespace, filtered in the kernel; a
	# failure in ours first, then c's own: its second queue (msgmni=1)
	if "$IPCTUNE" watch --duration 1 --ns 1 >/dev/null 2>&1; then
		rm -f "$TMPD/wready"
		"$IPCTUNE" watch --container c --count 1 --format json \
		    --ready-file "$TMPD/wready" >"$TMPD/w.json" \
		    2>"$TMPD/w.err" &
		wpid=$!
		i=0
		while [ ! -e "$TMPD/wready" ] && [ $i -lt 300 ] &&
		    kill -0 "$wpid" 2>/dev/null; do
			i=$((i + 1)); sleep 0.1
		done
		"$BUILD/tests/ipcfail" semget 100000 >/dev/null 2>&1
		$PM exec -d c /prog >/dev/null 2>&1
		i=0
		while kill -0 "$wpid" 2>/dev/null && [ $i -lt 300 ]; do
			i=$((i + 1)); sleep 0.1
		done
		kill "$wpid" 2>/dev/null
		wait "$wpid" 2>/dev/null
		expect_eq "podman: watch --container c sees c's msgget ENOSPC" \
		    "msgget ENOSPC $cino" "$(jq -r 'select(.call) |
		    "\(.call) \(.error) \(.ipc_ns)"' "$TMPD/w.json" | head -1)"
	else
		ok "SKIP: watch cannot run here"
	fi
	expect_status "podman: record --container c" 0 "$IPCTUNE" record \
	    --container c --history "$TMPD/h.jsonl"
	expect_eq "podman: record --container c samples c's namespace" \
	    "$cino" "$(jq -r '.ns' \
	    "$TMPD/h.jsonl" | tail -1)"
	# apply --runtime --container: c's values change, ours do not, and
	# rollback --container puts them back
	own0=$(cat /proc/sys/kernel/msgmnb)
	c0=$(nsenter -t "$cpid" --ipc cat /proc/sys/kernel/msgmnb)
	expect_status "podman: apply -p db2 --runtime --container c" 0 \
	    env IPCTUNE_STATE_DIR="$TMPD/st" "$IPCTUNE" apply -p db2 \
	    --runtime --container c
	expect_eq "podman: apply --container c changed c's msgmnb" 65536 \
	    "$(nsenter -t "$cpid" --ipc cat /proc/sys/kernel/msgmnb)"
	expect_eq "podman: ... and not ours" "$own0" \
	    "$(cat /proc/sys/kernel/msgmnb)"
	expect_status "podman: rollback --container c" 0 \
	    env IPCTUNE_STATE_DIR="$TMPD/st" "$IPCTUNE" rollback --container c
	expect_eq "podman: rollback --container c put c's msgmnb back" "$c0" \
	    "$(nsenter -t "$cpid" --ipc cat /proc/sys/kernel/msgmnb)"
	# the Kubernetes fragment for c: valid YAML naming what db2 sets
	"$IPCTUNE" recommend -p db2 --container c --for kubernetes \
	    >"$TMPD/k8s.yaml" 2>"$TMPD/k8s.err"
	expect_eq "podman: the Kubernetes fragment for c sets msgmnb 65536" \
	    "65536" "$(python3 -c 'import sys, yaml
pods = [d for d in yaml.safe_load_all(open(sys.argv[1]))
        if d and d.get("kind") == "Pod"]
print(" ".join(s["value"] for s in pods[0]["spec"]["securityContext"]["sysctls"]
               if s["name"] == "kernel.msgmnb"))' "$TMPD/k8s.yaml" 2>&1)"
	expect_status "podman: check --container of an unknown one: UNKNOWN" \
	    3 "$IPCTUNE" check --container nosuch
	expect_match "podman: ... saying so" \
	    "^IPC UNKNOWN - no such container" "$TMPD/out"
	expect_status "podman: an unknown container fails" 1 \
	    "$IPCTUNE" status --container nosuch
	expect_match "podman: the error lists the containers" \
	    "no container 'nosuch' \(containers: .*podman:" "$TMPD/err"
	expect_status "podman: check --all-namespaces is CRITICAL" 2 \
	    "$IPCTUNE" check --all-namespaces
	expect_match "podman: ... naming c or d, both full" \
	    "IPC CRITICAL - namespace ($cino \(podman:c\): msgmni|$dino \(podman:d\): msgmnb)" \
	    "$TMPD/out"
	"$IPCTUNE" status --all-namespaces --format prometheus >"$TMPD/prom"
	expect_match "podman: prometheus labels c's series with its id" \
	    "ipctune_used\{resource=\"msgmni\",ipc_ns=\"$cino\",container=\"$C\"\} 1" \
	    "$TMPD/prom"
	unset IPCTUNE_CONTAINER_STORAGE
}

HAD_PARENT=$(ls -d /sys/fs/cgroup/*/libpod_parent 2>/dev/null | head -1)
trap 'podman_cleanup; [ -n "${KEEP_TMPD:-}" ] || rm -rf "$TMPD"' EXIT
if ! why=$(podman_setup); then
	echo "# SKIP podman tests: $why"
else
	PM="podman --root $W/root --runroot $W/runroot --tmpdir $W/temp"
	export CONTAINERS_CONF="$W/containers.conf"
	podman_tests
fi
finish
