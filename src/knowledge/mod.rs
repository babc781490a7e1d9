//! The knowledge base: `knowledge/**/*.md` files become [`Answer`]s.
//!
//! [`Knowledge::load`] reads a folder and returns every valid answer together with every
//! [`Problem`] found: a broken file never stops the others from being served, and when an earlier
//! snapshot is given, a file whose edit broke it keeps its last good version in service.
//! [`fingerprint`] tells a watcher when the folder changed. Indexing is left to `search`.

pub mod edit;
pub mod front_matter;
pub mod history;
pub mod issue;
pub mod markdown;
pub mod write;

pub use front_matter::Audience;
pub use issue::{Issue, Kind, TextIssue};
pub use write::RESERVED as RESERVED_WORDS;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// One typical answer, loaded from one file.
#[derive(Debug, Clone)]
pub struct Answer {
    /// Identifier from the file's path inside the folder, without `.md`: `printers/canon-2100`.
    pub slug: String,
    /// The file it came from.
    pub path: PathBuf,
    /// The typical question.
    pub title: String,
    /// Other phrasings of the question.
    pub questions: Vec<String>,
    /// Who it is for.
    pub audience: Audience,
    /// Topic words.
    pub tags: Vec<String>,
    /// Last review date.
    pub reviewed: chrono::NaiveDate,
    /// The body rendered and sanitized.
    pub html: String,
    /// The body as plain text, for search and snippets.
    pub text: String,
}

/// The labels an answer's text to say starts with.
pub const SAY_LABELS: &[&str] = &["Скажите клиенту:", "Say to the caller:"];

impl Answer {
    /// The text without the label it starts with («Скажите клиенту:»).
    pub fn text_without_label(&self) -> &str {
        without_say_label(&self.text)
    }

    /// What to say to the caller: the first block of the text, without its label.
    pub fn phrase(&self) -> &str {
        let text = self.text_without_label();
        text.split('\n').next().unwrap_or(text).trim()
    }
}

/// `text` without the label to say it starts with, if any.
pub fn without_say_label(text: &str) -> &str {
    SAY_LABELS
        .iter()
        .find_map(|l| text.strip_prefix(l))
        .map_or(text, str::trim_start)
}

/// Something wrong with one file of the folder, said so that an author can fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file (or the folder itself).
    pub path: PathBuf,
    /// 1-based line, where it applies.
    pub line: Option<usize>,
    /// What is wrong (said with the fix by `i18n`).
    pub issue: Issue,
}

impl Problem {
    /// What is wrong and the fix, in English (the command line's words).
    pub fn message(&self) -> String {
        self.issue.to_string()
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path.display(), line, self.issue),
            None => write!(f, "{}: {}", self.path.display(), self.issue),
        }
    }
}

/// A consistent snapshot of the answers, sorted by slug.
#[derive(Debug, Clone, Default)]
pub struct Knowledge {
    answers: Vec<Arc<Answer>>,
    by_slug: HashMap<String, usize>,
    /// What reading each file gave, by path, with the file's size and time then: a reload reads
    /// again only the files that changed, so one slow file never delays another's edit.
    read: HashMap<PathBuf, (FileStamp, ReadOutcome)>,
}

/// A file's size and modification time.
type FileStamp = (u64, Option<SystemTime>);

/// An answer, or the line and message of why a file is not one.
type ReadOutcome = Result<Arc<Answer>, (Option<usize>, Issue)>;

fn stamp_of(path: &Path) -> FileStamp {
    let meta = std::fs::metadata(path).ok();
    (
        meta.as_ref().map_or(0, |m| m.len()),
        meta.and_then(|m| m.modified().ok()),
    )
}

impl Knowledge {
    /// Builds a snapshot from answers; later duplicates of a slug are dropped.
    pub fn from_answers(mut answers: Vec<Arc<Answer>>) -> Knowledge {
        answers.sort_by(|a, b| a.slug.cmp(&b.slug));
        answers.dedup_by(|a, b| a.slug == b.slug);
        let by_slug = answers
            .iter()
            .enumerate()
            .map(|(i, a)| (a.slug.clone(), i))
            .collect();
        Knowledge {
            answers,
            by_slug,
            read: HashMap::new(),
        }
    }

