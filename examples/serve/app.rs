//! The HTTP application of the `serve` example: routes, JSON shapes, errors.
//!
//! Kept apart from `main` (argument parsing, demo training, the listener) so
//! that `tests/server.rs` builds the same router around tiny models.
//!
//! * `POST /predict`, `/predict_complex`: `{"text": "..."}` ->
//!   `{"label": ..., "probabilities": {class: p}}`; `{"texts": [...]}` ->
//!   `{"predictions": [...]}`.
//! * `POST /predict_multilabel`: `{"text": ..., "threshold": 0.5}` ->
//!   `{"labels": [...], "probabilities": {label: p}, "threshold": 0.5}`.
//! * `GET /health`, `GET /models`.
//!
//! Every error is `{"error": "..."}` with its status (400, 404, 405, 413,
//! 415, 500, 503); internal failures are logged and answered generically.

use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ndarray::Array2;
use proba::pipeline::Pipeline;
use proba::prelude::*;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

/// Batches of at least this many texts are predicted on the blocking pool,
/// so a large batch never stalls the async workers serving small requests.
pub const BLOCKING_BATCH: usize = 32;

/// The default multilabel threshold.
pub const DEFAULT_THRESHOLD: f64 = 0.5;

/// What the server needs from a model: string classes, a vocabulary size,
/// probabilities for texts. Object safe, so the routes hold any pipeline.
pub trait TextModel: Send + Sync {
    /// The classes (labels), in probability column order.
    fn classes(&self) -> &[String];
    /// The vocabulary size.
    fn n_features(&self) -> usize;
    /// One row of probabilities per text.
    fn predict_proba(&self, texts: &[String]) -> proba::Result<Array2<f64>>;
    /// The probabilities of one text, in class order.
    fn predict_one(&self, text: &str) -> proba::Result<Vec<f64>>;
}

impl<M> TextModel for Pipeline<M>
where
    M: PredictProba<CsrMatrix> + Classifier<Label = String> + Send + Sync,
{
    fn classes(&self) -> &[String] {
        Classifier::classes(self)
    }
    fn n_features(&self) -> usize {
        Pipeline::n_features(self)
    }
    fn predict_proba(&self, texts: &[String]) -> proba::Result<Array2<f64>> {
        PredictProba::predict_proba(self, texts)
    }
    fn predict_one(&self, text: &str) -> proba::Result<Vec<f64>> {
        // Pipeline::predict_one without cloning the class names per request.
        let x = self.vectorizer().transform_one(text);
        let p = self.classifier().predict_proba(&x)?;
        Ok(p.iter().copied().collect())
    }
}

/// A model served on a route, with what `GET /models` says about it.
pub struct Served {
    /// A short name, e.g. `"fortunes-demo-lr"` or the file it was loaded from.
    pub name: String,
    /// The model kind, e.g. `"Pipeline<TfidfVectorizer, LogisticRegression>"`.
    pub kind: String,
    /// The model.
    pub model: Box<dyn TextModel>,
}

/// The models of the three prediction routes (a route without one answers 503).
#[derive(Default)]
pub struct Models {
    /// `/predict`: multiclass.
    pub predict: Option<Served>,
    /// `/predict_multilabel`: one-vs-rest.
    pub multilabel: Option<Served>,
    /// `/predict_complex`: random forest.
    pub complex: Option<Served>,
}

/// An error answer: a status and a message for the client.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// A 500: the detail goes to the server log only.
    fn internal(detail: impl std::fmt::Display) -> Self {
        eprintln!("internal error: {detail}");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal server error")
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(ErrorBody {
                error: &self.message,
            }),
        )
            .into_response()
    }
}

/// `axum::Json` with every rejection turned into a JSON error: 415 without a
/// JSON content type, 413 over the body limit, 400 for malformed JSON or a
/// missing or ill-typed field (axum's default for the latter is 422).
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(match &rejection {
                JsonRejection::MissingJsonContentType(_) => ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "expected a request with `Content-Type: application/json`",
                ),
                JsonRejection::JsonDataError(_) | JsonRejection::JsonSyntaxError(_) => {
                    ApiError::bad_request(rejection.body_text())
                }
                JsonRejection::BytesRejection(_) => {
                    let status = rejection.status();
                    if status == StatusCode::PAYLOAD_TOO_LARGE {
                        ApiError::new(status, "request body is over the size limit")
                    } else {
                        ApiError::new(status, rejection.body_text())
                    }
                }
                _ => ApiError::new(rejection.status(), rejection.body_text()),
            }),
        }
    }
}

