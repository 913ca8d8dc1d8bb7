//! The HTTP application of the `serve` example: routes, JSON shapes, errors,
//! the page, metrics and the request log.
//!
//! Kept apart from `main` (flags, demo training, the listener) so that the
//! tests build the same router around tiny models.
//!
//! * `POST /predict`, `/predict_complex` (single-label models):
//!   `{"text": "..."}` -> `{"label", "probabilities": {class: p}, "known_terms"}`;
//!   `{"texts": [...]}` -> `{"predictions": [...]}`.
//! * `POST /predict_multilabel` (multilabel models): also `"threshold"` ->
//!   `{"labels", "probabilities", "threshold", "known_terms"}`.
//! * `POST /models/{name}/predict`: the model loaded with `--model NAME=PATH`,
//!   answering in the shape of its kind.
//! * Every prediction route takes `top_k` (keep the k most probable classes,
//!   most probable first). `known_terms` counts the distinct vocabulary
//!   entries (terms, or n-grams when the vectorizer uses them) found in the
//!   text: the nonzero entries of its TF-IDF row. 0 means the model knew no
//!   word of the text and its probabilities carry no evidence (they are what
//!   it answers for an empty text).
//! * `GET /` (the page), `/health`, `/models`, `/metrics` (Prometheus text),
//!   `/openapi.json`.
//!
//! Every error is `{"error": "..."}` with its status (400, 404, 405, 413,
//! 415, 500, 503); internal failures are logged and answered generically.

#[path = "metrics.rs"]
pub mod metrics;
#[path = "openapi.rs"]
pub mod openapi;
#[path = "request.rs"]
pub mod request;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, FromRequest, MatchedPath, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use proba::pipeline::Pipeline;
use proba::prelude::*;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use metrics::Metrics;
use request::Input;

/// Batches of at least this many texts are predicted on the blocking pool,
/// so a large batch never stalls the async workers serving small requests.
pub const BLOCKING_BATCH: usize = 32;

/// The default multilabel threshold.
pub const DEFAULT_THRESHOLD: f64 = 0.5;

/// The default request body limit (`--max-body-bytes`).
pub const DEFAULT_MAX_BODY_BYTES: usize = 1 << 20;

/// The default time a request may take (`--request-timeout-ms`).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The page at `GET /`: one self-contained file, no external resource.
pub const PAGE: &str = include_str!("page.html");

/// The probabilities of one text and how many of its terms the model knew.
pub struct Scored {
    /// One probability per class, in class order.
    pub proba: Vec<f64>,
    /// The nonzero entries of the text's feature row.
    pub known_terms: usize,
}

/// What the server needs from a model: string classes, a vocabulary size,
/// probabilities for texts. Object safe, so the routes hold any pipeline.
pub trait TextModel: Send + Sync {
    /// The classes (labels), in probability column order.
    fn classes(&self) -> &[String];
    /// The vocabulary size.
    fn n_features(&self) -> usize;
    /// The probabilities of one text.
    fn predict_one(&self, text: &str) -> proba::Result<Scored>;
    /// The probabilities of each text.
    fn predict_many(&self, texts: &[String]) -> proba::Result<Vec<Scored>>;
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
    fn predict_one(&self, text: &str) -> proba::Result<Scored> {
        score_one(self, text)
    }
    fn predict_many(&self, texts: &[String]) -> proba::Result<Vec<Scored>> {
        score_many(self, texts)
    }
}

/// A pipeline whose classes are not strings (scikit-learn's integer
/// classes), served under string names: the labels printed, or the names
/// given (the classes of a `MultiLabelBinarizer` for a one-vs-rest model
/// trained on label sets, whose classes are the columns 0..n).
pub struct Named<M> {
    pipeline: Pipeline<M>,
    classes: Vec<String>,
}

impl<M: Classifier> Named<M>
where
    M::Label: std::fmt::Display,
{
    /// The pipeline under its own labels, printed.
    pub fn new(pipeline: Pipeline<M>) -> Self {
        let classes = pipeline.classes().iter().map(|c| c.to_string()).collect();
        Named { pipeline, classes }
    }

    /// The pipeline under `names`, one per class in class order.
    pub fn with_names(pipeline: Pipeline<M>, names: Vec<String>) -> Result<Self, String> {
        if names.len() != pipeline.classes().len() {
            return Err(format!(
                "{} class names for a model of {} classes",
                names.len(),
                pipeline.classes().len()
            ));
        }
        Ok(Named {
            pipeline,
            classes: names,
        })
    }
}

