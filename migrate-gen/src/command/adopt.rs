//! `migrate-gen adopt <version>`: give a hand-written migration (one without a snapshot) its
//! snapshot, computed by replaying the directory into a scratch database up to and including
//! it and reading the schema back.

use std::path::Path;
use std::process::ExitCode;

use model_core::adopt::adopted_schema;
use model_core::introspect::postgres::introspect;
use model_core::migration::DirectoryError;
use model_core::registry;
use model_core::runner::{find, Migration, PgBackend, Runner, RunnerError, UpTarget};
use model_core::schema::Schema;

use super::database::{open, runner_fail, runtime, url};
use super::scratch::Scratch;
use super::{fail, print};
use crate::cli::Global;
use crate::exit;

pub(crate) fn run(path: &Path, global: &Global, version: &str) -> ExitCode {
    let (mut dir, migrations) = match open(path) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let index = match find(&migrations, version) {
        Ok(i) => i,
        Err(err) => return runner_fail(err),
    };
    let target = dir.migrations()[index].clone();
    if target.has_snapshot {
        return fail(
            exit::USAGE,
            DirectoryError::AlreadySnapshotted {
                name: target.name(),
            },
        );
    }
    let before = match dir.migrations()[..index]
        .iter()
        .rev()
        .find(|m| m.has_snapshot)
    {
        Some(parent) => match parent.snapshot() {
            Ok(s) => s.schema,
            Err(err) => return fail(exit::DIRECTORY, err),
        },
        None => Schema::new(),
    };
    let url = match url(global) {
        Ok(u) => u.to_owned(),
        Err(code) => return code,
    };
    let live = runtime().block_on(async {
        let scratch = Scratch::create(&url, "adopt").await?;
        let result = replay(&migrations, index, &scratch, path).await;
        scratch.drop().await;
        result
    });
    let live = match live {
        Ok(schema) => schema,
        Err(code) => return code,
    };
    // Models that cannot be read only lose the spellings they would lend (see adopted_schema).
    let models = registry::schema().ok();
    let schema = adopted_schema(&before, &live, models.as_ref());
    let adopted = match dir.adopt(&target.version, schema) {
        Ok(a) => a,
        Err(err) => return fail(exit::DIRECTORY, err),
    };
    let m = &adopted.migration;
    let text = if global.json {
        format!(
            "{}\n",
            serde_json::json!({
                "event": "adopted",
                "version": m.version,
                "snapshot": m.snapshot_path.display().to_string(),
                "parent": m.parent,
                "reparented": adopted.reparented.as_ref().map(|r| r.name()),
            })
        )
    } else if global.quiet {
        String::new()
    } else {
        let mut text = format!(
            "Wrote {} (parent: {})\n",
            m.snapshot_path.display(),
            m.parent.as_deref().unwrap_or("none")
        );
        if let Some(r) = &adopted.reparented {
            text.push_str(&format!(
                "Re-parented {} onto {} (its snapshot's parent and checksum)\n",
                r.name(),
                m.name()
            ));
        }
        text
    };
    match print(&text) {
        Ok(()) => ExitCode::from(exit::OK),
        Err(code) => code,
    }
}

/// Applies migrations up to and including `index` to the scratch database and reads its schema.
async fn replay(
    migrations: &[Migration],
    index: usize,
    scratch: &Scratch,
    path: &Path,
) -> Result<Schema, ExitCode> {
    let backend = PgBackend::connect_with(scratch.options())
        .await
        .map_err(runner_fail)?;
    let mut runner = Runner::new(backend, migrations, path.display().to_string());
    runner
        .upgrade(
            &UpTarget::Version(migrations[index].version.to_string()),
            |_| {},
        )
        .await
        .map_err(runner_fail)?;
    let schema = introspect(runner.backend().connection())
        .await
        .map_err(|e| runner_fail(RunnerError::Database(e)))?;
    Ok(schema)
}
