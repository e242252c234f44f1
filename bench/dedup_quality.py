#!/usr/bin/env python3
"""Quality of the dedup stages on a generated corpus with ground truth.

Generates a corpus with bench/gencorpus.py (transforms `copies` and `repeats`,
plus any others asked for), runs lode over it with

    read.files → dedup.repeats → dedup.exact → dedup.signature → dedup.near → export.csv

and scores the result against the truth and events files:

- near copies: pairwise precision and recall of the clusters (a kept page and the
  pages dropped as its copies) against pages with the same report_id and figures;
- revisions: each revised figure set's first page kept and linked (kind revision)
  to a page of its report with other figures; none dropped as a copy of other
  figures; disagreements rows against the figures the generator revised;
- repeats: repeat rows per page against the pastes the generator made.

    python3 bench/dedup_quality.py --size 200MB [--seed 42] [--threads 2] [--keep DIR]
    python3 bench/dedup_quality.py --pages 500 --transform spin --transform stuff [--clean]

LODE=path picks the lode binary (default build/bin/lode). Standard library only.
"""

import argparse
import collections
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PIPELINE = """name: dedup-quality
input:
  - use: read.files
    with: {paths: ["{input}"]}
stages:
{cleaners}  - use: dedup.repeats
  - use: dedup.exact
  - use: dedup.signature
  - use: dedup.near
output:
  - use: export.csv
    with: {dir: "{out}", tables: [documents, duplicates, disagreements]}
"""


