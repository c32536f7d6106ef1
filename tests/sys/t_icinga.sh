#!/bin/sh
# The monitoring definitions with the real daemons, each in private
# namespaces (the host's /run, /var/lib/icinga2, /usr/lib/nagios/plugins
# and network are not touched):
# - contrib/icinga2: 'icinga2 daemon -C' validates the CheckCommand and
#   the example service; then a real icinga2 daemon runs the check
#   through check_ipctune as its own user, with the CheckCommand's
#   arguments (an array repeated, a threshold, a flag), and its perfdata
#   writer records the state, output and perfdata of 'ipctune check';
# - contrib/nagios/ipctune.cfg: 'nagios4 -v' accepts the command and
#   service definitions;
# - contrib/nagios/nrpe-ipctune.cfg: a real nrpe serves check_ipctune
#   to check_nrpe on a private loopback.
# A broken CheckCommand must fail the validation.
. "$(dirname "$0")/lib.sh"

for t in icinga2 nagios4 nrpe; do
	command -v $t >/dev/null 2>&1 || {
		fail "$t not found (Debian packages icinga2-bin, nagios4-core," \
		    "nagios-nrpe-server, nagios-nrpe-plugin; make deps)"
		finish
		exit 1
	}
done
NRPE_CHECK=/usr/lib/nagios/plugins/check_nrpe
[ -x "$NRPE_CHECK" ] || fail "check_nrpe not found (nagios-nrpe-plugin)"
id nagios >/dev/null 2>&1 || fail "no user nagios (icinga2-common)"
chmod 755 "$TMPD"
P=$TMPD/plugins
mkdir -p "$P" "$TMPD/perf"
# check_ipctune as 'make install' writes it, running the program tested
sed "s|@sbindir@/ipctune|$IPCTUNE|g" "$TOP/contrib/nagios/check_ipctune.in" \
    >"$P/check_ipctune"
chmod 755 "$P" "$P/check_ipctune"
chown nagios "$TMPD/perf"

