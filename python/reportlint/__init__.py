"""reportlint: 读取政府部门预算、决算和绩效自评报告，提取其中的数字并相互核对。

Read Chinese government budget, final-account and performance self-evaluation reports
(DOCX, PDF, text, HTML, MHT, XLSX/XLS), extract every figure and cross-check them.

每个输入都得到一条记录（字典），与命令行 ``reportlint check --format jsonl`` 的一行完全相同
（字段见 spec/output.md）；无法读取的文档得到 ``status == "error"`` 的记录，而不是异常。

Every input yields one record (a dict), exactly a line of ``reportlint check --format jsonl``
(fields in spec/output.md); a document that cannot be read yields a record whose ``status``
is ``"error"``, never an exception.

>>> import reportlint
>>> rec = reportlint.check(b"编制人数50人，实有人数45人，财政供养人员控制率95%。", name="a.txt")
>>> [f["code"] for f in rec["findings"]]
['R001']
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

from . import _native

__all__ = [
    "check",
    "extract",
    "check_many",
    "extract_many",
    "to_dataframe",
    "Engine",
    "__version__",
]

__version__: str = _native.version()

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview]
Record = Dict[str, Any]


class Engine:
    """一组固定的设置（模式、显示哪些检查、模式库、超时、缓存），可反复使用。

    A fixed configuration (mode, checks shown, pattern set, time-out, cache) to use for many
    documents: patterns are compiled once.

    :param mode: ``"check"``（提取并核对 / extract and check）、``"extract"`` 或 ``"read"``。
    :param select: 只显示这些检查（代码、前缀或名称）/ show only these checks.
    :param ignore: 不显示这些检查 / hide these checks.
    :param severity: 最低严重程度 / lowest severity shown: ``error``, ``warning``, ``notice``.
    :param patterns: 模式目录，替换内置模式 / a pattern directory replacing the embedded one.
    :param timeout: 每份文档的秒数上限 / seconds allowed per document.
    :param cache: 结果缓存目录（同命令行 ``--cache``）/ the result cache (as ``--cache``).
    """

    def __init__(
        self,
        mode: str = "check",
        *,
        select: Optional[Sequence[str]] = None,
        ignore: Optional[Sequence[str]] = None,
        severity: Optional[str] = None,
        patterns: Optional[Union[str, "os.PathLike[str]"]] = None,
        timeout: int = 60,
        cache: Optional[Union[str, "os.PathLike[str]"]] = None,
    ) -> None:
        self._native = _native.Engine(
            mode,
            list(select) if select else None,
            list(ignore) if ignore else None,
            severity,
            os.fspath(patterns) if patterns is not None else None,
            timeout,
            os.fspath(cache) if cache is not None else None,
        )

    def run(self, source: Source, *, name: Optional[str] = None) -> Record:
        """一个文件（路径）或一份文档的字节，得到它的记录。

        One file (a path) or one document's bytes (``name`` stands for its path and tells
        text from HTML) into its record.
        """
        if isinstance(source, (bytes, bytearray, memoryview)):
            return json.loads(self._native.run_bytes(name or "<bytes>", bytes(source)))
        return json.loads(self._native.run_path(os.fspath(source)))

    def run_many(
        self,
        paths: Iterable[Union[str, "os.PathLike[str]"]],
        *,
        jobs: Optional[int] = None,
    ) -> List[Record]:
        """多个文件或目录（递归），按输入顺序返回记录；并行且释放 GIL。目录中不是报告的文件
        得到 ``status == "skipped"`` 的记录（同命令行 JSONL）。

        Files and folders (walked as the command line walks them: a folder's files that are
        not reports are records with ``status == "skipped"``, as in its JSONL), records in
        input order, on ``jobs`` threads (default: all cores) with the interpreter released.
        """
        n = jobs if jobs is not None else (os.cpu_count() or 1)
        lines = self._native.run_many([os.fspath(p) for p in paths], max(1, n))
        return [json.loads(line) for line in lines]

    def cache_stats(self) -> Optional[Dict[str, int]]:
        """缓存复用与新处理的数量 / what the cache reused and processed so far."""
        s = self._native.cache_stats()
        if s is None:
            return None
        return {"unread": s[0], "by_content": s[1], "processed": s[2]}


_ENGINES: Dict[str, Engine] = {}


def _engine(mode: str, options: Dict[str, Any]) -> Engine:
    """A new engine for these options, or the mode's default one, made once."""
    if options:
        return Engine(mode, **options)
    if mode not in _ENGINES:
        _ENGINES[mode] = Engine(mode)
    return _ENGINES[mode]


