//! The stage-one kernels: newline, colon and suspect-byte masks of one
//! 64-byte block, with AVX-512BW, AVX2 and SSE2 versions checked against a
//! scalar reference. `scan.rs` walks lines with them.

/// Bit masks for one 64-byte block: bit i is byte `base + i`.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Block {
    pub(super) newline: u64,
    pub(super) colon: u64,
    /// Bytes outside 0x20..=0x7e other than CR and LF, and CRs not
    /// followed by LF (a bare CR is illegal, RFC 3261 §7.3.1). A superset
    /// of the illegal bytes (HT is in it): a hit sends the head to the
    /// exact byte check, so the kernel stays a few operations short.
    pub(super) suspect: u64,
}

/// Writes the masks of the block at `base` into `out`, which is where
/// the scanner reads them (written in place, not returned by value).
#[inline]
pub(super) fn scan_block(buf: &[u8], base: usize, out: &mut Block) {
    let Some(chunk) = buf.get(base..).and_then(|rest| rest.first_chunk::<64>()) else {
        return scan_tail(buf, base, out);
    };
    scan64(chunk, out);
    // The LF after a CR in the last byte is in the next block.
    if chunk[63] == b'\r' && buf.get(base + 64) == Some(&b'\n') {
        out.suspect &= !(1 << 63);
    }
}

/// The last, partial block, as if padded with spaces (neither newline
/// nor suspect): the 64 bytes that end the buffer, scanned in place and
/// shifted down to `base`, so no copy is read back as vectors; a padded
/// copy only for buffers shorter than a block. Kept out of line so the
/// full-block path stays lean.
#[inline(never)]
fn scan_tail(buf: &[u8], base: usize, out: &mut Block) {
    let rest = buf.get(base..).unwrap_or(&[]);
    if let (Some(last), 1..64) = (buf.last_chunk::<64>(), rest.len()) {
        scan64(last, out);
        let shift = 64 - rest.len();
        out.newline >>= shift;
        out.colon >>= shift;
        out.suspect >>= shift;
        return;
    }
    let mut padded = [b' '; 64];
    padded[..rest.len().min(64)].copy_from_slice(&rest[..rest.len().min(64)]);
    scan64(&padded, out)
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn scan64(chunk: &[u8; 64], out: &mut Block) {
    // std caches the CPUID answer: the check is one load and a test.
    if std::is_x86_feature_detected!("avx512bw") {
        // SAFETY: the CPU has AVX-512BW (checked just above).
        return unsafe { scan64_avx512(chunk, out) };
    }
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked just above).
        return unsafe { scan64_avx2(chunk, out) };
    }
    // SAFETY: SSE2 is part of every x86_64 target's baseline.
    unsafe { scan64_sse2(chunk, out) }
}

/// The whole block in one register: the compares write mask registers,
/// so there is no movemask and no shifting of halves together.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512bw")]
fn scan64_avx512(chunk: &[u8; 64], out: &mut Block) {
    use std::arch::x86_64::*;
    // SAFETY: an unaligned load of the 64-byte array.
    let x = unsafe { _mm512_loadu_si512(chunk.as_ptr().cast::<__m512i>()) };
    let newline = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(b'\n' as i8));
    let colon = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(b':' as i8));
    let cr = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(b'\r' as i8));
    // x + 1 below 0x21 as a signed byte: x in 0x00..=0x1f or 0x7f..=0xff.
    let shifted = _mm512_add_epi8(x, _mm512_set1_epi8(1));
    let outside = _mm512_cmplt_epi8_mask(shifted, _mm512_set1_epi8(0x21));
    let suspect = outside & !(newline | cr);
    *out = Block { newline, colon, suspect: suspect | (cr & !(newline >> 1)) };
}

