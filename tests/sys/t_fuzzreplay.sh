#!/bin/sh
# Replay the fuzz corpora (tests/fuzz/corpus/<target>) and the hostile
# parser inputs (tests/hostile/<target>) through every fuzz target,
# built with an ordinary main.  Under SANITIZE=1 this is the ASan+UBSan
# regression run of every input a fuzzer ever needed.
. "$(dirname "$0")/lib.sh"
n=0
for src in "$TOP"/tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	name=${t#fuzz_}
	bin=$BUILD/tests/$t
	n=$((n + 1))
	if [ ! -x "$bin" ]; then
		fail "$t: not built ($bin)"
		continue
	fi
	dirs=
	for d in "$TOP/tests/fuzz/corpus/$name" "$TOP/tests/hostile/$name"
	do
		[ -d "$d" ] && dirs="$dirs $d"
	done
	if [ -z "$dirs" ]; then
		fail "$t: no corpus in tests/fuzz/corpus/$name"
		continue
	fi
	# shellcheck disable=SC2086
	check "$t replays its corpus and hostile inputs" \
	    timeout 120 "$bin" $dirs
	got=$(grep -o 'replayed [0-9]*' "$TMPD/check.out" | cut -d' ' -f2)
	[ "${got:-0}" -gt 0 ] || fail "$t: replayed no inputs"
done
[ "$n" -gt 0 ] || fail "no fuzz targets found"
finish
