//! The `wps-lint` command: a thin layer over the library.

fn main() {
    std::process::exit(wps_lint::cli::main(std::env::args_os().collect()));
}
