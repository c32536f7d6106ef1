#!/bin/sh
# ipctune forecast: synthetic histories with known answers (slope and
# date, a reboot, outliers, flat, too little data), a real history
# recorded in a private IPC namespace while semaphore arrays leak on a
# schedule (sample times set with record --at), the sparkline in UTF-8
# and ASCII, the SVG plot, and the errors.
. "$(dirname "$0")/lib.sh"

GEN=$BUILD/tests/genhistory
now=$(date +%s)
fc() { "$IPCTUNE" forecast -q "$@"; }
# jf FILE FILTER: one value from the semmni row of a JSON forecast
jf() { jq -r ".resources[] | select(.resource == \"semmni\") | $2" "$1"; }
# near A B TOL: |A - B| <= TOL
near() { awk -v a="$1" -v b="$2" -v t="$3" \
    'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }

# -- a known slope: 96/day from 100 for 20 days, limit 3000
"$GEN" --samples 5760 --step 300 --start $((now - 5760 * 300)) \
    --base 100 --slope 96 --limit 3000 >"$TMPD/lin.jsonl"
fc --history "$TMPD/lin.jsonl" --format json >"$TMPD/lin.json"
expect_eq "linear leak: exhausts" exhausts "$(jf "$TMPD/lin.json" .state)"
g=$(jf "$TMPD/lin.json" .growth_per_day)
check "linear leak: growth $g/day is 96 +- 0.01" near "$g" 96 0.01
# level at the last sample 100 + 96 * 5759/288; then (3000 - level)/96 d
want=$(awk -v n="$now" 'BEGIN { t = n - 300; l = 100 + 96 * 5759 / 288;
    printf "%d", t + (3000 - l) / 96 * 86400 }')
got=$(date -d "$(jf "$TMPD/lin.json" .exhausted_at)" +%s)
check "linear leak: date within 10 minutes of the known one" \
    near "$got" "$want" 600
days=$(jf "$TMPD/lin.json" .days_left)
check "linear leak: days_left $days is (3000 - 2019.67) / 96" \
    near "$days" 10.2118 0.001

# -- a reboot: 15 days at 60/day, then from 5 at 20/day for 5 days
"$GEN" --samples 5760 --step 300 --start $((now - 5760 * 300)) \
    --base 50 --slope 60 --reset-at 4320 --reset-to 5 --reset-slope 20 \
    --noise 2 \
    --limit 1000 >"$TMPD/rb.jsonl"
fc --history "$TMPD/rb.jsonl" --format json >"$TMPD/rb.json"
reset=$(date -d "$(jf "$TMPD/rb.json" .last_reset_at)" +%s)
expect_eq "reboot: the reset is found at the drop" \
    $((now - 5760 * 300 + 4320 * 300)) "$reset"
expect_eq "reboot: only post-reboot samples used" 1440 \
    "$(jf "$TMPD/rb.json" .samples_used)"
g=$(jf "$TMPD/rb.json" .growth_per_day)
check "reboot: growth $g/day is the post-reboot 20 +- 0.3" near "$g" 20 0.3
fc --history "$TMPD/rb.jsonl" -r semmni >"$TMPD/rb.txt"
check "reboot: the table says since when" grep -q "since reset" \
    "$TMPD/rb.txt"

# -- noise with 15% outliers: the trend stays on 40/day
"$GEN" --samples 8640 --step 300 --start $((now - 8640 * 300)) \
    --base 500 --slope 40 --noise 20 --outliers 0.15 --limit 5000 \
    --seed 7 >"$TMPD/out.jsonl"
fc --history "$TMPD/out.jsonl" --format json >"$TMPD/out.json"
g=$(jf "$TMPD/out.json" .growth_per_day)
check "outliers: growth $g/day is 40 +- 1" near "$g" 40 1
expect_eq "outliers: no false reset" 0 "$(jf "$TMPD/out.json" .resets)"
lo=$(jf "$TMPD/out.json" .growth_per_day_low)
hi=$(jf "$TMPD/out.json" .growth_per_day_high)
check "outliers: band $lo..$hi holds the true slope" \
    awk -v l="$lo" -v h="$hi" 'BEGIN { exit !(l <= 40 && 40 <= h) }'

# -- flat, and too little data
"$GEN" --samples 2000 --step 300 --start $((now - 2000 * 300)) \
    --base 300 --slope 0 --noise 30 --limit 1000 >"$TMPD/flat.jsonl"
fc --history "$TMPD/flat.jsonl" --format json >"$TMPD/flat.json"
expect_eq "flat: not growing" not_growing "$(jf "$TMPD/flat.json" .state)"
expect_eq "flat: no date" null "$(jf "$TMPD/flat.json" .exhausted_at)"
"$GEN" --samples 5 --step 300 --start $((now - 1500)) --slope 100 \
    >"$TMPD/few.jsonl"
fc --history "$TMPD/few.jsonl" --format json >"$TMPD/few.json"
expect_eq "too little data: state" too_little_data \
    "$(jf "$TMPD/few.json" .state)"
expect_eq "too little data: 19 more samples" 19 \
    "$(jf "$TMPD/few.json" .needs_samples)"
fc --history "$TMPD/few.jsonl" -r semmni >"$TMPD/few.txt"
check "too little data: the table says how much more" \
    grep -q "needs 19 more samples and 23h 40m more history" "$TMPD/few.txt"

# -- a real history: semaphore arrays leak in a private IPC namespace,
# one per hourly sample, semmni 40; then all removed (a "reboot") and a
# slower leak of one array every two hours
R=$TMPD/real.jsonl
t0=$((now - 60 * 3600))
in_ipcns '
	echo "250 32000 32 40" >/proc/sys/kernel/sem || exit 1
	i=0
	while [ $i -lt 30 ]; do
		ipcmk -S 2 >/dev/null || exit 1
		"$IPCTUNE" record -q --history "'"$R"'" \
		    --at $(('"$t0"' + i * 3600)) || exit 1
		i=$((i + 1))
	done
	cp "'"$R"'" "'"$TMPD"'/real30.jsonl"
	ipcrm --all=sem || exit 1
	while [ $i -lt 60 ]; do
		[ $((i % 2)) -eq 0 ] && { ipcmk -S 1 >/dev/null || exit 1; }
		"$IPCTUNE" record -q --history "'"$R"'" \
		    --at $(('"$t0"' + i * 3600)) || exit 1
		i=$((i + 1))
	done'
expect_eq "real: 60 samples recorded" 60 "$(wc -l <"$R" | tr -d ' ')"
check "real: the host's semaphores were not touched" \
    test "$(jq -s 'map(.semmni[1]) | unique' "$R" | tr -d ' \n')" = "[40]"
fc --history "$TMPD/real30.jsonl" --format json >"$TMPD/r30.json"
expect_eq "real leak: semmni exhausts" exhausts \
    "$(jf "$TMPD/r30.json" .state)"
g=$(jf "$TMPD/r30.json" .growth_per_day)
check "real leak: growth $g/day is 24 arrays/day" near "$g" 24 0.01
got=$(date -d "$(jf "$TMPD/r30.json" .exhausted_at)" +%s)
check "real leak: limit of 40 reached 10 hours after the 30th sample" \
    near "$got" $((t0 + 29 * 3600 + 10 * 3600)) 60
g=$(jf "$TMPD/r30.json" '.resources[]?' 2>/dev/null; \
    jq -r '.resources[] | select(.resource == "semmns") | .growth_per_day' \
    "$TMPD/r30.json")
check "real leak: semmns grows 2 semaphores per array ($g/day)" \
    near "$g" 48 0.01
fc --history "$R" --format json >"$TMPD/r60.json"
reset=$(date -d "$(jf "$TMPD/r60.json" .last_reset_at)" +%s)
expect_eq "real reset: found at the first sample after ipcrm" \
    $((t0 + 30 * 3600)) "$reset"
g=$(jf "$TMPD/r60.json" .growth_per_day)
check "real reset: growth since then $g/day is 12" near "$g" 12 0.6
expect_eq "real reset: still exhausts" exhausts \
    "$(jf "$TMPD/r60.json" .state)"

# -- a negative kernel.sem field (SEMMSL -5, SEMMNS -7, SEMOPM -1) in a
# private IPC namespace: the history keeps it as held, forecast shows it
# as status does and judges by what the kernel applies (below 0 admits
# nothing: reached); a history of applied values (0) reads as before
N=$TMPD/neg.jsonl
in_ipcns '
	echo "-5 -7 -1 128" >/proc/sys/kernel/sem || exit 1
	i=0
	while [ $i -lt 30 ]; do
		IPCTUNE_STATE_DIR="'"$TMPD"'/sd" "$IPCTUNE" record -q \
		    --history "'"$N"'" --at $(('"$t0"' + i * 3600)) || exit 1
		i=$((i + 1))
	done
	"$IPCTUNE" status --format json >"'"$TMPD"'/neg-status.json"'
# lim FILE: the semmsl, semmns and semmni limits of a forecast document
lim() { jq -r '[.resources[] | select(.resource | test("^sem(msl|mns|mni)$"))
    | "\(.resource)=\(.limit)"] | sort | join(" ")' "$1"; }
expect_eq "negative sem: status holds SEMMSL -5, SEMMNS -7" \
    "semmni=128 semmns=-7 semmsl=-5" "$(jq -r '[.resources[] |
    select(.name | test("^sem(msl|mns|mni)$")) | "\(.name)=\(.limit)"] |
    sort | join(" ")' "$TMPD/neg-status.json")"
