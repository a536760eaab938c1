#!/usr/bin/env python3
"""Writes a suite of N steps on probe.noop (tests x steps_per_test), each with
an interpolated input and an expectation, so the figures include the core's
interpolation and expect work."""
import sys

def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    per_test = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    out = ['[suite]', 'name = "bench %d steps"' % n, '', '[vars]', 'base = "v"', '']
    tests = max(1, n // per_test)
    for t in range(tests):
        out.append('[[test]]')
        out.append('name = "t%d"' % t)
        for s in range(per_test if n >= per_test else n):
            out.append('[[test.steps]]')
            out.append('use = "probe.noop"')
            out.append('with = { i = %d, v = "${base}" }' % s)
            out.append('expect = { exists = false }' if False else 'expect = { "nothing" = { exists = false } }')
        out.append('')
    sys.stdout.write('\n'.join(out))

if __name__ == '__main__':
    main()
