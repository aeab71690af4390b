//! Rules that span several attributes, checked before any code is generated. Each failure is
//! a spanned error in the context; checking goes on so that one build reports every mistake.
//!
//! [`check_model`] is the entry point: it lists the rules of a table in the order their errors
//! are reported. Each rule is a small function named for what it checks; the ones that also
//! lower part of the model for codegen (indexes, uniques, checks, foreign keys) return it.
//!
//! Type-level rules (a field type has a mapping, `references` names a table with a matching
//! column type, `set null` needs an `Option`, `max_length` needs a string, `default` has the
//! field's type) are left to the compiler: codegen emits trait-bound checks whose messages are
//! set with `#[diagnostic::on_unimplemented]` in `model_core::__private`.

use proc_macro2::Span;

use crate::ast::{DbEnumModel, Field, Model};
use crate::attr::{IdentityAttr, IndexAttr, Spanned};
use crate::ctxt::Ctxt;
use crate::sql::{self, KeyTarget};

/// PostgreSQL's identifier limit in bytes (MySQL's is 64 characters).
pub const MAX_IDENTIFIER_LEN: usize = 63;

/// An index, with its keys parsed.
pub struct IndexDef {
    pub name: Option<String>,
    pub keys: Vec<sql::ParsedIndexKey>,
    pub unique: bool,
    pub method: Option<&'static str>,
    pub predicate: Option<String>,
}

