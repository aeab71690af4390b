//! Just enough SQL reading to check models at compile time: which column names an expression
//! mentions, and how an index key splits into target, operator class and order.
//!
//! This is deliberately conservative: a bare word is taken for a column only when it is not a
//! keyword, a type name, a function call, a qualifier or a cast target. Quoted identifiers are
//! always columns.

/// Checks that `sql` reads as one SQL expression in PostgreSQL's dialect, so that a typo is a
/// compile error rather than a failed migration. The error is the parser's complaint, with
/// its line and column inside the string.
pub fn check_expression(sql: &str) -> Result<(), String> {
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::{Parser, ParserError};
    use sqlparser::tokenizer::Token;

    let complaint = |err: ParserError| {
        let text = match err {
            ParserError::TokenizerError(t) | ParserError::ParserError(t) => t,
            ParserError::RecursionLimitExceeded => "the expression is nested too deeply".into(),
        };
        // The parser's messages start with a capital and say "Line: 1, Column: 5"; ours are
        // lowercase.
        let text = text
            .replace(" at Line: ", " at line ")
            .replace(", Column: ", ", column ");
        let mut chars = text.chars();
        match chars.next() {
            Some(first) => first.to_lowercase().chain(chars).collect(),
            None => text,
        }
    };
    let dialect = PostgreSqlDialect {};
    let mut parser = Parser::new(&dialect).try_with_sql(sql).map_err(complaint)?;
    parser.parse_expr().map_err(complaint)?;
    let next = parser.peek_token();
    if next.token != Token::EOF {
        return Err(format!(
            "unexpected `{}` after the expression at line {}, column {}",
            next.token, next.span.start.line, next.span.start.column
        ));
    }
    Ok(())
}

/// A word in an SQL expression that looks like a column reference.
#[derive(Debug, PartialEq, Eq)]
pub struct ColumnMention {
    pub name: String,
    pub quoted: bool,
}

#[derive(Debug, PartialEq)]
enum Token {
    Word(String),
    Quoted(String),
    Punct(char),
    DoubleColon,
    Other,
}

fn tokenize(sql: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = sql.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            // String literal; '' is an escaped quote.
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err("unterminated string literal".into()),
                    Some('\'') if chars.get(i + 1) == Some(&'\'') => i += 2,
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            tokens.push(Token::Other);
        } else if c == '"' || c == '`' {
            let quote = c;
            let mut name = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err("unterminated quoted identifier".into()),
                    Some(&q) if q == quote && chars.get(i + 1) == Some(&quote) => {
                        name.push(quote);
                        i += 2;
                    }
                    Some(&q) if q == quote => {
                        i += 1;
                        break;
                    }
                    Some(&other) => {
                        name.push(other);
                        i += 1;
                    }
                }
            }
            tokens.push(Token::Quoted(name));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // E'...' and B'...' string prefixes.
            if chars.get(i) == Some(&'\'') && word.len() == 1 {
                continue;
            }
            tokens.push(Token::Word(word));
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
            tokens.push(Token::Other);
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            tokens.push(Token::DoubleColon);
            i += 2;
        } else {
            tokens.push(Token::Punct(c));
            i += 1;
        }
    }
    Ok(tokens)
}

/// Keywords, literals and type names that are never columns.
///
/// Words that are keywords only as functions (`position(...)`, `substring(...)`, `extract(...)`,
/// `trim(...)`, `overlay(...)`, `coalesce(...)`) are not listed: a word before `(` is never
/// taken for a column, and as a bare word each is a plausible column name.
const NOT_COLUMNS: &[&str] = &[
    "all",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "at",
    "between",
    "bigint",
    "bit",
    "bool",
    "boolean",
    "both",
    "by",
    "bytea",
    "case",
    "cast",
    "char",
    "character",
    "collate",
    "current_date",
    "current_time",
    "current_timestamp",
    "current_user",
    "date",
    "day",
    "decimal",
    "default",
    "desc",
    "distinct",
    "double",
    "else",
    "end",
    "escape",
    "exists",
    "false",
    "filter",
    "first",
    "float",
    "following",
    "for",
    "from",
    "glob",
    "hour",
    "ilike",
    "in",
    "int",
    "integer",
    "interval",
    "is",
    "isnull",
    "json",
    "jsonb",
    "last",
    "leading",
    "like",
    "localtime",
    "localtimestamp",
    "match",
    "minute",
    "month",
    "not",
    "notnull",
    "null",
    "nulls",
    "numeric",
    "or",
    "over",
    "overlaps",
    "partition",
    "placing",
    "preceding",
    "precision",
    "real",
    "regexp",
    "second",
    "session_user",
    "similar",
    "smallint",
    "some",
    "symmetric",
    "text",
    "then",
    "time",
    "timestamp",
    "timestamptz",
    "to",
    "trailing",
    "true",
    "unbounded",
    "unknown",
    "using",
    "uuid",
    "varchar",
    "varying",
    "when",
    "where",
    "with",
    "within",
    "without",
    "year",
    "zone",
];

