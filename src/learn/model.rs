//! The learned ranking: a linear model per answer over the features of [`crate::text::features`],
//! trained on every caller question an operator linked to an answer, with its weights in an
//! inverted index (feature → answers), so that scoring a query is a walk over the postings of
//! its features whatever the number of caller questions.
//!
//! - **Training** ([`Model::train`]): multinomial logistic regression by averaged SGD, a
//!   constant step of 1, 10 to 30 epochs ([`EPOCHS`]) each in a fresh seeded order, no bias, no
//!   L2 term (the epoch count regularises); the deployed weights are the average of all steps (Polyak). Up to
//!   [`FULL_SOFTMAX`] answers every step scores every answer; beyond, a step scores the linked
//!   answer and the [`CANDIDATES`] best others by the weights of the previous epoch. Weights
//!   under [`PRUNE`] are dropped from the index.
//! - **Calibration**: scores become probabilities by `softmax(score / T)` over all answers of
//!   the knowledge base (an answer without postings scores 0); `T` is fitted on a held-out tenth
//!   of the phrasings (every link of one phrasing on one side), so that a probability means the
//!   same on a small desk and a large one, and a phrasing linked again and again does not
//!   vouch for words the model never saw.
//! - **Online**: a new link takes one plain SGD step on the live weights at once
//!   ([`Model::learn`]); a removed link subtracts exactly what that question added
//!   ([`Model::forget`]), kept per question as its coefficients over answers. A background
//!   retrain absorbs both.
//!
//! The recipe and its alternatives, measured on the shared sets, are in `BENCHMARKS.md`.
//!
//! Here the model and its scoring; `train` trains it (whole and online), `file` saves and
//! loads it.

use crate::numeric::Softmax;
use crate::text::features::{counts, idf_of, normalize, sublinear, FeatureId, Sparse};
use std::collections::HashMap;

pub use super::train::{CANDIDATES, EPOCHS, FULL_SOFTMAX, PRUNE, RATE, STEPS};

/// One training example: a caller question linked to an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The question's id.
    pub question: i64,
    /// The caller's words.
    pub text: String,
    /// The linked answer's slug.
    pub answer: String,
}

/// An answer's score for a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// The answer.
    pub slug: String,
    /// The raw linear score.
    pub score: f32,
    /// The calibrated probability among all answers.
    pub probability: f32,
}

/// The trained, servable model.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub(super) answers: Vec<String>,
    pub(super) by_slug: HashMap<String, u32>,
    pub(super) vocab: HashMap<FeatureId, u32>,
    pub(super) idf: Vec<f32>,
    pub(super) postings: Vec<Vec<(u32, f32)>>,
    pub(super) temperature: f32,
    /// Per question, what its steps added, over answers: `W += x ⊗ β`.
    pub(super) beta: HashMap<i64, Vec<(u32, f32)>>,
    /// The links version of the store this model reflects.
    pub version: u64,
    /// Links it was trained on.
    pub trained_links: usize,
    /// Texts its IDF was counted over: those links and the answers' own texts.
    pub(super) documents: usize,
    /// Links learned or forgotten online since.
    pub online_changes: usize,
}

impl Model {
    /// A model that knows nothing: every answer scores 0.
    pub fn empty() -> Model {
        Model {
            temperature: 1.0,
            ..Model::default()
        }
    }

    /// Whether it learned anything.
    pub fn is_empty(&self) -> bool {
        self.postings.is_empty()
    }

    /// Gives answer `old` the slug `new`, keeping its weights; `false` when the model does not
    /// know `old` or knows `new` already.
    pub fn rename_answer(&mut self, old: &str, new: &str) -> bool {
        if self.by_slug.contains_key(new) {
            return false;
        }
        let Some(i) = self.by_slug.remove(old) else {
            return false;
        };
        self.answers[i as usize] = new.to_string();
        self.by_slug.insert(new.to_string(), i);
        self.online_changes += 1;
        true
    }

    /// Answers the model has weights for.
    pub fn answers(&self) -> &[String] {
        &self.answers
    }

    /// The calibration temperature.
    pub fn temperature(&self) -> f32 {
        self.temperature
    }

