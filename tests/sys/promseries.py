#!/usr/bin/python3
"""Turn real 'ipctune status --format prometheus' captures into the input
series of a 'promtool test rules' file, as a scrape every minute would
store them (instance and job labels added).

Usage: promseries.py OUT.json PHASE...
A PHASE is FILE:MINUTES (that capture scraped MINUTES times) or
stale:MINUTES (the last capture again, its read timestamp frozen: the
textfile is no longer rewritten).  ipctune_read_timestamp_seconds is the
time of each scrape (the test's clock starts at 0), as a textfile
written every minute has it.  A series absent from a capture is '_'.
The JSON (valid YAML) holds: series (for input_series), minutes, values
(the last value of each series per phase), for the test to build its
expectations from.
"""
import json
import re
import sys

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$')
EXTRA = 'instance="db1:9100",job="node"'


def parse(path):
    out = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            m = LINE.match(line)
            if m is None:
                sys.exit('%s: not a sample line: %r' % (path, line))
            labels = m.group(2)[1:-1] if m.group(2) else ''
            key = '%s{%s}' % (m.group(1),
                              labels + (',' if labels else '') + EXTRA)
            out[key] = m.group(3)
    return out


def main():
    phases = []
    for arg in sys.argv[2:]:
        what, minutes = arg.rsplit(':', 1)
        if what == 'stale':
            phases.append((dict(phases[-1][0]), int(minutes), True))
        else:
            phases.append((parse(what), int(minutes), False))
    keys = sorted({k for p in phases for k in p[0]})
    cols = {k: [] for k in keys}
    t, frozen = 0, None
    values = []
    for samples, minutes, stale in phases:
        if stale and frozen is None:
            frozen = t * 60 - 60
        for _ in range(minutes):
            for k in keys:
                if k.startswith('ipctune_read_timestamp_seconds{'):
                    v = str(frozen if stale else t * 60)
                else:
                    v = samples.get(k, '_')
                cols[k].append(v)
            t += 1
        values.append({k: samples.get(k) for k in keys})
    doc = {'series': [{'series': k, 'values': ' '.join(cols[k])}
                      for k in keys],
           'minutes': t, 'values': values}
    with open(sys.argv[1], 'w') as f:
        json.dump(doc, f, indent=1)


main()
