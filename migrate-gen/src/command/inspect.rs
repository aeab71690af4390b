//! `drift` and `verify`: live databases compared with the snapshots.

use std::path::Path;

use model_core::diff::DiffOptions;
use model_core::migration::MigrationDir;
use model_core::operation::Operation;
use model_core::plan::plan;
use model_core::runner::{Database, DownTarget, MigrationScript, Runner, RunnerError, UpTarget};
use model_core::schema::Schema;

use super::{fail, Failure, Outcome};
use crate::exit;
use crate::options::Global;
use crate::project::{connected, open, runner_fail, runtime, same_dialect, url};
use crate::scratch::Scratch;

const LOOSE: DiffOptions = DiffOptions {
    allow_destructive: true,
    loose_expressions: true,
};

/// How a difference reads: what the database has compared with the snapshot.
pub(crate) fn describe(op: &Operation) -> String {
    use Operation::*;
    let kind = match op {
        CreateTable { .. }
        | AddColumn { .. }
        | CreateIndex { .. }
        | AddUnique { .. }
        | AddCheck { .. }
        | AddForeignKey { .. }
        | AddPrimaryKey { .. }
        | CreateEnum { .. }
        | AddEnumValue { .. }
        | CreateExtension { .. } => "added",
        DropTable { .. }
        | DropColumn { .. }
        | DropIndex { .. }
        | DropUnique { .. }
        | DropCheck { .. }
        | DropForeignKey { .. }
        | DropPrimaryKey { .. }
        | DropEnum { .. } => "removed",
        _ => "changed",
    };
    let what = match op {
        CreateTable { table } | DropTable { table } => format!("table {}", table.name),
        AddColumn { table, column, .. } | DropColumn { table, column } => {
            format!("column {table}.{}", column.name)
        }
        CreateIndex { table, index } | DropIndex { table, index } => {
            format!("index {} on {table}", index.name)
        }
        AddUnique { table, unique } | DropUnique { table, unique } => {
            format!("unique constraint {} on {table}", unique.name)
        }
        AddCheck { table, check } | DropCheck { table, check } => {
            format!("check {} on {table}", check.name)
        }
        AddForeignKey { table, foreign_key } | DropForeignKey { table, foreign_key } => {
            format!("foreign key {} on {table}", foreign_key.name)
        }
        AddPrimaryKey { table, key } | DropPrimaryKey { table, key } => {
            format!("primary key {} on {table}", key.name)
        }
        CreateEnum { definition } | DropEnum { definition } => format!("enum {}", definition.name),
        AlterColumnType { table, column, .. } => format!("type of {table}.{column}"),
        SetNotNull { table, column, .. } | DropNotNull { table, column } => {
            format!("nullability of {table}.{column}")
        }
        AlterDefault { table, column, .. } => format!("default of {table}.{column}"),
        _ => op.summary(),
    };
    format!("{kind}: {what}")
}

async fn live_schema(database: &mut Database) -> Result<Schema, Failure> {
    database.introspect().await.map_err(runner_fail)
}

pub(crate) fn snapshot_at(dir: &MigrationDir, index: Option<usize>) -> Result<Schema, Failure> {
    match index {
        None => Ok(Schema::new()),
        Some(i) => dir.migrations()[i]
            .snapshot()
            .map(|s| s.schema)
            .map_err(|e| fail(exit::DIRECTORY, e)),
    }
}

/// What `verify` compares with after migration `index` (`None`: base): its snapshot, or
/// nothing for a hand-written migration without one (its steps are applied, not compared).
fn expected_at(dir: &MigrationDir, index: Option<usize>) -> Result<Option<Schema>, Failure> {
    match index {
        Some(i) if !dir.migrations()[i].has_snapshot => Ok(None),
        _ => snapshot_at(dir, index).map(Some),
    }
}

pub(crate) fn drift(path: &Path, global: &Global) -> Outcome {
    let (dir, migrations) = open(global, path)?;
    runtime().block_on(async {
        let (mut runner, status) = connected(path, global, &migrations).await?;
        let expected = snapshot_at(&dir, status.current)?;
        let live = live_schema(runner.backend()).await?;
        let at = status
            .current
            .map(|i| migrations[i].name.clone())
            .unwrap_or_else(|| "base".into());
        // As the database stores it (SQLite: enum columns as text with a CHECK).
        let dialect = runner.backend().dialect();
        let expected = dialect.equivalence().stored(&expected);
        let plan = match plan(dialect, &expected, &live, LOOSE) {
            Ok(p) => p,
            Err(err) => return Err(fail(exit::STATE, err)),
        };
        let differences: Vec<String> = plan.operations().iter().map(describe).collect();
        let json = serde_json::json!({ "current": at, "drift": differences });
        if differences.is_empty() {
            global.reporter().event(
                &format!("No drift: the database matches the snapshot of {at}.\n"),
                json,
            )?;
            return Ok(exit::OK);
        }
        let listed: Vec<String> = differences.iter().map(|d| format!("  {d}")).collect();
        global.reporter().answer(
            &format!(
                "The database differs from the snapshot of {at}:\n{}\n",
                listed.join("\n")
            ),
            json,
        )?;
        Ok(exit::DIFFERENCES)
    })
}

