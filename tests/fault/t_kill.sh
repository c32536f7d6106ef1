#!/bin/sh
# kill -9 at random moments during apply/rollback and record loops (at
# least 200 trials each; KILL_TRIALS overrides).  After each kill:
#   apply: the drop-in is old or complete new and agrees with the state
#     record; the state record is valid; /proc/sys holds the values
#     before, the values of the apply, or (killed between two writes) a
#     mix that 'rollback' turns back into the values before; the next
#     command does not hang on the lock.
#   record: every earlier sample is kept, every line is valid JSON.
# Runs in a private IPC and mount namespace with temp paths.
if [ -z "${IPCTUNE_IN_NS:-}" ]; then
	IPCTUNE_IN_NS=1 exec unshare --ipc --mount --propagation private \
	    sh "$0" "$@"
fi
. "$(dirname "$0")/../sys/lib.sh"
. "$TOP/tests/sys/rlib.sh"
. "$TOP/tests/fault/lib.sh"
fault_ns_guard
# A process killed while LeakSanitizer checks it at exit leaves a report
# ("Unable to get registers from thread"), or an empty one, about the
# kill itself.  Leaks are the business of the other sanitizer runs; here
# only memory errors count.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export ASAN_OPTIONS
TRIALS=${KILL_TRIALS:-200}
umask 022
chmod 755 "$TMPD"
W=$TMPD/w
P=$TMPD/prof
R=$W/root
D=$R/etc/sysctl.d/zz-ipctune.conf
export IPCTUNE_STATE_DIR=$W/state
mkdir -p "$P" "$R/etc/sysctl.d"
chmod 755 "$P"
i=0
for v in 5000 6000 7000 8000; do
	i=$((i + 1))
	prof_write "$P/k-$i.conf" "$v"
