use super::postgres::numeric;
use super::{RenderError, SqlDialect};
use crate::schema::{ColumnType, Schema, Value};

/// What MySQL calls every primary key, whatever name its `CONSTRAINT` clause gave.
pub const PRIMARY_KEY_NAME: &str = "PRIMARY";

/// MySQL and MariaDB.
#[derive(Debug, Clone, Copy, Default)]
pub struct MySql;

impl SqlDialect for MySql {
    fn name(&self) -> &'static str {
        "mysql"
    }

    fn ident(&self, name: &str) -> String {
        if super::is_plain_identifier(name)
            && !super::is_reserved(name)
            && MYSQL_RESERVED.binary_search(&name).is_err()
        {
            name.to_owned()
        } else {
            format!("`{}`", name.replace('`', "``"))
        }
    }

    fn string(&self, text: &str) -> String {
        // MySQL treats backslash as an escape character inside string literals by default.
        format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
    }

    fn literal(&self, value: &Value) -> String {
        match value {
            Value::Bool(true) => "TRUE".into(),
            Value::Bool(false) => "FALSE".into(),
            Value::Number(n) => n.clone(),
            Value::Text(t) => self.string(t),
            Value::Bytes(hex) => format!("X'{hex}'"),
            Value::Array(_) => self.string(&serde_json::to_string(&value).unwrap_or_default()),
        }
    }

    fn column_type(&self, ty: &ColumnType, schema: &Schema) -> Result<String, RenderError> {
        Ok(match ty {
            ColumnType::Boolean => "BOOLEAN".into(),
            ColumnType::SmallInt => "SMALLINT".into(),
            ColumnType::Integer => "INT".into(),
            ColumnType::BigInt => "BIGINT".into(),
            ColumnType::Real => "FLOAT".into(),
            ColumnType::Double => "DOUBLE".into(),
            ColumnType::Text => "LONGTEXT".into(),
            ColumnType::Varchar { length } => format!("VARCHAR({length})"),
            ColumnType::Bytes => "LONGBLOB".into(),
            ColumnType::Uuid => "BINARY(16)".into(),
            ColumnType::Timestamp | ColumnType::TimestampTz => "DATETIME(6)".into(),
            ColumnType::Date => "DATE".into(),
            ColumnType::Time => "TIME(6)".into(),
            ColumnType::Json => "JSON".into(),
            // MySQL's bare DECIMAL means DECIMAL(10, 0) and would drop fractions; an unbounded
            // decimal gets the widest type instead.
            ColumnType::Decimal {
                precision: None,
                scale: None,
            } => "DECIMAL(65, 30)".into(),
            ColumnType::Decimal { precision, scale } => numeric("DECIMAL", *precision, *scale),
            ColumnType::Enum { name } => match schema.enums.get(name) {
                Some(def) => self.enum_type(def.value_names()),
                None => {
                    return Err(RenderError::UnknownEnum {
                        dialect: "mysql",
                        name: name.clone(),
                    })
                }
            },
            ColumnType::Array { element } => {
                return Err(RenderError::UnsupportedType {
                    dialect: "mysql",
                    what: format!("arrays (`{}[]`)", self.column_type(element, schema)?),
                })
            }
            ColumnType::Custom { sql } => sql.clone(),
        })
    }
}

impl MySql {
    /// The inline `ENUM('A', 'B')` type for an enum's values.
    pub fn enum_type<'a>(&self, values: impl IntoIterator<Item = &'a str>) -> String {
        let values: Vec<String> = values.into_iter().map(|v| self.string(v)).collect();
        format!("ENUM({})", values.join(", "))
    }
}

/// The values of an `enum('a','b')` column type, unescaped; `None` when it is not one.
pub fn enum_values(column_type: &str) -> Option<Vec<String>> {
    let trimmed = column_type.trim();
    let open = trimmed.find('(')?;
    if !trimmed[..open].trim().eq_ignore_ascii_case("enum") || !trimmed.ends_with(')') {
        return None;
    }
    let inner = &trimmed[open + 1..trimmed.len() - 1];
    let mut values = Vec::new();
    let mut rest = inner.trim_start();
    while !rest.is_empty() {
        let (value, after) = string_literal(rest)?;
        values.push(value);
        rest = after.trim_start();
        match rest.strip_prefix(',') {
            Some(r) => rest = r.trim_start(),
            None if rest.is_empty() => {}
            None => return None,
        }
    }
    Some(values)
}

