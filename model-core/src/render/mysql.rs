//! MySQL and MariaDB: what they write differently from standard SQL.
//!
//! - `ALTER TABLE t MODIFY COLUMN c <definition>` resets whatever the definition does not say,
//!   so every change of a column's type, nullability, identity or comment restates the whole
//!   column as the schema the migration leads to has it ([`Context::final_column`]): type,
//!   `NOT NULL`, default, `AUTO_INCREMENT` and `COMMENT`. A column made NOT NULL later in the
//!   same migration is restated nullable until then.
//! - Defaults change with `ALTER COLUMN ... SET DEFAULT` / `DROP DEFAULT`; a default of a
//!   `LONGTEXT`, `LONGBLOB` or `JSON` column is a parenthesized expression (`DEFAULT ('x')`),
//!   which MySQL 8 requires and MariaDB accepts.
//! - Identity is `AUTO_INCREMENT` (numbering by default, never `ALWAYS`).
//! - Enums are inline `ENUM(...)` column types: an enum's change is a `MODIFY COLUMN` of every
//!   column using it; renamed values go through an `ENUM` holding both spellings while the rows
//!   are updated.
//! - Indexes are created inline in `CREATE TABLE` (so that a foreign key uses them rather than
//!   an index of its own), and so is the index InnoDB would make for a foreign key no other
//!   index covers, named after the foreign key (see `plan/mysql.rs`); uniques are dropped with `DROP INDEX`, foreign keys with
//!   `DROP FOREIGN KEY`; a primary key is always called `PRIMARY`, so renaming it does
//!   nothing; a unique is renamed with `RENAME INDEX`, a check or a foreign key is dropped and
//!   added under its new name.
//! - Consecutive changes of distinct columns of one table (added, dropped, retyped, made NOT
//!   NULL or nullable, a default or a comment changed) are one `ALTER TABLE` with a clause each
//!   ([`combine`]): MySQL copies the table once instead of once per column.
//! - What MySQL/MariaDB cannot express is an error naming the table (and column): arrays,
//!   partial indexes, index methods other than B-tree, operator classes, `NULLS FIRST/LAST`,
//!   expression keys, plain indexes on `LONGTEXT`/`LONGBLOB`/`JSON` columns, extensions,
//!   deferrable foreign keys, `SET DEFAULT` actions and `GENERATED ALWAYS` identity.

use super::{unsupported, Context, Render, RenderedOperation};
use crate::dialect::{MySql, RenderError, SqlDialect};
use crate::operation::{EnumDependent, EnumUsage, Operation};
use crate::schema::{
    Check, Column, ColumnDefault, ColumnType, Deferrable, Enum, ForeignKey, Identity, Index,
    IndexKey, IndexMethod, IndexTarget, PrimaryKey, ReferentialAction, Schema, SortOrder, Table,
    Unique,
};

/// Whether MySQL needs a default of this type written as a parenthesized expression.
fn expression_default(ty: &ColumnType) -> bool {
    match ty {
        ColumnType::Text | ColumnType::Bytes | ColumnType::Json => true,
        ColumnType::Custom { sql } => {
            let sql = sql.to_ascii_lowercase();
            ["text", "blob", "json", "geometry"]
                .iter()
                .any(|word| sql.contains(word))
        }
        _ => false,
    }
}

/// Whether a column of this type can be a plain index key (MySQL needs a prefix length for
/// text and blob columns).
fn indexable(ty: &ColumnType) -> bool {
    !expression_default(ty)
}

