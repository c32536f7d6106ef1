#!/bin/sh
# The System V cases of reference/scenarios.md, each reproduced with the
# scenario's own numbers in fresh private IPC, PID and mount namespaces:
# real objects made by the scenario's users, real /proc/sys writes inside
# the namespace, the real errno from the kernel, then what ipctune says.
# Tests are named after their scenario (13.S1 is scenario 1).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/orphans_lib.sh"
IPCGET=$BUILD/tests/ipcget

# as UID CMD...: run CMD as UID (and the group of the same number)
as() {
	_u=$1
	shift
	setpriv --reuid="$_u" --regid="$_u" --clear-groups "$@"
}

# bg_ready FILE CMD...: start CMD (a program, not a function: BG_PID is
# its pid) in the background, its output in FILE; wait until it prints
# "ready".
bg_ready() {
	_f=$1
	shift
	"$@" >"$_f" 2>&1 &
	BG_PID=$!
	_i=0
	while ! grep -q '^ready$' "$_f" 2>/dev/null; do
		_i=$((_i + 1))
		if [ $_i -gt 500 ] || ! kill -0 $BG_PID 2>/dev/null; then
			sed 's/^/    /' "$_f" >&2
			return 1
		fi
		sleep 0.01
	done
}

# one LINE: LINE squeezed to single spaces, no trailing space
one() { tr -s ' \t\n' ' ' | sed 's/ $//'; }

# 12, segment half: shmmni 32, 28 unattached 1 MiB segments from exited
# uid 33 creators, 4 attached by a live uid 33 process, then shmget.
s12_segments() {
	sysctl_set shmmni 32
	as 33 "$HELPER" -q shm size=1048576 count=28 exit >/dev/null
	bg_ready "$TMPD/held" setpriv --reuid=33 --regid=33 --clear-groups \
	    "$HELPER" shm size=1048576 count=4 attach hold
	holder=$BG_PID
	live=$(sed -n 's/^shm //p' "$TMPD/held" | sort -n | one)
	expect_eq "13.S12 shmmni 32: the next shmget fails with ENOSPC" \
	    ENOSPC "$(as 33 "$IPCGET" shm 0 1048576 'IPC_CREAT|0600')"

	$IPCTUNE status --pid $$ >"$TMPD/s.txt"
	expect_match "13.S12 shmmni 32: status names SHMMNI as the exhausted limit" \
	    "^critical: shmmni is exhausted: 32 of 32 segments used \(100\.0%\); new objects fail with ENOSPC$" \
	    "$TMPD/s.txt"
	expect_match "13.S12 shmmni 32: status says 28 of the 32 have no live user" \
	    "^info: shmmni: 28 of the 32 segments have no live user \(28 orphaned, 0 suspect\): ipctune orphans$" \
	    "$TMPD/s.txt"
	expect_match "13.S12 shmmni 32: status mentions kernel.shm_rmid_forced, what 1 does and its risk" \
	    "^info: kernel\.shm_rmid_forced is 0, .* 1 makes the kernel destroy each segment once nothing is attached .*leaks cannot pile up, but programs that detach and attach again later \(some databases\) lose their segment$" \
	    "$TMPD/s.txt"
	$IPCTUNE status --pid $$ -J >"$TMPD/s.json"
	expect_eq "13.S12 shmmni 32: status JSON: the finding shm_rmid_forced_off" \
	    1 "$(jq '[.findings[] | select(.code == "shm_rmid_forced_off")] |
	    length' "$TMPD/s.json")"
	$IPCTUNE fit --pid $$ --shm-size 1M >"$TMPD/f.txt"
	expect_eq "13.S12 shmmni 32: fit says no (exit 4)" 4 $?
	expect_match "13.S12 shmmni 32: fit explains ENOSPC with SHMMNI" \
	    "^shmget would fail with ENOSPC \(No space left on device\): kernel\.shmmni is exhausted: 32 of 32 segments exist$" \
	    "$TMPD/f.txt"
	expect_match "13.S12 shmmni 32: fit points at the 28 leaked segments" \
	    "^  no live user: 28 of the 32 segments \(28 orphaned, 0 suspect\), owned by www-data \(28\); removing 1 of them makes room: ipctune orphans$" \
	    "$TMPD/f.txt"

	$IPCTUNE orphans --pid $$ -a -J >"$TMPD/o.json"
	expect_eq "13.S12 shmmni 32: orphans finds the 28 leaked, creator dead and no attach" \
	    28 "$(jq '[.objects[] | select(.verdict == "orphaned" and
	    (.reasons | index("creator_dead")) and
	    (.reasons | index("no_attach")))] | length' "$TMPD/o.json")"
	expect_eq "13.S12 shmmni 32: the 4 attached are in use, their holder named" \
	    "$live|$holder $holder $holder $holder" \
	    "$(jq -r '[.objects[] | select(.verdict == "in_use")] |
	    "\(map(.id) | sort | map(tostring) | join(" "))|\(map(
	    .attachers[0].pid | tostring) | join(" "))"' "$TMPD/o.json")"
	$IPCTUNE orphans --pid $$ >"$TMPD/o.txt"
	expect_match "13.S12 shmmni 32: orphans sums the leak per owner" \
	    "^www-data: 28 shared memory segments look leaked, 87\.5% of SHMMNI$" \
	    "$TMPD/o.txt"
	expect_match "13.S12 shmmni 32: orphans mentions kernel.shm_rmid_forced" \
	    "kernel\.shm_rmid_forced is 0" "$TMPD/o.txt"

	$IPCTUNE clean --pid $$ --all-orphans --yes --backup-dir "$TMPD/bk" \
	    -J >"$TMPD/c.json" 2>/dev/null
	expect_eq "13.S12 shmmni 32: clean removes the 28 leaked segments, not the 4 attached" \
	    "28 0 0|$live" "$(jq -r '.counts |
	    "\(.removed) \(.skipped) \(.failed)"' "$TMPD/c.json")|$($IPCTUNE \
	    list -J shm | jq -r '[.shm[].id] | sort | map(tostring) |
	    join(" ")')"
	expect_eq "13.S12 shmmni 32: clean backed up each removed segment" 28 \
	    "$(jq '.segments | length' "$TMPD/bk/manifest.json")"
	check "13.S12 shmmni 32: shmget works again" sh -c \
	    "'$IPCGET' shm 0 1048576 'IPC_CREAT|0600' | grep -q '^ok '"
}

