//! The public API contract: the names and calls promised to users, which
//! keep compiling (deprecate, do not break), written exactly as another
//! crate calls them.
//! If this file stops compiling, the contract is broken.

use ndarray::Array2;
use proba::ensemble::RandomForestClassifier;
use proba::linear::LogisticRegression;
use proba::multilabel::{MultiLabelBinarizer, OneVsRestClassifier};
use proba::pipeline::Pipeline;
use proba::prelude::*;
use proba::text::TfidfVectorizer;

fn corpus() -> (Vec<String>, Vec<String>, Vec<Vec<String>>) {
    let base = [
        ("the cat purrs on the mat", "cat"),
        ("a cat naps in the sun", "cat"),
        ("my cat chases mice at night", "cat"),
        ("the dog barks at the mailman", "dog"),
        ("a dog fetches the ball", "dog"),
        ("my dog digs in the garden", "dog"),
        ("the fish swims in the bowl", "fish"),
        ("a fish blows bubbles all day", "fish"),
        ("my fish hides behind the plant", "fish"),
    ];
    let texts: Vec<String> = base.iter().map(|(t, _)| t.to_string()).collect();
    let labels: Vec<String> = base.iter().map(|(_, l)| l.to_string()).collect();
    let sets = base
        .iter()
        .map(|(t, l)| {
            let mut s = vec![l.to_string()];
            if t.starts_with("my") {
                s.push("mine".to_string());
            }
            s
        })
        .collect();
    (texts, labels, sets)
}

#[test]
fn design_md_api_compiles_and_behaves() -> Result<()> {
    let (train_texts, train_labels, label_sets) = corpus();
    let test_texts = vec!["a cat and a dog", "the fish"];

    let tfidf = TfidfVectorizer::params()
        .ngram_range(1, 2)
        .min_df(2)
        .fit(&train_texts)?;
    let x: CsrMatrix = tfidf.transform(&train_texts)?;
    assert_eq!(x.n_rows(), train_texts.len());
    assert_eq!(tfidf.feature_names().len(), x.n_cols());
    assert!(tfidf.idf().is_some());
    let _fraction = TfidfVectorizer::params()
        .min_df(0.1)
        .max_df(0.9)
        .fit(&train_texts)?;

    let lr = LogisticRegression::params().c(1.0).fit(&x, &train_labels)?;
    let p: Array2<f64> = lr.predict_proba(&tfidf.transform(&test_texts)?)?;
    assert_eq!(p.dim(), (2, 3));
    assert_eq!(lr.classes(), &["cat", "dog", "fish"]);
    for row in p.rows() {
        assert!((row.sum() - 1.0).abs() < 1e-12);
    }
    let dense = x.to_dense();
    let pd = lr.predict_proba(&dense)?;
    let pv = lr.predict_proba(&dense.view())?;
    let ps = lr.predict_proba(&x)?;
    assert!((&pd - &ps).iter().all(|d| d.abs() < 1e-12));
    assert_eq!(pd, pv);
    assert_eq!(lr.predict(&x)?.len(), x.n_rows());

    let rf = RandomForestClassifier::params()
        .n_estimators(100)
        .seed(0)
        .fit(&x, &train_labels)?;
    assert_eq!(rf.predict_proba(&x)?.dim(), (9, 3));
    assert_eq!(rf.classes().len(), 3);

    let mlb = MultiLabelBinarizer::params().fit(&label_sets)?;
    assert_eq!(mlb.classes().len(), 4);
    let ovr = OneVsRestClassifier::params(LogisticRegression::params()).fit(&x, &label_sets)?;
    let p = ovr.predict_proba(&x)?;
    assert_eq!(p.dim(), (9, 4));
    assert_eq!(ovr.classes(), &["cat", "dog", "fish", "mine"]);
    let ovr_rf =
        OneVsRestClassifier::params(RandomForestClassifier::params().n_estimators(10).seed(1))
            .fit(&x, &label_sets)?;
    assert_eq!(ovr_rf.predict_proba(&x)?.dim(), (9, 4));

    let model = Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params())
        .fit(&train_texts, &train_labels)?;
    let p = model.predict_proba(&test_texts)?;
    assert_eq!(p.dim(), (2, 3));
    assert_eq!(model.predict(&test_texts)?[1], "fish");
    Ok(())
}

#[test]
fn integer_labels_infer_without_annotations() -> Result<()> {
    let x = ndarray::array![[0.0, 1.0], [1.0, 0.0], [0.1, 0.9], [0.9, 0.2]];
    let y = vec![3_i64, 7, 3, 7];
    let lr = LogisticRegression::params().fit(&x, &y)?;
    assert_eq!(lr.classes(), &[3, 7]);
    assert_eq!(lr.predict(&x)?, y);
    Ok(())
}

#[test]
fn str_labels_train_save_and_load_as_string() -> Result<()> {
    let x = ndarray::array![[0.0, 1.0], [1.0, 0.0], [0.1, 0.9], [0.9, 0.2]];
    let y = vec!["ham", "spam", "ham", "spam"];
    let lr = LogisticRegression::params().fit(&x, &y)?;
    assert_eq!(lr.classes(), &["ham", "spam"]);
    let saved = proba::io::to_string(&lr)?;
    let back: LogisticRegression<String> = proba::io::from_str(&saved)?;
    assert_eq!(back.classes(), &["ham".to_string(), "spam".to_string()]);
    assert_eq!(back.predict_proba(&x)?, lr.predict_proba(&x)?);
    let rf = RandomForestClassifier::params()
        .n_estimators(5)
        .seed(0)
        .fit(&x, &y)?;
    assert_eq!(rf.predict(&x)?, y);
    Ok(())
}

#[test]
fn stop_words_accept_the_forms_a_sklearn_user_writes() -> Result<()> {
    use proba::text::StopWords;
    let docs = ["the cat and the dog", "a cat or a bird"];
    let names = |v: TfidfVectorizer| v.feature_names().to_vec();
    let english = names(TfidfVectorizer::params().stop_words("english").fit(&docs)?);
    assert_eq!(
        english,
        names(
            TfidfVectorizer::params()
                .stop_words(StopWords::English)
                .fit(&docs)?
        )
    );
    assert!(!english.contains(&"the".to_string()));
    let custom = names(
        TfidfVectorizer::params()
            .stop_words(vec!["cat", "dog"])
            .fit(&docs)?,
    );
    assert!(!custom.contains(&"cat".to_string()) && custom.contains(&"the".to_string()));
    let none = names(TfidfVectorizer::params().stop_words(None).fit(&docs)?);
    assert!(none.contains(&"cat".to_string()));
    Ok(())
}

/// Features built with the re-exported ndarray (`proba::ndarray`), as a
/// project with no ndarray dependency of its own (or another version) does.
#[test]
fn features_through_the_reexported_ndarray() {
    use proba::linear::LogisticRegression;
    use proba::ndarray::{array, Array2};
    use proba::prelude::*;

    let x: Array2<f64> = array![[0.0, 1.0], [1.0, 0.0], [0.1, 0.9], [0.9, 0.2]];
    let y = ["b", "a", "b", "a"];
    let m = LogisticRegression::params().fit(&x, &y).unwrap();
    // `Features` in scope does not shadow ndarray's own `view()`.
    let p = m.predict_proba(&x.view()).unwrap();
    assert_eq!(p.dim(), (4, 2));
    assert_eq!(
        PredictProba::predict(&m, &x).unwrap(),
        vec!["b", "a", "b", "a"]
    );
    assert_eq!(Features::n_rows(&x.view()), 4);
}
