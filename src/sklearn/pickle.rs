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

use std::collections::HashMap;

use super::globals::Global;
use crate::error::{Error, Result};

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
    /// the state `BUILD` gives it.
    Instance {
        /// The class or function.
        class: Global,
        /// How it was made.
        made: Made,
        /// Its arguments.
        args: Vec<Value>,
        /// The `BUILD` state, if any.
        state: Option<Value>,
    },
    /// A joblib `NumpyArrayWrapper` with the array data that follows it in
    /// the stream: raw bytes, or a nested pickle of an object array.
    JoblibArray {
        /// The wrapper's state (shape, dtype, order...).
        wrapper: Value,
        /// The array data.
        data: JoblibData<'a>,
    },
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

struct Machine<'a> {
    buf: &'a [u8],
    pos: usize,
    objs: Vec<Obj<'a>>,
    /// Bytes produced by `_codecs.encode` so far.
    owned: usize,
}

struct Frame {
    stack: Vec<Value>,
    marks: Vec<usize>,
    memo: Memo,
}

/// Python's pickle memo. Keys come in order 0, 1, 2... (MEMOIZE uses the
/// memo's size; BINPUT/LONG_BINPUT as written by `pickle.dump` count the
/// same way), so they live in a vector; any other key, which only a
/// hand-made file has, in a map. No key ever sizes an allocation.
#[derive(Default)]
struct Memo {
    dense: Vec<Value>,
    sparse: HashMap<u32, Value>,
}

impl Memo {
    /// Number of keys (MEMOIZE's next key).
    fn len(&self) -> usize {
        self.dense.len() + self.sparse.len()
    }

    fn insert(&mut self, key: u32, v: Value) {
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

    fn get(&self, key: u32) -> Option<Value> {
        self.dense
            .get(key as usize)
            .or_else(|| self.sparse.get(&key))
            .copied()
    }
}

impl<'a> Machine<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let rest = self.buf.len() - self.pos;
        if n > rest {
            return Err(bad(format!(
                "truncated: {n} bytes needed at byte {}, {rest} remain",
                self.pos
            )));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn uint(&mut self, n: usize) -> Result<u64> {
        let b = self.take(n)?;
        Ok(b.iter()
            .rev()
            .fold(0u64, |acc, &x| (acc << 8) | u64::from(x)))
    }

    /// A length prefix of `n` bytes, checked against the bytes that remain.
    fn len(&mut self, n: usize) -> Result<usize> {
        let at = self.pos;
        let len = self.uint(n)?;
        let rest = (self.buf.len() - self.pos) as u64;
        if len > rest {
            return Err(bad(format!(
                "length {len} at byte {at} exceeds the {rest} bytes that remain"
            )));
        }
        Ok(len as usize)
    }

    fn line(&mut self) -> Result<&'a str> {
        let rest = &self.buf[self.pos..];
        let n = rest
            .iter()
            .take(MAX_NAME + 1)
            .position(|&b| b == b'\n')
            .ok_or_else(|| bad(format!("unterminated name at byte {}", self.pos)))?;
        let s = std::str::from_utf8(&rest[..n])
            .map_err(|_| bad(format!("name at byte {} is not UTF-8", self.pos)))?;
        self.pos += n + 1;
        Ok(s)
    }

    fn alloc(&mut self, o: Obj<'a>) -> Value {
        self.objs.push(o);
        Value::Ref(self.objs.len() - 1)
    }

