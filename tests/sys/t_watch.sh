#!/bin/sh
# 'ipctune watch' on the real kernel: failures provoked in this private
# IPC namespace (kept alive by this shell for the whole run, since
# namespace inodes are reused) while watch runs filtered on its inode;
# every field of each event, the cause included; a flood (exact
# counters, drops counted, still responsive); the rate limit; each attach
# mode giving the same events; the Prometheus textfile; each "cannot
# run" path that can be produced here; and no BPF program, link or
# tracefs mount left behind.
. "$(dirname "$0")/lib.sh"
enter_private_ns pid

FAIL=$BUILD/tests/ipcfail
INO=$(stat -L -c %i /proc/self/ns/ipc)
PIDNS=$(stat -L -c %i /proc/self/ns/pid)
CGROUP=$(sed -n 's/^0:://p' /proc/self/cgroup)
save_defaults

# ourprogs: "ID NAME" of the programs loaded now by a watch filtered on
# our namespace: their read-only data holds cfg_ipc_ns = INO (a watch of
# another namespace, as another suite beside this one runs, is not ours)
ourprogs() {
	_m=$(bpftool -j map show 2>/dev/null | jq -r '.[] |
	    select(.name == "ipcwatch.rodata") | .id' | while read -r _id; do
		bpftool -j map dump id "$_id" 2>/dev/null | jq -e --argjson i \
		    "$INO" 'any(.. | objects | select(has("cfg_ipc_ns")) |
		    .cfg_ipc_ns; . == $i)' >/dev/null 2>&1 && echo "$_id"
	done | jq -sc .)
	bpftool -j prog show 2>/dev/null | jq -r --argjson m "${_m:-[]}" \
	    '.[] | select(any(.map_ids[]?; . as $x | $m | index($x))) |
	    "\(.id) \(.name)"' |
	    grep -E "^[0-9]+ ((exit|enter|leave)_|btf_sys_exit)" | sort
}
# our programs loaded now, one id a line
progs() { ourprogs | cut -d' ' -f1; }

if ! "$IPCTUNE" watch --duration 1 --ns 1 >"$TMPD/probe" 2>&1 &&
    grep -q 'built without BPF support' "$TMPD/probe"; then
	ok "SKIP: $(cat "$TMPD/probe")"
	finish
	exit
fi
grep tracefs /proc/self/mountinfo >"$TMPD/mounts.before"

