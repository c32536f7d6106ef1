#!/bin/sh
# list: the two readers (*_STAT_ANY syscalls and /proc/sysvipc text)
# agree object for object on the real kernel, and the objects match what
# ipcs prints.  Keys with the high bit, dest and locked segments, semops
# and queued messages are included.
. "$(dirname "$0")/lib.sh"
enter_private_ns pid
save_defaults
PG=$(getconf PAGESIZE)

hold shm size=1 count=5 key=0x1000 mode=640 \
    shm size=$((PG * 3 + 7)) key=0x80000001 attach fill=0x41 \
    shm size=4096 attach lock \
    shm size=100 count=2 mode=444 \
    sem nsems=1 key=0xffffffff semop=2 \
    sem nsems=7 count=3 mode=660 \
    msg key=0x7fffffff send=5 bytes=33 \
    msg count=2 mode=622 || exit 1
# a destroyed segment that stays while attached (key becomes 0, "dest")
dest_id=$(awk '$1 == "shm" { n++ } n == 7 { print $2; exit }' "$TMPD/held.1")
ipcrm -m "$dest_id"
# objects owned by another user
setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$HELPER" -q shm size=10 sem nsems=2 msg >/dev/null
for t in shm sem msg; do
	"$IPCTUNE" list $t --format json --reader syscall >"$TMPD/sys.$t" &&
	"$IPCTUNE" list $t --format json --reader procfs >"$TMPD/proc.$t"
	check "list $t: both readers succeed" test -s "$TMPD/proc.$t"
	# fields only one reader has: rss/swap (procfs), qbytes (syscall)
	f='.'$t' | map(del(.rss_bytes, .swap_bytes, .qbytes)) | sort_by(.id)'
	jq -S "$f" "$TMPD/sys.$t" >"$TMPD/a"
	jq -S "$f" "$TMPD/proc.$t" >"$TMPD/b"
	if cmp -s "$TMPD/a" "$TMPD/b"; then
		ok "list $t: syscall and procfs readers agree object for object"
	else
		fail "list $t: readers differ"
		diff "$TMPD/a" "$TMPD/b" | head -10 | sed 's/^/    /'
	fi
	expect_eq "list $t: as many objects as /proc/sysvipc/$t" \
	    "$(($(wc -l </proc/sysvipc/$t) - 1))" \
	    "$(jq ".$t | length" "$TMPD/sys.$t")"
	expect_eq "list $t: ids as in /proc/sysvipc/$t" \
	    "$(awk 'NR > 1 { print $2 }' /proc/sysvipc/$t | sort -n | tr '\n' ' ')" \
	    "$(jq -r ".$t[].id" "$TMPD/sys.$t" | sort -n | tr '\n' ' ')"
done
expect_eq "the procfs reader has rss and swap" "number number" \
    "$(jq -r '.shm[0] | "\(.rss_bytes | type) \(.swap_bytes | type)"' "$TMPD/proc.shm")"
expect_eq "the syscall reader has qbytes" \
    "$(cat /proc/sys/kernel/msgmnb)" "$(jq -r '.msg[0].qbytes' "$TMPD/sys.msg")"
expect_eq "auto and syscall readers give the same objects" \
    "$(jq -c '.shm' "$TMPD/sys.shm")" \
    "$("$IPCTUNE" list shm --format json | jq -c '.shm')"

# the objects against ipcs (key, owner, perms, size/nsems/bytes, nattch)
ipcs -m | awk '$1 ~ /^0x/ { print $2, $1, $4, $5, $6 }' | sort -n >"$TMPD/a"
jq -r '.shm[] | "\(.id) \(.key_hex) \(.perms | ltrimstr("0")) \(.size_bytes) \(.nattch)"' \
    "$TMPD/sys.shm" | sort -n >"$TMPD/b"
check "list shm = ipcs -m (id, key, perms, bytes, nattch)" cmp "$TMPD/a" "$TMPD/b"
ipcs -s | awk '$1 ~ /^0x/ { print $2, $1, $4, $5 }' | sort -n >"$TMPD/a"
jq -r '.sem[] | "\(.id) \(.key_hex) \(.perms | ltrimstr("0")) \(.nsems)"' \
    "$TMPD/sys.sem" | sort -n >"$TMPD/b"
