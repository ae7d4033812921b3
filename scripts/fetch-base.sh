#!/usr/bin/env bash
# Fetch the pinned base kernel source and extract a pristine tree.
#
# Base: Debian's linux-source-7.3, version 7.3.4-1~bpo13+1 (trixie-backports,
# main, arch all), verified by sha256.  The download and the extracted tree are
# cached under build/ so a second run does neither again.
#
# LINUX_SRC=/path uses an existing Linux 7.3.4 tree instead (copied, never
# modified in place).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/base.env"

dl=$top/build/dl
pristine=$top/build/pristine
deb=$dl/${BASE_PKG}_${BASE_VERSION//:/%3a}_all.deb

log() { printf '[base] %s\n' "$*" >&2; }

if [ -f "$pristine/.complete" ]; then
	echo "$pristine"
	exit 0
fi

if [ -n "${LINUX_SRC:-}" ]; then
	[ -f "$LINUX_SRC/Makefile" ] || { log "LINUX_SRC=$LINUX_SRC is not a kernel tree"; exit 1; }
	ver=$(make -s -C "$LINUX_SRC" kernelversion 2>/dev/null || true)
	if [ "$ver" != "$BASE_KVER" ]; then
		log "LINUX_SRC=$LINUX_SRC is Linux '$ver', the series needs $BASE_KVER"
		exit 1
	fi
	log "using LINUX_SRC=$LINUX_SRC (Linux $ver)"
	rm -rf "$pristine.tmp"
	mkdir -p "$pristine.tmp"
	# Copy the source only: no VCS metadata, no build output.
	# (a git checkout of the kernel itself, not a folder inside another repo)
	if [ "$(git -C "$LINUX_SRC" rev-parse --show-toplevel 2>/dev/null)" = \
	     "$(cd "$LINUX_SRC" && pwd -P)" ]; then
		(cd "$LINUX_SRC" && git ls-files -z | cpio -0pdm --quiet "$pristine.tmp")
	else
		if [ -f "$LINUX_SRC/.config" ] || [ -d "$LINUX_SRC/include/generated" ]; then
			log "LINUX_SRC=$LINUX_SRC has build output: run 'make mrproper' there first"
			exit 1
		fi
		rsync -a --exclude=.git "$LINUX_SRC/" "$pristine.tmp/"
	fi
	echo "LINUX_SRC" > "$pristine.tmp/.complete"
	mv "$pristine.tmp" "$pristine"
	echo "$pristine"
	exit 0
fi

mkdir -p "$dl"
if [ ! -f "$deb" ]; then
	log "downloading $BASE_PKG=$BASE_VERSION ($BASE_SUITE) from the machine's Debian mirror"
	if ! (cd "$dl" && "$top/scripts/apt-private.sh" base "$BASE_SUITE" \
		-q download "$BASE_PKG=$BASE_VERSION" >&2); then
		log "ERROR: $BASE_PKG=$BASE_VERSION could not be downloaded from $BASE_SUITE."
		log "The pinned version may be gone from the mirror.  Either put the .deb"
		log "(sha256 $BASE_SHA256) at $deb,"
		log "or use an existing Linux $BASE_KVER tree: make LINUX_SRC=/path/to/linux-$BASE_KVER ..."
		exit 1
	fi
fi

sum=$(sha256sum "$deb" | cut -d' ' -f1)
if [ "$sum" != "$BASE_SHA256" ]; then
	log "ERROR: sha256 mismatch for $deb"
	log "  expected $BASE_SHA256"
	log "  got      $sum"
	log "remove the file and retry, or use LINUX_SRC=/path"
	exit 1
fi

log "extracting $(basename "$deb")"
rm -rf "$pristine.tmp"
mkdir -p "$pristine.tmp"
dpkg-deb --fsys-tarfile "$deb" |
	tar -xO "./usr/src/$BASE_PKG.tar.xz" |
	tar -xJ -C "$pristine.tmp" --strip-components=1
ver=$(make -s -C "$pristine.tmp" kernelversion)
if [ "$ver" != "$BASE_KVER" ]; then
	log "ERROR: extracted tree is Linux $ver, expected $BASE_KVER"
	exit 1
fi
echo "$BASE_SHA256" > "$pristine.tmp/.complete"
mv "$pristine.tmp" "$pristine"
log "pristine tree in $pristine"
echo "$pristine"
