//! What texts mean, for search and the typical questions: the sentence model (`encoder`), if
//! its file is there, and the vectors of every answer's title and phrasings, so that a question
//! finds an answer it shares no word with, from the first day, before any history; and the
//! static word vectors distilled from it (`encoder::words`), which weigh what a text means in
//! microseconds, on every keystroke.
//!
//! Vectors are computed once per text and kept in the database (`store::vectors`); the
//! embedding job computes what is missing in the background. Without the model file
//! everything here is empty and search goes by words and the linked history alone.

use crate::encoder::words::StaticVectors;
use crate::encoder::{self, Encoder, Vector};
use crate::knowledge::Knowledge;
use crate::store::Store;
use arc_swap::ArcSwap;
use std::path::Path;
use std::sync::Arc;

/// Texts encoded together in one pass of the model: enough for every weight read from
/// memory to serve many tokens, few enough for the pass to stay short.
pub const ENCODE_TOGETHER: usize = 16;

/// How sharply the answers decide: similarities are divided by this before a softmax over
/// answers.
const TEMPERATURE: f32 = 0.05;

/// How an answer's closeness to a query is read beside its centre's: the mean closeness of its
/// `closest` phrasings nearest the query, with the share `share` (the rest is the centre's).
/// The centre alone blurs an answer whose phrasings ask different things («не работает интернет
/// во всем офисе», «упал сервер», «не открывается 1С у всех»): a query close to one of them came
/// out closer to an answer whose phrasings all ask one thing. The closest phrasing alone trusts
/// one text too far («специалист может подъехать» went to the price of a visit for its phrasing
/// «выезд специалиста стоимость»). How they were chosen is in BENCHMARKS.md.
#[derive(Debug, Clone, Copy)]
pub struct Nearest {
    /// How many of an answer's phrasings, the closest to the query, are averaged (0: none).
    pub closest: usize,
    /// Their share of the answer's closeness, from 0 to 1.
    pub share: f32,
}

/// For the sentence model's vectors (a settled query): the two closest phrasings, one half.
pub const NEAREST_SENTENCE: Nearest = Nearest {
    closest: 2,
    share: 0.5,
};
/// For the static word vectors (a keystroke): the closest phrasing, 0.3 (the vector of a few
/// words is noisier; more cost the operators' own queries).
pub const NEAREST_TYPED: Nearest = Nearest {
    closest: 1,
    share: 0.3,
};

/// What every answer means: the centre of its title's and phrasings' vectors, and the
/// phrasings themselves. All vectors are first centred on the mean of every answer's
/// phrasings, which takes away what all questions share (the model's raw cosines sit in a
/// narrow band, about 0.7 to 0.95) and leaves what tells answers apart.
#[derive(Debug, Clone)]
pub struct AnswerVectors {
    mean: Vec<f32>,
    /// The phrasings `mean` is the mean of.
    texts: usize,
    by_answer: Vec<(String, Vector)>,
    /// Each answer's title and phrasings, centred, in the order of `by_answer`.
    phrasings: Vec<Vec<Vector>>,
    /// How its closest phrasings weigh ([`NEAREST_SENTENCE`]).
    nearest: Nearest,
    /// How close an asking of an answer comes to its closest answer at the least, but for a
    /// few ([`FIT_QUANTILE`] of them): below it a query is like none of the answers
    /// ([`AnswerVectors::fits`]); `None` with too few askings to tell.
    pub fit_floor: Option<f32>,
    /// How much to trust them, from 0 to 1: how much better than chance they found the
    /// answers of linked caller questions (1 before there is history to tell).
    pub trust: f32,
}

impl Default for AnswerVectors {
    fn default() -> AnswerVectors {
        AnswerVectors {
            mean: Vec::new(),
            texts: 0,
            by_answer: Vec::new(),
            phrasings: Vec::new(),
            nearest: Nearest {
                closest: 0,
                share: 0.0,
            },
            trust: 1.0,
            fit_floor: None,
        }
    }
}

/// The share of real askings allowed under the fit floor: a query less like its closest answer
/// than all but this share of the askings of answers (the answers' own phrasings, each measured
/// without itself, or linked caller questions once there are enough) fits none.
const FIT_QUANTILE: f32 = 0.10;
/// Fewest phrasings (of answers with two or more) that can set a fit floor.
const FIT_MIN_PHRASINGS: usize = 20;
/// Most phrasings the fit floor is measured on (each is compared with every phrasing).
const FIT_SAMPLE: usize = 600;

