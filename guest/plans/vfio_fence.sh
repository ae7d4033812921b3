# Fail closed: a device the previous kernel preserved keeps bus mastering
# through the kexec, so wherever the next kernel does not adopt its state it
# must reach nothing until it is reset.  The device is QEMU's edu, preserved
# through vfio-pci like any VM's device; lu-dma-canary then drives it
# through its BAR, bypassing every driver, to copy its buffer to a host page
# filled with a canary, and checks that nothing lands.  A fenced edu stays
# blocked until it is reset or the PCI core clears its bus mastering.
#
# Kernel 1: edu preserved as a VM's device would be.  Kernel 2: edu adopted;
# its session retrieved (which pins the memory its domain maps), a hole
# punched in the memfd at a page edu maps (edu still reads the pinned page),
# the iommufd retrieved, not the device, and the session closed: the session
# is aborted, edu blocked (its DMA to the memfd, which landed before, no
# longer does), a new VMM opens it and DMA works; edu preserved
# again.  Kernel 3: a VMM retrieves the device (-EAGAIN until vfio-pci is
# bound again), has it DMA, and is killed: the same; edu preserved
# again.  Kernel 4: the pins taken with the session fail (fault injection):
# edu blocked then, nothing of its DMA lands, usable after a reset; edu
# preserved again, and the next kernel loaded with kexec_load(), which
# cannot receive the state: the kexec refused while the session holds edu
# (logged, edu still preserved); the session closed, edu preserved with
# every range of its iommufd's record a page short (test hook).  Kernel 5:
# the pages recorded are pinned, but the restored domain maps a page after
# each range, which nothing pins: unpinned, edu blocked then, nothing of
# its DMA lands, usable after a reset; edu preserved with no range
# recorded (test hook).  Kernel 6: nothing pinned, but the restored domain
# maps pages: the same; edu preserved with its data range recorded a page
# back in the memfd (test hook).  Kernel 7: the pages are pinned, but the
# restored domain translates the recorded IOVAs to the pages after them:
# the same; edu preserved, the PCI records made to name their own page as
# their function array (test hook).  Kernel 8: the PCI records not usable
# (edu's bus mastering cleared), edu fenced by the IOMMU core; the
# iommufd's record made to name its own page as its ranges (test hook):
# its retrieve refused, nothing of edu's DMA lands, the session finishes
# with each record's page freed once (no warning), a new VMM uses edu;
# edu preserved, its record corrupted, a stray live
# entry with no record left in its context table (test hook; in legacy mode
# with the domain ID kernel 9 would hand out first), kexec into a
# kernel with iommu=pt (identity default domains: a fenced device given its
# default domain would reach all of host memory).  Kernel 9: the stray
# entry cleared at adoption and its domain ID not reused; edu fenced,
# still bus mastering, its DMA blocked; a DMA-API driver refused; its group
# is not viable for a type1 container; vfio-pci opens its cdev (clearing its bus
# mastering: edu has no reset method), which lifts the fence, and DMA
# through iommufd works; edu preserved again, its record naming another
# function.  Kernel 10: fenced as a different function, its DMA
# blocked; edu opened and preserved again, its PCI record naming another
# function, its IOMMU record intact (test hook).  Kernel 11: the PCI core
# does not hand edu over (its bus mastering cleared) and the IOMMU core,
# whose record matches, fences it: with bus mastering set again nothing
# of its DMA lands in the memory its VM had mapped; its retrieve fails,
# the session finishes, a new VMM uses it.  Kernel 12: nothing preserved,
# edu set up as any device under iommu=pt: the same DMA lands (the canary sees a DMA that is not blocked;
# legacy mode only: QEMU 10.0 in scalable mode does not translate a device
# that was in pass-through again, so there kernel 12 runs with iommu=nopt);
# edu preserved again, the state given an ABI version no kernel has.  Kernel
# 13: the state rejected as a whole, the unit blocked, edu fenced, its DMA
# blocked; edu opened and preserved again, kexec with
# intel_iommu=off.  Kernel 14: no IOMMU driver, the unit blocked for the boot
# with translation kept on, nothing of edu's DMA lands; kexec with nothing
# preserved (and intel_iommu=on).  Kernel 15: the unit found as kernel 14 left
# it (empty root table, interrupt remapping on an empty table), nothing
# fenced, edu usable; edu preserved again and, in legacy mode, the unit's
# record corrupted, in scalable mode the next kernel told
# intel_iommu=sm_off.  Kernel 16: the unit blocked with translation kept on,
# nothing of edu's DMA lands; in legacy mode edu (fenced) opened and
# preserved again, kexec with liveupdate=off.  Kernel 17 (legacy mode only:
# the intel_iommu=sm_off kernel has no IOMMU to preserve edu through): the
# PCI core clears edu's bus mastering, the unit is blocked, nothing of edu's
# DMA lands.  From kernel 9 on, every kernel after a kexec that left the
# unit translating finds its interrupt remapping on the empty table the
# kexec switched it to.

