//! The database a URL names, served by the backend for its kind: the one place that picks a
//! backend, so that code above it (the CLI's commands) never names one.

use crate::dialect::Dialect;
use crate::schema::Schema;

use super::{Applied, Backend, Direction, MigrationScript, PgBackend, RunnerError};

/// A connected database of any supported kind.
pub enum Database {
    /// PostgreSQL.
    Postgres(PgBackend),
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Database").field(&self.dialect()).finish()
    }
}

impl Database {
    /// Connects to `url`, picking the backend from its scheme. A scheme of a database the
    /// runner does not serve yet is [`RunnerError::Unsupported`].
    pub async fn connect(url: &str) -> Result<Self, RunnerError> {
        let scheme = url
            .split_once(':')
            .map(|(s, _)| s.to_ascii_lowercase())
            .unwrap_or_default();
        match scheme.as_str() {
            "postgres" | "postgresql" => Ok(Database::Postgres(PgBackend::connect(url).await?)),
            "sqlite" => Err(RunnerError::Unsupported {
                what: "applying migrations to SQLite".into(),
            }),
            "mysql" | "mariadb" => Err(RunnerError::Unsupported {
                what: "applying migrations to MySQL/MariaDB".into(),
            }),
            _ => Err(RunnerError::BadUrl {
                url: super::mask_password(url),
                message: "not a database URL".into(),
            }),
        }
    }

    /// Connects to a PostgreSQL database given by parsed options (scratch databases).
    pub async fn connect_postgres(
        options: &sqlx::postgres::PgConnectOptions,
    ) -> Result<Self, RunnerError> {
        Ok(Database::Postgres(PgBackend::connect_with(options).await?))
    }

    /// The SQL dialect of this database.
    pub fn dialect(&self) -> Dialect {
        match self {
            Database::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The schema the database holds, read from its catalogs.
    pub async fn introspect(&mut self) -> Result<Schema, RunnerError> {
        match self {
            Database::Postgres(pg) => crate::introspect::postgres::introspect(pg.connection())
                .await
                .map_err(RunnerError::Database),
        }
    }
}

impl Backend for Database {
    async fn lock(&mut self) -> Result<(), RunnerError> {
        match self {
            Database::Postgres(b) => b.lock().await,
        }
    }

    async fn unlock(&mut self) -> Result<(), RunnerError> {
        match self {
            Database::Postgres(b) => b.unlock().await,
        }
    }

    async fn ensure_version_table(&mut self) -> Result<(), RunnerError> {
        match self {
            Database::Postgres(b) => b.ensure_version_table().await,
        }
    }

    async fn applied(&mut self) -> Result<Vec<Applied>, RunnerError> {
        match self {
            Database::Postgres(b) => b.applied().await,
        }
    }

    async fn run(
        &mut self,
        migration: &MigrationScript,
        direction: Direction,
        statements: &[String],
        transaction: bool,
    ) -> Result<std::time::Duration, RunnerError> {
        match self {
            Database::Postgres(b) => b.run(migration, direction, statements, transaction).await,
        }
    }

    async fn record(&mut self, migration: &MigrationScript) -> Result<(), RunnerError> {
        match self {
            Database::Postgres(b) => b.record(migration).await,
        }
    }

    async fn forget(&mut self, version: i64) -> Result<(), RunnerError> {
        match self {
            Database::Postgres(b) => b.forget(version).await,
        }
    }
}
