//! SQL that the column scanner must accept: keyword arguments of SQL functions and collations.

use model_core::schema::IndexTarget;
use model_core::Table;

type ProductId = i64;

#[derive(Table)]
#[table(name = "products")]
#[table(check(
    name = "ck_products_code_prefix",
    expr = "substring(code from 1 for 3) <> 'XXX'"
))]
#[table(check(expr = "trim(both ' ' from label) <> '' AND code SIMILAR TO '[A-Z]+'"))]
#[table(check(expr = "extract(epoch from created_at) > 0"))]
#[table(index(name = "ix_products_code_c", columns = ["(code COLLATE \"C\")"]))]
#[table(index(name = "ix_products_label", expr = "lower(label) COLLATE \"C\""))]
struct Product {
    // A type alias of a non-nullable type is a valid key.
    #[column(primary_key, identity = "always")]
    id: ProductId,
    code: String,
    label: String,
    created_at: chrono::NaiveDateTime,
}

fn main() {
    let t = <Product as Table>::table_def();
    assert_eq!(t.checks.len(), 3);
    let index = t
        .indexes
        .iter()
        .find(|i| i.name == "ix_products_code_c")
        .unwrap();
    assert_eq!(
        index.keys[0].target,
        IndexTarget::Expression("code COLLATE \"C\"".into())
    );
}
