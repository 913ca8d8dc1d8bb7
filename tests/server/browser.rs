//! The page at `GET /` in a real browser: Debian's headless Chromium,
//! driven over the DevTools protocol, types a text, clicks Predict (and
//! presses Ctrl+Enter), reads the bars and checks them against the JSON
//! that the prediction route gives for the same text.
//!
//! The server is the `serve` example's router in process, with the demo
//! models trained on the bundled fortunes corpus (the same code as
//! `cargo run --release --example serve`).
//!
//! * Without Chromium (`/usr/bin/chromium`, or `PROBA_CHROMIUM=path`) the
//!   test prints `SKIPPED: chromium not found` and passes, unless
//!   `PROBA_REQUIRE_BROWSER=1` (as in `.ci/run`), then it fails.
//! * `PROBA_SCREENSHOT=docs/serve_page.png` saves the page's screenshot
//!   there (the README's picture); otherwise it goes to the temp dir.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::support::http::{post_json, serve};
use crate::{app, demo};

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PROBA_CHROMIUM") {
        return Some(PathBuf::from(p)).filter(|p| p.exists());
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// The server with the demo models, on 127.0.0.1:0 in a background thread.
fn start_server() -> SocketAddr {
    let mut models = app::Models::default();
    demo::train_missing(&mut models, Path::new(demo::DEMO_CORPUS)).expect("demo models");
    serve(app::router_with(models, app::Config::default()))
}

/// `POST path` with a JSON body; the answer's JSON object (which must
/// come with a 200, not chunked).
fn post(addr: SocketAddr, path: &str, body: &Value) -> Value {
    let r = post_json(addr, path, body);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!r.chunked, "{path}: a chunked answer");
    assert!(r.body.is_object(), "{path}: not a JSON object: {}", r.body);
    r.body
}

/// Chromium, killed (and its profile removed) on drop.
struct Browser {
    child: Child,
    profile: PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Starts headless Chromium and returns it with its DevTools WebSocket URL.
fn launch(exe: &Path) -> (Browser, String) {
    let profile = std::env::temp_dir().join(format!("proba-chromium-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    std::fs::create_dir_all(&profile).unwrap();
    let mut child = Command::new(exe)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--window-size=900,1000",
            "--remote-debugging-port=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("about:blank")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if !sent {
                if let Some(url) = line.split("DevTools listening on ").nth(1) {
                    let _ = tx.send(url.trim().to_string());
                    sent = true;
                }
            }
        }
    });
    let browser = Browser { child, profile };
    let url = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("Chromium printed its DevTools address");
    (browser, url)
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A minimal DevTools protocol client: one command at a time on one page
/// session (flat mode), events ignored.
struct Cdp {
    ws: Socket,
    next_id: u64,
    session: Option<String>,
}

