//! Operations rendered as SQL statements.
//!
//! [`Render`] has one method per kind of [`Operation`], plus the building blocks they share
//! (column definition, foreign key clause, index definition, typed default, `ALTER TABLE`
//! wrapper, type-conversion clause). Its defaults are standard SQL; each dialect overrides only
//! what it does differently ([`Postgres`](crate::dialect::Postgres) in `render/postgres.rs`).
//! Where standard SQL has no spelling (enum types, extensions, comments, identity changes,
//! value conversions on a type change, index methods and operator classes), the default is a
//! returned [`RenderError::Unsupported`] naming the table and the column, never a panic.
//!
//! Statements are complete (ending in `;`) and never contain anything that depends on the time
//! or the machine. Migrations are available for PostgreSQL, SQLite and MySQL/MariaDB.

mod mysql;
mod postgres;
pub(crate) use mysql::covered as mysql_covered;
pub(crate) mod sqlite;

use crate::operation::{EnumDependent, EnumPosition, EnumUsage, Operation};

use std::collections::BTreeSet;

use crate::dialect::{Dialect, RenderError, SqlDialect};
use crate::schema::{
    Check, Column, ColumnDefault, ColumnType, Deferrable, Enum, ForeignKey, Identity, Index,
    IndexKey, IndexTarget, NullsOrder, PrimaryKey, ReferentialAction, Schema, SortOrder, Table,
    Unique,
};

/// One operation as SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedOperation {
    /// One line describing the operation.
    pub summary: String,
    /// Notes for the reviewer, rendered as `--` comments above the statements.
    pub notes: Vec<String>,
    /// The statements, each ending in `;`.
    pub statements: Vec<String>,
}

/// Renders `operations` for `dialect`. `schema` is the schema the operations lead to (used
/// where a dialect needs more than the operation says, such as MySQL's inline enums).
pub fn render(
    dialect: Dialect,
    operations: &[Operation],
    schema: &Schema,
) -> Result<Vec<RenderedOperation>, RenderError> {
    let r = dialect.render();
    r.migrations()?;
    r.schema(schema)?;
    let mut dropped = BTreeSet::new();
    let mut rendered = Vec::with_capacity(operations.len());
    for (i, op) in operations.iter().enumerate() {
        let cx = Context {
            schema,
            dropped: &dropped,
            later: &operations[i + 1..],
        };
        rendered.push(operation(r, &cx, op)?);
        if let Operation::DropTable { table } = op {
            dropped.insert(table.name.clone());
        }
    }
    if dialect == Dialect::Mysql {
        mysql::combine(&mut rendered, operations);
    }
    Ok(rendered)
}

/// Renders `operations` that lead from `other` to `target`: names of either schema may appear
/// (a down speaks of renamed tables by their new names until it renames them back), so types
/// are looked up in `target` first, then in `other`.
pub fn render_between(
    dialect: Dialect,
    operations: &[Operation],
    target: &Schema,
    other: &Schema,
) -> Result<Vec<RenderedOperation>, RenderError> {
    // Most changes leave nothing of `other` that `target` lacks: no copy is needed then.
    let complete = other.tables.iter().all(|(name, table)| {
        target
            .tables
            .get(name)
            .is_some_and(|t| table.columns.iter().all(|c| t.column(&c.name).is_some()))
    }) && other
        .enums
        .keys()
        .all(|name| target.enums.contains_key(name));
    if complete {
        return render(dialect, operations, target);
    }
    let mut merged = target.clone();
    for (name, table) in &other.tables {
        let merged_table = merged
            .tables
            .entry(name.clone())
            .or_insert_with(|| table.clone());
        // Renamed columns: the other side's names too.
        for column in &table.columns {
            if merged_table.column(&column.name).is_none() {
                merged_table.columns.push(column.clone());
            }
        }
    }
    for (name, definition) in &other.enums {
        merged
            .enums
            .entry(name.clone())
            .or_insert_with(|| definition.clone());
    }
    render(dialect, operations, &merged)
}

/// What rendering an operation may need beyond the operation itself.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The schema the operations lead to.
    pub schema: &'a Schema,
    /// The tables that earlier operations of the same migration dropped.
    pub dropped: &'a BTreeSet<String>,
    /// The operations that follow this one in the same migration.
    pub later: &'a [Operation],
}

/// No table dropped yet.
static NONE_DROPPED: BTreeSet<String> = BTreeSet::new();

impl<'a> Context<'a> {
    /// A context for operations leading to `schema`.
    pub fn new(schema: &'a Schema) -> Self {
        Self {
            schema,
            dropped: &NONE_DROPPED,
            later: &[],
        }
    }

    /// The names a table and column given as they are at this operation end up with once
    /// the later operations of the migration have renamed them.
    pub fn final_names(&self, table: &str, column: Option<&str>) -> (String, Option<String>) {
        let mut table = table.to_owned();
        let mut column = column.map(str::to_owned);
        for op in self.later {
            match op {
                Operation::RenameTable { from, to } if *from == table => table = to.clone(),
                Operation::RenameColumn { table: t, from, to }
                    if *t == table && column.as_deref() == Some(from.as_str()) =>
                {
                    column = Some(to.clone())
                }
                _ => {}
            }
        }
        (table, column)
    }

