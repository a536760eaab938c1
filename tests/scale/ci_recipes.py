"""Runs the CI recipes of docs/ci/ as their CI systems would, on this machine.

Each YAML file is parsed (PyYAML), its structure checked (what makes the
sharding work: the matrix, `parallel:`, the Indexed Job's completions), and
the shell commands in it run with the environment the CI system gives each
job: GitHub's `${{ matrix.shard }}` and `${{ strategy.job-total }}`,
GitLab's CI_NODE_INDEX and CI_NODE_TOTAL, Kubernetes' JOB_COMPLETION_INDEX.
Every job of one recipe runs in one directory (what the artifacts or the
shared volume carry between them). The merged JUnit report must list the
same test cases with the same verdicts as the whole directory run at once.

usage: ci_recipes.py DOCS_CI_DIR SUITES_DIR WORK_DIR SEAM
"""
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import yaml

ci_dir, suites, work, seam = sys.argv[1:5]
bin_dir = os.path.join(work, "bin")
os.makedirs(bin_dir, exist_ok=True)
os.symlink(seam, os.path.join(bin_dir, "seam"))
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
    return cond


def fresh_dir(name):
    d = os.path.join(work, name)
    shutil.copytree(suites, os.path.join(d, "suites"))
    return d


def sh(cwd, script, env, shell="bash"):
    full = dict(os.environ, PATH=bin_dir + ":" + os.environ["PATH"], **env)
    p = subprocess.run([shell, "-c", script], cwd=cwd, env=full, capture_output=True, text=True)
    print("$ %s   # %s\n%s%s(exit %d)" % (script, env, p.stdout, p.stderr, p.returncode))
    return p.returncode


def cases(junit):
    """(suite, test) -> verdict of every test case of a JUnit report."""
    out = {}
    for tc in ET.parse(junit).getroot().iter("testcase"):
        verdict = "passed"
        if tc.find("failure") is not None or tc.find("error") is not None:
            verdict = "failed"
        elif tc.find("skipped") is not None:
            verdict = "skipped"
        key = (tc.get("classname"), tc.get("name"))
        check(key not in out, "%s: %r twice" % (junit, key))
        out[key] = verdict
    return out


# The directory run at once: what every recipe's merged report must show.
whole_dir = fresh_dir("whole")
whole_rc = sh(whole_dir, "seam run --report junit:whole.xml suites/", {})
whole = cases(os.path.join(whole_dir, "whole.xml"))
check(len(whole) > 8, "the whole run has too few tests: %r" % whole)


def same_as_whole(recipe, cwd, rc):
    merged = os.path.join(cwd, "reports", "all.xml")
    if not check(os.path.exists(merged), "%s: no merged report reports/all.xml" % recipe):
        return
    check(os.path.getsize(os.path.join(cwd, "reports", "all.html")) > 0,
          "%s: no merged HTML report" % recipe)
    got = cases(merged)
    check(got == whole, "%s: merged %r\n  whole %r" % (recipe, sorted(got.items()), sorted(whole.items())))
    check(rc == whole_rc, "%s: merge exit code %d, whole run %d" % (recipe, rc, whole_rc))


def seam_lines(script):
    return [line for line in script.splitlines() if line.strip()]


# --- GitHub Actions ---------------------------------------------------------
gh = yaml.safe_load(open(os.path.join(ci_dir, "github-actions.yml")))
shard_job, report_job = gh["jobs"]["shard"], gh["jobs"]["report"]
shards = shard_job["strategy"]["matrix"]["shard"]
check(shards == list(range(1, len(shards) + 1)), "github: matrix.shard is not 1..N: %r" % shards)
check(shard_job["strategy"].get("fail-fast") is False, "github: fail-fast must be false")
check(report_job.get("needs") == "shard" and report_job.get("if") == "always()",
      "github: the report job must need the shards and run always()")
gh_dir = fresh_dir("github")
ran = 0


def github_expr(text, ctx):
    def sub(m):
        expr = m.group(1).strip()
        check(expr in ctx, "github: the test does not know ${{ %s }}" % expr)
        return str(ctx.get(expr, ""))
    return re.sub(r"\$\{\{(.*?)\}\}", sub, str(text))


