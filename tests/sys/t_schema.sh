#!/bin/sh
# The JSON Schemas in contrib/schema against REAL output: live objects in
# a private namespace, the fixture trees (values above 2^53-1), --from
# and --pid; and deliberately broken documents must be rejected.  Every
# document a command prints with --format json has a schema and real
# output validated here: the end of the file checks that against the
# commands the program itself lists.
. "$(dirname "$0")/lib.sh"
# validate SCHEMA DOCUMENT, remembering which schemas real output passed
validate() {
	"$PYTHON" "$TOP/tests/sys/validate.py" "$1" "$2" || return 1
	printf '%s\n' "${1##*/}" >>"$TMPD/validated"
}
# with a PID namespace: every process there can be inspected, so the
# verdicts are not left unknown by one that cannot
enter_private_ns pid
save_defaults
cd "$TOP" || exit 1

if ! "$PYTHON" -c 'from jsonschema import Draft202012Validator' 2>/dev/null
then
	fail "python3-jsonschema with Draft202012Validator is needed"
	finish
	exit 1
fi
DOCS="status list owners snapshot error fit plan orphans clean report apply
verify rollback recommendation profiles profile forecast show watch_event
watch_summary namespaces explain clean_backup"
for s in $DOCS; do
	check "$s-1.json is a valid draft 2020-12 schema" \
	    "$PYTHON" -c "import json, sys
from jsonschema import Draft202012Validator as V
s = json.load(open('$SCHEMAS/$s-1.json'))
V.check_schema(s)
assert s['\$schema'] == 'https://json-schema.org/draft/2020-12/schema'
assert s['additionalProperties'] is False
assert s['properties']['schema_version'] == {'const': 1}
assert s['properties']['document'] == {'const': '$s'}"
done

mkdir "$TMPD/gen"
"$PYTHON" "$SCHEMAS/generate.py" "$TMPD/gen"
for s in $DOCS facts; do
	check "$s-1.json is what generate.py writes" \
	    cmp "$SCHEMAS/$s-1.json" "$TMPD/gen/$s-1.json"
done

sysctl_set msgmax 65536
hold shm size=1 count=3 shm size=1048577 attach fill=7 shm size=8 lock \
    sem nsems=3 count=2 semop=1 msg send=3 bytes=40 msg || exit 1
setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$HELPER" -q shm size=10 sem nsems=1 msg >/dev/null
ipcrm -m "$(awk '$1 == "shm" { print $2; exit }' "$TMPD/held.1")"
unshare --ipc "$HELPER" shm size=100 hold >"$TMPD/c.out" 2>&1 &
CPID=$!
HELD_PIDS="$HELD_PIDS $CPID"
until grep -q ready "$TMPD/c.out"; do sleep 0.01; done
"$IPCTUNE" snapshot >"$TMPD/snap.json"

# vjson NAME SCHEMA COMMAND...: COMMAND's stdout validates against SCHEMA
vjson() {
	n=$1
	s=$2
	shift 2
	if ! "$@" >"$TMPD/doc.json" 2>"$TMPD/err"; then
		fail "$n: the command failed"
		sed 's/^/    /' "$TMPD/err" | head -3
	elif validate "$SCHEMAS/$s-1.json" "$TMPD/doc.json" 2>"$TMPD/verr"; then
		ok "$n validates against $s-1.json"
	else
		fail "$n does not validate against $s-1.json"
		sed 's/^/    /' "$TMPD/verr" | head -5
	fi
}
for src in "" "--reader procfs" "--root tests/fixtures/root64" \
    "--root tests/fixtures/old14" "--from $TMPD/snap.json" "--pid $CPID"; do
	# (vjson sets $s: the loop keeps its own variable)
	case "$src" in --reader*) what=list ;; *) what=all ;; esac
	[ "$what" = all ] && vjson "status $src" status "$IPCTUNE" status $src --format json
	vjson "list $src" list "$IPCTUNE" list $src --format json
	vjson "list msg $src" list "$IPCTUNE" list msg $src --format json
	[ "$what" = all ] && vjson "owners $src" owners "$IPCTUNE" owners $src --format json
	case "$src" in --from*) ;; *)
		vjson "snapshot $src" snapshot "$IPCTUNE" snapshot $src ;;
	esac
