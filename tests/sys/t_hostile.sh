#!/bin/sh
# Hostile input: malformed snapshots (wrong types, huge arrays, deep
# nesting, NUL bytes, non-UTF-8), /proc fixture trees with truncated lines
# and out-of-range numbers, and bad command-line values.  Each must give
# a clear error naming the file, line or field, the documented exit
# status (1 bad input, 2 bad command line), within 30 s and 1 GiB.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rlib.sh"
H=$TOP/tests/hostile
IPCTUNE_STATE_DIR=$TMPD/state
export IPCTUNE_STATE_DIR
S=$H/snapshot

# ---- snapshots (--from) ----
n=0
while IFS='	' read -r f pat; do
	case "$f" in ''|'#'*) continue ;; esac
	n=$((n + 1))
	hostile "snapshot $f" 1 "$pat" "$IPCTUNE" status --from "$S/$f"
	grep -qF "'$S/$f'" "$TMPD/h.err" ||
	    fail "snapshot $f: the message does not name the file"
done <"$S/EXPECT"
expect_eq "every hostile snapshot has an expectation" \
    "$(ls "$S" | grep -c '\.json$')" "$n"

# generated: too big to check in
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; }' >"$TMPD/deep.json"
hostile "snapshot nested 100000 deep" 1 "maximum parsing depth" \
    "$IPCTUNE" status --from "$TMPD/deep.json"
jq -c ".objects.shm = [range($(scaled 300000)) | {}]" "$S/../../fuzz/corpus/snapshot/objects.json" \
    >"$TMPD/huge.json"
hostile "snapshot with a $(scaled 300000)-element array of {}" 1 \
    "objects.shm[0].id: missing" "$IPCTUNE" status --from "$TMPD/huge.json"
jq -c ".objects.sem[0] as \$s | .objects.sem = [range($(scaled 200000)) | \$s]" \
    "$S/../../fuzz/corpus/snapshot/objects.json" >"$TMPD/many.json"
LIMIT_SECONDS=60 hostile "snapshot with $(scaled 200000) valid arrays loads in bounds" 0 \
    "" "$IPCTUNE" status --from "$TMPD/many.json"
truncate -s 600M "$TMPD/big.json"
hostile "a 600 MB snapshot is refused before it is read" 1 \
    "larger than 512 MiB" "$IPCTUNE" status --from "$TMPD/big.json"
rm -f "$TMPD/big.json"
hostile "an endless snapshot stream stops at 512 MiB" 1 \
    "larger than 512 MiB" sh -c 'exec "$0" status --from - </dev/zero' \
    "$IPCTUNE"
hostile "12.B14 a device as snapshot is not read" 1 \
    "not a regular file (a character device)" \
    "$IPCTUNE" status --from /dev/zero
hostile "a directory as snapshot" 1 "cannot read snapshot '$TMPD'" \
    "$IPCTUNE" status --from "$TMPD"
hostile "a missing snapshot" 1 "cannot read snapshot '$TMPD/none'" \
    "$IPCTUNE" status --from "$TMPD/none"
printf '{"schema_version":1,\0"document":"snapshot"}' >"$TMPD/nul.json"
hostile "a snapshot with a NUL between members" 1 "'$TMPD/nul.json'" \
    "$IPCTUNE" status --from "$TMPD/nul.json"

