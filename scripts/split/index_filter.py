#!/usr/bin/env python3
"""git filter-branch --index-filter step: split one live update file.

usage: index_filter.py core|intel|iommufd
  core     drivers/iommu/liveupdate.c (lusplit.py)
  intel    drivers/iommu/intel/liveupdate.c (gsplit.py)
  iommufd  drivers/iommu/iommufd/liveupdate.c (gsplit.py)
Files are read from the index, so that several steps can run for one
commit: --index-filter 'index_filter.py core && index_filter.py intel'."""
import os, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gsplit
import lusplit

RST = 'Documentation/driver-api/iommu-liveupdate.rst'


def show(path):
    r = subprocess.run(['git', 'cat-file', 'blob', ':' + path], capture_output=True)
    return r.stdout.decode() if r.returncode == 0 else None


def main(which):
    if which == 'core':
        paths, run = [lusplit.CORE, lusplit.MAKEFILE, RST, 'MAINTAINERS'], lusplit.split
    else:
        cfg = gsplit.CFGS[which]
        paths = [cfg['main'], cfg['makefile'], RST, 'MAINTAINERS']
        run = lambda files: gsplit.split(cfg, files)
    files = {p: show(p) for p in paths}
    if files[paths[0]] is None:
        return
    for p, t in run(files).items():
        if t is None or t == files.get(p):
            continue
        sha = subprocess.run(['git', 'hash-object', '-w', '--stdin'], input=t.encode(),
                             capture_output=True, check=True).stdout.decode().strip()
        subprocess.run(['git', 'update-index', '--add', '--cacheinfo',
                        '100644,%s,%s' % (sha, p)], check=True)


if __name__ == '__main__':
    main(sys.argv[1])
