#!/bin/sh
# ipctune fit against the real kernel, in private IPC namespaces: the
# property test (random limits and objects, the prediction compared with
# the kernel's errno for every call), then the command line: table, JSON,
# exit statuses, --from and --pid.
. "$(dirname "$0")/lib.sh"

FITPROP=$BUILD/tests/fitprop
CASES=${FITPROP_CASES:-1000}

# 1. property test: >= 1000 random states, every errno path covered
if [ -x "$FITPROP" ]; then
	unshare --ipc "$FITPROP" -n "$CASES" -b "$IPCTUNE" -e 10 \
	    >"$TMPD/prop.out" 2>"$TMPD/prop.err"
	rc=$?
	sed 's/^/    /' "$TMPD/prop.out"
	head -40 "$TMPD/prop.err" | sed 's/^/    /'
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$TMPD/prop.out")
	expect_eq "fitprop: $CASES cases agree with the kernel, all errno \
paths covered" "$CASES passed, 0 failed" "$line"
	expect_eq "fitprop exit status" 0 "$rc"
	# the advised change makes it fit and is the smallest, in many cases
	nfix=$(sed -n 's/^fitprop: \([0-9]*\) advised changes.*/\1/p' \
	    "$TMPD/prop.out")
	if [ "${nfix:-0}" -ge $((CASES / 10)) ]; then
		ok "fitprop: $nfix advised changes tried at their value and one below"
	else
		fail "fitprop: only '${nfix:-}' advised changes tried"
	fi
else
	fail "fitprop not built ($FITPROP): run make tests-build"
fi

# 2. a known state: the second segment exceeds both shmall and shmmni;
# the kernel checks shmall first (newseg() before ipc_addid())
in_ipcns "
	echo 10 > /proc/sys/kernel/shmall
	echo 1 > /proc/sys/kernel/shmmni
	'$IPCTUNE' fit --shm-size 40960 --shm-count 2 >'$TMPD/t1.out' 2>&1
	echo \$? >'$TMPD/t1.rc'
	'$IPCTUNE' fit --format json --shm-size 40960 --shm-count 2 \
	    >'$TMPD/t1.json' 2>&1
"
expect_eq "shmall+shmmni: exit 4" 4 "$(cat "$TMPD/t1.rc")"
check "shmall+shmmni: table names kernel.shmall" \
    grep -q 'shmget.*1 of 2.*ENOSPC.*kernel.shmall' "$TMPD/t1.out"
check "shmall+shmmni: sentence instead of 'No space left on device'" \
    grep -q 'shmget #2 of 2 would fail with ENOSPC (No space left on device): kernel.shmall is exhausted: 10 of 10 pages are in use and the segment needs 10 more' \
    "$TMPD/t1.out"
check "shmall+shmmni: advice raises both limits" \
    grep -q 'to fit: raise kernel.shmall to 20 pages.*raise kernel.shmmni to 2' \
    "$TMPD/t1.out"
expect_eq "json: errno and cause" "ENOSPC shmall kernel.shmall 28" \
    "$(jq -r '.calls[0] | "\(.errno) \(.cause) \(.sysctl) \(.errno_value)"' \
    "$TMPD/t1.json")"
expect_eq "json: fixes in kernel order" "shmall:20 shmmni:2" \
    "$(jq -r '[.calls[0].fixes[] | "\(.cause):\(.needed)"] | join(" ")' \
    "$TMPD/t1.json")"
expect_eq "json: document and fits" "fit false 1" \
    "$(jq -r '"\(.document) \(.fits) \(.schema_version)"' "$TMPD/t1.json")"

# 3. segments already there: one of three fits, then shmmni
in_ipcns "
	echo 3 > /proc/sys/kernel/shmmni
	ipcmk -M 4096 >/dev/null && ipcmk -M 4096 >/dev/null
	'$IPCTUNE' fit -J --shm-size 1M --shm-count 3 >'$TMPD/t2.json'
	echo \$? >'$TMPD/t2.rc'
"
expect_eq "two segments, shmmni 3: 1 of 3 then ENOSPC shmmni" \
    "4 1 ENOSPC shmmni 256" \
    "$(cat "$TMPD/t2.rc") $(jq -r '.calls[0] | "\(.succeeded) \(.errno) \(.cause) \(.pages_each)"' "$TMPD/t2.json")"

# 4. everything fits: exit 0
in_ipcns "
	'$IPCTUNE' fit --shm-size 8M --sem-arrays 2 --sems-per-array 10 \
	    --semop-ops 5 --queues 3 --msg-size 100 >'$TMPD/t3.out' 2>&1
	echo \$? >'$TMPD/t3.rc'
"
expect_eq "default limits: it fits, exit 0" 0 "$(cat "$TMPD/t3.rc")"
check "default limits: 'it fits'" grep -qx 'it fits' "$TMPD/t3.out"