    /// The name a table of the schema the operations lead to has at this operation (before
    /// the later operations rename it).
    pub fn current_table_name(&self, final_name: &str) -> String {
        let mut name = final_name.to_owned();
        for op in self.later.iter().rev() {
            if let Operation::RenameTable { from, to } = op {
                if *to == name {
                    name = from.clone();
                }
            }
        }
        name
    }

    /// The name a column of a table of the schema the operations lead to (both named as
    /// there) has at this operation.
    pub fn current_column_name(&self, final_table: &str, final_column: &str) -> String {
        let mut column = final_column.to_owned();
        for op in self.later.iter().rev() {
            if let Operation::RenameColumn { table, from, to } = op {
                if *table == final_table && *to == column {
                    column = from.clone();
                }
            }
        }
        column
    }

    /// The definition a table, named as it is at this operation, has in the schema the
    /// operations lead to (renames by later operations followed).
    pub fn final_table(&self, table: &str) -> Option<&'a Table> {
        let (name, _) = self.final_names(table, None);
        self.schema
            .tables
            .get(&name)
            .or_else(|| self.schema.tables.get(table))
    }

    /// The definition a column, named as it is at this operation, has in the schema the
    /// operations lead to (renames by later operations followed).
    pub fn final_column(&self, table: &str, column: &str) -> Option<&'a Column> {
        let (t, c) = self.final_names(table, Some(column));
        let c = c.unwrap_or_else(|| column.to_owned());
        self.schema
            .tables
            .get(&t)
            .and_then(|t| t.column(&c))
            .or_else(|| self.schema.tables.get(table)?.column(column))
    }

    /// The type of a column of the schema the operations lead to.
    pub fn column_type(&self, table: &str, column: &str) -> Option<&'a ColumnType> {
        self.schema.tables.get(table)?.column(column).map(|c| &c.ty)
    }
}

/// The operation's statements, from the dialect's method for its kind. A column type the
/// dialect does not have is reported with the table and column that use it.
fn operation(
    r: &dyn Render,
    cx: &Context,
    op: &Operation,
) -> Result<RenderedOperation, RenderError> {
    statements(r, cx, op).map_err(|e| match e {
        RenderError::UnsupportedType { dialect, what } => {
            let (table, column) = typed_column(r, cx, op);
            RenderError::Unsupported {
                dialect,
                what,
                table,
                column,
            }
        }
        other => other,
    })
}

/// The table and column of `op` whose type `r` cannot spell, if `op` names one.
fn typed_column(r: &dyn Render, cx: &Context, op: &Operation) -> (Option<String>, Option<String>) {
    let first_bad = |table: &Table| {
        let column = table
            .columns
            .iter()
            .find(|c| r.column_type(&c.ty, cx.schema).is_err())
            .map(|c| c.name.clone());
        (Some(table.name.clone()), column)
    };
    match op {
        Operation::CreateTable { table } | Operation::DropTable { table } => first_bad(table),
        Operation::RebuildTable { to, .. } => first_bad(to),
        Operation::AddColumn { table, column, .. } | Operation::DropColumn { table, column } => {
            (Some(table.clone()), Some(column.name.clone()))
        }
        Operation::AlterColumnType { table, column, .. } => {
            (Some(table.clone()), Some(column.clone()))
        }
        _ => (None, None),
    }
}

