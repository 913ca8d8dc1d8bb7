//! Fuzz targets for `proba::io` on arbitrary and mutated bytes of real saved
//! models. The seeds in `fuzz/corpus/io_*/` are a small saved
//! `TfidfVectorizer`, `CountVectorizer` and `LogisticRegression<String>`
//! (rewrite them with `PROBA_FUZZ_WRITE_SEEDS=1 cargo test --release --test
//! api -- fuzz::seeds`). Each input is loaded as is (the driver mutates bytes)
//! and, when it parses as JSON, after a few structure-aware mutations
//! (numbers replaced by extreme values, array elements dropped or
//! duplicated, keys removed, types swapped), derived deterministically from
//! the input. A model that loads must predict on valid input without
//! panicking. Commands: `fuzz/README.md`.
//!

use super::gen::assert_csr_valid;
use arbitrary::Unstructured;
use ndarray::Array2;
use proba::io::{self, Persist};
use proba::linear::LogisticRegression;
use proba::prelude::*;
use proba::text::{CountVectorizer, StopWords, TfidfVectorizer};
use serde_json::Value;

const DOCS: [&str; 5] = [
    "the cat sat on the mat",
    "the dog ate my homework",
    "Café crème, s'il vous plaît",
    "cats and dogs",
    "",
];

/// The models whose saved forms are the committed seeds of the `io_*`
/// targets (`fuzz/corpus/io_*/model.json`).
pub fn seed_models() -> Result<(String, String, String)> {
    let tfidf = TfidfVectorizer::params()
        .ngram_range(1, 2)
        .sublinear_tf(true)
        .fit(&DOCS)?;
    let count = CountVectorizer::params()
        .stop_words(StopWords::English)
        .max_features(6)
        .fit(&DOCS)?;
    let x = tfidf.transform(&DOCS)?;
    let y: Vec<String> = ["pets", "school", "food", "pets", "food"]
        .map(String::from)
        .to_vec();
    let lr = LogisticRegression::params().fit(&x, &y)?;
    Ok((
        io::to_string(&tfidf)?,
        io::to_string(&count)?,
        io::to_string(&lr)?,
    ))
}

/// xorshift64* seeded by an FNV hash of the input: mutations are a
/// deterministic function of the saved crash input.
struct Rng(u64);

impl Rng {
    fn from_bytes(b: &[u8]) -> Self {
        let h = b.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &x| {
            (h ^ u64::from(x)).wrapping_mul(0x100_0000_01b3)
        });
        Rng(h | 1)
    }
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1) as u64) as usize
    }
}

/// Counts the nodes of `v` (pre-order).
fn count_nodes(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count_nodes).sum(),
        Value::Object(o) => o.values().map(count_nodes).sum(),
        _ => 0,
    }
}

/// The `n`-th node of `v` in pre-order.
fn nth_node<'a>(v: &'a mut Value, n: &mut usize) -> Option<&'a mut Value> {
    if *n == 0 {
        return Some(v);
    }
    *n -= 1;
    match v {
        Value::Array(a) => a.iter_mut().find_map(|c| nth_node(c, n)),
        Value::Object(o) => o.values_mut().find_map(|c| nth_node(c, n)),
        _ => None,
    }
}

fn extreme_number(rng: &mut Rng) -> Value {
    let pick = [
        "0",
        "-1",
        "1",
        "2",
        "3",
        "1.5",
        "-0.0",
        "4294967295",
        "4294967296",
        "9007199254740993",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "1e308",
        "-1e308",
        "1e-320",
        "1e400",
        "0.1",
    ];
    serde_json::from_str(pick[rng.below(pick.len())]).unwrap_or(Value::Null)
}

/// One structure-aware mutation of `v`.
fn mutate_json(v: &mut Value, rng: &mut Rng) {
    let total = count_nodes(v);
    let mut n = rng.below(total);
    let Some(node) = nth_node(v, &mut n) else {
        return;
    };
    match rng.below(8) {
        0 | 1 => *node = extreme_number(rng),
        2 => match node {
            Value::Array(a) if !a.is_empty() => {
                let i = rng.below(a.len());
                a.remove(i);
            }
            Value::Object(o) if !o.is_empty() => {
                let key = o
                    .keys()
                    .nth(rng.below(o.len()))
                    .cloned()
                    .unwrap_or_default();
                o.remove(&key);
            }
            _ => *node = Value::Null,
        },
        3 => {
            if let Value::Array(a) = node {
                if !a.is_empty() {
                    let i = rng.below(a.len());
                    let dup = a[i].clone();
                    a.insert(rng.below(a.len() + 1), dup);
                }
            }
        }
        4 => {
            if let Value::Array(a) = node {
                if a.len() > 1 {
                    let (i, j) = (rng.below(a.len()), rng.below(a.len()));
                    a.swap(i, j);
                }
            }
        }
        5 => {
            let s = [
                "", "a", "the", "L2", "Word", "Char", "English", "(", "\u{301}", "pets",
            ];
            *node = Value::String(s[rng.below(s.len())].to_string());
        }
        6 => *node = Value::Bool(rng.below(2) == 0),
        _ => {
            *node = match node {
                Value::Array(_) => Value::Array(vec![]),
                Value::Number(_) => Value::Array(vec![extreme_number(rng)]),
                _ => Value::Object(Default::default()),
            }
        }
    }
}

