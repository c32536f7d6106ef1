#!/bin/sh
# apply --dev-shm-persist and its rollback on the real kernel, in private
# IPC, mount and PID namespaces with their own 64 MiB tmpfs at /dev/shm
# and a --sysctl-root tree: the fstab line rewritten with every other
# byte kept, or a dev-shm.mount drop-in; rollback restores the file and
# shrinks the tmpfs back; the refusals (a non-tmpfs line, a file changed
# since, a shrink below what /dev/shm holds).
. "$(dirname "$0")/lib.sh"
enter_private_ns pid
save_defaults

export IPCTUNE_STATE_DIR="$TMPD/state"
mkdir -p "$IPCTUNE_STATE_DIR" "$TMPD/prof"
mount -t tmpfs -o size=64m,nosuid,nodev tmpfs /dev/shm ||
    { fail "mount tmpfs"; finish; exit; }
P="--profile-dir $TMPD/prof"
printf '[main]\nsummary = t\n[posix]\ndev_shm_size = 96M\n' \
    >"$TMPD/prof/shm96.conf"
size() { findmnt -n -o OPTIONS /dev/shm | tail -1 | tr ',' '\n' |
    sed -n 's/^size=//p'; }
R="$TMPD/root"
mkdir -p "$R/etc/sysctl.d" "$R/etc/systemd/system"
A="$P -p shm96 --sysctl-root $R"

# a hostile fstab: comments naming /dev/shm, tabs, no final newline
printf '# /dev/shm tmpfs defaults 0 0\nUUID=1\t/\text4\tdefaults\t0 1\n#shm /dev/shm tmpfs size=1g 0 0\nshm\t/dev/shm  tmpfs\tdefaults,size=1g,noexec\t0\t0\n/dev/sdb1 /data xfs noatime 0 2' \
    >"$R/etc/fstab"
cp "$R/etc/fstab" "$TMPD/fstab.orig"
printf '# /dev/shm tmpfs defaults 0 0\nUUID=1\t/\text4\tdefaults\t0 1\n#shm /dev/shm tmpfs size=1g 0 0\nshm\t/dev/shm  tmpfs\tdefaults,noexec,size=98304k\t0\t0\n/dev/sdb1 /data xfs noatime 0 2' \
    >"$TMPD/fstab.want"

"$IPCTUNE" apply $A --runtime --dev-shm-persist >"$TMPD/u.out" 2>&1
expect_eq "--dev-shm-persist with --runtime alone: usage error" 2 "$?"
"$IPCTUNE" apply $A --dev-shm-remount --dev-shm-persist --dry-run \
    >"$TMPD/d.out" 2>&1
expect_eq "dry run: exit 0" 0 "$?"
cmp -s "$R/etc/fstab" "$TMPD/fstab.orig" && ok "dry run: fstab untouched" ||
    fail "dry run wrote fstab"
grep -q "^would write $R/etc/fstab (/dev/shm at the next boot" \
    "$TMPD/d.out" && ok "dry run: says it" || { fail "dry run text";
    cat "$TMPD/d.out"; }

# what a killed writer left beside fstab goes (its PID is gone)
sh -c 'exit 0' & dead=$!; wait $dead
echo partial >"$R/etc/fstab.tmp.$dead"
"$IPCTUNE" apply $A --dev-shm-remount --dev-shm-persist >"$TMPD/a.out" 2>&1
expect_eq "apply --dev-shm-remount --dev-shm-persist: exit 0" 0 "$?"
cmp -s "$R/etc/fstab" "$TMPD/fstab.want" &&
    ok "fstab: only the options of the /dev/shm line changed" ||
    { fail "fstab content"; od -c "$R/etc/fstab" | tail -5; cat "$TMPD/a.out"; }
expect_eq "the tmpfs is 96 MiB" 98304k "$(size)"
[ ! -e "$R/etc/fstab.tmp.$dead" ] && ok "a stale fstab.tmp.PID removed" ||
    fail "stale fstab.tmp.PID kept"
expect_eq "the record holds the file and the sizes" \
    "true $R/etc/fstab true 67108864 100663296" \
    "$(jq -r '.dev_shm | "\(.written) \(.path) \(.remounted) \(.old_bytes) \(.new_bytes)"' \
    "$IPCTUNE_STATE_DIR/last-apply.json" 2>&1)"

