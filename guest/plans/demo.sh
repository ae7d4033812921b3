# The demo: igb through vfio-pci and iommufd doing DMA into a memfd; memfd,
# iommufd and device carried across a live-update kexec by LUO with the
# device live; in the new kernel DMA through the old translation, then
# through a new HWPT.
demo_mode() {
	local m
	m=$(dmesg | grep -m1 -oE 'DMAR: (Intel\(R\) Virtualization Technology for Directed I/O|IOMMU enabled)')
	[ -n "$m" ] || m="no VT-d found"
	narrate "kernel $(uname -r), ${m#DMAR: }"
}

stage1() {
	local bdf
	demo_mode
	bdf=$(pci_find 8086 10c9) || { narrate "FAIL: no igb device"; return; }
	vfio_bind "$bdf" || { narrate "FAIL: could not bind $bdf to vfio-pci"; return; }
	narrate "igb $bdf bound to vfio-pci, IOMMU group $(basename "$(readlink /sys/bus/pci/devices/$bdf/iommu_group)")"
	run lu-demo.stage1 120 /tests/lu-demo 1 "$bdf" || return
	narrate "live-update kexec into the same kernel"
	lu_kexec
}

stage2() {
	local bdf
	demo_mode
	bdf=$(pci_find 8086 10c9) || { narrate "FAIL: no igb device"; return; }
	vfio_bind "$bdf" || { narrate "FAIL: could not bind $bdf to vfio-pci"; return; }
	run lu-demo.stage2 120 /tests/lu-demo 2 "$bdf"
}
