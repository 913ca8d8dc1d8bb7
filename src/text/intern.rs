//! A string interner: terms get dense `u32` ids, their bytes live in one
//! arena, and lookups hash the token once and compare bytes once.
//!
//! This is the hot data structure of vectorizing: every token of every
//! document is looked up here. Compared with `HashMap<String, u32>` it
//! allocates nothing per term (one arena instead of one `String` each),
//! keeps the first 8 bytes, the length and 24 hash bits (or, in a counting
//! table, a 24-bit document tag) of each term in a 16-byte table slot so
//! that probing compares bytes only on a real match, and stores no per-term
//! hash (growing rehashes the terms: rare, and it keeps a fitted vocabulary
//! small). Lookups take a precomputed [`Key`], so a tokenizer can hash a
//! token (lowercased on the fly) while it scans it. The hash is a
//! multiply-add scheme in the style of `rustc-hash` 2 over 8-byte words,
//! with the length mixed in last: fast on short keys, not HashDoS-resistant,
//! which is fine for a corpus the caller supplies.
//!
//! ```
//! // Internal: exercised through every vectorizer.
//! use proba::text::CountVectorizer;
//! let cv = CountVectorizer::params().fit(&["one two two"])?;
//! assert_eq!(cv.term_index("two"), Some(1));
//! # Ok::<(), proba::Error>(())
//! ```

use std::fmt;

const K: u64 = 0xf135_7aea_2e62_a9c5;

/// The bytes of `b` (at most 8) as a little-endian `u64`, zero-padded,
/// without a `memcpy` call: overlapping fixed-size reads cover every length.
#[inline]
pub(crate) fn load_le(b: &[u8]) -> u64 {
    let n = b.len();
    let u32_at = |i: usize| -> u64 {
        match b.get(i..i + 4) {
            Some(&[x0, x1, x2, x3]) => u64::from(u32::from_le_bytes([x0, x1, x2, x3])),
            _ => 0,
        }
    };
    match n {
        0 => 0,
        1..=3 => {
            let at = |i: usize| u64::from(b.get(i).copied().unwrap_or(0));
            at(0) | (at(n / 2) << (8 * (n / 2))) | (at(n - 1) << (8 * (n - 1)))
        }
        4..=7 => u32_at(0) | (u32_at(n - 4) << (8 * (n - 4))),
        _ => match b.get(..8) {
            Some(&[x0, x1, x2, x3, x4, x5, x6, x7]) => {
                u64::from_le_bytes([x0, x1, x2, x3, x4, x5, x6, x7])
            }
            _ => 0,
        },
    }
}

/// One step of the term hash: mixes in the next 8 bytes (zero-padded).
#[inline(always)]
pub(crate) fn hash_step(h: u64, word: u64) -> u64 {
    h.wrapping_add(word).wrapping_mul(K)
}

/// The last step of the term hash: mixes in the length. The length comes
/// last so that a tokenizer can hash a token's words while it scans for the
/// token's end.
#[inline(always)]
pub(crate) fn hash_finish(h: u64, len: usize) -> u64 {
    hash_step(h, len as u64).rotate_left(26)
}

/// Hash of a term's UTF-8 bytes: [`hash_step`] over each 8 bytes (the last
/// word zero-padded), then [`hash_finish`].
#[inline]
pub(crate) fn hash_str(s: &str) -> u64 {
    let b = s.as_bytes();
    let mut h = 0;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        h = hash_step(h, load_le(c));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = hash_step(h, load_le(rest));
    }
    hash_finish(h, b.len())
}

/// ASCII uppercase letters of `x` (8 bytes) lowered; other bytes unchanged.
#[inline(always)]
pub(crate) fn fold_ascii(x: u64) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = LO << 7;
    let y = x & !HI;
    // High bit of each byte: ASCII byte >= c (no carries: 0x7f + 0x7f < 0x100).
    let ge = |c: u8| y.wrapping_add(LO * u64::from(0x80 - c)) & HI;
    let upper = ge(b'A') & !ge(b'Z' + 1) & !x;
    x | (upper >> 2)
}

/// A term to look up: its text with its hash and first 8 bytes computed
/// once. With `fold`, the text is ASCII and stands for its lowercase form
/// (the hash and `key` are those of the lowercase form): a tokenizer can
/// then look up words of a document it never copied to lowercase.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Key<'t> {
    pub(crate) text: &'t str,
    pub(crate) fold: bool,
    pub(crate) hash: u64,
    /// The first 8 bytes (lowercased with `fold`), zero-padded.
    pub(crate) key: u64,
}

impl<'t> Key<'t> {
    /// The key of `s` as it is.
    #[inline]
    pub(crate) fn new(s: &'t str) -> Self {
        Key {
            text: s,
            fold: false,
            hash: hash_str(s),
            key: key8(s.as_bytes()),
        }
    }

