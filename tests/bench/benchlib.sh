# The preamble the benchmarks in tests/bench share: where the binaries
# are, the move into private namespaces (never the host's IPC objects or
# /proc/sys), the stopwatch runs through tests/sys/rusage.c, medians and
# peaks of its output, and the rows and PASS/MISS lines they print.  It
# measures nothing itself.  Usage: BENCH=name; . benchlib.sh
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
IPCTUNE=${IPCTUNE:-$TOP/ipctune}
RUSAGE=$BUILD/tests/rusage
BENCH=${BENCH:-bench}

# enter_private_ns UNSHARE-OPTIONS ARGS...: run this script again as root
# under 'unshare UNSHARE-OPTIONS' with ARGS; there, refuse to go on in
# the IPC namespace it was started in
enter_private_ns() {
	opts=$1
	shift
	if [ -z "${IPCTUNE_IN_NS:-}" ]; then
		[ "$(id -u)" -eq 0 ] ||
		    { echo "$BENCH: needs root (unshare)" >&2; exit 1; }
		IPCTUNE_IN_NS=$(stat -L -c %i /proc/self/ns/ipc)
		export IPCTUNE_IN_NS
		# the options are words: split them
		# shellcheck disable=SC2086
		exec unshare $opts sh "$0" "$@"
	fi
	if [ "$(stat -L -c %i /proc/self/ns/ipc)" = "$IPCTUNE_IN_NS" ]; then
		echo "$BENCH: refusing to run outside a private IPC namespace" >&2
		exit 1
	fi
}
# need_tools PROGRAM...: each is built, then a scratch directory TMPD
# that leaving removes
need_tools() {
	for t in "$@"; do
		[ -x "$t" ] || { echo "$BENCH: '$t' missing (make tests-build)" >&2
		    exit 1; }
	done
	TMPD=$(mktemp -d /tmp/ipctune-bench.XXXXXX)
	trap 'rm -rf "$TMPD"' EXIT
}

# median COLUMN FILE: the median of a column of rusage's output
median() {
	awk -v c="$1" '{ print $c }' "$2" | sort -n |
	    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
# timeit NAME COMMAND...: RUNS runs through the rusage stopwatch
timeit() {
	name=$1
	shift
	"$RUSAGE" "$RUNS" "$@" >"$TMPD/$name" ||
	    { echo "$BENCH: '$*' failed" >&2; exit 1; }
}
# figures NAME...: w_NAME and c_NAME, the median wall and CPU time of
# NAME's runs, and r_NAME, their peak RSS
figures() {
	for f in "$@"; do
		eval "w_$f=$(median 1 "$TMPD/$f") c_$f=$(median 2 "$TMPD/$f")"
		eval "r_$f=$(sort -n "$TMPD/$f" | awk '$3 > m { m = $3 } END { print m }')"
	done
}
ms() { awk -v u="$1" 'BEGIN { printf "%8.1f ms", u / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# header: the heading of the rows, ROW_WIDTH (44) wide
header() {
	printf "  %-${ROW_WIDTH:-44}s %11s %11s %11s\n" "median of $RUNS runs" \
	    "wall" "cpu" "peak RSS"
}
# row NAME TEXT: NAME's figures under the header
row() {
	eval "printf '  %-${ROW_WIDTH:-44}s %s %s %7s KiB\n' \"\$2\" \
	    \"\$(ms \$w_$1)\" \"\$(ms \$c_$1)\" \"\$r_$1\""
}
# verdict TEXT CONDITION(awk)
verdict() {
	if awk "BEGIN { exit !($2) }"; then echo "  PASS  $1"; else
		echo "  MISS  $1"; fi
}
