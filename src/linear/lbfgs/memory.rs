//! The limited memory of L-BFGS in compact form, and its two fused parallel
//! passes: storing a new pair, and the search direction.

use rayon::prelude::*;

use crate::linear::simd::avx2_variant;
use crate::linear::vector::{seq_dot, seq_dot2, VEC_CHUNK};

/// The limited memory in compact form (Byrd, Nocedal & Schnabel 1994):
/// `H = γI + [S γY] M [S γY]ᵀ` with `γ = sᵀy/yᵀy` of the newest pair,
/// `M` built from `R` (the upper triangle of `SᵀY`), `D = diag(SᵀY)` and
/// `YᵀY`. Mathematically the two-loop recursion; computed with two fused
/// passes over the stored vectors per iteration instead of `4m` separate
/// ones, which is what bounds the speed when `n_features × n_classes` is
/// large.
///
/// The pairs are stored chunk-interleaved: for each chunk of `chunk`
/// entries, the `s` then `y` entries of every slot, so that a pass streams
/// through one contiguous buffer instead of `2m` separate vectors.
pub(super) struct Memory {
    /// `n_chunks × m × 2 × chunk` values (the last chunk padded).
    pub(super) data: Vec<f64>,
    /// Entries per chunk.
    pub(super) chunk: usize,
    /// Slot of the oldest pair, and the number of pairs.
    pub(super) head: usize,
    pub(super) len: usize,
    /// `r[i][j] = s_i·y_j` for `i <= j` (chronological indices).
    pub(super) r: Vec<Vec<f64>>,
    /// `yy[i][j] = y_i·y_j`.
    pub(super) yy: Vec<Vec<f64>>,
    pub(super) m: usize,
    /// `yᵀy / sᵀy` of the newest pair (L-BFGS-B's theta), 1 when empty.
    pub(super) theta: f64,
    /// `s_i·g` and `y_i·g` for the current gradient (chronological).
    pub(super) a: Vec<f64>,
    pub(super) b: Vec<f64>,
    /// Slots in chronological order.
    pub(super) order: Vec<usize>,
    /// Chunk partial sums of the fused pass.
    pub(super) partials: Vec<f64>,
}