expect_eq "negative sem: recorded as held" "-5 -7 128" \
    "$(tail -1 "$N" | jq -r '"\(.semmsl[1]) \(.semmns[1]) \(.semmni[1])"')"
fc --history "$N" --format json >"$TMPD/neg.json"
expect_eq "negative sem: forecast JSON limits as status" \
    "semmni=128 semmns=-7 semmsl=-5" "$(lim "$TMPD/neg.json")"
expect_eq "negative sem: judged by the applied 0 (reached)" \
    "exhausted exhausted" "$(jq -r '[.resources[] | select(.resource ==
    "semmsl" or .resource == "semmns") | .state] | join(" ")' \
    "$TMPD/neg.json")"
check "negative sem: the forecast document validates" \
    validate "$TOP/contrib/schema/forecast-1.json" "$TMPD/neg.json"
fc --history "$N" -r semmsl,semmns -o resource,limit --no-headings \
    >"$TMPD/neg.txt"
expect_eq "negative sem: the table's LIMIT as status" "semmns -7 semmsl -5" \
    "$(sort "$TMPD/neg.txt" | tr -s ' \n' '  ' | sed 's/ $//')"
fc --history "$N" -r semmsl --plot "$TMPD/neg.svg" >/dev/null
check "negative sem: the plot says reached against -5" \
    grep -q "used of -5\|of -5 " "$TMPD/neg.svg"
