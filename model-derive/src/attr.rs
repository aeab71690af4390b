//! Parses `#[table(...)]`, `#[column(...)]` and `#[db_enum(...)]` into typed values.
//!
//! Parsing only reads: each key may appear once, unknown keys are reported with the list of
//! known ones, and values are checked for their shape. Rules that involve several attributes
//! (a primary key exists, indexes name real columns, ...) live in `check`.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;
use syn::{bracketed, Expr, Lit, LitBool, LitInt, LitStr, Token};

use crate::ctxt::Ctxt;
use crate::symbol::{self, Symbol};

/// A value that may be set once; a second setting is an error.
pub struct Attr<'c, T> {
    cx: &'c Ctxt,
    context: &'static str,
    name: Symbol,
    tokens: TokenStream,
    value: Option<T>,
}

impl<'c, T> Attr<'c, T> {
    pub fn none(cx: &'c Ctxt, context: &'static str, name: Symbol) -> Self {
        Attr {
            cx,
            context,
            name,
            tokens: TokenStream::new(),
            value: None,
        }
    }

    /// Sets the value; false (after reporting) when it was already set.
    pub fn set<A: ToTokens>(&mut self, obj: A, value: T) -> bool {
        let tokens = obj.into_token_stream();
        if self.value.is_some() {
            self.cx.error_spanned_by(
                tokens,
                format!(
                    "duplicate {} attribute `{}`; remove one of them",
                    self.context, self.name
                ),
            );
            false
        } else {
            self.tokens = tokens;
            self.value = Some(value);
            true
        }
    }

    pub fn get(self) -> Option<T> {
        self.value
    }
}

/// A string value with its span.
#[derive(Clone)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl Spanned<String> {
    fn from_lit(lit: &LitStr) -> Self {
        Self {
            value: lit.value(),
            span: lit.span(),
        }
    }
}

fn unknown(meta: &ParseNestedMeta, context: &str, known: &[Symbol]) -> syn::Error {
    let key = meta
        .path
        .get_ident()
        .map(|i| i.to_string())
        .unwrap_or_else(|| meta.path.to_token_stream().to_string());
    meta.error(format!(
        "unknown {context} attribute `{key}`, expected one of {}",
        symbol::list(known)
    ))
}

fn string(meta: &ParseNestedMeta) -> syn::Result<Spanned<String>> {
    let lit: LitStr = meta.value()?.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            format!("expected a string literal: `{} = \"...\"`", path_name(meta)),
        )
    })?;
    Ok(Spanned::from_lit(&lit))
}

fn path_name(meta: &ParseNestedMeta) -> String {
    meta.path.to_token_stream().to_string()
}

fn strings(meta: &ParseNestedMeta) -> syn::Result<Vec<Spanned<String>>> {
    let input = meta.value()?;
    if !input.peek(syn::token::Bracket) {
        let example = match input.fork().parse::<LitStr>() {
            Ok(lit) => format!("{:?}", lit.value()),
            Err(_) => "\"...\"".to_owned(),
        };
        return Err(input.error(format!(
            "expected a list of strings in brackets: `{} = [{example}]`",
            path_name(meta)
        )));
    }
    let content;
    bracketed!(content in input);
    let lits = content.parse_terminated(<LitStr as syn::parse::Parse>::parse, Token![,])?;
    Ok(lits.iter().map(Spanned::from_lit).collect())
}

fn integer(meta: &ParseNestedMeta) -> syn::Result<(LitInt, u32)> {
    let lit: LitInt = meta.value()?.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            format!("expected a whole number: `{} = 10`", path_name(meta)),
        )
    })?;
    let value = lit.base10_parse::<u32>()?;
    Ok((lit, value))
}

/// The error for `index` / `unique` / `check` at table level without a parenthesized list.
fn expect_list(meta: &ParseNestedMeta, example: &str) -> syn::Result<()> {
    if meta.input.peek(syn::token::Paren) {
        Ok(())
    } else {
        Err(meta.error(format!(
            "`{}` takes a list of settings: `{example}`",
            path_name(meta)
        )))
    }
}

/// Rejects `key = value` and `key(...)` for a bare flag.
fn flag(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!(
            "`{}` is a flag and takes no value",
            path_name(meta)
        )));
    }
    Ok(())
}

/// `#[table(index(...))]` before checking.
pub struct IndexAttr {
    pub span: Span,
    pub name: Option<Spanned<String>>,
    pub columns: Option<Vec<Spanned<String>>>,
    pub expr: Option<Spanned<String>>,
    pub unique: bool,
    pub predicate: Option<Spanned<String>>,
    pub method: Option<Spanned<String>>,
}

