//! `database create` and `database drop`: make or remove the database that the URL names, on
//! its server (as `sqlx database create/drop` does), so that a new project needs nothing but a
//! running server.

use model_core::runner::connect_server;
use model_core::runner::mask_password;
use sqlx::postgres::PgConnectOptions;
use sqlx::PgConnection;

use super::{fail, Failure, Outcome};
use crate::exit;
use crate::options::Global;
use crate::project::{runtime, url};

/// What `database drop` may do.
pub(crate) struct DropOptions {
    /// Do not ask.
    pub yes: bool,
    /// Disconnect other sessions first.
    pub force: bool,
}

fn options(global: &Global) -> Result<(PgConnectOptions, String, String), Failure> {
    let url = url(global)?;
    let masked = mask_password(url);
    let options: PgConnectOptions = url
        .parse()
        .map_err(|e| fail(exit::CONNECT, format!("invalid database URL {masked}: {e}")))?;
    let Some(name) = options.get_database().map(str::to_owned) else {
        return Err(fail(
            exit::USAGE,
            format!("{masked} names no database; add one: postgres://user@host:5432/<name>"),
        ));
    };
    Ok((options, name, masked))
}

/// A connection to the server itself, through a database other than the one to create or
/// drop.
async fn server(options: &PgConnectOptions, masked: &str) -> Result<PgConnection, Failure> {
    connect_server(options, false).await.map_err(|e| {
        fail(
            exit::CONNECT,
            format!(
                "cannot connect to the server of {masked}: {e}; check that the server runs and the URL is right"
            ),
        )
    })
}

/// Whether the server has database `name`.
async fn exists(conn: &mut PgConnection, name: &str, masked: &str) -> Result<bool, Failure> {
    sqlx::query_scalar::<_, bool>("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(name)
        .fetch_one(conn)
        .await
        .map_err(|e| {
            fail(
                exit::CONNECT,
                format!("cannot read the databases of {masked}: {e}"),
            )
        })
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
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
    let (options, name, masked) = options(global)?;
    runtime().block_on(async {
        let mut conn = server(&options, &masked).await?;
        if exists(&mut conn, &name, &masked).await? {
            return done(
                global,
                "exists",
                &name,
                format!("Database {name} already exists; nothing to do.\n"),
            );
        }
        if let Err(e) = sqlx::raw_sql(&format!("CREATE DATABASE {}", quoted(&name)))
            .execute(&mut conn)
            .await
        {
            return Err(fail(
                exit::CONNECT,
                format!("cannot create database {name} on {masked}: {}", message(&e)),
            ));
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
    let (options, name, masked) = options(global)?;
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
        let mut conn = server(&options, &masked).await?;
        if !exists(&mut conn, &name, &masked).await? {
            return done(
                global,
                "absent",
                &name,
                format!("Database {name} does not exist; nothing to do.\n"),
            );
        }
        let force = if drop.force { " WITH (FORCE)" } else { "" };
        if let Err(e) = sqlx::raw_sql(&format!("DROP DATABASE {}{force}", quoted(&name)))
            .execute(&mut conn)
            .await
        {
            let hint = if drop.force {
                ""
            } else {
                " (if other sessions use it, --force disconnects them)"
            };
            return Err(fail(
                exit::CONNECT,
                format!(
                    "cannot drop database {name} on {masked}: {}{hint}",
                    message(&e)
                ),
            ));
        }
        done(
            global,
            "dropped",
            &name,
            format!("Dropped database {name}.\n"),
        )
    })
}

fn message(err: &sqlx::Error) -> String {
    match err {
        sqlx::Error::Database(db) => db.message().to_owned(),
        other => other.to_string(),
    }
}
