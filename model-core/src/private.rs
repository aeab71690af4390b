//! What the derives expand to. Not a public API: everything here may change in any release.
//!
//! Generated code names items only through `::model_core::__private`, so a user's own `Option`,
//! `Result` or `String` in scope cannot change what it means.

pub use ::core;
pub use ::inventory;
pub use ::sqlx;
pub use ::std;

pub use crate::model::{ColumnRef, CompositeKey, DbEnum, Table};
pub use crate::registry::{EnumRegistration, TableRegistration};
pub use crate::schema::{
    ColumnType, Deferrable, IndexKey, IndexMethod, IndexTarget, NullsOrder, ReferentialAction,
    SortOrder, Value,
};
pub use crate::types::{ArrayElement, SqlType};
pub use crate::{impl_sqlx_enum, impl_sqlx_enum_mysql, impl_sqlx_enum_sqlite, naming, schema};

use crate::schema::{
    Check, Column, ColumnDefault, Enum, EnumValue, ForeignKey, Identity, Index, PrimaryKey, Unique,
};

/// Identity choice from `#[column(identity = ...)]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityChoice {
    /// Not given: identity when the column is a single integer primary key that is not a
    /// foreign key.
    Auto,
    /// `identity = false`
    Off,
    /// `identity = "by default"` / `identity = true`
    ByDefault,
    /// `identity = "always"`
    Always,
}

/// Builds one column.
#[derive(Debug)]
pub struct ColumnBuilder {
    column: Column,
    identity: IdentityChoice,
    extensions: &'static [&'static str],
}

impl ColumnBuilder {
    /// A column whose type comes from the field's [`SqlType`].
    pub fn typed<T: SqlType + ?Sized>(name: &str) -> Self {
        Self::new(name, T::column_type(), T::NULLABLE, T::EXTENSIONS)
    }

    /// A column with `sql_type = "..."`.
    pub fn raw(name: &str, sql: &str, nullable: bool) -> Self {
        Self::new(
            name,
            ColumnType::Custom {
                sql: sql.to_owned(),
            },
            nullable,
            &[],
        )
    }

    fn new(
        name: &str,
        ty: ColumnType,
        nullable: bool,
        extensions: &'static [&'static str],
    ) -> Self {
        Self {
            column: Column::new(name, ty, nullable),
            identity: IdentityChoice::Auto,
            extensions,
        }
    }

    /// `max_length = n`: text becomes `VARCHAR(n)`.
    pub fn max_length(mut self, length: u32) -> Self {
        if let ColumnType::Text = self.column.ty {
            self.column.ty = ColumnType::Varchar { length };
        }
        self
    }

    /// `precision = p, scale = s` on a decimal.
    pub fn precision(mut self, precision: Option<u32>, scale: Option<u32>) -> Self {
        if let ColumnType::Decimal { .. } = self.column.ty {
            self.column.ty = ColumnType::Decimal { precision, scale };
        }
        self
    }

    /// `default = <expr>`
    pub fn default_value(mut self, value: Value) -> Self {
        self.column.default = Some(ColumnDefault::Value(value));
        self
    }

    /// `default_sql = "..."`
    pub fn default_sql(mut self, sql: &str) -> Self {
        self.column.default = Some(ColumnDefault::Sql(sql.to_owned()));
        self
    }

    /// `renamed_from = "..."`
    pub fn renamed_from(mut self, old: &str) -> Self {
        self.column.renamed_from = Some(old.to_owned());
        self
    }

    /// `backfill_sql = "..."`
    pub fn backfill_sql(mut self, sql: &str) -> Self {
        self.column.backfill_sql = Some(sql.to_owned());
        self
    }

    /// `comment = "..."`
    pub fn comment(mut self, text: &str) -> Self {
        self.column.comment = Some(text.to_owned());
        self
    }

    /// `identity = ...`
    pub fn identity(mut self, choice: IdentityChoice) -> Self {
        self.identity = choice;
        self
    }
}

/// Builds one table; [`TableBuilder::finish`] fills in generated names and sorts.
#[derive(Debug)]
pub struct TableBuilder {
    name: String,
    renamed_from: Option<String>,
    comment: Option<String>,
    columns: Vec<ColumnBuilder>,
    primary_key: Vec<String>,
    primary_key_name: Option<String>,
    indexes: Vec<(Option<String>, Index)>,
    uniques: Vec<(Option<String>, Vec<String>)>,
    checks: Vec<(Option<String>, String)>,
    foreign_keys: Vec<(Option<String>, ForeignKey)>,
    extensions: Vec<String>,
}

