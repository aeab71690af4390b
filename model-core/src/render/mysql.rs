//! MySQL and MariaDB: the standard SQL defaults; migrations are not available yet.

use super::Render;
use crate::dialect::{MySql, RenderError, SqlDialect};

impl Render for MySql {
    fn migrations(&self) -> Result<(), RenderError> {
        Err(RenderError::UnsupportedDialect {
            dialect: self.name(),
        })
    }
}
