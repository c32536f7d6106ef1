#!/bin/sh
# 'ipctune orphans' against the real kernel: leaked semaphore arrays of a
# killed httpd-like process, a segment a live process has attached (never
# reported, attacher named), a creator PID reused on purpose, another IPC
# namespace through --pid, processes blocked in semop or msgrcv, and the
# logind RemoveIPC warning (--root tree).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/orphans_lib.sh"

httpd_report() {
	echo "250 32000 32 8" >/proc/sys/kernel/sem
	$H sem-fill 8 "$TMPD/ready" &
	hp=$!
	wait_file "$TMPD/ready"
	expect_eq "helper made 8 arrays" "8 $hp" "$(cat "$TMPD/ready")"
	expect_eq "semget fails while SEMMNI is full" ENOSPC "$($H semget)"
	expect_eq "no orphans while the user runs" 0 \
	    "$($IPCTUNE orphans --pid $$ --min-age 0 -J | jq '.orphans.sem')"
	kill -9 $hp
	wait $hp 2>/dev/null
	$IPCTUNE orphans --pid $$ --min-age 0 -J >"$TMPD/o.json"
	expect_eq "8 arrays reported" 8 "$(jq '.orphans.sem' "$TMPD/o.json")"
	expect_eq "all for last_op_pid_dead" 8 "$(jq '[.objects[] |
	    select(.reasons | index("last_op_pid_dead"))] | length' \
	    "$TMPD/o.json")"
	expect_eq "evidence names the killed process" "last_op $hp dead" \
	    "$(jq -r '.objects[0].pids[0] | "\(.role) \(.pid) \(.state)"' \
	    "$TMPD/o.json")"
	expect_eq "summary per owner" "root sem 8 8" "$(jq -r '.summary[0] |
	    "\(.user) \(.type) \(.objects) \(.limit)"' "$TMPD/o.json")"
	expect_eq "headroom of semmni" "8 8 0" "$(jq -r '.headroom[] |
	    select(.resource == "semmni") | "\(.freed) \(.used) \(.used_after)"' \
	    "$TMPD/o.json")"
	$IPCTUNE orphans --pid $$ --min-age 0 >"$TMPD/o.txt"
	check "table summary line" grep -q \
	    "^root: 8 semaphore arrays look leaked, 100.0% of SEMMNI" \
	    "$TMPD/o.txt"
	check "table headroom line" grep -q "semmni  8 arrays: used 8 -> 0" \
	    "$TMPD/o.txt"
	$IPCTUNE orphans --pid $$ --min-age 0 --exit-status >/dev/null
	expect_eq "--exit-status gives 4 with orphans" 4 $?
	# just created: younger than the default --min-age of 1 hour
	expect_eq "default --min-age keeps young arrays" 0 \
	    "$($IPCTUNE orphans --pid $$ -J | jq '.orphans.sem')"
	$IPCTUNE orphans --pid $$ --exit-status >/dev/null
	expect_eq "--exit-status gives 0 without orphans" 0 $?
	expect_eq "13.1 --all shows them as suspect, too_young" 8 \
	    "$($IPCTUNE orphans --pid $$ --all -J | jq '[.objects[] |
	    select(.verdict == "suspect" and (.reasons | index("too_young")))]
	    | length')"
	expect_eq "--type shm filters them out" 0 \
	    "$($IPCTUNE orphans --pid $$ --type shm --min-age 0 -J | jq '.objects |
	    length')"
}

live_attacher() {
	set -- $($H shm-write 0x5151 8192 3 0644)
	id=$1
	set -- $($H shm-write 0x5252 4096 4 0600)
	lone=$1
	$H shm-hold "$id" "$TMPD/held" &
	hp=$!
	wait_file "$TMPD/held"
	$IPCTUNE orphans --pid $$ -J >"$TMPD/o.json"
	expect_eq "only the unattached segment is reported" "$lone" \
	    "$(jq -c '[.objects[].id]' "$TMPD/o.json" | tr -d '[]')"
	$IPCTUNE orphans --pid $$ --all -J >"$TMPD/a.json"
	expect_eq "attached segment is in use" "in_use attached" \
	    "$(jq -r --argjson id "$id" '.objects[] | select(.id == $id) |
	    "\(.verdict) \(.reasons | map(select(. == "attached")) | .[0])"' \
	    "$TMPD/a.json")"
	expect_eq "its attacher is named" "$hp ipchelper_orpha" \
	    "$(jq -r --argjson id "$id" '.objects[] | select(.id == $id) |
	    .attachers[0] | "\(.pid) \(.command)"' "$TMPD/a.json")"
	check "table names the attacher" sh -c "$IPCTUNE orphans --pid $$ --all |
	    grep -q '$hp ipchelper_orpha'"
	expect_eq "shm_rmid_forced note with orphaned segments" \
	    shm_rmid_forced_off "$(jq -r '.notes[0].code' "$TMPD/o.json")"
	$IPCTUNE clean --pid $$ --all-orphans --yes >/dev/null
	expect_eq "clean leaves the attached segment" "$id" \
	    "$($IPCTUNE list -J shm | jq -c '[.shm[].id]' | tr -d '[]')"
	kill $hp
	wait $hp 2>/dev/null
}

