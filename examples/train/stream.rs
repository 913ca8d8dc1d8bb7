//! `train --stream`: scikit-learn's out-of-core recipe on a JSONL file of
//! any size, in bounded memory. The file is read in chunks of
//! `--chunk-rows` lines (never whole); each chunk is hashed
//! (`HashingVectorizer`, no vocabulary to hold), optionally weighted by an
//! idf learnt in a first pass (`DocFreqs` add up chunk by chunk), and fed to
//! `SgdClassifier::partial_fit`, epoch after epoch. The CRC-32 of each
//! line puts it in the training or the held-out slice, so the slice is the
//! same on every pass without remembering it; held-out metrics are
//! accumulated chunk by chunk in a last pass.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use proba::linear::{SgdClassifier, SgdLoss};
use proba::text::{DocFreqs, HashingVectorizer, TfidfTransformer};
use proba::CsrMatrix;

use super::{Args, TestSizeArg};

/// One chunk of the file: texts and labels of its training or held-out rows.
struct Chunk {
    train: (Vec<String>, Vec<String>),
    test: (Vec<String>, Vec<String>),
}

/// Reads `path` a chunk at a time, splitting rows by a hash of their line.
struct ChunkReader<'a> {
    lines: std::io::Lines<BufReader<File>>,
    a: &'a Args,
    line_no: usize,
    test_per_mille: u64,
    bar: &'a ProgressBar,
}

impl<'a> ChunkReader<'a> {
    fn open(a: &'a Args, bar: &'a ProgressBar) -> Result<Self, String> {
        let f = File::open(&a.data).map_err(|e| format!("{}: {e}", a.data.display()))?;
        let test_per_mille = match a.test_size {
            TestSizeArg::Fraction(f) if (0.0..1.0).contains(&f) => (f * 1000.0).round() as u64,
            _ => {
                return Err(
                    "--stream needs --test-size as a fraction in [0, 1) (the held-out share \
                     of rows, chosen by a hash of each line)"
                        .into(),
                )
            }
        };
        Ok(ChunkReader {
            lines: BufReader::with_capacity(1 << 20, f).lines(),
            a,
            line_no: 0,
            test_per_mille,
            bar,
        })
    }

    /// The next chunk, or `None` at the end of the file.
    fn next_chunk(&mut self) -> Result<Option<Chunk>, String> {
        let mut chunk = Chunk {
            train: (Vec::new(), Vec::new()),
            test: (Vec::new(), Vec::new()),
        };
        let mut n = 0;
        while n < self.a.chunk_rows {
            let Some(line) = self.lines.next() else {
                break;
            };
            self.line_no += 1;
            let line = line.map_err(|e| format!("{}: {e}", self.a.data.display()))?;
            self.bar.inc(line.len() as u64 + 1);
            if line.trim().is_empty() {
                continue;
            }
            let (text, label) = self.parse(&line)?;
            let part = if crc32(line.as_bytes()) % 1000 < self.test_per_mille {
                &mut chunk.test
            } else {
                &mut chunk.train
            };
            part.0.push(text);
            part.1.push(label);
            n += 1;
        }
        Ok((n > 0).then_some(chunk))
    }

    fn parse(&self, line: &str) -> Result<(String, String), String> {
        let at = || format!("{} line {}", self.a.data.display(), self.line_no);
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{}: not JSON: {e}", at()))?;
        let field = |k: &str| match v.get(k) {
            Some(serde_json::Value::String(s)) => Ok(s.clone()),
            Some(serde_json::Value::Number(n)) if k == self.a.label_key => Ok(n.to_string()),
            Some(serde_json::Value::Bool(b)) if k == self.a.label_key => Ok(b.to_string()),
            Some(_) => Err(format!("{}: field {k:?} is not a string", at())),
            None => Err(format!("{}: no field {k:?}", at())),
        };
        Ok((field(&self.a.text_key)?, field(&self.a.label_key)?))
    }
}

/// CRC-32 (IEEE, as zlib's `crc32`): a hash that is the same on every run
/// and platform, and that a Python script reproduces with `zlib.crc32`.
pub(crate) fn crc32(bytes: &[u8]) -> u64 {
    static TABLE: std::sync::OnceLock<[u32; 256]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = [0u32; 256];
        for (i, v) in t.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            *v = c;
        }
        t
    });
    let c = bytes.iter().fold(!0u32, |c, &b| {
        table[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8)
    });
    u64::from(!c)
}

fn byte_bar(a: &Args, what: &str) -> ProgressBar {
    let len = std::fs::metadata(&a.data).map(|m| m.len()).unwrap_or(0);
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{msg:>14} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar
}

/// Features of one chunk: hashed counts, TF-IDF weighted when an idf was learnt.
fn features(
    hv: &HashingVectorizer,
    tfidf: Option<&TfidfTransformer>,
    texts: &[String],
) -> Result<CsrMatrix, String> {
    let x = hv.transform(texts).map_err(|e| e.to_string())?;
    match tfidf {
        Some(t) => t.transform_owned(x).map_err(|e| e.to_string()),
        None => Ok(x),
    }
}

