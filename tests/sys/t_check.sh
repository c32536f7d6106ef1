#!/bin/sh
# ipctune check, the monitoring-plugin mode, against the real kernel in
# private IPC namespaces: states and exit statuses 0/1/2/3, the status
# line, perfdata parsed by the reference implementation
# (Monitoring::Plugin::Performance) and the range syntax compared with
# Monitoring::Plugin::Range on the same values.
. "$(dirname "$0")/lib.sh"

# run_check OUTFILE SETUP ARGS...: check in a fresh namespace after SETUP;
# the segments ipcmk makes are orphans at once (ipcmk exits with nothing
# attached), so the threshold tests leave orphans out
run_check() {
	f=$1
	setup=$2
	shift 2
	in_ipcns "$setup
		'$IPCTUNE' check --no-orphans $* >'$f' 2>'$f.err'
		echo \$? >'$f.rc'
	"
}
segs() { i=0; while [ $i -lt "$1" ]; do echo "ipcmk -M 4096 >/dev/null;"; i=$((i + 1)); done; }

run_check "$TMPD/ok" ""
expect_eq "fresh namespace: exit 0" 0 "$(cat "$TMPD/ok.rc")"
check "fresh namespace: 'IPC OK - ' status line" \
    grep -q '^IPC OK - 10 resources within thresholds' "$TMPD/ok"
expect_eq "one line of output" 1 "$(wc -l <"$TMPD/ok")"

# 9 of 10 segments: 90% is above -w 80% and below -c 95%
run_check "$TMPD/warn" "echo 10 > /proc/sys/kernel/shmmni; $(segs 9)"
expect_eq "shmmni 90%: exit 1" 1 "$(cat "$TMPD/warn.rc")"
check "shmmni 90%: WARNING names the limit" grep -q \
    '^IPC WARNING - shmmni 90.0% (9 of 10 segments, kernel.shmmni) | ' \
    "$TMPD/warn"
check "shmmni 90%: perfdata with absolute thresholds" \
    grep -q ' | shmmni=9;8;9.5;0;10 ' "$TMPD/warn"

# 10 of 10: CRITICAL; semmns 96/100 too
run_check "$TMPD/crit" "echo 10 > /proc/sys/kernel/shmmni; $(segs 10)
	echo '250 100 32 128' > /proc/sys/kernel/sem; ipcmk -S 96 >/dev/null"
expect_eq "shmmni full and semmns 96%: exit 2" 2 "$(cat "$TMPD/crit.rc")"
check "CRITICAL lists both resources" grep -q \
    '^IPC CRITICAL - shmmni 100.0% .*, semmns 96.0% (96 of 100 semaphores, kernel.sem)' \
    "$TMPD/crit"
check "long output: one line per problem" grep -q '^CRITICAL: semmns 96.0%' \
    "$TMPD/crit"

# a cap at 0 admits nothing: every call it bounds fails, though caps are
# not rows of the default check
run_check "$TMPD/zero" "echo 0 > /proc/sys/kernel/shmmax
	echo '250 32000 0 128' > /proc/sys/kernel/sem"
expect_eq "shmmax 0 and semopm 0: exit 2" 2 "$(cat "$TMPD/zero.rc")"
check "shmmax 0: CRITICAL says every shmget fails" grep -q \
    '^CRITICAL: shmmax (kernel.shmmax) is 0: every shmget that creates a segment fails with EINVAL' \
    "$TMPD/zero"
check "semopm 0: CRITICAL says every semop fails" grep -q \
    '^CRITICAL: semopm (kernel.sem) is 0: every semop fails with E2BIG' \
    "$TMPD/zero"
run_check "$TMPD/zero1" "echo 0 > /proc/sys/kernel/shmmax" --resource shmmni
expect_eq "--resource shmmni: shmmax 0 not judged, exit 0" 0 \
    "$(cat "$TMPD/zero1.rc")"
run_check "$TMPD/zero2" "echo 0 > /proc/sys/kernel/msgmnb" --resource msgmnb
expect_eq "--resource msgmnb: msgmnb 0 judged, exit 2" 2 \
    "$(cat "$TMPD/zero2.rc")"

