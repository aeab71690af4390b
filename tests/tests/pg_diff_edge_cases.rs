//! Edge cases of autogenerate on PostgreSQL, each once a bug: combined changes (keys and
//! foreign keys retyped together, enum swaps under checks, enum values renamed and used in one
//! migration, defaults that name renamed values), array defaults, self-references to unique
//! indexes, name collisions between dropped and renamed objects, and spellings PostgreSQL
//! re-prints (LIKE, BETWEEN, NULLS LAST, JSON, typed literals, numbers, type precisions).

#![allow(dead_code)]

use model_core::{DbEnum, Table};
use tests::scenario::pg_plan;
use tests::scenario::{schema, sql, Backend, Database, Scenario, ALLOW};

// ---------------------------------------------------------------------------------------------
// 1. A key column changes type together with the foreign key column that references it.
//    PostgreSQL rebuilds the foreign key when the referenced column changes type, and refuses
//    `uuid` against `text`: the foreign key must be dropped first and re-added after both
//    columns changed.

mod fk_type_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "authors")]
    pub struct Author {
        #[column(primary_key)]
        pub id: uuid::Uuid,
    }

    #[derive(Table)]
    #[table(name = "posts")]
    pub struct Post {
        #[column(primary_key)]
        pub id: i32,
        #[column(references = Author, index)]
        pub author_id: uuid::Uuid,
    }
}

mod fk_type_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "authors")]
    pub struct Author {
        #[column(primary_key)]
        pub id: String,
    }

    #[derive(Table)]
    #[table(name = "posts")]
    pub struct Post {
        #[column(primary_key)]
        pub id: i32,
        #[column(references = Author, index)]
        pub author_id: String,
    }
}

#[tokio::test]
async fn referenced_key_and_foreign_key_column_retyped_together() {
    let old = schema(
        vec![
            fk_type_v1::Author::table_def(),
            fk_type_v1::Post::table_def(),
        ],
        vec![],
    );
    let new = schema(
        vec![
            fk_type_v2::Author::table_def(),
            fk_type_v2::Post::table_def(),
        ],
        vec![],
    );
    let seed = "INSERT INTO authors VALUES ('7f1b6a3e-1111-4c2b-9a55-0123456789ab'); \
                INSERT INTO posts VALUES (1, '7f1b6a3e-1111-4c2b-9a55-0123456789ab')";
    Scenario::new(
        "referenced_key_and_foreign_key_column_retyped_together",
        old,
        new,
    )
    .seed(seed)
    .rows("SELECT author_id::text FROM posts")
    .run()
    .await;
}

// ---------------------------------------------------------------------------------------------
// 2. The enum add-and-use split, when the same enum also renames a value: the first migration
//    ("new enum values") is planned towards an intermediate enum that keeps only the *old*
//    spellings that still exist, so the renamed value is missing from it and the first
//    migration removes it (refused without --allow-destructive; with it, a type swap that
//    fails on every row holding the value).

mod split_v1 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "state", rename_all = "lowercase")]
    pub enum State {
        Open,
        Done,
    }

    #[derive(Table)]
    #[table(name = "tickets")]
    pub struct Ticket {
        #[column(primary_key)]
        pub id: i32,
        #[column(default = State::Open)]
        pub state: State,
    }
}

mod split_v2 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "state", rename_all = "lowercase")]
    pub enum State {
        Draft,
        #[db_enum(rename = "opened", renamed_from = "open")]
        Open,
        Done,
    }

    /// The new value is used at once, as the default.
    #[derive(Table)]
    #[table(name = "tickets")]
    pub struct Ticket {
        #[column(primary_key)]
        pub id: i32,
        #[column(default = State::Draft)]
        pub state: State,
    }
}

#[tokio::test]
async fn enum_split_keeps_a_value_renamed_in_the_same_migration() {
    let old = schema(
        vec![split_v1::Ticket::table_def()],
        vec![split_v1::State::enum_def()],
    );
    let new = schema(
        vec![split_v2::Ticket::table_def()],
        vec![split_v2::State::enum_def()],
    );
    // One migration would be: rename 'open' to 'opened', add 'draft', use 'draft'. Two
    // migrations, each applied on its own, reverted in reverse.
    let generated = Scenario::new("enum_split_keeps_a_value_renamed", old, new)
        .seed("INSERT INTO tickets (id, state) VALUES (1, 'open')")
        .rows("SELECT state::text FROM tickets")
        .run()
        .await;
    assert!(generated
        .of(Backend::Postgres)
        .starts_with("-- migration 1 of 2 (new enum values)"));
}