    /// Postings in the index.
    pub fn postings_len(&self) -> usize {
        self.postings.iter().map(Vec::len).sum()
    }

    /// A text's vector over the features the model knows. Unknown features are dropped from
    /// it but still count in its length, weighed as if seen once: what the history never saw
    /// of a query («заправка картриджа» after one linked «сколько стоит аудит») is no match for
    /// anything, and the words it did see («сколько стоит») say only their share of it.
    pub fn vector(&self, text: &str) -> Sparse<u32> {
        let unseen = idf_of(self.documents as u32, 1);
        let mut unknown = 0.0;
        let mut v: Sparse<u32> = counts(text)
            .into_iter()
            .filter_map(|(f, tf)| match self.vocab.get(&f) {
                Some(&i) => Some((i, sublinear(tf) * self.idf[i as usize])),
                None => {
                    unknown += (sublinear(tf) * unseen).powi(2);
                    None
                }
            })
            .collect();
        let known: f32 = v.iter().map(|(_, x)| x * x).sum();
        let norm = (known + unknown).sqrt();
        if norm > 0.0 {
            for (_, x) in v.iter_mut() {
                *x /= norm;
            }
        }
        v
    }

    /// A text's vector, new features added to the vocabulary as if seen once: an online link
    /// may bring words no linked question had.
    pub(super) fn vector_growing(&mut self, text: &str) -> Sparse<u32> {
        let idf_new = idf_of(self.documents as u32, 1);
        let mut v: Sparse<u32> = counts(text)
            .into_iter()
            .map(|(f, tf)| {
                let next = self.vocab.len() as u32;
                let i = *self.vocab.entry(f).or_insert(next);
                if i as usize == self.idf.len() {
                    self.idf.push(idf_new);
                    self.postings.push(Vec::new());
                }
                (i, sublinear(tf) * self.idf[i as usize])
            })
            .collect();
        normalize(&mut v);
        v
    }

    /// Whether the model knows a feature.
    pub fn knows(&self, feature: FeatureId) -> bool {
        self.vocab.contains_key(&feature)
    }

    pub(super) fn raw_scores(&self, v: &Sparse<u32>) -> Vec<(u32, f32)> {
        let mut scores: HashMap<u32, f32> = HashMap::new();
        for &(f, x) in v {
            for &(a, w) in &self.postings[f as usize] {
                *scores.entry(a).or_insert(0.0) += x * w;
            }
        }
        let mut out: Vec<(u32, f32)> = scores.into_iter().collect();
        // A fixed order, so that sums over answers come out the same every time.
        out.sort_unstable_by_key(|e| e.0);
        out
    }

    /// The answers a text scores for, best first, with their probability among `answers_total`
    /// answers (the knowledge base's size: answers without postings score 0).
    pub fn rank(&self, text: &str, answers_total: usize) -> Vec<Scored> {
        self.rank_vector(&self.vector(text), answers_total)
    }

