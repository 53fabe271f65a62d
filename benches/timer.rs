//! Checks DESIGN.md "timer wheel: O(1) insert and cancel, no allocation per
//! timer once warm": with 1,000,000 live timers spread over 0–60 s, the cost
//! per insert, per cancel and per expire. Each criterion iteration is one
//! timer (`iter_custom` over batches); only the operation itself is timed,
//! the set-up and clean-up of each batch is not. The arena is pre-sized and
//! batches reuse freed slots, so the figures are for a warm wheel.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use sipbench::timer::{TimerHandle, TimerWheel};

const LIVE: usize = 1_000_000;
const SPAN_NS: u64 = 60_000_000_000;
const BATCH: usize = 1_000;

/// Tiny deterministic generator (Knuth's MMIX LCG, high bits used).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 16
    }
}

/// A wheel holding `LIVE` timers with deadlines uniform over the next 60 s.
struct Loaded {
    wheel: TimerWheel<u64>,
    /// The wheel's current time.
    now: Instant,
    rng: Lcg,
    deadlines: Vec<Instant>,
    handles: Vec<TimerHandle>,
    /// The handles of the initial timers, by value (= insertion order).
    live: Vec<TimerHandle>,
}

impl Loaded {
    fn new() -> Self {
        let now = Instant::now();
        let mut wheel = TimerWheel::with_capacity(now, LIVE + BATCH);
        let mut rng = Lcg(42);
        let live =
            (0..LIVE as u64).map(|i| wheel.insert(now + Duration::from_nanos(rng.next() % SPAN_NS), i));
        let live = live.collect();
        let deadlines = Vec::with_capacity(BATCH);
        Loaded { wheel, now, rng, deadlines, handles: Vec::with_capacity(BATCH), live }
    }

    /// `n` fresh deadlines within the next 60 s, generated outside the timing.
    fn fill_deadlines(&mut self, n: usize) {
        self.deadlines.clear();
        for _ in 0..n {
            self.deadlines.push(self.now + Duration::from_nanos(self.rng.next() % SPAN_NS));
        }
    }

    fn insert_batch(&mut self) {
        self.handles.clear();
        for (i, &d) in self.deadlines.iter().enumerate() {
            self.handles.push(self.wheel.insert(d, i as u64));
        }
    }

    fn cancel_batch(&mut self) {
        for &h in &self.handles {
            black_box(self.wheel.cancel(h));
        }
    }
}

fn insert(c: &mut Criterion) {
    let mut l = Loaded::new();
    c.bench_function("timer/insert per timer (1M live)", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let mut done = 0;
            while done < iters {
                l.fill_deadlines(BATCH.min((iters - done) as usize));
                let start = Instant::now();
                l.insert_batch();
                total += start.elapsed();
                done += l.handles.len() as u64;
                l.cancel_batch();
            }
            total
        })
    });
}

/// Cancels timers picked across the whole live set (not the ones just
/// inserted, whose entries would still be in cache), re-arming each
/// cancelled position outside the timing.
fn cancel(c: &mut Criterion) {
    let mut l = Loaded::new();
    // An odd stride not a multiple of 5 visits every position once per LIVE steps.
    const STRIDE: usize = 387_017;
    let mut pos = 0;
    let mut picked = Vec::with_capacity(BATCH);
    c.bench_function("timer/cancel per timer (1M live)", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let mut done = 0;
            while done < iters {
                picked.clear();
                for _ in 0..BATCH.min((iters - done) as usize) {
                    pos = (pos + STRIDE) % LIVE;
                    picked.push((pos, l.live[pos]));
                }
                let start = Instant::now();
                for &(_, h) in &picked {
                    black_box(l.wheel.cancel(h));
                }
                total += start.elapsed();
                done += picked.len() as u64;
                for &(p, _) in &picked {
                    let deadline = l.now + Duration::from_nanos(l.rng.next() % SPAN_NS);
                    l.live[p] = l.wheel.insert(deadline, p as u64);
                }
            }
            total
        })
    });
}

/// Polls in 1 ms steps (as an event loop would), so the figure includes the
/// empty slots and cascades each expiry costs; fired timers are re-armed
/// outside the timing to keep about a million live.
fn expire(c: &mut Criterion) {
    let mut l = Loaded::new();
    let mut fired = Vec::with_capacity(BATCH);
    c.bench_function("timer/expire per timer (1M live)", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let mut done = 0;
            while done < iters {
                l.now += Duration::from_millis(1);
                let start = Instant::now();
                l.wheel.poll(l.now, |_, v| fired.push(v));
                total += start.elapsed();
                done += fired.len() as u64;
                for v in fired.drain(..) {
                    l.wheel.insert(l.now + Duration::from_nanos(l.rng.next() % SPAN_NS), v);
                }
            }
            total.mul_f64(iters as f64 / done as f64)
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = insert, cancel, expire
}
criterion_main!(benches);
