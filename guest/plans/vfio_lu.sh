# Live update of a VFIO device on the igb NIC behind the emulated VT-d:
# preserving its cdev, iommufd and memfd in a LUO session, the refusals, the
# preserved state against the hardware tables, abort, a VMM that dies, fault
# injection, and kexecs refused at freeze.  Then thirteen live-update kexecs
# (eleven in legacy mode):
# with every session closed again (aborted) the new kernel finds no IOMMU
# state and the device works as on any boot; with the device preserved but
# its record corrupted (test hook) the next kernel fences the device and
# sets it up anew; with the device preserved the next kernel adopts its
# translation unchanged, and the VMM retrieves the device, drives its DMA
# through the restored domain, replaces that with a new HWPT and finishes;
# preserved again, the VMM reclaims the restored domain by its token as an
# ordinary HWPT instead (IOMMU_HWPT_LU_RECLAIM, nothing mapped again);
# with the unit's record corrupted the next kernel blocks the whole unit
# (translation on, empty root table) and sets its devices up anew; with
# the edu preserved and a DMA of it started right before the process that
# holds the session reboots, the DMA lands in the memfd through the kept
# translation, and the edu keeps copying while its HWPT is replaced back
# and forth between the reclaimed restored domain and a new one; with a
# hole punched in the memfd after the retrieve, the reclaim is refused and
# the VMM maps the memfd again instead; with igb and edu on two HWPTs of
# one IOAS, both are reclaimed onto one IOAS, frozen until the second
# joins, or the second can no longer join once the first is destroyed and
# its memory stays pinned meanwhile; preserved once more with edu's record
# naming the domain ID of igb's domain (test hook), the next kernel trusts
# neither ID and fences both devices; edu preserved alone with its record
# naming a domain ID its entry does not carry, the next kernel clears the
# entry when it adopts the unit and fences edu; in scalable mode, igb and
# edu preserved with a live entry for another PASID each (test hook), the
# next kernel fences both; edu preserved with its device TLB enabled in its
# live entry (test hook), the next kernel fences it.  Until
# then the edu, used through vfio too but not preserved, loses its entry at
# the kexec and is set up anew; another driver cannot take the igb while
# it awaits its VMM.
LU_NONE="$LU_STATE_EMPTY"'
	! dmesg | grep "state of the previous kernel"'

# For `run NAME LIMIT sh -c "$LU_CORRUPT" sh CMD`: the test hook damages the
# outgoing record CMD names (CONFIG_IOMMU_LIVEUPDATE_CORRUPT)
LU_CORRUPT='echo "$1" > /sys/kernel/debug/iommu/liveupdate/corrupt'

# The device's root, context (and in scalable mode PASID) entries, as the
# Intel IOMMU debugfs shows them: one line.
lu_snapshot() {
	grep "^${VFIO_SELFTESTS_BDF#*:}" /sys/kernel/debug/iommu/intel/dmar_translation_struct
}

# The edu device: driven through vfio, never preserved (EDU_BDF)
# For vfio_pci_liveupdate_dma_test -s 1 -t kexec_with_dma_in_flight,
# the last test of a stage: edu bound to vfio-pci, the initramfs packed and
# the next kernel loaded (kexec_file_load, as lu-kexec does): the test's
# process reboots into it
lu_dma_stage1() {
	vfio_edu || return
	lu_pack_initrd
	kexec -s -l /kernel --initrd=/initrd.cpio \
		--command-line="$(cat /proc/cmdline) lu.stage=$((stage + 1))" >&3 2>&3 ||
		{ say "# could not load the next kernel"; return 1; }
	export VFIO_SELFTESTS_BDF=$EDU_BDF
}

# Signal the process that holds the session: it starts an edu DMA to guest
# memory and reboots at once into the kernel the test loaded
lu_dma_kexec() {
	say "=== KEXEC (edu DMA in flight)"
	kill -USR1 "$(cat /tmp/vfio_lu_dma.pid)"
	sleep 60
	say "# no kexec with edu's DMA in flight"
}

vfio_edu() {
	EDU_BDF=$(pci_find 1234 11e8) || { say "# no edu device"; return 1; }
	vfio_bind "$EDU_BDF" || { say "# could not bind $EDU_BDF to vfio-pci"; return 1; }
}

