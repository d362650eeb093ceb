//! The CLI's golden tests: each `tests/cmd/*.toml` runs `ipxegen` with arguments and fixes its
//! exit code, stdout and stderr (`*.stdout`, `*.stderr`). Regenerate after an intended change
//! with `TRYCMD=overwrite cargo test -p ipxegen-cli --test cli` and review the diff.

#[test]
fn cli_goldens() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
