//! A history learned at once: after an import (and in `callfaq eval`), everything the linked
//! questions teach is brought up to date before anyone searches, on every core, so that the
//! history counts from the first search: the word model and the keystroke model retrained when
//! the links changed beyond what is learned online, the sentence vectors of the linked
//! questions the meaning model trains on computed and kept, and the meaning model trained on
//! them. The rest of the history's vectors (for the grouping) are left to the embedding job.
//! A running server does the same in the background (`jobs::trainer`, `jobs::embedder`).

use crate::learn::{Learner, DENSE_LINKS};
use crate::meaning::Meaning;
use crate::signal::Stop;
use crate::store::Store;
use std::collections::HashMap;
use std::time::Instant;

/// Texts encoded and saved at a time.
const ENCODE_BATCH: usize = 256;

/// What was learned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Learned {
    /// Whether the word model (and the keystroke model) were trained again.
    pub retrained: bool,
    /// Linked questions given their sentence vector.
    pub encoded: usize,
    /// Seconds spent encoding them.
    pub encoding_seconds: f64,
    /// Whether the meaning model was trained again.
    pub meaning_trained: bool,
}

/// Brings the learned models up to date with the store's links, at once (see the module's
/// comment); `progress` hears how the encoding goes. Given up between steps when `stop` is
/// requested: what is saved stays, the rest is done by the server's jobs.
pub fn learn_history(
    store: &Store,
    learner: &Learner,
    meaning: &Meaning,
    answers: &[String],
    stop: &Stop,
    progress: &dyn Fn(usize, usize),
) -> anyhow::Result<Learned> {
    let mut learned = Learned::default();
    learner.catch_up(store, answers.len())?;
    let links = store.link_count()?;
    if learner.needs_training() || (learner.untrained() && links > 0) {
        learner.retrain(store, answers, stop)?;
        learned.retrained = true;
    } else if learner.keystroke_due() {
        learner.retrain_keystroke(store, answers, stop)?;
    }
    if !meaning.available() || stop.requested() {
        return Ok(learned);
    }
    let started = Instant::now();
    let waiting = store.unembedded_linked(DENSE_LINKS)?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for batch in waiting.chunks(ENCODE_BATCH) {
        if stop.requested() {
            return Ok(learned);
        }
        let texts: Vec<String> = batch.iter().map(|(_, t)| t.clone()).collect();
        let known = store.vectors(&texts)?;
        let missing = crate::meaning::to_encode(&texts, &known);
        let vectors = meaning.embed_many_on(&missing, cores).unwrap_or_default();
        let fresh: HashMap<String, Vec<f32>> =
            missing.iter().map(|t| t.to_string()).zip(vectors).collect();
        let ids: Vec<i64> = batch.iter().map(|(id, _)| *id).collect();
        store.save_vectors(&fresh.into_iter().collect::<Vec<_>>(), &ids)?;
        learned.encoded += batch.len();
        progress(learned.encoded, waiting.len());
    }
    learned.encoding_seconds = started.elapsed().as_secs_f64();
    if learned.encoded > 0 || (learner.dense().is_empty() && links > 0) {
        learner.retrain_dense(store, answers, stop)?;
        learned.meaning_trained = !stop.requested();
    }
    learner.save_if_changed()?;
    Ok(learned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::{calls, testing, Actor};
    use crate::calls::CallChanges;

    #[test]
    fn linked_questions_are_learned_at_once_and_not_again() {
        let t = testing::app();
        let op = Actor::person("anna", crate::accounts::Role::Operator);
        let call = calls::open(&t.app, &op, CallChanges::default()).unwrap();
        for text in [
            "сколько стоит заправка картриджа",
            "заправить картридж цена",
        ] {
            let fields = serde_json::json!({"text": text, "answer": "printer"});
            let q = calls::new_question(&t.app, fields.as_object().unwrap()).unwrap();
            calls::log_question(&t.app, &op, call.call.id, q).unwrap();
        }
        let answers = t.app.shelf.current().knowledge.slugs();
        let (store, learner, meaning) = (&t.app.store, &t.app.learner, &t.app.meaning);
        let stop = Stop::never();
        let first = learn_history(store, learner, meaning, &answers, &stop, &|_, _| {}).unwrap();
        assert!(first.retrained, "{first:?}");
        assert!(learner.model().trained_links >= 2);
        let again = learn_history(store, learner, meaning, &answers, &stop, &|_, _| {}).unwrap();
        assert!(!again.retrained, "nothing new to learn: {again:?}");
    }
}
