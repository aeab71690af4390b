//! What every command works on: the linked models, the migration directory, and the database
//! a URL names. Commands use these and never each other.

use std::path::Path;

use model_core::dialect::Dialect;
use model_core::migration::MigrationDir;
use model_core::runner::{load, mask_password, Database, MigrationScript, Runner, RunnerError};

use crate::exit;
use crate::options::Global;
use crate::report::{fail, Failure, Outcome};

/// The linked models' schema. With none linked, the error also names what the last snapshot in
/// `dir` holds: what generating now would drop.
pub(crate) fn models(global: &Global, dir: &Path) -> Result<model_core::schema::Schema, Failure> {
    use model_core::registry::{self, RegistryError};
    match registry::schema() {
        Ok(schema) => Ok(schema),
        Err(RegistryError::Empty) => {
            let tables: Vec<String> = directory(global, dir)
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

fn code_of(err: &RunnerError) -> u8 {
    match err {
        RunnerError::Connect { .. }
        | RunnerError::NoDatabase { .. }
        | RunnerError::NoSchema { .. }
        | RunnerError::BadUrl { .. } => exit::CONNECT,
        RunnerError::Statement { .. } | RunnerError::Migration { .. } => exit::MIGRATION_FAILED,
        RunnerError::UnknownVersion { .. }
        | RunnerError::Edited { .. }
        | RunnerError::EditedRan { .. }
        | RunnerError::CannotRevertPart { .. }
        | RunnerError::Dirty { .. } => exit::STATE,
        RunnerError::Unsupported { .. } => exit::UNSUPPORTED,
        RunnerError::Target(_) => exit::USAGE,
        RunnerError::Directory(_)
        | RunnerError::Read { .. }
        | RunnerError::VersionOutOfRange { .. } => exit::DIRECTORY,
        // The server answered, and refused: the version table or the lock is not usable.
        RunnerError::Database(sqlx::Error::Database(_)) => exit::STATE,
        _ => exit::CONNECT,
    }
}

pub(crate) fn runner_fail(err: RunnerError) -> Failure {
    let code = code_of(&err);
    // One line: the database's message goes on the same line.
    fail(code, err.to_string().replace("\n  ", "; "))
}

/// Opens the migration directory for the project's dialect (recorded in the directory; a
/// directory of another dialect is refused). A directory that does not exist yet is empty.
pub(crate) fn directory(global: &Global, path: &Path) -> Result<MigrationDir, Failure> {
    MigrationDir::open(path, global.dialect).map_err(|e| fail(exit::DIRECTORY, e))
}

/// Opens a directory that must exist already (commands that read a history).
pub(crate) fn existing_directory(global: &Global, path: &Path) -> Result<MigrationDir, Failure> {
    if !path.is_dir() {
        return Err(fail(
            exit::DIRECTORY,
            format!(
                "the migrations directory {} does not exist; generate a migration first, or pass --dir",
                path.display()
            ),
        ));
    }
    directory(global, path)
}

/// Opens the directory for the runner: it must exist and have a single head.
pub(crate) fn open(
    global: &Global,
    path: &Path,
) -> Result<(MigrationDir, Vec<MigrationScript>), Failure> {
    let dir = existing_directory(global, path)?;
    let migrations = load(&dir).map_err(runner_fail)?;
    Ok((dir, migrations))
}

/// Runs `command` for a project with several dialects: a command that works on a database in
/// the directory of the URL's dialect; `generate` and `check` in every dialect's directory, in
/// turn, the exit code the worst of them. `generate` first makes sure that every dialect can
/// express the change, so that it writes all directories or none.
pub(crate) fn for_dialects(
    dialects: &[Dialect],
    dir: &Path,
    global: &Global,
    reads_a_database: bool,
    command: impl Fn(&Path, &Global) -> Outcome,
) -> Outcome {
    let in_dialect = |dialect: Dialect| {
        let mut global = global.clone();
        global.dialect = dialect;
        (dir.join(dialect.name()), global)
    };
    if reads_a_database {
        let Some(url) = global.database_url.as_deref() else {
            // No database: the command says so itself.
            let (dir, global) = in_dialect(dialects[0]);
            return command(&dir, &global);
        };
        let Some(dialect) = Database::dialect_of(url).filter(|d| dialects.contains(d)) else {
            if Database::dialect_of(url).is_none() {
                // Not a database URL: the command says so itself.
                let (dir, global) = in_dialect(dialects[0]);
                return command(&dir, &global);
            }
            return Err(fail(
                exit::UNSUPPORTED,
                format!(
                    "{} is not one of this project's databases ({})",
                    mask_password(url),
                    dialects
                        .iter()
                        .map(|d| d.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        };
        let (dir, global) = in_dialect(dialect);
        return command(&dir, &global);
    }
    let mut worst = exit::OK;
    for &dialect in dialects {
        let (dir, global) = in_dialect(dialect);
        match command(&dir, &global) {
            Ok(code) => worst = worst.max(code),
            Err(failure) => {
                eprintln!("error: {} ({})", failure.message, dialect.name());
                worst = worst.max(failure.code);
            }
        }
    }
    Ok(worst)
}

/// The file a SQLite project uses when no database is given: `development.db` beside its
/// migrations directory, created on first use. Other projects have no default database.
pub(crate) const EMBEDDED_FILE: &str = "development.db";

/// The URL of the embedded database of a project written for `dialect` whose migrations are
/// in `dir`, if it has one (SQLite projects).
pub(crate) fn embedded_url(dir: &Path, dialect: Dialect) -> Option<String> {
    (dialect == Dialect::Sqlite).then(|| {
        let file = dir.parent().unwrap_or(Path::new("")).join(EMBEDDED_FILE);
        format!("sqlite://{}?mode=rwc", file.display())
    })
}

/// The database URL of the command line or `DATABASE_URL`, if the runner serves its database.
pub(crate) fn url(global: &Global) -> Result<&str, Failure> {
    let Some(url) = global.database_url.as_deref() else {
        return Err(fail(
            exit::UNSUPPORTED,
            "no database given: pass --database-url or set DATABASE_URL (a project written for \
             SQLite uses development.db beside its migrations when none is given)",
        ));
    };
    match Database::accepts(url) {
        Ok(()) => Ok(url),
        Err(RunnerError::Unsupported { what }) => Err(fail(
            exit::UNSUPPORTED,
            format!(
                "{}: {what} are not served by this build: enable model-core's cargo feature \
                 for them (`sqlite`, `mysql`)",
                mask_password(url)
            ),
        )),
        Err(_) => Err(fail(
            exit::CONNECT,
            format!(
                "`{}` is not a database URL: it must start with one of {} \
                 (e.g. postgres://user@localhost:5432/app)",
                mask_malformed(url),
                Database::SCHEMES
            ),
        )),
    }
}

/// Masks a password in text that is not a well-formed URL (`postgres//user:secret@host`):
/// whatever follows the last `:` before the last `@`.
fn mask_malformed(text: &str) -> String {
    let masked = mask_password(text);
    if masked != text {
        return masked;
    }
    match text.rfind('@') {
        Some(at) => match text[..at].rfind(':') {
            Some(colon) if !text[colon..at].starts_with("://") => {
                format!("{}:***{}", &text[..colon], &text[at..])
            }
            _ => text.to_owned(),
        },
        None => text.to_owned(),
    }
}

pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a single-threaded runtime starts")
}

/// A runner on the database, and where the database stands.
pub(crate) async fn connected<'m>(
    path: &Path,
    global: &Global,
    migrations: &'m [MigrationScript],
) -> Result<(Runner<'m, Database>, model_core::runner::Status), Failure> {
    let backend = connect(global).await?;
    // Reading a database of another dialect would report a state that means nothing.
    let generated = migrations.iter().any(|m| m.has_snapshot);
    if generated && backend.dialect() != global.dialect {
        return Err(other_dialect(path, global.dialect, backend.dialect()));
    }
    let mut runner = Runner::new(backend, migrations, path.display().to_string());
    let status = runner.status().await.map_err(runner_fail)?;
    Ok((runner, status))
}

/// The directory `path` holds generated migrations for `written`, and the database is
/// `database`.
fn other_dialect(path: &Path, written: Dialect, database: Dialect) -> Failure {
    fail(
        exit::UNSUPPORTED,
        format!(
            "the migrations in {} are written for {written}, and the database is {database}: \
             point --database-url at a {written} database",
            path.display(),
        ),
    )
}

/// Refuses to apply generated migrations to a database of another dialect: their SQL is
/// written for the directory's (hand-written migrations, without snapshots, say nothing).
pub(crate) fn same_dialect(dir: &MigrationDir, database: Dialect) -> Result<(), Failure> {
    let generated = dir.migrations().iter().any(|m| m.has_snapshot);
    if generated && dir.dialect() != database {
        return Err(other_dialect(dir.path(), dir.dialect(), database));
    }
    Ok(())
}

pub(crate) async fn connect(global: &Global) -> Result<Database, Failure> {
    let mut database = Database::connect(url(global)?).await.map_err(runner_fail)?;
    database.set_lock_policy(global.lock_policy);
    in_schema(&mut database, global).await?;
    Ok(database)
}

/// Moves a connection into the `--schema` of the command line, if there is one.
pub(crate) async fn in_schema(database: &mut Database, global: &Global) -> Result<(), Failure> {
    if let Some(schema) = &global.schema {
        database
            .use_schema(schema, global.create_schema)
            .await
            .map_err(runner_fail)?;
    }
    Ok(())
}
