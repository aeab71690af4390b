//! Just enough SQL reading to check models at compile time: which column names an expression
//! mentions, and how an index key splits into target, operator class and order.
//!
//! This is deliberately conservative: a bare word is taken for a column only when it is not a
//! keyword, a type name, a function call, a qualifier or a cast target. Quoted identifiers are
//! always columns.

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
const NOT_COLUMNS: &[&str] = &[
    "all",
    "and",
    "any",
    "array",
    "as",
    "asc",
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
    "first",
    "float",
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
    "precision",
    "real",
    "regexp",
    "second",
    "session_user",
    "similar",
    "smallint",
    "some",
    "text",
    "then",
    "time",
    "timestamp",
    "timestamptz",
    "to",
    "trailing",
    "true",
    "unknown",
    "uuid",
    "varchar",
    "varying",
    "when",
    "with",
    "without",
    "year",
    "zone",
];

/// The column names an SQL expression mentions.
pub fn column_mentions(sql: &str) -> Result<Vec<ColumnMention>, String> {
    let tokens = tokenize(sql)?;
    let mut out = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| tokens.get(p));
        let next = tokens.get(i + 1);
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
                let is_call = next == Some(&Token::Punct('('));
                let is_qualifier = next == Some(&Token::Punct('.'));
                let is_cast_target = prev == Some(&Token::DoubleColon);
                let after_as = matches!(prev, Some(Token::Word(w)) if w.eq_ignore_ascii_case("as"));
                if is_call
                    || is_qualifier
                    || is_cast_target
                    || after_as
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
    }
}
