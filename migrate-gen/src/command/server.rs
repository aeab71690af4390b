//! `database create` and `database drop`: make or remove the database that the URL names, on
//! its server (as `sqlx database create/drop` does), so that a new project needs nothing but a
//! running server.

use model_core::runner::{mask_password, Server, ServerError};

use super::{fail, Failure, Outcome};
use crate::exit;
use crate::options::Global;
use crate::project::{runner_fail, runtime, url};

/// What `database drop` may do.
pub(crate) struct DropOptions {
    /// Do not ask.
    pub yes: bool,
    /// Disconnect other sessions first.
    pub force: bool,
}

fn options(global: &Global) -> Result<(Server, String, String), Failure> {
    let url = url(global)?;
    let masked = mask_password(url);
    let server = Server::of(url).map_err(runner_fail)?;
    let Some(name) = server.database().map(str::to_owned) else {
        return Err(fail(
            exit::USAGE,
            format!("{masked} names no database; add one: postgres://user@host:5432/<name>"),
        ));
    };
    Ok((server, name, masked))
}

/// A server error as one line: cannot reach it, or what it said when it refused `what`.
fn server_fail(err: ServerError, what: &str, masked: &str) -> Failure {
    match err {
        ServerError::Connect(e) => fail(
            exit::CONNECT,
            format!(
                "cannot connect to the server of {masked}: {e}; check that the server runs and the URL is right"
            ),
        ),
        ServerError::Refused(message) => fail(exit::CONNECT, format!("{what}: {message}")),
        other => fail(exit::CONNECT, format!("{what}: {other}")),
    }
}

fn done(global: &Global, event: &str, name: &str, text: String) -> Outcome {
    global.reporter().event(
        &text,
        serde_json::json!({ "event": event, "database": name }),
    )?;
    Ok(exit::OK)
}

/// `database create`: creates the database unless it exists (then says so, exit 0).
pub(crate) fn create(global: &Global) -> Outcome {
    let (server, name, masked) = options(global)?;
    runtime().block_on(async {
        let read = format!("cannot read the databases of {masked}");
        if server
            .exists(&name)
            .await
            .map_err(|e| server_fail(e, &read, &masked))?
        {
            return done(
                global,
                "exists",
                &name,
                format!("Database {name} already exists; nothing to do.\n"),
            );
        }
        if let Err(e) = server.create_database(&name).await {
            let what = format!("cannot create database {name} on {masked}");
            return Err(server_fail(e, &what, &masked));
        }
        done(
            global,
            "created",
            &name,
            format!("Created database {name}.\n"),
        )
    })
}

/// `database drop`: drops the database if it exists, after asking (or with `--yes`).
pub(crate) fn drop(global: &Global, drop: DropOptions) -> Outcome {
    let (server, name, masked) = options(global)?;
    if !drop.yes {
        use std::io::IsTerminal;
        if !std::io::stdin().is_terminal() {
            return Err(fail(
                exit::USAGE,
                format!("refusing to drop database {name} without confirmation: pass --yes"),
            ));
        }
        eprint!("Drop database {name} on {masked} and every row in it? [y/N] ");
        let mut answer = String::new();
        if std::io::stdin().read_line(&mut answer).is_err()
            || !matches!(answer.trim(), "y" | "Y" | "yes")
        {
            return Err(fail(
                exit::USAGE,
                format!("database {name} was not dropped"),
            ));
        }
    }
    runtime().block_on(async {
        let read = format!("cannot read the databases of {masked}");
        if !server
            .exists(&name)
            .await
            .map_err(|e| server_fail(e, &read, &masked))?
        {
            return done(
                global,
                "absent",
                &name,
                format!("Database {name} does not exist; nothing to do.\n"),
            );
        }
        if let Err(e) = server.drop_database(&name, drop.force).await {
            let hint = if drop.force {
                ""
            } else {
                " (if other sessions use it, --force disconnects them)"
            };
            let what = format!("cannot drop database {name} on {masked}");
            return Err(match e {
                ServerError::Refused(message) => {
                    fail(exit::CONNECT, format!("{what}: {message}{hint}"))
                }
                other => server_fail(other, &what, &masked),
            });
        }
        done(
            global,
            "dropped",
            &name,
            format!("Dropped database {name}.\n"),
        )
    })
}
