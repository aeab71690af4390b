//! SQLite: what it writes differently from standard SQL.
//!
//! - A table is created with everything inline (SQLite cannot add a constraint later); an
//!   identity column is `INTEGER PRIMARY KEY AUTOINCREMENT`; an enum column is `TEXT` with a
//!   named CHECK listing its values (`ck_<table>_<column>_enum`).
//! - Enum types and comments do not exist: creating or dropping a type, and setting a comment,
//!   write nothing (the snapshot keeps them).
//! - What `ALTER TABLE` cannot change is a rebuild ([`Render::rebuild_table`]): the new table
//!   under a temporary name, the rows copied, the old table dropped, the new one renamed (views
//!   and triggers that name it left alone), its indexes created.
//!
//! Dropping a table that other tables reference deletes or nulls their rows (`ON DELETE
//! CASCADE` / `SET NULL`) unless foreign keys are off, and SQLite ignores `PRAGMA foreign_keys`
//! inside a transaction, where every migration runs (sqlx's SQLite `Migrator` always opens
//! one). So such a drop, or a rebuild of such a table, is preceded by a guard that fails the
//! migration, before anything changed, when foreign keys are on: this runner switches them off
//! around each migration; with sqlx's `Migrator`, connect with `foreign_keys(false)`.

use super::{Context, Rebuild, Render};
use crate::dialect::{RenderError, SqlDialect, Sqlite};
use crate::naming;
use crate::schema::{ColumnType, Enum, Identity, Index, IndexKey, Table};

/// The name a table is built under before it replaces the old one.
pub const REBUILD_PREFIX: &str = "_migrate_gen_new_";

/// The table the guard writes `foreign_keys` into, whose CHECK fails when they are on.
pub const GUARD_TABLE: &str = "_migrate_gen_foreign_keys_off";

/// The temporary table this crate's runner makes in a migration's transaction, so that the
/// trigger guard of a rebuild knows the runner will re-create the triggers it drops.
pub const RUNNER_TABLE: &str = "_migrate_gen_runner";

/// The table the trigger guard of a rebuild writes into, whose CHECK fails when the rebuilt
/// table has triggers and the runner is not this crate's.
pub const TRIGGER_GUARD_TABLE: &str = "_migrate_gen_triggers_kept";

impl Sqlite {
    /// Whether another table that is still there references `table` (in either schema the
    /// migration moves between, unless an earlier step dropped it): dropping it would then act
    /// on their rows.
    fn referenced(&self, cx: &Context, table: &str) -> bool {
        cx.schema
            .tables
            .values()
            .filter(|t| t.name != table && !cx.dropped.contains(&t.name))
            .any(|t| t.foreign_keys.iter().any(|fk| fk.ref_table == table))
    }

    /// Statements that fail the migration when foreign keys are on.
    fn guard(&self) -> Vec<String> {
        vec![
            format!(
                "CREATE TEMP TABLE {GUARD_TABLE} (foreign_keys_must_be_off INTEGER CHECK (foreign_keys_must_be_off = 0));"
            ),
            format!("INSERT INTO {GUARD_TABLE} SELECT foreign_keys FROM pragma_foreign_keys;"),
            format!("DROP TABLE temp.{GUARD_TABLE};"),
        ]
    }

    /// Statements that fail the migration when `table` has triggers (made by hand: models
    /// have none) and the migration is not run by this crate's runner, which re-creates them
    /// after the rebuild. Another runner would drop them with the old table, silently.
    fn trigger_guard(&self, table: &str) -> Vec<String> {
        vec![
            format!(
                "CREATE TEMP TABLE {TRIGGER_GUARD_TABLE} \
                 (triggers_are_kept_only_by_migrate_gen_upgrade INTEGER \
                 CHECK (triggers_are_kept_only_by_migrate_gen_upgrade = 0));"
            ),
            format!(
                "INSERT INTO {TRIGGER_GUARD_TABLE} SELECT count(*) FROM sqlite_master \
                 WHERE type = 'trigger' AND tbl_name = {} AND NOT EXISTS \
                 (SELECT 1 FROM temp.sqlite_master WHERE name = '{RUNNER_TABLE}');",
                self.string(table)
            ),
            format!("DROP TABLE temp.{TRIGGER_GUARD_TABLE};"),
        ]
    }

