#!/usr/bin/env python3
"""Quality of the main pipeline's audits on a generated corpus with ground truth.

Generates a corpus with bench/gencorpus.py and its truth file, runs

    lode run pipelines/work-report.yaml CORPUS --set export.html.enabled=false

and compares, page by page, the `audits` rows of each kept page with the
truth's counts of stated percentages that are right (`pct_ok`), wrong on
purpose (`pct_wrong`) and not computable from the page (`pct_unverifiable`).
A page is right when all three counts agree. Pages dropped as duplicates are
not counted (their report is audited once, on the kept copy).

    python3 bench/audit_quality.py --size 50MB [--seed 11] [--threads 2] [--keep DIR] [--list 20]
    python3 bench/audit_quality.py --pages 300 --transform stuff

Without --transform, the corpus has the transforms of bench/run's main corpus
(spin, stuff, chrome, html, gb18030, copies, repeats). LODE=path picks the lode
binary (default build/bin/lode). Standard library only.
"""

import argparse
import csv
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAIN_TRANSFORMS = ["spin=0.3", "stuff=0.2", "chrome=0.5", "html=0.2", "gb18030=0.2", "copies=0.2", "repeats=0.1"]
VERDICTS = (("ok", "pct_ok"), ("mismatch", "pct_wrong"), ("unverifiable", "pct_unverifiable"))


def score(db_path, corpus, truth_path):
    """Per kept page: the audits' verdict counts against the truth's."""
    db = sqlite3.connect(db_path)
    prefix = os.path.join(corpus, "")

    def rel(doc_id):
        return doc_id[len(prefix):] if doc_id.startswith(prefix) else doc_id

    found = {}
    for doc_id, verdict, n in db.execute("SELECT doc_id, verdict, count(*) FROM audits GROUP BY doc_id, verdict"):
        found.setdefault(rel(doc_id), {})[verdict] = n
    status = {rel(d): s for d, s in db.execute("SELECT doc_id, status FROM documents")}
    totals = {v: [0, 0] for v, _ in VERDICTS}
    pages = right = 0
    wrong = []
    with open(truth_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if status.get(row["path"]) != "kept":
                continue
            pages += 1
            got = found.get(row["path"], {})
            good = True
            for verdict, column in VERDICTS:
                totals[verdict][0] += got.get(verdict, 0)
                totals[verdict][1] += int(row[column])
                good &= got.get(verdict, 0) == int(row[column])
            right += good
            if not good:
                wrong.append((row["path"], row["transforms"],
                              " ".join("%s %d/%s" % (v, got.get(v, 0), row[c]) for v, c in VERDICTS)))
    return pages, right, totals, wrong


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    amount = ap.add_mutually_exclusive_group(required=True)
    amount.add_argument("--size", help="corpus size for gencorpus.py (50MB, 1GB …)")
    amount.add_argument("--pages", type=int, help="number of base pages")
    ap.add_argument("--seed", type=int, default=11, help="gencorpus.py's random seed (default 11)")
    ap.add_argument("--transform", action="append", help="gencorpus.py transform, repeatable")
    ap.add_argument("--threads", type=int, default=2, help="threads of the lode run (default 2)")
    ap.add_argument("--keep", help="keep the corpus, truth and output in this folder (created)")
    ap.add_argument("--list", type=int, default=10, help="list at most this many wrong pages (default 10)")
    args = ap.parse_args()

    lode = os.environ.get("LODE", os.path.join(ROOT, "build", "bin", "lode"))
    work = args.keep or tempfile.mkdtemp(prefix="lode-audit-quality-")
    os.makedirs(work, exist_ok=True)
    corpus, truth, out = (os.path.join(work, n) for n in ("corpus", "truth.tsv", "out"))
    try:
        if os.path.exists(corpus):
            shutil.rmtree(corpus)
        gen = [sys.executable, os.path.join(ROOT, "bench", "gencorpus.py"), "--out", corpus, "--seed", str(args.seed),
               "--truth", truth, "--quiet"]
        gen += ["--size", args.size] if args.size else ["--pages", str(args.pages)]
        for t in args.transform or MAIN_TRANSFORMS:
            gen += ["--transform", t]
        subprocess.run(gen, check=True)
        subprocess.run([lode, "run", os.path.join(ROOT, "pipelines", "work-report.yaml"), corpus, "-o", out, "-q",
                        "--threads", str(args.threads), "--set", "export.html.enabled=false"], check=True)
        pages, right, totals, wrong = score(os.path.join(out, "lode.sqlite"), corpus, truth)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print("kept pages: %d, every count right: %d (%.1f%%)" % (pages, right, 100.0 * right / max(pages, 1)))
    for verdict, _ in VERDICTS:
        print("  %-12s found %d, true %d" % (verdict, totals[verdict][0], totals[verdict][1]))
    for path, transforms, counts in wrong[:args.list]:
        print("  wrong: %s (%s): %s" % (path, transforms, counts))
    if len(wrong) > args.list:
        print("  … %d more" % (len(wrong) - args.list))


if __name__ == "__main__":
    main()
