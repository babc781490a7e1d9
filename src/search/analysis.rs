//! The tantivy side of text analysis: the words of [`crate::text`] as token streams.
//!
//! tantivy sees the words through two tokenizers: [`StemTokenizer`] for the ranked fields and
//! [`PlainTokenizer`] for the fields that typo and prefix matching run on. Neither drops long
//! words by byte count (tantivy's `RemoveLongFilter` counts bytes, which cuts Russian words of
//! about 20 letters); only absurd tokens over [`crate::text::MAX_WORD_CHARS`] letters are skipped.

use crate::text::{stem, words};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name under which [`StemTokenizer`] is registered in the index.
pub const STEM_TOKENIZER: &str = "callfaq_stem";
/// Name under which [`PlainTokenizer`] is registered in the index.
pub const PLAIN_TOKENIZER: &str = "callfaq_plain";

/// Tokenizer for ranked fields: normalized, stemmed words.
#[derive(Clone, Default)]
pub struct StemTokenizer;

/// Tokenizer for typo and prefix fields: normalized words, not stemmed.
#[derive(Clone, Default)]
pub struct PlainTokenizer;

impl Tokenizer for StemTokenizer {
    type TokenStream<'a> = WordStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream {
        WordStream::new(text, true)
    }
}

impl Tokenizer for PlainTokenizer {
    type TokenStream<'a> = WordStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream {
        WordStream::new(text, false)
    }
}

/// The tokens of one text, computed up front.
pub struct WordStream {
    tokens: Vec<Token>,
    next: usize,
}

impl WordStream {
    fn new(text: &str, stemmed: bool) -> WordStream {
        let tokens = words(text)
            .into_iter()
            .enumerate()
            .map(|(position, w)| Token {
                offset_from: w.from,
                offset_to: w.to,
                position,
                text: if stemmed { stem(&w.text) } else { w.text },
                position_length: 1,
            })
            .collect();
        WordStream { tokens, next: 0 }
    }
}

impl TokenStream for WordStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::stem;

    #[test]
    fn tokenizers_feed_tantivy_the_same_words() {
        let mut stream = StemTokenizer.token_stream("Принтеры Canon");
        let mut seen = Vec::new();
        while let Some(t) = stream.next() {
            seen.push(t.text.clone());
        }
        assert_eq!(seen, [stem("принтер"), "canon".to_string()]);
    }
}
