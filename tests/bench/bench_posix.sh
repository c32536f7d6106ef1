#!/bin/sh
# make bench: POSIX objects.  In private IPC, mount and PID namespaces
# with their own tmpfs at /dev/shm, create 100,000 files, time 'ipctune
# list pshm' against the floor 'ls -l /dev/shm'; then start 1,000
# processes that each map one file and hold it open, and time the list
# again (the difference is the holder scan over /proc) against the floor
# 'fuser -m /dev/shm', which walks the same /proc once.  util-linux
# 2.41's 'lsipc -M' is timed when the lsipc used has it: the installed
# one, or the one LSIPC241 names (an lsipc of util-linux 2.41 or later,
# for hosts whose distribution still ships an older util-linux).  Prints
# medians of wall and CPU time (tests/sys/rusage.c) and peak RSS.
# Environment: BENCH_POSIX_FILES (100000), BENCH_POSIX_PROCS (1000),
# BENCH_RUNS (5), LSIPC241 (lsipc from PATH).
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
IPCTUNE=${IPCTUNE:-$TOP/ipctune}
PH=$BUILD/tests/posixhelper
RUSAGE=$BUILD/tests/rusage
NF=${BENCH_POSIX_FILES:-100000}
NP=${BENCH_POSIX_PROCS:-1000}
RUNS=${BENCH_RUNS:-5}
LSIPC=${LSIPC241:-lsipc}

if [ -z "${IPCTUNE_IN_NS:-}" ]; then
	[ "$(id -u)" -eq 0 ] || { echo "bench: needs root (unshare)" >&2; exit 1; }
	export IPCTUNE_IN_NS="$(stat -L -c %i /proc/self/ns/ipc)"
	exec unshare --ipc --mount --propagation private --pid --fork \
	    --mount-proc sh "$0" "$@"
fi
if [ "$(stat -L -c %i /proc/self/ns/ipc)" = "$IPCTUNE_IN_NS" ]; then
	echo "bench: refusing to run outside a private IPC namespace" >&2
	exit 1
fi
for t in "$IPCTUNE" "$PH" "$RUSAGE"; do
	[ -x "$t" ] || { echo "bench: '$t' missing (make tests-build)" >&2; exit 1; }
done
TMPD=$(mktemp -d /tmp/ipctune-bench.XXXXXX)
trap 'rm -rf "$TMPD"' EXIT
mount -t tmpfs -o size=256m,nr_inodes=$((NF + 1000)) tmpfs /dev/shm || exit 1

t0=$(date +%s%N)
(cd /dev/shm && seq -f 'bench.%06g' "$NF" | xargs touch) || exit 1
t1=$(date +%s%N)
echo "ipctune bench (POSIX): $NF files in /dev/shm created in" \
    "$(( (t1 - t0) / 1000000 )) ms; $RUNS runs each; kernel $(uname -r)"

median() {
	awk -v c="$1" '{ print $c }' "$2" | sort -n |
	    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
timeit() {
	name=$1
	shift
	"$RUSAGE" "$RUNS" "$@" >"$TMPD/$name" ||
	    { echo "bench: '$*' failed" >&2; exit 1; }
}
LSIPC_M=
if "$LSIPC" -M >/dev/null 2>&1; then
	LSIPC_M=1
fi
LSIPC_V=$("$LSIPC" -V 2>/dev/null | awk '{ print $NF }')

# without holders: the directory walk and fstatat of every file
timeit list0 "$IPCTUNE" list pshm --format json
timeit table0 "$IPCTUNE" list pshm
timeit ls0 ls -l /dev/shm
[ -n "$LSIPC_M" ] && timeit lsipc0 "$LSIPC" -M

# NP processes, each mapping one file and holding it open
i=0
while [ $i -lt "$NP" ]; do
	i=$((i + 1))
	f=$(printf 'bench.%06d' "$i")
	"$PH" shmmap "/$f" shmopen "/$f" hold >>"$TMPD/ready" 2>&1 &
done
n=0
while [ "$(grep -c '^ready$' "$TMPD/ready")" -lt "$NP" ] && [ $n -lt 3000 ]; do
	n=$((n + 1))
	sleep 0.01
done
nproc=$(ls /proc | grep -c '^[0-9]')
timeit list1 "$IPCTUNE" list pshm --format json
timeit fuser1 sh -c 'fuser -m /dev/shm >/dev/null 2>&1; exit 0'
[ -n "$LSIPC_M" ] && timeit lsipc1 "$LSIPC" -M
"$IPCTUNE" list pshm --format json >"$TMPD/l.json"
held=$(jq '[.pshm[] | select(.holders | length > 0)] | length' "$TMPD/l.json")

ms() { awk -v u="$1" 'BEGIN { printf "%8.1f ms", u / 1000 }'; }
ALL="list0 table0 ls0 list1 fuser1"
[ -n "$LSIPC_M" ] && ALL="$ALL lsipc0 lsipc1"
for f in $ALL; do
	eval "w_$f=$(median 1 "$TMPD/$f") c_$f=$(median 2 "$TMPD/$f")"
	eval "r_$f=$(sort -n "$TMPD/$f" | awk '$3 > m { m = $3 } END { print m }')"
done
row() {
	eval "printf '  %-50s %s %s %7s KiB\n' \"\$2\" \"\$(ms \$w_$1)\" \
	    \"\$(ms \$c_$1)\" \"\$r_$1\""
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs;" \
    "$nproc processes in the PID namespace, $held files found held"
printf '  %-50s %11s %11s %11s\n' "median of $RUNS runs" "wall" "cpu" "peak RSS"
row list0 "ipctune list pshm --format json ($NF files)"
row table0 "ipctune list pshm (table)"
row ls0 "ls -l /dev/shm (floor)"
[ -n "$LSIPC_M" ] && row lsipc0 "lsipc -M (util-linux $LSIPC_V)"
row list1 "ipctune list pshm --format json, $NP holders"
row fuser1 "fuser -m /dev/shm (floor of the /proc walk)"
[ -n "$LSIPC_M" ] && row lsipc1 "lsipc -M, $NP holders"
[ -n "$LSIPC_M" ] || echo "  (lsipc -M: not in util-linux $LSIPC_V of '$LSIPC'; LSIPC241 names an lsipc of 2.41 or later)"
scan=$((w_list1 - w_list0))
echo "  holder scan over $nproc processes: about $(ms $scan | sed 's/^ *//') of wall time"
verdict() {
	if awk "BEGIN { exit !($2) }"; then echo "  met     $1"; else
		echo "  MISSED  $1"; fi
}
verdict "every held file found ($held of $NP)" "$held == $NP"
verdict "list pshm at $NF files within 3x ls -l ($(awk -v a=$w_list0 -v b=$w_ls0 'BEGIN { printf "%.2f", a / b }')x)" \
    "$w_list0 <= 3 * $w_ls0"
verdict "list pshm with $NP holders under 2 s" "$w_list1 < 2000000"
exit 0
