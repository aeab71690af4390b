//! Tables as Rust structs, and the schema they describe.
//!
//! `#[derive(Table)]` on a struct and `#[derive(DbEnum)]` on a fieldless enum register their
//! schema in a process-wide [`registry`]: no hand-kept list of models. The registry becomes a
//! [`schema::Schema`], which a [`snapshot::Snapshot`] stores as stable JSON. Each [`dialect`]
//! spells types, identifiers and literals; [`render`] writes the operations between two
//! schemas as SQL.
//!
//! ```
//! use model_core::{DbEnum, Table};
//!
//! #[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
//! #[db_enum(name = "priority", rename_all = "SCREAMING_SNAKE_CASE")]
//! pub enum Priority { High, Medium, Low, None }
//!
//! #[derive(Table, Debug, Clone)]
//! #[table(name = "users")]
//! pub struct User {
//!     #[column(primary_key)]
//!     pub id: uuid::Uuid,
//!     #[column(unique, max_length = 320)]
//!     pub email: String,
//! }
//!
//! #[derive(Table, Debug, Clone)]
//! #[table(name = "tasks")]
//! #[table(index(name = "ix_tasks_user_priority", columns = ["user_id", "priority"]))]
//! #[table(check(name = "ck_tasks_title_not_blank", expr = "length(title) > 0"))]
//! pub struct Task {
//!     #[column(primary_key)]
//!     pub id: uuid::Uuid,
//!     #[column(references = User, on_delete = "cascade", index)]
//!     pub user_id: uuid::Uuid,
//!     #[column(max_length = 200)]
//!     pub title: String,
//!     pub description: Option<String>,
//!     #[column(default = Priority::None, index)]
//!     pub priority: Priority,
//!     #[column(default_sql = "now()")]
//!     pub created_at: chrono::DateTime<chrono::Utc>,
//! }
//!
//! let schema = model_core::registry::schema().unwrap();
//! let tasks = &schema.tables["tasks"];
//! assert_eq!(tasks.foreign_keys[0].name, "fk_tasks_user_id_users");
//! assert_eq!(schema.enums["priority"].values.len(), 4);
//!
//! // A snapshot is stable JSON that reads back to the same schema.
//! let snapshot = model_core::snapshot::Snapshot::new(schema.clone());
//! let text = snapshot.to_json();
//! assert_eq!(model_core::snapshot::Snapshot::from_json(&text).unwrap().schema, schema);
//!
//! // Every dialect spells the types its own way.
//! use model_core::dialect::Dialect;
//! let title = tasks.column("title").unwrap();
//! assert_eq!(Dialect::Postgres.sql().column_type(&title.ty, &schema).unwrap(), "VARCHAR(200)");
//! let priority = tasks.column("priority").unwrap();
//! assert_eq!(
//!     Dialect::Mysql.sql().column_type(&priority.ty, &schema).unwrap(),
//!     "ENUM('HIGH', 'MEDIUM', 'LOW', 'NONE')"
//! );
//! ```
//!
//! The attribute language is described on the derives ([`Table`](derive@Table),
//! [`DbEnum`](derive@DbEnum)); the type mapping, and how to map your own types, on
//! [`SqlType`].

#![warn(missing_docs)]

#[cfg(not(feature = "postgres"))]
compile_error!(
    "model-core needs its `postgres` feature: the runner, introspection and scratch databases \
     serve PostgreSQL (the `sqlite` and `mysql` features add those drivers beside it)"
);

pub mod adopt;
pub mod amend;
pub mod dialect;
pub mod diff;
pub mod generate;
pub mod introspect;
pub mod lint;
pub mod migration;
mod model;
pub mod naming;
pub mod operation;
pub mod plan;
pub mod registry;
pub mod render;
pub mod runner;
pub mod schema;
pub mod snapshot;
pub mod synthetic;
pub mod testing;
mod types;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use model::{ColumnRef, CompositeKey, DbEnum, Table};
pub use model_derive::{DbEnum, Table};
pub use types::{ArrayElement, SqlType};
