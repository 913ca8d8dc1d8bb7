//! The counting engine shared by both vectorizers: parallel term counting,
//! a merge of the per-thread vocabularies by sorting, and direct CSR
//! assembly with the final weights.
//!
//! Documents are cut into chunks by size (never by thread count). Each
//! worker counts the chunks it takes into its own term map; the maps are
//! merged by sorting every term by its text, so columns (alphabetical),
//! frequencies (integer sums) and the matrix do not depend on which worker
//! counted what. The output is therefore the same on 1 thread or 64.
//!
//! ```
//! use proba::text::CountVectorizer;
//! let docs = ["bb aa bb", "cc bb", ""];
//! let (cv, x) = CountVectorizer::params().fit_transform(&docs)?;
//! assert_eq!(cv.feature_names(), ["aa", "bb", "cc"]);
//! assert_eq!(x.to_dense().row(0).to_vec(), vec![1.0, 2.0, 0.0]);
//! assert_eq!(x.row(2).unwrap().nnz(), 0);
//! # Ok::<(), proba::Error>(())
//! ```

use std::cmp::Ordering;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rayon::prelude::*;

use super::analyzer::{Scratch, TextAnalyzer};
use super::intern::{load_le, Interner};
use super::params::Norm;
use crate::error::{Error, Result};
use crate::sparse::CsrMatrix;

/// Target text bytes per chunk: large enough to amortise the per-chunk term
/// map, small enough to balance a few threads on a few MB.
const CHUNK_BYTES: usize = 128 * 1024;
/// At most this many documents per chunk.
const CHUNK_DOCS: usize = 2048;

/// Splits `texts` into consecutive ranges that depend only on the texts.
pub(crate) fn chunk_ranges<S: AsRef<str>>(texts: &[S]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = 0usize;
    for (i, t) in texts.iter().enumerate() {
        bytes += t.as_ref().len() + 16;
        if bytes >= CHUNK_BYTES || i + 1 - start >= CHUNK_DOCS {
            out.push(start..i + 1);
            start = i + 1;
            bytes = 0;
        }
    }
    if start < texts.len() {
        out.push(start..texts.len());
    }
    out
}

/// Per-document `(id, count)` lists for one chunk, each document's ids in
/// order of first appearance (as scikit-learn counts them).
///
/// Counts are one byte: almost every count is small, and these lists are
/// alive while the matrix is built, so they set the peak memory. A count of
/// 255 or more is stored as [`BIG`] with the true count in `big`.
#[derive(Default)]
pub(crate) struct DocCounts {
    /// `row_ptr[d]..row_ptr[d + 1]` are document `d`'s entries.
    row_ptr: Vec<usize>,
    ids: Vec<u32>,
    counts: Vec<u8>,
    /// Entry index -> count, for entries whose `counts` byte is [`BIG`].
    big: HashMap<usize, u32>,
}

/// The `counts` byte meaning "look the count up in `big`".
const BIG: u8 = u8::MAX;

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

impl DocCounts {
    fn new(n_docs: usize) -> Self {
        let mut row_ptr = Vec::with_capacity(n_docs + 1);
        row_ptr.push(0);
        Self {
            row_ptr,
            ids: Vec::new(),
            counts: Vec::new(),
            big: HashMap::new(),
        }
    }

    /// Empties the lists, keeping their capacity.
    fn clear(&mut self) {
        self.row_ptr.clear();
        self.row_ptr.push(0);
        self.ids.clear();
        self.counts.clear();
        self.big.clear();
    }

    /// Adds one to the count of entry `k`.
    #[inline]
    fn increment(&mut self, k: usize) {
        match self.counts.get_mut(k) {
            Some(c) if *c < BIG - 1 => *c += 1,
            Some(c) if *c == BIG - 1 => {
                *c = BIG;
                self.big.insert(k, u32::from(BIG));
            }
            Some(_) => {
                if let Some(n) = self.big.get_mut(&k) {
                    *n = n.saturating_add(1);
                }
            }
            None => {}
        }
    }

    /// Appends an entry with count `n` (>= 1).
    fn push_entry(&mut self, id: u32, n: u32) {
        let k = self.ids.len();
        self.ids.push(id);
        match u8::try_from(n) {
            Ok(c) if c < BIG => self.counts.push(c),
            _ => {
                self.counts.push(BIG);
                self.big.insert(k, n);
            }
        }
    }

