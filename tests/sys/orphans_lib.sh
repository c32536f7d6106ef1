# Helpers shared by t_orphans.sh and t_clean.sh.  Each scenario is a
# shell function run in its own private IPC, PID and mount namespace
# (unshare --ipc --pid --fork --mount-proc), so PIDs can be reused on
# purpose with ns_last_pid and nothing reaches the host's IPC objects.
H=$BUILD/tests/ipchelper_orphans
export H
# clean records its own accesses in the state directory: the test's own
IPCTUNE_STATE_DIR=$TMPD/state
export IPCTUNE_STATE_DIR

# wait_file FILE: wait up to 60 s until FILE is not empty
wait_file() {
	_i=0
	while [ ! -s "$1" ] && [ $_i -lt 1200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	[ -s "$1" ]
}

# run_ns SCRIPT SCENARIO: run function SCENARIO of SCRIPT in fresh
# namespaces and add its ok/FAIL lines to the counts
run_ns() {
	_out=$(unshare --ipc --pid --fork --mount-proc \
	    sh "$1" --scenario "$2" 2>&1)
	echo "$_out"
	T_PASS=$((T_PASS + $(echo "$_out" | grep -c '^ok - ')))
	T_FAIL=$((T_FAIL + $(echo "$_out" | grep -c '^FAIL - ')))
	echo "$_out" | grep -q "^scenario $2 done" ||
	    fail "$2: scenario did not finish"
}

# scenario_main: when called as 'SCRIPT --scenario NAME', run NAME
# (already inside the namespaces) and exit
scenario_main() {
	if [ "${1:-}" = --scenario ]; then
		"$2"
		echo "scenario $2 done"
		exit 0
	fi
}
