//! The diff: (old schema, new schema) → what changed, grouped per table. Pure, and free of any
//! dialect: it says nothing about statement order or transactions; a [planner](crate::plan)
//! decides those for its database.
//!
//! [`Changes`] lists the extensions to create, the enum types created, altered and dropped, and
//! the tables created, dropped and kept (a kept table may be renamed). For a kept table it lists
//! its own changes as [`Operation`]s: renames, then its primary key, index, unique, check and
//! foreign-key changes, then its column changes, then its comments, each speaking of the objects
//! as they are before (drops) or after (adds) the change.
//!
//! The diff also applies the safety policy, which holds for every database: tables, columns and
//! enum values that would be lost, and narrowed types, are refused without
//! [`DiffOptions::allow_destructive`], and a NOT NULL column added to an existing table needs a
//! value for the rows it already has.
//!
//! Comparisons ignore hints (`renamed_from`, `backfill_sql`), compare types by a normalized
//! spelling (so `sql_type = "character varying(20)"` equals `max_length = 20`), defaults by
//! their SQL (so an equivalent `default` and `default_sql` are equal), and checks by their
//! normalized expression. What is normalized how is the dialect's to say: a `sql_type`, a
//! CHECK or a default is written in its database's SQL, so the diff takes an
//! [`Equivalence`] ([`Dialect::equivalence`](crate::dialect::Dialect::equivalence)) and
//! knows no spelling itself.

use std::collections::{BTreeMap, BTreeSet};

use crate::operation::Operation;
use crate::registry::RegistryError;
use crate::schema::{Column, ColumnDefault, ColumnType, Enum, ForeignKey, Schema, Table};

/// What the diff may do.
#[derive(Debug, Clone, Copy, Default)]
pub struct DiffOptions {
    /// Allow dropping tables, columns and enum values, and narrowing types.
    pub allow_destructive: bool,
    /// Compare expressions (checks, index expressions and predicates, defaults) as parsed
    /// trees, ignoring the casts, redundant parentheses and operator spellings a database uses
    /// when it prints them back: for comparing a snapshot with an introspected database.
    pub loose_expressions: bool,
}

/// Why no migration can be planned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DiffError {
    /// Tables of the old schema are gone from the new one.
    #[error(transparent)]
    MissingTables(#[from] RegistryError),
    /// Destructive changes without permission.
    #[error(
        "refusing to lose data without --allow-destructive: {}; pass --allow-destructive if \
         this is intended{}",
        .changes.join("; "),
        if .changes.iter().any(|c| c.starts_with("drop column")) {
            ", or declare a rename with #[column(renamed_from = \"...\")]"
        } else {
            ""
        }
    )]
    Destructive {
        /// What would be lost, one entry per operation.
        changes: Vec<String>,
    },
    /// A NOT NULL column added to an existing table has nothing to fill existing rows with.
    #[error(
        "column `{table}.{column}` is NOT NULL and `{table}` already exists, so its rows need a \
         value: give the field a `default = ...`, make it an `Option<...>`, or declare \
         `#[column(backfill_sql = \"<SQL value>\")]` to fill existing rows once"
    )]
    NotNullWithoutDefault {
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
}

/// How spellings are compared: supplied by the dialect whose SQL the schemas are written in.
pub trait Equivalence: Sync {
    /// A canonical spelling of a column type: two types are the same when these are equal.
    fn canonical_type(&self, ty: &ColumnType) -> String;
    /// Whether converting a column from `from` to `to` can lose values or fail on them.
    fn is_narrowing(&self, from: &ColumnType, to: &ColumnType) -> bool;
    /// An expression with case and white space folded (the models against a snapshot).
    fn normalize_expression(&self, sql: &str) -> String;
    /// Whether an expression as written and the database's printing of it are the same
    /// (the models against an introspected database).
    fn same_printed_expression(&self, written: &str, printed: &str) -> bool;
    /// A default's SQL, normalized: a typed `default` equals the same `default_sql`.
    fn canonical_default(&self, default: &ColumnDefault) -> String;
    /// A default's SQL as written (`default_sql`) or rendered (`default`), not normalized.
    fn default_sql(&self, default: &ColumnDefault) -> String;
    /// The schema as the database stores it, for comparing with what it reads back (SQLite
    /// has no enum types or comments: enum columns are text with a CHECK). By default the
    /// schema itself.
    fn stored(&self, schema: &Schema) -> Schema {
        schema.clone()
    }
}

