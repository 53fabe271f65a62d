//! Timing wheel (`sipbench::timer`): firing order, ties, cancel and stale
//! handles, level boundaries, wrap-around, far deadlines, `next_deadline`,
//! bookkeeping, and "never early, never late" against a simple reference.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use sipbench::timer::{TimerHandle, TimerWheel};

/// Tiny deterministic generator (Knuth's MMIX LCG, high bits used).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 16
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn at(epoch: Instant, ms: u64) -> Instant {
    epoch + Duration::from_millis(ms)
}

/// The tick a deadline fires at: whole ms since epoch, rounded up.
fn tick(epoch: Instant, deadline: Instant) -> u64 {
    deadline.duration_since(epoch).as_nanos().div_ceil(1_000_000) as u64
}

/// Polls at `now`, returning the fired values in firing order.
fn poll_vals<T>(w: &mut TimerWheel<T>, now: Instant) -> Vec<T> {
    let mut out = Vec::new();
    w.poll(now, |_, v| out.push(v));
    out
}

/// Polls at `at(epoch, ms - 1)` (nothing may fire) then at `at(epoch, ms)`
/// (exactly `expect` fires, in that order).
fn fires_exactly_at(w: &mut TimerWheel<u64>, epoch: Instant, ms: u64, expect: &[u64]) {
    assert_eq!(poll_vals(w, at(epoch, ms - 1)), Vec::<u64>::new(), "fired early, before {ms} ms");
    assert_eq!(poll_vals(w, at(epoch, ms)), expect, "not fired at {ms} ms");
}

const SECOND: u64 = 1_000;
const HOUR: u64 = 3_600 * SECOND;
const DAY: u64 = 24 * HOUR;
const YEAR: u64 = 365 * DAY;

#[test]
fn ten_thousand_random_deadlines_fire_in_sorted_order_never_early_never_late() {
    let epoch = Instant::now();
    let mut w = TimerWheel::new(epoch);
    let mut rng = Lcg(7);
    let mut reference = Vec::new();
    let mut ticks = Vec::new();
    let mut handles = Vec::new();
    for id in 0..10_000u64 {
        // Magnitudes from 1 ms to ~4.6 hours (2^24 ms), a third with
        // sub-ms parts; small magnitudes give many same-tick ties.
        let bits = 1 + rng.below(24);
        let ms = rng.below(1 << bits);
        let sub_ns = if id % 3 == 0 { rng.below(1_000_000) } else { 0 };
        let deadline = epoch + Duration::from_nanos(ms * 1_000_000 + sub_ns);
        handles.push(w.insert(deadline, id));
        ticks.push(tick(epoch, deadline));
        reference.push((tick(epoch, deadline), id));
    }
    assert_eq!(w.len(), 10_000);
    reference.sort();
    let last = reference.last().unwrap().0;

    let mut fired = Vec::new();
    let mut prev_now: Option<u64> = None;
    let mut now_ns = 0u64;
    while !w.is_empty() {
        // Jumps of 0..~17 min, not on ms boundaries.
        let bits = rng.below(41);
        now_ns += rng.below(1 << bits);
        let now_ms = now_ns / 1_000_000;
        w.poll(epoch + Duration::from_nanos(now_ns), |h, id| fired.push((id, h, prev_now, now_ms)));
        prev_now = Some(now_ms);
        assert!(now_ms <= last + 10 * HOUR, "wheel never emptied");
    }
    let order: Vec<u64> = fired.iter().map(|f| f.0).collect();
    let expected: Vec<u64> = reference.iter().map(|r| r.1).collect();
    assert_eq!(order, expected);
    for &(id, h, prev_now, now_ms) in &fired {
        let t = ticks[id as usize];
        assert!(t <= now_ms, "timer {id} (tick {t}) fired early at {now_ms}");
        assert!(prev_now.is_none_or(|p| t > p), "timer {id} (tick {t}) missed the poll at {prev_now:?}");
        assert_eq!(h, handles[id as usize], "fire got another handle");
        assert!(!w.contains(h));
    }
}