fn owned(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

impl TableBuilder {
    /// A table called `name`.
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            renamed_from: None,
            comment: None,
            columns: Vec::new(),
            primary_key: Vec::new(),
            primary_key_name: None,
            indexes: Vec::new(),
            uniques: Vec::new(),
            checks: Vec::new(),
            foreign_keys: Vec::new(),
            extensions: Vec::new(),
        }
    }

    /// `#[table(renamed_from = "...")]`
    pub fn renamed_from(&mut self, old: &str) {
        self.renamed_from = Some(old.to_owned());
    }

    /// `#[table(comment = "...")]`
    pub fn comment(&mut self, text: &str) {
        self.comment = Some(text.to_owned());
    }

    /// `#[table(extensions = [...])]`
    pub fn extension(&mut self, name: &str) {
        self.extensions.push(name.to_owned());
    }

    /// `#[table(primary_key_name = "...")]`
    pub fn primary_key_name(&mut self, name: &str) {
        self.primary_key_name = Some(name.to_owned());
    }

    /// Adds a column; `primary_key` marks it part of the key (in field order).
    pub fn column(&mut self, column: ColumnBuilder, primary_key: bool) {
        if primary_key {
            self.primary_key.push(column.column.name.clone());
        }
        self.columns.push(column);
    }

    /// Adds an index.
    pub fn index(
        &mut self,
        name: Option<&str>,
        keys: Vec<IndexKey>,
        unique: bool,
        method: Option<IndexMethod>,
        predicate: Option<&str>,
    ) {
        self.indexes.push((
            name.map(str::to_owned),
            Index {
                name: String::new(),
                keys,
                unique,
                method,
                predicate: predicate.map(str::to_owned),
            },
        ));
    }

    /// Adds a UNIQUE constraint.
    pub fn unique(&mut self, name: Option<&str>, columns: &[&str]) {
        self.uniques.push((name.map(str::to_owned), owned(columns)));
    }

    /// Adds a CHECK constraint.
    pub fn check(&mut self, name: Option<&str>, expr: &str) {
        self.checks.push((name.map(str::to_owned), expr.to_owned()));
    }

    /// Adds a foreign key.
    #[allow(clippy::too_many_arguments)]
    pub fn foreign_key(
        &mut self,
        name: Option<&str>,
        columns: &[&str],
        ref_table: &str,
        ref_columns: &[&str],
        on_delete: ReferentialAction,
        on_update: ReferentialAction,
        deferrable: Deferrable,
    ) {
        self.foreign_keys.push((
            name.map(str::to_owned),
            ForeignKey {
                name: String::new(),
                columns: owned(columns),
                ref_table: ref_table.to_owned(),
                ref_columns: owned(ref_columns),
                on_delete,
                on_update,
                deferrable,
            },
        ));
    }

    /// The finished table: generated names, identity columns, sorted collections.
    pub fn finish(self) -> crate::schema::Table {
        let table = self.name;
        let fk_columns: Vec<&String> = self
            .foreign_keys
            .iter()
            .flat_map(|(_, fk)| fk.columns.iter())
            .collect();
        let single_key = match self.primary_key.as_slice() {
            [only] => Some(only.clone()),
            _ => None,
        };
        let mut extensions: Vec<String> = self.extensions;
        let columns = self
            .columns
            .into_iter()
            .map(|builder| {
                let mut column = builder.column;
                extensions.extend(builder.extensions.iter().map(|e| (*e).to_owned()));
                let integer = matches!(
                    column.ty,
                    ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
                );
                let is_single_key = single_key.as_deref() == Some(column.name.as_str());
                column.identity = match builder.identity {
                    IdentityChoice::Off => None,
                    IdentityChoice::ByDefault => Some(Identity::ByDefault),
                    IdentityChoice::Always => Some(Identity::Always),
                    IdentityChoice::Auto => (is_single_key
                        && integer
                        && column.default.is_none()
                        && !fk_columns.contains(&&column.name))
                    .then_some(Identity::ByDefault),
                };
                column
            })
            .collect();
        let primary_key = PrimaryKey {
            name: self
                .primary_key_name
                .unwrap_or_else(|| naming::primary_key(&table)),
            columns: self.primary_key,
        };
        let indexes = index_names(&table, self.indexes);
        let uniques = self
            .uniques
            .into_iter()
            .map(|(name, columns)| Unique {
                name: name.unwrap_or_else(|| naming::unique(&table, &columns)),
                columns,
            })
            .collect();
        let checks = self
            .checks
            .into_iter()
            .map(|(name, expr)| Check {
                name: name.unwrap_or_else(|| naming::check(&table, &expr)),
                expr,
            })
            .collect();
        let foreign_keys = self
            .foreign_keys
            .into_iter()
            .map(|(name, mut fk)| {
                fk.name =
                    name.unwrap_or_else(|| naming::foreign_key(&table, &fk.columns, &fk.ref_table));
                fk
            })
            .collect();
        let mut out = crate::schema::Table {
            name: table,
            renamed_from: self.renamed_from,
            comment: self.comment,
            columns,
            primary_key,
            indexes,
            uniques,
            checks,
            foreign_keys,
            extensions,
        };
        out.normalize();
        out
    }
}

