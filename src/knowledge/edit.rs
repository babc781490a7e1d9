//! Changing answer files from the workbench: a file's text and its version (a fingerprint of
//! the text, what an edit form carries), the check a text must pass before it is written (the
//! same as `callfaq check`, and the title unique among the other answers), the front matter's
//! fields read back into a [`Draft`], and a line diff between two versions, compared as an
//! editor reads them ([`readable`]): each field by its name, a phrasing a line.
//!
//! Writing goes through [`super::write::save_atomically`]; what records a version and reloads
//! the library is `editing`.

use super::write::{self, Draft};
use super::Audience;
use super::{front_matter, parse_answer, Answer, Issue, Knowledge, Problem};
use std::path::{Path, PathBuf};

/// An answer file as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The slug.
    pub slug: String,
    /// The whole file.
    pub text: String,
    /// Its version.
    pub version: String,
}

/// The version of a text: 16 hex digits of its 64-bit FNV-1a hash. Two different texts getting
/// the same version by chance is not a worry at this size; it is not a defence against anyone.
pub fn version_of(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// An answer's fields as an editor typed them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerFields {
    /// The typical question.
    pub title: String,
    /// Callers' phrasings, one per line.
    pub questions: String,
    /// Who it is for.
    pub audience: Option<Audience>,
    /// Topics, comma-separated.
    pub tags: String,
    /// `YYYY-MM-DD`.
    pub reviewed: String,
    /// The markdown body.
    pub body: String,
}

impl AnswerFields {
    /// The fields of a submitted form (`title`, `questions`, `audience`, `tags`, `reviewed`,
    /// `body`), line ends as typed in a browser made plain.
    pub fn of_form(form: &std::collections::HashMap<String, String>) -> AnswerFields {
        let get = |k: &str| form.get(k).cloned().unwrap_or_default();
        AnswerFields {
            title: get("title"),
            questions: get("questions"),
            audience: Audience::parse(&get("audience")),
            tags: get("tags"),
            reviewed: get("reviewed"),
            body: get("body").replace("\r\n", "\n"),
        }
    }

    /// The fields of a draft.
    pub fn of_draft(draft: &Draft) -> AnswerFields {
        AnswerFields {
            title: draft.title.clone(),
            questions: draft.questions.join("\n"),
            audience: Some(draft.audience),
            tags: draft.tags.join(", "),
            reviewed: draft.reviewed.to_string(),
            body: draft.body.clone().unwrap_or_else(|| {
                write::TEMPLATE
                    .split_once("\n+++\n")
                    .map_or("", |(_, b)| b)
                    .trim_end()
                    .to_string()
            }),
        }
    }

    /// The fields of a file as written: its front matter, or (when that does not parse) the
    /// whole text in the body, to fix there.
    pub fn of_source(source: &Source) -> AnswerFields {
        match draft_of(&source.text) {
            Some(d) => AnswerFields {
                body: d.body.clone().unwrap_or_default(),
                ..AnswerFields::of_draft(&d)
            },
            None => AnswerFields {
                body: source.text.clone(),
                ..AnswerFields::default()
            },
        }
    }
}

/// The file of `slug` in the folder `dir`; `None` when `slug` could not name an answer file
/// inside it (`..`, an absolute path, a backslash: see [`super::served_slug`]).
pub fn path_of(dir: &Path, slug: &str) -> Option<PathBuf> {
    super::served_slug(slug).then(|| dir.join(format!("{slug}.md")))
}