# 1 (and 12, semaphore half): kernel.sem 250 32000 32 128; 32 times, as
# uid 33, four one-semaphore arrays with one semop each, then SIGKILL.
s1_apache() {
	sysctl_set sem "250 32000 32 128"
	i=0
	while [ $i -lt 32 ]; do
		i=$((i + 1))
		(as 33 "$HELPER" -q sem nsems=1 count=4 semop=1 die \
		    >/dev/null) 2>/dev/null
	done
	expect_eq "13.S1 AH00023: the 33rd httpd start gets ENOSPC from semget" \
	    ENOSPC "$(as 33 "$IPCGET" sem 0 1 'IPC_CREAT|0600')"
	$IPCTUNE status --pid $$ >"$TMPD/s.txt"
	expect_match "13.S1 AH00023: status names SEMMNI at 128 of 128" \
	    "^critical: semmni is exhausted: 128 of 128 arrays used \(100\.0%\)" \
	    "$TMPD/s.txt"
	expect_match "13.S1 AH00023: status says none of the 128 has a live user" \
	    "^info: semmni: 128 of the 128 arrays have no live user \(0 orphaned, 128 suspect\): ipctune orphans$" \
	    "$TMPD/s.txt"
	expect_eq "13.S1 AH00023: no shm_rmid_forced advice for semaphore arrays" \
	    0 "$(grep -c shm_rmid_forced "$TMPD/s.txt")"
	expect_eq "13.S1 AH00023: owners shows www-data at 100% of SEMMNI" \
	    "33 www-data 128 1" "$($IPCTUNE owners --pid $$ -J | jq -r '.owners[] |
	    select(.uid == 33) | "\(.uid) \(.user) \(.sem_arrays)
	    \(.semmni_ratio)"' | one)"
	$IPCTUNE orphans --pid $$ -J >"$TMPD/o.json"
	expect_eq "13.S1 AH00023: the default orphans calls them leaked at once (suspect)" \
	    "128 128" "$(jq -r '"\(.suspect.sem) \([.objects[] |
	    select(.verdict == "suspect" and
	    (.reasons | index("last_op_pid_dead")))] | length)"' \
	    "$TMPD/o.json")"
	$IPCTUNE fit --pid $$ --sem-arrays 4 --sems-per-array 1 >"$TMPD/f.txt"
	expect_match "13.S1 AH00023: fit offers raising SEMMNI to 132, or removal" \
	    "^  to fit: raise kernel\.sem \(field SEMMNI\) to 132, or remove 4 arrays$" \
	    "$TMPD/f.txt"
	expect_match "13.S1 AH00023: fit names www-data's 128 arrays as the ones to remove" \
	    "^  no live user: 128 of the 128 semaphore arrays \(0 orphaned, 128 suspect\), owned by www-data \(128\); removing 4 of them makes room: ipctune orphans$" \
	    "$TMPD/f.txt"
	$IPCTUNE clean --pid $$ --owner www-data --min-age 0 --yes -J \
	    >"$TMPD/c.json" 2>/dev/null
	expect_eq "13.S1 AH00023: clean by owner removes the 128 arrays" 128 \
	    "$(jq '.counts.removed' "$TMPD/c.json")"
	check "13.S1 AH00023: httpd's semget works again" sh -c \
	    "'$IPCGET' -u 33 -g 33 sem 0 1 'IPC_CREAT|0600' | grep -q '^ok '"
}

