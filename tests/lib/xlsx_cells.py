#!/usr/bin/python3
"""xlsx_cells.py - what a spreadsheet shows, read from an XLSX file's XML.

Usage: xlsx_cells.py FILE.xlsx [SHEET_NUMBER]
Opens the workbook as the zip it is (a broken file fails here), prints
its sheets' names on the first line, then each row of sheet
SHEET_NUMBER (1 by default) as comma-separated cell values in their
columns (an empty cell is an empty field), shared strings resolved.
Standard library only.
"""
import re
import sys
import zipfile
from xml.sax.saxutils import unescape

z = zipfile.ZipFile(sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1
book = z.read("xl/workbook.xml").decode()
print(" ".join(re.findall(r'<sheet name="([^"]+)"', book)))
try:
    sst = z.read("xl/sharedStrings.xml").decode()
    shared = [unescape(t) for t in re.findall(r"<t[^>]*>([^<]*)</t>", sst)]
except KeyError:
    shared = []
sheet = z.read("xl/worksheets/sheet%d.xml" % n).decode()
for row in re.findall(r"<row [^>]*>(.*?)</row>", sheet):
    out = {}
    for attrs, v in re.findall(r"<c ([^>]*)><v>([^<]*)</v></c>", row):
        col = 0
        for ch in re.search(r'r="([A-Z]+)', attrs).group(1):
            col = col * 26 + ord(ch) - 64
        out[col] = shared[int(v)] if 't="s"' in attrs else v
    print(",".join(out.get(c, "") for c in range(1, max(out, default=0) + 1)))
