//! The README's library example, kept compiling: train a TF-IDF + logistic
//! regression pipeline on raw text, read one document's class
//! probabilities, save the model for `serve --predict`.

use proba::prelude::*;
use proba::{linear::LogisticRegression, pipeline::Pipeline, text::TfidfVectorizer};

fn main() -> Result<()> {
    let texts = [
        "the cat purrs",
        "a cat naps",
        "the dog barks",
        "a dog fetches",
    ];
    let labels = ["cat", "cat", "dog", "dog"].map(String::from);
    let model = Pipeline::params(TfidfVectorizer::params(), LogisticRegression::params())
        .fit(&texts, &labels)?;
    for (class, p) in model.predict_one("my cat naps all day")? {
        println!("{class}: {p:.3}");
    }
    let path = std::env::temp_dir().join("quickstart-model.json");
    proba::io::save(&model, &path)?; // then: cargo run --release --example serve -- --predict <path>
    println!("saved to {}", path.display());
    Ok(())
}
