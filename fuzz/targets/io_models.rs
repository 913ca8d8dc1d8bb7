//! Fuzz target `io_models`: `proba::io::from_slice` for every saved kind
//! that the `io_tfidf`/`io_count`/`io_logistic` targets do not cover. The
//! first input byte picks the kind (see [`KINDS`]); the rest is loaded as
//! is and after structure-aware mutations of itself or, when it is not
//! JSON, of a small real saved model of that kind (built here, so the
//! seeds always match the current format). A model that loads must answer
//! valid input of its own width with well-formed output, and refuse
//! another width with an error.

use std::sync::OnceLock;

use arbitrary::Unstructured;
use ndarray::array;
use proba::ensemble::RandomForestClassifier;
use proba::io;
use proba::linear::{LogisticRegression, SgdClassifier};
use proba::multilabel::{MultiLabelBinarizer, OneVsRestClassifier};
use proba::pipeline::Pipeline;
use proba::prelude::*;
use proba::text::{HashingVectorizer, TfidfTransformer, TfidfVectorizer};
use proba::tree::DecisionTreeClassifier;

use super::gen::assert_csr_valid;
use super::io::{all_bytes, load_all};

/// The kinds, in the order of the selector byte (modulo their number).
pub const KINDS: [&str; 9] = [
    "RandomForestClassifier",
    "DecisionTreeClassifier",
    "MultiLabelBinarizer",
    "OneVsRestClassifier<LogisticRegression>",
    "OneVsRestClassifier<RandomForestClassifier>",
    "Pipeline<LogisticRegression>",
    "SgdClassifier",
    "HashingVectorizer",
    "TfidfTransformer",
];

const DOCS: [&str; 6] = [
    "the cat sat on the mat",
    "the dog ate my homework",
    "Café crème, s'il vous plaît",
    "cats and dogs",
    "",
    "homework for the cat",
];

const PROBE: [&str; 4] = ["the cat", "Café au lait ﬁ İ", "", "dogs dogs dogs"];

/// The saved text of a small fitted model of each kind, in [`KINDS`] order.
pub fn seed_models() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| build_seeds().expect("seed models"))
}

fn build_seeds() -> Result<Vec<String>> {
    let x = array![
        [0.0, 1.0, 2.0],
        [1.0, 0.0, 0.5],
        [0.0, 2.0, 1.0],
        [3.0, 0.0, 0.0],
        [0.5, 0.5, 0.5],
        [2.0, 1.0, 0.0]
    ];
    let y: Vec<String> = ["a", "b", "a", "c", "b", "c"].map(String::from).to_vec();
    let sets: Vec<Vec<String>> = y
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut s = vec![l.clone()];
            if i % 2 == 0 {
                s.push("even".into());
            }
            s
        })
        .collect();
    let forest = RandomForestClassifier::params()
        .n_estimators(3)
        .fit(&x, &y)?;
    let tree = DecisionTreeClassifier::params().fit(&x, &y)?;
    let mlb = MultiLabelBinarizer::params().fit(&sets)?;
    let ovr_lr = OneVsRestClassifier::<LogisticRegression<bool>, String>::params(
        LogisticRegression::params(),
    )
    .fit(&x, &sets)?;
    let ovr_rf = OneVsRestClassifier::<RandomForestClassifier<bool>, String>::params(
        RandomForestClassifier::params().n_estimators(2),
    )
    .fit(&x, &sets)?;
    let texts: Vec<String> = ["pets", "school", "food", "pets", "food", "school"]
        .map(String::from)
        .to_vec();
    let pipe = Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params())
        .fit(&DOCS, &texts)?;
    let sgd = SgdClassifier::params().max_iter(5).tol(None).fit(&x, &y)?;
    let hv = HashingVectorizer::params().n_features(1 << 8).build()?;
    let tt = TfidfTransformer::params().fit(&hv.transform(&DOCS)?)?;
    Ok(vec![
        io::to_string(&forest)?,
        io::to_string(&tree)?,
        io::to_string(&mlb)?,
        io::to_string(&ovr_lr)?,
        io::to_string(&ovr_rf)?,
        io::to_string(&pipe)?,
        io::to_string(&sgd)?,
        io::to_string(&hv)?,
        io::to_string(&tt)?,
    ])
}

/// Three rows of width `p` with a few nonzeros (first and last column):
/// cheap for any width a file may claim.
fn probe(p: usize) -> CsrMatrix {
    let last = p.saturating_sub(1);
    CsrMatrix::new(
        3,
        p,
        vec![0, 1, 3, 3],
        vec![0, 0, last],
        vec![0.5, 1.0, 2.0],
    )
    .unwrap_or_else(|_| CsrMatrix::zeros(3, p))
}