check "list sem = ipcs -s (id, key, perms, nsems)" cmp "$TMPD/a" "$TMPD/b"
ipcs -q | awk '$1 ~ /^0x/ { print $2, $1, $4, $5, $6 }' | sort -n >"$TMPD/a"
jq -r '.msg[] | "\(.id) \(.key_hex) \(.perms | ltrimstr("0")) \(.used_bytes) \(.messages)"' \
    "$TMPD/sys.msg" | sort -n >"$TMPD/b"
check "list msg = ipcs -q (id, key, perms, bytes, messages)" cmp "$TMPD/a" "$TMPD/b"

# single objects, checked field by field
sel() { jq -r "$1" "$TMPD/sys.$2"; }
expect_eq "high-bit key 0x80000001 as an unsigned key" "2147483649 0x80000001" \
    "$(sel '.shm[] | select(.key_hex == "0x80000001") | "\(.key) \(.key_hex)"' shm)"
expect_eq "key 0xffffffff" 4294967295 \
    "$(sel '.sem[] | select(.key_hex == "0xffffffff") | .key' sem)"
expect_eq "the attached segment: pages rounded up, nattch 1" "4 1" \
    "$(sel '.shm[] | select(.key_hex == "0x80000001") | "\(.pages) \(.nattch)"' shm)"
expect_eq "creator PID is the helper (PID namespace)" "$HELD_PID" \
    "$(sel '.shm[] | select(.key_hex == "0x80000001") | .cpid' shm)"
expect_eq "the destroyed attached segment is dest with key 0" "0 true" \
    "$(sel ".shm[] | select(.id == $dest_id) | \"\(.key) \(.dest)\"" shm)"
expect_eq "the SHM_LOCKed segment is locked" "true" \
    "$(sel '.shm[] | select(.size_bytes == 4096) | .locked' shm)"
expect_eq "dest and locked are flags in the mode too" "1 1" \
    "$(sel '.shm[] | select(.size_bytes == 4096) | "\(.mode / 1024 % 2 | floor) \(.mode / 512 % 2 | floor)"' shm)"
expect_eq "semop sets otime; the others have none" "1 4" \
    "$(sel '[.sem[] | select(.otime_unix != null)] | length' sem) $(sel '[.sem[] | select(.otime_unix == null)] | length' sem)"
expect_eq "the queue with 5 messages of 33 bytes" "165 5 $HELD_PID" \
    "$(sel '.msg[] | select(.key_hex == "0x7fffffff") | "\(.used_bytes) \(.messages) \(.lspid)"' msg)"
expect_eq "objects of uid 65534 in all three lists" "1 1 1" \
    "$(for t in shm sem msg; do sel "[.$t[] | select(.uid == 65534 and .cuid == 65534)] | length" $t; done | tr '\n' ' ' | sed 's/ $//')"
expect_eq "perms 0640 (mode & 0777)" 5 \
    "$(sel '[.shm[] | select(.perms == "0640")] | length' shm)"

# a creator killed by SIGKILL while attached: detached by the kernel
"$HELPER" shm size=4096 key=0x4444 attach die >"$TMPD/die.out" 2>&1
expect_eq "the helper dies by SIGKILL (exit 137) after 'ready'" "137 ready" \
    "$? $(grep -x ready "$TMPD/die.out")"
"$IPCTUNE" list shm --format json >"$TMPD/die.json"
expect_eq "its segment stays, nattch 0, detached by the dead creator" \
    "0 true" "$(jq -r '.shm[] | select(.key_hex == "0x00004444") |
    "\(.nattch) \(.cpid == .lpid and .dtime_unix != null)"' "$TMPD/die.json")"
ipcrm -M 0x4444

# tables
"$IPCTUNE" list shm -n -o ID,SIZE,PAGES,STATUS --bytes >"$TMPD/t"
expect_match "list shm table: raw bytes, pages and status" \
    "^ *$dest_id +4096 +1 +dest,locked\$" "$TMPD/t"
expect_match "list shm table: a plain segment" \
    "^ *[0-9]+ +$((PG * 3 + 7)) +4 +-\$" "$TMPD/t"
expect_eq "list shm -n: one line per segment" \
    "$(jq '.shm | length' "$TMPD/sys.shm")" "$(wc -l <"$TMPD/t")"
