//! `pull`: Rust models, in the attribute language of the derives, for a schema read from a live
//! database.
//!
//! The writer only says what the derives would turn back into the same schema: a name, a
//! default or an identity setting is written when the generated one would differ, so that no
//! constraint or index is renamed by the next migration. What the attribute language cannot
//! express is listed, never dropped silently.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use model_core::dialect::Dialect;
use model_core::introspect::Extras;
use model_core::naming;
use model_core::schema::{
    Column, ColumnDefault, ColumnType, Deferrable, Enum, ForeignKey, Identity, Index, IndexTarget,
    NullsOrder, ReferentialAction, Schema, SortOrder, Table, Value,
};

/// Models written for a database.
pub(crate) struct Pulled {
    /// The formatted Rust file.
    pub source: String,
    /// What the models cannot express, one line each.
    pub notes: Vec<String>,
    /// Columns written with `sql_type` whose Rust type is a guess sqlx may not decode.
    pub guesses: Vec<String>,
    /// How many structs and enums the file declares.
    pub tables: usize,
    pub enums: usize,
    /// The crates the file names besides `model_core` (`sqlx`, `uuid`...), for Cargo.toml.
    pub crates: BTreeSet<&'static str>,
}

/// Strict and reserved Rust keywords: a field with one of these names is a raw identifier.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names the file must not shadow: the prelude's and the derives'.
const TAKEN_TYPES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Table", "DbEnum",
    "Self", "FromRow",
];

/// A Rust identifier for an SQL name: snake_case (`camel` false) or PascalCase, never empty,
/// never starting with a digit; keywords become raw identifiers (or get a `_` when they
/// cannot be raw).
fn identifier(sql: &str, camel: bool) -> String {
    let cleaned: String = sql
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    let mut out = if camel {
        cleaned.to_upper_camel_case()
    } else {
        cleaned.to_snake_case()
    };
    out.retain(|c| c.is_ascii_alphanumeric() || c == '_' || c.is_alphabetic());
    if out.is_empty() {
        out = if camel {
            "Unnamed".into()
        } else {
            "unnamed".into()
        };
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out = if camel {
            format!("T{out}")
        } else {
            format!("_{out}")
        };
    }
    out
}

/// Spelled in source: `r#type` for a keyword, `self_` for one that cannot be raw.
fn spelled(ident: &str) -> String {
    if NOT_RAW.contains(&ident) {
        format!("{ident}_")
    } else if KEYWORDS.contains(&ident) {
        format!("r#{ident}")
    } else {
        ident.to_owned()
    }
}

/// `tasks` → `task`, `categories` → `category`, `addresses` → `address`: the last word of a
/// table name made singular by the common English rules, for a struct name.
fn singular(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let cut = |n: usize, add: &str| format!("{}{add}", &name[..name.len() - n]);
    if lower.len() > 4 && lower.ends_with("ies") {
        cut(3, "y")
    } else if ["sses", "xes", "ches", "shes", "zes", "uses"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        cut(2, "")
    } else if lower.len() > 3
        && lower.ends_with('s')
        && !["ss", "us", "is", "news", "status"]
            .iter()
            .any(|e| lower.ends_with(e))
    {
        cut(1, "")
    } else {
        name.to_owned()
    }
}

/// Gives each wanted name a unique spelling (`name`, `name2`, ...), skipping `taken` ones.
fn unique_name(wanted: String, used: &mut BTreeSet<String>) -> String {
    let mut name = wanted.clone();
    let mut n = 2;
    while used.contains(&name) {
        name = format!("{wanted}{n}");
        n += 1;
    }
    used.insert(name.clone());
    name
}

/// A Rust string literal.
fn lit(text: &str) -> String {
    format!("{text:?}")
}

/// A column or key name as an index key: bare when it reads back as the same name.
fn key_column(name: &str) -> String {
    if model_core::dialect::is_plain_identifier(name) {
        name.to_owned()
    } else {
        format!("\"{name}\"")
    }
}

fn action(a: ReferentialAction) -> &'static str {
    match a {
        ReferentialAction::NoAction => "no action",
        ReferentialAction::Restrict => "restrict",
        ReferentialAction::Cascade => "cascade",
        ReferentialAction::SetNull => "set null",
        ReferentialAction::SetDefault => "set default",
    }
}

/// One enum to declare: its Rust name, the SQL type name (none on MySQL, whose enums are
/// inline) and its values with their variant names.
struct EnumOut {
    ident: String,
    sql_name: String,
    values: Vec<(String, String)>,
}

struct Writer<'a> {
    schema: &'a Schema,
    dialect: Dialect,
    notes: Vec<String>,
    guesses: Vec<String>,
    crates: BTreeSet<&'static str>,
    /// Enum type name → its Rust declaration.
    enums: BTreeMap<String, EnumOut>,
    /// Table name → struct name, for the tables written.
    structs: BTreeMap<String, String>,
    /// Table name → (column name → field name).
    fields: BTreeMap<String, BTreeMap<String, String>>,
}

