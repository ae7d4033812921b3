#!/usr/bin/env python3
"""Summarise the figures of the bench plan (guest/plans/bench.sh).

usage: bench.py RESULTS_LOG

Every figure is a ratio or a per-unit cost from one run: timings under TCG
vary from run to run and machine to machine, their ratios much less.
"""
import re
import sys


def parse(path):
    stage_tsc, kexec_tsc, mhz, figures, uptime = [], [], None, {}, []
    with open(path, errors="replace") as f:
        for line in f:
            m = re.match(r"# tsc (\d+) ([\d.]+) MHz", line)
            if m:
                stage_tsc.append(int(m.group(1)))
                mhz = float(m.group(2))
                continue
            m = re.match(r"# uptime ([\d.]+)", line)
            if m:
                uptime.append(float(m.group(1)) * 1e3)
                continue
            m = re.match(r"lu-kexec: tsc (\d+)", line)
            if m:
                kexec_tsc.append(int(m.group(1)))
                continue
            m = re.match(r"# BENCH (\w+)=([\d.]+)", line)
            if m:
                figures[m.group(1)] = float(m.group(2))
    return stage_tsc, kexec_tsc, mhz, figures, uptime


def main():
    stage_tsc, kexec_tsc, mhz, f, uptime = parse(sys.argv[1])
    if len(stage_tsc) < 4 or len(kexec_tsc) < 3 or not mhz or "remap_ms" not in f:
        print("bench: incomplete run (%d stages, %d kexecs, figures: %s)" %
              (len(stage_tsc), len(kexec_tsc), ", ".join(sorted(f))))
        return 1
    # reboot() of kernel N to the init of kernel N+1
    kexec_none = (stage_tsc[1] - kexec_tsc[0]) / mhz / 1e3
    kexec_mem = (stage_tsc[2] - kexec_tsc[1]) / mhz / 1e3
    kexec_kept = (stage_tsc[3] - kexec_tsc[2]) / mhz / 1e3
    gib = f["mib"] / 1024
    rows = [
        ("guest memory mapped for the igb", "%d MiB" % f["mib"]),
        ("kexec (reboot() to next init), igb + iommufd + memfd / memfd alone preserved",
         "%.3f (%.0f ms / %.0f ms)" % (kexec_kept / kexec_mem, kexec_kept, kexec_mem)),
        ("kexec, memfd alone / nothing preserved",
         "%.3f (%.0f ms / %.0f ms)" % (kexec_mem / kexec_none, kexec_mem, kexec_none)),
        ("kexec, igb + iommufd + memfd / nothing preserved",
         "%.3f" % (kexec_kept / kexec_none)),
    ]
    # The new kernel's clock (/proc/uptime) runs from its timekeeping init:
    # the rest is the old kernel's shutdown, the jump and the earliest boot.
    # The kernels calibrate the TSC differently, so compare the sums.
    if len(uptime) >= 4:
        rows += [
            ("  of which on the new kernel's clock: all / memfd alone / none",
             "%.0f ms / %.0f ms / %.0f ms" % (uptime[3], uptime[2], uptime[1])),
        ]
    rows += [
        ("re-map / reclaim (session retrieved -> IOAS mutable, DMA verified)",
         "%.2f (%.0f ms / %.0f ms)" % (f["remap_over_reclaim"], f["remap_ms"], f["reclaim_ms"])),
        ("reclaim per GiB", "%.0f ms" % (f["reclaim_ms"] / gib)),
        ("  of which the reclaim ioctl", "%.0f ms" % (f.get("reclaim_ioctl_ms", 0) / gib)),
        ("  of which the DMA check (per run, not per GiB)", "%.1f ms" % f.get("reclaim_dma_ms", 0)),
        ("re-map per GiB", "%.0f ms" % (f["remap_ms"] / gib)),
        ("  of which the DMA check (per run, not per GiB)", "%.1f ms" % f.get("remap_dma_ms", 0)),
        ("IOAS_MAP_FILE per GiB (old kernel)", "%.0f ms" % (f["map_ms"] / gib)),
        ("preserve of the iommufd per GiB (old kernel)",
         "%.1f ms" % (f["preserve_iommufd_ms"] / gib)),
        ("preserve of the memfd per GiB", "%.1f ms" % (f["preserve_memfd_ms"] / gib)),
        ("  the same memfd preserved alone, per GiB",
         "%.1f ms" % (f.get("preserve_memfd_alone_ms", 0) / gib)),
        ("session retrieve (pins the guest memory) per GiB",
         "%.0f ms" % (f["retrieve_session_ms"] / gib)),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print("%-*s  %s" % (width, name, value))
    return 0


if __name__ == "__main__":
    sys.exit(main())
