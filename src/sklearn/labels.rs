//! Class labels read from a `classes_` array: `String` for string classes,
//! `i64` for integer classes, and a mismatch is an error naming both.

use super::numpy::Array;
use super::value::View;
use crate::error::{Error, Result};
use crate::traits::Label;

mod sealed {
    pub trait Sealed {}
    impl Sealed for String {}
    impl Sealed for i64 {}
}

/// The classes of a file, as stored.
#[doc(hidden)]
#[derive(Debug)]
pub enum Classes {
    /// String classes.
    Strings(Vec<String>),
    /// Integer classes.
    Ints(Vec<i64>),
}

/// A label type a scikit-learn `classes_` array can be read as:
/// `String` (string classes) or `i64` (integer classes).
pub trait SklearnLabel: Label + sealed::Sealed {
    /// The Rust type's name, for messages.
    #[doc(hidden)]
    const NAME: &'static str;
    /// Takes the classes if they are of this type.
    #[doc(hidden)]
    fn take(c: Classes) -> std::result::Result<Vec<Self>, Classes>;
}

impl SklearnLabel for String {
    const NAME: &'static str = "String";
    fn take(c: Classes) -> std::result::Result<Vec<Self>, Classes> {
        match c {
            Classes::Strings(s) => Ok(s),
            other => Err(other),
        }
    }
}

impl SklearnLabel for i64 {
    const NAME: &'static str = "i64";
    fn take(c: Classes) -> std::result::Result<Vec<Self>, Classes> {
        match c {
            Classes::Ints(s) => Ok(s),
            other => Err(other),
        }
    }
}

/// Reads a `classes_` array as strings or integers.
pub(crate) fn classes(view: &View<'_, '_>, a: &Array<'_>) -> Result<Classes> {
    if a.shape.len() != 1 {
        return Err(Error::Format(format!(
            "sklearn: classes_ has shape {:?}, expected one dimension",
            a.shape
        )));
    }
    if let Some(s) = a.strings(view)? {
        return Ok(Classes::Strings(s));
    }
    a.i64s(view).map(Classes::Ints).map_err(|_| {
        Error::Unsupported(format!(
            "classes_ of dtype {} (only string and integer classes are read)",
            a.dtype
        ))
    })
}

/// The classes as `L`, or an error naming the file's type and `L`.
pub(crate) fn as_labels<L: SklearnLabel>(c: Classes) -> Result<Vec<L>> {
    L::take(c).map_err(|c| {
        let (found, want) = match c {
            Classes::Strings(_) => ("strings", "String"),
            Classes::Ints(_) => ("integers", "i64"),
        };
        Error::Unsupported(format!(
            "the file's classes are {found}, but they were requested as {}: load with {want} labels",
            L::NAME
        ))
    })
}

/// Reads a `classes_` array as `L`.
pub(crate) fn read<L: SklearnLabel>(view: &View<'_, '_>, a: &Array<'_>) -> Result<Vec<L>> {
    as_labels(classes(view, a)?)
}