# 2: kernel.sem 250 32000 32 128; 122 one-semaphore arrays leaked by uid
# 33, then PostgreSQL (uid 101) wants 8 arrays of 17: the 7th fails.
s2_postgres() {
	sysctl_set sem "250 32000 32 128"
	as 33 "$HELPER" -q sem nsems=1 count=122 semop=1 exit >/dev/null
	$IPCTUNE fit --pid $$ --sem-arrays 8 --sems-per-array 17 -J \
	    >"$TMPD/f.json"
	expect_eq "13.S2 semget(17): fit predicts 6 of 8, then ENOSPC by SEMMNI" \
	    "4 6 ENOSPC semmni" "$? $(jq -r '.calls[0] |
	    "\(.succeeded) \(.errno) \(.cause)"' "$TMPD/f.json" | one)"
	$IPCTUNE fit --pid $$ --sem-arrays 8 --sems-per-array 17 >"$TMPD/f.txt"
	expect_match "13.S2 semget(17): fit offers both fixes with numbers" \
	    "^  to fit: raise kernel\.sem \(field SEMMNI\) to 130, or remove 2 arrays$" \
	    "$TMPD/f.txt"
	expect_match "13.S2 semget(17): ... and which arrays to remove" \
	    "^  no live user: 122 of the 122 semaphore arrays \(0 orphaned, 122 suspect\), owned by www-data \(122\); removing 2 of them makes room: ipctune orphans$" \
	    "$TMPD/f.txt"
	as 101 "$HELPER" -q sem nsems=17 key=5432001 count=8 exit \
	    >/dev/null 2>"$TMPD/pg.err"
	expect_match "13.S2 semget(17): the kernel agrees, the 7th fails" \
	    "semget \(object 6\): No space left on device" "$TMPD/pg.err"
	expect_eq "13.S2 semget(17): fit offers SEMMNI 130 or removing 2 arrays" \
	    "semmni 130 2" "$(jq -r '.calls[0].fixes[] |
	    "\(.cause) \(.needed) \(.or_free)"' "$TMPD/f.json" | one)"
	expect_eq "13.S2 semget(17): fit names uid 33's 122 leaked arrays, enough to remove" \
	    "122 0 122 33:122 true" "$(jq -r '.calls[0].no_live_user |
	    "\(.objects) \(.orphaned) \(.suspect) \(.owners | map(
	    "\(.uid):\(.objects)") | join(",")) \(.enough)"' "$TMPD/f.json")"
	check "13.S2 semget(17): the fit document validates" validate \
	    "$SCHEMAS/fit-1.json" "$TMPD/f.json"
	# PostgreSQL removes its arrays when it gives up
	i=1
	while [ $i -le 6 ]; do
		ipcrm -S $((5432000 + i))
		i=$((i + 1))
	done
	$IPCTUNE status --pid $$ >"$TMPD/s.txt"
	expect_match "13.S2 semget(17): status points at the 122 arrays without a live user" \
	    "^info: semmni: 122 of the 122 arrays have no live user \(0 orphaned, 122 suspect\): ipctune orphans$" \
	    "$TMPD/s.txt"
	$IPCTUNE orphans --pid $$ --min-age 0 >"$TMPD/o.txt"
	expect_match "13.S2 semget(17): orphans names uid 33's 122 leaked arrays" \
	    "^www-data: 122 semaphore arrays look leaked, 95\.3% of SEMMNI$" \
	    "$TMPD/o.txt"
	# SEMMNS checked too: with 200 semaphores in all, the 5th fails
	sysctl_set sem "250 200 32 256"
	$IPCTUNE fit --pid $$ --sem-arrays 8 --sems-per-array 17 >"$TMPD/f.txt"
	expect_match "13.S2 semget(17) under SEMMNS 200: fit says the 5th fails by SEMMNS" \
	    "^semget #5 of 8 would fail with ENOSPC \(No space left on device\): SEMMNS, the second field of kernel\.sem, is exhausted: 190 of 200 semaphores are in use and the array needs 17 more$" \
	    "$TMPD/f.txt"
	expect_match "13.S2 semget(17) under SEMMNS 200: SEMMNS 258, or free 58 semaphores" \
	    "^  to fit: raise kernel\.sem \(field SEMMNS\) to 258, or remove arrays holding 58 semaphores$" \
	    "$TMPD/f.txt"
	expect_match "13.S2 semget(17) under SEMMNS 200: the leaked arrays hold 122 semaphores" \
	    "^  no live user: 122 of the 122 semaphore arrays, holding 122 semaphores \(0 orphaned, 122 suspect\), owned by www-data \(122\); removing enough of them to free 58 semaphores makes room: ipctune orphans$" \
	    "$TMPD/f.txt"
	as 101 "$HELPER" -q sem nsems=17 key=5432001 count=8 exit \
	    >/dev/null 2>"$TMPD/pg.err"
	expect_match "13.S2 semget(17) under SEMMNS 200: the kernel fails the 5th too" \
	    "semget \(object 4\): No space left on device" "$TMPD/pg.err"
	i=1
	while [ $i -le 4 ]; do
		ipcrm -S $((5432000 + i))
		i=$((i + 1))
	done
	sysctl_set sem "250 32000 32 128"
	$IPCTUNE clean --pid $$ --owner 33 --min-age 0 --yes >/dev/null 2>&1
	$IPCTUNE fit --pid $$ --sem-arrays 8 --sems-per-array 17 >/dev/null
	expect_eq "13.S2 semget(17): once the 122 are removed, fit says it fits" \
	    0 $?
	check "13.S2 semget(17): and PostgreSQL gets its 8 arrays" \
	    as 101 "$HELPER" -q sem nsems=17 key=5432001 count=8 exit
}