impl Memory {
    pub(super) fn new(m: usize, n: usize) -> Self {
        let chunk = VEC_CHUNK.min(n.max(1));
        Memory {
            data: Vec::new(),
            chunk,
            head: 0,
            len: 0,
            r: vec![vec![0.0; m]; m],
            yy: vec![vec![0.0; m]; m],
            m,
            theta: 1.0,
            a: Vec::with_capacity(m),
            b: Vec::with_capacity(m),
            order: Vec::with_capacity(m),
            partials: Vec::new(),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    pub(super) fn clear(&mut self) {
        self.head = 0;
        self.len = 0;
        self.theta = 1.0;
    }

    /// Values per chunk block (all slots).
    pub(super) fn block(&self) -> usize {
        self.m * 2 * self.chunk
    }

    /// One pass over all vectors: optionally stores the new pair
    /// `s = stp·d`, `y = g − g_old` (dropping the oldest pair when full) and
    /// its products with the stored `y`s, then `s_i·g`, `y_i·g` for all
    /// pairs. `new_pair` is `Some((stp, dr))` with `dr = sᵀy` as L-BFGS-B
    /// computes it.
    pub(super) fn update(
        &mut self,
        new_pair: Option<(f64, f64)>,
        d: &[f64],
        g: &[f64],
        g_old: &[f64],
    ) {
        let n = g.len();
        let n_chunks = n.div_ceil(self.chunk);
        if self.data.is_empty() && n > 0 {
            self.data = vec![0.0; n_chunks * self.block()];
        }
        let mut new_slot = None;
        if new_pair.is_some() {
            if self.len == self.m {
                new_slot = Some(self.head);
                self.head = (self.head + 1) % self.m;
                // Shift the small matrices up-left by one.
                for i in 0..self.m - 1 {
                    for j in 0..self.m - 1 {
                        self.r[i][j] = self.r[i + 1][j + 1];
                        self.yy[i][j] = self.yy[i + 1][j + 1];
                    }
                }
            } else {
                new_slot = Some((self.head + self.len) % self.m);
                self.len += 1;
            }
        }
        let len = self.len;
        self.order.clear();
        self.order
            .extend((0..len).map(|t| (self.head + t) % self.m));
        // Partial layout per chunk: a (len), b (len), then for a new pair
        // s_i·y_new (len) and y_i·y_new (len).
        let width = if new_pair.is_some() { 4 * len } else { 2 * len };
        if width == 0 || n == 0 {
            return;
        }
        self.partials.clear();
        self.partials.resize(n_chunks * width, 0.0);
        let stp = new_pair.map_or(1.0, |p| p.0);
        let ctx = UpdateCtx {
            g,
            d,
            g_old,
            stp,
            new_slot,
            order: &self.order,
            chunk: self.chunk,
        };
        let block = self.block();
        self.partials
            .par_chunks_mut(width)
            .zip(self.data.par_chunks_mut(block))
            .enumerate()
            .for_each(|(c, (part, mem))| update_chunk_fast(&ctx, c, mem, part));
        let mut sums = vec![0.0; width];
        for part in self.partials.chunks_exact(width) {
            for (s, p) in sums.iter_mut().zip(part) {
                *s += p;
            }
        }
        self.a.clear();
        self.a.extend_from_slice(&sums[..len]);
        self.b.clear();
        self.b.extend_from_slice(&sums[len..2 * len]);
        if let Some((_, dr)) = new_pair {
            let last = len - 1;
            for i in 0..len {
                self.r[i][last] = sums[2 * len + i];
                self.yy[i][last] = sums[3 * len + i];
                self.yy[last][i] = sums[3 * len + i];
            }
            // As L-BFGS-B: the newest sᵀy is `dr`, theta = yᵀy / dr.
            self.r[last][last] = dr;
            self.theta = sums[4 * len - 1] / dr;
        }
    }

    #[allow(clippy::needless_range_loop)] // the triangular solves read clearer indexed
    /// Coefficients `(γ, p, t)` of `H g = γ g + S p − γ Y t` for the
    /// gradient whose products are in `a`, `b`.
    pub(super) fn coefficients(&self, p: &mut Vec<f64>, t: &mut Vec<f64>) -> f64 {
        let len = self.len();
        let gamma = 1.0 / self.theta;
        t.clear();
        t.resize(len, 0.0);
        p.clear();
        p.resize(len, 0.0);
        // R t = a (upper triangular).
        for i in (0..len).rev() {
            let mut v = self.a[i];
            for j in i + 1..len {
                v -= self.r[i][j] * t[j];
            }
            t[i] = v / self.r[i][i];
        }
        // Rᵀ p = (D + γ YᵀY) t − γ b (lower triangular).
        for i in 0..len {
            let mut w = self.r[i][i] * t[i] - gamma * self.b[i];
            let mut yyt = 0.0;
            for j in 0..len {
                yyt += self.yy[i][j] * t[j];
            }
            w += gamma * yyt;
            for j in 0..i {
                w -= self.r[j][i] * p[j];
            }
            p[i] = w / self.r[i][i];
        }
        gamma
    }
}

/// Read-only inputs of the update pass.
pub(super) struct UpdateCtx<'a> {
    pub(super) g: &'a [f64],
    pub(super) d: &'a [f64],
    pub(super) g_old: &'a [f64],
    pub(super) stp: f64,
    /// Slot receiving the new pair, if any.
    pub(super) new_slot: Option<usize>,
    /// Slots in chronological order (the new one last).
    pub(super) order: &'a [usize],
    pub(super) chunk: usize,
}

/// Chunk `c` of [`Memory::update`]: writes the new pair's entries (if any)
/// into the chunk's block `mem` and the chunk's partial dot products into
/// `part`.
#[inline(always)]
pub(super) fn update_chunk(u: &UpdateCtx<'_>, c: usize, mem: &mut [f64], part: &mut [f64]) {
    let ch = u.chunk;
    let lo = c * ch;
    let hi = (lo + ch).min(u.g.len());
    let w = hi - lo;
    let gc = &u.g[lo..hi];
    let len = u.order.len();
    let has_new = u.new_slot.is_some();
    if let Some(slot) = u.new_slot {
        let dc = &u.d[lo..hi];
        let goc = &u.g_old[lo..hi];
        let (sv, yv) = mem[slot * 2 * ch..(slot + 1) * 2 * ch].split_at_mut(ch);
        for e in 0..w {
            sv[e] = if u.stp == 1.0 { dc[e] } else { u.stp * dc[e] };
            yv[e] = gc[e] - goc[e];
        }
    }
    let mem: &[f64] = mem;
    let yn: &[f64] = match u.new_slot {
        Some(slot) => &mem[slot * 2 * ch + ch..slot * 2 * ch + ch + w],
        None => &[],
    };
    for (i, &slot) in u.order.iter().enumerate() {
        let base = slot * 2 * ch;
        let si = &mem[base..base + w];
        let yi = &mem[base + ch..base + ch + w];
        if has_new {
            (part[i], part[2 * len + i]) = seq_dot2(si, gc, yn);
            (part[len + i], part[3 * len + i]) = seq_dot2(yi, gc, yn);
        } else {
            part[i] = seq_dot(si, gc);
            part[len + i] = seq_dot(yi, gc);
        }
    }
}

avx2_variant!(fn update_chunk_fast = update_chunk(
    u: &UpdateCtx<'_>,
    c: usize,
    mem: &mut [f64],
    part: &mut [f64],
));

/// Read-only inputs of the direction pass.
pub(super) struct DirectionCtx<'a> {
    pub(super) gamma: f64,
    pub(super) p: &'a [f64],
    pub(super) t: &'a [f64],
    pub(super) g: &'a [f64],
    pub(super) x_old: &'a [f64],
    pub(super) stp0: f64,
    pub(super) order: &'a [usize],
    pub(super) chunk: usize,
}