# The domain ID of the stray entry: the lowest VT-d hands out
# (IDA_START_DID), so the first of kernel 9's domains would get it if it
# were not kept out of use (kernel 9 reserves no recorded ID: edu's
# record is bad)
STRAY_DID=2

# edu, whatever driver it has (EDU_BDF)
edu_find() {
	EDU_BDF=$(pci_find 1234 11e8) || { say "# no edu device"; return 1; }
	export EDU_BDF
}

vfio_edu() {
	edu_find || return
	vfio_bind "$EDU_BDF" || { say "# could not bind $EDU_BDF to vfio-pci"; return 1; }
	export VFIO_SELFTESTS_BDF=$EDU_BDF
}

# Preserve edu through vfio-pci (its DMA checked first), left to a daemon
LU_PRESERVE="/tests/vfio/vfio_pci_liveupdate_test -s 1 -t kexec_stage1"

# A session that ends unfinished, edu adopted with its translation: see
# vfio_pci_liveupdate_abort_test.c
LU_STAGE2="/tests/vfio/vfio_pci_liveupdate_abort_test -s 2 -t kexec_stage2"

stage1() {
	vfio_edu || return
	run edu_preserved.stage1 120 $LU_PRESERVE || return
	lu_kexec
}

stage2() {
	edu_find || return
	export VFIO_SELFTESTS_BDF=$EDU_BDF
	run edu_adopted.stage2 10 sh -c "
		dmesg | grep '$EDU_BDF: live update: attached to its restored domain'"
	# the device never retrieved: blocked when the session is closed
	run session_closed_unretrieved.stage2 120 ${LU_STAGE2}_unretrieved
	vfio_edu || return
	run edu_preserved_for_vmm.stage2 120 $LU_PRESERVE || return
	lu_kexec
}

stage3() {
	edu_find || return
	export VFIO_SELFTESTS_BDF=$EDU_BDF
	# the VMM took the device (after -EAGAIN before vfio-pci was bound
	# again) and dies: the session is aborted, the device blocked
	run vmm_killed_session_aborted.stage3 120 ${LU_STAGE2}_vmm_killed
	vfio_edu || return
	run edu_preserved_for_pin_failure.stage3 120 $LU_PRESERVE || return
	lu_kexec
}

