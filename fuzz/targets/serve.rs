//! Fuzz target `serve_request`: the `serve` example's request parsing
//! (`examples/serve/request.rs`, the code behind every predict route), on
//! raw bytes and on JSON objects built from the input (the fields the
//! routes know with values of every JSON type, unknown fields, nulls,
//! odd text). Invariants: no panic; an accepted request has exactly the
//! fields its route takes, a string `text` or a non-empty array of string
//! `texts`, a positive `top_k` and a `threshold` in [0, 1] only on a
//! multilabel route; no error message names a Rust type. The whole router
//! over TCP is `tests/server/fuzz.rs`.

#[allow(dead_code)]
#[path = "../../examples/serve/request.rs"]
mod request;

use arbitrary::{Result, Unstructured};
use serde_json::{json, Map, Value};

use super::gen::{odd_f64, odd_text, rare};

const KEYS: [&str; 6] = ["text", "texts", "top_k", "threshold", "Text", "extra"];

fn value(u: &mut Unstructured, depth: u8) -> Result<Value> {
    Ok(match u.int_in_range(0..=7)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => json!(u.arbitrary::<i64>()?),
        3 => json!(u.arbitrary::<u64>()?),
        4 => serde_json::Number::from_f64(odd_f64(u)?).map_or(Value::Null, Value::Number),
        5 => Value::String(odd_text(u, 40)?),
        6 if depth < 3 => {
            let n = u.int_in_range(0..=4)?;
            Value::Array((0..n).map(|_| value(u, depth + 1)).collect::<Result<_>>()?)
        }
        _ => Value::String(String::new()),
    })
}

fn body(u: &mut Unstructured) -> Result<Vec<u8>> {
    if rare(u, 4)? {
        let n = u.len();
        return Ok(u.bytes(n)?.to_vec());
    }
    let mut obj = Map::new();
    for _ in 0..u.int_in_range(0..=4)? {
        let key = if rare(u, 8)? {
            odd_text(u, 12)?
        } else {
            KEYS[u.choose_index(KEYS.len())?].to_string()
        };
        obj.insert(key, value(u, 0)?);
    }
    Ok(serde_json::to_vec(&Value::Object(obj)).unwrap_or_default())
}

pub fn serve_request(u: &mut Unstructured) -> Result<()> {
    let multilabel: bool = u.arbitrary()?;
    let bytes = body(u)?;
    match request::parse(&bytes, multilabel) {
        Ok(r) => {
            super::deep();
            let v: Value = serde_json::from_slice(&bytes).expect("accepted bodies are JSON");
            let obj = v.as_object().expect("accepted bodies are objects");
            for (k, v) in obj {
                let known = matches!(k.as_str(), "text" | "texts" | "top_k")
                    || (multilabel && k == "threshold");
                assert!(known || v.is_null(), "accepted unknown field {k:?}");
            }
            match r.input {
                request::Input::One(t) => assert_eq!(obj.get("text"), Some(&Value::String(t))),
                request::Input::Many(ts) => {
                    assert!(!ts.is_empty());
                    assert_eq!(obj.get("texts"), Some(&json!(ts)));
                }
            }
            assert!(r.top_k.map_or(true, |k| k >= 1));
            assert!(r
                .threshold
                .map_or(true, |t| multilabel && (0.0..=1.0).contains(&t)));
        }
        Err(msg) => {
            assert!(!msg.is_empty());
            for rust in [
                "PredictRequest",
                "struct ",
                "Input::",
                "alloc::",
                "usize",
                "f64",
            ] {
                assert!(!msg.contains(rust), "message names a Rust type: {msg}");
            }
        }
    }
    Ok(())
}
