#!/bin/sh
# Orphan verdicts for POSIX objects in private IPC, mount and PID
# namespaces with their own tmpfs at /dev/shm and their own mqueue fs:
# objects of processes that exited (orphaned after the grace age,
# suspect before it), objects mapped or held open (in use), held from a
# nested PID namespace, another user's objects with and without a live
# process of that user, semaphores left by a killed process, torch_<pid>_
# names whose PID is live, dead or reused, hostile names, and the files
# of Python multiprocessing killed with its resource_tracker or alive;
# a file and a queue held only by a thread's own descriptor table, and
# a file mapped or open in a process whose main thread has ended; a file
# in an io_uring instance's fixed file table; a file that backs a loop
# device (a stand-in /sys/block).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/posix_lib.sh"
posix_setup
# verdict TYPE NAME: the verdict of the object NAME in orphans.json
verdict() {
	jq -r --arg t "$1" --arg n "$2" '[.objects[] | select(.type == $t
	    and .name == $n) | .verdict] | if length == 0 then "absent"
	    else .[0] end' "$TMPD/o.json"
}
reasons() {
	jq -r --arg t "$1" --arg n "$2" '.objects[] | select(.type == $t
	    and .name == $n) | .reasons | join(",")' "$TMPD/o.json"
}
judge() {
	"$IPCTUNE" orphans --pid $$ -a "$@" --format json >"$TMPD/o.json" \
	    2>"$TMPD/o.err"
}

# uid 1001: objects whose maker exited, and no process of 1001 runs
as 1001 "$PH" shm gone.1 4096 sem gone-sem 0 mq /gone-q 4 64 || exit 1
# uid 1002: objects whose maker exited while another of its processes runs
setpriv --reuid=1002 --regid=1002 --clear-groups sleep 1000 &
U2=$!
PIDS="$PIDS $U2"
wait_comm "$U2" sleep || fail "uid 1002's sleep did not start"
as 1002 "$PH" shm u2.1 4096 || exit 1
# held: mapped, open, a semaphore mapped, a queue open (uid 1003)
phold "$TMPD/h1" shm mapped 65536 shmmap /mapped || exit 1
H1=$PHELD
phold "$TMPD/h2" shm opened 4096 shmopen /opened || exit 1
as 1003 "$PH" shm byother 4096 || exit 1
# held from a nested PID namespace
unshare --pid --fork "$PH" shmmap /byother hold >"$TMPD/h3" 2>&1 &
N3=$!
PIDS="$PIDS $N3"
i=0
until grep -q '^ready$' "$TMPD/h3" 2>/dev/null || [ $i -gt 3000 ]; do
	i=$((i + 1)); sleep 0.01
done
# a semaphore left by a killed process of uid 1004
setpriv --reuid=1004 --regid=1004 --clear-groups "$PH" sem zzo-sema-99999 1 \
    hold >"$TMPD/h4" 2>&1 &
K=$!
i=0
until grep -q '^ready$' "$TMPD/h4" 2>/dev/null || [ $i -gt 3000 ] ||
    ! kill -0 "$K" 2>/dev/null; do
	i=$((i + 1)); sleep 0.02
done
grep -q '^ready$' "$TMPD/h4" || fail "uid 1004's semaphore was not made"
kill -9 "$K"; wait "$K" 2>/dev/null
# torch_<pid>_ names of root: live PID (this test's sleep), dead, reused
sleep 1000 &
LIVE=$!
PIDS="$PIDS $LIVE"
"$PH" shm "torch_${LIVE}_1" 4096 shm torch_4194303_1 4096 || exit 1
# hostile name of uid 1001
odd=$(printf 'sp ace\nnl\377x')
as 1001 "$PH" shm "$odd" 10 || exit 1

# young: every dead-maker object is suspect, never orphaned
judge --min-age 1h
check "orphans -a: JSON parses" jq -e . "$TMPD/o.json"
expect_eq "exited maker, young: suspect" suspect "$(verdict pshm gone.1)"
expect_eq "exited maker, young sem: suspect" suspect \
    "$(verdict psem sem.gone-sem)"