    /// The count of entry `k`.
    #[inline]
    fn count(&self, k: usize) -> u32 {
        match self.counts.get(k).copied() {
            Some(BIG) => self.big.get(&k).copied().unwrap_or(u32::from(BIG)),
            Some(c) => u32::from(c),
            None => 0,
        }
    }

    fn end_doc(&mut self) {
        self.row_ptr.push(self.ids.len());
    }

    /// A single counted document as a 1-row matrix (no thread pool).
    pub(crate) fn into_row(self, n_cols: usize, w: &Weighting<'_>) -> CsrMatrix {
        let mut row: Vec<u64> = self
            .ids
            .iter()
            .enumerate()
            .map(|(k, &i)| pack(i, self.count(k)))
            .collect();
        row.sort_unstable();
        let mut idx = vec![0usize; row.len()];
        let mut data = vec![0f64; row.len()];
        w.fill_row(row.iter().map(|&p| unpack(p)), &mut idx, &mut data);
        CsrMatrix::from_parts_unchecked(1, n_cols, vec![0, row.len()], idx, data)
    }

    fn n_docs(&self) -> usize {
        self.row_ptr.len() - 1
    }

    /// Adds this chunk's document frequencies into `df` (ids must be < `df.len()`).
    pub(crate) fn add_df(&self, df: &mut [u64]) {
        for &id in &self.ids {
            if let Some(d) = df.get_mut(id as usize) {
                *d += 1;
            }
        }
    }
}

/// `(column, count)` packed so that sorting the `u64` sorts by column.
#[inline]
fn pack(col: u32, count: u32) -> u64 {
    (u64::from(col) << 32) | u64::from(count)
}

/// The inverse of [`pack`].
#[inline]
fn unpack(p: u64) -> (u32, u32) {
    ((p >> 32) as u32, p as u32)
}

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
struct Worker {
    /// Each term's slot tag is the last document that saw it (as in
    /// [`Tally`]), on the cache line its lookup loads anyway.
    terms: Interner<true>,
    /// Per term: its entry in the document of its tag (read only for a
    /// term repeated in a document, whose entry was just written).
    entry: Vec<u32>,
    /// Tag of the next document (in `1..TAG_END`).
    tag: u32,
    df: Vec<u64>,
    /// Total counts per term; only kept (non-empty) for `max_features`.
    total: Vec<u64>,
    /// `(chunk index, counts)` for every chunk this worker took.
    chunks: Vec<(usize, DocCounts)>,
    /// Counting buffers reused from chunk to chunk; each chunk keeps an
    /// exact-size copy, so the heap holds no growth leftovers.
    buf: DocCounts,
}

impl Worker {
    fn new() -> Self {
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
    fn count<S: AsRef<str>>(
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
            let (terms, entry) = (&mut self.terms, &mut self.entry);
            analyzer.analyze_keys(doc.as_ref(), scratch, |k| {
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
            });
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

/// Counts `texts` against a fixed vocabulary (unknown terms are ignored); ids are columns.
pub(crate) fn count_fixed<S: AsRef<str> + Sync>(
    analyzer: &TextAnalyzer,
    vocab: &Interner,
    texts: &[S],
) -> Vec<DocCounts> {
    let ranges = chunk_ranges(texts);
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
                    analyzer.analyze_keys(doc.as_ref(), scratch, |k| {
                        if let Some(id) = vocab.get_key(k) {
                            tally.add(id, tag, start, &mut out);
                        }
                    });
                    out.end_doc();
                }
                out
            },
        )
        .collect()
}

/// The first 8 bytes of `s`, zero-padded, big-endian: comparing these
/// compares the strings, except that equal prefixes need a full comparison.
#[inline]
fn prefix_key(s: &str) -> u64 {
    let b = s.as_bytes();
    load_le(b.get(..8).unwrap_or(b)).swap_bytes()
}

/// The result of learning a vocabulary: sorted terms, their document
/// frequencies, and the counted chunks with the map from worker ids to columns.
pub(crate) struct Learned {
    pub(crate) terms: Vec<String>,
    pub(crate) df: Vec<u64>,
    pub(crate) n_docs: usize,
    /// In document order: the worker whose ids a chunk uses, and its counts.
    chunks: Vec<(usize, DocCounts)>,
    /// Per worker: its id -> column, `u32::MAX` for pruned terms.
    col_maps: Vec<Vec<u32>>,
}

