#!/usr/bin/env python3
"""Precision and recall of clean.lookalikes' repairs on a spun corpus.

Compares the `lookalike` rows of a repairs table (CSV, as export.csv writes it)
with the swaps that gencorpus.py's `spin` transform recorded (--events). A
repair is right when a swap was made at its raw_begin and its to_text is the
character the swap replaced. The corpus is one made with `--transform spin`
alone (UTF-8 text pages; offsets are characters of the page). Standard
library only.

  python3 bench/lookalikes_eval.py CORPUS_DIR EVENTS_TSV REPAIRS_CSV
"""

import collections
import csv
import os
import sys


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    corpus, events_path, repairs_path = argv[1:]

    # Swaps by (page, byte offset): events count characters of the page text.
    truth = {}
    pages = {}
    with open(events_path, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["kind"] != "lookalike":
                continue
            path = row["path"]
            if path not in pages:
                with open(os.path.join(corpus, path), "rb") as page:
                    pages[path] = page.read().decode("utf-8")
            at = len(pages[path][: int(row["char_offset"])].encode("utf-8"))
            truth[(path, at)] = (row["from_text"], row["to_text"])

    found = {}
    prefix = os.path.join(corpus, "")
    with open(repairs_path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if row["kind"] != "lookalike":
                continue
            path = row["doc_id"][len(prefix):] if row["doc_id"].startswith(prefix) else row["doc_id"]
            found[(path, int(row["raw_begin"]))] = (row["from_text"], row["to_text"])

    right = sum(1 for k, v in found.items() if k in truth and truth[k] == v)
    precision = right / len(found) if found else 1.0
    recall = right / len(truth) if truth else 1.0
    print("swaps made: %d, repairs: %d, right: %d" % (len(truth), len(found), right))
    print("precision: %.4f  recall: %.4f" % (precision, recall))

    missed = collections.Counter(v[0] for k, v in truth.items() if found.get(k) != v)
    wrong = collections.Counter(v[0] + "→" + v[1] for k, v in found.items() if truth.get(k) != v)
    made = collections.Counter(v[0] for v in truth.values())
    if missed:
        print("missed, by look-alike (missed/made): " +
              ", ".join("%s %d/%d" % (c, n, made[c]) for c, n in missed.most_common()))
    if wrong:
        print("wrong repairs: " + ", ".join("%s %d" % (c, n) for c, n in wrong.most_common(20)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
