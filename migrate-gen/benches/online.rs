//! Write latency while a migration runs: a table of 1,000,000 rows under a steady write load
//! (writers on loopback, each inserting a row and updating another in a loop), and for each
//! change the migration `generate` writes, online (the default) and with `--blocking`, applied
//! by the runner. For each: the longest and the 99th-percentile write while the migration ran,
//! and how long it ran (medians of `--runs`, default 3). Prints the Markdown table of
//! README.md, "Performance".
//!
//! A column rename is measured plain (`RENAME COLUMN`: the running version's inserts fail from
//! then on, and the table says how many) and with `--phased` (the expand migration while the
//! running version writes the old column, the contract while the next one writes the new
//! column; the figures are the worse of the two, the time their sum).
//!
//! Each measurement starts from a copy of one prepared database (`CREATE DATABASE ...
//! TEMPLATE`), at the first migration with its rows.
//!
//! ```text
//! cargo bench -p migrate-gen --bench online                      # 1,000,000 rows, 4 writers
//! cargo bench -p migrate-gen --bench online -- --rows 100000 --writers 2
//! cargo bench -p migrate-gen --bench online -- --smoke           # 2,000 rows (CI)
//! ```

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use model_core::dialect::Dialect;
use model_core::generate::{new_migrations, new_phased_migrations, Request};
use model_core::migration::MigrationDir;
use model_core::runner::{load, Database, LockPolicy, Runner, UpTarget};
use model_core::schema::{
    Check, Column, ColumnDefault, ColumnType, EnumValue, ForeignKey, Index, IndexKey,
    ReferentialAction, Schema, Unique, Value,
};
use model_core::{DbEnum, Table};
use sqlx::{Connection, Executor, PgConnection};

#[derive(DbEnum, Clone, Copy)]
#[db_enum(name = "item_status", rename_all = "snake_case")]
enum ItemStatus {
    Active,
    Archived,
}

// The structs only declare the schema.
#[allow(dead_code)]
#[derive(Table)]
#[table(name = "accounts")]
struct Account {
    #[column(primary_key)]
    id: i64,
}

#[allow(dead_code)]
#[derive(Table)]
#[table(name = "items")]
struct Item {
    #[column(primary_key)]
    id: i64,
    account_id: i64,
    #[column(max_length = 40)]
    code: String,
    qty: i32,
    note: Option<String>,
    status: ItemStatus,
}

/// The changes measured, as the schema after each.
const CHANGES: &[&str] = &[
    "add an index",
    "add a unique constraint",
    "add a foreign key",
    "make a column NOT NULL",
    "add a NOT NULL column with a default",
    "add a check",
    "add an enum value",
    "rename a column",
];

fn base() -> Schema {
    model_core::registry::build(
        vec![
            ("bench", Account::table_def()),
            ("bench", Item::table_def()),
        ],
        vec![("bench", ItemStatus::enum_def())],
    )
    .expect("a valid schema")
}

fn changed(change: &str) -> Schema {
    let mut schema = base();
    let items = schema.tables.get_mut("items").unwrap();
    match change {
        "add an index" => items.indexes.push(Index {
            name: "ix_items_qty".into(),
            keys: vec![IndexKey::column("qty")],
            unique: false,
            method: None,
            predicate: None,
        }),
        "add a unique constraint" => items.uniques.push(Unique {
            name: "uq_items_code".into(),
            columns: vec!["code".into()],
        }),
        "add a foreign key" => items.foreign_keys.push(ForeignKey {
            name: "fk_items_account_id_accounts".into(),
            columns: vec!["account_id".into()],
            ref_table: "accounts".into(),
            ref_columns: vec!["id".into()],
            on_delete: ReferentialAction::Cascade,
            on_update: ReferentialAction::default(),
            deferrable: Default::default(),
        }),
        "make a column NOT NULL" => {
            items
                .columns
                .iter_mut()
                .find(|c| c.name == "note")
                .unwrap()
                .nullable = false
        }
        "add a NOT NULL column with a default" => items.columns.push(Column {
            default: Some(ColumnDefault::Value(Value::Bool(false))),
            ..Column::new("flag", ColumnType::Boolean, false)
        }),
        "add a check" => items.checks.push(Check {
            name: "ck_items_qty".into(),
            expr: "qty >= 0".into(),
        }),
        "add an enum value" => {
            schema
                .enums
                .get_mut("item_status")
                .unwrap()
                .values
                .push(EnumValue {
                    name: "deleted".into(),
                    renamed_from: None,
                })
        }
        "rename a column" => {
            let note = items.columns.iter_mut().find(|c| c.name == "note").unwrap();
            note.name = "remark".into();
            note.renamed_from = Some("note".into());
        }
        other => panic!("unknown change {other}"),
    }
    for table in schema.tables.values_mut() {
        table.normalize();
    }
    schema
}

