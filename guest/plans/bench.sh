# The figures of `make bench` (not a test: not in `make test`'s plans).
# Kernel 1 kexecs with nothing preserved; kernel 2 preserves a memfd of
# lu.bench_mib MiB alone (lu-bench stage m) and kexecs; kernel 3 maps the
# same memfd for the igb, finishes that session, preserves memfd, iommufd
# and igb (lu-bench stage f, then as stage 1) and kexecs; kernel 4 reclaims
# the restored domain and then re-maps the same memfd into a new IOAS and
# HWPT (stage 2).  Each stage prints the TSC at its start and lu-kexec the
# TSC right before its reboot(): scripts/bench.py turns them into the three
# kexec times, whose ratios give what the guest memory and what the IOMMU
# state add to a kexec.
#
# lu.bench_devices=2: the edu is preserved beside the igb, on its HWPT
# (lu-bench's BDF2), so that the third kexec hands over two devices.
#
# One kexec of each kind varies by tens of percent under TCG, for reasons
# not found (README, Measured), so the three kexecs are made
# lu.bench_rounds times (default 3, at most 9): kernel 4 kexecs again with
# nothing preserved and kernels 5-7 do what 2-4 did.  bench.py gives the
# medians.

bench_mib() {
	cmdline_arg lu.bench_mib || echo 1024
}

# lu.bench_thp=1: the memfds in 2 MiB folios, the table in 2 MiB leaves
bench_thp() {
	[ "$(cmdline_arg lu.bench_thp)" = 1 ] || return 0
	echo always > /sys/kernel/mm/transparent_hugepage/shmem_enabled
}

# The second device's BDF when lu.bench_devices=2, bound to vfio-pci
bench_device2() {
	local edu

	[ "$(cmdline_arg lu.bench_devices)" = 2 ] || return 0
	edu=$(pci_find 1234 11e8) || { say "# no edu device"; return 1; }
	vfio_bind "$edu" || { say "# could not bind $edu to vfio-pci"; return 1; }
	echo "$edu"
}

bench_rounds() {
	local n

	n=$(cmdline_arg lu.bench_rounds) || n=3
	[ "$n" -ge 1 ] 2>/dev/null || n=1
	[ "$n" -le 9 ] || n=9
	echo "$n"
}

# lu.bench_trace=1 (make bench BENCH_TRACE=1): the kernel has kprobe
# events on the functions scripts/bench.py names.  Each stage first dumps
# the events of its boot ("# ktrace"); right before a kexec the events go to
# the console instead (after a marker line), the only record of the old
# kernel's shutdown.
bench_trace_dump() {
	[ "$(cmdline_arg lu.bench_trace)" = 1 ] || return 0
	mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
	grep -v '^#' /sys/kernel/tracing/trace | sed 's/^/# ktrace /' >&3
	echo > /sys/kernel/tracing/trace
}

bench_kexec() {
	if [ "$(cmdline_arg lu.bench_trace)" = 1 ]; then
		echo 8 > /proc/sys/kernel/printk
		echo "bench: kexec, its events follow" > /dev/kmsg
		echo 1 > /proc/sys/kernel/tracepoint_printk
	fi
	lu_kexec
}

stage1() {
	bench_trace_dump
	bench_kexec
}

bench_memfd_kexec() {
	bench_trace_dump
	bench_thp || return
	run bench_memfd_alone.stage2 1200 lu-bench m none "$(bench_mib)" || return
	bench_kexec
}

# The memfd the previous kernel preserved alone, mapped for the igb before
# its session is finished: both kexecs hand over the same physical pages
bench_iommu_kexec() {
	bench_trace_dump
	local edu

	vfio_igb || return
	edu=$(bench_device2) || return
	# shellcheck disable=SC2086 # no edu: no argument
	run bench_preserve.stage3 1200 lu-bench f "$VFIO_SELFTESTS_BDF" "$(bench_mib)" $edu || return
	bench_kexec
}

# The last kernel of a round; all but the last round kexec again with
# nothing preserved (lu-bench 2 has finished its session).
bench_reclaim() {
	local stage=$1 edu

	bench_trace_dump
	vfio_igb || return
	edu=$(bench_device2) || return
	# shellcheck disable=SC2086 # no edu: no argument
	run bench_reclaim_remap.stage4 1200 lu-bench 2 "$VFIO_SELFTESTS_BDF" "$(bench_mib)" $edu || return
	[ $(((stage - 1) / 3)) -lt "$(bench_rounds)" ] || return 0
	bench_kexec
}

# Round r (from 0) is kernels 3r+2, 3r+3 and 3r+4.
for round in $(seq 0 $(($(bench_rounds) - 1))); do
	eval "stage$((3 * round + 2))() { bench_memfd_kexec; }"
	eval "stage$((3 * round + 3))() { bench_iommu_kexec; }"
	eval "stage$((3 * round + 4))() { bench_reclaim $((3 * round + 4)); }"
done
