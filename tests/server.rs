//! The `serve` example's router on an ephemeral loopback port, exercised
//! over real TCP with a minimal HTTP/1.1 client: every endpoint and every
//! error status.

#[path = "../examples/serve/app.rs"]
mod app;
#[path = "../examples/serve/load.rs"]
mod load;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::OnceLock;
use std::time::Duration;

use proba::ensemble::RandomForestClassifier;
use proba::linear::LogisticRegression;
use proba::multilabel::OneVsRestClassifier;
use proba::pipeline::Pipeline;
use proba::text::TfidfVectorizer;
use serde_json::{json, Value};

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
    let lr = Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params())
        .fit(&texts, &labels)
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
        OneVsRestClassifier::<LogisticRegression<bool>, String>::params(
            LogisticRegression::params(),
        ),
    )
    .fit(&texts, &sets)
    .unwrap();
    let rf = Pipeline::params(
        TfidfVectorizer::params(),
        RandomForestClassifier::params().n_estimators(10).seed(0),
    )
    .fit(&texts, &labels)
    .unwrap();
    app::Models {
        predict: Some(app::Served {
            name: "test-lr".into(),
            kind: "lr".into(),
            model: Box::new(lr),
        }),
        multilabel: Some(app::Served {
            name: "test-ovr".into(),
            kind: "ovr".into(),
            model: Box::new(ovr),
        }),
        complex: Some(app::Served {
            name: "test-rf".into(),
            kind: "rf".into(),
            model: Box::new(rf),
        }),
    }
}

/// Starts one server per `models` on 127.0.0.1:0 in a background thread.
fn start(models: app::Models) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app::router(models, MAX_BODY))
                .await
                .unwrap();
        });
    });
    rx.recv_timeout(Duration::from_secs(60)).unwrap()
}

fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| start(models()))
}

struct Reply {
    status: u16,
    content_type: String,
    body: Value,
}

/// One HTTP/1.1 request with `Connection: close`; reads the whole answer.
fn request(addr: SocketAddr, method: &str, path: &str, ctype: Option<&str>, body: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(c) = ctype {
        head.push_str(&format!("Content-Type: {c}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    s.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) before reading a large body; ignore a reset.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, payload) = text.split_once("\r\n\r\n").expect("an HTTP answer");
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let content_type = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-type")
                .then(|| v.trim().to_string())
        })
        .unwrap_or_default();
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(payload)
    } else {
        payload.to_string()
    };
    let body = serde_json::from_str(&body).unwrap_or(Value::String(body));
    Reply {
        status,
        content_type,
        body,
    }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}

fn post(path: &str, body: &Value) -> Reply {
    request(
        server(),
        "POST",
        path,
        Some("application/json"),
        body.to_string().as_bytes(),
    )
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
        ["/predict", "/predict_multilabel", "/predict_complex"]
    );
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
    assert_error(&post("/predict", &big), 413);
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
    fn predict_proba(&self, _: &[String]) -> proba::Result<ndarray::Array2<f64>> {
        Err(proba::Error::Format("secret internal detail".into()))
    }
    fn predict_one(&self, _: &str) -> proba::Result<Vec<f64>> {
        Err(proba::Error::Format("secret internal detail".into()))
    }
}

#[test]
fn an_internal_failure_is_a_generic_500() {
    let failing = || app::Served {
        name: "failing".into(),
        kind: "test".into(),
        model: Box::new(Failing),
    };
    let addr = start(app::Models {
        predict: Some(failing()),
        multilabel: Some(failing()),
        complex: None,
    });
    let big: Vec<String> = vec!["x".into(); app::BLOCKING_BATCH];
    for (path, body) in [
        ("/predict", json!({"text": "x"})),
        ("/predict", json!({"texts": ["x"]})),
        ("/predict", json!({ "texts": big })),
        ("/predict_multilabel", json!({"text": "x"})),
    ] {
        let r = request(
            addr,
            "POST",
            path,
            Some("application/json"),
            body.to_string().as_bytes(),
        );
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
        assert_eq!(p.len(), 3);
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
