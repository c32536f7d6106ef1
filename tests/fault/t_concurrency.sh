#!/bin/sh
# Concurrency: 8 'ipctune apply' with different profiles at once against
# one private namespace (CONC_ROUNDS rounds, default 10): the final
# values are those of one apply in full, the drop-in and the state record
# agree with them, and rollback restores the values that apply replaced.
# Then 8 'record' loops of CONC_SAMPLES (default 1000) samples each into
# one history: exactly 8 x CONC_SAMPLES valid lines, every sample there.
if [ -z "${IPCTUNE_IN_NS:-}" ]; then
	IPCTUNE_IN_NS=1 exec unshare --ipc --mount --propagation private \
	    sh "$0" "$@"
fi
. "$(dirname "$0")/../sys/lib.sh"
. "$TOP/tests/sys/rlib.sh"
. "$TOP/tests/fault/lib.sh"
fault_ns_guard
ROUNDS=${CONC_ROUNDS:-10}
SAMPLES=${CONC_SAMPLES:-1000}
umask 022
chmod 755 "$TMPD"
P=$TMPD/prof
R=$TMPD/root
D=$R/etc/sysctl.d/zz-ipctune.conf
export IPCTUNE_STATE_DIR=$TMPD/state
mkdir -p "$P" "$R/etc/sysctl.d"
chmod 755 "$P"
for j in 1 2 3 4 5 6 7 8; do
	prof_write "$P/c-$j.conf" $((4000 + j * 100))
done
chmod 644 "$P"/*.conf
pvals() { prof_expect $((4000 + $1 * 100)); }
# which profile's values V are (0: none)
which_profile() {
	for j in 1 2 3 4 5 6 7 8; do
		[ "$1" = "$(pvals $j)" ] && { echo "$j"; return; }
	done
	echo 0
}
BASE=$(prof_vals)

runs=0
bad=0
r=0
while [ "$r" -lt "$ROUNDS" ]; do
	r=$((r + 1))
	pids=
	for j in 1 2 3 4 5 6 7 8; do
		"$IPCTUNE" apply --profile-dir "$P" --sysctl-root "$R" \
		    --exact -p "c-$j" >"$TMPD/a.$j" 2>&1 &
		pids="$pids $!"
	done
	rcs=
	for p in $pids; do
		wait "$p"
		rcs="$rcs$?"
	done
	runs=$((runs + 8))
	now=$(prof_vals)
	w=$(which_profile "$now")
	why=
	[ "$rcs" = 00000000 ] || why="$why; exit statuses $rcs"
	[ "$w" != 0 ] || why="$why; the values are no single apply's: $now"
	# the drop-in is the winner's, and the state record says so
	grep -q "^kernel.shmmni = $((4000 + w * 100))$" "$D" ||
	    why="$why; the drop-in is not c-$w's"
	st=$IPCTUNE_STATE_DIR/last-apply.json
	[ "$(cat "$D")" = "$(jq -r '.dropin.new_content' "$st")" ] ||
	    why="$why; the state record's drop-in is not the one on disk"
	[ "$(jq -r '.profiles[0]' "$st")" = "c-$w" ] ||
	    why="$why; the state record is of $(jq -r '.profiles[0]' "$st"), not c-$w"
	# rollback puts back what the last apply replaced: another
	# profile's values in full (or the values before the round)
	old=$(jq -r '[.runtime[] | select(.sysctl == "kernel.shmmni") |
	    .old | if type == "array" then .[0] else . end] | .[0] // empty' \
	    "$st")
	if ! "$IPCTUNE" rollback >"$TMPD/rb" 2>&1; then
		why="$why; rollback failed: $(head -1 "$TMPD/rb")"
	else
		after=$(prof_vals)
		wb=$(which_profile "$after")
		if [ "$wb" = 0 ] && [ "$after" != "$BASE" ] &&
		    [ "$after" != "$prev_round" ]; then
			why="$why; rollback left a mix: $after"
		fi
		[ -z "$old" ] || [ "$(cat /proc/sys/kernel/shmmni)" = "$old" ] ||
		    why="$why; rollback gave shmmni $(cat /proc/sys/kernel/shmmni), the record said $old"
	fi
	prev_round=$(prof_vals)
	if [ -n "$why" ]; then
		bad=$((bad + 1))
		echo "FAIL - apply round $r:$why"
	else
		echo "# round $r: c-$w won; rollback restored $(which_profile "$(prof_vals)" | sed 's/^0$/the values before/; s/^[1-8]$/c-&/')"
	fi
done
if [ "$bad" -eq 0 ]; then
	ok "$ROUNDS rounds of 8 concurrent applies ($runs runs): one apply in full each time, state and rollback consistent"
else
	fail "$bad of $ROUNDS rounds of concurrent applies broke an invariant"
fi

# ---- 8 concurrent record loops ----
H=$IPCTUNE_STATE_DIR/history.jsonl
rm -f "$H"
base=$(($(date +%s) - 8 * SAMPLES - 100))
t0=$(date +%s)
pids=
for w in 1 2 3 4 5 6 7 8; do
	(
		i=0
		fails=0
		while [ "$i" -lt "$SAMPLES" ]; do
			i=$((i + 1))
			"$IPCTUNE" record --at $((base + (w - 1) * SAMPLES + i)) \
			    --keep 400d --compact-after 400d >/dev/null 2>&1 ||
			    fails=$((fails + 1))
		done
		echo "$fails" >"$TMPD/rec.$w"
	) &
	pids="$pids $!"
done
for p in $pids; do wait "$p"; done
secs=$(($(date +%s) - t0))
fails=$(cat "$TMPD"/rec.* | awk '{ s += $1 } END { print s }')
lines=$(wc -l <"$H")
valid=$(jq -c 'select(.v == 1 and (.t | type) == "number")' "$H" 2>/dev/null | wc -l)
distinct=$(jq -r .t "$H" 2>/dev/null | sort -u | wc -l)
want=$((8 * SAMPLES))
echo "# 8 x $SAMPLES records in $secs s: $fails failed, $lines lines, $valid valid, $distinct distinct times"
expect_eq "8 concurrent record loops: no record failed" 0 "$fails"
expect_eq "8 concurrent record loops: exactly $want lines" "$want" "$lines"
expect_eq "8 concurrent record loops: $want valid lines" "$want" "$valid"
expect_eq "8 concurrent record loops: every sample there once" "$want" \
    "$distinct"
finish
