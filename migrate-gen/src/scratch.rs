//! Scratch databases for `verify` and `adopt`, made on the server that the database URL names
//! and dropped afterwards.
//!
//! Only the server matters: the database named in the URL is never changed and need not
//! exist. The scratch database is created from a connection to it when it exists, else from
//! the server's maintenance database (`postgres`, then `template1`), so a URL such as
//! `postgres://ci@db/not_created_yet` works.

use model_core::runner::{
    mask_password, Database, RunnerError, TemporaryDatabase, TemporaryDatabaseError,
};
use sqlx::postgres::PgConnectOptions;

use crate::exit;
use crate::project::runner_fail;
use crate::report::{fail, Failure};

/// A database that exists until [`Scratch::drop`].
pub(crate) struct Scratch(TemporaryDatabase);

impl Scratch {
    /// Creates `migrate_gen_<purpose>_...` on the server of `url`.
    pub(crate) async fn create(url: &str, purpose: &str) -> Result<Scratch, Failure> {
        let options: PgConnectOptions = url.parse().map_err(|e: sqlx::Error| {
            runner_fail(RunnerError::BadUrl {
                url: mask_password(url),
                message: e.to_string(),
            })
        })?;
        match TemporaryDatabase::create(&options, &format!("migrate_gen_{purpose}")).await {
            Ok(db) => Ok(Scratch(db)),
            Err(TemporaryDatabaseError::Connect(e)) => Err(runner_fail(RunnerError::Connect {
                url: mask_password(url),
                message: e.to_string(),
            })),
            Err(e) => Err(fail(
                exit::CONNECT,
                format!("{e} ({purpose} needs the CREATEDB privilege)"),
            )),
        }
    }

    /// Connects to the scratch database.
    pub(crate) async fn connect(&self) -> Result<Database, Failure> {
        Database::connect_postgres(&self.0.options())
            .await
            .map_err(runner_fail)
    }

    /// Drops the scratch database (closing any connection still open to it).
    pub(crate) async fn drop(self) {
        let _ = self.0.drop().await;
    }
}
