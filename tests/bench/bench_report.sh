#!/bin/sh
# Time 'ipctune report' over N snapshots (default 10,000) of the size
# 'ipctune snapshot' writes on a typical server: 8 shared memory segments,
# 40 semaphore arrays and 4 message queues, taken from a real snapshot
# made in a private IPC namespace.  Prints the wall-clock and CPU time;
# the target is under 5 s of CPU on one core.
# Usage: tests/bench/bench_report.sh [N]  (root, for unshare --ipc)
set -eu
cd "$(dirname "$0")/../.."
n=${1:-10000}
IPCTUNE=${IPCTUNE:-$PWD/ipctune}
dir=$(mktemp -d /tmp/ipctune-bench-report.XXXXXX)
trap 'rm -rf "$dir"' EXIT

unshare --ipc sh -c '
	for i in 1 2 3 4 5 6 7 8; do ipcmk -M $((i * 1048576)) >/dev/null; done
	i=0
	while [ $i -lt 40 ]; do ipcmk -S 17 >/dev/null; i=$((i + 1)); done
	for i in 1 2 3 4; do ipcmk -Q >/dev/null; done
	"$1" snapshot' sh "$IPCTUNE" >"$dir/template.json"
python3 tests/bench/gensnapshots.py "$dir/template.json" "$dir/fleet" "$n" \
    --broken 10
size=$(du -sk "$dir/fleet" | cut -f1)
echo "report: $n snapshots, $((size / 1024)) MiB, template $(wc -c <"$dir/template.json") bytes"
# warm the page cache, then measure on one core
cat "$dir"/fleet/* >/dev/null
/usr/bin/time -f '%e %U %S %M' -o "$dir/time" \
    taskset -c 0 "$IPCTUNE" report --format json "$dir/fleet" >"$dir/out.json" ||
    [ $? -eq 1 ]	# the broken snapshots make it exit 1
read -r wall user sys rss <<EOT
$(grep -v "^Command" "$dir/time")
EOT
read_n=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["snapshots"]["read"], d["snapshots"]["skipped"])' "$dir/out.json")
echo "report: read/skipped $read_n; wall ${wall} s, cpu ${user} s user + ${sys} s sys, max RSS ${rss} KiB"
# only the 10 files damaged on purpose may be skipped, or the figure
# measures error paths instead of the aggregation
if [ "$read_n" != "$((n - 10)) 10" ]; then
	echo "report: expected $((n - 10)) read and 10 skipped, got $read_n" >&2
	exit 1
fi
# The target is CPU time on one core: on a shared machine the wall clock
# also counts the time other processes held the core.
cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
if awk -v c="$cpu" 'BEGIN { exit !(c < 5.0) }'; then
	echo "report: ${cpu} s of CPU on one core, under 5 s: yes"
else
	echo "report: ${cpu} s of CPU on one core, under 5 s: NO"
	exit 1
fi
