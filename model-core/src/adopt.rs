//! The snapshot of a hand-written migration, read back from a database it was applied to.
//!
//! The catalogs spell things their own way (casts in defaults, re-printed expressions) and do
//! not know what only the models say (hints such as `renamed_from`, the extensions a table
//! declares). So each table and enum of the database that compares equal — loosely, as
//! `verify` compares — to its definition in the parent's snapshot keeps that definition; else,
//! one equal to the models' definition takes the models'; only what neither explains is kept
//! as read from the database. `check` and `generate` then see the spellings the generator
//! would have written, and report no difference where there is none.

use crate::dialect::Dialect;
use crate::diff::{diff, DiffOptions, Equivalence};
use crate::schema::{Enum, Schema, Table};

const LOOSE: DiffOptions = DiffOptions {
    allow_destructive: true,
    loose_expressions: true,
};

/// The snapshot schema for a migration whose result was read from a database (`live`), given
/// the schema before it (`before`, its parent's snapshot) and the models, when they can be read,
/// spellings compared as `dialect` prints them.
pub fn adopted_schema(
    dialect: Dialect,
    before: &Schema,
    live: &Schema,
    models: Option<&Schema>,
) -> Schema {
    let rules = dialect.equivalence();
    let mut out = Schema::new();
    for (name, table) in &live.tables {
        let candidates = [
            before.tables.get(name),
            models.and_then(|m| m.tables.get(name)),
        ];
        let chosen = candidates
            .into_iter()
            .flatten()
            .find(|c| same_table(rules, c, table, live))
            .unwrap_or(table);
        out.tables.insert(name.clone(), chosen.clone());
    }
    for (name, definition) in &live.enums {
        let candidates = [
            before.enums.get(name),
            models.and_then(|m| m.enums.get(name)),
        ];
        let chosen = candidates
            .into_iter()
            .flatten()
            .find(|c| same_values(c, definition))
            .unwrap_or(definition);
        out.enums.insert(name.clone(), chosen.clone());
    }
    out
}

/// Whether two definitions of one table differ only in how they are spelled. Both are
/// compared against the database's enums, so that only the table itself counts.
fn same_table(rules: &dyn Equivalence, candidate: &Table, live: &Table, schema: &Schema) -> bool {
    let alone = |table: &Table| Schema {
        tables: [(table.name.clone(), table.clone())].into_iter().collect(),
        enums: schema.enums.clone(),
    };
    diff(&alone(candidate), &alone(live), rules, LOOSE).is_ok_and(|plan| plan.is_empty())
}

fn same_values(candidate: &Enum, live: &Enum) -> bool {
    candidate.values.len() == live.values.len()
        && candidate
            .values
            .iter()
            .zip(&live.values)
            .all(|(a, b)| a.name == b.name)
}
