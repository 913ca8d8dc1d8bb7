//! Ensembles of trees: `RandomForestClassifier`.
