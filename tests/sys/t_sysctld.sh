#!/bin/sh
# Next-boot precedence through 'ipctune verify --sysctl-root' on the
# fixture tree tests/fixtures/sysctl.d-precedence (see its README):
# same-name hiding across /etc, /run, /usr/local/lib, /usr/lib and /lib,
# basename order, /etc/sysctl.conf last for procps, globs and a /dev/null
# mask.  The file order is cross-checked with systemd's own resolver
# (systemd-analyze cat-config --root).  Reads only.
. "$(dirname "$0")/lib.sh"

F=$TOP/tests/fixtures/sysctl.d-precedence
P=$TMPD/prof
mkdir -p "$P"
chmod 755 "$TMPD" "$P"
cat >"$P/t-keys.conf" <<'EOF2'
[sysctl]
kernel.shmmni = 1
kernel.msgmax = 1
kernel.msgmnb = 1
kernel.msgmni = 1
kernel.shmall = 1
kernel.sem = 1 1 1 1
EOF2
"$IPCTUNE" verify --profile-dir "$P" -p t-keys --sysctl-root "$F" --format json >"$TMPD/v.json"
rc=$?
check "verify on the fixture runs (exit 0 or 4)" test "$rc" -eq 0 -o "$rc" -eq 4
boot() {	# KEY RULES -> "value file"
	jq -r --arg k "$1" --arg r "$2" '.sysctls[] | select(.sysctl == $k) | .next_boot[$r] | "\(.value) \(.file)"' "$TMPD/v.json"
}
expect_eq "systemd: later-sorting /usr/local/lib file beats /etc" "3000 /usr/local/lib/sysctl.d/70-local.conf" "$(boot kernel.shmmni systemd_sysctl)"
expect_eq "procps: the same" "3000 /usr/local/lib/sysctl.d/70-local.conf" "$(boot kernel.shmmni sysctl_system)"
expect_eq "systemd: /etc/sysctl.conf not read" "100 /run/sysctl.d/10-early.conf" "$(boot kernel.msgmax systemd_sysctl)"
expect_eq "procps: /etc/sysctl.conf read last" "9000 /etc/sysctl.conf" "$(boot kernel.msgmax sysctl_system)"
expect_eq "systemd: explicit key beats a glob" "222 /lib/sysctl.d/50-lib.conf" "$(boot kernel.msgmnb systemd_sysctl)"
expect_eq "procps: an explicit key beats a later glob too" "222 /lib/sysctl.d/50-lib.conf" "$(boot kernel.msgmnb sysctl_system)"
expect_eq "a glob sets msgmni" "777 /usr/lib/sysctl.d/80-glob.conf" "$(boot kernel.msgmni systemd_sysctl)"
expect_eq "same-name /etc file hides /usr/lib's (shmmni 1000 never seen)" 0 "$(grep -c '"1000"' "$TMPD/v.json")"
v=$(jq -r '.sysctls[] | select(.sysctl == "kernel.sem") | .next_boot.systemd_sysctl | "\(.kernel_default) \(.value.semmni)"' "$TMPD/v.json")
expect_eq "a /dev/null link masks the vendor file: kernel default" "true 32000" "$v"

# the file order matches systemd's own resolver
if command -v systemd-analyze >/dev/null 2>&1; then
	want=$(systemd-analyze cat-config --root="$F" sysctl.d 2>/dev/null |
	    sed -n "s|^# $F||p" | tr '\n' ' ')
	got=$(jq -r '[.sysctls[].next_boot.systemd_sysctl.file] | map(select(. != null)) | unique | .[]' "$TMPD/v.json" | tr '\n' ' ')
	for f in $got; do
		case " $want " in
		*" $f "*) ok "systemd-analyze also reads $f" ;;
		*) fail "systemd-analyze does not read $f (it reads: $want)" ;;
		esac
	done
	expect_eq "systemd-analyze order" "/run/sysctl.d/10-early.conf /etc/sysctl.d/30-vendor.conf /lib/sysctl.d/50-lib.conf /etc/sysctl.d/60-ipctune.conf /usr/local/lib/sysctl.d/70-local.conf /usr/lib/sysctl.d/80-glob.conf " "$want"
else
	fail "systemd-analyze missing (scripts/deps.sh installs systemd)"
fi

