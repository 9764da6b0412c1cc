/// A merge candidate that knows which of two candidates a tokenizer applies first.
protocol MergeCandidate {
    /// True if `self` pops before `other`.
    func before(_ other: Self) -> Bool
}

/// A binary min-heap of merge candidates, popped in the candidates' own `before` order.
///
/// Both merge loops (ranked BPE and SentencePiece scores) keep their candidates here; stale
/// candidates are the caller's to skip when popped.
struct MergeQueue<Candidate: MergeCandidate> {
    private var heap: [Candidate] = []

    /// Makes an empty queue with room for `capacity` candidates.
    init(capacity: Int) {
        heap.reserveCapacity(capacity)
    }

    /// Whether no candidate is left.
    var isEmpty: Bool { heap.isEmpty }

    /// Adds a candidate.
    mutating func push(_ candidate: Candidate) {
        heap.append(candidate)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].before(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the candidate that comes first; the queue must not be empty.
    mutating func pop() -> Candidate {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var best = parent
                if left < heap.count && heap[left].before(heap[best]) { best = left }
                if right < heap.count && heap[right].before(heap[best]) { best = right }
                if best == parent { break }
                heap.swapAt(parent, best)
                parent = best
            }
        }
        return top
    }
}
