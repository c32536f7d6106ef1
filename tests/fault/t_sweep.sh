#!/bin/sh
# Fault-injection sweeps over every writer: apply (runtime and drop-in,
# /dev/shm's size and fstab line), rollback, record, clean --backup-dir (and its record of its own
# accesses, and its POSIX objects) and --output.  Each step that
# touches the files or /proc/sys values under test (open, write, fsync,
# rename, lock) fails once with EIO, ENOSPC, EACCES and EINTR in turn;
# tests/fault/lib.sh says which invariants must hold.  Runs in a private
# IPC and mount namespace with temp state, drop-in and history paths.
if [ -z "${IPCTUNE_IN_NS:-}" ]; then
	IPCTUNE_IN_NS=1 exec unshare --ipc --mount --propagation private \
	    sh "$0" "$@"
fi
. "$(dirname "$0")/../sys/lib.sh"
. "$TOP/tests/sys/rlib.sh"
. "$TOP/tests/fault/lib.sh"
fault_ns_guard
# the documents of the output sweeps include /dev/shm usage: a private
# /dev/shm (this mount namespace only) keeps other processes' files out
mount -t tmpfs -o mode=1777,size=64m tmpfs /dev/shm ||
    echo "# no private /dev/shm: the output sweeps may see others' files"
umask 022
chmod 755 "$TMPD"
W=$TMPD/w
P=$TMPD/prof
mkdir -p "$P"
chmod 755 "$P"
only=${1:-}
want() { [ -z "$only" ] || [ "$only" = "$1" ]; }

