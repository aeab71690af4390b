//! The diff: (old schema, new schema) → ordered operations. Pure, and free of any dialect.
//!
//! # Ordering
//!
//! The up operations come in fixed phases, so that every object exists before it is used and
//! is no longer used when it is dropped:
//!
//! 1. extensions, new enum types, enum value changes;
//! 2. table and column renames (declared with `renamed_from`), index and constraint renames;
//! 3. dropping what goes away or changes: foreign keys, checks, uniques, indexes, primary keys,
//!    then tables (referencing tables first; foreign-key cycles opened first);
//! 4. column changes on kept tables (types, nullability, defaults, identity, new and dropped
//!    columns);
//! 5. new tables in foreign-key order (cycles closed by a later `AddForeignKey`);
//! 6. adding what is new or changed: primary keys, uniques, checks, indexes, foreign keys;
//! 7. comments, then dropping enum types no longer used.
//!
//! The down operations are the inverses of the up operations in exact reverse order
//! ([`Plan::down`]).
//!
//! Comparisons ignore hints (`renamed_from`, `backfill_sql`), compare types by a normalized
//! spelling (so `sql_type = "character varying(20)"` equals `max_length = 20`), defaults by
//! their SQL (so an equivalent `default` and `default_sql` are equal), and checks by their
//! normalized expression.

mod compare;
mod expression;
mod operation;

use std::collections::{BTreeMap, BTreeSet};

pub use compare::{
    canonical_default, canonical_type, loose_expression, normalize_expression,
    same_loose_expression,
};
pub use operation::{EnumDependent, EnumPosition, EnumUsage, Operation};

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

/// The planned migration.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    /// The up operations, in order.
    pub operations: Vec<Operation>,
    /// Steps that lose data (allowed with `allow_destructive`), for the migration header.
    pub destructive: Vec<String>,
    /// Things worth a reviewer's attention (missing foreign-key indexes, table rewrites).
    pub warnings: Vec<String>,
}

impl Plan {
    /// True when the schemas are equal.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }

    /// The down operations: inverses of the up operations in reverse order. Consecutive swaps
    /// of one enum type (the inverses of several added values) are merged into one swap.
    pub fn down(&self) -> Vec<Operation> {
        let mut out: Vec<Operation> = Vec::new();
        for op in self.operations.iter().rev().filter_map(Operation::inverse) {
            if let (
                Some(Operation::RecreateEnum {
                    to: prev_to,
                    renamed: prev_renamed,
                    ..
                }),
                Operation::RecreateEnum {
                    from, to, renamed, ..
                },
            ) = (out.last_mut(), &op)
            {
                if prev_to.name == from.name
                    && prev_to == from
                    && prev_renamed.is_empty()
                    && renamed.is_empty()
                {
                    *prev_to = to.clone();
                    continue;
                }
            }
            out.push(op);
        }
        out
    }
}

/// Plans the migration from `old` to `new`.
pub fn diff(old: &Schema, new: &Schema, options: DiffOptions) -> Result<Plan, DiffError> {
    let mut differ = Differ::new(old, new);
    differ.loose = options.loose_expressions;
    differ.run(options)
}

struct Differ<'a> {
    old: &'a Schema,
    new: &'a Schema,
    loose: bool,
    /// New table name → old table name, for tables in both (same name or declared rename).
    table_pairs: BTreeMap<&'a str, &'a str>,
}

/// Phases of the up migration; operations are pushed into their phase and concatenated.
#[derive(Default)]
struct Phases {
    setup: Vec<Operation>,
    renames: Vec<Operation>,
    drop_fks: Vec<Operation>,
    drops: Vec<Operation>,
    drop_tables: Vec<Operation>,
    columns: Vec<Operation>,
    add_keys: Vec<Operation>,
    create_tables: Vec<Operation>,
    adds: Vec<Operation>,
    add_fks: Vec<Operation>,
    comments: Vec<Operation>,
    teardown: Vec<Operation>,
}

impl Phases {
    /// Drops go in two steps: foreign keys first, since they depend on keys and uniques.
    fn drop(&mut self, op: Operation) {
        match op {
            Operation::DropForeignKey { .. } => self.drop_fks.push(op),
            _ => self.drops.push(op),
        }
    }

