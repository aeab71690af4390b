//! Every Rust type of the mapping, rendered for each dialect, makes a table that the real
//! database accepts, and sqlx writes and reads the derived struct's values through it.
//!
//! The DDL here is assembled from the dialect's type spellings only (no migration engine), so
//! this test pins the type mapping itself. The rendered spellings are also snapshotted.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use model_core::dialect::Dialect;
use model_core::schema::{ColumnType, Schema, Value};
use model_core::{DbEnum, SqlType, Table};
use rust_decimal::Decimal;
use sqlx::Executor;
use tests::TestDb;

#[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[db_enum(name = "mood", rename_all = "snake_case")]
enum Mood {
    Happy,
    SoSo,
    #[db_enum(rename = "it's complicated")]
    Complicated,
}

/// A user's own type: a newtype that sqlx handles transparently, mapped by implementing
/// `SqlType`.
#[derive(Debug, Clone, PartialEq, sqlx::Type)]
#[sqlx(transparent)]
struct Email(String);

impl SqlType for Email {
    type Value = Email;
    fn column_type() -> ColumnType {
        ColumnType::Varchar { length: 320 }
    }
    fn literal(value: &Email) -> Value {
        Value::Text(value.0.clone())
    }
}

/// The types every database supports through sqlx.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
#[table(name = "everything")]
struct Everything {
    #[column(primary_key)]
    id: i64,
    flag: bool,
    small: i16,
    int: i32,
    float: f32,
    double: f64,
    text: String,
    #[column(max_length = 20)]
    short: String,
    bytes: Vec<u8>,
    uuid: uuid::Uuid,
    at: chrono::DateTime<Utc>,
    naive_at: NaiveDateTime,
    date: NaiveDate,
    time: NaiveTime,
    json: serde_json::Value,
    mood: Mood,
    email: Email,
    maybe_int: Option<i32>,
    maybe_mood: Option<Mood>,
    maybe_email: Option<Email>,
}

/// Decimals (not supported by sqlx on SQLite).
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
#[table(name = "money")]
struct Money {
    #[column(primary_key)]
    id: i32,
    #[column(precision = 12, scale = 2)]
    amount: Decimal,
    free: Option<Decimal>,
}

/// Arrays (PostgreSQL only).
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
#[table(name = "arrays")]
struct Arrays {
    #[column(primary_key)]
    id: i32,
    numbers: Vec<i64>,
    words: Vec<String>,
    moods: Vec<Mood>,
    maybe_ids: Option<Vec<uuid::Uuid>>,
}

fn schema_of(table: model_core::schema::Table) -> Schema {
    model_core::registry::build(vec![("test", table)], vec![("test", Mood::enum_def())]).unwrap()
}

/// `CREATE TABLE` from the dialect's type spellings.
fn create_table(dialect: Dialect, table: &model_core::schema::Table) -> String {
    let schema = schema_of(table.clone());
    let d = dialect.sql();
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|c| {
            format!(
                "{} {}{}",
                d.ident(&c.name),
                d.column_type(&c.ty, &schema).unwrap(),
                if c.nullable { "" } else { " NOT NULL" }
            )
        })
        .collect();
    let key: Vec<String> = table
        .primary_key
        .columns
        .iter()
        .map(|c| d.ident(c))
        .collect();
    lines.push(format!("PRIMARY KEY ({})", key.join(", ")));
    format!(
        "CREATE TABLE {} (\n    {}\n)",
        d.ident(&table.name),
        lines.join(",\n    ")
    )
}