"$IPCTUNE" list shm -n -o SIZE >"$TMPD/t"
expect_match "list shm: human sizes without --bytes" '^ *12\.0KiB$' "$TMPD/t"
"$IPCTUNE" list sem -o ID,NSEMS,PERMS >"$TMPD/t"
expect_match "list sem table with headings" '^ *ID +NSEMS +PERMS$' "$TMPD/t"
"$IPCTUNE" list >"$TMPD/t"
expect_match "list: one section per type" '^Message queues \(4\)$' "$TMPD/t"
expect_status "list -o without a type is a usage error" 2 \
    "$IPCTUNE" list -o ID
expect_status "list shm -o unknown column: exit 2" 2 \
    "$IPCTUNE" list shm -o ID,NOPE
expect_match "... naming the column" "unknown column 'NOPE'" "$TMPD/err"
for t in shm sem msg; do
	expect_status "list $t -o unknown column: exit 2" 2 \
	    "$IPCTUNE" list $t -o NOPE
	check "list $t -o unknown column: nothing on stdout" \
	    test ! -s "$TMPD/out"
done
expect_status "list of an unknown type: exit 2" 2 "$IPCTUNE" list pipes
expect_status "list with two types: exit 2" 2 "$IPCTUNE" list shm sem

# filters: the objects above, cut down in the table and the JSON alike
lj() { "$IPCTUNE" list "$@" --format json; }
n_of() { jq '[.shm, .sem, .msg | select(. != null) | length] | add' "$1"; }
lj --key 0x1002 >"$TMPD/f"
expect_eq "list --key: one object" 1 "$(n_of "$TMPD/f")"
expect_eq "list --key: the segment with that key" 0x00001002 \
    "$(jget '.shm[0].key_hex' "$TMPD/f")"
expect_eq "list --key in decimal: the same" "$(jq -c .shm "$TMPD/f")" \
    "$(lj --key 4098 | jq -c .shm)"
expect_eq "list shm --key: the table has the one row" 0x00001002 \
    "$("$IPCTUNE" list shm --key 0x1002 -n -o KEY | tr -d ' ')"
id=$(jget '.shm[1].id' "$TMPD/sys.shm")
lj shm --id "$id" >"$TMPD/f"
expect_eq "list shm --id: that segment only" "$id" \
    "$(jq -r '.shm | map(.id) | join(" ")' "$TMPD/f")"
lj --id "$id" >"$TMPD/f"
expect_eq "list --id: each type's object with that id" \
    "$(jq -s "[.[] | .shm, .sem, .msg | select(. != null) | .[] |
    select(.id == $id)] | length" \
    "$TMPD/sys.shm" "$TMPD/sys.sem" "$TMPD/sys.msg")" \
    "$(jq "[.shm, .sem, .msg | .[] | select(.id == $id)] | length" "$TMPD/f")"
expect_eq "list --id: nothing else" "$(n_of "$TMPD/f")" \
    "$(jq "[.shm, .sem, .msg | .[] | select(.id == $id)] | length" "$TMPD/f")"
lj --owner nobody >"$TMPD/f"
expect_eq "list --owner nobody: one object of each type" "1 1 1" \
    "$(jq -r '[.shm, .sem, .msg | length] | join(" ")' "$TMPD/f")"
expect_eq "list --owner nobody: all owned by 65534" 65534 \
    "$(jq -r '[.shm, .sem, .msg | .[].uid] | unique | join(" ")' "$TMPD/f")"
expect_eq "list --owner 65534: the same as the name" \
    "$(jq -c 'del(.generated_at, .filter)' "$TMPD/f")" \
    "$(lj --owner 65534 | jq -c 'del(.generated_at, .filter)')"
lj --creator nobody >"$TMPD/f"
expect_eq "list --creator nobody: the objects nobody created" "65534 3" \
    "$(jq -r '[.shm, .sem, .msg | .[].cuid] | "\(unique | join(" ")) \(length)"' "$TMPD/f")"
expect_eq "list --creator root --owner nobody: none" 0 \
    "$(lj --creator root --owner nobody | jq '[.shm, .sem, .msg | .[]] | length')"
