#!/bin/sh
# 'ipctune facts' in a private IPC namespace with known limits and
# objects: one flat object with typed values, the big-integer rule, and
# the same output read unchanged by real Facter (--external-dir) and by
# Ansible's local facts (setup with fact_path).
. "$(dirname "$0")/lib.sh"
mkdir -p "$TMPD/facts.d" "$TMPD/home"
# the wrapper contrib/facts ships, pointed at the build tree
sed "s|@sbindir@/ipctune|$IPCTUNE|" "$TOP/contrib/facts/ipctune.fact.in" \
    >"$TMPD/facts.d/ipctune.fact"
chmod 0755 "$TMPD/facts.d/ipctune.fact"

# shmall just above 2^53 - 1: null plus the exact digits
cat >"$TMPD/ns.sh" <<'EOT'
set -eu
echo 1000 >/proc/sys/kernel/shmmni
echo 9007199254740993 >/proc/sys/kernel/shmall
echo "250 32000 32 100" >/proc/sys/kernel/sem
ipcmk -M 1048576 >/dev/null
ipcmk -M 4096 >/dev/null
ipcmk -S 10 >/dev/null
"$IPCTUNE" facts >"$TMPD/facts.json"
# the segments ipcmk leaves (nothing attached, creator gone) are orphans
# at once: check warns, and the facts must say the same
"$IPCTUNE" check >"$TMPD/plugin.out" || echo $? >"$TMPD/plugin.rc"
"$TMPD/facts.d/ipctune.fact" >"$TMPD/wrapper.json"
if command -v facter >/dev/null 2>&1; then
	HOME=$TMPD/home facter --external-dir "$TMPD/facts.d" --json \
	    ipctune_schema_version ipctune_shmmni ipctune_shmmni_used \
	    ipctune_shmall_pages ipctune_shmall_pages_exact \
	    ipctune_semmni_used_ratio ipctune_sem_semmni \
	    ipctune_ipcmni_extend ipctune_status ipctune_shmmni_orphaned \
	    ipctune_shm_rmid_forced >"$TMPD/facter.json" \
	    2>"$TMPD/facter.err" || true
fi
if command -v ansible >/dev/null 2>&1; then
	cat >"$TMPD/pb.yml" <<EOY
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.setup:
        filter: ansible_local
        fact_path: $TMPD/facts.d
    - ansible.builtin.copy:
        content: "{{ ansible_local.ipctune | to_json }}"
        dest: $TMPD/ansible.json
EOY
	HOME=$TMPD/home ANSIBLE_LOCAL_TEMP=$TMPD/alt \
	    ANSIBLE_REMOTE_TEMP=$TMPD/art ansible-playbook -i localhost, \
	    -c local "$TMPD/pb.yml" >"$TMPD/ansible.out" 2>&1 || true
fi
EOT
mkdir -p "$TMPD/state"
IPCTUNE_STATE_DIR=$TMPD/state IPCTUNE=$IPCTUNE TMPD=$TMPD unshare --ipc --mount --propagation private \
    sh "$TMPD/ns.sh" >"$TMPD/ns.out" 2>&1 || {
	fail "the namespace setup failed"
	cat "$TMPD/ns.out"
}

# checks.py FILE KIND: assert on the facts as a consumer received them
cat >"$TMPD/checks.py" <<'EOT'
import json, sys
d = json.load(open(sys.argv[1]))
kind = sys.argv[2]
def eq(k, v, t):
    assert k in d, "%s missing" % k
    assert type(d[k]) is t, "%s is %s, not %s" % (k, type(d[k]).__name__,
                                                   t.__name__)
    assert d[k] == v, "%s is %r, not %r" % (k, d[k], v)
eq("ipctune_schema_version", 1, int)
eq("ipctune_shmmni", 1000, int)
eq("ipctune_shmmni_used", 2, int)
eq("ipctune_sem_semmni", 100, int)
eq("ipctune_shmall_pages_exact", "9007199254740993", str)
eq("ipctune_ipcmni_extend", False, bool)
# 13.12 the orphaned segments make check warn: the facts say the same,
# with the counts per limit; booleans are JSON booleans
eq("ipctune_status", "warning", str)
eq("ipctune_shmmni_orphaned", 2, int)
eq("ipctune_shm_rmid_forced", False, bool)
assert type(d["ipctune_semmni_used_ratio"]) is float, "ratio not a float"
assert abs(d["ipctune_semmni_used_ratio"] - 0.01) < 1e-9
if kind != "facter":
    # Facter leaves out facts whose value is null
    assert d["ipctune_shmall_pages"] is None, "shmall not null"
    eq("ipctune_msgmax_used", None, type(None))
    for k, v in d.items():
        assert k.startswith("ipctune_"), "key %s lacks the prefix" % k
        assert k == k.lower(), "key %s is not lower case" % k
        assert not isinstance(v, (dict, list)), "%s is nested" % k
        if isinstance(v, int) and not isinstance(v, bool):
            assert -(2**53) < v < 2**53, "%s = %d passes 2^53" % (k, v)
