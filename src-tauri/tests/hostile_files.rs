//! Hostile files, opened by the real binary (`punchcard check FILE` goes
//! through the same recognition as the app's first open): each gets a clear
//! message, and the file — and the folder around it — is left untouched.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_punchcard-app");

struct Outcome {
    code: i32,
    said: String,
}

fn check(path: &Path) -> Outcome {
    let out = Command::new(BIN).arg("check").arg(path).output().unwrap();
    Outcome {
        code: out.status.code().unwrap_or(-1),
        said: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A real practice file (the sample, schema v1), copied to `to`.
fn practice(to: &Path) -> PathBuf {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/schema-v1.sqlite3");
    std::fs::copy(fixture, to).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    to.to_path_buf()
}

fn sqlite(path: &Path, sql: &str) -> PathBuf {
    rusqlite::Connection::open(path)
        .unwrap()
        .execute_batch(sql)
        .unwrap();
    path.to_path_buf()
}

/// Runs `check` on the file and asserts the outcome, the message and that
/// nothing was touched.
fn expect(path: &Path, code: i32, words: &str) {
    let dir = path.parent().unwrap();
    let before = std::fs::read(path).unwrap();
    let files = listing(dir);
    let out = check(path);
    let name = path.file_name().unwrap().to_string_lossy();
    assert_eq!(out.code, code, "{name}: {}", out.said);
    assert!(out.said.contains(words), "{name}: {}", out.said);
    for raw in ["SQLITE", "sqlite3_", "constraint", "malformed", "panicked"] {
        assert!(!out.said.contains(raw), "{name}: raw message: {}", out.said);
    }
    assert!(std::fs::read(path).unwrap() == before, "{name} was changed");
    assert_eq!(
        listing(dir),
        files,
        "{name}: files appeared or vanished beside it"
    );
}

#[test]
fn every_hostile_file_gets_a_clear_message_and_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut tried = 0;
    let mut case = |path: PathBuf, code: i32, words: &str| {
        expect(&path, code, words);
        tried += 1;
    };

    std::fs::write(d.join("zero.sqlite3"), b"").unwrap();
    case(d.join("zero.sqlite3"), 0, "empty");

    let noise: Vec<u8> = (0..65_536u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(d.join("noise.sqlite3"), &noise).unwrap();
    case(d.join("noise.sqlite3"), 2, "not a Punchcard practice");

    std::fs::write(d.join("text.sqlite3"), "name,balance\nAna,3\n").unwrap();
    case(d.join("text.sqlite3"), 2, "not a Punchcard practice");

    let whole = std::fs::read(practice(&d.join("whole.sqlite3"))).unwrap();
    std::fs::remove_file(d.join("whole.sqlite3")).unwrap();
    std::fs::write(d.join("truncated.sqlite3"), &whole[..whole.len() / 3]).unwrap();
    case(d.join("truncated.sqlite3"), 2, "damaged");
    std::fs::write(d.join("header-only.sqlite3"), &whole[..100]).unwrap();
    case(d.join("header-only.sqlite3"), 2, "damaged");

    case(
        sqlite(
            &d.join("app-tables.db"),
            "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hi');",
        ),
        2,
        "not a Punchcard practice",
    );
    case(
        sqlite(&d.join("app-id.db"), "PRAGMA application_id = 1234;"),
        2,
        "not a Punchcard practice",
    );
    case(
        sqlite(
            &d.join("app-version.db"),
            "CREATE TABLE t (x); PRAGMA user_version = 99;",
        ),
        2,
        "not a Punchcard practice",
    );
    case(
        sqlite(&d.join("app-view.db"), "CREATE VIEW v AS SELECT 1;"),
        2,
        "not a Punchcard practice",
    );
    case(
        sqlite(
            &d.join("app-wal.db"),
            "PRAGMA journal_mode = WAL; CREATE TABLE t (x); PRAGMA application_id = 7;",
        ),
        2,
        "not a Punchcard practice",
    );

    case(
        sqlite(&d.join("newer.sqlite3"), "CREATE TABLE future (x); PRAGMA user_version = 99; PRAGMA application_id = 1347767875;"),
        2,
        "newer version of Punchcard",
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = practice(&d.join("read-only.sqlite3"));
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
        case(ro, 0, "36 clients");

        let folder = d.join("read-only folder");
        std::fs::create_dir(&folder).unwrap();
        let inside = practice(&folder.join("practice.sqlite3"));
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
        let before = std::fs::read(&inside).unwrap();
        let out = check(&inside);
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(out.code, 0, "{}", out.said);
        assert!(std::fs::read(&inside).unwrap() == before);
        tried += 1;
    }

    // Locked by another program: it holds the write lock the whole time.
    let locked = practice(&d.join("locked.sqlite3"));
    let other = rusqlite::Connection::open(&locked).unwrap();
    other
        .execute_batch("PRAGMA journal_mode = WAL; BEGIN IMMEDIATE;")
        .unwrap();
    let started = std::time::Instant::now();
    let out = check(&locked);
    assert_eq!(out.code, 2, "{}", out.said);
    assert!(
        out.said.contains("Another program is using"),
        "{}",
        out.said
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    other.execute_batch("ROLLBACK").unwrap();
    tried += 1;

    // A folder, and a path that does not exist.
    let out = check(d);
    assert_eq!(out.code, 2, "{}", out.said);
    let out = check(&d.join("missing.sqlite3"));
    assert_eq!(out.code, 2, "{}", out.said);
    assert!(!d.join("missing.sqlite3").exists());
    tried += 2;

    eprintln!("hostile files tried: {tried}");
}
