#!/bin/sh
# 'clean' of POSIX objects in private IPC, mount and PID namespaces with
# their own tmpfs at /dev/shm and their own mqueue fs: a dry run removes
# nothing; --yes unlinks orphaned /dev/shm files, sem.NAME files and
# queues and leaves objects in use or too young; between judgement and
# unlink (the shim's "judged" stop) a process opening or mapping the
# file, another file put under the name, a symlink planted under it, or
# a loop device set up on it (a stand-in /sys/block) keeps the name; a
# process that opened the file just before clean renamed it aside is
# seen, also through a thread's own descriptor table, and the file
# renamed back; hostile names; --backup-dir saves a file's bytes (holes
# kept) and every object's entry in the manifest before the unlink, and
# removes nothing it could not save; a file mapped from a PID namespace
# a nested clean does not see is kept.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/posix_lib.sh"
posix_setup
HOOKED="env LD_PRELOAD=$BUILD/tests/faultinject.so \
ASAN_OPTIONS=${ASAN_OPTIONS:-}:verify_asan_link_order=0"
mkdir -p "$TMPD"
# outcome NAME: "ACTION REASON" of the object NAME in c.json
outcome() {
	jq -r --arg n "$1" '[.results[] | select(.name == $n) |
	    "\(.action) \(.reason)"] | if length == 0 then "absent"
	    else .[0] end' "$TMPD/c.json"
}
there() { [ -e "/dev/shm/$1" ] || [ -L "/dev/shm/$1" ] && echo yes || echo no; }
clean() {
	"$IPCTUNE" clean --pid $$ --type pshm --type psem --type pmq "$@"
}

# orphans of uid 1001, objects in use (root's holders, root runs)
as 1001 "$PH" shm o1 4096 sem osem 0 mq /oq 4 64 || exit 1
phold "$TMPD/h1" shm inuse 4096 shmopen /inuse || exit 1
odd=$(printf 'sp ace\nnl\377x')
as 1001 "$PH" shm "$odd" 10 || exit 1

# refusals and the dry run
check "clean --type pshm without --yes: a dry run" clean --min-age 0
clean --min-age 0 -J >"$TMPD/c.json" 2>"$TMPD/c.err"
expect_eq "dry run: the orphaned file would go" "would_remove null" \
    "$(outcome o1)"
check "dry run: the document fits clean-1.json (POSIX ids are -1)" \
    validate "$TOP/contrib/schema/clean-1.json" "$TMPD/c.json"
"$IPCTUNE" orphans --pid $$ --all --min-age 0 -J >"$TMPD/o.json" 2>/dev/null
check "orphans with POSIX objects fits orphans-1.json" \
    validate "$TOP/contrib/schema/orphans-1.json" "$TMPD/o.json"
expect_eq "dry run: the semaphore would go" "would_remove null" \
    "$(outcome sem.osem)"
expect_eq "dry run: the queue would go" "would_remove null" "$(outcome oq)"
expect_eq "dry run: the file in use is not listed" absent \
    "$(outcome inuse)"
expect_eq "dry run removes nothing" "yes yes yes yes" "$(there o1) \
$(there sem.osem) $([ -e /dev/mqueue/oq ] && echo yes) $(there "$odd")"
clean --min-age 0 >"$TMPD/c.txt" 2>&1
check "table: the name stands in the ID column" \
    grep -q "^would_remove *pshm *o1 " "$TMPD/c.txt"
check "table: a hostile name is escaped" grep -qF 'sp ace\x0anl\xffx' \
    "$TMPD/c.txt"
# too young: suspect, never removed
clean --min-age 1h --yes -J >"$TMPD/c.json" 2>"$TMPD/c.err"
expect_eq "--min-age 1h: too young, kept" "skipped too_young yes" \
    "$(outcome o1) $(there o1)"

# --yes: the orphans go, the held file stays
clean --min-age 0 --yes -J >"$TMPD/c.json" 2>"$TMPD/c.err"
expect_eq "--yes: exit 0" 0 $?
expect_eq "--yes: orphaned file removed" "removed null no" \
    "$(outcome o1) $(there o1)"
expect_eq "--yes: orphaned semaphore removed" "removed null no" \
    "$(outcome sem.osem) $(there sem.osem)"
expect_eq "--yes: orphaned queue removed (mq_unlink)" "removed null no" \
    "$(outcome oq) $([ -e /dev/mqueue/oq ] && echo yes || echo no)"