# 5. msgsnd above msgmnb but below msgmax: never fits (EAGAIN)
in_ipcns "
	echo 1000 > /proc/sys/kernel/msgmnb
	'$IPCTUNE' fit -J --msg-size 2000 >'$TMPD/t4.json'
"
expect_eq "msg above msgmnb: EAGAIN msgmnb" "EAGAIN msgmnb" \
    "$(jq -r '.calls[0] | "\(.errno) \(.cause)"' "$TMPD/t4.json")"

# 6. --from a snapshot taken in a namespace with a full SEMMNI
in_ipcns "
	echo '250 32000 32 1' > /proc/sys/kernel/sem
	ipcmk -S 1 >/dev/null
	'$IPCTUNE' snapshot >'$TMPD/snap.json'
"
"$IPCTUNE" fit -J --from "$TMPD/snap.json" --sems-per-array 4 \
    >"$TMPD/t5.json"
expect_eq "--from: exit 4, ENOSPC SEMMNI from the snapshot" \
    "4 ENOSPC semmni" \
    "$? $(jq -r '.calls[0] | "\(.errno) \(.cause)"' "$TMPD/t5.json")"

# 7. --pid: the namespace of another process
unshare --ipc sh -c 'echo 0 > /proc/sys/kernel/msgmni; exec sleep 30' &
spid=$!
# sleep runs once msgmni is set in its namespace
wait_comm "$spid" sleep || fail "--pid: the namespace's sleep did not start"
"$IPCTUNE" fit -J --pid "$spid" --queues 1 >"$TMPD/t6.json"
rc=$?
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
expect_eq "--pid: msgmni 0 in that namespace gives ENOSPC msgmni" \
    "4 ENOSPC msgmni" \
    "$rc $(jq -r '.calls[0] | "\(.errno) \(.cause)"' "$TMPD/t6.json")"

# 8. usage errors: exit 2
"$IPCTUNE" fit >/dev/null 2>&1
expect_eq "no request: exit 2" 2 $?
"$IPCTUNE" fit --shm-count 3 >/dev/null 2>&1
expect_eq "--shm-count without --shm-size: exit 2" 2 $?
"$IPCTUNE" fit --shm-size 8X >/dev/null 2>&1
expect_eq "bad size: exit 2" 2 $?
"$IPCTUNE" fit --queues 0 >/dev/null 2>&1
expect_eq "--queues 0: exit 2" 2 $?

# 9. 13.14 fit --key: for a key, the kernel's path for existing keys
# (ipcget_public(): EEXIST, then the type's more_checks, then ipcperms())
# or missing ones (ENOENT without IPC_CREAT), compared case by case with
# the real shmget/semget/msgget made as the same uid and gid
IPCGET=$BUILD/tests/ipcget
cat >"$TMPD/keycases" <<'CASES'
shm-larger-size shm 0x1234 8192 IPC_CREAT|0600 1000 100 EINVAL
shm-same-size shm 0x1234 4096 IPC_CREAT|0600 1000 100 ok
shm-smaller-size shm 0x1234 1 0600 1000 100 ok
shm-excl shm 0x1234 4096 IPC_CREAT|IPC_EXCL|0600 1000 100 EEXIST
shm-excl-before-size shm 0x1234 8192 IPC_CREAT|IPC_EXCL|0600 2000 200 EEXIST
shm-size-before-perms shm 0x1234 8192 0600 2000 200 EINVAL
shm-excl-alone-opens shm 0x1234 4096 IPC_EXCL|0600 1000 100 ok
shm-other-denied shm 0x1234 4096 0600 2000 200 EACCES
shm-group-read shm 0x1234 4096 0400 2000 100 ok
shm-group-write-denied shm 0x1234 4096 0600 2000 100 EACCES
shm-no-access-asked shm 0x1234 4096 0 2000 200 ok
shm-root-cap-ipc-owner shm 0x1234 4096 0600 0 0 ok
shm-missing-no-creat shm 0x9999 4096 0600 1000 100 ENOENT
shm-missing-creat shm 0x7777 4096 IPC_CREAT|0600 1000 100 ok
sem-more-nsems sem 0x1234 8 IPC_CREAT|0600 1000 100 EINVAL
sem-zero-nsems-opens sem 0x1234 0 0600 1000 100 ok
sem-semmsl-before-key sem 0x1234 40000 IPC_CREAT|IPC_EXCL|0600 1000 100 EINVAL
sem-excl sem 0x1234 4 IPC_CREAT|IPC_EXCL|0600 1000 100 EEXIST
sem-other-denied sem 0x1234 4 0600 2000 200 EACCES
sem-missing-no-creat sem 0x9999 4 0600 1000 100 ENOENT
msg-other-denied msg 0x1234 0 0600 2000 200 EACCES
msg-owner msg 0x1234 0 0600 1000 100 ok
msg-excl msg 0x1234 0 IPC_CREAT|IPC_EXCL|0600 1000 100 EEXIST
msg-missing-no-creat msg 0x9999 0 0600 1000 100 ENOENT
shm-private-creates shm 0 4096 0600 1000 100 ok
CASES
unshare --ipc --mount --pid --fork --mount-proc sh -c "
	G='$IPCGET'
	T='$IPCTUNE'
	# the holders of key 0x1234: made by uid 1000 gid 100, mode 0640
	\$G -u 1000 -g 100 shm 0x1234 4096 'IPC_CREAT|0640' >/dev/null
	\$G -u 1000 -g 100 sem 0x1234 4 'IPC_CREAT|0640' >/dev/null
	\$G -u 1000 -g 100 msg 0x1234 0 'IPC_CREAT|0640' >/dev/null
	\$T fit --key 0x1234 --shm-size 8192 >'$TMPD/key.out' 2>&1
	\$T fit -J --key 0x1234 --shm-size 8192 >'$TMPD/key.json' 2>&1
	ipcs -m >'$TMPD/key.ipcs'
	while read -r name type key size fl uid gid expect; do
		case \$type in
		shm) opt=\"--shm-size \$size\" ;;
		sem) opt=\"--sems-per-array \$size\" ;;
		*) opt='--queues 1' ;;
		esac
		pred=\$(\$T fit -J --key \$key \$opt --flags \"\$fl\" \
		    --uid \$uid --gid \$gid 2>/dev/null |
		    jq -r '.calls[0] | if .fits then \"ok\" else .errno end' \
		    2>/dev/null)
		real=\$(\$G -u \$uid -g \$gid \$type \$key \$size \"\$fl\" |
		    cut -d' ' -f1)
		echo \"\$name|\$expect|\${pred:-none}|\$real\"
	done <'$TMPD/keycases' >'$TMPD/keyres'