expect_eq "exited maker, young queue: suspect" suspect \
    "$(verdict pmq gone-q)"
# old enough: orphaned
judge --min-age 0
expect_eq "exited maker, no owner process: orphaned" orphaned \
    "$(verdict pshm gone.1)"
expect_eq "orphaned reasons" "not_held,owner_gone" "$(reasons pshm gone.1)"
expect_eq "orphaned sem" orphaned "$(verdict psem sem.gone-sem)"
expect_eq "orphaned queue" orphaned "$(verdict pmq gone-q)"
expect_eq "owner's older process runs: in use" in_use \
    "$(verdict pshm u2.1)"
expect_eq "in use names the owner's process" "$U2" "$(jq -r '.objects[] |
    select(.name == "u2.1") | .pids[] | select(.role == "owner_process")
    | .pid' "$TMPD/o.json")"
expect_eq "mapped: in use" in_use "$(verdict pshm mapped)"
expect_eq "mapped: holder named" "$H1" "$(jq -r '.objects[] |
    select(.name == "mapped") | .pids[] | select(.role == "holder") |
    .pid' "$TMPD/o.json")"
expect_eq "open only: in use" in_use "$(verdict pshm opened)"
expect_eq "held from a nested PID namespace: in use" in_use \
    "$(verdict pshm byother)"
expect_eq "killed process's semaphore: orphaned" orphaned \
    "$(verdict psem sem.zzo-sema-99999)"
expect_eq "torch name, PID runs (started before): in use" in_use \
    "$(verdict pshm "torch_${LIVE}_1")"
expect_eq "torch name, PID dead: orphaned despite root's processes" \
    orphaned "$(verdict pshm torch_4194303_1)"
expect_eq "torch name: the convention in JSON" "PyTorch (libshm)" \
    "$(jq -r '.objects[] | select(.name == "torch_4194303_1") |
    .naming_convention' "$TMPD/o.json")"
expect_eq "root file without a name PID: in use (root runs)" in_use \
    "$(verdict pshm opened)"
expect_eq "hostile name: escaped and judged" orphaned "$(jq -r '.objects[]
    | select(.type == "pshm" and (.name | startswith("sp ace"))) |
    .verdict' "$TMPD/o.json")"
# a reused PID: a file whose named PID belongs to a process that started
# well after the file was made
"$PH" shm torch_1_9 4096 || exit 1
touch -d '2 hours ago' /dev/shm/torch_1_9
judge --min-age 0
# the file was made by its mtime; PID 1 of this namespace started after
expect_eq "torch name, PID started after the file: reused, orphaned" \
    "orphaned reused" "$(verdict pshm torch_1_9) $(jq -r '.objects[] |
    select(.name == "torch_1_9") | .pids[0].state' "$TMPD/o.json")"
# JSON counts per POSIX type
expect_eq "orphans counts pshm" 4 "$(jq '.orphans.pshm' "$TMPD/o.json")"
# text table: the name in the ID column, evidence of the convention
"$IPCTUNE" orphans --pid $$ -a --min-age 0 >"$TMPD/o.txt" 2>&1
check "table: evidence names the convention" \
    grep -q "name as PyTorch (libshm) names it" "$TMPD/o.txt"
check "table: the name stands in the ID column" \
    grep -q "^pshm *torch_4194303_1 " "$TMPD/o.txt"
check "orphans --type pshm: accepted" "$IPCTUNE" orphans --type pshm
check "clean --type pshm: a dry run" "$IPCTUNE" clean --type pshm

# Python multiprocessing (CPython 3.11 here): SharedMemory makes a
# psm_<hex> file it maps, and a semaphore or lock of the spawn or
# forkserver context a sem.mp-<random> file (the fork context unlinks its
# semaphores at once and leaves none).  The names carry no PID.  Its
# resource_tracker unlinks them when the program dies; after kill -9 of
# the program and the tracker they stay.  On a fresh tmpfs: uid 1005's
# program and tracker killed, uid 1006's program alive and mapping its
# own.
# an interpreter another uid may run (a pyenv shim under /root is not)
PYI=
for c in python3 /usr/bin/python3; do
	if as 1005 "$c" -c 'import multiprocessing.shared_memory' \
	    >/dev/null 2>&1; then
		PYI=$c
		break
	fi
