/// SentencePiece-style merging (`tokenizer.ggml.model = "llama"`, e.g. TinyLlama), as llama.cpp does it.
///
/// The text (spaces already escaped to `▁`) starts as one symbol per UTF-8 character; the adjacent
/// pair whose concatenation is a vocabulary entry with the highest score merges first (ties: the
/// leftmost). Symbols that end up outside the vocabulary are written as byte tokens `<0xXX>`.
struct SentencePieceMerger: Sendable {
    /// Exact-byte lookup of token texts.
    let idByText: [[UInt8]: Int32]
    let scores: [Float]
    /// `<0xXX>` token per byte (or the single-byte text token), -1 when the vocabulary has neither.
    let byteTokens: [Int32]

    private struct Candidate: MergeCandidate {
        var score: Float
        var left: Int32
        var right: Int32
        var size: Int

        /// Higher score first, then the lower left position.
        func before(_ other: Candidate) -> Bool {
            score > other.score || (score == other.score && left < other.left)
        }
    }

    private struct Symbol {
        var start: Int
        var length: Int
        var prev: Int32
        var next: Int32
    }

    func tokenize(_ text: [UInt8], into output: inout [Int32]) {
        guard !text.isEmpty else { return }
        var symbols: [Symbol] = []
        var offset = 0
        while offset < text.count {
            let lead = text[offset]
            let length = min(text.count - offset, lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4)
            symbols.append(Symbol(start: offset, length: length, prev: Int32(symbols.count - 1), next: -1))
            offset += length
            if offset < text.count { symbols[symbols.count - 1].next = Int32(symbols.count) }
        }
        var queue = MergeQueue<Candidate>(capacity: symbols.count * 2)

        func push(_ left: Int32, _ right: Int32) {
            guard left >= 0, right >= 0 else { return }
            let l = symbols[Int(left)]
            let r = symbols[Int(right)]
            let bytes = Array(text[l.start..<(r.start + r.length)])
            guard let id = idByText[bytes] else { return }
            queue.push(Candidate(score: scores[Int(id)], left: left, right: right, size: bytes.count))
        }

        for i in 1..<symbols.count {
            push(Int32(i - 1), Int32(i))
        }
        while !queue.isEmpty {
            let candidate = queue.pop()
            let l = Int(candidate.left)
            let r = Int(candidate.right)
            // Stale: one side already merged away or grew.
            guard symbols[l].length > 0, symbols[r].length > 0,
                symbols[l].length + symbols[r].length == candidate.size
            else { continue }
            symbols[l].length += symbols[r].length
            symbols[r].length = 0
            symbols[l].next = symbols[r].next
            if symbols[r].next >= 0 { symbols[Int(symbols[r].next)].prev = candidate.left }
            push(symbols[l].prev, candidate.left)
            push(candidate.left, symbols[l].next)
        }
        var i: Int32 = 0
        while i >= 0 {
            let symbol = symbols[Int(i)]
            let bytes = text[symbol.start..<(symbol.start + symbol.length)]
            if let id = idByText[Array(bytes)] {
                output.append(id)
            } else {
                for byte in bytes where byteTokens[Int(byte)] >= 0 {
                    output.append(byteTokens[Int(byte)])
                }
            }
            i = symbol.next
        }
    }
}
