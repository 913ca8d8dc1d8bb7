//! The one support module of the test crates: every `tests/<subject>/main.rs`
//! includes it with `#[path = "../support/mod.rs"] mod support;`, so each
//! helper has one copy.
//!
//! - [`data`]: the shared datasets and the committed fixtures (re-exported
//!   here, so `support::fixture`, `support::corpus`, ...); the benches and
//!   `examples/compare_forest.rs` include that file alone;
//! - [`text`]: scikit-learn vectorizer parameters and their parity checks;
//! - [`fuzz`]: the stable-toolchain fuzz driver;
//! - [`http`]: a router on a loopback port and a minimal HTTP/1.1 client;
//! - here: property-test settings, thread pools, deterministic number
//!   sources and float comparisons.
#![allow(dead_code)] // each test crate uses some of these

pub mod data;
pub mod fuzz;
pub mod http;
pub mod text;

#[allow(unused_imports)] // the server tests read no data
pub use data::*;

use ndarray::Array2;
use proba::CsrMatrix;

/// proptest settings for the property tests: `cases` cases drawn from a
/// fixed seed, so every CI run checks the same cases (a red run is then a
/// real regression, never a new random draw). Set `PROPTEST_RNG_SEED` to
/// explore other cases.
///
/// Failures are persisted beside the test's source file
/// (`tests/linear/prop.rs` -> `tests/linear/prop.proptest-regressions`),
/// not with proptest's default `SourceParallel`, which stops at the
/// crate's `main.rs` and would give every crate's `prop.rs` the same file,
/// `tests/proptest-regressions/prop.txt`.
pub fn prop_config(cases: u32) -> proptest::test_runner::Config {
    let mut config = proptest::test_runner::Config::with_cases(cases);
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = proptest::test_runner::RngSeed::Fixed(20_261_125);
    }
    config.failure_persistence = Some(Box::new(
        proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
    ));
    config
}

/// Runs `f` in a fresh rayon pool of `threads` threads: the tests compare
/// results across thread counts with it. (A local pool: tests of one crate
/// share a process, so none may build the global one.)
pub fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a rayon pool")
        .install(f)
}

/// The bits of every entry, row by row: equal iff bit-identical.
pub fn bits(a: &Array2<f64>) -> Vec<u64> {
    a.iter().map(|v| v.to_bits()).collect()
}

/// A CSR matrix's structure and the bits of its values: equal iff bit-identical.
pub fn csr_bits(m: &CsrMatrix) -> (Vec<usize>, Vec<usize>, Vec<u64>) {
    (
        m.indptr().to_vec(),
        m.indices().to_vec(),
        m.data().iter().map(|v| v.to_bits()).collect(),
    )
}

/// The largest `|a_i - b_i|` over the pairs (0 for none).
pub fn max_abs_diff(a: impl IntoIterator<Item = f64>, b: impl IntoIterator<Item = f64>) -> f64 {
    a.into_iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// xorshift64 (13, 7, 17) from `seed` (non-zero): the deterministic number
/// source of the tests' synthetic data sets (no RNG dependency). Each call
/// returns the next state.
pub fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut s = seed;
    move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    }
}

/// A uniform `f64` in [0, 1) from the top 53 bits of `bits`.
pub fn unit_f64(bits: u64) -> f64 {
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// A seeded Fisher-Yates permutation of `0..n` (driven by [`xorshift`] from
/// `seed | 1`).
pub fn permutation(n: usize, seed: u64) -> Vec<usize> {
    let mut next = xorshift(seed | 1);
    let mut perm: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        perm.swap(i, (next() % (i as u64 + 1)) as usize);
    }
    perm
}

/// xorshift64*: a fast, seedable byte source for fuzz-style inputs
/// (quality is irrelevant).
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A value in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}

/// Four rows, a handful of nonzeros (columns 0, 7, 3 and `w - 1`), and a
/// declared width of `w` columns.
pub fn wide(w: usize) -> CsrMatrix {
    CsrMatrix::new(
        4,
        w,
        vec![0, 1, 2, 3, 4],
        vec![0, 7, 3, w - 1],
        vec![1.0, 2.0, 1.0, 3.0],
    )
    .expect("a valid CSR matrix")
}

/// `e` refuses a fit on 4294967000 declared columns as too large, naming
/// the width and the memory it would take.
pub fn assert_refused_as_too_wide(e: proba::Error) {
    let msg = e.to_string();
    assert!(
        matches!(e, proba::Error::InvalidParameter { name: "x", .. }),
        "{msg}"
    );
    assert!(
        msg.contains("4294967000 columns") && msg.contains("GiB"),
        "{msg}"
    );
}
