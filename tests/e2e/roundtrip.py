#!/usr/bin/python3
"""Reads one run's tables back from SQLite, CSV, JSON Lines and XLSX and checks
that every format carries the same rows (issue: exporters swapped with one line).

  roundtrip.py OUT_DIR TABLE...

OUT_DIR holds lode.sqlite, csv/<table>.csv, rows/<table>.jsonl and lode.xlsx.
SQLite is the reference. Numbers compare as numbers (to 1e-9 relative); empty
cells, SQL NULL and JSON null are the same. CSV and XLSX guard text cells that
start with = + - @ (excel_safe) with a leading apostrophe: it is removed before
comparing.
"""
import csv
import json
import math
import sqlite3
import sys

import openpyxl


def norm(v):
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        if v[:1] == "'" and v[1:2] in ("=", "+", "-", "@", "\t", "\r"):
            v = v[1:]
        try:
            f = float(v)
            if math.isfinite(f) and v.strip() == v and not v.startswith("0") or v in ("0",) or v.startswith("0."):
                return f
        except ValueError:
            pass
        return v
    return v


def same(a, b):
    a, b = norm(a), norm(b)
    if isinstance(a, float) and isinstance(b, float):
        return a == b or abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    if isinstance(a, float) != isinstance(b, float):
        # "2019" as text in one format, 2019 as a number in another.
        return str(a).rstrip("0").rstrip(".") == str(b).rstrip("0").rstrip(".")
    return a == b


def main():
    out, tables = sys.argv[1], sys.argv[2:]
    db = sqlite3.connect(f"{out}/lode.sqlite")
    book = openpyxl.load_workbook(f"{out}/lode.xlsx", read_only=True)
    failures = 0
    for table in tables:
        cur = db.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
        columns = [d[0] for d in cur.description]
        reference = [list(r) for r in cur.fetchall()]
        with open(f"{out}/csv/{table}.csv", encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        formats = {"csv": (rows[0], rows[1:])}
        with open(f"{out}/rows/{table}.jsonl", encoding="utf-8") as f:
            objs = [json.loads(line) for line in f]
        formats["jsonl"] = (columns, [[o.get(c) for c in columns] for o in objs])
        sheet_rows = list(book[table].iter_rows(values_only=True))
        formats["xlsx"] = (list(sheet_rows[0]), [list(r) for r in sheet_rows[1:]])
        for name, (header, body) in formats.items():
            if list(header) != columns:
                print(f"{table}.{name}: columns {header} differ from SQLite's {columns}")
                failures += 1
                continue
            if len(body) != len(reference):
                print(f"{table}.{name}: {len(body)} rows, SQLite has {len(reference)}")
                failures += 1
                continue
            for i, (got, want) in enumerate(zip(body, reference)):
                bad = [c for c, g, w in zip(columns, got, want) if not same(g, w)]
                if bad:
                    print(f"{table}.{name}: row {i + 1}, columns {bad}: {got} != {want}")
                    failures += 1
                    break
        print(f"{table}: {len(reference)} rows in SQLite, CSV, JSON Lines and XLSX")
    sys.exit(1 if failures else 0)


main()
