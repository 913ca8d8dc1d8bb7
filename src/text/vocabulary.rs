//! A fitted vocabulary: the terms in column order, kept in whichever form
//! they arrived in, the other form made on first use.
//!
//! A fit produces the terms as `String`s and `fit_transform` never looks a
//! term up, so the lookup table waits for the first `transform`. A model
//! loaded from a scikit-learn pickle arrives as a dict to look terms up
//! in, so it builds the table straight from the file's bytes and makes no
//! `String` per term (10^5 allocations, and a second copy of every term,
//! on a large vocabulary) unless a caller asks for
//! [`feature_names`](super::CountVectorizer::feature_names).

use std::sync::OnceLock;

use serde::ser::{Serialize, SerializeSeq, Serializer};

use super::intern::Interner;

/// The terms in column order, as `String`s, an interner, or both.
#[derive(Debug, Clone)]
pub(crate) struct Vocabulary {
    /// Set at construction unless `index` is.
    strings: OnceLock<Vec<String>>,
    /// Set at construction unless `strings` is.
    index: OnceLock<Interner>,
}

impl Vocabulary {
    /// Terms known only as strings (a fit's, sorted: no duplicates); the
    /// lookup table is built on first use.
    pub(crate) fn from_strings(terms: Vec<String>) -> Self {
        Self {
            strings: OnceLock::from(terms),
            index: OnceLock::new(),
        }
    }

    /// Terms as strings with their lookup table; `Err(term)` if a term
    /// repeats an earlier one.
    pub(crate) fn indexed(terms: Vec<String>) -> Result<Self, String> {
        let index = Interner::from_terms(&terms).map_err(|i| terms[i].clone())?;
        Ok(Self {
            strings: OnceLock::from(terms),
            index: OnceLock::from(index),
        })
    }

    /// Terms as a lookup table only; `Err(term)` if a term repeats an
    /// earlier one. The strings are made if a caller asks for them.
    pub(crate) fn from_strs(terms: &[&str]) -> Result<Self, String> {
        let index = Interner::from_terms(terms).map_err(|i| terms[i].to_owned())?;
        Ok(Self {
            strings: OnceLock::new(),
            index: OnceLock::from(index),
        })
    }

    /// Number of terms.
    pub(crate) fn len(&self) -> usize {
        match (self.strings.get(), self.index.get()) {
            (Some(s), _) => s.len(),
            (None, Some(i)) => i.len(),
            (None, None) => 0,
        }
    }

    /// Term `i` (empty if out of range).
    pub(crate) fn term(&self, i: usize) -> &str {
        match (self.strings.get(), self.index.get()) {
            (Some(s), _) => s.get(i).map_or("", String::as_str),
            (None, Some(x)) => u32::try_from(i).map_or("", |i| x.term(i)),
            (None, None) => "",
        }
    }

    /// The terms in order.
    pub(crate) fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.term(i))
    }

    /// The terms as strings, made from the lookup table on first use.
    pub(crate) fn strings(&self) -> &[String] {
        self.strings
            .get_or_init(|| self.iter().map(str::to_owned).collect())
    }

    /// The term -> column table, built from the strings on first use. A
    /// duplicate (which only a hand-made saved file has) leaves the table
    /// empty, which the loader's check (`len` differs) reports.
    pub(crate) fn index(&self) -> &Interner {
        self.index.get_or_init(|| {
            Interner::from_terms(self.strings.get().map_or(&[][..], Vec::as_slice))
                .unwrap_or_default()
        })
    }
}

/// Saved as the list of terms.
impl Serialize for Vocabulary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for t in self.iter() {
            seq.serialize_element(t)?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::Vocabulary;

    #[test]
    fn both_forms_give_the_same_terms_and_columns() {
        let words = ["b", "a", "longer than eight", "é"];
        let owned: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        for v in [
            Vocabulary::from_strings(owned.clone()),
            Vocabulary::indexed(owned.clone()).unwrap(),
            Vocabulary::from_strs(&words).unwrap(),
        ] {
            assert_eq!(v.len(), 4);
            assert_eq!(v.iter().collect::<Vec<_>>(), words);
            assert_eq!(v.index().get("longer than eight"), Some(2));
            assert_eq!(v.strings(), owned);
            assert_eq!(serde_json::to_value(&v).unwrap(), serde_json::json!(words));
        }
        assert_eq!(Vocabulary::from_strs(&["x", "y", "x"]).unwrap_err(), "x");
        assert_eq!(
            Vocabulary::indexed(vec!["y".into(), "y".into()]).unwrap_err(),
            "y"
        );
        // A duplicate in terms known only as strings: an empty table.
        let dup = Vocabulary::from_strings(vec!["x".into(), "x".into()]);
        assert_eq!(dup.index().len(), 0);
    }
}
