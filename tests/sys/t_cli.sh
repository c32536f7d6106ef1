#!/bin/sh
# Golden output: status, list, owners and snapshot of the fixture trees
# in tests/fixtures (--root), compared exactly with tests/cli/*.ok.  JSON
# goes through jq -S without the members that depend on the moment or
# the machine (generated_at, read_at_unix, ncpu).  UPDATE=1 rewrites the
# .ok files; review the diff before committing it.
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
OK=tests/cli
FX=tests/fixtures
JQ='del(.generated_at, .host.read_at_unix, .host.ncpu)'

# golden NAME EXPECTED-STATUS COMMAND...: stdout (and stderr) vs NAME.ok
golden() {
	name=$1
	want=$2
	shift 2
	"$@" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	{ cat "$TMPD/out"; sed 's/^/stderr: /' "$TMPD/err"; echo "exit $rc"; } \
	    >"$TMPD/got"
	compare "$name" "$want" "$rc"
}
# golden_json NAME COMMAND...: JSON stdout through jq -S vs NAME.ok
golden_json() {
	name=$1
	shift
	"$@" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	jq -S "$JQ" "$TMPD/out" >"$TMPD/got" 2>&1 || echo "not JSON" >>"$TMPD/got"
	compare "$name" 0 "$rc"
}
compare() {
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$TMPD/got" "$OK/$1.ok"
	fi
	if [ "$3" != "$2" ]; then
		fail "$1: exit status $3, expected $2"
		sed 's/^/    /' "$TMPD/err" | head -3
	elif [ ! -f "$OK/$1.ok" ]; then
		fail "$1: $OK/$1.ok is missing (UPDATE=1 creates it)"
	elif cmp -s "$OK/$1.ok" "$TMPD/got"; then
		ok "$1"
	else
		fail "$1: differs from $OK/$1.ok"
		diff -u "$OK/$1.ok" "$TMPD/got" | head -20 | sed 's/^/    /'
	fi
}

# a 64-bit kernel layout: 16 shm columns, limits above 2^53-1
R="--root $FX/root64"
golden root64-status 0 "$IPCTUNE" status $R
golden root64-status-bytes 0 "$IPCTUNE" status $R --bytes -n
golden root64-status-columns 0 "$IPCTUNE" status $R \
    -o RESOURCE,DESCRIPTION,USE%,SYSCTL
golden_json root64-status.json "$IPCTUNE" status $R --format json
golden root64-list 0 "$IPCTUNE" list $R
golden root64-list-shm-all 0 "$IPCTUNE" list shm $R --bytes -o \
    ID,KEY,OWNER,GROUP,CUID,CGID,PERMS,SIZE,PAGES,NATTCH,CPID,LPID,ATTACHED,DETACHED,CHANGED,STATUS,RSS,SWAP
golden root64-list-msg-all 0 "$IPCTUNE" list msg $R -o \
    ID,KEY,OWNER,GROUP,CUID,CGID,PERMS,USED,MESSAGES,QBYTES,LSPID,LRPID,SENT,RECEIVED,CHANGED
# the old headings above are accepted as aliases; lsipc's names here
golden root64-list-shm-lsipc 0 "$IPCTUNE" list shm $R -o \
    ID,UID,USER,GID,GROUP,CUID,CUSER,CGID,CGROUP,PERMS,RWX,ATTACH,DETACH,CTIME,RSS,SWAP,COMMAND
golden root64-list-sem-raw 0 "$IPCTUNE" list sem $R --raw --time-format unix
golden root64-list-msg-export 0 "$IPCTUNE" list msg $R --export \
    --time-format full -o ID,KEY,USER,CUSER,USEDBYTES,MSGS,SEND,RECV,CTIME
golden root64-status-export 0 "$IPCTUNE" status $R --export
golden_json root64-list.json "$IPCTUNE" list $R --format json
golden root64-owners 0 "$IPCTUNE" owners $R
golden_json root64-owners.json "$IPCTUNE" owners $R --format json
golden_json root64-snapshot.json "$IPCTUNE" snapshot $R

# an old kernel: 14 shm columns (no rss/swap), no fs.mqueue, no
# shm_rmid_forced, ipcmni_extend on the command line
R="--root $FX/old14"
golden old14-status 0 "$IPCTUNE" status $R
golden_json old14-status.json "$IPCTUNE" status $R --format json
golden old14-list 0 "$IPCTUNE" list $R
golden_json old14-list.json "$IPCTUNE" list $R --format json

# broken trees: exit 1, a message naming the file, line and field
golden truncated-status 1 "$IPCTUNE" status --root $FX/truncated
golden truncated-list 1 "$IPCTUNE" list shm --root $FX/truncated
golden outofrange-list 1 "$IPCTUNE" list --root $FX/outofrange
golden badsysctl-status 1 "$IPCTUNE" status --root $FX/badsysctl
# the parts of a broken tree not asked for are not read
golden truncated-list-sem 0 "$IPCTUNE" list sem --root $FX/truncated -n

# a snapshot of a fixture tree analysed with --from gives the same report
"$IPCTUNE" snapshot --root $FX/root64 >"$TMPD/snap.json"
"$IPCTUNE" status --from "$TMPD/snap.json" -n >"$TMPD/a"
"$IPCTUNE" status --root $FX/root64 -n >"$TMPD/b"
check "root64: status --from its snapshot = status --root" \
    cmp "$TMPD/a" "$TMPD/b"

# totals summed from a tree never wrap: two queues of 2^64-1 bytes and
# messages are not 18446744073709551614 (or 1 with a third of 2)
cp -R "$FX/root64" "$TMPD/huge"
{
	head -1 "$FX/root64/proc/sysvipc/msg"
	for i in 0 1 2; do
		b=18446744073709551615
		[ $i = 2 ] && b=2
		echo "0 $i 600 $b $b 0 0 0 0 0 0 0 0 1"
	done
} >"$TMPD/huge/proc/sysvipc/msg"
"$IPCTUNE" snapshot --root "$TMPD/huge" >"$TMPD/huge.json"
expect_eq "summed msg_bytes and msg_messages saturate instead of wrapping" \
    "18446744073709551615 18446744073709551615" \
    "$(jq -r '.usage | "\(.msg_bytes_exact) \(.msg_messages_exact)"' "$TMPD/huge.json")"

# recommend --for: the change in each container platform's form
PP="--profile-dir $FX/platform-profiles"
for f in docker compose kubernetes podman; do
	golden "root64-recommend-for-$f" 0 "$IPCTUNE" recommend $R $PP \
	    -p t-platform --for "$f"
done
golden root64-recommend-for-kubernetes-safe 0 "$IPCTUNE" recommend $R $PP \
    -p t-safe --for kubernetes
golden recommend-for-unknown 2 "$IPCTUNE" recommend $R $PP -p t-platform \
    --for lxc
golden recommend-for-json 2 "$IPCTUNE" recommend $R $PP -p t-platform \
    --for docker --format json
finish
