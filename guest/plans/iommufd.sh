# iommufd selftests against the mock domain (CONFIG_IOMMUFD_TEST).
stage1() {
	run iommufd 900 /tests/iommu/iommufd
}