/// A unique constraint.
pub struct UniqueDef {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

/// A check constraint.
pub struct CheckDef {
    pub name: Option<String>,
    pub expr: String,
}

/// The foreign key of one field.
pub struct ForeignKeyDef {
    pub field: usize,
    /// The referenced model.
    pub model: syn::Path,
    /// The referenced field, or the primary key when absent.
    pub column: Option<syn::Ident>,
    pub on_delete: &'static str,
    pub on_update: &'static str,
    pub deferrable: &'static str,
    pub name: Option<String>,
    /// `"set null"` in `on_delete` or `on_update`: the attribute's name and the value's span,
    /// for the nullability check.
    pub set_null: Option<(&'static str, Span)>,
}

/// Everything codegen needs beyond the model itself.
pub struct Checked {
    pub indexes: Vec<IndexDef>,
    pub uniques: Vec<UniqueDef>,
    pub checks: Vec<CheckDef>,
    pub foreign_keys: Vec<ForeignKeyDef>,
}

const ACTIONS: &[(&str, &str)] = &[
    ("cascade", "Cascade"),
    ("set null", "SetNull"),
    ("set default", "SetDefault"),
    ("restrict", "Restrict"),
    ("no action", "NoAction"),
];

const METHODS: &[&str] = &["btree", "hash", "gin", "gist", "brin"];

/// How an expression is named in errors: in "... names `x`, which is not a column", and in
/// "... does not parse".
const CHECK: (&str, &str) = ("check", "check expression");
const INDEX_EXPRESSION: (&str, &str) = ("index expression", "index expression");
const INDEX_WHERE: (&str, &str) = ("index `where`", "index `where` predicate");

fn identifier(cx: &Ctxt, what: &str, name: &Spanned<String>) {
    if name.value.is_empty() {
        cx.syn_error(syn::Error::new(
            name.span,
            format!("{what} cannot be empty"),
        ));
    } else if name.value.len() > MAX_IDENTIFIER_LEN {
        cx.syn_error(syn::Error::new(
            name.span,
            format!(
                "{what} `{}` is {} bytes long, over the {MAX_IDENTIFIER_LEN}-byte limit of PostgreSQL identifiers (MySQL allows 64); choose a shorter name",
                name.value,
                name.value.len()
            ),
        ));
    }
}

fn column_list(model: &Model) -> String {
    model
        .fields
        .iter()
        .map(|f| format!("`{}`", f.column.value))
        .collect::<Vec<_>>()
        .join(", ")
}

fn unknown_column(cx: &Ctxt, model: &Model, span: Span, what: &str, name: &str) {
    if model.fields.iter().any(|f| f.attrs.parse_failed) {
        // A `name = ...` that failed to parse may be the column this refers to.
        return;
    }
    cx.syn_error(syn::Error::new(
        span,
        format!(
            "{what} names `{name}`, which is not a column of `{}`; the columns are {}",
            model.table_name.value,
            column_list(model)
        ),
    ));
}

/// Checks that an SQL expression parses (`parsed_as` names it in the error) and that every
/// column it mentions exists.
fn expression(
    cx: &Ctxt,
    model: &Model,
    span: Span,
    (what, parsed_as): (&str, &str),
    sql_text: &str,
) {
    match sql::column_mentions(sql_text) {
        Ok(found) => {
            for mention in found {
                if model
                    .field_for_column(&mention.name, mention.quoted)
                    .is_none()
                {
                    unknown_column(cx, model, span, what, &mention.name);
                }
            }
        }
        Err(err) => cx.syn_error(syn::Error::new(
            span,
            format!("{parsed_as} does not parse: {err}"),
        )),
    }
}

/// The entry point: every rule of a table, in the order their errors are reported, each
/// collecting its errors in `cx`; the rules that also lower a part of the model (indexes,
/// uniques, checks, foreign keys) return it for codegen.
pub fn check_model(cx: &Ctxt, model: &Model) -> Checked {
    table_identifiers(cx, model);
    let key_len = primary_key_exists(cx, model);
    columns(cx, model, key_len);
    let mut indexes = table_indexes(cx, model);
    let mut uniques = table_uniques(cx, model);
    let checks = checks(cx, model);
    field_indexes_and_uniques(cx, model, &mut indexes, &mut uniques);
    duplicate_names(cx, model);
    let foreign_keys = model
        .fields
        .iter()
        .enumerate()
        .filter_map(|(i, field)| foreign_key(cx, model, i, field))
        .collect();
    Checked {
        indexes,
        uniques,
        checks,
        foreign_keys,
    }
}

/// The table's own names (its name, `renamed_from`, `primary_key_name`, extensions) are valid
/// identifiers.
fn table_identifiers(cx: &Ctxt, model: &Model) {
    identifier(cx, "table name", &model.table_name);
    for (what, value) in [
        ("`renamed_from`", &model.attrs.renamed_from),
        ("`primary_key_name`", &model.attrs.primary_key_name),
    ] {
        if let Some(v) = value {
            identifier(cx, what, v);
        }
    }
    for ext in &model.attrs.extensions {
        identifier(cx, "extension name", ext);
    }
}

/// A table has a primary key; returns how many columns it has.
fn primary_key_exists(cx: &Ctxt, model: &Model) -> usize {
    let primary_key = model.primary_key();
    // A `#[column(...)]` that failed to parse may hold the `primary_key` (`primary_key = true`):
    // its error says what to fix, and "no primary key" would be noise.
    if primary_key.is_empty() && !model.fields.iter().any(|f| f.attrs.parse_failed) {
        cx.error_spanned_by(
            model.ident,
            format!(
                "table `{}` has no primary key; mark a field `#[column(primary_key)]` (several fields make a composite key)",
                model.table_name.value
            ),
        );
    }
    primary_key.len()
}

/// Each column name is a valid identifier used by one field only, and each field's own rules
/// hold.
fn columns(cx: &Ctxt, model: &Model, key_len: usize) {
    for (i, field) in model.fields.iter().enumerate() {
        identifier(cx, "column name", &field.column);
        // A failed `name = ...` leaves the field's name as the column name: no clash to report.
        let earlier = model.fields[..i].iter().find(|f| {
            f.column.value == field.column.value
                && !f.attrs.parse_failed
                && !field.attrs.parse_failed
        });
        if let Some(earlier) = earlier {
            cx.syn_error(syn::Error::new(
                field.column.span,
                format!(
                    "fields `{}` and `{}` both map to column `{}`; give one of them `#[column(name = \"...\")]`",
                    earlier.ident, field.ident, field.column.value
                ),
            ));
        }
        check_field(cx, field, key_len);
    }
}

/// `#[table(index(...))]`: columns or an expression (not both), known columns, expressions
/// that parse, a known method; lowered to [`IndexDef`]s.
fn table_indexes(cx: &Ctxt, model: &Model) -> Vec<IndexDef> {
    let mut indexes = Vec::new();
    for index in &model.attrs.indexes {
        if let Some(name) = &index.name {
            identifier(cx, "index name", name);
        }
        let Some(keys) = index_keys(cx, model, index) else {
            continue;
        };
        let method = index_method(cx, index);
        if let Some(predicate) = &index.predicate {
            expression(cx, model, predicate.span, INDEX_WHERE, &predicate.value);
        }
        indexes.push(IndexDef {
            name: index.name.as_ref().map(|n| n.value.clone()),
            keys,
            unique: index.unique,
            method,
            predicate: index.predicate.as_ref().map(|p| p.value.clone()),
        });
    }
    indexes
}

/// The keys of a `#[table(index(...))]`: `columns` or `expr` (not both), known columns,
/// expressions that parse. `None` when the index has neither or both.
fn index_keys(cx: &Ctxt, model: &Model, index: &IndexAttr) -> Option<Vec<sql::ParsedIndexKey>> {
    let keys = match (&index.columns, &index.expr) {
        (Some(_), Some(expr)) => {
            cx.syn_error(syn::Error::new(
                expr.span,
                "an index takes `columns = [...]` or `expr = \"...\"`, not both; put the expression in `columns` as \"(expr)\"",
            ));
            return None;
        }
        (None, None) => {
            cx.syn_error(syn::Error::new(
                index.span,
                "an index needs `columns = [\"...\"]` or `expr = \"...\"`",
            ));
            return None;
        }
        (None, Some(expr)) => {
            expression(cx, model, expr.span, INDEX_EXPRESSION, &expr.value);
            vec![sql::ParsedIndexKey {
                target: KeyTarget::Expression(expr.value.trim().to_owned()),
                opclass: None,
                desc: None,
                nulls_first: None,
            }]
        }
        (Some(columns), None) => {
            if columns.is_empty() {
                cx.syn_error(syn::Error::new(
                    index.span,
                    "an index needs at least one column",
                ));
            }
            columns
                .iter()
                .filter_map(|entry| match sql::parse_index_key(&entry.value) {
                    Ok(key) => {
                        match &key.target {
                            KeyTarget::Column(c) => {
                                if model.field_for_column(c, true).is_none() {
                                    unknown_column(cx, model, entry.span, "index", c);
                                }
                            }
                            KeyTarget::Expression(e) => {
                                expression(cx, model, entry.span, INDEX_EXPRESSION, e)
                            }
                        }
                        Some(key)
                    }
                    Err(err) => {
                        cx.syn_error(syn::Error::new(
                            entry.span,
                            format!("invalid index key `{}`: {err}", entry.value),
                        ));
                        None
                    }
                })
                .collect()
        }
    };
    Some(keys)
}

/// The access method of an index, which must be one the databases know.
fn index_method(cx: &Ctxt, index: &IndexAttr) -> Option<&'static str> {
    index.method.as_ref().and_then(|m| {
        let found = METHODS
            .iter()
            .find(|known| known.eq_ignore_ascii_case(&m.value))
            .copied();
        if found.is_none() {
            cx.syn_error(syn::Error::new(
                m.span,
                format!(
                    "unknown index method `{}`, expected one of {}",
                    m.value,
                    METHODS
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        found
    })
}

/// `#[table(unique(...))]`: at least one column, all known; lowered to [`UniqueDef`]s.
fn table_uniques(cx: &Ctxt, model: &Model) -> Vec<UniqueDef> {
    let mut uniques = Vec::new();
    for unique in &model.attrs.uniques {
        if let Some(name) = &unique.name {
            identifier(cx, "unique constraint name", name);
        }
        if unique.columns.is_empty() {
            cx.syn_error(syn::Error::new(
                unique.span,
                "a unique constraint needs at least one column",
            ));
        }
        for column in &unique.columns {
            if model.field_for_column(&column.value, true).is_none() {
                unknown_column(cx, model, column.span, "unique constraint", &column.value);
            }
        }
        uniques.push(UniqueDef {
            name: unique.name.as_ref().map(|n| n.value.clone()),
            columns: unique.columns.iter().map(|c| c.value.clone()).collect(),
        });
    }
    uniques
}

/// `#[table(check(...))]`: a non-empty expression that parses and names known columns;
/// lowered to [`CheckDef`]s.
fn checks(cx: &Ctxt, model: &Model) -> Vec<CheckDef> {
    let mut checks = Vec::new();
    for check in &model.attrs.checks {
        if let Some(name) = &check.name {
            identifier(cx, "check constraint name", name);
        }
        if check.expr.value.trim().is_empty() {
            cx.syn_error(syn::Error::new(
                check.expr.span,
                "a check needs an SQL boolean expression",
            ));
        } else {
            expression(cx, model, check.expr.span, CHECK, &check.expr.value);
        }
        checks.push(CheckDef {
            name: check.name.as_ref().map(|n| n.value.clone()),
            expr: check.expr.value.clone(),
        });
    }

    checks
}

/// `#[column(index)]` and `#[column(unique)]`: valid names; lowered after the table's own.
fn field_indexes_and_uniques(
    cx: &Ctxt,
    model: &Model,
    indexes: &mut Vec<IndexDef>,
    uniques: &mut Vec<UniqueDef>,
) {
    for field in &model.fields {
        if let Some(index) = &field.attrs.index {
            if let Some(name) = &index.name {
                identifier(cx, "index name", name);
            }
            indexes.push(IndexDef {
                name: index.name.as_ref().map(|n| n.value.clone()),
                keys: vec![sql::ParsedIndexKey {
                    target: KeyTarget::Column(field.column.value.clone()),
                    opclass: None,
                    desc: None,
                    nulls_first: None,
                }],
                unique: false,
                method: None,
                predicate: None,
            });
        }
        if let Some(unique) = &field.attrs.unique {
            if let Some(name) = &unique.name {
                identifier(cx, "unique constraint name", name);
            }
            uniques.push(UniqueDef {
                name: unique.name.as_ref().map(|n| n.value.clone()),
                columns: vec![field.column.value.clone()],
            });
        }
    }
}

/// Two explicit names of indexes, constraints or the primary key that are equal: PostgreSQL keeps
/// index and constraint names in one namespace, so the second one could never be created.
fn duplicate_names(cx: &Ctxt, model: &Model) {
    let names = model
        .attrs
        .names
        .iter()
        .chain(model.fields.iter().flat_map(|f| f.attrs.names.iter()));
    let mut seen: Vec<&(&str, Spanned<String>)> = Vec::new();
    for entry in names {
        let (what, name) = entry;
        if let Some((earlier, _)) = seen.iter().find(|(_, n)| n.value == name.value) {
            let article = match *earlier {
                "primary key" => "the",
                "index" => "an",
                _ => "a",
            };
            cx.syn_error(syn::Error::new(
                name.span,
                format!(
                    "duplicate name `{}`: {article} {earlier} of table `{}` already has it; choose another name for this {what} (the indexes and constraints of a table need distinct names)",
                    name.value, model.table_name.value
                ),
            ));
        } else {
            seen.push(entry);
        }
    }
}

/// The rules of one field, in the order their errors are reported.
fn check_field(cx: &Ctxt, field: &Field, key_len: usize) {
    let a = &field.attrs;
    if let Some(old) = &a.renamed_from {
        identifier(cx, "`renamed_from`", old);
    }
    field_defaults(cx, field);
    field_type(cx, field);
    foreign_key_attributes(cx, field);
    field_identity(cx, field, key_len);
}

/// `default` or `default_sql` (not both); `default_sql` and `backfill_sql` are not empty, and
/// `default_sql` parses.
fn field_defaults(cx: &Ctxt, field: &Field) {
    let a = &field.attrs;
    if let (Some(_), Some(sql)) = (&a.default, &a.default_sql) {
        cx.syn_error(syn::Error::new(
            sql.span,
            "a column takes `default` or `default_sql`, not both; remove one of them",
        ));
    }
    if let Some(sql) = &a.default_sql {
        if sql.value.trim().is_empty() {
            cx.syn_error(syn::Error::new(sql.span, "`default_sql` cannot be empty"));
        } else if let Err(err) = sql::check_expression(&sql.value) {
            cx.syn_error(syn::Error::new(
                sql.span,
                format!("`default_sql` does not parse: {err}"),
            ));
        }
    }
    if let Some(sql) = &a.backfill_sql {
        if sql.value.trim().is_empty() {
            cx.syn_error(syn::Error::new(sql.span, "`backfill_sql` cannot be empty"));
        }
    }
}

/// `sql_type` is not empty and stands alone; `max_length`, `precision` and `scale` have
/// sensible values.
fn field_type(cx: &Ctxt, field: &Field) {
    let a = &field.attrs;
    if let Some(ty) = &a.sql_type {
        if ty.value.trim().is_empty() {
            cx.syn_error(syn::Error::new(ty.span, "`sql_type` cannot be empty"));
        }
        for (key, lit) in [
            ("max_length", &a.max_length),
            ("precision", &a.precision),
            ("scale", &a.scale),
        ] {
            if let Some((lit, _)) = lit {
                cx.error_spanned_by(
                    lit,
                    format!("`{key}` does not combine with `sql_type`; write the full type in `sql_type` (e.g. \"varchar(20)\")"),
                );
            }
        }
    }
    if let Some((lit, 0)) = &a.max_length {
        cx.error_spanned_by(lit, "`max_length` must be at least 1");
    }
    match (&a.precision, &a.scale) {
        (Some((_, 0)), _) => {
            let (lit, _) = a.precision.as_ref().expect("matched");
            cx.error_spanned_by(lit, "`precision` must be at least 1");
        }
        (Some((_, p)), Some((lit, s))) if s > p => {
            cx.error_spanned_by(
                lit,
                format!("`scale` ({s}) cannot exceed `precision` ({p})"),
            );
        }
        (None, Some((lit, _))) => {
            cx.error_spanned_by(lit, "`scale` needs `precision` too");
        }
        _ => {}
    }
}

/// Foreign-key options need `references`; an explicit foreign key name is an identifier.
fn foreign_key_attributes(cx: &Ctxt, field: &Field) {
    let a = &field.attrs;
    // A failed `#[column(...)]` may hold the `references` this rule looks for.
    if a.references.is_none() && !a.parse_failed {
        for (key, span) in [
            ("on_delete", a.on_delete.as_ref().map(|s| s.span)),
            ("on_update", a.on_update.as_ref().map(|s| s.span)),
            ("fk_name", a.fk_name.as_ref().map(|s| s.span)),
            ("deferrable", a.deferrable),
            ("initially_deferred", a.initially_deferred),
        ] {
            if let Some(span) = span {
                cx.syn_error(syn::Error::new(
                    span,
                    format!(
                        "`{key}` applies to a foreign key; add `references = Model` to this field"
                    ),
                ));
            }
        }
    }
    if let Some(fk_name) = &a.fk_name {
        identifier(cx, "foreign key name", fk_name);
    }
}

/// `identity` sits on a single-column integer primary key.
fn field_identity(cx: &Ctxt, field: &Field, key_len: usize) {
    let a = &field.attrs;
    // A failed `#[column(...)]` may hold the `primary_key` this rule looks for.
    let complete = !a.parse_failed;
    if let Some((span, choice)) = a.identity {
        if a.primary_key.is_none() {
            if complete {
                cx.syn_error(syn::Error::new(
                    span,
                    "`identity` applies to the primary key; mark this field `primary_key` or remove `identity`",
                ));
            }
        } else if key_len > 1 && choice != IdentityAttr::Off {
            cx.syn_error(syn::Error::new(
                span,
                "`identity` applies to a single-column primary key, not to a composite one",
            ));
        } else if a.sql_type.is_some() && choice != IdentityAttr::Off {
            cx.syn_error(syn::Error::new(
                span,
                "`identity` needs an integer field type, not `sql_type`",
            ));
        }
    }
}

fn action(cx: &Ctxt, value: &Option<Spanned<String>>) -> &'static str {
    let Some(value) = value else {
        return "NoAction";
    };
    let norm = value.value.split_whitespace().collect::<Vec<_>>().join(" ");
    match ACTIONS
        .iter()
        .find(|(spelling, _)| spelling.eq_ignore_ascii_case(&norm))
    {
        Some((_, variant)) => variant,
        None => {
            cx.syn_error(syn::Error::new(
                value.span,
                format!(
                    "unknown referential action `{}`, expected one of {}",
                    value.value,
                    ACTIONS
                        .iter()
                        .map(|(s, _)| format!("`\"{s}\"`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            "NoAction"
        }
    }
}

fn foreign_key(cx: &Ctxt, model: &Model, index: usize, field: &Field) -> Option<ForeignKeyDef> {
    let a = &field.attrs;
    let mut path = a.references.clone()?;
    // `references = Self` / `Self::field`: generated code lives outside the struct's impl, where
    // `Self` means nothing, so name the struct (at the span of `Self`, for errors).
    if let Some(first) = path.segments.first_mut() {
        if first.ident == "Self" && path.leading_colon.is_none() {
            first.ident = syn::Ident::new(&model.ident.to_string(), first.ident.span());
        }
    }
    let path = &path;
    let on_delete = action(cx, &a.on_delete);
    let on_update = action(cx, &a.on_update);
    // `User::email` names a field; `User`, `crate::models::User` name a model. Fields are
    // snake_case and types are CamelCase, so the last segment's first letter decides.
    let last = path.segments.last()?;
    let names_field = path.segments.len() > 1
        && last
            .ident
            .to_string()
            .trim_start_matches("r#")
            .starts_with(|c: char| c.is_lowercase() || c == '_');
    let (model, column) = if names_field {
        let mut model = path.clone();
        let pair = model.segments.pop().expect("len > 1");
        // Drop the trailing `::` left by `pop`.
        model.segments.pop_punct();
        (model, Some(pair.into_value().ident))
    } else {
        (path.clone(), None)
    };
    let deferrable = if a.initially_deferred.is_some() {
        "InitiallyDeferred"
    } else if a.deferrable.is_some() {
        "InitiallyImmediate"
    } else {
        "No"
    };
    let set_null = a
        .on_delete
        .as_ref()
        .filter(|_| on_delete == "SetNull")
        .map(|s| ("on_delete", s.span))
        .or_else(|| {
            a.on_update
                .as_ref()
                .filter(|_| on_update == "SetNull")
                .map(|s| ("on_update", s.span))
        });
    Some(ForeignKeyDef {
        field: index,
        model,
        column,
        on_delete,
        on_update,
        deferrable,
        name: a.fk_name.as_ref().map(|n| n.value.clone()),
        set_null,
    })
}

pub fn check_enum(cx: &Ctxt, model: &DbEnumModel) {
    identifier(cx, "enum type name", &model.type_name);
    for (i, variant) in model.variants.iter().enumerate() {
        if variant.value.value.is_empty() {
            cx.syn_error(syn::Error::new(
                variant.value.span,
                "an enum value cannot be empty",
            ));
        }
        if variant.value.value.len() > MAX_IDENTIFIER_LEN {
            cx.syn_error(syn::Error::new(
                variant.value.span,
                format!(
                    "enum value `{}` is {} bytes long, over PostgreSQL's {MAX_IDENTIFIER_LEN}-byte limit for enum labels; use `#[db_enum(rename = \"...\")]`",
                    variant.value.value,
                    variant.value.value.len()
                ),
            ));
        }
        if let Some(earlier) = model.variants[..i]
            .iter()
            .find(|v| v.value.value == variant.value.value)
        {
            cx.syn_error(syn::Error::new(
                variant.value.span,
                format!(
                    "variants `{}` and `{}` both map to the database value `{}`; give one of them `#[db_enum(rename = \"...\")]`",
                    earlier.ident, variant.ident, variant.value.value
                ),
            ));
        }
    }
}