/// `#[table(unique(...))]`
pub struct UniqueAttr {
    pub span: Span,
    pub name: Option<Spanned<String>>,
    pub columns: Vec<Spanned<String>>,
}

/// `#[table(check(...))]`
pub struct CheckAttr {
    pub name: Option<Spanned<String>>,
    pub expr: Spanned<String>,
}

/// Everything `#[table(...)]` attributes say.
#[derive(Default)]
pub struct TableAttrs {
    pub name: Option<Spanned<String>>,
    pub renamed_from: Option<Spanned<String>>,
    pub comment: Option<Spanned<String>>,
    pub primary_key_name: Option<Spanned<String>>,
    pub extensions: Vec<Spanned<String>>,
    pub indexes: Vec<IndexAttr>,
    pub uniques: Vec<UniqueAttr>,
    pub checks: Vec<CheckAttr>,
    /// Every explicit index, constraint and primary key name, in source order, with what it
    /// names (for the duplicate-name check): `"index"`, `"unique constraint"`, ...
    pub names: Vec<(&'static str, Spanned<String>)>,
}

impl TableAttrs {
    pub fn parse(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        let mut name = Attr::none(cx, "table", symbol::NAME);
        let mut renamed_from = Attr::none(cx, "table", symbol::RENAMED_FROM);
        let mut comment = Attr::none(cx, "table", symbol::COMMENT);
        let mut pk_name = Attr::none(cx, "table", symbol::PRIMARY_KEY_NAME);
        let mut extensions = Attr::none(cx, "table", symbol::EXTENSIONS);
        let mut out = TableAttrs::default();
        for attr in attrs {
            if attr.path() != symbol::TABLE {
                continue;
            }
            if let syn::Meta::Path(_) = attr.meta {
                cx.error_spanned_by(attr, "expected `#[table(...)]` with attributes inside");
                continue;
            }
            let result = attr.parse_nested_meta(|meta| {
                if meta.path == symbol::NAME {
                    name.set(&meta.path, string(&meta)?);
                } else if meta.path == symbol::RENAMED_FROM {
                    renamed_from.set(&meta.path, string(&meta)?);
                } else if meta.path == symbol::COMMENT {
                    comment.set(&meta.path, string(&meta)?);
                } else if meta.path == symbol::PRIMARY_KEY_NAME {
                    let value = string(&meta)?;
                    if pk_name.set(&meta.path, value.clone()) {
                        out.names.push(("primary key", value));
                    }
                } else if meta.path == symbol::EXTENSIONS {
                    extensions.set(&meta.path, strings(&meta)?);
                } else if meta.path == symbol::INDEX {
                    expect_list(&meta, "index(columns = [\"...\"])")?;
                    let index = parse_index(cx, &meta)?;
                    if let Some(name) = &index.name {
                        out.names.push(("index", name.clone()));
                    }
                    out.indexes.push(index);
                } else if meta.path == symbol::UNIQUE {
                    expect_list(&meta, "unique(columns = [\"...\"])")?;
                    let unique = parse_unique(cx, &meta)?;
                    if let Some(name) = &unique.name {
                        out.names.push(("unique constraint", name.clone()));
                    }
                    out.uniques.push(unique);
                } else if meta.path == symbol::CHECK {
                    expect_list(&meta, "check(expr = \"...\")")?;
                    let check = parse_check(cx, &meta)?;
                    if let Some(name) = &check.name {
                        out.names.push(("check constraint", name.clone()));
                    }
                    out.checks.push(check);
                } else {
                    return Err(unknown(&meta, "table", symbol::TABLE_KEYS));
                }
                Ok(())
            });
            if let Err(err) = result {
                cx.syn_error(err);
            }
        }
        out.name = name.get();
        out.renamed_from = renamed_from.get();
        out.comment = comment.get();
        out.primary_key_name = pk_name.get();
        out.extensions = extensions.get().unwrap_or_default();
        out
    }
}

fn parse_index(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<IndexAttr> {
    let span = meta.path.span();
    let mut name = Attr::none(cx, "index", symbol::NAME);
    let mut columns = Attr::none(cx, "index", symbol::COLUMNS);
    let mut expr = Attr::none(cx, "index", symbol::EXPR);
    let mut unique = Attr::none(cx, "index", symbol::UNIQUE);
    let mut predicate = Attr::none(cx, "index", symbol::WHERE);
    let mut method = Attr::none(cx, "index", symbol::METHOD);
    meta.parse_nested_meta(|inner| {
        if inner.path == symbol::NAME {
            name.set(&inner.path, string(&inner)?);
        } else if inner.path == symbol::COLUMNS {
            columns.set(&inner.path, strings(&inner)?);
        } else if inner.path == symbol::EXPR {
            expr.set(&inner.path, string(&inner)?);
        } else if inner.path == symbol::UNIQUE {
            flag(&inner)?;
            unique.set(&inner.path, ());
        } else if inner.path == symbol::WHERE {
            predicate.set(&inner.path, string(&inner)?);
        } else if inner.path == symbol::METHOD {
            method.set(&inner.path, string(&inner)?);
        } else {
            return Err(unknown(&inner, "index", symbol::INDEX_KEYS));
        }
        Ok(())
    })?;
    Ok(IndexAttr {
        span,
        name: name.get(),
        columns: columns.get(),
        expr: expr.get(),
        unique: unique.get().is_some(),
        predicate: predicate.get(),
        method: method.get(),
    })
}

fn parse_unique(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<UniqueAttr> {
    let span = meta.path.span();
    let mut name = Attr::none(cx, "unique", symbol::NAME);
    let mut columns = Attr::none(cx, "unique", symbol::COLUMNS);
    meta.parse_nested_meta(|inner| {
        if inner.path == symbol::NAME {
            name.set(&inner.path, string(&inner)?);
        } else if inner.path == symbol::COLUMNS {
            columns.set(&inner.path, strings(&inner)?);
        } else {
            return Err(unknown(&inner, "unique", symbol::UNIQUE_KEYS));
        }
        Ok(())
    })?;
    let Some(columns) = columns.get() else {
        return Err(syn::Error::new(
            span,
            "`unique(...)` needs `columns = [\"...\"]`",
        ));
    };
    Ok(UniqueAttr {
        span,
        name: name.get(),
        columns,
    })
}

fn parse_check(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<CheckAttr> {
    let span = meta.path.span();
    let mut name = Attr::none(cx, "check", symbol::NAME);
    let mut expr = Attr::none(cx, "check", symbol::EXPR);
    meta.parse_nested_meta(|inner| {
        if inner.path == symbol::NAME {
            name.set(&inner.path, string(&inner)?);
        } else if inner.path == symbol::EXPR {
            expr.set(&inner.path, string(&inner)?);
        } else {
            return Err(unknown(&inner, "check", symbol::CHECK_KEYS));
        }
        Ok(())
    })?;
    let Some(expr) = expr.get() else {
        return Err(syn::Error::new(
            span,
            "`check(...)` needs `expr = \"<SQL boolean expression>\"`",
        ));
    };
    Ok(CheckAttr {
        name: name.get(),
        expr,
    })
}

/// `identity = ...`
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum IdentityAttr {
    Off,
    ByDefault,
    Always,
}

/// `unique` / `index` on a field: a flag, or a name.
pub struct FieldObject {
    pub name: Option<Spanned<String>>,
}

/// Everything `#[column(...)]` attributes on one field say.
#[derive(Default)]
pub struct ColumnAttrs {
    pub primary_key: Option<Span>,
    pub name: Option<Spanned<String>>,
    pub renamed_from: Option<Spanned<String>>,
    pub sql_type: Option<Spanned<String>>,
    pub max_length: Option<(LitInt, u32)>,
    pub precision: Option<(LitInt, u32)>,
    pub scale: Option<(LitInt, u32)>,
    pub default: Option<Expr>,
    pub default_sql: Option<Spanned<String>>,
    pub backfill_sql: Option<Spanned<String>>,
    pub unique: Option<FieldObject>,
    pub index: Option<FieldObject>,
    pub references: Option<syn::Path>,
    pub on_delete: Option<Spanned<String>>,
    pub on_update: Option<Spanned<String>>,
    pub deferrable: Option<Span>,
    pub initially_deferred: Option<Span>,
    pub fk_name: Option<Spanned<String>>,
    pub identity: Option<(Span, IdentityAttr)>,
    pub comment: Option<Spanned<String>>,
    /// Whether some `#[column(...)]` attribute failed to parse: what it said is unknown, so
    /// rules about the absence of a key (a primary key, `references`) must not be checked.
    pub parse_failed: bool,
    /// Explicit index and constraint names (`index = "..."`, `unique = "..."`, `fk_name`), in
    /// source order, with what they name.
    pub names: Vec<(&'static str, Spanned<String>)>,
}

fn field_object(meta: &ParseNestedMeta, example: &str) -> syn::Result<FieldObject> {
    let key = path_name(meta);
    if meta.input.peek(Token![=]) {
        let name = meta.value()?.parse::<LitStr>().map_err(|e| {
            syn::Error::new(
                e.span(),
                format!("expected a string literal: `{key}` or `{key} = \"{example}\"`"),
            )
        })?;
        Ok(FieldObject {
            name: Some(Spanned::from_lit(&name)),
        })
    } else if meta.input.peek(syn::token::Paren) {
        Err(meta.error(format!(
            "on a field, use `{key}` or `{key} = \"{example}\"`; for more settings use `#[table({key}(columns = [...], ...))]` on the struct"
        )))
    } else {
        Ok(FieldObject { name: None })
    }
}

fn identity(meta: &ParseNestedMeta) -> syn::Result<(Span, IdentityAttr)> {
    let lit: Lit = meta.value()?.parse()?;
    let choice = match &lit {
        Lit::Bool(LitBool { value: false, .. }) => Some(IdentityAttr::Off),
        Lit::Bool(LitBool { value: true, .. }) => Some(IdentityAttr::ByDefault),
        Lit::Str(s) if s.value() == "always" => Some(IdentityAttr::Always),
        Lit::Str(s) if s.value() == "by default" => Some(IdentityAttr::ByDefault),
        _ => None,
    };
    match choice {
        Some(c) => Ok((lit.span(), c)),
        None => Err(syn::Error::new(
            lit.span(),
            "expected `identity = false`, `identity = true`, `identity = \"by default\"` or `identity = \"always\"`",
        )),
    }
}

impl ColumnAttrs {
    pub fn parse(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        const CX: &str = "column";
        let mut primary_key = Attr::none(cx, CX, symbol::PRIMARY_KEY);
        let mut name = Attr::none(cx, CX, symbol::NAME);
        let mut renamed_from = Attr::none(cx, CX, symbol::RENAMED_FROM);
        let mut sql_type = Attr::none(cx, CX, symbol::SQL_TYPE);
        let mut max_length = Attr::none(cx, CX, symbol::MAX_LENGTH);
        let mut precision = Attr::none(cx, CX, symbol::PRECISION);
        let mut scale = Attr::none(cx, CX, symbol::SCALE);
        let mut default = Attr::none(cx, CX, symbol::DEFAULT);
        let mut default_sql = Attr::none(cx, CX, symbol::DEFAULT_SQL);
        let mut backfill_sql = Attr::none(cx, CX, symbol::BACKFILL_SQL);
        let mut unique = Attr::none(cx, CX, symbol::UNIQUE);
        let mut index = Attr::none(cx, CX, symbol::INDEX);
        let mut references = Attr::none(cx, CX, symbol::REFERENCES);
        let mut on_delete = Attr::none(cx, CX, symbol::ON_DELETE);
        let mut on_update = Attr::none(cx, CX, symbol::ON_UPDATE);
        let mut deferrable = Attr::none(cx, CX, symbol::DEFERRABLE);
        let mut initially_deferred = Attr::none(cx, CX, symbol::INITIALLY_DEFERRED);
        let mut fk_name = Attr::none(cx, CX, symbol::FK_NAME);
        let mut identity_attr = Attr::none(cx, CX, symbol::IDENTITY);
        let mut comment = Attr::none(cx, CX, symbol::COMMENT);
        let mut parse_failed = false;
        let mut names = Vec::new();
        for attr in attrs {
            if attr.path() != symbol::COLUMN {
                continue;
            }
            if let syn::Meta::Path(_) = attr.meta {
                cx.error_spanned_by(attr, "expected `#[column(...)]` with attributes inside");
                parse_failed = true;
                continue;
            }
            let result = attr.parse_nested_meta(|meta| {
                let p = &meta.path;
                if *p == symbol::PRIMARY_KEY {
                    flag(&meta)?;
                    primary_key.set(p, p.span());
                } else if *p == symbol::NAME {
                    name.set(p, string(&meta)?);
                } else if *p == symbol::RENAMED_FROM {
                    renamed_from.set(p, string(&meta)?);
                } else if *p == symbol::SQL_TYPE {
                    sql_type.set(p, string(&meta)?);
                } else if *p == symbol::MAX_LENGTH {
                    max_length.set(p, integer(&meta)?);
                } else if *p == symbol::PRECISION {
                    precision.set(p, integer(&meta)?);
                } else if *p == symbol::SCALE {
                    scale.set(p, integer(&meta)?);
                } else if *p == symbol::DEFAULT {
                    let expr: Expr = meta.value()?.parse()?;
                    default.set(p, expr);
                } else if *p == symbol::DEFAULT_SQL {
                    default_sql.set(p, string(&meta)?);
                } else if *p == symbol::BACKFILL_SQL {
                    backfill_sql.set(p, string(&meta)?);
                } else if *p == symbol::UNIQUE {
                    let object = field_object(&meta, "uq_name")?;
                    let name = object.name.clone();
                    if unique.set(p, object) {
                        names.extend(name.map(|n| ("unique constraint", n)));
                    }
                } else if *p == symbol::INDEX {
                    let object = field_object(&meta, "ix_name")?;
                    let name = object.name.clone();
                    if index.set(p, object) {
                        names.extend(name.map(|n| ("index", n)));
                    }
                } else if *p == symbol::REFERENCES {
                    let path: syn::Path = meta.value()?.parse().map_err(|e| {
                        syn::Error::new(
                            e.span(),
                            "expected a model path: `references = User` or `references = User::email`",
                        )
                    })?;
                    references.set(p, path);
                } else if *p == symbol::ON_DELETE {
                    on_delete.set(p, string(&meta)?);
                } else if *p == symbol::ON_UPDATE {
                    on_update.set(p, string(&meta)?);
                } else if *p == symbol::DEFERRABLE {
                    flag(&meta)?;
                    deferrable.set(p, p.span());
                } else if *p == symbol::INITIALLY_DEFERRED {
                    flag(&meta)?;
                    initially_deferred.set(p, p.span());
                } else if *p == symbol::FK_NAME {
                    let name = string(&meta)?;
                    if fk_name.set(p, name.clone()) {
                        names.push(("foreign key", name));
                    }
                } else if *p == symbol::IDENTITY {
                    identity_attr.set(p, identity(&meta)?);
                } else if *p == symbol::COMMENT {
                    comment.set(p, string(&meta)?);
                } else {
                    return Err(unknown(&meta, "column", symbol::COLUMN_KEYS));
                }
                Ok(())
            });
            if let Err(err) = result {
                cx.syn_error(err);
                parse_failed = true;
            }
        }
        ColumnAttrs {
            primary_key: primary_key.get(),
            name: name.get(),
            renamed_from: renamed_from.get(),
            sql_type: sql_type.get(),
            max_length: max_length.get(),
            precision: precision.get(),
            scale: scale.get(),
            default: default.get(),
            default_sql: default_sql.get(),
            backfill_sql: backfill_sql.get(),
            unique: unique.get(),
            index: index.get(),
            references: references.get(),
            on_delete: on_delete.get(),
            on_update: on_update.get(),
            deferrable: deferrable.get(),
            initially_deferred: initially_deferred.get(),
            fk_name: fk_name.get(),
            identity: identity_attr.get(),
            comment: comment.get(),
            parse_failed,
            names,
        }
    }
}

/// `#[db_enum(...)]` on the enum.
#[derive(Default)]
pub struct EnumAttrs {
    pub name: Option<Spanned<String>>,
    pub rename_all: Option<Spanned<String>>,
}

impl EnumAttrs {
    pub fn parse(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        let mut name = Attr::none(cx, "db_enum", symbol::NAME);
        let mut rename_all = Attr::none(cx, "db_enum", symbol::RENAME_ALL);
        for attr in attrs.iter().filter(|a| a.path() == symbol::DB_ENUM) {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path == symbol::NAME {
                    name.set(&meta.path, string(&meta)?);
                } else if meta.path == symbol::RENAME_ALL {
                    rename_all.set(&meta.path, string(&meta)?);
                } else {
                    return Err(unknown(&meta, "db_enum", symbol::ENUM_KEYS));
                }
                Ok(())
            });
            if let Err(err) = result {
                cx.syn_error(err);
            }
        }
        EnumAttrs {
            name: name.get(),
            rename_all: rename_all.get(),
        }
    }
}

/// `#[db_enum(...)]` on a variant.
#[derive(Default)]
pub struct VariantAttrs {
    pub rename: Option<Spanned<String>>,
    pub renamed_from: Option<Spanned<String>>,
}

impl VariantAttrs {
    pub fn parse(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        let mut rename = Attr::none(cx, "db_enum variant", symbol::RENAME);
        let mut renamed_from = Attr::none(cx, "db_enum variant", symbol::RENAMED_FROM);
        for attr in attrs.iter().filter(|a| a.path() == symbol::DB_ENUM) {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path == symbol::RENAME {
                    rename.set(&meta.path, string(&meta)?);
                } else if meta.path == symbol::RENAMED_FROM {
                    renamed_from.set(&meta.path, string(&meta)?);
                } else {
                    return Err(unknown(&meta, "db_enum variant", symbol::VARIANT_KEYS));
                }
                Ok(())
            });
            if let Err(err) = result {
                cx.syn_error(err);
            }
        }
        VariantAttrs {
            rename: rename.get(),
            renamed_from: renamed_from.get(),
        }
    }
}