impl MySql {
    /// The first key column whose type MySQL cannot key without a length: a primary key,
    /// unique or foreign key (either end) on a `LONGTEXT`, `LONGBLOB` or `JSON` column.
    fn unkeyable(&self, schema: &Schema) -> Result<(), RenderError> {
        for table in schema.tables.values() {
            let mut keys: Vec<(&str, &str)> = Vec::new();
            keys.extend(
                table
                    .primary_key
                    .columns
                    .iter()
                    .map(|c| ("a primary key", c.as_str())),
            );
            for unique in &table.uniques {
                keys.extend(unique.columns.iter().map(|c| ("a unique", c.as_str())));
            }
            for fk in &table.foreign_keys {
                keys.extend(fk.columns.iter().map(|c| ("a foreign key", c.as_str())));
            }
            for (what, name) in keys {
                let Some(column) = table.column(name) else {
                    continue;
                };
                if !indexable(&column.ty) {
                    return Err(self.err(
                        format!(
                            "{what} on a {} column (MySQL keys such a column only by a prefix; \
                             give the field a max_length)",
                            self.column_type(&column.ty, schema)?
                        ),
                        &table.name,
                        Some(name),
                    ));
                }
            }
        }
        Ok(())
    }

    fn err(&self, what: impl Into<String>, table: &str, column: Option<&str>) -> RenderError {
        unsupported(self, what, Some(table), column)
    }

    /// `COMMENT '...'` after a column, when it has one.
    fn comment_clause(&self, comment: Option<&str>) -> String {
        match comment {
            Some(text) => format!(" COMMENT {}", self.string(text)),
            None => String::new(),
        }
    }

    /// A column's full definition: `name TYPE [NOT NULL] [DEFAULT ...] [AUTO_INCREMENT]
    /// [COMMENT '...']`, the type spelled by `ty` when given (an enum's values).
    fn definition(
        &self,
        cx: &Context,
        table: &str,
        column: &Column,
        not_null: bool,
        ty: Option<String>,
    ) -> Result<String, RenderError> {
        let ty = match ty {
            Some(ty) => ty,
            None => self.column_type(&column.ty, cx.schema)?,
        };
        let mut out = format!("{} {ty}", self.ident(&column.name));
        if not_null {
            out.push_str(" NOT NULL");
        }
        if let Some(default) = &column.default {
            out.push_str(" DEFAULT ");
            out.push_str(&self.typed_default(cx, default, Some(&column.ty))?);
        }
        match column.identity {
            Some(Identity::ByDefault) => out.push_str(" AUTO_INCREMENT"),
            Some(Identity::Always) => {
                return Err(self.err(
                    "GENERATED ALWAYS identity (AUTO_INCREMENT numbers by default)",
                    table,
                    Some(&column.name),
                ))
            }
            None => {}
        }
        out.push_str(&self.comment_clause(column.comment.as_deref()));
        Ok(out)
    }

    /// The column as the migration leaves it, under the name it has at this operation.
    fn target_column(
        &self,
        cx: &Context,
        table: &str,
        column: &str,
    ) -> Result<Column, RenderError> {
        let mut found = cx.final_column(table, column).cloned().ok_or_else(|| {
            self.err(
                "changing a column the target schema does not have",
                table,
                Some(column),
            )
        })?;
        found.name = column.to_owned();
        // Made NOT NULL by a later step of this migration (after its backfill): nullable
        // until then.
        let later_not_null = cx.later.iter().any(|op| {
            matches!(op, Operation::SetNotNull { table: t, column: c, .. }
                if cx.final_names(t, Some(c)) == cx.final_names(table, Some(column)))
        });
        if later_not_null {
            found.nullable = true;
        }
        // Its type and identity until a later step of this migration changes them: restating
        // them earlier would change them before the keys around them allow it. (Not an enum
        // type: its values at this point are not the target schema's, and the later step
        // restates the column whole anyway.)
        let same =
            |t: &str, c: &str| cx.final_names(t, Some(c)) == cx.final_names(table, Some(column));
        for op in cx.later {
            match op {
                Operation::AlterColumnType {
                    table: t,
                    column: c,
                    from,
                    from_default,
                    ..
                } if same(t, c) => {
                    if !matches!(from, ColumnType::Enum { .. }) {
                        found.ty = from.clone();
                        found.default = from_default.clone();
                    }
                    break;
                }
                _ => {}
            }
        }
        if let Some(Operation::AlterIdentity { from, .. }) = cx.later.iter().find(
            |op| matches!(op, Operation::AlterIdentity { table: t, column: c, .. } if same(t, c)),
        ) {
            found.identity = *from;
        }
        Ok(found)
    }