done
vjson "namespaces --all" namespaces "$IPCTUNE" namespaces --all --format json
expect_eq "the fixture exercises the _exact members" 2 \
    "$("$IPCTUNE" status --root tests/fixtures/root64 --format json |
    jq '[.sysctls[] | select(.value_exact)] | length')"

# broken documents are rejected
# reject SCHEMA NAME JQ-EDIT SOURCE-FILE
reject() {
	jq "$3" "$4" >"$TMPD/bad.json"
	if validate "$SCHEMAS/$1-1.json" "$TMPD/bad.json" 2>"$TMPD/verr"; then
		fail "$1: $2 was accepted"
	else
		ok "$1 rejects $2 ($(head -1 "$TMPD/verr" | cut -c1-70))"
	fi
}
# show: an object of each type, live, from the snapshot, a tree, --pid
for t in shm sem msg; do
	id=$(awk -v t=$t '$1 == t { id = $2 } END { print id }' "$TMPD/held.1")
	vjson "show $t" show "$IPCTUNE" show $t "$id" --format json
	cp "$TMPD/doc.json" "$TMPD/show.$t.json"
	vjson "show $t --from" show "$IPCTUNE" show $t "$id" --from \
	    "$TMPD/snap.json" --format json
	vjson "show $t --root" show "$IPCTUNE" show $t 1 --root \
	    tests/fixtures/root64 --format json
done
vjson "show shm --pid" show "$IPCTUNE" show shm 0 --pid "$CPID" --format json
reject show "semaphores on a segment" '.semaphores = []' "$TMPD/show.shm.json"
reject show "a segment without its attachers" 'del(.attachers)' \
    "$TMPD/show.shm.json"
reject show "a sem object as a segment" '.type = "shm"' "$TMPD/show.sem.json"
reject show "an unknown call" '.waiters = [{"pid": 1, "state": "runs",
    "command": "x", "uid": 0, "user": "root", "call": "msgctl"}]' \
    "$TMPD/show.msg.json"
reject show "a semval above SEMVMX" '.semaphores[0].value = 32768' \
    "$TMPD/show.sem.json"
"$IPCTUNE" status --format json >"$TMPD/status.json"
"$IPCTUNE" list --format json >"$TMPD/list.json"
"$IPCTUNE" owners --format json >"$TMPD/owners.json"
"$IPCTUNE" status --root tests/fixtures/root64 --format json >"$TMPD/big.json"
check "the unmodified status document is valid" \
    validate "$SCHEMAS/status-1.json" "$TMPD/status.json"
reject status "a limit as a string" '.resources[0].limit = "4096"' "$TMPD/status.json"
reject status "an unknown member" '.extra = 1' "$TMPD/status.json"
reject status "schema_version 2" '.schema_version = 2' "$TMPD/status.json"
reject status "another document's name" '.document = "list"' "$TMPD/status.json"
reject status "an unknown resource" '.resources[0].name = "shmfoo"' "$TMPD/status.json"
reject status "a missing resource" 'del(.resources[3])' "$TMPD/status.json"
reject status "a negative used" '.resources[0].used = -1' "$TMPD/status.json"
reject status "an integer above 2^53-1" '.resources[0].limit = 9007199254740992' \
    "$TMPD/status.json"
reject status "limit and limit_exact both set" \
    '(.resources[] | select(.name == "shmall") | .limit) = 5' "$TMPD/big.json"
reject status "an _exact that is not digits" \
    '(.resources[] | select(.name == "shmall") | .limit_exact) = "lots"' \
    "$TMPD/big.json"
reject status "a null sysctl value without _exact" \
    'del(.sysctls["kernel.shmmax"].value_exact)' "$TMPD/big.json"
reject status "a foreign sysctl" '.sysctls["kernel.core_pattern"] = {}' \
    "$TMPD/status.json"
reject status "kernel.sem as an array" '.sysctls["kernel.sem"] = [1, 2, 3, 4]' \
    "$TMPD/status.json"
reject status "shmmni above IPCMNI_EXTEND" \
    '.sysctls["kernel.shmmni"].value = 16777217' "$TMPD/status.json"
reject status "a bad generated_at" '.generated_at = "yesterday"' "$TMPD/status.json"
reject status "a finding of an unknown level" \
    '.findings = [{"level": "fatal", "code": "x", "resource": null, "message": "m"}]' \
    "$TMPD/status.json"
