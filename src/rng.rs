//! The random numbers scikit-learn's trees, forests and SGD draw, reproduced
//! exactly: numpy's legacy `RandomState` (MT19937 with its masked-rejection
//! `randint` and 53-bit `random_sample`) and the tree builder's xorshift32
//! ([parity §4.3](crate::parity)). With them a seed means the same bootstrap draws
//! and the same feature visiting order as in scikit-learn.

/// Largest value of the tree builder's xorshift output (`RAND_R_MAX`).
pub(crate) const RAND_R_MAX: u32 = 0x7FFF_FFFF;

const N: usize = 624;
const M: usize = 397;

/// MT19937 seeded like numpy's `RandomState(seed)` (`init_genrand`).
#[derive(Clone)]
pub(crate) struct Mt19937 {
    state: [u32; N],
    index: usize,
}

impl Mt19937 {
    /// The generator numpy's `RandomState(seed)` starts from.
    pub(crate) fn new(seed: u32) -> Self {
        let mut state = [0u32; N];
        state[0] = seed;
        for i in 1..N {
            let prev = state[i - 1];
            state[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        Self { state, index: N }
    }

    fn twist(&mut self) {
        for i in 0..N {
            let y = (self.state[i] & 0x8000_0000) | (self.state[(i + 1) % N] & 0x7FFF_FFFF);
            let mag = if y & 1 == 1 { 0x9908_B0DF } else { 0 };
            self.state[i] = self.state[(i + M) % N] ^ (y >> 1) ^ mag;
        }
        self.index = 0;
    }

    /// The next tempered 32-bit output.
    pub(crate) fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C_5680;
        y ^= (y << 15) & 0xEFC6_0000;
        y ^= y >> 18;
        y
    }

    /// numpy legacy `randint(low, high)` (`high > low`): masked rejection
    /// sampling, one 32-bit output per attempt.
    pub(crate) fn randint(&mut self, low: u32, high: u32) -> u32 {
        let range = high.saturating_sub(low).saturating_sub(1);
        if range == 0 {
            return low;
        }
        let mut mask = range;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        loop {
            let v = self.next_u32() & mask;
            if v <= range {
                return low + v;
            }
        }
    }

    /// numpy `random_sample()`: a double in [0, 1) from two outputs.
    pub(crate) fn random_sample(&mut self) -> f64 {
        let a = (self.next_u32() >> 5) as f64;
        let b = (self.next_u32() >> 6) as f64;
        (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }
}

/// The tree builder's xorshift32 (`rand_r` in scikit-learn's `_utils.pyx`).
#[derive(Clone, Copy)]
pub(crate) struct XorShift(u32);

impl XorShift {
    /// The builder RNG of a tree with `random_state = seed`: one `randint(0,
    /// RAND_R_MAX)` from a fresh `RandomState(seed)`.
    pub(crate) fn for_tree(seed: u32) -> Self {
        XorShift(Mt19937::new(seed).randint(0, RAND_R_MAX))
    }

    /// The generator started from `seed` itself (`our_rand_r(&seed)`).
    pub(crate) fn from_seed(seed: u32) -> Self {
        XorShift(seed)
    }

    /// The next value in `0..=RAND_R_MAX` (`our_rand_r`).
    pub(crate) fn next(&mut self) -> u32 {
        if self.0 == 0 {
            self.0 = 1;
        }
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x % (RAND_R_MAX + 1)
    }

    /// A value in `low..high` (`high > low`), as scikit-learn's `rand_int`.
    #[inline]
    pub(crate) fn rand_int(&mut self, low: usize, high: usize) -> usize {
        let span = high.saturating_sub(low).max(1);
        low + (self.next() as usize) % span
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forest_seeds_match_numpy() {
        // parity §4.3: RandomState(0).randint(0, 2**31 - 1) twice.
        let mut rs = Mt19937::new(0);
        assert_eq!(rs.randint(0, 0x7FFF_FFFF), 209_652_396);
        assert_eq!(rs.randint(0, 0x7FFF_FFFF), 398_764_591);
    }

    #[test]
    fn random_sample_matches_numpy() {
        // numpy: np.random.RandomState(0).random_sample() == 0.5488135039273248
        let mut rs = Mt19937::new(0);
        assert_eq!(rs.random_sample(), 0.548_813_503_927_324_8);
    }

    #[test]
    fn xorshift_stays_in_range() {
        let mut r = XorShift(0);
        for _ in 0..1000 {
            let v = r.rand_int(3, 10);
            assert!((3..10).contains(&v));
        }
    }
}
