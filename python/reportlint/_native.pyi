"""类型存根：Rust 扩展模块 / type stubs of the Rust extension module.

Records cross as JSON text (one line of ``reportlint check --format jsonl``);
``reportlint/__init__.py`` parses them into dicts.
"""

from typing import List, Optional, Tuple

def version() -> str:
    """crate 版本 / the crate's version."""

class Engine:
    """一组固定设置的处理管线 / the pipeline with one fixed configuration."""

    def __init__(
        self,
        mode: str = "check",
        select: Optional[List[str]] = None,
        ignore: Optional[List[str]] = None,
        severity: Optional[str] = None,
        patterns: Optional[str] = None,
        timeout: int = 60,
        cache: Optional[str] = None,
    ) -> None: ...
    def run_path(self, path: str) -> str:
        """一个文件的记录（JSON）/ one file's record as JSON."""
    def run_bytes(self, name: str, data: bytes) -> str:
        """一份字节文档的记录（JSON）/ the record of a document given as bytes, as JSON."""
    def run_many(self, paths: List[str], jobs: int) -> List[str]:
        """多个文件或目录，按输入顺序，并行、释放 GIL / many files or folders, in input order,
        in parallel with the interpreter released."""
    def cache_stats(self) -> Optional[Tuple[int, int, int]]:
        """(未读取复用 unread, 按内容复用 by content, 新处理 processed)，无缓存时为 None。"""
