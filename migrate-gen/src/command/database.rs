//! Commands that read or change where a database stands: `upgrade`, `downgrade`, `current`,
//! `history`, `heads`, `show`, `stamp`.

use std::path::Path;
use std::process::ExitCode;

use model_core::dialect::Dialect;
use model_core::migration::MigrationDir;
use model_core::runner::{
    self, find, load, mask_password, offline_sql, Direction, DownTarget, Event, Migration,
    PgBackend, Runner, RunnerError, UpTarget,
};

use super::{fail, print};
use crate::cli::Global;
use crate::exit;

fn code_of(err: &RunnerError) -> u8 {
    match err {
        RunnerError::Connect { .. }
        | RunnerError::NoDatabase { .. }
        | RunnerError::BadUrl { .. } => exit::CONNECT,
        RunnerError::Statement { .. } | RunnerError::Migration { .. } => exit::MIGRATION_FAILED,
        RunnerError::UnknownVersion { .. }
        | RunnerError::Edited { .. }
        | RunnerError::Dirty { .. } => exit::STATE,
        RunnerError::Target(_) => exit::USAGE,
        RunnerError::Directory(_)
        | RunnerError::Read { .. }
        | RunnerError::VersionOutOfRange { .. } => exit::DIRECTORY,
        // The server answered, and refused: the version table or the lock is not usable.
        RunnerError::Database(sqlx::Error::Database(_)) => exit::STATE,
        _ => exit::CONNECT,
    }
}

pub(crate) fn runner_fail(err: RunnerError) -> ExitCode {
    let code = code_of(&err);
    // One line: the database's message goes on the same line.
    fail(code, err.to_string().replace("\n  ", "; "))
}

/// Opens the directory for the runner: it must exist and have a single head.
pub(crate) fn open(path: &Path) -> Result<(MigrationDir, Vec<Migration>), ExitCode> {
    if !path.is_dir() {
        return Err(fail(
            exit::DIRECTORY,
            format!(
                "the migrations directory {} does not exist; generate a migration first, or pass --dir",
                path.display()
            ),
        ));
    }
    let dir = MigrationDir::open(path, Dialect::Postgres).map_err(|e| fail(exit::DIRECTORY, e))?;
    let migrations = load(&dir).map_err(runner_fail)?;
    Ok((dir, migrations))
}

/// The URL schemes a database URL may start with.
const SCHEMES: &str = "postgres://, postgresql://, mysql://, mariadb://, sqlite:";

pub(crate) fn url(global: &Global) -> Result<&str, ExitCode> {
    let Some(url) = global.database_url.as_deref() else {
        return Err(fail(
            exit::UNSUPPORTED,
            "no database given: pass --database-url or set DATABASE_URL (the embedded SQLite \
             default is not supported by the runner yet)",
        ));
    };
    let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("postgres" | "postgresql") if url[url.find(':').unwrap_or(0)..].starts_with("://") => {
            Ok(url)
        }
        Some("mysql" | "mariadb" | "sqlite") => Err(fail(
            exit::UNSUPPORTED,
            format!(
                "{} is a {} URL; applying migrations to SQLite and MySQL/MariaDB is not \
                 supported yet: use a postgres:// URL",
                mask_password(url),
                if scheme.as_deref() == Some("sqlite") {
                    "SQLite"
                } else {
                    "MySQL/MariaDB"
                }
            ),
        )),
        _ => Err(fail(
            exit::CONNECT,
            format!(
                "`{}` is not a database URL: it must start with one of {SCHEMES} \
                 (e.g. postgres://user@localhost:5432/app)",
                mask_malformed(url)
            ),
        )),
    }
}

/// Masks a password in text that is not a well-formed URL (`postgres//user:secret@host`):
/// whatever follows the last `:` before the last `@`.
fn mask_malformed(text: &str) -> String {
    let masked = mask_password(text);
    if masked != text {
        return masked;
    }
    match text.rfind('@') {
        Some(at) => match text[..at].rfind(':') {
            Some(colon) if !text[colon..at].starts_with("://") => {
                format!("{}:***{}", &text[..colon], &text[at..])
            }
            _ => text.to_owned(),
        },
        None => text.to_owned(),
    }
}

pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a single-threaded runtime starts")
}

/// A runner on the database, and where the database stands.
pub(crate) async fn connected<'m>(
    path: &Path,
    global: &Global,
    migrations: &'m [Migration],
) -> Result<(Runner<'m, PgBackend>, model_core::runner::Status), ExitCode> {
    let backend = connect(global).await?;
    let mut runner = Runner::new(backend, migrations, path.display().to_string());
    let status = runner.status().await.map_err(runner_fail)?;
    Ok((runner, status))
}

