//! Saving and loading fitted models as JSON.
//!
//! A saved file is an envelope `{"format": "proba", "version": 1, "kind":
//! "LogisticRegression", "type": "LogisticRegression<String>", "model":
//! {...}}`. [`load`] checks the format name, the version, the kind and the
//! full type (files from before `type` existed are read by kind alone)
//! before it reads the model, so loading into another type says `this file
//! holds a X; you asked for a Y` (a file whose type name differs but whose
//! model reads as the type asked for, e.g. another label type that
//! serializes alike, is accepted); then it asks the model to
//! [`validate`](Persist::validate) itself. A file that is not the model's
//! JSON (truncated, a missing field) is an [`Error::Json`] with the
//! parser's error as its source; one of another kind or type, or whose
//! parts disagree, an [`Error::Format`]; never a panic later at predict
//! time. [`save`] writes to a temporary file beside the target and renames it,
//! so a crash mid-write never leaves a half-written model behind.
//!
//! Floats are written with the shortest representation that parses back to
//! the same bits, so a round trip gives bit-identical probabilities.
//!
//! ```
//! use proba::io::{self, Persist};
//! use proba::Result;
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize, PartialEq, Debug)]
//! struct Scale { factor: f64 }
//! impl Persist for Scale { const KIND: &'static str = "Scale"; }
//!
//! let text = io::to_string(&Scale { factor: 0.1 })?;
//! let back: Scale = io::from_str(&text)?;
//! assert_eq!(back, Scale { factor: 0.1 });
//! assert!(io::from_str::<Scale>(&text[..text.len() - 2]).is_err()); // truncated
//! # Ok::<(), proba::Error>(())
//! ```

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::error::{Error, Result};

/// The format name written in every saved file.
pub const FORMAT_NAME: &str = "proba";

/// The current version of the saved format; files of another version are refused.
pub const FORMAT_VERSION: u32 = 1;

/// A fitted type that can be saved with [`save`] and read back with [`load`].
///
/// Loading also needs `DeserializeOwned`, which every fitted type has when its
/// labels own their data (`String`, integers); a model trained on `&str`
/// labels can be saved and then loaded as the same model over `String`.
pub trait Persist: Serialize {
    /// The name written in the file and checked on load (e.g. `"LogisticRegression"`).
    const KIND: &'static str;

    /// Checks the internal consistency of a freshly deserialized model (array
    /// lengths agree, indices in range, ...), so an altered file is refused at
    /// load instead of failing at predict.
    fn validate(&self) -> Result<()> {
        Ok(())
    }

    /// The full type, written in the file beside [`KIND`](Self::KIND) and
    /// checked on load, so that loading into another type says what the
    /// file holds (e.g. `"Pipeline<TfidfVectorizer,
    /// RandomForestClassifier<String>>"` asked for as
    /// `"Pipeline<TfidfVectorizer, LogisticRegression<String>>"`). Defaults
    /// to `KIND`; generic models name their parameters.
    fn type_name() -> String {
        Self::KIND.to_string()
    }
}

/// A label type's name as it appears in [`Persist::type_name`]: without
/// module paths (`Vec<alloc::string::String>` -> `Vec<String>`), and
/// `String` for every string type (`&str`, `Box<str>`, `Cow<str>`...),
/// since a model trained on `&str` labels is saved as and loaded over
/// `String`.
pub fn short_type_name<T: ?Sized>() -> String {
    let full = std::any::type_name::<T>();
    if matches!(
        full,
        "&str"
            | "alloc::string::String"
            | "alloc::boxed::Box<str>"
            | "alloc::borrow::Cow<str>"
            | "alloc::sync::Arc<str>"
            | "alloc::rc::Rc<str>"
    ) {
        return "String".to_string();
    }
    map_words(
        full,
        |c| c.is_alphanumeric() || c == '_' || c == ':',
        |path| path.rsplit("::").next().unwrap_or(path),
    )
}

#[derive(Serialize)]
struct EnvelopeOut<'a, T> {
    format: &'static str,
    version: u32,
    kind: &'static str,
    #[serde(rename = "type")]
    type_name: String,
    model: &'a T,
}

