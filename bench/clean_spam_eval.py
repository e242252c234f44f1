#!/usr/bin/env python3
"""Precision and recall of clean.spam's removals against gencorpus.py's events.

    python3 bench/clean_spam_eval.py --corpus DIR --truth TRUTH.tsv --events EVENTS.tsv \
        --repairs OUT/repairs.jsonl [--show 5]

A removal is right when the events file has the same page, kind (keyword or
chrome), place and text: a keyword row must name the phrase (from_text) and
the word it stands for (to_text). lode gives places as raw byte offsets,
the events as character offsets of the page text; pages are decoded with
the encoding the truth file gives to compare them. A keyword row at a true
place with the wrong word counts as a wrong word (neither right nor missed
is hidden: it is a false positive and its event a false negative).
Python 3 standard library only.
"""

import argparse
import collections
import json
import os
import sys


def load_tsv(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            yield dict(zip(header, line.rstrip("\n").split("\t")))


class Pages:
    """Byte offset → character offset, per page, decoded once."""

    def __init__(self, corpus, encodings):
        self.corpus = corpus
        self.encodings = encodings
        self.cache = {}

    def char_offset(self, rel, byte_offset):
        if rel not in self.cache:
            with open(os.path.join(self.corpus, rel), "rb") as f:
                self.cache = {rel: f.read()}  # one page at a time: rows come page by page
        data = self.cache[rel]
        return len(data[:byte_offset].decode(self.encodings.get(rel, "utf-8"), errors="replace"))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--truth", required=True)
    ap.add_argument("--events", required=True)
    ap.add_argument("--repairs", required=True, help="repairs.jsonl written by export.jsonl")
    ap.add_argument("--show", type=int, default=5, help="examples of each kind of error to print")
    args = ap.parse_args(argv)

    encodings = {r["path"]: r["encoding"] for r in load_tsv(args.truth)}
    truth = collections.Counter()
    for e in load_tsv(args.events):
        if e["kind"] in ("keyword", "chrome"):
            truth[(e["path"], e["kind"], int(e["char_offset"]), e["from_text"], e["to_text"])] += 1

    pages = Pages(args.corpus, encodings)
    corpus = os.path.abspath(args.corpus)
    found = collections.Counter()
    with open(args.repairs, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["kind"] not in ("keyword", "chrome"):
                continue
            rel = os.path.relpath(os.path.abspath(r["doc_id"]), corpus)
            found[(rel, r["kind"], pages.char_offset(rel, r["raw_begin"]), r["from_text"], r["to_text"])] += 1

    truth_at = {k[:4]: k for k in truth}
    print("%-8s %8s %8s %8s %8s %10s %8s" % ("kind", "truth", "found", "right", "wrong", "precision", "recall"))
    errors = {}
    for kind in ("keyword", "chrome"):
        t = sum(n for k, n in truth.items() if k[1] == kind)
        fd = sum(n for k, n in found.items() if k[1] == kind)
        right = sum(min(n, truth[k]) for k, n in found.items() if k[1] == kind)
        wrong_word = [k for k in found if k[1] == kind and k not in truth and k[:4] in truth_at]
        fps = [k for k in found if k[1] == kind and k not in truth and k[:4] not in truth_at]
        fns = [k for k in truth if k[1] == kind and k not in found and
               not any(w[:4] == k[:4] for w in wrong_word)]
        errors[kind] = (wrong_word, fps, fns)
        print("%-8s %8d %8d %8d %8d %10s %8s" % (
            kind, t, fd, right, len(wrong_word),
            "%.4f" % (right / fd) if fd else "-", "%.4f" % (right / t) if t else "-"))
    for kind, (wrong_word, fps, fns) in errors.items():
        for label, rows in (("wrong word", wrong_word), ("removed, not in truth", fps), ("missed", fns)):
            if rows and args.show:
                print("\n%s %s (%d), e.g.:" % (kind, label, len(rows)))
                for k in rows[:args.show]:
                    extra = " (truth: %s)" % truth_at[k[:4]][4] if label == "wrong word" else ""
                    print("  %s @%d %r -> %r%s" % (k[0], k[2], k[3], k[4], extra))
    return 0


if __name__ == "__main__":
    sys.exit(main())
