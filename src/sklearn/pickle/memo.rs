//! Python's pickle memo, as a vector for the keys `pickle.dump` writes.

use std::collections::HashMap;

use super::Value;

/// Python's pickle memo. Keys come in order 0, 1, 2... (MEMOIZE uses the
/// memo's size; BINPUT/LONG_BINPUT as written by `pickle.dump` count the
/// same way), so they live in a vector; any other key, which only a
/// hand-made file has, in a map. No key ever sizes an allocation.
#[derive(Default)]
pub(super) struct Memo {
    dense: Vec<Value>,
    sparse: HashMap<u32, Value>,
}

impl Memo {
    /// Number of keys (MEMOIZE's next key).
    pub(super) fn len(&self) -> usize {
        self.dense.len() + self.sparse.len()
    }

    pub(super) fn insert(&mut self, key: u32, v: Value) {
        let k = key as usize;
        if k < self.dense.len() {
            self.dense[k] = v;
        } else if k == self.dense.len() {
            self.dense.push(v);
            // Keys stored out of order that now continue the run.
            while !self.sparse.is_empty() {
                let Some(next) = self.sparse.remove(&(self.dense.len() as u32)) else {
                    break;
                };
                self.dense.push(next);
            }
        } else {
            self.sparse.insert(key, v);
        }
    }

    pub(super) fn get(&self, key: u32) -> Option<Value> {
        self.dense
            .get(key as usize)
            .or_else(|| self.sparse.get(&key))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::{Memo, Value};

    #[test]
    pub(super) fn the_memo_keeps_python_semantics_for_keys_in_any_order() {
        let mut m = Memo::default();
        m.insert(0, Value::Int(0));
        m.insert(2, Value::Int(2)); // ahead of the run
        assert_eq!(m.len(), 2);
        assert_eq!(m.get(1), None);
        m.insert(1, Value::Int(1)); // joins 0 and 2
        assert_eq!((m.len(), m.dense.len()), (3, 3));
        m.insert(1, Value::Int(10)); // overwrite
        assert_eq!(m.get(1), Some(Value::Int(10)));
        m.insert(u32::MAX, Value::Bool(true)); // no allocation from the key
        assert_eq!(m.get(u32::MAX), Some(Value::Bool(true)));
        assert_eq!(m.len(), 4);
    }
}