sed 's/"semmsl":\[0,-5\]/"semmsl":[0,0]/' "$N" >"$TMPD/applied.jsonl"
fc --history "$TMPD/applied.jsonl" --format json >"$TMPD/applied.json"
expect_eq "applied-value history: semmsl 0 as before" "0 exhausted" \
    "$(jq -r '.resources[] | select(.resource == "semmsl") |
    "\(.limit) \(.state)"' "$TMPD/applied.json")"

# -- the sparkline
LANG=C.UTF-8 fc --history "$TMPD/lin.jsonl" -r semmni >"$TMPD/u.txt"
check "UTF-8 environment: block characters" grep -q "▁" "$TMPD/u.txt"
check "... rising to a full block" grep -q "█" "$TMPD/u.txt"
LC_ALL=C LANG=C.UTF-8 fc --history "$TMPD/lin.jsonl" -r semmni \
    >"$TMPD/a.txt"
check "LC_ALL=C: ASCII only" sh -c "! LC_ALL=C grep -q '[^ -~]' '$TMPD/a.txt'"
check "... and still a trend" grep -q "_.*#" "$TMPD/a.txt"

# -- the SVG plot
fc --history "$TMPD/rb.jsonl" -r semmni,shmmni --plot "$TMPD/p.svg" \
    >/dev/null
check "plot: written" test -s "$TMPD/p.svg"
check "plot: well-formed XML" python3 -c \
    'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' \
    "$TMPD/p.svg"
check "plot: one chart per resource" test \
    "$(grep -c "<g id='panel-" "$TMPD/p.svg")" -eq 2
check "plot: says when the limit is reached" grep -q "limit reached ~" \
    "$TMPD/p.svg"
check "plot: marks the reset" grep -q "reset: older samples not used" \
    "$TMPD/p.svg"
check "plot: self-contained (no external references)" \
    sh -c "! grep -Eq 'href|<script|url\\(http|@import' '$TMPD/p.svg'"
expect_eq "plot: mode 0644" 644 "$(stat -c %a "$TMPD/p.svg")"
if command -v rsvg-convert >/dev/null 2>&1; then
	check "plot: rsvg-convert renders it" \
	    rsvg-convert -o "$TMPD/p.png" "$TMPD/p.svg"
fi
cp "$TMPD/lin.jsonl" "$TMPD/a&b<c>.jsonl"
check "plot: file names are escaped" fc --history "$TMPD/a&b<c>.jsonl" \
    --plot "$TMPD/q.svg" -r semmni
