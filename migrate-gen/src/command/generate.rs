//! `migrate-gen "message"`: diff the models against the last snapshot and write a migration.

use std::path::Path;
use std::process::ExitCode;

use model_core::generate::{plan, GenerateError, Request, DEFAULT_DIALECT};
use model_core::migration::MigrationDir;
use model_core::schema::Schema;

use super::{fail, print};
use crate::cli::Global;
use crate::exit;

pub(crate) struct Options {
    pub message: String,
    pub empty: bool,
    pub dry_run: bool,
    pub allow_destructive: bool,
}

/// The models, the directory and the request that `generate` and `--amend` work from.
fn inputs(path: &Path, options: &Options) -> Result<(Schema, MigrationDir, Request), ExitCode> {
    let current = super::models(path)?;
    let dir = MigrationDir::open(path, DEFAULT_DIALECT).map_err(|e| fail(exit::DIRECTORY, e))?;
    let request = Request {
        message: options.message.clone(),
        allow_destructive: options.allow_destructive,
        empty: options.empty,
        now: chrono::Utc::now(),
    };
    Ok((current, dir, request))
}

/// "No changes: the models match <at><detail>." (exit 0).
fn no_changes(global: &Global, at: &str, detail: &str) -> ExitCode {
    let text = if global.json {
        format!(
            "{}\n",
            serde_json::json!({ "event": "no_changes", "at": at })
        )
    } else if global.quiet {
        String::new()
    } else {
        format!("No changes: the models match {at}{detail}.\n")
    };
    match print(&text) {
        Ok(()) => ExitCode::from(exit::OK),
        Err(code) => code,
    }
}

pub(crate) fn run(path: &Path, global: &Global, options: Options) -> ExitCode {
    let (current, mut dir, request) = match inputs(path, &options) {
        Ok(x) => x,
        Err(code) => return code,
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
        return no_changes(global, &at, "");
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
    let notes: Vec<Vec<Note>> = migrations.iter().map(|m| header_notes(&m.up)).collect();
    let written = match dir.write_all(migrations) {
        Ok(written) => written,
        Err(err) => return fail(exit::IO, err),
    };
    for (files, notes) in written.into_iter().zip(notes) {
        if !global.quiet && !global.json {
            for note in &notes {
                eprintln!(
                    "{}: {} ({})",
                    note.kind.to_lowercase(),
                    note.text,
                    files.up.display()
                );
            }
        }
        let line = if global.json {
            format!(
                "{}\n",
                serde_json::json!({
                    "event": "wrote",
                    "version": files.version,
                    "up": files.up.display().to_string(),
                    "down": files.down.display().to_string(),
                    "snapshot": files.snapshot_path.display().to_string(),
                    "warnings": notes
                        .iter()
                        .map(|n| format!("{}: {}", n.kind, n.text))
                        .collect::<Vec<_>>(),
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

/// `generate --amend`: the newest migration generated again from its parent to the models.
pub(crate) fn amend(path: &Path, global: &Global, options: Options) -> ExitCode {
    use model_core::amend::{amend, AmendError};
    use model_core::runner::{mask_password, Backend};

    let (current, mut dir, request) = match inputs(path, &options) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let amended = match amend(&dir, &current, &request) {
        Ok(a) => a,
        Err(AmendError::NoChanges { migration }) => {
            return no_changes(global, &migration, "; nothing to amend")
        }
        Err(AmendError::Generate(GenerateError::Directory(err))) => {
            return fail(exit::DIRECTORY, err)
        }
        Err(AmendError::Generate(GenerateError::Diff(err))) => return fail(exit::REFUSED, err),
        Err(err @ AmendError::Generate(_)) => return fail(exit::UNSUPPORTED, err),
        Err(err @ (AmendError::NoMigration { .. } | AmendError::HasChild { .. })) => {
            return fail(exit::DIRECTORY, err)
        }
        Err(err) => return fail(exit::REFUSED, err),
    };
    let old_name = format!("{}_{}", amended.old.version, amended.old.slug);
    // A database that has the migration applied would be left out of step with its files.
    if let Some(url) = global.database_url.as_deref() {
        let applied = super::database::runtime().block_on(async {
            let mut backend = super::database::connect(global).await?;
            backend
                .applied()
                .await
                .map_err(super::database::runner_fail)
        });
        match applied {
            Ok(rows) => {
                if rows
                    .iter()
                    .any(|r| r.version.to_string() == amended.old.version)
                {
                    return fail(
                        exit::REFUSED,
                        format!(
                            "{old_name} is applied to {}; amending it would leave that database \
                             out of step with its files: run `migrate-gen downgrade -1` first, \
                             or generate a new migration",
                            mask_password(url)
                        ),
                    );
                }
            }
            Err(code) => return code,
        }
    }
    let notes = header_notes(&amended.new.up);
    if options.dry_run {
        let m = &amended.new;
        let text = format!(
            "==> {}_{}.up.sql\n{}\n==> {}_{}.down.sql\n{}\n",
            m.version, m.slug, m.up, m.version, m.slug, m.down
        );
        return match print(&text) {
            Ok(()) => ExitCode::from(exit::OK),
            Err(code) => code,
        };
    }
    let renamed = amended.new.slug != amended.old.slug;
    let files = match dir.replace(&amended.old, amended.new) {
        Ok(files) => files,
        Err(err) => return fail(exit::IO, err),
    };
    if !global.quiet && !global.json {
        for note in &notes {
            eprintln!(
                "{}: {} ({})",
                note.kind.to_lowercase(),
                note.text,
                files.up.display()
            );
        }
    }
    let line = if global.json {
        format!(
            "{}\n",
            serde_json::json!({
                "event": "amended",
                "version": files.version,
                "was": old_name,
                "up": files.up.display().to_string(),
                "down": files.down.display().to_string(),
                "snapshot": files.snapshot_path.display().to_string(),
            })
        )
    } else if global.quiet {
        String::new()
    } else if renamed {
        format!("Amended {} (was {old_name})\n", files.up.display())
    } else {
        format!("Amended {}\n", files.up.display())
    };
    match print(&line) {
        Ok(()) => ExitCode::from(exit::OK),
        Err(code) => code,
    }
}

/// A `DESTRUCTIVE` or `WARNING` line of a generated file's header.
struct Note {
    kind: &'static str,
    text: String,
}

/// The notes of a generated up file's header (the comment lines before the first blank line),
/// so that what the file warns about is also said when it is written.
fn header_notes(up: &str) -> Vec<Note> {
    up.lines()
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| {
            let l = l.strip_prefix("-- ")?;
            ["DESTRUCTIVE", "WARNING"].into_iter().find_map(|kind| {
                l.strip_prefix(kind)
                    .and_then(|rest| rest.strip_prefix(": "))
                    .map(|text| Note {
                        kind,
                        text: text.to_owned(),
                    })
            })
        })
        .collect()
}
