//! Reading the opcode stream: bytes, little-endian integers, length
//! prefixes checked against what remains, and newline-terminated names.

use super::machine::Machine;
use super::{bad, MAX_NAME};
use crate::error::Result;

impl<'a> Machine<'a> {
    pub(super) fn take(&mut self, n: usize) -> Result<&'a [u8]> {
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

    pub(super) fn byte(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    pub(super) fn uint(&mut self, n: usize) -> Result<u64> {
        let b = self.take(n)?;
        Ok(b.iter()
            .rev()
            .fold(0u64, |acc, &x| (acc << 8) | u64::from(x)))
    }

    /// A length prefix of `n` bytes, checked against the bytes that remain.
    pub(super) fn len(&mut self, n: usize) -> Result<usize> {
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

    pub(super) fn line(&mut self) -> Result<&'a str> {
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
}
