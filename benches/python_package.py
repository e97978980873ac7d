"""Documents per second of the Python package beside the command line, per format, and the
Dask recipe's scaling from one worker to two.

    pip install '.[test]'              # the package, pandas and dask
    cargo build --release              # the binary compared with
    python benches/python_package.py DIR_OF_FORMAT_DIRS [--dask DIR]

DIR_OF_FORMAT_DIRS holds one folder per format (txt/, docx/, html/, pdf/ …, each with its
reports, e.g. from `target/release/examples/gen 1000 DIR/txt --formats txt`). For each
folder: the CLI (`check --format jsonl --jobs J`, its CPU time from the child's rusage) and
`reportlint.check_many(paths, jobs=J)` in this process (CPU time of the process), J = 1 and 2,
best of three. With --dask: a LocalCluster of 1 and then 2 single-threaded worker processes
over the reports of DIR (run_dask, parts of 64), best of two.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

import reportlint

BIN = os.environ.get("REPORTLINT_BIN", "target/release/reportlint")


def files_of(d):
    return [os.path.join(r, f) for r, _, fs in os.walk(d) for f in sorted(fs)]


def cli(d, jobs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(
        [BIN, "check", d, "--format", "jsonl", "--jobs", str(jobs), "--no-config"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def package(paths, jobs):
    t0, c0 = time.perf_counter(), time.process_time()
    recs = reportlint.check_many(paths, jobs=jobs)
    assert len(recs) == len(paths)
    return time.perf_counter() - t0, time.process_time() - c0


def best(f, n=3):
    return min((f() for _ in range(n)), key=lambda r: r[0])


def dask_scaling(d):
    from dask.distributed import Client, LocalCluster

    from reportlint.cluster import run_dask

    paths = files_of(d)
    print(f"\nDask LocalCluster over {len(paths)} reports of {d} (parts of 64, best of two)\n")
    print("| workers | wall s | documents/s | speed-up |\n|---:|---:|---:|---:|")
    base = None
    for n in (1, 2):
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as cl, Client(cl) as client:
            client.run(lambda: __import__("reportlint").check(b"x", name="warm.txt"))
            times = []
            for _ in range(2):
                with tempfile.TemporaryDirectory() as out:
                    t0 = time.perf_counter()
                    run_dask(client, paths, out, part_size=64)
                    times.append(time.perf_counter() - t0)
        w = min(times)
        base = base or w
        print(f"| {n} | {w:.2f} | {len(paths) / w:,.0f} | {base / w:.2f}× |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--dask")
    a = ap.parse_args()
    print("| format | documents | jobs | CLI wall s | CLI documents per CPU-s | Python wall s | Python documents per CPU-s | Python / CLI wall |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for fmt in sorted(os.listdir(a.root)):
        d = os.path.join(a.root, fmt)
        paths = files_of(d)
        if not paths:
            continue
        package(paths[:8], 1)  # warm: pools, patterns, segmenter
        for jobs in (1, 2):
            cw, cc = best(lambda: cli(d, jobs))
            pw, pc = best(lambda: package(paths, jobs))
            n = len(paths)
            print(f"| {fmt} | {n} | {jobs} | {cw:.2f} | {n / cc:,.0f} | {pw:.2f} | {n / pc:,.0f} | {pw / cw:.2f} |")
            sys.stdout.flush()
    if a.dask:
        dask_scaling(a.dask)


if __name__ == "__main__":
    main()