stage1() {
	vfio_igb || return
	# the freeze tests may kexec if the freeze fails to refuse: opt in
	export VFIO_LU_KEXEC_KERNEL=/kernel
	run vfio_pci_liveupdate_test 300 /tests/vfio/vfio_pci_liveupdate_test
	# a second stage with no first stage before the kexec fails (no
	# state session), it does not skip
	run stage2_without_state_fails 60 sh -c '
		/tests/vfio/vfio_pci_liveupdate_test -s 2 -t kexec_stage2 \
			> /tmp/nostate 2>&1; rc=$?; grep "lu_state_load" /tmp/nostate
		[ $rc != 0 ]'
	lu_kexec
}

# After `-s 1 -t kexec_stage1` preserved the igb (DMA checked first)
# and left it to a daemon: note its entries and domain ID, corrupt a record
# if asked ($1), and kexec.
lu_snapshot_and_kexec() {
	lu_snapshot > /lu-stage1.tables
	sed -n 's/.* attach_id=\([0-9]*\) .*/\1/p' \
		/sys/kernel/debug/iommu/liveupdate/outgoing > /lu-stage1.did
	cp /sys/kernel/debug/iommu/intel/dmar_translation_struct /lu-stage1.tables.all
	[ -z "$1" ] || sh -c "$LU_CORRUPT" sh "$1"
	lu_kexec
}

stage2() {
	run abort_then_kexec_no_state.stage2 10 sh -c "$LU_NONE"
	# no unit left translating: interrupt remapping found on its old table
	run abort_then_kexec_ir_not_kept.stage2 10 sh -c \
		'dmesg | grep "IRQ remapping was enabled on dmar0 but we are not in kdump mode"'
	# before any test provokes DMAR faults on purpose
	run abort_then_kexec_no_dmar_fault.stage2 10 sh -c '! dmesg | grep "DMAR: \[DMA"'
	vfio_igb || return
	run abort_then_kexec_dma.stage2 120 /tests/vfio/vfio_pci_driver_test -v iommufd
	# the device's record gets an invalid domain ID before the kexec
	run bad_record.stage2 120 \
		/tests/vfio/vfio_pci_liveupdate_test -s 1 -t kexec_stage1
	lu_snapshot_and_kexec "device $VFIO_SELFTESTS_BDF"
}

stage3() {
	VFIO_SELFTESTS_BDF=$(pci_find 8086 10c9) || { say "# no igb device"; return; }
	run bad_record_fenced.stage3 10 sh -c "
		dmesg | grep 'DMAR: liveupdate: dmar[0-9]*: device .* domain ID 0 cannot be trusted' &&
		dmesg | grep 'DMAR: liveupdate: dmar[0-9]*: device ${VFIO_SELFTESTS_BDF#*:}.*fenced: bad domain ID' &&
		dmesg | grep '$VFIO_SELFTESTS_BDF: live update: DMA blocked until the device is reset'"
	# fenced, then opened by vfio-pci (with its reset): usable again
	vfio_igb || return
	run bad_record_device_usable.stage3 120 /tests/vfio/vfio_pci_driver_test -v iommufd
	# a second device with a live entry of its own, not preserved
	vfio_edu || return
	VFIO_SELFTESTS_BDF=$EDU_BDF run not_preserved_dma.stage3 120 \
		/tests/vfio/vfio_pci_driver_test -r vfio_pci_driver_test.iommufd.memcpy_success
	run kexec_keeps_translation.stage3 120 \
		/tests/vfio/vfio_pci_liveupdate_test -s 1 -t kexec_stage1
	lu_snapshot_and_kexec
}

