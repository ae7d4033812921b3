#!/usr/bin/env bash
# Install what the harness needs (Debian 12, as root, non-interactive):
# the kernel build tools, static libraries for the guest selftests, and QEMU
# 10 from bookworm-backports (it has igb, edu and VT-d x-flts), installed
# through a private sources list so the host's apt configuration is untouched.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
log() { printf '[deps] %s\n' "$*" >&2; }

PKGS="build-essential flex bison bc cpio kmod libelf-dev libssl-dev dwarves rsync
      ccache busybox-static git xz-utils zstd file python3 perl
      uuid-dev libcap-dev libcap-ng-dev kexec-tools"
QEMU_PKGS="qemu-system-x86 qemu-utils"
QEMU_MIN=10

missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
			echo "$p"
	done
}

sudo=
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null || { log "not root and no sudo: install $PKGS $QEMU_PKGS by hand"; exit 1; }
	sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive

# shellcheck disable=SC2086
need=$(missing $PKGS)
if [ -n "$need" ]; then
	log "installing: $(echo $need)"
	$sudo apt-get -q update >/dev/null
	# shellcheck disable=SC2086
	$sudo apt-get -q -y install --no-install-recommends $need >/dev/null
fi

qemu_ver=$(dpkg-query -W -f='${Version}' qemu-system-x86 2>/dev/null || true)
qemu_major=$(echo "$qemu_ver" | sed -E 's/^[0-9]+://; s/[^0-9].*//')
if [ -z "$qemu_ver" ] || [ "${qemu_major:-0}" -lt "$QEMU_MIN" ]; then
	. /etc/os-release
	mkdir -p "$top/build/apt"	# as the user, before sudo would make it root's
	log "installing QEMU >= $QEMU_MIN from ${VERSION_CODENAME}-backports"
	# shellcheck disable=SC2086
	$sudo "$top/scripts/apt-private.sh" qemu \
		"$VERSION_CODENAME $VERSION_CODENAME-updates $VERSION_CODENAME-security $VERSION_CODENAME-backports" \
		-q -y install --no-install-recommends -t "$VERSION_CODENAME-backports" $QEMU_PKGS >/dev/null
fi
log "ok: $(qemu-system-x86_64 --version | head -1)"