# absolute thresholds, one resource
run_check "$TMPD/abs" "$(segs 3)" --resource shmmni -w 2 -c 5
expect_eq "-w 2 -c 5 with 3 segments: exit 1" 1 "$(cat "$TMPD/abs.rc")"
expect_eq "--resource shmmni: only its perfdata" "shmmni=3;2;5;0;4096" \
    "$(sed 's/.* | //' "$TMPD/abs" | head -1)"

# Leaked objects: the semaphore arrays of a killed process (their last
# semop PID is gone) and a segment whose creator exited with nothing
# attached.  Arrays count only after --orphan-min-age (default 1h): 0
# makes the ones just made old enough, the way 'orphans --min-age 0' does.
H=$BUILD/tests/ipchelper_orphans
in_ipcns "
	'$H' sem-fill 3 '$TMPD/ready' & hp=\$!
	i=0; while [ ! -s '$TMPD/ready' ] && [ \$i -lt 200 ]; do
		sleep 0.05; i=\$((i + 1)); done
	'$IPCTUNE' check --orphan-min-age 0 >'$TMPD/live'; echo \$? >'$TMPD/live.rc'
	kill -9 \$hp; wait \$hp 2>/dev/null
	'$H' shm-write 0x5151 8192 3 0600 >/dev/null
	'$IPCTUNE' check --orphan-min-age 0 >'$TMPD/orph'; echo \$? >'$TMPD/orph.rc'
	'$IPCTUNE' check >'$TMPD/young'; echo \$? >'$TMPD/young.rc'
	'$IPCTUNE' check --no-orphans --orphan-min-age 0 >'$TMPD/noorph'
	echo \$? >'$TMPD/noorph.rc'
	'$IPCTUNE' check --orphan-min-age 0 --resource semmns,semmni \
	    >'$TMPD/semonly'; echo \$? >'$TMPD/semonly.rc'
	'$IPCTUNE' check --orphan-min-age 0 --resource shmall \
	    >'$TMPD/shmall'; echo \$? >'$TMPD/shmall.rc'
	'$IPCTUNE' orphans --min-age 0 -J >'$TMPD/orph.json'
"
expect_eq "arrays of a running process: not orphaned, exit 0" 0 \
    "$(cat "$TMPD/live.rc")"
check "running process: orphan perfdata 0" grep -q \
    ' orphaned_shmmni=0;0;;0;4096 orphaned_semmni=0;0;;0;32000 orphaned_msgmni=0;0;;0;32000$' \
    "$TMPD/live"
expect_eq "killed process and exited creator: exit 1" 1 \
    "$(cat "$TMPD/orph.rc")"
check "WARNING with the count per resource" grep -q \
    "^IPC WARNING - 1 orphaned segment (shmmni), 3 orphaned semaphore arrays (semmni), see 'ipctune orphans' | " \
    "$TMPD/orph"
check "orphan counts as perfdata, warning above 0" grep -q \
    ' orphaned_shmmni=1;0;;0;4096 orphaned_semmni=3;0;;0;32000 orphaned_msgmni=0;0;;0;32000$' \
    "$TMPD/orph"
check "long output: one line for the orphans" grep -q \
    '^WARNING: 1 orphaned segment (shmmni), 3 orphaned semaphore arrays' \
    "$TMPD/orph"
expect_eq "the same counts as 'orphans'" "1 3 0" \
    "$(jq -r '.orphans | "\(.shm) \(.sem) \(.msg)"' "$TMPD/orph.json")"
expect_eq "default --orphan-min-age: young arrays wait, the segment warns" \
    1 "$(cat "$TMPD/young.rc")"
check "default --orphan-min-age: only the segment" grep -q \
    "^IPC WARNING - 1 orphaned segment (shmmni), see 'ipctune orphans' | " \
    "$TMPD/young"
expect_eq "--no-orphans: exit 0" 0 "$(cat "$TMPD/noorph.rc")"
check "--no-orphans: no orphan perfdata" sh -c \
    "! grep -q orphaned '$TMPD/noorph'"
expect_eq "--resource semmni judges only the arrays: exit 1" 1 \
    "$(cat "$TMPD/semonly.rc")"
check "--resource semmni: only its count" grep -q \
    "^IPC WARNING - 3 orphaned semaphore arrays (semmni), see 'ipctune orphans' | semmni=3;.* semmns=9;.* orphaned_semmni=3;0;;0;32000$" \
    "$TMPD/semonly"
