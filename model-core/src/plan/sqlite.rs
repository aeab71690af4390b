//! SQLite's planner: native `ALTER TABLE` where SQLite has it, one rebuild per table otherwise.
//!
//! SQLite's `ALTER TABLE` renames tables and columns, adds columns (nullable, or with a constant
//! default) and drops them; indexes are created and dropped on their own. Any other change of a
//! kept table (a type, nullability, a default, a key, a unique, a check, a foreign key, a
//! constraint's name, an enum's values) rebuilds it, with all of that table's changes in the
//! one rebuild ([`Operation::RebuildTable`]): its rows are copied, renamed columns follow their
//! values, renamed enum values are mapped, and declared backfills fill NULLs.
//!
//! Every step runs in the migration's transaction. Rebuilds and drops of tables that others
//! reference need foreign keys off, which SQLite only allows outside a transaction: the runner
//! switches them off around each migration, and the renderer guards such steps.

use std::collections::{BTreeMap, BTreeSet};

use super::{Plan, Planner, Step};
use crate::dialect::Dialect;
use crate::diff::{dependency_order, Changes, EnumChange, KeptTable};
use crate::operation::Operation;
use crate::schema::{ColumnDefault, ColumnType, Schema};

/// SQLite's planner.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sqlite;

impl Planner for Sqlite {
    fn plan(&self, changes: &Changes<'_>, _old: &Schema, _new: &Schema) -> Plan {
        let rules = Dialect::Sqlite.equivalence();
        let mut steps: Vec<Step> = Vec::new();
        let mut push = |op: Operation| steps.push(Step::new(op, rules));
        // Extensions do not exist in SQLite: the renderer refuses them, naming the table.
        for name in &changes.extensions {
            push(Operation::CreateExtension { name: name.clone() });
        }
        // Enum types do not exist either: values are CHECKs, which rebuild the tables using
        // them. Renamed values are mapped while the rows are copied.
        let mut altered: BTreeMap<&str, &[(String, String)]> = BTreeMap::new();
        for change in &changes.enums {
            if let EnumChange::Altered { to, renamed, .. } = change {
                altered.insert(to.name.as_str(), renamed);
            }
        }
        // Referencing tables are dropped before the tables they reference, and created after
        // them, so that the down of a migration drops them in an order that needs no guard.
        // (SQLite takes a reference to a table that does not exist yet, so cycles need no
        // special step.)
        let names: BTreeSet<&str> = changes.dropped.iter().map(|t| t.name.as_str()).collect();
        let (dropped, _) = dependency_order(&changes.dropped, &names);
        for table in dropped.into_iter().rev() {
            push(Operation::DropTable {
                table: table.clone(),
            });
        }
        for kept in &changes.kept {
            let uses_altered = kept
                .new
                .columns
                .iter()
                .any(|c| enum_of(&c.ty).is_some_and(|n| altered.contains_key(n)));
            if !uses_altered && kept.changes.iter().all(|op| native(op, kept)) {
                for op in in_place(kept) {
                    push(op);
                }
            } else {
                // A renamed table is rebuilt under its new name directly.
                push(rebuild(kept, &altered));
            }
        }
        let names: BTreeSet<&str> = changes.created.iter().map(|t| t.name.as_str()).collect();
        let (created, _) = dependency_order(&changes.created, &names);
        for table in created {
            push(Operation::CreateTable {
                table: table.clone(),
            });
        }
        // Comments are not stored by SQLite: nothing to do for them.
        Plan {
            steps,
            boundaries: Vec::new(),
            destructive: changes.destructive.clone(),
            warnings: Vec::new(),
        }
    }
}

/// The enum type of a column, if it has one.
fn enum_of(ty: &ColumnType) -> Option<&str> {
    match ty {
        ColumnType::Enum { name } => Some(name),
        _ => None,
    }
}

