//! Vector operations of the optimizers, parallel over fixed-size chunks
//! with partial results combined in chunk order, so that every result is
//! the same, bit for bit, whatever the number of threads.

use rayon::prelude::*;

/// Entries per parallel task in the fused vector passes (fixed, so results
/// do not depend on the thread count).
pub(crate) const VEC_CHUNK: usize = 4096;

/// Accumulates `x·y` over whole groups of 8 into 8 lanes; returns the dot
/// product of the leftover tail (fewer than 8 entries).
#[inline(always)]
fn lanes(acc: &mut [f64; 8], x: &[f64], y: &[f64]) -> f64 {
    let (cx, cy) = (x.chunks_exact(8), y.chunks_exact(8));
    let (rx, ry) = (cx.remainder(), cy.remainder());
    for (a, b) in cx.zip(cy) {
        for l in 0..8 {
            acc[l] += a[l] * b[l];
        }
    }
    let mut tail = 0.0;
    for (a, b) in rx.iter().zip(ry) {
        tail += a * b;
    }
    tail
}

#[inline(always)]
fn fold(a: &[f64; 8]) -> f64 {
    ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7]))
}

/// Dot product with 8 independent accumulators (so it vectorizes and is not
/// bound by the latency of one addition chain), combined in a fixed order.
#[inline(always)]
pub(crate) fn seq_dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let tail = lanes(&mut acc, a, b);
    fold(&acc) + tail
}

/// `(a·b, a·c)`: the two products of [`seq_dot`], computed block by block so
/// `a` is read from memory once.
#[inline(always)]
pub(crate) fn seq_dot2(a: &[f64], b: &[f64], c: &[f64]) -> (f64, f64) {
    const BLOCK: usize = 512;
    let (mut acc, mut acc2) = ([0.0f64; 8], [0.0f64; 8]);
    let (mut tail, mut tail2) = (0.0, 0.0);
    for ((xa, xb), xc) in a.chunks(BLOCK).zip(b.chunks(BLOCK)).zip(c.chunks(BLOCK)) {
        tail += lanes(&mut acc, xa, xb);
        tail2 += lanes(&mut acc2, xa, xc);
    }
    (fold(&acc) + tail, fold(&acc2) + tail2)
}

/// Deterministic parallel dot product (fixed chunks, partial sums in order).
pub(crate) fn dot(a: &[f64], b: &[f64], partials: &mut Vec<f64>) -> f64 {
    if a.len() <= VEC_CHUNK {
        return seq_dot(a, b);
    }
    a.par_chunks(VEC_CHUNK)
        .zip(b.par_chunks(VEC_CHUNK))
        .map(|(x, y)| seq_dot(x, y))
        .collect_into_vec(partials);
    partials.iter().sum()
}

/// `out = a + alpha·b`.
pub(crate) fn add_scaled(a: &[f64], alpha: f64, b: &[f64], out: &mut [f64]) {
    out.par_chunks_mut(VEC_CHUNK)
        .zip(a.par_chunks(VEC_CHUNK).zip(b.par_chunks(VEC_CHUNK)))
        .for_each(|(o, (ac, bc))| {
            for ((ov, av), bv) in o.iter_mut().zip(ac).zip(bc) {
                *ov = av + alpha * bv;
            }
        });
}

/// `Σ |a_i|` (the 1-norm), deterministic like [`dot`].
pub(crate) fn abs_sum(a: &[f64], partials: &mut Vec<f64>) -> f64 {
    a.par_chunks(VEC_CHUNK)
        .map(|x| x.iter().map(|v| v.abs()).sum::<f64>())
        .collect_into_vec(partials);
    partials.iter().sum()
}

/// `y += alpha·x`.
pub(crate) fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    y.par_chunks_mut(VEC_CHUNK)
        .zip(x.par_chunks(VEC_CHUNK))
        .for_each(|(yc, xc)| {
            for (yv, xv) in yc.iter_mut().zip(xc) {
                *yv += alpha * xv;
            }
        });
}

/// `y += alpha·x`; returns `(y·y, Σ|y|)` of the result, from the same pass.
pub(crate) fn axpy_norms(
    alpha: f64,
    x: &[f64],
    y: &mut [f64],
    partials: &mut Vec<(f64, f64)>,
) -> (f64, f64) {
    y.par_chunks_mut(VEC_CHUNK)
        .zip(x.par_chunks(VEC_CHUNK))
        .map(|(yc, xc)| {
            for (yv, xv) in yc.iter_mut().zip(xc) {
                *yv += alpha * xv;
            }
            (seq_dot(yc, yc), yc.iter().map(|v| v.abs()).sum::<f64>())
        })
        .collect_into_vec(partials);
    partials
        .iter()
        .fold((0.0, 0.0), |(a, b), (c, d)| (a + c, b + d))
}

/// One conjugate-gradient update in one pass: `x += alpha·p`, then
/// `p = beta·p − r`.
pub(crate) fn cg_update(alpha: f64, beta: f64, p: &mut [f64], r: &[f64], x: &mut [f64]) {
    p.par_chunks_mut(VEC_CHUNK)
        .zip(r.par_chunks(VEC_CHUNK))
        .zip(x.par_chunks_mut(VEC_CHUNK))
        .for_each(|((pc, rc), xc)| {
            for ((pv, rv), xv) in pc.iter_mut().zip(rc).zip(xc.iter_mut()) {
                *xv += alpha * *pv;
                *pv = beta * *pv - rv;
            }
        });
}
