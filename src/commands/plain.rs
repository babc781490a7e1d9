//! Plain full-text engines, for `callfaq eval retrieval --answers`: the answers indexed as a
//! developer would set them up without callfaq (no typo or layout handling, no learning, no
//! meaning), each query's words joined with `OR`, BM25 order. Beside callfaq's figures they
//! show what its analysis, learned ranking and meaning add on the same queries.
//!
//! - [`Plain`]: SQLite FTS5 with its `unicode61` tokenizer (no stemming);
//! - [`Stemmed`]: a tantivy index with Snowball's Russian stemmer, as Xapian or Lucene would be
//!   set up for Russian.

use crate::knowledge::Answer;
use rusqlite::Connection;
use std::sync::Arc;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};
use tantivy::{doc, Index, IndexReader, TantivyDocument, Term};

/// A plain engine over the answers.
pub trait Engine {
    /// What it is, as the eval prints it.
    fn name(&self) -> &'static str;
    /// The slugs of the best `limit` answers for a query, best first (none when it has no
    /// word).
    fn search(&self, query: &str, limit: usize) -> anyhow::Result<Vec<String>>;
}

/// Both engines over these answers.
pub fn engines(answers: &[Arc<Answer>]) -> anyhow::Result<[Box<dyn Engine>; 2]> {
    Ok([
        Box::new(Plain::index(answers)?),
        Box::new(Stemmed::index(answers)?),
    ])
}

/// The answers indexed in an in-memory FTS5 table.
pub struct Plain {
    db: Connection,
}

impl Plain {
    /// Indexes each answer's title, phrasings and text.
    pub fn index(answers: &[Arc<Answer>]) -> anyhow::Result<Plain> {
        let db = Connection::open_in_memory()?;
        db.execute_batch(
            "CREATE VIRTUAL TABLE answers USING fts5(slug UNINDEXED, title, questions, body, \
             tokenize = 'unicode61 remove_diacritics 2')",
        )?;
        for a in answers {
            db.execute(
                "INSERT INTO answers (slug, title, questions, body) VALUES (?1, ?2, ?3, ?4)",
                (&a.slug, &a.title, a.questions.join("\n"), &a.text),
            )?;
        }
        Ok(Plain { db })
    }
}

impl Engine for Plain {
    fn name(&self) -> &'static str {
        "SQLite FTS5, unicode61, words joined with OR, bm25"
    }

    fn search(&self, query: &str, limit: usize) -> anyhow::Result<Vec<String>> {
        let Some(expression) = expression(query) else {
            return Ok(Vec::new());
        };
        let mut statement = self.db.prepare_cached(
            "SELECT slug FROM answers WHERE answers MATCH ?1 ORDER BY bm25(answers) LIMIT ?2",
        )?;
        let slugs = statement
            .query_map((expression, limit as i64), |row| row.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(slugs)
    }
}

/// The answers in a tantivy index whose words are lowercased and stemmed (Russian).
pub struct Stemmed {
    reader: IndexReader,
    analyzer: TextAnalyzer,
    slug: Field,
    texts: [Field; 3],
}

impl Stemmed {
    /// Indexes each answer's title, phrasings and text.
    pub fn index(answers: &[Arc<Answer>]) -> anyhow::Result<Stemmed> {
        let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::Russian))
            .build();
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("plain_russian")
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let mut builder = Schema::builder();
        let slug = builder.add_text_field("slug", STRING | STORED);
        let texts = [
            builder.add_text_field("title", options.clone()),
            builder.add_text_field("questions", options.clone()),
            builder.add_text_field("body", options),
        ];
        let index = Index::create_in_ram(builder.build());
        index
            .tokenizers()
            .register("plain_russian", analyzer.clone());
        let mut writer = index.writer_with_num_threads(1, 16 * 1024 * 1024)?;
        for a in answers {
            writer.add_document(doc!(
                slug => a.slug.as_str(),
                texts[0] => a.title.as_str(),
                texts[1] => a.questions.join("\n"),
                texts[2] => a.text.as_str(),
            ))?;
        }
        writer.commit()?;
        Ok(Stemmed {
            reader: index.reader()?,
            analyzer,
            slug,
            texts,
        })
    }
}

impl Engine for Stemmed {
    fn name(&self) -> &'static str {
        "tantivy, Snowball Russian stemmer, words joined with OR, bm25"
    }

    fn search(&self, query: &str, limit: usize) -> anyhow::Result<Vec<String>> {
        let mut analyzer = self.analyzer.clone();
        let mut stream = analyzer.token_stream(query);
        let mut words = Vec::new();
        while stream.advance() {
            words.push(stream.token().text.clone());
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .flat_map(|w| {
                self.texts.iter().map(move |&field| {
                    let term = Term::from_field_text(field, w);
                    let query: Box<dyn Query> =
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                    (Occur::Should, query)
                })
            })
            .collect();
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit).order_by_score(),
        )?;
        let mut slugs = Vec::with_capacity(top.len());
        for (_, address) in top {
            let document: TantivyDocument = searcher.doc(address)?;
            if let Some(slug) = document.get_first(self.slug).and_then(|v| v.as_str()) {
                slugs.push(slug.to_string());
            }
        }
        Ok(slugs)
    }
}

/// The query's words, each quoted, joined with `OR`.
fn expression(query: &str) -> Option<String> {
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.to_lowercase()))
        .collect();
    (!words.is_empty()).then(|| words.join(" OR "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::parse_answer;
    use std::path::Path;

    fn answer(slug: &str, title: &str, body: &str) -> Arc<Answer> {
        let text = format!(
            "+++\ntitle = \"{title}\"\naudience = \"all\"\nreviewed = 2026-01-01\n+++\n{body}\n"
        );
        Arc::new(parse_answer(&text, Path::new("x.md"), slug).expect("a valid answer"))
    }

    fn two_answers() -> [Arc<Answer>; 2] {
        [
            answer(
                "printer",
                "Принтер не печатает",
                "Проверьте бумагу и кабель.",
            ),
            answer("hours", "Часы работы", "Мы работаем с девяти до шести."),
        ]
    }

    #[test]
    fn ranks_by_shared_words_and_knows_no_forms() {
        let plain = Plain::index(&two_answers()).unwrap();
        assert_eq!(
            plain.search("принтер не печатает", 10).unwrap()[0],
            "printer"
        );
        assert_eq!(plain.search("когда вы работаем", 10).unwrap(), ["hours"]);
        // No stemming: another form of the word finds nothing.
        assert!(plain.search("принтеры", 10).unwrap().is_empty());
        // Quotes and operators in a query are words, not syntax.
        assert!(plain.search("\" OR *", 10).unwrap().is_empty());
    }

    #[test]
    fn the_stemmed_engine_knows_forms_and_nothing_more() {
        let stemmed = Stemmed::index(&two_answers()).unwrap();
        assert_eq!(stemmed.search("принтеры", 10).unwrap(), ["printer"]);
        assert_eq!(stemmed.search("работы нет", 10).unwrap(), ["hours"]);
        // No typo handling, no meaning.
        assert!(stemmed.search("прентер", 10).unwrap().is_empty());
        assert!(stemmed.search("", 10).unwrap().is_empty());
    }
}
