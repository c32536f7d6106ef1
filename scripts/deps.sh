#!/bin/sh
# Install the Debian/Ubuntu packages ipctune needs, if any is missing:
# 'deps.sh build' only what building and running take (make run), plain
# 'deps.sh' also every test tool (make test, .ci/run).  Needs root (or
# sudo) only when something is missing.
set -eu
build="gcc make pkg-config libjansson-dev libsmartcols-dev libinih-dev"
case ${1:-all} in
build) pkgs=$build ;;
all) pkgs="$build check
util-linux procps python3 python3-jsonschema jq mandoc groff-base
bash-completion prometheus libmonitoring-plugin-perl systemd strace zsh fish
facter ansible-core devscripts cppcheck valgrind clang libclang-rt-dev
dpkg-dev debhelper lintian man-db rpm rpmlint prometheus-node-exporter
python3-yaml icinga2-bin nagios4-core nagios-nrpe-server nagios-nrpe-plugin
ansible-lint puppet-agent libbpf-dev bpftool llvm podman runc
busybox-static" ;;
*) echo "usage: deps.sh [build|all]" >&2; exit 2 ;;
esac
# one dpkg-query for all: a package it does not know is missing too
installed=$(dpkg-query -W -f='${Package} ${Status}\n' $pkgs 2>/dev/null |
    awk '/ ok installed$/ { print $1 }') || :
missing=
for p in $pkgs; do
	printf '%s\n' "$installed" | grep -qx -- "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "ipctune: installing dependencies:$missing"
if [ "$(id -u)" -eq 0 ]; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
elif command -v sudo >/dev/null 2>&1; then
	sudo apt-get update -qq
	sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
else
	echo "ipctune: please install:$missing" >&2
	exit 1
fi
