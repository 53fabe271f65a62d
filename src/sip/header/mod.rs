//! Header names and what header values say: Via, name-addr (From, To,
//! Contact, Route…), URIs, parameters, CSeq and the other small typed
//! values, digest challenges. Each reads a value in place.

mod classify;
pub mod digest;
mod fields;
mod name;
mod name_addr;
mod params;
pub(crate) mod tag;
mod uri;
pub(crate) mod via;

pub(crate) use classify::classify_prefix;
pub use fields::{CSeq, SessionExpires, TokenParams};
pub use name::HeaderName;
pub use name_addr::NameAddr;
pub use params::Params;
pub use uri::{Host, Scheme, Uri};
pub use via::{MAGIC_COOKIE, Via};
