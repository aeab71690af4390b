//! PostgreSQL introspection from the system catalogs (`pg_class`, `pg_attribute`,
//! `pg_constraint`, `pg_index`, `pg_enum`), for the connection's current schema (`public`, or
//! the schema `--schema` names).

use std::collections::BTreeMap;

use sqlx::{PgConnection, Row};

use crate::schema::{
    Check, Column, ColumnDefault, ColumnType, Deferrable, Enum, EnumValue, ForeignKey, Identity,
    Index, IndexKey, IndexMethod, IndexTarget, NullsOrder, PrimaryKey, ReferentialAction, Schema,
    SortOrder, Table, Unique,
};

/// Reads the current schema (tables other than sqlx's version table, and enum types).
pub async fn introspect(conn: &mut PgConnection) -> Result<Schema, sqlx::Error> {
    let mut schema = Schema::new();
    // Defaults of time types print in the session's zone; read them in UTC.
    sqlx::query("SET TIME ZONE 'UTC'")
        .execute(&mut *conn)
        .await?;

    for row in sqlx::query(
        "SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels \
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid \
         WHERE t.typnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) GROUP BY t.typname",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let name: String = row.try_get("name")?;
        let labels: Vec<String> = row.try_get("labels")?;
        schema.enums.insert(
            name.clone(),
            Enum {
                name,
                values: labels
                    .into_iter()
                    .map(|l| EnumValue {
                        name: l,
                        renamed_from: None,
                    })
                    .collect(),
            },
        );
    }

    let tables = sqlx::query(
        "SELECT c.oid::bigint AS oid, c.relname AS name, obj_description(c.oid, 'pg_class') AS comment \
         FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.relkind = 'r' AND NOT c.relispartition \
         AND c.relname NOT IN ('_sqlx_migrations', '_migrate_gen_progress') ORDER BY c.relname",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut names_by_oid: BTreeMap<i64, String> = BTreeMap::new();
    for row in &tables {
        names_by_oid.insert(row.try_get("oid")?, row.try_get("name")?);
    }

    // Every table's columns, indexes and constraints in one query each, however many tables.
    let mut columns = columns(conn).await?;
    let mut indexes = indexes(conn).await?;
    let mut constraint_rows: BTreeMap<i64, Vec<sqlx::postgres::PgRow>> = BTreeMap::new();
    for row in constraint_query().fetch_all(&mut *conn).await? {
        constraint_rows
            .entry(row.try_get("table")?)
            .or_default()
            .push(row);
    }
    for row in tables {
        let oid: i64 = row.try_get("oid")?;
        let name: String = row.try_get("name")?;
        let mut table = Table {
            name: name.clone(),
            renamed_from: None,
            comment: row.try_get("comment")?,
            columns: columns.remove(&oid).unwrap_or_default(),
            primary_key: PrimaryKey {
                name: String::new(),
                columns: Vec::new(),
            },
            indexes: indexes.remove(&oid).unwrap_or_default(),
            uniques: Vec::new(),
            checks: Vec::new(),
            foreign_keys: Vec::new(),
            extensions: Vec::new(),
        };
        constraints(
            constraint_rows.remove(&oid).unwrap_or_default(),
            &names_by_oid,
            &mut table,
        )?;
        table.normalize();
        schema.tables.insert(name, table);
    }
    Ok(schema)
}

/// The tables `introspect` reads, as a subquery of their oids.
const TABLES: &str =
    "(SELECT c.oid FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) \
     AND c.relkind = 'r' AND NOT c.relispartition AND c.relname NOT IN ('_sqlx_migrations', '_migrate_gen_progress'))";

/// Every table's columns, by table oid, in order.
async fn columns(conn: &mut PgConnection) -> Result<BTreeMap<i64, Vec<Column>>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT a.attrelid::bigint AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, \
         t.typtype::text AS typtype, et.typtype::text AS elemtype, et.typname AS elemname, t.typname AS typname, \
         a.attnotnull AS not_null, a.attidentity::text AS identity, \
         CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS default, col_description(a.attrelid, a.attnum) AS comment \
         FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid \
         LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A' \
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         WHERE a.attrelid IN {TABLES} AND a.attnum > 0 AND NOT a.attisdropped \
         ORDER BY a.attrelid, a.attnum",
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut out: BTreeMap<i64, Vec<Column>> = BTreeMap::new();
    for r in rows {
        let spelled: String = r.try_get("type")?;
        let typtype: String = r.try_get("typtype")?;
        let elemtype: Option<String> = r.try_get("elemtype")?;
        let ty = if typtype == "e" {
            ColumnType::Enum {
                name: r.try_get("typname")?,
            }
        } else if elemtype.as_deref() == Some("e") {
            ColumnType::Array {
                element: Box::new(ColumnType::Enum {
                    name: r
                        .try_get::<Option<String>, _>("elemname")?
                        .unwrap_or_default(),
                }),
            }
        } else {
            parse_type(&spelled)
        };
        let identity = match r.try_get::<String, _>("identity")?.as_str() {
            "d" => Some(Identity::ByDefault),
            "a" => Some(Identity::Always),
            _ => None,
        };
        let default: Option<String> = r.try_get("default")?;
        let default = default.map(|d| temporal_default(&ty, strip_literal_cast(&d)));
        out.entry(r.try_get("table")?).or_default().push(Column {
            name: r.try_get("name")?,
            ty,
            nullable: !r.try_get::<bool, _>("not_null")?,
            default,
            identity,
            renamed_from: None,
            backfill_sql: None,
            comment: r.try_get("comment")?,
        });
    }
    Ok(out)
}

