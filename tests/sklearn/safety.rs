//! What proba::sklearn refuses, and how: hand-made hostile pickles,
//! unsupported options and compressors, label-type mismatches, truncated
//! files and length lies, and a fuzz-style run over mutated real pickles
//! and random bytes (zero panics).

use std::path::{Path, PathBuf};

use proba::ensemble::RandomForestClassifier;
use proba::linear::LogisticRegression;
use proba::multilabel::{MultiLabelBinarizer, OneVsRestClassifier};
use proba::pipeline::Pipeline;
use proba::sklearn;
use proba::text::{CountVectorizer, TfidfVectorizer};
use proba::tree::DecisionTreeClassifier;
use proba::Error;

use crate::support::Rng;

fn dir(tag: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sklearn")
        .join(tag)
}

fn read(tag: &str, name: &str) -> Vec<u8> {
    std::fs::read(dir(tag).join(name)).expect("fixture")
}

fn unsupported(r: Result<impl std::fmt::Debug, Error>, needle: &str) {
    match r {
        Err(Error::Unsupported(m)) => assert!(m.contains(needle), "{m:?} should name {needle:?}"),
        other => panic!("expected Unsupported naming {needle:?}, got {other:?}"),
    }
}

/// A protocol-4 pickle: STACK_GLOBAL of `module.name`, then `tail`.
fn global_pickle(module: &str, name: &str, tail: &[u8]) -> Vec<u8> {
    let mut b = vec![0x80, 4];
    for s in [module, name] {
        b.push(0x8c);
        b.push(s.len() as u8);
        b.extend_from_slice(s.as_bytes());
    }
    b.push(0x93);
    b.extend_from_slice(tail);
    b
}

#[test]
fn globals_outside_the_allow_list_are_refused_by_name() {
    // sklearn.svm.SVC(): NEWOBJ with empty args and a state.
    let svc = global_pickle("sklearn.svm._classes", "SVC", b")\x81}b.");
    unsupported(
        sklearn::from_bytes::<LogisticRegression<String>>(&svc),
        "sklearn.svm._classes.SVC",
    );
    unsupported(sklearn::kind(&svc), "SVC");
    // os.system('ls') via REDUCE (protocol 2 GLOBAL opcode).
    let sys = b"\x80\x02cos\nsystem\nX\x02\x00\x00\x00ls\x85R.";
    unsupported(sklearn::from_bytes::<TfidfVectorizer>(sys), "os.system");
    let sys = b"\x80\x02cposix\nsystem\nX\x02\x00\x00\x00ls\x85R.";
    unsupported(sklearn::from_bytes::<TfidfVectorizer>(sys), "posix.system");
    let eval = global_pickle("builtins", "eval", b"X\x01\x00\x00\x001\x85R.");
    unsupported(
        sklearn::from_bytes::<CountVectorizer>(&eval),
        "builtins.eval",
    );
    // An allowed name that is not callable as a constructor.
    let t = global_pickle("numpy", "float64", b")R.");
    unsupported(sklearn::from_bytes::<CountVectorizer>(&t), "numpy.float64");
}

#[test]
fn opcodes_and_protocols_outside_the_reader_are_refused() {
    unsupported(
        sklearn::from_bytes::<CountVectorizer>(b"\x80\x01N."),
        "protocol 1",
    );
    // PERSID / EXT1 / INST.
    unsupported(
        sklearn::from_bytes::<CountVectorizer>(b"\x80\x04Q."),
        "opcode 0x51",
    );
    unsupported(
        sklearn::from_bytes::<CountVectorizer>(b"\x80\x04\x82\x01."),
        "opcode 0x82",
    );
    // Out-of-band buffers.
    unsupported(
        sklearn::from_bytes::<CountVectorizer>(b"\x80\x05\x97."),
        "NEXT_BUFFER",
    );
    // A 9-byte integer.
    unsupported(
        sklearn::from_bytes::<CountVectorizer>(
            b"\x80\x04\x8a\x09\x01\x02\x03\x04\x05\x06\x07\x08\x09.",
        ),
        "integer of 9 bytes",
    );
}

