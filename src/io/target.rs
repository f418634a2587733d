//! Files the user picks to write (an export, a backup): checked against the
//! practice file before anything is written, and written whole or not at all.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::store::open::{lock_path, side_files};

/// A name made safe to suggest as a file name on every system: no folder
/// separators or characters Windows and macOS refuse, no control
/// characters, no leading dot, not empty, at most 100 characters
/// ("Anna/Tom Berg" → "Anna-Tom Berg").
pub fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let squeezed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed: String = squeezed
        .trim_matches(|c: char| c == '.' || c == ' ' || c == '-')
        .chars()
        .take(100)
        .collect();
    let trimmed = trimmed.trim_end().to_owned();
    if trimmed.is_empty() {
        "Punchcard".into()
    } else {
        trimmed
    }
}

fn refuse(message: &str) -> Error {
    Error::Conflict(message.to_owned())
}

const PRACTICE_FILE: &str = "That is your practice file (or one SQLite keeps beside it): writing there would destroy your practice. Pick another name or folder.";

/// Resolves links and relative parts of `path` without needing it to exist.
fn resolve(path: &Path) -> Result<PathBuf> {
    if path.as_os_str().is_empty() {
        return Err(refuse("Pick a file name to save to."));
    }
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    match std::fs::canonicalize(&absolute) {
        Ok(p) => Ok(p),
        Err(_) if std::fs::symlink_metadata(&absolute).is_ok() => Err(refuse(
            "That name is a link to a place that does not exist: pick another name.",
        )),
        Err(_) => {
            let name = absolute
                .file_name()
                .ok_or_else(|| refuse("Pick a file name, not a folder."))?;
            let parent = absolute.parent().unwrap_or(Path::new("/"));
            let parent = std::fs::canonicalize(parent)
                .map_err(|_| refuse("That folder does not exist: pick another place."))?;
            Ok(parent.join(name))
        }
    }
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// Is `path` (resolved) the practice file, one SQLite keeps beside it, or its lock?
pub(crate) fn is_practice(path: &Path, practice: &Path) -> bool {
    let Ok(target) = resolve(path) else {
        return false;
    };
    let practice = std::fs::canonicalize(practice).unwrap_or_else(|_| practice.to_path_buf());
    let mut forbidden = vec![practice.clone(), lock_path(&practice)];
    forbidden.extend(side_files(&practice));
    if forbidden.contains(&target) {
        return true;
    }
    matches!(
        (std::fs::metadata(&target), std::fs::metadata(&practice)),
        (Ok(t), Ok(p)) if same_file(&t, &p)
    )
}

/// Checks that `path` may be written for the user: never the practice file,
/// its `-wal`, `-shm` or `-journal`, or its lock (however the path is spelled:
/// links, `..`, hard links); only a regular file; never a read-only one.
/// Returns the resolved path to write.
pub(crate) fn check(path: &Path, practice: Option<&Path>) -> Result<PathBuf> {
    let target = resolve(path)?;
    if practice.is_some_and(|p| is_practice(&target, p)) {
        return Err(refuse(PRACTICE_FILE));
    }
    let existing = std::fs::metadata(&target).ok();
    if let Some(meta) = &existing {
        if meta.is_dir() {
            return Err(refuse("That is a folder: pick a file name inside it."));
        }
        if !meta.is_file() {
            return Err(refuse(
                "That is not an ordinary file (a device or a pipe): pick a file name.",
            ));
        }
        if meta.permissions().readonly() {
            return Err(refuse(
                "That file is read-only: pick another name, or make it writable first.",
            ));
        }
    }
    Ok(target)
}

/// How the temporary files of [`write_whole`] are named: `.punchcard-XXXXXX.part`
/// (SQLite writes a `-journal` beside one while it copies a practice into it).
const PART_PREFIX: &str = ".punchcard-";
const PART_SUFFIX: &str = ".part";

/// How long one of [`write_whole`]'s temporary files can go unchanged before
/// it counts as left behind by an app closed or stopped half-way through a
/// copy. A copy being written changes every moment; the longest wait after
/// it is the check of a 6.4 GB practice's copy (about 70 s).
const LEFT_BEHIND_AFTER: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Removes from `dir` the temporary files of [`write_whole`] left behind
/// (see [`LEFT_BEHIND_AFTER`]): an automatic copy of the whole practice,
/// stopped half-way at 100×, would otherwise keep gigabytes there for good.
pub(crate) fn remove_left_behind(dir: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with(PART_PREFIX) && name.contains(PART_SUFFIX)) {
            continue;
        }
        let idle = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok());
        if idle.is_some_and(|idle| idle > LEFT_BEHIND_AFTER) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Writes `target` through a temporary file in the same folder, synced and
