//! The one search entry: what a query finds among the answers, by their own text (typos,
//! prefixes, the other keyboard layout), by what the linked history taught, and, when it
//! should, by what the whole query means. The desk, the search page, a group's similar answers
//! and `callfaq eval` all search here; the placement of caller questions asks the same learned
//! ranking (`Learner::ranked`). Also the log of searches the desk's pages send.

use super::Result;
use crate::app::App;
use crate::calls::CallKind;
use crate::fields::{FieldError, FieldProblem};
use crate::library::SearchOptions;
use crate::search::SearchHit;
use crate::store::{Chosen, MAX_SEARCH_CHARS};
use std::time::Instant;

/// Hits a search returns unless asked for another number.
pub const DEFAULT_LIMIT: usize = 10;
/// Most hits one search may return.
pub const MAX_LIMIT: usize = 50;

/// How much of the query's meaning a search weighs.
#[derive(Debug, Clone, PartialEq)]
pub enum Meaning {
    /// A keystroke: words and history only, in microseconds.
    Typed,
    /// The operator stopped typing: the whole query is encoded by the sentence model (tens of
    /// milliseconds) when the model is there.
    Settled,
    /// A vector the caller has already (a group's phrasing encoded by the embedding job), or
    /// none.
    Given(Option<Vec<f32>>),
}

impl Meaning {
    /// [`Meaning::Settled`] when the operator stopped typing, else [`Meaning::Typed`].
    pub fn settled_if(settled: bool) -> Meaning {
        if settled {
            Meaning::Settled
        } else {
            Meaning::Typed
        }
    }
}

/// A search.
#[derive(Debug, Clone, PartialEq)]
pub struct Query<'a> {
    /// What was typed.
    pub text: &'a str,
    /// Hits wanted.
    pub limit: usize,
    /// Kind of the call being taken: answers for its audience are preferred.
    pub kind: Option<CallKind>,
    /// How much meaning counts.
    pub meaning: Meaning,
}

impl<'a> Query<'a> {
    /// A query as typed, the default number of hits, no call kind.
    pub fn typed(text: &'a str) -> Query<'a> {
        Query {
            text,
            limit: DEFAULT_LIMIT,
            kind: None,
            meaning: Meaning::Typed,
        }
    }
}

/// What a search found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Found {
    /// The query as received.
    pub query: String,
    /// Answers, best first.
    pub hits: Vec<SearchHit>,
    /// Time spent, in milliseconds.
    pub took_ms: f64,
    /// Whether the query's meaning was weighed.
    pub meaning: bool,
    /// Whether no answer fits: the query's meaning is less like any answer than nearly every
    /// real asking of an answer is ([`crate::meaning::AnswerVectors::fits`]), and the learned
    /// history has no answer for it either. Known only when the meaning was weighed.
    pub nothing_fits: bool,
    /// Whether the query has a word of its own to look for
    /// ([`crate::search::query::QueryPlan::has_words`]). A caller's opening being typed
    /// («Скажите, пожалуйста, а у ва») has none and looks for nothing: a screen that shows
    /// results keeps them until a word is typed, rather than empty or shuffle them.
    pub has_words: bool,
}

/// The learned ranking's share at which the history says an answer fits whatever the meaning
/// says.
const HISTORY_FITS: f32 = 0.5;

/// The text a settled search reads the query's meaning from: a query typed whole in the other
/// keyboard layout as the operator meant it ([`crate::library::Library::meant`]), and what a
/// typo means is what the word it stands for means ([`crate::library::Library::respelled`]).
pub fn meant(app: &App, library: &crate::library::Library, text: &str) -> String {
    let learner = Some(&*app.learner);
    let text = library
        .meant(text, learner)
        .unwrap_or_else(|| text.to_string());
    library.respelled(&text, learner).unwrap_or(text)
}

