#!/usr/bin/env bash
# Configure and build the guest kernel out of tree in build/kbuild:
# x86_64 defconfig + config/guest.config, bzImage only (no modules).
# Uses ccache when it is installed.  Fails if any option of the fragment did
# not take effect, so a renamed or dependent symbol cannot slip by silently.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
tree=$top/build/linux
out=${KBUILD_OUT:-$top/build/kbuild}
frag=$top/config/guest.config
# LOCKDEP=1: the guest kernel with the locking validator; TRACE=1: with
# kprobe events (make bench BENCH_TRACE=1). Each in its own build
# directory, with config/lockdep.config or config/trace.config merged on top.
flavour=
[ "${LOCKDEP:-0}" = 1 ] && flavour=lockdep
[ "${TRACE:-0}" = 1 ] && flavour=trace
if [ -n "$flavour" ]; then
	out=${KBUILD_OUT:-$top/build/kbuild-$flavour}
	merged=$(mktemp)
	trap 'rm -f "$merged"' EXIT
	extra=$top/config/$flavour.config
	# The flavour's options replace the guest fragment's lines for them
	# (guest.config turns FTRACE and KPROBES off)
	syms=$(sed -n 's/^\(# \)\{0,1\}\(CONFIG_[A-Za-z0-9_]*\)[= ].*/\2/p' "$extra")
	grep -v -w -F "${syms:-CONFIG_NONE_}" "$frag" | cat - "$extra" > "$merged"
	frag=$merged
fi
jobs=${JOBS:-$(nproc)}

log() { printf '[kernel] %s\n' "$*" >&2; }

[ -f "$tree/Makefile" ] || { log "no tree at $tree: run make tree"; exit 1; }
mkdir -p "$out"

cc=gcc
if command -v ccache >/dev/null 2>&1 && [ "${NO_CCACHE:-0}" != 1 ]; then
	cc="ccache gcc"
	export CCACHE_DIR=${CCACHE_DIR:-$top/build/ccache}
	export CCACHE_BASEDIR=$top
	ccache -M 5G >/dev/null
fi
kmake() { make -s -C "$tree" O="$out" ARCH=x86_64 CC="$cc" HOSTCC="$cc" "$@"; }

# Reconfigure only when the fragment, the defconfig or any Kconfig file of the
# tree changed (keeps incremental builds fast, and re-checks the fragment when
# the series touches Kconfig).
stamp=$out/.guest-config.sha
want=$({
	cat "$frag" "$tree/arch/x86/configs/x86_64_defconfig"
	git -C "$tree" ls-files -s -- '*Kconfig*'
	git -C "$tree" diff HEAD -- '*Kconfig*'
} | sha256sum | cut -d' ' -f1)
if [ ! -f "$out/.config" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	log "configuring: x86_64_defconfig + config/guest.config"
	kmake x86_64_defconfig >/dev/null
	(cd "$out" && KCONFIG_CONFIG=.config \
		"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" .config "$frag" >/dev/null)
	kmake olddefconfig >/dev/null
	missing=0
	while read -r line; do
		case "$line" in
		CONFIG_*=*)
			grep -qx -- "$line" "$out/.config" || { log "config: '$line' did not take effect"; missing=1; } ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }; sym=${sym%% *}
			! grep -q "^$sym=" "$out/.config" || { log "config: '$line' did not take effect"; missing=1; } ;;
		esac
	done < "$frag"
	[ "$missing" = 0 ] || { log "ERROR: config/guest.config does not apply cleanly"; exit 1; }
	echo "$want" > "$stamp"
fi

log "building bzImage in ${out#$top/} (-j$jobs, CC=$cc)"
start=$(date +%s)
with_progress "[kernel] bzImage" kmake -j"$jobs" bzImage
log "bzImage ready ($(($(date +%s) - start)) s): ${out#$top/}/arch/x86/boot/bzImage"
