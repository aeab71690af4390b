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
    // The committed history is up to date, so nothing is written.
    assert!(
        stdout.starts_with("No changes: the models match "),
        "{stdout}"
    );
    assert!(stdout.contains("_urgent_priority."), "{stdout}");
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

/// The tour's database steps, exactly as written, on a server where they never ran: only the
/// database's name is made unique (and the database is dropped afterwards).
#[test]
fn the_tours_database_steps_run_as_written() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let lines = tour_database_commands();
    let export = lines[0]
        .strip_prefix("export DATABASE_URL=")
        .expect("the tour sets DATABASE_URL first");
    assert!(
        export.ends_with("/todo"),
        "the tour's database is `todo`: {export}"
    );
    let name = format!("todo_tour_{}", std::process::id());
    let url = format!("{}{name}", export.strip_suffix("todo").unwrap());
    let commands = &lines[1..];
    assert_eq!(
        commands.first().map(String::as_str),
        Some("cargo run -q -p migrate-gen -- database create"),
        "the tour creates its database before using it"
    );
    let run = |command: &str| {
        Command::new("sh")
            .arg("-c")
            .arg(command)
            .current_dir(repo)
            .env("DATABASE_URL", &url)
            .output()
            .unwrap()
    };
    let mut results = Vec::new();
    for command in commands {
        let out = run(command);
        results.push((command.clone(), out));
        if !results.last().unwrap().1.status.success() {
            break;
        }
    }
    let dropped = run("cargo run -q -p migrate-gen -- database drop --yes");
    for (command, out) in &results {
        assert!(
            out.status.success(),
            "{command}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(dropped.status.success());
    assert!(
        commands.iter().any(|c| c.ends_with("-- upgrade"))
            && commands.iter().any(|c| c.ends_with("-- downgrade -1"))
    );
}
