//! `migrate-gen lint`: the hazards of every PostgreSQL migration of the directory for an
//! application that keeps running while it is applied ([`model_core::lint`]). `check` runs it
//! on the whole directory, `generate` on what it writes.
//!
//! Findings in migrations that already ran everywhere can be accepted in the directory's
//! `migrate-gen.json`, with a reason:
//! `"lint_allow": [{"migration": "20261124073421", "rule": "create-index-blocking", "reason": "..."}]`.

use std::path::Path;

use model_core::dialect::Dialect;
use model_core::lint::{lint_postgres, Finding};
use model_core::migration::{MigrationDir, MigrationFiles, DIRECTORY_FILE};

use super::{fail, Outcome};
use crate::exit;
use crate::options::Global;
use crate::report::Failure;

/// A rule accepted for one migration in `migrate-gen.json`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Allowance {
    migration: String,
    rule: String,
    reason: String,
}

#[derive(Debug, Default, serde::Deserialize)]
struct DirectoryLint {
    #[serde(default)]
    lint_allow: Vec<Allowance>,
}

/// The findings of one migration's up file.
pub(crate) struct FileFindings {
    /// The up file.
    pub file: std::path::PathBuf,
    pub findings: Vec<Finding>,
}

/// The allowances of the directory's `migrate-gen.json` (none when it has no such file).
fn allowances(dir: &MigrationDir) -> Result<Vec<Allowance>, Failure> {
    let path = dir.path().join(DIRECTORY_FILE);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(Vec::new());
    };
    let parsed: DirectoryLint = serde_json::from_str(&text).map_err(|e| {
        fail(
            exit::DIRECTORY,
            format!(
                "{}: lint_allow: {e}; each entry is {{\"migration\": \"<version>\", \"rule\": \"<rule>\", \"reason\": \"<why>\"}}",
                path.display()
            ),
        )
    })?;
    for a in &parsed.lint_allow {
        if a.reason.trim().is_empty() {
            return Err(fail(
                exit::DIRECTORY,
                format!(
                    "{}: lint_allow of {} for migration {} has no reason; say why the hazard is acceptable",
                    path.display(),
                    a.rule,
                    a.migration
                ),
            ));
        }
    }
    Ok(parsed.lint_allow)
}

/// The findings in `migrations` of `dir` (PostgreSQL's; other dialects have none), after the
/// directory's allowances.
pub(crate) fn findings(
    dir: &MigrationDir,
    migrations: &[&MigrationFiles],
) -> Result<Vec<FileFindings>, Failure> {
    if dir.dialect() != Dialect::Postgres {
        return Ok(Vec::new());
    }
    let allowed = allowances(dir)?;
    let mut out = Vec::new();
    for m in migrations {
        let sql = std::fs::read_to_string(&m.up)
            .map_err(|e| fail(exit::DIRECTORY, format!("{}: {e}", m.up.display())))?;
        let findings: Vec<Finding> = lint_postgres(&sql)
            .into_iter()
            .filter(|f| {
                !allowed
                    .iter()
                    .any(|a| a.migration == m.version && a.rule == f.rule)
            })
            .collect();
        if !findings.is_empty() {
            out.push(FileFindings {
                file: m.up.clone(),
                findings,
            });
        }
    }
    Ok(out)
}

/// One line per finding: `<file>:<line>: <rule>: <what>; instead: <safe form>`.
pub(crate) fn lines(found: &[FileFindings]) -> Vec<String> {
    found
        .iter()
        .flat_map(|f| {
            f.findings.iter().map(move |finding| {
                format!(
                    "{}:{}: {}: {}; instead: {}",
                    f.file.display(),
                    finding.line,
                    finding.rule,
                    finding.message,
                    finding.safe
                )
            })
        })
        .collect()
}

pub(crate) fn run(path: &Path, global: &Global) -> Outcome {
    let dir = crate::project::existing_directory(global, path)?;
    if dir.dialect() != Dialect::Postgres {
        global.reporter().answer(
            &format!(
                "Nothing to lint: the rules are PostgreSQL's, and {} holds {} migrations.\n",
                dir.path().display(),
                dir.dialect()
            ),
            serde_json::json!({ "findings": [] }),
        )?;
        return Ok(exit::OK);
    }
    let all: Vec<&MigrationFiles> = dir.migrations().iter().collect();
    let found = findings(&dir, &all)?;
    let count: usize = found.iter().map(|f| f.findings.len()).sum();
    if count == 0 {
        global.reporter().answer(
            &format!(
                "No findings in {} migration{}.\n",
                all.len(),
                if all.len() == 1 { "" } else { "s" }
            ),
            serde_json::json!({ "findings": [] }),
        )?;
        return Ok(exit::OK);
    }
    let mut human = lines(&found).join("\n");
    human.push_str(&format!(
        "\n{count} finding{}. A statement whose hazard is acceptable says so in a comment before it: \
         -- migrate-gen: allow(<rule>) <reason>\n",
        if count == 1 { "" } else { "s" }
    ));
    let json = found
        .iter()
        .flat_map(|f| {
            f.findings.iter().map(move |finding| {
                serde_json::json!({
                    "file": f.file.display().to_string(),
                    "line": finding.line,
                    "rule": finding.rule,
                    "message": finding.message,
                    "safe": finding.safe,
                })
            })
        })
        .collect::<Vec<_>>();
    global
        .reporter()
        .answer(&human, serde_json::json!({ "findings": json }))?;
    Ok(exit::DIFFERENCES)
}
