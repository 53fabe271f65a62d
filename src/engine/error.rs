//! The public error type: every layer's error mapped to one enum with a
//! category an application can act on.

use crate::core::CommandError;

/// What kind of failure an error is: what an application can do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCategory {
    /// The configuration was refused.
    Config,
    /// Sockets or threads could not be set up (an address in use, say).
    Transport,
    /// The engine has stopped (or is gone): no command will be applied
    /// any more; retrying is pointless.
    Stopped,
    /// The call or request does not allow this (unknown call, wrong
    /// state), or an argument was refused (a bad status or text).
    Protocol,
    /// The call's media cannot do this.
    Media,
    /// The engine is too busy: try again later.
    Overload,
}

/// A configuration value that was refused: which field and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid configuration: {field}: {reason}")]
pub struct ConfigError {
    /// The builder method's name (`shards`, `timers.t1`, ...).
    pub field: &'static str,
    /// Why it was refused.
    pub reason: String,
}

/// Everything the engine API can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Invalid configuration.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A socket or thread could not be set up.
    #[error("transport: {0}")]
    Transport(#[from] std::io::Error),
    /// A call command was refused.
    #[error("call command: {0}")]
    Command(#[from] CommandError),
    /// The owning shard did not answer within the wait (it is busy; the
    /// command may still be applied).
    #[error("no answer from the engine in time")]
    Timeout,
}

impl Error {
    /// The category of this error.
    pub fn category(&self) -> ErrorCategory {
        match self {
            Error::Config(_) => ErrorCategory::Config,
            Error::Transport(_) => ErrorCategory::Transport,
            Error::Command(CommandError::Stopped) => ErrorCategory::Stopped,
            Error::Command(CommandError::NoMedia) => ErrorCategory::Media,
            Error::Command(CommandError::Overloaded) | Error::Timeout => ErrorCategory::Overload,
            Error::Command(_) => ErrorCategory::Protocol,
        }
    }
}

/// Shorthand for results of the engine API.
pub type Result<T, E = Error> = std::result::Result<T, E>;
