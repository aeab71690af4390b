//! Introspection: a live database read back into a [`Schema`](crate::schema::Schema), so that
//! `drift` and `verify` can compare it with a snapshot, and `pull` can write models for it. One
//! module per database.

#[cfg(feature = "mysql")]
pub mod mysql;
pub mod postgres;
#[cfg(feature = "sqlite")]
pub mod sqlite;

/// What a database holds beyond the tables and enums a [`Schema`](crate::schema::Schema)
/// describes: the objects models cannot declare (views, functions, triggers, ...), which
/// `pull` lists rather than drops silently, and the extensions its tables use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extras {
    /// One line per object, such as `view active_users` or `trigger audit on tasks`, sorted.
    pub objects: Vec<String>,
    /// PostgreSQL extensions installed in the database (other than `plpgsql`), each with the
    /// tables whose column types or index operator classes come from it, sorted.
    pub extensions: Vec<(String, Vec<String>)>,
}