/// Compares the scratch database with a snapshot; `Err` carries the message.
async fn compare(
    backend: &mut Database,
    expected: &Schema,
    stage: &str,
) -> Result<(), Result<String, Failure>> {
    let live = live_schema(backend).await.map_err(Err)?;
    let expected = backend.dialect().equivalence().stored(expected);
    let plan =
        plan(backend.dialect(), &expected, &live, LOOSE).map_err(|e| Err(fail(exit::STATE, e)))?;
    if plan.is_empty() {
        return Ok(());
    }
    Err(Ok(format!(
        "{stage}, the database differs from the snapshot:\n{}",
        plan.operations()
            .iter()
            .map(|op| format!("  {}", describe(op)))
            .collect::<Vec<_>>()
            .join("\n")
    )))
}

pub(crate) fn verify(path: &Path, global: &Global) -> Outcome {
    let (dir, migrations) = open(global, path)?;
    let url = match url(global) {
        Ok(u) => u.to_owned(),
        Err(failure) => return Err(failure),
    };
    runtime().block_on(async {
        if let Some(dialect) = Database::dialect_of(&url) {
            same_dialect(&dir, dialect)?;
        }
        let scratch = Scratch::create(&url, "verify").await?;
        let result = match scratch.connect(global).await {
            Ok(database) => verify_in(&dir, &migrations, database, global, path).await,
            Err(failure) => Err(Err(failure)),
        };
        scratch.drop().await;
        match result {
            Ok(()) => {
                let human = {
                    let unsnapshotted = dir.unsnapshotted().len();
                    format!(
                        "Verified {} migration{}: every step up and down matches its snapshot{}.\n",
                        migrations.len(),
                        if migrations.len() == 1 { "" } else { "s" },
                        if unsnapshotted == 0 {
                            String::new()
                        } else {
                            format!(
                                " ({unsnapshotted} without a snapshot applied and reverted, not compared)"
                            )
                        }
                    )
                };
                global.reporter().event(
                    &human,
                    serde_json::json!({ "verified": migrations.len() }),
                )?;
                Ok(exit::OK)
            }
            Err(Ok(message)) => {
                global.reporter().answer(
                    &format!("{message}\n"),
                    serde_json::json!({ "verified": false, "error": message }),
                )?;
                Ok(exit::DIFFERENCES)
            }
            Err(Err(failure)) => Err(failure),
        }
    })
}

async fn verify_in(
    dir: &MigrationDir,
    migrations: &[MigrationScript],
    backend: Database,
    global: &Global,
    path: &Path,
) -> Result<(), Result<String, Failure>> {
    let mut runner = Runner::new(backend, migrations, path.display().to_string());
    let reporter = global.reporter();
    let say = |line: String| {
        if !reporter.json() {
            // Progress that cannot be written is not worth failing the verification for.
            let _ = reporter.event(&format!("{line}\n"), serde_json::Value::Null);
        }
    };
    let step = |e: RunnerError| match e {
        RunnerError::Statement { .. } => Ok(e.to_string().replace("\n  ", "; ")),
        other => Err(runner_fail(other)),
    };
    for (i, m) in migrations.iter().enumerate() {
        runner
            .upgrade(&UpTarget::Steps(1), |_| {})
            .await
            .map_err(step)?;
        match expected_at(dir, Some(i)).map_err(Err)? {
            Some(expected) => {
                compare(
                    runner.backend(),
                    &expected,
                    &format!("after applying {}", m.name),
                )
                .await?;
                say(format!("up   {} ok", m.name));
            }
            None => say(format!("up   {} applied (no snapshot to compare)", m.name)),
        }
    }
    for i in (0..migrations.len()).rev() {
        runner
            .downgrade(&DownTarget::Steps(1), |_| {})
            .await
            .map_err(step)?;
        match expected_at(dir, i.checked_sub(1)).map_err(Err)? {
            Some(expected) => {
                compare(
                    runner.backend(),
                    &expected,
                    &format!("after reverting {}", migrations[i].name),
                )
                .await?;
                say(format!("down {} ok", migrations[i].name));
            }
            None => say(format!(
                "down {} reverted (no snapshot to compare)",
                migrations[i].name
            )),
        }
    }
    runner
        .upgrade(&UpTarget::Head, |_| {})
        .await
        .map_err(step)?;
    if let Some(expected) = expected_at(dir, migrations.len().checked_sub(1)).map_err(Err)? {
        compare(runner.backend(), &expected, "after upgrading again to head").await?;
    }
    say("up again to head ok".into());
    Ok(())
}
