//! Entry point: parse the command line, start logging, run the command. Nothing else.

use callfaq::commands;
use callfaq::config::{Cli, Command};
use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    callfaq::signal::bound_allocator();
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "callfaq=info,warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => commands::serve(&cli.config).await,
        Command::Check => commands::check(&cli.config),
        Command::Reindex => commands::reindex(&cli.config),
        Command::Regroup => commands::regroup(&cli.config),
        Command::Import {
            file,
            skip_bad,
            again,
        } => commands::import(&cli.config, &file, skip_bad, again),
        Command::Export { file } => commands::export(&cli.config, file.as_deref()),
        Command::User { action } => commands::user(&cli.config, action),
        Command::Token { action } => commands::token(&cli.config, action),
        Command::Purge { phone } => commands::purge(&cli.config, &phone),
        Command::Backup { file } => commands::backup(&cli.config, &file),
        Command::Eval { what } => commands::eval(&cli.config, what),
        Command::Distill {
            out,
            dims,
            sif,
            context,
            threads,
        } => commands::distill(&cli.config.model, &out, dims, sif, &context, threads),
        Command::Restore { file } => commands::restore(&cli.config, &file),
    };
    result.unwrap_or_else(|e| {
        eprintln!("error: {e:#}");
        ExitCode::FAILURE
    })
}
