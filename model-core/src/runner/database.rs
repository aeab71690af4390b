//! The database a URL names, and its server, served by the backend for its kind: the one place
//! that picks a backend, so that code above it (the CLI's commands, the testing API, the test
//! suite) never names one.

use crate::dialect::Dialect;
use crate::schema::Schema;

use super::RunnerError;
use super::{mask_password, postgres, Applied, Backend, Job, MigrationScript, PgBackend};
#[cfg(feature = "mysql")]
use super::{mysql, MySqlBackend};
#[cfg(feature = "sqlite")]
use super::{sqlite, SqliteBackend};

/// The lowercase scheme of a URL (`postgres`, `sqlite`, ...), empty when it has none.
fn scheme(url: &str) -> String {
    url.split_once(':')
        .map(|(s, _)| s.to_ascii_lowercase())
        .unwrap_or_default()
}

/// The error for a URL whose scheme names no database, or one not served yet.
fn unsupported(url: &str, scheme: &str, what: &str) -> RunnerError {
    match scheme {
        "sqlite" => RunnerError::Unsupported {
            what: format!("{what} SQLite"),
        },
        "mysql" | "mariadb" => RunnerError::Unsupported {
            what: format!("{what} MySQL/MariaDB"),
        },
        _ => RunnerError::BadUrl {
            url: mask_password(url),
            message: "not a database URL".into(),
        },
    }
}

/// A connected database of any supported kind.
pub enum Database {
    /// PostgreSQL.
    Postgres(PgBackend),
    /// A SQLite file.
    #[cfg(feature = "sqlite")]
    Sqlite(SqliteBackend),
    /// A MySQL or MariaDB database.
    #[cfg(feature = "mysql")]
    Mysql(MySqlBackend),
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Database").field(&self.dialect()).finish()
    }
}

impl Database {
    /// The URL schemes of the databases there are backends for (served or not yet), as a
    /// user would type them.
    pub const SCHEMES: &'static str = "postgres://, postgresql://, mysql://, mariadb://, sqlite:";

    /// Whether `url` names a database the runner serves, without connecting: `Unsupported`
    /// for a database that has no runner yet, `BadUrl` for anything that is not a database
    /// URL (including `postgres:` without `//`).
    pub fn accepts(url: &str) -> Result<(), RunnerError> {
        let scheme = scheme(url);
        let rest = &url[url.find(':').map_or(0, |i| i + 1)..];
        match scheme.as_str() {
            "postgres" | "postgresql" if rest.starts_with("//") => Ok(()),
            #[cfg(feature = "sqlite")]
            "sqlite" => Ok(()),
            #[cfg(feature = "mysql")]
            "mysql" | "mariadb" if rest.starts_with("//") => Ok(()),
            "postgres" | "postgresql" => Err(unsupported(url, "", "")),
            other => Err(match unsupported(url, other, "") {
                RunnerError::Unsupported { what } => RunnerError::Unsupported {
                    what: format!("{} databases", what.trim()),
                },
                bad => bad,
            }),
        }
    }

    /// The dialect of the database `url` names, if its scheme is one of [`Self::SCHEMES`].
    pub fn dialect_of(url: &str) -> Option<Dialect> {
        match scheme(url).as_str() {
            "postgres" | "postgresql" => Some(Dialect::Postgres),
            "sqlite" => Some(Dialect::Sqlite),
            "mysql" | "mariadb" => Some(Dialect::Mysql),
            _ => None,
        }
    }

    /// Connects to `url`, picking the backend from its scheme. A scheme of a database the
    /// runner does not serve yet is [`RunnerError::Unsupported`].
    pub async fn connect(url: &str) -> Result<Self, RunnerError> {
        match scheme(url).as_str() {
            "postgres" | "postgresql" => Ok(Database::Postgres(PgBackend::connect(url).await?)),
            #[cfg(feature = "sqlite")]
            "sqlite" => Ok(Database::Sqlite(SqliteBackend::connect(url).await?)),
            #[cfg(feature = "mysql")]
            "mysql" | "mariadb" => Ok(Database::Mysql(MySqlBackend::connect(url).await?)),
            other => Err(unsupported(url, other, "applying migrations to")),
        }
    }

