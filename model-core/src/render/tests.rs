use super::*;
use crate::dialect::{MySql, Postgres, Sqlite};
use crate::schema::{IndexKey, IndexMethod};

fn column(name: &str, ty: ColumnType, nullable: bool) -> Column {
    Column::new(name, ty, nullable)
}

fn tasks() -> Table {
    Table {
        name: "tasks".into(),
        renamed_from: None,
        comment: None,
        columns: vec![
            column("id", ColumnType::BigInt, false),
            column("title", ColumnType::Varchar { length: 200 }, false),
            column("order", ColumnType::Integer, true),
        ],
        primary_key: PrimaryKey {
            name: "pk_tasks".into(),
            columns: vec!["id".into()],
        },
        indexes: Vec::new(),
        uniques: vec![Unique {
            name: "uq_tasks_title".into(),
            columns: vec!["title".into()],
        }],
        checks: Vec::new(),
        foreign_keys: Vec::new(),
        extensions: Vec::new(),
    }
}

#[test]
fn defaults_are_standard_sql() {
    let schema = Schema::new();
    let cx = Context::new(&schema);
    assert_eq!(
        Sqlite.create_table(&cx, &tasks()).unwrap(),
        ["CREATE TABLE tasks (\n    id INTEGER NOT NULL,\n    title VARCHAR(200) NOT NULL,\n    \"order\" INTEGER,\n    CONSTRAINT pk_tasks PRIMARY KEY (id),\n    CONSTRAINT uq_tasks_title UNIQUE (title)\n);"]
    );
    assert_eq!(
        MySql
            .rename_column(&cx, "tasks", "order", "rank_no")
            .unwrap(),
        ["ALTER TABLE tasks RENAME COLUMN `order` TO rank_no;"]
    );
    let index = Index {
        name: "ix_tasks_title".into(),
        keys: vec![IndexKey::column("title")],
        unique: false,
        method: None,
        predicate: None,
    };
    assert_eq!(
        Sqlite.create_index(&cx, "tasks", &index).unwrap(),
        ["CREATE INDEX ix_tasks_title ON tasks (title);"]
    );
}

#[test]
fn unsupported_operations_are_errors_naming_table_and_column() {
    let schema = Schema::new();
    let cx = Context::new(&schema);
    let err = Postgres
        .rebuild_table(
            &cx,
            &Rebuild {
                from: &tasks(),
                to: &tasks(),
                columns: &[],
                fill: &[],
                values: &[],
            },
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "postgres cannot express rebuilding a table (table `tasks`)"
    );
    // SQLite stores no comments: setting one writes nothing (the snapshot keeps it).
    assert!(Sqlite
        .column_comment(&cx, "tasks", "title", Some("The title"))
        .unwrap()
        .is_empty());
    let err = Sqlite
        .alter_identity(&cx, "tasks", "id", None, Some(Identity::Always))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "sqlite cannot express changing identity generation (table `tasks`, column `id`)"
    );
    let err = Sqlite
        .alter_column_type(
            &cx,
            "tasks",
            "title",
            &ColumnType::Text,
            &ColumnType::Integer,
            None,
            None,
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "sqlite cannot express converting values from TEXT to INTEGER (table `tasks`, column `title`)"
    );
    let index = Index {
        name: "ix_tasks_title".into(),
        keys: vec![IndexKey::column("title")],
        unique: false,
        method: Some(IndexMethod::Gin),
        predicate: None,
    };
    assert!(matches!(
        Sqlite.create_index(&cx, "tasks", &index),
        Err(RenderError::Unsupported { table: Some(t), .. }) if t == "tasks"
    ));
}

#[test]
fn postgres_overrides_what_differs() {
    let schema = Schema::new();
    let cx = Context::new(&schema);
    assert_eq!(
        Postgres
            .alter_column_type(
                &cx,
                "tasks",
                "title",
                &ColumnType::Text,
                &ColumnType::Integer,
                None,
                None,
            )
            .unwrap(),
        ["ALTER TABLE tasks ALTER COLUMN title TYPE INTEGER USING title::INTEGER;"]
    );
    assert_eq!(
        Postgres
            .column_comment(&cx, "tasks", "title", Some("it's"))
            .unwrap(),
        ["COMMENT ON COLUMN tasks.title IS 'it''s';"]
    );
    let index = Index {
        name: "ix_tasks_title".into(),
        keys: vec![IndexKey {
            opclass: Some("gin_trgm_ops".into()),
            ..IndexKey::column("title")
        }],
        unique: false,
        method: Some(IndexMethod::Gin),
        predicate: None,
    };
    assert_eq!(
        Postgres.create_index(&cx, "tasks", &index).unwrap(),
        ["CREATE INDEX ix_tasks_title ON tasks USING gin (title gin_trgm_ops);"]
    );
}

#[test]
fn mysql_writes_its_own_spellings() {
    let mut schema = Schema::new();
    let mut table = tasks();
    table.columns[0].identity = Some(Identity::ByDefault);
    table.columns[1].comment = Some("it's".into());
    table.comment = Some("Tasks".into());
    schema.tables.insert("tasks".into(), table.clone());
    let ops = [
        Operation::CreateTable {
            table: table.clone(),
        },
        Operation::DropNotNull {
            table: "tasks".into(),
            column: "title".into(),
        },
    ];
    let rendered = render(Dialect::Mysql, &ops, &schema).unwrap();
    assert_eq!(
        rendered[0].statements,
        ["CREATE TABLE tasks (\n    id BIGINT NOT NULL AUTO_INCREMENT,\n    title VARCHAR(200) NOT NULL COMMENT 'it''s',\n    `order` INT,\n    CONSTRAINT pk_tasks PRIMARY KEY (id),\n    CONSTRAINT uq_tasks_title UNIQUE (title)\n) COMMENT = 'Tasks';"]
    );
    assert_eq!(
        rendered[1].statements,
        ["ALTER TABLE tasks MODIFY COLUMN title VARCHAR(200) COMMENT 'it''s';"]
    );
    let cx = Context::new(&schema);
    let index = Index {
        name: "ix_tasks_title".into(),
        keys: vec![IndexKey::column("title")],
        unique: false,
        method: Some(IndexMethod::Gin),
        predicate: None,
    };
    assert_eq!(
        MySql
            .create_index(&cx, "tasks", &index)
            .unwrap_err()
            .to_string(),
        "mysql cannot express index method gin (index `ix_tasks_title`) (table `tasks`)"
    );
}
