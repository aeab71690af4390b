//! Upgrading a fleet: the reference app's PostgreSQL history applied to N databases (a
//! database per tenant) and to N schemas of one database (a schema per tenant), by one
//! `upgrade --targets` / `upgrade --schemas` run against a shell-style loop of one `upgrade`
//! process per tenant. Wall time of each; prints the Markdown table of README.md,
//! "Performance".
//!
//! ```text
//! cargo bench -p migrate-gen --bench fleet                 # 1,000 tenants, --jobs 8
//! cargo bench -p migrate-gen --bench fleet -- --tenants 100 --jobs 4
//! cargo bench -p migrate-gen --bench fleet -- --smoke      # 3 tenants (CI)
//! ```

use std::process::Command;
use std::time::{Duration, Instant};

use sqlx::{Connection, Executor, PgConnection};

const BIN: &str = env!("CARGO_BIN_EXE_migrate-gen");

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn upgrade(url: &str, extra: &[&str]) {
    let out = Command::new(BIN)
        .args(["upgrade", "--dialect", "postgres", "-q"])
        .args(extra)
        .env("DATABASE_URL", url)
        .output()
        .expect("run migrate-gen");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn timed(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn main() {
    let smoke = std::env::args().any(|a| a == "--smoke");
    let tenants: usize = arg("--tenants")
        .map(|n| n.parse().expect("a number"))
        .unwrap_or(if smoke { 3 } else { 1000 });
    let jobs = arg("--jobs").unwrap_or_else(|| "8".into());
    let server = std::env::var("BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let with_db = |name: &str| model_core::runner::with_database(&server, name);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let admin = |sql: String| {
        runtime.block_on(async {
            let mut conn = PgConnection::connect(&server).await.expect("PostgreSQL");
            conn.execute(sql.as_str()).await.unwrap();
        })
    };
    let names: Vec<String> = (0..tenants)
        .map(|i| format!("fleet_bench_{}_{i:04}", std::process::id()))
        .collect();
    let recreate_databases = || {
        for name in &names {
            admin(format!("DROP DATABASE IF EXISTS {name}"));
            admin(format!("CREATE DATABASE {name}"));
        }
    };

    // A database per tenant.
    recreate_databases();
    let loop_databases = timed(|| {
        for name in &names {
            upgrade(&with_db(name), &[]);
        }
    });
    recreate_databases();
    let file = std::env::temp_dir().join(format!("fleet-bench-{}.txt", std::process::id()));
    let list: String = names.iter().map(|n| format!("{}\n", with_db(n))).collect();
    std::fs::write(&file, list).unwrap();
    let fleet_databases = timed(|| {
        upgrade(
            &server,
            &["--targets", file.to_str().unwrap(), "--jobs", &jobs],
        )
    });
    for name in &names {
        admin(format!("DROP DATABASE IF EXISTS {name}"));
    }
    std::fs::remove_file(&file).unwrap();

    // A schema per tenant, in one database.
    let holder = format!("fleet_bench_{}_schemas", std::process::id());
    let recreate_holder = || {
        admin(format!("DROP DATABASE IF EXISTS {holder}"));
        admin(format!("CREATE DATABASE {holder}"));
    };
    recreate_holder();
    let url = with_db(&holder);
    let loop_schemas = timed(|| {
        for i in 0..tenants {
            upgrade(&url, &["--schema", &format!("tenant_{i:04}")]);
        }
    });
    recreate_holder();
    runtime.block_on(async {
        let mut conn = PgConnection::connect(&url).await.unwrap();
        for i in 0..tenants {
            conn.execute(format!("CREATE SCHEMA tenant_{i:04}").as_str())
                .await
                .unwrap();
        }
    });
    let fleet_schemas = timed(|| upgrade(&url, &["--schemas", "tenant\\_%", "--jobs", &jobs]));
    admin(format!("DROP DATABASE IF EXISTS {holder}"));

    println!("| {tenants} tenants, reference app (11 migrations) | loop of `upgrade` | one fleet run, `--jobs {jobs}` | speed-up |");
    println!("|---|---|---|---|");
    for (what, looped, fleet) in [
        (
            "a database each (`--targets`)",
            loop_databases,
            fleet_databases,
        ),
        (
            "a schema each, one database (`--schemas`)",
            loop_schemas,
            fleet_schemas,
        ),
    ] {
        println!(
            "| {what} | {looped:.1?} | {fleet:.1?} | {:.1}× |",
            looped.as_secs_f64() / fleet.as_secs_f64()
        );
    }
}