reject list "a key above 2^32-1" '.shm[0].key = 4294967296' "$TMPD/list.json"
reject list "perms without the leading 0" '.shm[0].perms = "600"' "$TMPD/list.json"
reject list "a missing nattch" 'del(.shm[0].nattch)' "$TMPD/list.json"
reject list "a mode above 07777" '.sem[0].mode = 4096' "$TMPD/list.json"
reject list "a PID above PID_MAX_LIMIT" '.msg[0].lspid = 4194305' "$TMPD/list.json"
reject list "an unknown object type" '.pipes = []' "$TMPD/list.json"
reject owners "a uid as a string" '.owners[0].uid = "0"' "$TMPD/owners.json"
reject owners "a negative ratio" '.owners[0].shmmni_ratio = -0.5' "$TMPD/owners.json"
reject snapshot "a missing usage" 'del(.usage)' "$TMPD/snap.json"
reject snapshot "usage null without _exact" '.usage.shm_pages = null' "$TMPD/snap.json"
reject snapshot "a missing objects.msg" 'del(.objects.msg)' "$TMPD/snap.json"
reject snapshot "a negative semmni" '.sysctls["kernel.sem"].semmni = -1' "$TMPD/snap.json"
# failures in JSON mode: an error document on stdout
for c in status list owners; do
	"$IPCTUNE" $c --format json --root "$TMPD/nope" >"$TMPD/e.json" 2>/dev/null
	rc=$?
	expect_eq "$c --format json failing: exit 1" 1 $rc
	check "$c --format json failing: an error document valid against error-1.json" \
	    validate "$SCHEMAS/error-1.json" "$TMPD/e.json"
done
"$IPCTUNE" list --format json --from "$TMPD/nope.json" >"$TMPD/e.json" 2>/dev/null
check "a bad --from in JSON mode: a valid error document" \
    validate "$SCHEMAS/error-1.json" "$TMPD/e.json"
reject error "an error without a message" 'del(.error.message)' "$TMPD/e.json"
reject error "exit_status 0" '.error.exit_status = 0' "$TMPD/e.json"
# a message with bytes that are not UTF-8 is kept, escaped (forecast, fit
# and clean once wrote their own error document and dropped it)
"$IPCTUNE" forecast --format json --history "$TMPD/$(printf '\377')h.jsonl" \
    >"$TMPD/e8.json" 2>/dev/null
check "an error naming a non-UTF-8 path: a valid error document" \
    validate "$SCHEMAS/error-1.json" "$TMPD/e8.json"
check "... with the path escaped in its message" \
    grep -qF '\\xffh.jsonl' "$TMPD/e8.json"

# more than 4096 objects: status answers from counters, rows say so
"$HELPER" -q sem nsems=1 count=4100 >/dev/null
vjson "status with 4,100 arrays (semmsl not scanned)" status \
    "$IPCTUNE" status --format json
expect_eq "... scan_skipped on the semmsl row" true \
    "$(jq '.resources[] | select(.name == "semmsl") | .scan_skipped' "$TMPD/doc.json")"
vjson "status --scan with 4,100 arrays" status \
    "$IPCTUNE" status --scan --format json
ipcrm --all=sem

# fit: a request that fits, and one that fails in every call
ipc_reset
vjson "fit that fits" fit "$IPCTUNE" fit --shm-size 1M --sem-arrays 2 \
    --sems-per-array 10 --queues 2 --format json
"$IPCTUNE" fit --shm-size 1M --shm-count 5000 --sem-arrays 2 --sems-per-array 40000 \
    --semop-ops 60000 --queues 40000 --msg-size 100000 --format json \
    >"$TMPD/fit.json"
expect_eq "fit failing everywhere: exit 4" 4 $?
check "fit failing everywhere validates against fit-1.json" \
    validate "$SCHEMAS/fit-1.json" "$TMPD/fit.json"
expect_eq "... five calls, none fits" "5 0" "$(jq -r '"\(.calls | length) \([.calls[] | select(.fits)] | length)"' "$TMPD/fit.json")"
reject fit "an unknown cause" '.calls[0].cause = "shmfoo"' "$TMPD/fit.json"
reject fit "a failing call without its message" 'del(.calls[0].message)' \
    "$TMPD/fit.json"
