#!/bin/sh
# The ipctune.ipctune collection (contrib/ansible) and its playbook
# ipctune.yml with a real ansible-playbook against localhost, in check
# mode, with --diff and for real; ansible-doc shows each module's
# documentation; ipctune_clean removes orphans (check mode: nothing);
# ansible-lint passes when it is installed.  ansible-playbook itself runs
# inside a private IPC and mount namespace, with the state directory, the
# sysctl.d tree and Ansible's own temporary files under the test
# directory, so the host's limits, objects and /etc are never touched.
# The apply/verify half runs when the command table has apply and verify.
. "$(dirname "$0")/lib.sh"
if ! command -v ansible-playbook >/dev/null 2>&1; then
	fail "ansible-playbook is not installed (package ansible-core)"
	finish
	exit 1
fi
PB=$TOP/contrib/ansible/ipctune.yml
# the collection where Ansible looks for ipctune.ipctune
mkdir -p "$TMPD/coll/ansible_collections/ipctune"
ln -s "$TOP/contrib/ansible" "$TMPD/coll/ansible_collections/ipctune/ipctune"
export ANSIBLE_COLLECTIONS_PATH=$TMPD/coll
check "the playbook passes ansible-playbook --syntax-check" \
    ansible-playbook --syntax-check -i localhost, "$PB"
for m in ipctune_facts ipctune_profile ipctune_clean; do
	ansible-doc "ipctune.ipctune.$m" >"$TMPD/doc.$m" 2>&1
	expect_eq "ansible-doc ipctune.ipctune.$m" 0 $?
	expect_match "... shows its options" '^OPTIONS' "$TMPD/doc.$m"
done
expect_match "ipctune_facts documents filtering null used_ratio" \
    "rejectattr\('value', 'none'\)" "$TMPD/doc.ipctune_facts"

has_apply=no
"$IPCTUNE" __complete commands | grep -qx apply &&
    "$IPCTUNE" __complete commands | grep -qx verify && has_apply=yes
profile=httpd-sysvsem
mkdir -p "$TMPD/home" "$TMPD/root/etc/sysctl.d" "$TMPD/state"
cat >"$TMPD/vars.json" <<EOT
{
  "ipctune_bin": "$IPCTUNE",
  "ipctune_report_bin": "$IPCTUNE",
  "ipctune_fleet_dir": "$TMPD/fleet",
  "ipctune_sysctl_root": "$TMPD/root",
  "ipctune_dropin": "$TMPD/root/etc/sysctl.d/zz-ipctune.conf"
}
EOT
# drift: the running value put back by hand, the apply writing the
# drop-in only, so verify sees the running value differ
cat >"$TMPD/drift.json" <<EOT
{ "ipctune_runtime": false }
EOT

# One namespace for the whole story: low limits and a leaked segment,
# a --check run, a real run, a second real run, then drift.
cat >"$TMPD/story.sh" <<'EOT'
set -u
export HOME=$TMPD/home ANSIBLE_NOCOLOR=1 ANSIBLE_LOCAL_TEMP=$TMPD/alt \
    ANSIBLE_REMOTE_TEMP=$TMPD/art IPCTUNE_STATE_DIR=$TMPD/state \
    ANSIBLE_COLLECTIONS_PATH=$TMPD/coll
pb() {
	ansible-playbook -i localhost, -c local "$PB" -e "@$TMPD/vars.json" \
	    "$@" >"$TMPD/pb.out" 2>&1
	echo "rc=$?"
	sed -n 's/^localhost *: .*changed=\([0-9]*\).*failed=\([0-9]*\).*/changed=\1 failed=\2/p' \
	    "$TMPD/pb.out"
}
echo "250 32000 32 128" >/proc/sys/kernel/sem
ipcmk -M 65536 >/dev/null
P=
[ "$HAS_APPLY" = yes ] && P="-e ipctune_profile=$PROFILE"
echo "== check"
pb --check --diff $P
cp "$TMPD/pb.out" "$TMPD/pb.check"
echo "sem=$(cat /proc/sys/kernel/sem | tr '\t' ' ')"
echo "dropin=$([ -e "$TMPD/root/etc/sysctl.d/zz-ipctune.conf" ] && echo yes || echo no)"
echo "== real"
pb $P
cp "$TMPD/pb.out" "$TMPD/pb.real"
echo "sem=$(cat /proc/sys/kernel/sem | tr '\t' ' ')"
echo "dropin=$([ -e "$TMPD/root/etc/sysctl.d/zz-ipctune.conf" ] && echo yes || echo no)"
echo "== again"
pb $P
if [ "$HAS_APPLY" = yes ]; then
	echo "== rollback-check"
	ansible -i localhost, -c local localhost --check --diff \
	    -m ipctune.ipctune.ipctune_profile \
	    -a "state=rolled_back bin=$IPCTUNE" >"$TMPD/rb.check" 2>&1
	echo "rc=$?"
	echo "sem=$(cat /proc/sys/kernel/sem | tr '\t' ' ')"
