//! Schema operations: the vocabulary the stages share.
//!
//! The [`diff`](crate::diff) says what changed in these terms, grouped per table; a
//! [`planner`](crate::plan) orders them into steps and adds what its database needs (such as
//! PostgreSQL's enum-type operations); a [`renderer`](crate::render) spells each one as SQL.
//!
//! Each operation carries the state it replaces, so [`Operation::inverse`] is exact: the down
//! migration is the inverse of every up operation, in reverse order.

use serde::{Deserialize, Serialize};

use crate::schema::{
    Check, Column, ColumnDefault, ColumnType, Enum, ForeignKey, Identity, Index, PrimaryKey, Table,
    Unique,
};

/// Where a new enum value goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnumPosition {
    /// Before the named value.
    Before(String),
    /// After the named value.
    After(String),
    /// At the end (the enum was empty).
    End,
}

/// A column whose type is an enum, as needed to swap the type under it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnumUsage {
    /// The table.
    pub table: String,
    /// The column.
    pub column: String,
    /// Its default before the swap (dropped first).
    pub default: Option<ColumnDefault>,
    /// Its default after the swap (set last).
    pub default_after: Option<ColumnDefault>,
    /// Whether the column is an array of the enum.
    pub array: bool,
    /// The column leaves the type in this migration (dropped, or given another type): the
    /// swap turns it into text, so that no value is lost before its own step.
    #[serde(default)]
    pub to_text: bool,
}

/// A check or an index that a type swap must take down and put back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EnumDependent {
    /// A CHECK constraint.
    Check {
        /// The table.
        table: String,
        /// The constraint.
        check: Check,
    },
    /// An index.
    Index {
        /// The table.
        table: String,
        /// The index.
        index: Index,
    },
}

