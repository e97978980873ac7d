"""Shared fixtures: the repository's corpus and the command line to compare with.

Run from the repository root (``cargo test`` runs this suite through tests/python.rs, with
``REPORTLINT_BIN`` naming the binary it built). Alone: ``pytest python/tests`` after
``pip install '.[test]'``, with the binary found in target/.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _binary() -> str:
    env = os.environ.get("REPORTLINT_BIN")
    if env:
        return env
    for profile in ("release", "debug"):
        p = ROOT / "target" / profile / "reportlint"
        if p.exists():
            return str(p)
    pytest.skip("no reportlint binary: set REPORTLINT_BIN or run `cargo build` first")


@pytest.fixture(scope="session", autouse=True)
def root():
    """Paths in records are as given: every test runs from the repository root."""
    os.chdir(ROOT)
    return ROOT


@pytest.fixture(scope="session")
def cli(root):
    """Runs the command line from the repository root; returns its JSONL records."""

    def run(*args):
        out = subprocess.run(
            [_binary(), *args, "--format", "jsonl", "--no-config"],
            cwd=root,
            capture_output=True,
            check=False,
        )
        assert out.returncode in (0, 1, 3), out.stderr.decode()
        return [json.loads(line) for line in out.stdout.decode().splitlines() if line.strip()]

    return run


@pytest.fixture(scope="session")
def corpus_files(cli):
    """The corpus's reports, in the order the command line walks them."""
    return [r["path"] for r in cli("extract", "corpus") if r["status"] != "skipped"]
