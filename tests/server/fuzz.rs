//! Fuzz target for the `serve` example's request handling: the router of
//! `examples/serve/app.rs` (the code `cargo run --example serve` runs)
//! behind a real axum server on 127.0.0.1, fed over TCP with (a) requests
//! built from the fuzz input (methods, paths, content types, JSON bodies
//! with odd text, batches on both sides of the blocking-pool threshold,
//! thresholds of every type, oversized bodies, lone surrogates, deep
//! nesting) and (b) raw bytes (mutated HTTP). One line, for a long run:
//!
//! `PROBA_FUZZ_ITERS=20000 cargo test --release --test server -- fuzz::server_requests --nocapture`
//!
//! Invariants: a well-framed request never gets a 5xx; a valid prediction
//! request gets 200 with finite probabilities in [0, 1]; every error body
//! is JSON `{"error": ...}`; after raw garbage the server still answers
//! `/health`.

#[allow(dead_code)] // shared with fuzz/targets; this file uses two generators
#[path = "../../fuzz/targets/gen.rs"]
mod gen;

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::Duration;

use arbitrary::{Result, Unstructured};
use gen::{odd_text, rare};
use serde_json::Value;

use crate::app;
use crate::support;
use crate::support::fuzz::fuzz;
use crate::support::http::serve;

const MAX_BODY: usize = 4096;

fn models() -> app::Models {
    let texts = [
        "the cat purrs on the mat",
        "a kitten and a cat",
        "the dog barks",
        "a puppy and a dog",
        "the bird sings",
        "a parrot sings in a tree",
    ];
    let labels: Vec<String> = ["cat", "cat", "dog", "dog", "bird", "bird"]
        .map(String::from)
        .to_vec();
    let (lr, ovr, rf) = crate::pipelines(&texts, &labels, 5);
    let served = |name: &str, task, model: Box<dyn app::TextModel>| app::Served {
        name: name.into(),
        kind: name.into(),
        task,
        model,
    };
    app::Models {
        predict: Some(served("lr", app::Task::SingleLabel, Box::new(lr))),
        multilabel: Some(served("ovr", app::Task::MultiLabel, Box::new(ovr))),
        complex: Some(served("rf", app::Task::SingleLabel, Box::new(rf))),
        named: Vec::new(),
    }
}

/// Sends `raw` and returns the status and body (None if the server closed
/// without an answer, as hyper does on unparsable input). With `half_close`
/// the write side is shut after sending, so an incomplete request ends at
/// once (hyper then drops the connection without an answer).
fn exchange(addr: SocketAddr, raw: &[u8], half_close: bool) -> Option<(u16, Vec<u8>)> {
    let mut s = TcpStream::connect(addr).expect("server accepts connections");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let _ = s.write_all(raw);
    if half_close {
        let _ = s.shutdown(Shutdown::Write);
    }
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    let (head, _) = text.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let body_at = out.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    Some((status, out[body_at..].to_vec()))
}

fn health(addr: SocketAddr) {
    let (status, _) = exchange(
        addr,
        b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        false,
    )
    .expect("the server still answers");
    assert_eq!(status, 200);
}

/// A JSON string literal: usually a valid one of odd text, sometimes a raw
/// fragment (lone surrogate escape, bad escape, unterminated).
fn json_string(u: &mut Unstructured) -> Result<(String, bool)> {
    if rare(u, 10)? {
        let frag = *u.choose(&[
            r#""\ud800""#,
            r#""\x""#,
            r#""abc"#,
            "\"\u{1}\"",
            r#""\udc00\ud800""#,
        ])?;
        return Ok((frag.to_string(), false));
    }
    let t = odd_text(u, 40)?;
    Ok((serde_json::to_string(&t).unwrap(), true))
}