stage4() {
	edu_find || return
	export VFIO_SELFTESTS_BDF=$EDU_BDF
	# the pins taken with the session fail (fault injection): the device
	# is blocked there and then
	run pin_failed_device_blocked.stage4 120 ${LU_STAGE2}_pin_failed_nomem
	vfio_edu || return
	run edu_preserved_for_kexec_load.stage4 120 $LU_PRESERVE || return
	# an image that cannot receive the state: refused while a session
	# holds the device, which stays preserved and doing DMA
	lu_kexec_load
	run kexec_load_refused.stage4 10 sh -c "
		dmesg | grep 'kexec refused: the image cannot receive the preserved sessions' &&
		grep '^device .* pci=$EDU_BDF ' /sys/kernel/debug/iommu/liveupdate/outgoing"
	# the session's daemon goes, and the session with it
	run kexec_load_session_closed.stage4 10 sh -c "
		for p in /proc/[0-9]*; do
			[ \"\$(cat \$p/comm 2>/dev/null)\" = vfio_pci_liveup ] && kill \${p#/proc/}
		done
		sleep 1
		grep -x preserved_table_pages=0 /sys/kernel/debug/iommu/liveupdate/outgoing"
	vfio_edu || return
	# the iommufd records every range a page short (test hook)
	echo 2 > /sys/module/iommufd/parameters/lu_corrupt_ranges
	run edu_preserved_ranges_short.stage4 120 $LU_PRESERVE || return
	lu_kexec
}

stage5() {
	edu_find || return
	export VFIO_SELFTESTS_BDF=$EDU_BDF
	# the restored domain maps a page after each recorded range, which
	# nothing pins: the device is blocked there and then
	run unrecorded_page_device_blocked.stage5 120 ${LU_STAGE2}_pin_failed_short
	vfio_edu || return
	# the iommufd records no range at all (test hook)
	echo 3 > /sys/module/iommufd/parameters/lu_corrupt_ranges
	run edu_preserved_no_ranges.stage5 120 $LU_PRESERVE || return
	lu_kexec
}

stage6() {
	edu_find || return
	export VFIO_SELFTESTS_BDF=$EDU_BDF
	# nothing recorded, nothing pinned, yet the restored domain maps
	# pages: the device is blocked there and then
	run no_ranges_device_blocked.stage6 120 ${LU_STAGE2}_pin_failed_none
	vfio_edu || return
	# the iommufd records the data range a page back in its memfd
	echo 1 > /sys/module/iommufd/parameters/lu_corrupt_ranges
	run edu_preserved_offset_skewed.stage6 120 $LU_PRESERVE || return
	lu_kexec
}

stage7() {
	edu_find || return
	export VFIO_SELFTESTS_BDF=$EDU_BDF
	# the pinned pages are not where the restored domain translates the
	# recorded IOVAs: the device is blocked there and then
	run page_mismatch_device_blocked.stage7 120 ${LU_STAGE2}_pin_failed_offset
	vfio_edu || return
	run edu_preserved.stage7 120 $LU_PRESERVE || return
	# the PCI records name their own page as their function array
	echo self > /sys/kernel/debug/pci_liveupdate_corrupt || return
	lu_kexec
}

stage8() {
	edu_find || return
	export VFIO_SELFTESTS_BDF=$EDU_BDF
	# the PCI records are not usable: edu's bus mastering cleared at
	# enumeration, and the IOMMU core, whose record is intact, fences it
	run records_self_fenced.stage8 10 sh -c "
		dmesg | grep '$EDU_BDF: live update: bus mastering left on by the previous kernel, the live update records are not usable: cleared' &&
		dmesg | grep '$EDU_BDF: live update: the PCI core did not hand it over: fencing it' &&
		dmesg | grep '$EDU_BDF: live update: DMA blocked until the device is reset' &&
		! dmesg | grep '$EDU_BDF: live update: attached to its restored domain'"
	# the iommufd's record names its own page as its ranges too (test
	# hook set by the test): refused, nothing of edu's DMA lands, and
	# the finish frees each page once (vfio-pci bound by hand: the PCI
	# core did not hand edu over to it)
	vfio_edu || return
	run records_self_freed_once.stage8 120 ${LU_STAGE2}_records_self
	vfio_edu || return
	run edu_preserved.stage8 120 $LU_PRESERVE || return
	echo "device $EDU_BDF" > /sys/kernel/debug/iommu/liveupdate/corrupt
	# a stray live entry, no device and no record behind it, kept at the
	# kexec as if preserved (test hook): the next kernel must clear it
	# (legacy mode: with domain ID $STRAY_DID, which the next kernel would
	# give its first new domain if it did not keep it out of use; in
	# scalable mode the ID is in the PASID entry the copy shares)
	case $(cmdline_arg lu.mode) in
	legacy) stray="00:0f.0 $STRAY_DID" ;;
	*) stray=00:0f.0 ;;
	esac
	run stray_entry_left.stage8 10 sh -c "
		echo $stray > /sys/kernel/debug/iommu/intel_lu_stray &&
		grep '^00:0f.0' /sys/kernel/debug/iommu/intel/dmar_translation_struct"
	lu_kexec iommu=pt
}

