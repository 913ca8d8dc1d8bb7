use proba::ensemble::RandomForestClassifier;
use proba::prelude::*;
fn main() -> Result<()> {
    let name = std::env::args().nth(1).unwrap();
    let threads: usize = std::env::args()
        .nth(2)
        .map(|s| s.parse().unwrap())
        .unwrap_or(2);
    let ntrees: usize = std::env::args()
        .nth(3)
        .map(|s| s.parse().unwrap())
        .unwrap_or(100);
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("/tmp/fx/{name}_tfidf.json")).unwrap(),
    )
    .unwrap();
    let shape: Vec<usize> = serde_json::from_value(v["shape"].clone()).unwrap();
    let indptr: Vec<usize> = serde_json::from_value(v["indptr"].clone()).unwrap();
    let indices: Vec<usize> = serde_json::from_value(v["indices"].clone()).unwrap();
    let data: Vec<f64> = serde_json::from_value(v["data"].clone()).unwrap();
    let labels: Vec<String> = serde_json::from_value(v["labels"].clone()).unwrap();
    let x = CsrMatrix::new(shape[0], shape[1], indptr, indices, data)?;
    let tr: Vec<usize> = (0..shape[0]).filter(|i| i % 5 != 0).collect();
    let te: Vec<usize> = (0..shape[0]).filter(|i| i % 5 == 0).collect();
    let xtr = x.select_rows(&tr)?;
    let xte = x.select_rows(&te)?;
    let ytr: Vec<String> = tr.iter().map(|&i| labels[i].clone()).collect();
    let yte: Vec<String> = te.iter().map(|&i| labels[i].clone()).collect();
    for seed in 0..1u64 {
        let t0 = std::time::Instant::now();
        let rf = RandomForestClassifier::params()
            .n_estimators(ntrees)
            .seed(seed)
            .n_jobs(threads)
            .fit(&xtr, &ytr)?;
        let fit = t0.elapsed();
        let p = rf.predict_proba(&xte)?;
        let pred = rf.predict(&xte)?;
        let acc = pred.iter().zip(&yte).filter(|(a, b)| a == b).count() as f64 / yte.len() as f64;
        let mut ll = 0.0;
        for (i, y) in yte.iter().enumerate() {
            let k = rf.classes().binary_search(y).unwrap();
            ll -= p[[i, k]].clamp(f64::EPSILON, 1.0 - f64::EPSILON).ln();
        }
        println!(
            "{name} seed {seed} fit {:.3}s acc {acc:.4} logloss {:.4} nodes {} depth {}",
            fit.as_secs_f64(),
            ll / yte.len() as f64,
            rf.node_count(),
            rf.max_depth()
        );
        let s = proba::io::to_string(&rf)?;
        println!("json size {}", s.len());
    }
    Ok(())
}
