#!/usr/bin/env bash
# The main job: boot the patched kernel in QEMU behind VT-d, give the igb NIC
# to vfio-pci, DMA through iommufd, preserve guest memory, iommufd and device
# in a LUO session, live-update kexec, take them back and DMA through the
# translation the old kernel set up, and narrate.
# MODE=legacy|sm|sm-flts selects the VT-d mode (default legacy).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
mode=${MODE:-legacy}
out=$top/build/vm/$mode-demo

echo "[demo] booting $(basename "$top/build/kbuild/arch/x86/boot/bzImage") under QEMU (TCG), VT-d mode: $mode"
start=$(date +%s.%N)
set +e
"$top/scripts/vmrun.sh" -m "$mode" -t 300 -o "$out" demo
rc=$?
set -e
end=$(date +%s.%N)

fail=0
while IFS= read -r line; do
	line=${line%$'\r'}
	case "$line" in
	"=== STAGE "*)
		set -- ${line#=== STAGE }
		echo "[demo] kernel boot $1 (boot id ${2:0:8})" ;;
	"=== KEXEC") echo "[demo] kexec_file_load + reboot(LINUX_REBOOT_CMD_KEXEC)" ;;
	"=== END "*" rc="*)
		[ "${line##*rc=}" = 0 ] || { echo "[demo] ${line#=== END } (failed)"; fail=1; } ;;
	"# DEMO: "*)
		echo "  ${line#\# DEMO: }"
		case "$line" in *FAIL*) fail=1 ;; esac ;;
	esac
done < "$out/results.log"

stages=$(grep -c '^=== STAGE ' "$out/results.log" || true)
printf '[demo] QEMU ran %.1f s; logs: %s\n' "$(echo "$end - $start" | bc)" "${out#$top/}"
if [ "$rc" != 0 ] || [ "$fail" != 0 ] || [ "$stages" -lt 2 ] ||
   ! grep -q '^=== END lu-demo.stage2 rc=0' "$out/results.log"; then
	echo "[demo] FAILED (see ${out#$top/}/console.log)"
	exit 1
fi
echo "[demo] OK: the device kept its DMA mappings across a live-update kexec"
