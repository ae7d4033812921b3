stage1() {
	EDU_BDF=$(pci_find 1234 11e8)
	vfio_bind $EDU_BDF; export VFIO_SELFTESTS_BDF=$EDU_BDF
	VFIO_LU_KEXEC_STAGE1=1 run p.stage1 120 /tests/vfio/vfio_pci_liveupdate_test -t kexec_stage1
	lu_kexec movablecore=90%
}
stage2() {
	EDU_BDF=$(pci_find 1234 11e8); export VFIO_SELFTESTS_BDF=$EDU_BDF
	run z.stage2 10 sh -c "dmesg | grep -i -e movable -e kho | head -20; cat /proc/zoneinfo | grep -E 'Node|present|managed' | head -20"
	VFIO_LU_KEXEC_ABORT=unretrieved run a.stage2 120 /tests/vfio/vfio_pci_liveupdate_abort_test
	run d.stage2 10 sh -c "dmesg | grep -i -e iommufd -e 'live update' | tail -20"
}
