#!/bin/sh
# apply, verify and rollback against the real kernel, inside a private IPC
# and mount namespace (the script re-executes itself under unshare and
# refuses to run in the host's IPC namespace).  Drop-ins go to a sysctl.d
# tree under the test's temp dir (--sysctl-root), the state directory is
# a temp dir (IPCTUNE_STATE_DIR).
#
# Injected failures (the fault suite's LD_PRELOAD shim, fault() below):
# write:N makes the N-th /proc/sys write of an apply fail with EIO; semmni
# sends kernel.sem with an out-of-range SEMMNI so the kernel itself
# rejects it after storing the first three fields (ipc/ipc_sysctl.c).
# Both must leave every value as it was.
if [ -z "${IPCTUNE_IN_NS:-}" ]; then
	IPCTUNE_IN_NS=1 exec unshare --ipc --mount --propagation private \
	    sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

if [ "$(readlink /proc/self/ns/ipc)" = "$(readlink /proc/1/ns/ipc)" ]; then
	echo "refusing to run in the host's IPC namespace"
	exit 1
fi
umask 077
R=$TMPD/root
D=$R/etc/sysctl.d/zz-ipctune.conf
P=$TMPD/prof
export IPCTUNE_STATE_DIR=$TMPD/state
mkdir -p "$R/etc/sysctl.d" "$R/run/sysctl.d" "$R/usr/lib/sysctl.d" "$P"
chmod 755 "$TMPD" "$P"
cat >"$P/t-raise.conf" <<'EOF2'
[main]
summary = test: raise some limits
[sysctl]
kernel.shmmni = 5000
kernel.msgmax = 65536
kernel.msgmnb = 65536
kernel.sem = 250  32000  600  32000
fs.mqueue.msg_max = 20
EOF2
cat >"$P/t-lower.conf" <<'EOF2'
[main]
summary = test: lower some limits
[sysctl]
kernel.shmmni = 100
kernel.sem = 250 32000 100 128
EOF2
cat >"$P/t-tiny.conf" <<'EOF2'
[sysctl]
kernel.shmmni = 2
EOF2
apply() { "$IPCTUNE" apply --profile-dir "$P" --sysctl-root "$R" "$@"; }
# fault WHAT CMD...: run CMD with one real /proc/sys write failing
FI_SO=$BUILD/tests/faultinject.so
[ -f "$FI_SO" ] || fail "$FI_SO is not built (make tests-build)"
fault() (
	case "$1" in
	write:*) n=${1#write:} paths=/proc/sys/ e=EIO ;;
	semmni) n=1 paths=/proc/sys/kernel/sem e=OUTOFRANGE ;;
	esac
	shift
	LD_PRELOAD=$FI_SO IPCTUNE_FAULT_CALLS=write IPCTUNE_FAULT_N=$n \
	    IPCTUNE_FAULT_PATHS=$paths IPCTUNE_FAULT_ERRNO=$e \
	    ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
	export LD_PRELOAD IPCTUNE_FAULT_CALLS IPCTUNE_FAULT_N \
	    IPCTUNE_FAULT_PATHS IPCTUNE_FAULT_ERRNO ASAN_OPTIONS
	"$@"
)
snap() {
	for f in shmmax shmall shmmni sem msgmax msgmnb msgmni; do
		printf '%s=%s ' $f "$(cat /proc/sys/kernel/$f)"
	done
	printf 'mq=%s\n' "$(cat /proc/sys/fs/mqueue/msg_max)"
}
sem() { tr '\t' ' ' </proc/sys/kernel/sem; }
DEFAULTS=$(snap)

# dry run: the plan, nothing changed
apply -p t-raise --dry-run >"$TMPD/o" 2>&1
expect_eq "dry run exits 0" 0 $?
check "dry run shows the plan" grep -q "kernel.shmmni: 4096 -> 5000 (dry run)" "$TMPD/o"
check "dry run shows the drop-in" grep -q "^kernel.sem = 32000 1024000000 600 32000" "$TMPD/o"
expect_eq "dry run changes no value" "$DEFAULTS" "$(snap)"
check "dry run writes no drop-in" test ! -e "$D"
v=$(apply -p t-raise --dry-run --format json | jq -r '[.dry_run, .changed] | @tsv')
expect_eq "dry run JSON: dry_run, would change" "true	true" "$v"

