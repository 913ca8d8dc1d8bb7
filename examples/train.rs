//! Train a classifier on text or numeric features from JSONL or CSV,
//! evaluate it on held-out rows or by stratified k-fold cross-validation,
//! and save it (text models for `serve`).
//!
//! ```text
//! cargo run --release --example train -- --data ../shared/data/bbc.jsonl --out bbc-lr.json
//! cargo run --release --example train -- --data data/fortunes-demo.jsonl --model rf \
//!     --n-estimators 200 --min-df 2 --out fortunes-rf.json
//! cargo run --release --example train -- --data tags.csv --model ovr --label-key tags \
//!     --label-sep ';' --out tags-ovr.json
//! cargo run --release --example train -- --data ../shared/data/digits.csv --cv 5
//! ```
//!
//! `--help` lists every option with its meaning and default (scikit-learn's
//! names and defaults unless said otherwise). Features are text (TF-IDF of
//! `--text-key`) or numbers (`--columns`, or every column but the label),
//! chosen by `--features auto` from the data. Long fits show a progress bar
//! on stderr fed by the library's progress hook (`proba::progress`); a
//! logistic regression that stops at `--max-iter` without converging says so.

#[path = "train/bar.rs"]
mod bar;
#[path = "train/data.rs"]
mod data;
#[path = "train/model.rs"]
mod model;
#[path = "train/stream.rs"]
mod stream;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, ValueEnum};
use proba::linear::Solver;
use proba::metrics;
use proba::model_selection::{
    stratified_train_test_split, train_test_split, StratifiedKFold, TestSize,
};

use bar::with_bar;
use data::{RawLabel, Table};
use model::{argmax_labels, Fitted, Inputs, Targets};

const EXAMPLES: &str = "\
Examples:
  train --data ../shared/data/bbc.jsonl --out bbc-lr.json
  train --data data/fortunes-demo.jsonl --model rf --n-estimators 200 --min-df 2
  train --data tags.csv --model ovr --label-key tags --label-sep ';'
  train --data ../shared/data/digits.csv --cv 5            (numeric columns f0..f63)
  train --data table.csv --columns age,income --model rf   (chosen numeric columns)";

/// Train a classifier with class probabilities (TF-IDF + logistic
/// regression, random forest or one-vs-rest), evaluate it, save it.
#[derive(Parser, Debug, Clone)]
#[command(name = "train", after_help = EXAMPLES, after_long_help = EXAMPLES)]
pub struct Args {
    /// Training data: `.csv` (a header row, RFC 4180 quoting) or JSONL
    /// (any other extension: one JSON object per line).
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,

    /// What the features are: `text` (TF-IDF of --text-key), `numeric`
    /// (the numbers in --columns, or in every column but the label), or
    /// `auto`: numeric when --columns is given or the data has no
    /// --text-key column, else text.
    #[arg(long, value_enum, default_value_t = FeatureKind::Auto)]
    pub features: FeatureKind,

    /// Field (JSONL) or column (CSV) holding the text, for text features.
    #[arg(long, value_name = "K", default_value = "text")]
    pub text_key: String,

    /// Numeric feature columns, comma-separated, in this order (implies
    /// numeric features) [default with numeric features: every column
    /// except --label-key].
    #[arg(long, value_name = "A,B,..", value_delimiter = ',')]
    pub columns: Vec<String>,

    /// Field or column holding the label (for --model ovr: the label set).
    #[arg(long, value_name = "K", default_value = "label")]
    pub label_key: String,

    /// For --model ovr on CSV: the separator between the labels of a set
    /// (in JSONL a label set is a JSON list).
    #[arg(long, value_name = "SEP", default_value = ";")]
    pub label_sep: String,

    /// The model: `lr` logistic regression, `rf` random forest, `ovr`
    /// one-vs-rest logistic regression over label sets (multilabel).
    #[arg(long, value_enum, default_value_t = ModelKind::Lr)]
    pub model: ModelKind,

    /// Logistic regression: inverse regularization strength (smaller is
    /// stronger).
    #[arg(long = "c", value_name = "C", default_value_t = 1.0)]
    pub c: f64,

    /// Logistic regression: the most solver iterations; stopping there
    /// without converging prints a warning.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub max_iter: usize,