reject fit "an unknown errno" '.calls[0].errno = "ENOMEM"' "$TMPD/fit.json"
# fit --posix-shm-size and --mq-*: failing (EMFILE, ENOSPC) and fitting
prlimit --msgqueue=1000 "$IPCTUNE" fit --posix-shm-size 1T --mq-count 2 \
    --format json >"$TMPD/fitpx.json"
expect_eq "fit --posix-shm-size 1T --mq-count 2: exit 4" 4 $?
check "fit shm_open and mq_open failing validate against fit-1.json" \
    validate "$SCHEMAS/fit-1.json" "$TMPD/fitpx.json"
expect_eq "... shm_open ENOSPC, mq_open EMFILE" "ENOSPC EMFILE" \
    "$(jq -r '[.calls[].errno] | join(" ")' "$TMPD/fitpx.json")"
reject fit "mq_open without its charge" 'del(.calls[1].charge_each_bytes)' \
    "$TMPD/fitpx.json"
vjson "fit shm_open and mq_open that fit" fit "$IPCTUNE" fit \
    --posix-shm-size 4K --mq-maxmsg 2 --mq-msgsize 128 --format json
# 13.14 fit --key: the holder of a key, and a key nobody holds
"$HELPER" -q shm size=4096 key=0x4321 mode=0640 sem nsems=2 key=0x4321 \
    msg key=0x4321 >/dev/null
"$IPCTUNE" fit --key 0x4321 --shm-size 1M --sems-per-array 10 --queues 1 \
    --format json >"$TMPD/fitkey.json"
expect_eq "13.14 fit --key on held keys: exit 4" 4 $?
check "13.14 fit --key with holders validates against fit-1.json" \
    validate "$SCHEMAS/fit-1.json" "$TMPD/fitkey.json"
"$IPCTUNE" fit --key 0x5555 --flags 0600 --shm-size 1M --format json \
    >"$TMPD/fitkey2.json"
expect_eq "13.14 fit --key on a free key without IPC_CREAT: exit 4" 4 $?
check "13.14 fit --key, key free, validates against fit-1.json" \
    validate "$SCHEMAS/fit-1.json" "$TMPD/fitkey2.json"
reject fit "a key holder without its id" 'del(.calls[0].key_holder.id)' \
    "$TMPD/fitkey.json"
ipcrm -M 0x4321 -S 0x4321 -Q 0x4321

# orphans and clean: a killed holder's segment and arrays, a live one's;
# --pid states that their users are in ipctune's PID namespace
hold shm size=4096 count=2 sem nsems=3 count=2 semop=1 msg send=1 bytes=8 ||
    exit 1
"$HELPER" -q shm size=8192 attach sem nsems=2 semop=1 msg send=2 bytes=4 die \
    >/dev/null 2>&1
vjson "orphans" orphans "$IPCTUNE" orphans --pid $$ --min-age 0 --format json
expect_eq "... the dead helper's three objects" "1 1 1" \
    "$(jq -r '.orphans | "\(.shm) \(.sem) \(.msg)"' "$TMPD/doc.json")"
cp "$TMPD/doc.json" "$TMPD/orphans.json"
vjson "orphans --all" orphans "$IPCTUNE" orphans --pid $$ --all --format json
expect_eq "... every object judged" 8 "$(jq '.objects | length' "$TMPD/doc.json")"
reject orphans "an unknown reason code" '.objects[0].reasons = ["gone_fishing"]' \
    "$TMPD/orphans.json"
reject orphans "a segment without nattch" \
    '(.objects[] | select(.type == "shm")) |= del(.nattch)' "$TMPD/orphans.json"
reject orphans "a fourth object type in the counts" '.orphans.pipe = 0' \
    "$TMPD/orphans.json"
vjson "clean (dry run)" clean "$IPCTUNE" clean --pid $$ --all-orphans \
    --min-age 0 --format json
cp "$TMPD/doc.json" "$TMPD/clean.json"
vjson "clean --yes" clean "$IPCTUNE" clean --pid $$ --all-orphans \
    --min-age 0 --include-nonempty --yes --format json
expect_eq "... removed the three" 3 "$(jq '.counts.removed' "$TMPD/doc.json")"
reject clean "an unknown action" '.results[0].action = "shredded"' \
    "$TMPD/clean.json"
