//! Commands that read or change where a database stands: `upgrade`, `downgrade`, `current`,
//! `history`, `heads`, `show`, `stamp`.

use std::path::Path;

use model_core::migration::MigrationDir;

use model_core::runner::{
    self, find, offline, Database, Direction, DownTarget, Event, MigrationScript, Runner,
    RunnerError, UpTarget,
};

use super::{fail, print, Failure, Outcome};
use crate::exit;
use crate::options::Global;
use crate::project::{connect, connected, open, runner_fail, runtime, same_dialect};

/// Progress lines for `upgrade`/`downgrade` (JSON: one event per finished migration).
fn progress(global: &Global) -> impl FnMut(Event<'_>) + '_ {
    let reporter = global.reporter();
    move |event| {
        let up = |d: &Direction| *d == Direction::Up;
        // Progress that cannot be written is not worth stopping a migration for.
        let _ =
            match &event {
                Event::Start(m, d) if !reporter.json() => reporter.event(
                    &format!(
                        "{} {} ...\n",
                        if up(d) { "Applying" } else { "Reverting" },
                        m.name
                    ),
                    serde_json::Value::Null,
                ),
                Event::Start(..) => Ok(()),
                Event::Resume(m, d, ran) if !reporter.json() => {
                    reporter.event(
                        &format!(
                    "{} {} from statement {} (it stopped half-way; statements 1 to {ran} ran) \
                     ...\n",
                    if up(d) { "Resuming" } else { "Resuming the revert of" },
                    m.name,
                    ran + 1
                ),
                        serde_json::Value::Null,
                    )
                }
                Event::Resume(..) => Ok(()),
                Event::Done(m, d, took) => reporter.event(
                    &format!(
                        "{} {} in {} ms\n",
                        if up(d) { "Applied" } else { "Reverted" },
                        m.name,
                        took.as_millis()
                    ),
                    serde_json::json!({
                        "event": if up(d) { "applied" } else { "reverted" },
                        "version": m.version,
                        "name": m.name,
                        "ms": took.as_millis() as u64,
                    }),
                ),
            };
    }
}

async fn current_name(
    runner: &mut Runner<'_, Database>,
    migrations: &[MigrationScript],
) -> Result<Option<String>, RunnerError> {
    let status = runner.status().await?;
    Ok(status.current.map(|i| migrations[i].name.clone()))
}

fn finish(
    global: &Global,
    at: Option<String>,
    count: usize,
    migrations: &[MigrationScript],
) -> Outcome {
    let head = migrations.last().map(|m| m.name.clone());
    let at_text = at
        .clone()
        .unwrap_or_else(|| "base (no migration applied)".into());
    let suffix = if at.is_some() && at == head {
        " (head)"
    } else {
        ""
    };
    let human = if count == 0 {
        format!("Nothing to do: the database is at {at_text}{suffix}.\n")
    } else {
        format!("The database is at {at_text}{suffix}.\n")
    };
    global.reporter().event(
        &human,
        serde_json::json!({ "event": "done", "ran": count, "current": at, "head": head }),
    )?;
    Ok(exit::OK)
}

enum Move {
    Up(UpTarget),
    Down(DownTarget),
}

/// Connects, moves the database, and reports where it ends up.
fn migrate(
    dir: &MigrationDir,
    path: &Path,
    global: &Global,
    migrations: &[MigrationScript],
    how: Move,
) -> Outcome {
    runtime().block_on(async {
        let backend = connect(global).await?;
        same_dialect(dir, backend.dialect())?;
        let mut runner = Runner::new(backend, migrations, path.display().to_string());
        let ran = match &how {
            Move::Up(target) => runner.upgrade(target, progress(global)).await,
            Move::Down(target) => runner.downgrade(target, progress(global)).await,
        };
        let count = match ran {
            Ok(n) => n,
            Err(err) => return Err(runner_fail(err)),
        };
        match current_name(&mut runner, migrations).await {
            Ok(at) => finish(global, at, count, migrations),
            Err(err) => Err(runner_fail(err)),
        }
    })
}

/// The index just past migration `text` (a version or prefix), for `--sql` ranges.
fn after(migrations: &[MigrationScript], text: &str) -> Result<usize, Failure> {
    find(migrations, text).map(|i| i + 1).map_err(runner_fail)
}

/// An offline range whose target lies the other way from `--from`: a usage error naming the
/// command that goes there, as the online commands do.
fn wrong_direction(target: &MigrationScript, from: &str, direction: Direction) -> Failure {
    let (side, going, other) = match direction {
        Direction::Up => ("below", "upgrading goes up", "downgrade"),
        Direction::Down => ("above", "downgrading goes down", "upgrade"),
    };
    fail(
        exit::USAGE,
        format!(
            "{} is {side} --from {from}: {going}; use `{other} --sql {} --from {from}`",
            target.name, target.version
        ),
    )
}

/// Prints the offline SQL of `chosen`, as the directory's database writes it: the dialect its
/// snapshots record, or for hand-written migrations the database URL's, if one is given.
fn print_offline(
    dir: &MigrationDir,
    global: &Global,
    chosen: &[&MigrationScript],
    direction: Direction,
) -> Outcome {
    let generated = dir.migrations().iter().any(|m| m.has_snapshot);
    let dialect = match global
        .database_url
        .as_deref()
        .and_then(Database::dialect_of)
    {
        Some(dialect) if !generated => dialect,
        _ => dir.dialect(),
    };
    print(&offline(dialect).offline_sql(chosen, direction)).map(|()| exit::OK)
}

pub(crate) fn upgrade(
    path: &Path,
    global: &Global,
    target: &str,
    sql: bool,
    from: Option<&str>,
    expand: bool,
) -> Outcome {
    // A malformed target is a usage error, whatever the directory holds.
    let target = match UpTarget::parse(target) {
        Ok(UpTarget::Head) if expand => UpTarget::Expand,
        Ok(_) if expand => {
            return Err(fail(
                exit::USAGE,
                "--phase expand applies every pending migration before the first contract one; it takes no other target",
            ))
        }
        Ok(t) => t,
        Err(err) => return Err(runner_fail(err)),
    };
    let (dir, migrations) = open(global, path)?;
    if sql {
        let start = match from {
            None | Some("base") => 0,
            Some(v) => after(&migrations, v)?,
        };
        let end = match &target {
            UpTarget::Head => migrations.len(),
            UpTarget::Steps(n) => (start + n).min(migrations.len()),
            UpTarget::Version(v) => after(&migrations, v)?,
            UpTarget::Expand => {
                start
                    + migrations[start..]
                        .iter()
                        .take_while(|m| !m.is_contract())
                        .count()
            }
        };
        if end < start {
            let target = &migrations[end - 1];
            return Err(wrong_direction(
                target,
                from.unwrap_or("base"),
                Direction::Up,
            ));
        }
        let chosen: Vec<&MigrationScript> = migrations[start..end].iter().collect();
        return print_offline(&dir, global, &chosen, Direction::Up);
    }
    migrate(&dir, path, global, &migrations, Move::Up(target))
}

pub(crate) fn downgrade(
    path: &Path,
    global: &Global,
    target: &str,
    sql: bool,
    from: Option<&str>,
) -> Outcome {
    // A malformed target is a usage error, whatever the directory holds.
    let target = match DownTarget::parse(target) {
        Ok(t) => t,
        Err(err) => return Err(runner_fail(err)),
    };
    let (dir, migrations) = open(global, path)?;
    if sql {
        let top = match from {
            None | Some("head") => migrations.len(),
            Some("base") => 0,
            Some(v) => after(&migrations, v)?,
        };
        let bottom = match &target {
            DownTarget::Base => 0,
            DownTarget::Steps(n) => top.saturating_sub(*n),
            DownTarget::Version(v) => after(&migrations, v)?,
        };
        if bottom > top {
            let target = &migrations[bottom - 1];
            return Err(wrong_direction(
                target,
                from.unwrap_or("head"),
                Direction::Down,
            ));
        }
        let chosen: Vec<&MigrationScript> = migrations[bottom..top].iter().rev().collect();
        return print_offline(&dir, global, &chosen, Direction::Down);
    }
    migrate(&dir, path, global, &migrations, Move::Down(target))
}

pub(crate) fn current(path: &Path, global: &Global) -> Outcome {
    let (_dir, migrations) = open(global, path)?;
    runtime().block_on(async {
        let status = match connected(path, global, &migrations).await {
            Ok((_, status)) => status,
            Err(failure) => return Err(failure),
        };
        let at = status.current.map(|i| migrations[i].name.clone());
        // A migration that stopped half-way in its up is still pending.
        let half_applied = status
            .partial
            .as_ref()
            .is_some_and(|(_, p)| p.direction == Direction::Up);
        let pending = migrations.len() - status.applied.len() + usize::from(half_applied);
        let head = migrations.last().map(|m| m.name.clone());
        let mut human = match (&at, pending) {
            (None, 0) => "base (the directory has no migrations)\n".to_owned(),
            (None, n) => format!("base (no migration applied; {n} pending)\n"),
            (Some(name), 0) => format!("{name} (head)\n"),
            (Some(name), n) => format!("{name} ({n} pending)\n"),
        };
        // Between the phases of an expand/contract change.
        let next = (0..migrations.len()).find(|i| {
            !status
                .applied
                .iter()
                .any(|a| a.version == migrations[*i].version)
        });
        let between = next.filter(|i| migrations[*i].is_contract() && status.current.is_some());
        if let Some(i) = between {
            human.push_str(&format!(
                "between phases: the expand migrations are applied; {} waits until no instance of the previous version of the application runs (`upgrade` applies it)\n",
                migrations[i].name
            ));
        }
        let mut partial = serde_json::Value::Null;
        if let Some((i, p)) = &status.partial {
            let name = &migrations[*i].name;
            let (script, then) = match p.direction {
                Direction::Up => (
                    "up",
                    "`upgrade` continues from the next statement (edit the file first if that \
                     statement failed); `downgrade` reverts the statements that ran",
                ),
                Direction::Down => ("down", "`downgrade` continues from the next statement"),
            };
            human.push_str(&format!(
                "{name} stopped half-way: statements 1 to {} of its {script} ran; {then}\n",
                p.statements
            ));
            partial = serde_json::json!({
                "name": name,
                "version": p.version,
                "direction": script,
                "statements": p.statements,
                "hash": p.cumulative,
            });
        }
        global.reporter().event(
            &human,
            serde_json::json!({
                "current": at, "head": head, "pending": pending, "partial": partial,
                "contract_pending": between.map(|i| migrations[i].name.clone())
            }),
        )?;
        Ok(exit::OK)
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

pub(crate) fn history(path: &Path, global: &Global, verbose: bool) -> Outcome {
    let (_dir, migrations) = open(global, path)?;
    let applied = if global.database_url.is_some() {
        let result = runtime().block_on(async {
            connected(path, global, &migrations)
                .await
                .map(|(_, status)| status)
        });
        match result {
            Ok(status) => Some(status.applied),
            Err(failure) => return Err(failure),
        }
    } else {
        None
    };
    let mut human = String::new();
    let mut json = Vec::new();
    for m in &migrations {
        let row = applied
            .as_ref()
            .and_then(|rows| rows.iter().find(|a| a.version == m.version));
        let mut object = serde_json::json!({
            "version": m.version,
            "name": m.name,
            "parent": m.parent,
            "applied": match (&applied, row) {
                (None, _) => serde_json::Value::Null,
                (Some(_), Some(r)) => serde_json::Value::String(r.installed_on.clone()),
                (Some(_), None) => serde_json::Value::Bool(false),
            },
        });
        let mark = match (&applied, row) {
            (None, _) => String::new(),
            (Some(_), Some(r)) => format!("  applied {}", r.installed_on),
            (Some(_), None) => "  pending".to_owned(),
        };
        human.push_str(&format!("{}{mark}\n", m.name));
        if verbose {
            let operations = header_operations(&m.up);
            let parent = m
                .parent
                .as_deref()
                .and_then(|p| migrations.iter().find(|x| x.version.to_string() == p))
                .map(|p| p.name.clone())
                .or_else(|| m.parent.clone())
                .unwrap_or_else(|| "none (first migration)".into());
            human.push_str(&format!("  parent: {parent}\n"));
            if operations.is_empty() {
                human.push_str("  operations: none listed (hand-written SQL)\n");
            } else {
                human.push_str("  operations:\n");
                for op in &operations {
                    human.push_str(&format!("    {op}\n"));
                }
            }
            human.push('\n');
            object["operations"] = operations.into();
        }
        json.push(object);
    }
    global.reporter().answer_lines(&human, json)?;
    Ok(exit::OK)
}

pub(crate) fn heads(path: &Path, global: &Global) -> Outcome {
    let dir = crate::project::existing_directory(global, path)?;
    let names: Vec<String> = dir
        .heads()
        .into_iter()
        .map(|version| {
            dir.migrations()
                .iter()
                .find(|m| m.version == version)
                .map(|m| format!("{}_{}", m.version, m.slug))
                .unwrap_or(version)
        })
        .collect();
    let human: String = names.iter().map(|n| format!("{n}\n")).collect();
    global.reporter().answer_lines(
        &human,
        names.iter().map(|n| serde_json::json!({ "head": n })),
    )?;
    Ok(exit::OK)
}

pub(crate) fn show(path: &Path, global: &Global, version: &str) -> Outcome {
    let (_dir, migrations) = open(global, path)?;
    let m = match find(&migrations, version) {
        Ok(i) => &migrations[i],
        Err(err) => return Err(runner_fail(err)),
    };
    let human = format!(
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
    global.reporter().answer(
        &human,
        serde_json::json!({
            "migration": m.name,
            "version": m.version,
            "parent": m.parent,
            "file": m.up_path.display().to_string(),
            "checksum": runner::script::hex(&m.checksum()),
            "up": m.up,
            "down": m.down,
        }),
    )?;
    Ok(exit::OK)
}

pub(crate) fn stamp(path: &Path, global: &Global, target: &str) -> Outcome {
    let (dir, migrations) = open(global, path)?;
    runtime().block_on(async {
        let backend = connect(global).await?;
        same_dialect(&dir, backend.dialect())?;
        let mut runner = Runner::new(backend, &migrations, path.display().to_string());
        if let Err(err) = runner.stamp(target).await {
            return Err(runner_fail(err));
        }
        match current_name(&mut runner, &migrations).await {
            Ok(at) => {
                global.reporter().event(
                    &format!(
                        "Stamped: the database is recorded at {}.\n",
                        at.as_deref().unwrap_or("base")
                    ),
                    serde_json::json!({ "event": "stamped", "current": at }),
                )?;
                Ok(exit::OK)
            }
            Err(err) => Err(runner_fail(err)),
        }
    })
}