/// The column names an SQL expression mentions.
pub fn column_mentions(sql: &str) -> Result<Vec<ColumnMention>, String> {
    let tokens = tokenize(sql)?;
    let mut out = Vec::new();
    // After `COLLATE`: the collation's (possibly schema-qualified) name is not a column.
    let mut in_collation = false;
    for (i, token) in tokens.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| tokens.get(p));
        let next = tokens.get(i + 1);
        let is_word = |t: Option<&Token>, w: &str| matches!(t, Some(Token::Word(x)) if x.eq_ignore_ascii_case(w));
        if in_collation {
            match token {
                Token::Word(_) | Token::Quoted(_) => {
                    in_collation = next == Some(&Token::Punct('.'));
                    continue;
                }
                Token::Punct('.') => continue,
                _ => in_collation = false,
            }
        }
        match token {
            Token::Quoted(name)
                if next != Some(&Token::Punct('.')) && next != Some(&Token::Punct('(')) =>
            {
                out.push(ColumnMention {
                    name: name.clone(),
                    quoted: true,
                });
            }
            Token::Word(word) => {
                let lower = word.to_lowercase();
                if lower == "collate" {
                    in_collation = true;
                    continue;
                }
                let is_call = next == Some(&Token::Punct('('));
                let is_qualifier = next == Some(&Token::Punct('.'));
                let is_cast_target = prev == Some(&Token::DoubleColon);
                let after_as = is_word(prev, "as");
                // `ORDER BY`, `PARTITION BY`, `GROUP BY` (in window and aggregate clauses).
                let before_by = is_word(next, "by");
                // The field in `extract(field from ...)`: `epoch`, `dow`, `year`, ...
                let extract_field = prev == Some(&Token::Punct('('))
                    && is_word(i.checked_sub(2).and_then(|p| tokens.get(p)), "extract");
                if is_call
                    || is_qualifier
                    || is_cast_target
                    || after_as
                    || before_by
                    || extract_field
                    || NOT_COLUMNS.binary_search(&lower.as_str()).is_ok()
                {
                    continue;
                }
                out.push(ColumnMention {
                    name: word.clone(),
                    quoted: false,
                });
            }
            _ => {}
        }
    }
    Ok(out)
}

