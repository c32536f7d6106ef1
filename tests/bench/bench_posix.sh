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
BENCH=bench
. "$(dirname "$0")/benchlib.sh"
PH=$BUILD/tests/posixhelper
NF=${BENCH_POSIX_FILES:-100000}
NP=${BENCH_POSIX_PROCS:-1000}
RUNS=${BENCH_RUNS:-5}
ROW_WIDTH=50
LSIPC=${LSIPC241:-lsipc}

enter_private_ns "--ipc --mount --propagation private --pid --fork \
    --mount-proc" "$@"
need_tools "$IPCTUNE" "$PH" "$RUSAGE"
mount -t tmpfs -o size=256m,nr_inodes=$((NF + 1000)) tmpfs /dev/shm || exit 1

t0=$(date +%s%N)
(cd /dev/shm && seq -f 'bench.%06g' "$NF" | xargs touch) || exit 1
t1=$(date +%s%N)
echo "ipctune bench (POSIX): $NF files in /dev/shm created in" \
    "$(( (t1 - t0) / 1000000 )) ms; $RUNS runs each; kernel $(uname -r)"

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

ALL="list0 table0 ls0 list1 fuser1"
[ -n "$LSIPC_M" ] && ALL="$ALL lsipc0 lsipc1"
figures $ALL
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs;" \
    "$nproc processes in the PID namespace, $held files found held"
header
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
verdict "every held file found ($held of $NP)" "$held == $NP"
verdict "list pshm at $NF files within 3x ls -l ($(ratio "$w_list0" "$w_ls0")x)" \
    "$w_list0 <= 3 * $w_ls0"
verdict "list pshm with $NP holders under 2 s" "$w_list1 < 2000000"
exit 0
