#!/bin/sh
# make bench: in a private IPC namespace, create 32,000 shm segments,
# 32,000 semaphore arrays and 32,000 message queues, then time ipctune
# against lsipc, ipcs and the floor (cat /proc/sysvipc/*) in the same
# run, and orphans, snapshot, the Prometheus output and check, which
# judge every object.  Prints medians of wall and CPU time
# (tests/sys/rusage.c), peak RSS, and each target's ratio with PASS or
# MISS.  A MISS does not fail the run: the ratios are taken on a shared
# machine and are figures to read, not assertions; a command that fails
# does.
# Environment: BENCH_N objects of each type (32000), BENCH_RUNS (9).
BENCH=bench
. "$(dirname "$0")/benchlib.sh"
HELPER=$BUILD/tests/ipchelper
N=${BENCH_N:-32000}
RUNS=${BENCH_RUNS:-9}

enter_private_ns "--ipc --mount --pid --fork --mount-proc" "$@"
need_tools "$IPCTUNE" "$HELPER" "$RUSAGE"

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

# the tools alternate, so noise from other load hits them alike
# status, twice: here every limit is above 90 % (the kernel caps shmmni,
# semmni and msgmni at IPCMNI, 32,768), but with more than 4096 objects
# of a type status leaves the leak count to orphans and --scan, and says
# so; --no-orphans takes the path of a host where no limit is near
timeit status "$IPCTUNE" status --format json
timeit lsipc_json lsipc --json
timeit status_common "$IPCTUNE" status --format json --no-orphans
timeit list "$IPCTUNE" list --format json
timeit lsipc3 sh -c 'lsipc -m; lsipc -s; lsipc -q'
timeit ipcs ipcs -a
timeit cat cat /proc/sysvipc/shm /proc/sysvipc/sem /proc/sysvipc/msg
timeit list_procfs "$IPCTUNE" list --format json --reader procfs
timeit list_table "$IPCTUNE" list
timeit snapshot "$IPCTUNE" snapshot
timeit orphans_json "$IPCTUNE" orphans --format json
timeit orphans "$IPCTUNE" orphans
timeit status_scan "$IPCTUNE" status --format json --scan
# the textfile collector and the plugin judge every object for orphans
timeit prom "$IPCTUNE" status --format prometheus
# (check exits 1 or 2 here: the limits are full and the segments orphaned)
timeit check sh -c '"$0" check; exit 0' "$IPCTUNE"

ALL="status status_common lsipc_json list lsipc3 ipcs cat list_procfs list_table snapshot
status_scan prom check orphans_json orphans"
figures $ALL
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
header
row status "ipctune status --format json (limits full)"
row status_common "ipctune status --format json --no-orphans"
row status_scan "ipctune status --format json --scan (orphans)"
row prom "ipctune status --format prometheus (orphans)"
row check "ipctune check (orphans)"
row lsipc_json "lsipc --json"
row list "ipctune list --format json"
row list_procfs "ipctune list --format json --reader procfs"
row list_table "ipctune list (tables)"
row snapshot "ipctune snapshot"
row orphans_json "ipctune orphans --format json"
row orphans "ipctune orphans (tables)"
row lsipc3 "lsipc -m; lsipc -s; lsipc -q"
row ipcs "ipcs -a"
row cat "cat /proc/sysvipc/* (floor)"
echo
MIB64=65536
# slower NAME LIMIT: NAME's wall time is at most LIMIT times list's,
# and its peak RSS under 64 MiB
slower() {
	eval "w=\$w_$1 c=\$c_$1 rss=\$r_$1"
	r=$(ratio "$w" "$w_list")
	rc=$(ratio "$c" "$c_list")
	verdict "$(printf '%-22s %5sx list --format json [cpu %sx] (<= %sx)' \
	    "$1" "$r" "$rc" "$2")" "$r <= $2"
	verdict "$(printf '%-22s %6s KiB peak RSS (< %s)' "$1" "$rss" \
	    "$MIB64")" "$rss < $MIB64"
}
echo "targets (ratios of wall time, cpu time in brackets):"
r=$(ratio $w_lsipc_json $w_status)
rc=$(ratio $c_lsipc_json $c_status)
verdict "status, limits full    ${r}x faster than lsipc --json [cpu ${rc}x] (>= 10x)" "$r >= 10"
echo "        (over 4096 objects of a type the leak count is left to orphans"
echo "        and status --scan; a finding leaks_not_counted says so)"
r=$(ratio $w_lsipc_json $w_status_common)
rc=$(ratio $c_lsipc_json $c_status_common)
verdict "status, no limit near  ${r}x faster than lsipc --json [cpu ${rc}x] (>= 10x)" "$r >= 10"
r=$(ratio $w_lsipc_json $w_status_scan)
rc=$(ratio $c_lsipc_json $c_status_scan)
echo "  (info) status --scan, which counts the orphans of the full types (one"
echo "         semctl GETPID per semaphore, $((4 * N)) here), is ${r}x faster than"
echo "         lsipc --json [cpu ${rc}x]"
slower list_table 2
slower orphans_json 3
slower orphans 3
slower snapshot 3
slower check 3
r=$(ratio $w_lsipc3 $w_list)
rc=$(ratio $c_lsipc3 $c_list)
verdict "list --format json     ${r}x faster than the three lsipc listings [cpu ${rc}x] (>= 3x)" \
    "$r >= 3"
r=$(ratio $w_list $w_cat)
rc=$(ratio $c_list $c_cat)
verdict "list --format json     ${r}x the cat floor [cpu ${rc}x] (<= 1.5x)" "$r <= 1.5"
verdict "status, list           $r_status, $r_list KiB peak RSS (< $MIB64)" \
    "$r_status < $MIB64 && $r_list < $MIB64"
verdict "status --format prometheus with orphan counts: $(ms $w_prom | sed 's/^ *//'), $r_prom KiB (< 1 s, < $MIB64 KiB)" \
    "$w_prom < 1000000 && $r_prom < $MIB64"
r=$(ratio $w_ipcs $w_list_table)
rc=$(ratio $c_ipcs $c_list_table)
echo "  (info) list (tables) is ${r}x faster than ipcs -a [cpu ${rc}x]"