/// A literal default of a time type as the models spell it (`'2026-01-01 10:00:00+00'` →
/// the `Value::Text` a `chrono` default renders to), so equal instants compare equal.
fn temporal_default(ty: &ColumnType, sql: String) -> ColumnDefault {
    // The text of a single string literal (`''` is a quote inside it).
    let literal = sql
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .filter(|s| !s.replace("''", "").contains('\''))
        .map(|s| s.replace("''", "'"));
    if let Some(text) = literal.as_deref() {
        let parsed = match ty {
            ColumnType::TimestampTz => {
                chrono::DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f%#z")
                    .ok()
                    .map(|t| {
                        t.with_timezone(&chrono::Utc)
                            .format("%Y-%m-%d %H:%M:%S%.f+00:00")
                            .to_string()
                    })
            }
            ColumnType::Timestamp => {
                chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")
                    .ok()
                    .map(|t| t.format("%Y-%m-%d %H:%M:%S%.f").to_string())
            }
            ColumnType::Time => chrono::NaiveTime::parse_from_str(text, "%H:%M:%S%.f")
                .ok()
                .map(|t| t.format("%H:%M:%S%.f").to_string()),
            // jsonb re-formats its text; the models write compact JSON.
            ColumnType::Json => serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .map(|v| v.to_string()),
            _ => None,
        };
        if let Some(text) = parsed {
            return ColumnDefault::Value(crate::schema::Value::Text(text));
        }
    }
    ColumnDefault::Sql(sql)
}

