//! Steering datagrams to the shard that owns their call, in the kernel.
//! Behind a proxy or SBC every datagram comes from one address, so the
//! SO_REUSEPORT 4-tuple hash puts them all on one socket and that shard
//! hands (N−1)/N of them to their owners, waking each owner for each one.
//! An eBPF program attached to the group (SO_ATTACH_REUSEPORT_EBPF) picks
//! the owner's socket from the Call-ID instead. Best effort: loading needs
//! CAP_BPF (or CAP_SYS_ADMIN); without it, or for a datagram the program
//! cannot read, the shards' hand-off does the job.

mod asm;
mod btf;
mod call_id_scan;
mod program;

use std::io;
use std::net::UdpSocket;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

const BPF_PROG_LOAD: libc::c_long = 5;
const BPF_BTF_LOAD: libc::c_long = 18;
const BPF_PROG_TYPE_SOCKET_FILTER: u32 = 1;

/// `union bpf_attr` as BPF_PROG_LOAD reads it (up to the function info).
#[repr(C)]
#[derive(Default)]
struct ProgLoad {
    prog_type: u32,
    insn_cnt: u32,
    insns: u64,
    license: u64,
    log_level: u32,
    log_size: u32,
    log_buf: u64,
    kern_version: u32,
    prog_flags: u32,
    prog_name: [u8; 16],
    prog_ifindex: u32,
    expected_attach_type: u32,
    prog_btf_fd: u32,
    func_info_rec_size: u32,
    func_info: u64,
    func_info_cnt: u32,
    line_info_rec_size: u32,
}

/// `union bpf_attr` as BPF_BTF_LOAD reads it.
#[repr(C)]
#[derive(Default)]
struct BtfLoad {
    btf: u64,
    btf_log_buf: u64,
    btf_size: u32,
    btf_log_size: u32,
    btf_log_level: u32,
    pad: u32,
}

/// The bpf(2) system call; a new descriptor on success.
fn bpf<T>(command: libc::c_long, attr: &mut T) -> io::Result<OwnedFd> {
    // SAFETY: `attr` is a bpf_attr prefix for `command`, its pointers
    // valid for the call; the kernel reads `size_of::<T>()` bytes.
    let fd = unsafe { libc::syscall(libc::SYS_bpf, command, attr as *mut T, std::mem::size_of::<T>()) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a descriptor the kernel just gave us, owned here.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as i32) })
}

/// The last lines of a verifier log, to say why a load failed.
fn log_tail(error: io::Error, log: &[u8]) -> io::Error {
    let text = String::from_utf8_lossy(log);
    let lines: Vec<&str> = text.trim_end_matches('\0').lines().collect();
    let tail = lines[lines.len().saturating_sub(3)..].join(" / ");
    io::Error::new(error.kind(), format!("{error}: {tail}"))
}

/// Loads the program for `group` (socket i serves shard i) and attaches it
/// to the group.
pub fn steer_by_call_id(group: &[UdpSocket]) -> io::Result<()> {
    let Some(first) = group.first() else { return Ok(()) };
    let shards = u32::try_from(group.len()).map_err(|_| io::Error::other("too many sockets"))?;
    let (insns, step_at) = program::steering_program(shards);
    let btf = btf::blob();
    let mut btf_attr = BtfLoad { btf: btf.as_ptr() as u64, btf_size: btf.len() as u32, ..BtfLoad::default() };
    let btf_fd = bpf(BPF_BTF_LOAD, &mut btf_attr)?;
    let func_info: [u32; 4] = [0, btf::PROGRAM_FUNC, step_at, btf::STEP_FUNC];
    let license = c"GPL";
    let mut attr = ProgLoad {
        prog_type: BPF_PROG_TYPE_SOCKET_FILTER,
        insn_cnt: u32::try_from(insns.len()).map_err(|_| io::Error::other("program too long"))?,
        insns: insns.as_ptr() as u64,
        license: license.as_ptr() as u64,
        prog_btf_fd: btf_fd.as_raw_fd() as u32,
        func_info_rec_size: 8,
        func_info: func_info.as_ptr() as u64,
        func_info_cnt: (func_info.len() / 2) as u32,
        ..ProgLoad::default()
    };
    let name = b"sip_call_id\0";
    attr.prog_name[..name.len()].copy_from_slice(name);
    let prog = bpf(BPF_PROG_LOAD, &mut attr).or_else(|error| {
        // Refused: once more with the verifier's log, to say why.
        let mut log = vec![0u8; 1 << 20];
        attr.log_level = 1;
        attr.log_size = log.len() as u32;
        attr.log_buf = log.as_mut_ptr() as u64;
        bpf(BPF_PROG_LOAD, &mut attr).map_err(|_| log_tail(error, &log))
    })?;
    // The group keeps its own reference to the program.
    super::udp::set_int_option(first, libc::SO_ATTACH_REUSEPORT_EBPF, prog.as_raw_fd())
}
