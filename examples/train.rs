//! Train a text classifier from JSONL or CSV, evaluate it on held-out rows,
//! save it for `serve`.
//!
//! ```text
//! cargo run --release --example train -- --data ../shared/data/bbc.jsonl --out bbc-lr.json
//! cargo run --release --example train -- --data data/fortunes-demo.jsonl --model rf \
//!     --n-estimators 200 --min-df 2 --out fortunes-rf.json
//! cargo run --release --example train -- --data tags.csv --model ovr --label-key tags \
//!     --label-sep ';' --out tags-ovr.json
//! ```
//!
//! Options (scikit-learn's names and defaults unless said otherwise):
//!
//! * data: `--data FILE` (`.jsonl`/`.json`: one object per line; `.csv`:
//!   a header row), `--text-key K` (`text`), `--label-key K` (`label`);
//!   for `--model ovr` the label may be a JSON list, or in CSV a string
//!   split on `--label-sep` (`;`).
//! * model: `--model lr|rf|ovr` (`lr`), `--c` (1.0), `--max-iter` (100),
//!   `--solver lbfgs|newton-cg` (`lbfgs`; `newton-cg` is much faster on
//!   large vocabularies with many classes), `--n-estimators` (100),
//!   `--max-depth` (none), `--seed` (0).
//! * TF-IDF: `--min-df` (1; an integer is a count, `0.01` a fraction),
//!   `--max-df` (1.0), `--ngram MIN,MAX` (`1,1`), `--sublinear-tf`,
//!   `--max-features N`.
//! * evaluation: `--test-size` (0.2, stratified, seeded by `--seed`), or
//!   `--split mod5` for the shared rule (row `i` is a test row iff
//!   `i % 5 == 0`); `--threshold` (0.5, multilabel).
//! * `--out PATH`: where to save the model (a `proba::io` JSON file).
//!
//! Long fits show a spinner with the elapsed seconds on stderr.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use proba::ensemble::RandomForestClassifier;
use proba::linear::{LogisticRegression, LogisticRegressionParams, Solver};
use proba::metrics;
use proba::model_selection::{stratified_train_test_split, train_test_split};
use proba::multilabel::OneVsRestClassifier;
use proba::pipeline::Pipeline;
use proba::prelude::*;
use proba::text::{TfidfVectorizer, TfidfVectorizerParams};
use serde_json::Value;

const USAGE: &str = "usage: train --data FILE.jsonl|FILE.csv [--text-key K] [--label-key K] \
[--label-sep SEP] [--model lr|rf|ovr] [--c C] [--max-iter N] [--solver lbfgs|newton-cg] [--n-estimators N] \
[--max-depth N] [--seed N] [--min-df N|F] [--max-df F] [--ngram MIN,MAX] [--sublinear-tf] \
[--max-features N] [--test-size F|N] [--split stratified|mod5] [--threshold F] [--out model.json]";

#[derive(Debug, Clone, Copy, PartialEq)]
enum ModelKind {
    Lr,
    Rf,
    Ovr,
}

struct Args {
    data: PathBuf,
    text_key: String,
    label_key: String,
    label_sep: String,
    model: ModelKind,
    c: f64,
    max_iter: usize,
    solver: Solver,
    n_estimators: usize,
    max_depth: Option<usize>,
    seed: u64,
    min_df: String,
    max_df: f64,
    ngram: (usize, usize),
    sublinear_tf: bool,
    max_features: Option<usize>,
    test_size: String,
    mod5: bool,
    threshold: f64,
    out: Option<PathBuf>,
}

/// The logistic regression options from the command line.
fn logistic<L: Label>(a: &Args) -> LogisticRegressionParams<L> {
    LogisticRegression::params()
        .c(a.c)
        .max_iter(a.max_iter)
        .solver(a.solver)
}

