//! The SQLite backend: sqlx's version table in the database file, a lock beside it, creating
//! and removing database files; and, without a connection, its splitter and `--sql` text
//! ([`script`]).
//!
//! Each migration runs in a transaction with foreign keys switched off before it begins (SQLite
//! ignores the pragma inside one) and restored after it ends, whatever happened: rebuilding or
//! dropping a referenced table then keeps the rows that reference it. Before committing, the
//! runner runs `PRAGMA foreign_key_check` and refuses a migration that broke a foreign key that
//! held before, naming the table and the row; and it re-creates the triggers that a table
//! rebuild dropped with the old table (sqlx's `Migrator` cannot: they are lost there).
//!
//! SQLite has no advisory lock, and sqlx's SQLite driver takes none. Two processes upgrading
//! one file would both see a migration pending; the runner therefore holds an exclusive lock
//! on `<database file>.migrate-lock` (created beside the database, left in place) while it
//! works. An in-memory database needs none.

pub(super) mod script;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::render::sqlite::RUNNER_TABLE;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection, Executor, Row};

use super::{
    bookkeeping, database_message, first_line, mask_password, Applied, Backend, Direction, Job,
    MigrationScript, RunnerError, ServerError,
};
pub use script::SqliteOffline;

/// A SQLite connection used by the runner.
pub struct SqliteBackend {
    conn: SqliteConnection,
    /// The database file (none in memory).
    file: Option<PathBuf>,
    /// The held lock, while [`Backend::lock`] holds it.
    lock: Option<std::fs::File>,
}

/// Parses a `sqlite:` URL.
pub(super) fn options(url: &str) -> Result<SqliteConnectOptions, RunnerError> {
    url.parse().map_err(|e: sqlx::Error| RunnerError::BadUrl {
        url: mask_password(url),
        message: e.to_string(),
    })
}

/// The database file a URL names (none for an in-memory database).
pub(super) fn file_of(options: &SqliteConnectOptions) -> Option<PathBuf> {
    let path = options.get_filename();
    let text = path.to_string_lossy();
    (!text.is_empty() && text != ":memory:" && !text.starts_with("file::memory:"))
        .then(|| path.to_owned())
}

impl SqliteBackend {
    /// Connects to the database file of `url`, which must exist (`database create` makes it,
    /// as `sqlx database create` does) unless the URL says `?mode=rwc`.
    pub async fn connect(url: &str) -> Result<Self, RunnerError> {
        let options = options(url)?;
        let file = file_of(&options);
        // `?mode=rwc` asks sqlx to create a missing file; otherwise it must exist.
        let create = url.contains("mode=rwc");
        if let Some(path) = &file {
            if !create && !path.exists() {
                return Err(RunnerError::NoDatabase {
                    url: mask_password(url),
                    database: path.display().to_string(),
                });
            }
        }
        Self::connect_with(&options, file, url).await
    }

    /// Connects with parsed options.
    pub(super) async fn connect_with(
        options: &SqliteConnectOptions,
        file: Option<PathBuf>,
        url: &str,
    ) -> Result<Self, RunnerError> {
        let conn = options
            .clone()
            // Another process's migration holds the write lock for a while: wait for it.
            .busy_timeout(Duration::from_secs(30))
            .connect()
            .await
            .map_err(|e| RunnerError::Connect {
                url: mask_password(url),
                message: e.to_string(),
            })?;
        Ok(Self {
            conn,
            file,
            lock: None,
        })
    }

    /// The connection, for tests and introspection.
    pub fn connection(&mut self) -> &mut SqliteConnection {
        &mut self.conn
    }
}

/// The lock file beside a database file.
fn lock_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".migrate-lock");
    PathBuf::from(name)
}

async fn execute_all(
    conn: &mut SqliteConnection,
    migration: &MigrationScript,
    direction: Direction,
    statements: &[String],
) -> Result<(), RunnerError> {
    for (i, statement) in statements.iter().enumerate() {
        conn.execute(statement.as_str())
            .await
            .map_err(|e| RunnerError::Statement {
                migration: migration.name.clone(),
                direction,
                index: i + 1,
                statement: first_line(statement),
                message: database_message(&e),
            })?;
    }
    match direction {
        Direction::Up => {
            sqlx::query(
                "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                 VALUES (?1, ?2, TRUE, ?3, -1)",
            )
            .bind(migration.version)
            .bind(&migration.description)
            .bind(migration.checksum())
            .execute(&mut *conn)
            .await
            .map_err(|e| bookkeeping(migration, direction, &e))?;
        }
        Direction::Down => {
            sqlx::query("DELETE FROM _sqlx_migrations WHERE version = ?1")
                .bind(migration.version)
                .execute(&mut *conn)
                .await
                .map_err(|e| bookkeeping(migration, direction, &e))?;
        }
    }
    Ok(())
}

/// A row that breaks a foreign key: (table, rowid, referenced table).
type Violation = (String, Option<i64>, String);