reject clean "a result without its action" 'del(.results[0].action)' \
    "$TMPD/clean.json"

# plan with a shipped profile (t_plan.sh checks plans against the kernel)
vjson "plan -p db2 -n 3" plan "$IPCTUNE" plan -p db2 -n 3 --format json
reject plan "an unknown action" '.limits[0].action = "pray"' "$TMPD/doc.json"
reject plan "a sysctl outside IPC" '.sysctls[0].sysctl = "kernel.core_pattern"' \
    "$TMPD/doc.json"
reject plan "fits_now without instances" 'del(.fits_now.instances)' \
    "$TMPD/doc.json"
# 13.4: negative kernel.sem fields are held signed in limits and sysctls
sysctl_set sem "-5 32000 -1 128"
vjson "plan over SEMMSL -5 and SEMOPM -1" plan "$IPCTUNE" plan \
    -p postgresql-sysv -n 1 --format json
expect_eq "... with current -5 and -1" "-5 -1" "$(jq -r '[.limits[] |
    select(.field == "semmsl" or .field == "semopm") | .current] |
    map(tostring) | join(" ")' "$TMPD/doc.json")"
reject plan "a current below INT_MIN" \
    '(.limits[] | select(.field == "semmsl") | .current) = -2147483649' \
    "$TMPD/doc.json"
vjson "status over SEMMSL -5 and SEMOPM -1" status "$IPCTUNE" status \
    --format json
expect_eq "... with the limits -5 and -1" "-5 -1" "$(jq -r '[.resources[] |
    select(.name == "semmsl" or .name == "semopm") | .limit] |
    map(tostring) | join(" ")' "$TMPD/doc.json")"
vjson "snapshot over SEMMSL -5" snapshot "$IPCTUNE" snapshot
vjson "namespaces over SEMMSL -5" namespaces "$IPCTUNE" namespaces --all \
    --format json
"$IPCTUNE" snapshot >"$TMPD/neg.json"
vjson "report over SEMMSL -5" report "$IPCTUNE" report --format json \
    "$TMPD/neg.json"
vjson "fit over SEMMSL -5 (exit 4)" fit sh -c "'$IPCTUNE' fit \
    --sem-arrays 1 --sems-per-array 5 --format json; test \$? -eq 4"
expect_eq "... with limit_value and the fix's current -5" "-5 -5" \
    "$(jq -r '.calls[0] | "\(.limit_value) \(.fixes[0].current)"' \
    "$TMPD/doc.json")"
for i in 1 2; do "$IPCTUNE" record --history "$TMPD/neg-h.jsonl"; done
vjson "forecast over SEMMSL -5" forecast "$IPCTUNE" forecast --history \
    "$TMPD/neg-h.jsonl" --format json
expect_eq "... with the limit -5" -5 "$(jq -r '.resources[] |
    select(.resource == "semmsl") | .limit' "$TMPD/doc.json")"
reject forecast "a limit below INT_MIN" \
    '(.resources[] | select(.resource == "semmsl") | .limit) = -2147483649' \
    "$TMPD/doc.json"
sysctl_set sem "$DEFAULT_sem"

# apply, verify, rollback, recommend: a drop-in tree and a state
# directory of the test's own; the kernel is the private namespace's
R=$TMPD/root
mkdir -p "$R/etc/sysctl.d" "$TMPD/prof" "$TMPD/state"
chmod 755 "$TMPD" "$TMPD/prof"
export IPCTUNE_STATE_DIR=$TMPD/state
cat >"$TMPD/prof/t-raise.conf" <<'EOF2'
[main]
summary = test: raise some limits
[sysctl]
kernel.shmmni = 5000
kernel.sem = 250 32000 600 32000
kernel.msgmnb = 65536
EOF2
tune() { "$IPCTUNE" "$@" --profile-dir "$TMPD/prof" --sysctl-root "$R" \
    --format json; }
vjson "recommend -p oracle -p t-raise" recommendation "$IPCTUNE" recommend \
    -p oracle -p t-raise --profile-dir "$TMPD/prof" --format json
reject recommendation "an unknown action" '.sysctls[0].action = "pray"' \
    "$TMPD/doc.json"