    /// The CHECK that keeps an enum column to its values, if `column` is one.
    fn enum_check(
        &self,
        cx: &Context,
        table: &str,
        column: &str,
        ty: &ColumnType,
    ) -> Option<String> {
        let ColumnType::Enum { name } = ty else {
            return None;
        };
        let definition: &Enum = cx.schema.enums.get(name)?;
        Some(format!(
            "CONSTRAINT {} CHECK ({})",
            self.ident(&naming::enum_check(table, column)),
            self.enum_check_expr(column, definition.value_names())
        ))
    }

    /// The column definitions and constraints of `table`, inline.
    fn table_body(&self, cx: &Context, table: &Table) -> Result<Vec<String>, RenderError> {
        let identity_key = match &table.primary_key.columns[..] {
            [only] => table
                .column(only)
                .filter(|c| c.identity.is_some())
                .map(|c| c.name.clone()),
            _ => None,
        };
        let mut lines = Vec::new();
        for column in &table.columns {
            if column.identity.is_some() && identity_key.as_deref() != Some(&column.name) {
                return Err(RenderError::Unsupported {
                    dialect: self.name(),
                    what: "an identity column that is not the whole primary key".into(),
                    table: Some(table.name.clone()),
                    column: Some(column.name.clone()),
                });
            }
            let line = if identity_key.as_deref() == Some(&column.name) {
                if column.identity == Some(Identity::Always) {
                    return Err(RenderError::Unsupported {
                        dialect: self.name(),
                        what: "GENERATED ALWAYS identity (AUTOINCREMENT is BY DEFAULT)".into(),
                        table: Some(table.name.clone()),
                        column: Some(column.name.clone()),
                    });
                }
                format!(
                    "{} INTEGER NOT NULL CONSTRAINT {} PRIMARY KEY AUTOINCREMENT",
                    self.ident(&column.name),
                    self.ident(&table.primary_key.name)
                )
            } else {
                let mut plain = column.clone();
                plain.identity = None;
                self.column_def(cx, &plain, true)?
            };
            lines.push(line);
        }
        if identity_key.is_none() {
            lines.push(self.primary_key_line(table));
        }
        let (uniques, checks) = self.unique_and_check_lines(table);
        lines.extend(uniques);
        lines.extend(checks);
        for column in &table.columns {
            if let Some(check) = self.enum_check(cx, &table.name, &column.name, &column.ty) {
                lines.push(check);
            }
        }
        for fk in &table.foreign_keys {
            lines.push(self.foreign_key(fk));
        }
        Ok(lines)
    }

    /// `CREATE TABLE <name>` for `table`'s definition.
    fn create_as(&self, cx: &Context, name: &str, table: &Table) -> Result<String, RenderError> {
        Ok(format!(
            "CREATE TABLE {} (\n    {}\n);",
            self.ident(name),
            self.table_body(cx, table)?.join(",\n    ")
        ))
    }
}

/// Whether `table` numbers its rows with AUTOINCREMENT (an identity primary key).
fn autoincrement(table: &Table) -> bool {
    matches!(&table.primary_key.columns[..], [only]
        if table.column(only).is_some_and(|c| c.identity.is_some()))
}

impl Render for Sqlite {
    fn index_nulls(
        &self,
        table: &str,
        index: &Index,
        key: &IndexKey,
    ) -> Result<String, RenderError> {
        match key.nulls {
            None => Ok(String::new()),
            Some(_) => Err(RenderError::Unsupported {
                dialect: self.name(),
                what: format!("NULLS FIRST/LAST in an index key (index `{}`)", index.name),
                table: Some(table.to_owned()),
                column: None,
            }),
        }
    }

    fn create_enum(&self, _: &Context, _: &Enum) -> Result<Vec<String>, RenderError> {
        Ok(Vec::new())
    }

    fn drop_enum(&self, _: &Context, _: &Enum) -> Result<Vec<String>, RenderError> {
        Ok(Vec::new())
    }

    fn table_comment(
        &self,
        _: &Context,
        _: &str,
        _: Option<&str>,
    ) -> Result<Vec<String>, RenderError> {
        Ok(Vec::new())
    }

