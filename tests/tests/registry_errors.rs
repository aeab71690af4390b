//! Schemas the registry refuses. These models live in their own test binary: the registry of a
//! binary holds every model linked into it, and these are deliberately in conflict.

#![allow(dead_code)]

use model_core::registry;
use model_core::Table;

mod clash {
    use model_core::Table;

    #[derive(Table)]
    #[table(name = "left_side", index(name = "ix_shared", columns = ["a"]))]
    pub struct Left {
        #[column(primary_key)]
        pub id: i32,
        pub a: i32,
    }

    #[derive(Table)]
    #[table(name = "right_side", index(name = "ix_shared", columns = ["b"]))]
    pub struct Right {
        #[column(primary_key)]
        pub id: i32,
        pub b: i32,
    }

    #[derive(Table)]
    #[table(name = "referencing")]
    pub struct Referencing {
        #[column(primary_key)]
        pub id: i32,
        #[column(references = Left::a)]
        pub left_a: i32,
    }
}

#[test]
fn index_names_are_unique_across_tables() {
    let err = registry::build(
        vec![
            ("a", clash::Left::table_def()),
            ("b", clash::Right::table_def()),
        ],
        vec![],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the name `ix_shared` is used twice: by an index on `left_side` and by an index on `right_side`; set another `name = \"...\"` on one of them"
    );
}

#[test]
fn a_foreign_key_must_reference_a_key() {
    let err = registry::build(
        vec![
            ("a", clash::Left::table_def()),
            ("c", clash::Referencing::table_def()),
        ],
        vec![],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "foreign key `fk_referencing_left_a_left_side` on `referencing` references `left_side(a)`, which is neither the primary key nor unique; the database refuses such a key: add `unique` to the referenced column or reference the primary key"
    );
}
