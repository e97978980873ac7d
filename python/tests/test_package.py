"""The Python package gives the command line's records, in parallel, and never raises for a
bad document."""

import threading
import time

import reportlint


def test_records_equal_the_command_line(cli, corpus_files):
    for mode, many in (("check", reportlint.check_many), ("extract", reportlint.extract_many)):
        want = cli(mode, "corpus")
        assert len(want) >= 10
        assert many(["corpus"], jobs=2) == want, mode
    # One at a time, by path and by bytes.
    want = {r["path"]: r for r in cli("check", "corpus")}
    for p in corpus_files:
        assert reportlint.check(p) == want[p], p
        with open(p, "rb") as f:
            rec = reportlint.check(f.read(), name=p)
        assert rec == want[p], p


def test_bad_documents_are_error_records(tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    missing = tmp_path / "missing.pdf"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    recs = reportlint.check_many([bad, missing, empty], jobs=2)
    assert [r["path"] for r in recs] == [str(bad), str(missing), str(empty)]
    for r in recs:
        assert r["status"] == "error", r
        assert r["error"]["kind"] and r["error"]["message"], r
    assert recs[1]["error"]["kind"] == "io"
    assert reportlint.check(b"%PDF-1.4\n" + bytes(range(256)), name="x.pdf")["status"] == "error"


def test_options_choose_the_findings_shown():
    text = "编制人数50人，实有人数45人，财政供养人员控制率95%。".encode()
    assert [f["code"] for f in reportlint.check(text, name="a.txt")["findings"]] == ["R001"]
    assert reportlint.check(text, name="a.txt", ignore=["R001"])["findings"] == []
    try:
        reportlint.check(text, name="a.txt", select=["NOPE"])
    except ValueError as e:  # a usage error, not a document's
        assert "NOPE" in str(e)
    else:
        raise AssertionError("an unknown check name is refused")


def test_check_many_releases_the_interpreter_and_runs_in_parallel(corpus_files):
    paths = corpus_files * 4
    reportlint.check_many(paths[:4], jobs=1)  # warm-up: pools, patterns, segmenter

    # While the documents are processed, another Python thread keeps running.
    ticks = 0
    stop = threading.Event()

    def count():
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    t = threading.Thread(target=count)
    t.start()
    try:
        reportlint.check_many(paths, jobs=1)
    finally:
        stop.set()
        t.join()
    assert ticks > 10_000, ticks

    # Two threads against one: best of three runs each (the machine is shared; a relative
    # comparison, no absolute time).
    def best(jobs):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            reportlint.check_many(paths, jobs=jobs)
            times.append(time.perf_counter() - t0)
        return min(times)

    one, two = best(1), best(2)
    assert two < one, (one, two)


def test_dataframes(corpus_files):
    recs = reportlint.extract_many(corpus_files, jobs=2)
    figures = reportlint.to_dataframe(recs, "figures")
    assert len(figures) == sum(len(r["figures"]) for r in recs)
    with_figures = {r["path"] for r in recs if r["figures"]}
    assert set(figures["path"]) == with_figures
    assert len(with_figures) >= len(recs) - 2
    for col in ("path", "department", "year", "key", "label", "value", "unit", "line"):
        assert col in figures.columns
    # Amounts stay exact text.
    assert figures["value"].map(type).eq(str).all()
    docs = reportlint.to_dataframe(recs, "documents")
    assert list(docs["path"]) == corpus_files
    findings = reportlint.to_dataframe(reportlint.check_many(corpus_files), "findings")
    assert {"path", "code", "severity", "message"} <= set(findings.columns)
    assert len(findings) > 0
