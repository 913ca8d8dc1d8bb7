//! Fuzz targets for the core types. Commands: `fuzz/README.md`.

use arbitrary::{Arbitrary, Unstructured};
use proba::prelude::*;

#[derive(Arbitrary, Debug)]
struct Parts {
    n_rows: u8,
    n_cols: u8,
    indptr: Vec<u8>,
    indices: Vec<u16>,
    data: Vec<f64>,
}

/// `CsrMatrix::new` on arbitrary parts either errors or yields a matrix whose
/// every accessor is consistent; `select_rows` and `to_dense` agree.
pub fn csr_from_parts(u: &mut Unstructured) -> arbitrary::Result<()> {
    let p = Parts::arbitrary(u)?;
    let mut indptr: Vec<usize> = p.indptr.iter().map(|&v| v as usize).collect();
    let mut indices: Vec<usize> = p.indices.iter().map(|&v| v as usize).collect();
    let mut data = p.data.clone();
    if !super::gen::rare(u, 3)? {
        // Mostly near-valid parts (raw parts are almost never valid):
        // row counts from `indptr`, sorted distinct columns per row,
        // then at most one deliberate defect.
        let n_cols = usize::from(p.n_cols);
        indptr = vec![0];
        indices.clear();
        for r in 0..usize::from(p.n_rows) {
            let want = p
                .indptr
                .get(r)
                .map_or(0, |&c| usize::from(c) % (n_cols + 1));
            let start = p.indices.get(r).map_or(0, |&c| usize::from(c));
            let mut cols: Vec<usize> = (0..want).map(|k| (start + k * 7) % n_cols.max(1)).collect();
            cols.sort_unstable();
            cols.dedup();
            indices.extend(cols);
            indptr.push(indices.len());
        }
        data.resize(indices.len(), 1.5);
        match u.int_in_range(0..=7u8)? {
            0 if !indices.is_empty() => indices[0] = n_cols,
            1 if indices.len() > 1 => indices.swap(0, 1),
            2 => {
                indptr.pop();
            }
            _ => {}
        }
    }
    if let Ok(m) = CsrMatrix::new(p.n_rows as usize, p.n_cols as usize, indptr, indices, data) {
        super::deep();
        assert_eq!(m.indptr().len(), m.n_rows() + 1);
        assert_eq!(m.rows().map(|r| r.nnz()).sum::<usize>(), m.nnz());
        let dense = m.to_dense();
        let back = CsrMatrix::from_dense(dense.view());
        assert!(back.nnz() <= m.nnz());
        let all: Vec<usize> = (0..m.n_rows()).rev().collect();
        let rev = m.select_rows(&all).expect("in-range rows");
        assert_eq!(rev.nnz(), m.nnz());
        assert!(m.row(m.n_rows()).is_none());
        let json = serde_json::to_string(&m).expect("serializable");
        if m.data().iter().all(|v| v.is_finite()) {
            let again: CsrMatrix = serde_json::from_str(&json).expect("round trip");
            assert_eq!(again, m);
        }
    }
    Ok(())
}

/// Deserializing arbitrary JSON-ish bytes as a `CsrMatrix` never panics.
pub fn csr_deserialize(u: &mut Unstructured) -> arbitrary::Result<()> {
    let n = u.len();
    let bytes: &[u8] = u.bytes(n)?;
    if serde_json::from_slice::<CsrMatrix>(bytes).is_ok() {
        super::deep();
    }
    Ok(())
}
