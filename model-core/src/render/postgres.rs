//! PostgreSQL: what it writes differently from standard SQL.

use crate::operation::{EnumDependent, EnumPosition, EnumUsage, Operation};

use super::{Context, Render};
use crate::dialect::{type_name, Postgres, RenderError, SqlDialect};
use crate::schema::{ColumnDefault, ColumnType, Enum, Identity, Index, IndexKey, Value};

/// Pages per committed batch when NULLs are filled or a column is copied online (about 1,000
/// to 20,000 rows).
const BATCH_PAGES: usize = 200;

/// The trigger function and the trigger that keep columns `a` and `b` of `table` equal (the
/// same names whichever is the copy).
fn sync_names(table: &str, a: &str, b: &str) -> (String, String) {
    let (first, second) = if a <= b { (a, b) } else { (b, a) };
    let base = format!("{table}_{first}_{second}");
    (
        crate::naming::fit(&format!("migrate_gen_sync_{base}")),
        crate::naming::fit(&format!("sync_{base}")),
    )
}

impl Postgres {
    /// `DO $<label>$ ...`: `update` (an `UPDATE ... SET ...` without `WHERE`) run on the rows
    /// of `table` matching `filter`, page range by page range, each committed on its own, up to
    /// the table's size at each step (so that rows added meanwhile are reached too).
    fn by_pages(&self, label: &str, table: &str, update: &str, filter: &str) -> String {
        format!(
            "DO ${label}$\nDECLARE\n  first bigint := 0;\nBEGIN\n  \
             WHILE first <= pg_relation_size({rel}::regclass) / current_setting('block_size')::bigint LOOP\n    \
             {update} WHERE ctid >= format('(%s,0)', first)::tid\n      \
             AND ctid < format('(%s,0)', first + {BATCH_PAGES})::tid AND {filter};\n    \
             first := first + {BATCH_PAGES};\n    COMMIT;\n  END LOOP;\nEND\n${label}$;",
            rel = self.string(&self.ident(table))
        )
    }

    /// `ADD COLUMN` (nullable, no default), the trigger that keeps it equal to `from`, and the
    /// batched copy of the existing rows (by ranges of pages, each committed on its own).
    ///
    /// An insert that sets the new column (the version of the application that knows it)
    /// sets `from` too; one that leaves it NULL (the version that does not know it) copies
    /// `from` into it. An update copies whichever of the two it changed.
    fn add_column_copy(
        &self,
        cx: &Context,
        table: &str,
        column: &crate::schema::Column,
        from: &str,
    ) -> Result<Vec<String>, RenderError> {
        let added = crate::schema::Column {
            nullable: true,
            default: None,
            identity: None,
            ..column.clone()
        };
        let (function, trigger) = sync_names(table, &column.name, from);
        let (t, a, b) = (
            self.ident(table),
            self.ident(&column.name),
            self.ident(from),
        );
        let f = self.ident(&function);
        Ok(vec![
            self.alter_table(table, &format!("ADD COLUMN {}", self.column_def(cx, &added, false)?)),
            format!(
                "CREATE OR REPLACE FUNCTION {f}() RETURNS trigger LANGUAGE plpgsql AS $sync$\n\
                 BEGIN\n  IF TG_OP = 'INSERT' THEN\n    \
                 IF NEW.{a} IS NULL THEN NEW.{a} := NEW.{b};\n    \
                 ELSE NEW.{b} := NEW.{a};\n    END IF;\n  \
                 ELSIF NEW.{a} IS DISTINCT FROM OLD.{a} THEN NEW.{b} := NEW.{a};\n  \
                 ELSIF NEW.{b} IS DISTINCT FROM OLD.{b} THEN NEW.{a} := NEW.{b};\n  END IF;\n  \
                 RETURN NEW;\nEND\n$sync$;"
            ),
            format!(
                "CREATE TRIGGER {} BEFORE INSERT OR UPDATE ON {t} FOR EACH ROW EXECUTE FUNCTION {f}();",
                self.ident(&trigger)
            ),
            self.by_pages("copy", table, &format!("UPDATE {t} SET {a} = {b}"), &format!("{a} IS DISTINCT FROM {b}")),
        ])
    }
}