    /// Logistic regression: the optimizer. `lbfgs` gives scikit-learn's
    /// default answer; `newton-cg` reaches the optimum in few iterations and
    /// is much faster on large vocabularies with many classes.
    #[arg(long, value_enum, default_value_t = SolverArg::Lbfgs)]
    pub solver: SolverArg,

    /// Random forest: number of trees.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub n_estimators: usize,

    /// Random forest: the deepest a tree may grow [default: unlimited].
    #[arg(long, value_name = "N")]
    pub max_depth: Option<usize>,

    /// Seed of the forest, of the train/test split and of --cv-shuffle.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,

    /// TF-IDF: ignore terms in fewer documents than this; an integer is a
    /// count, a number with a point (`0.01`) a fraction of the documents.
    #[arg(long, value_name = "N|F", default_value = "1", value_parser = parse_min_df)]
    pub min_df: MinDf,

    /// TF-IDF: ignore terms in more than this fraction of the documents.
    #[arg(long, value_name = "F", default_value_t = 1.0)]
    pub max_df: f64,

    /// TF-IDF: the range of n-gram sizes, `MIN,MAX` (`1,2`: words and pairs).
    #[arg(long, value_name = "MIN,MAX", default_value = "1,1", value_parser = parse_ngram)]
    pub ngram: (usize, usize),

    /// TF-IDF: use `1 + ln(tf)` instead of the raw term count.
    #[arg(long)]
    pub sublinear_tf: bool,

    /// TF-IDF: keep only the N most frequent terms [default: all].
    #[arg(long, value_name = "N")]
    pub max_features: Option<usize>,

    /// Held-out share: a fraction (`0.2`) or a row count (`500`);
    /// stratified by label except for --model ovr, seeded by --seed.
    #[arg(long, value_name = "F|N", default_value = "0.2", value_parser = parse_test_size)]
    pub test_size: TestSizeArg,

    /// How to hold rows out: `stratified` (by --test-size) or `mod5` (row
    /// `i` is a test row iff `i % 5 == 0`, the rule of the shared data).
    #[arg(long, value_enum, default_value_t = Split::Stratified)]
    pub split: Split,

    /// Instead of one held-out split, stratified K-fold cross-validation:
    /// prints accuracy and log loss per fold, then their mean and standard
    /// deviation; with --out the saved model is then fitted on all rows.
    /// Not for --model ovr [default: off].
    #[arg(long, value_name = "K")]
    pub cv: Option<usize>,

    /// With --cv: shuffle each class's rows (seeded by --seed) before
    /// assigning folds; without it folds follow the file order, as
    /// scikit-learn's `cross_val_score(cv=K)`.
    #[arg(long)]
    pub cv_shuffle: bool,

    /// --model ovr: a label is predicted when its probability exceeds this.
    #[arg(long, value_name = "F", default_value_t = 0.5)]
    pub threshold: f64,

    /// Train out of core, in bounded memory, on a JSONL file of any size:
    /// read in chunks, hash the text (HashingVectorizer, --n-features),
    /// then SGD (`partial_fit`) for --epochs passes; a hash of each line
    /// holds --test-size of the rows out. Uses --text-key, --label-key,
    /// --ngram, --seed, --out; not the --model options.
    #[arg(long)]
    pub stream: bool,

    /// --stream: lines per chunk (memory grows with it).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub chunk_rows: usize,

    /// --stream: number of hashed feature columns.
    #[arg(long, value_name = "N", default_value_t = 1 << 20)]
    pub n_features: usize,

    /// --stream: learn an idf in a first pass and train on TF-IDF
    /// (else on l2-normalised counts).
    #[arg(long)]
    pub idf: bool,

    /// --stream: passes of SGD over the file.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub epochs: usize,

    /// --stream: the SGD loss, `log_loss`, `modified_huber` or `hinge`
    /// (the last gives no probabilities, so no log loss).
    #[arg(long, value_name = "LOSS", default_value = "log_loss")]
    pub loss: String,

    /// --stream: the SGD regularisation strength.
    #[arg(long, value_name = "F", default_value_t = 1e-4)]
    pub alpha: f64,

    /// Where to save the model (a `proba::io` JSON file) [default: not saved].
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

/// What the features are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FeatureKind {
    /// Numeric if --columns is given or there is no --text-key column, else text.
    Auto,
    /// TF-IDF of the --text-key column.
    Text,
    /// Numbers from --columns (or every column but the label).
    Numeric,
}

