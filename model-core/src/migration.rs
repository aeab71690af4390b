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
//! A hand-written sqlx migration (`sqlx migrate add -r`: an up and a down file, no snapshot)
//! may sit anywhere in the directory. It is applied and reverted in version order like any
//! other, but it stands outside the parent chain until it gets a snapshot
//! ([`MigrationDir::adopt`]); generation refuses to run while one lacks a snapshot, because
//! the head's snapshot cannot know what it did. sqlx's one-way migrations (`<version>_<slug>.sql`)
//! and up files without a down file are refused: every migration here is reversible.
//!
//! Writing is all or nothing: files are written under temporary names and renamed into place
//! only when all of them are complete, for one migration or several
//! ([`MigrationDir::write_all`]).

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
    /// A migration has an up file but no down file.
    #[error(
        "migration {name} in {path} has no down file ({name}.down.sql); migrate-gen needs \
         reversible migrations: write the revert in that file (`sqlx migrate add -r` creates both)"
    )]
    MissingDown {
        /// The directory.
        path: PathBuf,
        /// `<version>_<slug>`.
        name: String,
    },
    /// A one-way sqlx migration (`<version>_<slug>.sql`).
    #[error(
        "{file} in {path} is a one-way sqlx migration; migrate-gen needs reversible migrations: \
         rename it to {name}.up.sql and write its revert in {name}.down.sql"
    )]
    OneWay {
        /// The directory.
        path: PathBuf,
        /// The file name.
        file: String,
        /// `<version>_<slug>`.
        name: String,
    },
    /// A migration has no snapshot (hand-written), so the schema after it is unknown.
    #[error(
        "migration {name} in {path} has no snapshot (a hand-written migration); give it one \
         with `migrate-gen adopt {version}`, which replays the directory into a scratch \
         database on the DATABASE_URL server"
    )]
    NoSnapshot {
        /// The directory.
        path: PathBuf,
        /// The version.
        version: String,
        /// `<version>_<slug>`.
        name: String,
    },
    /// A migration that already has a snapshot was to be given one.
    #[error("migration {name} already has a snapshot ({name}.snapshot.json); only a migration without one can be adopted")]
    AlreadySnapshotted {
        /// `<version>_<slug>`.
        name: String,
    },
    /// No migration has this version.
    #[error("no migration in {path} has version {version}")]
    NoSuchVersion {
        /// The directory.
        path: PathBuf,
        /// The version.
        version: String,
    },
    /// A file to be created exists already.
    #[error("{path} exists already; move it away and try again")]
    Exists {
        /// The file.
        path: PathBuf,
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
    #[error(
        "migration {version} in {path} names parent {parent}, which is not in the directory \
         — was {parent} deleted? Restore its files (up, down and snapshot)"
    )]
    UnknownParent {
        /// The directory.
        path: PathBuf,
        /// The migration (`<version>_<slug>`).
        version: String,
        /// The parent it names.
        parent: String,
    },
    /// A snapshot names a parent whose own snapshot file is missing.
    #[error(
        "migration {version} in {path} names parent {parent}, whose snapshot file is missing; \
         restore {parent}'s .snapshot.json"
    )]
    ParentWithoutSnapshot {
        /// The directory.
        path: PathBuf,
        /// The migration (`<version>_<slug>`).
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
    /// Path of the snapshot file (where it is written, for a migration that has none yet).
    pub snapshot_path: PathBuf,
    /// Whether the snapshot file exists; a hand-written sqlx migration has none until it is
    /// adopted.
    pub has_snapshot: bool,
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
    /// `<version>_<slug>`, how the files are named.
    pub fn name(&self) -> String {
        format!("{}_{}", self.version, self.slug)
    }

    /// The current checksum of this migration's up and down files.
    pub fn files_checksum(&self) -> Result<String, DirectoryError> {
        let up = std::fs::read_to_string(&self.up).map_err(io(&self.up))?;
        let down = std::fs::read_to_string(&self.down).map_err(io(&self.down))?;
        Ok(files_checksum(&up, &down))
    }

    /// Reads the snapshot this migration leaves behind.
    pub fn snapshot(&self) -> Result<Snapshot, DirectoryError> {
        if !self.has_snapshot {
            return Err(DirectoryError::NoSnapshot {
                path: self
                    .snapshot_path
                    .parent()
                    .map(Path::to_owned)
                    .unwrap_or_default(),
                version: self.version.clone(),
                name: self.name(),
            });
        }
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

/// The fields of a snapshot that place it in the chain.
#[derive(Debug, Default, Deserialize)]
struct Header {
    #[serde(default)]
    parent: Option<String>,
    #[serde(default)]
    parent_checksum: Option<String>,
}

/// The keys the writer puts before `"schema"`.
const HEADER_KEYS: [&str; 4] = ["format_version", "version", "parent", "parent_checksum"];

/// How many bytes of each end of a snapshot file the fast path reads.
const PEEK: usize = 1024;

/// The `parent` and `parent_checksum` of a snapshot file.
///
/// Reading the directory must not parse every snapshot (a large schema takes milliseconds),
/// so the writer's layout is recognized from both ends of the file: the header keys, one per
/// line, before a `  "schema": {` line, and the schema's closing `  }` as the last member,
/// with no other top-level key in the tail. Anything else (keys reordered by hand, another
/// indentation, one line) is parsed whole, skipping the schema without building it.
fn read_header(path: &Path) -> Result<(Option<String>, Option<String>), DirectoryError> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(path).map_err(io(path))?;
    let len = file.metadata().map_err(io(path))?.len();
    let mut head = vec![0u8; PEEK];
    let n = read_up_to(&mut file, &mut head).map_err(io(path))?;
    head.truncate(n);
    let mut tail = Vec::new();
    if len > PEEK as u64 {
        file.seek(SeekFrom::Start(len - PEEK as u64))
            .map_err(io(path))?;
        file.read_to_end(&mut tail).map_err(io(path))?;
        // The first line of the tail is cut; it is schema content either way.
        let start = tail
            .iter()
            .position(|b| *b == b'\n')
            .map_or(tail.len(), |i| i + 1);
        tail.drain(..start);
    } else {
        tail = head.clone();
    }
    if let Some(header) = fast_header(
        &String::from_utf8_lossy(&head),
        &String::from_utf8_lossy(&tail),
    ) {
        return Ok(header);
    }
    let text = std::fs::read_to_string(path).map_err(io(path))?;
    let header: Header =
        serde_json::from_str(&text).map_err(|source| DirectoryError::Snapshot {
            path: path.to_owned(),
            source: SnapshotError::Invalid(source),
        })?;
    Ok((header.parent, header.parent_checksum))
}

fn read_up_to(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    use std::io::Read;
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// The header from the writer's layout, or `None` when the file is laid out otherwise.
/// `head` is the start of the file, `tail` its end from the start of a line.
fn fast_header(head: &str, tail: &str) -> Option<(Option<String>, Option<String>)> {
    let mut lines = head.lines();
    if lines.next()?.trim_end() != "{" {
        return None;
    }
    let mut parent = None;
    let mut checksum = None;
    let mut found_schema = false;
    for line in lines {
        if line.trim_end() == "  \"schema\": {" {
            found_schema = true;
            break;
        }
        // `  "key": value,` at the top level, a known key and a one-line value.
        let member = line.strip_prefix("  \"")?;
        let (key, value) = member.split_once("\":")?;
        if !HEADER_KEYS.contains(&key) {
            return None;
        }
        let value = value.trim().strip_suffix(',')?.trim();
        match key {
            "parent" => parent = Some(serde_json::from_str::<String>(value).ok()?),
            "parent_checksum" => checksum = Some(serde_json::from_str::<String>(value).ok()?),
            _ => {}
        }
    }
    if !found_schema {
        return None;
    }
    // The schema must be the last member: the file ends with its closing brace and the
    // object's, and no other top-level key appears at the end.
    let end = tail.trim_end();
    if !(end.ends_with("\n  }\n}") || end.ends_with("\n  }\r\n}")) {
        return None;
    }
    let mut member_after_schema = false;
    for line in tail.lines() {
        if line.trim_end() == "  \"schema\": {" {
            // Members before it (a short file's header) are the head's business.
            member_after_schema = false;
        } else if line.starts_with("  \"") {
            member_after_schema = true;
        }
    }
    if member_after_schema {
        return None;
    }
    Some((parent, checksum))
}

/// A migration directory for one dialect.
#[derive(Debug, Clone)]
pub struct MigrationDir {
    path: PathBuf,
    dialect: Dialect,
    migrations: Vec<MigrationFiles>,
}

/// What [`MigrationDir::adopt`] wrote.
#[derive(Debug, Clone)]
pub struct Adopted {
    /// The migration, now with its snapshot.
    pub migration: MigrationFiles,
    /// The migration that named the same parent before and now names the adopted one.
    pub reparented: Option<MigrationFiles>,
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

    /// Every migration, by version, with or without a snapshot.
    pub fn migrations(&self) -> &[MigrationFiles] {
        &self.migrations
    }

    /// The migrations without a snapshot (hand-written), by version.
    pub fn unsnapshotted(&self) -> Vec<&MigrationFiles> {
        self.migrations.iter().filter(|m| !m.has_snapshot).collect()
    }

    fn chain(&self) -> impl Iterator<Item = &MigrationFiles> {
        self.migrations.iter().filter(|m| m.has_snapshot)
    }

    /// The versions of the parent chain that no other migration names as its parent.
    /// Migrations without a snapshot are outside the chain and never heads.
    pub fn heads(&self) -> Vec<String> {
        self.chain()
            .filter(|m| {
                !self
                    .chain()
                    .any(|c| c.parent.as_deref() == Some(m.version.as_str()))
            })
            .map(|m| m.version.clone())
            .collect()
    }

    /// Snapshots that name a parent the chain lacks: `(migration, parent, parent present
    /// without a snapshot)`.
    pub fn missing_parents(&self) -> Vec<(&MigrationFiles, String, bool)> {
        self.chain()
            .filter_map(|m| {
                let parent = m.parent.as_ref()?;
                let found = self.migrations.iter().find(|p| &p.version == parent);
                match found {
                    Some(p) if p.has_snapshot => None,
                    Some(_) => Some((m, parent.clone(), true)),
                    None => Some((m, parent.clone(), false)),
                }
            })
            .collect()
    }

    /// The single head of the parent chain, or `None` when no migration has a snapshot.
    pub fn head(&self) -> Result<Option<&MigrationFiles>, DirectoryError> {
        if let Some((m, parent, present)) = self.missing_parents().into_iter().next() {
            return Err(if present {
                DirectoryError::ParentWithoutSnapshot {
                    path: self.path.clone(),
                    version: m.name(),
                    parent,
                }
            } else {
                DirectoryError::UnknownParent {
                    path: self.path.clone(),
                    version: m.name(),
                    parent,
                }
            });
        }
        let heads = self.heads();
        match heads.as_slice() {
            [] if self.chain().next().is_some() => Err(DirectoryError::Cycle {
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

    /// Refuses a directory holding a migration without a snapshot: what the schema is after
    /// it is unknown until it is adopted.
    pub fn require_snapshots(&self) -> Result<(), DirectoryError> {
        match self.unsnapshotted().first() {
            Some(m) => Err(DirectoryError::NoSnapshot {
                path: self.path.clone(),
                version: m.version.clone(),
                name: m.name(),
            }),
            None => Ok(()),
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
        let mut written = self.write_all(vec![migration])?;
        Ok(written.remove(0))
    }

    /// Writes several migrations (a split generation): every file of every one of them, or
    /// nothing. Records the dialect.
    pub fn write_all(
        &mut self,
        migrations: Vec<NewMigration>,
    ) -> Result<Vec<MigrationFiles>, DirectoryError> {
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
        let mut files = Vec::new();
        let mut out = Vec::new();
        for migration in &migrations {
            let base = format!("{}_{}", migration.version, migration.slug);
            let up = format!("{base}.up.sql");
            let down = format!("{base}.down.sql");
            let snapshot = format!("{base}.snapshot.json");
            out.push(MigrationFiles {
                version: migration.version.clone(),
                slug: migration.slug.clone(),
                up: self.path.join(&up),
                down: self.path.join(&down),
                snapshot_path: self.path.join(&snapshot),
                has_snapshot: true,
                parent: migration.snapshot.parent.clone(),
                parent_checksum: migration.snapshot.parent_checksum.clone(),
            });
            files.push((up, migration.up.clone()));
            files.push((down, migration.down.clone()));
            files.push((snapshot, migration.snapshot.to_json()));
        }
        self.place(&files, None)?;
        self.migrations.extend(out.iter().cloned());
        self.migrations
            .sort_by(|a, b| version_order(&a.version, &b.version));
        Ok(out)
    }

    /// Replaces migration `old` by `new` (the same version; `--amend`), all or nothing: the
    /// old files are kept aside until the new ones are in place, and put back on a failure.
    /// When the slug changes, the old files are removed.
    pub fn replace(
        &mut self,
        old: &MigrationFiles,
        new: NewMigration,
    ) -> Result<MigrationFiles, DirectoryError> {
        let base = format!("{}_{}", new.version, new.slug);
        let texts = [
            (format!("{base}.up.sql"), new.up.clone()),
            (format!("{base}.down.sql"), new.down.clone()),
            (format!("{base}.snapshot.json"), new.snapshot.to_json()),
        ];
        let olds: Vec<PathBuf> = [&old.up, &old.down, &old.snapshot_path]
            .into_iter()
            .filter(|p| p.exists())
            .cloned()
            .collect();
        let aside = |p: &Path| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            self.path
                .join(format!(".{}.replaced", name.unwrap_or_default()))
        };
        let mut moved: Vec<PathBuf> = Vec::new();
        let mut written: Vec<PathBuf> = Vec::new();
        let result = (|| {
            for (name, text) in &texts {
                let tmp = self.path.join(format!(".{name}.tmp"));
                written.push(tmp.clone());
                std::fs::write(&tmp, text).map_err(io(&tmp))?;
            }
            for path in &olds {
                std::fs::rename(path, aside(path)).map_err(io(path))?;
                moved.push(path.clone());
            }
            for (name, _) in &texts {
                let target = self.path.join(name);
                std::fs::rename(self.path.join(format!(".{name}.tmp")), &target)
                    .map_err(io(&target))?;
                written.push(target);
            }
            Ok(())
        })();
        if let Err(err) = result {
            for path in written {
                let _ = std::fs::remove_file(path);
            }
            for path in moved {
                let _ = std::fs::rename(aside(&path), &path);
            }
            return Err(err);
        }
        for path in &olds {
            let _ = std::fs::remove_file(aside(path));
        }
        let files = MigrationFiles {
            version: new.version.clone(),
            slug: new.slug.clone(),
            up: self.path.join(&texts[0].0),
            down: self.path.join(&texts[1].0),
            snapshot_path: self.path.join(&texts[2].0),
            has_snapshot: true,
            parent: new.snapshot.parent.clone(),
            parent_checksum: new.snapshot.parent_checksum.clone(),
        };
        self.migrations.retain(|m| m.version != old.version);
        self.migrations.push(files.clone());
        self.migrations
            .sort_by(|a, b| version_order(&a.version, &b.version));
        Ok(files)
    }

    /// Puts new files (which must not exist) and at most one replaced file in place, all or
    /// nothing: every file is first written under a temporary name; the new ones are renamed
    /// into place, and the replaced one last, so that a failure at any point can be undone by
    /// removing what was created (a rename over an existing file is atomic).
    fn place(
        &self,
        created: &[(String, String)],
        replaced: Option<(&str, String)>,
    ) -> Result<(), DirectoryError> {
        let tmp_of = |name: &str| self.path.join(format!(".{name}.tmp"));
        for (name, _) in created {
            let target = self.path.join(name);
            if target.exists() {
                return Err(DirectoryError::Exists { path: target });
            }
        }
        let mut temporary: Vec<PathBuf> = Vec::new();
        let mut placed: Vec<PathBuf> = Vec::new();
        let result = (|| {
            for (name, text) in created
                .iter()
                .map(|(n, t)| (n.as_str(), t))
                .chain(replaced.as_ref().map(|(n, t)| (*n, t)))
            {
                let tmp = tmp_of(name);
                temporary.push(tmp.clone());
                std::fs::write(&tmp, text).map_err(io(&tmp))?;
            }
            for (name, _) in created {
                let target = self.path.join(name);
                std::fs::rename(tmp_of(name), &target).map_err(io(&target))?;
                placed.push(target);
            }
            if let Some((name, _)) = &replaced {
                let target = self.path.join(name);
                std::fs::rename(tmp_of(name), &target).map_err(io(&target))?;
            }
            Ok(())
        })();
        if result.is_err() {
            for path in temporary.iter().chain(&placed) {
                let _ = std::fs::remove_file(path);
            }
        }
        result
    }

    /// Gives the snapshot-less migration `version` the snapshot `schema` and joins it to the
    /// parent chain: its parent is the newest migration with a snapshot before it, and the
    /// migration that named that parent (if any) now names it instead, with the checksum of
    /// its files, so the chain stays linear. Both snapshot files change together or not at all.
    pub fn adopt(&mut self, version: &str, schema: Schema) -> Result<Adopted, DirectoryError> {
        // Re-parenting is only well defined on a linear chain.
        self.head()?;
        let index = self
            .migrations
            .iter()
            .position(|m| m.version == version)
            .ok_or_else(|| DirectoryError::NoSuchVersion {
                path: self.path.clone(),
                version: version.to_owned(),
            })?;
        let target = self.migrations[index].clone();
        if target.has_snapshot {
            return Err(DirectoryError::AlreadySnapshotted {
                name: target.name(),
            });
        }
        let parent = self.migrations[..index]
            .iter()
            .rev()
            .find(|m| m.has_snapshot)
            .cloned();
        let parent_checksum = parent.as_ref().map(|p| p.files_checksum()).transpose()?;
        let parent_version = parent.as_ref().map(|p| p.version.clone());
        let child = self
            .chain()
            .find(|c| c.parent == parent_version && c.version != target.version)
            .cloned();
        let snapshot = Snapshot {
            version: Some(target.version.clone()),
            parent: parent_version.clone(),
            parent_checksum: parent_checksum.clone(),
            ..Snapshot::new(schema)
        };
        let name = |p: &Path| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let mut reparented = None;
        let replaced = match &child {
            Some(child) => {
                let mut child_snapshot = child.snapshot()?;
                let checksum = target.files_checksum()?;
                child_snapshot.parent = Some(target.version.clone());
                child_snapshot.parent_checksum = Some(checksum.clone());
                reparented = Some(MigrationFiles {
                    parent: Some(target.version.clone()),
                    parent_checksum: Some(checksum),
                    ..child.clone()
                });
                Some((name(&child.snapshot_path), child_snapshot.to_json()))
            }
            None => None,
        };
        self.place(
            &[(name(&target.snapshot_path), snapshot.to_json())],
            replaced.as_ref().map(|(n, t)| (n.as_str(), t.clone())),
        )?;
        let adopted = MigrationFiles {
            has_snapshot: true,
            parent: parent_version,
            parent_checksum,
            ..target
        };
        self.migrations[index] = adopted.clone();
        if let Some(r) = &reparented {
            if let Some(slot) = self.migrations.iter_mut().find(|m| m.version == r.version) {
                *slot = r.clone();
            }
        }
        Ok(Adopted {
            migration: adopted,
            reparented,
        })
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

/// The files of one version, as found.
#[derive(Default)]
struct Found {
    slug: String,
    up: bool,
    down: bool,
    snapshot: Option<PathBuf>,
    one_way: Option<String>,
}

fn read_migrations(path: &Path) -> Result<Vec<MigrationFiles>, DirectoryError> {
    let mut found: BTreeMap<String, Found> = BTreeMap::new();
    for entry in std::fs::read_dir(path).map_err(io(path))? {
        let entry = entry.map_err(io(path))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((version, rest)) = name.split_once('_') else {
            continue;
        };
        if version.is_empty() || !version.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        enum Kind {
            Up,
            Down,
            Snapshot,
            OneWay,
        }
        let (slug, kind) = if let Some(slug) = rest.strip_suffix(".up.sql") {
            (slug, Kind::Up)
        } else if let Some(slug) = rest.strip_suffix(".down.sql") {
            (slug, Kind::Down)
        } else if let Some(slug) = rest.strip_suffix(".snapshot.json") {
            (slug, Kind::Snapshot)
        } else if let Some(slug) = rest.strip_suffix(".sql") {
            // sqlx reads `<version>_<description>.sql` as a one-way migration.
            (slug, Kind::OneWay)
        } else {
            continue;
        };
        let slot = found.entry(version.to_owned()).or_insert_with(|| Found {
            slug: slug.to_owned(),
            ..Found::default()
        });
        if slot.slug != slug {
            let (first, second) = if slot.slug.as_str() < slug {
                (slot.slug.clone(), slug.to_owned())
            } else {
                (slug.to_owned(), slot.slug.clone())
            };
            return Err(DirectoryError::DuplicateVersion {
                path: path.to_owned(),
                version: version.to_owned(),
                first,
                second,
            });
        }
        match kind {
            Kind::Up => slot.up = true,
            Kind::Down => slot.down = true,
            Kind::Snapshot => slot.snapshot = Some(entry.path()),
            Kind::OneWay => slot.one_way = Some(name.clone()),
        }
    }
    let mut out = Vec::new();
    for (version, found) in found {
        let base = format!("{version}_{}", found.slug);
        if let Some(file) = found.one_way {
            return Err(DirectoryError::OneWay {
                path: path.to_owned(),
                file,
                name: base,
            });
        }
        if found.up && !found.down {
            return Err(DirectoryError::MissingDown {
                path: path.to_owned(),
                name: base,
            });
        }
        if !found.up {
            return Err(DirectoryError::Incomplete {
                path: path.to_owned(),
                version,
                missing: format!("{base}.up.sql"),
            });
        }
        let (parent, parent_checksum) = match &found.snapshot {
            Some(snapshot) => read_header(snapshot)?,
            None => (None, None),
        };
        out.push(MigrationFiles {
            up: path.join(format!("{base}.up.sql")),
            down: path.join(format!("{base}.down.sql")),
            snapshot_path: path.join(format!("{base}.snapshot.json")),
            has_snapshot: found.snapshot.is_some(),
            version,
            slug: found.slug,
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

    /// A schema body of `tables` entries, as pretty JSON indented for the `"schema"` member.
    fn schema_body(tables: usize) -> String {
        let entries: Vec<String> = (0..tables)
            .map(|i| format!("    \"t{i}\": {{\n      \"name\": \"t{i}\"\n    }}"))
            .collect();
        format!("{{\n{}\n  }}", entries.join(",\n"))
    }

    fn header_of(text: &str) -> (Option<String>, Option<String>) {
        static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "migrate-gen-header-{}-{}.snapshot.json",
            std::process::id(),
            COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        std::fs::write(&path, text).unwrap();
        let header = read_header(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        header
    }

    fn expected() -> (Option<String>, Option<String>) {
        (Some("20260101000000".into()), Some("abc".into()))
    }

    #[test]
    fn the_writers_layout_is_read_from_its_ends() {
        let snapshot = Snapshot {
            version: Some("20260101000001".into()),
            parent: Some("20260101000000".into()),
            parent_checksum: Some("abc".into()),
            ..Snapshot::new(Schema::new())
        };
        let text = snapshot.to_json();
        assert_eq!(fast_header(&text, &text), Some(expected()));
        assert_eq!(header_of(&text), expected());
        let first = Snapshot::new(Schema::new()).to_json();
        assert_eq!(fast_header(&first, &first), Some((None, None)));
        // A large schema: only the first and last kilobyte are looked at.
        let large = format!(
            "{{\n  \"format_version\": 1,\n  \"version\": \"20260101000001\",\n  \
             \"parent\": \"20260101000000\",\n  \"parent_checksum\": \"abc\",\n  \
             \"schema\": {}\n}}\n",
            schema_body(200)
        );
        assert!(large.len() > 4 * PEEK);
        let cut = large.len() - PEEK;
        let tail = &large[cut + large[cut..].find('\n').unwrap() + 1..];
        assert_eq!(fast_header(&large[..PEEK], tail), Some(expected()));
        assert_eq!(header_of(&large), expected());
    }

    /// Reading a directory stays cheap: every snapshot of the reference app's history takes
    /// the fast path.
    #[test]
    fn generated_snapshots_take_the_fast_path() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/todo/migrations");
        let mut seen = 0;
        let entries = ["postgres", "sqlite"]
            .iter()
            .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap());
        for entry in entries {
            let path = entry.unwrap().path();
            if !path.to_string_lossy().ends_with(".snapshot.json") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let cut = bytes.len().saturating_sub(PEEK);
            let tail = if cut == 0 {
                &bytes[..]
            } else {
                let newline = bytes[cut..].iter().position(|b| *b == b'\n').unwrap();
                &bytes[cut + newline + 1..]
            };
            let head = &bytes[..bytes.len().min(PEEK)];
            let snapshot = Snapshot::from_json(&String::from_utf8(bytes.clone()).unwrap()).unwrap();
            assert_eq!(
                fast_header(
                    &String::from_utf8_lossy(head),
                    &String::from_utf8_lossy(tail)
                ),
                Some((snapshot.parent, snapshot.parent_checksum)),
                "{}",
                path.display()
            );
            seen += 1;
        }
        assert!(seen >= 12);
    }

    /// Key order is not part of the format: a snapshot whose `parent` comes after the schema
    /// (reordered by hand or by another tool) still has its parent.
    #[test]
    fn header_keys_after_the_schema_are_read() {
        for tables in [2, 200] {
            let reordered = format!(
                "{{\n  \"format_version\": 1,\n  \"schema\": {},\n  \
                 \"version\": \"20260101000001\",\n  \"parent\": \"20260101000000\",\n  \
                 \"parent_checksum\": \"abc\"\n}}\n",
                schema_body(tables)
            );
            assert_eq!(header_of(&reordered), expected(), "{tables} tables");
            // The parent alone after the schema.
            let parent_last = format!(
                "{{\n  \"format_version\": 1,\n  \"parent_checksum\": \"abc\",\n  \
                 \"schema\": {},\n  \"parent\": \"20260101000000\"\n}}\n",
                schema_body(tables)
            );
            assert_eq!(header_of(&parent_last), expected(), "{tables} tables");
        }
        let one_line =
            r#"{"schema":{},"parent_checksum":"abc","format_version":1,"parent":"20260101000000"}"#;
        assert_eq!(header_of(one_line), expected());
        // Header keys in another order before the schema are still the writer's layout.
        let swapped = format!(
            "{{\n  \"parent\": \"20260101000000\",\n  \"format_version\": 1,\n  \
             \"parent_checksum\": \"abc\",\n  \"schema\": {}\n}}\n",
            schema_body(2)
        );
        assert_eq!(header_of(&swapped), expected());
    }

    #[test]
    fn a_directory_with_a_reordered_snapshot_has_one_head() {
        let dir =
            std::env::temp_dir().join(format!("migrate-gen-reordered-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut migrations = MigrationDir::open(&dir, Dialect::Postgres).unwrap();
        let mut parent = None;
        for version in ["20260101000000", "20260101000001"] {
            migrations
                .write(NewMigration {
                    version: version.into(),
                    slug: "step".into(),
                    up: "SELECT 1;\n".into(),
                    down: "SELECT 1;\n".into(),
                    snapshot: Snapshot {
                        version: Some(version.into()),
                        parent: parent.clone(),
                        ..Snapshot::new(Schema::new())
                    },
                })
                .unwrap();
            parent = Some(version.to_owned());
        }
        let child = dir.join("20260101000001_step.snapshot.json");
        std::fs::write(
            &child,
            "{\n  \"schema\": {\n    \"tables\": {},\n    \"enums\": {}\n  },\n  \
             \"format_version\": 1,\n  \"version\": \"20260101000001\",\n  \
             \"parent\": \"20260101000000\"\n}\n",
        )
        .unwrap();
        let reopened = MigrationDir::open(&dir, Dialect::Postgres).unwrap();
        assert_eq!(reopened.heads(), ["20260101000001"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
