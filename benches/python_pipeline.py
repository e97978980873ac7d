"""The pipeline a user would write instead of reportlint, for the speed comparison.

    python benches/python_pipeline.py [--dict patterns/dict.txt] FILE_OR_DIR... > out.jsonl

Reads each file (pdfplumber for PDF text and tables, python-docx for DOCX, html.parser for
HTML, UTF-8/GB18030 for text), segments every line with jieba (with reportlint's domain
dictionary, so the work is comparable), extracts "label + number + unit" figures and claimed
percentages with `re`, and checks every rate stated next to two money figures (a/b = rate at
two decimals). One JSON line per document; timing on stderr. It is deliberately the plain,
single-process program one writes first: no multiprocessing, as reportlint's 1-thread runs.
"""

import json
import os
import re
import sys
import time
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser

import jieba

FIGURE = re.compile(r"([\u4e00-\u9fff“”\"（）()]{2,20}?)(?:为|是|达|共)?([0-9][0-9,]*(?:\.[0-9]+)?)\s*(万元|元|人|分|%|个)")
RATE = re.compile(r"([\u4e00-\u9fff“”]{2,16}率)(?:为|达)?([0-9]+(?:\.[0-9]+)?)%")


class _Html(HTMLParser):
    BLOCK = {"p", "div", "tr", "h1", "h2", "h3", "li", "br", "caption", "title"}

    def __init__(self):
        super().__init__()
        self.lines, self.cur = [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCK:
            self.flush()
        elif tag in ("td", "th"):
            self.cur.append("\t")

    def handle_endtag(self, tag):
        if tag in self.BLOCK:
            self.flush()

    def handle_data(self, data):
        self.cur.append(data.strip())

    def flush(self):
        s = "".join(self.cur).strip()
        if s:
            self.lines.append(s)
        self.cur = []


def read_lines(path):
    ext = os.path.splitext(path)[1].lower()
    if ext == ".pdf":
        import pdfplumber

        lines = []
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                lines.extend((page.extract_text() or "").splitlines())
                for table in page.extract_tables():
                    for row in table:
                        lines.append("\t".join(c or "" for c in row))
        return lines
    if ext == ".docx":
        import docx

        d = docx.Document(path)
        lines = [p.text for p in d.paragraphs]
        for t in d.tables:
            for row in t.rows:
                lines.append("\t".join(c.text for c in row.cells))
        return lines
    raw = open(path, "rb").read()
    if ext in (".html", ".htm"):
        p = _Html()
        p.feed(raw.decode("utf-8", errors="replace"))
        p.flush()
        return p.lines
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc).splitlines()
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", errors="replace").splitlines()


def dec(s):
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None


def process(path):
    lines = read_lines(path)
    figures, findings, words = [], [], 0
    for no, line in enumerate(lines, 1):
        words += len(jieba.lcut(line))
        money = []
        for m in FIGURE.finditer(line):
            v = dec(m.group(2))
            if v is None:
                continue
            figures.append({"label": m.group(1), "value": m.group(2), "unit": m.group(3), "line": no})
            if m.group(3) in ("万元", "元"):
                money.append(v)
        for m in RATE.finditer(line):
            rate = dec(m.group(2))
            if rate is None or len(money) < 2 or money[-1] == 0:
                continue
            a, b = money[-2], money[-1]
            # Either order: reports name numerator or denominator first.
            options = [x / y * 100 for x, y in ((a, b), (b, a)) if y != 0]
            if all(abs(o - rate) > Decimal("0.005") for o in options):
                findings.append({"line": no, "label": m.group(1), "rate": m.group(2)})
    return {"path": path, "figures": figures, "findings": findings, "words": words}


def main():
    args = sys.argv[1:]
    dict_path = os.path.join(os.path.dirname(__file__), "..", "patterns", "dict.txt")
    if args[:1] == ["--dict"]:
        dict_path, args = args[1], args[2:]
    jieba.setLogLevel(60)
    jieba.initialize()
    if os.path.exists(dict_path):
        jieba.load_userdict(dict_path)
    files = []
    for a in args:
        if os.path.isdir(a):
            for root, _, names in os.walk(a):
                files.extend(os.path.join(root, n) for n in sorted(names))
        else:
            files.append(a)
    started = time.perf_counter()
    out = sys.stdout
    for f in files:
        try:
            rec = process(f)
        except Exception as e:  # one bad file must not stop the run, as in reportlint
            rec = {"path": f, "error": repr(e)}
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    secs = time.perf_counter() - started
    print(f"{len(files)} documents in {secs:.2f} s = {len(files) / secs:.1f} documents/s", file=sys.stderr)


if __name__ == "__main__":
    main()