/// The model to train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelKind {
    /// Logistic regression (multinomial for 3+ classes).
    Lr,
    /// Random forest.
    Rf,
    /// One-vs-rest logistic regression over label sets.
    Ovr,
}

/// `--solver`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SolverArg {
    /// L-BFGS on scipy's path: scikit-learn's default answer.
    Lbfgs,
    /// Newton-CG: the optimum in few iterations.
    NewtonCg,
}

impl From<SolverArg> for Solver {
    fn from(s: SolverArg) -> Solver {
        match s {
            SolverArg::Lbfgs => Solver::Lbfgs,
            SolverArg::NewtonCg => Solver::NewtonCg,
        }
    }
}

/// `--split`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Split {
    /// A stratified random split of --test-size.
    Stratified,
    /// Row `i` is a test row iff `i % 5 == 0`.
    Mod5,
}

/// `--min-df`: a document count or a fraction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MinDf {
    Count(usize),
    Fraction(f64),
}

/// `--test-size`: a fraction or a row count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TestSizeArg {
    Fraction(f64),
    Count(usize),
}

fn looks_fractional(s: &str) -> bool {
    s.contains(['.', 'e', 'E'])
}

fn parse_min_df(s: &str) -> Result<MinDf, String> {
    if looks_fractional(s) {
        s.parse()
            .map(MinDf::Fraction)
            .map_err(|_| format!("expected a count like 2 or a fraction like 0.01, got {s:?}"))
    } else {
        s.parse()
            .map(MinDf::Count)
            .map_err(|_| format!("expected a count like 2 or a fraction like 0.01, got {s:?}"))
    }
}

fn parse_test_size(s: &str) -> Result<TestSizeArg, String> {
    if looks_fractional(s) {
        s.parse()
            .map(TestSizeArg::Fraction)
            .map_err(|_| format!("expected a fraction like 0.2 or a row count, got {s:?}"))
    } else {
        s.parse()
            .map(TestSizeArg::Count)
            .map_err(|_| format!("expected a fraction like 0.2 or a row count, got {s:?}"))
    }
}

fn parse_ngram(s: &str) -> Result<(usize, usize), String> {
    let bad = || format!("expected MIN,MAX like 1,2, got {s:?}");
    let (lo, hi) = s.split_once([',', '-', ':']).ok_or_else(bad)?;
    Ok((
        lo.trim().parse().map_err(|_| bad())?,
        hi.trim().parse().map_err(|_| bad())?,
    ))
}

/// The features chosen by `--features`, `--columns` and `--text-key`.
fn read_inputs(a: &Args, table: &Table) -> Result<Inputs, String> {
    let numeric = match a.features {
        FeatureKind::Numeric => true,
        FeatureKind::Text => {
            if !a.columns.is_empty() {
                return Err(
                    "--columns names numeric features; it cannot go with --features text".into(),
                );
            }
            false
        }
        FeatureKind::Auto => !a.columns.is_empty() || !table.has(&a.text_key),
    };
    if !numeric {
        return table.text(&a.text_key).map(Inputs::Text);
    }
    let columns: Vec<String> = if a.columns.is_empty() {
        table
            .columns()
            .iter()
            .filter(|c| **c != a.label_key)
            .cloned()
            .collect()
    } else {
        a.columns.clone()
    };
    if let Some(c) = columns.iter().find(|c| **c == a.label_key) {
        return Err(format!(
            "--columns: {c:?} is the label column (--label-key); it cannot be a feature"
        ));
    }
    let auto = a.features == FeatureKind::Auto && a.columns.is_empty();
    let x = table.numeric(&columns).map_err(|e| {
        if auto {
            format!(
                "{e}\n(there is no {:?} column, so the features were taken as numeric: every \
                 column but {:?})",
                a.text_key, a.label_key
            )
        } else {
            e
        }
    })?;
    Ok(Inputs::Numeric { x, columns })
}

fn split_rows(a: &Args, strata: &[String]) -> Result<(Vec<usize>, Vec<usize>), String> {
    let n = strata.len();
    if a.split == Split::Mod5 {
        let (test, train): (Vec<usize>, Vec<usize>) = (0..n).partition(|i| i % 5 == 0);
        return Ok((train, test));
    }
    let size: TestSize = match a.test_size {
        TestSizeArg::Fraction(f) => f.into(),
        TestSizeArg::Count(c) => c.into(),
    };
    let r = if a.model == ModelKind::Ovr {
        train_test_split(n, size, a.seed)
    } else {
        stratified_train_test_split(strata, size, a.seed)
    };
    r.map_err(|e| format!("cannot split the data: {e}"))
}

