//! The caller-question index: every caller question, on disk in the data folder, kept in step
//! with the database.
//!
//! The database is the truth. Each insert or relink of a question writes a row to the store's
//! outbox in the same transaction; [`QuestionIndex::catch_up`] (run by the indexer job in
//! `jobs`) drains the outbox in batches, applies the changes to the one long-lived
//! `IndexWriter`, commits, reloads the reader, and only then clears the rows it applied. A crash
//! at any point replays the rest at the next start. The index can always be rebuilt
//! ([`rebuild`]).
//!
//! Linked questions are evidence for their answer: [`QuestionIndex::evidence`] finds the caller
//! phrasings closest to a query and weighs them per answer, for `library` to blend with the
//! answers' own scores.

use super::analysis::{PLAIN_TOKENIZER, STEM_TOKENIZER};
use super::query::{QueryPlan, Weighted};
use super::register_analyzers;
use crate::calls::IndexedQuestion;
use crate::store::Store;
use anyhow::Context;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tantivy::collector::TopDocs;
use tantivy::columnar::StrColumn;
use tantivy::schema::Value;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STRING,
};
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Bump when the schema or the analysis changes: an index of another version is rebuilt from
/// the database.
const SCHEMA_VERSION: &str = "2";
const VERSION_FILE: &str = "callfaq-schema-version";
/// Memory of the one writer: batches are small, and a larger budget only grows the server.
const WRITER_MEMORY: usize = 48 * 1024 * 1024;
/// Changes applied per commit at most.
const BATCH: usize = 20_000;
/// Linked phrasings considered per query.
const EVIDENCE_HITS: usize = 30;

/// Where the caller-question index lives in a data folder.
pub fn index_dir(data: &Path) -> PathBuf {
    data.join("index").join("questions")
}

#[derive(Clone, Copy)]
struct Fields {
    qid: Field,
    answer: Field,
    kind: Field,
    text: Field,
    linked_text: Field,
    plain: Field,
}

/// The on-disk index of caller questions.
pub struct QuestionIndex {
    reader: IndexReader,
    fields: Fields,
    dir: PathBuf,
    /// The one writer of this process; the indexer job and `rebuild` take turns.
    writer: Mutex<IndexWriter>,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let stemmed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(STEM_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    // Stored: evidence reads the phrasing back to measure how much of the query it covers.
    let plain = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(PLAIN_TOKENIZER)
                .set_index_option(IndexRecordOption::Basic),
        )
        .set_stored();
    let fields = Fields {
        qid: b.add_u64_field("qid", INDEXED | FAST),
        answer: b.add_text_field("answer", STRING | FAST),
        kind: b.add_text_field("kind", STRING),
        text: b.add_text_field("text", stemmed.clone()),
        linked_text: b.add_text_field("linked_text", stemmed),
        plain: b.add_text_field("plain", plain),
    };
    (b.build(), fields)
}

