//! MariaDB and MySQL introspection from `information_schema`, for the connection's current
//! database (`DATABASE()`).
//!
//! What is read, and how it is spelled back (the forms [`MySql`]'s `stored()` lowers the
//! models to, so that a database made from the models compares equal with them):
//!
//! - Tables (`TABLES`, base tables only) with their comments; sqlx's version table and the
//!   runner's bookkeeping tables (`_migrate_gen…`) are skipped.
//! - Columns (`COLUMNS`): types mapped back as the README's type table spells them
//!   (`tinyint(1)` is a boolean, `binary(16)` a uuid, `longtext` text, `longblob` bytes,
//!   `datetime(6)` a timestamp, `time(6)` a time, `decimal(p,s)` a decimal); any other
//!   spelling is kept as [`ColumnType::Custom`]. An inline `ENUM(...)` is kept as a custom type
//!   re-spelled as the renderer writes it (`ENUM('a', 'b')`): MySQL stores no enum name.
//!   `AUTO_INCREMENT` is an identity ([`Identity::ByDefault`]); an empty comment is none.
//! - Defaults: MariaDB (10.2.7 and later) quotes literals in `COLUMN_DEFAULT` and prints
//!   expressions bare (`current_timestamp(6)`, `(1 + 2)`); the string `NULL` means no default.
//!   A quoted literal is unescaped (MariaDB writes `\'` and `\\`) and quoted again as the
//!   renderer quotes strings; a literal of a time type becomes the [`Value::Text`] the models
//!   give such a default (`'2026-01-01 10:00:00.000000'` → `2026-01-01 10:00:00`). MySQL 8
//!   prints literals unquoted and marks expressions with `DEFAULT_GENERATED` in `EXTRA`; both
//!   spellings are read.
//! - The primary key: MySQL always names it `PRIMARY`, whatever the `CONSTRAINT` clause said.
//! - UNIQUE constraints and indexes (`STATISTICS`): MySQL has no unique constraint apart from a
//!   unique index, so a unique key of ascending columns is read as a [`Unique`] (however it
//!   was created: `ADD CONSTRAINT … UNIQUE`, `UNIQUE KEY` or `CREATE UNIQUE INDEX`), and any
//!   other key as an [`Index`] with its column order and `DESC` (MariaDB 10.8+, MySQL 8).
//!   Indexes MySQL made for a foreign key carry the foreign key's name and are not reported.
//!   `BTREE` is the default method; `HASH` is read as hash; `FULLTEXT` and `SPATIAL` have no
//!   counterpart in the schema and read as plain indexes. Functional key parts (MySQL 8.0.13+
//!   only; MariaDB 10.11 has none) are read from `STATISTICS.EXPRESSION`.
//! - CHECK constraints (`CHECK_CONSTRAINTS`), with the expression as the server re-prints it
//!   (backticks around identifiers, lowercase keywords, `length` as `octet_length`, …; the
//!   MySQL comparison rules compare it by normalized tree). MariaDB's automatic
//!   `CHECK (json_valid(col))`, named after the column, is how a `JSON` column is told from
//!   `LONGTEXT` there: the column reads as [`ColumnType::Json`] and the check is dropped.
//!   MySQL 8 has a real `JSON` type and enforces checks since 8.0.16 (earlier versions parse
//!   and ignore them, and have no `CHECK_CONSTRAINTS` table).
//! - Foreign keys (`REFERENTIAL_CONSTRAINTS` + `KEY_COLUMN_USAGE`, columns in key order) with
//!   their ON DELETE / ON UPDATE actions. InnoDB treats `RESTRICT` and `NO ACTION` alike and
//!   reports an omitted clause as `RESTRICT`; both read as [`ReferentialAction::NoAction`].
//!   MySQL has no deferrable constraints.

use std::collections::BTreeMap;

use sqlx::{MySqlConnection, Row};