/// What changed between two schemas.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Changes<'a> {
    /// Extensions the new schema needs that the old one did not (never dropped).
    pub extensions: Vec<String>,
    /// Enum types created, altered or dropped: created and altered ones in the new schema's
    /// order, then dropped ones in the old schema's.
    pub enums: Vec<EnumChange>,
    /// Tables only in the new schema, by name.
    pub created: Vec<&'a Table>,
    /// Tables only in the old schema, by name.
    pub dropped: Vec<&'a Table>,
    /// Tables in both (under the same name or a declared rename), by new name, with what
    /// changed in each; tables that did not change are listed too, with no changes.
    pub kept: Vec<KeptTable<'a>>,
    /// What the changes lose, one entry per change (allowed with
    /// [`DiffOptions::allow_destructive`]).
    pub destructive: Vec<String>,
}

impl Changes<'_> {
    /// True when the schemas are equal.
    pub fn is_empty(&self) -> bool {
        self.extensions.is_empty()
            && self.enums.is_empty()
            && self.created.is_empty()
            && self.dropped.is_empty()
            && self.kept.iter().all(|t| t.changes.is_empty())
    }
}

/// A table in both schemas.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptTable<'a> {
    /// The table before.
    pub old: &'a Table,
    /// The table after (`new.name` differs from `old.name` when it is renamed).
    pub new: &'a Table,
    /// Its columns in both, old and new (same name, or a declared rename), in the new order.
    pub columns: Vec<(&'a Column, &'a Column)>,
    /// What changed, in the order described in the [module docs](self): table and column
    /// renames, keys, indexes, uniques, checks, foreign keys, columns, comments.
    pub changes: Vec<Operation>,
}

impl KeptTable<'_> {
    /// The column of the new table that an old column became, if it is kept.
    pub fn new_column(&self, old_column: &str) -> Option<&Column> {
        self.columns
            .iter()
            .find(|(o, _)| o.name == old_column)
            .map(|(_, n)| *n)
    }

    /// The column of the old table that a new column was, if it is not new.
    pub fn old_column(&self, new_column: &str) -> Option<&Column> {
        self.columns
            .iter()
            .find(|(_, n)| n.name == new_column)
            .map(|(o, _)| *o)
    }
}

/// How an enum type changed.
#[derive(Debug, Clone, PartialEq)]
pub enum EnumChange {
    /// A new type.
    Created(Enum),
    /// A type whose values changed.
    Altered {
        /// The type before.
        from: Enum,
        /// The type after, with its rename hints.
        to: Enum,
        /// Values renamed (old spelling, new spelling), as declared.
        renamed: Vec<(String, String)>,
        /// Values gone (spelled as after the renames).
        removed: Vec<String>,
        /// The values that stay are in another order.
        reordered: bool,
    },
    /// A type no longer declared.
    Dropped(Enum),
}

/// Compares `old` with `new`, spellings compared by `rules`: what changed, grouped per table.
pub fn diff<'a>(
    old: &'a Schema,
    new: &'a Schema,
    rules: &dyn Equivalence,
    options: DiffOptions,
) -> Result<Changes<'a>, DiffError> {
    let mut differ = Differ::new(old, new, rules);
    differ.loose = options.loose_expressions;
    differ.run(options)
}

struct Differ<'a, 'r> {
    old: &'a Schema,
    new: &'a Schema,
    rules: &'r dyn Equivalence,
    loose: bool,
    /// New table name → old table name, for tables in both (same name or declared rename).
    table_pairs: BTreeMap<&'a str, &'a str>,
    /// The same pairs the other way: old table name → new table name.
    renamed_to: BTreeMap<&'a str, &'a str>,
}

impl<'a, 'r> Differ<'a, 'r> {
    fn new(old: &'a Schema, new: &'a Schema, rules: &'r dyn Equivalence) -> Self {
        let mut table_pairs = BTreeMap::new();
        for (name, table) in &new.tables {
            if old.tables.contains_key(name) {
                table_pairs.insert(name.as_str(), name.as_str());
            } else if let Some(from) = table.renamed_from.as_deref() {
                // A stale hint (the old name is gone and the new one already exists) is
                // ignored by the branch above; a rename needs the old name free in `new`.
                if old.tables.contains_key(from) && !new.tables.contains_key(from) {
                    table_pairs.insert(name.as_str(), from);
                }
            }
        }
        let renamed_to = table_pairs.iter().map(|(new, old)| (*old, *new)).collect();
        Self {
            old,
            new,
            rules,
            loose: false,
            table_pairs,
            renamed_to,
        }
    }

    fn same_expression(&self, a: &str, b: &str) -> bool {
        if self.loose {
            self.rules.same_printed_expression(a, b)
        } else {
            self.rules.normalize_expression(a) == self.rules.normalize_expression(b)
        }
    }

