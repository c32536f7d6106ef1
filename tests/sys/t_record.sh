#!/bin/sh
# ipctune record: the state directory rules, file modes, refusing
# symlinks, a torn last line, garbage lines, eight concurrent writers,
# retention and compaction by an atomic rewrite, usage errors, and the
# systemd units.  The kernel is read inside a private IPC namespace.
. "$(dirname "$0")/lib.sh"

H=$TMPD/h.jsonl
# Samples per writer in the concurrency test (the full run uses 1000).
PER=${RECORD_PER_WRITER:-1000}

rec() { unshare --ipc "$IPCTUNE" record "$@"; }
nlines() { wc -l <"$1" | tr -d ' '; }
# valid_lines FILE: lines that parse as JSON objects with v and t
valid_lines() {
	python3 -c '
import json, sys
n = 0
for l in open(sys.argv[1]):
    try:
        o = json.loads(l)
        if isinstance(o, dict) and o.get("v") == 1 and "t" in o:
            n += 1
    except ValueError:
        pass
print(n)' "$1"
}

# -- the state directory and modes
mkdir -p "$TMPD/sd"
(umask 077; IPCTUNE_STATE_DIR=$TMPD/sd/x/y rec) >"$TMPD/o" 2>&1
check "record creates the state directory and history" \
    test -f "$TMPD/sd/x/y/history.jsonl"
expect_eq "history mode is 0644 despite umask 077" 644 \
    "$(stat -c %a "$TMPD/sd/x/y/history.jsonl")"
expect_eq "lock file mode is 0600" 600 \
    "$(stat -c %a "$TMPD/sd/x/y/history.jsonl.lock")"
expect_eq "one valid line" 1 "$(valid_lines "$TMPD/sd/x/y/history.jsonl")"
check "sample has semmni with used and limit" \
    jq -e '.semmni | length == 2 and .[0] >= 0 and .[1] > 0' \
    "$TMPD/sd/x/y/history.jsonl"
STATE_DIRECTORY=$TMPD/sd/systemd:$TMPD/sd/other rec --at 1000
check "STATE_DIRECTORY (first of a list) is used" \
    test -f "$TMPD/sd/systemd/history.jsonl"
check "--at sets the sample time" \
    jq -e '.t == 1000' "$TMPD/sd/systemd/history.jsonl"
# sticky, like /tmp: a directory others may write without the sticky
# bit is refused on the way to a state directory (dirsafe)
mkdir -p "$TMPD/xdg" && chmod 1777 "$TMPD/xdg" "$TMPD"
if env -i PATH="$PATH" HOME=/nonexistent XDG_STATE_HOME="$TMPD/xdg" \
    setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$IPCTUNE" record >"$TMPD/o" 2>&1; then
	check "XDG_STATE_HOME/ipctune for a user" \
	    test -f "$TMPD/xdg/ipctune/history.jsonl"
else
	fail "record as an unprivileged user: $(cat "$TMPD/o")"
fi
if env -i PATH="$PATH" HOME="$TMPD/xdg" XDG_STATE_HOME=relative \
    setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$IPCTUNE" record >"$TMPD/o" 2>&1; then
	check "a relative XDG_STATE_HOME is ignored (HOME/.local/state)" \
	    test -f "$TMPD/xdg/.local/state/ipctune/history.jsonl"
else
	fail "record with a relative XDG_STATE_HOME: $(cat "$TMPD/o")"
fi
IPCTUNE_STATE_DIR=relative/dir rec >"$TMPD/o" 2>&1
expect_eq "a relative IPCTUNE_STATE_DIR fails" 1 $?
check "... and says why" grep -q "not an absolute path" "$TMPD/o"

# -- symlinks are refused
echo keep >"$TMPD/target"
ln -s "$TMPD/target" "$TMPD/link.jsonl"
rec --history "$TMPD/link.jsonl" >"$TMPD/o" 2>&1
expect_eq "a symlinked history is refused" 1 $?
expect_eq "... and its target is untouched" keep "$(cat "$TMPD/target")"

