#!/bin/sh
# 'check' and 'status' with POSIX objects, in private IPC, mount and PID
# namespaces with their own small tmpfs at /dev/shm and their own mqueue
# fs: POSIX orphans raise check to WARNING with a count and perfdata and
# become ipctune_orphaned_objects / ipctune_suspect_objects series; a full
# /dev/shm (bytes or inodes) and an exhausted queues_max are judged by
# thresholds and named with their leaked objects; logind's RemoveIPC=yes counts the /dev/shm
# files and queues of users above SYS_UID_MAX.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/posix_lib.sh"
posix_setup 1m
# prom NAME RESOURCE: the value of the series NAME{resource=RESOURCE}
prom() {
	sed -n "s/^$1{resource=\"$2\",[^}]*} //p" "$TMPD/p.prom"
}
# finding CODE RESOURCE: the message of status's finding, or nothing
finding() {
	$IPCTUNE status --pid $$ -J 2>/dev/null | jq -r --arg c "$1" --arg r "$2" \
	    '.findings[] | select(.code == $c and .resource == $r) | .message'
}

# no POSIX object: OK, and no POSIX perfdata
$IPCTUNE check --pid $$ --orphan-min-age 0 >"$TMPD/ck" 2>&1
expect_eq "empty: check OK" 0 $?
check "empty: no POSIX perfdata" sh -c "! grep -q 'orphaned_p' '$TMPD/ck'"
check "empty: System V perfdata as before" grep -q \
    "orphaned_shmmni=0;0;;0;" "$TMPD/ck"


# leaked by a process of uid 1001 that exited (no process of 1001 runs),
# and root's held ones that must not count
mkdir -p "$TMPD"
as 1001 "$PH" shm leak.1 4096 sem leak-sem 0 mq /leak-q 4 64 || exit 1
phold "$TMPD/h1" shm mapped 8192 shmmap /mapped sem held-sem 1 \
    mq /held-q 4 64 || exit 1
$IPCTUNE check --pid $$ >"$TMPD/ck" 2>&1
expect_eq "fresh leaks (suspect, under the grace age): check OK" 0 $?
$IPCTUNE check --pid $$ --orphan-min-age 0 >"$TMPD/ck" 2>&1
expect_eq "leaked POSIX objects: check WARNING" 1 $?
check "check names each POSIX type with its limit" grep -q \
    "^IPC WARNING.*1 orphaned POSIX shared memory object (dev_shm), 1 orphaned POSIX named semaphore (dev_shm), 1 orphaned POSIX message queue (mqueue_queues), see 'ipctune orphans'" \
    "$TMPD/ck"
check "check perfdata per POSIX type" grep -q \
    "orphaned_pshm=1;0;;0; orphaned_psem=1;0;;0; orphaned_pmq=1;0;;0;" \
    "$TMPD/ck"
$IPCTUNE check --pid $$ --orphan-min-age 0 --no-orphans >/dev/null 2>&1
expect_eq "--no-orphans: check OK" 0 $?

# Prometheus: pshm and psem summed under dev_shm, pmq under mqueue_queues
$IPCTUNE status --pid $$ --format prometheus --orphan-min-age 0 >"$TMPD/p.prom"
expect_eq "prometheus: orphaned dev_shm objects" 2 \
    "$(prom ipctune_orphaned_objects dev_shm)"
expect_eq "prometheus: orphaned mqueue_queues objects" 1 \
    "$(prom ipctune_orphaned_objects mqueue_queues)"
expect_eq "prometheus: System V still 0" 0 \
    "$(prom ipctune_orphaned_objects shmmni)"
expect_eq "prometheus: one sample per label set" 0 \
    "$(grep -v '^#' "$TMPD/p.prom" | sed 's/ [^ ]*$//' | sort | uniq -d |
    wc -l)"
$IPCTUNE status --pid $$ --format prometheus >"$TMPD/p.prom"
expect_eq "prometheus: fresh leaks are suspect (dev_shm)" 2 \
    "$(prom ipctune_suspect_objects dev_shm)"
expect_eq "prometheus: fresh leaks are suspect (mqueue_queues)" 1 \
    "$(prom ipctune_suspect_objects mqueue_queues)"
expect_eq "prometheus: fresh leaks not orphaned" 0 \
    "$(prom ipctune_orphaned_objects dev_shm)"

# a full /dev/shm: thresholds, and the leaked files named by status
as 1001 dd if=/dev/zero of=/dev/shm/fill bs=64k count=16 2>/dev/null
$IPCTUNE check --no-orphans >"$TMPD/ck" 2>&1
expect_eq "full /dev/shm: check CRITICAL" 2 $?
check "full /dev/shm: dev_shm named" grep -q "^IPC CRITICAL.*dev_shm" \
    "$TMPD/ck"