    /// Adds go in three steps: keys that foreign keys may reference (primary keys, uniques,
    /// unique indexes) before new tables, other objects after them, foreign keys last.
    fn add(&mut self, op: Operation) {
        match &op {
            Operation::AddPrimaryKey { .. } | Operation::AddUnique { .. } => self.add_keys.push(op),
            Operation::CreateIndex { index, .. } if index.unique => self.add_keys.push(op),
            Operation::AddForeignKey { .. } => self.add_fks.push(op),
            _ => self.adds.push(op),
        }
    }

    fn concat(self) -> Vec<Operation> {
        [
            self.setup,
            // Drops come before renames and name things as they were: their inverses (in the
            // down) then run after the renames are undone, with the old names again.
            self.drop_fks,
            self.drops,
            // Dropped tables go before renames too: a renamed object may take a name that a
            // dropped table's index held.
            self.drop_tables,
            self.renames,
            self.columns,
            self.add_keys,
            self.create_tables,
            self.adds,
            self.add_fks,
            self.comments,
            self.teardown,
        ]
        .concat()
    }
}

impl<'a> Differ<'a> {
    fn new(old: &'a Schema, new: &'a Schema) -> Self {
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
        Self {
            old,
            new,
            loose: false,
            table_pairs,
        }
    }

    fn same_expression(&self, a: &str, b: &str) -> bool {
        if self.loose {
            same_loose_expression(a, b)
        } else {
            normalize_expression(a) == normalize_expression(b)
        }
    }

