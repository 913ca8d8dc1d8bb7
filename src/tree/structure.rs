//! A fitted tree as flat arrays: no boxes, no recursion.
//!
//! Nodes are numbered in pre-order, so the left child of internal node `i`
//! is always `i + 1`; a node stores its split feature, its threshold and its
//! right child. A leaf stores the index of its class fractions, kept sparse
//! (only classes with a non-zero fraction), because most leaves of a fully
//! grown tree are pure. Prediction walks down with a loop.
//!
//! The saved form lists the split feature of every node (`-1` for a leaf),
//! the threshold and right child of each internal node, and the sparse class
//! fractions of each leaf; converting it back checks every index so an
//! altered file cannot make prediction read out of bounds or loop.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::sparse::CsrRow;

/// Marks a leaf in [`Node::feature`].
pub(crate) const LEAF: u32 = u32::MAX;

/// One node: a split (`feature`, `threshold`, right child `next`) or a leaf
/// (`feature == LEAF`, `next` = leaf index).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Node {
    pub(crate) threshold: f64,
    pub(crate) feature: u32,
    pub(crate) next: u32,
}

/// A decision tree in flat arrays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "TreeRepr", into = "TreeRepr")]
pub(crate) struct Tree {
    pub(crate) nodes: Vec<Node>,
    /// Leaf `l`'s entries are `leaf_start[l]..leaf_start[l + 1]`.
    pub(crate) leaf_start: Vec<u32>,
    pub(crate) leaf_class: Vec<u32>,
    pub(crate) leaf_value: Vec<f64>,
}

/// Reads feature values of one row for prediction.
pub(crate) trait RowValues {
    /// The value of feature `f` (which the caller guarantees is in range).
    fn value(&self, f: usize) -> f64;
}

impl RowValues for &[f64] {
    #[inline]
    fn value(&self, f: usize) -> f64 {
        self.get(f).copied().unwrap_or(0.0)
    }
}

impl RowValues for ndarray::ArrayView1<'_, f64> {
    #[inline]
    fn value(&self, f: usize) -> f64 {
        self.get(f).copied().unwrap_or(0.0)
    }
}

impl RowValues for CsrRow<'_> {
    #[inline]
    fn value(&self, f: usize) -> f64 {
        match self.indices().binary_search(&f) {
            Ok(k) => self.data().get(k).copied().unwrap_or(0.0),
            Err(_) => 0.0,
        }
    }
}

impl Tree {
    /// Number of nodes.
    pub(crate) fn n_nodes(&self) -> usize {
        self.nodes.len()
    }

    /// Index of the leaf reached by a row: left iff `f64(f32(x)) <= threshold`.
    #[inline]
    pub(crate) fn leaf<R: RowValues>(&self, row: &R) -> usize {
        let mut i = 0usize;
        loop {
            let Some(node) = self.nodes.get(i) else {
                return 0;
            };
            if node.feature == LEAF {
                return node.next as usize;
            }
            let x = row.value(node.feature as usize) as f32 as f64;
            i = if x <= node.threshold {
                i + 1
            } else {
                node.next as usize
            };
        }
    }

    /// Adds `scale` times the class fractions of leaf `leaf` to `out`.
    #[inline]
    pub(crate) fn add_leaf(&self, leaf: usize, out: &mut [f64]) {
        let (Some(&a), Some(&b)) = (self.leaf_start.get(leaf), self.leaf_start.get(leaf + 1))
        else {
            return;
        };
        let (a, b) = (a as usize, b as usize);
        if let (Some(cls), Some(val)) = (self.leaf_class.get(a..b), self.leaf_value.get(a..b)) {
            for (&c, &v) in cls.iter().zip(val) {
                if let Some(o) = out.get_mut(c as usize) {
                    *o += v;
                }
            }
        }
    }

    /// Checks indices against the model's shape: every feature below
    /// `n_features`, every class below `n_classes`, fractions in [0, 1]
    /// summing to 1 per leaf (or all zero), children after their parent and
    /// in range.
    pub(crate) fn validate(&self, n_features: usize, n_classes: usize) -> Result<()> {
        let bad = |m: String| Err(Error::Format(m));
        let n = self.nodes.len();
        if n == 0 {
            return bad("a tree has no node".into());
        }
        let n_leaves = self.leaf_start.len().saturating_sub(1);
        let mut leaves_seen = 0usize;
        for (i, node) in self.nodes.iter().enumerate() {
            if node.feature == LEAF {
                if node.next as usize != leaves_seen {
                    return bad(format!("node {i}: leaf index {} out of order", node.next));
                }
                leaves_seen += 1;
            } else {
                if node.feature as usize >= n_features {
                    return bad(format!(
                        "node {i}: feature {} out of range for {n_features} features",
                        node.feature
                    ));
                }
                let r = node.next as usize;
                if r <= i + 1 || r >= n {
                    return bad(format!("node {i}: right child {r} out of range"));
                }
                if !node.threshold.is_finite() {
                    return bad(format!("node {i}: threshold is not finite"));
                }
            }
        }
        if leaves_seen != n_leaves {
            return bad(format!(
                "{leaves_seen} leaves but {n_leaves} leaf value ranges"
            ));
        }
        if self.leaf_start.first() != Some(&0)
            || self.leaf_start.last().map(|&e| e as usize) != Some(self.leaf_class.len())
            || self.leaf_class.len() != self.leaf_value.len()
            || self.leaf_start.windows(2).any(|w| w[0] > w[1])
        {
            return bad("leaf value ranges are inconsistent".into());
        }
        for w in self.leaf_start.windows(2) {
            let cls = &self.leaf_class[w[0] as usize..w[1] as usize];
            if cls.iter().any(|&c| c as usize >= n_classes) {
                return bad(format!("leaf class out of range for {n_classes} classes"));
            }
            if cls.windows(2).any(|p| p[0] >= p[1]) {
                return bad("leaf classes must be strictly increasing".into());
            }
        }
        if self.leaf_value.iter().any(|v| !(0.0..=1.0).contains(v)) {
            return bad("leaf class fraction outside [0, 1]".into());
        }
        // A leaf's fractions are a distribution, or all zero (a leaf of zero
        // total weight, which scikit-learn predicts as zeros too).
        for (leaf, w) in self.leaf_start.windows(2).enumerate() {
            let sum: f64 = self.leaf_value[w[0] as usize..w[1] as usize].iter().sum();
            if sum != 0.0 && (sum - 1.0).abs() > 1e-9 {
                return bad(format!("leaf {leaf}: class fractions sum to {sum}, not 1"));
            }
        }
        Ok(())
    }
}