done
if [ -z "$PYI" ]; then
	echo "# SKIP Python multiprocessing: no python3 that uid 1005 can run has multiprocessing.shared_memory"
else
	mount -t tmpfs -o size=8m,mode=1777 tmpfs /dev/shm ||
	    { fail "cannot mount a fresh tmpfs on /dev/shm"; exit 1; }
	cat >"$TMPD/mp.py" <<'EOT'
import multiprocessing as mp, time
from multiprocessing import shared_memory
ctx = mp.get_context("spawn")
shm = shared_memory.SharedMemory(create=True, size=65536)
shm.buf[0] = 1
sem, lock = ctx.Semaphore(1), ctx.Lock()
print("ready", flush=True)
time.sleep(1000)
EOT
	# pymp UID FILE: the program as UID in the background, ready; PY
	pymp() {
		# setpriv execs the program: $! is its PID
		setpriv --reuid="$1" --regid="$1" --clear-groups "$PYI" - \
		    <"$TMPD/mp.py" >"$2" 2>&1 &
		PY=$!
		PIDS="$PIDS $PY"
		i=0
		until grep -q '^ready$' "$2" 2>/dev/null; do
			i=$((i + 1))
			if [ $i -gt 3000 ] || ! kill -0 "$PY" 2>/dev/null; then
				cat "$2" >&2
				return 1
			fi
			sleep 0.01
		done
	}
	pymp 1005 "$TMPD/py1" || exit 1
	# its resource_tracker is a child; kill -9 it first, then the program
	TR=$(cat "/proc/$PY/task/$PY/children")
	[ -n "$TR" ] || fail "no resource_tracker under the Python program"
	kill -9 $TR "$PY"
	wait "$PY" 2>/dev/null
	dead=$(find /dev/shm -user 1005 -printf '%f\n' | sort | tr '\n' ' ')
	pymp 1006 "$TMPD/py2" || exit 1
	live=$(find /dev/shm -user 1006 -printf '%f\n' | sort | tr '\n' ' ')
	expect_eq "kill -9 leaves one psm_ and two sem.mp- files" \
	    "psm_ sem.mp- sem.mp- " "$(echo "$dead" | tr ' ' '\n' |
	    sed -n 's/^\(psm_\|sem\.mp-\).*/\1/p' | tr '\n' ' ')"
	# verdict_of FILE: the verdict of the /dev/shm file FILE
	verdict_of() {
		case $1 in sem.*) verdict psem "$1" ;; *) verdict pshm "$1" ;;
		esac
	}
	# verdicts FILES: each file's verdict, space-separated
	verdicts() {
		for f in $1; do printf '%s ' "$(verdict_of "$f")"; done
	}
	judge --min-age 1h
	expect_eq "Python, killed, young: suspect" "suspect suspect suspect " \
	    "$(verdicts "$dead")"
	expect_eq "Python, alive: in use" "in_use in_use in_use " \
	    "$(verdicts "$live")"
	judge --min-age 0
	expect_eq "Python, killed, --min-age 0: orphaned" \
	    "orphaned orphaned orphaned " "$(verdicts "$dead")"
	expect_eq "Python, alive, --min-age 0: in use" "in_use in_use in_use " \
	    "$(verdicts "$live")"
	"$IPCTUNE" clean --pid $$ --type pshm --type psem --min-age 0 --yes \
	    >"$TMPD/pyclean" 2>&1
	expect_eq "clean --type pshm --type psem --min-age 0 --yes succeeds" \
	    0 $?
	expect_eq "clean removed the killed program's files" "" \
	    "$(find /dev/shm -user 1005 -printf '%f\n')"
	expect_eq "clean kept the live program's files" "$live" \
	    "$(find /dev/shm -user 1006 -printf '%f\n' | sort | tr '\n' ' ')"
	kill "$PY"
	wait "$PY" 2>/dev/null
	# its resource_tracker may still be unlinking what it leaves
	umount -l /dev/shm
