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
expect_eq "procps: a later glob wins" "777 /usr/lib/sysctl.d/80-glob.conf" "$(boot kernel.msgmnb sysctl_system)"
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

# the table names the winning file
"$IPCTUNE" verify --profile-dir "$P" -p t-keys --sysctl-root "$F" -o SYSCTL,FILE --no-headings >"$TMPD/t" 2>&1
check "table: FILE column" grep -q "^kernel.shmmni  *'*/usr/local/lib/sysctl.d/70-local.conf:2" "$TMPD/t"
finish