    /// The same for a text's vector ([`Model::vector`]).
    pub fn rank_vector(&self, v: &Sparse<u32>, answers_total: usize) -> Vec<Scored> {
        if v.is_empty() {
            return Vec::new();
        }
        let raw = self.raw_scores(v);
        let t = self.temperature.max(1e-3);
        // The answers without a score, and "none of them", which scores 0 too.
        let unscored = answers_total.saturating_sub(raw.len()) as f32 + 1.0;
        let softmax = Softmax::over(raw.iter().map(|(_, s)| *s), unscored, t);
        let mut out: Vec<Scored> = raw
            .into_iter()
            .map(|(a, s)| Scored {
                slug: self.answers[a as usize].clone(),
                score: s,
                probability: softmax.probability(s),
            })
            .collect();
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.slug.cmp(&b.slug))
        });
        out
    }

    /// How far the history bears out each answer whose links' words `text` uses, by slug: the
    /// share of the text those words make (their features' part of the text's length, the
    /// words no link of it used counting too). An answer not listed has no word of the text
    /// in its links: none of it is borne out. A question asked in a link's words again
    /// («сколько стоит аудит») is its answer's in full however few links it has; one that
    /// shares only common words with them («сколько стоит ноутбук») is its answer's only as
    /// far as those words go, however many links it has: links on other subjects (a torte
    /// and a tattoo linked to complaints) say nothing of this question's subject.
    pub fn borne_out(&self, text: &str) -> HashMap<String, f32> {
        self.borne_out_vector(&self.vector(text))
    }

    /// The same for a text's vector ([`Model::vector`]).
    pub fn borne_out_vector(&self, v: &Sparse<u32>) -> HashMap<String, f32> {
        let mut covered: HashMap<u32, f32> = HashMap::new();
        for &(f, x) in v {
            for &(a, w) in &self.postings[f as usize] {
                if w > 0.0 {
                    *covered.entry(a).or_default() += x * x;
                }
            }
        }
        covered
            .into_iter()
            .map(|(a, share)| (self.answers[a as usize].clone(), share.min(1.0)))
            .collect()
    }

    pub(super) fn answer_index(&mut self, slug: &str) -> u32 {
        if let Some(&i) = self.by_slug.get(slug) {
            return i;
        }
        let i = self.answers.len() as u32;
        self.answers.push(slug.to_string());
        self.by_slug.insert(slug.to_string(), i);
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn link(q: i64, text: &str, answer: &str) -> Link {
        Link {
            question: q,
            text: text.into(),
            answer: answer.into(),
        }
    }

    pub(super) fn slugs(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    pub(super) fn top(model: &Model, text: &str) -> Option<String> {
        model
            .rank(text, model.answers().len())
            .first()
            .map(|s| s.slug.clone())
    }

    pub(super) fn desk() -> Vec<Link> {
        vec![
            link(1, "тонер закончился печатает бледно", "refill"),
            link(2, "картридж пустой, бледная печать", "refill"),
            link(3, "сколько стоит заправка картриджа", "refill"),
            link(4, "инженер может подъехать завтра", "visit"),
            link(5, "когда приедет ваш специалист", "visit"),
            link(6, "выезд мастера в офис", "visit"),
            link(7, "счёт на оплату пришлите", "invoice"),
            link(8, "нужен счёт с ндс", "invoice"),
        ]
    }

    #[test]
    pub(super) fn linked_phrasings_teach_their_answer() {
        let model = Model::train(
            &desk(),
            &slugs(&["refill", "visit", "invoice", "other"]),
            &[],
            1,
        );
        assert_eq!(top(&model, "печатает бледно").as_deref(), Some("refill"));
        assert_eq!(top(&model, "специалист подъедет").as_deref(), Some("visit"));
        assert_eq!(top(&model, "пришлите счёт").as_deref(), Some("invoice"));
    }

    /// A desk's usual questions are asked, and linked, in the same words again and again: the
    /// temperature is fitted on phrasings the trial model never saw, so a question of another
    /// subject that shares a common word with one answer's links is no sure case for it.
    #[test]
    fn phrasings_linked_again_and_again_do_not_make_the_model_sure_of_other_subjects() {
        let mut links = Vec::new();
        for _ in 0..30 {
            for (text, answer) in [
                ("заправка картриджа сколько стоит", "refill"),
                ("есть ли у вас вакансии", "jobs"),
                ("цена выезда инженера в офис", "visit"),
                ("до скольки вы работаете", "hours"),
            ] {
                links.push(link(links.len() as i64, text, answer));
            }
        }
        for (text, answer) in [
            ("картридж заправите?", "refill"),
            ("вы берёте на работу", "jobs"),
            ("инженер приедет в офис", "visit"),
            ("работаете в субботу", "hours"),
        ] {
            links.push(link(links.len() as i64, text, answer));
        }
        let answers = slugs(&["refill", "jobs", "visit", "hours", "other"]);
        let model = Model::train(&links, &answers, &[], 1);
        let sure = |q: &str| model.rank(q, answers.len())[0].probability;
        for q in ["где припарковаться у вас", "есть облачный хостинг"]
        {
            assert!(
                sure(q) < 0.9,
                "{q}: {} (T = {})",
                sure(q),
                model.temperature()
            );
        }
        assert_eq!(top(&model, "заправка картриджа").as_deref(), Some("refill"));
    }

    #[test]
    pub(super) fn a_first_link_counts_softly_for_what_it_shares_only_in_common_words() {
        let answers: Vec<String> = (0..60).map(|i| format!("answer-{i}")).collect();
        let mut all = answers.clone();
        all.push("audit".into());
        let one = [link(1, "сколько стоит аудит", "audit")];
        let model = Model::train(&one, &all, &[], 1);
        // One link has predicted nothing yet: the softest temperature.
        assert!(model.temperature() >= 4.9, "{}", model.temperature());
        let p = |m: &Model, q: &str| {
            m.rank(q, all.len())
                .iter()
                .find(|s| s.slug == "audit")
                .map_or(0.0, |s| s.probability)
        };
        // «сколько стоит …» of anything else is no case for the audit's answer; its own words
        // still are, more.
        let other = p(&model, "сколько стоит заправка картриджа");
        assert!(other < 0.2, "{other}");
        assert!(p(&model, "сколько стоит аудит") > other);
        // What the history never saw of a query still counts in its length: the words it did
        // see match only for their share.
        let shared = model.rank("сколько стоит", all.len())[0].score;
        let diluted = model.rank("сколько стоит заправка картриджа", all.len())[0].score;
        assert!(diluted < 0.8 * shared, "{diluted} vs {shared}");
    }

    #[test]
    pub(super) fn words_many_answers_use_weigh_less_than_the_words_that_set_one_apart() {
        let all = slugs(&["audit", "refill", "visit", "laptops"]);
        let links = [
            link(1, "сколько стоит аудит", "audit"),
            link(2, "где вы находитесь", "visit"),
            link(3, "нужен счёт с ндс", "refill"),
        ];
        // The answers' own texts: most ask «сколько стоит» of something.
        let corpus = [
            "Вы делаете аудит? сколько стоит аудит офиса".to_string(),
            "Сколько стоит заправка картриджа? цена заправки".to_string(),
            "Сколько стоит выезд инженера? приедет ли мастер".to_string(),
            "Сколько стоит ноутбук? продаёте ноутбуки".to_string(),
        ];
        let p = |m: &Model, q: &str| {
            m.rank(q, all.len())
                .iter()
                .find(|s| s.slug == "audit")
                .map_or(0.0, |s| s.probability)
        };
        let alone = Model::train(&links, &all, &[], 1);
        let read = Model::train(&links, &all, &corpus, 1);
        let laptop = "сколько стоит ноутбук";
        assert!(
            p(&read, laptop) < 0.95 * p(&alone, laptop),
            "{} vs {}",
            p(&read, laptop),
            p(&alone, laptop)
        );
        // The link's own subject still says its answer.
        assert_eq!(top(&read, "аудит сколько стоит").as_deref(), Some("audit"));
    }

    #[test]
    pub(super) fn a_question_in_its_links_words_is_borne_out_in_full_one_sharing_common_words_is_not(
    ) {
        let all = slugs(&["audit", "visit"]);
        let links = [
            link(1, "сколько стоит аудит", "audit"),
            link(2, "где вы находитесь", "visit"),
            link(3, "как к вам проехать", "visit"),
        ];
        let model = Model::train(&links, &all, &[], 1);
        let again = model.borne_out("сколько стоит аудит");
        assert!(again["audit"] > 0.99, "{again:?}");
        let laptop = model.borne_out("сколько стоит ноутбук");
        let share = laptop["audit"];
        assert!((0.5..0.8).contains(&share), "{laptop:?}");
        // No word of it in the visit links, at most a few letters: next to nothing borne out.
        assert!(
            laptop.get("visit").copied().unwrap_or(0.0) < 0.2,
            "{laptop:?}"
        );
    }

    #[test]
    pub(super) fn many_links_on_other_subjects_do_not_bear_out_a_question_sharing_a_word() {
        let all = slugs(&["complaint", "hours"]);
        let links = [
            link(1, "можно у вас заказать торт", "complaint"),
            link(2, "можно у вас сделать тату", "complaint"),
            link(3, "торты на заказ делаете", "complaint"),
            link(4, "вы делаете татуировки", "complaint"),
            link(5, "вы работаете в субботу", "hours"),
        ];
        let corpus = [
            "Часы работы\nво сколько вы работаете\nработаете ли в субботу".to_string(),
            "Жалоба\nхочу пожаловаться\nкуда написать жалобу".to_string(),
        ];
        let model = Model::train(&links, &all, &corpus, 1);
        let saturday = model.borne_out("можно к вам приехать в субботу");
        // Four links say «можно» and «вы», not why a caller would come on a Saturday.
        assert!(saturday["complaint"] < 0.3, "{saturday:?}");
        assert!(saturday["hours"] > saturday["complaint"], "{saturday:?}");
        let torte = model.borne_out("можно заказать торт");
        assert!(torte["complaint"] > 0.99, "{torte:?}");
    }

    #[test]
    pub(super) fn a_small_history_is_softened_as_far_as_its_links_did_not_predict_one_another() {
        let all = slugs(&["refill", "visit", "invoice", "other"]);
        // Links that say nothing of one another: held out in turn, each is missed.
        let unrelated = [
            link(1, "сколько стоит аудит", "refill"),
            link(2, "где вы находитесь", "visit"),
            link(3, "нужен счёт с ндс", "invoice"),
        ];
        let soft = Model::train(&unrelated, &all, &[], 1).temperature();
        assert!(soft > 1.5, "{soft}");
        // Links that do: never sharper than the model's own scores.
        let kin = Model::train(&desk(), &all, &[], 1).temperature();
        assert!(kin >= 1.0 && kin < soft, "{kin} vs {soft}");
    }

    #[test]
    pub(super) fn probabilities_count_every_answer_of_the_knowledge_base() {
        let model = Model::train(&desk()[..3], &slugs(&["refill"]), &[], 1);
        let alone = model.rank("бледно печатает", 1)[0].probability;
        let among_many = model.rank("бледно печатает", 100)[0].probability;
        assert!(among_many < alone, "{among_many} vs {alone}");
    }

    #[test]
    pub(super) fn an_online_link_counts_at_once_and_forgetting_takes_it_back_exactly() {
        let mut model = Model::train(
            &desk(),
            &slugs(&["refill", "visit", "invoice", "other"]),
            &[],
            1,
        );
        // A query of words the model knew before, so that its vector stays the same.
        let before = model.rank("выезд мастера, счёт", 4);
        for q in 100..103 {
            model.learn(q, "акт сверки для бухгалтерии", "other", 4);
        }
        assert_eq!(
            top(&model, "бухгалтерия акт сверки").as_deref(),
            Some("other")
        );
        for q in 100..103 {
            model.forget(q, "акт сверки для бухгалтерии");
        }
        let after = model.rank("выезд мастера, счёт", 4);
        for (b, a) in before.iter().zip(&after) {
            assert!((b.score - a.score).abs() < 1e-4, "{b:?} vs {a:?}");
        }
    }

    #[test]
    pub(super) fn a_saved_model_reads_back_the_same() {
        let mut model = Model::train(&desk(), &slugs(&["refill", "visit", "invoice"]), &[], 7);
        model.version = 42;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.bin");
        model.save(&path).unwrap();
        let back = Model::load(&path).unwrap();
        assert_eq!(back.version, 42);
        assert_eq!(
            back.rank("бледно печатает", 3),
            model.rank("бледно печатает", 3)
        );
        std::fs::write(&path, b"garbage").unwrap();
        assert!(Model::load(&path).is_err());
    }

    #[test]
    pub(super) fn the_same_seed_trains_the_same_model() {
        let a = Model::train(&desk(), &[], &[], 3);
        let b = Model::train(&desk(), &[], &[], 3);
        assert_eq!(a.rank("выезд инженера", 3), b.rank("выезд инженера", 3));
    }

    #[test]
    pub(super) fn an_empty_model_ranks_nothing_and_learns_online() {
        let mut model = Model::empty();
        assert!(model.rank("что угодно", 10).is_empty());
        model.learn(1, "сломался сканер", "scanner", 10);
        assert_eq!(model.rank("сканер сломался", 10)[0].slug, "scanner");
    }
}