    /// Loads every `*.md` file under `dir`. Problems are returned beside the answers; an answer
    /// whose file is now broken is taken from `previous` when it has it.
    pub fn load(dir: &Path, previous: Option<&Knowledge>) -> (Knowledge, Vec<Problem>) {
        let mut problems = Vec::new();
        let mut files = Vec::new();
        if !dir.is_dir() {
            problems.push(Problem {
                path: dir.to_path_buf(),
                line: None,
                issue: Issue::NoFolder,
            });
        }
        collect_files(dir, &mut files, &mut problems);
        files.sort();

        let mut answers: Vec<Arc<Answer>> = Vec::new();
        let mut read = HashMap::new();
        let mut by_slug: HashMap<String, PathBuf> = HashMap::new();
        let mut by_title: HashMap<String, PathBuf> = HashMap::new();
        for path in files {
            let slug = slug_of(dir, &path);
            let mut report = |line: Option<usize>, issue: Issue| {
                problems.push(Problem {
                    path: path.clone(),
                    line,
                    issue,
                });
            };
            if let Some(other) = by_slug.get(&slug) {
                report(
                    None,
                    Issue::SlugTaken {
                        slug: slug.clone(),
                        other: other.display().to_string(),
                    },
                );
                continue;
            }
            if !slug.chars().all(|c| slug_char(c) || c == '/') {
                let suggestion = suggest_slug(&slug);
                report(None, Issue::BadFileName { slug, suggestion });
                continue;
            }
            if let Some(word) = slug.split('/').find(|p| write::RESERVED.contains(p)) {
                let word = word.to_string();
                report(None, Issue::ReservedWord { word });
                continue;
            }
            let stamp = stamp_of(&path);
            let cached = previous
                .and_then(|k| k.read.get(&path))
                .filter(|(s, _)| *s == stamp && stamp.1.is_some())
                .map(|(_, outcome)| outcome.clone());
            let loaded = cached.unwrap_or_else(|| read_answer(&path, &slug).map(Arc::new));
            read.insert(path.clone(), (stamp, loaded.clone()));
            let answer = match loaded {
                Ok(answer) => answer,
                Err((line, issue)) => {
                    let kept = previous
                        .and_then(|k| k.get(&slug))
                        .filter(|a| a.path == path);
                    match kept {
                        Some(old) => {
                            report(line, Issue::KeptLastGood(Box::new(issue)));
                            Arc::clone(old)
                        }
                        None => {
                            report(line, issue);
                            continue;
                        }
                    }
                }
            };
            let title_key = markdown_key(&answer.title);
            if let Some(other) = by_title.get(&title_key) {
                let (title, other) = (answer.title.clone(), other.display().to_string());
                report(Some(2), Issue::TitleTaken { title, other });
                continue;
            }
            by_title.insert(title_key, path.clone());
            by_slug.insert(slug, path.clone());
            answers.push(answer);
        }
        let mut knowledge = Knowledge::from_answers(answers);
        knowledge.read = read;
        (knowledge, problems)
    }

    /// All answers, sorted by slug.
    pub fn answers(&self) -> &[Arc<Answer>] {
        &self.answers
    }

    /// Every answer's slug, in slug order.
    pub fn slugs(&self) -> Vec<String> {
        self.answers.iter().map(|a| a.slug.clone()).collect()
    }

    /// The answer with this slug.
    pub fn get(&self, slug: &str) -> Option<&Arc<Answer>> {
        self.by_slug.get(slug).map(|&i| &self.answers[i])
    }

    /// The answer whose title reads the same as `title` (case, `ё` and punctuation aside).
    pub fn with_title(&self, title: &str) -> Option<&Arc<Answer>> {
        let key = markdown_key(title);
        self.answers.iter().find(|a| markdown_key(&a.title) == key)
    }

    /// Number of answers.
    pub fn len(&self) -> usize {
        self.answers.len()
    }

    /// Whether there are no answers.
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }
}

fn markdown_key(title: &str) -> String {
    crate::text::words(title)
        .into_iter()
        .map(|w| w.text)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The largest answer file: a long answer is a few kilobytes.
pub const MAX_FILE_BYTES: u64 = 256 * 1024;

/// A file over the size limit: a problem of the whole file, at no line.
fn too_big(bytes: u64) -> (Option<usize>, Issue) {
    let issue = Issue::TooBig {
        kb: bytes.div_ceil(1024),
        max_kb: MAX_FILE_BYTES / 1024,
    };
    (None, issue)
}

fn read_answer(path: &Path, slug: &str) -> Result<Answer, (Option<usize>, Issue)> {
    let cannot_read = |e: std::io::Error| {
        let error = e.to_string();
        (None, Issue::CannotRead { error })
    };
    let size = std::fs::metadata(path).map_err(cannot_read)?.len();
    if size > MAX_FILE_BYTES {
        return Err(too_big(size));
    }
    let bytes = std::fs::read(path).map_err(cannot_read)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
        (Some(line), Issue::NotUtf8)
    })?;
    parse_answer(&text, path, slug)
}

