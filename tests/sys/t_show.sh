#!/bin/sh
# show: one object in detail on the real kernel, in private namespaces.
# A segment attached by two processes (its attachers exactly), an array
# with values set, a dead last-op PID and two processes blocked in semop
# (semncnt, semzcnt and the waiters), a full queue with a blocked sender
# and a blocked receiver; each compared with 'ipcs -i', validated against
# show-1.json, and read back from a snapshot; --pid, missing ids and bad
# operands.
. "$(dirname "$0")/lib.sh"
enter_private_ns pid
save_defaults
SH=$BUILD/tests/ipchelper_show

# started PID: run ipchelper_show ARGS... in the background until it has
# created its ready file (the last argument); sets BG.
started() {
	eval "rf=\${$#}"
	"$SH" "$@" &
	BG=$!
	HELD_PIDS="$HELD_PIDS $BG"
	i=0
	until [ -e "$rf" ]; do
		i=$((i + 1))
		[ $i -gt 500 ] && { echo "helper $* did not start" >&2; return 1; }
		sleep 0.01
	done
}
# blocked PID: wait until PID sleeps in a system call (state S)
blocked() {
	i=0
	until [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = S ] &&
	    [ "$(cut -d' ' -f1 "/proc/$1/syscall" 2>/dev/null)" != running ]
	do
		i=$((i + 1))
		[ $i -gt 500 ] && return 1
		sleep 0.01
	done
}
# ipcs_field NAME FILE: the value of NAME=VALUE in ipcs -i output
ipcs_field() { tr '\t ,' '\n\n\n' <"$2" | sed -n "s/^$1=//p" | head -1; }
show() { "$IPCTUNE" show "$@"; }

# --- a segment attached by two processes
shm=$(ipcmk -M 10000 -p 0640 | awk '{ print $NF }')
started shmat "$shm" "$TMPD/a1" || exit 1
A1=$BG
started shmat "$shm" "$TMPD/a2" || exit 1
A2=$BG
show shm "$shm" --format json >"$TMPD/shm.json"
check "show shm validates against show-1.json" \
    validate "$SCHEMAS/show-1.json" "$TMPD/shm.json"
expect_eq "the attachers are exactly the two helpers" \
    "$(printf '%s\n' $A1 $A2 | sort -n | tr '\n' ' ')" \
    "$(jq -r '.attachers[].pid' "$TMPD/shm.json" | sort -n | tr '\n' ' ')"
expect_eq "attachers: command and user" "ipchelper_show root" \
    "$(jq -r '[.attachers[] | "\(.command) \(.user)"] | unique | join(",")' \
    "$TMPD/shm.json")"
expect_eq "nattch 2, live" "2 true" \
    "$(jq -r '"\(.object.nattch) \(.live)"' "$TMPD/shm.json")"
expect_eq "cpid: ipcmk has exited" gone \
    "$(jq -r '.pids.cpid.state' "$TMPD/shm.json")"
expect_eq "lpid: the last attacher runs" "$A2 runs ipchelper_show" \
    "$(jq -r '.pids.lpid | "\(.pid) \(.state) \(.command)"' "$TMPD/shm.json")"
expect_eq "rss and swap are read with the default reader" "number number" \
    "$(jq -r '.object | "\(.rss_bytes | type) \(.swap_bytes | type)"' \
    "$TMPD/shm.json")"
expect_eq "rss as /proc/sysvipc/shm says" \
    "$(awk -v id="$shm" '$2 == id { print $15 }' /proc/sysvipc/shm)" \
    "$(jq -r '.object.rss_bytes' "$TMPD/shm.json")"
expect_eq "perms as text" "0640 rw-r-----" \
    "$(jq -r '"\(.object.perms) \(.perms_text)"' "$TMPD/shm.json")"
ipcs -i "$shm" -m >"$TMPD/ipcs"
for f in uid gid cuid cgid bytes lpid cpid nattch; do
	case $f in bytes) k=size_bytes ;; *) k=$f ;; esac
	expect_eq "shm $f as ipcs -i -m" "$(ipcs_field $f "$TMPD/ipcs")" \
	    "$(jq -r ".object.$k" "$TMPD/shm.json")"
done
expect_eq "shm mode as ipcs -i -m" "$(ipcs_field mode "$TMPD/ipcs")" \
    "$(jq -r '.object.perms' "$TMPD/shm.json")"
show shm "$shm" >"$TMPD/shm.txt"
expect_match "table: the attachers section" '^Attached processes \(2\)$' \
    "$TMPD/shm.txt"
