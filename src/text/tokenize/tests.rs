use super::*;
use crate::text::intern::hash_str;
use crate::text::intern::load_le;

fn toks(p: &str, s: &str) -> Vec<String> {
    let mut v = Vec::new();
    Tokenizer::new(p)
        .unwrap()
        .for_each(s, |t| v.push(t.to_string()));
    v
}

#[test]
fn ascii_word_set_is_exactly_alnum_and_underscore() {
    for b in 0u8..128 {
        assert_eq!(
            ascii_word(b),
            b.is_ascii_alphanumeric() || b == b'_',
            "byte {b}"
        );
    }
}

#[test]
fn default_pattern_matches_python_findall() {
    let d = DEFAULT_TOKEN_PATTERN;
    assert_eq!(
        toks(d, "don't stop-me now_2023: a1 x __"),
        ["don", "stop", "me", "now_2023", "a1", "__"]
    );
    assert_eq!(toks(d, "cafe\u{301} देवनागरी"), ["cafe", "वन", "गर"]);
    assert_eq!(
        toks(d, "i\u{307}stanbul x² 東京"),
        ["stanbul", "x²", "東京"]
    );
    assert_eq!(toks(d, ""), Vec::<String>::new());
    assert_eq!(toks(d, "😀ab😀c"), ["ab"]);
    assert!(matches!(
        Tokenizer::new(r"\b\w\w+\b"),
        Ok(Tokenizer::Default)
    ));
}

/// `default_keys` must find exactly `default_tokens`' tokens, with the
/// hash and key of their (lowercased with `fold`) text.
#[test]
fn keys_match_tokens_hashes_and_folding() {
    let pieces = [
        "a",
        "B",
        "z",
        "Z",
        "0",
        "9",
        "_",
        " ",
        ".",
        "-",
        "@",
        "[",
        "`",
        "{",
        "\n",
        "é",
        "É",
        "£",
        "’",
        "東",
        "\u{301}",
        "²",
        "abcdefgh",
        "ABCDEFGHIJ",
        "x_y_z_0123456789",
        "ÅNGSTRÖM",
        "İ",
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut texts: Vec<String> = vec![String::new(), "ab".into(), "Ab cD".into()];
    // Tokens ending on, crossing and spanning 64-byte blocks.
    for n in [62, 63, 64, 65, 127, 128, 129, 200] {
        texts.push("Q".repeat(n));
        texts.push(format!("{} {}", "w".repeat(n), "Zz".repeat(n / 3)));
        texts.push(format!("{}é{} x", "a ".repeat(n / 2), "B".repeat(n)));
    }
    for len in 0..400 {
        let mut t = String::new();
        for _ in 0..len % 40 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            t.push_str(pieces[(state >> 33) as usize % pieces.len()]);
        }
        texts.push(t);
    }
    for t in &texts {
        for fold in [false, true] {
            if fold && !t.is_ascii() {
                continue;
            }
            let src = if fold {
                t.to_ascii_lowercase()
            } else {
                t.clone()
            };
            let mut want = Vec::new();
            default_tokens(&src, |w| want.push(w.to_string()));
            let mut got = Vec::new();
            default_keys(t, fold, |k| {
                let text = if k.fold {
                    k.text.to_ascii_lowercase()
                } else {
                    k.text.to_string()
                };
                assert_eq!(k.hash, hash_str(&text), "{text:?} in {t:?}");
                let b = text.as_bytes();
                assert_eq!(k.key, load_le(&b[..b.len().min(8)]), "{text:?}");
                got.push(text);
            });
            assert_eq!(got, want, "{t:?} fold={fold}");
        }
    }
}

#[test]
fn regex_patterns_follow_the_capture_group_rule() {
    assert_eq!(toks(r"\S+", "a b,c  d"), ["a", "b,c", "d"]);
    assert_eq!(toks(r"#(\w+)", "#x y #zz"), ["x", "zz"]);
    assert_eq!(toks(r"a|(b)", "ab"), ["", "b"]);
    let e = Tokenizer::new(r"(a)(b)").unwrap_err().to_string();
    assert!(
        e.contains("token_pattern") && e.contains("2 capture groups"),
        "{e}"
    );
    let e = Tokenizer::new(r"(unclosed").unwrap_err().to_string();
    assert!(e.contains("token_pattern"), "{e}");
}