/// The body of every prediction route: exactly one of `text` and `texts`,
/// and an optional `threshold` (multilabel only).
#[derive(Deserialize)]
pub struct PredictRequest {
    text: Option<String>,
    texts: Option<Vec<String>>,
    threshold: Option<f64>,
}

enum Input {
    One(String),
    Many(Vec<String>),
}

impl PredictRequest {
    fn input(self) -> Result<Input, ApiError> {
        match (self.text, self.texts) {
            (Some(t), None) => Ok(Input::One(t)),
            (None, Some(ts)) if ts.is_empty() => {
                Err(ApiError::bad_request("`texts` must not be empty"))
            }
            (None, Some(ts)) => Ok(Input::Many(ts)),
            (Some(_), Some(_)) => Err(ApiError::bad_request(
                "give either `text` or `texts`, not both",
            )),
            (None, None) => Err(ApiError::bad_request(
                "missing field `text` (a string) or `texts` (an array of strings)",
            )),
        }
    }
}

/// `{class: probability, ...}` in class order, as a JSON object of numbers.
struct ProbMap<'a> {
    classes: &'a [String],
    proba: &'a [f64],
}

impl Serialize for ProbMap<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.classes.len()))?;
        for (c, p) in self.classes.iter().zip(self.proba) {
            m.serialize_entry(c, p)?;
        }
        m.end()
    }
}

#[derive(Serialize)]
struct Prediction<'a> {
    label: &'a str,
    probabilities: ProbMap<'a>,
}

#[derive(Serialize)]
struct MultilabelPrediction<'a> {
    labels: Vec<&'a str>,
    probabilities: ProbMap<'a>,
    threshold: f64,
}

#[derive(Serialize)]
struct Batch<T> {
    predictions: Vec<T>,
}

fn argmax(p: &[f64]) -> usize {
    let mut best = 0;
    for (i, &v) in p.iter().enumerate() {
        if v > p[best] {
            best = i;
        }
    }
    best
}

