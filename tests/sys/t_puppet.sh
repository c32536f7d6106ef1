#!/bin/sh
# contrib/puppet/ipctune with a real 'puppet apply', inside private IPC
# and mount namespaces and with Puppet's directories under the test
# directory: the structured fact $facts['ipctune'] holds the live values
# (semmni's used_ratio as the kernel counts it, a resource without usage
# undef), and the class ipctune::check passes below its threshold and
# fails the run above it, naming the resource.
. "$(dirname "$0")/lib.sh"

if ! command -v puppet >/dev/null 2>&1; then
	fail "puppet is not installed (Debian package puppet-agent)"
	finish
	exit 1
fi
mkdir -p "$TMPD/home"
cat >"$TMPD/run.sh" <<'EOT'
set -u
export HOME=$TMPD/home IPCTUNE_BIN=$IPCTUNE
pa() {
	puppet apply --color=false --modulepath "$TOP/contrib/puppet" \
	    --vardir "$TMPD/var" --confdir "$TMPD/conf" \
	    --codedir "$TMPD/code" --logdir "$TMPD/log" --rundir "$TMPD/run" \
	    --detailed-exitcodes -e "$1" >"$TMPD/pa.$2" 2>&1
	echo "$2 rc=$?"
}
echo '250 32000 32 20' >/proc/sys/kernel/sem
# ten arrays held by a live process: 50% of semmni, none orphaned
"$HELPER" -q sem nsems=1 count=10 semop=1 hold >"$TMPD/h1" 2>&1 &
h1=$!
i=0
until grep -q '^ready$' "$TMPD/h1"; do
	i=$((i + 1))
	[ $i -gt 200 ] && { cat "$TMPD/h1"; exit 1; }
	sleep 0.05
done
pa 'notice("semmni=${facts[ipctune][resources][semmni][used_ratio]}")
notice("semopm=${facts[ipctune][resources][semopm][used_ratio]}|")
notice("status=${facts[ipctune][status]} orphaned=${facts[ipctune][orphaned][semmni]}")
notice("shmmax_exact=${facts[ipctune][resources][shmmax][limit_exact]}")' fact
pa "class { 'ipctune::check': threshold => 0.9 }" below
"$HELPER" -q sem nsems=1 count=9 semop=1 hold >"$TMPD/h2" 2>&1 &
h2=$!
i=0
until grep -q '^ready$' "$TMPD/h2"; do
	i=$((i + 1))
	[ $i -gt 200 ] && { cat "$TMPD/h2"; exit 1; }
	sleep 0.05
done
pa "class { 'ipctune::check': threshold => 0.9 }" above
pa "class { 'ipctune::check': threshold => 0.9, resources => ['shmmni'] }" \
    other
kill "$h1" "$h2"
wait
EOT
TMPD=$TMPD TOP=$TOP IPCTUNE=$IPCTUNE HELPER=$HELPER \
    unshare --ipc --mount --propagation private sh "$TMPD/run.sh" \
    >"$TMPD/run.out" 2>&1

expect_match "the structured fact: semmni used_ratio 0.5" \
    'Notice: .*semmni=0.5$' "$TMPD/pa.fact"
expect_match "... a resource without usage: used_ratio undef" \
    'Notice: .*semopm=\|$' "$TMPD/pa.fact"
expect_match "... the state check gives, and orphans judged" \
    'Notice: .*status=ok orphaned=0$' "$TMPD/pa.fact"
expect_match "... a value above 2^53-1 as its exact digits" \
    'Notice: .*shmmax_exact=[0-9]{17,20}$' "$TMPD/pa.fact"
expect_eq "ipctune::check at 50% with threshold 0.9: the run passes" \
    "below rc=0" "$(grep '^below ' "$TMPD/run.out")"
expect_eq "at 95%: the run fails" "above rc=1" \
    "$(grep '^above ' "$TMPD/run.out")"
expect_match "... naming the resource" \
    'IPC limits used above 0.9: semmni 19 of 20 arrays \(0.95\)' \
    "$TMPD/pa.above"
expect_eq "at 95% with only shmmni judged: the run passes" "other rc=0" \
    "$(grep '^other ' "$TMPD/run.out")"
[ "$T_FAIL" -gt 0 ] && sed 's/^/    /' "$TMPD/run.out" &&
    tail -5 "$TMPD"/pa.* | sed 's/^/    | /'
finish