impl Postgres {
    /// A user-defined type name (enum types).
    fn type_ident(&self, name: &str) -> String {
        type_name(self, name)
    }

    /// An enum's values, as string literals.
    fn enum_values(&self, definition: &Enum) -> String {
        definition
            .values
            .iter()
            .map(|v| self.string(&v.name))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `COMMENT ON <target> IS ...;`
    fn comment(&self, target: String, text: Option<&str>) -> String {
        let value = match text {
            Some(t) => self.string(t),
            None => "NULL".to_owned(),
        };
        format!("COMMENT ON {target} IS {value};")
    }
}

impl Render for Postgres {
    fn online(&self, cx: &Context, op: &Operation) -> Result<Vec<String>, RenderError> {
        use Operation::*;
        if let AddColumnCopy {
            table,
            column,
            from,
        } = op
        {
            return self.add_column_copy(cx, table, column, from);
        }
        if let DropColumnCopy {
            table,
            column,
            from,
        } = op
        {
            let (function, trigger) = sync_names(table, &column.name, from);
            return Ok(vec![
                format!(
                    "DROP TRIGGER IF EXISTS {} ON {};",
                    self.ident(&trigger),
                    self.ident(table)
                ),
                format!("DROP FUNCTION IF EXISTS {}();", self.ident(&function)),
                self.alter_table(table, &format!("DROP COLUMN {}", self.ident(&column.name))),
            ]);
        }
        Ok(vec![match op {
            CreateIndexConcurrently { table, index } => self
                .index_definition(cx, table, index)?
                .replacen("INDEX ", "INDEX CONCURRENTLY ", 1),
            DropIndexConcurrently { index, .. } => format!(
                "DROP INDEX CONCURRENTLY IF EXISTS {};",
                self.ident(&index.name)
            ),
            AddUniqueUsingIndex { table, unique } => self.alter_table(
                table,
                &format!(
                    "ADD CONSTRAINT {0} UNIQUE USING INDEX {0}",
                    self.ident(&unique.name)
                ),
            ),
            AddPrimaryKeyUsingIndex { table, key } => self.alter_table(
                table,
                &format!(
                    "ADD CONSTRAINT {0} PRIMARY KEY USING INDEX {0}",
                    self.ident(&key.name)
                ),
            ),
            AddForeignKeyNotValid { table, foreign_key } => self.alter_table(
                table,
                &format!("ADD {} NOT VALID", self.foreign_key(foreign_key)),
            ),
            AddCheckNotValid { table, check } => self.alter_table(
                table,
                &format!(
                    "ADD CONSTRAINT {} CHECK ({}) NOT VALID",
                    self.ident(&check.name),
                    check.expr
                ),
            ),
            DropCheckNotValid { table, check } => self.alter_table(
                table,
                &format!("DROP CONSTRAINT IF EXISTS {}", self.ident(&check.name)),
            ),
            ValidateConstraint { table, name } => {
                self.alter_table(table, &format!("VALIDATE CONSTRAINT {}", self.ident(name)))
            }
            // One pass over the table by ranges of pages, each committed on its own (a DO block
            // may commit when it runs outside a transaction), so that no row stays locked for
            // long; rows whose value is NULL stay NULL (the validation after it says so).
            FillNulls {
                table,
                column,
                value,
            } => {
                let (t, c) = (self.ident(table), self.ident(column));
                let value = self.typed_default(cx, value, cx.column_type(table, column))?;
                self.by_pages(
                    "fill",
                    table,
                    &format!("UPDATE {t} SET {c} = {value}"),
                    &format!("{c} IS NULL"),
                )
            }
            other => {
                return Err(RenderError::Unsupported {
                    dialect: self.name(),
                    what: other.summary(),
                    table: None,
                    column: None,
                })
            }
        }])
    }

