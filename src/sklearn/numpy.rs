//! numpy arrays, dtypes and scalars, read from their pickled form without
//! numpy: `_reconstruct` + `BUILD` state (protocols 2-4), `_frombuffer`
//! (protocol 5, in-band buffer) and joblib's `NumpyArrayWrapper`.
//!
//! Only little-endian (or byte-order-free) data is read; the element count
//! is multiplied with overflow checks and compared with the bytes present
//! before any element is decoded.

use super::globals::Global;
use super::pickle::{JoblibData, Obj, Value};
use super::value::{shape_err, View};
use crate::error::{Error, Result};

/// A numpy dtype, as far as this reader needs it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Dtype {
    /// numpy's kind letter: `f`, `i`, `u`, `b`, `O`, `U`, `S`, `V`.
    pub(crate) kind: char,
    /// Bytes per element.
    pub(crate) size: usize,
    /// For a structured (`V`) dtype: name, field dtype, byte offset.
    pub(crate) fields: Vec<(String, Dtype, usize)>,
}

impl std::fmt::Display for Dtype {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.kind, self.size)
    }
}

fn unsupported(msg: impl Into<String>) -> Error {
    Error::Unsupported(msg.into())
}

/// Reads the dtype object `v`.
pub(crate) fn dtype(view: &View<'_, '_>, v: Value, depth: usize) -> Result<Dtype> {
    if depth > 4 {
        return Err(unsupported("nested structured dtypes"));
    }
    let Some(Obj::Instance(i)) = view.obj(v).filter(|o| is(o, Global::Dtype)) else {
        return Err(shape_err("a dtype", "a numpy.dtype"));
    };
    let (args, state) = (&i.args, &i.state);
    let code = args
        .first()
        .and_then(|a| view.str(*a))
        .ok_or_else(|| shape_err("a dtype's code", "a string"))?;
    let mut chars = code.chars();
    let kind = chars
        .next()
        .ok_or_else(|| shape_err("a dtype's code", "non-empty"))?;
    let digits: String = chars.collect();
    let mut size: usize = digits.parse().unwrap_or(0);
    let mut fields = Vec::new();
    if let Some(st) = state.and_then(|s| view.seq(s)) {
        // (version, byteorder, subdescr, names, fields, elsize, alignment, flags)
        let order = st.get(1).and_then(|o| view.str(*o)).unwrap_or("|");
        if order == ">" {
            return Err(unsupported(format!("big-endian numpy data (dtype {code})")));
        }
        if let Some(el) = st.get(5).and_then(|e| view.int(*e)).filter(|&e| e > 0) {
            size = usize::try_from(el).map_err(|_| shape_err("a dtype's size", "in range"))?;
        }
        if let (Some(names), Some(fd)) = (
            st.get(3).and_then(|n| view.seq(*n)),
            st.get(4).and_then(|f| view.dict(*f)),
        ) {
            for n in names {
                let name = view
                    .str(*n)
                    .ok_or_else(|| shape_err("a field name", "a string"))?;
                let spec = view
                    .get(fd, name)
                    .and_then(|s| view.seq(s))
                    .ok_or_else(|| shape_err("a dtype field", "a (dtype, offset) tuple"))?;
                let (Some(fdt), Some(off)) = (spec.first(), spec.get(1)) else {
                    return Err(shape_err("a dtype field", "a (dtype, offset) tuple"));
                };
                let fdt = dtype(view, *fdt, depth + 1)?;
                let off = view
                    .int(*off)
                    .and_then(|o| usize::try_from(o).ok())
                    .ok_or_else(|| shape_err("a field offset", "a non-negative integer"))?;
                fields.push((name.to_owned(), fdt, off));
            }
        }
    }
    if kind == 'O' {
        size = 8;
    }
    if size == 0 || size > 1 << 20 {
        return Err(unsupported(format!("numpy dtype {code:?}")));
    }
    for (name, f, off) in &fields {
        if off.checked_add(f.size).map_or(true, |end| end > size) {
            return Err(shape_err(
                &format!("dtype field {name}"),
                "inside the element",
            ));
        }
    }
    Ok(Dtype { kind, size, fields })
}

/// A numpy scalar (`numpy.core.multiarray.scalar(dtype, bytes)`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scalar {
    Int(i64),
    Float(f64),
}

impl Scalar {
    pub(crate) fn as_int(self) -> Option<i64> {
        match self {
            Scalar::Int(i) => Some(i),
            Scalar::Float(_) => None,
        }
    }
    pub(crate) fn as_float(self) -> Option<f64> {
        match self {
            Scalar::Int(i) => Some(i as f64),
            Scalar::Float(x) => Some(x),
        }
    }
}