fn request(message: &str, second: u32, online: bool) -> Request {
    Request {
        message: message.into(),
        allow_destructive: false,
        empty: false,
        now: chrono::DateTime::from_timestamp(1_767_225_600 + i64::from(second), 0).unwrap(),
        online,
    }
}

/// A directory with the first migration and the change's, online or not.
fn directory(root: &Path, change: &str, online: bool) {
    let mut dir = MigrationDir::open(root, Dialect::Postgres).unwrap();
    let first = new_migrations(&dir, &base(), &request("create", 1, online)).unwrap();
    dir.write_all(first).unwrap();
    let second = if online && change == "rename a column" {
        new_phased_migrations(&dir, &changed(change), &request(change, 2, online)).unwrap()
    } else {
        new_migrations(&dir, &changed(change), &request(change, 2, online)).unwrap()
    };
    dir.write_all(second).unwrap();
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// One write: when it started, how long it took.
type Write = (Instant, Duration);

/// A writer: inserts a row (its text in column `note`) and updates another, until `stop`;
/// every write's timing, and how many writes failed.
async fn writer(
    url: String,
    n: i64,
    rows: i64,
    note: &'static str,
    first_id: i64,
    stop: Arc<AtomicBool>,
) -> (Vec<Write>, usize) {
    let mut conn = PgConnection::connect(&url)
        .await
        .expect("a writer's connection");
    let insert = format!(
        "INSERT INTO items (id, account_id, code, qty, {note}, status) \
         VALUES ($1, 1 + $1 % 100, 'w' || $1, 1, 'new', 'active')"
    );
    let (mut out, mut failed) = (Vec::new(), 0);
    let mut i: i64 = 0;
    while !stop.load(Ordering::Relaxed) {
        i += 1;
        let id = first_id + 10_000_000 * (n + 1) + i;
        let start = Instant::now();
        match sqlx::query(&insert).bind(id).execute(&mut conn).await {
            Ok(_) => out.push((start, start.elapsed())),
            Err(e) => {
                if failed == 0 && std::env::var("BENCH_VERBOSE").is_ok() {
                    eprintln!("writer {n} ({note}): {e}");
                }
                failed += 1
            }
        }
        let start = Instant::now();
        sqlx::query("UPDATE items SET qty = qty + 1 WHERE id = $1")
            .bind(1 + (id * 7919) % rows)
            .execute(&mut conn)
            .await
            .expect("update");
        out.push((start, start.elapsed()));
    }
    (out, failed)
}

/// Longest and 99th-percentile write that overlapped `[from, to]`.
fn latency(writes: &[Write], from: Instant, to: Instant) -> (Duration, Duration, usize) {
    let mut during: Vec<Duration> = writes
        .iter()
        .filter(|(start, took)| *start <= to && *start + *took >= from)
        .map(|(_, took)| *took)
        .collect();
    during.sort();
    let max = during.last().copied().unwrap_or_default();
    let p99 = during
        .get((during.len() * 99 / 100).min(during.len().saturating_sub(1)))
        .copied()
        .unwrap_or_default();
    (max, p99, during.len())
}

/// One measurement on database `url`: writers (writing column `note`) start, the migrations
/// of `root` up to `target` run, writers stop; the longest and 99th-percentile write while it
/// ran, how long it ran, and how many writes failed (while and after).
async fn measure(
    url: &str,
    root: &Path,
    (writers, rows, note, first_id): (i64, i64, &'static str, i64),
    target: UpTarget,
    change: &str,
) -> Sample {
    let stop = Arc::new(AtomicBool::new(false));
    let tasks: Vec<_> = (0..writers)
        .map(|n| {
            tokio::spawn(writer(
                url.to_owned(),
                n,
                rows,
                note,
                first_id,
                stop.clone(),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let scripts = load(&MigrationDir::open(root, Dialect::Postgres).unwrap()).unwrap();
    let mut database = Database::connect(url).await.unwrap();
    database.set_lock_policy(LockPolicy::default());
    let mut runner = Runner::new(database, &scripts, root.display().to_string());
    let from = Instant::now();
    runner
        .upgrade(&target, |_| {})
        .await
        .expect("the migration");
    let to = Instant::now();
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::Relaxed);
    let (mut writes, mut failed) = (Vec::new(), 0);
    for task in tasks {
        let (w, f) = task.await.unwrap();
        writes.extend(w);
        failed += f;
    }
    let (max, p99, count) = latency(&writes, from, to);
    assert!(count > 0, "{change}: no write while the migration ran");
    Sample {
        max,
        p99,
        ran: to - from,
        failed,
    }
}

/// One measurement.
#[derive(Debug, Clone, Copy, Default)]
struct Sample {
    max: Duration,
    p99: Duration,
    ran: Duration,
    failed: usize,
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let smoke = std::env::args().any(|a| a == "--smoke");
    let rows: i64 = arg("--rows")
        .map(|n| n.parse().expect("a number"))
        .unwrap_or(if smoke { 2_000 } else { 1_000_000 });
    let writers: i64 = arg("--writers")
        .map(|n| n.parse().expect("a number"))
        .unwrap_or(if smoke { 1 } else { 4 });
    let runs: usize = arg("--runs")
        .map(|n| n.parse().expect("a number"))
        .unwrap_or(if smoke { 1 } else { 3 });
    let server = std::env::var("BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let admin = |sql: String| {
        runtime.block_on(async {
            let mut conn = PgConnection::connect(&server).await.expect("PostgreSQL");
            conn.execute(sql.as_str()).await.unwrap();
        })
    };
    let prefix = format!("online_bench_{}", std::process::id());
    let template = format!("{prefix}_template");

    // The prepared database: the first migration, its rows, vacuumed.
    let tmp = tempfile::tempdir().unwrap();
    let first = tmp.path().join("first");
    {
        let mut dir = MigrationDir::open(&first, Dialect::Postgres).unwrap();
        let m = new_migrations(&dir, &base(), &request("create", 1, true)).unwrap();
        dir.write_all(m).unwrap();
    }
    admin(format!("DROP DATABASE IF EXISTS {template}"));
    admin(format!("CREATE DATABASE {template}"));
    let template_url = model_core::runner::with_database(&server, &template);
    runtime.block_on(async {
        let scripts = load(&MigrationDir::open(&first, Dialect::Postgres).unwrap()).unwrap();
        let database = Database::connect(&template_url).await.unwrap();
        Runner::new(database, &scripts, first.display().to_string())
            .upgrade(&UpTarget::Head, |_| {})
            .await
            .unwrap();
        let mut conn = PgConnection::connect(&template_url).await.unwrap();
        conn.execute(
            format!(
                "INSERT INTO accounts SELECT a FROM generate_series(1, 100) a;
                 INSERT INTO items SELECT i, 1 + i % 100, 'c' || i, i % 1000, 'note ' || i,
                   'active' FROM generate_series(1, {rows}) i;"
            )
            .as_str(),
        )
        .await
        .unwrap();
        conn.execute("VACUUM ANALYZE").await.unwrap();
    });

    let mut table = vec![
        format!(
            "| change ({rows} rows, {writers} writers) | plain DDL: longest write | p99 | ran for | online: longest write | p99 | ran for |"
        ),
        "|---|---|---|---|---|---|---|".to_owned(),
    ];
    for change in CHANGES {
        let mut cells = vec![change.to_string()];
        for online in [false, true] {
            let root = tmp
                .path()
                .join(format!("{}_{online}", change.replace(' ', "_")));
            directory(&root, change, online);
            let mut samples: Vec<Sample> = Vec::new();
            for _ in 0..runs {
                let name = format!("{prefix}_run");
                admin(format!("DROP DATABASE IF EXISTS {name}"));
                admin(format!("CREATE DATABASE {name} TEMPLATE {template}"));
                let url = model_core::runner::with_database(&server, &name);
                let sample = if change == &"rename a column" && online {
                    // Expand under the running version (writing `note`), then contract under
                    // the next one (writing `remark`).
                    let expand = runtime.block_on(measure(
                        &url,
                        &root,
                        (writers, rows, "note", 0),
                        UpTarget::Expand,
                        change,
                    ));
                    let contract = runtime.block_on(measure(
                        &url,
                        &root,
                        (writers, rows, "remark", 1_000_000_000),
                        UpTarget::Head,
                        change,
                    ));
                    Sample {
                        max: expand.max.max(contract.max),
                        p99: expand.p99.max(contract.p99),
                        ran: expand.ran + contract.ran,
                        failed: expand.failed + contract.failed,
                    }
                } else {
                    runtime.block_on(measure(
                        &url,
                        &root,
                        (writers, rows, "note", 0),
                        UpTarget::Head,
                        change,
                    ))
                };
                samples.push(sample);
                admin(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
            let median = |pick: fn(&Sample) -> Duration| {
                let mut values: Vec<Duration> = samples.iter().map(pick).collect();
                values.sort();
                values[values.len() / 2]
            };
            let failed = samples.iter().map(|s| s.failed).max().unwrap_or(0);
            cells.extend([
                ms(median(|s| s.max)),
                ms(median(|s| s.p99)),
                if failed > 0 {
                    format!("{} ({failed} writes failed)", ms(median(|s| s.ran)))
                } else {
                    ms(median(|s| s.ran))
                },
            ]);
        }
        table.push(format!("| {} |", cells.join(" | ")));
        eprintln!("{}", table.last().unwrap());
    }
    admin(format!("DROP DATABASE IF EXISTS {template}"));
    println!("{}", table.join("\n"));
}
