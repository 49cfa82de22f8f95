//! The `hangar` binary.

use hangar_server::{Cli, Command, init_logging, start};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = match Cli::load() {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let Command::Serve(config) = cli.command;
    init_logging(&config.log);
    let server = match start(config).await {
        Ok(server) => server,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("hangar: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!(
        "Hangar is ready: psql -h {} -p {} -U hangar hangar; Flight SQL at grpc://{}",
        server.pg_addr.ip(),
        server.pg_addr.port(),
        server.flight_addr
    );
    let result = server.run_until_signal().await;
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hangar: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
