//! The `serve` example's router: on an ephemeral loopback port over real
//! TCP with a minimal HTTP/1.1 client (every endpoint and every error
//! status), and in process with `tower::ServiceExt::oneshot` (strict
//! requests, `top_k`, `known_terms`, named models, route checks at startup,
//! OpenAPI conformance, metrics, the request log, the timeout, the page,
//! graceful shutdown).

use std::net::SocketAddr;
use std::sync::OnceLock;

use proba::ensemble::RandomForestClassifier;
use proba::linear::LogisticRegression;
use proba::multilabel::OneVsRestClassifier;
use proba::pipeline::Pipeline;
use proba::text::TfidfVectorizer;
use serde_json::{json, Value};

use crate::app::{self, Task};
use crate::load;
use crate::support::http::{post_json, request, serve, Reply};

const MAX_BODY: usize = 4096;

fn corpus() -> (Vec<&'static str>, Vec<String>) {
    let rows = [
        ("the cat purrs and sleeps on the warm mat", "cat"),
        ("a kitten chased the cat toy and purrs", "cat"),
        ("my cat meows for fish at night", "cat"),
        ("cats sleep all day on the sofa", "cat"),
        ("the dog barks at the mailman", "dog"),
        ("a puppy fetches the ball and barks", "dog"),
        ("my dog wags its tail on walks", "dog"),
        ("dogs bark loudly at night in the park", "dog"),
        ("the bird sings in the tree at dawn", "bird"),
        ("a parrot repeats words and sings", "bird"),
        ("birds fly south and sing in spring", "bird"),
        ("the sparrow builds a nest in the tree", "bird"),
    ];
    (
        rows.iter().map(|r| r.0).collect(),
        rows.iter().map(|r| r.1.to_string()).collect(),
    )
}

fn models() -> app::Models {
    let (texts, labels) = corpus();
    let (lr, ovr, rf) = crate::pipelines(&texts, &labels, 10);
    let served = |name: &str, task, model: Box<dyn app::TextModel>| app::Served {
        name: format!("test-{name}"),
        kind: name.into(),
        task,
        model,
    };
    app::Models {
        predict: Some(served("lr", Task::SingleLabel, Box::new(lr.clone()))),
        multilabel: Some(served("ovr", Task::MultiLabel, Box::new(ovr.clone()))),
        complex: Some(served("rf", Task::SingleLabel, Box::new(rf))),
        named: vec![
            ("pets".into(), served("lr", Task::SingleLabel, Box::new(lr))),
            (
                "tags".into(),
                served("ovr", Task::MultiLabel, Box::new(ovr)),
            ),
        ],
    }
}

/// Starts one server per `models` on 127.0.0.1:0 in a background thread.
fn start(models: app::Models) -> SocketAddr {
    serve(app::router(models, MAX_BODY))
}

fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| start(models()))
}

fn post(path: &str, body: &Value) -> Reply {
    post_json(server(), path, body)
}

fn assert_error(r: &Reply, status: u16) {
    assert_eq!(r.status, status, "{:?}", r.body);
    assert!(
        r.content_type.starts_with("application/json"),
        "{}",
        r.content_type
    );
    let msg = r.body["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error field: {:?}", r.body));
    assert!(!msg.is_empty());
}

fn probabilities_sum_to_one(p: &Value, classes: &[&str]) {
    let obj = p.as_object().unwrap();
    let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    assert_eq!(keys, classes);
    let sum: f64 = obj.values().map(|v| v.as_f64().unwrap()).sum();
    assert!((sum - 1.0).abs() < 1e-9, "{p}");
}