pub(crate) async fn connect(global: &Global) -> Result<PgBackend, ExitCode> {
    PgBackend::connect(url(global)?).await.map_err(runner_fail)
}

fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// Progress lines for `upgrade`/`downgrade`.
fn progress(global: &Global) -> impl FnMut(Event<'_>) + '_ {
    move |event| {
        if global.quiet {
            return;
        }
        let line = match (&event, global.json) {
            (Event::Start(m, d), false) => format!(
                "{} {} ...\n",
                if *d == Direction::Up {
                    "Applying"
                } else {
                    "Reverting"
                },
                m.name
            ),
            (Event::Done(m, d, took), false) => format!(
                "{} {} in {} ms\n",
                if *d == Direction::Up {
                    "Applied"
                } else {
                    "Reverted"
                },
                m.name,
                took.as_millis()
            ),
            (Event::Start(..), true) => return,
            (Event::Done(m, d, took), true) => format!(
                "{{\"event\":\"{}\",\"version\":{},\"name\":{},\"ms\":{}}}\n",
                if *d == Direction::Up {
                    "applied"
                } else {
                    "reverted"
                },
                m.version,
                json_string(&m.name),
                took.as_millis()
            ),
        };
        let _ = print(&line);
    }
}

async fn current_name(
    runner: &mut Runner<'_, PgBackend>,
    migrations: &[Migration],
) -> Result<Option<String>, RunnerError> {
    let status = runner.status().await?;
    Ok(status.current.map(|i| migrations[i].name.clone()))
}

fn finish(global: &Global, at: Option<String>, count: usize, migrations: &[Migration]) -> ExitCode {
    let head = migrations.last().map(|m| m.name.clone());
    let text = if global.json {
        format!(
            "{{\"event\":\"done\",\"ran\":{count},\"current\":{},\"head\":{}}}\n",
            at.as_deref().map_or("null".into(), json_string),
            head.as_deref().map_or("null".into(), json_string)
        )
    } else if global.quiet {
        String::new()
    } else {
        let at_text = at
            .clone()
            .unwrap_or_else(|| "base (no migration applied)".into());
        let suffix = if at.is_some() && at == head {
            " (head)"
        } else {
            ""
        };
        if count == 0 {
            format!("Nothing to do: the database is at {at_text}{suffix}.\n")
        } else {
            format!("The database is at {at_text}{suffix}.\n")
        }
    };
    match print(&text) {
        Ok(()) => ExitCode::from(exit::OK),
        Err(code) => code,
    }
}

enum Move {
    Up(UpTarget),
    Down(DownTarget),
}

/// Connects, moves the database, and reports where it ends up.
fn migrate(path: &Path, global: &Global, migrations: &[Migration], how: Move) -> ExitCode {
    runtime().block_on(async {
        let backend = match connect(global).await {
            Ok(b) => b,
            Err(code) => return code,
        };
        let mut runner = Runner::new(backend, migrations, path.display().to_string());
        let ran = match &how {
            Move::Up(target) => runner.upgrade(target, progress(global)).await,
            Move::Down(target) => runner.downgrade(target, progress(global)).await,
        };
        let count = match ran {
            Ok(n) => n,
            Err(err) => return runner_fail(err),
        };
        match current_name(&mut runner, migrations).await {
            Ok(at) => finish(global, at, count, migrations),
            Err(err) => runner_fail(err),
        }
    })
}

/// The index just past migration `text` (a version or prefix), for `--sql` ranges.
fn after(migrations: &[Migration], text: &str) -> Result<usize, ExitCode> {
    find(migrations, text).map(|i| i + 1).map_err(runner_fail)
}

/// Prints the offline SQL of `chosen`.
fn print_offline(chosen: &[&Migration], direction: Direction) -> ExitCode {
    match print(&offline_sql(chosen, direction)) {
        Ok(()) => ExitCode::from(exit::OK),
        Err(code) => code,
    }
}

pub(crate) fn upgrade(
    path: &Path,
    global: &Global,
    target: &str,
    sql: bool,
    from: Option<&str>,
) -> ExitCode {
    let (_dir, migrations) = match open(path) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let target = match UpTarget::parse(target) {
        Ok(t) => t,
        Err(err) => return runner_fail(err),
    };
    if sql {
        let start = match from {
            None | Some("base") => 0,
            Some(v) => match after(&migrations, v) {
                Ok(i) => i,
                Err(code) => return code,
            },
        };
        let end = match &target {
            UpTarget::Head => migrations.len(),
            UpTarget::Steps(n) => (start + n).min(migrations.len()),
            UpTarget::Version(v) => match after(&migrations, v) {
                Ok(i) => i,
                Err(code) => return code,
            },
        };
        if end < start {
            return fail(
                exit::USAGE,
                format!(
                    "{} is below --from {}: upgrading goes up; use `downgrade --sql {} --from {}`",
                    migrations[end - 1].name,
                    from.unwrap_or("base"),
                    migrations[end - 1].version,
                    from.unwrap_or("base")
                ),
            );
        }
        let chosen: Vec<&Migration> = migrations[start..end].iter().collect();
        return print_offline(&chosen, Direction::Up);
    }
    migrate(path, global, &migrations, Move::Up(target))
}

pub(crate) fn downgrade(
    path: &Path,
    global: &Global,
    target: &str,
    sql: bool,
    from: Option<&str>,
) -> ExitCode {
    let (_dir, migrations) = match open(path) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let target = match DownTarget::parse(target) {
        Ok(t) => t,
        Err(err) => return runner_fail(err),
    };
    if sql {
        let top = match from {
            None | Some("head") => migrations.len(),
            Some("base") => 0,
            Some(v) => match after(&migrations, v) {
                Ok(i) => i,
                Err(code) => return code,
            },
        };
        let bottom = match &target {
            DownTarget::Base => 0,
            DownTarget::Steps(n) => top.saturating_sub(*n),
            DownTarget::Version(v) => match after(&migrations, v) {
                Ok(i) => i,
                Err(code) => return code,
            },
        };
        if bottom > top {
            return fail(
                exit::USAGE,
                format!(
                    "{} is above --from {}: downgrading goes down; use `upgrade --sql {} --from {}`",
                    migrations[bottom - 1].name,
                    from.unwrap_or("head"),
                    migrations[bottom - 1].version,
                    from.unwrap_or("head")
                ),
            );
        }
        let chosen: Vec<&Migration> = migrations[bottom..top].iter().rev().collect();
        return print_offline(&chosen, Direction::Down);
    }
    migrate(path, global, &migrations, Move::Down(target))
}

pub(crate) fn current(path: &Path, global: &Global) -> ExitCode {
    let (_dir, migrations) = match open(path) {
        Ok(x) => x,
        Err(code) => return code,
    };
    runtime().block_on(async {
        let status = match connected(path, global, &migrations).await {
            Ok((_, status)) => status,
            Err(code) => return code,
        };
        let at = status.current.map(|i| migrations[i].name.clone());
        let pending = migrations.len() - status.applied.len();
        let head = migrations.last().map(|m| m.name.clone());
        let text = if global.quiet {
            String::new()
        } else if global.json {
            format!(
                "{{\"current\":{},\"head\":{},\"pending\":{pending}}}\n",
                at.as_deref().map_or("null".into(), json_string),
                head.as_deref().map_or("null".into(), json_string)
            )
        } else {
            match (&at, pending) {
                (None, 0) => "base (the directory has no migrations)\n".to_owned(),
                (None, n) => format!("base (no migration applied; {n} pending)\n"),
                (Some(name), 0) => format!("{name} (head)\n"),
                (Some(name), n) => format!("{name} ({n} pending)\n"),
            }
        };
        match print(&text) {
            Ok(()) => ExitCode::from(exit::OK),
            Err(code) => code,
        }
    })
}

/// The operations listed in a generated up file's header (`--   1. create table users`).
fn header_operations(up: &str) -> Vec<String> {
    up.lines()
        .take_while(|l| !l.trim().is_empty())
        .skip_while(|l| l.trim() != "-- operations:")
        .skip(1)
        .filter_map(|l| l.strip_prefix("--   "))
        .map(str::to_owned)
        .collect()
}

pub(crate) fn history(path: &Path, global: &Global, verbose: bool) -> ExitCode {
    let (_dir, migrations) = match open(path) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let applied = if global.database_url.is_some() {
        let result = runtime().block_on(async {
            let backend = connect(global).await?;
            let mut runner = Runner::new(backend, &migrations, path.display().to_string());
            runner.status().await.map_err(runner_fail)
        });
        match result {
            Ok(status) => Some(status.applied),
            Err(code) => return code,
        }
    } else {
        None
    };
    let mut out = String::new();
    for m in &migrations {
        let row = applied
            .as_ref()
            .and_then(|rows| rows.iter().find(|a| a.version == m.version));
        let applied_json = match (&applied, row) {
            (None, _) => serde_json::Value::Null,
            (Some(_), Some(r)) => serde_json::Value::String(r.installed_on.clone()),
            (Some(_), None) => serde_json::Value::Bool(false),
        };
        if global.json {
            let mut object = serde_json::json!({
                "version": m.version,
                "name": m.name,
                "parent": m.parent,
                "applied": applied_json,
            });
            if verbose {
                object["operations"] = header_operations(&m.up).into();
            }
            out.push_str(&format!("{object}\n"));
        } else {
            let mark = match (&applied, row) {
                (None, _) => String::new(),
                (Some(_), Some(r)) => format!("  applied {}", r.installed_on),
                (Some(_), None) => "  pending".to_owned(),
            };
            out.push_str(&format!("{}{mark}\n", m.name));
            if verbose {
                let parent = m
                    .parent
                    .as_deref()
                    .and_then(|p| migrations.iter().find(|x| x.version.to_string() == p))
                    .map(|p| p.name.clone())
                    .or_else(|| m.parent.clone())
                    .unwrap_or_else(|| "none (first migration)".into());
                out.push_str(&format!("  parent: {parent}\n"));
                let operations = header_operations(&m.up);
                if operations.is_empty() {
                    out.push_str("  operations: none listed (hand-written SQL)\n");
                } else {
                    out.push_str("  operations:\n");
                    for op in operations {
                        out.push_str(&format!("    {op}\n"));
                    }
                }
                out.push('\n');
            }
        }
    }
    match print(&out) {
        Ok(()) => ExitCode::from(exit::OK),
        Err(code) => code,
    }
}

pub(crate) fn heads(path: &Path, global: &Global) -> ExitCode {
    if !path.is_dir() {
        return fail(
            exit::DIRECTORY,
            format!("the migrations directory {} does not exist", path.display()),
        );
    }
    let dir = match MigrationDir::open(path, Dialect::Postgres) {
        Ok(d) => d,
        Err(err) => return fail(exit::DIRECTORY, err),
    };
    let mut out = String::new();
    for version in dir.heads() {
        let name = dir
            .migrations()
            .iter()
            .find(|m| m.version == version)
            .map(|m| format!("{}_{}", m.version, m.slug))
            .unwrap_or(version);
        if global.json {
            out.push_str(&format!("{{\"head\":{}}}\n", json_string(&name)));
        } else {
            out.push_str(&name);
            out.push('\n');
        }
    }
    match print(&out) {
        Ok(()) => ExitCode::from(exit::OK),
        Err(code) => code,
    }
}

pub(crate) fn show(path: &Path, global: &Global, version: &str) -> ExitCode {
    let (_dir, migrations) = match open(path) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let m = match find(&migrations, version) {
        Ok(i) => &migrations[i],
        Err(err) => return runner_fail(err),
    };
    if global.json {
        let text = format!(
            "{}\n",
            serde_json::json!({
                "migration": m.name,
                "version": m.version,
                "parent": m.parent,
                "file": m.up_path.display().to_string(),
                "checksum": runner::script::hex(&m.checksum()),
                "up": m.up,
                "down": m.down,
            })
        );
        return match print(&text) {
            Ok(()) => ExitCode::from(exit::OK),
            Err(code) => code,
        };
    }
    let text = format!(
        "migration: {}\nparent: {}\nfile: {}\nchecksum: {}\n\n{}",
        m.name,
        m.parent.as_deref().unwrap_or(if m.has_snapshot {
            "none (first migration)"
        } else {
            "none (hand-written, no snapshot: see `adopt`)"
        }),
        m.up_path.display(),
        runner::script::hex(&m.checksum()),
        m.up
    );
    match print(&text) {
        Ok(()) => ExitCode::from(exit::OK),
        Err(code) => code,
    }
}

pub(crate) fn stamp(path: &Path, global: &Global, target: &str) -> ExitCode {
    let (_dir, migrations) = match open(path) {
        Ok(x) => x,
        Err(code) => return code,
    };
    runtime().block_on(async {
        let backend = match connect(global).await {
            Ok(b) => b,
            Err(code) => return code,
        };
        let mut runner = Runner::new(backend, &migrations, path.display().to_string());
        if let Err(err) = runner.stamp(target).await {
            return runner_fail(err);
        }
        match current_name(&mut runner, &migrations).await {
            Ok(at) => {
                let text = if global.quiet {
                    String::new()
                } else if global.json {
                    format!(
                        "{{\"event\":\"stamped\",\"current\":{}}}\n",
                        at.as_deref().map_or("null".into(), json_string)
                    )
                } else {
                    format!(
                        "Stamped: the database is recorded at {}.\n",
                        at.unwrap_or_else(|| "base".into())
                    )
                };
                match print(&text) {
                    Ok(()) => ExitCode::from(exit::OK),
                    Err(code) => code,
                }
            }
            Err(err) => runner_fail(err),
        }
    })
}