    fn str_of(&self, v: Value) -> Option<&str> {
        match v {
            Value::Ref(i) => match self.objs.get(i) {
                Some(Obj::Str(s)) => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    fn global(&mut self, module: &str, name: &str) -> Result<Value> {
        let g = Global::resolve(module, name)
            .ok_or_else(|| unsupported(format!("global `{module}.{name}` is not allowed")))?;
        Ok(self.alloc(Obj::Global(g)))
    }

    fn run(&mut self, joblib: bool) -> Result<Value> {
        let mut f = Frame {
            stack: Vec::new(),
            marks: Vec::new(),
            memo: Memo::default(),
        };
        loop {
            let at = self.pos;
            let op = self.byte()?;
            if f.stack.len() >= MAX_STACK || f.marks.len() >= MAX_STACK {
                return Err(bad(format!("stack deeper than {MAX_STACK} at byte {at}")));
            }
            match op {
                0x80 => {
                    let p = self.byte()?;
                    if !(2..=5).contains(&p) {
                        return Err(unsupported(format!(
                            "pickle protocol {p} (this reader reads protocols 2 to 5)"
                        )));
                    }
                }
                0x95 => {
                    // FRAME: a length hint; the data follows inline.
                    self.len(8)?;
                }
                b'.' => return self.pop(&mut f, at),
                b'(' => f.marks.push(f.stack.len()),
                b'0' => {
                    self.pop(&mut f, at)?;
                }
                b'1' => {
                    self.pop_mark(&mut f, at)?;
                }
                b'2' => {
                    let v = *f.stack.last().ok_or_else(|| empty(at))?;
                    f.stack.push(v);
                }
                b'N' => f.stack.push(Value::None),
                0x88 => f.stack.push(Value::Bool(true)),
                0x89 => f.stack.push(Value::Bool(false)),
                b'J' => {
                    let v = self.uint(4)? as u32 as i32;
                    f.stack.push(Value::Int(i64::from(v)));
                }
                b'K' => {
                    let v = self.uint(1)?;
                    f.stack.push(Value::Int(v as i64));
                }
                b'M' => {
                    let v = self.uint(2)?;
                    f.stack.push(Value::Int(v as i64));
                }
                0x8a | 0x8b => {
                    let n = if op == 0x8a {
                        self.len(1)?
                    } else {
                        self.len(4)?
                    };
                    let b = self.take(n)?;
                    f.stack.push(Value::Int(long(b, at)?));
                }
                b'G' => {
                    let b = self.take(8)?;
                    let mut a = [0u8; 8];
                    a.copy_from_slice(b);
                    f.stack.push(Value::Float(f64::from_be_bytes(a)));
                }
                b'X' | 0x8c | 0x8d => {
                    let n = match op {
                        0x8c => self.len(1)?,
                        b'X' => self.len(4)?,
                        _ => self.len(8)?,
                    };
                    let b = self.take(n)?;
                    let s = std::str::from_utf8(b)
                        .map_err(|_| bad(format!("string at byte {at} is not UTF-8")))?;
                    let v = self.alloc(Obj::Str(s));
                    f.stack.push(v);
                }
                b'B' | b'C' | 0x8e | 0x96 => {
                    let n = match op {
                        b'C' => self.len(1)?,
                        b'B' => self.len(4)?,
                        _ => self.len(8)?,
                    };
                    let b = self.take(n)?;
                    let v = self.alloc(Obj::Bytes(b));
                    f.stack.push(v);
                }
                0x98 => {
                    // READONLY_BUFFER: marks the buffer on top read-only.
                    if f.stack.is_empty() {
                        return Err(empty(at));
                    }
                }
                0x97 => {
                    return Err(unsupported(
                        "out-of-band pickle buffers (NEXT_BUFFER): write the file \
                         without a buffer_callback",
                    ))
                }
                b')' => {
                    let v = self.alloc(Obj::Tuple(Vec::new()));
                    f.stack.push(v);
                }
                b't' => {
                    let items = self.pop_mark(&mut f, at)?;
                    let v = self.alloc(Obj::Tuple(items));
                    f.stack.push(v);
                }
                0x85..=0x87 => {
                    let n = usize::from(op - 0x84);
                    if f.stack.len() < n || f.marks.last().is_some_and(|&m| f.stack.len() - n < m) {
                        return Err(empty(at));
                    }
                    let items = f.stack.split_off(f.stack.len() - n);
                    let v = self.alloc(Obj::Tuple(items));
                    f.stack.push(v);
                }
                b']' => {
                    let v = self.alloc(Obj::List(Vec::new()));
                    f.stack.push(v);
                }
                b'l' => {
                    let items = self.pop_mark(&mut f, at)?;
                    let v = self.alloc(Obj::List(items));
                    f.stack.push(v);
                }
                b'}' => {
                    let v = self.alloc(Obj::Dict(Vec::new()));
                    f.stack.push(v);
                }
                b'd' => {
                    let items = self.pop_mark(&mut f, at)?;
                    let pairs = pairs(items, at)?;
                    let v = self.alloc(Obj::Dict(pairs));
                    f.stack.push(v);
                }
                0x8f => {
                    let v = self.alloc(Obj::Set(Vec::new()));
                    f.stack.push(v);
                }
                0x91 => {
                    let items = self.pop_mark(&mut f, at)?;
                    let v = self.alloc(Obj::Set(items));
                    f.stack.push(v);
                }
                b'a' => {
                    let item = self.pop(&mut f, at)?;
                    let target = self.top(&f, at)?;
                    match self.objs.get_mut(target) {
                        Some(Obj::List(l)) => l.push(item),
                        _ => return Err(bad(format!("APPEND to a non-list at byte {at}"))),
                    }
                }
                b'e' | 0x90 => {
                    let items = self.pop_mark(&mut f, at)?;
                    let target = self.top(&f, at)?;
                    match (op, self.objs.get_mut(target)) {
                        (b'e', Some(Obj::List(l))) | (0x90, Some(Obj::Set(l))) => l.extend(items),
                        _ => {
                            return Err(bad(format!(
                                "APPENDS/ADDITEMS to a wrong type at byte {at}"
                            )))
                        }
                    }
                }
                b's' => {
                    let v = self.pop(&mut f, at)?;
                    let k = self.pop(&mut f, at)?;
                    let target = self.top(&f, at)?;
                    match self.objs.get_mut(target) {
                        Some(Obj::Dict(d)) => d.push((k, v)),
                        _ => return Err(bad(format!("SETITEM on a non-dict at byte {at}"))),
                    }
                }
                b'u' => {
                    let items = self.pop_mark(&mut f, at)?;
                    let p = pairs(items, at)?;
                    let target = self.top(&f, at)?;
                    match self.objs.get_mut(target) {
                        Some(Obj::Dict(d)) => d.extend(p),
                        _ => return Err(bad(format!("SETITEMS on a non-dict at byte {at}"))),
                    }
                }
                b'c' => {
                    let module = self.line()?;
                    let name = self.line()?;
                    let v = self.global(module, name)?;
                    f.stack.push(v);
                }
                0x93 => {
                    let name = self.pop(&mut f, at)?;
                    let module = self.pop(&mut f, at)?;
                    let (Some(module), Some(name)) = (self.str_of(module), self.str_of(name))
                    else {
                        return Err(bad(format!("STACK_GLOBAL of non-strings at byte {at}")));
                    };
                    let (module, name) = (module.to_owned(), name.to_owned());
                    let v = self.global(&module, &name)?;
                    f.stack.push(v);
                }
                b'R' | 0x81 | 0x92 => {
                    let kwargs = if op == 0x92 {
                        Some(self.pop(&mut f, at)?)
                    } else {
                        None
                    };
                    let args = self.pop(&mut f, at)?;
                    let callable = self.pop(&mut f, at)?;
                    let v = self.instance(callable, args, kwargs, op == b'R', at)?;
                    f.stack.push(v);
                }
                b'b' => {
                    let state = self.pop(&mut f, at)?;
                    let target = self.top(&f, at)?;
                    let wrapper = match self.objs.get_mut(target) {
                        Some(Obj::Instance {
                            state: s @ None,
                            class,
                            ..
                        }) => {
                            *s = Some(state);
                            *class == Global::JoblibArrayWrapper
                        }
                        _ => {
                            return Err(unsupported(format!(
                                "BUILD (setting state) on this kind of object, at byte {at}"
                            )))
                        }
                    };
                    if wrapper {
                        if !joblib {
                            return Err(unsupported(
                                "a joblib NumpyArrayWrapper outside a joblib file",
                            ));
                        }
                        let data = self.joblib_data(state, at)?;
                        let arr = self.alloc(Obj::JoblibArray {
                            wrapper: state,
                            data,
                        });
                        f.stack.pop();
                        f.stack.push(arr);
                    }
                }
                b'q' | b'r' | 0x94 => {
                    let key = match op {
                        b'q' => self.uint(1)? as u32,
                        b'r' => self.uint(4)? as u32,
                        _ => f.memo.len() as u32,
                    };
                    let v = *f.stack.last().ok_or_else(|| empty(at))?;
                    f.memo.insert(key, v);
                }
                b'h' | b'j' => {
                    let key = if op == b'h' {
                        self.uint(1)? as u32
                    } else {
                        self.uint(4)? as u32
                    };
                    let v = f
                        .memo
                        .get(key)
                        .ok_or_else(|| bad(format!("memo key {key} unknown at byte {at}")))?;
                    f.stack.push(v);
                }
                other => {
                    return Err(unsupported(format!(
                        "pickle opcode 0x{other:02x} at byte {at}"
                    )))
                }
            }
        }
    }

    fn pop(&mut self, f: &mut Frame, at: usize) -> Result<Value> {
        if f.marks.last().is_some_and(|&m| m >= f.stack.len()) {
            return Err(empty(at));
        }
        f.stack.pop().ok_or_else(|| empty(at))
    }

    fn pop_mark(&mut self, f: &mut Frame, at: usize) -> Result<Vec<Value>> {
        let m = f
            .marks
            .pop()
            .ok_or_else(|| bad(format!("no MARK for the opcode at byte {at}")))?;
        Ok(f.stack.split_off(m.min(f.stack.len())))
    }

    fn top(&self, f: &Frame, at: usize) -> Result<usize> {
        match f.stack.last() {
            Some(Value::Ref(i)) if f.marks.last().map_or(true, |&m| m < f.stack.len()) => Ok(*i),
            _ => Err(bad(format!("no container on the stack at byte {at}"))),
        }
    }

    fn instance(
        &mut self,
        callable: Value,
        args: Value,
        kwargs: Option<Value>,
        reduce: bool,
        at: usize,
    ) -> Result<Value> {
        let class = match callable {
            Value::Ref(i) => match self.objs.get(i) {
                Some(Obj::Global(g)) => *g,
                _ => return Err(bad(format!("call of a non-global at byte {at}"))),
            },
            _ => return Err(bad(format!("call of a non-global at byte {at}"))),
        };
        // Only short argument tuples are copied (numpy's and sklearn's have
        // at most 4 items), so a file cannot multiply one big tuple.
        let args = match args {
            Value::Ref(i) => match self.objs.get(i) {
                Some(Obj::Tuple(t)) if t.len() <= 8 => t.clone(),
                Some(Obj::Tuple(_)) => {
                    return Err(unsupported(format!(
                        "a call with more than 8 arguments at byte {at}"
                    )))
                }
                _ => return Err(bad(format!("arguments are not a tuple at byte {at}"))),
            },
            _ => return Err(bad(format!("arguments are not a tuple at byte {at}"))),
        };
        if let Some(Value::Ref(i)) = kwargs {
            if !matches!(self.objs.get(i), Some(Obj::Dict(d)) if d.is_empty()) {
                return Err(unsupported(format!(
                    "keyword arguments to {}",
                    class.name()
                )));
            }
        }
        if class == Global::CodecsEncode {
            return self.codecs_encode(&args, at);
        }
        if class == Global::BuiltinSet {
            // A set is read like the sequence it is built from; sharing the
            // value (not copying it) keeps memory linear in the input.
            return match args.as_slice() {
                [] => Ok(self.alloc(Obj::Set(Vec::new()))),
                [v @ Value::Ref(_)] if self.seq_ok(*v) => Ok(*v),
                _ => Err(bad(format!("set() of a non-sequence at byte {at}"))),
            };
        }
        if !class.constructible() {
            return Err(unsupported(format!(
                "calling `{}` (only classes and numpy reconstructors are allowed)",
                class.name()
            )));
        }
        let made = if reduce { Made::Reduce } else { Made::NewObj };
        Ok(self.alloc(Obj::Instance {
            class,
            made,
            args,
            state: None,
        }))
    }

    fn seq_ok(&self, v: Value) -> bool {
        matches!(v, Value::Ref(i) if matches!(self.objs.get(i), Some(Obj::List(_) | Obj::Tuple(_) | Obj::Set(_))))
    }

    /// `_codecs.encode(text, 'latin1')`: protocol 2's spelling of `bytes`.
    fn codecs_encode(&mut self, args: &[Value], at: usize) -> Result<Value> {
        let [text, enc] = args else {
            return Err(bad(format!(
                "_codecs.encode takes 2 arguments, at byte {at}"
            )));
        };
        if !matches!(self.str_of(*enc), Some("latin1" | "latin-1")) {
            return Err(unsupported(
                "_codecs.encode with an encoding other than latin1",
            ));
        }
        let text = self
            .str_of(*text)
            .ok_or_else(|| bad("_codecs.encode of a non-string"))?;
        let bytes = text
            .chars()
            .map(|c| u8::try_from(u32::from(c)))
            .collect::<std::result::Result<Vec<u8>, _>>()
            .map_err(|_| bad("_codecs.encode: a character outside latin1"))?;
        // Each encoded string is copied once; a file that encodes the same
        // memoized string over and over would otherwise grow quadratically.
        self.owned += bytes.len();
        if self.owned > self.buf.len() {
            return Err(bad(
                "_codecs.encode produces more bytes than the file holds",
            ));
        }
        Ok(self.alloc(Obj::OwnedBytes(bytes)))
    }

    /// The array data joblib writes right after a `NumpyArrayWrapper`.
    fn joblib_data(&mut self, state: Value, at: usize) -> Result<JoblibData<'a>> {
        let budget = std::cell::Cell::new(usize::MAX);
        let view = super::value::View {
            objs: &self.objs,
            budget: &budget,
        };
        let w = super::numpy::JoblibWrapper::read(&view, state)
            .map_err(|e| bad(format!("NumpyArrayWrapper at byte {at}: {e}")))?;
        if w.object {
            let mut nested = Machine {
                buf: self.buf,
                pos: self.pos,
                objs: std::mem::take(&mut self.objs),
                owned: self.owned,
            };
            let v = nested.run(false);
            self.objs = nested.objs;
            self.pos = nested.pos;
            self.owned = nested.owned;
            return Ok(JoblibData::Nested(v?));
        }
        if w.aligned {
            let pad = usize::from(self.byte()?);
            self.take(pad)?;
        }
        let n = w.n_bytes.ok_or_else(|| {
            bad(format!(
                "NumpyArrayWrapper at byte {at}: array size overflows"
            ))
        })?;
        let rest = self.buf.len() - self.pos;
        if n > rest {
            return Err(bad(format!(
                "NumpyArrayWrapper at byte {at}: {n} array bytes announced, {rest} remain"
            )));
        }
        Ok(JoblibData::Raw(self.take(n)?))
    }
}

fn empty(at: usize) -> Error {
    bad(format!("stack underflow at byte {at}"))
}

fn pairs(items: Vec<Value>, at: usize) -> Result<Vec<(Value, Value)>> {
    if items.len() % 2 != 0 {
        return Err(bad(format!("odd number of dict items at byte {at}")));
    }
    Ok(items.chunks_exact(2).map(|c| (c[0], c[1])).collect())
}

/// A little-endian two's-complement integer of up to 8 bytes (LONG1/LONG4).
fn long(b: &[u8], at: usize) -> Result<i64> {
    if b.is_empty() {
        return Ok(0);
    }
    if b.len() > 8 {
        return Err(unsupported(format!(
            "an integer of {} bytes at byte {at} (at most 64 bits)",
            b.len()
        )));
    }
    let neg = b[b.len() - 1] & 0x80 != 0;
    let mut a = if neg { [0xffu8; 8] } else { [0u8; 8] };
    a[..b.len()].copy_from_slice(b);
    Ok(i64::from_le_bytes(a))
}

#[cfg(test)]
mod tests {
    use super::{Memo, Value};

    #[test]
    fn the_memo_keeps_python_semantics_for_keys_in_any_order() {
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