/// Maps `format_type` output back to a column type; anything unknown stays verbatim.
pub fn parse_type(spelled: &str) -> ColumnType {
    if let Some(element) = spelled.strip_suffix("[]") {
        return ColumnType::Array {
            element: Box::new(parse_type(element)),
        };
    }
    match spelled {
        "boolean" => return ColumnType::Boolean,
        "smallint" => return ColumnType::SmallInt,
        "integer" => return ColumnType::Integer,
        "bigint" => return ColumnType::BigInt,
        "real" => return ColumnType::Real,
        "double precision" => return ColumnType::Double,
        "text" => return ColumnType::Text,
        "bytea" => return ColumnType::Bytes,
        "uuid" => return ColumnType::Uuid,
        "timestamp without time zone" => return ColumnType::Timestamp,
        "timestamp with time zone" => return ColumnType::TimestampTz,
        "date" => return ColumnType::Date,
        "time without time zone" => return ColumnType::Time,
        "jsonb" => return ColumnType::Json,
        "numeric" => {
            return ColumnType::Decimal {
                precision: None,
                scale: None,
            }
        }
        _ => {}
    }
    if let Some(length) = spelled
        .strip_prefix("character varying(")
        .and_then(|r| r.strip_suffix(')'))
        .and_then(|n| n.parse().ok())
    {
        return ColumnType::Varchar { length };
    }
    if let Some(args) = spelled
        .strip_prefix("numeric(")
        .and_then(|r| r.strip_suffix(')'))
    {
        let mut parts = args.split(',').map(|p| p.trim().parse::<u32>().ok());
        if let (Some(Some(p)), Some(Some(s))) = (parts.next(), parts.next()) {
            return ColumnType::Decimal {
                precision: Some(p),
                scale: Some(s),
            };
        }
    }
    ColumnType::Custom {
        sql: spelled.to_owned(),
    }
}

/// `'NONE'::priority` → `'NONE'`; `'-4'::integer` → `-4`; other expressions unchanged.
pub fn strip_literal_cast(expr: &str) -> String {
    let expr = expr.trim();
    if let Some(rest) = expr.strip_prefix('\'') {
        // Find the closing quote of the literal.
        let chars: Vec<char> = rest.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == '\'' {
                if chars.get(i + 1) == Some(&'\'') {
                    i += 2;
                    continue;
                }
                break;
            }
            i += 1;
        }
        if i < chars.len() {
            let literal: String = chars[..i].iter().collect();
            let tail: String = chars[i + 1..].iter().collect();
            let tail = tail.trim();
            let is_cast = tail.is_empty()
                || (tail.starts_with("::")
                    && tail[2..]
                        .chars()
                        .all(|c| c.is_alphanumeric() || " _\"[]().,".contains(c)));
            if is_cast {
                if literal.parse::<f64>().is_ok() && !literal.is_empty() {
                    return literal;
                }
                return format!("'{literal}'");
            }
        }
    }
    // Negative numbers are printed in parentheses by some versions: (-1).
    if let Some(inner) = expr.strip_prefix('(').and_then(|e| e.strip_suffix(')')) {
        if inner.parse::<f64>().is_ok() {
            return inner.to_owned();
        }
    }
    expr.to_owned()
}