impl QuestionIndex {
    /// Opens the index in `dir`, creating it, or recreating it empty when it is of another
    /// schema version or unreadable. Returns whether it starts empty (and needs a rebuild).
    pub fn open_or_create(dir: &Path) -> anyhow::Result<(QuestionIndex, bool)> {
        let (schema, fields) = schema();
        let version_ok = std::fs::read_to_string(dir.join(VERSION_FILE))
            .is_ok_and(|v| v.trim() == SCHEMA_VERSION);
        let opened = if version_ok {
            Index::open_in_dir(dir).ok()
        } else {
            None
        };
        let (index, fresh) = match opened {
            Some(index) if index.schema() == schema => (index, false),
            _ => {
                if dir.exists() {
                    tracing::warn!(dir = %dir.display(), "question index is of another version or unreadable: rebuilding it from the database");
                    std::fs::remove_dir_all(dir)
                        .with_context(|| format!("removing {}", dir.display()))?;
                }
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
                let index = Index::create_in_dir(dir, schema)?;
                std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION)?;
                (index, true)
            }
        };
        register_analyzers(&index);
        let writer = index
            .writer_with_num_threads(1, WRITER_MEMORY)
            .with_context(|| {
                format!(
                    "locking the question index in {} (is another callfaq running?)",
                    dir.display()
                )
            })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let fresh = fresh || reader.searcher().num_docs() == 0;
        Ok((
            QuestionIndex {
                reader,
                fields,
                dir: dir.to_path_buf(),
                writer: Mutex::new(writer),
            },
            fresh,
        ))
    }

    /// Number of questions in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds no question.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Folder of the index.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn document(&self, q: &IndexedQuestion) -> TantivyDocument {
        let f = self.fields;
        let mut d = doc!(
            f.qid => q.id as u64,
            f.answer => q.answer.as_deref().unwrap_or(""),
            f.kind => q.kind.as_str(),
            f.text => q.text.as_str(),
            f.plain => q.text.as_str(),
        );
        if q.answer.is_some() {
            d.add_text(f.linked_text, &q.text);
        }
        d
    }

    /// Replaces (or removes, with `None`) question `id` in the writer's pending changes.
    fn stage(
        &self,
        writer: &IndexWriter,
        id: i64,
        question: Option<&IndexedQuestion>,
    ) -> anyhow::Result<()> {
        writer.delete_term(Term::from_field_u64(self.fields.qid, id as u64));
        if let Some(q) = question {
            writer.add_document(self.document(q))?;
        }
        Ok(())
    }

    fn commit(&self, writer: &mut IndexWriter) -> anyhow::Result<()> {
        writer.commit().context("committing the question index")?;
        self.reader
            .reload()
            .context("reloading the question index")?;
        Ok(())
    }

    /// Applies every pending outbox change; returns how many were applied.
    pub fn catch_up(&self, store: &Store) -> anyhow::Result<usize> {
        let mut applied = 0;
        loop {
            let batch = store.outbox(0, BATCH)?;
            let Some(&(last_seq, _, _)) = batch.last() else {
                return Ok(applied);
            };
            let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
            for (_, id, question) in &batch {
                self.stage(&writer, *id, question.as_ref())?;
            }
            self.commit(&mut writer)?;
            drop(writer);
            store.outbox_done(last_seq)?;
            applied += batch.len();
        }
    }

    /// Answers with evidence for the plan, each with a weight from 0 up to 2.
    ///
    /// The closest linked caller phrasings are found by BM25; each counts by the share of the
    /// query's words it contains (so evidence does not depend on how many questions the index
    /// holds), and only when it holds at least half of them. Per answer, the best phrasing counts
    /// fully, the next half, the next a quarter: many callers asking alike add up, but never
    /// past twice one perfect match.
    pub fn evidence(&self, plan: &QueryPlan) -> anyhow::Result<HashMap<String, f32>> {
        let mut out = HashMap::new();
        if plan.is_empty() {
            return Ok(out);
        }
        let weights = Weighted {
            stemmed: vec![(self.fields.linked_text, 1.0)],
            plain: vec![],
        };
        let query = plan.to_query(&weights);
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(EVIDENCE_HITS).order_by_score())?;
        let mut per_answer: HashMap<String, Vec<f32>> = HashMap::new();
        let mut slug = String::new();
        let mut coverage = Coverage::new(plan);
        // The answer column of each segment, opened once rather than once per hit.
        let mut columns: HashMap<u32, Option<StrColumn>> = HashMap::new();
        for (_, address) in top {
            let column = match columns.entry(address.segment_ord) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => e.insert(
                    searcher
                        .segment_reader(address.segment_ord)
                        .fast_fields()
                        .str("answer")?,
                ),
            };
            let Some(column) = column else {
                continue;
            };
            let Some(ord) = column.ords().first(address.doc_id) else {
                continue;
            };
            slug.clear();
            if !column.ord_to_str(ord, &mut slug)? || slug.is_empty() {
                continue;
            }
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = doc
                .get_first(self.fields.plain)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let share = coverage.share(text);
            if share >= MIN_COVERAGE {
                per_answer.entry(slug.clone()).or_default().push(share);
            }
        }
        for (answer, mut shares) in per_answer {
            shares.sort_by(|a, b| b.total_cmp(a));
            let total = shares
                .iter()
                .enumerate()
                .map(|(i, s)| s / (1u32 << i.min(31)) as f32)
                .sum();
            out.insert(answer, total);
        }
        Ok(out)
    }
}