    fn column_comment(
        &self,
        _: &Context,
        _: &str,
        _: &str,
        _: Option<&str>,
    ) -> Result<Vec<String>, RenderError> {
        Ok(Vec::new())
    }

    fn create_table(&self, cx: &Context, table: &Table) -> Result<Vec<String>, RenderError> {
        let mut statements = vec![self.create_as(cx, &table.name, table)?];
        for index in &table.indexes {
            statements.push(self.index_definition(cx, &table.name, index)?);
        }
        Ok(statements)
    }

    fn drop_table(&self, cx: &Context, table: &Table) -> Result<Vec<String>, RenderError> {
        let mut statements = if self.referenced(cx, &table.name) {
            self.guard()
        } else {
            Vec::new()
        };
        statements.push(format!("DROP TABLE {};", self.ident(&table.name)));
        Ok(statements)
    }

    fn rebuild_table(&self, cx: &Context, rebuild: &Rebuild) -> Result<Vec<String>, RenderError> {
        let table = &rebuild.to.name;
        let source = &rebuild.from.name;
        let temporary = naming::fit(&format!("{REBUILD_PREFIX}{table}"));
        let mut targets = Vec::new();
        let mut sources = Vec::new();
        for column in &rebuild.to.columns {
            let fill = rebuild
                .fill
                .iter()
                .find(|(c, _)| *c == column.name)
                .map(|(_, value)| self.typed_default(cx, value, Some(&column.ty)))
                .transpose()?;
            let source = match rebuild.columns.iter().find(|(_, new)| *new == column.name) {
                Some((old, _)) => {
                    let mut value = self.ident(old);
                    if let Some((_, renames)) =
                        rebuild.values.iter().find(|(c, _)| *c == column.name)
                    {
                        if !renames.is_empty() {
                            let arms: Vec<String> = renames
                                .iter()
                                .map(|(a, b)| {
                                    format!("WHEN {} THEN {}", self.string(a), self.string(b))
                                })
                                .collect();
                            value = format!("CASE {value} {} ELSE {value} END", arms.join(" "));
                        }
                    }
                    match fill {
                        Some(fill) => format!("COALESCE({value}, {fill})"),
                        None => value,
                    }
                }
                // A new column: its default fills it, unless a value is given.
                None => match fill {
                    Some(fill) => fill,
                    None => continue,
                },
            };
            targets.push(self.ident(&column.name));
            sources.push(source);
        }
        let mut statements = if self.referenced(cx, table) || self.referenced(cx, source) {
            self.guard()
        } else {
            Vec::new()
        };
        statements.extend(self.trigger_guard(source));
        // A rebuild that renames the table renames it first, in place: SQLite then points
        // the foreign keys of other tables, and views and triggers, at the new name.
        let source = if source != table {
            statements.push(self.alter_table(source, &format!("RENAME TO {}", self.ident(table))));
            table
        } else {
            source
        };
        statements.push(self.create_as(cx, &temporary, rebuild.to)?);
        if !targets.is_empty() {
            statements.push(format!(
                "INSERT INTO {} ({}) SELECT {} FROM {};",
                self.ident(&temporary),
                targets.join(", "),
                sources.join(", "),
                self.ident(source)
            ));
        }
        // AUTOINCREMENT numbers continue after the highest ever given, not the highest kept.
        if autoincrement(rebuild.from) && autoincrement(rebuild.to) {
            let (old, new) = (self.string(source), self.string(&temporary));
            statements.push(format!(
                "INSERT INTO sqlite_sequence (name, seq) SELECT {new}, 0 WHERE NOT EXISTS \
                 (SELECT 1 FROM sqlite_sequence WHERE name = {new});"
            ));
            statements.push(format!(
                "UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT seq FROM \
                 sqlite_sequence WHERE name = {old}), 0)) WHERE name = {new};"
            ));
        }
        statements.push(format!("DROP TABLE {};", self.ident(source)));
        statements.push("PRAGMA legacy_alter_table = ON;".into());
        statements.push(self.alter_table(&temporary, &format!("RENAME TO {}", self.ident(table))));
        statements.push("PRAGMA legacy_alter_table = OFF;".into());
        for index in &rebuild.to.indexes {
            statements.push(self.index_definition(cx, table, index)?);
        }
        Ok(statements)
    }
}