// ---------------------------------------------------------------------------------------------
// 3. The add-and-use split only looks at defaults, backfills and `AddCheck`: a new value used
//    in the CHECK of a table created in the same migration (or in a partial index predicate)
//    is not seen, the migration is not split, and PostgreSQL refuses it ("unsafe use of new
//    value").

mod split_check_v1 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "kind", rename_all = "lowercase")]
    pub enum Kind {
        Open,
        Done,
    }

    #[derive(Table)]
    #[table(name = "items")]
    pub struct Item {
        #[column(primary_key)]
        pub id: i32,
        pub kind: Kind,
    }
}

mod split_check_v2 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "kind", rename_all = "lowercase")]
    pub enum Kind {
        Open,
        Done,
        Archived,
    }

    #[derive(Table)]
    #[table(name = "items")]
    pub struct Item {
        #[column(primary_key)]
        pub id: i32,
        pub kind: Kind,
    }

    /// A new table whose CHECK names the new value.
    #[derive(Table)]
    #[table(name = "archive")]
    #[table(check(name = "ck_archive_kind", expr = "kind = 'archived'"))]
    pub struct Archive {
        #[column(primary_key)]
        pub id: i32,
        pub kind: Kind,
    }
}

#[tokio::test]
async fn enum_split_sees_a_new_value_used_in_a_created_tables_check() {
    let old = schema(
        vec![split_check_v1::Item::table_def()],
        vec![split_check_v1::Kind::enum_def()],
    );
    let new = schema(
        vec![
            split_check_v2::Item::table_def(),
            split_check_v2::Archive::table_def(),
        ],
        vec![split_check_v2::Kind::enum_def()],
    );
    let generated = Scenario::new(
        "enum_split_sees_a_value_in_a_created_tables_check",
        old,
        new,
    )
    .run()
    .await;
    assert!(generated
        .of(Backend::Postgres)
        .starts_with("-- migration 1 of 2 (new enum values)"));
}

// A stale rename hint (the old spelling still exists) is no rename: the value is added, and
// the first migration's snapshot keeps the default the database keeps.

mod split_stale_v1 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "status", rename_all = "lowercase")]
    pub enum Status {
        Open,
        Closed,
    }

    #[derive(Table)]
    #[table(name = "tickets")]
    pub struct Ticket {
        #[column(primary_key)]
        pub id: i32,
        #[column(default = Status::Open)]
        pub state: Status,
    }
}

mod split_stale_v2 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "status", rename_all = "lowercase")]
    pub enum Status {
        Open,
        #[db_enum(renamed_from = "open")]
        Opened,
        Closed,
    }

    #[derive(Table)]
    #[table(name = "tickets")]
    pub struct Ticket {
        #[column(primary_key)]
        pub id: i32,
        #[column(default = Status::Open)]
        pub state: Status,
        /// Uses the new value at once, so the migration is split.
        #[column(default = Status::Opened)]
        pub next: Status,
    }
}

#[tokio::test]
async fn enum_split_ignores_a_stale_rename_hint() {
    let old = schema(
        vec![split_stale_v1::Ticket::table_def()],
        vec![split_stale_v1::Status::enum_def()],
    );
    let new = schema(
        vec![split_stale_v2::Ticket::table_def()],
        vec![split_stale_v2::Status::enum_def()],
    );
    let generated = Scenario::new("enum_split_ignores_a_stale_rename_hint", old, new)
        .seed("INSERT INTO tickets (id) VALUES (1)")
        .rows("SELECT state::text FROM tickets")
        .run()
        .await;
    let text = generated.of(Backend::Postgres);
    assert!(
        text.starts_with("-- migration 1 of 2 (new enum values)"),
        "{text}"
    );
    assert!(!text.contains("RENAME VALUE"), "{text}");
}

// A column converted to an enum type that gains values in the same migration may hold a new
// value: the conversion is a use, and needs the values committed first.

mod split_convert_v1 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "kind", rename_all = "lowercase")]
    pub enum Kind {
        Open,
    }

    #[derive(Table)]
    #[table(name = "items")]
    pub struct Item {
        #[column(primary_key)]
        pub id: i32,
        pub kind: Kind,
        pub label: String,
    }
}

