//! A master key identifier (RFC 3711 §3.1, RFC 4568 `MKI:<value>:<length>`):
//! which master key a packet was protected with, in its wire form.

use super::error::SrtpError;

/// A master key identifier: `len` bytes on the wire carrying `value`
/// big-endian (RFC 4568 `MKI:<value>:<length>`, length 1 to 128).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mki {
    value: u64,
    len: u8,
}

impl Mki {
    /// An MKI of `len` bytes; `value` must fit in them.
    pub fn new(value: u64, len: u8) -> Result<Mki, SrtpError> {
        let fits = len >= 8 || value < 1u64 << (8 * u32::from(len));
        if len == 0 || len > 128 || !fits {
            return Err(SrtpError::BadKey("MKI length or value"));
        }
        Ok(Mki { value, len })
    }

    /// The MKI's value.
    pub fn value(self) -> u64 {
        self.value
    }

    /// Its length on the wire, bytes.
    pub fn len(self) -> usize {
        usize::from(self.len)
    }

    /// Whether it is zero bytes long (never: `new` refuses that).
    pub fn is_empty(self) -> bool {
        self.len == 0
    }

    /// Writes the wire form into `out` (exactly `len()` bytes).
    pub(crate) fn write(self, out: &mut [u8]) {
        out.fill(0);
        let be = self.value.to_be_bytes();
        let n = out.len().min(8);
        let at = out.len() - n;
        out[at..].copy_from_slice(&be[8 - n..]);
    }

    /// Whether `field` (exactly `len()` bytes) carries this MKI.
    pub(crate) fn matches(self, field: &[u8]) -> bool {
        let mut wire = [0u8; 128];
        let wire = &mut wire[..self.len()];
        self.write(wire);
        wire == field
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mki_wire_form_is_big_endian_in_its_length() {
        let m = Mki::new(0xe1f9_7a0d, 4).unwrap();
        let mut out = [0u8; 4];
        m.write(&mut out);
        assert_eq!(out, [0xe1, 0xf9, 0x7a, 0x0d]);
        assert!(m.matches(&out) && !m.matches(&[0xe1, 0xf9, 0x7a, 0x0e]));
        let wide = Mki::new(1, 10).unwrap();
        let mut out = [9u8; 10];
        wide.write(&mut out);
        assert_eq!(out, [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        assert!(Mki::new(256, 1).is_err() && Mki::new(1, 0).is_err() && Mki::new(1, 129).is_err());
    }
}
