#!/bin/sh
# Golden output of 'ipctune report' over the fixture fleet in
# tests/fixtures/fleet (four hosts, three broken snapshots, files the walk
# ignores) and the profile in tests/fixtures/fleet-profiles: the summary,
# --hosts, CSV and JSON, each compared byte for byte with
# tests/cli/report-*.ok.  Only the JSON envelope's generated_at, the
# moment of the run, is blanked.  UPDATE=1 rewrites the .ok files.
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
OK=tests/cli
FL=tests/fixtures/fleet
P="--profile-dir tests/fixtures/fleet-profiles -p fleetcheck"

# golden NAME COMMAND...: stdout, stderr and exit status vs NAME.ok
golden() {
	name=$1
	shift
	"$@" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	{
		sed 's/^\(  "generated_at": \)".*"/\1"-"/' "$TMPD/out"
		sed 's/^/stderr: /' "$TMPD/err"
		echo "exit $rc"
	} >"$TMPD/got"
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$TMPD/got" "$OK/$name.ok"
	fi
	if [ ! -f "$OK/$name.ok" ]; then
		fail "$name: $OK/$name.ok is missing (UPDATE=1 creates it)"
	elif cmp -s "$OK/$name.ok" "$TMPD/got"; then
		ok "$name"
	else
		fail "$name: differs from $OK/$name.ok"
		diff -u "$OK/$name.ok" "$TMPD/got" | head -20 | sed 's/^/    /'
	fi
}

# a directory, a file named again, a missing file
golden report-summary "$IPCTUNE" report $FL $FL/dc1/db01.json \
    $FL/missing.json
golden report-summary-color "$IPCTUNE" report --color=always --top 1 $FL
golden report-summary-bytes "$IPCTUNE" report --bytes -n --top 2 $FL
# every drift verdict: compliant, drift, unset, error
golden report-summary-drift "$IPCTUNE" report $P --top 1 $FL
golden report-summary-good "$IPCTUNE" report $P $FL/dc1/db01.json
golden report-hosts "$IPCTUNE" report --hosts $FL $FL/missing.json
C=+KERNEL,READ-AT,ORPHAN-SHM,ORPHAN-SEM,ORPHAN-MSG,UNATTACHED
golden report-hosts-drift "$IPCTUNE" report --hosts $P --exact \
    -o $C,UNATTACHED-BYTES,SEMMNI%,kernel.sem $FL
golden report-hosts-stdin sh -c '"$1" report --hosts -n - <"$2"' \
    sh "$IPCTUNE" $FL/dc2/old02.json
golden report-hosts-times "$IPCTUNE" report --hosts -o HOST,READ-AT \
    --time-format full $FL
golden report-csv-times "$IPCTUNE" report --format csv -o HOST,READ-AT \
    --time-format unix $FL
golden report-csv "$IPCTUNE" report --format csv $FL $FL/missing.json
golden report-csv-drift "$IPCTUNE" report --format csv $P $FL
golden report-csv-columns "$IPCTUNE" report --format csv -n \
    -o HOST,WORST,WORST-USE%,DRIFT,kernel.shmmax $P --exact $FL
golden report-json "$IPCTUNE" report --format json --top 2 $FL \
    $FL/missing.json
golden report-json-hosts "$IPCTUNE" report --format json --hosts $P $FL
golden report-json-exact "$IPCTUNE" report --json $P --exact --top 1 \
    $FL/dc1
# usage errors keep their wording
golden report-usage-o "$IPCTUNE" report -o HOST $FL
golden report-usage-column "$IPCTUNE" report --hosts -o NOPE $FL
finish