#[test]
fn options_proba_lacks_are_refused_by_name() {
    let r = read("refused", "tokenizer.pkl");
    unsupported(sklearn::from_bytes::<TfidfVectorizer>(&r), "my_tokenizer");
    let r = read("refused", "preprocessor.pkl");
    // preprocessor=str.lower pickles as builtins.getattr(str, 'lower').
    unsupported(
        sklearn::from_bytes::<TfidfVectorizer>(&r),
        "builtins.getattr",
    );
    let r = read("refused", "input_filename.pkl");
    unsupported(
        sklearn::from_bytes::<CountVectorizer>(&r),
        "input=\"filename\"",
    );
    let r = read("refused", "float32.pkl");
    unsupported(
        sklearn::from_bytes::<TfidfVectorizer>(&r),
        "dtype=numpy.float32",
    );
    let r = read("refused", "ovr3.pkl");
    unsupported(
        sklearn::from_bytes::<LogisticRegression<String>>(&r),
        "multi_class=\"ovr\"",
    );
    for comp in ["bz2", "xz", "lzma"] {
        let r = read("refused", &format!("tfidf.{comp}.joblib"));
        unsupported(sklearn::from_bytes::<TfidfVectorizer>(&r), comp);
    }
    unsupported(
        sklearn::from_bytes::<TfidfVectorizer>(b"\x04\x22\x4d\x18rest"),
        "lz4",
    );
}

#[test]
fn label_type_mismatch_names_both_types() {
    let s = read("sk19", "lr_str.p5.pkl");
    unsupported(
        sklearn::from_bytes::<LogisticRegression<i64>>(&s),
        "classes are strings",
    );
    unsupported(
        sklearn::from_bytes::<LogisticRegression<i64>>(&s),
        "requested as i64",
    );
    let i = read("sk13", "dt_int.p2.pkl");
    unsupported(
        sklearn::from_bytes::<DecisionTreeClassifier<String>>(&i),
        "classes are integers",
    );
    unsupported(
        sklearn::from_bytes::<DecisionTreeClassifier<String>>(&i),
        "requested as String",
    );
    let m = read("sk19", "mlb.z3.joblib");
    unsupported(
        sklearn::from_bytes::<MultiLabelBinarizer<i64>>(&m),
        "strings",
    );
}

#[test]
fn a_file_of_another_model_is_an_error_naming_both() {
    let rf = read("sk19", "rf_str.p4.pkl");
    let e = sklearn::from_bytes::<LogisticRegression<String>>(&rf).unwrap_err();
    let m = e.to_string();
    assert!(
        m.contains("RandomForestClassifier") && m.contains("LogisticRegression"),
        "{m}"
    );
    let lr = read("sk19", "lr_str.p4.pkl");
    assert!(sklearn::from_bytes::<Pipeline<LogisticRegression<String>>>(&lr).is_err());
    let t = read("sk19", "tfidf.p4.pkl");
    assert!(sklearn::from_bytes::<CountVectorizer>(&t).is_err());
}

fn every_type(b: &[u8]) -> usize {
    let mut ok = 0;
    ok += sklearn::from_bytes::<TfidfVectorizer>(b).is_ok() as usize;
    ok += sklearn::from_bytes::<CountVectorizer>(b).is_ok() as usize;
    ok += sklearn::from_bytes::<LogisticRegression<String>>(b).is_ok() as usize;
    ok += sklearn::from_bytes::<LogisticRegression<i64>>(b).is_ok() as usize;
    ok += sklearn::from_bytes::<RandomForestClassifier<String>>(b).is_ok() as usize;
    ok += sklearn::from_bytes::<DecisionTreeClassifier<i64>>(b).is_ok() as usize;
    ok += sklearn::from_bytes::<MultiLabelBinarizer<String>>(b).is_ok() as usize;
    ok += sklearn::from_bytes::<OneVsRestClassifier<LogisticRegression<bool>, i64>>(b).is_ok()
        as usize;
    ok += sklearn::from_bytes::<OneVsRestClassifier<RandomForestClassifier<bool>, i64>>(b).is_ok()
        as usize;
    ok += sklearn::from_bytes::<Pipeline<LogisticRegression<String>>>(b).is_ok() as usize;
    ok += sklearn::kind(b).is_ok() as usize;
    ok
}

