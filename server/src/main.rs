//! The `hangar` binary.

use hangar_server::{Cli, Command, ShutdownSignals, init_logging, start};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = match Cli::load() {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let Command::Serve(config) = cli.command;
    init_logging(&config.log);
    let superuser = config.security.superuser.clone();
    let tls = config.security.tls_cert.is_some();
    let server = match start(config).await {
        Ok(server) => server,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("hangar: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // Caught before the ready line, so that whoever reads it may stop the server at once.
    let signals = match ShutdownSignals::catch() {
        Ok(signals) => signals,
        Err(e) => {
            eprintln!("hangar: cannot catch SIGTERM and SIGINT: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!(
        "Hangar is ready: psql -h {} -p {} -U {} hangar; Flight SQL at {}://{}",
        server.pg_addr.ip(),
        server.pg_addr.port(),
        superuser,
        if tls { "grpc+tls" } else { "grpc" },
        server.flight_addr
    );
    let result = server.run_until_signal(signals).await;
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hangar: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
