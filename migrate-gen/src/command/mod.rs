//! One module per command.

pub(crate) mod adopt;
pub(crate) mod check;
pub(crate) mod database;
pub(crate) mod generate;
pub(crate) mod inspect;
pub(crate) mod scratch;
pub(crate) mod snapshot;

use std::process::ExitCode;

/// Prints `error: <message>` and returns `code`.
pub(crate) fn fail(code: u8, message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(code)
}

/// Writes to stdout; a closed pipe or full disk is an I/O failure, never a panic.
pub(crate) fn print(text: &str) -> Result<(), ExitCode> {
    use std::io::Write;
    std::io::stdout()
        .write_all(text.as_bytes())
        .and_then(|()| std::io::stdout().flush())
        .map_err(|err| fail(crate::exit::IO, format!("cannot write to stdout: {err}")))
}
