//! `DecisionTreeClassifier` and `RandomForestClassifier`: scikit-learn's
//! node arrays (any node order, counts or fractions in `value`) re-laid in
//! proba's pre-order form, leaf values normalised as scikit-learn's
//! `predict_proba` normalises them.

use std::collections::BTreeMap;

use super::globals::Global;
use rayon::prelude::*;

use super::numpy;
use super::text::wrong;
use super::value::{Estimator, View};
use crate::ensemble::RandomForestClassifier;
use crate::error::{Error, Result};
use crate::traits::Label;
use crate::tree::facade::{Tree, MAX_TREE_FEATURES};
use crate::tree::DecisionTreeClassifier;

/// A converted tree and its normalised importances (dense), or `None` for
/// importances of a single-node tree.
struct Converted {
    tree: Tree,
    importances: Option<BTreeMap<u32, f64>>,
}

fn check_single_output(view: &View<'_, '_>, e: &Estimator<'_>) -> Result<()> {
    match e.opt(view, "n_outputs_").and_then(|v| view.int(v)) {
        Some(1) | None => Ok(()),
        Some(n) => Err(e.refuse("n_outputs_", n, "multi-output trees are not supported")),
    }
}

/// The feature count, bounded by what a node can name (32-bit features).
/// Nothing is allocated from it: importances are kept per used feature.
fn n_features(view: &View<'_, '_>, e: &Estimator<'_>) -> Result<usize> {
    view.int(e.attr(view, "n_features_in_")?)
        .and_then(|n| usize::try_from(n).ok())
        .filter(|&n| n > 0 && n <= MAX_TREE_FEATURES)
        .ok_or_else(|| e.bad("n_features_in_", "a positive integer of at most 2^32"))
}

fn bad(m: impl std::fmt::Display) -> Error {
    Error::Format(format!("sklearn: tree: {m}"))
}

/// Converts the `tree_` of the DecisionTreeClassifier `e`, for `k` classes.
fn convert(view: &View<'_, '_>, e: &Estimator<'_>, k: usize, p: usize) -> Result<Converted> {
    if e.class != Global::DecisionTreeClassifier {
        return Err(wrong(e.class, "DecisionTreeClassifier"));
    }
    check_single_output(view, e)?;
    let t = view.estimator(e.attr(view, "tree_")?)?;
    if t.class != Global::Tree {
        return Err(e.bad("tree_", "a sklearn.tree._tree.Tree"));
    }
    let nodes = numpy::array(view, t.attr(view, "nodes")?)?;
    let values = numpy::array(view, t.attr(view, "values")?)?;
    let n = nodes.len();
    let ints = |name: &str| nodes.field_i64s(name);
    let floats = |name: &str| nodes.field_f64s(name);
    let (left, right, feature) = (ints("left_child")?, ints("right_child")?, ints("feature")?);
    let threshold = floats("threshold")?;
    let impurity = floats("impurity")?;
    let weight = floats("weighted_n_node_samples")?;
    match values.shape.as_slice() {
        [rows, 1, kk] if *rows == n && *kk == k => {}
        s => {
            return Err(bad(format!(
                "value has shape {s:?}, expected ({n}, 1, {k}) for {k} classes"
            )))
        }
    }
    let values = values.f64s()?;
    if n == 0 {
        return Err(bad("no node"));
    }
    let child = |c: i64| usize::try_from(c).ok().filter(|&c| c < n);
    // Pre-order walk; `patch` is the internal node (in output order) whose
    // right child the popped node is.
    let mut out_feature = Vec::with_capacity(n);
    let mut out_threshold = Vec::new();
    let mut out_right: Vec<u32> = Vec::new();
    let (mut leaf_len, mut leaf_class, mut leaf_value) = (Vec::new(), Vec::new(), Vec::new());
    let mut seen = vec![false; n];
    let mut stack: Vec<(usize, Option<usize>)> = vec![(0, None)];
    // Per used feature, in feature order: the sums are those of a dense
    // vector (whose other entries are zeros) without its size.
    let mut imp: BTreeMap<u32, f64> = BTreeMap::new();
    while let Some((i, patch)) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            return Err(bad(format!("node {i} is reached twice")));
        }
        let pos = out_feature.len() as u32;
        if let Some(k) = patch {
            out_right[k] = pos;
        }
        match (left[i], right[i]) {
            (-1, -1) => {
                out_feature.push(-1);
                let row = &values[i * k..(i + 1) * k];
                let mut sum: f64 = row.iter().sum();
                if sum == 0.0 {
                    sum = 1.0;
                }
                let mut len = 0u32;
                for (c, v) in row.iter().enumerate() {
                    let f = v / sum;
                    if f != 0.0 {
                        leaf_class.push(c as u32);
                        leaf_value.push(f);
                        len += 1;
                    }
                }
                leaf_len.push(len);
            }
            (l, r) => {
                let (Some(l), Some(r)) = (child(l), child(r)) else {
                    return Err(bad(format!(
                        "node {i} has children ({l}, {r}) out of range"
                    )));
                };
                let f = usize::try_from(feature[i])
                    .ok()
                    .filter(|&f| f < p)
                    .ok_or_else(|| bad(format!("node {i} splits on feature {}", feature[i])))?;
                *imp.entry(f as u32).or_insert(0.0) +=
                    weight[i] * impurity[i] - weight[l] * impurity[l] - weight[r] * impurity[r];
                out_feature.push(f as i64);
                out_threshold.push(threshold[i]);
                out_right.push(0);
                stack.push((r, Some(out_right.len() - 1)));
                stack.push((l, None));
            }
        }
    }
    if out_feature.len() != n {
        return Err(bad(format!(
            "{} of {n} nodes are reachable from the root",
            out_feature.len()
        )));
    }
    let importances = if n > 1 {
        let root = weight[0];
        imp.values_mut().for_each(|v| *v /= root);
        let total: f64 = imp.values().sum();
        if total > 0.0 {
            imp.values_mut().for_each(|v| *v /= total);
        }
        Some(imp)
    } else {
        None
    };
    let tree = Tree::from_preorder(
        out_feature,
        out_threshold,
        out_right,
        leaf_len,
        leaf_class,
        leaf_value,
    )?;
    Ok(Converted { tree, importances })
}

