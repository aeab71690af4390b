//! `migrate-gen check`: the models, the directory and its files agree (no database; for CI).

use std::path::Path;

use model_core::diff::DiffOptions;
use model_core::migration::DirectoryError;
use model_core::plan::plan;

use super::{fail, Outcome};
use crate::exit;
use crate::options::Global;

pub(crate) fn run(path: &Path, global: &Global) -> Outcome {
    let models = crate::project::models(global, path)?;
    let dir = crate::project::existing_directory(global, path)?;
    let mut problems: Vec<String> = Vec::new();

    // A snapshot naming a parent that is gone also makes its old parent a head; the missing
    // file is the cause worth reporting, not the two heads.
    let missing = dir.missing_parents();
    for (m, parent, present) in &missing {
        let err = if *present {
            DirectoryError::ParentWithoutSnapshot {
                path: dir.path().to_owned(),
                version: m.name(),
                parent: parent.clone(),
            }
        } else {
            DirectoryError::UnknownParent {
                path: dir.path().to_owned(),
                version: m.name(),
                parent: parent.clone(),
            }
        };
        problems.push(err.to_string());
    }
    for m in dir.unsnapshotted() {
        problems.push(
            DirectoryError::NoSnapshot {
                path: dir.path().to_owned(),
                version: m.version.clone(),
                name: m.name(),
            }
            .to_string(),
        );
    }
    let heads = dir.heads();
    if heads.len() > 1 && missing.is_empty() {
        problems.push(format!(
            "the directory has {} heads ({}): two branches each added a migration; regenerate one on top of the other",
            heads.len(),
            heads.join(", ")
        ));
    }
    for m in dir.migrations() {
        let (Some(parent), Some(recorded)) = (&m.parent, &m.parent_checksum) else {
            continue;
        };
        let Some(parent_files) = dir
            .migrations()
            .iter()
            .find(|p| &p.version == parent && p.has_snapshot)
        else {
            // Reported above.
            continue;
        };
        match parent_files.files_checksum() {
            Ok(current) if &current == recorded => {}
            Ok(_) => problems.push(format!(
                "migration {}_{} was edited after {}_{} was generated on top of it; restore it, or put the change in a new migration",
                parent_files.version, parent_files.slug, m.version, m.slug
            )),
            Err(err) => return Err(fail(exit::DIRECTORY, err)),
        }
    }
    if heads.len() <= 1 && missing.is_empty() {
        let last = match dir.head_schema() {
            Ok(schema) => schema,
            Err(err) => return Err(fail(exit::DIRECTORY, err)),
        };
        let options = DiffOptions {
            allow_destructive: true,
            loose_expressions: false,
        };
        match plan(dir.dialect(), &last, &models, options) {
            Ok(plan) if plan.is_empty() => {}
            Ok(plan) => {
                let at = dir
                    .head()
                    .ok()
                    .flatten()
                    .map(|m| format!("{}_{}", m.version, m.slug))
                    .unwrap_or_else(|| "the empty schema".into());
                let mut text = format!(
                    "the models differ from {at}; generate a migration for {} pending operation{}:",
                    plan.steps.len(),
                    if plan.steps.len() == 1 { "" } else { "s" }
                );
                for op in plan.operations() {
                    text.push_str(&format!("\n  {}", op.summary()));
                }
                problems.push(text);
            }
            Err(err) => problems.push(format!("the models cannot be diffed: {err}")),
        }
    }

    let all: Vec<_> = dir.migrations().iter().collect();
    problems.extend(super::lint::lines(&super::lint::findings(&dir, &all)?));

    if problems.is_empty() {
        return Ok(exit::OK);
    }
    global.reporter().answer(
        &(problems.join("\n") + "\n"),
        serde_json::json!({ "ok": false, "problems": problems }),
    )?;
    Ok(exit::DIFFERENCES)
}
