#!/bin/sh
# Where files are written and read.  --output, snapshot --output and
# forecast --plot write through character devices, FIFOs and standard
# output, replace only regular files and refuse everything else (12.B8);
# record refuses to append to or compact a file that is not a history
# (12.B10); every file ipctune reads must be a regular file, and a FIFO
# in any of those places is a clear error, never a hang (12.B14).  Runs
# in private IPC and mount namespaces; the device nodes, FIFOs and
# sockets live on a tmpfs mounted there, and the /dev of the standard
# output tests is a tmpfs too: the host's /dev is never touched.
. "$(dirname "$0")/lib.sh"

# ---- the inner part: a private /dev (re-run by the outer part) ----
if [ "${FILES_FAKEDEV:-}" = 1 ]; then
	ns_guard
	cd "$TMPD" || exit 99
	mount -t tmpfs -o mode=755 tmpfs /dev || exit 99
	mknod -m 666 /dev/null c 1 3
	mknod -m 666 /dev/full c 1 7
	ln -s /proc/self/fd /dev/fd
	ln -s /proc/self/fd/1 /dev/stdout
	ln -s /proc/self/fd/2 /dev/stderr
	mkdir /dev/shm /dev/mqueue
	mount -t tmpfs tmpfs /dev/shm
	mount -t mqueue mqueue /dev/mqueue 2>/dev/null
	st() { stat -c '%F %t:%T' "$1"; }
	sj() { "$IPCTUNE" status --format json --output "$@"; }
	sj /dev/null >"$TMPD/o" 2>"$TMPD/e"
	expect_eq "12.B8 status --output /dev/null: exit 0" 0 $?
	expect_eq "12.B8 --output /dev/null leaves /dev/null a device" \
	    "character special file 1:3" "$(st /dev/null)"
	sj /dev/full >"$TMPD/o" 2>"$TMPD/e"
	expect_eq "12.B8 --output /dev/full: exit 1" 1 $?
	expect_match "12.B8 --output /dev/full says no space, names it" \
	    "cannot write '/dev/full': no space left on device" "$TMPD/e"
	expect_eq "12.B8 --output /dev/full leaves /dev/full a device" \
	    "character special file 1:7" "$(st /dev/full)"
	for p in /dev/stdout /dev/fd/1 -; do
		sj "$p" >"$TMPD/o" 2>"$TMPD/e"
		expect_eq "12.B8 --output $p: exit 0" 0 $?
		check "12.B8 --output $p writes the document to stdout" \
		    jq -e '.document == "status"' "$TMPD/o"
	done
	expect_eq "12.B8 /dev/stdout is still a symbolic link" \
	    "/proc/self/fd/1" "$(readlink /dev/stdout)"
	"$IPCTUNE" snapshot --output /dev/stdout >"$TMPD/o" 2>"$TMPD/e"
	check "12.B8 snapshot --output /dev/stdout writes to stdout" \
	    jq -e '.document == "snapshot"' "$TMPD/o"
	sj /dev/stderr >"$TMPD/o" 2>"$TMPD/e"
	check "12.B8 --output /dev/stderr writes to stderr" \
	    jq -e '.document == "status"' "$TMPD/e"
	sj /dev/stdout >/dev/full 2>"$TMPD/e"
	expect_eq "12.B8 --output /dev/stdout into a full device: exit 1" 1 $?
	expect_match "12.B8 ... and the error says so" \
	    "no space left on device" "$TMPD/e"
	expect_eq "12.B8 no file appeared in /dev" "" \
	    "$(find /dev -maxdepth 1 -type f)"
	finish
	exit
fi

enter_private_ns
cd "$TMPD" || exit 1
M=$TMPD/m
mkdir -p "$M"
if ! mount -t tmpfs -o mode=755 tmpfs "$M"; then
	fail "cannot mount a tmpfs for the special files"
	finish
	exit
fi
trap 'umount -l "$M" 2>/dev/null; rm -rf "$TMPD"' EXIT
IPCTUNE_STATE_DIR=$TMPD/state
export IPCTUNE_STATE_DIR
T=${FILES_TIMEOUT:-10}	# seconds before a read counts as a hang

