#!/bin/sh
# Run the integration suites (tests/sys/t_*.sh) with the program wrapped
# in valgrind: any memory error or definite leak makes that run exit 99
# and leaves a log in $BUILD/valgrind/, and the suite fails.
# Usage: tests/valgrind.sh [PATTERN]   (needs a build without SANITIZE)
set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
TOP=$(pwd)
if grep -q __asan_init ipctune 2>/dev/null; then
	echo "valgrind: ./ipctune is built with ASan; run 'make' first" >&2
	exit 1
fi
logs=$TOP/$BUILD/valgrind
rm -rf "$logs"
mkdir -p "$logs"
chmod 1777 "$logs"	# suites also run the program as nobody
# the wrapper is named ipctune: the completion scripts are bound to that name
mkdir -p "$TOP/$BUILD/valgrind-bin"
wrap=$TOP/$BUILD/valgrind-bin/ipctune
# completion candidates (hundreds of calls, the same few code paths)
# run plain: they are covered by the ASan run
# (one log file per run, made by mktemp: PIDs repeat across the PID
# namespaces some suites create; for the same reason --vgdb=no: the
# gdbserver FIFOs in /tmp are named by PID, and two suites side by side
# with the same PID in their own namespaces collide on them)
cat >"$wrap" <<W
#!/bin/sh
[ "\${1:-}" = __complete ] && exec "$TOP/ipctune" "\$@"
log=\$(mktemp "$logs/vg.XXXXXXXX") || exit 98
exec valgrind -q --vgdb=no --error-exitcode=99 --leak-check=full \\
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \\
    --suppressions=$TOP/tests/valgrind.supp \\
    --track-fds=no --log-file="\$log" "$TOP/ipctune" "\$@"
W
chmod 755 "$wrap"
# t_ansible drives ansible-playbook around a few ipctune calls (facts,
# apply, snapshot) that other suites cover; under valgrind it would take
# most of the run.  VALGRIND_SKIP lists more suites to leave out.
# t_hardening inspects the binary file itself, not a run of it.
# t_docs compares each command's -h with the man page: hundreds of runs
# of the same usage printer (over five minutes under valgrind), which the
# ASan run covers.
skip=" ${VALGRIND_SKIP:-} t_ansible t_hardening t_docs "
# 8 x 1,000 concurrent records take half an hour under valgrind; the
# full count runs in make test and in the fault runs.
RECORD_PER_WRITER=${RECORD_PER_WRITER:-25}
# likewise fit's property test: 300 random states (30 program runs)
# instead of 1,000; the full count runs in make test and under ASan
FITPROP_CASES=${FITPROP_CASES:-300}
export RECORD_PER_WRITER FITPROP_CASES
# The suites run side by side, VALGRIND_JOBS at a time (default: one
# per CPU): each runs in its own private namespaces and temporary
# directory, and valgrind keeps one CPU busy per program run.  Each
# suite's output is printed whole when all are done.
jobs=${VALGRIND_JOBS:-$(nproc 2>/dev/null || echo 1)}
out=$TOP/$BUILD/valgrind-out
rm -rf "$out"
mkdir -p "$out"
for t in tests/sys/t_*.sh; do
	n=$(basename "$t" .sh)
	case "$n" in *"${1:-}"*) ;; *) continue ;; esac
	case "$skip" in *" $n "*) echo "== $t: skipped under valgrind"; continue ;; esac
	echo "$n"
done >"$out/list"
grep -v '^== ' "$out/list" >"$out/suites" || true
grep '^== ' "$out/list" || true
export IPCTUNE="$wrap" out
xargs -P "$jobs" -I{} sh -c \
    'sh tests/run-all.sh sys "{}.sh" >"$out/{}.log" 2>&1; echo $? >"$out/{}.rc"' \
    <"$out/suites"
rc=0
while read -r n; do
	cat "$out/$n.log"
	[ "$(cat "$out/$n.rc" 2>/dev/null)" = 0 ] || rc=1
done <"$out/suites"
# a log with content is a report (valgrind -q is silent otherwise),
# except valgrind 3.19's notes that it does not model a bpf() command
# (BPF_LINK_CREATE, BPF_PROG_BIND_MAP: 'watch') or the ioctl
# NS_GET_NSTYPE (0xb703, which takes no argument and writes no memory:
# 'watch --ns FILE') or LOOP_GET_STATUS64 (0x4c05, whose struct the
# holder scan clears before the call), which are no finding
bad=0
for f in "$logs"/vg.*; do
	grep -v -e 'WARNING: unhandled eBPF command [0-9]*$' \
	    -e 'Warning: noted but unhandled ioctl 0xb703 ' \
	    -e 'Warning: noted but unhandled ioctl 0x4c05 ' \
	    -e 'This could cause spurious value errors to appear' \
	    -e 'See README_MISSING_SYSCALL_OR_IOCTL for guidance' "$f" |
	    grep -q . || continue
	bad=$((bad + 1))
	echo "valgrind report $f:"
	sed 's/^/    /' "$f" | head -30
done
runs=$(ls "$logs" | wc -l)
echo "valgrind: $runs program runs, $bad with errors or definite leaks"
[ "$rc" -eq 0 ] && [ "$bad" -eq 0 ]