/// Is `o` an instance of `class`?
fn is(o: &Obj<'_>, class: Global) -> bool {
    matches!(o, Obj::Instance(i) if i.class == class)
}

/// The numpy scalar `v`, if it is one.
pub(crate) fn scalar(view: &View<'_, '_>, v: Value) -> Option<Scalar> {
    let Some(Obj::Instance(i)) = view.obj(v).filter(|o| is(o, Global::Scalar)) else {
        return None;
    };
    let dt = dtype(view, *i.args.first()?, 0).ok()?;
    let b = view.bytes(*i.args.get(1)?)?;
    if b.len() != dt.size {
        return None;
    }
    element(&dt, b).ok()
}

fn element(dt: &Dtype, b: &[u8]) -> Result<Scalar> {
    let mut a = [0u8; 8];
    let sign = |b: &[u8]| b.last().is_some_and(|x| x & 0x80 != 0);
    Ok(match (dt.kind, b.len()) {
        ('f', 8) => {
            a.copy_from_slice(b);
            Scalar::Float(f64::from_le_bytes(a))
        }
        ('f', 4) => {
            let mut c = [0u8; 4];
            c.copy_from_slice(b);
            Scalar::Float(f64::from(f32::from_le_bytes(c)))
        }
        ('i', 1..=8) => {
            if sign(b) {
                a = [0xff; 8];
            }
            a[..b.len()].copy_from_slice(b);
            Scalar::Int(i64::from_le_bytes(a))
        }
        ('u' | 'b', 1..=8) => {
            a[..b.len()].copy_from_slice(b);
            let u = u64::from_le_bytes(a);
            Scalar::Int(i64::try_from(u).map_err(|_| unsupported("an unsigned value above i64"))?)
        }
        _ => return Err(unsupported(format!("numpy dtype {dt} as a number"))),
    })
}

/// The data of an array.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Data<'p> {
    /// Raw elements.
    Raw(&'p [u8]),
    /// Python objects (an object array).
    Objects(&'p [Value]),
}

/// A numpy array.
#[derive(Debug, Clone)]
pub(crate) struct Array<'p> {
    pub(crate) dtype: Dtype,
    pub(crate) shape: Vec<usize>,
    pub(crate) fortran: bool,
    pub(crate) data: Data<'p>,
}

fn shape_of(view: &View<'_, '_>, v: Value) -> Result<Vec<usize>> {
    view.seq(v)
        .ok_or_else(|| shape_err("an array shape", "a tuple"))?
        .iter()
        .map(|d| {
            view.int(*d)
                .and_then(|d| usize::try_from(d).ok())
                .ok_or_else(|| shape_err("an array dimension", "a non-negative integer"))
        })
        .collect()
}

fn count(shape: &[usize]) -> Option<usize> {
    shape.iter().try_fold(1usize, |a, &d| a.checked_mul(d))
}

/// The joblib `NumpyArrayWrapper` state: what follows it in the stream.
pub(crate) struct JoblibWrapper {
    /// An object array (a nested pickle follows) rather than raw bytes.
    pub(crate) object: bool,
    /// A padding-length byte and padding precede the data (joblib >= 1.2).
    pub(crate) aligned: bool,
    /// The data size, if it does not overflow.
    pub(crate) n_bytes: Option<usize>,
    shape: Vec<usize>,
    fortran: bool,
    dtype: Dtype,
}

impl JoblibWrapper {
    pub(crate) fn read(view: &View<'_, '_>, state: Value) -> Result<Self> {
        let d = view
            .dict(state)
            .ok_or_else(|| shape_err("the wrapper state", "a dict"))?;
        let field = |k: &str| view.get(d, k).ok_or_else(|| shape_err(k, "present"));
        let shape = shape_of(view, field("shape")?)?;
        let dtype = dtype(view, field("dtype")?, 0)?;
        let fortran = view.str(field("order")?) == Some("F");
        let aligned = view
            .get(d, "numpy_array_alignment_bytes")
            .is_some_and(|v| v != Value::None);
        Ok(JoblibWrapper {
            object: dtype.kind == 'O',
            aligned,
            n_bytes: count(&shape).and_then(|n| n.checked_mul(dtype.size)),
            shape,
            fortran,
            dtype,
        })
    }
}

/// Reads the array `v` (any of the three pickled forms).
pub(crate) fn array<'p>(view: &View<'p, '_>, v: Value) -> Result<Array<'p>> {
    array_at(view, v, 0)
}

