//! `migrate-gen snapshot`: the models' schema as snapshot JSON.

use model_core::registry;
use model_core::snapshot::Snapshot;

use super::{fail, print, Outcome};
use crate::exit;

pub(crate) fn run() -> Outcome {
    match registry::schema() {
        Ok(schema) => print(&Snapshot::new(schema).to_json()).map(|()| exit::OK),
        Err(err) => Err(fail(exit::MODELS, err)),
    }
}
