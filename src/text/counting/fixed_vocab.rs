//! Counting against a fixed vocabulary (`transform`, and `fit` with a given
//! vocabulary): ids are columns, so there is no merge.

use rayon::prelude::*;

use super::chunks::chunk_ranges;
use super::doc_counts::DocCounts;
use crate::text::analyzer::{Scratch, TextAnalyzer};
use crate::text::intern::{Interner, Key};

/// Per-id bookkeeping that counts a document in O(1) per token: for each
/// id, the tag of the last document that saw it and that document's entry.
/// One `(u32, u32)` per id, so a lookup touches one cache line.
#[derive(Default)]
struct Tally {
    seen: Vec<(u32, u32)>,
}

impl Tally {
    fn with_ids(n: usize) -> Self {
        Self {
            seen: vec![(0, 0); n],
        }
    }

    /// Counts one occurrence of `id` in the document tagged `tag` (> 0).
    /// Entries of one document stay below 2^32 (a chunk holds at most a few
    /// hundred KB of text, or a single document).
    #[inline]
    fn add(&mut self, id: u32, tag: u32, first_entry: usize, out: &mut DocCounts) {
        let Some((last, slot)) = self.seen.get_mut(id as usize) else {
            return;
        };
        if *last == tag {
            out.increment(first_entry + *slot as usize);
        } else {
            *last = tag;
            *slot = (out.ids.len() - first_entry) as u32;
            out.ids.push(id);
            out.counts.push(1);
        }
    }
}

/// Counts `texts` against a fixed vocabulary (unknown terms are ignored); ids are columns.
pub(crate) fn count_fixed<S: AsRef<str> + Sync>(
    analyzer: &TextAnalyzer,
    vocab: &Interner,
    texts: &[S],
) -> Vec<DocCounts> {
    let ranges = chunk_ranges(texts);
    let large = vocab.beyond_cache();
    ranges
        .into_par_iter()
        .map_init(
            || (Tally::with_ids(vocab.len()), Scratch::default()),
            |(tally, scratch), r| {
                let first = r.start;
                let docs = &texts[r];
                let mut out = DocCounts::new(docs.len());
                for (d, doc) in docs.iter().enumerate() {
                    // Tags are global document numbers + 1, so a worker's
                    // tally can be reused across chunks without clearing.
                    // (Wrapping only matters past 4e9 documents.)
                    let tag = (first + d + 1) as u32;
                    let start = out.ids.len();
                    let mut add = |k: &Key<'_>| {
                        if let Some(id) = vocab.get_key(k) {
                            tally.add(id, tag, start, &mut out);
                        }
                    };
                    // A vocabulary beyond the cache: prefetch slots ahead
                    // (as when counting a fit, `worker`).
                    if large {
                        analyzer.analyze_keys_ahead(doc.as_ref(), scratch, |k, h| {
                            vocab.prefetch(h);
                            add(k)
                        });
                    } else {
                        analyzer.analyze_keys(doc.as_ref(), scratch, add);
                    }
                    out.end_doc();
                }
                out
            },
        )
        .collect()
}

/// Counts one document against a fixed vocabulary; no threads involved.
pub(crate) fn count_one(analyzer: &TextAnalyzer, vocab: &Interner, doc: &str) -> DocCounts {
    let mut ids = Vec::new();
    analyzer.analyze_keys(doc, &mut Scratch::default(), |k| {
        if let Some(id) = vocab.get_key(k) {
            ids.push(id);
        }
    });
    ids.sort_unstable();
    let mut out = DocCounts::new(1);
    let mut k = 0;
    while let Some(&id) = ids.get(k) {
        let run = ids[k..].iter().take_while(|&&x| x == id).count();
        out.push_entry(id, run as u32);
        k += run;
    }
    out.end_doc();
    out
}
