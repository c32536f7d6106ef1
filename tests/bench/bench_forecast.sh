#!/bin/sh
# Benchmark: 'ipctune forecast' over one year of 5-minute samples
# (105,000 lines, every resource, one of them leaking with noise and
# outliers), window 365d so every sample is used.  Prints the best of
# three wall-clock times; fails if it is 1 s or more.
# Usage: tests/bench/bench_forecast.sh   (after 'make tests-build')
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
IPCTUNE=${IPCTUNE:-./ipctune}
N=${N:-105000}
tmp=$(mktemp -d /tmp/ipctune-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
"$BUILD/tests/genhistory" --samples "$N" --step 300 --base 100 \
    --slope 60 --noise 6 --outliers 0.05 --limit 32000 >"$tmp/h.jsonl"
best=
for i in 1 2 3; do
	t0=$(date +%s%N)
	"$IPCTUNE" forecast -q --history "$tmp/h.jsonl" --window 365d \
	    --format json >"$tmp/out.json"
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 1000000 ))
	if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
done
grep -q '"state": "exhausts"' "$tmp/out.json" || {
	echo "bench_forecast: the leak was not found" >&2
	exit 1
}
size=$(wc -c <"$tmp/h.jsonl")
printf 'forecast over %s samples (%s bytes): %d.%03d s (best of 3, limit 1 s)\n' \
    "$N" "$size" $((best / 1000)) $((best % 1000))
[ "$best" -lt 1000 ]