/// Locks a mutex, ignoring poisoning (the data stays consistent: a panic
/// cannot happen between a lock and the matching update).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Vocabulary-learning options resolved for one corpus.
pub(crate) struct Pruning {
    pub(crate) min_df: f64,
    pub(crate) max_df: f64,
    pub(crate) max_features: Option<usize>,
}

/// Every distinct term of the workers in `str` (code point) order, with
/// each worker's map from its ids to positions in that order.
fn merge_sorted(workers: &[Worker]) -> (Vec<u64>, Vec<Vec<u32>>) {
    // Terms sort as `(first 8 bytes, big-endian and zero-padded, length
    // capped at 9)`: exact for terms of at most 8 bytes (and a shorter term
    // sharing the 8 bytes is a prefix of the longer, so it comes first);
    // only longer terms with the same 8 bytes need string comparisons.
    // Each worker's terms are sorted so, in parallel.
    let sorted: Vec<Vec<Sorted>> = workers
        .par_iter()
        .map(|x| {
            let mut v: Vec<Sorted> = (0..x.terms.len() as u32)
                .map(|id| {
                    let t = x.terms.term(id);
                    (prefix_key(t), t.len().min(9) as u32, id)
                })
                .collect();
            v.sort_unstable();
            let mut i = 0;
            while i < v.len() {
                let mut j = i + 1;
                while j < v.len() && v[j].0 == v[i].0 && v[j].1 == v[i].1 {
                    j += 1;
                }
                if j - i > 1 {
                    v[i..j].sort_unstable_by(|a, b| x.terms.term(a.2).cmp(x.terms.term(b.2)));
                }
                i = j;
            }
            v
        })
        .collect();
    if let [one] = sorted.as_slice() {
        // One worker: its sorted terms are the vocabulary.
        let mut remap = vec![0; one.len()];
        for (pos, e) in one.iter().enumerate() {
            if let Some(r) = remap.get_mut(e.2 as usize) {
                *r = pos as u32;
            }
        }
        return (one.iter().map(|e| u64::from(e.2)).collect(), vec![remap]);
    }
    // Merge the sorted lists (usually two); equal terms, only ever from
    // different workers, get one position. The key space is cut into parts
    // at terms of the longest list, and the parts are merged in parallel.
    let term = |w: usize, id: u32| workers.get(w).map_or("", |x| x.terms.term(id));
    let cmp = |(wa, a): (usize, Sorted), (wb, b): (usize, Sorted)| {
        (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| {
            if a.1 > 8 {
                term(wa, a.2).cmp(term(wb, b.2))
            } else {
                Ordering::Equal
            }
        })
    };
    let pivot = (0..sorted.len())
        .max_by_key(|&w| sorted[w].len())
        .unwrap_or(0);
    let plist = sorted.get(pivot).map_or(&[][..], Vec::as_slice);
    let splitters: Vec<(usize, Sorted)> = (1..MERGE_PARTS)
        .filter_map(|i| {
            plist
                .get(plist.len() * i / MERGE_PARTS)
                .map(|&e| (pivot, e))
        })
        .collect();
    // bounds[w]: the part boundaries in list w. Entries equal to a splitter
    // go right of it in every list, so equal terms meet in one part.
    let bounds: Vec<Vec<usize>> = sorted
        .iter()
        .enumerate()
        .map(|(w, list)| {
            let mut b = vec![0];
            b.extend(
                splitters
                    .iter()
                    .map(|&sp| list.partition_point(|&e| cmp((w, e), sp) == Ordering::Less)),
            );
            b.push(list.len());
            b
        })
        .collect();
    let parts: Vec<Merged> = (0..=splitters.len())
        .into_par_iter()
        .map(|part| {
            let lists: Vec<&[Sorted]> = sorted
                .iter()
                .zip(&bounds)
                .map(|(l, b)| l.get(b[part]..b[part + 1]).unwrap_or(&[]))
                .collect();
            merge_lists(&lists, &cmp)
        })
        .collect();
    let mut remaps: Vec<Vec<u32>> = workers.iter().map(|x| vec![0; x.terms.len()]).collect();
    let mut unique: Vec<u64> = Vec::with_capacity(parts.iter().map(|p| p.0.len()).sum());
    for (part_unique, assign) in parts {
        let offset = unique.len() as u32;
        unique.extend(part_unique);
        for (w, id, pos) in assign {
            if let Some(r) = remaps.get_mut(w).and_then(|m| m.get_mut(id as usize)) {
                *r = offset + pos;
            }
        }
    }
    (unique, remaps)
}

