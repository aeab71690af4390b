//! The MySQL and MariaDB backend: sqlx's version table and lock, creating and dropping
//! databases; and, without a connection, its splitter and `--sql` text ([`script`]).
//!
//! MySQL and MariaDB commit every DDL statement on its own, so a migration cannot be undone as
//! a whole when its third statement fails: the first two stay. sqlx then records the version
//! as failed (`success = FALSE`) and stops. This backend runs a migration statement by
//! statement (with or without `-- no-transaction`) and records after each one how many ran and
//! a hash of each (`_migrate_gen_progress`, beside sqlx's table). After a failure `current`
//! says exactly which statements ran; `upgrade` resumes at the failed statement once the file
//! is fixed (statements that ran must not change, the rest may), and `downgrade` reverts
//! exactly the statements that ran. When the migration completes, sqlx's row records the
//! file's checksum with `success = TRUE`, so sqlx's `Migrator` accepts the history.
//!
//! The lock is sqlx's own (`GET_LOCK` on a name derived from the database's name), so sqlx and
//! this runner exclude each other on MySQL. (On MariaDB, sqlx's `GET_LOCK(name, -1)` returns
//! NULL at once without locking, so sqlx takes no lock there; this runner waits with a finite
//! timeout, which both servers honour.)

pub(super) mod script;

use std::time::{Duration, Instant};

use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
use sqlx::{ConnectOptions, Connection, Executor, Row};

use super::script::{cumulative_hash, lock_id, statement_hash};
use super::{
    bookkeeping, database_message, first_line, mask_password, Applied, Backend, Direction, Job,
    Progress, RunnerError, ServerError,
};
pub use script::MySqlOffline;

/// A MySQL or MariaDB connection used by the runner.
pub struct MySqlBackend {
    conn: MySqlConnection,
    /// The lock's name, while [`Backend::lock`] holds it.
    lock: Option<String>,
}

/// Parses a `mysql://` or `mariadb://` URL.
pub(super) fn options(url: &str) -> Result<MySqlConnectOptions, RunnerError> {
    let normalized = match url.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("mariadb") => {
            format!("mysql://{rest}")
        }
        _ => url.to_owned(),
    };
    normalized
        .parse()
        .map_err(|e: sqlx::Error| RunnerError::BadUrl {
            url: mask_password(url),
            message: e.to_string(),
        })
}

/// The server's error number, if the error is the server's.
fn error_number(err: &sqlx::Error) -> Option<u16> {
    match err {
        sqlx::Error::Database(db) => db
            .try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()
            .map(|e| e.number()),
        _ => None,
    }
}

/// ER_BAD_DB_ERROR: "Unknown database".
const UNKNOWN_DATABASE: u16 = 1049;

impl MySqlBackend {
    /// Connects to the database of `url`.
    pub async fn connect(url: &str) -> Result<Self, RunnerError> {
        let options = options(url)?;
        Self::connect_with(&options, url).await
    }

    /// Connects with parsed options; `url` is for messages.
    pub(super) async fn connect_with(
        options: &MySqlConnectOptions,
        url: &str,
    ) -> Result<Self, RunnerError> {
        let conn = options.connect().await.map_err(|e| {
            if error_number(&e) == Some(UNKNOWN_DATABASE) {
                RunnerError::NoDatabase {
                    url: mask_password(url),
                    database: options.get_database().unwrap_or_default().to_owned(),
                }
            } else {
                RunnerError::Connect {
                    url: mask_password(url),
                    message: database_message(&e),
                }
            }
        })?;
        Ok(Self { conn, lock: None })
    }

    /// The connection, for tests and introspection.
    pub fn connection(&mut self) -> &mut MySqlConnection {
        &mut self.conn
    }