    /// `ALTER TABLE <table> MODIFY COLUMN <definition>;`
    ///
    /// An enum column whose values a later step of the migration changes (a down undoing a
    /// value rename last) is restated with the values it has until then, and keeps its
    /// default if the target's is not one of them yet.
    fn modify(
        &self,
        cx: &Context,
        table: &str,
        column: &Column,
        ty: Option<String>,
    ) -> Result<String, RenderError> {
        let mut column = column.clone();
        let mut ty = ty;
        if let (None, ColumnType::Enum { name }) = (&ty, &column.ty) {
            let here = cx.final_names(table, Some(&column.name));
            let pending = cx.later.iter().find_map(|op| match op {
                Operation::RecreateEnum { from, usages, .. } if from.name == *name => usages
                    .iter()
                    .find(|u| cx.final_names(&u.table, Some(&u.column)) == here)
                    .map(|u| (from, u)),
                _ => None,
            });
            if let Some((from, usage)) = pending {
                ty = Some(self.enum_type(from.value_names()));
                let valid = |d: &ColumnDefault| match d {
                    ColumnDefault::Value(crate::schema::Value::Text(v)) => {
                        from.value_names().any(|n| n == v)
                    }
                    _ => true,
                };
                if !column.default.as_ref().is_none_or(valid) {
                    column.default = usage.default.clone();
                }
            }
        }
        let column = &column;
        Ok(self.alter_table(
            table,
            &format!(
                "MODIFY COLUMN {}",
                self.definition(cx, table, column, !column.nullable, ty)?
            ),
        ))
    }

    /// Refuses what InnoDB cannot do with a foreign key.
    fn check_foreign_key(&self, table: &str, fk: &ForeignKey) -> Result<(), RenderError> {
        let column = fk.columns.first().map(String::as_str);
        if fk.deferrable != Deferrable::No {
            return Err(self.err(
                format!("deferrable foreign keys (foreign key `{}`)", fk.name),
                table,
                column,
            ));
        }
        if fk.on_delete == ReferentialAction::SetDefault
            || fk.on_update == ReferentialAction::SetDefault
        {
            return Err(self.err(
                format!(
                    "ON DELETE/UPDATE SET DEFAULT, which InnoDB rejects (foreign key `{}`)",
                    fk.name
                ),
                table,
                column,
            ));
        }
        Ok(())
    }

    /// An index's keys, `(a, b DESC)`, refusing what MySQL/MariaDB cannot index.
    fn index_keys(&self, cx: &Context, table: &str, index: &Index) -> Result<String, RenderError> {
        if index.predicate.is_some() {
            return Err(self.err(
                format!("partial indexes (index `{}` has a WHERE)", index.name),
                table,
                None,
            ));
        }
        match index.method {
            None | Some(IndexMethod::Btree) => {}
            Some(IndexMethod::Hash) => {
                return Err(self.err(
                    format!(
                        "index method hash, which InnoDB ignores (index `{}`)",
                        index.name
                    ),
                    table,
                    None,
                ))
            }
            Some(method) => {
                return Err(self.err(
                    format!("index method {} (index `{}`)", method.as_str(), index.name),
                    table,
                    None,
                ))
            }
        }
        let mut keys = Vec::new();
        for key in &index.keys {
            keys.push(self.index_key(cx, table, index, key)?);
        }
        Ok(format!("({})", keys.join(", ")))
    }

