//! The registry: every `#[derive(Table)]` and `#[derive(DbEnum)]` type linked into the binary.
//!
//! Each derive submits a registration with [`inventory`], so there is no hand-kept list of
//! models to forget. [`schema`] collects them into a [`Schema`] whose order does not depend on
//! link order (tables and enums are keyed by name).
//!
//! A linking mistake must never read as "the models are gone": an empty registry is an error,
//! and [`check_against`] names every table of the last snapshot that the registry lacks.

use crate::schema::{ColumnType, Enum, Schema, Table};

/// A table, as registered by `#[derive(Table)]`.
#[derive(Debug)]
pub struct TableRegistration {
    rust_name: &'static str,
    build: fn() -> Table,
}

impl TableRegistration {
    /// A registration for the struct `rust_name` (its module path and name).
    pub const fn new(rust_name: &'static str, build: fn() -> Table) -> Self {
        Self { rust_name, build }
    }
}

/// An enum type, as registered by `#[derive(DbEnum)]`.
#[derive(Debug)]
pub struct EnumRegistration {
    rust_name: &'static str,
    build: fn() -> Enum,
}

impl EnumRegistration {
    /// A registration for the enum `rust_name` (its module path and name).
    pub const fn new(rust_name: &'static str, build: fn() -> Enum) -> Self {
        Self { rust_name, build }
    }
}

inventory::collect!(TableRegistration);
inventory::collect!(EnumRegistration);

