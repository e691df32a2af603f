fn main() -> std::process::ExitCode {
    sscsim::cli::main()
}
