//! `LogisticRegression`: `classes_`, `coef_`, `intercept_`, with the
//! prediction rule of the scikit-learn release that wrote the file.

use ndarray::{Array1, Array2};

use super::globals::Global;
use super::numpy;
use super::text::wrong;
use super::value::{Estimator, View};
use crate::error::{Error, Result};
use crate::io::Persist;
use crate::linear::{LogisticRegression, StopReason};
use crate::traits::Label;

/// A scikit-learn `LogisticRegression` over the given (already typed) classes.
pub(crate) fn logistic<L: Label>(
    view: &View<'_, '_>,
    e: &Estimator<'_>,
    classes: Vec<L>,
) -> Result<LogisticRegression<L>> {
    if e.class != Global::LogisticRegression {
        return Err(wrong(e.class, "LogisticRegression"));
    }
    let k = classes.len();
    let multi_class = e.opt(view, "multi_class").and_then(|v| view.str(v));
    let solver = e.opt(view, "solver").and_then(|v| view.str(v));
    let ovr =
        multi_class == Some("ovr") || (multi_class == Some("auto") && solver == Some("liblinear"));
    if k > 2 && (ovr || solver == Some("liblinear")) {
        return Err(e.refuse(
            "multi_class",
            format!("{:?}", multi_class.unwrap_or("ovr")),
            "one-vs-rest logistic regression over 3+ classes is not proba's model \
             (use multi_class='multinomial', or OneVsRestClassifier)",
        ));
    }
    let coef = numpy::array(view, e.attr(view, "coef_")?)?;
    let intercept = numpy::array(view, e.attr(view, "intercept_")?)?;
    let (rows, cols) = match coef.shape.as_slice() {
        [r, c] => (*r, *c),
        _ => return Err(e.bad("coef_", "a 2-d array")),
    };
    let mut coef_v = coef.f64s()?;
    let mut intercept_v = intercept.f64s()?;
    if intercept_v.len() != rows {
        return Err(Error::shape(
            "LogisticRegression.intercept_ length",
            rows,
            intercept_v.len(),
        ));
    }
    // scikit-learn < 1.5 with an explicit multi_class='multinomial' on two
    // classes predicts softmax([-d, d]) = expit(2d): proba's binary rule on
    // doubled weights (an exact scaling).
    if k == 2 && multi_class == Some("multinomial") {
        coef_v.iter_mut().for_each(|w| *w *= 2.0);
        intercept_v.iter_mut().for_each(|b| *b *= 2.0);
    }
    let coef = Array2::from_shape_vec((rows, cols), coef_v)
        .map_err(|err| Error::Format(format!("sklearn: coef_: {err}")))?;
    let n_iter = e
        .opt(view, "n_iter_")
        .and_then(|v| numpy::array(view, v).ok())
        .and_then(|a| a.i64s(view).ok())
        .and_then(|v| v.into_iter().max())
        .unwrap_or(0)
        .max(0) as usize;
    let max_iter = e.opt(view, "max_iter").and_then(|v| view.int(v));
    let stop = if max_iter.is_some_and(|m| n_iter as i64 >= m) {
        StopReason::MaxIter
    } else {
        StopReason::Gradient
    };
    let m = LogisticRegression {
        classes,
        coef,
        intercept: Array1::from(intercept_v),
        n_iter,
        stop,
        // scikit-learn does not store the final objective.
        objective: 0.0,
    };
    m.validate()?;
    Ok(m)
}

/// The estimator `v`'s classes_ array.
pub(crate) fn classes_array<'p>(
    view: &View<'p, '_>,
    e: &Estimator<'p>,
) -> Result<numpy::Array<'p>> {
    numpy::array(view, e.attr(view, "classes_")?)
}

/// Binary sub-model classes (`[0, 1]` as written by one-vs-rest) as `[false, true]`.
pub(crate) fn binary_classes(view: &View<'_, '_>, e: &Estimator<'_>) -> Result<Vec<bool>> {
    let c = classes_array(view, e)?.i64s(view)?;
    if c != [0, 1] {
        return Err(e.bad("classes_", "[0, 1] in a one-vs-rest sub-model"));
    }
    Ok(vec![false, true])
}