# verify: the size now and at the next boot against the profile
"$IPCTUNE" verify >"$TMPD/v.out" 2>&1
expect_eq "verify after the apply: compliant (exit 0)" 0 "$?"
grep -q '^/dev/shm: profile 96MiB, running 96MiB: ok$' "$TMPD/v.out" &&
    grep -q "^/dev/shm: profile 96MiB, next boot 96MiB ($R/etc/fstab): ok$" \
    "$TMPD/v.out" && ok "verify: both lines ok" ||
    { fail "verify text"; cat "$TMPD/v.out"; }
mount -o remount,size=80m /dev/shm
sed 's/size=98304k/size=64m/' "$TMPD/fstab.want" >"$R/etc/fstab"
"$IPCTUNE" verify --format json >"$TMPD/v.json" 2>&1
expect_eq "verify after a manual remount and fstab edit: exit 4" 4 "$?"
expect_eq "... both drifts, with the sizes" \
    "100663296 83886080 false 67108864 false false" \
    "$(jq -r '"\(.dev_shm.wanted_bytes) \(.dev_shm.running_bytes) \(.dev_shm.running_compliant) \(.dev_shm.next_boot.bytes) \(.dev_shm.next_boot.compliant) \(.compliant)"' \
    "$TMPD/v.json")"
check "... verify JSON validates" "$PYTHON" \
    "$TOP/tests/sys/validate.py" "$TOP/contrib/schema/verify-1.json" \
    "$TMPD/v.json"
"$IPCTUNE" rollback >"$TMPD/rx.out" 2>&1
expect_eq "rollback after both changed by hand: refused" 1 "$?"
grep -q 'changed by hand since the apply' "$TMPD/rx.out" && ok "... and why" ||
    { fail "changed-by-hand message"; cat "$TMPD/rx.out"; }
mount -o remount,size=98304k /dev/shm
cp "$TMPD/fstab.want" "$R/etc/fstab"

"$IPCTUNE" rollback >"$TMPD/r.out" 2>&1
expect_eq "rollback: exit 0" 0 "$?"
cmp -s "$R/etc/fstab" "$TMPD/fstab.orig" &&
    ok "rollback: fstab byte for byte as before" || fail "rollback: fstab"
expect_eq "rollback: the tmpfs is 64 MiB again" 65536k "$(size)"
grep -q "^restored $R/etc/fstab$" "$TMPD/r.out" &&
    grep -q '^/dev/shm: 100663296 -> 67108864 bytes (remounted)$' \
    "$TMPD/r.out" && ok "rollback says both" ||
    { fail "rollback text"; cat "$TMPD/r.out"; }

# no /dev/shm line, no unit: a line is added (a newline first)
printf 'UUID=1 / ext4 defaults 0 1' >"$R/etc/fstab"
"$IPCTUNE" apply $A --dev-shm-persist >/dev/null 2>&1
expect_eq "no /dev/shm line: a new line" \
    "$(printf 'UUID=1 / ext4 defaults 0 1\ntmpfs /dev/shm tmpfs rw,nosuid,nodev,size=98304k 0 0\n')" \
    "$(cat "$R/etc/fstab")"
expect_eq "... the runtime size untouched" 65536k "$(size)"
"$IPCTUNE" rollback >/dev/null 2>&1
expect_eq "... rollback: as before" "UUID=1 / ext4 defaults 0 1" \
    "$(cat "$R/etc/fstab")"

# a dev-shm.mount unit: a drop-in, removed by rollback
rm "$R/etc/fstab"
: >"$R/etc/systemd/system/dev-shm.mount"
D="$R/etc/systemd/system/dev-shm.mount.d/ipctune.conf"
"$IPCTUNE" apply $A --dev-shm-persist --format json >"$TMPD/j.json" 2>&1
expect_eq "drop-in: exit 0" 0 "$?"
expect_eq "drop-in: its content" \
    "$(printf '# ipctune: the /dev/shm size (ipctune rollback restores the previous one)\n[Mount]\nOptions=rw,nosuid,nodev,size=98304k')" \
    "$(cat "$D" 2>&1)"
expect_eq "drop-in: the apply document says it" "$D true" \
    "$(jq -r '.dev_shm.boot_file | "\(.path) \(.changed)"' "$TMPD/j.json")"
check "... validates against apply-1.json" "$PYTHON" \
    "$TOP/tests/sys/validate.py" "$TOP/contrib/schema/apply-1.json" \
    "$TMPD/j.json"