pid_reuse() {
	set -- $($H shm-write 0x7777 4096 1 0600)
	id=$1
	p=$2
	# the new process must start in a later second than the detach
	sleep 2
	echo $((p - 1)) >/proc/sys/kernel/ns_last_pid
	sleep 300 &
	rp=$!
	expect_eq "the creator's PID was reused" "$p" "$rp"
	# 2 s after the event is what a step of the wall clock also gives
	$IPCTUNE orphans --pid $$ --all -J >"$TMPD/o.json"
	expect_eq "12.A4 a start 2 s after the event is ambiguous, not reused" \
	    "unknown true ambiguous" "$(jq -r --argjson id "$id" '.objects[] |
	    select(.id == $id) | "\(.verdict) \(.reasons |
	    index("start_ambiguous") != null) \(.pids[0].state)"' \
	    "$TMPD/o.json" | tr -s ' \t\n' ' ' | sed 's/ $//')"
	# a start clearly after the event: btime moved on by two minutes
	awk '$1 == "btime" { $2 = $2 + 120 } { print }' /proc/stat \
	    >"$TMPD/stat"
	unshare --mount sh -c "mount --bind '$TMPD/stat' /proc/stat &&
	    $IPCTUNE orphans --pid $$ -J" >"$TMPD/o.json"
	expect_eq "still orphaned, with pid_reused" "orphaned true" \
	    "$(jq -r --argjson id "$id" '.objects[] | select(.id == $id) |
	    "\(.verdict) \(.reasons | index("pid_reused") != null)"' \
	    "$TMPD/o.json")"
	expect_eq "evidence: creator PID reused by sleep" \
	    "creator $p reused sleep" "$(jq -r --argjson id "$id" '.objects[]
	    | select(.id == $id) | .pids[0] |
	    "\(.role) \(.pid) \(.state) \(.command)"' "$TMPD/o.json")"
	kill $rp
	wait $rp 2>/dev/null
}

other_ns() {
	$H shm-write 0x1111 4096 1 0600 >/dev/null
	unshare --ipc sh -c "$H shm-write 0x2222 4096 2 0600 >/dev/null &&
	    $H msg-send 0x2223 1 0600 >/dev/null &&
	    echo ok >$TMPD/inner && exec sleep 300" &
	ip=$!
	wait_file "$TMPD/inner"
	$IPCTUNE orphans --pid $$ --pid "$ip" --min-age 0 -J >"$TMPD/in.json"
	expect_eq "--pid reports the other namespace's orphans" \
	    "0x00002222 0x00002223" "$(jq -r '[.objects[].key_hex] | join(" ")' \
	    "$TMPD/in.json")"
	expect_eq "--pid is named in the envelope" "$ip" \
	    "$(jq '.ipc_namespace.pid' "$TMPD/in.json")"
	expect_eq "own namespace: only its own orphan" "0x00001111" \
	    "$($IPCTUNE orphans --pid $$ -J | jq -r '[.objects[].key_hex] | join(" ")')"
	$IPCTUNE clean --pid $$ --pid "$ip" --all-orphans --min-age 0 \
	    --include-nonempty --yes -J >"$TMPD/c.json" 2>/dev/null
	expect_eq "clean --pid removes the container's two" 2 \
	    "$(jq '.counts.removed' "$TMPD/c.json")"
	expect_eq "nothing left there" 0 "$($IPCTUNE orphans --pid $$ --pid "$ip" \
	    --all -J | jq '.objects | length')"
	expect_eq "own namespace untouched" "0x00001111" \
	    "$($IPCTUNE orphans --pid $$ -J | jq -r '[.objects[].key_hex] | join(" ")')"
	kill $ip
	wait $ip 2>/dev/null
}

