#!/usr/bin/env python3
"""Writes the suite bench/sql/run times: N single-row sql.exec inserts (one
test) and N single-row sql.query selects by key (another test), on the
database of SEAM_BENCH_URL. Every step has its own parameter values, as a
suite's steps would; the SQL text repeats, so the plugin's prepared
statements are reused.

    gen_suite.py N > suite.toml
"""
import sys


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    out = [
        '[suite]',
        'name = "sql bench %d"' % n,
        '',
        '[resources.db]',
        'plugin = "sql"',
        'url = "${env.SEAM_BENCH_URL}"',
        'pool = 1',
        '',
        '[[setup]]',
        'use = "sql.script"',
        'with = { sql = "DROP TABLE IF EXISTS bench_seam; '
        'CREATE TABLE bench_seam (id INTEGER PRIMARY KEY, name TEXT NOT NULL)" }',
        '',
        '[[test]]',
        'name = "insert"',
    ]
    for i in range(1, n + 1):
        out.append('[[test.steps]]')
        out.append('use = "sql.exec"')
        out.append('with = { sql = "INSERT INTO bench_seam (id, name) VALUES (:id, :name)", '
                   'params = { id = %d, name = "user-%d" } }' % (i, i))
    out += ['', '[[test]]', 'name = "select"']
    for i in range(1, n + 1):
        out.append('[[test.steps]]')
        out.append('use = "sql.query"')
        out.append('with = { sql = "SELECT id, name FROM bench_seam WHERE id = :id", '
                   'params = { id = %d } }' % i)
    out += ['', '[[teardown]]', 'use = "sql.exec"', 'with = { sql = "DROP TABLE bench_seam" }', '']
    sys.stdout.write('\n'.join(out))


if __name__ == '__main__':
    main()