fn array_at<'p>(view: &View<'p, '_>, v: Value, depth: usize) -> Result<Array<'p>> {
    let arr = match view.obj(v) {
        Some(Obj::Instance(i)) if i.class == Global::Reconstruct && i.state.is_some() => {
            let s = &i.state.unwrap_or(Value::None);
            let st = view
                .seq(*s)
                .ok_or_else(|| shape_err("an array state", "a tuple"))?;
            // (version, shape, dtype, is_fortran, rawdata); version is absent in old files.
            let st = if st.len() == 5 { &st[1..] } else { st };
            let [shape, dt, fortran, raw] = st else {
                return Err(shape_err("an array state", "a 4- or 5-tuple"));
            };
            let dtype = dtype(view, *dt, 0)?;
            let data = if dtype.kind == 'O' {
                Data::Objects(
                    view.seq(*raw)
                        .ok_or_else(|| shape_err("object array data", "a list"))?,
                )
            } else {
                Data::Raw(
                    view.bytes(*raw)
                        .ok_or_else(|| shape_err("array data", "bytes"))?,
                )
            };
            Array {
                dtype,
                shape: shape_of(view, *shape)?,
                fortran: matches!(fortran, Value::Bool(true)),
                data,
            }
        }
        Some(Obj::Instance(i)) if i.class == Global::FromBuffer => {
            let [buf, dt, shape, order] = i.args.as_slice() else {
                return Err(shape_err("_frombuffer arguments", "4 values"));
            };
            Array {
                dtype: dtype(view, *dt, 0)?,
                shape: shape_of(view, *shape)?,
                fortran: view.str(*order) == Some("F"),
                data: Data::Raw(
                    view.bytes(*buf)
                        .ok_or_else(|| shape_err("array buffer", "bytes"))?,
                ),
            }
        }
        Some(Obj::JoblibArray(a)) => {
            let w = JoblibWrapper::read(view, a.wrapper)?;
            match &a.data {
                JoblibData::Raw(b) => Array {
                    dtype: w.dtype,
                    shape: w.shape,
                    fortran: w.fortran,
                    data: Data::Raw(b),
                },
                JoblibData::Nested(n) if depth == 0 => {
                    let a = array_at(view, *n, 1)?;
                    if a.shape != w.shape {
                        return Err(shape_err("a joblib object array", "of the announced shape"));
                    }
                    a
                }
                JoblibData::Nested(_) => return Err(shape_err("a joblib array", "not nested")),
            }
        }
        _ => return Err(shape_err("a value", "a numpy array")),
    };
    let n = count(&arr.shape).ok_or_else(|| shape_err("an array shape", "of a size that fits"))?;
    let ok = match arr.data {
        Data::Raw(b) => n.checked_mul(arr.dtype.size) == Some(b.len()),
        Data::Objects(o) => o.len() == n,
    };
    if !ok {
        return Err(Error::Format(format!(
            "sklearn: array of shape {:?} and dtype {} has the wrong amount of data",
            arr.shape, arr.dtype
        )));
    }
    view.charge(match arr.data {
        Data::Raw(b) => b.len(),
        Data::Objects(o) => o.len().saturating_mul(8),
    })?;
    Ok(arr)
}

impl<'p> Array<'p> {
    /// Number of elements.
    pub(crate) fn len(&self) -> usize {
        count(&self.shape).unwrap_or(0)
    }