finding leaked_objects dev_shm >"$TMPD/f"
check "full /dev/shm: status counts the files with no live user" grep -qF \
    "dev_shm: 2 of the 3 POSIX shared memory objects have no live user (0 orphaned, 2 suspect): ipctune orphans" \
    "$TMPD/f"
rm -f /dev/shm/fill
$IPCTUNE check --no-orphans >/dev/null 2>&1
expect_eq "/dev/shm with room again: check OK" 0 $?

# queues_max exhausted by queues whose maker exited
echo 3 >/proc/sys/fs/mqueue/queues_max
as 1001 "$PH" mq /leak-q2 4 64 || exit 1
expect_eq "queues_max reached: mq_open fails" 1 \
    "$("$PH" mq /one-more 4 64 >/dev/null 2>&1; echo $?)"
$IPCTUNE check --no-orphans >"$TMPD/ck" 2>&1
expect_eq "queues_max reached: check CRITICAL" 2 $?
check "queues_max reached: mqueue_queues named" grep -q \
    "^IPC CRITICAL.*mqueue_queues" "$TMPD/ck"
finding leaked_objects mqueue_queues >"$TMPD/f"
check "queues_max reached: status counts the queues with no live user" \
    grep -qF "mqueue_queues: 2 of the 3 POSIX message queues have no live user (0 orphaned, 2 suspect): ipctune orphans" \
    "$TMPD/f"
echo 256 >/proc/sys/fs/mqueue/queues_max
rm -f /dev/shm/leak.1 /dev/shm/sem.leak-sem /dev/mqueue/leak-q \
    /dev/mqueue/leak-q2

# /dev/shm out of inodes, not of bytes: nine empty files of a process of
# uid 1001 that exited fill a tmpfs of nr_inodes=10 (its root takes one)
mount -t tmpfs -o size=1m,nr_inodes=10,mode=1777 tmpfs /dev/shm ||
    { fail "cannot mount a tmpfs with nr_inodes=10"; exit 1; }
as 1001 "$PH" shm i.1 0 shm i.2 0 shm i.3 0 shm i.4 0 shm i.5 0 \
    shm i.6 0 shm i.7 0 shm i.8 0 shm i.9 0 || exit 1
expect_eq "nr_inodes reached: shm_open fails" 1 \
    "$("$PH" shm one-more 0 >/dev/null 2>&1; echo $?)"
finding leaked_objects dev_shm_inodes >"$TMPD/f"
check "inodes reached: status counts the files with no live user" grep -qF \
    "dev_shm_inodes: 9 of the 9 POSIX shared memory objects have no live user (0 orphaned, 9 suspect): ipctune orphans" \
    "$TMPD/f"
expect_eq "inodes reached, bytes free: no leaked_objects finding for dev_shm" \
    "" "$(finding leaked_objects dev_shm)"
umount /dev/shm

# logind's RemoveIPC=yes counts POSIX objects of users above SYS_UID_MAX
mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /etc/systemd ||
    { fail "cannot mount tmpfs over /run and /etc/systemd"; exit 1; }
mkdir -p /run/systemd/system
printf '[Login]\n' >/etc/systemd/logind.conf
echo "SYS_UID_MAX 999" >"$TMPD/login.defs"
mount --bind "$TMPD/login.defs" /etc/login.defs ||
    { fail "cannot bind login.defs"; exit 1; }
setpriv --reuid 60000 --regid 60000 --clear-groups "$PH" shm pg.1 4096 \
    mq /pg-q 4 64 || exit 1
finding logind_removeipc "" >"$TMPD/f"
[ -s "$TMPD/f" ] || $IPCTUNE status -J 2>/dev/null | jq -r '.findings[] |
    select(.code == "logind_removeipc") | .message' >"$TMPD/f"
check "RemoveIPC=yes: status counts the POSIX objects of uid 60000" grep -qF \
    "2 IPC objects (2 of them POSIX: files in /dev/shm and message queues) belong to users above uid 999 (the first is uid 60000)" \
    "$TMPD/f"
$IPCTUNE check --no-orphans >"$TMPD/ck" 2>&1
expect_eq "RemoveIPC=yes: check WARNING" 1 $?
check "RemoveIPC=yes: check counts them" grep -q \
    "RemoveIPC=yes removes 2 IPC objects of users above uid 999" "$TMPD/ck"
printf '[Login]\nRemoveIPC=no\n' >/etc/systemd/logind.conf
$IPCTUNE check --no-orphans >/dev/null 2>&1
expect_eq "RemoveIPC=no: check OK" 0 $?

for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
finish
