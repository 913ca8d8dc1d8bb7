//! The allow-list: the only Python globals a file may name.
//!
//! A pickle names classes and functions by `module.name`; Python imports and
//! calls them. This reader accepts exactly the names below (the scikit-learn
//! classes it maps, numpy's array/dtype/scalar reconstructors under both
//! `numpy.core` (1.x) and `numpy._core` (2.x), joblib's array wrapper, and
//! `_codecs.encode` for protocol-2 bytes) and refuses every other one, by
//! name, before anything else happens.

/// An allow-listed global.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Global {
    /// `sklearn.feature_extraction.text.TfidfVectorizer`.
    TfidfVectorizer,
    /// `sklearn.feature_extraction.text.CountVectorizer`.
    CountVectorizer,
    /// `sklearn.feature_extraction.text.TfidfTransformer` (inside a TfidfVectorizer).
    TfidfTransformer,
    /// `sklearn.linear_model._logistic.LogisticRegression`.
    LogisticRegression,
    /// `sklearn.ensemble._forest.RandomForestClassifier`.
    RandomForestClassifier,
    /// `sklearn.tree._classes.DecisionTreeClassifier`.
    DecisionTreeClassifier,
    /// `sklearn.tree._tree.Tree`, the fitted node arrays.
    Tree,
    /// `sklearn.preprocessing._label.MultiLabelBinarizer`.
    MultiLabelBinarizer,
    /// `sklearn.preprocessing._label.LabelBinarizer` (inside a one-vs-rest).
    LabelBinarizer,
    /// `sklearn.multiclass.OneVsRestClassifier`.
    OneVsRestClassifier,
    /// `sklearn.multiclass._ConstantPredictor`, for a label seen always or never.
    ConstantPredictor,
    /// `sklearn.pipeline.Pipeline`.
    Pipeline,
    /// `numpy.core.multiarray._reconstruct` (or `numpy._core...`).
    Reconstruct,
    /// `numpy.core.multiarray.scalar`: a numpy scalar from dtype and bytes.
    Scalar,
    /// `numpy.core.numeric._frombuffer`: protocol 5's array form.
    FromBuffer,
    /// `numpy.ndarray`, the class.
    NdArray,
    /// `numpy.dtype`.
    Dtype,
    /// A numpy scalar type named as a value (e.g. `dtype=numpy.float64`).
    NumpyType(&'static str),
    /// `joblib.numpy_pickle.NumpyArrayWrapper`.
    JoblibArrayWrapper,
    /// `_codecs.encode`, interpreted (latin1 only), never called.
    CodecsEncode,
    /// `scipy.sparse._csr.csr_matrix`: scikit-learn < 1.5 stores the idf
    /// of a TfidfTransformer as a sparse diagonal (`_idf_diag`).
    ScipyCsr,
    /// `builtins.set` / `builtins.frozenset` (protocol 2 spells sets as a
    /// call on a list), interpreted, never called.
    BuiltinSet,
}

const NUMPY_TYPES: &[&str] = &[
    "float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint64", "uint32",
    "uint16", "uint8", "bool_", "object_", "str_", "bytes_", "intp",
];

impl Global {
    /// The allow-listed global named `module.name`, if any.
    pub(crate) fn resolve(module: &str, name: &str) -> Option<Global> {
        use Global::*;
        let numpy_core = |m: &str| m == "numpy.core" || m == "numpy._core";
        Some(match (module, name) {
            ("sklearn.feature_extraction.text", "TfidfVectorizer") => TfidfVectorizer,
            ("sklearn.feature_extraction.text", "CountVectorizer") => CountVectorizer,
            ("sklearn.feature_extraction.text", "TfidfTransformer") => TfidfTransformer,
            ("sklearn.linear_model._logistic", "LogisticRegression") => LogisticRegression,
            ("sklearn.ensemble._forest", "RandomForestClassifier") => RandomForestClassifier,
            ("sklearn.tree._classes", "DecisionTreeClassifier") => DecisionTreeClassifier,
            ("sklearn.tree._tree", "Tree") => Tree,
            ("sklearn.preprocessing._label", "MultiLabelBinarizer") => MultiLabelBinarizer,
            ("sklearn.preprocessing._label", "LabelBinarizer") => LabelBinarizer,
            ("sklearn.multiclass", "OneVsRestClassifier") => OneVsRestClassifier,
            ("sklearn.multiclass", "_ConstantPredictor") => ConstantPredictor,
            ("sklearn.pipeline", "Pipeline") => Pipeline,
            (m, "_reconstruct") if m.strip_suffix(".multiarray").is_some_and(numpy_core) => {
                Reconstruct
            }
            (m, "scalar") if m.strip_suffix(".multiarray").is_some_and(numpy_core) => Scalar,
            (m, "_frombuffer") if m.strip_suffix(".numeric").is_some_and(numpy_core) => FromBuffer,
            ("numpy", "ndarray") => NdArray,
            ("numpy", "dtype") => Dtype,
            ("numpy", t) => NumpyType(NUMPY_TYPES.iter().copied().find(|&n| n == t)?),
            ("joblib.numpy_pickle", "NumpyArrayWrapper") => JoblibArrayWrapper,
            ("_codecs", "encode") => CodecsEncode,
            ("builtins" | "__builtin__", "set" | "frozenset") => BuiltinSet,
            ("scipy.sparse._csr" | "scipy.sparse.csr", "csr_matrix") => ScipyCsr,
            _ => return None,
        })
    }

    /// The Python name, for messages.
    pub(crate) fn name(self) -> String {
        use Global::*;
        match self {
            TfidfVectorizer => "sklearn.feature_extraction.text.TfidfVectorizer".into(),
            CountVectorizer => "sklearn.feature_extraction.text.CountVectorizer".into(),
            TfidfTransformer => "sklearn.feature_extraction.text.TfidfTransformer".into(),
            LogisticRegression => "sklearn.linear_model.LogisticRegression".into(),
            RandomForestClassifier => "sklearn.ensemble.RandomForestClassifier".into(),
            DecisionTreeClassifier => "sklearn.tree.DecisionTreeClassifier".into(),
            Tree => "sklearn.tree._tree.Tree".into(),
            MultiLabelBinarizer => "sklearn.preprocessing.MultiLabelBinarizer".into(),
            LabelBinarizer => "sklearn.preprocessing.LabelBinarizer".into(),
            OneVsRestClassifier => "sklearn.multiclass.OneVsRestClassifier".into(),
            ConstantPredictor => "sklearn.multiclass._ConstantPredictor".into(),
            Pipeline => "sklearn.pipeline.Pipeline".into(),
            Reconstruct => "numpy.core.multiarray._reconstruct".into(),
            Scalar => "numpy.core.multiarray.scalar".into(),
            FromBuffer => "numpy.core.numeric._frombuffer".into(),
            NdArray => "numpy.ndarray".into(),
            Dtype => "numpy.dtype".into(),
            NumpyType(t) => format!("numpy.{t}"),
            JoblibArrayWrapper => "joblib.numpy_pickle.NumpyArrayWrapper".into(),
            CodecsEncode => "_codecs.encode".into(),
            ScipyCsr => "scipy.sparse.csr_matrix".into(),
            BuiltinSet => "builtins.set".into(),
        }
    }

    /// Whether `REDUCE`/`NEWOBJ` may record an instance of it.
    pub(crate) fn constructible(self) -> bool {
        !matches!(self, Global::NumpyType(_) | Global::NdArray)
    }
}
