//! proba's side of the TF-IDF speed comparison (scripts/compare_tfidf.py runs
//! this and scikit-learn on the same corpus and prints the ratios).
//!
//! cargo run --release --example compare_tfidf -- [CORPUS.jsonl] [RUNS] [default|ngrams]
//!
//! Prints one `RESULT` line per measurement: the median wall time over RUNS
//! runs of `TfidfVectorizer` fit_transform on every text of the corpus, and
//! of transform with the fitted vectorizer; with the default options, or
//! with `ngrams`: `ngram_range(1, 2)`, `min_df(2)`, `max_df(0.9)`,
//! `sublinear_tf(true)`. With RUNS = 1 it
//! does a single fit_transform, for peak-memory measurement with
//! `/usr/bin/time -v`.

#[path = "support/measure.rs"]
mod measure;

use std::time::Instant;

use proba::text::TfidfVectorizer;

/// A `kB` field of /proc/self/status (Linux only).
fn proc_status_kb(field: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/bbc.jsonl").to_string()
    });
    let runs: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(7);
    let setting = args.next().unwrap_or_else(|| "default".into());
    let params = match setting.as_str() {
        "default" => TfidfVectorizer::params(),
        "ngrams" => TfidfVectorizer::params()
            .ngram_range(1, 2)
            .min_df(2)
            .max_df(0.9)
            .sublinear_tf(true),
        other => return Err(format!("unknown setting {other:?} (default or ngrams)").into()),
    };
    let raw = match std::fs::read_to_string(&path) {
        Ok(r) => r,
        Err(e) => {
            println!("SKIPPED: cannot read {path}: {e}");
            return Ok(());
        }
    };
    let mut texts = Vec::new();
    for line in raw.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line)?;
        texts.push(v["text"].as_str().ok_or("no text field")?.to_string());
    }
    drop(raw);
    let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    let threads = rayon::current_num_threads();
    println!(
        "corpus {path}: {} texts, {mb:.2} MB, {threads} threads, {setting} options",
        texts.len()
    );

    if runs <= 1 {
        // Reset the peak-RSS counter (Linux), so the peak below is that of
        // fit_transform alone, beyond the already loaded texts.
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let before = proc_status_kb("VmRSS");
        let (v, x) = params.fit_transform(&texts)?;
        let peak = proc_status_kb("VmHWM");
        let csr_mb = (x.nnz() * 16 + (x.n_rows() + 1) * 8) as f64 / 1e6;
        // The vocabulary as stored: one `String` (24-byte header) per term plus
        // its heap block (glibc: 8 bytes of overhead, 16-byte granules, 32 minimum).
        let vocab_mb = v
            .feature_names()
            .iter()
            .map(|t| 24 + ((t.len() + 8 + 15) & !15).max(32))
            .sum::<usize>() as f64
            / 1e6;
        let vocab_utf8_mb = v.feature_names().iter().map(String::len).sum::<usize>() as f64 / 1e6;
        println!(
            "RESULT once n_features={} nnz={} csr_mb={csr_mb:.2} vocab_mb={vocab_mb:.2} \
             vocab_utf8_mb={vocab_utf8_mb:.2} text_mb={mb:.2}",
            v.n_features(),
            x.nnz()
        );
        if let (Some(b), Some(p)) = (before, peak) {
            let extra = (p.saturating_sub(b)) as f64 / 1e3;
            println!(
                "RESULT memory rss_before_mb={:.2} peak_mb={:.2} peak_beyond_texts_mb={extra:.2} ratio_to_csr_plus_vocab={:.2}",
                b as f64 / 1e3,
                p as f64 / 1e3,
                extra / (csr_mb + vocab_mb)
            );
        }
        return Ok(());
    }
    let mut fit_times = Vec::new();
    let mut last = None;
    let cpu0 = measure::cpu_seconds();
    for _ in 0..runs {
        let t = Instant::now();
        let out = params.fit_transform(&texts)?;
        fit_times.push(t.elapsed().as_secs_f64());
        last = Some(out);
    }
    let fit_cpu = measure::cpu_seconds()
        .zip(cpu0)
        .map(|(b, a)| (b - a) / runs as f64);
    let (v, x) = last.ok_or("no run")?;
    let mut tr_times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let y = v.transform(&texts)?;
        tr_times.push(t.elapsed().as_secs_f64());
        assert_eq!(y.nnz(), x.nnz());
    }
    let (f, t) = (measure::median(fit_times), measure::median(tr_times));
    println!(
        "RESULT fit_transform threads={threads} median_s={f:.6} mb_per_s={:.1} n_features={} nnz={} \
         cpu_s_per_run={:.4}",
        mb / f,
        v.n_features(),
        x.nnz(),
        fit_cpu.unwrap_or(f64::NAN)
    );
    println!(
        "RESULT transform threads={threads} median_s={t:.6} mb_per_s={:.1}",
        mb / t
    );
    Ok(())
}
