#!/bin/sh
# Time 'ipctune report' over N snapshots (default 10,000) of the size
# 'ipctune snapshot' writes on a typical server: 8 shared memory segments,
# 40 semaphore arrays and 4 message queues, taken from a real snapshot
# made in a private IPC namespace.  The same run builds the program as it
# was at commit 08c335e (BENCH_BASE; or takes BENCH_OLD, a binary) and
# times both over the same files, alternating: medians of wall and CPU
# time and peak RSS (tests/sys/rusage.c), each target with PASS or MISS.
# Both must print the same report (every value of the base's JSON report
# equal in the new one), or the run fails; a MISS of a ratio does not,
# since it is taken on a shared machine.
# Usage: tests/bench/bench_report.sh [N]  (root, for unshare --ipc)
set -eu
cd "$(dirname "$0")/../.."
TOP=$PWD
n=${1:-10000}
IPCTUNE=${IPCTUNE:-$PWD/ipctune}
BUILD=${BUILD:-build}
RUSAGE=$BUILD/tests/rusage
RUNS=${BENCH_RUNS:-5}
BASE=${BENCH_BASE:-08c335e}
dir=$(mktemp -d /tmp/ipctune-bench-report.XXXXXX)
trap 'rm -rf "$dir"' EXIT

OLD=${BENCH_OLD:-}
if [ -z "$OLD" ]; then
	mkdir "$dir/old"
	git -C "$TOP" archive "$BASE" | tar -x -C "$dir/old"
	make -C "$dir/old" -j2 ipctune >"$dir/old.log" 2>&1 || {
		cat "$dir/old.log" >&2
		echo "bench_report: cannot build $BASE" >&2
		exit 1
	}
	OLD=$dir/old/ipctune
fi

unshare --ipc sh -c '
	for i in 1 2 3 4 5 6 7 8; do ipcmk -M $((i * 1048576)) >/dev/null; done
	i=0
	while [ $i -lt 40 ]; do ipcmk -S 17 >/dev/null; i=$((i + 1)); done
	for i in 1 2 3 4; do ipcmk -Q >/dev/null; done
	"$1" snapshot' sh "$IPCTUNE" >"$dir/template.json"
python3 tests/bench/gensnapshots.py "$dir/template.json" "$dir/fleet" "$n" \
    --broken 10
size=$(du -sk "$dir/fleet" | cut -f1)
echo "report: $n snapshots, $((size / 1024)) MiB, template" \
    "$(wc -c <"$dir/template.json") bytes, base $BASE, $RUNS runs each"
# warm the page cache
cat "$dir"/fleet/* >/dev/null

# the broken snapshots make report exit 1
run() { "$1" report "$2" "$dir/fleet" >"$3" || [ $? -eq 1 ]; }
# Since the base, the report gained rows (the POSIX limits) and columns:
# every value the base's JSON report holds must be in the new one, equal
# (rows matched by their name); the table's bytes are t_report_golden's.
for f in table json; do
	run "$OLD" "--format=$f" "$dir/old.$f"
	run "$IPCTUNE" "--format=$f" "$dir/new.$f"
done
python3 - "$dir/old.json" "$dir/new.json" <<'PY' || {
import json, sys
old, new = (json.load(open(p)) for p in sys.argv[1:3])
def key(e):
    if isinstance(e, dict):
        for k in ("resource", "name", "host", "path", "code"):
            if k in e:
                return (k, json.dumps(e[k]))
    return None
def sub(o, n, at):
    if isinstance(o, dict):
        if not isinstance(n, dict):
            raise SystemExit(f"{at}: not an object")
        for k, v in o.items():
            if k == "generated_at":
                continue
            if k not in n:
                raise SystemExit(f"{at}.{k}: missing")
            sub(v, n[k], f"{at}.{k}")
    elif isinstance(o, list):
        if not isinstance(n, list):
            raise SystemExit(f"{at}: not an array")
        keyed = {key(e): e for e in n if key(e) is not None}
        if o and all(key(e) is not None for e in o):
            for e in o:
                if key(e) not in keyed:
                    raise SystemExit(f"{at}[{key(e)}]: missing")
                sub(e, keyed[key(e)], f"{at}[{key(e)[1]}]")
        else:
            if len(o) != len(n):
                raise SystemExit(f"{at}: {len(o)} != {len(n)} elements")
            for i, (a, b) in enumerate(zip(o, n)):
                sub(a, b, f"{at}[{i}]")
    elif o != n:
        raise SystemExit(f"{at}: {o!r} != {n!r}")
sub(old, new, "$")
PY
	echo "bench_report: the JSON report differs from $BASE's" >&2
	exit 1
}
read_n=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["snapshots"]["read"], d["snapshots"]["skipped"])' "$dir/new.json")
# only the 10 files damaged on purpose may be skipped, or the figure
# measures error paths instead of the aggregation
if [ "$read_n" != "$((n - 10)) 10" ]; then
	echo "report: expected $((n - 10)) read and 10 skipped, got $read_n" >&2
	exit 1
fi

# alternating, so that load from elsewhere hits both alike
: >"$dir/t.old"
: >"$dir/t.new"
i=0
while [ $i -lt "$RUNS" ]; do
	for v in old new; do
		[ $v = old ] && b=$OLD || b=$IPCTUNE
		"$RUSAGE" 1 sh -c '"$0" report --format json "$1" || [ $? -eq 1 ]' \
		    "$b" "$dir/fleet" >>"$dir/t.$v"
	done
	i=$((i + 1))
done
median() {
	awk -v c="$1" '{ print $c }' "$2" | sort -n |
	    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
peak() { awk '$3 > m { m = $3 } END { print m }' "$1"; }
wo=$(median 1 "$dir/t.old") co=$(median 2 "$dir/t.old") ro=$(peak "$dir/t.old")
wn=$(median 1 "$dir/t.new") cn=$(median 2 "$dir/t.new") rn=$(peak "$dir/t.new")
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
printf '  %-44s %11s %11s %11s\n' "median of $RUNS runs" "wall" "cpu" \
    "peak RSS"
row() {
	awk -v n="$1" -v w="$2" -v c="$3" -v r="$4" 'BEGIN {
	    printf "  %-44s %8.1f ms %8.1f ms %7s KiB\n", n, w / 1000,
	    c / 1000, r }'
}
row "ipctune report ($BASE)" "$wo" "$co" "$ro"
row "ipctune report (this tree)" "$wn" "$cn" "$rn"
echo "  (every value of $BASE's JSON report equal in this one: yes)"
verdict() {
	if awk "BEGIN { exit !($2) }"; then echo "  PASS  $1"; else
		echo "  MISS  $1"; fi
}
r=$(awk -v a="$wo" -v b="$wn" 'BEGIN { printf "%.2f", a / b }')
rc=$(awk -v a="$co" -v b="$cn" 'BEGIN { printf "%.2f", a / b }')
echo "targets (ratios of wall time, cpu time in brackets):"
verdict "report                 ${r}x faster than $BASE's [cpu ${rc}x] (>= 2x)" \
    "$r >= 2"
verdict "report                 $rn KiB peak RSS (< 65536)" "$rn < 65536"