/// The operation's statements, from the dialect's method for its kind.
fn statements(
    r: &dyn Render,
    cx: &Context,
    op: &Operation,
) -> Result<RenderedOperation, RenderError> {
    use Operation::*;
    let statements = match op {
        CreateExtension { name } => r.create_extension(cx, name),
        CreateEnum { definition } => r.create_enum(cx, definition),
        DropEnum { definition } => r.drop_enum(cx, definition),
        AddEnumValue {
            after,
            value,
            position,
            ..
        } => r.add_enum_value(cx, after, value, position),
        RenameEnumValue { name, from, to } => r.rename_enum_value(cx, name, from, to),
        RecreateEnum {
            from,
            to,
            renamed,
            usages,
            dependents,
        } => r.recreate_enum(cx, from, to, renamed, usages, dependents),
        CreateTable { table } => r.create_table(cx, table),
        DropTable { table } => r.drop_table(cx, table),
        RenameTable { from, to } => r.rename_table(cx, from, to),
        AddColumn {
            table,
            column,
            backfill,
        } => r.add_column(cx, table, column, backfill.as_ref()),
        DropColumn { table, column } => r.drop_column(cx, table, column),
        RenameColumn { table, from, to } => r.rename_column(cx, table, from, to),
        AlterColumnType {
            table,
            column,
            from,
            to,
            from_default,
            to_default,
        } => r.alter_column_type(
            cx,
            table,
            column,
            from,
            to,
            from_default.as_ref(),
            to_default.as_ref(),
        ),
        SetNotNull {
            table,
            column,
            backfill,
        } => r.set_not_null(cx, table, column, backfill.as_ref()),
        DropNotNull { table, column } => r.drop_not_null(cx, table, column),
        AlterDefault {
            table, column, to, ..
        } => r.alter_default(cx, table, column, to.as_ref()),
        AlterIdentity {
            table,
            column,
            from,
            to,
        } => r.alter_identity(cx, table, column, *from, *to),
        AddPrimaryKey { table, key } => r.add_primary_key(cx, table, key),
        DropPrimaryKey { table, key } => r.drop_primary_key(cx, table, key),
        CreateIndex { table, index } => r.create_index(cx, table, index),
        DropIndex { table, index } => r.drop_index(cx, table, index),
        AddUnique { table, unique } => r.add_unique(cx, table, unique),
        DropUnique { table, unique } => r.drop_unique(cx, table, unique),
        AddCheck { table, check } => r.add_check(cx, table, check),
        DropCheck { table, check } => r.drop_check(cx, table, check),
        AddForeignKey { table, foreign_key } => r.add_foreign_key(cx, table, foreign_key),
        DropForeignKey { table, foreign_key } => r.drop_foreign_key(cx, table, foreign_key),
        RenameIndex { table, from, to } => r.rename_index(cx, table, from, to),
        RenameConstraint { table, from, to } => r.rename_constraint(cx, table, from, to),
        SetTableComment { table, to, .. } => r.table_comment(cx, table, to.as_deref()),
        SetColumnComment {
            table, column, to, ..
        } => r.column_comment(cx, table, column, to.as_deref()),
        RebuildTable {
            from,
            to,
            columns,
            fill,
            values,
        } => r.rebuild_table(
            cx,
            &Rebuild {
                from,
                to,
                columns,
                fill,
                values,
            },
        ),
        CreateIndexConcurrently { .. }
        | DropIndexConcurrently { .. }
        | AddUniqueUsingIndex { .. }
        | AddPrimaryKeyUsingIndex { .. }
        | AddForeignKeyNotValid { .. }
        | AddCheckNotValid { .. }
        | DropCheckNotValid { .. }
        | ValidateConstraint { .. }
        | FillNulls { .. }
        | AddColumnCopy { .. }
        | DropColumnCopy { .. } => r.online(cx, op),
        Nothing { .. } => Ok(Vec::new()),
    }?;
    Ok(RenderedOperation {
        summary: op.summary(),
        notes: notes(r.name(), cx, op),
        statements,
    })
}

/// Notes for the reviewer: what an operation destroys, or when it may fail.
fn notes(dialect: &str, cx: &Context, op: &Operation) -> Vec<String> {
    use Operation::*;
    let note = match op {
        AddColumnCopy { .. } => "Both columns stay equal through a trigger while both exist: the running version of the application writes one, the next version the other. Existing rows are copied in batches, each committed on its own.".into(),
        CreateIndexConcurrently { .. } => "Built while writes go on. If the build fails, PostgreSQL leaves the index invalid: `upgrade` drops it and builds it again when the migration resumes.".into(),
        ValidateConstraint { .. } => "Reads every row while writes go on; fails if a row breaks the constraint (the steps before stay applied: fix the rows and `upgrade` again, or `downgrade` to revert them).".into(),
        FillNulls { .. } => "Each batch commits on its own, so no row stays locked for long; rows written with NULL after it ran make the validation below fail.".into(),
        // Made NOT NULL through a validated check: it cannot fail on NULLs.
        SetNotNull { .. } if matches!(cx.later.first(), Some(DropCheckNotValid { .. })) => {
            return Vec::new()
        }
        // MySQL has no enum types: the columns are restated with the new values.
        RecreateEnum { to, .. } if dialect == "mysql" => format!(
            "Every column using enum {} is restated with the new values (MODIFY COLUMN may copy the table); rows holding a value that no longer exists make this step fail.",
            to.name
        ),
        RecreateEnum { to, .. } => format!(
            "The type is swapped: every column of type {} is rewritten; rows holding a value that no longer exists make this migration fail.",
            to.name
        ),
        DropTable { .. } => "DESTRUCTIVE: the table and all its rows are deleted.".into(),
        AddColumn {
            column, backfill, ..
        } if backfill_for(column, backfill.as_ref()).is_some() => {
            "Added as nullable, filled for existing rows, then made NOT NULL.".into()
        }
        AddColumn { table, column, .. }
            if !column.nullable && column.default.is_none() && column.identity.is_none() =>
        {
            format!(
                "Fails if {table} has rows: the column is NOT NULL and has no default (this undoes a drop whose values are gone)."
            )
        }
        DropColumn { .. } => "DESTRUCTIVE: the column and its data are deleted.".into(),
        SetNotNull {
            table,
            column,
            backfill: None,
        } if dialect == "mysql" => format!(
            "Fails if {table}.{column} holds NULLs (MySQL commits every statement: the steps before this one stay applied); declare backfill_sql to fill them."
        ),
        SetNotNull {
            table,
            column,
            backfill: None,
        } => format!(
            "Fails if {table}.{column} holds NULLs; declare backfill_sql to fill them."
        ),
        _ => return Vec::new(),
    };
    vec![note]
}

