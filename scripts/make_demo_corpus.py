#!/usr/bin/env python3
"""Derives data/fortunes-demo.jsonl, the bundled demo corpus, from the
BSD-licensed fortune files (../shared/data/fortunes.jsonl, taken from Debian's
`fortunes` package). The modification: only 10 categories are kept, and at
most 300 fortunes of each, evenly spaced through the category in file order.
Each line keeps its original `id`, `label` and `text`.

Run from the crate root: python3 scripts/make_demo_corpus.py [SOURCE.jsonl]
"""
import json
import os
import sys

CATEGORIES = [
    "computers", "linux", "science",          # tech
    "politics", "law", "work", "education",   # society
    "men-women", "love", "food",              # life
]
CAP = 300

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared", "data", "fortunes.jsonl")
by_label = {c: [] for c in CATEGORIES}
with open(src, encoding="utf-8") as f:
    for line in f:
        row = json.loads(line)
        if row["label"] in by_label:
            by_label[row["label"]].append(row)

out_path = os.path.join(root, "data", "fortunes-demo.jsonl")
n = 0
with open(out_path, "w", encoding="utf-8") as out:
    for c in CATEGORIES:
        rows = by_label[c]
        take = min(CAP, len(rows))
        for i in range(take):
            row = rows[i * len(rows) // take]
            out.write(json.dumps({"id": row["id"], "label": row["label"], "text": row["text"]}, ensure_ascii=False) + "\n")
            n += 1
print(f"wrote {n} fortunes to {out_path} ({os.path.getsize(out_path)} bytes)")
