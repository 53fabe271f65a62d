//! The steering program: an eBPF socket filter, written out instruction
//! by instruction, that finds a datagram's Call-ID (`Call-ID:` or compact
//! `i:`, any case) in its first bytes and returns the index of the socket
//! whose shard owns it — `owner_shard`'s FNV-1a hash modulo the shard
//! count. The datagram's head is copied to the stack once
//! (`bpf_skb_load_bytes`) and scanned by `bpf_loop`, eight bytes per call
//! of a small state machine, so the verifier checks the step once instead
//! of once per byte position. What it cannot read (no Call-ID in the
//! scanned bytes, end of headers first, an empty value) returns an
//! out-of-range index, and the kernel falls back to its 4-tuple hash; the
//! shards' hand-off stays correct for those.

use super::asm::{Asm, Label, R0, R1, R2, R3, R4, R6, R7, R8, R9, R10};
use super::call_id_scan::{FOUND, NOT_FOUND, VALUE, byte_step};

/// Bytes of the datagram scanned for the Call-ID header.
const SCANNED: i32 = 480;
/// Bytes each call of the loop's step reads.
const STRIDE: i32 = 8;
/// Where the scan's area starts below the frame pointer: the bytes, then
/// the two hashes and the state (the callback's context).
const AREA: i16 = -512;
const H_TMP: i16 = SCANNED as i16;
const H: i16 = H_TMP + 8;
const STATE: i16 = H + 8;

const HELPER_SKB_LOAD_BYTES: i32 = 26;
const HELPER_LOOP: i32 = 181;

/// The program for a group of `shards` sockets, and where its loop step
/// (the second function, for BTF's function info) starts.
pub(super) fn steering_program(shards: u32) -> (Vec<u64>, u32) {
    let mut a = Asm::default();
    let (done, fallback, step, short) = (a.label(), a.label(), a.label(), a.label());
    a.mov64_reg(R6, R1);
    for k in 0..(-AREA / 8) {
        a.store_u64_imm(R10, AREA + 8 * k, 0);
    }
    a.load_ctx_u32(R7, R6, 0); // __sk_buff.len: the UDP payload's length
    a.jle_imm(R7, SCANNED, short);
    a.mov64_imm(R7, SCANNED);
    a.bind(short);
    a.jeq_imm(R7, 0, fallback);
    // bpf_skb_load_bytes(skb, 0, area, len)
    a.mov64_reg(R1, R6);
    a.mov64_imm(R2, 0);
    a.mov64_reg(R3, R10);
    a.add64_imm(R3, AREA.into());
    a.mov64_reg(R4, R7);
    a.call_helper(HELPER_SKB_LOAD_BYTES);
    a.jne_imm(R0, 0, fallback);
    // bpf_loop(words, step, area, 0); bytes past the datagram are zero.
    a.mov64_reg(R1, R7);
    a.add64_imm(R1, STRIDE - 1);
    a.rsh64_imm(R1, STRIDE.trailing_zeros() as i32);
    a.load_func(R2, step);
    a.mov64_reg(R3, R10);
    a.add64_imm(R3, AREA.into());
    a.mov64_imm(R4, 0);
    a.call_helper(HELPER_LOOP);
    a.load_u64(R8, R10, AREA + STATE);
    a.jeq_imm(R8, FOUND, done);
    // A value that ran to the end of what was scanned is whole only when
    // the datagram ends there too.
    a.jne_imm(R8, VALUE, fallback);
    a.load_ctx_u32(R9, R6, 0);
    a.jle_imm(R9, SCANNED, done);
    a.bind(fallback);
    a.mov32_imm(R0, -1);
    a.exit();
    a.bind(done);
    a.load_u64(R7, R10, AREA + H);
    a.mod64_imm(R7, shards.max(1) as i32);
    a.mov64_reg(R0, R7);
    a.exit();
    let step_at = a.len() as u32;
    scan_step(&mut a, step);
    (a.finish(), step_at)
}

/// The loop's body: `step(index, area)` reads bytes `STRIDE·index ..` of
/// the area through the state machine; returns 1 to stop the loop. A zero
/// byte is the end of the datagram.
fn scan_step(a: &mut Asm, step: Label) {
    let (in_range, found, not_found, end) = (a.label(), a.label(), a.label(), a.label());
    a.bind(step);
    a.mov64_reg(R6, R2);
    a.jle_imm(R1, SCANNED / STRIDE - 1, in_range);
    a.ja(not_found);
    a.bind(in_range);
    a.lsh64_imm(R1, STRIDE.trailing_zeros() as i32);
    a.mov64_reg(R3, R6);
    a.add64_reg(R3, R1);
    a.load_u64(R8, R6, STATE);
    a.load_u64(R9, R6, H_TMP);
    a.load_u64(R7, R6, H);
    for k in 0..STRIDE as i16 {
        let next = a.label();
        a.load_u8(R0, R3, k);
        a.jeq_imm(R0, 0, end);
        byte_step(a, next, found, not_found);
        a.bind(next);
    }
    a.store_u64(R6, STATE, R8);
    a.store_u64(R6, H_TMP, R9);
    a.store_u64(R6, H, R7);
    a.ret(0);
    a.bind(end);
    a.jne_imm(R8, VALUE, not_found);
    a.bind(found);
    a.store_u64_imm(R6, STATE, FOUND);
    a.store_u64(R6, H, R7);
    a.ret(1);
    a.bind(not_found);
    a.store_u64_imm(R6, STATE, NOT_FOUND);
    a.ret(1);
}