EOT
for what in facts wrapper facter ansible; do
	f=$TMPD/$what.json
	if [ ! -s "$f" ]; then
		fail "$what: no facts ($(cat "$TMPD/$what.err" 2>/dev/null; \
		    tail -5 "$TMPD/ansible.out" 2>/dev/null))"
		continue
	fi
	if python3 "$TMPD/checks.py" "$f" "$what" 2>"$TMPD/py.err"; then
		ok "$what: the facts arrive flat and typed"
	else
		fail "$what: $(tail -1 "$TMPD/py.err")"
	fi
done
# 13.12 ipctune_status is check's verdict, the counts its perfdata
expect_eq "13.12 facts ipctune_status is the state check gives" \
    "$(sed -n '1s/^IPC \([A-Z]*\) - .*/\1/p' "$TMPD/plugin.out" |
    tr 'A-Z' 'a-z')" "$(jq -r .ipctune_status "$TMPD/facts.json")"
expect_eq "13.12 ... check warns here (exit 1)" 1 \
    "$(cat "$TMPD/plugin.rc" 2>/dev/null)"
for r in shmmni semmni msgmni; do
	expect_eq "13.12 facts ipctune_${r}_orphaned is check's count" \
	    "$(sed -n "1s/.* orphaned_$r=\([0-9]*\);.*/\1/p" "$TMPD/plugin.out")" \
	    "$(jq -r ".ipctune_${r}_orphaned" "$TMPD/facts.json")"
	check "13.12 facts has ipctune_${r}_suspect as a number" \
	    jq -e ".ipctune_${r}_suspect | type == \"number\"" "$TMPD/facts.json"
done
# no integer 0/1 stands for a boolean in the facts
check "13.12 ipctune_shm_rmid_forced is a JSON boolean" \
    jq -e '.ipctune_shm_rmid_forced | type == "boolean"' "$TMPD/facts.json"
if validate "$TOP/contrib/schema/facts-1.json" "$TMPD/facts.json" \
    2>"$TMPD/verr"; then
	ok "the facts validate against facts-1.json"
else
	fail "facts-1.json rejects the facts: $(head -3 "$TMPD/verr")"
fi
# and the schema rejects what would break a fact consumer
python3 -c 'import json, sys
d = json.load(open(sys.argv[1])); d["ipctune_nested"] = {"a": 1}
d["ipctune_big"] = 2**60
json.dump(d, open(sys.argv[2], "w"))' "$TMPD/facts.json" "$TMPD/bad.json"
validate "$TOP/contrib/schema/facts-1.json" "$TMPD/bad.json" >/dev/null 2>&1 &&
    fail "facts-1.json accepts a nested value and 2^60" ||
    ok "facts-1.json rejects a nested value and 2^60"
[ -s "$TMPD/facter.err" ] && fail "facter wrote to stderr: $(cat "$TMPD/facter.err")" ||
    ok "facter ran the fact without complaint"
expect_eq "the wrapper prints what 'ipctune facts' prints" \
    "$(sed '/generated_at/d' "$TMPD/facts.json")" \
    "$(sed '/generated_at/d' "$TMPD/wrapper.json")"
"$IPCTUNE" facts --format table >/dev/null 2>&1
expect_eq "facts refuses --format table" 2 $?
expect_eq "'facts -h' offers only the format it takes" \
    "--format FORMAT output format: json" \
    "$("$IPCTUNE" facts -h | grep -- '--format FORMAT' | tr -s ' ' | sed 's/^ //')"
expect_eq "the completion offers facts only json" json \
    "$("$IPCTUNE" __complete formats facts | tr '\n' ' ' | sed 's/ $//')"
"$IPCTUNE" facts extra >/dev/null 2>&1
expect_eq "facts refuses an operand" 2 $?
finish
