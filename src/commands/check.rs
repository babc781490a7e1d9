//! `callfaq check`: validates the knowledge folder as authors fix it, one line per problem.

use crate::config::Config;
use crate::knowledge::Knowledge;
use std::io::Write;
use std::process::ExitCode;

/// Validates the knowledge folder: one line per problem on standard output, exit 1 if any.
pub fn check(config: &Config) -> anyhow::Result<ExitCode> {
    let (knowledge, problems) = Knowledge::load(&config.knowledge, None);
    let mut out = std::io::stdout().lock();
    for p in &problems {
        writeln!(out, "{p}")?;
    }
    if problems.is_empty() {
        eprintln!(
            "{}: {} answers, no problems",
            config.knowledge.display(),
            knowledge.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{}: {} answers served, {} problems",
            config.knowledge.display(),
            knowledge.len(),
            problems.len()
        );
        Ok(ExitCode::FAILURE)
    }
}