fn parse<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("{flag}: cannot read {v:?} as a number"))
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        data: PathBuf::new(),
        text_key: "text".into(),
        label_key: "label".into(),
        label_sep: ";".into(),
        model: ModelKind::Lr,
        c: 1.0,
        max_iter: 100,
        solver: Solver::Lbfgs,
        n_estimators: 100,
        max_depth: None,
        seed: 0,
        min_df: "1".into(),
        max_df: 1.0,
        ngram: (1, 1),
        sublinear_tf: false,
        max_features: None,
        test_size: "0.2".into(),
        mod5: false,
        threshold: 0.5,
        out: None,
    };
    let mut data = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--sublinear-tf" {
            a.sublinear_tf = true;
            continue;
        }
        if flag == "-h" || flag == "--help" {
            return Err(USAGE.into());
        }
        let v = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--data" => data = Some(PathBuf::from(v)),
            "--text-key" => a.text_key = v,
            "--label-key" => a.label_key = v,
            "--label-sep" => a.label_sep = v,
            "--model" => {
                a.model = match v.as_str() {
                    "lr" => ModelKind::Lr,
                    "rf" => ModelKind::Rf,
                    "ovr" => ModelKind::Ovr,
                    _ => return Err(format!("--model: expected lr, rf or ovr, got {v:?}")),
                }
            }
            "--c" => a.c = parse(&flag, &v)?,
            "--max-iter" => a.max_iter = parse(&flag, &v)?,
            "--solver" => {
                a.solver = match v.as_str() {
                    "lbfgs" => Solver::Lbfgs,
                    "newton-cg" => Solver::NewtonCg,
                    _ => return Err(format!("--solver: expected lbfgs or newton-cg, got {v:?}")),
                }
            }
            "--n-estimators" => a.n_estimators = parse(&flag, &v)?,
            "--max-depth" => a.max_depth = Some(parse(&flag, &v)?),
            "--seed" => a.seed = parse(&flag, &v)?,
            "--min-df" => a.min_df = v,
            "--max-df" => a.max_df = parse(&flag, &v)?,
            "--max-features" => a.max_features = Some(parse(&flag, &v)?),
            "--ngram" => {
                let (lo, hi) = v
                    .split_once([',', '-', ':'])
                    .ok_or_else(|| format!("--ngram: expected MIN,MAX, got {v:?}"))?;
                a.ngram = (parse(&flag, lo.trim())?, parse(&flag, hi.trim())?);
            }
            "--test-size" => a.test_size = v,
            "--split" => {
                a.mod5 = match v.as_str() {
                    "mod5" => true,
                    "stratified" => false,
                    _ => return Err(format!("--split: expected stratified or mod5, got {v:?}")),
                }
            }
            "--threshold" => a.threshold = parse(&flag, &v)?,
            "--out" => a.out = Some(PathBuf::from(v)),
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    a.data = data.ok_or_else(|| format!("--data is required\n{USAGE}"))?;
    Ok(a)
}

/// One row's label: a single label, or a label set (`--model ovr`).
enum RawLabel {
    One(String),
    Set(Vec<String>),
}