    fn index_key(
        &self,
        cx: &Context,
        table: &str,
        index: &Index,
        key: &IndexKey,
    ) -> Result<String, RenderError> {
        let column = match &key.target {
            IndexTarget::Column(c) => c,
            IndexTarget::Expression(e) => {
                return Err(self.err(
                    format!(
                        "expression index keys (`{e}` in index `{}`; MariaDB has no expression indexes)",
                        index.name
                    ),
                    table,
                    None,
                ))
            }
        };
        if let Some(opclass) = &key.opclass {
            return Err(self.err(
                format!("operator class {opclass} (index `{}`)", index.name),
                table,
                Some(column),
            ));
        }
        if key.nulls.is_some() {
            return Err(self.err(
                format!("NULLS FIRST/LAST in an index key (index `{}`)", index.name),
                table,
                Some(column),
            ));
        }
        if let Some(c) = cx.final_column(table, column) {
            if !indexable(&c.ty) {
                return Err(self.err(
                    format!(
                        "an index on a {} column without a key length (index `{}`; give the field a max_length)",
                        self.column_type(&c.ty, cx.schema)?,
                        index.name
                    ),
                    table,
                    Some(column),
                ));
            }
        }
        let mut out = self.ident(column);
        if key.order == Some(SortOrder::Desc) {
            out.push_str(" DESC");
        }
        Ok(out)
    }

    /// `[UNIQUE] INDEX <name> (<keys>)` as written inside `CREATE TABLE`.
    fn inline_index(
        &self,
        cx: &Context,
        table: &str,
        index: &Index,
    ) -> Result<String, RenderError> {
        Ok(format!(
            "{}INDEX {} {}",
            if index.unique { "UNIQUE " } else { "" },
            self.ident(&index.name),
            self.index_keys(cx, table, index)?
        ))
    }

    /// The constraint called `name` of the table.
    fn find_constraint<'t>(&self, table: &'t Table, name: &str) -> Option<Constraint<'t>> {
        if table.primary_key.name == name {
            return Some(Constraint::PrimaryKey);
        }
        if table.uniques.iter().any(|u| u.name == name) {
            return Some(Constraint::Unique);
        }
        if let Some(c) = table.checks.iter().find(|c| c.name == name) {
            return Some(Constraint::Check(c));
        }
        table
            .foreign_keys
            .iter()
            .find(|f| f.name == name)
            .map(Constraint::ForeignKey)
    }
}

