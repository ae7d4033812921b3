# LUO selftests: the uAPI test, then three tests that span a real
# live-update kexec (their stage 1 leaves a daemon holding the sessions).
# The third asks the kernel to move a page of a retrieved memfd: refused
# until its session finishes, done after.  Around them, the IOMMU live
# update debugfs view must show nothing preserved: no IOMMU state is put in
# these sessions.

stage1() {
	run iommu_lu_state_empty.stage1 10 sh -c "$LU_STATE_EMPTY"
	run liveupdate 300 /tests/liveupdate/liveupdate
	run luo_kexec_simple.stage1 60 /tests/liveupdate/luo_kexec_simple -s 1
	run luo_multi_session.stage1 60 /tests/liveupdate/luo_multi_session -s 1
	run memfd_in_place.stage1 60 /tests/liveupdate/luo_memfd_in_place -s 1
	lu_kexec
}

stage2() {
	run luo_kexec_simple.stage2 60 /tests/liveupdate/luo_kexec_simple -s 2
	run luo_multi_session.stage2 60 /tests/liveupdate/luo_multi_session -s 2
	run memfd_in_place.stage2 60 /tests/liveupdate/luo_memfd_in_place -s 2
	run iommu_lu_state_empty.stage2 10 sh -c "$LU_STATE_EMPTY"
}
