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
    /// The change was refused: it would lose data without `--allow-destructive`, or a NOT NULL
    /// column has no value for existing rows.
    pub const REFUSED: u8 = 4;
    /// The migration directory cannot be used (unreadable, incomplete, several heads, another
    /// dialect).
    pub const DIRECTORY: u8 = 5;
    /// The models need SQL that the directory's dialect cannot express.
    pub const UNSUPPORTED: u8 = 6;
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
    /// Diff the models against the last migration and write a new one.
    ///
    /// `migrate-gen "add priority"` is short for `migrate-gen generate "add priority"`. No
    /// database is needed: the last migration's snapshot says what the database holds.
    #[command(
        after_help = "Examples:\n  migrate-gen \"add priority\"\n  migrate-gen generate --dry-run \"add priority\"\n  migrate-gen generate --empty \"backfill priorities\""
    )]
    Generate {
        /// What the migration does, e.g. "add priority"; it names the files.
        message: String,
        /// Write an empty migration to fill in by hand (a data migration).
        #[arg(long)]
        empty: bool,
        /// Print the migration instead of writing it.
        #[arg(long)]
        dry_run: bool,
        /// Allow dropping tables, columns and enum values, and narrowing types.
        #[arg(long)]
        allow_destructive: bool,
        /// The migrations directory (default: the project's).
        #[arg(long, value_name = "DIR")]
        dir: Option<std::path::PathBuf>,
    },
}

/// `migrate-gen "add priority"` means `migrate-gen generate "add priority"`: arguments that
/// name no command are the arguments of `generate`.
fn with_default_command<I, T>(args: I) -> Vec<std::ffi::OsString>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::CommandFactory;
    let mut args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    let command = Cli::command();
    let is_command = |a: &std::ffi::OsString| {
        a.to_str().is_some_and(|a| {
            a == "help"
                || command
                    .get_subcommands()
                    .any(|c| c.get_name() == a || c.get_all_aliases().any(|x| x == a))
        })
    };
    let top_level_flag =
        |a: &std::ffi::OsString| matches!(a.to_str(), Some("-h" | "--help" | "-V" | "--version"));
    let rest = args.get(1..).unwrap_or_default();
    if !rest.is_empty() && !rest.iter().any(is_command) && !rest.iter().all(top_level_flag) {
        args.insert(1, "generate".into());
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
        Command::Generate {
            message,
            empty,
            dry_run,
            allow_destructive,
            dir,
        } => generate(
            &config,
            GenerateArgs {
                message,
                empty,
                dry_run,
                allow_destructive,
                dir,
            },
        ),
    }
}

struct GenerateArgs {
    message: String,
    empty: bool,
    dry_run: bool,
    allow_destructive: bool,
    dir: Option<std::path::PathBuf>,
}

fn fail(code: u8, message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(code)
}

fn generate(config: &Config, args: GenerateArgs) -> ExitCode {
    use model_core::generate::{plan, GenerateError, Request, DEFAULT_DIALECT};
    use model_core::migration::MigrationDir;

    let path = args.dir.unwrap_or_else(|| config.migrations_dir.clone());
    let current = match registry::schema() {
        Ok(schema) => schema,
        Err(err) => return fail(exit::MODELS, err),
    };
    let mut dir = match MigrationDir::open(&path, DEFAULT_DIALECT) {
        Ok(dir) => dir,
        Err(err) => return fail(exit::DIRECTORY, err),
    };
    let request = Request {
        message: args.message,
        allow_destructive: args.allow_destructive,
        empty: args.empty,
        now: chrono::Utc::now(),
    };
    let migrations = match plan(&dir, &current, &request) {
        Ok(m) => m,
        Err(GenerateError::Directory(err)) => return fail(exit::DIRECTORY, err),
        Err(GenerateError::Diff(err)) => return fail(exit::REFUSED, err),
        Err(GenerateError::Render(err)) => return fail(exit::UNSUPPORTED, err),
        Err(err) => return fail(exit::UNSUPPORTED, err),
    };
    if migrations.is_empty() {
        let at = dir
            .head()
            .ok()
            .flatten()
            .map(|m| format!("{}_{}", m.version, m.slug))
            .unwrap_or_else(|| "the empty schema".to_owned());
        println!("No changes: the models match {at}.");
        return ExitCode::from(exit::OK);
    }
    if args.dry_run {
        let mut out = String::new();
        for m in &migrations {
            out.push_str(&format!(
                "==> {}_{}.up.sql\n{}\n==> {}_{}.down.sql\n{}\n",
                m.version, m.slug, m.up, m.version, m.slug, m.down
            ));
        }
        return match std::io::stdout().write_all(out.as_bytes()) {
            Ok(()) => ExitCode::from(exit::OK),
            Err(err) => fail(exit::IO, format!("cannot write to stdout: {err}")),
        };
    }
    for m in migrations {
        match dir.write(m) {
            Ok(files) => println!("Wrote {}", files.up.display()),
            Err(err) => return fail(exit::IO, err),
        }
    }
    ExitCode::from(exit::OK)
}
