//! Writing answer files: the text of a file from its fields, in the shape a person writes it
//! (TOML front matter from `templates/answer.md`, then the markdown body), and saving it
//! atomically (a temporary file, fsync, rename) so that the watcher never reads half a file.

use super::Audience;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// The skeleton of a new answer, embedded from `templates/`.
pub const TEMPLATE: &str = include_str!("../../templates/answer.md");

/// The fields of an answer file.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The typical question.
    pub title: String,
    /// Callers' phrasings.
    pub questions: Vec<String>,
    /// Who it is for.
    pub audience: Audience,
    /// Topic words.
    pub tags: Vec<String>,
    /// When it was last checked.
    pub reviewed: NaiveDate,
    /// The markdown body; `None` takes the template's.
    pub body: Option<String>,
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn toml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| toml_string(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// The file text of a draft.
pub fn render(draft: &Draft) -> String {
    let (front, template_body) = TEMPLATE
        .split_once("\n+++\n")
        .expect("the answer template has front matter");
    let front = front
        .replace("{title}", &toml_string(draft.title.trim()))
        .replace("{questions}", &toml_list(&draft.questions))
        .replace("{audience}", &toml_string(draft.audience.as_str()))
        .replace("{tags}", &toml_list(&draft.tags))
        .replace("{reviewed}", &draft.reviewed.to_string());
    let body = draft.body.as_deref().unwrap_or(template_body);
    format!("{front}\n+++\n{}\n", body.trim_end())
}

/// Writes `text` to `path` atomically: a temporary file beside it, synced, renamed over.
pub fn save_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    crate::numeric::write_atomically(path, |f| f.write_all(text.as_bytes()))
}

/// The file of a new answer `slug` in `dir`; an error when one exists already.
pub fn create(dir: &Path, slug: &str, text: &str) -> std::io::Result<PathBuf> {
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} exists", path.display()),
        ));
    }
    save_atomically(&path, text)?;
    Ok(path)
}

/// Words an answer's path may not use as a file or folder name: the workbench's pages sit
/// after the slug (`/answers/{slug}/edit`).
pub const RESERVED: &[&str] = &[
    "edit", "history", "source", "retire", "rename", "reviewed", "restore",
];

/// The [`RESERVED`] word a slug uses as a file or folder name, if any.
pub fn reserved_part(slug: &str) -> Option<&'static str> {
    slug.split('/')
        .find_map(|part| RESERVED.iter().find(|w| **w == part).copied())
}

/// Whether a slug is one an answer file may have: lowercase Latin letters, digits and hyphens,
/// in folders separated by `/`, none of them a [`RESERVED`] word.
pub fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 120
        && slug.split('/').all(|part| {
            !part.is_empty()
                && !part.starts_with('-')
                && !RESERVED.contains(&part)
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

/// A slug proposed from a title: Russian letters spelled in Latin, other characters as
/// hyphens, at most 60 characters, cut at a word.
pub fn slug_from_title(title: &str) -> String {
    let mut out = String::new();
    for c in title.to_lowercase().chars() {
        let latin = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' => "i",
            'й' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ы' => "y",
            'ю' => "yu",
            'я' => "ya",
            'ъ' | 'ь' => "",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        out.push_str(latin);
    }
    let words: Vec<&str> = out.split('-').filter(|w| !w.is_empty()).collect();
    let mut slug = String::new();
    for w in words {
        if !slug.is_empty() && slug.len() + 1 + w.len() > 60 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&w[..w.len().min(60)]);
    }
    if slug.is_empty() {
        "answer".into()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Draft {
        Draft {
            title: "Можно ли оплатить \"картой\"?".into(),
            questions: vec!["оплата картой".into(), "принимаете ли карты".into()],
            audience: Audience::Primary,
            tags: vec![],
            reviewed: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            body: None,
        }
    }

    #[test]
    fn a_rendered_draft_parses_back_to_the_same_fields() {
        let text = render(&draft());
        let parsed = super::super::front_matter::parse(&text).unwrap();
        assert_eq!(parsed.front.title, "Можно ли оплатить \"картой\"?");
        assert_eq!(
            parsed.front.questions,
            ["оплата картой", "принимаете ли карты"]
        );
        assert_eq!(parsed.front.audience, Audience::Primary);
        assert!(parsed.body.starts_with("**Скажите клиенту:**"));
    }

    #[test]
    fn slugs_are_proposed_in_latin_and_checked() {
        assert_eq!(
            slug_from_title("Сколько стоит выезд инженера?"),
            "skolko-stoit-vyezd-inzhenera"
        );
        assert_eq!(slug_from_title("Wi-Fi в офисе"), "wi-fi-v-ofise");
        assert_eq!(slug_from_title("???"), "answer");
        assert!(slug_from_title(&"очень длинное слово ".repeat(20)).len() <= 60);
        assert!(valid_slug("printers/canon-2100"));
        assert!(
            !valid_slug("Принтер") && !valid_slug("a//b") && !valid_slug("../x") && !valid_slug("")
        );
    }

    #[test]
    fn creating_never_overwrites_an_answer() {
        let dir = tempfile::tempdir().unwrap();
        create(dir.path(), "a", "x").unwrap();
        assert!(create(dir.path(), "a", "y").is_err());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
            "x"
        );
    }
}