expect_match "table: an attacher row" "^ *$A1 +ipchelper_show +root\$" \
    "$TMPD/shm.txt"
expect_match "table: cpid gone" '^CPID +[0-9]+ \(gone\)$' "$TMPD/shm.txt"
expect_match "table: the size" '^SIZE +9.8KiB$' "$TMPD/shm.txt"
ct=$(jq -r '.object.ctime_unix' "$TMPD/shm.json")
show shm "$shm" --time-format unix >"$TMPD/tf.txt"
expect_match "--time-format unix: the change time as a number" \
    "^CTIME +$ct\$" "$TMPD/tf.txt"
show shm "$shm" --time-format full >"$TMPD/tf.txt"
expect_match "--time-format full: as ctime(3)" \
    '^CTIME +[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [0-9]{4}$' \
    "$TMPD/tf.txt"
show shm "$shm" --no-headings >"$TMPD/nh.txt"
check "--no-headings: no section headings" \
    sh -c "! grep -q 'Attached processes\|^FIELD' '$TMPD/nh.txt'"

# --- a semaphore array: values, a dead sempid, two blocked processes
sem=$(ipcmk -S 3 -p 0600 | awk '{ print $NF }')
"$SH" setval "$sem" 1 5
"$SH" semop "$sem" 1 -1 &
DEAD=$!
wait $DEAD
started semwait "$sem" 0 -1 "$TMPD/w1" && blocked "$BG" || exit 1
W1=$BG
started semwait "$sem" 1 0 "$TMPD/w2" && blocked "$BG" || exit 1
W2=$BG
show sem "$sem" --format json >"$TMPD/sem.json"
check "show sem validates against show-1.json" \
    validate "$SCHEMAS/show-1.json" "$TMPD/sem.json"
expect_eq "semaphore 0: value 0, one waits for increase" "0 1 0" \
    "$(jq -r '.semaphores[0] | "\(.value) \(.ncnt) \(.zcnt)"' "$TMPD/sem.json")"
expect_eq "semaphore 1: value 4, one waits for zero" "4 0 1" \
    "$(jq -r '.semaphores[1] | "\(.value) \(.ncnt) \(.zcnt)"' "$TMPD/sem.json")"
expect_eq "semaphore 1: sempid is the exited helper, gone" "$DEAD gone" \
    "$(jq -r '.semaphores[1].last_pid | "\(.pid) \(.state)"' "$TMPD/sem.json")"
expect_eq "semaphore 2: never operated on" "0 none" \
    "$(jq -r '.semaphores[2].last_pid | "\(.pid) \(.state)"' "$TMPD/sem.json")"
expect_eq "the waiters are exactly the two blocked helpers" \
    "$(printf '%s\n' $W1 $W2 | sort -n | tr '\n' ' ')" \
    "$(jq -r '.waiters[].pid' "$TMPD/sem.json" | sort -n | tr '\n' ' ')"
expect_eq "the waiters wait in semop or semtimedop" true \
    "$(jq '[.waiters[].call] | all(. == "semop" or . == "semtimedop")' \
    "$TMPD/sem.json")"
expect_eq "the operation each waiter is blocked on, from its memory" \
    "$(printf '%s 0 -1\n%s 1 0\n' $W1 $W2 | sort -n | tr '\n' ' ')" \
    "$(jq -r '.waiters[] | "\(.pid) \(.semops[0].num) \(.semops[0].op)"' \
    "$TMPD/sem.json" | sort -n | tr '\n' ' ')"
expect_eq "each semop waiter asks for one operation" "1 1" \
    "$(jq -r '[.waiters[].call_arg] | join(" ")' "$TMPD/sem.json")"
expect_eq "nothing kept the waiters from view" false \
    "$(jq '.waiters_partial' "$TMPD/sem.json")"
ipcs -i "$sem" -s | awk '$1 ~ /^[0-9]+$/ && NF == 5' >"$TMPD/a"
jq -r '.semaphores[] | "\(.num) \(.value) \(.ncnt) \(.zcnt) \(.last_pid.pid)"' \
    "$TMPD/sem.json" >"$TMPD/b"
check "semaphores as ipcs -i -s (semnum value ncount zcount pid)" \
    sh -c "awk '{ print \$1, \$2, \$3, \$4, \$5 }' '$TMPD/a' | cmp - '$TMPD/b'"
