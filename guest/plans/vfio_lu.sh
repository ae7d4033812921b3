# Live update of a VFIO device on the igb NIC behind the emulated VT-d:
# preserving its cdev, iommufd and memfd in a LUO session, the refusals, the
# preserved state against the hardware tables, abort, fault injection, and a
# kexec refused at freeze because the device has interrupts on.  No kexec happens.
stage1() {
	vfio_igb || return
	run vfio_pci_liveupdate_test 300 /tests/vfio/vfio_pci_liveupdate_test
}