stage9() {
	edu_find || return
	run bad_record_fenced.stage9 10 sh -c "
		grep -w iommu=pt /proc/cmdline &&
		dmesg | grep 'device ${EDU_BDF#*:}.*fenced: bad domain ID' &&
		dmesg | grep '$EDU_BDF: live update: DMA blocked until the device is reset' &&
		! dmesg | grep '$EDU_BDF: live update: attached to its restored domain'"
	run stray_entry_cleared.stage9 10 sh -c "
		dmesg | grep 'DMAR: liveupdate: dmar0: device 00:0f.0 fenced: live entry without a record' &&
		! grep '^00:0f.0' /sys/kernel/debug/iommu/intel/dmar_translation_struct"
	# before this kernel has a domain (iommu=pt): the IDs the two cleared
	# entries carried are the ones in use: the stray's and edu's in legacy
	# mode; in scalable mode edu's alone, in the RID_PASID entry of the
	# PASID directory both entries point to
	run stray_entry_did_held.stage9 10 sh -c "
		grep -qw lu.mode=legacy /proc/cmdline && held=2 || held=1
		used=\$(cat /sys/class/iommu/dmar0/intel-iommu/domains_used)
		echo \"# domain IDs in use: \$used, \$held expected\"
		[ \$used -eq \$held ]"
	run bad_record_dma_blocked.stage9 10 sh -c "$CANARY_BLOCKED"
	run interrupts_left_blocked.stage9 10 sh -c "$LU_IR_BLOCKED"
	run bad_record_dma_faulted.stage9 10 sh -c 'dmesg | grep "DMAR: \[DMA Write"'
	# no driver using the DMA API may take it before a reset
	run bad_record_dma_api_refused.stage9 10 sh -c "
		d=/sys/bus/pci/devices/$EDU_BDF
		[ ! -e \$d/driver ] || echo $EDU_BDF > \$d/driver/unbind
		echo virtio-pci > \$d/driver_override
		err=\$( (echo $EDU_BDF > /sys/bus/pci/drivers/virtio-pci/bind) 2>&1)
		echo \"bind virtio-pci: \$err\"
		case \$err in *busy*) ;; *) exit 1 ;; esac
		[ ! -e \$d/driver ]"
	vfio_edu || return
	# the group is owned (fenced): not viable for a type1 container
	run bad_record_container_refused.stage9 60 sh -c "
		/tests/vfio/vfio_dma_mapping_test \
			-r vfio_dma_mapping_test.vfio_type1_iommu_anonymous.dma_map_unmap \
			> /tmp/type1.log 2>&1 && exit 1
		grep -A1 'Assertion' /tmp/type1.log | sed 's/^/# /'
		grep -q 'group_status.flags' /tmp/type1.log &&
		$CANARY_BLOCKED"
	# a new VMM through the cdev: vfio-pci clears its bus mastering (and
	# resets it where it can) when it opens it, which lifts the fence;
	# DMA through iommufd works
	run bad_record_vfio_usable.stage9 120 /tests/vfio/vfio_pci_driver_test \
		-r vfio_pci_driver_test.iommufd.memcpy_success
	run bad_record_quiesced_by_vfio.stage9 10 sh -c "
		dmesg | grep '$EDU_BDF: live update: reset or bus mastering cleared, DMA no longer blocked'"
	run edu_preserved_again.stage9 120 $LU_PRESERVE || return
	# edu's domains are the first of this kernel (iommu=pt: identity
	# default domains); the one it is preserved on did not get the domain
	# ID the stray entry carried
	run stray_entry_did_not_reused 10 sh -c "
		grep -qw lu.mode=legacy /proc/cmdline ||
			{ echo '# legacy mode only'; exit 4; }
		ctx=\$(grep '^${EDU_BDF#*:}' \
			/sys/kernel/debug/iommu/intel/dmar_translation_struct | cut -f3)
		did=\$(( (\${ctx%%:*} >> 8) & 0xffff ))
		echo \"# edu's live domain ID \$did, the stray entry's $STRAY_DID\"
		[ \$did -ge 2 ] && [ \$did -ne $STRAY_DID ]"
	echo "identity $EDU_BDF" > /sys/kernel/debug/iommu/liveupdate/corrupt
	lu_kexec
}