/// A named constraint of a table.
enum Constraint<'t> {
    PrimaryKey,
    Unique,
    Check(&'t Check),
    ForeignKey(&'t ForeignKey),
}

/// Whether an index, unique or primary key of `table` starts with the foreign key's columns
/// (otherwise InnoDB keeps an index of its own for it, named after the foreign key).
pub(crate) fn covered(table: &Table, columns: &[String]) -> bool {
    let starts = |cols: &[String]| cols.starts_with(columns);
    starts(&table.primary_key.columns)
        || table.uniques.iter().any(|u| starts(&u.columns))
        || table.indexes.iter().any(|i| {
            i.predicate.is_none()
                && i.keys.len() >= columns.len()
                && i.keys
                    .iter()
                    .zip(columns)
                    .all(|(k, c)| k.target == IndexTarget::Column(c.clone()))
        })
}

impl Render for MySql {
    fn schema(&self, schema: &Schema) -> Result<(), RenderError> {
        self.unkeyable(schema)
    }

    /// Text, blob and JSON defaults as parenthesized expressions.
    fn typed_default(
        &self,
        _cx: &Context,
        default: &ColumnDefault,
        ty: Option<&ColumnType>,
    ) -> Result<String, RenderError> {
        let value = self.default_value(default);
        Ok(match ty {
            Some(ty)
                if expression_default(ty) && !(value.starts_with('(') && value.ends_with(')')) =>
            {
                format!("({value})")
            }
            // MySQL refuses `CURRENT_TIMESTAMP` on a `DATETIME(6)` column (the precisions must
            // agree); MariaDB stores it as `current_timestamp(6)` anyway.
            Some(ty) if crate::dialect::mysql::is_current_timestamp_default(ty, default) => {
                "CURRENT_TIMESTAMP(6)".into()
            }
            // A `DateTime<Utc>` default carries its offset; `DATETIME` takes none (MariaDB
            // refuses one): the time in UTC.
            Some(ty) => match default {
                ColumnDefault::Value(crate::schema::Value::Text(text)) => {
                    if let Some(sql) = crate::dialect::mysql::uuid_default(ty, text) {
                        // A UUID is its 16 bytes (`BINARY(16)`).
                        format!("({sql})")
                    } else {
                        match crate::dialect::mysql::canonical_temporal(ty, text) {
                            Some(utc) => self.string(&utc),
                            None => value,
                        }
                    }
                }
                _ => value,
            },
            None => value,
        })
    }

    fn column_def(
        &self,
        cx: &Context,
        column: &Column,
        with_not_null: bool,
    ) -> Result<String, RenderError> {
        self.definition(cx, "", column, with_not_null && !column.nullable, None)
    }

    fn create_extension(&self, cx: &Context, name: &str) -> Result<Vec<String>, RenderError> {
        let table = cx
            .schema
            .tables
            .values()
            .find(|t| t.extensions.iter().any(|e| e == name))
            .map(|t| t.name.as_str());
        Err(unsupported(
            self,
            format!("extension `{name}` (extensions are PostgreSQL's)"),
            table,
            None,
        ))
    }

    /// Enum types are inline column types: nothing to create.
    fn create_enum(&self, _: &Context, _: &Enum) -> Result<Vec<String>, RenderError> {
        Ok(Vec::new())
    }

    /// Enum types are inline column types: nothing to drop.
    fn drop_enum(&self, _: &Context, _: &Enum) -> Result<Vec<String>, RenderError> {
        Ok(Vec::new())
    }

    /// Every column of the enum restated with the new values; renamed values are first
    /// allowed in both spellings while the rows are updated.
    fn recreate_enum(
        &self,
        cx: &Context,
        from: &Enum,
        to: &Enum,
        renamed: &[(String, String)],
        usages: &[EnumUsage],
        dependents: &[EnumDependent],
    ) -> Result<Vec<String>, RenderError> {
        let _ = dependents;
        let mut out = Vec::new();
        for usage in usages {
            if usage.array {
                return Err(self.err("arrays", &usage.table, Some(&usage.column)));
            }
            let mut column = self.target_column(cx, &usage.table, &usage.column)?;
            if !renamed.is_empty() {
                // Both spellings allowed while the rows change.
                let mut both: Vec<&str> = to.value_names().collect();
                for value in from.value_names() {
                    if !both.contains(&value) {
                        both.push(value);
                    }
                }
                column.default = usage.default.clone();
                out.push(self.modify(cx, &usage.table, &column, Some(self.enum_type(both)))?);
                let c = self.ident(&usage.column);
                let arms: Vec<String> = renamed
                    .iter()
                    .map(|(a, b)| format!("WHEN {} THEN {}", self.string(a), self.string(b)))
                    .collect();
                let olds: Vec<String> = renamed.iter().map(|(a, _)| self.string(a)).collect();
                out.push(format!(
                    "UPDATE {} SET {c} = CASE {c} {} ELSE {c} END WHERE {c} IN ({});",
                    self.ident(&usage.table),
                    arms.join(" "),
                    olds.join(", ")
                ));
            }
            column.default = usage.default_after.clone();
            out.push(self.modify(
                cx,
                &usage.table,
                &column,
                Some(self.enum_type(to.value_names())),
            )?);
        }
        Ok(out)
    }

    /// `CREATE TABLE` with its keys, indexes, checks and foreign keys inline, and its
    /// comment.
    fn create_table(&self, cx: &Context, table: &Table) -> Result<Vec<String>, RenderError> {
        let mut lines = Vec::new();
        for column in &table.columns {
            lines.push(self.definition(cx, &table.name, column, !column.nullable, None)?);
        }
        lines.push(self.primary_key_line(table));
        let (uniques, checks) = self.unique_and_check_lines(table);
        lines.extend(uniques);
        for index in &table.indexes {
            lines.push(self.inline_index(cx, &table.name, index)?);
        }
        lines.extend(checks);
        for fk in &table.foreign_keys {
            self.check_foreign_key(&table.name, fk)?;
            // The index InnoDB would make for it, written out (see `plan/mysql.rs`).
            if !covered(table, &fk.columns) {
                lines.push(format!(
                    "INDEX {} ({})",
                    self.ident(&fk.name),
                    self.idents(&fk.columns)
                ));
            }
            lines.push(self.foreign_key(fk));
        }
        let comment = match &table.comment {
            Some(text) => format!(" COMMENT = {}", self.string(text)),
            None => String::new(),
        };
        Ok(vec![format!(
            "CREATE TABLE {} (\n    {}\n){comment};",
            self.ident(&table.name),
            lines.join(",\n    ")
        )])
    }

    /// `RENAME TABLE`.
    fn rename_table(&self, _: &Context, from: &str, to: &str) -> Result<Vec<String>, RenderError> {
        Ok(vec![format!(
            "RENAME TABLE {} TO {};",
            self.ident(from),
            self.ident(to)
        )])
    }

    /// `ADD COLUMN`; a NOT NULL column without a default but with a backfill value is added
    /// nullable, filled, then restated NOT NULL.
    fn add_column(
        &self,
        cx: &Context,
        table: &str,
        column: &Column,
        backfill: Option<&ColumnDefault>,
    ) -> Result<Vec<String>, RenderError> {
        let fill = backfill.filter(|_| !column.nullable && column.default.is_none());
        Ok(match fill {
            Some(value) => vec![
                self.alter_table(
                    table,
                    &format!(
                        "ADD COLUMN {}",
                        self.definition(cx, table, column, false, None)?
                    ),
                ),
                format!(
                    "UPDATE {} SET {} = {};",
                    self.ident(table),
                    self.ident(&column.name),
                    self.typed_default(cx, value, Some(&column.ty))?
                ),
                self.modify(cx, table, column, None)?,
            ],
            None => vec![self.alter_table(
                table,
                &format!(
                    "ADD COLUMN {}",
                    self.definition(cx, table, column, !column.nullable, None)?
                ),
            )],
        })
    }

    /// `MODIFY COLUMN` with the new type and the column's other attributes restated; MySQL
    /// converts the values (and fails on one that does not fit, in strict mode).
    fn alter_column_type(
        &self,
        cx: &Context,
        table: &str,
        column: &str,
        _from: &ColumnType,
        to: &ColumnType,
        _from_default: Option<&ColumnDefault>,
        to_default: Option<&ColumnDefault>,
    ) -> Result<Vec<String>, RenderError> {
        let mut target = self.target_column(cx, table, column)?;
        target.ty = to.clone();
        target.default = to_default.cloned();
        Ok(vec![self.modify(cx, table, &target, None)?])
    }

    /// NULLs filled from `backfill` when given, then the column restated NOT NULL.
    fn set_not_null(
        &self,
        cx: &Context,
        table: &str,
        column: &str,
        backfill: Option<&ColumnDefault>,
    ) -> Result<Vec<String>, RenderError> {
        let mut target = self.target_column(cx, table, column)?;
        let mut out = Vec::new();
        if let Some(value) = backfill {
            out.push(self.fill_nulls(cx, table, column, value, Some(&target.ty))?);
        }
        target.nullable = false;
        out.push(self.modify(cx, table, &target, None)?);
        Ok(out)
    }

    /// The column restated nullable.
    fn drop_not_null(
        &self,
        cx: &Context,
        table: &str,
        column: &str,
    ) -> Result<Vec<String>, RenderError> {
        let mut target = self.target_column(cx, table, column)?;
        target.nullable = true;
        Ok(vec![self.modify(cx, table, &target, None)?])
    }

    /// `AUTO_INCREMENT` added or removed by restating the column.
    fn alter_identity(
        &self,
        cx: &Context,
        table: &str,
        column: &str,
        _from: Option<Identity>,
        to: Option<Identity>,
    ) -> Result<Vec<String>, RenderError> {
        let mut target = self.target_column(cx, table, column)?;
        target.identity = to;
        if to.is_some() {
            target.default = None;
        }
        Ok(vec![self.modify(cx, table, &target, None)?])
    }

    /// `ADD PRIMARY KEY` (MySQL calls every primary key `PRIMARY`).
    fn add_primary_key(
        &self,
        _: &Context,
        table: &str,
        key: &PrimaryKey,
    ) -> Result<Vec<String>, RenderError> {
        Ok(vec![self.alter_table(
            table,
            &format!("ADD PRIMARY KEY ({})", self.idents(&key.columns)),
        )])
    }

    /// `DROP PRIMARY KEY`.
    fn drop_primary_key(
        &self,
        _: &Context,
        table: &str,
        _: &PrimaryKey,
    ) -> Result<Vec<String>, RenderError> {
        Ok(vec![self.alter_table(table, "DROP PRIMARY KEY")])
    }

    fn index_definition(
        &self,
        cx: &Context,
        table: &str,
        index: &Index,
    ) -> Result<String, RenderError> {
        Ok(format!(
            "CREATE {}INDEX {} ON {} {};",
            if index.unique { "UNIQUE " } else { "" },
            self.ident(&index.name),
            self.ident(table),
            self.index_keys(cx, table, index)?
        ))
    }

    /// `DROP INDEX ... ON <table>`.
    fn drop_index(
        &self,
        _: &Context,
        table: &str,
        index: &Index,
    ) -> Result<Vec<String>, RenderError> {
        Ok(vec![format!(
            "DROP INDEX {} ON {};",
            self.ident(&index.name),
            self.ident(table)
        )])
    }

    /// A unique constraint is an index: `DROP INDEX`.
    fn drop_unique(
        &self,
        _: &Context,
        table: &str,
        unique: &Unique,
    ) -> Result<Vec<String>, RenderError> {
        Ok(vec![self.alter_table(
            table,
            &format!("DROP INDEX {}", self.ident(&unique.name)),
        )])
    }

    fn add_foreign_key(
        &self,
        _: &Context,
        table: &str,
        foreign_key: &ForeignKey,
    ) -> Result<Vec<String>, RenderError> {
        self.check_foreign_key(table, foreign_key)?;
        Ok(vec![self.alter_table(
            table,
            &format!("ADD {}", self.foreign_key(foreign_key)),
        )])
    }

    /// `DROP FOREIGN KEY`.
    fn drop_foreign_key(
        &self,
        _: &Context,
        table: &str,
        foreign_key: &ForeignKey,
    ) -> Result<Vec<String>, RenderError> {
        Ok(vec![self.alter_table(
            table,
            &format!("DROP FOREIGN KEY {}", self.ident(&foreign_key.name)),
        )])
    }

    /// `ALTER TABLE ... RENAME INDEX`.
    fn rename_index(
        &self,
        _: &Context,
        table: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<String>, RenderError> {
        Ok(vec![self.alter_table(
            table,
            &format!("RENAME INDEX {} TO {}", self.ident(from), self.ident(to)),
        )])
    }

    /// A primary key is always `PRIMARY` (nothing to do); a unique is an index
    /// (`RENAME INDEX`); a check or a foreign key is dropped and added under its new name,
    /// with the index InnoDB keeps for a foreign key no other index covers renamed too.
    fn rename_constraint(
        &self,
        cx: &Context,
        table: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<String>, RenderError> {
        let definition = cx
            .final_table(table)
            .and_then(|t| self.find_constraint(t, to).map(|c| (t, c)));
        let Some((target, constraint)) = definition else {
            return Err(self.err(
                format!("renaming constraint `{from}` to `{to}`: no such constraint in the target schema"),
                table,
                None,
            ));
        };
        let (f, t) = (self.ident(from), self.ident(to));
        Ok(match constraint {
            Constraint::PrimaryKey => Vec::new(),
            Constraint::Unique => {
                vec![self.alter_table(table, &format!("RENAME INDEX {f} TO {t}"))]
            }
            Constraint::Check(check) => vec![self.alter_table(
                table,
                &format!(
                    "DROP CONSTRAINT {f}, ADD CONSTRAINT {t} CHECK ({})",
                    check.expr
                ),
            )],
            Constraint::ForeignKey(fk) => {
                self.check_foreign_key(table, fk)?;
                let own_index = !covered(target, &fk.columns);
                // Named as the tables and columns are at this point of the migration.
                let mut fk = fk.clone();
                fk.columns = fk
                    .columns
                    .iter()
                    .map(|c| cx.current_column_name(&target.name, c))
                    .collect();
                fk.ref_columns = fk
                    .ref_columns
                    .iter()
                    .map(|c| cx.current_column_name(&fk.ref_table, c))
                    .collect();
                fk.ref_table = cx.current_table_name(&fk.ref_table);
                let fk = &fk;
                let index = if own_index {
                    format!(", RENAME INDEX {f} TO {t}")
                } else {
                    String::new()
                };
                vec![self.alter_table(
                    table,
                    &format!("DROP FOREIGN KEY {f}{index}, ADD {}", self.foreign_key(fk)),
                )]
            }
        })
    }

    /// `ALTER TABLE ... COMMENT = '...'` (an empty comment clears it).
    fn table_comment(
        &self,
        _: &Context,
        table: &str,
        comment: Option<&str>,
    ) -> Result<Vec<String>, RenderError> {
        Ok(vec![self.alter_table(
            table,
            &format!("COMMENT = {}", self.string(comment.unwrap_or(""))),
        )])
    }

    /// The column restated with its new comment.
    fn column_comment(
        &self,
        cx: &Context,
        table: &str,
        column: &str,
        comment: Option<&str>,
    ) -> Result<Vec<String>, RenderError> {
        let mut target = self.target_column(cx, table, column)?;
        target.comment = comment.map(str::to_owned);
        Ok(vec![self.modify(cx, table, &target, None)?])
    }
}

/// The table and column of an operation whose single `ALTER TABLE` statement may share one
/// statement with others on distinct columns of the same table.
fn column_clause(op: &Operation) -> Option<(&str, &str)> {
    match op {
        Operation::AddColumn { table, column, .. } | Operation::DropColumn { table, column } => {
            Some((table, &column.name))
        }
        Operation::AlterColumnType { table, column, .. }
        | Operation::SetNotNull { table, column, .. }
        | Operation::DropNotNull { table, column }
        | Operation::AlterDefault { table, column, .. }
        | Operation::SetColumnComment { table, column, .. } => Some((table, column)),
        _ => None,
    }
}

/// Merges consecutive column changes of one table, each a single `ALTER TABLE` statement on
/// a distinct column, into the first one's statement; the others keep their summary and say
/// where their clause went.
pub(super) fn combine(rendered: &mut [RenderedOperation], operations: &[Operation]) {
    let single = |r: &RenderedOperation, prefix: &str| match &r.statements[..] {
        [statement] if statement.starts_with(prefix) && statement.ends_with(';') => {
            Some(statement[prefix.len()..statement.len() - 1].to_owned())
        }
        _ => None,
    };
    let mut i = 0;
    while i < rendered.len() {
        let Some((table, column)) = column_clause(&operations[i]) else {
            i += 1;
            continue;
        };
        let prefix = format!("ALTER TABLE {} ", MySql.ident(table));
        let Some(first) = single(&rendered[i], &prefix) else {
            i += 1;
            continue;
        };
        let mut clauses = vec![first];
        let mut columns = vec![column];
        let mut j = i + 1;
        while j < rendered.len() {
            let Some((t, c)) = column_clause(&operations[j]) else {
                break;
            };
            if t != table || columns.contains(&c) {
                break;
            }
            let Some(clause) = single(&rendered[j], &prefix) else {
                break;
            };
            clauses.push(clause);
            columns.push(c);
            j += 1;
        }
        if clauses.len() > 1 {
            rendered[i].statements = vec![format!("{prefix}{};", clauses.join(",\n    "))];
            // The statement carries their warnings too.
            let notes: Vec<String> = rendered[i + 1..j]
                .iter()
                .flat_map(|r| r.notes.iter().map(|n| format!("{}: {n}", r.summary)))
                .collect();
            for note in notes {
                if !rendered[i].notes.contains(&note) {
                    rendered[i].notes.push(note);
                }
            }
            for later in &mut rendered[i + 1..j] {
                later.statements.clear();
                later
                    .notes
                    .push(format!("In the ALTER TABLE of step {}.", i + 1));
            }
        }
        i = j;
    }
}