#[test]
fn same_tick_ties_fire_in_insertion_order_across_levels() {
    let epoch = Instant::now();
    let mut w = TimerWheel::new(epoch);
    // 5000 ms: inserted at 0 it sits on a coarse level, later ones land lower.
    w.insert(at(epoch, 5_000), 0u64);
    w.insert(epoch + Duration::from_micros(4_999_001), 1); // rounds up to 5000
    w.insert(at(epoch, 4_999), 100);
    w.insert(at(epoch, 5_001), 200);
    assert!(poll_vals(&mut w, at(epoch, 4_000)).is_empty());
    w.insert(at(epoch, 5_000), 2);
    assert_eq!(poll_vals(&mut w, at(epoch, 4_990)), Vec::<u64>::new());
    w.insert(at(epoch, 5_000), 3);
    w.insert(epoch + Duration::from_micros(4_999_500), 4);
    for id in 5..300 {
        w.insert(at(epoch, 5_000), id);
    }
    let mut expect = vec![100];
    expect.extend(0..300);
    expect.push(200);
    assert_eq!(poll_vals(&mut w, at(epoch, 6_000)), expect);
}

#[test]
fn cancel_before_fire_returns_value_and_never_fires() {
    let epoch = Instant::now();
    let mut w = TimerWheel::new(epoch);
    let a = w.insert(at(epoch, 10), "a");
    let b = w.insert(at(epoch, 10), "b");
    let c = w.insert(at(epoch, 100_000), "c");
    let d = w.insert(at(epoch, 0), "d"); // already due
    assert_eq!(w.cancel(b), Some("b"));
    assert_eq!(w.cancel(c), Some("c"));
    assert_eq!(w.cancel(d), Some("d"));
    assert!(w.contains(a) && !w.contains(b) && !w.contains(c) && !w.contains(d));
    assert_eq!(w.len(), 1);
    assert_eq!(poll_vals(&mut w, at(epoch, 10)), vec!["a"]);
    assert!(poll_vals(&mut w, at(epoch, 10 * HOUR)).is_empty());
    assert!(w.is_empty() && w.next_deadline().is_none());
}

#[test]
fn stale_handles_after_fire_and_cancel_do_not_touch_reused_slots() {
    let epoch = Instant::now();
    let mut w = TimerWheel::new(epoch);
    let fired_h = w.insert(at(epoch, 5), 1u64);
    let cancelled_h = w.insert(at(epoch, 7), 2);
    let mut seen = Vec::new();
    w.poll(at(epoch, 5), |h, v| seen.push((h, v)));
    assert_eq!(seen, vec![(fired_h, 1)]);
    assert_eq!(w.cancel(cancelled_h), Some(2));
    for stale in [fired_h, cancelled_h] {
        assert!(!w.contains(stale));
        assert_eq!(w.cancel(stale), None);
    }
    // New timers reuse the freed arena slots; old handles must not reach them.
    let n1 = w.insert(at(epoch, 20), 10);
    let n2 = w.insert(at(epoch, 20), 11);
    // Same arena slots (the free list is reused), newer generations.
    let mut old_slots = [slot_of(fired_h), slot_of(cancelled_h)];
    let mut new_slots = [slot_of(n1), slot_of(n2)];
    old_slots.sort();
    new_slots.sort();
    assert_eq!(old_slots, new_slots, "test premise: new timers reuse the freed slots");
    assert!(n1 != fired_h && n1 != cancelled_h && n2 != fired_h && n2 != cancelled_h);
    assert_eq!(w.cancel(fired_h), None);
    assert_eq!(w.cancel(cancelled_h), None);
    assert!(w.contains(n1) && w.contains(n2) && !w.contains(fired_h) && !w.contains(cancelled_h));
    assert_eq!(w.len(), 2);
    assert_eq!(poll_vals(&mut w, at(epoch, 20)), vec![10, 11]);
    // Many reuse cycles: every old handle stays stale.
    let mut old: Vec<TimerHandle> = vec![n1, n2];
    for round in 0..50u64 {
        let h = w.insert(at(epoch, 30 + round), round);
        for &o in &old {
            assert_eq!(w.cancel(o), None);
        }
        assert!(w.contains(h));
        if round % 2 == 0 {
            assert_eq!(w.cancel(h), Some(round));
        } else {
            assert_eq!(poll_vals(&mut w, at(epoch, 30 + round)), vec![round]);
        }
        old.push(h);
    }
    assert!(w.is_empty());
}

/// The arena index inside a handle, read from its `Debug` form.
fn slot_of(h: TimerHandle) -> String {
    let s = format!("{h:?}");
    let i = s.find("index").expect("TimerHandle Debug names its index");
    s[i..].split(',').next().unwrap().to_owned()
}

