#!/bin/sh
# 'ipctune clean' against the real kernel: refusal without a filter, dry
# run, the httpd pattern (ENOSPC gone after --yes), --backup-dir contents
# and manifest, queues holding messages, an object that changes between
# judgement and removal (test hook), and a non-root user; issue 12: an
# object used after its permissions were taken away or during a long
# backup (12.A3), arrays that may be SEM_UNDO locks (12.A5), and a failed
# backup that must not change the evidence (12.A6).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/orphans_lib.sh"

refuse_and_dry_run() {
	$H sem-create 0x3131 0600 >/dev/null
	$IPCTUNE clean --pid $$ --min-age 0 >/dev/null 2>"$TMPD/err"
	expect_eq "no filter: usage error" 2 $?
	check "it says why" grep -q "refusing to clean without a filter" \
	    "$TMPD/err"
	$IPCTUNE clean --pid $$ --id 0 --min-age 0 >/dev/null 2>&1
	expect_eq "--id without --type: usage error" 2 $?
	$IPCTUNE clean --pid $$ --all-orphans --min-age 0 >"$TMPD/out"
	expect_eq "dry run exits 0" 0 $?
	check "dry run says what it would remove" grep -q \
	    "^would_remove sem .*0x00003131 .*last_op_pid_dead" "$TMPD/out"
	check "and how to act" grep -q "run again with --yes" "$TMPD/out"
	expect_eq "dry run removed nothing" 1 \
	    "$($IPCTUNE list -J sem | jq '.sem | length')"
	expect_eq "dry run JSON" "true would_remove" "$($IPCTUNE clean --pid $$ \
	    --key 0x3131 --min-age 0 -J | jq -r \
	    '"\(.dry_run) \(.results[0].action)"')"
}

httpd() {
	echo "250 32000 32 8" >/proc/sys/kernel/sem
	$H sem-fill 8 "$TMPD/ready" &
	hp=$!
	wait_file "$TMPD/ready"
	kill -9 $hp
	wait $hp 2>/dev/null
	expect_eq "semget fails with ENOSPC" ENOSPC "$($H semget)"
	$IPCTUNE clean --pid $$ --all-orphans --min-age 0 --yes -J >"$TMPD/c.json"
	expect_eq "clean exits 0" 0 $?
	expect_eq "8 arrays removed" "8 0 0" "$(jq -r '.counts |
	    "\(.removed) \(.skipped) \(.failed)"' "$TMPD/c.json")"
	check "semget works again" $H semget
	expect_eq "only the new array is left" 1 \
	    "$($IPCTUNE list -J sem | jq '.sem | length')"
}

