//! AES counter mode as SRTP uses it (RFC 3711 §4.1.1): a 128-bit IV from
//! the salt, SSRC and packet index, the keystream XORed over the payload.
//! The key derivation function runs the same keystream (§4.3.3).

use aes::Aes128Enc;
use ctr::cipher::{InnerIvInit, StreamCipher, StreamCipherCoreWrapper};

/// XORs the keystream that starts at `iv` over `data`.
pub(crate) fn apply_keystream(aes: &Aes128Enc, iv: &[u8; 16], data: &mut [u8]) {
    let core = ctr::CtrCore::<&Aes128Enc, ctr::flavors::Ctr128BE>::inner_iv_init(aes, iv.into());
    let mut ctr = StreamCipherCoreWrapper::from_core(core);
    ctr.apply_keystream(data);
}

/// IV = (salt · 2^16) XOR (SSRC · 2^64) XOR (index · 2^16): the salt fills
/// bytes 0..14, the SSRC is XORed into bytes 4..8 and the 48-bit index
/// (or the 31-bit SRTCP index) into bytes 8..14.
pub(crate) fn packet_iv(salt: &[u8; 14], ssrc: u32, index: u64) -> [u8; 16] {
    let mut iv = [0u8; 16];
    iv[..14].copy_from_slice(salt);
    for (b, s) in iv[4..8].iter_mut().zip(ssrc.to_be_bytes()) {
        *b ^= s;
    }
    for (b, i) in iv[8..14].iter_mut().zip(&index.to_be_bytes()[2..]) {
        *b ^= i;
    }
    iv
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::srtp::test_hex::hex;
    use aes::cipher::KeyInit;

    /// RFC 3711 Appendix B.2: the AES-CM keystream for session key
    /// 2B7E1516..., salt F0F1...FD, SSRC 0 and index 0, at the first three
    /// and the last three of its 65,282 blocks.
    #[test]
    fn rfc3711_b2_keystream() {
        let aes = Aes128Enc::new_from_slice(&hex("2B7E151628AED2A6ABF7158809CF4F3C")).unwrap();
        let salt: [u8; 14] = hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD").try_into().unwrap();
        let iv = packet_iv(&salt, 0, 0);
        assert_eq!(iv.to_vec(), hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"));
        let mut stream = vec![0u8; 0xff02 * 16];
        apply_keystream(&aes, &iv, &mut stream);
        let block = |n: usize| stream[n * 16..n * 16 + 16].to_vec();
        assert_eq!(block(0), hex("E03EAD0935C95E80E166B16DD92B4EB4"));
        assert_eq!(block(1), hex("D23513162B02D0F72A43A2FE4A5F97AB"));
        assert_eq!(block(2), hex("41E95B3BB0A2E8DD477901E4FCA894C0"));
        assert_eq!(block(0xfeff), hex("EC8CDF7398607CB0F2D21675EA9EA1E4"));
        assert_eq!(block(0xff00), hex("362B7C3C6773516318A077D7FC5073AE"));
        assert_eq!(block(0xff01), hex("6A2CC3787889374FBEB4C81B17BA6C44"));
    }

    #[test]
    fn ssrc_and_index_land_in_their_bytes() {
        let iv = packet_iv(&[0; 14], 0xcafe_babe, 0x1234_5678_9abc);
        assert_eq!(iv.to_vec(), hex("00000000CAFEBABE123456789ABC0000"));
    }
}
