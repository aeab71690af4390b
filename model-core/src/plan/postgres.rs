//! PostgreSQL's planner.
//!
//! # Ordering
//!
//! The up operations come in fixed phases, so that every object exists before it is used and
//! is no longer used when it is dropped:
//!
//! 1. extensions, new enum types, enum value changes;
//! 2. dropping what goes away or changes: foreign keys, checks, uniques, indexes, primary keys,
//!    then tables (referencing tables first; foreign-key cycles opened first);
//! 3. table and column renames (declared with `renamed_from`), index and constraint renames;
//! 4. column changes on kept tables (types, nullability, defaults, identity, new and dropped
//!    columns);
//! 5. keys that foreign keys may reference, then new tables in foreign-key order (cycles closed
//!    by a later `AddForeignKey`);
//! 6. adding what is new or changed: indexes and checks, then foreign keys;
//! 7. comments, then dropping enum types no longer used.
//!
//! Within a phase, tables come in name order and each table's changes in the diff's order.
//! The down operations are the inverses of the up operations in exact reverse order
//! ([`Plan::down`]).
//!
//! # Enum types
//!
//! An enum type whose values are only renamed or added keeps its type: `RENAME VALUE` and
//! `ADD VALUE`. One that loses or reorders values is swapped: the type is renamed away, the new
//! one created, every column converted (its default set as part of the swap), the old type
//! dropped. A column that leaves the type in the same migration (dropped, or given another
//! type) becomes text in the swap, so that no value is lost before its own step.
//!
//! PostgreSQL cannot use an enum value in the transaction that added it: when a migration adds
//! values and also uses one of them (as a default, in a check..., or by converting a column to
//! the type, whose rows may hold a new value), the planner puts the new values first and
//! declares a [`Boundary`] after them.

use std::collections::BTreeSet;

use super::{Boundary, Plan, Planner, Step};
use crate::dialect::Dialect;
use crate::diff::{dependency_order, renamed_default, Changes, EnumChange, KeptTable};
use crate::operation::{EnumDependent, EnumPosition, EnumUsage, Operation};
use crate::schema::{
    Column, ColumnDefault, ColumnType, Enum, EnumValue, Index, IndexTarget, Schema, Table, Value,
};

/// PostgreSQL's planner.
#[derive(Debug, Clone, Copy, Default)]
pub struct Postgres;

impl Planner for Postgres {
    fn plan(&self, changes: &Changes<'_>, old: &Schema, new: &Schema) -> Plan {
        let cx = Context {
            old,
            new,
            kept: &changes.kept,
        };
        let mut phases = Phases::default();
        let mut warnings = Vec::new();
        let mut swaps = Swaps::default();
        for name in &changes.extensions {
            phases
                .setup
                .push(Operation::CreateExtension { name: name.clone() });
        }
        for change in &changes.enums {
            cx.enum_change(change, &mut phases, &mut warnings, &mut swaps);
        }

        for table in &changes.kept {
            for op in &table.changes {
                if let Some(op) = swaps.adjust(table, op.clone()) {
                    phases.push(op);
                }
            }
        }
        cx.dropped(&changes.dropped, &swaps, &mut phases);
        cx.created(&changes.created, &mut phases);

        let mut operations = phases.concat();
        let boundaries = match cx.enum_values_first(&swaps.added, &mut operations) {
            Some(boundary) => vec![boundary],
            None => Vec::new(),
        };
        Plan {
            steps: operations
                .into_iter()
                .map(|op| Step::new(op, Dialect::Postgres.equivalence()))
                .collect(),
            boundaries,
            destructive: changes.destructive.clone(),
            warnings,
        }
    }
}