fn select<T: Clone>(v: &[T], idx: &[usize]) -> Vec<T> {
    idx.iter().map(|&i| v[i].clone()).collect()
}

/// Fits with a progress bar, prints what was trained and warns when
/// logistic regression did not converge.
fn fit_reporting(
    a: &Args,
    inputs: &Inputs,
    y: Targets<'_>,
    what: &str,
) -> Result<(Fitted, f64), String> {
    let (fitted, took) = fit_quietly(a, inputs, y, what)?;
    if let Some(w) = fitted.convergence_warning(a.max_iter) {
        eprintln!("warning: {w}");
    }
    Ok((fitted, took))
}

/// [`fit_reporting`] with the model's default progress label, then the
/// line that says what was trained on how many rows (`all` prefixes the
/// count when the fit uses every row) and how long it took.
fn fit_and_report(a: &Args, inputs: &Inputs, y: Targets<'_>, all: &str) -> Result<Fitted, String> {
    let (model, took) = fit_reporting(a, inputs, y, model::fit_label(a))?;
    println!(
        "trained {} on {all}{} rows in {took:.2} s",
        model.describe(),
        inputs.len()
    );
    Ok(model)
}

/// [`fit_reporting`] without the convergence warning (the caller reports it).
fn fit_quietly(
    a: &Args,
    inputs: &Inputs,
    y: Targets<'_>,
    what: &str,
) -> Result<(Fitted, f64), String> {
    let (fitted, took) = with_bar(what, a.model == ModelKind::Ovr, |hook| {
        model::fit(a, inputs, y, hook)
    });
    let fitted = fitted.map_err(|e| training_error(a, e))?;
    Ok((fitted, took.as_secs_f64()))
}

fn training_error(a: &Args, e: proba::Error) -> String {
    match e {
        proba::Error::EmptyVocabulary | proba::Error::NoTermsRemain => format!(
            "training failed: {e}\n(the text of column {:?} has no words of two or more \
             letters or digits; for numeric features use --features numeric or --columns)",
            a.text_key
        ),
        e => format!("training failed: {e}"),
    }
}

fn print_single_label_eval(model: &Fitted, test: &Inputs, truth: &[String]) -> Result<(), String> {
    let start = Instant::now();
    let proba = model.predict_proba(test).map_err(|e| e.to_string())?;
    let took = start.elapsed();
    let classes = model.classes();
    let pred = argmax_labels(&proba, classes);
    println!(
        "\nheld-out evaluation on {} rows (predicted in {:.3} s)",
        truth.len(),
        took.as_secs_f64()
    );
    let err = |e: proba::Error| e.to_string();
    println!(
        "accuracy: {:.4}",
        metrics::accuracy(truth, &pred).map_err(err)?
    );
    match metrics::log_loss(truth, proba.view(), classes) {
        Ok(l) => println!("log loss: {l:.4}"),
        Err(e) => println!("log loss: n/a ({e})"),
    }
    println!(
        "\n{}",
        metrics::classification_report(truth, &pred, 3).map_err(err)?
    );
    println!("confusion matrix (rows: true, columns: predicted)");
    print!(
        "{}",
        metrics::confusion_matrix(truth, &pred)
            .map_err(err)?
            .to_text()
    );
    Ok(())
}

