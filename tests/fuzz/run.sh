#!/bin/sh
# Run every libFuzzer target in $BUILD/fuzz for FUZZ_SECONDS each, from a
# scratch copy of its seed corpus in tests/fuzz/corpus/<target> (plus the
# hostile inputs of the same kind), and fail on any crash, leak, timeout
# or sanitizer report.  Prints the executions per target and the total.
# Usage: tests/fuzz/run.sh [TARGET...]
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
out=$BUILD/fuzz/results
mkdir -p "$out"
work=$(mktemp -d /tmp/ipctune-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
summary=$out/summary.txt
: >"$summary"
failed=0
total_execs=0
total_secs=0
if [ $# -gt 0 ]; then
	targets=$*
else
	targets=$(cd "$BUILD/fuzz" && ls fuzz_* 2>/dev/null | grep -v '\.' |
	    sed 's/^fuzz_//')
fi
[ -n "$targets" ] || { echo "no fuzz targets in $BUILD/fuzz"; exit 1; }
for t in $targets; do
	bin=$BUILD/fuzz/fuzz_$t
	seeds=tests/fuzz/corpus/$t
	mkdir -p "$work/$t" "$out/$t"
	[ -d "$seeds" ] && cp "$seeds"/* "$work/$t/" 2>/dev/null
	[ -d "tests/hostile/$t" ] &&
	    cp tests/hostile/"$t"/* "$work/$t/" 2>/dev/null
	start=$(date +%s)
	"$bin" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
	    -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
	    -max_len=65536 -artifact_prefix="$out/$t/" \
	    "$work/$t" >"$out/$t/log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
	    "$out/$t/log" | tail -1)
	execs=${execs:-0}
	total_execs=$((total_execs + execs))
	total_secs=$((total_secs + secs))
	if [ "$rc" -ne 0 ]; then
		failed=$((failed + 1))
		echo "FAIL - fuzz_$t: exit $rc after $execs executions" \
		    "($secs s); log $out/$t/log"
		grep -E 'ERROR|SUMMARY|property failed|runtime error' \
		    "$out/$t/log" | head -5 | sed 's/^/    /'
		ls "$out/$t"/crash-* "$out/$t"/leak-* "$out/$t"/timeout-* \
		    "$out/$t"/oom-* 2>/dev/null | sed 's/^/    artifact: /'
	else
		echo "ok - fuzz_$t: $execs executions in $secs s"
	fi
	echo "$t $execs $secs $rc" >>"$summary"
done
echo "fuzzed $total_secs s in total, $total_execs executions" \
    "($BUILD/fuzz/results/summary.txt)"
[ "$failed" -eq 0 ]
