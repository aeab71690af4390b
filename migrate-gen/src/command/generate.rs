//! `migrate-gen "message"`: diff the models against the last snapshot and write a migration.

use std::path::Path;

use model_core::generate::{new_migrations, GenerateError, Request};
use model_core::migration::{MigrationDir, MigrationFiles, NewMigration};
use model_core::schema::Schema;

use super::{fail, Failure, Outcome};
use crate::exit;
use crate::options::Global;

#[derive(Clone)]
pub(crate) struct Options {
    pub message: String,
    pub empty: bool,
    pub dry_run: bool,
    pub allow_destructive: bool,
    pub blocking: bool,
    pub phased: bool,
}

/// The models, the directory and the request that `generate` and `--amend` work from.
fn inputs(
    global: &Global,
    path: &Path,
    options: &Options,
) -> Result<(Schema, MigrationDir, Request), Failure> {
    let current = crate::project::models(global, path)?;
    let dir = crate::project::directory(global, path)?;
    let request = Request {
        message: options.message.clone(),
        allow_destructive: options.allow_destructive,
        empty: options.empty,
        now: global.now.unwrap_or_else(chrono::Utc::now),
        online: !options.blocking,
    };
    Ok((current, dir, request))
}

/// "No changes: the models match <at><detail>." (exit 0); "No changes for <dialect>: ..." in a
/// project with several.
fn no_changes(global: &Global, at: &str, detail: &str) -> Outcome {
    let dialect = global.dialect.name();
    let which = if global.several {
        format!(" for {dialect}")
    } else {
        String::new()
    };
    global.reporter().event(
        &format!("No changes{which}: the models match {at}{detail}.\n"),
        serde_json::json!({ "event": "no_changes", "at": at, "dialect": dialect }),
    )?;
    Ok(exit::OK)
}

/// `--dry-run`: the files that would be written.
fn planned(global: &Global, migrations: &[NewMigration]) -> Outcome {
    let human: String = migrations
        .iter()
        .map(|m| {
            format!(
                "==> {}_{}.up.sql\n{}\n==> {}_{}.down.sql\n{}\n",
                m.version, m.slug, m.up, m.version, m.slug, m.down
            )
        })
        .collect();
    let json = migrations.iter().map(|m| {
        serde_json::json!({
            "event": "planned",
            "version": m.version,
            "slug": m.slug,
            "up": m.up,
            "down": m.down,
        })
    });
    global.reporter().answer_lines(&human, json)?;
    Ok(exit::OK)
}

/// The header notes of a file just written, on stderr.
fn say_notes(global: &Global, notes: &[Note], file: &Path) {
    for note in notes {
        global.reporter().note(&format!(
            "{}: {} ({})",
            note.kind.to_lowercase(),
            note.text,
            file.display()
        ));
    }
}

/// The migrations `generate` would write in `path`, or why it cannot.
fn prepared(
    path: &Path,
    global: &Global,
    options: &Options,
) -> Result<(MigrationDir, Vec<NewMigration>), Failure> {
    let (current, dir, request) = inputs(global, path, options)?;
    let phased = options.phased && dir.dialect() == model_core::dialect::Dialect::Postgres;
    if options.phased && !phased && !options.dry_run {
        global.reporter().note(&format!(
            "note: --phased splits PostgreSQL migrations; the {} migration is written as one",
            dir.dialect()
        ));
    }
    let generated = if phased {
        model_core::generate::new_phased_migrations(&dir, &current, &request)
    } else {
        new_migrations(&dir, &current, &request)
    };
    match generated {
        Ok(m) => Ok((dir, m)),
        Err(GenerateError::Directory(err)) => Err(fail(exit::DIRECTORY, err)),
        Err(GenerateError::Diff(err)) => Err(fail(exit::REFUSED, err)),
        Err(err) => Err(fail(exit::UNSUPPORTED, err)),
    }
}

/// Fails as `generate` would in `path`, writing nothing (a project with several dialects
/// checks every one before writing any).
pub(crate) fn can_generate(path: &Path, global: &Global, options: &Options) -> Result<(), Failure> {
    prepared(path, global, options).map(|_| ())
}

