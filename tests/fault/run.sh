#!/bin/sh
# Run the slow reliability suites: the fault-injection sweeps, the kill -9
# trials and the concurrency runs (tests/fault/t_*.sh), each in its own
# private namespaces.  Ends with one line "N passed, N failed".
# Usage: tests/fault/run.sh [PATTERN]
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
export BUILD
pat=${1:-}
passed=0
failed=0
# with SANITIZE=1 builds: any report fails the run (as in run-all.sh)
SAN_DIR=$(mktemp -d /tmp/ipctune-san.XXXXXX)
chmod 1777 "$SAN_DIR"
trap 'rm -rf "$SAN_DIR"' EXIT
ASAN_OPTIONS="halt_on_error=1:exitcode=86:detect_leaks=1:\
log_path=$SAN_DIR/asan${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
UBSAN_OPTIONS="halt_on_error=1:exitcode=86:print_stacktrace=1:\
log_path=$SAN_DIR/ubsan${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export ASAN_OPTIONS UBSAN_OPTIONS
for t in tests/fault/t_*.sh; do
	case "$t" in *"$pat"*) ;; *) continue ;; esac
	echo "== $t"
	start=$(date +%s)
	out=$(sh "$t" 2>&1)
	rc=$?
	echo "$out"
	echo "($t: $(($(date +%s) - start)) s)"
	line=$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1)
	if [ -z "$line" ]; then
		echo "$t: no result line (exit $rc)"
		failed=$((failed + 1))
		continue
	fi
	p=${line%% passed*}
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && failed=$((failed + 1))
done
for r in "$SAN_DIR"/*; do
	[ -f "$r" ] || continue
	# A process SIGKILLed by the kill -9 trials while LeakSanitizer was
	# stopping its threads leaves an empty log or one that says only
	# "Unable to get registers from thread": that is the kill, not a bug.
	if ! grep -qv 'Unable to get registers from thread' "$r"; then
		echo "(ignored: $(basename "$r") is about a killed process)"
		continue
	fi
	echo "sanitizer report $(basename "$r"):"
	sed 's/^/    /' "$r" | head -40
	failed=$((failed + 1))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
