//! `migrate-gen` for the reference app (examples/todo).

use std::process::ExitCode;

// Linking the crate registers every model it declares.
use todo as _;

fn main() -> ExitCode {
    migrate_gen::main(migrate_gen::config!("../examples/todo/migrations"))
}
