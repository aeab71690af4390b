//! The `migrate-gen` command line, as a library: a companion binary links the application's
//! models and calls [`main`].
//!
//! ```no_run
//! // src/bin/migrate-gen.rs of your project
//! use my_models as _; // links every #[derive(Table)] of the crate
//! # mod my_models {}
//!
//! fn main() -> std::process::ExitCode {
//!     migrate_gen::main(migrate_gen::Config::new("migrations"))
//! }
//! ```
//!
//! Each command lives in a module of its own; exit codes are documented on [`exit`].

#![warn(missing_docs)]

mod cli;
mod command;

use std::process::ExitCode;

pub use cli::run;

/// Documented exit codes. Every failure prints one line on stderr.
pub mod exit {
    /// Success, including "No changes".
    pub const OK: u8 = 0;
    /// `check`, `drift` or `verify` found differences (listed on stdout).
    pub const DIFFERENCES: u8 = 1;
    /// Bad usage: unknown command or flag, missing argument, a target that names no migration,
    /// `adopt` of a migration that has a snapshot already.
    pub const USAGE: u8 = 2;
    /// The models cannot be read: an empty registry or an inconsistent set of models.
    pub const MODELS: u8 = 3;
    /// The change was refused: it would lose data without `--allow-destructive`, or a NOT NULL
    /// column has no value for existing rows.
    pub const REFUSED: u8 = 4;
    /// The migration directory cannot be used (missing, unreadable, incomplete, a migration
    /// without a down file or a one-way one, several heads, a parent that is gone, another
    /// dialect; for `generate`, a migration without a snapshot).
    pub const DIRECTORY: u8 = 5;
    /// Not supported: SQL the directory's dialect cannot express, or a database the runner
    /// does not handle yet.
    pub const UNSUPPORTED: u8 = 6;
    /// The database cannot be reached, or its URL is invalid.
    pub const CONNECT: u8 = 7;
    /// A migration failed; the database stays at the previous version.
    pub const MIGRATION_FAILED: u8 = 8;
    /// The database disagrees with the directory: it records a version the directory lacks,
    /// an applied migration was edited, or a failed migration left it dirty.
    pub const STATE: u8 = 9;
    /// Output could not be written.
    pub const IO: u8 = 74;
}

/// What the companion binary fixes for its project.
#[derive(Debug, Clone)]
pub struct Config {
    /// The migrations directory, relative to the working directory.
    pub migrations_dir: std::path::PathBuf,
}

impl Config {
    /// A project whose migrations live in `dir`.
    pub fn new(dir: impl Into<std::path::PathBuf>) -> Self {
        Self {
            migrations_dir: dir.into(),
        }
    }
}

/// Runs the command line with the process arguments.
pub fn main(config: Config) -> ExitCode {
    run(config, std::env::args_os())
}
