//! A companion binary that links no models: this test binary links none, so it runs the CLI
//! in a child process of itself (the test below re-executes it with the arguments in an
//! environment variable) and checks what a user would see.

use std::path::Path;
use std::process::{Command, Output};

const ARGS: &str = "MIGRATE_GEN_NO_MODELS_ARGS";

/// The child: runs the CLI with the arguments it was given, exits with its code.
#[test]
fn companion_without_models() {
    tests::cli::companion(ARGS, |args| {
        migrate_gen::run(migrate_gen::Config::new("migrations"), args)
    });
}

fn run(args: &[&str]) -> Output {
    Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "--exact",
            "companion_without_models",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(ARGS, args.join("\u{1f}"))
        .output()
        .expect("run the test binary")
}

fn reference_history(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/todo/migrations/postgres");
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn an_empty_registry_names_the_tables_a_migration_would_drop() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    reference_history(&dir);
    for command in [&["generate", "oops"][..], &["check"][..]] {
        let mut args = command.to_vec();
        args.extend(["--dir", dir.to_str().unwrap()]);
        let out = run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{command:?}: {stderr}");
        let line = stderr
            .lines()
            .find(|l| l.starts_with("error:"))
            .unwrap_or_else(|| panic!("no error line in {stderr}"));
        assert!(line.contains("no models are registered"), "{line}");
        assert!(
            line.contains(
                "has 6 tables (reminders, tags, task_tags, tasks, user_sessions and 1 more)"
            ),
            "{line}"
        );
        assert!(line.contains("would drop"), "{line}");
    }
    // Nothing was written.
    let written = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("oops")
        })
        .count();
    assert_eq!(written, 0);
}

#[test]
fn an_empty_registry_without_history_still_explains_the_linking_mistake() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    let out = run(&["generate", "first", "--dir", dir.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("use my_models as _;"), "{stderr}");
    assert!(!stderr.contains("would drop"), "{stderr}");
    assert!(!dir.exists());
}
