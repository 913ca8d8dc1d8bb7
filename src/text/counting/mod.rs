//! The counting engine shared by both vectorizers: parallel term counting,
//! a merge of the per-thread vocabularies by sorting, and direct CSR
//! assembly with the final weights. One file per step, in pipeline order:
//! [`chunks`] -> [`worker`] (into [`doc_counts`]) -> [`merge`] -> [`prune`]
//! -> [`radix`] -> [`assemble`](mod@assemble); [`learn`](mod@learn) runs the steps for `fit`, and
//! [`fixed_vocab`] counts against a vocabulary already known.
//!
//! Documents are cut into chunks by size (never by thread count). Each
//! worker counts the chunks it takes into its own term map; the maps are
//! merged by sorting every term by its text, so columns (alphabetical),
//! frequencies (integer sums) and the matrix do not depend on which worker
//! counted what. The output is therefore the same on 1 thread or 64.
//!
//! ```
//! use proba::text::CountVectorizer;
//! let docs = ["bb aa bb", "cc bb", ""];
//! let (cv, x) = CountVectorizer::params().fit_transform(&docs)?;
//! assert_eq!(cv.feature_names(), ["aa", "bb", "cc"]);
//! assert_eq!(x.to_dense().row(0).to_vec(), vec![1.0, 2.0, 0.0]);
//! assert_eq!(x.row(2).unwrap().nnz(), 0);
//! # Ok::<(), proba::Error>(())
//! ```

mod assemble;
mod chunks;
mod doc_counts;
mod fixed_vocab;
mod learn;
mod merge;
mod prune;
mod radix;
mod worker;

pub(crate) use assemble::{assemble, doc_freqs};
pub(crate) use chunks::chunk_ranges;
pub(crate) use doc_counts::DocCounts;
pub(crate) use fixed_vocab::{count_fixed, count_one};
pub(crate) use learn::{learn, Learned};
pub(crate) use prune::Pruning;