# 4: shmmax 16 GiB, shmall 2097152 pages, a 6 GiB segment attached (never
# touched: no RAM used), then shmget(4 GiB).  newseg() charges shmall at
# shmget time, so the real sizes work; where the machine cannot reserve
# 6 GiB the case runs 1024 times smaller (shmall 2048 pages).
s4_oracle() {
	d=1
	sysctl_set shmmax 17179869184
	sysctl_set shmall 2097152
	if ! bg_ready "$TMPD/held" "$HELPER" -q shm size=6442450944 attach \
	    hold 2>/dev/null; then
		d=1024
		sysctl_set shmall $((2097152 / d))
		bg_ready "$TMPD/held" "$HELPER" -q shm \
		    size=$((6442450944 / d)) attach hold
	fi
	[ $d -eq 1 ] && sz="10.0 GiB" || sz="10.0 MiB"
	expect_eq "13.S4 ORA-27102: shmget of 4 GiB gets ENOSPC (size / $d)" \
	    ENOSPC "$("$IPCGET" shm 0 $((4294967296 / d)) 'IPC_CREAT|0600')"
	$IPCTUNE fit --pid $$ --shm-size $((4294967296 / d)) >"$TMPD/f.txt"
	expect_eq "13.S4 ORA-27102: fit says no (exit 4)" 4 $?
	expect_match "13.S4 ORA-27102: shmall is exhausted: $((1572864 / d)) of $((2097152 / d)) pages, the segment needs $((1048576 / d))" \
	    "kernel\.shmall is exhausted: $((1572864 / d)) of $((2097152 / d)) pages are in use and the segment needs $((1048576 / d)) more .*shmall counts pages, not bytes$" \
	    "$TMPD/f.txt"
	expect_match "13.S4 ORA-27102: raise kernel.shmall to $((2621440 / d)) pages ($sz)" \
	    "^  to fit: raise kernel\.shmall to $((2621440 / d)) pages \($sz\)" \
	    "$TMPD/f.txt"
	$IPCTUNE fit --pid $$ --shm-size $((4294967296 / d)) -J >"$TMPD/f.json"
	expect_eq "13.S4 ORA-27102: fit does not offer the attached SGA for removal" \
	    "0 false" "$(jq -r '.calls[0].no_live_user |
	    "\(.objects) \(.enough)"' "$TMPD/f.json")"
	$IPCTUNE status --pid $$ >"$TMPD/s.txt"
	expect_match "13.S4 ORA-27102: status warns that shmall in bytes is below shmmax" \
	    "^warning: kernel\.shmall \($((2097152 / d)) pages\) is smaller than kernel\.shmmax in pages" \
	    "$TMPD/s.txt"
	# the oracle profile takes the SGA sizes: the largest (6 GiB) and
	# the sum over the host's databases (6 GiB and 4 GiB); check()
	# (lib.sh) sets d, so the scale is kept in k
	k=$d
	sga="--set sga_bytes=$((6442450944 / k))"
	sga="$sga --set sga_total_bytes=$((10737418240 / k))"
	$IPCTUNE recommend --pid $$ -p oracle $sga -J >"$TMPD/r.json" \
	    2>"$TMPD/r.err"
	expect_eq "13.S4 ORA-27102: recommend -p oracle $sga takes the SGA sizes (exit 0)" \
	    "0 " "$? $(grep -v 'warning:' "$TMPD/r.err")"
	expect_eq "13.S4 ORA-27102: its shmmax holds the 6 GiB SGA, its shmall the 6 GiB and the 4 GiB segment" \
	    "yes yes" "$(jq -r --argjson m $((6442450944 / k)) \
	    --argjson a $((2621440 / k)) '[.sysctls[] |
	    select(.sysctl == "kernel.shmmax") | .recommended >= $m],
	    [.sysctls[] | select(.sysctl == "kernel.shmall") |
	    .recommended >= $a] | if .[0] then "yes" else "no" end' \
	    "$TMPD/r.json" | one)"
	# a modelled 8 GiB host, whose half of RAM (1048576 pages) is below
	# the scenario's shmall: only the SGA sizes raise it
	R=$TMPD/root8
	cp -r "$TOP/tests/fixtures/root64" "$R"
	sed -i 's/^MemTotal:.*/MemTotal:       8388608 kB/' "$R/proc/meminfo"
	echo 2097152 >"$R/proc/sys/kernel/shmall"
	echo 17179869184 >"$R/proc/sys/kernel/shmmax"
	expect_eq "13.S4 ORA-27102: 8 GiB host: without the SGA, shmmax and shmall are kept" \
	    "17179869184 keep 2097152 keep" "$($IPCTUNE recommend --root "$R" \
	    -p oracle -J 2>/dev/null | jq -r '.sysctls[] |
	    select(.sysctl == "kernel.shmmax" or .sysctl == "kernel.shmall") |
	    "\(.recommended) \(.action)"' | one)"
	expect_eq "13.S4 ORA-27102: 8 GiB host: with them shmall becomes 11 GiB in pages" \
	    "17179869184 keep 2883584 raise" "$($IPCTUNE recommend --root "$R" \
	    -p oracle --set sga_bytes=6G --set sga_total_bytes=10G -J \
	    2>/dev/null | jq -r '.sysctls[] |
	    select(.sysctl == "kernel.shmmax" or .sysctl == "kernel.shmall") |
	    "\(.recommended) \(.action)"' | one)"
	sysctl_set shmall $((2621440 / k))
	check "13.S4 ORA-27102: with the advised shmall the 4 GiB segment is made" \
	    sh -c "'$IPCGET' shm 0 $((4294967296 / k)) 'IPC_CREAT|0600' |
	    grep -q '^ok '"
	for id in $(ipcs -m | awk '$6 == 0 { print $2 }'); do
		ipcrm -m "$id"
	done
	sysctl_set shmall $((2097152 / k))
	$IPCTUNE apply --runtime -p oracle $sga >"$TMPD/a.txt" 2>&1
	expect_eq "13.S4 ORA-27102: apply -p oracle with the SGA sizes (exit 0)" \
	    0 $?
	check "13.S4 ORA-27102: with the profile's shmall the 4 GiB segment is made" \
	    sh -c "'$IPCGET' shm 0 $((4294967296 / k)) 'IPC_CREAT|0600' |
	    grep -q '^ok '"
}

