//! Train/test splitting and k-fold cross-validation, stratified and seeded.