/// One index key: a column (`expression == false`) or an expression, with options.
pub fn index_key(
    expression: bool,
    target: &str,
    opclass: Option<&str>,
    order: Option<SortOrder>,
    nulls: Option<NullsOrder>,
) -> IndexKey {
    IndexKey {
        target: if expression {
            IndexTarget::Expression(target.to_owned())
        } else {
            IndexTarget::Column(target.to_owned())
        },
        opclass: opclass.map(str::to_owned),
        order,
        nulls,
    }
}

/// The words an index key contributes to a generated index name.
/// Names the indexes the models leave unnamed. The generated name `ix_<table>_<keys>` says
/// which keys an index covers; when two indexes of the table would get the same name (the same
/// keys, but a predicate, method, operator class, NULLS order or uniqueness tells them apart),
/// or an unnamed index would take an explicit name, each one that has such a feature gets it
/// spelled after the keys (`ix_users_email_where_deleted_at_is_null`, `ix_users_email_unique`),
/// and only a plain one keeps the short name. An index alone with its name keeps the short
/// name whatever its features, so names in existing histories do not change.
fn index_names(table: &str, indexes: Vec<(Option<String>, Index)>) -> Vec<Index> {
    let base: Vec<Option<String>> = indexes
        .iter()
        .map(|(name, index)| {
            name.is_none().then(|| {
                let keys: Vec<String> = index.keys.iter().map(key_words).collect();
                naming::index(table, &keys)
            })
        })
        .collect();
    let explicit: Vec<&str> = indexes.iter().filter_map(|(n, _)| n.as_deref()).collect();
    indexes
        .iter()
        .zip(&base)
        .enumerate()
        .map(|(i, ((name, index), generated))| {
            let mut index = index.clone();
            index.name = match generated {
                None => name.clone().unwrap_or_default(),
                Some(generated) => {
                    let taken = explicit.contains(&generated.as_str());
                    let shared = taken
                        || base
                            .iter()
                            .enumerate()
                            .any(|(j, other)| j != i && other.as_ref() == Some(generated));
                    let mut features = index_features(&index);
                    if taken && features.is_empty() {
                        // A plain index whose short name another index has explicitly.
                        features.push("btree".to_owned());
                    }
                    if shared && !features.is_empty() {
                        let mut parts: Vec<String> = index.keys.iter().map(key_words).collect();
                        parts.extend(features);
                        naming::index(table, &parts)
                    } else {
                        generated.clone()
                    }
                }
            };
            index
        })
        .collect()
}

/// What sets an index apart from a plain ascending b-tree index on the same keys, as words for
/// its name: uniqueness, the method, operator classes, NULLS orders and the predicate.
fn index_features(index: &Index) -> Vec<String> {
    let mut out = Vec::new();
    if index.unique {
        out.push("unique".to_owned());
    }
    if let Some(method) = index
        .method
        .filter(|m| *m != crate::schema::IndexMethod::Btree)
    {
        out.push(method.as_str().to_owned());
    }
    for key in &index.keys {
        if let Some(opclass) = &key.opclass {
            out.push(opclass.clone());
        }
        match key.nulls {
            Some(crate::schema::NullsOrder::First) => out.push("nulls_first".to_owned()),
            Some(crate::schema::NullsOrder::Last) => out.push("nulls_last".to_owned()),
            None => {}
        }
    }
    if let Some(predicate) = &index.predicate {
        out.push(format!("where {predicate}"));
    }
    out
}

