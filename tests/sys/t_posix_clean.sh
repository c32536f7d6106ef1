#!/bin/sh
# 'clean' of POSIX objects in private IPC, mount and PID namespaces with
# their own tmpfs at /dev/shm and their own mqueue fs: a dry run removes
# nothing; --yes unlinks orphaned /dev/shm files, sem.NAME files and
# queues and leaves objects in use or too young; between judgement and
# unlink (the shim's "judged" stop) a process opening or mapping the
# file, another file put under the name, or a symlink planted under it
# keeps the name; hostile names; --backup-dir keeps POSIX objects.
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
	"$IPCTUNE" clean --type pshm --type psem --type pmq "$@"
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
"$IPCTUNE" orphans --all --min-age 0 -J >"$TMPD/o.json" 2>/dev/null
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
# --backup-dir: POSIX objects are not removed without a backup
clean --min-age 0 --yes --backup-dir "$TMPD/bk" -J >"$TMPD/c.json" \
    2>"$TMPD/c.err"
expect_eq "--backup-dir: kept, said why" "skipped no_backup yes" \
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

# races: stopped after the judgement, before any unlink
as 1001 "$PH" shm r-open 4096 shm r-map 4096 shm r-repl 4096 \
    shm r-link 4096 shm r-ctl 4096 || exit 1
echo secret >"$TMPD/target"
mkfifo "$TMPD/hook"
IPCTUNE_TEST_CLEAN_HOOK=$TMPD/hook $HOOKED $IPCTUNE clean --type pshm \
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
echo go >"$TMPD/hook"
wait $cp
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
expect_eq "race: the untouched orphan still goes" "removed null no" \
    "$(outcome r-ctl) $(there r-ctl)"

for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
finish