fn print_multilabel_eval(
    model: &Fitted,
    test: &Inputs,
    truth: &[Vec<String>],
    threshold: f64,
) -> Result<(), String> {
    let err = |e: proba::Error| e.to_string();
    let start = Instant::now();
    let proba = model.predict_proba(test).map_err(err)?;
    let took = start.elapsed();
    let classes = model.classes();
    let pred: Vec<Vec<String>> = proba
        .rows()
        .into_iter()
        .map(|r| {
            classes
                .iter()
                .zip(r)
                .filter(|(_, &p)| p > threshold)
                .map(|(c, _)| c.clone())
                .collect()
        })
        .collect();
    println!(
        "\nheld-out evaluation on {} rows (predicted in {:.3} s, threshold {threshold})",
        truth.len(),
        took.as_secs_f64()
    );
    // Labels never seen in training are not in the model's classes; drop them.
    let known: Vec<Vec<String>> = truth
        .iter()
        .map(|s| s.iter().filter(|l| classes.contains(l)).cloned().collect())
        .collect();
    let sort = |v: &[Vec<String>]| -> Vec<Vec<String>> {
        v.iter()
            .map(|s| {
                let mut s = s.clone();
                s.sort();
                s.dedup();
                s
            })
            .collect()
    };
    let exact = sort(&known)
        .iter()
        .zip(sort(&pred))
        .filter(|(t, p)| *t == p)
        .count();
    println!(
        "subset accuracy: {:.4}",
        exact as f64 / truth.len().max(1) as f64
    );
    println!(
        "hamming loss: {:.4}",
        metrics::hamming_loss_sets(&known, &pred, classes).map_err(err)?
    );
    println!(
        "\n{:>20} {:>9} {:>9} {:>9} {:>9}",
        "label", "precision", "recall", "f1-score", "support"
    );
    for c in classes {
        let t: Vec<bool> = known.iter().map(|s| s.contains(c)).collect();
        let p: Vec<bool> = pred.iter().map(|s| s.contains(c)).collect();
        let prf = metrics::precision_recall_f1(&t, &p).map_err(err)?;
        let k = prf.labels.iter().position(|&l| l);
        let get = |v: &[f64]| k.map_or(0.0, |k| v[k]);
        println!(
            "{:>20} {:>9.3} {:>9.3} {:>9.3} {:>9}",
            c,
            get(&prf.precision),
            get(&prf.recall),
            get(&prf.f1),
            k.map_or(0, |k| prf.support[k])
        );
    }
    Ok(())
}