/// The file of `slug` as it is on disk now; `None` when there is none (or `slug` names no file
/// inside `dir`). Bytes that are not UTF-8 are read as U+FFFD (the check then reports the
/// file; the history keeps what it can).
pub fn read(dir: &Path, slug: &str) -> std::io::Result<Option<Source>> {
    let Some(path) = path_of(dir, slug) else {
        return Ok(None);
    };
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            Ok(Some(Source {
                slug: slug.to_string(),
                version: version_of(&text),
                text,
            }))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// What a text needs to become the answer `slug` among `knowledge`: every problem, as `check`
/// reports it, or the answer.
pub fn check(
    knowledge: &Knowledge,
    dir: &Path,
    slug: &str,
    text: &str,
) -> Result<Answer, Vec<Problem>> {
    let path = dir.join(format!("{slug}.md"));
    let problem = |line: Option<usize>, issue: Issue| Problem {
        path: path.clone(),
        line,
        issue,
    };
    if !write::valid_slug(slug) {
        let slug = slug.to_string();
        return Err(vec![problem(None, Issue::BadSlug { slug })]);
    }
    let answer =
        parse_answer(text, &path, slug).map_err(|(line, issue)| vec![problem(line, issue)])?;
    if let Some(other) = knowledge
        .with_title(&answer.title)
        .filter(|a| a.slug != slug)
    {
        let (title, other) = (answer.title.clone(), other.path.display().to_string());
        return Err(vec![problem(Some(2), Issue::TitleTaken { title, other })]);
    }
    Ok(answer)
}

/// The fields of a file's text, for the edit form; `None` when its front matter cannot be read
/// (the form then starts from the text as it is, in the body).
pub fn draft_of(text: &str) -> Option<Draft> {
    let parsed = front_matter::parse(text).ok()?;
    Some(Draft {
        title: parsed.front.title.trim().to_string(),
        questions: parsed.front.trimmed_questions(),
        audience: parsed.front.audience,
        tags: parsed.front.tags.clone(),
        reviewed: parsed.reviewed,
        body: Some(parsed.body.trim_end().to_string()),
    })
}

/// `new` with the comments of `old`'s front matter, written there by hand: whole-line ones
/// (`# Ответственный: …`) at the end of `new`'s front matter, and one that ends a key's line
/// (`audience = "all"  # …`) on the same key's line. A save from the form's fields writes the
/// front matter afresh, and would drop them otherwise.
pub fn keep_comments(old: &str, new: &str) -> String {
    let mut whole: Vec<&str> = Vec::new();
    let mut trailing: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for line in front_lines(old) {
        if line.trim_start().starts_with('#') {
            whole.push(line);
        } else if let (Some((key, _)), Some(comment)) =
            (line.split_once('='), trailing_comment(line))
        {
            trailing.entry(key.trim()).or_insert(comment);
        }
    }
    if whole.is_empty() && trailing.is_empty() {
        return new.to_string();
    }
    let mut out = String::with_capacity(new.len() + 256);
    let mut fences = 0;
    for line in new.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if bare.trim() == "+++" {
            fences += 1;
            if fences == 2 {
                for comment in &whole {
                    out.push_str(comment);
                    out.push('\n');
                }
            }
        } else if fences == 1 && trailing_comment(bare).is_none() {
            let comment = bare
                .split_once('=')
                .and_then(|(key, _)| trailing.get(key.trim()));
            if let Some(comment) = comment {
                out.push_str(bare);
                out.push_str("  ");
                out.push_str(comment);
                out.push_str(&line[bare.len()..]);
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

/// The comment that ends a TOML line (`# …` after its value), outside any string.
fn trailing_comment(line: &str) -> Option<&str> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' => return Some(line[i..].trim_end()),
            None => {}
        }
    }
    None
}

/// The lines between a text's two `+++` fences.
fn front_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|line| line.trim_end_matches('\r'))
        .skip_while(|line| line.trim() != "+++")
        .skip(1)
        .take_while(|line| line.trim() != "+++")
}

/// The text with its `reviewed` date set to `day`, everything else as it was; `None` when the
/// front matter has no `reviewed` line.
pub fn with_reviewed(text: &str, day: chrono::NaiveDate) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    // 0: before the front matter, 1: inside it, 2: after it.
    let mut part = 0;
    let mut done = false;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if bare.trim() == "+++" && part < 2 {
            part += 1;
        } else if part == 1
            && !done
            && bare
                .split('=')
                .next()
                .is_some_and(|k| k.trim() == "reviewed")
        {
            let ending = &line[bare.len()..];
            let comment = bare.find(" #").map_or("", |i| &bare[i..]);
            out.push_str(&format!("reviewed = {day}{comment}{ending}"));
            done = true;
            continue;
        }
        out.push_str(line);
    }
    done.then_some(out)
}

