#!/bin/sh
# Issue 12.C15: text from outside never drives the operator's terminal.
# Host names and paths in snapshots come from other hosts, profile files
# from packages, process names from /proc (a process names itself): every
# text output (tables, header lines, findings, notes, warnings, errors,
# the monitoring-plugin text, Prometheus, report) prints their control
# characters, C1 controls and invalid UTF-8 as visible escapes.  JSON is
# escaped by its own writer and not checked here.
. "$(dirname "$0")/lib.sh"
enter_private_ns pid

# The checker: no C0 control but newline and tab, no DEL, no C1 (raw or
# as UTF-8), no byte that is not UTF-8.  Prints the first offender.
cat >"$TMPD/raw.py" <<'EOT'
import sys
bad = []
for path in sys.argv[1:]:
    text = open(path, 'rb').read().decode('utf-8', 'surrogateescape')
    for i, ch in enumerate(text):
        o = ord(ch)
        if (o < 0x20 and ch not in '\n\t') or 0x7f <= o <= 0x9f or \
                0xdc80 <= o <= 0xdcff:
            bad.append('%s: %r at %d: %r' % (path.rsplit('/', 1)[-1], ch,
                       i, text[max(0, i - 30):i + 10]))
            break
print('; '.join(bad))
sys.exit(1 if bad else 0)
EOT
# no_raw DESCRIPTION FILE...: no raw control character in the FILEs
no_raw() {
	d=$1
	shift
	if out=$(python3 "$TMPD/raw.py" "$@"); then ok "$d"; else
		fail "$d: $out"
	fi
}
ESC=$(printf '\033')

# A snapshot of this namespace, then made hostile: the host name sets the
# window title and clears the screen, with CR, BEL, DEL, C1 CSI and NEL.
ipcmk -M 65536 >/dev/null && ipcmk -S 2 >/dev/null && ipcmk -Q >/dev/null
"$IPCTUNE" snapshot >"$TMPD/plain.json" || fail "cannot take a snapshot"
S="$TMPD/snap${ESC}[2J.json"
python3 - "$TMPD/plain.json" "$S" <<'EOT'
import json, sys
d = json.load(open(sys.argv[1]))
bad = 'ev\x1b]0;pwned\x07\x1b[2J\r\u009b31m\x7f\u0085il'
d['host']['hostname'] = bad
d['ipc_namespace']['hostname'] = bad
d['host']['kernel_release'] = '6.1\x1b[31m\u009b'
json.dump(d, open(sys.argv[2], 'w'))
EOT

# every text-producing command that reads a snapshot
i=0
while IFS='|' read -r name args; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	"$IPCTUNE" $args --from "$S" >"$TMPD/o$i" 2>"$TMPD/e$i"
	no_raw "12.C15 '$name' --from a hostile snapshot prints no raw control character" \
	    "$TMPD/o$i" "$TMPD/e$i"
done <<'EOT'
status|status
status --bytes|status -b
status prometheus|status --format prometheus
list|list
list shm|list shm
list sem|list sem
list msg|list msg
owners|owners
fit|fit --shm-size 1M --sem-arrays 1 --sems-per-array 1 --queues 1
recommend|recommend -p postgresql-sysv
plan|plan -p postgresql-sysv -n 1
check|check
check -w 0|check -w 0 -c 0
profiles|profiles
EOT
"$IPCTUNE" status --from "$S" >"$TMPD/st" 2>&1
grep -qF 'of host ev\x1b]0;pwned\x07\x1b[2J\x0d\xc2\x9b31m\x7f\xc2\x85il, from snapshot' \
    "$TMPD/st" &&
    ok "12.C15 the namespace line shows the hostile host name as visible escapes" ||
    fail "12.C15 namespace line: $(head -1 "$TMPD/st" | cat -v)"

