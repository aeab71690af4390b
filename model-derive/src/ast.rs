//! The typed model of a derive input: a table (struct) or an enum, with its attributes parsed.

use heck::ToSnakeCase;
use syn::spanned::Spanned as _;

use crate::attr::{ColumnAttrs, EnumAttrs, Spanned, TableAttrs, VariantAttrs};
use crate::ctxt::Ctxt;

/// A `#[derive(Table)]` struct.
pub struct Model<'a> {
    pub ident: &'a syn::Ident,
    pub table_name: Spanned<String>,
    pub attrs: TableAttrs,
    pub fields: Vec<Field<'a>>,
}

/// One field of a model.
pub struct Field<'a> {
    pub ident: &'a syn::Ident,
    pub ty: &'a syn::Type,
    /// The column name: `#[column(name)]`, or the field name without `r#`.
    pub column: Spanned<String>,
    pub attrs: ColumnAttrs,
}

impl Field<'_> {
    /// Whether the field's type is spelled `Option<...>` (used only where the type system cannot
    /// decide: `sql_type` columns, whose Rust type has no `SqlType`).
    pub fn is_option_syntax(&self) -> bool {
        let syn::Type::Path(path) = self.ty else {
            return false;
        };
        let Some(last) = path.path.segments.last() else {
            return false;
        };
        let prefix_ok = path.path.segments.len() == 1
            || path
                .path
                .segments
                .iter()
                .take(path.path.segments.len() - 1)
                .map(|s| s.ident.to_string())
                .collect::<Vec<_>>()
                .join("::")
                .ends_with("option");
        prefix_ok
            && last.ident == "Option"
            && matches!(last.arguments, syn::PathArguments::AngleBracketed(_))
    }
}

impl<'a> Model<'a> {
    pub fn from_ast(cx: &Ctxt, input: &'a syn::DeriveInput) -> Option<Model<'a>> {
        let fields = match &input.data {
            syn::Data::Struct(syn::DataStruct {
                fields: syn::Fields::Named(named),
                ..
            }) => &named.named,
            syn::Data::Struct(_) => {
                cx.error_spanned_by(
                    &input.ident,
                    "`#[derive(Table)]` needs a struct with named fields, one per column",
                );
                return None;
            }
            syn::Data::Enum(_) => {
                cx.error_spanned_by(
                    &input.ident,
                    "`#[derive(Table)]` applies to structs; use `#[derive(DbEnum)]` for enums",
                );
                return None;
            }
            syn::Data::Union(_) => {
                cx.error_spanned_by(
                    &input.ident,
                    "`#[derive(Table)]` applies to structs with named fields, one per column, not to unions",
                );
                return None;
            }
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                "`#[derive(Table)]` does not support generic structs: a table has one fixed set of columns",
            );
            return None;
        }
        let attrs = TableAttrs::parse(cx, &input.attrs);
        let table_name = attrs.name.clone().unwrap_or_else(|| Spanned {
            value: input.ident.to_string().to_snake_case(),
            span: input.ident.span(),
        });
        let fields = fields
            .iter()
            .map(|field| {
                let ident = field.ident.as_ref().expect("named fields have names");
                let attrs = ColumnAttrs::parse(cx, &field.attrs);
                let column = attrs.name.clone().unwrap_or_else(|| Spanned {
                    value: ident.to_string().trim_start_matches("r#").to_owned(),
                    span: ident.span(),
                });
                Field {
                    ident,
                    ty: &field.ty,
                    column,
                    attrs,
                }
            })
            .collect();
        Some(Model {
            ident: &input.ident,
            table_name,
            attrs,
            fields,
        })
    }

    pub fn primary_key(&self) -> Vec<&Field<'a>> {
        self.fields
            .iter()
            .filter(|f| f.attrs.primary_key.is_some())
            .collect()
    }

    /// The field whose column is `name` (compared case-insensitively when `exact` is false,
    /// the way unquoted SQL identifiers are).
    pub fn field_for_column(&self, name: &str, exact: bool) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| {
            if exact {
                f.column.value == name
            } else {
                f.column.value.eq_ignore_ascii_case(name)
            }
        })
    }
}

/// A `#[derive(DbEnum)]` enum.
pub struct DbEnumModel<'a> {
    pub ident: &'a syn::Ident,
    pub type_name: Spanned<String>,
    pub variants: Vec<Variant<'a>>,
}

/// One value of an enum.
pub struct Variant<'a> {
    pub ident: &'a syn::Ident,
    /// The database spelling.
    pub value: Spanned<String>,
    pub renamed_from: Option<Spanned<String>>,
}

