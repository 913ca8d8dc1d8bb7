//! Loading the model files of `--predict`, `--predict-multilabel`,
//! `--predict-complex` and `--model`: a pipeline saved by the `train`
//! example, or scikit-learn pickle/joblib files read by `proba::sklearn`
//! (no Python, nothing executed), told apart by their content.
//!
//! A model is one file (a pipeline) or several, comma-separated, in any
//! order: a vectorizer and a classifier pickled apart, and for a
//! one-vs-rest model trained on label sets, the `MultiLabelBinarizer` that
//! names its columns.

use std::path::{Path, PathBuf};

use proba::ensemble::RandomForestClassifier;
use proba::linear::LogisticRegression;
use proba::multilabel::OneVsRestClassifier;
use proba::pipeline::Pipeline;

use crate::app::{Served, Task};

/// Loads the model that `spec` names: one file, or comma-separated files
/// (see the module docs). A path that exists as a file is one file, even
/// with a comma in its name.
pub fn load_model(spec: &Path) -> Result<Served, String> {
    let name = spec.display().to_string();
    let paths: Vec<PathBuf> = if spec.is_file() || !name.contains(',') {
        vec![spec.to_path_buf()]
    } else {
        name.split(',').map(PathBuf::from).collect()
    };
    let mut files = Vec::with_capacity(paths.len());
    for p in &paths {
        let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
        files.push((p.display().to_string(), bytes));
    }
    if let [(_, bytes)] = files.as_slice() {
        if !is_pickle(bytes) {
            return proba_file(&name, bytes);
        }
    }
    #[cfg(feature = "sklearn")]
    {
        sklearn_files::load(&name, &files)
    }
    #[cfg(not(feature = "sklearn"))]
    {
        Err(format!(
            "{name}: scikit-learn files need proba's `sklearn` feature (on by default)"
        ))
    }
}

fn is_pickle(bytes: &[u8]) -> bool {
    #[cfg(feature = "sklearn")]
    {
        proba::sklearn::is_pickle(bytes)
    }
    #[cfg(not(feature = "sklearn"))]
    {
        let _ = bytes;
        false
    }
}

/// A pipeline saved by the `train` example: over logistic regression, a
/// random forest or one-vs-rest, whichever the file holds.
fn proba_file(name: &str, bytes: &[u8]) -> Result<Served, String> {
    let header = proba::io::header(bytes).map_err(|e| format!("{name}: {e}"))?;
    if header.kind != "Pipeline" {
        return Err(format!(
            "{name} holds a {}, not a text Pipeline saved by the train example",
            header.kind
        ));
    }
    let lr = match proba::io::from_slice::<Pipeline<LogisticRegression<String>>>(bytes) {
        Ok(m) => {
            return Ok(Served {
                name: name.into(),
                kind: "Pipeline<TfidfVectorizer, LogisticRegression>".into(),
                task: Task::SingleLabel,
                model: Box::new(m),
            })
        }
        Err(e) => e,
    };
    let rf = match proba::io::from_slice::<Pipeline<RandomForestClassifier<String>>>(bytes) {
        Ok(m) => {
            return Ok(Served {
                name: name.into(),
                kind: "Pipeline<TfidfVectorizer, RandomForestClassifier>".into(),
                task: Task::SingleLabel,
                model: Box::new(m),
            })
        }
        Err(e) => e,
    };
    match proba::io::from_slice::<Pipeline<OneVsRestClassifier<LogisticRegression<bool>, String>>>(
        bytes,
    ) {
        Ok(m) => Ok(Served {
            name: name.into(),
            kind: "Pipeline<TfidfVectorizer, OneVsRestClassifier<LogisticRegression>>".into(),
            task: Task::MultiLabel,
            model: Box::new(m),
        }),
        Err(ovr) => Err(format!(
            "{name}: not a text pipeline saved by the train example\n  as logistic regression: {lr}\n  as random forest: {rf}\n  as one-vs-rest: {ovr}"
        )),
    }
}

#[cfg(feature = "sklearn")]
mod sklearn_files {
    use std::fmt::Display;

    use proba::ensemble::RandomForestClassifier;
    use proba::linear::LogisticRegression;
    use proba::multilabel::{MultiLabelBinarizer, OneVsRestClassifier, OneVsRestMode};
    use proba::pipeline::Pipeline;
    use proba::prelude::*;
    use proba::sklearn::{self, FromSklearn, Kind, LabelKind, Source};
    use proba::text::{CountVectorizer, TfidfVectorizer};
    use proba::tree::DecisionTreeClassifier;

