#!/bin/sh
# The Prometheus side of ipctune, each with the real tool:
# contrib/prometheus/ipctune-rules.yml passes 'promtool check rules', and
# 'promtool test rules' runs it over series built from REAL output
# (captures of 'status --format prometheus' in a private IPC and PID
# namespace: idle, semaphore arrays leaking step by step, semmni at 95%,
# orphaned arrays, then a textfile no longer rewritten), expecting each
# alert when it must fire and not before; the rules with a metric renamed
# must fail that test.  The Grafana dashboard's queries use only metric
# and label names the real output has, parse as PromQL and return data
# on those series.  ipctune-textfile.service's command, run as written
# in a private mount namespace, leaves a textfile node_exporter (as its
# own user) serves without a scrape error.
. "$(dirname "$0")/lib.sh"

for t in promtool prometheus-node-exporter; do
	command -v $t >/dev/null 2>&1 || {
		fail "$t not found (Debian packages prometheus,"\
		    "prometheus-node-exporter; make deps)"
		finish
		exit 1
	}
done
RULES=$TOP/contrib/prometheus/ipctune-rules.yml
DASH=$TOP/contrib/grafana/ipctune-dashboard.json
check "promtool check rules ipctune-rules.yml" promtool check rules "$RULES"

# -- captures: semmni lowered to 20, arrays of one semaphore each held
# (and operated on) by a live process, so that they are in use; then
# the arrays of a killed process, orphaned
C=$TMPD/cap
mkdir -p "$C"
unshare --ipc --mount --propagation private --pid --fork --mount-proc \
    sh -c "
	echo '250 32000 32 20' >/proc/sys/kernel/sem
	st() { '$IPCTUNE' status --pid \$\$ --orphan-min-age 0 \
	    --format prometheus >\"\$1\"; }
	pids=
	add() {
		'$HELPER' sem nsems=1 semop=1 hold >'$C/h.out' 2>&1 &
		pids=\"\$pids \$!\"
		j=0
		until grep -q '^ready\$' '$C/h.out'; do
			j=\$((j + 1))
			[ \$j -gt 500 ] && { cat '$C/h.out' >&2; exit 1; }
			sleep 0.01
		done
	}
	st '$C/idle.prom'
	i=1
	while [ \$i -le 10 ]; do
		add
		st '$C/ramp'\$i.prom
		i=\$((i + 1))
	done
	while [ \$i -le 19 ]; do add; i=\$((i + 1)); done
	st '$C/full.prom'
	kill \$pids
	wait
	ipcrm --all=sem
	'$HELPER' -q sem nsems=1 count=3 semop=1 die >/dev/null 2>&1
	st '$C/orphans.prom'
	echo '250 32000 0 20' >/proc/sys/kernel/sem
	st '$C/zero.prom'
" || fail "the captures failed"
expect_eq "capture: semmni at 19 of 20" 0.95 "$(sed -n \
    's/^ipctune_used_ratio{resource="semmni",ipc_ns="[0-9]*"} //p' \
    "$C/full.prom")"
expect_eq "capture: 3 orphaned arrays" 3 "$(sed -n \
    's/^ipctune_orphaned_objects{resource="semmni",ipc_ns="[0-9]*"} //p' \
    "$C/orphans.prom")"

# minutes: 0-59 idle, 60-259 ramp (10 x 20), 260-379 full,
# 380-499 orphans, 500-519 SEMOPM 0, 520-559 the same file, no longer
# rewritten
phases="$C/idle.prom:60"
for i in 1 2 3 4 5 6 7 8 9 10; do phases="$phases $C/ramp$i.prom:20"; done
phases="$phases $C/full.prom:120 $C/orphans.prom:120 $C/zero.prom:20 stale:40"
"$PYTHON" "$TOP/tests/sys/promseries.py" "$TMPD/series.json" $phases ||
    fail "promseries.py failed"

# the expectations (alert, time, labels, annotations)
"$PYTHON" - "$TMPD/series.json" "$RULES" "$DASH" "$TMPD" <<'EOF'
import json, re, sys
series, rules, dash, out = sys.argv[1:5]
s = json.load(open(series))
lab = {"instance": "db1:9100", "job": "node"}
inst = lab["instance"]
# every series carries the IPC namespace of the captures
ns = {re.search(r'ipc_ns="([0-9]+)"', x["series"]).group(1)
      for x in s["series"] if "ipc_ns=" in x["series"]}
assert len(ns) == 1, ns
ipc_ns = {"ipc_ns": ns.pop()}

def alert(name, sev, extra, summary, desc):
    l = dict(lab, severity=sev, **ipc_ns, **extra)
    return {"exp_labels": l, "exp_annotations": {
        "summary": summary, "description": desc}}

DESC = {}
for g in __import__("yaml").safe_load(open(rules))["groups"]:
    for r in g["rules"]:
        if "alert" in r:
            DESC[r["alert"]] = r["annotations"]["description"]
sem = {"resource": "semmni"}
tests = []
def at(minute, name, alerts):
    tests.append({"eval_time": "%dm" % minute, "alertname": name,
                  "exp_alerts": alerts})
# idle: nothing
for n in DESC:
    at(50, n, [])
# the leak: a rising trend, far from the limit
at(200, "IpcResourceRunsOut", [alert("IpcResourceRunsOut", "warning", sem,
    "semmni on %s runs out within 7 days at the present trend" % inst,
    DESC["IpcResourceRunsOut"])])
at(120, "IpcResourceRunsOut", [])          # 'for: 1h' not yet over
at(200, "IpcResourceNearLimit", [])
# 95%: critical after 5 minutes, warning after 15
full = "semmni is 95% used on " + inst
at(263, "IpcResourceExhausted", [])
at(270, "IpcResourceExhausted", [alert("IpcResourceExhausted", "critical",
    sem, full, DESC["IpcResourceExhausted"])])
at(270, "IpcResourceNearLimit", [])
at(300, "IpcResourceNearLimit", [alert("IpcResourceNearLimit", "warning",
    sem, full, DESC["IpcResourceNearLimit"])])
# orphans: after an hour
at(430, "IpcOrphanedObjects", [])
at(450, "IpcOrphanedObjects", [alert("IpcOrphanedObjects", "warning", sem,
    "3 orphaned objects count against semmni on " + inst,
    DESC["IpcOrphanedObjects"])])
at(450, "IpcResourceExhausted", [])
# SEMOPM 0 from minute 500: critical after 5 minutes
at(450, "IpcLimitAdmitsNothing", [])
at(503, "IpcLimitAdmitsNothing", [])
at(510, "IpcLimitAdmitsNothing", [alert("IpcLimitAdmitsNothing",
    "critical", {"resource": "semopm"},
    "semopm is 0 on %s: every call it bounds fails" % inst,
    DESC["IpcLimitAdmitsNothing"])])
# the textfile not rewritten since minute 519
at(525, "IpctuneTextfileStale", [])
at(550, "IpctuneTextfileStale", [alert("IpctuneTextfileStale", "warning",
    {}, "ipctune's textfile on %s was last written 31m 0s ago" % inst,
    DESC["IpctuneTextfileStale"])])
at(510, "IpctuneTextfileStale", [])

promql = [
    {"expr": "instance:ipctune_used_ratio:max", "eval_time": "300m",
     "exp_samples": [{"labels": "instance:ipctune_used_ratio:max"
                      '{instance="db1:9100",job="node"}', "value": 0.95}]},
    {"expr": "instance:ipctune_orphaned_objects:sum", "eval_time": "450m",
     "exp_samples": [{"labels": "instance:ipctune_orphaned_objects:sum"
                      '{instance="db1:9100",job="node"}', "value": 3}]},
    {"expr": "instance:ipctune_textfile_age_seconds", "eval_time": "550m",
     "exp_samples": [{"labels": "instance:ipctune_textfile_age_seconds"
                      '{instance="db1:9100",job="node"}', "value": 1860}]},
]
test = {"rule_files": [rules], "evaluation_interval": "1m", "tests": [{
    "interval": "1m", "input_series": s["series"],
    "alert_rule_test": tests, "promql_expr_test": promql}]}
json.dump(test, open(out + "/test.yml", "w"), indent=1)

# the dashboard: every query as an alert 'absent(QUERY)' that must not
# fire where the captures have data
d = json.load(open(dash))
exprs = []
def walk(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k == "expr" and isinstance(v, str):
                exprs.append(v)
            walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
walk(d)
with open(out + "/dash.exprs", "w") as f:
    for e in exprs:
        f.write(e.replace("\n", " ") + "\n")
qrules = {"groups": [{"name": "dashboard", "rules": [
    {"alert": "DashboardQuery%d" % i,
     "expr": "absent(%s)" % e.replace("$instance", ".*")
                              .replace("$__rate_interval", "5m")}
    for i, e in enumerate(exprs)]}]}
json.dump(qrules, open(out + "/dash-rules.yml", "w"), indent=1)
qt = {"rule_files": [out + "/dash-rules.yml"], "evaluation_interval": "1m",
      "tests": [{"interval": "1m", "input_series": s["series"],
                 "alert_rule_test": [
                     {"eval_time": "%dm" % m, "alertname":
                      "DashboardQuery%d" % i, "exp_alerts": []}
                     for i in range(len(exprs)) for m in (300, 450)]}]}
json.dump(qt, open(out + "/dash-test.yml", "w"), indent=1)
EOF
[ -s "$TMPD/test.yml" ] || fail "the test file was not written"
if promtool test rules "$TMPD/test.yml" >"$TMPD/pt.out" 2>&1; then
	ok "promtool test rules: every alert and recording rule on the real series"
else
	fail "promtool test rules:"
	sed 's/^/    /' "$TMPD/pt.out" | head -40
fi
# the same test must fail when the rules no longer match the output
sed 's/ipctune_used_ratio/ipctune_usage_ratio/' "$RULES" >"$TMPD/broken.yml"
sed "s|$RULES|$TMPD/broken.yml|" "$TMPD/test.yml" >"$TMPD/broken-test.yml"
promtool test rules "$TMPD/broken-test.yml" >/dev/null 2>&1 &&
    fail "a metric renamed in the rules still passes the test" ||
    ok "the rules with a metric renamed fail the test"

# -- the Grafana dashboard against the real output
n=$(wc -l <"$TMPD/dash.exprs")
[ "$n" -ge 5 ] && ok "the dashboard has $n queries" ||
    fail "the dashboard has $n queries"
cat "$C"/*.prom | sed -n 's/^\([a-z_]*\)[{ ].*/\1/p' | sort -u \
    >"$TMPD/metrics"
{ cat "$C"/*.prom | grep -v '^#' | grep -o '[a-z_]*="' | tr -d '="'
  echo instance; echo job; } | sort -u >"$TMPD/labels"
"$PYTHON" - "$DASH" "$TMPD/metrics" "$TMPD/labels" >"$TMPD/names" <<'EOF'
import json, re, sys
dash, metrics, labels = sys.argv[1:4]
metrics = set(open(metrics).read().split())
labels = set(open(labels).read().split())
FUNCS = {"max", "min", "sum", "avg", "count", "by", "without", "time",
         "predict_linear", "label_values", "topk", "bottomk", "on",
         "ignoring", "and", "or", "unless", "group_left", "group_right",
         "clamp_max", "clamp_min", "max_over_time", "min_over_time",
         "avg_over_time", "deriv", "sort_desc", "sort", "bool", "offset",
         "abs", "vector", "scalar", "changes", "resets", "last_over_time"}
d = json.load(open(dash))
queries, legends = [], []
def walk(o):
    if isinstance(o, dict):
        if o.get("type") == "datasource":
            return                              # picks a data source
        for k, v in o.items():
            if k in ("expr", "query") and isinstance(v, str):
                queries.append(v)
            elif k in ("definition",) and isinstance(v, str):
                queries.append(v)
            elif k == "legendFormat" and isinstance(v, str):
                legends.append(v)
            walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
walk(d)
bad = []
for q in queries:
    body = re.sub(r'"[^"]*"', '""', q)           # string values
    body = re.sub(r'\[[^\]]*\]', '', body)       # ranges
    body = re.sub(r'\$[a-zA-Z_]+', '', body)     # dashboard variables
    used_labels = set()
    for sel in re.findall(r'\{([^}]*)\}', body):
        used_labels |= set(re.findall(r'([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)',
                                      sel))
    for grp in re.findall(r'\b(?:by|without|on|ignoring)\s*\(([^)]*)\)',
                          body):
        used_labels |= set(re.findall(r'[a-zA-Z_]\w*', grp))
    m = re.match(r'label_values\(\s*([a-zA-Z_:]\w*)\s*,\s*(\w+)\s*\)', q)
    if m:
        used_labels.add(m.group(2))
    rest = re.sub(r'\{[^}]*\}', ' ', body)
    rest = re.sub(r'\b(?:by|without|on|ignoring)\s*\([^)]*\)', ' ', rest)
    rest = re.sub(r'label_values\(\s*[a-zA-Z_:]\w*\s*,\s*\w+\s*\)',
                  lambda x: x.group(0).split(',')[0], rest)
    names = set(re.findall(r'[a-zA-Z_:][a-zA-Z0-9_:]*', rest)) - FUNCS
    names = {n for n in names if not re.fullmatch(r'[0-9.e]+', n)}
    for n in sorted(names):
        print("metric %s %s" % (n, "ok" if n in metrics else "UNKNOWN"))
        if n not in metrics:
            bad.append(n)
    for l in sorted(used_labels):
        print("label %s %s" % (l, "ok" if l in labels else "UNKNOWN"))
        if l not in labels:
            bad.append(l)
for lg in legends:
    for l in re.findall(r'\{\{\s*(\w+)\s*\}\}', lg):
        print("legend %s %s" % (l, "ok" if l in labels else "UNKNOWN"))
        if l not in labels:
            bad.append(l)
sys.exit(1 if bad else 0)
EOF
rc=$?
expect_eq "the dashboard uses only metric and label names of the real output" \
    "0 " "$rc $(grep UNKNOWN "$TMPD/names" | sort -u | tr '\n' ' ')"
expect_eq "... and uses $(wc -l <"$TMPD/metrics") of them" \
    "$(wc -l <"$TMPD/metrics")" \
    "$(sed -n 's/^metric \([a-z_]*\) ok$/\1/p' "$TMPD/names" | sort -u |
    wc -l)"
check "promtool check rules: every dashboard query parses as PromQL" \
    promtool check rules "$TMPD/dash-rules.yml"
if promtool test rules "$TMPD/dash-test.yml" >"$TMPD/dt.out" 2>&1; then
	ok "every dashboard query returns data on the real series"
else
	fail "dashboard queries without data:"
	sed 's/^/    /' "$TMPD/dt.out" | head -20
fi

# -- ipctune-textfile.service's command, as written, and node_exporter
U=$TOP/contrib/systemd/ipctune-textfile.service
cmd=$(sed -n 's/^ExecStart=//p' "$U")
dir=$(sed -n 's/^ReadWritePaths=//p' "$U")
case "$cmd" in
*" --output $dir/"*) ok "the service writes into its one writable directory" ;;
*) fail "ExecStart does not write into ReadWritePaths: $cmd" ;;
esac
grep -q '^OnUnitActiveSec=1min$' "${U%.service}.timer" &&
    ok "the timer starts it every minute" || fail "the timer's interval"
cmd=$(printf '%s\n' "$cmd" | sed "s|^/usr/sbin/ipctune |$IPCTUNE |")
port=$((20000 + $$ % 10000))
# (a private network namespace: the port is free whatever the host runs)
unshare --ipc --mount --net --propagation private sh -c "
	ip link set lo up || exit 1
	mkdir -p '$dir' 2>/dev/null
	mount -t tmpfs -o mode=0755 tmpfs '$dir' || exit 1
	umask 077
	$cmd || exit 2
	stat -c '%a %U' '$dir/ipctune.prom' >'$TMPD/mode'
	setpriv --reuid=prometheus --regid=prometheus --clear-groups \
	    prometheus-node-exporter --web.listen-address=127.0.0.1:$port \
	    --collector.disable-defaults --collector.textfile \
	    --collector.textfile.directory='$dir' >'$TMPD/ne.log' 2>&1 &
	ne=\$!
	i=0
	until '$PYTHON' -c 'import urllib.request, sys
sys.stdout.write(urllib.request.urlopen(\"http://127.0.0.1:$port/metrics\").read().decode())' \
	    >'$TMPD/scrape' 2>/dev/null || [ \$i -gt 300 ]; do
		sleep 0.1
		i=\$((i + 1))
	done
	kill \$ne
	wait \$ne 2>/dev/null
	exit 0
"
expect_eq "the service's command ran in a private namespace" 0 $?
expect_eq "... the textfile is 0644 whatever the umask" "644 root" \
    "$(cat "$TMPD/mode" 2>/dev/null)"
expect_match "node_exporter (as prometheus) serves ipctune_used_ratio" \
    '^ipctune_used_ratio\{ipc_ns="[0-9]+",resource="semmni"\} ' "$TMPD/scrape"
expect_match "... without a textfile scrape error" \
    '^node_textfile_scrape_error 0$' "$TMPD/scrape"
grep '^ipctune_' "$TMPD/scrape" | sed 's/{.*//; s/ .*//' | sort -u \
    >"$TMPD/served"
ipctune_names=$(grep -c . "$TMPD/served")
[ "$ipctune_names" -ge 10 ] &&
    ok "node_exporter serves $ipctune_names ipctune metrics" ||
    fail "node_exporter serves $ipctune_names ipctune metrics"
finish
