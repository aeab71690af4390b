//! Applying and reverting migrations.
//!
//! One generic algorithm ([`Runner`]) over one [`Backend`] per database: take the database's
//! migration lock, make sure the version table exists, read what is applied (after taking the
//! lock, so concurrent runs never apply a migration twice), refuse a dirty or unknown state or
//! an edited migration, then apply or revert one migration at a time, each in its own
//! transaction unless it starts with `-- no-transaction`.
//!
//! The bookkeeping is sqlx's own: the `_sqlx_migrations` table, the same checksums (SHA-384
//! of the up file), descriptions and lock, so `sqlx migrate run`, `sqlx::migrate!()` and this
//! runner agree on what is applied, in any order.
//!
//! Statements run one by one, so a failure names the migration, the statement and the
//! database's message; the transaction then leaves the database at the previous version.

mod database;
#[cfg(feature = "mysql")]
mod mysql;
mod postgres;
pub mod script;
#[cfg(feature = "sqlite")]
mod sqlite;

use std::path::PathBuf;
use std::time::Duration;

pub use database::{with_database, Database, Server, ServerError, TemporaryDatabase};
#[cfg(feature = "mysql")]
pub use mysql::{MySqlBackend, MySqlOffline};
pub use postgres::{
    connect_server, quote_identifier, statement_kind, PgBackend, PgOffline, StatementKind,
};
#[cfg(feature = "sqlite")]
pub use sqlite::{SqliteBackend, SqliteOffline};

use crate::dialect::Dialect;
use crate::migration::{DirectoryError, MigrationDir};

/// One migration's up and down SQL, read from the directory for running (the files on disk are
/// [`crate::migration::MigrationFiles`]; a migration about to be written is a
/// [`crate::migration::NewMigration`]).
#[derive(Debug, Clone)]
pub struct MigrationScript {
    /// The version.
    pub version: i64,
    /// `<version>_<slug>`, how the files are named.
    pub name: String,
    /// sqlx's description: the slug with spaces.
    pub description: String,
    /// The up script.
    pub up: String,
    /// The down script.
    pub down: String,
    /// The up file.
    pub up_path: PathBuf,
    /// The migration it was generated on top of.
    pub parent: Option<String>,
    /// Whether it has a snapshot (a hand-written sqlx migration may not, until adopted).
    pub has_snapshot: bool,
}

impl MigrationScript {
    /// The checksum sqlx records for this migration.
    pub fn checksum(&self) -> Vec<u8> {
        script::checksum(&self.up)
    }

    /// Whether it is the contract half of an expand/contract change (`generate --phased`):
    /// its header says `-- phase: contract`.
    pub fn is_contract(&self) -> bool {
        self.up
            .lines()
            .take_while(|l| l.starts_with("--"))
            .any(|l| l.starts_with(crate::generate::PHASE_CONTRACT))
    }
}

/// A row of the version table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The version.
    pub version: i64,
    /// The description recorded.
    pub description: String,
    /// When it was applied (as the database prints it, UTC).
    pub installed_on: String,
    /// Whether it completed.
    pub success: bool,
    /// The recorded checksum.
    pub checksum: Vec<u8>,
}

/// Which way a script runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Apply (record the version).
    Up,
    /// Revert (forget the version).
    Down,
}

/// How far a migration that stopped half-way got, recorded after every statement by backends
/// whose statements commit one by one (MySQL and MariaDB, where every DDL statement commits
/// on its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// The migration's version.
    pub version: i64,
    /// Which of its scripts was running.
    pub direction: Direction,
    /// How many statements ran.
    pub statements: usize,
    /// SHA-256 (hex) of each statement that ran, in order.
    pub hashes: Vec<String>,
    /// The running hash after the last statement that ran ([`script::cumulative_hash`]).
    pub cumulative: String,
    /// For a down that reverts a migration whose up stopped half-way: how many up statements
    /// had run (the down runs only their inverse).
    pub up_ran: Option<usize>,
}

/// The columns of a progress table (`_migrate_gen_progress`), in the order [`progress_rows`]
/// reads them.
pub(crate) const PROGRESS_COLUMNS: &str =
    "version, direction, statements, statement_hashes, cumulative_hash, up_ran";

