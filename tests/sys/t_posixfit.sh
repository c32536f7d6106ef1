#!/bin/sh
# POSIX limits on the real kernel, in private IPC, mount and PID
# namespaces with their own 64 MiB tmpfs at /dev/shm and their own mqueue
# fs: status names a full /dev/shm (a worker growing a mapped file dies
# of SIGBUS), and fit predicts ENOSPC (queues_max), EINVAL (msg_max) and
# EMFILE (RLIMIT_MSGQUEUE, as nobody) before the real call fails the
# same way.
. "$(dirname "$0")/lib.sh"
enter_private_ns pid

P=$BUILD/tests/posixipc
export IPCTUNE_STATE_DIR="$TMPD/state"
mkdir -p "$IPCTUNE_STATE_DIR"
mount -t tmpfs -o size=64m tmpfs /dev/shm || { fail "mount tmpfs"; finish; exit; }
mkdir -p /dev/mqueue
mount -t mqueue mqueue /dev/mqueue || { fail "mount mqueue"; finish; exit; }
chmod 1777 /dev/shm
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

# 1. a full /dev/shm: 62 MiB used, a 16 MiB file does not fit
head -c $((62 * 1048576)) /dev/zero >/dev/shm/PostgreSQL.101
"$IPCTUNE" status >"$TMPD/st.out" 2>&1
if grep -q '^warning: /dev/shm is 97% full: 62.0 of 64.0 MiB used.*SIGBUS' \
    "$TMPD/st.out"; then ok "status: /dev/shm 97% full, in words"
else fail "status: no /dev/shm finding"; cat "$TMPD/st.out"; fi
grep -q '^dev_shm_inodes .* /dev/shm$' "$TMPD/st.out" &&
    ok "status: dev_shm_inodes row names the filesystem" ||
    fail "status: dev_shm_inodes row"
"$IPCTUNE" fit --posix-shm-size 16M >"$TMPD/f1.out" 2>&1
rc=$?
expect_eq "fit --posix-shm-size 16M: exit 4" 4 "$rc"
grep -q '^shm_open .* ENOSPC *size$' "$TMPD/f1.out" &&
    ok "fit: shm_open row ENOSPC" || { fail "fit: shm_open row"; cat "$TMPD/f1.out"; }
grep -q '65011712 + 16777216 = 81788928 > 67108864' "$TMPD/f1.out" &&
    ok "fit: the tmpfs arithmetic" || fail "fit: the tmpfs arithmetic"
grep -q 'remount,size=79872k /dev/shm.*--shm-size=78m' "$TMPD/f1.out" &&
    ok "fit: the fix (remount size, --shm-size)" || fail "fit: the fix"
# the real thing: a worker growing a mapped 16 MiB file dies of SIGBUS
# (a sanitizer build of the worker must let the signal kill it)
( ASAN_OPTIONS="${ASAN_OPTIONS:-}:handle_sigbus=0" \
    "$P" grow /dev/shm/torch_4242_1 16777216 >"$TMPD/grow.out" 2>&1 )
rc=$?
expect_eq "worker touching the mapped file dies of SIGBUS" \
    $((128 + 7)) "$rc"
"$P" fallocate /dev/shm/PostgreSQL.104 16777216 >"$TMPD/fa.out" 2>&1
expect_eq "posix_fallocate 16M: ENOSPC, as predicted" "fail ENOSPC" \
    "$(cat "$TMPD/fa.out")"
