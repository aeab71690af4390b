//! The migration directory.
//!
//! ```text
//! migrations/
//!   migrate-gen.json                          {"dialect": "postgres"}
//!   20261124070000_create_users.up.sql         sqlx-compatible reversible pair
//!   20261124070000_create_users.down.sql
//!   20261124070000_create_users.snapshot.json  the schema after this migration, with its parent
//! ```
//!
//! Versions are UTC timestamps (`YYYYMMDDHHMMSS`), strictly increasing: a version that would
//! not be greater than the newest in the directory becomes that version plus one. Files that
//! sqlx does not know (`*.snapshot.json`, `migrate-gen.json`) are ignored by `sqlx migrate`.
//!
//! Each snapshot names its parent, so the directory is a chain; two migrations with the same
//! parent (two branches merged) are two heads, and generation refuses to guess between them.
//!
//! Writing is all or nothing: the three files are written under temporary names and renamed
//! into place only when all of them are complete.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::dialect::Dialect;
use crate::schema::Schema;
use crate::snapshot::{Snapshot, SnapshotError};

/// The name of the file that records a directory's dialect.
pub const DIRECTORY_FILE: &str = "migrate-gen.json";

/// Why the directory cannot be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DirectoryError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A snapshot file is not valid.
    #[error("{path}: {source}")]
    Snapshot {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: SnapshotError,
    },
    /// The directory file is not valid.
    #[error("{path}: not a valid {DIRECTORY_FILE}: {message}")]
    DirectoryFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The directory holds migrations for another database.
    #[error(
        "{path} holds {found} migrations, not {expected}; use the directory for {expected} (--dir)"
    )]
    WrongDialect {
        /// The directory.
        path: PathBuf,
        /// Its dialect.
        found: String,
        /// The dialect asked for.
        expected: String,
    },
    /// A migration lacks one of its files.
    #[error("migration {version} in {path} is incomplete: {missing} is missing")]
    Incomplete {
        /// The directory.
        path: PathBuf,
        /// The migration version.
        version: String,
        /// The missing file.
        missing: String,
    },
    /// Several migrations have no child.
    #[error(
        "the migrations in {path} have {} heads ({}): two branches each added a migration; \
         regenerate one of them on top of the other (delete its files, then run generate again)",
        .heads.len(),
        .heads.join(", ")
    )]
    MultipleHeads {
        /// The directory.
        path: PathBuf,
        /// The head versions.
        heads: Vec<String>,
    },
    /// The parent chain goes round in a circle (a hand-edited snapshot).
    #[error("the migrations in {path} have no head: their parents form a cycle; restore the snapshots' `parent` fields")]
    Cycle {
        /// The directory.
        path: PathBuf,
    },
    /// Two migrations share a version.
    #[error("version {version} in {path} is used by two migrations ({first} and {second}); rename or delete one of them")]
    DuplicateVersion {
        /// The directory.
        path: PathBuf,
        /// The version.
        version: String,
        /// One slug.
        first: String,
        /// The other slug.
        second: String,
    },
    /// A snapshot names a parent that is not in the directory.
    #[error("migration {version} in {path} names parent {parent}, which is not in the directory")]
    UnknownParent {
        /// The directory.
        path: PathBuf,
        /// The migration.
        version: String,
        /// The parent it names.
        parent: String,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DirectoryError + '_ {
    move |source| DirectoryError::Io {
        path: path.to_owned(),
        source,
    }
}

/// `migrate-gen.json`
#[derive(Debug, Clone, Serialize, Deserialize)]
struct DirectoryFile {
    dialect: String,
}

/// One migration on disk.
#[derive(Debug, Clone)]
pub struct MigrationFiles {
    /// The version (`YYYYMMDDHHMMSS`).
    pub version: String,
    /// The slug (the description part of the file names).
    pub slug: String,
    /// Path of the up file.
    pub up: PathBuf,
    /// Path of the down file.
    pub down: PathBuf,
    /// Path of the snapshot file.
    pub snapshot_path: PathBuf,
    /// The migration this one was generated on top of.
    pub parent: Option<String>,
    /// The checksum of the parent's files recorded when this one was generated.
    pub parent_checksum: Option<String>,
}

