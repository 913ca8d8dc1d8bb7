//! A cache prefetch hint, the one `unsafe` call behind every look-ahead
//! loop (sparse passes of the linear models, vocabulary lookups): tables
//! larger than the cache are read at random, and asking for a line a few
//! items ahead overlaps the misses instead of waiting for each in turn.

/// Asks the CPU to start loading the cache line of `item` (a hint only: no
/// effect on results, and nothing on other architectures).
#[inline(always)]
pub(crate) fn prefetch<T>(item: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch only hints the cache; it never faults and reads
    // nothing into the program. SSE is part of x86-64.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
            (item as *const T).cast(),
        )
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = item;
}
