"""The Dask recipe on a local cluster of two worker processes gives the command line's
records, and a stopped run is resumed part by part."""

import os

import pytest

distributed = pytest.importorskip("dask.distributed")

from reportlint.cluster import read_parts, run_dask  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_dask_gives_the_command_line_records(client, cli, corpus_files, tmp_path):
    want = cli("check", *corpus_files)
    out = tmp_path / "out"
    parts = run_dask(client, corpus_files, str(out), part_size=4)
    assert len(parts) == (len(corpus_files) + 3) // 4
    assert read_parts(str(out)) == want

    # Resume: a lost part is made again, the others are left as they are.
    stamps = {p: os.stat(p).st_mtime_ns for p in parts}
    os.remove(parts[1])
    again = run_dask(client, corpus_files, str(out), part_size=4)
    assert again == parts
    for p in parts:
        if p != parts[1]:
            assert os.stat(p).st_mtime_ns == stamps[p]
    assert read_parts(str(out)) == want


def test_dask_with_a_shared_cache(client, cli, corpus_files, tmp_path):
    cache = tmp_path / "cache"
    want = cli("extract", *corpus_files)
    for run in ("first", "second"):
        out = tmp_path / run
        run_dask(client, corpus_files, str(out), mode="extract", part_size=5, cache=str(cache))
        assert read_parts(str(out)) == want, run
