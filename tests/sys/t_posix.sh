#!/bin/sh
# POSIX objects: list pshm, psem and pmq in private IPC, mount and PID
# namespaces with their own 64 MiB tmpfs at /dev/shm and their own
# mqueue fs, compared object by object with ls -l, stat, fuser and
# /proc: objects of processes that exited, of processes that stay and
# map or hold them open, of another user, semaphores left by a killed
# process, names with spaces, newlines and bytes that are not UTF-8, and
# the /dev/shm of another mount namespace through --pid.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/posix_lib.sh"
posix_setup

# objects whose makers exited
"$PH" shm leaked 4096 shm PostgreSQL.1804289383 1048576 \
    sem mp-leak 0 mq /q1 5 100 mqsend /q1 hello mqsend /q1 hi || exit 1
# objects held: mapped and open (one process), mapped only, open only
phold "$TMPD/h1" shm held 65536 shmmap /held shmopen /held \
    sem live 2 mq /q2 4 64 mqnotify /q2 || exit 1
H1=$PHELD
phold "$TMPD/h2" shmmap /held || exit 1
H2=$PHELD
phold "$TMPD/h3" shmopen /leaked || exit 1
H3=$PHELD
# a semaphore left by a process that was killed while holding it
phold "$TMPD/h4" sem zzo-sema-8085 3 || exit 1
kill -9 "$PHELD"
wait "$PHELD" 2>/dev/null
# another user's objects
setpriv --reuid=33 --regid=33 --clear-groups "$PH" shm www-data.1 100 \
    sem www-sem 1 mq /wq 2 32 || exit 1
# hostile names: a space and a newline, a byte that is not UTF-8
odd=$(printf 'sp ace\nnl\377x')
"$PH" shm "$odd" 10 || exit 1
# not objects: a symbolic link (never followed), a directory, a FIFO
ln -s /etc/hostname /dev/shm/link
mkdir /dev/shm/dir
mkfifo /dev/shm/fifo

"$IPCTUNE" list --format json >"$TMPD/all.json"
check "list: JSON of every type parses" jq -e . "$TMPD/all.json"
expect_eq "list pshm: the files of /dev/shm but sem.*, as ls" \
    "$(find /dev/shm -maxdepth 1 -type f ! -name 'sem.*' -printf x | wc -c)" \
    "$(jq '.pshm | length' "$TMPD/all.json")"
expect_eq "list psem: the sem.* files, as ls" \
    "$(find /dev/shm -maxdepth 1 -type f -name 'sem.*' -printf x | wc -c)" \
    "$(jq '.psem | length' "$TMPD/all.json")"
expect_eq "list pmq: the files of the mqueue fs, as ls" \
    "$(ls -A /dev/mqueue | wc -l)" "$(jq '.pmq | length' "$TMPD/all.json")"
# name, owner, size, allocated, inode against stat, object by object
for f in leaked PostgreSQL.1804289383 held www-data.1 sem.mp-leak \
    sem.live sem.zzo-sema-8085 sem.www-sem; do
	case $f in sem.*) t=psem ;; *) t=pshm ;; esac
	want=$(stat -c '%u %U %s %b %B %i %a %Y %Z' "/dev/shm/$f" |
	    awk '{ print $1, $2, $3, $4 * $5, $6, $7, $8, $9 }')
	got=$(jq -r --arg f "$f" ".$t[] | select(.file == \$f) |
	    \"\(.uid) \(.user) \(.size_bytes) \(.allocated_bytes) \(.inode) \
\(.perms | ltrimstr(\"0\")) \(.mtime_unix) \(.ctime_unix)\"" "$TMPD/all.json")
	expect_eq "$t $f: uid, user, size, allocated, inode, mode, times as stat" \
	    "$want" "$got"