/// The checksum that a child migration records of its parent: SHA-384 (hex) of the up file, a
/// NUL, and the down file, with line endings normalized to LF.
pub fn files_checksum(up: &str, down: &str) -> String {
    use sha2::{Digest, Sha384};
    let mut hasher = Sha384::new();
    hasher.update(up.replace("\r\n", "\n").as_bytes());
    hasher.update([0u8]);
    hasher.update(down.replace("\r\n", "\n").as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl MigrationFiles {
    /// The current checksum of this migration's up and down files.
    pub fn files_checksum(&self) -> Result<String, DirectoryError> {
        let up = std::fs::read_to_string(&self.up).map_err(io(&self.up))?;
        let down = std::fs::read_to_string(&self.down).map_err(io(&self.down))?;
        Ok(files_checksum(&up, &down))
    }

    /// Reads the snapshot this migration leaves behind.
    pub fn snapshot(&self) -> Result<Snapshot, DirectoryError> {
        read_snapshot(&self.snapshot_path)
    }
}

fn read_snapshot(path: &Path) -> Result<Snapshot, DirectoryError> {
    let text = std::fs::read_to_string(path).map_err(io(path))?;
    Snapshot::from_json(&text).map_err(|source| DirectoryError::Snapshot {
        path: path.to_owned(),
        source,
    })
}

/// The `parent` and `parent_checksum` of a snapshot file, read from its first lines (the
/// writer puts them before the schema), so that reading the directory never parses every
/// snapshot. A file laid out differently is parsed whole.
fn read_header(path: &Path) -> Result<(Option<String>, Option<String>), DirectoryError> {
    use std::io::Read;
    let mut head = vec![0u8; 1024];
    let mut file = std::fs::File::open(path).map_err(io(path))?;
    let n = file.read(&mut head).map_err(io(path))?;
    let head = String::from_utf8_lossy(&head[..n]);
    if let Some(end) = head.find("\"schema\"") {
        let before = &head[..end];
        let field = |key: &str| {
            before.lines().find_map(|line| {
                let value = line.trim().strip_prefix(&format!("\"{key}\":"))?.trim();
                serde_json::from_str::<String>(value.trim_end_matches(',').trim()).ok()
            })
        };
        let parent = field("parent");
        let checksum = field("parent_checksum");
        let complete = (parent.is_some() || !before.contains("\"parent\""))
            && (checksum.is_some() || !before.contains("\"parent_checksum\""));
        if complete {
            return Ok((parent, checksum));
        }
    }
    let snapshot = read_snapshot(path)?;
    Ok((snapshot.parent, snapshot.parent_checksum))
}

/// A migration directory for one dialect.
#[derive(Debug, Clone)]
pub struct MigrationDir {
    path: PathBuf,
    dialect: Dialect,
    migrations: Vec<MigrationFiles>,
}

impl MigrationDir {
    /// Opens `path` for `dialect`. A directory that does not exist yet is empty (it is created
    /// by the first write); one that records another dialect is refused.
    pub fn open(path: impl Into<PathBuf>, dialect: Dialect) -> Result<Self, DirectoryError> {
        let path = path.into();
        let mut dir = MigrationDir {
            path,
            dialect,
            migrations: Vec::new(),
        };
        if !dir.path.exists() {
            return Ok(dir);
        }
        let marker = dir.path.join(DIRECTORY_FILE);
        if marker.exists() {
            let text = std::fs::read_to_string(&marker).map_err(io(&marker))?;
            let file: DirectoryFile =
                serde_json::from_str(&text).map_err(|e| DirectoryError::DirectoryFile {
                    path: marker.clone(),
                    message: e.to_string(),
                })?;
            if file.dialect != dialect.name() {
                return Err(DirectoryError::WrongDialect {
                    path: dir.path.clone(),
                    found: file.dialect,
                    expected: dialect.name().to_owned(),
                });
            }
        }
        dir.migrations = read_migrations(&dir.path)?;
        Ok(dir)
    }

    /// The directory path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The dialect.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Every migration, by version.
    pub fn migrations(&self) -> &[MigrationFiles] {
        &self.migrations
    }

    /// The versions that no other migration names as its parent.
    pub fn heads(&self) -> Vec<String> {
        self.migrations
            .iter()
            .filter(|m| {
                !self
                    .migrations
                    .iter()
                    .any(|c| c.parent.as_deref() == Some(m.version.as_str()))
            })
            .map(|m| m.version.clone())
            .collect()
    }

    /// The single head, or `None` for an empty directory.
    pub fn head(&self) -> Result<Option<&MigrationFiles>, DirectoryError> {
        for m in &self.migrations {
            if let Some(parent) = &m.parent {
                if !self.migrations.iter().any(|p| &p.version == parent) {
                    return Err(DirectoryError::UnknownParent {
                        path: self.path.clone(),
                        version: m.version.clone(),
                        parent: parent.clone(),
                    });
                }
            }
        }
        let heads = self.heads();
        match heads.as_slice() {
            [] if !self.migrations.is_empty() => Err(DirectoryError::Cycle {
                path: self.path.clone(),
            }),
            [] => Ok(None),
            [one] => Ok(self.migrations.iter().find(|m| &m.version == one)),
            _ => Err(DirectoryError::MultipleHeads {
                path: self.path.clone(),
                heads,
            }),
        }
    }

    /// The schema the migrations leave behind (empty for an empty directory). Only the head's
    /// snapshot is parsed.
    pub fn head_schema(&self) -> Result<Schema, DirectoryError> {
        match self.head()? {
            Some(m) => Ok(m.snapshot()?.schema),
            None => Ok(Schema::default()),
        }
    }

    /// The version for a migration generated at `now`: its UTC timestamp, or one more than the
    /// newest version when that is not smaller.
    pub fn next_version(&self, now: chrono::DateTime<chrono::Utc>) -> String {
        let stamp: u64 = now
            .format("%Y%m%d%H%M%S")
            .to_string()
            .parse()
            .expect("a timestamp of digits");
        let newest = self
            .migrations
            .iter()
            .filter_map(|m| m.version.parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        stamp.max(newest + 1).to_string()
    }

    /// The directory as it would be without migration `version` (in memory only): what a
    /// migration is diffed against when it is generated again (`--amend`).
    pub fn without(&self, version: &str) -> MigrationDir {
        let mut dir = self.clone();
        dir.migrations.retain(|m| m.version != version);
        dir
    }

    /// Writes one migration (all three files, or none) and records the dialect.
    pub fn write(&mut self, migration: NewMigration) -> Result<MigrationFiles, DirectoryError> {
        std::fs::create_dir_all(&self.path).map_err(io(&self.path))?;
        let marker = self.path.join(DIRECTORY_FILE);
        if !marker.exists() {
            let text = serde_json::to_string_pretty(&DirectoryFile {
                dialect: self.dialect.name().to_owned(),
            })
            .expect("plain data serializes")
                + "\n";
            std::fs::write(&marker, text).map_err(io(&marker))?;
        }
        let base = format!("{}_{}", migration.version, migration.slug);
        let files = [
            (format!("{base}.up.sql"), migration.up),
            (format!("{base}.down.sql"), migration.down),
            (
                format!("{base}.snapshot.json"),
                migration.snapshot.to_json(),
            ),
        ];
        let mut written: Vec<PathBuf> = Vec::new();
        let result = (|| {
            for (name, text) in &files {
                let tmp = self.path.join(format!(".{name}.tmp"));
                written.push(tmp.clone());
                std::fs::write(&tmp, text).map_err(io(&tmp))?;
            }
            for (name, _) in &files {
                let tmp = self.path.join(format!(".{name}.tmp"));
                let target = self.path.join(name);
                std::fs::rename(&tmp, &target).map_err(io(&target))?;
                written.push(target);
            }
            Ok(())
        })();
        if let Err(err) = result {
            for path in written {
                let _ = std::fs::remove_file(path);
            }
            return Err(err);
        }
        let files = MigrationFiles {
            version: migration.version.clone(),
            slug: migration.slug.clone(),
            up: self.path.join(&files[0].0),
            down: self.path.join(&files[1].0),
            snapshot_path: self.path.join(&files[2].0),
            parent: migration.snapshot.parent.clone(),
            parent_checksum: migration.snapshot.parent_checksum.clone(),
        };
        self.migrations.push(files.clone());
        self.migrations
            .sort_by(|a, b| version_order(&a.version, &b.version));
        Ok(files)
    }
}

/// A migration about to be written.
#[derive(Debug, Clone)]
pub struct NewMigration {
    /// The version.
    pub version: String,
    /// The slug.
    pub slug: String,
    /// The up SQL.
    pub up: String,
    /// The down SQL.
    pub down: String,
    /// The snapshot after the migration (with version and parent set).
    pub snapshot: Snapshot,
}

fn version_order(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// Turns a message into a file-name slug: lowercase words joined by `_`, at most 60 bytes.
pub fn slug(message: &str) -> String {
    let mut out = String::new();
    for word in message
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if out.len() + word.len() + 1 > 60 {
            break;
        }
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    if out.is_empty() {
        out.push_str("migration");
    }
    out
}

fn read_migrations(path: &Path) -> Result<Vec<MigrationFiles>, DirectoryError> {
    // version → (slug, has up, has down, snapshot path)
    let mut found: BTreeMap<String, (String, bool, bool, Option<PathBuf>)> = BTreeMap::new();
    for entry in std::fs::read_dir(path).map_err(io(path))? {
        let entry = entry.map_err(io(path))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((version, rest)) = name.split_once('_') else {
            continue;
        };
        if version.is_empty() || !version.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let (slug, kind) = if let Some(slug) = rest.strip_suffix(".up.sql") {
            (slug, 0)
        } else if let Some(slug) = rest.strip_suffix(".down.sql") {
            (slug, 1)
        } else if let Some(slug) = rest.strip_suffix(".snapshot.json") {
            (slug, 2)
        } else {
            continue;
        };
        let slot = found
            .entry(version.to_owned())
            .or_insert_with(|| (slug.to_owned(), false, false, None));
        if slot.0 != slug {
            let (first, second) = if slot.0.as_str() < slug {
                (slot.0.clone(), slug.to_owned())
            } else {
                (slug.to_owned(), slot.0.clone())
            };
            return Err(DirectoryError::DuplicateVersion {
                path: path.to_owned(),
                version: version.to_owned(),
                first,
                second,
            });
        }
        match kind {
            0 => slot.1 = true,
            1 => slot.2 = true,
            _ => slot.3 = Some(entry.path()),
        }
    }
    let mut out = Vec::new();
    for (version, (slug, up, down, snapshot_path)) in found {
        let base = format!("{version}_{slug}");
        for (present, file) in [
            (up, format!("{base}.up.sql")),
            (down, format!("{base}.down.sql")),
            (snapshot_path.is_some(), format!("{base}.snapshot.json")),
        ] {
            if !present {
                return Err(DirectoryError::Incomplete {
                    path: path.to_owned(),
                    version,
                    missing: file,
                });
            }
        }
        let snapshot_path = snapshot_path.expect("checked above");
        let (parent, parent_checksum) = read_header(&snapshot_path)?;
        out.push(MigrationFiles {
            up: path.join(format!("{base}.up.sql")),
            down: path.join(format!("{base}.down.sql")),
            version,
            slug,
            snapshot_path,
            parent,
            parent_checksum,
        });
    }
    out.sort_by(|a, b| version_order(&a.version, &b.version));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Add priority!"), "add_priority");
        assert_eq!(slug("  "), "migration");
        assert!(slug(&"word ".repeat(40)).len() <= 60);
    }
}
