#!/bin/sh
# contrib/ansible/ipctune.yml with a real ansible-playbook against
# localhost, in check mode and for real.  ansible-playbook itself runs
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
check "the playbook passes ansible-playbook --syntax-check" \
    ansible-playbook --syntax-check -i localhost, "$PB"

has_apply=no
"$IPCTUNE" __complete commands | grep -qx apply &&
    "$IPCTUNE" __complete commands | grep -qx verify && has_apply=yes
profile=httpd-sysvsem
mkdir -p "$TMPD/home" "$TMPD/root/etc/sysctl.d" "$TMPD/state" "$TMPD/facts.d"
cat >"$TMPD/vars.json" <<EOT
{
  "ipctune_bin": "$IPCTUNE",
  "ipctune_report_bin": "$IPCTUNE",
  "ipctune_fleet_dir": "$TMPD/fleet",
  "ipctune_fact_dir": "$TMPD/facts.d",
  "ipctune_apply_args": ["--sysctl-root", "$TMPD/root",
      "--dropin", "$TMPD/root/etc/sysctl.d/zz-ipctune.conf"],
  "ipctune_verify_args": ["--sysctl-root", "$TMPD/root"]
}
EOT
cat >"$TMPD/drift.json" <<EOT
{ "ipctune_apply_args": ["--persist", "--sysctl-root", "$TMPD/root",
      "--dropin", "$TMPD/root/etc/sysctl.d/zz-ipctune.conf"] }
EOT

# One namespace for the whole story: low limits and a leaked segment,
# a --check run, a real run, a second real run, then drift.
cat >"$TMPD/story.sh" <<'EOT'
set -u
export HOME=$TMPD/home ANSIBLE_NOCOLOR=1 ANSIBLE_LOCAL_TEMP=$TMPD/alt \
    ANSIBLE_REMOTE_TEMP=$TMPD/art IPCTUNE_STATE_DIR=$TMPD/state
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
pb --check $P
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
[ -x "$TMPD/facts.d/ipctune.fact" ] && ok "the local fact is installed" ||
    fail "no executable $TMPD/facts.d/ipctune.fact"
# the segment ipcmk leaves is orphaned at once: check warns, so does the
# fact (13.12)
grep -q '"msg": "ipctune_status=warning semmni_used_ratio=0.0 orphaned_segments=1"' \
    "$TMPD/pb.real" && ok "the play reads ansible_local.ipctune" ||
    fail "the play did not show the fact: $(grep ipctune_status= "$TMPD/pb.real")"
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
	# changed counts the fact file (new on the first runs) and apply
	expect_eq "--check: apply --dry-run reports changed from its JSON" \
	    "changed=2 failed=0" "$(line check changed=)"
	expect_eq "real run raises semmni to the profile's value" \
	    "sem=250 32000 32 404" "$(line real sem=)"
	expect_eq "real run writes the drop-in under the test root" \
	    "dropin=yes" "$(line real dropin=)"
	expect_eq "real run: the fact and apply changed" "changed=2 failed=0" \
	    "$(line real changed=)"
	expect_eq "second real run is idempotent" "changed=0 failed=0" \
	    "$(line again changed=)"
	expect_eq "drift makes the play fail" "rc=2" "$(line drift rc=)"
	grep -q "drifts from profile 'httpd-sysvsem' in kernel.sem" \
	    "$TMPD/pb.drift" &&
	    ok "the failure names the host and the profile" ||
	    fail "the drift failure message is missing"
else
	expect_eq "without apply: only the fact file changed" \
	    "changed=1 failed=0" "$(line real changed=)"
fi
[ "$T_FAIL" -gt 0 ] && sed 's/^/    /' "$TMPD/story.out" &&
    tail -30 "$TMPD/pb.out" | sed 's/^/    | /'
finish