    fn raw(&self) -> Result<&'p [u8]> {
        match self.data {
            Data::Raw(b) => Ok(b),
            Data::Objects(_) => Err(unsupported("an object array where numbers are expected")),
        }
    }

    /// The elements as f64 in C order (f8 exactly; f4 and integers widened).
    pub(crate) fn f64s(&self) -> Result<Vec<f64>> {
        let b = self.raw()?;
        let size = self.dtype.size;
        let f8 = self.dtype.kind == 'f' && size == 8;
        let read = |i: usize| -> Result<f64> {
            let c = b.get(i * size..(i + 1) * size).unwrap_or_default();
            match c {
                &[x0, x1, x2, x3, x4, x5, x6, x7] if f8 => {
                    Ok(f64::from_le_bytes([x0, x1, x2, x3, x4, x5, x6, x7]))
                }
                _ => element(&self.dtype, c).map(|s| s.as_float().unwrap_or(f64::NAN)),
            }
        };
        let n = b.len() / size.max(1);
        if !self.fortran || self.shape.iter().filter(|&&d| d > 1).count() <= 1 {
            if f8 {
                return Ok(b
                    .chunks_exact(8)
                    .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
                    .collect());
            }
            return (0..n).map(read).collect();
        }
        // A Fortran-ordered matrix (e.g. a multinomial coef_): read in C
        // order straight from the bytes, with no column-major copy first.
        match self.shape.as_slice() {
            [r, c] if r.checked_mul(*c) == Some(n) => {
                let (r, c) = (*r, *c);
                (0..n).map(|k| read((k % c) * r + k / c)).collect()
            }
            [_, _] => Err(Error::Format(
                "sklearn: a matrix with the wrong amount of data".into(),
            )),
            _ => Err(unsupported(
                "a Fortran-ordered numpy array of more than 2 dimensions",
            )),
        }
    }

    /// The elements as i64 (integer or bool dtypes, or an object array of ints).
    pub(crate) fn i64s(&self, view: &View<'_, '_>) -> Result<Vec<i64>> {
        match self.data {
            Data::Objects(o) => o
                .iter()
                .map(|v| {
                    view.int(*v)
                        .ok_or_else(|| shape_err("an object array item", "an int"))
                })
                .collect(),
            Data::Raw(b) => b
                .chunks_exact(self.dtype.size)
                .map(|c| match element(&self.dtype, c)? {
                    Scalar::Int(i) => Ok(i),
                    Scalar::Float(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Ok(x as i64),
                    Scalar::Float(x) => Err(shape_err(&format!("the value {x}"), "an integer")),
                })
                .collect(),
        }
    }

    /// The elements as strings (`U` arrays, or object arrays of `str`).
    pub(crate) fn strings(&self, view: &View<'_, '_>) -> Result<Option<Vec<String>>> {
        match (self.data, self.dtype.kind) {
            (Data::Objects(o), _) => Ok(o
                .iter()
                .map(|v| view.str(*v).map(str::to_owned))
                .collect::<Option<Vec<_>>>()),
            (Data::Raw(b), 'U') => {
                if self.dtype.size % 4 != 0 {
                    return Err(shape_err("a unicode dtype", "a multiple of 4 bytes"));
                }
                b.chunks_exact(self.dtype.size)
                    .map(|c| {
                        c.chunks_exact(4)
                            .map(|u| u32::from_le_bytes([u[0], u[1], u[2], u[3]]))
                            .take_while(|&u| u != 0)
                            .map(|u| {
                                char::from_u32(u).ok_or_else(|| shape_err("a character", "valid"))
                            })
                            .collect::<Result<String>>()
                    })
                    .collect::<Result<Vec<_>>>()
                    .map(Some)
            }
            _ => Ok(None),
        }
    }

    /// Field `name` of every element of a structured array, as i64.
    pub(crate) fn field_i64s(&self, name: &str) -> Result<Vec<i64>> {
        self.field_values(name, |dt, b| match (dt.kind, b) {
            ('i', &[x0, x1, x2, x3, x4, x5, x6, x7]) => {
                Ok(i64::from_le_bytes([x0, x1, x2, x3, x4, x5, x6, x7]))
            }
            _ => element(dt, b)?
                .as_int()
                .ok_or_else(|| shape_err("a node field", "an integer")),
        })
    }

    /// Field `name` of every element of a structured array, as f64.
    pub(crate) fn field_f64s(&self, name: &str) -> Result<Vec<f64>> {
        self.field_values(name, |dt, b| match (dt.kind, b) {
            ('f', &[x0, x1, x2, x3, x4, x5, x6, x7]) => {
                Ok(f64::from_le_bytes([x0, x1, x2, x3, x4, x5, x6, x7]))
            }
            _ => element(dt, b)?
                .as_float()
                .ok_or_else(|| shape_err("a node field", "a number")),
        })
    }

    fn field_values<T>(
        &self,
        name: &str,
        get: impl Fn(&Dtype, &[u8]) -> Result<T>,
    ) -> Result<Vec<T>> {
        let (_, dt, off) = self
            .dtype
            .fields
            .iter()
            .find(|(n, _, _)| n == name)
            .ok_or_else(|| shape_err(&format!("field `{name}`"), "present in the node array"))?;
        let b = self.raw()?;
        let range = *off..off.saturating_add(dt.size);
        if self.dtype.size == 0 || range.end > self.dtype.size {
            return Err(shape_err(&format!("field `{name}`"), "inside its element"));
        }
        b.chunks_exact(self.dtype.size)
            .map(|c| get(dt, c.get(range.clone()).unwrap_or_default()))
            .collect()
    }
}
