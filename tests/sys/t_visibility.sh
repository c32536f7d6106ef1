#!/bin/sh
# The orphan judge never says orphaned when it cannot see enough:
# processes of another PID namespace that share the IPC namespace
# (12.A1), processes it may not read, as nobody or behind /proc's hidepid
# (12.A2), and start times moved by a step of the wall clock (12.A4).
# Each scenario runs in its own IPC, PID and mount namespace; ipctune
# runs in a child PID namespace of it, as nobody, or over a /proc/stat
# with a moved btime.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/orphans_lib.sh"

# wait_blocked PID: wait up to 60 s until PID sleeps (in its system call)
wait_blocked() {
	_i=0
	while [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != S ] &&
	    [ $_i -lt 1200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
}

# child CMD...: run CMD in a new PID namespace (and /proc) that shares
# this IPC namespace, as a sidecar container shares a pod's
child() { unshare --pid --fork --mount-proc "$@"; }

# verdict KEY FILE: "verdict reason,reason" of the object with KEY
verdict() {
	jq -r --arg k "$1" '.objects[] | select(.key_hex == $k) |
	    "\(.verdict) \(.reasons | join(","))"' "$2"
}
# has_reason KEY REASON FILE: prints true or false
has_reason() {
	jq -r --arg k "$1" --arg r "$2" '.objects[] | select(.key_hex == $k) |
	    .reasons | index($r) != null' "$3"
}
# oneline: a jq string that spans lines, on one line
oneline() { tr -s ' \t\n' ' ' | sed 's/^ //; s/ $//'; }
norphaned() { jq '[.objects[] | select(.verdict == "orphaned")] | length' "$1"; }

# A daemon and a reader blocked in msgrcv, both in this (the parent) PID
# namespace; ipctune in a child PID namespace sees neither.
foreign_users() {
	$H shm-own 0x9101 4096 "$TMPD/d" &
	dp=$!
	wait_file "$TMPD/d"
	set -- $($H msg-send 0x9102 0 0600)
	qid=$1
	$H msg-wait "$qid" "$TMPD/mw" &
	mw=$!
	wait_file "$TMPD/mw"
	wait_blocked "$mw"
	child $IPCTUNE orphans --all --min-age 0 -J >"$TMPD/o.json" \
	    2>"$TMPD/err"
	expect_eq "12.A1 nothing is orphaned when the users are in a parent PID namespace" \
	    0 "$(norphaned "$TMPD/o.json")"
	expect_eq "12.A1 a segment whose creator is not visible is unknown" \
	    "unknown true" "$(jq -r '.objects[] | select(.key_hex ==
	    "0x00009101") | "\(.verdict) \(.reasons | index("pid_not_visible")
	    != null)"' "$TMPD/o.json")"
	expect_eq "12.A1 an unused queue is unknown: outside users are likely" \
	    "unknown true" "$(jq -r '.objects[] | select(.key_hex ==
	    "0x00009102") | "\(.verdict) \(.reasons | index("pids_incomplete")
	    != null)"' "$TMPD/o.json")"
	check "12.A1 a warning names the PID namespace" grep -q \
	    "outside ipctune's PID namespace" "$TMPD/err"
	expect_eq "12.A1 JSON says the inspection is not complete" \
	    "false pid_namespace" "$(jq -r '.inspection | "\(.complete)
	    \(.causes | map(.code) | join(","))"' "$TMPD/o.json" | oneline)"
	check "12.A1 the document fits orphans-1.json" \
	    validate "$SCHEMAS/orphans-1.json" "$TMPD/o.json"
	child $IPCTUNE orphans --all --min-age 0 >"$TMPD/o.txt" 2>/dev/null
	check "12.A1 the table says who could not be inspected" grep -q \
	    "^processes outside this PID namespace could not be inspected" \
	    "$TMPD/o.txt"
	child $IPCTUNE clean --all-orphans --min-age 0 --include-nonempty \
	    --yes -J >"$TMPD/c.json" 2>/dev/null
	expect_eq "12.A1 clean --yes in the child PID namespace removes nothing" \
	    "0 2" "$(jq -r '.counts.removed' "$TMPD/c.json") $($IPCTUNE list -J |
	    jq '[.shm[], .msg[]] | length')"
	expect_eq "12.A1 the reader blocked in msgrcv still waits (no EIDRM)" \
	    S "$(awk '{print $3}' "/proc/$mw/stat" 2>/dev/null)"
	# --pid names a process whose PID namespace ipctune sees: the user
	# states that the namespace's users are there
	child $IPCTUNE orphans --pid 1 --all --min-age 0 -J \
	    >"$TMPD/p.json" 2>"$TMPD/err"
	expect_eq "12.A1 --pid lifts the namespace rule, not the per-object one" \
	    "unknown true" "$(jq -r '"\(.objects[] | select(.key_hex ==
	    "0x00009101") | .verdict) \(.inspection.complete)"' \
	    "$TMPD/p.json")"
	check "12.A1 no namespace warning with --pid" sh -c \
	    "! grep -q 'outside ipctune' '$TMPD/err'"
	kill "$dp" "$mw"
	wait "$dp" "$mw" 2>/dev/null
	ipcrm -a
}