done
chmod 644 "$P"/*.conf
# the values profile k-N sets
pvals() { prof_expect "$(sed -n 's/^kernel.shmmni = //p' "$P/k-$1.conf")"; }
rnd() { od -An -N4 -tu4 /dev/urandom | tr -d ' '; }
KA=$BUILD/tests/killafter
# run_killed US CMD...: run CMD, SIGKILL it US microseconds after its
# start; sets KA_KILLED (1 if the kill hit it running) and KA_US
run_killed() {
	set -- $("$KA" "$@")
	KA_KILLED=0
	[ "$1" = killed ] && KA_KILLED=1
	eval "KA_US=\${$#}"
}
# the microseconds a command takes (median of three runs)
duration() {
	for _i in 1 2 3; do
		"$KA" -1 "$@" | awk '{ print $NF }'
	done | sort -n | sed -n 2p
}

# ---- apply / rollback ----
set_base() {
	printf '%s\n' 100 >/proc/sys/kernel/shmmni
	printf '%s\n' '250 32000 32 128' >/proc/sys/kernel/sem
	printf '%s\n' 16 >/proc/sys/kernel/msgmni
	printf '%s\n' 8192 >/proc/sys/kernel/msgmax
	printf '%s\n' 16384 >/proc/sys/kernel/msgmnb
	printf '%s\n' 10 >/proc/sys/fs/mqueue/msg_max
}
set_base
BASE=$(prof_vals)
# how long one apply takes, to spread the kills over it
"$IPCTUNE" apply --profile-dir "$P" --sysctl-root "$R" --exact -p k-1 \
    >/dev/null || fail "a plain apply works"
"$IPCTUNE" rollback >/dev/null || fail "a plain rollback works"
us=$(duration "$IPCTUNE" apply --profile-dir "$P" --sysctl-root "$R" \
    --exact -p k-2)
"$IPCTUNE" rollback >/dev/null
echo "# one apply takes about $us microseconds"
killed=0
finished=0
mixed=0
stale_checked=0
bad=0
n=0
while [ "$n" -lt "$TRIALS" ]; do
	n=$((n + 1))
	before=$(prof_vals)
	dbefore=$(cat "$D" 2>/dev/null || echo ABSENT)
	st=$IPCTUNE_STATE_DIR/last-apply.json
	# what a rollback may put back: the recorded old drop-in
	drollback=$(jq -r 'if .dropin.existed then .dropin.old_content
	    else empty end' "$st" 2>/dev/null)
	# what a killed writer left: the next finished apply removes it
	stale=$(find "$R/etc/sysctl.d" "$IPCTUNE_STATE_DIR" -name '*.tmp.*' \
	    2>/dev/null)
	k=$(($(rnd) % 4 + 1))
	at=$(($(rnd) % (us + us / 4)))
	if [ $(($(rnd) % 4)) -eq 0 ]; then
		what=rollback
		run_killed "$at" "$IPCTUNE" rollback
	else
		what="apply k-$k"
		run_killed "$at" "$IPCTUNE" apply --profile-dir "$P" \
		    --sysctl-root "$R" --exact -p "k-$k"
	fi 2>"$TMPD/k.err" >/dev/null
	rc=$KA_KILLED
	if [ "$KA_KILLED" = 1 ]; then killed=$((killed + 1)); else
		finished=$((finished + 1)); fi
	now=$(prof_vals)
	why=
	# the state record parses, and the drop-in agrees with it
	st=$IPCTUNE_STATE_DIR/last-apply.json
	if [ -f "$st" ] && ! jq -e . "$st" >/dev/null 2>&1; then
		why="$why; the state record is not valid JSON"
	fi
	if [ -f "$D" ]; then
		cur=$(cat "$D")
		if [ "$cur" != "$dbefore" ] && [ "$cur" != "$drollback" ] &&
		    { [ ! -f "$st" ] || [ "$cur" != \
		    "$(jq -r '.dropin.new_content // empty' "$st")" ]; }
		then
			why="$why; the drop-in is neither the old one nor the recorded one"
		fi
	fi
	# 12.B11: a finished apply removes the temporary files a killed
	# one left (rollback without a record cannot know the drop-in's)
	if [ -n "$stale" ] && [ "$KA_KILLED" = 0 ] && [ "$what" != rollback ]
	then
		stale_checked=$((stale_checked + 1))
		for f in $stale; do
			[ -e "$f" ] &&
			    why="$why; 12.B11 the stale temporary file $f was not removed"
		done
	fi
	ok_vals=0
	[ "$now" = "$before" ] && ok_vals=1
	for j in 1 2 3 4; do
		[ "$now" = "$(pvals $j)" ] && ok_vals=1
	done
	[ "$now" = "$BASE" ] && ok_vals=1
	if [ "$ok_vals" = 0 ]; then
		# killed between two writes: rollback must bring back BEFORE
		mixed=$((mixed + 1))
		if ! timeout 20 "$IPCTUNE" rollback >/dev/null 2>"$TMPD/r.err"
		then
			why="$why; rollback after a mixed state failed: $(head -1 "$TMPD/r.err")"
		elif [ "$(prof_vals)" != "$before" ] && [ "$what" != rollback ]; then
			why="$why; rollback gave $(prof_vals), not $before"
		fi
	fi
	# the lock of a killed process is gone: the next command runs
	timeout 20 "$IPCTUNE" verify >/dev/null 2>&1
	[ $? -ge 124 ] && why="$why; the next command hung"
	if [ -n "$why" ]; then
		bad=$((bad + 1))
		echo "FAIL - kill trial $n ($what, killed $rc at $at us):$why"
		echo "    before $before"
		echo "    now    $now"
	fi
done
echo "# apply/rollback: $TRIALS trials, $killed killed while running," \
    "$finished finished first, $mixed left a mix that rollback repaired," \
    "$stale_checked removed a killed run's temporary files"
if [ "$bad" -eq 0 ] && [ "$killed" -ge $((TRIALS / 5)) ]; then
	ok "kill -9 during apply/rollback: $TRIALS trials, every invariant held"
elif [ "$bad" -eq 0 ]; then
	fail "kill -9 during apply/rollback: only $killed of $TRIALS kills hit a running process"
else
	fail "kill -9 during apply/rollback: $bad of $TRIALS trials broke an invariant"
fi

# ---- 12.B11: kill -9 at every step of an apply, then the next run ----
# The shim (faultinject.c, IPCTUNE_FAULT_ERRNO=KILL) sends SIGKILL at the
# N-th file call under the test's paths, so every moment an apply can
# leave a temporary file is hit; the next apply must remove it.
"$IPCTUNE" rollback >/dev/null 2>&1
FAULT_PATHS="$W/"
FAULT_CALLS=all
FT_N=0 FT_ERRNO=EIO FT_LOG=$TMPD/kill.log
rm -f "$FT_LOG"
fault_exec "$IPCTUNE" apply --profile-dir "$P" --sysctl-root "$R" --exact \
    -p k-3 >/dev/null 2>&1
steps=$(awk '{ if ($2 > m) m = $2 } END { print m + 0 }' "$FT_LOG")
"$IPCTUNE" rollback >/dev/null 2>&1
left=0
bad=0
FT_N=1
while [ "$FT_N" -le "$steps" ]; do
	FT_ERRNO=KILL FT_LOG=/dev/null fault_exec "$IPCTUNE" apply \
	    --profile-dir "$P" --sysctl-root "$R" --exact -p k-3 \
	    >/dev/null 2>&1
	stale=$(find "$R/etc/sysctl.d" "$IPCTUNE_STATE_DIR" -name '*.tmp.*')
	[ -n "$stale" ] && left=$((left + 1))
	mid=$(prof_vals)
	"$IPCTUNE" apply --profile-dir "$P" --sysctl-root "$R" --exact \
	    -p k-4 >/dev/null 2>&1
	why=
	for f in $stale; do
		[ -e "$f" ] && why="$why; $f was not removed"
	done
	timeout 20 "$IPCTUNE" rollback >/dev/null 2>&1 ||
	    why="$why; rollback after it failed"
	[ "$(prof_vals)" = "$mid" ] || why="$why; rollback did not restore $mid"
	# start the next step from the same place
	rm -f "$IPCTUNE_STATE_DIR"/last-*.json "$D"
	set_base
	if [ -n "$why" ]; then
		bad=$((bad + 1))
		echo "FAIL - kill at step $FT_N of $steps:$why"
	fi
	FT_N=$((FT_N + 1))
done
echo "# kill -9 at each of $steps steps of an apply: $left left a temporary file"
if [ "$bad" -eq 0 ] && [ "$left" -gt 0 ]; then
	ok "12.B11 kill -9 at each step of apply: the next apply removes every temporary file it left ($left of $steps steps left one)"
else
	fail "12.B11 kill -9 at each step of apply: $bad broke, $left of $steps left a temporary file"
fi

# ---- record ----
H=$IPCTUNE_STATE_DIR/history.jsonl
rm -f "$H"
t=1700000000
"$IPCTUNE" record --at "$t" >/dev/null || fail "a plain record works"
us=$(duration "$IPCTUNE" record --at $((t + 1)))
echo "# one record takes about $us microseconds"
killed=0
bad=0
n=0
while [ "$n" -lt "$TRIALS" ]; do
	n=$((n + 1))
	t=$((t + 300))
	cp "$H" "$TMPD/h.before"
	k=$(wc -l <"$H")
	at=$(($(rnd) % (us + us / 4)))
	if [ $((n % 10)) -eq 0 ]; then
		# now and then a rewrite (retention and compaction)
		what=compact
		run_killed "$at" "$IPCTUNE" record --at "$t" --compact
	else
		what=append
		run_killed "$at" "$IPCTUNE" record --at "$t"
	fi >/dev/null 2>&1
	[ "$KA_KILLED" = 1 ] && killed=$((killed + 1))
	why=
	kn=$(wc -l <"$H")
	if [ "$(jq -c . "$H" 2>/dev/null | wc -l)" != "$kn" ] ||
	    [ -n "$(tail -c 1 "$H" | tr -d '\n')" ]; then
		why="$why; a line is not valid JSON (torn write)"
	fi
	if [ "$what" = append ] &&
	    ! head -n "$k" "$H" | cmp -s - "$TMPD/h.before"; then
		why="$why; an earlier sample was lost"
	fi
	if [ "$what" = compact ] && [ "$kn" -eq 0 ]; then
		why="$why; the history is empty after a compaction"
	fi
	find "$IPCTUNE_STATE_DIR" -name '.*tmp*' -delete
	if [ -n "$why" ]; then
		bad=$((bad + 1))
		echo "FAIL - record kill trial $n ($what):$why"
	fi
done
echo "# record: $TRIALS trials, $killed killed while running, $(wc -l <"$H") samples kept"
if [ "$bad" -eq 0 ] && [ "$killed" -ge $((TRIALS / 5)) ]; then
	ok "kill -9 during record: $TRIALS trials, every invariant held"
elif [ "$bad" -eq 0 ]; then
	fail "kill -9 during record: only $killed of $TRIALS kills hit a running process"
else
	fail "kill -9 during record: $bad of $TRIALS trials broke an invariant"
fi
finish
