//! Arguments, and dispatch to the command modules.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::{command, exit, Config};

#[derive(Parser, Debug)]
#[command(
    name = "migrate-gen",
    version,
    about = "Generate, apply and verify database migrations from #[derive(Table)] models",
    long_about = "Generate, apply and verify database migrations from #[derive(Table)] models.\n\n\
        `migrate-gen \"add priority\"` diffs the models linked into this binary against the \
        snapshot of the last migration and writes a reversible migration (no database needed). \
        `upgrade` and `downgrade` apply and revert migrations; `current`, `history`, `heads` and \
        `show` tell where things stand.",
    after_help = "Examples:\n  migrate-gen \"add priority\"            write a migration for the model changes\n  \
        migrate-gen upgrade                   apply every pending migration\n  \
        migrate-gen downgrade -1              revert the newest migration\n  \
        migrate-gen upgrade --sql             print the SQL instead of running it\n\n\
        The database comes from --database-url or DATABASE_URL."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    global: Global,
}

/// Options every command takes.
#[derive(Args, Debug, Clone)]
pub(crate) struct Global {
    /// The migrations directory (default: the project's).
    #[arg(long, value_name = "DIR", global = true)]
    pub dir: Option<PathBuf>,
    /// The database, e.g. postgres://user@host/db (default: $DATABASE_URL).
    #[arg(
        long,
        value_name = "URL",
        env = "DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// Print only errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print machine-readable JSON (one object per line).
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
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
    },
    /// Apply migrations: every pending one (head), the next N (+N), or up to a version.
    #[command(
        after_help = "Examples:\n  migrate-gen upgrade\n  migrate-gen upgrade +1\n  migrate-gen upgrade 20261124070000\n  migrate-gen upgrade --sql --from 20261124070000"
    )]
    Upgrade {
        /// `head` (default), `+N`, or a version.
        #[arg(default_value = "head", allow_hyphen_values = true)]
        target: String,
        /// Print the SQL (with version bookkeeping) instead of connecting.
        #[arg(long)]
        sql: bool,
        /// With --sql: the version the database is at (default: base, nothing applied).
        #[arg(long, value_name = "VERSION", requires = "sql")]
        from: Option<String>,
    },
    /// Revert migrations: the newest (-1, default), the newest N (-N), down to a version, or
    /// all (base).
    #[command(
        after_help = "Examples:\n  migrate-gen downgrade\n  migrate-gen downgrade -2\n  migrate-gen downgrade 20261124070000\n  migrate-gen downgrade base\n  migrate-gen downgrade --sql base --from head"
    )]
    Downgrade {
        /// `-1` (default), `-N`, a version (it stays applied), or `base`.
        #[arg(default_value = "-1", allow_hyphen_values = true)]
        target: String,
        /// Print the SQL (with version bookkeeping) instead of connecting.
        #[arg(long)]
        sql: bool,
        /// With --sql: the version the database is at (default: head).
        #[arg(long, value_name = "VERSION", requires = "sql")]
        from: Option<String>,
    },
    /// Print the database's current version.
    Current,
    /// List the migrations, oldest first; with a database URL, mark which are applied.
    History,
    /// Print the newest migration(s); more than one means two branches must be reconciled.
    Heads,
    /// Print one migration: its files, parent and up SQL.
    Show {
        /// A version (or a unique prefix of one).
        version: String,
    },
    /// Record the database as being at a version without running anything (baselining).
    #[command(
        after_help = "Examples:\n  migrate-gen stamp head    adopt an existing database that already has the schema\n  migrate-gen stamp base    forget every recorded version"
    )]
    Stamp {
        /// `head`, `base`, or a version.
        target: String,
    },
    /// Check without a database that the models match the last migration, the directory has
    /// one head, and no migration was edited after another was generated on top of it. Silent
    /// and exit 0 when all is well; exit 1 with the problems listed otherwise. For CI.
    Check,
    /// Compare a live database with the snapshot of the version it is at, and list what was
    /// added, removed or changed by hand. Exit 1 when it differs.
    Drift,
    /// Replay every migration into a scratch database on the server: compare the schema with
    /// each migration's snapshot after every step up, then every step down to base, then up
    /// again. Exit 1 at the first step that disagrees.
    Verify,
    /// Print the schema of the linked models as snapshot JSON.
    Snapshot,
    /// Give a hand-written migration (an up and a down file, no snapshot, as `sqlx migrate add
    /// -r` writes them) its snapshot.
    ///
    /// The directory is replayed into a scratch database on the DATABASE_URL server, up to and
    /// including that migration, and the schema read back is written as
    /// `<version>_<slug>.snapshot.json`. Its parent is the newest migration before it that has a
    /// snapshot; the migration that named that parent is re-parented onto it (its snapshot's
    /// parent and checksum), so the chain stays linear. The database named in the URL is not
    /// touched and need not exist.
    #[command(
        after_help = "Examples:\n  sqlx migrate add -r backfill_slugs    write the SQL by hand...\n  \
            migrate-gen adopt 20261201093000      ...then give it a snapshot\n  \
            migrate-gen adopt 20261201093000 --database-url postgres://localhost/postgres\n\n\
            Until it has a snapshot, `generate` refuses to run and `check` reports it;\n\
            `upgrade`, `downgrade` and `verify` apply it in version order."
    )]
    Adopt {
        /// The version of the migration (or a unique prefix of it).
        version: String,
    },
}