/// Phases of the up migration; operations are pushed into their phase and concatenated.
#[derive(Default)]
pub(super) struct Phases {
    setup: Vec<Operation>,
    rename_tables: Vec<Operation>,
    rename_columns: Vec<Operation>,
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
    /// Puts a kept table's operation into its phase. Drops go in two steps: foreign keys
    /// first, since they depend on keys and uniques. Adds go in three: keys that foreign keys
    /// may reference (primary keys, uniques, unique indexes) before new tables, other objects
    /// after them, foreign keys last.
    pub(super) fn push(&mut self, op: Operation) {
        use Operation::*;
        let phase = match &op {
            RenameTable { .. } => &mut self.rename_tables,
            RenameColumn { .. } => &mut self.rename_columns,
            RenameIndex { .. } | RenameConstraint { .. } => &mut self.renames,
            DropForeignKey { .. } => &mut self.drop_fks,
            DropPrimaryKey { .. } | DropIndex { .. } | DropUnique { .. } | DropCheck { .. } => {
                &mut self.drops
            }
            AddPrimaryKey { .. } | AddUnique { .. } => &mut self.add_keys,
            CreateIndex { index, .. } if index.unique => &mut self.add_keys,
            AddForeignKey { .. } => &mut self.add_fks,
            CreateIndex { .. } | AddCheck { .. } => &mut self.adds,
            SetTableComment { .. } | SetColumnComment { .. } => &mut self.comments,
            CreateTable { .. } => &mut self.create_tables,
            DropTable { .. } => &mut self.drop_tables,
            CreateExtension { .. }
            | CreateEnum { .. }
            | AddEnumValue { .. }
            | RenameEnumValue { .. }
            | RecreateEnum { .. } => &mut self.setup,
            DropEnum { .. } => &mut self.teardown,
            AddColumn { .. }
            | DropColumn { .. }
            | AlterColumnType { .. }
            | SetNotNull { .. }
            | DropNotNull { .. }
            | AlterDefault { .. }
            | AlterIdentity { .. }
            | RebuildTable { .. }
            | FillNulls { .. }
            | AddColumnCopy { .. }
            | DropColumnCopy { .. } => &mut self.columns,
            // The online forms are made from a plan already in order ([`super::online`]).
            DropIndexConcurrently { .. } | DropCheckNotValid { .. } => &mut self.drops,
            AddUniqueUsingIndex { .. } | AddPrimaryKeyUsingIndex { .. } => &mut self.add_keys,
            CreateIndexConcurrently { .. } | AddCheckNotValid { .. } => &mut self.adds,
            AddForeignKeyNotValid { .. } | ValidateConstraint { .. } => &mut self.add_fks,
            Nothing { .. } => &mut self.comments,
        };
        phase.push(op);
    }

