#!/usr/bin/env python3
"""Write a large JSONL corpus for the out-of-core figures (never committed).

  python3 scripts/make_big_corpus.py OUT.jsonl [GB]      (default 5 GB)

Lines of ../shared/data/bbc.jsonl and fortunes.jsonl (labels prefixed by
the corpus name, so the two label sets stay apart), repeated in turn until
the file reaches the size; each copy carries its copy number as an extra
word so repeated documents hash to different held-out slices.
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ.get("PROBA_DATA_DIR", os.path.join(ROOT, "..", "shared", "data"))


def main():
    out = sys.argv[1]
    target = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
    target = int(target * 1e9)
    rows = []
    for name in ("bbc", "fortunes"):
        with open(os.path.join(DATA, name + ".jsonl"), encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                rows.append((name + ":" + str(r["label"]), r["text"]))
    written, copy = 0, 0
    with open(out, "w", encoding="utf-8") as f:
        while written < target:
            for label, text in rows:
                line = json.dumps({"label": label, "text": "%s copy%d" % (text, copy)}) + "\n"
                f.write(line)
                written += len(line.encode("utf-8"))
                if written >= target:
                    break
            copy += 1
    print("wrote %s: %.2f GB, %d copies" % (out, written / 1e9, copy))


if __name__ == "__main__":
    main()