# 5a: shmmax 4 GiB, shmget(6 GiB): EINVAL.  5b: a 1 MiB segment at key
# 0x7100 left by an exited program, then shmget(0x7100, 2 MiB): EINVAL.
s5_einval() {
	sysctl_set shmmax 4294967296
	expect_eq "13.S5a shmmax 4 GiB: shmget of 6 GiB gets EINVAL" EINVAL \
	    "$("$IPCGET" shm 0 6442450944 'IPC_CREAT|0600')"
	$IPCTUNE fit --pid $$ --shm-size 6G >"$TMPD/f.txt"
	expect_eq "13.S5a shmmax 4 GiB: fit says no (exit 4)" 4 $?
	expect_match "13.S5a shmmax 4 GiB: fit names shmmax with both sizes" \
	    "^shmget would fail with EINVAL \(Invalid argument\): the segment size 6442450944 bytes \(6\.0 GiB\) is above kernel\.shmmax = 4294967296 bytes \(4\.0 GiB\)$" \
	    "$TMPD/f.txt"
	expect_match "13.S5a shmmax 4 GiB: fit gives the value needed" \
	    "^  to fit: raise kernel\.shmmax to 6442450944 bytes \(6\.0 GiB\)$" \
	    "$TMPD/f.txt"
	"$HELPER" -q shm size=1048576 key=0x7100 exit >/dev/null
	expect_eq "13.S5b key 0x7100: shmget of 2 MiB gets EINVAL" EINVAL \
	    "$("$IPCGET" shm 0x7100 2097152 'IPC_CREAT|0600')"
	$IPCTUNE fit --pid $$ --key 0x7100 --shm-size 2M >"$TMPD/f.txt"
	expect_match "13.S5b key 0x7100: fit names the 1 MiB segment, judged orphaned" \
	    "^key 0x00007100: held by segment [0-9]+ \(owner uid 0 gid 0, creator uid 0 gid 0, 1048576 bytes \(1\.0 MiB\), mode 0600\); orphans judges it orphaned \(no_attach,creator_dead\)$" \
	    "$TMPD/f.txt"
}

