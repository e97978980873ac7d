//! The command line: parses arguments and dispatches; the work is in the library.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};

use reportlint::baseline::{self, Baseline};
use reportlint::check;
use reportlint::extract::Patterns;
use reportlint::output::{write_documents, OutFormat, RecordStream};
use reportlint::pipeline::{self, Config, Mode};
use reportlint::progress::Progress;
use reportlint::reader;
use reportlint::reader::select::{select_inputs, Selection};
use reportlint::report::Status;

mod summary;
use summary::Tally;

// Extraction makes many small strings (labels, nouns, cells): glibc's allocator was a fifth
// of the run's time, mimalloc's thread-local free lists cut it (benches/RESULTS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Files or directories (walked recursively). In a directory only reports are read: other
    /// files (README, CSV, scripts, images, Office lock files, placeholders, reportlint's own
    /// pages) are listed as skipped with their reason. Files named here are always read.
    #[arg(required_unless_present = "files_from")]
    paths: Vec<PathBuf>,
    /// Read the paths to process from FILE, one per line (`-`: standard input).
    #[arg(long, value_name = "FILE")]
    files_from: Option<PathBuf>,
    /// Only read walked files matching this glob (repeatable; `*.pdf`, `2025/**`).
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// Skip walked files matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Read every walked file as a report, as if named on the command line.
    #[arg(long)]
    all_files: bool,
    /// Show only these checks: codes (S001), code prefixes (S) or names, comma-separated or
    /// repeated; `reportlint explain` lists them.
    #[arg(long, value_name = "CHECKS")]
    select: Vec<String>,
    /// Hide these checks (same words as --select).
    #[arg(long, value_name = "CHECKS")]
    ignore: Vec<String>,
    /// The lowest severity shown: error, warning or notice (default: notice, everything).
    #[arg(long, value_name = "LEVEL")]
    severity: Option<String>,
    /// Hide the findings this file accepts (written by --write-baseline, each with a reason).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write this run's findings to FILE as a baseline to review: fill in each `reason`.
    /// Reasons already in FILE, and the entries --baseline hid, are kept.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Process only shard I of N (`--shard 0/4`): a stable split by a hash of each path as
    /// given, so that N runs with the same arguments share the work without overlap.
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    /// Keep each document's record in DIR, by the sha256 of its bytes and the tool's build and
    /// patterns: a re-run reads unchanged files not at all and changed ones again; a killed
    /// run started again finishes the rest only.
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
    /// Seconds allowed per document [default: 60].
    #[arg(long)]
    timeout: Option<u64>,
    /// Largest input file, in MB [default: 100].
    #[arg(long)]
    max_size: Option<u64>,
    /// Largest total decompressed size of a DOCX's zip parts or of a PDF's streams, in MB;
    /// one part or stream may use half of it. Bounds zip bombs and inflated streams
    /// [default: 512].
    #[arg(long)]
    max_decompressed: Option<u64>,
    /// Most pages read from one PDF; a PDF with more is reported as too large
    /// [default: 5000].
    #[arg(long)]
    max_pages: Option<usize>,
    /// Do not read image-only PDFs (scans) by OCR even when Tesseract is installed: they are
    /// then `no_text_layer` records.
    #[arg(long)]
    no_ocr: bool,
    /// Settings file (default: the first reportlint.toml in the first input's folder or
    /// above it). Command-line options override it.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Use no settings file.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
    /// Replace the embedded patterns with the *.toml files (and dict.txt) of this directory.
    #[arg(long)]
    patterns: Option<PathBuf>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// With --format csv: one row per figure instead of one row per document.
    #[arg(long)]
    long: bool,
    /// extract with --format csv: one row per indicator of the self-evaluation forms
    /// (项目, 一级/二级/三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因, 总分, 自评等级).
    #[arg(long, conflicts_with = "long")]
    indicators: bool,
    /// With --format csv: a second header row with each column's Chinese name (年初预算 …).
    /// XLSX always carries them, as notes on the header cells.
    #[arg(long)]
    zh_header: bool,
}

