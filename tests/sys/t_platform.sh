#!/bin/sh
# recommend and plan --for docker|compose|kubernetes|podman: the YAML
# forms parse with a real YAML parser (python3-yaml) into the structure
# each platform reads, the command lines are sh words docker and podman
# take, the /dev/shm size follows the namespace's use, --pid renders a
# container's values, and status and fit in a container's namespace say
# how its platform sets a limit.  With podman on the machine, the podman
# line is run for real (offline image, --network=none, a scratch store,
# private mounts): the container gets the values.
. "$(dirname "$0")/lib.sh"
enter_private_ns pid
save_defaults
PP="--profile-dir $TOP/tests/fixtures/platform-profiles"
P=$TMPD/prof
mkdir -p "$P"
cat >"$P/t-plan.conf" <<'EOF2'
[sysctl]
kernel.shmmni = 4096
[demand]
shm_segments = 2
shm_bytes = 2M
sem_arrays = 3
sems_per_array = 10
msg_queues = 2
EOF2
rec() { "$IPCTUNE" recommend $PP -p t-platform "$@" 2>/dev/null; }

# our kernel.sem below the profile's, so that it is raised
sysctl_set sem "250 32000 100 128"
# our /dev/shm: a tmpfs of 100 MiB with 10 MiB used (private mount)
mount -t tmpfs -o size=100m tmpfs /dev/shm
dd if=/dev/zero of=/dev/shm/ten bs=1M count=10 2>/dev/null

# --- YAML: parsed, and the structure the platform reads -------------
rec --for kubernetes >"$TMPD/k8s.yaml"
"$PYTHON" - "$TMPD/k8s.yaml" >"$TMPD/k8s.txt" 2>&1 <<'EOF2'
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
pod, kubelet = docs
assert pod["apiVersion"] == "v1" and pod["kind"] == "Pod"
sc = {s["name"]: s["value"] for s in pod["spec"]["securityContext"]["sysctls"]}
for v in sc.values():
    assert isinstance(v, str), v          # the API takes strings
print("sysctls", " ".join("%s=%s" % kv for kv in sorted(sc.items())))
vol = pod["spec"]["volumes"][0]
mnt = pod["spec"]["containers"][0]["volumeMounts"][0]
assert mnt["mountPath"] == "/dev/shm" and mnt["name"] == vol["name"]
print("emptyDir", vol["emptyDir"]["medium"], vol["emptyDir"]["sizeLimit"])
assert kubelet["kind"] == "KubeletConfiguration"
print("unsafe", ",".join(kubelet["allowedUnsafeSysctls"]))
EOF2
expect_eq "kubernetes: YAML parses; the pod's sysctls are strings" \
    "sysctls fs.mqueue.msg_max=64 kernel.msgmnb=65536 kernel.sem=250 64000 100 256 kernel.shm_rmid_forced=1 kernel.shmmni=8192" \
    "$(sed -n 's/^sysctls //p' "$TMPD/k8s.txt" | sed 's/^/sysctls /')"
expect_eq "kubernetes: an emptyDir in memory at /dev/shm, 64 MiB" \
    "emptyDir Memory 64Mi" "$(grep '^emptyDir' "$TMPD/k8s.txt")"
expect_eq "kubernetes: the kubelet allows the unsafe ones, not shm_rmid_forced" \
    "unsafe kernel.shmmni,kernel.sem,kernel.msgmnb,fs.mqueue.msg_max" \
    "$(grep '^unsafe' "$TMPD/k8s.txt")"
expect_match "kubernetes: the kubelet flag, same list" \
    "^#   kubelet --allowed-unsafe-sysctls 'kernel.shmmni,kernel.sem,kernel.msgmnb,fs.mqueue.msg_max'$" \
    "$TMPD/k8s.yaml"
"$IPCTUNE" recommend $PP -p t-safe --for kubernetes >"$TMPD/safe.yaml" 2>/dev/null
expect_eq "kubernetes: only safe sysctls, one document, no kubelet line" \
    "1 0" "$("$PYTHON" -c 'import sys, yaml
print(len(list(yaml.safe_load_all(open(sys.argv[1])))))' "$TMPD/safe.yaml") $(grep -c kubelet "$TMPD/safe.yaml")"