/// Parts of the key space that [`merge_sorted`] merges in parallel (a fixed
/// number: the result does not depend on it, only the speed).
const MERGE_PARTS: usize = 16;

/// The distinct terms of some sorted lists, in order, as `worker << 32 | id`,
/// and every entry's `(worker, id, position among them)`.
type Merged = (Vec<u64>, Vec<(usize, u32, u32)>);

/// Merges sorted lists of distinct terms (list `w` from worker `w`).
fn merge_lists(
    lists: &[&[Sorted]],
    cmp: &impl Fn((usize, Sorted), (usize, Sorted)) -> Ordering,
) -> Merged {
    let total: usize = lists.iter().map(|l| l.len()).sum();
    let mut unique: Vec<u64> = Vec::with_capacity(total);
    let mut assign = Vec::with_capacity(total);
    let mut heads = vec![0usize; lists.len()];
    let mut last: Option<(usize, Sorted)> = None;
    loop {
        let mut best: Option<(usize, Sorted)> = None;
        for (w, (list, &h)) in lists.iter().zip(&heads).enumerate() {
            let Some(&e) = list.get(h) else { continue };
            if best.map_or(true, |b| cmp((w, e), b) == Ordering::Less) {
                best = Some((w, e));
            }
        }
        let Some((w, e)) = best else { break };
        let same = last.is_some_and(|l| l.0 != w && cmp(l, (w, e)) == Ordering::Equal);
        if !same {
            unique.push(((w as u64) << 32) | u64::from(e.2));
            last = Some((w, e));
        }
        assign.push((w, e.2, (unique.len() - 1) as u32));
        if let Some(h) = heads.get_mut(w) {
            *h += 1;
        }
    }
    (unique, assign)
}

/// A term in sort order: (prefix, length capped at 9, id).
type Sorted = (u64, u32, u32);

/// The term that a merged id `worker << 32 | id` names.
fn term_of(workers: &[Worker], wid: u64) -> &str {
    workers
        .get((wid >> 32) as usize)
        .map_or("", |x| x.terms.term(wid as u32))
}

