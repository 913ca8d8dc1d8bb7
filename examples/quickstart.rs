//! The README's library example, kept compiling: train a TF-IDF + logistic
//! regression pipeline on raw text, read one document's class
//! probabilities, save the model for `serve --predict`.

use proba::prelude::*;
use proba::{linear::LogisticRegression, pipeline::Pipeline, text::TfidfVectorizer};

fn main() -> Result<()> {
    let texts = ["cat purrs", "cat naps", "dog barks", "dog fetches"];
    let labels = ["cat", "cat", "dog", "dog"].map(String::from);
    let model = Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params())
        .fit(&texts, &labels)?;
    for (class, p) in model.predict_one("my cat naps all day")? {
        println!("{class}: {p:.3}");
    }
    proba::io::save(&model, "model.json")?; // serve it: cargo run --release --example serve -- --predict model.json
    Ok(())
}
