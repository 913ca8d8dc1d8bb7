//! The opcode loop: the stack, marks and memo of one pickle, and what each
//! opcode does to them.

use super::memo::Memo;
use super::*;

pub(super) struct Machine<'a> {
    pub(super) buf: &'a [u8],
    pub(super) pos: usize,
    pub(super) objs: Vec<Obj<'a>>,
    /// Bytes produced by `_codecs.encode` so far.
    pub(super) owned: usize,
}

pub(super) struct Frame {
    pub(super) stack: Vec<Value>,
    pub(super) marks: Vec<usize>,
    pub(super) memo: Memo,
}

impl<'a> Machine<'a> {
    pub(super) fn alloc(&mut self, o: Obj<'a>) -> Value {
        self.objs.push(o);
        Value::Ref(self.objs.len() - 1)
    }

    pub(super) fn str_of(&self, v: Value) -> Option<&str> {
        match v {
            Value::Ref(i) => match self.objs.get(i) {
                Some(Obj::Str(s)) => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    pub(super) fn global(&mut self, module: &str, name: &str) -> Result<Value> {
        let g = Global::resolve(module, name)
            .ok_or_else(|| unsupported(format!("global `{module}.{name}` is not allowed")))?;
        Ok(self.alloc(Obj::Global(g)))
    }

    pub(super) fn run(&mut self, joblib: bool) -> Result<Value> {
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
                        Some(Obj::Instance(i)) if i.state.is_none() => {
                            i.state = Some(state);
                            i.class == Global::JoblibArrayWrapper
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
                        let arr = self.alloc(Obj::JoblibArray(Box::new(JoblibArray {
                            wrapper: state,
                            data,
                        })));
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

    pub(super) fn pop(&mut self, f: &mut Frame, at: usize) -> Result<Value> {
        if f.marks.last().is_some_and(|&m| m >= f.stack.len()) {
            return Err(empty(at));
        }
        f.stack.pop().ok_or_else(|| empty(at))
    }

    pub(super) fn pop_mark(&mut self, f: &mut Frame, at: usize) -> Result<Vec<Value>> {
        let m = f
            .marks
            .pop()
            .ok_or_else(|| bad(format!("no MARK for the opcode at byte {at}")))?;
        Ok(f.stack.split_off(m.min(f.stack.len())))
    }

    pub(super) fn top(&self, f: &Frame, at: usize) -> Result<usize> {
        match f.stack.last() {
            Some(Value::Ref(i)) if f.marks.last().map_or(true, |&m| m < f.stack.len()) => Ok(*i),
            _ => Err(bad(format!("no container on the stack at byte {at}"))),
        }
    }
}

pub(super) fn empty(at: usize) -> Error {
    bad(format!("stack underflow at byte {at}"))
}

pub(super) fn pairs(items: Vec<Value>, at: usize) -> Result<Vec<(Value, Value)>> {
    if items.len() % 2 != 0 {
        return Err(bad(format!("odd number of dict items at byte {at}")));
    }
    Ok(items.chunks_exact(2).map(|c| (c[0], c[1])).collect())
}

/// A little-endian two's-complement integer of up to 8 bytes (LONG1/LONG4).
pub(super) fn long(b: &[u8], at: usize) -> Result<i64> {
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
