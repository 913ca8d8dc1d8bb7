//! Pre-flight checks for memory whose size a caller's number decides (a
//! matrix's declared width, a model's feature count): the fit first asks
//! the allocator for its whole estimated working set, so "more than this
//! machine can give" is an [`Error`] naming the size instead of an abort
//! halfway through.
//!
//! The probe reserves address space and frees it at once; it touches no
//! page. It catches what the operating system refuses outright (on Linux
//! with the default heuristic overcommit, more than RAM + swap in one
//! request); it cannot promise that a size the system grants is then
//! backed by free memory.

use std::fmt::Display;

use crate::error::{Error, Result};

/// Under `cargo fuzz`, libFuzzer's `-malloc_limit_mb` counts even a probe
/// as running out of memory, so the probe itself refuses past 1 GiB there.
#[cfg(fuzzing)]
const FUZZING_LIMIT: u128 = 1 << 30;

/// Whether `bytes` can be allocated at all (see the module docs).
fn can_reserve(bytes: u128) -> bool {
    #[cfg(fuzzing)]
    if bytes > FUZZING_LIMIT {
        return false;
    }
    match usize::try_from(bytes) {
        Ok(n) if n <= isize::MAX as usize => Vec::<u8>::new().try_reserve_exact(n).is_ok(),
        _ => false,
    }
}

/// `Ok` when `bytes` (the estimated working set of `what`) can be reserved;
/// otherwise [`Error::InvalidParameter`] naming the parameter `name`, its
/// `value` and the size.
pub(crate) fn ensure(
    name: &'static str,
    value: impl Display,
    what: &str,
    bytes: u128,
) -> Result<()> {
    if can_reserve(bytes) {
        return Ok(());
    }
    Err(Error::invalid_param(
        name,
        value,
        format!(
            "{what} needs about {} of memory, more than can be allocated here",
            human(bytes)
        ),
    ))
}

/// `bytes` in B/KiB/MiB/GiB/TiB with one decimal.
fn human(bytes: u128) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    format!("{v:.1} {}", UNITS[u])
}

/// `a * b * c` bytes without overflow.
pub(crate) fn bytes(a: usize, b: usize, c: usize) -> u128 {
    a as u128 * b as u128 * c as u128
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_sizes_pass_and_impossible_ones_are_refused_by_name() {
        assert!(ensure("x", 3, "a fit", 1 << 20).is_ok());
        let e = ensure("x", "4294967000 columns", "a fit", 1 << 70).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("`x`") && msg.contains("4294967000 columns"),
            "{msg}"
        );
        assert!(msg.contains("1073741824.0 TiB"), "{msg}");
        assert_eq!(human(1536), "1.5 KiB");
    }
}
