//! `upgrade`, `current` and `drift` over many targets: the databases of a file of URLs, or
//! the schemas of one database whose names match a pattern (a database or a schema per
//! tenant). Targets run `--jobs` at a time, each under its own lock; `--canary N` runs the
//! first N first and stops if one fails; a failure stops launching new targets unless
//! `--keep-going`. One progress line per target on stderr, one summary table at the end (or
//! one JSON object per target). A rerun does only what is left: each target applies only its
//! pending migrations.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use model_core::migration::MigrationDir;
use model_core::plan::plan;
use model_core::runner::{mask_password, Database, MigrationScript, UpTarget};

use super::{fail, Failure, Outcome};
use crate::exit;
use crate::options::Global;
use crate::project::{connected, open, runner_fail, runtime};

/// The options that turn `upgrade`, `current` and `drift` into a run over many targets.
#[derive(Args, Debug, Clone, Default)]
pub(crate) struct FleetArgs {
    /// Run on every target listed in FILE instead of one database: a database URL per line,
    /// optionally followed by a PostgreSQL schema; blank lines and `#` comments are skipped.
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,
    /// Run on every schema of the database whose name matches this SQL LIKE pattern
    /// (`tenant_%`), each as a target of its own (PostgreSQL).
    #[arg(long, value_name = "PATTERN", conflicts_with_all = ["targets", "schema"])]
    pub schemas: Option<String>,
    /// How many targets run at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
    /// Run the first N targets first, and stop before the others if one of them fails.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub canary: usize,
    /// Go on with the other targets after one fails (otherwise no new target starts).
    #[arg(long)]
    pub keep_going: bool,
}

impl FleetArgs {
    /// Whether a run over many targets was asked for.
    pub(crate) fn is_set(&self) -> bool {
        self.targets.is_some() || self.schemas.is_some()
    }
}

/// What runs on each target.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Upgrade(UpTarget),
    Current,
    Drift,
}

#[derive(Debug, Clone)]
struct Target {
    url: String,
    schema: Option<String>,
}

impl Target {
    fn label(&self) -> String {
        match &self.schema {
            Some(schema) => format!("{} schema {schema}", mask_password(&self.url)),
            None => mask_password(&self.url),
        }
    }
}

/// How one target went.
#[derive(Debug, Clone, Default)]
struct Report {
    before: Option<String>,
    after: Option<String>,
    applied: usize,
    pending: usize,
    drift: Vec<String>,
}

enum Result1 {
    Done(Report, Duration),
    Failed(Failure, Duration),
    Skipped,
}

fn targets(global: &Global, args: &FleetArgs) -> Result<Vec<Target>, Failure> {
    if let Some(file) = &args.targets {
        let text = std::fs::read_to_string(file).map_err(|err| {
            fail(
                exit::USAGE,
                format!("cannot read the targets file {}: {err}", file.display()),
            )
        })?;
        let mut out = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let mut words = line.split_whitespace();
            let url = words.next().unwrap_or_default().to_owned();
            let schema = words.next().map(str::to_owned);
            if words.next().is_some() || Database::dialect_of(&url).is_none() {
                return Err(fail(
                    exit::USAGE,
                    format!(
                        "{}:{}: expected a database URL, optionally followed by a schema",
                        file.display(),
                        n + 1
                    ),
                ));
            }
            out.push(Target {
                url,
                schema: schema.or_else(|| global.schema.clone()),
            });
        }
        return Ok(out);
    }
    let pattern = args.schemas.as_deref().unwrap_or("%");
    let url = crate::project::url(global)?.to_owned();
    let schemas: Vec<String> = runtime().block_on(async {
        let mut database = Database::connect(&url).await.map_err(runner_fail)?;
        let Database::Postgres(pg) = &mut database else {
            return Err(fail(
                exit::UNSUPPORTED,
                "--schemas lists the schemas of a PostgreSQL database",
            ));
        };
        sqlx::query_scalar(
            "SELECT nspname::text FROM pg_namespace WHERE nspname LIKE $1 \
             AND nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY nspname",
        )
        .bind(pattern)
        .fetch_all(pg.connection())
        .await
        .map_err(|e| runner_fail(e.into()))
    })?;
    Ok(schemas
        .into_iter()
        .map(|schema| Target {
            url: url.clone(),
            schema: Some(schema),
        })
        .collect())
}

/// Runs `kind` on one target.
async fn one(
    kind: Kind,
    target: Target,
    global: Global,
    path: PathBuf,
    dir: Arc<MigrationDir>,
    migrations: Arc<Vec<MigrationScript>>,
) -> Result<Report, Failure> {
    let mut global = global;
    global.database_url = Some(target.url.clone());
    global.schema = target.schema.clone();
    global.create_schema = matches!(kind, Kind::Upgrade(_));
    let (mut runner, status) = connected(&path, &global, &migrations).await?;
    let name = |i: Option<usize>| i.map(|i| migrations[i].name.clone());
    let pending = |applied: usize| migrations.len().saturating_sub(applied);
    let mut report = Report {
        before: name(status.current),
        after: name(status.current),
        pending: pending(status.applied.len()),
        ..Report::default()
    };
    match kind {
        Kind::Current => {}
        Kind::Upgrade(up) => {
            report.applied = runner.upgrade(&up, |_| {}).await.map_err(runner_fail)?;
            let status = runner.status().await.map_err(runner_fail)?;
            report.after = name(status.current);
            report.pending = pending(status.applied.len());
        }
        Kind::Drift => {
            let expected = super::inspect::snapshot_at(&dir, status.current)?;
            let live = runner.backend().introspect().await.map_err(runner_fail)?;
            let dialect = runner.backend().dialect();
            let expected = dialect.equivalence().stored(&expected);
            let differences = plan(
                dialect,
                &expected,
                &live,
                model_core::diff::DiffOptions {
                    allow_destructive: true,
                    loose_expressions: true,
                },
            )
            .map_err(|err| fail(exit::STATE, err))?;
            report.drift = differences
                .operations()
                .iter()
                .map(super::inspect::describe)
                .collect();
        }
    }
    Ok(report)
}