# Only a queue, never used, with a reader blocked in msgrcv in this PID
# namespace; ipctune in a child PID namespace that has other processes.
# Nothing on the queue names a PID; it is older than the child PID
# namespace, so a process outside made it.
foreign_queue() {
	set -- $($H msg-send 0x9111 0 0600)
	qid=$1
	$H msg-wait "$qid" "$TMPD/mw" &
	mw=$!
	wait_file "$TMPD/mw"
	wait_blocked "$mw"
	# the child PID namespace starts in a later second than the queue
	sleep 1.1
	child sh -c "sleep 60 & $IPCTUNE orphans --all --min-age 0 -J \
	    >$TMPD/o.json 2>$TMPD/err; $IPCTUNE clean --all-orphans \
	    --min-age 0 --yes >/dev/null 2>&1; kill \$!"
	expect_eq "12.A1 an unused queue older than the child PID namespace is unknown" \
	    "unknown true" "$(jq -r '.objects[] | select(.key_hex ==
	    "0x00009111") | "\(.verdict) \(.reasons | index("pids_incomplete")
	    != null)"' "$TMPD/o.json")"
	check "12.A1 the warning says the objects are older" grep -q \
	    "older than it" "$TMPD/err"
	expect_eq "12.A1 its reader in the parent PID namespace still waits" \
	    "S 1" "$(awk '{print $3}' "/proc/$mw/stat" 2>/dev/null) $($IPCTUNE \
	    list -J | jq '.msg | length')"
	kill "$mw"
	wait "$mw" 2>/dev/null
	ipcrm -a
}

# A queue made after the child PID namespace started, by a process of
# this (the parent) PID namespace that then blocks in msgrcv: a blocked
# reader changes nothing on the queue, so nothing ipctune reads in the
# child (which has users of its own) reveals it.
foreign_reader() {
	child sh -c "echo >$TMPD/cstart; sleep 60 &
	    while [ ! -e $TMPD/go ]; do sleep 0.05; done
	    $IPCTUNE orphans --all --type msg --min-age 0 -J >$TMPD/o.json \
	    2>$TMPD/err; $IPCTUNE orphans --type msg --min-age 0 \
	    >$TMPD/o.txt 2>/dev/null
	    $IPCTUNE clean --yes --type msg --min-age 0 -J \
	    >$TMPD/c.json 2>/dev/null; kill \$!" &
	cp=$!
	# the queue is made in a later second than the child PID namespace
	# (counted from its start, however late that was)
	wait_file "$TMPD/cstart"
	sleep 1.1
	set -- $($H msg-send 0x9121 0 0600)
	qid=$1
	$H msg-wait "$qid" "$TMPD/mw" &
	mw=$!
	wait_file "$TMPD/mw"
	wait_blocked "$mw"
	: >"$TMPD/go"
	wait "$cp"
	expect_eq "12.A1 a queue whose reader waits in another PID namespace is unknown" \
	    "unknown true" "$(jq -r '.objects[] | select(.key_hex ==
	    "0x00009121") | "\(.verdict) \(.reasons | index("waits_unreadable")
	    != null)"' "$TMPD/o.json")"
	check "12.A1 the table says how to judge them: --pid" grep -q \
	    "^ipctune runs in a child PID namespace .*name one of the users with --pid PID" \
	    "$TMPD/o.txt"
	expect_eq "12.A1 clean --yes leaves a queue whose reader waits in another PID namespace" \
	    "0 S 1" "$(jq -r '.counts.removed' "$TMPD/c.json") $(awk \
	    '{print $3}' "/proc/$mw/stat" 2>/dev/null) $($IPCTUNE list -J |
	    jq '.msg | length')"
	kill "$mw"
	wait "$mw" 2>/dev/null
	ipcrm -a
}