/// What the rows of a probability matrix must sum to.
#[derive(Clone, Copy)]
enum Sum {
    /// 1 (or 0 for a tree leaf of zero weight, as in scikit-learn).
    One,
    /// At most 1: a forest's mean over trees, some of whose leaves may weigh zero.
    AtMostOne,
    /// Anything: independent per-label probabilities.
    Free,
}

fn check_proba(p: &ndarray::Array2<f64>, rows: usize, cols: usize, sum: Sum) {
    assert_eq!(p.dim(), (rows, cols));
    for r in p.rows() {
        assert!(r.iter().all(|v| (0.0..=1.0).contains(v)), "{r:?}");
        let s = r.sum();
        match sum {
            Sum::One => assert!(s == 0.0 || (s - 1.0).abs() < 1e-9, "{r:?}"),
            Sum::AtMostOne => assert!(s <= 1.0 + 1e-9, "{r:?}"),
            Sum::Free => {}
        }
    }
}

/// A classifier over a matrix: answers its own width, refuses another.
fn check_classifier<M>(m: &M, p: usize, sum: Sum)
where
    M: PredictProba<CsrMatrix>,
{
    let x = probe(p);
    if let Ok(proba) = m.predict_proba(&x) {
        check_proba(&proba, 3, m.n_classes(), sum);
    }
    assert_eq!(
        m.predict(&x).expect("predict at the model's width").len(),
        3
    );
    assert!(m.predict(&probe(p + 1)).is_err());
}

pub fn io_models(u: &mut Unstructured) -> arbitrary::Result<()> {
    let kind = usize::from(u.arbitrary::<u8>()?) % KINDS.len();
    let bytes = all_bytes(u)?;
    let seed = seed_models()[kind].as_str();
    match kind {
        0 => load_all::<RandomForestClassifier<String>>(bytes, seed, |m| {
            check_classifier(m, m.n_features(), Sum::AtMostOne);
            let _ = (
                m.nonzero_feature_importances(),
                m.node_count(),
                m.max_depth(),
            );
        }),
        1 => load_all::<DecisionTreeClassifier<String>>(bytes, seed, |m| {
            check_classifier(m, m.n_features(), Sum::One);
            let _ = m.nonzero_feature_importances();
        }),
        2 => load_all::<MultiLabelBinarizer<String>>(bytes, seed, |b| {
            let sets = vec![b.classes().to_vec(), vec![], vec!["?".to_string()]];
            if let Ok(y) = b.transform(&sets) {
                assert_eq!(y.dim(), (3, b.n_classes()));
            }
        }),
        3 => load_all::<OneVsRestClassifier<LogisticRegression<bool>, String>>(bytes, seed, |m| {
            let x = probe(m.n_features());
            let p = m
                .predict_proba(&x)
                .expect("predict_proba at the model's width");
            check_proba(&p, 3, m.classes().len(), Sum::Free);
            assert_eq!(m.predict(&x).expect("predict").len(), 3);
            assert!(m.predict(&probe(m.n_features() + 1)).is_err());
        }),
        4 => load_all::<OneVsRestClassifier<RandomForestClassifier<bool>, String>>(
            bytes,
            seed,
            |m| {
                let x = probe(m.n_features());
                let p = m
                    .predict_proba(&x)
                    .expect("predict_proba at the model's width");
                check_proba(&p, 3, m.classes().len(), Sum::Free);
                assert!(m.predict(&probe(m.n_features() + 1)).is_err());
            },
        ),
        5 => load_all::<Pipeline<LogisticRegression<String>>>(bytes, seed, |m| {
            let p = m.predict_proba(&PROBE).expect("predict_proba on texts");
            check_proba(&p, PROBE.len(), m.classes().len(), Sum::One);
            let one = m.predict_one(PROBE[1]).expect("predict_one");
            assert_eq!(one.len(), m.classes().len());
        }),
        6 => load_all::<SgdClassifier<String>>(bytes, seed, |m| {
            check_classifier(m, m.n_features(), Sum::One);
        }),
        7 => load_all::<HashingVectorizer>(bytes, seed, |v| {
            let x = v.transform(&PROBE).expect("transform");
            assert_csr_valid(&x);
            assert_eq!(x.shape(), (PROBE.len(), v.n_features()));
        }),
        _ => load_all::<TfidfTransformer>(bytes, seed, |t| {
            let x = probe(t.n_features());
            if let Ok(w) = t.transform(&x) {
                assert_csr_valid(&w);
                assert_eq!(w.shape(), x.shape());
            }
            assert!(t.transform(&probe(t.n_features() + 1)).is_err());
        }),
    }
    Ok(())
}