expect_eq "--yes: hostile name removed" "no" "$(there "$odd")"
expect_eq "--yes: file in use kept" "absent yes" \
    "$(outcome inuse) $(there inuse)"

# --backup-dir: contents byte-equal, manifest entries, nothing removed
# without a complete backup
as 1001 sh -c 'head -c 70000 /dev/urandom >/dev/shm/b-data &&
    truncate -s 1M /dev/shm/b-data &&
    printf xyz | dd of=/dev/shm/b-data bs=1 seek=900000 conv=notrunc \
    2>/dev/null' || exit 1
bodd=$(printf 'b nl\nx\377y')
as 1001 sh -c 'printf "odd contents" >"/dev/shm/$1"' sh "$bodd" || exit 1
as 1001 "$PH" sem bsem 3 mq /bq 4 64 mq /bfull 4 64 mqsend /bfull hi ||
    exit 1
for f in b-data sem.bsem "$bodd"; do
	cp "/dev/shm/$f" "$TMPD/orig.$(printf '%s' "$f" | xxd -p | tr -d '\n')"
done
ino=$(stat -c %i /dev/shm/b-data)
hx() { printf '%s' "$1" | xxd -p | tr -d '\n'; }
mkdir -p "$TMPD/rofs"
mount -t tmpfs -o ro,size=1m tmpfs "$TMPD/rofs" || exit 1
clean --min-age 0 --yes --backup-dir "$TMPD/rofs/bk" -J \
    >"$TMPD/c.json" 2>"$TMPD/c.err"
rc=$?
expect_eq "--backup-dir unwritable: fails, removes nothing" \
    "yes yes yes yes yes" "$([ $rc -ne 0 ] && echo yes) $(there b-data) \
$(there sem.bsem) $(there "$bodd") $([ -e /dev/mqueue/bq ] && echo yes)"
check "--backup-dir unwritable: says why" grep -qi "read-only" "$TMPD/c.err"
clean --min-age 0 --yes --backup-dir "$TMPD/bk" -J >"$TMPD/c.json" \
    2>"$TMPD/c.err"
expect_eq "--backup-dir: exit 0" 0 $?
expect_eq "--backup-dir: file, semaphore, odd name and queue removed" \
    "removed removed removed removed no no no no" \
    "$(outcome b-data | cut -d' ' -f1) $(outcome sem.bsem | cut -d' ' -f1) \
$(outcome 'b nl\x0ax\xffy' | cut -d' ' -f1) $(outcome bq | cut -d' ' -f1) \
$(there b-data) $(there sem.bsem) $(there "$bodd") \
$([ -e /dev/mqueue/bq ] && echo yes || echo no)"
expect_eq "--backup-dir: a queue with messages is kept" \
    "skipped holds_messages" "$(outcome bfull)"
m=$TMPD/bk/manifest.json
# entry NAME_HEX FILTER: FILTER applied to the manifest entry of the name
entry() {
	jq -r --arg h "$1" ".posix_objects[] | select(.name_hex == \$h) |
	    $2" "$m"
}
for f in b-data sem.bsem "$bodd"; do
	h=$(hx "$f")
	bf=$(entry "$h" .file)
	lbl=$(entry "$h" .name)
	check "--backup-dir: '$lbl' saved byte-equal" \
	    cmp "$TMPD/orig.$h" "$TMPD/bk/$bf"
	expect_eq "--backup-dir: '$lbl' sha256 in the manifest" \
	    "$(sha256sum <"$TMPD/orig.$h" | cut -d' ' -f1)" \
	    "$(entry "$h" .sha256)"
done
expect_eq "--backup-dir: the file's entry" \
    "pshm b-data $ino 1048576 1001 1001 0644 true" \
    "$(entry "$(hx b-data)" '"\(.type) \(.name) \(.inode) " +
    "\(.size_bytes) \(.uid) \(.gid) \(.perms) \(.mtime_unix > 0)"')"
expect_eq "--backup-dir: the odd name escaped, its bytes in name_hex" \
    'pshm b nl\x0ax\xffy' "$(entry "$(hx "$bodd")" '"\(.type) \(.name)"')"
expect_eq "--backup-dir: the semaphore's entry" "psem sem.bsem 3" \
    "$(entry "$(hx sem.bsem)" '"\(.type) \(.name) \(.sem_value)"')"
