//! Step 4: the parallel merge of the workers' vocabularies into one sorted
//! list of distinct terms, independent of which worker counted what.

use std::cmp::Ordering;

use rayon::prelude::*;

use super::worker::Worker;
use crate::text::intern::load_le;

/// The first 8 bytes of `s`, zero-padded, big-endian: comparing these
/// compares the strings, except that equal prefixes need a full comparison.
#[inline]
fn prefix_key(s: &str) -> u64 {
    let b = s.as_bytes();
    load_le(b.get(..8).unwrap_or(b)).swap_bytes()
}

/// Every distinct term of the workers in `str` (code point) order, with
/// each worker's map from its ids to positions in that order.
///
/// With `keep`, only the terms it marks (per worker, by id) are merged:
/// the others are left out before sorting and their map entry is
/// `u32::MAX` (`learn` marks the terms that `min_df` keeps; with n-grams
/// the others are most terms).
pub(super) fn merge_sorted(
    workers: &[Worker],
    keep: Option<&[Vec<bool>]>,
) -> (Vec<u64>, Vec<Vec<u32>>) {
    // Terms sort as `(first 8 bytes, big-endian and zero-padded, length
    // capped at 9)`: exact for terms of at most 8 bytes (and a shorter term
    // sharing the 8 bytes is a prefix of the longer, so it comes first);
    // only longer terms with the same 8 bytes need string comparisons.
    // Each worker's terms are sorted so, in parallel.
    let sorted: Vec<Vec<Sorted>> = workers
        .par_iter()
        .enumerate()
        .map(|(w, x)| {
            let keep = keep.and_then(|k| k.get(w));
            let mut v: Vec<Sorted> = (0..x.terms.len() as u32)
                .filter(|&id| keep.map_or(true, |k| k.get(id as usize) == Some(&true)))
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
    if let ([one], [w]) = (sorted.as_slice(), workers) {
        // One worker: its sorted terms are the vocabulary.
        let mut remap = vec![u32::MAX; w.terms.len()];
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
    let mut remaps: Vec<Vec<u32>> = workers
        .iter()
        .map(|x| vec![u32::MAX; x.terms.len()])
        .collect();
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
pub(super) fn term_of(workers: &[Worker], wid: u64) -> &str {
    workers
        .get((wid >> 32) as usize)
        .map_or("", |x| x.terms.term(wid as u32))
}
