//! Multilabel classification: `MultiLabelBinarizer`, `OneVsRestClassifier`.
