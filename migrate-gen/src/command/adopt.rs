//! `migrate-gen adopt <version>`: give a hand-written migration (one without a snapshot) its
//! snapshot, computed by replaying the directory into a scratch database up to and including
//! it and reading the schema back.

use std::path::Path;

use model_core::adopt::adopted_schema;
use model_core::migration::DirectoryError;
use model_core::registry;
use model_core::runner::{find, Database, MigrationScript, Runner, UpTarget};
use model_core::schema::Schema;

use super::{fail, Failure, Outcome};
use crate::exit;
use crate::options::Global;
use crate::project::{open, runner_fail, runtime, same_dialect, url};
use crate::scratch::Scratch;

pub(crate) fn run(path: &Path, global: &Global, version: &str) -> Outcome {
    let (mut dir, migrations) = open(global, path)?;
    let index = match find(&migrations, version) {
        Ok(i) => i,
        Err(err) => return Err(runner_fail(err)),
    };
    let target = dir.migrations()[index].clone();
    if target.has_snapshot {
        return Err(fail(
            exit::USAGE,
            DirectoryError::AlreadySnapshotted {
                name: target.name(),
            },
        ));
    }
    let before = match dir.migrations()[..index]
        .iter()
        .rev()
        .find(|m| m.has_snapshot)
    {
        Some(parent) => match parent.snapshot() {
            Ok(s) => s.schema,
            Err(err) => return Err(fail(exit::DIRECTORY, err)),
        },
        None => Schema::new(),
    };
    let url = match url(global) {
        Ok(u) => u.to_owned(),
        Err(failure) => return Err(failure),
    };
    let live = runtime().block_on(async {
        if let Some(dialect) = Database::dialect_of(&url) {
            same_dialect(&dir, dialect)?;
        }
        let scratch = Scratch::create(&url, "adopt").await?;
        let result = replay(&migrations, index, &scratch, path, global).await;
        scratch.drop().await;
        result
    });
    let live = live?;
    // Models that cannot be read only lose the spellings they would lend (see adopted_schema).
    let models = registry::schema().ok();
    let schema = adopted_schema(dir.dialect(), &before, &live, models.as_ref());
    let adopted = match dir.adopt(&target.version, schema) {
        Ok(a) => a,
        Err(err) => return Err(fail(exit::DIRECTORY, err)),
    };
    let m = &adopted.migration;
    let mut human = format!(
        "Wrote {} (parent: {})\n",
        m.snapshot_path.display(),
        m.parent.as_deref().unwrap_or("none")
    );
    if let Some(r) = &adopted.reparented {
        human.push_str(&format!(
            "Re-parented {} onto {} (its snapshot's parent and checksum)\n",
            r.name(),
            m.name()
        ));
    }
    global.reporter().event(
        &human,
        serde_json::json!({
            "event": "adopted",
            "version": m.version,
            "snapshot": m.snapshot_path.display().to_string(),
            "parent": m.parent,
            "reparented": adopted.reparented.as_ref().map(|r| r.name()),
        }),
    )?;
    Ok(exit::OK)
}

/// Applies migrations up to and including `index` to the scratch database and reads its schema.
async fn replay(
    migrations: &[MigrationScript],
    index: usize,
    scratch: &Scratch,
    path: &Path,
    global: &Global,
) -> Result<Schema, Failure> {
    let backend = scratch.connect(global).await?;
    let mut runner = Runner::new(backend, migrations, path.display().to_string());
    runner
        .upgrade(
            &UpTarget::Version(migrations[index].version.to_string()),
            |_| {},
        )
        .await
        .map_err(runner_fail)?;
    runner.backend().introspect().await.map_err(runner_fail)
}
