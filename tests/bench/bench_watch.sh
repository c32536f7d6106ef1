#!/bin/sh
# make bench: what 'ipctune watch' costs a successful IPC call.  In a
# private IPC namespace, a loop of successful semop calls (pinned to one
# CPU, CPU time from tests/sys/rusage.c) runs with and without watch
# attached, interleaved over several rounds in one run; prints the
# median ns per call of each, the overhead ratio, and checks that the
# successful calls sent nothing to user space.
# Environment: BENCH_WATCH_N semops per run (300000), BENCH_WATCH_ROUNDS (5).
BENCH=bench_watch
. "$(dirname "$0")/benchlib.sh"
FAIL=$BUILD/tests/ipcfail
N=${BENCH_WATCH_N:-300000}
ROUNDS=${BENCH_WATCH_ROUNDS:-5}

enter_private_ns "--ipc --mount --propagation private" "$@"
need_tools "$IPCTUNE" "$FAIL" "$RUSAGE"
INO=$(stat -L -c %i /proc/self/ns/ipc)
if ! "$IPCTUNE" watch --duration 1 --ns "$INO" >"$TMPD/probe" 2>&1; then
	echo "bench_watch: skipped: $(tail -1 "$TMPD/probe")"
	exit 0
fi
PIN=
command -v taskset >/dev/null 2>&1 && PIN="taskset -c 0"

# one run of N successful semops: CPU microseconds
loop() { $PIN "$RUSAGE" 1 "$FAIL" good "$N" | awk '{ print $2 }'; }

: >"$TMPD/none"
: >"$TMPD/watch"
for r in $(seq "$ROUNDS"); do
	loop >>"$TMPD/none" || exit 1
	rm -f "$TMPD/ready"
	"$IPCTUNE" watch --format json --ns "$INO" --ready-file \
	    "$TMPD/ready" >"$TMPD/w.$r" 2>&1 &
	w=$!
	i=0
	while [ ! -e "$TMPD/ready" ] && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	loop >>"$TMPD/watch" || exit 1
	kill -INT "$w"
	wait "$w"
	sent=$(tail -1 "$TMPD/w.$r" | sed -n 's/.*"failed":\([0-9]*\).*/\1/p')
	if [ "$sent" != 0 ]; then
		echo "bench_watch: successful calls were reported: $(tail -1 \
		    "$TMPD/w.$r")" >&2
		exit 1
	fi
done
median() { sort -n "$1" | awk '{ v[NR] = $1 } END {
    print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
a=$(median "$TMPD/none")
b=$(median "$TMPD/watch")
awk -v a="$a" -v b="$b" -v n="$N" -v r="$ROUNDS" 'BEGIN {
    printf "watch overhead on successful semop: %.0f ns without, %.0f ns " \
        "with watch attached, ratio %.2f (median of %d interleaved runs " \
        "of %d calls, CPU time, one CPU); 0 events sent\n",
        a * 1000 / n, b * 1000 / n, b / a, r, n }'