fn json_label(v: &Value) -> Option<RawLabel> {
    match v {
        Value::String(s) => Some(RawLabel::One(s.clone())),
        Value::Number(n) => Some(RawLabel::One(n.to_string())),
        Value::Bool(b) => Some(RawLabel::One(b.to_string())),
        Value::Array(items) => items
            .iter()
            .map(|i| match json_label(i) {
                Some(RawLabel::One(s)) => Some(s),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .map(RawLabel::Set),
        _ => None,
    }
}

fn read_jsonl(path: &Path, a: &Args) -> Result<(Vec<String>, Vec<RawLabel>), String> {
    let raw = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut texts = Vec::new();
    let mut labels = Vec::new();
    for (i, line) in raw.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = || format!("{}:{}", path.display(), i + 1);
        let v: Value = serde_json::from_str(line).map_err(|e| format!("{}: {e}", at()))?;
        let text = v[&a.text_key]
            .as_str()
            .ok_or_else(|| format!("{}: no string field {:?}", at(), a.text_key))?;
        let label = json_label(&v[&a.label_key]).ok_or_else(|| {
            format!(
                "{}: field {:?} is not a string, number or list of them",
                at(),
                a.label_key
            )
        })?;
        texts.push(text.to_string());
        labels.push(label);
    }
    Ok((texts, labels))
}

/// RFC 4180 CSV: fields separated by commas, optionally quoted with `"`
/// (a doubled `""` inside quotes is a quote; quoted fields may span lines).
fn parse_csv(raw: &str) -> Result<Vec<Vec<String>>, String> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = raw.chars().peekable();
    let mut line = 1;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                line += 1;
                row.push(std::mem::take(&mut field));
                if !(row.len() == 1 && row[0].is_empty()) {
                    rows.push(std::mem::take(&mut row));
                } else {
                    row.clear();
                }
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(format!("unterminated quoted field (at line {line})"));
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

fn read_csv(path: &Path, a: &Args) -> Result<(Vec<String>, Vec<RawLabel>), String> {
    let raw = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(&raw); // a UTF-8 byte-order mark
    let rows = parse_csv(raw).map_err(|e| format!("{}: {e}", path.display()))?;
    let (header, body) = rows
        .split_first()
        .ok_or_else(|| format!("{}: empty CSV file", path.display()))?;
    let col = |key: &str| {
        header
            .iter()
            .position(|h| h.trim() == key)
            .ok_or_else(|| format!("{}: no column {key:?} in {header:?}", path.display()))
    };
    let (tc, lc) = (col(&a.text_key)?, col(&a.label_key)?);
    let mut texts = Vec::new();
    let mut labels = Vec::new();
    for (i, row) in body.iter().enumerate() {
        let (Some(t), Some(l)) = (row.get(tc), row.get(lc)) else {
            return Err(format!(
                "{}: data row {} has {} fields, expected {}",
                path.display(),
                i + 1,
                row.len(),
                header.len()
            ));
        };
        texts.push(t.clone());
        labels.push(if a.model == ModelKind::Ovr {
            RawLabel::Set(
                l.split(a.label_sep.as_str())
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
            )
        } else {
            RawLabel::One(l.clone())
        });
    }
    Ok((texts, labels))
}

/// Runs `f` while a spinner thread prints the elapsed time on stderr (a
/// line every 5 s when stderr is not a terminal).
fn with_progress<T>(what: &str, f: impl FnOnce() -> T) -> (T, Duration) {
    let done = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let tty = std::io::stderr().is_terminal();
    let spinner = {
        let done = Arc::clone(&done);
        let what = what.to_string();
        std::thread::spawn(move || {
            let frames = ['|', '/', '-', '\\'];
            let mut k = 0;
            let mut last_line = Instant::now();
            while !done.load(Ordering::Relaxed) {
                std::thread::park_timeout(Duration::from_millis(100));
                let s = start.elapsed().as_secs_f64();
                if tty && s > 0.5 {
                    eprint!("\r{} {what}... {s:.1} s ", frames[k % 4]);
                    k += 1;
                } else if !tty && last_line.elapsed() >= Duration::from_secs(5) {
                    eprintln!("  {what}... {s:.0} s");
                    last_line = Instant::now();
                }
            }
            if tty {
                eprint!("\r{:60}\r", "");
            }
        })
    };
    let out = f();
    let took = start.elapsed();
    done.store(true, Ordering::Relaxed);
    spinner.thread().unpark();
    let _ = spinner.join();
    (out, took)
}

fn vectorizer(a: &Args) -> TfidfVectorizerParams {
    let p = TfidfVectorizer::params()
        .ngram_range(a.ngram.0, a.ngram.1)
        .max_df(a.max_df)
        .sublinear_tf(a.sublinear_tf)
        .max_features(a.max_features);
    if a.min_df.contains('.') || a.min_df.contains('e') {
        p.min_df(a.min_df.parse::<f64>().unwrap_or(f64::NAN))
    } else {
        match a.min_df.parse::<usize>() {
            Ok(n) => p.min_df(n),
            Err(_) => p.min_df(f64::NAN), // rejected by fit with a clear error
        }
    }
}

fn select<T: Clone>(v: &[T], idx: &[usize]) -> Vec<T> {
    idx.iter().map(|&i| v[i].clone()).collect()
}

fn split_rows(a: &Args, strata: &[String]) -> Result<(Vec<usize>, Vec<usize>), String> {
    let n = strata.len();
    if a.mod5 {
        let (test, train): (Vec<usize>, Vec<usize>) = (0..n).partition(|i| i % 5 == 0);
        return Ok((train, test));
    }
    let size: proba::model_selection::TestSize = if a.test_size.contains('.') {
        parse::<f64>("--test-size", &a.test_size)?.into()
    } else {
        parse::<usize>("--test-size", &a.test_size)?.into()
    };
    let r = if a.model == ModelKind::Ovr {
        train_test_split(n, size, a.seed)
    } else {
        stratified_train_test_split(strata, size, a.seed)
    };
    r.map_err(|e| format!("cannot split the data: {e}"))
}

fn print_single_label_eval<M>(
    model: &Pipeline<M>,
    texts: &[String],
    truth: &[String],
) -> proba::Result<()>
where
    M: PredictProba<CsrMatrix> + Classifier<Label = String>,
{
    let (proba, took) = with_progress("predicting", || model.predict_proba(texts));
    let proba = proba?;
    let classes = model.classes();
    let pred: Vec<String> = proba
        .rows()
        .into_iter()
        .map(|r| {
            let best = r
                .iter()
                .enumerate()
                .fold(0, |b, (i, &v)| if v > r[b] { i } else { b });
            classes[best].clone()
        })
        .collect();
    println!(
        "\nheld-out evaluation on {} rows (predicted in {:.3} s)",
        texts.len(),
        took.as_secs_f64()
    );
    println!("accuracy: {:.4}", metrics::accuracy(truth, &pred)?);
    match metrics::log_loss(truth, proba.view(), classes) {
        Ok(l) => println!("log loss: {l:.4}"),
        Err(e) => println!("log loss: n/a ({e})"),
    }
    println!("\n{}", metrics::classification_report(truth, &pred, 3)?);
    println!("confusion matrix (rows: true, columns: predicted)");
    print!("{}", metrics::confusion_matrix(truth, &pred)?.to_text());
    Ok(())
}

fn print_multilabel_eval<M>(
    model: &Pipeline<M>,
    texts: &[String],
    truth: &[Vec<String>],
    threshold: f64,
) -> proba::Result<()>
where
    M: PredictProba<CsrMatrix> + Classifier<Label = String>,
{
    let (proba, took) = with_progress("predicting", || model.predict_proba(texts));
    let proba = proba?;
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
        texts.len(),
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
        exact as f64 / texts.len().max(1) as f64
    );
    println!(
        "hamming loss: {:.4}",
        metrics::hamming_loss_sets(&known, &pred, classes)?
    );
    println!(
        "\n{:>20} {:>9} {:>9} {:>9} {:>9}",
        "label", "precision", "recall", "f1-score", "support"
    );
    for c in classes {
        let t: Vec<bool> = known.iter().map(|s| s.contains(c)).collect();
        let p: Vec<bool> = pred.iter().map(|s| s.contains(c)).collect();
        let prf = metrics::precision_recall_f1(&t, &p)?;
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

fn save<T: proba::io::Persist>(
    model: &T,
    out: &Option<PathBuf>,
    route_flag: &str,
) -> Result<(), String> {
    match out {
        Some(path) => {
            proba::io::save(model, path).map_err(|e| format!("saving {}: {e}", path.display()))?;
            let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
            println!(
                "\nsaved to {} ({:.1} MB); serve it with: cargo run --release --example serve -- {route_flag} {}",
                path.display(),
                size as f64 / 1e6,
                path.display()
            );
        }
        None => println!("\n(no --out given: the model is not saved)"),
    }
    Ok(())
}

fn run(a: Args) -> Result<(), String> {
    let ext = a
        .data
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let (texts, raw_labels) = if ext == "csv" {
        read_csv(&a.data, &a)?
    } else {
        read_jsonl(&a.data, &a)?
    };
    if texts.is_empty() {
        return Err(format!("{}: no rows", a.data.display()));
    }
    eprintln!("read {} rows from {}", texts.len(), a.data.display());
    let fail = |e: proba::Error| format!("training failed: {e}");

    if a.model == ModelKind::Ovr {
        let sets: Vec<Vec<String>> = raw_labels
            .into_iter()
            .map(|l| match l {
                RawLabel::One(s) => vec![s],
                RawLabel::Set(v) => v,
            })
            .collect();
        let strata: Vec<String> = sets.iter().map(|s| s.join("\u{1f}")).collect();
        let (train, test) = split_rows(&a, &strata)?;
        let params = Pipeline::params(
            vectorizer(&a),
            OneVsRestClassifier::<LogisticRegression<bool>, String>::params(logistic(&a)),
        );
        let (train_texts, train_sets) = (select(&texts, &train), select(&sets, &train));
        let (model, took) = with_progress("training one-vs-rest", || {
            params.fit(&train_texts, &train_sets)
        });
        let model = model.map_err(fail)?;
        println!(
            "trained TF-IDF ({} terms) + one-vs-rest logistic regression ({} labels) on {} rows in {:.2} s",
            model.n_features(),
            model.n_classes(),
            train.len(),
            took.as_secs_f64()
        );
        print_multilabel_eval(
            &model,
            &select(&texts, &test),
            &select(&sets, &test),
            a.threshold,
        )
        .map_err(|e| e.to_string())?;
        return save(&model, &a.out, "--predict-multilabel");
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
    let (train, test) = split_rows(&a, &labels)?;
    let (train_texts, train_labels) = (select(&texts, &train), select(&labels, &train));
    let (test_texts, test_labels) = (select(&texts, &test), select(&labels, &test));
    match a.model {
        ModelKind::Lr => {
            let params = Pipeline::params(vectorizer(&a), logistic(&a));
            let (model, took) = with_progress("training logistic regression", || {
                params.fit(&train_texts, &train_labels)
            });
            let model = model.map_err(fail)?;
            println!(
                "trained TF-IDF ({} terms) + logistic regression ({} classes) on {} rows in {:.2} s",
                model.n_features(),
                model.n_classes(),
                train.len(),
                took.as_secs_f64()
            );
            print_single_label_eval(&model, &test_texts, &test_labels)
                .map_err(|e| e.to_string())?;
            save(&model, &a.out, "--predict")
        }
        _ => {
            let mut rf = RandomForestClassifier::params()
                .n_estimators(a.n_estimators)
                .seed(a.seed);
            if let Some(d) = a.max_depth {
                rf = rf.max_depth(d);
            }
            let params = Pipeline::params(vectorizer(&a), rf);
            let (model, took) = with_progress("training random forest", || {
                params.fit(&train_texts, &train_labels)
            });
            let model = model.map_err(fail)?;
            println!(
                "trained TF-IDF ({} terms) + random forest ({} trees, {} classes) on {} rows in {:.2} s",
                model.n_features(),
                a.n_estimators,
                model.n_classes(),
                train.len(),
                took.as_secs_f64()
            );
            print_single_label_eval(&model, &test_texts, &test_labels)
                .map_err(|e| e.to_string())?;
            save(&model, &a.out, "--predict-complex")
        }
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
