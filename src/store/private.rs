//! Files that hold callers' personal data are the office's alone: the data folder is created
//! `0700`, the database, its write-ahead log, backups and exports `0600`, on every path that
//! writes them, and tightened when an earlier release left them readable to others.
//! (Elsewhere than Unix these are no-ops: the folder's own permissions apply.)

use anyhow::{Context, Result};
use std::path::Path;

/// Creates `dir` (and its parents) if missing and makes `dir` itself readable by this user only.
pub fn folder(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating the data folder {}", dir.display()))?;
    restrict(dir, 0o700)
}

/// Creates `path` empty if missing, and makes it readable and writable by this user only:
/// a file SQLite then opens keeps that mode, and so do the log and journal it creates beside it.
pub fn file(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    restrict(path, 0o600)
}

/// Makes `path`, if it exists, readable and writable by this user only.
pub fn tighten(path: &Path) -> Result<()> {
    if path.exists() {
        restrict(path, 0o600)?;
    }
    Ok(())
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let current = std::fs::metadata(path)
        .with_context(|| format!("reading the permissions of {}", path.display()))?
        .permissions()
        .mode()
        & 0o777;
    if current != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("restricting {} to its owner", path.display()))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn restrict(_: &Path, _: u32) -> Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_folder_and_a_file_are_the_owners_alone_even_when_they_were_open() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data");
        folder(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        let path = dir.join("callfaq.sqlite3");
        std::fs::write(&path, b"kept").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        file(&path).unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(std::fs::read(&path).unwrap(), b"kept", "content kept");
        let fresh = dir.join("new");
        file(&fresh).unwrap();
        assert_eq!(mode(&fresh), 0o600);
    }
}
