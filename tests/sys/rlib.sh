# Helpers for the reliability suites (hostile input, privileges, fault
# injection, concurrency).  Source after lib.sh.

# Is the program built with AddressSanitizer?  (ASan reserves terabytes
# of shadow address space, so an address-space limit cannot apply.)
is_asan() { grep -q __asan_init "$TOP/ipctune" 2>/dev/null; }

# Is the program under test wrapped in valgrind (tests/valgrind.sh)?
is_valgrind() { case "$IPCTUNE" in *valgrind*) return 0 ;; esac; return 1; }

# scaled N: N, or N/20 under valgrind (some 20 to 50 times slower), so
# the big-input cases keep their shape and finish in time.
scaled() { if is_valgrind; then echo $(($1 / 20)); else echo "$1"; fi; }

# run_limited CMD...: run CMD with at most LIMIT_SECONDS (default 30) of
# wall time and LIMIT_AS_MB (default 1024) MiB of address space; under
# ASan the allocator caps single allocations instead; under valgrind
# only the time limit applies.
run_limited() {
	_secs=${LIMIT_SECONDS:-30}
	_mb=${LIMIT_AS_MB:-1024}
	if is_valgrind; then
		timeout -s KILL "$_secs" "$@"
	elif is_asan; then
		ASAN_OPTIONS="${ASAN_OPTIONS:-}:max_allocation_size_mb=$_mb:allocator_may_return_null=0" \
		    timeout -s KILL "$_secs" "$@"
	else
		timeout -s KILL "$_secs" prlimit --as=$((_mb << 20)) -- "$@"
	fi
}

# have_cmd NAME: the program under test has the command NAME.
have_cmd() { "$IPCTUNE" __complete commands 2>/dev/null | grep -qx "$1"; }

# pending DESCRIPTION: a check whose subject has not been built yet.
# Listed so the gap shows; counted neither as passed nor as failed.
T_PENDING=${T_PENDING:-0}
pending() { T_PENDING=$((T_PENDING + 1)); echo "pending - $*"; }

# hostile DESCRIPTION WANT PATTERN CMD...: CMD (limited as above) exits
# with status WANT (not a signal, not a timeout), says 'ipctune: ' on
# stderr with PATTERN (fixed string) in it, and leaves no core.
hostile() {
	_d=$1
	_want=$2
	_pat=$3
	shift 3
	run_limited "$@" >"$TMPD/h.out" 2>"$TMPD/h.err"
	_rc=$?
	if [ "$_rc" -ge 124 ]; then
		fail "$_d: exit $_rc (timeout, signal or sanitizer)"
		sed 's/^/    /' "$TMPD/h.err" | head -8
		return
	fi
	if [ "$_rc" != "$_want" ]; then
		fail "$_d: exit $_rc, expected $_want"
		sed 's/^/    /' "$TMPD/h.err" | head -5
		return
	fi
	if [ "$_want" != 0 ] && ! grep -q '^ipctune: ' "$TMPD/h.err"; then
		fail "$_d: no 'ipctune: ' message on stderr"
		sed 's/^/    /' "$TMPD/h.err" | head -5
		return
	fi
	# case-insensitive: strerror texts are lower-cased by some modules
	if [ -n "$_pat" ] && ! grep -qiF -- "$_pat" "$TMPD/h.err"; then
		fail "$_d: message lacks '$_pat'"
		sed 's/^/    /' "$TMPD/h.err" | head -5
		return
	fi
	ok "$_d"
}