/// The rows of a progress table, selected as [`PROGRESS_COLUMNS`], whatever the database:
/// the direction as `up`/`down`, the statement hashes separated by spaces.
pub(crate) fn progress_rows<R>(rows: Vec<R>) -> Vec<Progress>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> i32: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    rows.into_iter()
        .map(|r| {
            let direction: String = r.get(1);
            let statements: i32 = r.get(2);
            let hashes: String = r.get(3);
            let up_ran: Option<i32> = r.get(5);
            Progress {
                version: r.get(0),
                direction: if direction == "down" {
                    Direction::Down
                } else {
                    Direction::Up
                },
                statements: usize::try_from(statements).unwrap_or(0),
                hashes: hashes.split_whitespace().map(str::to_owned).collect(),
                cumulative: r.get(4),
                up_ran: up_ran.and_then(|n| usize::try_from(n).ok()),
            }
        })
        .collect()
}

/// How the runner waits for locks and bounds statements (PostgreSQL).
///
/// A DDL statement that waits for a lock makes every later query on its table wait behind it,
/// so it waits at most `lock_timeout`, then the runner backs off and tries again, up to
/// `retries` times. Statements that let writes go on while they run (`CREATE INDEX
/// CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `VALIDATE CONSTRAINT`) also let them go on while
/// they wait (for every transaction that uses the table to end): they wait and run for at
/// most `online_timeout` each; every other statement runs for at most `statement_timeout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockPolicy {
    /// `lock_timeout` of statements that block writes while they wait; `None` waits forever.
    pub lock_timeout: Option<Duration>,
    /// Further attempts when a lock is not granted in time.
    pub retries: u32,
    /// `statement_timeout` of statements that block writes; `None`: no limit.
    pub statement_timeout: Option<Duration>,
    /// `lock_timeout` and `statement_timeout` of statements that let writes go on; `None`: no
    /// limit.
    pub online_timeout: Option<Duration>,
}

impl Default for LockPolicy {
    fn default() -> Self {
        Self {
            lock_timeout: Some(Duration::from_secs(5)),
            retries: 5,
            statement_timeout: None,
            online_timeout: None,
        }
    }
}

impl LockPolicy {
    /// How long to wait before attempt `attempt` (1 for the first retry): doubling from
    /// half a second up to 15 s, with up to a quarter more at random so that runners do not
    /// retry in step.
    pub fn backoff(attempt: u32) -> Duration {
        let base = Duration::from_millis(500).saturating_mul(1 << attempt.saturating_sub(1).min(5));
        let base = base.min(Duration::from_secs(15));
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        base + base.mul_f64(f64::from(nanos % 1000) / 4000.0)
    }
}

/// One run of a migration's script, as the runner hands it to a backend.
#[derive(Debug, Clone, Copy)]
pub struct Job<'a> {
    /// The migration.
    pub migration: &'a MigrationScript,
    /// Up or down.
    pub direction: Direction,
    /// The statements to run (for a down reverting a half-applied up, only their inverse).
    pub statements: &'a [String],
    /// Whether to run them in one transaction.
    pub transaction: bool,
    /// How many of `statements` already ran (resuming after a failure).
    pub from: usize,
    /// See [`Progress::up_ran`].
    pub up_ran: Option<usize>,
}