    fn same_default(&self, a: Option<&ColumnDefault>, b: Option<&ColumnDefault>) -> bool {
        match (a, b) {
            (None, None) => true,
            (Some(a_default), Some(b_default)) => {
                let (a, b) = (canonical_default(a_default), canonical_default(b_default));
                // Numbers compare as numbers (`1e-5` is `0.00001` read back).
                let number = |t: &str| t.trim_matches('\'').parse::<f64>().ok();
                match (self.loose, number(&a), number(&b)) {
                    (true, Some(x), Some(y)) => x == y,
                    // The tree is built from the SQL as written: folding its white space
                    // first could join `- -1` into a comment.
                    (true, _, _) => same_loose_expression(
                        &compare::default_sql(a_default),
                        &compare::default_sql(b_default),
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
        self.table_pairs
            .iter()
            .find(|(_, old)| **old == old_table)
            .map(|(new, _)| *new)
    }

    fn run(self, options: DiffOptions) -> Result<Plan, DiffError> {
        let mut phases = Phases::default();
        let mut destructive = Vec::new();
        let mut warnings = Vec::new();

        // Tables that go away.
        let dropped: Vec<&Table> = self
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

        self.extensions(&mut phases);
        // Columns whose default a type swap sets (no separate default change for them).
        let mut handled: BTreeSet<(String, String)> = BTreeSet::new();
        // Old (table, column) whose default a type swap drops for good.
        let mut detached: BTreeSet<(String, String)> = BTreeSet::new();
        self.enums(
            &mut phases,
            &mut destructive,
            &mut warnings,
            &mut handled,
            &mut detached,
        );

        // Renames first, so that everything after speaks of the new names.
        for (new_name, old_name) in &self.table_pairs {
            if new_name != old_name {
                phases.renames.push(Operation::RenameTable {
                    from: (*old_name).to_owned(),
                    to: (*new_name).to_owned(),
                });
            }
        }
        let mut column_pairs: BTreeMap<&str, Vec<(&Column, &Column)>> = BTreeMap::new();
        for (new_name, old_name) in &self.table_pairs {
            let old_table = &self.old.tables[*old_name];
            let new_table = &self.new.tables[*new_name];
            let pairs = pair_columns(old_table, new_table);
            for (old_col, new_col) in &pairs {
                if old_col.name != new_col.name {
                    phases.renames.push(Operation::RenameColumn {
                        table: (*new_name).to_owned(),
                        from: old_col.name.clone(),
                        to: new_col.name.clone(),
                    });
                }
            }
            column_pairs.insert(new_name, pairs);
        }

        // Tables whose primary key changes: foreign keys referencing them must be dropped
        // before and added after.
        // Columns whose type changes: a foreign key on them, or on a key they are part of,
        // cannot stay while the type changes.
        let mut retyped: ColumnSet = BTreeSet::new();
        for (new_name, pairs) in &column_pairs {
            for (o, n) in pairs {
                if canonical_type(&o.ty) != canonical_type(&n.ty) {
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

        // Constraints and indexes of kept tables.
        for (new_name, old_name) in &self.table_pairs {
            let old_table = &self.old.tables[*old_name];
            let new_table = &self.new.tables[*new_name];
            self.table_objects(
                new_name,
                old_table,
                new_table,
                &column_pairs[new_name],
                (&rekeyed, &retyped),
                &mut phases,
            );
        }

        // Dropped tables: referencing tables first; foreign keys between dropped tables that
        // form cycles are dropped first.
        let dropped_names: BTreeSet<&str> = dropped.iter().map(|t| t.name.as_str()).collect();
        let (order, cycle_fks) = dependency_order(&dropped, &dropped_names);
        for (table, fk) in &cycle_fks {
            phases.drop(Operation::DropForeignKey {
                table: table.clone(),
                foreign_key: fk.clone(),
            });
        }
        // Their foreign keys to kept tables go first, with the other foreign-key drops: a kept
        // table's key may be about to change under them.
        for table in &order {
            for fk in &table.foreign_keys {
                if !dropped_names.contains(fk.ref_table.as_str()) {
                    phases.drop(Operation::DropForeignKey {
                        table: table.name.clone(),
                        foreign_key: fk.clone(),
                    });
                }
            }
        }
        for table in order.iter().rev() {
            let mut table = (*table).clone();
            for column in &mut table.columns {
                if detached.contains(&(table.name.clone(), column.name.clone())) {
                    column.default = None;
                    column.ty = as_text(&column.ty);
                }
                column.default = column
                    .default
                    .as_ref()
                    .map(|d| renamed_default(d, &column.ty, self.old, self.new));
            }
            table.foreign_keys.retain(|fk| {
                dropped_names.contains(fk.ref_table.as_str())
                    && !cycle_fks
                        .iter()
                        .any(|(t, c)| *t == table.name && c.name == fk.name)
            });
            destructive.push(format!("drop table {} and all its rows", table.name));
            phases.drop_tables.push(Operation::DropTable { table });
        }

        // Column changes.
        for (new_name, pairs) in &column_pairs {
            let old_table = &self.old.tables[self.table_pairs[new_name]];
            let new_table = &self.new.tables[*new_name];
            self.columns(
                new_name,
                old_table,
                new_table,
                pairs,
                (&handled, &detached),
                &mut phases,
                &mut destructive,
            )?;
        }

        // New tables, referenced tables first.
        let created: Vec<&Table> = self
            .new
            .tables
            .values()
            .filter(|t| self.old_name_of(&t.name).is_none())
            .collect();
        let created_names: BTreeSet<&str> = created.iter().map(|t| t.name.as_str()).collect();
        let (order, cycle_fks) = dependency_order(&created, &created_names);
        for table in order {
            let mut table = table.clone();
            table.foreign_keys.retain(|fk| {
                !cycle_fks
                    .iter()
                    .any(|(t, c)| *t == table.name && c.name == fk.name)
            });
            phases.create_tables.push(Operation::CreateTable { table });
        }
        for (table, fk) in cycle_fks {
            phases.add(Operation::AddForeignKey {
                table,
                foreign_key: fk,
            });
        }

        // Comments on kept tables (new tables carry theirs).
        for (new_name, old_name) in &self.table_pairs {
            let old_table = &self.old.tables[*old_name];
            let new_table = &self.new.tables[*new_name];
            if old_table.comment != new_table.comment {
                phases.comments.push(Operation::SetTableComment {
                    table: (*new_name).to_owned(),
                    from: old_table.comment.clone(),
                    to: new_table.comment.clone(),
                });
            }
            for (old_col, new_col) in &column_pairs[new_name] {
                if old_col.comment != new_col.comment {
                    phases.comments.push(Operation::SetColumnComment {
                        table: (*new_name).to_owned(),
                        column: new_col.name.clone(),
                        from: old_col.comment.clone(),
                        to: new_col.comment.clone(),
                    });
                }
            }
        }

        // Enum types no longer declared go last, after the columns that used them.
        for (name, definition) in &self.old.enums {
            if !self.new.enums.contains_key(name) {
                phases.teardown.push(Operation::DropEnum {
                    definition: definition.clone(),
                });
            }
        }

        if !destructive.is_empty() && !options.allow_destructive {
            return Err(DiffError::Destructive {
                changes: destructive,
            });
        }
        let operations = phases.concat();
        warnings.extend(missing_fk_indexes(self.new, &operations));
        Ok(Plan {
            operations,
            destructive,
            warnings,
        })
    }

    fn extensions(&self, phases: &mut Phases) {
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
        for name in want.difference(&have) {
            phases.setup.push(Operation::CreateExtension {
                name: (*name).clone(),
            });
        }
    }

    /// Columns of the old schema that use enum `name`.
    fn old_usages(&self, name: &str) -> Vec<EnumUsage> {
        let mut usages = Vec::new();
        for table in self.old.tables.values() {
            for column in &table.columns {
                let (is_enum, array) = match &column.ty {
                    ColumnType::Enum { name: n } => (n == name, false),
                    ColumnType::Array { element } => (
                        matches!(&**element, ColumnType::Enum { name: n } if n == name),
                        true,
                    ),
                    _ => (false, false),
                };
                if is_enum {
                    usages.push(EnumUsage {
                        table: table.name.clone(),
                        column: column.name.clone(),
                        default: column.default.clone(),
                        default_after: column.default.clone(),
                        array,
                        to_text: false,
                    });
                }
            }
        }
        usages
    }

    /// The column of the new schema that an enum usage of the old schema becomes, when it is
    /// still of the same enum type (table and column renames followed).
    fn new_enum_column(&self, usage: &EnumUsage) -> Option<(String, &'a Column)> {
        let new_table_name = self.new_name_of(&usage.table)?;
        let old_table = &self.old.tables[&usage.table];
        let new_table = &self.new.tables[new_table_name];
        let (_, new_col) = pair_columns(old_table, new_table)
            .into_iter()
            .find(|(o, _)| o.name == usage.column)?;
        let old_col = old_table.column(&usage.column)?;
        (canonical_type(&old_col.ty) == canonical_type(&new_col.ty))
            .then(|| (new_table_name.to_owned(), new_col))
    }

    /// Checks and indexes of the old schema whose expressions mention a converted column.
    fn enum_dependents(&self, usages: &[EnumUsage]) -> Vec<EnumDependent> {
        let mentions = |sql: &str, column: &str| {
            sql.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|word| word == column)
        };
        let mut out = Vec::new();
        let tables: BTreeSet<&str> = usages.iter().map(|u| u.table.as_str()).collect();
        for table_name in tables {
            let table = &self.old.tables[table_name];
            let columns: Vec<&str> = usages
                .iter()
                .filter(|u| u.table == table_name)
                .map(|u| u.column.as_str())
                .collect();
            let involved = |sql: &str| columns.iter().any(|c| mentions(sql, c));
            for check in &table.checks {
                if involved(&check.expr) {
                    out.push(EnumDependent::Check {
                        table: table_name.to_owned(),
                        check: check.clone(),
                    });
                }
            }
            for index in &table.indexes {
                let expression = index.keys.iter().any(|k| match &k.target {
                    crate::schema::IndexTarget::Expression(e) => involved(e),
                    crate::schema::IndexTarget::Column(_) => false,
                });
                if expression || index.predicate.as_deref().is_some_and(involved) {
                    out.push(EnumDependent::Index {
                        table: table_name.to_owned(),
                        index: index.clone(),
                    });
                }
            }
        }
        out
    }

    fn enums(
        &self,
        phases: &mut Phases,
        destructive: &mut Vec<String>,
        warnings: &mut Vec<String>,
        handled: &mut BTreeSet<(String, String)>,
        detached: &mut BTreeSet<(String, String)>,
    ) {
        for (name, new_enum) in &self.new.enums {
            let Some(old_enum) = self.old.enums.get(name) else {
                phases.setup.push(Operation::CreateEnum {
                    definition: new_enum.clone(),
                });
                continue;
            };
            if old_enum.value_names().eq(new_enum.value_names()) {
                continue;
            }
            let old_values: Vec<&str> = old_enum.value_names().collect();
            let new_values: Vec<&str> = new_enum.value_names().collect();
            let renames = enum_renames(old_enum, new_enum);
            let renamed_old: Vec<String> = old_values
                .iter()
                .map(|v| {
                    renames
                        .iter()
                        .find(|(from, _)| from == v)
                        .map(|(_, to)| to.clone())
                        .unwrap_or_else(|| (*v).to_owned())
                })
                .collect();
            let removed: Vec<&String> = renamed_old
                .iter()
                .filter(|v| !new_values.contains(&v.as_str()))
                .collect();
            let kept_in_order: Vec<&str> = new_values
                .iter()
                .copied()
                .filter(|v| renamed_old.iter().any(|o| o == v))
                .collect();
            let same_order = kept_in_order
                .iter()
                .copied()
                .eq(renamed_old.iter().map(String::as_str));
            if removed.is_empty() && same_order {
                // Renames, then additions in declaration order.
                for (from, to) in &renames {
                    phases.setup.push(Operation::RenameEnumValue {
                        name: name.clone(),
                        from: from.clone(),
                        to: to.clone(),
                    });
                }
                let mut current = Enum {
                    name: name.clone(),
                    values: renamed_old
                        .iter()
                        .map(|v| crate::schema::EnumValue {
                            name: v.clone(),
                            renamed_from: None,
                        })
                        .collect(),
                };
                let usages = self.old_usages(name);
                for (i, value) in new_values.iter().enumerate() {
                    if current.values.iter().any(|v| v.name == *value) {
                        continue;
                    }
                    // Before the next value that already exists, else after the previous one.
                    let position = new_values[i + 1..]
                        .iter()
                        .find(|v| current.values.iter().any(|c| c.name == **v))
                        .map(|v| EnumPosition::Before((*v).to_owned()))
                        .or_else(|| {
                            new_values[..i]
                                .last()
                                .map(|v| EnumPosition::After((*v).to_owned()))
                        })
                        .unwrap_or(EnumPosition::End);
                    let before = current.clone();
                    let index = match &position {
                        EnumPosition::Before(v) => current
                            .values
                            .iter()
                            .position(|c| c.name == *v)
                            .unwrap_or(current.values.len()),
                        EnumPosition::After(v) => current
                            .values
                            .iter()
                            .position(|c| c.name == *v)
                            .map_or(current.values.len(), |p| p + 1),
                        EnumPosition::End => current.values.len(),
                    };
                    current.values.insert(
                        index,
                        crate::schema::EnumValue {
                            name: (*value).to_owned(),
                            renamed_from: None,
                        },
                    );
                    phases.setup.push(Operation::AddEnumValue {
                        before,
                        after: current.clone(),
                        value: (*value).to_owned(),
                        position,
                        usages: usages.clone(),
                    });
                }
            } else {
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
                } else {
                    warnings.push(format!(
                        "enum {name} is reordered: the type is recreated and every table using it is rewritten"
                    ));
                }
                // Each column gets its new default as part of the swap (the old one may name
                // a value that no longer exists).
                let usages: Vec<EnumUsage> = self
                    .old_usages(name)
                    .into_iter()
                    .map(|mut usage| {
                        match self.new_enum_column(&usage) {
                            Some((table, column)) => {
                                handled.insert((table, column.name.clone()));
                                usage.default_after = column.default.clone();
                            }
                            None => {
                                // The column leaves the type (dropped, or another type): the
                                // swap makes it text without a default, and the later steps on
                                // it start from there, so that no value is lost and their
                                // inverses never name a missing value.
                                usage.default_after = None;
                                usage.to_text = true;
                                detached.insert((usage.table.clone(), usage.column.clone()));
                            }
                        }
                        usage
                    })
                    .collect();
                let dependents = self.enum_dependents(&usages);
                phases.setup.push(Operation::RecreateEnum {
                    from: strip_enum_hints(old_enum),
                    to: strip_enum_hints(new_enum),
                    renamed: renames,
                    usages,
                    dependents,
                });
            }
        }
    }

    /// Indexes, uniques, checks, foreign keys and the primary key of one kept table.
    fn table_objects(
        &self,
        table: &str,
        old: &Table,
        new: &Table,
        pairs: &[(&Column, &Column)],
        (rekeyed, retyped): (&KeySet, &ColumnSet),
        phases: &mut Phases,
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
            phases.drop(Operation::DropPrimaryKey {
                table: old_t(),
                key: orig.primary_key.clone(),
            });
            phases.add(Operation::AddPrimaryKey {
                table: t(),
                key: new.primary_key.clone(),
            });
        } else if old.primary_key.name != new.primary_key.name {
            phases.renames.push(Operation::RenameConstraint {
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
            phases,
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
            phases,
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
            phases,
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
                phases.drop(Operation::DropForeignKey {
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
            phases.add(Operation::AddForeignKey {
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
            phases,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn columns(
        &self,
        table: &str,
        old: &Table,
        new: &Table,
        pairs: &[(&Column, &Column)],
        (handled, detached): (&ColumnSet, &ColumnSet),
        phases: &mut Phases,
        destructive: &mut Vec<String>,
    ) -> Result<(), DiffError> {
        let t = || table.to_owned();
        for (old_col, new_col) in pairs {
            let c = || new_col.name.clone();
            // Identity off before a default can be set.
            if old_col.identity.is_some() && new_col.identity.is_none() {
                phases.columns.push(Operation::AlterIdentity {
                    table: t(),
                    column: c(),
                    from: old_col.identity,
                    to: None,
                });
            }
            if canonical_type(&old_col.ty) != canonical_type(&new_col.ty) {
                if compare::is_narrowing(&old_col.ty, &new_col.ty) {
                    destructive.push(format!(
                        "narrow {table}.{} from {} to {} (values that do not fit make the migration fail or are cut)",
                        new_col.name,
                        canonical_type(&old_col.ty),
                        canonical_type(&new_col.ty)
                    ));
                }
                let swapped_away = detached.contains(&(old.name.clone(), old_col.name.clone()));
                phases.columns.push(Operation::AlterColumnType {
                    table: t(),
                    column: c(),
                    from: if swapped_away {
                        as_text(&old_col.ty)
                    } else {
                        old_col.ty.clone()
                    },
                    to: new_col.ty.clone(),
                    from_default: if swapped_away {
                        None
                    } else {
                        old_col
                            .default
                            .as_ref()
                            .map(|d| renamed_default(d, &old_col.ty, self.old, self.new))
                    },
                    to_default: new_col.default.clone(),
                });
            }
            let type_changed = canonical_type(&old_col.ty) != canonical_type(&new_col.ty);
            if old_col.nullable && !new_col.nullable {
                phases.columns.push(Operation::SetNotNull {
                    table: t(),
                    column: c(),
                    backfill: backfill_of(new_col),
                });
            } else if !old_col.nullable && new_col.nullable {
                phases.columns.push(Operation::DropNotNull {
                    table: t(),
                    column: c(),
                });
            }
            let old_default = old_col
                .default
                .as_ref()
                .map(|d| renamed_default(d, &old_col.ty, self.old, self.new));
            // A type change sets the new default itself.
            let swapped = handled.contains(&(table.to_owned(), new_col.name.clone()));
            if !type_changed
                && !swapped
                && !self.same_default(old_default.as_ref(), new_col.default.as_ref())
            {
                phases.columns.push(Operation::AlterDefault {
                    table: t(),
                    column: c(),
                    // As the database spells it once enum values are renamed (before this).
                    from: old_default.clone(),
                    to: new_col.default.clone(),
                });
            }
            if new_col.identity.is_some() && old_col.identity != new_col.identity {
                phases.columns.push(Operation::AlterIdentity {
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
            phases.columns.push(Operation::AddColumn {
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
            let mut column = column.clone();
            if detached.contains(&(old.name.clone(), column.name.clone())) {
                column.default = None;
                column.ty = as_text(&column.ty);
            }
            phases
                .columns
                .push(Operation::DropColumn { table: t(), column });
        }
        Ok(())
    }
}

/// `text`, or `text[]` for an array: what an enum column leaving a swapped type becomes.
fn as_text(ty: &ColumnType) -> ColumnType {
    match ty {
        ColumnType::Array { .. } => ColumnType::Array {
            element: Box::new(ColumnType::Text),
        },
        _ => ColumnType::Text,
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
fn renamed_default(
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

fn strip_enum_hints(definition: &Enum) -> Enum {
    Enum {
        name: definition.name.clone(),
        values: definition
            .values
            .iter()
            .map(|v| crate::schema::EnumValue {
                name: v.name.clone(),
                renamed_from: None,
            })
            .collect(),
    }
}

/// Old/new column pairs of one table: same name, or a declared rename.
fn pair_columns<'t>(old: &'t Table, new: &'t Table) -> Vec<(&'t Column, &'t Column)> {
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
    phases: &mut Phases,
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
                phases.drop(drop(&old_orig[i]));
                phases.add(add(n));
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
                phases
                    .renames
                    .push(rename(name(o).clone(), name(n).clone()));
            }
            None => phases.add(add(n)),
        }
    }
    for (i, o) in old_orig.iter().enumerate() {
        if !matched_old.contains(&i) {
            phases.drop(drop(o));
        }
    }
}

/// Tables sorted so that referenced tables come before referencing ones (ties by name), and
/// the foreign keys that had to be set aside to break cycles. Only references between the
/// given tables count; self-references never need breaking.
fn dependency_order<'t>(
    tables: &[&'t Table],
    names: &BTreeSet<&str>,
) -> (Vec<&'t Table>, Vec<(String, ForeignKey)>) {
    let mut remaining: BTreeMap<&str, &'t Table> =
        tables.iter().map(|t| (t.name.as_str(), *t)).collect();
    let mut order = Vec::new();
    let mut set_aside: Vec<(String, ForeignKey)> = Vec::new();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    while !remaining.is_empty() {
        let ready = remaining
            .iter()
            .find(|(name, table)| {
                table.foreign_keys.iter().all(|fk| {
                    fk.ref_table == **name
                        || !names.contains(fk.ref_table.as_str())
                        || done.contains(fk.ref_table.as_str())
                        || set_aside
                            .iter()
                            .any(|(t, f)| t == *name && f.name == fk.name)
                })
            })
            .map(|(name, _)| *name);
        match ready {
            Some(name) => {
                order.push(remaining[name]);
                done.insert(name);
                remaining.remove(name);
            }
            None => {
                // A cycle: set aside the first blocking foreign key of the first table.
                let (name, table) = remaining.iter().next().expect("not empty");
                let fk = table
                    .foreign_keys
                    .iter()
                    .find(|fk| {
                        fk.ref_table != *name
                            && names.contains(fk.ref_table.as_str())
                            && !done.contains(fk.ref_table.as_str())
                            && !set_aside
                                .iter()
                                .any(|(t, f)| t == name && f.name == fk.name)
                    })
                    .expect("a blocked table has a blocking foreign key");
                set_aside.push(((*name).to_owned(), fk.clone()));
            }
        }
    }
    (order, set_aside)
}

/// Warnings for foreign keys added without an index that starts with their columns.
fn missing_fk_indexes(schema: &Schema, operations: &[Operation]) -> Vec<String> {
    let mut added: Vec<(&str, &ForeignKey)> = Vec::new();
    for op in operations {
        match op {
            Operation::CreateTable { table } => added.extend(
                table
                    .foreign_keys
                    .iter()
                    .map(|fk| (table.name.as_str(), fk)),
            ),
            Operation::AddForeignKey { table, foreign_key } => {
                added.push((table.as_str(), foreign_key))
            }
            _ => {}
        }
    }
    added
        .into_iter()
        .filter_map(|(table_name, fk)| {
            let table = schema.tables.get(table_name)?;
            let covers = |cols: &[String]| cols.starts_with(&fk.columns);
            let indexed = covers(&table.primary_key.columns)
                || table.uniques.iter().any(|u| covers(&u.columns))
                || table.indexes.iter().any(|i| {
                    i.predicate.is_none()
                        && i.keys.len() >= fk.columns.len()
                        && i.keys.iter().zip(&fk.columns).all(|(k, c)| {
                            k.target == crate::schema::IndexTarget::Column(c.clone())
                        })
                });
            (!indexed).then(|| {
                format!(
                    "foreign key {} on {table_name}({}) has no index; deletes and updates of {} rows scan {table_name}: consider `#[column(index)]`",
                    fk.name,
                    fk.columns.join(", "),
                    fk.ref_table
                )
            })
        })
        .collect()
}
