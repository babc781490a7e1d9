"""Classify SentencePiece pieces by script. keep(piece) decides the pruned vocabulary."""
import re, unicodedata
PUNCT = set(""" !"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~«»—–…№€₽£¥¢°§±×÷""" + "\u2581\u201c\u201d\u201e\u2018\u2019")
def char_class(ch):
    o = ord(ch)
    if ch.isdigit() and o < 128: return 'digit'
    if 'a' <= ch.lower() <= 'z' and o < 128: return 'latin'
    if 0x00C0 <= o <= 0x024F and ch.isalpha(): return 'latin_ext'
    if 0x0400 <= o <= 0x04FF and ch.isalpha(): return 'cyr'
    if ch in PUNCT: return 'punct'
    return 'other'
def piece_class(p):
    """'cyr', 'latin', 'mixed' (cyr+latin), 'digit', 'punct' or 'other' (anything else)."""
    body = p[1:] if p.startswith('\u2581') else p
    if body == '': return 'punct'          # the bare '▁'
    cl = set(char_class(c) for c in body)
    if 'other' in cl or 'latin_ext' in cl: return 'other'
    letters = cl & {'cyr', 'latin'}
    if letters == {'cyr'}: return 'cyr'
    if letters == {'latin'}: return 'latin'
    if letters == {'cyr', 'latin'}: return 'mixed'
    if 'digit' in cl: return 'digit'
    return 'punct'
def keep(p, specials=frozenset(['<s>', '<pad>', '</s>', '<unk>', '<mask>'])):
    """pruned vocabulary: specials + pieces made only of Cyrillic (U+0400-04FF) or ASCII Latin letters,
    ASCII digits and common punctuation (no mixed Cyrillic+Latin pieces)."""
    return p in specials or piece_class(p) in ('cyr', 'latin', 'digit', 'punct')
if __name__ == '__main__':
    import sys, os, collections
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from e5bin import E5Bin
    b = E5Bin(sys.argv[1])
    c = collections.Counter(piece_class(p) for p in b.pieces)
    print(c, 'keep', sum(keep(p) for p in b.pieces))