/// The words an index key contributes to a generated index name.
pub fn key_words(key: &IndexKey) -> String {
    let mut words = match &key.target {
        IndexTarget::Column(c) => c.clone(),
        IndexTarget::Expression(e) => e.clone(),
    };
    if key.order == Some(SortOrder::Desc) {
        words.push_str(" desc");
    }
    words
}

/// Builds an enum type.
#[derive(Debug)]
pub struct EnumBuilder(Enum);

impl EnumBuilder {
    /// An enum type called `name`.
    pub fn new(name: &str) -> Self {
        Self(Enum {
            name: name.to_owned(),
            values: Vec::new(),
        })
    }

    /// Appends a value.
    pub fn value(mut self, name: &str, renamed_from: Option<&str>) -> Self {
        self.0.values.push(EnumValue {
            name: name.to_owned(),
            renamed_from: renamed_from.map(str::to_owned),
        });
        self
    }

    /// The finished enum.
    pub fn finish(self) -> Enum {
        self.0
    }
}

/// A field type with a column mapping, as generated code sees it: every [`SqlType`]. Generated
/// code goes through this trait (`<T as FieldType>::...`, never a function bound) so that a
/// type without a mapping is one error at the field, however many times the code uses it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no SQL column type",
    label = "this field's type has no column mapping",
    note = "implement `model_core::SqlType` for `{Self}`, or give the field `#[column(sql_type = \"...\")]`"
)]
pub trait FieldType {
    /// [`SqlType::NULLABLE`]
    const NULLABLE: bool;
    /// [`SqlType::Value`]
    type Value;
    /// A column of this type called `name`.
    fn column(name: &str) -> ColumnBuilder;
    /// [`SqlType::literal`], by value.
    fn literal(value: Self::Value) -> Value;
}

#[diagnostic::do_not_recommend]
impl<T: SqlType + ?Sized> FieldType for T {
    const NULLABLE: bool = T::NULLABLE;
    type Value = T::Value;
    fn column(name: &str) -> ColumnBuilder {
        ColumnBuilder::typed::<T>(name)
    }
    fn literal(value: T::Value) -> Value {
        T::literal(&value)
    }
}

/// Implemented for field types that may reference a column of type `Target`: the same type,
/// or either side wrapped in `Option`.
#[diagnostic::on_unimplemented(
    message = "foreign key type mismatch: `{Self}` cannot reference a column of type `{Target}`",
    label = "the referenced column has type `{Target}`",
    note = "a foreign key field must have the referenced column's type, or `Option` of it"
)]
pub trait References<Target: ?Sized> {}
impl<T> References<T> for T {}
impl<T> References<T> for ::core::option::Option<T> {}
impl<T> References<::core::option::Option<T>> for T {}
/// A composite key is not a column: the type check lets it through, and the derive reports a
/// single-field `references` to such a table with its own message (a constant check on
/// [`Table::PRIMARY_KEY`]) instead of as a type mismatch. `CompositeKey` being unsized keeps
/// this impl apart from the ones above.
impl<F: ?Sized> References<CompositeKey> for F {}

/// Compiles only when a field of type `F` may reference a column of type `T`.
pub const fn check_reference<F: ?Sized + References<T>, T>(_column: &ColumnRef<T>) {}

/// Compiles only when a field of type `F` may reference a primary key of type `K` (the
/// referenced table's [`Table::PrimaryKey`]).
pub const fn check_reference_primary_key<F: ?Sized + References<K>, K: ?Sized>() {}

/// Implemented for `Option<T>`: the columns that accept NULL (`on_delete = "set null"`).
#[diagnostic::on_unimplemented(
    message = "`on_delete = \"set null\"` needs a nullable column, but the field has type `{Self}`",
    label = "not an `Option`",
    note = "make the field `Option<{Self}>`, or choose another `on_delete` action"
)]
pub trait NullableOnDelete {}
impl<T> NullableOnDelete for ::core::option::Option<T> {}