expect_eq "list --creator root --type msg: root's queues" 3 \
    "$(lj --creator root --type msg | jq '.msg | length')"
expect_eq "list --older-than 1h: nothing is that old" 0 \
    "$(lj --older-than 1h | jq '[.shm, .sem, .msg | .[]] | length')"
expect_eq "list --older-than 0: everything" \
    "$(lj | jq '[.shm, .sem, .msg | .[]] | length')" \
    "$(lj --older-than 0 | jq '[.shm, .sem, .msg | .[]] | length')"
"$IPCTUNE" list --older-than 1h >"$TMPD/t"
expect_match "list --older-than 1h table: empty sections" \
    '^Shared memory segments \(0\)$' "$TMPD/t"

# --type and the operand
lj --type sem --type msg >"$TMPD/f"
expect_eq "list --type sem --type msg: those two types" "msg sem" \
    "$(jq -r '[keys[] | select(. == "shm" or . == "sem" or . == "msg")] | join(" ")' "$TMPD/f")"
"$IPCTUNE" list --type sem --type msg >"$TMPD/t"
expect_eq "list --type sem --type msg table: two sections" \
    "Semaphore arrays ($(jq '.sem | length' "$TMPD/sys.sem"))|Message queues ($(jq '.msg | length' "$TMPD/sys.msg"))|" \
    "$(grep -E '^[A-Z][a-z ]+ \([0-9]+\)$' "$TMPD/t" | tr '\n' '|')"
"$IPCTUNE" list --type sem -o ID,NSEMS >"$TMPD/t"
expect_match "list --type sem: one type, -o allowed" '^ *ID +NSEMS$' "$TMPD/t"
expect_eq "list shm --type shm: as list shm" \
    "$("$IPCTUNE" list shm -n)" "$("$IPCTUNE" list shm --type shm -n)"
expect_eq "list sem --type shm --type sem: the operand's type" \
    "$("$IPCTUNE" list sem -n)" \
    "$("$IPCTUNE" list sem --type shm --type sem -n)"
expect_status "list shm --type sem: a contradiction, exit 2" 2 \
    "$IPCTUNE" list shm --type sem
expect_match "... saying so" "'shm' contradicts --type" "$TMPD/err"
check "... nothing on stdout" test ! -s "$TMPD/out"
expect_status "list --type sem --type msg -o: exit 2" 2 \
    "$IPCTUNE" list --type sem --type msg -o ID

# JSON: the filter member, only when a filter was given
lj --type shm --key 0x1002 --owner root --creator 0 --older-than 2m \
    >"$TMPD/f"
expect_eq "list JSON: the filters applied" \
    '{"types":["shm"],"id":null,"key":4098,"uid":0,"cuid":0,"older_than_seconds":120}' \
    "$(jq -c .filter "$TMPD/f")"
check "list JSON with filters validates" validate "$SCHEMAS/list-1.json" \
    "$TMPD/f"
expect_eq "list JSON without filters: no filter member" false \
    "$(lj | jq 'has("filter")')"
expect_eq "list shm JSON: the operand alone is no filter" false \
    "$(lj shm | jq 'has("filter")')"

# bad values: exit 2 with the messages of orphans
for bad in "--type pipes" "--owner no-such-user-x" "--creator no-such-user-x" \
    "--owner -3" "--older-than 3x" "--older-than -1h" "--id -1" \
    "--id 2147483648" "--key 0xZZ" "--key 0x100000000" \
    "--older-than 9223372036854775808" "--older-than 15250284452472w" \
    "--type pshm --id 1" "--type psem --type pmq --key 1" "--id 1 --id 2" \
    "--key 1 --key 0x2"; do
	# shellcheck disable=SC2086
	expect_status "list $bad: exit 2" 2 "$IPCTUNE" list $bad
	check "list $bad: nothing on stdout" test ! -s "$TMPD/out"
	sed 's/ list / orphans /' "$TMPD/err" >"$TMPD/err.list"
	case $bad in --creator*)
		# orphans has no --creator: the message of its --owner
		# shellcheck disable=SC2086
		"$IPCTUNE" orphans --owner ${bad#--creator } 2>"$TMPD/err.o" ;;
	*)
		# shellcheck disable=SC2086
		"$IPCTUNE" orphans $bad 2>"$TMPD/err.o" ;;
	esac
	check "list $bad: the message of orphans" \
	    cmp "$TMPD/err.list" "$TMPD/err.o"