stage4() {
	local did
	did=$(cat /lu-stage1.did)
	VFIO_SELFTESTS_BDF=$(pci_find 8086 10c9) || { say "# no igb device"; return; }
	run unit_adopted.stage4 10 sh -c \
		'dmesg | grep "DMAR: liveupdate: dmar[0-9]*: adopted from the previous kernel"'
	run device_restored_same_domain_id.stage4 10 sh -c "
		dmesg | grep '$VFIO_SELFTESTS_BDF: live update: translation handed over, domain ID $did\$' &&
		dmesg | grep '$VFIO_SELFTESTS_BDF: live update: attached to its restored domain'"
	run no_dmar_fault.stage4 10 sh -c '! dmesg | grep "DMAR: \[DMA"'
	run interrupts_left_blocked.stage4 10 sh -c "$LU_IR_BLOCKED"
	# not one entry rewritten: same tables, same domain ID
	lu_snapshot > /lu-stage4.tables
	run entries_unchanged.stage4 10 sh -c \
		'cat /lu-stage4.tables; [ -s /lu-stage1.tables ] && diff /lu-stage1.tables /lu-stage4.tables'
	# PCI: found again at enumeration, for vfio-pci only (bound at boot)
	run pci_for_vfio_pci_only.stage4 10 sh -c "
		d=/sys/bus/pci/devices/$VFIO_SELFTESTS_BDF
		dmesg | grep '$VFIO_SELFTESTS_BDF: live update: preserved by the previous kernel, for vfio-pci only' &&
		grep -x vfio-pci \$d/driver_override &&
		[ \"\$(basename \"\$(readlink \$d/driver)\")\" = vfio-pci ]"
	# the edu's entry (same context table) was cleared at the kexec: a live
	# entry nobody preserved would be fenced here
	EDU_BDF=$(pci_find 1234 11e8) || { say "# no edu device"; return; }
	run not_preserved_entry_cleared.stage4 10 sh -c "
		grep '^${EDU_BDF#*:}' /lu-stage1.tables.all &&
		! dmesg | grep -e 'device ${EDU_BDF#*:} fenced' -e '$EDU_BDF: live update'"
	# nobody but its VMM: with vfio-pci unbound and driver_override
	# rewritten, a driver using the DMA API (virtio-pci: refused by the
	# IOMMU core) and one managing DMA itself (pci-stub: refused by PCI)
	# both fail with -EBUSY
	run other_driver_refused.stage4 10 sh -c "
		d=/sys/bus/pci/devices/$VFIO_SELFTESTS_BDF
		echo $VFIO_SELFTESTS_BDF > \$d/driver/unbind || exit 1
		for drv in virtio-pci pci-stub; do
			echo \$drv > \$d/driver_override
			err=\$( (echo $VFIO_SELFTESTS_BDF > /sys/bus/pci/drivers/\$drv/bind) 2>&1)
			echo \"bind \$drv: \$err\"
			case \$err in *busy*) ;; *) exit 1 ;; esac
			[ ! -e \$d/driver ] || exit 1
		done
		dmesg | grep '$VFIO_SELFTESTS_BDF: live update: awaits its VMM through vfio-pci, pci-stub may not bind'"
	# the VMM: retrieve, DMA through the restored domain, replace, finish
	vfio_igb || return
	run retrieve_dma_replace.stage4 120 \
		/tests/vfio/vfio_pci_liveupdate_test -s 2 -t kexec_stage2
	run state_freed_after_finish.stage4 10 sh -c "$LU_STATE_EMPTY"
	run no_dmar_fault_after_replace.stage4 10 sh -c '! dmesg | grep "DMAR: \[DMA"'
	# the edu set up like any device (its test provokes DMAR faults)
	vfio_edu || return
	VFIO_SELFTESTS_BDF=$EDU_BDF run not_preserved_device_usable.stage4 120 \
		/tests/vfio/vfio_pci_driver_test -v iommufd
	# preserved once more, for the VMM to reclaim the restored domain;
	# the guest memory in 2 MiB folios (shmem THP) this time
	vfio_igb || return
	echo always > /sys/kernel/mm/transparent_hugepage/shmem_enabled || return
	run kexec_for_reclaim.stage4 120 sh -c '
		/tests/vfio/vfio_pci_liveupdate_test -s 1 -t kexec_stage1 \
			> /tmp/stage1.out 2>&1
		rc=$?; cat /tmp/stage1.out; exit $rc'
	# else the reclaim would not check its pins on 2 MiB folios
	run memfd_in_2m_folios.stage4 10 grep "memfd in 2 MiB folios" /tmp/stage1.out
	lu_snapshot_and_kexec
}

