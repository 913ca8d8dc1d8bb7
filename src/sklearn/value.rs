//! Typed reading of decoded pickle values: "this is a str", "this object's
//! attribute `classes_`", with an error that says what was expected.

use super::globals::Global;
use super::pickle::{Obj, Value};
use crate::error::{Error, Result};

/// Read access to a decoded pickle's arena.
#[derive(Clone, Copy)]
pub(crate) struct View<'p, 'a> {
    /// The arena.
    pub(crate) objs: &'p [Obj<'a>],
    /// Bytes of array data the mapping may still decode: a file that
    /// references one big array from many places cannot make the mapping
    /// copy it without bound.
    pub(crate) budget: &'p std::sync::atomic::AtomicUsize,
}

pub(crate) fn shape_err(what: &str, expected: &str) -> Error {
    Error::Format(format!("sklearn: {what} is not {expected}"))
}

/// A scikit-learn estimator: its class and its `__dict__`.
#[derive(Clone, Copy)]
pub(crate) struct Estimator<'p> {
    /// Its class.
    pub(crate) class: Global,
    /// Its attributes, in pickle order.
    pub(crate) attrs: &'p [(Value, Value)],
}

impl<'p, 'a> View<'p, 'a> {
    /// Takes `n` bytes from the decoding budget.
    pub(crate) fn charge(&self, n: usize) -> Result<()> {
        use std::sync::atomic::Ordering::Relaxed;
        // Atomic: a forest's trees are read on several threads.
        self.budget
            .fetch_update(Relaxed, Relaxed, |left| left.checked_sub(n))
            .map(|_| ())
            .map_err(|_| {
                Error::Format(
                    "sklearn: the file references its arrays more often than a model does".into(),
                )
            })
    }

    pub(crate) fn obj(&self, v: Value) -> Option<&'p Obj<'a>> {
        match v {
            Value::Ref(i) => self.objs.get(i),
            _ => None,
        }
    }

    pub(crate) fn str(&self, v: Value) -> Option<&'p str> {
        match self.obj(v) {
            Some(Obj::Str(s)) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn bytes(&self, v: Value) -> Option<&'p [u8]> {
        match self.obj(v) {
            Some(Obj::Bytes(b)) => Some(b),
            Some(Obj::OwnedBytes(b)) => Some(b),
            _ => None,
        }
    }

    /// A tuple or a list.
    pub(crate) fn seq(&self, v: Value) -> Option<&'p [Value]> {
        match self.obj(v) {
            Some(Obj::Tuple(t)) | Some(Obj::List(t)) | Some(Obj::Set(t)) => Some(t),
            _ => None,
        }
    }

    pub(crate) fn dict(&self, v: Value) -> Option<&'p [(Value, Value)]> {
        match self.obj(v) {
            Some(Obj::Dict(d)) => Some(d),
            _ => None,
        }
    }

    /// The value under string key `key` of a dict.
    pub(crate) fn get(&self, d: &'p [(Value, Value)], key: &str) -> Option<Value> {
        d.iter()
            .rev()
            .find(|(k, _)| self.str(*k) == Some(key))
            .map(|(_, v)| *v)
    }

    /// An integer, also from a numpy integer scalar.
    pub(crate) fn int(&self, v: Value) -> Option<i64> {
        match v {
            Value::Int(i) => Some(i),
            Value::Bool(b) => Some(i64::from(b)),
            _ => super::numpy::scalar(self, v).and_then(|s| s.as_int()),
        }
    }

    /// The estimator object `v` (an instance of a scikit-learn class with a dict state).
    pub(crate) fn estimator(&self, v: Value) -> Result<Estimator<'p>> {
        match self.obj(v) {
            Some(Obj::Instance(i)) => {
                let Some(s) = i.state else {
                    return Err(shape_err(&i.class.name(), "a fitted object with state"));
                };
                let attrs = self.dict(s).ok_or_else(|| {
                    shape_err(&format!("the state of {}", i.class.name()), "a dict")
                })?;
                Ok(Estimator {
                    class: i.class,
                    attrs,
                })
            }
            _ => Err(shape_err("the pickled value", "a scikit-learn object")),
        }
    }
}

impl<'p> Estimator<'p> {
    /// Attribute `name`, or an error naming it.
    pub(crate) fn attr(&self, view: &View<'p, '_>, name: &str) -> Result<Value> {
        view.get(self.attrs, name).ok_or_else(|| {
            Error::Format(format!(
                "sklearn: {} has no attribute `{name}` (not fitted, or another version's layout)",
                self.class.name()
            ))
        })
    }

    /// Attribute `name` if present.
    pub(crate) fn opt(&self, view: &View<'p, '_>, name: &str) -> Option<Value> {
        view.get(self.attrs, name)
    }

    /// A boolean attribute.
    pub(crate) fn bool(&self, view: &View<'p, '_>, name: &str) -> Result<bool> {
        match self.attr(view, name)? {
            Value::Bool(b) => Ok(b),
            v => view
                .int(v)
                .filter(|i| *i == 0 || *i == 1)
                .map(|i| i == 1)
                .ok_or_else(|| self.bad(name, "a bool")),
        }
    }

    /// An error saying attribute `name` is not `expected`.
    pub(crate) fn bad(&self, name: &str, expected: &str) -> Error {
        shape_err(&format!("{}.{name}", self.class.name()), expected)
    }

    /// An unsupported-option error naming the option and its value.
    pub(crate) fn refuse(&self, name: &str, value: impl std::fmt::Display, why: &str) -> Error {
        Error::Unsupported(format!(
            "{}({name}={value}): {why}",
            self.class.name().rsplit('.').next().unwrap_or_default()
        ))
    }
}