done
expect_status "list pmq --id: exit 2" 2 "$IPCTUNE" list pmq --id 1
expect_match "... POSIX objects have no id" "POSIX objects have no id" \
    "$TMPD/err"
expect_status "list --id given twice, the same: exit 0" 0 \
    "$IPCTUNE" list shm --id 1 --id 1
expect_status "clean --type pshm --id: exit 2" 2 \
    "$IPCTUNE" clean --type pshm --id 1

# --from: a snapshot, filtered as the live kernel
"$IPCTUNE" snapshot >"$TMPD/snap"
now=$(date +%s)
id=$(jget '.objects.shm[0].id' "$TMPD/snap")
sid=$(jget '.objects.sem[0].id' "$TMPD/snap")
jq ".objects.shm[0].uid = 4242 | .objects.shm[0].user = \"4242\" |
    .objects.sem[0].ctime_unix = $((now - 7200))" "$TMPD/snap" \
    >"$TMPD/snap2"
lj --from "$TMPD/snap2" --owner 4242 >"$TMPD/f"
expect_eq "list --from --owner: the segment given away" "$id" \
    "$(jq -r '[.shm, .sem, .msg | .[].id] | join(" ")' "$TMPD/f")"
expect_eq "list --from --creator 4242: none, cuid is unchanged" 0 \
    "$(lj --from "$TMPD/snap2" --creator 4242 | jq '[.shm, .sem, .msg | .[]] | length')"
expect_eq "list --from --older-than 1h: the array changed 2h ago" \
    "sem $sid" "$(lj --from "$TMPD/snap2" --older-than 1h |
    jq -r '[.sem[] | "sem \(.id)"] | join(" ")')"
expect_eq "list --from --older-than 1h: nothing else" 1 \
    "$(lj --from "$TMPD/snap2" --older-than 1h | jq '[.shm, .sem, .msg | .[]] | length')"
# an age is counted at the time the snapshot was read, not today: a
# snapshot read 3h ago of objects then a minute old has nothing older
# than 1h, and everything older than 30s
jq ".host.read_at_unix -= 10800 |
    .objects |= with_entries(.value |= map(.ctime_unix -= 10800))" \
    "$TMPD/snap" >"$TMPD/snap3"
expect_eq "list --from --older-than 1h: ages at the snapshot's time" 0 \
    "$(lj --from "$TMPD/snap3" --older-than 1h | jq '[.shm, .sem, .msg | .[]] | length')"
expect_eq "list --from --older-than 1s: every object of the snapshot" \
    "$(jq '[.objects.shm, .objects.sem, .objects.msg | .[]] | length' "$TMPD/snap")" \
    "$(sleep 1; lj --from "$TMPD/snap3" --older-than 1s | jq '[.shm, .sem, .msg | .[]] | length')"
expect_eq "list --from snapshot: filters as live" \
    "$(lj --key 0x1002 | jq -c .shm)" \
    "$(lj --from "$TMPD/snap" --key 0x1002 | jq -c .shm)"

# the shared filter options complete as those of orphans
for o in type owner older-than id key; do
	expect_eq "list --$o completes as orphans --$o" \
	    "$("$IPCTUNE" __complete takes orphans "$o")" \
	    "$("$IPCTUNE" __complete takes list "$o")"
done
expect_eq "list --creator completes user names" users \
    "$("$IPCTUNE" __complete takes list creator)"
# lsipc's columns, against lsipc itself on the same objects: owner and
# creator differ (IPC_SET), a uid and gid without a name, a live, a dead
# and a reused creator
"$PYTHON" "$TOP/tests/sys/setowner.py" shm "$(jget '.shm[0].id' "$TMPD/sys.shm")" 65534 4242 &&
"$PYTHON" "$TOP/tests/sys/setowner.py" sem "$(jget '.sem[0].id' "$TMPD/sys.sem")" 1 1 &&
"$PYTHON" "$TOP/tests/sys/setowner.py" msg "$(jget '.msg[0].id' "$TMPD/sys.msg")" 4243 65534
check "IPC_SET gave an owner other than the creator" test "$("$IPCTUNE" \
    list shm -J | jq '[.shm[] | select(.uid == 65534 and .cuid == 0)] | length')" = 1
