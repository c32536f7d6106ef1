#!/bin/sh
# 'ipctune clean' against the real kernel: refusal without a filter, dry
# run, the httpd pattern (ENOSPC gone after --yes), --backup-dir contents
# and manifest, queues holding messages, an object that changes between
# judgement and removal (test hook), and a non-root user.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/orphans_lib.sh"

refuse_and_dry_run() {
	$H sem-create 0x3131 0600 >/dev/null
	$IPCTUNE clean --min-age 0 >/dev/null 2>"$TMPD/err"
	expect_eq "no filter: usage error" 2 $?
	check "it says why" grep -q "refusing to clean without a filter" \
	    "$TMPD/err"
	$IPCTUNE clean --id 0 --min-age 0 >/dev/null 2>&1
	expect_eq "--id without --type: usage error" 2 $?
	$IPCTUNE clean --all-orphans --min-age 0 >"$TMPD/out"
	expect_eq "dry run exits 0" 0 $?
	check "dry run says what it would remove" grep -q \
	    "^would_remove sem .*0x00003131 .*last_op_pid_dead" "$TMPD/out"
	check "and how to act" grep -q "run again with --yes" "$TMPD/out"
	expect_eq "dry run removed nothing" 1 \
	    "$($IPCTUNE list -J sem | jq '.sem | length')"
	expect_eq "dry run JSON" "true would_remove" "$($IPCTUNE clean \
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
	$IPCTUNE clean --all-orphans --min-age 0 --yes -J >"$TMPD/c.json"
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
	$IPCTUNE clean --type shm --yes --backup-dir "$B" -J >"$TMPD/c.json"
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
	$IPCTUNE clean --key 0x4343 --yes --backup-dir "$B" >/dev/null
	expect_eq "manifest keeps earlier entries" 3 \
	    "$(jq '.segments | length' "$B/manifest.json")"
	$H shm-write 0x4444 100 1 0600 >/dev/null
	ln -s "$B" "$TMPD/link"
	$IPCTUNE clean --key 0x4444 --yes --backup-dir "$TMPD/link" \
	    >/dev/null 2>"$TMPD/err"
	expect_eq "symlinked backup dir refused" 1 $?
	expect_eq "and nothing removed" 1 \
	    "$($IPCTUNE list -J shm | jq '.shm | length')"
	mkdir "$TMPD/bk2"
	echo junk >"$TMPD/bk2/manifest.json"
	$IPCTUNE clean --key 0x4444 --yes --backup-dir "$TMPD/bk2" -J \
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
	$IPCTUNE clean --type msg --min-age 0 --yes -J >"$TMPD/c.json"
	expect_eq "queue with messages skipped" "skipped holds_messages" \
	    "$(jq -r '.results[] | select(.key_hex == "0x00005555") |
	    "\(.action) \(.reason)"' "$TMPD/c.json")"
	expect_eq "empty queue removed" removed "$(jq -r '.results[] |
	    select(.key_hex == "0x00005556") | .action' "$TMPD/c.json")"
	expect_eq "the full queue is still there" 1 \
	    "$($IPCTUNE list -J msg | jq '.msg | length')"
	$IPCTUNE clean --type msg --min-age 0 --yes --include-nonempty \
	    >"$TMPD/out" 2>"$TMPD/err"
	check "data loss is warned about" grep -q \
	    "removing message queue .* loses 3 messages" "$TMPD/err"
	expect_eq "--include-nonempty removes it" 0 \
	    "$($IPCTUNE list -J msg | jq '.msg | length')"
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
	IPCTUNE_TEST_CLEAN_HOOK=$TMPD/hook $IPCTUNE clean --all-orphans \
	    --min-age 0 --yes -J >"$TMPD/c.json" &
	cp=$!
	read -r line <"$TMPD/hook"
	expect_eq "clean judged and waits" judged "$line"
	$H semop "$sid"
	$H shm-hold "$mid" "$TMPD/held" &
	hp=$!
	wait_file "$TMPD/held"
	# a process starts waiting in semop: no trace on the array itself
	$H sem-wait "$wid" "$TMPD/waiting" &
	wp=$!
	wait_file "$TMPD/waiting"
	_i=0
	while [ "$(awk '{print $3}' "/proc/$wp/stat")" != S ] &&
	    [ $_i -lt 200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
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
	$NOBODY $IPCTUNE clean --all-orphans --min-age 0 --yes -J \
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
	$NOBODY $IPCTUNE clean --all-orphans --min-age 0 --yes \
	    >"$TMPD/out" 2>&1
	check "table shows the per-object error" grep -q \
	    "^failed .*EPERM: cannot remove it: operation not permitted" \
	    "$TMPD/out"
}

scenario_main "$@"
for s in refuse_and_dry_run httpd backup nonempty_queue changed_meanwhile \
    non_root; do
	run_ns "$0" "$s"
done
finish