stage5() {
	VFIO_SELFTESTS_BDF=$(pci_find 8086 10c9) || { say "# no igb device"; return; }
	vfio_igb || return
	# the VMM: retrieve, DMA, reclaim the restored domain by its token
	# (nothing mapped again, the retrieve's pins on the 2 MiB folios taken
	# over), attach it, map and unmap in it, finish
	run retrieve_dma_reclaim.stage5 120 \
		/tests/vfio/vfio_pci_liveupdate_test -s 2 -t kexec_stage2_reclaim
	run state_freed_after_reclaim.stage5 10 sh -c "$LU_STATE_EMPTY"
	# the restored domain became the HWPT's: never released nor replaced
	run domain_reclaimed_not_replaced.stage5 10 sh -c "
		dmesg | grep 'restored domain [0-9]* reclaimed by its owner, with 1 devices' &&
		! dmesg | grep 'restored domain [0-9]* released'"
	run no_dmar_fault_after_reclaim.stage5 10 sh -c '! dmesg | grep "DMAR: \[DMA"'
	# preserved once more, the unit's record pointed at another root table
	run bad_unit.stage5 120 \
		/tests/vfio/vfio_pci_liveupdate_test -s 1 -t kexec_stage1
	lu_snapshot_and_kexec "unit $(cat /sys/class/iommu/dmar0/intel-iommu/address)"
}

stage6() {
	VFIO_SELFTESTS_BDF=$(pci_find 8086 10c9) || { say "# no igb device"; return; }
	# the whole unit blocked (translation kept on), nothing adopted
	run bad_unit_fenced.stage6 10 sh -c "
		dmesg | grep 'DMAR: liveupdate: dmar0: runs on root table' &&
		dmesg | grep 'DMAR: dmar0: live update state not usable, blocking all DMA through it' &&
		! dmesg | grep 'adopted from the previous kernel' &&
		dmesg | grep '$VFIO_SELFTESTS_BDF: live update: DMA blocked until the device is reset'"
	run bad_unit_interrupts_left_blocked.stage6 10 sh -c "$LU_IR_BLOCKED"
	vfio_igb || return
	run bad_unit_device_usable.stage6 120 /tests/vfio/vfio_pci_driver_test -v iommufd
	# edu preserved; on a signal the process that holds the session
	# starts an edu DMA to guest memory and reboots at once into the next
	# kernel, which the test loaded
	lu_dma_stage1 || return
	run dma_in_flight_preserved.stage6 120 \
		/tests/vfio/vfio_pci_liveupdate_dma_test -s 1 -t kexec_with_dma_in_flight || return
	lu_dma_kexec
}

stage7() {
	EDU_BDF=$(pci_find 1234 11e8) || { say "# no edu device"; return; }
	run dma_in_flight_adopted.stage7 10 sh -c "
		dmesg | grep '$EDU_BDF: live update: attached to its restored domain'"
	# the DMA landed in the memfd, none faulted; the restored domain
	# reclaimed and replaced back and forth while edu copies
	vfio_edu || return
	VFIO_SELFTESTS_BDF=$EDU_BDF run dma_in_flight_landed.stage7 120 \
		/tests/vfio/vfio_pci_liveupdate_dma_test -s 2 -t dma_landed_across_kexec
	run dma_in_flight_no_dmar_fault.stage7 10 sh -c '! dmesg | grep "DMAR: \[DMA"'
	run state_freed_after_dma_kexec.stage7 10 sh -c "$LU_STATE_EMPTY"
	# preserved again so, for a VMM that punches a hole before it reclaims
	lu_dma_stage1 || return
	run dma_in_flight_preserved_again.stage7 120 \
		/tests/vfio/vfio_pci_liveupdate_dma_test -s 1 -t kexec_with_dma_in_flight || return
	lu_dma_kexec
}

stage8() {
	EDU_BDF=$(pci_find 1234 11e8) || { say "# no edu device"; return; }
	# the reclaim refused (-ESTALE) for the page the memfd no longer
	# holds, the device left on its restored domain; mapped again instead
	vfio_edu || return
	VFIO_SELFTESTS_BDF=$EDU_BDF run reclaim_refused_after_hole.stage8 120 \
		/tests/vfio/vfio_pci_liveupdate_dma_test -s 2 -t reclaim_refused_after_hole
	run state_freed_after_hole.stage8 10 sh -c "$LU_STATE_EMPTY"
	# igb and edu, each on a HWPT of its own on one IOAS, preserved
	lu_shared_devices || return
	run shared_preserved.stage8 120 /tests/vfio/vfio_pci_liveupdate_shared_test \
		-s 1 -t shared_kexec_stage1 "$IGB_BDF" "$EDU_BDF" || return
	lu_kexec
}

# igb and edu bound to vfio-pci (IGB_BDF, EDU_BDF)
lu_shared_devices() {
	IGB_BDF=$(pci_find 8086 10c9) || { say "# no igb device"; return 1; }
	vfio_bind "$IGB_BDF" || { say "# could not bind $IGB_BDF to vfio-pci"; return 1; }
	vfio_edu
}

