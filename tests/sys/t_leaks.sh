#!/bin/sh
# Leaks as an operator meets them, each in a private IPC, PID and mount
# namespace: an httpd-like daemon killed again and again until semget
# fails (the leak is fresh: suspect, pointed at by status, removed by
# clean --min-age 0), more leaked arrays than status reads (it says so
# and where to count them), signs of users out of sight on a table status
# does not judge, more /dev/shm files than it reads, and a segment
# removed with IPC_RMID while still attached, the X11 MIT-SHM idiom (in
# use, no alarm).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/orphans_lib.sh"

# 13.1: a daemon makes 3 arrays and is killed with -9, until SEMMNI 8 is
# full; what ipctune says right after, with its default options.
fresh_leak() {
	echo "250 32000 32 8" >/proc/sys/kernel/sem
	n=3
	i=0
	while [ "$n" -eq 3 ] && [ $i -lt 10 ]; do
		i=$((i + 1))
		$H sem-fill 3 "$TMPD/r$i" 2>/dev/null &
		hp=$!
		wait_file "$TMPD/r$i"
		n=$(cut -d' ' -f1 "$TMPD/r$i")
		kill -9 $hp
		wait $hp 2>/dev/null
	done
	expect_eq "13.1 killed daemons filled SEMMNI" "3 2" "$i $n"
	expect_eq "13.1 semget fails with ENOSPC" ENOSPC "$($H semget)"

	$IPCTUNE orphans --pid $$ -J >"$TMPD/o.json"
	expect_eq "13.1 orphans shows a fresh leak as suspect" "8 8 0" \
	    "$(jq -r '"\(.suspect.sem) \([.objects[] |
	    select(.verdict == "suspect")] | length) \(.orphans.sem)"' \
	    "$TMPD/o.json")"
	expect_eq "13.1 suspects carry last_op_pid_dead and too_young" 8 \
	    "$(jq '[.objects[] | select((.reasons | index("too_young")) and
	    (.reasons | index("last_op_pid_dead")))] | length' "$TMPD/o.json")"
	expect_eq "13.1 orphan_at_unix is the last activity plus --min-age" \
	    8 "$(jq '[.objects[] | select(.orphan_at_unix ==
	    .last_activity_unix + 3600)] | length' "$TMPD/o.json")"
	check "13.1 orphans JSON with suspects validates" python3 \
	    "$TOP/tests/sys/validate.py" "$TOP/contrib/schema/orphans-1.json" \
	    "$TMPD/o.json"
	$IPCTUNE orphans --pid $$ >"$TMPD/o.txt"
	check "13.1 the table says they are suspect" grep -q \
	    "^8 semaphore arrays are suspect: every process recorded on them is gone" \
	    "$TMPD/o.txt"
	check "13.1 the table shows the verdict and when they become orphans" \
	    grep -q "suspect .*last_op [0-9]* gone.*orphan in [0-9]" \
	    "$TMPD/o.txt"
	$IPCTUNE orphans --pid $$ --exit-status >/dev/null
	expect_eq "13.1 --exit-status does not count suspects" 0 $?

	$IPCTUNE status --pid $$ >"$TMPD/s.txt"
	check "13.1 status names the exhausted limit" grep -q \
	    "^critical: semmni is exhausted" "$TMPD/s.txt"
	check "13.1 status points at the leaked arrays" grep -q \
	    "^info: semmni: 8 of the 8 arrays have no live user (0 orphaned, 8 suspect): ipctune orphans" \
	    "$TMPD/s.txt"
	expect_eq "13.1 status JSON has the leaked_objects finding" \
	    semmni "$($IPCTUNE status --pid $$ -J | jq -r '[.findings[] |
	    select(.code == "leaked_objects") | .resource] | join(" ")')"
	$IPCTUNE status --pid $$ --format prometheus >"$TMPD/s.prom"
	expect_eq "13.1 Prometheus: suspects apart from orphans" "8 0" \
	    "$(awk '/^ipctune_suspect_objects\{resource="semmni",/ { s = $2 }
	    /^ipctune_orphaned_objects\{resource="semmni",/ { o = $2 }
	    END { print s, o }' "$TMPD/s.prom")"
	expect_eq "13.1 status --no-orphans judges nothing" 0 \
	    "$($IPCTUNE status --pid $$ --no-orphans -J | jq '[.findings[] |
	    select(.code == "leaked_objects")] | length')"

	$IPCTUNE clean --pid $$ --all-orphans --yes -J >"$TMPD/c.json" 2>/dev/null
	expect_eq "13.1 clean skips suspects by default, saying why" \
	    "0 8 too_young" "$(jq -r '"\(.counts.removed) \(.counts.skipped)
	    \([.results[].reason] | unique | join(","))"' "$TMPD/c.json" |
	    tr -s ' \t\n' ' ' | sed 's/ $//')"
	check "13.1 clean's reason names --min-age 0" sh -c \
	    "$IPCTUNE clean --pid $$ --all-orphans | grep -q 'min-age 0 removes it'"
	$IPCTUNE clean --pid $$ --all-orphans --min-age 0 --yes -J >"$TMPD/c.json" \
	    2>/dev/null
	expect_eq "13.1 clean --min-age 0 removes them" 8 \
	    "$(jq '.counts.removed' "$TMPD/c.json")"
	check "13.1 semget works again" sh -c "$H semget >/dev/null"
	if [ -n "${LEAKS_SHOW:-}" ]; then
		cat "$TMPD/o.txt" "$TMPD/s.txt"
	fi
}

