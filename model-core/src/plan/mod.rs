//! The planner: the diff's [`Changes`] → the ordered [`Step`]s of a migration, for one dialect.
//!
//! A planner knows one database and no connection: in what order its statements must run so
//! that every object exists before it is used, which operations its database needs beyond the
//! dialect-free ones (PostgreSQL swaps an enum type under its columns), which steps may run
//! inside a transaction, and where a migration must be committed before it goes on (a
//! [`Boundary`]): a migration is split there into several.
//!
//! [`plan`] runs the diff and the dialect's planner; [`Plan::split`] cuts a plan at its
//! boundaries, each part with the schema it leaves behind.

mod mysql;
mod online;
mod phased;
mod postgres;
mod sqlite;

use crate::dialect::Dialect;
use crate::diff::{diff, Changes, DiffError, DiffOptions, Equivalence};
use crate::operation::Operation;
use crate::schema::{ForeignKey, Schema};

pub use mysql::MySql;
pub use online::online;
pub use phased::{phased, Phase, PhasedError};
pub use postgres::Postgres;
pub use sqlite::Sqlite;

/// One step of a migration: an operation, its exact inverse, and how it may run.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// What the step does.
    pub operation: Operation,
    /// Whether the step loses data (see [`Plan::destructive`] for what).
    pub destructive: bool,
    /// Whether the step may run inside a transaction with the others.
    pub transactional: bool,
}

impl Step {
    /// A step that may run in a transaction; destructive when its operation is (types
    /// compared by `rules`).
    pub fn new(operation: Operation, rules: &dyn Equivalence) -> Self {
        Self {
            destructive: loses_data(&operation, rules),
            operation,
            transactional: true,
        }
    }

    /// The operation that undoes this step (none for a step that needs no undoing, such as
    /// creating an extension).
    pub fn inverse(&self) -> Option<Operation> {
        self.operation.inverse()
    }
}

/// Whether `operation` loses data: a dropped table or column, a narrowed type, an enum type
/// swapped for one without some of its values.
fn loses_data(operation: &Operation, rules: &dyn Equivalence) -> bool {
    match operation {
        Operation::DropTable { .. } | Operation::DropColumn { .. } => true,
        Operation::RebuildTable {
            from, to, columns, ..
        } => {
            let dropped = from
                .columns
                .iter()
                .any(|c| !columns.iter().any(|(old, _)| *old == c.name));
            let narrowed =
                columns
                    .iter()
                    .any(|(old, new)| match (from.column(old), to.column(new)) {
                        (Some(a), Some(b)) => rules.is_narrowing(&a.ty, &b.ty),
                        _ => false,
                    });
            dropped || narrowed
        }
        Operation::AlterColumnType { from, to, .. } => rules.is_narrowing(from, to),
        Operation::RecreateEnum {
            from, to, renamed, ..
        } => from.value_names().any(|value| {
            let value = renamed
                .iter()
                .find(|(old, _)| old == value)
                .map_or(value, |(_, new)| new.as_str());
            !to.value_names().any(|v| v == value)
        }),
        _ => false,
    }
}

/// A point where the migration must be committed before its next step.
#[derive(Debug, Clone, PartialEq)]
pub struct Boundary {
    /// The number of steps before the boundary.
    pub after: usize,
    /// The schema the database has at the boundary (the snapshot of the first part).
    pub schema: Schema,
    /// Why, as a few words for the first part's message (`new enum values`).
    pub reason: String,
    /// The same as a file-name suffix (`enum_values`).
    pub slug: String,
}

/// A planned migration.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    /// The up steps, in order.
    pub steps: Vec<Step>,
    /// Where the steps must be committed before going on, in order.
    pub boundaries: Vec<Boundary>,
    /// What the destructive steps lose (allowed with `allow_destructive`), for the header.
    pub destructive: Vec<String>,
    /// Things worth a reviewer's attention (missing foreign-key indexes, table rewrites).
    pub warnings: Vec<String>,
}

impl Plan {
    /// True when the schemas are equal.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The up operations, in order.
    pub fn operations(&self) -> Vec<Operation> {
        self.steps.iter().map(|s| s.operation.clone()).collect()
    }

    /// The down operations: inverses of the up operations in reverse order. Consecutive swaps
    /// of one enum type (the inverses of several added values) are merged into one swap in a
    /// migration that runs in one transaction; in one that runs statement by statement, down
    /// operation `k` must undo exactly up operation `count + 1 - k`, so that what ran of a
    /// failed up can be reverted.
    pub fn down(&self) -> Vec<Operation> {
        let merge = self.transactional();
        let mut out: Vec<Operation> = Vec::new();
        for op in self.steps.iter().rev().filter_map(Step::inverse) {
            if !merge {
                out.push(op);
                continue;
            }
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

    /// Whether every step may run inside one transaction.
    pub fn transactional(&self) -> bool {
        self.steps.iter().all(|s| s.transactional)
    }

    /// The plan cut at its boundaries: one plan per part, each with the schema it leaves
    /// (`target` for the last) and, for every part but the last, its boundary's reason and
    /// slug. The destructive changes and warnings go with the last part, which holds every
    /// step that is not only there to be committed first.
    pub fn split(self, target: &Schema) -> Vec<Part> {
        let mut parts = Vec::new();
        let mut steps = self.steps.into_iter();
        let mut taken = 0;
        for boundary in self.boundaries {
            let part: Vec<Step> = steps
                .by_ref()
                .take(boundary.after.saturating_sub(taken))
                .collect();
            taken = taken.max(boundary.after);
            parts.push(Part {
                schema: boundary.schema,
                reason: Some((boundary.reason, boundary.slug)),
                plan: Plan {
                    steps: part,
                    ..Plan::default()
                },
            });
        }
        parts.push(Part {
            schema: target.clone(),
            reason: None,
            plan: Plan {
                steps: steps.collect(),
                boundaries: Vec::new(),
                destructive: self.destructive,
                warnings: self.warnings,
            },
        });
        parts
    }
}

/// One part of a split plan: a migration of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The part's steps (with no boundaries).
    pub plan: Plan,
    /// The schema the part leaves behind.
    pub schema: Schema,
    /// For a part that ends at a boundary: its reason and slug.
    pub reason: Option<(String, String)>,
}

/// Orders a dialect's steps.
pub trait Planner: Sync {
    /// The steps that carry out `changes`, which lead from `old` to `new`.
    fn plan(&self, changes: &Changes<'_>, old: &Schema, new: &Schema) -> Plan;
}

/// The planner for `dialect`.
pub fn planner(dialect: Dialect) -> &'static dyn Planner {
    match dialect {
        Dialect::Postgres => &Postgres,
        Dialect::Sqlite => &Sqlite,
        Dialect::Mysql => &MySql,
    }
}

/// Compares `old` with `new` and plans the migration between them for `dialect`.
pub fn plan(
    dialect: Dialect,
    old: &Schema,
    new: &Schema,
    options: DiffOptions,
) -> Result<Plan, DiffError> {
    let changes = diff(old, new, dialect.equivalence(), options)?;
    let mut plan = planner(dialect).plan(&changes, old, new);
    let operations = plan.operations();
    plan.warnings.extend(missing_fk_indexes(new, &operations));
    Ok(plan)
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