/// The fit floor of these closeness values of real askings, if there are enough.
fn floor_of(mut closeness: Vec<f32>) -> Option<f32> {
    if closeness.len() < FIT_MIN_PHRASINGS {
        return None;
    }
    closeness.sort_by(f32::total_cmp);
    Some(closeness[((closeness.len() as f32 * FIT_QUANTILE) as usize).min(closeness.len() - 1)])
}

/// Linked caller questions that measure the answers' vectors at most.
const CALIBRATION_LINKS: usize = 2_000;
/// Fewest linked questions that can tell.
const CALIBRATION_MIN: usize = 20;

/// A vector less `mean`, scaled to length one: what sets it apart from what all share.
pub fn centred(v: &[f32], mean: &[f32]) -> Vector {
    let mut c: Vector = v.iter().zip(mean).map(|(x, m)| x - m).collect();
    encoder::normalise(&mut c);
    c
}

impl AnswerVectors {
    fn build(per_answer: Vec<(String, Vec<Vector>)>, nearest: Nearest) -> AnswerVectors {
        // The sentence model's vectors, or the static word vectors' (fewer numbers).
        let dims = per_answer
            .iter()
            .find_map(|(_, vs)| vs.first())
            .map_or(encoder::DIMENSIONS, Vec::len);
        let mut mean = vec![0.0f32; dims];
        let mut n = 0usize;
        for (_, vs) in &per_answer {
            for v in vs {
                for (m, x) in mean.iter_mut().zip(v) {
                    *m += x;
                }
                n += 1;
            }
        }
        if n == 0 {
            return AnswerVectors::default();
        }
        mean.iter_mut().for_each(|m| *m /= n as f32);
        let by_answer = per_answer
            .into_iter()
            .filter(|(_, vs)| !vs.is_empty())
            .map(|(slug, vs)| {
                let vs: Vec<Vector> = vs.iter().map(|v| centred(v, &mean)).collect();
                let mut sum = vec![0.0f32; dims];
                for v in &vs {
                    for (c, x) in sum.iter_mut().zip(v) {
                        *c += x;
                    }
                }
                let mut centre = sum;
                encoder::normalise(&mut centre);
                ((slug, centre), vs)
            })
            .collect::<Vec<_>>();
        let (by_answer, phrasings): (Vec<(String, Vector)>, Vec<Vec<Vector>>) =
            by_answer.into_iter().unzip();
        let mut vectors = AnswerVectors {
            mean,
            texts: n,
            by_answer,
            phrasings,
            nearest,
            trust: 1.0,
            fit_floor: None,
        };
        vectors.fit_floor = floor_of(vectors.own_closeness());
        vectors
    }

