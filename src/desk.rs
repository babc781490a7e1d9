//! The desk standard: the lists the call card offers (managers, topics) and the phrases of the
//! script the operator follows, with placeholders filled from the call.
//!
//! Both live in the data folder so that an admin can edit them: `desk.toml` and
//! `desk-script.md`, created with defaults in the interface's language at the first start (the
//! script's defaults are `templates/desk-script.md` and `templates/desk-script.en.md`, embedded
//! in the binary).

use crate::callbacks::hours::WorkingHours;
use crate::calls::Call;
use crate::i18n::Lang;
use crate::notices::NoticeSettings;
use crate::pbx::settings::PbxSettings;
use anyhow::Context;
use serde::Deserialize;
use std::path::Path;

/// The default script, embedded from `templates/`.
pub const DEFAULT_SCRIPT: &str = include_str!("../templates/desk-script.md");
/// The default script of an English desk (`--lang en`).
pub const DEFAULT_SCRIPT_EN: &str = include_str!("../templates/desk-script.en.md");

/// `desk.toml` as written at the first start; `{topics}`, `{domain}` and `{exchange}` are
/// filled in the interface's language ([`default_settings`]).
const SETTINGS_TEMPLATE: &str = r#"# The desk's settings. Edit and restart the server.
# Managers are accounts (role `manager`, added on /admin or with `callfaq user add`).

# The one clarifying question of the desk standard: product group or region.
topics = [{topics}]

# The answers «Часто спрашивают» on the desk offers first, in this order, while the history
# is too thin to say what callers ask most (each by its file name in knowledge/, without .md;
# each shown on calls of its audience; answers not in the folder are left out).
starting_answers = [{starting}]

# When the desk works (the desk's time zone): callbacks fall due in working time.
[hours]
start = "09:00"
end = "18:00"
days = ["mon", "tue", "wed", "thu", "fri"]
# Public holidays the desk is closed on, and weekend days it works in exchange (the year's
# production calendar): a callback promised before them falls due after them.
# holidays = [2027-01-01, 2027-01-04, 2027-01-05, 2027-01-06, 2027-01-07, 2027-01-08]
# extra_days = []

[callbacks]
# Working hours past due after which the heads are told of a callback not made.
escalate_after_hours = 2
# A call the phone exchange reports missed becomes a callback, owned by the caller's manager,
# else by the manager on duty (a login), else by nobody (the heads give it out).
# manager_on_duty = "mikhail"
# Numbers whose missed calls make no callback (the office's own, known spam).
# ignore_numbers = ["+7 495 000-00-00"]
# Whether a call that ended in the voice menu, before any phone rang, is missed too.
# voice_menu_is_missed = false

# Notices about callbacks. E-mail (the password in CALLFAQ_SMTP_PASSWORD):
# [notices.email]
# host = "smtp.{domain}"
# port = 587
# security = "starttls"   # starttls | tls | none
# from = "callfaq@{domain}"
# user = "callfaq@{domain}"
#
# A signed JSON POST for a messenger bridge or a CRM (the secret in CALLFAQ_WEBHOOK_SECRET):
# [notices.webhook]
# url = "https://bridge.{domain}/callfaq"

# {exchange}: which ones may post calls (see the README, "Connecting the phone
# exchange"). Secrets come from the environment: CALLFAQ_ZADARMA_SECRET, CALLFAQ_MANGO_KEY and
# CALLFAQ_MANGO_SALT, CALLFAQ_ITOOLABS_TOKEN. Asterisk: `callfaq serve --ami HOST:PORT`.
[pbx]
adapters = ["generic"]   # generic | zadarma | mango | itoolabs
# Ring a client's responsible manager first (Zadarma), for this many seconds.
route_to_manager = false
ring_manager_seconds = 20
"#;

/// The shipped answers a new desk's «Часто спрашивают» offers first: what first-time callers
/// ask most (a visit's price, outsourcing, the price list), then what clients do (an outage, a
/// printer, a repair's status), then everyone (where the office is, its hours).
const STARTING_ANSWERS: &str = r#""engineer-visit-price", "it-outsourcing-office", "remote-admin-price", "price-list", "contract-signing", "report-outage", "printer-not-printing", "repair-status", "closing-documents", "engineer-visit-timing", "office-address", "support-hours""#;