/// Every table's indexes (other than those of constraints), by table oid, sorted by name.
async fn indexes(conn: &mut PgConnection) -> Result<BTreeMap<i64, Vec<Index>>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT i.indrelid::bigint AS table, ic.relname AS name, i.indisunique AS unique, \
         am.amname AS method, pg_get_expr(i.indpred, i.indrelid) AS predicate, \
         string_to_array(i.indkey::text, ' ')::int2[] AS keys, \
         string_to_array(i.indoption::text, ' ')::int2[] AS options, \
         ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) \
               FROM generate_series(1, i.indnkeyatts::int) k ORDER BY k) AS definitions, \
         ARRAY(SELECT CASE WHEN o.opcdefault THEN '' ELSE o.opcname::text END \
               FROM unnest(i.indclass::oid[]) WITH ORDINALITY c(class, n) \
               JOIN pg_opclass o ON o.oid = c.class ORDER BY c.n) AS opclasses \
         FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam \
         WHERE i.indrelid IN {TABLES} \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x')) \
         ORDER BY i.indrelid, ic.relname",
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut out: BTreeMap<i64, Vec<Index>> = BTreeMap::new();
    for r in rows {
        let keys: Vec<i16> = r.try_get("keys")?;
        let options: Vec<i16> = r.try_get("options")?;
        let definitions: Vec<String> = r.try_get("definitions")?;
        let opclasses: Vec<String> = r.try_get("opclasses")?;
        let mut index_keys = Vec::new();
        for (k, text) in definitions.iter().enumerate() {
            let opclass = opclasses.get(k).filter(|o| !o.is_empty()).cloned();
            let option = options.get(k).copied().unwrap_or(0);
            let desc = option & 1 != 0;
            let nulls_first = option & 2 != 0;
            let target = if keys.get(k).copied().unwrap_or(0) == 0 {
                let text = text.trim();
                let text = text
                    .strip_prefix('(')
                    .and_then(|t| t.strip_suffix(')'))
                    .unwrap_or(text);
                IndexTarget::Expression(text.to_owned())
            } else {
                IndexTarget::Column(text.trim().trim_matches('"').to_owned())
            };
            index_keys.push(IndexKey {
                target,
                opclass,
                order: desc.then_some(SortOrder::Desc),
                // Only a non-default NULLS placement is recorded (DESC sorts NULLs first).
                nulls: match (desc, nulls_first) {
                    (false, true) => Some(NullsOrder::First),
                    (true, false) => Some(NullsOrder::Last),
                    _ => None,
                },
            });
        }
        let method: String = r.try_get("method")?;
        out.entry(r.try_get("table")?).or_default().push(Index {
            name: r.try_get("name")?,
            keys: index_keys,
            unique: r.try_get("unique")?,
            method: IndexMethod::parse(&method).filter(|m| *m != IndexMethod::Btree),
            predicate: r.try_get("predicate")?,
        });
    }
    Ok(out)
}

fn action(code: &str) -> ReferentialAction {
    match code {
        "r" => ReferentialAction::Restrict,
        "c" => ReferentialAction::Cascade,
        "n" => ReferentialAction::SetNull,
        "d" => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

/// Every table's constraints, with the table's oid as `table`, by table and name.
fn constraint_query<'q>() -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    sqlx::query(
        "SELECT c.conrelid::bigint AS table, c.conname AS name, c.contype::text AS kind, \
         ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o) \
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o) AS columns, \
         ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o) \
               JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o) AS ref_columns, \
         c.confrelid::bigint AS ref_table, c.confdeltype::text AS on_delete, c.confupdtype::text AS on_update, \
         c.condeferrable AS deferrable, c.condeferred AS deferred, \
         pg_get_constraintdef(c.oid, true) AS definition \
         FROM pg_constraint c WHERE c.conrelid IN (SELECT c.oid FROM pg_class c \
         WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.relkind = 'r' AND NOT c.relispartition) \
         AND c.contype IN ('p', 'u', 'c', 'f') ORDER BY c.conrelid, c.conname",
    )
}

/// One table's constraints from its rows of [`constraint_query`].
fn constraints(
    rows: Vec<sqlx::postgres::PgRow>,
    names_by_oid: &BTreeMap<i64, String>,
    out: &mut Table,
) -> Result<(), sqlx::Error> {
    for r in rows {
        let name: String = r.try_get("name")?;
        let columns: Vec<String> = r.try_get("columns")?;
        match r.try_get::<String, _>("kind")?.as_str() {
            "p" => out.primary_key = PrimaryKey { name, columns },
            "u" => out.uniques.push(Unique { name, columns }),
            "c" => {
                let definition: String = r.try_get("definition")?;
                let expr = definition
                    .strip_prefix("CHECK ")
                    .unwrap_or(&definition)
                    .trim()
                    .to_owned();
                let expr = expr
                    .strip_prefix('(')
                    .and_then(|e| e.strip_suffix(')'))
                    .map(str::to_owned)
                    .unwrap_or(expr);
                out.checks.push(Check { name, expr });
            }
            "f" => {
                let ref_oid: i64 = r.try_get("ref_table")?;
                out.foreign_keys.push(ForeignKey {
                    name,
                    columns,
                    ref_table: names_by_oid.get(&ref_oid).cloned().unwrap_or_default(),
                    ref_columns: r.try_get("ref_columns")?,
                    on_delete: action(&r.try_get::<String, _>("on_delete")?),
                    on_update: action(&r.try_get::<String, _>("on_update")?),
                    deferrable: match (
                        r.try_get::<bool, _>("deferrable")?,
                        r.try_get::<bool, _>("deferred")?,
                    ) {
                        (false, _) => Deferrable::No,
                        (true, false) => Deferrable::InitiallyImmediate,
                        (true, true) => Deferrable::InitiallyDeferred,
                    },
                });
            }
            _ => {}
        }
    }
    Ok(())
}