    /// Does `stored` (a term's bytes) equal this key's (lowercased) text?
    #[inline]
    fn matches(&self, stored: &[u8]) -> bool {
        let b = self.text.as_bytes();
        if !self.fold {
            return eq_bytes(stored, b);
        }
        stored.len() == b.len()
            && stored
                .chunks(8)
                .zip(b.chunks(8))
                .all(|(x, y)| load_le(x) == fold_ascii(load_le(y)))
    }
}

/// A 16-byte table slot. `key` = the term's first 8 bytes, zero-padded;
/// `id1` = id + 1, 0 for an empty slot; `aux` = the length (capped at 255)
/// in the low 8 bits and, above, either 24 bits of the hash (a plain
/// vocabulary: one more filter before comparing long terms) or the caller's
/// 24-bit tag (a counting table, see [`Interner::intern_tagged`]).
#[derive(Clone, Copy, Default)]
struct Slot {
    key: u64,
    id1: u32,
    aux: u32,
}

/// The `aux` bits that identify a term: its length, and hash bits unless
/// the table keeps tags there.
#[inline]
fn aux_of<const TAGS: bool>(h: u64, len: usize) -> u32 {
    let len = len.min(255) as u32;
    if TAGS {
        len
    } else {
        ((h >> 40) as u32) << 8 | len
    }
}

/// The first 8 bytes of `b`, zero-padded.
#[inline]
fn key8(b: &[u8]) -> u64 {
    load_le(b.get(..8).unwrap_or(b))
}

/// Byte equality with an inline path for short terms (most words), which
/// avoids a `memcmp` call per token.
#[inline]
fn eq_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.len() <= 16 {
        let split = |s: &[u8]| {
            let (x, y) = s.split_at(s.len().min(8));
            (load_le(x), load_le(y))
        };
        return split(a) == split(b);
    }
    a == b
}

/// Terms with dense ids `0..len()`, in insertion order. With `TAGS`, each
/// table slot also holds a 24-bit tag for the caller (a counter keeps the
/// last document that saw the term there, on the cache line the lookup
/// already loaded).
#[derive(Clone, Default)]
pub(crate) struct Interner<const TAGS: bool = false> {
    /// Open addressing, linear probing, 16-byte slots. Each slot holds the
    /// term's first 8 bytes, so a lookup of a short term (most words)
    /// touches only the table.
    table: Vec<Slot>,
    /// `ends[id]` is the end of term `id` in `text`; it starts at `ends[id - 1]` (or 0).
    ends: Vec<usize>,
    text: String,
    /// With `TAGS` (a counting table, which grows many times while it
    /// counts a corpus): the low 32 bits of each term's hash, so that
    /// growing re-places a term without reading and hashing its text.
    hashes: Vec<u32>,
}

impl<const TAGS: bool> fmt::Debug for Interner<TAGS> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Interner({} terms)", self.len())
    }
}

impl<const TAGS: bool> Interner<TAGS> {
    /// An interner sized for about `n` terms.
    pub(crate) fn with_capacity(n: usize) -> Self {
        let cap = (n.max(8) * 2).next_power_of_two();
        Self {
            table: vec![Slot::default(); cap],
            ends: Vec::with_capacity(n),
            text: String::new(),
            hashes: Vec::new(),
        }
    }

    /// The interner of `terms`, with term `i` as id `i`; `Err(i)` if term
    /// `i` repeats an earlier one.
    ///
    /// Faster than interning one by one for a whole vocabulary (a loaded
    /// model's): the slots are filled in the order of their home slots, so
    /// the table is written front to back instead of at random (a 10^5-term
    /// table is megabytes, far beyond the cache).
    pub(crate) fn from_terms<S: AsRef<str>>(terms: &[S]) -> Result<Self, usize> {
        let mut t = Self::with_capacity(terms.len());
        if terms.len() > (u32::MAX >> 2) as usize {
            // Home slots would not fit the packed sort key: one by one.
            for (id, s) in terms.iter().enumerate() {
                if !t.intern(s.as_ref()).1 {
                    return Err(id);
                }
            }
            return Ok(t);
        }
        t.text.reserve(terms.iter().map(|s| s.as_ref().len()).sum());
        let mask = t.table.len() - 1;
        // (home slot, id) packed for one integer sort: both fit in 32 bits.
        let mut order: Vec<u64> = Vec::with_capacity(terms.len());
        for (id, s) in terms.iter().enumerate() {
            let s = s.as_ref();
            t.text.push_str(s);
            t.ends.push(t.text.len());
            let home = (hash_str(s) as usize & mask) as u64;
            order.push(home << 32 | id as u64);
        }
        order.sort_unstable();
        for packed in order {
            let id = (packed & u64::from(u32::MAX)) as usize;
            let k = Key::new(terms[id].as_ref());
            match t.find(&k) {
                Ok(_) => return Err(id),
                Err(slot) => {
                    t.table[slot] = Slot {
                        key: k.key,
                        id1: id as u32 + 1,
                        aux: aux_of::<TAGS>(k.hash, k.text.len()),
                    };
                }
            }
        }
        Ok(t)
    }