# the report over it: summary, --hosts and CSV
for args in "" "--hosts" "--format csv" "--hosts -p postgresql-sysv"; do
	# shellcheck disable=SC2086
	"$IPCTUNE" report $args "$S" >"$TMPD/r" 2>"$TMPD/re"
	no_raw "12.C15 'report $args' over a hostile snapshot prints no raw control character" \
	    "$TMPD/r" "$TMPD/re"
done

# errors and warnings that quote a path or a name from outside
M="$TMPD/no${ESC}]0;t${ESC}\\such.json"
"$IPCTUNE" status --from "$M" >"$TMPD/o" 2>"$TMPD/e"
no_raw "12.C15 the error about a missing --from file escapes its name" \
    "$TMPD/o" "$TMPD/e"
grep -qF 'no\x1b]0;t\x1b\such.json' "$TMPD/e" &&
    ok "12.C15 the error shows the file name with visible escapes" ||
    fail "12.C15 error text: $(cat -v "$TMPD/e")"
"$IPCTUNE" check --from "$M" >"$TMPD/o" 2>"$TMPD/e"
no_raw "12.C15 check's UNKNOWN line escapes the file name" "$TMPD/o" "$TMPD/e"
python3 - "$S" "$TMPD/nosem${ESC}[5m.json" <<'EOT'
import json, sys
d = json.load(open(sys.argv[1]))
del d['objects']['sem']
json.dump(d, open(sys.argv[2], 'w'))
EOT
"$IPCTUNE" list sem --from "$TMPD/nosem${ESC}[5m.json" >"$TMPD/o" 2>"$TMPD/e"
no_raw "12.C15 'holds no sem objects' escapes the snapshot name" \
    "$TMPD/o" "$TMPD/e"
"$IPCTUNE" "bogus${ESC}[2J" >"$TMPD/o" 2>"$TMPD/e"
no_raw "12.C15 'unknown command' escapes the command given" "$TMPD/o" "$TMPD/e"
"$IPCTUNE" status -o "X${ESC}[2J" >"$TMPD/o" 2>"$TMPD/e"
no_raw "12.C15 'unknown column' escapes the column given" "$TMPD/o" "$TMPD/e"
mkdir -p "$TMPD/fleet"
printf '{"schema_version": 1, "document": "snap%s[2J"}' "$ESC" \
    >"$TMPD/fleet/bad${ESC}[2J.json"
cp "$S" "$TMPD/fleet/"
for args in "" "--hosts" "--format csv"; do
	# shellcheck disable=SC2086
	"$IPCTUNE" report $args "$TMPD/fleet" >"$TMPD/o" 2>"$TMPD/e"
	no_raw "12.C15 'report $args' lists a hostile skipped file escaped" \
	    "$TMPD/o" "$TMPD/e"
done

# profiles from a package: name, summary and source with escapes
P=$TMPD/profiles
mkdir -p "$P"
cat >"$P/evil.conf" <<EOT
[main]
summary = clears ${ESC}[2J the screen
source = ${ESC}]0;title$(printf '\007')

[sysctl]
kernel.shmmni = 4096
EOT
cp "$P/evil.conf" "$P/ev${ESC}[2Jil.conf"
for args in "profiles" "profiles show evil" "recommend -p evil" \
    "plan -p evil -n 1" "verify -p evil" "recommend -p ev${ESC}[2Jil"; do
	# shellcheck disable=SC2086
	"$IPCTUNE" $args --profile-dir "$P" >"$TMPD/o" 2>"$TMPD/e"
	no_raw "12.C15 '$(echo "$args" | cut -d"$ESC" -f1)' with a hostile profile prints no raw control character" \
	    "$TMPD/o" "$TMPD/e"
done

# user names from the password database, as completion candidates and
# as owners (a copy bound over /etc/passwd in this mount namespace only)
cp /etc/passwd "$TMPD/passwd"
printf 'ev%s[2Jil:x:4242:4242::/nonexistent:/bin/false\n' "$ESC" >>"$TMPD/passwd"
mount --bind "$TMPD/passwd" /etc/passwd
"$IPCTUNE" __complete users >"$TMPD/o" 2>"$TMPD/e"
no_raw "12.C15 user name completion offers no name with control characters" \
    "$TMPD/o" "$TMPD/e"
