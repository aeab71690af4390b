//! Generated code names everything by absolute path: a module that shadows the prelude (and
//! `core`, `std`, `sqlx`, `inventory`) can still derive `Table` and `DbEnum`.

mod shadow {
    #![allow(dead_code, non_camel_case_types)]

    use ::model_core::{DbEnum, Table};

    pub struct Option;
    pub struct Result;
    pub struct String;
    pub struct Vec;
    pub struct Box;
    pub struct Some;
    pub struct None;
    pub struct Ok;
    pub struct Err;
    pub trait Into {}
    pub trait From {}
    pub trait Default {}
    pub trait Clone {}
    pub trait Copy {}
    pub trait Iterator {}
    pub trait Fn {}
    pub trait Send {}
    pub trait Sized {}
    pub mod core {}
    pub mod std {}
    pub mod sqlx {}
    pub mod inventory {}
    pub mod model_core {}

    #[derive(DbEnum, ::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
    #[db_enum(rename_all = "lowercase")]
    pub enum Mood {
        Happy,
        #[db_enum(rename = "meh")]
        None,
    }

    #[derive(Table)]
    #[table(index(columns = ["nickname"]), unique(columns = ["email"]))]
    #[table(check(expr = "length(email) > 0"))]
    pub struct Account {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 100, default = "someone@example.com")]
        pub email: ::std::string::String,
        pub nickname: ::std::option::Option<::std::string::String>,
        pub tags: ::std::vec::Vec<::std::string::String>,
        pub avatar: ::std::vec::Vec<u8>,
        #[column(default = Mood::Happy)]
        pub mood: Mood,
        pub moods: ::std::vec::Vec<Mood>,
        #[column(references = Account, on_delete = "set null")]
        pub parent_id: ::std::option::Option<i64>,
        #[column(references = Account::email)]
        pub sponsor_email: ::std::option::Option<::std::string::String>,
        #[column(precision = 10, scale = 2)]
        pub balance: ::std::option::Option<::rust_decimal::Decimal>,
    }
}

fn main() {
    let t = <shadow::Account as model_core::Table>::table_def();
    assert_eq!(t.name, "account");
    assert_eq!(t.columns.len(), 10);
    assert_eq!(t.foreign_keys.len(), 2);
    assert_eq!(t.indexes[0].name, "ix_account_nickname");
    let e = <shadow::Mood as model_core::DbEnum>::enum_def();
    assert_eq!(e.name, "mood");
    assert_eq!(e.value_names().collect::<Vec<_>>(), ["happy", "meh"]);
}
