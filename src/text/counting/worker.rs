//! Step 3: per-worker interning. Each worker counts the chunks it takes into
//! its own term ids; nothing is shared until the merge.

use super::doc_counts::DocCounts;
use crate::text::analyzer::{Scratch, TextAnalyzer};
use crate::text::intern::{Interner, Key};

/// Document tags live in 24 bits of a table slot.
const TAG_END: u32 = 1 << 24;

/// One worker's counting state, kept across all the chunks it takes: its
/// own term ids (first-seen order within the worker), their document
/// frequencies and total counts, and the chunks it counted.
///
/// Ids are worker-local, so they depend on which worker took which chunk;
/// nothing else does. The merge sorts every term by its text, so columns,
/// frequencies and the matrix are the same whatever the thread count or
/// timing. With one worker (one thread) the merge is only the alphabetical
/// sort that the columns need anyway.
pub(super) struct Worker {
    /// Each term's slot tag is the last document that saw it (as in
    /// [`Tally`](super::fixed_vocab)), on the cache line its lookup loads anyway.
    pub(super) terms: Interner<true>,
    /// Per term: its entry in the document of its tag (read only for a
    /// term repeated in a document, whose entry was just written).
    pub(super) entry: Vec<u32>,
    /// Tag of the next document (in `1..TAG_END`).
    tag: u32,
    pub(super) df: Vec<u64>,
    /// Total counts per term; only kept (non-empty) for `max_features`.
    pub(super) total: Vec<u64>,
    /// `(chunk index, counts)` for every chunk this worker took.
    pub(super) chunks: Vec<(usize, DocCounts)>,
    /// Counting buffers reused from chunk to chunk; each chunk keeps an
    /// exact-size copy, so the heap holds no growth leftovers.
    pub(super) buf: DocCounts,
}

impl Worker {
    pub(super) fn new() -> Self {
        Self {
            terms: Interner::with_capacity(4096),
            entry: Vec::new(),
            tag: 1,
            df: Vec::new(),
            total: Vec::new(),
            chunks: Vec::new(),
            buf: DocCounts::new(0),
        }
    }

    /// Counts one chunk of documents into a new [`DocCounts`].
    pub(super) fn count<S: AsRef<str>>(
        &mut self,
        analyzer: &TextAnalyzer,
        scratch: &mut Scratch,
        docs: &[S],
        binary: bool,
        want_total: bool,
    ) -> DocCounts {
        let mut out = std::mem::take(&mut self.buf);
        out.clear();
        for doc in docs {
            if self.tag == TAG_END {
                // Tags are about to wrap: forget every tag seen so far.
                self.terms.reset_tags();
                self.tag = 1;
            }
            let (first, tag) = (out.ids.len(), self.tag);
            self.tag += 1;
            // A vocabulary of 10^5+ terms (n-grams, many languages)
            // outgrows the cache: then the document's keys are listed
            // first, and the slot of a later key is loaded while one is
            // counted. A small table is cached: keys are counted as found.
            let large = self.terms.beyond_cache();
            let (terms, entry) = (&mut self.terms, &mut self.entry);
            let mut add = |k: &Key<'_>, ahead: Option<u64>| {
                if let Some(h) = ahead {
                    terms.prefetch(h);
                }
                // As in `Tally::add`, with the tag in the term's slot.
                let (id, new, aux) = terms.intern_tagged(k);
                if new {
                    entry.push(0);
                }
                let (Some(aux), Some(e)) = (aux, entry.get_mut(id as usize)) else {
                    return;
                };
                if *aux >> 8 == tag {
                    out.increment(first + *e as usize);
                } else {
                    *aux = (tag << 8) | (*aux & 0xff);
                    *e = (out.ids.len() - first) as u32;
                    out.ids.push(id);
                    out.counts.push(1);
                }
            };
            if large {
                analyzer.analyze_keys_ahead(doc.as_ref(), scratch, |k, h| add(k, Some(h)));
            } else {
                analyzer.analyze_keys(doc.as_ref(), scratch, |k| add(k, None));
            }
            out.end_doc();
        }
        let n = self.terms.len();
        self.df.resize(n, 0);
        for &id in &out.ids {
            if let Some(d) = self.df.get_mut(id as usize) {
                *d += 1;
            }
        }
        if want_total {
            self.total.resize(n, 0);
            for (k, &id) in out.ids.iter().enumerate() {
                if let Some(t) = self.total.get_mut(id as usize) {
                    *t += if binary { 1 } else { u64::from(out.count(k)) };
                }
            }
        }
        // Vec::clone allocates exactly the length.
        let exact = DocCounts {
            row_ptr: out.row_ptr.clone(),
            ids: out.ids.clone(),
            counts: out.counts.clone(),
            big: std::mem::take(&mut out.big),
        };
        self.buf = out;
        exact
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counting stays right when document tags wrap (every 2^24 - 1
    /// documents a worker forgets all tags).
    #[test]
    fn counts_survive_tag_wrapping() {
        use crate::text::analyzer::Analyzer;
        use crate::text::tokenize::{Tokenizer, DEFAULT_TOKEN_PATTERN};
        let a = TextAnalyzer {
            lowercase: true,
            strip_accents: None,
            kind: Analyzer::Word,
            tokenizer: Some(Tokenizer::new(DEFAULT_TOKEN_PATTERN).unwrap()),
            stop_words: None,
            ngram: (1, 1),
        };
        let mut w = Worker::new();
        w.tag = TAG_END - 2;
        let docs = ["aa bb AA", "bb bb cc", "aa", "cc aa"];
        let c = w.count(&a, &mut Scratch::default(), &docs, false, true);
        let rows: Vec<Vec<(&str, u32)>> = c
            .row_ptr
            .windows(2)
            .map(|r| {
                (r[0]..r[1])
                    .map(|e| (w.terms.term(c.ids[e]), c.count(e)))
                    .collect()
            })
            .collect();
        assert_eq!(
            rows,
            [
                vec![("aa", 2), ("bb", 1)],
                vec![("bb", 2), ("cc", 1)],
                vec![("aa", 1)],
                vec![("cc", 1), ("aa", 1)],
            ]
        );
        assert_eq!(
            (w.df.clone(), w.total.clone()),
            (vec![3, 2, 2], vec![4, 3, 2])
        );
        assert!(w.tag < 8);
    }
}
