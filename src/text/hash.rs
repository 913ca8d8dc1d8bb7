//! A small, fast, non-cryptographic hasher for the term maps.
//!
//! Vectorizing spends most of its time looking short strings up in hash
//! maps; std's SipHash is built to resist adversarial keys and costs several
//! times more per lookup. This is the multiply-add scheme of `rustc-hash` 2
//! (whose maps hold attacker-free, compiler-internal keys), written out here
//! in a few lines instead of adding a dependency. The term maps are built
//! from the caller's own corpus, so HashDoS is not a concern that justifies
//! the slower hasher.
//!
//! ```
//! // Internal: exercised through every vectorizer.
//! use proba::text::CountVectorizer;
//! let cv = CountVectorizer::params().fit(&["one two two"])?;
//! assert_eq!(cv.term_index("two"), Some(1));
//! # Ok::<(), proba::Error>(())
//! ```

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

const K: u64 = 0xf135_7aea_2e62_a9c5;

/// Multiply-add hasher (the `rustc-hash` 2 scheme).
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.hash = self.hash.wrapping_add(w).wrapping_mul(K);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash.rotate_left(26)
    }
}

/// `HashMap` with [`FxHasher`].
pub(crate) type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
/// `HashSet` with [`FxHasher`].
pub(crate) type FxHashSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    fn h(s: &str) -> u64 {
        BuildHasherDefault::<FxHasher>::default().hash_one(s)
    }

    #[test]
    fn distinguishes_lengths_and_contents() {
        let words = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "abcdefgh",
            "abcdefghi",
            "abcdefgh\0",
        ];
        let hashes: FxHashSet<u64> = words.iter().map(|w| h(w)).collect();
        assert_eq!(hashes.len(), words.len());
        let mut m: FxHashMap<String, u32> = FxHashMap::default();
        for (i, w) in words.iter().enumerate() {
            m.insert(w.to_string(), i as u32);
        }
        assert_eq!(m.get("abcdefghi"), Some(&6));
    }
}
