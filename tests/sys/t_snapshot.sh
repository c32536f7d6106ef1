#!/bin/sh
# snapshot and --from: status, list and owners of a snapshot give the
# same figures as live; malformed snapshots are refused with an error
# naming the field and exit 1, never a crash.
. "$(dirname "$0")/lib.sh"
enter_private_ns
save_defaults
S=$TMPD/snap.json

sysctl_set shmmni 999
sysctl_set sem "100 2000 30 50"
hold shm size=1 count=10 shm size=70000 attach fill=1 \
    sem nsems=3 count=4 semop=1 msg send=2 bytes=10 || exit 1
setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$HELPER" -q shm size=5000 sem nsems=9 msg count=2 >/dev/null
"$IPCTUNE" snapshot >"$S"
check "snapshot exits 0 with a document" test -s "$S"
expect_eq "snapshot: document and schema_version" "snapshot 1" \
    "$(jget '"\(.document) \(.schema_version)"' "$S")"
expect_eq "snapshot: every object" "12 5 3" \
    "$(jget '"\(.objects.shm | length) \(.objects.sem | length) \(.objects.msg | length)"' "$S")"

# the same figures from the snapshot as live (minus time and source)
norm='del(.generated_at, .ipc_namespace.source, .ipc_namespace.source_detail,
    .host.read_at_unix)'
for c in status owners "list" "list shm" "list sem" "list msg"; do
	"$IPCTUNE" $c --format json | jq -S "$norm" >"$TMPD/live"
	"$IPCTUNE" $c --format json --from "$S" | jq -S "$norm" >"$TMPD/from"
	if cmp -s "$TMPD/live" "$TMPD/from" && test -s "$TMPD/live"; then
		ok "$c --from: the same JSON as live"
	else
		fail "$c --from: differs from live"
		diff "$TMPD/live" "$TMPD/from" | head -10 | sed 's/^/    /'
	fi
	"$IPCTUNE" $c -n >"$TMPD/live"
	"$IPCTUNE" $c -n --from "$S" >"$TMPD/from"
	check "$c --from: the same table as live" cmp "$TMPD/live" "$TMPD/from"
done
"$IPCTUNE" status --from "$S" >"$TMPD/t"
expect_match "status --from names the snapshot" \
    "^IPC namespace [0-9]+ of host .*, from snapshot '$S'\$" "$TMPD/t"
expect_eq "status --from - reads stdin" \
    "$("$IPCTUNE" status -n --from "$S")" "$("$IPCTUNE" status -n --from - <"$S")"
expect_eq "the source is recorded" snapshot \
    "$("$IPCTUNE" status --format json --from "$S" | jq -r .ipc_namespace.source)"
expect_status "snapshot --from is a usage error" 2 "$IPCTUNE" snapshot --from "$S"
expect_status "--from with --pid is a usage error" 2 \
    "$IPCTUNE" status --from "$S" --pid 1

# malformed snapshots: exit 1, a message naming the field, no crash
# bad NAME JQ-EDIT REGEX: edit the snapshot with jq and expect an error
bad() {
	jq "$2" "$S" >"$TMPD/bad.json" || { fail "$1: jq edit failed"; return; }
	bad_file "$1" "$TMPD/bad.json" "$3"
}
bad_file() {
	for c in status list owners; do
		"$IPCTUNE" $c --from "$2" >"$TMPD/out" 2>"$TMPD/err"
		rc=$?
		if [ $rc -ne 1 ]; then
			fail "$1 ($c): exit status $rc, expected 1"
			sed 's/^/    /' "$TMPD/err" | head -3
			continue
		fi
		if [ -s "$TMPD/out" ]; then
			fail "$1 ($c): output on stdout"
			continue
		fi
		if ! grep -Eq -- "^ipctune: malformed snapshot .*$3" "$TMPD/err" &&
		    ! grep -Eq -- "^ipctune: .*$3" "$TMPD/err"; then
			fail "$1 ($c): message does not match '$3':"
			sed 's/^/    /' "$TMPD/err" | head -3
			continue
		fi
		[ "$c" = owners ] && ok "$1: exit 1, $(head -c 120 "$TMPD/err")"
	done
}
bad "wrong type: page size as a string" '.host.page_size_bytes = "4096"' \
    'host\.page_size_bytes: not an integer'
bad "wrong type: host as an array" '.host = []' 'host: missing or not an object'
bad "missing field: hostname" 'del(.host.hostname)' 'host\.hostname: missing'
bad "missing field: sysctls" 'del(.sysctls)' 'sysctls: missing'
bad "missing field: an object's id" 'del(.objects.shm[3].id)' \
    'shm\[3\]\.id: missing'