/// Searches the served answers. Never fails on the query's shape.
pub fn run(app: &App, query: &Query<'_>) -> Result<Found> {
    // A keystroke's search is what the operator waits for while typing: its thread asks the
    // scheduler for short turns, ahead of settled searches' encoder passes and the rest.
    let _hurry = matches!(query.meaning, Meaning::Typed).then(crate::signal::Hurry::now);
    let started = Instant::now();
    if !crate::search::query::QueryPlan::parse(query.text).has_words() {
        return Ok(Found {
            query: query.text.to_string(),
            hits: Vec::new(),
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            meaning: false,
            nothing_fits: false,
            has_words: false,
        });
    }
    let library = app.shelf.current();
    let text = query.text.trim();
    // What the query means is read from it respelled, once.
    let read = meant(app, &library, text);
    let read = read.as_str();
    let vector = match &query.meaning {
        Meaning::Typed => None,
        Meaning::Settled if text.is_empty() => None,
        // The encoder pass yields to keystrokes that wake meanwhile.
        Meaning::Settled => crate::signal::patiently(|| app.meaning.embed(read)),
        Meaning::Given(v) => v.clone(),
    };
    let answers = app.meaning.answers();
    // What the words mean by the static table: on a keystroke the meaning weighed, on a
    // settled query pooled with the sentence model's.
    let typed = app.meaning.embed_typed(read);
    let typed_answers = app.meaning.typed_answers();
    let options = SearchOptions {
        limit: query.limit.clamp(1, MAX_LIMIT),
        kind: query.kind,
    };
    let hits = library.search_meaning(
        query.text,
        &options,
        Some(&app.learner),
        vector.as_deref().map(|v| (v, &*answers)),
        typed.as_deref().map(|v| (v, &*typed_answers)),
    )?;
    let nothing_fits = match vector.as_deref() {
        Some(v) if answers.fits(v) == Some(false) => {
            let learned = app.learner.ranked(text, Some(v), library.knowledge.len());
            let top = learned.answers.first().map_or(0.0, |(_, p)| *p);
            top < HISTORY_FITS * learned.total
        }
        _ => false,
    };
    Ok(Found {
        query: query.text.to_string(),
        hits,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        meaning: vector.is_some(),
        nothing_fits,
        has_words: true,
    })
}

/// A search as a page or a program asks for it, each field checked: what was typed, how many
/// hits (`limit`), the kind of the call being taken (`primary` | `secondary`), and whether the
/// operator stopped typing (`settled`: `1` | `true`, `0` | `false`).
pub fn asked<'a>(
    text: &'a str,
    limit: Option<&str>,
    kind: Option<&str>,
    settled: Option<&str>,
) -> Result<Query<'a>> {
    let limit = limit_field(limit)?;
    let kind = match kind {
        None | Some("") => None,
        Some(word) => Some(CallKind::parse(word).ok_or_else(|| {
            FieldError::new("kind", FieldProblem::ExpectedOneOf(CallKind::WORDS))
        })?),
    };
    let settled = match settled {
        None | Some("") | Some("0") | Some("false") => false,
        Some("1") | Some("true") => true,
        Some(_) => return Err(FieldError::new("settled", FieldProblem::ExpectedBool).into()),
    };
    let meaning = Meaning::settled_if(settled);
    Ok(Query {
        text,
        limit,
        kind,
        meaning,
    })
}

/// The number of hits asked for (`limit`), checked.
pub fn limit_field(value: Option<&str>) -> Result<usize> {
    match value.map(str::trim) {
        None | Some("") => Ok(DEFAULT_LIMIT),
        Some(text) => text
            .parse::<usize>()
            .map(|n| n.clamp(1, MAX_LIMIT))
            .map_err(|_| {
                FieldError::new("limit", FieldProblem::ExpectedNumber(1, MAX_LIMIT)).into()
            }),
    }
}

/// A search as logged: lowercase, spaces collapsed, clipped.
pub fn normalize_logged(query: &str) -> String {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    crate::text::clip(&words.join(" "), MAX_SEARCH_CHARS).into_owned()
}

/// A search the desk ran, as it stood: its words, whether it found something, and what was
/// then done with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    /// What was searched.
    pub query: String,
    /// Whether anything was found.
    pub found: bool,
    /// What was then done with it.
    pub chosen: Option<Chosen>,
    /// The id of a search logged before (the same words), to record what was chosen on it.
    pub earlier: Option<i64>,
    /// The id of a pause in typing this search went on from (see [`refines`]): not counted
    /// on its own once this one is logged.
    pub refines: Option<i64>,
}