"
while IFS='|' read -r name expect pred real; do
	expect_eq "13.14 fit --key $name: predicted = kernel = $expect" \
	    "$expect $expect" "$pred $real"
done <"$TMPD/keyres"
expect_eq "13.14 fit --key: every case ran" \
    "$(wc -l <"$TMPD/keycases")" "$(wc -l <"$TMPD/keyres")"
check "13.14 fit --key: a larger size than the segment's is no fit" \
    grep -q 'shmget.*0 of 1.*EINVAL.*segment size' "$TMPD/key.out"
check "13.14 fit --key: names the segment holding the key" \
    grep -q '^key 0x00001234: held by segment [0-9]* (owner uid 1000 gid 100, creator uid 1000 gid 100, 4096 bytes (4.0 KiB), mode 0640)' \
    "$TMPD/key.out"
check "13.14 fit --key: says the holder looks leaked, as orphans judges it" \
    grep -q 'held by segment.*; orphans judges it orphaned' "$TMPD/key.out"
check "13.14 fit --key: 'it does not fit'" grep -qx 'it does not fit' \
    "$TMPD/key.out"
expect_eq "13.14 fit --key json: cause, holder id and verdict" \
    "false EINVAL key_segment_smaller $(awk '$1 == "0x00001234" {print $2}' "$TMPD/key.ipcs") 4096 orphaned" \
    "$(jq -r '.calls[0] | "\(.fits) \(.errno) \(.cause) \(.key_holder.id) \(.key_holder.size_bytes) \(.key_holder.verdict)"' "$TMPD/key.json" 2>/dev/null)"
# --from: the holder comes from the snapshot; no processes to judge by
in_ipcns "
	'$HELPER' -q shm size=4096 key=0x2468 >/dev/null
	'$IPCTUNE' snapshot >'$TMPD/keysnap.json'
"
"$IPCTUNE" fit -J --from "$TMPD/keysnap.json" --key 0x2468 \
    --shm-size 8192 >"$TMPD/key3.json"
expect_eq "13.14 fit --key --from: EINVAL from the snapshot's segment, not judged" \
    "4 EINVAL 4096 null" \
    "$? $(jq -r '.calls[0] | "\(.errno) \(.key_holder.size_bytes) \(.key_holder.verdict)"' "$TMPD/key3.json")"
"$IPCTUNE" fit --flags IPC_CREAT --shm-size 1 >/dev/null 2>&1
expect_eq "13.14 --flags without --key: exit 2" 2 $?
"$IPCTUNE" fit --key 0x1234 --shm-size 1 --shm-count 2 >/dev/null 2>&1
expect_eq "13.14 --key with --shm-count 2: exit 2" 2 $?
"$IPCTUNE" fit --key 0x1234 --shm-size 1 --flags 'IPC_CREAT|0800' \
    >/dev/null 2>&1
expect_eq "13.14 --flags with a bad mode: exit 2" 2 $?
"$IPCTUNE" fit --key 0x1234 --shm-size 1 --flags 'IPC_CREAT|' \
    >/dev/null 2>&1
expect_eq "13.14 --flags with an empty part: exit 2" 2 $?
"$IPCTUNE" fit --key 0x1234 --shm-size 1 --flags 'IPC_NOWAIT' \
    >/dev/null 2>&1
expect_eq "13.14 --flags with an unknown flag: exit 2" 2 $?

finish