# -- a torn last line
rec --history "$H" --at 2000
printf '{"v":1,"t":2300,"semmni":[4' >>"$H"
rec --history "$H" --at 2600 >"$TMPD/o" 2>"$TMPD/e"
expect_eq "record after a torn line succeeds" 0 $?
check "... warns about the incomplete line" \
    grep -q "incomplete line" "$TMPD/e"
expect_eq "... and does not glue onto it (3 lines, 2 valid)" "3 2" \
    "$(nlines "$H") $(valid_lines "$H")"
check "... the new sample is a line of its own" \
    sh -c "tail -n 1 '$H' | jq -e '.t == 2600'"
"$IPCTUNE" forecast --history "$H" --format json >"$TMPD/f" 2>"$TMPD/e"
expect_eq "forecast skips the torn line and keeps both samples" 2 \
    "$(jq .history.samples "$TMPD/f")"
check "... with a warning that names the line" \
    grep -q "line 2 skipped" "$TMPD/e"
printf 'garbage \001\002\n' >>"$H"
rec --history "$H" --at 2900
"$IPCTUNE" forecast -q --history "$H" --format json >"$TMPD/f" 2>"$TMPD/e"
expect_eq "a garbage line costs no other sample" "3 2" \
    "$(jq '"\(.history.samples) \(.history.skipped_lines)"' -r "$TMPD/f")"

# -- eight concurrent writers; writer 0 also forces a rewrite (the
# interleaved file is unsorted) every 50 samples, racing the appends
C=$TMPD/conc.jsonl
unshare --ipc sh -c '
	for p in 0 1 2 3 4 5 6 7; do
		(
			i=0
			while [ $i -lt '"$PER"' ]; do
				c=
				[ $p -eq 0 ] && [ $((i % 50)) -eq 49 ] &&
				    c=--compact
				"$IPCTUNE" record -q --history "'"$C"'" $c \
				    --at $((1000000 + p * 100000 + i)) || exit 1
				i=$((i + 1))
			done
		) &
	done
	wait'
expect_eq "8 writers x $PER samples: every line valid" \
    "$((8 * PER)) $((8 * PER))" "$(nlines "$C") $(valid_lines "$C")"
expect_eq "... and every sample there once" "$((8 * PER))" \
    "$(jq .t "$C" | sort -u | wc -l | tr -d ' ')"

# -- retention and compaction
now=$(date +%s)
"$BUILD/tests/genhistory" --samples $((40 * 288)) --step 300 \
    --start $((now - 40 * 86400)) --slope 2 >"$TMPD/old.jsonl"
chmod 0644 "$TMPD/old.jsonl"
before=$(nlines "$TMPD/old.jsonl")
rec --history "$TMPD/old.jsonl" --compact --keep 35d --compact-after 30d \
    >"$TMPD/o" 2>&1
expect_eq "compaction runs" 0 $?
check "... and reports it" grep -q "after retention and compaction" \
    "$TMPD/o"
after=$(nlines "$TMPD/old.jsonl")
expect_eq "... every line still valid" "$after" \
    "$(valid_lines "$TMPD/old.jsonl")"
check "... fewer samples ($before -> $after)" test "$after" -lt "$before"
expect_eq "... nothing older than 35 days" 0 "$(jq --argjson c \
    $((now - 35 * 86400 - 60)) 'select(.t < $c) | .t' \
    "$TMPD/old.jsonl" | wc -l | tr -d ' ')"
expect_eq "... one sample per hour between 35 and 30 days" 0 "$(jq \
    --argjson c $((now - 30 * 86400 - 600)) 'select(.t < $c) | .t / 3600 |
    floor' "$TMPD/old.jsonl" | uniq -d | wc -l | tr -d ' ')"
recent=$(jq --argjson c $((now - 29 * 86400)) 'select(.t >= $c) | .t' \
    "$TMPD/old.jsonl" | wc -l | tr -d ' ')
check "... the last 29 days untouched ($recent samples)" \
    test "$recent" -ge $((29 * 288))