# every option of 'ipctune check' (its own, not the global ones) is an
# argument of the CheckCommand, by its long or its short name
missing=
for o in $("$IPCTUNE" check -h | sed -n '/^Options:/,/^$/p' |
    sed -n 's/^ *\(-[a-z], \)\{0,1\}\(--[a-z-]*\).*/\1\2/p' |
    tr -d ' '); do
	long=${o#*,}
	short=${o%%,*}
	grep -q "\"$long\" = {" "$TOP/contrib/icinga2/ipctune.conf" ||
	    { [ "$short" != "$o" ] &&
	    grep -q "\"$short\" = {" "$TOP/contrib/icinga2/ipctune.conf"; } ||
	    missing="$missing $long"
done
expect_eq "the CheckCommand offers every option of 'ipctune check'" "" \
    "$missing"

# -- Icinga 2
cat >"$TMPD/icinga2.conf" <<EOF
const PluginDir = "$P"
const NodeName = "ipctune-test"
const ZoneName = "ipctune-test"
include <itl>
include <plugins>
include "$TOP/contrib/icinga2/ipctune.conf"
include "$TOP/contrib/icinga2/ipctune-service.conf"
object Host "db1" {
	check_command = "dummy"
	address = "127.0.0.1"
	vars.os = "Linux"
}
EOF
cp "$TMPD/icinga2.conf" "$TMPD/icinga2-run.conf"
cat >>"$TMPD/icinga2-run.conf" <<EOF
object CheckerComponent "checker" { }
object PerfdataWriter "perfdata" {
	service_perfdata_path = "$TMPD/perf/service"
	service_temp_path = "$TMPD/perf/service.tmp"
	host_perfdata_path = "$TMPD/perf/host"
	host_temp_path = "$TMPD/perf/host.tmp"
	rotation_interval = 1s
	service_format_template = "STATE::\$service.state\$\\tOUTPUT::\$service.output\$\\tPERF::\$service.perfdata\$"
}
object Service "ipc-now" {
	host_name = "db1"
	check_command = "ipctune"
	check_interval = 1s
	vars.ipctune_resources = [ "shmmni", "semmni" ]
	vars.ipctune_warning = "50%"
	vars.ipctune_no_orphans = true
}
EOF
# icinga_ns SCRIPT: SCRIPT in private IPC, mount and PID namespaces with
# Icinga's state, cache, log, spool and run directories on tmpfs
icinga_ns() {
	unshare --ipc --mount --propagation private --pid --fork --mount-proc \
	    sh -c "
	mount -t tmpfs tmpfs /run || exit 1
	for d in /var/lib/icinga2 /var/cache/icinga2 /var/log/icinga2 \
	    /var/spool/icinga2; do
		[ -d \$d ] || continue
		mount -t tmpfs -o mode=0750,uid=$(id -u nagios),gid=$(id -g nagios) \
		    tmpfs \$d || exit 1
	done
	mkdir -p /run/icinga2/cmd
	chown -R nagios:nagios /run/icinga2
	$1"
}
icinga_ns "icinga2 daemon -C -c '$TMPD/icinga2.conf'" >"$TMPD/ic.out" 2>&1
expect_eq "icinga2 daemon -C accepts ipctune.conf and ipctune-service.conf" \
    0 $?
expect_match "... with the CheckCommand and the applied service" \
    'Instantiated 1 Service' "$TMPD/ic.out"
sed 's/repeat_key = true/repeat_key = yes_please/' \
    "$TOP/contrib/icinga2/ipctune.conf" >"$TMPD/broken.conf"
sed "s|$TOP/contrib/icinga2/ipctune.conf|$TMPD/broken.conf|" \
    "$TMPD/icinga2.conf" >"$TMPD/icinga2-broken.conf"
icinga_ns "icinga2 daemon -C -c '$TMPD/icinga2-broken.conf'" \
    >"$TMPD/icb.out" 2>&1 &&
    fail "icinga2 daemon -C accepts a broken CheckCommand" ||
    ok "icinga2 daemon -C rejects a broken CheckCommand"

# the daemon runs the check: shmmni at 6 of 10 is WARNING with -w 50%
icinga_ns "
	echo 10 >/proc/sys/kernel/shmmni
	for i in 1 2 3 4 5 6; do ipcmk -M 4096 >/dev/null; done
	icinga2 daemon -c '$TMPD/icinga2-run.conf' >'$TMPD/daemon.log' 2>&1 &
	dp=\$!
	i=0
	# (kept as found: a rotation in the same second at shutdown
	# replaces the file)
	until cat '$TMPD'/perf/service.[0-9]* >'$TMPD/perf.txt' 2>/dev/null
	    grep -q 'OUTPUT::.' '$TMPD/perf.txt' || [ \$i -gt 150 ]; do
		sleep 0.2
		i=\$((i + 1))
	done
	kill \$dp
	wait \$dp
"
# (the output's second line, the long output, joined to the first)
tr '\n' ' ' <"$TMPD/perf.txt" |
    sed 's/ STATE::/\nSTATE::/g' | grep 'OUTPUT::.' | head -1 >"$TMPD/result"
expect_match "icinga2 ran check_ipctune: WARNING, as its own user" \
    '^STATE::WARNING	OUTPUT::IPC WARNING - shmmni 60.0% \(6 of 10 segments' \
    "$TMPD/result"
expect_match "... with the CheckCommand's arguments (two resources, -w 50%)" \
    'PERF::shmmni=6;5;9.5;0;10 semmni=0;[0-9.]*;[0-9.]*;0;[0-9]* *$' \
    "$TMPD/result"

# -- Nagios 4
mkdir -p "$TMPD/nagios/cr"
chown -R nagios "$TMPD/nagios"
cat >"$TMPD/nagios/objects.cfg" <<'EOF'
define timeperiod {
    timeperiod_name 24x7
    alias           always
    monday          00:00-24:00
    tuesday         00:00-24:00
    wednesday       00:00-24:00
    thursday        00:00-24:00
    friday          00:00-24:00
    saturday        00:00-24:00
    sunday          00:00-24:00
}
define command {
    command_name    notify-nobody
    command_line    /bin/true
}
define contact {
    contact_name                    admin
    host_notifications_enabled      0
    service_notifications_enabled   0
    host_notification_period        24x7
    service_notification_period     24x7
    host_notification_options       n
    service_notification_options    n
    host_notification_commands      notify-nobody
    service_notification_commands   notify-nobody
}
define service {
    name                    generic-service
    register                0
    max_check_attempts      3
    check_interval          5
    retry_interval          1
    check_period            24x7
    notification_interval   0
    notification_period     24x7
    contacts                admin
}
define hostgroup {
    hostgroup_name  linux-servers
}
define host {
    host_name               db1
    address                 127.0.0.1
    hostgroups              linux-servers
    max_check_attempts      3
    check_period            24x7
    notification_interval   0
    notification_period     24x7
    contacts                admin
}
EOF
cat >"$TMPD/nagios/nagios.cfg" <<EOF
log_file=$TMPD/nagios/nagios.log
cfg_file=$TMPD/nagios/objects.cfg
cfg_file=$TOP/contrib/nagios/ipctune.cfg
resource_file=$TMPD/nagios/resource.cfg
status_file=$TMPD/nagios/status.dat
check_result_path=$TMPD/nagios/cr
lock_file=$TMPD/nagios/nagios.lock
temp_file=$TMPD/nagios/nagios.tmp
object_cache_file=$TMPD/nagios/objects.cache
precached_object_file=$TMPD/nagios/objects.precache
state_retention_file=$TMPD/nagios/retention.dat
command_file=$TMPD/nagios/nagios.cmd
EOF
cat >>"$TMPD/nagios/nagios.cfg" <<'EOF'
illegal_macro_output_chars=`~$&|'"<>
EOF
echo "\$USER1\$=$P" >"$TMPD/nagios/resource.cfg"
nagios4 -v "$TMPD/nagios/nagios.cfg" >"$TMPD/nagios.out" 2>&1
expect_eq "nagios4 -v accepts contrib/nagios/ipctune.cfg" 0 $?
grep -q 'Total Warnings: 0' "$TMPD/nagios.out" &&
    ok "... without warnings" ||
    fail "nagios4 -v warns: $(grep -i warning "$TMPD/nagios.out" | head -3)"
expect_match "... with both commands and the service" \
    'Checked 1 services' "$TMPD/nagios.out"

# -- NRPE: the shipped command line, served on a private loopback; the
# plugin directory of that namespace holds check_ipctune and check_nrpe
cp "$NRPE_CHECK" "$P/"
port=$((30000 + $$ % 10000))
cat >"$TMPD/nrpe.cfg" <<EOF
server_address=127.0.0.1
server_port=$port
allowed_hosts=127.0.0.1
nrpe_user=nagios
nrpe_group=nagios
pid_file=$TMPD/nrpe.pid
dont_blame_nrpe=0
command_timeout=60
include=$TOP/contrib/nagios/nrpe-ipctune.cfg
EOF
unshare --ipc --mount --net --propagation private --pid --fork --mount-proc \
    sh -c "
	ip link set lo up
	mount --bind '$P' /usr/lib/nagios/plugins || exit 1
	echo 10 >/proc/sys/kernel/shmmni
	for i in 1 2 3 4 5 6 7 8 9 10; do ipcmk -M 4096 >/dev/null; done
	nrpe -c '$TMPD/nrpe.cfg' -f >'$TMPD/nrpe.log' 2>&1 &
	np=\$!
	i=0
	until '$P/check_nrpe' -H 127.0.0.1 -p $port >/dev/null 2>&1 ||
	    [ \$i -gt 300 ]; do
		sleep 0.1
		i=\$((i + 1))
	done
	'$P/check_nrpe' -H 127.0.0.1 -p $port -t 60 -c check_ipctune \
	    >'$TMPD/nrpe.out' 2>&1
	echo \$? >'$TMPD/nrpe.rc'
	kill \$np
	wait \$np
"
expect_eq "check_nrpe -c check_ipctune: CRITICAL (2) at 10 of 10 segments" \
    2 "$(cat "$TMPD/nrpe.rc" 2>/dev/null)"
expect_match "... the plugin's line through NRPE" \
    '^IPC CRITICAL - shmmni 100.0% \(10 of 10 segments' "$TMPD/nrpe.out"
finish
