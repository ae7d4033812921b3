# Live update of a VFIO device on the igb NIC behind the emulated VT-d:
# preserving its cdev, iommufd and memfd in a LUO session, the refusals, the
# preserved state against the hardware tables, abort, a VMM that dies, fault
# injection, and kexecs refused at freeze.  Then two live-update kexecs:
# with every session closed again (aborted) the new kernel finds no IOMMU
# state and the device works as on any boot; with the device preserved the
# next kernel adopts its translation unchanged.
LU_NONE="$LU_STATE_EMPTY"'
	! dmesg | grep "state of the previous kernel"'

# The device's root, context (and in scalable mode PASID) entries, as the
# Intel IOMMU debugfs shows them: one line.
lu_snapshot() {
	grep "^${VFIO_SELFTESTS_BDF#*:}" /sys/kernel/debug/iommu/intel/dmar_translation_struct
}

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
	# DMA checked, then preserved and held by a daemon across the kexec
	VFIO_LU_KEXEC_STAGE1=1 run kexec_keeps_translation.stage2 120 \
		/tests/vfio/vfio_pci_liveupdate_test -t kexec_stage1
	lu_snapshot > /lu-stage1.tables
	lu_kexec
}

stage3() {
	local did
	did=$(sed -n 's/^attach_id=//p' /lu-stage1)
	VFIO_SELFTESTS_BDF=$(pci_find 8086 10c9) || { say "# no igb device"; return; }
	run unit_adopted.stage3 10 sh -c \
		'dmesg | grep "DMAR: liveupdate: dmar[0-9]*: adopted from the previous kernel"'
	run device_restored_same_domain_id.stage3 10 sh -c "
		dmesg | grep '$VFIO_SELFTESTS_BDF: live update: translation handed over, domain ID $did\$' &&
		dmesg | grep '$VFIO_SELFTESTS_BDF: live update: attached to its restored domain'"
	run no_dmar_fault.stage3 10 sh -c '! dmesg | grep "DMAR: \[DMA"'
	# not one entry rewritten: same tables, same domain ID
	lu_snapshot > /lu-stage3.tables
	run entries_unchanged.stage3 10 sh -c \
		'cat /lu-stage3.tables; [ -s /lu-stage1.tables ] && diff /lu-stage1.tables /lu-stage3.tables'
}