fi
if [ "$HAS_APPLY" = yes ]; then
	echo "== drift"
	echo "250 32000 32 128" >/proc/sys/kernel/sem
	pb $P -e "@$TMPD/drift.json"
	cp "$TMPD/pb.out" "$TMPD/pb.drift"
fi
EOT
before=$(cat /proc/sys/kernel/sem | tr '\t' ' ')
TMPD=$TMPD PB=$PB HAS_APPLY=$has_apply PROFILE=$profile \
    unshare --ipc --mount --propagation private sh "$TMPD/story.sh" \
    >"$TMPD/story.out" 2>&1
after=$(cat /proc/sys/kernel/sem | tr '\t' ' ')
expect_eq "the host's kernel.sem is untouched" "$before" "$after"
[ -e /etc/sysctl.d/zz-ipctune.conf ] &&
    fail "a drop-in appeared in the host's /etc/sysctl.d" ||
    ok "the host's /etc/sysctl.d has no ipctune drop-in"

section() { awk -v s="== $1" '$0 == s { on = 1; next } /^== / { on = 0 } on' \
    "$TMPD/story.out"; }
line() { section "$1" | grep "^$2" | head -1; }

expect_eq "--check run succeeds" "rc=0" "$(line check rc=)"
expect_eq "--check run changes no sysctl" "sem=250 32000 32 128" \
    "$(line check sem=)"
expect_eq "--check run writes no drop-in" "dropin=no" "$(line check dropin=)"
expect_eq "real run succeeds" "rc=0" "$(line real rc=)"
# the segment ipcmk leaves is orphaned at once: check warns, so does the
# fact (13.12)
grep -q '"msg": "ipctune_status=warning semmni_used_ratio=0.0 orphaned_segments=1"' \
    "$TMPD/pb.real" && ok "ipctune_facts sets ansible_facts.ipctune" ||
    fail "the play did not show the fact: $(grep ipctune_status= "$TMPD/pb.real")"
grep -q '"msg": "above 80%: \[\]"' "$TMPD/pb.real" &&
    ok "the null-safe used_ratio filter runs (nulls left out)" ||
    fail "the used_ratio filter: $(grep -A2 'above 80%' "$TMPD/pb.real")"
[ -f "$TMPD/fleet/snapshots/localhost.json" ] &&
    ok "the snapshot was fetched to the controller" ||
    fail "no fetched snapshot in $TMPD/fleet/snapshots"
cp "$TMPD/fleet/report.json" "$TMPD/report.final.json"
if python3 - "$TMPD/report.final.json" "$has_apply" <<'EOT'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["document"] == "report", r["document"]
assert r["snapshots"] == {"files": 1, "read": 1, "skipped": 0}, r["snapshots"]
leaks = [h["unattached_shm_segments"] for h in r["leaks"]["hosts"]]
assert leaks == [1], leaks
semmni = [e for e in r["headroom"] if e["resource"] == "semmni"][0]
assert semmni["hosts"][0]["limit"] in (128, 404), semmni
if sys.argv[2] == "yes":
    # taken before this run's apply: semmni 128 is below the profile's
    d = r["drift"]
    assert d["profiles"] == ["httpd-sysvsem"] and d["drifting"] == 1, d
else:
    assert r["drift"] is None, r["drift"]
EOT
then
	ok "the controller's report counts the host and its unattached segment"
else
	fail "report.json on the controller is not as expected"
fi

