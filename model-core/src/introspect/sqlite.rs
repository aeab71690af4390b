//! SQLite introspection from `sqlite_master` and the table pragmas.
//!
//! SQLite keeps each table's and index's `CREATE` statement verbatim in `sqlite_master.sql`,
//! and that text is the only place where constraint names live. Columns (names, declared
//! types, `NOT NULL`, default expressions, primary key positions) come from
//! `PRAGMA table_xinfo`; everything else is read from the statement text, tokenized with
//! sqlparser's SQLite dialect so that quoting, strings and comments are handled as SQLite
//! does, and cut by position so that CHECK expressions, index expressions and predicates keep
//! the text as written.
//!
//! Constraints declared without a name get the names the models would give them
//! ([`crate::naming`]), so a hand-written table compares with its models by content.

use sqlparser::dialect::SQLiteDialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Location, Token, Tokenizer};
use sqlx::{Row, SqliteConnection};

use crate::naming;
use crate::schema::{
    Check, Column, ColumnDefault, ColumnType, Deferrable, ForeignKey, Identity, Index, IndexKey,
    IndexTarget, PrimaryKey, ReferentialAction, Schema, SortOrder, Table, Unique,
};

/// Reads every table of the main database except SQLite's own (`sqlite_%`), sqlx's version
/// table and the runner's bookkeeping tables (`_migrate_gen_%`), with their indexes.
pub async fn introspect(conn: &mut SqliteConnection) -> Result<Schema, sqlx::Error> {
    let mut schema = Schema::new();
    let tables = sqlx::query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut parsed = Vec::new();
    for row in tables {
        let name: String = row.try_get("name")?;
        let sql: String = row.try_get("sql")?;
        if skipped(&name) || is_virtual(&sql) {
            continue;
        }
        let columns = columns(conn, &name).await?;
        let mut table = parse_table(&name, &sql, columns).map_err(|e| decode_error(&name, e))?;
        for row in sqlx::query(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? \
             AND sql IS NOT NULL ORDER BY name",
        )
        .bind(&name)
        .fetch_all(&mut *conn)
        .await?
        {
            let index_name: String = row.try_get("name")?;
            let sql: String = row.try_get("sql")?;
            table
                .indexes
                .push(parse_index(&sql).map_err(|e| decode_error(&index_name, e))?);
        }
        parsed.push(table);
    }
    // A foreign key that names no columns references the other table's primary key.
    let keys: Vec<(String, Vec<String>)> = parsed
        .iter()
        .map(|t| (t.name.clone(), t.primary_key.columns.clone()))
        .collect();
    for table in &mut parsed {
        for fk in &mut table.foreign_keys {
            if fk.ref_columns.is_empty() {
                if let Some((_, columns)) = keys
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(&fk.ref_table))
                {
                    fk.ref_columns = columns.clone();
                }
            }
        }
    }
    for mut table in parsed {
        table.normalize();
        schema.tables.insert(table.name.clone(), table);
    }
    Ok(schema)
}

/// Tables that are not the application's.
fn skipped(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("sqlite_")
        || lower == "_sqlx_migrations"
        || lower.starts_with("_migrate_gen_")
}

fn is_virtual(sql: &str) -> bool {
    let words: Vec<String> = sql
        .split_whitespace()
        .take(2)
        .map(str::to_ascii_uppercase)
        .collect();
    words.get(1).map(String::as_str) == Some("VIRTUAL")
}

fn decode_error(object: &str, message: String) -> sqlx::Error {
    sqlx::Error::Protocol(format!(
        "cannot read the SQL of `{object}` in sqlite_master: {message}"
    ))
}

/// A column as `PRAGMA table_xinfo` reports it.
struct PragmaColumn {
    name: String,
    declared: String,
    not_null: bool,
    default: Option<String>,
    /// Position in the primary key, from 1; 0 when not part of it.
    pk: i64,
}

async fn columns(
    conn: &mut SqliteConnection,
    table: &str,
) -> Result<Vec<PragmaColumn>, sqlx::Error> {
    let rows = sqlx::query("SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid")
        .bind(table)
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::new();
    for r in rows {
        // Hidden columns of virtual tables are not columns of the table's own.
        if r.try_get::<i64, _>("hidden")? == 1 {
            continue;
        }
        out.push(PragmaColumn {
            name: r.try_get("name")?,
            declared: r.try_get::<Option<String>, _>("type")?.unwrap_or_default(),
            not_null: r.try_get::<i64, _>("notnull")? != 0,
            default: r.try_get("dflt_value")?,
            pk: r.try_get("pk")?,
        });
    }
    Ok(out)
}

