//! `upgrade`, `current` and `drift` over many targets: a file of database URLs, and the tenant
//! schemas of one database. Failures stop new targets unless `--keep-going`; canaries run
//! first; a rerun does only what is left.

use std::path::Path;
use std::process::Output;

use tests::{cli, TestDb};

const BIN: &str = env!("CARGO_BIN_EXE_migrate-gen");

fn run(dir: &Path, url: &str, args: &[&str]) -> Output {
    cli::run_dialect(BIN, dir, url, args)
}

/// The JSON objects of a `--json` run, one per target, then the summary.
fn json(out: &Output) -> Vec<serde_json::Value> {
    cli::stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn databases_of_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = cli::reference_postgres_history(tmp.path());
    let dbs = [
        TestDb::postgres().await,
        TestDb::postgres().await,
        TestDb::postgres().await,
    ];
    let missing = format!("{}_missing", dbs[0].url);
    let file = tmp.path().join("tenants.txt");
    std::fs::write(
        &file,
        format!(
            "# one database per tenant\n{}\n{}\n\n{missing}   # not created yet\n{}\n",
            dbs[0].url, dbs[1].url, dbs[2].url
        ),
    )
    .unwrap();
    let targets = file.to_str().unwrap();

    // One at a time, a failure stops the rest.
    let out = run(
        &dir,
        "",
        &["upgrade", "--targets", targets, "--jobs", "1", "--json"],
    );
    assert_eq!(out.status.code(), Some(8), "{}", cli::stderr(&out));
    let results = json(&out);
    let kinds: Vec<&str> = results[..4]
        .iter()
        .map(|r| r["result"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["ok", "ok", "failed", "skipped"]);
    assert_eq!(results[0]["applied"], 11);
    assert_eq!(results[4]["summary"]["skipped"], 1);

    // A rerun with --keep-going does what is left, and only that.
    let out = run(
        &dir,
        "",
        &[
            "upgrade",
            "--targets",
            targets,
            "--jobs",
            "3",
            "--keep-going",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(8), "{}", cli::stderr(&out));
    let applied: Vec<serde_json::Value> = json(&out)[..4]
        .iter()
        .map(|r| r["applied"].clone())
        .collect();
    assert_eq!(
        applied,
        [0.into(), 0.into(), serde_json::Value::Null, 11.into()]
    );

    // A failing canary stops everything after it.
    let canary = tmp.path().join("canary.txt");
    std::fs::write(&canary, format!("{missing}\n{}\n", dbs[0].url)).unwrap();
    let out = run(
        &dir,
        "",
        &[
            "current",
            "--targets",
            canary.to_str().unwrap(),
            "--canary",
            "1",
            "--keep-going",
        ],
    );
    assert_eq!(out.status.code(), Some(8), "{}", cli::stderr(&out));
    assert!(
        cli::stdout(&out).contains("skipped (an earlier target failed)"),
        "{}",
        cli::stdout(&out)
    );

    // Progress on stderr, one summary table on stdout.
    std::fs::write(&file, format!("{}\n{}\n", dbs[0].url, dbs[1].url)).unwrap();
    let out = run(&dir, "", &["current", "--targets", targets]);
    assert_eq!(out.status.code(), Some(0), "{}", cli::stderr(&out));
    assert!(
        cli::stderr(&out).contains("[2/2] "),
        "{}",
        cli::stderr(&out)
    );
    let table = cli::stdout(&out);
    assert!(table.starts_with("| target | result | time |"), "{table}");
    assert_eq!(table.matches("(head)").count(), 2, "{table}");
    assert!(table.contains("2 targets in "), "{table}");

    // Drift: one tenant's database changed by hand.
    let pool = dbs[1].pg_pool().await;
    sqlx::query("CREATE TABLE notes (id int PRIMARY KEY)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let out = run(&dir, "", &["drift", "--targets", targets, "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", cli::stderr(&out));
    let results = json(&out);
    assert_eq!(results[0]["result"], "ok");
    assert_eq!(results[1]["result"], "drift");
    assert_eq!(results[1]["drift"][0], "added: table notes");
}

#[tokio::test]
async fn schemas_of_a_database() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = cli::reference_postgres_history(tmp.path());
    let db = TestDb::postgres().await;
    let pool = db.pg_pool().await;
    for tenant in ["tenant_1", "tenant_2", "tenant_3", "other"] {
        sqlx::query(&format!("CREATE SCHEMA {tenant}"))
            .execute(&pool)
            .await
            .unwrap();
    }
    pool.close().await;

    let out = run(
        &dir,
        &db.url,
        &[
            "upgrade",
            "--schemas",
            "tenant\\_%",
            "--jobs",
            "2",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", cli::stderr(&out));
    let results = json(&out);
    let schemas: Vec<&str> = results[..3]
        .iter()
        .map(|r| r["schema"].as_str().unwrap())
        .collect();
    assert_eq!(schemas, ["tenant_1", "tenant_2", "tenant_3"]);
    assert!(results[..3].iter().all(|r| r["applied"] == 11));
    assert_eq!(results[3]["summary"]["targets"], 3);

    let out = run(&dir, &db.url, &["current", "--schema", "other"]);
    assert!(
        cli::stdout(&out).contains("base"),
        "other schemas untouched"
    );
    let out = run(&dir, &db.url, &["drift", "--schemas", "tenant\\_%"]);
    assert_eq!(out.status.code(), Some(0), "{}", cli::stdout(&out));

    let out = run(&dir, &db.url, &["current", "--schemas", "nobody\\_%"]);
    assert_eq!(out.status.code(), Some(2), "{}", cli::stderr(&out));
    assert!(cli::stderr(&out).contains("no targets"));
}