/// A phrasing must contain at least this share of the query's words to count as evidence.
const MIN_COVERAGE: f32 = 0.5;

/// How much of one plan a phrasing covers: the share of the plan's words found in it (stem, typo
/// or prefix match).
///
/// The phrasings found for one query repeat their words, so each distinct word is matched
/// against each query word once and the outcome remembered, rather than once per phrasing: a
/// match stems the word and measures edit distances, and matching afresh took about a fifth of
/// the time of evidence at a million questions (`benches/calls.rs`).
struct Coverage {
    /// Each query word alone, as [`super::snippet::matches`] takes it.
    singles: Vec<QueryPlan>,
    /// Per query word: the phrasing words already matched against it, and the outcome.
    decided: Vec<HashMap<String, bool>>,
}

impl Coverage {
    fn new(plan: &QueryPlan) -> Coverage {
        let singles: Vec<QueryPlan> = plan
            .words
            .iter()
            .map(|q| QueryPlan {
                words: vec![q.clone()],
            })
            .collect();
        let decided = vec![HashMap::new(); singles.len()];
        Coverage { singles, decided }
    }

    /// Share of the plan's words found in `text`.
    fn share(&mut self, text: &str) -> f32 {
        if self.singles.is_empty() {
            return 0.0;
        }
        let words = crate::text::words(text);
        let mut found = 0;
        for (single, decided) in self.singles.iter().zip(&mut self.decided) {
            let matched = words.iter().any(|w| match decided.get(w.text.as_str()) {
                Some(&m) => m,
                None => {
                    let m = super::snippet::matches(single, &w.text);
                    decided.insert(w.text.clone(), m);
                    m
                }
            });
            found += usize::from(matched);
        }
        found as f32 / self.singles.len() as f32
    }
}

/// Rebuilds the whole index from the database; returns the number of questions indexed.
pub fn rebuild(index: &QuestionIndex, store: &Store) -> anyhow::Result<usize> {
    // Changes that arrive during the rebuild stay in the outbox and are applied after it.
    let mut pending = None;
    while let Some(&(seq, _, _)) = store.outbox(pending.unwrap_or(0), BATCH)?.last() {
        pending = Some(seq);
    }
    let mut writer = index.writer.lock().unwrap_or_else(|p| p.into_inner());
    writer.delete_all_documents()?;
    let mut after = 0;
    let mut count = 0;
    loop {
        let page = store.questions_after(after, BATCH)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for q in &page {
            writer.add_document(index.document(q))?;
        }
        count += page.len();
    }
    index.commit(&mut writer)?;
    drop(writer);
    if let Some(last) = pending {
        store.outbox_done(last)?;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Coverage as first written: every phrasing word matched afresh for every query word.
    fn coverage_afresh(plan: &QueryPlan, text: &str) -> f32 {
        let words = crate::text::words(text);
        let found = plan
            .words
            .iter()
            .filter(|q| {
                let single = QueryPlan {
                    words: vec![(*q).clone()],
                };
                words
                    .iter()
                    .any(|w| super::super::snippet::matches(&single, &w.text))
            })
            .count();
        found as f32 / plan.words.len() as f32
    }

    #[test]
    fn remembered_matches_give_the_same_coverage() {
        let texts = [
            "сколько стоит заправка картриджа?",
            "Заправка картриджей с выездом",
            "здравствуйте, подскажите, сколько стоит выезд инженера в химки",
            "принтер не печатает, картридж пустой",
            "настройка Wi-Fi в офисе",
            "админстрирование серверов цена",
            "",
        ];
        for query in [
            "сколько стоит заправка картр",
            "заправки картриджей ",
            "администрирование серверов",
            "wifi",
            "ghbynth yt gtxfnftn",
            "выезд инженера в х",
        ] {
            let plan = QueryPlan::parse(query);
            let mut coverage = Coverage::new(&plan);
            // Twice over, so that the second pass is served from what the first remembered.
            for text in texts.iter().chain(&texts) {
                assert_eq!(
                    coverage.share(text),
                    coverage_afresh(&plan, text),
                    "{query:?} in {text:?}"
                );
            }
        }
    }
}
