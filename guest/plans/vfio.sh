# VFIO selftests on the igb NIC (and edu) behind the emulated VT-d.  Under TCG only the
# iommufd variants of the DMA tests run: all IOMMU modes take over 500 s.
stage1() {
	vfio_igb || return
	run vfio_pci_device_test 120 /tests/vfio/vfio_pci_device_test
	run vfio_iommufd_setup_test 120 /tests/vfio/vfio_iommufd_setup_test
	run vfio_dma_mapping_test 300 /tests/vfio/vfio_dma_mapping_test -v iommufd_anonymous -v iommufd_anonymous_hugetlb_2mb -v iommufd
	run vfio_pci_driver_test 300 /tests/vfio/vfio_pci_driver_test -v iommufd
	# edu: its DMA runs on a QEMU timer, whenever the replaces are
	edu=$(pci_find 1234 11e8) && vfio_bind "$edu" ||
		{ say "# no edu device for vfio-pci"; return 1; }
	VFIO_SELFTESTS_BDF=$edu run vfio_pci_replace_test 180 /tests/vfio/vfio_pci_replace_test
}
