//! The PostgreSQL backend: sqlx's version table and advisory lock; creating and dropping
//! databases; and, without a connection, its splitter and `--sql` text ([`script`]).

pub(super) mod script;

use std::time::{Duration, Instant};

use sqlx::{Connection, Executor, PgConnection, Row};

use super::script::{cumulative_hash, lock_id, statement_hash};
use super::{
    bookkeeping, database_message, first_line, mask_password, Applied, Backend, Direction, Job,
    LockPolicy, MigrationScript, Progress, RunnerError, ServerError,
};
pub use script::{statement_kind, PgOffline, StatementKind};

/// A PostgreSQL connection used by the runner.
pub struct PgBackend {
    conn: PgConnection,
    lock_id: i64,
    /// The version table: `_sqlx_migrations`, or `"<schema>"._sqlx_migrations` with
    /// `--schema` (never another schema's, whatever the search path finds).
    table: String,
    /// The progress table of migrations run statement by statement, beside `table`.
    progress: String,
    /// Lock and statement timeouts, and retries.
    policy: LockPolicy,
}

impl PgBackend {
    /// Connects to `url`.
    pub async fn connect(url: &str) -> Result<Self, RunnerError> {
        let options: sqlx::postgres::PgConnectOptions =
            url.parse().map_err(|e: sqlx::Error| RunnerError::BadUrl {
                url: mask_password(url),
                message: e.to_string(),
            })?;
        Self::connect_with(&options).await.map_err(|e| match e {
            RunnerError::Connect { message, .. } => RunnerError::Connect {
                url: mask_password(url),
                message,
            },
            RunnerError::NoDatabase { database, .. } => RunnerError::NoDatabase {
                url: mask_password(url),
                database,
            },
            other => other,
        })
    }

    /// Connects with parsed options (errors name host, port and database, never a password).
    pub async fn connect_with(
        options: &sqlx::postgres::PgConnectOptions,
    ) -> Result<Self, RunnerError> {
        let url = format!(
            "postgres://{}:{}/{}",
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or_default()
        );
        let mut conn = PgConnection::connect_with(options).await.map_err(|e| {
            // 3D000: invalid_catalog_name, the database does not exist.
            match &e {
                sqlx::Error::Database(db) if db.code().as_deref() == Some("3D000") => {
                    RunnerError::NoDatabase {
                        url: url.clone(),
                        database: options.get_database().unwrap_or_default().to_owned(),
                    }
                }
                _ => RunnerError::Connect {
                    url: url.clone(),
                    message: e.to_string(),
                },
            }
        })?;
        let database: String = sqlx::query_scalar("SELECT current_database()")
            .fetch_one(&mut conn)
            .await?;
        Ok(Self {
            conn,
            lock_id: lock_id(&database),
            table: "_sqlx_migrations".to_owned(),
            progress: "_migrate_gen_progress".to_owned(),
            policy: LockPolicy::default(),
        })
    }

    /// Sets how statements wait for locks and how long they may run.
    pub fn set_lock_policy(&mut self, policy: LockPolicy) {
        self.policy = policy;
    }

    /// The connection, for tests and introspection.
    pub fn connection(&mut self) -> &mut PgConnection {
        &mut self.conn
    }

    /// Works in schema `name` from now on: the session's `search_path` becomes `name, public`
    /// (so extensions' types in `public` still resolve), so that migrations, the version table
    /// and introspection are that schema's, and the advisory lock is the schema's own. With
    /// `create`, a missing schema is created; otherwise it must exist.
    pub async fn use_schema(&mut self, name: &str, create: bool) -> Result<(), RunnerError> {
        let database: String = sqlx::query_scalar("SELECT current_database()")
            .fetch_one(&mut self.conn)
            .await?;
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)")
                .bind(name)
                .fetch_one(&mut self.conn)
                .await?;
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        if !exists {
            if !create {
                return Err(RunnerError::NoSchema {
                    database,
                    schema: name.to_owned(),
                });
            }
            self.conn
                .execute(format!("CREATE SCHEMA IF NOT EXISTS {quoted}").as_str())
                .await?;
        }
        // The schema first; then only the schemas that hold extensions (their types and
        // functions), so that nothing of the migrations' own falls through to another schema.
        let others: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT format('%I', n.nspname) FROM pg_extension e \
             JOIN pg_namespace n ON n.oid = e.extnamespace \
             WHERE n.nspname NOT IN ($1, 'pg_catalog') ORDER BY 1",
        )
        .bind(name)
        .fetch_all(&mut self.conn)
        .await?;
        let path = std::iter::once(quoted.clone())
            .chain(others)
            .collect::<Vec<_>>()
            .join(", ");
        self.conn
            .execute(format!("SET search_path TO {path}").as_str())
            .await?;
        if name != "public" {
            self.lock_id = lock_id(&format!("{database}.{name}"));
        }
        self.table = format!("{quoted}._sqlx_migrations");
        self.progress = format!("{quoted}._migrate_gen_progress");
        Ok(())
    }
}