# 10: Db2's per-GiB formulas (shmmni and SEMMNI 256 x RAM GiB, msgmni
# 1024 x RAM GiB) on a 512 GiB host pass IPCMNI (32768).
s10_db2() {
	mount -t tmpfs -o mode=0755 tmpfs /etc/sysctl.d
	mount -t tmpfs -o mode=0755 tmpfs /run
	cat >/etc/sysctl.d/90-db2.conf <<'EOF'
kernel.shmmni = 131072
kernel.sem = 250 256000 32 131072
kernel.msgmni = 524288
EOF
	sysctl -p /etc/sysctl.d/90-db2.conf >/dev/null 2>&1
	expect_eq "13.S10 Db2 above IPCMNI: sysctl -p leaves 4096, 250 256000 32 32000, 32000" \
	    "4096 250 256000 32 32000 32000" \
	    "$(cat /proc/sys/kernel/shmmni /proc/sys/kernel/sem \
	    /proc/sys/kernel/msgmni | one)"
	$IPCTUNE status --pid $$ >"$TMPD/s.txt"
	expect_eq "13.S10 Db2 above IPCMNI: status says each line will be rejected at boot" \
	    3 "$(grep -c "^warning: '/etc/sysctl.d/90-db2.conf' line [123]: .* is outside \[0, 32768\] (IPCMNI; boot with ipcmni_extend for more): this line will be rejected at boot; the kernel keeps" \
	    "$TMPD/s.txt")"
	rm /etc/sysctl.d/90-db2.conf
	# the formulas on a modelled 512 GiB host: a --root tree
	R=$TMPD/root512
	cp -r "$TOP/tests/fixtures/root64" "$R"
	sed -i 's/^MemTotal:.*/MemTotal:       536870912 kB/' "$R/proc/meminfo"
	$IPCTUNE recommend --root "$R" -p db2 -J >"$TMPD/r.json" \
	    2>"$TMPD/r.err"
	expect_eq "13.S10 Db2 512 GiB: recommend clamps shmmni, SEMMNI, msgmni to 32768" \
	    "32768 32768 32768" "$(jq -r '.sysctls[] |
	    select(.sysctl == "kernel.shmmni" or .sysctl == "kernel.msgmni") |
	    .recommended' "$TMPD/r.json" | one) $(jq -r '.sysctls[] |
	    select(.sysctl == "kernel.sem") | .recommended.semmni' \
	    "$TMPD/r.json")"
	expect_eq "13.S10 Db2 512 GiB: recommend says what it clamped" 3 \
	    "$(jq '[.warnings[] | select(test("db2 asks (131072|524288), more than the kernel accepts; clamped to 32768"))] |
	    length' "$TMPD/r.json")"
	expect_eq "13.S10 Db2 512 GiB: the reasons never claim db2 asks 32768" 0 \
	    "$(jq '[.sysctls[].why | select(test("db2 asks 32768"))] | length' \
	    "$TMPD/r.json")"
	sed -i 's/$/ ipcmni_extend/' "$R/proc/cmdline"
	$IPCTUNE recommend --root "$R" -p db2 -J >"$TMPD/r.json" 2>/dev/null
	expect_eq "13.S10 Db2 512 GiB with ipcmni_extend: 131072, 131072, 524288 kept" \
	    "131072 524288 131072" "$(jq -r '.sysctls[] |
	    select(.sysctl == "kernel.shmmni" or .sysctl == "kernel.msgmni") |
	    .recommended' "$TMPD/r.json" | one) $(jq -r '.sysctls[] |
	    select(.sysctl == "kernel.sem") | .recommended.semmni' \
	    "$TMPD/r.json")"
	# apply on the live kernel, which has no ipcmni_extend: the Db2
	# formulas for 512 GiB as a profile of their own
	P=$TMPD/prof
	mkdir -p "$P"
	chmod 755 "$TMPD" "$P"
	sed -e 's/ram_gib/gib/g' \
	    -e 's/^\[sysctl\]/[variables]\ngib = 512\n\n[sysctl]/' \
	    "$TOP/profiles/db2.conf" >"$P/db2-512.conf"
	$IPCTUNE apply --profile-dir "$P" -p db2-512 >"$TMPD/a.txt" 2>&1
	expect_eq "13.S10 Db2 512 GiB: apply succeeds (exit 0)" 0 $?
	expect_eq "13.S10 Db2 512 GiB: apply writes 32768, never a value the kernel rejects" \
	    "32768 32768 32768" "$(cat /proc/sys/kernel/shmmni \
	    /proc/sys/kernel/msgmni | one) $(cut -f4 /proc/sys/kernel/sem)"
	expect_eq "13.S10 Db2 512 GiB: apply says it clamped each" 3 \
	    "$(grep -c "db2-512 asks [0-9]*, more than the kernel accepts; clamped to 32768" \
	    "$TMPD/a.txt")"
	sysctl -p /etc/sysctl.d/zz-ipctune.conf >/dev/null 2>"$TMPD/p.err"
	expect_eq "13.S10 Db2 512 GiB: the drop-in apply wrote loads without an error" \
	    "0 " "$? $(cat "$TMPD/p.err")"
}