    /// Number of terms.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Term `id` (empty if out of range).
    #[inline]
    pub(crate) fn term(&self, id: u32) -> &str {
        let id = id as usize;
        let end = self.ends.get(id).copied().unwrap_or(0);
        let start = if id == 0 {
            0
        } else {
            self.ends.get(id - 1).copied().unwrap_or(0)
        };
        self.text.get(start..end).unwrap_or("")
    }

    /// `Ok((id, slot))` if present, else `Err(slot)`: the empty slot where it would go.
    #[inline]
    fn find(&self, k: &Key<'_>) -> Result<(u32, usize), usize> {
        let mask = self.table.len().wrapping_sub(1);
        let mut i = (k.hash as usize) & mask;
        let len = k.text.len();
        let want = aux_of::<TAGS>(k.hash, len);
        let filter = if TAGS { 0xff } else { u32::MAX };
        loop {
            match self.table.get(i) {
                None => return Err(i),
                Some(slot) if slot.id1 == 0 => return Err(i),
                Some(slot) => {
                    if slot.aux & filter == want && slot.key == k.key {
                        let id = slot.id1.wrapping_sub(1);
                        if len <= 8 || k.matches(self.term(id).as_bytes()) {
                            return Ok((id, i));
                        }
                    }
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Whether the table has outgrown the caches (2 MB), so that lookups
    /// wait on memory unless their slots are prefetched.
    #[inline]
    pub(crate) fn beyond_cache(&self) -> bool {
        self.table.len() >= 1 << 17
    }

    /// The low 32 bits of term `id`'s hash, if the table keeps them (a
    /// counting table: see `hashes`); enough to [`prefetch`](Self::prefetch)
    /// its slot in another table of up to 2^32 slots.
    #[inline]
    pub(crate) fn stored_hash(&self, id: usize) -> Option<u64> {
        self.hashes.get(id).map(|&h| u64::from(h))
    }

    /// Starts loading the table slot where a lookup of a term with this
    /// hash begins (a hint: call it a few lookups ahead).
    #[inline(always)]
    pub(crate) fn prefetch(&self, hash: u64) {
        let mask = self.table.len().wrapping_sub(1);
        if let Some(slot) = self.table.get((hash as usize) & mask) {
            crate::prefetch::prefetch(slot);
        }
    }

    /// The id of `s`, if interned.
    #[inline]
    pub(crate) fn get(&self, s: &str) -> Option<u32> {
        self.get_key(&Key::new(s))
    }

    /// The id of the key's term, if interned.
    #[inline]
    pub(crate) fn get_key(&self, k: &Key<'_>) -> Option<u32> {
        if self.table.is_empty() {
            return None;
        }
        self.find(k).ok().map(|(id, _)| id)
    }

    /// The id of `s`, inserting it if absent; also says whether it was new.
    #[inline]
    pub(crate) fn intern(&mut self, s: &str) -> (u32, bool) {
        self.intern_key(&Key::new(s))
    }

    /// The id of the key's term, inserting it if absent; also says whether
    /// it was new.
    #[inline]
    pub(crate) fn intern_key(&mut self, k: &Key<'_>) -> (u32, bool) {
        let (id, new, _) = self.intern_tagged(k);
        (id, new)
    }

    /// Like [`intern_key`](Self::intern_key), also giving the term's slot
    /// `aux` word, whose upper 24 bits are the caller's tag when `TAGS`
    /// (0 for a new term; keep the low 8 bits).
    #[inline]
    pub(crate) fn intern_tagged(&mut self, k: &Key<'_>) -> (u32, bool, Option<&mut u32>) {
        if (self.len() + 1) * 2 > self.table.len() {
            self.grow();
        }
        match self.find(k) {
            Ok((id, slot)) => (id, false, self.table.get_mut(slot).map(|t| &mut t.aux)),
            Err(slot) => {
                let id = self.len() as u32;
                if k.fold {
                    self.text
                        .extend(k.text.chars().map(|c| c.to_ascii_lowercase()));
                } else {
                    self.text.push_str(k.text);
                }
                self.ends.push(self.text.len());
                if TAGS {
                    self.hashes.push(k.hash as u32);
                }
                let t = self.table.get_mut(slot);
                let value = t.map(|t| {
                    *t = Slot {
                        key: k.key,
                        id1: id + 1,
                        aux: aux_of::<TAGS>(k.hash, k.text.len()),
                    };
                    &mut t.aux
                });
                (id, true, value)
            }
        }
    }

    fn grow(&mut self) {
        let cap = (self.table.len() * 2).max(16);
        let mask = cap - 1;
        let mut table = vec![Slot::default(); cap];
        let stored = TAGS && mask <= u32::MAX as usize && self.hashes.len() == self.len();
        for slot in self.table.iter().filter(|s| s.id1 != 0) {
            let id = slot.id1.wrapping_sub(1);
            let hash = match self.hashes.get(id as usize) {
                Some(&h) if stored => u64::from(h),
                _ => hash_str(self.term(id)),
            };
            let mut i = (hash as usize) & mask;
            while table[i].id1 != 0 {
                i = (i + 1) & mask;
            }
            table[i] = *slot;
        }
        self.table = table;
    }

    /// Sets every term's tag back to 0 (with `TAGS`).
    pub(crate) fn reset_tags(&mut self) {
        if TAGS {
            self.table.iter_mut().for_each(|s| s.aux &= 0xff);
        }
    }

    /// Frees the lookup table and spare capacity: the terms stay
    /// readable by id (`len`, `term`); lookups no longer find them and
    /// nothing may be interned afterwards.
    pub(crate) fn compact(&mut self) {
        self.table = Vec::new();
        self.hashes = Vec::new();
        self.ends.shrink_to_fit();
        self.text.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_le_is_the_zero_padded_little_endian_value() {
        let bytes: Vec<u8> = (1..=8).collect();
        for n in 0..=8 {
            let mut w = [0u8; 8];
            w[..n].copy_from_slice(&bytes[..n]);
            assert_eq!(load_le(&bytes[..n]), u64::from_le_bytes(w), "length {n}");
        }
    }

    #[test]
    fn interns_and_finds() {
        let mut t: Interner = Interner::default();
        let words = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "abcdefgh",
            "abcdefghi",
            "abcdefgh\0",
            "é",
            "東京",
        ];
        for (i, w) in words.iter().enumerate() {
            assert_eq!(t.intern(w).0, i as u32);
        }
        for _ in 0..3 {
            for (i, w) in words.iter().enumerate() {
                assert_eq!(t.intern(w).0, i as u32);
                assert_eq!(t.get(w), Some(i as u32));
                assert_eq!(t.term(i as u32), *w);
            }
        }
        assert_eq!(t.get("zz"), None);
        assert_eq!(Interner::<false>::default().get("a"), None);
        let many: Vec<String> = (0..10_000).map(|i| format!("w{i}")).collect();
        for w in &many {
            t.intern(w);
        }
        assert_eq!(t.len(), words.len() + many.len());
        assert_eq!(t.get("w9999"), Some((words.len() + 9999) as u32));
        let hashes: std::collections::HashSet<u64> = words.iter().map(|w| hash_str(w)).collect();
        assert_eq!(hashes.len(), words.len());
    }

    #[test]
    fn from_terms_gives_the_ids_of_interning_one_by_one() {
        let many: Vec<String> = (0..5000).map(|i| format!("t{}", i * 7919 % 5003)).collect();
        let bulk: Interner = Interner::from_terms(&many).unwrap();
        let mut one: Interner = Interner::default();
        for (i, w) in many.iter().enumerate() {
            assert_eq!(one.intern(w), (i as u32, true));
            assert_eq!(bulk.get(w), Some(i as u32));
            assert_eq!(bulk.term(i as u32), w);
        }
        assert_eq!((bulk.len(), bulk.get("t5003")), (5000, None));
        // The later of two equal terms is reported, wherever they are.
        let mut dup = many.clone();
        dup.insert(4000, many[17].clone());
        assert_eq!(Interner::<false>::from_terms(&dup).unwrap_err(), 4000);
        assert!(Interner::<false>::from_terms::<&str>(&[]).unwrap().len() == 0);
    }

    #[test]
    fn folded_keys_find_and_store_the_lowercase_term() {
        let mut t: Interner = Interner::default();
        // A folded key finds and stores the lowercase term.
        for w in ["ABCDEFGHIJKLMNOPQRS", "Abcdefgh", "aBcDeFgHi", "Zz"] {
            let lower = w.to_ascii_lowercase();
            let b = lower.as_bytes();
            let k = Key {
                text: w,
                fold: true,
                hash: hash_str(&lower),
                key: load_le(&b[..b.len().min(8)]),
            };
            let (id, new) = t.intern_key(&k);
            assert!(new);
            assert_eq!(t.term(id), lower);
            assert_eq!(t.get(&lower), Some(id));
            assert_eq!(t.get_key(&k), Some(id));
            assert_eq!(t.get(w), None);
        }
        assert_eq!(
            fold_ascii(u64::from_le_bytes(*b"@AZ[`az\xc3")),
            u64::from_le_bytes(*b"@az[`az\xc3")
        );
    }
}