mod split_convert_v2 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "kind", rename_all = "lowercase")]
    pub enum Kind {
        Open,
        Archived,
    }

    #[derive(Table)]
    #[table(name = "items")]
    pub struct Item {
        #[column(primary_key)]
        pub id: i32,
        pub kind: Kind,
        /// Text that becomes the enum; a row already says 'archived'.
        pub label: Kind,
    }
}

#[tokio::test]
async fn enum_split_sees_a_column_converted_to_a_type_that_gains_values() {
    let old = schema(
        vec![split_convert_v1::Item::table_def()],
        vec![split_convert_v1::Kind::enum_def()],
    );
    let new = schema(
        vec![split_convert_v2::Item::table_def()],
        vec![split_convert_v2::Kind::enum_def()],
    );
    let generated = Scenario::new("enum_split_sees_a_conversion", old, new)
        .allow_destructive()
        .seed("INSERT INTO items (id, kind, label) VALUES (1, 'open', 'archived')")
        .rows("SELECT label::text FROM items")
        .run()
        .await;
    assert!(generated
        .of(Backend::Postgres)
        .starts_with("-- migration 1 of 2 (new enum values)"));
}

// ---------------------------------------------------------------------------------------------
// 4. Array defaults. `ARRAY['open']` is a `text[]`, which PostgreSQL does not assign to an
//    enum array (nor to `uuid[]`, `timestamptz[]`, ...); `ARRAY[]` has no type at all. The
//    literal needs a cast to the column type (`ARRAY['open']::state[]`, `'{}'`).

mod array_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "base")]
    pub struct Base {
        #[column(primary_key)]
        pub id: i32,
    }
}

mod array_enum_v2 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "flag", rename_all = "lowercase")]
    pub enum Flag {
        Red,
        Green,
    }

    #[derive(Table)]
    #[table(name = "flagged")]
    pub struct Flagged {
        #[column(primary_key)]
        pub id: i32,
        #[column(default = vec![Flag::Red])]
        pub flags: Vec<Flag>,
    }
}

mod array_empty_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "scores")]
    pub struct Scores {
        #[column(primary_key)]
        pub id: i32,
        #[column(default = Vec::<i32>::new())]
        pub values: Vec<i32>,
    }
}

#[tokio::test]
async fn enum_array_default_is_cast_to_the_column_type() {
    let old = schema(vec![array_v1::Base::table_def()], vec![]);
    let new = schema(
        vec![
            array_v1::Base::table_def(),
            array_enum_v2::Flagged::table_def(),
        ],
        vec![array_enum_v2::Flag::enum_def()],
    );
    Scenario::new("enum_array_default_is_cast_to_the_column_type", old, new)
        .run()
        .await;
}

#[tokio::test]
async fn empty_array_default_is_typed() {
    let old = schema(vec![array_v1::Base::table_def()], vec![]);
    let new = schema(
        vec![
            array_v1::Base::table_def(),
            array_empty_v2::Scores::table_def(),
        ],
        vec![],
    );
    Scenario::new("empty_array_default_is_typed", old, new)
        .run()
        .await;
}

// ---------------------------------------------------------------------------------------------
// 5. A type swap (enum value removed or reordered) on a column that a CHECK constraint
//    compares with an enum literal: the check's constant has the old type (now renamed to
//    `<name>__old`), PostgreSQL cannot rebuild the check for the new column type
//    ("operator does not exist: state = state__old"), and `DROP TYPE state__old` would be
//    blocked by it anyway.

mod swap_check_v1 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "level", rename_all = "lowercase")]
    pub enum Level {
        Low,
        High,
    }

    #[derive(Table)]
    #[table(name = "alerts")]
    #[table(check(name = "ck_alerts_level", expr = "level <> 'high' OR acknowledged"))]
    pub struct Alert {
        #[column(primary_key)]
        pub id: i32,
        pub level: Level,
        pub acknowledged: bool,
    }
}

mod swap_check_v2 {
    use super::*;

    /// Reordered.
    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "level", rename_all = "lowercase")]
    pub enum Level {
        High,
        Low,
    }

    #[derive(Table)]
    #[table(name = "alerts")]
    #[table(check(name = "ck_alerts_level", expr = "level <> 'high' OR acknowledged"))]
    pub struct Alert {
        #[column(primary_key)]
        pub id: i32,
        pub level: Level,
        pub acknowledged: bool,
    }
}