# apply for real
apply -p t-raise >"$TMPD/o" 2>&1
expect_eq "apply exits 0" 0 $?
check "apply prints name: old -> new" grep -q "^kernel.shmmni: 4096 -> 5000$" "$TMPD/o"
check "apply prints kernel.sem old -> new" grep -q "^kernel.sem: 32000 1024000000 500 32000 -> 32000 1024000000 600 32000$" "$TMPD/o"
expect_eq "shmmni in /proc/sys" 5000 "$(cat /proc/sys/kernel/shmmni)"
expect_eq "msgmax in /proc/sys" 65536 "$(cat /proc/sys/kernel/msgmax)"
expect_eq "kernel.sem field by field in /proc/sys" "32000 1024000000 600 32000" "$(sem)"
expect_eq "fs.mqueue.msg_max in /proc/sys" 20 "$(cat /proc/sys/fs/mqueue/msg_max)"
check "drop-in written" test -f "$D"
expect_eq "drop-in mode 0644 despite umask 077" 644 "$(stat -c %a "$D")"
check "drop-in header names the profile" grep -q "^# Profiles: t-raise$" "$D"
check "drop-in has kernel.sem on one line" grep -q "^kernel.sem = 32000 1024000000 600 32000$" "$D"
check "no temporary file left" sh -c "! ls '$R/etc/sysctl.d' | grep -q tmp"
check "rollback record written" test -f "$IPCTUNE_STATE_DIR/last-apply.json"
AFTER=$(snap)

# the drop-in is accepted by procps and systemd-sysctl (fresh namespaces)
out=$(unshare --ipc sh -c "sysctl -q -p '$D' && tr '\t' ' ' </proc/sys/kernel/sem && cat /proc/sys/kernel/shmmni")
expect_eq "sysctl -p accepts the drop-in" "32000 1024000000 600 32000
5000" "$out"
SDS=/lib/systemd/systemd-sysctl
[ -x "$SDS" ] || SDS=/usr/lib/systemd/systemd-sysctl
out=$(unshare --ipc sh -c "'$SDS' '$D' && tr '\t' ' ' </proc/sys/kernel/sem && cat /proc/sys/fs/mqueue/msg_max")
expect_eq "systemd-sysctl accepts the drop-in" "32000 1024000000 600 32000
20" "$out"

# idempotence
v=$(apply -p t-raise --format json | jq -r '[.changed, .runtime.changed, .dropin.changed] | @tsv')
expect_eq "second apply: changed false" "false	false	false" "$v"
apply -p t-raise >"$TMPD/o" 2>&1
check "second apply says nothing changed" grep -q "^nothing changed" "$TMPD/o"
expect_eq "second apply changes no value" "$AFTER" "$(snap)"

# verify: compliant, then drift made by hand
"$IPCTUNE" verify --profile-dir "$P" -p t-raise --sysctl-root "$R" >"$TMPD/o" 2>&1
expect_eq "verify after apply: exit 0" 0 $?
echo 4096 >/proc/sys/kernel/shmmni
"$IPCTUNE" verify --profile-dir "$P" -p t-raise --sysctl-root "$R" >"$TMPD/o" 2>&1
expect_eq "verify detects hand-made drift: exit 4" 4 $?
check "verify names the drifted key" grep -q "^kernel.shmmni .*drift: running" "$TMPD/o"
"$IPCTUNE" verify --profile-dir "$P" --sysctl-root "$R" --format json >"$TMPD/v.json"
expect_eq "verify without -p uses the last apply: exit 4" 4 $?
check "verify JSON: the last apply's profile" jq -e '.from_last_apply and .profiles == ["t-raise"] and (.compliant | not)' "$TMPD/v.json"
"$IPCTUNE" verify --sysctl-root "$R" >"$TMPD/o" 2>&1
expect_eq "verify without -p finds the profile in the last apply's --profile-dir: exit 4" 4 $?
check "verify JSON: next boot from the drop-in" jq -e '.sysctls[] | select(.sysctl == "kernel.shmmni") | .next_boot.systemd_sysctl.file == "/etc/sysctl.d/zz-ipctune.conf" and .next_boot.sysctl_system.compliant and (.running_compliant | not)' "$TMPD/v.json"
sed -i 's/^kernel.shmmni = 5000/kernel.shmmni = 4999/' "$D"
echo 5000 >/proc/sys/kernel/shmmni
"$IPCTUNE" verify --profile-dir "$P" -p t-raise --sysctl-root "$R" >"$TMPD/o" 2>&1
expect_eq "verify detects drift in the drop-in: exit 4" 4 $?
check "verify says boot drift" grep -q "^kernel.shmmni .*drift: boot" "$TMPD/o"
sed -i 's/^kernel.shmmni = 4999/kernel.shmmni = 5000/' "$D"

# rollback: runtime values and the file
"$IPCTUNE" rollback >"$TMPD/o" 2>&1
expect_eq "rollback exits 0" 0 $?
expect_eq "rollback restores every runtime value" "$DEFAULTS" "$(snap)"
check "rollback removes a drop-in that did not exist" test ! -e "$D"
"$IPCTUNE" rollback >"$TMPD/o" 2>&1
expect_eq "second rollback exits 0" 0 $?
check "second rollback: nothing to roll back" grep -q "^nothing to roll back" "$TMPD/o"
v=$("$IPCTUNE" rollback --format json | jq -r .changed)
expect_eq "rollback JSON with nothing to do: changed false" false "$v"
IPCTUNE_STATE_DIR=$TMPD/never "$IPCTUNE" rollback >"$TMPD/o" 2>&1
expect_eq "rollback before any apply exits 0" 0 $?
check "rollback before any apply: nothing to roll back" grep -q "^nothing to roll back" "$TMPD/o"
check "rollback before any apply creates no state directory" test ! -e "$TMPD/never"