/// Loads `bytes` as `T` as is, then after structured mutations of `bytes`
/// if it is JSON, else of the seed `seed` (a committed seed's target name,
/// or a saved model's text; so every input also
/// exercises the model's own validation, not only the JSON parser);
/// `exercise` runs on every model that loads.
pub(super) fn load_all<T: Persist + serde::de::DeserializeOwned>(
    bytes: &[u8],
    seed: &str,
    exercise: impl Fn(&T),
) {
    let run = |text: &[u8]| {
        if let Ok(m) = io::from_slice::<T>(text) {
            super::deep();
            exercise(&m);
        }
    };
    run(bytes);
    let _ = io::header(bytes);
    let value = match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => v,
        Err(_) => match serde_json::from_str::<Value>(seed_text(seed).unwrap_or(seed)) {
            Ok(v) => v,
            Err(_) => return,
        },
    };
    let mut rng = Rng::from_bytes(bytes);
    for _ in 0..8 {
        let mut v = value.clone();
        for _ in 0..1 + rng.below(3) {
            mutate_json(&mut v, &mut rng);
        }
        run(v.to_string().as_bytes());
    }
}

/// The committed seed of target `name`, built into the binary so that both
/// harnesses (stable `cargo test` and `cargo fuzz`) find it.
fn seed_text(name: &str) -> Option<&'static str> {
    match name {
        "io_tfidf" => Some(include_str!("../corpus/io_tfidf/model.json")),
        "io_count" => Some(include_str!("../corpus/io_count/model.json")),
        "io_logistic" => Some(include_str!("../corpus/io_logistic/model.json")),
        // Otherwise `seed` is the seed's text itself.
        _ => None,
    }
}

pub(super) fn all_bytes<'a>(u: &mut Unstructured<'a>) -> arbitrary::Result<&'a [u8]> {
    let n = u.len();
    u.bytes(n)
}

const PROBE: [&str; 4] = ["the cat", "Café au lait ﬁ İ", "", "dogs dogs dogs"];

pub fn io_tfidf(u: &mut Unstructured) -> arbitrary::Result<()> {
    load_all::<TfidfVectorizer>(all_bytes(u)?, "io_tfidf", |v| {
        let m = v.transform(&PROBE).expect("transform");
        assert_csr_valid(&m);
        assert_eq!(m.shape(), (PROBE.len(), v.n_features()));
        let _ = v.transform_one(PROBE[1]);
        let _ = (
            v.feature_names(),
            v.idf(),
            v.vocabulary(),
            v.analyze(PROBE[1]),
        );
    });
    Ok(())
}

pub fn io_count(u: &mut Unstructured) -> arbitrary::Result<()> {
    load_all::<CountVectorizer>(all_bytes(u)?, "io_count", |v| {
        let m = v.transform(&PROBE).expect("transform");
        assert_csr_valid(&m);
        assert_eq!(m.shape(), (PROBE.len(), v.n_features()));
        let _ = v.transform_one(PROBE[1]);
        let _ = (v.feature_names(), v.vocabulary(), v.analyze(PROBE[1]));
    });
    Ok(())
}

pub fn io_logistic(u: &mut Unstructured) -> arbitrary::Result<()> {
    load_all::<LogisticRegression<String>>(all_bytes(u)?, "io_logistic", |m| {
        let p = m.n_features();
        let x = Array2::from_shape_fn((3, p), |(i, j)| ((i * 7 + j) % 5) as f64 * 0.25);
        for probs in [
            m.predict_proba(&x).expect("predict_proba"),
            m.predict_proba(&CsrMatrix::from_dense(x.view()))
                .expect("predict_proba"),
        ] {
            assert_eq!(probs.dim(), (3, m.classes().len()));
        }
        assert_eq!(m.predict(&x).expect("predict").len(), 3);
        let _ = m.predict_log_proba(&x);
        let _ = m.decision_function(&x);
        assert!(m.predict_proba(&Array2::<f64>::zeros((1, p + 1))).is_err());
    });
    Ok(())
}
