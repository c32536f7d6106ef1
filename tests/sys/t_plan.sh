#!/bin/sh
# ipctune plan against the real kernel in a private IPC namespace: plan
# says N instances of a test workload fit; really creating N instances'
# worth of objects succeeds and the next instance fails in the call and
# with the errno plan (through fit) predicts, for each limit that can run
# out first.  Then 'apply --from-plan' writes what K more need, and they
# fit.  The JSON validates against contrib/schema/plan-1.json.
. "$(dirname "$0")/lib.sh"
enter_private_ns
save_defaults
P=$TMPD/prof
mkdir -p "$P"
export IPCTUNE_STATE_DIR=$TMPD/state
pg=$(getconf PAGESIZE)
# one instance: 2 segments of 3 pages and 1 byte in all (2 pages each
# after rounding up), 2 arrays of 7 semaphores, 1 queue
cat >"$P/t-work.conf" <<EOF
[main]
summary = test workload
[variables]
nsems = 7
[demand]
shm_segments = 2
shm_bytes = 3 * page_size + 1
sem_arrays = 2
sems_per_array = nsems
msg_queues = 1
EOF
plan() { "$IPCTUNE" plan --profile-dir "$P" -p t-work "$@"; }

# instance SEMS: create one instance's objects; prints the helper's error
instance() {
	"$HELPER" -q shm size=$((pg + pg / 2 + 1)) count=2 \
	    sem nsems="$1" count=2 msg 2>&1 >/dev/null
}

# errno name of a C library message
errname() {
	case "$1" in
	*"No space left on device") echo ENOSPC ;;
	*"Invalid argument") echo EINVAL ;;
	*"Argument list too long") echo E2BIG ;;
	*) echo "?$1" ;;
	esac
}

# scenario NAME LIMIT NSEMS: with the limits set, plan says N and LIMIT
# runs out first; N instances really fit, the next fails as predicted
scenario() {
	name=$1
	limit=$2
	nsems=$3
	plan -n 1 --set nsems="$nsems" --format json >"$TMPD/$name.json"
	n=$(jq -r '.fits_now.instances' "$TMPD/$name.json")
	want=$(jq -r '.fits_now.next_fails | "\(.call) \(.errno)"' \
	    "$TMPD/$name.json")
	expect_eq "$name: $limit runs out first" "$limit" \
	    "$(jq -r '.runs_out_first' "$TMPD/$name.json")"
	expect_eq "$name: the next instance fails on $limit" "$limit" \
	    "$(jq -r '.fits_now.next_fails.limit' "$TMPD/$name.json")"
	i=0
	while [ "$i" -lt "$n" ]; do
		e=$(instance "$nsems")
		if [ -n "$e" ]; then
			fail "$name: instance $((i + 1)) of $n: $e"
			break
		fi
		i=$((i + 1))
	done
	[ "$i" -eq "$n" ] && ok "$name: plan says $n fit, $n really fit"
	e=$(instance "$nsems")
	call=$(echo "$e" | sed -n 's/^ipchelper: \([a-z]*\) (object.*/\1/p')
	expect_eq "$name: instance $((n + 1)) fails as plan predicts" \
	    "$want" "$call $(errname "$e")"
	expect_eq "$name: now plan says none fits" 0 \
	    "$(plan -n 1 --set nsems="$nsems" --format json |
	    jq '.fits_now.instances')"
	validate "$SCHEMAS/plan-1.json" "$TMPD/$name.json" &&
	    ok "$name: the plan validates against plan-1.json" ||
	    fail "$name: the plan does not validate"
	ipc_reset
}

# shmall: 21 pages hold 10 segments of 2 pages, 5 instances
sysctl_set shmall 21
scenario shmall shmall 7
# shmmni: 7 segments, 3 instances (before shmall)
sysctl_set shmmni 7
scenario shmmni shmmni 7
# semmns: 100 semaphores hold 14 arrays of 7, 7 instances
sysctl_set sem "250 100 32 128"
scenario semmns semmns 7
# semmni: 9 arrays, 4 instances
sysctl_set sem "250 32000 32 9"
scenario semmni semmni 7
# msgmni: 2 queues, 2 instances
sysctl_set msgmni 2
scenario msgmni msgmni 7
# SEMMSL 6 below 7 semaphores per array: not one instance, EINVAL
sysctl_set sem "6 32000 32 128"
scenario semmsl semmsl 7