    use crate::app::{Named, Served, Task, TextModel};

    /// What each file is, by its content.
    enum Role {
        Vectorizer,
        Classifier,
        Pipeline,
        Binarizer,
    }

    fn role(file: &str, kind: Kind) -> Result<Role, String> {
        Ok(match kind {
            Kind::TfidfVectorizer | Kind::CountVectorizer => Role::Vectorizer,
            Kind::LogisticRegression
            | Kind::RandomForestClassifier
            | Kind::DecisionTreeClassifier
            | Kind::OneVsRestClassifier => Role::Classifier,
            Kind::Pipeline => Role::Pipeline,
            Kind::MultiLabelBinarizer => Role::Binarizer,
            other => {
                return Err(format!(
                    "{file}: a scikit-learn {other:?} is not a model to serve; give a Pipeline, \
                     or a vectorizer and a classifier"
                ))
            }
        })
    }

    /// Serves scikit-learn files: a Pipeline, or a vectorizer and a
    /// classifier, each optionally with a MultiLabelBinarizer.
    pub fn load(name: &str, files: &[(String, Vec<u8>)]) -> Result<Served, String> {
        let mut vectorizer = None;
        let mut model = None;
        let mut names = None;
        for (file, bytes) in files {
            if !sklearn::is_pickle(bytes) {
                return Err(format!(
                    "{file}: not a scikit-learn pickle or joblib file (several files \
                     together are scikit-learn ones; a proba model is one file)"
                ));
            }
            let contents = sklearn::contents(bytes).map_err(|e| format!("{file}: {e}"))?;
            let slot = match role(file, contents.kind)? {
                Role::Vectorizer => &mut vectorizer,
                Role::Classifier | Role::Pipeline => &mut model,
                Role::Binarizer => &mut names,
            };
            if let Some((other, _)) = slot.replace((file.clone(), bytes)) {
                return Err(format!(
                    "{name}: {other} and {file} play the same part; give one pipeline, or one \
                     vectorizer and one classifier (and a MultiLabelBinarizer for label sets)"
                ));
            }
        }
        let names = match names {
            Some((file, bytes)) => {
                Some(binarizer_names(bytes).map_err(|e| format!("{file}: {e}"))?)
            }
            None => None,
        };
        let Some((model_file, model_bytes)) = model else {
            return Err(format!("{name}: no classifier or Pipeline among the files"));
        };
        let vectorizer = match vectorizer {
            Some((file, bytes)) => {
                Some(read_vectorizer(bytes).map_err(|e| format!("{file}: {e}"))?)
            }
            None => None,
        };
        let served = sklearn::decode(model_bytes, |src| {
            let contents = src.contents()?;
            match (&vectorizer, contents.kind) {
                (Some(_), Kind::Pipeline) => {
                    return Err(proba::Error::Unsupported(
                        "a Pipeline already has its vectorizer; give it alone".into(),
                    ))
                }
                (None, k) if k != Kind::Pipeline => {
                    return Err(proba::Error::Unsupported(format!(
                        "a bare {k:?} needs its vectorizer: give VECTORIZER,CLASSIFIER"
                    )))
                }
                _ => {}
            }
            let parts = Parts {
                src,
                vectorizer: vectorizer.clone(),
                names: names.clone(),
            };
            let classifier = *contents.steps.last().unwrap_or(&contents.kind);
            let kind = contents
                .steps
                .iter()
                .map(|k| format!("{k:?}"))
                .collect::<Vec<_>>();
            let kind = match &vectorizer {
                Some(v) => format!("scikit-learn {} + {}", vectorizer_kind(v), kind.join(" + ")),
                None => format!("scikit-learn Pipeline[{}]", kind.join(", ")),
            };
            let ints = contents.labels == Some(LabelKind::Integers);
            let (model, task) = match (classifier, ints) {
                (Kind::LogisticRegression, false) => parts.single::<LogisticRegression<String>>(),
                (Kind::LogisticRegression, true) => parts.single::<LogisticRegression<i64>>(),
                (Kind::RandomForestClassifier, false) => {
                    parts.single::<RandomForestClassifier<String>>()
                }
                (Kind::RandomForestClassifier, true) => {
                    parts.single::<RandomForestClassifier<i64>>()
                }
                (Kind::DecisionTreeClassifier, false) => {
                    parts.single::<DecisionTreeClassifier<String>>()
                }
                (Kind::DecisionTreeClassifier, true) => {
                    parts.single::<DecisionTreeClassifier<i64>>()
                }
                (Kind::OneVsRestClassifier, false) => parts.one_vs_rest::<String>(),
                (Kind::OneVsRestClassifier, true) => parts.one_vs_rest::<i64>(),
                (other, _) => Err(proba::Error::Unsupported(format!(
                    "a Pipeline ending in a {other:?}"
                ))),
            }?;
            Ok(Served {
                name: name.to_string(),
                kind,
                task,
                model,
            })
        })
        .map_err(|e| format!("{model_file}: {e}"))?;
        Ok(served)
    }

