//! Generation and apply at scale, on the deterministic synthetic schemas of
//! `model_core::synthetic` (12 columns of mixed types, 3 indexes, a unique, 1–2 foreign keys
//! with ON DELETE per table, an enum on one table in five). Prints the Markdown tables of
//! README.md, "Performance".
//!
//! ```text
//! cargo bench -p model-core --bench generate                 # everything (needs PostgreSQL for "apply")
//! cargo bench -p model-core --bench generate -- --sizes 10,100 --rounds 3
//! cargo bench -p model-core --bench generate -- --smoke      # one round of the smallest size (CI)
//! ```
//!
//! - **generate**: what `generate` does after reading the models, timed as a whole: build the
//!   models' schema (the registry's work, here from `synthetic::schema`), open the directory,
//!   find the head and read its snapshot, diff, plan, render up and down SQL, and write the
//!   files and snapshot(s). From an empty directory, and for a change to one table in ten.
//! - **history**: the same for a change to 1,000 tables with 0, 100 and 1,000 earlier
//!   migrations in the directory.
//! - **peak memory**: the largest resident set of a child process that generates the first
//!   migration of the largest size.
//! - **apply**: the first migration of 1,000 tables applied by the runner (what `upgrade`
//!   runs), against `psql -f` of the same files, each in one transaction, on the server
//!   `$BENCH_POSTGRES_URL` names (default `postgres://postgres@127.0.0.1:5432/postgres`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use model_core::dialect::Dialect;
use model_core::generate::{new_migrations, Request};
use model_core::migration::{MigrationDir, NewMigration};
use model_core::schema::Schema;
use model_core::snapshot::Snapshot;
use model_core::synthetic;

struct Options {
    sizes: Vec<usize>,
    rounds: usize,
    smoke: bool,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let smoke = args.iter().any(|a| a == "--smoke");
    let sizes = value("--sizes")
        .map(|s| {
            s.split(',')
                .map(|n| n.trim().parse().expect("a size"))
                .collect()
        })
        .unwrap_or_else(|| {
            if smoke {
                vec![10]
            } else {
                vec![10, 100, 1000, 5000]
            }
        });
    let rounds = value("--rounds")
        .map(|r| r.parse().expect("a number of rounds"))
        .unwrap_or(if smoke { 1 } else { 7 });
    Options {
        sizes,
        rounds,
        smoke,
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// A fresh directory under the system's temporary one.
fn scratch_dir(label: &str) -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "migrate-gen-bench-{}-{label}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn request(message: &str) -> Request {
    Request {
        online: true,
        message: message.into(),
        allow_destructive: false,
        empty: false,
        now: chrono::Utc::now(),
    }
}

/// Writes `count` migrations whose snapshots hold `schema` into `dir`, one after the other.
fn history(dir: &Path, schema: &Schema, count: usize) {
    let mut migrations = MigrationDir::open(dir, Dialect::Postgres).unwrap();
    let mut parent: Option<String> = None;
    for i in 0..count {
        let version = format!("{}", 20250101000000u64 + i as u64);
        migrations
            .write(NewMigration {
                version: version.clone(),
                slug: format!("step_{i}"),
                up: "-- up\n".into(),
                down: "-- down\n".into(),
                snapshot: Snapshot {
                    version: Some(version.clone()),
                    parent: parent.clone(),
                    ..Snapshot::new(schema.clone())
                },
            })
            .unwrap();
        parent = Some(version);
    }
}

/// One whole generation into `dir`, which holds the history to build on: the models, the
/// directory, the diff, the SQL and the files. Returns the number of migrations written.
fn generate_once(dir: &Path, tables: usize, changed_every: Option<usize>) -> usize {
    let models = synthetic::schema(tables, changed_every);
    let mut migrations = MigrationDir::open(dir, Dialect::Postgres).unwrap();
    let new = new_migrations(&migrations, &models, &request("change")).unwrap();
    let count = new.len();
    migrations.write_all(new).unwrap();
    count
}

/// Median time of a whole generation on top of the history `prepare` writes (fresh each round).
fn time_generate(
    rounds: usize,
    prepare: impl Fn(&Path),
    tables: usize,
    changed_every: Option<usize>,
) -> Duration {
    let samples = (0..rounds)
        .map(|_| {
            let dir = scratch_dir("generate");
            prepare(&dir);
            let start = Instant::now();
            let written = generate_once(&dir, tables, changed_every);
            let elapsed = start.elapsed();
            assert!(written > 0);
            std::fs::remove_dir_all(&dir).unwrap();
            elapsed
        })
        .collect();
    median(samples)
}

/// The peak resident set (VmHWM) of this process, in MiB.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

fn main() {
    // The child of "peak memory": one generation, then its peak.
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--peak-child") {
        let tables: usize = args[i + 1].parse().unwrap();
        let dir = scratch_dir("peak");
        generate_once(&dir, tables, None);
        std::fs::remove_dir_all(&dir).unwrap();
        println!("{:.1}", peak_mib());
        return;
    }
    let options = options();
    let rounds = options.rounds;
    if args.iter().any(|a| a == "--breakdown") {
        breakdown(*options.sizes.iter().max().unwrap());
        return;
    }

    println!("### generate (median of {rounds})\n");
    println!("| tables | first migration | change to 1 table in 10 | migrations written first |");
    println!("|---|---|---|---|");
    for &tables in &options.sizes {
        let first = time_generate(rounds, |_| {}, tables, None);
        let base = synthetic::schema(tables, None);
        let change = time_generate(rounds, |dir| history(dir, &base, 1), tables, Some(10));
        let dir = scratch_dir("count");
        let parts = generate_once(&dir, tables, None);
        std::fs::remove_dir_all(&dir).unwrap();
        println!("| {tables} | {first:.1?} | {change:.1?} | {parts} |");
    }