# the numbers of one plan, in the table and the JSON
sysctl_set shmall 21
sysctl_set shmmni 7
plan -n 4 >"$TMPD/t.txt" 2>/dev/null
expect_match "table: shmmni needs 8 for 4 more, raise" \
    '^shmmni +kernel\.shmmni +7 +0 +2 +8 +raise +3$' "$TMPD/t.txt"
expect_match "table: shmall in pages, rounded up per segment" \
    '^shmall +kernel\.shmall +21 +0 +4 +16 +keep +5$' "$TMPD/t.txt"
expect_match "table: fits now" '^fits now: 3 instances, fewer than asked$' \
    "$TMPD/t.txt"
expect_match "table: the order in which limits run out" \
    '^runs out first: shmmni after 3, shmall after 5,' "$TMPD/t.txt"
plan -n 4 --format json >"$TMPD/p.json"
expect_eq "JSON: shm segment of 2 pages" "2 $((pg + pg / 2 + 1))" \
    "$(jq -r '.shm_segments | "\(.pages) \(.bytes)"' "$TMPD/p.json")"
expect_eq "JSON: recommended shmmni in recommend's shape" \
    "kernel.shmmni 8 raise" "$(jq -r '.sysctls[] |
    select(.sysctl == "kernel.shmmni") |
    "\(.sysctl) \(.recommended) \(.action)"' "$TMPD/p.json")"
expect_eq "JSON: enough is false" false \
    "$(jq '.fits_now.enough' "$TMPD/p.json")"

# apply --from-plan writes those values with apply's writers, and then
# 4 more instances really fit
mkdir -p "$TMPD/root/etc/sysctl.d"
expect_status "apply --from-plan" 0 "$IPCTUNE" apply --from-plan \
    "$TMPD/p.json" --sysctl-root "$TMPD/root"
expect_match "apply prints name: old -> new" \
    '^kernel\.shmmni: 7 -> 8$' "$TMPD/out"
expect_eq "kernel.shmmni is 8" 8 "$(cat /proc/sys/kernel/shmmni)"
check "the drop-in names the plan" grep -q \
    "^# Profiles: plan of t-work ($TMPD/p.json)" \
    "$TMPD/root/etc/sysctl.d/zz-ipctune.conf"
# verify without -p checks the plan of the last apply, even once the
# plan file is gone, and finds drift from it
mv "$TMPD/p.json" "$TMPD/p.json.moved"
expect_status "verify after apply --from-plan: compliant" 0 \
    "$IPCTUNE" verify --sysctl-root "$TMPD/root"
expect_match "verify names the plan" "^profiles: plan of t-work" \
    "$TMPD/out"
echo 7 >/proc/sys/kernel/shmmni
expect_status "verify finds kernel.shmmni below the plan: exit 4" 4 \
    "$IPCTUNE" verify --sysctl-root "$TMPD/root"
expect_match "and says where" "^kernel\.shmmni +8 +7 .*drift: running" \
    "$TMPD/out"
echo 8 >/proc/sys/kernel/shmmni
mv "$TMPD/p.json.moved" "$TMPD/p.json"
i=0
while [ $i -lt 4 ] && [ -z "$(instance 7)" ]; do i=$((i + 1)); done
expect_eq "after apply --from-plan, 4 instances really fit" 4 "$i"
# 13.7 not back below the 8 segments the instances hold
expect_status "13.7 rollback refuses shmmni 7 under 8 segments in use" 1 \
    "$IPCTUNE" rollback
expect_match "13.7 and names the guard" \
    "kernel.shmmni: 7 is below the 8 in use now" "$TMPD/err"
