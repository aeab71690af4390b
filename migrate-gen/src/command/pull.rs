//! `pull` and `baseline`: adopting a database that already exists. `pull` writes Rust models
//! for its tables; `baseline` writes the first migration for the models and records the
//! database as being at it, without running anything.

use std::path::Path;

use model_core::dialect::Dialect;
use model_core::generate::{new_migrations, GenerateError, Request};
use model_core::operation::Operation;
use model_core::plan::plan;
use model_core::runner::{load, mask_password, Database, Runner, RunnerError};

use super::{fail, Failure, Outcome};
use crate::exit;
use crate::options::Global;
use crate::project::{connect, directory, models, runner_fail, runtime, url};

/// A SQLite URL's file, when it names one (not `:memory:`).
fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// Reading a SQLite file that is not there would create an empty one.
fn existing_sqlite(url: &str) -> Result<(), Failure> {
    match sqlite_file(url) {
        Some(file) if !Path::new(file).exists() => Err(fail(
            exit::CONNECT,
            format!(
                "{}: the SQLite file {file} does not exist",
                mask_password(url)
            ),
        )),
        _ => Ok(()),
    }
}

pub(crate) fn pull(global: &Global, out: Option<&Path>, force: bool) -> Outcome {
    let url = url(global)?.to_owned();
    existing_sqlite(&url)?;
    if let Some(out) = out {
        let occupied = std::fs::metadata(out).is_ok_and(|m| m.len() > 0 || m.is_dir());
        if occupied && !force {
            return Err(fail(
                exit::USAGE,
                format!(
                    "{} exists: pass --force to replace it, or choose another --out",
                    out.display()
                ),
            ));
        }
    }
    let (schema, extras, dialect) = runtime().block_on(async {
        let mut database = match Database::connect(&url).await {
            Ok(database) => database,
            // Creating it would only give an empty database to pull from.
            Err(RunnerError::NoDatabase { url, database }) => {
                return Err(fail(
                    exit::CONNECT,
                    format!("database {database} does not exist on {url}: pull reads an existing database; check the URL"),
                ))
            }
            Err(err) => return Err(runner_fail(err)),
        };
        crate::project::in_schema(&mut database, global).await?;
        let schema = database.introspect().await.map_err(runner_fail)?;
        let extras = database.extras().await.map_err(runner_fail)?;
        Ok::<_, Failure>((schema, extras, database.dialect()))
    })?;
    let origin = mask_password(&url);
    if schema.tables.is_empty() {
        let what = match dialect {
            Dialect::Postgres => format!(
                " in schema {}",
                global.schema.as_deref().unwrap_or("public")
            ),
            _ => String::new(),
        };
        return Err(fail(
            exit::USAGE,
            format!("{origin} has no tables{what}: nothing to pull (is it the right database?)"),
        ));
    }
    let pulled = crate::pull::write(&schema, &extras, dialect, &origin)
        .map_err(|message| fail(exit::UNSUPPORTED, message))?;
    let reporter = global.reporter();
    let summary = format!(
        "{} table{}, {} enum{}",
        pulled.tables,
        if pulled.tables == 1 { "" } else { "s" },
        pulled.enums,
        if pulled.enums == 1 { "" } else { "s" }
    );
    for note in &pulled.notes {
        reporter.note(&format!("note: not expressible as models: {note}"));
    }
    for guess in &pulled.guesses {
        reporter.note(&format!(
            "note: written with sql_type, its Rust type a guess sqlx may not decode: {guess}"
        ));
    }
    let crates: Vec<&str> = pulled.crates.iter().copied().collect();
    reporter.note(&format!(
        "note: the models use the crates {}: make sure Cargo.toml lists them (`cargo add {}`)",
        crates.join(", "),
        crates.join(" ")
    ));
    let json = serde_json::json!({
        "event": "pulled",
        "tables": pulled.tables,
        "enums": pulled.enums,
        "not_expressible": pulled.notes,
        "sql_type_guesses": pulled.guesses,
        "crates": crates,
        "file": out.map(|o| o.display().to_string()),
    });
    match out {
        None => {
            if reporter.json() {
                let mut json = json;
                json["source"] = serde_json::Value::String(pulled.source);
                reporter.answer("", json)?;
            } else {
                super::print(&pulled.source)?;
            }
        }
        Some(out) => {
            write_whole(out, &pulled.source)?;
            reporter.event(
                &format!(
                    "Wrote {} ({summary}).\nNext: declare the module (`mod {};`), build, then \
                     `migrate-gen baseline` writes the first migration and records the database \
                     as already at it.\n",
                    out.display(),
                    out.file_stem().and_then(|s| s.to_str()).unwrap_or("models")
                ),
                json,
            )?;
        }
    }
    Ok(exit::OK)
}

