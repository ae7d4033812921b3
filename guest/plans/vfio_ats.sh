# vmrun: ats
# A function that can use ATS, behind the emulated VT-d with device TLBs on
# (QEMU's virtio-rng with ATS, on a PCIe root port): its live update is
# refused (and logged as such) before anything of it is recorded, since
# VT-d enables its device TLB in its entry and the next kernel could not
# invalidate that if it fenced the device.  The igb, with no ATS, is
# preserved as usual beside it.
stage1() {
	local bdf

	bdf=$(pci_find 1af4 1044) || { say "# no virtio-rng device"; return 1; }
	vfio_bind "$bdf" || { say "# could not bind $bdf to vfio-pci"; return 1; }
	VFIO_SELFTESTS_BDF=$bdf run ats_device_not_preserved 120 \
		/tests/vfio/vfio_pci_liveupdate_test -t refuse_ats_device
	vfio_igb || return
	run device_without_ats_preserved 120 \
		/tests/vfio/vfio_pci_liveupdate_test -t preserve
}