/// The same masks as the SSE2 version, 32 bytes per step.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn scan64_avx2(chunk: &[u8; 64], out: &mut Block) {
    use std::arch::x86_64::*;
    let (mut block, mut crs) = (Block::default(), 0u64);
    for i in 0..2 {
        // SAFETY: an unaligned load of bytes 32*i..32*i+32 of a 64-byte array.
        let x = unsafe { _mm256_loadu_si256(chunk.as_ptr().add(32 * i).cast::<__m256i>()) };
        let newline = _mm256_cmpeq_epi8(x, _mm256_set1_epi8(b'\n' as i8));
        let colon = _mm256_cmpeq_epi8(x, _mm256_set1_epi8(b':' as i8));
        let cr = _mm256_cmpeq_epi8(x, _mm256_set1_epi8(b'\r' as i8));
        // x + 1 below 0x21 as a signed byte: x in 0x00..=0x1f or 0x7f..=0xff.
        let shifted = _mm256_add_epi8(x, _mm256_set1_epi8(1));
        let outside = _mm256_cmpgt_epi8(_mm256_set1_epi8(0x21), shifted);
        let suspect = _mm256_andnot_si256(_mm256_or_si256(newline, cr), outside);
        block.newline |= u64::from(_mm256_movemask_epi8(newline) as u32) << (32 * i);
        block.colon |= u64::from(_mm256_movemask_epi8(colon) as u32) << (32 * i);
        block.suspect |= u64::from(_mm256_movemask_epi8(suspect) as u32) << (32 * i);
        crs |= u64::from(_mm256_movemask_epi8(cr) as u32) << (32 * i);
    }
    block.suspect |= crs & !(block.newline >> 1);
    *out = block;
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn scan64_sse2(chunk: &[u8; 64], out: &mut Block) {
    use std::arch::x86_64::*;
    let (mut block, mut crs) = (Block::default(), 0u64);
    for i in 0..4 {
        // SAFETY: an unaligned load of bytes 16*i..16*i+16 of a 64-byte array.
        let x = unsafe { _mm_loadu_si128(chunk.as_ptr().add(16 * i).cast::<__m128i>()) };
        let newline = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'\n' as i8));
        let colon = _mm_cmpeq_epi8(x, _mm_set1_epi8(b':' as i8));
        let cr = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'\r' as i8));
        // x + 1 below 0x21 as a signed byte: x in 0x00..=0x1f or 0x7f..=0xff.
        let shifted = _mm_add_epi8(x, _mm_set1_epi8(1));
        let outside = _mm_cmplt_epi8(shifted, _mm_set1_epi8(0x21));
        let suspect = _mm_andnot_si128(_mm_or_si128(newline, cr), outside);
        block.newline |= u64::from(_mm_movemask_epi8(newline) as u16) << (16 * i);
        block.colon |= u64::from(_mm_movemask_epi8(colon) as u16) << (16 * i);
        block.suspect |= u64::from(_mm_movemask_epi8(suspect) as u16) << (16 * i);
        crs |= u64::from(_mm_movemask_epi8(cr) as u16) << (16 * i);
    }
    block.suspect |= crs & !(block.newline >> 1);
    *out = block;
}

#[cfg(not(target_arch = "x86_64"))]
fn scan64(chunk: &[u8; 64], out: &mut Block) {
    *out = scan64_scalar(chunk);
}

/// The reference: one byte at a time (other targets, and the tests).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn scan64_scalar(chunk: &[u8; 64]) -> Block {
    let (mut block, mut crs) = (Block::default(), 0u64);
    for (i, &c) in chunk.iter().enumerate() {
        block.newline |= u64::from(c == b'\n') << i;
        block.colon |= u64::from(c == b':') << i;
        let suspect = !(0x20..=0x7e).contains(&c) && !matches!(c, b'\r' | b'\n');
        block.suspect |= u64::from(suspect) << i;
        crs |= u64::from(c == b'\r') << i;
    }
    block.suspect |= crs & !(block.newline >> 1);
    block
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;

    /// Every vector path this CPU has agrees with the byte-at-a-time
    /// reference on pseudo-random blocks rich in the bytes that matter.
    #[test]
    fn vector_scans_match_the_scalar_reference() {
        type Kernel = unsafe fn(&[u8; 64], &mut Block);
        let mut kernels: Vec<(&str, Kernel)> = vec![("sse2", scan64_sse2)];
        if std::is_x86_feature_detected!("avx2") {
            kernels.push(("avx2", scan64_avx2));
        }
        if std::is_x86_feature_detected!("avx512bw") {
            kernels.push(("avx512bw", scan64_avx512));
        }
        let alphabet = [b'\n', b'\r', b'\t', 0, 0x1f, b' ', b'a', 0x7f, 0x80, 0xff, b':'];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..5_000 {
            let mut chunk = [0u8; 64];
            for c in chunk.iter_mut() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                *c = alphabet[(seed % alphabet.len() as u64) as usize];
            }
            let want = scan64_scalar(&chunk);
            for (name, kernel) in &kernels {
                let mut got = Block::default();
                // SAFETY: only kernels whose CPU features were detected above.
                unsafe { kernel(&chunk, &mut got) };
                let masks = |b: &Block| (b.newline, b.colon, b.suspect);
                assert_eq!(masks(&got), masks(&want), "{name} {chunk:?}");
            }
        }
    }
}
