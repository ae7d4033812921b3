#!/usr/bin/env bash
# Print the path of a sparse the kernel's C=2 accepts, building one if needed.
#
# The base's Makefile runs scripts/checker-valid.sh, which wants
# __typeof_unqual__; Debian 12's sparse 0.6.4 does not know it, and the kernel
# then silently skips the check.  So: the installed sparse if it passes that
# test, else the source package of Debian unstable (from the machine's own
# mirror, hashes checked by apt) built once into build/sparse (a few seconds;
# only the sparse binary, none of its optional tools).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/linux
valid=$tree/scripts/checker-valid.sh
log() { printf '[sparse] %s\n' "$*" >&2; }

usable() { [ -x "$1" ] && [ "$("$valid" "$1" -m64 2>/dev/null)" = 1 ]; }

[ -x "$valid" ] || { log "no $valid: run make tree"; exit 1; }
if sys=$(command -v sparse 2>/dev/null) && usable "$sys"; then
	echo "$sys"
	exit 0
fi

dir=$top/build/sparse
bin=$dir/sparse
if usable "$bin"; then
	echo "$bin"
	exit 0
fi

log "the installed sparse cannot check this kernel; building it from Debian unstable's source"
rm -rf "$dir"
mkdir -p "$dir/src"
(cd "$dir/src" &&
	APT_SOURCES=1 "$top/scripts/apt-private.sh" sparse-src sid -q source --download-only sparse >&2)
tarball=$(find "$dir/src" -maxdepth 1 -name 'sparse_*.orig.tar.*' | head -1)
[ -n "$tarball" ] || { log "no sparse source package was downloaded"; exit 1; }
tar -C "$dir/src" -xf "$tarball"
srcdir=$(find "$dir/src" -mindepth 1 -maxdepth 1 -type d -name 'sparse*' | head -1)
make -C "$srcdir" -j"$(nproc)" sparse HAVE_LLVM=no HAVE_SQLITE=no HAVE_GTK=no \
	HAVE_LIBXML=no >/dev/null
cp "$srcdir/sparse" "$bin"
usable "$bin" || { log "the sparse built from $(basename "$tarball") cannot check this kernel either"; exit 1; }
log "built $("$bin" --version 2>&1 | head -1) from $(basename "$tarball")"
echo "$bin"