use crate::dialect::{
    canonical_temporal, enum_values, string_literal, MySql, SqlDialect,
    MYSQL_PRIMARY_KEY as PRIMARY_KEY_NAME,
};
use crate::schema::{
    Check, Column, ColumnDefault, ColumnType, Deferrable, ForeignKey, Identity, Index, IndexKey,
    IndexMethod, IndexTarget, PrimaryKey, ReferentialAction, Schema, SortOrder, Table, Unique,
    Value,
};

/// Reads every base table of the connection's current database except sqlx's version table
/// and the runner's bookkeeping tables (`_migrate_gen…`).
pub async fn introspect(conn: &mut MySqlConnection) -> Result<Schema, sqlx::Error> {
    let version: String = sqlx::query_scalar("SELECT CAST(VERSION() AS CHAR)")
        .fetch_one(&mut *conn)
        .await?;
    let mariadb = version.to_ascii_lowercase().contains("mariadb");

    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    for row in sqlx::query(
        "SELECT CAST(TABLE_NAME AS CHAR) AS name, CAST(TABLE_COMMENT AS CHAR) AS comment \
         FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let name: String = row.try_get("name")?;
        if skipped(&name) {
            continue;
        }
        let comment: Option<String> = row.try_get("comment")?;
        tables.insert(
            name.clone(),
            Table {
                name,
                renamed_from: None,
                comment: comment.filter(|c| !c.is_empty()),
                columns: Vec::new(),
                primary_key: PrimaryKey {
                    name: String::new(),
                    columns: Vec::new(),
                },
                indexes: Vec::new(),
                uniques: Vec::new(),
                checks: Vec::new(),
                foreign_keys: Vec::new(),
                extensions: Vec::new(),
            },
        );
    }

    columns(conn, mariadb, &mut tables).await?;
    checks(conn, mariadb, &mut tables).await?;
    foreign_keys(conn, &mut tables).await?;
    indexes(conn, mariadb, &mut tables).await?;

    let mut schema = Schema::new();
    for (name, mut table) in tables {
        table.normalize();
        schema.tables.insert(name, table);
    }
    Ok(schema)
}

/// Tables that are not the application's.
fn skipped(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "_sqlx_migrations" || lower.starts_with("_migrate_gen")
}

fn decode_error(object: &str, message: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Protocol(format!(
        "cannot read `{object}` from information_schema: {message}"
    ))
}

async fn columns(
    conn: &mut MySqlConnection,
    mariadb: bool,
    tables: &mut BTreeMap<String, Table>,
) -> Result<(), sqlx::Error> {
    let rows = sqlx::query(
        "SELECT CAST(TABLE_NAME AS CHAR) AS table_name, CAST(COLUMN_NAME AS CHAR) AS name, \
         CAST(COLUMN_TYPE AS CHAR) AS column_type, CAST(DATA_TYPE AS CHAR) AS data_type, \
         CAST(IS_NULLABLE AS CHAR) AS nullable, CAST(COLUMN_DEFAULT AS CHAR) AS column_default, \
         CAST(EXTRA AS CHAR) AS extra, CAST(COLUMN_COMMENT AS CHAR) AS comment \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, ORDINAL_POSITION",
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        let table_name: String = r.try_get("table_name")?;
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        let name: String = r.try_get("name")?;
        let column_type: String = r.try_get("column_type")?;
        let data_type: String = r.try_get("data_type")?;
        let extra: String = r.try_get::<Option<String>, _>("extra")?.unwrap_or_default();
        let ty = parse_type(&column_type, &data_type);
        let default: Option<String> = r.try_get("column_default")?;
        let default = default
            .map(|d| read_default(&ty, &d, mariadb, &extra))
            .transpose()
            .map_err(|e| decode_error(&format!("{table_name}.{name}"), e))?
            .flatten();
        let comment: Option<String> = r.try_get("comment")?;
        table.columns.push(Column {
            name,
            ty,
            nullable: r.try_get::<String, _>("nullable")? == "YES",
            default,
            identity: extra
                .to_ascii_lowercase()
                .contains("auto_increment")
                .then_some(Identity::ByDefault),
            renamed_from: None,
            backfill_sql: None,
            comment: comment.filter(|c| !c.is_empty()),
        });
    }
    Ok(())
}

