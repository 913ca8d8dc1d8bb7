//! Generators shared by the fuzz targets: odd text, odd floats, small matrices.

use arbitrary::{Result, Unstructured};
use ndarray::Array2;
use proba::CsrMatrix;

/// Code points that have broken text pipelines before: combining marks,
/// case-mapping oddities (İ lowercases to two chars, ǅ is titlecase, ß,
/// final sigma), width/joiner controls, BOM, NUL, replacement char, the
/// last code point, fullwidth and ligature compatibility forms, RTL,
/// CJK, emoji with skin-tone modifier, Python-vs-Unicode `\w` edge cases.
const ODD: &[char] = &[
    ' ',
    ' ',
    ' ',
    '\t',
    '\n',
    '\r',
    '\u{0b}',
    '\u{0c}',
    '\u{1c}',
    '\u{85}',
    '\u{a0}',
    '\u{2028}',
    '\u{3000}',
    'a',
    'b',
    'e',
    'z',
    'A',
    'Z',
    '0',
    '9',
    '_',
    '-',
    '.',
    '\'',
    '@',
    '\u{0}',
    '\u{301}',
    '\u{307}',
    '\u{345}',
    'é',
    'É',
    'ß',
    'ẞ',
    'İ',
    'ı',
    'ǅ',
    'Σ',
    'ς',
    'σ',
    'ﬁ',
    'ﬀ',
    '½',
    '²',
    'Ⅻ',
    '①',
    'Ａ',
    'ｚ',
    '\u{200b}',
    '\u{200c}',
    '\u{200d}',
    '\u{feff}',
    '\u{fffd}',
    '\u{10ffff}',
    '\u{e000}',
    'ا',
    'ب',
    '\u{64b}',
    'ह',
    '\u{94d}',
    '中',
    '文',
    '😀',
    '\u{1f3fd}',
    '\u{1d7d8}',
    'ᾼ',
    'ŉ',
    'ǰ',
    '\u{0345}',
    'Ω',
    'K',
    '\u{2126}',
    '\u{212a}',
];

/// True with probability `1/n`, and false once the input is exhausted (so
/// short inputs take the ordinary path, not the unusual one).
pub fn rare(u: &mut Unstructured, n: u8) -> Result<bool> {
    Ok(u.int_in_range(0..=n.max(1) - 1)? == n.max(1) - 1)
}

/// One character: usually from `ODD`, sometimes any scalar value.
pub fn odd_char(u: &mut Unstructured) -> Result<char> {
    Ok(if u.ratio(1, 6)? {
        char::from_u32(u.int_in_range(0..=0x10_FFFF)?).unwrap_or('\u{fffd}')
    } else {
        *u.choose(ODD)?
    })
}

/// A short text of odd characters (up to `max` chars).
pub fn odd_text(u: &mut Unstructured, max: usize) -> Result<String> {
    let n = u.int_in_range(0..=max)?;
    (0..n).map(|_| odd_char(u)).collect()
}

/// Up to `max` documents.
pub fn docs(u: &mut Unstructured, max: usize, max_len: usize) -> Result<Vec<String>> {
    let n = u.int_in_range(0..=max)?;
    (0..n).map(|_| odd_text(u, max_len)).collect()
}

/// A float that stresses numerics: NaN, infinities, huge, tiny, subnormal,
/// signed zero, or an ordinary value.
pub fn odd_f64(u: &mut Unstructured) -> Result<f64> {
    const PALETTE: &[f64] = &[
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        2.0,
        3.0,
        1e300,
        -1e300,
        1e-300,
        -1e-300,
        5e-324,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        1e8,
        1e-8,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];
    Ok(match u.int_in_range(0..=3u8)? {
        0 => *u.choose(PALETTE)?,
        1 => f64::from_bits(u.arbitrary()?),
        _ => f64::from(u.int_in_range(-4..=4i8)?) * 0.25,
    })
}

/// An ordinary finite float (what a well-behaved caller passes).
pub fn plain_f64(u: &mut Unstructured) -> Result<f64> {
    Ok(f64::from(u.int_in_range(-8..=8i8)?) * 0.5)
}

/// A small dense matrix with structure that stresses learners: duplicate
/// rows, constant columns, odd values (when `odd`), or plain ones.
pub fn matrix(
    u: &mut Unstructured,
    max_rows: usize,
    max_cols: usize,
    odd: bool,
) -> Result<Array2<f64>> {
    // Counted down from the maximum so an exhausted input still gives a
    // non-empty matrix; empty ones come from explicit choices.
    let mut dim = |max: usize| -> Result<usize> {
        Ok(if max == 0 || rare(u, 16)? {
            0
        } else {
            max - u.int_in_range(0..=max - 1)?
        })
    };
    let n = dim(max_rows)?;
    let p = dim(max_cols)?;
    let mut x = Array2::zeros((n, p));
    for v in x.iter_mut() {
        *v = if odd && rare(u, 4)? {
            odd_f64(u)?
        } else {
            plain_f64(u)?
        };
    }
    if n > 1 && rare(u, 4)? {
        // duplicate a row
        let (a, b) = (u.choose_index(n)?, u.choose_index(n)?);
        let row = x.row(a).to_owned();
        x.row_mut(b).assign(&row);
    }
    if p > 0 && rare(u, 4)? {
        // a constant column
        let j = u.choose_index(p)?;
        let c = plain_f64(u)?;
        x.column_mut(j).fill(c);
    }
    Ok(x)
}

/// `x` as CSR (explicit zeros dropped).
pub fn csr(x: &Array2<f64>) -> CsrMatrix {
    CsrMatrix::from_dense(x.view())
}

/// Checks every CSR invariant through the public accessors.
pub fn assert_csr_valid(m: &CsrMatrix) {
    let (n, p) = m.shape();
    assert_eq!(m.indptr().len(), n + 1);
    assert_eq!(m.indptr()[0], 0);
    assert_eq!(m.indptr()[n], m.nnz());
    assert_eq!(m.indices().len(), m.nnz());
    assert_eq!(m.data().len(), m.nnz());
    for w in m.indptr().windows(2) {
        assert!(w[0] <= w[1], "indptr decreases");
    }
    for r in m.rows() {
        for w in r.indices().windows(2) {
            assert!(w[0] < w[1], "row indices not strictly increasing");
        }
        if let Some(&last) = r.indices().last() {
            assert!(last < p, "column {last} out of range {p}");
        }
    }
}

/// `n` labels over up to 4 classes; all equal now and then. An exhausted
/// input cycles through the classes rather than giving one class.
pub fn labels(u: &mut Unstructured, n: usize) -> Result<Vec<u8>> {
    if rare(u, 10)? {
        return Ok(vec![u.int_in_range(0..=3u8)?; n]);
    }
    let k = 4 - u.int_in_range(0..=2u8)?;
    (0..n)
        .map(|i| Ok((u.int_in_range(0..=k - 1)? + (i % usize::from(k)) as u8) % k))
        .collect()
}