reject recommendation "a sysctl outside IPC" \
    '.sysctls[0].sysctl = "kernel.core_pattern"' "$TMPD/doc.json"
reject recommendation "a kernel.sem field missing" \
    '(.sysctls[] | select(.sysctl == "kernel.sem") | .profile) |= del(.semopm)' \
    "$TMPD/doc.json"
vjson "recommend on the fixture (values above 2^53-1)" recommendation \
    "$IPCTUNE" recommend -p db2 --root tests/fixtures/root64 --format json
reject recommendation "a null recommended without _exact" \
    '(.sysctls[] | select(.sysctl == "kernel.shmmax")) |= del(.recommended_exact)' \
    "$TMPD/doc.json"
vjson "apply --dry-run" apply tune apply -p t-raise --dry-run
vjson "apply" apply tune apply -p t-raise
expect_eq "... it changed something" true "$(jq .changed "$TMPD/doc.json")"
reject apply "changed as a string" '.changed = "yes"' "$TMPD/doc.json"
reject apply "a row without its changed" 'del(.sysctls[0].changed)' \
    "$TMPD/doc.json"
reject apply "a drop-in without its path" 'del(.dropin.path)' "$TMPD/doc.json"
vjson "apply again (nothing to change)" apply tune apply -p t-raise
vjson "apply --runtime with a --set" apply tune apply -p postgresql-sysv \
    --set max_connections=500 --runtime
vjson "verify" verify tune verify
sysctl_set shmmni 100
"$IPCTUNE" verify --profile-dir "$TMPD/prof" --sysctl-root "$R" \
    --format json >"$TMPD/vd.json"
expect_eq "verify with drift: exit 4" 4 $?
check "verify with drift validates against verify-1.json" \
    validate "$SCHEMAS/verify-1.json" "$TMPD/vd.json"
reject verify "a boot view without its file" \
    'del(.sysctls[0].next_boot.systemd_sysctl.file)' "$TMPD/vd.json"
reject verify "a third boot-time reader" \
    '.sysctls[0].next_boot.sysctl_conf = .sysctls[0].next_boot.sysctl_system' \
    "$TMPD/vd.json"
"$IPCTUNE" rollback --dry-run --format json >"$TMPD/rd.json" 2>/dev/null
expect_eq "rollback --dry-run, changed by hand: exit 1" 1 $?
check "... validates against rollback-1.json" \
    validate "$SCHEMAS/rollback-1.json" "$TMPD/rd.json"
expect_eq "... the refusal named" true \
    "$(jq '[.runtime[].refused | strings] | length > 0' "$TMPD/rd.json")"
reject rollback "an unknown drop-in action" '.dropin.action = "shredded"' \
    "$TMPD/rd.json"
reject rollback "refused as a boolean" '.runtime[0].refused = true' \
    "$TMPD/rd.json"
vjson "rollback --force" rollback "$IPCTUNE" rollback --force --format json
"$IPCTUNE" rollback --format json >"$TMPD/rn.json" 2>/dev/null
check "rollback with nothing recorded validates against rollback-1.json" \
    validate "$SCHEMAS/rollback-1.json" "$TMPD/rn.json"
ipc_reset

# profiles, profiles show
vjson "profiles" profiles "$IPCTUNE" profiles --format json
reject profiles "a profile without its error member" \
    'del(.profiles[0].error)' "$TMPD/doc.json"
for p in $(cd profiles && ls *.conf | sed 's/\.conf$//'); do
	vjson "profiles show $p" profile "$IPCTUNE" profiles show "$p" \
	    --format json
done
vjson "profiles show with variables and --set" profile "$IPCTUNE" profiles \
    show postgresql-sysv --set max_connections=500 --format json
reject profile "a variable without its arithmetic" \
    'del(.profile.variables[0].arithmetic)' "$TMPD/doc.json"
reject profile "a sysctl with both a value and fields" \
    '(.profile.sysctls[] | select(.sysctl == "kernel.sem")) |= (.value = 1 | .expression = "1" | .arithmetic = "1")' \
    "$TMPD/doc.json"

# forecast: a generated history and one recorded here
now=$(date +%s)
"$BUILD/tests/genhistory" --samples 400 --step 300 \
    --start $((now - 400 * 300)) --base 100 --slope 96 --limit 3000 \
    >"$TMPD/h.jsonl"