/// What an answer's fields are called where its versions are compared, in the desk's language.
#[derive(Debug, Clone, Copy)]
pub struct FieldNames<'a> {
    /// The typical question.
    pub title: &'a str,
    /// The callers' phrasings.
    pub questions: &'a str,
    /// Who it is for.
    pub audience: &'a str,
    /// The name of each audience.
    pub audiences: [(Audience, &'a str); 3],
    /// Topic words.
    pub tags: &'a str,
    /// The review date.
    pub reviewed: &'a str,
    /// How a day is written (a `chrono` format: `%d.%m.%Y`).
    pub day_format: &'a str,
}

/// An answer file as an editor reads it to compare two versions: the title, audience, topics
/// and review date each on a line by its name, the callers' phrasings one a line, then the
/// text. One changed phrasing is then one changed line, not a changed list. The file as it is
/// when it does not parse (a version written by hand with a mistake).
pub fn readable(text: &str, names: &FieldNames<'_>) -> String {
    let Ok(parsed) = front_matter::parse(text) else {
        return text.to_string();
    };
    let front = &parsed.front;
    let audience = names
        .audiences
        .iter()
        .find(|(a, _)| *a == front.audience)
        .map_or(front.audience.as_str(), |(_, name)| name);
    let mut out = format!(
        "{}: {}\n{}: {}\n",
        names.title,
        front.title.trim(),
        names.audience,
        audience
    );
    if !front.tags.is_empty() {
        out.push_str(&format!("{}: {}\n", names.tags, front.tags.join(", ")));
    }
    out.push_str(&format!(
        "{}: {}\n",
        names.reviewed,
        parsed.reviewed.format(names.day_format)
    ));
    if !front.questions.is_empty() {
        out.push_str(&format!("{}:\n", names.questions));
        for q in front.trimmed_questions() {
            out.push_str(&format!("  · {q}\n"));
        }
    }
    out.push('\n');
    out.push_str(parsed.body.trim_start_matches(['\n', '\r']));
    out
}

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line<'a> {
    /// In both.
    Same(&'a str),
    /// Only in the old text.
    Removed(&'a str),
    /// Only in the new text.
    Added(&'a str),
}

/// Lines compared beyond the common start and end at most; past it, the middle shows as removed
/// then added (a file is at most 256 KB; this bounds the table to a few megabytes).
const MAX_DIFF_LINES: usize = 2_000;

/// The lines of `new` against `old`: the longest common subsequence of lines, the common start
/// and end taken off first.
pub fn diff<'a>(old: &'a str, new: &'a str) -> Vec<Line<'a>> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let start = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let end = a[start..]
        .iter()
        .rev()
        .zip(b[start..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[start..a.len() - end], &b[start..b.len() - end]);
    let mut out: Vec<Line<'a>> = a[..start].iter().map(|l| Line::Same(l)).collect();
    if am.len() > MAX_DIFF_LINES || bm.len() > MAX_DIFF_LINES {
        out.extend(am.iter().map(|l| Line::Removed(l)));
        out.extend(bm.iter().map(|l| Line::Added(l)));
    } else {
        // lengths[i][j]: the longest common subsequence of am[i..] and bm[j..].
        let (n, m) = (am.len(), bm.len());
        let mut lengths = vec![0u32; (n + 1) * (m + 1)];
        let at = |i: usize, j: usize| i * (m + 1) + j;
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lengths[at(i, j)] = if am[i] == bm[j] {
                    lengths[at(i + 1, j + 1)] + 1
                } else {
                    lengths[at(i + 1, j)].max(lengths[at(i, j + 1)])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                out.push(Line::Same(am[i]));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lengths[at(i + 1, j)] >= lengths[at(i, j + 1)]) {
                // Of two equally good paths, the old line goes first: a change reads − then +.
                out.push(Line::Removed(am[i]));
                i += 1;
            } else {
                out.push(Line::Added(bm[j]));
                j += 1;
            }
        }
    }
    out.extend(a[a.len() - end..].iter().map(|l| Line::Same(l)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "+++\ntitle = \"Сколько стоит?\"\naudience = \"all\"\nreviewed = 2026-01-10 # checked\n+++\n**Скажите клиенту:** 100 рублей.\n";

    #[test]
    fn a_version_changes_with_any_byte() {
        assert_eq!(version_of(TEXT), version_of(TEXT));
        assert_ne!(version_of(TEXT), version_of(&TEXT.replace("100", "101")));
        assert_eq!(version_of("").len(), 16);
    }

    #[test]
    fn the_review_date_is_set_and_nothing_else_moves() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let out = with_reviewed(TEXT, day).unwrap();
        assert_eq!(out, TEXT.replace("2026-01-10", "2026-12-02"));
        // A `reviewed` in the body is left alone.
        let body = "+++\ntitle = \"x\"\naudience = \"all\"\n+++\nreviewed = never\n";
        assert_eq!(with_reviewed(body, day), None);
    }

    #[test]
    fn a_diff_keeps_common_lines_and_marks_the_rest() {
        let old = "a\nb\nc\nd\n";
        let new = "a\nc\nd\ne\n";
        assert_eq!(
            diff(old, new),
            [
                Line::Same("a"),
                Line::Removed("b"),
                Line::Same("c"),
                Line::Same("d"),
                Line::Added("e")
            ]
        );
        assert_eq!(diff("", "x"), [Line::Added("x")]);
        assert!(diff(old, old).iter().all(|l| matches!(l, Line::Same(_))));
    }

    #[test]
    fn a_changed_line_reads_removed_then_added() {
        assert_eq!(
            diff("a\nold\nc\n", "a\nnew\nc\n"),
            [
                Line::Same("a"),
                Line::Removed("old"),
                Line::Added("new"),
                Line::Same("c")
            ]
        );
        assert_eq!(
            diff("x\ny\n", "p\nq\n"),
            [
                Line::Removed("x"),
                Line::Removed("y"),
                Line::Added("p"),
                Line::Added("q")
            ]
        );
    }

    #[test]
    fn a_draft_reads_back_the_front_matter() {
        let d = draft_of(TEXT).unwrap();
        assert_eq!(d.title, "Сколько стоит?");
        assert_eq!(d.body.as_deref(), Some("**Скажите клиенту:** 100 рублей."));
        assert!(draft_of("no front matter").is_none());
    }

    #[test]
    fn versions_compare_as_an_editor_reads_them() {
        let names = FieldNames {
            title: "Вопрос",
            questions: "Спрашивают",
            audience: "Для кого",
            audiences: [
                (Audience::Primary, "новым"),
                (Audience::Secondary, "старым"),
                (Audience::All, "всем"),
            ],
            tags: "Темы",
            reviewed: "Проверено",
            day_format: "%d.%m.%Y",
        };
        let old = "+++\ntitle = \"Сколько стоит?\"\nquestions = [\"цена\", \"почем\", \"стоимость\"]\naudience = \"all\"\ntags = [\"цены\"]\nreviewed = 2026-01-10\n+++\n**Скажите клиенту:** 100 рублей.\n";
        let new = old.replace("\"почем\"", "\"почём выйдет\"");
        let (a, b) = (readable(old, &names), readable(&new, &names));
        assert_eq!(
            a,
            "Вопрос: Сколько стоит?\nДля кого: всем\nТемы: цены\nПроверено: 10.01.2026\nСпрашивают:\n  · цена\n  · почем\n  · стоимость\n\n**Скажите клиенту:** 100 рублей.\n"
        );
        // One phrasing changed is one line removed and one added; no `+++` or TOML shown.
        let changed: Vec<Line<'_>> = diff(&a, &b)
            .into_iter()
            .filter(|l| !matches!(l, Line::Same(_)))
            .collect();
        assert_eq!(
            changed,
            vec![Line::Removed("  · почем"), Line::Added("  · почём выйдет")]
        );
        // A file that does not parse is compared as written.
        assert_eq!(readable("no front matter", &names), "no front matter");
    }
}
