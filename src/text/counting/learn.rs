//! Learning a vocabulary: runs the workers over the chunks, merges their
//! vocabularies, prunes, and keeps the counted chunks for the matrix.

use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rayon::prelude::*;

use super::super::weighting::Weighting;
use super::assemble::assemble;
use super::chunks::chunk_ranges;
use super::doc_counts::DocCounts;
use super::merge::{merge_sorted, term_of};
use super::prune::{kept_terms, Pruning};
use super::worker::Worker;
use crate::error::{Error, Result};
use crate::sparse::CsrMatrix;
use crate::text::analyzer::{Scratch, TextAnalyzer, AHEAD};

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
    let n_docs = texts.len();
    let p = prune(n_docs)?;
    // With min_df above 1, terms below it are left out of the merge; with
    // several workers that needs their tables (`min_df_keep`).
    let prune_early = p.min_df > 1.0;
    let keep_tables = prune_early && n_workers > 1;
    rayon::scope(|s| {
        for _ in 0..n_workers {
            s.spawn(|_| {
                let mut worker = Worker::new();
                let mut scratch = Scratch::default();
                loop {
                    let i = next.fetch_add(1, AtomicOrdering::Relaxed);
                    let Some(r) = ranges.get(i) else { break };
                    // `chunk_ranges` covers exactly `0..texts.len()`.
                    debug_assert!(r.end <= texts.len());
                    let docs = texts.get(r.clone()).unwrap_or(&[]);
                    let counts = worker.count(analyzer, &mut scratch, docs, binary, want_total);
                    worker.chunks.push((i, counts));
                }
                if !worker.chunks.is_empty() {
                    worker.buf = DocCounts::default();
                    worker.entry = Vec::new();
                    // The lookup table is still needed to sum a term's
                    // document frequency over the workers (`min_df_keep`).
                    if !keep_tables {
                        worker.terms.compact();
                    }
                    lock(&done).push(worker);
                }
            });
        }
    });
    let mut workers = done.into_inner().unwrap_or_else(PoisonError::into_inner);
    // Fixed worker order (by first chunk), only to make memory use repeatable.
    workers.sort_unstable_by_key(|w| w.chunks.first().map_or(usize::MAX, |c| c.0));

    if workers.iter().all(|w| w.terms.len() == 0) {
        return Err(Error::EmptyVocabulary);
    }
    // Terms below min_df, most of them with n-grams, are left out of the
    // merge (`kept_terms` would drop them after it).
    let keep = prune_early.then(|| min_df_keep(&workers, p.min_df));
    workers.iter_mut().for_each(|w| w.terms.compact());
    let (unique, remaps) = merge_sorted(&workers, keep.as_deref());
    drop(keep);
    if unique.is_empty() {
        // Every term was below min_df (see `merge_sorted`).
        return Err(Error::NoTermsRemain);
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

    let kept = kept_terms(&gdf, &gtotal, &p)?;

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
            // `kept` holds positions in `unique` (see `kept_terms`).
            debug_assert!((g as usize) < unique.len());
            let wid = unique.get(g as usize).copied().unwrap_or(u64::MAX);
            term_of(&workers, wid).to_string()
        })
        .collect();
    drop(unique);
    // Turn each worker's id -> position map into id -> column, in place.
    let mut col_maps = remaps;
    col_maps.par_iter_mut().for_each(|m| {
        for g in m.iter_mut() {
            // A remap entry is a position in `unique`, which `col_of` covers.
            debug_assert!((*g as usize) < col_of.len());
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

/// Per worker, by id: whether the term is in at least `min_df` documents
/// of the corpus (its document frequency summed over the workers, looked
/// up in the other workers' tables only while its own count is too low).
fn min_df_keep(workers: &[Worker], min_df: f64) -> Vec<Vec<bool>> {
    workers
        .par_iter()
        .enumerate()
        .map(|(w, x)| {
            (0..x.terms.len())
                .map(|id| {
                    // The other tables are read at random: load ahead.
                    if let Some(h) = x.terms.stored_hash(id + AHEAD) {
                        workers.iter().for_each(|o| o.terms.prefetch(h));
                    }
                    let mut df = x.df.get(id).copied().unwrap_or(0);
                    let term = x.terms.term(id as u32);
                    let others = workers.iter().enumerate().filter(|&(v, _)| v != w);
                    for (_, other) in others {
                        if df as f64 >= min_df {
                            break;
                        }
                        if let Some(j) = other.terms.get(term) {
                            df += other.df.get(j as usize).copied().unwrap_or(0);
                        }
                    }
                    df as f64 >= min_df
                })
                .collect()
        })
        .collect()
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
