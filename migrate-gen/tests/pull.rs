//! Adopting an existing database: `pull` writes models for a live schema from a companion
//! binary that links none yet, the models compile, `baseline` records the database as at
//! their first migration, and the same migration applied to an empty database builds a
//! schema equal to the original. The schemas are in `tests/fixtures/pull/`.
//!
//! Each test builds a project outside this workspace (as a user's would be), sharing
//! `target/skeleton` with the skeleton tests so that only the first build is slow.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use model_core::runner::Database;
use model_core::schema::Schema;
use tests::TestDb;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(repo().join("migrate-gen/tests/fixtures/pull").join(name)).unwrap()
}

/// A user's project: a library of models (empty at first) and its companion binary.
struct Project {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    bin: String,
}

impl Project {
    fn new(dialect: &str) -> Project {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(format!("adopt-{dialect}"));
        std::fs::create_dir_all(dir.join("src/bin")).unwrap();
        let repo = repo();
        let package = format!("adopt_{dialect}");
        std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                r#"[package]
name = "{package}"
version = "0.1.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
model-core = {{ path = "{core}", default-features = false, features = ["postgres", "sqlite", "mysql"] }}
migrate-gen = {{ path = "{cli}", default-features = false, features = ["sqlite", "mysql"] }}
sqlx = {{ version = "0.8", default-features = false, features = ["macros"] }}
chrono = {{ version = "0.4", default-features = false, features = ["std", "clock", "serde"] }}
rust_decimal = "1"
serde_json = "1"
uuid = {{ version = "1", features = ["v4", "serde"] }}
"#,
                core = repo.join("model-core").display(),
                cli = repo.join("migrate-gen").display(),
            ),
        )
        .unwrap();
        // Share the skeleton projects' lock file, so the same versions are built.
        std::fs::copy(
            repo.join("examples/skeleton/Cargo.lock"),
            dir.join("Cargo.lock"),
        )
        .unwrap();
        std::fs::write(dir.join("src/lib.rs"), "pub mod models;\n").unwrap();
        std::fs::write(dir.join("src/models.rs"), "").unwrap();
        let bin = format!("migrate-gen-{dialect}");
        let variant = match dialect {
            "postgres" => "Postgres",
            "sqlite" => "Sqlite",
            _ => "Mysql",
        };
        std::fs::write(
            dir.join(format!("src/bin/{bin}.rs")),
            format!(
                "use {package} as _;\n\n\
                 fn main() -> std::process::ExitCode {{\n    \
                 migrate_gen::main(migrate_gen::config!(\"migrations\")\
                 .dialect(model_core::dialect::Dialect::{variant}))\n}}\n"
            ),
        )
        .unwrap();
        Project {
            _tmp: tmp,
            dir,
            bin,
        }
    }

    fn target() -> PathBuf {
        repo().join("target/skeleton")
    }

    fn build(&self) {
        let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--quiet", "--bin", &self.bin])
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", Self::target())
            .output()
            .expect("cargo build");
        assert!(
            out.status.success(),
            "the project does not build:\n{}\n--- src/models.rs ---\n{}",
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(self.dir.join("src/models.rs")).unwrap_or_default()
        );
    }

    /// Runs the companion binary from the project's directory.
    fn run(&self, url: &str, args: &[&str]) -> Output {
        Command::new(Self::target().join("debug").join(&self.bin))
            .args(args)
            .current_dir(&self.dir)
            .env("DATABASE_URL", url)
            .output()
            .expect("run the companion binary")
    }

    fn models(&self) -> String {
        std::fs::read_to_string(self.dir.join("src/models.rs")).unwrap()
    }
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}", text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn introspect(url: &str) -> Schema {
    let mut database = Database::connect(url).await.unwrap();
    database.introspect().await.unwrap()
}

async fn execute(url: &str, sql: &str) {
    let mut database = Database::connect(url).await.unwrap();
    let result = match &mut database {
        Database::Postgres(b) => sqlx::raw_sql(sql).execute(b.connection()).await.map(|_| ()),
        Database::Sqlite(b) => sqlx::raw_sql(sql).execute(b.connection()).await.map(|_| ()),
        Database::Mysql(b) => sqlx::raw_sql(sql).execute(b.connection()).await.map(|_| ()),
    };
    result.unwrap_or_else(|e| panic!("{e}"));
}

