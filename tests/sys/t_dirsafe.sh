#!/bin/sh
# A non-root user must not be able to redirect a root run: the state
# directory, the drop-in directory and the backup directory are refused
# when they are, or pass through, a symbolic link owned by another user
# or a directory others may write to (without the sticky bit).  Nothing
# may be written when they are refused.  Private IPC namespace.
if [ -z "${IPCTUNE_IN_NS:-}" ]; then
	IPCTUNE_IN_NS=1 exec unshare --ipc --mount --propagation private \
	    sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rlib.sh"
if [ "$(readlink /proc/self/ns/ipc)" = "$(readlink /proc/1/ns/ipc)" ]; then
	echo "refusing to run in the host's IPC namespace"
	exit 1
fi
chmod 755 "$TMPD"
A=$TMPD/attack
mkdir -p "$A/real" "$TMPD/victim" "$TMPD/root/etc/sysctl.d" "$TMPD/safe"
chmod 755 "$A" "$A/real"
mkdir -m 777 "$A/ww"			# world-writable, not sticky
chmod 777 "$A/ww"
mkdir -m 1777 "$A/sticky"		# like /tmp
chmod 1777 "$A/sticky"
ln -s "$TMPD/victim" "$A/sticky/nobodys-link"
chown -h 65534:65534 "$A/sticky/nobodys-link"
ln -s "$A/real" "$A/roots-link"		# root's own link: fine
mkdir -m 700 "$A/ww/inner"
mkdir -p "$A/nobodys"
chown 65534:65534 "$A/nobodys"
P=$TMPD/prof
mkdir -p "$P"
chmod 755 "$P"
printf '[sysctl]\nkernel.shmmni = 5000\n' >"$P/d-one.conf"
chmod 644 "$P/d-one.conf"

# refused DESC PATTERN CMD...: exit 1, PATTERN named, victim untouched
refused() {
	d=$1
	pat=$2
	shift 2
	before=$(cat /proc/sys/kernel/shmmni)
	"$@" >"$TMPD/o" 2>"$TMPD/e"
	rc=$?
	if [ "$rc" != 1 ]; then
		fail "$d: exit $rc, expected 1"
		sed 's/^/    /' "$TMPD/e" | head -3
	elif ! grep -qF -- "$pat" "$TMPD/e"; then
		fail "$d: message lacks '$pat'"
		sed 's/^/    /' "$TMPD/e" | head -3
	elif [ -n "$(ls -A "$TMPD/victim")" ]; then
		fail "$d: something was written through the link"
	elif [ "$(cat /proc/sys/kernel/shmmni)" != "$before" ]; then
		fail "$d: kernel.shmmni changed"
	else
		ok "$d"
	fi
	rm -rf "${TMPD:?}/victim/"*
}
apply() {
	"$IPCTUNE" apply --profile-dir "$P" -p d-one "$@"
}

for sd in "$A/ww/state" "$A/ww/inner" \
    "$A/sticky/nobodys-link" "$A/sticky/nobodys-link/sub" "$A/nobodys"; do
	export IPCTUNE_STATE_DIR=$sd
	refused "apply: state directory $sd" "refusing state directory" \
	    apply --runtime
	refused "record: state directory $sd" "refusing state directory" \
	    "$IPCTUNE" record
	# rollback without a state directory has nothing to do and must
	# create nothing; with one, the same refusal
	if [ -e "$sd" ]; then
		refused "rollback: state directory $sd" \
		    "refusing state directory" "$IPCTUNE" rollback
	else
		"$IPCTUNE" rollback >/dev/null 2>&1
		if [ -e "$sd" ] || [ -n "$(ls -A "$TMPD/victim")" ]; then
			fail "rollback: $sd was created"
		else
			ok "rollback: nothing created for $sd"
		fi
	fi
done
for sd in "$A/roots-link/state" "$A/sticky/state"; do
	export IPCTUNE_STATE_DIR=$sd
	check "apply: state directory $sd is used" \
	    apply --runtime --sysctl-root "$TMPD/root"
	check "record: $sd" "$IPCTUNE" record
	check "rollback: $sd" "$IPCTUNE" rollback
done

export IPCTUNE_STATE_DIR=$TMPD/safe/state
for dd in "$A/ww/zz.conf" "$A/sticky/zz.conf" "$A/sticky/nobodys-link/zz.conf" \
    "$A/nobodys/zz.conf"; do
	refused "apply: drop-in $dd" "refusing to write '$dd'" \
	    apply --persist --dropin "$dd"
	[ -e "$dd" ] && fail "apply: $dd was created"
done
ln -s "$TMPD/victim/zz.conf" "$TMPD/root/etc/sysctl.d/zz-ipctune.conf"
refused "apply: the drop-in itself is a symlink" "symbolic link" \
    apply --persist --sysctl-root "$TMPD/root"
rm -f "$TMPD/root/etc/sysctl.d/zz-ipctune.conf"
chmod 777 "$TMPD/root/etc/sysctl.d"
refused "apply: a world-writable sysctl.d" "writable by group or others" \
    apply --persist --sysctl-root "$TMPD/root"
chmod 755 "$TMPD/root/etc/sysctl.d"
check "apply: a safe sysctl.d is written" \
    apply --sysctl-root "$TMPD/root"
check "rollback of it" "$IPCTUNE" rollback

if [ -x "$BUILD/tests/ipchelper_orphans" ]; then
	H=$BUILD/tests/ipchelper_orphans
	for b in "$A/ww/bk" "$A/sticky/nobodys-link" "$A/nobodys"; do
		"$H" shm-write 0x5151 100 1 0600 >/dev/null
		refused "clean: backup directory $b" \
		    "backup directory" \
		    "$IPCTUNE" clean --key 0x5151 --yes --backup-dir "$b"
		expect_eq "clean: the segment stays ($b)" 1 \
		    "$("$IPCTUNE" list -J shm | jq '.shm | length')"
		ipcrm -a
	done
fi
finish