setpriv --reuid=4242 --regid=4242 --clear-groups \
    "$HELPER" -q shm size=20 sem nsems=1 msg >/dev/null
IDS=ID,UID,USER,GID,GROUP,CUID,CUSER,CGID,CGROUP
# lsipc leaves the name of an ID without one empty; ipctune gives the ID
unnamed() {
	awk -F'[ ]' '{ for (i = 3; i <= 9; i += 2) if ($i == "") $i = $(i - 1)
	    print }' | sort -n
}
for t in m:shm s:sem q:msg; do
	lsipc -${t%%:*} --noheadings --raw -o $IDS,PERMS | unnamed >"$TMPD/a"
	"$IPCTUNE" list ${t#*:} -n --raw -o $IDS,RWX | sort -n >"$TMPD/b"
	if cmp -s "$TMPD/a" "$TMPD/b"; then
		ok "list ${t#*:}: ids, names and rwx permissions as lsipc's"
	else
		fail "list ${t#*:}: names or permissions differ from lsipc's"
		diff "$TMPD/a" "$TMPD/b" | head -6 | sed 's/^/    /'
	fi
done
expect_eq "an owner other than the creator: USER and CUSER" "nobody root" \
    "$("$IPCTUNE" list shm -n -o UID,CUID,USER,CUSER |
    awk '$1 == 65534 && $2 == 0 { print $3, $4 }')"
expect_eq "a uid and gid without a name: the numbers" "4242 4242 4242 4242" \
    "$("$IPCTUNE" list sem -n -o CUID,USER,CUSER,GROUP,CGROUP |
    awk '$1 == 4242 { print $2, $3, $4, $5 }')"
expect_eq "RWX beside PERMS" "0640 rw-r-----" \
    "$("$IPCTUNE" list shm -n -o KEY,PERMS,RWX |
    awk '$1 == "0x00001000" { print $2, $3 }')"
"$IPCTUNE" list shm -J >"$TMPD/j"
expect_eq "JSON: cuser and cgroup beside cuid and cgid" "root root" \
    "$(jq -r '.shm[] | select(.uid == 65534 and .cuid == 0) |
    "\(.cuser) \(.cgroup)"' "$TMPD/j")"
check "JSON with cuser and cgroup validates" \
    validate "$SCHEMAS/list-1.json" "$TMPD/j"

# RSS and SWAP with the default reader: /proc/sysvipc/shm's, read only
# when asked for
awk 'NR > 1 { print $2, $15, $16 }' /proc/sysvipc/shm | sort -n >"$TMPD/a"
"$IPCTUNE" list shm -n --raw --bytes -o ID,RSS,SWAP | sort -n >"$TMPD/b"
check "list shm -o RSS,SWAP: the bytes of /proc/sysvipc/shm" \
    cmp "$TMPD/a" "$TMPD/b"
expect_eq "the filled segment is resident" "$((PG * 4))" \
    "$("$IPCTUNE" list shm -n --bytes -o KEY,RSS |
    awk '$1 == "0x80000001" { print $2 }')"
expect_eq "the default reader gives what --reader procfs gives" \
    "$("$IPCTUNE" list shm -n --reader procfs -o ID,RSS,SWAP)" \
    "$("$IPCTUNE" list shm -n --reader syscall -o ID,RSS,SWAP)"
if command -v strace >/dev/null; then
	# LeakSanitizer cannot run under ptrace (SANITIZE=1 builds)
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -qq \
	    -e trace=openat -o "$TMPD/st" "$IPCTUNE" list shm \
	    --reader syscall >/dev/null
	check "without RSS or SWAP, /proc/sysvipc/shm is not read" \
	    sh -c "! grep -q sysvipc '$TMPD/st'"
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -qq \
	    -e trace=openat -o "$TMPD/st" "$IPCTUNE" list shm \
	    --reader syscall -o ID,SWAP >/dev/null
	check "with SWAP, /proc/sysvipc/shm is read" \
	    grep -q /proc/sysvipc/shm "$TMPD/st"
else
	fail "strace is not installed (scripts/deps.sh installs it)"
fi

