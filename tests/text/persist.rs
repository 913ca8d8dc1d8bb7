//! Saving and loading fitted vectorizers: bit-identical output after a
//! round trip, and altered files refused at load.

use proba::io;
use proba::text::{CountVectorizer, StopWords, StripAccents, TfidfVectorizer};
use proba::Error;

const DOCS: [&str; 4] = [
    "Café au lait",
    "the cat sat on the mat",
    "un café, s'il vous plaît",
    "mat",
];

#[test]
fn round_trip_is_exact() {
    let v = TfidfVectorizer::params()
        .strip_accents(StripAccents::Unicode)
        .stop_words(StopWords::English)
        .ngram_range(1, 2)
        .token_pattern(r"[a-z]+")
        .sublinear_tf(true)
        .fit(&DOCS)
        .unwrap();
    let s = io::to_string(&v).unwrap();
    let back: TfidfVectorizer = io::from_str(&s).unwrap();
    assert_eq!(back.feature_names(), v.feature_names());
    assert_eq!(back.transform(&DOCS).unwrap(), v.transform(&DOCS).unwrap());
    assert_eq!(back.term_index("cafe"), v.term_index("cafe"));

    let c = CountVectorizer::params()
        .vocabulary(["mat", "cat"])
        .fit(&DOCS)
        .unwrap();
    let back: CountVectorizer = io::from_str(&io::to_string(&c).unwrap()).unwrap();
    assert_eq!(back.feature_names(), ["mat", "cat"]);
    assert!(back.fixed_vocabulary());
    assert_eq!(back.transform(&DOCS).unwrap(), c.transform(&DOCS).unwrap());
}

#[test]
fn altered_files_are_refused() {
    let v = TfidfVectorizer::params().fit(&DOCS).unwrap();
    let s = io::to_string(&v).unwrap();
    let cases = [
        // A duplicated term.
        s.replacen("\"cafe\"", "\"cat\"", 1)
            .replacen("\"café\"", "\"cat\"", 1),
        // An idf value dropped.
        s.replace(",1.916290731874155]", "]"),
        // A negative or broken idf.
        s.replacen("\"idf\":[", "\"idf\":[-", 1),
        // use_idf off while idf values are present.
        s.replace("\"use_idf\":true", "\"use_idf\":false"),
        // A bad n-gram range and a bad regex.
        s.replace("\"ngram_range\":[1,1]", "\"ngram_range\":[2,1]"),
        s.replace(
            "\"token_pattern\":\"(?u)\\\\b\\\\w\\\\w+\\\\b\"",
            "\"token_pattern\":\"(\"",
        ),
        // An unsorted learned vocabulary.
        s.replacen("\"au\"", "\"zz\"", 1),
    ];
    for (k, bad) in cases.iter().enumerate() {
        assert_ne!(bad, &s, "case {k} did not alter the file");
        match io::from_str::<TfidfVectorizer>(bad) {
            Err(Error::Format(_) | Error::Json(_)) => {}
            other => panic!("case {k}: expected a Format error, got {other:?}"),
        }
    }
    // A count vectorizer file is not a TF-IDF one.
    let c = io::to_string(&CountVectorizer::params().fit(&DOCS).unwrap()).unwrap();
    assert!(io::from_str::<TfidfVectorizer>(&c).is_err());
}
