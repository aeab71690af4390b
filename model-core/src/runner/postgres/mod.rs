//! The PostgreSQL backend: sqlx's version table and advisory lock; creating and dropping
//! databases; and, without a connection, its splitter and `--sql` text ([`script`]).

pub(super) mod script;

use std::time::{Duration, Instant};

use sqlx::{Connection, Executor, PgConnection, Row};

use super::script::lock_id;
use super::{
    bookkeeping, database_message, first_line, mask_password, Applied, Backend, Direction, Job,
    MigrationScript, RunnerError, ServerError,
};
pub use script::PgOffline;

/// A PostgreSQL connection used by the runner.
pub struct PgBackend {
    conn: PgConnection,
    lock_id: i64,
    /// The version table: `_sqlx_migrations`, or `"<schema>"._sqlx_migrations` with
    /// `--schema` (never another schema's, whatever the search path finds).
    table: String,
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
        })
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

async fn execute_all(
    conn: &mut PgConnection,
    table: &str,
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
            sqlx::query(&format!(
                "INSERT INTO {table} (version, description, success, checksum, execution_time) \
                 VALUES ($1, $2, TRUE, $3, -1)"
            ))
            .bind(migration.version)
            .bind(&migration.description)
            .bind(migration.checksum())
            .execute(&mut *conn)
            .await
            .map_err(|e| bookkeeping(migration, direction, &e))?;
        }
        Direction::Down => {
            sqlx::query(&format!("DELETE FROM {table} WHERE version = $1"))
                .bind(migration.version)
                .execute(&mut *conn)
                .await
                .map_err(|e| bookkeeping(migration, direction, &e))?;
        }
    }
    Ok(())
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
            let mut tx = self.conn.begin().await.map_err(failed)?;
            execute_all(&mut tx, &self.table, migration, direction, statements).await?;
            tx.commit().await.map_err(failed)?;
        } else if let Err(err) = execute_all(
            &mut self.conn,
            &self.table,
            migration,
            direction,
            statements,
        )
        .await
        {
            // Half applied, outside a transaction: record the version as failed (sqlx's
            // `success = FALSE`), so that later runs stop until someone repairs and stamps.
            if direction == Direction::Up {
                let _ = sqlx::query(&format!(
                    "INSERT INTO {} (version, description, success, checksum, execution_time) \
                     VALUES ($1, $2, FALSE, $3, -1) ON CONFLICT (version) DO UPDATE SET success = FALSE",
                    self.table
                ))
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
            sqlx::query(&format!(
                "UPDATE {} SET execution_time = $1 WHERE version = $2",
                self.table
            ))
            .bind(i64::try_from(took.as_nanos()).unwrap_or(i64::MAX))
            .bind(migration.version)
            .execute(&mut self.conn)
            .await?;
        }
        Ok(took)
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