# 12.A5 across PID namespaces: a process of ipctune's PID namespace makes
# an array (and exits); a process of this (the parent) one holds its
# semaphore 0 with SEM_UNDO.  From the child the holder's sempid reads 0
# beside the creator's visible, dead one.
foreign_sem_lock() {
	child sh -c "sleep 60 & $H sem-create 0x9131 0600 >$TMPD/sc
	    while [ ! -e $TMPD/go ]; do sleep 0.05; done
	    $IPCTUNE orphans --all --type sem --min-age 0 -J >$TMPD/o.json \
	    2>/dev/null; $IPCTUNE clean --yes --type sem --min-age 0 -J \
	    >$TMPD/c.json 2>/dev/null; kill \$!" &
	cp=$!
	wait_file "$TMPD/sc"
	id=$(cut -d' ' -f1 "$TMPD/sc")
	$H semop "$id"
	$H sem-lock "$id" "$TMPD/locked" &
	holder=$!
	wait_file "$TMPD/locked"
	: >"$TMPD/go"
	wait "$cp"
	expect_eq "12.A5 a SEM_UNDO lock held from another PID namespace is unknown" \
	    "unknown true" "$(jq -r '.objects[] | select(.key_hex ==
	    "0x00009131") | "\(.verdict) \(.reasons | index("pid_not_visible")
	    != null)"' "$TMPD/o.json")"
	expect_eq "12.A5 clean --yes leaves an array locked from another PID namespace" \
	    "0 1" "$(jq -r '.counts.removed' "$TMPD/c.json") $($IPCTUNE list -J |
	    jq '.sem | length')"
	kill "$holder"
	wait "$holder" 2>/dev/null
	ipcrm -a
}

# A segment created by a process of ipctune's PID namespace (which then
# exits), attached and detached by a process of the parent one: shm_lpid
# reads 0 while shm_atime and shm_dtime are set.
foreign_attach() {
	child sh -c "set -- \$($H shm-write 0x9201 4096 1 0600)
	    echo \$1 >$TMPD/id.tmp && mv $TMPD/id.tmp $TMPD/id
	    i=0; while [ ! -e $TMPD/touched ] && [ \$i -lt 1200 ]; do
	        sleep 0.05; i=\$((i + 1)); done
	    $IPCTUNE orphans --all -J >$TMPD/o.json 2>$TMPD/err
	    $IPCTUNE clean --all-orphans --yes -J >$TMPD/c.json 2>/dev/null" &
	cp=$!
	wait_file "$TMPD/id"
	$H shm-touch "$(cat "$TMPD/id")"
	touch "$TMPD/touched"
	wait "$cp"
	expect_eq "12.A1 attached and detached from the parent PID namespace: unknown" \
	    "unknown true" "$(jq -r '.objects[] | select(.key_hex ==
	    "0x00009201") | "\(.verdict) \(.reasons | index("pid_not_visible")
	    != null)"' "$TMPD/o.json")"
	expect_eq "12.A1 its creator is seen and gone" "creator dead" \
	    "$(jq -r '.objects[] | select(.key_hex == "0x00009201") | .pids[0] |
	    "\(.role) \(.state)"' "$TMPD/o.json")"
	expect_eq "12.A1 clean --yes leaves it" "0 1" \
	    "$(jq -r '.counts.removed' "$TMPD/c.json") $($IPCTUNE list -J |
	    jq '.shm | length')"
	ipcrm -a
}