/// Writes the models for `schema` (read from a `dialect` database, with the `extras` it holds
/// beyond tables), with a header naming `origin`.
pub(crate) fn write(
    schema: &Schema,
    extras: &Extras,
    dialect: Dialect,
    origin: &str,
) -> Result<Pulled, String> {
    let mut schema = schema.clone();
    let mut writer_notes: Vec<String> = extras.objects.clone();
    let mut used_types: BTreeSet<String> = TAKEN_TYPES.iter().map(|s| (*s).to_owned()).collect();

    // MySQL keeps enums inline in the column type: each becomes an enum of its own.
    let mut inline_origin: BTreeMap<String, String> = BTreeMap::new();
    if dialect == Dialect::Mysql {
        for table in schema.tables.values_mut() {
            for column in &mut table.columns {
                if let ColumnType::Custom { sql } = &column.ty {
                    if let Some(values) = inline_enum(sql) {
                        let name = column_enum(
                            &mut schema.enums,
                            &mut inline_origin,
                            &table.name,
                            &column.name,
                            values,
                        );
                        column.ty = ColumnType::Enum { name };
                    }
                }
            }
        }
    }

    // SQLite keeps an enum as text with a CHECK `ck_<table>_<column>_enum` listing its values,
    // as migrate-gen writes it: such a column is an enum again (named as on MySQL).
    if dialect == Dialect::Sqlite {
        for table in schema.tables.values_mut() {
            let mut kept = Vec::new();
            for check in std::mem::take(&mut table.checks) {
                let found = table.columns.iter().position(|c| {
                    c.ty == ColumnType::Text
                        && naming::enum_check(&table.name, &c.name) == check.name
                });
                let values = found.and_then(|i| {
                    let column = &table.columns[i].name;
                    sqlite_enum_values(&check.expr).filter(|values| {
                        model_core::dialect::Sqlite
                            .enum_check_expr(column, values.iter().map(String::as_str))
                            .split_whitespace()
                            .eq(check.expr.split_whitespace())
                    })
                });
                let (Some(i), Some(values)) = (found, values) else {
                    kept.push(check);
                    continue;
                };
                let name = column_enum(
                    &mut schema.enums,
                    &mut inline_origin,
                    &table.name,
                    &table.columns[i].name,
                    values,
                );
                table.columns[i].ty = ColumnType::Enum { name };
            }
            table.checks = kept;
        }
    }

    let mut w = Writer {
        schema: &schema,
        dialect,
        notes: Vec::new(),
        guesses: Vec::new(),
        crates: BTreeSet::new(),
        enums: BTreeMap::new(),
        structs: BTreeMap::new(),
        fields: BTreeMap::new(),
    };
    for (name, definition) in &schema.enums {
        let ident = unique_name(identifier(name, true), &mut used_types);
        let mut variants = BTreeSet::new();
        let values = definition
            .values
            .iter()
            .map(|v| {
                let variant = identifier(&v.name, true);
                let variant = if NOT_RAW.contains(&variant.as_str()) {
                    format!("{variant}Value")
                } else {
                    variant
                };
                (v.name.clone(), unique_name(variant, &mut variants))
            })
            .collect();
        w.enums.insert(
            name.clone(),
            EnumOut {
                ident,
                sql_name: inline_origin.get(name).unwrap_or(name).clone(),
                values,
            },
        );
    }
    for (name, table) in &schema.tables {
        if table.primary_key.columns.is_empty() {
            writer_notes.push(format!(
                "table {name}: no primary key, not pulled (a model needs one; add a key to the table and pull again)"
            ));
            continue;
        }
        let ident = unique_name(identifier(&singular(name), true), &mut used_types);
        w.structs.insert(name.clone(), ident);
        let mut used = BTreeSet::new();
        let fields = table
            .columns
            .iter()
            .map(|c| {
                let field = identifier(&c.name, false);
                let field = if NOT_RAW.contains(&field.as_str()) {
                    format!("{field}_")
                } else {
                    field
                };
                (c.name.clone(), unique_name(field, &mut used))
            })
            .collect();
        w.fields.insert(name.clone(), fields);
    }

    let mut items: Vec<String> = Vec::new();
    let enum_names: Vec<String> = w.enums.keys().cloned().collect();
    for name in &enum_names {
        items.push(w.enum_item(name));
    }
    let table_names: Vec<String> = w.structs.keys().cloned().collect();
    for name in &table_names {
        let table = &schema.tables[name];
        items.push(w.struct_item(table, extras));
    }
    writer_notes.extend(std::mem::take(&mut w.notes));
    writer_notes.sort();
    writer_notes.dedup();

    let mut uses = vec!["model_core::Table"];
    if !w.enums.is_empty() {
        uses.insert(0, "model_core::DbEnum");
    }
    let body = format!(
        "use model_core::{{{}}};\n{}",
        uses.iter()
            .map(|u| u.trim_start_matches("model_core::"))
            .collect::<Vec<_>>()
            .join(", "),
        items.join("\n")
    );
    let file = syn::parse_file(&body).map_err(|err| {
        format!("the models written for this database do not parse as Rust ({err}); please report this with the schema")
    })?;
    // One blank line between items.
    let mut formatted = String::new();
    let mut previous = "";
    for line in prettyplease::unparse(&file).lines() {
        let item_start = line.starts_with("#[derive(") || line.starts_with("///");
        if item_start && (previous == "}" || previous.starts_with("use ")) {
            formatted.push('\n');
        }
        formatted.push_str(line);
        formatted.push('\n');
        previous = line;
    }

    let mut header = format!(
        "// Models for the tables of {origin}, written by `migrate-gen pull`.\n\
         // Check them, then `migrate-gen baseline` records the database as already migrated.\n"
    );
    if !w.guesses.is_empty() {
        header.push_str(
            "//\n// Written with `sql_type`, as no Rust type maps them; the field's type is a guess, and\n\
             // reading rows needs a type that sqlx decodes from the column's:\n",
        );
        for guess in &w.guesses {
            header.push_str(&format!("// - {guess}\n"));
        }
    }
    if writer_notes.is_empty() {
        header.push_str("//\n// Everything in the database is expressed below.\n");
    } else {
        header.push_str(
            "//\n// Not expressible as models, so not written below (left in the database as it is):\n",
        );
        for note in &writer_notes {
            header.push_str(&format!("// - {note}\n"));
        }
    }
    let mut crates = w.crates.clone();
    crates.insert("sqlx");
    Ok(Pulled {
        source: format!("{header}\n{formatted}"),
        notes: writer_notes,
        guesses: w.guesses.clone(),
        tables: w.structs.len(),
        enums: w.enums.len(),
        crates,
    })
}