    fn same_default(&self, a: Option<&ColumnDefault>, b: Option<&ColumnDefault>) -> bool {
        match (a, b) {
            (None, None) => true,
            (Some(a_default), Some(b_default)) => {
                let (a, b) = (
                    self.rules.canonical_default(a_default),
                    self.rules.canonical_default(b_default),
                );
                // Numbers compare as numbers (`1e-5` is `0.00001` read back).
                let number = |t: &str| t.trim_matches('\'').parse::<f64>().ok();
                match (self.loose, number(&a), number(&b)) {
                    (true, Some(x), Some(y)) => x == y,
                    // The tree is built from the SQL as written: folding its white space
                    // first could join `- -1` into a comment.
                    (true, _, _) => self.rules.same_printed_expression(
                        &self.rules.default_sql(a_default),
                        &self.rules.default_sql(b_default),
                    ),
                    _ => self.same_expression(&a, &b),
                }
            }
            _ => false,
        }
    }

    fn old_name_of(&self, new_table: &str) -> Option<&'a str> {
        self.table_pairs.get(new_table).copied()
    }

    /// The new name of an old table, if it is kept.
    fn new_name_of(&self, old_table: &str) -> Option<&'a str> {
        self.renamed_to.get(old_table).copied()
    }

    fn run(self, options: DiffOptions) -> Result<Changes<'a>, DiffError> {
        let mut destructive = Vec::new();

        // Tables that go away.
        let dropped: Vec<&'a Table> = self
            .old
            .tables
            .values()
            .filter(|t| self.new_name_of(&t.name).is_none())
            .collect();
        if !dropped.is_empty() && !options.allow_destructive {
            return Err(DiffError::MissingTables(RegistryError::MissingTables {
                tables: dropped.iter().map(|t| t.name.clone()).collect(),
            }));
        }
        let created: Vec<&'a Table> = self
            .new
            .tables
            .values()
            .filter(|t| self.old_name_of(&t.name).is_none())
            .collect();

        let extensions = self.extensions();
        let enums = self.enums(&mut destructive);

        let mut column_pairs: BTreeMap<&str, Vec<(&'a Column, &'a Column)>> = BTreeMap::new();
        let mut kept: Vec<KeptTable<'a>> = Vec::new();
        for (new_name, old_name) in &self.table_pairs {
            let old_table = &self.old.tables[*old_name];
            let new_table = &self.new.tables[*new_name];
            let pairs = pair_columns(old_table, new_table);
            let mut changes = Vec::new();
            if new_name != old_name {
                changes.push(Operation::RenameTable {
                    from: (*old_name).to_owned(),
                    to: (*new_name).to_owned(),
                });
            }
            for (old_col, new_col) in &pairs {
                if old_col.name != new_col.name {
                    changes.push(Operation::RenameColumn {
                        table: (*new_name).to_owned(),
                        from: old_col.name.clone(),
                        to: new_col.name.clone(),
                    });
                }
            }
            column_pairs.insert(new_name, pairs.clone());
            kept.push(KeptTable {
                old: old_table,
                new: new_table,
                columns: pairs,
                changes,
            });
        }

        // Tables whose primary key changes: foreign keys referencing them must be dropped
        // before and added after.
        // Columns whose type changes: a foreign key on them, or on a key they are part of,
        // cannot stay while the type changes.
        let mut retyped: ColumnSet = BTreeSet::new();
        for (new_name, pairs) in &column_pairs {
            for (o, n) in pairs {
                if self.rules.canonical_type(&o.ty) != self.rules.canonical_type(&n.ty) {
                    retyped.insert(((*new_name).to_owned(), n.name.clone()));
                }
            }
        }
        // Referenced keys (a table and a set of columns) that are dropped, rebuilt or
        // retyped: foreign keys referencing exactly those columns must be dropped before and
        // added after. Foreign keys to the table's other keys stay (re-adding one validates
        // every row of the referencing table). Each set is recorded with the column names
        // both before and after renames, as old and new foreign keys spell them.
        let mut rekeyed: KeySet = BTreeSet::new();
        for (new_name, old_name) in &self.table_pairs {
            let old_table = &self.old.tables[*old_name];
            let new_table = &self.new.tables[*new_name];
            if old_table == new_table {
                // Nothing of it changes, so none of its keys does.
                continue;
            }
            let pairs = &column_pairs[new_name];
            let is_retyped = |c: &String| retyped.contains(&((*new_name).to_owned(), c.clone()));
            let mut mark = |columns: &[String]| {
                let mut sorted = columns.to_vec();
                sorted.sort();
                rekeyed.insert(((*new_name).to_owned(), sorted));
            };
            let renamed_old_pk = rename_columns(&old_table.primary_key.columns, pairs);
            if renamed_old_pk != new_table.primary_key.columns
                || new_table.primary_key.columns.iter().any(is_retyped)
            {
                mark(&old_table.primary_key.columns);
                mark(&renamed_old_pk);
                mark(&new_table.primary_key.columns);
            }
            for unique in &new_table.uniques {
                if unique.columns.iter().any(is_retyped) {
                    mark(&unique.columns);
                }
            }
            // A unique constraint or unique index that is dropped or rebuilt may be what a
            // foreign key references.
            let unique_sets = |t: &Table| {
                let mut sets: Vec<(Vec<String>, Vec<String>)> = t
                    .uniques
                    .iter()
                    .map(|u| {
                        let shape = u.columns.iter().map(|c| format!("{c:?}")).collect();
                        (u.columns.clone(), shape)
                    })
                    .collect();
                sets.extend(t.indexes.iter().filter(|i| i.unique).map(|i| {
                    let columns: Vec<String> = i
                        .keys
                        .iter()
                        .map(|k| match &k.target {
                            crate::schema::IndexTarget::Column(c) => c.clone(),
                            crate::schema::IndexTarget::Expression(e) => format!("({e})"),
                        })
                        .collect();
                    let shape = i.keys.iter().map(|k| format!("{k:?}")).collect();
                    (columns, shape)
                }));
                sets
            };
            for (columns, _) in unique_sets(new_table) {
                if columns.iter().any(is_retyped) {
                    mark(&columns);
                }
            }
            let before = unique_sets(old_table);
            let after = unique_sets(new_table);
            for (columns, shape) in before {
                let renamed = rename_columns(&columns, pairs);
                let renamed_shape: Vec<String> = shape
                    .iter()
                    .map(|k| {
                        columns
                            .iter()
                            .zip(&renamed)
                            .fold(k.clone(), |k, (from, to)| {
                                k.replace(&format!("{from:?}"), &format!("{to:?}"))
                            })
                    })
                    .collect();
                if !after.iter().any(|(_, s)| *s == renamed_shape) {
                    mark(&columns);
                    mark(&renamed);
                }
            }
        }

        // Constraints and indexes of kept tables. A table that is the same in both schemas
        // has nothing to change but foreign keys to a key that changes elsewhere.
        let unchanged = |table: &KeptTable<'_>| {
            table.old == table.new
                && !table.new.foreign_keys.iter().any(|fk| {
                    let mut referenced = fk.ref_columns.clone();
                    referenced.sort();
                    rekeyed.contains(&(fk.ref_table.clone(), referenced))
                })
        };
        for table in &mut kept {
            if unchanged(table) {
                continue;
            }
            let pairs = &column_pairs[table.new.name.as_str()];
            self.table_objects(
                &table.new.name,
                table.old,
                table.new,
                pairs,
                (&rekeyed, &retyped),
                &mut table.changes,
            );
        }

        // Dropped tables lose their rows; listed in the order they are dropped in (referencing
        // tables first).
        let dropped_names: BTreeSet<&str> = dropped.iter().map(|t| t.name.as_str()).collect();
        let (order, _) = dependency_order(&dropped, &dropped_names);
        for table in order.iter().rev() {
            destructive.push(format!("drop table {} and all its rows", table.name));
        }

        // Column changes, then comments (new tables carry theirs).
        for table in &mut kept {
            if table.old == table.new {
                continue;
            }
            let pairs = &column_pairs[table.new.name.as_str()];
            self.columns(
                &table.new.name,
                table.old,
                table.new,
                pairs,
                &mut table.changes,
                &mut destructive,
            )?;
            let new_name = &table.new.name;
            if table.old.comment != table.new.comment {
                table.changes.push(Operation::SetTableComment {
                    table: new_name.clone(),
                    from: table.old.comment.clone(),
                    to: table.new.comment.clone(),
                });
            }
            for (old_col, new_col) in pairs {
                if old_col.comment != new_col.comment {
                    table.changes.push(Operation::SetColumnComment {
                        table: new_name.clone(),
                        column: new_col.name.clone(),
                        from: old_col.comment.clone(),
                        to: new_col.comment.clone(),
                    });
                }
            }
        }

        if !destructive.is_empty() && !options.allow_destructive {
            return Err(DiffError::Destructive {
                changes: destructive,
            });
        }
        Ok(Changes {
            extensions,
            enums,
            created,
            dropped,
            kept,
            destructive,
        })
    }

    fn extensions(&self) -> Vec<String> {
        let have: BTreeSet<&String> = self
            .old
            .tables
            .values()
            .flat_map(|t| &t.extensions)
            .collect();
        let want: BTreeSet<&String> = self
            .new
            .tables
            .values()
            .flat_map(|t| &t.extensions)
            .collect();
        want.difference(&have).map(|name| (*name).clone()).collect()
    }

    /// Enum types created, altered (with the values renamed, removed and reordered) and
    /// dropped. Removed values are destructive: rows holding them cannot be kept.
    fn enums(&self, destructive: &mut Vec<String>) -> Vec<EnumChange> {
        let mut out = Vec::new();
        for (name, new_enum) in &self.new.enums {
            let Some(old_enum) = self.old.enums.get(name) else {
                out.push(EnumChange::Created(new_enum.clone()));
                continue;
            };
            if old_enum.value_names().eq(new_enum.value_names()) {
                continue;
            }
            let new_values: Vec<&str> = new_enum.value_names().collect();
            let renamed = enum_renames(old_enum, new_enum);
            let renamed_old: Vec<String> = old_enum
                .value_names()
                .map(|v| {
                    renamed
                        .iter()
                        .find(|(from, _)| from == v)
                        .map(|(_, to)| to.clone())
                        .unwrap_or_else(|| v.to_owned())
                })
                .collect();
            let removed: Vec<String> = renamed_old
                .iter()
                .filter(|v| !new_values.contains(&v.as_str()))
                .cloned()
                .collect();
            let kept_in_order: Vec<&str> = new_values
                .iter()
                .copied()
                .filter(|v| renamed_old.iter().any(|o| o == v))
                .collect();
            let reordered = !kept_in_order
                .iter()
                .copied()
                .eq(renamed_old.iter().map(String::as_str));
            if !removed.is_empty() {
                destructive.push(format!(
                    "remove {} from enum {name} (rows holding {} make the migration fail)",
                    removed
                        .iter()
                        .map(|v| format!("{v:?}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if removed.len() == 1 { "it" } else { "them" }
                ));
            }
            out.push(EnumChange::Altered {
                from: old_enum.clone(),
                to: new_enum.clone(),
                renamed,
                removed,
                reordered,
            });
        }
        for (name, definition) in &self.old.enums {
            if !self.new.enums.contains_key(name) {
                out.push(EnumChange::Dropped(definition.clone()));
            }
        }
        out
    }

    /// Indexes, uniques, checks, foreign keys and the primary key of one kept table.
    fn table_objects(
        &self,
        table: &str,
        old: &Table,
        new: &Table,
        pairs: &[(&Column, &Column)],
        (rekeyed, retyped): (&KeySet, &ColumnSet),
        out: &mut Vec<Operation>,
    ) {
        let t = || table.to_owned();
        // Drops run before renames, on the old table name and the old definitions.
        let old_t = || old.name.clone();
        let orig = old;
        // Old objects, with column names and referenced tables as they are after renames,
        // for comparing with the new ones.
        let mut old = old.clone();
        for index in &mut old.indexes {
            for key in &mut index.keys {
                if let crate::schema::IndexTarget::Column(c) = &mut key.target {
                    *c = rename_column(c, pairs);
                }
            }
        }
        for unique in &mut old.uniques {
            unique.columns = rename_columns(&unique.columns, pairs);
        }
        for fk in &mut old.foreign_keys {
            fk.columns = rename_columns(&fk.columns, pairs);
            if let Some(new_ref) = self.new_name_of(&fk.ref_table) {
                fk.ref_table = new_ref.to_owned();
            }
        }
        old.primary_key.columns = rename_columns(&old.primary_key.columns, pairs);

        // Primary key.
        if old.primary_key.columns != new.primary_key.columns {
            out.push(Operation::DropPrimaryKey {
                table: old_t(),
                key: orig.primary_key.clone(),
            });
            out.push(Operation::AddPrimaryKey {
                table: t(),
                key: new.primary_key.clone(),
            });
        } else if old.primary_key.name != new.primary_key.name {
            out.push(Operation::RenameConstraint {
                table: t(),
                from: old.primary_key.name.clone(),
                to: new.primary_key.name.clone(),
            });
        }

        // Indexes.
        let same_key = |a: &crate::schema::IndexKey, b: &crate::schema::IndexKey| {
            use crate::schema::{IndexTarget, SortOrder};
            let target = match (&a.target, &b.target) {
                (IndexTarget::Column(x), IndexTarget::Column(y)) => x == y,
                (IndexTarget::Expression(x), IndexTarget::Expression(y)) => {
                    self.same_expression(x, y)
                }
                _ => false,
            };
            // NULLS LAST is the default for ASC, NULLS FIRST for DESC.
            let nulls = |k: &crate::schema::IndexKey| {
                k.nulls.unwrap_or(if k.order == Some(SortOrder::Desc) {
                    crate::schema::NullsOrder::First
                } else {
                    crate::schema::NullsOrder::Last
                })
            };
            target
                && a.opclass == b.opclass
                && a.order.unwrap_or(SortOrder::Asc) == b.order.unwrap_or(SortOrder::Asc)
                && nulls(a) == nulls(b)
        };
        let same_index = |a: &crate::schema::Index, b: &crate::schema::Index| {
            a.keys.len() == b.keys.len()
                && a.keys.iter().zip(&b.keys).all(|(x, y)| same_key(x, y))
                && a.unique == b.unique
                && a.method.unwrap_or(crate::schema::IndexMethod::Btree)
                    == b.method.unwrap_or(crate::schema::IndexMethod::Btree)
                && match (&a.predicate, &b.predicate) {
                    (None, None) => true,
                    (Some(x), Some(y)) => self.same_expression(x, y),
                    _ => false,
                }
        };
        reconcile(
            (&old.indexes, &orig.indexes),
            &new.indexes,
            |i| &i.name,
            same_index,
            |i| Operation::DropIndex {
                table: old_t(),
                index: i.clone(),
            },
            |i| Operation::CreateIndex {
                table: t(),
                index: i.clone(),
            },
            |from, to| Operation::RenameIndex {
                table: t(),
                from,
                to,
            },
            out,
        );
        reconcile(
            (&old.uniques, &orig.uniques),
            &new.uniques,
            |u| &u.name,
            |a, b| a.columns == b.columns,
            |u| Operation::DropUnique {
                table: old_t(),
                unique: u.clone(),
            },
            |u| Operation::AddUnique {
                table: t(),
                unique: u.clone(),
            },
            |from, to| Operation::RenameConstraint {
                table: t(),
                from,
                to,
            },
            out,
        );
        reconcile(
            (&old.checks, &orig.checks),
            &new.checks,
            |c| &c.name,
            |a, b| self.same_expression(&a.expr, &b.expr),
            |c| Operation::DropCheck {
                table: old_t(),
                check: c.clone(),
            },
            |c| Operation::AddCheck {
                table: t(),
                check: c.clone(),
            },
            |from, to| Operation::RenameConstraint {
                table: t(),
                from,
                to,
            },
            out,
        );
        // Foreign keys to a table whose key changes are recreated around the change.
        let mut keep_fks: Vec<ForeignKey> = Vec::new();
        let mut keep_orig: Vec<ForeignKey> = Vec::new();
        // Foreign keys to a re-keyed table, or on retyped columns, are recreated around it.
        let recreate = |fk: &ForeignKey| {
            let mut referenced = fk.ref_columns.clone();
            referenced.sort();
            rekeyed.contains(&(fk.ref_table.clone(), referenced))
                || fk
                    .columns
                    .iter()
                    .any(|c| retyped.contains(&(table.to_owned(), c.clone())))
        };
        for (fk, fk_orig) in old.foreign_keys.iter().zip(&orig.foreign_keys) {
            if recreate(fk) {
                out.push(Operation::DropForeignKey {
                    table: old_t(),
                    foreign_key: fk_orig.clone(),
                });
            } else {
                keep_fks.push(fk.clone());
                keep_orig.push(fk_orig.clone());
            }
        }
        let new_fks: Vec<ForeignKey> = new
            .foreign_keys
            .iter()
            .filter(|fk| !recreate(fk))
            .cloned()
            .collect();
        for fk in new.foreign_keys.iter().filter(|fk| recreate(fk)) {
            out.push(Operation::AddForeignKey {
                table: t(),
                foreign_key: fk.clone(),
            });
        }
        let same_fk = |a: &ForeignKey, b: &ForeignKey| {
            let mut a = a.clone();
            a.name = b.name.clone();
            a == *b
        };
        reconcile(
            (&keep_fks, &keep_orig),
            &new_fks,
            |f| &f.name,
            same_fk,
            |f| Operation::DropForeignKey {
                table: old_t(),
                foreign_key: f.clone(),
            },
            |f| Operation::AddForeignKey {
                table: t(),
                foreign_key: f.clone(),
            },
            |from, to| Operation::RenameConstraint {
                table: t(),
                from,
                to,
            },
            out,
        );
    }

    fn columns(
        &self,
        table: &str,
        old: &Table,
        new: &Table,
        pairs: &[(&Column, &Column)],
        out: &mut Vec<Operation>,
        destructive: &mut Vec<String>,
    ) -> Result<(), DiffError> {
        let t = || table.to_owned();
        for (old_col, new_col) in pairs {
            let c = || new_col.name.clone();
            // Identity off before a default can be set.
            if old_col.identity.is_some() && new_col.identity.is_none() {
                out.push(Operation::AlterIdentity {
                    table: t(),
                    column: c(),
                    from: old_col.identity,
                    to: None,
                });
            }
            if self.rules.canonical_type(&old_col.ty) != self.rules.canonical_type(&new_col.ty) {
                if self.rules.is_narrowing(&old_col.ty, &new_col.ty) {
                    destructive.push(format!(
                        "narrow {table}.{} from {} to {} (values that do not fit make the migration fail or are cut)",
                        new_col.name,
                        self.rules.canonical_type(&old_col.ty),
                        self.rules.canonical_type(&new_col.ty)
                    ));
                }
                out.push(Operation::AlterColumnType {
                    table: t(),
                    column: c(),
                    from: old_col.ty.clone(),
                    to: new_col.ty.clone(),
                    from_default: old_col
                        .default
                        .as_ref()
                        .map(|d| renamed_default(d, &old_col.ty, self.old, self.new)),
                    to_default: new_col.default.clone(),
                });
            }
            let type_changed =
                self.rules.canonical_type(&old_col.ty) != self.rules.canonical_type(&new_col.ty);
            if old_col.nullable && !new_col.nullable {
                out.push(Operation::SetNotNull {
                    table: t(),
                    column: c(),
                    backfill: backfill_of(new_col),
                });
            } else if !old_col.nullable && new_col.nullable {
                out.push(Operation::DropNotNull {
                    table: t(),
                    column: c(),
                });
            }
            let old_default = old_col
                .default
                .as_ref()
                .map(|d| renamed_default(d, &old_col.ty, self.old, self.new));
            // A type change sets the new default itself.
            if !type_changed && !self.same_default(old_default.as_ref(), new_col.default.as_ref()) {
                out.push(Operation::AlterDefault {
                    table: t(),
                    column: c(),
                    // As the database spells it once enum values are renamed (before this).
                    from: old_default.clone(),
                    to: new_col.default.clone(),
                });
            }
            if new_col.identity.is_some() && old_col.identity != new_col.identity {
                out.push(Operation::AlterIdentity {
                    table: t(),
                    column: c(),
                    from: old_col.identity,
                    to: new_col.identity,
                });
            }
        }
        for column in &new.columns {
            if pairs.iter().any(|(_, n)| n.name == column.name) {
                continue;
            }
            let mut backfill = None;
            if !column.nullable && column.default.is_none() && column.identity.is_none() {
                match &column.backfill_sql {
                    Some(sql) => backfill = Some(ColumnDefault::Sql(sql.clone())),
                    None => {
                        return Err(DiffError::NotNullWithoutDefault {
                            table: t(),
                            column: column.name.clone(),
                        })
                    }
                }
            }
            out.push(Operation::AddColumn {
                table: t(),
                column: strip_column_hints(column),
                backfill,
            });
        }
        for column in &old.columns {
            if pairs.iter().any(|(o, _)| o.name == column.name) {
                continue;
            }
            destructive.push(format!("drop column {table}.{} and its data", column.name));
            out.push(Operation::DropColumn {
                table: t(),
                column: column.clone(),
            });
        }
        Ok(())
    }
}

/// A set of (table, column) names.
type ColumnSet = BTreeSet<(String, String)>;

/// Keys of tables (new table name, sorted column names) that foreign keys may reference.
type KeySet = BTreeSet<(String, Vec<String>)>;

/// Declared renames of enum values: old spelling → new spelling. A stale hint (the old
/// spelling is gone, or the new one already existed) is ignored.
fn enum_renames(old: &Enum, new: &Enum) -> Vec<(String, String)> {
    let old_values: Vec<&str> = old.value_names().collect();
    let new_values: Vec<&str> = new.value_names().collect();
    new.values
        .iter()
        .filter_map(|v| {
            let from = v.renamed_from.as_deref()?;
            (old_values.contains(&from)
                && !old_values.contains(&v.name.as_str())
                && !new_values.contains(&from))
            .then(|| (from.to_owned(), v.name.clone()))
        })
        .collect()
}

/// A default of an enum column as it reads after the enum's value renames (the database
/// renames values under existing defaults).
pub(crate) fn renamed_default(
    default: &ColumnDefault,
    ty: &ColumnType,
    old: &Schema,
    new: &Schema,
) -> ColumnDefault {
    if let (ColumnType::Enum { name }, ColumnDefault::Value(crate::schema::Value::Text(v))) =
        (ty, default)
    {
        if let (Some(o), Some(n)) = (old.enums.get(name), new.enums.get(name)) {
            if let Some((_, to)) = enum_renames(o, n).into_iter().find(|(from, _)| from == v) {
                return ColumnDefault::Value(crate::schema::Value::Text(to));
            }
        }
    }
    default.clone()
}

/// The value that fills NULLs when a column becomes NOT NULL: `backfill_sql`, else the default.
fn backfill_of(column: &Column) -> Option<ColumnDefault> {
    column
        .backfill_sql
        .clone()
        .map(ColumnDefault::Sql)
        .or_else(|| column.default.clone())
}

fn strip_column_hints(column: &Column) -> Column {
    Column {
        renamed_from: None,
        backfill_sql: None,
        ..column.clone()
    }
}

/// Old/new column pairs of one table: same name, or a declared rename.
pub(crate) fn pair_columns<'t>(old: &'t Table, new: &'t Table) -> Vec<(&'t Column, &'t Column)> {
    new.columns
        .iter()
        .filter_map(|column| {
            if let Some(old_col) = old.column(&column.name) {
                return Some((old_col, column));
            }
            let from = column.renamed_from.as_deref()?;
            let old_col = old.column(from)?;
            (new.column(from).is_none()).then_some((old_col, column))
        })
        .collect()
}