    /// Array literals are cast to the column's type (`ARRAY['a']` alone is `text[]`), and an
    /// empty array is `'{}'`.
    fn typed_default(
        &self,
        cx: &Context,
        default: &ColumnDefault,
        ty: Option<&ColumnType>,
    ) -> Result<String, RenderError> {
        match (default, ty) {
            (ColumnDefault::Value(Value::Array(items)), _) if items.is_empty() => Ok("'{}'".into()),
            (ColumnDefault::Value(Value::Array(_)), Some(ty)) => Ok(format!(
                "{}::{}",
                self.default_value(default),
                self.column_type(ty, cx.schema)?
            )),
            _ => Ok(self.default_value(default)),
        }
    }

    fn index_method(&self, _table: &str, index: &Index) -> Result<String, RenderError> {
        Ok(match index.method {
            Some(method) if method != crate::schema::IndexMethod::Btree => {
                format!(" USING {}", method.as_str())
            }
            _ => String::new(),
        })
    }

    fn index_opclass(
        &self,
        _table: &str,
        _index: &Index,
        key: &IndexKey,
    ) -> Result<String, RenderError> {
        Ok(match &key.opclass {
            Some(opclass) => format!(" {opclass}"),
            None => String::new(),
        })
    }

    /// ` USING ...`, or nothing where PostgreSQL's assignment cast applies (integer widths,
    /// text lengths): that cast fails on a value that does not fit instead of cutting it, as
    /// an explicit cast to `VARCHAR(n)` would.
    fn type_conversion(
        &self,
        cx: &Context,
        _table: &str,
        column: &str,
        from: &ColumnType,
        to: &ColumnType,
    ) -> Result<String, RenderError> {
        use ColumnType::*;
        let c = self.ident(column);
        let ty = |t: &ColumnType| self.column_type(t, cx.schema);
        let textual = |t: &ColumnType| matches!(t, Text | Varchar { .. });
        let integral = |t: &ColumnType| matches!(t, SmallInt | Integer | BigInt);
        let decimal = |t: &ColumnType| matches!(t, Decimal { .. });
        let numeric = |t: &ColumnType| {
            matches!(
                t,
                SmallInt | Integer | BigInt | Real | Double | Decimal { .. }
            )
        };
        if (textual(from) && textual(to))
            || (integral(from) && integral(to))
            || (decimal(from) && decimal(to))
            || (matches!(from, Real) && matches!(to, Double))
        {
            return Ok(String::new());
        }
        Ok(" USING ".to_owned()
            + &match (from, to) {
                (Timestamp, TimestampTz) | (TimestampTz, Timestamp) => {
                    format!("{c} AT TIME ZONE 'UTC'")
                }
                (Enum { .. }, _) | (_, Enum { .. }) => format!("{c}::text::{}", ty(to)?),
                // Pairs PostgreSQL casts directly.
                (_, Text | Varchar { .. }) | (Text | Varchar { .. }, _) => {
                    format!("{c}::{}", ty(to)?)
                }
                (a, b) if numeric(a) && numeric(b) => format!("{c}::{}", ty(to)?),
                // PostgreSQL casts booleans to and from `integer` only.
                (Boolean, Integer) | (Integer, Boolean) => format!("{c}::{}", ty(to)?),
                (Boolean, SmallInt | BigInt) => format!("{c}::integer::{}", ty(to)?),
                (SmallInt | BigInt, Boolean) => format!("{c}::integer::{}", ty(to)?),
                (Date | Timestamp | TimestampTz, Date | Timestamp | TimestampTz)
                | (Timestamp | TimestampTz, Time) => format!("{c}::{}", ty(to)?),
                // No direct cast: through text, which works for values whose text the new
                // type reads, and otherwise fails inside the transaction.
                _ => format!("{c}::text::{}", ty(to)?),
            })
    }

