//! Turning a plan into migration files: the header, one commented block per operation, and
//! the snapshot the migration leaves behind.
//!
//! A plan is written as several migrations where its planner declares a boundary (PostgreSQL
//! cannot use an enum value in the transaction that added it, so new values used at once are
//! committed by a first migration of their own).

use crate::dialect::{Dialect, RenderError};
use crate::diff::{DiffError, DiffOptions};
use crate::migration::{slug, DirectoryError, MigrationDir, NewMigration};
use crate::plan::{online, phased, plan, Part, PhasedError, Plan};
use crate::render::{render_between, RenderedOperation};
use crate::schema::Schema;
use crate::snapshot::Snapshot;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Request {
    /// The migration message.
    pub message: String,
    /// Allow destructive steps.
    pub allow_destructive: bool,
    /// Write an empty migration (for hand-written SQL) whose snapshot equals its parent's.
    pub empty: bool,
    /// The generation time (for the version).
    pub now: chrono::DateTime<chrono::Utc>,
    /// Write the online forms of steps on tables that already exist (PostgreSQL; see
    /// [`crate::plan::online`]); plain DDL otherwise, for an empty database or a maintenance
    /// window.
    pub online: bool,
}

/// Why no migration could be generated.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// The migration directory.
    #[error(transparent)]
    Directory(#[from] DirectoryError),
    /// The diff.
    #[error(transparent)]
    Diff(#[from] DiffError),
    /// Rendering SQL.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// `--phased` cannot split the change.
    #[error(transparent)]
    Phased(PhasedError),
}

/// Plans the migrations that bring `dir` to `current`: none when nothing changed, usually
/// one, two when new enum values must be committed before use.
pub fn new_migrations(
    dir: &MigrationDir,
    current: &Schema,
    request: &Request,
) -> Result<Vec<NewMigration>, GenerateError> {
    // The head's snapshot cannot know what a hand-written migration did.
    dir.require_snapshots()?;
    let head = dir.head()?;
    let parent_version = head.map(|m| m.version.clone());
    let parent_checksum = head.map(|m| m.files_checksum()).transpose()?;
    let parent_name = head.map(|m| format!("{}_{}", m.version, m.slug));
    let last = dir.head_schema()?;
    let first_version = dir.next_version(request.now);
    let base_slug = slug(&request.message);

    if request.empty {
        let snapshot = Snapshot {
            version: Some(first_version.clone()),
            parent: parent_version,
            parent_checksum,
            ..Snapshot::new(last)
        };
        let header = header(
            &request.message,
            parent_name.as_deref(),
            &Plan::default(),
            &[],
        );
        return Ok(vec![NewMigration {
            version: first_version,
            slug: base_slug,
            up: format!("{header}\n-- Write the migration here.\n"),
            down: format!(
                "{}\n-- Write its revert here.\n",
                down_header(&request.message)
            ),
            snapshot,
        }]);
    }

    let options = DiffOptions {
        allow_destructive: request.allow_destructive,
        loose_expressions: false,
    };
    let parts = parts(dir.dialect(), &last, current, options)?;
    let steps: Vec<Planned> = parts
        .into_iter()
        .map(|part| match part.reason {
            Some((reason, slug)) => Planned {
                schema: part.schema,
                plan: part.plan,
                message: format!("{} ({reason})", request.message),
                slug: format!("{base_slug}_{slug}"),
                phase: None,
            },
            None => Planned {
                schema: part.schema,
                plan: part.plan,
                message: request.message.clone(),
                slug: base_slug.clone(),
                phase: None,
            },
        })
        .collect();
    write_planned(dir, request, last, steps)
}

/// One migration to write.
struct Planned {
    schema: Schema,
    plan: Plan,
    message: String,
    slug: String,
    /// `expand` or `contract` for `generate --phased`.
    phase: Option<&'static str>,
}

/// The files of `steps`, one migration each, chained from the head of `dir` (whose schema is
/// `last`).
fn write_planned(
    dir: &MigrationDir,
    request: &Request,
    last: Schema,
    steps: Vec<Planned>,
) -> Result<Vec<NewMigration>, GenerateError> {
    let head = dir.head()?;
    let mut parent_version = head.map(|m| m.version.clone());
    let mut parent_checksum = head.map(|m| m.files_checksum()).transpose()?;
    let mut parent_name = head.map(|m| format!("{}_{}", m.version, m.slug));
    let first_version = dir.next_version(request.now);
    let mut out = Vec::new();
    let first: u64 = first_version.parse().expect("versions are digits");
    let mut before = last;
    for (version, step) in (first..).zip(steps) {
        // (The phases of `--phased` are online already.)
        let plan = if request.online && dir.dialect() == Dialect::Postgres && step.phase.is_none() {
            online(step.plan, &before)
        } else {
            step.plan
        };
        let (mut up, down) = files(
            dir.dialect(),
            &step.message,
            parent_name.as_deref(),
            &plan,
            (&before, &step.schema),
        )?;
        if let Some(phase) = step.phase {
            up = with_phase(&up, phase);
        }
        let v = version.to_string();
        out.push(NewMigration {
            version: v.clone(),
            slug: step.slug.clone(),
            up,
            down,
            snapshot: Snapshot {
                version: Some(v.clone()),
                parent: parent_version.clone(),
                parent_checksum: parent_checksum.clone(),
                ..Snapshot::new(step.schema.clone())
            },
        });
        parent_checksum = Some(crate::migration::files_checksum(
            &out.last().expect("just pushed").up,
            &out.last().expect("just pushed").down,
        ));
        parent_version = Some(v.clone());
        parent_name = Some(format!("{v}_{}", step.slug));
        before = step.schema;
    }
    Ok(out)
}

/// The header line that marks a migration's phase (see [`PHASE_CONTRACT`]).
pub const PHASE_EXPAND: &str = "-- phase: expand";
/// The header line of a contract migration: `upgrade --phase expand` stops before the first
/// pending one.
pub const PHASE_CONTRACT: &str = "-- phase: contract";

/// `up` with its phase line after the `-- parent:` line.
fn with_phase(up: &str, phase: &str) -> String {
    let line = if phase == "expand" {
        format!("{PHASE_EXPAND} (apply before deploying the version of the application that needs it: `upgrade --phase expand`)\n")
    } else {
        format!("{PHASE_CONTRACT} (apply once no instance of the previous version of the application runs: `upgrade`)\n")
    };
    match up.find("\n-- parent: ") {
        Some(at) => {
            let end = up[at + 1..].find('\n').map_or(up.len(), |e| at + 1 + e + 1);
            format!("{}{line}{}", &up[..end], &up[end..])
        }
        None => format!("{line}{up}"),
    }
}

/// `generate --phased`: a change that would break the version of the application still
/// running during a deploy (a column renamed, made NOT NULL or dropped, a table dropped),
/// written as an expand migration and a contract migration (see [`crate::plan::phased`]).
/// A change with nothing to split is one migration, as [`new_migrations`] writes it.
pub fn new_phased_migrations(
    dir: &MigrationDir,
    current: &Schema,
    request: &Request,
) -> Result<Vec<NewMigration>, GenerateError> {
    if dir.dialect() != Dialect::Postgres {
        return Err(GenerateError::Phased(PhasedError::Unsupported(format!(
            "expand/contract migrations are written for PostgreSQL, and {} holds {} migrations",
            dir.path().display(),
            dir.dialect()
        ))));
    }
    dir.require_snapshots()?;
    let last = dir.head_schema()?;
    let options = DiffOptions {
        allow_destructive: request.allow_destructive,
        loose_expressions: false,
    };
    let Some(phases) = phased(&last, current, options).map_err(|e| match e {
        PhasedError::Diff(d) => GenerateError::Diff(d),
        other => GenerateError::Phased(other),
    })?
    else {
        return new_migrations(dir, current, request);
    };
    let base_slug = slug(&request.message);
    let steps = phases
        .into_iter()
        .map(|phase| Planned {
            schema: phase.schema,
            plan: phase.plan,
            message: format!("{} ({})", request.message, phase.name),
            slug: format!("{base_slug}_{}", phase.name),
            phase: Some(phase.name),
        })
        .collect();
    write_planned(dir, request, last, steps)
}

/// The migrations from `last` to `current`: none when they are equal; one; or several when
/// the planner declares that a part must be committed before the rest (PostgreSQL's new enum
/// values used at once). Each part comes with the schema it leaves behind.
pub fn parts(
    dialect: Dialect,
    last: &Schema,
    current: &Schema,
    options: DiffOptions,
) -> Result<Vec<Part>, DiffError> {
    let full = plan(dialect, last, current, options)?;
    if full.is_empty() {
        return Ok(Vec::new());
    }
    if dialect != Dialect::Postgres {
        return Ok(full.split(current));
    }
    let stages = lock_stages(last, current);
    if stages.len() == 1 {
        return Ok(full.split(current));
    }
    // One migration per stage, each within the lock budget and atomic on its own.
    let count = stages.len();
    let mut out = Vec::new();
    let mut before = last.clone();
    for (i, stage) in stages.into_iter().enumerate() {
        let step = plan(dialect, &before, &stage, options)?;
        let label = (
            format!("part {} of {count}", i + 1),
            format!("part_{}_of_{count}", i + 1),
        );
        for mut part in step.split(&stage) {
            part.reason = Some(match part.reason {
                Some((reason, slug)) => (
                    format!("{}, {reason}", label.0),
                    format!("{}_{slug}", label.1),
                ),
                None => label.clone(),
            });
            out.push(part);
        }
        before = stage;
    }
    Ok(out)
}

/// The relation locks one PostgreSQL migration may take. Every relation a transaction creates
/// (a table, its TOAST table and index, each index, an identity's sequence) stays locked until
/// it commits, in a lock table shared by every session: `max_locks_per_transaction` (64 by
/// default) × `max_connections` (100) entries. A third of a default server's table leaves room
/// for the sessions of a running application.
pub const LOCKS_PER_MIGRATION: usize = 2000;

/// The relations creating `table` locks until commit.
fn relations_created(table: &crate::schema::Table) -> usize {
    // The table, its TOAST table and index, the primary key's index.
    4 + table.indexes.len()
        + table.uniques.len()
        + table
            .columns
            .iter()
            .filter(|c| c.identity.is_some())
            .count()
}

/// The schemas a change passes through so that no migration creates more relations than
/// [`LOCKS_PER_MIGRATION`]: the new tables, referenced ones first, in stages that each add as
/// many as fit (with the enums they use, and without the foreign keys to tables not there yet
/// or changed by the rest of the change); the last stage is `current` itself. A change that
/// fits is one stage.
fn lock_stages(last: &Schema, current: &Schema) -> Vec<Schema> {
    use std::collections::{BTreeMap, BTreeSet};
    let renamed: BTreeSet<&str> = current
        .tables
        .values()
        .filter_map(|t| t.renamed_from.as_deref())
        .collect();
    let created: BTreeMap<&str, &crate::schema::Table> = current
        .tables
        .iter()
        .filter(|(name, t)| {
            !last.tables.contains_key(*name)
                && !t
                    .renamed_from
                    .as_deref()
                    .is_some_and(|old| last.tables.contains_key(old))
        })
        .map(|(name, t)| (name.as_str(), t))
        .collect();
    let total: usize = created.values().map(|t| relations_created(t)).sum();
    if total <= LOCKS_PER_MIGRATION {
        return vec![current.clone()];
    }
    // Referenced tables first (Kahn's order, by name among the ready ones; a cycle is broken
    // at its first name, its foreign keys then waiting for the last stage).
    let mut needs: BTreeMap<&str, usize> = BTreeMap::new();
    let mut dependents: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, table) in &created {
        let targets: BTreeSet<&str> = table
            .foreign_keys
            .iter()
            .map(|fk| fk.ref_table.as_str())
            .filter(|r| r != name && created.contains_key(r))
            .collect();
        needs.insert(name, targets.len());
        for target in targets {
            dependents.entry(target).or_default().push(name);
        }
    }
    let mut ready: BTreeSet<&str> = needs
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(name, _)| *name)
        .collect();
    let mut order: Vec<&str> = Vec::new();
    while order.len() < created.len() {
        let next = match ready.pop_first() {
            Some(name) => name,
            None => *needs.keys().next().expect("tables remain"),
        };
        needs.remove(next);
        order.push(next);
        for dependent in dependents.get(next).into_iter().flatten() {
            if let Some(n) = needs.get_mut(dependent) {
                *n -= 1;
                if *n == 0 {
                    ready.insert(dependent);
                }
            }
        }
    }

    // Every enum as the change leaves it from the first stage on (new tables may use new
    // values; the planner commits added values before their use), except those it drops,
    // which existing tables may use until the last stage. Every extension the new tables
    // declare is created with the first of them.
    let mut stage = last.clone();
    for (name, definition) in &current.enums {
        stage.enums.insert(name.clone(), definition.clone());
    }
    let mut extensions: Vec<String> = created
        .values()
        .flat_map(|t| t.extensions.iter().cloned())
        .collect();
    extensions.sort();
    extensions.dedup();
    let mut stages = Vec::new();
    let mut used = 0;
    for name in order {
        let table = created[name];
        let cost = relations_created(table);
        if used > 0 && used + cost > LOCKS_PER_MIGRATION {
            stages.push(stage.clone());
            used = 0;
        }
        let mut table = table.clone();
        table.foreign_keys.retain(|fk| {
            let target = fk.ref_table.as_str();
            if target == name || created.contains_key(target) {
                // Itself, or a new table of an earlier stage or of this one, placed before.
                target == name || stage.tables.contains_key(target)
            } else {
                // A table the change leaves as it is.
                !renamed.contains(target)
                    && last.tables.contains_key(target)
                    && last.tables.get(target) == current.tables.get(target)
            }
        });
        if !extensions.is_empty() {
            table.extensions.append(&mut extensions);
            table.normalize();
        }
        stage.tables.insert(name.to_owned(), table);
        used += cost;
    }
    stages.push(current.clone());
    stages.dedup();
    stages
}

