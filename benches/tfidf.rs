//! TF-IDF `fit_transform` and `transform`, with default options and with
//! the n-gram setting (`ngram_range(1, 2)`, `min_df(2)`, `max_df(0.9)`,
//! `sublinear_tf`), on the BBC corpus (../shared/data/bbc.jsonl or
//! $PROBA_DATA_DIR) and on the multilingual fortunes corpus that
//! `scripts/make_multilingual_corpus.py` writes (target/corpora/ or
//! $PROBA_MULTILINGUAL). A corpus that is absent is skipped with a message.
//! Throughput is reported in bytes of text.

#[path = "../tests/support/data.rs"]
mod data;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use proba::text::{TfidfVectorizer, TfidfVectorizerParams};

fn ngrams() -> TfidfVectorizerParams {
    TfidfVectorizer::params()
        .ngram_range(1, 2)
        .min_df(2)
        .max_df(0.9)
        .sublinear_tf(true)
}

fn tfidf(c: &mut Criterion) {
    let corpora = [
        ("bbc", data::corpus("bbc.jsonl")),
        ("multilingual", data::multilingual()),
    ];
    for (name, corpus) in corpora {
        let Some(corpus) = corpus else { continue };
        let texts = corpus.texts;
        let bytes: usize = texts.iter().map(String::len).sum();
        let mut g = c.benchmark_group(format!("tfidf_{name}"));
        g.throughput(Throughput::Bytes(bytes as u64));
        g.sample_size(20);
        g.bench_function("fit_transform_default", |b| {
            b.iter(|| TfidfVectorizer::params().fit_transform(&texts).unwrap())
        });
        g.bench_function("fit_transform_ngrams", |b| {
            b.iter(|| ngrams().fit_transform(&texts).unwrap())
        });
        let v = TfidfVectorizer::params().fit(&texts).unwrap();
        g.bench_function("transform_default", |b| {
            b.iter(|| v.transform(&texts).unwrap())
        });
        g.bench_function("transform_one_per_doc", |b| {
            b.iter(|| {
                texts
                    .iter()
                    .map(|t| v.transform_one(t).nnz())
                    .sum::<usize>()
            })
        });
        g.finish();
    }
}

criterion_group!(benches, tfidf);
criterion_main!(benches);
