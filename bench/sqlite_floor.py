#!/usr/bin/env python3
"""SQLite's own share of writing a lode database, and what an integer key would save.

Reads the rows of a database lode wrote (every table but runs), holds them in
temporary tables, and times the sqlite3 shell copying them into a new file
with export.sqlite's settings (64 KiB pages, no journal, no syncs, 4 MiB
cache) and indexes, in one transaction. That is the floor of export.sqlite:
the work SQLite does for those rows whoever hands them over.

Alternated with it, the same copy with each table's doc_id replaced by an
integer key (documents keeps the text doc_id beside its new key), to measure
what a normalized schema would save in time and in disk.

    python3 bench/sqlite_floor.py out/lode.sqlite [--runs 5]

Needs the sqlite3 shell (Debian's sqlite3). Standard library otherwise.
"""

import argparse
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile

TABLES_SKIPPED = {"runs"}

SETTINGS = ("PRAGMA page_size=65536; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
            "PRAGMA cache_size=-4096;")


def quote(name):
    return '"' + name.replace('"', '""') + '"'


def scripts(source):
    """The two scripts (text keys, integer keys), each: load, then timed inserts."""
    src = sqlite3.connect("file:%s?mode=ro" % source, uri=True)
    tables = [r[0] for r in src.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
        if r[0] not in TABLES_SKIPPED]
    src.close()
    text, integer = [SETTINGS], [SETTINGS]
    load_text, load_integer, insert = [], [], []
    for s in (text, integer):
        s.append("ATTACH %s AS src;" % quote(os.path.abspath(source)).replace('"', "'"))
    integer.append("CREATE TEMP TABLE doc_keys AS SELECT doc_id, row_number() OVER (ORDER BY rowid) AS n "
                   "FROM src.documents;")
    src = sqlite3.connect("file:%s?mode=ro" % source, uri=True)
    for t in tables:
        columns = [(r[1], r[2]) for r in src.execute("PRAGMA table_info(%s)" % quote(t))]
        names = [c for c, _ in columns]
        declared = ", ".join("%s %s" % (quote(c), ty) for c, ty in columns)
        q = quote(t)
        keys = [k for k in ("doc_id", "item") if k in names]
        text.append("CREATE TABLE %s (%s);" % (q, declared))
        if keys:
            text.append("CREATE INDEX %s ON %s (%s);" % (quote(t + "_keys"), q, ", ".join(map(quote, keys))))
        load_text.append("CREATE TEMP TABLE %s AS SELECT * FROM src.%s ORDER BY rowid;" % (quote("s_" + t), q))
        if t == "documents":
            integer.append("CREATE TABLE %s (doc INTEGER PRIMARY KEY, %s);" % (q, declared))
            integer.append("CREATE INDEX %s ON %s (doc_id);" % (quote(t + "_keys"), q))
            load_integer.append("CREATE TEMP TABLE %s AS SELECT k.n AS doc, d.* FROM src.%s AS d "
                                "JOIN doc_keys AS k ON k.doc_id = d.doc_id ORDER BY d.rowid;" % (quote("s_" + t), q))
        else:
            declared_int = ", ".join(("doc INTEGER" if c == "doc_id" else "%s %s" % (quote(c), ty))
                                     for c, ty in columns)
            integer.append("CREATE TABLE %s (%s);" % (q, declared_int))
            int_keys = ["doc" if k == "doc_id" else k for k in keys]
            if int_keys:
                integer.append("CREATE INDEX %s ON %s (%s);" % (quote(t + "_keys"), q, ", ".join(map(quote, int_keys))))
            picked = ", ".join(("k.n" if c == "doc_id" else "x.%s" % quote(c)) for c in names)
            join = "JOIN doc_keys AS k ON k.doc_id = x.doc_id" if "doc_id" in names else ""
            load_integer.append("CREATE TEMP TABLE %s AS SELECT %s FROM src.%s AS x %s ORDER BY x.rowid;"
                                % (quote("s_" + t), picked, q, join))
        # A WHERE clause keeps SQLite from copying the pages as they are (its
        # transfer optimization), which export.sqlite cannot do either.
        insert.append("INSERT INTO %s SELECT * FROM %s WHERE rowid > 0;" % (q, quote("s_" + t)))
    src.close()
    timed = [".timer on", "BEGIN;"] + insert + ["COMMIT;"]
    return "\n".join(text + load_text + timed) + "\n", "\n".join(integer + load_integer + timed) + "\n"


def run(script, path):
    if os.path.exists(path):
        os.unlink(path)
    out = subprocess.run(["sqlite3", path], input=script, capture_output=True, text=True)
    if out.returncode != 0 or "Error" in out.stderr:
        sys.exit("sqlite3 failed: " + out.stderr.strip())
    seconds = sum(float(m) for m in re.findall(r"Run Time: real ([0-9.]+)", out.stdout))
    return seconds, os.path.getsize(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("database", help="a database written by export.sqlite")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    text, integer = scripts(args.database)
    times = {"text doc_id": [], "integer key": []}
    sizes = {}
    with tempfile.TemporaryDirectory(prefix="lode-sqlite-floor-") as tmp:
        for _ in range(args.runs):
            for name, script in (("text doc_id", text), ("integer key", integer)):
                seconds, size = run(script, os.path.join(tmp, "copy.sqlite"))
                times[name].append(seconds)
                sizes[name] = size
    for name, ts in times.items():
        print("%-12s  %.2f s median of %d (%s), %.0f MB" % (
            name, statistics.median(ts), len(ts), " ".join("%.2f" % t for t in ts), sizes[name] / 1e6))


if __name__ == "__main__":
    main()
