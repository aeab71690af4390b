//! Expressions compared as trees, for `drift` and `verify`.
//!
//! PostgreSQL stores a CHECK, an index expression, an index predicate or a default as a parse
//! tree and prints it back in its own words: with casts it added (`lower((email)::text)`),
//! parentheses around every operator, `~~` for `LIKE`, `= ANY (ARRAY[...])` for `IN`, and
//! `BETWEEN` expanded. Both the models' text and the catalog's are parsed (sqlparser, PostgreSQL
//! dialect) and brought to one canonical tree before they are compared, so that these
//! re-printings compare equal while the structure the parentheses gave stays part of the
//! comparison: `(a OR b) AND c` and `a OR (b AND c)` are different trees.

use std::ops::ControlFlow;

use sqlparser::ast::{
    visit_expressions_mut, BinaryOperator, CastKind, DataType, Expr, Ident, InTarget,
    ObjectNamePart, UnaryOperator, Value,
};
use sqlparser::dialect::{MySqlDialect, PostgreSqlDialect};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

/// The canonical tree of an SQL expression, or `None` when it does not parse whole.
pub fn canonical_tree(sql: &str) -> Option<Expr> {
    let dialect = PostgreSqlDialect {};
    // An expression nested deeper than the parser's recursion limit has no tree and falls
    // back to the token comparison.
    let mut parser = Parser::new(&dialect).try_with_sql(sql).ok()?;
    let mut expr = parser.parse_expr().ok()?;
    // Text after the expression means it was not read as one expression.
    if parser.peek_token().token != Token::EOF {
        return None;
    }
    // Children are visited before their parent, so each rewrite sees canonical operands.
    let _ = visit_expressions_mut(&mut expr, |e| {
        let taken = std::mem::replace(e, Expr::value(Value::Null));
        *e = canonical(taken);
        ControlFlow::<()>::Continue(())
    });
    Some(expr)
}

/// The canonical tree of an expression in MySQL's syntax (backticks, backslash escapes in
/// strings), with MariaDB's and MySQL's re-printing folded, or `None` when it does not parse
/// whole. The server prints a CHECK or a default back lowercase, with identifiers in
/// backticks, `TRUE`/`FALSE` as `1`/`0`, `NOT col` as `col = 0`, `NOT (a > 0)` as `a <= 0`,
/// a one-item `IN` as `=`, and several functions under another name (`lower` as `lcase`,
/// `length` as `octet_length`, `now()` as `current_timestamp()`, `CURRENT_DATE` as
/// `curdate()`); identifiers compare without case, as MySQL's column names do. What is left
/// is brought to the same canonical form as PostgreSQL's trees (parentheses, numbers,
/// `AND`/`OR` chains).
pub fn mysql_canonical_tree(sql: &str) -> Option<Expr> {
    let dialect = MySqlDialect {};
    let mut parser = Parser::new(&dialect).try_with_sql(sql).ok()?;
    let mut expr = parser.parse_expr().ok()?;
    if parser.peek_token().token != Token::EOF {
        return None;
    }
    let _ = visit_expressions_mut(&mut expr, |e| {
        let taken = std::mem::replace(e, Expr::value(Value::Null));
        *e = canonical(mysql_canonical(taken));
        ControlFlow::<()>::Continue(())
    });
    // A check that is a bare column.
    Some(as_condition(expr))
}

/// Function names MySQL prints under another name, and the name they compare by.
const MYSQL_FUNCTION_SYNONYMS: &[(&str, &str)] = &[
    ("lcase", "lower"),
    ("ucase", "upper"),
    ("octet_length", "length"),
    ("character_length", "char_length"),
    ("curdate", "current_date"),
    ("curtime", "current_time"),
    ("now", "current_timestamp"),
    ("localtime", "current_timestamp"),
    ("localtimestamp", "current_timestamp"),
    ("substr", "substring"),
];

/// The name a MySQL function compares by (lowercase, synonyms folded).
pub fn mysql_function_name(name: &str) -> String {
    let lower = name.to_lowercase();
    MYSQL_FUNCTION_SYNONYMS
        .iter()
        .find(|(from, _)| *from == lower)
        .map_or(lower, |(_, to)| (*to).to_owned())
}

