//! `verify` timed as a user runs it (the reference binary, in a child process), on the
//! reference app's PostgreSQL history and on a history of 100 migrations that each add a table
//! of `model_core::synthetic`'s shape. Prints the Markdown table of README.md, "Performance".
//!
//! ```text
//! cargo bench -p migrate-gen --bench verify              # PostgreSQL at $BENCH_POSTGRES_URL
//! cargo bench -p migrate-gen --bench verify -- --smoke   # one round, 5 migrations (CI)
//! ```

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use model_core::dialect::Dialect;
use model_core::generate::{new_migrations, Request};
use model_core::migration::MigrationDir;
use model_core::synthetic;

/// A history of `count` migrations in `root/postgres`, the n-th adding table n.
fn history(root: &Path, count: usize) {
    let dir = root.join("postgres");
    for n in 1..=count {
        let mut migrations = MigrationDir::open(&dir, Dialect::Postgres).unwrap();
        let request = Request {
            online: true,
            message: format!("table {n}"),
            allow_destructive: false,
            empty: false,
            now: chrono::DateTime::from_timestamp(1_767_225_600 + n as i64 * 60, 0).unwrap(),
        };
        let new = new_migrations(&migrations, &synthetic::schema(n, None), &request).unwrap();
        migrations.write_all(new).unwrap();
    }
}

fn verify(url: &str, args: &[&str]) -> Duration {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_migrate-gen"))
        .arg("verify")
        .args(args)
        .env("DATABASE_URL", url)
        .output()
        .expect("run migrate-gen");
    let elapsed = start.elapsed();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    elapsed
}

fn median(rounds: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut samples: Vec<Duration> = (0..rounds).map(|_| f()).collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let smoke = std::env::args().any(|a| a == "--smoke");
    let rounds = if smoke { 1 } else { 5 };
    let count = if smoke { 5 } else { 100 };
    let url = std::env::var("BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());

    let reference = median(rounds, || verify(&url, &["--dialect", "postgres"]));
    let root =
        std::env::temp_dir().join(format!("migrate-gen-bench-verify-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    history(&root, count);
    let dir = root.to_string_lossy().into_owned();
    let long = median(rounds, || {
        verify(&url, &["--dir", &dir, "--dialect", "postgres"])
    });
    std::fs::remove_dir_all(&root).unwrap();

    println!("| history | `verify` (median of {rounds}) |");
    println!("|---|---|");
    println!("| reference app (PostgreSQL, 11 migrations, 3 tables) | {reference:.0?} |");
    println!("| {count} migrations, one table each | {long:.0?} |");
}