check "... and the document stays well-formed" python3 -c \
    'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' \
    "$TMPD/q.svg"
fc --history "$TMPD/lin.jsonl" --plot "$TMPD/nodir/p.svg" >/dev/null \
    2>"$TMPD/e"
expect_eq "plot into a missing directory fails" 1 $?

# -- check --forecast-days reads the same history (state directory)
# (check uses a history only if its newest sample is of the namespace
# checked, so the samples get the inode of the private namespace)
mkdir -p "$TMPD/cs"
"$GEN" --samples 2880 --step 300 --start $((now - 2880 * 300 + 60)) \
    --base 100 --slope 50 --limit 1000 >"$TMPD/cs/gen.jsonl"
cat >"$TMPD/cs.sh" <<EOF
ns=\$(stat -L -c %i /proc/self/ns/ipc)
sed "s/\"ns\":[0-9]*/\"ns\":\$ns/" '$TMPD/cs/gen.jsonl' \
    >'$TMPD/cs/history.jsonl'
exec '$IPCTUNE' check --forecast-days "\$1"
EOF
IPCTUNE_STATE_DIR=$TMPD/cs unshare --ipc sh "$TMPD/cs.sh" 30 \
    >"$TMPD/c.txt" 2>&1
expect_eq "check: a projected exhaustion in 8 days warns" 1 $?
check "... and says which resource and when" \
    grep -q "semmni projected to reach its limit in 8 days" "$TMPD/c.txt"
IPCTUNE_STATE_DIR=$TMPD/cs unshare --ipc sh "$TMPD/cs.sh" 5 \
    >"$TMPD/c.txt" 2>&1
expect_eq "check: not within 5 days: OK" 0 $?
check "... the forecast was evaluated" \
    sh -c "! grep -q 'not evaluated' '$TMPD/c.txt'"
IPCTUNE_STATE_DIR=$TMPD/nohist unshare --ipc "$IPCTUNE" check \
    --forecast-days 30 >"$TMPD/c.txt" 2>&1
expect_eq "check: no history is no problem" 0 $?
check "... but says the forecast was not evaluated" \
    grep -q "^forecast: not evaluated" "$TMPD/c.txt"

# -- errors
fc --history "$TMPD/none.jsonl" >/dev/null 2>"$TMPD/e"
expect_eq "missing history: exit 1" 1 $?
check "... with advice" grep -q "ipctune record" "$TMPD/e"
fc --history "$TMPD/none.jsonl" --format json >"$TMPD/err.json" 2>/dev/null
check "missing history in JSON mode: an error document on stdout" \
    jq -e '.document == "error" and .error.exit_status == 1' "$TMPD/err.json"
fc --history "$TMPD/lin.jsonl" -r nosuch >/dev/null 2>&1
expect_eq "unknown resource: usage error" 2 $?
fc --history "$TMPD/lin.jsonl" --window 0 >/dev/null 2>&1
expect_eq "zero window: usage error" 2 $?
fc --history "$TMPD/lin.jsonl" --horizon 99999d >/dev/null 2>"$TMPD/e"
expect_eq "a horizon beyond 100 years: usage error" 2 $?
check "... saying the maximum" grep -q "at most 100 years" "$TMPD/e"
# a window shorter than --min-span could never hold enough history
fc --history "$TMPD/lin.jsonl" --window 1h >/dev/null 2>"$TMPD/e"
expect_eq "--window 1h below the default --min-span 1d: usage error" 2 $?
check "... naming both" grep -q "'--window 1h' is shorter than --min-span" \
    "$TMPD/e"
fc --history "$TMPD/lin.jsonl" --window 1h --min-span 1h >/dev/null 2>&1
expect_eq "--window 1h --min-span 1h: accepted" 0 $?
printf 'garbage\n\n{"v":1,"t":5}x\n' >"$TMPD/junk.jsonl"
fc --history "$TMPD/junk.jsonl" >/dev/null 2>"$TMPD/e"
expect_eq "only garbage: exit 1" 1 $?
head -c 200000 /dev/urandom >"$TMPD/rand.jsonl"
echo >>"$TMPD/rand.jsonl"
cat "$TMPD/lin.jsonl" >>"$TMPD/rand.jsonl"
"$IPCTUNE" forecast --history "$TMPD/rand.jsonl" --format json \
    >"$TMPD/rand.json" 2>"$TMPD/e"
expect_eq "random bytes before a history: all samples still read" 5760 \
    "$(jq .history.samples "$TMPD/rand.json")"
check "... with warnings" grep -q "skipped" "$TMPD/e"

finish