show sem "$sem" >"$TMPD/sem.txt"
lsipc -s -i "$sem" | grep '^SEMNUM' | awk '{ $1 = $1; print }' >"$TMPD/a"
grep '^SEMNUM' "$TMPD/sem.txt" | awk '{ NF = 6; print }' >"$TMPD/b"
check "the semaphore table's headings are lsipc -i's" cmp "$TMPD/a" "$TMPD/b"
expect_match "table: the semaphore rows" "^ +1 +4 +0 +1 +$DEAD +- +gone\$" \
    "$TMPD/sem.txt"
expect_match "table: a waiter row" \
    "^ *$W1 +ipchelper_show +root +sem(timed)?op +sem 0 -1\$" "$TMPD/sem.txt"
expect_match "table: the zero waiter" \
    "^ *$W2 +ipchelper_show +root +sem(timed)?op +sem 1 0\$" "$TMPD/sem.txt"

# the dead sempid given again to a new process: just after, ambiguous
sleep 2
echo $((DEAD - 1)) >/proc/sys/kernel/ns_last_pid
sleep 300 &
RP=$!
HELD_PIDS="$HELD_PIDS $RP"
expect_eq "the dead sempid was given again" "$DEAD" "$RP"
i=0
until [ "$(cat "/proc/$RP/comm")" = sleep ] || [ $i -gt 500 ]; do
	i=$((i + 1))
	sleep 0.01
done
show sem "$sem" --format json >"$TMPD/reuse.json"
expect_eq "a process that got the sempid since: ambiguous, named" \
    "$DEAD ambiguous sleep" "$(jq -r '.semaphores[1].last_pid |
    "\(.pid) \(.state) \(.command)"' "$TMPD/reuse.json")"

# as another user: no semaphore values, and the waiters may be missing
chmod 755 "$TMPD"
setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$IPCTUNE" show sem "$sem" --format json >"$TMPD/nob.json" 2>"$TMPD/nob.err"
expect_eq "nobody: semaphores unread, waiters partial" "null true" \
    "$(jq -r '"\(.semaphores) \(.waiters_partial)"' "$TMPD/nob.json")"
expect_match "nobody: the semaphores are named unreadable" \
    "cannot read the semaphores of array '$sem': permission denied" \
    "$TMPD/nob.err"
expect_match "nobody: waiters may be missing, with advice" \
    "may be missing \(run as root\)" "$TMPD/nob.err"

# one semop of eight operations, blocked: WANTS names all eight whole
sem8=$(ipcmk -S 8 | awk '{ print $NF }')
python3 -c 'import ctypes, sys
class B(ctypes.Structure):
    _fields_ = [("num", ctypes.c_ushort), ("op", ctypes.c_short),
                ("flg", ctypes.c_short)]
ops = (B * 8)(*[B(i, -1, 0x1000) for i in range(8)])	# SEM_UNDO
open(sys.argv[2], "w").close()
ctypes.CDLL(None).semop(int(sys.argv[1]), ops, 8)' "$sem8" "$TMPD/w8" &
W8=$!
HELD_PIDS="$HELD_PIDS $W8"
until [ -e "$TMPD/w8" ]; do sleep 0.01; done
blocked "$W8"
show sem "$sem8" >"$TMPD/w8.txt"
expect_match "eight operations of one semop, none cut" \
    "^ *$W8 .* sem 0 -1 \(undo\), .*, sem 7 -1 \(undo\)\$" "$TMPD/w8.txt"

# --- a full queue: a blocked sender and a blocked receiver
msg=$(ipcmk -Q | awk '{ print $NF }')
mnb=$(cat /proc/sys/kernel/msgmnb)
max=$(cat /proc/sys/kernel/msgmax)
sent=0
while [ $((sent + max)) -le "$mnb" ]; do
	"$SH" msgsnd "$msg" "$max" "$TMPD/s$sent" || exit 1
	sent=$((sent + max))
done
started msgsnd "$msg" "$max" "$TMPD/sblock" && blocked "$BG" || exit 1
SND=$BG
started msgrcv "$msg" "$TMPD/rblock" && blocked "$BG" || exit 1
RCV=$BG
show msg "$msg" --format json >"$TMPD/msg.json"
check "show msg validates against show-1.json" \
    validate "$SCHEMAS/show-1.json" "$TMPD/msg.json"
expect_eq "the blocked sender and receiver, with their calls" \
    "$(printf '%s msgsnd\n%s msgrcv\n' $SND $RCV | sort -n | tr '\n' ' ')" \
    "$(jq -r '.waiters[] | "\(.pid) \(.call)"' "$TMPD/msg.json" | sort -n |
    tr '\n' ' ')"