/// A request body and whether it is a valid prediction request for `route`.
fn body(u: &mut Unstructured, route: &str) -> Result<(Vec<u8>, bool)> {
    let multilabel = route == "/predict_multilabel";
    let mut fields: Vec<String> = Vec::new();
    let mut valid = true;
    let input = u.int_in_range(0..=9u8)?;
    match input {
        0..=4 => {
            let (s, ok) = json_string(u)?;
            valid &= ok;
            fields.push(format!("\"text\":{s}"));
        }
        5..=7 => {
            let n = if rare(u, 3)? {
                usize::from(u.int_in_range(30..=40u8)?)
            } else {
                usize::from(u.int_in_range(0..=4u8)?)
            };
            let mut items = Vec::new();
            for _ in 0..n {
                let (s, ok) = json_string(u)?;
                valid &= ok;
                items.push(s);
            }
            valid &= n > 0;
            fields.push(format!("\"texts\":[{}]", items.join(",")));
        }
        8 => {
            // both, or a wrong type
            valid = false;
            let v = *u.choose(&[
                "\"text\":\"a\",\"texts\":[\"b\"]",
                "\"text\":1",
                "\"texts\":\"a\"",
                "\"texts\":[1,2]",
                "\"text\":null",
                "\"texts\":[[\"a\"]]",
            ])?;
            fields.push(v.to_string());
        }
        _ => valid = false, // neither
    }
    if rare(u, 3)? {
        let t = *u.choose(&[
            "0.5",
            "0",
            "1",
            "-0.1",
            "1.5",
            "1e309",
            "\"0.5\"",
            "null",
            "[]",
            "0.30000000000000004",
            "-0",
        ])?;
        fields.push(format!("\"threshold\":{t}"));
        let in_range = t
            .parse::<f64>()
            .map_or(t == "null", |v| (0.0..=1.0).contains(&v));
        valid &= multilabel && in_range;
        if t == "null" {
            valid = input <= 7 && valid;
        }
    }
    if rare(u, 6)? {
        fields.push("\"extra\":{\"nested\":[1,2,3]}".into());
        valid = false; // unknown fields are refused
    }
    if u.ratio(1, 3)? && fields.len() > 1 {
        let i = u.choose_index(fields.len())?;
        let j = u.choose_index(fields.len())?;
        fields.swap(i, j);
    }
    let mut b = format!("{{{}}}", fields.join(",")).into_bytes();
    match u.int_in_range(0..=19u8)? {
        0 => {
            b = vec![b'['; 300 + usize::from(u.arbitrary::<u8>()?)];
            valid = false;
        }
        1 => {
            let cut = u.choose_index(b.len())?;
            b.truncate(cut);
            valid = false;
        }
        2 => {
            let (s, _) = json_string(u)?;
            b = format!("{{\"text\":\"{}\"}}", "x".repeat(MAX_BODY) + &s[1..]).into_bytes();
            valid = false; // over the limit: 413
        }
        3 => {
            b = u.bytes(u.len().min(64))?.to_vec();
            valid = false;
        }
        _ => {}
    }
    Ok((b, valid))
}

#[test]
fn server_requests() {
    let addr = serve(app::router(models(), MAX_BODY));
    health(addr);
    let n = std::cell::Cell::new(0usize);
    fuzz("server_requests", 3_000, |u| {
        n.set(n.get() + 1);
        if rare(u, 8)? {
            // Raw bytes: anything at all, then the server must still be up.
            let raw = u.bytes(u.len())?;
            let _ = exchange(addr, raw, true);
            health(addr);
            return Ok(());
        }
        let route = *u.choose(&[
            "/predict",
            "/predict_multilabel",
            "/predict_complex",
            "/health",
            "/models",
            "/nope",
            "/predict?x=1",
            "//predict",
            "/predict/",
        ])?;
        let method = if rare(u, 6)? {
            *u.choose(&["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"])?
        } else {
            "POST"
        };
        let ctype = match u.int_in_range(0..=7u8)? {
            0 => None,
            1 => Some("text/plain"),
            2 => Some("application/json; charset=utf-8"),
            3 => Some("application/x-www-form-urlencoded"),
            _ => Some("application/json"),
        };
        let (body, valid_body) = body(u, route)?;
        let mut req =
            format!("{method} {route} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        if let Some(c) = ctype {
            req.push_str(&format!("Content-Type: {c}\r\n"));
        }
        req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let mut raw = req.into_bytes();
        raw.extend_from_slice(&body);
        let (status, reply) =
            exchange(addr, &raw, false).expect("an answer to a well-framed request");
        assert!(
            status < 500,
            "{status} for {}",
            String::from_utf8_lossy(&raw)
        );
        let predict_route = matches!(
            route,
            "/predict" | "/predict_multilabel" | "/predict_complex" | "/predict?x=1"
        );
        let valid = valid_body
            && method == "POST"
            && ctype.is_some_and(|c| c.starts_with("application/json"))
            && predict_route;
        if method == "HEAD" {
            return Ok(());
        }
        let json: Value = serde_json::from_slice(&reply).unwrap_or_else(|e| {
            panic!(
                "{status}: non-JSON reply ({e}): {}",
                String::from_utf8_lossy(&reply)
            )
        });
        if valid {
            assert_eq!(status, 200, "{json} for {}", String::from_utf8_lossy(&raw));
            support::fuzz::deep();
            let preds: Vec<&Value> = match json.get("predictions") {
                Some(Value::Array(a)) => a.iter().collect(),
                _ => vec![&json],
            };
            for p in preds {
                let probs = p["probabilities"].as_object().expect("probabilities");
                assert!(!probs.is_empty());
                for v in probs.values() {
                    let v = v.as_f64().expect("a number");
                    assert!(v.is_finite() && (0.0..=1.0).contains(&v), "{v}");
                }
            }
        } else if status != 200 {
            assert!(json["error"].is_string(), "{status}: {json}");
        }
        if n.get() % 64 == 0 {
            health(addr);
        }
        Ok(())
    });
    health(addr);
}