async fn violations(conn: &mut SqliteConnection) -> Result<Vec<Violation>, sqlx::Error> {
    sqlx::query_as("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
        .fetch_all(conn)
        .await
}

/// A trigger: (name, its table, its SQL, the table's root page).
type Trigger = (String, String, String, i64);

async fn triggers(conn: &mut SqliteConnection) -> Result<Vec<Trigger>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.name, t.tbl_name, t.sql, COALESCE(r.rootpage, 0) FROM sqlite_master t \
         LEFT JOIN sqlite_master r ON r.type = 'table' AND r.name = t.tbl_name \
         WHERE t.type = 'trigger' ORDER BY t.name",
    )
    .fetch_all(conn)
    .await
}

/// Re-creates the triggers a table rebuild dropped with the old table: those gone whose table
/// exists again as another table (another root page). A trigger dropped on purpose keeps its
/// table, and stays dropped.
async fn restore_triggers(conn: &mut SqliteConnection, before: &[Trigger]) -> Result<(), String> {
    let now = triggers(conn).await.map_err(|e| database_message(&e))?;
    let tables: Vec<(String, i64)> =
        sqlx::query_as("SELECT name, rootpage FROM sqlite_master WHERE type = 'table'")
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| database_message(&e))?;
    for (name, table, sql, page) in before {
        if now.iter().any(|t| t.0 == *name) {
            continue;
        }
        let rebuilt = tables.iter().any(|(t, p)| t == table && p != page);
        if rebuilt {
            conn.execute(sql.as_str()).await.map_err(|e| {
                format!(
                    "trigger {name} on {table} cannot be re-created after the table was rebuilt: {}",
                    database_message(&e)
                )
            })?;
        }
    }
    Ok(())
}

impl SqliteBackend {
    /// Runs a migration in a transaction that commits only if it broke no foreign key that
    /// held before (foreign keys are off, so SQLite does not check them itself).
    async fn run_checked(
        &mut self,
        migration: &MigrationScript,
        direction: Direction,
        statements: &[String],
    ) -> Result<(), RunnerError> {
        let failed = |e: sqlx::Error| RunnerError::Migration {
            migration: migration.name.clone(),
            direction,
            message: database_message(&e),
        };
        // A table left by a rebuild that did not finish (its SQL run outside a transaction,
        // by hand, and stopped): the next rebuild of that table would fail or hide it.
        let left: Option<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '\\_migrate\\_gen\\_new\\_%' ESCAPE '\\' ORDER BY name",
        )
        .fetch_optional(&mut self.conn)
        .await
        .map_err(failed)?;
        if let Some(table) = left {
            return Err(RunnerError::Migration {
                migration: migration.name.clone(),
                direction,
                message: format!(
                    "table {table} is left from a table rebuild that did not finish; check \
                     whether it holds rows the original table lacks, then drop it; nothing was \
                     changed"
                ),
            });
        }
        let before = violations(&mut self.conn).await.map_err(failed)?;
        let triggers_before = triggers(&mut self.conn).await.map_err(failed)?;
        let mut tx = self.conn.begin().await.map_err(failed)?;
        // Tells the trigger guard of a rebuild that the triggers will be re-created.
        sqlx::raw_sql(&format!("CREATE TEMP TABLE {RUNNER_TABLE} (x INTEGER)"))
            .execute(&mut *tx)
            .await
            .map_err(failed)?;
        execute_all(&mut tx, migration, direction, statements).await?;
        sqlx::raw_sql(&format!("DROP TABLE temp.{RUNNER_TABLE}"))
            .execute(&mut *tx)
            .await
            .map_err(failed)?;
        restore_triggers(&mut tx, &triggers_before)
            .await
            .map_err(|message| RunnerError::Migration {
                migration: migration.name.clone(),
                direction,
                message,
            })?;
        let mut broken: Vec<Violation> = violations(&mut tx)
            .await
            .map_err(failed)?
            .into_iter()
            .filter(|v| !before.contains(v))
            .collect();
        broken.sort();
        if let Some((table, rowid, parent)) = broken.first() {
            tx.rollback().await.map_err(failed)?;
            let row = rowid.map_or_else(|| "a row".to_owned(), |r| format!("row {r}"));
            return Err(RunnerError::Migration {
                migration: migration.name.clone(),
                direction,
                message: format!(
                    "it breaks a foreign key: {row} of {table} references a missing row of \
                     {parent}{}; nothing was changed",
                    if broken.len() > 1 {
                        format!(" ({} rows in all)", broken.len())
                    } else {
                        String::new()
                    }
                ),
            });
        }
        tx.commit().await.map_err(failed)
    }
}