impl<M> TextModel for Named<M>
where
    M: PredictProba<CsrMatrix> + Send + Sync,
{
    fn classes(&self) -> &[String] {
        &self.classes
    }
    fn n_features(&self) -> usize {
        self.pipeline.n_features()
    }
    fn predict_one(&self, text: &str) -> proba::Result<Scored> {
        score_one(&self.pipeline, text)
    }
    fn predict_many(&self, texts: &[String]) -> proba::Result<Vec<Scored>> {
        score_many(&self.pipeline, texts)
    }
}

/// The probabilities of one text: Pipeline::predict_one without cloning
/// the class names per request.
fn score_one<M: PredictProba<CsrMatrix>>(p: &Pipeline<M>, text: &str) -> proba::Result<Scored> {
    let x = p.vectorizer().transform_one(text);
    let proba = p.classifier().predict_proba(&x)?;
    Ok(Scored {
        proba: proba.iter().copied().collect(),
        known_terms: x.nnz(),
    })
}

fn score_many<M: PredictProba<CsrMatrix>>(
    p: &Pipeline<M>,
    texts: &[String],
) -> proba::Result<Vec<Scored>> {
    let x = p.transform(texts)?;
    let proba = p.classifier().predict_proba(&x)?;
    Ok(proba
        .rows()
        .into_iter()
        .zip(x.indptr().windows(2))
        .map(|(row, w)| Scored {
            proba: row.to_vec(),
            known_terms: w[1] - w[0],
        })
        .collect())
}

/// Whether a model gives one label per text (probabilities summing to 1)
/// or a set of labels (one independent probability per label).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    /// Multiclass: logistic regression, random forest.
    SingleLabel,
    /// One-vs-rest.
    MultiLabel,
}

impl Task {
    /// The name used in `/models` and in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Task::SingleLabel => "single_label",
            Task::MultiLabel => "multilabel",
        }
    }
}

/// A model served on a route, with what `GET /models` says about it.
pub struct Served {
    /// A short name: the demo model's name or the file it was loaded from.
    pub name: String,
    /// The model kind, e.g. `"Pipeline<TfidfVectorizer, LogisticRegression>"`.
    pub kind: String,
    /// Single-label or multilabel.
    pub task: Task,
    /// The model.
    pub model: Box<dyn TextModel>,
}

/// The models of the three fixed routes (a route without one answers 503)
/// and the named models of `/models/{name}/predict`.
#[derive(Default)]
pub struct Models {
    /// `/predict`: single-label.
    pub predict: Option<Served>,
    /// `/predict_multilabel`: multilabel.
    pub multilabel: Option<Served>,
    /// `/predict_complex`: single-label (the demo's random forest).
    pub complex: Option<Served>,
    /// `/models/{name}/predict`: (name, model), any kind.
    pub named: Vec<(String, Served)>,
}

impl Models {
    /// Refuses a model whose kind does not fit its route, and bad or
    /// repeated names, with a message naming the file, its kind and the route.
    pub fn check(&self) -> Result<(), String> {
        let fixed = [
            ("/predict", &self.predict, Task::SingleLabel, "--predict"),
            (
                "/predict_complex",
                &self.complex,
                Task::SingleLabel,
                "--predict-complex",
            ),
            (
                "/predict_multilabel",
                &self.multilabel,
                Task::MultiLabel,
                "--predict-multilabel",
            ),
        ];
        for (route, served, want, flag) in fixed {
            let Some(s) = served else { continue };
            if s.task != want {
                let (what, instead) = match s.task {
                    Task::MultiLabel => (
                        "a multilabel model (one independent probability per label, \
                         which do not sum to 1)",
                        "serve it with --predict-multilabel PATH or --model NAME=PATH",
                    ),
                    Task::SingleLabel => (
                        "a single-label model (one label per text)",
                        "serve it with --predict PATH, --predict-complex PATH or --model NAME=PATH",
                    ),
                };
                return Err(format!(
                    "{}: holds a {}, {what}; {route} ({flag}) serves only {} models; {instead}",
                    s.name,
                    s.kind,
                    want.as_str().replace('_', "-")
                ));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (name, s) in &self.named {
            let ok = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if !ok {
                return Err(format!(
                    "--model {name}={}: a model name is letters, digits, '-', '_' and '.' \
                     (it becomes the route /models/NAME/predict)",
                    s.name
                ));
            }
            if !seen.insert(name.as_str()) {
                return Err(format!(
                    "--model {name}=...: the name {name:?} is given twice"
                ));
            }
        }
        Ok(())
    }
}

/// Server settings that the routes see.
#[derive(Clone, Debug)]
pub struct Config {
    /// Bodies over this many bytes get 413.
    pub max_body_bytes: usize,
    /// A request taking longer gets 503.
    pub request_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            request_timeout: DEFAULT_TIMEOUT,
        }
    }
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
        tracing::error!("internal error: {detail}");
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

fn is_json(headers: &HeaderMap) -> bool {
    let Some(v) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = v
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The raw body of a prediction request, after the content type and size
/// checks: 415 without a JSON content type, 413 over the limit (naming it
/// and the flag). The JSON itself is checked by [`request::parse`].
pub struct JsonBody(pub Bytes);

impl FromRequest<Arc<AppState>> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, ApiError> {
        if !is_json(req.headers()) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "expected a request with `Content-Type: application/json`",
            ));
        }
        match Bytes::from_request(req, state).await {
            Ok(b) => Ok(JsonBody(b)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!(
                        "the request body is over the server's limit of {} bytes; \
                         split the batch, or start the server with a larger --max-body-bytes",
                        state.config.max_body_bytes
                    ),
                ))
            }
            Err(rejection) => Err(ApiError::new(
                rejection.status(),
                "could not read the request body",
            )),
        }
    }
}

