#!/bin/sh
# Workload profiles: every shipped profile resolves on this machine, the
# list and 'show' work in table and JSON, --set and the search path do
# what they say, and hostile profiles (overflow, include cycles, unknown
# keys, kernel.core_pattern, huge files, binary garbage) fail with the
# file and line in the message.  Reads only; nothing is written.
. "$(dirname "$0")/lib.sh"

cd "$TOP" || exit 1
nfiles=$(ls profiles/*.conf | wc -l)
nlist=$("$IPCTUNE" profiles --no-headings | wc -l)
expect_eq "profiles lists every shipped file" "$nfiles" "$nlist"
check "profiles --format json parses" sh -c "'$IPCTUNE' profiles --format json | jq -e '.profiles | length == $nfiles and all(.[]; .error == null and .source != null)'"

for f in profiles/*.conf; do
	n=$(basename "$f" .conf)
	check "profile $n cites a source" grep -q '^source *=' "$f"
	check "profile $n resolves here (show)" "$IPCTUNE" profiles show "$n"
	check "profile $n resolves here (recommend)" "$IPCTUNE" recommend -p "$n"
	check "profile $n JSON" sh -c "'$IPCTUNE' profiles show '$n' --format json | jq -e '.profile.sysctls | length > 0'"
done

# the arithmetic is shown with the numbers put in
out=$("$IPCTUNE" profiles show db2 --no-headings | awk '$2 == "kernel.shmmni" {print $4, $5, $6, $7, $8, $9}')
gib=$(jq -r .profile.facts.ram_gib <<EOF2
$("$IPCTUNE" profiles show db2 --format json)
EOF2
)
expect_eq "show db2: formula and numbers" "256 * ram_gib 256 * $gib" "$out"

# --set: the PostgreSQL semaphore formula
v=$("$IPCTUNE" profiles show postgresql-sysv --set max_connections=1000 --format json |
    jq -r '.profile.sysctls[] | select(.sysctl == "kernel.sem") | .fields[3].value')
expect_eq "postgresql-sysv semmni = ceil((1000+3+10+8+7)/16)" 65 "$v"
v=$("$IPCTUNE" profiles show postgresql-sysv --set max_connections=1000 --format json |
    jq -r '.profile.sysctls[] | select(.sysctl == "kernel.sem") | .fields[1].value')
expect_eq "postgresql-sysv semmns = semmni * 17" 1105 "$v"
"$IPCTUNE" profiles show oracle --set nosuch=1 >"$TMPD/o" 2>&1
expect_eq "--set of an unknown variable fails" 1 $?
check "--set error names the variable" grep -q "no variable 'nosuch'" "$TMPD/o"
"$IPCTUNE" profiles show nosuch >"$TMPD/o" 2>&1
expect_eq "unknown profile fails" 1 $?

# hostile profiles, each in its own directory
H=$TMPD/hostile
mkdir -p "$H"
chmod 755 "$TMPD" "$H"
hostile() {	# NAME WANT-IN-MESSAGE
	"$IPCTUNE" profiles --profile-dir "$H" show "$1" >"$TMPD/h.out" 2>&1
	rc=$?
	if [ "$rc" -eq 1 ] && grep -q -- "$2" "$TMPD/h.out"; then
		ok "hostile $1 refused: $2"
	else
		fail "hostile $1: rc=$rc, wanted '$2', got: $(cat "$TMPD/h.out")"
	fi
}
printf '[main]\nsummary = x\n[sysctl]\nkernel.shmmax = 18446744073709551615 * 2\n' >"$H/overflow.conf"
hostile overflow "overflow.conf:4:38: 'kernel.shmmax': multiplication overflows"
printf '[sysctl]\nkernel.shmmni = 4096 / (ncpu - ncpu)\n' >"$H/divzero.conf"
hostile divzero "divzero.conf:2:22: 'kernel.shmmni': division by zero"
# 13.13 an indented line is a libinih continuation of the key above: the
# message says so instead of "set twice"
printf '[main]\nsummary = x\n[sysctl]\nkernel.msgmni = 4096\n  kernel.msgmni = 8192\n' >"$H/indent.conf"
"$IPCTUNE" profiles --profile-dir "$H" show indent >"$TMPD/h.out" 2>&1
expect_eq "13.13 a profile with an indented line is refused" 1 "$?"
check "13.13 ... the message says it is read as a continuation" grep -q \
    "indent.conf:5: indented line is read as a continuation of 'kernel.msgmni' (line 4)" \
    "$TMPD/h.out"
printf '[main]\nsummary = x\n  more words\n' >"$H/indentmain.conf"
hostile indentmain "indentmain.conf:3: indented line is read as a continuation of 'summary'"
printf '[main]\ninclude = cyc2\n' >"$H/cyc1.conf"
printf '[main]\ninclude = cyc1\n' >"$H/cyc2.conf"
hostile cyc1 "cyc2.conf:2: include cycle: cyc1 -> cyc2 -> cyc1"
printf '[sysctl]\nkernel.msgmni = 1\nkernel.shmmnii = 5\n' >"$H/unknown.conf"
hostile unknown "unknown.conf:3: 'kernel.shmmnii' is not an IPC limit"
printf '[sysctl]\nkernel.msgmni = no_such_fact\n' >"$H/noname.conf"
hostile noname "noname.conf:2:17: 'kernel.msgmni': unknown name 'no_such_fact'"
printf '# evil\n[sysctl]\nkernel.core_pattern = |/tmp/x %%p\n' >"$H/core.conf"
hostile core "core.conf:3: 'kernel.core_pattern' is not an IPC sysctl"
printf '[sysctl]\nkernel/../../etc = 1\n' >"$H/dots.conf"
hostile dots "dots.conf:2: 'kernel/../../etc' is not a valid sysctl name"
head -c 300000 /dev/zero | tr '\0' '#' >"$H/huge.conf"
hostile huge "huge.conf: file too large"
{ printf '[main]\nsummary = x\n'; head -c 64 /bin/sh; } >"$H/binary.conf"
hostile binary "binary.conf:3: .*not a text file"
printf '[main]\nsummary = x\n[sysctl\n' >"$H/syntax.conf"
hostile syntax "syntax.conf:3: syntax error"
printf '[sysctl]\nkernel.sem = 250 32000 100\n' >"$H/sem3.conf"
hostile sem3 "sem3.conf:2: 'kernel.sem' needs 4 values"
n=1; printf '[main]\ninclude = deep1\n' >"$H/deep0.conf"
while [ $n -lt 20 ]; do printf '[main]\ninclude = deep%d\n' $((n + 1)) >"$H/deep$n.conf"; n=$((n + 1)); done
printf '[main]\nsummary = bottom\n' >"$H/deep20.conf"
hostile deep0 "includes nested too deeply"

# a later directory overrides an earlier one; IPCTUNE_PROFILE_PATH
mkdir -p "$TMPD/over"
chmod 755 "$TMPD/over"
printf '[main]\nsummary = local oracle\n[sysctl]\nkernel.shmmni = 5000\n' >"$TMPD/over/oracle.conf"
s=$("$IPCTUNE" profiles show oracle --profile-dir "$TMPD/over" --format json | jq -r .profile.summary)
expect_eq "--profile-dir overrides the data directory" "local oracle" "$s"
n=$(IPCTUNE_PROFILE_PATH="$TMPD/over" "$IPCTUNE" profiles --no-headings | wc -l)
expect_eq "IPCTUNE_PROFILE_PATH replaces the data directory" 1 "$n"

# StrictModes as root: a group-writable profile or directory is refused
if [ "$(id -u)" -eq 0 ]; then
	chmod 664 "$TMPD/over/oracle.conf"
	"$IPCTUNE" profiles show oracle --profile-dir "$TMPD/over" >"$TMPD/o" 2>&1
	expect_eq "group-writable profile refused" 1 $?
	check "refusal says why" grep -q "writable by group or others" "$TMPD/o"
	chmod 644 "$TMPD/over/oracle.conf"
	chmod 777 "$TMPD/over"
	"$IPCTUNE" profiles show oracle --profile-dir "$TMPD/over" >"$TMPD/o" 2>&1
	expect_eq "world-writable profile directory refused" 1 $?
	chmod 755 "$TMPD/over"
	chown 65534 "$TMPD/over/oracle.conf"
	"$IPCTUNE" profiles show oracle --profile-dir "$TMPD/over" >"$TMPD/o" 2>&1
	expect_eq "profile not owned by root refused" 1 $?
	check "refusal names the owner" grep -q "owned by uid 65534" "$TMPD/o"
	chown 0 "$TMPD/over/oracle.conf"
	# a symlink to a root-owned file in a world-writable directory:
	# anyone may swap the target, so it is refused like the directory
	mkdir -m 777 "$TMPD/ww"
	cp "$TMPD/over/oracle.conf" "$TMPD/ww/swap.conf"
	ln -s "$TMPD/ww/swap.conf" "$TMPD/over/swap.conf"
	"$IPCTUNE" profiles show swap --profile-dir "$TMPD/over" >"$TMPD/o" 2>&1
	expect_eq "symlink into a world-writable directory refused" 1 $?
	check "refusal names the resolved directory" grep -q "refusing '$TMPD/over/swap.conf': '$TMPD/ww' is writable by group or others" "$TMPD/o"
	# a root-owned directory inside one its owner may rename and replace
	mkdir -p "$TMPD/users/p"
	chmod 755 "$TMPD/users/p"
	cp "$TMPD/over/oracle.conf" "$TMPD/users/p/oracle.conf"
	chown 65534 "$TMPD/users"
	"$IPCTUNE" profiles show oracle --profile-dir "$TMPD/users/p" >"$TMPD/o" 2>&1
	expect_eq "directory below a non-root directory refused" 1 $?
	check "refusal names that directory" grep -q "'$TMPD/users' is owned by uid 65534" "$TMPD/o"
	chown 0 "$TMPD/users"
	"$IPCTUNE" profiles show oracle --profile-dir "$TMPD/users/p" >/dev/null 2>&1
	expect_eq "the same tree owned by root is accepted (/tmp is sticky)" 0 $?
	chmod 2775 "$TMPD/users"
	"$IPCTUNE" profiles show oracle --profile-dir "$TMPD/users/p" >/dev/null 2>&1
	expect_eq "a group-writable directory above is accepted (Debian's /usr/local)" 0 $?
	chmod 777 "$TMPD/users"
	"$IPCTUNE" profiles show oracle --profile-dir "$TMPD/users/p" >"$TMPD/o" 2>&1
	expect_eq "a world-writable directory above is refused" 1 $?
	check "refusal names it" grep -q "'$TMPD/users' is writable by group or others" "$TMPD/o"
	chmod 755 "$TMPD/users"
fi

# recommend: clamping to IPCMNI is said, and the larger value wins
printf '[sysctl]\nkernel.msgmni = 100000\nkernel.sem = 1 2 3 40000\n' >"$H/big.conf"
"$IPCTUNE" recommend --profile-dir "$H" -p big --format json >"$TMPD/r.json" 2>"$TMPD/r.err"
check "recommend clamps msgmni to 32768" jq -e '.sysctls[] | select(.sysctl == "kernel.msgmni") | .recommended == 32768 and .clamped' "$TMPD/r.json"
check "recommend clamps SEMMNI to 32768" jq -e '.sysctls[] | select(.sysctl == "kernel.sem") | .profile.semmni == 32768' "$TMPD/r.json"
check "recommend warns about the clamp" jq -e '.warnings | map(select(test("clamped"))) | length == 2' "$TMPD/r.json"
printf '[sysctl]\nkernel.msgmax = 1M\n' >"$H/incoherent.conf"
"$IPCTUNE" recommend --profile-dir "$H" -p incoherent >/dev/null 2>"$TMPD/r.err"
check "recommend warns msgmax above msgmnb" grep -q "kernel.msgmax (1048576) is above kernel.msgmnb" "$TMPD/r.err"
finish
