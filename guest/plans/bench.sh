# The figures of `make bench` (not a test: not in `make test`'s plans).
# Kernel 1 kexecs with nothing preserved; kernel 2 preserves a memfd of
# lu.bench_mib MiB alone (lu-bench stage m) and kexecs; kernel 3 finishes
# that session (stage f), maps a memfd of the same size for the igb,
# preserves memfd, iommufd and igb (stage 1) and kexecs; kernel 4 reclaims
# the restored domain and then re-maps the same memfd into a new IOAS and
# HWPT (stage 2).  Each stage prints the TSC at its start and lu-kexec the
# TSC right before its reboot(): scripts/bench.py turns them into the three
# kexec times, whose ratios give what the guest memory and what the IOMMU
# state add to a kexec.

bench_mib() {
	cmdline_arg lu.bench_mib || echo 1024
}

# lu.bench_thp=1: the memfds in 2 MiB folios, the table in 2 MiB leaves
bench_thp() {
	[ "$(cmdline_arg lu.bench_thp)" = 1 ] || return 0
	echo always > /sys/kernel/mm/transparent_hugepage/shmem_enabled
}

stage1() {
	lu_kexec
}

stage2() {
	bench_thp || return
	run bench_memfd_alone.stage2 1200 lu-bench m none "$(bench_mib)" || return
	lu_kexec
}

stage3() {
	run bench_memfd_alone_finish.stage3 1200 lu-bench f none "$(bench_mib)" || return
	vfio_igb || return
	bench_thp || return
	run bench_preserve.stage3 1200 lu-bench 1 "$VFIO_SELFTESTS_BDF" "$(bench_mib)" || return
	lu_kexec
}

stage4() {
	vfio_igb || return
	run bench_reclaim_remap.stage4 1200 lu-bench 2 "$VFIO_SELFTESTS_BDF" "$(bench_mib)"
}