    /// `ALTER COLUMN <column> TYPE <type>` and the conversion.
    fn set_column_type(
        &self,
        cx: &Context,
        table: &str,
        column: &str,
        from: &ColumnType,
        to: &ColumnType,
    ) -> Result<String, RenderError> {
        Ok(format!(
            "ALTER COLUMN {} TYPE {}{}",
            self.ident(column),
            self.column_type(to, cx.schema)?,
            self.type_conversion(cx, table, column, from, to)?
        ))
    }

    fn create_extension(&self, _cx: &Context, name: &str) -> Result<Vec<String>, RenderError> {
        Ok(vec![format!(
            "CREATE EXTENSION IF NOT EXISTS {};",
            self.ident(name)
        )])
    }

    fn create_enum(&self, _cx: &Context, definition: &Enum) -> Result<Vec<String>, RenderError> {
        Ok(vec![format!(
            "CREATE TYPE {} AS ENUM ({});",
            self.type_ident(&definition.name),
            self.enum_values(definition)
        )])
    }

    fn drop_enum(&self, _cx: &Context, definition: &Enum) -> Result<Vec<String>, RenderError> {
        Ok(vec![format!(
            "DROP TYPE {};",
            self.type_ident(&definition.name)
        )])
    }

    fn add_enum_value(
        &self,
        _cx: &Context,
        after: &Enum,
        value: &str,
        position: &EnumPosition,
    ) -> Result<Vec<String>, RenderError> {
        let place = match position {
            EnumPosition::Before(v) => format!(" BEFORE {}", self.string(v)),
            EnumPosition::After(v) => format!(" AFTER {}", self.string(v)),
            EnumPosition::End => String::new(),
        };
        Ok(vec![format!(
            "ALTER TYPE {} ADD VALUE {}{place};",
            self.type_ident(&after.name),
            self.string(value)
        )])
    }