/// Why the runner stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunnerError {
    /// The database cannot be reached.
    #[error("cannot connect to {url}: {message}; check that the server runs and the URL is right")]
    Connect {
        /// The URL, password masked.
        url: String,
        /// What the driver said.
        message: String,
    },
    /// The server runs but has no database of that name.
    #[error(
        "database {database} does not exist on {url}; create it with `migrate-gen database create`"
    )]
    NoDatabase {
        /// The URL, password masked.
        url: String,
        /// The missing database.
        database: String,
    },
    /// The schema `--schema` names does not exist (commands that only read never create it).
    #[error(
        "schema {schema} does not exist in database {database}; `upgrade --schema {schema}` creates it"
    )]
    NoSchema {
        /// The database.
        database: String,
        /// The missing schema.
        schema: String,
    },
    /// The URL cannot be used.
    #[error("invalid database URL {url}: {message}")]
    BadUrl {
        /// The URL, password masked.
        url: String,
        /// What is wrong.
        message: String,
    },
    /// A bookkeeping query outside any migration failed: reading or creating the version
    /// table `_sqlx_migrations`, or taking the lock.
    #[error("cannot use the version table _sqlx_migrations or the migration lock: {}", database_message(.0))]
    Database(#[from] sqlx::Error),
    /// A migration's version is not a number sqlx can record (a 64-bit integer).
    #[error("migration {name} in {path}: version {version} does not fit a 64-bit integer, as sqlx records versions; rename the files with a shorter version")]
    VersionOutOfRange {
        /// The directory.
        path: PathBuf,
        /// `<version>_<slug>`.
        name: String,
        /// The version as written.
        version: String,
    },
    /// A statement of a migration failed.
    #[error(
        "migration {migration} failed{} at statement {index}: {statement}\n  database said: {message}",
        if *.direction == Direction::Down { " (down)" } else { "" }
    )]
    Statement {
        /// `<version>_<slug>`.
        migration: String,
        /// Up or down.
        direction: Direction,
        /// 1-based statement number.
        index: usize,
        /// The statement (first line, shortened).
        statement: String,
        /// The database's message.
        message: String,
    },
    /// A migration failed outside its statements: at commit (a deferred constraint, say) or in
    /// its version bookkeeping.
    #[error("migration {migration} failed{}: {message}", if *.direction == Direction::Down { " (down)" } else { "" })]
    Migration {
        /// `<version>_<slug>`.
        migration: String,
        /// Up or down.
        direction: Direction,
        /// The database's message.
        message: String,
    },
    /// The database records a version the directory does not have.
    #[error(
        "the database is at version {version}, which is not in {dir}; it was migrated from \
         another branch or directory: use that directory, or restore the missing migration files"
    )]
    UnknownVersion {
        /// The version.
        version: i64,
        /// The directory.
        dir: String,
    },
    /// A migration was changed after it was applied.
    #[error(
        "migration {name} was edited after it was applied (its checksum differs from the one \
         recorded); restore the applied text, and put new changes in a new migration"
    )]
    Edited {
        /// `<version>_<slug>`.
        name: String,
    },
    /// A migration without a transaction failed half-way.
    #[error(
        "version {version} is marked as failed (a migration without a transaction stopped \
         half-way); repair the database by hand, then `stamp` the version you are at"
    )]
    Dirty {
        /// The version.
        version: i64,
    },
    /// A statement that ran before a migration stopped half-way was edited since.
    #[error(
        "migration {name} stopped half-way, and statement {index}, which ran before it stopped, \
         was edited since: {statement}; restore the text that ran (only statements after \
         statement {ran} may change before the migration is resumed)"
    )]
    EditedRan {
        /// `<version>_<slug>`.
        name: String,
        /// 1-based number of the edited statement.
        index: usize,
        /// Its first line now.
        statement: String,
        /// How many statements ran.
        ran: usize,
    },
    /// A half-applied migration cannot be reverted statement for statement.
    #[error(
        "migration {name} stopped after statement {ran} of its up, {why}; revert what ran by \
         hand, then `stamp` the version before it"
    )]
    CannotRevertPart {
        /// `<version>_<slug>`.
        name: String,
        /// How many up statements ran.
        ran: usize,
        /// Why.
        why: String,
    },
    /// The migration lock cannot be taken (SQLite's lock file).
    #[error("cannot take the migration lock: {message}")]
    Lock {
        /// What went wrong.
        message: String,
    },
    /// The database is of a kind the runner does not serve yet, or something it does not do
    /// for it yet.
    #[error("{what} is not supported by this build (enable model-core's cargo feature for it)")]
    Unsupported {
        /// What was asked for.
        what: String,
    },
    /// The target names no migration or is in the wrong direction.
    #[error("{0}")]
    Target(String),
    /// The directory cannot be read.
    #[error(transparent)]
    Directory(#[from] DirectoryError),
    /// A migration file cannot be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// One database, as the runner needs it.
#[allow(async_fn_in_trait)]
pub trait Backend {
    /// Takes the migration lock (waits for other runners).
    async fn lock(&mut self) -> Result<(), RunnerError>;
    /// Releases the migration lock.
    async fn unlock(&mut self) -> Result<(), RunnerError>;
    /// Creates the version table when missing.
    async fn ensure_version_table(&mut self) -> Result<(), RunnerError>;
    /// The version table's rows, by version; empty when the table does not exist.
    async fn applied(&mut self) -> Result<Vec<Applied>, RunnerError>;
    /// Runs one migration's statements and its bookkeeping, in one transaction unless
    /// `job.transaction` is false.
    async fn run(&mut self, job: &Job<'_>) -> Result<Duration, RunnerError>;
    /// The migrations that stopped half-way, with how far each got: only backends that record
    /// progress statement by statement have any.
    async fn progress(&mut self) -> Result<Vec<Progress>, RunnerError> {
        Ok(Vec::new())
    }
    /// Records `migration` as applied without running it.
    async fn record(&mut self, migration: &MigrationScript) -> Result<(), RunnerError>;
    /// Forgets `version` without running anything.
    async fn forget(&mut self, version: i64) -> Result<(), RunnerError>;
    /// The statements of a migration script, split as this database reads its quoting.
    fn statements(&self, sql: &str) -> Vec<String>;
}

/// Reads every migration of the directory, in version order (hand-written ones without a
/// snapshot included), after checking that the parent chain has one head.
pub fn load(dir: &MigrationDir) -> Result<Vec<MigrationScript>, RunnerError> {
    dir.head()?;
    dir.migrations()
        .iter()
        .map(|m| {
            let read = |path: &PathBuf| {
                std::fs::read_to_string(path).map_err(|source| RunnerError::Read {
                    path: path.clone(),
                    source,
                })
            };
            let version = m
                .version
                .parse::<i64>()
                .map_err(|_| RunnerError::VersionOutOfRange {
                    path: dir.path().to_owned(),
                    name: format!("{}_{}", m.version, m.slug),
                    version: m.version.clone(),
                })?;
            Ok(MigrationScript {
                version,
                name: format!("{}_{}", m.version, m.slug),
                description: m.slug.replace('_', " "),
                up: read(&m.up)?,
                down: read(&m.down)?,
                up_path: m.up.clone(),
                parent: m.parent.clone(),
                has_snapshot: m.has_snapshot,
            })
        })
        .collect()
}

/// Where the database stands relative to the directory.
#[derive(Debug, Clone)]
pub struct Status {
    /// Versions applied, in order.
    pub applied: Vec<Applied>,
    /// Index in the migration list of the newest applied migration.
    pub current: Option<usize>,
    /// A migration that stopped half-way (its index in the migration list) and how far it got.
    pub partial: Option<(usize, Progress)>,
}

/// An upgrade target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpTarget {
    /// Every pending migration.
    Head,
    /// The next N pending migrations.
    Steps(usize),
    /// Up to and including this version.
    Version(String),
    /// Every pending migration before the first pending contract migration (`upgrade --phase
    /// expand`, before a deploy).
    Expand,
}

/// A downgrade target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownTarget {
    /// Revert the newest N applied migrations.
    Steps(usize),
    /// Revert down to this version (it stays applied).
    Version(String),
    /// Revert everything.
    Base,
}

