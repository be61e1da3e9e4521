#![no_main]
//! Generated templates (and parameter files) made of the pieces the rules look at. With
//! WPS_FUZZ_DUMP set, running an input prints the template instead of linting it.

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use wps_lint_fuzz::generate::Gen;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let mut generator = Gen::new(&mut u);
    let Ok(template) = generator.template(2) else {
        return;
    };
    let parameters = match generator.u.ratio(1, 2) {
        Ok(true) => generator.parameter_file(&template).ok(),
        _ => None,
    };
    let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap();
    if std::env::var_os("WPS_FUZZ_DUMP").is_some() {
        println!("{}", pretty(&template));
        if let Some(p) = &parameters {
            println!("{}", pretty(p));
        }
        return;
    }
    wps_lint_fuzz::lint(pretty(&template), parameters.as_ref().map(pretty));
});
