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
//! Exit codes are documented on [`exit`].

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use model_core::registry;
use model_core::snapshot::Snapshot;

/// Documented exit codes.
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// The models cannot be read: an empty registry or an inconsistent set of models.
    pub const MODELS: u8 = 3;
    /// The command is not available in this release.
    pub const UNAVAILABLE: u8 = 69;
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

#[derive(Parser, Debug)]
#[command(
    name = "migrate-gen",
    version,
    about = "Generate, apply and verify database migrations from #[derive(Table)] models",
    long_about = "Generate, apply and verify database migrations from #[derive(Table)] models.\n\n\
        The models are the ones linked into this binary. `migrate-gen snapshot` prints the \
        schema they describe, as the stable JSON that migration snapshots use."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the schema of the linked models as snapshot JSON.
    Snapshot,
    /// Diff the models against the last migration and write a new one (not available yet).
    Generate {
        /// What the migration does, e.g. "add priority".
        message: String,
    },
}

/// `migrate-gen "add priority"` means `migrate-gen generate "add priority"`: a first argument
/// that is neither a flag nor a command is a migration message.
fn with_default_command<I, T>(args: I) -> Vec<std::ffi::OsString>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::CommandFactory;
    let mut args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    if let Some(first) = args.get(1).and_then(|a| a.to_str()) {
        let command = Cli::command();
        let known = first == "help"
            || command
                .get_subcommands()
                .any(|c| c.get_name() == first || c.get_all_aliases().any(|a| a == first));
        if !first.starts_with('-') && !known {
            args.insert(1, "generate".into());
        }
    }
    args
}

/// Runs the command line with the process arguments.
pub fn main(config: Config) -> ExitCode {
    run(config, std::env::args_os())
}

/// Runs the command line with the given arguments (the first is the program name).
pub fn run<I, T>(config: Config, args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(with_default_command(args)) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    let _ = &config.migrations_dir;
    match cli.command {
        Command::Snapshot => match registry::schema() {
            Ok(schema) => {
                let text = Snapshot::new(schema).to_json();
                match std::io::stdout().write_all(text.as_bytes()) {
                    Ok(()) => ExitCode::from(exit::OK),
                    Err(err) => {
                        eprintln!("error: cannot write the snapshot: {err}");
                        ExitCode::from(exit::IO)
                    }
                }
            }
            Err(err) => {
                eprintln!("error: {err}");
                ExitCode::from(exit::MODELS)
            }
        },
        Command::Generate { message } => {
            eprintln!(
                "error: generating migrations (\"{message}\") is not available in this release yet; \
                 `migrate-gen snapshot` prints the schema of the models"
            );
            ExitCode::from(exit::UNAVAILABLE)
        }
    }
}