/// MySQL's re-printings of one node, folded; its children already are.
fn mysql_canonical(expr: Expr) -> Expr {
    use sqlparser::ast::{FunctionArgumentList, FunctionArguments};
    match expr {
        Expr::Nested(inner) => *inner,
        Expr::Identifier(ident) => Expr::Identifier(Ident::new(ident.value.to_lowercase())),
        Expr::CompoundIdentifier(idents) => Expr::CompoundIdentifier(
            idents
                .into_iter()
                .map(|i| Ident::new(i.value.to_lowercase()))
                .collect(),
        ),
        Expr::Function(mut function) => {
            for part in &mut function.name.0 {
                if let ObjectNamePart::Identifier(ident) = part {
                    *ident = Ident::new(mysql_function_name(&ident.value));
                }
            }
            // `CURRENT_TIMESTAMP` is `current_timestamp()`.
            if matches!(function.args, FunctionArguments::None) {
                function.args = FunctionArguments::List(FunctionArgumentList {
                    duplicate_treatment: None,
                    args: Vec::new(),
                    clauses: Vec::new(),
                });
            }
            Expr::Function(function)
        }
        Expr::Value(v) => match v.value {
            Value::Boolean(b) => Expr::value(Value::Number(u8::from(b).to_string(), false)),
            // Without ANSI_QUOTES, double quotes make a string.
            Value::DoubleQuotedString(text) => Expr::value(Value::SingleQuotedString(text)),
            Value::HexStringLiteral(hex) => {
                Expr::value(Value::HexStringLiteral(hex.to_ascii_lowercase()))
            }
            other => Expr::value(other),
        },
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            expr,
        } => match *expr {
            // `NOT col` is printed `col = 0`.
            ident @ (Expr::Identifier(_) | Expr::CompoundIdentifier(_)) => binary(
                ident,
                BinaryOperator::Eq,
                Expr::value(Value::Number("0".into(), false)),
            ),
            // `NOT (a > 0)` is printed `a <= 0`.
            Expr::BinaryOp { left, op, right } => match inverted_comparison(&op) {
                Some(inverse) => binary(*left, inverse, *right),
                None => Expr::UnaryOp {
                    op: UnaryOperator::Not,
                    expr: Box::new(Expr::BinaryOp { left, op, right }),
                },
            },
            other => Expr::UnaryOp {
                op: UnaryOperator::Not,
                expr: Box::new(other),
            },
        },
        // A bare column as a condition (`a OR acknowledged`) is printed `acknowledged <> 0`.
        Expr::BinaryOp {
            left,
            op: op @ (BinaryOperator::And | BinaryOperator::Or),
            right,
        } => binary(as_condition(*left), op, as_condition(*right)),
        other => other,
    }
}

/// A bare column used as a condition, as MariaDB prints it (`col <> 0`); anything else as is.
fn as_condition(expr: Expr) -> Expr {
    match expr {
        ident @ (Expr::Identifier(_) | Expr::CompoundIdentifier(_)) => binary(
            ident,
            BinaryOperator::NotEq,
            Expr::value(Value::Number("0".into(), false)),
        ),
        other => other,
    }
}

/// The comparison that is true exactly when `op` is false (for non-NULL operands).
fn inverted_comparison(op: &BinaryOperator) -> Option<BinaryOperator> {
    Some(match op {
        BinaryOperator::Eq => BinaryOperator::NotEq,
        BinaryOperator::NotEq => BinaryOperator::Eq,
        BinaryOperator::Gt => BinaryOperator::LtEq,
        BinaryOperator::LtEq => BinaryOperator::Gt,
        BinaryOperator::Lt => BinaryOperator::GtEq,
        BinaryOperator::GtEq => BinaryOperator::Lt,
        _ => return None,
    })
}