/// The saved form of a [`Tree`].
#[derive(Serialize, Deserialize)]
struct TreeRepr {
    /// Per node in pre-order: split feature, or -1 for a leaf.
    feature: Vec<i64>,
    /// Per internal node, in node order: the threshold (go left iff x <= threshold).
    threshold: Vec<f64>,
    /// Per internal node, in node order: the right child (the left one is the next node).
    right: Vec<u32>,
    /// Per leaf, in node order: how many classes have a non-zero fraction.
    leaf_len: Vec<u32>,
    /// Those classes (column indices), leaf after leaf.
    leaf_class: Vec<u32>,
    /// Their fractions (weighted class fractions of the leaf's training rows).
    leaf_value: Vec<f64>,
}

impl From<Tree> for TreeRepr {
    fn from(t: Tree) -> Self {
        let mut r = TreeRepr {
            feature: Vec::with_capacity(t.nodes.len()),
            threshold: Vec::new(),
            right: Vec::new(),
            leaf_len: t.leaf_start.windows(2).map(|w| w[1] - w[0]).collect(),
            leaf_class: t.leaf_class,
            leaf_value: t.leaf_value,
        };
        for node in &t.nodes {
            if node.feature == LEAF {
                r.feature.push(-1);
            } else {
                r.feature.push(node.feature as i64);
                r.threshold.push(node.threshold);
                r.right.push(node.next);
            }
        }
        r
    }
}

impl Tree {
    /// A tree from the arrays of its saved form (see [`TreeRepr`]), with the
    /// checks of loading one; used by `crate::sklearn`.
    pub(crate) fn from_preorder(
        feature: Vec<i64>,
        threshold: Vec<f64>,
        right: Vec<u32>,
        leaf_len: Vec<u32>,
        leaf_class: Vec<u32>,
        leaf_value: Vec<f64>,
    ) -> Result<Tree> {
        Tree::try_from(TreeRepr {
            feature,
            threshold,
            right,
            leaf_len,
            leaf_class,
            leaf_value,
        })
    }
}

impl TryFrom<TreeRepr> for Tree {
    type Error = Error;
    fn try_from(r: TreeRepr) -> Result<Self> {
        let bad = |m: &str| Err(Error::Format(format!("tree: {m}")));
        let n = r.feature.len();
        if n > u32::MAX as usize {
            return bad("too many nodes");
        }
        let n_internal = r.feature.iter().filter(|&&f| f >= 0).count();
        if r.threshold.len() != n_internal || r.right.len() != n_internal {
            return bad("threshold/right lengths differ from the number of internal nodes");
        }
        if r.leaf_len.len() != n - n_internal {
            return bad("leaf_len length differs from the number of leaves");
        }
        let mut nodes = Vec::with_capacity(n);
        let (mut k, mut leaf) = (0usize, 0u32);
        for (i, &f) in r.feature.iter().enumerate() {
            if f < 0 {
                nodes.push(Node {
                    threshold: 0.0,
                    feature: LEAF,
                    next: leaf,
                });
                leaf += 1;
            } else {
                let feature = u32::try_from(f)
                    .ok()
                    .filter(|&f| f != LEAF)
                    .ok_or_else(|| Error::Format(format!("tree: feature {f} out of range")))?;
                // Pre-order: the left child is i + 1, the right one after it.
                // Checked here, not only in `validate`, so that a tree
                // deserialized by plain serde can never loop at predict.
                let right = r.right[k];
                if (right as usize) <= i + 1 || right as usize >= n {
                    return bad("a right child must come after its left sibling and exist");
                }
                nodes.push(Node {
                    threshold: r.threshold[k],
                    feature,
                    next: right,
                });
                k += 1;
            }
        }
        let mut leaf_start = Vec::with_capacity(r.leaf_len.len() + 1);
        let mut acc = 0u64;
        leaf_start.push(0u32);
        for &l in &r.leaf_len {
            acc += l as u64;
            if acc > u32::MAX as u64 {
                return bad("leaf values too long");
            }
            leaf_start.push(acc as u32);
        }
        if r.leaf_class.len() as u64 != acc || r.leaf_value.len() as u64 != acc {
            return bad("leaf class/value lengths differ from leaf_len");
        }
        Ok(Tree {
            nodes,
            leaf_start,
            leaf_class: r.leaf_class,
            leaf_value: r.leaf_value,
        })
    }
}