# 11: X11 MIT-SHM: three uid 1000 clients create and attach 4 MiB each
# and remove it at once (IPC_RMID); the kernel frees each at its detach.
s11_mitshm() {
	mkdir -m 1777 "$TMPD/x"
	chmod 755 "$TMPD"
	pids=
	for i in 1 2 3; do
		# the shell that runs it says nothing when it is killed below
		(as 1000 "$H" shm-rmid-hold 0 4194304 "$TMPD/x/r$i") \
		    2>/dev/null &
		wait_file "$TMPD/x/r$i"
		pids="$pids $(cut -d' ' -f2 "$TMPD/x/r$i")"
	done
	pids=$(echo $pids | tr ' ' '\n' | sort -n | one)
	$IPCTUNE orphans --pid $$ --min-age 0 -a -J >"$TMPD/o.json"
	expect_eq "13.S11 MIT-SHM: three dest segments of uid 1000, in use, each holder named" \
	    "3 3|$pids" "$(jq -r '[.objects[] | select(.uid == 1000 and .dest and
	    .verdict == "in_use" and (.reasons | index("marked_dest")))] |
	    "\(length) \(map(select(.attachers | length == 1)) | length)|\(
	    map(.attachers[0].pid) | sort | map(tostring) | join(" "))"' \
	    "$TMPD/o.json")"
	$IPCTUNE orphans --pid $$ --min-age 0 --exit-status >/dev/null
	expect_eq "13.S11 MIT-SHM: orphans --exit-status finds none" 0 $?
	$IPCTUNE check --pid $$ --orphan-min-age 0 >"$TMPD/chk"
	expect_eq "13.S11 MIT-SHM: check raises no alarm" 0 $?
	$IPCTUNE status --pid $$ >"$TMPD/s.txt"
	expect_eq "13.S11 MIT-SHM: status has no finding about them" 0 \
	    "$(grep -c 'marked for removal' "$TMPD/s.txt")"
	# dest segments that hold a large share of a small limit warn
	sysctl_set shmmni 4
	$IPCTUNE status --pid $$ >"$TMPD/s.txt"
	expect_match "13.S11 MIT-SHM, shmmni 4: status warns, naming the dest segments and their attaches" \
	    "^warning: 3 segments marked for removal but still attached \(dest: [0-9]+, [0-9]+, [0-9]+\) hold 3 of 4 shmmni segments and 3072 of [0-9]+ shmall pages; the kernel frees each only at its last detach, and 3 attaches hold them: ipctune orphans -a names the holders$" \
	    "$TMPD/s.txt"
	$IPCTUNE check --pid $$ --orphan-min-age 0 >"$TMPD/chk"
	expect_eq "13.S11 MIT-SHM, shmmni 4: check warns (75% is below -w 80%)" \
	    1 $?
	expect_match "13.S11 MIT-SHM, shmmni 4: check says why" \
	    "^WARNING: 3 segments marked for removal but still attached \(3 attaches\) hold 3 of 4 shmmni segments and 3072 of [0-9]+ shmall pages: ipctune orphans -a$" \
	    "$TMPD/chk"
	sysctl_set shmmni 4096
	sysctl_set shmall 4096
	$IPCTUNE status --pid $$ -J >"$TMPD/s.json"
	expect_eq "13.S11 MIT-SHM, shmall 4096 pages: status warns about shmall" \
	    "warning shmall 1" "$(jq -r '[.findings[] |
	    select(.code == "dest_segments")] | "\(.[0].level)
	    \(.[0].resource) \(length)"' "$TMPD/s.json" | one)"
	$IPCTUNE check --pid $$ --orphan-min-age 0 >/dev/null
	expect_eq "13.S11 MIT-SHM, shmall 4096 pages: check warns" 1 $?
	$IPCTUNE check --pid $$ --orphan-min-age 0 --resource semmni >/dev/null
	expect_eq "13.S11 MIT-SHM, shmall 4096 pages: not when shm is not checked" \
	    0 $?
	sysctl_set shmall 6000
	$IPCTUNE check --pid $$ --orphan-min-age 0 >/dev/null
	expect_eq "13.S11 MIT-SHM, shmall 6000 pages (51%): check still warns" 1 $?
	sysctl_set shmall 6200
	$IPCTUNE check --pid $$ --orphan-min-age 0 >/dev/null
	expect_eq "13.S11 MIT-SHM, shmall 6200 pages (49.5%): check is quiet" 0 $?
	$IPCTUNE clean --pid $$ --all-orphans --min-age 0 --yes >/dev/null 2>&1
	expect_eq "13.S11 MIT-SHM: clean leaves all three" 3 \
	    "$($IPCTUNE list -J shm | jq '.shm | length')"
	# a server keeps its clients' segments after they exit
	ids=
	for i in 1 2 3; do
		id=$(cut -d' ' -f1 "$TMPD/x/r$i")
		ids="$ids $id"
		"$H" shm-hold "$id" "$TMPD/x/h$i" &
		wait_file "$TMPD/x/h$i"
	done
	$IPCTUNE status --pid $$ --orphan-min-age 0 >"$TMPD/s.txt"
	expect_eq "13.S11 MIT-SHM, held by a server too: no warning while the clients run" \
	    0 "$(grep -c 'creator exited' "$TMPD/s.txt")"
	for p in $pids; do
		kill -9 "$p"
	done
	$IPCTUNE status --pid $$ >"$TMPD/s.txt"
	expect_eq "13.S11 MIT-SHM, clients gone: not for dest segments detached from less than --orphan-min-age ago" \
	    0 "$(grep -c 'creator exited' "$TMPD/s.txt")"
	$IPCTUNE check --pid $$ >/dev/null
	expect_eq "13.S11 MIT-SHM, clients gone: check is quiet before --orphan-min-age" \
	    0 $?
	ids=$(echo $ids | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//;
	    s/ /, /g')
	$IPCTUNE status --pid $$ --orphan-min-age 0 >"$TMPD/s.txt"
	expect_match "13.S11 MIT-SHM, clients gone: status warns, naming the segments and their holders' attaches" \
	    "^warning: 3 segments marked for removal still attached after their creator exited \($ids\), with no attach or detach since: 3 attaches hold them, and the kernel frees them only at the last detach; the holders \(orphans -a, ATTACHED-BY\) keep what their clients left$" \
	    "$TMPD/s.txt"
	$IPCTUNE check --pid $$ --orphan-min-age 0 >"$TMPD/chk"
	expect_eq "13.S11 MIT-SHM, clients gone: check warns (exit 1)" 1 $?
	expect_match "13.S11 MIT-SHM, clients gone: check says why" \
	    "^WARNING: 3 segments marked for removal still attached \(3 attaches\) after their creator exited: ipctune orphans -a$" \
	    "$TMPD/chk"
	$IPCTUNE orphans --pid $$ --min-age 0 >"$TMPD/o.txt"
	expect_match "13.S11 MIT-SHM, clients gone: orphans notes them" \
	    "3 segments marked for removal still attached after their creator exited" \
	    "$TMPD/o.txt"
	$IPCTUNE orphans --pid $$ --min-age 0 --exit-status >/dev/null
	expect_eq "13.S11 MIT-SHM, clients gone: still in use, no orphan (exit 0)" \
	    0 $?
	$IPCTUNE orphans --pid $$ --min-age 0 -J >"$TMPD/o.json"
	expect_eq "13.S11 MIT-SHM, clients gone: orphans JSON: the note dest_outlived_creator" \
	    1 "$(jq '[.notes[] | select(.code == "dest_outlived_creator")] |
	    length' "$TMPD/o.json")"
	check "13.S11 MIT-SHM, clients gone: the orphans document validates" \
	    validate "$SCHEMAS/orphans-1.json" "$TMPD/o.json"
	$IPCTUNE status --pid $$ --orphan-min-age 0 -J >"$TMPD/s.json"
	check "13.S11 MIT-SHM, clients gone: the status document validates" \
	    validate "$SCHEMAS/status-1.json" "$TMPD/s.json"
}

