# Fault-injection sweeps: run a command once to count its steps, then
# once per step and errno with that step failing, and check invariants on
# what it leaves behind.  Source after tests/sys/lib.sh, inside a private
# IPC and mount namespace.  A sweep is four shell functions:
#
#   fs_setup    put the world in its "before" state (runs before each
#               trial after the IPC sysctls are reset to the baseline);
#               work under $W, which starts empty
#   fs_run      the command under test, prefixed with $FAULTY
#   fs_state    (optional) print the observable state, one "KIND KEY
#               VALUE" per line; default: every IPC sysctl ("sysctl") and
#               every file under $W ("file", by digest), lock files aside
#   fs_digest   (optional) digest of one file for fs_state; default sha256
#
# and FAULT_PATHS, the colon-separated path prefixes whose calls count.
# Invariants after each injected failure:
#   - exit 0: the state equals the state of the fault-free run;
#   - exit not 0: every "sysctl" line (and any kind in FAULT_STRICT) is as
#     before; every other line is as before or as after the fault-free run
#     (a file holds its old or its complete new contents, no temp file is
#     left); stderr says 'ipctune: ' and names the error;
#   - the shim logged the injected call: the sweep reached that step.
FI_SO=${FI_SO:-$BUILD/tests/faultinject.so}
FAULT_ERRNOS=${FAULT_ERRNOS:-EIO ENOSPC EACCES EINTR}
FAULT_CALLS=${FAULT_CALLS:-open,write,fsync,rename,lock}
FAULT_STRICT=${FAULT_STRICT:-sysctl}
FAULT_POINTS=0		# injected failures checked, over every sweep
FAULT_TRIALS=0
SC_KEYS="kernel/shmmax kernel/shmall kernel/shmmni kernel/shm_rmid_forced
kernel/sem kernel/msgmax kernel/msgmnb kernel/msgmni fs/mqueue/queues_max
fs/mqueue/msg_max fs/mqueue/msgsize_max fs/mqueue/msg_default
fs/mqueue/msgsize_default"

# The profiles of the concurrency and kill -9 tests: prof_write FILE V
# writes one whose six values follow from V; prof_vals gives the running
# values of those keys, and prof_expect V what prof_write FILE V sets,
# both as "v1;v2;...;".
PROF_KEYS="kernel/shmmni kernel/msgmax kernel/msgmnb kernel/msgmni kernel/sem fs/mqueue/msg_max"
prof_write() {
	cat >"$1" <<X
[sysctl]
kernel.shmmni = $2
kernel.msgmax = $(($2 * 10))
kernel.msgmnb = $(($2 * 20))
kernel.msgmni = $(($2 / 4))
kernel.sem = 250  $(($2 * 10))  100  $(($2 / 8))
fs.mqueue.msg_max = $(($2 / 100))
X
}
prof_vals() {
	for k in $PROF_KEYS; do
		printf '%s;' "$(tr '\t' ' ' <"/proc/sys/$k")"
	done
}
prof_expect() {
	echo "$1;$(($1 * 10));$(($1 * 20));$(($1 / 4));250 $(($1 * 10)) 100 $(($1 / 8));$(($1 / 100));"
}

# Refuse to touch /proc/sys outside a private IPC namespace.
fault_ns_guard() {
	if [ "$(readlink /proc/self/ns/ipc)" = "$(readlink /proc/1/ns/ipc)" ]
	then
		echo "refusing to run in the host's IPC namespace" >&2
		exit 99
	fi
}

# sysctl_save FILE / sysctl_restore FILE: the IPC sysctls of this
# namespace.  Restoring writes fields that only grow first, so that
# every write is valid on its own.
sysctl_save() {
	for k in $SC_KEYS; do
		[ -r "/proc/sys/$k" ] || continue
		printf '%s %s\n' "$k" "$(tr '\t' ' ' <"/proc/sys/$k")"
	done >"$1"
}
sysctl_restore() {
	fault_ns_guard
	while read -r k v; do
		printf '%s\n' "$v" >"/proc/sys/$k" 2>/dev/null ||
		    echo "cannot restore $k to '$v'" >&2
	done <"$1"
}

