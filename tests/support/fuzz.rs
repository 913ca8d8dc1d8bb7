//! A small fuzz driver that runs on the stable toolchain.
//!
//! Each target is a function of `arbitrary::Unstructured` (most live in
//! `fuzz/targets/`, shared with `cargo fuzz`). The driver feeds it
//! (1) every committed input in `fuzz/corpus/<target>/`, then (2)
//! `PROBA_FUZZ_ITERS` inputs (default: a few hundred, a CI smoke) made by
//! mutating those seeds and by fresh random bytes from a seeded generator, so
//! a run is reproducible from `PROBA_FUZZ_SEED`. A panic is caught, the input
//! is written to `target/fuzz-crashes/<target>-<n>.bin`, and the test fails;
//! committing that file to the corpus turns it into a regression test.
//! An input slower than `PROBA_FUZZ_SLOW_MS` (default 2000) is kept in
//! `target/fuzz-slow/`; with `PROBA_FUZZ_TRACE=1` every input is written to
//! `target/fuzz-current/<target>.bin` before it runs, to catch hangs.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use arbitrary::Unstructured;

use super::Rng;

thread_local! {
    static DEEP: Cell<usize> = const { Cell::new(0) };
}

/// Targets call this when an input got past input validation to the
/// invariant checks, so the report shows how many executions went deep.
pub fn deep() {
    DEEP.with(|d| d.set(d.get() + 1));
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Seeds committed for `target`.
fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .filter_map(|p| std::fs::read(p).ok())
        .collect()
}

/// One mutation of `seed`: flip, insert, delete, splice random bytes.
fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for _ in 0..1 + rng.below(8) {
        let pos = rng.below(out.len() + 1);
        match rng.below(5) {
            0 if !out.is_empty() => {
                let i = pos.min(out.len() - 1);
                out[i] ^= 1 << rng.below(8);
            }
            1 => {
                let len = 1 + rng.below(16);
                let extra = rng.bytes(len);
                out.splice(pos..pos, extra);
            }
            2 if !out.is_empty() => {
                let span = 1 + rng.below(16);
                let end = (pos + span).min(out.len());
                out.drain(pos.min(end)..end);
            }
            3 if !out.is_empty() => {
                let i = pos.min(out.len() - 1);
                let k = rng.below(9);
                out[i] = [0, 0xff, b'"', b'-', b'0', b'e', b'9', b'{', b'['][k];
            }
            _ => out.truncate(pos),
        }
    }
    out
}

/// Runs `target` over its corpus and `PROBA_FUZZ_ITERS` generated inputs
/// (default `default_iters`); panics (failing the test) if any input panics.
/// Prints the number of executions.
pub fn fuzz(
    name: &str,
    default_iters: usize,
    target: impl Fn(&mut Unstructured) -> arbitrary::Result<()>,
) {
    fuzz_counting(name, default_iters, target, || DEEP.with(Cell::get));
}

/// [`fuzz`] for targets that count their deep executions elsewhere
/// (`deep_count`, e.g. `fuzz/targets`' own counter).
pub fn fuzz_counting(
    name: &str,
    default_iters: usize,
    target: impl Fn(&mut Unstructured) -> arbitrary::Result<()>,
    deep_count: impl Fn() -> usize,
) {
    let iters = env_usize("PROBA_FUZZ_ITERS", default_iters);
    let budget = Duration::from_secs(env_usize("PROBA_FUZZ_SECONDS", 600) as u64);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ env_usize("PROBA_FUZZ_SEED", 1) as u64);
    let seeds = corpus(name);
    let start = Instant::now();
    let deep_before = deep_count();
    let slow = Duration::from_millis(env_usize("PROBA_FUZZ_SLOW_MS", 2000) as u64);
    let mut slowest = Duration::ZERO;
    // With PROBA_FUZZ_TRACE set, each input is written out before it runs,
    // so a hang leaves its input in target/fuzz-current/<target>.bin.
    let trace = std::env::var_os("PROBA_FUZZ_TRACE").map(|_| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-current");
        let _ = std::fs::create_dir_all(&dir);
        dir.join(format!("{name}.bin"))
    });
    let mut run = |input: &[u8], n: usize| {
        if let Some(path) = &trace {
            let _ = std::fs::write(path, input);
        }
        let t0 = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| {
            let mut u = Unstructured::new(input);
            let _ = target(&mut u);
        }));
        let took = t0.elapsed();
        slowest = slowest.max(took);
        if took > slow {
            // A possible hang: keep the input for inspection (not a failure,
            // since tests never assert on wall-clock time).
            let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-slow");
            let _ = std::fs::create_dir_all(&dir);
            let path = dir.join(format!("{name}-{n}.bin"));
            let _ = std::fs::write(&path, input);
            eprintln!(
                "fuzz {name}: input #{n} took {took:.1?}, saved to {}",
                path.display()
            );
        }
        if result.is_err() {
            let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-crashes");
            let _ = std::fs::create_dir_all(&dir);
            let path = dir.join(format!("{name}-{n}.bin"));
            let _ = std::fs::write(&path, input);
            panic!(
                "fuzz target {name} panicked on input #{n}, saved to {}",
                path.display()
            );
        }
    };
    for (n, seed) in seeds.iter().enumerate() {
        run(seed, n);
    }
    let mut executed = seeds.len();
    for n in 0..iters {
        if start.elapsed() > budget {
            break;
        }
        let input = if !seeds.is_empty() && rng.below(2) == 0 {
            let s = &seeds[rng.below(seeds.len())];
            mutate(&mut rng, s)
        } else {
            let len = rng.below(1024);
            rng.bytes(len)
        };
        run(&input, seeds.len() + n);
        executed += 1;
    }
    let deep = deep_count() - deep_before;
    println!(
        "fuzz {name}: {executed} executions ({deep} reached the invariant checks), \
         0 crashes, {:.1?} (slowest input {slowest:.1?})",
        start.elapsed()
    );
}
