//! Splitting a node's rows in place between its two children.

use super::criterion::node_impurity;
use super::Builder;
use crate::tree::data::{value_of, Columns};

/// Where a node's rows were split and what its children hold.
pub(super) struct Partition {
    /// First row (in `samples`) of the right child.
    pub pos: usize,
    /// The children's impurities.
    pub impurity_left: f64,
    pub impurity_right: f64,
    /// The children's total sample weights.
    pub weight_left: f64,
    pub weight_right: f64,
}

impl Builder<'_> {
    /// Moves the rows of `start..end` with `x_f <= threshold` to the front;
    /// returns the split position and the children's impurities and weights.
    pub(super) fn partition(
        &mut self,
        start: usize,
        end: usize,
        f: usize,
        threshold: f64,
    ) -> Partition {
        let left_count = match &self.data.columns {
            Columns::Dense(d) => {
                let n = self.data.n_rows;
                let ranks = &d.rank[f * n..(f + 1) * n];
                let vals = &d.values[d.offsets[f]..d.offsets[f + 1]];
                let goes_left = |s: u32| vals[ranks[s as usize] as usize] as f64 <= threshold;
                split_in_place(&mut self.samples[start..end], goes_left)
            }
            Columns::Sparse(sp) => {
                self.gather_sparse(sp, f, start, end);
                let zero_left = 0.0 <= threshold;
                // flag: 1 = left, 2 = right, 0 = implicit zero.
                for &e in &self.buf {
                    let s = (e & 0xFFFF_FFFF) as usize;
                    let v = value_of((e >> 32) as u32) as f64;
                    self.flag[s] = if v <= threshold { 1 } else { 2 };
                }
                let flag = &self.flag;
                let goes_left = |s: u32| match flag[s as usize] {
                    0 => zero_left,
                    x => x == 1,
                };
                let i = split_in_place(&mut self.samples[start..end], goes_left);
                for &e in &self.buf {
                    self.flag[(e & 0xFFFF_FFFF) as usize] = 0;
                }
                for (k, &s) in self.samples[start..end].iter().enumerate() {
                    self.pos[s as usize] = (start + k) as u32;
                }
                i
            }
        };
        let pos = start + left_count;
        self.left.fill(0.0);
        self.scratch.fill(0.0);
        let (mut w_l, mut w_r) = (0.0, 0.0);
        for &s in &self.samples[start..pos] {
            let s = s as usize;
            self.left[self.y[s] as usize] += self.w[s];
            w_l += self.w[s];
        }
        for &s in &self.samples[pos..end] {
            let s = s as usize;
            self.scratch[self.y[s] as usize] += self.w[s];
            w_r += self.w[s];
        }
        let imp_l = node_impurity(self.cfg.criterion, &self.left, w_l);
        let imp_r = node_impurity(self.cfg.criterion, &self.scratch, w_r);
        Partition {
            pos,
            impurity_left: imp_l,
            impurity_right: imp_r,
            weight_left: w_l,
            weight_right: w_r,
        }
    }
}

/// Moves the rows that go left to the front of `rows` (by swapping from
/// both ends, the order scikit-learn's partitioner leaves them in) and
/// returns how many there are.
fn split_in_place(rows: &mut [u32], goes_left: impl Fn(u32) -> bool) -> usize {
    let mut i = 0;
    let mut j = rows.len();
    while i < j {
        if goes_left(rows[i]) {
            i += 1;
        } else {
            j -= 1;
            rows.swap(i, j);
        }
    }
    i
}
