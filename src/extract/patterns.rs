//! Extraction patterns as data: the TOML files in `patterns/`, embedded in the binary and
//! replaceable with `--patterns DIR`.
//!
//! A figure pattern names a canonical key for figures whose label, unit and phase fit it:
//!
//! ```toml
//! [[pattern]]
//! id = "staff.authorized.1"
//! key = "staff.authorized"
//! doc = "人员编制数"
//! noun = '编制'          # regex on the label with phase and generic words removed
//! unit = "people"        # money | percent | people | count | score
//! phase = ["年初"]        # optional: phases allowed (年初 调整 全年 决算 预算 none)
//! examples = ["截止2020年底人员编制数12人。"]
//! counter_examples = ["编制外聘用人员3人。"]
//! ```
//!
//! Families other than figures use `regex` instead: a `count` pattern says on which side of
//! the count its list stands (`list = "after"` or `"before"`), a `kind` pattern which kind
//! of report its title names (`kind = "部门决算"`), a `department` pattern captures `dept`.

use regex::Regex;
use serde::Deserialize;

use crate::extract::number::UnitClass;
use crate::extract::vocab::Phase;

/// The default pattern files, in the order they are tried.
pub const BUILTIN: &[(&str, &str)] = &[
    ("headcounts", include_str!("../../patterns/headcounts.toml")),
    ("scores", include_str!("../../patterns/scores.toml")),
    (
        "threepublic",
        include_str!("../../patterns/threepublic.toml"),
    ),
    ("rates", include_str!("../../patterns/rates.toml")),
    ("final", include_str!("../../patterns/final.toml")),
    ("budget", include_str!("../../patterns/budget.toml")),
    ("counts", include_str!("../../patterns/counts.toml")),
    ("metadata", include_str!("../../patterns/metadata.toml")),
];

/// Files of `patterns/` that hold other data, embedded where they are used and not read
/// from a `--patterns` directory: the parts a disclosure holds (`extract::parts`).
pub const NOT_PATTERNS: &[&str] = &["parts.toml", "grading.toml"];

/// The segmentation dictionary that keeps domain terms whole.
pub const BUILTIN_DICT: &str = include_str!("../../patterns/dict.txt");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    pattern: Vec<RawPattern>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    id: String,
    #[serde(default = "figure")]
    family: String,
    key: Option<String>,
    list: Option<String>,
    kind: Option<String>,
    doc: String,
    noun: Option<String>,
    label: Option<String>,
    regex: Option<String>,
    unit: Option<String>,
    #[serde(default)]
    phase: Vec<String>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

fn figure() -> String {
    "figure".into()
}

/// Where a count's list stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListSide {
    /// "设3个科室：A、B、C".
    After,
    /// "A、B等2个县".
    Before,
}

/// What a pattern gives when it matches, by family.
#[derive(Debug, Clone, PartialEq)]
pub enum Yields {
    /// A figure's canonical key (one of `keys::KEYS`).
    Key(String),
    /// A count claim whose list stands on this side.
    Count(ListSide),
    /// The kind of report a title names.
    Kind(String),
    /// The department, from the named group `dept`.
    Department,
}

/// One compiled pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub id: String,
    /// `figure`, `count`, `kind` or `department`.
    pub family: String,
    pub yields: Yields,
    pub doc: String,
    pub noun: Option<Regex>,
    pub label: Option<Regex>,
    pub regex: Option<Regex>,
    pub unit: Option<UnitClass>,
    /// The phases a figure may have (None: a figure with no phase), or any when empty.
    pub phase: Vec<Option<Phase>>,
    pub examples: Vec<String>,
    pub counter_examples: Vec<String>,
    /// The file (family name) it came from.
    pub file: String,
    /// Where it was read from, as errors name it.
    pub source: String,
}

/// All patterns and the segmentation dictionary.
#[derive(Debug, Clone)]
pub struct Patterns {
    pub patterns: Vec<Pattern>,
    pub dict: String,
    /// How forms are graded and their execution scored: `grading.toml` of the directory, else
    /// the embedded one.
    pub grading: Vec<super::grading::Grading>,
    /// Tells pattern sets apart in the per-thread memo of [`Patterns::key_for`].
    id: u64,
    /// Whether any figure pattern looks at the whole label (the memo then keys on it too).
    uses_label: bool,
    /// sha256 of the sources and dictionary: the result cache keys on it.
    fingerprint: String,
}

