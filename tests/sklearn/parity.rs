//! Loads the committed scikit-learn fixtures (every model, every pickle
//! protocol and joblib format, every version under tests/fixtures/sklearn/)
//! and checks predict_proba against scikit-learn's within 1e-12.

use std::path::{Path, PathBuf};

use proba::ensemble::RandomForestClassifier;
use proba::linear::LogisticRegression;
use proba::multilabel::{MultiLabelBinarizer, OneVsRestClassifier};
use proba::pipeline::Pipeline;
use proba::prelude::*;
use proba::sklearn;
use proba::text::{CountVectorizer, TfidfTransformer, TfidfVectorizer};
use proba::tree::DecisionTreeClassifier;
use serde_json::Value;

use crate::support::strings;

const FORMATS: [&str; 6] = [
    "p2.pkl",
    "p4.pkl",
    "p5.pkl",
    "joblib",
    "z3.joblib",
    "gz3.joblib",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sklearn")
}

fn versions() -> Vec<(PathBuf, Value)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root()).expect("fixture dir") {
        let dir = entry.expect("entry").path();
        // `refused/` holds files that must not load; it has no expected.json.
        let Ok(text) = std::fs::read_to_string(dir.join("expected.json")) else {
            continue;
        };
        out.push((dir, serde_json::from_str(&text).expect("json")));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 2, "fixtures for at least two versions");
    out
}

fn matrix(v: &Value) -> Vec<Vec<f64>> {
    v.as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            r.as_array()
                .expect("row")
                .iter()
                .map(|x| x.as_f64().expect("f64"))
                .collect()
        })
        .collect()
}

fn texts(exp: &Value) -> Vec<String> {
    exp["texts"]
        .as_array()
        .expect("texts")
        .iter()
        .map(|t| t.as_str().expect("str").to_owned())
        .collect()
}

fn assert_close(got: &ndarray::Array2<f64>, want: &[Vec<f64>], what: &str) {
    assert_eq!(got.nrows(), want.len(), "{what}: rows");
    let mut worst = 0.0f64;
    for (i, row) in want.iter().enumerate() {
        assert_eq!(got.ncols(), row.len(), "{what}: columns");
        for (j, w) in row.iter().enumerate() {
            worst = worst.max((got[[i, j]] - w).abs());
        }
    }
    assert!(worst <= 1e-12, "{what}: max |difference| {worst:e} > 1e-12");
}

fn each_file(name: &str, mut f: impl FnMut(&Path, &Value, &str)) {
    for (dir, exp) in versions() {
        for fmt in FORMATS {
            let path = dir.join(format!("{name}.{fmt}"));
            let tag = format!("{} ({}) {name}.{fmt}", dir.display(), exp["sklearn"]);
            f(&path, &exp, &tag);
        }
    }
}

fn ints(v: &Value) -> Vec<i64> {
    v.as_array()
        .expect("classes")
        .iter()
        .map(|c| c.as_i64().expect("int"))
        .collect()
}

/// The loaded `tfidf` vectorizer's features of the held-out texts.
fn features(dir: &Path, exp: &Value) -> CsrMatrix {
    let v: TfidfVectorizer = sklearn::load(dir.join("tfidf.p5.pkl")).expect("tfidf");
    v.transform(&texts(exp)).expect("transform")
}

#[test]
fn vectorizers_transform_as_sklearn() {
    each_file("tfidf", |path, exp, tag| {
        let v: TfidfVectorizer = sklearn::load(path).unwrap_or_else(|e| panic!("{tag}: {e}"));
        let m = &exp["models"]["tfidf"];
        assert_eq!(
            v.n_features() as u64,
            m["n_features"].as_u64().unwrap(),
            "{tag}"
        );
        let x = v.transform(&texts(exp)[..5]).unwrap().to_dense();
        assert_close(&x, &matrix(&m["dense"]), tag);
    });
    each_file("count", |path, exp, tag| {
        let v: CountVectorizer = sklearn::load(path).unwrap_or_else(|e| panic!("{tag}: {e}"));
        let m = &exp["models"]["count"];
        assert_eq!(
            v.n_features() as u64,
            m["n_features"].as_u64().unwrap(),
            "{tag}"
        );
        let x = v.transform(&texts(exp)[..5]).unwrap().to_dense();
        assert_close(&x, &matrix(&m["dense"]), tag);
    });
}

