//! Arguments, and dispatch to the command modules.

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::options::Global;
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

#[derive(Subcommand, Debug, Clone)]
enum Command {
    /// Diff the models against the last migration and write a new one.
    ///
    /// `migrate-gen "add priority"` is short for `migrate-gen generate "add priority"`. No
    /// database is needed: the last migration's snapshot says what the database holds.
    #[command(
        after_help = "Examples:\n  migrate-gen \"add priority\"\n  migrate-gen generate --dry-run \"add priority\"\n  migrate-gen generate --empty \"backfill priorities\"\n  migrate-gen --amend                    fold new model changes into the newest migration"
    )]
    Generate {
        /// What the migration does, e.g. "add priority"; it names the files. With --amend it
        /// is optional (default: the migration's own message).
        #[arg(required_unless_present = "amend")]
        message: Option<String>,
        /// Fold the model changes into the newest migration instead of writing a new one
        /// (while nothing comes after it, it is not applied to the database the URL names,
        /// and its files are as generated).
        #[arg(long, conflicts_with = "empty")]
        amend: bool,
        /// Write an empty migration to fill in by hand (a data migration).
        #[arg(long)]
        empty: bool,
        /// Print the migration instead of writing it.
        #[arg(long)]
        dry_run: bool,
        /// Allow dropping tables, columns and enum values, and narrowing types.
        #[arg(long)]
        allow_destructive: bool,
        /// PostgreSQL: write plain DDL, which blocks writes to the tables it changes while it
        /// runs (for an empty database or a maintenance window), instead of the online forms
        /// (indexes built CONCURRENTLY, constraints added NOT VALID then validated).
        #[arg(long, conflicts_with = "phased")]
        blocking: bool,
        /// PostgreSQL: write a change that would break the running version of the application
        /// (a column renamed, made NOT NULL or dropped, a table dropped) as two migrations: an
        /// expand one to apply before the deploy (`upgrade --phase expand`), and a contract one
        /// to apply after it.
        #[arg(long, conflicts_with_all = ["amend", "empty"])]
        phased: bool,
    },
    /// Apply migrations: every pending one (head), the next N (+N), or up to a version.
    #[command(
        after_help = "Examples:\n  migrate-gen upgrade\n  migrate-gen upgrade +1\n  migrate-gen upgrade 20261124070000\n  migrate-gen upgrade --sql --from 20261124070000\n  migrate-gen upgrade --targets tenants.txt --jobs 16 --canary 2    a database per tenant\n  migrate-gen upgrade --schemas 'tenant\\_%' --keep-going            a schema per tenant"
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
        /// `expand`: apply the pending migrations up to the first contract migration of an
        /// expand/contract change (`generate --phased`), before deploying the application
        /// version that needs them; a later `upgrade` applies the rest.
        #[arg(long, value_name = "PHASE", value_parser = ["expand"])]
        phase: Option<String>,
        #[command(flatten)]
        fleet: command::fleet::FleetArgs,
        #[command(flatten)]
        locks: crate::options::LockArgs,
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
        #[command(flatten)]
        locks: crate::options::LockArgs,
    },
    /// Print the database's current version.
    #[command(
        after_help = "Examples:\n  migrate-gen current\n  migrate-gen current --targets tenants.txt --jobs 16    every database of the file\n  migrate-gen current --schemas 'tenant\\_%'            every tenant schema of the database"
    )]
    Current {
        #[command(flatten)]
        fleet: command::fleet::FleetArgs,
    },
    /// List the migrations, oldest first; with a database URL, mark which are applied.
    #[command(
        after_help = "Examples:\n  migrate-gen history\n  migrate-gen history --verbose    with each migration's parent and operations\n  \
        DATABASE_URL=postgres://... migrate-gen history    marks what is applied, and when"
    )]
    History {
        /// Also print each migration's parent and the operations its header lists.
        #[arg(short, long)]
        verbose: bool,
    },
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
    /// one head, no migration was edited after another was generated on top of it, and no
    /// PostgreSQL migration has a hazard `lint` finds. Silent and exit 0 when all is well; exit
    /// 1 with the problems listed otherwise. For CI.
    Check,
    /// List the hazards of the PostgreSQL migrations for an application that keeps running
    /// while they are applied: blocking index builds, constraints validated under a lock,
    /// table rewrites, renames and drops the running version still uses, enum values used in
    /// the transaction that added them. Each finding names its rule, the file and line, and
    /// the safe form. Exit 1 when there are findings.
    #[command(
        after_help = "Examples:\n  migrate-gen lint\n  migrate-gen lint --json\n\nA statement whose hazard is acceptable says so in a comment before it:\n  -- migrate-gen: allow(create-index-blocking) the table is empty everywhere\n  CREATE INDEX ix_notes_title ON notes (title);\nFindings in migrations that already ran everywhere are accepted in the directory's migrate-gen.json:\n  \"lint_allow\": [{\"migration\": \"20261124073421\", \"rule\": \"create-index-blocking\", \"reason\": \"...\"}]\n\nRules: create-index-blocking, drop-index-blocking, concurrently-in-transaction,\nconstraint-validated-under-lock, validate-in-same-transaction, unique-blocking,\nset-not-null-scan, column-type-change, volatile-default, add-value-used-in-transaction,\nrename-column, rename-table, drop-column, drop-table, table-rewrite"
    )]
    Lint,
    /// Compare a live database with the snapshot of the version it is at, and list what was
    /// added, removed or changed by hand. Exit 1 when it differs.
    Drift {
        #[command(flatten)]
        fleet: command::fleet::FleetArgs,
    },
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
    /// Write Rust models for the tables of a live database (adopting a database that exists).
    ///
    /// Reads the database the URL names and writes one `#[derive(Table)]` struct per table and
    /// one `#[derive(DbEnum)]` enum per enum type, with every name, default, key, index, check
    /// and foreign key the derives would not generate the same way. What models cannot express
    /// (views, functions, triggers, ...) is listed at the top of the file and on stderr. Works
    /// from a companion binary that links no models yet.
    #[command(
        after_help = "Examples:\n  migrate-gen pull --out src/models.rs     write the models (then `mod models;` in lib.rs)\n  \
            migrate-gen pull > models.rs             print them instead\n  \
            migrate-gen baseline                     then: the first migration, recorded as applied"
    )]
    Pull {
        /// The file to write (whole or not at all); printed on stdout when not given.
        #[arg(short, long, value_name = "FILE")]
        out: Option<std::path::PathBuf>,
        /// Replace the file when it exists.
        #[arg(long)]
        force: bool,
    },
    /// Write the first migration for the models and record the database as already at it.
    ///
    /// For a database that has the models' schema already (after `pull`): the migration
    /// creates everything from nothing for other databases, and this one is stamped at it
    /// without running anything. Refused when the database differs from the models, or when
    /// the directory has migrations already.
    #[command(
        after_help = "Examples:\n  migrate-gen baseline\n  migrate-gen baseline \"adopt the billing database\""
    )]
    Baseline {
        /// What the migration is called.
        #[arg(default_value = "baseline")]
        message: String,
    },
    /// Create or drop the database that the URL names (on its server).
    #[command(
        subcommand,
        after_help = "Examples:\n  migrate-gen database create            make the database DATABASE_URL names\n  \
        migrate-gen database drop --yes        remove it, with every row in it"
    )]
    Database(DatabaseCommand),
}