    /// How close each of a sample of the answers' own phrasings (of answers with two or
    /// more) comes to its closest answer, its own answer measured without it (its centre
    /// without it, its other phrasings): as close as an asking of an answer the desk has
    /// comes, read as a query's closeness is read ([`AnswerVectors::closeness`]).
    fn own_closeness(&self) -> Vec<f32> {
        let askings: Vec<(usize, usize)> = self
            .phrasings
            .iter()
            .enumerate()
            .filter(|(_, vs)| vs.len() >= 2)
            .flat_map(|(i, vs)| (0..vs.len()).map(move |k| (i, k)))
            .collect();
        // Evenly through them, at most FIT_SAMPLE: each is compared with every phrasing.
        let step = askings.len().div_ceil(FIT_SAMPLE).max(1);
        askings
            .iter()
            .step_by(step)
            .map(|&(i, k)| {
                let v = &self.phrasings[i][k];
                // The answer's centre without `v`: the sum of its other phrasings.
                let mut rest = vec![0.0f32; v.len()];
                for (_, p) in self.phrasings[i]
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != k)
                {
                    rest.iter_mut().zip(p).for_each(|(r, x)| *r += x);
                }
                encoder::normalise(&mut rest);
                let others = self.phrasings[i]
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != k)
                    .map(|(_, p)| p);
                let own = self.blend(encoder::dot(&rest, v), others, v, &mut Vec::new());
                self.closeness(v)
                    .into_iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, c)| c)
                    .fold(own, f32::max)
            })
            .collect()
    }

    /// An answer's closeness to a centred query: its centre's, and the mean of its
    /// phrasings closest to the query ([`Nearest`]); `near` is room to measure them in.
    fn blend<'a>(
        &self,
        centre: f32,
        phrasings: impl Iterator<Item = &'a Vector>,
        query: &[f32],
        near: &mut Vec<f32>,
    ) -> f32 {
        let Nearest { closest, share } = self.nearest;
        if closest == 0 || share <= 0.0 {
            return centre;
        }
        near.clear();
        near.extend(phrasings.map(|v| encoder::dot(v, query)));
        let k = closest.min(near.len());
        if k == 0 {
            return centre;
        }
        near.select_nth_unstable_by(k - 1, |a, b| b.total_cmp(a));
        let mean = near[..k].iter().sum::<f32>() / k as f32;
        (1.0 - share) * centre + share * mean
    }

    /// Each answer's closeness to a centred query, in the order of `by_answer`.
    fn closeness(&self, query: &[f32]) -> Vec<f32> {
        let mut near = Vec::new();
        self.by_answer
            .iter()
            .zip(&self.phrasings)
            .map(|((_, c), vs)| self.blend(encoder::dot(c, query), vs.iter(), query, &mut near))
            .collect()
    }

    /// The answer whose meaning is closest to the vector's, and how close (a cosine of the
    /// centred vectors).
    pub fn closest(&self, vector: &[f32]) -> Option<(&str, f32)> {
        let query = centred(vector, &self.mean);
        self.by_answer
            .iter()
            .zip(self.closeness(&query))
            .map(|((slug, _), c)| (slug.as_str(), c))
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// Whether a query with this vector is like one of the answers: as close to the closest
    /// as the answers' own phrasings come to theirs (the fit floor); `None` when there are too
    /// few phrasings to tell.
    pub fn fits(&self, vector: &[f32]) -> Option<bool> {
        let floor = self.fit_floor?;
        Some(self.closest(vector).is_some_and(|(_, c)| c >= floor))
    }

    /// How much better than chance the answers' own meaning finds the answers of these
    /// linked questions: `(accuracy − chance) / (1 − chance)`, between 0 and 1; 1 with too few.
    /// The same measures on the linked history: how much to trust the answers' vectors, and
    /// (with enough links) the fit floor from how close callers' real questions come.
    fn measured_on(mut self, links: &[(String, Vector)]) -> AnswerVectors {
        self.trust = self.trust_on(links);
        let linked = links
            .iter()
            .filter_map(|(_, v)| self.closest(v).map(|(_, c)| c))
            .collect();
        if let Some(floor) = floor_of(linked) {
            self.fit_floor = Some(floor);
        }
        self
    }

    fn trust_on(&self, links: &[(String, Vector)]) -> f32 {
        let n = self.by_answer.len();
        if links.len() < CALIBRATION_MIN || n < 2 {
            return 1.0;
        }
        let hits = links
            .iter()
            .filter(|(answer, v)| self.rank(v).first().is_some_and(|(best, _)| best == answer))
            .count();
        let accuracy = hits as f32 / links.len() as f32;
        let chance = 1.0 / n as f32;
        ((accuracy - chance) / (1.0 - chance)).clamp(0.0, 1.0)
    }
}

impl AnswerVectors {
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.by_answer.is_empty()
    }

    /// The mean vector of every answer's title and phrasings, and how many texts it is the
    /// mean of; `None` before they are encoded.
    pub fn mean(&self) -> Option<(&[f32], usize)> {
        (self.texts > 0).then_some((self.mean.as_slice(), self.texts))
    }

    /// How close each answer's meaning is to the vector's, as a probability over answers,
    /// best first.
    pub fn rank(&self, vector: &[f32]) -> Vec<(String, f32)> {
        let query = centred(vector, &self.mean);
        let mut out: Vec<(String, f32)> = self
            .by_answer
            .iter()
            .zip(self.closeness(&query))
            .map(|((slug, _), c)| (slug.clone(), c))
            .collect();
        if out.is_empty() {
            return out;
        }
        let mut scores: Vec<f32> = out.iter().map(|(_, s)| *s).collect();
        crate::numeric::softmax(&mut scores, TEMPERATURE);
        for ((_, s), p) in out.iter_mut().zip(scores) {
            *s = p;
        }
        out.sort_by(|a, b| b.1.total_cmp(&a.1));
        out
    }
}

