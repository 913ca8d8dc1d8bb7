//! Documentation only: the scikit-learn rules behind proba's numbers, cited
//! by the code as `parity §N.M` (this page's sections).
#![doc = include_str!("parity.md")]