vjson "forecast (a leak)" forecast "$IPCTUNE" forecast --history \
    "$TMPD/h.jsonl" --format json
expect_eq "... semmni exhausts" exhausts "$(jq -r \
    '.resources[] | select(.resource == "semmni") | .state' "$TMPD/doc.json")"
reject forecast "an unknown state" '.resources[0].state = "doomed"' \
    "$TMPD/doc.json"
reject forecast "a date as seconds" '.history.first = 1700000000' \
    "$TMPD/doc.json"
reject forecast "a judged row without days_left" \
    'del(.resources[0].days_left)' "$TMPD/doc.json"
for i in 1 2 3; do "$IPCTUNE" record --history "$TMPD/r.jsonl"; done
vjson "forecast (too little data)" forecast "$IPCTUNE" forecast \
    --history "$TMPD/r.jsonl" --format json
reject forecast "too_little_data without needs_samples" \
    'del(.resources[0].needs_samples)' "$TMPD/doc.json"
"$IPCTUNE" forecast --history "$TMPD/none.jsonl" --format json \
    >"$TMPD/e.json" 2>/dev/null
check "forecast without a history: an error document" \
    validate "$SCHEMAS/error-1.json" "$TMPD/e.json"

# report over two snapshots, and the facts
mkdir "$TMPD/fleet"
cp "$TMPD/snap.json" "$TMPD/fleet/a.json"
"$IPCTUNE" snapshot --root tests/fixtures/root64 >"$TMPD/fleet/b.json"
vjson "report" report "$IPCTUNE" report --format json "$TMPD/fleet"
vjson "facts" facts "$IPCTUNE" facts

# watch: one event and the summary, JSON Lines from the kernel's probes
rm -f "$TMPD/wready"
"$IPCTUNE" watch --format json --ns "$(stat -L -c %i /proc/self/ns/ipc)" \
    --count 1 --ready-file "$TMPD/wready" >"$TMPD/watch.jsonl" \
    2>"$TMPD/watch.err" &
wpid=$!
i=0
while [ ! -e "$TMPD/wready" ] && kill -0 "$wpid" 2>/dev/null &&
    [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
"$BUILD/tests/ipcfail" semop 600 >/dev/null
wait "$wpid"
head -1 "$TMPD/watch.jsonl" >"$TMPD/wevent.json"
tail -1 "$TMPD/watch.jsonl" >"$TMPD/wsummary.json"
for d in event summary; do
	if validate "$SCHEMAS/watch_$d-1.json" "$TMPD/w$d.json" \
	    2>"$TMPD/verr"; then
		ok "watch's $d validates against watch_$d-1.json"
	else
		fail "watch's $d does not validate: $(cat "$TMPD/verr" \
		    "$TMPD/watch.err")"
	fi
done

# explain: strace's lines for a failure and a success, and options
printf '%s\n' \
    'semget(IPC_PRIVATE, 100000, IPC_CREAT|0600) = -1 EINVAL (Invalid arg)' \
    '[pid 7] shmget(0x2a, 4096, IPC_CREAT|0600) = 5' >"$TMPD/trace.txt"
vjson "explain --file" explain "$IPCTUNE" explain --format json \
    --file "$TMPD/trace.txt"
vjson "explain --call" explain "$IPCTUNE" explain --format json \
    --call semop --id 0 --nsops 5000 --errno E2BIG

# every command that takes --format json: its documents, each with a
# schema that real output above passed
docs_of() {
	case $1 in
	profiles) echo profiles profile ;;
	recommend) echo recommendation ;;
	watch) echo watch_event watch_summary ;;
	*) echo "$1" ;;
	esac
}
for c in $("$IPCTUNE" __complete commands); do
	"$IPCTUNE" __complete formats "$c" | grep -qx json || continue
	for d in $(docs_of "$c") error; do
		check "'$c --format json' ($d): a schema, and real output validated" \
		    grep -qx "$d-1.json" "$TMPD/validated"
	done
done
for d in $(grep -oh 'render_envelope("[a-z_]*"' "$TOP"/src/*/*.c |
    sed 's/.*("//; s/"$//' | sort -u); do
	check "document '$d' (from the source): real output validated" \
	    grep -qx "$d-1.json" "$TMPD/validated"
done

ipc_reset
finish
