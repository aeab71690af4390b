//! Expand/contract: a change that would break the version of the application still running
//! during a deploy, written as two migrations (PostgreSQL).
//!
//! - **Expand**, applied before the deploy: everything the change adds, while what the running
//!   version uses stays. A renamed column is added under its new name as a copy of the old one,
//!   kept equal to it by a trigger in both directions (the running version writes the old
//!   column, the next version the new one) and copied for existing rows in committed batches.
//!   A column that becomes NOT NULL stays nullable, its NULLs filled from `backfill_sql`.
//!   A dropped column stays (nullable), a dropped table stays.
//! - **Contract**, applied once no instance of the previous version runs: dropped columns and
//!   tables go, the old column of a rename and its trigger go, the new column gets its default and NOT NULL; a column that becomes NOT
//!   NULL has the NULLs written since the expand filled, then its constraint (through a
//!   validated check).
//!
//! Both are reversible, and both use the online forms ([`super::online`]). A column type
//! change cannot be split this way yet.

use super::{online, plan, Plan, Step};
use crate::dialect::Dialect;
use crate::diff::{DiffError, DiffOptions};
use crate::operation::Operation;
use crate::schema::{ColumnDefault, IndexTarget, Schema};

/// Why a change cannot be split into expand and contract.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhasedError {
    /// The diff.
    #[error(transparent)]
    Diff(#[from] DiffError),
    /// Something the split does not handle.
    #[error("--phased cannot split this change: {0}")]
    Unsupported(String),
}

/// One of the two migrations: the schema it leaves, its plan, and its phase.
#[derive(Debug, Clone)]
pub struct Phase {
    /// The schema after it.
    pub schema: Schema,
    /// Its steps.
    pub plan: Plan,
    /// `expand` or `contract`.
    pub name: &'static str,
}

