//! Code generation for `#[derive(DbEnum)]`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::DbEnumModel;
use crate::check;
use crate::ctxt::Ctxt;

pub fn expand(input: &syn::DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let model = DbEnumModel::from_ast(&cx, input);
    if let Some(model) = &model {
        check::check_enum(&cx, model);
    }
    if let Err(err) = cx.check() {
        return err.to_compile_error();
    }
    generate(&model.expect("no errors means a model"))
}

fn generate(model: &DbEnumModel) -> TokenStream {
    let p = quote!(::model_core::__private);
    let ident = model.ident;
    let type_name = &model.type_name.value;
    let variants: Vec<_> = model.variants.iter().map(|v| v.ident).collect();
    let values: Vec<_> = model.variants.iter().map(|v| &v.value.value).collect();
    let builder_values = model.variants.iter().map(|v| {
        let value = &v.value.value;
        let old = match &v.renamed_from {
            Some(old) => {
                let old = &old.value;
                quote!(#p::core::option::Option::Some(#old))
            }
            None => quote!(#p::core::option::Option::None),
        };
        quote!(.value(#value, #old))
    });
    let rust_name = ident.to_string();
    quote! {
        #[doc(hidden)]
        #[allow(unused_qualifications, clippy::all)]
        const _: () = {
            #[automatically_derived]
            impl #p::DbEnum for #ident {
                const NAME: &'static str = #type_name;
                const VARIANTS: &'static [Self] = &[#(Self::#variants),*];
                fn as_db_str(&self) -> &'static str {
                    match self {
                        #(Self::#variants => #values,)*
                    }
                }
                fn from_db_str(value: &str) -> #p::core::option::Option<Self> {
                    match value {
                        #(#values => #p::core::option::Option::Some(Self::#variants),)*
                        _ => #p::core::option::Option::None,
                    }
                }
                fn enum_def() -> #p::schema::Enum {
                    #p::EnumBuilder::new(#type_name)
                        #(#builder_values)*
                        .finish()
                }
            }

            #[automatically_derived]
            impl #p::SqlType for #ident {
                type Value = Self;
                fn column_type() -> #p::ColumnType {
                    #p::ColumnType::Enum {
                        name: #p::std::string::String::from(#type_name),
                    }
                }
                fn literal(value: &Self) -> #p::Value {
                    #p::Value::Text(#p::std::string::String::from(
                        <Self as #p::DbEnum>::as_db_str(value),
                    ))
                }
            }

            #[automatically_derived]
            impl #p::ArrayElement for #ident {}

            #p::impl_sqlx_enum!(#ident);

            #p::inventory::submit! {
                #p::EnumRegistration::new(
                    #p::core::concat!(#p::core::module_path!(), "::", #rust_name),
                    <#ident as #p::DbEnum>::enum_def,
                )
            }
        };
    }
}
