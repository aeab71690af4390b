//! One module per command.

pub(crate) mod adopt;
pub(crate) mod check;
pub(crate) mod database;
pub(crate) mod generate;
pub(crate) mod inspect;
pub(crate) mod scratch;
pub(crate) mod server;
pub(crate) mod snapshot;

use std::process::ExitCode;

/// Prints `error: <message>` and returns `code`.
pub(crate) fn fail(code: u8, message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(code)
}

/// The linked models' schema. With none linked, the error also names what the last snapshot in
/// `dir` holds: what generating now would drop.
pub(crate) fn models(dir: &std::path::Path) -> Result<model_core::schema::Schema, ExitCode> {
    use model_core::registry::{self, RegistryError};
    match registry::schema() {
        Ok(schema) => Ok(schema),
        Err(RegistryError::Empty) => {
            let tables: Vec<String> = model_core::migration::MigrationDir::open(
                dir,
                model_core::generate::DEFAULT_DIALECT,
            )
            .ok()
            .and_then(|d| d.head_schema().ok())
            .map(|s| s.tables.keys().cloned().collect())
            .unwrap_or_default();
            let mut message = RegistryError::Empty.to_string();
            if !tables.is_empty() {
                const SHOWN: usize = 5;
                let mut names = tables
                    .iter()
                    .take(SHOWN)
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ");
                if tables.len() > SHOWN {
                    names.push_str(&format!(" and {} more", tables.len() - SHOWN));
                }
                message.push_str(&format!(
                    "; the last migration in {} has {} table{} ({names}), which a migration \
                     generated now would drop",
                    dir.display(),
                    tables.len(),
                    if tables.len() == 1 { "" } else { "s" }
                ));
            }
            Err(fail(crate::exit::MODELS, message))
        }
        Err(err) => Err(fail(crate::exit::MODELS, err)),
    }
}

/// Writes to stdout; a closed pipe or full disk is an I/O failure, never a panic.
pub(crate) fn print(text: &str) -> Result<(), ExitCode> {
    use std::io::Write;
    std::io::stdout()
        .write_all(text.as_bytes())
        .and_then(|()| std::io::stdout().flush())
        .map_err(|err| fail(crate::exit::IO, format!("cannot write to stdout: {err}")))
}
