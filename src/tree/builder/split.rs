//! The search for a node's best split: scikit-learn's feature visiting
//! loop, then per feature a sort of the node's values (dense columns, or
//! the non-zeros of sparse ones with the zeros as one block) and one scan
//! with running class sums.

use super::{Best, Builder, Criterion, Visit, FEATURE_THRESHOLD, ZERO_KEY};
use crate::tree::data::{value_of, Columns, DenseColumns, SparseColumns};

impl Builder<'_> {
    /// scikit-learn's feature visiting loop (§4.4): at least `max_features`
    /// features are evaluated, more only while all visited ones were constant.
    pub(super) fn node_split(
        &mut self,
        start: usize,
        end: usize,
        n_known: usize,
    ) -> (Option<Best>, usize) {
        let p = self.features.len();
        let mut f_i = p;
        let (mut visited, mut found, mut drawn) = (0usize, 0usize, 0usize);
        let mut total_const = n_known;
        let mut best: Option<Best> = None;
        self.sorted_ready = false;
        self.prepare_stamps(start, end);
        let w_node: f64 = self.total.iter().sum();
        self.node_weight = w_node;
        while f_i > total_const && (visited < self.cfg.max_features || visited <= found + drawn) {
            visited += 1;
            let mut j = self.rng.rand_int(drawn, f_i - found);
            if j < n_known {
                self.features.swap(drawn, j);
                drawn += 1;
                continue;
            }
            j += found;
            let f = self.features[j] as usize;
            match self.visit(f, start, end, &mut best) {
                Visit::Constant => {
                    self.features.swap(j, total_const);
                    found += 1;
                    total_const += 1;
                }
                Visit::Evaluated => {
                    f_i -= 1;
                    self.features.swap(f_i, j);
                }
            }
        }
        self.features[..n_known].copy_from_slice(&self.constant_features[..n_known]);
        self.constant_features[n_known..total_const]
            .copy_from_slice(&self.features[n_known..total_const]);
        (best, total_const)
    }

    /// In small sparse nodes, marks the features present in the node's rows.
    fn prepare_stamps(&mut self, start: usize, end: usize) {
        self.stamp_on = false;
        let Columns::Sparse(sp) = &self.data.columns else {
            return;
        };
        let indptr = sp.csr.indptr();
        let mut node_nnz = 0usize;
        let p = self.data.n_features.max(1);
        let mean_col = sp.entry.len() / p + 1;
        let budget = 2 * self.cfg.max_features * mean_col;
        for &s in &self.samples[start..end] {
            let s = s as usize;
            node_nnz += indptr[s + 1] - indptr[s];
            if node_nnz > budget {
                return;
            }
        }
        self.tag = self.tag.wrapping_add(1);
        if self.tag == 0 {
            self.stamp.fill(0);
            self.tag = 1;
        }
        let indices = sp.csr.indices();
        for &s in &self.samples[start..end] {
            let s = s as usize;
            for &c in &indices[indptr[s]..indptr[s + 1]] {
                self.stamp[c] = self.tag;
            }
        }
        self.stamp_on = true;
    }

    fn visit(&mut self, f: usize, start: usize, end: usize, best: &mut Option<Best>) -> Visit {
        match &self.data.columns {
            Columns::Dense(d) => self.visit_dense(d, f, start, end, best),
            Columns::Sparse(s) => self.visit_sparse(s, f, start, end, best),
        }
    }

    fn visit_dense(
        &mut self,
        d: &DenseColumns,
        f: usize,
        start: usize,
        end: usize,
        best: &mut Option<Best>,
    ) -> Visit {
        let n = self.data.n_rows;
        let ranks = &d.rank[f * n..(f + 1) * n];
        let vals = &d.values[d.offsets[f]..d.offsets[f + 1]];
        let (mut lo, mut hi) = (u32::MAX, 0u32);
        self.buf.clear();
        for &s in &self.samples[start..end] {
            let r = ranks[s as usize];
            lo = lo.min(r);
            hi = hi.max(r);
            self.buf.push(((r as u64) << 32) | s as u64);
        }
        let (vmin, vmax) = (vals[lo as usize], vals[hi as usize]);
        if vmax <= vmin + FEATURE_THRESHOLD {
            return Visit::Constant;
        }
        let span = (hi - lo) as usize + 1;
        let k = self.total.len();
        if span * k <= self.buf.len() {
            // Few distinct values: class sums per value, no sorting at all.
            let mut counts = std::mem::take(&mut self.counts);
            let mut sums = std::mem::take(&mut self.hist);
            counts.clear();
            counts.resize(span, 0);
            sums.clear();
            sums.resize(span * k, 0.0);
            for &e in &self.buf {
                let b = ((e >> 32) as u32 - lo) as usize;
                let s = (e & 0xFFFF_FFFF) as usize;
                counts[b] += 1;
                sums[b * k + self.y[s] as usize] += self.w[s];
            }
            let h = Histogram {
                counts: &counts,
                sums: &sums,
                values: &vals[lo as usize..=hi as usize],
            };
            self.scan(f, &[], |_| 0.0, None, Some(&h), best);
            self.counts = counts;
            self.hist = sums;
            return Visit::Evaluated;
        }
        if span <= self.buf.len() {
            counting_sort(&mut self.buf, &mut self.tmp, &mut self.counts, lo, span);
        } else {
            self.buf.sort_unstable();
        }
        let buf = std::mem::take(&mut self.buf);
        self.scan(f, &buf, |r| vals[r as usize], None, None, best);
        self.buf = buf;
        Visit::Evaluated
    }

    /// Gathers the node's non-zeros of sparse column `f` into `self.buf`
    /// as `(key << 32) | row`, unsorted.
    pub(super) fn gather_sparse(
        &mut self,
        sp: &SparseColumns<'_>,
        f: usize,
        start: usize,
        end: usize,
    ) {
        self.buf.clear();
        let [a, len, _, _] = sp.head[f];
        let (a, col_nnz) = (a as usize, len as usize);
        let col = &sp.entry[a..a + col_nnz];
        let n_node = end - start;
        if col_nnz == 0 {
            return;
        }
        let log = (usize::BITS - col_nnz.leading_zeros()) as usize;
        if n_node * log < col_nnz {
            // Binary search each node row (in row order) in the column.
            if !self.sorted_ready {
                self.sorted_samples.clear();
                self.sorted_samples
                    .extend_from_slice(&self.samples[start..end]);
                self.sorted_samples.sort_unstable();
                self.sorted_ready = true;
            }
            let mut lo = 0usize;
            for &s in &self.sorted_samples {
                lo += col[lo..].partition_point(|&e| (e as u32) < s);
                match col.get(lo) {
                    None => break,
                    Some(&e) if e as u32 == s => {
                        self.buf.push(e);
                        lo += 1;
                    }
                    Some(_) => {}
                }
            }
        } else {
            let (start, end) = (start as u32, end as u32);
            for &e in col {
                let p = self.pos[(e as u32) as usize];
                if p >= start && p < end {
                    self.buf.push(e);
                }
            }
        }
    }

    fn visit_sparse(
        &mut self,
        sp: &SparseColumns<'_>,
        f: usize,
        start: usize,
        end: usize,
        best: &mut Option<Best>,
    ) -> Visit {
        if self.stamp_on {
            if self.stamp[f] != self.tag {
                return Visit::Constant;
            }
        } else {
            let [_, len, r0, r1] = sp.head[f];
            if len <= 2 {
                let inside = |r: u32| {
                    self.pos
                        .get(r as usize)
                        .is_some_and(|&p| p as usize >= start && (p as usize) < end)
                };
                if !inside(r0) && !inside(r1) {
                    return Visit::Constant;
                }
            }
        }
        self.gather_sparse(sp, f, start, end);
        let n_node = end - start;
        let n_zero = n_node - self.buf.len();
        let (mut lo, mut hi) = (u32::MAX, 0u32);
        for &e in &self.buf {
            let k = (e >> 32) as u32;
            lo = lo.min(k);
            hi = hi.max(k);
        }
        if n_zero > 0 {
            lo = lo.min(ZERO_KEY);
            hi = hi.max(ZERO_KEY);
        }
        if value_of(hi) <= value_of(lo) + FEATURE_THRESHOLD {
            return Visit::Constant;
        }
        self.buf.sort_unstable();
        // Class sums of the zero block = node total - non-zeros.
        let mut zero = std::mem::take(&mut self.scratch);
        zero.copy_from_slice(&self.total);
        for &e in &self.buf {
            let s = (e & 0xFFFF_FFFF) as usize;
            zero[self.y[s] as usize] -= self.w[s];
        }
        let buf = std::mem::take(&mut self.buf);
        let split = buf.partition_point(|&e| ((e >> 32) as u32) < ZERO_KEY);
        let zb = if n_zero > 0 {
            Some((split, n_zero, zero.as_slice()))
        } else {
            None
        };
        self.scan(f, &buf, value_of, zb, None, best);
        self.buf = buf;
        self.scratch = zero;
        Visit::Evaluated
    }

    /// Scans sorted entries (plus an optional block of implicit zeros
    /// inserted before entry `zero.0`), evaluating every split position
    /// between distinct values; updates `best` on a strictly better proxy.
    fn scan(
        &mut self,
        f: usize,
        entries: &[u64],
        decode: impl Fn(u32) -> f32,
        zero: Option<(usize, usize, &[f64])>,
        hist: Option<&Histogram<'_>>,
        best: &mut Option<Best>,
    ) {
        let w_node = self.node_weight;
        let n_node = entries.len()
            + zero.map_or(0, |z| z.1)
            + hist.map_or(0, |h| h.counts.iter().map(|&c| c as usize).sum());
        let msl = self.cfg.min_samples_leaf;
        let criterion = self.cfg.criterion;
        let total = &self.total;
        let left = &mut self.left;
        left.fill(0.0);
        let mut sq_total = 0.0;
        for &t in total.iter() {
            sq_total += t * t;
        }
        let mut st = ScanState {
            w_left: 0.0,
            sq_left: 0.0,
            cross: 0.0,
            count: 0,
            prev: 0.0,
        };
        let mut local = best.map_or(f64::NEG_INFINITY, |b| b.proxy);
        let mut found: Option<(f64, f32, f32)> = None;
        let mut candidate = |st: &ScanState, left: &[f64], v: f32| {
            if st.count >= msl
                && n_node.saturating_sub(st.count) >= msl
                && v > st.prev + FEATURE_THRESHOLD
            {
                let w_l = st.w_left;
                let w_r = w_node - w_l;
                let proxy = match criterion {
                    Criterion::Gini => {
                        let sq_r = sq_total - 2.0 * st.cross + st.sq_left;
                        -w_r * (1.0 - sq_r / (w_r * w_r)) - w_l * (1.0 - st.sq_left / (w_l * w_l))
                    }
                    Criterion::Entropy => {
                        let (mut e_l, mut e_r) = (0.0, 0.0);
                        for (&l, &t) in left.iter().zip(total.iter()) {
                            if l > 0.0 {
                                let p = l / w_l;
                                e_l -= p * p.log2();
                            }
                            let r = t - l;
                            if r > 0.0 {
                                let p = r / w_r;
                                e_r -= p * p.log2();
                            }
                        }
                        -w_r * e_r - w_l * e_l
                    }
                };
                if proxy > local {
                    local = proxy;
                    found = Some((proxy, st.prev, v));
                }
            }
        };
        if let Some(h) = hist {
            let k = total.len();
            for (b, (&count, &v)) in h.counts.iter().zip(h.values).enumerate() {
                if count > 0 {
                    let sums = &h.sums[b * k..(b + 1) * k];
                    add_block(
                        &mut st,
                        left,
                        total,
                        sums,
                        count as usize,
                        v,
                        &mut candidate,
                    );
                }
            }
        }
        let (zpos, zcount, zsums) = match zero {
            Some((p, c, s)) => (p, c, Some(s)),
            None => (usize::MAX, 0, None),
        };
        for (k, &e) in entries.iter().enumerate() {
            if k == zpos {
                if let Some(zs) = zsums {
                    add_block(&mut st, left, total, zs, zcount, 0.0, &mut candidate);
                }
            }
            let v = decode((e >> 32) as u32);
            let s = (e & 0xFFFF_FFFF) as usize;
            if st.count > 0 {
                candidate(&st, left, v);
            }
            let c = self.y[s] as usize;
            let w = self.w[s];
            st.sq_left += w * (2.0 * left[c] + w);
            st.cross += total[c] * w;
            left[c] += w;
            st.w_left += w;
            st.count += 1;
            st.prev = v;
        }
        if zpos >= entries.len() {
            if let Some(zs) = zsums {
                add_block(&mut st, left, total, zs, zcount, 0.0, &mut candidate);
            }
        }
        if let Some((proxy, a, b)) = found {
            let mut threshold = a as f64 / 2.0 + b as f64 / 2.0;
            if threshold == b as f64 || !threshold.is_finite() {
                threshold = a as f64;
            }
            *best = Some(Best {
                proxy,
                feature: f,
                threshold,
            });
        }
    }
}

