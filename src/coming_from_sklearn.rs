//! # Coming from scikit-learn
//!
//! A page of documentation only: scikit-learn's names and habits, and
//! where proba's are the same, spelled differently, or different on
//! purpose.
//!
//! ## The same numbers
//!
//! With the same data and settings, the vectorizers, logistic regression,
//! SGD, trees and forests give scikit-learn's numbers: the same vocabulary
//! and TF-IDF entries within 1e-12; the same trees and forest
//! probabilities for the same seed; logistic regression on the same L-BFGS
//! path (the same number of iterations, probabilities within 1e-6 at the
//! default `tol`); SGD coefficients on sparse input to the last bit,
//! seeded shuffling included.
//! The parity tests hold proba to fixtures written by scikit-learn 1.9.1
//! (and 1.3.2 for the pickle reader). A forest's `seed` is scikit-learn's
//! `random_state`: the same seed draws the same bootstrap samples and
//! features.
//!
//! ## Names
//!
//! | scikit-learn | proba |
//! |---|---|
//! | `TfidfVectorizer(ngram_range=(1, 2), min_df=2)` | [`TfidfVectorizer::params()`](crate::text::TfidfVectorizer::params)`.ngram_range(1, 2).min_df(2)` |
//! | `CountVectorizer()`, `HashingVectorizer(n_features=2**18)` | [`CountVectorizer::params()`](crate::text::CountVectorizer::params), [`HashingVectorizer::params()`](crate::text::HashingVectorizer::params)`.n_features(1 << 18).build()?` |
//! | `TfidfTransformer().fit(counts)` | [`TfidfTransformer::params()`](crate::text::TfidfTransformer::params)`.fit(&counts)?` |
//! | `LogisticRegression(C=10.0)` | [`LogisticRegression::params()`](crate::linear::LogisticRegression::params)`.c(10.0)` |
//! | `SGDClassifier(loss="log_loss", alpha=1e-4)` | [`SgdClassifier::params()`](crate::linear::SgdClassifier::params)`.loss(SgdLoss::LogLoss).alpha(1e-4)` |
//! | `RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=2)` | [`RandomForestClassifier::params()`](crate::ensemble::RandomForestClassifier::params)`.n_estimators(100).seed(0).n_jobs(2)` |
//! | `DecisionTreeClassifier(max_depth=5)` | [`DecisionTreeClassifier::params()`](crate::tree::DecisionTreeClassifier::params)`.max_depth(5)` |
//! | `OneVsRestClassifier(LogisticRegression())` on `MultiLabelBinarizer().fit_transform(sets)` | [`OneVsRestClassifier::params(LogisticRegression::params())`](crate::multilabel::OneVsRestClassifier::params)`.fit(&x, &sets)`: the label sets go in as they are |
//! | `make_pipeline(TfidfVectorizer(), LogisticRegression())` | [`Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params())`](crate::pipeline::Pipeline::params) |
//! | `est.fit(X, y)` | `params.fit(&x, &y)?` returns a new fitted model; the parameters stay reusable |
//! | `est.fit(X, y, sample_weight=w)` | `params.fit_weighted(&x, &y, &w)?` ([`FitWeighted`](crate::FitWeighted): logistic regression, SGD, and a pipeline over them) |
//! | `predict_proba`, `predict`, `decision_function` | the same names ([`PredictProba`](crate::PredictProba), [`DecisionFunction`](crate::DecisionFunction)) |
//! | `classes_`, `coef_`, `intercept_`, `n_iter_` | `classes()`, `coef()`, `intercept()`, `n_iter()` |
//! | `vocabulary_`, `get_feature_names_out()`, `idf_` | `vocabulary()`, `feature_names()`, `idf()` |
//! | `feature_importances_`, `oob_score_` | `feature_importances()`, `oob_score()` |
//! | `pickle.dump(model, f)` / `pickle.load(f)` | [`io::save`](crate::io::save) / [`io::load`](crate::io::load) (checked JSON) |
//! | an existing `model.pkl` or `joblib` file | `proba::sklearn::load::<T>(path)` (cargo feature `sklearn`, on by default): read without executing anything |
//! | `train_test_split`, `StratifiedKFold` | [`model_selection`](crate::model_selection) (`train_test_split`, `stratified_train_test_split`, `StratifiedKFold`: row indices) |
//! | `accuracy_score`, `log_loss`, `f1_score`, `classification_report` | [`metrics`](crate::metrics) (`accuracy`, `log_loss`, `f1_score`, `classification_report`) |
//!
//! Features are `&CsrMatrix` (what the vectorizers give), `&Array2<f64>` or
//! `&ArrayView2<f64>` from [`proba::ndarray`](crate::ndarray); texts are any
//! `&[S]` with `S: AsRef<str>`; labels are any [`Label`](crate::Label)
//! (`String`, `&str`, integers, ...), kept sorted as `np.unique` sorts them.
//!
//! ## Behaviours to know
//!
//! * **Errors, not warnings.** What scikit-learn rejects with a
//!   `ValueError` is an [`Error`](crate::Error) naming the parameter, the
//!   shape or the row (`min_df(0.0)` and `min_df(1)` keep their scikit-learn
//!   meanings: a float is a fraction, an integer a count). There are no
//!   warnings: a logistic regression that stopped at `max_iter` says so in
//!   `converged()` and `stop_reason()`.
//! * **Multilabel is its own answer.** A one-vs-rest model trained on label
//!   sets predicts label sets (`predict`, and
//!   [`PredictLabelSets`](crate::multilabel::PredictLabelSets) in generic
//!   code); its one-label `PredictProba::predict` is an error rather than
//!   an argmax of independent probabilities. One label per row is
//!   `fit_multiclass` (or `.multiclass()` inside a pipeline), as
//!   scikit-learn's multiclass `OneVsRestClassifier`.
//! * **Threads.** Everything parallel uses rayon's global pool (or `n_jobs`
//!   for forests) and gives the same result on any number of threads.
//!
//! ## Different on purpose
//!
//! * `max_features` in the vectorizers: ties at the cut-off are broken
//!   alphabetically; scikit-learn's order there depends on numpy's sort and
//!   is not portable.
//! * A fixed `vocabulary` term absent from the training texts with
//!   `smooth_idf(false)` has an infinite idf: `fit` is an error where
//!   scikit-learn produces a matrix of `inf`/`nan` that its own estimators
//!   then reject.
//! * A custom `token_pattern` is compiled by the `regex` crate (no
//!   look-around or back-references; `\w` follows Unicode, which counts
//!   combining marks). The default pattern is matched exactly as Python
//!   does. There are no `preprocessor`, `tokenizer` or callable `analyzer`
//!   hooks.
//! * `max_iter(0)` is an error (scikit-learn returns the all-zero starting
//!   point with a warning); so is `c(f64::INFINITY)`, scikit-learn's way to
//!   turn the penalty off (a large finite `c` comes close), and an n-gram
//!   size of 0 (scikit-learn then counts the empty string as a term).
//!   Every other setting scikit-learn's own validation refuses, proba
//!   refuses too, and the other way round: `tests/api/params.rs`
//!   holds the two to the same verdicts on 33 cases.
//! * One-vs-rest on label sets that are all empty is
//!   [`Error::EmptyInput`](crate::Error::EmptyInput) (scikit-learn fits
//!   constant predictors with a warning); a label present in every row or
//!   in none still gets a constant probability of 1 or 0, as there, listed
//!   by `constant_labels()`.
//! * Logistic regression, SGD and multiclass one-vs-rest on a single class
//!   are [`Error::TooFewClasses`](crate::Error::TooFewClasses), as in
//!   scikit-learn; a tree or a forest on one class predicts it with
//!   probability 1, as there.
//! * Feature importances are never negative: where rounding makes a
//!   split's impurity decrease slightly negative (about 1e-9 of the total,
//!   with class weights far apart), proba adds 0 and scikit-learn adds the
//!   negative term.
//! * Saved models are JSON files that name their full type (for example
//!   `Pipeline<TfidfVectorizer, LogisticRegression<String>>`) and are
//!   validated on load, rather than pickles.
