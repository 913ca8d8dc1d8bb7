//! A JSON prediction server (axum + tokio).
//!
//! ```text
//! cargo run --release --example serve                      # demo models, 127.0.0.1:8080
//! cargo run --release --example serve -- --predict model.json --addr 0.0.0.0:9000
//! curl -s localhost:8080/predict -H 'content-type: application/json' \
//!      -d '{"text": "my computer crashed again"}'
//! ```
//!
//! With no model file it trains three demo models on the bundled fortunes
//! corpus in a few seconds: TF-IDF with logistic regression (`/predict`),
//! TF-IDF with one-vs-rest over derived label sets (`/predict_multilabel`)
//! and TF-IDF with a random forest (`/predict_complex`). `--predict PATH`,
//! `--predict-multilabel PATH` and `--predict-complex PATH` serve models
//! saved by the `train` example instead. Options:
//!
//! * `--addr HOST:PORT` (default `127.0.0.1:8080`)
//! * `--max-body-bytes N` (default 1 MiB; larger bodies get 413)
//! * `--no-demo`: do not train demo models; routes without a model file answer 503
//! * `--data FILE.jsonl`: train the demo models on this corpus instead

#[path = "serve/app.rs"]
mod app;
#[path = "serve/demo.rs"]
mod demo;
#[path = "serve/load.rs"]
mod load;

use std::path::PathBuf;
use std::process::ExitCode;

use app::Models;

struct Args {
    addr: String,
    max_body_bytes: usize,
    predict: Option<PathBuf>,
    multilabel: Option<PathBuf>,
    complex: Option<PathBuf>,
    demo: bool,
    data: PathBuf,
}

const USAGE: &str = "usage: serve [--addr HOST:PORT] [--max-body-bytes N] [--predict PATH] \
[--predict-multilabel PATH] [--predict-complex PATH] [--no-demo] [--data FILE.jsonl]";

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        addr: "127.0.0.1:8080".into(),
        max_body_bytes: 1 << 20,
        predict: None,
        multilabel: None,
        complex: None,
        demo: true,
        data: PathBuf::from(demo::DEMO_CORPUS),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--addr" => a.addr = value()?,
            "--max-body-bytes" => {
                let v = value()?;
                a.max_body_bytes = v
                    .parse()
                    .map_err(|_| format!("--max-body-bytes: not a byte count: {v:?}"))?;
            }
            "--predict" => a.predict = Some(value()?.into()),
            "--predict-multilabel" => a.multilabel = Some(value()?.into()),
            "--predict-complex" => a.complex = Some(value()?.into()),
            "--data" => a.data = value()?.into(),
            "--no-demo" => a.demo = false,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    Ok(a)
}

fn build_models(args: &Args) -> Result<Models, String> {
    let mut models = Models::default();
    let load = |p: &Option<PathBuf>| p.as_deref().map(load::load_model).transpose();
    models.predict = load(&args.predict)?;
    models.multilabel = load(&args.multilabel)?;
    models.complex = load(&args.complex)?;
    if args.demo {
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
    eprintln!("shutting down: finishing the requests in flight");
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let models = match build_models(&args) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
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
        eprintln!("listening on http://{local} (Ctrl-C to stop)");
        axum::serve(listener, app::router(models, args.max_body_bytes))
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|e| format!("server error: {e}"))
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