pub fn run_stream(a: &Args) -> Result<(), String> {
    if Path::new(&a.data)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        return Err("--stream reads JSONL (one JSON object per line), not CSV".into());
    }
    let loss = match a.loss.as_str() {
        "log_loss" => SgdLoss::LogLoss,
        "modified_huber" => SgdLoss::ModifiedHuber,
        "hinge" => SgdLoss::Hinge,
        other => {
            return Err(format!(
                "--loss {other:?}: expected log_loss, modified_huber or hinge"
            ))
        }
    };
    // With an idf the hashed rows are raw counts (normalised after
    // weighting); without, l2-normalised term counts.
    let hv = HashingVectorizer::params()
        .n_features(a.n_features)
        .alternate_sign(false)
        .ngram_range(a.ngram.0, a.ngram.1)
        .norm(if a.idf {
            None
        } else {
            Some(proba::text::Norm::L2)
        })
        .build()
        .map_err(|e| e.to_string())?;
    let start = Instant::now();

    // Pass 0: the classes (partial_fit needs them all up front) and, with
    // --idf, the document frequencies of the training rows.
    let bar = byte_bar(a, "classes/idf");
    let mut classes = BTreeSet::new();
    let mut df = a.idf.then(|| DocFreqs::new(a.n_features));
    let (mut n_train, mut n_test) = (0usize, 0usize);
    let mut reader = ChunkReader::open(a, &bar)?;
    while let Some(c) = reader.next_chunk()? {
        classes.extend(c.train.1.iter().cloned());
        classes.extend(c.test.1.iter().cloned());
        n_train += c.train.0.len();
        n_test += c.test.0.len();
        if let Some(df) = &mut df {
            let counts = hv.transform(&c.train.0).map_err(|e| e.to_string())?;
            df.add(&counts).map_err(|e| e.to_string())?;
        }
    }
    bar.finish_and_clear();
    let classes: Vec<String> = classes.into_iter().collect();
    eprintln!(
        "{}: {n_train} training rows, {n_test} held out, {} classes",
        a.data.display(),
        classes.len()
    );
    let tfidf = match &df {
        Some(df) => Some(
            TfidfTransformer::params()
                .sublinear_tf(a.sublinear_tf)
                .fit_doc_freqs(df)
                .map_err(|e| e.to_string())?,
        ),
        None => None,
    };
    drop(df);

    let params = SgdClassifier::params()
        .loss(loss)
        .alpha(a.alpha)
        .seed(a.seed)
        .shuffle(true);
    let mut model: Option<SgdClassifier<String>> = None;
    for epoch in 1..=a.epochs {
        let bar = byte_bar(a, &format!("epoch {epoch}/{}", a.epochs));
        let mut reader = ChunkReader::open(a, &bar)?;
        while let Some(c) = reader.next_chunk()? {
            if c.train.0.is_empty() {
                continue;
            }
            let x = features(&hv, tfidf.as_ref(), &c.train.0)?;
            let y = &c.train.1;
            match &mut model {
                None => {
                    model = Some(
                        params
                            .partial_fit(&x, y, &classes)
                            .map_err(|e| format!("training failed: {e}"))?,
                    )
                }
                Some(m) => {
                    m.partial_fit(&x, y, &[])
                        .map_err(|e| format!("training failed: {e}"))?;
                }
            }
        }
        bar.finish_and_clear();
    }
    let model = model.ok_or("no training rows")?;
    let took = start.elapsed().as_secs_f64();
    let mb = std::fs::metadata(&a.data).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    println!(
        "trained SgdClassifier(loss={}) on {n_train} rows x {} hashed features in {took:.1} s \
         ({} passes over {mb:.0} MB: {:.1} MB/s)",
        loss.name(),
        a.n_features,
        a.epochs + 1,
        mb * (a.epochs + 1) as f64 / took
    );

    if n_test > 0 {
        evaluate(a, &model, &hv, tfidf.as_ref())?;
    }
    if let Some(out) = &a.out {
        proba::io::save(&model, out).map_err(|e| e.to_string())?;
        let hv_path = out.with_extension("hashing.json");
        proba::io::save(&hv, &hv_path).map_err(|e| e.to_string())?;
        println!("saved {} and {}", out.display(), hv_path.display());
        if let Some(t) = &tfidf {
            let t_path = out.with_extension("tfidf.json");
            proba::io::save(t, &t_path).map_err(|e| e.to_string())?;
            println!("saved {}", t_path.display());
        }
    }
    Ok(())
}

/// Accuracy and (with probabilities) log loss on the held-out slice,
/// accumulated chunk by chunk.
fn evaluate(
    a: &Args,
    model: &SgdClassifier<String>,
    hv: &HashingVectorizer,
    tfidf: Option<&TfidfTransformer>,
) -> Result<(), String> {
    let bar = byte_bar(a, "held-out");
    let mut reader = ChunkReader::open(a, &bar)?;
    let (mut n, mut correct, mut loss_sum) = (0usize, 0usize, 0.0);
    let has_proba = model.loss().has_probabilities();
    while let Some(c) = reader.next_chunk()? {
        if c.test.0.is_empty() {
            continue;
        }
        let x = features(hv, tfidf, &c.test.0)?;
        let pred = model.predict(&x).map_err(|e| e.to_string())?;
        correct += pred.iter().zip(&c.test.1).filter(|(p, t)| p == t).count();
        n += pred.len();
        if has_proba {
            let p = model.predict_proba(&x).map_err(|e| e.to_string())?;
            for (row, truth) in p.rows().into_iter().zip(&c.test.1) {
                let k = model.classes().binary_search(truth).ok();
                // scikit-learn's log_loss clips to [eps, 1 - eps].
                let q = k
                    .map_or(0.0, |k| row[k])
                    .clamp(f64::EPSILON, 1.0 - f64::EPSILON);
                loss_sum -= q.ln();
            }
        }
    }
    bar.finish_and_clear();
    println!("\nheld-out evaluation on {n} rows (a hash of each line picks them)");
    println!("accuracy: {:.4}", correct as f64 / n.max(1) as f64);
    if has_proba {
        println!("log loss: {:.4}", loss_sum / n.max(1) as f64);
    }
    Ok(())
}
