//! Code generation for `#[derive(Table)]`.

use proc_macro2::{Span, TokenStream};
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

/// After an error: an impl that keeps the rest of the user's code from failing too.
fn stub(input: &syn::DeriveInput) -> TokenStream {
    if !input.generics.params.is_empty() || !matches!(input.data, syn::Data::Struct(_)) {
        return TokenStream::new();
    }
    let ident = &input.ident;
    quote! {
        const _: () = {
            #[automatically_derived]
            impl ::model_core::__private::Table for #ident {
                const NAME: &'static str = "";
                const PRIMARY_KEY: &'static [&'static str] = &[];
                type PrimaryKey = ::model_core::__private::CompositeKey;
                type Columns = ();
                const COLUMNS: () = ();
                fn table_def() -> ::model_core::__private::schema::Table {
                    ::model_core::__private::core::unimplemented!()
                }
            }
        };
    }
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
        let ref_columns = match &fk.column {
            None => quote_spanned!(span=> <#target as #p::Table>::PRIMARY_KEY),
            Some(col) => {
                quote_spanned!(col.span()=> &[<#target as #p::Table>::COLUMNS.#col.name()])
            }
        };
        body.push(quote! {
            table.foreign_key(
                #name,
                &[#column],
                <#target as #p::Table>::NAME,
                #ref_columns,
                #p::ReferentialAction::#on_delete,
                #p::ReferentialAction::#on_update,
                #p::Deferrable::#deferrable,
            );
        });
        compile_checks.push(quote_spanned!(span=> #p::check_table::<#target>();));
        match &fk.column {
            None => compile_checks.push(quote_spanned! {span=>
                #p::check_reference_primary_key::<#field_ty, #target>();
            }),
            Some(col) => compile_checks.push(quote_spanned! {col.span()=>
                #p::check_reference::<#field_ty, _>(&<#target as #p::Table>::COLUMNS.#col);
            }),
        }
        if let Some(span) = fk.set_null {
            compile_checks.push(quote_spanned!(span=> #p::check_set_null::<#field_ty>();));
        }
    }
    for field in &model.fields {
        let ty = field.ty;
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

            #[automatically_derived]
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
        None => quote_spanned!(ty.span()=> #p::ColumnBuilder::typed::<#ty>(#name)),
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
        let value = quote_spanned! {span=>
            #p::default_literal::<#ty>(#p::core::convert::Into::into(#expr))
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