# More objects of a type than status reads (LOADSTATE_SCAN_MAX, 4096):
# a nearly full SEMMNI of 4100 leaked arrays is not judged unless --scan,
# and a finding says so; logind's RemoveIPC= owners likewise, while the
# types under the cap are still read for it.
many_leaks() {
	echo "250 32000 32 4200" >/proc/sys/kernel/sem
	$HELPER -q sem nsems=1 count=4100 semop=1 exit
	expect_eq "4100 arrays made" 4100 \
	    "$($IPCTUNE status --pid $$ -J --no-orphans | jq '.resources[] |
	    select(.name == "semmni") | .used')"
	$IPCTUNE status --pid $$ -J >"$TMPD/s.json"
	expect_eq "over the cap: no leak count, a finding saying why" \
	    "semmni 0" "$(jq -r '"\([.findings[] | select(.code ==
	    "leaks_not_counted") | .resource] | join(" ")) \([.findings[] |
	    select(.code == "leaked_objects")] | length)"' "$TMPD/s.json")"
	check "leaks_not_counted names the count, the cap and where to look" \
	    grep -qF "semmni: the 4100 semaphore arrays were not read to count those with no live user (more than 4096 of a type; status --scan reads them): ipctune orphans" \
	    "$TMPD/s.json"
	check "the status JSON validates" python3 \
	    "$TOP/tests/sys/validate.py" "$TOP/contrib/schema/status-1.json" \
	    "$TMPD/s.json"
	$IPCTUNE status --pid $$ --scan >"$TMPD/s.txt"
	check "--scan counts them" grep -q \
	    "^info: semmni: 4100 of the 4100 arrays have no live user (0 orphaned, 4100 suspect): ipctune orphans" \
	    "$TMPD/s.txt"
	check "--scan: nothing left uncounted" sh -c \
	    "! grep -q 'were not read' '$TMPD/s.txt'"

	# RemoveIPC=yes, logind's default, on a systemd host (this mount
	# namespace's view), and a segment of uid 1000
	mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/system &&
	    mount -t tmpfs tmpfs /etc/systemd ||
	    fail "private /run/systemd and /etc/systemd"
	shm=$($HELPER shm size=4096 exit | awk '/^shm/ { print $2 }')
	python3 "$TOP/tests/sys/setowner.py" shm "$shm" 1000 1000
	$IPCTUNE status --pid $$ -J --no-orphans >"$TMPD/r.json"
	expect_eq "RemoveIPC=yes: the segment (under the cap) is seen" \
	    "1 IPC object belongs" "$(jq -r '.findings[] |
	    select(.code == "logind_removeipc") | .message' "$TMPD/r.json" |
	    grep -o '1 IPC object belongs')"
	check "RemoveIPC=yes: the owners of the arrays were not read" grep -qF \
	    "the owners of the 4100 semaphore arrays were not read (more than 4096 of a type; status --scan reads them): ipctune owners" \
	    "$TMPD/r.json"
	expect_eq "RemoveIPC=yes with --scan: every owner read" "0" \
	    "$($IPCTUNE status --pid $$ -J --no-orphans --scan | jq '[.findings[] |
	    select(.code == "logind_removeipc_unread")] | length')"
}

