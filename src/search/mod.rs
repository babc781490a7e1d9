//! Search over answers with tantivy.
//!
//! [`AnswerIndex::build`] indexes a knowledge snapshot in memory (it is derived: rebuilt whole
//! whenever the knowledge changes, in well under a second for thousands of answers);
//! [`AnswerIndex::search`] runs a [`QueryPlan`] and returns answers best first with a highlighted
//! snippet each. Analysis lives in [`analysis`], keyboard layouts in [`layout`], query building in
//! [`query`], highlighting in [`snippet`], the query respelled for its meaning in [`speller`].

pub mod analysis;
pub mod layout;
pub mod query;
pub mod questions;
pub mod snippet;
pub mod speller;

use crate::knowledge::{Answer, Knowledge};
use analysis::{PlainTokenizer, StemTokenizer, PLAIN_TOKENIZER, STEM_TOKENIZER};
use anyhow::Context;
use query::{QueryPlan, Weighted};
use serde::Serialize;
pub use snippet::Matcher;
use std::collections::HashMap;
use std::sync::Arc;
use tantivy::collector::TopDocs;
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST};
use tantivy::{doc, Index, IndexReader, ReloadPolicy, TantivyDocument};

/// One answer found for a query.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    /// The answer's slug.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// A piece of its text, HTML-escaped, matched words in `<mark>`.
    pub snippet: String,
    /// Relevance; only the order means something.
    pub score: f32,
}

/// Weight of an exact (stemmed) match, by field.
const TITLE_BOOST: f32 = 3.0;
const QUESTIONS_BOOST: f32 = 2.5;
const BODY_BOOST: f32 = 1.0;
/// Constant score of a typo or prefix match, by field: below a typical exact match.
const HEAD_FUZZY_SCORE: f32 = 1.5;
const BODY_FUZZY_SCORE: f32 = 0.4;

#[derive(Clone, Copy)]
struct Fields {
    ord: Field,
    title: Field,
    questions: Field,
    body: Field,
    head_plain: Field,
    body_plain: Field,
}

/// The in-memory index of one knowledge snapshot.
pub struct AnswerIndex {
    reader: IndexReader,
    weights: Weighted,
    answers: Vec<Arc<Answer>>,
    /// Each answer's text for snippets, cut into words once (by slug: its place in `answers`).
    cuts: HashMap<String, (usize, snippet::Cut)>,
    vocabulary: snippet::Vocabulary,
    /// The answers' words, to spell a query as they do.
    speller: speller::Speller,
}

fn text_options(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}

/// Registers the project's analyzers on an index; every index that holds text needs them.
pub fn register_analyzers(index: &Index) {
    index.tokenizers().register(STEM_TOKENIZER, StemTokenizer);
    index.tokenizers().register(PLAIN_TOKENIZER, PlainTokenizer);
}

impl AnswerIndex {
    /// Indexes every answer of the snapshot.
    pub fn build(knowledge: &Knowledge) -> anyhow::Result<AnswerIndex> {
        let mut builder = Schema::builder();
        let stemmed = text_options(STEM_TOKENIZER, IndexRecordOption::WithFreqs);
        let plain = text_options(PLAIN_TOKENIZER, IndexRecordOption::Basic);
        let fields = Fields {
            ord: builder.add_u64_field("ord", FAST),
            title: builder.add_text_field("title", stemmed.clone()),
            questions: builder.add_text_field("questions", stemmed.clone()),
            body: builder.add_text_field("body", stemmed),
            head_plain: builder.add_text_field("head_plain", plain.clone()),
            body_plain: builder.add_text_field("body_plain", plain),
        };
        let index = Index::create_in_ram(builder.build());
        register_analyzers(&index);
        let mut writer = index
            .writer_with_num_threads(1, 64 * 1024 * 1024)
            .context("creating the answer index writer")?;
        for (ord, answer) in knowledge.answers().iter().enumerate() {
            let questions = answer.questions.join("\n");
            let head = format!("{}\n{}", answer.title, questions);
            let document: TantivyDocument = doc!(
                fields.ord => ord as u64,
                fields.title => answer.title.as_str(),
                fields.questions => questions.as_str(),
                fields.body => answer.text.as_str(),
                fields.head_plain => head.as_str(),
                fields.body_plain => answer.text.as_str(),
            );
            writer.add_document(document)?;
        }
        writer.commit().context("committing the answer index")?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let weights = Weighted {
            stemmed: vec![
                (fields.title, TITLE_BOOST),
                (fields.questions, QUESTIONS_BOOST),
                (fields.body, BODY_BOOST),
            ],
            plain: vec![
                (fields.head_plain, HEAD_FUZZY_SCORE),
                (fields.body_plain, BODY_FUZZY_SCORE),
            ],
        };
        let mut vocabulary = snippet::Vocabulary::default();
        let cuts: HashMap<String, (usize, snippet::Cut)> = knowledge
            .answers()
            .iter()
            .enumerate()
            .map(|(ord, a)| {
                let cut = vocabulary.cut(a.text_without_label());
                (a.slug.clone(), (ord, cut))
            })
            .collect();
        vocabulary.seal();
        // The speller's words: the bodies' as cut for snippets, counted by number, and the
        // titles' and phrasings'.
        let mut counts = vec![0u32; vocabulary.words().len()];
        for (_, cut) in cuts.values() {
            for n in cut.numbers() {
                counts[n as usize] += 1;
            }
        }
        let mut words: HashMap<String, u32> =
            vocabulary.words().iter().cloned().zip(counts).collect();
        for a in knowledge.answers() {
            speller::count_words(&a.title, &mut words);
            for q in &a.questions {
                speller::count_words(q, &mut words);
            }
        }
        let speller = speller::Speller::of_counts(words);
        Ok(AnswerIndex {
            reader,
            weights,
            answers: knowledge.answers().to_vec(),
            cuts,
            vocabulary,
            speller,
        })
    }

