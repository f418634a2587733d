//! The headless commands of the same binary: `punchcard check FILE` (and, with
//! no command, the app itself). Each prints plain words and exits with a code
//! a script can test.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "punchcard",
    about = "Session packages, balances and history for a solo practice",
    version
)]
// WebKitWebDriver adds flags of its own when it launches the app for tests.
#[command(ignore_errors = true)]
pub struct Cli {
    /// Open this practice file instead of the default one.
    #[arg(long, value_name = "PATH", global = true)]
    pub db: Option<PathBuf>,
    /// Run the app as if the date were this day (`YYYY-MM-DD`), the clock
    /// moving on from it: to take a figure again on a practice generated for
    /// that day (`punchcard sample --today`). What is written is dated by it.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a practice file whole: SQLite's integrity and the ledger's rules.
    /// A file the app would refuse is refused for the same reason; nothing is
    /// ever written. Exit code 0: all well; 1: problems found; 2: refused.
    Check {
        /// The practice file.
        file: PathBuf,
    },
    /// Write a generated practice: ten years of a busy solo practice (about
    /// 1,500 clients) times the scale, the same for the same seed and day.
    Sample {
        /// 1 is ten years of a busy practice; 0.1 a tenth of it; 100 a stress margin.
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The day the practice is generated up to (default: today), `YYYY-MM-DD`.
        #[arg(long)]
        today: Option<String>,
        /// The new practice file (refused if it exists).
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Check { file } => check(&file),
        Command::Sample {
            scale,
            seed,
            today,
            out,
        } => sample(scale, seed, today.as_deref(), &out),
    }
}

fn sample(scale: f64, seed: u64, today: Option<&str>, out: &Path) -> ExitCode {
    let started = std::time::Instant::now();
    match punchcard::sample::write_sample_file(
        out,
        punchcard::SampleSize::scale(scale, seed),
        today,
    ) {
        Ok(made) => {
            println!(
                "{}: {} clients, {} packages, {} sessions, written in {:.1?}.",
                out.display(),
                made.clients,
                made.packages,
                made.sessions,
                started.elapsed()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", out.display());
            ExitCode::from(2)
        }
    }
}

fn check(file: &Path) -> ExitCode {
    if std::fs::metadata(file).is_ok_and(|m| m.is_file() && m.len() == 0) {
        println!(
            "{}: empty. Punchcard will set up a new practice in it.",
            file.display()
        );
        return ExitCode::SUCCESS;
    }
    if !file.exists() {
        eprintln!("{}: no such file.", file.display());
        return ExitCode::from(2);
    }
    let store = match punchcard::Store::inspect(file) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("{}: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    let report = match store.check() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{}: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    println!(
        "{}: schema {}, {} clients, {} packages, {} ledger entries, {} payments.",
        file.display(),
        report.schema_version,
        report.clients,
        report.packages,
        report.ledger_entries,
        report.payments
    );
    if report.problems.is_empty() {
        println!("All well.");
        ExitCode::SUCCESS
    } else {
        for p in &report.problems {
            println!("Problem: {p}");
        }
        ExitCode::from(1)
    }
}