#[test]
fn deadlines_at_level_boundaries_fire_exactly() {
    let bounds = [1, 2, 63, 64, 65, 4_095, 4_096, 4_097, 262_143, 262_144, 262_145, 16_777_215, 16_777_216];
    let bounds = [&bounds[..], &[16_777_217, (1 << 30) - 1, 1 << 30, (1 << 30) + 1]].concat();
    // Fresh wheel per deadline, then all in one wheel, then relative to odd bases.
    for &d in &bounds {
        let epoch = Instant::now();
        let mut w = TimerWheel::new(epoch);
        w.insert(at(epoch, d), d);
        assert!(w.next_deadline().unwrap() <= at(epoch, d));
        fires_exactly_at(&mut w, epoch, d, &[d]);
        assert!(w.is_empty());
    }
    let epoch = Instant::now();
    let mut w = TimerWheel::new(epoch);
    for &d in &bounds {
        w.insert(at(epoch, d), d);
    }
    for &d in &bounds {
        fires_exactly_at(&mut w, epoch, d, &[d]);
    }
    for base in [1, 63, 64, 4_095, 4_096, 262_143, 262_144, 16_777_215, 16_777_216, 1_234_567_891] {
        let epoch = Instant::now();
        let mut w = TimerWheel::new(epoch);
        assert!(poll_vals(&mut w, at(epoch, base)).is_empty());
        for &d in &bounds {
            w.insert(at(epoch, base + d), d);
        }
        for &d in &bounds {
            fires_exactly_at(&mut w, epoch, base + d, &[d]);
        }
    }
}

#[test]
fn wrap_around_after_ten_hours_fires_at_the_right_ms() {
    let epoch = Instant::now();
    let mut w = TimerWheel::new(epoch);
    // Advance with polls, some timers riding along so slots get processed.
    let mut t = 0;
    while t + 70_000 < 10 * HOUR {
        t += 997 + t % 61_000;
        w.insert(at(epoch, t + 1), t + 1);
        assert_eq!(poll_vals(&mut w, at(epoch, t + 1)), vec![t + 1]);
        t += 1;
    }
    let base = 10 * HOUR;
    assert!(poll_vals(&mut w, at(epoch, base)).is_empty());
    let offs = [1, 2, 62, 63, 64, 65, 1_000, 4_095, 4_096, 4_097, 262_143, 262_144, 300_000, HOUR, 14 * HOUR];
    for &o in &offs {
        w.insert(at(epoch, base + o), base + o);
    }
    for &o in &offs {
        fires_exactly_at(&mut w, epoch, base + o, &[base + o]);
    }
    // And in 1 ms steps across a block boundary near there.
    let now = base + 14 * HOUR;
    for o in 1..=300 {
        w.insert(at(epoch, now + o * 37), o);
    }
    for ms in now + 1..=now + 300 * 37 {
        let got = poll_vals(&mut w, at(epoch, ms));
        let expect = if (ms - now).is_multiple_of(37) { vec![(ms - now) / 37] } else { vec![] };
        assert_eq!(got, expect, "at {ms}");
    }
}

#[test]
fn far_deadlines_fire_on_time_with_few_big_polls() {
    let epoch = Instant::now();
    let mut w = TimerWheel::new(epoch);
    let far = [3 * HOUR, 30 * DAY, 5 * YEAR];
    for &d in &far {
        w.insert(at(epoch, d), d);
    }
    let started = Instant::now();
    let mut fired = Vec::new();
    for now in [HOUR, 3 * HOUR - 1, 3 * HOUR, 29 * DAY, 30 * DAY - 1, 30 * DAY, YEAR, 5 * YEAR - 1, 5 * YEAR]
    {
        w.poll(at(epoch, now), |_, d| fired.push((d, now)));
        assert!(fired.iter().all(|&(d, n)| d <= n), "fired early: {fired:?}");
    }
    assert_eq!(fired, far.map(|d| (d, d)));
    assert!(w.is_empty());
    assert!(started.elapsed() < Duration::from_secs(1), "far polls too slow: {:?}", started.elapsed());
    // From a late start too, past the 2^36 ms top-level span.
    let start = 3 * YEAR + 123_456_789;
    let mut w = TimerWheel::new(epoch);
    assert!(poll_vals(&mut w, at(epoch, start)).is_empty());
    for &d in &far {
        w.insert(at(epoch, start + d), d);
        assert!(w.next_deadline().unwrap() <= at(epoch, start + far[0]));
    }
    for &d in &far {
        fires_exactly_at(&mut w, epoch, start + d, &[d]);
    }
}