/// sqlx's `rename_all` conventions.
pub const RENAME_ALL: &[&str] = &[
    "lowercase",
    "UPPERCASE",
    "snake_case",
    "SCREAMING_SNAKE_CASE",
    "kebab-case",
    "SCREAMING-KEBAB-CASE",
    "camelCase",
    "PascalCase",
];

fn rename(name: &str, rule: &str) -> String {
    use heck::{
        ToKebabCase, ToLowerCamelCase, ToShoutyKebabCase, ToShoutySnakeCase, ToUpperCamelCase,
    };
    match rule {
        "lowercase" => name.to_lowercase(),
        "UPPERCASE" => name.to_uppercase(),
        "snake_case" => name.to_snake_case(),
        "SCREAMING_SNAKE_CASE" => name.to_shouty_snake_case(),
        "kebab-case" => name.to_kebab_case(),
        "SCREAMING-KEBAB-CASE" => name.to_shouty_kebab_case(),
        "camelCase" => name.to_lower_camel_case(),
        "PascalCase" => name.to_upper_camel_case(),
        _ => name.to_owned(),
    }
}

impl<'a> DbEnumModel<'a> {
    pub fn from_ast(cx: &Ctxt, input: &'a syn::DeriveInput) -> Option<DbEnumModel<'a>> {
        let data = match &input.data {
            syn::Data::Enum(data) => data,
            syn::Data::Struct(_) => {
                cx.error_spanned_by(
                    &input.ident,
                    "`#[derive(DbEnum)]` applies to fieldless enums; use `#[derive(Table)]` for structs",
                );
                return None;
            }
            syn::Data::Union(_) => {
                cx.error_spanned_by(
                    &input.ident,
                    "`#[derive(DbEnum)]` applies to fieldless enums, not to unions",
                );
                return None;
            }
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                "`#[derive(DbEnum)]` does not support generic enums",
            );
            return None;
        }
        let attrs = EnumAttrs::parse(cx, &input.attrs);
        let rule = attrs.rename_all.as_ref().and_then(|r| {
            if RENAME_ALL.contains(&r.value.as_str()) {
                Some(r.value.clone())
            } else {
                cx.syn_error(syn::Error::new(
                    r.span,
                    format!(
                        "unknown `rename_all` rule `{}`, expected one of {}",
                        r.value,
                        RENAME_ALL
                            .iter()
                            .map(|r| format!("`{r}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
                None
            }
        });
        if data.variants.is_empty() {
            cx.error_spanned_by(
                &input.ident,
                "`#[derive(DbEnum)]` needs at least one variant: a database enum cannot be empty",
            );
        }
        let mut variants = Vec::new();
        for variant in &data.variants {
            if !matches!(variant.fields, syn::Fields::Unit) {
                cx.error_spanned_by(
                    &variant.fields,
                    format!(
                        "`#[derive(DbEnum)]` applies to fieldless enums, but variant `{}` carries data; store the data in columns of a table instead",
                        variant.ident
                    ),
                );
                continue;
            }
            if let Some((_, discriminant)) = &variant.discriminant {
                cx.error_spanned_by(
                    discriminant,
                    "`#[derive(DbEnum)]` stores values by name; remove the discriminant (use `#[db_enum(rename = \"...\")]` to choose the database spelling)",
                );
            }
            let vattrs = VariantAttrs::parse(cx, &variant.attrs);
            let value = vattrs.rename.clone().unwrap_or_else(|| Spanned {
                value: match &rule {
                    Some(rule) => rename(&variant.ident.to_string(), rule),
                    None => variant.ident.to_string(),
                },
                span: variant.ident.span(),
            });
            variants.push(Variant {
                ident: &variant.ident,
                value,
                renamed_from: vattrs.renamed_from,
            });
        }
        let type_name = attrs.name.unwrap_or_else(|| Spanned {
            value: input.ident.to_string().to_snake_case(),
            span: input.ident.span(),
        });
        let _ = input.span();
        Some(DbEnumModel {
            ident: &input.ident,
            type_name,
            variants,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::rename;

    #[test]
    fn rename_rules_follow_sqlx() {
        assert_eq!(rename("InProgress", "SCREAMING_SNAKE_CASE"), "IN_PROGRESS");
        assert_eq!(rename("InProgress", "snake_case"), "in_progress");
        assert_eq!(rename("InProgress", "lowercase"), "inprogress");
        assert_eq!(rename("InProgress", "kebab-case"), "in-progress");
        assert_eq!(rename("InProgress", "camelCase"), "inProgress");
    }
}
