//! `reportlint.toml`: the settings a team keeps with its reports, so that every run over a
//! folder uses the same checks, severity, file selection, baseline and bounds. The command
//! line overrides it. It is found in the folder of the first input or any folder above it.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The file name looked for.
pub const FILE_NAME: &str = "reportlint.toml";

#[derive(Debug, Default, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    pub severity: Option<String>,
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    pub all_files: Option<bool>,
    /// Relative to the configuration file.
    pub baseline: Option<PathBuf>,
    /// Relative to the configuration file.
    pub patterns: Option<PathBuf>,
    pub jobs: Option<usize>,
    pub timeout: Option<u64>,
    pub max_size: Option<u64>,
    pub max_pages: Option<usize>,
    pub max_decompressed: Option<u64>,
}

impl FileConfig {
    /// Parses a configuration's text; paths in it are made relative to `dir` (its folder).
    pub fn parse(text: &str, shown: &str, dir: &Path) -> Result<Self, String> {
        let mut c: FileConfig = toml::from_str(text).map_err(|e| format!("{shown}: {e}"))?;
        for p in [&mut c.baseline, &mut c.patterns].into_iter().flatten() {
            if p.is_relative() {
                *p = dir.join(&*p);
            }
        }
        Ok(c)
    }
}

/// The configuration file that applies to a run over `first` (a file or folder): the first
/// `reportlint.toml` in its folder or a folder above it.
pub fn find(first: &Path) -> Option<PathBuf> {
    let start = if first.is_dir() {
        first.to_path_buf()
    } else {
        first.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let start = std::fs::canonicalize(&start).unwrap_or(start);
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_file_and_unknown_keys_refused() {
        let c = FileConfig::parse(
            "select = [\"S\"]\nseverity = \"error\"\nbaseline = \"reviewed.toml\"\ntimeout = 30\n",
            "reportlint.toml",
            Path::new("/data/reports"),
        )
        .unwrap();
        assert_eq!(c.select, ["S"]);
        assert_eq!(
            c.baseline.as_deref(),
            Some(Path::new("/data/reports/reviewed.toml"))
        );
        assert_eq!(c.timeout, Some(30));
        let err = FileConfig::parse("selct = [\"S\"]\n", "x/reportlint.toml", Path::new("x"));
        assert!(err.unwrap_err().contains("x/reportlint.toml"));
    }
}
