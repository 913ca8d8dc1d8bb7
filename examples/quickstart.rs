//! The smallest tour of proba: vectorize a few sentences with TF-IDF and
//! look at the sparse matrix. (Grows with the crate: fit, predict.)

use proba::prelude::*;
use proba::text::TfidfVectorizer;

fn main() -> Result<()> {
    let train = [
        "The cat sat on the mat.",
        "A dog chased the cat.",
        "Stock markets fell sharply today.",
    ];
    let (tfidf, x) = TfidfVectorizer::params().fit_transform(&train)?;
    println!(
        "{} documents x {} terms, {} stored values",
        x.n_rows(),
        x.n_cols(),
        x.nnz()
    );
    println!("vocabulary: {:?}", tfidf.feature_names());
    let y = tfidf.transform_one("the dog sat on the cat");
    for (col, value) in y.row(0).into_iter().flat_map(|r| r.iter()) {
        println!("  {:>8} {value:.4}", tfidf.feature_names()[col]);
    }
    Ok(())
}
