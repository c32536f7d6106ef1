#!/bin/sh
# apply, verify and rollback write only ipctune's own drop-in, only where
# it belongs, and only in the IPC namespace they changed (issue 12 B7,
# B9, B11, B12, B13).  Runs in a private IPC and mount namespace; the
# drop-ins go to a sysctl.d tree under the test's temp dir
# (--sysctl-root), the state directory is a temp dir.
. "$(dirname "$0")/lib.sh"
enter_private_ns
umask 022
chmod 755 "$TMPD"
R=$TMPD/root
SD=$R/etc/sysctl.d
D=$SD/zz-ipctune.conf
P=$TMPD/prof
S=$TMPD/state
export IPCTUNE_STATE_DIR=$S
mkdir -p "$SD" "$R/usr/lib/sysctl.d" "$P"
cat >"$P/t-raise.conf" <<'EOF2'
[main]
summary = test: raise some limits
[variables]
n = 5000
[sysctl]
kernel.shmmni = n
kernel.msgmax = 65536
EOF2
chmod 644 "$P/t-raise.conf"
apply() { "$IPCTUNE" apply --profile-dir "$P" --sysctl-root "$R" "$@"; }
snap() {
	for f in shmmni msgmax msgmnb; do
		printf '%s=%s ' $f "$(cat /proc/sys/kernel/$f)"
	done
	echo
}
DEFAULTS=$(snap)
# no line of FILE outside comments sets anything but these IPC keys
only_ipc_lines() {
	! grep -Ev '^[[:space:]]*([#;].*)?$|^(kernel\.(shm[a-z_]*|sem|msg[a-z]*)|fs\.mqueue\.[a-z_]*) = [0-9 ]+$' "$1"
}
# a plan document (plan --format json) with PROFILE as its profile
mkplan() {
	jq -n --arg p "$2" '{schema_version: 1, document: "plan",
	    profile: $p, sysctls: [{sysctl: "kernel.shmmni",
	    recommended: 4500}]}' >"$1"
}
reset() {
	"$IPCTUNE" rollback --any-namespace >/dev/null 2>&1
	rm -rf "$S" "$SD"/* "$R/etc/sysctl.conf"
	printf '%s\n' 4096 >/proc/sys/kernel/shmmni
	printf '%s\n' 8192 >/proc/sys/kernel/msgmax
}

# ---- 12.B7: no text reaches the drop-in as a line of its own ----
NL='
'
EVIL="x${NL}kernel.core_pattern = |/tmp/evil %p"
mkplan "$TMPD/evil.json" "$EVIL"
expect_status "12.B7 apply --from-plan refuses a plan profile with a newline" 1 \
    "$IPCTUNE" apply --from-plan "$TMPD/evil.json" --sysctl-root "$R"
expect_match "12.B7 the refusal names the control character" \
    'control character' "$TMPD/err"
check "12.B7 no drop-in is written from a plan profile with a newline" \
    test ! -e "$D"
expect_eq "12.B7 a refused plan changes no running value" "$DEFAULTS" "$(snap)"
mkplan "$TMPD/evil2.json" "x${NL}; also a comment"
expect_status "12.B7 any control character in the plan profile is refused" 1 \
    "$IPCTUNE" apply --from-plan "$TMPD/evil2.json" --sysctl-root "$R" --persist
EP="$TMPD/p${NL}kernel.core_pattern = |evil"
mkdir -p "$EP" 2>/dev/null || mkdir -p "$(dirname "$EP")"
mkplan "$TMPD/plan${NL}kernel.core_pattern = |evil.json" "ok"
expect_status "12.B7 apply --from-plan refuses a plan path with a newline" 1 \
    "$IPCTUNE" apply --from-plan "$TMPD/plan${NL}kernel.core_pattern = |evil.json" --sysctl-root "$R"
check "12.B7 no drop-in is written from a plan path with a newline" test ! -e "$D"
expect_status "12.B7 a --set value with a newline is refused" 1 \
    apply -p t-raise --set "n=5000${NL}kernel.core_pattern=|/tmp/evil"
check "12.B7 no drop-in is written from a --set with a newline" test ! -e "$D"
expect_eq "12.B7 a refused --set changes no running value" "$DEFAULTS" "$(snap)"
# a clean plan: the drop-in holds only allowlisted IPC lines
mkplan "$TMPD/good.json" "t-work"
expect_status "12.B7 a clean plan applies" 0 \
    "$IPCTUNE" apply --from-plan "$TMPD/good.json" --sysctl-root "$R"
check "12.B7 the drop-in holds only allowlisted IPC lines" only_ipc_lines "$D"
# verify flags a line in ipctune's own drop-in that ipctune did not write
printf 'kernel.core_pattern = |/tmp/evil %%p\n' >>"$D"
expect_status "12.B7 verify flags a foreign line in ipctune's drop-in: exit 4" 4 \
    "$IPCTUNE" verify --sysctl-root "$R"
expect_match "12.B7 verify names the foreign line" \
    "^drift: '$D' line [0-9]+: 'kernel.core_pattern = \|/tmp/evil %p' was not written by ipctune" \
    "$TMPD/out"
"$IPCTUNE" verify --sysctl-root "$R" --format json >"$TMPD/v.json" 2>/dev/null
check "12.B7 verify JSON lists the foreign line" jq -e \
    '.dropin.foreign_lines[0].text == "kernel.core_pattern = |/tmp/evil %p" and (.compliant | not)' "$TMPD/v.json"
sed -i '$d' "$D"
printf 'kernel.shmmax = 12345\n' >>"$D"
expect_status "12.B7 verify flags an IPC key the apply did not write: exit 4" 4 \
    "$IPCTUNE" verify --sysctl-root "$R"
sed -i '$d' "$D"
expect_status "12.B7 verify of the untouched drop-in: compliant" 0 \
    "$IPCTUNE" verify --sysctl-root "$R"
expect_status "12.B7 verify -p flags a foreign line in the default drop-in" 4 \
    sh -c "printf 'net.ipv4.ip_forward = 1\n' >>'$D' && '$IPCTUNE' verify --profile-dir '$P' -p t-raise --sysctl-root '$R'"
reset

# ---- 12.B9: --dropin only over a sysctl.d file ipctune wrote ----
printf '# by hand\nnet.ipv4.ip_forward = 1\nkernel.shmmni = 1\n' >"$R/etc/sysctl.conf"
cp "$R/etc/sysctl.conf" "$TMPD/sysctl.conf.before"
expect_status "12.B9 apply --dropin /etc/sysctl.conf is refused" 1 \
    apply -p t-raise --dropin "$R/etc/sysctl.conf"
check "12.B9 /etc/sysctl.conf is left as it was" cmp "$R/etc/sysctl.conf" "$TMPD/sysctl.conf.before"
expect_eq "12.B9 the refused --dropin changes no running value" "$DEFAULTS" "$(snap)"
check "12.B9 the refusal does not claim the next boot ignores sysctl.conf" \
    sh -c "! grep -q 'next boot will not read' '$TMPD/err'"
rm -f "$R/etc/sysctl.conf"
printf '# admin\nnet.ipv4.ip_forward = 1\n' >"$SD/10-admin.conf"
cp "$SD/10-admin.conf" "$TMPD/admin.before"
expect_status "12.B9 a sysctl.d file with foreign lines is refused" 1 \
    apply -p t-raise --dropin "$SD/10-admin.conf"
expect_match "12.B9 the refusal names the foreign line" \
    "line 2 \('net.ipv4.ip_forward = 1'\) was not written by ipctune" "$TMPD/err"
check "12.B9 the foreign sysctl.d file is left as it was" cmp "$SD/10-admin.conf" "$TMPD/admin.before"
printf 'kernel.shmmni = 100\n' >"$SD/20-ipc.conf"
expect_status "12.B9 an IPC-only file without ipctune's header is refused" 1 \
    apply -p t-raise --persist --dropin "$SD/20-ipc.conf"
rm -f "$SD/20-ipc.conf"
expect_status "12.B9 a file that is not *.conf is refused" 1 \
    apply -p t-raise --dropin "$SD/ipctune.txt"
check "12.B9 no file written for a non-.conf drop-in" test ! -e "$SD/ipctune.txt"
mkdir -p "$TMPD/elsewhere"
expect_status "12.B9 a drop-in outside the sysctl.d directories is refused" 1 \
    apply -p t-raise --dropin "$TMPD/elsewhere/x.conf"
expect_status "12.B9 a sysctl.d path with '..' is refused" 1 \
    apply -p t-raise --dropin "$SD/../sysctl.d/x.conf"
expect_status "12.B9 a drop-in in /usr/lib/sysctl.d is accepted" 0 \
    apply -p t-raise --persist --dropin "$R/usr/lib/sysctl.d/50-ipctune.conf"
expect_status "12.B9 and rolled back" 0 "$IPCTUNE" rollback
check "12.B9 the rollback removed it" test ! -e "$R/usr/lib/sysctl.d/50-ipctune.conf"
expect_status "12.B9 ipctune's own drop-in is replaced again" 0 \
    apply -p t-raise --persist
expect_status "12.B9 a second apply over ipctune's drop-in is allowed" 0 \
    apply -p t-raise --persist --set n=5500
"$IPCTUNE" rollback >/dev/null 2>&1
"$IPCTUNE" rollback >/dev/null 2>&1
rm -f "$D"
# --force writes /etc/sysctl.conf, and says which boot reads it
printf 'kernel.shmmni = 1\n' >"$R/etc/sysctl.conf"
expect_status "12.B9 --force writes /etc/sysctl.conf" 0 \
    apply -p t-raise --persist --force --dropin "$R/etc/sysctl.conf"
check "12.B9 no false warning that the next boot will not read /etc/sysctl.conf" \
    sh -c "! grep -q 'next boot will not read' '$TMPD/err'"
expect_match "12.B9 the warning says systemd-sysctl does not read /etc/sysctl.conf" \
    "'$R/etc/sysctl.conf' is not read at boot by systemd-sysctl" "$TMPD/err"
check "12.B9 the warning does not claim sysctl --system ignores it" \
    sh -c "! grep -q 'by sysctl --system' '$TMPD/err'"
expect_status "12.B9 rollback restores the forced /etc/sysctl.conf" 0 \
    "$IPCTUNE" rollback
expect_eq "12.B9 /etc/sysctl.conf content is back" "kernel.shmmni = 1" "$(cat "$R/etc/sysctl.conf")"
reset

# ---- 12.B11: stale temporary files of a killed run are removed ----
sh -c 'exit 0' &
dead=$!
wait $dead
sleep 300 >/dev/null 2>&1 &
live=$!
printf 'partial' >"$D.tmp.$dead"
printf 'live' >"$D.tmp.$live"
printf 'lookalike' >"$D.tmp.0$dead"
printf 'other' >"$SD/other.conf.tmp.$dead"
ln -s /etc/hostname "$D.tmp.1"
printf 'foreign' >"$D.tmp.2"
chown 65534 "$D.tmp.2"
mkdir -p "$S"
printf 'x' >"$S/last-apply.json.tmp.$dead"
expect_status "12.B11 apply after a kill -9 exits 0" 0 apply -p t-raise
check "12.B11 apply removes the drop-in's stale temporary file" test ! -e "$D.tmp.$dead"
check "12.B11 apply removes the state record's stale temporary file" test ! -e "$S/last-apply.json.tmp.$dead"
expect_match "12.B11 apply says it removed a stale temporary file" \
    "removed 1 stale temporary file of '$D'" "$TMPD/err"
check "12.B11 a temporary file of a live PID is kept" test -e "$D.tmp.$live"
check "12.B11 a name not exactly ours (leading zero) is kept" test -e "$D.tmp.0$dead"
check "12.B11 another file's temporary file is kept" test -e "$SD/other.conf.tmp.$dead"
check "12.B11 a symlink with our name is kept" test -L "$D.tmp.1"
check "12.B11 a file owned by another user is kept" test -e "$D.tmp.2"
printf 'partial' >"$D.tmp.$dead"
expect_status "12.B11 rollback after a kill -9 exits 0" 0 "$IPCTUNE" rollback
check "12.B11 rollback removes the drop-in's stale temporary file" test ! -e "$D.tmp.$dead"
# a writer in another PID namespace: its PID is not visible, its lock is
printf 'locked' >"$D.tmp.$dead"
# the subshell becomes the sleep that holds the lock: killing $locker
# ends the holder, and nothing keeps the suite's output open
(exec 9>>"$D.tmp.$dead"; flock 9; exec sleep 300) >/dev/null 2>&1 &
locker=$!
n=0
while flock -n "$D.tmp.$dead" true 2>/dev/null && [ $n -lt 200 ]; do
	sleep 0.01
	n=$((n + 1))
done
expect_status "12.B11 apply with a locked temporary file exits 0" 0 apply -p t-raise
check "12.B11 a temporary file whose write lock is held is kept" test -e "$D.tmp.$dead"
kill "$locker" "$live" 2>/dev/null
wait "$locker" "$live" 2>/dev/null
rm -f "$D.tmp."* "$SD/other.conf.tmp.$dead"
reset
# the "FILE.tmp.$$" idiom is common: only a checked drop-in path is cleaned
printf 'net.ipv4.ip_forward = 1\n' >"$R/etc/sysctl.conf"
printf 'admin' >"$R/etc/sysctl.conf.tmp.$dead"
expect_status "12.B11 apply --dropin /etc/sysctl.conf without --force is refused" 1 \
    apply -p t-raise --persist --dropin "$R/etc/sysctl.conf"
check "12.B11 a refused --dropin leaves its path's temporary files alone" \
    test -e "$R/etc/sysctl.conf.tmp.$dead"
printf 'net.ipv4.ip_forward = 1\n' >"$SD/10-admin.conf"
printf 'admin' >"$SD/10-admin.conf.tmp.$dead"
expect_status "12.B11 apply --dropin over a foreign sysctl.d file is refused" 1 \
    apply -p t-raise --persist --dropin "$SD/10-admin.conf"
check "12.B11 the foreign file's temporary files are kept" \
    test -e "$SD/10-admin.conf.tmp.$dead"
mkdir -p "$R/opt"
printf 'admin' >"$R/opt/x.conf.tmp.$dead"
expect_status "12.B11 apply --force --dropin outside sysctl.d writes it" 0 \
    apply -p t-raise --persist --force --dropin "$R/opt/x.conf"
check "12.B11 no temporary file is removed outside the drop-in locations" \
    test -e "$R/opt/x.conf.tmp.$dead"
"$IPCTUNE" rollback --force >/dev/null 2>&1
rm -rf "$R/opt" "$S"
# rollback cleans only beside a drop-in path its record verifies
expect_status "12.B11 apply for the rollback clean-up test" 0 apply -p t-raise --persist
jq ".dropin.path = \"$SD/10-admin.conf\" | .dropin.new_content = \"x\"" \
    "$S/last-apply.json" >"$S/x" && cat "$S/x" >"$S/last-apply.json" && rm -f "$S/x"
expect_status "12.B11 rollback refuses the damaged record" 1 "$IPCTUNE" rollback
check "12.B11 rollback leaves temporary files beside an unverified path" \
    test -e "$SD/10-admin.conf.tmp.$dead"
rm -f "$R/etc/sysctl.conf" "$R/etc/sysctl.conf.tmp.$dead" "$SD/10-admin.conf" \
    "$SD/10-admin.conf.tmp.$dead"
reset

# ---- 12.B12: rollback touches only a verified drop-in ----
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$TMPD/passwd"
cp "$TMPD/passwd" "$SD/passwd.conf"
expect_status "12.B12 apply for the damaged-record tests" 0 apply -p t-raise --persist
damage() {
	jq "$1" "$S/last-apply.json" >"$S/x" && cat "$S/x" >"$S/last-apply.json"
	rm -f "$S/x"
}
cp "$S/last-apply.json" "$TMPD/good-record.json"
damage ".dropin.path = \"$TMPD/passwd\""
expect_status "12.B12 rollback refuses a record whose drop-in is /etc/passwd-like" 1 \
    "$IPCTUNE" rollback
check "12.B12 the file named by a damaged record is not removed" \
    cmp "$TMPD/passwd" "$SD/passwd.conf"
expect_match "12.B12 the refusal says why" "not a '\*\.conf' file in a sysctl\.d directory" "$TMPD/err"
expect_status "12.B12 rollback --force refuses it too" 1 "$IPCTUNE" rollback --force
check "12.B12 --force did not remove it either" test -e "$TMPD/passwd"
cp "$TMPD/good-record.json" "$S/last-apply.json"
damage ".dropin.path = \"$SD/passwd.conf\""
expect_status "12.B12 rollback refuses a sysctl.d file it did not write" 1 \
    "$IPCTUNE" rollback
expect_status "12.B12 even with --force" 1 "$IPCTUNE" rollback --force
check "12.B12 that file is kept" cmp "$TMPD/passwd" "$SD/passwd.conf"
cp "$TMPD/good-record.json" "$S/last-apply.json"
damage ".dropin.path = \"$SD/../../../passwd\""
expect_status "12.B12 rollback refuses a path with '..'" 1 "$IPCTUNE" rollback
cp "$TMPD/good-record.json" "$S/last-apply.json"
damage '.dropin.new_content = "kernel.shmmni = 1\n"'
expect_status "12.B12 rollback refuses content that does not match the recorded hash" 1 \
    "$IPCTUNE" rollback --force
expect_match "12.B12 the hash mismatch is named" "SHA-256" "$TMPD/err"
check "12.B12 the drop-in is kept after a hash mismatch" test -e "$D"
# a record without the content hash must not steer a remove or a write
printf 'net.ipv4.ip_forward = 1\n' >"$SD/10-admin.conf"
cp "$SD/10-admin.conf" "$TMPD/admin"
cp "$TMPD/good-record.json" "$S/last-apply.json"
damage ".dropin.path = \"$SD/10-admin.conf\" | .dropin.existed = false | del(.dropin.new_content) | del(.dropin.new_sha256)"
expect_status "12.B12 rollback refuses a record with no drop-in content or hash" 1 \
    "$IPCTUNE" rollback
check "12.B12 a foreign sysctl.d file is not removed by a hashless record" \
    cmp "$TMPD/admin" "$SD/10-admin.conf"
expect_match "12.B12 the hashless record is called damaged" "damaged" "$TMPD/err"
expect_status "12.B12 --force does not remove it either" 1 "$IPCTUNE" rollback --force
check "12.B12 the foreign file survives --force" cmp "$TMPD/admin" "$SD/10-admin.conf"
cp "$TMPD/good-record.json" "$S/last-apply.json"
damage ".dropin.path = \"$SD/10-admin.conf\" | .dropin.existed = true | .dropin.old_content = \"kernel.shmmni = 1\\n\" | del(.dropin.new_content) | del(.dropin.new_sha256)"
expect_status "12.B12 rollback refuses to overwrite from a hashless record" 1 \
    "$IPCTUNE" rollback --force
check "12.B12 a foreign sysctl.d file is not overwritten by a hashless record" \
    cmp "$TMPD/admin" "$SD/10-admin.conf"
# an older ipctune wrote the content but no hash: the file part is refused
cp "$TMPD/good-record.json" "$S/last-apply.json"
damage "del(.dropin.new_sha256)"
B12SNAP=$(snap)
expect_status "12.B12 rollback refuses a record without the drop-in's SHA-256" 1 \
    "$IPCTUNE" rollback
expect_match "12.B12 the refusal names the missing SHA-256" "no SHA-256" "$TMPD/err"
check "12.B12 the drop-in is kept when the hash is missing" test -e "$D"
expect_eq "12.B12 a refused hashless record changes no runtime value" "$B12SNAP" "$(snap)"
cp "$TMPD/good-record.json" "$S/last-apply.json"
damage ".dropin.path = \"$SD/10-admin.conf\""
expect_status "12.B12 rollback --force refuses a sysctl.d file without ipctune's header" 1 \
    "$IPCTUNE" rollback --force
check "12.B12 the headerless file is kept" cmp "$TMPD/admin" "$SD/10-admin.conf"
rm -f "$SD/10-admin.conf"
cp "$TMPD/good-record.json" "$S/last-apply.json"
check "12.B12 the record holds the drop-in's SHA-256" sh -c \
    "test \"\$(jq -r .dropin.new_sha256 '$S/last-apply.json')\" = \"\$(sha256sum <'$D' | cut -d' ' -f1)\""
expect_status "12.B12 the intact record rolls back" 0 "$IPCTUNE" rollback
check "12.B12 and the drop-in is removed" test ! -e "$D"
rm -f "$SD/passwd.conf"
reset

# ---- 12.B13: rollback and verify stay in the namespace apply changed ----
expect_status "12.B13 apply in this IPC namespace" 0 apply -p t-raise --runtime
AFTER=$(snap)
check "12.B13 the record names the IPC namespace" sh -c \
    "test \"\$(jq .ipc_namespace.inode '$S/last-apply.json')\" = \"\$(stat -L -c %i /proc/self/ns/ipc)\""
check "12.B13 the record does not call a private namespace the host's" \
    jq -e '.ipc_namespace.host != true' "$S/last-apply.json"
unshare --ipc sh -c "'$IPCTUNE' rollback >'$TMPD/o2' 2>'$TMPD/e2'; echo \$? >'$TMPD/rc2'; for f in shmmni msgmax msgmnb; do printf '%s=%s ' \$f \"\$(cat /proc/sys/kernel/\$f)\"; done; echo"  >"$TMPD/other-snap"
expect_eq "12.B13 rollback from another IPC namespace is refused" 1 "$(cat "$TMPD/rc2")"
expect_match "12.B13 the refusal names the other namespace" \
    "the last apply changed another IPC namespace" "$TMPD/e2"
expect_eq "12.B13 the other namespace's values are untouched" "$DEFAULTS" "$(cat "$TMPD/other-snap")"
expect_eq "12.B13 the applied namespace keeps its values" "$AFTER" "$(snap)"
check "12.B13 the record is kept for the right namespace" test -e "$S/last-apply.json"
unshare --ipc sh -c "'$IPCTUNE' verify --sysctl-root '$R' >/dev/null 2>'$TMPD/e3'; echo \$? >'$TMPD/rc3'"
expect_eq "12.B13 verify from another IPC namespace is refused" 1 "$(cat "$TMPD/rc3")"
expect_match "12.B13 verify says why" "another IPC namespace" "$TMPD/e3"
unshare --ipc sh -c "'$IPCTUNE' verify --any-namespace --sysctl-root '$R' >/dev/null 2>&1; echo \$? >'$TMPD/rc4'"
expect_eq "12.B13 verify --any-namespace compares anyway (drift there)" 4 "$(cat "$TMPD/rc4")"
expect_status "12.B13 rollback in the same namespace works" 0 "$IPCTUNE" rollback
expect_eq "12.B13 and restores the values" "$DEFAULTS" "$(snap)"
# a record older than the field: refused unless told
expect_status "12.B13 apply for the old-record test" 0 apply -p t-raise --runtime
damage 'del(.ipc_namespace)'
expect_status "12.B13 rollback of a record without a namespace is refused" 1 \
    "$IPCTUNE" rollback
expect_match "12.B13 the refusal names --any-namespace" "older ipctune.*--any-namespace" "$TMPD/err"
expect_eq "12.B13 the refused old record changes nothing" "$AFTER" "$(snap)"
expect_status "12.B13 rollback --any-namespace rolls the old record back" 0 \
    "$IPCTUNE" rollback --any-namespace
expect_eq "12.B13 old record: values restored" "$DEFAULTS" "$(snap)"
finish
