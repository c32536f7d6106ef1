#!/bin/sh
# Run every test: the Check unit suites (build/tests/check_*) and the
# shell suites against the real kernel (tests/sys/t_*.sh, each in private
# namespaces).  Ends with one line "N passed, N failed".
# Usage: tests/run-all.sh [unit|sys] [PATTERN]
set -u
cd "$(dirname "$0")/.." || exit 1
what=${1:-all}
pat=${2:-}
BUILD=${BUILD:-build}
export BUILD
passed=0
failed=0
failed_names=

# Sanitizer reports (SANITIZE=1 builds) go to files in one directory as
# well as failing the process (exit 86): a report from a process whose
# exit status a test ignores still fails the run.  Leak checking is on.
SAN_DIR=$(mktemp -d /tmp/ipctune-san.XXXXXX)
chmod 1777 "$SAN_DIR"	# tests also run the program as nobody
trap 'rm -rf "$SAN_DIR"' EXIT
ASAN_OPTIONS="halt_on_error=1:exitcode=86:detect_leaks=1:\
detect_stack_use_after_return=1:check_initialization_order=1:\
strict_string_checks=1:log_path=$SAN_DIR/asan${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
UBSAN_OPTIONS="halt_on_error=1:exitcode=86:print_stacktrace=1:\
log_path=$SAN_DIR/ubsan${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
LSAN_OPTIONS="exitcode=86${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS SAN_DIR

if [ "$what" = all ] || [ "$what" = unit ]; then
	# unbuilt suites are a failure, not a silent pass
	for t in tests/unit/check_*.c; do
		b="$BUILD/tests/$(basename "$t" .c)"
		case "$b" in *"$pat"*) ;; *) continue ;; esac
		[ -x "$b" ] && continue
		echo "$b: not built (run 'make tests-build' or 'make test')"
		failed=$((failed + 1))
		failed_names="$failed_names $(basename "$b")"
	done
	for t in "$BUILD"/tests/check_*; do
		[ -x "$t" ] || continue
		case "$t" in *"$pat"*) ;; *) continue ;; esac
		out=$(CK_FORK=yes "$t" 2>&1)
		rc=$?
		echo "$out" | grep -v '^Running suite' | sed "s|^|$(basename "$t"): |"
		line=$(echo "$out" | grep -E '^[0-9]+%: Checks: ' | tail -1)
		n=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
		f=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
		e=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
		if [ -z "$line" ]; then
			failed=$((failed + 1))
			failed_names="$failed_names $(basename "$t")"
			continue
		fi
		passed=$((passed + n - f - e))
		failed=$((failed + f + e))
		[ "$rc" -ne 0 ] && [ $((f + e)) -eq 0 ] && {
			failed=$((failed + 1))
			failed_names="$failed_names $(basename "$t")"
		}
		[ $((f + e)) -gt 0 ] && failed_names="$failed_names $(basename "$t")"
	done
fi

# tally T OUT RC: one shell suite's result line into the totals
tally() {
	line=$(echo "$2" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1)
	if [ -z "$line" ]; then
		echo "$1: no result line (exit $3)"
		failed=$((failed + 1))
		failed_names="$failed_names $1"
		return
	fi
	p=${line%% passed*}
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -gt 0 ] || [ "$3" -ne 0 ]; then
		[ "$f" -eq 0 ] && failed=$((failed + 1))
		failed_names="$failed_names $1"
	fi
}

# TEST_JOBS=N runs N shell suites side by side (each in its own private
# namespaces and temporary directory, as 'make valgrind' does); their
# outputs are printed whole, in order, when all are done.
jobs=${TEST_JOBS:-1}
if [ "$what" = all ] || [ "$what" = sys ]; then
	odir=
	if [ "$jobs" -gt 1 ]; then
		odir=$(mktemp -d /tmp/ipctune-runall.XXXXXX)
		trap 'rm -rf "$SAN_DIR" "$odir"' EXIT
		for t in tests/sys/t_*.sh; do
			[ -f "$t" ] || continue
			case "$t" in *"$pat"*) echo "$t" ;; esac
		done | odir=$odir xargs -P "$jobs" -I{} sh -c \
		    'n=$(basename "{}" .sh); sh "{}" >"$odir/$n.out" 2>&1;
		    echo $? >"$odir/$n.rc"'
	fi
	for t in tests/sys/t_*.sh; do
		[ -f "$t" ] || continue
		case "$t" in *"$pat"*) ;; *) continue ;; esac
		echo "== $t"
		if [ -n "$odir" ]; then
			n=$(basename "$t" .sh)
			out=$(cat "$odir/$n.out")
			rc=$(cat "$odir/$n.rc" 2>/dev/null || echo 1)
		else
			out=$(sh "$t" 2>&1)
			rc=$?
		fi
		echo "$out"
		tally "$t" "$out" "$rc"
	done
fi

for r in "$SAN_DIR"/*; do
	[ -f "$r" ] || continue
	echo "sanitizer report $(basename "$r"):"
	sed 's/^/    /' "$r" | head -40
	failed=$((failed + 1))
	failed_names="$failed_names $(basename "$r")"
done

[ -n "$failed_names" ] && echo "failing:$failed_names"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