    let history_tables = if options.smoke { 10 } else { 1000 };
    let lengths: &[usize] = if options.smoke {
        &[0, 2]
    } else {
        &[0, 100, 1000]
    };
    println!("\n### history length: a change to {history_tables} tables (median of {rounds})\n");
    println!("| migrations before the head | generate |");
    println!("|---|---|");
    let base = synthetic::schema(history_tables, None);
    let small = synthetic::schema(10, None);
    for &earlier in lengths {
        let time = time_generate(
            rounds,
            |dir| {
                // `earlier` migrations of a small schema, then the head, which holds the
                // base: only the head's snapshot is read whole.
                history(dir, &small, earlier);
                let mut migrations = MigrationDir::open(dir, Dialect::Postgres).unwrap();
                let new = new_migrations(&migrations, &base, &request("base")).unwrap();
                migrations.write_all(new).unwrap();
            },
            history_tables,
            Some(10),
        );
        println!("| {earlier} | {time:.1?} |");
    }

    let largest = *options.sizes.iter().max().unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--peak-child", &largest.to_string()])
        .output()
        .expect("run the child");
    let peak = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    println!("\n### peak memory\n");
    println!("| tables | peak resident set of a process generating the first migration |");
    println!("|---|---|");
    println!("| {largest} | {peak} MiB |");

    apply(if options.smoke { 10 } else { 1000 }, rounds.min(3));
}

/// The first migration(s) of `tables` tables applied by the runner and by `psql -f`.
fn apply(tables: usize, rounds: usize) {
    let url = std::env::var("BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let dir = scratch_dir("apply");
    let mut migrations = MigrationDir::open(&dir, Dialect::Postgres).unwrap();
    let new = new_migrations(
        &migrations,
        &synthetic::schema(tables, None),
        &request("create"),
    )
    .unwrap();
    let files = migrations.write_all(new).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = model_core::runner::Server::of(&url).expect("a PostgreSQL URL");
    let mut runner_times = Vec::new();
    let mut psql_times = Vec::new();
    for _ in 0..rounds {
        runner_times.push(runtime.block_on(async {
            let scratch = server
                .temporary("bench")
                .await
                .expect("PostgreSQL for apply");
            let scripts = model_core::runner::load(&migrations).unwrap();
            let database = scratch.connect().await.unwrap();
            let mut runner = model_core::runner::Runner::new(database, &scripts, "bench");
            let start = Instant::now();
            runner
                .upgrade(&model_core::runner::UpTarget::Head, |_| {})
                .await
                .unwrap();
            let elapsed = start.elapsed();
            drop(runner);
            scratch.drop().await.unwrap();
            elapsed
        }));
        psql_times.push(runtime.block_on(async {
            let scratch = server.temporary("bench").await.unwrap();
            let start = Instant::now();
            for file in &files {
                let status = std::process::Command::new("psql")
                    .args([
                        "-q",
                        "-X",
                        "-v",
                        "ON_ERROR_STOP=1",
                        "--single-transaction",
                        "-d",
                    ])
                    .arg(scratch.url())
                    .arg("-f")
                    .arg(&file.up)
                    .stdout(std::process::Stdio::null())
                    .status()
                    .expect("psql");
                assert!(status.success());
            }
            let elapsed = start.elapsed();
            scratch.drop().await.unwrap();
            elapsed
        }));
    }
    std::fs::remove_dir_all(&dir).unwrap();
    let runner = median(runner_times);
    let psql = median(psql_times);
    println!("\n### apply: first migration of {tables} tables (median of {rounds})\n");
    println!("| runner (`upgrade`) | `psql -f`, one transaction per file | ratio |");
    println!("|---|---|---|");
    println!(
        "| {runner:.0?} | {psql:.0?} | {:.2} |",
        runner.as_secs_f64() / psql.as_secs_f64()
    );
}

/// Where the time of a change goes, step by step (for profiling by hand).
fn breakdown(tables: usize) {
    use model_core::plan::plan;
    let t = Instant::now();
    let base = synthetic::schema(tables, None);
    let changed = synthetic::schema(tables, Some(10));
    println!("models (twice): {:?}", t.elapsed());
    let dir = scratch_dir("breakdown");
    history(&dir, &base, 1);
    let t = Instant::now();
    let migrations = MigrationDir::open(&dir, Dialect::Postgres).unwrap();
    let head = migrations.head_schema().unwrap();
    println!("open + read head snapshot: {:?}", t.elapsed());
    let t = Instant::now();
    let p = plan(Dialect::Postgres, &head, &changed, Default::default()).unwrap();
    println!("diff + plan: {:?}", t.elapsed());
    let t = Instant::now();
    let up = model_core::render::render(Dialect::Postgres, &p.operations(), &changed).unwrap();
    let down = model_core::render::render(Dialect::Postgres, &p.down(), &head).unwrap();
    println!(
        "render up + down: {:?} ({} + {} ops)",
        t.elapsed(),
        up.len(),
        down.len()
    );
    let t = Instant::now();
    let text = serde_json::to_string_pretty(&Snapshot::new(changed.clone())).unwrap();
    println!("snapshot to JSON: {:?} ({} bytes)", t.elapsed(), text.len());
    let t = Instant::now();
    let new = new_migrations(&migrations, &changed, &request("change")).unwrap();
    println!("new_migrations: {:?}", t.elapsed());
    let t = Instant::now();
    let mut migrations = migrations;
    migrations.write_all(new).unwrap();
    println!("write_all: {:?}", t.elapsed());
    std::fs::remove_dir_all(&dir).unwrap();
}