/// A loaded vocabulary keeps no copy of its terms as strings until asked:
/// the names, lookups and proba's own saved form must still agree.
#[test]
fn a_loaded_vocabulary_names_its_terms_and_saves_as_proba() {
    each_file("tfidf", |path, exp, tag| {
        let v: TfidfVectorizer = sklearn::load(path).unwrap_or_else(|e| panic!("{tag}: {e}"));
        let names = v.feature_names().to_vec();
        assert_eq!(names.len(), v.n_features(), "{tag}");
        assert!(names.windows(2).all(|w| w[0] < w[1]), "{tag}: sorted");
        for (i, t) in names.iter().enumerate() {
            assert_eq!(v.term_index(t), Some(i), "{tag}: {t:?}");
        }
        let again: TfidfVectorizer = sklearn::load(path).unwrap();
        let saved: TfidfVectorizer = proba::io::from_str(&proba::io::to_string(&again).unwrap())
            .unwrap_or_else(|e| panic!("{tag}: {e}"));
        assert_eq!(saved.feature_names(), names, "{tag}");
        let t = texts(exp);
        assert_eq!(
            saved.transform(&t).unwrap().to_dense(),
            v.transform(&t).unwrap().to_dense(),
            "{tag}"
        );
    });
}

#[test]
fn tfidf_transformer_weights_counts_as_sklearn() {
    each_file("tfidf_transformer", |path, exp, tag| {
        let t: TfidfTransformer = sklearn::load(path).unwrap_or_else(|e| panic!("{tag}: {e}"));
        let m = &exp["models"]["tfidf_transformer"];
        assert_eq!(
            t.n_features() as u64,
            m["n_features"].as_u64().unwrap(),
            "{tag}"
        );
        let dir = path.parent().unwrap();
        let count: CountVectorizer = sklearn::load(dir.join("count.p5.pkl")).unwrap();
        let counts = count.transform(&texts(exp)[..5]).unwrap();
        let x = t.transform(&counts).unwrap().to_dense();
        assert_close(&x, &matrix(&m["dense"]), tag);
    });
}

#[test]
fn binarizer_classes() {
    each_file("mlb", |path, exp, tag| {
        let b: MultiLabelBinarizer<String> =
            sklearn::load(path).unwrap_or_else(|e| panic!("{tag}: {e}"));
        assert_eq!(
            b.classes(),
            strings(&exp["models"]["mlb"]["classes"]),
            "{tag}"
        );
    });
}

fn check<M: Classifier + PredictProba<CsrMatrix>>(
    name: &str,
    classes: impl Fn(&Value) -> Vec<M::Label>,
    load: impl Fn(&Path) -> Result<M>,
) where
    M::Label: PartialEq + std::fmt::Debug,
{
    for (dir, exp) in versions() {
        let x = features(&dir, &exp);
        for fmt in FORMATS {
            let path = dir.join(format!("{name}.{fmt}"));
            let tag = format!("{} {name}.{fmt}", exp["sklearn"]);
            let m = load(&path).unwrap_or_else(|e| panic!("{tag}: {e}"));
            let want = &exp["models"][name];
            assert_eq!(m.classes(), classes(&want["classes"]).as_slice(), "{tag}");
            assert_close(&m.predict_proba(&x).unwrap(), &matrix(&want["proba"]), &tag);
        }
    }
}

#[test]
fn logistic_regression() {
    check("lr_str", strings, |p| {
        sklearn::load::<LogisticRegression<String>>(p)
    });
    check("lr_bin_int", ints, |p| {
        sklearn::load::<LogisticRegression<i64>>(p)
    });
}