    /// Whether the answers have this word (normalised), or a word of its stem.
    pub fn knows_word(&self, word: &str) -> bool {
        self.speller.has(word)
    }

    /// `text` with each word that neither the answers nor the history (`knows`) know spelled
    /// as the answers spell it; `None` when nothing changed (see [`speller`]).
    pub fn respell(&self, text: &str, knows: impl Fn(&str) -> bool) -> Option<String> {
        self.speller.respell(text, knows)
    }

    /// The best `limit` answers for the plan, each with its score.
    pub fn ranked(
        &self,
        plan: &QueryPlan,
        limit: usize,
    ) -> anyhow::Result<Vec<(Arc<Answer>, f32)>> {
        if plan.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let query = plan.to_query(&self.weights);
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut out = Vec::with_capacity(top.len());
        for (score, address) in top {
            let column = searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .u64("ord")?;
            let ord = column.first(address.doc_id).context("answer without ord")? as usize;
            if let Some(answer) = self.answers.get(ord) {
                out.push((Arc::clone(answer), score));
            }
        }
        Ok(out)
    }

    /// The best `limit` answers for the plan, with snippets.
    pub fn search(&self, plan: &QueryPlan, limit: usize) -> anyhow::Result<Vec<SearchHit>> {
        let matcher = Matcher::new(plan);
        Ok(self
            .ranked(plan, limit)?
            .into_iter()
            .map(|(answer, score)| self.hit(&matcher, &answer, score))
            .collect())
    }

    /// A search hit for one of its answers ([`hit_with`]), the snippet from the text cut at
    /// build; [`hit_with`] itself for an answer it does not hold.
    pub fn hit(&self, matcher: &Matcher, answer: &Answer, score: f32) -> SearchHit {
        match self.cuts.get(&answer.slug) {
            Some((ord, cut)) if std::ptr::eq(&*self.answers[*ord], answer) => SearchHit {
                slug: answer.slug.clone(),
                title: answer.title.clone(),
                snippet: snippet::snippet_cut(
                    matcher,
                    &self.vocabulary,
                    cut,
                    answer.text_without_label(),
                ),
                score,
            },
            _ => hit_with(matcher, answer, score),
        }
    }
}