impl UpTarget {
    /// Parses `head`, `+N` or a version.
    pub fn parse(text: &str) -> Result<Self, RunnerError> {
        match text {
            "head" | "heads" => Ok(UpTarget::Head),
            t if t.starts_with('-') => Err(RunnerError::Target(format!(
                "`{t}` goes down; use `downgrade {t}`"
            ))),
            t if t.starts_with('+') => t[1..]
                .parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .map(UpTarget::Steps)
                .ok_or_else(|| {
                    RunnerError::Target(format!("invalid step count `{t}`: use +1, +2, ..."))
                }),
            t => Ok(UpTarget::Version(t.to_owned())),
        }
    }
}

impl DownTarget {
    /// Parses `-N`, `base` or a version.
    pub fn parse(text: &str) -> Result<Self, RunnerError> {
        match text {
            "base" => Ok(DownTarget::Base),
            t if t.starts_with('+') => Err(RunnerError::Target(format!(
                "`{t}` goes up; use `upgrade {t}`"
            ))),
            t if t.starts_with('-') => t[1..]
                .parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .map(DownTarget::Steps)
                .ok_or_else(|| {
                    RunnerError::Target(format!("invalid step count `{t}`: use -1, -2, ..."))
                }),
            t => Ok(DownTarget::Version(t.to_owned())),
        }
    }
}

