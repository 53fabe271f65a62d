//! Heap allocations per whole UAS call through `ShardCore` (INVITE → 200
//! with SDP, ACK, BYE → 200, then the timers the call leaves behind).
//! Counted, not timed, so it holds on a noisy machine: a guard for the hot
//! path of issue 3 (state that outlives a transaction is one compact
//! allocation; keys, tags and the top Via are never copied to the heap).
//! Today's count is about 1.05 per call: the dialog's one exact-size
//! block (no shrinking realloc) and the output blocks' share (one 32 KiB
//! block per tens of calls); the SDP offer's media list is inline.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::Duration;

use common::{UacCall, parse_sent, uac_addr};
use sipbench::core::{CoreConfig, Outbox, ShardCore};

/// Counts allocations of the thread that switched counting on, so the
/// test harness's own threads do not disturb the figure.
struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<u64> = const { Cell::new(0) };
}

fn note_alloc() {
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        let _ = COUNT.try_with(|c| c.set(c.get() + 1));
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counters are const-initialised thread-locals that never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_alloc();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_alloc();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Allocations made by `f` on this thread.
fn allocations(f: impl FnOnce()) -> u64 {
    let before = COUNT.with(Cell::get);
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    COUNT.with(Cell::get) - before
}

#[test]
fn a_whole_uas_call_allocates_at_most_twice() {
    let epoch = std::time::Instant::now();
    let mut core = ShardCore::new(CoreConfig { events: false, ..CoreConfig::default() }, epoch);
    let mut out = Outbox::default();
    let mut now = epoch;
    let (warm, calls) = (256u64, 2048u64);
    let mut counted = 0u64;
    for i in 0..warm + calls {
        let mut uac = UacCall::new(i);
        let invite = uac.invite();
        let mut n = allocations(|| {
            core.on_datagram(now, uac_addr(), invite, &mut out);
        });
        let ok = out
            .transmits
            .iter()
            .map(|d| parse_sent(d.data.clone()))
            .find(|m| m.status_code() == Some(200))
            .expect("the INVITE is answered at once");
        uac.learn_tag(&ok);
        drop(ok);
        let (ack, bye) = (uac.ack_2xx(1), uac.in_dialog("BYE", None));
        n += allocations(|| {
            core.on_datagram(now, uac_addr(), ack, &mut out);
            core.on_datagram(now, uac_addr(), bye, &mut out);
            out.clear();
        });
        if i % 64 == 63 {
            now += Duration::from_secs(40);
            n += allocations(|| {
                core.on_timers(now, &mut out);
                out.clear();
            });
        }
        if i >= warm {
            counted += n;
        }
    }
    assert_eq!(core.stats().calls_completed, warm + calls, "every call completed");
    let sizes = core.table_sizes();
    assert_eq!((sizes.calls, sizes.server_txns), (0, 0), "nothing left after the timers");
    let per_call = counted as f64 / calls as f64;
    eprintln!("allocations per call: {per_call:.2}");
    assert!(per_call <= 2.0, "a whole UAS call made {per_call:.2} heap allocations (at most 2)");
}
