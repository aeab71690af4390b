//! The README's SQLite quickstart runs as written: `examples/sqlite-skeleton`, copied outside
//! this workspace and pointed at this checkout, generates, applies, shows and reverts its
//! migration with no server and no database URL.

use std::path::{Path, PathBuf};
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let name = entry.file_name();
        if entry.file_type().unwrap().is_dir() {
            if name != "target" && name != "migrations" {
                copy_dir(&entry.path(), &target);
            }
        } else if name != "development.db" {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The commands of the README's SQLite quickstart block, in order.
fn quickstart(repo: &Path) -> Vec<String> {
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    readme
        .split("<!-- sqlite-quickstart -->")
        .nth(1)
        .expect("a SQLite quickstart marker")
        .split("```sh\n")
        .nth(1)
        .expect("a shell block")
        .split("```")
        .next()
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_sqlite_quickstart_runs_as_written_with_no_server() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned();
    let commands = quickstart(&repo);
    assert_eq!(commands[0], "cd examples/sqlite-skeleton");

    // The repository's layout, outside the workspace: <tmp>/examples/sqlite-skeleton.
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("examples/sqlite-skeleton");
    copy_dir(&repo.join("examples/sqlite-skeleton"), &project);
    let manifest = project.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .unwrap()
        .replace(
            "../../model-core",
            &repo.join("model-core").display().to_string(),
        )
        .replace(
            "../../migrate-gen",
            &repo.join("migrate-gen").display().to_string(),
        );
    std::fs::write(&manifest, text).unwrap();

    // Shared with the other example's test, so that only the first build is slow.
    let target: PathBuf = repo.join("target/skeleton");
    // The block as one shell script, as a reader pastes it.
    let script = format!("set -e\n{}", commands.join("\n"));
    let out = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(tmp.path())
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run the quickstart");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{script}\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let up = std::fs::read_dir(project.join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("_create_notes.up.sql"))
        .expect("the migration");
    let sql = std::fs::read_to_string(up).unwrap();
    assert!(
        sql.contains("CONSTRAINT ck_notes_state_enum CHECK"),
        "{sql}"
    );
    assert!(
        project.join("development.db").exists(),
        "the embedded database"
    );
    assert!(stdout.contains("_create_notes (head)"), "{stdout}");
    assert!(stdout.contains("Reverted"), "{stdout}");
}
