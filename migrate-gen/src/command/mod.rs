//! One module per command.

pub(crate) mod adopt;
pub(crate) mod check;
pub(crate) mod database;
pub(crate) mod fleet;
pub(crate) mod generate;
pub(crate) mod inspect;
pub(crate) mod lint;
pub(crate) mod pull;
pub(crate) mod server;
pub(crate) mod snapshot;

pub(crate) use crate::report::{fail, write as print, Failure, Outcome};
