#!/bin/sh
# 'ipctune explain' on real traces: failures provoked in this private
# IPC namespace under strace -f (and perf trace --failure, with tracefs
# mounted only in this private mount namespace), their lines explained
# with the cause code and the numbers; the live state against --from a
# snapshot; a call that would succeed now; the call spelled as options;
# and hostile lines and options, each a clear error with exit status 2.
. "$(dirname "$0")/lib.sh"
enter_private_ns pid

FAIL=$BUILD/tests/ipcfail
save_defaults
cd "$TMPD" || exit 1

# (LeakSanitizer cannot run under ptrace: a sanitizer build of the
# traced helper runs without it)
NOLEAK="${ASAN_OPTIONS:-}:detect_leaks=0"
# trace NAME ARGS...: run ipcfail ARGS under strace -f; lines in NAME.st
trace() {
	n=$1
	shift
	ASAN_OPTIONS="$NOLEAK" strace -f -e trace=%ipc -o "$TMPD/$n.st" \
	    "$FAIL" "$@" >/dev/null 2>&1
}
# failing NAME: the last failing call of NAME's trace
failing() { grep ' = -1 E' "$TMPD/$1.st" | tail -1; }
# hold COMMAND...: start COMMAND (which execs sleep) in the background;
# its PID in HELD once it runs sleep, with the ids and limits it set up
hold() {
	"$@" sleep 60 &
	HELD=$!
	i=0
	while [ "$(cat /proc/$HELD/comm 2>/dev/null)" != sleep ] &&
	    [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}
# explains DESC VERDICT CODE REGEX LINE [OPTION...]: explain LINE as JSON
# gives VERDICT and cause CODE, with REGEX in its words (cause and fix)
explains() {
	d=$1 v=$2 code=$3 re=$4 line=$5
	shift 5
	if [ -n "$line" ]; then set -- "$@" "$line"; fi
	# shellcheck disable=SC2086
	${XPRE:-} "$IPCTUNE" explain --format json "$@" >"$TMPD/e.json" \
	    2>"$TMPD/e.err"
	expect_eq "$d: verdict and cause" "$v $code" \
	    "$(jget '.calls[0] | .verdict + " " + .cause.code' "$TMPD/e.json")"
	jget '.calls[0].cause | .text + " FIX " + (.fix // "")' \
	    "$TMPD/e.json" >"$TMPD/e.txt"
	expect_match "$d: the numbers" "$re" "$TMPD/e.txt"
}

# ENOSPC from SEMMNI, under strace -f -o (its "PID  " prefix)
sysctl_set sem "250 32000 32 1"
"$FAIL" semget 1 >/dev/null
trace semmni semget 1
L=$(failing semmni)
expect_match "strace printed semget's ENOSPC" \
    '^[0-9]+ +semget\(IPC_PRIVATE, 1, IPC_CREAT\|0600\) += -1 ENOSPC' \
    "$TMPD/semmni.st"
explains "SEMMNI" reproduced semmni \
    '1 of 1 semaphore arrays.* FIX raise kernel.sem \(field SEMMNI\) to 2' \
    "$L"
expect_eq "SEMMNI: the PID strace printed" \
    "$(sed -n 's/^\([0-9]*\) .*semget.*ENOSPC.*/\1/p' "$TMPD/semmni.st")" \
    "$(jget '.calls[0].pid' "$TMPD/e.json")"
expect_status "the text form" 0 "$IPCTUNE" explain "$L"
expect_match "the text form: call, verdict and words" \
    '^pid [0-9]+ semget\(key=IPC_PRIVATE, nsems=1, flags=IPC_CREAT\|0600\) = -1 ENOSPC$' \
    "$TMPD/out"
expect_match "the text form: the cause as watch says it" \
    '^  reproduced: semget ENOSPC: SEMMNI, the fourth field of kernel.sem, is exhausted: 1 of 1' \
    "$TMPD/out"
expect_match "the text form: the fix" '^  fix: raise kernel.sem' "$TMPD/out"

# the whole trace: strace's own lines refused, or skipped
expect_status "a whole trace without --skip-other: exit 2" 2 \
    "$IPCTUNE" explain --file "$TMPD/semmni.st"
expect_match "... naming the line and column of '+++ exited'" \
    '^ipctune: line [0-9]+: column [0-9]+: expected a system call' \
    "$TMPD/err"
expect_status "--skip-other --file: exit 0" 0 \
    "$IPCTUNE" explain --skip-other --file "$TMPD/semmni.st"
expect_eq "--skip-other: the call explained" 1 \
    "$(grep -c '^line [0-9]*: pid' "$TMPD/out")"
ASAN_OPTIONS="$NOLEAK" strace -f -e trace=%ipc "$FAIL" semget 1 2>&1 |
    "$IPCTUNE" explain --skip-other --format json - >"$TMPD/pipe.json"
expect_eq "strace 2>&1 | explain --skip-other -: the failure" \
    "reproduced semmni ENOSPC" \
    "$(jget '.calls[] | select(.failed) | .verdict + " " + .cause.code +
    " " + .error' "$TMPD/pipe.json")"
expect_eq "... and no line refused" 0 \
    "$(jget .lines_refused "$TMPD/pipe.json")"

# the same call spelled as options, and a success that would fail now
explains "--call semget" reproduced semmni '1 of 1 semaphore arrays' "" \
    --call semget --nsems 17 --flags 'IPC_CREAT|0600' --errno ENOSPC
explains "a success that would fail now" fails_now semmni \
    'succeeded, but would fail now: semget ENOSPC' \
    'semget(IPC_PRIVATE, 1, IPC_CREAT|0600) = 3'

# --from a snapshot taken while it failed; live, it would succeed now
"$IPCTUNE" snapshot >"$TMPD/snap.json"
ipc_reset
explains "live, after the arrays were removed" succeeds_now \
    not_reproduced '^this call would succeed now' "$L"
explains "--from the snapshot" reproduced semmni '1 of 1 semaphore arrays' \
    "$L" --from "$TMPD/snap.json"
explains "a success, live" succeeded ok 'would succeed now' \
    'semget(IPC_PRIVATE, 1, IPC_CREAT|0600) = 3'

# the other limits
sysctl_set shmmni 1
"$FAIL" shmget 4096 >/dev/null
trace shmmni shmget 4096
explains "SHMMNI" reproduced shmmni '1 of 1 .*FIX raise kernel.shmmni to 2' \
    "$(failing shmmni)"
ipc_reset
sysctl_set msgmni 1
"$FAIL" msgget >/dev/null
trace msgmni msgget
explains "MSGMNI" reproduced msgmni '1 of 1 .*FIX raise kernel.msgmni to 2' \
    "$(failing msgmni)"
ipc_reset
sysctl_set shmall 2
trace shmall shmget 16384
explains "SHMALL" reproduced shmall '0 of 2 pages.*needs 4 more' \
    "$(failing shmall)"
ipc_reset
sysctl_set shmmax 4096
trace shmmax shmget 8192
explains "SHMMAX (EINVAL)" reproduced shmmax '8192.*4096' "$(failing shmmax)"
ipc_reset
sysctl_set msgmax 100
trace msgmax msgsnd 200
explains "MSGMAX (EINVAL)" reproduced msgmax '200.*100' "$(failing msgmax)"
ipc_reset
sysctl_set sem "10 32000 32 128"
trace semmsl semget 20
explains "SEMMSL (EINVAL)" reproduced semmsl '20.*10' "$(failing semmsl)"
trace semopm semop 600
explains "SEMOPM (E2BIG)" reproduced semopm '600.*32' "$(failing semopm)"
ipc_reset

# keys: ENOENT, EEXIST, and EACCES as another user
trace enoent semkey 0x99
explains "ENOENT without IPC_CREAT" reproduced key_missing \
    'key 0x00000099' "$(failing enoent)"
"$FAIL" semmk 0x77 >/dev/null
trace eexist semexcl 0x77
explains "EEXIST with IPC_EXCL" reproduced key_exists 'key 0x00000077' \
    "$(failing eexist)"
ASAN_OPTIONS="$NOLEAK" strace -f -e trace=%ipc -o "$TMPD/eacces.st" \
    setpriv --reuid=65534 \
    --regid=65534 --clear-groups "$FAIL" semkey 0x77 >/dev/null 2>&1
explains "EACCES as another user" reproduced key_permission '0600' \
    "$(failing eacces)" --uid 65534 --gid 65534
explains "an errno not replayed (EIDRM)" explained removed 'removed' "" \
    --call semop --id 3 --nsops 1 --errno EIDRM
ipc_reset

# strace -f splits a semop that waits: its two lines are joined
trace eidrm eidrm
expect_match "strace split the waiting call" '<\.\.\. semtimedop resumed>' \
    "$TMPD/eidrm.st"
expect_status "the split call explained" 0 "$IPCTUNE" explain --skip-other \
    --format json --file "$TMPD/eidrm.st"
expect_eq "... joined: EIDRM, removed, on the array" \
    "semtimedop EIDRM explained removed 1" \
    "$(jget '.calls[] | select(.failed) | "\(.call) \(.error) \(.verdict) \(.cause.code) \(.args.nsops)"' "$TMPD/out")"
grep -v resumed "$TMPD/eidrm.st" >"$TMPD/unfinished.st"
expect_status "a call that never resumes: exit 2" 2 "$IPCTUNE" explain \
    --file "$TMPD/unfinished.st"
expect_match "... named" '^ipctune: line 2: column [0-9]+: the call is unfinished' \
    "$TMPD/err"
ipc_reset

# perf trace --failure, with tracefs mounted in this mount namespace only
sysctl_set sem "250 32000 32 1"
"$FAIL" semget 1 >/dev/null
if mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null &&
    perf trace --failure -e semget -o "$TMPD/perf.txt" "$FAIL" semget 1 \
    >/dev/null 2>&1 && grep -q ENOSPC "$TMPD/perf.txt"; then
	explains "perf trace --failure" reproduced semmni \
	    '1 of 1 semaphore arrays' "$(grep ENOSPC "$TMPD/perf.txt")"
	expect_eq "perf: source and command" "perf ipcfail" \
	    "$(jget '.calls[0] | .source + " " + .comm' "$TMPD/e.json")"
else
	ok "SKIP: perf trace does not run here: $(head -2 "$TMPD/perf.txt")"
fi
umount /sys/kernel/tracing 2>/dev/null
ipc_reset

# POSIX queues: mq_open and mq_timedsend failures provoked under strace
# -f in this namespace's own mqueue fs, explained with posixfit's words
# as watch gives them.  Root's CAP_SYS_RESOURCE passes queues_max and
# msg_max (ipc/mqueue.c), so those callers drop it.
mkdir -p /dev/mqueue && mount -t mqueue none /dev/mqueue ||
    fail "mount an mqueue fs"
PX=$BUILD/tests/posixipc
NORES="--inh-caps=-sys_resource --bounding-set=-sys_resource"
# mqtrace NAME [STRACE-OPTION...] -- CMD...: CMD under strace -f
mqtrace() {
	n=$1
	so=
	shift
	while [ "$1" != -- ]; do so="$so $1"; shift; done
	shift
	# shellcheck disable=SC2086
	ASAN_OPTIONS="$NOLEAK" strace -f $so -e trace=mq_open,mq_timedsend \
	    -o "$TMPD/$n.st" "$@" >"$TMPD/$n.out" 2>&1
}
echo 2 >/proc/sys/fs/mqueue/queues_max
mqtrace qmax -- setpriv $NORES "$PX" mq q 4 64 3
L=$(failing qmax)
expect_match "strace printed mq_open's ENOSPC" \
    '^[0-9]+ +mq_open\("q\.2", O_RDWR\|O_CREAT\|O_EXCL, 0600, \{mq_flags=0, mq_maxmsg=4, mq_msgsize=64, mq_curmsgs=0\}\) += -1 ENOSPC' \
    "$TMPD/qmax.st"
explains "mq_open ENOSPC" reproduced mqueue_queues_max \
    '^mq_open ENOSPC: this IPC namespace holds 2 queues and fs.mqueue.queues_max is 2 .* FIX .*queues_max' \
    "$L"
expect_eq "mq_open ENOSPC: name and attr read" '"q.2" 4 64 false' \
    "$(jget '.calls[0] | "\(.args.name|tojson) \(.mq.attr.mq_maxmsg) \(.mq.attr.mq_msgsize) \(.mq.attr_null)"' "$TMPD/e.json")"
check "mq_open ENOSPC: the document validates" validate \
    "$SCHEMAS/explain-1.json" "$TMPD/e.json"
expect_status "mq_open: the text form" 0 "$IPCTUNE" explain "$L"
expect_match "mq_open: the text form names the queue and its attr" \
    '^pid [0-9]+ mq_open\(name=q\.2, oflag=O_RDWR\|O_CREAT\|O_EXCL, mode=0600, attr=\{mq_maxmsg=4, mq_msgsize=64\}\) = -1 ENOSPC$' \
    "$TMPD/out"
for x in raw verbose; do
	mqtrace "q$x" -X $x -- setpriv $NORES "$PX" mq "$x" 4 64 1
	explains "strace -X $x: mq_open ENOSPC" reproduced mqueue_queues_max \
	    'holds 2 queues' "$(failing "q$x")"
done
expect_match "-X verbose: the number and its words" \
    '0xc2 /\* O_RDWR\|O_CREAT\|O_EXCL \*/' "$TMPD/qverbose.st"
echo 256 >/proc/sys/fs/mqueue/queues_max
explains "mq_open ENOSPC, queues_max raised since" succeeds_now \
    not_reproduced '^this call would succeed now' "$L"
mqtrace mqmax -- setpriv $NORES "$PX" mq i 11 64 1
explains "mq_open EINVAL above msg_max" reproduced mqueue_msg_max \
    'mq_maxmsg 11 is above fs.mqueue.msg_max 10.* FIX raise fs.mqueue.msg_max to at least 11' \
    "$(failing mqmax)"
mqtrace mqsize -- setpriv $NORES "$PX" mq s 4 9000 1
explains "mq_open EINVAL above msgsize_max" reproduced mqueue_msgsize_max \
    'mq_msgsize 9000 is above fs.mqueue.msgsize_max 8192' \
    "$(failing mqsize)"
mqtrace mqneg -- "$PX" mq z -1 64 1
explains "mq_open EINVAL, mq_maxmsg -1" reproduced mqueue_attr_zero \
    'must both be above 0.* FIX give mq_maxmsg and mq_msgsize of at least 1' \
    "$(failing mqneg)"
mqtrace mqzero -- "$PX" mq y 4 0 1
explains "mq_open EINVAL, mq_msgsize 0" reproduced mqueue_attr_zero \
    'must both be above 0' "$(failing mqzero)"
mqtrace rlim -- prlimit --msgqueue=1000 "$PX" mq r 10 8192 1
expect_match "strace printed mq_open's EMFILE" ' = -1 EMFILE' "$TMPD/rlim.st"
XPRE="prlimit --msgqueue=1000"
explains "mq_open EMFILE under the same RLIMIT_MSGQUEUE" reproduced \
    mqueue_rlimit 'mq_open EMFILE: each queue charges .* > RLIMIT_MSGQUEUE 1000.* FIX .*ulimit -q .*LimitMSGQUEUE=' \
    "$(failing rlim)"
mqtrace rlimnull -- prlimit --msgqueue=1000 "$PX" mq rn 0 0 1
expect_match "strace printed attr NULL" \
    'mq_open\("rn\.0", O_RDWR\|O_CREAT\|O_EXCL, 0600, NULL\) += -1 EMFILE' \
    "$TMPD/rlimnull.st"
explains "mq_open EMFILE, attr NULL: the defaults charged" reproduced \
    mqueue_rlimit '10 \* 8192 .* > RLIMIT_MSGQUEUE 1000' \
    "$(failing rlimnull)"
expect_eq "attr NULL in JSON" "null true" \
    "$(jget '.calls[0].mq | "\(.attr) \(.attr_null)"' "$TMPD/e.json")"
XPRE=
explains "mq_open EMFILE, ipctune's own limit is larger" succeeds_now \
    not_reproduced 'would succeed now' "$(failing rlim)"
hold prlimit --msgqueue=1000
explains "mq_open EMFILE, the limit of the --caller process" reproduced \
    mqueue_rlimit '> RLIMIT_MSGQUEUE 1000' "$(failing rlim)" --caller $HELD
kill $HELD
wait $HELD 2>/dev/null
mqtrace enoent -- "$PX" open /nosuch
expect_match "strace prints mq_open without O_CREAT with two arguments" \
    '^[0-9]+ +mq_open\("nosuch", O_RDWR\) += -1 ENOENT' "$TMPD/enoent.st"
explains "mq_open ENOENT: not a limit" explained not_found \
    'no queue has the name, and O_CREAT was not given; queue nosuch' \
    "$(failing enoent)"
expect_eq "ENOENT: no limit" false "$(jget '.calls[0].cause.limit' \
    "$TMPD/e.json")"
"$PX" mq a 4 64 1 >/dev/null
mqtrace eexist -- "$PX" mq a 4 64 1
explains "mq_open EEXIST: not a limit" explained exists \
    'a queue has the name.*queue a\.0' "$(failing eexist)"
mqtrace eacces -- setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$PX" open /a.0
explains "mq_open EACCES as another user: not a limit" explained \
    permission 'queue a\.0; caller uid 65534 gid 65534' \
    "$(failing eacces)" --uid 65534 --gid 65534
hold setpriv --reuid=65534 --regid=65534 --clear-groups
explains "mq_open EACCES, the ids of the --caller process" explained \
    permission 'caller uid 65534 gid 65534' "$(failing eacces)" \
    --caller $HELD
"$IPCTUNE" explain --caller $HELD --uid 0 "$(failing eacces)" \
    >/dev/null 2>"$TMPD/e.err"
expect_eq "--caller with --uid: exit 2" 2 $?
expect_match "--caller with --uid: why" 'excludes --uid' "$TMPD/e.err"
kill $HELD
wait $HELD 2>/dev/null
"$IPCTUNE" explain --caller $HELD "$(failing eacces)" >/dev/null \
    2>"$TMPD/e.err"
expect_eq "--caller of a process gone: exit 1" 1 $?
expect_match "--caller of a process gone: which file" \
    "cannot read '/proc/$HELD/status'" "$TMPD/e.err"

# mq_timedsend: the queue strace -y names, its attributes read now
mqtrace full -y -- "$PX" send /f 2 64 16 3
L=$(failing full)
expect_match "strace -y printed the queue of mq_timedsend's EAGAIN" \
    '^[0-9]+ +mq_timedsend\(3</f>, "\\0.*", 16, 0, NULL\) += -1 EAGAIN' \
    "$TMPD/full.st"
explains "mq_timedsend EAGAIN: a full queue" reproduced queue_full \
    'the queue is full .*; it holds 2 of 2 messages' "$L"
expect_eq "EAGAIN: the queue read" '"f" {"mq_maxmsg":2,"mq_msgsize":64,"mq_curmsgs":2}' \
    "$(jq -c '.calls[0].mq | .queue_name, .queue' "$TMPD/e.json" | paste -sd' ')"
check "mq_timedsend: the document validates" validate \
    "$SCHEMAS/explain-1.json" "$TMPD/e.json"
mqtrace full2 -- "$PX" send /g 2 64 16 3
explains "mq_timedsend EAGAIN without -y" explained queue_full \
    "the queue's attributes are unknown" "$(failing full2)"
mqtrace size -y -- "$PX" send /m 2 64 100 1
explains "mq_timedsend EMSGSIZE" reproduced msg_size \
    'msg_len is above .*; msg_len 100 > mq_msgsize 64' "$(failing size)"
mqtrace tout -y -- "$PX" tsend /t 2 64 16 3
expect_match "strace printed the timeout" \
    'mq_timedsend\(3</t>, .*, 16, 0, \{tv_sec=[0-9]+, tv_nsec=[0-9]+\}\) += -1 ETIMEDOUT' \
    "$TMPD/tout.st"
explains "mq_timedsend ETIMEDOUT" reproduced timed_out \
    'stayed full until the call.s timeout' "$(failing tout)"
explains "--call mq_timedsend on the full queue" reproduced queue_full \
    'it holds 2 of 2' "" --call mq_timedsend --id 3 --queue f \
    --msg-len 16 --errno EAGAIN
explains "--call mq_timedsend: an empty queue succeeds now" succeeds_now \
    not_reproduced 'would succeed now' "" --call mq_timedsend --id 3 \
    --queue m --msg-len 10 --errno EAGAIN
explains "--call mq_open" reproduced mqueue_msg_max \
    'mq_maxmsg 11 is above fs.mqueue.msg_max 10' "" --call mq_open \
    --name 'x"y' --flags 'O_RDWR|O_CREAT' --mode 0600 --maxmsg 11 \
    --msgsize 64 --errno EINVAL
expect_eq "--call mq_open: the name" 'x"y' "$(jget '.calls[0].args.name' \
    "$TMPD/e.json")"

# perf trace: the name and attr are pointers it does not read
echo "$(ls /dev/mqueue | wc -l)" >/proc/sys/fs/mqueue/queues_max
if mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null &&
    perf trace --failure -e mq_open -o "$TMPD/perfmq.txt" \
    setpriv $NORES "$PX" mq p 4 64 1 >/dev/null 2>&1 &&
    grep -q ENOSPC "$TMPD/perfmq.txt"; then
	explains "perf trace: mq_open ENOSPC" reproduced mqueue_queues_max \
	    'fs.mqueue.queues_max is' "$(grep ENOSPC "$TMPD/perfmq.txt")"
else
	ok "SKIP: perf trace does not run here: $(head -2 "$TMPD/perfmq.txt")"
fi
umount /sys/kernel/tracing 2>/dev/null
echo 256 >/proc/sys/fs/mqueue/queues_max

# hostile lines: each a clear error naming its column, exit 2, nothing
# run, control characters escaped
hostile() {
	d=$1
	"$IPCTUNE" explain --file "$TMPD/h.txt" >"$TMPD/h.out" 2>"$TMPD/h.err"
	rc=$?
	if [ $rc -eq 2 ] && [ ! -s "$TMPD/h.out" ] &&
	    grep -Eq '^ipctune: line 1: column [0-9]+: [a-z'"'"']' \
	    "$TMPD/h.err" && ! grep -q "$(printf '\033')" "$TMPD/h.err" &&
	    [ ! -e "$TMPD/pwned" ]; then
		ok "hostile: $d"
	else
		fail "hostile: $d (exit $rc): $(head -c 300 "$TMPD/h.err")"
	fi
}
while IFS= read -r l; do
	printf '%s\n' "$l" >"$TMPD/h.txt"
	hostile "$l"
done <<'LINES'
$(touch pwned)
semget(`touch pwned`, 1, 0) = 0
semget(IPC_PRIVATE, 1, 0) = -1 ENOSPC (x); touch pwned
semget(IPC_PRIVATE, 1, 0) = 0 && touch pwned
semget(IPC_PRIVATE, 1, 0|$(touch pwned)) = 0
semget(IPC_PRIVATE, 1, IPC_CREAT|0600) = -1 ENOSPC (No space
semget(IPC_PRIVATE, 1, IPC_CREAT|0600
semget(IPC_PRIVATE, -5, 0) = -1 EINVAL (Invalid argument)
semget(IPC_PRIVATE, 1, 0, 4) = 0
semget(IPC_PRIVATE, 99999999999999999999999, 0) = 0
semget(0x1ffffffff, 1, 0) = 0
semget(IPC_PRIVATE, 1, IPC_CREATE) = 0
semget(IPC_PRIVATE, 1, 0) = -1 enospc
semget(IPC_PRIVATE, 1, 0) = ?
semop(3, [{sem_num=0, sem_op=-1, sem_flg=0}], 1 <unfinished ...>
<... semop resumed>) = 0
[pid 12] semop(3, [{sem_num=0, sem_op=-1, sem_flg=0}, 1) = 0
semctl(0, 0, IPC_RMID) = 0
%s%n%x%p(%s) = -1 E%n
     0.000 ( 0.041 ms): x/0 semget(nsems: 1, bogus: 2) = 0
     0.000 ( 0.041 ms): semget(nsems: 1) = 0
mq_open("q", O_RDWR|O_CREAT, 0600) = 3
mq_open("q", O_RDWR, 0600, NULL) = 3
mq_open("q", IPC_CREAT|O_RDWR, 0600, NULL) = 3
mq_open("q", O_RDWR|O_CREATE, 0600, NULL) = 3
mq_open("q", 0xc2 /* O_RDWR|O_CREAT */, 0600, NULL) = 3
mq_open("q", 0xc2 /* O_RDWR|O_CREAT|O_EXCL, 0600, NULL) = 3
mq_open(q, O_RDWR) = 3
mq_open("q\z", O_RDWR) = 3
mq_open("q\x4", O_RDWR) = 3
mq_open("q"..., O_RDWR) = 3
mq_open("q" "r", O_RDWR) = 3
mq_open("q", O_RDWR|O_CREAT, 0999, NULL) = 3
mq_open("q", O_RDWR|O_CREAT, 0600, {mq_flags=0, mq_maxmsg=10}) = 3
mq_open("q", O_RDWR|O_CREAT, 0600, {mq_flags=0, mq_maxmsg=10, mq_msgsize=8192, mq_curmsgs=0, x=1}) = 3
mq_open("q", O_RDWR|O_CREAT, 0600, {mq_maxmsg=10, mq_flags=0, mq_msgsize=8192, mq_curmsgs=0}) = 3
mq_open("q", O_RDWR|O_CREAT, 0600, {mq_flags=0, mq_maxmsg=99999999999999999999, mq_msgsize=1, mq_curmsgs=0}) = 3
mq_open("q", O_RDWR|O_CREAT, 0600, {mq_flags=IPC_NOWAIT, mq_maxmsg=1, mq_msgsize=1, mq_curmsgs=0}) = 3
mq_open("q", O_RDWR|O_CREAT, 0600, nil) = 3
mq_open("q", O_RDWR) = 3</q
mq_open("q", O_RDWR) = 3 </q>
semget(IPC_PRIVATE, 1, O_CREAT|0600) = 3
mq_timedsend(3, "x", 1, 0) = 0
mq_timedsend(3, "x", 1, 0, NULL, 5) = 0
mq_timedsend(3</q, "x", 1, 0, NULL) = 0
mq_timedsend(3<$(touch pwned)>x, "x", 1, 0, NULL) = 0
mq_timedsend(3, x, 1, 0, NULL) = 0
mq_timedsend(3, "x"...., 1, 0, NULL) = 0
mq_timedsend(3, "x", -1, 0, NULL) = 0
mq_timedsend(3, "x", 1, -2, NULL) = 0
mq_timedsend(3, "x", 1, 0, {tv_sec=1}) = -1 ETIMEDOUT
mq_timedsend(3, "x", 1, 0, {tv_nsec=1, tv_sec=1}) = -1 ETIMEDOUT
mq_timedsend(3</q>, "x", 1, 0, NULL) = 3</q>
     0.000 ( 0.041 ms): x/1 mq_open(u_name: 0x1, oflag: 2, mode: IRUSR|IBOGUS) = 3
     0.000 ( 0.041 ms): x/1 mq_open(u_name: "q", oflag: 2) = 3
     0.000 ( 0.041 ms): x/1 mq_timedsend(mqdes: 3, msg_len: 1, bogus: 0x1) = 0
LINES
printf 'semget(IPC_PRIVATE, 1, \033[31mIPC_CREAT\033[0m) = 0\n' >"$TMPD/h.txt"
hostile "escape sequences"
printf 'semget(IPC_PRIVATE, 1, 0) = 0\000; touch pwned\n' >"$TMPD/h.txt"
hostile "a NUL byte"
printf 'semget(IPC_PRIVATE, 1, 0) = 0\r\rtouch pwned\n' >"$TMPD/h.txt"
hostile "carriage returns"
head -c 70000 /dev/zero | tr '\0' 'a' >"$TMPD/h.txt"
hostile "a line of 70000 bytes"
{ printf 'semget(IPC_PRIVATE, 1, 0) = -1 ENOSPC ('
  head -c 70000 /dev/zero | tr '\0' 'x'; printf ')\n'; } >"$TMPD/h.txt"
hostile "a call line of 70000 bytes"
printf 'semget(IPC_PRIVATE, 1, %s0) = 0\n' "$(printf '(%.0s' $(seq 100))" \
    >"$TMPD/h.txt"
hostile "100 open parentheses"
printf 'mq_open("%s", O_RDWR) = 3\n' "$(head -c 256 /dev/zero | tr '\0' q)" \
    >"$TMPD/h.txt"
hostile "an mq_open name of 256 bytes"
printf 'mq_open("q\\000r", O_RDWR) = 3\n' >"$TMPD/h.txt"
hostile "an mq_open name with a NUL byte"
printf 'mq_open("q\033[31m", O_RDWR) = 3\n' >"$TMPD/h.txt"
hostile "an mq_open name with an escape sequence, not quoted"
expect_status "an empty LINE" 2 "$IPCTUNE" explain ""
expect_match "... says what it expected" '^ipctune: column 1: expected a system call' \
    "$TMPD/err"

# the fuzz corpus of the line parser: explained, or refused with a column
for f in "$TOP"/tests/fuzz/corpus/calltext/*; do
	"$IPCTUNE" explain --file "$f" >"$TMPD/c.out" 2>"$TMPD/c.err"
	rc=$?
	if [ $rc -eq 0 ] || { [ $rc -eq 2 ] &&
	    grep -Eq '^ipctune: line [0-9]+: column [0-9]+: ' "$TMPD/c.err"; }
	then
		ok "corpus ${f##*/}: exit $rc"
	else
		fail "corpus ${f##*/}: exit $rc: $(head -3 "$TMPD/c.err")"
	fi
done

# hostile options
for a in "--call semget --flags IPC_CREAT|\$(touch pwned)" \
    "--call semget --key x;y" "--call semget --errno ENOSPC;id" \
    "--call semget --nsems -1" "--call semget --size 5" "--call nosuch" \
    "--call semop --nsops 1" "--call semget --nsems 1 LINE" \
    "--file - --call semget" "--errno ENOSPC" "LINE1 LINE2" \
    "--call mq_open --maxmsg 1,x=2" "--call mq_open --key 5" \
    "--call mq_open --flags IPC_CREAT" "--call mq_timedsend --msg-len 1" \
    "--call mq_timedsend --id 3 --queue a/b" \
    "--call mq_timedsend --id 3 --queue a>b" \
    "--call mq_timedsend --id 3 --msgsz 1" "--call semget --name q" \
    "--call mq_open --flags O_RDWR|O_CREAT --mode 0999" \
    "--call mq_open --flags O_RDWR --maxmsg 4"; do
	# shellcheck disable=SC2086
	expect_status "explain $a: exit 2" 2 "$IPCTUNE" explain $a
done
[ ! -e "$TMPD/pwned" ] && ok "nothing was run" || fail "something ran"
expect_status "--file of a directory: exit 1" 1 "$IPCTUNE" explain \
    --file "$TMPD"
finish