# as_nobody CMD...: run CMD as nobody (no groups)
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# root's daemon (segment created, detached, runs) and root's reader
# blocked in msgrcv on an unused queue; ipctune runs as nobody
root_users() {
	$H shm-own 0x9301 4096 "$TMPD/d" &
	dp=$!
	wait_file "$TMPD/d"
	set -- $($H msg-send 0x9302 0 0666)
	qid=$1
	$H msg-wait "$qid" "$TMPD/mw" &
	mw=$!
	wait_file "$TMPD/mw"
	wait_blocked "$mw"
}
stop_root_users() {
	kill "$dp" "$mw"
	wait "$dp" "$mw" 2>/dev/null
	ipcrm -a
}

unreadable() {
	root_users
	as_nobody $IPCTUNE orphans --all --min-age 0 -J >"$TMPD/o.json" \
	    2>"$TMPD/err"
	expect_eq "12.A2 as nobody a queue with an unreadable reader is unknown" \
	    "unknown true" "$(jq -r '.objects[] | select(.key_hex ==
	    "0x00009302") | "\(.verdict) \(.reasons | index("waits_unreadable")
	    != null)"' "$TMPD/o.json")"
	expect_eq "12.A2 as nobody the live root daemon's segment is in use" \
	    "in_use" "$(verdict 0x00009301 "$TMPD/o.json" | cut -d' ' -f1)"
	expect_eq "12.A2 JSON counts the processes not inspected, and why" \
	    "true permission_denied" "$(jq -r '.inspection |
	    "\(.processes_not_inspected >= 2) \(.causes | map(.code) |
	    join(","))"' "$TMPD/o.json")"
	check "12.A2 a warning says processes could not be inspected" grep -q \
	    "could not be inspected (permission denied" "$TMPD/err"
	as_nobody $IPCTUNE orphans --all --min-age 0 >"$TMPD/o.txt" 2>/dev/null
	check "12.A2 the table counts the processes not inspected" grep -Eq \
	    "^[0-9]+ process(es)? could not be inspected" "$TMPD/o.txt"
	stop_root_users
}

# hidepid_run MODE: root_users, then ipctune as nobody over a /proc
# mounted with hidepid=MODE, in a mount namespace of its own
hidepid_run() {
	root_users
	unshare --mount sh -c "mount -t proc -o hidepid=$1 proc /proc &&
	    setpriv --reuid=65534 --regid=65534 --clear-groups \
	    $IPCTUNE orphans --all --min-age 0 -J" >"$TMPD/o.json" \
	    2>"$TMPD/err"
}

hidepid_invisible() {
	hidepid_run invisible
	expect_eq "12.A2 hidepid=invisible: a hidden live creator is not dead" \
	    "unknown true" "$(jq -r '.objects[] | select(.key_hex ==
	    "0x00009301") | "\(.verdict) \(.reasons | index("pid_unreadable")
	    != null)"' "$TMPD/o.json")"
	expect_eq "12.A2 hidepid=invisible: the evidence says unreadable" \
	    "creator unreadable" "$(jq -r '.objects[] | select(.key_hex ==
	    "0x00009301") | .pids[0] | "\(.role) \(.state)"' "$TMPD/o.json")"
	expect_eq "12.A2 hidepid=invisible: a queue with a hidden reader is unknown" \
	    "unknown true" "$(jq -r '.objects[] | select(.key_hex ==
	    "0x00009302") | "\(.verdict) \(.reasons | index("waits_unreadable")
	    != null)"' "$TMPD/o.json")"
	expect_eq "12.A2 hidepid=invisible: JSON says processes are hidden" \
	    "true true" "$(jq -r '.inspection | "\(.processes_hidden)
	    \(.causes | map(.code) | index("hidepid") != null)"' \
	    "$TMPD/o.json" | oneline)"
	check "12.A2 hidepid=invisible: a warning names it" grep -q \
	    "hidepid=invisible" "$TMPD/err"
	check "12.A2 hidepid=invisible: the document fits orphans-1.json" \
	    validate "$SCHEMAS/orphans-1.json" "$TMPD/o.json"
	stop_root_users
}

