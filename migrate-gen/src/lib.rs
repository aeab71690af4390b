//! The `migrate-gen` command line, as a library: a companion binary links the application's
//! models and calls [`main`].
//!
//! ```no_run
//! // src/bin/migrate-gen.rs of your project
//! use my_models as _; // links every #[derive(Table)] of the crate
//! # mod my_models {}
//!
//! fn main() -> std::process::ExitCode {
//!     // `migrations/` beside this crate's Cargo.toml, wherever the command runs from.
//!     migrate_gen::main(migrate_gen::config!("migrations"))
//! }
//! ```
//!
//! Each command lives in a module of its own; exit codes are documented on [`exit`].

#![warn(missing_docs)]

mod cli;
mod command;
mod options;
mod project;
mod pull;
mod report;
mod scratch;

use std::process::ExitCode;

pub use cli::run;

/// Documented exit codes. Every failure prints one line on stderr.
pub mod exit {
    /// Success, including "No changes".
    pub const OK: u8 = 0;
    /// `check`, `drift`, `verify` or `baseline` found differences (listed on stdout).
    pub const DIFFERENCES: u8 = 1;
    /// Bad usage: unknown command or flag, missing argument, a target that names no migration,
    /// `adopt` of a migration that has a snapshot already, `pull` of a database without
    /// tables or onto a file that exists (without `--force`).
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
    /// The database cannot be reached, it or its `--schema` does not exist, or its URL is
    /// invalid.
    pub const CONNECT: u8 = 7;
    /// A migration failed; the database stays at the previous version. In a run over many
    /// targets: a target failed, or was skipped after another failed.
    pub const MIGRATION_FAILED: u8 = 8;
    /// The database disagrees with the directory: it records a version the directory lacks,
    /// an applied migration was edited, or a failed migration left it dirty.
    pub const STATE: u8 = 9;
    /// Output could not be written.
    pub const IO: u8 = 74;
}

/// What the companion binary fixes for its project.
///
/// Build it with [`config!`], which resolves the migrations directory against the companion
/// crate (as `sqlx::migrate!()` does), so that `cd src && cargo run --bin migrate-gen -- ...`
/// finds the same directory as a run from the crate's root.
#[derive(Debug, Clone)]
pub struct Config {
    /// The migrations directory; relative to [`Config::crate_dir`] when that is set, else to
    /// the working directory.
    pub migrations_dir: std::path::PathBuf,
    /// The companion crate's directory (its `CARGO_MANIFEST_DIR` at build time).
    pub crate_dir: Option<std::path::PathBuf>,
    /// The database the project's migrations are written for (PostgreSQL unless said).
    pub dialect: model_core::dialect::Dialect,
    /// Further databases it writes migrations for too: with any, each dialect has its own
    /// directory under the migrations directory (`postgres/`, `sqlite/`).
    pub also: Vec<model_core::dialect::Dialect>,
}

impl Config {
    /// A project whose migrations live in `dir`, relative to the working directory (prefer
    /// [`config!`], which makes it relative to the companion crate).
    pub fn new(dir: impl Into<std::path::PathBuf>) -> Self {
        Self {
            migrations_dir: dir.into(),
            crate_dir: None,
            dialect: model_core::generate::DEFAULT_DIALECT,
            also: Vec::new(),
        }
    }

    /// Writes the project's migrations for each of `dialects` (the first is the one commands
    /// use when no database URL says otherwise), one directory each under the migrations
    /// directory, named after the dialect (`postgres/`, `sqlite/`). One `generate` writes the
    /// change in every directory, with the same version (a dialect whose change is split, such
    /// as PostgreSQL's new enum values used at once, gets the next versions for its further
    /// parts); `upgrade` and the other commands that use a database work in the directory of
    /// the database the URL names.
    pub fn dialects(mut self, dialects: &[model_core::dialect::Dialect]) -> Self {
        if let Some((first, rest)) = dialects.split_first() {
            self.dialect = *first;
            self.also = rest.iter().copied().filter(|d| d != first).collect();
        }
        self
    }

    /// The dialects the project writes migrations for, the default first.
    pub fn all_dialects(&self) -> Vec<model_core::dialect::Dialect> {
        let mut all = vec![self.dialect];
        all.extend(self.also.iter().copied().filter(|d| *d != self.dialect));
        all
    }

    /// Writes the project's migrations for `dialect` (`Dialect::Sqlite` for a SQLite
    /// project); PostgreSQL by default.
    pub fn dialect(mut self, dialect: model_core::dialect::Dialect) -> Self {
        self.dialect = dialect;
        self
    }

    /// Resolves a relative migrations directory against `crate_dir` (the companion crate's
    /// directory) instead of the working directory.
    pub fn in_crate(mut self, crate_dir: impl Into<std::path::PathBuf>) -> Self {
        self.crate_dir = Some(crate_dir.into());
        self
    }

    /// The directory the commands use when `--dir` is not given. Relative to the crate's
    /// directory when that exists; a binary run where its source tree is absent (deployed on
    /// a server, say) falls back to the working directory. Shown relative to the working
    /// directory when it lies below it.
    pub fn resolved_dir(&self) -> std::path::PathBuf {
        let dir = &self.migrations_dir;
        let Some(crate_dir) = self.crate_dir.as_ref().filter(|c| c.is_dir()) else {
            return dir.clone();
        };
        if dir.is_absolute() {
            return dir.clone();
        }
        let full = normalize(&crate_dir.join(dir));
        match std::env::current_dir() {
            Ok(cwd) => match full.strip_prefix(normalize(&cwd)) {
                Ok(rel) if rel.as_os_str().is_empty() => ".".into(),
                Ok(rel) => rel.to_owned(),
                Err(_) => full,
            },
            Err(_) => full,
        }
    }
}

/// Removes `.` and `..` components without touching the file system.
fn normalize(path: &std::path::Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// A [`Config`] whose migrations directory is relative to the crate that calls the macro
/// (its `CARGO_MANIFEST_DIR`), not to wherever the command is run from.
///
/// ```no_run
/// fn main() -> std::process::ExitCode {
///     migrate_gen::main(migrate_gen::config!("migrations"))
/// }
/// ```
#[macro_export]
macro_rules! config {
    ($dir:expr) => {
        $crate::Config::new($dir).in_crate(env!("CARGO_MANIFEST_DIR"))
    };
}

/// Runs the command line with the process arguments.
pub fn main(config: Config) -> ExitCode {
    run(config, std::env::args_os())
}