# start_watch OUT ARGS...: watch in the background, output to OUT; waits
# for its ready file; sets WPID
start_watch() {
	out=$1
	shift
	rm -f "$TMPD/ready"
	"$IPCTUNE" watch --ready-file "$TMPD/ready" "$@" >"$out" \
	    2>"$out.err" &
	WPID=$!
	i=0
	while [ ! -e "$TMPD/ready" ]; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 "$WPID" 2>/dev/null; then
			fail "watch did not get ready: $(cat "$out.err")"
			return 1
		fi
		sleep 0.1
	done
}
# stop_watch: SIGINT, then its exit status in WRC (within 10 s)
stop_watch() {
	kill -INT "$WPID"
	i=0
	while kill -0 "$WPID" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	wait "$WPID"
	WRC=$?
}
# wait_lines FILE N: until FILE has N lines (60 s at most)
wait_lines() {
	i=0
	while [ "$(wc -l <"$1")" -lt "$2" ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
# seen PID: until ev.jsonl has an event of PID (our PID namespace's
# number), 60 s at most: watch read its cgroup from /proc by then
seen() {
	i=0
	until grep -Eq "\"nspid\": ?$1[,}]" "$TMPD/ev.jsonl" ||
	    [ $i -ge 3000 ]; do
		i=$((i + 1))
		sleep 0.02
	done
}
# provoke NAME ARGS...: run ipcfail ARGS as NAME's event, remember its
# PID; it lives on until watch has written its event
provoke() {
	name=$1
	shift
	IPCFAIL_LINGER_UNTIL="$TMPD/seen.$name" "$FAIL" "$@" \
	    >"$TMPD/p.$name" 2>&1 &
	p=$!
	seen "$p"
	: >"$TMPD/seen.$name"
	wait "$p"
	eval "PID_$name=$p"
}

T0=$(date +%s)
start_watch "$TMPD/ev.jsonl" --format json --ns "$INO" || { finish; exit; }

# SEMMNI: 4 arrays of 4, the fifth fails
sysctl_set sem "250 32000 32 4"
for i in 1 2 3 4; do "$FAIL" semget 1 >/dev/null; done
provoke semmni semget 1
# SEMOPM: 33 operations of 32
ipcrm -a
provoke semopm semop 33
# EACCES: an array with key 0x1234, mode 0600, opened by nobody
"$FAIL" semmk 0x1234 >/dev/null
chmod 711 "$TMPD"	# nobody looks for seen.eacces
IPCFAIL_LINGER_UNTIL="$TMPD/seen.eacces" setpriv --reuid 65534 \
    --regid 65534 --clear-groups "$FAIL" semkey 0x1234 \
    >"$TMPD/p.eacces" 2>&1 &
PID_eacces=$!
seen "$PID_eacces"
: >"$TMPD/seen.eacces"
wait "$PID_eacces"
# EIDRM: a waiter whose array is removed
"$FAIL" eidrm >"$TMPD/p.eidrm" 2>&1
# SHMMAX: 2 MiB above 1 MiB
sysctl_set shmmax 1048576
provoke shmmax shmget 2097152
# SHMMNI: 2 segments of 2
sysctl_set shmmni 2
"$FAIL" shmget 4096 >/dev/null
"$FAIL" shmget 4096 >/dev/null
provoke shmmni shmget 4096
# SHMALL: 512 KiB (128 pages) above 16 pages
ipcrm -a
sysctl_set shmmni 4096
sysctl_set shmall 16
provoke shmall shmget 524288
# MSGMAX: 2048 bytes above 1024
sysctl_set msgmax 1024
provoke msgmax msgsnd 2048
# MSGMNI: 1 queue of 1
sysctl_set msgmni 1
"$FAIL" msgget >/dev/null
provoke msgmni msgget

# a failure in another IPC namespace is filtered out in the kernel
unshare --ipc sh -c 'echo "250 32000 32 0" >/proc/sys/kernel/sem &&
    "$1" semget 1' sh "$FAIL" >"$TMPD/p.other" 2>&1
expect_eq "the other namespace's call failed" "semget ENOSPC" \
    "$(cat "$TMPD/p.other")"

wait_lines "$TMPD/ev.jsonl" 9
stop_watch
T1=$(date +%s)
expect_eq "watch exits 0 on SIGINT" 0 "$WRC"
for f in semmni semopm shmmax shmmni shmall msgmax msgmni; do
	expect_match "the $f call failed as planned" ' E|EINVAL|ENOSPC|E2BIG' \
	    "$TMPD/p.$f"
done
expect_eq "the EACCES call failed as planned" "semget EACCES" \
    "$(cat "$TMPD/p.eacces")"
expect_eq "the EIDRM call failed as planned" "semop EIDRM" \
    "$(cat "$TMPD/p.eidrm")"
expect_eq "nine events and a summary" 10 "$(wc -l <"$TMPD/ev.jsonl")"

# ev CALL ERROR PID: the event of that call and errno made by PID (our
# PID namespace's number), or the first one when PID is empty
ev() { jq -c --arg pid "$3" "select(.document == \"watch_event\" and \
    .call == \"$1\" and .error == \"$2\" and \
    (\$pid == \"\" or .process.nspid == (\$pid | tonumber)))" \
    "$TMPD/ev.jsonl" | head -1; }
# check_event NAME CALL ERROR ERRNO CODE UID ARGS-JQ TEXT-RE FIX-RE
check_event() {
	eval "pid=\${PID_$1:-}"
	e=$(ev "$2" "$3" "$pid")
	if [ -z "$e" ]; then
		fail "$1: no $2 $3 event"
		return
	fi
	printf '%s\n' "$e" >"$TMPD/e.json"
	got=$(jq -r --argjson ino "$INO" --argjson pidns "$PIDNS" \
	    --argjson t0 "$T0" --argjson t1 "$T1" --arg cg "$CGROUP" \
	    --arg pid "$pid" --argjson uid "$6" '[
	    .schema_version == 1, .tool.name == "ipctune",
	    .ipc_ns == $ino, .errno == '"$4"',
	    .cause.code == "'"$5"'", (.cause.limit | type) == "boolean",
	    .process.comm == "ipcfail", .process.uid == $uid,
	    .process.gid == $uid, .process.pid_ns == $pidns,
	    .process.pid > 0, .process.pid != .process.nspid,
	    .process.tid == .process.pid, .process.ppid > 0,
	    ($pid == "" or .process.nspid == ($pid | tonumber)),
	    ($pid == "" or .process.cgroup == $cg),
	    (.time | sub("\\.[0-9]+Z$"; "Z") | fromdate) as $t |
	    ($t >= $t0 and $t <= $t1),
	    '"$7"'] | all' "$TMPD/e.json")
	expect_eq "$1: every field of the $2 $3 event" true "$got"
	expect_match "$1: cause text" "$8" "$TMPD/e.json"
	expect_match "$1: cause fix" "$9" "$TMPD/e.json"
	check "$1: the event validates against its schema" \
	    validate "$SCHEMAS/watch_event-1.json" "$TMPD/e.json"
}
check_event semmni semget ENOSPC 28 semmni 0 \
    '.args.key == 0, .args.nsems == 1, .args.flags == 896,
     .flags_text == "IPC_CREAT|0600", .ns_state.sem == [250,32000,32,4],
     .ns_state.sem_arrays == 4, .ns_state.sem_sems == 4, .cause.limit' \
    '"text":"semget ENOSPC: SEMMNI, the fourth field of kernel.sem, is exhausted: 4 of 4' \
    '"fix":"raise kernel.sem \(field SEMMNI\) to 5, or remove 1 array; leaked ones: ipctune orphans --pid [0-9]+"'
check_event semopm semop E2BIG 7 semopm 0 \
    '.args.nsops == 33, .ns_state.sem[2] == 32, .cause.limit' \
    '"text":"semop E2BIG: .*33.*32' '"fix":"raise kernel.sem \(field SEMOPM\) to 33'
check_event eacces semget EACCES 13 permission 65534 \
    '.args.key == 4660, .cause.limit == false' \
    '"text":"semget EACCES: permission: .*; key 0x00001234; caller uid 65534 gid 65534"' \
    '"fix":"run as the object.s owner'
check_event eidrm semop EIDRM 43 removed 0 \
    '.args.nsops == 1, .cause.limit == false' \
    '"text":"semop EIDRM: the object was removed' '"fix":"find what removes it'
check_event shmmax shmget EINVAL 22 shmmax 0 \
    '.args.size == 2097152, .ns_state.shmmax_bytes == 1048576, .cause.limit' \
    '"text":"shmget EINVAL: .*kernel.shmmax' '"fix":"raise kernel.shmmax to 2097152'
check_event shmmni shmget ENOSPC 28 shmmni 0 \
    '.args.size == 4096, .ns_state.shmmni == 2, .ns_state.shm_segments == 2' \
    '"text":"shmget ENOSPC: .*2 of 2' '"fix":"raise kernel.shmmni to 3'
check_event shmall shmget ENOSPC 28 shmall 0 \
    '.args.size == 524288, .ns_state.shmall_pages == 16, .ns_state.shm_pages == 0' \
    '"text":"shmget ENOSPC: .*shmall' '"fix":"raise kernel.shmall to 128 pages'
check_event msgmax msgsnd EINVAL 22 msgmax 0 \
    '.args.msgsz == 2048, .ns_state.msgmax_bytes == 1024, .args.flags == 2048,
     .flags_text == "IPC_NOWAIT"' \
    '"text":"msgsnd EINVAL: .*kernel.msgmax' '"fix":"raise kernel.msgmax to 2048'
check_event msgmni msgget ENOSPC 28 msgmni 0 \
    '.ns_state.msgmni == 1, .ns_state.msg_queues == 1' \
    '"text":"msgget ENOSPC: .*1 of 1' '"fix":"raise kernel.msgmni to 2'

tail -1 "$TMPD/ev.jsonl" >"$TMPD/sum.json"
got=$(jq -r --argjson ino "$INO" '[.document == "watch_summary",
    .failed == 9, .sent == 9, .dropped == 0,
    (.counts | map(select(.ipc_ns == $ino)) | length) == 8,
    (.counts[] | select(.call == "semget" and .error == "ENOSPC") |
    .count) == 1] | all' "$TMPD/sum.json")
expect_eq "the summary counts each failure once" true "$got"
check "the summary validates against its schema" \
    validate "$SCHEMAS/watch_summary-1.json" "$TMPD/sum.json"

# the line for people: one per event, the call and errno said once
ipc_reset
sysctl_set sem "250 32000 32 1"
"$FAIL" semget 1 >/dev/null
# --duration: a test that provokes no event still ends
start_watch "$TMPD/ev.txt" --ns "/proc/$$/ns/ipc" --count 1 --duration 30 ||
    true
"$FAIL" semget 2 >/dev/null
wait "$WPID"
expect_eq "--count 1 stops after one event" 0 $?
expect_match "the line names the caller, namespace, call and cause" \
    "^[0-9T:.-]+Z pid=[0-9]+ nspid=[0-9]+ comm=ipcfail user=root ipc_ns=$INO cgroup=[^ ]+ semget\(key=IPC_PRIVATE, nsems=2, flags=IPC_CREAT\|0600\) = -1 ENOSPC: SEMMNI, the fourth field of kernel.sem, is exhausted: 1 of 1 .*; fix: raise kernel.sem \(field SEMMNI\) to 2" \
    "$TMPD/ev.txt"
expect_match "the summary says the mode and what became of events" \
    "^1 failing call in [0-9.]+ s \(attached: exit\): 1 reported, 0 dropped \(ring buffer full\), 0 over --rate, 0 not asked for$" \
    "$TMPD/ev.txt"
expect_match "the summary table follows" \
    "^ *$INO semget +ENOSPC +1$" "$TMPD/ev.txt"

# --errno: other errnos are counted, not sent; --call: other calls are
# not even attached
ipc_reset
sysctl_set sem "250 32000 32 1"
start_watch "$TMPD/f.jsonl" --format json --ns "$INO" --errno E2BIG \
    --call semget,semop
"$FAIL" semop 33 >/dev/null
"$FAIL" semget 1 >/dev/null
"$FAIL" semget 1 >/dev/null
sysctl_set msgmni 0
"$FAIL" msgget >/dev/null
wait_lines "$TMPD/f.jsonl" 1
stop_watch
got=$(jq -s -r '[(map(select(.document == "watch_event")) | length) == 1,
    (.[0].call == "semop" and .[0].error == "E2BIG"),
    (.[-1] | .failed == 2 and .sent == 1 and .masked == 1),
    (.[-1].counts | map(.call + " " + .error) | sort) ==
    ["semget ENOSPC", "semop E2BIG"]] | all' "$TMPD/f.jsonl")
expect_eq "--errno sends only E2BIG but counts ENOSPC; --call leaves \
msgget out" true "$got"

# --pid: only that process, by the host's PID (learnt from its first
# failure: this shell sees only its own PID namespace's numbers)
ipc_reset
start_watch "$TMPD/pid1.jsonl" --format json --ns "$INO" --count 1 \
    --duration 30
IPCFAIL_AGAIN_AFTER="$TMPD/again" "$FAIL" semop 600 >/dev/null &
P1=$!
wait "$WPID"
HOSTPID=$(jq -r 'select(.document == "watch_event") | .process.pid' \
    "$TMPD/pid1.jsonl")
start_watch "$TMPD/pid2.jsonl" --format json --ns "$INO" --pid "$HOSTPID"
"$FAIL" semop 600 >/dev/null
: >"$TMPD/again"
wait "$P1"
wait_lines "$TMPD/pid2.jsonl" 1
stop_watch
got=$(jq -s -r --argjson p "$HOSTPID" --argjson n "$P1" '[
    (map(select(.document == "watch_event")) | length) == 1,
    (.[0].process.pid == $p), (.[0].process.nspid == $n),
    (.[-1].failed == 1)] | all' "$TMPD/pid2.jsonl")
expect_eq "--pid: that process's second failure only, filtered in the \
kernel" true "$got"

# successful calls send nothing; a flood is counted exactly, the ring
# buffer's overflow is counted, and watch stays responsive
ipc_reset
mkfifo "$TMPD/fifo"
{ sleep 4; cat; } <"$TMPD/fifo" >"$TMPD/flood.jsonl" &
READER=$!
rm -f "$TMPD/ready"
"$IPCTUNE" watch --ready-file "$TMPD/ready" --format json --ns "$INO" \
    --rate 0 >"$TMPD/fifo" 2>"$TMPD/flood.err" &
WPID=$!
i=0
while [ ! -e "$TMPD/ready" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
"$FAIL" good 10000 >/dev/null
"$FAIL" flood 20000 >/dev/null
sleep 5
stop_watch
wait "$READER"
expect_eq "watch exits 0 after a flood" 0 "$WRC"
tail -1 "$TMPD/flood.jsonl" >"$TMPD/fsum.json"
got=$(jq -r '[.failed == 20000, .sent + .dropped == 20000, .dropped > 0,
    .suppressed == 0,
    (.counts | length) == 1, .counts[0].call == "semop",
    .counts[0].error == "E2BIG", .counts[0].count == 20000] | all' \
    "$TMPD/fsum.json")
expect_eq "flood: 20000 counted exactly, sent + dropped = 20000" true "$got"
expect_eq "flood: every sent event was received, no good call was" \
    "$(jq -r .sent "$TMPD/fsum.json")" \
    "$(jq -c 'select(.document == "watch_event" and .call == "semop"
    and .error == "E2BIG")' "$TMPD/flood.jsonl" | wc -l)"

# --rate 10: a flood of one key sends at most 10 a second (and 10 at
# once), and every failure is still counted
ipc_reset
start_watch "$TMPD/rate.jsonl" --format json --ns "$INO" --rate 10
R0=$(date +%s.%N)
"$FAIL" flood 20000 >/dev/null
R1=$(date +%s.%N)
stop_watch
tail -1 "$TMPD/rate.jsonl" >"$TMPD/rsum.json"
got=$(jq -r --argjson s "$(awk -v a="$R0" -v b="$R1" 'BEGIN { print b - a }')" '[.failed == 20000,
    .counts[0].count == 20000, .suppressed > 0,
    .sent + .dropped + .suppressed == 20000,
    .sent <= 10 * $s + 10] | all' "$TMPD/rsum.json")
expect_eq "--rate 10: 20000 counted, sent <= 10/s + 10, sent + dropped + \
suppressed = 20000" true "$got"
expect_eq "--rate 10: every sent event was received" \
    "$(jq -r .sent "$TMPD/rsum.json")" \
    "$(grep -c '"document":"watch_event"' "$TMPD/rate.jsonl")"
# the events still in the ring buffer at the signal are printed: a
# watch stopped (SIGSTOP) through the failures and the SIGINT
ipc_reset
start_watch "$TMPD/late.jsonl" --format json --ns "$INO" --rate 10
kill -STOP "$WPID"
"$FAIL" flood 100 >/dev/null
kill -INT "$WPID"
kill -CONT "$WPID"
stop_watch
expect_eq "events sent before the signal are printed: 10 of 10" \
    "0 10 10" "$WRC $(tail -1 "$TMPD/late.jsonl" | jq -r .sent) $(grep -c \
    '"document":"watch_event"' "$TMPD/late.jsonl")"

# the Prometheus textfile, rewritten atomically every interval
ipc_reset
sysctl_set msgmni 0
start_watch "$TMPD/prom.out" --format prometheus --output "$TMPD/w.prom" \
    --interval 1s --ns "$INO"
"$FAIL" msgget >/dev/null
"$FAIL" msgget >/dev/null
# a rewrite after both failures, however late watch is to it (30 s)
i=0
until grep -q 'errno="ENOSPC"} 2$' "$TMPD/w.prom" 2>/dev/null ||
    [ $i -ge 300 ]; do
	i=$((i + 1))
	sleep 0.1
done
expect_match "the textfile counts by namespace, call and errno" \
    "^ipctune_watch_failures_total\{ipc_namespace=\"$INO\",call=\"msgget\",errno=\"ENOSPC\"\} 2$" \
    "$TMPD/w.prom"
kill -TERM "$WPID"
wait "$WPID"
expect_eq "watch exits 0 on SIGTERM" 0 $?
expect_match "the events count too" \
    '^ipctune_watch_events_total\{outcome="sent"\} 2$' "$TMPD/w.prom"
expect_match "and the suppressed ones" \
    '^ipctune_watch_events_total\{outcome="suppressed"\} 0$' "$TMPD/w.prom"
expect_eq "no temporary file beside the textfile" "" \
    "$(ls -A "$TMPD" | grep -E '^\.?w\.prom.' || true)"
expect_eq "prometheus prints nothing on stdout with --output" "" \
    "$(cat "$TMPD/prom.out")"

# usage errors
expect_status "--output needs --format prometheus" 2 \
    "$IPCTUNE" watch --output "$TMPD/x"
expect_status "an unknown call is a usage error" 2 \
    "$IPCTUNE" watch --call semfoo
expect_status "an unknown errno is a usage error" 2 \
    "$IPCTUNE" watch --errno ENOTHING
expect_status "an unknown attach mode is a usage error" 2 \
    "$IPCTUNE" watch --attach kprobe
expect_status "a rate that is not a number is a usage error" 2 \
    "$IPCTUNE" watch --rate fast
expect_status "a missing namespace file is an error" 1 \
    "$IPCTUNE" watch --ns "$TMPD/nothing"

# why it cannot run, each said with what to do instead
expect_status "nobody cannot watch" 1 setpriv --reuid 65534 \
    --regid 65534 --clear-groups "$IPCTUNE" watch --duration 1
expect_match "nobody: permission denied, with the fallbacks" \
    "cannot use BPF: permission denied \(run as root, or grant CAP_BPF, CAP_PERFMON, CAP_DAC_READ_SEARCH\); instead: perf trace -a --failure -e [a-z,]*,mq_open,mq_timedsend, or strace -f -e trace=%ipc,mq_open,mq_timedsend -p PID" \
    "$TMPD/err"
expect_status "root without CAP_BPF and CAP_PERFMON cannot watch" 1 \
    setpriv --inh-caps=-bpf,-perfmon,-sys_admin \
    --bounding-set=-bpf,-perfmon,-sys_admin "$IPCTUNE" watch --duration 1
expect_match "without the capabilities: permission denied" \
    "cannot use BPF: permission denied" "$TMPD/err"
expect_status "no BTF: cannot watch" 1 \
    "$IPCTUNE" watch --duration 1 --btf-path "$TMPD/no-btf"
expect_match "no BTF: says which kernel option" \
    "kernel has no BTF: 'watch' needs CONFIG_DEBUG_INFO_BTF=y" "$TMPD/err"
expect_status "a user namespace cannot watch" 1 unshare --user \
    --map-root-user "$IPCTUNE" watch --duration 1
expect_match "user namespace: says where to run it" \
    "cannot use BPF in a user namespace: run 'watch' on the host" \
    "$TMPD/err"
expect_status "--format json: the reason as an error document" 1 \
    "$IPCTUNE" watch --format json --duration 1 --btf-path "$TMPD/no-btf"
expect_eq "the error document says it" "error" "$(jq -r .document \
    "$TMPD/out")"

# POSIX queues: mq_open and mq_timedsend failures, each with its name,
# attributes or queue, and the cause; root's CAP_SYS_RESOURCE passes
# queues_max and msg_max (ipc/mqueue.c), so those callers drop it
P=$BUILD/tests/posixipc
NORES="--inh-caps=-sys_resource --bounding-set=-sys_resource"
# mq NAME CMD...: run CMD as NAME's event, remember its PID
mq() {
	name=$1
	shift
	"$@" >"$TMPD/p.$name" 2>&1 &
	p=$!
	wait "$p"
	eval "PID_$name=$p"
}
ns_guard
start_watch "$TMPD/mq.jsonl" --format json --ns "$INO" \
    --call mq_open,mq_timedsend || { finish; exit; }
echo 2 >/proc/sys/fs/mqueue/queues_max
mq qmax setpriv $NORES "$P" mq wq 4 64 3
# the same failure given to explain while the state still refuses it
"$IPCTUNE" explain --format json --call mq_open --name wq.2 \
    --flags 'O_RDWR|O_CREAT|O_EXCL' --mode 0600 --maxmsg 4 --msgsize 64 \
    --errno ENOSPC >"$TMPD/mqexplain.json" 2>&1
echo 256 >/proc/sys/fs/mqueue/queues_max
mq mqmsgmax setpriv $NORES "$P" mq wi 11 64 1
mq rlim prlimit --msgqueue=1000 "$P" mq wr 10 8192 1
mq full "$P" send /wf 2 64 16 3
mq size "$P" send /wm 2 64 100 1
wait_lines "$TMPD/mq.jsonl" 5
stop_watch
expect_eq "queues_max: the third mq_open failed" "fail 2 ENOSPC" \
    "$(cat "$TMPD/p.qmax")"
expect_eq "msg_max: mq_open failed" "fail 0 EINVAL" "$(cat "$TMPD/p.mqmsgmax")"
expect_eq "RLIMIT_MSGQUEUE: mq_open failed" "fail 0 EMFILE" \
    "$(cat "$TMPD/p.rlim")"
expect_eq "a full queue: the third send failed" "fail 2 EAGAIN" \
    "$(cat "$TMPD/p.full")"
expect_eq "a long message: the send failed" "fail 0 EMSGSIZE" \
    "$(cat "$TMPD/p.size")"
# mq_check NAME CALL ERROR CODE FIELDS-JQ TEXT-RE
mq_check() {
	eval "pid=\${PID_$1:-}"
	jq -c --arg c "$2" --arg e "$3" --argjson pid "$pid" \
	    'select(.document == "watch_event" and .call == $c and
	    .error == $e and .process.nspid == $pid)' "$TMPD/mq.jsonl" |
	    head -1 >"$TMPD/e.json"
	got=$(jq -r --argjson ino "$INO" '[.ipc_ns == $ino,
	    .process.comm == "posixipc", .cause.code == "'"$4"'",
	    '"$5"'] | all' "$TMPD/e.json")
	expect_eq "$1: every field of the $2 $3 event" true "$got"
	expect_match "$1: cause text" "$6" "$TMPD/e.json"
	check "$1: the event validates against its schema" \
	    validate "$SCHEMAS/watch_event-1.json" "$TMPD/e.json"
}
mq_check qmax mq_open ENOSPC mqueue_queues_max '.args.name == "wq.2",
    .args.oflag == 194, .args.mode == 384, .cause.limit == true,
    .mq.attr == {"mq_maxmsg": 4, "mq_msgsize": 64},
    .ns_state.mq_queues == 2, .ns_state.mq_queues_max == 2' \
    'mq_open ENOSPC: this IPC namespace holds 2 queues and fs.mqueue.queues_max is 2'
expect_eq "queues_max: explain says what watch says" \
    "$(jq -r .cause.text "$TMPD/e.json")" \
    "$(jq -r '.calls[0].cause.text' "$TMPD/mqexplain.json")"
mq_check mqmsgmax mq_open EINVAL mqueue_msg_max '.args.name == "wi.0",
    .mq.attr.mq_maxmsg == 11, .ns_state.mq_msg_max == 10' \
    'mq_open EINVAL: mq_maxmsg 11 is above fs.mqueue.msg_max 10'
mq_check rlim mq_open EMFILE mqueue_rlimit '.mq.rlimit_msgqueue == 1000' \
    'mq_open EMFILE: each queue charges .* > RLIMIT_MSGQUEUE 1000'
mq_check full mq_timedsend EAGAIN queue_full '.args.msg_len == 16,
    .mq.queue == {"mq_maxmsg": 2, "mq_msgsize": 64, "mq_curmsgs": 2}' \
    'mq_timedsend EAGAIN: the queue is full .*; it holds 2 of 2 messages'
mq_check size mq_timedsend EMSGSIZE msg_size '.args.msg_len == 100,
    .mq.queue.mq_msgsize == 64' \
    'mq_timedsend EMSGSIZE: .*; msg_len 100 > mq_msgsize 64'
A='.*mq_open\(name=wt.0, oflag=O_RDWR\|O_CREAT\|O_EXCL, mode=0600, attr=\{mq_maxmsg=4, mq_msgsize=64\}\) = -1 ENOSPC: this IPC namespace'
start_watch "$TMPD/mq.txt" --ns "$INO" --call mq_open || { finish; exit; }
echo 2 >/proc/sys/fs/mqueue/queues_max
setpriv $NORES "$P" mq wt 4 64 3 >/dev/null 2>&1
echo 256 >/proc/sys/fs/mqueue/queues_max
wait_lines "$TMPD/mq.txt" 1
stop_watch
expect_match "mq_open: the text line names the queue and its attr" "$A" \
    "$TMPD/mq.txt"

# Each attach mode, forced, gives the same events as exit only: calls of
# 2, 3 and 4 arguments, glibc's semop, a queue's attr and descriptor, a
# caller killed inside its call; one failure in another namespace filtered out; counts exact; only that
# mode's programs loaded, and none left after.
# inflight_kill: a semop waiter killed inside the call (the exit still
# runs: EINTR); inflight_check: enter+exit kept no call's arguments
# after its exit, the killed waiter's included
inflight_kill() { "$FAIL" eintr >/dev/null 2>&1; }
inflight_check() {
	m=$(for p in $(cut -d' ' -f1 "$TMPD/mp.enter-exit"); do
		bpftool -j prog show id "$p" | jq -r '.map_ids[]?'
	    done | sort -u | while read -r id; do
		bpftool -j map show id "$id" |
		    jq -r 'select(.name == "inflight") | .id'
	    done)
	expect_eq "enter+exit: no arguments left in the map after the \
exits, a killed waiter's too" "1 0" \
	    "$(echo "$m" | grep -c .) $(bpftool -j map dump id "${m:-0}" |
	    jq length)"
}
# mode_run MODE: the core failures under watch --attach MODE
mode_run() {
	ipc_reset
	# the queues of the mode before go, so each run counts the same
	mkdir -p "$TMPD/mqfs"
	mount -t mqueue none "$TMPD/mqfs" && rm -f "$TMPD/mqfs/"w* &&
	    umount "$TMPD/mqfs"
	ourprogs >"$TMPD/mp0"
	start_watch "$TMPD/m.$1.jsonl" --format json --ns "$INO" --rate 0 \
	    --attach "$1" || return 1
	ourprogs | comm -13 "$TMPD/mp0" - >"$TMPD/mp.$1"
	inflight_kill
	sysctl_set sem "250 32000 32 1"
	"$FAIL" semop 33 >/dev/null
	"$FAIL" semget 1 >/dev/null
	"$FAIL" semget 1 >/dev/null
	sysctl_set shmmax 1048576
	"$FAIL" shmget 2097152 >/dev/null
	sysctl_set msgmax 1024
	"$FAIL" msgsnd 2048 >/dev/null
	sysctl_set msgmni 0
	"$FAIL" msgget >/dev/null
	setpriv $NORES "$P" mq wi 11 64 1 >/dev/null 2>&1
	"$P" send "/wm$1" 2 64 100 1 >/dev/null 2>&1
	unshare --ipc sh -c 'echo "250 32000 32 0" >/proc/sys/kernel/sem &&
	    "$1" semget 1' sh "$FAIL" >/dev/null 2>&1
	wait_lines "$TMPD/m.$1.jsonl" 8
	[ "$1" = enter-exit ] && inflight_check
	stop_watch
	# what may differ between runs: times, process numbers, object ids
	# (the kernel's sequence numbers), the cgroup (read from /proc after
	# the event, gone with a quick caller) and user pointers (above 4
	# GiB, placed at random)
	jq -c 'select(.document == "watch_event") | del(.time,
	    .generated_at, .process.pid, .process.tid, .process.ppid,
	    .process.nspid, .process.cgroup, .args.semid, .args.msqid) |
	    .cause.fix |= (if . then gsub("--pid [0-9]+"; "--pid N") else .
	    end) | .cause.text |= gsub("id [0-9]+"; "id N") |
	    .args |= with_entries(select(.value | type != "number" or
	    . < 4294967296))' \
	    "$TMPD/m.$1.jsonl" | sort >"$TMPD/m.$1.norm"
	got=$(tail -1 "$TMPD/m.$1.jsonl" | jq -r --arg m "$1" '[
	    .attach == $m, .failed == 8, .sent == 8, .dropped == 0,
	    .suppressed == 0, (.counts | map(.call + " " + .error) | sort) ==
	    ["mq_open EINVAL", "mq_timedsend EMSGSIZE", "msgget ENOSPC",
	    "msgsnd EINVAL", "semget ENOSPC", "semop E2BIG", "semop EINTR",
	    "shmget EINVAL"], (.counts | map(.count) | add) == 8] | all')
	expect_eq "--attach $1: ran so, eight failures counted and sent" \
	    true "$got"
	i=0
	while [ -n "$(ourprogs | comm -12 "$TMPD/mp.$1" -)" ] &&
	    [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	expect_eq "--attach $1: its programs are gone after" "" \
	    "$(ourprogs | comm -12 "$TMPD/mp.$1" -)"
}
mode_run exit
mode_run enter-exit
mode_run btf
expect_eq "exit only: the programs are the 9 exit_ ones" 9 \
    "$(grep -c ' exit_' "$TMPD/mp.exit")"