/// Pull, build, baseline, and prove it: `generate` finds nothing to do, `check` and `drift`
/// are clean, and the migration builds the same schema in an empty database.
async fn round_trip(project: &Project, source: &TestDb, empty: &TestDb) -> String {
    project.build();
    let out = project.run(&source.url, &["pull", "--out", "src/models.rs"]);
    let stdout = ok(out);
    assert!(stdout.starts_with("Wrote src/models.rs ("), "{stdout}");
    project.build();

    let out = ok(project.run(&source.url, &["baseline"]));
    assert!(
        out.contains("Stamped: the database is recorded at "),
        "{out}"
    );
    let out = ok(project.run(&source.url, &["generate", "anything else"]));
    assert!(out.starts_with("No changes"), "{out}");
    let out = project.run(&source.url, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = ok(project.run(&source.url, &["drift"]));
    assert!(out.starts_with("No drift"), "{out}");

    ok(project.run(&empty.url, &["upgrade"]));
    let original = introspect(&source.url).await;
    let rebuilt = introspect(&empty.url).await;
    assert_eq!(
        original.tables.keys().collect::<Vec<_>>(),
        rebuilt.tables.keys().collect::<Vec<_>>()
    );
    for (name, table) in &original.tables {
        assert_eq!(Some(table), rebuilt.tables.get(name), "table {name}");
    }
    assert_eq!(original.enums, rebuilt.enums);
    project.models()
}

#[tokio::test]
async fn a_postgres_database_round_trips_through_pulled_models() {
    let source = TestDb::postgres().await;
    let empty = TestDb::postgres().await;
    let sql = fixture("postgres.sql");
    execute(&source.url, &sql).await;
    let project = Project::new("postgres");
    project.build();

    // The first pull lists every object the models cannot express, in the file and on stderr.
    let out = project.run(&source.url, &["pull", "--out", "src/models.rs"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    ok(out);
    let models = project.models();
    for object in [
        "view open_tasks",
        "materialized view account_invoice_totals",
        "function touch_updated_at()",
        "trigger tasks_touch_updated_at on tasks",
        "sequence invoice_number_seq",
        "row-level security policy projects_tenant_isolation on projects",
        "row-level security enabled on projects",
        "domain email_address",
        "partitioned table events",
        "partition events_2026_01 (a partition of events)",
        "foreign key order_allocations_bin_fkey on order_allocations: (warehouse_code, bin_code)",
        "generated column price_quotes.gross_amount",
    ] {
        assert!(
            stderr.contains(&format!("note: not expressible as models: {object}")),
            "{object} is not on stderr:\n{stderr}"
        );
        assert!(
            models.contains(&format!("// - {object}")),
            "{object} is not in the file's header"
        );
    }
    assert!(
        stderr.contains("sessions.ip_address: inet, as String"),
        "{stderr}"
    );
    project.build();

    // A database holding what the models leave out cannot be their baseline...
    let out = project.run(&source.url, &["baseline"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("added: foreign key order_allocations_bin_fkey on order_allocations"),
        "{}",
        text(&out)
    );
    assert!(!project.dir.join("migrations").exists(), "nothing written");
    // ...until it no longer does. Views, functions, triggers, policies and partitions stay.
    execute(
        &source.url,
        "ALTER TABLE order_allocations DROP CONSTRAINT order_allocations_bin_fkey",
    )
    .await;
    std::fs::write(project.dir.join("src/models.rs"), "").unwrap();
    let models = round_trip(&project, &source, &empty).await;

    // What the file says, for a few of the harder cases.
    for expected in [
        "#[table(\n    name = \"LegacyOrders\",",
        "#[column(primary_key, name = \"OrderID\", identity = false)]",
        "#[column(name = \"self\", default = false)]\n    #[sqlx(rename = \"self\")]\n    pub self_: bool,",
        "pub r#type: String,",
        "#[sqlx(rename = \"123abc\")]\n    pub _123abc: Option<String>,",
        "#[db_enum(rename = \"in progress\")]\n    InProgress,",
        "references = Self,",
        "initially_deferred",
        "extensions = [",
        "#[column(sql_type = \"citext\"",
        "#[column(primary_key, sql_type = \"serial\")]\n    pub id: i32,",
        "#[column(sql_type = \"bigserial\")]\n    pub ticket_no: i64,",
        "method = \"gin\"",
        "DESC NULLS LAST",
        "where = ",
        "#[derive(Table, sqlx::FromRow, Debug, Clone)]",
    ] {
        assert!(models.contains(expected), "{expected:?} is not in:\n{models}");
    }
    assert!(
        models.matches("#[derive(Table").count() >= 20,
        "at least twenty tables:\n{models}"
    );
}

#[tokio::test]
async fn a_sqlite_database_round_trips_through_pulled_models() {
    let source = TestDb::sqlite().await;
    let empty = TestDb::sqlite().await;
    execute(&source.url, &fixture("sqlite.sql")).await;
    let project = Project::new("sqlite");
    let models = round_trip(&project, &source, &empty).await;
    assert!(models.contains("// - view "), "{models}");
    assert!(models.contains("// - trigger "), "{models}");
    // An enum column as migrate-gen writes it for SQLite is an enum again.
    for expected in [
        "/// The values of column releases.channel.",
        "pub enum ReleaseChannel {",
        "#[column(default = ReleaseChannel::Stable)]\n    pub channel: ReleaseChannel,",
    ] {
        assert!(
            models.contains(expected),
            "{expected:?} is not in:\n{models}"
        );
    }
}

#[tokio::test]
async fn a_mariadb_database_round_trips_through_pulled_models() {
    let source = TestDb::mysql().await;
    let empty = TestDb::mysql().await;
    execute(&source.url, &fixture("mysql.sql")).await;
    let project = Project::new("mysql");
    let models = round_trip(&project, &source, &empty).await;
    assert!(models.contains("// - view "), "{models}");
    assert!(models.contains("// - trigger "), "{models}");
    assert!(models.contains("// - procedure "), "{models}");
}

/// Runs the reference binary (any companion binary pulls) from `dir`.
fn reference(dir: &Path, url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_migrate-gen"))
        .args(args)
        .current_dir(dir)
        .env("DATABASE_URL", url)
        .output()
        .expect("run migrate-gen")
}

fn one_error_line(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(out.stdout.is_empty(), "{}", text(out));
    stderr
}

#[tokio::test]
async fn bad_input_is_one_line_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let models = tmp.path().join("models.rs");
    let args = ["pull", "--out", "models.rs"];

    // A server that is not there.
    let out = reference(tmp.path(), "postgres://postgres@127.0.0.1:1/app", &args);
    assert_eq!(out.status.code(), Some(7), "{}", text(&out));
    one_error_line(&out);
    assert!(!models.exists());

    // Not a database URL.
    let out = reference(tmp.path(), "postgres//127.0.0.1/app", &args);
    assert_eq!(out.status.code(), Some(7), "{}", text(&out));
    assert!(one_error_line(&out).contains("is not a database URL"));

    // A SQLite file that is not there is not created.
    let missing = tmp.path().join("missing.db");
    let url = format!("sqlite://{}", missing.display());
    let out = reference(tmp.path(), &url, &args);
    assert_eq!(out.status.code(), Some(7), "{}", text(&out));
    assert!(one_error_line(&out).contains("does not exist"));
    assert!(!missing.exists());

    // A database with nothing in it.
    let empty = TestDb::postgres().await;
    let out = reference(tmp.path(), &empty.url, &args);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        one_error_line(&out).contains("has no tables in schema public: nothing to pull"),
        "{}",
        text(&out)
    );
    assert!(!models.exists());

    // A file that exists is kept unless --force says otherwise.
    let db = TestDb::postgres().await;
    execute(
        &db.url,
        "CREATE TABLE \"Display Names\" (\"Display Name\" text PRIMARY KEY, \"type\" int, \"123abc\" bool)",
    )
    .await;
    std::fs::write(&models, "// mine\n").unwrap();
    let out = reference(tmp.path(), &db.url, &args);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(one_error_line(&out).contains("pass --force"));
    assert_eq!(std::fs::read_to_string(&models).unwrap(), "// mine\n");
    let out = reference(
        tmp.path(),
        &db.url,
        &["pull", "--out", "models.rs", "--force"],
    );
    ok(out);
    let written = std::fs::read_to_string(&models).unwrap();
    assert!(written.contains("pub struct DisplayName {"), "{written}");
    assert!(
        written.contains("#[column(primary_key, name = \"Display Name\")]\n    #[sqlx(rename = \"Display Name\")]\n    pub display_name: String,"),
        "{written}"
    );
    assert!(written.contains("pub r#type: Option<i32>,"), "{written}");
    assert!(written.contains("pub _123abc: Option<bool>,"), "{written}");
    // Nothing but the file itself: no temporary left beside it.
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["models.rs"]);

    // Without --out, the file goes to stdout and the notes to stderr.
    let out = reference(tmp.path(), &db.url, &["pull"]);
    assert_eq!(ok(out), written);

    // `baseline` refuses a directory that has migrations already, before connecting.
    let dir = tmp.path().join("migrations");
    let out = reference(
        tmp.path(),
        "postgres://postgres@127.0.0.1:1/app",
        &[
            "baseline",
            "--dir",
            repo().join("examples/todo/migrations").to_str().unwrap(),
            "--dialect",
            "postgres",
        ],
    );
    assert_eq!(out.status.code(), Some(5), "{}", text(&out));
    assert!(one_error_line(&out).contains("use `migrate-gen stamp <version>`"));
    assert!(!dir.exists());
}