#[derive(Deserialize)]
struct EnvelopeIn<'a> {
    format: String,
    version: u32,
    kind: String,
    /// Absent in files written before the full type was saved.
    #[serde(default, rename = "type")]
    type_name: Option<String>,
    #[serde(borrow)]
    model: &'a RawValue,
}

/// What a saved file says about itself, read without decoding the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The format version.
    pub version: u32,
    /// The model kind, e.g. `"Pipeline"`.
    pub kind: String,
}

fn format_err(msg: impl std::fmt::Display) -> Error {
    Error::Format(msg.to_string())
}

/// `name` with every integer type written `int`: integer labels read back
/// as any integer type that holds them (JSON numbers), so a file saved
/// with `u8` labels loads as `i64` ones.
fn integers_as_one(name: &str) -> String {
    const INTS: [&str; 12] = [
        "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
    ];
    map_words(
        name,
        |c| c.is_alphanumeric() || c == '_',
        |word| if INTS.contains(&word) { "int" } else { word },
    )
}

/// `text` with each maximal run of `is_word` characters replaced by
/// `f(run)` and everything between the runs kept: the one tokenizer of the
/// type-name helpers above.
fn map_words<'t>(
    text: &'t str,
    is_word: impl Fn(char) -> bool,
    f: impl Fn(&'t str) -> &'t str,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push_str(f(&text[s..i]));
                start = None;
                out.push(c);
            }
            (false, None) => out.push(c),
            (true, Some(_)) => {}
        }
    }
    if let Some(s) = start {
        out.push_str(f(&text[s..]));
    }
    out
}

/// Serializes `model` into `writer` (the writer is not flushed to disk).
pub fn to_writer<T: Persist, W: Write>(model: &T, writer: W) -> Result<()> {
    let env = EnvelopeOut {
        format: FORMAT_NAME,
        version: FORMAT_VERSION,
        kind: T::KIND,
        type_name: T::type_name(),
        model,
    };
    serde_json::to_writer(writer, &env).map_err(|e| {
        if e.is_io() {
            Error::Io(e.into())
        } else {
            format_err(e)
        }
    })
}

/// Serializes `model` into a JSON string.
///
/// ```
/// use proba::text::CountVectorizer;
///
/// let cv = CountVectorizer::params().fit(&["red apple", "green apple"])?;
/// let json = proba::io::to_string(&cv)?;
/// // The envelope that `from_str` and `load` check before reading the model.
/// assert!(json.starts_with(r#"{"format":"proba","version":1,"kind":"CountVectorizer""#));
/// let back: CountVectorizer = proba::io::from_str(&json)?;
/// assert_eq!(back.feature_names(), ["apple", "green", "red"]);
/// # Ok::<(), proba::Error>(())
/// ```
pub fn to_string<T: Persist>(model: &T) -> Result<String> {
    let mut buf = Vec::new();
    to_writer(model, &mut buf)?;
    String::from_utf8(buf).map_err(format_err)
}

fn parse_envelope(bytes: &[u8]) -> Result<EnvelopeIn<'_>> {
    let env: EnvelopeIn<'_> = serde_json::from_slice(bytes).map_err(Error::Json)?;
    if env.format != FORMAT_NAME {
        return Err(format_err(format!(
            "format is {:?}, expected {FORMAT_NAME:?}",
            env.format
        )));
    }
    if env.version != FORMAT_VERSION {
        return Err(format_err(format!(
            "format version {} is not supported (this build reads version {FORMAT_VERSION})",
            env.version
        )));
    }
    Ok(env)
}

/// Reads the header (format version and kind) of a saved model.
pub fn header(bytes: &[u8]) -> Result<Header> {
    let env = parse_envelope(bytes)?;
    Ok(Header {
        version: env.version,
        kind: env.kind,
    })
}