/// Declares the enum of one column (MySQL's inline `ENUM`, SQLite's CHECK), named as its Rust
/// enum will be (`InvoiceState` for invoices.state, a number added on a clash), and returns
/// its name; `origin` remembers the column for the enum's doc comment.
fn column_enum(
    enums: &mut BTreeMap<String, Enum>,
    origin: &mut BTreeMap<String, String>,
    table: &str,
    column: &str,
    values: Vec<String>,
) -> String {
    let wanted = format!(
        "{}_{}",
        singular(table).to_snake_case(),
        column.to_snake_case()
    );
    let mut name = wanted.clone();
    let mut n = 2;
    while enums.contains_key(&name) {
        name = format!("{wanted}_{n}");
        n += 1;
    }
    origin.insert(name.clone(), format!("{table}.{column}"));
    enums.insert(
        name.clone(),
        Enum {
            name: name.clone(),
            values: values
                .into_iter()
                .map(|v| model_core::schema::EnumValue {
                    name: v,
                    renamed_from: None,
                })
                .collect(),
        },
    );
    name
}

/// The values of `column IN ('a', 'b')`, the CHECK that stands for an enum on SQLite.
fn sqlite_enum_values(expr: &str) -> Option<Vec<String>> {
    let start = expr.find(" IN (")? + " IN (".len();
    let inner = expr[start..].trim_end().strip_suffix(')')?;
    inline_enum(&format!("enum({inner})"))
}

/// The values of MySQL's `enum('a','b')`.
fn inline_enum(sql: &str) -> Option<Vec<String>> {
    let trimmed = sql.trim();
    if !trimmed.to_ascii_lowercase().starts_with("enum(") || !trimmed.ends_with(')') {
        return None;
    }
    let inner = &trimmed[5..trimmed.len() - 1];
    let mut values = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        match chars.next() {
            None => break,
            Some('\'') => {}
            Some(_) => return None,
        }
        let mut value = String::new();
        loop {
            match chars.next() {
                None => return None,
                Some('\'') if chars.peek() == Some(&'\'') => {
                    chars.next();
                    value.push('\'');
                }
                Some('\'') => break,
                Some('\\') => value.push(chars.next()?),
                Some(c) => value.push(c),
            }
        }
        values.push(value);
    }
    (!values.is_empty()).then_some(values)
}