/// A MySQL string literal at the start of `text` (`'…'` with `''` and backslash escapes):
/// its value and the text after it.
pub fn string_literal(text: &str) -> Option<(String, &str)> {
    let mut chars = text.char_indices();
    let (_, quote) = chars.next()?;
    if quote != '\'' && quote != '"' {
        return None;
    }
    let mut value = String::new();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            let (_, escaped) = chars.next()?;
            match escaped {
                '0' => value.push('\0'),
                'n' => value.push('\n'),
                'r' => value.push('\r'),
                't' => value.push('\t'),
                'b' => value.push('\u{8}'),
                'Z' => value.push('\u{1a}'),
                // `\%` and `\_` keep their backslash (LIKE patterns).
                '%' | '_' => {
                    value.push('\\');
                    value.push(escaped);
                }
                other => value.push(other),
            }
        } else if c == quote {
            let after = &text[i + c.len_utf8()..];
            if after.starts_with(quote) {
                value.push(quote);
                chars.next();
            } else {
                return Some((value, after));
            }
        } else {
            value.push(c);
        }
    }
    None
}

/// The spelling of a time value that defaults of time types compare by: a timestamp as
/// `%Y-%m-%d %H:%M:%S%.f` (a zone offset, as a `DateTime<Utc>` default carries, is converted
/// to UTC and dropped: `DATETIME` keeps no zone), a time as `%H:%M:%S%.f`, with no trailing
/// zero fraction. `None` when `text` is not such a value or `ty` not such a type.
pub fn canonical_temporal(ty: &ColumnType, text: &str) -> Option<String> {
    match ty {
        ColumnType::Timestamp | ColumnType::TimestampTz => {
            let text = text.trim();
            if let Ok(t) = chrono::DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f%#z") {
                return Some(
                    t.with_timezone(&chrono::Utc)
                        .naive_utc()
                        .format("%Y-%m-%d %H:%M:%S%.f")
                        .to_string(),
                );
            }
            chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")
                .ok()
                .map(|t| t.format("%Y-%m-%d %H:%M:%S%.f").to_string())
        }
        ColumnType::Time => chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M:%S%.f")
            .ok()
            .map(|t| t.format("%H:%M:%S%.f").to_string()),
        _ => None,
    }
}

/// The default a UUID column stores for a UUID value: its 16 bytes, `unhex('<32 hex digits>')`
/// (MariaDB prints a literal of bytes back with escapes, an expression as written). `None`
/// when `ty` is not a UUID or `text` not one.
pub fn uuid_default(ty: &ColumnType, text: &str) -> Option<String> {
    if *ty != ColumnType::Uuid {
        return None;
    }
    let id = uuid::Uuid::parse_str(text.trim()).ok()?;
    Some(format!("unhex('{}')", id.simple()))
}