#[tokio::test]
async fn enum_type_swap_under_a_check_naming_a_value() {
    let old = schema(
        vec![swap_check_v1::Alert::table_def()],
        vec![swap_check_v1::Level::enum_def()],
    );
    let new = schema(
        vec![swap_check_v2::Alert::table_def()],
        vec![swap_check_v2::Level::enum_def()],
    );
    Scenario::new("enum_type_swap_under_a_check_naming_a_value", old, new)
        .seed("INSERT INTO alerts VALUES (1, 'low', false)")
        .rows("SELECT id::text FROM alerts")
        .run()
        .await;
}

// ---------------------------------------------------------------------------------------------
// 6. A value is removed from an enum while a column leaves the type (becomes TEXT) to keep
//    that value. The swap converts *every* old usage to the new enum first, including the
//    column that is about to become TEXT, so its rows holding the removed value make the
//    migration fail; the column should be converted to text before (or instead of) the swap.
//    (Same for a column or table that the migration drops.)

mod leave_v1 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "phase", rename_all = "lowercase")]
    pub enum Phase {
        Open,
        Legacy,
    }

    #[derive(Table)]
    #[table(name = "stages")]
    pub struct Stage {
        #[column(primary_key)]
        pub id: i32,
        pub phase: Phase,
        pub original_phase: Phase,
    }
}

mod leave_v2 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "phase", rename_all = "lowercase")]
    pub enum Phase {
        Open,
    }

    #[derive(Table)]
    #[table(name = "stages")]
    pub struct Stage {
        #[column(primary_key)]
        pub id: i32,
        pub phase: Phase,
        /// Keeps the old spelling as text.
        pub original_phase: String,
    }
}

#[tokio::test]
async fn enum_value_removed_while_a_column_holding_it_becomes_text() {
    let old = schema(
        vec![leave_v1::Stage::table_def()],
        vec![leave_v1::Phase::enum_def()],
    );
    let new = schema(
        vec![leave_v2::Stage::table_def()],
        vec![leave_v2::Phase::enum_def()],
    );
    let plan = pg_plan(&old, &new, ALLOW).unwrap();
    let up = sql(&plan.operations(), &new);
    let db = Database::create(Backend::Postgres, &old).await;
    db.apply("INSERT INTO stages VALUES (1, 'open', 'legacy')")
        .await
        .unwrap();
    db.apply(&up)
        .await
        .unwrap_or_else(|e| panic!("up failed: {e}\n{up}"));
    let kept = db.rows("SELECT original_phase FROM stages").await.unwrap();
    assert_eq!(kept, ["legacy"]);
    db.close().await;
}

// ---------------------------------------------------------------------------------------------
// 7. Introspection reports differences that are only PostgreSQL's re-printing.

mod nulls_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "prices")]
    pub struct Price {
        #[column(primary_key)]
        pub id: i32,
        pub amount: Option<i32>,
    }
}

mod nulls_v2 {
    use super::*;

    /// `ASC NULLS LAST` and `DESC NULLS FIRST` are the defaults: PostgreSQL records nothing.
    #[derive(Table)]
    #[table(name = "prices")]
    #[table(index(name = "ix_prices_amount", columns = ["amount NULLS LAST"]))]
    pub struct Price {
        #[column(primary_key)]
        pub id: i32,
        pub amount: Option<i32>,
    }
}

#[tokio::test]
async fn index_key_with_the_default_nulls_order_introspects_equal() {
    let old = schema(vec![nulls_v1::Price::table_def()], vec![]);
    let new = schema(vec![nulls_v2::Price::table_def()], vec![]);
    Scenario::new(
        "index_key_with_the_default_nulls_order_introspects_equal",
        old,
        new,
    )
    .run()
    .await;
}

mod check_like_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "prices")]
    pub struct Price {
        #[column(primary_key)]
        pub id: i32,
        pub amount: Option<i32>,
        pub code: String,
    }
}

mod check_like_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "prices")]
    #[table(check(name = "ck_prices_code", expr = "code LIKE 'P%'"))]
    pub struct Price {
        #[column(primary_key)]
        pub id: i32,
        pub amount: Option<i32>,
        pub code: String,
    }
}