# type NODE: what stat says it is, with the device numbers
ftype() { stat -c '%F %t:%T' "$1" 2>/dev/null || echo absent; }
# expect_nohang DESCRIPTION WANT REGEX COMMAND...: COMMAND ends within
# $T seconds with a status that matches the case pattern WANT and says
# REGEX on stderr
expect_nohang() {
	d=$1
	want=$2
	re=$3
	shift 3
	timeout -s KILL "$T" "$@" >"$TMPD/out" 2>"$TMPD/err" </dev/null
	got=$?
	case "$got" in $want) good=1 ;; *) good= ;; esac
	if [ "$got" = 137 ]; then
		fail "$d: hangs (killed after $T s)"
	elif [ -z "$good" ]; then
		fail "$d: exit status $got, expected $want"
		sed 's/^/    /' "$TMPD/err" | head -5
	elif [ -n "$re" ] && ! grep -Eq -- "$re" "$TMPD/err"; then
		fail "$d: stderr does not match '$re':"
		sed 's/^/    /' "$TMPD/err" | head -5
	else
		ok "$d"
	fi
}

# ====================================================================
# 12.B8: one output writer for --output, snapshot --output, --plot
# ====================================================================
HIST=$TMPD/h.jsonl
now=$(date +%s)
if [ -x "$BUILD/tests/genhistory" ]; then
	"$BUILD/tests/genhistory" --samples 200 --step 300 \
	    --start $((now - 200 * 300)) --slope 2 >"$HIST"
else
	fail "genhistory is not built (make tests-build)"