expect_eq "enter+exit: 9 enter_ and 9 leave_ programs" "18 18" \
    "$(grep -c -E ' (enter|leave)_' "$TMPD/mp.enter-exit") $(wc -l \
    <"$TMPD/mp.enter-exit")"
expect_eq "tp_btf: one program" "btf_sys_exit" \
    "$(cut -d' ' -f2 "$TMPD/mp.btf")"
expect_eq "exit only: eight events" 8 "$(wc -l <"$TMPD/m.exit.norm")"
for m in enter-exit btf; do
	if cmp -s "$TMPD/m.exit.norm" "$TMPD/m.$m.norm"; then
		ok "--attach $m: every event field as in exit only"
	else
		fail "--attach $m: events differ from exit only: $(diff \
		    "$TMPD/m.exit.norm" "$TMPD/m.$m.norm" | head -4)"
	fi
done
# without tracefs (no CAP_SYS_ADMIN to mount it), auto takes tp_btf and
# says so; a forced tracefs mode says why it cannot
if [ -e /sys/kernel/tracing/events ] ||
    [ -e /sys/kernel/debug/tracing/events ]; then
	ok "SKIP: tracefs is mounted here, auto keeps it"
else
	NOADM="--inh-caps=-sys_admin --bounding-set=-sys_admin"
	expect_status "auto without tracefs: watch runs" 0 setpriv $NOADM \
	    "$IPCTUNE" watch --format json --duration 1 --ns "$INO"
	expect_match "auto without tracefs: the warning" \
	    "warning: tracefs unavailable, using tp_btf: every syscall pays" \
	    "$TMPD/err"
	expect_eq "auto without tracefs: attached by tp_btf" btf \
	    "$(jq -r .attach "$TMPD/out")"
	expect_status "--attach enter-exit without tracefs: an error" 1 \
	    setpriv $NOADM "$IPCTUNE" watch --duration 1 --attach enter-exit
	expect_match "--attach enter-exit without tracefs: says why" \
	    "tracefs is not mounted at .* cannot be mounted privately" \
	    "$TMPD/err"
fi

# kill -9 leaves nothing: the links die with the process's descriptors.
# The programs this watch loaded are the ones new while it starts (other
# watchers on the machine, if any, load and unload their own meanwhile).
progs >"$TMPD/progs.k0"
start_watch "$TMPD/k.out" --ns "$INO"
progs | comm -13 "$TMPD/progs.k0" - >"$TMPD/progs.k"
check "kill -9: the watch had its programs loaded" test -s "$TMPD/progs.k"
kill -KILL "$WPID"
wait "$WPID" 2>/dev/null
i=0
while [ -n "$(progs | comm -12 "$TMPD/progs.k" -)" ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
expect_eq "no BPF program of ours is left loaded" "" \
    "$(progs | comm -12 "$TMPD/progs.k" -)"
expect_eq "no BPF link of ours is left" "" \
    "$(bpftool -j link show 2>/dev/null | jq -r '.[].prog_id' |
    sort | comm -12 "$TMPD/progs.k" -)"
expect_eq "no tracefs mount is left in this namespace" \
    "$(cat "$TMPD/mounts.before")" \
    "$(grep tracefs /proc/self/mountinfo || true)"
ipc_reset
finish