impl Pattern {
    /// The canonical key a figure pattern gives.
    pub fn key(&self) -> Option<&str> {
        match &self.yields {
            Yields::Key(k) => Some(k),
            _ => None,
        }
    }

    pub fn list_side(&self) -> Option<ListSide> {
        match self.yields {
            Yields::Count(s) => Some(s),
            _ => None,
        }
    }

    pub fn kind(&self) -> Option<&str> {
        match &self.yields {
            Yields::Kind(k) => Some(k),
            _ => None,
        }
    }
}

/// What a raw pattern yields, checked against its family.
fn yields(p: &RawPattern) -> Result<Yields, String> {
    let need = |v: &Option<String>, field: &str| {
        v.clone()
            .ok_or_else(|| format!("pattern {}: family {} needs `{field}`", p.id, p.family))
    };
    Ok(match p.family.as_str() {
        "figure" => Yields::Key(need(&p.key, "key")?),
        "count" => match need(&p.list, "list")?.as_str() {
            "after" => Yields::Count(ListSide::After),
            "before" => Yields::Count(ListSide::Before),
            other => return Err(format!("pattern {}: unknown list side {other:?}", p.id)),
        },
        "kind" => Yields::Kind(need(&p.kind, "kind")?),
        "department" => Yields::Department,
        other => return Err(format!("pattern {}: unknown family {other:?}", p.id)),
    })
}

fn phases(p: &RawPattern) -> Result<Vec<Option<Phase>>, String> {
    p.phase
        .iter()
        .map(|s| match s.as_str() {
            "none" => Ok(None),
            s => Phase::parse(s)
                .map(Some)
                .ok_or_else(|| format!("pattern {}: unknown phase {s:?}", p.id)),
        })
        .collect()
}

fn unit_class(s: &str) -> Result<UnitClass, String> {
    Ok(match s {
        "money" => UnitClass::Money,
        "percent" => UnitClass::Percent,
        "people" => UnitClass::People,
        "count" => UnitClass::Count,
        "score" => UnitClass::Score,
        "points" => UnitClass::Points,
        _ => return Err(format!("unknown unit class {s:?}")),
    })
}

impl Patterns {
    /// The embedded defaults. They are tested at build time, so this cannot fail.
    pub fn builtin() -> Self {
        Self::from_sources(
            BUILTIN.iter().map(|(n, s)| (n.to_string(), s.to_string())),
            BUILTIN_DICT.to_string(),
        )
        .expect("embedded patterns are valid (tested)")
    }