backup() {
	set -- $($H shm-write 0x4141 10000 5 0640)
	a=$1
	set -- $($H shm-write 0x4242 5000 9 0600)
	b=$1
	B=$TMPD/bk
	$IPCTUNE clean --pid $$ --type shm --yes --backup-dir "$B" -J >"$TMPD/c.json"
	expect_eq "both removed" 2 "$(jq '.counts.removed' "$TMPD/c.json")"
	expect_eq "segments are gone" 0 \
	    "$($IPCTUNE list -J shm | jq '.shm | length')"
	for spec in "$a 10000 5" "$b 5000 9"; do
		set -- $spec
		f=$(jq -r --argjson id "$1" '.segments[] | select(.id == $id) |
		    .file' "$B/manifest.json")
		$H pattern "$2" "$3" >"$TMPD/expect"
		check "backup of $1 equals what was written" cmp "$TMPD/expect" \
		    "$B/$f"
		expect_eq "backup of $1 is mode 0600" 600 "$(stat -c %a "$B/$f")"
	done
	expect_eq "manifest entry" "16705 0x00004141 root 0640 10000" \
	    "$(jq -r --argjson id "$a" '.segments[] | select(.id == $id) |
	    "\(.key) \(.key_hex) \(.user) \(.perms) \(.size_bytes)"' \
	    "$B/manifest.json")"
	expect_eq "no temporary files left" "" "$(ls -A "$B" | grep '^\.')"
	# a second run appends to the manifest
	$H shm-write 0x4343 100 1 0600 >/dev/null
	$IPCTUNE clean --pid $$ --key 0x4343 --yes --backup-dir "$B" >/dev/null
	expect_eq "manifest keeps earlier entries" 3 \
	    "$(jq '.segments | length' "$B/manifest.json")"
	check "the manifest fits clean_backup-1.json" \
	    validate "$TOP/contrib/schema/clean_backup-1.json" \
	    "$B/manifest.json"
	$H shm-write 0x4444 100 1 0600 >/dev/null
	ln -s "$B" "$TMPD/link"
	$IPCTUNE clean --pid $$ --key 0x4444 --yes --backup-dir "$TMPD/link" \
	    >/dev/null 2>"$TMPD/err"
	expect_eq "symlinked backup dir refused" 1 $?
	expect_eq "and nothing removed" 1 \
	    "$($IPCTUNE list -J shm | jq '.shm | length')"
	mkdir "$TMPD/bk2"
	echo junk >"$TMPD/bk2/manifest.json"
	$IPCTUNE clean --pid $$ --key 0x4444 --yes --backup-dir "$TMPD/bk2" -J \
	    >"$TMPD/e.json" 2>/dev/null
	expect_eq "a foreign manifest.json is not overwritten" "1 junk" \
	    "$? $(cat "$TMPD/bk2/manifest.json")"
	expect_eq "JSON mode prints an error document" "error 1" \
	    "$(jq -r '"\(.document) \(.error.exit_status)"' "$TMPD/e.json")"
	expect_eq "and the segment stays" 1 \
	    "$($IPCTUNE list -J shm | jq '.shm | length')"
}

nonempty_queue() {
	$H msg-send 0x5555 3 0600 >/dev/null
	$H msg-send 0x5556 0 0600 >/dev/null
	# ipctune runs in a child PID namespace: --pid states that the
	# queues' users are in this one
	$IPCTUNE clean --pid $$ --type msg --min-age 0 --yes -J >"$TMPD/c.json"
	expect_eq "queue with messages skipped" "skipped holds_messages" \
	    "$(jq -r '.results[] | select(.key_hex == "0x00005555") |
	    "\(.action) \(.reason)"' "$TMPD/c.json")"
	expect_eq "empty queue removed" removed "$(jq -r '.results[] |
	    select(.key_hex == "0x00005556") | .action' "$TMPD/c.json")"
	expect_eq "the full queue is still there" 1 \
	    "$($IPCTUNE list -J msg | jq '.msg | length')"
	$IPCTUNE clean --pid $$ --type msg --min-age 0 --yes --include-nonempty \
	    >"$TMPD/out" 2>"$TMPD/err"
	check "data loss is warned about" grep -q \
	    "removing message queue .* loses 3 messages" "$TMPD/err"
	expect_eq "--include-nonempty removes it" 0 \
	    "$($IPCTUNE list -J msg | jq '.msg | length')"
}

# start_waiter ID: a process blocks in semop on array ID (its PID in wp),
# once the kernel shows it asleep
start_waiter() {
	$H sem-wait "$1" "$TMPD/waiting" &
	wp=$!
	wait_file "$TMPD/waiting"
	_i=0
	while [ "$(awk '{print $3}' "/proc/$wp/stat")" != S ] &&
	    [ $_i -lt 1200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
}

changed_meanwhile() {
	set -- $($H sem-create 0x6001 0600)
	sid=$1
	set -- $($H shm-write 0x6002 4096 1 0600)
	mid=$1
	$H sem-create 0x6003 0600 >/dev/null
	set -- $($H sem-create 0x6004 0600)
	wid=$1
	mkfifo "$TMPD/hook"
	IPCTUNE_TEST_CLEAN_HOOK=$TMPD/hook $HOOKED $IPCTUNE clean --pid $$ \
	    --all-orphans --min-age 0 --yes -J >"$TMPD/c.json" &
	cp=$!
	read -r line <"$TMPD/hook"
	expect_eq "clean judged and waits" judged "$line"
	$H semop "$sid"
	$H shm-hold "$mid" "$TMPD/held" &
	hp=$!
	wait_file "$TMPD/held"
	# a process starts waiting in semop: no trace on the array itself
	start_waiter "$wid"
	echo go >"$TMPD/hook"
	wait $cp
	expect_eq "clean exits 0 (skips are not failures)" 0 $?
	r=$(jq -r '.results[] | select(.key_hex == "0x00006001") |
	    "\(.action) \(.reason)"' "$TMPD/c.json")
	case $r in
	"skipped new_operation" | "skipped semaphore_pids_changed")
		ok "array operated on meanwhile is skipped ($r)" ;;
	*) fail "array operated on meanwhile is skipped: got '$r'" ;;
	esac
	expect_eq "segment attached meanwhile is skipped" "skipped attached" \
	    "$(jq -r '.results[] | select(.key_hex == "0x00006002") |
	    "\(.action) \(.reason)"' "$TMPD/c.json")"
	expect_eq "array waited on meanwhile is skipped" \
	    "skipped not_orphaned" "$(jq -r '.results[] |
	    select(.key_hex == "0x00006004") | "\(.action) \(.reason)"' \
	    "$TMPD/c.json")"
	kill $wp
	wait $wp 2>/dev/null
	expect_eq "the unchanged one is removed" removed \
	    "$(jq -r '.results[] | select(.key_hex == "0x00006003") |
	    .action' "$TMPD/c.json")"
	expect_eq "skipped objects still exist" "2 1" \
	    "$($IPCTUNE list -J | jq -r '"\(.sem | length) \(.shm | length)"')"
	kill $hp
	wait $hp 2>/dev/null
}

non_root() {
	$H shm-write 0x7001 4096 1 0644 >/dev/null
	$H sem-create 0x7002 0644 >/dev/null
	$H msg-send 0x7003 0 0644 >/dev/null
	NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
	$NOBODY $H sem-create 0x7004 0600 >/dev/null
	# ipctune runs in a child PID namespace: --pid of a process nobody
	# may inspect states that the users are in this one
	$NOBODY sleep 60 &
	np=$!
	_i=0
	while [ "$(cat "/proc/$np/comm" 2>/dev/null)" != sleep ] &&
	    [ $_i -lt 1200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	$NOBODY $IPCTUNE clean --pid $np --all-orphans --min-age 0 --yes -J \
	    >"$TMPD/c.json" 2>"$TMPD/err"
	expect_eq "a failed removal exits 1" 1 $?
	for k in 0x00007001 0x00007002; do
		expect_eq "$k: failed with EPERM" "failed EPERM" \
		    "$(jq -r --arg k "$k" '.results[] | select(.key_hex == $k)
		    | "\(.action) \(.errno)"' "$TMPD/c.json")"
	done
	# root's processes may wait in msgrcv on the queue: nobody cannot
	# see their waits, so it is unknown, not an orphan to remove
	expect_eq "12.A2 as nobody an unused queue is not taken" "" \
	    "$(jq -r '.results[] | select(.key_hex == "0x00007003") |
	    .action' "$TMPD/c.json")"
	check "the error gives advice" sh -c "jq -r '.results[0].detail' \
	    '$TMPD/c.json' | grep -q \"only the owner ('root'), the creator \
or root may remove it (run as root or as 'root')\""
	expect_eq "its own object is removed" removed "$(jq -r '.results[] |
	    select(.key_hex == "0x00007004") | .action' "$TMPD/c.json")"
	expect_eq "root's objects remain" "1 1 1" "$($IPCTUNE list -J |
	    jq -r '"\(.shm | length) \(.sem | length) \(.msg | length)"')"
	$NOBODY $IPCTUNE clean --pid $np --all-orphans --min-age 0 --yes \
	    >"$TMPD/out" 2>&1
	check "table shows the per-object error" grep -q \
	    "^failed .*EPERM: cannot remove it: operation not permitted" \
	    "$TMPD/out"
	kill "$np"
	wait "$np" 2>/dev/null
}

NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

# hook_next: the next line clean writes to its hook FIFO, "" after 60 s
# (clean under valgrind on a loaded machine may take seconds to start)
hook_next() {
	timeout 60 sh -c 'read -r l <"$1" && echo "$l"' _ "$TMPD/hook"
}
hook_go() { echo go >"$TMPD/hook"; }
# stopped_at WHAT STOPS: a test that the shim stopped clean at every stop
# its race needs (STOPS: the lines of hook_next seen, one per line); a
# race test whose stop never comes would otherwise pass without the race
stopped_at() {
	expect_eq "14.R1 clean stopped at '$1' (the race was reached)" yes \
	    "$(printf '%s\n' "$2" | grep -qxF "$1" && echo yes || echo no)"
}
# $HOOKED $IPCTUNE clean ...: clean with the LD_PRELOAD shim of the fault
# suite (tests/fault/faultinject.c), which stops it at the stages
# IPCTUNE_TEST_CLEAN_HOOK and IPCTUNE_TEST_CLEAN_STAGE name; the program
# itself has no such hook
HOOKED="env LD_PRELOAD=$BUILD/tests/faultinject.so \
ASAN_OPTIONS=${ASAN_OPTIONS:-}:verify_asan_link_order=0"
# perms TYPE KEY: "PERMS UID GID" of the object of TYPE with KEY (0x%08x)
perms() {
	$IPCTUNE list -J "$1" | jq -r --arg k "$2" ".$1[] |
	    select(.key_hex == \$k) | \"\(.perms) \(.uid) \(.gid)\""
}
# wait_sleeping PID: until PID sleeps (blocked in a system call)
wait_sleeping() {
	_i=0
	while [ "$(awk '{print $3}' "/proc/$1/stat")" != S ] &&
	    [ $_i -lt 1200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
}
# action KEY: "ACTION REASON" of the object with KEY in $TMPD/c.json
action() {
	jq -r --arg k "$1" '.results[] | select(.key_hex == $k) |
	    "\(.action) \(.reason)"' "$TMPD/c.json"
}

# 12.A3: processes that start using an object after clean took its
# permissions away, right before IPC_RMID.  Root (CAP_IPC_OWNER) gets
# through; the re-check must see it; others are refused.
race_sealed() {
	set -- $($NOBODY $H sem-create 0x8001 0646)
	sw=$1
	set -- $($NOBODY $H msg-send 0x8002 0 0646)
	qw=$1
	set -- $($NOBODY $H shm-write 0x8003 4096 1 0666)
	ma=$1
	$H sem-create 0x8004 0600 >/dev/null
	b1=$(perms sem 0x00008001)
	b2=$(perms msg 0x00008002)
	b3=$(perms shm 0x00008003)
	mkfifo "$TMPD/hook"
	IPCTUNE_TEST_CLEAN_HOOK=$TMPD/hook IPCTUNE_TEST_CLEAN_STAGE=sealed \
	    $HOOKED $IPCTUNE clean --pid $$ --all-orphans --min-age 0 --yes -J \
	    >"$TMPD/c.json" &
	cp=$!
	helpers=
	# "judged", then "sealed TYPE ID" for each of the four objects
	n=0
	stops=
	while [ $n -lt 5 ] && line=$(hook_next) && [ -n "$line" ]; do
		n=$((n + 1))
		stops="$stops$line
"
		case "$line" in
		"sealed sem $sw")
			$H sem-wait "$sw" "$TMPD/w1" &
			helpers="$helpers $!"
			wait_file "$TMPD/w1"
			wait_sleeping $!
			;;
		"sealed msg $qw")
			chmod 711 "$TMPD"
			mkdir -m 1777 "$TMPD/pub"
			expect_eq "12.A3 a queue being removed refuses msgrcv by \
a process without CAP_IPC_OWNER" "msgrcv: Permission denied" \
			    "$(timeout 30 $NOBODY $H msg-wait "$qw" \
			    "$TMPD/pub/w0" 2>&1)"
			$H msg-wait "$qw" "$TMPD/w2" &
			helpers="$helpers $!"
			wait_file "$TMPD/w2"
			wait_sleeping $!
			;;
		"sealed shm $ma")
			expect_eq "12.A3 a segment being removed refuses shmat by \
a process without CAP_IPC_OWNER" EACCES "$($NOBODY $H shm-try "$ma")"
			$H shm-hold "$ma" "$TMPD/w3" &
			helpers="$helpers $!"
			wait_file "$TMPD/w3"
			;;
		esac
		hook_go
	done
	wait $cp
	expect_eq "12.A3 clean exits 0 when it skips objects used meanwhile" \
	    0 $?
	for l in "sem $sw" "msg $qw" "shm $ma"; do
		stopped_at "sealed $l" "$stops"
	done
	expect_eq "12.A3 clean skips an array a process blocks on in semop \
right before its removal" "skipped not_orphaned" "$(action 0x00008001)"
	expect_eq "12.A3 clean skips a queue a process blocks on in msgrcv \
right before its removal" "skipped not_orphaned" "$(action 0x00008002)"
	expect_eq "12.A3 clean skips a segment attached right before its \
removal" "skipped attached" "$(action 0x00008003)"
	expect_eq "12.A3 an object nobody touched is removed" "removed null" \
	    "$(action 0x00008004)"
	expect_eq "12.A3 the skipped objects still exist" "1 1 1" \
	    "$($IPCTUNE list -J | jq -r \
	    '"\(.sem | length) \(.msg | length) \(.shm | length)"')"
	expect_eq "12.A3 the array's mode, uid and gid are restored exactly" \
	    "$b1" "$(perms sem 0x00008001)"
	expect_eq "12.A3 the queue's mode, uid and gid are restored exactly" \
	    "$b2" "$(perms msg 0x00008002)"
	expect_eq "12.A3 the segment's mode, uid and gid are restored exactly" \
	    "$b3" "$(perms shm 0x00008003)"
	for p in $helpers; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
}

