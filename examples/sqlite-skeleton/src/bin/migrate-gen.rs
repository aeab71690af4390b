//! The companion binary: `cargo run --bin migrate-gen -- "message"`, `... -- upgrade`, etc.
//! With no `DATABASE_URL`, the commands use `development.db` beside this crate's
//! `migrations/`, created on first use.

use std::process::ExitCode;

use model_core::dialect::Dialect;
// Linking the models crate registers every model it declares.
use notes as _;

fn main() -> ExitCode {
    // `migrations/` beside Cargo.toml, written for SQLite.
    migrate_gen::main(migrate_gen::config!("migrations").dialect(Dialect::Sqlite))
}
