# iommufd selftests against the mock domain (CONFIG_IOMMUFD_TEST), and the
# series' iommufd live update selftest (LUO sessions on mock domains).
stage1() {
	run iommufd 900 /tests/iommu/iommufd
	run iommufd_liveupdate 300 /tests/iommu/iommufd_liveupdate
	# every allocation of the iommufd preservation failed in turn
	run iommufd_fail_nth.lu_preserve 600 /tests/iommu/iommufd_fail_nth -t lu_preserve
}
