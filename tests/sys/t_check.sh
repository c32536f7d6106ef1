#!/bin/sh
# ipctune check, the monitoring-plugin mode, against the real kernel in
# private IPC namespaces: states and exit statuses 0/1/2/3, the status
# line, perfdata parsed by the reference implementation
# (Monitoring::Plugin::Performance) and the range syntax compared with
# Monitoring::Plugin::Range on the same values.
. "$(dirname "$0")/lib.sh"

# run_check OUTFILE SETUP ARGS...: check in a fresh namespace after SETUP
run_check() {
	f=$1
	setup=$2
	shift 2
	in_ipcns "$setup
		'$IPCTUNE' check $* >'$f' 2>'$f.err'
		echo \$? >'$f.rc'
	"
}
segs() { i=0; while [ $i -lt "$1" ]; do echo "ipcmk -M 4096 >/dev/null;"; i=$((i + 1)); done; }

run_check "$TMPD/ok" ""
expect_eq "fresh namespace: exit 0" 0 "$(cat "$TMPD/ok.rc")"
check "fresh namespace: 'IPC OK - ' status line" \
    grep -q '^IPC OK - 8 resources within thresholds' "$TMPD/ok"
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

# absolute thresholds, one resource
run_check "$TMPD/abs" "$(segs 3)" --resource shmmni -w 2 -c 5
expect_eq "-w 2 -c 5 with 3 segments: exit 1" 1 "$(cat "$TMPD/abs.rc")"
expect_eq "--resource shmmni: only its perfdata" "shmmni=3;2;5;0;4096" \
    "$(sed 's/.* | //' "$TMPD/abs" | head -1)"

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
		script="$script '$IPCTUNE' check --resource shmmni -w '$r' -c '$r' >/dev/null; echo \"$r \$?\" >>'$TMPD/ranges';"
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
for _ in 1 2 3 4 5 6 7 8 9 10; do
	[ "$(cat /proc/$spid/comm 2>/dev/null)" = sleep ] && break
	sleep 0.2
done
"$IPCTUNE" check --pid "$spid" >"$TMPD/pid"
rc=$?
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
expect_eq "--pid: msgmni full in that namespace: exit 2" 2 "$rc"
check "--pid: CRITICAL msgmni" grep -q '^IPC CRITICAL - msgmni 100.0%' \
    "$TMPD/pid"

# UNKNOWN (3): bad options and unreadable state, with a status line
for args in "-w 8x" "-c 20:10" "--bogus" "--resource nosuch" \
    "--format json" "--forecast-days 0" "extra"; do
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

finish