# two profiles that change different sets of values
cat >"$P/f-one.conf" <<'X'
[main]
summary = sweep: raise shm, sem, msg and mqueue limits
[sysctl]
kernel.shmmni = 5000
kernel.shmmax = 68719476736
kernel.msgmax = 65536
kernel.msgmnb = 65536
kernel.msgmni = 1024
kernel.sem = 250  64000  100  1024
fs.mqueue.msg_max = 20
X
cat >"$P/f-two.conf" <<'X'
[main]
summary = sweep: raise other values further
[sysctl]
kernel.shmmni = 6000
kernel.msgmax = 131072
kernel.sem = 500  128000  200  2048
fs.mqueue.queues_max = 512
X
chmod 644 "$P"/*.conf
# a low starting point, so that every profile value is a raise
low() {
	printf '%s\n' 100 >/proc/sys/kernel/shmmni
	printf '%s\n' 8192 >/proc/sys/kernel/msgmax
	printf '%s\n' 16384 >/proc/sys/kernel/msgmnb
	printf '%s\n' 16 >/proc/sys/kernel/msgmni
	printf '%s\n' '250 32000 32 128' >/proc/sys/kernel/sem
	printf '%s\n' 10 >/proc/sys/fs/mqueue/msg_max
	printf '%s\n' 256 >/proc/sys/fs/mqueue/queues_max
}
low
IPCTUNE_STATE_DIR=$W/state
export IPCTUNE_STATE_DIR
# apply [FAULTY] ARGS...: ipctune apply with the test's paths
apply() {
	if [ "$1" = "$FAULTY" ]; then
		shift
		$FAULTY "$IPCTUNE" apply --profile-dir "$P" \
		    --sysctl-root "$W/root" "$@"
	else
		"$IPCTUNE" apply --profile-dir "$P" --sysctl-root "$W/root" "$@"
	fi
}
mkroot() { mkdir -p "$W/root/etc/sysctl.d" "$W/state"; }
FAULT_PATHS="/proc/sys/:$W/"

# Rollback must be able to trust the state: the drop-in on disk is either
# the one the last recorded apply wrote, or the one it found (strict).
consistency() {
	d=$W/root/etc/sysctl.d/zz-ipctune.conf
	st=$W/state/last-apply.json
	if [ ! -f "$st" ]; then
		# no apply on record: the drop-in must not exist either
		[ -f "$d" ] && echo "consistent dropin NO(unrecorded)" ||
		    echo "consistent dropin yes"
		return
	fi
	rec_new=$(jq -r '.dropin.new_content // empty' "$st")
	rec_old=$(jq -r 'if .dropin.existed then .dropin.old_content
	    else empty end' "$st")
	if [ -f "$d" ]; then
		cur=$(cat "$d")
		if [ "$cur" = "$rec_new" ] || [ "$cur" = "$rec_old" ]; then
			echo "consistent dropin yes"
		else
			echo "consistent dropin NO(differs)"
		fi
	elif [ -z "$rec_new" ] || [ -z "$rec_old" ]; then
		echo "consistent dropin yes"
	else
		echo "consistent dropin NO(missing)"
	fi
}
apply_state() { fs_state_default; consistency; }

if want apply; then
	fs_setup() { mkroot; }
	fs_run() { apply $FAULTY -p f-one; }
	fs_state() { apply_state; }
	FAULT_STRICT="sysctl|consistent" fault_sweep "apply (runtime and drop-in, first apply)"
	fs_state() { fs_state_default; }
fi

if want apply2; then
	fs_setup() { mkroot; apply -p f-one >/dev/null; }
	fs_run() { apply $FAULTY -p f-one -p f-two; }
	fs_state() { apply_state; }
	FAULT_STRICT="sysctl|consistent" fault_sweep "apply (runtime and drop-in, over an earlier apply)"
	fs_state() { fs_state_default; }
fi

if want runtime; then
	fs_setup() { mkroot; }
	fs_run() { apply $FAULTY -p f-one --runtime; }
	fs_state() { apply_state; }
	FAULT_STRICT="sysctl|consistent" fault_sweep "apply --runtime"
	fs_state() { fs_state_default; }
fi

if want persist; then
	fs_setup() { mkroot; apply -p f-two >/dev/null; }
	fs_run() { apply $FAULTY -p f-one --persist; }
	fs_state() { apply_state; }
	FAULT_STRICT="sysctl|consistent" fault_sweep "apply --persist (replacing a drop-in)"
	fs_state() { fs_state_default; }
fi

if want rollback; then
	fs_setup() { mkroot; apply -p f-one >/dev/null; }
	fs_run() { $FAULTY "$IPCTUNE" rollback; }
	fs_state() { apply_state; }
	FAULT_STRICT="sysctl|consistent" fault_sweep "rollback (runtime and drop-in)"
	fs_state() { fs_state_default; }
fi

# apply --runtime and rollback in another IPC namespace (--pid): the
# container's values all old or all new, ours never touched, its record
# in the state directory of its namespace old or complete
if want nsapply || want nsrollback; then
	unshare --ipc sleep 100000 &
	NSC=$!
	i=0
	while [ "$(stat -L -c %i /proc/$NSC/ns/ipc)" = \
	    "$(stat -L -c %i /proc/self/ns/ipc)" ] && [ $i -lt 500 ]; do
		i=$((i + 1)); sleep 0.01
	done
	# the container's IPC sysctls, as fs_state lines
	ns_state() {
		nsenter -t "$NSC" --ipc sh -c 'for k in '"$(echo $SC_KEYS)"'; do
			printf "nssysctl %s %s\n" "$k" \
			    "$(tr -s " \t" " " </proc/sys/$k)"; done'
	}
	# low(), as defined above, run in the container's namespace
	ns_low() {
		nsenter -t "$NSC" --ipc sh -c "$(sed -n '/^low() {$/,/^}$/p' \
		    "$0"); low"
	}
	fs_state() { fs_state_default; ns_state; }
fi
if want nsapply; then
	fs_setup() { mkroot; ns_low; }
	fs_run() { apply $FAULTY -p f-one --runtime --pid "$NSC"; }
	FAULT_STRICT="sysctl|nssysctl" fault_sweep "apply --runtime --pid (another IPC namespace)"
fi
if want nsrollback; then
	fs_setup() { mkroot; ns_low; apply -p f-one --pid "$NSC" >/dev/null; }
	fs_run() { $FAULTY "$IPCTUNE" rollback --pid "$NSC"; }
	FAULT_STRICT="sysctl|nssysctl" fault_sweep "rollback --pid (another IPC namespace)"
fi
if want nsapply || want nsrollback; then
	fs_state() { fs_state_default; }
	kill "$NSC"
	wait "$NSC" 2>/dev/null
fi

if want rollback2; then
	fs_setup() {
		mkroot
		apply -p f-one >/dev/null &&
		    apply -p f-two >/dev/null
	}
	fs_run() { $FAULTY "$IPCTUNE" rollback; }
	fs_state() { apply_state; }
	FAULT_STRICT="sysctl|consistent" fault_sweep "rollback (of the second of two applies)"
	fs_state() { fs_state_default; }
fi

# apply --dev-shm-remount --dev-shm-persist and its rollback: the private
# /dev/shm back to its size and fstab old or recorded on any failure
if want shmapply || want shmrollback; then
	cat >"$P/f-shm.conf" <<'X'
[main]
summary = sweep: shm limits and the /dev/shm size
[sysctl]
kernel.shmmni = 5000
[posix]
dev_shm_size = 96M
X
	chmod 644 "$P/f-shm.conf"
	shm_root() {
		mkroot
		printf '# /dev/shm tmpfs 0 0\nUUID=1\t/\text4\td\t0 1\nshm\t/dev/shm  tmpfs\tdefaults,size=1g\t0\t0\n/dev/sdb1 /data xfs noatime 0 2' \
		    >"$W/root/etc/fstab"
		mount -o remount,size=64m /dev/shm
	}
	# the size of /dev/shm, and fstab as the record says (strict)
	shm_state() {
		st=$W/state/last-apply.json
		f=$W/root/etc/fstab
		echo "shmsize dev/shm $(stat -f -c '%b' /dev/shm)"
		if [ -f "$st" ] && [ "$(jq -r .dev_shm.written "$st")" = true ]; then
			[ "$(cat "$f")" = "$(jq -r .dev_shm.new_content "$st")" ] ||
			    [ "$(cat "$f")" = "$(jq -r .dev_shm.old_content "$st")" ] &&
			    echo "shmconsistent fstab yes" ||
			    echo "shmconsistent fstab NO"
		else
			echo "shmconsistent fstab yes"
		fi
	}
	fs_state() { apply_state; shm_state; }
fi
if want shmapply; then
	fs_setup() { shm_root; }
	fs_run() { apply $FAULTY -p f-shm --dev-shm-remount --dev-shm-persist; }
	FAULT_STRICT="sysctl|consistent|shmsize|shmconsistent" fault_sweep "apply --dev-shm-remount --dev-shm-persist"
fi
if want shmrollback; then
	fs_setup() { shm_root; apply -p f-shm --dev-shm-remount \
	    --dev-shm-persist >/dev/null; }
	fs_run() { $FAULTY "$IPCTUNE" rollback; }
	FAULT_STRICT="sysctl|consistent|shmsize|shmconsistent" fault_sweep "rollback (with /dev/shm's size and fstab)"
fi
if want shmapply || want shmrollback; then
	fs_state() { fs_state_default; }
	mount -o remount,size=64m /dev/shm
fi

# 12.B11: a killed run's temporary files next to the drop-in and the
# state record.  Removing them is best effort: a failure to remove one
# is said (a warning naming the error), never silent, and never fails the
# apply; everything else holds as in the apply sweeps.
if want stale; then
	STALE_PID=
	fs_setup() {
		mkroot
		apply -p f-one >/dev/null || return 1
		sh -c 'exit 0' &
		STALE_PID=$!
		wait "$STALE_PID"
		printf 'partial' \
		    >"$W/root/etc/sysctl.d/zz-ipctune.conf.tmp.$STALE_PID"
		printf 'partial' >"$W/state/last-apply.json.tmp.$STALE_PID"
		rm -f "$TMPD/ft.err"
	}
	fs_run() { apply $FAULTY -p f-one -p f-two; }
	stale_state() {
		apply_state | grep -v '\.tmp\.'
		for f in "$W/root/etc/sysctl.d/zz-ipctune.conf.tmp.$STALE_PID" \
		    "$W/state/last-apply.json.tmp.$STALE_PID"; do
			k=${f#"$W"/}
			k=${k%."$STALE_PID"}
			if [ ! -e "$f" ] || grep -qF "stale temporary file" \
			    "$TMPD/ft.err" 2>/dev/null &&
			    grep -qF "'${f%.tmp.*}" "$TMPD/ft.err"; then
				echo "stale $k removed-or-said"
			else
				echo "stale $k kept-silently"
			fi
		done
	}
	fs_state() { stale_state; }
	FAULT_STRICT="sysctl|consistent" fault_sweep "12.B11 apply over a killed run's temporary files"
	fs_state() { fs_state_default; }
fi

if want record; then
	# the history, by shape: "old" while every earlier sample is there
	# (a new sample may follow), "compacted" after a rewrite; every line
	# valid JSON, no torn line (strict)
	hist_state() {
		fs_state_default | grep -v ' state/history.jsonl '
		h=$W/state/history.jsonl
		[ -f "$h" ] || { echo "hist shape absent"; return; }
		k=$(wc -l <"$TMPD/hist.orig")
		hn=$(wc -l <"$h")
		if head -n "$k" "$h" | cmp -s - "$TMPD/hist.orig" &&
		    [ "$hn" -le $((k + 1)) ]; then
			echo "hist shape old"
		else
			echo "hist shape compacted"
		fi
		if [ "$(jq -c . "$h" 2>/dev/null | wc -l)" = "$hn" ] &&
		    [ "$(tail -c 1 "$h" | od -An -c | tr -d ' ')" = '\n' ]; then
			echo "hist lines valid"
		else
			echo "hist lines INVALID"
		fi
	}
	# a plain record: the old history plus exactly one sample, or the
	# old history untouched (strict: every earlier sample kept)
	append_state() {
		hist_state | grep -v '^hist shape'
		h=$W/state/history.jsonl
		k=$(wc -l <"$TMPD/hist.orig")
		if head -n "$k" "$h" | cmp -s - "$TMPD/hist.orig"; then
			echo "keep samples yes"
		else
			echo "keep samples LOST"
		fi
		echo "hist count $(wc -l <"$h")"
	}
	fs_setup() {
		mkroot
		for t in 1700000000 1700000300 1700000600; do
			"$IPCTUNE" record --at "$t" || return 1
		done
		cp "$W/state/history.jsonl" "$TMPD/hist.orig"
	}
	fs_state() { append_state; }
	fs_run() { $FAULTY "$IPCTUNE" record --at 1700000900; }
	FAULT_STRICT="sysctl|keep|hist lines" \
	    fault_sweep "record (append to a history)"
	fs_state() { hist_state; }
	fs_run() {
		$FAULTY "$IPCTUNE" record --at 1800000000 --compact
	}
	FAULT_STRICT="sysctl|hist lines" \
	    fault_sweep "record --compact (rewrite the history)"
	fs_state() { fs_state_default; }
fi

if want output; then
	fs_setup() {
		mkdir -p "$W/out"
		echo "old report" >"$W/out/status.txt"
		echo "old report" >"$W/out/snapshot.json"
	}
	# the documents carry the time of reading: compare their shape
	fs_digest() { sed -E 's/[0-9]+/N/g' "$1" | sha256sum | cut -c1-16; }
	fs_run() {
		$FAULTY "$IPCTUNE" status --format json --output \
		    "$W/out/status.txt"
	}
	fault_sweep "status --format json --output (replacing a file)"
	fs_run() {
		$FAULTY "$IPCTUNE" status --format prometheus --output \
		    "$W/out/status.prom"
	}
	fault_sweep "status --format prometheus --output (a new file)"
	fs_digest() { fs_digest_default "$1"; }

	# a FIFO is written through, never replaced (12.B8): it stays a
	# FIFO and nothing else appears beside it (strict); a failed write
	# may have delivered part of the stream, so the reader's side is
	# only "some" or "none"
	N=$TMPD/nodes
	mkdir -p "$N"
	if mount -t tmpfs -o mode=755 tmpfs "$N"; then
		fs_setup() {
			rm -f "$N"/* "$N"/.[!.]* "$TMPD/got"
			mkfifo "$N/fifo"
			timeout 60 cat "$N/fifo" >"$TMPD/got" &
			READER=$!
		}
		fs_state() {
			fs_state_default
			echo "node fifo $(stat -c %F "$N/fifo" 2>/dev/null ||
			    echo absent)"
			echo "nodes others $(find "$N" ! -path "$N" \
			    ! -path "$N/fifo" | wc -l)"
			if [ -s "$TMPD/got" ]; then
				echo "reader got some"
			else
				echo "reader got none"
			fi
		}
		fs_run() {
			$FAULTY "$IPCTUNE" status --format json --output \
			    "$N/fifo"
			_rc=$?
			# a reader still waiting for a writer sees EOF now
			exec 9<>"$N/fifo"
			exec 9>&-
			wait "$READER"
			return $_rc
		}
		FAULT_PATHS="$N/" FAULT_STRICT="sysctl|node|nodes" \
		    fault_sweep "status --output into a FIFO (written through)"
		fs_state() { fs_state_default; }
		umount -l "$N"
	else
		fail "cannot mount a tmpfs for the FIFO sweep"
	fi
fi

if want clean && [ -x "$BUILD/tests/ipchelper_orphans" ]; then
	H=$BUILD/tests/ipchelper_orphans
	# per segment: present or gone; its backup none or complete; and
	# never gone without a complete backup (strict)
	fs_state() {
		fs_state_default | grep -v '^file '
		m=$W/bk/manifest.json
		for spec in "0x00004141 10000 5" "0x00004242 5000 9"; do
			set -- $spec
			if ipcs -m | grep -q "^$1 "; then
				echo "shm $1 present"
				gone=0
			else
				echo "shm $1 gone"
				gone=1
			fi
			f=$(jq -r --arg k "$1" '.segments[] |
			    select(.key_hex == $k) | .file' "$m" 2>/dev/null)
			if [ -z "$f" ]; then
				b=none
			elif "$H" pattern "$2" "$3" | cmp -s - "$W/bk/$f"; then
				b=complete
			else
				b=PARTIAL
			fi
			echo "backup $1 $b"
			if [ "$gone" = 1 ] && [ "$b" != complete ]; then
				echo "safety $1 LOST"
			else
				echo "safety $1 ok"
			fi
		done
		echo "temp files $(find "$W" -name '.*' -type f | wc -l)"
		if [ ! -f "$m" ] || jq -e '.segments | length' "$m" \
		    >/dev/null 2>&1; then
			echo "manifest json ok"
		else
			echo "manifest json CORRUPT"
		fi
	}
	fs_setup() {
		ipcrm -a
		"$H" shm-write 0x4141 10000 5 0640 >/dev/null &&
		    "$H" shm-write 0x4242 5000 9 0600 >/dev/null
	}
	fs_run() {
		$FAULTY "$IPCTUNE" clean --type shm --yes --backup-dir "$W/bk"
	}
	# clean reports each object's failure in its table (stdout)
	FAULT_MSG_STDOUT=1 FAULT_STRICT="sysctl|safety|temp|manifest" \
	    fault_sweep "clean --backup-dir (two segments)"
	fs_state() { fs_state_default; }
fi

# clean's record of its own accesses (12.A6): a backup that fails on a
# full file system leaves the segment, with its permissions restored,
# and the record in the state directory is absent or complete
if want cleanrec && [ -x "$BUILD/tests/ipchelper_orphans" ]; then
	H=$BUILD/tests/ipchelper_orphans
	mkdir -p "$TMPD/tiny"
	mount -t tmpfs -o size=4k,mode=755 tmpfs "$TMPD/tiny"
	fs_state() {
		fs_state_default | grep -v '^file '
		ipcs -m | awk '$1 == "0x00004141" { print "shm", $1, $4 }'
		r=$W/state/clean-touched.json
		if [ ! -f "$r" ]; then
			echo "record file absent"
		elif n=$(jq -e '.objects | length' "$r" 2>/dev/null); then
			echo "record file $n entries"
		else
			echo "record file CORRUPT"
		fi
		echo "temp files $(find "$W" -name '.*' -type f | wc -l)"
	}
	fs_setup() {
		ipcrm -a
		rm -rf "$TMPD/tiny/bk"
		"$H" shm-write 0x4141 16384 5 0640 >/dev/null
	}
	# the backup fails by design (ENOSPC on the tiny file system): the
	# run counts as failed only when the fault made something else fail
	fs_run() {
		$FAULTY "$IPCTUNE" clean --type shm --yes \
		    --backup-dir "$TMPD/tiny/bk" >"$TMPD/cr.out" 2>"$TMPD/cr.err"
		_rc=$?
		cat "$TMPD/cr.out"
		cat "$TMPD/cr.err" >&2
		[ "$_rc" = 1 ] && grep -q "cannot write the backup" \
		    "$TMPD/cr.out" && ! grep -q "could not be recorded" \
		    "$TMPD/cr.out" && ! grep -q '^ipctune: ' "$TMPD/cr.err"
	}
	FAULT_MSG_STDOUT=1 FAULT_STRICT="sysctl|shm|temp" \
	    fault_sweep "clean: record of its own access after a failed backup"
	fs_state() { fs_state_default; }
	umount "$TMPD/tiny"
fi

# clean --backup-dir of POSIX objects: each object is either intact under
# its name, or gone with a complete backup and its manifest entry; never
# lost, never left under clean's private name.  A POSIX object is judged
# orphaned only where every process can be seen: the sweep runs again in
# a private PID namespace with its own /proc.
if want pclean && [ -x "$BUILD/tests/posixhelper" ]; then
	# PID 1 stays in this IPC namespace, so that fault_ns_guard can
	# tell the sweep's own one apart
	_pc=$(unshare --pid --fork --mount-proc sh -c \
	    'unshare --ipc sh "$0" pclean-pidns' "$0" 2>&1)
	echo "$_pc" | grep -v -E '^([0-9]+ passed, [0-9]+ failed|# [0-9]+ injected)'
	# its injected failures count with this run's
	set -- $(echo "$_pc" | sed -n -E \
	    's/^# ([0-9]+) injected failures checked in ([0-9]+) runs/\1 \2/p')
	FAULT_POINTS=$((FAULT_POINTS + ${1:-0}))
	FAULT_TRIALS=$((FAULT_TRIALS + ${2:-0}))
	_pc=$(echo "$_pc" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1)
	if [ -z "$_pc" ]; then
		fail "clean of POSIX objects: the sweep in a PID namespace gave no result"
	else
		T_PASS=$((T_PASS + ${_pc%% passed*}))
		_pc=${_pc#*passed, }
		T_FAIL=$((T_FAIL + ${_pc%% failed*}))
	fi
fi
if [ "$only" = pclean-pidns ]; then
	# an owner with no process on the host: its objects are orphaned
	PU=4242
	PCN="pc-data sem.pc-sem"
	pc_ref() { printf '%s' "$TMPD/pc.ref.$1"; }
	fs_state() {
		fs_state_default | grep -v '^file '
		m=$W/bk/manifest.json
		for n in $PCN; do
			if [ -f "/dev/shm/$n" ]; then
				echo "obj $n present"
				cmp -s "/dev/shm/$n" "$(pc_ref "$n")" &&
				    echo "intact $n ok" || echo "intact $n CHANGED"
			else
				echo "obj $n gone"
				echo "intact $n ok"
			fi
			f=$(jq -r --arg n "$n" '.posix_objects[] |
			    select(.name == $n) | .file' "$m" 2>/dev/null)
			if [ -z "$f" ]; then
				b=none
			elif cmp -s "$W/bk/$f" "$(pc_ref "$n")"; then
				b=complete
			else
				b=PARTIAL
			fi
			echo "backup $n $b"
			if [ ! -f "/dev/shm/$n" ] && [ "$b" != complete ]; then
				echo "safety $n LOST"
			else
				echo "safety $n ok"
			fi
		done
		echo "aside count $(find /dev/shm -name '.ipctune-clean*' |
		    wc -l)"
		echo "temp files $(find "$W" -name '.*' -type f | wc -l)"
		if [ ! -f "$m" ] || jq -e '.posix_objects | length' "$m" \
		    >/dev/null 2>&1; then
			echo "manifest json ok"
		else
			echo "manifest json CORRUPT"
		fi
	}
	fs_setup() {
		rm -f /dev/shm/pc-* /dev/shm/sem.pc-* /dev/shm/.ipctune-clean*
		setpriv --reuid=$PU --regid=$PU --clear-groups sh -c '
		    head -c 9000 /dev/zero | tr "\0" a >/dev/shm/pc-data &&
		    truncate -s 100000 /dev/shm/pc-data' &&
		    setpriv --reuid=$PU --regid=$PU --clear-groups \
		    "$BUILD/tests/posixhelper" sem pc-sem 2 >/dev/null &&
		for n in $PCN; do
			cp "/dev/shm/$n" "$(pc_ref "$n")" || return 1
		done
	}
	fs_run() {
		$FAULTY "$IPCTUNE" clean --pid $$ --type pshm --type psem --min-age 0 \
		    --yes --backup-dir "$W/bk"
	}
	FAULT_PATHS="/dev/shm/:$W/" FAULT_CALLS=open,write,fsync,rename,unlink \
	    FAULT_ERRNOS=ENOSPC FAULT_MSG_STDOUT=1 \
	    FAULT_STRICT="sysctl|safety|intact|aside|temp|manifest" \
	    fault_sweep "clean --backup-dir of POSIX objects (a file, a semaphore)"
	fs_state() { fs_state_default; }
	rm -f /dev/shm/pc-* /dev/shm/sem.pc-*
fi

echo "# $FAULT_POINTS injected failures checked in $FAULT_TRIALS runs"
finish
