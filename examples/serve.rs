//! A JSON prediction server (axum + tokio) with a page to try it.
//!
//! ```text
//! cargo run --release --example serve                      # demo models, http://127.0.0.1:8080/
//! cargo run --release --example serve -- --predict model.json --addr 0.0.0.0:9000
//! cargo run --release --example serve -- --predict model.pkl          # a scikit-learn pickle
//! cargo run --release --example serve -- --predict vectorizer.pkl,classifier.joblib
//! cargo run --release --example serve -- --model bbc=bbc-lr.json --model tags=tags-ovr.json
//! curl -s localhost:8080/predict -H 'content-type: application/json' \
//!      -d '{"text": "my computer crashed again", "top_k": 3}'
//! ```
//!
//! With no model file it trains three demo models on the bundled fortunes
//! corpus in a few seconds: TF-IDF with logistic regression (`/predict`),
//! TF-IDF with one-vs-rest over derived label sets (`/predict_multilabel`)
//! and TF-IDF with a random forest (`/predict_complex`). A model file is
//! one saved by the `train` example or a scikit-learn pickle/joblib file
//! (a `Pipeline`, or a vectorizer and a classifier pickled apart, given
//! as `A,B`; for label sets, add the `MultiLabelBinarizer`: `A,B,C`), told
//! apart by content, read without Python and without executing anything
//! (`proba::sklearn`). `serve --help`
//! lists every flag with its default. One log line per request goes to
//! stderr (`RUST_LOG=warn` silences them); `GET /metrics` has Prometheus
//! counters; Ctrl-C or SIGTERM stops it gracefully.

#[path = "serve/app.rs"]
mod app;
#[path = "serve/demo.rs"]
mod demo;
#[path = "serve/load.rs"]
mod load;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use app::Models;
use clap::Parser;

/// Serve proba text models over HTTP: JSON predictions, a page at /, metrics, OpenAPI.
///
/// Without model files, trains demo models on the bundled fortunes corpus.
#[derive(Parser, Debug)]
#[command(name = "serve", version)]
struct Args {
    /// Address to listen on (HOST:PORT; port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,

    /// Serve a model at /models/NAME/predict (repeatable; NAME is letters,
    /// digits, '-', '_', '.'). Any kind: the answer has the shape of the
    /// model's task. PATH as for --predict.
    #[arg(long = "model", value_name = "NAME=PATH", value_parser = parse_named)]
    models: Vec<(String, PathBuf)>,

    /// Single-label model for POST /predict: a file saved by the train
    /// example, a scikit-learn Pipeline pickle/joblib file, or
    /// VECTORIZER,CLASSIFIER pickled apart (told apart by content).
    #[arg(long, value_name = "PATH")]
    predict: Option<PathBuf>,

    /// Multilabel (one-vs-rest) model for POST /predict_multilabel; for a
    /// scikit-learn one, add its MultiLabelBinarizer (PIPELINE,BINARIZER) to
    /// name the labels.
    #[arg(long, value_name = "PATH")]
    predict_multilabel: Option<PathBuf>,

    /// Single-label model for POST /predict_complex (as for --predict).
    #[arg(long, value_name = "PATH")]
    predict_complex: Option<PathBuf>,

    /// Do not train demo models: the fixed routes without a model file answer 503.
    #[arg(long)]
    no_demo: bool,

    /// JSONL corpus (`text` and `label` fields) to train the demo models on.
    #[arg(long, value_name = "FILE.jsonl", default_value = demo::DEMO_CORPUS)]
    data: PathBuf,

    /// Largest request body accepted, in bytes; larger bodies get 413.
    #[arg(long, value_name = "N", default_value_t = app::DEFAULT_MAX_BODY_BYTES)]
    max_body_bytes: usize,

    /// Longest time a request may take, in milliseconds; slower ones get 503.
    #[arg(long, value_name = "MS", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    request_timeout_ms: u64,
}

fn parse_named(s: &str) -> Result<(String, PathBuf), String> {
    match s.split_once('=') {
        Some((name, path)) if !name.is_empty() && !path.is_empty() => {
            Ok((name.to_string(), PathBuf::from(path)))
        }
        _ => Err(format!("expected NAME=PATH, got {s:?}")),
    }
}

fn build_models(args: &Args) -> Result<Models, String> {
    let mut models = Models::default();
    let load = |p: &Option<PathBuf>| p.as_deref().map(load::load_model).transpose();
    models.predict = load(&args.predict)?;
    models.multilabel = load(&args.predict_multilabel)?;
    models.complex = load(&args.predict_complex)?;
    for (name, path) in &args.models {
        models.named.push((name.clone(), load::load_model(path)?));
    }
    // Refuse a misfit before spending time on demo training.
    models.check()?;
    if !args.no_demo {
        demo::train_missing(&mut models, &args.data)?;
    }
    Ok(models)
}

/// Resolves on Ctrl-C (SIGINT) or, on Unix, SIGTERM; axum then stops
/// accepting connections and finishes the requests in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            eprintln!("cannot listen for Ctrl-C ({e})");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let models = match build_models(&args) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let config = app::Config {
        max_body_bytes: args.max_body_bytes,
        request_timeout: Duration::from_millis(args.request_timeout_ms),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result: Result<(), String> = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        eprintln!("listening on http://{local}/ (Ctrl-C to stop)");
        axum::serve(listener, app::router_with(models, config))
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|e| format!("server error: {e}"))
    });
    // Do not wait for blocking-pool threads (a large batch) past shutdown.
    runtime.shutdown_timeout(Duration::from_millis(500));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