impl Cdp {
    async fn send(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = &self.session {
            msg["sessionId"] = json!(s);
        }
        self.ws
            .send(Message::Text(msg.to_string().into()))
            .await
            .unwrap();
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(60), self.ws.next())
                .await
                .unwrap_or_else(|_| panic!("no answer to {method}"))
                .expect("the DevTools socket is open")
                .unwrap();
            let Message::Text(text) = frame else { continue };
            let v: Value = serde_json::from_str(&text).unwrap();
            if v["id"] == id {
                if let Some(e) = v.get("error") {
                    panic!("{method}: {e}");
                }
                return v["result"].clone();
            }
        }
    }

    /// Evaluates a JavaScript expression (awaiting a promise) and returns
    /// its value; a thrown error fails the test with its message.
    async fn eval(&mut self, expr: &str) -> Value {
        let r = self
            .send(
                "Runtime.evaluate",
                json!({"expression": expr, "awaitPromise": true, "returnByValue": true}),
            )
            .await;
        if let Some(e) = r.get("exceptionDetails") {
            panic!("{expr}\nthrew {e}");
        }
        r["result"]["value"].clone()
    }

    /// Waits until `cond` (a JavaScript expression) is true, then returns `value`.
    async fn wait_for(&mut self, cond: &str, value: &str) -> Value {
        self.eval(&format!(
            "(async () => {{ for (let i = 0; i < 300; i++) {{ if ({cond}) return {value}; \
             await new Promise(r => setTimeout(r, 50)); }} \
             throw new Error('timed out waiting for: ' + {cond:?} + ' page: ' + document.body.innerText.slice(0, 400)); }})()"
        ))
        .await
    }

    /// Types `text` into the focused element, as a keyboard would.
    async fn type_text(&mut self, selector: &str, text: &str) {
        self.eval(&format!(
            "(() => {{ const e = document.querySelector({selector:?}); e.value = ''; e.focus(); }})()"
        ))
        .await;
        self.send("Input.insertText", json!({ "text": text })).await;
    }

    /// A left click in the middle of the element.
    async fn click(&mut self, selector: &str) {
        let r = self
            .eval(&format!(
                "(() => {{ const b = document.querySelector({selector:?}).getBoundingClientRect(); \
                 return [b.x + b.width / 2, b.y + b.height / 2]; }})()"
            ))
            .await;
        let (x, y) = (r[0].as_f64().unwrap(), r[1].as_f64().unwrap());
        for kind in ["mousePressed", "mouseReleased"] {
            self.send(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
            )
            .await;
        }
    }

    async fn ctrl_enter(&mut self) {
        for kind in ["rawKeyDown", "keyUp"] {
            self.send(
                "Input.dispatchKeyEvent",
                json!({"type": kind, "key": "Enter", "code": "Enter",
                       "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13, "modifiers": 2}),
            )
            .await;
        }
    }

    /// Empties the result, so that the next bars are the next answer's.
    async fn clear_bars(&mut self) {
        self.eval("document.getElementById('result').textContent = ''")
            .await;
    }

    /// The bars on the page: (class, probability as written, highlighted).
    async fn bars(&mut self) -> Vec<(String, String, bool)> {
        let v = self
            .wait_for(
                "document.querySelectorAll('.bar').length > 0",
                "Array.from(document.querySelectorAll('.bar[data-class][data-p]')).map(b => \
                 [b.dataset.class, b.dataset.p, b.classList.contains('predicted')])",
            )
            .await;
        v.as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b[0].as_str().unwrap().to_string(),
                    b[1].as_str().unwrap().to_string(),
                    b[2].as_bool().unwrap(),
                )
            })
            .collect()
    }
}

/// Checks the bars against the JSON answer: one per class, the same
/// numbers, sorted high to low, the chosen labels highlighted.
fn check_bars(bars: &[(String, String, bool)], answer: &Value, chosen: &[&str]) {
    let probs = answer["probabilities"].as_object().unwrap();
    assert_eq!(bars.len(), probs.len(), "{bars:?} vs {answer}");
    for (class, p, hit) in bars {
        let want = probs[class].as_f64().unwrap();
        let got: f64 = p.parse().unwrap();
        assert_eq!(
            got, want,
            "{class}: the page shows {p}, the JSON says {want}"
        );
        assert_eq!(*hit, chosen.contains(&class.as_str()), "{class} highlight");
    }
    let values: Vec<f64> = bars.iter().map(|b| b.1.parse().unwrap()).collect();
    assert!(
        values.windows(2).all(|w| w[0] >= w[1]),
        "sorted high to low: {values:?}"
    );
}