# wait_blocked PID: wait up to 10 s until PID sleeps (in its system call)
wait_blocked() {
	_i=0
	while [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != S ] &&
	    [ $_i -lt 200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
}

# A process blocked in semop or msgrcv leaves no PID on the object; it
# must still count as using it, or clean takes it away (EIDRM).
waiters() {
	set -- $($H sem-create 0x8001 0600)
	sid=$1
	set -- $($H msg-send 0x8002 0 0600)
	qid=$1
	$H sem-wait "$sid" "$TMPD/sw" &
	sw=$!
	$H msg-wait "$qid" "$TMPD/mw" &
	mw=$!
	wait_file "$TMPD/sw"
	wait_file "$TMPD/mw"
	wait_blocked "$sw"
	wait_blocked "$mw"
	$IPCTUNE orphans --pid $$ --min-age 0 --all -J >"$TMPD/o.json"
	expect_eq "array with a blocked semop: in use, waiter named" \
	    "in_use true waiter $sw" "$(jq -r '.objects[] |
	    select(.key_hex == "0x00008001") | [.verdict, (.reasons |
	    index("waiting") != null), .pids[-1].role, .pids[-1].pid] |
	    map(tostring) | join(" ")' "$TMPD/o.json")"
	expect_eq "queue with a blocked msgrcv: in use, waiter named" \
	    "in_use waiter $mw" "$(jq -r '.objects[] |
	    select(.key_hex == "0x00008002") |
	    "\(.verdict) \(.pids[-1].role) \(.pids[-1].pid)"' "$TMPD/o.json")"
	$IPCTUNE clean --pid $$ --all-orphans --min-age 0 --yes >/dev/null 2>&1
	expect_eq "clean leaves both" "1 1" "$($IPCTUNE list -J |
	    jq -r '"\(.sem | length) \(.msg | length)"')"
	kill "$sw" "$mw"
	wait "$sw" "$mw" 2>/dev/null
	# ipctune runs in a child PID namespace: --pid states that the
	# queue's users are in this one
	expect_eq "once the waiters are gone both are orphans" "1 1" \
	    "$($IPCTUNE orphans --pid $$ --min-age 0 -J | jq -r '"\(.orphans.sem) \(.orphans.msg)"')"
}

# A --root tree with one segment of uid 1000 and systemd "running".
make_tree() {
	R=$1
	mkdir -p "$R/proc/sys/kernel" "$R/proc/sys/fs/mqueue" \
	    "$R/proc/sysvipc" "$R/run/systemd/system" "$R/etc/systemd"
	for f in shmmax shmall shmmni shm_rmid_forced sem msgmax msgmnb \
	    msgmni; do
		cat "/proc/sys/kernel/$f" >"$R/proc/sys/kernel/$f"
	done
	for f in /proc/sys/fs/mqueue/*; do
		cat "$f" >"$R/proc/sys/fs/mqueue/${f##*/}"
	done
	head -1 /proc/sysvipc/shm >"$R/proc/sysvipc/shm"
	echo "      4660          0   600                  4096   999   999      0  1000  1000  1000  1000          0          0 1700000000                     0                     0" \
	    >>"$R/proc/sysvipc/shm"
	head -1 /proc/sysvipc/sem >"$R/proc/sysvipc/sem"
	head -1 /proc/sysvipc/msg >"$R/proc/sysvipc/msg"
	echo "btime 1600000000" >"$R/proc/stat"
}

# The text of the logind_removeipc note for the tree R, or nothing.
removeipc_note() {
	$IPCTUNE orphans --root "$R" -J 2>/dev/null | jq -r '.notes[] |
	    select(.code == "logind_removeipc") | .text'
}