fi

# held only through the descriptor table of a thread that called
# unshare(CLONE_FILES): /proc/PID/fd (the leader's) does not show it,
# /proc/PID/task/TID/fd does; objects of uid 1007, which runs nothing
as 1007 "$PH" shm thr-shm 4096 mq /thr-q 4 64 || exit 1
phold "$TMPD/h7" threads 8 tshmopen /thr-shm tmqopen /thr-q || exit 1
T7=$PHELD
# held THEN: both objects in use, the helper their holder
held() {
	expect_eq "a thread's own descriptor table$1: the file is in use" \
	    "in_use $T7" "$(verdict pshm thr-shm) $(jq -r '.objects[] |
	    select(.name == "thr-shm") | .pids[] | select(.role == "holder")
	    | .pid' "$TMPD/o.json")"
	expect_eq "a thread's own descriptor table$1: the queue is in use" \
	    "in_use $T7" "$(verdict pmq thr-q) $(jq -r '.objects[] |
	    select(.type == "pmq" and .name == "thr-q") | .pids[] |
	    select(.role == "holder") | .pid' "$TMPD/o.json")"
}
# (LeakSanitizer cannot run under ptrace: a sanitizer build runs without it)
NOLEAK="${ASAN_OPTIONS:-}:detect_leaks=0"
# task_fds: how many thread fd directories of the helper a judge read
task_fds() {
	grep -Ec "/proc/$T7/task/[0-9]+/fd\"" "$TMPD/strace"
}
ASAN_OPTIONS="$NOLEAK" strace -f -qq -e trace=openat -o "$TMPD/strace" \
    "$IPCTUNE" orphans --pid $$ -a --min-age 0 --format json \
    >"$TMPD/o.json" 2>"$TMPD/o.err"
held ""
# kcmp(KCMP_FILES) tells the 8 threads of the leader's table from the 2
# of their own: only those 2 tables are read
expect_eq "kcmp: only the threads' own tables are read" 2 "$(task_fds)"
# without kcmp (a container's seccomp filter: EPERM; no CONFIG_KCMP:
# ENOSYS) every thread's table is read
for e in EPERM ENOSYS; do
	ASAN_OPTIONS="$NOLEAK" strace -f -qq -e trace=openat \
	    -o "$TMPD/strace" "$BUILD/tests/nokcmp" $e "$IPCTUNE" orphans \
	    --pid $$ -a --min-age 0 --format json >"$TMPD/o.json" \
	    2>"$TMPD/o.err"
	held " (kcmp fails with $e)"
	expect_eq "kcmp fails with $e: every thread's table is read" 10 \
	    "$(task_fds)"
done
# mapped by a process whose main thread ended alone (pthread_exit): the
# leader is a zombie whose maps are empty; a thread's maps show the file
# and whose fd is empty, the table its threads share no longer its own
as 1007 "$PH" shm lx-map 4096 shm lx-open 4096 || exit 1
phold "$TMPD/h8" shmmap /lx-map leaderexit || exit 1
T8=$PHELD
phold "$TMPD/h9" shmopen /lx-open leaderexit || exit 1
T9=$PHELD
judge --min-age 0
expect_eq "zombie leader, threads alive: the mapped file is in use" \
    "Z in_use $T8" "$(awk '/^State:/ { print $2 }' "/proc/$T8/status") \
$(verdict pshm lx-map) $(jq -r '.objects[] | select(.name == "lx-map") |
    .pids[] | select(.role == "holder") | .pid' "$TMPD/o.json")"
expect_eq "zombie leader, threads alive: the open file is in use" \
    "in_use $T9" "$(verdict pshm lx-open) $(jq -r '.objects[] |
    select(.name == "lx-open") | .pids[] | select(.role == "holder") |
    .pid' "$TMPD/o.json")"