for job, matrix in [(shard_job, [{"matrix.shard": s} for s in shards]), (report_job, [{}])]:
    for values in matrix:
        ctx = dict(values, **{"strategy.job-total": len(matrix)})
        for step in job["steps"]:
            if "run" not in step:
                check(step.get("uses", "").split("@")[0] in (
                    "actions/checkout", "actions/upload-artifact", "actions/download-artifact"),
                    "github: unexpected step %r" % step)
                continue
            env = {k: github_expr(v, ctx) for k, v in step.get("env", {}).items()}
            check("${{" not in step["run"], "github: an expression in run: (use env:)")
            rc = sh(gh_dir, step["run"], env)
            ran += 1
            if job is shard_job:
                check(rc in (0, 1), "github: shard %r exited %d" % (values, rc))
            else:
                same_as_whole("github", gh_dir, rc)
check(ran == len(shards) + 1, "github: ran %d commands" % ran)

# --- GitLab CI --------------------------------------------------------------
gl = yaml.safe_load(open(os.path.join(ci_dir, "gitlab-ci.yml")))
n = gl["seam"]["parallel"]
check(isinstance(n, int) and n > 1, "gitlab: parallel is %r" % n)
check(gl["seam-report"].get("needs") == ["seam"] and gl["seam-report"].get("when") == "always",
      "gitlab: the report job must need seam and run always")
check(gl["seam"]["artifacts"]["when"] == "always", "gitlab: shard reports must be kept on failure")
gl_dir = fresh_dir("gitlab")
for i in range(1, n + 1):
    for line in gl["seam"]["script"]:
        rc = sh(gl_dir, line, {"CI_NODE_INDEX": str(i), "CI_NODE_TOTAL": str(n)})
        check(rc in (0, 1), "gitlab: node %d exited %d" % (i, rc))
for line in gl["seam-report"]["script"]:
    rc = sh(gl_dir, line, {})
same_as_whole("gitlab", gl_dir, rc)

# --- Kubernetes Indexed Job -------------------------------------------------
docs = list(yaml.safe_load_all(open(os.path.join(ci_dir, "kubernetes-shards.yml"))))
pvc = [d for d in docs if d["kind"] == "PersistentVolumeClaim"]
job = [d for d in docs if d["kind"] == "Job"]
check(len(pvc) == 1 and len(job) == 1, "kubernetes: one claim and one Job expected")
spec = job[0]["spec"]
check(spec["completionMode"] == "Indexed", "kubernetes: completionMode must be Indexed")
completions = spec["completions"]
check(spec["parallelism"] == completions, "kubernetes: parallelism != completions")
(report_doc,) = list(yaml.safe_load_all(open(os.path.join(ci_dir, "kubernetes-report.yml"))))
k8s_dir = fresh_dir("kubernetes")


def container_run(pod, env):
    check(pod["restartPolicy"] == "Never", "kubernetes: restartPolicy must be Never")
    (c,) = pod["containers"]
    check(c["workingDir"] == "/work", "kubernetes: workingDir")
    mounts = {m["name"]: m["mountPath"] for m in c["volumeMounts"]}
    claims = {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"]}
    check(mounts == {"reports": "/work/reports"} and claims == {"reports": pvc[0]["metadata"]["name"]},
          "kubernetes: the reports must be on the shared claim")
    env = dict(env, **{e["name"]: e["value"] for e in c.get("env", [])})
    check(c["command"] == ["sh", "-c"] and len(c["args"]) == 1, "kubernetes: sh -c SCRIPT expected")
    return sh(k8s_dir, c["args"][0], env, shell="sh")


for index in range(completions):
    rc = container_run(spec["template"]["spec"], {"JOB_COMPLETION_INDEX": str(index)})
    check(rc in (0, 1), "kubernetes: index %d exited %d" % (index, rc))
shard_reports = sorted(os.listdir(os.path.join(k8s_dir, "reports")))
check(shard_reports == ["shard-%d.json" % (i + 1) for i in range(completions)],
      "kubernetes: shard reports %r" % shard_reports)
rc = container_run(report_doc["spec"]["template"]["spec"], {})
same_as_whole("kubernetes", k8s_dir, rc)

for f in failures:
    print("FAIL: " + f, file=sys.stderr)
print("%d failures" % len(failures))
sys.exit(1 if failures else 0)
