#!/usr/bin/env python3
"""Turn the uncommitted changes of a series tree into fixup! commits.

Usage (in build/linux): ../../scripts/absorb.py base [--dry]
then:                   GIT_SEQUENCE_EDITOR=: git rebase -i --autosquash base

Each hunk of `git diff -U0 HEAD` goes to the commit of the series that last
touched the lines it removes (git blame at HEAD), or, for a hunk that only
adds lines, the lines around it; when they come from several commits, the
newest wins and a NOTE says so. Check every NOTE: a new function and its
callers may belong to different patches, and a hunk whose lines a later
patch rewrote lands in that later patch, leaving the earlier one as it was
(check each patch still builds). --dry only prints the plan."""
import re, subprocess, sys
base = sys.argv[1]; dry = '--dry' in sys.argv
def git(*a, inp=None):
    return subprocess.run(['git', *a], input=inp, capture_output=True, text=True, check=True).stdout
def series():
    return git('log', '--format=%H %s', f'{base}..HEAD').splitlines()
def subject_map():
    m = {}
    for l in series():
        h, s = l.split(' ', 1); m[h] = s
    return m
def parse(diff):
    files = []; cur = None
    for line in diff.splitlines(keepends=True):
        if line.startswith('diff --git'):
            cur = {'hdr': [line], 'hunks': [], 'path': None}; files.append(cur)
        elif cur is not None and not cur['hunks'] and not line.startswith('@@'):
            cur['hdr'].append(line)
            if line.startswith('--- a/'): cur['path'] = line[6:].strip()
        elif line.startswith('@@'):
            m = re.match(r'@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@', line)
            os_, oc = int(m.group(1)), int(m.group(2) if m.group(2) is not None else 1)
            cur['hunks'].append({'os': os_, 'oc': oc, 'lines': [line]})
        else:
            cur['hunks'][-1]['lines'].append(line)
    return files
def blame(path, a, b):
    out = git('blame', '--porcelain', '-L', f'{a},{b}', 'HEAD', '--', path)
    return [l.split()[0] for l in out.splitlines() if re.match(r'^[0-9a-f]{40} \d+ \d+', l)]
def target(path, h, subj):
    if h['oc'] > 0:
        cs = blame(path, h['os'], h['os'] + h['oc'] - 1); how = 'removed'
    else:
        n = int(git('show', f'HEAD:{path}').count('\n'))
        lines = [x for x in (h['os'], h['os'] + 1) if 1 <= x <= n]
        cs = blame(path, min(lines), max(lines)) if lines else []; how = 'neighbours'
    order = [l.split()[0] for l in series()]  # newest first
    res = []
    for c in cs:
        s = subj.get(c)
        if s is None: res.append(None); continue
        if s.startswith('fixup! '):
            t = s[7:]
            c = next(hh for hh, ss in subj.items() if ss == t)
        res.append(c)
    known = [c for c in res if c]
    if not known: return None, how, res
    # newest of the commits involved
    best = min(known, key=lambda c: order.index(c))
    return best, how, res
while True:
    diff = git('diff', '-U0', 'HEAD')
    if not diff: break
    subj = subject_map()
    files = parse(diff)
    groups = {}
    for f in files:
        for h in f['hunks']:
            t, how, res = target(f['path'], h, subj)
            if len(set(res)) > 1 or how == 'neighbours':
                print(f"NOTE {f['path']}:{h['os']} ({how}) blames {set(x[:9] if x else 'base' for x in res)} -> {t and t[:9]}")
            if t is None:
                print(f"ERROR {f['path']}:{h['os']}: base lines, no target"); sys.exit(1)
            groups.setdefault(t, []).append((f, h))
    t = next(iter(groups))
    byfile = {}
    for f, h in groups[t]:
        byfile.setdefault(id(f), (f, []))[1].append(h)
    patch = ''.join(''.join(f['hdr']) + ''.join(''.join(h['lines']) for h in hs) for f, hs in byfile.values())
    print(f"fixup {t[:9]} {subj[t]}: {sum(len(hs) for _, hs in byfile.values())} hunk(s) in {', '.join(f['path'] for f, _ in byfile.values())}")
    if dry:
        groups.pop(t)
        for tt, hs in groups.items():
            print(f"fixup {tt[:9]} {subj[tt]}: {len(hs)} hunk(s) in {', '.join(sorted(set(f['path'] for f,_ in hs)))}")
        break
    git('apply', '--cached', '--unidiff-zero', '-', inp=patch)
    git('commit', '-q', '--fixup', t)
