//! [`MultiLabelBinarizer`]: label sets to a 0/1 indicator matrix and back
//! (the documentation and example are on the type).

use std::collections::{BTreeSet, HashMap};
use std::fmt::Debug;
use std::marker::PhantomData;

use ndarray::{Array2, ArrayView2, AsArray, Ix2};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::io::Persist;
use crate::traits::Label;

/// Parameters of a [`MultiLabelBinarizer`]: optionally, the classes in a
/// fixed order. Built by [`MultiLabelBinarizer::params`].
#[derive(Debug, Clone)]
pub struct MultiLabelBinarizerParams<L> {
    classes: Option<Vec<L>>,
    _label: PhantomData<fn() -> L>,
}

impl<L: Label> MultiLabelBinarizerParams<L> {
    /// Uses exactly these classes, in this order, instead of learning them
    /// (scikit-learn's `classes=`). `fit` then ignores its input; labels
    /// outside this list are unknown at transform. Duplicates are an error
    /// at `fit`.
    pub fn classes(mut self, classes: Vec<L>) -> Self {
        self.classes = Some(classes);
        self
    }

    /// Learns the sorted set of all labels in `label_sets` (or takes the
    /// classes given with [`classes`](Self::classes)).
    ///
    /// Errors: [`Error::EmptyInput`] if no class results (no sets, or every
    /// set empty, or an empty `classes` list); [`Error::InvalidParameter`]
    /// naming `classes` if a given class is repeated.
    pub fn fit(&self, label_sets: &[Vec<L>]) -> Result<MultiLabelBinarizer<L>> {
        match &self.classes {
            Some(classes) => MultiLabelBinarizer::from_classes(classes.clone()),
            None => {
                let set: BTreeSet<&L> = label_sets.iter().flatten().collect();
                if set.is_empty() {
                    return Err(Error::EmptyInput(if label_sets.is_empty() {
                        "no label sets"
                    } else {
                        "every label set is empty"
                    }));
                }
                MultiLabelBinarizer::from_classes(set.into_iter().cloned().collect())
            }
        }
    }

    /// [`fit`](Self::fit) then [`MultiLabelBinarizer::transform`] on the same sets.
    pub fn fit_transform(
        &self,
        label_sets: &[Vec<L>],
    ) -> Result<(MultiLabelBinarizer<L>, Array2<u8>)> {
        let mlb = self.fit(label_sets)?;
        let y = mlb.transform(label_sets)?;
        Ok((mlb, y))
    }
}

/// A fitted label-set binarizer: label sets to a 0/1 indicator matrix and back.
///
/// Multilabel targets are one set of labels per sample. Models need them as
/// an `n_samples x n_classes` 0/1 matrix, one column per class. The
/// binarizer learns the classes (sorted, as scikit-learn's
/// `MultiLabelBinarizer`), or takes them in a given order, then converts
/// both ways.
///
/// ```
/// use proba::multilabel::MultiLabelBinarizer;
///
/// let sets = vec![vec!["sci-fi", "drama"], vec![], vec!["comedy", "comedy"]];
/// let mlb = MultiLabelBinarizer::params().fit(&sets)?;
/// assert_eq!(mlb.classes(), &["comedy", "drama", "sci-fi"]);
/// let y = mlb.transform(&sets)?;
/// assert_eq!(y, ndarray::array![[0, 1, 1], [0, 0, 0], [1, 0, 0]]);
/// assert_eq!(mlb.inverse_transform(&y)?[0], vec!["drama", "sci-fi"]);
///
/// // Labels unseen at fit are ignored, as in scikit-learn; ask for them if you care.
/// let (y, unknown) = mlb.transform_reporting_unknown(&[vec!["horror", "drama"]])?;
/// assert_eq!(y, ndarray::array![[0, 1, 0]]);
/// assert_eq!(unknown, vec!["horror"]);
/// # Ok::<(), proba::Error>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(
    try_from = "BinarizerParts<L>",
    bound(
        serialize = "L: Serialize",
        deserialize = "L: Deserialize<'de> + Label"
    )
)]
pub struct MultiLabelBinarizer<L> {
    classes: Vec<L>,
    #[serde(skip)]
    index: HashMap<L, usize>,
}

/// The serialized form, checked (no duplicate class) when converted.
#[derive(Deserialize)]
#[serde(bound(deserialize = "L: Deserialize<'de>"))]
struct BinarizerParts<L> {
    classes: Vec<L>,
}

impl<L: Label> TryFrom<BinarizerParts<L>> for MultiLabelBinarizer<L> {
    type Error = Error;
    fn try_from(parts: BinarizerParts<L>) -> Result<Self> {
        Self::from_classes(parts.classes)
    }
}