/// Deserializes a model of type `T` from the bytes of a saved file.
pub fn from_slice<T: Persist + DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    let env = parse_envelope(bytes)?;
    let wanted = T::type_name();
    let held = env.type_name.as_deref().unwrap_or(&env.kind);
    let other_type = |why: &dyn std::fmt::Display| {
        format_err(format!(
            "this file holds a {held}; you asked for a {wanted} ({why})"
        ))
    };
    if env.kind != T::KIND {
        return Err(other_type(&"another kind of model"));
    }
    // The full type names differ: the file may still be read as `T` (a
    // label type that serializes the same way, or a type name that another
    // compiler spells differently), so it is read, and a failure names both
    // types instead of the missing field.
    let same_type = env
        .type_name
        .as_deref()
        .map_or(true, |t| integers_as_one(t) == integers_as_one(&wanted));
    let model: T = match serde_json::from_str(env.model.get()) {
        Ok(m) => m,
        Err(e) if !same_type => return Err(other_type(&e)),
        Err(e) => return Err(Error::Json(e)),
    };
    model.validate().map_err(|e| match e {
        Error::Format(_) | Error::Json(_) if same_type => e,
        e if !same_type => other_type(&e),
        other => format_err(format!("inconsistent {}: {other}", T::KIND)),
    })?;
    Ok(model)
}

/// Deserializes a model of type `T` from a JSON string.
///
/// ```
/// use proba::text::{CountVectorizer, TfidfVectorizer};
///
/// let tfidf = TfidfVectorizer::params().fit(&["red apple", "green apple"])?;
/// let json = proba::io::to_string(&tfidf)?;
/// let back: TfidfVectorizer = proba::io::from_str(&json)?;
/// assert_eq!(back.transform(&["red apple"])?, tfidf.transform(&["red apple"])?);
/// // Another type, or a damaged file, is an error, never a panic.
/// let err = proba::io::from_str::<CountVectorizer>(&json).unwrap_err();
/// assert!(err.to_string().contains("this file holds a TfidfVectorizer"));
/// assert!(proba::io::from_str::<TfidfVectorizer>(&json[..json.len() / 2]).is_err());
/// # Ok::<(), proba::Error>(())
/// ```
pub fn from_str<T: Persist + DeserializeOwned>(text: &str) -> Result<T> {
    from_slice(text.as_bytes())
}

/// Deserializes a model of type `T` from a reader.
pub fn from_reader<T: Persist + DeserializeOwned, R: Read>(mut reader: R) -> Result<T> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes)?;
    from_slice(&bytes)
}

