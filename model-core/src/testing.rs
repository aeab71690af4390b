//! Testing migrations with data, from a project's own `#[tokio::test]`s.
//!
//! A [`ScratchDatabase`] is a fresh PostgreSQL database, made on the server a URL names (the
//! database in that URL is never touched), that a test moves to any version of the migration
//! directory and back, with rows inserted and read in between. It is dropped when the value
//! is dropped (or at once with [`ScratchDatabase::close`]).
//!
//! ```no_run
//! # async fn example() -> Result<(), model_core::testing::TestingError> {
//! use model_core::testing::ScratchDatabase;
//!
//! let mut db = ScratchDatabase::new(
//!     "postgres://postgres@127.0.0.1:5432/postgres",
//!     concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"),
//! )
//! .await?;
//! db.migrate_to("20261124073418").await?; // the version that creates `tasks`
//! sqlx::query("INSERT INTO tasks (title) VALUES ('keep me')")
//!     .execute(db.pool())
//!     .await?;
//! db.migrate_to("head").await?; // every later migration
//! let titles: Vec<String> = sqlx::query_scalar("SELECT title FROM tasks")
//!     .fetch_all(db.pool())
//!     .await?;
//! assert_eq!(titles, ["keep me"]);
//! db.migrate_to("base").await?; // and every down file
//! db.close().await?;
//! # Ok(())
//! # }
//! ```

use std::path::{Path, PathBuf};

use sqlx::postgres::PgConnectOptions;
use sqlx::PgPool;

use crate::migration::{DirectoryError, MigrationDir};
use crate::runner::{
    find, load, mask_password, Database, DownTarget, MigrationScript, Runner, RunnerError, Server,
    ServerError, TemporaryDatabase, UpTarget,
};

/// Why a scratch database cannot be made, moved or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TestingError {
    /// The URL does not name a PostgreSQL server.
    #[error("invalid PostgreSQL URL {url}: {message}")]
    BadUrl {
        /// The URL, password masked.
        url: String,
        /// What is wrong.
        message: String,
    },
    /// The server cannot be reached, or refuses to create the database.
    #[error("cannot create a scratch database on {url}: {message}")]
    Server {
        /// The server's URL, password masked.
        url: String,
        /// What the server said.
        message: String,
    },
    /// The migration directory cannot be read.
    #[error(transparent)]
    Directory(#[from] DirectoryError),
    /// Moving between versions failed (a migration failed, or the target names none).
    #[error(transparent)]
    Runner(#[from] RunnerError),
    /// A query of the test failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// The scratch database could not be dropped.
    #[error("cannot drop the scratch database: {0}")]
    Drop(#[from] ServerError),
}

/// A fresh database that a test migrates up and down; dropped with this value.
pub struct ScratchDatabase {
    database: TemporaryDatabase,
    options: PgConnectOptions,
    url: String,
    dir: PathBuf,
    migrations: Vec<MigrationScript>,
    pool: PgPool,
    dropped: bool,
}

impl std::fmt::Debug for ScratchDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScratchDatabase")
            .field("url", &mask_password(&self.url))
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl ScratchDatabase {
    /// Makes an empty database on the server of `server_url` for the migrations in
    /// `migrations_dir`. Nothing is applied yet (the database is at `base`).
    pub async fn new(
        server_url: &str,
        migrations_dir: impl AsRef<Path>,
    ) -> Result<Self, TestingError> {
        let masked = mask_password(server_url);
        let server = Server::of(server_url).map_err(|e| TestingError::BadUrl {
            url: masked.clone(),
            message: match e {
                RunnerError::BadUrl { message, .. } => message,
                other => other.to_string(),
            },
        })?;
        let dir = MigrationDir::open(migrations_dir.as_ref(), crate::dialect::Dialect::Postgres)?;
        let migrations = load(&dir)?;
        let database = server
            .temporary("scratch")
            .await
            .map_err(|e| TestingError::Server {
                url: masked.clone(),
                message: e.to_string(),
            })?;
        let scratch: PgConnectOptions =
            database
                .postgres_options()
                .ok_or_else(|| TestingError::BadUrl {
                    url: masked.clone(),
                    message: "not a PostgreSQL server".into(),
                })?;
        let pool = PgPool::connect_with(scratch.clone()).await?;
        let url = format!(
            "postgres://{}@{}:{}/{}",
            scratch.get_username(),
            scratch.get_host(),
            scratch.get_port(),
            database.name()
        );
        Ok(Self {
            database,
            options: scratch,
            url,
            dir: migrations_dir.as_ref().to_owned(),
            migrations,
            pool,
            dropped: false,
        })
    }

    /// Like [`ScratchDatabase::new`], on the server that `DATABASE_URL` names.
    pub async fn from_env(migrations_dir: impl AsRef<Path>) -> Result<Self, TestingError> {
        let url = std::env::var("DATABASE_URL").map_err(|_| TestingError::BadUrl {
            url: "$DATABASE_URL".into(),
            message: "not set; set it to the PostgreSQL server to test on".into(),
        })?;
        Self::new(&url, migrations_dir).await
    }

    /// A pool on the scratch database (renewed after every move, so that no connection keeps
    /// statements prepared against types that a migration changed).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// The scratch database's URL (without the password), for tools that take one.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every migration of the directory, oldest first, as `<version>_<slug>`.
    pub fn migrations(&self) -> Vec<String> {
        self.migrations.iter().map(|m| m.name.clone()).collect()
    }

    async fn runner(&self) -> Result<Runner<'_, Database>, TestingError> {
        let backend = self.database.connect().await?;
        Ok(Runner::new(
            backend,
            &self.migrations,
            self.dir.display().to_string(),
        ))
    }

    /// The newest applied migration (`<version>_<slug>`), or `None` at base.
    pub async fn current(&self) -> Result<Option<String>, TestingError> {
        let status = self.runner().await?.status().await?;
        Ok(status.current.map(|i| self.migrations[i].name.clone()))
    }

    /// Moves the database to `target`, up or down as needed: `head`, `base`, or a version
    /// (or a unique prefix of one, or `<version>_<slug>`), which ends up applied.
    pub async fn migrate_to(&mut self, target: &str) -> Result<(), TestingError> {
        {
            let mut runner = self.runner().await?;
            match target {
                "head" => {
                    runner.upgrade(&UpTarget::Head, |_| {}).await?;
                }
                "base" => {
                    runner.downgrade(&DownTarget::Base, |_| {}).await?;
                }
                version => {
                    let wanted = find(&self.migrations, version)?;
                    let status = runner.status().await?;
                    let exact = self.migrations[wanted].version.to_string();
                    if status.current.is_some_and(|c| c > wanted) {
                        runner
                            .downgrade(&DownTarget::Version(exact), |_| {})
                            .await?;
                    } else {
                        runner.upgrade(&UpTarget::Version(exact), |_| {}).await?;
                    }
                }
            }
        }
        self.pool.close().await;
        self.pool = PgPool::connect_with(self.options.clone()).await?;
        Ok(())
    }

    /// Drops the scratch database now, reporting a failure (dropping the value does the same
    /// silently).
    pub async fn close(mut self) -> Result<(), TestingError> {
        self.pool.close().await;
        self.dropped = true;
        self.database.clone().drop().await?;
        Ok(())
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        if !self.dropped {
            self.database.drop_blocking();
        }
    }
}