    /// The SQL dialect of this database.
    pub fn dialect(&self) -> Dialect {
        match self {
            Database::Postgres(_) => Dialect::Postgres,
            #[cfg(feature = "sqlite")]
            Database::Sqlite(_) => Dialect::Sqlite,
            #[cfg(feature = "mysql")]
            Database::Mysql(_) => Dialect::Mysql,
        }
    }

    /// Sets how statements wait for locks and how long they may run (PostgreSQL; see
    /// [`LockPolicy`](super::LockPolicy)). Other databases keep their server's settings.
    pub fn set_lock_policy(&mut self, policy: super::LockPolicy) {
        if let Database::Postgres(pg) = self {
            pg.set_lock_policy(policy);
        }
    }

    /// Works in the PostgreSQL schema `name` (see [`PgBackend::use_schema`]); other databases
    /// have no schemas inside a database.
    pub async fn use_schema(&mut self, name: &str, create: bool) -> Result<(), RunnerError> {
        match self {
            Database::Postgres(pg) => pg.use_schema(name, create).await,
            #[allow(unreachable_patterns)]
            other => Err(RunnerError::Unsupported {
                what: format!("--schema on {} (a PostgreSQL option)", other.dialect()),
            }),
        }
    }

    /// What the database holds beyond tables and enums (see
    /// [`Extras`](crate::introspect::Extras)).
    pub async fn extras(&mut self) -> Result<crate::introspect::Extras, RunnerError> {
        match self {
            Database::Postgres(pg) => crate::introspect::postgres::extras(pg.connection())
                .await
                .map_err(RunnerError::Database),
            #[cfg(feature = "sqlite")]
            Database::Sqlite(b) => crate::introspect::sqlite::extras(b.connection())
                .await
                .map_err(RunnerError::Database),
            #[cfg(feature = "mysql")]
            Database::Mysql(b) => crate::introspect::mysql::extras(b.connection())
                .await
                .map_err(RunnerError::Database),
        }
    }

    /// The schema the database holds, read from its catalogs.
    pub async fn introspect(&mut self) -> Result<Schema, RunnerError> {
        match self {
            Database::Postgres(pg) => crate::introspect::postgres::introspect(pg.connection())
                .await
                .map_err(RunnerError::Database),
            #[cfg(feature = "sqlite")]
            Database::Sqlite(b) => crate::introspect::sqlite::introspect(b.connection())
                .await
                .map_err(RunnerError::Database),
            #[cfg(feature = "mysql")]
            Database::Mysql(b) => crate::introspect::mysql::introspect(b.connection())
                .await
                .map_err(RunnerError::Database),
        }
    }
}

impl Backend for Database {
    async fn lock(&mut self) -> Result<(), RunnerError> {
        match self {
            Database::Postgres(b) => b.lock().await,
            #[cfg(feature = "sqlite")]
            Database::Sqlite(b) => b.lock().await,
            #[cfg(feature = "mysql")]
            Database::Mysql(b) => b.lock().await,
        }
    }

    async fn unlock(&mut self) -> Result<(), RunnerError> {
        match self {
            Database::Postgres(b) => b.unlock().await,
            #[cfg(feature = "sqlite")]
            Database::Sqlite(b) => b.unlock().await,
            #[cfg(feature = "mysql")]
            Database::Mysql(b) => b.unlock().await,
        }
    }

    async fn ensure_version_table(&mut self) -> Result<(), RunnerError> {
        match self {
            Database::Postgres(b) => b.ensure_version_table().await,
            #[cfg(feature = "sqlite")]
            Database::Sqlite(b) => b.ensure_version_table().await,
            #[cfg(feature = "mysql")]
            Database::Mysql(b) => b.ensure_version_table().await,
        }
    }