impl Writer<'_> {
    fn enum_item(&mut self, name: &str) -> String {
        let out = &self.enums[name];
        let variants: Vec<&str> = out.values.iter().map(|(_, v)| v.as_str()).collect();
        // The rule that spells every value from its variant, if one does; else one rename each.
        let rule = [None]
            .into_iter()
            .chain(
                [
                    "lowercase",
                    "UPPERCASE",
                    "snake_case",
                    "SCREAMING_SNAKE_CASE",
                    "kebab-case",
                    "SCREAMING-KEBAB-CASE",
                    "camelCase",
                ]
                .into_iter()
                .map(Some),
            )
            .find(|rule| {
                out.values
                    .iter()
                    .all(|(value, variant)| renamed(variant, *rule) == *value)
            });
        let mut attrs = Vec::new();
        if self.dialect == Dialect::Postgres {
            attrs.push(format!("name = {}", lit(&out.sql_name)));
        }
        if let Some(Some(rule)) = rule {
            attrs.push(format!("rename_all = {}", lit(rule)));
        }
        let mut s = String::new();
        if self.dialect != Dialect::Postgres {
            s.push_str(&format!("/// The values of column {}.\n", out.sql_name));
        }
        s.push_str("#[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]\n");
        if !attrs.is_empty() {
            s.push_str(&format!("#[db_enum({})]\n", attrs.join(", ")));
        }
        s.push_str(&format!("pub enum {} {{\n", out.ident));
        for ((value, variant), _) in out.values.iter().zip(&variants) {
            if rule.is_none() && value != variant {
                s.push_str(&format!("#[db_enum(rename = {})]\n", lit(value)));
            }
            s.push_str(&format!("{variant},\n"));
        }
        s.push_str("}\n");
        s
    }

    fn struct_item(&mut self, table: &Table, extras: &Extras) -> String {
        let name = &table.name;
        let ident = self.structs[name].clone();
        let fields = self.fields[name].clone();
        let mut table_attrs = vec![format!("name = {}", lit(name))];
        if let Some(comment) = &table.comment {
            table_attrs.push(format!("comment = {}", lit(comment)));
        }
        let generated_pk = naming::primary_key(name);
        if self.dialect != Dialect::Mysql && table.primary_key.name != generated_pk {
            table_attrs.push(format!(
                "primary_key_name = {}",
                lit(&table.primary_key.name)
            ));
        }
        let extensions: Vec<String> = self.extensions_of(name, extras);
        if !extensions.is_empty() {
            table_attrs.push(format!(
                "extensions = [{}]",
                extensions
                    .iter()
                    .map(|e| lit(e))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let pk_in_field_order: Vec<&str> = table
            .columns
            .iter()
            .filter(|c| table.primary_key.columns.contains(&c.name))
            .map(|c| c.name.as_str())
            .collect();
        if pk_in_field_order
            != table
                .primary_key
                .columns
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
        {
            self.notes.push(format!(
                "primary key of {name}: ({}) is written in column order ({})",
                table.primary_key.columns.join(", "),
                pk_in_field_order.join(", ")
            ));
        }

        // Column-level attributes collected from constraints.
        let mut column_attrs: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut extra_table_attrs: Vec<String> = Vec::new();

        // Uniques: one column on the field, several on the table.
        let mut unique_on_column: BTreeSet<String> = BTreeSet::new();
        for unique in &table.uniques {
            let generated = naming::unique(name, &unique.columns);
            if let [only] = unique.columns.as_slice() {
                if unique_on_column.insert(only.clone()) {
                    let attr = if unique.name == generated {
                        "unique".to_owned()
                    } else {
                        format!("unique = {}", lit(&unique.name))
                    };
                    column_attrs.entry(only.clone()).or_default().push(attr);
                    continue;
                }
            }
            let columns: Vec<String> = unique.columns.iter().map(|c| lit(c)).collect();
            let mut parts = vec![format!("columns = [{}]", columns.join(", "))];
            if unique.name != generated {
                parts.push(format!("name = {}", lit(&unique.name)));
            }
            extra_table_attrs.push(format!("unique({})", parts.join(", ")));
        }

        // Indexes: a plain one-column index on the field, the others on the table; a name
        // is written unless the derive would generate the same one.
        let named = self.index_names_needed(table);
        let mut index_on_column: BTreeSet<String> = BTreeSet::new();
        for (index, needs_name) in table.indexes.iter().zip(named) {
            if let Some(column) = plain_single_column(index) {
                if index_on_column.insert(column.clone()) {
                    let attr = if needs_name {
                        format!("index = {}", lit(&index.name))
                    } else {
                        "index".to_owned()
                    };
                    column_attrs.entry(column).or_default().push(attr);
                    continue;
                }
            }
            extra_table_attrs.push(self.index_attr(index, needs_name));
        }

        for check in &table.checks {
            let mut parts = Vec::new();
            if check.name != naming::check(name, &check.expr) {
                parts.push(format!("name = {}", lit(&check.name)));
            }
            parts.push(format!("expr = {}", lit(&self.portable(&check.expr))));
            extra_table_attrs.push(format!("check({})", parts.join(", ")));
        }

        // Foreign keys: single-column ones on the field; the language has no other kind.
        let mut referenced: BTreeSet<String> = BTreeSet::new();
        for fk in &table.foreign_keys {
            match self.reference(table, fk) {
                Ok((column, attrs)) if !referenced.contains(&column) => {
                    referenced.insert(column.clone());
                    column_attrs.entry(column).or_default().extend(attrs);
                }
                Ok((column, _)) => self.notes.push(format!(
                    "foreign key {} on {name}: a second foreign key on column {column} (a field has one `references`)",
                    fk.name
                )),
                Err(why) => self.notes.push(format!("foreign key {} on {name}: {why}", fk.name)),
            }
        }

        let fk_columns: BTreeSet<&str> = table
            .foreign_keys
            .iter()
            .flat_map(|fk| fk.columns.iter().map(String::as_str))
            .collect();
        let mut body = String::new();
        for column in &table.columns {
            let field = &fields[&column.name];
            let mut attrs = Vec::new();
            let primary = table.primary_key.columns.contains(&column.name);
            if primary {
                attrs.push("primary_key".to_owned());
            }
            if *field != column.name {
                attrs.push(format!("name = {}", lit(&column.name)));
            }
            let serial = self.serial(table, column);
            let (rust, type_attrs, raw) = match serial {
                Some((pseudo, rust)) => (
                    rust.to_owned(),
                    vec![format!("sql_type = {}", lit(pseudo))],
                    true,
                ),
                None => self.rust_type(table, column),
            };
            attrs.extend(type_attrs);
            if serial.is_none() {
                if let Some(default) = self.default_attr(column) {
                    attrs.push(default);
                }
            }
            // The identity the derive would give, against the database's.
            let single_key = table.primary_key.columns.len() == 1 && primary;
            let integer = matches!(
                column.ty,
                ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
            );
            let automatic = (single_key
                && integer
                && !raw
                && column.default.is_none()
                && !fk_columns.contains(column.name.as_str()))
            .then_some(Identity::ByDefault);
            if column.identity != automatic {
                if single_key && integer && !raw {
                    attrs.push(
                        match column.identity {
                            None => "identity = false",
                            Some(Identity::ByDefault) => "identity = true",
                            Some(Identity::Always) => "identity = \"always\"",
                        }
                        .to_owned(),
                    );
                } else {
                    self.notes.push(format!(
                        "identity of column {name}.{}: only a single-column integer primary key can be an identity column; pulled without it",
                        column.name
                    ));
                }
            }
            attrs.extend(column_attrs.remove(&column.name).unwrap_or_default());
            if let Some(comment) = &column.comment {
                attrs.push(format!("comment = {}", lit(comment)));
            }
            if !attrs.is_empty() {
                body.push_str(&format!("#[column({})]\n", attrs.join(", ")));
            }
            if *field != column.name {
                body.push_str(&format!("#[sqlx(rename = {})]\n", lit(&column.name)));
            }
            let ty = if column.nullable {
                format!("Option<{rust}>")
            } else {
                rust
            };
            body.push_str(&format!("pub {}: {ty},\n", spelled(field)));
        }

        let mut s = String::from("#[derive(Table, sqlx::FromRow, Debug, Clone)]\n");
        s.push_str(&format!("#[table({})]\n", table_attrs.join(", ")));
        for attr in extra_table_attrs {
            s.push_str(&format!("#[table({attr})]\n"));
        }
        s.push_str(&format!("pub struct {ident} {{\n{body}}}\n"));
        s
    }

    /// A PostgreSQL `serial` column (an integer whose default is the next value of the
    /// sequence `<table>_<column>_seq`): its pseudo-type and Rust type. A default from another
    /// sequence is noted: a database built from the migrations would not have it.
    fn serial(&mut self, table: &Table, column: &Column) -> Option<(&'static str, &'static str)> {
        if self.dialect != Dialect::Postgres || column.identity.is_some() {
            return None;
        }
        let Some(ColumnDefault::Sql(default)) = &column.default else {
            return None;
        };
        let kind = match column.ty {
            ColumnType::Integer => ("serial", "i32"),
            ColumnType::BigInt => ("bigserial", "i64"),
            ColumnType::SmallInt => ("smallserial", "i16"),
            _ => None?,
        };
        if *default == model_core::dialect::serial_default(&table.name, &column.name)
            && !column.nullable
        {
            return Some(kind);
        }
        if default.starts_with("nextval(") {
            self.notes.push(format!(
                "sequence behind column {}.{} ({default}): the models keep the default but do not create the sequence; a database built from the migrations needs it created first (a hand-written migration)",
                table.name, column.name
            ));
        }
        None
    }

    /// The extensions to declare on `table`: those whose types or operator classes it uses,
    /// and, on the first table, those no table uses visibly (a default or a check may).
    fn extensions_of(&mut self, table: &str, extras: &Extras) -> Vec<String> {
        let first = self.structs.keys().next().map(String::as_str) == Some(table);
        extras
            .extensions
            .iter()
            .filter(|(extension, tables)| {
                let used = tables.iter().any(|t| self.structs.contains_key(t));
                if first && !used {
                    self.notes.push(format!(
                        "extension {extension}: no column or index uses it visibly; declared on table {table} so that it is created"
                    ));
                }
                tables.iter().any(|t| t == table) || (first && !used)
            })
            .map(|(extension, _)| extension.clone())
            .collect()
    }

    /// Which of the table's indexes need their name written: those whose name the derive,
    /// given the others as written, would not generate.
    fn index_names_needed(&self, table: &Table) -> Vec<bool> {
        let mut named: Vec<bool> = table
            .indexes
            .iter()
            .map(|index| {
                let keys: Vec<String> = index
                    .keys
                    .iter()
                    .map(model_core::__private::key_words)
                    .collect();
                index.name != naming::index(&table.name, &keys)
            })
            .collect();
        // The derive tells unnamed indexes apart when they would share a name; check what it
        // makes of this table, naming each index it would name differently, until it agrees.
        loop {
            let mut builder = model_core::__private::TableBuilder::new(&table.name);
            for (index, named) in table.indexes.iter().zip(&named) {
                builder.index(
                    named.then_some(index.name.as_str()),
                    index.keys.clone(),
                    index.unique,
                    index.method,
                    index.predicate.as_deref(),
                );
            }
            let finished = builder.finish();
            let mut changed = false;
            for (i, index) in table.indexes.iter().enumerate() {
                let same = finished
                    .indexes
                    .iter()
                    .any(|f| f.name == index.name && f.keys == index.keys);
                if !same && !named[i] {
                    named[i] = true;
                    changed = true;
                }
            }
            if !changed {
                return named;
            }
        }
    }

    fn index_attr(&self, index: &Index, named: bool) -> String {
        let keys: Vec<String> = index
            .keys
            .iter()
            .map(|key| {
                let mut k = match &key.target {
                    IndexTarget::Column(c) => key_column(c),
                    IndexTarget::Expression(e) => format!("({})", self.portable(e)),
                };
                if let Some(opclass) = &key.opclass {
                    k.push(' ');
                    k.push_str(opclass);
                }
                match key.order {
                    Some(SortOrder::Desc) => k.push_str(" DESC"),
                    Some(SortOrder::Asc) => k.push_str(" ASC"),
                    None => {}
                }
                match key.nulls {
                    Some(NullsOrder::First) => k.push_str(" NULLS FIRST"),
                    Some(NullsOrder::Last) => k.push_str(" NULLS LAST"),
                    None => {}
                }
                lit(&k)
            })
            .collect();
        let mut parts = vec![format!("columns = [{}]", keys.join(", "))];
        if named {
            parts.push(format!("name = {}", lit(&index.name)));
        }
        if index.unique {
            parts.push("unique".to_owned());
        }
        if let Some(method) = index.method {
            parts.push(format!("method = {}", lit(method.as_str())));
        }
        if let Some(predicate) = &index.predicate {
            parts.push(format!("where = {}", lit(&self.portable(predicate))));
        }
        format!("index({})", parts.join(", "))
    }

    /// The field attributes of a single-column foreign key, or why it cannot be written.
    fn reference(&self, table: &Table, fk: &ForeignKey) -> Result<(String, Vec<String>), String> {
        let [column] = fk.columns.as_slice() else {
            return Err(format!(
                "({}) → {} ({}): a foreign key of several columns cannot be declared on a model",
                fk.columns.join(", "),
                fk.ref_table,
                fk.ref_columns.join(", ")
            ));
        };
        let Some(target) = self.structs.get(&fk.ref_table) else {
            return Err(format!(
                "references table {}, which is not pulled",
                fk.ref_table
            ));
        };
        let ref_table = &self.schema.tables[&fk.ref_table];
        let path = if ref_table.primary_key.columns == fk.ref_columns {
            if fk.ref_table == table.name {
                "Self".to_owned()
            } else {
                target.clone()
            }
        } else {
            let field = &self.fields[&fk.ref_table][&fk.ref_columns[0]];
            let owner = if fk.ref_table == table.name {
                "Self"
            } else {
                target.as_str()
            };
            format!("{owner}::{}", spelled(field))
        };
        let mut attrs = vec![format!("references = {path}")];
        if fk.on_delete != ReferentialAction::NoAction {
            attrs.push(format!("on_delete = {}", lit(action(fk.on_delete))));
        }
        if fk.on_update != ReferentialAction::NoAction {
            attrs.push(format!("on_update = {}", lit(action(fk.on_update))));
        }
        match fk.deferrable {
            Deferrable::InitiallyDeferred => attrs.push("initially_deferred".to_owned()),
            Deferrable::InitiallyImmediate => attrs.push("deferrable".to_owned()),
            Deferrable::No => {}
        }
        let generated = naming::foreign_key(&table.name, &fk.columns, &fk.ref_table);
        if fk.name != generated {
            attrs.push(format!("fk_name = {}", lit(&fk.name)));
        }
        Ok((column.clone(), attrs))
    }

    /// The Rust type of a column (without `Option`), the attributes its SQL type needs, and
    /// whether it is written with `sql_type`.
    fn rust_type(&mut self, table: &Table, column: &Column) -> (String, Vec<String>, bool) {
        if let Some((rust, attrs)) = self.mapped(&column.ty) {
            return (rust, attrs, false);
        }
        let sql = self.sql_spelling(&column.ty);
        let rust = guess_rust_type(&sql);
        if let Some(krate) = rust.split("::").next().filter(|_| rust.contains("::")) {
            self.crate_of(krate);
        }
        if !decodes_as_string(&sql) {
            self.guesses
                .push(format!("{}.{}: {sql}, as {rust}", table.name, column.name));
        }
        (rust, vec![format!("sql_type = {}", lit(&sql))], true)
    }

    fn crate_of(&mut self, name: &str) {
        match name {
            "uuid" => self.crates.insert("uuid"),
            "chrono" => self.crates.insert("chrono"),
            "serde_json" => self.crates.insert("serde_json"),
            "rust_decimal" => self.crates.insert("rust_decimal"),
            _ => false,
        };
    }

    /// A type the derive maps by itself, with its attributes.
    fn mapped(&mut self, ty: &ColumnType) -> Option<(String, Vec<String>)> {
        let plain = |s: &str| Some((s.to_owned(), Vec::new()));
        let out = match ty {
            ColumnType::Boolean => plain("bool"),
            ColumnType::SmallInt => plain("i16"),
            ColumnType::Integer => plain("i32"),
            ColumnType::BigInt => plain("i64"),
            ColumnType::Real => plain("f32"),
            ColumnType::Double => plain("f64"),
            ColumnType::Text => plain("String"),
            ColumnType::Varchar { length } => {
                Some(("String".into(), vec![format!("max_length = {length}")]))
            }
            ColumnType::Bytes => plain("Vec<u8>"),
            ColumnType::Uuid => plain("uuid::Uuid"),
            ColumnType::Timestamp => plain("chrono::NaiveDateTime"),
            ColumnType::TimestampTz => plain("chrono::DateTime<chrono::Utc>"),
            ColumnType::Date => plain("chrono::NaiveDate"),
            ColumnType::Time => plain("chrono::NaiveTime"),
            ColumnType::Json => plain("serde_json::Value"),
            ColumnType::Decimal { precision, scale } => {
                let mut attrs = Vec::new();
                if let Some(p) = precision {
                    attrs.push(format!("precision = {p}"));
                }
                if let Some(s) = scale {
                    attrs.push(format!("scale = {s}"));
                }
                Some(("rust_decimal::Decimal".into(), attrs))
            }
            ColumnType::Array { element } => match self.mapped(element) {
                Some((rust, attrs))
                    if attrs.is_empty() && rust != "Vec<u8>" && !rust.starts_with("Vec<") =>
                {
                    Some((format!("Vec<{rust}>"), Vec::new()))
                }
                _ => None,
            },
            ColumnType::Enum { name } => self.enums.get(name).map(|e| (e.ident.clone(), vec![])),
            ColumnType::Custom { .. } => None,
        };
        if let Some((rust, _)) = &out {
            for part in rust.split(['<', '>']) {
                if let Some(krate) = part.split("::").next().filter(|_| part.contains("::")) {
                    self.crate_of(krate);
                }
            }
        }
        out
    }

    /// The SQL spelling of a type written with `sql_type`.
    fn sql_spelling(&self, ty: &ColumnType) -> String {
        match ty {
            ColumnType::Custom { sql } => sql.clone(),
            ColumnType::Array { element } => format!("{}[]", self.sql_spelling(element)),
            other => self
                .dialect
                .sql()
                .column_type(other, self.schema)
                .unwrap_or_else(|_| format!("{other:?}")),
        }
    }

    /// An SQL expression as the models write it: MySQL's `backquoted` identifiers become
    /// plain ones (or "double-quoted" ones where a plain one would not do), as everywhere else.
    fn portable(&self, sql: &str) -> String {
        if self.dialect != Dialect::Mysql {
            return sql.to_owned();
        }
        let mut out = String::with_capacity(sql.len());
        let mut chars = sql.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\'' => {
                    out.push(c);
                    // A string literal, copied as it is ('' and \' stay inside it).
                    while let Some(d) = chars.next() {
                        out.push(d);
                        if d == '\\' {
                            if let Some(e) = chars.next() {
                                out.push(e);
                            }
                        } else if d == '\'' {
                            if chars.peek() == Some(&'\'') {
                                out.push(chars.next().unwrap_or('\''));
                            } else {
                                break;
                            }
                        }
                    }
                }
                '`' => {
                    let mut name = String::new();
                    while let Some(d) = chars.next() {
                        if d == '`' {
                            if chars.peek() == Some(&'`') {
                                chars.next();
                                name.push('`');
                                continue;
                            }
                            break;
                        }
                        name.push(d);
                    }
                    if model_core::dialect::is_plain_identifier(&name)
                        && !model_core::dialect::is_reserved(&name)
                    {
                        out.push_str(&name);
                    } else {
                        out.push_str(&format!("\"{}\"", name.replace('"', "\"\"")));
                    }
                }
                _ => out.push(c),
            }
        }
        out
    }

    /// `default = <Rust literal>` where one says it, else `default_sql = "..."`.
    fn default_attr(&self, column: &Column) -> Option<String> {
        let default = column.default.as_ref()?;
        let sql = match default {
            ColumnDefault::Value(Value::Bool(b)) => return Some(format!("default = {b}")),
            ColumnDefault::Value(value) => self.dialect.sql().literal(value),
            ColumnDefault::Sql(sql) => sql.clone(),
        };
        let trimmed = sql.trim();
        let text = string_literal(trimmed);
        let rust = match (&column.ty, text) {
            (ColumnType::Boolean, _) if trimmed.eq_ignore_ascii_case("true") => {
                Some("true".to_owned())
            }
            (ColumnType::Boolean, _) if trimmed.eq_ignore_ascii_case("false") => {
                Some("false".to_owned())
            }
            (ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt, None) => trimmed
                .parse::<i64>()
                .ok()
                .filter(|n| n.to_string() == trimmed)
                .map(|n| match column.ty {
                    // An unsuffixed literal is an i32, which does not convert into an i16.
                    ColumnType::SmallInt => format!("{n}i16"),
                    ColumnType::BigInt if i32::try_from(n).is_err() => format!("{n}i64"),
                    _ => n.to_string(),
                }),
            // Only a literal the derive spells back the same way (`1.5`, not `1` or `1e3`).
            (ColumnType::Real | ColumnType::Double, None) => trimmed
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite() && format!("{f:?}") == trimmed)
                .map(|_| trimmed.to_owned()),
            (ColumnType::Text | ColumnType::Varchar { .. }, Some(text)) => Some(lit(&text)),
            (ColumnType::Enum { name }, Some(text)) => self.enums.get(name).and_then(|e| {
                e.values
                    .iter()
                    .find(|(value, _)| *value == text)
                    .map(|(_, variant)| format!("{}::{variant}", e.ident))
            }),
            _ => None,
        };
        Some(match rust {
            Some(rust) => format!("default = {rust}"),
            None => format!("default_sql = {}", lit(&self.portable(trimmed))),
        })
    }
}