/// Per distinct value of a dense feature in a node: row count and class sums.
struct Histogram<'a> {
    counts: &'a [u32],
    sums: &'a [f64],
    values: &'a [f32],
}

struct ScanState {
    w_left: f64,
    sq_left: f64,
    cross: f64,
    count: usize,
    prev: f32,
}

#[inline]
fn add_block(
    st: &mut ScanState,
    left: &mut [f64],
    total: &[f64],
    sums: &[f64],
    count: usize,
    value: f32,
    candidate: &mut impl FnMut(&ScanState, &[f64], f32),
) {
    if st.count > 0 {
        candidate(st, left, value);
    }
    st.sq_left = 0.0;
    st.cross = 0.0;
    for ((l, &t), &z) in left.iter_mut().zip(total).zip(sums) {
        *l += z;
        st.w_left += z;
        st.sq_left += *l * *l;
        st.cross += t * *l;
    }
    st.count += count;
    st.prev = value;
}

/// Sorts `(rank << 32) | row` words whose ranks lie in `lo..lo + span`.
fn counting_sort(buf: &mut [u64], tmp: &mut Vec<u64>, counts: &mut Vec<u32>, lo: u32, span: usize) {
    counts.clear();
    counts.resize(span + 1, 0);
    for &e in buf.iter() {
        counts[((e >> 32) as u32 - lo) as usize + 1] += 1;
    }
    for i in 0..span {
        counts[i + 1] += counts[i];
    }
    tmp.clear();
    tmp.resize(buf.len(), 0);
    for &e in buf.iter() {
        let slot = &mut counts[((e >> 32) as u32 - lo) as usize];
        tmp[*slot as usize] = e;
        *slot += 1;
    }
    buf.copy_from_slice(tmp);
}
