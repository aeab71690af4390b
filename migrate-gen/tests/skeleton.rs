//! A project outside this workspace (`examples/skeleton`, copied elsewhere and pointed at this
//! checkout) builds its own companion binary over its own models, generates a migration with
//! it, and applies it; it asks for PostgreSQL only and compiles no other database driver.

use std::path::{Path, PathBuf};
use std::process::Command;

use tests::TestDb;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" && entry.file_name() != "migrations" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[tokio::test]
async fn an_outside_project_generates_and_applies_its_own_migrations() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned();
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("my-service");
    copy_dir(&repo.join("examples/skeleton"), &project);
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

    // Shared across runs so that only the first build is slow.
    let target: PathBuf = repo.join("target/skeleton");
    let db = TestDb::postgres().await;
    let run = |args: &[&str]| {
        let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["run", "--quiet", "--bin", "migrate-gen", "--"])
            .args(args)
            .current_dir(&project)
            .env("CARGO_TARGET_DIR", &target)
            .env("DATABASE_URL", &db.url)
            .output()
            .expect("cargo run");
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };

    let out = run(&["create notes"]);
    assert!(out.starts_with("Wrote migrations/"), "{out}");
    let up = std::fs::read_dir(project.join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("_create_notes.up.sql"))
        .expect("the up file");
    let sql = std::fs::read_to_string(up).unwrap();
    assert!(
        sql.contains("CREATE TYPE note_state AS ENUM ('draft', 'published');"),
        "{sql}"
    );
    assert!(sql.contains("CREATE TABLE notes ("), "{sql}");
    assert!(run(&["again"]).starts_with("No changes"));

    let out = run(&["upgrade"]);
    assert!(out.contains("Applied "), "{out}");
    assert!(run(&["current"]).contains("_create_notes (head)"));
    let pool = db.pg_pool().await;
    let id: i64 = sqlx::query_scalar("INSERT INTO notes (title) VALUES ('hello') RETURNING id")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(id, 1, "the identity column numbers rows");
    let state: String = sqlx::query_scalar("SELECT state::text FROM notes")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(state, "draft");

    // The project asks for PostgreSQL only: sqlx's SQLite and MySQL drivers are not built.
    let tree = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["tree", "--edges", "normal", "--prefix", "none"])
        .current_dir(&project)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("cargo tree");
    let tree = String::from_utf8_lossy(&tree.stdout);
    assert!(tree.contains("sqlx-postgres"), "{tree}");
    assert!(
        !tree.contains("sqlx-sqlite") && !tree.contains("sqlx-mysql"),
        "a PostgreSQL-only project compiles other drivers:\n{tree}"
    );
}