/// One node in canonical form; its children already are.
fn canonical(expr: Expr) -> Expr {
    match expr {
        // The tree holds the grouping; parentheses add nothing to it.
        Expr::Nested(inner) => *inner,
        Expr::Cast {
            kind: CastKind::Cast | CastKind::DoubleColon,
            expr,
            data_type,
            format: None,
        } => uncast(*expr, &data_type),
        // `interval '1 day'` and `date '2026-01-01'` come back as `'1 day'::interval`.
        Expr::TypedString(typed) => Expr::Value(typed.value),
        Expr::Interval(interval)
            if interval.leading_field.is_none()
                && interval.last_field.is_none()
                && interval.leading_precision.is_none()
                && interval.fractional_seconds_precision.is_none() =>
        {
            *interval.value
        }
        Expr::Identifier(ident) => Expr::Identifier(canonical_ident(ident)),
        Expr::CompoundIdentifier(idents) => {
            Expr::CompoundIdentifier(idents.into_iter().map(canonical_ident).collect())
        }
        Expr::Function(mut function) => {
            for part in &mut function.name.0 {
                if let ObjectNamePart::Identifier(ident) = part {
                    *ident = canonical_ident(ident.clone());
                }
            }
            Expr::Function(function)
        }
        // PostgreSQL's operators for LIKE and ILIKE.
        Expr::Like {
            negated,
            any: false,
            expr,
            pattern,
            escape_char: None,
        } => binary(
            *expr,
            like_operator(
                negated,
                BinaryOperator::PGLikeMatch,
                BinaryOperator::PGNotLikeMatch,
            ),
            *pattern,
        ),
        Expr::ILike {
            negated,
            any: false,
            expr,
            pattern,
            escape_char: None,
        } => binary(
            *expr,
            like_operator(
                negated,
                BinaryOperator::PGILikeMatch,
                BinaryOperator::PGNotILikeMatch,
            ),
            *pattern,
        ),
        // `x SIMILAR TO p` is stored as `x ~ similar_to_escape(p)`.
        Expr::BinaryOp {
            left,
            op: op @ (BinaryOperator::PGRegexMatch | BinaryOperator::PGRegexNotMatch),
            right,
        } => match similar_to_pattern(&right) {
            Some(pattern) => Expr::SimilarTo {
                negated: op == BinaryOperator::PGRegexNotMatch,
                expr: left,
                pattern: Box::new(pattern),
                escape_char: None,
            },
            None => Expr::BinaryOp { left, op, right },
        },
        // `x IN (a, b)` is stored as `x = ANY (ARRAY[a, b])`, `x NOT IN (...)` as
        // `x <> ALL (ARRAY[...])`, and a list of one as a plain comparison.
        Expr::AnyOp {
            left,
            compare_op: BinaryOperator::Eq,
            right,
            is_some: false,
        } if matches!(*right, Expr::Array(_)) => in_list(*left, array_items(*right), false),
        Expr::AllOp {
            left,
            compare_op: BinaryOperator::NotEq,
            right,
        } if matches!(*right, Expr::Array(_)) => in_list(*left, array_items(*right), true),
        Expr::In {
            expr,
            target: InTarget::List(list),
            negated,
            global: false,
        } => in_list(*expr, list, negated),
        // `x BETWEEN a AND b` is stored as `x >= a AND x <= b`.
        Expr::Between {
            expr,
            negated: false,
            low,
            high,
        } => binary(
            binary((*expr).clone(), BinaryOperator::GtEq, *low),
            BinaryOperator::And,
            binary(*expr, BinaryOperator::LtEq, *high),
        ),
        Expr::Between {
            expr,
            negated: true,
            low,
            high,
        } => binary(
            binary((*expr).clone(), BinaryOperator::Lt, *low),
            BinaryOperator::Or,
            binary(*expr, BinaryOperator::Gt, *high),
        ),
        // AND and OR are associative: `a AND (b AND c)` is `(a AND b) AND c`, which
        // PostgreSQL prints as `a AND b AND c`. Chains are kept leaning left.
        Expr::BinaryOp { left, op, right } if is_associative(&op) => {
            let mut operands = Vec::new();
            flatten(&op, *left, &mut operands);
            flatten(&op, *right, &mut operands);
            operands
                .into_iter()
                .reduce(|l, r| binary(l, op.clone(), r))
                .unwrap_or(Expr::value(Value::Null))
        }
        Expr::UnaryOp {
            op: UnaryOperator::Plus,
            expr,
        } if is_number(&expr) => *expr,
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => match *expr {
            Expr::Value(v) => match v.value {
                Value::Number(n, _) => number(&format!("-{n}")),
                other => negate(Expr::value(other)),
            },
            other => negate(other),
        },
        Expr::Value(v) => match v.value {
            Value::Number(n, _) => number(&n),
            // PostgreSQL keeps a string's value, not its quoting: `E'a\nb'` and `$$x$$` come
            // back as plain quoted strings.
            Value::EscapedStringLiteral(text) => Expr::value(Value::SingleQuotedString(text)),
            Value::DollarQuotedString(dollar) => {
                Expr::value(Value::SingleQuotedString(dollar.value))
            }
            other => Expr::value(other),
        },
        Expr::Array(mut array) => {
            // `[1, 2]` and `ARRAY[1, 2]` are the same array.
            array.named = true;
            Expr::Array(array)
        }
        other => other,
    }
}

