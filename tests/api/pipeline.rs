//! proba::pipeline: fitting on raw text, predicting on every text container,
//! one-document predictions, saving/loading, bad input, thread-count
//! independence, and end-to-end parity with scikit-learn on BBC.

use proba::ensemble::RandomForestClassifier;
use proba::linear::LogisticRegression;
use proba::multilabel::OneVsRestClassifier;
use proba::pipeline::Pipeline;
use proba::prelude::*;
use proba::text::TfidfVectorizer;

use crate::support;

fn demo() -> (Vec<String>, Vec<String>) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/fortunes-demo.jsonl");
    let raw = std::fs::read_to_string(path).unwrap();
    let mut texts = Vec::new();
    let mut labels = Vec::new();
    for line in raw.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        texts.push(v["text"].as_str().unwrap().to_string());
        labels.push(v["label"].as_str().unwrap().to_string());
    }
    (texts, labels)
}

fn toy() -> (Vec<&'static str>, Vec<String>) {
    let texts = vec![
        "the cat purrs on the mat",
        "a cat naps in the sun",
        "my cat meows at night",
        "the dog barks at the door",
        "a dog fetches the ball",
        "my dog runs in the park",
    ];
    let labels = ["cat", "cat", "cat", "dog", "dog", "dog"]
        .map(String::from)
        .to_vec();
    (texts, labels)
}

fn lr_model() -> Pipeline<LogisticRegression<String>> {
    let (texts, labels) = toy();
    Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params())
        .fit(&texts, &labels)
        .unwrap()
}

#[test]
fn predicts_on_every_kind_of_text_collection() {
    let model = lr_model();
    assert_eq!(model.classes(), ["cat".to_string(), "dog".to_string()]);
    let owned: Vec<String> = vec!["cat on a mat".into(), "dog in a park".into()];
    let borrowed: Vec<&str> = vec!["cat on a mat", "dog in a park"];
    let a = model.predict_proba(&owned).unwrap();
    let b = model.predict_proba(&borrowed).unwrap();
    let c = model.predict_proba(&borrowed[..]).unwrap();
    let d = model
        .predict_proba(&["cat on a mat", "dog in a park"])
        .unwrap();
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert_eq!(a, d);
    assert_eq!(a.dim(), (2, 2));
    for row in a.rows() {
        assert!((row.sum() - 1.0).abs() < 1e-12);
    }
    assert_eq!(model.predict(&owned).unwrap(), vec!["cat", "dog"]);
    // An empty batch is an empty matrix; an empty text is a valid (uninformed) row.
    let empty: Vec<String> = vec![];
    assert_eq!(model.predict_proba(&empty).unwrap().dim(), (0, 2));
    assert_eq!(model.predict_proba(&[""]).unwrap().dim(), (1, 2));
}

#[test]
fn predict_one_matches_the_batch_row_in_class_order() {
    let model = lr_model();
    let batch = model
        .predict_proba(&["the cat naps", "a dog barks"])
        .unwrap();
    for (i, text) in ["the cat naps", "a dog barks"].iter().enumerate() {
        let one = model.predict_one(text).unwrap();
        let classes: Vec<&str> = one.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(classes, ["cat", "dog"]);
        for (k, (_, p)) in one.iter().enumerate() {
            assert_eq!(p.to_bits(), batch[[i, k]].to_bits());
        }
    }
}

#[test]
fn bad_training_input_is_an_error_not_a_panic() {
    let (texts, labels) = toy();
    let params = Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params());
    assert!(matches!(
        params.fit(&texts, &labels[..3]),
        Err(Error::ShapeMismatch {
            expected: 6,
            found: 3,
            ..
        })
    ));
    let none: Vec<&str> = vec![];
    let no_labels: Vec<String> = vec![];
    assert!(params.fit(&none, &no_labels).is_err());
    // Only stop-word-free punctuation: no vocabulary.
    assert!(params
        .fit(&["!", "?"], &["a".to_string(), "b".to_string()])
        .is_err());
    // A single class.
    let one_class = vec!["x".to_string(); 6];
    assert!(params.fit(&texts, &one_class).is_err());
}