stage9() {
	# both adopted; the first reclaim rebuilds the IOAS (frozen), the
	# second joins it, then a new mapping reaches both
	lu_shared_devices || return
	run shared_reclaim.stage9 120 /tests/vfio/vfio_pci_liveupdate_shared_test \
		-s 2 -t shared_reclaim "$IGB_BDF" "$EDU_BDF"
	run shared_reclaim_joined.stage9 10 sh -c "
		dmesg | grep 'HWPT token 0x1234 reclaimed on IOAS [0-9]*, frozen until the HWPTs that share it are reclaimed' &&
		dmesg | grep 'HWPT token 0x1235 reclaimed on IOAS [0-9]*, which can change again'"
	run state_freed_after_shared_reclaim.stage9 10 sh -c "$LU_STATE_EMPTY"
	run no_dmar_fault_after_shared_reclaim.stage9 10 sh -c '! dmesg | grep "DMAR: \[DMA"'
	run shared_preserved_again.stage9 120 /tests/vfio/vfio_pci_liveupdate_shared_test \
		-s 1 -t shared_kexec_stage1 "$IGB_BDF" "$EDU_BDF" || return
	lu_kexec
}

stage10() {
	# the first reclaimed HWPT destroyed: the other device's memory stays
	# pinned, its DMA goes on, it can no longer join and is replaced
	lu_shared_devices || return
	run shared_reclaim_then_destroy.stage10 120 \
		/tests/vfio/vfio_pci_liveupdate_shared_test \
		-s 2 -t shared_reclaim_then_destroy "$IGB_BDF" "$EDU_BDF"
	run state_freed_after_shared_destroy.stage10 10 sh -c "$LU_STATE_EMPTY"
	run no_dmar_fault_after_shared_destroy.stage10 10 sh -c '! dmesg | grep "DMAR: \[DMA"'
	# preserved again, edu's record given the domain ID of igb's domain
	# (test hook): one ID recorded for two domains
	run shared_preserved_attach_id_conflict.stage10 120 \
		/tests/vfio/vfio_pci_liveupdate_shared_test \
		-s 1 -t shared_kexec_stage1 "$IGB_BDF" "$EDU_BDF" || return
	run attach_id_conflict_recorded.stage10 10 sh -c "$LU_CORRUPT" sh \
		"attach_id_of $EDU_BDF $IGB_BDF" || return
	lu_kexec
}

stage11() {
	IGB_BDF=$(pci_find 8086 10c9) || { say "# no igb device"; return; }
	EDU_BDF=$(pci_find 1234 11e8) || { say "# no edu device"; return; }
	export EDU_BDF
	# neither ID can be trusted: both devices fenced (the igb, whose own
	# record and entry agree, too), edu's DMA blocked
	run attach_id_conflict_both_untrusted.stage11 10 sh -c "
		dmesg | grep 'DMAR: liveupdate: dmar[0-9]*: device $IGB_BDF: domain ID [0-9]* cannot be trusted' &&
		dmesg | grep 'DMAR: liveupdate: dmar[0-9]*: device $EDU_BDF: domain ID [0-9]* cannot be trusted' &&
		dmesg | grep 'DMAR: liveupdate: dmar[0-9]*: device ${IGB_BDF#*:} fenced: bad domain ID' &&
		dmesg | grep 'DMAR: liveupdate: dmar[0-9]*: device ${EDU_BDF#*:} fenced: bad domain ID'"
	run attach_id_conflict_both_fenced.stage11 10 sh -c "
		dmesg | grep '$IGB_BDF: live update: DMA blocked until the device is reset' &&
		dmesg | grep '$EDU_BDF: live update: DMA blocked until the device is reset'"
	run attach_id_conflict_dma_blocked.stage11 60 sh -c "$CANARY_BLOCKED"
	# edu opened (which lifts its fence) and preserved alone, its record
	# naming a valid domain ID that is not the one its entry carries
	vfio_edu || return
	VFIO_SELFTESTS_BDF=$EDU_BDF run edu_preserved_other_attach_id.stage11 120 \
		/tests/vfio/vfio_pci_liveupdate_test -s 1 -t kexec_stage1 || return
	run other_attach_id_recorded.stage11 10 sh -c "$LU_CORRUPT" sh \
		"attach_id $EDU_BDF 100" || return
	lu_kexec
}

