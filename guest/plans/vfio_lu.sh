# Live update of a VFIO device on the igb NIC behind the emulated VT-d:
# preserving its cdev, iommufd and memfd in a LUO session, the refusals, the
# preserved state against the hardware tables, abort, a VMM that dies, fault
# injection, and kexecs refused at freeze.  Then, with every session closed
# again (aborted), a live-update kexec: the new kernel finds no IOMMU state
# to adopt and the device works as on any boot.
LU_NONE="$LU_STATE_EMPTY"'
	! dmesg | grep "state of the previous kernel"'

stage1() {
	vfio_igb || return
	# the freeze tests may kexec if the freeze fails to refuse: opt in
	export VFIO_LU_KEXEC_KERNEL=/kernel
	run vfio_pci_liveupdate_test 300 /tests/vfio/vfio_pci_liveupdate_test
	lu_kexec
}

stage2() {
	run abort_then_kexec_no_state.stage2 10 sh -c "$LU_NONE"
	# before any test provokes DMAR faults on purpose
	run abort_then_kexec_no_dmar_fault.stage2 10 sh -c '! dmesg | grep "DMAR: \[DMA"'
	vfio_igb || return
	run abort_then_kexec_dma.stage2 120 /tests/vfio/vfio_pci_driver_test -v iommufd
}
