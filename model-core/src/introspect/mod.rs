//! Introspection: a live database read back into a [`Schema`](crate::schema::Schema), so that
//! `drift` and `verify` can compare it with a snapshot. One module per database.

#[cfg(feature = "mysql")]
pub mod mysql;
pub mod postgres;
#[cfg(feature = "sqlite")]
pub mod sqlite;
