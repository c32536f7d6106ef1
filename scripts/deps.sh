#!/bin/sh
# Install the Debian/Ubuntu packages the build and the tests need, if any
# is missing.  Needs root (or sudo) only when something is missing.
set -eu
pkgs="gcc make pkg-config libjansson-dev libsmartcols-dev libinih-dev check
util-linux procps python3 python3-jsonschema jq mandoc groff-base
bash-completion prometheus libmonitoring-plugin-perl systemd strace zsh fish
facter ansible-core devscripts cppcheck valgrind clang libclang-rt-dev
dpkg-dev debhelper lintian man-db rpm rpmlint prometheus-node-exporter
python3-yaml icinga2-bin nagios4-core nagios-nrpe-server nagios-nrpe-plugin
ansible-lint puppet-agent libbpf-dev bpftool llvm"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
	    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "ipctune: installing build dependencies:$missing"
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