/// An answer from a file's text: what `callfaq check` and the loader apply to every file, and
/// the editors' workbench to a text before it is written. The error is the 1-based line (where
/// it applies) and what is wrong.
pub fn parse_answer(text: &str, path: &Path, slug: &str) -> Result<Answer, (Option<usize>, Issue)> {
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(text.len() as u64));
    }
    let parsed = front_matter::parse(text).map_err(|e| (Some(e.line), e.issue))?;
    if let Err(deep) = markdown::check_shape(&parsed.body) {
        let line = parsed.body_line + parsed.body[..deep.offset].matches('\n').count();
        let max = markdown::MAX_NESTING;
        let issue = if deep.html {
            Issue::HtmlTooDeep { max }
        } else {
            Issue::MarkdownTooDeep { max }
        };
        return Err((Some(line), issue));
    }
    Ok(Answer {
        slug: slug.to_string(),
        path: path.to_path_buf(),
        title: parsed.front.title.trim().to_string(),
        questions: parsed.front.trimmed_questions(),
        audience: parsed.front.audience,
        tags: parsed.front.tags,
        reviewed: parsed.reviewed,
        html: markdown::render(&parsed.body),
        text: markdown::plain_text(&parsed.body),
    })
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<Problem>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if hidden {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect_files(&path, files, problems),
            Ok(_) if path.extension().is_some_and(|e| e == "md") => files.push(path),
            Ok(_) => {}
            Err(e) => problems.push(Problem {
                path,
                line: None,
                issue: Issue::CannotRead {
                    error: e.to_string(),
                },
            }),
        }
    }
}

/// The characters an answer's slug may have besides `/`: letters, digits, `-` and `_`.
fn slug_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_')
}

/// Whether `path` is made of slug characters only, in non-empty parts separated by `/` (the
/// editors' words allowed): an address under `/answers/` that could name an answer and a route.
pub fn slug_like(path: &str) -> bool {
    !path.is_empty()
        && path.len() <= 560
        && path.split('/').all(|part| {
            !part.is_empty() && part.len() <= MAX_SLUG_PART && part.chars().all(slug_char)
        })
}

/// Whether `slug` could be the slug of a served answer: folders and a file name of letters,
/// digits, `-` and `_`, separated by `/`, none empty and none a word the editors' pages use.
/// Such a slug always names a file inside the knowledge folder (no `..`, no absolute path, no
/// backslash), so every route checks it before any file is touched.
pub fn served_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 512
        && slug.split('/').all(|part| {
            !part.is_empty()
                && part.len() <= MAX_SLUG_PART
                && part.chars().all(slug_char)
                && !write::RESERVED.contains(&part)
        })
}

/// The longest part of a served slug, in bytes: a file or folder name holds 255 bytes, and a
/// file's name ends in `.md`. A longer one names no answer there could be (a 404, not a failed
/// write).
const MAX_SLUG_PART: usize = 252;

/// The slug of a file: its path inside the folder without `.md`, `/`-separated, lowercase.
pub fn slug_of(dir: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(dir).unwrap_or(path).with_extension("");
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_lowercase())
        .collect::<Vec<_>>()
        .join("/")
}

