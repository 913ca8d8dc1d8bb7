//! MurmurHash3 x86 32-bit, the hash scikit-learn's `HashingVectorizer`
//! applies (seed 0) to the UTF-8 bytes of each feature.
//!
//! `fold` hashes the ASCII-lowercase form of the bytes without copying
//! them, so the tokenizer's fast path (which never lowercases an ASCII
//! document) can hash its tokens directly.

const C1: u32 = 0xcc9e_2d51;
const C2: u32 = 0x1b87_3593;

/// `to_ascii_lowercase` of four bytes at once (SWAR): a byte in `A..=Z`
/// gains bit 5; every other byte (zero padding, non-letters, bytes >= 0x80)
/// is left as it is.
#[inline(always)]
fn lower4(k: u32) -> u32 {
    const LOW7: u32 = 0x7f7f_7f7f;
    const HIGH: u32 = 0x8080_8080;
    let low = k & LOW7;
    // Bit 7 of each byte: `low >= 'A'`, and `low > 'Z'`.
    let ge_a = low.wrapping_add(0x3f3f_3f3f);
    let gt_z = low.wrapping_add(0x2525_2525);
    let upper = ge_a & !gt_z & !k & HIGH;
    k | (upper >> 2)
}

#[inline]
fn mix_k(mut k: u32) -> u32 {
    k = k.wrapping_mul(C1);
    k = k.rotate_left(15);
    k.wrapping_mul(C2)
}

/// MurmurHash3_x86_32 of `bytes` (ASCII-lowercased first with `fold`) with `seed`.
#[inline]
pub(crate) fn murmur3_32(bytes: &[u8], seed: u32, fold: bool) -> u32 {
    let mut h = seed;
    let mut blocks = bytes.chunks_exact(4);
    for b in blocks.by_ref() {
        let k = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let k = if fold { lower4(k) } else { k };
        h ^= mix_k(k);
        h = h.rotate_left(13);
        h = h.wrapping_mul(5).wrapping_add(0xe654_6b64);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        let mut k: u32 = 0;
        for (i, &b) in tail.iter().enumerate() {
            k |= u32::from(b) << (8 * i);
        }
        h ^= mix_k(if fold { lower4(k) } else { k });
    }
    // The length is taken modulo 2^32, as the C reference does.
    h ^= bytes.len() as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

/// scikit-learn's `_hashing_fast` rule for one feature: the column is
/// `abs(h) % n_features` with `h` the hash as a signed 32-bit integer
/// (`abs(-2^31)` defined as scikit-learn defines it), and the sign is
/// negative when `h < 0` (only used with `alternate_sign`).
#[inline]
pub(crate) fn column_and_sign(h: u32, n_features: u32) -> (u32, bool) {
    let s = h as i32;
    let col = if s == i32::MIN {
        (i32::MAX as u32 - (n_features - 1)) % n_features
    } else if n_features.is_power_of_two() {
        // The usual 2^k widths: a mask instead of a division per token.
        s.unsigned_abs() & (n_features - 1)
    } else {
        s.unsigned_abs() % n_features
    };
    (col, s < 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower4_lowercases_exactly_the_ascii_capitals_of_each_byte() {
        // Every byte value in every position, beside the bytes around the
        // capitals' range and high bytes (whose low 7 bits look like letters).
        let around = [
            0u8, b'@', b'A', b'Z', b'[', b'`', b'a', b'z', 0x80, 0xc1, 0xda, 0xff,
        ];
        for b in 0..=255u8 {
            for &o in &around {
                for pos in 0..4 {
                    let mut bytes = [o; 4];
                    bytes[pos] = b;
                    let want = u32::from_le_bytes(bytes.map(|c| c.to_ascii_lowercase()));
                    assert_eq!(lower4(u32::from_le_bytes(bytes)), want, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn power_of_two_widths_give_the_modulo_column() {
        let mut h = 0x9e37_79b9u32;
        for _ in 0..100_000 {
            h = h.wrapping_mul(0x0101_0193).wrapping_add(0x7f4a_7c15);
            for n in [1u32, 2, 1 << 10, 1 << 18, 1 << 20, 1 << 31] {
                let s = h as i32;
                let want = if s == i32::MIN {
                    (i32::MAX as u32 - (n - 1)) % n
                } else {
                    s.unsigned_abs() % n
                };
                assert_eq!(column_and_sign(h, n), (want, s < 0));
            }
        }
    }

    #[test]
    fn matches_reference_values() {
        // Values from sklearn.utils.murmurhash3_32(..., seed=0, positive=True).
        assert_eq!(murmur3_32(b"", 0, false), 0);
        assert_eq!(murmur3_32(b"", 1, false), 0x514e_28b7);
        assert_eq!(murmur3_32(b"foo", 0, false), 4_138_058_784);
        assert_eq!(murmur3_32(b"Hello, world!", 0, false), 0xc036_3e43);
    }

    #[test]
    fn fold_hashes_the_lowercase_form() {
        for s in ["", "A", "AbC", "ABCD", "HelloWorld!", "MiXeD-CaSe-1234"] {
            let low = s.to_ascii_lowercase();
            assert_eq!(
                murmur3_32(s.as_bytes(), 0, true),
                murmur3_32(low.as_bytes(), 0, false)
            );
        }
    }

    #[test]
    fn min_i32_column_follows_scikit_learn() {
        assert_eq!(
            column_and_sign(0x8000_0000, 10),
            ((i32::MAX as u32 - 9) % 10, true)
        );
        assert_eq!(column_and_sign(5, 3), (2, false));
        assert_eq!(column_and_sign((-5i32) as u32, 3), (2, true));
    }
}