impl Backend for SqliteBackend {
    async fn lock(&mut self) -> Result<(), RunnerError> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let path = lock_path(file);
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| RunnerError::Lock {
                message: format!("cannot open {}: {e}", path.display()),
            })?;
        // Poll, so that waiting never blocks the runtime's thread.
        loop {
            match lock.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) => {
                    tokio::time::sleep(Duration::from_millis(50)).await
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(RunnerError::Lock {
                        message: format!("cannot lock {}: {e}", path.display()),
                    })
                }
            }
        }
        self.lock = Some(lock);
        Ok(())
    }

    async fn unlock(&mut self) -> Result<(), RunnerError> {
        if let Some(lock) = self.lock.take() {
            let _ = lock.unlock();
        }
        Ok(())
    }

    async fn ensure_version_table(&mut self) -> Result<(), RunnerError> {
        self.conn.execute(script::VERSION_TABLE).await?;
        Ok(())
    }

    async fn applied(&mut self) -> Result<Vec<Applied>, RunnerError> {
        let exists: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')",
        )
        .fetch_one(&mut self.conn)
        .await?;
        if !exists {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(
            "SELECT version, description, \
             strftime('%Y-%m-%d %H:%M:%S', installed_on) || ' UTC' AS installed, \
             success, checksum FROM _sqlx_migrations ORDER BY version",
        )
        .fetch_all(&mut self.conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| Applied {
                version: r.get("version"),
                description: r.get("description"),
                installed_on: r.get("installed"),
                success: r.get("success"),
                checksum: r.get("checksum"),
            })
            .collect())
    }

    async fn run(&mut self, job: &Job<'_>) -> Result<Duration, RunnerError> {
        let Job {
            migration,
            direction,
            statements,
            transaction,
            ..
        } = *job;
        let start = Instant::now();
        let failed = |e: sqlx::Error| RunnerError::Migration {
            migration: migration.name.clone(),
            direction,
            message: database_message(&e),
        };
        if transaction {
            // Foreign keys off around the transaction (SQLite ignores the pragma inside one),
            // so that rebuilding or dropping a referenced table keeps the referencing rows;
            // restored whatever happens.
            let previous: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
                .fetch_one(&mut self.conn)
                .await
                .map_err(failed)?;
            self.conn
                .execute("PRAGMA foreign_keys = OFF")
                .await
                .map_err(failed)?;
            let result = self.run_checked(migration, direction, statements).await;
            let restored = self
                .conn
                .execute(if previous == 0 {
                    "PRAGMA foreign_keys = OFF"
                } else {
                    "PRAGMA foreign_keys = ON"
                })
                .await
                .map_err(failed);
            result?;
            restored?;
        } else if let Err(err) = execute_all(&mut self.conn, migration, direction, statements).await
        {
            // Half applied, outside a transaction: record the version as failed (sqlx's
            // `success = FALSE`), so that later runs stop until someone repairs and stamps.
            if direction == Direction::Up {
                let _ = sqlx::query(
                    "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                     VALUES (?1, ?2, FALSE, ?3, -1) ON CONFLICT (version) DO UPDATE SET success = FALSE",
                )
                .bind(migration.version)
                .bind(&migration.description)
                .bind(migration.checksum())
                .execute(&mut self.conn)
                .await;
            }
            return Err(err);
        }
        let took = start.elapsed();
        if direction == Direction::Up {
            sqlx::query("UPDATE _sqlx_migrations SET execution_time = ?1 WHERE version = ?2")
                .bind(i64::try_from(took.as_nanos()).unwrap_or(i64::MAX))
                .bind(migration.version)
                .execute(&mut self.conn)
                .await?;
        }
        Ok(took)
    }

    async fn record(&mut self, migration: &MigrationScript) -> Result<(), RunnerError> {
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (?1, ?2, TRUE, ?3, 0)",
        )
        .bind(migration.version)
        .bind(&migration.description)
        .bind(migration.checksum())
        .execute(&mut self.conn)
        .await?;
        Ok(())
    }

    async fn forget(&mut self, version: i64) -> Result<(), RunnerError> {
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = ?1")
            .bind(version)
            .execute(&mut self.conn)
            .await?;
        Ok(())
    }

    fn statements(&self, sql: &str) -> Vec<String> {
        script::statements(sql)
    }
}

/// Whether the database file exists.
pub(super) fn database_exists(file: &Path) -> bool {
    file.exists()
}

/// Creates an empty database file (SQLite writes its header on first use).
pub(super) async fn create_database(options: &SqliteConnectOptions) -> Result<(), ServerError> {
    let conn = options
        .clone()
        .create_if_missing(true)
        .connect()
        .await
        .map_err(|e| ServerError::Refused(database_message(&e)))?;
    let _ = conn.close().await;
    Ok(())
}

/// Removes a database file with its journal, WAL and lock files.
pub(super) fn drop_database(file: &Path, if_exists: bool) -> Result<(), ServerError> {
    if !file.exists() {
        return if if_exists {
            Ok(())
        } else {
            Err(ServerError::Refused(format!(
                "{} does not exist",
                file.display()
            )))
        };
    }
    std::fs::remove_file(file).map_err(|e| ServerError::Refused(e.to_string()))?;
    for suffix in ["-journal", "-wal", "-shm", ".migrate-lock"] {
        let mut name = file.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
    Ok(())
}