/// Maps a declared type back to the column type the SQLite renderer writes it for. Spellings
/// several types share (`INTEGER`, `TEXT`, `BLOB`, `DATETIME`, `REAL`, `NUMERIC`) read as the
/// widest of them; the SQLite comparison rules treat them all alike. Anything else is kept
/// verbatim.
pub fn parse_type(declared: &str) -> ColumnType {
    let spelled = declared.split_whitespace().collect::<Vec<_>>().join(" ");
    let upper = spelled.to_ascii_uppercase();
    match upper.as_str() {
        "BOOLEAN" => return ColumnType::Boolean,
        "INTEGER" => return ColumnType::BigInt,
        "REAL" => return ColumnType::Double,
        "TEXT" => return ColumnType::Text,
        "BLOB" => return ColumnType::Bytes,
        "DATETIME" => return ColumnType::Timestamp,
        "DATE" => return ColumnType::Date,
        "TIME" => return ColumnType::Time,
        "NUMERIC" => {
            return ColumnType::Decimal {
                precision: None,
                scale: None,
            }
        }
        _ => {}
    }
    if let Some(length) = upper
        .strip_prefix("VARCHAR")
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix('('))
        .and_then(|r| r.strip_suffix(')'))
        .and_then(|n| n.trim().parse().ok())
    {
        return ColumnType::Varchar { length };
    }
    ColumnType::Custom { sql: spelled }
}

/// A token and where it is in the statement, in bytes.
struct Tok {
    token: Token,
    start: usize,
    end: usize,
}

/// The statement's tokens without white space and comments.
fn tokenize(sql: &str) -> Result<Vec<Tok>, String> {
    let tokens = Tokenizer::new(&SQLiteDialect {}, sql)
        .tokenize_with_location()
        .map_err(|e| e.to_string())?;
    // Byte offset of each line's start; columns count characters from 1.
    let mut line_starts = vec![0];
    for (i, c) in sql.char_indices() {
        if c == '\n' {
            line_starts.push(i + 1);
        }
    }
    let offset = |loc: Location| -> usize {
        let line = usize::try_from(loc.line).unwrap_or(1).max(1);
        let start = line_starts.get(line - 1).copied().unwrap_or(sql.len());
        let column = usize::try_from(loc.column).unwrap_or(1).max(1) - 1;
        sql[start..]
            .char_indices()
            .nth(column)
            .map_or(sql.len(), |(i, _)| start + i)
    };
    Ok(tokens
        .into_iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF))
        .map(|t| Tok {
            start: offset(t.span.start),
            end: offset(t.span.end),
            token: t.token,
        })
        .collect())
}

/// A cursor over the tokens of one statement.
struct Cursor<'s> {
    sql: &'s str,
    toks: &'s [Tok],
    pos: usize,
}