impl<L: PartialEq> PartialEq for MultiLabelBinarizer<L> {
    fn eq(&self, other: &Self) -> bool {
        self.classes == other.classes
    }
}

impl<L: Label> MultiLabelBinarizer<L> {
    /// The builder: `MultiLabelBinarizer::params().fit(&label_sets)`.
    pub fn params() -> MultiLabelBinarizerParams<L> {
        MultiLabelBinarizerParams {
            classes: None,
            _label: PhantomData,
        }
    }

    /// A binarizer over exactly these classes, in this order (no fit needed).
    ///
    /// Errors: [`Error::EmptyInput`] for an empty list,
    /// [`Error::InvalidParameter`] naming `classes` for a repeated class.
    pub fn from_classes(classes: Vec<L>) -> Result<Self> {
        if classes.is_empty() {
            return Err(Error::EmptyInput("the list of classes is empty"));
        }
        let mut index = HashMap::with_capacity(classes.len());
        for (j, c) in classes.iter().enumerate() {
            if index.insert(c.clone(), j).is_some() {
                return Err(Error::invalid_param(
                    "classes",
                    format!("{c:?}"),
                    "is given more than once; classes must be distinct",
                ));
            }
        }
        Ok(Self { classes, index })
    }

    /// The classes, in column order.
    pub fn classes(&self) -> &[L] {
        &self.classes
    }

    /// Number of classes (columns of the indicator matrix).
    pub fn n_classes(&self) -> usize {
        self.classes.len()
    }

    /// The column of `label`, or `None` if it is not a class.
    pub fn class_index(&self, label: &L) -> Option<usize> {
        self.index.get(label).copied()
    }

    /// The `n_sets x n_classes` 0/1 matrix: entry `(i, j)` is 1 iff set `i`
    /// holds class `j` (a label repeated within a set counts once). Labels
    /// that are not classes are ignored, as in scikit-learn; use
    /// [`transform_reporting_unknown`](Self::transform_reporting_unknown) to
    /// learn which. Never fails today; returns `Result` like every transform
    /// of the crate.
    pub fn transform(&self, label_sets: &[Vec<L>]) -> Result<Array2<u8>> {
        Ok(self.binarize(label_sets, |_| {}))
    }

    /// Like [`transform`](Self::transform), and also returns the labels that
    /// were ignored because they are not classes: distinct and sorted
    /// (scikit-learn only warns about them).
    pub fn transform_reporting_unknown(
        &self,
        label_sets: &[Vec<L>],
    ) -> Result<(Array2<u8>, Vec<L>)> {
        let mut unknown = BTreeSet::new();
        let y = self.binarize(label_sets, |l| {
            unknown.insert(l);
        });
        Ok((y, unknown.into_iter().cloned().collect()))
    }

    /// The distinct labels of `label_sets` that are not classes, sorted.
    pub fn unknown_labels(&self, label_sets: &[Vec<L>]) -> Vec<L> {
        let unknown: BTreeSet<&L> = label_sets
            .iter()
            .flatten()
            .filter(|l| !self.index.contains_key(*l))
            .collect();
        unknown.into_iter().cloned().collect()
    }

    fn binarize<'a>(
        &self,
        label_sets: &'a [Vec<L>],
        mut on_unknown: impl FnMut(&'a L),
    ) -> Array2<u8> {
        let mut y = Array2::zeros((label_sets.len(), self.classes.len()));
        for (mut row, set) in y.rows_mut().into_iter().zip(label_sets) {
            for label in set {
                match self.index.get(label) {
                    // `j < n_classes` by construction of `index`.
                    Some(&j) => row[j] = 1,
                    None => on_unknown(label),
                }
            }
        }
        y
    }

    /// The label sets of a 0/1 indicator matrix (`&Array2<u8>` or an
    /// `ArrayView2<u8>`), classes in column order.
    ///
    /// Errors: [`Error::ShapeMismatch`] if the number of columns is not the
    /// number of classes; [`Error::InvalidParameter`] naming the row and
    /// column of a value other than 0 or 1.
    pub fn inverse_transform<'a>(&self, y: impl AsArray<'a, u8, Ix2>) -> Result<Vec<Vec<L>>> {
        let y: ArrayView2<'a, u8> = y.into();
        if y.ncols() != self.classes.len() {
            return Err(Error::shape(
                "number of indicator columns (classes)",
                self.classes.len(),
                y.ncols(),
            ));
        }
        y.rows()
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                let mut set = Vec::new();
                for (class, &v) in self.classes.iter().zip(row.iter()) {
                    match v {
                        0 => {}
                        1 => set.push(class.clone()),
                        other => {
                            return Err(Error::invalid_param(
                                "y",
                                other,
                                format!("row {i} holds a value other than 0 or 1"),
                            ))
                        }
                    }
                }
                Ok(set)
            })
            .collect()
    }
}

