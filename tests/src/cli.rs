//! Running a `migrate-gen` binary in end-to-end tests.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `bin` with `args`, `--dir dir`, and `DATABASE_URL=url` (empty: none).
pub fn run(bin: &str, dir: &Path, url: &str, args: &[&str]) -> Output {
    Command::new(bin)
        .args(args)
        .arg("--dir")
        .arg(dir)
        .env("DATABASE_URL", url)
        .output()
        .expect("run migrate-gen")
}

/// Runs the reference binary, whose project targets PostgreSQL and SQLite, on one dialect's
/// migrations: `dir` is `<root>/postgres` or `<root>/sqlite`, and `bin` gets `--dir <root>
/// --dialect <postgres|sqlite>` with `args` and `DATABASE_URL=url` (empty: none).
pub fn run_dialect(bin: &str, dir: &Path, url: &str, args: &[&str]) -> Output {
    let dialect = dir
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| ["postgres", "sqlite", "mysql"].contains(n))
        .unwrap_or_else(|| panic!("{} is not a dialect's directory", dir.display()));
    let root = dir.parent().expect("a project root");
    Command::new(bin)
        .args(args)
        .arg("--dir")
        .arg(root)
        .args(["--dialect", dialect])
        .env("DATABASE_URL", url)
        .output()
        .expect("run migrate-gen")
}

/// Standard output as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Standard output of a run that must succeed (fails the test with both streams otherwise).
pub fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

/// The migrations of a directory (`<version>_<slug>`), sorted.
pub fn migration_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read the directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".up.sql").map(str::to_owned))
        .collect();
    names.sort();
    names
}

/// Overwrites the up or down file (`direction`) of migration `name`.
pub fn write_sql(dir: &Path, name: &str, direction: &str, sql: &str) {
    std::fs::write(dir.join(format!("{name}.{direction}.sql")), sql).expect("write the file");
}

/// A test binary that acts as a companion binary (its own models, its own `Config`): runs its
/// child test `child` (which calls `migrate_gen::run` with the arguments it finds in the
/// environment variable `args_var`, separated by `\u{1f}`) with `args` plus `--dir <dir>`,
/// `DATABASE_URL` set to `url` (empty for none), and `env`.
pub fn run_companion(
    child: &str,
    args_var: &str,
    dir: &Path,
    url: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> Output {
    let mut all: Vec<&str> = args.to_vec();
    let dir = dir.to_str().expect("a UTF-8 path");
    all.extend(["--dir", dir]);
    let mut command = Command::new(std::env::current_exe().expect("the test binary"));
    command
        .args(["--exact", child, "--nocapture", "--test-threads=1"])
        .env(args_var, all.join("\u{1f}"))
        .env("DATABASE_URL", url);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run the test binary")
}

/// A companion child's standard output, after the test harness's own first lines.
pub fn companion_stdout(child: &str, out: &Output) -> String {
    let text = String::from_utf8_lossy(&out.stdout);
    let mark = format!("test {child} ... ");
    match text.find(&mark) {
        Some(at) => text[at + mark.len()..].to_owned(),
        None => text.into_owned(),
    }
}

/// The body of a test binary's child test acting as a companion binary (see
/// [`run_companion`]): when `args_var` is set, runs the CLI (`run`, given the program name and
/// the arguments found there) and exits the process with its exit code; otherwise returns (the
/// child test then passes, doing nothing, in an ordinary test run).
pub fn companion(args_var: &str, run: impl FnOnce(Vec<String>) -> std::process::ExitCode) {
    let Ok(args) = std::env::var(args_var) else {
        return;
    };
    let args: Vec<String> = std::iter::once("migrate-gen".to_owned())
        .chain(args.split('\u{1f}').map(str::to_owned))
        .collect();
    let code = run(args);
    let number = (0..=255u8)
        .find(|n| std::process::ExitCode::from(*n) == code)
        .unwrap_or(255);
    std::process::exit(i32::from(number));
}

/// Copies the reference app's PostgreSQL history into `<root>/postgres` (the layout of a
/// project with several dialects, for [`run_dialect`]) and returns that directory.
pub fn reference_postgres_history(root: &Path) -> std::path::PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/todo/migrations/postgres");
    let dir = root.join("postgres");
    std::fs::create_dir_all(&dir).expect("create the directory");
    for entry in std::fs::read_dir(from).expect("the reference history") {
        let entry = entry.expect("a directory entry");
        std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy a migration");
    }
    dir
}