#[derive(Copy, Clone, ValueEnum)]
enum Fmt {
    Jsonl,
    Json,
    Text,
    /// extract: the dataset, one row per document and one column per key (--long: one row
    /// per figure). check: one row per finding.
    Csv,
    /// The dataset as a workbook: sheets `documents` and `figures` (check: and `findings`).
    Xlsx,
    /// A self-contained review page.
    Html,
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

/// Exit statuses (README, "Exit status"): 0 nothing to report, 1 error findings, 2 a usage or
/// configuration error (nothing was checked), 3 documents that could not be read.
const EXIT_FINDINGS: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_UNREADABLE: u8 = 3;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            eprintln!("reportlint: {e:#}");
            ExitCode::from(EXIT_USAGE)
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
                    Ok(ExitCode::from(EXIT_UNREADABLE))
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
                Ok(ExitCode::from(EXIT_USAGE))
            }
        },
    }
}

/// The command line over the settings file: a list option given on the command line
/// replaces the file's, a single value given overrides it.
fn with_config(mut c: Common) -> anyhow::Result<Common> {
    let found = match (&c.config, c.no_config) {
        (_, true) => None,
        (Some(p), _) => Some(p.clone()),
        (None, false) => c.paths.first().and_then(|p| reportlint::config::find(p)),
    };
    let Some(file) = found else {
        return Ok(c);
    };
    let text =
        std::fs::read_to_string(&file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let dir = file.parent().map(PathBuf::from).unwrap_or_default();
    let f = reportlint::config::FileConfig::parse(&text, &file.display().to_string(), &dir)
        .map_err(anyhow::Error::msg)?;
    let list = |cli: &mut Vec<String>, file: Vec<String>| {
        if cli.is_empty() {
            *cli = file;
        }
    };
    list(&mut c.select, f.select);
    list(&mut c.ignore, f.ignore);
    list(&mut c.include, f.include);
    list(&mut c.exclude, f.exclude);
    c.severity = c.severity.or(f.severity);
    c.all_files = c.all_files || f.all_files.unwrap_or(false);
    c.baseline = c.baseline.or(f.baseline);
    c.patterns = c.patterns.or(f.patterns);
    c.jobs = c.jobs.or(f.jobs);
    c.timeout = c.timeout.or(f.timeout);
    c.max_size = c.max_size.or(f.max_size);
    c.max_pages = c.max_pages.or(f.max_pages);
    c.max_decompressed = c.max_decompressed.or(f.max_decompressed);
    Ok(c)
}

/// The run's configuration from the options: bounds, patterns, findings shown, baseline.
fn run_config(common: &Common, mode: Mode) -> anyhow::Result<Config> {
    let defaults = reader::Limits::default();
    let mut cfg = Config::new(mode);
    cfg.timeout = Duration::from_secs(common.timeout.unwrap_or(60).max(1));
    cfg.limits.max_file_size = common.max_size.unwrap_or(100).saturating_mul(1 << 20);
    cfg.limits.max_decompressed = common
        .max_decompressed
        .unwrap_or(defaults.max_decompressed >> 20)
        .saturating_mul(1 << 20);
    // The default keeps one part at half the total; raising the total raises both.
    cfg.limits.max_part = cfg.limits.max_decompressed / 2;
    cfg.limits.max_pages = common.max_pages.unwrap_or(defaults.max_pages);
    cfg.limits.ocr = !common.no_ocr;
    if let Some(dir) = &common.patterns {
        cfg.patterns = Arc::new(Patterns::from_dir(dir).map_err(anyhow::Error::msg)?);
    }
    cfg.filter = check::filter::FindingFilter::new(
        &common.select,
        &common.ignore,
        common.severity.as_deref(),
    )
    .map_err(anyhow::Error::msg)?;
    if let Some(b) = &common.baseline {
        let text = std::fs::read_to_string(b)
            .map_err(|e| anyhow::anyhow!("--baseline {}: {e}", b.display()))?;
        let parsed =
            Baseline::parse(&text, &b.display().to_string()).map_err(anyhow::Error::msg)?;
        cfg.baseline = Arc::new(parsed.set());
    }
    if let Some(dir) = &common.cache {
        let cache = reportlint::cache::Cache::open(dir, cfg.cache_salt())
            .map_err(|e| anyhow::anyhow!("--cache {}: {e}", dir.display()))?;
        cfg.cache = Some(Arc::new(cache));
    }
    Ok(cfg)
}

/// The entries a new baseline keeps: those of the file it replaces and of --baseline.
fn kept_entries(common: &Common) -> anyhow::Result<HashMap<String, baseline::Accepted>> {
    let mut kept = HashMap::new();
    if let Some(w) = &common.write_baseline {
        for b in [Some(w), common.baseline.as_ref()].into_iter().flatten() {
            if let Ok(text) = std::fs::read_to_string(b) {
                let old: Baseline =
                    toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", b.display()))?;
                for a in old.accepted {
                    kept.entry(a.fingerprint.clone()).or_insert(a);
                }
            }
        }
    }
    Ok(kept)
}

/// The inputs: paths given and listed, each folder's reports, other files as skipped.
fn inputs_of(
    common: &Common,
    cache: Option<&Arc<reportlint::cache::Cache>>,
) -> anyhow::Result<Vec<pipeline::Entry>> {
    let mut paths = common.paths.clone();
    if let Some(list) = &common.files_from {
        paths.extend(
            reader::read_path_list(list)
                .map_err(|e| anyhow::anyhow!("--files-from {}: {e}", list.display()))?,
        );
    }
    let mut selection = Selection::new(&common.include, &common.exclude, common.all_files)
        .map_err(anyhow::Error::msg)?;
    if let Some(s) = &common.shard {
        selection.shard = Some(reportlint::shard::Shard::parse(s).map_err(anyhow::Error::msg)?);
    }
    if let Some(c) = cache {
        let c = c.clone();
        selection.known = Some(Box::new(move |p| c.knows(p)));
    }
    // The split applies while the paths are listed, to named files as to walked ones.
    let inputs = select_inputs(&paths, &selection);
    if !inputs.empty.is_empty() {
        let names: Vec<String> = inputs
            .empty
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        anyhow::bail!(
            "没有找到报告 / no report found under {} (see the skipped files with --format text, or read every file with --all-files)",
            names.join(", ")
        );
    }
    Ok(inputs.entries)
}

fn out_format(format: Fmt, common: &Common, mode: Mode) -> anyhow::Result<OutFormat> {
    if mode == Mode::Extract && matches!(format, Fmt::Html) {
        anyhow::bail!(
            "the review page shows findings: use `check --format html` (extract writes jsonl, json, csv or xlsx)"
        );
    }
    if common.indicators && !(matches!(format, Fmt::Csv) && mode == Mode::Extract) {
        anyhow::bail!("--indicators applies to extract --format csv only");
    }
    let fmt = match (format, common.long) {
        _ if common.indicators => OutFormat::CsvIndicators,
        (Fmt::Csv, true) => OutFormat::CsvLong,
        (_, true) => anyhow::bail!("--long applies to --format csv only"),
        (Fmt::Jsonl, _) => OutFormat::Jsonl,
        (Fmt::Json, _) => OutFormat::Json,
        (Fmt::Text, _) => OutFormat::Text,
        (Fmt::Csv, _) if mode == Mode::Check => OutFormat::CsvFindings,
        (Fmt::Csv, _) => OutFormat::Csv,
        (Fmt::Xlsx, _) if mode == Mode::Check => OutFormat::XlsxFindings,
        (Fmt::Xlsx, _) => OutFormat::Xlsx,
        (Fmt::Html, _) => OutFormat::Html,
    };
    if matches!(fmt, OutFormat::Xlsx | OutFormat::XlsxFindings)
        && common.output.is_none()
        && std::io::stdout().is_terminal()
    {
        anyhow::bail!("--format xlsx is binary: give -o FILE.xlsx or redirect standard output");
    }
    Ok(fmt)
}

/// Runs `write` into `-o FILE` (beside it, then renamed: an interrupted run leaves no half
/// file, and a failed one nothing at all) or into standard output.
fn write_output(
    output: Option<&PathBuf>,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    match output {
        Some(path) => {
            let tmp = path.with_extension(format!(
                "{}.tmp{}",
                path.extension().and_then(|e| e.to_str()).unwrap_or(""),
                std::process::id()
            ));
            let written = (|| -> std::io::Result<()> {
                let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
                write(&mut f)?;
                f.flush()?;
                drop(f);
                std::fs::rename(&tmp, path)
            })();
            if let Err(e) = written {
                let _ = std::fs::remove_file(&tmp);
                return Err(e.into());
            }
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            write(&mut w)?;
            w.flush()?;
        }
    }
    Ok(())
}

fn batch(common: Common, format: Fmt, mode: Mode) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let common = with_config(common)?;
    let mut cfg = run_config(&common, mode)?;
    let mut tally = Tally {
        kept: kept_entries(&common)?,
        new_baseline: common.write_baseline.as_ref().map(|_| Baseline::default()),
        ..Tally::default()
    };
    let entries = inputs_of(&common, cfg.cache.as_ref())?;
    // The global pool: the jsonl sink writes on this thread between chunks, and a scoped
    // pool's `install` would need the writer to be `Send`.
    rayon::ThreadPoolBuilder::new()
        .num_threads(common.jobs.unwrap_or(0))
        .build_global()?;
    let fmt = out_format(format, &common, mode)?;
    cfg.keep_text = fmt.needs_text();
    let progress = Progress::new(entries.len());
    let mut write = |w: &mut dyn Write| -> std::io::Result<()> {
        if fmt.streams() {
            // One record at a time: memory stays flat however many documents there are.
            let mut res = Ok(());
            let mut stream = RecordStream::new(fmt).with_zh_header(common.zh_header);
            pipeline::run_streaming(&entries, &cfg, |r| {
                progress.done(&r);
                tally.add(&r);
                if res.is_ok() && (fmt.lists_skipped() || r.status != Status::Skipped) {
                    res = stream.record(w, &r);
                }
            });
            res.and_then(|()| stream.finish(w))
        } else {
            let processed = pipeline::process_many(&entries, &cfg, &|r| progress.done(r));
            let (records, texts): (Vec<_>, Vec<_>) = processed
                .into_iter()
                .filter(|p| fmt.lists_skipped() || p.record.status != Status::Skipped)
                .map(|p| (p.record, p.text))
                .unzip();
            for r in &records {
                tally.add(r);
            }
            write_documents(w, &records, &texts, fmt)
        }
    };
    write_output(common.output.as_ref(), &mut write)?;
    progress.finish();
    if let (Some(w), Some(nb)) = (&common.write_baseline, &tally.new_baseline) {
        std::fs::write(w, nb.to_toml())
            .map_err(|e| anyhow::anyhow!("--write-baseline {}: {e}", w.display()))?;
    }
    if mode == Mode::Check || tally.unreadable > 0 || tally.skipped > 0 {
        tally.print(fmt, started.elapsed().as_secs_f64());
    }
    if let Some(c) = &cfg.cache {
        summary::print_cache(&c.stats(), reader::files_read());
    }
    Ok(if tally.unreadable > 0 {
        ExitCode::from(EXIT_UNREADABLE)
    } else if mode == Mode::Check && tally.errors > 0 {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}
