# KUnit suites of the series, built into the guest kernel (config/guest.config)
# but run only when it boots with kunit.enable=1: stage 1 kexecs into the same
# kernel with it (kexec_load: no live update state, KHO still on, which the
# live update cases need), the suites run before init, and stage 2 reports
# each suite's cases from debugfs.  Only the suites with "_lu" or "kho" in
# their name run (kunit.filter_glob takes one glob): the live update cases
# of each generic_pt format (<fmt>_lu_test), its benchmark, the core's
# suites and KHO's block sets (kho_block).  The formats' own
# cases (<fmt>_iommu_test, <fmt>_fmt_test) are built in too but would take
# about 290 s under TCG; make test runs them natively in its UML KUnit run
# (drivers/iommu/generic_pt/.kunitconfig).  That kernel runs with
# intel_iommu=off intremap=off: the <fmt>_lu_test suites check that the
# system's count of secondary page-table pages is back where it was after
# each case, which holds only if nothing else allocates such pages
# meanwhile (the interrupt remapping table is 257 of them).  This replaces a separate
# x86_64 KUnit kernel (KHO exists only on x86 and arm64, not on UML).

KUNIT_SUITES="amdv1_lu_test amdv1_mock_lu_test vtdss_lu_test vtdss_lu_bench
	x86_64_lu_test iommu_lu iommu_lu_fence iommu_lu_device iommufd_lu_leaf
	kho_block"

# sh -c "$KUNIT_SUITE" sh NAME: the suite's cases as top-level KTAP
# (results.py counts each "ok"/"not ok" line), named SUITE.CASE, without
# the suite's own result line; fails if the suite did not run or did not
# pass.
KUNIT_SUITE='
	f=/sys/kernel/debug/kunit/$1/results
	[ -r "$f" ] || { echo "# no results for suite $1"; exit 1; }
	grep -E "^    (1\.\.[0-9]+|ok |not ok |# )" "$f" |
		sed -E "s/^    ((not )?ok [0-9]+ )/\1$1./; s/^    //"
	grep -qE "^ok 1 $1( |\$)" "$f"'

stage1() {
	run kunit_disabled_by_default.stage1 10 sh -c '
		dmesg | grep -q "kunit: disabled" &&
		! grep -qw kunit.enable=1 /proc/cmdline'
	lu_kexec_load kunit.enable=1 'kunit.filter_glob=*[_k][lh][uo]*' \
		intel_iommu=off intremap=off
}

stage2() {
	local suites
	suites=$(echo $KUNIT_SUITES)
	run kunit_all_suites_listed.stage2 10 sh -c "
		grep -qw kunit.enable=1 /proc/cmdline &&
			grep -qw intremap=off /proc/cmdline || exit 1
		for d in /sys/kernel/debug/kunit/*/; do
			s=\$(basename \$d)
			case ' $suites ' in
			*\" \$s \"*) ;;
			*) echo \"# suite \$s is not in the kunit plan\"; exit 1 ;;
			esac
		done"
	run amdv1_lu_test.stage2 10 sh -c "$KUNIT_SUITE" sh amdv1_lu_test
	run amdv1_mock_lu_test.stage2 10 sh -c "$KUNIT_SUITE" sh amdv1_mock_lu_test
	run vtdss_lu_test.stage2 10 sh -c "$KUNIT_SUITE" sh vtdss_lu_test
	run vtdss_lu_bench.stage2 10 sh -c "$KUNIT_SUITE" sh vtdss_lu_bench
	run x86_64_lu_test.stage2 10 sh -c "$KUNIT_SUITE" sh x86_64_lu_test
	run iommu_lu.stage2 10 sh -c "$KUNIT_SUITE" sh iommu_lu
	run iommu_lu_fence.stage2 10 sh -c "$KUNIT_SUITE" sh iommu_lu_fence
	run iommu_lu_device.stage2 10 sh -c "$KUNIT_SUITE" sh iommu_lu_device
	run iommufd_lu_leaf.stage2 10 sh -c "$KUNIT_SUITE" sh iommufd_lu_leaf
	run kho_block.stage2 10 sh -c "$KUNIT_SUITE" sh kho_block
}