#[test]
fn every_truncation_is_an_error() {
    for (tag, name) in [
        ("sk19", "lr_bin_int.p5.pkl"),
        ("sk13", "lr_bin_int.p2.pkl"),
        ("sk19", "mlb.joblib"),
        ("sk19", "dt_int.joblib"),
        ("sk13", "dt_int.p4.pkl"),
        ("sk19", "count.z3.joblib"),
        ("sk19", "ovr_lr.gz3.joblib"),
    ] {
        let full = read(tag, name);
        assert!(
            every_type(&full) >= 2,
            "{tag}/{name} loads as its own type and its kind"
        );
        let step = (full.len() / 1500).max(1);
        for n in (0..full.len()).step_by(step).chain([full.len() - 1]) {
            assert_eq!(
                every_type(&full[..n]),
                0,
                "{tag}/{name} cut at {n} of {}",
                full.len()
            );
        }
    }
}

#[test]
fn length_lies_are_errors_before_allocation() {
    // BINUNICODE8 / BINBYTES8 / BYTEARRAY8 claiming 2^62 bytes.
    for op in [0x8du8, 0x8e, 0x96] {
        let mut b = vec![0x80, 5, op];
        b.extend_from_slice(&(1u64 << 62).to_le_bytes());
        b.extend_from_slice(b"abc.");
        let e = sklearn::from_bytes::<CountVectorizer>(&b)
            .unwrap_err()
            .to_string();
        assert!(e.contains("exceeds"), "{e}");
    }
    // FRAME length beyond the file.
    let mut b = vec![0x80, 4, 0x95];
    b.extend_from_slice(&u64::MAX.to_le_bytes());
    assert!(sklearn::from_bytes::<CountVectorizer>(&b).is_err());
    // A joblib array announcing more elements than the file holds: the
    // wrapper's shape (BININT1 3 -> BININT 2^31-1) in a real file.
    let real = read("sk19", "lr_bin_int.joblib");
    let at = real
        .windows(7)
        .position(|w| w == b"\x8c\x05shape")
        .expect("a wrapper shape");
    let mut m = real[..at + 7].to_vec();
    let rest = &real[at + 7..];
    // The shape tuple follows (memoized key): find its first BININT1.
    let k = rest.iter().position(|&b| b == b'K').expect("BININT1");
    m.extend_from_slice(&rest[..k]);
    m.push(b'J');
    m.extend_from_slice(&0x7fff_ffffu32.to_le_bytes());
    m.extend_from_slice(&rest[k + 2..]);
    let e = sklearn::from_bytes::<LogisticRegression<i64>>(&m).unwrap_err();
    assert!(e.to_string().contains("remain"), "{e}");
    // A zlib bomb: 64 MB of zeros compress to far more than 200x less.
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&vec![0u8; 64 << 20]).unwrap();
    let z = z.finish().unwrap();
    unsupported(
        sklearn::from_bytes::<CountVectorizer>(&z),
        "expanding beyond",
    );
}

#[test]
fn mutated_real_pickles_and_random_bytes_never_panic() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let seeds = [
        read("sk19", "lr_bin_int.p5.pkl"),
        read("sk13", "lr_bin_int.p2.pkl"),
        read("sk19", "dt_int.p4.pkl"),
        read("sk13", "dt_int.joblib"),
        read("sk19", "mlb.p2.pkl"),
        read("sk19", "count.p5.pkl"),
        read("sk13", "ovr_lr.p4.pkl"),
    ];
    let mut loaded = 0;
    for round in 0..600 {
        let mut b = seeds[round % seeds.len()].clone();
        for _ in 0..1 + rng.below(4) {
            let i = rng.below(b.len());
            match rng.below(4) {
                0 => b[i] = rng.next_u64() as u8,
                1 => b[i] ^= 1 << rng.below(8),
                2 => {
                    b.remove(i);
                }
                _ => b.insert(i, rng.next_u64() as u8),
            }
        }
        loaded += every_type(&b);
    }
    for _ in 0..2000 {
        let n = rng.below(64);
        let mut b: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
        if rng.below(2) == 0 && !b.is_empty() {
            b[0] = 0x80;
        }
        if b.len() > 1 && rng.below(2) == 0 {
            b[1] = 2 + rng.below(4) as u8;
        }
        assert_eq!(every_type(&b), 0);
    }
    // Some mutations (in a float's bits, say) still load: the run reached
    // the model mapping, not only the opcode reader.
    assert!(loaded > 0);
}