impl<L: Label> Persist for MultiLabelBinarizer<L> {
    const KIND: &'static str = "MultiLabelBinarizer";

    fn type_name() -> String {
        format!("MultiLabelBinarizer<{}>", crate::io::short_type_name::<L>())
    }

    /// Distinct, non-empty classes are already enforced while deserializing.
    fn validate(&self) -> Result<()> {
        if self.index.len() != self.classes.len() || self.classes.is_empty() {
            return Err(Error::Format(
                "classes must be distinct and non-empty".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn learns_sorted_classes_and_counts_repeats_once() {
        let sets = vec![vec![3, 1, 3], vec![], vec![2]];
        let (mlb, y) = MultiLabelBinarizer::params().fit_transform(&sets).unwrap();
        assert_eq!(mlb.classes(), &[1, 2, 3]);
        assert_eq!(y, array![[1, 0, 1], [0, 0, 0], [0, 1, 0]]);
        assert_eq!(
            mlb.inverse_transform(&y).unwrap(),
            vec![vec![1, 3], vec![], vec![2]]
        );
    }

    #[test]
    fn given_classes_keep_their_order_and_refuse_duplicates() {
        let mlb = MultiLabelBinarizer::params()
            .classes(vec!["z", "a"])
            .fit(&[])
            .unwrap();
        assert_eq!(mlb.classes(), &["z", "a"]);
        assert_eq!(mlb.transform(&[vec!["a"]]).unwrap(), array![[0, 1]]);
        let err = MultiLabelBinarizer::params()
            .classes(vec!["a", "b", "a"])
            .fit(&[])
            .unwrap_err();
        assert!(err.to_string().contains("`classes` = \"a\""), "{err}");
        assert!(matches!(
            MultiLabelBinarizer::<u8>::from_classes(vec![]),
            Err(Error::EmptyInput(_))
        ));
    }

    #[test]
    fn no_label_at_all_is_an_error() {
        let empty: Vec<Vec<String>> = vec![];
        assert!(matches!(
            MultiLabelBinarizer::params().fit(&empty),
            Err(Error::EmptyInput("no label sets"))
        ));
        assert!(matches!(
            MultiLabelBinarizer::<String>::params().fit(&[vec![], vec![]]),
            Err(Error::EmptyInput("every label set is empty"))
        ));
    }

    #[test]
    fn unknown_labels_are_ignored_and_reported() {
        let mlb = MultiLabelBinarizer::from_classes(vec![1, 2]).unwrap();
        let sets = vec![vec![9, 1], vec![7, 9]];
        let (y, unknown) = mlb.transform_reporting_unknown(&sets).unwrap();
        assert_eq!(y, array![[1, 0], [0, 0]]);
        assert_eq!(unknown, vec![7, 9]);
        assert_eq!(mlb.unknown_labels(&sets), vec![7, 9]);
        assert_eq!(mlb.transform(&sets).unwrap(), y);
        assert_eq!(mlb.class_index(&2), Some(1));
        assert_eq!(mlb.class_index(&9), None);
    }

    #[test]
    fn inverse_transform_checks_shape_and_values() {
        let mlb = MultiLabelBinarizer::from_classes(vec!['a', 'b']).unwrap();
        assert!(matches!(
            mlb.inverse_transform(&array![[1u8, 0, 0]]),
            Err(Error::ShapeMismatch {
                expected: 2,
                found: 3,
                ..
            })
        ));
        let err = mlb
            .inverse_transform(&array![[1u8, 0], [0, 2]])
            .unwrap_err();
        assert!(err.to_string().contains("row 1"), "{err}");
        let view = array![[1u8, 1]];
        assert_eq!(
            mlb.inverse_transform(view.view()).unwrap(),
            vec![vec!['a', 'b']]
        );
    }

    #[test]
    fn persists_and_refuses_duplicate_classes_on_load() {
        let mlb =
            MultiLabelBinarizer::from_classes(vec!["b".to_string(), "a".to_string()]).unwrap();
        let s = crate::io::to_string(&mlb).unwrap();
        let back: MultiLabelBinarizer<String> = crate::io::from_str(&s).unwrap();
        assert_eq!(back, mlb);
        assert_eq!(back.class_index(&"a".to_string()), Some(1));
        let dup = s.replace("[\"b\",\"a\"]", "[\"a\",\"a\"]");
        assert_ne!(dup, s);
        assert!(matches!(
            crate::io::from_str::<MultiLabelBinarizer<String>>(&dup),
            Err(Error::Format(_) | Error::Json(_))
        ));
    }
}
