//! The companion binary end to end: it sees every model of the crate it links, and generates
//! migrations into a directory without any database.

use std::path::Path;
use std::process::{Command, Output};

fn migrate_gen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_migrate-gen"))
        .args(args)
        .output()
        .expect("run migrate-gen")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn the_binary_sees_every_model_of_the_linked_crate() {
    let out = migrate_gen(&["snapshot"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tables: Vec<&String> = json["schema"]["tables"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(
        tables,
        [
            "reminders",
            "tags",
            "task_tags",
            "tasks",
            "user_sessions",
            "users"
        ]
    );
    let enums: Vec<&String> = json["schema"]["enums"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(enums, ["priority"]);
}

#[test]
fn generate_writes_a_migration_then_reports_no_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("migrations");
    let dir = root.join("postgres");
    let dir_arg = root.to_str().unwrap();

    // The bare message form is `generate`; the reference app targets PostgreSQL and SQLite,
    // so it writes both directories.
    let out = migrate_gen(&["create users and tasks", "--dir", dir_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("Wrote "), "{}", stdout(&out));
    let names = files(&dir);
    assert_eq!(names.len(), 4, "{names:?}");
    assert_eq!(names[3], "migrate-gen.json");
    let version = names[0].split('_').next().unwrap().to_owned();
    assert_eq!(version.len(), 14);
    for suffix in [".down.sql", ".snapshot.json", ".up.sql"] {
        assert!(names.contains(&format!("{version}_create_users_and_tasks{suffix}")));
    }
    let up = std::fs::read_to_string(dir.join(format!("{version}_create_users_and_tasks.up.sql")))
        .unwrap();
    assert!(up.starts_with("-- create users and tasks\n-- parent: none (first migration)\n"));
    assert!(
        up.contains("CREATE TYPE priority AS ENUM ('URGENT', 'HIGH', 'MEDIUM', 'LOW', 'NONE');")
    );
    let sqlite = files(&root.join("sqlite"));
    assert_eq!(sqlite, names, "the same version and files for SQLite");
    assert_eq!(files(&root.join("mysql")), names, "and for MySQL");
    let up = std::fs::read_to_string(
        root.join("sqlite")
            .join(format!("{version}_create_users_and_tasks.up.sql")),
    )
    .unwrap();
    assert!(
        up.contains("CHECK (priority IN ('URGENT', 'HIGH', 'MEDIUM', 'LOW', 'NONE'))"),
        "{up}"
    );

    let out = migrate_gen(&["generate", "again", "--dir", dir_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!(
            "No changes for postgres: the models match {version}_create_users_and_tasks.\n\
             No changes for sqlite: the models match {version}_create_users_and_tasks.\n\
             No changes for mysql: the models match {version}_create_users_and_tasks.\n"
        )
    );
    assert_eq!(files(&dir), names, "nothing written");

    // --empty writes a pair for hand-written SQL whose snapshot is its parent's.
    let out = migrate_gen(&["generate", "--empty", "backfill data", "--dir", dir_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    let names = files(&dir);
    assert_eq!(names.len(), 7);
    let empty_version = names
        .iter()
        .find(|n| n.ends_with("_backfill_data.snapshot.json"))
        .unwrap()
        .split('_')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        empty_version > version,
        "versions increase: {empty_version} > {version}"
    );
    let snap: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(format!("{empty_version}_backfill_data.snapshot.json")))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(snap["parent"], serde_json::json!(version));
    let out = migrate_gen(&["generate", "after empty", "--dir", dir_arg]);
    assert!(stdout(&out).starts_with("No changes"), "{}", stdout(&out));
}

#[test]
fn dry_run_prints_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations").join("postgres");
    let out = migrate_gen(&[
        "generate",
        "--dry-run",
        "first",
        "--dir",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("_first.up.sql\n-- first\n"), "{text}");
    assert!(text.contains("DROP TABLE tasks;"), "{text}");
    assert!(!dir.exists());
}

#[test]
fn a_table_missing_from_the_models_is_named_and_refused() {
    let tmp = tempfile::tempdir().unwrap();
    // PostgreSQL's directory only.
    let dir = tmp.path().join("migrations").join("postgres");
    let dir_arg = dir.parent().unwrap().to_str().unwrap();
    assert!(
        migrate_gen(&["first", "--dir", dir_arg, "--dialect", "postgres"])
            .status
            .success()
    );
    // Pretend the last migration left a table that the models no longer declare.
    let snapshot_path = dir.join(
        files(&dir)
            .into_iter()
            .find(|n| n.ends_with(".snapshot.json"))
            .unwrap(),
    );
    let mut snap: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&snapshot_path).unwrap()).unwrap();
    let mut audit = snap["schema"]["tables"]["users"].clone();
    audit["name"] = "audit_log".into();
    audit["primary_key"]["name"] = "pk_audit_log".into();
    audit["uniques"][0]["name"] = "uq_audit_log_email".into();
    snap["schema"]["tables"]["audit_log"] = audit;
    std::fs::write(&snapshot_path, serde_json::to_string_pretty(&snap).unwrap()).unwrap();

    let out = migrate_gen(&["second", "--dir", dir_arg, "--dialect", "postgres"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("`audit_log`"), "{err}");
    assert!(err.contains("--allow-destructive"), "{err}");

    let out = migrate_gen(&[
        "drop audit log",
        "--allow-destructive",
        "--dir",
        dir_arg,
        "--dialect",
        "postgres",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let up_path = dir.join(
        files(&dir)
            .into_iter()
            .find(|n| n.ends_with("_drop_audit_log.up.sql"))
            .unwrap(),
    );
    let up = std::fs::read_to_string(up_path).unwrap();
    assert!(
        up.contains("-- DESTRUCTIVE: drop table audit_log and all its rows"),
        "{up}"
    );
}

#[test]
fn several_heads_stop_generation() {
    let tmp = tempfile::tempdir().unwrap();
    // PostgreSQL's directory only.
    let dir = tmp.path().join("migrations").join("postgres");
    let dir_arg = dir.parent().unwrap().to_str().unwrap();
    assert!(
        migrate_gen(&["first", "--dir", dir_arg, "--dialect", "postgres"])
            .status
            .success()
    );
    assert!(migrate_gen(&[
        "--empty",
        "branch a",
        "--dir",
        dir_arg,
        "--dialect",
        "postgres"
    ])
    .status
    .success());
    // A second child of the first migration, as after merging two branches.
    let names = files(&dir);
    let branch_a = names
        .iter()
        .find(|n| n.ends_with("_branch_a.snapshot.json"))
        .unwrap();
    let version_a: u64 = branch_a.split('_').next().unwrap().parse().unwrap();
    let version_b = version_a + 1;
    for suffix in ["up.sql", "down.sql", "snapshot.json"] {
        let text = std::fs::read_to_string(dir.join(branch_a.replace("snapshot.json", suffix)))
            .unwrap()
            .replace(&version_a.to_string(), &version_b.to_string());
        std::fs::write(dir.join(format!("{version_b}_branch_b.{suffix}")), text).unwrap();
    }
    let out = migrate_gen(&["third", "--dir", dir_arg, "--dialect", "postgres"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("2 heads ({version_a}, {version_b})")),
        "{err}"
    );
}

#[test]
fn a_directory_of_another_dialect_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("postgres")).unwrap();
    std::fs::write(
        tmp.path().join("postgres/migrate-gen.json"),
        "{\"dialect\": \"sqlite\"}",
    )
    .unwrap();
    let out = migrate_gen(&["first", "--dir", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(5));
    assert!(
        stderr(&out).contains("holds sqlite migrations, not postgres"),
        "{}",
        stderr(&out)
    );
    assert!(
        !tmp.path().join("sqlite").exists(),
        "all directories or none"
    );
    let out = migrate_gen(&[
        "first",
        "--dir",
        tmp.path().to_str().unwrap(),
        "--dialect",
        "postgres",
    ]);
    assert_eq!(out.status.code(), Some(5));
    assert!(
        stderr(&out).contains("holds sqlite migrations, not postgres"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unknown_flags_are_usage_errors() {
    let out = migrate_gen(&["--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_teaches_the_commands() {
    let out = migrate_gen(&["generate", "--help"]);
    assert!(out.status.success());
    let text = stdout(&out);
    for needle in [
        "--dry-run",
        "--empty",
        "--allow-destructive",
        "--dir",
        "Examples:",
    ] {
        assert!(text.contains(needle), "{needle} in {text}");
    }
}

#[test]
fn help_texts() {
    let mut all = String::new();
    for args in [
        &["--help"][..],
        &["generate", "--help"][..],
        &["upgrade", "--help"][..],
        &["downgrade", "--help"][..],
        &["check", "--help"][..],
        &["adopt", "--help"][..],
    ] {
        let out = migrate_gen(args);
        assert!(out.status.success());
        all.push_str(&format!(
            "$ migrate-gen {}\n{}\n",
            args.join(" "),
            stdout(&out)
        ));
    }
    insta::assert_snapshot!(all);
}

#[test]
fn error_texts() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("missing");
    let mut all = String::new();
    for args in [
        &["upgrade", "--dir", missing.to_str().unwrap()][..],
        &["downgrade", "+1", "--dir", tmp.path().to_str().unwrap()][..],
        &["--frobnicate"][..],
    ] {
        let out = migrate_gen(args);
        let text = stderr(&out).replace(tmp.path().to_str().unwrap(), "<tmp>");
        all.push_str(&format!(
            "$ migrate-gen {} => exit {:?}\n{text}\n",
            args[0],
            out.status.code()
        ));
    }
    insta::assert_snapshot!(all);
}