/// One step of a migration.
// A rebuild carries two tables; operations are few per migration, so they stay unboxed.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    /// `CREATE EXTENSION IF NOT EXISTS` (never dropped by a generated migration).
    CreateExtension {
        /// Extension name.
        name: String,
    },
    /// Create an enum type.
    CreateEnum {
        /// The type.
        definition: Enum,
    },
    /// Drop an enum type.
    DropEnum {
        /// The type, for the inverse.
        definition: Enum,
    },
    /// Add one value to an enum (PostgreSQL `ADD VALUE`).
    AddEnumValue {
        /// The enum before the value is added.
        before: Enum,
        /// The enum after.
        after: Enum,
        /// The new value.
        value: String,
        /// Where it goes.
        position: EnumPosition,
        /// Columns that use the enum (for the inverse, which swaps the type).
        usages: Vec<EnumUsage>,
    },
    /// Rename one value of an enum.
    RenameEnumValue {
        /// Enum type name.
        name: String,
        /// Old spelling.
        from: String,
        /// New spelling.
        to: String,
    },
    /// Replace an enum type by another with the same name (removed or reordered values):
    /// rename the old type away, create the new one, convert every column, drop the old one.
    RecreateEnum {
        /// The type before.
        from: Enum,
        /// The type after.
        to: Enum,
        /// Values renamed on the way (old spelling, new spelling).
        renamed: Vec<(String, String)>,
        /// Columns to convert.
        usages: Vec<EnumUsage>,
        /// Checks and indexes whose expressions involve those columns (they may name a
        /// value, typed with the old enum): dropped before the swap, re-created after.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        dependents: Vec<EnumDependent>,
    },
    /// Create a table (with the foreign keys it can have at that point).
    CreateTable {
        /// The table.
        table: Table,
    },
    /// Drop a table.
    DropTable {
        /// The table, for the inverse.
        table: Table,
    },
    /// Rename a table.
    RenameTable {
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// Add a column. With `backfill`, a NOT NULL column is added nullable, filled, then
    /// made NOT NULL.
    AddColumn {
        /// The table.
        table: String,
        /// The column.
        column: Column,
        /// Value for existing rows (the declared `backfill_sql`).
        backfill: Option<ColumnDefault>,
    },
    /// Drop a column.
    DropColumn {
        /// The table.
        table: String,
        /// The column, for the inverse.
        column: Column,
    },
    /// Rename a column.
    RenameColumn {
        /// The table.
        table: String,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// Change a column's type, converting existing values.
    AlterColumnType {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// Old type.
        from: ColumnType,
        /// New type.
        to: ColumnType,
        /// The default before (dropped before the type changes).
        from_default: Option<ColumnDefault>,
        /// The default after (set once the type has changed).
        to_default: Option<ColumnDefault>,
    },
    /// Make a column NOT NULL, first filling NULLs from `backfill` when given.
    SetNotNull {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// Value for rows holding NULL (`backfill_sql`, else the column default).
        backfill: Option<ColumnDefault>,
    },
    /// Make a column nullable.
    DropNotNull {
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
    /// Change a column's default.
    AlterDefault {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// Old default.
        from: Option<ColumnDefault>,
        /// New default.
        to: Option<ColumnDefault>,
    },
    /// Change a column's identity generation.
    AlterIdentity {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// Old identity.
        from: Option<Identity>,
        /// New identity.
        to: Option<Identity>,
    },
    /// Add a primary key.
    AddPrimaryKey {
        /// The table.
        table: String,
        /// The key.
        key: PrimaryKey,
    },
    /// Drop a primary key.
    DropPrimaryKey {
        /// The table.
        table: String,
        /// The key, for the inverse.
        key: PrimaryKey,
    },
    /// Create an index.
    CreateIndex {
        /// The table.
        table: String,
        /// The index.
        index: Index,
    },
    /// Drop an index.
    DropIndex {
        /// The table.
        table: String,
        /// The index, for the inverse.
        index: Index,
    },
    /// Add a UNIQUE constraint.
    AddUnique {
        /// The table.
        table: String,
        /// The constraint.
        unique: Unique,
    },
    /// Drop a UNIQUE constraint.
    DropUnique {
        /// The table.
        table: String,
        /// The constraint, for the inverse.
        unique: Unique,
    },
    /// Add a CHECK constraint.
    AddCheck {
        /// The table.
        table: String,
        /// The constraint.
        check: Check,
    },
    /// Drop a CHECK constraint.
    DropCheck {
        /// The table.
        table: String,
        /// The constraint, for the inverse.
        check: Check,
    },
    /// Add a foreign key.
    AddForeignKey {
        /// The table.
        table: String,
        /// The constraint.
        foreign_key: ForeignKey,
    },
    /// Drop a foreign key.
    DropForeignKey {
        /// The table.
        table: String,
        /// The constraint, for the inverse.
        foreign_key: ForeignKey,
    },
    /// Rename an index (its definition is unchanged).
    RenameIndex {
        /// The table.
        table: String,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// Rename a constraint (primary key, unique, check or foreign key; definition unchanged).
    RenameConstraint {
        /// The table.
        table: String,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// Set or clear a table comment.
    SetTableComment {
        /// The table.
        table: String,
        /// Old comment.
        from: Option<String>,
        /// New comment.
        to: Option<String>,
    },
    /// Set or clear a column comment.
    SetColumnComment {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// Old comment.
        from: Option<String>,
        /// New comment.
        to: Option<String>,
    },
    /// Rebuild a table as another definition of it, keeping its rows: create the new table,
    /// copy the rows, drop the old one, rename the new one, create its indexes (SQLite, whose
    /// `ALTER TABLE` cannot change most of a table).
    RebuildTable {
        /// The table before (under its old name when the rebuild also renames it).
        from: Table,
        /// The table after.
        to: Table,
        /// Columns kept: (old name, new name).
        columns: Vec<(String, String)>,
        /// Values for existing rows of new columns, and for NULLs of kept columns that become
        /// NOT NULL: (new column, value).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        fill: Vec<(String, ColumnDefault)>,
        /// Enum values renamed on the way, per new column: (column, [(old value, new value)]).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        values: Vec<(String, Vec<(String, String)>)>,
    },
    // Online forms (PostgreSQL, on tables that already hold rows): each takes locks that let
    // writes go on, or holds a blocking lock only for a catalog change. See
    // [`crate::plan::online`].
    /// `CREATE INDEX CONCURRENTLY`: builds the index while writes go on (outside a
    /// transaction).
    CreateIndexConcurrently {
        /// The table.
        table: String,
        /// The index.
        index: Index,
    },
    /// `DROP INDEX CONCURRENTLY IF EXISTS` (outside a transaction).
    DropIndexConcurrently {
        /// The table.
        table: String,
        /// The index, for the inverse.
        index: Index,
    },
    /// `ADD CONSTRAINT ... UNIQUE USING INDEX`: turns the unique index of the same name,
    /// built concurrently before, into the constraint.
    AddUniqueUsingIndex {
        /// The table.
        table: String,
        /// The constraint.
        unique: Unique,
    },
    /// `ADD CONSTRAINT ... PRIMARY KEY USING INDEX`, as [`Operation::AddUniqueUsingIndex`].
    AddPrimaryKeyUsingIndex {
        /// The table.
        table: String,
        /// The key.
        key: PrimaryKey,
    },
    /// `ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID`: enforced for new rows at once, existing
    /// rows checked later by [`Operation::ValidateConstraint`].
    AddForeignKeyNotValid {
        /// The table.
        table: String,
        /// The constraint.
        foreign_key: ForeignKey,
    },
    /// `ADD CONSTRAINT ... CHECK (...) NOT VALID`, as [`Operation::AddForeignKeyNotValid`].
    AddCheckNotValid {
        /// The table.
        table: String,
        /// The constraint.
        check: Check,
    },
    /// Drops a check that [`Operation::AddCheckNotValid`] added for a step of its own (the
    /// `IS NOT NULL` check that lets `SET NOT NULL` skip its scan); the inverse adds it back
    /// `NOT VALID`.
    DropCheckNotValid {
        /// The table.
        table: String,
        /// The constraint, for the inverse.
        check: Check,
    },
    /// `VALIDATE CONSTRAINT`: checks existing rows while writes go on.
    ValidateConstraint {
        /// The table.
        table: String,
        /// The constraint.
        name: String,
    },
    /// Fills a column's NULLs in batches, each committed on its own.
    FillNulls {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The value (the declared `backfill_sql`, else the column default).
        value: ColumnDefault,
    },
    /// Expand/contract: adds `column` (nullable, without its default) as a copy of column
    /// `from`, kept equal to it by a trigger in both directions while both exist (the running
    /// version of the application writes one, the next version the other), and copies the
    /// existing rows in committed batches.
    AddColumnCopy {
        /// The table.
        table: String,
        /// The new column (its final definition; added nullable, without a default).
        column: Column,
        /// The column it copies.
        from: String,
    },
    /// Expand/contract: drops the trigger that keeps `column` and `from` equal, then `column`.
    DropColumnCopy {
        /// The table.
        table: String,
        /// The column dropped (its definition, for the inverse).
        column: Column,
        /// The column it was kept equal to.
        from: String,
    },
    /// Nothing to run: the down's place for an up operation that needs no undoing
    /// (validating a constraint, filling NULLs), so that down operation `k` still undoes up
    /// operation `count + 1 - k`.
    Nothing {
        /// The up operation's summary.
        undoes: String,
    },
}

impl Operation {
    /// The operation that undoes this one, or `None` when there is nothing to undo (creating an
    /// extension: generated migrations never drop one).
    pub fn inverse(&self) -> Option<Operation> {
        use Operation::*;
        Some(match self.clone() {
            CreateExtension { .. } => return None,
            CreateEnum { definition } => DropEnum { definition },
            DropEnum { definition } => CreateEnum { definition },
            AddEnumValue {
                before,
                after,
                usages,
                ..
            } => RecreateEnum {
                from: after,
                to: before,
                renamed: Vec::new(),
                usages,
                dependents: Vec::new(),
            },
            RenameEnumValue { name, from, to } => RenameEnumValue {
                name,
                from: to,
                to: from,
            },
            RecreateEnum {
                from,
                to,
                renamed,
                usages,
                dependents,
            } => RecreateEnum {
                dependents,
                from: to,
                to: from,
                renamed: renamed.into_iter().map(|(a, b)| (b, a)).collect(),
                usages: usages
                    .into_iter()
                    .map(|u| EnumUsage {
                        default: u.default_after,
                        default_after: u.default,
                        to_text: false,
                        ..u
                    })
                    .collect(),
            },
            CreateTable { table } => DropTable { table },
            DropTable { table } => CreateTable { table },
            RenameTable { from, to } => RenameTable { from: to, to: from },
            AddColumn { table, column, .. } => DropColumn { table, column },
            DropColumn { table, column } => AddColumn {
                table,
                column,
                backfill: None,
            },
            RenameColumn { table, from, to } => RenameColumn {
                table,
                from: to,
                to: from,
            },
            AlterColumnType {
                table,
                column,
                from,
                to,
                from_default,
                to_default,
            } => AlterColumnType {
                table,
                column,
                from: to,
                to: from,
                from_default: to_default,
                to_default: from_default,
            },
            SetNotNull { table, column, .. } => DropNotNull { table, column },
            DropNotNull { table, column } => SetNotNull {
                table,
                column,
                backfill: None,
            },
            AlterDefault {
                table,
                column,
                from,
                to,
            } => AlterDefault {
                table,
                column,
                from: to,
                to: from,
            },
            AlterIdentity {
                table,
                column,
                from,
                to,
            } => AlterIdentity {
                table,
                column,
                from: to,
                to: from,
            },
            AddPrimaryKey { table, key } => DropPrimaryKey { table, key },
            DropPrimaryKey { table, key } => AddPrimaryKey { table, key },
            CreateIndex { table, index } => DropIndex { table, index },
            DropIndex { table, index } => CreateIndex { table, index },
            AddUnique { table, unique } => DropUnique { table, unique },
            DropUnique { table, unique } => AddUnique { table, unique },
            AddCheck { table, check } => DropCheck { table, check },
            DropCheck { table, check } => AddCheck { table, check },
            AddForeignKey { table, foreign_key } => DropForeignKey { table, foreign_key },
            DropForeignKey { table, foreign_key } => AddForeignKey { table, foreign_key },
            RenameIndex { table, from, to } => RenameIndex {
                table,
                from: to,
                to: from,
            },
            RenameConstraint { table, from, to } => RenameConstraint {
                table,
                from: to,
                to: from,
            },
            SetTableComment { table, from, to } => SetTableComment {
                table,
                from: to,
                to: from,
            },
            SetColumnComment {
                table,
                column,
                from,
                to,
            } => SetColumnComment {
                table,
                column,
                from: to,
                to: from,
            },
            RebuildTable {
                from,
                to,
                columns,
                values,
                ..
            } => RebuildTable {
                from: to,
                to: from,
                // Renamed values go back under the column's old name.
                values: values
                    .into_iter()
                    .filter_map(|(column, renames)| {
                        let (old, _) = columns.iter().find(|(_, new)| *new == column)?;
                        let back = renames.into_iter().map(|(a, b)| (b, a)).collect();
                        Some((old.clone(), back))
                    })
                    .collect(),
                columns: columns.into_iter().map(|(old, new)| (new, old)).collect(),
                fill: Vec::new(),
            },
            CreateIndexConcurrently { table, index } => DropIndexConcurrently { table, index },
            DropIndexConcurrently { table, index } => CreateIndexConcurrently { table, index },
            AddUniqueUsingIndex { table, unique } => DropUnique { table, unique },
            AddPrimaryKeyUsingIndex { table, key } => DropPrimaryKey { table, key },
            AddForeignKeyNotValid { table, foreign_key } => DropForeignKey { table, foreign_key },
            AddCheckNotValid { table, check } => DropCheck { table, check },
            DropCheckNotValid { table, check } => AddCheckNotValid { table, check },
            AddColumnCopy {
                table,
                column,
                from,
            } => DropColumnCopy {
                table,
                column,
                from,
            },
            DropColumnCopy {
                table,
                column,
                from,
            } => AddColumnCopy {
                table,
                column,
                from,
            },
            ValidateConstraint { .. } | FillNulls { .. } => Nothing {
                undoes: self.summary(),
            },
            Nothing { .. } => return None,
        })
    }

    /// A one-line summary for migration headers (`create table tasks`).
    pub fn summary(&self) -> String {
        use Operation::*;
        match self {
            CreateExtension { name } => format!("create extension {name}"),
            CreateEnum { definition } => format!("create enum {}", definition.name),
            DropEnum { definition } => format!("drop enum {}", definition.name),
            AddEnumValue { after, value, .. } => {
                format!("add value {value:?} to enum {}", after.name)
            }
            RenameEnumValue { name, from, to } => {
                format!("rename value {from:?} of enum {name} to {to:?}")
            }
            RecreateEnum { to, .. } => format!("recreate enum {} ({})", to.name, {
                let values: Vec<&str> = to.value_names().collect();
                values.join(", ")
            }),
            CreateTable { table } => format!("create table {}", table.name),
            DropTable { table } => format!("drop table {}", table.name),
            RenameTable { from, to } => format!("rename table {from} to {to}"),
            AddColumn { table, column, .. } => format!("add column {table}.{}", column.name),
            DropColumn { table, column } => format!("drop column {table}.{}", column.name),
            RenameColumn { table, from, to } => format!("rename column {table}.{from} to {to}"),
            AlterColumnType { table, column, .. } => format!("change type of {table}.{column}"),
            SetNotNull { table, column, .. } => format!("make {table}.{column} NOT NULL"),
            DropNotNull { table, column } => format!("make {table}.{column} nullable"),
            AlterDefault { table, column, .. } => format!("change default of {table}.{column}"),
            AlterIdentity { table, column, .. } => {
                format!("change identity of {table}.{column}")
            }
            AddPrimaryKey { table, key } => format!("add primary key {} on {table}", key.name),
            DropPrimaryKey { table, key } => format!("drop primary key {} on {table}", key.name),
            CreateIndex { table, index } => format!("create index {} on {table}", index.name),
            DropIndex { table, index } => format!("drop index {} on {table}", index.name),
            AddUnique { table, unique } => format!("add unique {} on {table}", unique.name),
            DropUnique { table, unique } => format!("drop unique {} on {table}", unique.name),
            AddCheck { table, check } => format!("add check {} on {table}", check.name),
            DropCheck { table, check } => format!("drop check {} on {table}", check.name),
            AddForeignKey { table, foreign_key } => {
                format!("add foreign key {} on {table}", foreign_key.name)
            }
            DropForeignKey { table, foreign_key } => {
                format!("drop foreign key {} on {table}", foreign_key.name)
            }
            RenameIndex { table, from, to } => format!("rename index {from} on {table} to {to}"),
            RenameConstraint { table, from, to } => {
                format!("rename constraint {from} on {table} to {to}")
            }
            SetTableComment { table, .. } => format!("set comment on table {table}"),
            SetColumnComment { table, column, .. } => {
                format!("set comment on column {table}.{column}")
            }
            RebuildTable { from, to, .. } if from.name != to.name => {
                format!("rebuild table {} as {}", from.name, to.name)
            }
            RebuildTable { to, .. } => format!("rebuild table {}", to.name),
            CreateIndexConcurrently { table, index } => {
                format!("create index {} on {table} concurrently", index.name)
            }
            DropIndexConcurrently { table, index } => {
                format!("drop index {} on {table} concurrently", index.name)
            }
            AddUniqueUsingIndex { table, unique } => {
                format!("add unique {} on {table} using its index", unique.name)
            }
            AddPrimaryKeyUsingIndex { table, key } => {
                format!("add primary key {} on {table} using its index", key.name)
            }
            AddForeignKeyNotValid { table, foreign_key } => {
                format!(
                    "add foreign key {} on {table} (NOT VALID)",
                    foreign_key.name
                )
            }
            AddCheckNotValid { table, check } => {
                format!("add check {} on {table} (NOT VALID)", check.name)
            }
            DropCheckNotValid { table, check } => format!("drop check {} on {table}", check.name),
            ValidateConstraint { table, name } => format!("validate constraint {name} on {table}"),
            FillNulls { table, column, .. } => format!("fill NULLs of {table}.{column} in batches"),
            Nothing { undoes } => format!("nothing to undo for: {undoes}"),
            AddColumnCopy {
                table,
                column,
                from,
            } => format!(
                "add column {table}.{} as a synced copy of {from}",
                column.name
            ),
            DropColumnCopy {
                table,
                column,
                from,
            } => format!(
                "drop column {table}.{} (synced copy of {from})",
                column.name
            ),
        }
    }
}