/// Chunk `c` of [`direction_pass`] (`mem` is the chunk's block); returns the
/// chunk's `gᵀd`.
#[inline(always)]
pub(super) fn direction_chunk(
    u: &DirectionCtx<'_>,
    c: usize,
    mem: &[f64],
    dc: &mut [f64],
    xc: &mut [f64],
) -> f64 {
    let ch = u.chunk;
    let lo = c * ch;
    let hi = lo + dc.len();
    let w = hi - lo;
    let gamma = u.gamma;
    let gc = &u.g[lo..hi];
    for (dv, gv) in dc.iter_mut().zip(gc) {
        *dv = gamma * gv;
    }
    for (i, &slot) in u.order.iter().enumerate() {
        let base = slot * 2 * ch;
        let (si, yi) = (&mem[base..base + w], &mem[base + ch..base + ch + w]);
        let (pi, ti) = (u.p[i], -gamma * u.t[i]);
        for ((dv, sv), yv) in dc.iter_mut().zip(si).zip(yi) {
            *dv += pi * sv + ti * yv;
        }
    }
    for ((dv, xv), xo) in dc.iter_mut().zip(xc.iter_mut()).zip(&u.x_old[lo..hi]) {
        *dv = -*dv;
        *xv = if u.stp0 == 1.0 {
            xo + *dv
        } else {
            xo + u.stp0 * *dv
        };
    }
    seq_dot(gc, dc)
}

avx2_variant!(fn direction_chunk_fast = direction_chunk(
    u: &DirectionCtx<'_>,
    c: usize,
    mem: &[f64],
    dc: &mut [f64],
    xc: &mut [f64],
) -> f64);

/// One fused pass: `d = −(γ g + S p − γ Y t)`, `x = x_old + stp0·d`, and
/// returns `gᵀd`.
#[allow(clippy::too_many_arguments)]
pub(super) fn direction_pass(
    mem: &Memory,
    gamma: f64,
    p: &[f64],
    t: &[f64],
    g: &[f64],
    x_old: &[f64],
    stp0: f64,
    d: &mut [f64],
    x: &mut [f64],
    partials: &mut Vec<f64>,
) -> f64 {
    let ctx = DirectionCtx {
        gamma,
        p,
        t,
        g,
        x_old,
        stp0,
        order: if mem.len == 0 { &[] } else { &mem.order },
        chunk: mem.chunk,
    };
    let ch = mem.chunk;
    if mem.data.is_empty() {
        d.par_chunks_mut(ch)
            .zip(x.par_chunks_mut(ch))
            .enumerate()
            .map(|(c, (dc, xc))| direction_chunk_fast(&ctx, c, &[], dc, xc))
            .collect_into_vec(partials);
    } else {
        d.par_chunks_mut(ch)
            .zip(x.par_chunks_mut(ch))
            .zip(mem.data.par_chunks(mem.block()))
            .enumerate()
            .map(|(c, ((dc, xc), block))| direction_chunk_fast(&ctx, c, block, dc, xc))
            .collect_into_vec(partials);
    }
    partials.iter().sum()
}