/// Counts the corpus, merges the worker vocabularies, prunes by document
/// frequency and `max_features`, and sorts the kept terms.
/// `prune` receives `n_docs` and returns the resolved limits.
pub(crate) fn learn<S: AsRef<str> + Sync>(
    analyzer: &TextAnalyzer,
    texts: &[S],
    prune: impl FnOnce(usize) -> Result<Pruning>,
    binary: bool,
    want_total: bool,
) -> Result<Learned> {
    // Each worker takes chunks in order from a shared counter and counts
    // them into its own vocabulary; nothing waits or merges until the end.
    let ranges = chunk_ranges(texts);
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Worker>> = Mutex::new(Vec::new());
    let n_workers = rayon::current_num_threads().clamp(1, ranges.len().max(1));
    rayon::scope(|s| {
        for _ in 0..n_workers {
            s.spawn(|_| {
                let mut worker = Worker::new();
                let mut scratch = Scratch::default();
                loop {
                    let i = next.fetch_add(1, AtomicOrdering::Relaxed);
                    let Some(r) = ranges.get(i) else { break };
                    let docs = texts.get(r.clone()).unwrap_or(&[]);
                    let counts = worker.count(analyzer, &mut scratch, docs, binary, want_total);
                    worker.chunks.push((i, counts));
                }
                if !worker.chunks.is_empty() {
                    worker.buf = DocCounts::default();
                    worker.entry = Vec::new();
                    worker.terms.compact();
                    lock(&done).push(worker);
                }
            });
        }
    });
    let mut workers = done.into_inner().unwrap_or_else(PoisonError::into_inner);
    // Fixed worker order (by first chunk), only to make memory use repeatable.
    workers.sort_unstable_by_key(|w| w.chunks.first().map_or(usize::MAX, |c| c.0));

    let (unique, remaps) = merge_sorted(&workers);
    if unique.is_empty() {
        return Err(Error::EmptyVocabulary);
    }
    if unique.len() >= u32::MAX as usize {
        return Err(Error::invalid_param(
            "texts",
            "corpus",
            "more than 2^32 - 2 distinct terms",
        ));
    }
    // Document frequencies (and totals) per unique term, in sorted order.
    let mut gdf = vec![0u64; unique.len()];
    let mut gtotal = vec![0u64; if want_total { unique.len() } else { 0 }];
    for (w, remap) in workers.iter_mut().zip(&remaps) {
        for (&g, &d) in remap.iter().zip(&w.df) {
            if let Some(gd) = gdf.get_mut(g as usize) {
                *gd += d;
            }
        }
        for (&g, &t) in remap.iter().zip(&w.total) {
            if let Some(gt) = gtotal.get_mut(g as usize) {
                *gt += t;
            }
        }
        w.df = Vec::new();
        w.total = Vec::new();
    }

    let n_docs = texts.len();
    let p = prune(n_docs)?;
    let mut kept: Vec<u32> = (0..unique.len() as u32)
        .filter(|&g| {
            let df = gdf[g as usize] as f64;
            df >= p.min_df && df <= p.max_df
        })
        .collect();
    if let Some(limit) = p.max_features {
        if kept.len() > limit {
            // Highest total count first, then alphabetical (= by position).
            let total = |g: u32| gtotal.get(g as usize).copied().unwrap_or(0);
            kept.par_sort_unstable_by_key(|&g| (u64::MAX - total(g), g));
            kept.truncate(limit);
            kept.par_sort_unstable();
        }
    }
    if kept.is_empty() {
        return Err(Error::NoTermsRemain);
    }

    let mut col_of = vec![u32::MAX; unique.len()];
    let mut df = Vec::with_capacity(kept.len());
    for (col, &g) in kept.iter().enumerate() {
        col_of[g as usize] = col as u32;
        df.push(gdf[g as usize]);
    }
    drop(gdf);
    drop(gtotal);
    let terms: Vec<String> = kept
        .par_iter()
        .map(|&g| {
            let wid = unique.get(g as usize).copied().unwrap_or(u64::MAX);
            term_of(&workers, wid).to_string()
        })
        .collect();
    drop(unique);
    // Turn each worker's id -> position map into id -> column, in place.
    let mut col_maps = remaps;
    col_maps.par_iter_mut().for_each(|m| {
        for g in m.iter_mut() {
            *g = col_of.get(*g as usize).copied().unwrap_or(u32::MAX);
        }
    });
    let mut chunks: Vec<(usize, usize, DocCounts)> = Vec::with_capacity(ranges.len());
    for (w, worker) in workers.into_iter().enumerate() {
        chunks.extend(worker.chunks.into_iter().map(|(i, c)| (i, w, c)));
    }
    chunks.sort_unstable_by_key(|c| c.0);
    let chunks = chunks.into_iter().map(|(_, w, c)| (w, c)).collect();
    Ok(Learned {
        terms,
        df,
        n_docs,
        chunks,
        col_maps,
    })
}

impl Learned {
    /// Consumes the counts and builds the weighted matrix.
    pub(crate) fn into_matrix(self, n_cols: usize, w: &Weighting<'_>) -> CsrMatrix {
        let (maps, chunks): (Vec<usize>, Vec<DocCounts>) = self.chunks.into_iter().unzip();
        let col_maps: Vec<&[u32]> = maps
            .iter()
            .map(|&w| self.col_maps.get(w).map_or(&[][..], Vec::as_slice))
            .collect();
        let may_drop = self.col_maps.iter().any(|m| m.contains(&u32::MAX));
        assemble(chunks, Some(&col_maps), may_drop, n_cols, w)
    }
}

/// How counts become matrix values.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Weighting<'a> {
    pub(crate) binary: bool,
    pub(crate) sublinear_tf: bool,
    pub(crate) idf: Option<&'a [f64]>,
    pub(crate) norm: Norm,
}

impl Weighting<'_> {
    /// Writes one row from `(column, count)` pairs (columns sorted, unique);
    /// values weighted then normalised.
    #[inline]
    fn fill_row(
        &self,
        entries: impl Iterator<Item = (u32, u32)>,
        idx: &mut [usize],
        data: &mut [f64],
    ) {
        for ((c, n), (i, v)) in entries.zip(idx.iter_mut().zip(data.iter_mut())) {
            *i = c as usize;
            let mut tf = if self.binary { 1.0 } else { f64::from(n) };
            if self.sublinear_tf {
                tf = tf.ln() + 1.0;
            }
            if let Some(idf) = self.idf {
                tf *= idf.get(c as usize).copied().unwrap_or(0.0);
            }
            *v = tf;
        }
        match self.norm {
            Norm::None => {}
            Norm::L1 => {
                let s: f64 = data.iter().fold(0.0, |s, v| s + v.abs());
                if s != 0.0 {
                    data.iter_mut().for_each(|v| *v /= s);
                }
            }
            Norm::L2 => {
                let s: f64 = data.iter().fold(0.0, |s, v| s + v * v);
                if s != 0.0 {
                    let s = s.sqrt();
                    data.iter_mut().for_each(|v| *v /= s);
                }
            }
        }
    }
}