# values put back by hand before the rollback: it has nothing to change
apply -p t-raise >/dev/null 2>&1
echo 4096 >/proc/sys/kernel/shmmni
echo 8192 >/proc/sys/kernel/msgmax
echo 16384 >/proc/sys/kernel/msgmnb
echo 32000 1024000000 500 32000 >/proc/sys/kernel/sem
echo 10 >/proc/sys/fs/mqueue/msg_max
rm -f "$D"
v=$("$IPCTUNE" rollback --format json | jq -r '"\(.changed) \(.dropin.action)"')
expect_eq "rollback of what was undone by hand: changed false" "false unchanged" "$v"
expect_eq "and the values stay" "$DEFAULTS" "$(snap)"

# rollback restores previous drop-in content exactly
printf '# kept by hand\nkernel.msgmni = 31000\n' >"$D"
chmod 644 "$D"
cp "$D" "$TMPD/before.conf"
apply -p t-raise --force >/dev/null 2>&1
check "apply --force replaced a drop-in ipctune did not write" grep -q "^kernel.shmmni = 5000" "$D"
"$IPCTUNE" rollback >/dev/null 2>&1
check "rollback restores the previous drop-in" cmp "$D" "$TMPD/before.conf"
expect_eq "rollback restores runtime again" "$DEFAULTS" "$(snap)"
rm -f "$D"

# a profile that would lower values changes nothing by default
apply -p t-lower --format json >"$TMPD/l.json" 2>/dev/null
expect_eq "lowering profile: exit 0" 0 $?
check "lowering profile: changed false at runtime" jq -e '.runtime.changed == false' "$TMPD/l.json"
expect_eq "lowering profile: no value changed" "$DEFAULTS" "$(snap)"
check "lowering profile: kept, with the reason" jq -e '.sysctls[] | select(.sysctl == "kernel.sem") | .action == "keep"' "$TMPD/l.json"
"$IPCTUNE" rollback >/dev/null 2>&1
apply -p t-lower --exact --runtime >/dev/null 2>&1
expect_eq "--exact lowers" "100 250 32000 100 128" "$(cat /proc/sys/kernel/shmmni) $(sem)"
"$IPCTUNE" rollback >/dev/null 2>&1
expect_eq "rollback after --exact" "$DEFAULTS" "$(snap)"

# never below current usage without --force
for i in 1 2 3; do ipcmk -M 4096 >/dev/null; done
apply -p t-tiny --exact --runtime >"$TMPD/o" 2>&1
expect_eq "below usage refused: exit 1" 1 $?
check "below usage: the reason" grep -q "is below the 3 in use now" "$TMPD/o"
expect_eq "below usage: nothing changed" "$DEFAULTS" "$(snap)"
apply -p t-tiny --exact --runtime --force >/dev/null 2>&1
expect_eq "--force goes below usage" 2 "$(cat /proc/sys/kernel/shmmni)"
"$IPCTUNE" rollback >/dev/null 2>&1
expect_eq "rollback after --force" 4096 "$(cat /proc/sys/kernel/shmmni)"
ipcrm --all=shm

# injected failures leave every value as it was
for fault in write:1 write:2 write:3 write:4 semmni; do
	fault "$fault" apply -p t-raise >"$TMPD/o" 2>&1
	expect_eq "fault $fault: exit 1" 1 $?
	expect_eq "fault $fault: every value as it was" "$DEFAULTS" "$(snap)"
	check "fault $fault: no drop-in written" test ! -e "$D"
	check "fault $fault: no rollback record left" test ! -e "$IPCTUNE_STATE_DIR/last-apply.json"
done
check "semmni fault: the kernel's error is reported" grep -q "cannot write 'kernel.sem': Numerical result out of range" "$TMPD/o"
check "semmni fault: kernel.sem put back" grep -q "restored 'kernel.sem'" "$TMPD/o"

