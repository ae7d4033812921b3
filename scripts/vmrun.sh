#!/usr/bin/env bash
# Boot the guest kernel in QEMU behind an emulated Intel VT-d and run one plan
# of guest/plans.  Live-update kexecs happen inside the same QEMU run.
#
# usage: vmrun.sh [-m legacy|sm|sm-flts] [-t TIMEOUT] [-o OUTDIR] PLAN
#   legacy   -device intel-iommu (legacy mode, second-stage tables)
#   sm       x-scalable-mode=on (second-stage tables)
#   sm-flts  x-scalable-mode=on,x-flts=on (first-stage tables only)
#
# Writes OUTDIR/console.log (ttyS0: kernel console) and OUTDIR/results.log
# (ttyS1: test output).  Exits 0 when the guest reached "=== DONE", 1 with a
# reason otherwise (timeout, panic, early exit).
#
# One vCPU by default (SMP=N to change): with two TCG vCPUs, about one run in
# twenty here hung (a vCPU stopped taking timer interrupts, RCU stalls) or
# QEMU 10.0.2 aborted in iotlb_to_section() while a VFIO device was closed;
# with one vCPU, 25 demo runs in a row passed.
#
# QEMU runs under TCG.  ACCEL=kvm is an explicit opt-in for real hardware: on
# nested-virtualisation hosts a KVM guest hangs right after decompression.
#
# ICOUNT=N (TCG only, 0-10): QEMU's instruction counting,
# -icount shift=N,sleep=off.  The guest's clocks, its TSC included, then
# advance 2^N ns per instruction it executes (the TSC runs at 1 GHz and
# the guest calibrates it so), and jump to the next timer when it idles: a
# guest time is a count of the guest's own instructions, each counted the
# same, not of the host's time.  What QEMU does for the guest outside its
# instructions (VT-d table walks, a device's DMA) costs no guest time.  For
# make bench, whose ratios host noise otherwise swamps (README, Measured);
# shift 0 there (a larger shift runs guest time ahead of the host's, and
# the guest's time limits with it).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kout=${KBUILD_OUT:-$top/build/kbuild}
mode=legacy
limit=600
outdir=

while getopts 'm:t:o:' opt; do
	case $opt in
	m) mode=$OPTARG ;;
	t) limit=$OPTARG ;;
	o) outdir=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
plan=${1:?usage: vmrun.sh [-m MODE] [-t TIMEOUT] [-o OUTDIR] PLAN}
outdir=${outdir:-$top/build/vm/$mode-$plan}
[ -f "$top/guest/plans/$plan.sh" ] ||
	{ echo "vmrun: no plan guest/plans/$plan.sh" >&2; exit 2; }

case $mode in
legacy) iommu=intel-iommu,intremap=on,caching-mode=on ;;
sm) iommu=intel-iommu,intremap=on,caching-mode=on,x-scalable-mode=on ;;
sm-flts) iommu=intel-iommu,intremap=on,caching-mode=on,x-scalable-mode=on,x-flts=on ;;
*) echo "vmrun: unknown mode '$mode' (legacy, sm, sm-flts)" >&2; exit 2 ;;
esac

# A plan with the line "# vmrun: ats" gets device TLBs in the IOMMU and a
# function that can use ATS: QEMU's virtio-rng behind a PCIe root port
# (ATS needs a PCIe port; QEMU's DMAR table reports ATS on all ports)
ats=()
if grep -qx '# vmrun: ats' "$top/guest/plans/$plan.sh"; then
	iommu+=,device-iotlb=on
	ats=(-device pcie-root-port,id=lu_ats_port,chassis=1
	     -device virtio-rng-pci,bus=lu_ats_port,disable-legacy=on,ats=on)
fi

accel=tcg
icount=()
if [ -n "${ICOUNT:-}" ]; then
	[[ $ICOUNT =~ ^([0-9]|10)$ ]] ||
		{ echo "vmrun: ICOUNT must be a shift from 0 to 10" >&2; exit 2; }
	[ "${ACCEL:-}" != kvm ] ||
		{ echo "vmrun: ICOUNT needs TCG, not ACCEL=kvm" >&2; exit 2; }
	icount=(-icount "shift=$ICOUNT,sleep=off")
fi
if [ "${ACCEL:-}" = kvm ]; then
	accel=kvm
fi

# Never leave a previous run's logs where this run's are expected (only once
# the arguments are known to be good).
rm -rf "$outdir"
mkdir -p "$outdir"

bz=$kout/arch/x86/boot/bzImage
img=${INITRAMFS:-$top/build/initramfs.cpio.gz}
for f in "$bz" "$img"; do
	[ -f "$f" ] || { echo "vmrun: missing $f (make kernel / make initramfs)" >&2; exit 1; }
done
qemu=$(command -v qemu-system-x86_64) ||
	{ echo "vmrun: qemu-system-x86_64 not installed (make deps)" >&2; exit 1; }

console=$outdir/console.log results=$outdir/results.log
: > "$console"
: > "$results"

append="console=ttyS0 earlyprintk=serial,ttyS0 intel_iommu=on kho=on liveupdate=on"
append+=" no_timer_check panic=-1 oops=panic lu.plan=$plan lu.mode=$mode ${CMDLINE_EXTRA:-}"

# edu: a second, never preserved device for the vfio_lu plan; its DMA
# addresses are masked to 28 bits by default, the vfio selftests' IOVAs
# are not
set +e
timeout -k 5 "$limit" "$qemu" \
	-M q35,kernel-irqchip=split -accel "$accel" "${icount[@]}" -cpu max -smp "${SMP:-1}" -m "${MEM:-2G}" \
	-nographic -nodefaults -no-reboot \
	-device "$iommu" \
	-device igb,romfile= -device edu,dma_mask=0xffffffffffffffff "${ats[@]}" \
	-serial "file:$console" -serial "file:$results" \
	-kernel "$bz" -initrd "$img" -append "$append" \
	</dev/null >"$outdir/qemu.log" 2>&1
rc=$?
set -e

why=
if grep -q '^=== DONE' "$results"; then
	why=
elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	why="timed out after ${limit}s"
elif grep -qE 'Kernel panic|BUG:|Oops' "$console"; then
	why="guest crashed: $(grep -m1 -E 'Kernel panic|BUG:|Oops' "$console" | tr -d '\r')"
else
	why="guest stopped before the plan finished (qemu exit $rc)"
fi
if [ -n "$why" ]; then
	echo "vmrun: $mode/$plan: $why; logs in ${outdir#$top/}" >&2
	exit 1
fi
exit 0
