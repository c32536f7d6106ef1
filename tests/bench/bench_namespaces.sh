#!/bin/sh
# Benchmark: 'ipctune namespaces' over 200 IPC namespaces and 5,000
# processes (each namespace: a shell, 24 sleeping children and one queue
# of its own), in private IPC, mount and PID namespaces.  Prints the
# median of BENCH_RUNS (5) runs as wall and CPU time (tests/sys/rusage.c,
# CPU includes the reader child) and peak RSS; fails if the median wall
# time is 5 s or more.
# Environment: BENCH_NS namespaces (200), BENCH_PER processes each (25).
BENCH=bench
. "$(dirname "$0")/benchlib.sh"
HELPER=$BUILD/tests/ipchelper
NNS=${BENCH_NS:-200}
PER=${BENCH_PER:-25}
RUNS=${BENCH_RUNS:-5}

enter_private_ns "--ipc --mount --propagation private --pid --fork \
    --mount-proc" "$@"
# PID 1 of this PID namespace: leaving kills every process started here
need_tools "$IPCTUNE" "$HELPER" "$RUSAGE"

t0=$(date +%s%N)
n=0
while [ $n -lt "$NNS" ]; do
	unshare --ipc sh -c '"$1" -q msg >/dev/null; i=1
	    while [ $i -lt "$2" ]; do sleep 600 & i=$((i + 1)); done
	    exec sleep 600' sh "$HELPER" "$PER" &
	n=$((n + 1))
done
# wait until every process is there
want=$((NNS * PER + 1))
i=0
while [ "$(ls -d /proc/[0-9]* 2>/dev/null | wc -l)" -lt "$want" ] && [ $i -lt 600 ]; do
	sleep 0.1; i=$((i + 1))
done
t1=$(date +%s%N)
procs=$(ls -d /proc/[0-9]* 2>/dev/null | wc -l)
"$IPCTUNE" namespaces --all --format json >"$TMPD/ns.json" || exit 1
got=$(jq '[.namespaces[] | select(.state == "read")] | length' "$TMPD/ns.json")
"$RUSAGE" "$RUNS" "$IPCTUNE" namespaces --all --format json \
    >"$TMPD/r.txt" 2>/dev/null || exit 1
wall=$(median 1 "$TMPD/r.txt")
cpu=$(median 2 "$TMPD/r.txt")
rss=$(median 3 "$TMPD/r.txt")
printf 'namespaces over %s namespaces (%s read) and %s processes ' \
    "$((NNS + 1))" "$got" "$procs"
printf '(set up in %d ms): median of %d: %d ms wall, %d ms CPU, %d KiB RSS ' \
    $(((t1 - t0) / 1000000)) "$RUNS" $((wall / 1000)) $((cpu / 1000)) "$rss"
echo "(limit 5 s wall)"
[ "$got" -ge "$NNS" ] && [ "$wall" -lt 5000000 ]