/// MySQL 8 and MariaDB 10.11 reserved words (beyond the shared list): these need backticks.
const MYSQL_RESERVED: &[&str] = &[
    "accessible",
    "add",
    "all",
    "alter",
    "analyze",
    "and",
    "as",
    "asc",
    "asensitive",
    "before",
    "between",
    "bigint",
    "binary",
    "blob",
    "both",
    "by",
    "call",
    "cascade",
    "case",
    "change",
    "char",
    "character",
    "check",
    "collate",
    "column",
    "condition",
    "constraint",
    "continue",
    "convert",
    "create",
    "cross",
    "cube",
    "cume_dist",
    "current_date",
    "current_role",
    "current_time",
    "current_timestamp",
    "current_user",
    "cursor",
    "database",
    "databases",
    "day_hour",
    "day_microsecond",
    "day_minute",
    "day_second",
    "dec",
    "decimal",
    "declare",
    "default",
    "delayed",
    "delete",
    "delete_domain_id",
    "dense_rank",
    "desc",
    "describe",
    "deterministic",
    "distinct",
    "distinctrow",
    "div",
    "do_domain_ids",
    "double",
    "drop",
    "dual",
    "each",
    "else",
    "elseif",
    "empty",
    "enclosed",
    "escaped",
    "except",
    "exists",
    "exit",
    "explain",
    "false",
    "fetch",
    "first_value",
    "float",
    "float4",
    "float8",
    "for",
    "force",
    "foreign",
    "from",
    "fulltext",
    "function",
    "general",
    "generated",
    "get",
    "grant",
    "group",
    "grouping",
    "groups",
    "having",
    "high_priority",
    "hour_microsecond",
    "hour_minute",
    "hour_second",
    "if",
    "ignore",
    "ignore_domain_ids",
    "ignore_server_ids",
    "in",
    "index",
    "infile",
    "inner",
    "inout",
    "insensitive",
    "insert",
    "int",
    "int1",
    "int2",
    "int3",
    "int4",
    "int8",
    "integer",
    "intersect",
    "interval",
    "into",
    "io_after_gtids",
    "io_before_gtids",
    "is",
    "iterate",
    "join",
    "json_table",
    "key",
    "keys",
    "kill",
    "lag",
    "last_value",
    "lateral",
    "lead",
    "leading",
    "leave",
    "left",
    "like",
    "limit",
    "linear",
    "lines",
    "load",
    "localtime",
    "localtimestamp",
    "lock",
    "long",
    "longblob",
    "longtext",
    "loop",
    "low_priority",
    "master_bind",
    "master_heartbeat_period",
    "master_ssl_verify_server_cert",
    "match",
    "maxvalue",
    "mediumblob",
    "mediumint",
    "mediumtext",
    "middleint",
    "minute_microsecond",
    "minute_second",
    "mod",
    "modifies",
    "natural",
    "no_write_to_binlog",
    "not",
    "nth_value",
    "ntile",
    "null",
    "numeric",
    "of",
    "offset",
    "on",
    "optimize",
    "optimizer_costs",
    "option",
    "optionally",
    "or",
    "order",
    "out",
    "outer",
    "outfile",
    "over",
    "page_checksum",
    "parse_vcol_expr",
    "partition",
    "percent_rank",
    "position",
    "precision",
    "primary",
    "procedure",
    "purge",
    "range",
    "rank",
    "read",
    "read_write",
    "reads",
    "real",
    "recursive",
    "ref_system_id",
    "references",
    "regexp",
    "release",
    "rename",
    "repeat",
    "replace",
    "require",
    "resignal",
    "restrict",
    "return",
    "returning",
    "revoke",
    "right",
    "rlike",
    "row",
    "row_number",
    "rownum",
    "rows",
    "schema",
    "schemas",
    "second_microsecond",
    "select",
    "sensitive",
    "separator",
    "set",
    "show",
    "signal",
    "slow",
    "smallint",
    "spatial",
    "specific",
    "sql",
    "sql_big_result",
    "sql_calc_found_rows",
    "sql_small_result",
    "sqlexception",
    "sqlstate",
    "sqlwarning",
    "ssl",
    "starting",
    "stats_auto_recalc",
    "stats_persistent",
    "stats_sample_pages",
    "stored",
    "straight_join",
    "system",
    "table",
    "terminated",
    "then",
    "tinyblob",
    "tinyint",
    "tinytext",
    "to",
    "trailing",
    "trigger",
    "true",
    "undo",
    "union",
    "unique",
    "unlock",
    "unsigned",
    "update",
    "usage",
    "use",
    "using",
    "utc_date",
    "utc_time",
    "utc_timestamp",
    "values",
    "varbinary",
    "varchar",
    "varcharacter",
    "varying",
    "virtual",
    "when",
    "where",
    "while",
    "window",
    "with",
    "write",
    "xor",
    "year_month",
    "zerofill",
];

/// Whether `default` is the current time without a precision (`CURRENT_TIMESTAMP`, `now()`)
/// on a column MySQL stores with microseconds (`DATETIME(6)`, `TIME(6)`): written and stored
/// there as `CURRENT_TIMESTAMP(6)`.
pub fn is_current_timestamp_default(
    ty: &ColumnType,
    default: &crate::schema::ColumnDefault,
) -> bool {
    let crate::schema::ColumnDefault::Sql(sql) = default else {
        return false;
    };
    matches!(ty, ColumnType::Timestamp | ColumnType::TimestampTz)
        && super::expression::mysql_canonical_tree(sql).is_some_and(|tree| {
            Some(tree) == super::expression::mysql_canonical_tree("current_timestamp()")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_list_is_sorted() {
        assert!(MYSQL_RESERVED.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(MySql.ident("int"), "`int`");
        assert_eq!(MySql.ident("double"), "`double`");
        assert_eq!(MySql.ident("title"), "title");
    }
}