/// The column of entry id `id` through `map` (`u32::MAX` = dropped); without
/// a map, ids are columns.
#[inline]
fn map_col(map: Option<&[u32]>, id: u32) -> u32 {
    match map {
        Some(m) => m.get(id as usize).copied().unwrap_or(u32::MAX),
        None => id,
    }
}

/// Entries per radix-sorted group of rows (a bound on its buffers, unless
/// a single row is longer).
const RADIX_GROUP: usize = 4096;

/// A 24-bit field of a [`radix_chunk`] key.
const FIELD: u64 = (1 << 24) - 1;

/// Sorts the kept entries of rows `rows` of a chunk into CSR order (by row,
/// then column) with
/// a stable least-significant-digit radix sort: one pass per byte of the
/// column, then one by row (whose output offsets are the rows' kept
/// lengths `lens`). Much cheaper than sorting each row by comparisons.
///
/// Returns keys `row << 48 | column << 24 | count`, or `None` when a row
/// number, column or count does not fit its field (the caller then sorts
/// row by row).
fn radix_chunk<'a>(
    ch: &DocCounts,
    rows: Range<usize>,
    map: Option<&[u32]>,
    n_cols: usize,
    lens: &[usize],
    a: &'a mut Vec<u64>,
    b: &'a mut Vec<u64>,
) -> Option<&'a [u64]> {
    if n_cols > 1 << 24 || lens.len() > 1 << 16 || lens.len() != rows.len() {
        return None;
    }
    let col_bytes = match n_cols {
        0..=0x100 => 1,
        0x101..=0x1_0000 => 2,
        _ => 3,
    };
    let mut hist = [[0usize; 256]; 3];
    a.clear();
    let ptr = ch.row_ptr.get(rows.start..=rows.end).unwrap_or(&[]);
    for (row, r) in ptr.windows(2).enumerate() {
        let ids = ch.ids.get(r[0]..r[1]).unwrap_or(&[]);
        for (e, &id) in (r[0]..r[1]).zip(ids) {
            let c = map_col(map, id);
            if c == u32::MAX {
                continue;
            }
            let n = u64::from(ch.count(e));
            let c = u64::from(c);
            if n > FIELD {
                return None;
            }
            for (p, h) in hist.iter_mut().enumerate() {
                if let Some(x) = h.get_mut(((c >> (8 * p)) & 0xff) as usize) {
                    *x += 1;
                }
            }
            a.push(((row as u64) << 48) | (c << 24) | n);
        }
    }
    b.clear();
    b.resize(a.len(), 0);
    // Stable scatter of `a` into `b` by the digit `digit(key)`, whose
    // buckets start at `pos`.
    fn scatter(a: &[u64], b: &mut [u64], pos: &mut [usize], digit: impl Fn(u64) -> usize) {
        for &k in a {
            if let Some(q) = pos.get_mut(digit(k)) {
                if let Some(slot) = b.get_mut(*q) {
                    *slot = k;
                }
                *q += 1;
            }
        }
    }
    let starts = |counts: &mut dyn Iterator<Item = usize>| -> Vec<usize> {
        let mut sum = 0;
        counts
            .map(|n| {
                let s = sum;
                sum += n;
                s
            })
            .collect()
    };
    for (p, h) in hist.iter().enumerate().take(col_bytes) {
        let mut pos = starts(&mut h.iter().copied());
        let shift = 24 + 8 * p;
        scatter(a, b, &mut pos, |k| ((k >> shift) & 0xff) as usize);
        std::mem::swap(a, b);
    }
    let mut pos = starts(&mut lens.iter().copied());
    scatter(a, b, &mut pos, |k| (k >> 48) as usize);
    Some(b.as_slice())
}

