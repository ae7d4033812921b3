# The figures of `make bench` (not a test: not in `make test`'s plans).
# Kernel 1 kexecs with nothing preserved; kernel 2 maps a memfd of
# lu.bench_mib MiB for the igb, preserves memfd, iommufd and igb (lu-bench
# stage 1) and kexecs; kernel 3 reclaims the restored domain and then
# re-maps the same memfd into a new IOAS and HWPT (lu-bench stage 2).  Each
# stage prints the TSC at its start and lu-kexec the TSC right before its
# reboot(): scripts/bench.py turns them into the two kexec times.

bench_mib() {
	cmdline_arg lu.bench_mib || echo 1024
}

stage1() {
	lu_kexec
}

stage2() {
	vfio_igb || return
	# lu.bench_thp=1: the memfd in 2 MiB folios, the table in 2 MiB leaves
	if [ "$(cmdline_arg lu.bench_thp)" = 1 ]; then
		echo always > /sys/kernel/mm/transparent_hugepage/shmem_enabled || return
	fi
	run bench_preserve.stage2 1200 lu-bench 1 "$VFIO_SELFTESTS_BDF" "$(bench_mib)" || return
	lu_kexec
}

stage3() {
	vfio_igb || return
	run bench_reclaim_remap.stage3 1200 lu-bench 2 "$VFIO_SELFTESTS_BDF" "$(bench_mib)"
}