/// The text of `'...'` when the whole expression is one string literal.
fn string_literal(sql: &str) -> Option<String> {
    let inner = sql.strip_prefix('\'')?.strip_suffix('\'')?;
    if inner.replace("''", "").contains('\'') {
        return None;
    }
    Some(inner.replace("''", "'"))
}

/// A plain ascending one-column b-tree index, which a field's `index` declares.
fn plain_single_column(index: &Index) -> Option<String> {
    let [key] = index.keys.as_slice() else {
        return None;
    };
    match &key.target {
        IndexTarget::Column(c)
            if !index.unique
                && index.method.is_none()
                && index.predicate.is_none()
                && key.opclass.is_none()
                && key.order.is_none()
                && key.nulls.is_none() =>
        {
            Some(c.clone())
        }
        _ => None,
    }
}

/// A Rust type for an SQL type without a mapping, from its spelling.
fn guess_rust_type(sql: &str) -> String {
    let lower = sql.to_ascii_lowercase();
    if lower.ends_with("[]") {
        return "Vec<String>".into();
    }
    let starts = |p: &[&str]| p.iter().any(|p| lower.starts_with(p));
    if starts(&["timestamp"]) && lower.contains("with time zone") {
        "chrono::DateTime<chrono::Utc>"
    } else if starts(&["timestamp", "datetime"]) {
        "chrono::NaiveDateTime"
    } else if starts(&["time"]) {
        "chrono::NaiveTime"
    } else if starts(&["json"]) {
        "serde_json::Value"
    } else if starts(&["bool", "tinyint(1)"]) {
        "bool"
    } else if starts(&["bigint", "int8", "bigserial", "serial8"]) {
        "i64"
    } else if starts(&["smallint", "int2", "tinyint", "smallserial", "serial2"]) {
        "i16"
    } else if starts(&["int", "mediumint", "serial"]) {
        "i32"
    } else if starts(&["double", "float", "real"]) {
        "f64"
    } else if starts(&["numeric", "decimal"]) {
        "rust_decimal::Decimal"
    } else if starts(&[
        "bytea",
        "blob",
        "binary",
        "varbinary",
        "tinyblob",
        "mediumblob",
    ]) {
        "Vec<u8>"
    } else {
        "String"
    }
    .to_owned()
}