# 12.A3: a process blocked in semop that /proc does not show (ipctune
# runs in a child PID namespace): the kernel's semncnt still counts it.
hidden_waiter() {
	set -- $($H sem-create 0x8051 0600)
	sid=$1
	$H sem-wait "$sid" "$TMPD/w" &
	wp=$!
	wait_file "$TMPD/w"
	wait_sleeping $wp
	unshare --pid --fork --mount-proc $IPCTUNE orphans --all --min-age 0 \
	    -J >"$TMPD/o.json"
	expect_eq "12.A3 an array with a semop waiter that /proc does not \
show is judged waiting, not orphaned" "true false" "$(jq -r '.objects[] |
	    select(.key_hex == "0x00008051") |
	    "\(.reasons | index("waiting") != null) \(.verdict == "orphaned")"' \
	    "$TMPD/o.json")"
	unshare --pid --fork --mount-proc $IPCTUNE clean --all-orphans \
	    --min-age 0 --yes >/dev/null 2>&1
	expect_eq "12.A3 clean keeps an array whose waiter /proc does not \
show" 1 "$($IPCTUNE list -J sem | jq '.sem | length')"
	kill $wp
	wait $wp 2>/dev/null
}

# 12.A3: a segment attached while its backup is being written; arrays
# and queues are removed first, not after every backup.
race_backup() {
	set -- $($NOBODY $H shm-write 0x8101 200000 3 0664)
	b=$1
	$H sem-create 0x8102 0600 >/dev/null
	$H msg-send 0x8103 0 0600 >/dev/null
	before=$(perms shm 0x00008101)
	mkfifo "$TMPD/hook"
	IPCTUNE_TEST_CLEAN_HOOK=$TMPD/hook IPCTUNE_TEST_CLEAN_STAGE=saved \
	    $HOOKED $IPCTUNE clean --pid $$ --all-orphans --min-age 0 --yes \
	    --backup-dir "$TMPD/bk" -J >"$TMPD/c.json" &
	cp=$!
	hp=
	# "judged", then "saved shm ID" for the one segment saved
	n=0
	stops=
	while [ $n -lt 2 ] && line=$(hook_next) && [ -n "$line" ]; do
		n=$((n + 1))
		stops="$stops$line
"
		if [ "$line" = "saved shm $b" ]; then
			expect_eq "12.A3 arrays and queues do not wait behind a \
segment backup" "0 0" "$($IPCTUNE list -J | jq -r \
			    '"\(.sem | length) \(.msg | length)"')"
			expect_eq "12.A3 a segment being saved refuses shmat by a \
process without CAP_IPC_OWNER" EACCES "$($NOBODY $H shm-try "$b")"
			$H shm-hold "$b" "$TMPD/held" &
			hp=$!
			wait_file "$TMPD/held"
		fi
		hook_go
	done
	wait $cp
	stopped_at "saved shm $b" "$stops"
	expect_eq "12.A3 clean skips a segment attached during its backup" \
	    "skipped attached" "$(action 0x00008101)"
	expect_eq "12.A3 the segment attached during its backup still exists" \
	    1 "$($IPCTUNE list -J shm | jq '.shm | length')"
	expect_eq "12.A3 its mode, uid and gid are restored exactly after the \
skipped removal" "$before" "$(perms shm 0x00008101)"
	[ -n "$hp" ] && kill "$hp" && wait "$hp" 2>/dev/null
}

