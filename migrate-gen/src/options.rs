//! The options every command takes, where the commands can use them.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::report::Reporter;

/// Options every command takes.
#[derive(Args, Debug, Clone)]
pub(crate) struct Global {
    /// The migrations directory (default: the project's).
    #[arg(long, value_name = "DIR", global = true)]
    pub dir: Option<PathBuf>,
    /// The database, e.g. postgres://user@host/db (default: $DATABASE_URL).
    #[arg(
        long,
        value_name = "URL",
        env = "DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// Only this dialect's migrations (postgres, sqlite or mysql), in a project that targets
    /// several.
    #[arg(long = "dialect", value_name = "DIALECT", global = true, value_parser = parse_dialect)]
    pub only: Option<model_core::dialect::Dialect>,
    /// A PostgreSQL schema to work in instead of `public` (one database, a schema per tenant):
    /// migrations, the version table and the lock are that schema's. `upgrade`, `stamp` and
    /// `baseline` create it when it is missing.
    #[arg(long, value_name = "NAME", global = true, value_parser = parse_schema)]
    pub schema: Option<String>,
    /// Print only errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print machine-readable JSON (one object per line).
    #[arg(long, global = true)]
    pub json: bool,
    /// The database the project's migrations are written for (from the companion's config).
    #[arg(skip = model_core::generate::DEFAULT_DIALECT)]
    pub dialect: model_core::dialect::Dialect,
    /// Whether the command runs for each of several dialects (its answers then name which).
    #[arg(skip)]
    pub several: bool,
    /// The time new migrations are versioned by (one per run, so that a project with several
    /// dialects gets the same version in each directory).
    #[arg(skip)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,
    /// Whether the command may create the `--schema` it works in.
    #[arg(skip)]
    pub create_schema: bool,
    /// How statements wait for locks (`upgrade` and `downgrade` set it from [`LockArgs`]).
    #[arg(skip)]
    pub lock_policy: model_core::runner::LockPolicy,
}

/// How `upgrade` and `downgrade` wait for locks and bound statements (PostgreSQL).
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Locks and timeouts (PostgreSQL)")]
pub(crate) struct LockArgs {
    /// How long a statement that blocks writes may wait for a lock before it gives up and is
    /// tried again (e.g. 5s, 500ms, 1m; 0 waits forever). Queries on the table wait behind it
    /// meanwhile.
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
    pub lock_timeout: Duration,
    /// How many more times a statement (or a migration that runs in one transaction) is
    /// tried when its lock is not granted in time, after pauses that double from half a
    /// second.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub lock_retries: u32,
    /// How long a statement that blocks writes may run (default: no limit).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub statement_timeout: Option<Duration>,
    /// How long a statement that lets writes go on may wait and run: concurrent index builds,
    /// validations, batched fills (default: no limit).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub online_timeout: Option<Duration>,
}

/// A schema name as an unquoted PostgreSQL identifier spells it, so that it reads the same
/// everywhere (`tenant_42`).
fn parse_schema(name: &str) -> Result<String, String> {
    if model_core::dialect::is_plain_identifier(name) && name.len() <= 63 {
        Ok(name.to_owned())
    } else {
        Err(format!(
            "`{name}` is not a schema name: lowercase letters, digits and underscores, not starting with a digit, at most 63 bytes"
        ))
    }
}

/// A duration: a number with `ms`, `s`, `m` or `h` (`5s`, `500ms`); a bare number is seconds.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration (e.g. 5s, 500ms, 2m)"))?;
    let seconds = match unit.trim() {
        "ms" => value / 1000.0,
        "" | "s" => value,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        _ => return Err(format!("`{text}` is not a duration (e.g. 5s, 500ms, 2m)")),
    };
    Ok(Duration::from_secs_f64(seconds))
}

fn parse_dialect(name: &str) -> Result<model_core::dialect::Dialect, String> {
    model_core::dialect::Dialect::from_name(name)
        .ok_or_else(|| format!("`{name}` is not a dialect (postgres, sqlite or mysql)"))
}

impl LockArgs {
    /// How statements wait for locks and how long they may run, from the command line.
    pub(crate) fn policy(&self) -> model_core::runner::LockPolicy {
        let limit = |d: Duration| (!d.is_zero()).then_some(d);
        model_core::runner::LockPolicy {
            lock_timeout: limit(self.lock_timeout),
            retries: self.lock_retries,
            statement_timeout: self.statement_timeout.and_then(limit),
            online_timeout: self.online_timeout.and_then(limit),
        }
    }
}

impl Global {
    /// The reporter for `--quiet` and `--json`.
    pub(crate) fn reporter(&self) -> Reporter {
        Reporter::new(self.quiet, self.json)
    }
}
