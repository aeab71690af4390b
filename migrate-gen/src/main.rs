//! `migrate-gen` for the reference app (examples/todo), which targets PostgreSQL and SQLite:
//! its migrations live in `examples/todo/migrations/postgres` and `.../sqlite`.

use std::process::ExitCode;

use model_core::dialect::Dialect;
// Linking the crate registers every model it declares.
use todo as _;

fn main() -> ExitCode {
    migrate_gen::main(
        migrate_gen::config!("../examples/todo/migrations").dialects(&[
            Dialect::Postgres,
            Dialect::Sqlite,
            Dialect::Mysql,
        ]),
    )
}