def load_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def load_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def byte_offset(text, chars, encoding):
    return len(text[:chars].encode(encoding))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    amount = ap.add_mutually_exclusive_group(required=True)
    amount.add_argument("--size", help="corpus size for gencorpus.py, e.g. 200MB")
    amount.add_argument("--pages", help="base pages for gencorpus.py")
    ap.add_argument("--seed", default="42")
    ap.add_argument("--copies", default="0.3", help="share of base pages that get copies (default 0.3)")
    ap.add_argument("--repeats", default="0.1", help="share of page groups pasted again (default 0.1)")
    ap.add_argument("--transform", action="append", default=[], help="another gencorpus transform, after these")
    ap.add_argument("--threads", default="2")
    ap.add_argument("--clean", action="store_true",
                    help="run normalize.text, clean.lookalikes and clean.spam before the dedup stages")
    ap.add_argument("--keep", help="keep the corpus and the output in this folder")
    args = ap.parse_args()

    lode = os.environ.get("LODE", os.path.join(ROOT, "build", "bin", "lode"))
    work = args.keep or tempfile.mkdtemp(prefix="lode-dedup-quality.")
    os.makedirs(work, exist_ok=True)
    corpus, out = os.path.join(work, "corpus"), os.path.join(work, "out")
    truth_path, events_path = os.path.join(work, "truth.tsv"), os.path.join(work, "events.tsv")
    try:
        gen = [sys.executable, os.path.join(ROOT, "bench", "gencorpus.py"), "--out", corpus, "--seed", args.seed,
               "--truth", truth_path, "--events", events_path,
               "--transform", "copies=" + args.copies, "--transform", "repeats=" + args.repeats]
        gen += ["--size", args.size] if args.size else ["--pages", args.pages]
        for t in args.transform:
            gen += ["--transform", t]
        subprocess.run(gen, check=True)
        pipeline = os.path.join(work, "dedup-quality.yaml")
        with open(pipeline, "w", encoding="utf-8") as f:
            cleaners = "".join("  - use: %s\n" % s for s in ("normalize.text", "clean.lookalikes", "clean.spam"))
            f.write(PIPELINE.replace("{cleaners}", cleaners if args.clean else ""))
        t0 = time.perf_counter()
        env = dict(os.environ)
        env.setdefault("LODE_CONFIG_PATH", os.path.join(ROOT, "configs"))
        run = subprocess.run([lode, "run", pipeline, corpus, "-o", out, "--threads", args.threads],
                             capture_output=True, text=True, env=env)
        secs = time.perf_counter() - t0
        if run.returncode != 0:
            sys.exit("lode failed (%d):\n%s%s" % (run.returncode, run.stdout, run.stderr))
        print(run.stderr.strip())
        score(corpus, truth_path, events_path, out, secs)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def score(corpus, truth_path, events_path, out, secs):
    truth = load_tsv(truth_path)
    prefix = corpus.rstrip("/") + "/"
    rel = lambda doc_id: doc_id[len(prefix):] if doc_id.startswith(prefix) else doc_id
    pages = {r["path"]: r for r in truth}
    order = [r["path"] for r in truth]
    docs = {rel(r["doc_id"]): r for r in load_csv(os.path.join(out, "documents.csv"))}
    dups = collections.defaultdict(list)
    for r in load_csv(os.path.join(out, "duplicates.csv")):
        dups[rel(r["doc_id"])].append(r)
    disagreements = collections.defaultdict(list)
    for r in load_csv(os.path.join(out, "disagreements.csv")):
        disagreements[rel(r["doc_id"])].append(r)
    missing = [p for p in order if p not in docs]
    if missing:
        sys.exit("pages missing from documents.csv: %s" % missing[:5])
    total_bytes = sum(int(r["bytes"]) for r in truth)
    print("corpus: %d pages, %.1f MB; lode run: %.2f s (%.1f MB/s)" % (len(order), total_bytes / 1e6, secs,
                                                                    total_bytes / 1e6 / secs))

    # Near copies, pairwise, counted per truth group and per found cluster.
    cluster = {p: (p if docs[p]["status"] == "kept" else rel(docs[p]["duplicate_of"])) for p in order}
    key = {p: (pages[p]["report_id"], pages[p]["figures"]) for p in order}
    pairs = lambda counter: sum(n * (n - 1) // 2 for n in counter.values())
    actual = pairs(collections.Counter(key.values()))
    predicted = pairs(collections.Counter(cluster.values()))
    both = pairs(collections.Counter((key[p], cluster[p]) for p in order))
    print("near copies: %d true pairs, %d found, %d right: precision %.4f, recall %.4f" % (
        actual, predicted, both, both / predicted if predicted else 1, both / actual if actual else 1))
    groups = collections.defaultdict(list)
    for p in order:
        groups[key[p]].append(p)
    kept_per_group = collections.Counter(sum(docs[p]["status"] == "kept" for p in ps) for ps in groups.values())
    print("clusters: %d; kept per cluster: %s" % (len(groups), dict(sorted(kept_per_group.items()))))

    # Revisions.
    revisions = [(k, ps[0]) for k, ps in groups.items() if k[1] != "v0"]
    found = dropped = 0
    for (report, figures), p in revisions:
        if docs[p]["status"] != "kept":
            dropped += 1
            continue
        if any(d["kind"] == "revision" and pages[rel(d["of_doc_id"])]["report_id"] == report and
               pages[rel(d["of_doc_id"])]["figures"] != figures for d in dups[p]):
            found += 1
    merged = sum(1 for p in order if docs[p]["status"] == "duplicate" and key[cluster[p]] != key[p])
    print("revisions: %d, found %d (recall %.4f), dropped %d; pages dropped as copies of other figures: %d" % (
        len(revisions), found, found / len(revisions) if revisions else 1, dropped, merged))

    # Figures listed for revisions linked to their base, against the generator's events.
    revised = collections.defaultdict(set)
    pastes = collections.defaultdict(list)
    texts = {}

    def text_of(p):
        if p not in texts:
            with open(os.path.join(corpus, p), "rb") as f:
                texts[p] = f.read().decode(pages[p]["encoding"])
        return texts[p]

    events = load_tsv(events_path)
    for e in events:
        if e["kind"] == "repeat":
            pastes[e["path"]].append(int(e["char_offset"]))
    for e in events:
        # Figures in later pastes go with them (dedup.repeats removes them).
        at = int(e["char_offset"])
        if e["kind"] == "revision" and at < min(pastes.get(e["path"], [at + 1])):
            revised[e["path"]].add((byte_offset(text_of(e["path"]), at, pages[e["path"]]["encoding"]),
                                    e["from_text"]))
    right = listed = expected = 0
    for p, figs in revised.items():
        if docs[p]["status"] != "kept":
            continue
        base = [d for d in dups[p] if d["kind"] == "revision"]
        if not base or pages[rel(base[0]["of_doc_id"])]["figures"] != "v0":
            continue
        got = {(int(d["raw_begin"]), d["text"]) for d in disagreements[p]}
        right += len(got & figs)
        listed += len(got)
        expected += len(figs)
    print("disagreements (revisions linked to their base): %d revised figures, %d listed, %d right" % (
        expected, listed, right))

    # Repeats.
    want = sum(int(pages[p]["repeats"]) for p in order)
    got = sum(1 for p in order for d in dups[p] if d["kind"] == "repeat")
    exact = sum(1 for p in order if int(pages[p]["repeats"]) == sum(d["kind"] == "repeat" for d in dups[p]))
    print("repeats: %d pastes, %d removed; pages with the right count: %d of %d" % (want, got, exact, len(order)))


if __name__ == "__main__":
    main()
