//! The smallest BTF the kernel asks of a program with a callback: two
//! static functions (`sip_call_id`, the program, and `scan_step`, its
//! loop body), each `int f(void)` — the verifier only needs to know where
//! each function starts (BPF_PSEUDO_FUNC requires function info).

const MAGIC: u16 = 0xeb9f;
const KIND_INT: u32 = 1;
const KIND_FUNC: u32 = 12;
const KIND_FUNC_PROTO: u32 = 13;
const INT_SIGNED: u32 = 1 << 24;

/// Type ids of the two functions in [`blob`].
pub(super) const PROGRAM_FUNC: u32 = 3;
pub(super) const STEP_FUNC: u32 = 4;

/// `struct btf_header`, the types, then the strings.
pub(super) fn blob() -> Vec<u8> {
    let strings = b"\0int\0sip_call_id\0scan_step\0";
    let (int_name, program_name, step_name) = (1u32, 5u32, 17u32);
    let types: [u32; 13] = [
        // 1: int, 4 bytes, signed 32 bits
        int_name,
        KIND_INT << 24,
        4,
        INT_SIGNED | 32,
        // 2: int (void)
        0,
        KIND_FUNC_PROTO << 24,
        1,
        // 3, 4: static functions of type 2
        program_name,
        KIND_FUNC << 24,
        2,
        step_name,
        KIND_FUNC << 24,
        2,
    ];
    let type_len = (types.len() * 4) as u32;
    let mut b = Vec::with_capacity(24 + type_len as usize + strings.len());
    b.extend_from_slice(&MAGIC.to_le_bytes());
    b.extend_from_slice(&[1, 0]); // version, flags
    for field in [24, 0, type_len, type_len, strings.len() as u32] {
        b.extend_from_slice(&field.to_le_bytes()); // hdr_len, type off/len, str off/len
    }
    for word in types {
        b.extend_from_slice(&word.to_le_bytes());
    }
    b.extend_from_slice(strings);
    b
}