/// Saves `model` to `path`, atomically: the file is written beside the target
/// under a temporary name, synced, then renamed over it.
///
/// ```
/// use proba::prelude::*;
/// use proba::linear::LogisticRegression;
/// use proba::ndarray::array;
///
/// let x = array![[0.0], [1.0], [2.0], [3.0]];
/// let model = LogisticRegression::params().fit(&x, &["no", "no", "yes", "yes"])?;
/// let name = format!("proba-doc-io-save-{}.json", std::process::id());
/// let path = std::env::temp_dir().join(name);
/// proba::io::save(&model, &path)?;
/// // Trained on `&str` labels, loaded back over `String`.
/// let back: LogisticRegression<String> = proba::io::load(&path)?;
/// std::fs::remove_file(&path)?;
/// assert_eq!(back.predict_proba(&x)?, model.predict_proba(&x)?); // bit for bit
/// # Ok::<(), proba::Error>(())
/// ```
pub fn save<T: Persist>(model: &T, path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    let file_name = path
        .file_name()
        .ok_or_else(|| Error::invalid_param("path", path.display(), "has no file name"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(file_name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let write = || -> Result<()> {
        let file = File::create(&tmp)?;
        let mut w = BufWriter::new(file);
        to_writer(model, &mut w)?;
        let file = w.into_inner().map_err(|e| Error::Io(e.into_error()))?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    };
    write().inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Loads a model of type `T` saved by [`save`].
///
/// ```
/// use proba::prelude::*;
/// use proba::linear::LogisticRegression;
/// use proba::ndarray::array;
/// use proba::tree::DecisionTreeClassifier;
///
/// let x = array![[0.0], [1.0], [2.0], [3.0]];
/// let tree = DecisionTreeClassifier::params().fit(&x, &["a", "a", "b", "b"])?;
/// let name = format!("proba-doc-io-load-{}.json", std::process::id());
/// let path = std::env::temp_dir().join(name);
/// proba::io::save(&tree, &path)?;
/// let back: DecisionTreeClassifier<String> = proba::io::load(&path)?;
/// let wrong = proba::io::load::<LogisticRegression<String>>(&path);
/// std::fs::remove_file(&path)?;
/// assert_eq!(back.predict(&x)?, ["a", "a", "b", "b"]);
/// // Loading as another model type, or a missing file, is an error.
/// assert!(wrong.unwrap_err().to_string().contains("this file holds a DecisionTreeClassifier"));
/// assert!(matches!(proba::io::load::<DecisionTreeClassifier<String>>(&path), Err(Error::Io(_))));
/// # Ok::<(), proba::Error>(())
/// ```
pub fn load<T: Persist + DeserializeOwned>(path: impl AsRef<Path>) -> Result<T> {
    let bytes = std::fs::read(path)?;
    from_slice(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_are_short_and_integers_compare_as_one() {
        assert_eq!(short_type_name::<String>(), "String");
        assert_eq!(short_type_name::<&str>(), "String");
        assert_eq!(short_type_name::<Vec<String>>(), "Vec<String>");
        assert_eq!(short_type_name::<u8>(), "u8");
        assert_eq!(
            integers_as_one("OneVsRestClassifier<LogisticRegression<bool>, u8>"),
            "OneVsRestClassifier<LogisticRegression<bool>, int>"
        );
        assert_eq!(
            integers_as_one("Pipeline<Tint, i64>"),
            "Pipeline<Tint, int>"
        );
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Toy {
        w: Vec<f64>,
        n: usize,
    }
    impl Persist for Toy {
        const KIND: &'static str = "Toy";
        fn validate(&self) -> Result<()> {
            if self.w.len() != self.n {
                return Err(Error::shape("weights", self.n, self.w.len()));
            }
            Ok(())
        }
    }
    #[derive(Serialize, Deserialize, Debug)]
    struct Other;
    impl Persist for Other {
        const KIND: &'static str = "Other";
    }

    fn toy() -> Toy {
        Toy {
            w: vec![0.1, 1.0 / 3.0, -2.5e-300, f64::MAX, 5e-324],
            n: 5,
        }
    }

    #[test]
    fn round_trip_is_bit_exact() {
        let s = to_string(&toy()).unwrap();
        let back: Toy = from_str(&s).unwrap();
        for (a, b) in back.w.iter().zip(toy().w.iter()) {
            assert_eq!(a.to_bits(), b.to_bits());
        }
        assert_eq!(
            header(s.as_bytes()).unwrap(),
            Header {
                version: FORMAT_VERSION,
                kind: "Toy".into()
            }
        );
    }

    #[test]
    fn refuses_damaged_or_foreign_files() {
        let s = to_string(&toy()).unwrap();
        for cut in [0, 1, s.len() / 2, s.len() - 1] {
            assert!(
                matches!(from_str::<Toy>(&s[..cut]), Err(Error::Json(_))),
                "cut {cut}"
            );
        }
        let wrong_kind = from_str::<Other>(&s).unwrap_err().to_string();
        assert!(
            wrong_kind.contains("this file holds a Toy; you asked for a Other"),
            "{wrong_kind}"
        );
        let wrong_version = s.replace("\"version\":1", "\"version\":99");
        assert!(from_str::<Toy>(&wrong_version)
            .unwrap_err()
            .to_string()
            .contains("version 99"));
        let wrong_format = s.replace("\"proba\"", "\"pickle\"");
        assert!(from_str::<Toy>(&wrong_format).is_err());
        let inconsistent = s.replace("\"n\":5", "\"n\":4");
        let err = from_str::<Toy>(&inconsistent).unwrap_err().to_string();
        assert!(err.contains("inconsistent Toy"), "{err}");
        assert!(from_slice::<Toy>(&[0xff, 0xfe, 0x00]).is_err());
    }

    #[test]
    fn save_is_atomic_and_load_reads_it_back() {
        let dir = std::env::temp_dir().join(format!("proba-io-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("toy.json");
        save(&toy(), &path).unwrap();
        assert_eq!(load::<Toy>(&path).unwrap(), toy());
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
        assert!(matches!(
            load::<Toy>(dir.join("missing.json")),
            Err(Error::Io(_))
        ));
        // Saving into a missing directory fails cleanly and leaves the old file intact.
        assert!(save(&toy(), dir.join("no/such/dir/x.json")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