/// `migrate-gen "add priority"` means `migrate-gen generate "add priority"`: arguments that
/// name no command are the arguments of `generate`.
fn with_default_command<I, T>(args: I) -> Vec<std::ffi::OsString>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
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
    let has_message = rest
        .iter()
        .any(|a| a.to_str().is_some_and(|a| !a.starts_with('-')));
    if has_message && !rest.iter().any(is_command) && !rest.iter().all(top_level_flag) {
        args.insert(1, "generate".into());
    }
    args
}

/// Runs the command line with the given arguments (the first is the program name).
pub fn run<I, T>(config: Config, args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(with_default_command(args)) {
        Ok(cli) => cli,
        Err(err) if err.use_stderr() => {
            // One line, like every other error: clap's first line, and where to look.
            let text = err.render().to_string();
            let first = text.lines().next().unwrap_or("error: invalid arguments");
            eprintln!("{first} (see `migrate-gen --help`)");
            return ExitCode::from(exit::USAGE);
        }
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(exit::OK);
        }
    };
    let mut global = cli.global;
    // An empty DATABASE_URL is no database at all.
    if global
        .database_url
        .as_deref()
        .is_some_and(|u| u.trim().is_empty())
    {
        global.database_url = None;
    }
    let dir = global
        .dir
        .clone()
        .unwrap_or_else(|| config.migrations_dir.clone());
    match cli.command {
        Command::Snapshot => command::snapshot::run(),
        Command::Generate {
            message,
            empty,
            dry_run,
            allow_destructive,
        } => command::generate::run(
            &dir,
            &global,
            command::generate::Options {
                message,
                empty,
                dry_run,
                allow_destructive,
            },
        ),
        Command::Upgrade { target, sql, from } => {
            command::database::upgrade(&dir, &global, &target, sql, from.as_deref())
        }
        Command::Downgrade { target, sql, from } => {
            command::database::downgrade(&dir, &global, &target, sql, from.as_deref())
        }
        Command::Current => command::database::current(&dir, &global),
        Command::History => command::database::history(&dir, &global),
        Command::Heads => command::database::heads(&dir, &global),
        Command::Show { version } => command::database::show(&dir, &global, &version),
        Command::Stamp { target } => command::database::stamp(&dir, &global, &target),
        Command::Check => command::check::run(&dir, &global),
        Command::Drift => command::inspect::drift(&dir, &global),
        Command::Verify => command::inspect::verify(&dir, &global),
        Command::Adopt { version } => command::adopt::run(&dir, &global, &version),
    }
}