hidepid_noaccess() {
	hidepid_run noaccess
	expect_eq "12.A2 hidepid=noaccess: nothing is orphaned" 0 \
	    "$(norphaned "$TMPD/o.json")"
	expect_eq "12.A2 hidepid=noaccess: an unreadable live creator is not dead" \
	    "unknown creator unreadable" "$(jq -r '.objects[] |
	    select(.key_hex == "0x00009301") |
	    "\(.verdict) \(.pids[0].role) \(.pids[0].state)"' "$TMPD/o.json")"
	expect_eq "12.A2 hidepid=noaccess: processes not inspected are counted" \
	    true "$(jq '.inspection.processes_not_inspected >= 2' \
	    "$TMPD/o.json")"
	stop_root_users
}

# with_btime DELTA CMD...: run CMD over a /proc/stat whose btime is moved
# by DELTA seconds, as a step of the wall clock moves it
with_btime() {
	_d=$1
	shift
	awk -v d="$_d" '$1 == "btime" { $2 = $2 + d } { print }' /proc/stat \
	    >"$TMPD/stat"
	unshare --mount sh -c "mount --bind $TMPD/stat /proc/stat && exec \"\$@\"" \
	    sh "$@"
}

clock_step() {
	# a daemon that made its segment in its first second, still running
	$H shm-own 0x9401 4096 "$TMPD/d" &
	dp=$!
	wait_file "$TMPD/d"
	with_btime 2 $IPCTUNE orphans --all -J >"$TMPD/o.json" 2>/dev/null
	expect_eq "12.A4 after a 2 s forward step the live creator is ambiguous, not reused" \
	    "unknown creator ambiguous" "$(jq -r '.objects[] |
	    select(.key_hex == "0x00009401") |
	    "\(.verdict) \(.pids[0].role) \(.pids[0].state)"' "$TMPD/o.json")"
	expect_eq "12.A4 the reason is start_ambiguous, never pid_reused" \
	    "true false" "$(jq -r '.objects[] | select(.key_hex ==
	    "0x00009401") | "\(.reasons | index("start_ambiguous") != null)
	    \(.reasons | index("pid_reused") != null)"' "$TMPD/o.json" |
	    oneline)"
	check "12.A4 the document fits orphans-1.json" \
	    validate "$SCHEMAS/orphans-1.json" "$TMPD/o.json"
	with_btime 2 $IPCTUNE clean --all-orphans --yes -J >"$TMPD/c.json" \
	    2>/dev/null
	expect_eq "12.A4 clean --yes after the step leaves the daemon's segment" \
	    "0 1" "$(jq -r '.counts.removed' "$TMPD/c.json") $($IPCTUNE list -J |
	    jq '.shm | length')"
	with_btime 45 $IPCTUNE orphans --all -J >"$TMPD/o.json" 2>/dev/null
	expect_eq "12.A4 a 45 s step is ambiguous too" "unknown" \
	    "$(verdict 0x00009401 "$TMPD/o.json" | cut -d' ' -f1)"
	with_btime -30 $IPCTUNE orphans --all -J >"$TMPD/o.json" 2>/dev/null
	expect_eq "12.A4 a backward step keeps it in use" "in_use" \
	    "$(verdict 0x00009401 "$TMPD/o.json" | cut -d' ' -f1)"
	kill "$dp"
	wait "$dp" 2>/dev/null
	ipcrm -a
}

scenario_main "$@"
for s in foreign_users foreign_queue foreign_reader foreign_sem_lock foreign_attach unreadable hidepid_invisible \
    hidepid_noaccess clock_step; do
	run_ns "$0" "$s"
done
finish