#[test]
fn save_and_load_round_trip_bit_exact_and_refuse_altered_files() {
    let model = lr_model();
    let dir = std::env::temp_dir().join(format!("proba-pipeline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("model.json");
    proba::io::save(&model, &path).unwrap();
    let back: Pipeline<LogisticRegression<String>> = proba::io::load(&path).unwrap();
    let texts = ["cat", "dog dog", "nothing known here"];
    let (p, q) = (
        model.predict_proba(&texts).unwrap(),
        back.predict_proba(&texts).unwrap(),
    );
    assert!(p
        .iter()
        .zip(q.iter())
        .all(|(a, b)| a.to_bits() == b.to_bits()));
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(proba::io::header(&bytes).unwrap().kind, "Pipeline");

    // Truncated, or as another model kind: a Format error at load.
    assert!(
        proba::io::from_slice::<Pipeline<LogisticRegression<String>>>(&bytes[..bytes.len() / 2])
            .is_err()
    );
    assert!(proba::io::from_slice::<Pipeline<RandomForestClassifier<String>>>(&bytes).is_err());
    assert!(proba::io::from_slice::<LogisticRegression<String>>(&bytes).is_err());

    // A classifier from a model with another vocabulary size is refused at load.
    let other = Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params())
        .fit(
            &["alpha beta", "gamma delta"],
            &["a".to_string(), "b".to_string()],
        )
        .unwrap();
    let mine: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let theirs: serde_json::Value =
        serde_json::from_str(&proba::io::to_string(&other).unwrap()).unwrap();
    let mut franken = mine.clone();
    franken["model"]["classifier"] = theirs["model"]["classifier"].clone();
    let err = proba::io::from_str::<Pipeline<LogisticRegression<String>>>(&franken.to_string())
        .unwrap_err();
    assert!(matches!(err, Error::Format(_) | Error::Json(_)), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn one_vs_rest_and_forest_pipelines_on_the_demo_corpus() {
    let (texts, labels) = demo();
    let (train, test) =
        proba::model_selection::stratified_train_test_split(&labels, 0.2, 0).unwrap();
    let pick = |v: &[String], idx: &[usize]| idx.iter().map(|&i| v[i].clone()).collect::<Vec<_>>();
    let (tr_x, tr_y, te_x, te_y) = (
        pick(&texts, &train),
        pick(&labels, &train),
        pick(&texts, &test),
        pick(&labels, &test),
    );

    let lr = Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params())
        .fit(&tr_x, &tr_y)
        .unwrap();
    let acc = proba::metrics::accuracy(&te_y, &lr.predict(&te_x).unwrap()).unwrap();
    assert!(acc > 0.5, "logistic regression accuracy {acc}");

    let rf = Pipeline::params(
        TfidfVectorizer::params().min_df(2),
        RandomForestClassifier::params().n_estimators(20).seed(0),
    )
    .fit(&tr_x, &tr_y)
    .unwrap();
    let p = rf.predict_proba(&te_x).unwrap();
    assert_eq!(p.dim(), (te_x.len(), 10));
    let acc = proba::metrics::accuracy(&te_y, &rf.predict(&te_x).unwrap()).unwrap();
    assert!(acc > 0.3, "random forest accuracy {acc}");

    let sets: Vec<Vec<String>> = tr_y
        .iter()
        .map(|l| {
            let group = if ["computers", "linux", "science"].contains(&l.as_str()) {
                "tech"
            } else {
                "other"
            };
            vec![l.clone(), group.to_string()]
        })
        .collect();
    let ovr = Pipeline::params(
        TfidfVectorizer::params(),
        OneVsRestClassifier::<LogisticRegression<bool>, String>::params(
            LogisticRegression::params(),
        ),
    )
    .fit(&tr_x, &sets)
    .unwrap();
    assert_eq!(ovr.n_classes(), 12);
    let one = ovr.predict_one(&te_x[0]).unwrap();
    assert_eq!(one.len(), 12);
    assert!(one.iter().all(|(_, p)| (0.0..=1.0).contains(p)));
    // Saved and loaded as one file.
    let back: Pipeline<OneVsRestClassifier<LogisticRegression<bool>, String>> =
        proba::io::from_str(&proba::io::to_string(&ovr).unwrap()).unwrap();
    assert_eq!(back.predict_one(&te_x[0]).unwrap(), one);
}

#[test]
fn one_and_two_threads_give_identical_models() {
    let (texts, labels) = demo();
    let fit = |threads: usize| {
        support::in_pool(threads, || {
            let m = Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params())
                .fit(&texts, &labels)
                .unwrap();
            m.predict_proba(&texts[..200]).unwrap()
        })
    };
    let (a, b) = (fit(1), fit(2));
    assert!(a
        .iter()
        .zip(b.iter())
        .all(|(x, y)| x.to_bits() == y.to_bits()));
}

#[test]
fn matches_scikit_learn_end_to_end_on_bbc() {
    let Some(corpus) = support::corpus("bbc.jsonl") else {
        return;
    };
    let fx = support::fixture("pipeline/bbc_tfidf_lr.json");
    assert_eq!(fx["sklearn_version"], "1.9.1");
    let (train, test) = corpus.split();
    let model = Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params())
        .fit(&train.texts, &train.labels)
        .unwrap();
    assert_eq!(
        model.n_features() as u64,
        fx["vocabulary_size"].as_u64().unwrap()
    );
    let classes: Vec<String> = serde_json::from_value(fx["classes"].clone()).unwrap();
    assert_eq!(model.classes(), classes.as_slice());
    let n = fx["test_rows"].as_u64().unwrap() as usize;
    let p = model.predict_proba(&test.texts[..n]).unwrap();
    let mut worst: f64 = 0.0;
    for (i, row) in fx["proba"].as_array().unwrap().iter().enumerate() {
        for (k, v) in row.as_array().unwrap().iter().enumerate() {
            worst = worst.max((p[[i, k]] - v.as_f64().unwrap()).abs());
        }
    }
    eprintln!("largest probability difference from scikit-learn on {n} BBC test rows: {worst:e}");
    assert!(worst < 1e-9, "largest probability difference {worst:e}");
    let acc = proba::metrics::accuracy(&test.labels, &model.predict(&test.texts).unwrap()).unwrap();
    let expected = fx["test_accuracy"].as_f64().unwrap();
    assert!(
        (acc - expected).abs() < 2.0 / test.labels.len() as f64,
        "{acc} vs {expected}"
    );
}