/// Whether the search `new` goes on from the logged pause `old` (both as logged): the same
/// words typed further (`принтер` → `принтер не печатает`), or with a slip near the end of
/// `old` mended on the way (`принтр` → `принтер не печатает`): at least four first letters, and
/// most of `old`, in common. A search typed anew is a search of its own.
pub fn refines(old: &str, new: &str) -> bool {
    if old == new || old.is_empty() {
        return false;
    }
    if new.starts_with(old) {
        return true;
    }
    let common = old
        .chars()
        .zip(new.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let len = old.chars().count();
    common >= 4 && common * 5 >= len * 3
}

/// Logs a search (or, for an earlier one with the same words, what was chosen); its id, and
/// whether the pause it [`Logged::refines`] was forgotten. Who the caller was is never logged.
pub fn log(app: &App, search: &Logged) -> Result<(i64, bool)> {
    let query = normalize_logged(&search.query);
    // Typed whole in the wrong keyboard layout, it is counted as meant, as a logged question is.
    let query = app
        .shelf
        .current()
        .meant(&query, Some(&app.learner))
        .unwrap_or(query);
    if query.is_empty() {
        return Err(FieldError::new("query", FieldProblem::Empty).into());
    }
    if let (Some(id), Some(chosen)) = (search.earlier, search.chosen) {
        if app.store.choose_search(id, &query, chosen)? {
            return Ok((id, false));
        }
    }
    // Only a pause (nothing chosen on it) that this search goes on from.
    let refined = match search.refines {
        Some(id) => app
            .store
            .logged_search(id)?
            .filter(|(old, chosen)| chosen.is_none() && refines(old, &query))
            .map(|_| id),
        None => None,
    };
    let id = app.store.log_search(
        &query,
        search.found,
        search.chosen,
        app.clock.now(),
        refined,
    )?;
    Ok((id, refined.is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::testing;

    #[test]
    fn a_typed_and_a_settled_query_find_the_answer_by_its_words() {
        let t = testing::app();
        let found = run(&t.app, &Query::typed("принтер")).unwrap();
        assert!(!found.meaning, "no model in this app");
        assert!(!found.hits.is_empty());
        let settled = Query {
            meaning: Meaning::Settled,
            limit: 1,
            ..Query::typed("принтер")
        };
        assert_eq!(run(&t.app, &settled).unwrap().hits.len(), 1);
        assert!(run(&t.app, &Query::typed("   ")).unwrap().hits.is_empty());
    }

    #[test]
    fn a_limit_is_a_number_in_range() {
        assert_eq!(limit_field(None).unwrap(), DEFAULT_LIMIT);
        assert_eq!(limit_field(Some("500")).unwrap(), MAX_LIMIT);
        assert!(limit_field(Some("many")).is_err());
    }

    #[test]
    fn a_search_is_logged_once_and_what_was_chosen_recorded_on_it() {
        let t = testing::app();
        let first = Logged {
            query: "  Цена   ЗАПРАВКИ ".into(),
            found: true,
            chosen: None,
            earlier: None,
            refines: None,
        };
        let (id, _) = log(&t.app, &first).unwrap();
        let chosen = Logged {
            chosen: Some(Chosen::Linked),
            earlier: Some(id),
            ..first.clone()
        };
        assert_eq!(log(&t.app, &chosen).unwrap(), (id, false));
        assert!(log(
            &t.app,
            &Logged {
                query: " ".into(),
                ..first
            }
        )
        .is_err());
    }

    #[test]
    fn a_search_goes_on_from_a_pause_typed_on_or_mended_near_its_end() {
        assert!(refines("принтер", "принтер не печатает"));
        assert!(refines("принтр", "принтер не печатает"));
        assert!(refines("где вы нах", "где вы находитесь"));
        assert!(!refines("принтер", "принтер"));
        assert!(!refines("цена", "счёт за ремонт"));
        assert!(!refines("wifi пароль", "wi-fi"));
        assert!(!refines("", "принтер"));
    }

    #[test]
    fn a_pause_the_search_went_on_from_counts_no_more_unless_something_was_chosen_on_it() {
        let t = testing::app();
        let now = t.app.clock.now();
        let day = chrono::Duration::days(1);
        let unchosen = || {
            let rows = t
                .app
                .store
                .searches(now - day, now + day, true, 10)
                .unwrap();
            let mut words: Vec<String> = rows.into_iter().map(|r| r.query).collect();
            words.sort();
            words
        };
        let pause = |query: &str, refines: Option<i64>| Logged {
            query: query.into(),
            found: true,
            chosen: None,
            earlier: None,
            refines,
        };
        // «принтр» paused, then typed on and linked: only the linked search is left, and it
        // was chosen.
        let (first, _) = log(&t.app, &pause("принтр", None)).unwrap();
        let linked = Logged {
            chosen: Some(Chosen::Linked),
            ..pause("принтер не печатает", Some(first))
        };
        assert!(log(&t.app, &linked).unwrap().1, "the pause forgotten");
        assert!(unchosen().is_empty(), "{:?}", unchosen());
        // A search typed anew leaves the pause counted.
        let (cost, _) = log(&t.app, &pause("сколько стоит", None)).unwrap();
        assert!(!log(&t.app, &pause("адрес офиса", Some(cost))).unwrap().1);
        assert_eq!(unchosen(), ["адрес офиса", "сколько стоит"]);
        // A search something was chosen on stays, whatever is typed after it.
        let (opened, _) = log(
            &t.app,
            &Logged {
                chosen: Some(Chosen::Opened),
                ..pause("заправка", None)
            },
        )
        .unwrap();
        assert!(
            !log(&t.app, &pause("заправка картриджа", Some(opened)))
                .unwrap()
                .1
        );
        let (words, chosen) = t.app.store.logged_search(opened).unwrap().unwrap();
        assert_eq!((words.as_str(), chosen), ("заправка", Some(Chosen::Opened)));
    }
}
