//! Just enough SQL reading to check models at compile time: whether an expression parses,
//! which column names it mentions, and how an index key splits into target, operator class and
//! order.
//!
//! Expressions are read with sqlparser's PostgreSQL dialect, so a column is exactly what the
//! parser takes for one: a (possibly qualified) name in expression position, never a function
//! name, a type, a collation or a keyword argument such as the field of `extract(epoch from
//! ...)`.

use std::ops::ControlFlow;

use sqlparser::ast::{visit_expressions, Expr, Ident};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

/// Checks that `sql` reads as one SQL expression in PostgreSQL's dialect, so that a typo is a
/// compile error rather than a failed migration. The error is the parser's complaint, with
/// its line and column inside the string.
pub fn check_expression(sql: &str) -> Result<(), String> {
    parse_expression(sql).map(drop)
}

fn parse_expression(sql: &str) -> Result<Expr, String> {
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
    let expr = parser.parse_expr().map_err(complaint)?;
    let next = parser.peek_token();
    if next.token != Token::EOF {
        return Err(format!(
            "unexpected `{}` after the expression at line {}, column {}",
            next.token, next.span.start.line, next.span.start.column
        ));
    }
    Ok(expr)
}

/// A word in an SQL expression that looks like a column reference.
#[derive(Debug, PartialEq, Eq)]
pub struct ColumnMention {
    pub name: String,
    pub quoted: bool,
}

/// The column names an SQL expression mentions, in order; the parser's complaint when it does
/// not parse. Of a qualified name (`t.other`) the last part is the column.
pub fn column_mentions(sql: &str) -> Result<Vec<ColumnMention>, String> {
    let expr = parse_expression(sql)?;
    let mention = |ident: &Ident| ColumnMention {
        name: ident.value.clone(),
        quoted: ident.quote_style.is_some(),
    };
    let mut out = Vec::new();
    let _ = visit_expressions(&expr, |e| {
        match e {
            Expr::Identifier(ident) => out.push(mention(ident)),
            Expr::CompoundIdentifier(parts) => out.extend(parts.last().map(mention)),
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
    Ok(out)
}

/// One parsed index key.
#[derive(Debug, PartialEq, Eq)]
pub struct ParsedIndexKey {
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
pub fn parse_index_key(entry: &str) -> Result<ParsedIndexKey, String> {
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
    let mut key = ParsedIndexKey {
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
        assert_eq!(names("x between 1 and y"), ["x", "y"]);
    }

    #[test]
    fn names_in_every_expression_position() {
        assert_eq!(
            names("CURRENT_DATE > due AND user_id IS NOT NULL"),
            ["due", "user_id"]
        );
        assert_eq!(
            names("data ->> 'k' = 'v' AND tags[1] <> ''"),
            ["data", "tags"]
        );
        assert_eq!(
            names("CASE WHEN a > 0 THEN b ELSE c END <> ''"),
            ["a", "b", "c"]
        );
        assert_eq!(
            names("x::numeric(10, 2) > 0 AND y = ANY(z)"),
            ["x", "y", "z"]
        );
        assert_eq!(names("date_part('year', d) > 2000"), ["d"]);
        assert!(column_mentions("x >").is_err());
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
            ParsedIndexKey {
                target: KeyTarget::Column("created_at".into()),
                opclass: None,
                desc: Some(true),
                nulls_first: None
            }
        );
        assert_eq!(
            parse_index_key("(lower(name)) text_pattern_ops DESC NULLS LAST").unwrap(),
            ParsedIndexKey {
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