"$IPCTUNE" clean --pid $$ --type pshm --type pmq --min-age 0 --yes \
    >"$TMPD/tclean" 2>&1
expect_eq "clean --yes keeps what a thread holds" "yes yes yes" \
    "$([ -e /dev/shm/thr-shm ] && echo yes) $([ -e /dev/mqueue/thr-q ] &&
    echo yes) $([ -e /dev/shm/lx-map ] && [ -e /dev/shm/lx-open ] &&
    echo yes)"

# a file registered in the fixed file table of an io_uring instance and
# then closed: only /proc/PID/fdinfo/N of the ring names it
as 1007 "$PH" shm ur-file 4096 shm ur-none 4096 || exit 1
if "$PH" uring /ur-none >/dev/null 2>"$TMPD/ur.err" || [ $? -ne 3 ]; then
	phold "$TMPD/h10" uring /ur-file || exit 1
	T10=$PHELD
	judge --min-age 0
	expect_eq "an io_uring's fixed file: in use, its process the holder" \
	    "in_use $T10" "$(verdict pshm ur-file) $(jq -r '.objects[] |
	    select(.name == "ur-file") | .pids[] | select(.role == "holder") |
	    .pid' "$TMPD/o.json")"
	expect_eq "a ring's file, its process gone: orphaned" orphaned \
	    "$(verdict pshm ur-none)"
else
	echo "# SKIP io_uring fixed files: $(cat "$TMPD/ur.err")"
fi

# a file that backs a loop device: no process holds it, the kernel does
# (/sys/block/loopN/loop/backing_file names it).  No loop device is
# made here: a tmpfs over /sys/block of this mount namespace stands for
# the kernel's, with loop3 naming the file
as 1007 "$PH" shm lp-file 4096 shm lp-gone 4096 || exit 1
mount -t tmpfs -o size=1m tmpfs /sys/block || exit 1
mkdir -p /sys/block/loop3/loop /sys/block/loop4/loop /sys/block/loop5
printf '/dev/shm/lp-file\n' >/sys/block/loop3/loop/backing_file
printf '/dev/shm/lp-gone (deleted)\n' >/sys/block/loop4/loop/backing_file
judge --min-age 0
expect_eq "backs a loop device: in use, the device named" \
    "in_use backs_loop_device loop_device 0 loop3" "$(verdict pshm lp-file) \
$(reasons pshm lp-file) $(jq -r '.objects[] | select(.name == "lp-file") |
    .pids[] | "\(.role) \(.pid) \(.command)"' "$TMPD/o.json")"
expect_eq "a deleted backing file of the same name holds nothing" orphaned \
    "$(verdict pshm lp-gone)"
check "the loop device in orphans JSON fits orphans-1.json" \
    validate "$TOP/contrib/schema/orphans-1.json" "$TMPD/o.json"
"$IPCTUNE" list pshm --pid $$ --format json >"$TMPD/l.json"
check "a pid 0 holder in list JSON fits list-1.json" \
    validate "$TOP/contrib/schema/list-1.json" "$TMPD/l.json"
check "orphans: the evidence says 'backs /dev/loop3'" sh -c \
    '"$1" orphans --pid "$2" -a --min-age 0 | grep -q "lp-file .*backs /dev/loop3"' \
    sh "$IPCTUNE" $$
check "list pshm: the holder is /dev/loop3" sh -c '"$1" list pshm --pid "$2" |
    grep -q "lp-file .*/dev/loop3"' sh "$IPCTUNE" $$
# a file of another mount namespace's /dev/shm: the kernel prints its
# path from that namespace's root, found under /proc/PID/root with --pid
unshare --mount sh -c 'mount -t tmpfs tmpfs /dev/shm &&
    exec "$1" shm nsloop 4096 hold' sh "$PH" >"$TMPD/h11" 2>&1 &
N11=$!
PIDS="$PIDS $N11"
i=0
until grep -q '^ready$' "$TMPD/h11" 2>/dev/null || [ $i -gt 3000 ]; do
	i=$((i + 1)); sleep 0.01
