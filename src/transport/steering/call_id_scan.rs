//! Finding the Call-ID, one byte at a time: the state machine the steering
//! program runs over a datagram's head (states in R8, the byte in R0),
//! hashing the value with FNV-1a as `owner_shard` does — the hash in R7
//! covers the value up to its last byte that is not blank, R9 runs ahead
//! over blanks that may turn out to be inside it.

use super::asm::{Asm, Label, R0, R1, R2, R7, R8, R9};
use crate::core::{FNV_OFFSET, FNV_PRIME};

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
    if_line_end(a, done);
    fnv_byte(a);
    if_blank(a, next);
    a.mov64_reg(R7, R9); // the hash up to the last byte that is not blank
    a.ja(next);

    a.bind(other_line);
    a.jne_imm(R0, b'\n'.into(), next);
    enter(a, LINE_START, next);

    a.bind(line_start);
    if_line_end(a, fallback); // end of headers
    lower_case_into_r2(a);
    let (c, i) = (a.label(), a.label());
    a.jeq_imm(R2, b'c'.into(), c);
    a.jeq_imm(R2, b'i'.into(), i);
    enter(a, OTHER_LINE, next);
    a.bind(c);
    enter(a, CALL_ID, next);
    a.bind(i);
    enter(a, AFTER_NAME, next);

    a.bind(after_name);
    if_blank(a, next);
    let colon = a.label();
    a.jeq_imm(R0, b':'.into(), colon);
    a.ja(miss);
    a.bind(colon);
    enter(a, BEFORE_VALUE, next);

    a.bind(before_value);
    if_blank(a, next);
    if_line_end(a, fallback); // an empty Call-ID
    a.load_imm64(R9, FNV_OFFSET);
    fnv_byte(a);
    a.mov64_reg(R7, R9);
    enter(a, VALUE, next);

    a.bind(call_id);
    lower_case_into_r2(a);
    for (k, expected) in b"all-id".iter().enumerate() {
        let state = CALL_ID + k as i32;
        let after = if k == 5 { AFTER_NAME } else { state + 1 };
        let other = a.label();
        a.jne_imm(R8, state, other);
        a.jne_imm(R2, i32::from(*expected), miss);
        enter(a, after, next);
        a.bind(other);
    }
    a.bind(miss);
    a.mov64_imm(R8, OTHER_LINE);
    a.jne_imm(R0, b'\n'.into(), next);
    enter(a, LINE_START, next);
}

/// R8 = `state`, then on to the next byte.
fn enter(a: &mut Asm, state: i32, next: Label) {
    a.mov64_imm(R8, state);
    a.ja(next);
}

/// To `to` when the byte is a space or a tab.
fn if_blank(a: &mut Asm, to: Label) {
    a.jeq_imm(R0, b' '.into(), to);
    a.jeq_imm(R0, b'\t'.into(), to);
}

/// To `to` when the byte is CR or LF.
fn if_line_end(a: &mut Asm, to: Label) {
    a.jeq_imm(R0, b'\r'.into(), to);
    a.jeq_imm(R0, b'\n'.into(), to);
}

/// R2 = the byte with its ASCII case bit set (letters in lower case).
fn lower_case_into_r2(a: &mut Asm) {
    a.mov64_reg(R2, R0);
    a.or64_imm(R2, 0x20);
}

/// R9 = (R9 ^ R0) * FNV prime: one byte of FNV-1a.
fn fnv_byte(a: &mut Asm) {
    a.xor64_reg(R9, R0);
    a.load_imm64(R1, FNV_PRIME);
    a.mul64_reg(R9, R1);
}