/// The default `desk.toml` in `lang`: the same settings, the topics and examples in its words.
fn default_settings(lang: Lang) -> String {
    let (topics, domain, exchange) = match lang {
        Lang::Ru => (
            r#""Администрирование и аутсорсинг", "Принтеры и оборудование", "Консалтинг и аудит", "Программы и лицензии", "Ремонт и гарантия""#,
            "company.ru",
            "The phone exchange (АТС)",
        ),
        Lang::En => (
            r#""Administration and outsourcing", "Printers and equipment", "Consulting and audit", "Software and licences", "Repair and warranty""#,
            "company.com",
            "The phone exchange",
        ),
    };
    SETTINGS_TEMPLATE
        .replace("{topics}", topics)
        .replace("{starting}", STARTING_ANSWERS)
        .replace("{domain}", domain)
        .replace("{exchange}", exchange)
}

/// The desk's settings (`desk.toml`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DeskSettings {
    /// Managers' names of an earlier release: managers are accounts now, and the names found
    /// on calls are matched to them by display name; kept so that an old file still reads.
    #[serde(default)]
    pub managers: Vec<String>,
    /// Topics of the clarifying question (none: the card's list offers none). A file written
    /// by hand with only the sections it changes reads, every other setting at its default.
    #[serde(default)]
    pub topics: Vec<String>,
    /// The answers (slugs) the desk's «Часто спрашивают» offers first while history is thin.
    #[serde(default)]
    pub starting_answers: Vec<String>,
    /// When the desk works.
    #[serde(default)]
    pub hours: WorkingHours,
    /// How callbacks are chased.
    #[serde(default)]
    pub callbacks: CallbackSettings,
    /// How notices are sent.
    #[serde(default)]
    pub notices: NoticeSettings,
    /// Which phone exchanges may post calls, and whether callfaq routes them.
    #[serde(default)]
    pub pbx: PbxSettings,
}

/// `[callbacks]` of `desk.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CallbackSettings {
    /// Working hours past due after which every head is told.
    #[serde(default = "default_escalation")]
    pub escalate_after_hours: f64,
    /// The manager (a login) who owns a missed call's callback when the caller has none.
    #[serde(default)]
    pub manager_on_duty: Option<String>,
    /// Numbers whose missed calls make no callback (the office's own, known spam).
    #[serde(default)]
    pub ignore_numbers: Vec<String>,
    /// Whether a call that ended in the voice menu also becomes a callback.
    #[serde(default)]
    pub voice_menu_is_missed: bool,
}

fn default_escalation() -> f64 {
    2.0
}

impl Default for CallbackSettings {
    fn default() -> CallbackSettings {
        CallbackSettings {
            escalate_after_hours: default_escalation(),
            manager_on_duty: None,
            ignore_numbers: Vec::new(),
            voice_menu_is_missed: false,
        }
    }
}

/// One phrase of the script.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    /// Its key (`greeting`, `ask_name`, ...).
    pub key: String,
    /// The text with `{placeholders}`.
    pub text: String,
    /// Other ways to say it (lines starting with `| `), for when a value is not known yet:
    /// the first whose placeholders are all known is said.
    pub alternatives: Vec<String>,
}

impl Phrase {
    /// The ways to say it, in the order they are tried: the text, then its alternatives.
    pub fn ways(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.text).chain(&self.alternatives)
    }

    /// What to say on this call: the first of the text and its alternatives whose placeholders
    /// are all known; failing that, the text with each unknown value shown by `blank`.
    pub fn say(&self, call: &Call, blank: impl Fn(&str) -> String) -> String {
        self.ways()
            .find(|text| {
                PLACEHOLDERS
                    .iter()
                    .all(|(p, value)| !text.contains(p) || value(call).is_some())
            })
            .map(|text| fill(text, call, ""))
            .unwrap_or_else(|| fill_with(&self.text, call, blank))
    }
}

/// The names of the script's placeholders (`name` for `{name}`) with this call's values: what
/// a page needs to say the phrases again as the card's fields change.
pub fn placeholder_values(call: &Call) -> Vec<(&'static str, Option<String>)> {
    PLACEHOLDERS
        .iter()
        .map(|(p, value)| (&p[1..p.len() - 1], value(call)))
        .collect()
}

