//! Online forms of PostgreSQL steps: what a migration runs on a table that already holds rows
//! so that the application's writes go on while it runs.
//!
//! A plain `CREATE INDEX` blocks every write to its table until the index is built; `ADD
//! FOREIGN KEY`, `ADD CHECK` and `SET NOT NULL` read the whole table under a lock that blocks
//! writes. On a table that exists before the migration (one it creates has no rows, and needs
//! none of this), [`online`] rewrites them:
//!
//! | plain step | online steps |
//! |---|---|
//! | `CREATE INDEX` | `CREATE INDEX CONCURRENTLY` (outside a transaction) |
//! | `DROP INDEX` | `DROP INDEX CONCURRENTLY IF EXISTS` (outside a transaction) |
//! | `ADD UNIQUE` / `PRIMARY KEY` | the unique index built concurrently, then `ADD CONSTRAINT ... USING INDEX` |
//! | `ADD FOREIGN KEY` / `CHECK` | `ADD ... NOT VALID`, then `VALIDATE CONSTRAINT` |
//! | `SET NOT NULL` | NULLs filled in committed batches (with a backfill), `ADD CHECK (c IS NOT NULL) NOT VALID`, `VALIDATE`, `SET NOT NULL` (which uses the validated check instead of a scan), the check dropped |
//!
//! A plan with a step that cannot run in a transaction is written as a `-- no-transaction`
//! migration: the runner then runs it statement by statement, each committed on its own (so
//! that a validation never holds the lock its `ADD ... NOT VALID` took), records its progress,
//! and resumes at the failed statement or reverts exactly what ran.

use std::collections::BTreeSet;

use super::{Plan, Step};
use crate::naming;
use crate::operation::Operation;
use crate::schema::{Check, Index, IndexKey, Schema};

/// `plan` (a part without boundaries, leading from `before`) with the online forms of its
/// steps on tables that `before` has.
pub fn online(plan: Plan, before: &Schema) -> Plan {
    debug_assert!(plan.boundaries.is_empty(), "split the plan first");
    let mut existing: BTreeSet<String> = before.tables.keys().cloned().collect();
    let mut steps = Vec::with_capacity(plan.steps.len());
    for step in plan.steps {
        match &step.operation {
            Operation::RenameTable { from, to } if existing.remove(from) => {
                existing.insert(to.clone());
            }
            Operation::DropTable { table } => {
                existing.remove(&table.name);
            }
            _ => {}
        }
        let table = match table_of(&step.operation) {
            Some(table) if existing.contains(table) => table.to_owned(),
            _ => {
                steps.push(step);
                continue;
            }
        };
        for (operation, transactional) in online_steps(&table, step.operation.clone()) {
            steps.push(Step {
                operation,
                destructive: step.destructive,
                transactional,
            });
        }
    }
    Plan { steps, ..plan }
}

/// The table an operation that has an online form works on.
fn table_of(op: &Operation) -> Option<&str> {
    use Operation::*;
    match op {
        CreateIndex { table, .. }
        | DropIndex { table, .. }
        | AddUnique { table, .. }
        | AddPrimaryKey { table, .. }
        | AddForeignKey { table, .. }
        | AddCheck { table, .. }
        | SetNotNull { table, .. } => Some(table),
        _ => None,
    }
}

/// The online steps for `op` on the existing `table`, each with whether it may share a
/// transaction with other steps: a validation or a batched fill may not (it would hold the
/// locks the steps before it took), so a plan with online steps is never one transaction.
fn online_steps(table: &str, op: Operation) -> Vec<(Operation, bool)> {
    use Operation::*;
    let table = table.to_owned();
    let unique_index = |name: &str, columns: &[String]| Index {
        name: name.to_owned(),
        keys: columns.iter().map(IndexKey::column).collect(),
        unique: true,
        method: None,
        predicate: None,
    };
    match op {
        CreateIndex { index, .. } => vec![(CreateIndexConcurrently { table, index }, false)],
        DropIndex { index, .. } => vec![(DropIndexConcurrently { table, index }, false)],
        AddUnique { unique, .. } => vec![
            (
                CreateIndexConcurrently {
                    table: table.clone(),
                    index: unique_index(&unique.name, &unique.columns),
                },
                false,
            ),
            (AddUniqueUsingIndex { table, unique }, true),
        ],
        AddPrimaryKey { key, .. } => vec![
            (
                CreateIndexConcurrently {
                    table: table.clone(),
                    index: unique_index(&key.name, &key.columns),
                },
                false,
            ),
            (AddPrimaryKeyUsingIndex { table, key }, true),
        ],
        AddForeignKey { foreign_key, .. } => vec![
            (
                AddForeignKeyNotValid {
                    table: table.clone(),
                    foreign_key: foreign_key.clone(),
                },
                true,
            ),
            (
                ValidateConstraint {
                    table,
                    name: foreign_key.name,
                },
                false,
            ),
        ],
        AddCheck { check, .. } => vec![
            (
                AddCheckNotValid {
                    table: table.clone(),
                    check: check.clone(),
                },
                true,
            ),
            (
                ValidateConstraint {
                    table,
                    name: check.name,
                },
                false,
            ),
        ],
        SetNotNull {
            column, backfill, ..
        } => {
            let check = Check {
                name: naming::fit(&format!("ck_{table}_{column}_not_null")),
                expr: format!(
                    "{} IS NOT NULL",
                    crate::dialect::SqlDialect::ident(&crate::dialect::Postgres, &column)
                ),
            };
            let mut out = Vec::new();
            if let Some(value) = backfill {
                out.push((
                    FillNulls {
                        table: table.clone(),
                        column: column.clone(),
                        value,
                    },
                    false,
                ));
            }
            out.extend([
                (
                    AddCheckNotValid {
                        table: table.clone(),
                        check: check.clone(),
                    },
                    true,
                ),
                (
                    ValidateConstraint {
                        table: table.clone(),
                        name: check.name.clone(),
                    },
                    false,
                ),
                (
                    SetNotNull {
                        table: table.clone(),
                        column,
                        backfill: None,
                    },
                    true,
                ),
                (DropCheckNotValid { table, check }, true),
            ]);
            out
        }
        other => vec![(other, true)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Table;

    /// A validation never shares a transaction with the `ADD ... NOT VALID` before it, with or
    /// without a fill before them: the plan is never one transaction.
    #[test]
    fn every_validation_runs_on_its_own() {
        let table: Table = serde_json::from_str(
            r#"{"name": "notes", "columns": [{"name": "body", "type": {"kind": "text"}, "nullable": true}],
                "primary_key": {"name": "pk_notes", "columns": []}}"#,
        )
        .unwrap();
        let mut before = Schema::new();
        before.tables.insert("notes".into(), table);
        for backfill in [None, Some(crate::schema::ColumnDefault::Sql("''".into()))] {
            let plan = Plan {
                steps: vec![Step {
                    operation: Operation::SetNotNull {
                        table: "notes".into(),
                        column: "body".into(),
                        backfill: backfill.clone(),
                    },
                    destructive: false,
                    transactional: true,
                }],
                ..Plan::default()
            };
            let online = online(plan, &before);
            assert!(!online.transactional(), "{backfill:?}");
            for step in &online.steps {
                if matches!(step.operation, Operation::ValidateConstraint { .. }) {
                    assert!(!step.transactional);
                }
            }
        }
    }
}