/// One parsed index key.
#[derive(Debug, PartialEq, Eq)]
pub struct IndexKey {
    /// A column name, or an expression (without outer parentheses).
    pub target: KeyTarget,
    pub opclass: Option<String>,
    pub desc: Option<bool>,
    pub nulls_first: Option<bool>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum KeyTarget {
    Column(String),
    Expression(String),
}

/// Index of the parenthesis that closes the one at `open`, skipping string literals.
fn matching_paren(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    for (i, &c) in chars.iter().enumerate().skip(open) {
        match c {
            '\'' => in_string = !in_string,
            '(' if !in_string => depth += 1,
            ')' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Parses `column`, `"Column"`, `func(args)` or `(expression)`, then optionally an operator
/// class, `ASC`/`DESC` and `NULLS FIRST`/`NULLS LAST`.
pub fn parse_index_key(entry: &str) -> Result<IndexKey, String> {
    let chars: Vec<char> = entry.trim().chars().collect();
    if chars.is_empty() {
        return Err("an index key cannot be empty".into());
    }
    let (target, rest_start) = if chars[0] == '(' {
        let close = matching_paren(&chars, 0).ok_or("unbalanced parentheses")?;
        let inner: String = chars[1..close].iter().collect();
        (KeyTarget::Expression(inner.trim().to_owned()), close + 1)
    } else if chars[0] == '"' {
        let close = chars[1..]
            .iter()
            .position(|&c| c == '"')
            .ok_or("unterminated quoted identifier")?
            + 1;
        let name: String = chars[1..close].iter().collect();
        (KeyTarget::Column(name), close + 1)
    } else {
        let end = chars
            .iter()
            .position(|c| !(c.is_alphanumeric() || *c == '_'))
            .unwrap_or(chars.len());
        if end == 0 {
            return Err(format!("unexpected `{}`", chars[0]));
        }
        if chars.get(end) == Some(&'(') {
            let close = matching_paren(&chars, end).ok_or("unbalanced parentheses")?;
            let call: String = chars[..=close].iter().collect();
            (KeyTarget::Expression(call), close + 1)
        } else {
            let name: String = chars[..end].iter().collect();
            (KeyTarget::Column(name), end)
        }
    };
    let rest: String = chars[rest_start..].iter().collect();
    let words: Vec<&str> = rest.split_whitespace().collect();
    let mut key = IndexKey {
        target,
        opclass: None,
        desc: None,
        nulls_first: None,
    };
    let mut i = 0;
    if let Some(first) = words.first() {
        let upper = first.to_ascii_uppercase();
        if upper == "COLLATE" {
            return Err(
                "a collation goes inside an expression key: `(column COLLATE \"C\")`".into(),
            );
        }
        if !matches!(upper.as_str(), "ASC" | "DESC" | "NULLS") {
            if !first.chars().all(|c| c.is_alphanumeric() || c == '_') {
                return Err(format!("unexpected `{first}` after the key"));
            }
            key.opclass = Some((*first).to_owned());
            i = 1;
        }
    }
    while i < words.len() {
        match words[i].to_ascii_uppercase().as_str() {
            "ASC" if key.desc.is_none() => key.desc = Some(false),
            "DESC" if key.desc.is_none() => key.desc = Some(true),
            "NULLS" if key.nulls_first.is_none() => {
                i += 1;
                match words.get(i).map(|w| w.to_ascii_uppercase()) {
                    Some(w) if w == "FIRST" => key.nulls_first = Some(true),
                    Some(w) if w == "LAST" => key.nulls_first = Some(false),
                    _ => return Err("expected `NULLS FIRST` or `NULLS LAST`".into()),
                }
            }
            _ => {
                return Err(format!(
                    "unexpected `{}`; a key is a column or (expression), then optionally an operator class, ASC or DESC, and NULLS FIRST or NULLS LAST",
                    words[i]
                ))
            }
        }
        i += 1;
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(sql: &str) -> Vec<String> {
        column_mentions(sql)
            .unwrap()
            .into_iter()
            .map(|m| m.name)
            .collect()
    }

    #[test]
    fn postgres_expressions_parse() {
        let valid = [
            "now()",
            "gen_random_uuid()",
            "CURRENT_TIMESTAMP",
            "current_date",
            "length(title) > 0",
            "length( title )>0",
            "x IN ('a','b')",
            "x NOT IN (1, 2, 3)",
            "lower(email)",
            "data @> '{}'::jsonb",
            "data ? 'key'",
            "data ->> 'k' = 'v'",
            "col ~ '^[a-z]+$'",
            "col ~* 'x' AND col !~ 'y'",
            "interval '1 day'",
            "now() + interval '30 days'",
            "due_date > now() - interval '1 day'",
            "ARRAY[1, 2, 3]",
            "ARRAY[]::int[]",
            "'{}'::text[]",
            "'{a,b}'::varchar(10)[]",
            "tags && ARRAY['x']",
            "cardinality(tags) < 10",
            "'draft'",
            "'it''s'",
            "E'line\\n'",
            "$$dollar$$",
            "0",
            "-1",
            "1.5e3",
            "TRUE",
            "false",
            "NULL",
            "(a OR b) AND c",
            "NOT (a AND b)",
            "price >= 0 AND status IN ('a', 'b''c') AND note IS NOT NULL",
            "x::text <> '' AND CAST(y AS integer) > 1",
            "\"Weird Name\" > t.other",
            "\"from\" <> 'x'",
            "substring(code from 1 for 3) <> 'XXX'",
            "position('@' in email) > 1",
            "trim(both ' ' from name) <> ''",
            "extract(epoch from created_at) > 0",
            "EXTRACT(DOW FROM due) < 6",
            "code SIMILAR TO '[A-Z]+'",
            "code LIKE 'P%' OR code ILIKE 'q%'",
            "code NOT LIKE 'x%'",
            "coalesce(a, b) > 0",
            "nullif(a, '') IS NULL",
            "greatest(a, b) = least(c, d)",
            "amount BETWEEN 0 AND 100",
            "a IS DISTINCT FROM b",
            "done IS TRUE",
            "code COLLATE \"C\"",
            "lower(label) COLLATE \"C\"",
            "CASE WHEN a > 0 THEN 'pos' ELSE 'neg' END <> ''",
            "date_trunc('day', created_at)",
            "created_at AT TIME ZONE 'UTC'",
            "(now() AT TIME ZONE 'utc')",
            "nextval('seq'::regclass)",
            "'NONE'::priority",
            "uuid_generate_v4()",
            "to_tsvector('english', body)",
            "deleted_at IS NULL",
            "a % 2 = 0",
            "a || b <> ''",
            "timestamp '2026-01-01 00:00:00'",
            "date '2026-01-01'",
            "'2026-01-01'::date + 1",
            "char_length(code) = 3",
            "jsonb_typeof(data) = 'object'",
            "num_nonnulls(a, b) = 1",
            "x = ANY (ARRAY['a'::text, 'b'::text])",
            "x <> ALL (ARRAY[1, 2])",
        ];
        for sql in valid {
            assert_eq!(check_expression(sql), Ok(()), "{sql}");
        }
    }

    #[test]
    fn broken_expressions_do_not_parse() {
        for sql in [
            "length(title) >",
            "a AND",
            "lower(email",
            "x = 'open",
            "a b",
            "price >= 0;",
            "x IN ()",
        ] {
            assert!(check_expression(sql).is_err(), "{sql}");
        }
        assert_eq!(
            check_expression("length(title) >"),
            Err("expected: an expression, found: EOF".into())
        );
    }

    #[test]
    fn keyword_list_is_sorted() {
        assert!(NOT_COLUMNS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn mentions() {
        assert_eq!(names("length(title) > 0"), ["title"]);
        assert_eq!(
            names("price >= 0 AND status IN ('a', 'b''c') AND note IS NOT NULL"),
            ["price", "status", "note"]
        );
        assert_eq!(
            names("x::text <> '' AND CAST(y AS integer) > 1"),
            ["x", "y"]
        );
        assert_eq!(names("\"Weird Name\" > t.other"), ["Weird Name", "other"]);
        assert_eq!(names("due_date > now() - interval '1 day'"), ["due_date"]);
    }

    #[test]
    fn keyword_arguments_of_sql_functions() {
        assert_eq!(names("substring(code from 1 for 3) <> 'XXX'"), ["code"]);
        assert_eq!(
            names("overlay(code placing 'x' from 2 for 1) <> ''"),
            ["code"]
        );
        assert_eq!(names("position('@' in email) > 1"), ["email"]);
        assert_eq!(names("trim(both ' ' from name) <> ''"), ["name"]);
        assert_eq!(names("trim(leading '0' from code) <> ''"), ["code"]);
        assert_eq!(names("trim(trailing from code) <> ''"), ["code"]);
        assert_eq!(names("extract(epoch from created_at) > 0"), ["created_at"]);
        assert_eq!(names("EXTRACT(DOW FROM due) < 6"), ["due"]);
        assert_eq!(names("code SIMILAR TO '[A-Z]+'"), ["code"]);
        assert_eq!(names("coalesce(a, b) > 0"), ["a", "b"]);
        // A bare word that is a keyword only as a function is a column.
        assert_eq!(names("position >= 0"), ["position"]);
    }

    #[test]
    fn window_and_aggregate_clauses() {
        assert_eq!(
            names("count(*) filter (where done) over (partition by owner order by due)"),
            ["done", "owner", "due"]
        );
        assert_eq!(names("(a, b) overlaps (c, d)"), ["a", "b", "c", "d"]);
        assert_eq!(names("x between symmetric 1 and 2"), ["x"]);
    }

    #[test]
    fn collation_names_are_not_columns() {
        assert_eq!(names("code COLLATE \"C\""), ["code"]);
        assert_eq!(names("code collate \"en_US\" > 'a'"), ["code"]);
        assert_eq!(
            names("code COLLATE pg_catalog.\"default\" = name"),
            ["code", "name"]
        );
        assert_eq!(names("code COLLATE ucs_basic <> other"), ["code", "other"]);
        let key = parse_index_key("(code COLLATE \"C\") DESC").unwrap();
        assert_eq!(
            key.target,
            KeyTarget::Expression("code COLLATE \"C\"".into())
        );
        let KeyTarget::Expression(e) = &key.target else {
            unreachable!()
        };
        assert_eq!(names(e), ["code"]);
    }

    #[test]
    fn index_keys() {
        assert_eq!(
            parse_index_key("created_at DESC").unwrap(),
            IndexKey {
                target: KeyTarget::Column("created_at".into()),
                opclass: None,
                desc: Some(true),
                nulls_first: None
            }
        );
        assert_eq!(
            parse_index_key("(lower(name)) text_pattern_ops DESC NULLS LAST").unwrap(),
            IndexKey {
                target: KeyTarget::Expression("lower(name)".into()),
                opclass: Some("text_pattern_ops".into()),
                desc: Some(true),
                nulls_first: Some(false)
            }
        );
        assert_eq!(
            parse_index_key("lower(email)").unwrap().target,
            KeyTarget::Expression("lower(email)".into())
        );
        assert_eq!(
            parse_index_key("name gin_trgm_ops")
                .unwrap()
                .opclass
                .as_deref(),
            Some("gin_trgm_ops")
        );
        assert!(parse_index_key("a DESC DESC").is_err());
        assert!(parse_index_key("(a").is_err());
        assert!(parse_index_key("a NULLS").is_err());
        assert!(parse_index_key("a COLLATE \"C\"")
            .unwrap_err()
            .contains("(column COLLATE"));
    }
}
