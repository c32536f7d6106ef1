#!/bin/sh
# ipctune status --format prometheus, checked with promtool, against the
# real kernel in a private IPC namespace; --output FILE written atomically
# with mode 0644 whatever the umask, readable by another user, no
# temporary left behind, a symlink neither followed nor replaced.
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

H=$BUILD/tests/ipchelper_orphans
# a PID namespace of its own too: ipctune must be able to inspect every
# process (one it may not read, as PID 1 of some sandboxes, leaves the
# queue's verdict unknown)
unshare --ipc --mount --propagation private --pid --fork --mount-proc sh -c "
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
	# a second namespace (a container's): its file shares the directory
	unshare --ipc sleep 100 & cp=\$!
	i=0; while [ \"\$(readlink /proc/\$cp/ns/ipc)\" = \"\$(readlink /proc/self/ns/ipc)\" ] &&
	    [ \$i -lt 200 ]; do sleep 0.01; i=\$((i + 1)); done
	readlink /proc/\$cp/ns/ipc | tr -dc 0-9 >'$TMPD/ns2'
	'$IPCTUNE' status --pid \$cp --format prometheus >'$TMPD/c.prom'
	kill \$cp
	# a killed process's semaphore arrays: orphaned once old enough;
	# --pid states that their users are in ipctune's PID namespace
	'$H' sem-fill 4 '$TMPD/ready' & hp=\$!
	i=0; while [ ! -s '$TMPD/ready' ] && [ \$i -lt 200 ]; do
		sleep 0.05; i=\$((i + 1)); done
	'$IPCTUNE' status --pid \$\$ --format prometheus --orphan-min-age 0 >'$TMPD/live.prom'
	kill -9 \$hp; wait \$hp 2>/dev/null
	'$IPCTUNE' status --pid \$\$ --format prometheus --orphan-min-age 0 >'$TMPD/old.prom'
	'$IPCTUNE' status --format prometheus --no-orphans >'$TMPD/no.prom'
	'$IPCTUNE' orphans --pid \$\$ --min-age 0 -J >'$TMPD/orphans.json'
"
expect_eq "status --format prometheus: exit 0" 0 "$(cat "$TMPD/p.rc")"
promtool check metrics <"$TMPD/p.prom" >"$TMPD/promtool.out" 2>&1
expect_eq "promtool check metrics: clean (rc 0)" 0 $?
sed 's/^/    /' "$TMPD/promtool.out"
# val SERIES FILE: the sample of SERIES, given without the labels every
# sample carries (ipc_ns, checked below)
val() {
	sed -E 's/,?ipc_ns="[0-9]*"//; s/\{\}//' "$2" | grep -F "$1 " |
	    grep "^$1 " | awk '{print $2}'
}
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
    "ipctune_info{version=\"$("$IPCTUNE" -V | awk '{print $2}')\",ipc_namespace=\"$(cat "$TMPD/ns")\",ipc_ns=\"$(cat "$TMPD/ns")\"} 1" \
    "$(grep '^ipctune_info' "$TMPD/p.prom")"
ns=$(cat "$TMPD/ns")
expect_eq "every sample carries ipc_ns=\"$ns\"" \
    "$(grep -vc '^#' "$TMPD/p.prom")" \
    "$(grep -v '^#' "$TMPD/p.prom" | grep -c "[{,]ipc_ns=\"$ns\"}")"
expect_eq "no container label when none is known" 0 \
    "$(grep -c 'container=' "$TMPD/p.prom")"
ns2=$(cat "$TMPD/ns2")
check "the container's namespace differs" test -n "$ns2" -a "$ns2" != "$ns"
expect_eq "status --pid: every sample carries the container's ipc_ns" \
    "$(grep -vc '^#' "$TMPD/c.prom")" \
    "$(grep -v '^#' "$TMPD/c.prom" | grep -c "[{,]ipc_ns=\"$ns2\"}")"
expect_eq "two namespaces' files: no series in common (one textfile dir)" \
    "" "$(cat "$TMPD/p.prom" "$TMPD/c.prom" | grep -v '^#' |
    sed 's/ [^ ]*$//' | sort | uniq -d)"
