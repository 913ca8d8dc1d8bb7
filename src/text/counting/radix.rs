//! Step 6: the radix sort that puts a group of rows' kept entries in CSR
//! order (by row, then column).

use std::ops::Range;

use super::assemble::map_col;
use super::doc_counts::DocCounts;

/// A 24-bit field of a [`radix_chunk`] key.
pub(super) const FIELD: u64 = (1 << 24) - 1;

/// Sorts the kept entries of rows `rows` of a chunk into CSR order (by row,
/// then column) with
/// a stable least-significant-digit radix sort: one pass per byte of the
/// column, then one by row (whose output offsets are the rows' kept
/// lengths `lens`). Much cheaper than sorting each row by comparisons.
///
/// Returns keys `row << 48 | column << 24 | count`, or `None` when a row
/// number, column or count does not fit its field (the caller then sorts
/// row by row).
pub(super) fn radix_chunk<'a>(
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