/// Builds the CSR matrix from counted chunks. With `col_maps`, entry ids are
/// worker ids mapped through the chunk's map (`u32::MAX` = dropped);
/// without, they are already columns.
///
/// `may_drop` says whether any map has `u32::MAX` entries; if not, every
/// entry is kept and row lengths need no counting pass.
pub(crate) fn assemble(
    chunks: Vec<DocCounts>,
    col_maps: Option<&[&[u32]]>,
    may_drop: bool,
    n_cols: usize,
    w: &Weighting<'_>,
) -> CsrMatrix {
    let map_of = |k: usize| col_maps.and_then(|m| m.get(k)).copied();
    let col = map_col;
    // Pass 1: kept entries per document.
    let lens: Vec<Vec<usize>> = chunks
        .par_iter()
        .enumerate()
        .map(|(k, ch)| {
            let map = map_of(k);
            ch.row_ptr
                .windows(2)
                .map(|r| {
                    let ids = ch.ids.get(r[0]..r[1]).unwrap_or(&[]);
                    if may_drop {
                        ids.iter().filter(|&&id| col(map, id) != u32::MAX).count()
                    } else {
                        ids.len()
                    }
                })
                .collect()
        })
        .collect();
    let n_rows: usize = chunks.iter().map(DocCounts::n_docs).sum();
    let mut indptr = Vec::with_capacity(n_rows + 1);
    indptr.push(0usize);
    let mut nnz = 0usize;
    for l in lens.iter().flatten() {
        nnz += l;
        indptr.push(nnz);
    }
    // Zero-filled by all threads: a sequential fill of the two largest
    // arrays (and their page faults) showed in the 2-thread profile.
    let mut indices: Vec<usize> = Vec::with_capacity(nnz);
    indices.par_extend(rayon::iter::repeat_n(0, nnz));
    let mut data: Vec<f64> = Vec::with_capacity(nnz);
    data.par_extend(rayon::iter::repeat_n(0.0, nnz));
    // Pass 2: each chunk fills its own disjoint slice.
    let mut jobs = Vec::with_capacity(chunks.len());
    let (mut irest, mut drest) = (indices.as_mut_slice(), data.as_mut_slice());
    for (k, (ch, l)) in chunks.into_iter().zip(&lens).enumerate() {
        let size: usize = l.iter().sum();
        let (i, ir) = std::mem::take(&mut irest).split_at_mut(size);
        let (d, dr) = std::mem::take(&mut drest).split_at_mut(size);
        irest = ir;
        drest = dr;
        jobs.push((k, ch, l, i, d));
    }
    jobs.into_par_iter().for_each_init(
        || (Vec::new(), Vec::new()),
        |(ka, kb), (k, ch, l, mut ind, mut dat)| {
            let map = map_of(k);
            let n = l.len();
            let mut r0 = 0;
            while r0 < n {
                // A group of whole rows with about RADIX_GROUP entries, so
                // that the radix buffers stay small.
                let base = ch.row_ptr.get(r0).copied().unwrap_or(0);
                let mut r1 = r0 + 1;
                while r1 < n
                    && ch
                        .row_ptr
                        .get(r1 + 1)
                        .copied()
                        .unwrap_or(0)
                        .saturating_sub(base)
                        <= RADIX_GROUP
                {
                    r1 += 1;
                }
                let lens = l.get(r0..r1).unwrap_or(&[]);
                if let Some(mut keys) = radix_chunk(&ch, r0..r1, map, n_cols, lens, ka, kb) {
                    for &len in lens {
                        let (row, kr) = keys.split_at(len.min(keys.len()));
                        let (i, ir) = std::mem::take(&mut ind).split_at_mut(len);
                        let (d, dr) = std::mem::take(&mut dat).split_at_mut(len);
                        (keys, ind, dat) = (kr, ir, dr);
                        let field = |k: u64, shift: u32| ((k >> shift) & FIELD) as u32;
                        w.fill_row(row.iter().map(|&k| (field(k, 24), field(k, 0))), i, d);
                    }
                } else {
                    for (r, &len) in (r0..r1).zip(lens) {
                        let (i, ir) = std::mem::take(&mut ind).split_at_mut(len);
                        let (d, dr) = std::mem::take(&mut dat).split_at_mut(len);
                        (ind, dat) = (ir, dr);
                        let start = ch.row_ptr.get(r).copied().unwrap_or(0);
                        let end = ch.row_ptr.get(r + 1).copied().unwrap_or(start);
                        let mut row: Vec<u64> = (start..end)
                            .filter_map(|e| {
                                let c = map_col(map, ch.ids.get(e).copied()?);
                                (c != u32::MAX).then(|| pack(c, ch.count(e)))
                            })
                            .collect();
                        row.sort_unstable();
                        w.fill_row(row.iter().map(|&p| unpack(p)), i, d);
                    }
                }
                r0 = r1;
            }
        },
    );
    CsrMatrix::from_parts_unchecked(n_rows, n_cols, indptr, indices, data)
}

