//! proba's side of the out-of-core speed comparison (issue 16):
//! `scripts/compare_sgd.py` runs this and scikit-learn on the same corpus and
//! prints the ratios.
//!
//! ```text
//! cargo run --release --example compare_sgd -- [CORPUS.jsonl] [RUNS] [--threads 1,2]
//!     [--proba OUT.json]
//! ```
//!
//! On every text of the corpus (`{"label", "text"}` lines; default
//! ../shared/data/bbc.jsonl) it times, as the median wall time of RUNS runs
//! (default 7), in a local rayon pool of each thread count:
//!
//! * `HashingVectorizer` transform, `n_features` 2^18, `alternate_sign` false
//!   (scikit-learn's `HashingVectorizer(n_features=2**18, alternate_sign=False)`);
//! * `SgdClassifier` fit on those hashed features, loss `LogLoss`, `alpha`
//!   1e-4, `max_iter` 5, `tol` None, `shuffle` false (scikit-learn's
//!   `SGDClassifier(loss="log_loss", alpha=1e-4, max_iter=5, tol=None,
//!   shuffle=False)`), on all rows.
//!
//! Prints one `RESULT key=value ...` line per measurement (with the CPU
//! seconds per run, summed over threads, beside the wall time), and a `CHECK` line
//! with the matrix's nnz and sum (to compare with scikit-learn's). With
//! `--proba OUT.json` it writes `predict_proba` of every 10th row (as fitted
//! at the first thread count) and the class order, for the script to compare.

#[path = "support/measure.rs"]
mod measure;

use std::time::Instant;

use proba::linear::{SgdClassifier, SgdLoss};
use proba::prelude::*;
use proba::text::HashingVectorizer;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut path = None;
    let mut runs = 7usize;
    let mut threads: Vec<usize> = vec![1, 2];
    let mut proba_out: Option<String> = None;
    let mut positional = 0;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--threads" => {
                threads = it
                    .next()
                    .ok_or("--threads needs a value")?
                    .split(',')
                    .map(str::parse)
                    .collect::<std::result::Result<_, _>>()?
            }
            "--proba" => proba_out = Some(it.next().ok_or("--proba needs a value")?),
            _ if positional == 0 => {
                path = Some(a);
                positional += 1;
            }
            _ => runs = a.parse()?,
        }
    }
    let path = path.unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/bbc.jsonl").to_string()
    });
    let runs = runs.max(1);
    let raw = match std::fs::read_to_string(&path) {
        Ok(r) => r,
        Err(e) => {
            println!("SKIPPED: cannot read {path}: {e}");
            return Ok(());
        }
    };
    let (mut texts, mut labels) = (Vec::new(), Vec::new());
    for line in raw.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line)?;
        texts.push(v["text"].as_str().ok_or("no text field")?.to_string());
        labels.push(v["label"].as_str().ok_or("no label field")?.to_string());
    }
    drop(raw);
    let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    println!(
        "corpus {path}: {} texts, {mb:.2} MB, median of {runs} runs",
        texts.len()
    );

    let hv = HashingVectorizer::params()
        .n_features(1 << 18)
        .alternate_sign(false)
        .build()?;
    let params = SgdClassifier::params()
        .loss(SgdLoss::LogLoss)
        .alpha(1e-4)
        .max_iter(5)
        .tol(None)
        .shuffle(false);

    let mut first_model: Option<SgdClassifier<String>> = None;
    let mut x_checked = false;
    for &n in &threads {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(n).build()?;
        pool.install(|| -> Result<()> {
            let th = rayon::current_num_threads();
            let mut times = Vec::with_capacity(runs);
            let mut x = None;
            let cpu0 = measure::cpu_seconds();
            for _ in 0..runs {
                let t = Instant::now();
                let m = hv.transform(&texts)?;
                times.push(t.elapsed().as_secs_f64());
                x = Some(m);
            }
            let cpu = measure::cpu_seconds().zip(cpu0).map(|(b, a)| (b - a) / runs as f64);
            let x = x.expect("runs >= 1");
            let t = measure::median(times);
            println!(
                "RESULT hashing threads={th} median_s={t:.6} mb_per_s={:.1} nnz={} cpu_s_per_run={:.4}",
                mb / t,
                x.nnz(),
                cpu.unwrap_or(f64::NAN)
            );
            if !x_checked {
                // Order-free checksums: the sum of the values, and of the
                // values weighted by (column mod 1009) + 1.
                let weighted: f64 = x
                    .indices()
                    .iter()
                    .zip(x.data())
                    .map(|(&j, &v)| v * ((j % 1009) + 1) as f64)
                    .sum();
                println!(
                    "CHECK hashing n_rows={} n_cols={} nnz={} sum={:.12e} weighted={:.12e}",
                    x.n_rows(),
                    x.n_cols(),
                    x.nnz(),
                    x.data().iter().sum::<f64>(),
                    weighted
                );
                x_checked = true;
            }

            let mut times = Vec::with_capacity(runs);
            let mut model = None;
            let cpu0 = measure::cpu_seconds();
            for _ in 0..runs {
                let t = Instant::now();
                let m = params.fit(&x, &labels)?;
                times.push(t.elapsed().as_secs_f64());
                model = Some(m);
            }
            let cpu = measure::cpu_seconds().zip(cpu0).map(|(b, a)| (b - a) / runs as f64);
            let model = model.expect("runs >= 1");
            let t = measure::median(times);
            println!(
                "RESULT sgd_fit threads={th} median_s={t:.6} n_iter={} classes={} t={} cpu_s_per_run={:.4}",
                model.n_iter(),
                model.classes().len(),
                model.t(),
                cpu.unwrap_or(f64::NAN)
            );
            if first_model.is_none() {
                first_model = Some(model);
            } else if let Some(first) = &first_model {
                let same = first.coef() == model.coef() && first.intercept() == model.intercept();
                println!("CHECK sgd threads={th} same_coef_as_first={same}");
            }
            Ok(())
        })?;
    }

    if let (Some(out), Some(model)) = (proba_out, &first_model) {
        let x = hv.transform(&texts)?;
        let p = model.predict_proba(&x)?;
        let rows: Vec<Vec<f64>> = (0..p.nrows())
            .step_by(10)
            .map(|i| p.row(i).to_vec())
            .collect();
        std::fs::write(
            out,
            serde_json::json!({"classes": model.classes(), "stride": 10, "proba": rows})
                .to_string(),
        )?;
    }
    Ok(())
}
