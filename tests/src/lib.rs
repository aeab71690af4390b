//! Test support: a fresh, empty database per test on the real servers.
//!
//! Like `#[sqlx::test]`, every test gets its own database, created on the server before the
//! test and dropped after it. Unlike `#[sqlx::test]`, one test binary can use PostgreSQL and
//! MariaDB side by side (sqlx's attribute reads a single `DATABASE_URL`).
//!
//! Servers come from `TEST_POSTGRES_URL` and `TEST_MYSQL_URL`, defaulting to the local
//! services. A server that cannot be reached fails the test: nothing is ever skipped.

pub mod cli;
pub mod scenario;

use std::sync::atomic::{AtomicU32, Ordering};

use model_core::runner::{with_database, TemporaryDatabase};
use sqlx::{Connection, Executor};

/// The PostgreSQL server tests use.
pub fn postgres_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// The MySQL / MariaDB server tests use.
pub fn mysql_url() -> String {
    std::env::var("TEST_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".to_owned())
}

/// A name no other test (in this or another process) uses.
fn unique_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "mgtest_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

/// Which server a [`TestDb`] lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// PostgreSQL.
    Postgres,
    /// MariaDB / MySQL.
    Mysql,
    /// A SQLite file.
    Sqlite,
}

/// A fresh database, dropped when this value is dropped.
#[derive(Debug)]
pub struct TestDb {
    /// Connection URL of the fresh database.
    pub url: String,
    server: Server,
    admin_url: String,
    name: String,
    postgres: Option<TemporaryDatabase>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// A fresh PostgreSQL database, made with the same code as `verify`'s scratch databases.
    pub async fn postgres() -> TestDb {
        let admin_url = postgres_url();
        let server = model_core::runner::Server::of(&admin_url)
            .unwrap_or_else(|e| panic!("TEST_POSTGRES_URL {admin_url} is not a URL: {e}"));
        let database = server
            .temporary("mgtest")
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} is required for this test: {e}"));
        TestDb {
            url: database.url(),
            server: Server::Postgres,
            admin_url,
            name: database.name().to_owned(),
            postgres: Some(database),
            _dir: None,
        }
    }

    /// A fresh MariaDB / MySQL database.
    pub async fn mysql() -> TestDb {
        let admin_url = mysql_url();
        let name = unique_name();
        let mut conn = sqlx::MySqlConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| {
                panic!("MariaDB/MySQL at {admin_url} is required for this test: {e}")
            });
        conn.execute(format!("CREATE DATABASE `{name}`").as_str())
            .await
            .expect("create test database");
        TestDb {
            url: with_database(&admin_url, &name),
            server: Server::Mysql,
            admin_url,
            name,
            postgres: None,
            _dir: None,
        }
    }

    /// A fresh SQLite file in a temporary directory.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("test.db");
        TestDb {
            url: format!("sqlite://{}?mode=rwc", path.display()),
            server: Server::Sqlite,
            admin_url: String::new(),
            name: String::new(),
            postgres: None,
            _dir: Some(dir),
        }
    }

    /// The server this database lives on.
    pub fn server(&self) -> Server {
        self.server
    }

    /// A PostgreSQL pool on this database.
    pub async fn pg_pool(&self) -> sqlx::PgPool {
        assert_eq!(self.server, Server::Postgres);
        sqlx::PgPool::connect(&self.url).await.expect("connect")
    }

    /// A MySQL pool on this database.
    pub async fn mysql_pool(&self) -> sqlx::MySqlPool {
        assert_eq!(self.server, Server::Mysql);
        sqlx::MySqlPool::connect(&self.url).await.expect("connect")
    }

    /// A SQLite pool on this database.
    pub async fn sqlite_pool(&self) -> sqlx::SqlitePool {
        assert_eq!(self.server, Server::Sqlite);
        // One connection, as the runner uses, so that every step sees what the step before
        // it committed. With several pooled connections the SQLite property test failed
        // about once in thirty runs on a busy machine ("no such column" for a column the
        // previous step had added and introspection had seen), never with one.
        sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect(&self.url)
            .await
            .expect("connect")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(database) = &self.postgres {
            database.drop_blocking();
        }
        if self.server != Server::Mysql {
            return;
        }
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop may run inside a runtime; a separate thread with its own runtime is always safe.
        let dropper = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                if let Ok(mut conn) = sqlx::MySqlConnection::connect(&admin_url).await {
                    let _ = conn
                        .execute(format!("DROP DATABASE IF EXISTS `{name}`").as_str())
                        .await;
                }
            });
        });
        let _ = dropper.join();
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn urls() {
        assert_eq!(
            with_database("postgres://u@h:5432/postgres", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            with_database("mysql://root@h:3306/test?ssl-mode=disabled", "x"),
            "mysql://root@h:3306/x?ssl-mode=disabled"
        );
        assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
    }
}