/// The server's own message for a database error, the driver's text otherwise.
/// A statement's first line of code, shortened, for messages.
pub(crate) fn first_line(statement: &str) -> String {
    let line = statement
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--"))
        .unwrap_or(statement)
        .trim();
    if line.chars().count() > 120 {
        format!("{}...", line.chars().take(117).collect::<String>())
    } else {
        line.to_owned()
    }
}

/// A failure to record or forget a version.
pub(crate) fn bookkeeping(
    migration: &MigrationScript,
    direction: Direction,
    err: &sqlx::Error,
) -> RunnerError {
    RunnerError::Migration {
        migration: migration.name.clone(),
        direction,
        message: format!("recording the version: {}", database_message(err)),
    }
}

pub(crate) fn database_message(err: &sqlx::Error) -> String {
    match err {
        // PostgreSQL's lock table is full: say what fills it and the two ways out.
        sqlx::Error::Database(db) if db.code().as_deref() == Some("53200") => format!(
            "{}: the migration locks more relations in one transaction than the server's lock \
             table holds (max_locks_per_transaction × max_connections); generate it again (big \
             changes are written as several migrations) or raise max_locks_per_transaction",
            db.message()
        ),
        sqlx::Error::Database(db) => db.message().to_owned(),
        other => other.to_string(),
    }
}