#[test]
fn timers_crossing_the_top_level_span_boundary_fire_on_time() {
    // The six levels span 2^36 ms (~2.2 years); a short timer set just
    // before a multiple of that must still fire on time.
    for span_mult in [1u64, 2, 3] {
        let boundary = span_mult << 36;
        let epoch = Instant::now();
        let mut w = TimerWheel::new(epoch);
        assert!(poll_vals(&mut w, at(epoch, boundary - 5)).is_empty());
        let offs = [1u64, 5, 6, 10, 64, 5_000, 1 << 30, (1 << 36) - 10, (1 << 36) + 100];
        for &o in &offs {
            w.insert(at(epoch, boundary - 5 + o), o);
            assert!(w.next_deadline().unwrap() <= at(epoch, boundary - 4), "next_deadline too late");
        }
        for &o in &offs {
            fires_exactly_at(&mut w, epoch, boundary - 5 + o, &[o]);
        }
    }
}

#[test]
fn past_deadlines_fire_on_next_poll() {
    let epoch = Instant::now();
    let mut w = TimerWheel::new(epoch);
    assert!(poll_vals(&mut w, at(epoch, 1_000)).is_empty());
    w.insert(at(epoch, 500), 1u64);
    w.insert(at(epoch, 1_000), 2);
    w.insert(at(epoch, 200), 3);
    w.insert(epoch.checked_sub(Duration::from_millis(1)).unwrap_or(epoch), 4);
    assert_eq!(w.next_deadline(), Some(at(epoch, 1_000)));
    // Same `now` as before: still fires, earliest deadline first.
    assert_eq!(poll_vals(&mut w, at(epoch, 1_000)), vec![4, 3, 1, 2]);
    assert!(w.is_empty());
    w.insert(at(epoch, 999), 5);
    assert_eq!(poll_vals(&mut w, at(epoch, 1_001)), vec![5]);
}

#[test]
fn len_and_is_empty_track_insert_cancel_fire() {
    let epoch = Instant::now();
    let mut w = TimerWheel::with_capacity(epoch, 16);
    assert_eq!(w.len(), 0);
    assert!(w.is_empty() && w.next_deadline().is_none());
    let hs: Vec<_> = (0..100u64).map(|i| w.insert(at(epoch, i * 10), i)).collect();
    assert_eq!(w.len(), 100);
    assert!(!w.is_empty());
    for h in hs.iter().step_by(3) {
        assert!(w.cancel(*h).is_some());
    }
    assert_eq!(w.len(), 66);
    assert_eq!(w.cancel(hs[0]), None);
    assert_eq!(w.len(), 66);
    let fired = poll_vals(&mut w, at(epoch, 495));
    assert_eq!(fired.len(), 33);
    assert_eq!(w.len(), 33);
    poll_vals(&mut w, at(epoch, 10_000));
    assert_eq!(w.len(), 0);
    assert!(w.is_empty() && w.next_deadline().is_none());
}

#[test]
fn big_jumps_and_one_ms_steps_fire_in_the_same_order() {
    let epoch = Instant::now();
    let mut rng = Lcg(99);
    let mut steps = TimerWheel::new(epoch);
    let mut jumps = TimerWheel::new(epoch);
    let mut expect_at = BTreeMap::new();
    for id in 0..5_000u64 {
        let ms = rng.below(if id % 2 == 0 { 300 } else { 20_000 });
        let deadline = epoch + Duration::from_micros(ms * 1_000 + rng.below(2) * 400);
        steps.insert(deadline, id);
        jumps.insert(deadline, id);
        expect_at.insert(id, tick(epoch, deadline));
    }
    let mut by_steps = Vec::new();
    for ms in 0..=20_001 {
        steps.poll(at(epoch, ms), |_, id| {
            assert_eq!(expect_at[&id], ms, "timer {id} fired at the wrong ms");
            by_steps.push(id);
        });
    }
    let mut by_jumps = Vec::new();
    let mut now = 0;
    while !jumps.is_empty() {
        now += rng.below(3_000);
        jumps.poll(at(epoch, now), |_, id| by_jumps.push(id));
    }
    assert_eq!(by_steps.len(), 5_000);
    assert_eq!(by_steps, by_jumps);
}

#[test]
fn sub_millisecond_deadlines_round_up() {
    let epoch = Instant::now();
    let mut w = TimerWheel::new(epoch);
    w.insert(epoch + Duration::from_micros(1_200), "1.2");
    w.insert(epoch + Duration::from_millis(1), "1.0");
    w.insert(epoch + Duration::from_nanos(1), "0.000001");
    assert_eq!(poll_vals(&mut w, epoch), Vec::<&str>::new());
    assert_eq!(poll_vals(&mut w, epoch + Duration::from_micros(999)), Vec::<&str>::new());
    assert_eq!(poll_vals(&mut w, at(epoch, 1)), vec!["1.0", "0.000001"]);
    assert_eq!(poll_vals(&mut w, epoch + Duration::from_micros(1_999)), Vec::<&str>::new());
    assert_eq!(poll_vals(&mut w, at(epoch, 2)), vec!["1.2"]);
}