pub(crate) fn run(kind: Kind, path: &Path, global: &Global, args: &FleetArgs) -> Outcome {
    let (dir, migrations) = open(global, path)?;
    let targets = targets(global, args)?;
    if targets.is_empty() {
        return Err(fail(
            exit::USAGE,
            "no targets: the file or the pattern names none",
        ));
    }
    let dir = Arc::new(dir);
    let migrations = Arc::new(migrations);
    let total = targets.len();
    let started = Instant::now();
    // Tasks on this thread: the targets wait on their databases, not on the CPU.
    let local = tokio::task::LocalSet::new();
    let results: Vec<Result1> = runtime().block_on(local.run_until(async {
        let mut results: Vec<Option<Result1>> = (0..total).map(|_| None).collect();
        let mut done = 0usize;
        let canaries = args.canary.min(total);
        let mut stopped = false;
        for (from, to, stop_on_failure) in
            [(0, canaries, true), (canaries, total, !args.keep_going)]
        {
            if stopped {
                break;
            }
            let mut next = from;
            let mut running = tokio::task::JoinSet::new();
            loop {
                while !stopped && next < to && running.len() < usize::from(args.jobs) {
                    let i = next;
                    next += 1;
                    let task = one(
                        kind.clone(),
                        targets[i].clone(),
                        global.clone(),
                        path.to_owned(),
                        dir.clone(),
                        migrations.clone(),
                    );
                    running.spawn_local(async move {
                        let start = Instant::now();
                        let result = task.await;
                        (i, result, start.elapsed())
                    });
                }
                let Some(joined) = running.join_next().await else {
                    break;
                };
                let (i, result, elapsed) = joined.expect("a target's task does not panic");
                done += 1;
                let line = match &result {
                    Ok(report) => describe(&kind, report),
                    Err(failure) => format!("failed: {}", failure.message),
                };
                global
                    .reporter()
                    .note(&format!("[{done}/{total}] {}: {line}", targets[i].label()));
                results[i] = Some(match result {
                    Ok(report) => Result1::Done(report, elapsed),
                    Err(failure) => {
                        if stop_on_failure {
                            stopped = true;
                        }
                        Result1::Failed(failure, elapsed)
                    }
                });
            }
        }
        results
            .into_iter()
            .map(|r| r.unwrap_or(Result1::Skipped))
            .collect()
    }));
    summary(&kind, &targets, &results, started.elapsed(), global)
}

fn describe(kind: &Kind, report: &Report) -> String {
    let at = report.after.as_deref().unwrap_or("base");
    match kind {
        Kind::Upgrade(_) => format!("{} applied, at {at}", report.applied),
        Kind::Current if report.pending == 0 => format!("{at} (head)"),
        Kind::Current => format!("{at} ({} pending)", report.pending),
        Kind::Drift if report.drift.is_empty() => format!("no drift at {at}"),
        Kind::Drift => format!("{} differences at {at}", report.drift.len()),
    }
}

fn summary(
    kind: &Kind,
    targets: &[Target],
    results: &[Result1],
    elapsed: Duration,
    global: &Global,
) -> Outcome {
    let (mut ok, mut failed, mut skipped, mut drifted) = (0, 0, 0, 0);
    let mut human = String::from("| target | result | time |\n|---|---|---|\n");
    let mut json = Vec::new();
    for (target, result) in targets.iter().zip(results) {
        let (text, object) = match result {
            Result1::Done(report, time) => {
                ok += 1;
                if !report.drift.is_empty() {
                    drifted += 1;
                }
                (
                    format!("{} | {:.1?}", describe(kind, report), time),
                    serde_json::json!({
                        "result": if report.drift.is_empty() { "ok" } else { "drift" },
                        "before": report.before, "after": report.after,
                        "applied": report.applied, "pending": report.pending,
                        "drift": report.drift, "ms": time.as_millis() as u64,
                    }),
                )
            }
            Result1::Failed(failure, time) => {
                failed += 1;
                (
                    format!("failed: {} | {:.1?}", failure.message, time),
                    serde_json::json!({
                        "result": "failed", "error": failure.message, "exit": failure.code,
                        "ms": time.as_millis() as u64,
                    }),
                )
            }
            Result1::Skipped => {
                skipped += 1;
                (
                    "skipped (an earlier target failed) | -".to_owned(),
                    serde_json::json!({ "result": "skipped" }),
                )
            }
        };
        human.push_str(&format!("| {} | {text} |\n", target.label()));
        let mut object = object;
        object["target"] = serde_json::Value::String(mask_password(&target.url));
        object["schema"] = serde_json::json!(target.schema);
        json.push(object);
    }
    human.push_str(&format!(
        "\n{} targets in {:.1?}: {ok} ok{}, {failed} failed, {skipped} skipped\n",
        targets.len(),
        elapsed,
        if matches!(kind, Kind::Drift) {
            format!(" ({drifted} with drift)")
        } else {
            String::new()
        },
    ));
    json.push(serde_json::json!({
        "summary": { "targets": targets.len(), "ok": ok, "failed": failed,
                     "skipped": skipped, "drift": drifted, "ms": elapsed.as_millis() as u64 }
    }));
    global.reporter().answer_lines(&human, json)?;
    Ok(if failed + skipped > 0 {
        exit::MIGRATION_FAILED
    } else if drifted > 0 {
        exit::DIFFERENCES
    } else {
        exit::OK
    })
}