fn suggest_slug(slug: &str) -> String {
    let mut out = String::new();
    for c in slug.chars() {
        if c.is_alphanumeric() || c == '/' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Every answer file's path, size and modification time: what a watcher compares.
pub type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;

/// The folder's [`Fingerprint`] now.
pub fn fingerprint(dir: &Path) -> Fingerprint {
    let mut files = Vec::new();
    collect_files(dir, &mut files, &mut Vec::new());
    let mut out: Vec<_> = files
        .into_iter()
        .map(|p| {
            let meta = std::fs::metadata(&p).ok();
            let len = meta.as_ref().map_or(0, |m| m.len());
            let modified = meta.and_then(|m| m.modified().ok());
            (p, len, modified)
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn answer(title: &str) -> String {
        format!("+++\ntitle = \"{title}\"\naudience = \"all\"\nreviewed = 2026-11-01\n+++\n**Скажите клиенту:** {title}\n")
    }

    #[test]
    fn slug_comes_from_the_path() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "printers/Canon-2100.md", &answer("Canon"));
        let (k, problems) = Knowledge::load(dir.path(), None);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(k.get("printers/canon-2100").is_some());
    }

    #[test]
    fn broken_file_is_reported_and_the_rest_are_served() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "good.md", &answer("Хороший"));
        write(dir.path(), "broken.md", "no front matter\n");
        let (k, problems) = Knowledge::load(dir.path(), None);
        assert_eq!(k.len(), 1);
        assert_eq!(problems.len(), 1);
        let line = problems[0].to_string();
        assert!(line.contains("broken.md:1: "), "{line}");
    }

    #[test]
    fn duplicate_titles_are_reported_with_both_files() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.md", &answer("Сколько стоит?"));
        write(dir.path(), "b.md", &answer("сколько  стоит"));
        let (k, problems) = Knowledge::load(dir.path(), None);
        assert_eq!(k.len(), 1);
        assert!(problems[0].message().contains("a.md"), "{:?}", problems);
    }

    #[test]
    fn duplicate_slugs_differing_in_case_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "x/Price.md", &answer("Первый"));
        write(dir.path(), "x/price.md", &answer("Второй"));
        let (k, problems) = Knowledge::load(dir.path(), None);
        assert_eq!(k.len(), 1);
        assert!(
            problems[0].message().contains("slug `x/price`"),
            "{:?}",
            problems
        );
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = answer("Кодировка").into_bytes();
        bytes.extend_from_slice(b"\n\xff\xfe\n");
        std::fs::write(dir.path().join("enc.md"), bytes).unwrap();
        let (_, problems) = Knowledge::load(dir.path(), None);
        assert_eq!(problems[0].line, Some(8), "{problems:?}");
        assert!(problems[0].message().contains("UTF-8"));
    }

    #[test]
    fn broken_edit_keeps_the_last_good_version() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.md", &answer("Старый"));
        let (first, _) = Knowledge::load(dir.path(), None);
        write(dir.path(), "a.md", "+++\ntitle = \n");
        let (second, problems) = Knowledge::load(dir.path(), Some(&first));
        assert_eq!(second.get("a").unwrap().title, "Старый");
        assert!(
            problems[0].message().contains("last good version"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_reload_reads_only_the_files_that_changed() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.md", &answer("Первый"));
        write(dir.path(), "b.md", &answer("Второй"));
        let (first, _) = Knowledge::load(dir.path(), None);
        // Unchanged: the very same answer is served again, not a re-read copy.
        let (second, _) = Knowledge::load(dir.path(), Some(&first));
        assert!(Arc::ptr_eq(
            first.get("a").unwrap(),
            second.get("a").unwrap()
        ));
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(dir.path(), "b.md", &answer("Второй, исправленный"));
        let (third, _) = Knowledge::load(dir.path(), Some(&second));
        assert!(Arc::ptr_eq(
            second.get("a").unwrap(),
            third.get("a").unwrap()
        ));
        assert_eq!(third.get("b").unwrap().title, "Второй, исправленный");
    }

    #[test]
    fn a_file_over_the_size_limit_is_refused_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let big = answer("Большой") + &"слово ".repeat(50_000);
        write(dir.path(), "big.md", &big);
        let (k, problems) = Knowledge::load(dir.path(), None);
        assert!(k.is_empty());
        assert!(problems[0].message().contains("split it"), "{problems:?}");
    }

    #[test]
    fn deep_nesting_is_refused_on_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let deep = answer("Глубокий") + "\nобычный текст\n\n" + &">".repeat(40_000) + " x\n";
        write(dir.path(), "deep.md", &deep);
        let (k, problems) = Knowledge::load(dir.path(), None);
        assert!(k.is_empty());
        assert_eq!(problems[0].line, Some(10), "{problems:?}");
        assert!(problems[0].message().contains("flatten"), "{problems:?}");
    }

    #[test]
    fn missing_folder_is_a_problem() {
        let (k, problems) = Knowledge::load(Path::new("/nonexistent/callfaq"), None);
        assert!(k.is_empty());
        assert!(problems[0].message().contains("does not exist"));
    }
}
