//! The `serve` example (`examples/serve/`): its router over TCP and in
//! process, fuzzed, and its page in a real browser.
//!
//! `cargo test --release --test server`; the browser test alone (as
//! `.ci/run` runs it, with `PROBA_REQUIRE_BROWSER=1`):
//! `cargo test --release --test server -- browser:: --nocapture`.

#[path = "../../examples/serve/app.rs"]
mod app;
#[allow(dead_code)] // the browser test trains the demo models, nothing else
#[path = "../../examples/serve/demo.rs"]
mod demo;
#[path = "../../examples/serve/load.rs"]
mod load;
#[path = "../support/mod.rs"]
mod support;

mod browser;
mod fuzz;
mod router;

use proba::ensemble::RandomForestClassifier;
use proba::linear::LogisticRegression;
use proba::multilabel::OneVsRestClassifier;
use proba::pipeline::Pipeline;
use proba::text::TfidfVectorizer;

type Ovr = OneVsRestClassifier<LogisticRegression<bool>, String>;

/// The pipelines the router and the fuzzer serve, trained on `texts`:
/// logistic regression and a `trees`-tree forest (seed 0) on `labels`, and
/// one-vs-rest over each text's label plus "flies" (birds) or "mammal".
fn pipelines(
    texts: &[&str],
    labels: &[String],
    trees: usize,
) -> (
    Pipeline<LogisticRegression<String>>,
    Pipeline<Ovr>,
    Pipeline<RandomForestClassifier<String>>,
) {
    let lr = Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params())
        .fit(texts, labels)
        .unwrap();
    let sets: Vec<Vec<String>> = labels
        .iter()
        .map(|l| {
            let kind = if l == "bird" { "flies" } else { "mammal" };
            vec![l.clone(), kind.to_string()]
        })
        .collect();
    let ovr = Pipeline::params(
        TfidfVectorizer::params(),
        Ovr::params(LogisticRegression::params()),
    )
    .fit(texts, &sets)
    .unwrap();
    let rf = Pipeline::params(
        TfidfVectorizer::params(),
        RandomForestClassifier::params().n_estimators(trees).seed(0),
    )
    .fit(texts, labels)
    .unwrap();
    (lr, ovr, rf)
}