    /// Whether table `name` exists in the connection's database.
    async fn has_table(&mut self, name: &str) -> Result<bool, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?)",
        )
        .bind(name)
        .fetch_one(&mut self.conn)
        .await
    }

    /// Writes the bookkeeping that starts a run: sqlx's row says the version is not done
    /// (`success = FALSE`), the progress row says nothing ran yet.
    async fn begin_run(&mut self, job: &Job<'_>) -> Result<(), sqlx::Error> {
        let m = job.migration;
        let mut tx = self.conn.begin().await?;
        match (job.direction, job.up_ran) {
            (Direction::Up, _) => {
                sqlx::query(
                    "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                     VALUES (?, ?, FALSE, ?, -1)",
                )
                .bind(m.version)
                .bind(&m.description)
                .bind(m.checksum())
                .execute(&mut *tx)
                .await?;
            }
            (Direction::Down, _) => {
                sqlx::query("UPDATE _sqlx_migrations SET success = FALSE WHERE version = ?")
                    .bind(m.version)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        sqlx::query("DELETE FROM _migrate_gen_progress WHERE version = ?")
            .bind(m.version)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO _migrate_gen_progress \
             (version, direction, statements, statement_hashes, cumulative_hash, up_ran) \
             VALUES (?, ?, 0, '', '', ?)",
        )
        .bind(m.version)
        .bind(direction_name(job.direction))
        .bind(job.up_ran.map(|n| n as i64))
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// Writes the bookkeeping that ends a run: sqlx's row done (up, with the file's checksum
    /// now) or gone (down), no progress row.
    async fn end_run(&mut self, job: &Job<'_>, took: Duration) -> Result<(), sqlx::Error> {
        let m = job.migration;
        let mut tx = self.conn.begin().await?;
        match job.direction {
            Direction::Up => {
                sqlx::query(
                    "UPDATE _sqlx_migrations SET success = TRUE, checksum = ?, execution_time = ? \
                     WHERE version = ?",
                )
                .bind(m.checksum())
                .bind(i64::try_from(took.as_nanos()).unwrap_or(i64::MAX))
                .bind(m.version)
                .execute(&mut *tx)
                .await?;
            }
            Direction::Down => {
                sqlx::query("DELETE FROM _sqlx_migrations WHERE version = ?")
                    .bind(m.version)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        sqlx::query("DELETE FROM _migrate_gen_progress WHERE version = ?")
            .bind(m.version)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }
}

fn direction_name(direction: Direction) -> &'static str {
    match direction {
        Direction::Up => "up",
        Direction::Down => "down",
    }
}

impl Backend for MySqlBackend {
    async fn lock(&mut self) -> Result<(), RunnerError> {
        let database: Option<String> = sqlx::query_scalar("SELECT DATABASE()")
            .fetch_one(&mut self.conn)
            .await?;
        let name = format!("{:x}", lock_id(&database.unwrap_or_default()));
        // sqlx waits with a timeout of -1, which MySQL reads as "forever" but MariaDB as an
        // error (NULL at once, no lock): a year works on both.
        let got: Option<i64> = sqlx::query_scalar("SELECT GET_LOCK(?, 31536000)")
            .bind(&name)
            .fetch_one(&mut self.conn)
            .await?;
        if got != Some(1) {
            return Err(RunnerError::Lock {
                message: format!("GET_LOCK('{name}') answered {got:?}"),
            });
        }
        self.lock = Some(name);
        Ok(())
    }

    async fn unlock(&mut self) -> Result<(), RunnerError> {
        if let Some(name) = self.lock.take() {
            sqlx::query("SELECT RELEASE_LOCK(?)")
                .bind(&name)
                .execute(&mut self.conn)
                .await?;
        }
        Ok(())
    }

    async fn ensure_version_table(&mut self) -> Result<(), RunnerError> {
        self.conn.execute(script::VERSION_TABLE).await?;
        self.conn.execute(script::PROGRESS_TABLE).await?;
        Ok(())
    }

    async fn applied(&mut self) -> Result<Vec<Applied>, RunnerError> {
        if !self.has_table("_sqlx_migrations").await? {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(
            "SELECT version, description, \
             CONCAT(DATE_FORMAT(CONVERT_TZ(installed_on, @@session.time_zone, '+00:00'), \
             '%Y-%m-%d %H:%i:%s'), ' UTC') AS installed, \
             success, checksum FROM _sqlx_migrations ORDER BY version",
        )
        .fetch_all(&mut self.conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| Applied {
                version: r.get("version"),
                description: r.get("description"),
                installed_on: r.try_get("installed").unwrap_or_default(),
                success: r.get("success"),
                checksum: r.get("checksum"),
            })
            .collect())
    }

    async fn progress(&mut self) -> Result<Vec<Progress>, RunnerError> {
        if !self.has_table("_migrate_gen_progress").await? {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(&format!(
            "SELECT {} FROM _migrate_gen_progress ORDER BY version",
            super::PROGRESS_COLUMNS
        ))
        .fetch_all(&mut self.conn)
        .await?;
        Ok(super::progress_rows(rows))
    }

    async fn run(&mut self, job: &Job<'_>) -> Result<Duration, RunnerError> {
        let m = job.migration;
        let direction = job.direction;
        let start = Instant::now();
        if job.from == 0 {
            self.begin_run(job)
                .await
                .map_err(|e| bookkeeping(m, direction, &e))?;
        }
        let mut cumulative: String = sqlx::query_scalar(
            "SELECT cumulative_hash FROM _migrate_gen_progress WHERE version = ?",
        )
        .bind(m.version)
        .fetch_optional(&mut self.conn)
        .await
        .map_err(|e| bookkeeping(m, direction, &e))?
        .unwrap_or_default();
        for (i, statement) in job.statements.iter().enumerate().skip(job.from) {
            self.conn
                .execute(statement.as_str())
                .await
                .map_err(|e| RunnerError::Statement {
                    migration: m.name.clone(),
                    direction,
                    index: i + 1,
                    statement: first_line(statement),
                    message: database_message(&e),
                })?;
            cumulative = cumulative_hash(&cumulative, statement);
            sqlx::query(
                "UPDATE _migrate_gen_progress SET statements = ?, \
                 statement_hashes = CONCAT(statement_hashes, ?), cumulative_hash = ? \
                 WHERE version = ?",
            )
            .bind(i as i64 + 1)
            .bind(format!("{} ", statement_hash(statement)))
            .bind(&cumulative)
            .bind(m.version)
            .execute(&mut self.conn)
            .await
            .map_err(|e| bookkeeping(m, direction, &e))?;
        }
        let took = start.elapsed();
        self.end_run(job, took)
            .await
            .map_err(|e| bookkeeping(m, direction, &e))?;
        Ok(took)
    }

    async fn record(&mut self, migration: &super::MigrationScript) -> Result<(), RunnerError> {
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (?, ?, TRUE, ?, 0)",
        )
        .bind(migration.version)
        .bind(&migration.description)
        .bind(migration.checksum())
        .execute(&mut self.conn)
        .await?;
        Ok(())
    }

    async fn forget(&mut self, version: i64) -> Result<(), RunnerError> {
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = ?")
            .bind(version)
            .execute(&mut self.conn)
            .await?;
        if self.has_table("_migrate_gen_progress").await? {
            sqlx::query("DELETE FROM _migrate_gen_progress WHERE version = ?")
                .bind(version)
                .execute(&mut self.conn)
                .await?;
        }
        Ok(())
    }

    fn statements(&self, sql: &str) -> Vec<String> {
        script::statements(sql)
    }
}

/// A backquoted identifier.
fn quote(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// Connects to the server of `options` without choosing a database.
async fn server(options: &MySqlConnectOptions) -> Result<MySqlConnection, ServerError> {
    // sqlx keeps the URL's database in the options; `information_schema` always exists.
    options
        .clone()
        .database("information_schema")
        .connect()
        .await
        .map_err(|e| ServerError::Connect(database_message(&e)))
}

/// Whether the server has database `name`.
pub(super) async fn database_exists(
    options: &MySqlConnectOptions,
    name: &str,
) -> Result<bool, ServerError> {
    let mut conn = server(options).await?;
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?)",
    )
    .bind(name)
    .fetch_one(&mut conn)
    .await
    .map_err(|e| ServerError::Refused(database_message(&e)))
}

/// Creates database `name`.
pub(super) async fn create_database(
    options: &MySqlConnectOptions,
    name: &str,
) -> Result<(), ServerError> {
    let mut conn = server(options).await?;
    conn.execute(format!("CREATE DATABASE {}", quote(name)).as_str())
        .await
        .map_err(|e| ServerError::Refused(database_message(&e)))?;
    Ok(())
}

/// Drops database `name`; with `force`, ending the other sessions that use it first; with
/// `if_exists`, nothing to do when it is absent.
pub(super) async fn drop_database(
    options: &MySqlConnectOptions,
    name: &str,
    force: bool,
    if_exists: bool,
) -> Result<(), ServerError> {
    let mut conn = server(options).await?;
    let refused = |e: sqlx::Error| ServerError::Refused(database_message(&e));
    if force {
        let sessions: Vec<u64> = sqlx::query_scalar(
            "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()",
        )
        .bind(name)
        .fetch_all(&mut conn)
        .await
        .map_err(refused)?;
        for id in sessions {
            // A session that ended meanwhile is fine.
            let _ = conn.execute(format!("KILL {id}").as_str()).await;
        }
    }
    let sql = if if_exists {
        format!("DROP DATABASE IF EXISTS {}", quote(name))
    } else {
        format!("DROP DATABASE {}", quote(name))
    };
    conn.execute(sql.as_str()).await.map_err(refused)?;
    Ok(())
}