pub(crate) fn run(path: &Path, global: &Global, options: Options) -> Outcome {
    let (mut dir, migrations) = prepared(path, global, &options)?;
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
        return planned(global, &migrations);
    }
    // A split generation is written whole or not at all: a first half alone would be
    // applied as if it were the change.
    let notes: Vec<Vec<Note>> = migrations.iter().map(|m| header_notes(&m.up)).collect();
    let written = match dir.write_all(migrations) {
        Ok(written) => written,
        Err(err) => return Err(fail(exit::IO, err)),
    };
    for (files, notes) in written.iter().zip(notes) {
        wrote(global, files, &notes)?;
    }
    lint_written(global, &dir, &written)?;
    Ok(exit::OK)
}

/// The lint's findings in migrations just written, on stderr (`lint` and `check` list them
/// too).
fn lint_written(
    global: &Global,
    dir: &MigrationDir,
    written: &[MigrationFiles],
) -> Result<(), Failure> {
    let files: Vec<&MigrationFiles> = written.iter().collect();
    for line in super::lint::lines(&super::lint::findings(dir, &files)?) {
        global.reporter().note(&format!("lint: {line}"));
    }
    Ok(())
}

/// "Wrote <up file>", after the warnings its header lists.
fn wrote(global: &Global, files: &MigrationFiles, notes: &[Note]) -> Result<(), Failure> {
    say_notes(global, notes, &files.up);
    global.reporter().event(
        &format!("Wrote {}\n", files.up.display()),
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
        }),
    )
}

/// [`wrote`] for migrations already on disk: the warnings are read from their up files.
pub(crate) fn report_written(global: &Global, written: &[MigrationFiles]) -> Result<(), Failure> {
    for files in written {
        let up = std::fs::read_to_string(&files.up).unwrap_or_default();
        wrote(global, files, &header_notes(&up))?;
    }
    Ok(())
}

/// `generate --amend`: the newest migration generated again from its parent to the models.
pub(crate) fn amend(path: &Path, global: &Global, options: Options) -> Outcome {
    use model_core::amend::{amend, AmendError};
    use model_core::runner::{mask_password, Backend};

    let (current, mut dir, request) = inputs(global, path, &options)?;
    let amended = match amend(&dir, &current, &request) {
        Ok(a) => a,
        Err(AmendError::NoChanges { migration }) => {
            return no_changes(global, &migration, "; nothing to amend")
        }
        Err(AmendError::Generate(GenerateError::Directory(err))) => {
            return Err(fail(exit::DIRECTORY, err))
        }
        Err(AmendError::Generate(GenerateError::Diff(err))) => {
            return Err(fail(exit::REFUSED, err))
        }
        Err(err @ AmendError::Generate(_)) => return Err(fail(exit::UNSUPPORTED, err)),
        Err(err @ (AmendError::NoMigration { .. } | AmendError::HasChild { .. })) => {
            return Err(fail(exit::DIRECTORY, err))
        }
        Err(err) => return Err(fail(exit::REFUSED, err)),
    };
    let old_name = format!("{}_{}", amended.old.version, amended.old.slug);
    // A database that has the migration applied would be left out of step with its files.
    if let Some(url) = global.database_url.as_deref() {
        let applied = crate::project::runtime().block_on(async {
            let mut backend = crate::project::connect(global).await?;
            backend.applied().await.map_err(crate::project::runner_fail)
        });
        match applied {
            Ok(rows) => {
                if rows
                    .iter()
                    .any(|r| r.version.to_string() == amended.old.version)
                {
                    return Err(fail(
                        exit::REFUSED,
                        format!(
                            "{old_name} is applied to {}; amending it would leave that database \
                             out of step with its files: run `migrate-gen downgrade -1` first, \
                             or generate a new migration",
                            mask_password(url)
                        ),
                    ));
                }
            }
            Err(failure) => return Err(failure),
        }
    }
    let notes = header_notes(&amended.new.up);
    if options.dry_run {
        return planned(global, std::slice::from_ref(&amended.new));
    }
    let renamed = amended.new.slug != amended.old.slug;
    let files = match dir.replace(&amended.old, amended.new) {
        Ok(files) => files,
        Err(err) => return Err(fail(exit::IO, err)),
    };
    say_notes(global, &notes, &files.up);
    let was = if renamed {
        format!(" (was {old_name})")
    } else {
        String::new()
    };
    global.reporter().event(
        &format!("Amended {}{was}\n", files.up.display()),
        serde_json::json!({
            "event": "amended",
            "version": files.version,
            "was": old_name,
            "up": files.up.display().to_string(),
            "down": files.down.display().to_string(),
            "snapshot": files.snapshot_path.display().to_string(),
        }),
    )?;
    Ok(exit::OK)
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
