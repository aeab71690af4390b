//! The companion binary sees every model of the crate it links.

use std::process::Command;

fn migrate_gen(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_migrate-gen"))
        .args(args)
        .output()
        .expect("run migrate-gen")
}

#[test]
fn the_binary_sees_every_model_of_the_linked_crate() {
    let out = migrate_gen(&["snapshot"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tables: Vec<&String> = json["schema"]["tables"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(tables, ["tasks", "users"]);
    let enums: Vec<&String> = json["schema"]["enums"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(enums, ["priority"]);
}

#[test]
fn generate_reports_that_it_is_not_available_yet() {
    for args in [&["generate", "add priority"][..], &["add priority"][..]] {
        let out = migrate_gen(args);
        assert_eq!(out.status.code(), Some(69));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("\"add priority\""), "{err}");
    }
}

#[test]
fn unknown_commands_are_usage_errors() {
    let out = migrate_gen(&["--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}
