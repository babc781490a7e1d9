//! `callfaq distill`: static word vectors from the sentence model, written as the table the
//! keystroke path loads (`encoder::words`). The recipe is `encoder::distil`'s; this reads the
//! model, reports progress and what the PCA kept, and writes the file atomically.

use crate::encoder::distil::{self, Context, Options};
use crate::encoder::file::ModelFile;
use crate::encoder::{Encoder, Precision};
use anyhow::Context as _;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// `callfaq distill --out FILE [--dims N] [--sif A] [--context token|sentence]`.
pub fn distill(
    model: &Path,
    out: &Path,
    dims: usize,
    sif: f32,
    context: &str,
    threads: Option<usize>,
) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let encoder = Encoder::load_with(model, Precision::fastest())?;
    let bytes = std::fs::read(model).with_context(|| format!("reading {}", model.display()))?;
    let vocabulary = ModelFile::parse(bytes)?.vocabulary;
    let options = Options {
        context: if context == "sentence" {
            Context::Sentence
        } else {
            Context::Token
        },
        dims,
        sif,
        threads: threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
    };
    let total = distil::pieces(&vocabulary).len();
    eprintln!(
        "{total} pieces through the encoder ({:?}, {:?}) on {} threads",
        options.context,
        encoder.precision(),
        options.threads
    );
    let shown = AtomicUsize::new(0);
    let progress = |done: usize| {
        let tenth = done * 10 / total.max(1);
        if shown.fetch_max(tenth, Ordering::Relaxed) < tenth {
            eprintln!(
                "  {done} of {total} ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
        }
    };
    let (table, projection) = distil::distil(&encoder, vocabulary, &options, &progress);
    let kept: f64 = projection.explained.iter().sum();
    let bytes = table.to_bytes();
    let tmp = out.with_extension("bin.tmp");
    std::fs::write(&tmp, &bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, out).with_context(|| format!("writing {}", out.display()))?;
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    eprintln!(
        "{}: {} pieces × {} numbers ({:.1}% of the variance), {:.1} MB, sha256 {digest}; {:.0} s",
        out.display(),
        table.scales.len(),
        table.dims,
        kept * 100.0,
        bytes.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