/// `{class: probability, ...}`: in class order, or in the order of `order`
/// (the `top_k` most probable first).
struct ProbMap<'a> {
    classes: &'a [String],
    proba: &'a [f64],
    order: Option<&'a [usize]>,
}

impl Serialize for ProbMap<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.order {
            None => {
                let mut m = s.serialize_map(Some(self.classes.len()))?;
                for (c, p) in self.classes.iter().zip(self.proba) {
                    m.serialize_entry(c, p)?;
                }
                m.end()
            }
            Some(order) => {
                let mut m = s.serialize_map(Some(order.len()))?;
                for &i in order {
                    m.serialize_entry(&self.classes[i], &self.proba[i])?;
                }
                m.end()
            }
        }
    }
}

#[derive(Serialize)]
struct Prediction<'a> {
    label: &'a str,
    probabilities: ProbMap<'a>,
    known_terms: usize,
}

#[derive(Serialize)]
struct MultilabelPrediction<'a> {
    labels: Vec<&'a str>,
    probabilities: ProbMap<'a>,
    threshold: f64,
    known_terms: usize,
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

/// The indices of the `k` most probable classes, most probable first (ties
/// in class order).
fn top_indices(p: &[f64], k: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..p.len()).collect();
    idx.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
    idx.truncate(k);
    idx
}

/// A prediction route: a fixed one or a named model.
#[derive(Clone, Copy, Debug)]
enum Route {
    Predict,
    Multilabel,
    Complex,
    Named(usize),
}

/// The shared, read-only state (plus atomic counters): no lock anywhere,
/// every request reads it concurrently through the `Arc`.
pub struct AppState {
    models: Models,
    config: Config,
    metrics: Metrics,
    openapi: String,
}

impl AppState {
    fn served(&self, route: Route) -> Option<&Served> {
        match route {
            Route::Predict => self.models.predict.as_ref(),
            Route::Multilabel => self.models.multilabel.as_ref(),
            Route::Complex => self.models.complex.as_ref(),
            Route::Named(i) => self.models.named.get(i).map(|(_, s)| s),
        }
    }

    fn model(&self, route: Route) -> Result<&Served, ApiError> {
        self.served(route).ok_or_else(|| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "no model is loaded on this route",
            )
        })
    }

    /// The kind of answer a route gives, even without a model.
    fn task(&self, route: Route) -> Task {
        match (route, self.served(route)) {
            (_, Some(s)) => s.task,
            (Route::Multilabel, None) => Task::MultiLabel,
            _ => Task::SingleLabel,
        }
    }
}

