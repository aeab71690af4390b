//! `migrate-gen snapshot`: the models' schema as snapshot JSON.

use std::process::ExitCode;

use model_core::registry;
use model_core::snapshot::Snapshot;

use super::{fail, print};
use crate::exit;

pub(crate) fn run() -> ExitCode {
    match registry::schema() {
        Ok(schema) => match print(&Snapshot::new(schema).to_json()) {
            Ok(()) => ExitCode::from(exit::OK),
            Err(code) => code,
        },
        Err(err) => fail(exit::MODELS, err),
    }
}