expect_eq "the queue is full" "$mnb $mnb" \
    "$(jq -r '.object | "\(.used_bytes) \(.qbytes)"' "$TMPD/msg.json")"
expect_eq "lspid: the last sender has exited" gone \
    "$(jq -r '.pids.lspid.state' "$TMPD/msg.json")"
ipcs -i "$msg" -q >"$TMPD/ipcs"
for f in cbytes qbytes qnum lspid lrpid uid cuid; do
	case $f in cbytes) k=used_bytes ;; qnum) k=messages ;; *) k=$f ;; esac
	expect_eq "msg $f as ipcs -i -q" "$(ipcs_field $f "$TMPD/ipcs")" \
	    "$(jq -r ".object.$k" "$TMPD/msg.json")"
done
show msg "$msg" >"$TMPD/msg.txt"
expect_match "table: the waiting sender" \
    "^ *$SND +ipchelper_show +root +msgsnd +to send $max bytes\$" "$TMPD/msg.txt"
expect_match "table: the waiting receiver" \
    "^ *$RCV +ipchelper_show +root +msgrcv +type 999\$" "$TMPD/msg.txt"
expect_eq "what they ask for: the sender's size, the receiver's type" \
    "$(printf '%s %s\n%s 999\n' $SND "$max" $RCV | sort -n | tr '\n' ' ')" \
    "$(jq -r '.waiters[] | "\(.pid) \(.call_arg)"' "$TMPD/msg.json" |
    sort -n | tr '\n' ' ')"

# the field names are list's column names (lsipc's headings)
for t in shm sem msg; do
	eval "id=\$$t"
	known=",$("$IPCTUNE" list $t -o NONE 2>&1 |
	    sed -n 's/.*(known: \(.*\))$/\1/p' | tr -d ' '),"
	odd=$(show $t "$id" -n | awk '$1 ~ /^[A-Z-]+$/ && $2 != "" { print $1 }' |
	    while read -r f; do
		case $known in *",$f,"*) ;; *) printf '%s ' "$f" ;; esac
	    done)
	expect_eq "show $t: every field is named as list's column" "" "$odd"
done

# --- from a snapshot: the fields only
"$IPCTUNE" snapshot >"$TMPD/snap.json"
for t in shm sem msg; do
	eval "id=\$$t"
	show "$t" "$id" --from "$TMPD/snap.json" --format json \
	    >"$TMPD/from.json" 2>"$TMPD/from.err"
	check "--from $t validates against show-1.json" \
	    validate "$SCHEMAS/show-1.json" "$TMPD/from.json"
	expect_eq "--from $t: not live, the live parts null" "false null" \
	    "$(jq -r '"\(.live) \(.attachers // .semaphores // .waiters)"' \
	    "$TMPD/from.json")"
	expect_eq "--from $t: the fields as read live (rss aside)" \
	    "$(jq -cS '.object | del(.rss_bytes, .swap_bytes)' "$TMPD/$t.json")" \
	    "$(jq -cS '.object | del(.rss_bytes, .swap_bytes)' "$TMPD/from.json")"
	expect_match "--from $t: says what a snapshot lacks" \
	    'snapshot holds the object.s fields only' "$TMPD/from.err"
done
show sem "$sem" --from "$TMPD/snap.json" >"$TMPD/from.txt" 2>/dev/null
check "--from: no semaphore table" \
    sh -c "! grep -q '^Semaphores' '$TMPD/from.txt'"

# --- another IPC namespace through --pid
unshare --ipc sh -c 'id=$(ipcmk -M 4096 | awk "{ print \$NF }");
    exec "$0" shmat "$id" "$1"' "$SH" "$TMPD/ns" &
NSP=$!
HELD_PIDS="$HELD_PIDS $NSP"
until [ -e "$TMPD/ns" ]; do sleep 0.01; done
show shm 0 --pid "$NSP" --format json >"$TMPD/pid.json"
expect_eq "--pid: the segment of that namespace and its attacher" \
    "4096 $NSP" "$(jq -r '"\(.object.size_bytes) \(.attachers[0].pid)"' \
    "$TMPD/pid.json")"
expect_eq "--pid: the envelope names the pid" "$NSP" \
    "$(jq -r '.ipc_namespace.pid' "$TMPD/pid.json")"
show shm 0 --ns "/proc/$NSP/ns/ipc" --format json >"$TMPD/ns.json"
expect_eq "--ns: the same segment and attacher" "4096 $NSP" \
    "$(jq -r '"\(.object.size_bytes) \(.attachers[0].pid)"' "$TMPD/ns.json")"