rec --for compose >"$TMPD/compose.yaml"
expect_eq "compose: YAML parses; sysctls and shm_size of the service" \
    "fs.mqueue.msg_max=64 kernel.msgmnb=65536 kernel.sem=250 64000 100 256 kernel.shm_rmid_forced=1 kernel.shmmni=8192 shm_size=64m" \
    "$("$PYTHON" -c 'import sys, yaml
s = yaml.safe_load(open(sys.argv[1]))["services"]["app"]
print(" ".join("%s=%s" % kv for kv in sorted(s["sysctls"].items())),
      "shm_size=%s" % s["shm_size"])' "$TMPD/compose.yaml")"

# --- docker and podman: the words the shell hands the tool ----------
for tool in docker podman; do
	rec --for $tool >"$TMPD/$tool.sh"
	check "$tool: valid sh" sh -n "$TMPD/$tool.sh"
	expect_eq "$tool: the arguments, one word each" \
	    "run|--sysctl|kernel.shmmni=8192|--sysctl|kernel.shm_rmid_forced=1|--sysctl|kernel.sem=250 64000 100 256|--sysctl|kernel.msgmnb=65536|--sysctl|fs.mqueue.msg_max=64|--shm-size|64m|IMAGE" \
	    "$(sh -c "$tool() { printf '%s|' \"\$@\"; }; . '$TMPD/$tool.sh'" |
	    sed 's/|$//')"
done

# --- /dev/shm: from the use; a container keeps what it has ------------
dd if=/dev/zero of=/dev/shm/ninety bs=1M count=80 2>/dev/null
expect_match "90 MiB used: a quarter more, rounded up to MiB" \
    "^  --shm-size 113m " "$(rec --for docker >"$TMPD/o"; echo "$TMPD/o")"
rm -f /dev/shm/ninety
unshare --ipc sleep 1000 &
C=$!
HELD_PIDS=$C
i=0
while [ "$(stat -L -c %i /proc/$C/ns/ipc)" = \
    "$(stat -L -c %i /proc/self/ns/ipc)" ] && [ $i -lt 500 ]; do
	i=$((i + 1)); sleep 0.01
done
expect_match "here, 10 MiB used: docker's 64 MiB" "^  --shm-size 64m " \
    "$(rec --for docker >"$TMPD/o"; echo "$TMPD/o")"
expect_match "--pid: the container keeps its 100 MiB" \
    "^  --shm-size 100m " \
    "$(rec --pid "$C" --for docker >"$TMPD/o"; echo "$TMPD/o")"

# --- --pid: the container's own values ---------------------------------
nsenter -t "$C" --ipc sh -c 'echo 9000 >/proc/sys/kernel/shmmni'
expect_match "--pid: raise only, from the container's 9000" \
    "^  --sysctl kernel.shmmni=9000 " \
    "$(rec --pid "$C" --for podman >"$TMPD/o"; echo "$TMPD/o")"
expect_match "here: the profile's 8192" "^  --sysctl kernel.shmmni=8192 " \
    "$(rec --for podman >"$TMPD/o"; echo "$TMPD/o")"

# --- plan --for: the values K more instances need -------------------
nsenter -t "$C" --ipc sh -c 'echo 3 >/proc/sys/kernel/msgmni'
"$IPCTUNE" plan --profile-dir "$P" -p t-plan -n 4 --pid "$C" \
    --for kubernetes >"$TMPD/plan.yaml" 2>"$TMPD/plan.err"
expect_eq "plan --for kubernetes: 4 more need msgmni 8 (YAML parses)" \
    "kernel.msgmni=8" "$("$PYTHON" -c 'import sys, yaml
d = list(yaml.safe_load_all(open(sys.argv[1])))[0]
print(" ".join("%s=%s" % (s["name"], s["value"])
      for s in d["spec"]["securityContext"]["sysctls"]
      if s["name"] == "kernel.msgmni"))' "$TMPD/plan.yaml")"
expect_status "plan --for --format json: usage error" 2 "$IPCTUNE" plan \
    --profile-dir "$P" -p t-plan -n 4 --for docker --format json

# --- status and fit in a container's namespace: the platform's form ---
"$HELPER" -q msg count=0 >/dev/null 2>&1
nsenter -t "$C" --ipc "$HELPER" -q msg count=3 >/dev/null
expect_status "status --pid: exit 0" 0 "$IPCTUNE" status --pid "$C"
expect_match "status --pid of a full namespace: the container's way" \
    "^info: in a container, set it with --sysctl kernel.msgmni=\.\.\. \(docker/podman\) or securityContext.sysctls \(Kubernetes\)" \
    "$TMPD/out"
