//! The Python package (python/, pyproject.toml): built with `pip install .` into a virtual
//! environment under target/tmp, then its pytest suite (python/tests) run against this build's
//! binary. Needs `python3` with `venv` and the Python package index (pip fetches maturin,
//! pytest, pandas and dask); set `REPORTLINT_SKIP_PYTHON=1` to leave it out on a machine
//! without them (it says so).

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(cmd: &mut Command, what: &str) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({:?}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{what}: ok\n{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn python_package() {
    if std::env::var_os("REPORTLINT_SKIP_PYTHON").is_some() {
        eprintln!("python_package: skipped (REPORTLINT_SKIP_PYTHON is set)");
        return;
    }
    let Some(python) = ["python3", "python"].into_iter().find(|p| {
        Command::new(p)
            .args(["-c", "import venv"])
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        eprintln!("python_package: skipped (no python3 with venv on PATH)");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let venv = tmp.join("pyenv");
    let py = venv.join("bin").join("python");
    if !py.exists() {
        run(
            Command::new(python).args(["-m", "venv"]).arg(&venv),
            "python -m venv",
        );
    }
    // Its own target directory: this cargo run holds target/ while its tests run.
    run(
        Command::new(&py)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                ".[test]",
            ])
            .current_dir(root)
            .env("CARGO_TARGET_DIR", tmp.join("python-build")),
        "pip install .[test]",
    );
    run(
        Command::new(&py)
            .args([
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "python/tests",
            ])
            .current_dir(root)
            .env("REPORTLINT_BIN", env!("CARGO_BIN_EXE_reportlint")),
        "pytest python/tests",
    );
}
