"""在 Dask 分布式集群上运行 reportlint / running reportlint on a Dask distributed cluster.

The list of files is cut into parts of ``part_size`` paths, in order; each part is one task
that checks its files with :func:`reportlint.check_many` on the worker and writes
``part-NNNNN.jsonl`` into ``out_dir`` (atomically: a part file is whole or absent). Parts whose
file exists are not submitted again, so a run that was stopped is resumed by running it again
with the same list; with ``cache=`` (a directory every worker can reach) documents already
processed are not parsed again either. Concatenating the parts in order gives the records of
``reportlint check --format jsonl`` over the same list.

On one machine::

    from dask.distributed import Client, LocalCluster
    from reportlint.cluster import run_dask, read_parts
    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
        parts = run_dask(client, paths, "out/")
    records = read_parts("out/")

On a cluster, the same code with ``Client("tcp://scheduler:8786")``: every worker needs the
package installed and the paths (and ``out_dir``) on a shared file system.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple


def _part_name(index: int) -> str:
    return f"part-{index:05d}.jsonl"


def _run_part(
    index: int,
    paths: Sequence[str],
    out_dir: str,
    mode: str,
    jobs: int,
    options: Dict[str, Any],
) -> Tuple[str, int]:
    # Imported on the worker: the task travels as a reference to this function.
    import reportlint

    engine = reportlint.Engine(mode, **options)
    records = engine.run_many(paths, jobs=jobs)
    final = os.path.join(out_dir, _part_name(index))
    tmp = f"{final}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        for r in records:
            # The command line's JSONL: compact, key order kept, non-ASCII as is.
            f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
            f.write("\n")
    os.replace(tmp, final)
    return final, len(records)


def run_dask(
    client: Any,
    paths: Sequence[str],
    out_dir: str,
    *,
    mode: str = "check",
    part_size: int = 64,
    jobs_per_task: int = 1,
    **options: Any,
) -> List[str]:
    """把 ``paths`` 分成若干部分提交给 ``client`` 的集群，返回按顺序排列的结果文件。

    Submits ``paths`` in parts of ``part_size`` to the cluster of ``client`` (a
    ``dask.distributed.Client``) and returns the part files in order. ``jobs_per_task``
    threads run in each task (match it to the worker's ``threads_per_worker`` budget);
    ``options`` as for :class:`reportlint.Engine` (``cache=`` among them).
    """
    os.makedirs(out_dir, exist_ok=True)
    paths = [os.fspath(p) for p in paths]
    parts = [paths[i : i + part_size] for i in range(0, len(paths), part_size)]
    futures = []
    done: List[Optional[str]] = [None] * len(parts)
    for i, part in enumerate(parts):
        final = os.path.join(out_dir, _part_name(i))
        if os.path.exists(final):
            done[i] = final
            continue
        futures.append(
            (i, client.submit(_run_part, i, part, out_dir, mode, jobs_per_task, options, pure=False))
        )
    for i, fut in futures:
        done[i], _ = fut.result()
    return [p for p in done if p is not None]


def read_parts(out_dir: str) -> List[Dict[str, Any]]:
    """读回所有部分的记录（按顺序）/ the records of every part, in order."""
    return list(iter_parts(out_dir))


def iter_parts(out_dir: str) -> Iterator[Dict[str, Any]]:
    """逐条读回记录，内存不随数量增长 / the records one at a time (flat memory)."""
    names = sorted(n for n in os.listdir(out_dir) if n.startswith("part-") and n.endswith(".jsonl"))
    for n in names:
        with open(os.path.join(out_dir, n), encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)