expect_eq "... mode still 0644" 644 "$(stat -c %a "$TMPD/old.jsonl")"
expect_eq "... no temporary file left" "" \
    "$(ls -A "$TMPD" | grep '^\.old\.jsonl\.' || true)"
rec --history "$TMPD/old.jsonl" >"$TMPD/o" 2>&1
expect_eq "the next record appends (maintenance once a day)" \
    $((after + 1)) "$(nlines "$TMPD/old.jsonl")"

rec --history "$TMPD/short.jsonl" --keep 14d >"$TMPD/o" 2>&1
expect_eq "--keep below the default --compact-after is taken" 0 $?

# -- a negative kernel.sem field is recorded as the kernel holds it, as
# status shows it, and kept through compaction (three samples of one
# hour become one, 31 days on)
t=$(( (now - 40 * 86400) / 3600 * 3600 ))
in_ipcns '
	echo "-5 32000 -1 128" >/proc/sys/kernel/sem || exit 1
	for d in 0 600 1200; do
		"$IPCTUNE" record -q --history "'"$TMPD"'/neg.jsonl" \
		    --at $(('"$t"' + d)) || exit 1
	done
	"$IPCTUNE" status --format json >"'"$TMPD"'/neg-status.json"
	"$IPCTUNE" record --compact --history "'"$TMPD"'/neg.jsonl" \
	    --at $(('"$t"' + 31 * 86400)) >/dev/null || exit 1'
expect_eq "negative sem: status holds SEMMSL -5" -5 "$(jq -r '.resources[] |
    select(.name == "semmsl") | .limit' "$TMPD/neg-status.json")"
expect_eq "negative sem: compacted to one sample and the new one" 2 \
    "$(nlines "$TMPD/neg.jsonl")"
expect_eq "negative sem: both hold semmsl -5, semmns 32000" \
    "-5 32000,-5 32000" "$(jq -r '"\(.semmsl[1]) \(.semmns[1])"' \
    "$TMPD/neg.jsonl" | paste -sd, -)"

# -- usage errors
for args in "--keep 0" "--keep 10x" "--at -5" "--at soon" \
    "--keep 10d --compact-after 20d" "extra"; do
	# shellcheck disable=SC2086
	"$IPCTUNE" record --history "$TMPD/u.jsonl" $args >/dev/null 2>&1
	expect_eq "record $args is a usage error" 2 $?
done
check "no history written on usage errors" test ! -e "$TMPD/u.jsonl"

# -- the systemd units
U=$TOP/contrib/systemd
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$TMPD/units"
	sed "s|^ExecStart=/usr/sbin/ipctune|ExecStart=$IPCTUNE|" \
	    "$U/ipctune-record.service" >"$TMPD/units/ipctune-record.service"
	cp "$U/ipctune-record.timer" "$TMPD/units/"
	check "systemd-analyze verify accepts the units" \
	    systemd-analyze verify --man=no \
	    "$TMPD/units/ipctune-record.service" \
	    "$TMPD/units/ipctune-record.timer"
	sed 's/OnUnitActiveSec/OnUnitActivSec/; s/OnBootSec=.*//' \
	    "$U/ipctune-record.timer" >"$TMPD/units/ipctune-record.timer"
	if systemd-analyze verify --man=no \
	    "$TMPD/units/ipctune-record.service" \
	    "$TMPD/units/ipctune-record.timer" >/dev/null 2>&1; then
		fail "systemd-analyze verify should refuse a broken timer"
	else
		ok "systemd-analyze verify refuses a broken timer"
	fi
	check "the service records into its StateDirectory" \
	    grep -q '^StateDirectory=ipctune$' "$U/ipctune-record.service"
	check "the timer fires every five minutes" \
	    grep -q '^OnUnitActiveSec=5min$' "$U/ipctune-record.timer"
	if grep -q '^PrivateIPC=yes' "$U/ipctune-record.service"; then
		fail "the service must not use PrivateIPC"
	else
		ok "the service sees the host IPC namespace"
	fi
else
	fail "systemd-analyze is missing (apt-get install systemd)"
fi

finish
