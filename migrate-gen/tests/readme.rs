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
