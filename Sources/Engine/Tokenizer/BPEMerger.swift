/// Applies ranked BPE merges to one pre-tokenized word, exactly in llama.cpp's order.
///
/// Symbols start as single bytes and are interned as integer ids (vocabulary ids first, then any
/// merge operand or result that is not itself a vocabulary entry), so a merge lookup is one hash of
/// a pair of ids. Candidate merges sit in a binary heap ordered by (rank, left position), the order
/// llama.cpp's priority queue pops them in; stale candidates are skipped when popped.
struct BPEMerger: Sendable {
    /// Interned id of each symbol text (raw bytes); ids `< vocabularySize` are vocabulary tokens.
    let symbolIDs: [[UInt8]: Int32]
    /// `(left id << 32 | right id)` → (merge rank, merged symbol id).
    let merges: [UInt64: (rank: Int32, merged: Int32)]
    /// Interned id of each single byte.
    let byteSymbol: [Int32]
    /// Bytes of the interned symbols that are not vocabulary entries (id `vocabularySize + i`).
    let extraSymbols: [[UInt8]]

    private struct Candidate: MergeCandidate {
        var rank: Int32
        var left: Int32
        var right: Int32
        var leftID: Int32
        var rightID: Int32
        var merged: Int32

        /// True if `self` pops before `other`: lower rank first, then lower left position.
        func before(_ other: Candidate) -> Bool {
            rank < other.rank || (rank == other.rank && left < other.left)
        }
    }

    private struct Symbol {
        var id: Int32
        var prev: Int32
        var next: Int32
        var alive: Bool
    }

    /// Merges the bytes of one word; returns the interned ids of the final symbols in order.
    func merge(_ word: ArraySlice<UInt8>) -> [Int32] {
        if word.count == 1 {
            return [byteSymbol[Int(word[word.startIndex])]]
        }
        var symbols: [Symbol] = []
        symbols.reserveCapacity(word.count)
        for (i, byte) in word.enumerated() {
            symbols.append(
                Symbol(
                    id: byteSymbol[Int(byte)], prev: Int32(i - 1), next: i + 1 == word.count ? -1 : Int32(i + 1),
                    alive: true))
        }
        var queue = MergeQueue<Candidate>(capacity: word.count * 2)

        func push(_ left: Int32, _ right: Int32) {
            guard left >= 0, right >= 0 else { return }
            let leftID = symbols[Int(left)].id
            let rightID = symbols[Int(right)].id
            let key = UInt64(UInt32(bitPattern: leftID)) << 32 | UInt64(UInt32(bitPattern: rightID))
            guard let merge = merges[key] else { return }
            queue.push(
                Candidate(
                    rank: merge.rank, left: left, right: right, leftID: leftID, rightID: rightID, merged: merge.merged))
        }

        for i in 1..<symbols.count {
            push(Int32(i - 1), Int32(i))
        }
        while !queue.isEmpty {
            let candidate = queue.pop()
            let l = Int(candidate.left)
            let r = Int(candidate.right)
            guard symbols[l].alive, symbols[r].alive, symbols[l].id == candidate.leftID,
                symbols[r].id == candidate.rightID
            else { continue }
            symbols[l].id = candidate.merged
            symbols[r].alive = false
            symbols[l].next = symbols[r].next
            if symbols[r].next >= 0 {
                symbols[Int(symbols[r].next)].prev = candidate.left
            }
            push(symbols[l].prev, candidate.left)
            push(candidate.left, symbols[l].next)
        }
        var result: [Int32] = []
        var i: Int32 = 0
        while i >= 0 {
            result.append(symbols[Int(i)].id)
            i = symbols[Int(i)].next
        }
        return result
    }
}
