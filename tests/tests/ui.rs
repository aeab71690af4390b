//! Compile-fail and compile-pass cases for `#[derive(Table)]` and `#[derive(DbEnum)]`.
//!
//! Each file in `tests/ui/fail/` makes one mistake; its `.stderr` holds the message the
//! compiler must print. Regenerate with `TRYBUILD=overwrite cargo test -p tests --test ui`
//! and read every changed `.stderr` before committing.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