    /// Loads a pattern directory: each file of the embedded set (`headcounts.toml` …
    /// `metadata.toml`, `dict.txt`) must be there or be named in its `inherit.txt` (one name
    /// per line, `*` for every file not there) to take the embedded one; other `*.toml` files
    /// are added after them. Files are tried in the embedded order, so a copy of `patterns/`
    /// reads exactly as the defaults. Unknown fields and keys are refused, and every
    /// pattern's examples and counter-examples are proved before a document is read.
    pub fn from_dir(dir: &std::path::Path) -> Result<Self, String> {
        let shown = |p: &std::path::Path| p.display().to_string();
        let mut found: std::collections::BTreeMap<String, std::path::PathBuf> =
            std::fs::read_dir(dir)
                .map_err(|e| format!("{}: {e}", shown(dir)))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                // The parts file is data of its own (`extract::parts`), not patterns.
                .filter(|p| !NOT_PATTERNS.iter().any(|n| p.ends_with(n)))
                .map(|p| {
                    let stem = p
                        .file_stem()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .to_string();
                    (stem, p)
                })
                .collect();
        let inherit_path = dir.join("inherit.txt");
        let inherit: Vec<String> = match std::fs::read_to_string(&inherit_path) {
            Ok(s) => s
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect(),
            Err(_) => Vec::new(),
        };
        for n in &inherit {
            let known = n == "*" || n == "dict" || BUILTIN.iter().any(|(b, _)| b == n);
            if !known {
                return Err(format!(
                    "{}: {n:?} is not an embedded pattern file (known: {}, dict, *)",
                    shown(&inherit_path),
                    BUILTIN
                        .iter()
                        .map(|(b, _)| *b)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        let inherits = |n: &str| inherit.iter().any(|i| i == n || i == "*");
        let read = |p: &std::path::Path| {
            std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", shown(p)))
        };
        let mut sources = Vec::new();
        let mut missing = Vec::new();
        for (name, embedded) in BUILTIN {
            if let Some(p) = found.remove(*name) {
                sources.push((shown(&p), name.to_string(), read(&p)?));
            } else if inherits(name) {
                sources.push((
                    format!("patterns/{name}.toml (embedded)"),
                    name.to_string(),
                    embedded.to_string(),
                ));
            } else {
                missing.push(format!("{name}.toml"));
            }
        }
        let dict_path = dir.join("dict.txt");
        let dict = if dict_path.is_file() {
            read(&dict_path)?
        } else if inherits("dict") {
            BUILTIN_DICT.to_string()
        } else {
            missing.push("dict.txt".into());
            String::new()
        };
        if !missing.is_empty() {
            return Err(format!(
                "{}: missing {}: copy them from the project's patterns/, or name them in {} to use the embedded ones",
                shown(dir),
                missing.join(", "),
                shown(&inherit_path)
            ));
        }
        for (name, p) in found {
            sources.push((shown(&p), name, read(&p)?));
        }
        let mut loaded = Self::load(sources.into_iter(), dict)?;
        loaded.prove()?;
        let grading_path = dir.join("grading.toml");
        if grading_path.is_file() {
            let text = read(&grading_path)?;
            loaded.grading = super::grading::load(&text)
                .map_err(|e| format!("{}: {e}", shown(&grading_path)))?;
            // Another grading judges forms otherwise: cached results must not be reused.
            use sha2::Digest;
            let digest = sha2::Sha256::digest(text.as_bytes());
            let tail: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            loaded.fingerprint = format!("{}+{tail}", loaded.fingerprint);
        }
        Ok(loaded)
    }

    /// Proves every pattern against its examples (it must fit) and counter-examples (it
    /// must not): a figure pattern by extracting the sentence, the others by their regex.
    pub fn prove(&self) -> Result<(), String> {
        use crate::model::{Format, TextBuilder};
        for p in &self.patterns {
            if p.examples.is_empty() || p.counter_examples.is_empty() {
                return Err(format!(
                    "{}: pattern {} needs at least one example and one counter-example",
                    p.source, p.id
                ));
            }
            let cases = p
                .examples
                .iter()
                .map(|e| (e, true))
                .chain(p.counter_examples.iter().map(|e| (e, false)));
            for (text, want) in cases {
                let got = if p.family == "figure" {
                    let mut b = TextBuilder::new(Format::Txt);
                    b.paragraph(text, None);
                    let ex = crate::extract::extract(&b.finish(), self);
                    ex.figures
                        .iter()
                        .any(|f| f.key.is_some() && f.key.as_deref() == p.key())
                } else {
                    p.regex.as_ref().is_some_and(|r| r.is_match(text))
                };
                if got != want {
                    return Err(format!(
                        "{}: pattern {}: {text:?} should {}match",
                        p.source,
                        p.id,
                        if want { "" } else { "not " }
                    ));
                }
            }
        }
        Ok(())
    }

    /// Patterns from `(name, toml)` sources, named `patterns/{name}.toml` in errors.
    pub fn from_sources(
        sources: impl Iterator<Item = (String, String)>,
        dict: String,
    ) -> Result<Self, String> {
        Self::load(
            sources.map(|(n, s)| (format!("patterns/{n}.toml"), n, s)),
            dict,
        )
    }

    /// Patterns from `(path shown in errors, family file name, toml)` sources.
    fn load(
        sources: impl Iterator<Item = (String, String, String)>,
        dict: String,
    ) -> Result<Self, String> {
        use sha2::Digest;
        let mut digest = sha2::Sha256::new();
        digest.update(dict.as_bytes());
        let mut patterns = Vec::new();
        for (shown, name, src) in sources {
            for part in [name.as_bytes(), b"\0", src.as_bytes(), b"\0"] {
                digest.update(part);
            }
            let f: File = toml::from_str(&src).map_err(|e| format!("{shown}: {e}"))?;
            for p in f.pattern {
                let re = |s: &Option<String>| -> Result<Option<Regex>, String> {
                    s.as_ref()
                        .map(|r| {
                            Regex::new(r).map_err(|e| format!("{shown}: pattern {}: {e}", p.id))
                        })
                        .transpose()
                };
                let yields = yields(&p).map_err(|e| format!("{shown}: {e}"))?;
                if let Yields::Key(k) = &yields {
                    if !crate::keys::KEYS.contains(&k.as_str()) {
                        return Err(format!(
                            "{shown}: pattern {}: unknown key {k:?} (the canonical keys are listed in src/keys.rs)",
                            p.id
                        ));
                    }
                }
                let phase = phases(&p).map_err(|e| format!("{shown}: {e}"))?;
                patterns.push(Pattern {
                    noun: re(&p.noun)?,
                    label: re(&p.label)?,
                    regex: re(&p.regex)?,
                    unit: p.unit.as_deref().map(unit_class).transpose()?,
                    id: p.id,
                    family: p.family,
                    yields,
                    doc: p.doc,
                    phase,
                    examples: p.examples,
                    counter_examples: p.counter_examples,
                    file: name.clone(),
                    source: shown.clone(),
                });
            }
        }
        let mut seen = std::collections::HashSet::new();
        for p in &patterns {
            if !seen.insert(p.id.clone()) {
                return Err(format!("duplicate pattern id {}", p.id));
            }
        }
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let uses_label = patterns
            .iter()
            .any(|p| p.family == "figure" && p.label.is_some());
        Ok(Patterns {
            patterns,
            dict,
            grading: super::grading::schemes().to_vec(),
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            uses_label,
            fingerprint: digest
                .finalize()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        })
    }

    /// A digest of the pattern files and dictionary this set was built from: two sets with
    /// the same fingerprint extract the same figures.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    pub fn family<'a>(&'a self, family: &'a str) -> impl Iterator<Item = &'a Pattern> + 'a {
        self.patterns.iter().filter(move |p| p.family == family)
    }

    /// The first figure pattern that fits, in file order.
    /// What tells this pattern set apart in per-thread memos.
    pub fn id(&self) -> u64 {
        self.id
    }

    pub fn key_for(
        &self,
        label: &str,
        noun: &str,
        unit: UnitClass,
        phase: Option<Phase>,
    ) -> Option<&Pattern> {
        // Nouns repeat across figures and documents while every pattern's regex was tried
        // for each: remember the answer per thread.
        type Memo = std::collections::HashMap<
            (u64, String, String, UnitClass, Option<Phase>),
            Option<usize>,
        >;
        thread_local! {
            static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::new(Memo::new());
        }
        let k = (
            self.id,
            noun.to_string(),
            if self.uses_label {
                label.to_string()
            } else {
                String::new()
            },
            unit,
            phase,
        );
        if let Some(hit) = MEMO.with(|m| m.borrow().get(&k).copied()) {
            return hit.map(|i| &self.patterns[i]);
        }
        let found = self.key_for_uncached(label, noun, unit, phase);
        let idx = found.map(|p| {
            self.patterns
                .iter()
                .position(|q| std::ptr::eq(q, p))
                .expect("pattern of this set")
        });
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            if m.len() >= 50_000 {
                m.clear();
            }
            m.insert(k, idx);
        });
        found
    }

    fn key_for_uncached(
        &self,
        label: &str,
        noun: &str,
        unit: UnitClass,
        phase: Option<Phase>,
    ) -> Option<&Pattern> {
        self.family("figure").find(|p| {
            p.unit.is_none_or(|u| u == unit)
                && p.noun.as_ref().is_none_or(|r| r.is_match(noun))
                && p.label.as_ref().is_none_or(|r| r.is_match(label))
                && (p.phase.is_empty() || p.phase.contains(&phase))
        })
    }
}
