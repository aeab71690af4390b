//! Snapshot files: a [`Schema`] as stable, pretty JSON with a format version.
//!
//! The format is `{"format_version": N, "version": ..., "parent": ..., "schema": {...}}` with
//! two-space indentation, keys in a fixed order (struct fields in declaration order, maps sorted by key) and a final newline,
//! so the same schema always gives the same bytes and diffs of snapshot files stay readable.
//! A file written by a newer release (a higher `format_version`) is refused, never guessed at.

use serde::{Deserialize, Serialize};

use crate::schema::Schema;

/// The snapshot format this release writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

/// A schema with its format version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The format version of the file.
    pub format_version: u32,
    /// The migration this snapshot belongs to (absent for a snapshot of the models alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The migration whose snapshot this one was diffed from (absent for the first migration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// SHA-384 (hex) of the parent's up and down files as they were when this migration was
    /// generated: once a migration has a child, edits to it are detected (`check`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_checksum: Option<String>,
    /// The schema.
    pub schema: Schema,
}

/// Why a snapshot cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SnapshotError {
    /// The text is not a snapshot.
    #[error("not a valid snapshot: {0}")]
    Invalid(#[source] serde_json::Error),
    /// The snapshot lacks its `format_version`.
    #[error("not a valid snapshot: no `format_version` field")]
    MissingVersion,
    /// The snapshot was written by a newer release.
    #[error(
        "snapshot format version {found} is newer than this release supports ({supported}); \
         upgrade migrate-gen to read it"
    )]
    FutureVersion {
        /// The version in the file.
        found: u64,
        /// The newest version this release reads.
        supported: u32,
    },
}

impl Snapshot {
    /// A snapshot of `schema` in the current format.
    pub fn new(schema: Schema) -> Self {
        Self {
            format_version: FORMAT_VERSION,
            version: None,
            parent: None,
            parent_checksum: None,
            schema,
        }
    }

    /// The file text: pretty JSON ending in a newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self)
            .expect("a schema holds only strings, numbers, booleans, lists and maps");
        text.push('\n');
        text
    }

    /// Reads a snapshot, refusing formats newer than [`FORMAT_VERSION`].
    pub fn from_json(text: &str) -> Result<Self, SnapshotError> {
        // The version first, skipping the rest without building it, so that a newer format
        // is named as such rather than as a parse error; then the snapshot itself.
        #[derive(Deserialize)]
        struct Version {
            format_version: Option<serde_json::Value>,
        }
        let version = serde_json::from_str::<Version>(text)
            .map_err(SnapshotError::Invalid)?
            .format_version
            .as_ref()
            .and_then(serde_json::Value::as_u64)
            .ok_or(SnapshotError::MissingVersion)?;
        if version > u64::from(FORMAT_VERSION) {
            return Err(SnapshotError::FutureVersion {
                found: version,
                supported: FORMAT_VERSION,
            });
        }
        serde_json::from_str(text).map_err(SnapshotError::Invalid)
    }
}