# a later file overrides the drop-in: refused, then --force
printf 'kernel.shmmni = 4500\n' >"$R/etc/sysctl.conf"
apply -p t-raise >"$TMPD/o" 2>&1
expect_eq "override by /etc/sysctl.conf refused: exit 1" 1 $?
check "override names the file and the rules" grep -q "'kernel.shmmni' would be 4500 at boot, not 5000: '/etc/sysctl.conf' line 1 sets it after the drop-in (sysctl --system)" "$TMPD/o"
expect_eq "refused apply changes nothing" "$DEFAULTS" "$(snap)"
check "refused apply writes no drop-in" test ! -e "$D"
"$IPCTUNE" apply --profile-dir "$P" --sysctl-root "$R/" --dropin "$D" -p t-raise >"$TMPD/o" 2>&1
expect_eq "--sysctl-root with a trailing slash: override still found" 1 $?
check "trailing slash: the override is named" grep -q "'/etc/sysctl.conf' line 1 sets it" "$TMPD/o"
apply -p t-raise --force >/dev/null 2>&1
expect_eq "--force applies despite the override" 5000 "$(cat /proc/sys/kernel/shmmni)"
"$IPCTUNE" rollback >/dev/null 2>&1
rm -f "$R/etc/sysctl.conf"
# 13.10: apply and verify judge a later file by one rule: the value the
# next boot leaves must comply with the profile (at least its value)
vfy() { "$IPCTUNE" verify --profile-dir "$P" -p t-raise --sysctl-root "$R" "$@"; }
printf 'kernel.shmmni = 6000\n' >"$R/etc/sysctl.conf"
apply -p t-raise >"$TMPD/o" 2>&1
a=$?
[ $a -eq 0 ] || apply -p t-raise --force >/dev/null 2>&1
vfy >"$TMPD/v" 2>&1
v=$?
expect_eq "13.10 a later file above the profile: apply and verify agree (both accept)" "0 0" "$a $v"
"$IPCTUNE" rollback >/dev/null 2>&1
printf 'kernel.shmmni = 4500\n' >"$R/etc/sysctl.conf"
apply -p t-raise --force >/dev/null 2>&1
vfy >"$TMPD/v" 2>&1
v=$?
apply -p t-raise >/dev/null 2>&1
a=$?
expect_eq "13.10 a later file below the profile: apply refuses, verify reports drift" "1 4" "$a $v"
"$IPCTUNE" rollback >/dev/null 2>&1
printf 'kernel.shmmni = 6000\n' >"$R/etc/sysctl.conf"
apply -p t-raise --exact >/dev/null 2>&1
a=$?
vfy --exact >/dev/null 2>&1
v=$?
expect_eq "13.10 with --exact a later file above the profile: both refuse" "1 4" "$a $v"
rm -f "$R/etc/sysctl.conf"
# systemd-sysctl: a later '-key' line cancels the drop-in's assignment
printf -- '-kernel.shmmni\n' >"$R/run/sysctl.d/zzz-late.conf"
apply -p t-raise >"$TMPD/o" 2>&1
expect_eq "a later '-kernel.shmmni' is refused: exit 1" 1 $?
check "cancelled key: says which file" grep -q "'kernel.shmmni' would not be set at boot: '/run/sysctl.d/zzz-late.conf' line 1 has '-kernel.shmmni' after the drop-in (systemd-sysctl)" "$TMPD/o"
expect_eq "cancelled key: nothing changed" "$DEFAULTS" "$(snap)"
rm -f "$R/run/sysctl.d/zzz-late.conf"
printf 'kernel.shmmni = 1\n' >"$R/etc/sysctl.d/60-x.conf"
apply -p t-raise --persist --dropin "$R/usr/lib/sysctl.d/60-x.conf" >"$TMPD/o" 2>&1
expect_eq "same-name file in /etc hides the drop-in: exit 1" 1 $?
check "hidden drop-in: says which file" grep -q "is hidden at boot by '/etc/sysctl.d/60-x.conf'" "$TMPD/o"
rm -f "$R/etc/sysctl.d/60-x.conf"

# --runtime and --persist alone
apply -p t-raise --runtime >/dev/null 2>&1
check "--runtime writes no drop-in" test ! -e "$D"
expect_eq "--runtime sets the values" 5000 "$(cat /proc/sys/kernel/shmmni)"
"$IPCTUNE" rollback >/dev/null 2>&1
apply -p t-raise --persist >/dev/null 2>&1
check "--persist writes the drop-in" test -f "$D"
expect_eq "--persist changes no running value" "$DEFAULTS" "$(snap)"
"$IPCTUNE" rollback >/dev/null 2>&1
check "rollback of --persist removes the drop-in" test ! -e "$D"

# a drop-in directory that cannot be written: found before any change
apply -p t-raise --dropin "$R/lib/sysctl.d/x.conf" >"$TMPD/o" 2>&1
expect_eq "unwritable drop-in directory: exit 1" 1 $?
check "unwritable drop-in directory: said before any change" grep -q "cannot write in '$R/lib/sysctl.d': No such file or directory: nothing changed" "$TMPD/o"
check "unwritable drop-in directory: no value was written" sh -c "! grep -q 'put back' '$TMPD/o'"
expect_eq "unwritable drop-in directory: values as they were" "$DEFAULTS" "$(snap)"

# symlinks are refused
ln -s "$TMPD/elsewhere" "$D"
apply -p t-raise >"$TMPD/o" 2>&1
expect_eq "symlinked drop-in refused: exit 1" 1 $?
check "symlink: the reason" grep -q "is a symbolic link" "$TMPD/o"
check "symlink target not created" test ! -e "$TMPD/elsewhere"
expect_eq "symlink: nothing changed" "$DEFAULTS" "$(snap)"
rm -f "$D"