stage12() {
	EDU_BDF=$(pci_find 1234 11e8) || { say "# no edu device"; return; }
	export EDU_BDF
	# the entry carries another domain ID than the record (legacy: the
	# context entry, scalable: its RID_PASID entry): cleared when the
	# unit is adopted, before anything can allocate that ID; edu fenced
	run other_attach_id_fenced.stage12 10 sh -c "
		dmesg | grep -E 'DMAR: liveupdate: dmar[0-9]*: device ${EDU_BDF#*:} fenced: live (domain ID is not the recorded one|RID_PASID entry does not carry the recorded domain ID)' &&
		dmesg | grep '$EDU_BDF: live update: DMA blocked until the device is reset'"
	run other_attach_id_dma_blocked.stage12 60 sh -c "$CANARY_BLOCKED"
	if grep -qw lu.mode=legacy /proc/cmdline; then
		# (not `run NAME` lines: the plan's list of tests is parsed)
		for t in $LU_SM_ONLY_CASES; do
			[ -n "$t" ] && run "$t" 10 sh -c "echo '# scalable mode only'; exit 4"
		done
		return
	fi
	# igb and edu preserved once more, each then given a live entry for
	# another PASID (test hook): edu's PASID 1 in its first PASID table,
	# preserved with it; igb's PASID 64 in a table allocated after its
	# preservation, so not preserved
	lu_shared_devices || return
	run other_pasid_preserved 120 /tests/vfio/vfio_pci_liveupdate_shared_test \
		-s 1 -t shared_kexec_stage1 "$IGB_BDF" "$EDU_BDF" || return
	run other_pasid_left 10 sh -c "
		echo '${EDU_BDF#*:} 1' > /sys/kernel/debug/iommu/intel_lu_stray_pasid &&
		echo '${IGB_BDF#*:} 64' > /sys/kernel/debug/iommu/intel_lu_stray_pasid" || return
	lu_kexec
}

# Scalable mode only (named without a stage: skipped in legacy mode)
LU_SM_ONLY_CASES="other_pasid_preserved other_pasid_left other_pasid_fenced other_pasid_dma_blocked
	dte_preserved dte_left dte_fenced dte_dma_blocked"

stage13() {
	IGB_BDF=$(pci_find 8086 10c9) || { say "# no igb device"; return; }
	EDU_BDF=$(pci_find 1234 11e8) || { say "# no edu device"; return; }
	export EDU_BDF
	# both fenced when the unit is adopted, before their probe takes the
	# PASID directory over; edu's DMA blocked
	run other_pasid_fenced 10 sh -c "
		dmesg | grep 'DMAR: liveupdate: dmar[0-9]*: device ${EDU_BDF#*:} fenced: live entry for a PASID other than RID_PASID' &&
		dmesg | grep 'DMAR: liveupdate: dmar[0-9]*: device ${IGB_BDF#*:} fenced: live PASID table was not preserved' &&
		dmesg | grep '$EDU_BDF: live update: DMA blocked until the device is reset' &&
		dmesg | grep '$IGB_BDF: live update: DMA blocked until the device is reset'"
	run other_pasid_dma_blocked 60 sh -c "$CANARY_BLOCKED"
	# edu opened (which lifts its fence) and preserved alone, Device-TLB
	# Enable then set in its live context entry (test hook): a device
	# that can use ATS is never preserved
	vfio_edu || return
	VFIO_SELFTESTS_BDF=$EDU_BDF run dte_preserved 120 \
		/tests/vfio/vfio_pci_liveupdate_test -s 1 -t kexec_stage1 || return
	run dte_left 10 sh -c "
		echo '${EDU_BDF#*:}' > /sys/kernel/debug/iommu/intel_lu_dte" || return
	lu_kexec
}

stage14() {
	EDU_BDF=$(pci_find 1234 11e8) || { say "# no edu device"; return; }
	export EDU_BDF
	# fenced when the unit is adopted, its DMA blocked
	run dte_fenced 10 sh -c "
		dmesg | grep 'DMAR: liveupdate: dmar[0-9]*: device ${EDU_BDF#*:} fenced: live entry enables the device TLB or page requests' &&
		dmesg | grep '$EDU_BDF: live update: DMA blocked until the device is reset'"
	run dte_dma_blocked 60 sh -c "$CANARY_BLOCKED"
}