    fn vectorizer_kind(v: &TfidfVectorizer) -> &'static str {
        // A CountVectorizer is read as counts-as-weights (no idf, no norm).
        if v.idf().is_none() && v.norm() == proba::text::Norm::None {
            "CountVectorizer"
        } else {
            "TfidfVectorizer"
        }
    }

    fn read_vectorizer(bytes: &[u8]) -> proba::Result<TfidfVectorizer> {
        sklearn::decode(bytes, |src| match src.contents()?.kind {
            Kind::CountVectorizer => Ok(src.to::<CountVectorizer>()?.into()),
            _ => src.to::<TfidfVectorizer>(),
        })
    }

    fn binarizer_names(bytes: &[u8]) -> proba::Result<Vec<String>> {
        sklearn::decode(bytes, |src| {
            Ok(match src.contents()?.labels {
                Some(LabelKind::Integers) => src
                    .to::<MultiLabelBinarizer<i64>>()?
                    .classes()
                    .iter()
                    .map(i64::to_string)
                    .collect(),
                _ => src.to::<MultiLabelBinarizer<String>>()?.classes().to_vec(),
            })
        })
    }

    /// The decoded classifier (or pipeline) file and what goes with it.
    struct Parts<'p, 'a> {
        src: Source<'p, 'a>,
        vectorizer: Option<TfidfVectorizer>,
        names: Option<Vec<String>>,
    }

    type Boxed = (Box<dyn TextModel>, Task);

    impl Parts<'_, '_> {
        fn pipeline<M>(&self) -> proba::Result<Pipeline<M>>
        where
            M: FromSklearn + PredictProba<CsrMatrix>,
        {
            match &self.vectorizer {
                Some(v) => Pipeline::new(v.clone(), self.src.to::<M>()?),
                None => self.src.to::<Pipeline<M>>(),
            }
        }

        fn named<M>(&self, p: Pipeline<M>) -> proba::Result<Box<dyn TextModel>>
        where
            M: PredictProba<CsrMatrix> + Send + Sync + 'static,
            M::Label: Display,
        {
            Ok(match &self.names {
                Some(n) => Box::new(Named::with_names(p, n.clone()).map_err(names_error)?),
                None => Box::new(Named::new(p)),
            })
        }

        fn single<M>(&self) -> proba::Result<Boxed>
        where
            M: FromSklearn + PredictProba<CsrMatrix> + Send + Sync + 'static,
            M::Label: Display,
        {
            if self.names.is_some() {
                return Err(names_error(
                    "a MultiLabelBinarizer names the columns of a one-vs-rest model; \
                     this one is single-label"
                        .into(),
                ));
            }
            Ok((self.named(self.pipeline::<M>()?)?, Task::SingleLabel))
        }

        /// Over logistic regression or random forests, whichever the file holds.
        fn one_vs_rest<L>(&self) -> proba::Result<Boxed>
        where
            L: sklearn::SklearnLabel
                + serde::de::DeserializeOwned
                + Display
                + Send
                + Sync
                + 'static,
        {
            fn task<M, L: proba::Label>(p: &Pipeline<OneVsRestClassifier<M, L>>) -> Task {
                match p.classifier().mode() {
                    OneVsRestMode::Multilabel => Task::MultiLabel,
                    _ => Task::SingleLabel,
                }
            }
            match self.pipeline::<OneVsRestClassifier<LogisticRegression<bool>, L>>() {
                Ok(p) => {
                    let t = task(&p);
                    Ok((self.named(p)?, t))
                }
                Err(lr) => match self.pipeline::<OneVsRestClassifier<RandomForestClassifier<bool>, L>>() {
                    Ok(p) => {
                        let t = task(&p);
                        Ok((self.named(p)?, t))
                    }
                    Err(rf) => Err(proba::Error::Unsupported(format!(
                        "a OneVsRestClassifier read neither over LogisticRegression ({lr}) nor over \
                         RandomForestClassifier ({rf})"
                    ))),
                },
            }
        }
    }

    fn names_error(e: String) -> proba::Error {
        proba::Error::Unsupported(format!("the MultiLabelBinarizer's classes: {e}"))
    }
}
