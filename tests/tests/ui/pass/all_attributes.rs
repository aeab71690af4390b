//! Every `#[table(...)]` and `#[column(...)]` form, used at least once.

use model_core::schema::{
    ColumnDefault, ColumnType, Deferrable, Identity, IndexMethod, IndexTarget, NullsOrder,
    ReferentialAction, SortOrder, Value,
};
use model_core::{DbEnum, Table};

#[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[db_enum(name = "article_status", rename_all = "snake_case")]
enum Status {
    Draft,
    Published,
}

#[derive(Table)]
#[table(
    name = "authors",
    renamed_from = "writers",
    primary_key_name = "authors_pkey"
)]
#[table(comment = "People who write articles")]
struct Author {
    #[column(primary_key, identity = "always")]
    id: i64,
    #[column(unique = "uq_authors_email", max_length = 320)]
    email: String,
}

#[derive(Table)]
#[table(name = "articles", extensions = ["citext", "pg_trgm"])]
#[table(index(columns = ["author_id", "created_at DESC"]))]
#[table(index(
    name = "ix_articles_title_pattern",
    columns = ["(lower(title)) text_pattern_ops DESC NULLS LAST"]
))]
#[table(index(expr = "lower(slug)", unique, where = "deleted_at IS NULL"))]
#[table(index(columns = ["title gin_trgm_ops"], method = "gin"))]
#[table(unique(columns = ["author_id", "slug"]))]
#[table(unique(name = "uq_articles_slug_version", columns = ["slug", "version"]))]
#[table(check(expr = "version > 0"))]
#[table(check(name = "ck_articles_price_positive", expr = "price >= 0"))]
struct Article {
    #[column(primary_key, identity = false)]
    id: i64,
    #[column(
        references = Author,
        on_delete = "cascade",
        on_update = "restrict",
        fk_name = "fk_articles_author",
        index
    )]
    author_id: i64,
    #[column(
        references = Author::email,
        on_delete = "set null",
        deferrable,
        index = "ix_articles_editor"
    )]
    editor_email: Option<String>,
    #[column(references = Author, on_delete = "set default", on_update = "no action", initially_deferred)]
    reviewer_id: Option<i64>,
    #[column(sql_type = "citext", unique)]
    slug: String,
    #[column(max_length = 200, comment = "Headline", renamed_from = "headline")]
    title: String,
    #[column(default = 1, backfill_sql = "1")]
    version: i32,
    #[column(precision = 12, scale = 2, default_sql = "0")]
    price: rust_decimal::Decimal,
    #[column(default = Status::Draft)]
    status: Status,
    #[column(name = "body_text", default = "")]
    body: String,
    #[column(default_sql = "now()")]
    created_at: chrono::DateTime<chrono::Utc>,
    deleted_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn main() {
    let authors = <Author as Table>::table_def();
    assert_eq!(authors.name, "authors");
    assert_eq!(authors.renamed_from.as_deref(), Some("writers"));
    assert_eq!(
        authors.comment.as_deref(),
        Some("People who write articles")
    );
    assert_eq!(authors.primary_key.name, "authors_pkey");
    assert_eq!(
        authors.column("id").unwrap().identity,
        Some(Identity::Always)
    );
    assert_eq!(
        authors.column("email").unwrap().ty,
        ColumnType::Varchar { length: 320 }
    );
    assert_eq!(authors.uniques[0].name, "uq_authors_email");

    let t = <Article as Table>::table_def();
    assert_eq!(t.name, "articles");
    assert_eq!(t.columns.len(), 12);
    assert_eq!(t.extensions, ["citext", "pg_trgm"]);
    assert_eq!(t.primary_key.name, "pk_articles");
    assert_eq!(t.column("id").unwrap().identity, None);

    let slug = t.column("slug").unwrap();
    assert_eq!(
        slug.ty,
        ColumnType::Custom {
            sql: "citext".into()
        }
    );
    assert!(!slug.nullable);
    let title = t.column("title").unwrap();
    assert_eq!(title.ty, ColumnType::Varchar { length: 200 });
    assert_eq!(title.comment.as_deref(), Some("Headline"));
    assert_eq!(title.renamed_from.as_deref(), Some("headline"));
    let version = t.column("version").unwrap();
    assert_eq!(
        version.default,
        Some(ColumnDefault::Value(Value::Number("1".into())))
    );
    assert_eq!(version.backfill_sql.as_deref(), Some("1"));
    let price = t.column("price").unwrap();
    assert_eq!(
        price.ty,
        ColumnType::Decimal {
            precision: Some(12),
            scale: Some(2)
        }
    );
    assert_eq!(price.default, Some(ColumnDefault::Sql("0".into())));
    assert_eq!(
        t.column("status").unwrap().default,
        Some(ColumnDefault::Value(Value::Text("draft".into())))
    );
    assert_eq!(
        t.column("body_text").unwrap().default,
        Some(ColumnDefault::Value(Value::Text(String::new())))
    );
    assert!(t.column("body").is_none());
    assert!(t.column("deleted_at").unwrap().nullable);

    // Four table indexes and two field indexes.
    assert_eq!(t.indexes.len(), 6);
    let index = |name: &str| {
        t.indexes
            .iter()
            .find(|i| i.name == name)
            .unwrap_or_else(|| panic!("no index {name} in {:#?}", t.indexes))
    };
    let pattern = index("ix_articles_title_pattern");
    assert_eq!(
        pattern.keys[0].target,
        IndexTarget::Expression("lower(title)".into())
    );
    assert_eq!(pattern.keys[0].opclass.as_deref(), Some("text_pattern_ops"));
    assert_eq!(pattern.keys[0].order, Some(SortOrder::Desc));
    assert_eq!(pattern.keys[0].nulls, Some(NullsOrder::Last));
    let composite = index("ix_articles_author_id_created_at_desc");
    assert_eq!(composite.keys.len(), 2);
    let partial = t.indexes.iter().find(|i| i.unique).unwrap();
    assert_eq!(partial.predicate.as_deref(), Some("deleted_at IS NULL"));
    let gin = t.indexes.iter().find(|i| i.method.is_some()).unwrap();
    assert_eq!(gin.method, Some(IndexMethod::Gin));
    assert_eq!(gin.keys[0].opclass.as_deref(), Some("gin_trgm_ops"));
    index("ix_articles_author_id");
    index("ix_articles_editor");

    let uniques: Vec<&str> = t.uniques.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(
        uniques,
        [
            "uq_articles_author_id_slug",
            "uq_articles_slug",
            "uq_articles_slug_version"
        ]
    );
    assert_eq!(t.checks.len(), 2);
    assert!(t
        .checks
        .iter()
        .any(|c| c.name == "ck_articles_price_positive"));
    assert!(t
        .checks
        .iter()
        .any(|c| c.name.starts_with("ck_articles_") && c.expr == "version > 0"));

    assert_eq!(t.foreign_keys.len(), 3);
    let fk = |column: &str| {
        t.foreign_keys
            .iter()
            .find(|fk| fk.columns == [column])
            .unwrap()
    };
    let author = fk("author_id");
    assert_eq!(author.name, "fk_articles_author");
    assert_eq!(author.ref_table, "authors");
    assert_eq!(author.ref_columns, ["id"]);
    assert_eq!(author.on_delete, ReferentialAction::Cascade);
    assert_eq!(author.on_update, ReferentialAction::Restrict);
    assert_eq!(author.deferrable, Deferrable::No);
    let editor = fk("editor_email");
    assert_eq!(editor.name, "fk_articles_editor_email_authors");
    assert_eq!(editor.ref_columns, ["email"]);
    assert_eq!(editor.on_delete, ReferentialAction::SetNull);
    assert_eq!(editor.deferrable, Deferrable::InitiallyImmediate);
    let reviewer = fk("reviewer_id");
    assert_eq!(reviewer.on_delete, ReferentialAction::SetDefault);
    assert_eq!(reviewer.on_update, ReferentialAction::NoAction);
    assert_eq!(reviewer.deferrable, Deferrable::InitiallyDeferred);
}