fi
export HIST
# w_NAME PATH: the writer under test, writing to PATH (a script, so that
# timeout can run it)
w_status='"$IPCTUNE" status --format json --output "$1"'
w_snapshot='"$IPCTUNE" snapshot --output "$1"'
w_plot='"$IPCTUNE" forecast --history "$HIST" -r semmni --plot "$1" >/dev/null'
w() { eval "c=\$w_$1"; echo "$c"; }
# is_doc NAME FILE: FILE holds what writer NAME writes
is_doc() {
	case "$1" in
	status) jq -e '.document == "status"' "$2" >/dev/null 2>&1 ;;
	snapshot) jq -e '.document == "snapshot"' "$2" >/dev/null 2>&1 ;;
	plot) grep -q '</svg>' "$2" ;;
	esac
}
for w in status snapshot plot; do
	rm -rf "${M:?}"/*
	# a copy of /dev/null (1:3) and of /dev/full (1:7) on the tmpfs
	mknod -m 666 "$M/null" c 1 3
	mknod -m 666 "$M/full" c 1 7
	mkfifo "$M/fifo"
	echo keep >"$M/target"
	ln -s "$M/target" "$M/link"
	ln -s "$M/fifo" "$M/fifolink"
	mkdir "$M/dir"
	python3 -c 'import socket, sys
socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$M/sock"
	# a block device number no driver owns: nothing can reach a disk
	mknod "$M/blk" b 240 0

	expect_nohang "12.B8 $w into a character device (null): exit 0" 0 "" \
	    sh -c "$(w $w)" sh "$M/null"
	expect_eq "12.B8 $w leaves a character device a device" \
	    "character special file 1:3" "$(ftype "$M/null")"
	expect_nohang "12.B8 $w into a full device: exit 1, ENOSPC named" 1 \
	    "cannot write '$M/full': no space left on device" sh -c "$(w $w)" sh "$M/full"
	expect_eq "12.B8 $w leaves the full device a device" \
	    "character special file 1:7" "$(ftype "$M/full")"

	timeout -s KILL "$T" cat "$M/fifo" >"$TMPD/fifo.out" &
	rd=$!
	expect_nohang "12.B8 $w into a FIFO with a reader: exit 0" 0 "" \
	    sh -c "$(w $w)" sh "$M/fifo"
	wait "$rd"
	check "12.B8 $w: the reader of the FIFO gets the whole document" \
	    is_doc "$w" "$TMPD/fifo.out"
	expect_eq "12.B8 $w leaves a FIFO a FIFO" "fifo 0:0" \
	    "$(ftype "$M/fifo")"

	expect_nohang "12.B8 $w refuses a symbolic link" 1 \
	    "'$M/link'.*symbolic link" sh -c "$(w $w)" sh "$M/link"
	expect_eq "12.B8 $w: the link stays, its target untouched" \
	    "$M/target keep" "$(readlink "$M/link") $(cat "$M/target")"
	expect_nohang "12.B8 $w refuses a symbolic link to a FIFO" 1 \
	    "symbolic link" sh -c "$(w $w)" sh "$M/fifolink"
	expect_nohang "12.B8 $w refuses a directory" 1 "'$M/dir'.*directory" \
	    sh -c "$(w $w)" sh "$M/dir"
	expect_eq "12.B8 $w: the directory stays empty" "" "$(ls -A "$M/dir")"
	expect_nohang "12.B8 $w refuses a socket" 1 "'$M/sock'.*socket" \
	    sh -c "$(w $w)" sh "$M/sock"
	expect_eq "12.B8 $w: the socket stays a socket" "socket 0:0" \
	    "$(ftype "$M/sock")"
	expect_nohang "12.B8 $w refuses a block device" 1 \
	    "'$M/blk'.*block device" sh -c "$(w $w)" sh "$M/blk"
	expect_eq "12.B8 $w: the block device stays" "block special file f0:0" \
	    "$(ftype "$M/blk")"

	echo old >"$M/reg"
	ino=$(stat -c %i "$M/reg")
	expect_nohang "12.B8 $w replaces a regular file: exit 0" 0 "" \
	    sh -c "$(w $w)" sh "$M/reg"
	check "12.B8 $w: the regular file holds the new document" \
	    is_doc "$w" "$M/reg"
	check "12.B8 $w: ... by rename (a new inode), mode 0644" \
	    test "$(stat -c %i "$M/reg")" != "$ino" -a \
	    "$(stat -c %a "$M/reg")" = 644
	expect_nohang "12.B8 $w creates a new file: exit 0" 0 "" \
	    sh -c "$(w $w)" sh "$M/new"
	check "12.B8 $w: the new file holds the document" is_doc "$w" "$M/new"
	expect_eq "12.B8 $w leaves no temporary file" "" \
	    "$(ls -A "$M" | grep '^\.' || true)"
done

# /dev/null, /dev/full and the standard output names, in a private /dev
out=$(unshare --mount --propagation private env FILES_FAKEDEV=1 \
    sh "$TOP/tests/sys/t_files.sh" 2>&1)
echo "$out" | grep -E '^(ok|FAIL) - ' | while read -r res _ d; do
	echo "$res $d"
done >"$TMPD/fakedev"
grep -q . "$TMPD/fakedev" || {
	fail "12.B8 the private /dev tests did not run:"
	echo "$out" | sed 's/^/    /' | head -10
}
while read -r res d; do
	if [ "$res" = ok ]; then ok "$d"; else fail "$d"; fi
done <"$TMPD/fakedev"
echo "$out" | grep -E '^    ' | head -20

# ====================================================================
# 12.B10: record refuses a file that is not a history
# ====================================================================
rec() { "$IPCTUNE" record -q "$@"; }
printf 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1::/:/bin/false\n' \
    >"$TMPD/passwd"
cp "$TMPD/passwd" "$TMPD/passwd.orig"
expect_status "12.B10 record refuses to append to a file that is not a history" \
    1 rec --history "$TMPD/passwd"
expect_match "12.B10 ... naming the file and the line" \
    "'$TMPD/passwd'.*line 1" "$TMPD/err"
check "12.B10 ... and leaves it as it was" cmp "$TMPD/passwd" \
    "$TMPD/passwd.orig"
expect_status "12.B10 record --compact refuses it too" 1 \
    rec --compact --history "$TMPD/passwd"
check "12.B10 ... and leaves it as it was" cmp "$TMPD/passwd" \
    "$TMPD/passwd.orig"
# a history line first, then lines of something else
head -n 1 "$HIST" >"$TMPD/mixed"
for i in 1 2 3 4 5; do echo "precious line $i" >>"$TMPD/mixed"; done
cp "$TMPD/mixed" "$TMPD/mixed.orig"
expect_status "12.B10 record --compact refuses a file mostly not samples" \
    1 rec --compact --history "$TMPD/mixed"
expect_match "12.B10 ... naming the file and a line" \
    "'$TMPD/mixed'.*line 2" "$TMPD/err"
check "12.B10 ... and keeps every line" cmp "$TMPD/mixed" \
    "$TMPD/mixed.orig"
# what a history may look like: empty, or a first write cut short
: >"$TMPD/empty.jsonl"
expect_status "12.B10 record appends to an empty file" 0 \
    rec --history "$TMPD/empty.jsonl"
printf '{"v":1,"t":10' >"$TMPD/torn.jsonl"
expect_status "12.B10 record accepts a history whose first write was cut" 0 \
    rec --history "$TMPD/torn.jsonl" --at 100
expect_status "12.B10 ... and the next record too" 0 \
    rec --history "$TMPD/torn.jsonl" --at 200
# the rewrite drops only what a write cut short can leave
for t in 1000 2000 3000; do rec --history "$TMPD/h2.jsonl" --at $t; done
head -n 1 "$TMPD/h2.jsonl" >"$TMPD/h3.jsonl"
echo 'admin note: keep this line' >>"$TMPD/h3.jsonl"
tail -n 2 "$TMPD/h2.jsonl" >>"$TMPD/h3.jsonl"
cp "$TMPD/h3.jsonl" "$TMPD/h3.orig"
expect_status "12.B10 record --compact refuses a history with one line that is not a sample" \
    1 rec --compact --history "$TMPD/h3.jsonl"
expect_match "12.B10 ... naming the file and the line" \
    "'$TMPD/h3.jsonl'.*line 2" "$TMPD/err"
check "12.B10 ... and deletes no line" cmp "$TMPD/h3.jsonl" "$TMPD/h3.orig"
# a torn line a later append repaired (ended with its newline), twice
head -n 1 "$TMPD/h2.jsonl" >"$TMPD/h4.jsonl"
printf '{"v":1,"t":15\n' >>"$TMPD/h4.jsonl"
sed -n 2p "$TMPD/h2.jsonl" >>"$TMPD/h4.jsonl"
printf '{"v\n{"v":1,"t":2\n' >>"$TMPD/h4.jsonl"
sed -n 3p "$TMPD/h2.jsonl" >>"$TMPD/h4.jsonl"
printf '{"v":1,"t":35' >>"$TMPD/h4.jsonl"
expect_status "12.B10 record --compact drops repaired torn lines and a torn tail" 0 \
    rec --compact --history "$TMPD/h4.jsonl" --at 4000
expect_eq "12.B10 ... keeping every sample" "1000 2000 3000 4000" \
    "$(jq -r .t "$TMPD/h4.jsonl" | tr '\n' ' ' | sed 's/ $//')"

# ====================================================================
# 12.B14: every file read is a regular file; a FIFO never blocks
# ====================================================================
rm -rf "${M:?}"/*
mkfifo "$M/fifo"
NOTREG="not a regular file"
expect_nohang "12.B14 --from a FIFO: clear error" 1 "'$M/fifo'.*$NOTREG" \
    "$IPCTUNE" status --from "$M/fifo"
expect_nohang "12.B14 report of a FIFO: no hang, exit 1" 1 "" \
    "$IPCTUNE" report "$M/fifo"
expect_match "12.B14 ... the snapshot skipped as not a regular file" \
    "'$M/fifo'.*$NOTREG" "$TMPD/out"
expect_nohang "12.B14 --ns a FIFO: clear error" 1 "$M/fifo" \
    "$IPCTUNE" status --ns "$M/fifo"
expect_nohang "12.B14 apply --from-plan a FIFO: clear error" 1 \
    "'$M/fifo'.*$NOTREG" "$IPCTUNE" apply --from-plan "$M/fifo" --dry-run
expect_nohang "12.B14 forecast --history a FIFO: clear error" 1 \
    "'$M/fifo'.*$NOTREG" "$IPCTUNE" forecast --history "$M/fifo"
expect_nohang "12.B14 record --history a FIFO: clear error" 1 \
    "'$M/fifo'.*$NOTREG" "$IPCTUNE" record --history "$M/fifo"
# profiles
mkdir -m 755 "$M/prof"
mkfifo "$M/prof/pf.conf"
expect_nohang "12.B14 a FIFO profile: clear error" 1 \
    "$M/prof/pf.conf'.*$NOTREG" \
    "$IPCTUNE" recommend --profile-dir "$M/prof" -p pf
expect_nohang "12.B14 profiles: a FIFO among the profiles is a clear error" \
    1 "pf.conf'.*$NOTREG" \
    "$IPCTUNE" profiles --profile-dir "$M/prof"
# sysctl.d for verify: a FIFO is an error, a device masks (systemd)
S=$M/sroot
mkdir -p "$S/etc/sysctl.d"
printf '[sysctl]\nkernel.msgmni = 1234\n' >"$M/prof/v.conf"
mknod "$S/etc/sysctl.d/40-masked.conf" c 1 3
ln -s /dev/null "$S/etc/sysctl.d/45-linked.conf"
expect_nohang "12.B14 verify: a device and a /dev/null link mask sysctl.d files" \
    "[04]" "" "$IPCTUNE" verify --profile-dir "$M/prof" -p v --sysctl-root "$S"
mkfifo "$S/etc/sysctl.d/50-fifo.conf"
expect_nohang "12.B14 verify: a FIFO in sysctl.d is a clear error" 1 \
    "50-fifo.conf'.*$NOTREG" \
    "$IPCTUNE" verify --profile-dir "$M/prof" -p v --sysctl-root "$S"
# --root trees: /proc text, logind.conf and its drop-ins, login.defs
mkroot() {
	rm -rf "$M/r"
	cp -r "$TOP/tests/fixtures/root64" "$M/r"
	mkdir -p "$M/r/run/systemd/system" "$M/r/etc/systemd/logind.conf.d"
}
for f in proc/sys/kernel/shmmni proc/sys/kernel/sem proc/sysvipc/shm; do
	mkroot
	rm -f "$M/r/$f"
	mkfifo "$M/r/$f"
	expect_nohang "12.B14 --root with a FIFO at $f: clear error" 1 \
	    "$f'.*$NOTREG" "$IPCTUNE" list --root "$M/r"
done
for f in proc/meminfo proc/cmdline proc/sys/kernel/hostname proc/stat; do
	mkroot
	rm -f "$M/r/$f"
	mkfifo "$M/r/$f"
	expect_nohang "12.B14 --root with a FIFO at $f: no hang" 0 "" \
	    "$IPCTUNE" orphans --root "$M/r"
done
for f in etc/login.defs etc/systemd/logind.conf \
    etc/systemd/logind.conf.d/50-x.conf; do
	mkroot
	mkfifo "$M/r/$f"
	expect_nohang "12.B14 a FIFO at $f: a warning naming it, no hang" 0 \
	    "$f'.*$NOTREG" "$IPCTUNE" orphans --root "$M/r"
done
mkroot
printf '[Login]\nRemoveIPC=no\n' >"$M/r/etc/systemd/logind.conf"
ln -s /dev/null "$M/r/etc/systemd/logind.conf.d/60-masked.conf"
expect_nohang "12.B14 a logind.conf.d link to /dev/null reads as empty" 0 "" \
    "$IPCTUNE" orphans --root "$M/r"
check "12.B14 ... without a warning" test ! -s "$TMPD/err"
# the backup manifest of clean
if [ -x "$BUILD/tests/ipchelper_orphans" ]; then
	ipc_reset
	"$BUILD/tests/ipchelper_orphans" shm-write 0x5151 4096 1 0600 \
	    >/dev/null
	mkdir -m 700 "$M/bk"
	mkfifo "$M/bk/manifest.json"
	expect_nohang "12.B14 clean --backup-dir with a FIFO manifest: clear error" \
	    1 "manifest.json'.*$NOTREG" \
	    "$IPCTUNE" clean --type shm --yes --backup-dir "$M/bk"
	expect_eq "12.B14 ... and the segment is kept" 1 \
	    "$("$IPCTUNE" list -J shm | jq '.shm | length')"
	ipc_reset
else
	fail "ipchelper_orphans is not built (make tests-build)"
fi

finish