logind() {
	R=$TMPD/root
	make_tree "$R"
	expect_eq "--root segment of a dead creator is reported" 1 \
	    "$($IPCTUNE orphans --root "$R" -J 2>/dev/null | jq '.orphans.shm')"
	removeipc_note >"$TMPD/note"
	check "default RemoveIPC=yes warns about uid 1000" grep -qF \
	    "RemoveIPC=yes (default): 1 IPC object belongs to users above uid 999 (the first is uid 1000)" \
	    "$TMPD/note"
	$IPCTUNE orphans --root "$R" >/dev/null 2>"$TMPD/err"
	check "table mode warns on stderr" grep -q \
	    "warning: systemd-logind has RemoveIPC=yes" "$TMPD/err"
	# 13.3 status and check say it too, with the fix
	v=$($IPCTUNE status --root "$R" -J 2>/dev/null | jq -r '.findings[] |
	    select(.code == "logind_removeipc") | .level')
	expect_eq "13.3 status has a logind_removeipc warning finding" warning "$v"
	$IPCTUNE status --root "$R" >"$TMPD/st" 2>&1
	check "13.3 status names the fix" grep -qF \
	    "set RemoveIPC=no in /etc/systemd/logind.conf.d/*.conf" "$TMPD/st"
	$IPCTUNE check --root "$R" --no-orphans >"$TMPD/ck" 2>&1
	expect_eq "13.3 check warns about RemoveIPC=yes, even with --no-orphans: exit 1" 1 $?
	check "13.3 check names RemoveIPC and the fix" grep -q \
	    "^IPC WARNING.*RemoveIPC=yes.*RemoveIPC=no" "$TMPD/ck"
	printf '[Login]\nRemoveIPC=no\n' >"$R/etc/systemd/logind.conf"
	expect_eq "RemoveIPC=no: no warning" "" "$(removeipc_note)"
	expect_eq "13.3 RemoveIPC=no: no status finding" "" \
	    "$($IPCTUNE status --root "$R" -J 2>/dev/null | jq -r '.findings[] |
	    select(.code == "logind_removeipc") | .level')"
	$IPCTUNE check --root "$R" --no-orphans >/dev/null 2>&1
	expect_eq "13.3 RemoveIPC=no: check OK" 0 $?
	mkdir -p "$R/usr/lib/systemd/logind.conf.d"
	printf '[Login]\nRemoveIPC=yes\n' \
	    >"$R/usr/lib/systemd/logind.conf.d/50-x.conf"
	removeipc_note >"$TMPD/note"
	check "a drop-in turns it back on and is named" grep -qF \
	    "RemoveIPC=yes (/usr/lib/systemd/logind.conf.d/50-x.conf)" \
	    "$TMPD/note"
	# the same name in /etc masks the one in /usr/lib
	mkdir -p "$R/etc/systemd/logind.conf.d"
	printf '[Login]\n# off again\n' \
	    >"$R/etc/systemd/logind.conf.d/50-x.conf"
	expect_eq "/etc drop-in masks /usr/lib of the same name" "" \
	    "$(removeipc_note)"
	rm "$R/etc/systemd/logind.conf.d/50-x.conf"
	echo "SYS_UID_MAX 1000" >"$R/etc/login.defs"
	expect_eq "uid 1000 is a system user per login.defs" "" \
	    "$(removeipc_note)"
	rm "$R/etc/login.defs"
	rmdir "$R/run/systemd/system"
	expect_eq "no systemd: no warning" "" "$(removeipc_note)"
}

# 13.3 live objects of a non-system user under RemoveIPC=yes: logind's
# files and /run/systemd/system on tmpfs in the private mount namespace
removeipc_live() {
	mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /etc/systemd ||
	    { fail "13.3 cannot mount tmpfs over /run and /etc/systemd"; return; }
	mkdir -p /run/systemd/system
	printf '[Login]\n' >/etc/systemd/logind.conf
	echo "SYS_UID_MAX 999" >"$TMPD/login.defs"
	mount --bind "$TMPD/login.defs" /etc/login.defs ||
	    { fail "13.3 cannot bind login.defs"; return; }
	setpriv --reuid 60000 --regid 60000 --clear-groups ipcmk -S 1 \
	    >/dev/null
	expect_eq "13.3 array owned by uid 60000" 60000 \
	    "$(awk 'NR > 1 { print $5 }' /proc/sysvipc/sem)"
	$IPCTUNE status -J 2>/dev/null | jq -r '.findings[] |
	    select(.code == "logind_removeipc") | .message' >"$TMPD/f"
	check "13.3 live status: logind_removeipc names uid 60000" grep -qF \
	    "1 IPC object belongs to users above uid 999 (the first is uid 60000)" \
	    "$TMPD/f"
	$IPCTUNE check --no-orphans >"$TMPD/ck" 2>&1
	expect_eq "13.3 live check: WARNING" 1 $?
	check "13.3 live check: the reason" grep -q \
	    "RemoveIPC=yes removes 1 IPC object of users above uid 999" \
	    "$TMPD/ck"
	printf '[Login]\nRemoveIPC=no\n' >/etc/systemd/logind.conf
	expect_eq "13.3 live RemoveIPC=no: no finding" "" \
	    "$($IPCTUNE status -J 2>/dev/null | jq -r '.findings[] |
	    select(.code == "logind_removeipc") | .level')"
	$IPCTUNE check --no-orphans >/dev/null 2>&1
	expect_eq "13.3 live RemoveIPC=no: check OK" 0 $?
}

# issue 18: with 256 arrays or more the semctl facts of every array are
# read ahead on every CPU; --owner judges the same arrays one by one.
# Both must give the same verdicts and evidence.
sems_read_ahead() {
	echo "250 64000 32 1024" >/proc/sys/kernel/sem
	"$HELPER" -q sem nsems=3 count=120 semop=1 >/dev/null
	hold -q sem nsems=2 count=100 semop=2 || return
	hold -q sem nsems=4 count=100 || return
	expect_eq "320 arrays" 320 "$(awk 'NR > 1' /proc/sysvipc/sem | wc -l)"
	$IPCTUNE orphans --pid $$ --min-age 0 --all -J >"$TMPD/ahead.json"
	$IPCTUNE orphans --pid $$ --min-age 0 --all --owner 0 -J \
	    >"$TMPD/one.json"
	# the 120 whose process exited and the 100 never operated on
	expect_eq "read ahead: 220 orphaned" 220 \
	    "$(jq '.orphans.sem' "$TMPD/ahead.json")"
	expect_eq "read ahead: 100 arrays name the live last-op PID" 100 \
	    "$(jq --arg p "${HELD_PIDS%% *}" '[.objects[] | select(.pids |
	    any(.role == "last_op" and .state == "alive"))] | length' \
	    "$TMPD/ahead.json" 2>/dev/null)"
	# (ages are left out: the two runs may fall in different seconds)
	expect_eq "read ahead and one by one agree" \
	    "$(jq -S '(.objects | map(del(.age_seconds))), .orphans' \
	    "$TMPD/one.json" | sha256sum)" \
	    "$(jq -S '(.objects | map(del(.age_seconds))), .orphans' \
	    "$TMPD/ahead.json" | sha256sum)"
	# with the default --min-age every array is young: those in use
	# already (a live last-op PID, never operated) are not asked their
	# waiters unless --all shows them; what is shown and counted is the
	# same
	$IPCTUNE orphans --pid $$ -J >"$TMPD/settled.json"
	$IPCTUNE orphans --pid $$ --all -J >"$TMPD/every.json"
	expect_eq "settled: 120 suspect, 200 in use" "120 200" \
	    "$(jq -r '"\(.suspect.sem) \([.objects[] |
	    select(.verdict == "in_use")] | length)"' "$TMPD/every.json")"
	expect_eq "settled: the objects --all shows, but those in use" \
	    "$(jq -S '[.objects[] | select(.verdict != "in_use") |
	    del(.age_seconds)], .orphans, .suspect, .unknown' \
	    "$TMPD/every.json" | sha256sum)" \
	    "$(jq -S '[.objects[] | del(.age_seconds)], .orphans, .suspect,
	    .unknown' "$TMPD/settled.json" | sha256sum)"
	# only the 120 arrays whose process exited are asked their waiters
	# (3 semaphores each): not those of a running process, not the
	# young ones never operated
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -qq \
	    -e trace=semctl -o "$TMPD/st" $IPCTUNE orphans --pid $$ -J \
	    >/dev/null
	expect_eq "settled: GETNCNT asked of 360 semaphores only" 360 \
	    "$(grep -c GETNCNT "$TMPD/st")"
	$IPCTUNE status --pid $$ --format prometheus >"$TMPD/s.prom"
	expect_eq "settled: Prometheus counts 120 suspect, 0 orphaned" \
	    "120 0" "$(awk '/^ipctune_suspect_objects\{resource="semmni",/ {
	    s = $2 } /^ipctune_orphaned_objects\{resource="semmni",/ {
	    o = $2 } END { print s, o }' "$TMPD/s.prom")"
}

scenario_main "$@"
for s in httpd_report live_attacher pid_reuse other_ns waiters logind \
    removeipc_live sems_read_ahead; do
	run_ns "$0" "$s"
done
finish