expect_status "status here: exit 0" 0 "$IPCTUNE" status
check "status here (not a container's): no platform line" \
    sh -c "! grep -q 'in a container' '$TMPD/out'"
expect_status "fit --pid --queues 1: does not fit, exit 4" 4 \
    "$IPCTUNE" fit --pid "$C" --queues 1
expect_match "fit --pid: the container's way" \
    "^in a container, set it with --sysctl kernel.msgmni=\.\.\. \(docker/podman\)" \
    "$TMPD/out"

# --- podman, for real --------------------------------------------------
podman_check() {
	W=$TMPD/podman
	mkdir -p "$W/root" "$W/runroot" "$W/temp" "$W/networks" "$W/rootfs/bin"
	# what podman creates anyway stays in this mount namespace
	mount -t tmpfs tmpfs /run
	mount -t tmpfs tmpfs /var/lib
	if [ -d /etc/containers ]; then
		cp -a /etc/containers "$W/etc-containers"
		mount --bind "$W/etc-containers" /etc/containers
	fi
	cat >"$W/containers.conf" <<EOF2
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
netns = "none"
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
lock_type = "file"
[network]
network_config_dir = "$W/networks"
EOF2
	export CONTAINERS_CONF=$W/containers.conf
	PODMAN="podman --root $W/root --runroot $W/runroot --tmpdir $W/temp"
	cp /bin/busybox "$W/rootfs/bin/busybox"
	for l in sh cat df; do ln -s busybox "$W/rootfs/bin/$l"; done
	tar -C "$W/rootfs" -c . | $PODMAN import - localhost/ipctest:1 \
	    >/dev/null 2>"$TMPD/pm.err" || return 1
	before=$(ls -d /sys/fs/cgroup/*/libpod_parent 2>/dev/null)
	# the generated line, IMAGE replaced by the image and a command
	sh -c "podman() { shift; exec $PODMAN run --rm --network=none \
	    --cgroup-parent=/ipctune-t-platform \"\$@\"; }
	    IMAGE='localhost/ipctest:1 sh -c'
	    . '$TMPD/pm.sh'" >"$TMPD/pm.out" 2>>"$TMPD/pm.err" <<'EOF2'
EOF2
	rc=$?
	for d in /sys/fs/cgroup/*/ipctune-t-platform; do
		[ -d "$d" ] || continue
		for c in "$d"/*/; do [ -d "$c" ] && rmdir "$c" 2>/dev/null; done
		rmdir "$d" 2>/dev/null
	done
	if [ -z "$before" ]; then
		for d in /sys/fs/cgroup/*/libpod_parent; do
			[ -d "$d/conmon" ] && rmdir "$d/conmon" 2>/dev/null
			rmdir "$d" 2>/dev/null
		done
	fi
	$PODMAN rmi -f localhost/ipctest:1 >/dev/null 2>&1
	return $rc
}
if command -v podman >/dev/null 2>&1 && command -v runc >/dev/null 2>&1 &&
    [ -x /bin/busybox ]; then
	# the podman line, its image running a command that prints the values
	rec --for podman | sed 's|^  IMAGE$|  localhost/ipctest:1 sh -c "cat /proc/sys/kernel/shmmni /proc/sys/kernel/shm_rmid_forced /proc/sys/kernel/sem /proc/sys/kernel/msgmnb /proc/sys/fs/mqueue/msg_max; df -k /dev/shm"|' \
	    >"$TMPD/pm.sh"
	if (podman_check); then
		expect_eq "podman ran the line: the container has the values" \
		    "8192 1 250 64000 100 256 65536 64" \
		    "$(head -5 "$TMPD/pm.out" | tr -s ' \t\n' ' ' | sed 's/ $//')"
		expect_match "podman ran the line: /dev/shm of 64 MiB" \
		    " 65536 " "$TMPD/pm.out"
	else
		fail "podman did not run the generated line"
		sed 's/^/    /' "$TMPD/pm.err" | tail -5
	fi
else
	echo "# skipped: podman, runc or /bin/busybox not on this machine" \
	    "(apt-get install podman runc busybox-static)"
fi

ipc_reset
finish