# A queue another PID namespace used (its last sender and receiver are
# out of sight here: the kernel reports their PIDs as 0), emptied, so no
# row of status reads it; a nearly full SEMMNI seen from a child PID
# namespace without --pid.  The leak count of status rests on the same
# signs as orphans: users out of sight, verdicts unknown, no leak claimed.
unseen_users() {
	echo "250 32000 32 16" >/proc/sys/kernel/sem
	q=$($H msg-send 0 1 0600 | cut -d' ' -f1)
	$H msg-wait "$q" "$TMPD/w" >/dev/null || fail "receive the message"
	unshare --pid --fork --mount-proc sh -c '
	    sleep 60 &
	    $HELPER -q sem nsems=1 count=15 semop=1 exit
	    $IPCTUNE status --orphan-min-age 0 -J >"$TMPD/s.json" 2>"$TMPD/e"
	    $IPCTUNE orphans --min-age 0 -J >"$TMPD/o.json" 2>/dev/null
	    kill $!'
	expect_eq "orphans: the arrays and the queue are unknown" "16 0" \
	    "$(jq -r '"\(.unknown) \(.orphans.sem + .suspect.sem)"' \
	    "$TMPD/o.json")"
	expect_eq "status claims no leak orphans does not see" 0 \
	    "$(jq '[.findings[] | select(.code == "leaked_objects")] |
	    length' "$TMPD/s.json")"
	check "status warns that users may be out of sight" grep -q \
	    "outside ipctune's PID namespace" "$TMPD/e"
}

# More files in /dev/shm than status reads: both POSIX types live there,
# and each full resource gets one leaks_not_counted, not one per type.
devshm_unread() {
	mount -t tmpfs -o size=8m,nr_inodes=4200 tmpfs /dev/shm ||
	    fail "a private /dev/shm"
	i=0
	while [ $i -lt 4100 ]; do
		: >/dev/shm/f$i
		i=$((i + 1))
	done
	: >/dev/shm/sem.s
	$IPCTUNE status -J >"$TMPD/s.json"
	expect_eq "one leaks_not_counted for dev_shm_inodes" \
	    "dev_shm_inodes" "$(jq -r '[.findings[] | select(.code ==
	    "leaks_not_counted") | .resource] | join(" ")' "$TMPD/s.json")"
	check "it names the files of /dev/shm by its inodes" grep -qF \
	    "dev_shm_inodes: the files of /dev/shm (4102 inodes in use) were not read" \
	    "$TMPD/s.json"

	# RemoveIPC=yes with two kinds of objects over the cap
	echo 4200 >/proc/sys/kernel/msgmni
	$HELPER -q msg count=4097 exit
	mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/system &&
	    mount -t tmpfs tmpfs /etc/systemd ||
	    fail "private /run/systemd and /etc/systemd"
	check "logind_removeipc_unread lists the kinds, the last after and" \
	    sh -c "$IPCTUNE status --no-orphans | grep -qF 'the owners of \
the 4097 message queues and files of /dev/shm (4102 inodes in use) were not read'"
}

# 13.2: created, attached, IPC_RMID'd, still attached.
mitshm() {
	$H shm-rmid-hold 0x6161 65536 "$TMPD/x" &
	hp=$!
	wait_file "$TMPD/x"
	$IPCTUNE orphans --pid $$ --min-age 0 --all -J >"$TMPD/o.json"
	expect_eq "13.2 an attached dest segment is in use" \
	    "in_use true true 0" "$(jq -r '"\(.objects[0].verdict)
	    \(.objects[0].reasons | index("attached") != null)
	    \(.objects[0].reasons | index("marked_dest") != null)
	    \(.orphans.shm)"' "$TMPD/o.json" | tr -s ' \t\n' ' ' |
	    sed 's/ $//')"
	$IPCTUNE orphans --pid $$ --min-age 0 --exit-status >/dev/null
	expect_eq "13.2 orphans --exit-status is 0" 0 $?
	$IPCTUNE check --pid $$ --orphan-min-age 0 >"$TMPD/chk"
	expect_eq "13.2 check raises no alarm" 0 $?
	check "13.2 check counts no orphaned segment" grep -q \
	    "orphaned_shmmni=0;" "$TMPD/chk"
	$IPCTUNE clean --pid $$ --all-orphans --min-age 0 --yes >/dev/null 2>&1
	expect_eq "13.2 clean leaves it" 1 "$($IPCTUNE list -J shm |
	    jq '.shm | length')"
	kill $hp
	wait $hp 2>/dev/null
	expect_eq "13.2 the kernel frees it at the last detach" 0 \
	    "$($IPCTUNE list -J shm | jq '.shm | length')"
}

scenario_main "$@"
for s in fresh_leak many_leaks unseen_users devshm_unread mitshm; do
	run_ns "$0" "$s"
done
finish
