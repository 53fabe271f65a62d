//! G.711 (µ-law PCMU, A-law PCMA) encoding and the test tone `play` sends:
//! 20 ms frames of 160 samples at 8 kHz.

/// Samples in one 20 ms frame at 8 kHz.
pub const FRAME_SAMPLES: usize = 160;

/// Encodes one 16-bit linear sample as µ-law (G.711, with the bias of 132).
pub fn linear_to_ulaw(sample: i16) -> u8 {
    const BIAS: i32 = 0x84;
    const CLIP: i32 = 32_635;
    let mut s = i32::from(sample);
    let sign = if s < 0 {
        s = -s;
        0x80
    } else {
        0
    };
    let s = s.min(CLIP) + BIAS;
    let exponent = (31 - (s as u32).leading_zeros()).saturating_sub(7).min(7) as i32;
    let mantissa = (s >> (exponent + 3)) & 0x0f;
    !(sign | (exponent << 4) as u8 | mantissa as u8)
}

/// Encodes one 16-bit linear sample as A-law (G.711).
pub fn linear_to_alaw(sample: i16) -> u8 {
    let mut s = i32::from(sample) >> 3;
    let sign = if s >= 0 {
        0x80
    } else {
        s = -s - 1;
        0
    };
    let s = s.min(0x0fff);
    let byte = if s < 32 {
        (s >> 1) as u8
    } else {
        let exponent = (31 - (s as u32).leading_zeros()) as i32 - 4;
        ((exponent << 4) as u8) | ((s >> exponent) & 0x0f) as u8
    };
    (sign | byte) ^ 0x55
}

/// One 20 ms frame of a 400 Hz tone (8 whole periods, so frames repeat
/// seamlessly), in µ-law when `ulaw`, else A-law.
pub fn tone_frame(ulaw: bool) -> [u8; FRAME_SAMPLES] {
    let mut frame = [0u8; FRAME_SAMPLES];
    for (i, b) in frame.iter_mut().enumerate() {
        let phase = i as f64 * 400.0 / 8000.0 * std::f64::consts::TAU;
        let s = (phase.sin() * 8000.0) as i16;
        *b = if ulaw { linear_to_ulaw(s) } else { linear_to_alaw(s) };
    }
    frame
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codewords() {
        // Silence and the extremes, from the G.711 tables.
        assert_eq!(linear_to_ulaw(0), 0xff);
        assert_eq!(linear_to_ulaw(32_767), 0x80);
        assert_eq!(linear_to_ulaw(-32_768), 0x00);
        assert_eq!(linear_to_alaw(0), 0xd5);
        assert_eq!(linear_to_alaw(32_767), 0xaa);
        assert_eq!(linear_to_alaw(-32_768), 0x2a);
    }

    #[test]
    fn encoding_is_monotonic() {
        // Positive µ-law codes fall as the level rises (they are inverted).
        let mut last = linear_to_ulaw(0);
        for s in (0..32_000).step_by(97) {
            let c = linear_to_ulaw(s as i16);
            assert!(c <= last, "{s}");
            last = c;
        }
    }

    #[test]
    fn tone_frames_differ_by_law_and_repeat() {
        let (u, a) = (tone_frame(true), tone_frame(false));
        assert_ne!(u, a);
        assert_eq!(u[0], u[20], "400 Hz repeats every 20 samples");
        assert_eq!(u[..20], u[140..]);
    }
}