/// The distinct texts of `texts` that `known` has no vector for, sorted: what is left to encode.
pub fn to_encode<'a>(
    texts: &'a [String],
    known: &std::collections::HashMap<String, Vector>,
) -> Vec<&'a str> {
    let mut missing: Vec<&str> = texts
        .iter()
        .filter(|t| !known.contains_key(*t))
        .map(String::as_str)
        .collect();
    missing.sort_unstable();
    missing.dedup();
    missing
}

/// The sentence model in service, the static word vectors and the answers' vectors.
pub struct Meaning {
    encoder: Option<Arc<Encoder>>,
    words: Option<Arc<StaticVectors>>,
    answers: ArcSwap<AnswerVectors>,
    /// The answers' titles and phrasings as the static word vectors read them: their meaning
    /// on every keystroke.
    typed: ArcSwap<AnswerVectors>,
}

impl std::fmt::Debug for Meaning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Meaning")
            .field("encoder", &self.encoder)
            .finish_non_exhaustive()
    }
}

/// The texts of an answer that stand for it: its title and its phrasings.
fn phrasings(knowledge: &Knowledge) -> Vec<(String, Vec<String>)> {
    knowledge
        .answers()
        .iter()
        .map(|a| {
            let mut texts = vec![a.title.clone()];
            texts.extend(a.questions.iter().cloned());
            (a.slug.clone(), texts)
        })
        .collect()
}

impl Meaning {
    /// With the model at `path`, or without one (a warning says why).
    pub fn open(path: &Path) -> Meaning {
        Meaning {
            encoder: encoder::load_or_warn(path).map(Arc::new),
            words: None,
            answers: ArcSwap::from_pointee(AnswerVectors::default()),
            typed: ArcSwap::from_pointee(AnswerVectors::default()),
        }
    }

    /// Without a model.
    pub fn none() -> Meaning {
        Meaning {
            encoder: None,
            words: None,
            answers: ArcSwap::from_pointee(AnswerVectors::default()),
            typed: ArcSwap::from_pointee(AnswerVectors::default()),
        }
    }

    /// With a loaded model (shared: one copy in memory for several apps, as in tests).
    pub fn with(encoder: Arc<Encoder>) -> Meaning {
        Meaning {
            encoder: Some(encoder),
            words: None,
            answers: ArcSwap::from_pointee(AnswerVectors::default()),
            typed: ArcSwap::from_pointee(AnswerVectors::default()),
        }
    }

    /// The same, with the static word vectors of the file at `path` (a warning says why
    /// when they cannot be read: keystrokes then weigh words and history alone).
    pub fn with_word_vectors_from(self, path: &Path) -> Meaning {
        match StaticVectors::load(path) {
            Ok(words) => {
                tracing::info!(path = %path.display(), "static word vectors loaded");
                self.with_word_vectors(Arc::new(words))
            }
            Err(e) => {
                tracing::warn!(
                    "the static word vectors are not available ({e:#}): keystrokes weigh words and the linked history alone; \
                     put the file at {} or pass --word-vectors",
                    path.display()
                );
                self
            }
        }
    }

    /// The same, with loaded static word vectors.
    pub fn with_word_vectors(mut self, words: Arc<StaticVectors>) -> Meaning {
        self.words = Some(words);
        self
    }

    /// The static word vectors, if loaded.
    pub fn word_vectors(&self) -> Option<Arc<StaticVectors>> {
        self.words.clone()
    }

    /// Whether the model is there.
    pub fn available(&self) -> bool {
        self.encoder.is_some()
    }

    /// The vector of a text, computed now (tens of milliseconds); `None` without the model.
    pub fn embed(&self, text: &str) -> Option<Vector> {
        self.encoder.as_ref().map(|e| e.embed(text))
    }

