#!/usr/bin/env python3
"""Sort the warnings of a `make C=2 W=1` run into the series' and the base's.

usage: new_warnings.py TREE BASE LOG IGNORE FILE...

LOG holds the build's stderr.  A diagnostic ("FILE:LINE:COL: warning:" or
"error:") is the series' when FILE is one of FILE... and LINE is a line the
series added or changed there (git diff -U0 BASE..HEAD); the base has
hundreds of its own on lines the series never touched, and those are not
counted.  IGNORE lists, one per line, "FILE<TAB>MESSAGE<TAB>reason": a
warning of the series with that exact message in FILE is accepted (for the
base's own warnings on a line the series changed).  A compiler diagnostic ends in "[-W...]" and kernel-doc's (W=1 runs
it) has no column; any other is sparse's.

Prints, for each FILE, "FILE SPARSE_COUNT W1_COUNT", then the series'
diagnostics (with their continuation lines) prefixed by "  ".
"""
import os
import re
import subprocess
import sys

DIAG = re.compile(r'^(?P<file>[^:\s]+):(?P<line>\d+):(?P<col>\d+:)? (?P<kind>warning|error): (?P<msg>.*)$')
CONT = re.compile(r'^[^:\s]+:\d+:(?:\d+:)?    \S')
HUNK = re.compile(r'^@@ -\S+ \+(\d+)(?:,(\d+))? @@', re.M)


def added_lines(tree, base, path):
    out = subprocess.run(['git', '-C', tree, 'diff', '-U0', f'{base}..HEAD', '--', path],
                         capture_output=True, text=True, check=True).stdout
    lines = set()
    for m in HUNK.finditer(out):
        start, count = int(m.group(1)), int(m.group(2) or 1)
        lines.update(range(start, start + count))
    return lines


def load_ignore(path):
    accepted = set()
    if os.path.exists(path):
        for line in open(path):
            if line.startswith('#') or not line.strip():
                continue
            parts = line.rstrip('\n').split('\t')
            if len(parts) >= 2:
                accepted.add((parts[0], parts[1]))
    return accepted


def main():
    tree, base, log, ignore, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
    tree = os.path.realpath(tree)
    accepted = load_ignore(ignore)
    added = {f: added_lines(tree, base, f) for f in files}
    found = {f: {'sparse': [], 'W=1': []} for f in files}
    current = None
    seen = set()
    for raw in open(log, errors='replace'):
        raw = raw.rstrip('\n')
        if CONT.match(raw):
            # sparse's "expected ..."/"got ..." lines under the last warning
            if current is not None:
                current.append(raw.replace(tree + '/', ''))
            continue
        m = DIAG.match(raw)
        if not m:
            current = None
            continue
        path = os.path.realpath(os.path.join(tree, m.group('file')))
        rel = os.path.relpath(path, tree)
        line = int(m.group('line'))
        current = None
        if rel not in added or line not in added[rel] or raw in seen:
            continue
        if (rel, m.group('msg')) in accepted:
            continue
        seen.add(raw)
        # gcc's end in "[-W...]"; W=1 also runs kernel-doc, whose have no
        # column; what is left is sparse's
        w1 = re.search(r'\[-W[^]]*\]$', raw) or not m.group('col')
        kind = 'W=1' if w1 else 'sparse'
        current = [rel + raw[len(m.group('file')):]]
        found[rel][kind].append(current)
    for f in files:
        print(f, len(found[f]['sparse']), len(found[f]['W=1']))
        for kind in ('sparse', 'W=1'):
            for diag in found[f][kind]:
                for text in diag:
                    print('  ' + text)


if __name__ == '__main__':
    main()
