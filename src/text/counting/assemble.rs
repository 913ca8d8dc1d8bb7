//! Step 7: CSR assembly. Row lengths first, then every chunk fills its own
//! disjoint slice of the matrix in parallel, with the final weights.

use rayon::prelude::*;

use super::super::weighting::Weighting;
use super::doc_counts::{pack, unpack, DocCounts};
use super::radix::{radix_chunk, FIELD};
use crate::sparse::CsrMatrix;

/// The column of entry id `id` through `map` (`u32::MAX` = dropped); without
/// a map, ids are columns.
#[inline]
pub(super) fn map_col(map: Option<&[u32]>, id: u32) -> u32 {
    match map {
        Some(m) => {
            // A worker's map has one entry per id it handed out.
            debug_assert!((id as usize) < m.len(), "id {id} outside its column map");
            m.get(id as usize).copied().unwrap_or(u32::MAX)
        }
        None => id,
    }
}

/// Entries per radix-sorted group of rows (a bound on its buffers, unless
/// a single row is longer).
const RADIX_GROUP: usize = 4096;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::params::Norm;

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
}