if [ "$has_apply" = yes ]; then
	expect_eq "--check: the dry run reports changed from its JSON" \
	    "changed=1 failed=0" "$(line check changed=)"
	grep -q '^+kernel.sem = 250 32000 32 404$' "$TMPD/pb.check" &&
	    ok "--check --diff shows the drop-in's new kernel.sem line" ||
	    fail "--diff shows no drop-in change"
	grep -q '^-kernel.sem = 250 32000 32 128$' "$TMPD/pb.check" &&
	    ok "--check --diff shows the running value before" ||
	    fail "--diff shows no running value before"
	expect_eq "real run raises semmni to the profile's value" \
	    "sem=250 32000 32 404" "$(line real sem=)"
	expect_eq "real run writes the drop-in under the test root" \
	    "dropin=yes" "$(line real dropin=)"
	expect_eq "real run: apply changed" "changed=1 failed=0" \
	    "$(line real changed=)"
	expect_eq "second real run is idempotent" "changed=0 failed=0" \
	    "$(line again changed=)"
	expect_eq "drift makes the play fail" "rc=2" "$(line drift rc=)"
	expect_eq "rollback in check mode succeeds" "rc=0" \
	    "$(line rollback-check rc=)"
	expect_eq "... and changes nothing" "sem=250 32000 32 404" \
	    "$(line rollback-check sem=)"
	grep -q 'localhost | CHANGED' "$TMPD/rb.check" &&
	    ok "... reports the change it would make" ||
	    fail "rollback --check: $(head -3 "$TMPD/rb.check")"
	grep -q "drifts from profile 'httpd-sysvsem' in kernel.sem" \
	    "$TMPD/pb.drift" &&
	    ok "the failure names the host and the profile" ||
	    fail "the drift failure message is missing"
else
	expect_eq "without apply: nothing changed" \
	    "changed=0 failed=0" "$(line real changed=)"
fi
# ipctune_clean: the segment ipcmk leaves is orphaned at once
cat >"$TMPD/clean.sh" <<'EOT'
export HOME=$TMPD/home ANSIBLE_NOCOLOR=1 ANSIBLE_LOCAL_TEMP=$TMPD/alt \
    ANSIBLE_REMOTE_TEMP=$TMPD/art ANSIBLE_COLLECTIONS_PATH=$TMPD/coll
ipcmk -M 4096 >/dev/null
cl() {
	ansible -i localhost, -c local localhost "$@" \
	    -m ipctune.ipctune.ipctune_clean -a "types=shm bin=$IPCTUNE" \
	    >"$TMPD/cl.out" 2>&1
	echo "rc=$? $(sed -n 's/^localhost | \([A-Z]*\).*/\1/p' "$TMPD/cl.out")" \
	    "segments=$(ipcs -m | grep -c '^0x')"
}
cl --check
cl
cl
EOT
TMPD=$TMPD IPCTUNE=$IPCTUNE unshare --ipc --mount --propagation private \
    sh "$TMPD/clean.sh" >"$TMPD/clean.out" 2>&1
expect_eq "ipctune_clean: check mode would remove, removes nothing" \
    "rc=0 CHANGED segments=1" "$(sed -n 1p "$TMPD/clean.out")"
expect_eq "... a real run removes the orphaned segment" \
    "rc=0 CHANGED segments=0" "$(sed -n 2p "$TMPD/clean.out")"
expect_eq "... a second run changes nothing" "rc=0 SUCCESS segments=0" \
    "$(sed -n 3p "$TMPD/clean.out")"

if command -v ansible-lint >/dev/null 2>&1; then
	(cd "$TOP/contrib/ansible" && HOME=$TMPD/home \
	    ANSIBLE_COLLECTIONS_PATH=$TMPD/coll ansible-lint --offline -p \
	    ipctune.yml plugins) >"$TMPD/lint.out" 2>&1
	expect_eq "ansible-lint passes on the playbook and the collection" 0 $?
	[ "$T_FAIL" -gt 0 ] && tail -20 "$TMPD/lint.out"
else
	fail "ansible-lint is not installed (Debian package ansible-lint)"
fi

[ "$T_FAIL" -gt 0 ] && sed 's/^/    /' "$TMPD/story.out" &&
    tail -30 "$TMPD/pb.out" | sed 's/^/    | /'
finish
