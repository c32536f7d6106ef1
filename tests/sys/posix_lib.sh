# The setup the POSIX suites share, sourced after lib.sh: private PID,
# IPC and mount namespaces with a tmpfs of SIZE (default 64m) at /dev/shm
# and their own mqueue at /dev/mqueue, and helpers that hold objects.
# Usage: . posix_lib.sh; posix_setup [SIZE]
PH=$BUILD/tests/posixhelper
PIDS=
posix_setup() {
	enter_private_ns pid
	mount -t tmpfs -o "size=${1:-64m},mode=1777" tmpfs /dev/shm || exit 1
	mkdir -p /dev/mqueue && mount -t mqueue none /dev/mqueue || exit 1
}
# phold FILE ARGS...: posixhelper ARGS... hold in the background, ready
phold() {
	out=$1
	shift
	"$PH" "$@" hold >"$out" 2>&1 &
	PHELD=$!
	PIDS="$PIDS $PHELD"
	i=0
	while ! grep -q '^ready$' "$out" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 3000 ] || ! kill -0 "$PHELD" 2>/dev/null; then
			cat "$out" >&2
			return 1
		fi
		sleep 0.01
	done
}
# as UID CMD...: run CMD as UID
as() {
	u=$1
	shift
	setpriv --reuid="$u" --regid="$u" --clear-groups "$@"
}