# 12.A5: a live process holds a mutex with SEM_UNDO (value 0); another
# did a wait-for-zero after it (stamping sempid) and exited.
sem_undo_lock() {
	set -- $($H sem-mutex 0x8201 0600)
	l=$1
	$H sem-lock "$l" "$TMPD/locked" &
	holder=$!
	wait_file "$TMPD/locked"
	zp=$($H sem-zero "$l")
	$IPCTUNE orphans --pid $$ --all --min-age 0 -J >"$TMPD/o.json"
	expect_eq "12.A5 an array that may be a held SEM_UNDO lock is \
unknown with may_be_locked, not orphaned" "unknown true" \
	    "$(jq -r '.objects[] | select(.key_hex == "0x00008201") |
	    "\(.verdict) \(.reasons | index("may_be_locked") != null)"' \
	    "$TMPD/o.json")"
	expect_eq "12.A5 its evidence names the exited last-op process" \
	    "last_op $zp dead" "$(jq -r '.objects[] |
	    select(.key_hex == "0x00008201") | .pids[0] |
	    "\(.role) \(.pid) \(.state)"' "$TMPD/o.json")"
	check "12.A5 the orphans table says may_be_locked" sh -c \
	    "$IPCTUNE orphans --pid $$ --all --min-age 0 | grep -q 'sem .*may_be_locked'"
	check "12.A5 the orphans summary counts it apart from unreadable \
evidence" sh -c "$IPCTUNE orphans --pid $$ --min-age 0 |
	    grep -q '^1 semaphore array may be a lock held with SEM_UNDO'"
	$IPCTUNE clean --pid $$ --all-orphans --min-age 0 --yes -J >"$TMPD/c.json"
	expect_eq "12.A5 clean --yes skips an array that may be a held \
SEM_UNDO lock" "skipped may_be_locked" "$(action 0x00008201)"
	check "12.A5 the skip names --include-locked" sh -c "jq -r \
	    '.results[0].detail' '$TMPD/c.json' | grep -q -- --include-locked"
	expect_eq "12.A5 the locked array still exists" 1 \
	    "$($IPCTUNE list -J sem | jq '.sem | length')"
	check "12.A5 the clean table says may_be_locked" sh -c \
	    "$IPCTUNE clean --pid $$ --all-orphans --min-age 0 |
	    grep -q '^skipped .*may_be_locked'"
	# the holder dies: the exit-time undo gives the value back
	kill -9 $holder
	wait $holder 2>/dev/null
	$IPCTUNE clean --pid $$ --all-orphans --min-age 0 --yes -J >"$TMPD/c.json"
	expect_eq "12.A5 once the holder died (undo: value 1) the leaked \
array is removed" "removed null" "$(action 0x00008201)"
	set -- $($H sem-mutex 0x8202 0600)
	l=$1
	$H sem-lock "$l" "$TMPD/locked2" &
	holder=$!
	wait_file "$TMPD/locked2"
	$H sem-zero "$l" >/dev/null
	$IPCTUNE clean --pid $$ --key 0x8202 --min-age 0 --yes --include-locked \
	    -J >"$TMPD/c.json"
	expect_eq "12.A5 --include-locked removes it when asked" \
	    "removed null" "$(action 0x00008202)"
	kill $holder
	wait $holder 2>/dev/null
}

