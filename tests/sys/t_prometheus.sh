#!/bin/sh
# ipctune status --format prometheus, checked with promtool, against the
# real kernel in a private IPC namespace; --output FILE written atomically
# with mode 0644 whatever the umask, readable by another user, no
# temporary left behind, a symlink replaced rather than followed.
. "$(dirname "$0")/lib.sh"

if ! command -v promtool >/dev/null 2>&1; then
	fail "promtool not found (Debian package prometheus; make deps)"
	finish
	exit 1
fi
OUT=$TMPD/textfile
mkdir -p "$OUT"
# the textfile directory is world-readable, as node_exporter needs
chmod 755 "$TMPD" "$OUT"

in_ipcns "
	ipcmk -M 4096 >/dev/null; ipcmk -M 10000 >/dev/null
	ipcmk -M 1 >/dev/null
	ipcmk -S 5 >/dev/null; ipcmk -S 7 >/dev/null
	ipcmk -Q >/dev/null
	echo 100 > /proc/sys/kernel/shmall
	'$IPCTUNE' status --format prometheus >'$TMPD/p.prom' 2>'$TMPD/p.err'
	echo \$? >'$TMPD/p.rc'
	umask 077
	'$IPCTUNE' status --format prometheus --output '$OUT/ipctune.prom'
	echo \$? >'$TMPD/o.rc'
	readlink /proc/self/ns/ipc | tr -dc 0-9 >'$TMPD/ns'
"
expect_eq "status --format prometheus: exit 0" 0 "$(cat "$TMPD/p.rc")"
promtool check metrics <"$TMPD/p.prom" >"$TMPD/promtool.out" 2>&1
expect_eq "promtool check metrics: clean (rc 0)" 0 $?
sed 's/^/    /' "$TMPD/promtool.out"
val() { grep "^$1 " "$2" | awk '{print $2}'; }
expect_eq "segments: ipctune_used{resource=\"shmmni\"}" 3 \
    "$(val 'ipctune_used{resource="shmmni"}' "$TMPD/p.prom")"
expect_eq "semaphores: ipctune_used{resource=\"semmns\"}" 12 \
    "$(val 'ipctune_used{resource="semmns"}' "$TMPD/p.prom")"
expect_eq "queues: ipctune_used{resource=\"msgmni\"}" 1 \
    "$(val 'ipctune_used{resource="msgmni"}' "$TMPD/p.prom")"
# 1 + 3 + 1 pages of 4096 bytes, against shmall 100 pages
pg=$(getconf PAGESIZE)
expect_eq "shmall pages as bytes: used" $((5 * pg)) \
    "$(val 'ipctune_used_bytes{resource="shmall"}' "$TMPD/p.prom")"
expect_eq "shmall pages as bytes: limit" $((100 * pg)) \
    "$(val 'ipctune_limit_bytes{resource="shmall"}' "$TMPD/p.prom")"
expect_eq "shmall ratio" 0.05 \
    "$(val 'ipctune_used_ratio{resource="shmall"}' "$TMPD/p.prom")"
expect_eq "info metric names the namespace" \
    "ipctune_info{version=\"$("$IPCTUNE" -V | awk '{print $2}')\",ipc_namespace=\"$(cat "$TMPD/ns")\"} 1" \
    "$(grep '^ipctune_info' "$TMPD/p.prom")"
expect_eq "every metric has HELP and TYPE" \
    "$(grep -c '^# TYPE' "$TMPD/p.prom")" "$(grep -c '^# HELP' "$TMPD/p.prom")"
expect_eq "nothing on stderr" "" "$(cat "$TMPD/p.err")"

# --output: mode 0644 under umask 077, same text, nothing else left
expect_eq "--output: exit 0" 0 "$(cat "$TMPD/o.rc")"
expect_eq "--output: mode 0644 under umask 077" 644 \
    "$(stat -c %a "$OUT/ipctune.prom")"
expect_eq "--output: same metrics as stdout" \
    "$(grep -v timestamp "$TMPD/p.prom")" \
    "$(grep -v timestamp "$OUT/ipctune.prom")"
expect_eq "--output: no temporary file left" "ipctune.prom" \
    "$(ls -A "$OUT")"
promtool check metrics <"$OUT/ipctune.prom" >/dev/null 2>&1
expect_eq "--output file passes promtool" 0 $?
check "--output file readable by another user (node_exporter)" \
    setpriv --reuid=65534 --regid=65534 --clear-groups \
    cat "$OUT/ipctune.prom"

# replacing: a new inode each time (rename), never a partial file
ino1=$(stat -c %i "$OUT/ipctune.prom")
"$IPCTUNE" status --format prometheus --output "$OUT/ipctune.prom"
ino2=$(stat -c %i "$OUT/ipctune.prom")
[ "$ino1" != "$ino2" ] && ok "--output replaces by rename" ||
    fail "--output rewrote the file in place"

# a symlink at the target is replaced, its target left alone
echo keep >"$TMPD/victim"
ln -s "$TMPD/victim" "$OUT/link.prom"
"$IPCTUNE" status --format prometheus --output "$OUT/link.prom"
[ -f "$OUT/link.prom" ] && [ ! -L "$OUT/link.prom" ] &&
    [ "$(cat "$TMPD/victim")" = keep ] && ok "--output does not follow a symlink" ||
    fail "--output followed a symlink"

# errors
"$IPCTUNE" status --format prometheus --output "$TMPD/no/such/dir.prom" \
    >/dev/null 2>"$TMPD/e1"
expect_eq "--output into a missing directory: exit 1" 1 $?
check "--output error names the file" \
    grep -q "cannot write '$TMPD/no/such/dir.prom'" "$TMPD/e1"
"$IPCTUNE" status --output "$OUT/t.txt" >/dev/null 2>&1
expect_eq "--output with a table: exit 2" 2 $?
"$IPCTUNE" list --format prometheus >/dev/null 2>&1
expect_eq "list has no prometheus output: exit 2" 2 $?
"$IPCTUNE" status --format json --output "$OUT/status.json"
expect_eq "--output works for JSON too" status \
    "$(jq -r .document "$OUT/status.json")"

finish