/// Mean and population standard deviation (numpy's `std`).
fn mean_std(v: &[f64]) -> (f64, f64) {
    let n = v.len().max(1) as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

/// What cross-validation measured.
#[derive(Debug, Clone, PartialEq)]
pub struct CvScores {
    pub accuracy: Vec<f64>,
    pub log_loss: Vec<f64>,
}

/// Stratified k-fold cross-validation of the model chosen by `a`: prints
/// one line per fold, then the mean and spread.
fn cross_validate(
    a: &Args,
    inputs: &Inputs,
    labels: &[String],
    k: usize,
) -> Result<CvScores, String> {
    let folds = StratifiedKFold::new(k)
        .shuffle(a.cv_shuffle)
        .seed(a.seed)
        .split(labels)
        .map_err(|e| format!("--cv {k}: {e}"))?;
    println!(
        "{k}-fold stratified cross-validation on {} rows{}",
        labels.len(),
        if a.cv_shuffle {
            format!(" (shuffled, seed {})", a.seed)
        } else {
            String::new()
        }
    );
    let mut scores = CvScores {
        accuracy: Vec::new(),
        log_loss: Vec::new(),
    };
    let mut warnings = Vec::new();
    for (i, fold) in folds.iter().enumerate() {
        let (train_x, train_y) = (inputs.select(&fold.train), select(labels, &fold.train));
        let (test_x, test_y) = (inputs.select(&fold.test), select(labels, &fold.test));
        let what = format!("fold {}/{k}: {}", i + 1, model::fit_label(a));
        let (fitted, took) = fit_quietly(a, &train_x, Targets::One(&train_y), &what)?;
        let warning = fitted.convergence_warning(a.max_iter);
        let proba = fitted.predict_proba(&test_x).map_err(|e| e.to_string())?;
        let pred = argmax_labels(&proba, fitted.classes());
        let acc = metrics::accuracy(&test_y, &pred).map_err(|e| e.to_string())?;
        let ll = metrics::log_loss(&test_y, proba.view(), fitted.classes())
            .map_err(|e| format!("fold {}: log loss: {e}", i + 1))?;
        println!(
            "  fold {}: accuracy {acc:.4}  log loss {ll:.4}  ({} train / {} test rows, fit {took:.2} s){}",
            i + 1,
            fold.train.len(),
            fold.test.len(),
            if warning.is_some() { ", not converged" } else { "" }
        );
        if let Some(w) = warning {
            warnings.push(w);
        }
        scores.accuracy.push(acc);
        scores.log_loss.push(ll);
    }
    if let Some(first) = warnings.first() {
        eprintln!("warning: in {} of {k} folds, {first}", warnings.len());
    }
    let (am, asd) = mean_std(&scores.accuracy);
    let (lm, lsd) = mean_std(&scores.log_loss);
    println!("accuracy: {am:.4} ± {asd:.4} (mean ± std over {k} folds)");
    println!("log loss: {lm:.4} ± {lsd:.4}");
    Ok(scores)
}

fn save(model: &Fitted, out: &Option<PathBuf>) -> Result<(), String> {
    let Some(path) = out else {
        println!("\n(no --out given: the model is not saved)");
        return Ok(());
    };
    let route = model
        .save(path)
        .map_err(|e| format!("saving {}: {e}", path.display()))?;
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    print!(
        "\nsaved to {} ({:.1} MB)",
        path.display(),
        size as f64 / 1e6
    );
    match route {
        Some(flag) => println!(
            "; serve it with: cargo run --release --example serve -- {flag} {}",
            path.display()
        ),
        None => println!(
            "; a model of numeric features: load it with proba::io::load (serve takes text models)"
        ),
    }
    Ok(())
}

/// Everything after argument parsing.
fn run(a: &Args) -> Result<(), String> {
    if a.stream {
        return stream::run_stream(a);
    }
    let table = Table::read(&a.data)?;
    if table.len() == 0 {
        return Err(format!("{}: no rows", a.data.display()));
    }
    let inputs = read_inputs(a, &table)?;
    let raw_labels = table.labels(&a.label_key, a.model == ModelKind::Ovr, &a.label_sep)?;
    match &inputs {
        Inputs::Text(_) => eprintln!(
            "read {} rows from {} (text: {:?})",
            inputs.len(),
            a.data.display(),
            a.text_key
        ),
        Inputs::Numeric { columns, .. } => eprintln!(
            "read {} rows from {} ({} numeric features: {})",
            inputs.len(),
            a.data.display(),
            columns.len(),
            summarize(columns)
        ),
    }

    if a.model == ModelKind::Ovr {
        if a.cv.is_some() {
            return Err("--cv is for single-label models (--model lr or rf)".into());
        }
        let sets: Vec<Vec<String>> = raw_labels
            .into_iter()
            .map(|l| match l {
                RawLabel::One(s) => vec![s],
                RawLabel::Set(v) => v,
            })
            .collect();
        let strata: Vec<String> = sets.iter().map(|s| s.join("\u{1f}")).collect();
        let (train, test) = split_rows(a, &strata)?;
        let train_sets = select(&sets, &train);
        let model = fit_and_report(a, &inputs.select(&train), Targets::Sets(&train_sets), "")?;
        print_multilabel_eval(
            &model,
            &inputs.select(&test),
            &select(&sets, &test),
            a.threshold,
        )?;
        return save(&model, &a.out);
    }

    let labels: Vec<String> = raw_labels
        .into_iter()
        .map(|l| match l {
            RawLabel::One(s) => Ok(s),
            RawLabel::Set(_) => Err(format!(
                "a label is a list; use --model ovr for label sets (field {:?})",
                a.label_key
            )),
        })
        .collect::<Result<_, _>>()?;

    if let Some(k) = a.cv {
        cross_validate(a, &inputs, &labels, k)?;
        if a.out.is_none() {
            println!("\n(no --out given: no final model is fitted or saved)");
            return Ok(());
        }
        println!();
        let model = fit_and_report(a, &inputs, Targets::One(&labels), "all ")?;
        return save(&model, &a.out);
    }

    let (train, test) = split_rows(a, &labels)?;
    let train_labels = select(&labels, &train);
    let model = fit_and_report(a, &inputs.select(&train), Targets::One(&train_labels), "")?;
    print_single_label_eval(&model, &inputs.select(&test), &select(&labels, &test))?;
    save(&model, &a.out)
}

/// `f0, f1, ..., f63` for a long list of names.
fn summarize(columns: &[String]) -> String {
    if columns.len() <= 6 {
        columns.join(", ")
    } else {
        format!(
            "{}, ..., {}",
            columns[..3].join(", "),
            columns[columns.len() - 1]
        )
    }
}

fn main() -> ExitCode {
    // clap prints --help and exits 0, or prints a usage error and exits 2.
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
#[path = "train/tests.rs"]
mod tests;
