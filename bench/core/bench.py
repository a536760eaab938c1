#!/usr/bin/env python3
"""Core benchmark: a generated suite of N probe.noop steps (each with an
interpolated input and an expectation) - load time, run time per step, peak
RSS - a suite of CORE_BIG_STEPS (1,000,000) such steps, whose run must not
grow the memory the loaded model holds, and whole-process wall time of
`seam --version` and a one-step suite.
Peers measured in the same run: the same runs with --in-process (what worker
processes cost), the plain C loop over the same plugin call
(bench/core/direct.c, the floor of any host), TOML++ parsing the same file
alone (bench/core/toml_parse.cpp, the reference for loading) and /bin/true
(process start)."""
import os, re, resource, shutil, statistics, subprocess, sys, tempfile, time

def run(cmd, env=None, want_out=False):
    """Wall seconds and peak RSS (MiB) of one process (and its stdout)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE if want_out else subprocess.DEVNULL,
                         stderr=subprocess.PIPE, env=env)
    out = p.stdout.read().decode() if want_out else ""
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    err = p.stderr.read().decode()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"bench: {' '.join(cmd)} exited {code}\n{err}")
    return (wall, ru.ru_maxrss / 1024.0, out) if want_out else (wall, ru.ru_maxrss / 1024.0)

def run_phase_seconds(console):
    """The run's own duration (after loading and checking) from the summary
    line seam prints: 'N tests in M suites, 812 ms' or '1.25 s'."""
    m = re.search(r"tests? in \d+ suites?, ([0-9.]+) (ms|s)$", console, re.M)
    if not m:
        sys.exit("bench: no summary line in seam's output:\n" + console[-500:])
    return float(m.group(1)) / (1000.0 if m.group(2) == "ms" else 1.0)

def best(cmd, times, env=None):
    walls = [run(cmd, env)[0] for _ in range(times)]
    return min(walls), statistics.median(walls)

def verdict_word(ok):
    return "PASS" if ok else "MISS"

def measure_flat(tmp, seam, here):
    """Issue 16: a suite of CORE_BIG_STEPS (1,000,000) steps runs with flat
    RSS per step after load. The model's memory is what `seam check` holds at
    its peak (load and check, nothing run); a run that kept something per
    step would peak above it by that much. Both ways of running are measured:
    in a worker (the default; the peak is the larger of the two processes)
    and --in-process (one process holding the model and the run). Flat: the
    run adds less than 1% of the model's memory (1 MiB at least, for small
    suites), whatever the number of steps."""
    big_n = int(os.environ.get("CORE_BIG_STEPS", "1000000"))
    huge = os.path.join(tmp, "huge.toml")
    with open(huge, "w") as f:
        subprocess.run([sys.executable, os.path.join(here, "gen_suite.py"), str(big_n)], stdout=f, check=True)
    load_s, check_mib = run([seam, "check", huge])
    run_s, run_mib, out = run([seam, "run", huge], want_out=True)
    ip_s, ip_mib, out_ip = run([seam, "run", "--in-process", huge], want_out=True)
    os.remove(huge)
    per = lambda mib: mib * 100000 / big_n
    allowed = max(1.0, 0.01 * check_mib)
    return big_n, {
        "load_s": load_s, "run_s": run_s, "ip_s": ip_s,
        "phase_s": run_phase_seconds(out), "phase_ip_s": run_phase_seconds(out_ip),
        "check_mib": check_mib, "run_mib": run_mib, "ip_mib": ip_mib,
        "check_per": per(check_mib), "run_per": per(run_mib - check_mib), "ip_per": per(ip_mib - check_mib),
        "ok": run_mib - check_mib < allowed and ip_mib - check_mib < allowed,
    }

def main():
    # The generated suites and the C loop live in a temp dir, gone at the end.
    tmp = tempfile.mkdtemp(prefix="seam-bench-")
    try:
        measure(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

def measure(tmp):
    build = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    here = os.path.dirname(os.path.abspath(__file__))
    seam = os.path.join(build, "bin", "seam")
    probe = os.path.join(build, "lib", "seam", "plugins", "seam-probe.so")
    big = os.path.join(tmp, "steps.toml")
    one = os.path.join(tmp, "one.toml")
    with open(big, "w") as f:
        subprocess.run([sys.executable, os.path.join(here, "gen_suite.py"), str(n)], stdout=f, check=True)
    with open(one, "w") as f:
        subprocess.run([sys.executable, os.path.join(here, "gen_suite.py"), "1", "1"], stdout=f, check=True)
    direct = os.path.join(tmp, "direct")
    subprocess.run(["cc", "-O2", "-std=c99", "-I", os.path.join(here, "..", "..", "sdk", "include"),
                    os.path.join(here, "direct.c"), "-o", direct, "-ldl"], check=True)

    toml_parse = os.path.join(tmp, "toml_parse")
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "tomlplusplus"], capture_output=True,
                           text=True, check=True).stdout.split()
    subprocess.run(["c++", "-O2", "-std=c++17", os.path.join(here, "toml_parse.cpp"), "-o", toml_parse]
                   + flags, check=True)

    size_mb = os.path.getsize(big) / 1e6
    loads = [run([seam, "check", big]) for _ in range(3)]
    # The reference for loading: the same file parsed by TOML++ alone, a
    # process timed the same way (start, read, parse, exit).
    toml_s = min(run([toml_parse, big])[0] for _ in range(3))
    # Worker runs and --in-process ones (what worker processes cost)
    # interleaved, five of each, so that both see the same machine.
    # Beside them, for information, the same worker runs with glibc's heap
    # on transparent huge pages (docs/performance.md, "Memory on a virtual
    # machine"): not seam's default, since it slows small suites down.
    thp_env = dict(os.environ)
    thp_env["GLIBC_TUNABLES"] = ":".join(
        t for t in (os.environ.get("GLIBC_TUNABLES"), "glibc.malloc.hugetlb=1") if t)
    runs, runs_ip, runs_thp = [], [], []
    for _ in range(5):
        runs.append(run([seam, "run", big], want_out=True))
        runs_ip.append(run([seam, "run", "--in-process", big], want_out=True))
        runs_thp.append(run([seam, "run", big], env=thp_env, want_out=True))
    load_s = min(w for w, _ in loads)
    run_s = min(w for w, _, _ in runs)
    rss = max(r for _, r, _ in runs)
    run_ip_s = min(w for w, _, _ in runs_ip)
    # The run phases compare by their medians: one lucky run on either side
    # moves a minimum by a fifth.
    phase_s = statistics.median(run_phase_seconds(o) for _, _, o in runs)
    phase_ip_s = statistics.median(run_phase_seconds(o) for _, _, o in runs_ip)
    run_thp_s = min(w for w, _, _ in runs_thp)
    rss_thp = max(r for _, r, _ in runs_thp)
    phase_thp_s = statistics.median(run_phase_seconds(o) for _, _, o in runs_thp)
    # Per step: the run phase as seam measures it, without loading.
    per_step_us = min(run_phase_seconds(o) for _, _, o in runs) / n * 1e6
    direct_s = min(float(subprocess.run([direct, probe, str(n)], capture_output=True, text=True,
                                        check=True).stdout) for _ in range(3))
    direct_us = direct_s / n * 1e6
    big_n, flat = measure_flat(tmp, seam, here)
    ver_min, ver_med = best([seam, "--version"], 20)
    one_min, one_med = best([seam, "run", one], 20)
    one_ip_min, _ = best([seam, "run", "--in-process", one], 20)
    true_min, _ = best(["/bin/true"], 20)

    load = " ".join(open("/proc/loadavg").read().split()[:3])
    print(f"core benchmark ({n} steps of probe.noop, suite file {size_mb:.1f} MB, {os.cpu_count()} cores, load {load})")
    print(f"  load + check (seam check):      {load_s:8.3f} s")
    print(f"  TOML++ parse alone (reference): {toml_s:8.3f} s     (seam check / TOML++ = "
          f"{load_s / max(toml_s, 1e-9):.2f}x) target <= 1.5x")
    print(f"  load + check + run (seam run):  {run_s:8.3f} s     target < 0.5 s (per 100k steps)")
    print(f"  peak RSS (seam run):            {rss:8.1f} MiB   target < 100 MiB")
    print(f"  run time per step:              {per_step_us:8.2f} us    target < 0.5 us (core overhead; run phase / steps)")
    print(f"  plain C loop, same call:        {direct_us:8.2f} us    (floor; seam/floor = {per_step_us / max(direct_us, 1e-9):.1f}x)")
    print(f"  seam --version:                 {ver_min * 1e3:8.2f} ms    (median {ver_med * 1e3:.2f} ms; /bin/true {true_min * 1e3:.2f} ms)")
    print(f"  one-step suite (seam run):      {one_min * 1e3:8.2f} ms    (median {one_med * 1e3:.2f} ms) target < 3 ms")
    print(f"  same run --in-process:          {run_ip_s:8.3f} s     (run phase {phase_ip_s:.3f} s in-process, "
          f"{phase_s:.3f} s in a worker: {(phase_s / max(phase_ip_s, 1e-9) - 1) * 100:+.1f}%) target within 20%")
    print(f"  one-step suite --in-process:    {one_ip_min * 1e3:8.2f} ms    (worker costs {(one_min - one_ip_min) * 1e3:+.2f} ms) "
          f"target < 10 ms")
    print(f"  seam run, heap on huge pages:   {run_thp_s:8.3f} s     (GLIBC_TUNABLES=glibc.malloc.hugetlb=1; "
          f"run phase {phase_thp_s:.3f} s, peak RSS {rss_thp:.1f} MiB; for information)")
    print(f"  {big_n} steps: load + check {flat['load_s']:.2f} s, seam run {flat['run_s']:.2f} s "
          f"(run phase {flat['phase_s']:.2f} s), --in-process {flat['ip_s']:.2f} s "
          f"(run phase {flat['phase_ip_s']:.2f} s)")
    print(f"    peak RSS, seam check (the model loaded): {flat['check_mib']:8.1f} MiB  "
          f"= {flat['check_per']:.1f} MiB per 100k steps ({n} steps: {rss * 100000 / n:.1f})")
    print(f"    peak RSS, seam run:                      {flat['run_mib']:8.1f} MiB  "
          f"({flat['run_mib'] - flat['check_mib']:+.1f} MiB while running, "
          f"{flat['run_per']:+.2f} MiB per 100k steps)")
    print(f"    peak RSS, seam run --in-process:         {flat['ip_mib']:8.1f} MiB  "
          f"({flat['ip_mib'] - flat['check_mib']:+.1f} MiB while running, "
          f"{flat['ip_per']:+.2f} MiB per 100k steps)  target: flat after load {verdict_word(flat['ok'])}")
    # Issue 16's targets; run time scales to 100k steps when N differs.
    run_100k = run_s * 100000 / n
    checks = [
        (f"core {n} steps load+check+run (s)", f"{run_s:.3f}", "-", "-", "< 0.5 s per 100k", run_100k < 0.5),
        ("core load+check vs TOML++ parse (s)", f"{load_s:.3f}", f"TOML++ alone: {toml_s:.3f}",
         f"{load_s / max(toml_s, 1e-9):.2f}x", "<= 1.5x", load_s <= toml_s * 1.5),
        ("core peak RSS (MiB)", f"{rss:.1f}", "-", "-", "< 100 MiB", rss < 100),
        ("core run time per step (us)", f"{per_step_us:.2f}", f"C loop: {direct_us:.2f}",
         f"{per_step_us / max(direct_us, 1e-9):.1f}x", "< 0.5 us", per_step_us < 0.5),
        ("core one-step suite (ms)", f"{one_min * 1e3:.2f}", f"/bin/true: {true_min * 1e3:.2f}",
         f"{one_min / max(true_min, 1e-9):.1f}x", "< 3 ms", one_min < 0.003),
        (f"core {big_n} steps: RSS growth while running (MiB per 100k steps)",
         f"{max(flat['run_per'], flat['ip_per']):+.2f}",
         f"loaded: {flat['check_per']:.1f} per 100k", "-", "flat (< 1% of loaded)", flat['ok']),
    ]
    print("  targets (issue 16): " + ", ".join(f"{c[4]} {verdict_word(c[5])}" for c in checks))
    # Worker processes (docs/workers.md) against the same runs --in-process:
    # the run phase (after loading, which both share) within 20%.
    workers = [
        ("core run phase in a worker (s)", f"{phase_s:.3f}", f"in-process: {phase_ip_s:.3f}",
         f"{phase_s / max(phase_ip_s, 1e-9):.2f}x", "within 20%", phase_s <= phase_ip_s * 1.2),
        ("core one-step suite in a worker (ms)", f"{one_min * 1e3:.2f}", f"in-process: {one_ip_min * 1e3:.2f}",
         f"{one_min / max(one_ip_min, 1e-9):.2f}x", "< 10 ms", one_min < 0.010),
    ]
    # Printed only: bench/run-all's summary holds issue 16's rows.
    print("  targets (workers): " + ", ".join(f"{c[4]} {verdict_word(c[5])}" for c in workers))
    summary = os.environ.get("BENCH_SUMMARY")
    if summary:
        with open(summary, "a") as f:
            for name, fig, ref, ratio, target, ok in checks:
                f.write(f"{name}|{fig}|{ref}|{ratio}|{target}|{verdict_word(ok)}\n")

if __name__ == "__main__":
    main()
