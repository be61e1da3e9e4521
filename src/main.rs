//! The `wps-lint` command: a thin layer over the library.

// Linting allocates many small nodes and values on every thread; mimalloc's per-thread heaps
// make a whole-repository run markedly faster than the system allocator. Without transparent
// huge pages (`no_thp`): each 2 MiB page it would ask for is zeroed when first touched, which
// doubled a short run's peak memory and cost it a fifth of its time, for no speed on long ones.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(wps_lint::cli::main(std::env::args_os().collect()));
}
