//! The body of a prediction request, parsed strictly and with messages
//! written for the client (never a Rust type name).
//!
//! The body is parsed into a `serde_json::Value` first, then checked field by
//! field here, so every error says what the client sent and what the server
//! wanted:
//!
//! * a JSON object with exactly one of `text` (a string) and `texts` (a
//!   non-empty array of strings);
//! * `top_k` (optional): a positive integer, the number of most probable
//!   classes to return (all of them when absent);
//! * `threshold` (optional, multilabel models only): a number in [0, 1];
//! * any other field is refused, naming it. A field set to `null` counts as
//!   absent.

use serde_json::{Map, Value};

/// One text or a batch.
pub enum Input {
    /// `{"text": "..."}`: the answer is one prediction.
    One(String),
    /// `{"texts": [...]}`: the answer is `{"predictions": [...]}`.
    Many(Vec<String>),
}

/// A checked prediction request.
pub struct PredictRequest {
    /// The text or texts to classify.
    pub input: Input,
    /// Keep only the `top_k` most probable classes (all when `None`).
    pub top_k: Option<usize>,
    /// The multilabel threshold (multilabel routes only).
    pub threshold: Option<f64>,
}

/// What a JSON value is, in the client's words.
pub fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A short rendering of a JSON value for an error message.
fn shown(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        let cut: String = s.chars().take(40).collect();
        format!("{cut}...")
    } else {
        s
    }
}

const SINGLE_FIELDS: &str = "`text`, `texts`, `top_k`";
const MULTI_FIELDS: &str = "`text`, `texts`, `top_k`, `threshold`";

/// Parses and checks a prediction request body. `multilabel` says whether
/// the route's model is multilabel (only then is `threshold` a field).
pub fn parse(body: &[u8], multilabel: bool) -> Result<PredictRequest, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(
            "the body is empty; it must be a JSON object such as {\"text\": \"...\"}".to_string(),
        );
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not valid JSON: {e}"))?;
    let Value::Object(mut obj) = value else {
        return Err(format!(
            "the body must be a JSON object such as {{\"text\": \"...\"}}; got {}",
            json_type(&value)
        ));
    };
    check_fields(&obj, multilabel)?;
    let text = take(&mut obj, "text");
    let texts = take(&mut obj, "texts");
    let input = match (text, texts) {
        (Some(t), None) => Input::One(string(t, "`text`")?),
        (None, Some(ts)) => Input::Many(strings(ts)?),
        (Some(_), Some(_)) => return Err("give either `text` or `texts`, not both".to_string()),
        (None, None) => {
            return Err(
                "missing field `text` (a string) or `texts` (an array of strings)".to_string(),
            )
        }
    };
    let top_k = take(&mut obj, "top_k").map(top_k).transpose()?;
    let threshold = take(&mut obj, "threshold").map(threshold).transpose()?;
    Ok(PredictRequest {
        input,
        top_k,
        threshold,
    })
}

fn check_fields(obj: &Map<String, Value>, multilabel: bool) -> Result<(), String> {
    for key in obj.keys() {
        match key.as_str() {
            "text" | "texts" | "top_k" => {}
            "threshold" if multilabel => {}
            "threshold" => {
                return Err(format!(
                    "unknown field `threshold`: it applies only to multilabel models \
                     (such as /predict_multilabel); this route takes {SINGLE_FIELDS}"
                ))
            }
            other => {
                let fields = if multilabel {
                    MULTI_FIELDS
                } else {
                    SINGLE_FIELDS
                };
                let name: String = other.chars().take(40).collect();
                let cut = if name.len() < other.len() { "..." } else { "" };
                return Err(format!(
                    "unknown field `{name}{cut}`: this route takes {fields}"
                ));
            }
        }
    }
    Ok(())
}

/// Removes a field; `null` counts as absent.
fn take(obj: &mut Map<String, Value>, key: &str) -> Option<Value> {
    match obj.remove(key) {
        None | Some(Value::Null) => None,
        Some(v) => Some(v),
    }
}

fn string(v: Value, what: &str) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s),
        other => Err(format!(
            "{what} must be a string; got {} ({})",
            json_type(&other),
            shown(&other)
        )),
    }
}

fn strings(v: Value) -> Result<Vec<String>, String> {
    let Value::Array(items) = v else {
        return Err(format!(
            "`texts` must be an array of strings; got {} ({})",
            json_type(&v),
            shown(&v)
        ));
    };
    if items.is_empty() {
        return Err("`texts` must not be empty".to_string());
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| string(item, &format!("`texts[{i}]`")))
        .collect()
}

fn top_k(v: Value) -> Result<usize, String> {
    match v.as_u64() {
        Some(k) if k >= 1 => Ok(usize::try_from(k).unwrap_or(usize::MAX)),
        _ => Err(format!(
            "`top_k` must be a positive integer (1, 2, ...); got {}",
            shown(&v)
        )),
    }
}

fn threshold(v: Value) -> Result<f64, String> {
    match v.as_f64() {
        Some(t) if (0.0..=1.0).contains(&t) => Ok(t),
        _ => Err(format!(
            "`threshold` must be a number in [0, 1]; got {}",
            shown(&v)
        )),
    }
}