impl<'s> Cursor<'s> {
    fn peek(&self) -> Option<&'s Token> {
        self.toks.get(self.pos).map(|t| &t.token)
    }

    fn peek_keyword(&self, keyword: Keyword) -> bool {
        self.keyword_at(self.pos, keyword)
    }

    fn keyword_at(&self, pos: usize, keyword: Keyword) -> bool {
        matches!(self.toks.get(pos).map(|t| &t.token),
            Some(Token::Word(w)) if w.quote_style.is_none() && w.keyword == keyword)
    }

    fn eat_keyword(&mut self, keyword: Keyword) -> bool {
        let found = self.peek_keyword(keyword);
        if found {
            self.pos += 1;
        }
        found
    }

    fn eat_keywords(&mut self, keywords: &[Keyword]) -> bool {
        let found = keywords
            .iter()
            .enumerate()
            .all(|(i, k)| self.keyword_at(self.pos + i, *k));
        if found {
            self.pos += keywords.len();
        }
        found
    }

    fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    /// An identifier (quoted or not) or a string used as one, unquoted.
    fn identifier(&mut self) -> Result<String, String> {
        let name = match self.peek() {
            Some(Token::Word(w)) => w.value.clone(),
            Some(Token::SingleQuotedString(s) | Token::DoubleQuotedString(s)) => s.clone(),
            other => return Err(format!("expected a name, found {other:?}")),
        };
        self.pos += 1;
        // `schema.name`: the last part is the name.
        if self.peek() == Some(&Token::Period) {
            self.pos += 1;
            return self.identifier();
        }
        Ok(name)
    }

    /// Skips one token, or a whole parenthesized group; returns the position after it.
    fn skip(&mut self) {
        if self.peek() == Some(&Token::LParen) {
            let close = self.matching(self.pos);
            self.pos = close + 1;
        } else {
            self.pos += 1;
        }
    }

    /// The index of the `)` closing the `(` at `open` (the end when unbalanced).
    fn matching(&self, open: usize) -> usize {
        let mut depth = 0usize;
        for (i, t) in self.toks.iter().enumerate().skip(open) {
            match t.token {
                Token::LParen => depth += 1,
                Token::RParen => {
                    depth -= 1;
                    if depth == 0 {
                        return i;
                    }
                }
                _ => {}
            }
        }
        self.toks.len()
    }

    /// `( ... )` at the cursor: the token range inside it, and the cursor moved past it.
    fn group(&mut self) -> Result<(usize, usize), String> {
        if self.peek() != Some(&Token::LParen) {
            return Err(format!("expected `(`, found {:?}", self.peek()));
        }
        let close = self.matching(self.pos);
        if close >= self.toks.len() {
            return Err("unbalanced parentheses".into());
        }
        let inner = (self.pos + 1, close);
        self.pos = close + 1;
        Ok(inner)
    }

    /// The source text of tokens `from..to`, as written.
    fn text(&self, from: usize, to: usize) -> String {
        if from >= to {
            return String::new();
        }
        self.sql[self.toks[from].start..self.toks[to - 1].end]
            .trim()
            .to_owned()
    }

    /// Token ranges of the comma-separated items of `from..to`, at the top nesting level.
    fn items(&self, from: usize, to: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        let mut start = from;
        for i in from..to {
            match self.toks[i].token {
                Token::LParen => depth += 1,
                Token::RParen => depth = depth.saturating_sub(1),
                Token::Comma if depth == 0 => {
                    out.push((start, i));
                    start = i + 1;
                }
                _ => {}
            }
        }
        if start < to {
            out.push((start, to));
        }
        out
    }

    /// A sub-cursor over tokens `from..to`.
    fn sub(&self, from: usize, to: usize) -> Cursor<'s> {
        Cursor {
            sql: self.sql,
            toks: &self.toks[..to],
            pos: from,
        }
    }

    /// `( name [COLLATE x] [ASC|DESC], ... )`: the column names.
    fn column_list(&mut self) -> Result<Vec<String>, String> {
        let (from, to) = self.group()?;
        self.items(from, to)
            .into_iter()
            .map(|(a, b)| self.sub(a, b).identifier())
            .collect()
    }
}

/// What the statement of a table says beyond its columns.
#[derive(Default)]
struct Constraints {
    primary_key: Option<PrimaryKey>,
    /// Columns declared `PRIMARY KEY AUTOINCREMENT`.
    autoincrement: Vec<String>,
    uniques: Vec<Unique>,
    checks: Vec<Check>,
    foreign_keys: Vec<ForeignKey>,
}