/// The up and down files of one migration leading from `before` to `after`. A plan with a
/// step that may not run inside a transaction is written as a `-- no-transaction` migration
/// (sqlx's convention, which the runner follows too); its planner gives such steps a migration
/// of their own.
fn files(
    dialect: Dialect,
    message: &str,
    parent: Option<&str>,
    plan: &Plan,
    (before, after): (&Schema, &Schema),
) -> Result<(String, String), RenderError> {
    let up_ops = render_between(dialect, &plan.operations(), after, before)?;
    let down_ops = render_between(dialect, &plan.down(), before, after)?;
    let directive = if plan.transactional() {
        ""
    } else {
        "-- no-transaction\n"
    };
    let up = format!(
        "{directive}{}{}",
        header(message, parent, plan, &up_ops),
        body(&up_ops)
    );
    let down = format!("{directive}{}{}", down_header(message), body(&down_ops));
    Ok((up, down))
}

fn header(
    message: &str,
    parent: Option<&str>,
    plan: &Plan,
    rendered: &[RenderedOperation],
) -> String {
    let mut out = format!("-- {}\n", one_line(message));
    out.push_str(&format!(
        "-- parent: {}\n",
        parent.unwrap_or("none (first migration)")
    ));
    if !rendered.is_empty() {
        out.push_str("--\n-- operations:\n");
        for (i, op) in rendered.iter().enumerate() {
            out.push_str(&format!("--   {}. {}\n", i + 1, op.summary));
        }
    }
    for item in &plan.destructive {
        out.push_str(&format!("-- DESTRUCTIVE: {item}\n"));
    }
    for item in &plan.warnings {
        out.push_str(&format!("-- WARNING: {item}\n"));
    }
    out
}