/// The probability rows of the request's texts: a single text inline, a
/// big batch on the blocking pool.
async fn score(
    state: &Arc<AppState>,
    route: Route,
    input: Input,
) -> Result<(Vec<Scored>, bool), ApiError> {
    let model = state.model(route)?;
    match input {
        Input::One(text) => {
            let p = model.model.predict_one(&text).map_err(ApiError::internal)?;
            Ok((vec![p], false))
        }
        Input::Many(texts) => {
            let rows = if texts.len() >= BLOCKING_BATCH {
                let state = Arc::clone(state);
                tokio::task::spawn_blocking(move || {
                    let model = state.model(route).map_err(|e| e.message)?;
                    model.model.predict_many(&texts).map_err(|e| e.to_string())
                })
                .await
                .map_err(ApiError::internal)?
                .map_err(ApiError::internal)?
            } else {
                model
                    .model
                    .predict_many(&texts)
                    .map_err(ApiError::internal)?
            };
            Ok((rows, true))
        }
    }
}

async fn run_predict(
    state: Arc<AppState>,
    route: Route,
    body: Bytes,
) -> Result<Response, ApiError> {
    let task = state.task(route);
    let req = request::parse(&body, task == Task::MultiLabel).map_err(ApiError::bad_request)?;
    let (rows, batch) = score(&state, route, req.input).await?;
    let classes = state.model(route)?.model.classes();
    let orders: Option<Vec<Vec<usize>>> = req
        .top_k
        .map(|k| rows.iter().map(|r| top_indices(&r.proba, k)).collect());
    let order = |i: usize| orders.as_ref().map(|o| o[i].as_slice());
    match task {
        Task::SingleLabel => {
            let preds: Vec<Prediction<'_>> = rows
                .iter()
                .enumerate()
                .map(|(i, r)| Prediction {
                    label: classes
                        .get(argmax(&r.proba))
                        .map(String::as_str)
                        .unwrap_or(""),
                    probabilities: ProbMap {
                        classes,
                        proba: &r.proba,
                        order: order(i),
                    },
                    known_terms: r.known_terms,
                })
                .collect();
            Ok(respond(preds, batch))
        }
        Task::MultiLabel => {
            let threshold = req.threshold.unwrap_or(DEFAULT_THRESHOLD);
            let preds: Vec<MultilabelPrediction<'_>> = rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let kept: Vec<usize> = match order(i) {
                        Some(o) => o.to_vec(),
                        None => (0..classes.len()).collect(),
                    };
                    MultilabelPrediction {
                        labels: kept
                            .iter()
                            .filter(|&&c| r.proba[c] > threshold)
                            .map(|&c| classes[c].as_str())
                            .collect(),
                        probabilities: ProbMap {
                            classes,
                            proba: &r.proba,
                            order: order(i),
                        },
                        threshold,
                        known_terms: r.known_terms,
                    }
                })
                .collect();
            Ok(respond(preds, batch))
        }
    }
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
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    run_predict(state, Route::Predict, body).await
}

async fn predict_complex(
    State(state): State<Arc<AppState>>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    run_predict(state, Route::Complex, body).await
}

async fn predict_multilabel(
    State(state): State<Arc<AppState>>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    run_predict(state, Route::Multilabel, body).await
}

async fn predict_named(
    State(state): State<Arc<AppState>>,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let name = path
        .map_err(|_| ApiError::bad_request("the model name in the path is not valid UTF-8"))?
        .0;
    let index = state
        .models
        .named
        .iter()
        .position(|(n, _)| *n == name)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                format!(
                    "no model named {:?}; GET /models lists the models served",
                    name.chars().take(64).collect::<String>()
                ),
            )
        })?;
    run_predict(state, Route::Named(index), body).await
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "ok"}))
}

#[derive(Serialize)]
struct ModelInfo<'a> {
    route: String,
    name: &'a str,
    kind: &'a str,
    task: &'static str,
    classes: &'a [String],
    vocabulary_size: usize,
    format_version: u32,
}

#[derive(Serialize)]
struct ModelList<'a> {
    models: Vec<ModelInfo<'a>>,
}

async fn list_models(State(state): State<Arc<AppState>>) -> Response {
    let m = &state.models;
    let fixed = [
        ("/predict".to_string(), m.predict.as_ref()),
        ("/predict_multilabel".to_string(), m.multilabel.as_ref()),
        ("/predict_complex".to_string(), m.complex.as_ref()),
    ];
    let named = m
        .named
        .iter()
        .map(|(name, s)| (format!("/models/{name}/predict"), Some(s)));
    let models = fixed
        .into_iter()
        .chain(named)
        .filter_map(|(route, m)| {
            m.map(|m| ModelInfo {
                route,
                name: &m.name,
                kind: &m.kind,
                task: m.task.as_str(),
                classes: m.model.classes(),
                vocabulary_size: m.model.n_features(),
                format_version: proba::io::FORMAT_VERSION,
            })
        })
        .collect();
    Json(ModelList { models }).into_response()
}

