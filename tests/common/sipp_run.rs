//! Running the real binaries and SIPp in tests: free loopback port
//! blocks, scratch directories, a `sipbench-server` process with its
//! summary.json, SIPp runs with their statistics, kill by PID.

use std::collections::HashMap;
use std::fs;
use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

pub const SERVER_BIN: &str = env!("CARGO_BIN_EXE_sipbench-server");
pub const LOOPBACK4: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
pub const LOOPBACK6: IpAddr = IpAddr::V6(Ipv6Addr::LOCALHOST);

/// Port blocks handed out in this process: below the ephemeral range, so
/// SIPp's per-call sockets and other clients never take them.
pub const PORT_FIRST: u16 = 21_000;
pub const PORT_LAST: u16 = 32_000;
pub const BLOCK: u16 = 8;
pub static NEXT_BLOCK: AtomicU16 = AtomicU16::new(0);

/// The ports of one server + SIPp pair: the server's SIP port, SIPp's SIP
/// port (`-p`), its media ports (`-mp`, which also takes `+2`) and its
/// control port (`-cp`, bound on the wildcard address).
#[derive(Debug, Clone, Copy)]
pub struct Ports {
    pub server: u16,
    pub sipp: u16,
    pub media: u16,
    pub control: u16,
}

impl Ports {
    pub fn from_block(base: u16) -> Ports {
        Ports { server: base, sipp: base + 1, media: base + 2, control: base + 6 }
    }

    pub fn all_free(&self, ip: IpAddr) -> bool {
        let wildcard: IpAddr =
            if ip.is_ipv6() { Ipv6Addr::UNSPECIFIED.into() } else { Ipv4Addr::UNSPECIFIED.into() };
        let free = |ip: IpAddr, port: u16| UdpSocket::bind(SocketAddr::new(ip, port)).is_ok();
        [self.server, self.sipp, self.media, self.media + 2].iter().all(|&p| free(ip, p))
            && free(wildcard, self.control)
            && free(Ipv4Addr::UNSPECIFIED.into(), self.control)
    }
}

/// The next block whose ports are all free (bind-tested) on `ip`.
pub fn free_ports(ip: IpAddr) -> Ports {
    let blocks = (PORT_LAST - PORT_FIRST) / BLOCK;
    // Start somewhere that depends on the process, so two test processes
    // running at once rarely probe the same blocks.
    let offset = (std::process::id() % u32::from(blocks)) as u16;
    for _ in 0..blocks {
        let n = (NEXT_BLOCK.fetch_add(1, Ordering::Relaxed) + offset) % blocks;
        let ports = Ports::from_block(PORT_FIRST + n * BLOCK);
        if ports.all_free(ip) {
            return ports;
        }
    }
    panic!("no free UDP port block in {PORT_FIRST}..{PORT_LAST} on {ip}");
}

/// A fresh directory for one test's files under Cargo's test scratch dir.
pub fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sipp_server").join(test);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

pub fn tail(path: &Path, bytes: usize) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let start = text.len().saturating_sub(bytes);
    let start = (start..text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
    text[start..].to_string()
}