    /// The vectors of several texts, computed together ([`ENCODE_TOGETHER`] at a time);
    /// `None` without the model.
    pub fn embed_many(&self, texts: &[&str]) -> Option<Vec<Vector>> {
        let encoder = self.encoder.as_ref()?;
        Some(
            texts
                .chunks(ENCODE_TOGETHER)
                .flat_map(|part| encoder.embed_many(part))
                .collect(),
        )
    }

    /// The vectors of several texts on `threads` threads at most (a backlog, when the desk is
    /// idle); `None` without the model.
    pub fn embed_many_on(&self, texts: &[&str], threads: usize) -> Option<Vec<Vector>> {
        Some(self.encoder.as_ref()?.embed_many_on(texts, threads))
    }

    /// The answers' vectors in service.
    pub fn answers(&self) -> Arc<AnswerVectors> {
        self.answers.load_full()
    }

    /// The answers' static word vectors in service, for keystrokes (empty without the table).
    pub fn typed_answers(&self) -> Arc<AnswerVectors> {
        self.typed.load_full()
    }

    /// The static word vector of what has been typed so far; `None` without the table or
    /// when no piece of the text has a row.
    pub fn embed_typed(&self, text: &str) -> Option<Vector> {
        let v = self.words.as_ref()?.embed(text);
        v.iter().any(|&x| x != 0.0).then_some(v)
    }

    /// Puts the answers' static word vectors in service for `knowledge`, trusted as far as
    /// they find the answers of linked caller questions (measured on their words).
    fn refresh_typed(&self, store: &Store, knowledge: &Knowledge) -> anyhow::Result<()> {
        let Some(words) = &self.words else {
            return Ok(());
        };
        let per_answer = phrasings(knowledge)
            .into_iter()
            .map(|(slug, texts)| (slug, texts.iter().map(|t| words.embed(t)).collect()))
            .collect();
        let vectors =
            AnswerVectors::build(per_answer, NEAREST_TYPED).measured_on(&self.typed_links(store)?);
        self.typed.store(Arc::new(vectors));
        Ok(())
    }

    /// The newest linked caller questions' answers and static word vectors.
    fn typed_links(&self, store: &Store) -> anyhow::Result<Vec<(String, Vector)>> {
        let Some(words) = &self.words else {
            return Ok(Vec::new());
        };
        Ok(store
            .linked_with_vectors(CALIBRATION_LINKS)?
            .into_iter()
            .map(|l| (l.answer, words.embed(&l.text)))
            .collect())
    }

    /// Puts the answers' vectors in service for `knowledge`, from the database, encoding (and
    /// keeping) at most `budget` missing texts; returns how many are still missing. The
    /// answers' static word vectors are built again too.
    pub fn refresh_answers(
        &self,
        store: &Store,
        knowledge: &Knowledge,
        budget: usize,
    ) -> anyhow::Result<usize> {
        self.refresh_typed(store, knowledge)?;
        self.refresh_sentences(store, knowledge, budget)
    }

    /// The same for the answers' sentence vectors alone: what is left to do for knowledge
    /// whose static word vectors are in service already.
    pub fn refresh_sentences(
        &self,
        store: &Store,
        knowledge: &Knowledge,
        budget: usize,
    ) -> anyhow::Result<usize> {
        if self.encoder.is_none() {
            return Ok(0);
        }
        let wanted = phrasings(knowledge);
        let texts: Vec<String> = wanted.iter().flat_map(|(_, t)| t.iter().cloned()).collect();
        let mut known = store.vectors(&texts)?;
        let missing: Vec<&String> = texts.iter().filter(|t| !known.contains_key(*t)).collect();
        let missing: Vec<&str> = missing.iter().take(budget).map(|t| t.as_str()).collect();
        let vectors = self.embed_many(&missing).unwrap_or_default();
        let fresh: Vec<(String, Vector)> =
            missing.iter().map(|t| t.to_string()).zip(vectors).collect();
        if !fresh.is_empty() {
            store.save_vectors(&fresh, &[])?;
            known.extend(fresh);
        }
        let still = texts.iter().filter(|t| !known.contains_key(*t)).count();
        let per_answer = wanted
            .into_iter()
            .map(|(slug, texts)| {
                let vs = texts.iter().filter_map(|t| known.get(t).cloned()).collect();
                (slug, vs)
            })
            .collect();
        let vectors = AnswerVectors::build(per_answer, NEAREST_SENTENCE)
            .measured_on(&store.linked_vectors(CALIBRATION_LINKS)?);
        self.answers.store(Arc::new(vectors));
        Ok(still)
    }

