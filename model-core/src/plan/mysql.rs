//! MySQL's and MariaDB's planner.
//!
//! Every DDL statement of MySQL commits on its own, so no step runs in a transaction: a MySQL
//! migration is a `-- no-transaction` one, and the runner records its progress statement by
//! statement.
//!
//! # Ordering
//!
//! The phases of PostgreSQL's planner (see `plan/postgres.rs`): enum changes first, then what
//! goes away (foreign keys, other constraints and indexes, tables: referencing tables first,
//! foreign-key cycles opened first), renames, column changes, keys, new tables (referenced
//! tables first, cycles closed by a later `AddForeignKey`), indexes and checks, foreign keys,
//! comments. The down is the inverse of every step in reverse order.
//!
//! # Enums
//!
//! MySQL has no enum types: a column's type is an inline `ENUM(...)`. Creating or dropping an
//! enum needs nothing; an enum whose values change (added, renamed, removed, reordered) is one
//! [`Operation::RecreateEnum`] whose usages are every column that keeps the enum, restated
//! with the new values (rows holding a renamed value are updated on the way). A renamed enum
//! type with the same values is nothing at all (the columns keep the same inline `ENUM`).
//!
//! # The indexes InnoDB keeps for foreign keys
//!
//! A foreign key needs an index starting with its columns; when the table has none, InnoDB
//! creates one named after the foreign key, keeps it when the foreign key is dropped, and
//! drops it silently when another index covering the columns is added later. So that every
//! migration, and its down, leaves the database as a table created with the target
//! definition would be, that index is always written out, never left to InnoDB: `CREATE
//! TABLE` declares it for a foreign key no other index covers (`render/mysql.rs`); a foreign
//! key added without a covering index is preceded by it ([`Operation::CreateIndex`], named
//! after the foreign key, as InnoDB would name it); a foreign key dropped without a covering
//! index is followed by dropping it; the last index covering a foreign key that stays is
//! replaced by it before it is dropped (InnoDB refuses to drop that index otherwise); and it
//! is dropped once a new index, unique or primary key covers its foreign key. A foreign key
//! dropped and added again on the same columns (around a retyped key) keeps it.

use std::collections::BTreeSet;

use super::postgres::{create_tables, drop_tables, strip_enum_hints, Phases};
use super::{Plan, Planner, Step};
use crate::dialect::Dialect;
use crate::diff::{renamed_default, Changes, EnumChange, KeptTable};
use crate::operation::{EnumUsage, Operation};
use crate::render::mysql_covered as covered;
use crate::schema::{ColumnType, Enum, ForeignKey, Index, IndexKey, IndexTarget, Schema, Table};

/// MySQL's and MariaDB's planner.
#[derive(Debug, Clone, Copy, Default)]
pub struct MySql;

impl Planner for MySql {
    fn plan(&self, changes: &Changes<'_>, old: &Schema, new: &Schema) -> Plan {
        let mut phases = Phases::default();
        for name in &changes.extensions {
            phases.push(Operation::CreateExtension { name: name.clone() });
        }
        // Columns whose default the enum's restatement sets.
        let mut handled: BTreeSet<(String, String)> = BTreeSet::new();
        let mut warnings = Vec::new();
        for change in &changes.enums {
            if let EnumChange::Altered {
                from,
                to,
                renamed,
                removed,
                reordered,
            } = change
            {
                let usages = usages(&changes.kept, old, new, &to.name, &mut handled);
                if *reordered && removed.is_empty() && !usages.is_empty() {
                    warnings.push(format!(
                        "enum {} is reordered: every table using it is rewritten",
                        to.name
                    ));
                }
                if !usages.is_empty() {
                    phases.push(Operation::RecreateEnum {
                        from: strip_enum_hints(from),
                        to: strip_enum_hints(to),
                        renamed: renamed.clone(),
                        usages,
                        dependents: Vec::new(),
                    });
                }
            }
        }
        for table in &changes.kept {
            for op in &table.changes {
                match op {
                    Operation::AlterDefault { table, column, .. }
                        if handled.contains(&(table.clone(), column.clone())) =>
                    {
                        continue
                    }
                    // A column moving to a renamed enum type with the same values: the same
                    // inline ENUM, only its default may change.
                    Operation::AlterColumnType {
                        table,
                        column,
                        from: ColumnType::Enum { name: a },
                        to: ColumnType::Enum { name: b },
                        from_default,
                        to_default,
                    } if same_values(old.enums.get(a), new.enums.get(b)) => {
                        let rules = Dialect::Mysql.equivalence();
                        let canonical =
                            |d: &Option<_>| d.as_ref().map(|d| rules.canonical_default(d));
                        if canonical(from_default) != canonical(to_default) {
                            phases.push(Operation::AlterDefault {
                                table: table.clone(),
                                column: column.clone(),
                                from: from_default.clone(),
                                to: to_default.clone(),
                            });
                        }
                        continue;
                    }
                    _ => {}
                }
                phases.push(op.clone());
            }
        }
        drop_tables(&changes.dropped, &mut phases, |_| {});
        create_tables(&changes.created, &mut phases);
        let operations = identity_around_keys(foreign_key_indexes(phases.concat(), old, new));
        let rules = Dialect::Mysql.equivalence();
        Plan {
            steps: operations
                .into_iter()
                .map(|op| Step {
                    transactional: false,
                    ..Step::new(op, rules)
                })
                .collect(),
            boundaries: Vec::new(),
            destructive: changes.destructive.clone(),
            warnings,
        }
    }
}