    async fn applied(&mut self) -> Result<Vec<Applied>, RunnerError> {
        match self {
            Database::Postgres(b) => b.applied().await,
            #[cfg(feature = "sqlite")]
            Database::Sqlite(b) => b.applied().await,
            #[cfg(feature = "mysql")]
            Database::Mysql(b) => b.applied().await,
        }
    }

    async fn run(&mut self, job: &Job<'_>) -> Result<std::time::Duration, RunnerError> {
        match self {
            Database::Postgres(b) => b.run(job).await,
            #[cfg(feature = "sqlite")]
            Database::Sqlite(b) => b.run(job).await,
            #[cfg(feature = "mysql")]
            Database::Mysql(b) => b.run(job).await,
        }
    }

    async fn progress(&mut self) -> Result<Vec<super::Progress>, RunnerError> {
        match self {
            Database::Postgres(b) => b.progress().await,
            #[cfg(feature = "sqlite")]
            Database::Sqlite(b) => b.progress().await,
            #[cfg(feature = "mysql")]
            Database::Mysql(b) => b.progress().await,
        }
    }

    async fn record(&mut self, migration: &MigrationScript) -> Result<(), RunnerError> {
        match self {
            Database::Postgres(b) => b.record(migration).await,
            #[cfg(feature = "sqlite")]
            Database::Sqlite(b) => b.record(migration).await,
            #[cfg(feature = "mysql")]
            Database::Mysql(b) => b.record(migration).await,
        }
    }

    async fn forget(&mut self, version: i64) -> Result<(), RunnerError> {
        match self {
            Database::Postgres(b) => b.forget(version).await,
            #[cfg(feature = "sqlite")]
            Database::Sqlite(b) => b.forget(version).await,
            #[cfg(feature = "mysql")]
            Database::Mysql(b) => b.forget(version).await,
        }
    }

    fn statements(&self, sql: &str) -> Vec<String> {
        match self {
            Database::Postgres(b) => b.statements(sql),
            #[cfg(feature = "sqlite")]
            Database::Sqlite(b) => b.statements(sql),
            #[cfg(feature = "mysql")]
            Database::Mysql(b) => b.statements(sql),
        }
    }
}

/// Why the server could not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// The server cannot be reached.
    #[error("{0}")]
    Connect(String),
    /// The server refused (what it said): a missing privilege, a database in use...
    #[error("{0}")]
    Refused(String),
}

/// The server a database URL names: where databases are created and dropped (`database
/// create`, `database drop`, the scratch databases of `verify` and `adopt`, the test suite's
/// fresh databases). The URL's own database need not exist.
#[derive(Debug, Clone)]
pub enum Server {
    /// A PostgreSQL server, reached through the URL's database when it exists, else through
    /// a maintenance database (`postgres`, then `template1`).
    Postgres {
        /// The URL as given.
        url: String,
        /// The URL, parsed.
        options: sqlx::postgres::PgConnectOptions,
    },
    /// SQLite: a database is a file; the URL's is `file`, temporary ones go to the system's
    /// temporary directory.
    #[cfg(feature = "sqlite")]
    Sqlite {
        /// The URL, parsed.
        options: sqlx::sqlite::SqliteConnectOptions,
        /// The URL's database file (none in memory).
        file: Option<String>,
    },
    /// A MySQL or MariaDB server.
    #[cfg(feature = "mysql")]
    Mysql {
        /// The URL as given.
        url: String,
        /// The URL, parsed.
        options: sqlx::mysql::MySqlConnectOptions,
    },
}

