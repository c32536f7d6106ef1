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
# explains DESC VERDICT CODE REGEX LINE [OPTION...]: explain LINE as JSON
# gives VERDICT and cause CODE, with REGEX in its words (cause and fix)
explains() {
	d=$1 v=$2 code=$3 re=$4 line=$5
	shift 5
	if [ -n "$line" ]; then set -- "$@" "$line"; fi
	"$IPCTUNE" explain --format json "$@" >"$TMPD/e.json" 2>"$TMPD/e.err"
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
    "--file - --call semget" "--errno ENOSPC" "LINE1 LINE2"; do
	# shellcheck disable=SC2086
	expect_status "explain $a: exit 2" 2 "$IPCTUNE" explain $a
done
[ ! -e "$TMPD/pwned" ] && ok "nothing was run" || fail "something ran"
expect_status "--file of a directory: exit 1" 1 "$IPCTUNE" explain \
    --file "$TMPD"
finish
