//! Responses a server transaction keeps to answer retransmissions while it
//! lingers (64·T1 for a non-INVITE final over UDP, until the ACK for a
//! non-2xx INVITE final). Each is copied into blocks that hold nothing
//! else: a share of the shard's output block would keep every other
//! message written there alive as long as the transaction. Transactions
//! linger for the same time, so blocks empty in the order they filled and
//! are freed whole; a block costs one allocation per many responses.

use bytes::{Bytes, BytesMut};

/// Bytes per block of kept responses.
const BLOCK: usize = 16 * 1024;

/// A shard's store of kept responses.
#[derive(Debug, Default)]
pub struct KeptResponses {
    block: BytesMut,
}

impl KeptResponses {
    /// A copy of `data` that shares its allocation only with other kept
    /// responses.
    pub fn keep(&mut self, data: &[u8]) -> Bytes {
        if data.len() > BLOCK / 4 {
            return Bytes::copy_from_slice(data);
        }
        if self.block.capacity() - self.block.len() < data.len() {
            // A fresh block; the old one lives on in its kept responses.
            self.block = BytesMut::with_capacity(BLOCK);
        }
        self.block.extend_from_slice(data);
        self.block.split().freeze()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_responses_are_packed_apart_and_equal_to_the_original() {
        let mut kept = KeptResponses::default();
        let a = kept.keep(b"SIP/2.0 200 OK\r\n\r\n");
        let b = kept.keep(b"SIP/2.0 486 Busy Here\r\n\r\n");
        assert_eq!(&a[..], b"SIP/2.0 200 OK\r\n\r\n");
        assert_eq!(&b[..], b"SIP/2.0 486 Busy Here\r\n\r\n");
        // Back to back in one block: nothing else is kept alive with them.
        assert_eq!(a.as_ptr().wrapping_add(a.len()), b.as_ptr());
        // A response that does not fit starts a new block.
        let big = vec![b'x'; BLOCK / 4];
        for _ in 0..4 {
            kept.keep(&big);
        }
        let c = kept.keep(b"SIP/2.0 200 OK\r\n\r\n");
        assert_ne!(b.as_ptr().wrapping_add(b.len()), c.as_ptr());
    }
}