#[derive(Subcommand, Debug, Clone)]
enum DatabaseCommand {
    /// Create the database the URL names; nothing to do when it exists.
    Create,
    /// Drop the database the URL names (asks first unless --yes); nothing to do when it is
    /// absent.
    Drop {
        /// Do not ask for confirmation (needed when not run from a terminal).
        #[arg(short, long)]
        yes: bool,
        /// Disconnect other sessions using the database first.
        #[arg(short, long)]
        force: bool,
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
    let amend = rest.iter().any(|a| a.to_str() == Some("--amend"));
    if (has_message || amend) && !rest.iter().any(is_command) && !rest.iter().all(top_level_flag) {
        args.insert(1, "generate".into());
    }
    args
}

/// Edit distance between two short words (insertions, deletions, substitutions and swaps of
/// neighbours each cost one).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// The command a one-word message most likely misspells: `upgrde` is `upgrade`. Short words
/// allow one typo, longer ones two; `generate upgrde` still writes a migration named so.
fn misspelled_command(args: &[std::ffi::OsString]) -> Option<(String, String)> {
    let names: Vec<String> = Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    // The first word that is neither a flag nor a flag's value is the command's place.
    let mut words = args.iter().skip(1).filter_map(|a| a.to_str());
    let word = loop {
        let a = words.next()?;
        if matches!(a, "--dir" | "--database-url" | "--dialect") {
            words.next();
        } else if !a.starts_with('-') {
            break a;
        }
    };
    if names.iter().any(|n| n == word) || word == "help" {
        return None;
    }
    if word.contains(char::is_whitespace) || word.len() < 3 {
        return None;
    }
    let lowered = word.to_lowercase();
    names
        .into_iter()
        .map(|name| (edit_distance(&lowered, &name), name))
        .filter(|(d, name)| *d <= if name.len() <= 5 { 1 } else { 2 })
        .min()
        .map(|(_, name)| (word.to_owned(), name))
}

/// clap's error as one line: its message with the missing or unexpected arguments folded in,
/// without the usage block and the "--help" hint.
fn one_line(err: &clap::Error) -> String {
    let text = err.render().to_string();
    let mut parts: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        if line.is_empty() {
            continue;
        }
        parts.push(line.to_owned());
    }
    let mut out = parts
        .first()
        .cloned()
        .unwrap_or_else(|| "error: invalid arguments".into());
    let rest = &parts[parts.len().min(1)..];
    if !rest.is_empty() {
        if !out.ends_with(':') {
            out.push(';');
        }
        out.push(' ');
        out.push_str(&rest.join(", "));
    }
    out
}