done
for q in q1 q2 wq; do
	want=$(stat -c '%u %i %a %Y' "/dev/mqueue/$q")
	got=$(jq -r --arg f "$q" '.pmq[] | select(.file == $f) |
	    "\(.uid) \(.inode) \(.perms | ltrimstr("0")) \(.mtime_unix)"' \
	    "$TMPD/all.json")
	expect_eq "pmq $q: uid, inode, mode, mtime as stat" "$want" "$got"
	want=$(sed 's/  */ /g; s/ $//' "/dev/mqueue/$q")
	got=$(jq -r --arg f "$q" '.pmq[] | select(.file == $f) |
	    "QSIZE:\(.qsize_bytes) NOTIFY:\(.notify) SIGNO:\(.signo) NOTIFY_PID:\(.notify_pid)"' \
	    "$TMPD/all.json")
	expect_eq "pmq $q: QSIZE, NOTIFY, SIGNO, NOTIFY_PID as its file" \
	    "$want" "$got"
done
expect_eq "pmq q1: mq_getattr's maxmsg, msgsize and messages" "5 100 2" \
    "$(jget '.pmq[] | select(.file == "q1") | "\(.maxmsg) \(.msgsize) \(.messages)"' "$TMPD/all.json")"
expect_eq "pmq q2: the notification registered (SIGEV_SIGNAL, SIGUSR1)" \
    "0 10 $H1" \
    "$(jget '.pmq[] | select(.file == "q2") | "\(.notify) \(.signo) \(.notify_pid)"' "$TMPD/all.json")"
expect_eq "pmq: names as mq_open spells them" "/q1 /q2 /wq" \
    "$(jget '[.pmq[].name] | join(" ")' "$TMPD/all.json")"
expect_eq "psem: values (mp-leak 0, live 2, killed holder's 3, www 1)" \
    "/live=2 /mp-leak=0 /www-sem=1 /zzo-sema-8085=3" \
    "$(jget '[.psem[] | "\(.name)=\(.value)"] | join(" ")' "$TMPD/all.json")"
expect_eq "psem and pshm: www-data's objects are uid 33" "33 33 33" \
    "$(jget '[(.pshm[], .psem[], .pmq[]) | select(.uid == 33) | .uid] | join(" ")' "$TMPD/all.json")"

# holders, exactly: fuser's PIDs, and the kind from /proc/PID/maps and fd
holders() { # TYPE FILE: "pid:mapped:open ..." from the inventory
	jq -r --arg f "$2" ".$1[] | select(.file == \$f) |
	    [.holders[] | \"\(.pid):\(.mapped):\(.open)\"] | join(\" \")" \
	    "$TMPD/all.json"
}
procview() { # PATH: the same from /proc, for the processes fuser names
	ino=$(stat -c %i "$1")
	for p in $(fuser "$1" 2>/dev/null); do
		m=false
		o=false
		awk -v i="$ino" '$5 == i' "/proc/$p/maps" | grep -q . && m=true
		for fd in /proc/$p/fd/*; do
			[ "$(stat -L -c %i "$fd" 2>/dev/null)" = "$ino" ] && o=true
		done
		echo "$p:$m:$o"
	done | sort -n | tr '\n' ' ' | sed 's/ $//'
}
expect_eq "pshm held: its holders as fuser and /proc say" \
    "$(procview /dev/shm/held)" "$(holders pshm held)"
expect_eq "pshm held: mapped and open by one, mapped by the other" \
    "$H1:true:true $H2:true:false" "$(holders pshm held)"
expect_eq "pshm leaked: open only, by one process" "$H3:false:true" \
    "$(holders pshm leaked)"
expect_eq "psem live: mapped by its maker (sem_open maps)" "$H1:true:false" \
    "$(holders psem sem.live)"
expect_eq "psem of the killed process: no holder" "" \
    "$(holders psem sem.zzo-sema-8085)"
expect_eq "pmq q2: held open by its maker" "$H1:false:true" \
    "$(holders pmq q2)"
expect_eq "pmq q2: as fuser and /proc say" "$(procview /dev/mqueue/q2)" \
    "$(holders pmq q2)"
expect_eq "holders carry the command name" "posixhelper" \
    "$(jget '[.pshm[] | select(.file == "held") | .holders[].comm] | unique | join(" ")' "$TMPD/all.json")"
expect_eq "no holder is ipctune itself" "0" \
    "$(jget '[(.pshm[], .psem[], .pmq[]) | .holders[] | select(.comm == "ipctune")] | length' "$TMPD/all.json")"
expect_eq "the holder scan saw every process" "true 0" \
    "$(jget '"\(.posix.holder_scan.done) \(.posix.holder_scan.processes_partial)"' "$TMPD/all.json")"

# the filesystem read, and names as they are
expect_eq "list: says which /dev/shm it read (device, size)" \
    "/dev/shm tmpfs $(stat -c %d /dev/shm) 67108864" \
    "$(jget '.posix.dev_shm | "\(.path) \(.fstype) \(.dev) \(.size_bytes)"' "$TMPD/all.json")"
expect_eq "list: a link, a directory and a FIFO are skipped, not followed" \
    "3 0" "$(jget '.posix.dev_shm | "\(.skipped) \(.unreadable)"' "$TMPD/all.json")"
expect_eq "list: its inode limit as statvfs says" \
    "$(stat -f -c %c /dev/shm)" "$(jget '.posix.dev_shm.inodes' "$TMPD/all.json")"
expect_eq "a hostile name is escaped in JSON" 'sp ace\x0anl\xffx' \
    "$(jget '.pshm[] | select(.size_bytes == 10) | .file' "$TMPD/all.json")"
expect_eq "and exact in file_hex" \
    "$(printf '%s' "$odd" | od -An -tx1 | tr -d ' \n')" \
    "$(jget '.pshm[] | select(.size_bytes == 10) | .file_hex' "$TMPD/all.json")"
"$IPCTUNE" list pshm >"$TMPD/tab" 2>&1
check "list pshm: the hostile name is escaped in the table" \
    grep -qF '/sp ace\x0anl\xffx' "$TMPD/tab"
check "list pshm: no raw control byte reaches the terminal" \
    sh -c "! LC_ALL=C grep -q \"\$(printf '\\377')\" '$TMPD/tab'"
check "list pshm: names the filesystem read" \
    grep -q '^read from /dev/shm: tmpfs' "$TMPD/tab"
"$IPCTUNE" list pmq -o NAME,USEDBYTES,MSGS,MAXMSG,MSGSIZE,NOTIFY-PID \
    >"$TMPD/tab" 2>&1
expect_match "list pmq -o: its own columns" "^/q1 +7B +2 +5 +100 +0$" \
    "$TMPD/tab"
expect_status "list pshm -o VALUE: a column of another type is refused" \
    2 "$IPCTUNE" list pshm -o NAME,VALUE
"$IPCTUNE" list --type psem --owner 33 --format json >"$TMPD/f.json"
expect_eq "--type psem --owner 33: the filters apply" "/www-sem" \
    "$(jget '[.psem[].name] | join(" ")' "$TMPD/f.json")"

# reading changes nothing but the queue text's times
before=$(for q in q1 q2; do stat -c '%s %Y' /dev/mqueue/$q; cat /dev/mqueue/$q; done)
sem_before=$(od -An -tx1 /dev/shm/sem.live)
"$IPCTUNE" list >/dev/null 2>&1
expect_eq "list: queues keep their messages and mtime" "$before" \
    "$(for q in q1 q2; do stat -c '%s %Y' /dev/mqueue/$q; cat /dev/mqueue/$q; done)"
expect_eq "list: a semaphore's bytes are unchanged" "$sem_before" \
    "$(od -An -tx1 /dev/shm/sem.live)"

# owners sums them per user
"$IPCTUNE" owners --format json >"$TMPD/o.json"
expect_eq "owners: root's POSIX objects" "4 1118218 3 2" \
    "$(jget '.owners[] | select(.uid == 0) | "\(.pshm_objects) \(.pshm_bytes) \(.psem_semaphores) \(.pmq_queues)"' "$TMPD/o.json")"
expect_eq "owners: www-data's (uid 33)" "1 100 1 1" \
    "$(jget '.owners[] | select(.uid == 33) | "\(.pshm_objects) \(.pshm_bytes) \(.psem_semaphores) \(.pmq_queues)"' "$TMPD/o.json")"
expect_eq "owners: queued bytes summed (QSIZE)" "7" \
    "$(jget '.owners[] | select(.uid == 0) | .pmq_bytes' "$TMPD/o.json")"

# snapshot and --from give the same inventory back
"$IPCTUNE" snapshot >"$TMPD/snap.json"
"$IPCTUNE" list --from "$TMPD/snap.json" --format json >"$TMPD/from.json"
expect_eq "snapshot --from: the same POSIX objects, holders and filesystems" \
    "$(jq -S '{pshm: .objects.pshm, psem: .objects.psem, pmq: .objects.pmq, posix}' "$TMPD/snap.json" | md5sum)" \
    "$(jq -S '{pshm, psem, pmq, posix}' "$TMPD/from.json" | md5sum)"
expect_eq "snapshot: as many POSIX objects as list" "5 4 3" \
    "$(jget '.objects | "\(.pshm | length) \(.psem | length) \(.pmq | length)"' "$TMPD/snap.json")"
"$IPCTUNE" list pshm --from "$TMPD/snap.json" >"$TMPD/tab" 2>&1
check "--from: the hostile name comes back exact (escaped once)" \
    grep -qF '/sp ace\x0anl\xffx' "$TMPD/tab"
jq '.objects.pshm[0].file_hex = "2e2e"' "$TMPD/snap.json" >"$TMPD/bad.json"
expect_status "--from: a name '..' is refused" 1 \
    "$IPCTUNE" list --from "$TMPD/bad.json"
jq '.objects.pshm[0].file_hex = "612f62"' "$TMPD/snap.json" >"$TMPD/bad.json"
expect_status "--from: a name with '/' is refused" 1 \
    "$IPCTUNE" list --from "$TMPD/bad.json"

# a holder in a child PID namespace: found, with the PID ipctune's /proc
# gives it (the helper is PID 1 in its own namespace)
unshare --pid --fork "$PH" shmmap /www-data.1 hold >"$TMPD/h6" 2>&1 &
H6=$!

i=0
while ! grep -q '^ready$' "$TMPD/h6" 2>/dev/null && [ $i -lt 500 ]; do
	i=$((i + 1))
	sleep 0.01
done
inner=$(pgrep -P "$H6" -x posixhelper)
# (unshare --fork ignores SIGTERM, and the helper inside is the init of
# its PID namespace, which only SIGKILL stops)
"$IPCTUNE" list pshm --format json >"$TMPD/pidns.json"
expect_eq "a holder in a child PID namespace, by the PID /proc shows" \
    "$inner:true:false" \
    "$(jget '.pshm[] | select(.file == "www-data.1") | .holders | map("\(.pid):\(.mapped):\(.open)") | join(" ")' "$TMPD/pidns.json")"
kill -9 "$inner"
wait "$H6" 2>/dev/null

# --pid: the /dev/shm of the target's mount namespace, not ours
unshare --mount --propagation private sh -c '
	mount -t tmpfs -o size=1m tmpfs /dev/shm &&
	exec "$0" shm other-ns 7 shmmap /other-ns hold' "$PH" \
	>"$TMPD/h5" 2>&1 &
H5=$!
PIDS="$PIDS $H5"
i=0
while ! grep -q '^ready$' "$TMPD/h5" 2>/dev/null && [ $i -lt 500 ]; do
	i=$((i + 1))
	sleep 0.01
done
"$IPCTUNE" --pid "$H5" list pshm --format json >"$TMPD/pid.json"
expect_eq "--pid: the target's own /dev/shm, and only it" "/other-ns" \
    "$(jget '[.pshm[].name] | join(" ")' "$TMPD/pid.json")"
expect_eq "--pid: says it read /proc/PID/root/dev/shm (1 MiB)" \
    "/proc/$H5/root/dev/shm 1048576" \
    "$(jget '.posix.dev_shm | "\(.path) \(.size_bytes)"' "$TMPD/pid.json")"
expect_eq "--pid: the holder is found there too" "$H5:true:false" \
    "$(jget '.pshm[0].holders | map("\(.pid):\(.mapped):\(.open)") | join(" ")' "$TMPD/pid.json")"
touch "$TMPD/nsf" && mount --bind /proc/self/ns/ipc "$TMPD/nsf"
expect_status "--ns FILE: no /dev/shm of its users to read, said so" 1 \
    "$IPCTUNE" --ns "$TMPD/nsf" list pshm
expect_match "--ns FILE: why" "POSIX shared memory objects not read: --ns" \
    "$TMPD/err"
"$IPCTUNE" --ns "$TMPD/nsf" list >"$TMPD/out" 2>&1
expect_match "--ns FILE: list says it did not read /dev/shm" \
    "^POSIX named semaphores not read: --ns names no process" "$TMPD/out"
expect_match "--ns FILE: but reads the namespace's queues" "^/q1 " \
    "$TMPD/out"
umount "$TMPD/nsf"

for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
finish
