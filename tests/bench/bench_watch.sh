#!/bin/sh
# make bench: what 'ipctune watch' costs a successful IPC call.  In a
# private IPC namespace, a loop of successful semop calls (pinned to one
# CPU, CPU time from tests/sys/rusage.c) runs without watch and with
# watch attached in each attach mode, interleaved over several rounds in
# one run; prints the median ns per call of each, the overhead ratios,
# and checks that the successful calls sent nothing to user space.
# Environment: BENCH_WATCH_N semops per run (300000), BENCH_WATCH_ROUNDS
# (5), BENCH_WATCH_MODES ("exit enter-exit btf").
BENCH=bench_watch
. "$(dirname "$0")/benchlib.sh"
FAIL=$BUILD/tests/ipcfail
N=${BENCH_WATCH_N:-300000}
ROUNDS=${BENCH_WATCH_ROUNDS:-5}
MODES=${BENCH_WATCH_MODES:-exit enter-exit btf}

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
for m in $MODES; do : >"$TMPD/watch.$m"; done
for r in $(seq "$ROUNDS"); do
	loop >>"$TMPD/none" || exit 1
	for m in $MODES; do
		rm -f "$TMPD/ready"
		"$IPCTUNE" watch --format json --ns "$INO" --attach "$m" \
		    --ready-file "$TMPD/ready" >"$TMPD/w.$r.$m" 2>&1 &
		w=$!
		i=0
		while [ ! -e "$TMPD/ready" ] && [ $i -lt 300 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		loop >>"$TMPD/watch.$m" || exit 1
		kill -INT "$w"
		wait "$w"
		sent=$(tail -1 "$TMPD/w.$r.$m" |
		    sed -n 's/.*"failed":\([0-9]*\).*/\1/p')
		if [ "$sent" != 0 ]; then
			echo "bench_watch: successful calls were reported" \
			    "($m): $(tail -1 "$TMPD/w.$r.$m")" >&2
			exit 1
		fi
	done
done
median() { sort -n "$1" | awk '{ v[NR] = $1 } END {
    print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
a=$(median "$TMPD/none")
awk -v a="$a" -v n="$N" -v r="$ROUNDS" 'BEGIN {
    printf "watch overhead on successful semop (median of %d interleaved " \
        "runs of %d calls, CPU time, one CPU; 0 events sent):\n" \
        "  none        %5.0f ns\n", r, n, a * 1000 / n }'
for m in $MODES; do
	b=$(median "$TMPD/watch.$m")
	awk -v a="$a" -v b="$b" -v n="$N" -v m="$m" 'BEGIN {
	    printf "  %-11s %5.0f ns  ratio %.2f\n", m, b * 1000 / n, b / a }'
done