expect_eq "--backup-dir: the queue's attributes, no messages" \
    "pmq null null false 4 64" "$(entry "$(hx bq)" '"\(.type) \(.file) \(.sha256) " +
    "\(.messages_saved) \(.mq_maxmsg) \(.mq_msgsize)"')"
expect_eq "--backup-dir: the manifest document" "clean_backup 0 4" \
    "$(jq -r '"\(.document) \(.segments | length) " +
    "\(.posix_objects | length)"' "$m")"
check "--backup-dir: the manifest fits clean_backup-1.json" \
    validate "$TOP/contrib/schema/clean_backup-1.json" "$m"
bf=$TMPD/bk/$(entry "$(hx b-data)" .file)
check "--backup-dir: the holes stay holes ($(stat -c %b "$bf") blocks)" \
    test "$(($(stat -c %b "$bf") * 512))" -lt 524288
expect_eq "--backup-dir: no temporary file, no private name left" "0 0" \
    "$(find "$TMPD/bk" -name '.*' | wc -l) \
$(find /dev/shm -name '.ipctune-clean*' | wc -l)"
# a backup that does not fit: the object stays, untouched, under its name
as 1001 sh -c 'head -c 131072 /dev/urandom >/dev/shm/b-big' || exit 1
cp /dev/shm/b-big "$TMPD/orig.big"
mkdir -p "$TMPD/tiny"
mount -t tmpfs -o size=64k tmpfs "$TMPD/tiny" || exit 1
clean --min-age 0 --yes --backup-dir "$TMPD/tiny/bk" -J >"$TMPD/c.json" \
    2>"$TMPD/c.err"
expect_eq "--backup-dir full: failed ENOSPC, exit 1, kept" \
    "failed null 1 yes" "$(outcome b-big) $? $(there b-big)"
check "--backup-dir full: the file is intact under its name" \
    cmp "$TMPD/orig.big" /dev/shm/b-big
expect_eq "--backup-dir full: no partial backup, no manifest entry" "0 0" \
    "$(find "$TMPD/tiny/bk" -type f ! -name manifest.json | wc -l) \
$(jq '.posix_objects | length' "$TMPD/tiny/bk/manifest.json" \
    2>/dev/null || echo 0)"
rm -f /dev/shm/b-big
umount "$TMPD/tiny" "$TMPD/rofs"

# races: stopped after the judgement, before any unlink
as 1001 "$PH" shm r-open 4096 shm r-map 4096 shm r-repl 4096 \
    shm r-link 4096 shm r-ctl 4096 shm r-loop 4096 || exit 1
# a stand-in /sys/block of this mount namespace for a loop device
mount -t tmpfs -o size=1m tmpfs /sys/block || exit 1
echo secret >"$TMPD/target"
mkfifo "$TMPD/hook"
IPCTUNE_TEST_CLEAN_HOOK=$TMPD/hook $HOOKED $IPCTUNE clean --pid $$ --type pshm \
    --min-age 0 --yes -J >"$TMPD/c.json" 2>"$TMPD/c.err" &
cp=$!
line=$(timeout 30 head -n 1 "$TMPD/hook")
expect_eq "clean judged and waits (the race is reached)" judged "$line"
phold "$TMPD/h2" shmopen /r-open || exit 1
phold "$TMPD/h3" shmmap /r-map || exit 1
rm -f /dev/shm/r-repl
as 1001 "$PH" shm r-repl 4096 || exit 1
mv /dev/shm/r-link "$TMPD/moved"
ln -s "$TMPD/target" /dev/shm/r-link
mkdir -p /sys/block/loop9/loop
printf '/dev/shm/r-loop\n' >/sys/block/loop9/loop/backing_file
echo go >"$TMPD/hook"
wait $cp
umount /sys/block
expect_eq "race: clean exits 0 (skips are not failures)" 0 $?
expect_eq "race: opened meanwhile: kept" "skipped in_use yes" \
    "$(outcome r-open) $(there r-open)"
r=$(outcome r-map)
case "$r" in
"skipped in_use"|"skipped changed") r=kept ;;
esac
expect_eq "race: mapped meanwhile: kept" "kept yes" "$r $(there r-map)"
expect_eq "race: another file under the name: kept" \
    "skipped replaced yes" "$(outcome r-repl) $(there r-repl)"
