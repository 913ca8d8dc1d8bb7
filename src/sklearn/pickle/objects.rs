//! What REDUCE, NEWOBJ and BUILD record instead of calling: instances with
//! their callable, arguments and state; `_codecs.encode` for protocol 2's
//! bytes; joblib's array wrappers.

use super::machine::Machine;
use super::*;

impl<'a> Machine<'a> {
    pub(super) fn instance(
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
        Ok(self.alloc(Obj::Instance(Box::new(Instance {
            class,
            made,
            args,
            state: None,
        }))))
    }

    pub(super) fn seq_ok(&self, v: Value) -> bool {
        matches!(v, Value::Ref(i) if matches!(self.objs.get(i), Some(Obj::List(_) | Obj::Tuple(_) | Obj::Set(_))))
    }

    /// `_codecs.encode(text, 'latin1')`: protocol 2's spelling of `bytes`.
    pub(super) fn codecs_encode(&mut self, args: &[Value], at: usize) -> Result<Value> {
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
    pub(super) fn joblib_data(&mut self, state: Value, at: usize) -> Result<JoblibData<'a>> {
        let budget = std::sync::atomic::AtomicUsize::new(usize::MAX);
        let view = crate::sklearn::value::View {
            objs: &self.objs,
            budget: &budget,
        };
        let w = crate::sklearn::numpy::JoblibWrapper::read(&view, state)
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