expect_eq "--resource shmall: no object limit, no orphans: exit 0" 0 \
    "$(cat "$TMPD/shmall.rc")"
if perl -MMonitoring::Plugin::Performance -e 1 2>/dev/null; then
	expect_eq "orphan perfdata parsed by Monitoring::Plugin" \
	    "orphaned_semmni 3 0 0 32000" \
	    "$(sed -n '1s/.* | //p' "$TMPD/orph" | perl -MMonitoring::Plugin::Performance -ne '
		for my $p (Monitoring::Plugin::Performance->parse_perfstring($_)) {
			next unless $p->label eq "orphaned_semmni";
			print join(" ", $p->label, $p->value,
			    $p->threshold->warning->end, $p->min, $p->max), "\n";
		}')"
fi

# the perfdata of every resource parses with the reference parser
if perl -MMonitoring::Plugin::Performance -e 1 2>/dev/null; then
	n=$(sed -n '1s/.* | //p' "$TMPD/crit" | perl -MMonitoring::Plugin::Performance -ne '
		my @p = Monitoring::Plugin::Performance->parse_perfstring($_);
		print scalar(@p), "\n";')
	expect_eq "perfdata: every item parsed by Monitoring::Plugin" \
	    "$(sed -n '1s/.* | //p' "$TMPD/crit" | wc -w)" "$n"
	[ "$n" -ge 7 ] && ok "perfdata: $n resources" ||
	    fail "perfdata: only $n resources"
	expect_eq "perfdata: shmmni thresholds as parsed" "shmmni 10 8 9.5 0 10" \
	    "$(sed -n '1s/.* | //p' "$TMPD/crit" | perl -MMonitoring::Plugin::Performance -ne '
		for my $p (Monitoring::Plugin::Performance->parse_perfstring($_)) {
			next unless $p->label eq "shmmni";
			print join(" ", $p->label, $p->value,
			    $p->threshold->warning->end,
			    $p->threshold->critical->end, $p->min, $p->max), "\n";
		}')"

	# ranges: our verdict against Monitoring::Plugin::Range, value 5
	ranges='10 10: ~:10 10:20 @10:20 4 5 5: 6: ~:4 @~:5 @5:5 0:4 @0:4 ~:'
	script="$(segs 5)"
	for r in $ranges; do
		script="$script '$IPCTUNE' check --no-orphans --resource shmmni -w '$r' -c '$r' >/dev/null; echo \"$r \$?\" >>'$TMPD/ranges';"
	done
	in_ipcns "$script"
	for r in $ranges; do
		want=$(perl -MMonitoring::Plugin::Range -e '
			my $r = Monitoring::Plugin::Range->parse_range_string($ARGV[0]);
			print $r->check_range(5) ? 2 : 0;' "$r")
		got=$(grep "^$r " "$TMPD/ranges" | awk '{print $2}')
		expect_eq "range '$r' on 5: same verdict as Monitoring::Plugin" \
		    "$want" "$got"
	done
else
	fail "Monitoring::Plugin not installed (libmonitoring-plugin-perl)"
fi

# another namespace through --pid
unshare --ipc sh -c 'echo 1 > /proc/sys/kernel/msgmni; ipcmk -Q >/dev/null;
	exec sleep 30' &
spid=$!
# sleep runs once the queue is made in its namespace
wait_comm "$spid" sleep || fail "--pid: the namespace's sleep did not start"
"$IPCTUNE" check --pid "$spid" >"$TMPD/pid"
rc=$?
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
expect_eq "--pid: msgmni full in that namespace: exit 2" 2 "$rc"
check "--pid: CRITICAL msgmni" grep -q '^IPC CRITICAL - msgmni 100.0%' \
    "$TMPD/pid"

# --forecast-days with a history really recorded ('record --at' sets the
# sample times): semaphore arrays leak one every two hours for two days
# against SEMMNI 100, so 24 are used (24%, below -w) and the rest is
# projected to run out in about 6 days
now=$(date +%s)
mkdir -p "$TMPD/fstate"
cat >"$TMPD/other.sh" <<EOF
echo '250 32000 32 100' >/proc/sys/kernel/sem
'$IPCTUNE' check --forecast-days 30 >'$TMPD/fother'
echo \$? >'$TMPD/fother.rc'
EOF
IPCTUNE_STATE_DIR=$TMPD/fstate in_ipcns "
	echo '250 32000 32 100' >/proc/sys/kernel/sem
	i=0
	while [ \$i -lt 48 ]; do
		[ \$((i % 2)) -eq 0 ] && ipcmk -S 1 >/dev/null
		'$IPCTUNE' record -q --at \$(($now - (47 - \$i) * 3600)) ||
		    exit 1
		i=\$((i + 1))
	done
	'$IPCTUNE' check --forecast-days 30 >'$TMPD/f30'; echo \$? >'$TMPD/f30.rc'
	'$IPCTUNE' check --forecast-days 3 >'$TMPD/f3'; echo \$? >'$TMPD/f3.rc'
	unshare --ipc sh '$TMPD/other.sh'
"
expect_eq "recorded history: 48 samples" 48 \
    "$(wc -l <"$TMPD/fstate/history.jsonl" | tr -d ' ')"
expect_eq "--forecast-days 30: exhaustion projected within: exit 1" 1 \
    "$(cat "$TMPD/f30.rc")"
check "--forecast-days 30: WARNING names semmni and the days" grep -Eq \
    '^IPC WARNING - semmni projected to reach its limit in [67] days' \
    "$TMPD/f30"
expect_eq "--forecast-days 3: beyond the window: exit 0" 0 \
    "$(cat "$TMPD/f3.rc")"
check "--forecast-days 3: IPC OK" grep -q '^IPC OK - ' "$TMPD/f3"
# the same history seen from another IPC namespace (nothing in use there;
# nested in the recording one, which is still alive, so its inode differs)
# is not this namespace's trend
expect_eq "history of another namespace: no projected exhaustion: exit 0" \
    0 "$(cat "$TMPD/fother.rc")"
check "... a note says the history is another namespace's" grep -q \
    "^forecast: not evaluated: the history .* was recorded in IPC namespace" \
    "$TMPD/fother"

# 13.11 a plugin user without HOME (icinga2.service runs plugins as nagios
# with no HOME) reads the history root's timer records in /var/lib/ipctune
# (a tmpfs over /var/lib in this mount namespace), and an unreadable
# history is UNKNOWN with the reason
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
in_ipcns "
	unset IPCTUNE_STATE_DIR STATE_DIRECTORY XDG_STATE_HOME
	mount -t tmpfs tmpfs /var/lib || exit 1
	echo '250 32000 32 100' >/proc/sys/kernel/sem
	i=0
	while [ \$i -lt 48 ]; do
		[ \$((i % 2)) -eq 0 ] && ipcmk -S 1 >/dev/null
		'$IPCTUNE' record -q --at \$(($now - (47 - \$i) * 3600)) ||
		    exit 1
		i=\$((i + 1))
	done
	env -u HOME $NOBODY '$IPCTUNE' check --forecast-days 30 --no-orphans \
	    >'$TMPD/nh' 2>&1; echo \$? >'$TMPD/nh.rc'
	env -u HOME $NOBODY '$IPCTUNE' forecast >'$TMPD/nhf' 2>&1
	echo \$? >'$TMPD/nhf.rc'
	mkdir -m 0700 /var/lib/roothome
	HOME=/var/lib/roothome $NOBODY '$IPCTUNE' check --forecast-days 30 --no-orphans \
	    >'$TMPD/rh' 2>&1; echo \$? >'$TMPD/rh.rc'
	chmod 0600 /var/lib/ipctune/history.jsonl
	env -u HOME $NOBODY '$IPCTUNE' check --forecast-days 30 --no-orphans \
	    >'$TMPD/nhu' 2>&1; echo \$? >'$TMPD/nhu.rc'
"
expect_eq "13.11 check without HOME as nobody: the forecast warns: exit 1" 1 \
    "$(cat "$TMPD/nh.rc")"
check "13.11 ... WARNING names semmni" grep -q \
    '^IPC WARNING - semmni projected to reach its limit' "$TMPD/nh"
expect_eq "13.11 forecast without HOME as nobody reads root's history" 0 \
    "$(cat "$TMPD/nhf.rc")"
# sudo -u without -H, setpriv and su without - keep root's HOME, which
# nobody cannot search: the user has no history of its own there
expect_eq "check as nobody with root's HOME: root's history, exit 1" 1 \
    "$(cat "$TMPD/rh.rc")"
expect_eq "13.11 check with an unreadable history: UNKNOWN, exit 3" 3 \
    "$(cat "$TMPD/nhu.rc")"
check "13.11 ... the status line says why" grep -Eq \
    "^IPC UNKNOWN - .*history.*/var/lib/ipctune/history.jsonl.*[Pp]ermission denied" \
    "$TMPD/nhu"

# UNKNOWN (3): bad options and unreadable state, with a status line
for args in "-w 8x" "-c 20:10" "--bogus" "--resource nosuch" \
    "--format json" "--forecast-days 0" "--orphan-min-age 1y" "extra" \
    "-t 0" "-t 86401" "--timeout x"; do
	# shellcheck disable=SC2086
	"$IPCTUNE" check $args >"$TMPD/u" 2>/dev/null
	rc=$?
	expect_eq "check $args: exit 3" 3 "$rc"
	check "check $args: 'IPC UNKNOWN - ' on stdout" \
	    grep -q '^IPC UNKNOWN - ' "$TMPD/u"
done
"$IPCTUNE" check --from "$TMPD/missing.json" >"$TMPD/u" 2>/dev/null
expect_eq "unreadable state: exit 3" 3 $?
check "unreadable state: says why" \
    grep -q "^IPC UNKNOWN - cannot read the IPC state: .*missing.json" "$TMPD/u"
"$IPCTUNE" check -h >/dev/null
expect_eq "check -h: exit 0" 0 $?

# -t SECONDS: the plugin timeout.  Counting POSIX queues, the check
# waits for a child that mounts the namespace's mqueue fs; strace holds
# that mount 5 s.  With -t 1 the UNKNOWN line must come about 1 s after
# the program set its alarm (strace's time of the call: the start of a
# program under valgrind on a loaded machine takes seconds), not after
# the hold, and the exit status is 3; without -t the same check ends
# OK.  (-f: the valgrind wrapper's child is the program.  LeakSanitizer
# cannot run under ptrace: off for these runs.)
hold_mount() { echo "env ASAN_OPTIONS=\${ASAN_OPTIONS:-}:detect_leaks=0 \
    strace -f -ttt -o ${2:-/dev/null} -e 'trace=mount,?alarm,setitimer' \
    -e inject=mount:delay_enter=$1"; }
in_ipcns "
	$(hold_mount 5000000 "$TMPD/to.st") '$IPCTUNE' check --no-orphans \
	    -t 1 >'$TMPD/to' 2>'$TMPD/to.err' &
	sp=\$!
	i=0
	until grep -q . '$TMPD/to' || [ \$i -gt 600 ]; do
		sleep 0.05
		i=\$((i + 1))
	done
	date +%s.%N >'$TMPD/to.seen'
	wait \$sp
	echo \$? >'$TMPD/to.rc'
"
armed=$(grep -E -m1 ' (alarm\(1\)|setitimer\(ITIMER_REAL, .*tv_sec=1,)' \
    "$TMPD/to.st" | awk '{ print $2 }')
ms=$(awk -v a="${armed:-0}" -v b="$(cat "$TMPD/to.seen")" \
    'BEGIN { printf "%d", (b - a) * 1000 }')
expect_eq "-t 1 on a check held 5 s: exit 3" 3 "$(cat "$TMPD/to.rc")"
expect_eq "... 'IPC UNKNOWN - timed out after 1 seconds (-t)'" \
    "IPC UNKNOWN - timed out after 1 seconds (-t)" "$(cat "$TMPD/to")"
[ "$ms" -ge 900 ] && [ "$ms" -lt 4000 ] &&
    ok "... printed after ${ms} ms, not after the hold" ||
    fail "-t 1: the line came after ${ms} ms"
in_ipcns "
	$(hold_mount 1000000) '$IPCTUNE' check --no-orphans >'$TMPD/to2' 2>&1
	echo \$? >'$TMPD/to2.rc'
"
expect_eq "a check held 1 s without -t: exit 0" 0 "$(cat "$TMPD/to2.rc")"
run_check "$TMPD/t30" "" -t 30
expect_eq "-t 30 on a quick check: exit 0" 0 "$(cat "$TMPD/t30.rc")"
check "... the usual status line" grep -q '^IPC OK - ' "$TMPD/t30"

finish
