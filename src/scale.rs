//! # Scale: in memory, streaming, and beyond one machine
//!
//! A design note (no code): which way of training fits which corpus, with
//! the numbers that decide it. Figures are from this crate's scripts on a
//! 2-core, 24 GB machine.
//!
//! ## In memory: `fit` on the whole matrix
//!
//! [`TfidfVectorizer`](crate::text::TfidfVectorizer) +
//! [`LogisticRegression`](crate::linear::LogisticRegression) (or a forest)
//! hold the corpus, its vocabulary and its CSR matrix at once. The matrix
//! costs 16 bytes per stored entry (a `usize` column and an `f64` value)
//! plus 8 per row; the texts cost their size; the vocabulary its terms'
//! bytes plus a hash-map entry per distinct term. Ten million documents of
//! 200 distinct terms each are 2·10⁹ entries, 32 GB for the matrix alone:
//! past this machine. While the matrix fits, in-memory fitting is the exact
//! path (L-BFGS or Newton-CG reach the optimum; SGD only approaches it).
//!
//! ## Streaming: `HashingVectorizer` + `SgdClassifier::partial_fit`
//!
//! scikit-learn's out-of-core recipe, with the same numbers: the text is
//! read in chunks, hashed into a fixed number of columns
//! ([`HashingVectorizer`](crate::text::HashingVectorizer): no vocabulary,
//! so nothing grows with the corpus), optionally weighted by an idf whose
//! document frequencies add up chunk by chunk
//! ([`DocFreqs`](crate::text::DocFreqs),
//! [`TfidfTransformer`](crate::text::TfidfTransformer)), and fed to
//! [`SgdClassifier::partial_fit`](crate::linear::SgdClassifier::partial_fit)
//! one pass at a time. Memory is one chunk plus one model: the model is
//! `classes × n_features × 8` bytes (48 classes × 2^18 columns = 100 MB;
//! × 2^20 = 400 MB), so `n_features` is the knob. Time is linear in the
//! bytes read per pass: `cargo run --release --example train -- --stream`
//! trains on a 5 GB JSONL file (10.2 million lines, 48 classes, 2^18
//! features, one epoch after the class pass) in bounded memory; see the
//! README for its throughput and peak RSS next to scikit-learn's recipe
//! on the same file (`scripts/compare_stream.py`).
//!
//! What decides between the two: if the matrix (16 bytes × stored entries)
//! fits in about half the RAM, fit in memory; otherwise stream. Streaming
//! runs at 40-70 MB/s per pass here (43 MB/s on 1 GB with 48 classes ×
//! 2^20 features, 70 MB/s on 5 GB with 2^18; scikit-learn's recipe 15 MB/s),
//! that is 15-25 s per GB and epoch, so one machine streams corpora up to
//! the low hundreds of GB in hours.
//!
//! ## Beyond one machine
//!
//! When a pass over the data takes longer than a run may take, the same
//! models are trained data-parallel on a cluster: Apache Spark MLlib's
//! `HashingTF` + `IDF` + `LogisticRegression` (distributed L-BFGS/OWL-QN;
//! an exact optimum, like proba's in-memory fit), or Vowpal Wabbit (the
//! hashing trick with online SGD and AllReduce across nodes, the streaming
//! model at cluster scale). The interchange is the hashed feature space
//! and the coefficient matrix: a model is `classes`, `coef` and
//! `intercept` over `n_features` hashed columns. To serve a model trained
//! elsewhere with proba, hash the same way (scikit-learn's
//! `HashingVectorizer`: MurmurHash3 x86 32-bit, seed 0, its tokenizer;
//! Spark's `HashingTF` uses seed 42 and its own tokenizer, so its columns
//! differ) and write the coefficients into an
//! [`SgdClassifier`](crate::linear::SgdClassifier) or
//! [`LogisticRegression`](crate::linear::LogisticRegression) file, or load a
//! scikit-learn pickle with the `sklearn` feature. Data shards move as
//! JSONL or Parquet; the model moves as that small matrix.
