//! Growing one tree: scikit-learn's depth-first builder with the "best"
//! splitter ([parity §4.4](crate::parity)), on dense or sparse columns.
//!
//! The node's rows live in one `samples` array; a node is a range of it and a
//! split partitions that range in place. Per visited feature the node's
//! values are gathered into a reused buffer of `(sort key << 32) | row`
//! words and sorted (a counting sort when the feature has few distinct
//! values), then scanned once with running class sums. Sparse columns gather
//! only the node's non-zeros (by scanning the column against each row's
//! position, or by binary search when the node is small) and treat the
//! implicit zeros as one block between the negatives and the positives; in
//! small nodes a per-node mark of the features present in the node's rows
//! rules out all-zero features without touching the columns.
//!
//! Files by job: this one holds the builder's state and the node loop;
//! `criterion` the impurity measures, `split` the search for a node's best
//! split (dense and sparse), `partition` the move of a node's rows to its
//! children.

mod criterion;
mod partition;
mod split;

use super::data::{Columns, TrainSet};
use super::structure::{Node, Tree, LEAF};
use crate::rng::XorShift;
use criterion::{impurity_decrease, node_impurity};
use partition::Partition;

/// scikit-learn's `FEATURE_THRESHOLD`: values closer than this are one value.
const FEATURE_THRESHOLD: f32 = 1e-7;
const EPS: f64 = f64::EPSILON;
/// Sort key of the value 0.0 (see [`key_of`](crate::tree::data::key_of)).
const ZERO_KEY: u32 = 0x8000_0000;

/// Split quality measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Criterion {
    /// Gini impurity `1 - sum p_c^2` (scikit-learn's default).
    #[default]
    Gini,
    /// Shannon entropy in bits, `-sum p_c log2 p_c`.
    Entropy,
}

/// The resolved, validated settings one tree is grown with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GrowConfig {
    pub(crate) criterion: Criterion,
    pub(crate) max_depth: usize,
    pub(crate) min_samples_split: usize,
    pub(crate) min_samples_leaf: usize,
    pub(crate) min_impurity_decrease: f64,
    pub(crate) max_features: usize,
}

/// A grown tree and its unnormalised-then-normalised importances (sparse:
/// `(feature, importance)` for features that split).
pub(crate) struct Grown {
    pub(crate) tree: Tree,
    pub(crate) importances: Vec<(u32, f64)>,
}

/// The best split seen so far in a node.
#[derive(Clone, Copy)]
struct Best {
    proxy: f64,
    feature: usize,
    threshold: f64,
}

/// What visiting one feature found.
enum Visit {
    Constant,
    Evaluated,
}

struct Builder<'a> {
    data: &'a TrainSet<'a>,
    y: &'a [u32],
    w: &'a [f64],
    cfg: GrowConfig,
    rng: XorShift,
    samples: Vec<u32>,
    /// Row -> position in `samples` (sparse input only).
    pos: Vec<u32>,
    features: Vec<u32>,
    constant_features: Vec<u32>,
    buf: Vec<u64>,
    tmp: Vec<u64>,
    counts: Vec<u32>,
    hist: Vec<f64>,
    /// Class sums: node total, running left, scratch.
    total: Vec<f64>,
    left: Vec<f64>,
    scratch: Vec<f64>,
    /// Per-row partition flags (sparse), and node marks of present features.
    flag: Vec<u8>,
    stamp: Vec<u32>,
    tag: u32,
    stamp_on: bool,
    sorted_samples: Vec<u32>,
    sorted_ready: bool,
    w_root: f64,
    /// Weight of the node being split.
    node_weight: f64,
    importance: Vec<f64>,
}

/// Grows a tree on rows with positive weight `w[i]` (bootstrap counts or
/// sample weights), labels `y[i] < n_classes`, feature visiting drawn from
/// the builder RNG of `seed`.
pub(crate) fn grow(
    data: &TrainSet<'_>,
    y: &[u32],
    w: &[f64],
    n_classes: usize,
    cfg: GrowConfig,
    seed: u32,
) -> Grown {
    let n = data.n_rows;
    let p = data.n_features;
    let samples: Vec<u32> = (0..n as u32).filter(|&i| w[i as usize] > 0.0).collect();
    let sparse = matches!(data.columns, Columns::Sparse(_));
    let mut pos = Vec::new();
    if sparse {
        pos = vec![u32::MAX; n];
        for (k, &s) in samples.iter().enumerate() {
            pos[s as usize] = k as u32;
        }
    }
    let b = Builder {
        data,
        y,
        w,
        cfg,
        rng: XorShift::for_tree(seed),
        buf: Vec::with_capacity(samples.len()),
        tmp: Vec::new(),
        counts: Vec::new(),
        hist: Vec::new(),
        samples,
        pos,
        features: (0..p as u32).collect(),
        constant_features: vec![0; p],
        total: vec![0.0; n_classes],
        left: vec![0.0; n_classes],
        scratch: vec![0.0; n_classes],
        flag: if sparse { vec![0; n] } else { Vec::new() },
        stamp: if sparse { vec![0; p] } else { Vec::new() },
        tag: 0,
        stamp_on: false,
        sorted_samples: Vec::new(),
        sorted_ready: false,
        w_root: 0.0,
        node_weight: 0.0,
        importance: vec![0.0; p],
    };
    b.build()
}