/// Builds a table from its `CREATE TABLE` statement and its pragma columns.
fn parse_table(name: &str, sql: &str, pragma: Vec<PragmaColumn>) -> Result<Table, String> {
    let toks = tokenize(sql)?;
    let mut cur = Cursor {
        sql,
        toks: &toks,
        pos: 0,
    };
    while !cur.at_end() && cur.peek() != Some(&Token::LParen) {
        cur.pos += 1;
    }
    let (from, to) = cur.group()?;
    // `WITHOUT ROWID` tables enforce NOT NULL on every key column.
    let without_rowid = cur.toks[cur.pos..]
        .iter()
        .any(|t| matches!(&t.token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("without")));
    let mut found = Constraints::default();
    for (a, b) in cur.items(from, to) {
        let mut item = cur.sub(a, b);
        let constraint_start = [
            Keyword::CONSTRAINT,
            Keyword::PRIMARY,
            Keyword::UNIQUE,
            Keyword::CHECK,
            Keyword::FOREIGN,
        ]
        .into_iter()
        .any(|k| item.peek_keyword(k));
        if constraint_start {
            table_constraint(name, &mut item, &mut found)?;
        } else {
            column_constraints(name, &mut item, &mut found)?;
        }
    }

    let mut key: Vec<&PragmaColumn> = pragma.iter().filter(|c| c.pk > 0).collect();
    key.sort_by_key(|c| c.pk);
    let key_columns: Vec<String> = key.iter().map(|c| c.name.clone()).collect();
    let primary_key = match found.primary_key {
        Some(pk) => PrimaryKey {
            name: pk.name,
            columns: key_columns,
        },
        None if !key_columns.is_empty() => PrimaryKey {
            name: naming::primary_key(name),
            columns: key_columns,
        },
        None => PrimaryKey {
            name: String::new(),
            columns: Vec::new(),
        },
    };
    // `INTEGER PRIMARY KEY` is the rowid: it never holds NULL, declared NOT NULL or not.
    let rowid = match key.as_slice() {
        [only] if !without_rowid && only.declared.eq_ignore_ascii_case("integer") => {
            Some(only.name.clone())
        }
        _ => None,
    };
    let columns = pragma
        .into_iter()
        .map(|c| Column {
            ty: parse_type(&c.declared),
            nullable: !c.not_null
                && rowid.as_deref() != Some(c.name.as_str())
                && !(without_rowid && c.pk > 0),
            default: c.default.map(ColumnDefault::Sql),
            identity: found
                .autoincrement
                .iter()
                .any(|a| a.eq_ignore_ascii_case(&c.name))
                .then_some(Identity::ByDefault),
            renamed_from: None,
            backfill_sql: None,
            comment: None,
            name: c.name,
        })
        .collect();
    Ok(Table {
        name: name.to_owned(),
        renamed_from: None,
        comment: None,
        columns,
        primary_key,
        indexes: Vec::new(),
        uniques: found.uniques,
        checks: found.checks,
        foreign_keys: found.foreign_keys,
        extensions: Vec::new(),
    })
}

/// `[CONSTRAINT name] PRIMARY KEY (...) | UNIQUE (...) | CHECK (...) | FOREIGN KEY (...) ...`
fn table_constraint(table: &str, item: &mut Cursor, found: &mut Constraints) -> Result<(), String> {
    let mut name = None;
    if item.eat_keyword(Keyword::CONSTRAINT) {
        name = Some(item.identifier()?);
    }
    if item.eat_keywords(&[Keyword::PRIMARY, Keyword::KEY]) {
        let columns = item.column_list()?;
        found.primary_key = Some(PrimaryKey {
            name: name.unwrap_or_else(|| naming::primary_key(table)),
            columns,
        });
    } else if item.eat_keyword(Keyword::UNIQUE) {
        let columns = item.column_list()?;
        found.uniques.push(Unique {
            name: name.unwrap_or_else(|| naming::unique(table, &columns)),
            columns,
        });
    } else if item.eat_keyword(Keyword::CHECK) {
        let (a, b) = item.group()?;
        let expr = item.text(a, b);
        found.checks.push(Check {
            name: name.unwrap_or_else(|| naming::check(table, &expr)),
            expr,
        });
    } else if item.eat_keywords(&[Keyword::FOREIGN, Keyword::KEY]) {
        let columns = item.column_list()?;
        if !item.eat_keyword(Keyword::REFERENCES) {
            return Err("expected REFERENCES".into());
        }
        found
            .foreign_keys
            .push(references(table, name, columns, item)?);
    }
    Ok(())
}

