//! Step 2: a chunk's per-document `(id, count)` lists, with one-byte counts
//! (the lists are alive while the matrix is built, so they set the peak memory).

use std::collections::HashMap;

use super::super::weighting::Weighting;
use crate::sparse::CsrMatrix;

/// Per-document `(id, count)` lists for one chunk, each document's ids in
/// order of first appearance (as scikit-learn counts them).
///
/// Counts are one byte: almost every count is small, and these lists are
/// alive while the matrix is built, so they set the peak memory. A count of
/// 255 or more is stored as [`BIG`] with the true count in `big`.
#[derive(Default)]
pub(crate) struct DocCounts {
    /// `row_ptr[d]..row_ptr[d + 1]` are document `d`'s entries.
    pub(super) row_ptr: Vec<usize>,
    pub(super) ids: Vec<u32>,
    pub(super) counts: Vec<u8>,
    /// Entry index -> count, for entries whose `counts` byte is [`BIG`].
    pub(super) big: HashMap<usize, u32>,
}

/// The `counts` byte meaning "look the count up in `big`".
const BIG: u8 = u8::MAX;

impl DocCounts {
    pub(super) fn new(n_docs: usize) -> Self {
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
    pub(super) fn clear(&mut self) {
        self.row_ptr.clear();
        self.row_ptr.push(0);
        self.ids.clear();
        self.counts.clear();
        self.big.clear();
    }

    /// Adds one to the count of entry `k`.
    #[inline]
    pub(super) fn increment(&mut self, k: usize) {
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
    pub(super) fn push_entry(&mut self, id: u32, n: u32) {
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
    pub(super) fn count(&self, k: usize) -> u32 {
        match self.counts.get(k).copied() {
            Some(BIG) => {
                // Every entry whose byte is BIG was given its `big` count.
                debug_assert!(self.big.contains_key(&k), "entry {k} lost its large count");
                self.big.get(&k).copied().unwrap_or(u32::from(BIG))
            }
            Some(c) => u32::from(c),
            None => 0,
        }
    }

    pub(super) fn end_doc(&mut self) {
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

    pub(super) fn n_docs(&self) -> usize {
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
pub(super) fn pack(col: u32, count: u32) -> u64 {
    (u64::from(col) << 32) | u64::from(count)
}

/// The inverse of [`pack`].
#[inline]
pub(super) fn unpack(p: u64) -> (u32, u32) {
    ((p >> 32) as u32, p as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
