//! Code generation for `#[derive(Table)]`.

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned as _;

use crate::ast::Model;
use crate::attr::IdentityAttr;
use crate::check::{self, Checked};
use crate::ctxt::Ctxt;
use crate::sql::KeyTarget;

pub fn expand(input: &syn::DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let model = Model::from_ast(&cx, input);
    let checked = model.as_ref().map(|m| {
        let checked = check::check_model(&cx, m);
        for field in &m.fields {
            if field.attrs.primary_key.is_some() && field.is_option_syntax() {
                cx.error_spanned_by(
                    field.ty,
                    "a primary key column cannot be NULL; remove `Option` or `primary_key`",
                );
            }
        }
        checked
    });
    if let Err(err) = cx.check() {
        let mut out = err.to_compile_error();
        out.extend(stub(input));
        return out;
    }
    generate(
        &model.expect("no errors means a model"),
        &checked.expect("no errors means checks ran"),
    )
}

/// After an error: an impl that keeps the rest of the user's code from failing too. It has the
/// struct's typed column handles, so `references = Model::field` to it still resolves, and a
/// `CompositeKey` primary key without columns, which every `references = Model` accepts.
fn stub(input: &syn::DeriveInput) -> TokenStream {
    if !input.generics.params.is_empty() || !matches!(input.data, syn::Data::Struct(_)) {
        return TokenStream::new();
    }
    let ident = &input.ident;
    let p = quote!(::model_core::__private);
    let columns_struct = format_ident!("{}Columns", ident);
    let named: Vec<&syn::Field> = match &input.data {
        syn::Data::Struct(syn::DataStruct {
            fields: syn::Fields::Named(named),
            ..
        }) => named.named.iter().collect(),
        _ => Vec::new(),
    };
    let column_fields = named.iter().map(|f| {
        let (fi, ty) = (&f.ident, &f.ty);
        quote!(pub #fi: #p::ColumnRef<#ty>)
    });
    let column_values = named.iter().map(|f| {
        let fi = &f.ident;
        quote!(#fi: #p::ColumnRef::new(""))
    });
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, non_snake_case, non_camel_case_types, unused_qualifications, clippy::all)]
        const _: () = {
            #[allow(private_interfaces, missing_docs)]
            pub struct #columns_struct {
                #(#column_fields,)*
            }

            // Keeps "`Table` is implemented for ..." lists out of the error for a
            // `references` target that is not a table.
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            #[allow(private_interfaces)]
            impl #p::Table for #ident {
                const NAME: &'static str = "";
                const PRIMARY_KEY: &'static [&'static str] = &[];
                type PrimaryKey = #p::CompositeKey;
                type Columns = #columns_struct;
                const COLUMNS: #columns_struct = #columns_struct {
                    #(#column_values,)*
                };
                fn table_def() -> #p::schema::Table {
                    #p::core::unimplemented!()
                }
            }
        };
    }
}

/// `tokens`, reported at `span`'s location (name resolution is unchanged): makes a type-level
/// error about the field type point at the attribute that asked for the check.
fn located_at(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|tt| match tt {
            TokenTree::Group(g) => {
                let mut group = Group::new(g.delimiter(), located_at(g.stream(), span));
                group.set_span(g.span().located_at(span));
                TokenTree::Group(group)
            }
            mut other => {
                other.set_span(other.span().located_at(span));
                other
            }
        })
        .collect()
}