#[test]
fn trees_and_forests() {
    check("dt_int", ints, |p| {
        sklearn::load::<DecisionTreeClassifier<i64>>(p)
    });
    check("dt_best_first", strings, |p| {
        sklearn::load::<DecisionTreeClassifier<String>>(p)
    });
    check("rf_str", strings, |p| {
        sklearn::load::<RandomForestClassifier<String>>(p)
    });
}

#[test]
fn one_vs_rest() {
    check("ovr_lr", ints, |p| {
        sklearn::load::<OneVsRestClassifier<LogisticRegression<bool>, i64>>(p)
    });
    check("ovr_rf", ints, |p| {
        sklearn::load::<OneVsRestClassifier<RandomForestClassifier<bool>, i64>>(p)
    });
}

#[test]
fn pipelines() {
    for (dir, exp) in versions() {
        let t = texts(&exp);
        for fmt in FORMATS {
            let tag = format!("{} pipe_*.{fmt}", exp["sklearn"]);
            let lr: Pipeline<LogisticRegression<String>> =
                sklearn::load(dir.join(format!("pipe_lr.{fmt}")))
                    .unwrap_or_else(|e| panic!("{tag}: {e}"));
            let want = &exp["models"]["pipe_lr"];
            assert_eq!(lr.classes(), strings(&want["classes"]).as_slice(), "{tag}");
            assert_close(
                &lr.predict_proba(&t).unwrap(),
                &matrix(&want["proba"]),
                &tag,
            );
            let rf: Pipeline<RandomForestClassifier<i64>> =
                sklearn::load(dir.join(format!("pipe_rf.{fmt}")))
                    .unwrap_or_else(|e| panic!("{tag}: {e}"));
            let want = &exp["models"]["pipe_rf"];
            assert_eq!(rf.classes(), ints(&want["classes"]).as_slice(), "{tag}");
            assert_close(
                &rf.predict_proba(&t).unwrap(),
                &matrix(&want["proba"]),
                &tag,
            );
        }
    }
}

/// A text pipeline file `name` loads as `Pipeline<M>` and predicts as
/// scikit-learn did, in every version and format.
fn check_pipeline<M: Classifier + PredictProba<CsrMatrix> + sklearn::FromSklearn>(
    name: &str,
    classes: impl Fn(&Value) -> Vec<M::Label>,
) where
    M::Label: PartialEq + std::fmt::Debug,
{
    for (dir, exp) in versions() {
        let t = texts(&exp);
        for fmt in FORMATS {
            let tag = format!("{} {name}.{fmt}", exp["sklearn"]);
            let p: Pipeline<M> = sklearn::load(dir.join(format!("{name}.{fmt}")))
                .unwrap_or_else(|e| panic!("{tag}: {e}"));
            let want = &exp["models"][name];
            assert_eq!(p.classes(), classes(&want["classes"]).as_slice(), "{tag}");
            assert_close(&p.predict_proba(&t).unwrap(), &matrix(&want["proba"]), &tag);
        }
    }
}

#[test]
fn pipelines_over_counts_and_a_tfidf_transformer() {
    // [CountVectorizer, LogisticRegression]: raw counts as features.
    check_pipeline::<LogisticRegression<String>>("pipe_count_lr", strings);
    // [CountVectorizer, TfidfTransformer, LogisticRegression], integer classes.
    check_pipeline::<LogisticRegression<i64>>("pipe_count_tfidf_lr", ints);
}

#[test]
fn pipelines_over_a_tree_and_one_vs_rest() {
    check_pipeline::<DecisionTreeClassifier<String>>("pipe_dt", strings);
    check_pipeline::<OneVsRestClassifier<LogisticRegression<bool>, i64>>("pipe_ovr", ints);
}