/// Maps `COLUMN_TYPE` (with `DATA_TYPE`) back to a column type; spellings the README's type
/// table does not use stay verbatim ([`ColumnType::Custom`]), lowercase as MySQL prints them.
/// Display widths of integers (`int(11)`, MariaDB and MySQL before 8.0.19) are ignored.
pub fn parse_type(column_type: &str, data_type: &str) -> ColumnType {
    let spelled = column_type.trim();
    let lower = spelled.to_ascii_lowercase();
    let data_type = data_type.trim().to_ascii_lowercase();
    if data_type == "enum" {
        if let Some(values) = enum_values(spelled) {
            return ColumnType::Custom {
                sql: MySql.enum_type(values.iter().map(String::as_str)),
            };
        }
    }
    // `int(11)` → `int`; `int(10) unsigned` stays custom.
    let without_width = match lower.find('(') {
        Some(i) if lower.ends_with(')') && lower[i + 1..lower.len() - 1].parse::<u32>().is_ok() => {
            Some(&lower[..i])
        }
        _ => None,
    };
    let integer_word = without_width.unwrap_or(lower.as_str());
    match (lower.as_str(), integer_word) {
        ("tinyint(1)", _) => return ColumnType::Boolean,
        (_, "smallint") => return ColumnType::SmallInt,
        (_, "int") => return ColumnType::Integer,
        (_, "bigint") => return ColumnType::BigInt,
        ("float", _) => return ColumnType::Real,
        ("double", _) => return ColumnType::Double,
        ("longtext", _) => return ColumnType::Text,
        ("longblob", _) => return ColumnType::Bytes,
        ("binary(16)", _) => return ColumnType::Uuid,
        ("datetime(6)", _) => return ColumnType::Timestamp,
        ("date", _) => return ColumnType::Date,
        ("time(6)", _) => return ColumnType::Time,
        ("json", _) => return ColumnType::Json,
        _ => {}
    }
    if let Some(length) = lower
        .strip_prefix("varchar(")
        .and_then(|r| r.strip_suffix(')'))
        .and_then(|n| n.trim().parse().ok())
    {
        return ColumnType::Varchar { length };
    }
    if let Some(args) = lower
        .strip_prefix("decimal(")
        .and_then(|r| r.strip_suffix(')'))
    {
        let mut parts = args.split(',').map(|p| p.trim().parse::<u32>().ok());
        if let (Some(Some(p)), Some(Some(s)), None) = (parts.next(), parts.next(), parts.next()) {
            // The widest decimal is what an unbounded decimal is written as.
            if (p, s) == (65, 30) {
                return ColumnType::Decimal {
                    precision: None,
                    scale: None,
                };
            }
            return ColumnType::Decimal {
                precision: Some(p),
                scale: Some(s),
            };
        }
    }
    ColumnType::Custom { sql: lower }
}

/// A `COLUMN_DEFAULT` as a default of the schema (`None`: no default).
fn read_default(
    ty: &ColumnType,
    raw: &str,
    mariadb: bool,
    extra: &str,
) -> Result<Option<ColumnDefault>, String> {
    let raw = raw.trim();
    let literal = if mariadb {
        if raw.eq_ignore_ascii_case("null") {
            return Ok(None);
        }
        if raw.starts_with('\'') {
            let (text, rest) =
                string_literal(raw).ok_or_else(|| format!("unterminated literal {raw}"))?;
            if !rest.trim().is_empty() {
                return Ok(Some(ColumnDefault::Sql(raw.to_owned())));
            }
            Some(text)
        } else {
            None
        }
    } else if extra.to_ascii_lowercase().contains("default_generated") {
        // MySQL 8: an expression default.
        None
    } else if is_text_like(ty) {
        Some(raw.to_owned())
    } else {
        None
    };
    let Some(text) = literal else {
        return Ok(Some(ColumnDefault::Sql(raw.to_owned())));
    };
    if let Some(value) = canonical_temporal(ty, &text) {
        return Ok(Some(ColumnDefault::Value(Value::Text(value))));
    }
    Ok(Some(ColumnDefault::Sql(MySql.string(&text))))
}