mod check_between_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "prices")]
    #[table(check(name = "ck_prices_amount", expr = "amount BETWEEN 0 AND 100"))]
    pub struct Price {
        #[column(primary_key)]
        pub id: i32,
        pub amount: Option<i32>,
    }
}

#[tokio::test]
async fn check_with_like_introspects_equal() {
    let old = schema(vec![check_like_v1::Price::table_def()], vec![]);
    let new = schema(vec![check_like_v2::Price::table_def()], vec![]);
    Scenario::new("check_with_like_introspects_equal", old, new)
        .run()
        .await;
}

#[tokio::test]
async fn check_with_between_introspects_equal() {
    let old = schema(vec![nulls_v1::Price::table_def()], vec![]);
    let new = schema(vec![check_between_v2::Price::table_def()], vec![]);
    Scenario::new("check_with_between_introspects_equal", old, new)
        .run()
        .await;
}

mod json_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "prices")]
    pub struct Price {
        #[column(primary_key)]
        pub id: i32,
        pub amount: Option<i32>,
        #[column(default = serde_json::json!({"currency": "EUR", "tiers": [1, 2]}))]
        pub settings: serde_json::Value,
    }
}

#[tokio::test]
async fn json_default_introspects_equal() {
    let old = schema(vec![nulls_v1::Price::table_def()], vec![]);
    let new = schema(vec![json_v2::Price::table_def()], vec![]);
    Scenario::new("json_default_introspects_equal", old, new)
        .run()
        .await;
}

mod precision_v2 {
    use super::*;

    /// `timestamptz(3)` is printed back as `timestamp(3) with time zone`.
    #[derive(Table)]
    #[table(name = "events")]
    pub struct Event {
        #[column(primary_key)]
        pub id: i32,
        #[column(sql_type = "timestamptz(3)")]
        pub at: chrono::DateTime<chrono::Utc>,
    }
}

#[tokio::test]
async fn sql_type_with_precision_introspects_equal() {
    let old = schema(vec![array_v1::Base::table_def()], vec![]);
    let new = schema(
        vec![
            array_v1::Base::table_def(),
            precision_v2::Event::table_def(),
        ],
        vec![],
    );
    Scenario::new("sql_type_with_precision_introspects_equal", old, new)
        .not_on(Backend::Mysql, "`timestamptz(3)` is a PostgreSQL type")
        .run()
        .await;
}

mod float_v2 {
    use super::*;

    /// Rust spells 0.00001 as `1e-5`; PostgreSQL prints the default back as `0.00001`.
    #[derive(Table)]
    #[table(name = "rates")]
    pub struct Rate {
        #[column(primary_key)]
        pub id: i32,
        #[column(default = 0.00001)]
        pub epsilon: f64,
    }
}

#[tokio::test]
async fn float_default_in_exponent_notation_introspects_equal() {
    let old = schema(vec![array_v1::Base::table_def()], vec![]);
    let new = schema(
        vec![array_v1::Base::table_def(), float_v2::Rate::table_def()],
        vec![],
    );
    Scenario::new(
        "float_default_in_exponent_notation_introspects_equal",
        old,
        new,
    )
    .run()
    .await;
}

// ---------------------------------------------------------------------------------------------
// 8. A table created with a foreign key to its own unique *index* (`index(unique)`, which the
//    registry accepts as a referenced key): CREATE TABLE carries the foreign key inline, but
//    the unique index is only created by the next statement, so PostgreSQL refuses the table
//    ("there is no unique constraint matching given keys").

mod self_unique_index_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "nodes")]
    #[table(index(name = "ix_nodes_code", columns = ["code"], unique))]
    pub struct Node {
        #[column(primary_key)]
        pub id: i32,
        pub code: String,
        #[column(references = Node::code, index)]
        pub parent_code: Option<String>,
    }
}

#[tokio::test]
async fn table_referencing_its_own_unique_index_is_created() {
    let old = schema(vec![array_v1::Base::table_def()], vec![]);
    let new = schema(
        vec![
            array_v1::Base::table_def(),
            self_unique_index_v2::Node::table_def(),
        ],
        vec![],
    );
    Scenario::new(
        "table_referencing_its_own_unique_index_is_created",
        old,
        new,
    )
    .run()
    .await;
}

