#!/bin/sh
# /dev/shm sizing on the real kernel, in private IPC, mount and PID
# namespaces with their own 64 MiB tmpfs at /dev/shm: the profile key
# [posix] dev_shm_size, recommend's lines and the boot-time text chosen
# by how a --root tree mounts /dev/shm, apply --dev-shm-remount growing
# the tmpfs (flags kept, never smaller), and its undo when the sysctl
# transaction fails.
. "$(dirname "$0")/lib.sh"
enter_private_ns pid
save_defaults

export IPCTUNE_STATE_DIR="$TMPD/state"
mkdir -p "$IPCTUNE_STATE_DIR" "$TMPD/prof"
mount -t tmpfs -o size=64m,nosuid,nodev tmpfs /dev/shm ||
    { fail "mount tmpfs"; finish; exit; }
mount -t tmpfs tmpfs /etc/sysctl.d
P="--profile-dir $TMPD/prof"
printf '[main]\nsummary = t\n[posix]\ndev_shm_size = 96M\n' \
    >"$TMPD/prof/shm96.conf"
printf '[main]\nsummary = t\n[posix]\ndev_shm_size = 32M\n' \
    >"$TMPD/prof/shm32.conf"
printf '[main]\nsummary = t\n[sysctl]\nkernel.shmmni = 5000\n[posix]\ndev_shm_size = 128M\n' \
    >"$TMPD/prof/shm128.conf"
size() { findmnt -n -o OPTIONS /dev/shm | tail -1 | tr ',' '\n' |
    sed -n 's/^size=//p'; }

# profiles: the key, the SAP rule with the swap fact
"$IPCTUNE" profiles show sap-hana >"$TMPD/ps.out" 2>&1
grep -q '^posix  *dev_shm_size .*(ram_bytes + swap_bytes) \* 75 / 100' \
    "$TMPD/ps.out" && ok "sap-hana: dev_shm_size 75% of RAM + swap" ||
    { fail "sap-hana: dev_shm_size"; tail -3 "$TMPD/ps.out"; }
printf '[main]\nsummary = t\n[posix]\nshm = 1\n' >"$TMPD/prof/bad.conf"
"$IPCTUNE" profiles show $P bad >"$TMPD/bad.out" 2>&1
expect_eq "an unknown [posix] key: exit 1" 1 "$?"
grep -q "unknown key 'shm' in \[posix\] (use dev_shm_size)" \
    "$TMPD/bad.out" && ok "the error names the key" ||
    { fail "unknown [posix] key error"; cat "$TMPD/bad.out"; }

# recommend: the size, the remount, the boot text by how /dev/shm is mounted
R="$TMPD/root"
cp -r "$TOP/tests/fixtures/root64" "$R"
mkdir -p "$R/etc/systemd/system"
"$IPCTUNE" recommend $P -p shm96 >"$TMPD/r1.out" 2>&1
grep -q '^/dev/shm: 64MiB now, shm96 asks for 96MiB: raise$' \
    "$TMPD/r1.out" && ok "recommend: /dev/shm 64MiB, asks 96MiB" ||
    { fail "recommend: /dev/shm line"; cat "$TMPD/r1.out"; }
grep -q 'now: mount -o remount,size=98304k /dev/shm' "$TMPD/r1.out" &&
    ok "recommend: the runtime remount" || fail "recommend: runtime"
printf '# comment /dev/shm\nUUID=1 / ext4 defaults 0 1\nshm /dev/shm tmpfs defaults,size=1g,noexec 0 0\n' \
    >"$R/etc/fstab"
"$IPCTUNE" recommend $P -p shm96 --format json --root "$R" >"$TMPD/r2.json" 2>/dev/null
got=$(jq -r '.dev_shm | "\(.persist.method) \(.persist.file) \(.persist.text)"' "$TMPD/r2.json")
expect_eq "recommend --root: the host's fstab line, size changed" \
    "fstab_edit /etc/fstab shm /dev/shm tmpfs defaults,noexec,size=98304k 0 0" \
    "$got"
check "recommend JSON validates" "$PYTHON" "$TOP/tests/sys/validate.py" \
    "$TOP/contrib/schema/recommendation-1.json" "$TMPD/r2.json"
rm "$R/etc/fstab"
: >"$R/etc/systemd/system/dev-shm.mount"
got=$("$IPCTUNE" recommend $P -p shm96 --format json --root "$R" 2>/dev/null |
    jq -r '.dev_shm.persist | "\(.method) \(.file)"')
