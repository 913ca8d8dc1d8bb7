//! A pickle opcode interpreter that builds plain values and never calls
//! anything.
//!
//! Python's unpickler *executes* the file: `GLOBAL` imports whatever module
//! it names and `REDUCE` calls it. Here `GLOBAL` only resolves a name against
//! [`Global`]'s allow-list (anything else is [`Error::Unsupported`] naming
//! it), and `REDUCE`/`NEWOBJ`/`BUILD` only *record* the callable, its
//! arguments and its state in an [`Obj::Instance`], for the model mapping to
//! read. The only "call" interpreted is `_codecs.encode(text, 'latin1')`,
//! which protocol 2 uses for `bytes`.
//!
//! Values live in an arena ([`Pickle::objs`]) and refer to each other by
//! index, so the memo shares objects as Python does and a self-referencing
//! file cannot make a cyclic owner. Every opcode consumes at least one byte
//! and creates at most one arena entry, and every length is checked against
//! the bytes that remain before anything is allocated, so memory stays a
//! small multiple of the input and the loop always ends.

mod machine;
mod memo;
mod objects;
mod reader;

use super::globals::Global;
use crate::error::{Error, Result};
use machine::Machine;

/// A value on the stack or inside a container: scalars inline, everything
/// else an index into the arena.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Value {
    /// Python `None`.
    None,
    /// Python `bool`.
    Bool(bool),
    /// A Python `int` that fits in 64 bits.
    Int(i64),
    /// A Python `float`.
    Float(f64),
    /// An object in the arena.
    Ref(usize),
}

/// How an [`Obj::Instance`] was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Made {
    /// `REDUCE`: `callable(*args)`.
    Reduce,
    /// `NEWOBJ`/`NEWOBJ_EX`: `cls.__new__(cls, *args)`.
    NewObj,
}

/// An object in the arena.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Obj<'a> {
    /// `str`, borrowed from the input (checked UTF-8): no allocation per
    /// string, which a vocabulary of 10^5 terms would otherwise pay twice.
    Str(&'a str),
    /// `bytes` or `bytearray`, borrowed from the input.
    Bytes(&'a [u8]),
    /// `bytes` made by `_codecs.encode(text, 'latin1')` (protocol 2).
    OwnedBytes(Vec<u8>),
    /// `tuple`.
    Tuple(Vec<Value>),
    /// `list`.
    List(Vec<Value>),
    /// `dict`, in insertion order.
    Dict(Vec<(Value, Value)>),
    /// `set` or `frozenset`.
    Set(Vec<Value>),
    /// An allow-listed global (a class or function), not called.
    Global(Global),
    /// What `REDUCE`/`NEWOBJ` of an allow-listed global would build, with
    /// the state `BUILD` gives it (boxed: rare, and it would triple the
    /// size of every string of a vocabulary).
    Instance(Box<Instance>),
    /// A joblib `NumpyArrayWrapper` with the array data that follows it in
    /// the stream: raw bytes, or a nested pickle of an object array.
    JoblibArray(Box<JoblibArray<'a>>),
}

/// What `REDUCE`/`NEWOBJ` of an allow-listed global would build.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Instance {
    /// The class or function.
    pub(crate) class: Global,
    /// How it was made.
    pub(crate) made: Made,
    /// Its arguments.
    pub(crate) args: Vec<Value>,
    /// The `BUILD` state, if any.
    pub(crate) state: Option<Value>,
}

/// A joblib `NumpyArrayWrapper` with its array data.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct JoblibArray<'a> {
    /// The wrapper's state (shape, dtype, order...).
    pub(crate) wrapper: Value,
    /// The array data.
    pub(crate) data: JoblibData<'a>,
}

/// The data of a joblib array.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum JoblibData<'a> {
    /// Raw element bytes, in the wrapper's order.
    Raw(&'a [u8]),
    /// An object array, pickled on its own right after the wrapper.
    Nested(Value),
}

/// The most values on the stack or mark stack at once; sklearn models of
/// any size stay far below (containers are filled with `APPENDS`).
const MAX_STACK: usize = 1 << 20;

/// Longest module/name in `GLOBAL`.
const MAX_NAME: usize = 256;

/// A decoded pickle: the arena and the root value.
#[derive(Debug)]
pub(crate) struct Pickle<'a> {
    /// Every non-scalar object, by index.
    pub(crate) objs: Vec<Obj<'a>>,
    /// What the pickle evaluates to.
    pub(crate) root: Value,
}

fn bad(msg: impl Into<String>) -> Error {
    Error::Format(format!("pickle: {}", msg.into()))
}

fn unsupported(msg: impl Into<String>) -> Error {
    Error::Unsupported(msg.into())
}

/// Decodes `buf` as one pickle. With `joblib`, `NumpyArrayWrapper` objects
/// read the array data that follows their `BUILD`.
pub(crate) fn decode(buf: &[u8], joblib: bool) -> Result<Pickle<'_>> {
    let mut m = Machine {
        buf,
        pos: 0,
        objs: Vec::new(),
        owned: 0,
    };
    let root = m.run(joblib)?;
    if m.pos != buf.len() {
        return Err(bad(format!(
            "{} bytes after the STOP opcode at byte {}",
            buf.len() - m.pos,
            m.pos - 1
        )));
    }
    Ok(Pickle { objs: m.objs, root })
}