rm -f /dev/shm/*
"$IPCTUNE" fit --posix-shm-size 16M >"$TMPD/f2.out" 2>&1
expect_eq "fit 16M on an empty /dev/shm: exit 0" 0 "$?"
"$P" fallocate /dev/shm/ok 16777216 >"$TMPD/fa2.out" 2>&1
expect_eq "and the kernel agrees" "ok" "$(cat "$TMPD/fa2.out")"
rm -f /dev/shm/ok

# 2. queues_max exhausted: ENOSPC at the 3rd of 4 (root here has no
# CAP_SYS_RESOURCE; run as nobody so that holds everywhere)
echo 2 >/proc/sys/fs/mqueue/queues_max
$NOBODY "$IPCTUNE" fit --mq-count 4 --format json >"$TMPD/q.json" 2>"$TMPD/q.err"
expect_eq "fit --mq-count 4 with queues_max 2: exit 4" 4 "$?"
got=$(python3 -c 'import json,sys
c=[x for x in json.load(open(sys.argv[1]))["calls"] if x["call"]=="mq_open"][0]
print(c["errno"], c["succeeded"], c["cause"], c["fixes"][0]["needed"])' "$TMPD/q.json")
expect_eq "fit predicts ENOSPC after 2 queues, fix 4" \
    "ENOSPC 2 mqueue_queues_max 4" "$got"
expect_eq "mq_open agrees: ENOSPC after 2" "fail 2 ENOSPC" \
    "$($NOBODY "$P" mq q 0 0 4)"
rm -f /dev/mqueue/*
echo 256 >/proc/sys/fs/mqueue/queues_max

# 3. mq_maxmsg above fs.mqueue.msg_max: EINVAL
echo 10 >/proc/sys/fs/mqueue/msg_max
$NOBODY "$IPCTUNE" fit --mq-maxmsg 11 --mq-msgsize 128 >"$TMPD/m.out" 2>&1
expect_eq "fit --mq-maxmsg 11 with msg_max 10: exit 4" 4 "$?"
grep -q 'mq_maxmsg 11 is above fs.mqueue.msg_max 10' "$TMPD/m.out" &&
    ok "fit names msg_max" || { fail "fit names msg_max"; cat "$TMPD/m.out"; }
grep -q 'sysctl -w fs.mqueue.msg_max=11' "$TMPD/m.out" &&
    ok "fit: the msg_max fix" || fail "fit: the msg_max fix"
expect_eq "mq_open agrees: EINVAL" "fail 0 EINVAL" \
    "$($NOBODY "$P" mq m 11 128 1)"
$NOBODY "$IPCTUNE" fit --mq-maxmsg 10 --mq-msgsize 8192 >/dev/null 2>&1
expect_eq "fit --mq-maxmsg 10 --mq-msgsize 8192: fits" 0 "$?"

# 4. RLIMIT_MSGQUEUE: nobody with 10000 bytes holds one queue of
# 10 x 200 (2960 bytes charged); two more fit, the 3rd gives EMFILE
LIM="prlimit --msgqueue=10000"
$NOBODY $LIM "$P" mq r0 10 200 1 >/dev/null
$NOBODY $LIM "$IPCTUNE" fit --mq-maxmsg 10 --mq-msgsize 200 \
    --mq-count 3 >"$TMPD/r.out" 2>&1
expect_eq "fit 3 more queues of 10 x 200 under 10000 bytes: exit 4" 4 "$?"
grep -q '^mq_open .* 2 of 3 EMFILE RLIMIT_MSGQUEUE$' "$TMPD/r.out" &&
    ok "fit: EMFILE at the 3rd" || { fail "fit: EMFILE row"; cat "$TMPD/r.out"; }
grep -q '10 \* 200 + (10 \* 48 + min(10, 32768) \* 48) = 2960 bytes; uid 65534 is charged 8880 bytes by then, and 8880 + 2960 > RLIMIT_MSGQUEUE 10000' \
    "$TMPD/r.out" && ok "fit: the RLIMIT_MSGQUEUE arithmetic" ||
    fail "fit: the RLIMIT_MSGQUEUE arithmetic"
grep -q 'ulimit -q 11840.*LimitMSGQUEUE=11840' "$TMPD/r.out" &&
    ok "fit: the fix (ulimit -q, LimitMSGQUEUE=)" || fail "fit: the EMFILE fix"
expect_eq "mq_open agrees: EMFILE after 2" "fail 2 EMFILE" \
    "$($NOBODY $LIM "$P" mq r1 10 200 3)"
# the exact boundary: the overhead is 96 bytes per message here
rm -f /dev/mqueue/*
expect_eq "one queue of 10 x 200 under 2959 bytes: EMFILE" "fail 0 EMFILE" \
    "$($NOBODY prlimit --msgqueue=2959 "$P" mq e 10 200 1)"
$NOBODY prlimit --msgqueue=2960 "$IPCTUNE" fit --mq-maxmsg 10 \
    --mq-msgsize 200 >/dev/null 2>&1
expect_eq "fit says 2960 bytes are enough" 0 "$?"
expect_eq "and the kernel agrees" "ok 1" \
    "$($NOBODY prlimit --msgqueue=2960 "$P" mq e 10 200 1)"
# status shows the caller's charge
$NOBODY prlimit --msgqueue=2960 "$IPCTUNE" status >"$TMPD/st2.out" 2>&1
grep -q '^mqueue_bytes .* 100.0% .*uid 65534' "$TMPD/st2.out" &&
    ok "status: mqueue_bytes 100% for uid 65534" ||
    { fail "status: mqueue_bytes row"; grep mqueue "$TMPD/st2.out"; }
grep -q '^critical: uid 65534 (the caller) .*fails with EMFILE' \
    "$TMPD/st2.out" && ok "status: EMFILE finding in words" ||
    fail "status: EMFILE finding"

# 5. --pid: the target's own /dev/shm and IPC namespace, never ours
rm -f /dev/mqueue/*
unshare --ipc --mount --propagation private sh -c "mount -t tmpfs -o \
    size=8m tmpfs /dev/shm && head -c 7340032 /dev/zero >/dev/shm/f && \
    '$P' mq x 5 100 2 >/dev/null && exec sleep 30" &
tpid=$!
i=0
# unshare execs sh, which execs sleep once all is made: same PID
while [ $i -lt 600 ] && [ "$(head -c 5 "/proc/$tpid/cmdline" 2>/dev/null)" != sleep ]
do sleep 0.1; i=$((i + 1)); done
"$IPCTUNE" status --pid "$tpid" >"$TMPD/pid.out" 2>&1
grep -q "^dev_shm .* 87.5% bytes .*/proc/$tpid/root/dev/shm$" \
    "$TMPD/pid.out" && ok "--pid: the target's 8 MiB /dev/shm, named" ||
    { fail "--pid: dev_shm row"; grep dev_shm "$TMPD/pid.out"; }
grep -q '^mqueue_queues  *256  *2 ' "$TMPD/pid.out" &&
    ok "--pid: the target's 2 queues" || fail "--pid: queues"
# 2 queues of 5 x 100: 2 * (500 + 5 * 48 + 5 * 48) = 1960 bytes
"$IPCTUNE" status --pid "$tpid" --bytes >"$TMPD/pidb.out" 2>&1
grep -q '^mqueue_bytes  *[0-9]*  *1960 ' "$TMPD/pidb.out" &&
    ok "--pid: the target namespace's queue charge" ||
    { fail "--pid: mqueue_bytes"; grep mqueue_bytes "$TMPD/pidb.out"; }
kill "$tpid" 2>/dev/null
wait "$tpid" 2>/dev/null
finish
