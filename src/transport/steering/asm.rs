//! Just enough of an eBPF assembler for the steering program: the
//! instructions it uses, encoded as the kernel reads them (`struct
//! bpf_insn`: opcode, dst/src registers, 16-bit offset, 32-bit immediate),
//! with labels for forward jumps.

/// A register.
#[derive(Clone, Copy)]
pub(super) struct Reg(u8);
pub(super) const R0: Reg = Reg(0);
pub(super) const R1: Reg = Reg(1);
pub(super) const R2: Reg = Reg(2);
pub(super) const R3: Reg = Reg(3);
pub(super) const R4: Reg = Reg(4);
pub(super) const R6: Reg = Reg(6);
pub(super) const R7: Reg = Reg(7);
pub(super) const R8: Reg = Reg(8);
pub(super) const R9: Reg = Reg(9);
pub(super) const R10: Reg = Reg(10);

/// A jump target, bound once.
#[derive(Clone, Copy)]
pub(super) struct Label(usize);

// Opcode parts (linux/bpf_common.h, linux/bpf.h).
const LD: u8 = 0x00;
const LDX: u8 = 0x01;
const ST: u8 = 0x02;
const STX: u8 = 0x03;
const ALU: u8 = 0x04;
const JMP: u8 = 0x05;
const ALU64: u8 = 0x07;
const W: u8 = 0x00;
const B: u8 = 0x10;
const DW: u8 = 0x18;
const MEM: u8 = 0x60;
const K: u8 = 0x00;
const X: u8 = 0x08;
const ADD: u8 = 0x00;
const OR: u8 = 0x40;
const MUL: u8 = 0x20;
const MOD: u8 = 0x90;
const LSH: u8 = 0x60;
const RSH: u8 = 0x70;
const XOR: u8 = 0xa0;
const MOV: u8 = 0xb0;
const JA: u8 = 0x00;
const JEQ: u8 = 0x10;
const JNE: u8 = 0x50;
const JLE: u8 = 0xb0;
const EXIT: u8 = 0x90;
const CALL: u8 = 0x80;
/// ld_imm64's source register for the address of a function of ours.
const PSEUDO_FUNC: Reg = Reg(4);

/// Instructions with unresolved jumps.
#[derive(Default)]
pub(super) struct Asm {
    insns: Vec<u64>,
    labels: Vec<Option<usize>>,
    jumps: Vec<(usize, Label)>,
    funcs: Vec<(usize, Label)>,
}

fn encode(code: u8, dst: Reg, src: Reg, off: i16, imm: i32) -> u64 {
    let regs = (src.0 << 4) | dst.0;
    u64::from(code) | u64::from(regs) << 8 | u64::from(off as u16) << 16 | u64::from(imm as u32) << 32
}