# concurrent applies serialise on the lock: an apply started while
# another process holds it blocks in flock (a waiter in /proc/locks) and
# is still there until the holder lets go (60 s at most each way)
mkdir -p "$IPCTUNE_STATE_DIR"
mkfifo "$TMPD/release"
flock "$IPCTUNE_STATE_DIR/lock" sh -c 'echo held >"$1"; read -r _ <"$2"' \
    sh "$TMPD/held" "$TMPD/release" &
holder=$!
n=0
while [ ! -s "$TMPD/held" ] && [ $n -lt 3000 ]; do sleep 0.02; n=$((n + 1)); done
"$IPCTUNE" apply --profile-dir "$P" --sysctl-root "$R" -p t-raise \
    --runtime >/dev/null 2>&1 &
ap=$!
n=0
until grep -Eq "^[0-9]+: -> FLOCK +ADVISORY +WRITE +$ap " /proc/locks ||
    [ $n -ge 3000 ]; do
	sleep 0.02
	n=$((n + 1))
done
check "apply waits for the lock holder" sh -c "kill -0 $ap &&
    grep -Eq '^[0-9]+: -> FLOCK +ADVISORY +WRITE +$ap ' /proc/locks"
echo go >"$TMPD/release"
wait "$holder"
wait "$ap"
expect_eq "... and applies once the holder is gone" 0 "$?"
"$IPCTUNE" rollback >/dev/null 2>&1