# Also seen: a full queue blocks its senders (EAGAIN with IPC_NOWAIT).
# The queue was made by uid 33 with the default msgmnb, 16384 bytes.
msg_full() {
	as 33 "$HELPER" -q msg key=0x4d51 send=16 bytes=1024 exit >/dev/null
	as 33 "$HELPER" -q msg key=0x4d52 send=2 bytes=1024 exit >/dev/null
	full=$(ipcs -q | awk '$1 == "0x00004d51" { print $2 }')
	expect_eq "13.Sq full queue: msgsnd with IPC_NOWAIT gets EAGAIN" EAGAIN \
	    "$(as 33 "$IPCGET" msgsnd 0x4d51 1024 0600)"
	$IPCTUNE status --pid $$ >"$TMPD/s.txt"
	expect_match "13.Sq full queue: status names the full queue and msgmnb" \
	    "^critical: msgmnb is exhausted: queue $full \(key 0x00004d51\) holds 16384 of its 16384 bytes \(100\.0%\); msgsnd blocks, or fails with EAGAIN under IPC_NOWAIT$" \
	    "$TMPD/s.txt"
	$IPCTUNE fit --pid $$ --key 0x4d51 --queues 1 --msg-size 1024 \
	    >"$TMPD/f.txt"
	expect_eq "13.Sq full queue: fit --key into it says no (exit 4)" 4 $?
	expect_match "13.Sq full queue: fit names the queue and its limit" \
	    "^msgsnd would fail with EAGAIN \(Resource temporarily unavailable\) with IPC_NOWAIT, or blocks without it: queue $full \(key 0x00004d51\) holds 16384 of its 16384 bytes \(16 messages\), and a message of 1024 bytes \(1\.0 KiB\) does not fit" \
	    "$TMPD/f.txt"
	$IPCTUNE fit --pid $$ --key 0x4d51 --queues 1 --msg-size 1024 -J \
	    >"$TMPD/f.json"
	expect_eq "13.Sq full queue: fit JSON: EAGAIN, cause queue_full, 16384 of 16384" \
	    "EAGAIN queue_full 16384 1024 16384" "$(jq -r '.calls[] |
	    select(.call == "msgsnd") | "\(.errno) \(.cause) \(.in_use)
	    \(.needed) \(.limit_value)"' "$TMPD/f.json" | one)"
	expect_eq "13.Sq the other queue takes the message: fit and kernel agree" \
	    "0 ok" "$($IPCTUNE fit --pid $$ --key 0x4d52 --queues 1 \
	    --msg-size 1024 >/dev/null; echo $?) $(as 33 "$IPCGET" msgsnd \
	    0x4d52 1024 0600 | cut -d' ' -f1)"
}

# Also seen: msgmni exhausted, msgget ENOSPC (Db2 DB21015E).
msgmni_full() {
	sysctl_set msgmni 8
	as 33 "$HELPER" -q msg count=8 exit >/dev/null
	expect_eq "13.Sq msgmni 8: msgget gets ENOSPC" ENOSPC \
	    "$("$IPCGET" msg 0 0 'IPC_CREAT|0600')"
	$IPCTUNE status --pid $$ >"$TMPD/s.txt"
	expect_match "13.Sq msgmni 8: status names msgmni" \
	    "^critical: msgmni is exhausted: 8 of 8 queues used \(100\.0%\); new objects fail with ENOSPC$" \
	    "$TMPD/s.txt"
	$IPCTUNE fit --pid $$ --queues 1 >"$TMPD/f.txt"
	expect_eq "13.Sq msgmni 8: fit says no (exit 4)" 4 $?
	expect_match "13.Sq msgmni 8: fit explains ENOSPC with msgmni and the fix" \
	    "^  to fit: raise kernel\.msgmni to 9, or remove 1 queue$" \
	    "$TMPD/f.txt"
}

scenario_main "$@"
# sysctl_set (lib.sh) refuses to write unless in another IPC namespace
IPCTUNE_IN_NS=$(stat -L -c %i /proc/self/ns/ipc)
export IPCTUNE_IN_NS
for s in s12_segments s1_apache s2_postgres s4_oracle s5_einval s10_db2 \
    s11_mitshm msg_full msgmni_full; do
	run_ns "$0" "$s"
done
finish
