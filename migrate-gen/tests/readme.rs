//! The README's quickstart runs exactly as written. (Its second command, `cargo test
//! --workspace`, is what CI runs around this very test.)

use std::path::Path;
use std::process::Command;

fn quickstart() -> Vec<String> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    let block = readme
        .split("<!-- quickstart -->")
        .nth(1)
        .expect("a quickstart marker")
        .split("```sh\n")
        .nth(1)
        .expect("a shell block")
        .split("```")
        .next()
        .unwrap();
    block.lines().map(str::to_owned).collect()
}

#[test]
fn the_quickstart_has_the_two_commands() {
    assert_eq!(
        quickstart(),
        [
            "cargo run -p migrate-gen -- \"add priority\"",
            "cargo test --workspace"
        ]
    );
}

#[test]
fn the_first_quickstart_command_runs_as_written() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let command = &quickstart()[0];
    let out = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(repo)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The committed history is up to date, so nothing is written, in either dialect.
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        lines[0].starts_with("No changes for postgres: the models match ")
            && lines[0].ends_with("_timestamp_defaults_in_standard_sql."),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with("No changes for sqlite: the models match "),
        "{stdout}"
    );
    assert!(
        lines[2].starts_with("No changes for mysql: the models match "),
        "{stdout}"
    );
}

/// The `$ ` lines of the README's tour that touch the database (the rest edit the models and
/// generate, which would change the committed history).
fn tour_database_commands() -> Vec<String> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    let tour = readme.split("### A tour").nth(1).expect("a tour section");
    let tour = tour.split("\n## ").next().unwrap();
    tour.lines()
        .filter_map(|l| l.strip_prefix("$ "))
        .map(|l| l.split("  #").next().unwrap().trim().to_owned())
        .filter(|l| l.starts_with("export DATABASE_URL=") || is_database_command(l))
        .collect()
}

fn is_database_command(line: &str) -> bool {
    ["database create", "upgrade", "current", "downgrade"]
        .iter()
        .any(|c| line.ends_with(&format!("-- {c}")) || line.contains(&format!("-- {c} ")))
}

/// Runs one line of the tour in the repository, with `DATABASE_URL` set to `url` (None: unset).
fn run_line(command: &str, url: Option<&str>) -> std::process::Output {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut sh = Command::new("sh");
    sh.arg("-c").arg(command).current_dir(repo);
    match url {
        Some(url) => sh.env("DATABASE_URL", url),
        None => sh.env_remove("DATABASE_URL"),
    };
    sh.output().unwrap()
}

/// Runs `commands` in order, stopping at the first failure; then asserts that all succeeded.
fn run_all(commands: &[String], url: Option<&str>, cleanup: impl FnOnce()) {
    let mut results = Vec::new();
    for command in commands {
        let out = run_line(command, url);
        let failed = !out.status.success();
        results.push((command.clone(), out));
        if failed {
            break;
        }
    }
    cleanup();
    for (command, out) in &results {
        assert!(
            out.status.success(),
            "{command}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(
        commands.iter().any(|c| c.ends_with("-- upgrade"))
            && commands.iter().any(|c| c.ends_with("-- downgrade -1"))
    );
}

/// The tour's steps without a server, exactly as written: on the embedded SQLite file
/// `examples/todo/development.db`. A file left by earlier use is set aside and put back.
#[test]
fn the_tours_embedded_steps_run_as_written() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let lines = tour_database_commands();
    let export = lines
        .iter()
        .position(|l| l.starts_with("export DATABASE_URL="))
        .expect("the tour sets DATABASE_URL for PostgreSQL");
    let commands = &lines[..export];
    let file = repo.join("examples/todo/development.db");
    let aside = repo.join("examples/todo/development.db.before-readme-test");
    let lock = repo.join("examples/todo/development.db.migrate-lock");
    let had_lock = lock.exists();
    let had_one = file.exists();
    if had_one {
        std::fs::rename(&file, &aside).unwrap();
    }
    run_all(commands, None, || {
        if had_one {
            std::fs::rename(&aside, &file).unwrap();
        } else {
            let _ = std::fs::remove_file(&file);
        }
        if !had_lock {
            let _ = std::fs::remove_file(&lock);
        }
    });
    let current = commands.iter().position(|c| c.ends_with("-- current"));
    assert!(
        current.is_some(),
        "the tour shows `current` on the embedded file"
    );
}

/// The tour's PostgreSQL steps, exactly as written, on a server where they never ran: only the
/// database's name is made unique (and the database is dropped afterwards).
#[test]
fn the_tours_database_steps_run_as_written() {
    let lines = tour_database_commands();
    let export_at = lines
        .iter()
        .position(|l| l.starts_with("export DATABASE_URL="))
        .expect("the tour sets DATABASE_URL for PostgreSQL");
    let export = lines[export_at]
        .strip_prefix("export DATABASE_URL=")
        .unwrap();
    assert!(
        export.ends_with("/todo"),
        "the tour's database is `todo`: {export}"
    );
    let name = format!("todo_tour_{}", std::process::id());
    let url = format!("{}{name}", export.strip_suffix("todo").unwrap());
    let commands = &lines[export_at + 1..];
    assert_eq!(
        commands.first().map(String::as_str),
        Some("cargo run -q -p migrate-gen -- database create"),
        "the tour creates its database before using it"
    );
    run_all(commands, Some(&url), || {
        let dropped = run_line(
            "cargo run -q -p migrate-gen -- database drop --yes",
            Some(&url),
        );
        assert!(dropped.status.success());
    });
}