# every shipped profile applies here and rolls back exactly
for f in "$TOP"/profiles/*.conf; do
	n=$(basename "$f" .conf)
	apply -p "$n" >"$TMPD/o" 2>&1
	rc=$?
	[ "$rc" -eq 0 ] && ok "shipped profile $n applies" ||
	    { fail "shipped profile $n: rc=$rc"; sed 's/^/    /' "$TMPD/o"; }
	"$IPCTUNE" verify --sysctl-root "$R" >/dev/null 2>&1
	expect_eq "shipped profile $n: verify after apply" 0 $?
	"$IPCTUNE" rollback >/dev/null 2>&1
	expect_eq "shipped profile $n rolls back" "$DEFAULTS" "$(snap)"
	check "shipped profile $n: drop-in removed" test ! -e "$D"
done

# a shipped profile for real
apply -p db2 --runtime --format json >"$TMPD/db2.json" 2>/dev/null
want=$(jq -r '.sysctls[] | select(.sysctl == "kernel.shmmni") | .recommended' "$TMPD/db2.json")
expect_eq "db2 applied: shmmni as recommended" "$want" "$(cat /proc/sys/kernel/shmmni)"
check "db2 applied: changed true" jq -e '.changed' "$TMPD/db2.json"
"$IPCTUNE" rollback >/dev/null 2>&1
expect_eq "db2 rolled back" "$DEFAULTS" "$(snap)"
# 13.4: a negative kernel.sem field (the kernel accepts it; a negative
# SEMOPM limits nothing) is kept by apply's record and written back
# exactly by rollback, and shown as it is in JSON
NEG="250 32000 -1 128"
echo "$NEG" >/proc/sys/kernel/sem
v=$("$IPCTUNE" status --format json | jq -c '.sysctls."kernel.sem" | [.semmsl, .semmns, .semopm, .semmni]')
expect_eq "13.4 status JSON shows a negative SEMOPM as -1" "[250,32000,-1,128]" "$v"
v=$("$IPCTUNE" facts | jq -c '[.ipctune_sem_semmsl, .ipctune_sem_semopm]')
expect_eq "13.4 facts show a negative SEMOPM as -1" "[250,-1]" "$v"
"$IPCTUNE" snapshot >"$TMPD/neg.json"
check "13.4 snapshot stores SEMOPM -1" jq -e '.sysctls."kernel.sem".semopm == -1' "$TMPD/neg.json"
"$IPCTUNE" status --from "$TMPD/neg.json" --format json >"$TMPD/neg2.json"
expect_eq "13.4 snapshot round trip (status --from) keeps SEMOPM -1" "$(jq -c .sysctls "$TMPD/neg.json")" "$(jq -c .sysctls "$TMPD/neg2.json")"
# raise-only keeps SEMOPM -1: semop compares it unsigned, so it limits
# nothing, and 600 would be a lowering
"$IPCTUNE" recommend --profile-dir "$P" -p t-raise >"$TMPD/o" 2>&1
check "13.4 recommend keeps SEMOPM -1 and says why" grep -q "semopm: current -1 limits nothing (compared unsigned, as 4294967295), kept" "$TMPD/o"
check "13.4 recommend shows the current -1" grep -q "^kernel.sem  *250 32000 -1 128  *250 32000 -1 32000 " "$TMPD/o"
"$IPCTUNE" recommend --profile-dir "$P" -p t-raise --exact --format json >"$TMPD/o" 2>/dev/null
check "13.4 recommend --exact lowers SEMOPM -1 to the profile's 600" jq -e '.sysctls[] | select(.sysctl == "kernel.sem") | .current.semopm == -1 and .recommended.semopm == 600' "$TMPD/o"
apply -p t-raise --runtime >"$TMPD/o" 2>&1
expect_eq "13.4 apply over a negative SEMOPM: exit 0" 0 $?
check "13.4 apply prints the negative old value, SEMOPM kept" grep -q "^kernel.sem: 250 32000 -1 128 -> 250 32000 -1 32000$" "$TMPD/o"
check "13.4 the state record keeps SEMOPM -1" jq -e '.runtime[] | select(.sysctl == "kernel.sem") | .old == ["250", "32000", "-1", "128"]' "$IPCTUNE_STATE_DIR/last-apply.json"
"$IPCTUNE" verify --profile-dir "$P" -p t-raise --sysctl-root "$R" --format json >"$TMPD/o" 2>/dev/null
check "13.4 verify: a running SEMOPM -1 complies with 600" jq -e '.sysctls[] | select(.sysctl == "kernel.sem") | .running_compliant and .running.semopm == -1' "$TMPD/o"
"$IPCTUNE" rollback --dry-run >"$TMPD/o" 2>&1
check "13.4 rollback --dry-run shows -1 to come back" grep -q "^kernel.sem: 250 32000 -1 32000 -> 250 32000 -1 128 (dry run)$" "$TMPD/o"
"$IPCTUNE" rollback >"$TMPD/o" 2>&1
expect_eq "13.4 rollback exits 0" 0 $?
expect_eq "13.4 rollback writes SEMOPM -1 back exactly" "$NEG" "$(sem)"
check "13.4 semop works after rollback (no E2BIG)" "$HELPER" -q sem nsems=1 semop=1 exit
ipcrm --all=sem
for fault in write:2 write:3; do
	echo "$NEG" >/proc/sys/kernel/sem
	fault "$fault" apply -p t-raise --runtime >"$TMPD/o" 2>&1
	expect_eq "13.4 fault $fault over a negative SEMOPM: exit 1" 1 $?
	expect_eq "13.4 fault $fault: kernel.sem put back with SEMOPM -1" "$NEG" "$(sem)"
done
# persistent: the drop-in keeps SEMOPM -1 as the runtime does (the
# kernel takes it at boot as it did at run time), and verify reads it
echo "$NEG" >/proc/sys/kernel/sem
apply -p t-raise >"$TMPD/o" 2>&1
expect_eq "13.4 apply with a drop-in over a negative SEMOPM: exit 0" 0 $?
check "13.4 the drop-in keeps SEMOPM -1" grep -qx "kernel.sem = 250 32000 -1 32000" "$D"
"$IPCTUNE" verify --profile-dir "$P" -p t-raise --sysctl-root "$R" >"$TMPD/o" 2>&1
expect_eq "13.4 verify: running and next boot with SEMOPM -1 comply" 0 $?
"$IPCTUNE" rollback >/dev/null 2>&1
expect_eq "13.4 rollback of the persistent apply: SEMOPM -1 back" "$NEG" "$(sem)"
check "13.4 rollback of the persistent apply removes the drop-in" test ! -e "$D"
# every view shows a negative field as the kernel holds it, not as 0 or
# 4294967295, and judges it by what the kernel makes of it
# (sysctl_effective: SEMMSL and SEMMNS admit nothing, SEMOPM no limit)
echo "-5 32000 -1 128" >/proc/sys/kernel/sem
"$IPCTUNE" status >"$TMPD/o" 2>&1
check "13.4 status table: SEMMSL -5 as held" grep -Eq '^semmsl +-5 ' "$TMPD/o"
check "13.4 status table: SEMOPM -1 as held" grep -Eq '^semopm +-1 ' "$TMPD/o"
v=$("$IPCTUNE" status --format json | jq -c '[.resources[] |
    select(.name == "semmsl" or .name == "semopm") | .limit]')
expect_eq "13.4 status JSON: resource limits -5 and -1" "[-5,-1]" "$v"
"$IPCTUNE" status --format prometheus >"$TMPD/o" 2>&1
check "13.4 Prometheus: the semmsl limit -5" \
    grep -Eq '^ipctune_limit\{resource="semmsl",[^}]*\} -5$' "$TMPD/o"
check "13.4 Prometheus: the semopm limit -1" \
    grep -Eq '^ipctune_limit\{resource="semopm",[^}]*\} -1$' "$TMPD/o"
v=$("$IPCTUNE" facts | jq -c '[.ipctune_semmsl_limit, .ipctune_semopm_limit]')
expect_eq "13.4 facts: the limits -5 and -1" "[-5,-1]" "$v"
"$IPCTUNE" fit --sem-arrays 1 --sems-per-array 5 --format json >"$TMPD/o"
expect_eq "13.4 fit: SEMMSL -5 as held, every semget fails (EINVAL)" \
    "EINVAL -5 -5" "$(jq -r '.calls[0] | "\(.errno) \(.limit_value)
\(.fixes[0].current)"' "$TMPD/o" | tr '\n' ' ' | sed 's/ $//')"
"$IPCTUNE" fit --semop-ops 3 >"$TMPD/o" 2>&1
expect_eq "13.4 fit: SEMOPM -1 limits nothing" 0 $?
"$IPCTUNE" status >"$TMPD/o" 2>&1
check "13.4 status: the negative field shown as the line holds it" grep -qF \
    "kernel.sem holds a negative SEMMSL ('-5 32000 -1 128')" "$TMPD/o"
check "13.4 status: SEMMSL -5 admits nothing, critical" grep -q \
    "^critical: semmsl (kernel.sem) is -5, which admits nothing: every semget that creates an array fails with EINVAL" \
    "$TMPD/o"
"$IPCTUNE" check >"$TMPD/o" 2>&1
expect_eq "13.4 check: SEMMSL -5 admits nothing: CRITICAL" 2 $?
check "13.4 check says why" grep -q "^IPC CRITICAL - semmsl (kernel.sem) is -5" \
    "$TMPD/o"
expect_eq "13.4 facts: critical as check" critical \
    "$("$IPCTUNE" facts | jq -r .ipctune_status)"
echo "250 -7 -1 128" >/proc/sys/kernel/sem
"$IPCTUNE" status >"$TMPD/o" 2>&1
check "13.4 status table: SEMMNS -7 as held" grep -Eq '^semmns +-7 ' "$TMPD/o"
check "13.4 status: SEMMNS -7 below SEMMSL 250 as held" \
    grep -q "SEMMNS (-7) is below SEMMSL (250)" "$TMPD/o"
check "13.4 status: semmns exhausted, 0 of -7" \
    grep -q "semmns is exhausted: 0 of -7 semaphores" "$TMPD/o"
"$IPCTUNE" check >"$TMPD/o" 2>&1
expect_eq "13.4 check: SEMMNS -7 admits nothing: CRITICAL" 2 $?
check "13.4 check names SEMMNS -7 as held" \
    grep -q "^IPC CRITICAL - semmns 100.0% (0 of -7 semaphores" "$TMPD/o"
echo "$NEG" >/proc/sys/kernel/sem
# the same for fs.mqueue.queues_max, an unsigned int the kernel prints
# and takes as an int: -1 goes back as -1, not as 4294967295 (EINVAL)
cat >"$P/t-mq.conf" <<'EOF2'
[sysctl]
fs.mqueue.queues_max = 256
EOF2
echo -1 >/proc/sys/fs/mqueue/queues_max
apply -p t-mq --exact --runtime >"$TMPD/o" 2>&1
expect_eq "13.4 apply --exact over queues_max -1: exit 0" 0 $?
check "13.4 apply prints queues_max -1 as the kernel does" grep -q "^fs.mqueue.queues_max: -1 -> 256$" "$TMPD/o"
"$IPCTUNE" rollback >"$TMPD/o" 2>&1
expect_eq "13.4 rollback of queues_max -1: exit 0" 0 $?
expect_eq "13.4 rollback writes queues_max -1 back" -1 "$(cat /proc/sys/fs/mqueue/queues_max)"
echo 256 >/proc/sys/fs/mqueue/queues_max
echo 32000 1024000000 500 32000 >/proc/sys/kernel/sem
echo 4096 >/proc/sys/kernel/shmmni
echo 8192 >/proc/sys/kernel/msgmax
echo 16384 >/proc/sys/kernel/msgmnb
echo 10 >/proc/sys/fs/mqueue/msg_max
expect_eq "13.4 values back at the defaults" "$DEFAULTS" "$(snap)"
# 13.7 rollback has apply's guards: never below what is in use, never over
# a value changed by hand since the apply; --force overrides; --dry-run says
cat >"$P/t-msgmni.conf" <<'EOF2'
[sysctl]
kernel.msgmni = 64
EOF2
MNI0=$(cat /proc/sys/kernel/msgmni)
echo 16 >/proc/sys/kernel/msgmni
apply -p t-msgmni --runtime >/dev/null 2>&1
expect_eq "13.7 apply raised msgmni" 64 "$(cat /proc/sys/kernel/msgmni)"
for i in $(seq 40); do ipcmk -Q >/dev/null; done
"$IPCTUNE" rollback >"$TMPD/o" 2>&1
expect_eq "13.7 rollback below usage refused: exit 1" 1 $?
check "13.7 rollback below usage: the reason" grep -q "kernel.msgmni: 16 is below the 40 in use now" "$TMPD/o"
expect_eq "13.7 rollback below usage: msgmni kept" 64 "$(cat /proc/sys/kernel/msgmni)"
check "13.7 refused rollback keeps its record" test -f "$IPCTUNE_STATE_DIR/last-apply.json"
"$IPCTUNE" rollback --dry-run >"$TMPD/o" 2>&1
expect_eq "13.7 rollback --dry-run below usage: exit 1" 1 $?
check "13.7 rollback --dry-run names the change and the guard" grep -q "^kernel.msgmni: 64 -> 16 (dry run; refused: 16 is below the 40 in use now)$" "$TMPD/o"
v=$("$IPCTUNE" rollback --dry-run --format json 2>/dev/null | jq -r '.runtime[0].refused')
expect_eq "13.7 rollback JSON names the guard" "16 is below the 40 in use now" "$v"
"$IPCTUNE" rollback --force >/dev/null 2>&1
expect_eq "13.7 rollback --force goes below usage" 16 "$(cat /proc/sys/kernel/msgmni)"
ipcrm --all=msg
apply -p t-msgmni --runtime >/dev/null 2>&1
echo 100 >/proc/sys/kernel/msgmni
"$IPCTUNE" rollback >"$TMPD/o" 2>&1
expect_eq "13.7 rollback over a hand change refused: exit 1" 1 $?
check "13.7 rollback over a hand change: the reason" grep -q "kernel.msgmni: changed by hand since the apply (64 written, 100 now)" "$TMPD/o"
expect_eq "13.7 the hand-set value stays" 100 "$(cat /proc/sys/kernel/msgmni)"
"$IPCTUNE" rollback --dry-run >"$TMPD/o" 2>&1
check "13.7 rollback --dry-run names the hand change" grep -q "^kernel.msgmni: 100 -> 16 (dry run; refused: changed by hand since the apply (64 written, 100 now))$" "$TMPD/o"
"$IPCTUNE" rollback --force >/dev/null 2>&1
expect_eq "13.7 rollback --force overwrites the hand change" 16 "$(cat /proc/sys/kernel/msgmni)"
echo "$MNI0" >/proc/sys/kernel/msgmni
# 13.6 an absolute profile value that today's usage already fills: apply
# and recommend say the workload has no room, verify is not compliant
echo 250 32000 32 128 >/proc/sys/kernel/sem
for i in $(seq 128); do ipcmk -S 1 >/dev/null; done
"$IPCTUNE" recommend -p postgresql-sysv --set max_connections=500 >"$TMPD/o" 2>&1
check "13.6 recommend says SEMMNI leaves no room" grep -q "postgresql-sysv: semmni 128 leaves no room for the workload: 128 arrays in use now, one instance needs 33 more (semget fails with ENOSPC)" "$TMPD/o"
apply -p postgresql-sysv --set max_connections=500 >"$TMPD/o" 2>&1
check "13.6 apply -p says SEMMNI leaves no room" grep -q "warning: postgresql-sysv: semmni 128 leaves no room for the workload" "$TMPD/o"
"$IPCTUNE" verify >"$TMPD/o" 2>&1
expect_eq "13.6 verify: the workload does not fit: exit 4" 4 $?
check "13.6 verify names the full limit" grep -q "semmni 128 leaves no room for the workload" "$TMPD/o"
check "13.6 verify does not say compliant" grep -q "^drift found$" "$TMPD/o"
ipcrm --all=sem
"$IPCTUNE" verify >"$TMPD/o" 2>&1
expect_eq "13.6 verify with room again: exit 0" 0 $?
"$IPCTUNE" rollback >/dev/null 2>&1
echo 32000 1024000000 500 32000 >/proc/sys/kernel/sem
# Another IPC namespace than PID 1's (this suite runs under unshare --ipc
# without a PID namespace, as an operator's nsenter --ipc would): the
# sysctl.d files set PID 1's namespace at boot, so apply writes the
# running values only.  /etc/sysctl.d is a tmpfs of this mount namespace
# here, so even a failure could not reach the host's.
if mount -t tmpfs tmpfs /etc/sysctl.d; then
	"$IPCTUNE" apply --profile-dir "$P" -p t-raise >"$TMPD/o" 2>&1
	expect_eq "not PID 1's namespace: apply writes the running values" \
	    "0 5000" "$? $(cat /proc/sys/kernel/shmmni)"
	expect_eq "... and no drop-in in /etc/sysctl.d" "" \
	    "$(ls -A /etc/sysctl.d)"
	check "... and says why" grep -q \
	    "warning: IPC namespace [0-9]* is not that of PID 1: only its running values are written" \
	    "$TMPD/o"
	"$IPCTUNE" rollback >/dev/null 2>&1
	"$IPCTUNE" apply --profile-dir "$P" -p t-raise --persist >"$TMPD/o" 2>&1
	expect_eq "... --persist there: refused, exit 2, nothing written" \
	    "2 4096" "$? $(cat /proc/sys/kernel/shmmni)"
	check "... --persist: says to use --runtime or --sysctl-root" grep -q \
	    "not that of PID 1, whose values the sysctl.d files set at boot; use --runtime.*--sysctl-root" \
	    "$TMPD/o"
	umount /etc/sysctl.d
else
	fail "a private tmpfs on /etc/sysctl.d"
fi
finish