#[test]
fn a_file_loaded_as_another_type_says_what_it_holds() {
    use proba::ensemble::RandomForestClassifier;
    let texts = [
        "the cat sat",
        "a cat purrs",
        "dogs bark loud",
        "the dog barks",
    ];
    let labels = ["cat", "cat", "dog", "dog"].map(String::from);
    let forest = Pipeline::params(
        TfidfVectorizer::params(),
        RandomForestClassifier::params().n_estimators(3),
    )
    .fit(&texts, &labels)
    .unwrap();
    let text = proba::io::to_string(&forest).unwrap();
    let err = proba::io::from_str::<Pipeline<LogisticRegression<String>>>(&text).unwrap_err();
    assert!(
        err.to_string().starts_with(
            "cannot load model: this file holds a Pipeline<TfidfVectorizer, \
             RandomForestClassifier<String>>; you asked for a Pipeline<TfidfVectorizer, \
             LogisticRegression<String>> ("
        ),
        "{err}"
    );
    // A label type that reads the same JSON is accepted although its name
    // differs (one-letter String classes as `char`).
    let (texts1, _) = toy();
    let letters: Vec<String> = (0..texts1.len())
        .map(|i| ["a", "b"][i % 2].to_string())
        .collect();
    let m = LogisticRegression::params()
        .fit(
            &TfidfVectorizer::params().fit_transform(&texts1).unwrap().1,
            &letters,
        )
        .unwrap();
    let as_char: LogisticRegression<char> =
        proba::io::from_str(&proba::io::to_string(&m).unwrap()).unwrap();
    assert_eq!(as_char.classes(), ['a', 'b']);
    // The right type loads; so does a file written before the full type
    // was saved (no "type" field), by kind alone.
    proba::io::from_str::<Pipeline<RandomForestClassifier<String>>>(&text).unwrap();
    let start = text.find(",\"type\":").unwrap();
    let end = start + text[start + 1..].find(",\"model\"").unwrap() + 1;
    let old = format!("{}{}", &text[..start], &text[end..]);
    assert!(!old.contains("\"type\""), "{old}");
    proba::io::from_str::<Pipeline<RandomForestClassifier<String>>>(&old).unwrap();
    // Integer labels read back as any integer type that holds them.
    let x = ndarray::array![[0.0], [1.0], [2.0], [3.0]];
    let small = RandomForestClassifier::params()
        .n_estimators(2)
        .fit(&x, &[3u8, 3, 9, 9])
        .unwrap();
    let wide: RandomForestClassifier<i64> =
        proba::io::from_str(&proba::io::to_string(&small).unwrap()).unwrap();
    assert_eq!(wide.classes(), [3, 9]);
}