/// The value to fill existing rows with when a NOT NULL column without a default is added:
/// the column is then added nullable, filled, and made NOT NULL.
fn backfill_for<'a>(
    column: &Column,
    backfill: Option<&'a ColumnDefault>,
) -> Option<&'a ColumnDefault> {
    backfill.filter(|_| !column.nullable && column.default.is_none())
}

/// The error for something standard SQL cannot say and `dialect` does not override.
fn unsupported(
    dialect: &(impl SqlDialect + ?Sized),
    what: impl Into<String>,
    table: Option<&str>,
    column: Option<&str>,
) -> RenderError {
    RenderError::Unsupported {
        dialect: dialect.name(),
        what: what.into(),
        table: table.map(str::to_owned),
        column: column.map(str::to_owned),
    }
}

/// A table rebuilt as another definition of it ([`Operation::RebuildTable`]).
#[derive(Debug, Clone, Copy)]
pub struct Rebuild<'a> {
    /// The table before.
    pub from: &'a Table,
    /// The table after.
    pub to: &'a Table,
    /// Columns kept: (old name, new name).
    pub columns: &'a [(String, String)],
    /// Values for existing rows: (new column, value).
    pub fill: &'a [(String, ColumnDefault)],
    /// Enum values renamed, per new column.
    pub values: &'a [(String, Vec<(String, String)>)],
}

/// How one database writes each operation. The defaults are standard SQL; a dialect overrides
/// only what differs. Where standard SQL has no spelling, the default returns
/// [`RenderError::Unsupported`].
///
/// A supertrait of [`SqlDialect`] rather than part of it: spelling types, identifiers and
/// literals is needed without migrations too (introspection, the models' documentation), and
/// rendering operations is a stage of its own.
pub trait Render: SqlDialect {
    /// Whether migrations can be rendered for this dialect at all.
    fn migrations(&self) -> Result<(), RenderError> {
        Ok(())
    }

