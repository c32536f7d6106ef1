#!/bin/sh
# make bench: in a private IPC namespace, create 32,000 shm segments,
# 32,000 semaphore arrays and 32,000 message queues, then time ipctune
# against lsipc, ipcs and the floor (cat /proc/sysvipc/*) in the same
# run.  Prints medians, ratios, peak RSS and the issue's targets.
# Environment: BENCH_N objects of each type (32000), BENCH_RUNS (9).
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
IPCTUNE=${IPCTUNE:-$TOP/ipctune}
HELPER=$BUILD/tests/ipchelper
N=${BENCH_N:-32000}
RUNS=${BENCH_RUNS:-9}

if [ -z "${IPCTUNE_IN_NS:-}" ]; then
	[ "$(id -u)" -eq 0 ] || { echo "bench: needs root (unshare --ipc)" >&2; exit 1; }
	export IPCTUNE_IN_NS="$(stat -L -c %i /proc/self/ns/ipc)"
	exec unshare --ipc --mount --propagation private sh "$0" "$@"
fi
if [ "$(stat -L -c %i /proc/self/ns/ipc)" = "$IPCTUNE_IN_NS" ]; then
	echo "bench: refusing to run outside a private IPC namespace" >&2
	exit 1
fi
for t in "$IPCTUNE" "$HELPER"; do
	[ -x "$t" ] || { echo "bench: '$t' missing (make tests-build)" >&2; exit 1; }
done
TMPD=$(mktemp -d /tmp/ipctune-bench.XXXXXX)
trap 'rm -rf "$TMPD"' EXIT

# raise the limits of this namespace only
echo $N >/proc/sys/kernel/shmmni
echo $N >/proc/sys/kernel/msgmni
echo "250 $((N * 250)) 32 $N" >/proc/sys/kernel/sem
t0=$(date +%s%N)
"$HELPER" -q shm size=4096 count=$N sem nsems=4 count=$N \
    msg count=$N send=1 bytes=16 >/dev/null || exit 1
t1=$(date +%s%N)
echo "ipctune bench: $N segments, $N arrays, $N queues created in" \
    "$(( (t1 - t0) / 1000000 )) ms; $RUNS runs each; kernel $(uname -r)"
echo

# now_ns: nanoseconds; median FILE: the median of the numbers in FILE
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# timeit NAME COMMAND...: run COMMAND RUNS times, output discarded
timeit() {
	name=$1
	shift
	: >"$TMPD/$name"
	"$@" >/dev/null 2>&1 || { echo "bench: '$*' failed" >&2; exit 1; }
	i=0
	while [ $i -lt "$RUNS" ]; do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1
		e=$(date +%s%N)
		echo $(( (e - s) / 1000 )) >>"$TMPD/$name"
		i=$((i + 1))
	done
}
lsipc3() { lsipc -m && lsipc -s && lsipc -q; }
catfloor() { cat /proc/sysvipc/shm /proc/sysvipc/sem /proc/sysvipc/msg; }

# interleave the tools so machine noise hits them alike
timeit status "$IPCTUNE" status --format json
timeit lsipc_json lsipc --json
timeit list "$IPCTUNE" list --format json
timeit lsipc3 lsipc3
timeit ipcs ipcs -a
timeit cat catfloor
timeit list_procfs "$IPCTUNE" list --format json --reader procfs
timeit list_table "$IPCTUNE" list
timeit snapshot "$IPCTUNE" snapshot

ms() { awk -v u="$1" 'BEGIN { printf "%9.1f ms", u / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
for f in status lsipc_json list lsipc3 ipcs cat list_procfs list_table \
    snapshot; do
	eval "m_$f=$(median "$TMPD/$f")"
done
# peak RSS in KiB, from GNU time
rss() {
	/usr/bin/time -f %M -o "$TMPD/rss" "$@" >/dev/null 2>&1
	cat "$TMPD/rss"
}
rss_status=$(rss "$IPCTUNE" status --format json)
rss_list=$(rss "$IPCTUNE" list --format json)
rss_snapshot=$(rss "$IPCTUNE" snapshot)
rss_lsipc=$(rss lsipc --json)

printf '%-44s %s\n' "median wall time" ""
printf '  %-42s %s\n' "ipctune status --format json" "$(ms $m_status)"
printf '  %-42s %s\n' "lsipc --json" "$(ms $m_lsipc_json)"
printf '  %-42s %s\n' "ipctune list --format json" "$(ms $m_list)"
printf '  %-42s %s\n' "ipctune list --format json --reader procfs" \
    "$(ms $m_list_procfs)"
printf '  %-42s %s\n' "ipctune list (tables)" "$(ms $m_list_table)"
printf '  %-42s %s\n' "ipctune snapshot" "$(ms $m_snapshot)"
printf '  %-42s %s\n' "lsipc -m; lsipc -s; lsipc -q" "$(ms $m_lsipc3)"
printf '  %-42s %s\n' "ipcs -a" "$(ms $m_ipcs)"
printf '  %-42s %s\n' "cat /proc/sysvipc/* (floor)" "$(ms $m_cat)"
echo
echo "peak RSS: status $rss_status KiB, list $rss_list KiB," \
    "snapshot $rss_snapshot KiB (lsipc --json $rss_lsipc KiB)"
echo
r1=$(ratio $m_lsipc_json $m_status)
r2=$(ratio $m_lsipc3 $m_list)
r3=$(ratio $m_list $m_cat)
r4=$(ratio $m_ipcs $m_list)
# verdict TEXT CONDITION(awk)
verdict() {
	if awk "BEGIN { exit !($2) }"; then echo "  met     $1"; else
		echo "  MISSED  $1"; fi
}
echo "targets:"
verdict "status is ${r1}x faster than lsipc --json (>= 10x)" "$r1 >= 10"
verdict "list is ${r2}x faster than the three lsipc listings (>= 3x)" "$r2 >= 3"
verdict "list takes ${r3}x the cat floor (<= 1.5x)" "$r3 <= 1.5"
verdict "peak RSS of list ${rss_list} KiB, snapshot ${rss_snapshot} KiB (< 64 MiB)" \
    "$rss_list < 65536 && $rss_snapshot < 65536 && $rss_status < 65536"
echo "  (info)  list is ${r4}x faster than ipcs -a"
