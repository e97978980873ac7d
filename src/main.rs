//! The command line: parses arguments and dispatches; the work is in the library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};

use reportlint::check;
use reportlint::extract::Patterns;
use reportlint::output::{write_records, OutFormat};
use reportlint::pipeline::{self, Config, Mode};
use reportlint::reader;
use reportlint::report::Status;

#[derive(Parser)]
#[command(
    name = "reportlint",
    version,
    about = "Extract and cross-check figures in Chinese government budget and performance reports"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(clap::Args, Clone)]
struct Common {
    /// Files or directories (walked recursively).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
    /// Seconds allowed per document.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    /// Largest input file, in MB.
    #[arg(long, default_value_t = 100)]
    max_size: u64,
    /// Replace the embedded patterns with the *.toml files (and dict.txt) of this directory.
    #[arg(long)]
    patterns: Option<PathBuf>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
}

#[derive(Copy, Clone, ValueEnum)]
enum Fmt {
    Jsonl,
    Json,
    Text,
}

#[derive(Subcommand)]
enum Cmd {
    /// Print the extracted text of one document.
    Text { file: PathBuf },
    /// Extract figures, rates, tables and metadata as JSON records.
    Extract {
        #[command(flatten)]
        common: Common,
        #[arg(long, value_enum, default_value = "jsonl")]
        format: Fmt,
    },
    /// Cross-check figures and report inconsistencies.
    Check {
        #[command(flatten)]
        common: Common,
        #[arg(long, value_enum, default_value = "text")]
        format: Fmt,
    },
    /// Explain a check code, or list all checks.
    Explain { code: Option<String> },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            eprintln!("reportlint: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.cmd {
        Cmd::Explain { code } => explain(code),
        Cmd::Text { file } => {
            let cfg = Config::new(Mode::Read);
            let (_, _, res) = pipeline::read_document(&file, &cfg);
            match res {
                Ok(doc) => {
                    std::io::stdout().write_all(doc.text.as_bytes())?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("{}: {}", file.display(), e);
                    Ok(ExitCode::from(2))
                }
            }
        }
        Cmd::Extract { common, format } => batch(common, format, Mode::Extract),
        Cmd::Check { common, format } => batch(common, format, Mode::Check),
    }
}

fn explain(code: Option<String>) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match code {
        None => {
            for c in check::CHECKS {
                let first = c.doc.lines().nth(1).unwrap_or("");
                writeln!(out, "{}  {:<28} {}", c.code, c.name, first)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(code) => match check::info(&code) {
            Some(c) => {
                writeln!(out, "# {} {}\n\n{}", c.code, c.name, c.doc)?;
                Ok(ExitCode::SUCCESS)
            }
            None => {
                eprintln!("reportlint: no check {code}; `reportlint explain` lists them");
                Ok(ExitCode::from(2))
            }
        },
    }
}

fn batch(common: Common, format: Fmt, mode: Mode) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let mut cfg = Config::new(mode);
    cfg.timeout = Duration::from_secs(common.timeout.max(1));
    cfg.limits.max_file_size = common.max_size.saturating_mul(1 << 20);
    if let Some(dir) = &common.patterns {
        cfg.patterns = Arc::new(Patterns::from_dir(dir).map_err(anyhow::Error::msg)?);
    }
    let entries = reader::expand_paths(&common.paths);
    // The global pool: the jsonl sink writes on this thread between chunks, and a scoped
    // pool's `install` would need the writer to be `Send`.
    rayon::ThreadPoolBuilder::new()
        .num_threads(common.jobs.unwrap_or(0))
        .build_global()?;
    let fmt = match format {
        Fmt::Jsonl => OutFormat::Jsonl,
        Fmt::Json => OutFormat::Json,
        Fmt::Text => OutFormat::Text,
    };
    // Tallies for the summary line, kept as records go by so that jsonl need not keep them.
    let (mut count, mut unreadable, mut errors, mut warnings) = (0usize, 0usize, 0usize, 0usize);
    let mut tally = |r: &reportlint::report::DocumentRecord| {
        count += 1;
        unreadable += usize::from(r.status == Status::Error);
        errors += r.errors();
        warnings += r.warnings();
    };
    let write = |w: &mut dyn Write,
                 tally: &mut dyn FnMut(&reportlint::report::DocumentRecord)|
     -> std::io::Result<()> {
        if fmt == OutFormat::Jsonl {
            // One record at a time: memory stays flat however many documents there are.
            let mut res = Ok(());
            pipeline::run_streaming(&entries, &cfg, |r| {
                tally(&r);
                if res.is_ok() {
                    res = write_records(w, std::slice::from_ref(&r), fmt);
                }
            });
            res
        } else {
            let records = pipeline::run_many(&entries, &cfg);
            for r in &records {
                tally(r);
            }
            write_records(w, &records, fmt)
        }
    };
    match &common.output {
        Some(path) => {
            // Written beside the target and renamed: an interrupted run leaves no half file.
            let tmp = path.with_extension(format!(
                "{}.tmp{}",
                path.extension().and_then(|e| e.to_str()).unwrap_or(""),
                std::process::id()
            ));
            {
                let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
                write(&mut f, &mut tally)?;
                f.flush()?;
            }
            std::fs::rename(&tmp, path)?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            write(&mut w, &mut tally)?;
            w.flush()?;
        }
    }
    if mode == Mode::Check || unreadable > 0 {
        eprintln!(
            "{} 份文档，{} 个错误，{} 个警告，{} 份无法读取，用时 {:.2} 秒 / {} documents, {} errors, {} warnings, {} unreadable, {:.2} s",
            count,
            errors,
            warnings,
            unreadable,
            started.elapsed().as_secs_f64(),
            count,
            errors,
            warnings,
            unreadable,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(if unreadable > 0 {
        ExitCode::from(2)
    } else if mode == Mode::Check && errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