# 12.A6: a backup fails (its file system is full); ipctune's own attach,
# detach and IPC_SET must not become the segment's evidence.
failed_backup() {
	IPCTUNE_STATE_DIR=$TMPD/state
	export IPCTUNE_STATE_DIR
	set -- $($H shm-write 0x8301 262144 7 0600)
	id=$1
	wp=$2
	set -- $($H shm-write 0x8302 262144 8 0600)
	id2=$1
	wp2=$2
	ev='.objects[] | select(.key_hex == $k) |
	    "\(.lpid) \(.atime_unix) \(.dtime_unix) \(.ctime_unix) \(.perms)"'
	before=$($IPCTUNE orphans --pid $$ -J | jq -r --arg k 0x00008301 "$ev")
	sleep 2
	mkdir "$TMPD/small"
	mount -t tmpfs -o size=64k tmpfs "$TMPD/small"
	$IPCTUNE clean --pid $$ --type shm --yes --backup-dir "$TMPD/small/bk" \
	    -J >"$TMPD/c.json"
	expect_eq "12.A6 a backup on a full file system fails" \
	    "failed ENOSPC" "$(jq -r '.results[] |
	    select(.key_hex == "0x00008301") | "\(.action) \(.errno)"' \
	    "$TMPD/c.json")"
	expect_eq "12.A6 and the segments stay" 2 \
	    "$($IPCTUNE list -J shm | jq '.shm | length')"
	$IPCTUNE orphans --pid $$ -J >"$TMPD/o.json"
	expect_eq "12.A6 after a failed backup orphans shows the evidence \
from before (lpid, atime, dtime, ctime, perms)" "$before" \
	    "$(jq -r --arg k 0x00008301 "$ev" "$TMPD/o.json")"
	expect_eq "12.A6 the last attach is the helper's, not ipctune's" \
	    "last_attach $wp dead" "$(jq -r '.objects[] |
	    select(.key_hex == "0x00008301") | .pids[] |
	    select(.role == "last_attach") | "\(.role) \(.pid) \(.state)"' \
	    "$TMPD/o.json")"
	check "12.A6 the set-aside access is named (own_access_unix) and \
the document validates" sh -c "jq -e '.objects[] |
	    select(.key_hex == \"0x00008301\") | .own_access_unix > 0' \
	    '$TMPD/o.json' && '$PYTHON' '$TOP/tests/sys/validate.py' \
	    '$SCHEMAS/orphans-1.json' '$TMPD/o.json'"
	check "12.A6 the table says ipctune's own access was set aside" sh -c \
	    "$IPCTUNE orphans --pid $$ | grep -q \"ipctune's own access .* set aside\""
	check "12.A6 the age is not reset by ipctune's access" test \
	    "$(jq -r '.objects[] | select(.key_hex == "0x00008301") |
	    .age_seconds' "$TMPD/o.json")" -ge 2
	$IPCTUNE clean --pid $$ --key 0x8302 --yes --backup-dir "$TMPD/bk2" \
	    >/dev/null
	expect_eq "12.A6 a later backup's manifest keeps the evidence from \
before the failed one" "$wp2" "$(jq -r --argjson id "$id2" \
	    '.segments[] | select(.id == $id) | .lpid' \
	    "$TMPD/bk2/manifest.json")"
	# a real attach after ipctune's own counts as use again
	$H shm-hold "$id" "$TMPD/held" &
	hp=$!
	wait_file "$TMPD/held"
	kill $hp
	wait $hp 2>/dev/null
	expect_eq "12.A6 a real attach after ipctune's own access counts" \
	    "$hp" "$($IPCTUNE orphans --pid $$ -J | jq -r --argjson id "$id" \
	    '.objects[] | select(.id == $id) | .lpid')"
	umount "$TMPD/small"
}

# 12.A6: another process attaches and detaches the segment while ipctune
# holds it for a backup that then fails; that access is not ipctune's
# own and must not be set aside as such.
touch_during_backup() {
	IPCTUNE_STATE_DIR=$TMPD/state
	export IPCTUNE_STATE_DIR
	set -- $($H shm-write 0x8601 262144 7 0600)
	id=$1
	before=$($IPCTUNE list -J shm | jq -r '.shm[0].atime_unix')
	sleep 2
	mkdir "$TMPD/small"
	mount -t tmpfs -o size=64k tmpfs "$TMPD/small"
	mkfifo "$TMPD/hook"
	IPCTUNE_TEST_CLEAN_HOOK=$TMPD/hook IPCTUNE_TEST_CLEAN_STAGE=attached \
	    $HOOKED $IPCTUNE clean --pid $$ --type shm --yes --backup-dir "$TMPD/small/bk" \
	    -J >"$TMPD/c.json" 2>/dev/null &
	cp=$!
	n=0
	stops=
	while [ $n -lt 2 ] && line=$(hook_next) && [ -n "$line" ]; do
		n=$((n + 1))
		stops="$stops$line
"
		[ "$line" = "attached shm $id" ] && $H shm-touch "$id"
		hook_go
	done
	wait $cp
	stopped_at "attached shm $id" "$stops"
	expect_eq "12.A6 the backup fails" "failed ENOSPC" "$(jq -r \
	    '.results[] | select(.key_hex == "0x00008601") |
	    "\(.action) \(.errno)"' "$TMPD/c.json")"
	$IPCTUNE orphans --pid $$ --all -J >"$TMPD/o.json"
	expect_eq "12.A6 an attach by another process during a failed backup \
is not set aside as ipctune's own" "null true" "$(jq -r --arg b "$before" \
	    '.objects[] | select(.key_hex == "0x00008601") |
	    "\(.own_access_unix) \(.atime_unix > ($b | tonumber))"' \
	    "$TMPD/o.json")"
	umount "$TMPD/small"
}

# 12.A3: clean run by a segment's owner (no CAP_IPC_OWNER) seals it, when
# it is not backed up, to mode 0: between the last re-check and IPC_RMID
# a process of the owner's uid is refused too.
owner_sealed() {
	set -- $($NOBODY $H shm-write 0x8502 4096 1 0600)
	m=$1
	chmod 711 "$TMPD"
	mkfifo -m 666 "$TMPD/hook"
	IPCTUNE_TEST_CLEAN_HOOK=$TMPD/hook IPCTUNE_TEST_CLEAN_STAGE=sealed \
	    $NOBODY $HOOKED $IPCTUNE clean --type shm --min-age 0 --yes -J \
	    >"$TMPD/c.json" 2>/dev/null &
	cp=$!
	n=0
	stops=
	while [ $n -lt 2 ] && line=$(hook_next) && [ -n "$line" ]; do
		n=$((n + 1))
		stops="$stops$line
"
		[ "$line" = "sealed shm $m" ] &&
			expect_eq "12.A3 a segment sealed by its owner refuses \
shmat by a process of the owner's uid" EACCES "$($NOBODY $H shm-try "$m")"
		hook_go
	done
	wait $cp
	stopped_at "sealed shm $m" "$stops"
	expect_eq "12.A3 the owner's clean removes it" "removed null" \
	    "$(action 0x00008502)"
}

# 12.A3: a backup beyond the file size limit (ulimit -f) raises SIGXFSZ,
# whose default action ends the program: the segment, sealed (mode 0)
# for the backup, must get its mode back and the failure be reported.
backup_fsize() {
	set -- $($H shm-write 0x8401 262144 7 0640)
	before=$(perms shm 0x00008401)
	(ulimit -f 8; exec $IPCTUNE clean --pid $$ --type shm --min-age 0 --yes \
	    --backup-dir "$TMPD/bk" -J >"$TMPD/c.json" 2>"$TMPD/err")
	rc=$?
	expect_eq "12.A3 a backup beyond ulimit -f fails with EFBIG, not a signal" \
	    "failed EFBIG" "$(jq -r '.results[] |
	    select(.key_hex == "0x00008401") | "\(.action) \(.errno)"' \
	    "$TMPD/c.json" 2>/dev/null)$([ $rc -gt 128 ] && echo " killed $rc")"
	expect_eq "12.A3 the segment's mode is restored after a backup beyond ulimit -f" \
	    "$before" "$(perms shm 0x00008401)"
}

# Enough arrays for the judge to read their facts ahead (256): clean's
# last re-judge must count the waiters again, not take the count read
# ahead at judgement, or an array waited on since is removed.
waiter_after_read_ahead() {
	$H sem-fill 300 "$TMPD/filled" &
	fp=$!
	wait_file "$TMPD/filled"
	set -- $($H sem-create 0x6104 0600)
	wid=$1
	rm -f "$TMPD/hook"
	mkfifo "$TMPD/hook"
	IPCTUNE_TEST_CLEAN_HOOK=$TMPD/hook $HOOKED $IPCTUNE clean --pid $$ \
	    --type sem --min-age 0 --yes -J >"$TMPD/c.json" &
	cp=$!
	read -r line <"$TMPD/hook"
	expect_eq "read ahead: clean judged and waits" judged "$line"
	start_waiter "$wid"
	echo go >"$TMPD/hook"
	wait $cp
	expect_eq "read ahead: an array waited on since judgement is skipped" \
	    "skipped not_orphaned" "$(jq -r '.results[] |
	    select(.key_hex == "0x00006104") | "\(.action) \(.reason)"' \
	    "$TMPD/c.json")"
	expect_eq "read ahead: the waiter still waits" S \
	    "$(awk '{print $3}' "/proc/$wp/stat")"
	kill $wp $fp
	wait $wp $fp 2>/dev/null
}

scenario_main "$@"
for s in refuse_and_dry_run httpd backup nonempty_queue changed_meanwhile \
    non_root race_sealed hidden_waiter race_backup sem_undo_lock \
    failed_backup touch_during_backup backup_fsize owner_sealed \
    waiter_after_read_ahead; do
	run_ns "$0" "$s"
done
finish
