//! Text feature extraction: tokenizer, stop words, `CountVectorizer`, `TfidfVectorizer`.