// ---------------------------------------------------------------------------------------------
// 9. Tables are dropped after the renames: an index renamed (here, because its table is
//    renamed) to a name still held by an index of a table that this migration drops collides
//    ("relation ix_a_b_c already exists"). Generated names make this possible without any
//    explicit name: `ix_a_b_c` is both table `a_b`'s index on `c` and table `a`'s on `b_c`.

mod collide_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "a_b")]
    pub struct AB {
        #[column(primary_key)]
        pub id: i32,
        #[column(index)]
        pub c: i32,
    }

    #[derive(Table)]
    #[table(name = "z")]
    pub struct Z {
        #[column(primary_key)]
        pub id: i32,
        #[column(index)]
        pub b_c: i32,
    }
}

mod collide_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "a", renamed_from = "z")]
    pub struct A {
        #[column(primary_key)]
        pub id: i32,
        #[column(index)]
        pub b_c: i32,
    }
}

#[tokio::test]
async fn index_renamed_to_the_name_of_an_index_of_a_dropped_table() {
    let old = schema(
        vec![collide_v1::AB::table_def(), collide_v1::Z::table_def()],
        vec![],
    );
    let new = schema(vec![collide_v2::A::table_def()], vec![]);
    assert_eq!(new.tables["a"].indexes[0].name, "ix_a_b_c");
    assert_eq!(old.tables["a_b"].indexes[0].name, "ix_a_b_c");
    Scenario::new(
        "index_renamed_to_the_name_of_an_index_of_a_dropped_table",
        old,
        new,
    )
    .allow_destructive()
    .run()
    .await;
}

// ---------------------------------------------------------------------------------------------
// 10. An enum value is renamed and a column default that named it (old spelling) changes to
//     another value. The up renames the value first, then sets the new default: fine. The down
//     is the exact reverse, so it restores the old default `'free'` *before* renaming the
//     value back from `'basic'` to `'free'`: "invalid input value for enum tier: "free"". The
//     operations that carry an old default (AlterDefault.from, AlterColumnType.from_default,
//     DropColumn's column) must carry it as it reads after the value renames.

mod enum_rename_default_v1 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "tier", rename_all = "lowercase")]
    pub enum Tier {
        Free,
        Paid,
    }

    #[derive(Table)]
    #[table(name = "plans")]
    pub struct Plan {
        #[column(primary_key)]
        pub id: i32,
        #[column(default = Tier::Free)]
        pub tier: Tier,
    }
}

mod enum_rename_default_v2 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "tier", rename_all = "lowercase")]
    pub enum Tier {
        #[db_enum(rename = "basic", renamed_from = "free")]
        Free,
        Paid,
    }

    #[derive(Table)]
    #[table(name = "plans")]
    pub struct Plan {
        #[column(primary_key)]
        pub id: i32,
        #[column(default = Tier::Paid)]
        pub tier: Tier,
    }
}

#[tokio::test]
async fn enum_value_renamed_while_the_default_naming_it_changes_reverts() {
    let old = schema(
        vec![enum_rename_default_v1::Plan::table_def()],
        vec![enum_rename_default_v1::Tier::enum_def()],
    );
    let new = schema(
        vec![enum_rename_default_v2::Plan::table_def()],
        vec![enum_rename_default_v2::Tier::enum_def()],
    );
    Scenario::new(
        "enum_value_renamed_while_the_default_naming_it_changes_reverts",
        old,
        new,
    )
    .seed("INSERT INTO plans VALUES (1, 'free')")
    .rows("SELECT tier::text FROM plans")
    .run()
    .await;
}

// ---------------------------------------------------------------------------------------------
// 11. Introspection, continued (see 7): a default written with a typed literal.

mod interval_v2 {
    use super::*;

    /// PostgreSQL prints `interval '30 days'` back as `'30 days'::interval`.
    #[derive(Table)]
    #[table(name = "tokens")]
    pub struct Token {
        #[column(primary_key)]
        pub id: i32,
        #[column(default_sql = "now() + interval '30 days'")]
        pub expires_at: chrono::DateTime<chrono::Utc>,
    }
}

#[tokio::test]
async fn default_with_a_typed_literal_introspects_equal() {
    let old = schema(vec![array_v1::Base::table_def()], vec![]);
    let new = schema(
        vec![array_v1::Base::table_def(), interval_v2::Token::table_def()],
        vec![],
    );
    Scenario::new("default_with_a_typed_literal_introspects_equal", old, new)
        .only_on(
            Backend::Postgres,
            "the default is PostgreSQL SQL (now() + interval '30 days')",
        )
        .run()
        .await;
}