/// The placeholders of the script and where their values come from.
type Value = fn(&Call) -> Option<String>;
const PLACEHOLDERS: &[(&str, Value)] = &[
    ("{name}", |c| c.name.clone()),
    ("{phone}", |c| c.phone.clone()),
    ("{company}", |c| c.company.clone()),
    ("{topic}", |c| c.topic.clone()),
    ("{manager}", |c| c.manager.clone()),
    ("{operator}", |c| c.operator.clone()),
];

/// The desk's lists, in the data folder.
pub const SETTINGS_FILE: &str = "desk.toml";
/// The desk's script, in the data folder.
const SCRIPT_FILE: &str = "desk-script.md";

/// The desk's lists and script.
#[derive(Debug, Clone)]
pub struct Desk {
    /// The lists.
    pub settings: DeskSettings,
    /// The phrases, in order.
    pub script: Vec<Phrase>,
}

impl Desk {
    /// Writes `desk.toml` and `desk-script.md` into the data folder in `lang` where they are
    /// missing; a file already there, edited or not, is left as it is.
    pub fn write_defaults(data_dir: &Path, lang: Lang) -> anyhow::Result<()> {
        let settings = default_settings(lang);
        let script = match lang {
            Lang::Ru => DEFAULT_SCRIPT,
            Lang::En => DEFAULT_SCRIPT_EN,
        };
        for (name, default) in [(SETTINGS_FILE, settings.as_str()), (SCRIPT_FILE, script)] {
            let path = data_dir.join(name);
            if !path.exists() {
                std::fs::write(&path, default)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
        }
        Ok(())
    }

    /// Reads `desk.toml` and `desk-script.md` from the data folder, writing the (Russian)
    /// defaults first when they are missing; `callfaq serve` writes them in the interface's
    /// language before ([`Desk::write_defaults`]).
    pub fn load(data_dir: &Path) -> anyhow::Result<Desk> {
        Desk::write_defaults(data_dir, Lang::Ru)?;
        let settings_path = data_dir.join(SETTINGS_FILE);
        let script_path = data_dir.join(SCRIPT_FILE);
        let text = std::fs::read_to_string(&settings_path)
            .with_context(|| format!("reading {}", settings_path.display()))?;
        let settings: DeskSettings = toml::from_str(&text).with_context(|| {
            format!(
                "{}: expected `topics = [...]`, `[hours]`, `[callbacks]`, `[notices]`, `[pbx]` as in the file written at the first start",
                settings_path.display()
            )
        })?;
        if let Err(problem) = settings.hours.check() {
            anyhow::bail!("{}: [hours] {problem}", settings_path.display());
        }
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
            settings: toml::from_str(&default_settings(Lang::Ru))
                .expect("default desk settings parse"),
            script: parse_script(DEFAULT_SCRIPT),
        }
    }

    /// The phrase with this key, as said on this call ([`Phrase::say`]).
    pub fn phrase(&self, key: &str, call: &Call, blank: impl Fn(&str) -> String) -> Option<String> {
        self.script
            .iter()
            .find(|p| p.key == key)
            .map(|p| p.say(call, blank))
    }
}

/// Splits the script into `## key` sections; lines starting with `#` before the first section
/// are comments; within a section, a line starting with `| ` begins an alternative.
pub fn parse_script(text: &str) -> Vec<Phrase> {
    let mut phrases: Vec<Phrase> = Vec::new();
    for line in text.lines() {
        if let Some(key) = line.strip_prefix("## ") {
            phrases.push(Phrase {
                key: key.trim().to_string(),
                text: String::new(),
                alternatives: Vec::new(),
            });
        } else if let Some(current) = phrases.last_mut() {
            let line = line.trim();
            if let Some(other) = line.strip_prefix("| ") {
                current.alternatives.push(other.trim().to_string());
            } else if !line.is_empty() {
                let target = current.alternatives.last_mut().unwrap_or(&mut current.text);
                if !target.is_empty() {
                    target.push(' ');
                }
                target.push_str(line);
            }
        }
    }
    phrases
}

/// Fills `{name}`, `{phone}`, `{company}`, `{topic}`, `{manager}` and `{operator}`; an unknown
/// value becomes `blank` (such as "…").
pub fn fill(text: &str, call: &Call, blank: &str) -> String {
    fill_with(text, call, |_| blank.to_string())
}