/// Implemented for `Option<T>`: the columns that accept NULL (`on_update = "set null"`).
#[diagnostic::on_unimplemented(
    message = "`on_update = \"set null\"` needs a nullable column, but the field has type `{Self}`",
    label = "not an `Option`",
    note = "make the field `Option<{Self}>`, or choose another `on_update` action"
)]
pub trait NullableOnUpdate {}
impl<T> NullableOnUpdate for ::core::option::Option<T> {}

/// Compiles only when `T` is nullable, for `on_delete = "set null"`.
pub const fn check_set_null_on_delete<T: ?Sized + NullableOnDelete>() {}

/// Compiles only when `T` is nullable, for `on_update = "set null"`.
pub const fn check_set_null_on_update<T: ?Sized + NullableOnUpdate>() {}

/// Implemented for the string types that `max_length` applies to.
#[diagnostic::on_unimplemented(
    message = "`max_length` applies to `String` fields, but the field has type `{Self}`",
    label = "not a `String` or `Option<String>`",
    note = "remove `max_length`, or use `sql_type` for a custom type"
)]
pub trait MaxLength {}
impl MaxLength for ::std::string::String {}
impl MaxLength for ::core::option::Option<::std::string::String> {}

/// Compiles only when `max_length` applies to `T`.
pub const fn check_max_length<T: ?Sized + MaxLength>() {}

/// Implemented for the decimal types that `precision` and `scale` apply to.
#[diagnostic::on_unimplemented(
    message = "`precision` and `scale` apply to `rust_decimal::Decimal` fields, but the field has type `{Self}`",
    label = "not a decimal",
    note = "remove `precision`/`scale`, or use `sql_type`"
)]
pub trait Precision {}
impl Precision for rust_decimal::Decimal {}
impl Precision for ::core::option::Option<rust_decimal::Decimal> {}

/// Compiles only when `precision`/`scale` apply to `T`.
pub const fn check_precision<T: ?Sized + Precision>() {}

/// Implemented for the integer types an identity column can have. (`do_not_recommend` keeps
/// the impls out of the error, whose note already names them.)
#[diagnostic::on_unimplemented(
    message = "`identity` needs an integer primary key, but the field has type `{Self}`",
    label = "needs `i16`, `i32` or `i64`",
    note = "remove `identity`: only integer keys are identity columns; a key of another type gets its values from the application or from `default_sql`"
)]
pub trait IdentityType {}
#[diagnostic::do_not_recommend]
impl IdentityType for i16 {}
#[diagnostic::do_not_recommend]
impl IdentityType for i32 {}
#[diagnostic::do_not_recommend]
impl IdentityType for i64 {}

/// Compiles only when an identity column may have type `T`.
pub const fn check_identity<T: ?Sized + IdentityType>() {}

/// A `default = <expr>` value: anything that converts `Into` the column's value type `T`. The
/// blanket impl is `do_not_recommend`, so a mismatch is reported with this trait's message
/// rather than as a missing `From` impl followed by every `From` impl of `T`.
#[diagnostic::on_unimplemented(
    message = "`default` value of type `{Self}` does not convert into the column's type `{T}`",
    label = "expected `{T}`, or a value that converts `Into` it",
    note = "`default` takes a Rust value of the field's type (for `Option<T>`, a `T`); for an SQL expression use `default_sql = \"...\"`"
)]
pub trait IntoDefault<T> {
    /// The value, converted.
    fn into_default(self) -> T;
}

#[diagnostic::do_not_recommend]
impl<T, V: ::core::convert::Into<T>> IntoDefault<T> for V {
    fn into_default(self) -> T {
        self.into()
    }
}

/// Decodes a database spelling into an enum value, for the sqlx `Decode` impls.
pub fn decode_enum<E: DbEnum>(
    value: &str,
) -> ::core::result::Result<E, ::sqlx::error::BoxDynError> {
    E::from_db_str(value).ok_or_else(|| {
        format!(
            "invalid value {value:?} for enum `{}`; expected one of {:?}",
            E::NAME,
            E::VARIANTS
                .iter()
                .map(DbEnum::as_db_str)
                .collect::<Vec<_>>()
        )
        .into()
    })
}