/// Writes `text` to `path` whole or not at all: a temporary file beside it, then a rename.
fn write_whole(path: &Path, text: &str) -> Result<(), Failure> {
    let io =
        |err: std::io::Error| fail(exit::IO, format!("cannot write {}: {err}", path.display()));
    let name = path.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
        fail(
            exit::USAGE,
            format!("{} is not a file name", path.display()),
        )
    })?;
    let temporary = path.with_file_name(format!(".{name}.pull-tmp"));
    std::fs::write(&temporary, text).map_err(io)?;
    std::fs::rename(&temporary, path).map_err(|err| {
        let _ = std::fs::remove_file(&temporary);
        io(err)
    })
}

/// `baseline`: the first migration of the models, recorded as applied on a database that has
/// their schema already.
pub(crate) fn baseline(path: &Path, global: &Global, message: &str) -> Outcome {
    let mut dir = directory(global, path)?;
    if !dir.migrations().is_empty() {
        return Err(fail(
            exit::DIRECTORY,
            format!(
                "{} has {} migration{} already; baseline writes the first one. To record a database \
                 at an existing migration without running it, use `migrate-gen stamp <version>`",
                path.display(),
                dir.migrations().len(),
                if dir.migrations().len() == 1 { "" } else { "s" }
            ),
        ));
    }
    let schema = models(global, path)?;
    url(global)?;
    runtime().block_on(async {
        let mut database = connect(global).await?;
        let dialect = database.dialect();
        if dialect != global.dialect {
            return Err(fail(
                exit::UNSUPPORTED,
                format!(
                    "the database is {dialect} and the migrations in {} are written for {}: \
                     point --database-url at a {} database",
                    path.display(),
                    global.dialect,
                    global.dialect
                ),
            ));
        }
        let live = database.introspect().await.map_err(runner_fail)?;
        let expected = dialect.equivalence().stored(&schema);
        let loose = model_core::diff::DiffOptions {
            allow_destructive: true,
            loose_expressions: true,
        };
        let differences = plan(dialect, &expected, &live, loose)
            .map_err(|err| fail(exit::STATE, err))?;
        let operations = differences.operations();
        let (extra, differ): (Vec<&Operation>, Vec<&Operation>) = operations
            .iter()
            .partition(|op| matches!(op, Operation::CreateTable { .. }));
        if !differ.is_empty() {
            let listed: Vec<String> = differ
                .iter()
                .map(|op| format!("  {}", super::inspect::describe(op)))
                .collect();
            global.reporter().answer(
                &format!(
                    "The database differs from the models, so it cannot be recorded as their \
                     first migration. Pull again if the models were edited since; an object \
                     the models cannot express (pull lists them) must go from the database \
                     first, or be kept out of the migrations: `generate`, then `stamp head`, \
                     and `drift` will report it.\n{}\n",
                    listed.join("\n")
                ),
                serde_json::json!({ "baseline": null, "differences": listed }),
            )?;
            return Ok(exit::DIFFERENCES);
        }
        for op in &extra {
            global.reporter().note(&format!(
                "warning: {} is not in the models; the migration leaves it out and `drift` will report it",
                super::inspect::describe(op).trim_start_matches("added: ")
            ));
        }
        let request = Request {
            online: true,
            message: message.to_owned(),
            allow_destructive: false,
            empty: false,
            now: global.now.unwrap_or_else(chrono::Utc::now),
        };
        let migrations = match new_migrations(&dir, &schema, &request) {
            Ok(m) => m,
            Err(GenerateError::Directory(err)) => return Err(fail(exit::DIRECTORY, err)),
            Err(GenerateError::Diff(err)) => return Err(fail(exit::REFUSED, err)),
            Err(err) => return Err(fail(exit::UNSUPPORTED, err)),
        };
        let written = dir
            .write_all(migrations)
            .map_err(|err| fail(exit::IO, err))?;
        let remove_written = || {
            for files in &written {
                for file in [&files.up, &files.down, &files.snapshot_path] {
                    let _ = std::fs::remove_file(file);
                }
            }
        };
        let scripts = match load(&dir) {
            Ok(s) => s,
            Err(err) => {
                remove_written();
                return Err(runner_fail(err));
            }
        };
        let mut runner = Runner::new(database, &scripts, path.display().to_string());
        if let Err(err) = runner.stamp("head").await {
            remove_written();
            let mut failure = runner_fail(err);
            failure.message.push_str(" (nothing written)");
            return Err(failure);
        }
        let head = written.last().map(|f| format!("{}_{}", f.version, f.slug));
        super::generate::report_written(global, &written)?;
        global.reporter().event(
            &format!(
                "Stamped: the database is recorded at {} without running it; `upgrade` applies \
                 it to any other database.\n",
                head.as_deref().unwrap_or("base")
            ),
            serde_json::json!({ "event": "stamped", "current": head }),
        )?;
        Ok(exit::OK)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_files() {
        assert_eq!(sqlite_file("sqlite://app.db?mode=rwc"), Some("app.db"));
        assert_eq!(sqlite_file("sqlite:data/app.db"), Some("data/app.db"));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://x/y"), None);
    }
}
