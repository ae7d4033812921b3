# VFIO selftests on the igb NIC behind the emulated VT-d.  Under TCG only the
# iommufd variants of the DMA tests run: all IOMMU modes take over 500 s.
stage1() {
	vfio_igb || return
	run vfio_pci_device_test 120 /tests/vfio/vfio_pci_device_test
	run vfio_iommufd_setup_test 120 /tests/vfio/vfio_iommufd_setup_test
	run vfio_dma_mapping_test 300 /tests/vfio/vfio_dma_mapping_test -v iommufd_anonymous -v iommufd_anonymous_hugetlb_2mb -v iommufd
	run vfio_pci_driver_test 300 /tests/vfio/vfio_pci_driver_test -v iommufd
}
