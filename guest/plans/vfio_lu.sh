# Live update of a VFIO device on the igb NIC behind the emulated VT-d:
# preserving its cdev, iommufd and memfd in a LUO session, the refusals, the
# preserved state against the hardware tables, abort, a VMM that dies, fault
# injection, and kexecs refused at freeze.  No kexec happens.
stage1() {
	vfio_igb || return
	# the freeze tests may kexec if the freeze fails to refuse: opt in
	export VFIO_LU_KEXEC_KERNEL=/kernel
	run vfio_pci_liveupdate_test 300 /tests/vfio/vfio_pci_liveupdate_test
}