/// Implements sqlx's `Type`, `Encode` and `Decode` for a `DbEnum` on PostgreSQL (a native
/// enum type), SQLite (text) and MySQL (an inline `ENUM`); the SQLite and MySQL `Type` impls
/// only when model-core is built with those features (the choice is made here, in
/// model-core, not in the crate that expands the macro).
#[doc(hidden)]
#[macro_export]
macro_rules! impl_sqlx_enum {
    ($ty:ty) => {
        impl $crate::__private::sqlx::Type<$crate::__private::sqlx::Postgres> for $ty {
            fn type_info() -> $crate::__private::sqlx::postgres::PgTypeInfo {
                $crate::__private::sqlx::postgres::PgTypeInfo::with_name(
                    <$ty as $crate::__private::DbEnum>::NAME,
                )
            }
        }
        impl $crate::__private::sqlx::postgres::PgHasArrayType for $ty {
            fn array_type_info() -> $crate::__private::sqlx::postgres::PgTypeInfo {
                $crate::__private::sqlx::postgres::PgTypeInfo::array_of(
                    <$ty as $crate::__private::DbEnum>::NAME,
                )
            }
        }
        $crate::__private::impl_sqlx_enum_sqlite!($ty);
        $crate::__private::impl_sqlx_enum_mysql!($ty);
        impl<'q, DB: $crate::__private::sqlx::Database> $crate::__private::sqlx::Encode<'q, DB>
            for $ty
        where
            &'q str: $crate::__private::sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as $crate::__private::sqlx::Database>::ArgumentBuffer<'q>,
            ) -> $crate::__private::core::result::Result<
                $crate::__private::sqlx::encode::IsNull,
                $crate::__private::sqlx::error::BoxDynError,
            > {
                <&'q str as $crate::__private::sqlx::Encode<'q, DB>>::encode(
                    <$ty as $crate::__private::DbEnum>::as_db_str(self),
                    buf,
                )
            }
        }
        impl<'r, DB: $crate::__private::sqlx::Database> $crate::__private::sqlx::Decode<'r, DB>
            for $ty
        where
            &'r str: $crate::__private::sqlx::Decode<'r, DB>,
        {
            fn decode(
                value: <DB as $crate::__private::sqlx::Database>::ValueRef<'r>,
            ) -> $crate::__private::core::result::Result<
                Self,
                $crate::__private::sqlx::error::BoxDynError,
            > {
                let text = <&'r str as $crate::__private::sqlx::Decode<'r, DB>>::decode(value)?;
                $crate::__private::decode_enum::<$ty>(text)
            }
        }
    };
}

/// sqlx's SQLite `Type` for a `DbEnum` (text).
#[cfg(feature = "sqlite")]
#[doc(hidden)]
#[macro_export]
macro_rules! impl_sqlx_enum_sqlite {
    ($ty:ty) => {
        impl $crate::__private::sqlx::Type<$crate::__private::sqlx::Sqlite> for $ty {
            fn type_info() -> $crate::__private::sqlx::sqlite::SqliteTypeInfo {
                <&str as $crate::__private::sqlx::Type<$crate::__private::sqlx::Sqlite>>::type_info()
            }
            fn compatible(ty: &$crate::__private::sqlx::sqlite::SqliteTypeInfo) -> bool {
                <&str as $crate::__private::sqlx::Type<$crate::__private::sqlx::Sqlite>>::compatible(ty)
            }
        }
    };
}

/// Without the `sqlite` feature: nothing.
#[cfg(not(feature = "sqlite"))]
#[doc(hidden)]
#[macro_export]
macro_rules! impl_sqlx_enum_sqlite {
    ($ty:ty) => {};
}

/// sqlx's MySQL `Type` for a `DbEnum` (an inline `ENUM`).
#[cfg(feature = "mysql")]
#[doc(hidden)]
#[macro_export]
macro_rules! impl_sqlx_enum_mysql {
    ($ty:ty) => {
        impl $crate::__private::sqlx::Type<$crate::__private::sqlx::MySql> for $ty {
            fn type_info() -> $crate::__private::sqlx::mysql::MySqlTypeInfo {
                $crate::__private::sqlx::mysql::MySqlTypeInfo::__enum()
            }
            fn compatible(ty: &$crate::__private::sqlx::mysql::MySqlTypeInfo) -> bool {
                <&str as $crate::__private::sqlx::Type<$crate::__private::sqlx::MySql>>::compatible(
                    ty,
                )
            }
        }
    };
}

/// Without the `mysql` feature: nothing.
#[cfg(not(feature = "mysql"))]
#[doc(hidden)]
#[macro_export]
macro_rules! impl_sqlx_enum_mysql {
    ($ty:ty) => {};
}
