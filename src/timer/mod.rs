//! A hierarchical hashed timing wheel: 1 ms ticks, six levels of 64 slots
//! (about 2.2 years of span; later deadlines re-cascade, never lost).
//! O(1) insert and cancel through generation-checked handles, no
//! allocation per timer once the arena has grown. Sans-IO: the caller
//! passes `now`; the wheel never reads a clock.

mod arena;
mod wheel;

pub use arena::TimerHandle;
pub use wheel::TimerWheel;
