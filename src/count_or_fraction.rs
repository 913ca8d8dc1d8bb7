//! [`CountOrFraction`]: scikit-learn's "int or float" row and document
//! counts, one type for the vectorizers and the trees.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A number of rows (or documents) given as a count or as a fraction of the
/// training set: `min_df`/`max_df` of the vectorizers (also named
/// [`DocFreq`](crate::text::DocFreq)) and `min_samples_split`,
/// `min_samples_leaf`, `max_samples` of trees and forests (also named
/// [`SampleSize`](crate::tree::SampleSize)).
///
/// Integers convert to [`Count`](Self::Count) and floats to
/// [`Fraction`](Self::Fraction), so `min_df(2)` and `min_df(0.1)` both
/// compile and mean what they mean in scikit-learn (`max_df(1)` is "at most
/// one document", `max_df(1.0)` "every document"). A negative integer
/// cannot be a count: it becomes a negative fraction, which `fit` refuses
/// as negative, naming the parameter. (`model_selection`'s `test_size`
/// keeps its own [`TestSize`](crate::model_selection::TestSize), whose
/// integers are row counts of a split.)
///
/// ```
/// use proba::CountOrFraction;
/// use proba::text::{DocFreq, TfidfVectorizer};
/// use proba::tree::SampleSize;
///
/// assert_eq!(CountOrFraction::from(2), CountOrFraction::Count(2));
/// assert_eq!(DocFreq::from(0.5), SampleSize::Fraction(0.5)); // one type
/// let docs = ["the cat", "the dog", "the bird"];
/// let v = TfidfVectorizer::params().min_df(2).fit(&docs)?;
/// assert_eq!(v.feature_names(), ["the"]);
/// let err = TfidfVectorizer::params().min_df(-1).fit(&docs).unwrap_err();
/// assert!(err.to_string().contains("min_df"));
/// # Ok::<(), proba::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum CountOrFraction {
    /// An absolute number of rows or documents.
    Count(usize),
    /// A fraction of the training rows or documents.
    Fraction(f64),
}

impl fmt::Display for CountOrFraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CountOrFraction::Count(n) => write!(f, "{n}"),
            CountOrFraction::Fraction(x) => write!(f, "{x:?}"),
        }
    }
}

macro_rules! from_unsigned {
    ($($t:ty),*) => {$(
        impl From<$t> for CountOrFraction {
            fn from(n: $t) -> Self {
                CountOrFraction::Count(usize::try_from(n).unwrap_or(usize::MAX))
            }
        }
    )*};
}

macro_rules! from_signed {
    ($($t:ty),*) => {$(
        /// A negative value is kept as a negative fraction, refused by
        /// every check with the value in the message.
        impl From<$t> for CountOrFraction {
            fn from(n: $t) -> Self {
                match usize::try_from(n) {
                    Ok(n) => CountOrFraction::Count(n),
                    Err(_) => CountOrFraction::Fraction(n as f64),
                }
            }
        }
    )*};
}

from_unsigned!(u8, u16, u32, u64, usize);
from_signed!(i8, i16, i32, i64, isize);

impl From<f64> for CountOrFraction {
    fn from(x: f64) -> Self {
        CountOrFraction::Fraction(x)
    }
}

impl From<f32> for CountOrFraction {
    fn from(x: f32) -> Self {
        CountOrFraction::Fraction(f64::from(x))
    }
}
