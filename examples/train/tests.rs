//! Unit tests of the train CLI (run by `cargo test --example train`, and by
//! `cargo test` since the example has `test = true` in Cargo.toml).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use clap::{CommandFactory, Parser};
use proba::linear::LogisticRegression;
use proba::progress::ProgressEvent;

use super::*;

/// A file in a fresh temporary directory, removed with the directory on drop.
struct TempFile {
    dir: PathBuf,
    path: PathBuf,
}

impl TempFile {
    fn new(name: &str, contents: &str) -> TempFile {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "proba-train-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, contents).unwrap();
        TempFile { dir, path }
    }

    fn sibling(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn args(list: &[&str]) -> Args {
    let mut v = vec!["train"];
    v.extend_from_slice(list);
    Args::try_parse_from(v).unwrap_or_else(|e| panic!("{e}"))
}

/// A small numeric table: 3 classes, 2 informative columns and a noise one.
fn numeric_csv(n: usize) -> String {
    let mut s = String::from("a,b,noise,label\n");
    for i in 0..n {
        let c = i % 3;
        let a = c as f64 + 0.1 * ((i * 7 % 11) as f64 / 11.0);
        let b = (2 - c) as f64 * 0.5 + 0.05 * ((i * 5 % 13) as f64 / 13.0);
        s += &format!(
            "{a},{b},{},{}\n",
            (i * 31 % 17) as f64 / 17.0,
            ["x", "y", "z"][c]
        );
    }
    s
}

#[test]
fn help_describes_every_option_and_exits_zero() {
    Args::command().debug_assert();
    let err = Args::try_parse_from(["train", "--help"]).unwrap_err();
    assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp);
    assert_eq!(err.exit_code(), 0, "--help is a success");
    let help = Args::command().render_long_help().to_string();
    let mut cmd = Args::command();
    cmd.build();
    let mut checked = 0;
    for arg in cmd.get_arguments() {
        let long = arg.get_long().unwrap_or_default();
        assert!(help.contains(&format!("--{long}")), "--{long} in help");
        assert!(
            arg.get_help().is_some_and(|h| h.to_string().len() > 10),
            "--{long} has a meaning"
        );
        // Every option that takes a value shows its default (or says there is none).
        let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values());
        if takes_value && long != "data" {
            let h = arg.get_long_help().or(arg.get_help()).unwrap().to_string();
            assert!(
                !arg.get_default_values().is_empty() || h.contains("[default"),
                "--{long} names its default"
            );
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked} options with values checked");
    for d in [
        "[default: 100]",
        "[default: lbfgs]",
        "[default: 0.2]",
        "[default: auto]",
    ] {
        assert!(help.contains(d), "{d}");
    }
    // Missing --data is a usage error (exit 2), not a panic.
    let err = Args::try_parse_from(["train"]).unwrap_err();
    assert_eq!(err.exit_code(), 2);
}

#[test]
fn the_old_flags_still_parse() {
    let a = args(&[
        "--data",
        "x.csv",
        "--text-key",
        "body",
        "--label-key",
        "tags",
        "--label-sep",
        "|",
        "--model",
        "ovr",
        "--c",
        "0.5",
        "--max-iter",
        "50",
        "--solver",
        "newton-cg",
        "--n-estimators",
        "7",
        "--max-depth",
        "3",
        "--seed",
        "4",
        "--min-df",
        "0.01",
        "--max-df",
        "0.9",
        "--ngram",
        "1,2",
        "--sublinear-tf",
        "--max-features",
        "1000",
        "--test-size",
        "300",
        "--split",
        "mod5",
        "--threshold",
        "0.3",
        "--out",
        "m.json",
    ]);
    assert_eq!(a.model, ModelKind::Ovr);
    assert_eq!((a.c, a.max_iter, a.solver), (0.5, 50, SolverArg::NewtonCg));
    assert_eq!((a.n_estimators, a.max_depth, a.seed), (7, Some(3), 4));
    assert_eq!(a.min_df, MinDf::Fraction(0.01));
    assert_eq!(
        (a.ngram, a.sublinear_tf, a.max_features),
        ((1, 2), true, Some(1000))
    );
    assert_eq!(
        (a.test_size, a.split),
        (TestSizeArg::Count(300), Split::Mod5)
    );
    assert_eq!(a.out, Some(PathBuf::from("m.json")));
    let d = args(&["--data", "x.jsonl"]);
    assert_eq!(
        (d.min_df, d.test_size),
        (MinDf::Count(1), TestSizeArg::Fraction(0.2))
    );
    assert_eq!(
        (d.features, d.model, d.cv),
        (FeatureKind::Auto, ModelKind::Lr, None)
    );
    assert!(Args::try_parse_from(["train", "--data", "x", "--ngram", "2"]).is_err());
    assert!(Args::try_parse_from(["train", "--data", "x", "--min-df", "two"]).is_err());
    assert_eq!(
        args(&["--data", "x", "--columns", "a,b"]).columns,
        ["a", "b"]
    );
}

#[test]
fn numeric_csv_and_jsonl_are_read_as_dense_features() {
    let f = TempFile::new("t.csv", "a,b,label\n1,2.5,x\n-3e1, 4 ,y\n");
    let t = Table::read(&f.path).unwrap();
    let a = args(&["--data", f.path.to_str().unwrap()]);
    // No "text" column: auto picks every column but the label.
    let Inputs::Numeric { x, columns } = read_inputs(&a, &t).unwrap() else {
        panic!("expected numeric features")
    };
    assert_eq!(columns, ["a", "b"]);
    assert_eq!(x, proba::ndarray::array![[1.0, 2.5], [-30.0, 4.0]]);

    let j = TempFile::new(
        "t.jsonl",
        "{\"id\": \"r1\", \"a\": 1, \"b\": 2.5, \"label\": \"x\"}\n\n{\"id\": \"r2\", \"a\": -30, \"b\": 4, \"label\": 7}\n",
    );
    let t = Table::read(&j.path).unwrap();
    let a = args(&["--data", j.path.to_str().unwrap(), "--columns", "b,a"]);
    let Inputs::Numeric { x, .. } = read_inputs(&a, &t).unwrap() else {
        panic!("expected numeric features")
    };
    assert_eq!(x, proba::ndarray::array![[2.5, 1.0], [4.0, -30.0]]);
    let labels = t.labels("label", false, ";").unwrap();
    assert_eq!(labels[1], RawLabel::One("7".into()));
}

#[test]
fn bad_numbers_are_errors_naming_the_column_and_the_row() {
    let f = TempFile::new("t.csv", "a,b,label\n1,2,x\n3,oops,y\n4,,z\n");
    let t = Table::read(&f.path).unwrap();
    let e = t.numeric(&["a".into(), "b".into()]).unwrap_err();
    assert!(
        e.contains("data row 2") && e.contains("\"b\"") && e.contains("oops"),
        "{e}"
    );
    let e = t.numeric(&["a".into(), "c".into()]).unwrap_err();
    assert!(e.contains("no column \"c\""), "{e}");
    let g = TempFile::new("t.csv", "a,label\n1,x\nnan,y\n");
    let e = Table::read(&g.path)
        .unwrap()
        .numeric(&["a".into()])
        .unwrap_err();
    assert!(e.contains("data row 2") && e.contains("finite"), "{e}");

    let j = TempFile::new(
        "t.jsonl",
        "{\"a\": 1, \"label\": \"x\"}\n{\"a\": \"2\", \"label\": \"y\"}\n",
    );
    let e = Table::read(&j.path)
        .unwrap()
        .numeric(&["a".into()])
        .unwrap_err();
    assert!(
        e.contains("t.jsonl:2") && e.contains("\"a\"") && e.contains("not a number"),
        "{e}"
    );

    // Auto mode on a text corpus whose text column has another name.
    let k = TempFile::new("t.jsonl", "{\"body\": \"hello there\", \"label\": \"x\"}\n");
    let t = Table::read(&k.path).unwrap();
    let e = read_inputs(&args(&["--data", "t.jsonl"]), &t).unwrap_err();
    assert!(
        e.contains("\"body\"") && e.contains("no \"text\" column"),
        "{e}"
    );
}

#[test]
fn a_number_column_as_text_says_so_instead_of_blaming_stop_words() {
    let f = TempFile::new("t.csv", "f5,label\n0,a\n3,b\n1,a\n");
    let t = Table::read(&f.path).unwrap();
    let a = args(&["--data", "t.csv", "--text-key", "f5"]);
    let e = read_inputs(&a, &t).unwrap_err();
    assert!(!e.contains("stop words"), "{e}");
    assert!(
        e.contains("\"f5\"") && e.contains("holds numbers") && e.contains("data row 1"),
        "{e}"
    );
    assert!(
        e.contains("--features numeric") || e.contains("--columns"),
        "{e}"
    );

    let j = TempFile::new(
        "t.jsonl",
        "{\"text\": \"words\", \"label\": \"a\"}\n{\"text\": 42, \"label\": \"b\"}\n",
    );
    let t = Table::read(&j.path).unwrap();
    let e = read_inputs(&args(&["--data", "t.jsonl"]), &t).unwrap_err();
    assert!(
        e.contains("t.jsonl:2") && e.contains("holds numbers"),
        "{e}"
    );

    // Text of one-character tokens only: the vectorizer's error is explained.
    let g = TempFile::new("t.csv", "text,label\na b,x\nc d,y\ne,x\nf,y\ng,x\n");
    let a = args(&["--data", g.path.to_str().unwrap(), "--test-size", "2"]);
    let e = run(&a).unwrap_err();
    assert!(
        e.contains("\"text\"") && e.contains("letters or digits"),
        "{e}"
    );
}

#[test]
fn trains_saves_and_reloads_numeric_models() {
    let f = TempFile::new("t.csv", &numeric_csv(90));
    let out = f.sibling("lr.json");
    let p = f.path.to_str().unwrap();
    run(&args(&["--data", p, "--out", out.to_str().unwrap()])).unwrap();
    let lr: LogisticRegression<String> = proba::io::load(&out).unwrap();
    assert_eq!(lr.classes(), ["x", "y", "z"]);
    assert_eq!(lr.n_features(), 3);

    let out = f.sibling("rf.json");
    run(&args(&[
        "--data",
        p,
        "--model",
        "rf",
        "--n-estimators",
        "5",
        "--out",
        out.to_str().unwrap(),
    ]))
    .unwrap();
    let rf: proba::ensemble::RandomForestClassifier<String> = proba::io::load(&out).unwrap();
    assert_eq!(rf.n_estimators(), 5);

    // Multilabel on numeric features, label sets split on --label-sep.
    let sets = TempFile::new(
        "s.csv",
        &(0..40)
            .map(|i| {
                format!(
                    "{},{},{}\n",
                    i % 2,
                    (i / 2) % 2,
                    ["p", "q", "p;q", "p"][i % 4]
                )
            })
            .fold("u,v,tags\n".to_string(), |s, l| s + &l),
    );
    run(&args(&[
        "--data",
        sets.path.to_str().unwrap(),
        "--model",
        "ovr",
        "--label-key",
        "tags",
    ]))
    .unwrap();
}

#[test]
fn cross_validation_uses_stratified_folds_and_reports_both_metrics() {
    let f = TempFile::new("t.csv", &numeric_csv(90));
    let t = Table::read(&f.path).unwrap();
    for model in ["lr", "rf"] {
        let a = args(&[
            "--data",
            "t.csv",
            "--cv",
            "3",
            "--model",
            model,
            "--n-estimators",
            "10",
        ]);
        let inputs = read_inputs(&a, &t).unwrap();
        let labels: Vec<String> = (0..90)
            .map(|i| ["x", "y", "z"][i % 3].to_string())
            .collect();
        let s = cross_validate(&a, &inputs, &labels, 3).unwrap();
        assert_eq!((s.accuracy.len(), s.log_loss.len()), (3, 3));
        assert!(s.accuracy.iter().all(|&v| v > 0.9), "{model}: {s:?}");
        assert!(
            s.log_loss.iter().all(|&v| v.is_finite() && v >= 0.0),
            "{s:?}"
        );
        // The same folds and seed give the same numbers.
        assert_eq!(s, cross_validate(&a, &inputs, &labels, 3).unwrap());
    }
    let (m, sd) = mean_std(&[1.0, 2.0, 3.0, 4.0]);
    assert_eq!(m, 2.5);
    assert!((sd - 1.25f64.sqrt()).abs() < 1e-12);
    // Too many folds for the smallest class is an error naming --cv.
    let a = args(&["--data", f.path.to_str().unwrap(), "--cv", "40"]);
    let e = run(&a).unwrap_err();
    assert!(e.contains("--cv 40"), "{e}");
    // With --out, the saved model is fitted on every row.
    let out = f.sibling("cv.json");
    run(&args(&[
        "--data",
        f.path.to_str().unwrap(),
        "--cv",
        "3",
        "--out",
        out.to_str().unwrap(),
    ]))
    .unwrap();
    assert!(out.exists());
}

#[test]
fn non_convergence_is_reported() {
    let f = TempFile::new("t.csv", &numeric_csv(60));
    let t = Table::read(&f.path).unwrap();
    let labels: Vec<String> = (0..60)
        .map(|i| ["x", "y", "z"][i % 3].to_string())
        .collect();
    let a = args(&["--data", "t.csv", "--max-iter", "2"]);
    let inputs = read_inputs(&a, &t).unwrap();
    let hook: Arc<dyn proba::progress::Progress> = Arc::new(|_: ProgressEvent| {});
    let fitted = model::fit(&a, &inputs, Targets::One(&labels), hook.clone()).unwrap();
    let w = fitted.convergence_warning(a.max_iter).expect("a warning");
    assert!(
        w.contains("--max-iter 2") && w.contains("without converging"),
        "{w}"
    );
    let a = args(&["--data", "t.csv", "--max-iter", "1000"]);
    let fitted = model::fit(&a, &inputs, Targets::One(&labels), hook).unwrap();
    assert_eq!(fitted.convergence_warning(a.max_iter), None);
}

#[test]
fn the_progress_bar_receives_the_library_events() {
    let f = TempFile::new("t.csv", &numeric_csv(60));
    let t = Table::read(&f.path).unwrap();
    let labels: Vec<String> = (0..60)
        .map(|i| ["x", "y", "z"][i % 3].to_string())
        .collect();
    let a = args(&["--data", "t.csv", "--model", "rf", "--n-estimators", "12"]);
    let inputs = read_inputs(&a, &t).unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let (fitted, _) = bar::with_bar("test", false, |hook| {
        let c = Arc::clone(&count);
        let counting: Arc<dyn proba::progress::Progress> = Arc::new(move |ev: ProgressEvent| {
            c.fetch_add(1, Ordering::Relaxed);
            hook.on_event(ev);
        });
        model::fit(&a, &inputs, Targets::One(&labels), counting)
    });
    fitted.unwrap();
    assert_eq!(count.load(Ordering::Relaxed), 12);
}

#[test]
fn the_bundled_text_corpus_trains_and_cross_validates() {
    let demo = Path::new("data/fortunes-demo.jsonl");
    if !demo.exists() {
        println!(
            "SKIPPED: {} not found (run from the repository root)",
            demo.display()
        );
        return;
    }
    let a = args(&[
        "--data",
        "data/fortunes-demo.jsonl",
        "--min-df",
        "2",
        "--cv",
        "2",
        "--max-iter",
        "30",
    ]);
    let t = Table::read(demo).unwrap();
    let inputs = read_inputs(&a, &t).unwrap();
    assert!(matches!(inputs, Inputs::Text(_)));
    let labels: Vec<String> = t
        .labels("label", false, ";")
        .unwrap()
        .into_iter()
        .map(|l| match l {
            RawLabel::One(s) => s,
            RawLabel::Set(_) => unreachable!(),
        })
        .collect();
    let s = cross_validate(&a, &inputs, &labels, 2).unwrap();
    assert!(s.accuracy.iter().all(|&v| v > 0.3), "{s:?}");
}

#[test]
fn digits_from_the_shared_data() {
    let path = Path::new("../shared/data/digits.csv");
    if !path.exists() {
        println!("SKIPPED: {} not found", path.display());
        return;
    }
    let a = args(&[
        "--data",
        "../shared/data/digits.csv",
        "--solver",
        "newton-cg",
    ]);
    let t = Table::read(path).unwrap();
    let Inputs::Numeric { x, columns } = read_inputs(&a, &t).unwrap() else {
        panic!("digits has no text column: numeric")
    };
    assert_eq!(
        (x.nrows(), x.ncols(), columns[0].as_str()),
        (1797, 64, "f0")
    );
    run(&a).unwrap();
}

#[test]
fn stream_trains_in_chunks_and_saves_a_model_that_predicts_like_it_evaluated() {
    let mut jsonl = String::new();
    let docs = [
        ("sport", "the team won the match with a late goal"),
        (
            "tech",
            "the new phone has a faster chip and a bigger screen",
        ),
        (
            "food",
            "bake the bread with butter flour and a pinch of salt",
        ),
    ];
    for i in 0..300 {
        let (label, text) = docs[i % 3];
        jsonl.push_str(&format!(
            "{{\"label\":\"{label}\",\"text\":\"{text} {i}\"}}\n"
        ));
    }
    let f = TempFile::new("stream.jsonl", &jsonl);
    let out = f.sibling("stream-model.json");
    let p = f.path.to_str().unwrap();
    let a = args(&[
        "--data",
        p,
        "--stream",
        "--idf",
        "--chunk-rows",
        "37",
        "--n-features",
        "4096",
        "--epochs",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    stream::run_stream(&a).unwrap();
    let model: proba::linear::SgdClassifier<String> = proba::io::load(&out).unwrap();
    let hv: proba::text::HashingVectorizer =
        proba::io::load(out.with_extension("hashing.json")).unwrap();
    let tfidf: proba::text::TfidfTransformer =
        proba::io::load(out.with_extension("tfidf.json")).unwrap();
    let x = tfidf
        .transform(&hv.transform(&[docs[1].1]).unwrap())
        .unwrap();
    assert_eq!(model.predict(&x).unwrap(), ["tech"]);

    // Bad input is an error naming the line.
    let bad = TempFile::new(
        "stream-bad.jsonl",
        "{\"label\":\"a\",\"text\":\"x\"}\nnot json\n",
    );
    let e =
        stream::run_stream(&args(&["--data", bad.path.to_str().unwrap(), "--stream"])).unwrap_err();
    assert!(e.contains("line 2"), "{e}");
    let e = stream::run_stream(&args(&["--data", p, "--stream", "--loss", "squared"])).unwrap_err();
    assert!(e.contains("--loss"), "{e}");
}

#[test]
fn the_held_out_hash_is_zlibs_crc32() {
    // Python: zlib.crc32(b"123456789") == 0xCBF43926
    assert_eq!(stream::crc32(b"123456789"), 0xCBF4_3926);
}
