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
    /// Largest total decompressed size of a DOCX's zip parts or of a PDF's streams, in MB;
    /// one part or stream may use half of it. Bounds zip bombs and inflated streams.
    #[arg(long, default_value_t = reader::Limits::default().max_decompressed >> 20)]
    max_decompressed: u64,
    /// Most pages read from one PDF; a PDF with more is reported as too large.
    #[arg(long, default_value_t = reader::Limits::default().max_pages)]
    max_pages: usize,
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
    cfg.limits.max_decompressed = common.max_decompressed.saturating_mul(1 << 20);
    // The default keeps one part at half the total; raising the total raises both.
    cfg.limits.max_part = cfg.limits.max_decompressed / 2;
    cfg.limits.max_pages = common.max_pages;
    if let Some(dir) = &common.patterns {
        cfg.patterns = Arc::new(Patterns::from_dir(dir).map_err(anyhow::Error::msg)?);
    }
    let entries = reader::expand_paths(&common.paths);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(common.jobs.unwrap_or(0))
        .build()?;
    let records = pool.install(|| pipeline::run_many(&entries, &cfg));
    let fmt = match format {
        Fmt::Jsonl => OutFormat::Jsonl,
        Fmt::Json => OutFormat::Json,
        Fmt::Text => OutFormat::Text,
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
                write_records(&mut f, &records, fmt)?;
                f.flush()?;
            }
            std::fs::rename(&tmp, path)?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            write_records(&mut w, &records, fmt)?;
            w.flush()?;
        }
    }
    let unreadable = records.iter().filter(|r| r.status == Status::Error).count();
    let errors: usize = records.iter().map(|r| r.errors()).sum();
    let warnings: usize = records.iter().map(|r| r.warnings()).sum();
    if mode == Mode::Check || unreadable > 0 {
        eprintln!(
            "{} 份文档，{} 个错误，{} 个警告，{} 份无法读取，用时 {:.2} 秒 / {} documents, {} errors, {} warnings, {} unreadable, {:.2} s",
            records.len(),
            errors,
            warnings,
            unreadable,
            started.elapsed().as_secs_f64(),
            records.len(),
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
