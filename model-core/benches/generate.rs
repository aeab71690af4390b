//! Generation speed on a large schema: 1,000 tables of 12 columns, 3 indexes and 1–2 foreign
//! keys each. Prints a Markdown table (see README.md, "Performance").
//!
//! `cargo bench -p model-core --bench generate` (add `-- --quick` for fewer rounds).
//!
//! Measured: planning the first migration (diff against the empty schema, PostgreSQL SQL for
//! up and down); planning a change to 100 tables; and the whole `generate` path (open the
//! directory, find the head, read its snapshot, diff, render) with 1, 10 and 50 earlier
//! migrations in the directory, to show that earlier migrations cost next to nothing.

use std::time::{Duration, Instant};

use model_core::dialect::Dialect;
use model_core::diff::DiffOptions;
use model_core::generate::{new_migrations, Request};
use model_core::migration::{MigrationDir, NewMigration};
use model_core::plan::plan;
use model_core::render::render;
use model_core::schema::{
    Column, ColumnDefault, ColumnType, ForeignKey, Index, IndexKey, PrimaryKey, Schema, Table,
    Value,
};
use model_core::snapshot::Snapshot;

fn column(name: &str, ty: ColumnType, nullable: bool) -> Column {
    Column {
        name: name.into(),
        ty,
        nullable,
        default: None,
        identity: None,
        renamed_from: None,
        backfill_sql: None,
        comment: None,
    }
}

fn large_schema(tables: usize, variant: usize) -> Schema {
    let mut schema = Schema::new();
    for t in 0..tables {
        let name = format!("table_{t:04}");
        let mut columns = vec![
            column("id", ColumnType::BigInt, false),
            column("name", ColumnType::Varchar { length: 200 }, false),
            column("description", ColumnType::Text, true),
            column(
                "amount",
                ColumnType::Decimal {
                    precision: Some(12),
                    scale: Some(2),
                },
                false,
            ),
            column("created_at", ColumnType::TimestampTz, false),
            column("updated_at", ColumnType::TimestampTz, true),
            column("flag", ColumnType::Boolean, false),
            column("code", ColumnType::Uuid, false),
            column("payload", ColumnType::Json, true),
            column("counter", ColumnType::Integer, false),
            column("parent_id", ColumnType::BigInt, true),
            column("other_id", ColumnType::BigInt, true),
        ];
        columns[6].default = Some(ColumnDefault::Value(Value::Bool(false)));
        columns[4].default = Some(ColumnDefault::Sql("now()".into()));
        if variant > 0 && t % 10 == 0 {
            // The change: a wider type, a new default, a new column.
            columns[9].ty = ColumnType::BigInt;
            columns[9].default = Some(ColumnDefault::Value(Value::Number("0".into())));
            columns.push(column("extra", ColumnType::Text, true));
        }
        let mut foreign_keys = Vec::new();
        if t > 0 {
            foreign_keys.push(ForeignKey {
                name: format!("fk_{name}_parent_id"),
                columns: vec!["parent_id".into()],
                ref_table: format!("table_{:04}", t - 1),
                ref_columns: vec!["id".into()],
                on_delete: Default::default(),
                on_update: Default::default(),
                deferrable: Default::default(),
            });
        }
        if t > 1 && t % 2 == 0 {
            foreign_keys.push(ForeignKey {
                name: format!("fk_{name}_other_id"),
                columns: vec!["other_id".into()],
                ref_table: format!("table_{:04}", t / 2),
                ref_columns: vec!["id".into()],
                on_delete: model_core::schema::ReferentialAction::Cascade,
                on_update: Default::default(),
                deferrable: Default::default(),
            });
        }
        let index = |cols: &[&str]| Index {
            name: format!("ix_{name}_{}", cols.join("_")),
            keys: cols.iter().map(|c| IndexKey::column(*c)).collect(),
            unique: false,
            method: None,
            predicate: None,
        };
        let mut table = Table {
            name: name.clone(),
            renamed_from: None,
            comment: None,
            columns,
            primary_key: PrimaryKey {
                name: format!("pk_{name}"),
                columns: vec!["id".into()],
            },
            indexes: vec![
                index(&["parent_id"]),
                index(&["other_id"]),
                index(&["name", "created_at"]),
            ],
            uniques: vec![],
            checks: vec![],
            foreign_keys,
            extensions: vec![],
        };
        table.normalize();
        schema.tables.insert(name, table);
    }
    schema
}

fn time<T>(rounds: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut samples: Vec<Duration> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let rounds = if quick { 3 } else { 9 };
    let base = large_schema(1000, 0);
    let changed = large_schema(1000, 1);
    let options = DiffOptions::default();

    println!("| case (1,000 tables) | median of {rounds} |");
    println!("|---|---|");
    let first = time(rounds, || {
        let plan = plan(Dialect::Postgres, &Schema::new(), &base, options).unwrap();
        let up = render(Dialect::Postgres, &plan.operations(), &base).unwrap();
        let down = render(Dialect::Postgres, &plan.down(), &Schema::new()).unwrap();
        (up.len(), down.len())
    });
    println!("| first migration: diff + up/down SQL | {first:.1?} |");
    let change = time(rounds, || {
        let plan = plan(Dialect::Postgres, &base, &changed, options).unwrap();
        let up = render(Dialect::Postgres, &plan.operations(), &changed).unwrap();
        let down = render(Dialect::Postgres, &plan.down(), &base).unwrap();
        (up.len(), down.len())
    });
    println!("| change to 100 tables: diff + up/down SQL | {change:.1?} |");

    for earlier in [1usize, 10, 50] {
        let tmp = tempfile_dir();
        let mut dir = MigrationDir::open(&tmp, Dialect::Postgres).unwrap();
        let mut parent: Option<String> = None;
        for i in 0..earlier {
            let version = format!("{}", 20260101000000u64 + i as u64);
            dir.write(NewMigration {
                version: version.clone(),
                slug: format!("step_{i}"),
                up: String::from("-- up\n"),
                down: String::from("-- down\n"),
                snapshot: Snapshot {
                    version: Some(version.clone()),
                    parent: parent.clone(),
                    ..Snapshot::new(base.clone())
                },
            })
            .unwrap();
            parent = Some(version);
        }
        let request = Request {
            message: "change".into(),
            allow_destructive: false,
            empty: false,
            now: chrono::Utc::now(),
        };
        let whole = time(rounds, || {
            let dir = MigrationDir::open(&tmp, Dialect::Postgres).unwrap();
            new_migrations(&dir, &changed, &request).unwrap().len()
        });
        println!("| generate with {earlier} earlier migrations (read head snapshot, diff, SQL) | {whole:.1?} |");
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "migrate-gen-bench-{}-{}",
        std::process::id(),
        Instant::now().elapsed().as_nanos()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
