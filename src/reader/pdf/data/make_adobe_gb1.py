#!/usr/bin/env python3
"""Builds adobe_gb1_ucs2.bin: CID (Adobe-GB1) -> Unicode as big-endian u16, one per CID
(0 = unmapped; the few non-BMP targets are left unmapped), from Adobe's Adobe-GB1-UCS2 CMap
(BSD-3-Clause, see LICENSE-Adobe-cmap.txt; Debian ships it in poppler-data as
/usr/share/poppler/cMap/Adobe-GB1/Adobe-GB1-UCS2).

Usage: python3 make_adobe_gb1.py [path/to/Adobe-GB1-UCS2]
"""
import re
import struct
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/poppler/cMap/Adobe-GB1/Adobe-GB1-UCS2"
text = open(src, encoding="latin-1").read()
m = {}


def u(h):
    b = bytes.fromhex(h)
    s = b.decode("utf-16-be", errors="replace")
    return ord(s[0]) if len(s) == 1 and ord(s[0]) <= 0xFFFF and s != "\ufffd" else 0


for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
    for a, b in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
        m[int(a, 16)] = u(b)
for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
    for a, b, d in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
        lo, hi, base = int(a, 16), int(b, 16), int(d, 16)
        for k in range(hi - lo + 1):
            m[lo + k] = base + k if base + k <= 0xFFFF else 0
n = max(m) + 1
out = bytearray()
for cid in range(n):
    out += struct.pack(">H", m.get(cid, 0))
open("adobe_gb1_ucs2.bin", "wb").write(out)
print(n, "CIDs,", sum(1 for v in m.values() if v), "mapped")