    /// Measures again how much the answers' vectors are to be trusted, on the linked history.
    /// The answers' static word vectors are measured again likewise.
    pub fn calibrate(&self, store: &Store) -> anyhow::Result<f32> {
        let typed = (*self.typed_answers())
            .clone()
            .measured_on(&self.typed_links(store)?);
        self.typed.store(Arc::new(typed));
        let measured = (*self.answers())
            .clone()
            .measured_on(&store.linked_vectors(CALIBRATION_LINKS)?);
        let trust = measured.trust;
        self.answers.store(Arc::new(measured));
        Ok(trust)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A unit vector near axis `axis`, turned a little toward axis `axis + 1 + k`.
    fn near(axis: usize, k: usize, amount: f32) -> Vector {
        let mut v = vec![0.0f32; encoder::DIMENSIONS];
        v[axis] = 1.0;
        v[axis + 1 + k] = amount;
        encoder::normalise(&mut v);
        v
    }

    #[test]
    fn a_query_like_no_answer_fits_none_by_the_floor_the_answers_own_phrasings_set() {
        // Three answers, each with twelve phrasings around its own direction.
        let per_answer: Vec<(String, Vec<Vector>)> = (0..3)
            .map(|a| {
                let vs = (0..12).map(|k| near(a * 40, k, 0.3)).collect();
                (format!("answer-{a}"), vs)
            })
            .collect();
        let vectors = AnswerVectors::build(per_answer, NEAREST_SENTENCE);
        assert!(vectors.fit_floor.is_some());
        assert_eq!(vectors.fits(&near(40, 5, 0.25)), Some(true));
        assert_eq!(vectors.closest(&near(40, 5, 0.25)).unwrap().0, "answer-1");
        // A direction none of them has.
        assert_eq!(vectors.fits(&near(300, 0, 0.2)), Some(false));
        // Too few phrasings to tell.
        let few = AnswerVectors::build(vec![("a".into(), vec![near(0, 0, 0.1)])], NEAREST_SENTENCE);
        assert_eq!(few.fits(&near(0, 0, 0.1)), None);
    }

    #[test]
    fn a_query_like_one_of_an_answers_varied_phrasings_finds_that_answer() {
        let unit = |parts: &[(usize, f32)]| {
            let mut v = vec![0.0f32; encoder::DIMENSIONS];
            for &(axis, x) in parts {
                v[axis] = x;
            }
            encoder::normalise(&mut v);
            v
        };
        // «Авария»: five phrasings that ask different things, two of them like the query;
        // «Wi-Fi»: three that all ask one thing, leaning the query's way; and a third answer
        // far from both.
        let outage = [
            unit(&[(0, 1.0)]),
            unit(&[(0, 1.0), (2, 0.3)]),
            unit(&[(40, 1.0)]),
            unit(&[(80, 1.0)]),
            unit(&[(160, 1.0)]),
        ];
        let per_answer = vec![
            ("outage".to_string(), outage.to_vec()),
            (
                "wifi".to_string(),
                (0..3)
                    .map(|k| unit(&[(120, 1.0), (0, 1.5), (121 + k, 0.1)]))
                    .collect(),
            ),
            (
                "other".to_string(),
                (0..3).map(|k| unit(&[(200 + k, 1.0)])).collect(),
            ),
        ];
        let query = unit(&[(0, 1.0), (1, 0.2)]);
        // By the centres alone the answer whose phrasings all lean its way wins.
        let centres = Nearest {
            closest: 0,
            share: 0.0,
        };
        let by_centres = AnswerVectors::build(per_answer.clone(), centres);
        assert_eq!(by_centres.rank(&query)[0].0, "wifi");
        // With the closest phrasings weighed, the answer that has the query's own does, for a
        // settled query and a keystroke alike.
        for nearest in [NEAREST_SENTENCE, NEAREST_TYPED] {
            let vectors = AnswerVectors::build(per_answer.clone(), nearest);
            let ranked = vectors.rank(&query);
            assert_eq!(ranked[0].0, "outage", "{nearest:?}");
            assert_eq!(ranked[2].0, "other", "{nearest:?}");
        }
    }
}