stage10() {
	edu_find || return
	run other_function_fenced.stage10 10 sh -c "
		dmesg | grep '$EDU_BDF: live update: 1234:11e8 .*, the previous kernel preserved 1234:ee17 .*: fencing it' &&
		dmesg | grep '$EDU_BDF: live update: DMA blocked until the device is reset'"
	run other_function_dma_blocked.stage10 10 sh -c "$CANARY_BLOCKED"
	vfio_edu || return
	run edu_preserved_pci_record.stage10 120 $LU_PRESERVE || return
	# the PCI record names another function, the IOMMU record is intact
	echo "$EDU_BDF" > /sys/kernel/debug/pci_liveupdate_corrupt || return
	lu_kexec
}

stage11() {
	edu_find || return
	run pci_not_handed_over_fenced.stage11 10 sh -c "
		dmesg | grep '$EDU_BDF: live update: preserved function was 1234:ee17 .*not handed over, bus mastering cleared' &&
		dmesg | grep '$EDU_BDF: live update: the PCI core did not hand it over: fencing it' &&
		dmesg | grep '$EDU_BDF: live update: DMA blocked until the device is reset' &&
		! dmesg | grep '$EDU_BDF: live update: attached to its restored domain'"
	vfio_edu || return
	run pci_not_handed_over_dma_blocked.stage11 120 \
		${LU_STAGE2}_not_handed_over
	# QEMU 10.0 in scalable mode keeps a device that was in pass-through
	# untranslated once a paging domain replaces it: no iommu=pt there
	case $(cmdline_arg lu.mode) in
	sm*)	lu_kexec iommu=nopt ;;
	*)	lu_kexec ;;
	esac
}

stage12() {
	vfio_edu || return
	run no_state.stage12 10 sh -c "$LU_STATE_EMPTY"
	# the canary sees a DMA that nothing blocks: identity domain, no fence
	# (skipped in scalable mode, see stage11)
	run canary_positive_control 30 sh -c "
		grep -qw iommu=nopt /proc/cmdline &&
			{ echo '# no identity domain under QEMU 10.0 scalable mode'; exit 4; }
		d=/sys/bus/pci/devices/$EDU_BDF
		echo $EDU_BDF > \$d/driver/unbind && echo > \$d/driver_override &&
		grep -x identity \$d/iommu_group/type &&
		lu-dma-canary -m -x $EDU_BDF"
	vfio_edu || return
	run edu_preserved_once_more.stage12 120 $LU_PRESERVE || return
	# an ABI version no kernel has: the next kernel rejects the whole state
	echo version > /sys/kernel/debug/iommu/liveupdate/corrupt
	lu_kexec
}

stage13() {
	edu_find || return
	run state_rejected.stage13 10 sh -c "
		dmesg | grep 'iommu: liveupdate: root: ABI version 4294967295' &&
		dmesg | grep 'DMAR: dmar0: live update state not usable, blocking all DMA through it' &&
		dmesg | grep '$EDU_BDF: live update: DMA blocked until the device is reset'"
	run state_rejected_dma_blocked.stage13 10 sh -c "$CANARY_BLOCKED"
	vfio_edu || return
	run edu_preserved_for_off.stage13 120 $LU_PRESERVE || return
	lu_kexec intel_iommu=off
}