fn sample() -> Vec<Everything> {
    let full = Everything {
        id: 1,
        flag: true,
        small: -12,
        int: 1 << 30,
        float: 1.5,
        double: -2.25,
        text: "O'Reilly \\ \"quoted\" ünïcode".into(),
        short: "twenty chars at most".into(),
        bytes: vec![0, 1, 2, 254, 255],
        uuid: uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef),
        at: Utc.with_ymd_and_hms(2026, 3, 4, 5, 6, 7).unwrap()
            + chrono::Duration::microseconds(123_456),
        naive_at: NaiveDate::from_ymd_opt(1999, 12, 31)
            .unwrap()
            .and_hms_micro_opt(23, 59, 58, 999_999)
            .unwrap(),
        date: NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
        time: NaiveTime::from_hms_micro_opt(13, 14, 15, 500_000).unwrap(),
        json: serde_json::json!({"a": [1, 2, {"b": null}], "c": "d"}),
        mood: Mood::Complicated,
        email: Email("ada@example.com".into()),
        maybe_int: Some(7),
        maybe_mood: Some(Mood::SoSo),
        maybe_email: Some(Email("grace@example.com".into())),
    };
    let empty = Everything {
        id: 2,
        flag: false,
        text: String::new(),
        short: String::new(),
        bytes: Vec::new(),
        mood: Mood::Happy,
        maybe_int: None,
        maybe_mood: None,
        maybe_email: None,
        ..full.clone()
    };
    vec![full, empty]
}