/// A search hit for an answer, the plan prepared once for all the hits of a search: the snippet
/// comes from the body without the label «Скажите клиенту:» (which says nothing and would be
/// marked for every query with «клиенту»).
pub fn hit_with(matcher: &Matcher, answer: &Answer, score: f32) -> SearchHit {
    SearchHit {
        slug: answer.slug.clone(),
        title: answer.title.clone(),
        snippet: snippet::snippet_with(matcher, answer.text_without_label()),
        score,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Audience;

    fn answer(slug: &str, title: &str, questions: &[&str], text: &str) -> Arc<Answer> {
        Arc::new(Answer {
            slug: slug.into(),
            path: format!("{slug}.md").into(),
            title: title.into(),
            questions: questions.iter().map(|q| q.to_string()).collect(),
            audience: Audience::All,
            tags: vec![],
            reviewed: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            html: String::new(),
            text: text.into(),
        })
    }

    fn index() -> AnswerIndex {
        let k = Knowledge::from_answers(vec![
            answer(
                "printer",
                "Сколько стоит принтер Canon 2100?",
                &["цена принтера"],
                "Скажите клиенту: принтер есть в наличии.",
            ),
            answer(
                "admin",
                "Удалённое администрирование серверов",
                &["обслуживание серверов"],
                "Скажите клиенту: администрирование от 15 000 рублей.",
            ),
            answer(
                "delivery",
                "Доставка по Москве",
                &["привезёте?"],
                "Скажите клиенту: доставка бесплатна от 10 000 рублей.",
            ),
            answer(
                "hours",
                "Часы работы поддержки",
                &["когда работаете"],
                "Скажите клиенту: с 9 до 18 по будням.",
            ),
        ]);
        AnswerIndex::build(&k).unwrap()
    }

    fn first(index: &AnswerIndex, q: &str) -> Option<String> {
        index
            .search(&QueryPlan::parse(q), 5)
            .unwrap()
            .first()
            .map(|h| h.slug.clone())
    }

    #[test]
    fn plural_finds_the_singular() {
        assert_eq!(first(&index(), "принтеры").as_deref(), Some("printer"));
    }

    #[test]
    fn yo_and_ye_are_the_same_letter() {
        assert_eq!(first(&index(), "удаленное ").as_deref(), Some("admin"));
    }

    #[test]
    fn one_typo_in_a_long_word_is_forgiven() {
        assert_eq!(
            first(&index(), "админстрирование ").as_deref(),
            Some("admin")
        );
    }

    #[test]
    fn a_typo_matched_in_one_snapshot_is_matched_afresh_in_the_next() {
        // A whole word's automaton keeps what it matched: asked again of the same index it
        // gives the same answers, and a new snapshot (other answers, other order) is walked
        // anew rather than answered from the last one.
        let old = index();
        let typo = "серверв обслуживание";
        assert_eq!(first(&old, typo).as_deref(), Some("admin"));
        assert_eq!(first(&old, typo).as_deref(), Some("admin"));
        let new = AnswerIndex::build(&Knowledge::from_answers(vec![
            answer(
                "rack",
                "Монтаж серверной стойки",
                &["поставите стойку?"],
                "Скажите клиенту: монтаж стойки и серверов за один день.",
            ),
            answer(
                "hours",
                "Часы работы поддержки",
                &["когда работаете"],
                "Скажите клиенту: с 9 до 18 по будням.",
            ),
        ]))
        .unwrap();
        assert_eq!(first(&new, "серверв ").as_deref(), Some("rack"));
        assert_eq!(first(&old, "серверв ").as_deref(), Some("admin"));
        assert_eq!(
            first(&new, "принтр "),
            None,
            "no printer in the new snapshot"
        );
    }

    #[test]
    fn no_typo_is_forgiven_under_five_letters() {
        // `чвсы` is one edit from `часы`, too short to forgive.
        assert_eq!(first(&index(), "чвсы "), None);
    }

    #[test]
    fn word_being_typed_matches_as_a_prefix() {
        assert_eq!(first(&index(), "достав").as_deref(), Some("delivery"));
        assert_eq!(first(&index(), "достав "), None);
    }

    #[test]
    fn wrong_layout_finds_the_answer() {
        assert_eq!(first(&index(), "ghbynth").as_deref(), Some("printer"));
        assert_eq!(first(&index(), "сфтщт").as_deref(), Some("printer"));
    }

    #[test]
    fn title_weighs_more_than_body() {
        let k = Knowledge::from_answers(vec![
            answer("body", "Гарантия", &[], "ремонт ремонт"),
            answer("title", "Ремонт техники", &[], "сервисный центр"),
        ]);
        let index = AnswerIndex::build(&k).unwrap();
        assert_eq!(first(&index, "ремонт ").as_deref(), Some("title"));
    }

    #[test]
    fn input_of_any_shape_never_errors() {
        let index = index();
        let long = "принтер ".repeat(2000);
        for q in [
            "\":(",
            "   ",
            "",
            "title:x AND (",
            "😀😀",
            "\"\"\"",
            long.as_str(),
            "*?~^",
            "-",
        ] {
            index.search(&QueryPlan::parse(q), 10).unwrap();
        }
    }
}