fn sparse(imp: &BTreeMap<u32, f64>) -> Vec<(u32, f64)> {
    imp.iter()
        .filter(|(_, v)| **v != 0.0)
        .map(|(&f, &v)| (f, v))
        .collect()
}

/// A scikit-learn `DecisionTreeClassifier` over the given classes.
pub(crate) fn decision_tree<L: Label>(
    view: &View<'_, '_>,
    e: &Estimator<'_>,
    classes: Vec<L>,
) -> Result<DecisionTreeClassifier<L>> {
    let p = n_features(view, e)?;
    let c = convert(view, e, classes.len(), p)?;
    let imp = c.importances.unwrap_or_default();
    DecisionTreeClassifier::from_parts(classes, p, c.tree, sparse(&imp))
}

/// A scikit-learn `RandomForestClassifier` over the given classes.
pub(crate) fn random_forest<L: Label>(
    view: &View<'_, '_>,
    e: &Estimator<'_>,
    classes: Vec<L>,
) -> Result<RandomForestClassifier<L>> {
    if e.class != Global::RandomForestClassifier {
        return Err(wrong(e.class, "RandomForestClassifier"));
    }
    check_single_output(view, e)?;
    let p = n_features(view, e)?;
    let list = view
        .seq(e.attr(view, "estimators_")?)
        .ok_or_else(|| e.bad("estimators_", "a list"))?;
    // Trees convert independently: in parallel, then summed in order (so
    // the importances are the same on any number of threads).
    let converted = list
        .par_iter()
        .enumerate()
        .map(|(t, v)| {
            let te = view.estimator(*v)?;
            convert(view, &te, classes.len(), p)
                .map_err(|err| Error::Format(format!("estimators_[{t}]: {err}")))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut trees = Vec::with_capacity(list.len());
    let mut sum: BTreeMap<u32, f64> = BTreeMap::new();
    let mut counted = 0usize;
    for c in converted {
        if let Some(imp) = c.importances {
            for (f, v) in imp {
                *sum.entry(f).or_insert(0.0) += v;
            }
            counted += 1;
        }
        trees.push(c.tree);
    }
    if counted > 0 {
        sum.values_mut().for_each(|v| *v /= counted as f64);
        let total: f64 = sum.values().sum();
        if total > 0.0 {
            sum.values_mut().for_each(|v| *v /= total);
        }
    }
    RandomForestClassifier::from_parts(classes, p, trees, sparse(&sum))
}
