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
//! What linked questions teach search is the learned ranking's job (`learn`); this index keeps
//! every caller question findable by its words.

use super::analysis::{PLAIN_TOKENIZER, STEM_TOKENIZER};
use super::register_analyzers;
use crate::calls::IndexedQuestion;
use crate::store::Store;
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
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
        self.catch_up_while(store, &|| true)
    }

    /// [`QuestionIndex::catch_up`], a batch at a time while `more` says so: the rest stays in
    /// the outbox for later (a stopping server, a bounded moment at shutdown).
    pub fn catch_up_while(&self, store: &Store, more: &dyn Fn() -> bool) -> anyhow::Result<usize> {
        let mut applied = 0;
        loop {
            if !more() {
                return Ok(applied);
            }
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