/// Types whose MySQL 8 defaults are string literals printed without quotes.
fn is_text_like(ty: &ColumnType) -> bool {
    match ty {
        ColumnType::Text
        | ColumnType::Varchar { .. }
        | ColumnType::Json
        | ColumnType::Uuid
        | ColumnType::Bytes
        | ColumnType::Timestamp
        | ColumnType::TimestampTz
        | ColumnType::Date
        | ColumnType::Time => true,
        ColumnType::Custom { sql } => {
            let sql = sql.to_ascii_lowercase();
            [
                "char", "text", "enum", "set", "blob", "binary", "date", "time",
            ]
            .iter()
            .any(|w| sql.contains(w))
        }
        _ => false,
    }
}

/// The column a MariaDB automatic JSON check guards: a column-level `json_valid(`col`)`. It
/// is named after the column, and keeps that name when the column is renamed.
fn json_check_column(clause: &str) -> Option<String> {
    let compact: String = clause
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '`')
        .collect::<String>()
        .to_ascii_lowercase();
    let compact = compact
        .strip_prefix('(')
        .and_then(|c| c.strip_suffix(')'))
        .map(str::to_owned)
        .unwrap_or(compact);
    compact
        .strip_prefix("json_valid(")
        .and_then(|c| c.strip_suffix(')'))
        .filter(|c| !c.contains([',', '(']))
        .map(str::to_owned)
}

async fn checks(
    conn: &mut MySqlConnection,
    mariadb: bool,
    tables: &mut BTreeMap<String, Table>,
) -> Result<(), sqlx::Error> {
    // MariaDB names checks per table and lists the table; MySQL 8 names them per database and
    // lists the table in TABLE_CONSTRAINTS only.
    let sql = if mariadb {
        "SELECT CAST(TABLE_NAME AS CHAR) AS table_name, CAST(CONSTRAINT_NAME AS CHAR) AS name, \
         CAST(CHECK_CLAUSE AS CHAR) AS clause, CAST(LEVEL AS CHAR) AS level \
         FROM information_schema.CHECK_CONSTRAINTS \
         WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME"
    } else {
        "SELECT CAST(tc.TABLE_NAME AS CHAR) AS table_name, CAST(cc.CONSTRAINT_NAME AS CHAR) AS name, \
         CAST(cc.CHECK_CLAUSE AS CHAR) AS clause FROM information_schema.CHECK_CONSTRAINTS cc \
         JOIN information_schema.TABLE_CONSTRAINTS tc ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA \
         AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK' \
         WHERE cc.CONSTRAINT_SCHEMA = DATABASE() ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME"
    };
    for r in sqlx::query(sql).fetch_all(&mut *conn).await? {
        let table_name: String = r.try_get("table_name")?;
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        let name: String = r.try_get("name")?;
        let clause: String = r.try_get("clause")?;
        let column_level = mariadb
            && r.try_get::<String, _>("level")
                .is_ok_and(|l| l.eq_ignore_ascii_case("column"));
        if let Some(guarded) = json_check_column(&clause).filter(|_| column_level) {
            if let Some(column) = table
                .columns
                .iter_mut()
                .find(|c| c.name.eq_ignore_ascii_case(&guarded))
            {
                if column.ty == ColumnType::Text {
                    column.ty = ColumnType::Json;
                    continue;
                }
            }
        }
        table.checks.push(Check {
            name,
            expr: clause.trim().to_owned(),
        });
    }
    Ok(())
}

