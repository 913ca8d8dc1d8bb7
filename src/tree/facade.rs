//! The tree module as the rest of the crate sees it: the one door through
//! which the random forest validates its tree options, grows, stores,
//! predicts with and weighs its trees, and through which the scikit-learn
//! loader builds a stored tree. The builder, the column views and the node
//! layout behind it stay private to `tree`, so they can change without
//! touching the forest.

// The options a forest shares with one tree, their setters and checks.
pub(crate) use super::classifier::{seed_u32, tree_option_setters, validate_common};
pub(crate) use super::options::{check_fit_input, ensure_fit_memory, negative_size, TreeOptions};

// Labels and class weights, encoded as the builder reads them.
pub(crate) use super::options::{balanced, class_weights, encode_labels};

// Growing one tree on a training set shared by all trees of a forest.
pub(crate) use super::builder::{grow, GrowConfig};
pub(crate) use super::data::TrainSet;
pub(crate) use super::structure::Tree;

// What a grown tree gives back: probabilities (in bag and out of bag),
// depth and impurity-based importances.
pub(crate) use super::classifier::{dense_importances, impl_predict_proba, tree_depth};
pub(crate) use super::predict::{oob_proba, predict_proba};

// The widest feature index a stored tree may hold.
pub(crate) use super::classifier::MAX_TREE_FEATURES;
