#[path = "../tests/common/mod.rs"]
mod common;
use proba::ensemble::RandomForestClassifier;
use proba::tree::DecisionTreeClassifier;
use proba::prelude::*;
fn main() -> Result<()> {
    let (x, y) = common::digits().unwrap();
    let tr: Vec<usize> = (0..y.len()).filter(|i| i % 5 != 0).collect();
    let te: Vec<usize> = (0..y.len()).filter(|i| i % 5 == 0).collect();
    let xtr = x.select(ndarray::Axis(0), &tr);
    let xte = x.select(ndarray::Axis(0), &te);
    let ytr: Vec<i64> = tr.iter().map(|&i| y[i]).collect();
    let t0 = std::time::Instant::now();
    let rf = RandomForestClassifier::params().seed(0).oob_score(true).fit(&xtr, &ytr)?;
    eprintln!("fit {:?} nodes {} depth {} oob {:?}", t0.elapsed(), rf.node_count(), rf.max_depth(), rf.oob_score());
    let p = rf.predict_proba(&xte)?;
    let dt = DecisionTreeClassifier::params().seed(0).fit(&xtr, &ytr)?;
    let pd = dt.predict_proba(&xte)?;
    eprintln!("dt nodes {}", dt.node_count());
    let s = serde_json::json!({"rf": p.iter().copied().collect::<Vec<f64>>(), "dt": pd.iter().copied().collect::<Vec<f64>>(), "imp": rf.feature_importances(), "oob": rf.oob_decision_function().unwrap().iter().copied().collect::<Vec<f64>>()});
    println!("{}", s);
    Ok(())
}
