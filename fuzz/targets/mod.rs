//! The fuzz targets' bodies, one function of `arbitrary::Unstructured` per
//! target, shared by both harnesses:
//! - `cargo fuzz run <target>` (coverage-guided libFuzzer; `fuzz/fuzz_targets/`),
//! - `cargo test --release --test api -- fuzz::` (a seeded mutation driver on
//!   stable, `tests/support/fuzz.rs`), which also replays every committed input in
//!   `fuzz/corpus/<target>/`, so each crash found becomes a regression test.
//!
//! A target returns `Err` only when the input ran out (the harness moves
//! on); any violated invariant is a panic, which both harnesses report.
#![allow(dead_code)]

use std::cell::Cell;

pub mod core;
pub mod forest;
pub mod gen;
pub mod io;
pub mod io_models;
pub mod linear;
pub mod serve;
pub mod sgd;
pub mod sklearn;
pub mod text;

thread_local! {
    static DEEP: Cell<usize> = const { Cell::new(0) };
}

/// Targets call this when an input got past input validation to the
/// invariant checks, so a report shows how many executions went deep.
pub fn deep() {
    DEEP.with(|d| d.set(d.get() + 1));
}

/// How many executions on this thread reached the invariant checks.
pub fn deep_count() -> usize {
    DEEP.with(Cell::get)
}