echo '# mine' >>"$D"
"$IPCTUNE" rollback >"$TMPD/r2.out" 2>&1
expect_eq "drop-in changed since: rollback refused" 1 "$?"
grep -q "was changed since the apply" "$TMPD/r2.out" && ok "... and why" ||
    { fail "changed drop-in message"; cat "$TMPD/r2.out"; }
"$IPCTUNE" rollback --force --format json >"$TMPD/r3.json" 2>&1
expect_eq "... --force with ipctune's first line: exit 0" 0 "$?"
[ ! -e "$D" ] && ok "... the drop-in removed" || fail "drop-in kept"
check "... rollback JSON validates" "$PYTHON" \
    "$TOP/tests/sys/validate.py" "$TOP/contrib/schema/rollback-1.json" \
    "$TMPD/r3.json"
rm "$R/etc/systemd/system/dev-shm.mount"

# refusals: a non-tmpfs /dev/shm line, a duplicate one
printf 'UUID=1 / ext4 defaults 0 1\n/dev/sdc1 /dev/shm ext4 defaults 0 0\n' \
    >"$R/etc/fstab"
cp "$R/etc/fstab" "$TMPD/f2"
"$IPCTUNE" apply $A --dev-shm-remount --dev-shm-persist >"$TMPD/n.out" 2>&1
expect_eq "a non-tmpfs /dev/shm line: exit 1" 1 "$?"
grep -q 'not a tmpfs: not ours to change' "$TMPD/n.out" && ok "... and why" ||
    { fail "non-tmpfs message"; cat "$TMPD/n.out"; }
cmp -s "$R/etc/fstab" "$TMPD/f2" && ok "... fstab untouched" ||
    fail "non-tmpfs: fstab changed"
expect_eq "... nor the tmpfs" 65536k "$(size)"
printf 'a /dev/shm tmpfs size=1g 0 0\nb /dev/shm tmpfs size=2g 0 0\n' \
    >"$R/etc/fstab"
"$IPCTUNE" apply $A --dev-shm-persist >"$TMPD/n2.out" 2>&1
expect_eq "two /dev/shm lines: exit 1" 1 "$?"

# fstab changed since the apply: rollback refuses, even with --force
cp "$TMPD/fstab.orig" "$R/etc/fstab"
"$IPCTUNE" apply $A --dev-shm-remount --dev-shm-persist >/dev/null 2>&1
echo '/dev/sdd1 /x xfs defaults 0 2' >>"$R/etc/fstab"
"$IPCTUNE" rollback --force >"$TMPD/c.out" 2>&1
expect_eq "fstab changed since: rollback --force refused" 1 "$?"
grep -q 'put its /dev/shm line back by hand' "$TMPD/c.out" &&
    ok "... and why" || { fail "changed fstab message"; cat "$TMPD/c.out"; }
expect_eq "... nothing changed: still 96 MiB" 98304k "$(size)"

# a shrink below what /dev/shm holds is refused (shmem_reconfigure)
cp "$TMPD/fstab.want" "$R/etc/fstab"
dd if=/dev/zero of=/dev/shm/big bs=1M count=80 2>/dev/null
"$IPCTUNE" rollback >"$TMPD/s.out" 2>&1
expect_eq "shrink below use: rollback refused" 1 "$?"
grep -q 'the kernel refuses a tmpfs size below its use' "$TMPD/s.out" &&
    ok "... and why" || { fail "shrink message"; cat "$TMPD/s.out"; }
cmp -s "$R/etc/fstab" "$TMPD/fstab.want" && ok "... fstab untouched" ||
    fail "shrink refused: fstab changed"
# --force passes the guard; the kernel refuses (shmem_reconfigure: EINVAL)
"$IPCTUNE" rollback --force >"$TMPD/s2.out" 2>&1
expect_eq "shrink below use with --force: the kernel refuses" 1 "$?"
grep -q 'remount /dev/shm with size=65536k: invalid argument' \
    "$TMPD/s2.out" && ok "... EINVAL" || { fail "EINVAL"; cat "$TMPD/s2.out"; }
expect_eq "... still 96 MiB" 98304k "$(size)"
cmp -s "$R/etc/fstab" "$TMPD/fstab.want" && ok "... fstab untouched" ||
    fail "EINVAL: fstab changed"
rm /dev/shm/big
"$IPCTUNE" rollback >/dev/null 2>&1
expect_eq "files removed: rollback exit 0" 0 "$?"
expect_eq "... 64 MiB" 65536k "$(size)"
cmp -s "$R/etc/fstab" "$TMPD/fstab.orig" && ok "... fstab as before" ||
    fail "fstab after rollback"
finish
