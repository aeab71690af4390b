//! The models of your service. Every `#[derive(Table)]` here is picked up by the companion
//! binary in `src/bin/migrate-gen.rs`.

use model_core::{DbEnum, Table};

/// Where a note is in its life.
#[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[db_enum(name = "note_state", rename_all = "snake_case")]
pub enum NoteState {
    /// Being written.
    Draft,
    /// Visible to others.
    Published,
}

/// A note.
#[derive(Table, sqlx::FromRow, Debug, Clone)]
#[table(name = "notes")]
pub struct Note {
    /// Primary key (an identity column).
    #[column(primary_key)]
    pub id: i64,
    /// Title.
    #[column(max_length = 120)]
    pub title: String,
    /// Body text.
    pub body: Option<String>,
    /// State.
    #[column(default = NoteState::Draft, index)]
    pub state: NoteState,
}
