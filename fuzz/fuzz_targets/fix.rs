#![no_main]
//! `--fix` on disk, on fixable templates: one of the end-to-end mistakes, with bytes the input
//! chooses inserted where it chooses (whitespace, line breaks and comments keep it valid and
//! move the fixes' spans; other bytes break it, and a broken file must be left alone). The
//! result parses, and only the fixed spans changed.

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

const SEEDS: &[&str] = &[
    include_str!("../../tests/fixtures/e2e/break-group-id-vaults.json"),
    include_str!("../../tests/fixtures/e2e/break-approval-no-depends-on.json"),
    include_str!("../../tests/fixtures/e2e/break-status-pending.json"),
    include_str!("../../tests/fixtures/e2e/break-privatelink-host.json"),
    include_str!("../../tests/fixtures/e2e/break-resource-id-leading-underscore.json"),
];

const INSERTS: &[&str] = &[
    " ",
    "\n",
    "\r\n",
    "\t",
    "// note\n",
    "/* n */",
    "\u{FEFF}",
    ",",
    "\"",
    "{",
    "}",
    "[",
    "]",
    "vaults",
    "é",
    "🔑",
];

fn template(u: &mut Unstructured) -> arbitrary::Result<String> {
    let mut text = u.choose(SEEDS)?.to_string();
    for _ in 0..u.int_in_range(0..=8)? {
        let mut at = u.int_in_range(0..=text.len())?;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.insert_str(at, u.choose(INSERTS)?);
    }
    Ok(text)
}

fuzz_target!(|data: &[u8]| {
    let Ok(template) = template(&mut Unstructured::new(data)) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    wps_lint_fuzz::fix_checked(dir.path(), &template);
});