fn action(rule: &str) -> ReferentialAction {
    match rule.trim().to_ascii_uppercase().as_str() {
        "CASCADE" => ReferentialAction::Cascade,
        "SET NULL" => ReferentialAction::SetNull,
        "SET DEFAULT" => ReferentialAction::SetDefault,
        // InnoDB checks RESTRICT and NO ACTION alike, at once, and reports an omitted clause
        // as RESTRICT.
        _ => ReferentialAction::NoAction,
    }
}

async fn foreign_keys(
    conn: &mut MySqlConnection,
    tables: &mut BTreeMap<String, Table>,
) -> Result<(), sqlx::Error> {
    let rows = sqlx::query(
        "SELECT CAST(rc.TABLE_NAME AS CHAR) AS table_name, CAST(rc.CONSTRAINT_NAME AS CHAR) AS name, \
         CAST(rc.REFERENCED_TABLE_NAME AS CHAR) AS ref_table, CAST(rc.UPDATE_RULE AS CHAR) AS on_update, \
         CAST(rc.DELETE_RULE AS CHAR) AS on_delete, CAST(k.COLUMN_NAME AS CHAR) AS column_name, \
         CAST(k.REFERENCED_COLUMN_NAME AS CHAR) AS ref_column \
         FROM information_schema.REFERENTIAL_CONSTRAINTS rc \
         JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA \
         AND k.TABLE_NAME = rc.TABLE_NAME AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME \
         AND k.REFERENCED_TABLE_NAME IS NOT NULL \
         WHERE rc.CONSTRAINT_SCHEMA = DATABASE() \
         ORDER BY rc.TABLE_NAME, rc.CONSTRAINT_NAME, k.ORDINAL_POSITION",
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        let table_name: String = r.try_get("table_name")?;
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        let name: String = r.try_get("name")?;
        let column: String = r.try_get("column_name")?;
        let ref_column: String = r.try_get("ref_column")?;
        if let Some(fk) = table.foreign_keys.iter_mut().find(|f| f.name == name) {
            fk.columns.push(column);
            fk.ref_columns.push(ref_column);
            continue;
        }
        table.foreign_keys.push(ForeignKey {
            name,
            columns: vec![column],
            ref_table: r.try_get("ref_table")?,
            ref_columns: vec![ref_column],
            on_delete: action(&r.try_get::<String, _>("on_delete")?),
            on_update: action(&r.try_get::<String, _>("on_update")?),
            deferrable: Deferrable::No,
        });
    }
    Ok(())
}

/// One key of `STATISTICS`, in order.
struct KeyPart {
    column: Option<String>,
    expression: Option<String>,
    descending: bool,
}