/// The databases every PostgreSQL server has, for reaching the server itself.
const MAINTENANCE_DATABASES: [&str; 2] = ["postgres", "template1"];

/// A connection to the server of `options`, for creating and dropping databases: through the
/// database the options name when it exists (and `through_named` allows it), otherwise
/// through a maintenance database every server has (`postgres`, then `template1`). The error
/// is the last attempt's.
pub async fn connect_server(
    options: &sqlx::postgres::PgConnectOptions,
    through_named: bool,
) -> Result<PgConnection, sqlx::Error> {
    let named = options.get_database().map(str::to_owned);
    let mut last = None;
    if through_named {
        match PgConnection::connect_with(options).await {
            Ok(conn) => return Ok(conn),
            // Only a missing database is worth another try; anything else (a wrong password,
            // no server) fails the same way through any database.
            Err(sqlx::Error::Database(db)) if db.code().as_deref() == Some("3D000") => {
                last = Some(sqlx::Error::Database(db));
            }
            Err(e) => return Err(e),
        }
    }
    for maintenance in MAINTENANCE_DATABASES {
        if named.as_deref() == Some(maintenance) && !through_named {
            continue;
        }
        match PgConnection::connect_with(&options.clone().database(maintenance)).await {
            Ok(conn) => return Ok(conn),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or(sqlx::Error::PoolClosed))
}

/// Whether the server of `server` has database `name`.
pub(super) async fn database_exists(
    server: &sqlx::postgres::PgConnectOptions,
    name: &str,
) -> Result<bool, ServerError> {
    let mut conn = connect_server(server, false)
        .await
        .map_err(|e| ServerError::Connect(e.to_string()))?;
    let exists = sqlx::query_scalar::<_, bool>(
        "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)",
    )
    .bind(name)
    .fetch_one(&mut conn)
    .await;
    let _ = conn.close().await;
    exists.map_err(|e| ServerError::Refused(database_message(&e)))
}

/// Creates database `name` on the server of `server`, through the database `server` names
/// when it exists (`through_named`) or a maintenance database.
pub(super) async fn create_database(
    server: &sqlx::postgres::PgConnectOptions,
    name: &str,
    through_named: bool,
) -> Result<(), ServerError> {
    let mut conn = connect_server(server, through_named)
        .await
        .map_err(|e| ServerError::Connect(e.to_string()))?;
    let created = conn
        .execute(format!("CREATE DATABASE {}", quote_identifier(name)).as_str())
        .await;
    let _ = conn.close().await;
    created
        .map(|_| ())
        .map_err(|e| ServerError::Refused(database_message(&e)))
}

/// Drops database `name` on the server of `server` (if it exists, with `if_exists`); with
/// `force`, disconnecting its sessions first.
pub(super) async fn drop_database_on(
    server: &sqlx::postgres::PgConnectOptions,
    name: &str,
    force: bool,
    if_exists: bool,
) -> Result<(), ServerError> {
    let mut conn = connect_server(&server.clone().database(name), false)
        .await
        .map_err(|e| ServerError::Connect(e.to_string()))?;
    let force = if force { " WITH (FORCE)" } else { "" };
    let dropped = conn
        .execute(
            format!(
                "DROP DATABASE {}{}{force}",
                if if_exists { "IF EXISTS " } else { "" },
                quote_identifier(name)
            )
            .as_str(),
        )
        .await;
    let _ = conn.close().await;
    dropped
        .map(|_| ())
        .map_err(|e| ServerError::Refused(database_message(&e)))
}

/// `"name"`, with embedded quotes doubled.
pub fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A statement's failure: the runner's error, and whether it was a lock not granted within
/// `lock_timeout` (worth another attempt).
struct Failed {
    error: RunnerError,
    lock_not_granted: bool,
}

impl Failed {
    fn statement(
        migration: &MigrationScript,
        direction: Direction,
        index: usize,
        statement: &str,
        e: &sqlx::Error,
    ) -> Self {
        let lock_not_granted =
            matches!(e, sqlx::Error::Database(db) if db.code().as_deref() == Some("55P03"));
        Failed {
            error: RunnerError::Statement {
                migration: migration.name.clone(),
                direction,
                index: index + 1,
                statement: first_line(statement),
                message: database_message(e),
            },
            lock_not_granted,
        }
    }
}

impl From<RunnerError> for Failed {
    fn from(error: RunnerError) -> Self {
        Failed {
            error,
            lock_not_granted: false,
        }
    }
}

/// `SET [LOCAL] <name> = '<n>ms'`, 0 for no limit.
fn timeout(name: &str, local: bool, value: Option<Duration>) -> String {
    format!(
        "SET {}{name} = '{}ms'",
        if local { "LOCAL " } else { "" },
        value.map_or(0, |d| d.as_millis().max(1))
    )
}

/// The timeouts a statement of `kind` runs with under `policy`: `SET` statements.
fn timeouts(policy: &LockPolicy, kind: StatementKind, local: bool) -> [String; 2] {
    match kind {
        StatementKind::Online => [
            timeout("lock_timeout", local, policy.online_timeout),
            timeout("statement_timeout", local, policy.online_timeout),
        ],
        StatementKind::Fill => [
            timeout("lock_timeout", local, policy.lock_timeout),
            timeout("statement_timeout", local, policy.online_timeout),
        ],
        StatementKind::Blocking => [
            timeout("lock_timeout", local, policy.lock_timeout),
            timeout("statement_timeout", local, policy.statement_timeout),
        ],
    }
}

/// Runs `statements` and the version bookkeeping on `conn` (a transaction), each statement with
/// its kind's timeouts.
async fn execute_all(
    conn: &mut PgConnection,
    policy: &LockPolicy,
    table: &str,
    migration: &MigrationScript,
    direction: Direction,
    statements: &[String],
) -> Result<(), Failed> {
    let mut current = None;
    for (i, statement) in statements.iter().enumerate() {
        let kind = statement_kind(statement);
        if current != Some(kind) {
            for set in timeouts(policy, kind, true) {
                conn.execute(set.as_str())
                    .await
                    .map_err(|e| Failed::from(bookkeeping(migration, direction, &e)))?;
            }
            current = Some(kind);
        }
        conn.execute(statement.as_str())
            .await
            .map_err(|e| Failed::statement(migration, direction, i, statement, &e))?;
    }
    for set in timeouts(policy, StatementKind::Blocking, true) {
        conn.execute(set.as_str())
            .await
            .map_err(|e| Failed::from(bookkeeping(migration, direction, &e)))?;
    }
    match direction {
        Direction::Up => {
            sqlx::query(&format!(
                "INSERT INTO {table} (version, description, success, checksum, execution_time) \
                 VALUES ($1, $2, TRUE, $3, -1)"
            ))
            .bind(migration.version)
            .bind(&migration.description)
            .bind(migration.checksum())
            .execute(&mut *conn)
            .await
            .map_err(|e| Failed::from(bookkeeping(migration, direction, &e)))?;
        }
        Direction::Down => {
            sqlx::query(&format!("DELETE FROM {table} WHERE version = $1"))
                .bind(migration.version)
                .execute(&mut *conn)
                .await
                .map_err(|e| Failed::from(bookkeeping(migration, direction, &e)))?;
        }
    }
    Ok(())
}

/// Records that `ran` statements of migration `version` ran, the last of them `statements`,
/// with the running hash after them.
async fn record_progress(
    conn: &mut PgConnection,
    table: &str,
    version: i64,
    ran: usize,
    statements: &[&String],
    cumulative: &str,
) -> Result<(), sqlx::Error> {
    let hashes: String = statements
        .iter()
        .map(|s| format!("{} ", statement_hash(s)))
        .collect();
    sqlx::query(&format!(
        "UPDATE {table} SET statements = $1, statement_hashes = statement_hashes || $2, \
         cumulative_hash = $3, updated_on = now() WHERE version = $4"
    ))
    .bind(i32::try_from(ran).unwrap_or(i32::MAX))
    .bind(hashes)
    .bind(cumulative)
    .bind(version)
    .execute(conn)
    .await
    .map(|_| ())
}

impl PgBackend {
    /// Runs a migration in one transaction; when a lock is not granted in time, the
    /// transaction is rolled back and tried again after a pause, up to the policy's retries.
    async fn run_in_transaction(&mut self, job: &Job<'_>) -> Result<(), RunnerError> {
        let m = job.migration;
        let failed = |e: sqlx::Error| RunnerError::Migration {
            migration: m.name.clone(),
            direction: job.direction,
            message: database_message(&e),
        };
        let mut attempt = 0;
        loop {
            let mut tx = self.conn.begin().await.map_err(failed)?;
            match execute_all(
                &mut tx,
                &self.policy,
                &self.table,
                m,
                job.direction,
                job.statements,
            )
            .await
            {
                Ok(()) => return tx.commit().await.map_err(failed),
                Err(f) if f.lock_not_granted && attempt < self.policy.retries => {
                    tx.rollback().await.map_err(failed)?;
                    attempt += 1;
                    tokio::time::sleep(LockPolicy::backoff(attempt)).await;
                }
                Err(f) => return Err(f.error),
            }
        }
    }

    /// Runs a `-- no-transaction` migration statement by statement, each committed on its
    /// own, recording after each one how many ran (so that a failed run resumes at the failed
    /// statement, or is reverted exactly). A statement whose lock is not granted in time is
    /// tried again after a pause; an index that a failed `CREATE INDEX CONCURRENTLY` left
    /// invalid is dropped before the statement runs again.
    async fn run_statements(&mut self, job: &Job<'_>) -> Result<(), RunnerError> {
        let m = job.migration;
        let direction = job.direction;
        let book = |e: sqlx::Error| bookkeeping(m, direction, &e);
        if job.from == 0 {
            self.begin_run(job).await.map_err(book)?;
        }
        let mut cumulative: String = sqlx::query_scalar(&format!(
            "SELECT cumulative_hash FROM {} WHERE version = $1",
            self.progress
        ))
        .bind(m.version)
        .fetch_optional(&mut self.conn)
        .await
        .map_err(book)?
        .unwrap_or_default();
        let numbers = super::script::operation_numbers(job.statements);
        let result = async {
            let mut i = job.from;
            while i < job.statements.len() {
                // Consecutive plain statements of one operation of a generated migration.
                let plain =
                    |k: usize| statement_kind(&job.statements[k]) == StatementKind::Blocking;
                let mut end = i + 1;
                while numbers[i] != 0
                    && end < numbers.len()
                    && numbers[end] == numbers[i]
                    && plain(i)
                    && plain(end)
                {
                    end += 1;
                }
                let group = &job.statements[i..end];
                if group.len() > 1
                    && group
                        .iter()
                        .all(|s| statement_kind(s) == StatementKind::Blocking)
                {
                    self.run_operation(job, i, group, &mut cumulative).await?;
                    i = end;
                    continue;
                }
                let statement = &job.statements[i];
                let kind = statement_kind(statement);
                for set in timeouts(&self.policy, kind, false) {
                    self.conn.execute(set.as_str()).await.map_err(book)?;
                }
                let index = script::concurrent_index_name(statement);
                let mut attempt = 0;
                loop {
                    // An index a failed build left invalid (before this run, or in the
                    // attempt before) is dropped, and built again.
                    if let Some(index) = &index {
                        self.drop_invalid_index(index).await.map_err(book)?;
                    }
                    match self.conn.execute(statement.as_str()).await {
                        Ok(_) => break,
                        Err(e) => {
                            let f = Failed::statement(m, direction, i, statement, &e);
                            if !(f.lock_not_granted && attempt < self.policy.retries) {
                                // Not left behind, invalid: writes would maintain it (and a
                                // unique one would reject duplicates) until the next run.
                                if let Some(index) = &index {
                                    let _ = self.drop_invalid_index(index).await;
                                }
                                return Err(f.error);
                            }
                            attempt += 1;
                            tokio::time::sleep(LockPolicy::backoff(attempt)).await;
                        }
                    }
                }
                cumulative = cumulative_hash(&cumulative, statement);
                record_progress(
                    &mut self.conn,
                    &self.progress,
                    m.version,
                    i + 1,
                    &[statement],
                    &cumulative,
                )
                .await
                .map_err(book)?;
                i += 1;
            }
            Ok(())
        }
        .await;
        // The session goes back to the server's timeouts for the bookkeeping and later work.
        let _ = self.conn.execute("RESET lock_timeout").await;
        let _ = self.conn.execute("RESET statement_timeout").await;
        result
    }

    /// Runs the statements of one operation (`group`, from statement `first`) in a
    /// transaction of their own, with its progress record: an operation of several statements
    /// (a column added, filled and made NOT NULL) is applied whole or not at all, so that what
    /// ran can always be reverted operation for operation. A lock not granted in time rolls it
    /// back, and it is tried again after a pause.
    async fn run_operation(
        &mut self,
        job: &Job<'_>,
        first: usize,
        group: &[String],
        cumulative: &mut String,
    ) -> Result<(), RunnerError> {
        let (m, direction) = (job.migration, job.direction);
        let book = |e: sqlx::Error| bookkeeping(m, direction, &e);
        let mut attempt = 0;
        loop {
            let mut tx = self.conn.begin().await.map_err(book)?;
            let mut hash = cumulative.clone();
            let mut failed = None;
            for set in timeouts(&self.policy, StatementKind::Blocking, true) {
                tx.execute(set.as_str()).await.map_err(book)?;
            }
            for (k, statement) in group.iter().enumerate() {
                if let Err(e) = tx.execute(statement.as_str()).await {
                    failed = Some(Failed::statement(m, direction, first + k, statement, &e));
                    break;
                }
                hash = cumulative_hash(&hash, statement);
            }
            match failed {
                None => {
                    let statements: Vec<&String> = group.iter().collect();
                    record_progress(
                        &mut tx,
                        &self.progress,
                        m.version,
                        first + group.len(),
                        &statements,
                        &hash,
                    )
                    .await
                    .map_err(book)?;
                    tx.commit().await.map_err(book)?;
                    *cumulative = hash;
                    return Ok(());
                }
                Some(f) if f.lock_not_granted && attempt < self.policy.retries => {
                    tx.rollback().await.map_err(book)?;
                    attempt += 1;
                    tokio::time::sleep(LockPolicy::backoff(attempt)).await;
                }
                Some(f) => return Err(f.error),
            }
        }
    }

    /// Drops index `name` of the current schema if a failed concurrent build left it invalid.
    async fn drop_invalid_index(&mut self, name: &str) -> Result<(), sqlx::Error> {
        let invalid: Option<bool> = sqlx::query_scalar(
            "SELECT NOT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
             WHERE c.relname = $1 AND c.relnamespace = \
             (SELECT oid FROM pg_namespace WHERE nspname = current_schema())",
        )
        .bind(name)
        .fetch_optional(&mut self.conn)
        .await?;
        if invalid == Some(true) {
            self.conn
                .execute(
                    format!(
                        "DROP INDEX CONCURRENTLY IF EXISTS {}",
                        quote_identifier(name)
                    )
                    .as_str(),
                )
                .await?;
        }
        Ok(())
    }

    /// Creates the progress table when missing.
    async fn ensure_progress_table(&mut self) -> Result<(), sqlx::Error> {
        let create = script::PROGRESS_TABLE.replacen("_migrate_gen_progress", &self.progress, 1);
        self.conn.execute(create.as_str()).await?;
        Ok(())
    }

    /// Writes the bookkeeping that starts a statement-by-statement run: sqlx's row says the
    /// version is not done (`success = FALSE`), the progress row says nothing ran yet.
    async fn begin_run(&mut self, job: &Job<'_>) -> Result<(), sqlx::Error> {
        self.ensure_progress_table().await?;
        let m = job.migration;
        let mut tx = self.conn.begin().await?;
        match job.direction {
            Direction::Up => {
                // A run that stopped at its first statement left its row: start again.
                sqlx::query(&format!(
                    "INSERT INTO {} (version, description, success, checksum, execution_time) \
                     VALUES ($1, $2, FALSE, $3, -1) ON CONFLICT (version) DO UPDATE \
                     SET success = FALSE, checksum = EXCLUDED.checksum",
                    self.table
                ))
                .bind(m.version)
                .bind(&m.description)
                .bind(m.checksum())
                .execute(&mut *tx)
                .await?;
            }
            Direction::Down => {
                sqlx::query(&format!(
                    "UPDATE {} SET success = FALSE WHERE version = $1",
                    self.table
                ))
                .bind(m.version)
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query(&format!("DELETE FROM {} WHERE version = $1", self.progress))
            .bind(m.version)
            .execute(&mut *tx)
            .await?;
        sqlx::query(&format!(
            "INSERT INTO {} (version, direction, statements, statement_hashes, cumulative_hash, up_ran) \
             VALUES ($1, $2, 0, '', '', $3)",
            self.progress
        ))
        .bind(m.version)
        .bind(if job.direction == Direction::Down { "down" } else { "up" })
        .bind(job.up_ran.map(|n| n as i32))
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// Writes the bookkeeping that ends a statement-by-statement run: sqlx's row done (up,
    /// with the file's checksum now) or gone (down), no progress row.
    async fn end_run(&mut self, job: &Job<'_>, took: Duration) -> Result<(), sqlx::Error> {
        let m = job.migration;
        let mut tx = self.conn.begin().await?;
        match job.direction {
            Direction::Up => {
                sqlx::query(&format!(
                    "UPDATE {} SET success = TRUE, checksum = $1, execution_time = $2 \
                     WHERE version = $3",
                    self.table
                ))
                .bind(m.checksum())
                .bind(i64::try_from(took.as_nanos()).unwrap_or(i64::MAX))
                .bind(m.version)
                .execute(&mut *tx)
                .await?;
            }
            Direction::Down => {
                sqlx::query(&format!("DELETE FROM {} WHERE version = $1", self.table))
                    .bind(m.version)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        sqlx::query(&format!("DELETE FROM {} WHERE version = $1", self.progress))
            .bind(m.version)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }
}

impl Backend for PgBackend {
    async fn lock(&mut self) -> Result<(), RunnerError> {
        // Poll instead of blocking in `pg_advisory_lock`: a session blocked there holds a
        // snapshot, and `CREATE INDEX CONCURRENTLY` in the lock holder's migration would wait
        // for it forever (a deadlock). Each attempt is a short statement.
        loop {
            let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                .bind(self.lock_id)
                .fetch_one(&mut self.conn)
                .await?;
            if got {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn unlock(&mut self) -> Result<(), RunnerError> {
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(self.lock_id)
            .execute(&mut self.conn)
            .await?;
        Ok(())
    }

    async fn ensure_version_table(&mut self) -> Result<(), RunnerError> {
        let create = script::VERSION_TABLE.replacen("_sqlx_migrations", &self.table, 1);
        self.conn.execute(create.as_str()).await?;
        Ok(())
    }

    async fn applied(&mut self) -> Result<Vec<Applied>, RunnerError> {
        let exists: bool = sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL")
            .bind(&self.table)
            .fetch_one(&mut self.conn)
            .await?;
        if !exists {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(&format!(
            "SELECT version, description, \
             to_char(installed_on AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC' AS installed, \
             success, checksum FROM {} ORDER BY version",
            self.table
        ))
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
        let start = Instant::now();
        if job.transaction {
            self.run_in_transaction(job).await?;
            let took = start.elapsed();
            if job.direction == Direction::Up {
                sqlx::query(&format!(
                    "UPDATE {} SET execution_time = $1 WHERE version = $2",
                    self.table
                ))
                .bind(i64::try_from(took.as_nanos()).unwrap_or(i64::MAX))
                .bind(job.migration.version)
                .execute(&mut self.conn)
                .await?;
            }
            return Ok(took);
        }
        self.run_statements(job).await?;
        let took = start.elapsed();
        self.end_run(job, took)
            .await
            .map_err(|e| bookkeeping(job.migration, job.direction, &e))?;
        Ok(took)
    }

    async fn progress(&mut self) -> Result<Vec<Progress>, RunnerError> {
        let exists: bool = sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL")
            .bind(&self.progress)
            .fetch_one(&mut self.conn)
            .await?;
        if !exists {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(&format!(
            "SELECT {} FROM {} ORDER BY version",
            super::PROGRESS_COLUMNS,
            self.progress
        ))
        .fetch_all(&mut self.conn)
        .await?;
        Ok(super::progress_rows(rows))
    }

    async fn record(&mut self, migration: &MigrationScript) -> Result<(), RunnerError> {
        sqlx::query(&format!(
            "INSERT INTO {} (version, description, success, checksum, execution_time) \
             VALUES ($1, $2, TRUE, $3, 0)",
            self.table
        ))
        .bind(migration.version)
        .bind(&migration.description)
        .bind(migration.checksum())
        .execute(&mut self.conn)
        .await?;
        Ok(())
    }

    async fn forget(&mut self, version: i64) -> Result<(), RunnerError> {
        sqlx::query(&format!("DELETE FROM {} WHERE version = $1", self.table))
            .bind(version)
            .execute(&mut self.conn)
            .await?;
        Ok(())
    }

    fn statements(&self, sql: &str) -> Vec<String> {
        script::statements(sql)
    }
}
