//! Turning a plan into migration files: the header, one commented block per operation, and
//! the snapshot the migration leaves behind.
//!
//! A plan is written as several migrations where its planner declares a boundary (PostgreSQL
//! cannot use an enum value in the transaction that added it, so new values used at once are
//! committed by a first migration of their own).

use crate::dialect::{Dialect, RenderError};
use crate::diff::{DiffError, DiffOptions};
use crate::migration::{slug, DirectoryError, MigrationDir, NewMigration};
use crate::plan::{plan, Part, Plan};
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
    let steps: Vec<(Schema, Plan, String, String)> = parts
        .into_iter()
        .map(|part| match part.reason {
            Some((reason, slug)) => (
                part.schema,
                part.plan,
                format!("{} ({reason})", request.message),
                format!("{base_slug}_{slug}"),
            ),
            None => (
                part.schema,
                part.plan,
                request.message.clone(),
                base_slug.clone(),
            ),
        })
        .collect();

    let mut out = Vec::new();
    let first: u64 = first_version.parse().expect("versions are digits");
    let mut parent_version = parent_version;
    let mut parent_name = parent_name;
    let mut parent_checksum = parent_checksum;
    let mut before = last;
    for (version, (after, plan, message, step_slug)) in (first..).zip(steps) {
        let (up, down) = files(
            dir.dialect(),
            &message,
            parent_name.as_deref(),
            &plan,
            (&before, &after),
        )?;
        let v = version.to_string();
        out.push(NewMigration {
            version: v.clone(),
            slug: step_slug.clone(),
            up,
            down,
            snapshot: Snapshot {
                version: Some(v.clone()),
                parent: parent_version.clone(),
                parent_checksum: parent_checksum.clone(),
                ..Snapshot::new(after.clone())
            },
        });
        parent_checksum = Some(crate::migration::files_checksum(
            &out.last().expect("just pushed").up,
            &out.last().expect("just pushed").down,
        ));
        parent_version = Some(v.clone());
        parent_name = Some(format!("{v}_{step_slug}"));
        before = after;
    }
    Ok(out)
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
    Ok(full.split(current))
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
