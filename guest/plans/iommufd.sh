# iommufd selftests against the mock domain (CONFIG_IOMMUFD_TEST), the
# series' iommufd live update selftests (LUO sessions on mock domains), and an
# iommufd carried across a real live-update kexec (stage 1 leaves a daemon
# holding the session).
stage1() {
	run iommufd 900 /tests/iommu/iommufd
	run iommufd_liveupdate 300 /tests/iommu/iommufd_liveupdate
	# every allocation of the iommufd preservation failed in turn
	run iommufd_fail_nth.lu_preserve 600 /tests/iommu/iommufd_fail_nth -t lu_preserve
	run iommufd_lu_kexec.stage1 60 /tests/iommu/iommufd_lu_kexec -s 1
	lu_kexec
}

stage2() {
	run iommufd_lu_kexec.stage2 60 /tests/iommu/iommufd_lu_kexec -s 2
}