# ---- bad profiles: refused with file:line[:col], and nothing written ----
PH=$H/profile
n=0
while IFS='	' read -r f pat; do
	case "$f" in ''|'#'*) continue ;; esac
	n=$((n + 1))
	hostile "profile $f (apply --dry-run)" 1 "$PH/$pat" \
	    "$IPCTUNE" apply --dry-run --profile-dir "$PH" -p "$f"
	hostile "profile $f (profiles show)" 1 "$pat" \
	    "$IPCTUNE" profiles show --profile-dir "$PH" "$f"
	# a real apply, in a private IPC namespace: no value, no file (but
	# the empty state lock, taken before anything is read)
	mkdir -p "$TMPD/pa/root/etc/sysctl.d"
	got=$(unshare --ipc --mount --propagation private sh -c '
		snap() { cat /proc/sys/kernel/shm* /proc/sys/kernel/sem \
		    /proc/sys/kernel/msg* /proc/sys/fs/mqueue/* \
		    /proc/sys/kernel/core_pattern | tr "\t\n" "  "; }
		b=$(snap)
		IPCTUNE_STATE_DIR=$1/state "$2" apply --profile-dir "$3" \
		    -p "$4" --sysctl-root "$1/root" >/dev/null 2>&1
		rc=$?
		[ "$(snap)" = "$b" ] && v=same || v=CHANGED
		echo "$rc $v $(find "$1/root" "$1/state" -type f ! -name lock \
		    2>/dev/null | wc -l)"
	' sh "$TMPD/pa" "$IPCTUNE" "$PH" "$f")
	expect_eq "profile $f: a real apply exits 1, changes no value (core_pattern included), writes no file" \
	    "1 same 0" "$got"
	rm -rf "${TMPD:?}/pa"
done <"$PH/EXPECT"
expect_eq "every hostile profile has an expectation" \
    "$(ls "$PH" | grep -c '\.conf$')" "$n"

# ---- /proc fixture trees (--root) ----
R=$TMPD/roots
mkdir -p "$R"
sh "$H/mkroot.sh" "$R/base"
hostile "the base fixture tree is valid" 0 "" "$IPCTUNE" list --root "$R/base"
# case NAME PATTERN SNIPPET: copy the base tree, run SNIPPET in it (cwd =
# the tree's proc/), then 'list' and 'status' must fail naming PATTERN.
case_root() {
	rm -rf "${R:?}/$1"
	cp -r "$R/base" "$R/$1"
	(cd "$R/$1/proc" && eval "$3")
	hostile "root $1: list" 1 "$2" "$IPCTUNE" list --root "$R/$1"
	hostile "root $1: status" 1 "$2" "$IPCTUNE" status --root "$R/$1"
}
case_root shm-truncated "proc/sysvipc/shm': line 3: 12 columns, the header has 16 (truncated line?)" \
    'head -c -70 sysvipc/shm >t && mv t sysvipc/shm'
case_root shm-no-newline-cut "proc/sysvipc/shm': line 2:" \
    'head -n 2 sysvipc/shm | head -c -30 >t && mv t sysvipc/shm'
case_root shm-key-range "line 2: bad key '99999999999': out of range" \
    'sed -i "s/^1924635399/99999999999/" sysvipc/shm'
case_root shm-size-range "line 2: bad size '18446744073709551616': out of range" \
    'sed -i "s/ 65536 / 18446744073709551616 /" sysvipc/shm'
case_root shm-negative-size "line 2: bad size '-65536'" \
    'sed -i "s/ 65536 / -65536 /" sysvipc/shm'
case_root sem-perms "proc/sysvipc/sem': line 2: bad perms '999'" \
    'sed -i "s/ 644 / 999 /" sysvipc/sem'
case_root sem-nsems-text "line 2: bad nsems 'eight': not a number" \
    'sed -i "s/ 8 / eight /" sysvipc/sem'
# 13.5: values beyond what the kernel can hold, the field named
case_root sem-nsems-2e64 "proc/sysvipc/sem': line 2: bad nsems '18446744073709551615': out of range" \
    'sed -i "s/ 8 / 18446744073709551615 /" sysvipc/sem && sed -n 2p sysvipc/sem | sed "s/^1381060705          0/1381060706          1/" >>sysvipc/sem'
case_root sem-nsems-int "proc/sysvipc/sem': line 2: bad nsems '2147483648': out of range" \
    'sed -i "s/ 8 / 2147483648 /" sysvipc/sem'
case_root sem-used-sems-int "proc/sysvipc/sem': semid 1: bad nsems '2': out of range" \
    'sed -i "s/ 8 / 2147483647 /" sysvipc/sem && sed -n 2p sysvipc/sem | sed "s/^1381060705          0/1381060706          1/; s/ 2147483647 / 2 /" >>sysvipc/sem'
case_root sem-mode-flags "proc/sysvipc/sem': line 2: bad perms '1644'" \
    'sed -i "2s/ 644 / 1644 /" sysvipc/sem'
case_root shm-mode-flags "proc/sysvipc/shm': line 2: bad perms '4644'" \
    'sed -i "2s/ 644 / 4644 /" sysvipc/shm'
case_root shm-cpid-limit "proc/sysvipc/shm': line 2: bad cpid '4194305': out of range" \
    'sed -i "2s/ 1832 / 4194305 /" sysvipc/shm'
case_root semmns-int "'kernel.sem': bad semmns '2147483648': out of range" \
    'printf "250\t2147483648\t32\t128\n" >sys/kernel/sem'
case_root queues-max-uint "'fs.mqueue.queues_max': bad number '4294967295': out of range" \
    'echo 4294967295 >sys/fs/mqueue/queues_max'
case_root msg-pid-range "proc/sysvipc/msg': line 2: bad lrpid '4294967296'" \
    'sed -i "2s/     0     0     0     0 /     0     0 4294967296     0 /" sysvipc/msg'
case_root msg-header "proc/sysvipc/msg': line 1: not a /proc/sysvipc header" \
    'sed -i "1s/msqid/id/" sysvipc/msg'
case_root msg-empty "proc/sysvipc/msg': empty file" ': >sysvipc/msg'
case_root shm-nul "proc/sysvipc/shm': line 2: too long or holds a NUL byte" \
    '{ head -1 sysvipc/shm; printf "1924635399 0\0 644\n"; } >t && mv t sysvipc/shm'
case_root shm-long-line "proc/sysvipc/shm': line 2: too long" \
    '{ head -1 sysvipc/shm; awk "BEGIN { for (i = 0; i < 3000; i++) printf \" \"; print \"1\" }"; } >t && mv t sysvipc/shm'
case_root shm-binary "proc/sysvipc/shm'" \
    'head -c 3000 /dev/urandom | tr -d "\000" >sysvipc/shm'
case_root shmmni-range "proc/sys/kernel/shmmni: 'kernel.shmmni': bad number '99999999999999999999': out of range" \
    'echo 99999999999999999999 >sys/kernel/shmmni'
case_root shmmax-negative "'kernel.shmmax': bad number '-1': out of range" \
    'echo -1 >sys/kernel/shmmax'
case_root shmall-garbage "'kernel.shmall': bad number '12abc': not a number" \
    'echo 12abc >sys/kernel/shmall'
case_root sem-3-fields "'kernel.sem': expected 4 fields, got 3" \
    'printf "1\t2\t3\n" >sys/kernel/sem'
case_root sem-5-fields "'kernel.sem': too many fields" \
    'printf "1\t2\t3\t4\t5\n" >sys/kernel/sem'
case_root msgmni-empty "'kernel.msgmni': empty value" ': >sys/kernel/msgmni'
case_root msgmax-nul "proc/sys/kernel/msgmax: 'kernel.msgmax': holds a NUL byte" \
    'printf "12\0junk\n" >sys/kernel/msgmax'
case_root msgmnb-huge-file "proc/sys/kernel/msgmnb': File too large" \
    'head -c 100000 /dev/zero | tr "\000" 1 >sys/kernel/msgmnb'
# 13.13 a carriage return in a --root value is shown, not sent raw
case_root 13.13-msgmni-cr "kernel.msgmni': bad number '4096\\x0d': not a number" \
    'printf "4096\r\n" >sys/kernel/msgmni'
case_root sysvipc-missing "cannot read '$R/sysvipc-missing/proc/sysvipc/sem'" \
    'rm sysvipc/sem'
# MemTotal beyond 2^64 bytes is unknown (0), not a wrapped number
rm -rf "$R/meminfo"
cp -r "$R/base" "$R/meminfo"
echo 'MemTotal: 99999999999999999 kB' >"$R/meminfo/proc/meminfo"
"$IPCTUNE" snapshot --root "$R/meminfo" >"$TMPD/m.json" 2>"$TMPD/m.err"
expect_eq "an overflowing MemTotal gives ram_bytes 0, not a wrapped value" \
    0 "$(jq -r .host.ram_bytes "$TMPD/m.json")"

# ---- command-line values: exit 2 and the value named ----
while IFS='|' read -r cmd want pat args; do
	case "$cmd" in ''|'#'*) continue ;; esac
	if ! have_cmd "$cmd"; then
		pending "$cmd $args: '$cmd' is not built yet"
		continue
	fi
	eval "set -- $args"
	hostile "$cmd $args" "$want" "$pat" "$IPCTUNE" "$cmd" "$@"
done <<'T'
status|2|invalid PID '0'|--pid 0
status|2|invalid PID '99999999999'|--pid 99999999999
status|2|invalid PID 'abc'|--pid abc
status|2|invalid PID '-1'|--pid -1
status|2|invalid PID ''|--pid ''
status|2|invalid PID '1 '|--pid '1 '
status|2|invalid PID '0x10'|--pid 0x10
status|1|no such process|--pid 4194304
status|2|--pid and --ns exclude each other|--pid 1 --ns /proc/1/ns/ipc
status|1|'/etc/passwd': not an IPC namespace|--ns /etc/passwd
status|1|'/proc/self/ns/net': not an IPC namespace|--ns /proc/self/ns/net
status|1|cannot open namespace '/nonexistent'|--ns /nonexistent
status|2|unknown format 'xml'|--format xml
status|2|invalid --color value 'sometimes'|--color=sometimes
status|2|unknown column 'NOPE'|-o NOPE
status|2|unknown column ''|-o ,,,
status|2|invalid --reader 'fast'|--reader fast
status|2|--from excludes --pid|--from /dev/null --pid 1
status|2|unknown option '--bogus'|--bogus
status|2|option '--from' needs a value|--from
list|2|shm|bogus
fit|2|invalid size '99999999999999999999T' for --shm-size|--shm-size 99999999999999999999T
fit|2|invalid size '-1' for --shm-size|--shm-size -1
fit|2|invalid size '12Q' for --shm-size|--shm-size 12Q
fit|2|invalid size '16E' for --shm-size|--shm-size 16E
fit|2|invalid count '0'|--shm-count 0 --shm-size 1
fit|2|invalid semaphore count '99999999999'|--sems-per-array 99999999999
fit|2|invalid count 'abc'|--queues abc
fit|2|invalid size '1e9' for --msg-size|--msg-size 1e9
record|2|invalid duration '99999999999999999999w'|--keep 99999999999999999999w
record|2|invalid duration '1x'|--keep 1x
record|2|invalid time '99999999999999999999'|--at 99999999999999999999
record|2|invalid time '-5'|--at -5
clean|2|invalid age '99999999999999999999d'|--older-than 99999999999999999999d --all-orphans
clean|2|invalid id '-1'|--id -1 --type shm
clean|2|invalid key '0xZZ'|--key 0xZZ
clean|2|unknown user 'no_such_user_x'|--owner no_such_user_x
orphans|2|invalid key '0x1ffffffff'|--key 0x1ffffffff
apply|1|'../etc/passwd' is not a profile name|-p ../etc/passwd --dry-run
apply|1|'/etc/passwd' is not a profile name|-p /etc/passwd --dry-run
apply|1|no profile 'nope'|-p nope --dry-run
apply|2|invalid --set '=1'|-p db2 --set =1 --dry-run
forecast|2|invalid duration '99999999999999999999d'|--horizon 99999999999999999999d
forecast|2|invalid --min-samples '-1'|--min-samples -1
watch|1|'/etc/passwd': not an IPC namespace|--ns /etc/passwd
watch|1|'/proc/self/ns/net': not an IPC namespace|--ns /proc/self/ns/net
watch|1|cannot open namespace '/nonexistent'|--ns /nonexistent
watch|2|invalid PID '0'|--pid 0
watch|2|invalid PID 'abc'|--pid abc
watch|2|invalid duration '-5s'|--duration -5s
watch|2|invalid count '0'|--count 0
watch|2|unknown call 'semfoo'|--call semfoo
watch|2|empty --call|--call ,
watch|2|unknown errno '128'|--errno 128
watch|2|'watch' has no csv output|--format csv
watch|2|--output needs --format prometheus|--output /dev/null
T
long=$(head -c 100000 /dev/zero | tr '\000' A)
hostile "a 100 kB column list" 2 "unknown column" "$IPCTUNE" status -o "$long"
hostile "a 100 kB command name" 2 "unknown command" "$IPCTUNE" "$long"
finish
