//! `migrate-gen "message"`: diff the models against the last snapshot and write a migration.

use std::path::Path;
use std::process::ExitCode;

use model_core::generate::{plan, GenerateError, Request, DEFAULT_DIALECT};
use model_core::migration::MigrationDir;
use model_core::registry;

use super::{fail, print};
use crate::cli::Global;
use crate::exit;

pub(crate) struct Options {
    pub message: String,
    pub empty: bool,
    pub dry_run: bool,
    pub allow_destructive: bool,
}

pub(crate) fn run(path: &Path, global: &Global, options: Options) -> ExitCode {
    let current = match registry::schema() {
        Ok(schema) => schema,
        Err(err) => return fail(exit::MODELS, err),
    };
    let mut dir = match MigrationDir::open(path, DEFAULT_DIALECT) {
        Ok(dir) => dir,
        Err(err) => return fail(exit::DIRECTORY, err),
    };
    let request = Request {
        message: options.message,
        allow_destructive: options.allow_destructive,
        empty: options.empty,
        now: chrono::Utc::now(),
    };
    let migrations = match plan(&dir, &current, &request) {
        Ok(m) => m,
        Err(GenerateError::Directory(err)) => return fail(exit::DIRECTORY, err),
        Err(GenerateError::Diff(err)) => return fail(exit::REFUSED, err),
        Err(err) => return fail(exit::UNSUPPORTED, err),
    };
    if migrations.is_empty() {
        let at = dir
            .head()
            .ok()
            .flatten()
            .map(|m| format!("{}_{}", m.version, m.slug))
            .unwrap_or_else(|| "the empty schema".to_owned());
        let text = if global.json {
            format!(
                "{}\n",
                serde_json::json!({ "event": "no_changes", "at": at })
            )
        } else {
            format!("No changes: the models match {at}.\n")
        };
        return match print(&text) {
            Ok(()) => ExitCode::from(exit::OK),
            Err(code) => code,
        };
    }
    if options.dry_run {
        let mut out = String::new();
        for m in &migrations {
            if global.json {
                out.push_str(&format!(
                    "{}\n",
                    serde_json::json!({
                        "event": "planned",
                        "version": m.version,
                        "slug": m.slug,
                        "up": m.up,
                        "down": m.down,
                    })
                ));
            } else {
                out.push_str(&format!(
                    "==> {}_{}.up.sql\n{}\n==> {}_{}.down.sql\n{}\n",
                    m.version, m.slug, m.up, m.version, m.slug, m.down
                ));
            }
        }
        return match print(&out) {
            Ok(()) => ExitCode::from(exit::OK),
            Err(code) => code,
        };
    }
    // A split generation is written whole or not at all: a first half alone would be
    // applied as if it were the change.
    let written = match dir.write_all(migrations) {
        Ok(written) => written,
        Err(err) => return fail(exit::IO, err),
    };
    for files in written {
        let line = if global.json {
            format!(
                "{}\n",
                serde_json::json!({
                    "event": "wrote",
                    "version": files.version,
                    "up": files.up.display().to_string(),
                    "down": files.down.display().to_string(),
                    "snapshot": files.snapshot_path.display().to_string(),
                })
            )
        } else if global.quiet {
            String::new()
        } else {
            format!("Wrote {}\n", files.up.display())
        };
        if let Err(code) = print(&line) {
            return code;
        }
    }
    ExitCode::from(exit::OK)
}