async fn page() -> Html<&'static str> {
    Html(PAGE)
}

async fn openapi_json(State(state): State<Arc<AppState>>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.openapi.clone(),
    )
        .into_response()
}

async fn metrics_text(State(state): State<Arc<AppState>>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no such route; GET /openapi.json lists the routes",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed on this route; GET /openapi.json lists the routes",
    )
}

/// What the request log says about a request, handed from [`track`] to the
/// `TraceLayer`'s response hook in the response's extensions (cheaper than a
/// span per request).
#[derive(Clone)]
struct Logged {
    method: axum::http::Method,
    route: Option<MatchedPath>,
}

/// Counts every answer in the metrics, by route template and status, gives
/// the timeout layer's empty 503 its JSON message, and labels the answer
/// for the request log.
async fn track(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let matched = req.extensions().get::<MatchedPath>().cloned();
    let route = state
        .metrics
        .route_index(matched.as_ref().map(MatchedPath::as_str));
    let method = req.method().clone();
    let start = Instant::now();
    let mut res = next.run(req).await;
    if res.status() == StatusCode::SERVICE_UNAVAILABLE
        && !res.headers().contains_key(header::CONTENT_TYPE)
    {
        res = timeout_answer(&state);
    }
    state
        .metrics
        .record(route, res.status().as_u16(), start.elapsed());
    if tracing::enabled!(tracing::Level::INFO) {
        res.extensions_mut().insert(Logged {
            method,
            route: matched,
        });
    }
    res
}

/// The JSON answer for the timeout layer's empty 503, naming the limit.
fn timeout_answer(state: &AppState) -> Response {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        format!(
            "the request took longer than the server's limit of {} ms (--request-timeout-ms)",
            state.config.request_timeout.as_millis()
        ),
    )
    .into_response()
}

/// The route templates, for the metrics labels.
pub const ROUTES: [&str; 10] = [
    "/",
    "/predict",
    "/predict_multilabel",
    "/predict_complex",
    "/models/{name}/predict",
    "/health",
    "/models",
    "/metrics",
    "/openapi.json",
    "/favicon.ico",
];

/// The application with the default [`Config`] but this body limit.
#[allow(dead_code)] // used by the tests; main uses router_with
pub fn router(models: Models, max_body_bytes: usize) -> Router {
    router_with(
        models,
        Config {
            max_body_bytes,
            ..Config::default()
        },
    )
}

/// The application: every route, the JSON fallbacks, the body limit, the
/// timeout, the metrics and the request log (one `tracing` event per
/// request: method, route template, status, latency; never the body).
pub fn router_with(models: Models, config: Config) -> Router {
    let openapi = openapi::spec(&config).to_string();
    let state = Arc::new(AppState {
        models,
        metrics: Metrics::new(ROUTES),
        openapi,
        config: config.clone(),
    });
    let trace = TraceLayer::new_for_http()
        .make_span_with(|_: &Request<Body>| tracing::Span::none())
        .on_request(())
        .on_response(
            |res: &Response<Body>, latency: Duration, _span: &tracing::Span| {
                let Some(l) = res.extensions().get::<Logged>() else {
                    return;
                };
                let route = l
                    .route
                    .as_ref()
                    .map(MatchedPath::as_str)
                    .unwrap_or(metrics::UNMATCHED);
                tracing::info!(
                    method = %l.method,
                    route,
                    status = res.status().as_u16(),
                    latency_us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX),
                    "request"
                );
            },
        )
        .on_failure(());
    Router::new()
        .route("/", get(page))
        .route("/predict", post(predict))
        .route("/predict_multilabel", post(predict_multilabel))
        .route("/predict_complex", post(predict_complex))
        .route("/models/{name}/predict", post(predict_named))
        .route("/health", get(health))
        .route("/models", get(list_models))
        .route("/metrics", get(metrics_text))
        .route("/openapi.json", get(openapi_json))
        .route(
            "/favicon.ico",
            get(|| async {
                (
                    StatusCode::NO_CONTENT,
                    [(
                        header::CACHE_CONTROL,
                        HeaderValue::from_static("max-age=86400"),
                    )],
                )
            }),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            config.request_timeout,
        ))
        .layer(middleware::from_fn_with_state(Arc::clone(&state), track))
        .layer(trace)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .with_state(state)
}