/// Waits for `child` until `limit`; past it, SIGKILL by PID and `None`.
pub fn wait_with_limit(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + limit;
    loop {
        match child.try_wait().expect("try_wait") {
            Some(status) => return Some(status),
            None if Instant::now() >= deadline => {
                kill(child, libc::SIGKILL);
                let _ = child.wait();
                return None;
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

pub fn kill(child: &Child, signal: libc::c_int) {
    let pid = libc::pid_t::try_from(child.id()).expect("pid fits pid_t");
    // SAFETY: kill(2) with a PID we spawned and have not reaped yet.
    unsafe {
        libc::kill(pid, signal);
    }
}

/// Fails the test (never skips it) when SIPp is not installed.
pub fn require_sipp() {
    match Command::new("sipp").arg("-v").stdout(Stdio::null()).stderr(Stdio::null()).status() {
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => panic!(
            "`sipp` (SIPp) is not installed or not on PATH; these tests need it. \
             Run scripts/test.sh, which installs Debian's sip-tester package (apt-get install sip-tester)."
        ),
        Err(e) => panic!("cannot run `sipp -v`: {e}"),
    }
}

/// A running `sipbench-server`.
pub struct Server {
    pub child: Option<Child>,
    pub dir: PathBuf,
    pub addr: SocketAddr,
    pub ports: Ports,
}

impl Server {
    /// Starts the server on free ports of `ip` with these extra flags and
    /// waits until it listens; retries on another block if the port was
    /// taken in the meantime.
    pub fn start(dir: &Path, ip: IpAddr, args: &[&str]) -> Server {
        let mut last_err = String::new();
        for _ in 0..5 {
            let ports = free_ports(ip);
            let addr = SocketAddr::new(ip, ports.server);
            let (out, err) = (dir.join("server.out"), dir.join("server.err"));
            let child = Command::new(SERVER_BIN)
                .arg("--listen")
                .arg(addr.to_string())
                .arg("--report")
                .arg(dir.join("report"))
                .args(["--quiet", "--no-pin"])
                .args(if args.contains(&"--shutdown-secs") { &[][..] } else { &["--shutdown-secs", "3"] })
                .args(args)
                .stdin(Stdio::null())
                .stdout(fs::File::create(&out).expect("server.out"))
                .stderr(fs::File::create(&err).expect("server.err"))
                .spawn()
                .expect("spawn sipbench-server");
            let mut server = Server { child: Some(child), dir: dir.to_path_buf(), addr, ports };
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                if fs::read_to_string(&err).unwrap_or_default().contains("listening on") {
                    return server;
                }
                let child = server.child.as_mut().expect("child");
                if let Some(status) = child.try_wait().expect("try_wait") {
                    server.child = None;
                    last_err = format!("server exited ({status}): {}", tail(&err, 2000));
                    break;
                }
                assert!(Instant::now() < deadline, "server did not start in 20 s: {}", tail(&err, 2000));
                std::thread::sleep(Duration::from_millis(20));
            }
            if !last_err.contains("in use") {
                break;
            }
        }
        panic!("cannot start sipbench-server: {last_err}");
    }

    /// The same server seen from a second SIPp on other ports (no process).
    pub fn view_from(&self, ports: Ports) -> Server {
        Server { child: None, dir: self.dir.clone(), addr: self.addr, ports }
    }

    /// SIGTERM by PID, wait for the graceful exit, read `summary.json`.
    pub fn stop(mut self) -> Summary {
        let mut child = self.child.take().expect("server still running");
        kill(&child, libc::SIGTERM);
        let status = wait_with_limit(&mut child, Duration::from_secs(20));
        let err = self.dir.join("server.err");
        let status =
            status.unwrap_or_else(|| panic!("server ignored SIGTERM for 20 s: {}", tail(&err, 2000)));
        assert!(status.success(), "server exited with {status}: {}", tail(&err, 2000));
        let path = self.dir.join("report").join("summary.json");
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        let json: Value = serde_json::from_str(&text).expect("summary.json is JSON");
        Summary { json, stdout: fs::read_to_string(self.dir.join("server.out")).unwrap_or_default() }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            kill(child, libc::SIGKILL);
            let _ = child.wait();
        }
    }
}

/// The server's summary.json.
pub struct Summary {
    pub json: Value,
    pub stdout: String,
}

impl Summary {
    /// A counter by JSON pointer under `total`, e.g. `/calls/completed`.
    pub fn total(&self, pointer: &str) -> u64 {
        self.at(&self.json["total"], pointer)
    }

    /// A counter of shard `i`.
    pub fn shard(&self, i: usize, pointer: &str) -> u64 {
        self.at(&self.json["shards"][i]["counters"], pointer)
    }

    /// A media total, e.g. `packets_in`.
    pub fn media(&self, key: &str) -> u64 {
        self.at(&self.json["media"]["totals"], &format!("/{key}"))
    }

    pub fn shards(&self) -> usize {
        self.json["shards"].as_array().map_or(0, Vec::len)
    }

    pub fn at(&self, v: &Value, pointer: &str) -> u64 {
        v.pointer(pointer)
            .and_then(Value::as_u64)
            .unwrap_or_else(|| panic!("summary.json has no counter {pointer}:\n{}", self.json))
    }
}

/// What one SIPp run reported.
pub struct Sipp {
    pub status: ExitStatus,
    /// The last row of `-trace_stat` (cumulative columns end in `(C)`).
    pub stats: HashMap<String, String>,
    /// The last row of `-trace_counts` (per scenario message).
    pub counts: HashMap<String, String>,
    pub screen: String,
}

impl Sipp {
    pub fn stat(&self, key: &str) -> u64 {
        let v = self.stats.get(key).unwrap_or_else(|| panic!("SIPp statistics lack {key}"));
        v.trim().parse().unwrap_or_else(|_| panic!("SIPp statistic {key} = {v:?}"))
    }

    pub fn successful(&self) -> u64 {
        self.stat("SuccessfulCall(C)")
    }

    pub fn failed(&self) -> u64 {
        self.stat("FailedCall(C)")
    }

    /// A per-message count whose column ends with `suffix`, e.g. `_486_Recv`.
    pub fn count(&self, suffix: &str) -> u64 {
        let (_, v) = self
            .counts
            .iter()
            .find(|(k, _)| k.ends_with(suffix))
            .unwrap_or_else(|| panic!("SIPp message counts lack *{suffix}: {:?}", self.counts.keys()));
        v.trim().parse().unwrap_or_else(|_| panic!("SIPp count {suffix} = {v:?}"))
    }

    /// "Peak was N calls" from SIPp's final screen.
    pub fn peak_calls(&self) -> u64 {
        let key = "Peak was ";
        self.screen
            .rfind(key)
            .and_then(|at| self.screen[at + key.len()..].split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no \"Peak was N calls\" on SIPp's screen:\n{}", self.screen))
    }

    /// Asserts SIPp's own verdict: exit 0, `calls` successful, none failed.
    pub fn assert_all_successful(&self, calls: u64) {
        let ctx = || format!("SIPp exit {}; final screen:\n{}", self.status, self.screen);
        assert_eq!(self.failed(), 0, "SIPp counted failed calls; {}", ctx());
        assert_eq!(self.successful(), calls, "SIPp successful calls; {}", ctx());
        assert!(self.status.success(), "SIPp did not exit 0; {}", ctx());
    }
}

/// The last row of a `;`-separated SIPp CSV file, keyed by its header.
pub fn last_row(path: &Path) -> HashMap<String, String> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = lines.next().unwrap_or_else(|| panic!("{} is empty", path.display()));
    let last = lines.next_back().unwrap_or_else(|| panic!("{} has no data row", path.display()));
    header.split(';').zip(last.split(';')).map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Runs `sipp` with the project's scenario `scenario` against `server`,
/// in `dir`, with `extra` arguments (rate, limits, -m). SIPp is killed by
/// PID past `limit`; its own `-timeout` fires a little earlier so that it
/// still writes its statistics.
pub fn run_sipp(dir: &Path, server: &Server, scenario: &str, extra: &[&str], limit: Duration) -> Sipp {
    require_sipp();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("sipp").join(scenario);
    fs::copy(&src, dir.join(scenario)).unwrap_or_else(|e| panic!("copy {}: {e}", src.display()));
    let ip = server.addr.ip();
    let p = server.ports;
    let sipp_timeout = format!("{}s", limit.as_secs().saturating_sub(5).max(5));
    let (out, err) = (dir.join("sipp.out"), dir.join("sipp.err"));
    let mut cmd = Command::new("sipp");
    cmd.current_dir(dir)
        .args(["-sf", scenario])
        .arg(server.addr.to_string())
        .arg("-i")
        .arg(ip.to_string())
        .args(["-p", &p.sipp.to_string(), "-mp", &p.media.to_string(), "-cp", &p.control.to_string()])
        .args(["-nostdin", "-trace_stat", "-stf", "stat.csv", "-fd", "1", "-trace_counts", "-trace_err"])
        .args(["-trace_screen", "-screen_file", "screen.log", "-timeout", &sipp_timeout, "-timeout_error"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out).expect("sipp.out"))
        .stderr(fs::File::create(&err).expect("sipp.err"));
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => panic!("cannot run sipp: {e} (scripts/test.sh installs sip-tester)"),
    };
    let status = wait_with_limit(&mut child, limit).unwrap_or_else(|| {
        panic!(
            "sipp ran past {limit:?} and was killed; stderr: {}\nscreen:\n{}",
            tail(&err, 2000),
            tail(&out, 4000)
        )
    });
    let screen = fs::read_to_string(dir.join("screen.log")).unwrap_or_else(|_| tail(&out, 6000));
    let stat_path = dir.join("stat.csv");
    if !stat_path.exists() {
        panic!(
            "sipp exited {status} without statistics; stderr: {}\nstdout: {}",
            tail(&err, 2000),
            tail(&out, 4000)
        );
    }
    let counts_path = fs::read_dir(dir)
        .expect("read scratch dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with("_counts.csv"))
        .unwrap_or_else(|| panic!("sipp wrote no _counts.csv in {}", dir.display()));
    let sipp = Sipp { status, stats: last_row(&stat_path), counts: last_row(&counts_path), screen };
    // Keep the trace files of this run apart from the next run's.
    let _ = fs::remove_file(&counts_path);
    let _ = fs::rename(&stat_path, dir.join(format!("stat-{}.csv", scenario.trim_end_matches(".xml"))));
    sipp
}