#[test]
fn a_vectorizer_and_a_classifier_pickled_apart_make_one_pipeline() {
    for (dir, exp) in versions() {
        let tfidf: TfidfVectorizer = sklearn::load(dir.join("tfidf.p5.pkl")).unwrap();
        let lr: LogisticRegression<String> = sklearn::load(dir.join("lr_str.joblib")).unwrap();
        let model = Pipeline::new(tfidf, lr).unwrap();
        let want = &exp["models"]["lr_str"];
        assert_close(
            &model.predict_proba(&texts(&exp)).unwrap(),
            &matrix(&want["proba"]),
            "Pipeline::new(tfidf, lr_str)",
        );
        // The char n-gram counts have another width than the classifier.
        let count: CountVectorizer = sklearn::load(dir.join("count.p5.pkl")).unwrap();
        let lr: LogisticRegression<String> = sklearn::load(dir.join("lr_str.p5.pkl")).unwrap();
        let err = Pipeline::new(count, lr).unwrap_err();
        let msg = err.to_string();
        assert!(
            matches!(
                err,
                proba::Error::InvalidParameter {
                    name: "classifier",
                    ..
                }
            ),
            "{msg}"
        );
        let width = |m: &str| exp["models"][m]["n_features"].as_u64().unwrap().to_string();
        assert!(
            msg.contains(&width("count")) && msg.contains(&width("tfidf")),
            "{msg}"
        );
    }
}

#[test]
fn contents_tell_the_steps_and_the_label_type_before_loading() {
    use sklearn::{Kind, LabelKind};
    let dir = root().join("sk13");
    let bytes = std::fs::read(dir.join("pipe_count_tfidf_lr.z3.joblib")).unwrap();
    let c = sklearn::contents(&bytes).unwrap();
    assert_eq!(c.kind, Kind::Pipeline);
    assert_eq!(
        c.steps,
        [
            Kind::CountVectorizer,
            Kind::TfidfTransformer,
            Kind::LogisticRegression
        ]
    );
    assert_eq!(c.labels, Some(LabelKind::Integers));
    // Asked for string classes, the error names both types.
    let err = sklearn::from_bytes::<Pipeline<LogisticRegression<String>>>(&bytes).unwrap_err();
    assert!(err.to_string().contains("integers"), "{err}");
    assert!(err.to_string().contains("String"), "{err}");
    // One decode, mapped twice.
    let (tfidf_width, classes) = sklearn::decode(&bytes, |file| {
        let p = file.to::<Pipeline<LogisticRegression<i64>>>()?;
        let again = file.to::<Pipeline<LogisticRegression<i64>>>()?;
        assert_eq!(p.classes(), again.classes());
        Ok((p.n_features(), p.classes().to_vec()))
    })
    .unwrap();
    let exp: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    assert!(tfidf_width > 0 && tfidf_width <= 700);
    assert_eq!(
        classes,
        ints(&exp["models"]["pipe_count_tfidf_lr"]["classes"])
    );
    for (name, labels) in [
        ("tfidf", None),
        ("mlb", Some(LabelKind::Strings)),
        ("ovr_lr", Some(LabelKind::Integers)),
        ("pipe_dt", Some(LabelKind::Strings)),
    ] {
        let bytes = std::fs::read(dir.join(format!("{name}.p4.pkl"))).unwrap();
        assert_eq!(sklearn::contents(&bytes).unwrap().labels, labels, "{name}");
    }
}

#[test]
fn kind_and_sniffing() {
    let dir = root().join("sk19");
    for (name, kind) in [
        ("tfidf", sklearn::Kind::TfidfVectorizer),
        ("count", sklearn::Kind::CountVectorizer),
        ("mlb", sklearn::Kind::MultiLabelBinarizer),
        ("lr_str", sklearn::Kind::LogisticRegression),
        ("dt_int", sklearn::Kind::DecisionTreeClassifier),
        ("rf_str", sklearn::Kind::RandomForestClassifier),
        ("ovr_lr", sklearn::Kind::OneVsRestClassifier),
        ("pipe_lr", sklearn::Kind::Pipeline),
    ] {
        for fmt in FORMATS {
            let bytes = std::fs::read(dir.join(format!("{name}.{fmt}"))).unwrap();
            assert!(sklearn::is_pickle(&bytes), "{name}.{fmt}");
            assert_eq!(sklearn::kind(&bytes).unwrap(), kind, "{name}.{fmt}");
        }
    }
    assert!(!sklearn::is_pickle(b"{\"format\": \"proba\"}"));
}
