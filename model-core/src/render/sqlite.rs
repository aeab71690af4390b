//! SQLite: the standard SQL defaults; migrations are not available yet.

use super::Render;
use crate::dialect::{RenderError, SqlDialect, Sqlite};

impl Render for Sqlite {
    fn migrations(&self) -> Result<(), RenderError> {
        Err(RenderError::UnsupportedDialect {
            dialect: self.name(),
        })
    }
}