def check(source: Source, *, name: Optional[str] = None, **options: Any) -> Record:
    """提取并核对一份报告 / extract and cross-check one report.

    ``source`` 是路径或字节 / a path or the document's bytes. ``options`` as for
    :class:`Engine` (``select``, ``ignore``, ``severity``, ``patterns``, ``timeout``, ``cache``).
    """
    return _engine("check", options).run(source, name=name)


def extract(source: Source, *, name: Optional[str] = None, **options: Any) -> Record:
    """只提取数字，不核对 / extract the figures of one report, without checks."""
    return _engine("extract", options).run(source, name=name)


def check_many(
    paths: Iterable[Union[str, "os.PathLike[str]"]],
    jobs: Optional[int] = None,
    **options: Any,
) -> List[Record]:
    """并行核对多份报告（释放 GIL），按输入顺序返回 / check many reports in parallel, in input
    order, with the interpreter released; ``jobs`` threads (default: all cores)."""
    return _engine("check", options).run_many(paths, jobs=jobs)


def extract_many(
    paths: Iterable[Union[str, "os.PathLike[str]"]],
    jobs: Optional[int] = None,
    **options: Any,
) -> List[Record]:
    """并行提取多份报告 / extract many reports in parallel, in input order."""
    return _engine("extract", options).run_many(paths, jobs=jobs)


def to_dataframe(records: Iterable[Record], what: str = "figures") -> "Any":
    """把记录变成 pandas DataFrame / records into a pandas DataFrame.

    - ``what="figures"``: 每个数字一行 / one row per figure (the long dataset): the document's
      ``path``, ``department``, ``year``, ``kind``, then the figure's fields (``key``,
      ``label``, ``value``, ``unit``, ``value_wan``, ``line``, ``page`` …). Amounts stay exact
      strings (``value``, ``value_wan``): convert with ``decimal.Decimal`` or ``pd.to_numeric``
      as your analysis allows.
    - ``what="findings"``: 每个发现一行 / one row per finding (``code``, ``severity``,
      ``message`` …).
    - ``what="documents"``: 每份文档一行 / one row per document: status, error, metadata and
      the number of figures and findings.
    """
    import pandas as pd

    rows: List[Dict[str, Any]] = []
    for rec in records:
        meta = rec.get("meta") or {}
        doc = {
            "path": rec.get("path"),
            "department": meta.get("department"),
            "year": meta.get("year"),
            "kind": meta.get("kind"),
        }
        if what == "documents":
            err = rec.get("error") or {}
            rows.append(
                {
                    **doc,
                    "format": rec.get("format"),
                    "status": rec.get("status"),
                    "error_kind": err.get("kind"),
                    "error_message": err.get("message"),
                    "figures": len(rec.get("figures") or []),
                    "findings": len(rec.get("findings") or []),
                }
            )
        elif what in ("figures", "findings"):
            for item in rec.get(what) or []:
                row = dict(doc)
                for k, v in item.items():
                    # Nested parts (a table cell's address, evidence lists) stay as objects.
                    row[k if k not in doc else f"{what[:-1]}_{k}"] = v
                rows.append(row)
        else:
            raise ValueError(f"what={what!r}: expected 'figures', 'findings' or 'documents'")
    return pd.DataFrame(rows)
