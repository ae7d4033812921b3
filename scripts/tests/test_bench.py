#!/usr/bin/env python3
"""Self-test of scripts/bench.py's accounting of the traced kexec path
(make bench BENCH_TRACE=1): nested calls count once, calls are paired
per function, and the old kernel's events are those after the plan's
marker, one list per kexec."""
import importlib.util
import os
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location(
    'bench', os.path.join(TOP, 'bench.py'))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


class Accounting(unittest.TestCase):
    def test_union_counts_nested_calls_once(self):
        self.assertEqual(bench.covered([(0, 10), (2, 5), (8, 12), (20, 21)]),
                         13)
        self.assertEqual(bench.covered([]), 0)

    def test_calls_paired_per_function(self):
        events = [(1, 'p', 'a'), (2, 'p', 'b'), (3, 'r', 'b'),
                  (4, 'r', 'a'), (5, 'p', 'a'), (7, 'r', 'a'),
                  (8, 'r', 'c'), (9, 'p', 'b')]
        self.assertEqual(bench.intervals(events, {'a'}), [(1, 4), (5, 7)])
        # a return without its entry, an entry without its return: dropped
        self.assertEqual(bench.intervals(events, {'b', 'c'}), [(2, 3)])

    def test_iommu_part_against_the_rest(self):
        new = [(0, 'p', 'pci_iommu_init'), (1, 'p', 'intel_iommu_lu_adopt'),
               (4, 'r', 'intel_iommu_lu_adopt'), (9, 'r', 'pci_iommu_init'),
               (10, 'p', 'vfio_pci_probe'), (12, 'r', 'vfio_pci_probe')]
        self.assertEqual(bench.own(new, 'new', {'lu'}), 3)
        # the adoption within the driver's init counts once
        self.assertEqual(bench.own(new, 'new', {'lu', 'path'}), 9)
        self.assertEqual(bench.own(new, 'new', {'lu', 'path', 'vfio'}), 11)
        # a function of the other kernel is not counted
        self.assertEqual(bench.own(new, 'old', {'lu', 'vfio'}), 0)

    def test_kexec_times_per_round(self):
        # kexec i runs from kernel i + 1's reboot() to kernel i + 2's init
        stage = [0, 5e6, 12e6, 20e6, 30e6, 33e6]
        kexec = [2e6, 8e6, 15e6, 24e6]
        times = bench.kexec_times(stage, kexec, 1000.0)
        self.assertEqual(times, [3, 4, 5, 6])
        # none, memfd alone, kept: an incomplete last round is left out
        self.assertEqual(bench.kexecs(times), [(3, 4, 5)])
        self.assertEqual(bench.kexecs(times[:2]), [])

    def test_what_the_kept_kexec_preserves(self):
        self.assertEqual(bench.kept_name(1), 'igb + iommufd + memfd')
        self.assertEqual(bench.kept_name(2), 'igb + edu + iommufd + memfd')

    def test_shutdown_events_after_the_marker(self):
        log = '\n'.join([
            '[    1.000000] p_intel_iommu_lu_adopt_0: (intel_iommu_lu_adopt+0x4/0x10)',
            '[    5.000000] bench: kexec, its events follow',
            '[    5.100000] p_vfio_pci_lu_freeze_0: (vfio_pci_lu_freeze+0x4/0x10)',
            '[    5.300000] r_vfio_pci_lu_freeze_0: (x+0x1/0x2 <- vfio_pci_lu_freeze)',
            '[    5.400000] kexec_core: Starting new kernel',
            '[    5.500000] p_intel_iommu_lu_shutdown_0: (intel_iommu_lu_shutdown+0x4/0x10)',
            '[    5.600000] r_intel_iommu_lu_shutdown_0: (x+0x1/0x2 <- intel_iommu_lu_shutdown)',
            '[    0.000000] Linux version 7.3.4',
            '[    0.500000] p_pci_iommu_init_0: (pci_iommu_init+0x4/0x40)',
            '[    9.000000] bench: kexec, its events follow',
        ]) + '\n'
        with tempfile.NamedTemporaryFile('w', suffix='.log') as f:
            f.write(log)
            f.flush()
            kexecs = bench.shutdown_events(f.name)
        self.assertEqual(len(kexecs), 2)
        self.assertEqual([e[2] for e in kexecs[0]],
                         ['vfio_pci_lu_freeze'] * 2 +
                         ['intel_iommu_lu_shutdown'] * 2)
        self.assertAlmostEqual(bench.own(kexecs[0], 'old', {'lu'}), 100)
        self.assertEqual(kexecs[1], [])


if __name__ == '__main__':
    unittest.main()
