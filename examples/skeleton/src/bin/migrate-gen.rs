//! The companion binary: `cargo run --bin migrate-gen -- "message"`, `... -- upgrade`, etc.

use std::process::ExitCode;

// Linking the models crate registers every model it declares.
use skeleton as _;

fn main() -> ExitCode {
    // `migrations/` beside Cargo.toml, whichever directory the command runs from.
    migrate_gen::main(migrate_gen::config!("migrations"))
}