done
mkdir -p /sys/block/loop6/loop
printf '/dev/shm/nsloop\n' >/sys/block/loop6/loop/backing_file
expect_eq "--pid in another mount namespace: its file backs /dev/loop6" \
    "backs_loop_device loop6" "$("$IPCTUNE" orphans --pid "$N11" -a \
    --min-age 0 --format json | jq -r '.objects[] | select(.name ==
    "nsloop") | "\(.reasons | map(select(. == "backs_loop_device")) |
    join(",")) \(.pids[] | select(.role == "loop_device") | .command)"')"
# a path that names no file here (a bind mount of another mount
# namespace) makes ipctune ask the device node, read-only, once it is
# the block device sysfs names: loop7 (here bound to nothing, ENXIO, or
# to a host's file, not ours), not loop2, whose sysfs dev names another
# device than /dev/loop2
if [ "$(stat -c %F:%t:%T /dev/loop7 /dev/loop2 2>/dev/null | tr '\n' ' ')" = \
    "block special file:7:7 block special file:7:2 " ]; then
	mkdir -p /sys/block/loop7/loop /sys/block/loop2/loop
	printf '/nowhere/img\n' >/sys/block/loop7/loop/backing_file
	printf '7:7\n' >/sys/block/loop7/dev
	printf '/nowhere/img\n' >/sys/block/loop2/loop/backing_file
	printf '7:99\n' >/sys/block/loop2/dev
	ASAN_OPTIONS="$NOLEAK" strace -f -qq -e trace=openat,ioctl \
	    -o "$TMPD/strace" "$IPCTUNE" orphans --pid $$ -a --min-age 0 \
	    --format json >"$TMPD/o.json" 2>"$TMPD/o.err"
	expect_eq "unresolved backing file: LOOP_GET_STATUS64 asked of loop7 only" \
	    "1 1 0" "$(grep -c 'openat(.*"/dev/loop7", O_RDONLY' "$TMPD/strace") \
$(grep -c 'ioctl(.*LOOP_GET_STATUS64' "$TMPD/strace") \
$(grep -c '"/dev/loop2"' "$TMPD/strace")"
	expect_eq "an unbound device is no holder" orphaned \
	    "$(verdict pshm lp-gone)"
	rm -r /sys/block/loop7 /sys/block/loop2
else
	echo "# SKIP LOOP_GET_STATUS64: no /dev/loop7 and /dev/loop2 nodes"
fi
"$IPCTUNE" snapshot --pid $$ >"$TMPD/lsnap.json"
check "a pid 0 holder in a snapshot fits snapshot-1.json" \
    validate "$TOP/contrib/schema/snapshot-1.json" "$TMPD/lsnap.json"
check "snapshot --from: the loop device comes back as the holder" sh -c \
    '"$1" list pshm --from "$2" | grep -q "lp-file .*/dev/loop3"' sh \
    "$IPCTUNE" "$TMPD/lsnap.json"
jq '(.objects.pshm[] | select(.file == "lp-file") | .holders[0].mapped) =
    true' "$TMPD/lsnap.json" >"$TMPD/lbad.json"
"$IPCTUNE" list pshm --from "$TMPD/lbad.json" >/dev/null 2>"$TMPD/lbad.err"
expect_eq "snapshot: a loop device (pid 0) that maps is refused" \
    "1 yes" "$? $(grep -q 'malformed holder' "$TMPD/lbad.err" && echo yes)"
"$IPCTUNE" clean --pid $$ --type pshm --min-age 0 --yes >"$TMPD/lclean" 2>&1
expect_eq "clean --yes keeps a loop device's backing file" "yes no" \
    "$([ -e /dev/shm/lp-file ] && echo yes) $([ -e /dev/shm/lp-gone ] &&
    echo yes || echo no)"
umount /sys/block

# unshare --fork waits for its child, the PID 1 of its namespace
kill -9 $(cat "/proc/$N3/task/$N3/children" 2>/dev/null) 2>/dev/null
for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
finish