/// `name [type] [column constraints]`
fn column_constraints(
    table: &str,
    item: &mut Cursor,
    found: &mut Constraints,
) -> Result<(), String> {
    let column = item.identifier()?;
    let starts_constraint = |c: &Cursor| {
        [
            Keyword::CONSTRAINT,
            Keyword::PRIMARY,
            Keyword::NOT,
            Keyword::NULL,
            Keyword::UNIQUE,
            Keyword::CHECK,
            Keyword::DEFAULT,
            Keyword::COLLATE,
            Keyword::REFERENCES,
            Keyword::GENERATED,
            Keyword::AS,
        ]
        .into_iter()
        .any(|k| c.peek_keyword(k))
    };
    // The declared type (read from the pragma).
    while !item.at_end() && !starts_constraint(item) {
        item.skip();
    }
    let mut name: Option<String> = None;
    while !item.at_end() {
        if item.eat_keyword(Keyword::CONSTRAINT) {
            name = Some(item.identifier()?);
            continue;
        }
        if item.eat_keywords(&[Keyword::PRIMARY, Keyword::KEY]) {
            found.primary_key = Some(PrimaryKey {
                name: name.take().unwrap_or_else(|| naming::primary_key(table)),
                columns: vec![column.clone()],
            });
            // [ASC|DESC] [ON CONFLICT x] [AUTOINCREMENT]
            while !item.at_end() && !starts_constraint(item) {
                if item.eat_keyword(Keyword::AUTOINCREMENT) {
                    found.autoincrement.push(column.clone());
                } else {
                    item.skip();
                }
            }
        } else if item.eat_keyword(Keyword::UNIQUE) {
            found.uniques.push(Unique {
                name: name
                    .take()
                    .unwrap_or_else(|| naming::unique(table, std::slice::from_ref(&column))),
                columns: vec![column.clone()],
            });
        } else if item.eat_keyword(Keyword::CHECK) {
            let (a, b) = item.group()?;
            let expr = item.text(a, b);
            found.checks.push(Check {
                name: name.take().unwrap_or_else(|| naming::check(table, &expr)),
                expr,
            });
        } else if item.eat_keyword(Keyword::REFERENCES) {
            let fk = references(table, name.take(), vec![column.clone()], item)?;
            found.foreign_keys.push(fk);
        } else {
            // NOT NULL, NULL, DEFAULT, COLLATE, GENERATED: read from the pragma or not kept.
            name = None;
            item.skip();
            while !item.at_end() && !starts_constraint(item) {
                item.skip();
            }
        }
    }
    Ok(())
}

/// The rest of a foreign key after `REFERENCES`: the table, its columns (none when the key
/// references the primary key), actions and deferrability.
fn references(
    table: &str,
    name: Option<String>,
    columns: Vec<String>,
    item: &mut Cursor,
) -> Result<ForeignKey, String> {
    let ref_table = item.identifier()?;
    let ref_columns = if item.peek() == Some(&Token::LParen) {
        item.column_list()?
    } else {
        Vec::new()
    };
    let mut fk = ForeignKey {
        name: name.unwrap_or_else(|| naming::foreign_key(table, &columns, &ref_table)),
        columns,
        ref_table,
        ref_columns,
        on_delete: ReferentialAction::NoAction,
        on_update: ReferentialAction::NoAction,
        deferrable: Deferrable::No,
    };
    loop {
        if item.eat_keyword(Keyword::ON) {
            let delete = if item.eat_keyword(Keyword::DELETE) {
                true
            } else if item.eat_keyword(Keyword::UPDATE) {
                false
            } else {
                return Err("expected ON DELETE or ON UPDATE".into());
            };
            let action = if item.eat_keywords(&[Keyword::SET, Keyword::NULL]) {
                ReferentialAction::SetNull
            } else if item.eat_keywords(&[Keyword::SET, Keyword::DEFAULT]) {
                ReferentialAction::SetDefault
            } else if item.eat_keyword(Keyword::CASCADE) {
                ReferentialAction::Cascade
            } else if item.eat_keyword(Keyword::RESTRICT) {
                ReferentialAction::Restrict
            } else if item.eat_keywords(&[Keyword::NO, Keyword::ACTION]) {
                ReferentialAction::NoAction
            } else {
                return Err("unknown referential action".into());
            };
            if delete {
                fk.on_delete = action;
            } else {
                fk.on_update = action;
            }
        } else if item.eat_keyword(Keyword::MATCH) {
            item.skip();
        } else if item.eat_keywords(&[Keyword::NOT, Keyword::DEFERRABLE]) {
            // Never deferred, whatever INITIALLY says.
            fk.deferrable = Deferrable::No;
            initially(item);
        } else if item.eat_keyword(Keyword::DEFERRABLE) {
            fk.deferrable = if initially(item) == Some(true) {
                Deferrable::InitiallyDeferred
            } else {
                Deferrable::InitiallyImmediate
            };
        } else {
            break;
        }
    }
    Ok(fk)
}