# What systemd-sysctl and 'sysctl --system' really set from the fixture:
# in a private mount namespace the fixture is mounted over the real
# directories (and /etc/sysctl.conf), each tool runs in a fresh private
# IPC namespace, and ipctune's prediction must match key by key.  Only
# IPC keys are in the fixture, and the tools run only once every
# directory they read shows the fixture's files and nothing else.
oracle() {	# -> lines "RULES KEY VALUE" (RULES: systemd_sysctl sysctl_system)
	unshare --ipc --mount --propagation private sh -s "$F" "$TMPD" \
	    "$IPCTUNE" "$P" <<'EOF2'
set -e
F=$1 T=$2 IPCTUNE=$3 P=$4
SDS=/lib/systemd/systemd-sysctl
[ -x "$SDS" ] || SDS=/usr/lib/systemd/systemd-sysctl
# a merged /usr: /lib/sysctl.d is /usr/lib/sysctl.d, give it both
mkdir -p "$T/o/etc" "$T/o/run" "$T/o/usrlocal" "$T/o/usrlib" "$T/o/lib"
cp -a "$F/etc/sysctl.d" "$T/o/etc/"
# "-key" after "key = value": systemd-sysctl sets nothing, procps keeps it
printf -- '-kernel.shmall\n' >"$T/o/etc/sysctl.d/95-exclude.conf"
cp -a "$F/etc/sysctl.conf" "$T/o/etc/sysctl.conf"
cp -a "$F/run/sysctl.d" "$T/o/run/"
cp -a "$F/usr/local/lib/sysctl.d" "$T/o/usrlocal/"
cp -a "$F/usr/lib/sysctl.d" "$T/o/usrlib/"
cp -a "$F/lib/sysctl.d" "$T/o/lib/"
if [ "$(readlink -f /lib)" = /usr/lib ]; then
	cp -a "$T/o/lib/sysctl.d/." "$T/o/usrlib/sysctl.d/"
else
	mkdir -p /lib/sysctl.d
	mount --bind "$T/o/lib/sysctl.d" /lib/sysctl.d
fi
mount --bind "$T/o/etc/sysctl.d" /etc/sysctl.d
mount --bind "$T/o/etc/sysctl.conf" /etc/sysctl.conf
mount -t tmpfs ipctune-test /run
mkdir /run/sysctl.d
cp -a "$T/o/run/sysctl.d/." /run/sysctl.d/
mkdir -p /usr/local/lib
mount -t tmpfs ipctune-test /usr/local/lib
mkdir /usr/local/lib/sysctl.d
cp -a "$T/o/usrlocal/sysctl.d/." /usr/local/lib/sysctl.d/
mount --bind "$T/o/usrlib/sysctl.d" /usr/lib/sysctl.d
want=$(cd "$T/o" && ls etc/sysctl.d run/sysctl.d usrlocal/sysctl.d \
    usrlib/sysctl.d | grep -c '\.conf$')
[ "$(readlink -f /lib)" = /usr/lib ] || want=$((want + 1))
have=$(ls /etc/sysctl.d /run/sysctl.d /usr/local/lib/sysctl.d \
    /usr/lib/sysctl.d /lib/sysctl.d | grep -c '\.conf$')
[ "$(readlink -f /lib)" = /usr/lib ] &&
    have=$((have - $(ls /usr/lib/sysctl.d | grep -c '\.conf$')))
[ "$have" -eq "$want" ] || { echo "mounts: $have files, not $want"; exit 1; }
if grep -hv '^[#;]' /etc/sysctl.conf /etc/sysctl.d/* /run/sysctl.d/* \
    /usr/local/lib/sysctl.d/* /usr/lib/sysctl.d/* /lib/sysctl.d/* \
    2>/dev/null | grep '=' | grep -Ev '^-?kernel[./](shm|msg|sem)'; then
	echo "a non-IPC key in the fixture"; exit 1
fi
keys="kernel/shmmni kernel/msgmax kernel/msgmnb kernel/msgmni kernel/shmall kernel/sem"
unshare --ipc sh -c "'$SDS' >/dev/null 2>&1; for k in $keys; do
    printf 'systemd_sysctl %s %s\n' \$k \"\$(tr '\t' ' ' </proc/sys/\$k)\"; done"
unshare --ipc sh -c "sysctl --system >/dev/null 2>&1; for k in $keys; do
    printf 'sysctl_system %s %s\n' \$k \"\$(tr '\t' ' ' </proc/sys/\$k)\"; done"
# ipctune sees the same mounted directories
"$IPCTUNE" verify --profile-dir "$P" -p t-keys --format json \
    >"$T/real.json" || [ $? -eq 4 ]
EOF2
}
if oracle >"$TMPD/oracle" 2>"$TMPD/oracle.err"; then
	ok "systemd-sysctl and sysctl --system ran on the fixture"
	# a key no file sets keeps the default of a fresh namespace
	unshare --ipc sh -c 'for k in shmmni msgmax msgmnb msgmni shmall sem; do
	    printf "%s %s\n" $k "$(tr "\t" " " </proc/sys/kernel/$k)"; done' \
	    >"$TMPD/defaults"
	for rules in systemd_sysctl sysctl_system; do
		for k in shmmni msgmax msgmnb msgmni shmall sem; do
			real=$(sed -n "s|^$rules kernel/$k ||p" "$TMPD/oracle")
			pred=$(jq -r --arg k "kernel.$k" --arg r "$rules" \
			    '.sysctls[] | select(.sysctl == $k) |
			    .next_boot[$r] | select(.kernel_default | not) |
			    .value | if type == "object" then
			    "\(.semmsl) \(.semmns) \(.semopm) \(.semmni)"
			    else tostring end' "$TMPD/real.json")
			[ -n "$pred" ] || pred=$(sed -n "s|^$k ||p" \
			    "$TMPD/defaults")
			expect_eq "$rules really sets kernel.$k as predicted" \
			    "$real" "$pred"
		done
	done
else
	fail "the tools did not run on the fixture"
	sed 's/^/    /' "$TMPD/oracle" "$TMPD/oracle.err"
fi

# 13.9/13.8: one line at a time, what the real loaders leave in a fresh
# IPC namespace after writing it (the kernel parses the string they
# write) must be ipctune's next-boot value under each rule set
loaders() {	# FILE-TEXT -> "sd KEYVALUES" and "ps KEYVALUES"
	unshare --ipc --mount --propagation private sh -s -- "$1" "$TMPD" <<'EOF2'
T=$(mktemp -d "$2/l.XXXXXX")
for d in /etc/sysctl.d /run/sysctl.d /usr/lib/sysctl.d /usr/local/lib/sysctl.d; do
	[ -d $d ] && mount -t tmpfs ipctune-test $d
done
[ -d /lib/sysctl.d ] && [ "$(readlink -f /lib)" != /usr/lib ] &&
    mount -t tmpfs ipctune-test /lib/sysctl.d
: >"$T/sc"
mount --bind "$T/sc" /etc/sysctl.conf
printf '%s\n' "$1" >/etc/sysctl.d/50-t.conf
SDS=/lib/systemd/systemd-sysctl
[ -x "$SDS" ] || SDS=/usr/lib/systemd/systemd-sysctl
show='for k in msgmni sem shmall; do printf "%s " "$(tr "\t" " " </proc/sys/kernel/$k)"; done'
unshare --ipc sh -c "'$SDS' >/dev/null 2>&1; printf 'sd '; $show; echo"
unshare --ipc sh -c "sysctl --system >/dev/null 2>&1; printf 'ps '; $show; echo"
EOF2
}
predict() {	# FILE-TEXT -> the same lines from ipctune verify
	rm -rf "$TMPD/r9"
	mkdir -p "$TMPD/r9/etc/sysctl.d"
	printf '%s\n' "$1" >"$TMPD/r9/etc/sysctl.d/50-t.conf"
	"$IPCTUNE" verify --profile-dir "$P" -p t-keys --sysctl-root "$TMPD/r9" \
	    --format json >"$TMPD/v9.json" 2>/dev/null
	for r in systemd_sysctl sysctl_system; do
		case $r in systemd_sysctl) printf 'sd ' ;; *) printf 'ps ' ;; esac
		for k in msgmni sem shmall; do
			jq -j --arg k "kernel.$k" --arg r "$r" '.sysctls[] |
			    select(.sysctl == $k) | .next_boot[$r] |
			    (.value_exact // .value) | if type == "object" then
			    "\(.semmsl) \(.semmns) \(.semopm) \(.semmni) "
			    else "\(.) " end' "$TMPD/v9.json"
		done
		echo
	done
}
rule() {	# NAME FILE-TEXT
	expect_eq "$1" "$(loaders "$2")" "$(predict "$2")"
}
rule "13.9 a trailing '# note' is written and the kernel stops at the blank" 'kernel.msgmni = 8000  # note'
rule "13.9 a trailing '; note' likewise" 'kernel.msgmni = 8000 ; note'
rule "13.9 a hex value (0x10) is 16" 'kernel.msgmni = 0x10'
rule "13.9 a leading 0 is octal (010 is 8)" 'kernel.msgmni = 010'
rule "13.9 hex in kernel.sem and an unsigned long" "$(printf 'kernel.sem = 0x20 32000 32 128\nkernel.shmall = 0x10000')"
rule "13.9 a quoted value is rejected: the default stays" 'kernel.msgmni = "8000"'
rule "13.9 a comment glued to the number is rejected" 'kernel.msgmni = 8000#x'
rule "13.9 a number of 21 characters is rejected (TMPBUFLEN), 20 are read" "$(printf 'kernel.msgmni = 000000000000000000007\nkernel.shmall = 00000000000000000007')"
rule "13.9 '08' is a bad octal number: rejected" 'kernel.msgmni = 08'
rule "13.9 a '+' sign is rejected" 'kernel.msgmni = +5'
rule "13.9 an empty value sets nothing" 'kernel.msgmni ='
rule "13.9 a '-' prefix still sets the value" '-kernel.msgmni = 900'
rule "13.9 '/' separators" 'kernel/msgmni = 77'
rule "13.9 a repeated key: the last wins" "$(printf 'kernel.msgmni = 100\nkernel.msgmni = 200')"
rule "13.9 a glob key" 'kernel.msgm?i = 300'
rule "13.9 blanks and tabs around '='" "$(printf '  kernel.msgmni\t=\t  400  ')"
rule "13.9 ';' and '#' comment lines" "$(printf '; kernel.msgmni = 5\n# kernel.shmmax = 5\n  # kernel.sem = 1 1 1 1')"
rule "13.9 a short kernel.sem sets only its fields" 'kernel.sem = 250 32000'
rule "13.9 extra kernel.sem fields are ignored" 'kernel.sem = 250 32000 32 128 99'
rule "13.9 a negative SEMOPM is taken" 'kernel.sem = 250 32000 -1 128'
rule "13.8 msgmni above IPCMNI is rejected: the default stays" 'kernel.msgmni = 524288'
rule "13.8 SEMMNI above IPCMNI: the other fields are set, SEMMNI kept" 'kernel.sem = 250 32000 32 131072'
rule "13.8 a rejected last line: procps keeps an earlier line's value, systemd-sysctl the default" "$(printf 'kernel.msgmni = 100\nkernel.msgmni = 524288')"
rule "13.9 a repeated short kernel.sem: procps keeps earlier fields" "$(printf 'kernel.sem = 1 2 3 4\nkernel.sem = 250 32000')"
rule "13.8 a negative msgmni is rejected" 'kernel.msgmni = -1'

# 13.8: verify says so and exits 4
predict 'kernel.sem = 250 32000 32 131072' >/dev/null
"$IPCTUNE" verify --profile-dir "$P" -p t-keys --sysctl-root "$TMPD/r9" \
    >"$TMPD/v8" 2>&1
expect_eq "13.8 verify exits 4 on a line the kernel rejects at boot" 4 $?
check "13.8 verify says the line is rejected and what the kernel keeps" \
    grep -q "^drift: '/etc/sysctl.d/50-t.conf' line 1: kernel.sem: semmni 131072 is outside \[0, 32768\].*: this line will be rejected at boot; the kernel keeps 250 32000 32 32000 (systemd-sysctl and sysctl --system)$" "$TMPD/v8"
check "13.8 verify --format json marks it rejected" test "$(jq -r \
    '.sysctls[] | select(.sysctl == "kernel.sem") | .next_boot.systemd_sysctl.rejected' \
    "$TMPD/v9.json")" = true

# 13.8: status has a finding for each such line (the host's sysctl.d,
# here a private tmpfs over /run/sysctl.d)
unshare --mount --propagation private sh -s -- "$IPCTUNE" "$TMPD" \
    >"$TMPD/st8" 2>&1 <<'EOF2'
mkdir -p /run/sysctl.d
mount -t tmpfs ipctune-test /run/sysctl.d || exit 1
printf 'kernel.msgmni = 100\nkernel.msgmni = 524288\n' >/run/sysctl.d/99-t.conf
"$1" status --format json >"$2/st8.json"
"$1" status
EOF2
check "13.8 status warns of a next-boot line the kernel rejects" grep -q \
    "^warning: '/run/sysctl.d/99-t.conf' line 2: kernel.msgmni: 524288 is outside \[0, 32768\].*: this line will be rejected at boot; the kernel keeps 32000 (systemd-sysctl)$" "$TMPD/st8"
check "13.8 status: under procps the earlier line's value stays" grep -q \
    "^warning: '/run/sysctl.d/99-t.conf' line 2: .*the kernel keeps 100 (sysctl --system)$" "$TMPD/st8"
expect_eq "13.8 status JSON: finding boot_value_rejected" 2 "$(jq \
    '[.findings[] | select(.code == "boot_value_rejected")] | length' \
    "$TMPD/st8.json")"

# the table names the winning file
"$IPCTUNE" verify --profile-dir "$P" -p t-keys --sysctl-root "$F" -o SYSCTL,FILE --no-headings >"$TMPD/t" 2>&1
check "table: FILE column" grep -q "^kernel.shmmni  *'*/usr/local/lib/sysctl.d/70-local.conf:2" "$TMPD/t"
finish