/// The same, an unknown value shown by `blank` of its placeholder's name (`name` for `{name}`).
fn fill_with(text: &str, call: &Call, blank: impl Fn(&str) -> String) -> String {
    PLACEHOLDERS
        .iter()
        .fold(text.to_string(), |out, (placeholder, value)| {
            let shown =
                value(call).unwrap_or_else(|| blank(&placeholder[1..placeholder.len() - 1]));
            put(&out, placeholder, &shown)
        })
}

/// Quotation marks a value may carry of its own.
const QUOTES: &[char] = &['«', '»', '"', '„', '“', '”'];

/// `text` with `placeholder` replaced by `value`; a value in quotes of its own («ООО
/// «Ромашка»») drops the script's quotes around the placeholder (`компания «{company}»` says
/// «компания ООО «Ромашка»», not «компания «ООО «Ромашка»»»). `card.js` puts them so too.
fn put(text: &str, placeholder: &str, value: &str) -> String {
    let text = if value.contains(QUOTES) {
        text.replace(&format!("«{placeholder}»"), placeholder)
    } else {
        text.to_string()
    };
    text.replace(placeholder, value)
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
            contact_confirmed: false,
            callback_done_at: None,
        };
        assert_eq!(
            fill("{manager}? Звонит {name}, {company}", &call, "…"),
            "Лена? Звонит Михаил, …"
        );
        // A company named in quotes of its own is not quoted twice.
        let quoted = Call {
            company: Some("ООО «Ромашка»".into()),
            ..call.clone()
        };
        assert_eq!(
            fill("Звонит {name}, компания «{company}».", &quoted, "…"),
            "Звонит Михаил, компания ООО «Ромашка»."
        );
        let plain = Call {
            company: Some("Ромашка".into()),
            ..call
        };
        assert_eq!(
            fill("компания «{company}»", &plain, "…"),
            "компания «Ромашка»"
        );
    }

    fn call_with(name: Option<&str>, manager: Option<&str>) -> Call {
        Call {
            id: 1,
            started_at: chrono::Utc::now(),
            ended_at: None,
            operator: None,
            kind: crate::calls::CallKind::Primary,
            potential_client: true,
            name: name.map(str::to_string),
            phone: None,
            company: None,
            topic: None,
            outcome: None,
            manager: manager.map(str::to_string),
            callback_due: None,
            notes: None,
            contact_confirmed: false,
            callback_done_at: None,
        }
    }

    #[test]
    fn an_unknown_value_picks_the_alternative_that_reads_naturally() {
        let desk = Desk::defaults();
        let blank = |name: &str| format!("[{name}]");
        let known = desk
            .phrase("manager_out", &call_with(Some("Михаил"), None), blank)
            .unwrap();
        assert!(known.starts_with("Михаил, к сожалению"), "{known}");
        let unknown = desk
            .phrase("manager_out", &call_with(None, None), blank)
            .unwrap();
        assert!(unknown.starts_with("К сожалению"), "{unknown}");
        for phrase in &desk.script {
            let said = phrase.say(&call_with(None, None), blank);
            assert!(
                !said.contains('[') && !said.contains('{'),
                "{}: {said}",
                phrase.key
            );
        }
    }

    #[test]
    fn placeholder_values_name_each_placeholder_with_the_calls_value() {
        let values = placeholder_values(&call_with(Some("Михаил"), None));
        assert_eq!(values.len(), PLACEHOLDERS.len());
        assert!(values.contains(&("name", Some("Михаил".to_string()))));
        assert!(values.contains(&("manager", None)));
    }

    #[test]
    fn a_phrase_without_alternatives_shows_what_is_missing() {
        let script = parse_script("## transfer\n{manager}? Звонит {name}.\n");
        let said = script[0].say(&call_with(Some("Михаил"), None), |n| format!("[{n}]"));
        assert_eq!(said, "[manager]? Звонит Михаил.");
    }

    #[test]
    fn the_default_script_speaks_in_no_grammatical_gender() {
        for phrase in parse_script(DEFAULT_SCRIPT) {
            let all = std::iter::once(&phrase.text).chain(&phrase.alternatives);
            for text in all {
                for word in ["записала", "записал ", "рада", "рад ", "передала", "поняла"]
                {
                    assert!(!text.contains(word), "{}: {word}", phrase.key);
                }
            }
        }
    }

    #[test]
    fn the_starting_answers_written_at_the_first_start_are_shipped_answers() {
        let dir = tempfile::tempdir().unwrap();
        Desk::write_defaults(dir.path(), Lang::Ru).unwrap();
        let desk = Desk::load(dir.path()).unwrap();
        assert!(desk.settings.starting_answers.len() >= 8);
        let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        for slug in &desk.settings.starting_answers {
            assert!(shipped.join(format!("{slug}.md")).is_file(), "{slug}");
        }
    }

    #[test]
    fn an_english_desk_gets_english_lists_and_script_with_the_same_phrases() {
        let dir = tempfile::tempdir().unwrap();
        Desk::write_defaults(dir.path(), Lang::En).unwrap();
        let desk = Desk::load(dir.path()).unwrap();
        assert!(desk.settings.topics[0].starts_with("Administration"));
        assert_eq!(
            desk.settings.hours,
            crate::callbacks::hours::WorkingHours::default()
        );
        let keys = |script: &[Phrase]| script.iter().map(|p| p.key.clone()).collect::<Vec<_>>();
        assert_eq!(keys(&desk.script), keys(&parse_script(DEFAULT_SCRIPT)));
        let blank = |name: &str| format!("[{name}]");
        for phrase in &desk.script {
            let said = phrase.say(&call_with(None, None), blank);
            assert!(
                said.is_ascii() || said.contains('“'),
                "{}: {said}",
                phrase.key
            );
            assert!(
                !said.contains('[') && !said.contains('{'),
                "{}: {said}",
                phrase.key
            );
        }
        assert_eq!(
            desk.phrase("goodbye", &call_with(Some("Mike"), None), blank)
                .unwrap(),
            "Thank you very much, we will call you back. Goodbye, Mike!"
        );
        // Written once: a later Russian start leaves them as they are.
        Desk::write_defaults(dir.path(), Lang::Ru).unwrap();
        assert!(Desk::load(dir.path()).unwrap().settings.topics[0].starts_with("Administration"));
    }

    #[test]
    fn defaults_are_written_once_and_then_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::load(dir.path()).unwrap();
        assert_eq!(desk.settings.topics.len(), 5);
        assert_eq!(desk.settings.hours, WorkingHours::default());
        std::fs::write(
            dir.path().join("desk.toml"),
            "managers = [\"Лена\"]\ntopics = []\n",
        )
        .unwrap();
        assert_eq!(Desk::load(dir.path()).unwrap().settings.managers, ["Лена"]);
    }

    #[test]
    fn a_file_with_only_the_sections_it_changes_reads_the_rest_at_their_defaults() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("desk.toml"),
            "[pbx]\nadapters = [\"generic\"]\n[callbacks]\nmanager_on_duty = \"mikhail\"\n",
        )
        .unwrap();
        let settings = Desk::load(dir.path()).unwrap().settings;
        assert!(settings.topics.is_empty());
        assert_eq!(settings.hours, WorkingHours::default());
        assert_eq!(
            settings.callbacks.manager_on_duty.as_deref(),
            Some("mikhail")
        );
    }

    #[test]
    fn hours_no_desk_could_keep_are_refused_at_start_saying_why() {
        let dir = tempfile::tempdir().unwrap();
        for (hours, said) in [
            (
                "start = \"20:00\"\nend = \"08:00\"\ndays = [\"mon\"]",
                "end 08:00 is not after start 20:00",
            ),
            (
                "start = \"09:00\"\nend = \"09:00\"\ndays = [\"mon\"]",
                "end 09:00 is not after start 09:00",
            ),
            (
                "start = \"09:00\"\nend = \"18:00\"\ndays = []",
                "days is empty",
            ),
            (
                "start = \"09:00\"\nend = \"18:00\"\ndays = [\"mon\"]\nholidays = [2027-01-04]\nextra_days = [\"2027-01-04\"]",
                "2027-01-04 is both in holidays and in extra_days",
            ),
        ] {
            std::fs::write(
                dir.path().join("desk.toml"),
                format!("topics = []\n[hours]\n{hours}\n"),
            )
            .unwrap();
            let error = format!("{:#}", Desk::load(dir.path()).unwrap_err());
            assert!(
                error.contains("desk.toml: [hours] ") && error.contains(said),
                "{error}"
            );
        }
    }
}