struct Pending {
    start: usize,
    end: usize,
    depth: usize,
    parent: Option<usize>,
    impurity: f64,
    n_constant: usize,
}

impl<'a> Builder<'a> {
    fn build(mut self) -> Grown {
        let mut nodes: Vec<Node> = Vec::new();
        let mut leaf_start = vec![0u32];
        let mut leaf_class = Vec::new();
        let mut leaf_value = Vec::new();
        let mut stack = vec![Pending {
            start: 0,
            end: self.samples.len(),
            depth: 0,
            parent: None,
            impurity: f64::INFINITY,
            n_constant: 0,
        }];
        let msl = self.cfg.min_samples_leaf;
        let mut first = true;
        while let Some(node) = stack.pop() {
            let Pending {
                start,
                end,
                depth,
                parent,
                mut impurity,
                n_constant,
            } = node;
            let n_node = end - start;
            // Class sums and weight of the node.
            self.total.fill(0.0);
            let mut w_node = 0.0;
            for &s in &self.samples[start..end] {
                let s = s as usize;
                self.total[self.y[s] as usize] += self.w[s];
                w_node += self.w[s];
            }
            if first {
                self.w_root = w_node;
                impurity = node_impurity(self.cfg.criterion, &self.total, w_node);
                first = false;
            }
            let nid = nodes.len();
            if let Some(par) = parent {
                // The left child is always parent + 1; only right children are linked.
                if par + 1 != nid {
                    nodes[par].next = nid as u32;
                }
            }
            let mut is_leaf = depth >= self.cfg.max_depth
                || n_node < self.cfg.min_samples_split
                || n_node < 2 * msl
                || impurity <= EPS
                || n_node == 0;
            let mut split = None;
            let mut child_n_constant = n_constant;
            if !is_leaf {
                let (best, nc) = self.node_split(start, end, n_constant);
                child_n_constant = nc;
                match best {
                    None => is_leaf = true,
                    Some(best) => {
                        let Partition {
                            pos,
                            impurity_left: imp_l,
                            impurity_right: imp_r,
                            weight_left: w_l,
                            weight_right: w_r,
                        } = self.partition(start, end, best.feature, best.threshold);
                        let improvement = (w_node / self.w_root)
                            * (impurity - (w_r / w_node * imp_r) - (w_l / w_node * imp_l));
                        if pos == start
                            || pos == end
                            || improvement + EPS < self.cfg.min_impurity_decrease
                        {
                            is_leaf = true;
                        } else {
                            // A split never raises the weighted impurity (Gini and
                            // entropy are concave), so a negative decrease is
                            // rounding: kept at 0, importances stay >= 0, where
                            // scikit-learn would report e.g. -1e-9 (found by
                            // `cargo fuzz`; only such noise-level terms differ).
                            self.importance[best.feature] +=
                                impurity_decrease(w_node, impurity, w_l, imp_l, w_r, imp_r);
                            split = Some((best, pos, imp_l, imp_r));
                        }
                    }
                }
            }
            match split {
                Some((best, pos, imp_l, imp_r)) if !is_leaf => {
                    nodes.push(Node {
                        threshold: best.threshold,
                        feature: best.feature as u32,
                        next: 0,
                    });
                    stack.push(Pending {
                        start: pos,
                        end,
                        depth: depth + 1,
                        parent: Some(nid),
                        impurity: imp_r,
                        n_constant: child_n_constant,
                    });
                    stack.push(Pending {
                        start,
                        end: pos,
                        depth: depth + 1,
                        parent: Some(nid),
                        impurity: imp_l,
                        n_constant: child_n_constant,
                    });
                }
                _ => {
                    let leaf = (leaf_start.len() - 1) as u32;
                    nodes.push(Node {
                        threshold: 0.0,
                        feature: LEAF,
                        next: leaf,
                    });
                    for (c, &s) in self.total.iter().enumerate() {
                        if s > 0.0 {
                            leaf_class.push(c as u32);
                            leaf_value.push(s / w_node);
                        }
                    }
                    leaf_start.push(leaf_class.len() as u32);
                }
            }
        }
        // Importances: divide by the root weight, normalise to sum 1.
        let mut importances = Vec::new();
        if self.w_root > 0.0 {
            let mut sum = 0.0;
            for v in self.importance.iter_mut() {
                *v /= self.w_root;
                sum += *v;
            }
            for (f, &v) in self.importance.iter().enumerate() {
                if v != 0.0 {
                    importances.push((f as u32, if sum > 0.0 { v / sum } else { v }));
                }
            }
        }
        Grown {
            tree: Tree {
                nodes,
                leaf_start,
                leaf_class,
                leaf_value,
            },
            importances,
        }
    }
}