/// Counts this thread's allocations, to check "no allocation once warm".
struct Counting;
thread_local! { static ALLOCS: Cell<u64> = const { Cell::new(0) }; }
unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: std::alloc::Layout) -> *mut u8 {
        ALLOCS.with(|c| c.set(c.get() + 1));
        unsafe { std::alloc::System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: std::alloc::Layout) {
        unsafe { std::alloc::System.dealloc(p, l) }
    }
}
#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn no_allocation_per_timer_once_warm() {
    let epoch = Instant::now();
    let mut w = TimerWheel::new(epoch);
    let mut hs = Vec::with_capacity(20_000);
    let mut cycle = |w: &mut TimerWheel<u64>, base: u64| {
        hs.clear();
        for i in 0..20_000 {
            hs.push(w.insert(at(epoch, base + 1 + i % 60_000 * 3), i));
        }
        for h in hs.iter().step_by(2) {
            w.cancel(*h);
        }
        let mut n = 0;
        w.poll(at(epoch, base + 200_000), |_, _| n += 1);
        assert_eq!(n, 10_000);
    };
    cycle(&mut w, 0);
    let before = ALLOCS.with(Cell::get);
    cycle(&mut w, 300_000);
    assert_eq!(ALLOCS.with(Cell::get) - before, 0, "allocated once warm");
}

#[derive(Debug, Clone)]
enum Op {
    Insert(u64),
    Cancel(usize),
    Poll(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => prop_oneof![0..70u64, 0..5_000u64, 0..300_000u64, 0..20_000_000u64, 0..(1u64 << 37)]
            .prop_map(Op::Insert),
        2 => any::<usize>().prop_map(Op::Cancel),
        3 => prop_oneof![0..3u64, 0..70u64, 0..5_000u64, 0..300_000u64, 0..(1u64 << 32)].prop_map(Op::Poll),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]
    /// Against a model: next_deadline is a lower bound on the earliest pending
    /// deadline and `Some` iff non-empty; each poll fires exactly the due
    /// timers, in (deadline, insertion) order; len matches.
    #[test]
    fn matches_model_and_next_deadline_is_a_lower_bound(start in 0u64..(1 << 37), ops in prop::collection::vec(op(), 1..200)) {
        let epoch = Instant::now();
        let mut w = TimerWheel::new(epoch);
        let mut now = start;
        w.poll(at(epoch, now), |_, _: u64| {});
        let mut model: BTreeMap<(u64, u64), TimerHandle> = BTreeMap::new();
        let mut seq = 0;
        for op in ops {
            match op {
                Op::Insert(delta) => {
                    seq += 1;
                    // Deadlines up to 2 ms in the past too.
                    let d = (now + delta).saturating_sub(2 * u64::from(delta % 7 == 0));
                    model.insert((d, seq), w.insert(at(epoch, d), seq));
                }
                Op::Cancel(i) if !model.is_empty() => {
                    let key = *model.keys().nth(i % model.len()).unwrap();
                    let h = model.remove(&key).unwrap();
                    prop_assert_eq!(w.cancel(h), Some(key.1));
                    prop_assert_eq!(w.cancel(h), None);
                }
                Op::Cancel(_) => {}
                Op::Poll(delta) => {
                    now += delta;
                    let mut fired = Vec::new();
                    w.poll(at(epoch, now), |h, v| fired.push((h, v)));
                    let due: Vec<_> = model.range(..(now + 1, 0)).map(|(k, h)| (*h, k.1)).collect();
                    model.retain(|k, _| k.0 > now);
                    prop_assert_eq!(fired, due);
                }
            }
            prop_assert_eq!(w.len(), model.len());
            prop_assert_eq!(w.is_empty(), model.is_empty());
            match (w.next_deadline(), model.keys().next()) {
                (None, None) => {}
                (Some(nd), Some(&(d, _))) => prop_assert!(nd <= at(epoch, d.max(now)), "next_deadline {:?} > {}", nd.duration_since(epoch), d),
                (nd, first) => prop_assert!(false, "next_deadline {:?} vs earliest {:?}", nd, first),
            }
        }
    }
}