impl Asm {
    pub(super) fn label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() - 1)
    }

    /// Instructions so far.
    pub(super) fn len(&self) -> usize {
        self.insns.len()
    }

    pub(super) fn bind(&mut self, l: Label) {
        self.labels[l.0] = Some(self.insns.len());
    }

    fn op(&mut self, code: u8, dst: Reg, src: Reg, off: i16, imm: i32) {
        self.insns.push(encode(code, dst, src, off, imm));
    }

    fn jump(&mut self, code: u8, dst: Reg, imm: i32, to: Label) {
        self.jumps.push((self.insns.len(), to));
        self.op(JMP | code | K, dst, R0, 0, imm);
    }

    pub(super) fn mov64_reg(&mut self, dst: Reg, src: Reg) {
        self.op(ALU64 | MOV | X, dst, src, 0, 0);
    }
    pub(super) fn mov64_imm(&mut self, dst: Reg, imm: i32) {
        self.op(ALU64 | MOV | K, dst, R0, 0, imm);
    }
    pub(super) fn mov32_imm(&mut self, dst: Reg, imm: i32) {
        self.op(ALU | MOV | K, dst, R0, 0, imm);
    }
    pub(super) fn add64_imm(&mut self, dst: Reg, imm: i32) {
        self.op(ALU64 | ADD | K, dst, R0, 0, imm);
    }
    pub(super) fn lsh64_imm(&mut self, dst: Reg, imm: i32) {
        self.op(ALU64 | LSH | K, dst, R0, 0, imm);
    }
    pub(super) fn rsh64_imm(&mut self, dst: Reg, imm: i32) {
        self.op(ALU64 | RSH | K, dst, R0, 0, imm);
    }
    pub(super) fn add64_reg(&mut self, dst: Reg, src: Reg) {
        self.op(ALU64 | ADD | X, dst, src, 0, 0);
    }
    /// *(u64 *)(dst + off) = imm.
    pub(super) fn store_u64_imm(&mut self, dst: Reg, off: i16, imm: i32) {
        self.op(ST | MEM | DW, dst, R0, off, imm);
    }
    /// *(u64 *)(dst + off) = src.
    pub(super) fn store_u64(&mut self, dst: Reg, off: i16, src: Reg) {
        self.op(STX | MEM | DW, dst, src, off, 0);
    }
    /// dst = *(u64 *)(src + off).
    pub(super) fn load_u64(&mut self, dst: Reg, src: Reg, off: i16) {
        self.op(LDX | MEM | DW, dst, src, off, 0);
    }
    /// dst = *(u8 *)(src + off).
    pub(super) fn load_u8(&mut self, dst: Reg, src: Reg, off: i16) {
        self.op(LDX | MEM | B, dst, src, off, 0);
    }
    /// A kernel helper by number; arguments in R1..R5, result in R0.
    pub(super) fn call_helper(&mut self, id: i32) {
        self.op(JMP | CALL, R0, R0, 0, id);
    }
    /// dst = the address of our function at `f` (for bpf_loop).
    pub(super) fn load_func(&mut self, dst: Reg, f: Label) {
        self.funcs.push((self.insns.len(), f));
        self.op(LD | DW, dst, PSEUDO_FUNC, 0, 0);
        self.op(0, R0, R0, 0, 0);
    }
    pub(super) fn or64_imm(&mut self, dst: Reg, imm: i32) {
        self.op(ALU64 | OR | K, dst, R0, 0, imm);
    }
    pub(super) fn xor64_reg(&mut self, dst: Reg, src: Reg) {
        self.op(ALU64 | XOR | X, dst, src, 0, 0);
    }
    pub(super) fn mul64_reg(&mut self, dst: Reg, src: Reg) {
        self.op(ALU64 | MUL | X, dst, src, 0, 0);
    }
    pub(super) fn mod64_imm(&mut self, dst: Reg, imm: i32) {
        self.op(ALU64 | MOD | K, dst, R0, 0, imm);
    }
    /// Two slots: the low and the high 32 bits.
    pub(super) fn load_imm64(&mut self, dst: Reg, value: u64) {
        self.op(LD | DW, dst, R0, 0, value as u32 as i32);
        self.op(0, R0, R0, 0, (value >> 32) as u32 as i32);
    }
    /// dst = *(u32 *)(src + off), a context field.
    pub(super) fn load_ctx_u32(&mut self, dst: Reg, src: Reg, off: i16) {
        self.op(LDX | MEM | W, dst, src, off, 0);
    }
    pub(super) fn ja(&mut self, to: Label) {
        self.jump(JA, R0, 0, to);
    }
    pub(super) fn jeq_imm(&mut self, r: Reg, imm: i32, to: Label) {
        self.jump(JEQ, r, imm, to);
    }
    pub(super) fn jne_imm(&mut self, r: Reg, imm: i32, to: Label) {
        self.jump(JNE, r, imm, to);
    }
    pub(super) fn jle_imm(&mut self, r: Reg, imm: i32, to: Label) {
        self.jump(JLE, r, imm, to);
    }
    pub(super) fn exit(&mut self) {
        self.op(JMP | EXIT, R0, R0, 0, 0);
    }
    /// Returns `imm` (R0 = imm, exit).
    pub(super) fn ret(&mut self, imm: i32) {
        self.mov64_imm(R0, imm);
        self.exit();
    }

    /// The encoded program, every jump resolved (offsets count from the
    /// instruction after the jump).
    pub(super) fn finish(mut self) -> Vec<u64> {
        for (at, to) in std::mem::take(&mut self.jumps) {
            let target = self.labels[to.0].expect("every label is bound");
            let off = i16::try_from(target as i64 - at as i64 - 1).expect("jump within 32k instructions");
            self.insns[at] = self.insns[at] & !(0xffff << 16) | u64::from(off as u16) << 16;
        }
        for (at, f) in std::mem::take(&mut self.funcs) {
            let target = self.labels[f.0].expect("every label is bound");
            let imm = (target as i64 - at as i64 - 1) as i32;
            self.insns[at] = self.insns[at] & 0xffff_ffff | u64::from(imm as u32) << 32;
        }
        self.insns
    }
}
