//! Folding model changes into the newest migration (`generate --amend`), as Django's
//! `makemigrations --update` does: while nothing is built on it, the newest migration is
//! generated again from its parent to the current models, under the same version.
//!
//! A migration is only rewritten when its files are exactly what generation wrote: SQL added
//! or changed by hand (a data migration made with `--empty`, an edited statement) would be
//! lost, so such a migration is refused and the change belongs in a new migration.

use crate::generate::{new_migrations, GenerateError, Request};
use crate::migration::{MigrationDir, MigrationFiles, NewMigration};
use crate::schema::Schema;

/// Why the newest migration cannot be amended.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AmendError {
    /// The directory has no migration.
    #[error("there is no migration to amend in {path}; generate one first")]
    NoMigration {
        /// The directory.
        path: String,
    },
    /// Another migration comes after the newest generated one.
    #[error("{migration} has a newer migration, {child}, after it; only the newest migration can be amended: generate a new one instead")]
    HasChild {
        /// `<version>_<slug>` of the head.
        migration: String,
        /// The newer migration.
        child: String,
    },
    /// The files hold SQL that generation did not write.
    #[error("{migration} holds SQL written or edited by hand ({file} differs from what the tool generates); amending would lose it: generate a new migration instead, or restore the file")]
    HandWritten {
        /// `<version>_<slug>`.
        migration: String,
        /// The file that differs.
        file: String,
    },
    /// The amended change would have to be split in two (new enum values used at once).
    #[error("the amended {migration} would add enum values and use them at once, which takes two migrations; generate a new migration instead")]
    WouldSplit {
        /// `<version>_<slug>`.
        migration: String,
    },
    /// The models already match the migration's snapshot: there is nothing to fold in.
    #[error("no changes: the models match {migration}; nothing to amend")]
    NoChanges {
        /// `<version>_<slug>`.
        migration: String,
    },
    /// The models now match the migration's parent.
    #[error("the models now match the parent of {migration}, so the amended migration would be empty; delete its three files instead")]
    NothingLeft {
        /// `<version>_<slug>`.
        migration: String,
    },
    /// Generation failed.
    #[error(transparent)]
    Generate(#[from] GenerateError),
}

/// The newest migration, and the files that replace it.
#[derive(Debug)]
pub struct Amended {
    /// The migration as it is on disk.
    pub old: MigrationFiles,
    /// Its replacement: same version, new SQL and snapshot.
    pub new: NewMigration,
}

fn same_text(a: &str, b: &str) -> bool {
    a.replace("\r\n", "\n") == b.replace("\r\n", "\n")
}

/// The message a generated up file starts with (`-- add priority`).
fn message_of(up: &str) -> Option<String> {
    up.lines()
        .next()
        .and_then(|l| l.strip_prefix("-- "))
        .map(str::to_owned)
}

/// Plans the amended newest migration of `dir` for `current` (not written). `request.message`
/// empty keeps the migration's own message.
pub fn amend(
    dir: &MigrationDir,
    current: &Schema,
    request: &Request,
) -> Result<Amended, AmendError> {
    let head = dir
        .head()
        .map_err(GenerateError::from)?
        .ok_or_else(|| AmendError::NoMigration {
            path: dir.path().display().to_string(),
        })?
        .clone();
    let name = format!("{}_{}", head.version, head.slug);
    let newer = |v: &str| match (v.parse::<u64>(), head.version.parse::<u64>()) {
        (Ok(a), Ok(b)) => a > b,
        _ => v > head.version.as_str(),
    };
    if let Some(child) = dir.migrations().iter().find(|m| newer(&m.version)) {
        return Err(AmendError::HasChild {
            migration: name,
            child: format!("{}_{}", child.version, child.slug),
        });
    }
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path).map_err(|source| {
            AmendError::Generate(GenerateError::Directory(
                crate::migration::DirectoryError::Io {
                    path: path.to_owned(),
                    source,
                },
            ))
        })
    };
    let up = read(&head.up)?;
    let down = read(&head.down)?;
    let original_message = message_of(&up).unwrap_or_else(|| head.slug.replace('_', " "));
    let base = dir.without(&head.version);
    let snapshot = head.snapshot().map_err(GenerateError::from)?;
    let unchanged = crate::diff::diff(
        &snapshot.schema,
        current,
        dir.dialect().equivalence(),
        crate::diff::DiffOptions::default(),
    )
    .map(|plan| plan.is_empty())
    .unwrap_or(false);
    if unchanged {
        return Err(AmendError::NoChanges { migration: name });
    }

    // What generation writes for this migration today (online or plain DDL); anything else
    // was written by hand.
    let hand_written = |file: &std::path::Path| AmendError::HandWritten {
        migration: name.clone(),
        file: file.display().to_string(),
    };
    let mut verdict = Err(hand_written(&head.up));
    for online in [request.online, !request.online] {
        let regenerated = new_migrations(
            &base,
            &snapshot.schema,
            &Request {
                message: original_message.clone(),
                allow_destructive: true,
                empty: false,
                now: request.now,
                online,
            },
        )?;
        match regenerated.as_slice() {
            [one] if same_text(&one.up, &up) && same_text(&one.down, &down) => {
                verdict = Ok(());
                break;
            }
            [one] if same_text(&one.up, &up) => verdict = Err(hand_written(&head.down)),
            _ => {}
        }
    }
    verdict?;

    let message = if request.message.trim().is_empty() {
        original_message
    } else {
        request.message.clone()
    };
    let mut planned = new_migrations(
        &base,
        current,
        &Request {
            message,
            allow_destructive: request.allow_destructive,
            empty: false,
            now: request.now,
            online: request.online,
        },
    )?;
    let mut new = match planned.len() {
        0 => return Err(AmendError::NothingLeft { migration: name }),
        1 => planned.remove(0),
        _ => return Err(AmendError::WouldSplit { migration: name }),
    };
    new.version = head.version.clone();
    new.snapshot.version = Some(head.version.clone());
    Ok(Amended { old: head, new })
}
