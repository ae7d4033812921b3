#!/usr/bin/env bash
# Build the guest's test binaries (static) and pack the initramfs:
#   /init                  guest/init (busybox sh)
#   /bin/busybox           Debian's busybox-static
#   /plans/*.sh            guest/plans
#   /tests/<suite>/...     selftests of the series' tree, built statically
#   /tests/lu-kexec        guest/lu-kexec.c
#   /tests/lu-dma-canary   guest/lu-dma-canary.c
#   /kernel                the bzImage, for the live-update kexec
#
# TEST_TIMEOUT=N: the selftests built with a default limit of N seconds per
# kselftest_harness test instead of 30 (in build/selftests-tN), for kernels
# that run them several times slower (the lockdep flavour).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/linux
kout=${KBUILD_OUT:-$top/build/kbuild}
st=$top/build/selftests
st_cc_flags=
if [ -n "${TEST_TIMEOUT:-}" ]; then
	[[ $TEST_TIMEOUT =~ ^[1-9][0-9]{0,4}$ ]] ||
		{ echo "[initramfs] TEST_TIMEOUT must be 1 to 99999 seconds" >&2; exit 2; }
	# Without patch 157 the header's own definition would win, silently
	grep -q '^#ifndef TEST_TIMEOUT_DEFAULT' \
		"$tree/tools/testing/selftests/kselftest_harness.h" ||
		{ echo "[initramfs] TEST_TIMEOUT: kselftest_harness.h cannot take it (patch 157)" >&2; exit 2; }
	st=$st-t$TEST_TIMEOUT
	st_cc_flags=" -DTEST_TIMEOUT_DEFAULT=$TEST_TIMEOUT"
fi
hdr=$top/build/headers
stage=${INITRAMFS_STAGE:-$top/build/initramfs}
img=${INITRAMFS:-$top/build/initramfs.cpio.gz}
jobs=${JOBS:-$(nproc)}
SUITES=${SUITES:-"liveupdate iommu vfio"}

log() { printf '[initramfs] %s\n' "$*" >&2; }

bz=$kout/arch/x86/boot/bzImage
[ -f "$bz" ] || { log "no kernel at $bz: run make kernel"; exit 1; }
busybox=$(command -v busybox || true)
[ -n "$busybox" ] && file -L "$busybox" | grep -q 'statically linked' ||
	{ log "need a static busybox (apt-get install busybox-static)"; exit 1; }

cc=gcc
if command -v ccache >/dev/null 2>&1 && [ "${NO_CCACHE:-0}" != 1 ]; then
	cc="ccache gcc"
	export CCACHE_DIR=${CCACHE_DIR:-$top/build/ccache}
fi

log "installing UAPI headers into ${hdr#$top/}"
make -s -C "$tree" O="$top/build/hdrbuild" ARCH=x86_64 \
	INSTALL_HDR_PATH="$hdr" headers_install

for s in $SUITES; do
	log "building selftests/$s (static)"
	mkdir -p "$st/$s"
	make -s -C "$tree/tools/testing/selftests/$s" -j"$jobs" \
		OUTPUT="$st/$s" KHDR_INCLUDES="-isystem $hdr/include" \
		CC="$cc -static$st_cc_flags" >"$st/$s.log" 2>&1 ||
		{ tail -30 "$st/$s.log" >&2; log "ERROR: selftests/$s failed to build"; exit 1; }
done

rm -rf "$stage"
mkdir -p "$stage"/{bin,dev,proc,sys,tmp,plans,tests}
cp "$busybox" "$stage/bin/busybox"
install -m 0755 "$top/guest/init" "$stage/init"
cp "$top"/guest/plans/*.sh "$stage/plans/"
$cc -static -O2 -Wall -o "$stage/tests/lu-kexec" "$top/guest/lu-kexec.c"
$cc -static -O2 -Wall -o "$stage/tests/lu-dma-canary" "$top/guest/lu-dma-canary.c"
# lu-demo and lu-bench link the vfio and liveupdate selftest libraries
# built above.
sdir=$tree/tools/testing/selftests
$cc -static -O2 -Wall -isystem "$hdr/include" -I"$sdir/vfio/lib/include" \
	-I"$sdir/liveupdate/lib/include" -I"$tree/tools/include" \
	-o "$stage/tests/lu-demo" "$top/guest/lu-demo.c" \
	$(find "$st/vfio/libvfio" -name '*.o' | sort) \
	"$st/liveupdate/libliveupdate/lu_utils.o" -luuid -pthread
$cc -static -O2 -Wall -isystem "$hdr/include" -I"$sdir/vfio/lib/include" \
	-I"$sdir/liveupdate/lib/include" -I"$tree/tools/include" \
	-o "$stage/tests/lu-bench" "$top/guest/lu-bench.c" \
	$(find "$st/vfio/libvfio" -name '*.o' | sort) \
	"$st/liveupdate/libliveupdate/lu_utils.o" -luuid -pthread
# kexec-tools' kexec, linked dynamically, with its libraries: a kexec
# through kexec_load(), whose image cannot receive the live update state
kexec=$(command -v kexec || true)
if [ -n "$kexec" ]; then
	cp "$kexec" "$stage/tests/kexec"
	ldd "$kexec" | grep -o '/[^ ]*' | while read -r lib; do
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib"
	done
else
	log "no kexec (apt-get install kexec-tools): the kexec_load tests will fail"
fi
cp "$bz" "$stage/kernel"
for s in $SUITES; do
	mkdir -p "$stage/tests/$s"
	find "$st/$s" -maxdepth 1 -type f -perm -u+x -exec cp {} "$stage/tests/$s/" \;
done
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 > "$img.tmp"
mv "$img.tmp" "$img"
log "initramfs ready: ${img#$top/} ($(du -h "$img" | cut -f1))"
