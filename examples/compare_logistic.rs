//! The proba side of `scripts/compare_logistic.py`: fits `LogisticRegression`
//! on TF-IDF matrices that the script exported (the exact matrices
//! scikit-learn was given), and prints the fit time, the objective and the
//! iteration count as one JSON line per corpus.
//!
//! ```text
//! cargo run --release --example compare_logistic -- DUMP_DIR [--c 1] [--tol 1e-4]
//!     [--max-iter 100] [--ftol 1.4e-14] [--solver lbfgs|newton-cg]
//!     [--proba OUT.json] [corpus ...]
//! ```
//!
//! `DUMP_DIR/<corpus>/{train,test}/` hold `indptr.bin`, `indices.bin` (u64,
//! little endian), `data.bin` (f64) and `meta.json` (`n_rows`, `n_cols`,
//! `labels`), as written by `scripts/make_fixtures_linear.py --dump` or
//! `scripts/compare_logistic.py`. The thread count is rayon's
//! (`RAYON_NUM_THREADS`).

use std::path::Path;
use std::time::Instant;

use proba::linear::{LogisticRegression, Solver};
use proba::prelude::*;

fn read_u64(path: &Path) -> std::io::Result<Vec<usize>> {
    let bytes = std::fs::read(path)?;
    Ok(bytes
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])) as usize)
        .collect())
}

fn read_f64(path: &Path) -> std::io::Result<Vec<f64>> {
    let bytes = std::fs::read(path)?;
    Ok(bytes
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
        .collect())
}

/// Reads one exported CSR matrix and its labels.
fn load(dir: &Path) -> Result<(CsrMatrix, Vec<String>), Box<dyn std::error::Error>> {
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("meta.json"))?)?;
    let n_rows = meta["n_rows"].as_u64().ok_or("n_rows")? as usize;
    let n_cols = meta["n_cols"].as_u64().ok_or("n_cols")? as usize;
    let labels: Vec<String> = serde_json::from_value(meta["labels"].clone())?;
    let x = CsrMatrix::new(
        n_rows,
        n_cols,
        read_u64(&dir.join("indptr.bin"))?,
        read_u64(&dir.join("indices.bin"))?,
        read_f64(&dir.join("data.bin"))?,
    )?;
    Ok((x, labels))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dump) = args.first() else {
        eprintln!("usage: compare_logistic DUMP_DIR [--c C] [--tol T] [--max-iter N] [--ftol F] [--solver lbfgs|newton-cg] [--proba OUT] [corpus ...]");
        return Ok(());
    };
    let (mut c, mut tol, mut max_iter, mut ftol) = (1.0, 1e-4, 100usize, 64.0 * f64::EPSILON);
    let mut proba_out: Option<String> = None;
    let mut solver = Solver::Lbfgs;
    let mut corpora = Vec::new();
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        let mut val = || it.next().cloned().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--c" => c = val()?.parse()?,
            "--tol" => tol = val()?.parse()?,
            "--max-iter" => max_iter = val()?.parse()?,
            "--ftol" => ftol = val()?.parse()?,
            "--proba" => proba_out = Some(val()?),
            "--solver" => {
                solver = match val()?.as_str() {
                    "lbfgs" => Solver::Lbfgs,
                    "newton-cg" => Solver::NewtonCg,
                    other => return Err(format!("unknown solver {other:?}").into()),
                }
            }
            other => corpora.push(other.to_string()),
        }
    }
    if corpora.is_empty() {
        corpora = vec!["bbc".into(), "fortunes".into()];
    }
    let threads = rayon::current_num_threads();
    let mut all_proba = serde_json::Map::new();
    for name in &corpora {
        let base = Path::new(dump).join(name);
        if !base.join("train/meta.json").is_file() {
            eprintln!("SKIPPED: {} not found", base.display());
            continue;
        }
        let (xtr, ytr) = load(&base.join("train"))?;
        let (xte, yte) = load(&base.join("test"))?;
        let params = LogisticRegression::params()
            .c(c)
            .tol(tol)
            .max_iter(max_iter)
            .ftol(ftol)
            .solver(solver);
        let t0 = Instant::now();
        let model = params.fit(&xtr, &ytr)?;
        let fit_s = t0.elapsed().as_secs_f64();
        let proba = model.predict_proba(&xte)?;
        let pred = model.predict(&xte)?;
        let acc = pred.iter().zip(&yte).filter(|(a, b)| a == b).count() as f64 / yte.len() as f64;
        // One document: predict_proba on a single CSR row, median of many runs.
        let one = xte.select_rows(&[0])?;
        let mut times = Vec::new();
        for _ in 0..2001 {
            let t = Instant::now();
            let p = model.predict_proba(&one)?;
            times.push(t.elapsed().as_secs_f64());
            std::hint::black_box(p);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{}",
            serde_json::json!({
                "corpus": name,
                "threads": threads,
                "fit_seconds": fit_s,
                "objective": model.objective(),
                "n_iter": model.n_iter(),
                "converged": model.converged(),
                "stop": format!("{:?}", model.stop_reason()),
                "test_accuracy": acc,
                "predict_one_us": times[times.len() / 2] * 1e6,
                "n_features": xtr.n_cols(),
            })
        );
        let rows: Vec<Vec<f64>> = (0..proba.nrows())
            .step_by(10)
            .map(|i| proba.row(i).to_vec())
            .collect();
        all_proba.insert(name.clone(), serde_json::json!(rows));
    }
    if let Some(out) = proba_out {
        std::fs::write(out, serde_json::Value::Object(all_proba).to_string())?;
    }
    Ok(())
}