    /// The online forms of operations ([`crate::plan::online`]): only PostgreSQL has them.
    fn online(&self, cx: &Context, op: &Operation) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Err(unsupported(self, op.summary(), None, None))
    }

    /// Whether `schema` (every table a migration moves between) can exist in this dialect at
    /// all, whatever the operation: the first thing it cannot hold, naming table and column.
    fn schema(&self, _schema: &Schema) -> Result<(), RenderError> {
        Ok(())
    }

    // Building blocks.

    /// Identifiers, comma-separated.
    fn idents(&self, names: &[String]) -> String {
        names
            .iter()
            .map(|n| self.ident(n))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `UPDATE` giving the NULLs of a column `value` (a declared backfill), typed as `ty`.
    fn fill_nulls(
        &self,
        cx: &Context,
        table: &str,
        column: &str,
        value: &ColumnDefault,
        ty: Option<&ColumnType>,
    ) -> Result<String, RenderError> {
        let c = self.ident(column);
        Ok(format!(
            "UPDATE {} SET {c} = {} WHERE {c} IS NULL;",
            self.ident(table),
            self.typed_default(cx, value, ty)?
        ))
    }

    /// `CONSTRAINT <name> PRIMARY KEY (...)` as written inside `CREATE TABLE`.
    fn primary_key_line(&self, table: &Table) -> String {
        format!(
            "CONSTRAINT {} PRIMARY KEY ({})",
            self.ident(&table.primary_key.name),
            self.idents(&table.primary_key.columns)
        )
    }

    /// The table's uniques, then its checks, as written inside `CREATE TABLE`.
    fn unique_and_check_lines(&self, table: &Table) -> (Vec<String>, Vec<String>) {
        let uniques = table
            .uniques
            .iter()
            .map(|u| {
                format!(
                    "CONSTRAINT {} UNIQUE ({})",
                    self.ident(&u.name),
                    self.idents(&u.columns)
                )
            })
            .collect();
        let checks = table
            .checks
            .iter()
            .map(|c| format!("CONSTRAINT {} CHECK ({})", self.ident(&c.name), c.expr))
            .collect();
        (uniques, checks)
    }

    /// A default as written in the models: a literal, or SQL as given.
    fn default_value(&self, default: &ColumnDefault) -> String {
        match default {
            ColumnDefault::Value(v) => self.literal(v),
            ColumnDefault::Sql(sql) => sql.clone(),
        }
    }

    /// A default for a column of type `ty` (when known).
    fn typed_default(
        &self,
        cx: &Context,
        default: &ColumnDefault,
        ty: Option<&ColumnType>,
    ) -> Result<String, RenderError> {
        let _ = (cx, ty);
        Ok(self.default_value(default))
    }

    /// `ALTER TABLE <table> <action>;`
    fn alter_table(&self, table: &str, action: &str) -> String {
        format!("ALTER TABLE {} {action};", self.ident(table))
    }

    /// A column as declared in `CREATE TABLE` or `ADD COLUMN`; `NOT NULL` only when
    /// `with_not_null`.
    fn column_def(
        &self,
        cx: &Context,
        column: &Column,
        with_not_null: bool,
    ) -> Result<String, RenderError> {
        let mut out = format!(
            "{} {}",
            self.ident(&column.name),
            self.column_type(&column.ty, cx.schema)?
        );
        match column.identity {
            Some(Identity::ByDefault) => out.push_str(" GENERATED BY DEFAULT AS IDENTITY"),
            Some(Identity::Always) => out.push_str(" GENERATED ALWAYS AS IDENTITY"),
            None => {}
        }
        if with_not_null && !column.nullable {
            out.push_str(" NOT NULL");
        }
        if let Some(default) = &column.default {
            out.push_str(" DEFAULT ");
            out.push_str(&self.typed_default(cx, default, Some(&column.ty))?);
        }
        Ok(out)
    }

    /// `CONSTRAINT <name> FOREIGN KEY (...) REFERENCES <table> (...)` with its actions.
    fn foreign_key(&self, fk: &ForeignKey) -> String {
        let mut out = format!(
            "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
            self.ident(&fk.name),
            self.idents(&fk.columns),
            self.ident(&fk.ref_table),
            self.idents(&fk.ref_columns)
        );
        if fk.on_delete != ReferentialAction::NoAction {
            out.push_str(" ON DELETE ");
            out.push_str(fk.on_delete.as_sql());
        }
        if fk.on_update != ReferentialAction::NoAction {
            out.push_str(" ON UPDATE ");
            out.push_str(fk.on_update.as_sql());
        }
        match fk.deferrable {
            Deferrable::No => {}
            Deferrable::InitiallyImmediate => out.push_str(" DEFERRABLE INITIALLY IMMEDIATE"),
            Deferrable::InitiallyDeferred => out.push_str(" DEFERRABLE INITIALLY DEFERRED"),
        }
        out
    }

    /// ` USING <method>` after `ON <table>`, for an index method other than the default;
    /// standard SQL has none.
    fn index_method(&self, table: &str, index: &Index) -> Result<String, RenderError> {
        match index.method {
            Some(method) if method != crate::schema::IndexMethod::Btree => Err(unsupported(
                self,
                format!("index method {} (index `{}`)", method.as_str(), index.name),
                Some(table),
                None,
            )),
            _ => Ok(String::new()),
        }
    }

    /// ` <opclass>` after an index key; standard SQL has no operator classes.
    fn index_opclass(
        &self,
        table: &str,
        index: &Index,
        key: &IndexKey,
    ) -> Result<String, RenderError> {
        match &key.opclass {
            Some(opclass) => Err(unsupported(
                self,
                format!("operator class {opclass} (index `{}`)", index.name),
                Some(table),
                match &key.target {
                    IndexTarget::Column(c) => Some(c.as_str()),
                    IndexTarget::Expression(_) => None,
                },
            )),
            None => Ok(String::new()),
        }
    }

    /// `CREATE [UNIQUE] INDEX <name> ON <table> (<keys>) [WHERE ...];`
    fn index_definition(
        &self,
        cx: &Context,
        table: &str,
        index: &Index,
    ) -> Result<String, RenderError> {
        let _ = cx;
        let mut keys = Vec::new();
        for k in &index.keys {
            let mut key = match &k.target {
                IndexTarget::Column(c) => self.ident(c),
                IndexTarget::Expression(e) => format!("({e})"),
            };
            key.push_str(&self.index_opclass(table, index, k)?);
            match k.order {
                Some(SortOrder::Asc) => key.push_str(" ASC"),
                Some(SortOrder::Desc) => key.push_str(" DESC"),
                None => {}
            }
            key.push_str(&self.index_nulls(table, index, k)?);
            keys.push(key);
        }
        let mut out = format!(
            "CREATE {}INDEX {} ON {}",
            if index.unique { "UNIQUE " } else { "" },
            self.ident(&index.name),
            self.ident(table)
        );
        out.push_str(&self.index_method(table, index)?);
        out.push_str(&format!(" ({})", keys.join(", ")));
        if let Some(predicate) = &index.predicate {
            out.push_str(&format!(" WHERE {predicate}"));
        }
        out.push(';');
        Ok(out)
    }

    /// ` NULLS FIRST` / ` NULLS LAST` after an index key, when it says so.
    fn index_nulls(
        &self,
        table: &str,
        index: &Index,
        key: &IndexKey,
    ) -> Result<String, RenderError> {
        let _ = (table, index);
        Ok(match key.nulls {
            Some(NullsOrder::First) => " NULLS FIRST".into(),
            Some(NullsOrder::Last) => " NULLS LAST".into(),
            None => String::new(),
        })
    }

    /// The clause after the new type that converts existing values (such as PostgreSQL's
    /// ` USING ...`), or nothing; standard SQL has none.
    fn type_conversion(
        &self,
        cx: &Context,
        table: &str,
        column: &str,
        from: &ColumnType,
        to: &ColumnType,
    ) -> Result<String, RenderError> {
        Err(unsupported(
            self,
            format!(
                "converting values from {} to {}",
                self.column_type(from, cx.schema)?,
                self.column_type(to, cx.schema)?
            ),
            Some(table),
            Some(column),
        ))
    }

    /// The `ALTER TABLE` action giving `column` a new type:
    /// `ALTER COLUMN <column> SET DATA TYPE <type>` and the conversion clause.
    fn set_column_type(
        &self,
        cx: &Context,
        table: &str,
        column: &str,
        from: &ColumnType,
        to: &ColumnType,
    ) -> Result<String, RenderError> {
        Ok(format!(
            "ALTER COLUMN {} SET DATA TYPE {}{}",
            self.ident(column),
            self.column_type(to, cx.schema)?,
            self.type_conversion(cx, table, column, from, to)?
        ))
    }

    // Extensions and enum types: no standard spelling.

    /// Make an extension available.
    fn create_extension(&self, cx: &Context, name: &str) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Err(unsupported(self, format!("extension `{name}`"), None, None))
    }

    /// Create an enum type.
    fn create_enum(&self, cx: &Context, definition: &Enum) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Err(unsupported(
            self,
            format!("enum type `{}`", definition.name),
            None,
            None,
        ))
    }

    /// Drop an enum type.
    fn drop_enum(&self, cx: &Context, definition: &Enum) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Err(unsupported(
            self,
            format!("dropping enum type `{}`", definition.name),
            None,
            None,
        ))
    }

    /// Add `value` to the enum type (`after` is the type with the value).
    fn add_enum_value(
        &self,
        cx: &Context,
        after: &Enum,
        value: &str,
        position: &EnumPosition,
    ) -> Result<Vec<String>, RenderError> {
        let _ = (cx, position);
        Err(unsupported(
            self,
            format!("adding value `{value}` to enum type `{}`", after.name),
            None,
            None,
        ))
    }

    /// Rename one value of an enum type.
    fn rename_enum_value(
        &self,
        cx: &Context,
        name: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Err(unsupported(
            self,
            format!("renaming value `{from}` of enum type `{name}` to `{to}`"),
            None,
            None,
        ))
    }

    /// Replace an enum type by another of the same name, converting every column of it.
    fn recreate_enum(
        &self,
        cx: &Context,
        from: &Enum,
        to: &Enum,
        renamed: &[(String, String)],
        usages: &[EnumUsage],
        dependents: &[EnumDependent],
    ) -> Result<Vec<String>, RenderError> {
        let _ = (cx, from, renamed, dependents);
        let first = usages.first();
        Err(unsupported(
            self,
            format!("swapping enum type `{}`", to.name),
            first.map(|u| u.table.as_str()),
            first.map(|u| u.column.as_str()),
        ))
    }

    // Tables.

    /// `CREATE TABLE` with its columns and constraints inline, then its indexes, the foreign
    /// keys that must wait for them, and its comments.
    fn create_table(&self, cx: &Context, table: &Table) -> Result<Vec<String>, RenderError> {
        let mut lines = Vec::new();
        for column in &table.columns {
            lines.push(self.column_def(cx, column, true)?);
        }
        lines.push(self.primary_key_line(table));
        let (uniques, checks) = self.unique_and_check_lines(table);
        lines.extend(uniques);
        lines.extend(checks);
        // A foreign key to this table's own unique index must wait for the index.
        let keyed = |cols: &[String]| {
            let mut cols = cols.to_vec();
            cols.sort();
            let same = |other: &[String]| {
                let mut other = other.to_vec();
                other.sort();
                other == cols
            };
            same(&table.primary_key.columns) || table.uniques.iter().any(|u| same(&u.columns))
        };
        let (inline, later): (Vec<&ForeignKey>, Vec<&ForeignKey>) = table
            .foreign_keys
            .iter()
            .partition(|fk| fk.ref_table != table.name || keyed(&fk.ref_columns));
        for fk in inline {
            lines.push(self.foreign_key(fk));
        }
        let mut statements = vec![format!(
            "CREATE TABLE {} (\n    {}\n);",
            self.ident(&table.name),
            lines.join(",\n    ")
        )];
        for index in &table.indexes {
            statements.push(self.index_definition(cx, &table.name, index)?);
        }
        for fk in later {
            statements.extend(self.add_foreign_key(cx, &table.name, fk)?);
        }
        if table.comment.is_some() {
            statements.extend(self.table_comment(cx, &table.name, table.comment.as_deref())?);
        }
        for column in &table.columns {
            if column.comment.is_some() {
                statements.extend(self.column_comment(
                    cx,
                    &table.name,
                    &column.name,
                    column.comment.as_deref(),
                )?);
            }
        }
        Ok(statements)
    }

    /// `DROP TABLE`.
    fn drop_table(&self, cx: &Context, table: &Table) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Ok(vec![format!("DROP TABLE {};", self.ident(&table.name))])
    }

    /// `ALTER TABLE ... RENAME TO`.
    fn rename_table(&self, cx: &Context, from: &str, to: &str) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Ok(vec![self.alter_table(
            from,
            &format!("RENAME TO {}", self.ident(to)),
        )])
    }

    // Columns.

    /// `ADD COLUMN`; a NOT NULL column without a default but with a backfill value is added
    /// nullable, filled, then made NOT NULL.
    fn add_column(
        &self,
        cx: &Context,
        table: &str,
        column: &Column,
        backfill: Option<&ColumnDefault>,
    ) -> Result<Vec<String>, RenderError> {
        let mut out = match backfill_for(column, backfill) {
            Some(value) => vec![
                self.alter_table(
                    table,
                    &format!("ADD COLUMN {}", self.column_def(cx, column, false)?),
                ),
                format!(
                    "UPDATE {} SET {} = {};",
                    self.ident(table),
                    self.ident(&column.name),
                    self.typed_default(cx, value, Some(&column.ty))?
                ),
                self.alter_table(
                    table,
                    &format!("ALTER COLUMN {} SET NOT NULL", self.ident(&column.name)),
                ),
            ],
            None => vec![self.alter_table(
                table,
                &format!("ADD COLUMN {}", self.column_def(cx, column, true)?),
            )],
        };
        if column.comment.is_some() {
            out.extend(self.column_comment(cx, table, &column.name, column.comment.as_deref())?);
        }
        Ok(out)
    }

    /// `DROP COLUMN`.
    fn drop_column(
        &self,
        cx: &Context,
        table: &str,
        column: &Column,
    ) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Ok(vec![self.alter_table(
            table,
            &format!("DROP COLUMN {}", self.ident(&column.name)),
        )])
    }

    /// `RENAME COLUMN`.
    fn rename_column(
        &self,
        cx: &Context,
        table: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Ok(vec![self.alter_table(
            table,
            &format!("RENAME COLUMN {} TO {}", self.ident(from), self.ident(to)),
        )])
    }

    /// A new type for a column: its old default dropped first, the new one set after.
    #[allow(clippy::too_many_arguments)]
    fn alter_column_type(
        &self,
        cx: &Context,
        table: &str,
        column: &str,
        from: &ColumnType,
        to: &ColumnType,
        from_default: Option<&ColumnDefault>,
        to_default: Option<&ColumnDefault>,
    ) -> Result<Vec<String>, RenderError> {
        let c = self.ident(column);
        let mut out = Vec::new();
        if from_default.is_some() {
            out.push(self.alter_table(table, &format!("ALTER COLUMN {c} DROP DEFAULT")));
        }
        out.push(self.alter_table(table, &self.set_column_type(cx, table, column, from, to)?));
        if let Some(default) = to_default {
            out.push(self.alter_table(
                table,
                &format!(
                    "ALTER COLUMN {c} SET DEFAULT {}",
                    self.typed_default(cx, default, Some(to))?
                ),
            ));
        }
        Ok(out)
    }

    /// `SET NOT NULL`, NULLs first filled from `backfill` when given.
    fn set_not_null(
        &self,
        cx: &Context,
        table: &str,
        column: &str,
        backfill: Option<&ColumnDefault>,
    ) -> Result<Vec<String>, RenderError> {
        let c = self.ident(column);
        let mut out = Vec::new();
        if let Some(value) = backfill {
            out.push(self.fill_nulls(cx, table, column, value, cx.column_type(table, column))?);
        }
        out.push(self.alter_table(table, &format!("ALTER COLUMN {c} SET NOT NULL")));
        Ok(out)
    }

    /// `DROP NOT NULL`.
    fn drop_not_null(
        &self,
        cx: &Context,
        table: &str,
        column: &str,
    ) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Ok(vec![self.alter_table(
            table,
            &format!("ALTER COLUMN {} DROP NOT NULL", self.ident(column)),
        )])
    }

    /// `SET DEFAULT`, or `DROP DEFAULT` when `to` is `None`.
    fn alter_default(
        &self,
        cx: &Context,
        table: &str,
        column: &str,
        to: Option<&ColumnDefault>,
    ) -> Result<Vec<String>, RenderError> {
        let action = match to {
            Some(d) => format!(
                "ALTER COLUMN {} SET DEFAULT {}",
                self.ident(column),
                self.typed_default(cx, d, cx.column_type(table, column))?
            ),
            None => format!("ALTER COLUMN {} DROP DEFAULT", self.ident(column)),
        };
        Ok(vec![self.alter_table(table, &action)])
    }

    /// Add, change or drop a column's identity generation.
    fn alter_identity(
        &self,
        cx: &Context,
        table: &str,
        column: &str,
        from: Option<Identity>,
        to: Option<Identity>,
    ) -> Result<Vec<String>, RenderError> {
        let _ = (cx, from, to);
        Err(unsupported(
            self,
            "changing identity generation",
            Some(table),
            Some(column),
        ))
    }

    // Constraints and indexes.

    /// `ADD CONSTRAINT ... PRIMARY KEY`.
    fn add_primary_key(
        &self,
        cx: &Context,
        table: &str,
        key: &PrimaryKey,
    ) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Ok(vec![self.alter_table(
            table,
            &format!(
                "ADD CONSTRAINT {} PRIMARY KEY ({})",
                self.ident(&key.name),
                self.idents(&key.columns)
            ),
        )])
    }

    /// `DROP CONSTRAINT` of the primary key.
    fn drop_primary_key(
        &self,
        cx: &Context,
        table: &str,
        key: &PrimaryKey,
    ) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Ok(vec![self.alter_table(
            table,
            &format!("DROP CONSTRAINT {}", self.ident(&key.name)),
        )])
    }

    /// `CREATE INDEX` ([`Render::index_definition`]).
    fn create_index(
        &self,
        cx: &Context,
        table: &str,
        index: &Index,
    ) -> Result<Vec<String>, RenderError> {
        Ok(vec![self.index_definition(cx, table, index)?])
    }

    /// `DROP INDEX`.
    fn drop_index(
        &self,
        cx: &Context,
        table: &str,
        index: &Index,
    ) -> Result<Vec<String>, RenderError> {
        let _ = (cx, table);
        Ok(vec![format!("DROP INDEX {};", self.ident(&index.name))])
    }

    /// `ADD CONSTRAINT ... UNIQUE`.
    fn add_unique(
        &self,
        cx: &Context,
        table: &str,
        unique: &Unique,
    ) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Ok(vec![self.alter_table(
            table,
            &format!(
                "ADD CONSTRAINT {} UNIQUE ({})",
                self.ident(&unique.name),
                self.idents(&unique.columns)
            ),
        )])
    }

    /// `DROP CONSTRAINT` of a unique constraint.
    fn drop_unique(
        &self,
        cx: &Context,
        table: &str,
        unique: &Unique,
    ) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Ok(vec![self.alter_table(
            table,
            &format!("DROP CONSTRAINT {}", self.ident(&unique.name)),
        )])
    }

    /// `ADD CONSTRAINT ... CHECK`.
    fn add_check(
        &self,
        cx: &Context,
        table: &str,
        check: &Check,
    ) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Ok(vec![self.alter_table(
            table,
            &format!(
                "ADD CONSTRAINT {} CHECK ({})",
                self.ident(&check.name),
                check.expr
            ),
        )])
    }

    /// `DROP CONSTRAINT` of a check.
    fn drop_check(
        &self,
        cx: &Context,
        table: &str,
        check: &Check,
    ) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Ok(vec![self.alter_table(
            table,
            &format!("DROP CONSTRAINT {}", self.ident(&check.name)),
        )])
    }

    /// `ADD CONSTRAINT ... FOREIGN KEY` ([`Render::foreign_key`]).
    fn add_foreign_key(
        &self,
        cx: &Context,
        table: &str,
        foreign_key: &ForeignKey,
    ) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Ok(vec![self.alter_table(
            table,
            &format!("ADD {}", self.foreign_key(foreign_key)),
        )])
    }

    /// `DROP CONSTRAINT` of a foreign key.
    fn drop_foreign_key(
        &self,
        cx: &Context,
        table: &str,
        foreign_key: &ForeignKey,
    ) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Ok(vec![self.alter_table(
            table,
            &format!("DROP CONSTRAINT {}", self.ident(&foreign_key.name)),
        )])
    }

    /// Rename an index; standard SQL has no spelling.
    fn rename_index(
        &self,
        cx: &Context,
        table: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Err(unsupported(
            self,
            format!("renaming index `{from}` to `{to}`"),
            Some(table),
            None,
        ))
    }

    /// Rename a constraint; standard SQL has no spelling.
    fn rename_constraint(
        &self,
        cx: &Context,
        table: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Err(unsupported(
            self,
            format!("renaming constraint `{from}` to `{to}`"),
            Some(table),
            None,
        ))
    }

    // Comments: no standard spelling.

    /// Set or clear (`None`) a table comment.
    fn table_comment(
        &self,
        cx: &Context,
        table: &str,
        comment: Option<&str>,
    ) -> Result<Vec<String>, RenderError> {
        let _ = (cx, comment);
        Err(unsupported(self, "comments", Some(table), None))
    }

    /// Set or clear (`None`) a column comment.
    fn column_comment(
        &self,
        cx: &Context,
        table: &str,
        column: &str,
        comment: Option<&str>,
    ) -> Result<Vec<String>, RenderError> {
        let _ = (cx, comment);
        Err(unsupported(self, "comments", Some(table), Some(column)))
    }

    /// A table rebuilt as another definition of it, keeping its rows. Standard SQL changes
    /// tables in place, so there is no default.
    fn rebuild_table(&self, cx: &Context, rebuild: &Rebuild) -> Result<Vec<String>, RenderError> {
        let _ = cx;
        Err(unsupported(
            self,
            "rebuilding a table",
            Some(&rebuild.to.name),
            None,
        ))
    }
}

#[cfg(test)]
mod tests;