/// Whether SQLite's `ALTER TABLE` (or `CREATE`/`DROP INDEX`) does `op` in place.
fn native(op: &Operation, kept: &KeptTable<'_>) -> bool {
    match op {
        // An enum column's CHECK is named after the table and the column: renaming either
        // renames the check, which only a rebuild can do.
        Operation::RenameTable { .. } => !kept.new.columns.iter().any(|c| enum_of(&c.ty).is_some()),
        Operation::RenameColumn { to, .. } => {
            kept.new.column(to).is_none_or(|c| enum_of(&c.ty).is_none())
        }
        Operation::CreateIndex { .. }
        | Operation::DropIndex { .. }
        | Operation::RenameIndex { .. }
        | Operation::SetTableComment { .. }
        | Operation::SetColumnComment { .. } => true,
        // Nullable, or with a constant default; no CHECK (an enum), no identity, no backfill.
        Operation::AddColumn {
            column, backfill, ..
        } => {
            backfill.is_none()
                && column.identity.is_none()
                && enum_of(&column.ty).is_none()
                && match &column.default {
                    None => column.nullable,
                    Some(ColumnDefault::Value(_)) => true,
                    Some(ColumnDefault::Sql(_)) => false,
                }
        }
        // Its inverse adds it back: a NOT NULL column without a default cannot be added.
        Operation::DropColumn { column, .. } => {
            (column.nullable || column.default.is_some()) && enum_of(&column.ty).is_none()
        }
        _ => false,
    }
}

/// A kept table's changes done in place: dropped indexes, renames, dropped and added columns,
/// created indexes (an index rename is a drop and a create: SQLite cannot rename an index).
fn in_place(kept: &KeptTable<'_>) -> Vec<Operation> {
    let mut renames = Vec::new();
    let mut drops = Vec::new();
    let mut dropped_columns = Vec::new();
    let mut added_columns = Vec::new();
    let mut creates = Vec::new();
    for op in &kept.changes {
        match op {
            Operation::RenameTable { .. } | Operation::RenameColumn { .. } => {
                renames.push(op.clone())
            }
            Operation::DropIndex { .. } => drops.push(op.clone()),
            Operation::DropColumn { .. } => dropped_columns.push(op.clone()),
            Operation::AddColumn { .. } => added_columns.push(op.clone()),
            Operation::CreateIndex { .. } => creates.push(op.clone()),
            Operation::RenameIndex { table, from, to } => {
                let old = kept.old.indexes.iter().find(|i| i.name == *from);
                let new = kept.new.indexes.iter().find(|i| i.name == *to);
                if let (Some(old), Some(new)) = (old, new) {
                    drops.push(Operation::DropIndex {
                        table: table.clone(),
                        index: old.clone(),
                    });
                    creates.push(Operation::CreateIndex {
                        table: table.clone(),
                        index: new.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    // Index drops name things as they were, before the renames, so that their inverses (in
    // the down) run after the renames are undone; as PostgreSQL's planner orders them.
    [drops, renames, dropped_columns, added_columns, creates].concat()
}

/// One rebuild carrying all of a kept table's changes.
fn rebuild(kept: &KeptTable<'_>, altered: &BTreeMap<&str, &[(String, String)]>) -> Operation {
    let from = kept.old.clone();
    let mut fill = Vec::new();
    for op in &kept.changes {
        match op {
            Operation::AddColumn {
                column,
                backfill: Some(value),
                ..
            } => fill.push((column.name.clone(), value.clone())),
            Operation::SetNotNull {
                column,
                backfill: Some(value),
                ..
            } => fill.push((column.clone(), value.clone())),
            _ => {}
        }
    }
    let values = kept
        .columns
        .iter()
        .filter_map(|(_, new)| {
            let renames = altered.get(enum_of(&new.ty)?)?;
            (!renames.is_empty()).then(|| (new.name.clone(), renames.to_vec()))
        })
        .collect();
    Operation::RebuildTable {
        from,
        to: kept.new.clone(),
        columns: kept
            .columns
            .iter()
            .map(|(old, new)| (old.name.clone(), new.name.clone()))
            .collect(),
        fill,
        values,
    }
}
