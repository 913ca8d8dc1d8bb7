//! The OpenAPI 3.1 description served at `GET /openapi.json`, written by
//! hand to match the handlers in `app.rs` (and checked against them by
//! `tests/server/router.rs`).

use serde_json::{json, Value};

use super::Config;

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    })
}

fn predict_operation(summary: &str, request: &str, response: Value, extra: Value) -> Value {
    let mut responses = json!({
        "200": {
            "description": "The prediction (`text`) or predictions (`texts`).",
            "content": {"application/json": {"schema": response}}
        },
        "400": error_response("The body is not a JSON object, has an unknown field, or a field has the wrong type or value; the message says which."),
        "413": error_response("The body is over the server's `--max-body-bytes` limit."),
        "415": error_response("The request has no `Content-Type: application/json`."),
        "500": error_response("An internal failure (the detail is in the server log)."),
        "503": error_response("No model is loaded on this route, or the request took longer than `--request-timeout-ms`.")
    });
    if let (Some(r), Some(e)) = (responses.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            r.insert(k.clone(), v.clone());
        }
    }
    json!({
        "summary": summary,
        "requestBody": {
            "required": true,
            "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{request}")}}}
        },
        "responses": responses
    })
}

fn probabilities() -> Value {
    json!({
        "type": "object",
        "description": "Class (label) -> probability, in class order; with `top_k`, the k most probable classes, most probable first.",
        "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}
    })
}

fn known_terms() -> Value {
    json!({
        "type": "integer",
        "minimum": 0,
        "description": "How many distinct vocabulary entries (terms, or n-grams if the vectorizer uses them) the text contains: the nonzero entries of its TF-IDF row. 0 means the model knew no word of the text, so the probabilities carry no evidence."
    })
}

fn input_properties(multilabel: bool) -> Value {
    let mut p = json!({
        "text": {"type": "string", "description": "One text. Give exactly one of `text` and `texts`."},
        "texts": {"type": "array", "items": {"type": "string"}, "minItems": 1, "description": "A batch of texts; the answer is `{\"predictions\": [...]}` in the same order."},
        "top_k": {"type": "integer", "minimum": 1, "description": "Return only the k most probable classes (all when absent)."}
    });
    if multilabel {
        p["threshold"] = json!({
            "type": "number", "minimum": 0, "maximum": 1, "default": super::DEFAULT_THRESHOLD,
            "description": "A label is in `labels` when its probability is above this."
        });
    }
    p
}

