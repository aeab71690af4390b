//! The traits that `#[derive(Table)]` and `#[derive(DbEnum)]` implement.

use std::marker::PhantomData;

use crate::schema;

/// A struct that describes a table. Implemented by `#[derive(Table)]`; not meant to be
/// implemented by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a table",
    label = "not a `#[derive(Table)]` type",
    note = "`references` must name a struct with `#[derive(Table)]`"
)]
pub trait Table: 'static {
    /// The table name.
    const NAME: &'static str;
    /// The primary key column names, in key order.
    const PRIMARY_KEY: &'static [&'static str];
    /// The Rust type of the primary key: the field type for a single-column key, or
    /// [`CompositeKey`] for a composite one.
    type PrimaryKey: ?Sized;
    /// One [`ColumnRef`] field per struct field, named like the struct field.
    type Columns: 'static;
    /// The typed column handles, as used by `references = Model::field`.
    const COLUMNS: Self::Columns;
    /// The table's full description.
    fn table_def() -> schema::Table;
}

/// The [`Table::PrimaryKey`] of a table with a composite primary key. A single-column foreign
/// key cannot reference it.
///
/// It is unsized and never constructed: being the one key type that is not `Sized` is what lets
/// the compiler tell a composite key apart from a single column (of any type) in `references`.
pub struct CompositeKey {
    _unsized: [()],
}

/// A typed handle on a column: its name, and the Rust type of its field.
pub struct ColumnRef<T: ?Sized> {
    name: &'static str,
    ty: PhantomData<fn() -> T>,
}

impl<T: ?Sized> ColumnRef<T> {
    /// A handle on the column called `name`.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            ty: PhantomData,
        }
    }

    /// The column name.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<T: ?Sized> Clone for ColumnRef<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for ColumnRef<T> {}

impl<T: ?Sized> std::fmt::Debug for ColumnRef<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ColumnRef").field(&self.name).finish()
    }
}

/// A fieldless enum stored as a database enum. Implemented by `#[derive(DbEnum)]`.
pub trait DbEnum: Sized + Copy + 'static {
    /// The enum type name.
    const NAME: &'static str;
    /// Every variant, in declaration order.
    const VARIANTS: &'static [Self];
    /// The database spelling of this value.
    fn as_db_str(&self) -> &'static str;
    /// The value with this database spelling.
    fn from_db_str(value: &str) -> Option<Self>;
    /// The enum type's full description.
    fn enum_def() -> schema::Enum;
}