/// The probability rows of the request's texts: a single text inline, a
/// big batch on the blocking pool.
async fn probabilities(
    served: &Arc<AppState>,
    route: Route,
    input: Input,
) -> Result<(Vec<Vec<f64>>, bool), ApiError> {
    let model = served.model(route)?;
    match input {
        Input::One(text) => {
            let p = model.model.predict_one(&text).map_err(ApiError::internal)?;
            Ok((vec![p], false))
        }
        Input::Many(texts) => {
            let run = |model: &dyn TextModel, texts: &[String]| -> proba::Result<Vec<Vec<f64>>> {
                let p = model.predict_proba(texts)?;
                Ok(p.rows().into_iter().map(|r| r.to_vec()).collect())
            };
            let rows = if texts.len() >= BLOCKING_BATCH {
                let state = Arc::clone(served);
                tokio::task::spawn_blocking(move || {
                    let model = state.model(route).map_err(|e| e.message)?;
                    run(model.model.as_ref(), &texts).map_err(|e| e.to_string())
                })
                .await
                .map_err(ApiError::internal)?
                .map_err(ApiError::internal)?
            } else {
                run(model.model.as_ref(), &texts).map_err(ApiError::internal)?
            };
            Ok((rows, true))
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Route {
    Predict,
    Multilabel,
    Complex,
}

/// The shared, read-only state: no lock anywhere, every request reads it
/// concurrently through the `Arc`.
pub struct AppState {
    models: Models,
}

impl AppState {
    fn model(&self, route: Route) -> Result<&Served, ApiError> {
        let m = match route {
            Route::Predict => &self.models.predict,
            Route::Multilabel => &self.models.multilabel,
            Route::Complex => &self.models.complex,
        };
        m.as_ref().ok_or_else(|| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "no model is loaded on this route",
            )
        })
    }
}

async fn predict_single_label(
    state: Arc<AppState>,
    route: Route,
    req: PredictRequest,
) -> Result<Response, ApiError> {
    if req.threshold.is_some() {
        return Err(ApiError::bad_request(
            "`threshold` only applies to /predict_multilabel",
        ));
    }
    let (rows, batch) = probabilities(&state, route, req.input()?).await?;
    let classes = state.model(route)?.model.classes();
    let preds: Vec<Prediction<'_>> = rows
        .iter()
        .map(|p| Prediction {
            label: classes.get(argmax(p)).map(String::as_str).unwrap_or(""),
            probabilities: ProbMap { classes, proba: p },
        })
        .collect();
    Ok(respond(preds, batch))
}

fn respond<T: Serialize>(mut preds: Vec<T>, batch: bool) -> Response {
    if batch {
        Json(Batch { predictions: preds }).into_response()
    } else {
        match preds.pop() {
            Some(p) => Json(p).into_response(),
            None => ApiError::internal("no prediction for a single text").into_response(),
        }
    }
}

async fn predict(
    State(state): State<Arc<AppState>>,
    ApiJson(req): ApiJson<PredictRequest>,
) -> Result<Response, ApiError> {
    predict_single_label(state, Route::Predict, req).await
}

async fn predict_complex(
    State(state): State<Arc<AppState>>,
    ApiJson(req): ApiJson<PredictRequest>,
) -> Result<Response, ApiError> {
    predict_single_label(state, Route::Complex, req).await
}

async fn predict_multilabel(
    State(state): State<Arc<AppState>>,
    ApiJson(req): ApiJson<PredictRequest>,
) -> Result<Response, ApiError> {
    let threshold = req.threshold.unwrap_or(DEFAULT_THRESHOLD);
    if !(0.0..=1.0).contains(&threshold) {
        return Err(ApiError::bad_request(format!(
            "`threshold` must be a number in [0, 1], got {threshold}"
        )));
    }
    let (rows, batch) = probabilities(&state, Route::Multilabel, req.input()?).await?;
    let classes = state.model(Route::Multilabel)?.model.classes();
    let preds: Vec<MultilabelPrediction<'_>> = rows
        .iter()
        .map(|p| MultilabelPrediction {
            labels: classes
                .iter()
                .zip(p)
                .filter(|(_, &v)| v > threshold)
                .map(|(c, _)| c.as_str())
                .collect(),
            probabilities: ProbMap { classes, proba: p },
            threshold,
        })
        .collect();
    Ok(respond(preds, batch))
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "ok"}))
}

#[derive(Serialize)]
struct ModelInfo<'a> {
    route: &'static str,
    name: &'a str,
    kind: &'a str,
    classes: &'a [String],
    vocabulary_size: usize,
    format_version: u32,
}

#[derive(Serialize)]
struct ModelList<'a> {
    models: Vec<ModelInfo<'a>>,
}

async fn list_models(State(state): State<Arc<AppState>>) -> Response {
    let routes = [
        ("/predict", &state.models.predict),
        ("/predict_multilabel", &state.models.multilabel),
        ("/predict_complex", &state.models.complex),
    ];
    let models = routes
        .iter()
        .filter_map(|(route, m)| {
            m.as_ref().map(|m| ModelInfo {
                route,
                name: &m.name,
                kind: &m.kind,
                classes: m.model.classes(),
                vocabulary_size: m.model.n_features(),
                format_version: proba::io::FORMAT_VERSION,
            })
        })
        .collect();
    Json(ModelList { models }).into_response()
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no such route")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed on this route",
    )
}

/// The application: every route, the JSON fallbacks, the body limit.
pub fn router(models: Models, max_body_bytes: usize) -> Router {
    let state = Arc::new(AppState { models });
    Router::new()
        .route("/predict", post(predict))
        .route("/predict_multilabel", post(predict_multilabel))
        .route("/predict_complex", post(predict_complex))
        .route("/health", get(health))
        .route("/models", get(list_models))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .with_state(state)
}