/// renamed into place, so an existing file is replaced whole or not at all;
/// a file that is replaced keeps its permissions.
pub(crate) fn write_whole(
    target: &Path,
    fill: impl FnOnce(&Path, &mut std::fs::File) -> Result<()>,
) -> Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(PART_PREFIX)
        .suffix(PART_SUFFIX)
        .tempfile_in(dir)?;
    let tmp_path = tmp.path().to_path_buf();
    fill(&tmp_path, tmp.as_file_mut())?;
    tmp.as_file_mut().flush()?;
    tmp.as_file().sync_all()?;
    if let Ok(old) = std::fs::metadata(target) {
        std::fs::set_permissions(tmp.path(), old.permissions())?;
    }
    tmp.persist(target).map_err(|e| e.error)?;
    // The rename itself must survive a power cut.
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("Anna/Tom Berg", "Anna-Tom Berg")]
    #[case("Zoë Ångström-Núñez", "Zoë Ångström-Núñez")]
    #[case("a:b*c?d\"e<f>g|h\\i", "a-b-c-d-e-f-g-h-i")]
    #[case("..hidden", "hidden")]
    #[case("  tabs\tand\nnewlines  ", "tabs and newlines")]
    #[case("///", "Punchcard")]
    #[case("", "Punchcard")]
    fn names_are_made_safe_for_a_file(#[case] name: &str, #[case] expected: &str) {
        assert_eq!(safe_file_name(name), expected);
    }

    #[test]
    fn a_long_name_is_cut_to_a_hundred_characters() {
        assert_eq!(safe_file_name(&"é".repeat(300)).chars().count(), 100);
    }

    #[test]
    fn every_spelling_of_the_practice_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let practice = dir.path().join("practice.sqlite3");
        std::fs::write(&practice, b"x").unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&practice, dir.path().join("link.csv")).unwrap();
            std::fs::hard_link(&practice, dir.path().join("hard.csv")).unwrap();
        }
        for p in [
            practice.clone(),
            sub.join("../practice.sqlite3"),
            dir.path().join("practice.sqlite3-wal"),
            dir.path().join("practice.sqlite3-shm"),
            dir.path().join("practice.sqlite3-journal"),
            dir.path().join(".practice.sqlite3.lock"),
            #[cfg(unix)]
            dir.path().join("link.csv"),
            #[cfg(unix)]
            dir.path().join("hard.csv"),
        ] {
            let e = check(&p, Some(&practice)).unwrap_err();
            assert!(
                e.to_string().contains("practice file"),
                "{}: {e}",
                p.display()
            );
        }
        assert!(check(&dir.path().join("ok.csv"), Some(&practice)).is_ok());
    }

    #[test]
    fn folders_devices_and_read_only_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check(dir.path(), None)
            .unwrap_err()
            .to_string()
            .contains("folder"));
        #[cfg(unix)]
        assert!(check(Path::new("/dev/null"), None)
            .unwrap_err()
            .to_string()
            .contains("not an ordinary file"));
        let ro = dir.path().join("ro.csv");
        std::fs::write(&ro, b"keep").unwrap();
        let mut perms = std::fs::metadata(&ro).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&ro, perms).unwrap();
        assert!(check(&ro, None)
            .unwrap_err()
            .to_string()
            .contains("read-only"));
        assert!(check(&dir.path().join("missing/x.csv"), None)
            .unwrap_err()
            .to_string()
            .contains("does not exist"));
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.csv");
        std::fs::write(&out, b"old").unwrap();
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_whole(&out, |_, f| Ok(f.write_all(b"new")?)).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"new");
        assert_eq!(
            std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
            0o640
        );
        // A failure leaves the old file as it was, and no temporary file behind.
        let failed = write_whole(&out, |_, f| {
            f.write_all(b"half")?;
            Err(refuse("stop"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&out).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