impl Server {
    /// The server of `url`, picked by its scheme; nothing is connected yet.
    pub fn of(url: &str) -> Result<Self, RunnerError> {
        match scheme(url).as_str() {
            "postgres" | "postgresql" => {
                let options = url.parse().map_err(|e: sqlx::Error| RunnerError::BadUrl {
                    url: mask_password(url),
                    message: e.to_string(),
                })?;
                Ok(Server::Postgres {
                    url: url.to_owned(),
                    options,
                })
            }
            #[cfg(feature = "sqlite")]
            "sqlite" => {
                let options = sqlite::options(url)?;
                let file = sqlite::file_of(&options).map(|p| p.display().to_string());
                Ok(Server::Sqlite { options, file })
            }
            #[cfg(feature = "mysql")]
            "mysql" | "mariadb" => Ok(Server::Mysql {
                url: url.to_owned(),
                options: mysql::options(url)?,
            }),
            other => Err(unsupported(url, other, "creating databases on")),
        }
    }

    /// The database the URL names, if it names one.
    pub fn database(&self) -> Option<&str> {
        match self {
            Server::Postgres { options, .. } => options.get_database(),
            #[cfg(feature = "sqlite")]
            Server::Sqlite { file, .. } => file.as_deref(),
            #[cfg(feature = "mysql")]
            Server::Mysql { options, .. } => options.get_database(),
        }
    }

    /// The URL of database `name` on this server (same user, host, port and parameters).
    pub fn url_of(&self, name: &str) -> String {
        match self {
            Server::Postgres { url, .. } => with_database(url, name),
            #[cfg(feature = "sqlite")]
            Server::Sqlite { .. } => format!("sqlite://{name}"),
            #[cfg(feature = "mysql")]
            Server::Mysql { url, .. } => with_database(url, name),
        }
    }

    /// Whether the server has database `name`.
    pub async fn exists(&self, name: &str) -> Result<bool, ServerError> {
        match self {
            Server::Postgres { options, .. } => postgres::database_exists(options, name).await,
            #[cfg(feature = "sqlite")]
            Server::Sqlite { .. } => Ok(sqlite::database_exists(std::path::Path::new(name))),
            #[cfg(feature = "mysql")]
            Server::Mysql { options, .. } => mysql::database_exists(options, name).await,
        }
    }

    /// Creates database `name`.
    pub async fn create_database(&self, name: &str) -> Result<(), ServerError> {
        match self {
            Server::Postgres { options, .. } => {
                postgres::create_database(options, name, false).await
            }
            #[cfg(feature = "sqlite")]
            Server::Sqlite { options, .. } => {
                sqlite::create_database(&options.clone().filename(name)).await
            }
            #[cfg(feature = "mysql")]
            Server::Mysql { options, .. } => mysql::create_database(options, name).await,
        }
    }

    /// Drops database `name` (an error if it does not exist); with `force`, disconnecting its
    /// sessions first.
    pub async fn drop_database(&self, name: &str, force: bool) -> Result<(), ServerError> {
        match self {
            Server::Postgres { options, .. } => {
                postgres::drop_database_on(options, name, force, false).await
            }
            #[cfg(feature = "sqlite")]
            Server::Sqlite { .. } => sqlite::drop_database(std::path::Path::new(name), false),
            #[cfg(feature = "mysql")]
            Server::Mysql { options, .. } => {
                mysql::drop_database(options, name, force, false).await
            }
        }
    }

    /// Creates a database that lives until [`TemporaryDatabase::drop`]; its name is
    /// `<prefix>_<process>_<counter>_<nanoseconds>`, unique across processes.
    pub async fn temporary(&self, prefix: &str) -> Result<TemporaryDatabase, ServerError> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        #[cfg_attr(not(feature = "sqlite"), allow(unused_mut))]
        let mut name = format!(
            "{prefix}_{}_{}_{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let created = match self {
            Server::Postgres { options, .. } => {
                postgres::create_database(options, &name, true).await
            }
            #[cfg(feature = "sqlite")]
            Server::Sqlite { options, .. } => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                name = path.display().to_string();
                sqlite::create_database(&options.clone().filename(&path)).await
            }
            #[cfg(feature = "mysql")]
            Server::Mysql { options, .. } => mysql::create_database(options, &name).await,
        };
        created.map_err(|e| match e {
            ServerError::Refused(message) => {
                ServerError::Refused(format!("cannot create database {name}: {message}"))
            }
            other => other,
        })?;
        Ok(TemporaryDatabase {
            server: self.clone(),
            name,
        })
    }
}