/// Document frequencies of the columns of counted chunks.
pub(crate) fn doc_freqs(chunks: &[DocCounts], n_cols: usize) -> Vec<u64> {
    let mut df = vec![0u64; n_cols];
    for ch in chunks {
        ch.add_df(&mut df);
    }
    df
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_everything_in_order() {
        let texts: Vec<String> = (0..5000).map(|i| "x".repeat(i % 300)).collect();
        let r = chunk_ranges(&texts);
        assert!(r.len() > 2);
        assert_eq!(r[0].start, 0);
        assert_eq!(r.last().unwrap().end, texts.len());
        assert!(r
            .windows(2)
            .all(|w| w[0].end == w[1].start && w[0].start < w[0].end));
        assert!(chunk_ranges::<&str>(&[]).is_empty());
    }

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

    #[test]
    fn large_counts_survive_the_one_byte_encoding() {
        let mut d = DocCounts::new(1);
        d.push_entry(7, 1000);
        d.push_entry(8, 254);
        d.ids.push(9);
        d.counts.push(1);
        for _ in 0..300 {
            d.increment(1);
            d.increment(2);
        }
        assert_eq!((d.count(0), d.count(1), d.count(2)), (1000, 554, 301));
    }

    /// Rows come out sorted by column with their counts, whether the chunk
    /// goes through the radix sort or (with a count too large for its key)
    /// the row-by-row sort.
    #[test]
    fn assembled_rows_are_sorted_on_both_paths() {
        let rows: [&[(u32, u32)]; 3] =
            [&[(5, 2), (1, 1), (3, 300)], &[], &[(2, 7), (0, 1), (4, 1)]];
        let w = Weighting {
            binary: false,
            sublinear_tf: false,
            idf: None,
            norm: Norm::None,
        };
        for huge in [false, true] {
            let mut d = DocCounts::new(3);
            for (k, row) in rows.iter().enumerate() {
                for &(c, n) in row.iter() {
                    let n = if huge && k == 2 && c == 2 { 1 << 25 } else { n };
                    d.push_entry(c, n);
                }
                d.end_doc();
            }
            let (mut a, mut b) = (Vec::new(), Vec::new());
            assert_eq!(
                radix_chunk(&d, 0..3, None, 6, &[3, 0, 3], &mut a, &mut b).is_some(),
                !huge
            );
            let m = assemble(vec![d], None, false, 6, &w);
            let big = if huge { f64::from(1 << 25) } else { 7.0 };
            assert_eq!(m.indptr(), [0, 3, 3, 6]);
            assert_eq!(m.indices(), [1, 3, 5, 0, 2, 4]);
            assert_eq!(m.data(), [1.0, 300.0, 2.0, 1.0, big, 1.0]);
        }
        // Dropped entries (map to u32::MAX) are left out.
        let mut d = DocCounts::new(1);
        d.push_entry(0, 1);
        d.push_entry(1, 2);
        d.end_doc();
        let map: &[u32] = &[u32::MAX, 0];
        let m = assemble(vec![d], Some(&[map]), true, 1, &w);
        assert_eq!((m.indices(), m.data()), (&[0usize][..], &[2.0][..]));
    }

    #[test]
    fn rows_are_normalised_and_empty_rows_untouched() {
        let w = Weighting {
            binary: false,
            sublinear_tf: false,
            idf: None,
            norm: Norm::L2,
        };
        let (mut i, mut d) = (vec![0; 2], vec![0.0; 2]);
        w.fill_row([(1, 3), (4, 4)].into_iter(), &mut i, &mut d);
        assert_eq!(i, [1, 4]);
        assert!((d[0] - 0.6).abs() < 1e-15 && (d[1] - 0.8).abs() < 1e-15);
        let w1 = Weighting {
            norm: Norm::L1,
            sublinear_tf: true,
            ..w
        };
        w1.fill_row([(0, 1), (2, 1)].into_iter(), &mut i, &mut d);
        assert_eq!(d, [0.5, 0.5]);
        w.fill_row(std::iter::empty(), &mut [], &mut []);
    }
}