fn down_header(message: &str) -> String {
    format!("-- revert: {}\n", one_line(message))
}

fn one_line(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // A first line `-- no-transaction` would switch the transaction off (sqlx's convention).
    if line.to_ascii_lowercase().starts_with("no-transaction") {
        format!("migration: {line}")
    } else {
        line
    }
}

fn body(rendered: &[RenderedOperation]) -> String {
    let mut out = String::new();
    for (i, op) in rendered.iter().enumerate() {
        out.push_str(&format!("\n-- {}. {}\n", i + 1, op.summary));
        for note in &op.notes {
            out.push_str(&format!("-- {note}\n"));
        }
        for statement in &op.statements {
            out.push_str(statement);
            out.push('\n');
        }
    }
    out
}

/// The dialect a migration directory is generated for when the project names none.
pub const DEFAULT_DIALECT: Dialect = Dialect::Postgres;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::Operation;
    use crate::plan::Step;
    use crate::schema::{Index, IndexKey, IndexTarget};

    fn index_plan(transactional: bool) -> (Schema, Plan) {
        let schema: Schema = serde_json::from_str(
            r#"{"tables": {"notes": {"name": "notes", "columns": [
                {"name": "id", "type": {"kind": "big_int"}, "nullable": false},
                {"name": "title", "type": {"kind": "text"}, "nullable": false}],
                "primary_key": {"name": "pk_notes", "columns": ["id"]}}}, "enums": {}}"#,
        )
        .expect("a schema");
        let index = Index {
            name: "ix_notes_title".into(),
            keys: vec![IndexKey {
                target: IndexTarget::Column("title".into()),
                order: None,
                nulls: None,
                opclass: None,
            }],
            unique: false,
            method: None,
            predicate: None,
        };
        let step = Step {
            transactional,
            ..Step::new(
                Operation::CreateIndex {
                    table: "notes".into(),
                    index,
                },
                Dialect::Postgres.equivalence(),
            )
        };
        (
            schema,
            Plan {
                steps: vec![step],
                ..Plan::default()
            },
        )
    }

    #[test]
    fn a_step_outside_a_transaction_makes_a_no_transaction_migration() {
        let (schema, plan) = index_plan(false);
        let (up, down) =
            files(Dialect::Postgres, "index", None, &plan, (&schema, &schema)).expect("renders");
        assert!(up.starts_with("-- no-transaction\n-- index\n"), "{up}");
        assert!(
            down.starts_with("-- no-transaction\n-- revert: index\n"),
            "{down}"
        );
        assert!(crate::runner::script::is_no_transaction(&up));

        let (schema, plan) = index_plan(true);
        let (up, down) =
            files(Dialect::Postgres, "index", None, &plan, (&schema, &schema)).expect("renders");
        assert!(up.starts_with("-- index\n"), "{up}");
        assert!(!crate::runner::script::is_no_transaction(&down));
    }
}