    fn rename_enum_value(
        &self,
        _cx: &Context,
        name: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<String>, RenderError> {
        Ok(vec![format!(
            "ALTER TYPE {} RENAME VALUE {} TO {};",
            self.type_ident(name),
            self.string(from),
            self.string(to)
        )])
    }

    /// The old type renamed away, the new one created, every column converted through text
    /// (renamed values mapped on the way), the old type dropped. Checks and indexes on those
    /// columns are dropped first and re-created last.
    fn recreate_enum(
        &self,
        cx: &Context,
        _from: &Enum,
        to: &Enum,
        renamed: &[(String, String)],
        usages: &[EnumUsage],
        dependents: &[EnumDependent],
    ) -> Result<Vec<String>, RenderError> {
        let name = self.type_ident(&to.name);
        let old = self.type_ident(&format!("{}__old", to.name));
        let mut out: Vec<String> = dependents
            .iter()
            .map(|d| match d {
                EnumDependent::Check { table, check } => self.alter_table(
                    table,
                    &format!("DROP CONSTRAINT {}", self.ident(&check.name)),
                ),
                EnumDependent::Index { index, .. } => {
                    format!("DROP INDEX {};", self.ident(&index.name))
                }
            })
            .collect();
        out.extend([
            format!("ALTER TYPE {name} RENAME TO {old};"),
            format!("CREATE TYPE {name} AS ENUM ({});", self.enum_values(to)),
        ]);
        for usage in usages {
            let (t, c) = (self.ident(&usage.table), self.ident(&usage.column));
            if usage.default.is_some() {
                out.push(format!("ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT;"));
            }
            let using = if usage.to_text {
                format!("{c}::{}", if usage.array { "text[]" } else { "text" })
            } else if usage.array {
                format!("{c}::text[]::{name}[]")
            } else if renamed.is_empty() {
                format!("{c}::text::{name}")
            } else {
                let arms: Vec<String> = renamed
                    .iter()
                    .map(|(a, b)| format!("WHEN {} THEN {}", self.string(a), self.string(b)))
                    .collect();
                format!(
                    "(CASE {c}::text {} ELSE {c}::text END)::{name}",
                    arms.join(" ")
                )
            };
            let ty = match (usage.to_text, usage.array) {
                (true, true) => "TEXT[]".to_owned(),
                (true, false) => "TEXT".to_owned(),
                (false, true) => format!("{name}[]"),
                (false, false) => name.clone(),
            };
            out.push(format!(
                "ALTER TABLE {t} ALTER COLUMN {c} TYPE {ty} USING {using};"
            ));
            if let Some(default) = &usage.default_after {
                let value = match default {
                    ColumnDefault::Value(Value::Array(items)) if items.is_empty() => {
                        "'{}'".to_owned()
                    }
                    ColumnDefault::Value(Value::Array(_)) => {
                        format!("{}::{ty}", self.default_value(default))
                    }
                    _ => self.default_value(default),
                };
                out.push(format!(
                    "ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {value};"
                ));
            }
        }
        for d in dependents {
            out.push(match d {
                EnumDependent::Check { table, check } => self.alter_table(
                    table,
                    &format!(
                        "ADD CONSTRAINT {} CHECK ({})",
                        self.ident(&check.name),
                        check.expr
                    ),
                ),
                EnumDependent::Index { table, index } => self.index_definition(cx, table, index)?,
            });
        }
        out.push(format!("DROP TYPE {old};"));
        Ok(out)
    }

    /// `ADD GENERATED ... AS IDENTITY` (numbering continues after existing rows, by
    /// `setval`), `SET GENERATED ...` or `DROP IDENTITY`.
    fn alter_identity(
        &self,
        _cx: &Context,
        table: &str,
        column: &str,
        from: Option<Identity>,
        to: Option<Identity>,
    ) -> Result<Vec<String>, RenderError> {
        let c = self.ident(column);
        let kind = |i: Identity| match i {
            Identity::ByDefault => "BY DEFAULT",
            Identity::Always => "ALWAYS",
        };
        Ok(match (from, to) {
            (_, None) => vec![self.alter_table(table, &format!("ALTER COLUMN {c} DROP IDENTITY"))],
            (None, Some(new)) => vec![
                self.alter_table(
                    table,
                    &format!("ALTER COLUMN {c} ADD GENERATED {} AS IDENTITY", kind(new)),
                ),
                // Existing rows keep their values; numbering continues after them.
                format!(
                    "SELECT setval(pg_get_serial_sequence({}, {}), COALESCE(MAX({c}), 0) + 1, false) FROM {};",
                    self.string(&self.ident(table)),
                    self.string(column),
                    self.ident(table)
                ),
            ],
            (Some(_), Some(new)) => vec![self.alter_table(
                table,
                &format!("ALTER COLUMN {c} SET GENERATED {}", kind(new)),
            )],
        })
    }

    /// `ALTER INDEX ... RENAME TO`.
    fn rename_index(
        &self,
        _cx: &Context,
        _table: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<String>, RenderError> {
        Ok(vec![format!(
            "ALTER INDEX {} RENAME TO {};",
            self.ident(from),
            self.ident(to)
        )])
    }

    /// `ALTER TABLE ... RENAME CONSTRAINT`.
    fn rename_constraint(
        &self,
        _cx: &Context,
        table: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<String>, RenderError> {
        Ok(vec![self.alter_table(
            table,
            &format!(
                "RENAME CONSTRAINT {} TO {}",
                self.ident(from),
                self.ident(to)
            ),
        )])
    }

    /// `COMMENT ON TABLE`.
    fn table_comment(
        &self,
        _cx: &Context,
        table: &str,
        comment: Option<&str>,
    ) -> Result<Vec<String>, RenderError> {
        Ok(vec![
            self.comment(format!("TABLE {}", self.ident(table)), comment)
        ])
    }

    /// `COMMENT ON COLUMN`.
    fn column_comment(
        &self,
        _cx: &Context,
        table: &str,
        column: &str,
        comment: Option<&str>,
    ) -> Result<Vec<String>, RenderError> {
        Ok(vec![self.comment(
            format!("COLUMN {}.{}", self.ident(table), self.ident(column)),
            comment,
        )])
    }
}