mkdir -p "$TMPD/both"
cat "$TMPD/p.prom" >"$TMPD/both/all.prom"
grep -v '^#' "$TMPD/c.prom" >>"$TMPD/both/all.prom"
promtool check metrics <"$TMPD/both/all.prom" >"$TMPD/promtool.out" 2>&1
expect_eq "both namespaces' samples in one file pass promtool" 0 $?
sed 's/^/    /' "$TMPD/promtool.out"
expect_eq "every metric has HELP and TYPE" \
    "$(grep -c '^# TYPE' "$TMPD/p.prom")" "$(grep -c '^# HELP' "$TMPD/p.prom")"
expect_eq "nothing on stderr" "" "$(cat "$TMPD/p.err")"

# orphaned objects per resource: the three segments ipcmk left (nothing
# attached, creator gone); the arrays ipcmk made are younger than the
# default --orphan-min-age of 1h
expect_eq "ipcmk's segments: ipctune_orphaned_objects{resource=\"shmmni\"}" \
    3 "$(val 'ipctune_orphaned_objects{resource="shmmni"}' "$TMPD/p.prom")"
expect_eq "young arrays are not counted" 0 \
    "$(val 'ipctune_orphaned_objects{resource="semmni"}' "$TMPD/p.prom")"
expect_eq "queues: none orphaned" 0 \
    "$(val 'ipctune_orphaned_objects{resource="msgmni"}' "$TMPD/p.prom")"
expect_eq "their pages as bytes a clean-up gives back to shmall" \
    $((5 * pg)) \
    "$(val 'ipctune_orphaned_used_bytes{resource="shmall"}' "$TMPD/p.prom")"
for f in live old no; do
	promtool check metrics <"$TMPD/$f.prom" >"$TMPD/promtool.out" 2>&1
	expect_eq "promtool check metrics ($f): clean" 0 $?
	sed 's/^/    /' "$TMPD/promtool.out"
done
expect_eq "running process: its arrays are not counted, ipcmk's 2 are" 2 \
    "$(val 'ipctune_orphaned_objects{resource="semmni"}' "$TMPD/live.prom")"
expect_eq "killed process: its 4 arrays and ipcmk's 2 (--orphan-min-age 0)" \
    6 "$(val 'ipctune_orphaned_objects{resource="semmni"}' "$TMPD/old.prom")"
expect_eq "their semaphores: 4 x 3 + 5 + 7" 24 \
    "$(val 'ipctune_orphaned_used{resource="semmns"}' "$TMPD/old.prom")"
expect_eq "the same counts as 'orphans --min-age 0'" \
    "$(jq -r '.orphans | "\(.shm) \(.sem) \(.msg)"' "$TMPD/orphans.json")" \
    "$(for r in shmmni semmni msgmni; do
	val "ipctune_orphaned_objects{resource=\"$r\"}" "$TMPD/old.prom"
    done | tr '\n' ' ' | sed 's/ $//')"
expect_eq "no evidence left unread as root" 0 \
    "$(val ipctune_orphans_unknown_objects "$TMPD/old.prom")"
expect_eq "--no-orphans: no orphan metric" 0 \
    "$(grep -c orphan "$TMPD/no.prom")"
# a snapshot says nothing about the processes running now
"$IPCTUNE" snapshot >"$TMPD/snap.json"
expect_eq "--from a snapshot: no orphan metric" 0 \
    "$("$IPCTUNE" status --from "$TMPD/snap.json" --format prometheus |
    grep -c orphan)"

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

# a symlink at the target is refused: neither followed nor turned into
# a regular file (12.B8)
echo keep >"$TMPD/victim"
ln -s "$TMPD/victim" "$OUT/link.prom"
"$IPCTUNE" status --format prometheus --output "$OUT/link.prom" \
    2>"$TMPD/e0"
expect_eq "--output refuses a symlink: exit 1" 1 $?
[ -L "$OUT/link.prom" ] && [ "$(cat "$TMPD/victim")" = keep ] &&
    ok "--output neither follows nor replaces a symlink" ||
    fail "--output followed or replaced a symlink"
check "... and says why" grep -q "'$OUT/link.prom'.*symbolic link" \
    "$TMPD/e0"

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