fn rename_column(name: &str, pairs: &[(&Column, &Column)]) -> String {
    pairs
        .iter()
        .find(|(o, _)| o.name == name)
        .map(|(_, n)| n.name.clone())
        .unwrap_or_else(|| name.to_owned())
}

fn rename_columns(names: &[String], pairs: &[(&Column, &Column)]) -> Vec<String> {
    names.iter().map(|n| rename_column(n, pairs)).collect()
}

/// Matches named objects: same name and same definition → nothing; same definition under
/// another name → rename; otherwise drop the old and add the new. `old` is compared (with
/// renames applied); `old_orig` (same order) is what a drop carries, as it was.
#[allow(clippy::too_many_arguments)]
fn reconcile<T>(
    (old, old_orig): (&[T], &[T]),
    new: &[T],
    name: impl Fn(&T) -> &String,
    same: impl Fn(&T, &T) -> bool,
    drop: impl Fn(&T) -> Operation,
    add: impl Fn(&T) -> Operation,
    rename: impl Fn(String, String) -> Operation,
    out: &mut Vec<Operation>,
) {
    let mut unmatched_new: Vec<&T> = Vec::new();
    let mut matched_old: BTreeSet<usize> = BTreeSet::new();
    for n in new {
        match old.iter().position(|o| name(o) == name(n)) {
            Some(i) if same(&old[i], n) => {
                matched_old.insert(i);
            }
            Some(i) => {
                matched_old.insert(i);
                out.push(drop(&old_orig[i]));
                out.push(add(n));
            }
            None => unmatched_new.push(n),
        }
    }
    for n in unmatched_new {
        let renamed = old.iter().enumerate().find(|(i, o)| {
            !matched_old.contains(i) && same(o, n) && !new.iter().any(|x| name(x) == name(o))
        });
        match renamed {
            Some((i, o)) => {
                matched_old.insert(i);
                out.push(rename(name(o).clone(), name(n).clone()));
            }
            None => out.push(add(n)),
        }
    }
    for (i, o) in old_orig.iter().enumerate() {
        if !matched_old.contains(&i) {
            out.push(drop(o));
        }
    }
}