/// The expand and contract migrations from `old` to `new`, or `None` when nothing in the
/// change breaks the running version (a column renamed, made NOT NULL or dropped, a table
/// dropped).
pub fn phased(
    old: &Schema,
    new: &Schema,
    options: DiffOptions,
) -> Result<Option<[Phase; 2]>, PhasedError> {
    let full = plan(Dialect::Postgres, old, new, options)?;
    let mut renames: Vec<(String, String, String)> = Vec::new();
    let mut not_null: Vec<(String, String)> = Vec::new();
    let renamed_tables: Vec<&str> = full
        .steps
        .iter()
        .filter_map(|s| match &s.operation {
            Operation::RenameTable { to, .. } => Some(to.as_str()),
            _ => None,
        })
        .collect();
    for step in &full.steps {
        match &step.operation {
            Operation::RenameColumn { table, from, to } => {
                if renamed_tables.contains(&table.as_str()) {
                    return Err(PhasedError::Unsupported(format!(
                        "column {from} of table {table} is renamed with its table; rename the table in a migration of its own"
                    )));
                }
                renames.push((table.clone(), from.clone(), to.clone()));
            }
            Operation::SetNotNull { table, column, .. } if old.tables.contains_key(table) => {
                not_null.push((table.clone(), column.clone()));
            }
            Operation::AddColumn {
                table,
                column,
                backfill: Some(_),
            } if old.tables.contains_key(table) && !column.nullable && column.default.is_none() => {
                not_null.push((table.clone(), column.name.clone()));
            }
            Operation::AlterColumnType { table, column, .. } => {
                return Err(PhasedError::Unsupported(format!(
                    "the type of {table}.{column} changes; a type change is not split yet (generate it without --phased)"
                )));
            }
            _ => {}
        }
    }
    // Dropped columns and tables: the running version still uses them.
    let dropped_columns: Vec<(String, crate::schema::Column)> = full
        .steps
        .iter()
        .filter_map(|s| match &s.operation {
            Operation::DropColumn { table, column } if old.tables.contains_key(table) => {
                Some((table.clone(), column.clone()))
            }
            _ => None,
        })
        .collect();
    let dropped_tables: Vec<&str> = full
        .steps
        .iter()
        .filter_map(|s| match &s.operation {
            Operation::DropTable { table } => Some(table.name.as_str()),
            _ => None,
        })
        .collect();
    if renames.is_empty()
        && not_null.is_empty()
        && dropped_columns.is_empty()
        && dropped_tables.is_empty()
    {
        return Ok(None);
    }

    // The schema between the phases: the new one, with the old columns (and what uses them)
    // still there, and the new or NOT NULL columns still nullable and without defaults.
    let mut mid = new.clone();
    for (table, from, to) in &renames {
        let before = &old.tables[table];
        let (Some(old_column), Some(t)) = (before.column(from), mid.tables.get_mut(table)) else {
            continue;
        };
        if before.primary_key.columns.contains(from) {
            return Err(PhasedError::Unsupported(format!(
                "{table}.{from} is part of the primary key"
            )));
        }
        if let Some(c) = t.columns.iter_mut().find(|c| c.name == *to) {
            c.renamed_from = None;
            c.nullable = true;
            c.default = None;
            c.backfill_sql = None;
        }
        t.columns.push(crate::schema::Column {
            renamed_from: None,
            ..old_column.clone()
        });
        let clash = |what: &str, name: &str| {
            PhasedError::Unsupported(format!(
                "{what} {name} on {table}.{from} keeps its name after the rename; both columns need one each while both exist (name the new one differently)"
            ))
        };
        for index in &before.indexes {
            let uses = index
                .keys
                .iter()
                .any(|k| matches!(&k.target, IndexTarget::Column(c) if c == from));
            if uses {
                if t.indexes.iter().any(|i| i.name == index.name) {
                    return Err(clash("index", &index.name));
                }
                t.indexes.push(index.clone());
            }
        }
        for unique in before.uniques.iter().filter(|u| u.columns.contains(from)) {
            if t.uniques.iter().any(|u| u.name == unique.name) {
                return Err(clash("unique", &unique.name));
            }
            t.uniques.push(unique.clone());
        }
        for fk in before
            .foreign_keys
            .iter()
            .filter(|f| f.columns.contains(from))
        {
            if t.foreign_keys.iter().any(|f| f.name == fk.name) {
                return Err(clash("foreign key", &fk.name));
            }
            t.foreign_keys.push(fk.clone());
        }
        t.normalize();
    }
    // Dropped in the contract; nullable meanwhile, since the next version no longer writes them.
    for (table, column) in &dropped_columns {
        if let Some(t) = mid.tables.get_mut(table) {
            t.columns.push(crate::schema::Column {
                nullable: true,
                ..column.clone()
            });
        }
    }
    for name in &dropped_tables {
        if let Some(table) = old.tables.get(*name) {
            mid.tables.insert((*name).to_owned(), table.clone());
        }
    }
    for (table, column) in &not_null {
        if let Some(c) = mid
            .tables
            .get_mut(table)
            .and_then(|t| t.columns.iter_mut().find(|c| c.name == *column))
        {
            c.nullable = true;
        }
    }

    // Expand: the renamed columns become synced copies; NULLs are filled.
    let mut expand = online(plan(Dialect::Postgres, old, &mid, options)?, old);
    for step in &mut expand.steps {
        if let Operation::AddColumn { table, column, .. } = &step.operation {
            if let Some((_, from, _)) = renames
                .iter()
                .find(|(t, _, to)| t == table && *to == column.name)
            {
                let final_column = new.tables[table]
                    .column(&column.name)
                    .cloned()
                    .unwrap_or_else(|| column.clone());
                step.operation = Operation::AddColumnCopy {
                    table: table.clone(),
                    column: crate::schema::Column {
                        renamed_from: None,
                        ..final_column
                    },
                    from: from.clone(),
                };
                step.transactional = false;
            }
        }
    }
    for (table, column) in &not_null {
        if let Some(value) = fill_value(new, table, column) {
            expand.steps.push(Step {
                operation: Operation::FillNulls {
                    table: table.clone(),
                    column: column.clone(),
                    value,
                },
                destructive: false,
                transactional: false,
            });
        }
    }

    // Contract: the old columns and their triggers go; constraints and defaults come.
    let allow = DiffOptions {
        allow_destructive: true,
        ..options
    };
    let mut contract = online(plan(Dialect::Postgres, &mid, new, allow)?, &mid);
    let mut steps = Vec::with_capacity(contract.steps.len() + renames.len());
    for step in contract.steps {
        let copy = match &step.operation {
            Operation::DropColumn { table, column } => renames
                .iter()
                .find(|(t, from, _)| t == table && *from == column.name)
                .map(|(_, _, to)| (table.clone(), column.clone(), to.clone())),
            _ => None,
        };
        let Some((table, column, to)) = copy else {
            steps.push(step);
            continue;
        };
        // Nullable and without its default first, so that reverting gives them back once it
        // is copied back.
        if column.default.is_some() {
            steps.push(Step {
                operation: Operation::AlterDefault {
                    table: table.clone(),
                    column: column.name.clone(),
                    from: column.default.clone(),
                    to: None,
                },
                destructive: false,
                transactional: true,
            });
        }
        if !column.nullable {
            steps.push(Step {
                operation: Operation::DropNotNull {
                    table: table.clone(),
                    column: column.name.clone(),
                },
                destructive: false,
                transactional: true,
            });
        }
        steps.push(Step {
            operation: Operation::DropColumnCopy {
                table,
                column,
                from: to,
            },
            destructive: false,
            transactional: false,
        });
    }
    contract.steps = steps;
    contract.destructive.retain(|d| {
        !renames
            .iter()
            .any(|(t, from, _)| d.contains(&format!("{t}.{from}")))
    });
    if !options.allow_destructive && contract.steps.iter().any(|s| s.destructive) {
        return Err(PhasedError::Diff(DiffError::Destructive {
            changes: contract.destructive.clone(),
        }));
    }
    Ok(Some([
        Phase {
            schema: mid,
            plan: expand,
            name: "expand",
        },
        Phase {
            schema: new.clone(),
            plan: contract,
            name: "contract",
        },
    ]))
}

/// What fills a column's NULLs: its `backfill_sql`, else its default.
fn fill_value(schema: &Schema, table: &str, column: &str) -> Option<ColumnDefault> {
    let c = schema.tables.get(table)?.column(column)?;
    c.backfill_sql
        .clone()
        .map(ColumnDefault::Sql)
        .or_else(|| c.default.clone())
}