async fn indexes(
    conn: &mut MySqlConnection,
    mariadb: bool,
    tables: &mut BTreeMap<String, Table>,
) -> Result<(), sqlx::Error> {
    // Functional key parts exist on MySQL 8 only.
    let expression = if mariadb {
        "NULL"
    } else {
        "CAST(EXPRESSION AS CHAR)"
    };
    let rows = sqlx::query(&format!(
        "SELECT CAST(TABLE_NAME AS CHAR) AS table_name, CAST(INDEX_NAME AS CHAR) AS name, \
         CAST(NON_UNIQUE AS SIGNED) AS non_unique, CAST(COLUMN_NAME AS CHAR) AS column_name, \
         CAST(COLLATION AS CHAR) AS collation, CAST(INDEX_TYPE AS CHAR) AS index_type, \
         {expression} AS expression \
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"
    ))
    .fetch_all(&mut *conn)
    .await?;
    // (table, index) → (unique, type, parts), in order.
    let mut found: BTreeMap<(String, String), (bool, String, Vec<KeyPart>)> = BTreeMap::new();
    for r in rows {
        let table_name: String = r.try_get("table_name")?;
        let name: String = r.try_get("name")?;
        let entry = found.entry((table_name, name)).or_insert_with(|| {
            (
                r.try_get::<i64, _>("non_unique").unwrap_or(1) == 0,
                r.try_get::<Option<String>, _>("index_type")
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
                Vec::new(),
            )
        });
        entry.2.push(KeyPart {
            column: r.try_get("column_name")?,
            expression: r.try_get("expression")?,
            descending: r.try_get::<Option<String>, _>("collation")?.as_deref() == Some("D"),
        });
    }
    for ((table_name, name), (unique, index_type, parts)) in found {
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        if name == PRIMARY_KEY_NAME {
            table.primary_key = PrimaryKey {
                name,
                columns: parts.into_iter().filter_map(|p| p.column).collect(),
            };
            continue;
        }
        // The index MySQL made (or kept) for a foreign key carries the key's name.
        if table.foreign_keys.iter().any(|fk| fk.name == name) {
            continue;
        }
        let plain_columns = parts.iter().all(|p| p.column.is_some() && !p.descending);
        if unique && plain_columns {
            table.uniques.push(Unique {
                name,
                columns: parts.into_iter().filter_map(|p| p.column).collect(),
            });
            continue;
        }
        let mut keys = Vec::new();
        for part in parts {
            let target = match (part.column, part.expression) {
                (Some(column), _) => IndexTarget::Column(column),
                (None, Some(expression)) => {
                    let expression = expression.trim();
                    let expression = expression
                        .strip_prefix('(')
                        .and_then(|e| e.strip_suffix(')'))
                        .unwrap_or(expression);
                    IndexTarget::Expression(expression.to_owned())
                }
                (None, None) => return Err(decode_error(&name, "a key part without a column")),
            };
            keys.push(IndexKey {
                target,
                opclass: None,
                order: part.descending.then_some(SortOrder::Desc),
                nulls: None,
            });
        }
        table.indexes.push(Index {
            name,
            keys,
            unique,
            method: IndexMethod::parse(&index_type).filter(|m| *m != IndexMethod::Btree),
            predicate: None,
        });
    }
    Ok(())
}