// ---------------------------------------------------------------------------------------------
// 12. Checks as PostgreSQL prints them back: every spelling below compares equal to what the
//     server makes of it, while a check with the same words grouped otherwise does not.

/// Expressions over the columns of `exprs` (see the test), as a model would write them.
const PRINTED_BACK: &[&str] = &[
    "length(title) > 0",
    "price >= 0 AND status IN ('a', 'b') AND note IS NOT NULL",
    "(a OR b) AND c",
    "a OR (b AND c)",
    "a AND (b AND c)",
    "NOT (a AND b)",
    "code LIKE 'P%'",
    "code NOT ILIKE 'p%'",
    "code SIMILAR TO '[A-Z]+'",
    "amount BETWEEN 0 AND 100",
    "amount NOT BETWEEN 0 AND 100",
    "n > -1",
    "amount > -1.5",
    "n >= 1.50",
    "n > 1e3",
    "n != 1",
    "status NOT IN ('a', 'b')",
    "status IN ('a')",
    "n IN (1, 2, 3)",
    "lower(code) <> ''",
    "due > now() - interval '1 day'",
    "due > date '2026-01-01'",
    "data @> '{\"a\":1}'::jsonb",
    "(data -> 'a' ->> 'b')::int > 0",
    "tags && ARRAY['x']",
    "tags[1] <> ''",
    "code ~* 'x' AND code !~ 'y'",
    "coalesce(note, '') <> 'x'",
    "CASE WHEN n > 0 THEN 'pos' ELSE 'neg' END <> ''",
    "(n + 1) * 2 > 10",
    "n - (1 - 2) > 0",
    "code || note <> ''",
    "extract(epoch from due) > 0",
    "substring(code from 1 for 3) <> 'XXX'",
    "position('@' in code) > 1",
    "trim(both ' ' from code) <> ''",
    "a IS DISTINCT FROM b",
    "code COLLATE \"C\" > 'a'",
    "\"Weird\" > 0",
    "CAST(n AS bigint) > 0",
    "E'a\\nb' <> code",
];

#[tokio::test]
async fn checks_printed_back_by_postgres_compare_as_trees() {
    use model_core::dialect::compare::same_loose_expression;
    use tests::scenario::apply;
    use tests::TestDb;

    // About PostgreSQL's own re-printing, so on PostgreSQL only.
    let db = TestDb::postgres().await;
    let pool = db.pg_pool().await;
    let mut ddl = String::from(
        "CREATE TABLE exprs (title text, price numeric, status text, note text, a bool, b bool, \
         c bool, code varchar(20), amount numeric, n int, due timestamptz, data jsonb, \
         tags text[], \"Weird\" int);\n",
    );
    for (i, expr) in PRINTED_BACK.iter().enumerate() {
        ddl.push_str(&format!(
            "ALTER TABLE exprs ADD CONSTRAINT ck_{i:02} CHECK ({expr});\n"
        ));
    }
    apply(&pool, &ddl).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let live = model_core::introspect::postgres::introspect(&mut conn)
        .await
        .unwrap();
    let checks = &live.tables["exprs"].checks;
    assert_eq!(checks.len(), PRINTED_BACK.len());
    let printed = |i: usize| {
        let name = format!("ck_{i:02}");
        &checks.iter().find(|c| c.name == name).unwrap().expr
    };
    for (i, expr) in PRINTED_BACK.iter().enumerate() {
        assert!(
            same_loose_expression(expr, printed(i)),
            "{expr} was printed back as {}",
            printed(i)
        );
    }
    // The same words, grouped otherwise.
    let index = |e: &str| PRINTED_BACK.iter().position(|x| *x == e).unwrap();
    let (left, right) = (index("(a OR b) AND c"), index("a OR (b AND c)"));
    assert!(!same_loose_expression(PRINTED_BACK[left], printed(right)));
    assert!(!same_loose_expression(PRINTED_BACK[right], printed(left)));
    let (times, plus) = (index("(n + 1) * 2 > 10"), index("n - (1 - 2) > 0"));
    assert!(!same_loose_expression(PRINTED_BACK[times], printed(plus)));
    assert!(!same_loose_expression("n + 1 * 2 > 10", printed(times)));
    assert!(!same_loose_expression("(n - 1) - 2 > 0", printed(plus)));
}