/// The spans of the first and the last token of a type.
fn first_last_span(ty: &syn::Type) -> (Span, Span) {
    let tokens: Vec<TokenTree> = quote!(#ty).into_iter().collect();
    let first = tokens.first().map_or_else(|| ty.span(), TokenTree::span);
    let last = tokens.last().map_or(first, TokenTree::span);
    (first, last)
}

/// A path as written (`crate::models::User`).
fn path_name(path: &syn::Path) -> String {
    spaced_name(quote!(#path).to_string())
}

/// A type as written, without the token spacing of `TokenStream::to_string`.
fn type_name(ty: &syn::Type) -> String {
    spaced_name(quote!(#ty).to_string())
}

/// Drops the spaces `TokenStream::to_string` puts between tokens, except between two words
/// (`dyn Trait`) and after a comma.
fn spaced_name(spaced: String) -> String {
    let chars: Vec<char> = spaced.chars().collect();
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric() || *c == '_');
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| chars.get(p));
        if c != ' ' || (word(prev) && word(chars.get(i + 1))) || prev == Some(&',') {
            out.push(c);
        }
    }
    out
}

fn opt_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote!(::model_core::__private::core::option::Option::Some(#v)),
        None => quote!(::model_core::__private::core::option::Option::None),
    }
}

fn generate(model: &Model, checked: &Checked) -> TokenStream {
    let ident = model.ident;
    let table_name = &model.table_name.value;
    let columns_struct = format_ident!("{}Columns", ident);
    let p = quote!(::model_core::__private);

    let column_fields = model.fields.iter().map(|f| {
        let fi = f.ident;
        let ty = f.ty;
        quote!(pub #fi: #p::ColumnRef<#ty>)
    });
    let column_values = model.fields.iter().map(|f| {
        let fi = f.ident;
        let name = &f.column.value;
        quote!(#fi: #p::ColumnRef::new(#name))
    });

    let primary_key = model.primary_key();
    let pk_names = primary_key.iter().map(|f| &f.column.value);
    let pk_type = match primary_key.as_slice() {
        [only] => {
            let ty = only.ty;
            quote!(#ty)
        }
        _ => quote!(#p::CompositeKey),
    };

    let mut body = Vec::new();
    if let Some(old) = &model.attrs.renamed_from {
        let old = &old.value;
        body.push(quote!(table.renamed_from(#old);));
    }
    if let Some(comment) = &model.attrs.comment {
        let comment = &comment.value;
        body.push(quote!(table.comment(#comment);));
    }
    if let Some(name) = &model.attrs.primary_key_name {
        let name = &name.value;
        body.push(quote!(table.primary_key_name(#name);));
    }
    for ext in &model.attrs.extensions {
        let ext = &ext.value;
        body.push(quote!(table.extension(#ext);));
    }
    for field in &model.fields {
        body.push(column(field));
    }
    for index in &checked.indexes {
        let name = opt_str(index.name.as_deref());
        let keys = index.keys.iter().map(|key| {
            let (expression, target) = match &key.target {
                KeyTarget::Column(c) => (false, c),
                KeyTarget::Expression(e) => (true, e),
            };
            let opclass = opt_str(key.opclass.as_deref());
            let order = match key.desc {
                Some(true) => quote!(#p::core::option::Option::Some(#p::SortOrder::Desc)),
                Some(false) => quote!(#p::core::option::Option::Some(#p::SortOrder::Asc)),
                None => quote!(#p::core::option::Option::None),
            };
            let nulls = match key.nulls_first {
                Some(true) => quote!(#p::core::option::Option::Some(#p::NullsOrder::First)),
                Some(false) => quote!(#p::core::option::Option::Some(#p::NullsOrder::Last)),
                None => quote!(#p::core::option::Option::None),
            };
            quote!(#p::index_key(#expression, #target, #opclass, #order, #nulls))
        });
        let unique = index.unique;
        let method = match index.method {
            Some(m) => {
                let variant = format_ident!("{}", heck::ToUpperCamelCase::to_upper_camel_case(m));
                quote!(#p::core::option::Option::Some(#p::IndexMethod::#variant))
            }
            None => quote!(#p::core::option::Option::None),
        };
        let predicate = opt_str(index.predicate.as_deref());
        body.push(quote! {
            table.index(#name, #p::std::vec![#(#keys),*], #unique, #method, #predicate);
        });
    }
    for unique in &checked.uniques {
        let name = opt_str(unique.name.as_deref());
        let columns = &unique.columns;
        body.push(quote!(table.unique(#name, &[#(#columns),*]);));
    }
    for check in &checked.checks {
        let name = opt_str(check.name.as_deref());
        let expr = &check.expr;
        body.push(quote!(table.check(#name, #expr);));
    }

    let mut compile_checks = Vec::new();
    for fk in &checked.foreign_keys {
        let field = &model.fields[fk.field];
        let column = &field.column.value;
        let target = &fk.model;
        let span = target.span();
        let field_ty = field.ty;
        let name = opt_str(fk.name.as_deref());
        let on_delete = format_ident!("{}", fk.on_delete);
        let on_update = format_ident!("{}", fk.on_update);
        let deferrable = format_ident!("{}", fk.deferrable);
        // Every use of the target as a table is spelled the same way, at the target's span, so
        // that a target that is not a table is one error, not one per use.
        let table = quote_spanned!(span=> <#target as ::model_core::__private::Table>);
        let ref_columns = match &fk.column {
            None => quote_spanned!(span=> #table::PRIMARY_KEY),
            Some(col) => quote_spanned!(col.span()=> &[#table::COLUMNS.#col.name()]),
        };
        body.push(quote! {
            table.foreign_key(
                #name,
                &[#column],
                #table::NAME,
                #ref_columns,
                #p::ReferentialAction::#on_delete,
                #p::ReferentialAction::#on_update,
                #p::Deferrable::#deferrable,
            );
        });
        match &fk.column {
            None => {
                let message = format!(
                    "`{0}` has a composite primary key, which a single-field `references` cannot point at; name the referenced column: `references = {0}::field`",
                    path_name(target),
                );
                compile_checks.push(quote_spanned! {span=>
                    if #table::PRIMARY_KEY.len() > 1 {
                        ::model_core::__private::core::panic!("{}", #message);
                    }
                    ::model_core::__private::check_reference_primary_key::<#field_ty, #table::PrimaryKey>();
                });
            }
            Some(col) => compile_checks.push(quote_spanned! {col.span()=>
                ::model_core::__private::check_reference::<#field_ty, _>(&#table::COLUMNS.#col);
            }),
        }
        if let Some((attr, span)) = fk.set_null {
            let check = format_ident!("check_set_null_{}", attr);
            compile_checks.push(quote_spanned! {span=>
                ::model_core::__private::#check::<#field_ty>();
            });
        }
    }
    for field in &model.fields {
        let ty = field.ty;
        let a = &field.attrs;
        if a.primary_key.is_some() && a.sql_type.is_none() && !field.is_option_syntax() {
            // `Option<...>` spelled out is rejected before codegen; this catches the nullable
            // types it cannot see (`type MaybeId = Option<i64>`).
            let message = format!(
                "primary key column `{}` cannot be NULL, but its type `{}` is nullable (an `Option`); use the non-`Option` type, or remove `primary_key`",
                field.column.value,
                type_name(ty),
            );
            compile_checks.push(quote_spanned! {ty.span()=>
                if <#ty as ::model_core::__private::FieldType>::NULLABLE {
                    ::model_core::__private::core::panic!("{}", #message);
                }
            });
        }
        if let (Some((span, choice)), None) = (a.identity, &a.sql_type) {
            if choice != IdentityAttr::Off {
                let ty = located_at(quote!(#ty), span);
                compile_checks.push(quote_spanned! {span=>
                    ::model_core::__private::check_identity::<#ty>();
                });
            }
        }
        if let Some((lit, _)) = &field.attrs.max_length {
            compile_checks.push(quote_spanned!(lit.span()=> #p::check_max_length::<#ty>();));
        }
        for (lit, _) in [&field.attrs.precision, &field.attrs.scale]
            .into_iter()
            .flatten()
        {
            compile_checks.push(quote_spanned!(lit.span()=> #p::check_precision::<#ty>();));
        }
    }

    let rust_name = ident.to_string();
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, non_snake_case, non_camel_case_types, unused_qualifications, clippy::all)]
        const _: () = {
            #[allow(private_interfaces, missing_docs)]
            pub struct #columns_struct {
                #(#column_fields,)*
            }

            // Keeps "`Table` is implemented for ..." lists out of the error for a
            // `references` target that is not a table.
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            #[allow(private_interfaces)]
            impl #p::Table for #ident {
                const NAME: &'static str = #table_name;
                const PRIMARY_KEY: &'static [&'static str] = &[#(#pk_names),*];
                type PrimaryKey = #pk_type;
                type Columns = #columns_struct;
                const COLUMNS: #columns_struct = #columns_struct {
                    #(#column_values,)*
                };
                fn table_def() -> #p::schema::Table {
                    let mut table = #p::TableBuilder::new(#table_name);
                    #(#body)*
                    table.finish()
                }
            }

            #p::inventory::submit! {
                #p::TableRegistration::new(
                    #p::core::concat!(#p::core::module_path!(), "::", #rust_name),
                    <#ident as #p::Table>::table_def,
                )
            }

            const _: () = {
                #(#compile_checks)*
            };
        };
    }
}

fn column(field: &crate::ast::Field) -> TokenStream {
    let p = quote!(::model_core::__private);
    let a = &field.attrs;
    let name = &field.column.value;
    let ty = field.ty;
    let mut builder = match &a.sql_type {
        Some(sql) => {
            let sql = &sql.value;
            let nullable = field.is_option_syntax();
            quote!(#p::ColumnBuilder::raw(#name, #sql, #nullable))
        }
        None => {
            quote_spanned!(ty.span()=> <#ty as ::model_core::__private::FieldType>::column(#name))
        }
    };
    if let Some((_, length)) = &a.max_length {
        builder = quote!(#builder.max_length(#length));
    }
    if a.precision.is_some() || a.scale.is_some() {
        let precision = match &a.precision {
            Some((_, v)) => quote!(#p::core::option::Option::Some(#v)),
            None => quote!(#p::core::option::Option::None),
        };
        let scale = match &a.scale {
            Some((_, v)) => quote!(#p::core::option::Option::Some(#v)),
            None => quote!(#p::core::option::Option::None),
        };
        builder = quote!(#builder.precision(#precision, #scale));
    }
    if let Some(expr) = &a.default {
        let span = expr.span();
        // The call `<T as FieldType>::literal(...)` spans exactly the field type (its first to
        // its last token): when `T` has no column type, the error it raises is then the same as
        // the one `FieldType::column` raises, and the compiler prints it once.
        let (first, last) = first_last_span(ty);
        let convert = quote_spanned! {span=>
            <_ as ::model_core::__private::IntoDefault<_>>::into_default(#expr)
        };
        let mut args = Group::new(proc_macro2::Delimiter::Parenthesis, convert);
        args.set_span(last);
        let value = quote_spanned! {first=>
            <#ty as ::model_core::__private::FieldType>::literal #args
        };
        builder = quote!(#builder.default_value(#value));
    }
    for (method, value) in [
        ("default_sql", &a.default_sql),
        ("renamed_from", &a.renamed_from),
        ("backfill_sql", &a.backfill_sql),
        ("comment", &a.comment),
    ] {
        if let Some(v) = value {
            let method = syn::Ident::new(method, Span::call_site());
            let v = &v.value;
            builder = quote!(#builder.#method(#v));
        }
    }
    if let Some((_, choice)) = a.identity {
        let variant = match choice {
            IdentityAttr::Off => quote!(Off),
            IdentityAttr::ByDefault => quote!(ByDefault),
            IdentityAttr::Always => quote!(Always),
        };
        builder = quote!(#builder.identity(#p::IdentityChoice::#variant));
    }
    let primary_key = a.primary_key.is_some();
    quote!(table.column(#builder, #primary_key);)
}