/// Runs the command line with the given arguments (the first is the program name).
pub fn run<I, T>(config: Config, args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    if let Some((word, command)) = misspelled_command(&args) {
        eprintln!(
            "error: unknown command `{word}`; did you mean `{command}`? (to write a migration \
             named \"{word}\", run `migrate-gen generate {word}`)"
        );
        return ExitCode::from(exit::USAGE);
    }
    let args = with_default_command(args);
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(err)
            if err.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand =>
        {
            // `migrate-gen database`: the help of the command, which lists what is missing.
            let _ = err.print();
            return ExitCode::from(exit::USAGE);
        }
        Err(err) if err.use_stderr() => {
            // One line, like every other error.
            eprintln!("{} (see `migrate-gen --help`)", one_line(&err));
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
    let root = global.dir.clone().unwrap_or_else(|| config.resolved_dir());
    let mut dir = root.clone();
    let mut dialects = config.all_dialects();
    if let Some(only) = global.only {
        dialects = match only_dialect(only, &dialects, &mut dir, &global) {
            Ok(dialects) => dialects,
            Err(failure) => {
                eprintln!("error: {}", failure.message);
                return ExitCode::from(failure.code);
            }
        };
    }
    global.dialect = dialects[0];
    global.several = dialects.len() > 1;
    if global.database_url.is_none() && dialects.contains(&model_core::dialect::Dialect::Sqlite) {
        global.database_url =
            crate::project::embedded_url(&root, model_core::dialect::Dialect::Sqlite);
    }
    if let (Some(schema), Some(url)) = (&global.schema, &global.database_url) {
        match model_core::runner::Database::dialect_of(url) {
            Some(model_core::dialect::Dialect::Postgres) | None => {}
            Some(other) => {
                eprintln!(
                    "error: --schema {schema}: schemas are PostgreSQL's, and {} is a {other} database",
                    model_core::runner::mask_password(url)
                );
                return ExitCode::from(exit::UNSUPPORTED);
            }
        }
    }
    // One time for every migration a run writes, whatever the dialect.
    global.now = Some(chrono::Utc::now());
    // The models' schema is the same whatever the dialect; `pull` reads no directory.
    let outcome =
        if dialects.len() == 1 || matches!(cli.command, Command::Snapshot | Command::Pull { .. }) {
            dispatch(cli.command, &dir, &global)
        } else if let Err(failure) = can_generate_all(&cli.command, &dialects, &dir, &global) {
            Err(failure)
        } else {
            crate::project::for_dialects(
                &dialects,
                &dir,
                &global,
                cli.command.reads_a_database(),
                |dir, global| dispatch(cli.command.clone(), dir, global),
            )
        };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

impl Command {
    /// Whether the command works on the database the URL names (and so on that dialect's
    /// directory of a project with several); `generate`, `check`, `lint` and `snapshot` work
    /// on the models and every directory.
    fn reads_a_database(&self) -> bool {
        !matches!(
            self,
            Command::Generate { .. } | Command::Check | Command::Lint | Command::Snapshot
        )
    }
}

/// `--dialect`: the project's one dialect `only` (its own directory in a project with several),
/// refusing a dialect the project does not write for and a URL of another database.
fn only_dialect(
    only: model_core::dialect::Dialect,
    dialects: &[model_core::dialect::Dialect],
    dir: &mut std::path::PathBuf,
    global: &Global,
) -> Result<Vec<model_core::dialect::Dialect>, crate::report::Failure> {
    let names = || {
        dialects
            .iter()
            .map(|d| d.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !dialects.contains(&only) {
        return Err(crate::report::fail(
            exit::UNSUPPORTED,
            format!(
                "--dialect {}: this project's dialects are {}",
                only.name(),
                names()
            ),
        ));
    }
    if let Some(url) = global.database_url.as_deref() {
        if let Some(other) = model_core::runner::Database::dialect_of(url).filter(|d| *d != only) {
            return Err(crate::report::fail(
                exit::UNSUPPORTED,
                format!(
                    "{} is a {} database, not {} (--dialect)",
                    model_core::runner::mask_password(url),
                    other.name(),
                    only.name()
                ),
            ));
        }
    }
    if dialects.len() > 1 {
        dir.push(only.name());
    }
    Ok(vec![only])
}

/// For `generate` in a project with several dialects: every dialect can express the change,
/// so that it writes all directories or none.
fn can_generate_all(
    command: &Command,
    dialects: &[model_core::dialect::Dialect],
    dir: &std::path::Path,
    global: &Global,
) -> Result<(), crate::report::Failure> {
    let Command::Generate {
        message,
        amend: false,
        empty,
        dry_run: false,
        allow_destructive,
        blocking,
        phased,
    } = command
    else {
        return Ok(());
    };
    let options = command::generate::Options {
        message: message.clone().unwrap_or_default(),
        empty: *empty,
        dry_run: true,
        allow_destructive: *allow_destructive,
        blocking: *blocking,
        phased: *phased,
    };
    for &dialect in dialects {
        let mut global = global.clone();
        global.dialect = dialect;
        command::generate::can_generate(&dir.join(dialect.name()), &global, &options).map_err(
            |mut failure| {
                failure.message =
                    format!("{} ({}; nothing written)", failure.message, dialect.name());
                failure
            },
        )?;
    }
    Ok(())
}

/// Runs one command on one directory.
fn dispatch(command: Command, dir: &std::path::Path, global: &Global) -> crate::report::Outcome {
    let dir = dir.to_path_buf();
    let mut global = global.clone();
    if global.schema.is_some()
        && matches!(
            command,
            Command::Upgrade { sql: true, .. } | Command::Downgrade { sql: true, .. }
        )
    {
        return Err(crate::report::fail(
            exit::USAGE,
            "--sql prints SQL for the database's default schema; it does not go with --schema",
        ));
    }
    // Commands that record versions make the `--schema` they work in.
    global.create_schema = matches!(
        command,
        Command::Upgrade { sql: false, .. } | Command::Stamp { .. } | Command::Baseline { .. }
    );
    if let Command::Upgrade { locks, .. } | Command::Downgrade { locks, .. } = &command {
        global.lock_policy = locks.policy();
    }
    match command {
        Command::Snapshot => command::snapshot::run(),
        Command::Generate {
            message,
            amend,
            empty,
            dry_run,
            allow_destructive,
            blocking,
            phased,
        } => {
            let options = command::generate::Options {
                message: message.unwrap_or_default(),
                empty,
                dry_run,
                allow_destructive,
                blocking,
                phased,
            };
            if amend {
                command::generate::amend(&dir, &global, options)
            } else {
                command::generate::run(&dir, &global, options)
            }
        }
        Command::Upgrade {
            target,
            sql,
            from,
            fleet,
            phase,
            ..
        } if fleet.is_set() => {
            if sql {
                return Err(crate::report::fail(
                    exit::USAGE,
                    "--sql prints one script; it does not go with --targets or --schemas",
                ));
            }
            let up = match model_core::runner::UpTarget::parse(&target)
                .map_err(crate::project::runner_fail)?
            {
                model_core::runner::UpTarget::Head if phase.is_some() => {
                    model_core::runner::UpTarget::Expand
                }
                up => up,
            };
            let _ = from;
            command::fleet::run(command::fleet::Kind::Upgrade(up), &dir, &global, &fleet)
        }
        Command::Upgrade {
            target,
            sql,
            from,
            phase,
            ..
        } => command::database::upgrade(
            &dir,
            &global,
            &target,
            sql,
            from.as_deref(),
            phase.is_some(),
        ),
        Command::Downgrade {
            target, sql, from, ..
        } => command::database::downgrade(&dir, &global, &target, sql, from.as_deref()),
        Command::Current { fleet } if fleet.is_set() => {
            command::fleet::run(command::fleet::Kind::Current, &dir, &global, &fleet)
        }
        Command::Current { .. } => command::database::current(&dir, &global),
        Command::History { verbose } => command::database::history(&dir, &global, verbose),
        Command::Heads => command::database::heads(&dir, &global),
        Command::Show { version } => command::database::show(&dir, &global, &version),
        Command::Stamp { target } => command::database::stamp(&dir, &global, &target),
        Command::Check => command::check::run(&dir, &global),
        Command::Lint => command::lint::run(&dir, &global),
        Command::Drift { fleet } if fleet.is_set() => {
            command::fleet::run(command::fleet::Kind::Drift, &dir, &global, &fleet)
        }
        Command::Drift { .. } => command::inspect::drift(&dir, &global),
        Command::Verify => command::inspect::verify(&dir, &global),
        Command::Database(DatabaseCommand::Create) => command::server::create(&global),
        Command::Database(DatabaseCommand::Drop { yes, force }) => {
            command::server::drop(&global, command::server::DropOptions { yes, force })
        }
        Command::Adopt { version } => command::adopt::run(&dir, &global, &version),
        Command::Baseline { message } => command::pull::baseline(&dir, &global, &message),
        Command::Pull { out, force } => command::pull::pull(&global, out.as_deref(), force),
    }
}