grep -qx root "$TMPD/o" && ok "12.C15 user name completion still offers root" ||
    fail "12.C15 user name completion: $(cat -v "$TMPD/o" | head -3)"
ipcmk -M 4096 -p 0600 >/dev/null
id=$(ipcs -m | awk 'NR > 3 && $1 != "" { print $2; exit }')
python3 -c 'import ctypes, sys
libc = ctypes.CDLL(None)
class P(ctypes.Structure):
    _fields_ = [("key", ctypes.c_int), ("uid", ctypes.c_uint),
                ("gid", ctypes.c_uint), ("cuid", ctypes.c_uint),
                ("cgid", ctypes.c_uint), ("mode", ctypes.c_ushort),
                ("pad", ctypes.c_byte * 256)]
buf = (ctypes.c_byte * 512)()
assert libc.shmctl(int(sys.argv[1]), 2, buf) == 0	# IPC_STAT
p = P.from_buffer(buf)
p.uid = 4242
assert libc.shmctl(int(sys.argv[1]), 1, buf) == 0	# IPC_SET' "$id" ||
    fail "cannot give segment $id to uid 4242"
for args in "owners" "list shm" "orphans -a" "orphans --owner 4242"; do
	# shellcheck disable=SC2086
	"$IPCTUNE" $args >"$TMPD/o" 2>"$TMPD/e"
	no_raw "12.C15 '$args' with an owner named by an escape sequence prints no raw control character" \
	    "$TMPD/o" "$TMPD/e"
done
"$IPCTUNE" orphans >"$TMPD/o" 2>&1
grep -qF 'ev\x1b[2Jil: 1 shared memory segment looks leaked' "$TMPD/o" &&
    ok "12.C15 the orphans summary shows the owner's name with visible escapes" ||
    fail "12.C15 orphans summary: $(cat -v "$TMPD/o")"
umount /etc/passwd

# A live process names itself with an escape sequence (prctl
# PR_SET_NAME) and holds a segment it created: its name is evidence.
ipcrm -a
cat >"$TMPD/holder.py" <<'EOT'
import ctypes, sys, time
libc = ctypes.CDLL(None, use_errno=True)
libc.prctl(15, b"\x1b]0;pw\x07\x1b[2J\x9b", 0, 0, 0)	# PR_SET_NAME
libc.shmget.restype = ctypes.c_int
libc.shmat.restype = ctypes.c_void_p
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
sid = libc.shmget(0x1215, 65536, 0o1000 | 0o600)	# IPC_CREAT
if sid < 0 or libc.shmat(sid, None, 0) in (None, ctypes.c_void_p(-1).value):
    sys.exit(1)
open(sys.argv[1], 'w').write('%d\n' % sid)
time.sleep(300)
EOT
python3 "$TMPD/holder.py" "$TMPD/ready" &
hp=$!
n=0
while [ ! -s "$TMPD/ready" ] && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
if [ "$(od -An -c "/proc/$hp/comm" | tr -d ' \n')" = '033]0;pw\a033[2J233\n' ]; then
	ok "12.C15 the holder's comm is an escape sequence"
else
	fail "12.C15 the holder's comm is $(od -An -c "/proc/$hp/comm")"
fi
for args in "orphans -a" "orphans -a -o TYPE,ID,EVIDENCE,ATTACHED-BY" \
    "orphans" "clean" "list" "list shm" "owners" "status" \
    "show shm $(cat "$TMPD/ready")"; do
	# shellcheck disable=SC2086
	"$IPCTUNE" $args >"$TMPD/o" 2>"$TMPD/e"
	no_raw "12.C15 '$args' with a process named by an escape sequence prints no raw control character" \
	    "$TMPD/o" "$TMPD/e"