    pub(super) fn concat(self) -> Vec<Operation> {
        [
            self.setup,
            // Drops come before renames and name things as they were: their inverses (in the
            // down) then run after the renames are undone, with the old names again.
            self.drop_fks,
            self.drops,
            // Dropped tables go before renames too: a renamed object may take a name that a
            // dropped table's index held.
            self.drop_tables,
            self.rename_tables,
            self.rename_columns,
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

/// What enum planning means for the other operations.
#[derive(Default)]
struct Swaps {
    /// New (table, column) whose default a type swap sets (no separate default change).
    handled: BTreeSet<(String, String)>,
    /// Old (table, column) that a type swap turns into text for good.
    detached: BTreeSet<(String, String)>,
    /// (enum, value) added with `ADD VALUE`.
    added: Vec<(String, String)>,
}

impl Swaps {
    /// A kept table's operation as it reads after the enum swaps: none for a default a swap
    /// sets; for a column a swap turned into text, a change that starts from text without a
    /// default.
    fn adjust(&self, table: &KeptTable<'_>, op: Operation) -> Option<Operation> {
        let detached = |old_column: &str| {
            self.detached
                .contains(&(table.old.name.clone(), old_column.to_owned()))
        };
        Some(match op {
            Operation::AlterDefault {
                ref table,
                ref column,
                ..
            } if self.handled.contains(&(table.clone(), column.clone())) => return None,
            Operation::AlterColumnType {
                table: name,
                column,
                from,
                to,
                from_default,
                to_default,
            } => {
                let away = table.old_column(&column).is_some_and(|c| detached(&c.name));
                Operation::AlterColumnType {
                    table: name,
                    column,
                    from: if away { as_text(&from) } else { from },
                    to,
                    from_default: if away { None } else { from_default },
                    to_default,
                }
            }
            Operation::DropColumn {
                table: name,
                mut column,
            } => {
                if detached(&column.name) {
                    column.default = None;
                    column.ty = as_text(&column.ty);
                }
                Operation::DropColumn {
                    table: name,
                    column,
                }
            }
            op => op,
        })
    }
}

struct Context<'c, 'a> {
    old: &'c Schema,
    new: &'c Schema,
    kept: &'c [KeptTable<'a>],
}

impl Context<'_, '_> {
    /// The kept table that was called `old_name`.
    fn kept(&self, old_name: &str) -> Option<&KeptTable<'_>> {
        self.kept.iter().find(|t| t.old.name == old_name)
    }

    fn enum_change(
        &self,
        change: &EnumChange,
        phases: &mut Phases,
        warnings: &mut Vec<String>,
        swaps: &mut Swaps,
    ) {
        let (old_enum, new_enum, renames, removed, reordered) = match change {
            EnumChange::Created(definition) => {
                phases.setup.push(Operation::CreateEnum {
                    definition: definition.clone(),
                });
                return;
            }
            EnumChange::Dropped(definition) => {
                phases.teardown.push(Operation::DropEnum {
                    definition: definition.clone(),
                });
                return;
            }
            EnumChange::Altered {
                from,
                to,
                renamed,
                removed,
                reordered,
            } => (from, to, renamed, removed, *reordered),
        };
        let name = &new_enum.name;
        if removed.is_empty() && !reordered {
            // Renames, then additions in declaration order.
            for (from, to) in renames {
                phases.setup.push(Operation::RenameEnumValue {
                    name: name.clone(),
                    from: from.clone(),
                    to: to.clone(),
                });
            }
            let mut current = Enum {
                name: name.clone(),
                values: old_enum
                    .value_names()
                    .map(|v| EnumValue {
                        name: renames
                            .iter()
                            .find(|(from, _)| from == v)
                            .map_or(v, |(_, to)| to.as_str())
                            .to_owned(),
                        renamed_from: None,
                    })
                    .collect(),
            };
            let new_values: Vec<&str> = new_enum.value_names().collect();
            // The inverse of an added value swaps the type while the renames still hold: the
            // defaults it sets back read as the database has them then, renamed.
            let enum_type = ColumnType::Enum { name: name.clone() };
            let renamed = |d: Option<ColumnDefault>| {
                d.map(|d| renamed_default(&d, &enum_type, self.old, self.new))
            };
            let usages: Vec<EnumUsage> = self
                .old_usages(name)
                .into_iter()
                .map(|mut usage| {
                    usage.default = renamed(usage.default.take());
                    usage.default_after = renamed(usage.default_after.take());
                    usage
                })
                .collect();
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
                    EnumValue {
                        name: (*value).to_owned(),
                        renamed_from: None,
                    },
                );
                swaps.added.push((name.clone(), (*value).to_owned()));
                phases.setup.push(Operation::AddEnumValue {
                    before,
                    after: current.clone(),
                    value: (*value).to_owned(),
                    position,
                    usages: usages.clone(),
                });
            }
            return;
        }
        if removed.is_empty() {
            warnings.push(format!(
                "enum {name} is reordered: the type is recreated and every table using it is rewritten"
            ));
        }
        // Each column gets its new default as part of the swap (the old one may name a value
        // that no longer exists).
        let usages: Vec<EnumUsage> = self
            .old_usages(name)
            .into_iter()
            .map(|mut usage| {
                match self.new_enum_column(&usage) {
                    Some((table, column)) => {
                        swaps.handled.insert((table, column.name.clone()));
                        usage.default_after = column.default.clone();
                    }
                    None => {
                        // The column leaves the type (dropped, or another type): the swap
                        // makes it text without a default, and the later steps on it start
                        // from there, so that no value is lost and their inverses never name
                        // a missing value.
                        usage.default_after = None;
                        usage.to_text = true;
                        swaps
                            .detached
                            .insert((usage.table.clone(), usage.column.clone()));
                    }
                }
                usage
            })
            .collect();
        let dependents = self.enum_dependents(&usages);
        phases.setup.push(Operation::RecreateEnum {
            from: strip_enum_hints(old_enum),
            to: strip_enum_hints(new_enum),
            renamed: renames.clone(),
            usages,
            dependents,
        });
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
    fn new_enum_column(&self, usage: &EnumUsage) -> Option<(String, &Column)> {
        let kept = self.kept(&usage.table)?;
        let new_col = kept.new_column(&usage.column)?;
        let old_col = kept.old.column(&usage.column)?;
        let rules = Dialect::Postgres.equivalence();
        (rules.canonical_type(&old_col.ty) == rules.canonical_type(&new_col.ty))
            .then(|| (kept.new.name.clone(), new_col))
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
                    IndexTarget::Expression(e) => involved(e),
                    IndexTarget::Column(_) => false,
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

    /// Dropped tables (see [`drop_tables`]); a column detached from an enum type being
    /// swapped is dropped as the text it is then.
    fn dropped(&self, dropped: &[&Table], swaps: &Swaps, phases: &mut Phases) {
        drop_tables(dropped, phases, |table| {
            for column in &mut table.columns {
                if swaps
                    .detached
                    .contains(&(table.name.clone(), column.name.clone()))
                {
                    column.default = None;
                    column.ty = as_text(&column.ty);
                }
                column.default = column
                    .default
                    .as_ref()
                    .map(|d| renamed_default(d, &column.ty, self.old, self.new));
            }
        });
    }

    /// New tables (see [`create_tables`]).
    fn created(&self, created: &[&Table], phases: &mut Phases) {
        create_tables(created, phases);
    }

    /// When `operations` add enum values and use one of them, moves the operations on those
    /// enum types (renames and additions) first and returns the boundary after them.
    fn enum_values_first(
        &self,
        added: &[(String, String)],
        operations: &mut Vec<Operation>,
    ) -> Option<Boundary> {
        if added.is_empty() {
            return None;
        }
        // A column converted to a type that gains values may hold one of them.
        let gains = |ty: &ColumnType| match ty {
            ColumnType::Enum { name } => added.iter().any(|(n, _)| n == name),
            ColumnType::Array { element } => {
                matches!(&**element, ColumnType::Enum { name } if added.iter().any(|(n, _)| n == name))
            }
            _ => false,
        };
        let used = operations.iter().any(|op| match op {
            Operation::AddEnumValue { .. } => false,
            Operation::AlterColumnType { to, .. } if gains(to) => true,
            _ => added.iter().any(|(_, value)| uses_value(op, value)),
        });
        if !used {
            return None;
        }
        let of_added_enum = |op: &Operation| match op {
            Operation::AddEnumValue { .. } => true,
            Operation::RenameEnumValue { name, .. } => added.iter().any(|(n, _)| n == name),
            _ => false,
        };
        let (first, rest): (Vec<Operation>, Vec<Operation>) = std::mem::take(operations)
            .into_iter()
            .partition(of_added_enum);
        let after = first.len();
        operations.extend(first);
        operations.extend(rest);
        Some(Boundary {
            after,
            schema: self.with_added_values(added),
            reason: "new enum values".into(),
            slug: "enum_values".into(),
        })
    }

    /// The old schema with the enum types that gain values as they are once the values are
    /// added and renamed: the new type (such an enum loses no value and keeps its order, so
    /// its new values are its old ones, renamed as the diff decided, and the added ones), and
    /// defaults naming a renamed value following it, as the database does.
    fn with_added_values(&self, added: &[(String, String)]) -> Schema {
        let mut intermediate = self.old.clone();
        let names: BTreeSet<&str> = added.iter().map(|(n, _)| n.as_str()).collect();
        for name in names {
            let Some(definition) = self.new.enums.get(name) else {
                continue;
            };
            for table in intermediate.tables.values_mut() {
                for column in &mut table.columns {
                    if matches!(&column.ty, ColumnType::Enum { name: n } if n == name) {
                        column.default = column
                            .default
                            .as_ref()
                            .map(|d| renamed_default(d, &column.ty, self.old, self.new));
                    }
                }
            }
            intermediate
                .enums
                .insert(name.to_owned(), definition.clone());
        }
        intermediate
    }
}

/// Whether `op` uses the enum value `value`: as a typed default or backfill, or quoted in SQL
/// (a default, a backfill, a check, an index expression or predicate).
fn uses_value(op: &Operation, value: &str) -> bool {
    let quoted = format!("'{}'", value.replace('\'', "''"));
    let sql = |text: &str| text.contains(&quoted);
    fn typed(v: &Value, value: &str) -> bool {
        match v {
            Value::Text(text) => text == value,
            Value::Array(items) => items.iter().any(|item| typed(item, value)),
            _ => false,
        }
    }
    let default = |d: &ColumnDefault| match d {
        ColumnDefault::Value(v) => typed(v, value),
        ColumnDefault::Sql(text) => sql(text),
    };
    let defaults =
        |ds: &[&Option<ColumnDefault>]| ds.iter().any(|d| d.as_ref().is_some_and(default));
    let column = |c: &Column| {
        c.default.as_ref().is_some_and(default) || c.backfill_sql.as_deref().is_some_and(sql)
    };
    let index = |i: &Index| {
        i.predicate.as_deref().is_some_and(sql)
            || i.keys
                .iter()
                .any(|k| matches!(&k.target, IndexTarget::Expression(e) if sql(e)))
    };
    let table = |t: &Table| {
        t.columns.iter().any(column)
            || t.checks.iter().any(|c| sql(&c.expr))
            || t.indexes.iter().any(index)
    };
    match op {
        Operation::CreateTable { table: t } | Operation::DropTable { table: t } => table(t),
        Operation::AddColumn {
            column: c,
            backfill,
            ..
        } => column(c) || defaults(&[backfill]),
        Operation::DropColumn { column: c, .. } => column(c),
        Operation::AlterColumnType {
            from_default,
            to_default,
            ..
        } => defaults(&[from_default, to_default]),
        Operation::SetNotNull { backfill, .. } => defaults(&[backfill]),
        Operation::AlterDefault { from, to, .. } => defaults(&[from, to]),
        Operation::AddCheck { check, .. } | Operation::DropCheck { check, .. } => sql(&check.expr),
        Operation::CreateIndex { index: i, .. } | Operation::DropIndex { index: i, .. } => index(i),
        Operation::RecreateEnum {
            usages, dependents, ..
        } => {
            usages
                .iter()
                .any(|u| defaults(&[&u.default, &u.default_after]))
                || dependents.iter().any(|d| match d {
                    EnumDependent::Check { check, .. } => sql(&check.expr),
                    EnumDependent::Index { index: i, .. } => index(i),
                })
        }
        _ => false,
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

pub(super) fn strip_enum_hints(definition: &Enum) -> Enum {
    Enum {
        name: definition.name.clone(),
        values: definition
            .values
            .iter()
            .map(|v| EnumValue {
                name: v.name.clone(),
                renamed_from: None,
            })
            .collect(),
    }
}

/// Dropped tables: foreign keys between them that form cycles, and foreign keys to kept tables
/// (a kept table's key may be about to change under them), are dropped first; then the tables,
/// referencing tables first, each as `adjust` leaves it (how its down re-creates it).
pub(super) fn drop_tables(dropped: &[&Table], phases: &mut Phases, adjust: impl Fn(&mut Table)) {
    let names: BTreeSet<&str> = dropped.iter().map(|t| t.name.as_str()).collect();
    let (order, cycle_fks) = dependency_order(dropped, &names);
    for (table, fk) in &cycle_fks {
        phases.push(Operation::DropForeignKey {
            table: table.clone(),
            foreign_key: fk.clone(),
        });
    }
    for table in &order {
        for fk in &table.foreign_keys {
            if !names.contains(fk.ref_table.as_str()) {
                phases.push(Operation::DropForeignKey {
                    table: table.name.clone(),
                    foreign_key: fk.clone(),
                });
            }
        }
    }
    for table in order.iter().rev() {
        let mut table = (*table).clone();
        adjust(&mut table);
        table.foreign_keys.retain(|fk| {
            names.contains(fk.ref_table.as_str())
                && !cycle_fks
                    .iter()
                    .any(|(t, c)| *t == table.name && c.name == fk.name)
        });
        phases.push(Operation::DropTable { table });
    }
}

/// New tables, referenced tables first; a foreign-key cycle is closed by a later
/// `AddForeignKey`.
pub(super) fn create_tables(created: &[&Table], phases: &mut Phases) {
    let names: BTreeSet<&str> = created.iter().map(|t| t.name.as_str()).collect();
    let (order, cycle_fks) = dependency_order(created, &names);
    for table in order {
        let mut table = table.clone();
        table.foreign_keys.retain(|fk| {
            !cycle_fks
                .iter()
                .any(|(t, c)| *t == table.name && c.name == fk.name)
        });
        phases.push(Operation::CreateTable { table });
    }
    for (table, fk) in cycle_fks {
        phases.push(Operation::AddForeignKey {
            table,
            foreign_key: fk,
        });
    }
}