/// Counts and hashed features start a pipeline as TF-IDF does: the same
/// probabilities as the vectorizer and classifier run by hand, saved and
/// loaded under their own type names.
#[test]
fn count_and_hashing_vectorizers_start_pipelines_too() {
    use proba::text::{CountVectorizer, HashingVectorizer};
    let (texts, labels) = demo();
    let count = Pipeline::params(CountVectorizer::params(), LogisticRegression::params())
        .fit(&texts, &labels)
        .unwrap();
    let (cv, x) = CountVectorizer::params().fit_transform(&texts).unwrap();
    let lr = LogisticRegression::params().fit(&x, &labels).unwrap();
    let probe = &texts[..5];
    assert_eq!(
        count.predict_proba(probe).unwrap(),
        lr.predict_proba(&cv.transform(probe).unwrap()).unwrap()
    );
    let saved = proba::io::to_string(&count).unwrap();
    assert!(saved.contains("\"type\":\"Pipeline<CountVectorizer, LogisticRegression<String>>\""));
    let back: Pipeline<LogisticRegression<String>, CountVectorizer> =
        proba::io::from_str(&saved).unwrap();
    assert_eq!(
        back.predict_proba(probe).unwrap(),
        count.predict_proba(probe).unwrap()
    );

    let hv = HashingVectorizer::params()
        .n_features(1 << 16)
        .build()
        .unwrap();
    let hashed = Pipeline::params(hv.clone(), LogisticRegression::params())
        .fit(&texts, &labels)
        .unwrap();
    let by_hand = LogisticRegression::params()
        .fit(&hv.transform(&texts).unwrap(), &labels)
        .unwrap();
    assert_eq!(
        hashed.predict_proba(probe).unwrap(),
        by_hand
            .predict_proba(&hv.transform(probe).unwrap())
            .unwrap()
    );
    // Joined from parts fitted apart; a wrong width is refused.
    let joined = Pipeline::new(hv.clone(), by_hand.clone()).unwrap();
    assert_eq!(
        joined.predict_one(&texts[0]).unwrap(),
        hashed.predict_one(&texts[0]).unwrap()
    );
    let narrow = HashingVectorizer::params()
        .n_features(1 << 10)
        .build()
        .unwrap();
    assert!(Pipeline::new(narrow, by_hand).is_err());
}

/// The one-document ranking, raw scores and weighted fit pass through to
/// the classifier.
#[test]
fn ranked_predictions_scores_and_weights_pass_through() {
    let (texts, labels) = toy();
    let model = lr_model();
    let ranked = model.predict_one_ranked("a cat and a dog", None).unwrap();
    let mut by_class = model.predict_one("a cat and a dog").unwrap();
    assert_eq!(ranked.len(), by_class.len());
    by_class.sort_by(|a, b| b.1.total_cmp(&a.1));
    assert_eq!(ranked, by_class);
    assert_eq!(model.predict_one_ranked("cat", Some(1)).unwrap().len(), 1);
    assert_eq!(model.predict_one_ranked("cat", Some(99)).unwrap().len(), 2);
    let err = model.predict_one_ranked("cat", Some(0)).unwrap_err();
    assert!(
        matches!(err, Error::InvalidParameter { name: "top_k", .. }),
        "{err}"
    );

    let scores = model.decision_function(&texts).unwrap();
    let by_hand = model
        .classifier()
        .decision_function(&model.transform(&texts).unwrap())
        .unwrap();
    assert_eq!(scores, by_hand);

    let params = Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params());
    let ones = params.fit_weighted(&texts, &labels, &[1.0; 6]).unwrap();
    let plain = params.fit(&texts, &labels).unwrap();
    assert_eq!(
        ones.predict_proba(&texts).unwrap(),
        plain.predict_proba(&texts).unwrap()
    );
    let skewed = params
        .fit_weighted(&texts, &labels, &[5.0, 5.0, 5.0, 1.0, 1.0, 1.0])
        .unwrap();
    let p = skewed.predict_proba(&["nothing known"]).unwrap();
    assert!(p[[0, 0]] > 0.5, "the heavier class wins an empty text: {p}");
    let err = params.fit_weighted(&texts, &labels, &[1.0; 5]).unwrap_err();
    assert!(matches!(err, Error::ShapeMismatch { .. }), "{err}");
    let err = params
        .fit_weighted(&texts, &labels, &[1.0, 1.0, 1.0, 1.0, 1.0, f64::NAN])
        .unwrap_err();
    assert!(err.to_string().contains("row 5"), "{err}");
}