fn decode_base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let clean: Vec<u8> = s.bytes().filter(|&c| c != b'=' && c != b'\n').collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= u32::from(val(c)) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_shows_the_same_probabilities_as_the_json() {
    let required = std::env::var("PROBA_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let Some(exe) = chromium() else {
        assert!(
            !required,
            "PROBA_REQUIRE_BROWSER=1 but chromium is not installed (apt-get install -y chromium)"
        );
        println!("SKIPPED: chromium not found (apt-get install -y chromium)");
        return;
    };
    let addr = start_server();
    let (_browser, ws_url) = launch(&exe);
    let (ws, _) = tokio_tungstenite::connect_async(ws_url.as_str())
        .await
        .expect("connect to Chromium's DevTools socket");
    let mut cdp = Cdp {
        ws,
        next_id: 0,
        session: None,
    };
    let target = cdp
        .send("Target.createTarget", json!({"url": "about:blank"}))
        .await;
    let session = cdp
        .send(
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        )
        .await;
    cdp.session = Some(session["sessionId"].as_str().unwrap().to_string());
    cdp.send(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 900, "height": 1000, "deviceScaleFactor": 1, "mobile": false}),
    )
    .await;
    cdp.send("Page.navigate", json!({"url": format!("http://{addr}/")}))
        .await;

    // The picker lists the three demo models.
    let options = cdp
        .wait_for(
            "document.querySelectorAll('#model option').length >= 3",
            "Array.from(document.querySelectorAll('#model option')).map(o => o.value)",
        )
        .await;
    assert_eq!(
        options,
        json!(["/predict", "/predict_multilabel", "/predict_complex"])
    );

    // 1. Single label: type, click, compare with /predict.
    let text = "My computer crashed again and the backup disk is full.";
    cdp.type_text("#text", text).await;
    cdp.click("#predict").await;
    let bars = cdp.bars().await;
    let answer = post(addr, "/predict", &json!({ "text": text }));
    let label = answer["label"].as_str().unwrap();
    check_bars(&bars, &answer, &[label]);
    assert_eq!(bars[0].0, label, "the predicted label is the top bar");
    let shown = cdp
        .eval("document.getElementById('label').textContent")
        .await;
    assert_eq!(shown, label);
    let known = cdp
        .eval("document.getElementById('known').textContent")
        .await;
    let k = answer["known_terms"].as_u64().unwrap();
    assert!(k > 0);
    assert!(
        known.as_str().unwrap().starts_with(&format!("{k} known")),
        "{known}"
    );
    let png = cdp
        .send("Page.captureScreenshot", json!({"format": "png"}))
        .await;
    let png = decode_base64(png["data"].as_str().unwrap());
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    let shot = std::env::var_os("PROBA_SCREENSHOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("proba_serve_page.png"));
    std::fs::write(&shot, &png).unwrap();
    println!("screenshot: {} ({} bytes)", shot.display(), png.len());

    // 2. No known term: Ctrl+Enter, still bars, and a visible warning.
    cdp.clear_bars().await;
    let unknown = "Zxqv blorptangle wubwub.";
    cdp.type_text("#text", unknown).await;
    cdp.ctrl_enter().await;
    let bars = cdp.bars().await;
    let answer = post(addr, "/predict", &json!({ "text": unknown }));
    assert_eq!(answer["known_terms"], 0);
    check_bars(&bars, &answer, &[answer["label"].as_str().unwrap()]);
    let warning = cdp
        .eval("[document.getElementById('message').className, document.getElementById('message').textContent]")
        .await;
    assert_eq!(warning[0], "warn");
    assert!(
        warning[1].as_str().unwrap().contains("known_terms is 0"),
        "{warning}"
    );

    // 3. Multilabel: the threshold control appears; labels above it are highlighted.
    cdp.eval(
        "(() => { const s = document.getElementById('model'); s.value = '/predict_multilabel'; \
         s.dispatchEvent(new Event('change')); })()",
    )
    .await;
    let visible = cdp
        .eval("getComputedStyle(document.getElementById('threshold-box')).display")
        .await;
    assert_eq!(visible, "flex");
    cdp.eval(
        "(() => { const t = document.getElementById('threshold-value'); t.value = '0.3'; \
         t.dispatchEvent(new Event('input')); })()",
    )
    .await;
    let text = "Real programmers do not comment their code.";
    cdp.type_text("#text", text).await;
    cdp.click("#predict").await;
    let bars = cdp.bars().await;
    let answer = post(
        addr,
        "/predict_multilabel",
        &json!({"text": text, "threshold": 0.3}),
    );
    let labels: Vec<&str> = answer["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(!labels.is_empty(), "{answer}");
    check_bars(&bars, &answer, &labels);
    let chips = cdp
        .eval("Array.from(document.querySelectorAll('#labels .chip')).map(c => c.textContent)")
        .await;
    assert_eq!(chips, json!(labels));

    // 4. An error is shown as such (the server refuses an empty model route).
    cdp.eval(
        "(() => { const s = document.getElementById('model'); const o = document.createElement('option'); \
         o.value = '/models/missing/predict'; s.appendChild(o); models.push({route: o.value, task: 'single_label', \
         kind: 'x', classes: [], vocabulary_size: 0, name: 'missing'}); s.value = o.value; \
         s.dispatchEvent(new Event('change')); })()",
    )
    .await;
    cdp.click("#predict").await;
    let err = cdp
        .wait_for(
            "document.getElementById('message').className === 'error'",
            "document.getElementById('message').textContent",
        )
        .await;
    assert!(
        err.as_str().unwrap().contains("404") && err.as_str().unwrap().contains("missing"),
        "{err}"
    );
    // Chromium is killed when `_browser` drops.
}
