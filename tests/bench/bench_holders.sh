#!/bin/sh
# make bench: the POSIX holder scan over many threads.  In private IPC,
# mount and PID namespaces with their own tmpfs at /dev/shm, start
# BENCH_HOLD_PROCS (200) processes of BENCH_HOLD_THREADS (50) threads
# and BENCH_HOLD_FDS (30) open descriptors each, and a JVM-like few:
# BENCH_HOLD_BIG (4) processes of 300 threads and 500 descriptors; one
# thread of one process holds a file through a descriptor table of its
# own (unshare(CLONE_FILES)).  Times 'ipctune orphans --type pshm' (the
# holder scan reads every process's fd and maps, the tables of threads
# that have their own told apart with kcmp(2)) against the same under a
# seccomp filter that fails kcmp, where every thread's table is read, and
# IPCTUNE_OLD (an ipctune that reads the leaders' tables only) if given.
# Prints medians of wall and CPU time (tests/sys/rusage.c), peak RSS.
BENCH=bench
. "$(dirname "$0")/benchlib.sh"
PH=$BUILD/tests/posixhelper
NOKCMP=$BUILD/tests/nokcmp
NP=${BENCH_HOLD_PROCS:-200}
NT=${BENCH_HOLD_THREADS:-50}
NF=${BENCH_HOLD_FDS:-30}
NB=${BENCH_HOLD_BIG:-4}
RUNS=${BENCH_RUNS:-5}
ROW_WIDTH=56
OLD=${IPCTUNE_OLD:-}

enter_private_ns "--ipc --mount --propagation private --pid --fork \
    --mount-proc" "$@"
need_tools "$IPCTUNE" "$PH" "$NOKCMP" "$RUSAGE"
mount -t tmpfs -o size=16m tmpfs /dev/shm || exit 1
mkdir -p /dev/mqueue && mount -t mqueue none /dev/mqueue || exit 1
# files of a uid that runs nothing, one held by a thread of its own table
setpriv --reuid=1001 --regid=1001 --clear-groups "$PH" shm held 4096 \
    shm a 4096 shm b 4096 || exit 1
start() {
	"$PH" "$@" hold >>"$TMPD/ready" 2>&1 &
}
i=0
while [ $i -lt "$NP" ]; do
	i=$((i + 1))
	start threads $((NT - 1)) nullfds "$NF"
done
i=0
while [ $i -lt "$NB" ]; do
	i=$((i + 1))
	start threads 299 nullfds 500
done
start threads 10 tshmopen /held
want=$((NP + NB + 1))
n=0
while [ "$(grep -c '^ready$' "$TMPD/ready")" -lt "$want" ] && [ $n -lt 3000 ]; do
	n=$((n + 1))
	sleep 0.01
done
tasks=$(ls -d /proc/[0-9]*/task/[0-9]* | wc -l)
nproc=$(ls /proc | grep -c '^[0-9]')
echo "ipctune bench (holders): $nproc processes, $tasks threads in the" \
    "PID namespace; $RUNS runs each; kernel $(uname -r)"
ORPH="orphans -a --type pshm --min-age 0 --format json"
# shellcheck disable=SC2086
timeit kcmp "$IPCTUNE" $ORPH
# shellcheck disable=SC2086
timeit every "$NOKCMP" EPERM "$IPCTUNE" $ORPH
ALL="kcmp every"
if [ -n "$OLD" ]; then
	# shellcheck disable=SC2086
	timeit old "$OLD" $ORPH
	ALL="$ALL old"
fi
# shellcheck disable=SC2086
"$IPCTUNE" $ORPH >"$TMPD/o.json"
held=$(jq -r '.objects[] | select(.name == "held") | .verdict' "$TMPD/o.json")
figures $ALL
header
[ -n "$OLD" ] && row old "leaders' tables only (IPCTUNE_OLD)"
row kcmp "threads' own tables told apart with kcmp"
row every "every thread's table (kcmp fails: EPERM)"
verdict "the file a thread's own table holds is in use ($held)" \
    "\"$held\" == \"in_use\""
verdict "kcmp: CPU within 1.5x of the leaders' tables only" \
    "${c_old:-$c_kcmp} * 1.5 >= $c_kcmp"
verdict "kcmp: under a tenth of the wall time of every thread's table" \
    "$w_kcmp * 10 <= $w_every"
exit 0