/// The operand of a cast PostgreSQL may have added. A string cast to a number type
/// (`'-1'::integer`, how a negative constant is printed) becomes the number; JSON text cast to
/// `json`/`jsonb` is compared as JSON, since `jsonb` re-formats it.
fn uncast(operand: Expr, data_type: &DataType) -> Expr {
    let type_name = data_type.to_string().to_ascii_lowercase();
    if let Expr::Value(v) = &operand {
        if let Value::SingleQuotedString(text) = &v.value {
            if is_number_type(&type_name) && text.trim().parse::<f64>().is_ok() {
                return number(text.trim());
            }
            if type_name == "json" || type_name == "jsonb" {
                if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
                    return Expr::value(Value::SingleQuotedString(json.to_string()));
                }
            }
        }
    }
    operand
}

fn is_number_type(type_name: &str) -> bool {
    const NUMBER_TYPES: &[&str] = &[
        "smallint",
        "integer",
        "int",
        "bigint",
        "int2",
        "int4",
        "int8",
        "real",
        "float4",
        "float8",
        "double precision",
        "float",
        "numeric",
        "decimal",
    ];
    let base = type_name.split('(').next().unwrap_or(type_name).trim();
    NUMBER_TYPES.contains(&base)
}

fn is_number(expr: &Expr) -> bool {
    matches!(expr, Expr::Value(v) if matches!(v.value, Value::Number(..)))
}

/// A number literal with one spelling per value: `1.50` and `1.5` are equal, as are `1e-5`
/// and `0.00001`. Integers stay exact; other values compare as `f64`.
fn number(text: &str) -> Expr {
    let canonical = if let Ok(i) = text.parse::<i128>() {
        i.to_string()
    } else if let Some(f) = text.parse::<f64>().ok().filter(|f| f.is_finite()) {
        if f.fract() == 0.0 && f.abs() < 1e15 {
            format!("{}", f as i64)
        } else {
            f.to_string()
        }
    } else {
        text.to_owned()
    };
    Expr::value(Value::Number(canonical, false))
}

fn negate(expr: Expr) -> Expr {
    Expr::UnaryOp {
        op: UnaryOperator::Minus,
        expr: Box::new(expr),
    }
}

/// Unquoted names fold to lowercase; a quoted name is the same name as the bare word when
/// its text is what folding gives, so quoting is not part of the comparison.
fn canonical_ident(ident: Ident) -> Ident {
    let value = if ident.quote_style.is_some() {
        ident.value
    } else {
        ident.value.to_lowercase()
    };
    Ident::new(value)
}

/// The operator PostgreSQL stores for `LIKE` / `ILIKE` (`~~`, `~~*`) or their negation.
fn like_operator(negated: bool, plain: BinaryOperator, not: BinaryOperator) -> BinaryOperator {
    if negated {
        not
    } else {
        plain
    }
}

fn binary(left: Expr, op: BinaryOperator, right: Expr) -> Expr {
    Expr::BinaryOp {
        left: Box::new(left),
        op,
        right: Box::new(right),
    }
}

fn is_associative(op: &BinaryOperator) -> bool {
    matches!(op, BinaryOperator::And | BinaryOperator::Or)
}

fn flatten(op: &BinaryOperator, expr: Expr, out: &mut Vec<Expr>) {
    match expr {
        Expr::BinaryOp {
            left,
            op: inner,
            right,
        } if inner == *op => {
            flatten(op, *left, out);
            flatten(op, *right, out);
        }
        other => out.push(other),
    }
}