/// Whether sqlx reads a column of this SQL type into a `String` (the text types that have no
/// mapping of their own).
fn decodes_as_string(sql: &str) -> bool {
    let lower = sql.to_ascii_lowercase();
    [
        "character",
        "char",
        "bpchar",
        "citext",
        "name",
        "text",
        "tinytext",
        "mediumtext",
        "nchar",
        "nvarchar",
        "varchar",
        "clob",
    ]
    .iter()
    .any(|t| {
        lower == *t || lower.starts_with(&format!("{t}(")) || lower.starts_with(&format!("{t} "))
    })
}

/// How a variant is spelled under a `rename_all` rule (sqlx's rules); `None`: as written.
fn renamed(variant: &str, rule: Option<&str>) -> String {
    use heck::{ToKebabCase, ToLowerCamelCase, ToShoutyKebabCase, ToShoutySnakeCase};
    match rule {
        None => variant.to_owned(),
        Some("lowercase") => variant.to_lowercase(),
        Some("UPPERCASE") => variant.to_uppercase(),
        Some("snake_case") => variant.to_snake_case(),
        Some("SCREAMING_SNAKE_CASE") => variant.to_shouty_snake_case(),
        Some("kebab-case") => variant.to_kebab_case(),
        Some("SCREAMING-KEBAB-CASE") => variant.to_shouty_kebab_case(),
        Some("camelCase") => variant.to_lower_camel_case(),
        Some(_) => variant.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert_eq!(identifier("Display Name", false), "display_name");
        assert_eq!(identifier("createdAt", false), "created_at");
        assert_eq!(identifier("123abc", false), "_123abc");
        assert_eq!(spelled(&identifier("type", false)), "r#type");
        assert_eq!(spelled("self"), "self_");
        assert_eq!(identifier("user settings", true), "UserSettings");
        assert_eq!(identifier("in progress", true), "InProgress");
        assert_eq!(identifier("on-hold", true), "OnHold");
        assert_eq!(identifier("1st", true), "T1st");
        assert_eq!(identifier("", false), "unnamed");
    }

    #[test]
    fn singulars() {
        for (plural, one) in [
            ("tasks", "tasks"[..4].to_owned()),
            ("categories", "category".into()),
            ("addresses", "address".into()),
            ("boxes", "box".into()),
            ("status", "status".into()),
            ("audit_log", "audit_log".into()),
            ("LegacyOrders", "LegacyOrder".into()),
        ] {
            assert_eq!(singular(plural), one, "{plural}");
        }
    }

    #[test]
    fn inline_enums() {
        assert_eq!(
            inline_enum("enum('a','it''s','b c')"),
            Some(vec!["a".into(), "it's".into(), "b c".into()])
        );
        assert_eq!(inline_enum("varchar(3)"), None);
    }
}
