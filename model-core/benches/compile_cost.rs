//! The compile cost of the derive: a crate of 200 `#[derive(Table)]` models (with
//! `sqlx::FromRow`, as the README declares them) against the same structs with only serde's
//! derives, in debug and release. Only the models crate is timed: its dependencies are built
//! first, then its source is touched and it is built again. Prints the Markdown table of
//! README.md, "Performance".
//!
//! ```text
//! cargo bench -p model-core --bench compile_cost                 # 200 models, median of 3
//! cargo bench -p model-core --bench compile_cost -- --smoke      # 5 models, once, debug (CI)
//! ```
//!
//! The crates are built in `target/skeleton` (shared with the tests that build projects
//! outside the workspace), so their dependencies are built once.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The source of one crate: `count` structs of ten fields, every fifth table with an enum,
/// each model with an index and a foreign key to the one before.
fn source(count: usize, derive: bool) -> String {
    let mut s = String::new();
    if derive {
        s.push_str("use model_core::{DbEnum, Table};\n\n");
    } else {
        s.push_str("use serde::{Deserialize, Serialize};\n\n");
    }
    for i in 0..count {
        if i % 5 == 0 {
            if derive {
                s.push_str(&format!(
                    "#[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]\n\
                     #[db_enum(name = \"state_{i}\", rename_all = \"snake_case\")]\n"
                ));
            } else {
                s.push_str(
                    "#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]\n",
                );
            }
            s.push_str(&format!(
                "pub enum State{i} {{ Draft, Active, Archived }}\n\n"
            ));
        }
        if derive {
            s.push_str(&format!(
                "#[derive(Table, sqlx::FromRow, Debug, Clone)]\n\
                 #[table(name = \"table_{i}\")]\n\
                 #[table(index(columns = [\"name\", \"created_at\"]))]\n"
            ));
        } else {
            s.push_str("#[derive(Serialize, Deserialize, Debug, Clone)]\n");
        }
        s.push_str(&format!("pub struct Model{i} {{\n"));
        let attr = |text: &str| {
            if derive {
                format!("    #[column({text})]\n")
            } else {
                String::new()
            }
        };
        s.push_str(&attr("primary_key"));
        s.push_str("    pub id: i64,\n");
        s.push_str(&attr("max_length = 200, unique"));
        s.push_str("    pub name: String,\n");
        s.push_str("    pub description: Option<String>,\n");
        s.push_str(&attr("default = 0"));
        s.push_str("    pub counter: i32,\n");
        s.push_str(&attr("default = true"));
        s.push_str("    pub active: bool,\n");
        s.push_str("    pub code: uuid::Uuid,\n");
        s.push_str(&attr("default_sql = \"CURRENT_TIMESTAMP\""));
        s.push_str("    pub created_at: chrono::DateTime<chrono::Utc>,\n");
        s.push_str("    pub payload: Option<serde_json::Value>,\n");
        if i > 0 {
            s.push_str(&attr(&format!(
                "references = Model{}, on_delete = \"cascade\", index",
                i - 1
            )));
            s.push_str("    pub parent_id: Option<i64>,\n");
        } else {
            s.push_str("    pub parent_id: Option<i64>,\n");
        }
        if i % 5 == 0 {
            s.push_str(&format!("    pub state: State{i},\n"));
        } else {
            s.push_str("    pub rank: f64,\n");
        }
        s.push_str("}\n\n");
    }
    s
}

fn write_crate(dir: &Path, name: &str, count: usize, derive: bool) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [workspace]\n\n[dependencies]\n\
             model-core = {{ path = \"{core}\", default-features = false, features = [\"postgres\"] }}\n\
             sqlx = {{ version = \"0.8\", default-features = false, features = [\"macros\"] }}\n\
             serde = {{ version = \"1\", features = [\"derive\"] }}\n\
             serde_json = \"1\"\n\
             chrono = {{ version = \"0.4\", default-features = false, features = [\"std\", \"clock\", \"serde\"] }}\n\
             uuid = {{ version = \"1\", features = [\"v4\", \"serde\"] }}\n",
            core = repo.join("model-core").display()
        ),
    )
    .unwrap();
    std::fs::copy(
        repo.join("examples/skeleton/Cargo.lock"),
        dir.join("Cargo.lock"),
    )
    .unwrap();
    std::fs::write(dir.join("src/lib.rs"), source(count, derive)).unwrap();
}

fn build(dir: &Path, target: &Path, release: bool) -> Duration {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .args(["build", "--quiet", "--lib"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target);
    if release {
        command.arg("--release");
    }
    let start = Instant::now();
    let status = command.status().expect("cargo build");
    let elapsed = start.elapsed();
    assert!(status.success(), "building {}", dir.display());
    elapsed
}

/// Median time to rebuild the crate alone (its dependencies built once before).
fn crate_time(dir: &Path, target: &Path, release: bool, rounds: usize) -> Duration {
    build(dir, target, release);
    let mut samples: Vec<Duration> = (0..rounds)
        .map(|_| {
            let lib = dir.join("src/lib.rs");
            let text = std::fs::read_to_string(&lib).unwrap();
            std::fs::write(&lib, text).unwrap();
            build(dir, target, release)
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let smoke = std::env::args().any(|a| a == "--smoke");
    let (count, rounds, profiles): (usize, usize, &[bool]) = if smoke {
        (5, 1, &[false])
    } else {
        (200, 3, &[false, true])
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let target: PathBuf = repo.join("target/skeleton");
    let root = std::env::temp_dir().join(format!("migrate-gen-compile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let models = root.join("models");
    let plain = root.join("plain");
    write_crate(&models, "bench_models", count, true);
    write_crate(&plain, "bench_plain", count, false);

    println!(
        "| {count} models | `#[derive(Table, sqlx::FromRow)]` | serde's derives only | ratio |"
    );
    println!("|---|---|---|---|");
    for &release in profiles {
        let with = crate_time(&models, &target, release, rounds);
        let without = crate_time(&plain, &target, release, rounds);
        println!(
            "| {} | {with:.1?} | {without:.1?} | {:.2} |",
            if release { "release" } else { "debug" },
            with.as_secs_f64() / without.as_secs_f64()
        );
    }
    std::fs::remove_dir_all(&root).unwrap();
}