bad "wrong type: nattch as a float" '.objects.shm[0].nattch = 1.5' \
    'shm\[0\]\.nattch: not an integer'
bad "wrong type: objects.sem as an object" '.objects.sem = {}' \
    'sem: not an array'
bad "negative size" '.objects.shm[1].size_bytes = -1' \
    'shm\[1\]\.size_bytes: negative'
bad "mode out of range" '.objects.msg[0].mode = 65536' \
    'msg\[0\]\.mode: out of range'
bad "uid above 2^32-1" '.objects.sem[0].uid = 4294967296' \
    'sem\[0\]\.uid: out of range'
bad "unsupported schema_version" '.schema_version = 2' \
    'unsupported schema_version 2'
bad "schema_version as a string" '.schema_version = "1"' \
    'schema_version: not an integer'
bad "not a snapshot document" '.document = "status"' \
    'not an ipctune snapshot'
bad "sysctl raw not a number" '.sysctls["kernel.shmmni"].raw = "12x"' \
    'sysctls\.kernel\.shmmni\.raw: .*bad number'
bad "kernel.sem with 3 fields" '.sysctls["kernel.sem"].raw = "1 2 3"' \
    'sysctls\.kernel\.sem\.raw: .*expected 4 fields'
bad "page size not a power of two" '.host.page_size_bytes = 4095' \
    'host\.page_size_bytes: not a power of two'
bad "null without an _exact value" '.usage.shm_pages = null' \
    'usage\.shm_pages: null without an exact value'
bad "_exact not decimal digits" \
    '.usage.shm_pages = null | .usage.shm_pages_exact = "0x10"' \
    'usage\.shm_pages_exact: not a decimal string'
bad "_exact above 2^64-1" \
    '.usage.shm_pages = null | .usage.shm_pages_exact = "18446744073709551616"' \
    'usage\.shm_pages_exact: not a decimal string'
bad "a document that is an array" '[.]' 'not a JSON object'
bad "ncpu 0" '.host.ncpu = 0' 'host\.ncpu: out of range'
bad "ncpu above 2^53 through _exact" \
    '.host.ncpu = null | .host.ncpu_exact = "18446744073709551615"' \
    'host\.ncpu: not an integer'
sed 's/"ram_bytes": [0-9]*/"ram_bytes": 123456789012345678901234567890/' \
    "$S" >"$TMPD/b"
bad_file "huge integer" "$TMPD/b" 'line [0-9]+.*(too big|overflow)'
sed 's/"ram_bytes": [0-9]*/"ram_bytes": 1e400/' "$S" >"$TMPD/b"
bad_file "huge real" "$TMPD/b" 'line [0-9]+|ram_bytes'
sed 's/"hostname": "[^"]*"/"hostname": "a\\u0000b"/' "$S" >"$TMPD/b"
bad_file "NUL escape in a string" "$TMPD/b" 'line [0-9]+.*NUL'
{ head -c 200 "$S"; printf '\000'; tail -c +201 "$S"; } >"$TMPD/b"
bad_file "raw NUL byte after a number" "$TMPD/b" 'a NUL byte at offset 200'
{ head -c 2; printf '\000'; tail -c +3 "$S"; } <"$S" >"$TMPD/b"
bad_file "raw NUL byte in whitespace" "$TMPD/b" 'a NUL byte at offset 2'
sed 's/"hostname": "[^"]*"/"hostname": "\xff\xfe"/' "$S" >"$TMPD/b"
bad_file "non-UTF-8 string" "$TMPD/b" 'line [0-9]+.*(UTF-8|decode byte 0xff)'
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; print "" }' >"$TMPD/b"
bad_file "deep nesting (100,000 arrays)" "$TMPD/b" 'line [0-9]+.*(depth|nest)'
head -c 1000 "$S" >"$TMPD/b"
bad_file "truncated document" "$TMPD/b" 'line [0-9]+'
: >"$TMPD/b"
bad_file "empty file" "$TMPD/b" 'line [0-9]+'
jq '.host.hostname = "a"' "$S" | sed 's/"hostname": "a"/"hostname": "a", "hostname": "b"/' >"$TMPD/b"
bad_file "duplicate key" "$TMPD/b" 'duplicate'
bad_file "missing file" "$TMPD/nope.json" \
    "cannot read snapshot '$TMPD/nope.json': [Nn]o such file"
bad_file "a directory" "$TMPD" "cannot read snapshot '$TMPD'"
ipc_reset
finish