/// What the database holds that models cannot declare: views, triggers, routines, events,
/// generated columns, partitioning and full-text or spatial indexes (see
/// [`Extras`](super::Extras)).
pub async fn extras(conn: &mut MySqlConnection) -> Result<super::Extras, sqlx::Error> {
    let queries = [
        "SELECT CONCAT('view ', TABLE_NAME) AS x FROM information_schema.VIEWS \
         WHERE TABLE_SCHEMA = DATABASE()",
        "SELECT CONCAT('trigger ', TRIGGER_NAME, ' on ', EVENT_OBJECT_TABLE) \
         AS x FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()",
        "SELECT CONCAT(LOWER(ROUTINE_TYPE), ' ', ROUTINE_NAME) AS x FROM information_schema.ROUTINES \
         WHERE ROUTINE_SCHEMA = DATABASE()",
        "SELECT CONCAT('event ', EVENT_NAME) AS x FROM information_schema.EVENTS \
         WHERE EVENT_SCHEMA = DATABASE()",
        "SELECT CONCAT('generated column ', TABLE_NAME, '.', COLUMN_NAME, \
         ': pulled as a plain column') AS x FROM information_schema.COLUMNS \
         WHERE TABLE_SCHEMA = DATABASE() AND (EXTRA LIKE '%GENERATED%' OR IS_GENERATED = 'ALWAYS')",
        "SELECT DISTINCT CONCAT('partitioning of ', TABLE_NAME) AS x FROM information_schema.PARTITIONS \
         WHERE TABLE_SCHEMA = DATABASE() AND PARTITION_NAME IS NOT NULL",
        "SELECT DISTINCT CONCAT(LOWER(INDEX_TYPE), ' index ', INDEX_NAME, ' on ', TABLE_NAME) \
         AS x FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
         AND INDEX_TYPE IN ('FULLTEXT', 'SPATIAL')",
    ];
    let mut objects = Vec::new();
    for query in queries {
        let rows: Vec<String> =
            sqlx::query_scalar(&format!("SELECT CAST(x AS CHAR) FROM ({query}) AS q"))
                .fetch_all(&mut *conn)
                .await?;
        objects.extend(rows);
    }
    objects.sort();
    objects.dedup();
    Ok(super::Extras {
        objects,
        extensions: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types() {
        assert_eq!(parse_type("tinyint(1)", "tinyint"), ColumnType::Boolean);
        assert_eq!(parse_type("int(11)", "int"), ColumnType::Integer);
        assert_eq!(parse_type("int", "int"), ColumnType::Integer);
        assert_eq!(parse_type("bigint(20)", "bigint"), ColumnType::BigInt);
        assert_eq!(parse_type("smallint(6)", "smallint"), ColumnType::SmallInt);
        assert_eq!(
            parse_type("int(10) unsigned", "int"),
            ColumnType::Custom {
                sql: "int(10) unsigned".into()
            }
        );
        assert_eq!(
            parse_type("varchar(200)", "varchar"),
            ColumnType::Varchar { length: 200 }
        );
        assert_eq!(
            parse_type("decimal(12,2)", "decimal"),
            ColumnType::Decimal {
                precision: Some(12),
                scale: Some(2)
            }
        );
        assert_eq!(
            parse_type("decimal(65,30)", "decimal"),
            ColumnType::Decimal {
                precision: None,
                scale: None
            }
        );
        assert_eq!(parse_type("binary(16)", "binary"), ColumnType::Uuid);
        assert_eq!(parse_type("datetime(6)", "datetime"), ColumnType::Timestamp);
        assert_eq!(
            parse_type("datetime", "datetime"),
            ColumnType::Custom {
                sql: "datetime".into()
            }
        );
        assert_eq!(
            parse_type("enum('a','it''s','b\\\\c')", "enum"),
            ColumnType::Custom {
                sql: "ENUM('a', 'it''s', 'b\\\\c')".into()
            }
        );
    }

    #[test]
    fn enum_value_lists() {
        assert_eq!(
            enum_values("enum('open','done')"),
            Some(vec!["open".to_owned(), "done".to_owned()])
        );
        assert_eq!(
            enum_values("ENUM('it''s', 'a\\'b', 'x,y')"),
            Some(vec!["it's".to_owned(), "a'b".to_owned(), "x,y".to_owned()])
        );
        assert_eq!(enum_values("varchar(3)"), None);
        assert_eq!(enum_values("enum('a'"), None);
    }

    #[test]
    fn defaults() {
        let text = ColumnType::Text;
        let read = |ty: &ColumnType, raw: &str| read_default(ty, raw, true, "").expect("reads");
        assert_eq!(read(&text, "NULL"), None);
        assert_eq!(
            read(&text, "'it\\'s'"),
            Some(ColumnDefault::Sql("'it''s'".into()))
        );
        assert_eq!(
            read(&ColumnType::Boolean, "0"),
            Some(ColumnDefault::Sql("0".into()))
        );
        assert_eq!(
            read(&ColumnType::Timestamp, "current_timestamp(6)"),
            Some(ColumnDefault::Sql("current_timestamp(6)".into()))
        );
        assert_eq!(
            read(&ColumnType::Timestamp, "'2026-01-01 10:00:00.000000'"),
            Some(ColumnDefault::Value(Value::Text(
                "2026-01-01 10:00:00".into()
            )))
        );
        assert_eq!(
            read(&ColumnType::Time, "'10:00:00.500000'"),
            Some(ColumnDefault::Value(Value::Text("10:00:00.500".into())))
        );
        // MySQL 8: literals unquoted, expressions flagged.
        assert_eq!(
            read_default(&text, "x", false, "").expect("reads"),
            Some(ColumnDefault::Sql("'x'".into()))
        );
        assert_eq!(
            read_default(&text, "(_utf8mb4'x')", false, "DEFAULT_GENERATED").expect("reads"),
            Some(ColumnDefault::Sql("(_utf8mb4'x')".into()))
        );
        assert_eq!(
            json_check_column("json_valid(`meta`)").as_deref(),
            Some("meta")
        );
        assert_eq!(json_check_column("json_valid(`a`) and `b` > 0"), None);
    }
}