# --- missing objects and bad operands
expect_status "a missing id: exit 1" 1 show shm 77777
expect_match "... with a clear message" \
    "no shared memory segment with id 77777 in this IPC namespace" "$TMPD/err"
expect_status "a missing id with --format json: exit 1" 1 \
    show msg 77777 --format json
check "... and an error document" validate "$SCHEMAS/error-1.json" \
    "$TMPD/out"
expect_status "a missing id in a snapshot: exit 1" 1 \
    show sem 77777 --from "$TMPD/snap.json"
expect_match "... naming the snapshot" "in snapshot '" "$TMPD/err"
expect_status "unknown type word: exit 2" 2 show queue 1
expect_match "... named" "unknown object type 'queue'" "$TMPD/err"
expect_status "no operands: exit 2" 2 show
expect_status "no id: exit 2" 2 show sem
expect_status "a non-numeric id: exit 2" 2 show sem 1x
expect_match "... named" "bad object id '1x'" "$TMPD/err"
expect_status "an id above INT_MAX: exit 2" 2 show sem 2147483648
expect_status "a negative id: exit 2" 2 show sem -- -1
expect_status "a negative id without --: exit 2" 2 show shm -1
expect_match "... named a bad id, not an option" "bad object id '-1'" \
    "$TMPD/err"
expect_status "an extra operand: exit 2" 2 show sem "$sem" 1
expect_status "-o is refused" 2 show sem "$sem" -o ID
expect_status "--format prometheus is refused" 2 \
    show sem "$sem" --format prometheus

# a --root tree whose processes hold hostile text: nothing is taken
# from a malformed syscall, status or maps file, and nothing breaks
R=$TMPD/root
sh "$TOP/tests/hostile/mkroot.sh" "$R" >/dev/null
printf 'cpu 1\nbtime 1700000000\n' >"$R/proc/stat"
mkp() {
	mkdir -p "$R/proc/$1/task/$1"
	printf '%s (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 1 1\n' \
	    "$1" >"$R/proc/$1/stat"
	printf 'x\n' >"$R/proc/$1/comm"
	printf '%b' "$2" >"$R/proc/$1/task/$1/syscall"
	printf '%b' "$3" >"$R/proc/$1/status"
	printf '%b' "$4" >"$R/proc/$1/maps"
}
mkp 41 '69 0x0 0x0 0x0 0x0 0x0 0x0 0x1 0x2 \n' 'Uid:\t1\t-5\n' \
    '7f00-7f10 rw-s 00000000 00:01 x /SYSV00000000 (deleted)\n'
mkp 42 '69 0x0\0 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n' 'Uid:\t1\n' \
    '7f00-7f10 rw-s 00000000 00:01 99999999999 /SYSV00000000\n'
mkp 43 '69 0x0 0x0 0x0 0x0 0x0 0x0 0x1 0x10000000000000000\n' \
    'Uid:\t\t\t\n' '\377\376\n /SYSV'
mkp 44 '69 0xffffffff 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n' \
    'Uid:\t4294967295\t4294967295\n' '7f00-7f10 rw-s 0 00:01 -1 /SYSV00000001\n'
for a in "msg 0" "sem 0" "shm 1"; do
	expect_status "hostile process files: show $a exits 0" 0 \
	    show $a --root "$R" --format json
	expect_eq "... and names no waiter or attacher from them" "0" \
	    "$(jq -r '[.waiters // [], .attachers // []] | add | length' \
	    "$TMPD/out")"
done
# the same tree with one well-formed wait: found, with its user
mkp 45 '69 0x0 0x7ffc 0x10 0x0 0x0 0x0 0x1 0x2\n' 'Uid:\t0\t7\t0\t0\n' ''
show msg 0 --root "$R" --format json >"$TMPD/w.json"
expect_eq "a well-formed wait in the same tree is found" "45 msgsnd 16 7" \
    "$(jq -r '.waiters[] | "\(.pid) \(.call) \(.call_arg) \(.uid)"' \
    "$TMPD/w.json")"

# an array too wide to read one by one: the fields, and a warning
sysctl_set sem "70000 2000000 32 128"
big=$(ipcmk -S 65537 | awk '{ print $NF }')
expect_status "an array of 65537 semaphores is shown" 0 \
    show sem "$big" --format json
expect_eq "... without its semaphore rows" "65537 null" \
    "$(jq -r '"\(.object.nsems) \(.semaphores)"' "$TMPD/out")"
expect_match "... and says why" "has 65537 semaphores: more than 65536" \
    "$TMPD/err"

ipc_reset
finish
