#!/bin/bash
# make bench: the live update's figures in one QEMU run (guest/plans/bench.sh),
# summarised by scripts/bench.py.  Not a test: nothing here passes or fails
# on a time.
#
#   BENCH_MIB   guest memory the igb maps (default 1024)
#   BENCH_MEM   the guest's RAM (default 3G; give 6G for BENCH_MIB=4096)
#   BENCH_THP   1: the guest memory in 2 MiB folios (shmem THP), mapped
#               with 2 MiB leaves (default 0: 4 KiB)
#   BENCH_ROUNDS  rounds of the three kexecs (default 3, at most 9)
#   MODE        VT-d mode (legacy, sm, sm-flts; default legacy)
#   BENCH_DEVICES  devices preserved: 1 (igb, default) or 2 (igb and edu)
#   BENCH_ICOUNT  a shift N (give 0): run QEMU with -icount shift=N,sleep=off,
#               so that every time the guest reads is a count of its own
#               instructions (2^N ns each), not the host's (vmrun.sh,
#               ICOUNT; TCG only).  Its figures are not comparable with
#               those of a run without it.
#   BENCH_TRACE 1: also time the IOMMU's own work on each kexec path, with
#               kprobes on a kernel built for it (TRACE=1, build/kbuild-trace)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
mib=${BENCH_MIB:-1024}
thp=${BENCH_THP:-0}
suffix=
[ "$thp" = 1 ] && suffix=-thp
devices=${BENCH_DEVICES:-1}
case $devices in
1) ;;
2) suffix=$suffix-2dev ;;
*) echo "bench: BENCH_DEVICES is 1 or 2" >&2; exit 2 ;;
esac
if [ -n "${BENCH_ICOUNT:-}" ]; then
	[ "${ACCEL:-}" != kvm ] ||
		{ echo "bench: BENCH_ICOUNT needs TCG, not ACCEL=kvm" >&2; exit 2; }
	export ICOUNT=$BENCH_ICOUNT
	suffix=$suffix-icount
else
	unset ICOUNT
fi
extra=
if [ "${BENCH_TRACE:-0}" = 1 ]; then
	suffix=$suffix-trace
	export KBUILD_OUT=$top/build/kbuild-trace
	export INITRAMFS=$top/build/initramfs-trace.cpio.gz
	export INITRAMFS_STAGE=$top/build/initramfs-trace
	TRACE=1 "$top/scripts/kernel.sh"
	"$top/scripts/initramfs.sh"
	# tp_printk: the old kernel's events to the console, where they
	# outlive its reboot. Until the plan's kexec the console shows
	# nothing below warnings (loglevel=4), so that printing them does not
	# slow the boot they time (a boot's events are read from its trace
	# buffer, see bench.py).
	extra=" lu.bench_trace=1 loglevel=4 tp_printk tp_printk_stop_on_boot"
	extra+=" kprobe_event=$("$top/scripts/bench.py" --probes)"
fi
out=$top/build/vm/bench-${MODE:-legacy}-$mib$suffix
MEM=${BENCH_MEM:-3G} \
	CMDLINE_EXTRA="lu.bench_mib=$mib lu.bench_thp=$thp lu.bench_devices=$devices lu.bench_rounds=${BENCH_ROUNDS:-3}$extra" \
	"$top/scripts/vmrun.sh" -m "${MODE:-legacy}" -o "$out" -t 3000 bench
echo "bench: mode ${MODE:-legacy}, $mib MiB in $([ "$thp" = 1 ] && echo "2 MiB" || echo "4 KiB") folios," \
	"$([ -n "${BENCH_ICOUNT:-}" ] && echo "guest time counted in instructions (icount shift $BENCH_ICOUNT)" || echo "guest time from the host's clock")"
"$top/scripts/bench.py" "$out/results.log"