stage14() {
	edu_find || return
	# no IOMMU driver at all, and still nothing of edu's DMA lands
	run iommu_off_unit_blocked.stage14 10 sh -c "
		grep -w intel_iommu=off /proc/cmdline &&
		dmesg | grep 'DMAR: dmar0: intel_iommu=off; left translating by the previous kernel: all DMA through it blocked for this boot'"
	run iommu_off_dma_blocked.stage14 10 sh -c "$CANARY_BLOCKED"
	# nothing preserved: the unit stays blocked through the kexec (edu was
	# never reset), its empty root table preserved for the next kernel;
	# that kernel runs the IOMMU again (the last intel_iommu= counts)
	lu_kexec intel_iommu=on
}

stage15() {
	edu_find || return
	# left on by the intel_iommu=off kernel: found with its empty root
	# table and interrupts blocked (the intel_iommu=off kexec path);
	# nothing had a live entry, so nothing is fenced
	run kept_blocked_unit.stage15 10 sh -c "
		dmesg | grep 'DMAR: dmar0: live update state not usable, blocking all DMA through it' &&
		! dmesg | grep -e 'fencing every device' -e '$EDU_BDF: live update'"
	run kept_blocked_unit_interrupts_left_blocked.stage15 10 sh -c "$LU_IR_BLOCKED"
	vfio_edu || return
	run kept_blocked_unit_device_usable.stage15 120 /tests/vfio/vfio_pci_driver_test \
		-r vfio_pci_driver_test.iommufd.memcpy_success
	run edu_preserved_last.stage15 120 $LU_PRESERVE || return
	case $(cmdline_arg lu.mode) in
	sm*)	# a next kernel that cannot run the unit as it was left
		lu_kexec intel_iommu=sm_off ;;
	*)	echo "unit $(cat /sys/class/iommu/dmar0/intel-iommu/address)" \
			> /sys/kernel/debug/iommu/liveupdate/corrupt
		lu_kexec ;;
	esac
}

stage16() {
	edu_find || return
	run unit_blocked.stage16 10 sh -c "
		dmesg | grep -e 'DMAR: dmar0: live update state not usable, blocking all DMA through it' \
			-e 'DMAR: dmar0: found in scalable mode, this kernel runs legacy mode; left translating by the previous kernel: all DMA through it blocked' &&
		! dmesg | grep 'adopted from the previous kernel'"
	run unit_blocked_dma_blocked.stage16 10 sh -c "$CANARY_BLOCKED"
	run unit_blocked_interrupts_left_blocked.stage16 10 sh -c "$LU_IR_BLOCKED"
	case $(cmdline_arg lu.mode) in
	sm*)	# intel_iommu=sm_off: no IOMMU here to preserve edu through
		# (not a `run NAME` line: the plan's list of tests is parsed)
		for t in $NO_LU_TESTS; do
			[ -n "$t" ] && run "$t" 10 sh -c "echo '# no IOMMU in the intel_iommu=sm_off kernel to preserve edu with'; exit 4"
		done
		return ;;
	esac
	vfio_edu || return
	run edu_preserved_for_no_liveupdate 120 $LU_PRESERVE || return
	lu_kexec liveupdate=off
}

# Kernel 17 (legacy mode): live update off, nothing of the state received.
# Named without a stage: in scalable mode they are skipped in kernel 16.
NO_LU_TESTS="edu_preserved_for_no_liveupdate no_liveupdate_master_cleared
	no_liveupdate_unit_blocked no_liveupdate_dma_blocked"

stage17() {
	edu_find || return
	# the PCI core cannot know what edu does: its bus mastering cleared
	run no_liveupdate_master_cleared 10 sh -c "
		grep -w liveupdate=off /proc/cmdline &&
		dmesg | grep '$EDU_BDF: live update: bus mastering left on by the previous kernel, the live update state was not received: cleared'"
	run no_liveupdate_unit_blocked 10 sh -c "
		dmesg | grep 'DMAR: liveupdate: dmar0: translating after a KHO kexec, but live update is off' &&
		dmesg | grep 'DMAR: dmar0: live update state not usable, blocking all DMA through it'"
	run no_liveupdate_dma_blocked 10 sh -c "
		lu-dma-canary $EDU_BDF > /tmp/canary; rc=\$?; cat /tmp/canary
		grep -q 'bus mastering off' /tmp/canary && [ \$rc = 0 ]"
}