/// The pattern of `similar_to_escape(pattern)` (one argument: no ESCAPE clause).
fn similar_to_pattern(expr: &Expr) -> Option<Expr> {
    use sqlparser::ast::{FunctionArg, FunctionArgExpr, FunctionArguments};
    let Expr::Function(function) = expr else {
        return None;
    };
    let is_escape = function.name.0.len() == 1
        && matches!(&function.name.0[0], ObjectNamePart::Identifier(i) if i.value == "similar_to_escape");
    let FunctionArguments::List(list) = &function.args else {
        return None;
    };
    match list.args.as_slice() {
        [FunctionArg::Unnamed(FunctionArgExpr::Expr(pattern))]
            if is_escape
                && list.clauses.is_empty()
                && list.duplicate_treatment.is_none()
                && function.over.is_none()
                && function.filter.is_none() =>
        {
            Some(pattern.clone())
        }
        _ => None,
    }
}

fn array_items(expr: Expr) -> Vec<Expr> {
    match expr {
        Expr::Array(array) => array.elem,
        other => vec![other],
    }
}

fn in_list(expr: Expr, mut list: Vec<Expr>, negated: bool) -> Expr {
    if list.len() == 1 {
        let op = if negated {
            BinaryOperator::NotEq
        } else {
            BinaryOperator::Eq
        };
        return binary(expr, op, list.remove(0));
    }
    Expr::In {
        expr: Box::new(expr),
        target: InTarget::List(list),
        negated,
        global: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        let (x, y) = (canonical_tree(a), canonical_tree(b));
        assert!(x.is_some(), "does not parse: {a}");
        assert!(y.is_some(), "does not parse: {b}");
        x == y
    }

    #[test]
    fn grouping_is_part_of_the_tree() {
        assert!(!same("(a OR b) AND c", "a OR (b AND c)"));
        assert!(!same("(a OR b) AND c", "a OR b AND c"));
        assert!(same("a OR (b AND c)", "a OR b AND c"));
        assert!(!same("(a - b) - c", "a - (b - c)"));
        assert!(!same("x * (y + 1)", "x * y + 1"));
    }

    #[test]
    fn postgres_re_printing_is_tolerated() {
        let cases = [
            ("length(title) > 0", "(length(title) > 0)"),
            ("lower(email)", "lower((email)::text)"),
            ("(a OR b) AND c", "(((a OR b)) AND c)"),
            (
                "status IN ('a', 'b')",
                "(status = ANY (ARRAY['a'::text, 'b'::text]))",
            ),
            (
                "status NOT IN ('a', 'b')",
                "(status <> ALL (ARRAY['a'::text, 'b'::text]))",
            ),
            ("status IN ('a')", "(status = 'a'::text)"),
            ("code LIKE 'P%'", "((code)::text ~~ 'P%'::text)"),
            ("code NOT ILIKE 'P%'", "(code !~~* 'P%'::text)"),
            (
                "amount BETWEEN 0 AND 100",
                "((amount >= 0) AND (amount <= 100))",
            ),
            ("x NOT BETWEEN 1 AND 2", "((x < 1) OR (x > 2))"),
            ("x > -1", "(x > '-1'::integer)"),
            ("x >= 1.50", "(x >= 1.5)"),
            ("x <> 1", "x != 1"),
            (
                "now() + interval '30 days'",
                "(now() + '30 days'::interval)",
            ),
            ("due > date '2026-01-01'", "(due > '2026-01-01'::date)"),
            (
                "\"Level\" <> 'high' OR acknowledged",
                "((\"Level\" <> 'high'::text) OR acknowledged)",
            ),
            ("\"level\" > 0", "level > 0"),
            ("LOWER(Email)", "lower(email)"),
            (
                "data @> '{\"a\":1}'::jsonb",
                "(data @> '{\"a\": 1}'::jsonb)",
            ),
            ("CAST(x AS integer) > 0", "((x)::integer > 0)"),
            (
                "code SIMILAR TO '[A-Z]+'",
                "((code)::text ~ similar_to_escape('[A-Z]+'::text))",
            ),
            (
                "code NOT SIMILAR TO '[A-Z]+'",
                "code::text !~ similar_to_escape('[A-Z]+'::text)",
            ),
            ("x <> E'a\\nb'", "(x <> 'a\nb'::text)"),
            ("x <> $$it's$$", "(x <> 'it''s'::text)"),
        ];
        for (model, printed) in cases {
            assert!(same(model, printed), "{model} vs {printed}");
        }
        assert!(same(
            "a > 0 AND (b > 0 AND c > 0)",
            "((a > 0) AND (b > 0) AND (c > 0))"
        ));
    }

    #[test]
    fn different_expressions_differ() {
        assert!(!same("a > 1", "a > 2"));
        assert!(!same("\"Level\" > 0", "level > 0"));
        assert!(!same("x IN (1, 2)", "x NOT IN (1, 2)"));
        assert!(!same("code LIKE 'a%'", "code ILIKE 'a%'"));
        assert!(!same("x BETWEEN 1 AND 2", "x BETWEEN 2 AND 1"));
        assert!(!same("x > -1", "x > 1"));
        assert!(!same("code SIMILAR TO 'a'", "code ~ 'a'"));
    }

    fn same_mysql(a: &str, b: &str) -> bool {
        let (x, y) = (mysql_canonical_tree(a), mysql_canonical_tree(b));
        assert!(x.is_some(), "does not parse: {a}");
        assert!(y.is_some(), "does not parse: {b}");
        x == y
    }

    /// Pairs of (as written, as MariaDB 10.11 prints it in CHECK_CONSTRAINTS / COLUMN_DEFAULT).
    #[test]
    fn mariadb_re_printing_is_tolerated() {
        let cases = [
            ("length(title) > 0", "octet_length(`title`) > 0"),
            (
                "a > 0 AND (b < 5 OR b IS NULL)",
                "`a` > 0 and (`b` < 5 or `b` is null)",
            ),
            ("s IN ('x', 'y')", "`s` in ('x','y')"),
            ("s NOT IN ('z')", "`s` <> 'z'"),
            ("a BETWEEN 1 AND 10", "`a` between 1 and 10"),
            (
                "s LIKE 'P%' AND s <> 'it''s' AND a != 3",
                "`s` like 'P%' and `s` <> 'it\\'s' and `a` <> 3",
            ),
            ("done = TRUE OR NOT done", "`done` = 1 or `done` = 0"),
            (
                "level <> 'high' OR acknowledged",
                "`level` <> 'high' or `acknowledged` <> 0",
            ),
            ("done", "`done` <> 0"),
            ("LOWER(s) = s AND -a < 0", "lcase(`s`) = `s` and -`a` < 0"),
            ("UPPER(s) <> ''", "ucase(`s`) <> ''"),
            ("a + b * 2 >= 1.50", "`a` + `b` * 2 >= 1.50"),
            ("(a > 0) = true", "`a` > 0 = 1"),
            (
                "NOT (a > 0) OR s IS NOT NULL",
                "`a` <= 0 or `s` is not null",
            ),
            (
                "CASE WHEN a > 1 THEN s IS NULL ELSE TRUE END",
                "case when `a` > 1 then `s` is null else 1 end",
            ),
            ("CURRENT_TIMESTAMP(6)", "current_timestamp(6)"),
            ("now()", "current_timestamp()"),
            ("CURRENT_TIMESTAMP", "current_timestamp()"),
            ("CURRENT_DATE", "curdate()"),
            ("1+2", "(1 + 2)"),
            ("X'00FF'", "X'00ff'"),
            ("TRUE", "1"),
            ("'a\\\\b'", "'a\\\\b'"),
            ("\"x\"", "'x'"),
        ];
        for (model, printed) in cases {
            assert!(same_mysql(model, printed), "{model} vs {printed}");
        }
    }

    #[test]
    fn mysql_differences_stay() {
        assert!(!same_mysql("a > 1", "`a` > 2"));
        assert!(!same_mysql("(a OR b) AND c", "`a` or `b` and `c`"));
        assert!(!same_mysql("s = 'Open'", "`s` = 'open'"));
        assert!(!same_mysql("length(s) > 0", "char_length(`s`) > 0"));
        assert!(!same_mysql("NOT (a > 0)", "`a` < 0"));
    }

    #[test]
    fn unparsable_text_has_no_tree() {
        assert!(canonical_tree("a >").is_none());
        assert!(canonical_tree("a > 1 b").is_none());
        assert!(canonical_tree("").is_none());
    }
}