/// Objects of the extension itself are not the database's own: they come and go with it.
const NOT_FROM_AN_EXTENSION: &str =
    "NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.objid = o.oid AND x.deptype = 'e')";

/// What the current schema holds that models cannot declare, and the extensions its tables
/// use (see [`Extras`](super::Extras)).
pub async fn extras(conn: &mut PgConnection) -> Result<super::Extras, sqlx::Error> {
    let queries = [
        // Relations other than plain tables, partitions, and sequences no column owns.
        format!(
            "SELECT CASE o.relkind WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view ' \
             WHEN 'p' THEN 'partitioned table ' WHEN 'f' THEN 'foreign table ' \
             WHEN 'S' THEN 'sequence ' ELSE 'partition ' END || quote_ident(o.relname) \
             || CASE WHEN o.relispartition THEN ' (a partition of ' || \
                (SELECT quote_ident(p.relname) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent \
                 WHERE i.inhrelid = o.oid LIMIT 1) || ')' ELSE '' END \
             FROM pg_class o WHERE o.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND {NOT_FROM_AN_EXTENSION} \
             AND (o.relkind IN ('v', 'm', 'p', 'f') OR (o.relkind = 'r' AND o.relispartition) \
                  OR (o.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM pg_depend d \
                      WHERE d.objid = o.oid AND d.deptype IN ('a', 'i'))))"
        ),
        // Tables that inherit from others (not partitions).
        "SELECT 'inheritance: table ' || quote_ident(c.relname) || ' inherits from ' || quote_ident(p.relname) \
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent \
         WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND NOT c.relispartition"
            .to_owned(),
        format!(
            "SELECT CASE o.prokind WHEN 'p' THEN 'procedure ' WHEN 'a' THEN 'aggregate ' \
             WHEN 'w' THEN 'window function ' ELSE 'function ' END || o.oid::regprocedure::text \
             FROM pg_proc o WHERE o.pronamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND {NOT_FROM_AN_EXTENSION}"
        ),
        "SELECT 'trigger ' || quote_ident(t.tgname) || ' on ' || quote_ident(c.relname) \
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
         WHERE NOT t.tgisinternal AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
            .to_owned(),
        "SELECT 'row-level security policy ' || quote_ident(p.polname) || ' on ' || quote_ident(c.relname) \
         FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) \
         UNION ALL SELECT 'row-level security enabled on ' || quote_ident(c.relname) FROM pg_class c \
         WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.relrowsecurity"
            .to_owned(),
        "SELECT 'rule ' || quote_ident(r.rulename) || ' on ' || quote_ident(c.relname) \
         FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class \
         WHERE r.rulename <> '_RETURN' AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
            .to_owned(),
        format!(
            "SELECT CASE o.typtype WHEN 'd' THEN 'domain ' WHEN 'r' THEN 'range type ' \
             WHEN 'm' THEN 'multirange type ' ELSE 'composite type ' END || quote_ident(o.typname) \
             FROM pg_type o WHERE o.typnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND {NOT_FROM_AN_EXTENSION} \
             AND (o.typtype IN ('d', 'r', 'm') OR (o.typtype = 'c' AND \
                  (SELECT relkind FROM pg_class WHERE oid = o.typrelid) = 'c'))"
        ),
        "SELECT 'exclusion constraint ' || quote_ident(k.conname) || ' on ' || quote_ident(c.relname) \
         FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid \
         WHERE k.contype = 'x' AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
            .to_owned(),
        "SELECT 'generated column ' || quote_ident(c.relname) || '.' || quote_ident(a.attname) \
         || ' (GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ') STORED): pulled as a plain column' \
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
         JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         WHERE a.attgenerated <> '' AND c.relkind = 'r' AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
            .to_owned(),
        "SELECT 'collation: column ' || quote_ident(c.relname) || '.' || quote_ident(a.attname) \
         || ' uses collation ' || quote_ident(l.collname) || ': pulled with the default collation' \
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid \
         JOIN pg_collation l ON l.oid = a.attcollation \
         WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attcollation <> t.typcollation \
         AND c.relkind = 'r' AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
            .to_owned(),
        // Tables in other schemas: pull reads the current one only.
        "SELECT 'schema ' || quote_ident(n.nspname) || ' (' || count(c.oid) || ' tables): only ' \
         || quote_ident(current_schema()) || ' is pulled' \
         FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'p') \
         WHERE n.nspname NOT IN (current_schema(), 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' \
         GROUP BY n.nspname"
            .to_owned(),
    ];
    let mut objects = Vec::new();
    for query in &queries {
        let rows: Vec<String> = sqlx::query_scalar(query).fetch_all(&mut *conn).await?;
        objects.extend(rows);
    }
    objects.sort();
    objects.dedup();

    let rows = sqlx::query(
        "SELECT e.extname::text AS extension, \
         ARRAY(SELECT DISTINCT c.relname::text FROM pg_depend d \
               JOIN pg_type t ON d.classid = 'pg_type'::regclass AND t.oid = d.objid \
               JOIN pg_attribute a ON (a.atttypid = t.oid OR a.atttypid = t.typarray) AND a.attnum > 0 \
               JOIN pg_class c ON c.oid = a.attrelid AND c.relkind = 'r' AND NOT c.relispartition \
                    AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) \
               WHERE d.refobjid = e.oid AND d.deptype = 'e' \
               UNION \
               SELECT c.relname::text FROM pg_depend d \
               JOIN pg_index i ON d.classid = 'pg_opclass'::regclass AND d.objid = ANY (i.indclass::oid[]) \
               JOIN pg_class c ON c.oid = i.indrelid AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) \
                    AND NOT c.relispartition \
               WHERE d.refobjid = e.oid AND d.deptype = 'e' \
               ORDER BY 1) AS tables \
         FROM pg_extension e WHERE e.extname <> 'plpgsql' ORDER BY e.extname",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut extensions = Vec::new();
    for row in rows {
        extensions.push((row.try_get("extension")?, row.try_get("tables")?));
    }
    Ok(super::Extras {
        objects,
        extensions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_casts() {
        assert_eq!(strip_literal_cast("'NONE'::priority"), "'NONE'");
        assert_eq!(strip_literal_cast("'it''s'::text"), "'it''s'");
        assert_eq!(strip_literal_cast("'-4'::integer"), "-4");
        assert_eq!(strip_literal_cast("now()"), "now()");
        assert_eq!(strip_literal_cast("'x'::character varying"), "'x'");
        assert_eq!(strip_literal_cast("0"), "0");
    }

    #[test]
    fn types() {
        assert_eq!(
            parse_type("character varying(20)"),
            ColumnType::Varchar { length: 20 }
        );
        assert_eq!(
            parse_type("numeric(12,2)"),
            ColumnType::Decimal {
                precision: Some(12),
                scale: Some(2)
            }
        );
        assert_eq!(
            parse_type("bigint[]"),
            ColumnType::Array {
                element: Box::new(ColumnType::BigInt)
            }
        );
        assert_eq!(
            parse_type("citext"),
            ColumnType::Custom {
                sql: "citext".into()
            }
        );
    }
}
