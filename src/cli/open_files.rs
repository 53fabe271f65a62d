//! The open-file limit: every connection is a descriptor, and the usual
//! soft limit (1,024) is far below the connection limits. The binaries
//! raise it to the hard limit at start, and say so when that is still
//! short of what the configuration allows.

/// Raises RLIMIT_NOFILE's soft limit to its hard limit; returns the limit
/// now in force (None when it cannot be read).
pub fn raise_open_files() -> Option<u64> {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit/setrlimit with a pointer to a live rlimit.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return None;
        }
        if lim.rlim_cur < lim.rlim_max {
            let raised = libc::rlimit { rlim_cur: lim.rlim_max, rlim_max: lim.rlim_max };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                lim.rlim_cur = lim.rlim_max;
            }
        }
    }
    Some(lim.rlim_cur)
}

/// Raises the limit and warns when `connections` (plus room for the
/// process's other descriptors) would not fit.
pub fn ensure_open_files(connections: usize) {
    if let Some(limit) = raise_open_files()
        && (limit as usize) < connections + 256
    {
        eprintln!(
            "warning: the open-file limit is {limit}, below --max-connections {connections}: \
             connections beyond it are refused (counted as `descriptors`); raise it with ulimit -n"
        );
    }
}
