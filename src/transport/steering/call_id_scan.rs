//! Finding the Call-ID, one byte at a time: the state machine the steering
//! program runs over a datagram's head (states in R8, the byte in R0),
//! hashing the value with FNV-1a as `owner_shard` does — the hash in R7
//! covers the value up to its last byte that is not blank, R9 runs ahead
//! over blanks that may turn out to be inside it.

use super::asm::{Asm, Label, R0, R1, R2, R7, R8, R9};

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

// States (in R8).
const LINE_START: i32 = 0;
const OTHER_LINE: i32 = 1;
/// 10..=15: "c" seen, matching "all-id" one byte per state.
const CALL_ID: i32 = 10;
const AFTER_NAME: i32 = 20;
const BEFORE_VALUE: i32 = 21;
pub(super) const VALUE: i32 = 22;
/// The value ended: the hash is the owner's.
pub(super) const FOUND: i32 = 30;
/// Nothing to steer by.
pub(super) const NOT_FOUND: i32 = 31;

/// One byte (in R0) through the state machine in R8.
pub(super) fn byte_step(a: &mut Asm, next: Label, done: Label, fallback: Label) {
    let (line_start, other_line, call_id, after_name, before_value, value, miss) =
        (a.label(), a.label(), a.label(), a.label(), a.label(), a.label(), a.label());
    a.jeq_imm(R8, VALUE, value);
    a.jeq_imm(R8, OTHER_LINE, other_line);
    a.jeq_imm(R8, LINE_START, line_start);
    a.jeq_imm(R8, AFTER_NAME, after_name);
    a.jeq_imm(R8, BEFORE_VALUE, before_value);
    a.ja(call_id);

    a.bind(value);
    a.jeq_imm(R0, b'\r'.into(), done);
    a.jeq_imm(R0, b'\n'.into(), done);
    fnv_byte(a);
    a.jeq_imm(R0, b' '.into(), next);
    a.jeq_imm(R0, b'\t'.into(), next);
    a.mov64_reg(R7, R9); // the hash up to the last byte that is not blank
    a.ja(next);

    a.bind(other_line);
    a.jne_imm(R0, b'\n'.into(), next);
    a.mov64_imm(R8, LINE_START);
    a.ja(next);

    a.bind(line_start);
    a.jeq_imm(R0, b'\r'.into(), fallback); // end of headers
    a.jeq_imm(R0, b'\n'.into(), fallback);
    a.mov64_reg(R2, R0);
    a.or64_imm(R2, 0x20);
    let (c, i) = (a.label(), a.label());
    a.jeq_imm(R2, b'c'.into(), c);
    a.jeq_imm(R2, b'i'.into(), i);
    a.mov64_imm(R8, OTHER_LINE);
    a.ja(next);
    a.bind(c);
    a.mov64_imm(R8, CALL_ID);
    a.ja(next);
    a.bind(i);
    a.mov64_imm(R8, AFTER_NAME);
    a.ja(next);

    a.bind(after_name);
    a.jeq_imm(R0, b' '.into(), next);
    a.jeq_imm(R0, b'\t'.into(), next);
    let colon = a.label();
    a.jeq_imm(R0, b':'.into(), colon);
    a.ja(miss);
    a.bind(colon);
    a.mov64_imm(R8, BEFORE_VALUE);
    a.ja(next);

    a.bind(before_value);
    a.jeq_imm(R0, b' '.into(), next);
    a.jeq_imm(R0, b'\t'.into(), next);
    a.jeq_imm(R0, b'\r'.into(), fallback); // an empty Call-ID
    a.jeq_imm(R0, b'\n'.into(), fallback);
    a.load_imm64(R9, FNV_OFFSET);
    fnv_byte(a);
    a.mov64_reg(R7, R9);
    a.mov64_imm(R8, VALUE);
    a.ja(next);

    a.bind(call_id);
    a.mov64_reg(R2, R0);
    a.or64_imm(R2, 0x20);
    for (k, expected) in b"all-id".iter().enumerate() {
        let state = CALL_ID + k as i32;
        let after = if k == 5 { AFTER_NAME } else { state + 1 };
        let other = a.label();
        a.jne_imm(R8, state, other);
        a.jne_imm(R2, i32::from(*expected), miss);
        a.mov64_imm(R8, after);
        a.ja(next);
        a.bind(other);
    }
    a.bind(miss);
    a.mov64_imm(R8, OTHER_LINE);
    a.jne_imm(R0, b'\n'.into(), next);
    a.mov64_imm(R8, LINE_START);
    a.ja(next);
}

/// R9 = (R9 ^ R0) * FNV prime: one byte of FNV-1a.
fn fnv_byte(a: &mut Asm) {
    a.xor64_reg(R9, R0);
    a.load_imm64(R1, FNV_PRIME);
    a.mul64_reg(R9, R1);
}
