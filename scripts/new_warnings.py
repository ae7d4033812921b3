#!/usr/bin/env python3
"""Sort the warnings of a `make C=2 W=1` run into the series' and the base's.

usage: new_warnings.py TREE OUT BASE LOG IGNORE FILE...

LOG holds the stderr of a build of TREE in the output directory OUT (the
compiler prints paths relative to OUT).  A diagnostic ("FILE:LINE:COL:
warning:" or "error:", or kernel-doc's "Warning: FILE:LINE ...") is the
series' when FILE is one of FILE... and LINE is a line the series added or
changed there (git diff -U0 BASE against the working tree, which is what
was built); the base has hundreds of its own on lines the series never
touched, and those are not counted.  IGNORE lists, one per line,
"FILE<TAB>MESSAGE<TAB>SOURCE LINE<TAB>reason": a warning of the series
with exactly that message, on a line of FILE that reads SOURCE LINE (leading
and trailing blanks aside), is accepted (for the base's own warnings on a
line the series changed).  A compiler diagnostic ends in "[-W...]" and
kernel-doc's (W=1 runs it) has its own form; any other is sparse's.

Prints, for each FILE, "FILE SPARSE_COUNT W1_COUNT", then the series'
diagnostics (with their continuation lines) prefixed by "  ".
"""
import os
import re
import subprocess
import sys

DIAG = re.compile(r'^(?P<file>[^:\s]+):(?P<line>\d+):(?P<col>\d+:)? '
                  r'(?P<kind>warning|error): (?P<msg>.*)$')
KDOC = re.compile(r'^(?:Warning|Error): (?P<file>[^:\s]+):(?P<line>\d+) (?P<msg>.*)$')
CONT = re.compile(r'^[^:\s]+:\d+:(?:\d+:)?    \S')
HUNK = re.compile(r'^@@ -\S+ \+(\d+)(?:,(\d+))? @@', re.M)


def added_lines(tree, base, path):
    out = subprocess.run(['git', '-C', tree, 'diff', '-U0', '--no-renames', base, '--', path],
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
            if len(parts) >= 3:
                accepted.add((parts[0], parts[1], parts[2].strip()))
    return accepted


def source_line(tree, rel, line):
    try:
        with open(os.path.join(tree, rel), errors='replace') as f:
            for i, text in enumerate(f, 1):
                if i == line:
                    return text.strip()
    except OSError:
        pass
    return None


def main():
    tree, out, base, log, ignore = sys.argv[1:6]
    files = sys.argv[6:]
    tree = os.path.realpath(tree)
    out = os.path.realpath(out)
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
                current.append(raw)
            continue
        m = DIAG.match(raw)
        kdoc = None if m else KDOC.match(raw)
        current = None
        if not m and not kdoc:
            continue
        d = m or kdoc
        path = os.path.realpath(os.path.join(out, d.group('file')))
        rel = os.path.relpath(path, tree)
        line = int(d.group('line'))
        key = (rel, line, d.groupdict().get('col'), d.group('msg'))
        if rel not in added or line not in added[rel] or key in seen:
            continue
        seen.add(key)
        if (rel, d.group('msg'), source_line(tree, rel, line)) in accepted:
            continue
        w1 = kdoc or re.search(r'\[-W[^]]*\]$', raw)
        kind = 'W=1' if w1 else 'sparse'
        text = (f'{rel}:{line}: kernel-doc: {d.group("msg")}' if kdoc else
                rel + raw[len(d.group('file')):])
        current = [text]
        found[rel][kind].append(current)
    for f in files:
        print(f, len(found[f]['sparse']), len(found[f]['W=1']))
        for kind in ('sparse', 'W=1'):
            for diag in found[f][kind]:
                for text in diag:
                    print('  ' + text)


if __name__ == '__main__':
    main()
