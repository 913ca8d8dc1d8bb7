//! What the side-by-side `compare_*` examples measure with: the median of
//! repeated wall times, and this process's CPU time (which other processes
//! competing for the cores disturb less than wall time).

/// The median of `v` (the upper one for an even count); `v` must not be empty.
#[allow(dead_code)] // not every compare example takes medians
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// CPU seconds (user + system, all threads) used by this process so far,
/// from /proc/self/stat (Linux; `None` elsewhere).
#[allow(dead_code)] // not every compare example reports CPU time
pub fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields overall, in clock ticks (100 per second on Linux).
    let rest = s.get(s.rfind(')')? + 2..)?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}