/// `url` with its path (the database) replaced by `database`, its parameters kept.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[scheme_end..]
        .find('/')
        .map(|i| i + scheme_end)
        .unwrap_or(base.len());
    let mut out = format!("{}/{}", &base[..path_start], database);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// A database made for a while on a server and dropped afterwards: the scratch databases of
/// `verify` and `adopt`, the testing API's, and the test suite's fresh databases.
#[derive(Debug, Clone)]
pub struct TemporaryDatabase {
    server: Server,
    name: String,
}

impl TemporaryDatabase {
    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The database's URL (the server's URL with this database as its path; a `dbname=`
    /// parameter of the server's URL would still win: connect with [`Self::connect`] or
    /// [`Self::postgres_options`]).
    pub fn url(&self) -> String {
        self.server.url_of(&self.name)
    }

    /// How to connect to the database, when it is on a PostgreSQL server: the server's
    /// options (password file, parameters) with this database.
    pub fn postgres_options(&self) -> Option<sqlx::postgres::PgConnectOptions> {
        match &self.server {
            Server::Postgres { options, .. } => Some(options.clone().database(&self.name)),
            #[cfg(feature = "sqlite")]
            Server::Sqlite { .. } => None,
            #[cfg(feature = "mysql")]
            Server::Mysql { .. } => None,
        }
    }

    /// Connects to the database.
    pub async fn connect(&self) -> Result<Database, RunnerError> {
        match &self.server {
            Server::Postgres { options, .. } => Ok(Database::Postgres(
                PgBackend::connect_with(&options.clone().database(&self.name)).await?,
            )),
            #[cfg(feature = "sqlite")]
            Server::Sqlite { options, .. } => Ok(Database::Sqlite(
                SqliteBackend::connect_with(
                    &options.clone().filename(&self.name),
                    Some(self.name.clone().into()),
                    &self.url(),
                )
                .await?,
            )),
            #[cfg(feature = "mysql")]
            Server::Mysql { options, .. } => Ok(Database::Mysql(
                MySqlBackend::connect_with(&options.clone().database(&self.name), &self.url())
                    .await?,
            )),
        }
    }

    /// Drops the database if it still exists, disconnecting whatever still uses it.
    pub async fn drop(self) -> Result<(), ServerError> {
        match &self.server {
            Server::Postgres { options, .. } => {
                postgres::drop_database_on(options, &self.name, true, true).await
            }
            #[cfg(feature = "sqlite")]
            Server::Sqlite { .. } => sqlite::drop_database(std::path::Path::new(&self.name), true),
            #[cfg(feature = "mysql")]
            Server::Mysql { options, .. } => {
                mysql::drop_database(options, &self.name, true, true).await
            }
        }
    }

    /// Drops the database from synchronous code (a `Drop` impl, even one running inside an
    /// async runtime), on a thread with its own runtime; failures are ignored.
    pub fn drop_blocking(&self) {
        let this = self.clone();
        let dropper = std::thread::spawn(move || {
            if let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                let _ = runtime.block_on(this.drop());
            }
        });
        let _ = dropper.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_gets_another_database_with_its_parameters() {
        assert_eq!(
            with_database("postgres://u:p@h:5432/app?sslmode=disable", "x"),
            "postgres://u:p@h:5432/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
    }

    #[test]
    fn schemes_pick_the_server_or_say_why_not() {
        assert!(matches!(
            Server::of("postgresql://h/db"),
            Ok(Server::Postgres { .. })
        ));
        assert!(matches!(
            Server::of("mariadb://h/db"),
            Ok(Server::Mysql { .. })
        ));
        assert!(matches!(
            Server::of("http://h/db"),
            Err(RunnerError::BadUrl { .. })
        ));
    }
}
