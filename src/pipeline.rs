//! A vectorizer and a classifier as one model over raw text.