done
"$IPCTUNE" orphans -a -o TYPE,ID,EVIDENCE,ATTACHED-BY >"$TMPD/o" 2>&1
grep -qF "$hp "'\x1b]0;pw\x07\x1b[2J\x9b' "$TMPD/o" &&
    ok "12.C15 orphans -a shows the attacher's name with visible escapes" ||
    fail "12.C15 orphans -a: $(cat -v "$TMPD/o")"
"$IPCTUNE" show shm "$(cat "$TMPD/ready")" >"$TMPD/o" 2>&1
grep -qE "^ *$hp +"'\\x1b\]0;pw\\x07\\x1b\[2J\\x9b ' "$TMPD/o" &&
    ok "12.C15 show shm lists the attacher's name with visible escapes" ||
    fail "12.C15 show shm: $(cat -v "$TMPD/o")"
# JSON: a name that is not UTF-8 is kept, escaped, not dropped
"$IPCTUNE" orphans -a --format json >"$TMPD/o.json" 2>/dev/null
if out=$(python3 - "$TMPD/o.json" "$hp" <<'EOT' 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
it = [o for o in d["objects"] if o["key_hex"] == "0x00001215"][0]
want = "\\x1b]0;pw\\x07\\x1b[2J\\x9b"
assert it["attachers"] == [{"pid": int(sys.argv[2]), "command": want}], \
    it["attachers"]
assert all(p["command"] == want for p in it["pids"]), it["pids"]
EOT
); then
	ok "12.C15 orphans JSON keeps a process name that is not UTF-8, escaped"
else
	fail "12.C15 orphans JSON: $out"
fi
kill "$hp"
wait "$hp" 2>/dev/null

# Valid UTF-8 is text, printed as it is in tables as everywhere else; a
# C1 control encoded as UTF-8 (U+0085) is still escaped; a wide (CJK)
# name keeps the columns aligned by display width.
mount -t tmpfs tmpfs /dev/shm
: >"/dev/shm/$(printf 'gr\303\274n\346\227\245\346\234\254')"
: >"/dev/shm/$(printf 'c1\302\205x')"
: >/dev/shm/plain
"$IPCTUNE" list pshm -o NAME,OWNER,SIZE >"$TMPD/o" 2>&1
grep -q "^/$(printf 'gr\303\274n\346\227\245\346\234\254') " "$TMPD/o" &&
    ok "a table prints a valid UTF-8 name as it is" ||
    fail "a table escapes valid UTF-8: $(cat "$TMPD/o")"
grep -qF '/c1\xc2\x85x ' "$TMPD/o" &&
    ok "a table still escapes a C1 control written as UTF-8" ||
    fail "a table and a C1 control: $(cat -v "$TMPD/o")"
if out=$(python3 - "$TMPD/o" <<'EOT' 2>&1
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1
               for c in s)
ends = set()
for line in open(sys.argv[1], encoding='utf-8'):
    line = line.rstrip('\n')
    if line.startswith(('/', 'NAME')):
        ends.add(width(line[:line.index('root' if line[0] == '/' else 'OWNER')]))
assert len(ends) == 1, ends
EOT
); then
	ok "a wide UTF-8 name keeps the OWNER column aligned"
else
	fail "columns with a wide name: $out"
fi
: >"/dev/shm/$(printf 'tab\tx')"
"$IPCTUNE" orphans -a --type pshm -o TYPE,ID >"$TMPD/o" 2>&1
grep -qE '^pshm +tab\\x09x$' "$TMPD/o" &&
    ok "orphans names a POSIX object escaped once" ||
    fail "orphans and a POSIX name: $(cat "$TMPD/o")"
rm -f /dev/shm/*
: >'/dev/shm/bs\x41'
"$IPCTUNE" list pshm -o NAME >"$TMPD/o" 2>&1
grep -qx '/bs\\x5cx41' "$TMPD/o" &&
    ok "a name holding a backslash and x reads back unambiguously" ||
    fail "a name with \\x: $(cat "$TMPD/o")"
umount /dev/shm
finish