/// `INITIALLY DEFERRED` (true) or `INITIALLY IMMEDIATE` (false), if present.
fn initially(item: &mut Cursor) -> Option<bool> {
    if item.eat_keywords(&[Keyword::INITIALLY, Keyword::DEFERRED]) {
        Some(true)
    } else if item.eat_keywords(&[Keyword::INITIALLY, Keyword::IMMEDIATE]) {
        Some(false)
    } else {
        None
    }
}

/// Builds an index from its `CREATE [UNIQUE] INDEX` statement.
fn parse_index(sql: &str) -> Result<Index, String> {
    let toks = tokenize(sql)?;
    let mut cur = Cursor {
        sql,
        toks: &toks,
        pos: 0,
    };
    if !cur.eat_keyword(Keyword::CREATE) {
        return Err("expected CREATE".into());
    }
    let unique = cur.eat_keyword(Keyword::UNIQUE);
    if !cur.eat_keyword(Keyword::INDEX) {
        return Err("expected INDEX".into());
    }
    cur.eat_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
    let name = cur.identifier()?;
    if !cur.eat_keyword(Keyword::ON) {
        return Err("expected ON".into());
    }
    cur.identifier()?;
    let (from, to) = cur.group()?;
    let mut keys = Vec::new();
    for (a, b) in cur.items(from, to) {
        let mut end = b;
        let mut order = None;
        if cur.keyword_at(end - 1, Keyword::DESC) {
            order = Some(SortOrder::Desc);
            end -= 1;
        } else if cur.keyword_at(end - 1, Keyword::ASC) {
            end -= 1;
        }
        // A collation is not part of the models' keys.
        if end >= a + 2 && cur.keyword_at(end - 2, Keyword::COLLATE) {
            end -= 2;
        }
        let target = match &toks[a..end] {
            [Tok {
                token: Token::Word(w),
                ..
            }] => IndexTarget::Column(w.value.clone()),
            _ => {
                let (mut a, mut end) = (a, end);
                // `(expr)`: the parentheses around the whole key are not part of it.
                while end > a + 1 && toks[a].token == Token::LParen && cur.matching(a) == end - 1 {
                    a += 1;
                    end -= 1;
                }
                IndexTarget::Expression(cur.text(a, end))
            }
        };
        keys.push(IndexKey {
            target,
            opclass: None,
            order,
            nulls: None,
        });
    }
    let predicate = if cur.eat_keyword(Keyword::WHERE) {
        let mut end = toks.len();
        while end > cur.pos && toks[end - 1].token == Token::SemiColon {
            end -= 1;
        }
        Some(cur.text(cur.pos, end))
    } else {
        None
    };
    Ok(Index {
        name,
        keys,
        unique,
        method: None,
        predicate,
    })
}