# COMMAND: the creator's while it runs, as lsipc's command line names it
expect_eq "COMMAND: the live creator's" "ipchelper" \
    "$("$IPCTUNE" list shm -n -o CPID,COMMAND |
    awk -v p="$HELD_PID" '$1 == p { print $2; exit }')"
expect_eq "... the program lsipc's COMMAND runs" \
    "$(lsipc -m --noheadings -o CPID,COMMAND |
    awk -v p="$HELD_PID" '$1 == p { print $2; exit }' | xargs basename)" \
    ipchelper
expect_eq "COMMAND: '-' for a creator that exited" - \
    "$("$IPCTUNE" list shm -n -o CUID,COMMAND | awk '$1 == 4242 { print $2 }')"
expect_eq "... where lsipc's is empty" 1 \
    "$(lsipc -m --noheadings --raw -o CUID,COMMAND | awk '$1 == 4242 { print NF }')"
set -- $("$HELPER" shm size=1 key=0x5555)
sid=$2
"$IPCTUNE" list shm -J >"$TMPD/j"
p=$(jq -r '.shm[] | select(.key_hex == "0x00005555") | .cpid' "$TMPD/j")
sleep 2
echo $((p - 1)) >/proc/sys/kernel/ns_last_pid
sleep 300 &
rp=$!
expect_eq "the creator's PID is reused" "$p" "$rp"
# the forked shell becomes sleep at its exec
i=0
while [ "$(cat /proc/$rp/comm 2>/dev/null)" != sleep ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
expect_eq "COMMAND: a reuse 2 s after ctime may be a clock step: shown" \
    sleep "$("$IPCTUNE" list shm -n -o ID,COMMAND | awk -v i="$sid" '$1 == i { print $2 }')"
awk '$1 == "btime" { $2 = $2 + 120 } { print }' /proc/stat >"$TMPD/stat"
expect_eq "COMMAND: a process started 2 min after ctime: not the creator" \
    - "$(unshare --mount sh -c "mount --bind '$TMPD/stat' /proc/stat &&
    '$IPCTUNE' list shm -n -o ID,COMMAND" | awk -v i="$sid" '$1 == i { print $2 }')"
kill $rp
wait $rp 2>/dev/null
"$IPCTUNE" snapshot >"$TMPD/snap"
expect_eq "COMMAND from a snapshot: unknown" "?" \
    "$("$IPCTUNE" list shm --from "$TMPD/snap" -n -o ID,COMMAND |
    awk -v i="$sid" '$1 == i { print $2 }')"

# --export: every line safe for eval, the values kept; names from NSS
# and a command name full of shell syntax
hostile='e"v$HOME`touch '"$TMPD"'/pwn1`$(touch '"$TMPD"'/pwn2)'\''\x y'
cp /etc/passwd "$TMPD/passwd"
printf '%s:x:4343:4343::/:/bin/false\n' "$hostile" >>"$TMPD/passwd"
mount --bind "$TMPD/passwd" /etc/passwd
setpriv --reuid=4343 --regid=4343 --clear-groups \
    "$HELPER" -q shm size=1 key=0x4343 >/dev/null
cprog=$(printf 'c"$(id)`\tx\033')
cp "$HELPER" "$TMPD/$cprog"
"$TMPD/$cprog" shm size=2 key=0x4344 hold >"$TMPD/held.c" 2>&1 &
cpid=$!
i=0
while ! grep -q '^ready$' "$TMPD/held.c" && [ $i -lt 500 ]; do
	sleep 0.01; i=$((i + 1))
done
"$IPCTUNE" list shm --export -o KEY,OWNER,CUSER,COMMAND >"$TMPD/exp"
check "--export: KEY=\"value\" pairs only" sh -c "! grep -qv \
    '^KEY=\"[^\"]*\" OWNER=\"[^\"]*\" CUSER=\"[^\"]*\" COMMAND=\"[^\"]*\"\$' '$TMPD/exp'"
while IFS= read -r l; do
	eval "$l"
	printf '%s|%s|%s\n' "$KEY" "$OWNER" "$COMMAND"
done <"$TMPD/exp" >"$TMPD/vals"
check "--export: eval ran no command substitution" \
    test ! -e "$TMPD/pwn1" -a ! -e "$TMPD/pwn2"