expect_eq "recommend --root: a dev-shm.mount unit gets a drop-in" \
    "mount_dropin /etc/systemd/system/dev-shm.mount.d/ipctune.conf" "$got"
rm "$R/etc/systemd/system/dev-shm.mount"
got=$("$IPCTUNE" recommend $P -p shm96 --format json --root "$R" 2>/dev/null |
    jq -r '.dev_shm.persist | "\(.method) \(.text)"')
expect_eq "recommend --root: neither: a new fstab line" \
    "fstab_add tmpfs /dev/shm tmpfs rw,nosuid,nodev,size=98304k 0 0" "$got"

# apply --dev-shm-remount: a dry run changes nothing
"$IPCTUNE" apply $P -p shm96 --runtime --dev-shm-remount --dry-run \
    >"$TMPD/a0.out" 2>&1
grep -q '^/dev/shm: 64MiB -> 96MiB (would remount)$' "$TMPD/a0.out" &&
    ok "dry run: says the remount" || { fail "dry run"; cat "$TMPD/a0.out"; }
expect_eq "dry run: size unchanged" 65536k "$(size)"
# without the option, apply never touches /dev/shm
"$IPCTUNE" apply $P -p shm96 --runtime >/dev/null 2>&1
expect_eq "apply without --dev-shm-remount: size unchanged" 65536k "$(size)"
"$IPCTUNE" apply $P -p shm96 --runtime --dev-shm-remount >"$TMPD/a1.out" 2>&1
expect_eq "apply --dev-shm-remount: exit 0" 0 "$?"
expect_eq "the tmpfs is 96 MiB" 98304k "$(size)"
findmnt -n -o OPTIONS /dev/shm | tail -1 | grep -q 'nosuid,nodev' &&
    ok "nosuid,nodev kept" || fail "mount flags lost"
grep -q '^/dev/shm: 67108864 -> 100663296 bytes (remounted)$' \
    "$TMPD/a1.out" && ok "apply says the remount" || fail "apply output"
# never smaller
"$IPCTUNE" apply $P -p shm32 --runtime --dev-shm-remount >"$TMPD/a2.out" 2>&1
expect_eq "a smaller size: exit 0" 0 "$?"
expect_eq "a smaller size: kept" 98304k "$(size)"
grep -q 'asks for 32MiB: kept' "$TMPD/a2.out" && ok "says kept" ||
    fail "says kept"
# the sysctl transaction fails (read-only sysctl.d): /dev/shm put back
umount /etc/sysctl.d
mount -t tmpfs -o ro tmpfs /etc/sysctl.d
"$IPCTUNE" apply $P -p shm128 --dev-shm-remount >"$TMPD/a3.out" 2>&1
expect_eq "a failing transaction: exit 1" 1 "$?"
expect_eq "... /dev/shm put back" 98304k "$(size)"
expect_eq "... shmmni put back" 4096 "$(cat /proc/sys/kernel/shmmni)"
grep -q '/dev/shm was put back to 100663296 bytes' "$TMPD/a3.out" &&
    ok "... and it says so" || { fail "undo message"; cat "$TMPD/a3.out"; }
# no profile with the key
"$IPCTUNE" apply -p kernel-default --runtime --dev-shm-remount \
    >"$TMPD/a4.out" 2>&1
expect_eq "no dev_shm_size in the profiles: exit 1" 1 "$?"
grep -q 'no profile gives \[posix\] dev_shm_size' "$TMPD/a4.out" &&
    ok "... and why" || fail "no dev_shm_size message"
# the apply document says what was done to /dev/shm
"$IPCTUNE" apply $P -p shm128 --runtime --dev-shm-remount --format json \
    >"$TMPD/a5.json" 2>"$TMPD/a5.err"
expect_eq "apply --format json --dev-shm-remount: exit 0" 0 "$?"
expect_eq "... dev_shm: raised from 96 MiB to 128 MiB" \
    "100663296 134217728 raise true" \
    "$(jq -r '.dev_shm | "\(.current_bytes) \(.wanted_bytes) \(.action) \(.changed)"' "$TMPD/a5.json")"
expect_eq "... the tmpfs is 128 MiB" 131072k "$(size)"
check "... validates against apply-1.json" "$PYTHON" \
    "$TOP/tests/sys/validate.py" "$TOP/contrib/schema/apply-1.json" \
    "$TMPD/a5.json"
finish
