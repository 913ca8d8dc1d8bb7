#!/usr/bin/env python3
"""A multilingual benchmark corpus from Debian's fortune packages.

Accents, Cyrillic and other non-ASCII text exercise the analyzers' paths that
the English corpora never reach. This writes one JSONL line per fortune,
`{"label": <language>, "text": <fortune>}`, from the packages

    fortunes-bg fortunes-br fortunes-cs fortunes-de fortunes-es
    fortunes-it fortunes-pl fortunes-ru

(install them with `apt-get install -y fortunes-bg fortunes-br ...`; the
script says which are missing). The corpus is not committed: it is written to
`target/corpora/multilingual.jsonl` by default, where `benches/tfidf.rs` and
the comparison scripts look for it (or set `PROBA_MULTILINGUAL=path`), e.g.

    python3 scripts/make_multilingual_corpus.py
    python3 scripts/compare_tfidf.py target/corpora/multilingual.jsonl

Fortune files are plain text with `%` lines between entries; `.dat` files
are their indexes (skipped), and a `NAME.u8` file is the UTF-8 form of
`NAME` (used instead of it when not empty). A file that is not UTF-8 is skipped and named.
Files reached twice (symlinks) are read once. The output order is fixed
(languages, then files, sorted), so the corpus is the same on every machine
with the same package versions.
"""
import argparse
import json
import os
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
FORTUNES = "/usr/share/games/fortunes"
# language label -> (package, paths under FORTUNES)
SOURCES = {
    "bg": ("fortunes-bg", ["bg"]),
    "pt": ("fortunes-br", ["brasil"]),
    "cs": ("fortunes-cs", ["cs"]),
    "de": ("fortunes-de", ["de"]),
    "es": ("fortunes-es", ["es"]),
    "it": ("fortunes-it", ["it"]),
    "pl": ("fortunes-pl", ["pl"]),
    "ru": ("fortunes-ru", ["ru"]),
}


def files_of(path):
    """The fortune files at `path` (a file or a folder), UTF-8 forms preferred."""
    if os.path.isfile(path):
        return [path]
    if not os.path.isdir(path):
        return []
    # fortunes-pl ships empty `.u8` placeholders: only a non-empty one counts.
    names = [n for n in sorted(os.listdir(path)) if not n.endswith(".dat")]
    u8 = {n for n in names if n.endswith(".u8") and os.path.getsize(os.path.join(path, n)) > 0}
    out = []
    for n in names:
        if n in u8 or (not n.endswith(".u8") and n + ".u8" not in u8):
            out.append(os.path.join(path, n))
    return [f for f in out if os.path.isfile(f)]


def fortunes(text):
    entry = []
    for line in text.split("\n"):
        if line.strip() == "%":
            if entry:
                yield "\n".join(entry).strip()
            entry = []
        else:
            entry.append(line)
    if entry:
        yield "\n".join(entry).strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "target", "corpora", "multilingual.jsonl"))
    args = ap.parse_args()
    seen, counts, missing, skipped = set(), {}, [], []
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        for lang, (package, paths) in SOURCES.items():
            found = [f for p in paths for f in files_of(os.path.join(FORTUNES, p))]
            if not found:
                missing.append(package)
                continue
            for f in found:
                real = os.path.realpath(f)
                if real in seen:
                    continue
                seen.add(real)
                try:
                    text = open(real, "rb").read().decode("utf-8")
                except UnicodeDecodeError:
                    skipped.append(f)
                    continue
                for t in fortunes(text):
                    if t:
                        out.write(json.dumps({"label": lang, "text": t}, ensure_ascii=False) + "\n")
                        counts[lang] = counts.get(lang, 0) + 1
    if not counts:
        os.remove(tmp)
        sys.exit("no fortune package found; install: apt-get install -y " + " ".join(p for p, _ in SOURCES.values()))
    os.replace(tmp, args.out)
    size = os.path.getsize(args.out)
    print(f"wrote {args.out}: {sum(counts.values())} fortunes, {size / 1e6:.2f} MB; per language {counts}")
    if missing:
        print("missing packages (install for the full corpus): " + " ".join(missing))
    if skipped:
        print(f"skipped {len(skipped)} files that are not UTF-8: " + " ".join(skipped))


if __name__ == "__main__":
    main()