esc() { sed 's/\\/\\x5c/g; s/"/\\x22/g; s/\$/\\x24/g; s/`/\\x60/g;
    s/	/\\x09/g; s/'"$(printf '\033')"'/\\x1b/g'; }
expect_eq "--export: a hostile user name, escaped (\\xHH)" \
    "0x00004343|$(printf '%s' "$hostile" | esc)|-" \
    "$(grep '^0x00004343|' "$TMPD/vals")"
expect_eq "--export: a hostile command, control characters escaped" \
    "0x00004344|root|$(printf '%s' "$cprog" | esc)" \
    "$(grep '^0x00004344|' "$TMPD/vals")"
# every column of every type: eval in sh and in bash gives each value as
# --raw prints it (export escapes " $ ` where raw escapes blanks)
setpriv --reuid=4343 --regid=4343 --clear-groups \
    "$HELPER" -q sem nsems=2 key=0x4345 msg key=0x4346 >/dev/null
for t in shm sem msg; do
	cols=$("$IPCTUNE" list $t -o NONE 2>&1 |
	    sed -n 's/.*(known: \(.*\))$/\1/p' | tr -d ' ')
	"$IPCTUNE" list $t --export -o "$cols" >"$TMPD/exp.$t"
	"$IPCTUNE" list $t -n --raw -o "$cols" >"$TMPD/raw.$t"
	# a name a shell keeps (UID, GID) gets a '_' after it
	vars=$(echo "$cols" | tr ',-' '\n_' | sed 's/^[GU]ID$/&_/' | tr '\n' ' ')
	for shell in sh bash; do
		$shell -c 'set -u; while IFS= read -r l; do eval "$l" || exit 1
		    line=; for v in '"$vars"'; do eval "x=\$$v"
		    line="$line${line:+ }$(printf %s "$x" |
		    sed "s/ /\\\\x20/g; s/\\\\x22/\"/g;
		    s/\\\\x24/\\$/g; s/\\\\x60/\`/g")"; done
		    printf "%s\n" "$line"; done' <"$TMPD/exp.$t" >"$TMPD/ev.$t" 2>&1
		check "--export of every $t column: $shell's eval gives --raw's values" \
		    cmp "$TMPD/raw.$t" "$TMPD/ev.$t"
	done
done
if command -v zsh >/dev/null; then
	expect_eq "--export: zsh's eval of the owner's uid and gid leaves its own" \
	    "$(id -u) $(id -g)" "$(zsh -c 'while IFS= read -r l; do eval "$l"
	    done; echo "$(id -u) $(id -g)"' <"$TMPD/exp.msg" 2>&1)"
fi
check "--export of every column: eval ran no command substitution" \
    test ! -e "$TMPD/pwn1" -a ! -e "$TMPD/pwn2"
# a user and group name that is not UTF-8: every JSON document stays
# UTF-8 and keeps the name, escaped as show and json_text() escape it
printf 'n\377u:x:4347:4347::/:/bin/false\n' >>"$TMPD/passwd"
cp /etc/group "$TMPD/group"
printf 'g\377g:x:4347:\n' >>"$TMPD/group"
mount --bind "$TMPD/group" /etc/group
setpriv --reuid=4347 --regid=4347 --clear-groups \
    "$HELPER" -q shm size=1 key=0x4347 >/dev/null
"$IPCTUNE" list shm -J >"$TMPD/u.list"
"$IPCTUNE" snapshot >"$TMPD/u.snap"
"$IPCTUNE" orphans -a -J >"$TMPD/u.orphans" 2>/dev/null
"$IPCTUNE" owners -J >"$TMPD/u.owners"
for d in list snapshot orphans owners; do
	check "a name that is not UTF-8: $d JSON validates" \
	    validate "$SCHEMAS/$d-1.json" "$TMPD/u.${d%shot}"
done
expect_eq "a name that is not UTF-8: list JSON escapes it as show does" \
    'n\xffu g\xffg' "$(jq -r '.shm[] | select(.key == 17223) |
    "\(.user) \(.group)"' "$TMPD/u.list" 2>&1)"
umount /etc/group
kill $cpid
wait $cpid 2>/dev/null
umount /etc/passwd

ipc_reset
finish