#[test]
fn predict_one_text_and_a_batch() {
    let r = post("/predict", &json!({"text": "my cat purrs"}));
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["label"], "cat");
    probabilities_sum_to_one(&r.body["probabilities"], &["bird", "cat", "dog"]);

    let r = post(
        "/predict",
        &json!({"texts": ["the dog barks", "birds sing", ""]}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let preds = r.body["predictions"].as_array().unwrap();
    assert_eq!(preds.len(), 3);
    assert_eq!(preds[0]["label"], "dog");
    assert_eq!(preds[1]["label"], "bird");
    for p in preds {
        probabilities_sum_to_one(&p["probabilities"], &["bird", "cat", "dog"]);
    }
}

#[test]
fn a_large_batch_goes_through_the_blocking_pool() {
    let texts: Vec<String> = (0..app::BLOCKING_BATCH * 2)
        .map(|i| {
            if i % 2 == 0 {
                "dog barks".into()
            } else {
                "cat purrs".into()
            }
        })
        .collect();
    let r = post("/predict", &json!({ "texts": texts }));
    assert_eq!(r.status, 200, "{:?}", r.body);
    let preds = r.body["predictions"].as_array().unwrap();
    assert_eq!(preds.len(), texts.len());
    assert_eq!(preds[0]["label"], "dog");
    assert_eq!(preds[1]["label"], "cat");
}

#[test]
fn predict_complex_serves_the_forest() {
    let r = post(
        "/predict_complex",
        &json!({"text": "the sparrow sings in the tree"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.body["label"].is_string());
    probabilities_sum_to_one(&r.body["probabilities"], &["bird", "cat", "dog"]);
    let r = post("/predict_complex", &json!({"texts": ["a", "b"]}));
    assert_eq!(r.body["predictions"].as_array().unwrap().len(), 2);
}

#[test]
fn predict_multilabel_applies_the_threshold() {
    let r = post("/predict_multilabel", &json!({"text": "the parrot sings"}));
    assert_eq!(r.status, 200, "{:?}", r.body);
    let p = r.body["probabilities"].as_object().unwrap();
    let keys: Vec<&str> = p.keys().map(String::as_str).collect();
    assert_eq!(keys, ["bird", "cat", "dog", "flies", "mammal"]);
    assert_eq!(r.body["threshold"], 0.5);
    let above: Vec<&str> = p
        .iter()
        .filter(|(_, v)| v.as_f64().unwrap() > 0.5)
        .map(|(k, _)| k.as_str())
        .collect();
    let labels: Vec<&str> = r.body["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(labels, above);

    // Threshold 0 keeps every label with a positive probability; 1 keeps none.
    let all = post(
        "/predict_multilabel",
        &json!({"text": "the parrot sings", "threshold": 0.0}),
    );
    assert_eq!(all.body["labels"].as_array().unwrap().len(), 5);
    let none = post(
        "/predict_multilabel",
        &json!({"texts": ["x", "y"], "threshold": 1.0}),
    );
    for p in none.body["predictions"].as_array().unwrap() {
        assert!(p["labels"].as_array().unwrap().is_empty());
    }
    assert_error(
        &post(
            "/predict_multilabel",
            &json!({"text": "x", "threshold": 1.5}),
        ),
        400,
    );
    assert_error(
        &post(
            "/predict_multilabel",
            &json!({"text": "x", "threshold": "high"}),
        ),
        400,
    );
}

#[test]
fn health_and_models() {
    let r = request(server(), "GET", "/health", None, b"");
    assert_eq!(r.status, 200);
    assert_eq!(r.body["status"], "ok");

    let r = request(server(), "GET", "/models", None, b"");
    assert_eq!(r.status, 200);
    let models = r.body["models"].as_array().unwrap();
    let routes: Vec<&str> = models
        .iter()
        .map(|m| m["route"].as_str().unwrap())
        .collect();
    assert_eq!(
        routes,
        [
            "/predict",
            "/predict_multilabel",
            "/predict_complex",
            "/models/pets/predict",
            "/models/tags/predict"
        ]
    );
    assert_eq!(models[0]["task"], "single_label");
    assert_eq!(models[1]["task"], "multilabel");
    assert_eq!(models[4]["task"], "multilabel");
    assert_eq!(models[0]["name"], "test-lr");
    assert_eq!(models[0]["classes"], json!(["bird", "cat", "dog"]));
    assert!(models[0]["vocabulary_size"].as_u64().unwrap() > 10);
    assert_eq!(models[0]["format_version"], proba::io::FORMAT_VERSION);
    assert_eq!(models[1]["classes"].as_array().unwrap().len(), 5);
}

#[test]
fn bad_requests_get_400() {
    for body in [
        json!({}),
        json!({"txt": "typo"}),
        json!({"text": 42}),
        json!({"text": null, "texts": null}),
        json!({"texts": "not an array"}),
        json!({"texts": [1, 2]}),
        json!({"texts": []}),
        json!({"text": "a", "texts": ["b"]}),
        json!({"text": "a", "threshold": 0.5}),
        json!(["text"]),
    ] {
        for route in ["/predict", "/predict_complex"] {
            assert_error(&post(route, &body), 400);
        }
    }
    for raw in [
        &b"{\"text\": "[..],
        b"not json",
        b"",
        b"{\"text\": \"\xff\"}",
    ] {
        let r = request(server(), "POST", "/predict", Some("application/json"), raw);
        assert_error(&r, 400);
    }
}

#[test]
fn wrong_content_type_gets_415() {
    let body = br#"{"text": "cat"}"#;
    for ctype in [
        Some("text/plain"),
        None,
        Some("application/x-www-form-urlencoded"),
    ] {
        let r = request(server(), "POST", "/predict", ctype, body);
        assert_error(&r, 415);
    }
    // A charset parameter is fine.
    let r = request(
        server(),
        "POST",
        "/predict",
        Some("application/json; charset=utf-8"),
        body,
    );
    assert_eq!(r.status, 200);
}

#[test]
fn a_body_over_the_limit_gets_413() {
    let big = json!({ "text": "cat ".repeat(MAX_BODY) });
    let r = post("/predict", &big);
    assert_error(&r, 413);
    let msg = r.body["error"].as_str().unwrap();
    assert!(
        msg.contains("4096 bytes") && msg.contains("--max-body-bytes"),
        "{msg}"
    );
    // Just under the limit still works.
    let fits = json!({ "text": "cat ".repeat(MAX_BODY / 8) });
    assert_eq!(post("/predict", &fits).status, 200);
}

#[test]
fn unknown_routes_get_404_and_wrong_methods_405() {
    assert_error(&request(server(), "GET", "/nope", None, b""), 404);
    assert_error(&post("/predict/extra", &json!({"text": "x"})), 404);
    assert_error(&request(server(), "GET", "/predict", None, b""), 405);
    assert_error(&request(server(), "DELETE", "/health", None, b""), 405);
    assert_error(&post("/models", &json!({})), 405);
}

#[test]
fn a_route_without_a_model_answers_503_and_the_server_keeps_going() {
    let addr = start(app::Models::default());
    let r = request(
        addr,
        "POST",
        "/predict",
        Some("application/json"),
        br#"{"text": "x"}"#,
    );
    assert_error(&r, 503);
    let r = request(addr, "GET", "/models", None, b"");
    assert_eq!(r.body["models"], json!([]));
    assert_eq!(request(addr, "GET", "/health", None, b"").status, 200);
}

/// A model whose prediction always fails, with a detail that must stay in
/// the server log.
struct Failing;

impl app::TextModel for Failing {
    fn classes(&self) -> &[String] {
        &[]
    }
    fn n_features(&self) -> usize {
        0
    }
    fn predict_many(&self, _: &[String]) -> proba::Result<Vec<app::Scored>> {
        Err(proba::Error::Format("secret internal detail".into()))
    }
    fn predict_one(&self, _: &str) -> proba::Result<app::Scored> {
        Err(proba::Error::Format("secret internal detail".into()))
    }
}

#[test]
fn an_internal_failure_is_a_generic_500() {
    let failing = |task| app::Served {
        name: "failing".into(),
        kind: "test".into(),
        task,
        model: Box::new(Failing),
    };
    let addr = start(app::Models {
        predict: Some(failing(Task::SingleLabel)),
        multilabel: Some(failing(Task::MultiLabel)),
        complex: None,
        named: Vec::new(),
    });
    let big: Vec<String> = vec!["x".into(); app::BLOCKING_BATCH];
    for (path, body) in [
        ("/predict", json!({"text": "x"})),
        ("/predict", json!({"texts": ["x"]})),
        ("/predict", json!({ "texts": big })),
        ("/predict_multilabel", json!({"text": "x"})),
    ] {
        let r = post_json(addr, path, &body);
        assert_error(&r, 500);
        assert_eq!(r.body["error"], "internal server error");
        assert!(!r.body.to_string().contains("secret"));
    }
    // The server is still up.
    assert_eq!(request(addr, "GET", "/health", None, b"").status, 200);
}

#[test]
fn concurrent_clients_all_get_answers() {
    let handles: Vec<_> = (0..8)
        .map(|i| {
            std::thread::spawn(move || {
                (0..20)
                    .map(|_| {
                        let text = if i % 2 == 0 { "dog barks" } else { "cat purrs" };
                        post("/predict", &json!({ "text": text })).body["label"].clone()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        let want = if i % 2 == 0 { "dog" } else { "cat" };
        assert!(h.join().unwrap().iter().all(|l| l == want));
    }
}

#[test]
fn models_saved_by_train_load_by_kind_and_others_are_refused() {
    let (texts, labels) = corpus();
    let dir = std::env::temp_dir().join(format!("proba-serve-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let lr = Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params())
        .fit(&texts, &labels)
        .unwrap();
    let rf = Pipeline::params(
        TfidfVectorizer::params(),
        RandomForestClassifier::params().n_estimators(3).seed(1),
    )
    .fit(&texts, &labels)
    .unwrap();
    let sets: Vec<Vec<String>> = labels.iter().map(|l| vec![l.clone()]).collect();
    let ovr = Pipeline::params(
        TfidfVectorizer::params(),
        OneVsRestClassifier::<LogisticRegression<bool>, String>::params(
            LogisticRegression::params(),
        ),
    )
    .fit(&texts, &sets)
    .unwrap();
    let save = |name: &str, text: String| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let files = [
        (
            save("lr.json", proba::io::to_string(&lr).unwrap()),
            "LogisticRegression",
        ),
        (
            save("rf.json", proba::io::to_string(&rf).unwrap()),
            "RandomForestClassifier",
        ),
        (
            save("ovr.json", proba::io::to_string(&ovr).unwrap()),
            "OneVsRestClassifier",
        ),
    ];
    for (path, kind) in &files {
        let served = load::load_model(path).unwrap();
        assert!(served.kind.contains(kind), "{} for {kind}", served.kind);
        assert_eq!(served.model.classes(), ["bird", "cat", "dog"]);
        let p = served.model.predict_one("the cat purrs").unwrap();
        assert_eq!(p.proba.len(), 3);
    }
    // A bare classifier, a damaged file, a missing file: clear errors.
    let bare = save("bare.json", proba::io::to_string(lr.classifier()).unwrap());
    let err = load::load_model(&bare).err().unwrap();
    assert!(err.contains("holds a LogisticRegression"), "{err}");
    let text = std::fs::read_to_string(&files[0].0).unwrap();
    let cut = save("cut.json", text[..text.len() / 2].to_string());
    assert!(load::load_model(&cut).is_err());
    assert!(load::load_model(&dir.join("missing.json")).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The committed scikit-learn fixtures of one version, and their expected.json.
fn sklearn_fixtures(tag: &str) -> (std::path::PathBuf, Value) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sklearn")
        .join(tag);
    let exp = std::fs::read_to_string(dir.join("expected.json")).unwrap();
    (dir, serde_json::from_str(&exp).unwrap())
}

fn spec(dir: &std::path::Path, files: &[&str]) -> std::path::PathBuf {
    let joined: Vec<String> = files
        .iter()
        .map(|f| dir.join(f).display().to_string())
        .collect();
    joined.join(",").into()
}

/// The served model's probabilities of the fixture texts are scikit-learn's.
fn assert_serves_as_sklearn(served: &app::Served, exp: &Value, model: &str) {
    let texts: Vec<String> = serde_json::from_value(exp["texts"].clone()).unwrap();
    let want: Vec<Vec<f64>> =
        serde_json::from_value(exp["models"][model]["proba"].clone()).unwrap();
    let got = served.model.predict_many(&texts).unwrap();
    assert_eq!(got.len(), want.len(), "{model}");
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g.proba.len(), w.len(), "{model} row {i}");
        for (a, b) in g.proba.iter().zip(w) {
            assert!((a - b).abs() <= 1e-12, "{model} row {i}: {a} vs {b}");
        }
        // The single-text path answers the same.
        let one = served.model.predict_one(&texts[i]).unwrap();
        assert_eq!(one.proba, g.proba, "{model} row {i}");
    }
}

#[test]
fn scikit_learn_files_are_served_with_scikit_learn_probabilities() {
    for tag in ["sk13", "sk19"] {
        let (dir, exp) = sklearn_fixtures(tag);
        let classes = |m: &str| -> Vec<String> {
            exp["models"][m]["classes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_owned))
                .collect()
        };
        // One Pipeline file, whatever its steps, classifier and label type.
        for (file, model, task) in [
            ("pipe_lr.p5.pkl", "pipe_lr", Task::SingleLabel),
            ("pipe_rf.z3.joblib", "pipe_rf", Task::SingleLabel),
            ("pipe_dt.p2.pkl", "pipe_dt", Task::SingleLabel),
            (
                "pipe_count_lr.gz3.joblib",
                "pipe_count_lr",
                Task::SingleLabel,
            ),
            (
                "pipe_count_tfidf_lr.joblib",
                "pipe_count_tfidf_lr",
                Task::SingleLabel,
            ),
            ("pipe_ovr.p4.pkl", "pipe_ovr", Task::MultiLabel),
        ] {
            let served = load::load_model(&dir.join(file)).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(served.task, task, "{tag} {file}");
            assert!(
                served.kind.starts_with("scikit-learn Pipeline["),
                "{}",
                served.kind
            );
            assert_eq!(served.model.classes(), classes(model), "{tag} {file}");
            assert_serves_as_sklearn(&served, &exp, model);
        }
        // A vectorizer and a classifier pickled apart, in either order.
        for files in [
            ["tfidf.p5.pkl", "lr_str.joblib"],
            ["rf_str.p4.pkl", "tfidf.gz3.joblib"],
        ] {
            let served = load::load_model(&spec(&dir, &files)).unwrap_or_else(|e| panic!("{e}"));
            let model = files.iter().find(|f| !f.starts_with("tfidf")).unwrap();
            let model = model.split('.').next().unwrap();
            assert_eq!(served.task, Task::SingleLabel);
            assert_serves_as_sklearn(&served, &exp, model);
        }
        // A one-vs-rest model over label sets, named by its binarizer.
        for files in [
            vec!["pipe_ovr.p5.pkl", "mlb.p5.pkl"],
            vec!["mlb.joblib", "tfidf.p4.pkl", "ovr_rf.p5.pkl"],
        ] {
            let served = load::load_model(&spec(&dir, &files)).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(served.task, Task::MultiLabel, "{files:?}");
            assert_eq!(served.model.classes(), classes("mlb"), "{files:?}");
        }
        let served = load::load_model(&spec(&dir, &["pipe_ovr.p5.pkl", "mlb.p5.pkl"])).unwrap();
        assert_serves_as_sklearn(&served, &exp, "pipe_ovr");
    }
    // What does not make one model is refused, naming the files.
    let (dir, _) = sklearn_fixtures("sk19");
    for (files, says) in [
        (vec!["lr_str.p5.pkl"], "needs its vectorizer"),
        (vec!["tfidf.p5.pkl"], "no classifier"),
        (
            vec!["tfidf.p5.pkl", "count.p5.pkl", "lr_str.p5.pkl"],
            "same part",
        ),
        (
            vec!["tfidf.p5.pkl", "pipe_lr.p5.pkl"],
            "already has its vectorizer",
        ),
        (vec!["pipe_lr.p5.pkl", "mlb.p5.pkl"], "single-label"),
        (vec!["count.p5.pkl", "lr_str.p5.pkl"], "features"),
        (vec!["tfidf.p5.pkl", "missing.pkl"], "missing.pkl"),
    ] {
        let err = load::load_model(&spec(&dir, &files)).err().unwrap();
        assert!(err.contains(says), "{files:?}: {err}");
    }
    // The route check still applies: a scikit-learn one-vs-rest model on /predict.
    let models = app::Models {
        predict: Some(load::load_model(&dir.join("pipe_ovr.p5.pkl")).unwrap()),
        ..Default::default()
    };
    let err = models.check().unwrap_err();
    assert!(err.contains("--predict-multilabel"), "{err}");
}

// ---------------------------------------------------------------------------
// In process, with `tower::ServiceExt::oneshot` on the router.

mod oneshot {
    use std::sync::{Arc, Mutex, OnceLock};
    use std::time::{Duration, Instant};

    use axum::body::Body;
    use axum::http::Request;
    use axum::Router;
    use serde_json::{json, Value};
    use tower::ServiceExt;

    use super::{app, models, Task, MAX_BODY};

    pub(super) struct Answer {
        pub status: u16,
        pub content_type: String,
        pub text: String,
        pub json: Value,
    }

    fn router() -> Router {
        static ROUTER: OnceLock<Router> = OnceLock::new();
        ROUTER
            .get_or_init(|| app::router(models(), MAX_BODY))
            .clone()
    }

    pub(super) async fn call_on(
        router: Router,
        method: &str,
        path: &str,
        ctype: Option<&str>,
        body: Vec<u8>,
    ) -> Answer {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(c) = ctype {
            req = req.header("content-type", c);
        }
        let res = router
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = res.status().as_u16();
        let content_type = res
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer {
            status,
            content_type,
            text,
            json,
        }
    }

    async fn post(path: &str, body: &Value) -> Answer {
        post_raw(path, body.to_string().into_bytes()).await
    }

    async fn post_raw(path: &str, body: Vec<u8>) -> Answer {
        call_on(router(), "POST", path, Some("application/json"), body).await
    }

    async fn get(path: &str) -> Answer {
        call_on(router(), "GET", path, None, Vec::new()).await
    }

    const PREDICT_ROUTES: [&str; 5] = [
        "/predict",
        "/predict_complex",
        "/predict_multilabel",
        "/models/pets/predict",
        "/models/tags/predict",
    ];

    /// An error message must be the server's own words: no Rust type, no
    /// module path, no serde wording.
    fn assert_client_words(msg: &str) {
        for bad in [
            "struct",
            "PredictRequest",
            "::",
            "serde",
            "Option<",
            "Vec<",
            "String",
            "invalid type",
            "deserialize",
            "target type",
        ] {
            assert!(!msg.contains(bad), "{msg:?} contains {bad:?}");
        }
    }

    fn error_of(a: &Answer, status: u16) -> String {
        assert_eq!(a.status, status, "{}", a.text);
        assert!(
            a.content_type.starts_with("application/json"),
            "{}",
            a.content_type
        );
        let msg = a.json["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{}", a.text));
        assert_client_words(msg);
        msg.to_string()
    }

    #[tokio::test]
    async fn a_body_that_is_not_an_object_is_refused_saying_so() {
        for route in PREDICT_ROUTES {
            for body in [
                json!(["text"]),
                json!(["a", "b", "c"]),
                json!("text"),
                json!(3),
                json!(null),
            ] {
                let msg = error_of(&post(route, &body).await, 400);
                assert!(msg.contains("the body must be a JSON object"), "{msg}");
            }
        }
    }

    #[tokio::test]
    async fn unknown_fields_are_refused_by_name() {
        for route in PREDICT_ROUTES {
            let msg = error_of(
                &post(route, &json!({"text": "cat", "lang": "en"})).await,
                400,
            );
            assert!(msg.contains("unknown field `lang`"), "{msg}");
            let msg = error_of(&post(route, &json!({"txt": "typo"})).await, 400);
            assert!(msg.contains("`txt`"), "{msg}");
        }
        // `threshold` exists only where the model is multilabel.
        for route in ["/predict", "/predict_complex", "/models/pets/predict"] {
            let msg = error_of(
                &post(route, &json!({"text": "x", "threshold": 0.5})).await,
                400,
            );
            assert!(
                msg.contains("`threshold`") && msg.contains("multilabel"),
                "{msg}"
            );
        }
        for route in ["/predict_multilabel", "/models/tags/predict"] {
            let a = post(route, &json!({"text": "x", "threshold": 0.2})).await;
            assert_eq!(a.status, 200, "{}", a.text);
            assert_eq!(a.json["threshold"], 0.2);
        }
    }

    #[tokio::test]
    async fn bad_values_get_messages_in_the_clients_words() {
        let bodies: Vec<Vec<u8>> = [
            json!({}),
            json!({"text": 42}),
            json!({"text": ["a"]}),
            json!({"texts": "a"}),
            json!({"texts": [1, 2]}),
            json!({"texts": []}),
            json!({"text": "a", "texts": ["b"]}),
            json!({"text": "a", "top_k": 0}),
            json!({"text": "a", "top_k": "x"}),
            json!({"text": "a", "top_k": -1}),
            json!({"text": "a", "top_k": 1.5}),
            json!({"text": "a", "top_k": true}),
        ]
        .iter()
        .map(|v| v.to_string().into_bytes())
        .chain(
            [
                &b"{\"text\": "[..],
                b"not json",
                b"",
                b"{\"text\": \"\xff\"}",
                b"{\"text\": \"\\ud800\"}",
                b"{\"text\": \"a\"} trailing",
            ]
            .map(<[u8]>::to_vec),
        )
        .collect();
        for route in PREDICT_ROUTES {
            for b in &bodies {
                error_of(&post_raw(route, b.clone()).await, 400);
            }
        }
        let msg = error_of(
            &post("/predict", &json!({"text": "a", "top_k": 0})).await,
            400,
        );
        assert!(msg.contains("`top_k` must be a positive integer"), "{msg}");
        let msg = error_of(
            &post("/predict", &json!({"text": "a", "top_k": "x"})).await,
            400,
        );
        assert!(msg.contains("`top_k`") && msg.contains("\"x\""), "{msg}");
        let msg = error_of(&post("/predict", &json!({"text": 42})).await, 400);
        assert_eq!(msg, "`text` must be a string; got a number (42)");
        let msg = error_of(&post("/predict", &json!({"texts": ["a", 7]})).await, 400);
        assert!(msg.contains("`texts[1]`"), "{msg}");
        let msg = error_of(
            &post(
                "/predict_multilabel",
                &json!({"text": "a", "threshold": 1.5}),
            )
            .await,
            400,
        );
        assert!(
            msg.contains("`threshold` must be a number in [0, 1]"),
            "{msg}"
        );
    }

    #[tokio::test]
    async fn a_huge_body_gets_413_naming_the_limit_and_the_flag() {
        let big = json!({ "text": "cat ".repeat(MAX_BODY) });
        for route in PREDICT_ROUTES {
            let msg = error_of(&post(route, &big).await, 413);
            assert!(msg.contains(&format!("{MAX_BODY} bytes")), "{msg}");
            assert!(msg.contains("--max-body-bytes"), "{msg}");
        }
    }

    #[tokio::test]
    async fn wrong_content_type_is_415_and_unknown_routes_404() {
        let a = call_on(
            router(),
            "POST",
            "/predict",
            Some("text/plain"),
            b"{\"text\":\"x\"}".to_vec(),
        )
        .await;
        error_of(&a, 415);
        let a = call_on(
            router(),
            "POST",
            "/predict",
            Some("application/json; charset=utf-8"),
            b"{\"text\":\"x\"}".to_vec(),
        )
        .await;
        assert_eq!(a.status, 200);
        error_of(&get("/nope").await, 404);
        error_of(&get("/predict").await, 405);
        let msg = error_of(
            &post("/models/nope/predict", &json!({"text": "x"})).await,
            404,
        );
        assert!(msg.contains("\"nope\""), "{msg}");
    }

    /// `probabilities` in the order the server wrote them (a `Value`
    /// object sorts its keys).
    struct Ordered(Vec<(String, f64)>);

    impl<'de> serde::Deserialize<'de> for Ordered {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Ordered;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("an object of numbers")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut m: A,
                ) -> Result<Ordered, A::Error> {
                    let mut out = Vec::new();
                    while let Some(e) = m.next_entry::<String, f64>()? {
                        out.push(e);
                    }
                    Ok(Ordered(out))
                }
            }
            d.deserialize_map(V)
        }
    }

    #[derive(serde::Deserialize)]
    struct OrderedPrediction {
        probabilities: Ordered,
    }

    #[derive(serde::Deserialize)]
    struct OrderedBatch {
        predictions: Vec<OrderedPrediction>,
    }

    #[tokio::test]
    async fn top_k_keeps_the_most_probable_classes_first() {
        for route in ["/predict", "/predict_complex", "/models/pets/predict"] {
            let all = post(route, &json!({"text": "the cat purrs"})).await;
            assert_eq!(all.status, 200, "{}", all.text);
            let a = post(route, &json!({"text": "the cat purrs", "top_k": 2})).await;
            assert_eq!(a.status, 200, "{}", a.text);
            let p: OrderedPrediction = serde_json::from_str(&a.text).unwrap();
            let p = p.probabilities.0;
            assert_eq!(p.len(), 2);
            assert!(p[0].1 >= p[1].1, "{p:?}");
            assert_eq!(a.json["label"], p[0].0.as_str());
            assert_eq!(a.json["label"], all.json["label"]);
            for (k, x) in &p {
                assert_eq!(all.json["probabilities"][k].as_f64().unwrap(), *x);
            }
            // More than there are classes: all of them, sorted.
            let a = post(route, &json!({"texts": ["dog", "bird"], "top_k": 99})).await;
            let b: OrderedBatch = serde_json::from_str(&a.text).unwrap();
            for pred in b.predictions {
                let v: Vec<f64> = pred.probabilities.0.iter().map(|e| e.1).collect();
                assert_eq!(v.len(), 3);
                assert!(v.windows(2).all(|w| w[0] >= w[1]), "{v:?}");
            }
            // Without top_k: class order, as before.
            let p: OrderedPrediction = serde_json::from_str(&all.text).unwrap();
            let keys: Vec<&str> = p.probabilities.0.iter().map(|e| e.0.as_str()).collect();
            assert_eq!(keys, ["bird", "cat", "dog"]);
        }
        let a = post(
            "/predict_multilabel",
            &json!({"text": "the parrot sings", "top_k": 1, "threshold": 0.0}),
        )
        .await;
        assert_eq!(a.json["probabilities"].as_object().unwrap().len(), 1);
        assert_eq!(a.json["labels"].as_array().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn known_terms_makes_no_evidence_visible() {
        for route in PREDICT_ROUTES {
            let a = post(route, &json!({"text": "the cat purrs"})).await;
            assert_eq!(a.status, 200, "{}", a.text);
            // "the", "cat", "purrs" are all in the vocabulary.
            assert_eq!(a.json["known_terms"], 3, "{route}: {}", a.text);
            for text in ["", "zzzz qqqq", "  ", "¿¡"] {
                let a = post(route, &json!({ "text": text })).await;
                assert_eq!(a.status, 200, "{}", a.text);
                assert_eq!(a.json["known_terms"], 0, "{route} {text:?}: {}", a.text);
                assert!(!a.json["probabilities"].as_object().unwrap().is_empty());
            }
            let a = post(
                route,
                &json!({"texts": ["cat cat cat dog", "", "unknownword"]}),
            )
            .await;
            let known: Vec<u64> = a.json["predictions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["known_terms"].as_u64().unwrap())
                .collect();
            assert_eq!(known, [2, 0, 0], "{route}");
        }
    }

    #[tokio::test]
    async fn named_models_answer_in_the_shape_of_their_kind() {
        let a = post("/models/pets/predict", &json!({"text": "my dog barks"})).await;
        assert_eq!(a.status, 200, "{}", a.text);
        assert_eq!(a.json["label"], "dog");
        assert!(a.json.get("labels").is_none());
        let a = post(
            "/models/tags/predict",
            &json!({"text": "the parrot sings", "threshold": 0.3}),
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.text);
        assert!(a.json["labels"].is_array(), "{}", a.text);
        assert_eq!(a.json["threshold"], 0.3);
        assert_eq!(a.json["probabilities"].as_object().unwrap().len(), 5);
    }

    fn served(name: &str, task: Task) -> app::Served {
        struct Never;
        impl app::TextModel for Never {
            fn classes(&self) -> &[String] {
                &[]
            }
            fn n_features(&self) -> usize {
                0
            }
            fn predict_one(&self, _: &str) -> proba::Result<app::Scored> {
                unreachable!()
            }
            fn predict_many(&self, _: &[String]) -> proba::Result<Vec<app::Scored>> {
                unreachable!()
            }
        }
        app::Served {
            name: name.into(),
            kind: "Pipeline<TfidfVectorizer, OneVsRestClassifier<LogisticRegression>>".into(),
            task,
            model: Box::new(Never),
        }
    }

    #[test]
    fn a_model_that_does_not_fit_its_route_is_refused_at_startup() {
        let m = app::Models {
            predict: Some(served("tags.json", Task::MultiLabel)),
            ..Default::default()
        };
        let err = m.check().unwrap_err();
        for part in [
            "tags.json",
            "OneVsRestClassifier",
            "/predict",
            "multilabel",
            "--predict-multilabel",
        ] {
            assert!(err.contains(part), "{part} not in {err}");
        }
        let m = app::Models {
            complex: Some(served("tags.json", Task::MultiLabel)),
            ..Default::default()
        };
        assert!(m.check().unwrap_err().contains("/predict_complex"));
        let m = app::Models {
            multilabel: Some(served("lr.json", Task::SingleLabel)),
            ..Default::default()
        };
        let err = m.check().unwrap_err();
        assert!(
            err.contains("lr.json")
                && err.contains("/predict_multilabel")
                && err.contains("single-label"),
            "{err}"
        );
        // Named models take any kind, but need a usable, unique name.
        let m = app::Models {
            named: vec![
                ("a".into(), served("x.json", Task::MultiLabel)),
                ("b".into(), served("y.json", Task::SingleLabel)),
            ],
            ..Default::default()
        };
        m.check().unwrap();
        for names in [vec!["a/b"], vec![""], vec!["a", "a"], vec!["a b"]] {
            let m = app::Models {
                named: names
                    .iter()
                    .map(|n| (n.to_string(), served("x.json", Task::SingleLabel)))
                    .collect(),
                ..Default::default()
            };
            assert!(m.check().is_err(), "{names:?}");
        }
    }

    // --- OpenAPI -------------------------------------------------------------

    /// A small JSON Schema checker for the subset the description uses:
    /// $ref, oneOf, type, required, properties, additionalProperties,
    /// items, minItems, minimum, maximum, enum.
    fn conforms(root: &Value, schema: &Value, v: &Value) -> Result<(), String> {
        if let Some(r) = schema["$ref"].as_str() {
            let name = r.strip_prefix("#/components/schemas/").unwrap();
            return conforms(root, &root["components"]["schemas"][name], v);
        }
        if let Some(alts) = schema["oneOf"].as_array() {
            let ok = alts.iter().filter(|s| conforms(root, s, v).is_ok()).count();
            return if ok == 1 {
                Ok(())
            } else {
                Err(format!("{ok} of oneOf match {v}"))
            };
        }
        if let Some(t) = schema["type"].as_str() {
            let ok = match t {
                "object" => v.is_object(),
                "array" => v.is_array(),
                "string" => v.is_string(),
                "integer" => v.is_u64() || v.is_i64(),
                "number" => v.is_number(),
                "boolean" => v.is_boolean(),
                _ => false,
            };
            if !ok {
                return Err(format!("{v} is not {t}"));
            }
        }
        if let Some(e) = schema["enum"].as_array() {
            if !e.contains(v) {
                return Err(format!("{v} not in {e:?}"));
            }
        }
        if let (Some(m), Some(x)) = (schema["minimum"].as_f64(), v.as_f64()) {
            if x < m {
                return Err(format!("{x} < {m}"));
            }
        }
        if let (Some(m), Some(x)) = (schema["maximum"].as_f64(), v.as_f64()) {
            if x > m {
                return Err(format!("{x} > {m}"));
            }
        }
        if let Some(obj) = v.as_object() {
            for r in schema["required"].as_array().into_iter().flatten() {
                if !obj.contains_key(r.as_str().unwrap()) {
                    return Err(format!("required {r} missing from {v}"));
                }
            }
            for (k, x) in obj {
                match schema["properties"].get(k) {
                    Some(s) => conforms(root, s, x)?,
                    None => match &schema["additionalProperties"] {
                        Value::Bool(false) => return Err(format!("{k} is not in the schema")),
                        s @ Value::Object(_) => conforms(root, s, x)?,
                        _ => {}
                    },
                }
            }
        }
        if let Some(items) = v.as_array() {
            if let Some(n) = schema["minItems"].as_u64() {
                if (items.len() as u64) < n {
                    return Err("too few items".into());
                }
            }
            if schema.get("items").is_some() {
                for x in items {
                    conforms(root, &schema["items"], x)?;
                }
            }
        }
        Ok(())
    }

    #[tokio::test]
    async fn every_route_answers_as_the_openapi_description_says() {
        let spec = get("/openapi.json").await;
        assert_eq!(spec.status, 200);
        let spec = spec.json;
        assert_eq!(spec["openapi"], "3.1.0");
        let cases: Vec<(&str, &str, &str, Option<Value>)> = vec![
            (
                "post",
                "/predict",
                "/predict",
                Some(json!({"text": "my cat purrs", "top_k": 2})),
            ),
            (
                "post",
                "/predict",
                "/predict",
                Some(json!({"texts": ["a cat", "a dog"]})),
            ),
            (
                "post",
                "/predict",
                "/predict",
                Some(json!({"text": "x", "lang": "en"})),
            ),
            ("post", "/predict", "/predict", Some(json!(["x"]))),
            (
                "post",
                "/predict_complex",
                "/predict_complex",
                Some(json!({"text": "a bird sings"})),
            ),
            (
                "post",
                "/predict_multilabel",
                "/predict_multilabel",
                Some(json!({"text": "a bird sings", "threshold": 0.3, "top_k": 3})),
            ),
            (
                "post",
                "/predict_multilabel",
                "/predict_multilabel",
                Some(json!({"texts": ["a"], "threshold": 2})),
            ),
            (
                "post",
                "/models/{name}/predict",
                "/models/pets/predict",
                Some(json!({"text": "dog"})),
            ),
            (
                "post",
                "/models/{name}/predict",
                "/models/tags/predict",
                Some(json!({"texts": ["dog", "cat"], "threshold": 0.1})),
            ),
            (
                "post",
                "/models/{name}/predict",
                "/models/none/predict",
                Some(json!({"text": "dog"})),
            ),
            ("get", "/models", "/models", None),
            ("get", "/health", "/health", None),
            ("get", "/metrics", "/metrics", None),
            ("get", "/openapi.json", "/openapi.json", None),
            ("get", "/", "/", None),
        ];
        let mut covered = std::collections::BTreeSet::new();
        for (method, template, path, body) in cases {
            let op = &spec["paths"][template][method];
            assert!(op.is_object(), "{method} {template} is not described");
            covered.insert(template);
            let a = match &body {
                Some(b) => {
                    // Requests the description calls valid must succeed, and the others fail.
                    let schema = &op["requestBody"]["content"]["application/json"]["schema"];
                    let valid = conforms(&spec, schema, b).is_ok();
                    let a = post(path, b).await;
                    if template != "/models/{name}/predict" || path != "/models/none/predict" {
                        assert_eq!(
                            valid,
                            a.status == 200,
                            "{path} {b}: {} (schema says {valid})",
                            a.text
                        );
                    }
                    a
                }
                None => get(path).await,
            };
            let status = a.status.to_string();
            let response = &op["responses"][&status];
            assert!(
                response.is_object(),
                "{method} {path} answered {status}, which is not described"
            );
            let content = response["content"].as_object().unwrap();
            let (ctype, media) = content.iter().next().unwrap();
            assert!(
                a.content_type.starts_with(ctype.as_str()),
                "{path}: {} vs {ctype}",
                a.content_type
            );
            if ctype == "application/json" {
                conforms(&spec, &media["schema"], &a.json)
                    .unwrap_or_else(|e| panic!("{path}: {e}"));
            }
        }
        let described: std::collections::BTreeSet<&str> = spec["paths"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(described, covered, "every described route is checked");
    }

    // --- operations --------------------------------------------------------

    #[tokio::test]
    async fn metrics_count_requests_by_route_and_status() {
        let r = app::router(models(), MAX_BODY);
        for _ in 0..3 {
            call_on(
                r.clone(),
                "POST",
                "/predict",
                Some("application/json"),
                br#"{"text":"cat"}"#.to_vec(),
            )
            .await;
        }
        call_on(
            r.clone(),
            "POST",
            "/predict",
            Some("application/json"),
            b"[]".to_vec(),
        )
        .await;
        call_on(
            r.clone(),
            "POST",
            "/models/tags/predict",
            Some("application/json"),
            br#"{"text":"cat"}"#.to_vec(),
        )
        .await;
        call_on(r.clone(), "GET", "/nope", None, Vec::new()).await;
        let m = call_on(r, "GET", "/metrics", None, Vec::new()).await;
        assert_eq!(m.status, 200);
        assert!(
            m.content_type.starts_with("text/plain"),
            "{}",
            m.content_type
        );
        for line in [
            "# TYPE proba_http_requests_total counter",
            "proba_http_requests_total{route=\"/predict\",status=\"200\"} 3",
            "proba_http_requests_total{route=\"/predict\",status=\"400\"} 1",
            "proba_http_requests_total{route=\"/models/{name}/predict\",status=\"200\"} 1",
            "proba_http_requests_total{route=\"unmatched\",status=\"404\"} 1",
            "# TYPE proba_http_request_duration_seconds histogram",
            "proba_http_request_duration_seconds_bucket{route=\"/predict\",le=\"+Inf\"} 4",
            "proba_http_request_duration_seconds_count{route=\"/predict\"} 4",
        ] {
            assert!(
                m.text.lines().any(|l| l == line),
                "{line:?} not in\n{}",
                m.text
            );
        }
        assert!(m
            .text
            .contains("proba_http_request_duration_seconds_sum{route=\"/predict\"} "));
    }

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn one_log_line_per_request_without_the_text() {
        let captured = Captured::default();
        let sink = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || sink.clone())
            .with_ansi(false)
            .finish();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        tracing::subscriber::with_default(subscriber, || {
            rt.block_on(async {
                post("/predict", &json!({"text": "secret words about my cat"})).await;
                post("/predict", &json!({"text": "secret", "bogus": 1})).await;
                get("/health").await;
            })
        });
        let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = log.lines().collect();
        assert_eq!(lines.len(), 3, "{log}");
        assert!(
            lines[0].contains("method=POST") && lines[0].contains("route=\"/predict\""),
            "{log}"
        );
        assert!(
            lines[0].contains("status=200") && lines[0].contains("latency_us="),
            "{log}"
        );
        assert!(lines[1].contains("status=400"), "{log}");
        assert!(
            lines[2].contains("method=GET") && lines[2].contains("route=\"/health\""),
            "{log}"
        );
        assert!(!log.contains("secret") && !log.contains("cat"), "{log}");
    }

    /// A model that takes `delay` per batch.
    struct Slow(Duration);

    impl app::TextModel for Slow {
        fn classes(&self) -> &[String] {
            &[]
        }
        fn n_features(&self) -> usize {
            0
        }
        fn predict_one(&self, _: &str) -> proba::Result<app::Scored> {
            Ok(app::Scored {
                proba: Vec::new(),
                known_terms: 0,
            })
        }
        fn predict_many(&self, t: &[String]) -> proba::Result<Vec<app::Scored>> {
            std::thread::sleep(self.0);
            Ok(t.iter()
                .map(|_| app::Scored {
                    proba: Vec::new(),
                    known_terms: 0,
                })
                .collect())
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_slow_request_times_out_with_a_message_naming_the_flag() {
        let models = app::Models {
            predict: Some(app::Served {
                name: "slow".into(),
                kind: "slow".into(),
                task: Task::SingleLabel,
                model: Box::new(Slow(Duration::from_millis(600))),
            }),
            ..Default::default()
        };
        let r = app::router_with(
            models,
            app::Config {
                max_body_bytes: MAX_BODY,
                request_timeout: Duration::from_millis(100),
            },
        );
        // A big batch runs on the blocking pool, so the timer can fire.
        let body = json!({ "texts": vec!["x"; app::BLOCKING_BATCH] })
            .to_string()
            .into_bytes();
        let start = Instant::now();
        let a = call_on(r, "POST", "/predict", Some("application/json"), body).await;
        assert!(start.elapsed() < Duration::from_millis(500));
        let msg = error_of(&a, 503);
        assert!(
            msg.contains("100 ms") && msg.contains("--request-timeout-ms"),
            "{msg}"
        );
    }

    #[tokio::test]
    async fn the_page_is_self_contained_with_the_test_hooks() {
        let a = get("/").await;
        assert_eq!(a.status, 200);
        assert!(
            a.content_type.starts_with("text/html"),
            "{}",
            a.content_type
        );
        for hook in [
            "id=\"model\"",
            "id=\"text\"",
            "id=\"predict\"",
            "dataset.class",
            "dataset.p",
            "\"/models\"",
            "ctrlKey",
            "known_terms",
        ] {
            assert!(a.text.contains(hook), "{hook}");
        }
        // Nothing fetched from elsewhere: works offline.
        for external in ["http://", "https://", "//cdn", "src=\""] {
            assert!(!a.text.contains(external), "{external}");
        }
    }

    #[test]
    fn graceful_shutdown_is_prompt_when_idle_even_with_an_open_connection() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let (tx, rx) = tokio::sync::oneshot::channel::<()>();
            let server = tokio::spawn(async move {
                axum::serve(listener, app::router(app::Models::default(), MAX_BODY))
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await
                    .unwrap();
            });
            // An idle keep-alive connection, after one answered request.
            let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                .await
                .unwrap();
            let mut buf = [0u8; 512];
            let n = s.read(&mut buf).await.unwrap();
            assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
            let start = Instant::now();
            tx.send(()).unwrap();
            tokio::time::timeout(Duration::from_secs(1), server)
                .await
                .expect("stopped within a second")
                .unwrap();
            assert!(start.elapsed() < Duration::from_secs(1));
        });
    }
}
