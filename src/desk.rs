//! The desk standard: the lists the call card offers (managers, topics) and the phrases of the
//! script the operator follows, with placeholders filled from the call.
//!
//! Both live in the data folder so that an admin can edit them: `desk.toml` and
//! `desk-script.md`, created with defaults at the first start (the script's default is
//! `templates/desk-script.md`, embedded in the binary).

use crate::calls::Call;
use anyhow::Context;
use serde::Deserialize;
use std::path::Path;

/// The default script, embedded from `templates/`.
pub const DEFAULT_SCRIPT: &str = include_str!("../templates/desk-script.md");

const DEFAULT_SETTINGS: &str = r#"# Lists the call card offers. Edit and restart the server.

# Sales managers a call can be transferred to, or who call back.
managers = ["Елена Смирнова", "Михаил Орлов", "Ольга Кузнецова", "Дмитрий Волков", "Анна Лебедева"]

# The one clarifying question of the desk standard: product group or region.
topics = ["Администрирование и аутсорсинг", "Принтеры и оборудование", "Консалтинг и аудит", "Программы и лицензии", "Ремонт и гарантия"]
"#;

/// The configurable lists of the desk.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DeskSettings {
    /// Sales managers.
    pub managers: Vec<String>,
    /// Topics of the clarifying question.
    pub topics: Vec<String>,
}

/// One phrase of the script.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    /// Its key (`greeting`, `ask_name`, ...).
    pub key: String,
    /// The text with `{placeholders}`.
    pub text: String,
}

/// The desk's lists and script.
#[derive(Debug, Clone)]
pub struct Desk {
    /// The lists.
    pub settings: DeskSettings,
    /// The phrases, in order.
    pub script: Vec<Phrase>,
}

impl Desk {
    /// Reads `desk.toml` and `desk-script.md` from the data folder, writing the defaults first
    /// when they are missing.
    pub fn load(data_dir: &Path) -> anyhow::Result<Desk> {
        let settings_path = data_dir.join("desk.toml");
        let script_path = data_dir.join("desk-script.md");
        for (path, default) in [
            (&settings_path, DEFAULT_SETTINGS),
            (&script_path, DEFAULT_SCRIPT),
        ] {
            if !path.exists() {
                std::fs::write(path, default)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
        }
        let text = std::fs::read_to_string(&settings_path)
            .with_context(|| format!("reading {}", settings_path.display()))?;
        let settings: DeskSettings = toml::from_str(&text).with_context(|| {
            format!(
                "{}: expected `managers = [...]` and `topics = [...]`",
                settings_path.display()
            )
        })?;
        let script = std::fs::read_to_string(&script_path)
            .with_context(|| format!("reading {}", script_path.display()))?;
        Ok(Desk {
            settings,
            script: parse_script(&script),
        })
    }

    /// The built-in defaults, for tests and tools.
    pub fn defaults() -> Desk {
        Desk {
            settings: toml::from_str(DEFAULT_SETTINGS).expect("default desk settings parse"),
            script: parse_script(DEFAULT_SCRIPT),
        }
    }

    /// The phrase with this key, filled in for the call.
    pub fn phrase(&self, key: &str, call: &Call, blank: &str) -> Option<String> {
        self.script
            .iter()
            .find(|p| p.key == key)
            .map(|p| fill(&p.text, call, blank))
    }
}

/// Splits the script into `## key` sections; lines starting with `#` before the first section
/// are comments.
pub fn parse_script(text: &str) -> Vec<Phrase> {
    let mut phrases: Vec<Phrase> = Vec::new();
    for line in text.lines() {
        if let Some(key) = line.strip_prefix("## ") {
            phrases.push(Phrase {
                key: key.trim().to_string(),
                text: String::new(),
            });
        } else if let Some(current) = phrases.last_mut() {
            if !line.trim().is_empty() {
                if !current.text.is_empty() {
                    current.text.push(' ');
                }
                current.text.push_str(line.trim());
            }
        }
    }
    phrases
}

/// Fills `{name}`, `{phone}`, `{company}`, `{topic}`, `{manager}` and `{operator}`; an unknown
/// value becomes `blank` (such as "…").
pub fn fill(text: &str, call: &Call, blank: &str) -> String {
    let value = |v: &Option<String>| v.clone().unwrap_or_else(|| blank.to_string());
    text.replace("{name}", &value(&call.name))
        .replace("{phone}", &value(&call.phone))
        .replace("{company}", &value(&call.company))
        .replace("{topic}", &value(&call.topic))
        .replace("{manager}", &value(&call.manager))
        .replace("{operator}", &value(&call.operator))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_script_has_the_standard_phrases_in_order() {
        let keys: Vec<String> = parse_script(DEFAULT_SCRIPT)
            .into_iter()
            .map(|p| p.key)
            .collect();
        assert_eq!(
            keys,
            [
                "greeting",
                "ask_name",
                "clarify",
                "transfer",
                "manager_out",
                "read_back",
                "goodbye"
            ]
        );
    }

    #[test]
    fn placeholders_are_filled_from_the_call() {
        let call = Call {
            id: 1,
            started_at: chrono::Utc::now(),
            ended_at: None,
            operator: None,
            kind: crate::calls::CallKind::Primary,
            potential_client: true,
            name: Some("Михаил".into()),
            phone: Some("234-56-78".into()),
            company: None,
            topic: None,
            outcome: None,
            manager: Some("Лена".into()),
            callback_due: None,
            notes: None,
        };
        assert_eq!(
            fill("{manager}? Звонит {name}, {company}", &call, "…"),
            "Лена? Звонит Михаил, …"
        );
    }

    #[test]
    fn defaults_are_written_once_and_then_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::load(dir.path()).unwrap();
        assert_eq!(desk.settings.managers.len(), 5);
        std::fs::write(
            dir.path().join("desk.toml"),
            "managers = [\"Лена\"]\ntopics = []\n",
        )
        .unwrap();
        assert_eq!(Desk::load(dir.path()).unwrap().settings.managers, ["Лена"]);
    }
}
