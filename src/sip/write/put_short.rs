//! Appending the short pieces a response is made of (header names, copied
//! values, SDP tokens): a few dozen bytes, where a `memcpy` call costs
//! more than the copy. Copies up to 32 bytes are done inline by two
//! overlapping fixed-size moves (`put_short` into a buffer, `copy_short`
//! into a slice).

use bytes::{BufMut, BytesMut};

/// Appends `s` to `buf`, exactly as `put_slice` does.
#[inline]
pub(crate) fn put_short(buf: &mut BytesMut, s: &[u8]) {
    let n = s.len();
    if n > 32 {
        return buf.put_slice(s);
    }
    buf.reserve(n);
    let (src, dst) = (s.as_ptr(), buf.spare_capacity_mut().as_mut_ptr().cast::<u8>());
    // SAFETY: `reserve` left at least `n` bytes of spare capacity at `dst`,
    // and `s` is a different allocation from `buf` (it is borrowed while
    // `buf` is borrowed mutably). Each pair of moves reads only within
    // `s[..n]` and writes only within `dst[..n]`, overlapping in the middle
    // for lengths between the sizes; together they cover all `n` bytes, so
    // `set_len` exposes only initialised bytes.
    unsafe {
        match n {
            16..=32 => {
                std::ptr::copy_nonoverlapping(src, dst, 16);
                std::ptr::copy_nonoverlapping(src.add(n - 16), dst.add(n - 16), 16);
            }
            8..=15 => {
                std::ptr::copy_nonoverlapping(src, dst, 8);
                std::ptr::copy_nonoverlapping(src.add(n - 8), dst.add(n - 8), 8);
            }
            4..=7 => {
                std::ptr::copy_nonoverlapping(src, dst, 4);
                std::ptr::copy_nonoverlapping(src.add(n - 4), dst.add(n - 4), 4);
            }
            1..=3 => {
                *dst = *src;
                *dst.add(n / 2) = *src.add(n / 2);
                *dst.add(n - 1) = *src.add(n - 1);
            }
            _ => {}
        }
        buf.set_len(buf.len() + n);
    }
}

/// Copies `src` into `dst[..src.len()]`, as `copy_from_slice` does, by
/// two overlapping fixed-size moves when `src` is at most 32 bytes.
/// Panics when `dst` is shorter than `src`.
#[inline(always)]
pub(crate) fn copy_short(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    match n {
        16..=32 => {
            dst[..16].copy_from_slice(&src[..16]);
            dst[n - 16..n].copy_from_slice(&src[n - 16..]);
        }
        8..=15 => {
            dst[..8].copy_from_slice(&src[..8]);
            dst[n - 8..n].copy_from_slice(&src[n - 8..]);
        }
        4..=7 => {
            dst[..4].copy_from_slice(&src[..4]);
            dst[n - 4..n].copy_from_slice(&src[n - 4..]);
        }
        1..=3 => {
            dst[0] = src[0];
            dst[n / 2] = src[n / 2];
            dst[n - 1] = src[n - 1];
        }
        0 => {}
        _ => dst[..n].copy_from_slice(src),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every length up to 40 lands where `copy_from_slice` puts it and
    /// leaves the rest of `dst` alone.
    #[test]
    fn copy_short_agrees_with_copy_from_slice() {
        let src: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for n in 0..=40 {
            for extra in [0, 1, 7] {
                let mut got = vec![b'.'; n + extra];
                copy_short(&mut got, &src[..n]);
                let mut want = vec![b'.'; n + extra];
                want[..n].copy_from_slice(&src[..n]);
                assert_eq!(got, want, "n {n} extra {extra}");
            }
        }
    }

    /// Every length up to 40, appended after every small prefix length and
    /// into full and nearly full buffers, gives what `put_slice` gives.
    #[test]
    fn agrees_with_put_slice() {
        let src: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for prefix in 0..20 {
            for n in 0..=40 {
                for cap in [prefix, prefix + n, 4096] {
                    let mut got = BytesMut::with_capacity(cap);
                    got.put_slice(&src[..prefix]);
                    put_short(&mut got, &src[..n]);
                    put_short(&mut got, b"\r\n");
                    let mut want = BytesMut::new();
                    want.put_slice(&src[..prefix]);
                    want.put_slice(&src[..n]);
                    want.put_slice(b"\r\n");
                    assert_eq!(got, want, "prefix {prefix} n {n} cap {cap}");
                }
            }
        }
    }
}