expect_eq "race: a symlink under the name: not followed, kept" \
    "skipped replaced yes secret" "$(outcome r-link) \
$([ -L /dev/shm/r-link ] && echo yes) $(cat "$TMPD/target")"
expect_eq "race: backs a loop device meanwhile: kept" \
    "skipped in_use yes backs /dev/loop9 since it was judged" \
    "$(outcome r-loop) $(there r-loop) $(jq -r '.results[] |
    select(.name == "r-loop") | .detail' "$TMPD/c.json")"
expect_eq "race: the untouched orphan still goes" "removed null no" \
    "$(outcome r-ctl) $(there r-ctl)"

# stopped right after the rename aside: the name finds nothing, and a
# process that opened the file just before the rename (here: opens it
# under its private name) is seen by the re-check, so it is renamed back
as 1001 "$PH" shm r-aside 4096 || exit 1
ino=$(stat -c %i /dev/shm/r-aside)
rm -f "$TMPD/hook"
mkfifo "$TMPD/hook"
IPCTUNE_TEST_CLEAN_HOOK=$TMPD/hook IPCTUNE_TEST_CLEAN_STAGE=aside $HOOKED \
    $IPCTUNE clean --pid $$ --type pshm --min-age 0 --yes -J >"$TMPD/c.json" \
    2>"$TMPD/c.err" &
cp=$!
line=$(timeout 30 head -n 1 "$TMPD/hook")
echo go >"$TMPD/hook"
line=$(timeout 30 head -n 1 "$TMPD/hook")
expect_eq "aside: renamed to its private name" \
    "aside .ipctune-clean.$cp.$ino" "$line"
expect_eq "aside: shm_open by its name finds nothing" no "$(there r-aside)"
phold "$TMPD/h4" shmopen "/.ipctune-clean.$cp.$ino" || exit 1
echo go >"$TMPD/hook"
wait $cp
expect_eq "aside: a holder seen under the private name: renamed back" \
    "skipped in_use yes 0" "$(outcome r-aside) $(there r-aside) \
$(find /dev/shm -name '.ipctune-clean*' | wc -l)"

# the same with the file opened under its private name by a thread
# that called unshare(CLONE_FILES): only /proc/PID/task/TID/fd shows it
as 1001 "$PH" shm r-thread 4096 || exit 1
ino=$(stat -c %i /dev/shm/r-thread)
rm -f "$TMPD/hook"
mkfifo "$TMPD/hook"
IPCTUNE_TEST_CLEAN_HOOK=$TMPD/hook IPCTUNE_TEST_CLEAN_STAGE=aside $HOOKED \
    $IPCTUNE clean --pid $$ --type pshm --min-age 0 --yes -J >"$TMPD/c.json" \
    2>"$TMPD/c.err" &
cp=$!
line=$(timeout 30 head -n 1 "$TMPD/hook")
echo go >"$TMPD/hook"
line=$(timeout 30 head -n 1 "$TMPD/hook")
phold "$TMPD/h6" tshmopen "/.ipctune-clean.$cp.$ino" || exit 1
echo go >"$TMPD/hook"
wait $cp
expect_eq "aside: a thread's own descriptor seen by the re-check" \
    "skipped in_use yes 0" "$(outcome r-thread) $(there r-thread) \
$(find /dev/shm -name '.ipctune-clean*' | wc -l)"

# a file mapped by a process of another PID namespace, which the /proc
# of a clean run in a nested PID namespace does not show (a pod's
# sidecar sharing /dev/shm): without --pid the holder scan is
# incomplete, so the file is unknown and kept, never removed under it
as 1001 "$PH" shm side 4096 || exit 1
phold "$TMPD/h5" shmmap /side || exit 1
unshare --pid --fork --mount-proc sh -c 'sleep 30 & s=$!
    "$1" clean --type pshm --min-age 0 --yes -J >"$2"; kill $s' sh \
    "$IPCTUNE" "$TMPD/c.json" 2>"$TMPD/c.err"
expect_eq "other PID namespace: a file mapped there is kept" \
    "absent yes" "$(outcome side) $(there side)"
expect_eq "other PID namespace: it is unknown, holders incomplete" \
    "unknown holders_incomplete" "$(unshare --pid --fork --mount-proc \
    sh -c 'sleep 30 & s=$!; "$1" orphans --all --type pshm --min-age 0 -J;
    kill $s' sh "$IPCTUNE" 2>/dev/null | jq -r '.objects[] |
    select(.name == "side") | "\(.verdict) \(.reasons |
    map(select(. == "holders_incomplete")) | join(","))"')"

for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
finish