# strerror text of an errno name, as the program prints it
errno_text() {
	case "$1" in
	EIO) echo "input/output error" ;;
	ENOSPC) echo "no space left on device" ;;
	EACCES) echo "permission denied" ;;
	EINTR) echo "interrupted system call" ;;
	EROFS) echo "read-only file system" ;;
	EDQUOT) echo "disk quota exceeded" ;;
	*) echo "$1" ;;
	esac
}

# times written into files (ISO 8601 and epoch members) are normalised,
# so that runs in different seconds compare equal
fs_digest() { fs_digest_default "$1"; }
fs_digest_default() {
	sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/TIME/g
	    s/("(applied_at|saved_at_unix|generated_at)": *)[0-9"TZ:-]+/\1T/g
	    s/("new_sha256": *)"[0-9a-f]+"/\1"H"/g' \
	    "$1" | sha256sum | cut -c1-16
}
fs_state_default() {
	while read -r k v; do
		echo "sysctl $k $v"
	done <"$TMPD/fs.sysctl"
	[ -d "$W" ] || return 0
	find "$W" -type f ! -name '*.lock' | LC_ALL=C sort | while read -r f
	do
		echo "file ${f#"$W"/} $(fs_digest "$f")"
	done
}
fs_state() { fs_state_default; }

# FAULTY CMD...: run CMD with the shim, as the current trial says
fault_exec() {
	env LD_PRELOAD="$FI_SO" IPCTUNE_FAULT_N="$FT_N" \
	    IPCTUNE_FAULT_ERRNO="$FT_ERRNO" IPCTUNE_FAULT_LOG="$FT_LOG" \
	    IPCTUNE_FAULT_PATHS="$FAULT_PATHS" IPCTUNE_FAULT_CALLS="$FAULT_CALLS" \
	    IPCTUNE_FAULT_STICKY="${FAULT_STICKY:-0}" \
	    ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" "$@"
}
FAULTY=fault_exec

# one trial: reset, setup, snapshot, run, snapshot.  Leaves $TMPD/ft.rc,
# ft.err, ft.before, ft.after, ft.log
fault_trial() {
	FT_N=$1
	FT_ERRNO=$2
	FT_LOG=$TMPD/ft.log
	rm -f "$FT_LOG"
	rm -rf "${W:?}"
	mkdir -p "$W"
	chmod 755 "$W"
	sysctl_restore "$TMPD/fs.baseline"
	fs_setup >"$TMPD/ft.setup" 2>&1 || {
		echo "setup failed:"
		cat "$TMPD/ft.setup"
		return 1
	}
	sysctl_save "$TMPD/fs.sysctl"
	fs_state >"$TMPD/ft.before"
	fs_run >"$TMPD/ft.out" 2>"$TMPD/ft.err"
	echo $? >"$TMPD/ft.rc"
	sysctl_save "$TMPD/fs.sysctl"
	fs_state >"$TMPD/ft.after"
	FAULT_TRIALS=$((FAULT_TRIALS + 1))
}

# compare BEFORE OK NOW RC: print every violated invariant
fault_compare() {
	{
		sed 's/^/B /' "$1"
		sed 's/^/O /' "$2"
		sed 's/^/N /' "$3"
	} | awk -v rc="$4" -v strict="^($FAULT_STRICT) " '
	{ tag = $1; key = $2 " " $3; val = $0
	  sub(/^[BON] [^ ]+ [^ ]+ ?/, "", val)
	  keys[key] = 1
	  if (tag == "B") b[key] = val
	  else if (tag == "O") o[key] = val
	  else n[key] = val }
	END {
	  for (k in keys) {
		vb = (k in b) ? b[k] : "(absent)"
		vo = (k in o) ? o[k] : "(absent)"
		vn = (k in n) ? n[k] : "(absent)"
		if (rc == 0) {
			if (vn != vo)
				print "exit 0 but " k " = " vn ", the fault-free run left " vo
		} else if (k ~ strict) {
			if (vn != vb)
				print "failed but " k " changed: " vb " -> " vn
		} else if (vn != vb && vn != vo) {
			print "failed and " k " is neither old (" vb ") nor new (" vo "): " vn
		}
	  } }'
}

# fault_sweep NAME: count the steps, then fail each step with each errno
fault_sweep() {
	_fs_name=$1
	sysctl_save "$TMPD/fs.baseline"
	if ! fault_trial 0 EIO; then
		fail "$_fs_name: setup"
		return
	fi
	cp "$TMPD/ft.after" "$TMPD/fs.ok"
	_fs_count=$(awk '{ if ($2 > m) m = $2 } END { print m + 0 }' \
	    "$FT_LOG" 2>/dev/null)
	_fs_rc=$(cat "$TMPD/ft.rc")
	if [ "$_fs_rc" != 0 ]; then
		fail "$_fs_name: the fault-free run failed (exit $_fs_rc)"
		sed 's/^/    /' "$TMPD/ft.err" | head -5
		return
	fi
	if [ "${_fs_count:-0}" -eq 0 ]; then
		fail "$_fs_name: no call under '$FAULT_PATHS' was counted"
		return
	fi
	if cmp -s "$TMPD/ft.before" "$TMPD/fs.ok"; then
		fail "$_fs_name: the fault-free run changed nothing to check"
		return
	fi
	echo "# $_fs_name: $_fs_count steps: $(awk '{ print $3 "(" $4 ") " $5 }' \
	    "$FT_LOG" | tr '\n' ' ' | cut -c1-900)"
	_fs_bad=0
	_fs_points=0
	for _fs_e in $FAULT_ERRNOS; do
		_fs_n=1
		while [ "$_fs_n" -le "$_fs_count" ]; do
			fault_trial "$_fs_n" "$_fs_e" || { _fs_bad=$((_fs_bad + 1)); _fs_n=$((_fs_n + 1)); continue; }
			_fs_points=$((_fs_points + 1))
			_fs_rc=$(cat "$TMPD/ft.rc")
			_fs_why=$(fault_compare "$TMPD/ft.before" "$TMPD/fs.ok" \
			    "$TMPD/ft.after" "$_fs_rc")
			_fs_step=$(awk -v n="$_fs_n" '$2 == n && $6 != "ok" { print $3 " " $4 " " $5; exit }' "$FT_LOG")
			[ -n "$_fs_step" ] || _fs_why="$_fs_why
step $_fs_n was not reached (the run made fewer calls)"
			if [ "$_fs_rc" -ge 124 ]; then
				_fs_why="$_fs_why
exit $_fs_rc: crash, timeout or sanitizer"
			elif [ "$_fs_rc" != 0 ]; then
				_fs_txt=$(errno_text "$_fs_e")
				_fs_msg=$TMPD/ft.err
				if [ "${FAULT_MSG_STDOUT:-0}" = 1 ]; then
					cat "$TMPD/ft.err" "$TMPD/ft.out" \
					    >"$TMPD/ft.msg"
					_fs_msg=$TMPD/ft.msg
				else
					grep -q '^ipctune: ' "$TMPD/ft.err" ||
					    _fs_why="$_fs_why
no 'ipctune: ' message"
				fi
				grep -qi "$_fs_txt" "$_fs_msg" ||
				    _fs_why="$_fs_why
the message does not say '$_fs_txt'"
			fi
			if [ -n "$_fs_why" ]; then
				_fs_bad=$((_fs_bad + 1))
				echo "FAIL - $_fs_name: $_fs_e at step $_fs_n ($_fs_step), exit $_fs_rc:"
				echo "$_fs_why" | sed '/^$/d; s/^/    /' | head -8
				sed 's/^/    stderr: /' "$TMPD/ft.err" | head -4
			fi
			_fs_n=$((_fs_n + 1))
		done
	done
	FAULT_POINTS=$((FAULT_POINTS + _fs_points))
	if [ "$_fs_bad" -eq 0 ]; then
		ok "$_fs_name: $_fs_count steps x $(echo $FAULT_ERRNOS | wc -w) errnos, every invariant held"
	else
		T_FAIL=$((T_FAIL + 1))
		echo "FAIL - $_fs_name: $_fs_bad of $_fs_points injected failures broke an invariant"
	fi
}
