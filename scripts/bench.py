#!/usr/bin/env python3
"""Summarise the figures of the bench plan (guest/plans/bench.sh).

usage: bench.py RESULTS_LOG

Every figure is a ratio or a per-unit cost from one run: timings under TCG
vary from run to run and machine to machine, their ratios much less.  The
plan makes its three kexecs (nothing, the memfd alone, igb + iommufd + memfd
preserved) and its reclaim and re-map in rounds; each figure is the median
over the rounds, and the kexec ratios are also given per round.
"""
import re
import statistics
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
                figures.setdefault(m.group(1), []).append(float(m.group(2)))
    return stage_tsc, kexec_tsc, mhz, figures, uptime


def kexecs(stage_tsc, kexec_tsc, mhz):
    """(none, memfd alone, kept) in ms for every complete round.

    Kexec i goes from the reboot() of kernel i + 1 to the init of kernel
    i + 2; they come as none, memfd alone, kept, none, ...
    """
    times = [(stage_tsc[i + 1] - kexec_tsc[i]) / mhz / 1e3
             for i in range(min(len(kexec_tsc), len(stage_tsc) - 1))]
    return [tuple(times[i:i + 3]) for i in range(0, len(times) - 2, 3)]


def fmt_rounds(values, form):
    return ", ".join(form % v for v in values)


def main():
    stage_tsc, kexec_tsc, mhz, lists, uptime = parse(sys.argv[1])
    rounds = kexecs(stage_tsc, kexec_tsc, mhz) if mhz else []
    if not rounds or "remap_ms" not in lists:
        print("bench: incomplete run (%d stages, %d kexecs, figures: %s)" %
              (len(stage_tsc), len(kexec_tsc), ", ".join(sorted(lists))))
        return 1
    f = {k: statistics.median(v) for k, v in lists.items()}
    kept_mem = [k / m for n, m, k in rounds]
    mem_none = [m / n for n, m, k in rounds]
    kept_none = [k / n for n, m, k in rounds]
    med = [statistics.median(r[i] for r in rounds) for i in range(3)]
    gib = f["mib"] / 1024
    rows = [
        ("guest memory mapped for the igb", "%d MiB" % f["mib"]),
        ("rounds (a figure below is their median)", "%d" % len(rounds)),
        ("kexec (reboot() to next init), igb + iommufd + memfd / memfd alone preserved",
         "%.3f (rounds: %s)" % (statistics.median(kept_mem), fmt_rounds(kept_mem, "%.3f"))),
        ("kexec, memfd alone / nothing preserved",
         "%.3f (rounds: %s)" % (statistics.median(mem_none), fmt_rounds(mem_none, "%.3f"))),
        ("kexec, igb + iommufd + memfd / nothing preserved",
         "%.3f (rounds: %s)" % (statistics.median(kept_none), fmt_rounds(kept_none, "%.3f"))),
        ("  each kexec on its own, median ms: igb + iommufd + memfd / memfd alone / nothing",
         "%.0f / %.0f / %.0f (ratio of the first two: %.3f)" %
         (med[2], med[1], med[0], med[2] / med[1])),
    ]
    # The new kernel's clock (/proc/uptime) runs from its timekeeping init:
    # the rest is the old kernel's shutdown, the jump and the earliest boot.
    # The kernels calibrate the TSC differently, so compare the sums.
    if len(uptime) >= 4:
        rows += [
            ("  of which on the new kernel's clock (round 1): all / memfd alone / none",
             "%.0f ms / %.0f ms / %.0f ms" % (uptime[3], uptime[2], uptime[1])),
        ]
    rows += [
        ("re-map / reclaim (session retrieved -> IOAS mutable, DMA verified)",
         "%.2f (rounds: %s)" %
         (f["remap_over_reclaim"], fmt_rounds(lists["remap_over_reclaim"], "%.1f"))),
        ("  each on its own, median ms: re-map / reclaim",
         "%.0f / %.0f" % (f["remap_ms"], f["reclaim_ms"])),
        ("reclaim per GiB", "%.0f ms" % (f["reclaim_ms"] / gib)),
        ("  of which the reclaim ioctl", "%.0f ms" % (f.get("reclaim_ioctl_ms", 0) / gib)),
        ("  of which the DMA check (per run, not per GiB)", "%.1f ms" % f.get("reclaim_dma_ms", 0)),
        ("re-map per GiB", "%.0f ms" % (f["remap_ms"] / gib)),
        ("  of which the DMA check (per run, not per GiB)", "%.1f ms" % f.get("remap_dma_ms", 0)),
        ("IOAS_MAP_FILE per GiB (old kernel, of the memfd it retrieved)",
         "%.0f ms" % (f["map_ms"] / gib)),
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