const INSERT_EVERYTHING: [&str; 2] = [
    "INSERT INTO everything (id, flag, small, `int`, `float`, `double`, text, short, bytes, uuid, `at`, naive_at, date, time, json, mood, email, maybe_int, maybe_mood, maybe_email) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "INSERT INTO everything (id, flag, small, \"int\", \"float\", \"double\", text, short, bytes, uuid, \"at\", naive_at, date, time, json, mood, email, maybe_int, maybe_mood, maybe_email) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
];

macro_rules! bind_everything {
    ($query:expr, $row:expr) => {
        $query
            .bind($row.id)
            .bind($row.flag)
            .bind($row.small)
            .bind($row.int)
            .bind($row.float)
            .bind($row.double)
            .bind(&$row.text)
            .bind(&$row.short)
            .bind(&$row.bytes)
            .bind($row.uuid)
            .bind($row.at)
            .bind($row.naive_at)
            .bind($row.date)
            .bind($row.time)
            .bind(&$row.json)
            .bind($row.mood)
            .bind(&$row.email)
            .bind($row.maybe_int)
            .bind($row.maybe_mood)
            .bind(&$row.maybe_email)
    };
}

#[test]
fn rendered_types_per_dialect() {
    let mut out = String::new();
    for dialect in Dialect::ALL {
        out.push_str(&format!(
            "-- {dialect}\n{};\n",
            create_table(dialect, &Everything::table_def())
        ));
        if dialect != Dialect::Sqlite {
            out.push_str(&format!(
                "{};\n",
                create_table(dialect, &Money::table_def())
            ));
        }
        if dialect == Dialect::Postgres {
            out.push_str(&format!(
                "{};\n",
                create_table(dialect, &Arrays::table_def())
            ));
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn arrays_are_refused_outside_postgres() {
    let schema = schema_of(Arrays::table_def());
    let numbers = &Arrays::table_def().columns[1].ty;
    for dialect in [Dialect::Sqlite, Dialect::Mysql] {
        let err = dialect.sql().column_type(numbers, &schema).unwrap_err();
        assert!(err.to_string().contains("arrays"), "{err}");
    }
}

#[tokio::test]
async fn postgres_round_trip() {
    let db = TestDb::postgres().await;
    let pool = db.pg_pool().await;
    pool.execute("CREATE TYPE mood AS ENUM ('happy', 'so_so', 'it''s complicated')")
        .await
        .unwrap();
    for table in [
        Everything::table_def(),
        Money::table_def(),
        Arrays::table_def(),
    ] {
        pool.execute(create_table(Dialect::Postgres, &table).as_str())
            .await
            .unwrap();
    }
    for row in sample() {
        bind_everything!(sqlx::query(INSERT_EVERYTHING[1]), row)
            .execute(&pool)
            .await
            .unwrap();
    }
    let read: Vec<Everything> = sqlx::query_as("SELECT * FROM everything ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(read, sample());

    let money = Money {
        id: 1,
        amount: Decimal::new(123_456_789, 2),
        free: None,
    };
    sqlx::query("INSERT INTO money VALUES ($1, $2, $3)")
        .bind(money.id)
        .bind(money.amount)
        .bind(money.free)
        .execute(&pool)
        .await
        .unwrap();
    let read: Money = sqlx::query_as("SELECT * FROM money")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(read, money);

    let arrays = Arrays {
        id: 1,
        numbers: vec![1, -2, i64::MAX],
        words: vec!["a".into(), "b c".into(), "{d}".into()],
        moods: vec![Mood::SoSo, Mood::Complicated],
        maybe_ids: Some(vec![uuid::Uuid::nil()]),
    };
    sqlx::query("INSERT INTO arrays VALUES ($1, $2, $3, $4, $5)")
        .bind(arrays.id)
        .bind(&arrays.numbers)
        .bind(&arrays.words)
        .bind(&arrays.moods)
        .bind(&arrays.maybe_ids)
        .execute(&pool)
        .await
        .unwrap();
    let read: Arrays = sqlx::query_as("SELECT * FROM arrays")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(read, arrays);
}

#[tokio::test]
async fn mysql_round_trip() {
    let db = TestDb::mysql().await;
    let pool = db.mysql_pool().await;
    for table in [Everything::table_def(), Money::table_def()] {
        pool.execute(create_table(Dialect::Mysql, &table).as_str())
            .await
            .unwrap();
    }
    for row in sample() {
        bind_everything!(sqlx::query(INSERT_EVERYTHING[0]), row)
            .execute(&pool)
            .await
            .unwrap();
    }
    let read: Vec<Everything> = sqlx::query_as("SELECT * FROM everything ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(read, sample());

    // The inline ENUM rejects values outside the Rust enum.
    let err = sqlx::query("UPDATE everything SET mood = 'furious'")
        .execute(&pool)
        .await
        .unwrap_err();
    assert!(err.to_string().to_lowercase().contains("mood"), "{err}");

    let money = Money {
        id: 1,
        amount: Decimal::new(123_456_789, 2),
        free: None,
    };
    sqlx::query("INSERT INTO money VALUES (?, ?, ?)")
        .bind(money.id)
        .bind(money.amount)
        .bind(money.free)
        .execute(&pool)
        .await
        .unwrap();
    let read: Money = sqlx::query_as("SELECT * FROM money")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(read, money);
}

#[tokio::test]
async fn sqlite_round_trip() {
    let db = TestDb::sqlite().await;
    let pool = db.sqlite_pool().await;
    pool.execute(create_table(Dialect::Sqlite, &Everything::table_def()).as_str())
        .await
        .unwrap();
    for row in sample() {
        bind_everything!(sqlx::query(INSERT_EVERYTHING[1]), row)
            .execute(&pool)
            .await
            .unwrap();
    }
    let read: Vec<Everything> = sqlx::query_as("SELECT * FROM everything ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(read, sample());
}

/// A type that needs a PostgreSQL extension declares it; tables using it list the extension.
struct CaseInsensitive(String);

impl SqlType for CaseInsensitive {
    type Value = CaseInsensitive;
    const EXTENSIONS: &'static [&'static str] = &["citext"];
    fn column_type() -> ColumnType {
        ColumnType::Custom {
            sql: "citext".into(),
        }
    }
    fn literal(value: &CaseInsensitive) -> Value {
        Value::Text(value.0.clone())
    }
}

#[derive(Table)]
#[table(name = "handles", extensions = ["pg_trgm"])]
#[allow(dead_code)]
struct Handle {
    #[column(primary_key)]
    id: i32,
    name: CaseInsensitive,
    alias: Option<CaseInsensitive>,
}

#[test]
fn extensions_come_from_types_and_table_attributes() {
    let table = Handle::table_def();
    assert_eq!(table.extensions, ["citext", "pg_trgm"]);
    assert_eq!(
        table.columns[1].ty,
        ColumnType::Custom {
            sql: "citext".into()
        }
    );
    assert!(table.columns[2].nullable);
    // A single integer key that is not a foreign key is an identity column.
    assert_eq!(
        table.columns[0].identity,
        Some(model_core::schema::Identity::ByDefault)
    );
}