/// Tables sorted so that referenced tables come before referencing ones (ties by name), and
/// the foreign keys that had to be set aside to break cycles. Only references between the
/// given tables count; self-references never need breaking.
pub(crate) fn dependency_order<'t>(
    tables: &[&'t Table],
    names: &BTreeSet<&str>,
) -> (Vec<&'t Table>, Vec<(String, ForeignKey)>) {
    // Kahn's algorithm: each table waits for the foreign keys it has to other given tables;
    // the ready table first by name is placed next, which releases the keys to it.
    let by_name: BTreeMap<&str, &'t Table> = tables.iter().map(|t| (t.name.as_str(), *t)).collect();
    let mut waiting: BTreeMap<&str, usize> = BTreeMap::new();
    // Foreign keys by (table, position): names need not be unique (SQLite's unnamed ones).
    let mut dependents: BTreeMap<&str, Vec<(&str, usize)>> = BTreeMap::new();
    for (name, table) in &by_name {
        let mut count = 0;
        for (k, fk) in table.foreign_keys.iter().enumerate() {
            let target = fk.ref_table.as_str();
            if target != *name && names.contains(target) && by_name.contains_key(target) {
                count += 1;
                dependents.entry(target).or_default().push((name, k));
            }
        }
        waiting.insert(name, count);
    }
    let mut ready: BTreeSet<&str> = waiting
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(name, _)| *name)
        .collect();
    let mut order = Vec::new();
    let mut set_aside: Vec<(String, ForeignKey)> = Vec::new();
    let mut aside: BTreeSet<(&str, usize)> = BTreeSet::new();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    while !waiting.is_empty() {
        let Some(name) = ready.pop_first() else {
            // A cycle: set aside the first blocking foreign key of the first table.
            let (name, _) = waiting.iter().next().expect("not empty");
            let name = *name;
            let (k, fk) = by_name[name]
                .foreign_keys
                .iter()
                .enumerate()
                .find(|(k, fk)| {
                    fk.ref_table != name
                        && names.contains(fk.ref_table.as_str())
                        && by_name.contains_key(fk.ref_table.as_str())
                        && !done.contains(fk.ref_table.as_str())
                        && !aside.contains(&(name, *k))
                })
                .expect("a blocked table has a blocking foreign key");
            aside.insert((name, k));
            set_aside.push((name.to_owned(), fk.clone()));
            let count = waiting.get_mut(name).expect("waiting");
            *count -= 1;
            if *count == 0 {
                ready.insert(name);
            }
            continue;
        };
        waiting.remove(name);
        done.insert(name);
        order.push(by_name[name]);
        for (dependent, k) in dependents.get(name).into_iter().flatten() {
            if aside.contains(&(dependent, *k)) {
                continue;
            }
            if let Some(count) = waiting.get_mut(dependent) {
                *count -= 1;
                if *count == 0 {
                    ready.insert(dependent);
                }
            }
        }
    }
    (order, set_aside)
}