/// Finds a migration by version or by `<version>_<slug>` (a unique version prefix also works).
pub fn find(migrations: &[MigrationScript], text: &str) -> Result<usize, RunnerError> {
    let matches: Vec<usize> = migrations
        .iter()
        .enumerate()
        .filter(|(_, m)| m.name == text || m.version.to_string() == text)
        .map(|(i, _)| i)
        .collect();
    let matches = if matches.is_empty() {
        migrations
            .iter()
            .enumerate()
            .filter(|(_, m)| m.version.to_string().starts_with(text) || m.name.starts_with(text))
            .map(|(i, _)| i)
            .collect()
    } else {
        matches
    };
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => Err(RunnerError::Target(format!(
            "no migration matches `{text}`; `history` lists them"
        ))),
        _ => Err(RunnerError::Target(format!(
            "`{text}` matches several migrations ({}); give more of the version",
            matches
                .iter()
                .map(|i| migrations[*i].name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Progress events, for output.
#[derive(Debug, Clone)]
pub enum Event<'a> {
    /// A migration starts.
    Start(&'a MigrationScript, Direction),
    /// A migration finished.
    Done(&'a MigrationScript, Direction, Duration),
    /// A migration that stopped half-way resumes after the statements that ran.
    Resume(&'a MigrationScript, Direction, usize),
}

/// The generic algorithm over a backend.
pub struct Runner<'m, B> {
    backend: B,
    migrations: &'m [MigrationScript],
    dir: String,
}

impl<'m, B: Backend> Runner<'m, B> {
    /// A runner for `migrations` (from [`load`]) of the directory `dir`.
    pub fn new(backend: B, migrations: &'m [MigrationScript], dir: impl Into<String>) -> Self {
        Self {
            backend,
            migrations,
            dir: dir.into(),
        }
    }

    /// The backend.
    pub fn backend(&mut self) -> &mut B {
        &mut self.backend
    }

    /// Where the database stands; refuses dirty and unknown states and edited migrations.
    pub async fn status(&mut self) -> Result<Status, RunnerError> {
        let applied = self.backend.applied().await?;
        let progress = self.backend.progress().await?;
        let mut current = None;
        let mut partial = None;
        for row in &applied {
            let stopped = progress.iter().find(|p| p.version == row.version);
            if !row.success && stopped.is_none() {
                return Err(RunnerError::Dirty {
                    version: row.version,
                });
            }
            let Some(index) = self
                .migrations
                .iter()
                .position(|m| m.version == row.version)
            else {
                return Err(RunnerError::UnknownVersion {
                    version: row.version,
                    dir: self.dir.clone(),
                });
            };
            if let Some(stopped) = stopped {
                // Its file may have been fixed after the failure: what ran is checked when
                // it is resumed.
                if partial.is_none() {
                    partial = Some((index, stopped.clone()));
                }
                if stopped.direction == Direction::Down {
                    current = Some(current.map_or(index, |c: usize| c.max(index)));
                }
                continue;
            }
            let migration = &self.migrations[index];
            if !script::checksum_matches(&migration.up, &row.checksum) {
                return Err(RunnerError::Edited {
                    name: migration.name.clone(),
                });
            }
            current = Some(current.map_or(index, |c: usize| c.max(index)));
        }
        Ok(Status {
            applied,
            current,
            partial,
        })
    }

    /// The statements of `migration`'s `direction` script, checking that the first `ran` of
    /// them (per `progress`) are the ones that ran.
    fn resumable(
        &self,
        migration: &MigrationScript,
        statements: &[String],
        progress: &Progress,
    ) -> Result<(), RunnerError> {
        for (i, hash) in progress.hashes.iter().enumerate() {
            let now = statements.get(i);
            if now.is_none_or(|s| script::statement_hash(s) != *hash) {
                return Err(RunnerError::EditedRan {
                    name: migration.name.clone(),
                    index: i + 1,
                    statement: now
                        .map_or_else(|| "(no longer in the file)".into(), |s| first_line(s)),
                    ran: progress.statements,
                });
            }
        }
        Ok(())
    }

    /// The down statements that revert exactly the `ran` up statements of `migration`.
    fn partial_down_statements(
        &self,
        migration: &MigrationScript,
        ran: usize,
    ) -> Result<Vec<String>, RunnerError> {
        let up = self.backend_statements(&migration.up);
        let down = self.backend_statements(&migration.down);
        match script::partial_down(&up, &down, ran) {
            Ok(indexes) => Ok(indexes.into_iter().map(|i| down[i].clone()).collect()),
            Err(op) => Err(RunnerError::CannotRevertPart {
                name: migration.name.clone(),
                ran,
                why: if op == 0 {
                    "and its files do not say which down statements revert which up ones (no \
                     numbered operations)"
                        .into()
                } else {
                    format!("in the middle of its operation {op}")
                },
            }),
        }
    }

    fn backend_statements(&self, sql: &str) -> Vec<String> {
        self.backend.statements(sql)
    }

    /// Finishes the migration that stopped half-way, in the direction it was going.
    async fn finish_partial(
        &mut self,
        index: usize,
        progress: &Progress,
        on: &mut impl FnMut(Event<'_>),
    ) -> Result<(), RunnerError> {
        let m = &self.migrations[index];
        let statements = match (progress.direction, progress.up_ran) {
            (Direction::Up, _) => self.backend.statements(&m.up),
            (Direction::Down, None) => self.backend.statements(&m.down),
            (Direction::Down, Some(ran)) => self.partial_down_statements(m, ran)?,
        };
        self.resumable(m, &statements, progress)?;
        on(Event::Resume(m, progress.direction, progress.statements));
        let took = self
            .backend
            .run(&Job {
                migration: m,
                direction: progress.direction,
                statements: &statements,
                transaction: false,
                from: progress.statements,
                up_ran: progress.up_ran,
            })
            .await?;
        on(Event::Done(m, progress.direction, took));
        Ok(())
    }

    async fn locked<T>(
        &mut self,
        work: impl AsyncFnOnce(&mut Self) -> Result<T, RunnerError>,
    ) -> Result<T, RunnerError> {
        self.backend.lock().await?;
        let result = work(self).await;
        let unlocked = self.backend.unlock().await;
        let value = result?;
        unlocked?;
        Ok(value)
    }

    /// Applies pending migrations up to `target`; returns how many ran.
    pub async fn upgrade(
        &mut self,
        target: &UpTarget,
        mut on: impl FnMut(Event<'_>),
    ) -> Result<usize, RunnerError> {
        self.locked(async move |this| {
            this.backend.ensure_version_table().await?;
            let status = this.status().await?;
            let mut resumed = 0;
            if let Some((index, progress)) = &status.partial {
                if progress.direction == Direction::Down {
                    return Err(RunnerError::Target(format!(
                        "{} stopped half-way while being reverted ({} statements of its down \
                         ran); `downgrade` finishes reverting it",
                        this.migrations[*index].name, progress.statements
                    )));
                }
                this.finish_partial(*index, progress, &mut on).await?;
                resumed = 1;
            }
            let applied: Vec<i64> = status.applied.iter().map(|a| a.version).collect();
            let pending: Vec<usize> = (0..this.migrations.len())
                .filter(|i| !applied.contains(&this.migrations[*i].version))
                .collect();
            let chosen: Vec<usize> = match target {
                UpTarget::Head => pending,
                UpTarget::Steps(n) => pending.into_iter().take(n - resumed).collect(),
                UpTarget::Expand => pending
                    .into_iter()
                    .take_while(|i| !this.migrations[*i].is_contract())
                    .collect(),
                UpTarget::Version(v) => {
                    let end = find(this.migrations, v)?;
                    let target_applied = applied.contains(&this.migrations[end].version);
                    if let Some(c) = status.current.filter(|c| *c > end) {
                        let message = if target_applied {
                            format!(
                                "{} is already applied; use `downgrade {v}` to go back to it",
                                this.migrations[end].name
                            )
                        } else {
                            format!(
                                "{} is not applied, but the later {} is: the database has a gap \
                                 (migrations applied out of order); `upgrade` (head) applies \
                                 every pending migration, this one included",
                                this.migrations[end].name, this.migrations[c].name
                            )
                        };
                        return Err(RunnerError::Target(message));
                    }
                    pending.into_iter().filter(|i| *i <= end).collect()
                }
            };
            let migrations = this.migrations;
            for i in &chosen {
                let m = &migrations[*i];
                on(Event::Start(m, Direction::Up));
                let statements = this.backend.statements(&m.up);
                let took = this
                    .backend
                    .run(&Job {
                        migration: m,
                        direction: Direction::Up,
                        statements: &statements,
                        transaction: !script::is_no_transaction(&m.up),
                        from: 0,
                        up_ran: None,
                    })
                    .await?;
                on(Event::Done(m, Direction::Up, took));
            }
            Ok(chosen.len() + resumed)
        })
        .await
    }

    /// Reverts applied migrations down to `target`; returns how many ran.
    pub async fn downgrade(
        &mut self,
        target: &DownTarget,
        mut on: impl FnMut(Event<'_>),
    ) -> Result<usize, RunnerError> {
        self.locked(async move |this| {
            this.backend.ensure_version_table().await?;
            let status = this.status().await?;
            let mut finished = 0;
            let mut gone = None;
            if let Some((index, progress)) = &status.partial {
                let m = &this.migrations[*index];
                match progress.direction {
                    // Half reverted: finish reverting it.
                    Direction::Down => this.finish_partial(*index, progress, &mut on).await?,
                    // Half applied: revert exactly what ran.
                    Direction::Up => {
                        let statements = this.partial_down_statements(m, progress.statements)?;
                        this.resumable(m, &this.backend.statements(&m.up), progress)?;
                        on(Event::Start(m, Direction::Down));
                        let took = this
                            .backend
                            .run(&Job {
                                migration: m,
                                direction: Direction::Down,
                                statements: &statements,
                                transaction: false,
                                from: 0,
                                up_ran: Some(progress.statements),
                            })
                            .await?;
                        on(Event::Done(m, Direction::Down, took));
                    }
                }
                finished = 1;
                gone = Some(m.version);
            }
            let mut applied: Vec<usize> = status
                .applied
                .iter()
                .filter(|a| Some(a.version) != gone)
                .filter_map(|a| this.migrations.iter().position(|m| m.version == a.version))
                .collect();
            applied.sort();
            applied.reverse();
            let chosen: Vec<usize> = match target {
                DownTarget::Base => applied,
                DownTarget::Steps(n) => applied.into_iter().take(n - finished).collect(),
                DownTarget::Version(v) => {
                    let keep = find(this.migrations, v)?;
                    if status.current.is_none_or(|c| c < keep) {
                        return Err(RunnerError::Target(format!(
                            "{} is not applied; use `upgrade {v}` to go forward to it",
                            this.migrations[keep].name
                        )));
                    }
                    applied.into_iter().filter(|i| *i > keep).collect()
                }
            };
            let migrations = this.migrations;
            for i in &chosen {
                let m = &migrations[*i];
                on(Event::Start(m, Direction::Down));
                let statements = this.backend.statements(&m.down);
                let took = this
                    .backend
                    .run(&Job {
                        migration: m,
                        direction: Direction::Down,
                        statements: &statements,
                        transaction: !script::is_no_transaction(&m.down),
                        from: 0,
                        up_ran: None,
                    })
                    .await?;
                on(Event::Done(m, Direction::Down, took));
            }
            Ok(chosen.len() + finished)
        })
        .await
    }

    /// Records the database as being at `target` (`base`, `head` or a version) without
    /// running anything: versions up to it are recorded, later ones forgotten.
    pub async fn stamp(&mut self, target: &str) -> Result<(), RunnerError> {
        self.locked(async move |this| {
            this.backend.ensure_version_table().await?;
            let applied = this.backend.applied().await?;
            let end: Option<usize> = match target {
                "base" => None,
                "head" => this.migrations.len().checked_sub(1),
                t => Some(find(this.migrations, t)?),
            };
            for row in &applied {
                let keep = this
                    .migrations
                    .iter()
                    .position(|m| m.version == row.version)
                    .is_some_and(|i| end.is_some_and(|e| i <= e));
                if !keep {
                    this.backend.forget(row.version).await?;
                }
            }
            if let Some(end) = end {
                for m in &this.migrations[..=end] {
                    if !applied.iter().any(|a| a.version == m.version && a.success) {
                        this.backend.forget(m.version).await?;
                        this.backend.record(m).await?;
                    }
                }
            }
            Ok(())
        })
        .await
    }
}

/// What a backend does without a connection: split a migration into statements (its
/// tokenizer knows its quoting) and write what `upgrade --sql` / `downgrade --sql` print.
pub trait Offline: Sync {
    /// The statements of a migration script, each without its final `;`; comment-only pieces
    /// are dropped.
    fn statements(&self, sql: &str) -> Vec<String>;
    /// The SQL that `upgrade`/`downgrade` would run, with the version bookkeeping.
    fn offline_sql(&self, migrations: &[&MigrationScript], direction: Direction) -> String;
}

/// The offline half of the backend for `dialect` (PostgreSQL's for a dialect whose cargo
/// feature is off).
pub fn offline(dialect: Dialect) -> &'static dyn Offline {
    match dialect {
        #[cfg(feature = "sqlite")]
        Dialect::Sqlite => &sqlite::SqliteOffline,
        #[cfg(feature = "mysql")]
        Dialect::Mysql => &mysql::MySqlOffline,
        _ => &postgres::PgOffline,
    }
}

/// A URL with its password replaced by `***` (in the user part and in a `password=` query
/// parameter), for messages.
pub fn mask_password(url: &str) -> String {
    let url = &mask_query_password(url);
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme_end + 3..];
    // The user part ends at the last `@` (a password may hold `/`, `?` or `@` unencoded).
    let Some(at) = rest.rfind('@') else {
        return url.to_owned();
    };
    let userinfo = &rest[..at];
    match userinfo.find(':') {
        Some(colon) => format!(
            "{}{}:***{}",
            &url[..scheme_end + 3],
            &userinfo[..colon],
            &rest[at..]
        ),
        None => url.to_owned(),
    }
}

fn mask_query_password(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let params: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
            _ => p.to_owned(),
        })
        .collect();
    format!("{base}?{}", params.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked() {
        assert_eq!(
            mask_password("postgres://me:s3cret@db:5432/app"),
            "postgres://me:***@db:5432/app"
        );
        assert_eq!(
            mask_password("postgres://me@db/app?sslmode=disable&password=x"),
            "postgres://me@db/app?sslmode=disable&password=***"
        );
        assert_eq!(mask_password("postgres://db/app"), "postgres://db/app");
        assert_eq!(mask_password("p://u:a@b@h/d"), "p://u:***@h/d");
        assert_eq!(
            mask_password("postgres://me:hunter/2secret@db/app"),
            "postgres://me:***@db/app"
        );
        assert_eq!(
            mask_password("postgres://me:hun?ter2@db/app"),
            "postgres://me:***@db/app"
        );
    }

    #[test]
    fn targets() {
        assert_eq!(UpTarget::parse("head").unwrap(), UpTarget::Head);
        assert_eq!(UpTarget::parse("+2").unwrap(), UpTarget::Steps(2));
        assert!(UpTarget::parse("+0").is_err());
        assert_eq!(DownTarget::parse("-1").unwrap(), DownTarget::Steps(1));
        assert_eq!(DownTarget::parse("base").unwrap(), DownTarget::Base);
        assert_eq!(
            DownTarget::parse("2026").unwrap(),
            DownTarget::Version("2026".into())
        );
    }
}
