//! Scratch databases for `verify` and `adopt`, made on the server that the database URL names
//! and dropped afterwards.
//!
//! Only the server matters: the database named in the URL is never changed and need not
//! exist (see [`Server`]), so a URL such as `postgres://ci@db/not_created_yet` works.

use model_core::runner::{
    mask_password, Database, RunnerError, Server, ServerError, TemporaryDatabase,
};

use crate::exit;
use crate::project::runner_fail;
use crate::report::{fail, Failure};

/// A database that exists until [`Scratch::drop`].
pub(crate) struct Scratch(TemporaryDatabase);

impl Scratch {
    /// Creates `migrate_gen_<purpose>_...` on the server of `url`.
    pub(crate) async fn create(url: &str, purpose: &str) -> Result<Scratch, Failure> {
        let server = Server::of(url).map_err(runner_fail)?;
        match server.temporary(&format!("migrate_gen_{purpose}")).await {
            Ok(db) => Ok(Scratch(db)),
            Err(ServerError::Connect(message)) => Err(runner_fail(RunnerError::Connect {
                url: mask_password(url),
                message,
            })),
            Err(e) => Err(fail(
                exit::CONNECT,
                format!("{e} ({purpose} needs the CREATEDB privilege)"),
            )),
        }
    }

    /// Connects to the scratch database, in the `--schema` of the command line (created).
    pub(crate) async fn connect(
        &self,
        global: &crate::options::Global,
    ) -> Result<Database, Failure> {
        let mut database = self.0.connect().await.map_err(runner_fail)?;
        let mut global = global.clone();
        global.create_schema = true;
        crate::project::in_schema(&mut database, &global).await?;
        Ok(database)
    }

    /// Drops the scratch database (closing any connection still open to it).
    pub(crate) async fn drop(self) {
        let _ = self.0.drop().await;
    }
}