/// Why the registry cannot become a schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// No model is linked into the binary.
    #[error(
        "no models are registered: this binary links no `#[derive(Table)]` type; make sure the \
         crate that defines the models is a dependency and is used (for example \
         `use my_models as _;` in main.rs)"
    )]
    Empty,
    /// Two structs map to one table name.
    #[error("table `{table}` is declared twice: by `{first}` and by `{second}`; give one of them another `#[table(name = \"...\")]`")]
    DuplicateTable {
        /// The table name.
        table: String,
        /// One struct.
        first: String,
        /// The other struct.
        second: String,
    },
    /// Two enums map to one type name with different values.
    #[error("enum type `{name}` is declared twice with different values: by `{first}` and by `{second}`; give one of them another `#[db_enum(name = \"...\")]`")]
    DuplicateEnum {
        /// The type name.
        name: String,
        /// One enum.
        first: String,
        /// The other enum.
        second: String,
    },
    /// An enum type has the name of a table (PostgreSQL keeps both in one namespace).
    #[error("enum type `{name}` has the same name as a table; rename one of them")]
    EnumNamedLikeTable {
        /// The clashing name.
        name: String,
    },
    /// A column's enum type is not registered.
    #[error(
        "column `{table}.{column}` uses enum type `{name}`, which no `#[derive(DbEnum)]` declares"
    )]
    UnknownEnum {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The enum type name.
        name: String,
    },
    /// A foreign key references a table that is not registered.
    #[error("foreign key `{constraint}` on `{table}` references table `{ref_table}`, which is not registered")]
    UnknownReference {
        /// The referencing table.
        table: String,
        /// The constraint name.
        constraint: String,
        /// The referenced table.
        ref_table: String,
    },
    /// Two objects that PostgreSQL keeps in one namespace share a name (tables, indexes, and
    /// the indexes behind primary keys and unique constraints are schema-wide; other
    /// constraints are per table).
    #[error("the name `{name}` is used twice: by {first} and by {second}; set another `name = \"...\"` on one of them")]
    DuplicateName {
        /// The name.
        name: String,
        /// One object.
        first: String,
        /// The other object.
        second: String,
    },
    /// A foreign key references columns that are neither the primary key nor unique.
    #[error("foreign key `{constraint}` on `{table}` references `{ref_table}({})`, which is neither the primary key nor unique; the database refuses such a key: add `unique` to the referenced column or reference the primary key", .ref_columns.join(", "))]
    ReferenceNotUnique {
        /// The referencing table.
        table: String,
        /// The constraint name.
        constraint: String,
        /// The referenced table.
        ref_table: String,
        /// The referenced columns.
        ref_columns: Vec<String>,
    },
    /// Tables of the last snapshot are missing from the registry.
    #[error(
        "{} {} of the last snapshot {} missing from the models: {}; if {} meant to be dropped, \
         pass --allow-destructive, otherwise make sure the crate that defines {} is linked",
        .tables.len(),
        plural(.tables.len(), "table", "tables"),
        plural(.tables.len(), "is", "are"),
        .tables.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", "),
        plural(.tables.len(), "it is", "they are"),
        plural(.tables.len(), "it", "them")
    )]
    MissingTables {
        /// The missing table names, sorted.
        tables: Vec<String>,
    },
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// Every registered table, sorted by table name, with the Rust type that declared it.
pub fn tables() -> Vec<(&'static str, Table)> {
    let mut out: Vec<(&'static str, Table)> = inventory::iter::<TableRegistration>
        .into_iter()
        .map(|r| (r.rust_name, (r.build)()))
        .collect();
    out.sort_by(|a, b| a.1.name.cmp(&b.1.name).then(a.0.cmp(b.0)));
    out
}

/// Every registered enum, sorted by type name, with the Rust type that declared it.
pub fn enums() -> Vec<(&'static str, Enum)> {
    let mut out: Vec<(&'static str, Enum)> = inventory::iter::<EnumRegistration>
        .into_iter()
        .map(|r| (r.rust_name, (r.build)()))
        .collect();
    out.sort_by(|a, b| a.1.name.cmp(&b.1.name).then(a.0.cmp(b.0)));
    out
}

/// The schema of every linked model.
pub fn schema() -> Result<Schema, RegistryError> {
    build(tables(), enums())
}

/// Builds and validates a schema from registrations (the registry's core, separate so that it
/// can be tested with any set of models).
pub fn build(
    tables: Vec<(&'static str, Table)>,
    enums: Vec<(&'static str, Enum)>,
) -> Result<Schema, RegistryError> {
    if tables.is_empty() {
        return Err(RegistryError::Empty);
    }
    let mut schema = Schema::new();
    let mut enum_owner: std::collections::BTreeMap<String, String> =
        std::collections::BTreeMap::new();
    for (rust_name, def) in enums {
        if let Some(existing) = schema.enums.get(&def.name) {
            if *existing == def {
                continue;
            }
            return Err(RegistryError::DuplicateEnum {
                name: def.name.clone(),
                first: enum_owner[&def.name].clone(),
                second: rust_name.to_owned(),
            });
        }
        enum_owner.insert(def.name.clone(), rust_name.to_owned());
        schema.enums.insert(def.name.clone(), def);
    }
    let mut table_owner = std::collections::BTreeMap::new();
    for (rust_name, def) in tables {
        if let Some(first) = table_owner.get(&def.name) {
            return Err(RegistryError::DuplicateTable {
                table: def.name.clone(),
                first: String::clone(first),
                second: rust_name.to_owned(),
            });
        }
        table_owner.insert(def.name.clone(), rust_name.to_owned());
        schema.tables.insert(def.name.clone(), def);
    }
    validate(&schema)?;
    Ok(schema)
}

fn validate(schema: &Schema) -> Result<(), RegistryError> {
    for name in schema.enums.keys() {
        if schema.tables.contains_key(name) {
            return Err(RegistryError::EnumNamedLikeTable { name: name.clone() });
        }
    }
    for table in schema.tables.values() {
        for column in &table.columns {
            let mut ty = &column.ty;
            while let ColumnType::Array { element } = ty {
                ty = element;
            }
            if let ColumnType::Enum { name } = ty {
                if !schema.enums.contains_key(name) {
                    return Err(RegistryError::UnknownEnum {
                        table: table.name.clone(),
                        column: column.name.clone(),
                        name: name.clone(),
                    });
                }
            }
        }
        for fk in &table.foreign_keys {
            let Some(target) = schema.tables.get(&fk.ref_table) else {
                return Err(RegistryError::UnknownReference {
                    table: table.name.clone(),
                    constraint: fk.name.clone(),
                    ref_table: fk.ref_table.clone(),
                });
            };
            let mut wanted = fk.ref_columns.clone();
            wanted.sort();
            let same_set = |cols: &[String]| {
                let mut cols = cols.to_vec();
                cols.sort();
                cols == wanted
            };
            let unique = same_set(&target.primary_key.columns)
                || target.uniques.iter().any(|u| same_set(&u.columns))
                || target.indexes.iter().any(|i| {
                    i.unique
                        && i.predicate.is_none()
                        && i.keys.iter().all(|k| k.opclass.is_none())
                        && same_set(
                            &i.keys
                                .iter()
                                .filter_map(|k| match &k.target {
                                    crate::schema::IndexTarget::Column(c) => Some(c.clone()),
                                    crate::schema::IndexTarget::Expression(_) => None,
                                })
                                .collect::<Vec<_>>(),
                        )
                        && i.keys.len() == wanted.len()
                });
            if !unique {
                return Err(RegistryError::ReferenceNotUnique {
                    table: table.name.clone(),
                    constraint: fk.name.clone(),
                    ref_table: fk.ref_table.clone(),
                    ref_columns: fk.ref_columns.clone(),
                });
            }
        }
    }
    unique_names(schema)
}

fn claim<'s>(
    map: &mut std::collections::BTreeMap<&'s str, String>,
    name: &'s str,
    what: String,
) -> Result<(), RegistryError> {
    if let Some(first) = map.get(name) {
        return Err(RegistryError::DuplicateName {
            name: name.to_owned(),
            first: first.clone(),
            second: what,
        });
    }
    map.insert(name, what);
    Ok(())
}

/// Schema-wide names (relations: tables, indexes, primary keys, unique constraints) and
/// per-table constraint names must not repeat.
fn unique_names(schema: &Schema) -> Result<(), RegistryError> {
    let mut relations: std::collections::BTreeMap<&str, String> = std::collections::BTreeMap::new();
    for table in schema.tables.values() {
        claim(
            &mut relations,
            &table.name,
            format!("table `{}`", table.name),
        )?;
    }
    for table in schema.tables.values() {
        let t = &table.name;
        claim(
            &mut relations,
            &table.primary_key.name,
            format!("the primary key of `{t}`"),
        )?;
        for index in &table.indexes {
            claim(&mut relations, &index.name, format!("an index on `{t}`"))?;
        }
        for unique in &table.uniques {
            claim(
                &mut relations,
                &unique.name,
                format!("a unique constraint on `{t}`"),
            )?;
        }
        let mut constraints: std::collections::BTreeMap<&str, String> =
            std::collections::BTreeMap::new();
        for check in &table.checks {
            claim(&mut constraints, &check.name, format!("a check on `{t}`"))?;
        }
        for fk in &table.foreign_keys {
            claim(
                &mut constraints,
                &fk.name,
                format!("a foreign key on `{t}`"),
            )?;
        }
        for (name, what) in &constraints {
            if relations.contains_key(name) && !schema.tables.contains_key(*name) {
                return Err(RegistryError::DuplicateName {
                    name: (*name).to_owned(),
                    first: relations[name].clone(),
                    second: what.clone(),
                });
            }
        }
    }
    Ok(())
}

/// Fails with [`RegistryError::MissingTables`] when a table of `last` has no counterpart in
/// `current` (same name, or a table declaring `renamed_from` that name).
pub fn check_against(last: &Schema, current: &Schema) -> Result<(), RegistryError> {
    let mut missing: Vec<String> = last
        .tables
        .keys()
        .filter(|name| {
            !current.tables.contains_key(*name)
                && !current
                    .tables
                    .values()
                    .any(|t| t.renamed_from.as_deref() == Some(name.as_str()))
        })
        .cloned()
        .collect();
    missing.sort();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(RegistryError::MissingTables { tables: missing })
    }
}
