//! Scratch databases for `verify` and `adopt`, made on the server that the database URL names
//! and dropped afterwards.
//!
//! Only the server matters: the database named in the URL is never changed and need not
//! exist. The scratch database is created from a connection to it when it exists, else from
//! the server's maintenance database (`postgres`, then `template1`), so a URL such as
//! `postgres://ci@db/not_created_yet` works.

use model_core::runner::{connect_server, mask_password, RunnerError};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, Executor, PgConnection};

use crate::exit;
use crate::project::runner_fail;
use crate::report::{fail, Failure};

/// A database that exists until [`Scratch::drop`].
pub(crate) struct Scratch {
    admin: PgConnection,
    name: String,
    options: PgConnectOptions,
}

impl Scratch {
    /// Creates `migrate_gen_<purpose>_...` on the server of `url`.
    pub(crate) async fn create(url: &str, purpose: &str) -> Result<Scratch, Failure> {
        let options: PgConnectOptions = url.parse().map_err(|e: sqlx::Error| {
            runner_fail(RunnerError::BadUrl {
                url: mask_password(url),
                message: e.to_string(),
            })
        })?;
        let connect_failed = |e: sqlx::Error| {
            runner_fail(RunnerError::Connect {
                url: mask_password(url),
                message: e.to_string(),
            })
        };
        let mut admin = connect_server(&options, true)
            .await
            .map_err(connect_failed)?;
        let name = format!(
            "migrate_gen_{purpose}_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0)
        );
        if let Err(e) = admin
            .execute(format!("CREATE DATABASE \"{name}\"").as_str())
            .await
        {
            return Err(fail(
                exit::CONNECT,
                format!(
                    "cannot create the scratch database {name} ({purpose} needs the CREATEDB privilege): {e}"
                ),
            ));
        }
        let scratch_options = options.database(&name);
        Ok(Scratch {
            admin,
            name,
            options: scratch_options,
        })
    }

    /// How to connect to the scratch database.
    pub(crate) fn options(&self) -> &PgConnectOptions {
        &self.options
    }

    /// Drops the scratch database (closing any connection still open to it).
    pub(crate) async fn drop(mut self) {
        let _ = self
            .admin
            .execute(format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name).as_str())
            .await;
        let _ = self.admin.close().await;
    }
}
