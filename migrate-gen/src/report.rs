//! How commands end and what they print.
//!
//! A command returns an [`Outcome`]: the exit code of a run that did its job (`0`, or `1` when
//! `check`, `drift` or `verify` found differences), or a [`Failure`], which [`crate::run`]
//! prints as the one `error:` line and maps to its exit code. Everything else a command says
//! goes through its [`Reporter`], which alone decides between human text, JSON lines and
//! silence (`-q`).

/// Why a command stopped: its documented exit code (see [`crate::exit`]) and the one line that
/// says what, where and what to do.
#[derive(Debug)]
pub(crate) struct Failure {
    pub code: u8,
    pub message: String,
}

/// What a command returns.
pub(crate) type Outcome = Result<u8, Failure>;

/// A failure with `code` and `message`.
pub(crate) fn fail(code: u8, message: impl std::fmt::Display) -> Failure {
    Failure {
        code,
        message: message.to_string(),
    }
}

/// Prints what commands report, in the form the options ask for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reporter {
    quiet: bool,
    json: bool,
}

impl Reporter {
    /// A reporter for `--quiet` and `--json`.
    pub(crate) fn new(quiet: bool, json: bool) -> Self {
        Self { quiet, json }
    }

    /// Whether output is JSON lines.
    pub(crate) fn json(&self) -> bool {
        self.json
    }

    /// Progress and results that `-q` silences: `human` (one or more lines) as text, or the
    /// JSON object on one line.
    pub(crate) fn event(&self, human: &str, json: serde_json::Value) -> Result<(), Failure> {
        if self.json {
            write(&format!("{json}\n"))
        } else if self.quiet {
            Ok(())
        } else {
            write(human)
        }
    }

    /// What the command was asked for (a listing, a migration's text, the problems found):
    /// printed even with `-q`.
    pub(crate) fn answer(&self, human: &str, json: serde_json::Value) -> Result<(), Failure> {
        if self.json {
            write(&format!("{json}\n"))
        } else {
            write(human)
        }
    }

    /// Several JSON objects (one per line), or the human text.
    pub(crate) fn answer_lines(
        &self,
        human: &str,
        json: impl IntoIterator<Item = serde_json::Value>,
    ) -> Result<(), Failure> {
        if self.json {
            let text: String = json.into_iter().map(|v| format!("{v}\n")).collect();
            write(&text)
        } else {
            write(human)
        }
    }

    /// A line on stderr that is neither output nor an error: a note about a skipped step, a
    /// prompt's context. Silenced by `-q` and `--json`.
    pub(crate) fn note(&self, text: &str) {
        if !self.quiet && !self.json {
            eprintln!("{text}");
        }
    }
}

/// Writes to stdout; a closed pipe or full disk is an I/O failure, never a panic.
pub(crate) fn write(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    std::io::stdout()
        .write_all(text.as_bytes())
        .and_then(|()| std::io::stdout().flush())
        .map_err(|err| fail(crate::exit::IO, format!("cannot write to stdout: {err}")))
}