/// The description, for a server with this configuration.
pub fn spec(config: &Config) -> Value {
    let single = json!({"oneOf": [
        {"$ref": "#/components/schemas/Prediction"},
        {"$ref": "#/components/schemas/PredictionBatch"}
    ]});
    let multi = json!({"oneOf": [
        {"$ref": "#/components/schemas/MultilabelPrediction"},
        {"$ref": "#/components/schemas/MultilabelPredictionBatch"}
    ]});
    let any = json!({"oneOf": [
        {"$ref": "#/components/schemas/Prediction"},
        {"$ref": "#/components/schemas/PredictionBatch"},
        {"$ref": "#/components/schemas/MultilabelPrediction"},
        {"$ref": "#/components/schemas/MultilabelPredictionBatch"}
    ]});
    let mut named = predict_operation(
        "Predict with the model loaded by `--model NAME=PATH`; the answer has the shape of the model's task (see `GET /models`).",
        "NamedPredictRequest",
        any,
        json!({"404": error_response("No model has this name.")}),
    );
    named["parameters"] = json!([{
        "name": "name", "in": "path", "required": true,
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9._-]+$"}
    }]);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "proba serve",
            "version": env!("CARGO_PKG_VERSION"),
            "description": format!(
                "Class probabilities for texts, from models trained by proba. Request bodies are at most {} bytes; requests time out after {} ms.",
                config.max_body_bytes,
                config.request_timeout.as_millis()
            )
        },
        "paths": {
            "/predict": {"post": predict_operation(
                "Predict one label per text with a single-label model.",
                "PredictRequest", single.clone(), json!({}))},
            "/predict_complex": {"post": predict_operation(
                "Predict one label per text with the second single-label model (the demo's random forest).",
                "PredictRequest", single, json!({}))},
            "/predict_multilabel": {"post": predict_operation(
                "Predict a set of labels per text with a multilabel (one-vs-rest) model.",
                "MultilabelPredictRequest", multi, json!({}))},
            "/models/{name}/predict": {"post": named},
            "/models": {"get": {
                "summary": "The models served and their routes.",
                "responses": {"200": {"description": "The models.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ModelList"}}}}}
            }},
            "/health": {"get": {
                "summary": "Liveness.",
                "responses": {"200": {"description": "The server is up.", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["ok"]}}
                }}}}}
            }},
            "/metrics": {"get": {
                "summary": "Prometheus text metrics: proba_http_requests_total{route,status} and the proba_http_request_duration_seconds{route} histogram.",
                "responses": {"200": {"description": "Prometheus text format 0.0.4.", "content": {"text/plain": {"schema": {"type": "string"}}}}}
            }},
            "/openapi.json": {"get": {
                "summary": "This description.",
                "responses": {"200": {"description": "OpenAPI 3.1.", "content": {"application/json": {"schema": {"type": "object"}}}}}
            }},
            "/": {"get": {
                "summary": "A page to try the models in a browser.",
                "responses": {"200": {"description": "A self-contained HTML page.", "content": {"text/html": {"schema": {"type": "string"}}}}}
            }}
        },
        "components": {"schemas": {
            "PredictRequest": {
                "type": "object", "additionalProperties": false,
                "properties": input_properties(false)
            },
            "MultilabelPredictRequest": {
                "type": "object", "additionalProperties": false,
                "properties": input_properties(true)
            },
            "NamedPredictRequest": {
                "type": "object", "additionalProperties": false,
                "description": "`threshold` is accepted only when the named model is multilabel.",
                "properties": input_properties(true)
            },
            "Prediction": {
                "type": "object", "required": ["label", "probabilities", "known_terms"],
                "additionalProperties": false,
                "properties": {
                    "label": {"type": "string", "description": "The most probable class."},
                    "probabilities": probabilities(),
                    "known_terms": known_terms()
                }
            },
            "MultilabelPrediction": {
                "type": "object", "required": ["labels", "probabilities", "threshold", "known_terms"],
                "additionalProperties": false,
                "properties": {
                    "labels": {"type": "array", "items": {"type": "string"}, "description": "The labels whose probability is above the threshold."},
                    "probabilities": probabilities(),
                    "threshold": {"type": "number"},
                    "known_terms": known_terms()
                }
            },
            "PredictionBatch": {
                "type": "object", "required": ["predictions"], "additionalProperties": false,
                "properties": {"predictions": {"type": "array", "items": {"$ref": "#/components/schemas/Prediction"}}}
            },
            "MultilabelPredictionBatch": {
                "type": "object", "required": ["predictions"], "additionalProperties": false,
                "properties": {"predictions": {"type": "array", "items": {"$ref": "#/components/schemas/MultilabelPrediction"}}}
            },
            "ModelList": {
                "type": "object", "required": ["models"],
                "properties": {"models": {"type": "array", "items": {
                    "type": "object",
                    "required": ["route", "name", "kind", "task", "classes", "vocabulary_size", "format_version"],
                    "additionalProperties": false,
                    "properties": {
                        "route": {"type": "string"},
                        "name": {"type": "string"},
                        "kind": {"type": "string"},
                        "task": {"type": "string", "enum": ["single_label", "multilabel"]},
                        "classes": {"type": "array", "items": {"type": "string"}},
                        "vocabulary_size": {"type": "integer", "minimum": 0},
                        "format_version": {"type": "integer"}
                    }
                }}}
            },
            "Error": {
                "type": "object", "required": ["error"], "additionalProperties": false,
                "properties": {"error": {"type": "string"}}
            }
        }}
    })
}