/// What the database holds that models cannot declare: views, triggers, virtual tables and
/// generated columns (see [`Extras`](super::Extras)).
pub async fn extras(conn: &mut SqliteConnection) -> Result<super::Extras, sqlx::Error> {
    let mut objects = Vec::new();
    for row in sqlx::query(
        "SELECT type, name, tbl_name, sql FROM sqlite_master \
         WHERE type IN ('view', 'trigger', 'table') ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let kind: String = row.try_get("type")?;
        let name: String = row.try_get("name")?;
        let table: String = row.try_get("tbl_name")?;
        let sql: Option<String> = row.try_get("sql")?;
        match kind.as_str() {
            "view" => objects.push(format!("view {name}")),
            "trigger" => objects.push(format!("trigger {name} on {table}")),
            _ if skipped(&name) => {}
            _ if sql.as_deref().is_some_and(is_virtual) => {
                objects.push(format!("virtual table {name}"));
            }
            _ => {
                let generated: Vec<String> = sqlx::query_scalar(
                    "SELECT name FROM pragma_table_xinfo(?) WHERE hidden IN (2, 3) ORDER BY cid",
                )
                .bind(&name)
                .fetch_all(&mut *conn)
                .await?;
                objects.extend(generated.into_iter().map(|column| {
                    format!("generated column {name}.{column}: pulled as a plain column")
                }));
            }
        }
    }
    objects.sort();
    Ok(super::Extras {
        objects,
        extensions: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, declared: &str, pk: i64) -> PragmaColumn {
        PragmaColumn {
            name: name.into(),
            declared: declared.into(),
            not_null: false,
            default: None,
            pk,
        }
    }

    #[test]
    fn introspect_types() {
        assert_eq!(parse_type("BOOLEAN"), ColumnType::Boolean);
        assert_eq!(parse_type("integer"), ColumnType::BigInt);
        assert_eq!(
            parse_type("VARCHAR(200)"),
            ColumnType::Varchar { length: 200 }
        );
        assert_eq!(
            parse_type("varchar ( 20 )"),
            ColumnType::Varchar { length: 20 }
        );
        assert_eq!(parse_type("REAL"), ColumnType::Double);
        assert_eq!(
            parse_type("unsigned  big int"),
            ColumnType::Custom {
                sql: "unsigned big int".into()
            }
        );
    }

    #[test]
    fn introspect_table_constraints() {
        let sql = "CREATE TABLE \"tasks\" (\n\"id\" INTEGER NOT NULL,\n\"user_id\" INTEGER,\n\
                   CONSTRAINT \"pk_tasks\" PRIMARY KEY (\"id\"),\n\
                   CONSTRAINT ck_x CHECK ( length(\"title\")  > 0 ),\n\
                   CHECK (user_id <> 0),\n\
                   CONSTRAINT \"fk\" FOREIGN KEY (\"user_id\") REFERENCES \"users\" (\"id\") \
                   ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED\n)";
        let table = parse_table(
            "tasks",
            sql,
            vec![column("id", "INTEGER", 1), column("user_id", "INTEGER", 0)],
        )
        .expect("parses");
        assert_eq!(table.primary_key.name, "pk_tasks");
        assert_eq!(table.primary_key.columns, ["id"]);
        assert!(!table.columns[0].nullable);
        assert_eq!(table.checks[0].name, "ck_x");
        assert_eq!(table.checks[0].expr, "length(\"title\")  > 0");
        assert_eq!(table.checks[1].name, naming::check("tasks", "user_id <> 0"));
        let fk = &table.foreign_keys[0];
        assert_eq!(fk.name, "fk");
        assert_eq!(fk.ref_table, "users");
        assert_eq!(fk.ref_columns, ["id"]);
        assert_eq!(fk.on_delete, ReferentialAction::Cascade);
        assert_eq!(fk.on_update, ReferentialAction::SetNull);
        assert_eq!(fk.deferrable, Deferrable::InitiallyDeferred);
    }

    #[test]
    fn introspect_column_constraints() {
        let sql = "create table t (id integer not null constraint pk_t primary key autoincrement, \
                   u int constraint fk_u references users on delete set null not deferrable, \
                   e text unique check (e in ('a', 'b')) default 'a')";
        let table = parse_table(
            "t",
            sql,
            vec![
                column("id", "integer", 1),
                column("u", "int", 0),
                column("e", "text", 0),
            ],
        )
        .expect("parses");
        assert_eq!(table.primary_key.name, "pk_t");
        assert_eq!(table.columns[0].identity, Some(Identity::ByDefault));
        assert_eq!(table.columns[1].identity, None);
        let fk = &table.foreign_keys[0];
        assert_eq!(fk.name, "fk_u");
        assert!(fk.ref_columns.is_empty());
        assert_eq!(fk.on_delete, ReferentialAction::SetNull);
        assert_eq!(fk.deferrable, Deferrable::No);
        assert_eq!(table.uniques[0].name, "uq_t_e");
        assert_eq!(table.checks[0].expr, "e in ('a', 'b')");
    }

    #[test]
    fn introspect_indexes() {
        let index = parse_index(
            "CREATE UNIQUE INDEX \"ix\" ON \"t\" ((lower(title)), \"b\" DESC, c COLLATE nocase ASC) WHERE done = 0;",
        )
        .expect("parses");
        assert!(index.unique);
        assert_eq!(
            index.keys[0].target,
            IndexTarget::Expression("lower(title)".into())
        );
        assert_eq!(index.keys[1].target, IndexTarget::Column("b".into()));
        assert_eq!(index.keys[1].order, Some(SortOrder::Desc));
        assert_eq!(index.keys[2].target, IndexTarget::Column("c".into()));
        assert_eq!(index.keys[2].order, None);
        assert_eq!(index.predicate.as_deref(), Some("done = 0"));
    }
}
