//! Step 3 of the word analyzer: stop words, removed before n-grams are built.
//!
//! ```
//! use proba::text::{CountVectorizer, StopWords};
//! let cv = CountVectorizer::params()
//!     .stop_words(StopWords::English)
//!     .ngram_range(1, 2)
//!     .fit(&["jumps over the lazy dog"])?;
//! // N-grams span removed stop words, as in scikit-learn.
//! assert_eq!(cv.feature_names(), ["dog", "jumps", "jumps lazy", "lazy", "lazy dog"]);
//! # Ok::<(), proba::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::intern::Interner;

/// scikit-learn's built-in English stop words (318 words, sorted, one per line).
const ENGLISH_LIST: &str = include_str!("english_stop_words.txt");

/// The built-in English stop-word list, sorted (scikit-learn's `ENGLISH_STOP_WORDS`).
pub fn english_stop_words() -> impl Iterator<Item = &'static str> {
    ENGLISH_LIST
        .lines()
        .map(str::trim)
        .filter(|w| !w.is_empty())
}

/// Which tokens to drop (scikit-learn's `stop_words`; only used by the word analyzer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StopWords {
    /// The built-in English list (`stop_words='english'`).
    English,
    /// A caller-given list; membership is exact equality with the
    /// preprocessed (lowercased, accent-stripped) token.
    List(Vec<String>),
}

impl<S: Into<String>> From<Vec<S>> for StopWords {
    fn from(words: Vec<S>) -> Self {
        StopWords::List(words.into_iter().map(Into::into).collect())
    }
}

impl<S: Into<String> + Clone> From<&[S]> for StopWords {
    fn from(words: &[S]) -> Self {
        StopWords::List(words.iter().cloned().map(Into::into).collect())
    }
}

/// What `stop_words(...)` accepts: `StopWords::English`, `"english"`, a
/// `Vec` or slice of words, `None`, or an `Option<StopWords>`.
pub trait IntoStopWords {
    /// The stop-word setting (`None`: keep every token).
    fn into_stop_words(self) -> Option<StopWords>;

    /// A list name that is not one proba knows (any string but
    /// `"english"`), which `fit`/`build` then refuse, as scikit-learn does.
    #[doc(hidden)]
    fn unknown_name(&self) -> Option<String> {
        None
    }
}

impl IntoStopWords for StopWords {
    fn into_stop_words(self) -> Option<StopWords> {
        Some(self)
    }
}

impl IntoStopWords for Option<StopWords> {
    fn into_stop_words(self) -> Option<StopWords> {
        self
    }
}

/// `"english"` is the built-in list, as scikit-learn's `stop_words='english'`;
/// any other string (`"English"`, `"french"`, a single word) is refused by
/// `fit` with [`Error::InvalidParameter`](crate::Error::InvalidParameter)
/// naming `stop_words`, as scikit-learn refuses it. A one-word list is
/// `vec!["word"]`.
impl IntoStopWords for &str {
    fn into_stop_words(self) -> Option<StopWords> {
        (self == "english").then_some(StopWords::English)
    }

    fn unknown_name(&self) -> Option<String> {
        (*self != "english").then(|| self.to_string())
    }
}

impl<S: Into<String>> IntoStopWords for Vec<S> {
    fn into_stop_words(self) -> Option<StopWords> {
        Some(self.into())
    }
}

impl<S: Into<String> + Clone> IntoStopWords for &[S] {
    fn into_stop_words(self) -> Option<StopWords> {
        Some(self.into())
    }
}

impl StopWords {
    /// The set to test tokens against.
    pub(crate) fn to_set(&self) -> Interner {
        let mut set = Interner::with_capacity(320);
        match self {
            StopWords::English => english_stop_words().for_each(|w| {
                set.intern(w);
            }),
            StopWords::List(words) => words.iter().for_each(|w| {
                set.intern(w);
            }),
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_list_has_318_sorted_words() {
        let words: Vec<_> = english_stop_words().collect();
        assert_eq!(words.len(), 318);
        assert!(words.windows(2).all(|w| w[0] < w[1]));
        let set = StopWords::English.to_set();
        assert!(
            set.get("the").is_some() && set.get("yourselves").is_some() && set.get("fox").is_none()
        );
        let own = StopWords::from(vec!["x"]).to_set();
        assert!(own.get("x").is_some() && own.get("the").is_none());
    }
}