expect_eq "13.7 kernel.shmmni stays 8" 8 "$(cat /proc/sys/kernel/shmmni)"
ipcrm -a 2>/dev/null
expect_status "rollback undoes it" 0 "$IPCTUNE" rollback
expect_eq "kernel.shmmni is 7 again" 7 "$(cat /proc/sys/kernel/shmmni)"
ipc_reset

# a plan file cannot reach another sysctl
jq '.sysctls[0].sysctl = "kernel.core_pattern"' "$TMPD/p.json" \
    >"$TMPD/evil.json"
expect_status "apply --from-plan refuses kernel.core_pattern" 1 \
    "$IPCTUNE" apply --from-plan "$TMPD/evil.json" --dry-run
expect_match "and says why" "core_pattern" "$TMPD/err"
expect_status "--from-plan with -p: usage error" 2 \
    "$IPCTUNE" apply --from-plan "$TMPD/p.json" -p db2
expect_status "a recommendation is not a plan" 1 sh -c \
    "'$IPCTUNE' recommend -p db2 --format json >'$TMPD/rec.json' &&
    '$IPCTUNE' apply --from-plan '$TMPD/rec.json' --dry-run"

# 13.4: a negative kernel.sem field is shown as the kernel holds it, in
# the table and the JSON, and judged by what the kernel makes of it: a
# negative SEMMSL or SEMMNS admits no array, a negative SEMOPM limits
# nothing (do_semtimedop() compares nsops unsigned)
pg_plan() { "$IPCTUNE" plan -p postgresql-sysv --set max_connections=500 \
    -n 1 "$@"; }
sysctl_set sem "-5 32000 -1 128"
pg_plan >"$TMPD/neg.txt" 2>&1
expect_match "13.4 table: SEMMSL -5 as held, raise, no instance fits" \
    '^semmsl +kernel\.sem semmsl +-5 +- +17 +17 +raise +0$' "$TMPD/neg.txt"
expect_match "13.4 table: SEMOPM -1 as held, keep, any number fits" \
    '^semopm +kernel\.sem semopm +-1 +- +1 +1 +keep +any$' "$TMPD/neg.txt"
pg_plan --format json >"$TMPD/neg.json" 2>/dev/null
expect_eq "13.4 JSON: current -5 and -1, judged by the effective value" \
    "semmsl -5 raise 0 semopm -1 keep null" "$(jq -r '[.limits[] |
    select(.limit == "semmsl" or .limit == "semopm") |
    .limit, .current, .action, .instances_fit] | map(tostring) |
    join(" ")' "$TMPD/neg.json")"
expect_status "13.4 apply --from-plan keeps SEMOPM -1" 0 "$IPCTUNE" apply \
    --from-plan "$TMPD/neg.json" --runtime --dry-run
expect_match "13.4 ... and shows the held values" \
    '^kernel\.sem: -5 32000 -1 128 -> 17 32000 -1 128 \(dry run\)$' \
    "$TMPD/out"
sysctl_set sem "250 -7 -1 128"
pg_plan >"$TMPD/neg.txt" 2>&1
expect_match "13.4 table: SEMMNS -7 as held, raise, no instance fits" \
    '^semmns +kernel\.sem semmns +-7 +0 +561 +561 +raise +0$' \
    "$TMPD/neg.txt"
expect_eq "13.4 and semget really fails: ENOSPC" ENOSPC \
    "$(errname "$(instance 7)")"
"$IPCTUNE" recommend -p postgresql-sysv >/dev/null 2>"$TMPD/err"
expect_match "13.4 recommend's warning names SEMMNS -7 as held" \
    "semmns -7 leaves no room" "$TMPD/err"
ipc_reset

# usage
expect_status "plan without -n: usage error" 2 plan
expect_status "plan -n 0: usage error" 2 plan -n 0
expect_status "plan with two profiles: usage error" 2 plan -n 1 -p db2
expect_status "plan --no-headings still works (long option)" 0 \
    plan -n 1 --no-headings
expect_status "a profile without [demand]: exit 1" 1 \
    "$IPCTUNE" plan -p kernel-default -n 1
expect_match "and says so" "demands nothing" "$TMPD/err"

finish