/// Whether two enum types have the same values in the same order.
fn same_values(a: Option<&Enum>, b: Option<&Enum>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.value_names().eq(b.value_names()),
        _ => false,
    }
}

/// The columns of kept tables that use enum `name` before and after, named as in the old
/// schema, each with its default before and after (the default before as the value renames
/// leave it). Their new (table, column) names go into `handled`.
fn usages(
    kept: &[KeptTable<'_>],
    old: &Schema,
    new: &Schema,
    name: &str,
    handled: &mut BTreeSet<(String, String)>,
) -> Vec<EnumUsage> {
    let is_enum = |ty: &ColumnType| matches!(ty, ColumnType::Enum { name: n } if n == name);
    let mut out = Vec::new();
    for table in kept {
        for (old_col, new_col) in &table.columns {
            if !(is_enum(&old_col.ty) && is_enum(&new_col.ty)) {
                continue;
            }
            handled.insert((table.new.name.clone(), new_col.name.clone()));
            out.push(EnumUsage {
                table: table.old.name.clone(),
                column: old_col.name.clone(),
                default: old_col.default.clone(),
                default_after: new_col
                    .default
                    .as_ref()
                    .map(|d| renamed_default(d, &new_col.ty, old, new)),
                array: false,
                to_text: false,
            });
        }
    }
    out.sort_by(|a, b| (&a.table, &a.column).cmp(&(&b.table, &b.column)));
    out
}

/// `AUTO_INCREMENT` needs a key on its column: an identity that goes away goes before its
/// table's primary key is dropped, one that comes after its table's primary key is added.
fn identity_around_keys(mut operations: Vec<Operation>) -> Vec<Operation> {
    let position = |ops: &[Operation], pred: &dyn Fn(&Operation) -> bool| ops.iter().position(pred);
    let identities: Vec<Operation> = operations
        .iter()
        .filter(|op| matches!(op, Operation::AlterIdentity { .. }))
        .cloned()
        .collect();
    for identity in identities {
        let Operation::AlterIdentity { table, to, .. } = &identity else {
            continue;
        };
        let Some(at) = position(&operations, &|op| *op == identity) else {
            continue;
        };
        if to.is_none() {
            // The key is dropped under the table's name before a rename the identity change
            // comes after: matched, and moved, under that name.
            let drop_key = operations.iter().enumerate().find_map(|(k, op)| match op {
                Operation::DropPrimaryKey { table: t, .. }
                    if k < at && renamed_to(&operations[k..at], t) == *table =>
                {
                    Some((k, t.clone()))
                }
                _ => None,
            });
            if let Some((key_at, name)) = drop_key {
                let mut op = operations.remove(at);
                if let Operation::AlterIdentity { table, .. } = &mut op {
                    *table = name;
                }
                operations.insert(key_at, op);
            }
        } else {
            let add_key = position(
                &operations,
                &|op| matches!(op, Operation::AddPrimaryKey { table: t, .. } if t == table),
            );
            if let Some(key_at) = add_key.filter(|k| *k > at) {
                let op = operations.remove(at);
                operations.insert(key_at, op);
            }
        }
    }
    operations
}

/// The name table `name` has after the renames among `operations`.
fn renamed_to(operations: &[Operation], name: &str) -> String {
    let mut name = name.to_owned();
    for op in operations {
        if let Operation::RenameTable { from, to } = op {
            if *from == name {
                name = to.clone();
            }
        }
    }
    name
}

/// The index InnoDB makes for a foreign key that no index covers.
fn fk_index(fk: &ForeignKey) -> Index {
    Index {
        name: fk.name.clone(),
        keys: fk.columns.iter().map(IndexKey::column).collect(),
        unique: false,
        method: None,
        predicate: None,
    }
}

/// `operations` with the indexes InnoDB keeps for foreign keys made explicit (see the module
/// documentation).
fn foreign_key_indexes(operations: Vec<Operation>, old: &Schema, new: &Schema) -> Vec<Operation> {
    // Foreign keys that this migration drops: (old table name, name).
    let dropped_fks: BTreeSet<(String, String)> = operations
        .iter()
        .filter_map(|op| match op {
            Operation::DropForeignKey { table, foreign_key } => {
                Some((table.clone(), foreign_key.name.clone()))
            }
            _ => None,
        })
        .collect();
    let dropped_tables: BTreeSet<String> = operations
        .iter()
        .filter_map(|op| match op {
            Operation::DropTable { table } => Some(table.name.clone()),
            _ => None,
        })
        .collect();
    let added_fks: BTreeSet<(String, String)> = operations
        .iter()
        .filter_map(|op| match op {
            Operation::AddForeignKey { table, foreign_key } => {
                Some((table.clone(), foreign_key.name.clone()))
            }
            _ => None,
        })
        .collect();
    // New table name → old name, for renamed tables.
    let old_names: std::collections::BTreeMap<String, String> = operations
        .iter()
        .filter_map(|op| match op {
            Operation::RenameTable { from, to } => Some((to.clone(), from.clone())),
            _ => None,
        })
        .collect();
    // Foreign keys dropped and added again on the same columns, without a covering index
    // before or after (a retyped key): their own index stays. (old table, name).
    let readded: BTreeSet<(String, String)> = operations
        .iter()
        .filter_map(|op| match op {
            Operation::AddForeignKey { table, foreign_key } => {
                let old_table = old_names.get(table).unwrap_or(table);
                let before = old.tables.get(old_table)?;
                let after = new.tables.get(table)?;
                let old_fk = before
                    .foreign_keys
                    .iter()
                    .find(|f| f.name == foreign_key.name)?;
                (old_fk.columns == foreign_key.columns
                    && dropped_fks.contains(&(old_table.clone(), foreign_key.name.clone()))
                    && !covered(before, &old_fk.columns)
                    && !covered(after, &foreign_key.columns))
                .then(|| (old_table.clone(), foreign_key.name.clone()))
            }
            _ => None,
        })
        .collect();
    // The old tables as they are after this migration's index and unique drops, built up
    // while going through the operations.
    let mut current: std::collections::BTreeMap<String, Table> = old.tables.clone();
    // Foreign keys whose own index this migration drops because another now covers them.
    let mut relieved: BTreeSet<(String, String)> = BTreeSet::new();
    let mut out = Vec::with_capacity(operations.len());
    for op in operations {
        let covering: Option<(&String, Vec<String>)> = match &op {
            Operation::CreateIndex { table, index } if index.predicate.is_none() => Some((
                table,
                index
                    .keys
                    .iter()
                    .map_while(|k| match &k.target {
                        IndexTarget::Column(c) => Some(c.clone()),
                        IndexTarget::Expression(_) => None,
                    })
                    .collect(),
            )),
            Operation::AddUnique { table, unique } => Some((table, unique.columns.clone())),
            Operation::AddPrimaryKey { table, key } => Some((table, key.columns.clone())),
            _ => None,
        };
        if let Some((table, columns)) = covering {
            // A foreign key that stays and had only its own index is now covered by this one:
            // its own index goes, as a table created with both would not have it.
            let table = table.clone();
            out.push(op);
            let old_name = old_names.get(&table).unwrap_or(&table).clone();
            let (Some(t_new), Some(t_old)) = (new.tables.get(&table), current.get(&old_name))
            else {
                continue;
            };
            for fk in &t_new.foreign_keys {
                let key = (table.clone(), fk.name.clone());
                if added_fks.contains(&key)
                    || relieved.contains(&key)
                    || dropped_fks.contains(&(old_name.clone(), fk.name.clone()))
                    || !columns.starts_with(&fk.columns)
                {
                    continue;
                }
                let Some(old_fk) = t_old.foreign_keys.iter().find(|f| f.name == fk.name) else {
                    continue;
                };
                let mut others = t_old.clone();
                others.indexes.retain(|i| i.name != fk.name);
                if covered(&others, &old_fk.columns) {
                    continue;
                }
                relieved.insert(key);
                out.push(Operation::DropIndex {
                    table: table.clone(),
                    index: fk_index(fk),
                });
            }
            continue;
        }
        match &op {
            Operation::AddForeignKey { table, foreign_key } => {
                let covered_now = new
                    .tables
                    .get(table)
                    .is_some_and(|t| covered(t, &foreign_key.columns));
                let old_table = old_names.get(table).unwrap_or(table).clone();
                if !covered_now && !readded.contains(&(old_table, foreign_key.name.clone())) {
                    out.push(Operation::CreateIndex {
                        table: table.clone(),
                        index: fk_index(foreign_key),
                    });
                }
                out.push(op);
            }
            Operation::DropForeignKey { table, foreign_key } => {
                let uncovered = current
                    .get(table)
                    .is_some_and(|t| !covered(t, &foreign_key.columns))
                    && !readded.contains(&(table.clone(), foreign_key.name.clone()));
                out.push(op.clone());
                if uncovered {
                    out.push(Operation::DropIndex {
                        table: table.clone(),
                        index: fk_index(foreign_key),
                    });
                }
            }
            Operation::DropIndex { table, index } => {
                let name = index.name.clone();
                let table = table.clone();
                if let Some(t) = current.get_mut(&table) {
                    let before = needing_index(t, &table, &dropped_fks, &dropped_tables);
                    t.indexes.retain(|i| i.name != name);
                    let mut needing = needing_index(t, &table, &dropped_fks, &dropped_tables);
                    needing.retain(|fk| !before.contains(fk));
                    for fk in needing {
                        out.push(Operation::CreateIndex {
                            table: table.clone(),
                            index: fk_index(&fk),
                        });
                        t.indexes.push(fk_index(&fk));
                    }
                }
                out.push(op);
            }
            Operation::DropUnique { table, unique } => {
                let name = unique.name.clone();
                let table = table.clone();
                if let Some(t) = current.get_mut(&table) {
                    let before = needing_index(t, &table, &dropped_fks, &dropped_tables);
                    t.uniques.retain(|u| u.name != name);
                    let mut needing = needing_index(t, &table, &dropped_fks, &dropped_tables);
                    needing.retain(|fk| !before.contains(fk));
                    for fk in needing {
                        out.push(Operation::CreateIndex {
                            table: table.clone(),
                            index: fk_index(&fk),
                        });
                        t.indexes.push(fk_index(&fk));
                    }
                }
                out.push(op);
            }
            _ => out.push(op),
        }
    }
    out
}

/// The foreign keys of `t` that stay in this migration and that no index of `t` covers.
fn needing_index(
    t: &Table,
    name: &str,
    dropped_fks: &BTreeSet<(String, String)>,
    dropped_tables: &BTreeSet<String>,
) -> Vec<ForeignKey> {
    if dropped_tables.contains(name) {
        return Vec::new();
    }
    t.foreign_keys
        .iter()
        .filter(|fk| !dropped_fks.contains(&(name.to_owned(), fk.name.clone())))
        .filter(|fk| !covered(t, &fk.columns))
        .cloned()
        .collect()
}
