/// A token chosen by the sampler.
public struct SampledToken: Sendable, Equatable {
    public var id: Int32
    /// The model's log-probability of the token: log-softmax of the raw logits, before penalties,
    /// filters and temperature (what OpenAI-style `logprobs` report). Nil unless requested.
    public var logprob: Float?

    public init(id: Int32, logprob: Float? = nil) {
        self.id = id
        self.logprob = logprob
    }
}

/// One sequence's sampler chain: penalties → top-k → top-p → min-p → temperature → seeded draw.
///
/// The order and the filters' semantics are llama.cpp's default chain (`common_sampler`), with
/// ties broken by the lower token id. Temperature 0 picks the highest penalised logit (lowest id
/// among equals). The draw walks the surviving candidates (by logit when top-k or top-p sorted
/// them, else by id) with one uniform number from a xoshiro256** generator seeded by
/// `parameters.seed`; llama.cpp's own RNG (mt19937) is not reproduced, so seeded samples are
/// deterministic but not llama.cpp's. A value type: it carries the penalty history and the
/// random state of one sequence; copies evolve independently.
public struct Sampler: Sendable {
    public let parameters: SamplingParameters
    private var rng: SeededGenerator
    /// Recent tokens for the penalties (at most `penaltyLastN` unless that is -1).
    private var history: [Int32] = []
    private var historyStart = 0

    /// - Throws: ``EngineError/invalidSamplingParameter(name:reason:)`` for a value out of range.
    public init(parameters: SamplingParameters) throws(EngineError) {
        try parameters.validate()
        self.parameters = parameters
        self.rng = SeededGenerator(seed: parameters.seed)
    }

    /// The tokens the penalties currently look at, oldest first.
    public var penaltyWindow: ArraySlice<Int32> { history[historyStart...] }

    /// Records tokens in the penalty history (the prompt, or tokens chosen elsewhere).
    public mutating func accept<S: Sequence<Int32>>(contentsOf tokens: S) {
        for token in tokens { accept(token) }
    }

    /// Records one token in the penalty history.
    public mutating func accept(_ token: Int32) {
        guard parameters.penaltyLastN != 0 else { return }
        history.append(token)
        if parameters.penaltyLastN > 0 && history.count - historyStart > parameters.penaltyLastN {
            historyStart += 1
            if historyStart > 4096 {
                history.removeFirst(historyStart)
                historyStart = 0
            }
        }
    }

    /// Chooses the next token from a row of logits and records it in the penalty history.
    ///
    /// - Parameters:
    ///   - logits: one logit per vocabulary entry.
    ///   - wantLogprob: also compute the token's raw model log-probability.
    /// - Precondition: `logits` is not empty (the model always produces a full row).
    public mutating func sample(_ logits: UnsafeBufferPointer<Float>, wantLogprob: Bool = false) -> SampledToken {
        precondition(!logits.isEmpty, "sampling needs at least one logit")
        let id = choose(logits)
        accept(id)
        return SampledToken(id: id, logprob: wantLogprob ? Self.logSoftmax(logits, at: Int(id)) : nil)
    }

    /// Array convenience for ``sample(_:wantLogprob:)-(UnsafeBufferPointer<Float>,_)``.
    public mutating func sample(_ logits: [Float], wantLogprob: Bool = false) -> SampledToken {
        logits.withUnsafeBufferPointer { sample($0, wantLogprob: wantLogprob) }
    }

    /// log-softmax of `logits` at `index`, computed in double precision.
    public static func logSoftmax(_ logits: UnsafeBufferPointer<Float>, at index: Int) -> Float {
        var maxLogit = -Float.infinity
        for x in logits where x > maxLogit { maxLogit = x }
        var sum = 0.0
        for x in logits { sum += Double(LibM.expf(x - maxLogit)) }
        return Float(Double(logits[index] - maxLogit) - LibM.log(sum))
    }

    /// Applies the penalties to the logits of the tokens in the window (in place).
    private func applyPenalties(_ logits: inout [Float]) {
        var counts: [Int32: Int] = [:]
        for token in penaltyWindow where token >= 0 && Int(token) < logits.count {
            counts[token, default: 0] += 1
        }
        for (token, count) in counts {
            var logit = logits[Int(token)]
            if logit <= 0 {
                logit *= parameters.repeatPenalty
            } else {
                logit /= parameters.repeatPenalty
            }
            logit -= Float(count) * parameters.frequencyPenalty + parameters.presencePenalty
            logits[Int(token)] = logit
        }
    }

    private mutating func choose(_ raw: UnsafeBufferPointer<Float>) -> Int32 {
        if parameters.penaltiesDisabled || penaltyWindow.isEmpty {
            return choose(penalised: raw)
        }
        var logits = Array(raw)
        applyPenalties(&logits)
        return logits.withUnsafeBufferPointer { choose(penalised: $0) }
    }

    private mutating func choose(penalised logits: UnsafeBufferPointer<Float>) -> Int32 {
        if parameters.temperature == 0 {
            var best = 0
            var bestLogit = logits[0]
            for i in 1..<logits.count where logits[i] > bestLogit {
                best = i
                bestLogit = logits[i]
            }
            return Int32(best)
        }

        // Candidates sorted by logit (descending), ties by id, when a filter needs the order:
        // top-k selects with a heap; top-p looks among the best 256 first, else sorts everything.
        // Without either, the candidates stay in id order (min-p only needs the maximum).
        var candidates: [(id: Int32, logit: Float)]
        var topPDone = false
        var sorted = true
        let k = parameters.topK > 0 ? min(parameters.topK, logits.count) : logits.count
        if k < logits.count {
            candidates = Self.topK(k, logits)
        } else if parameters.topP < 1 {
            if let prefix = Self.topPPrefix(logits, p: parameters.topP) {
                candidates = prefix
                topPDone = true
            } else {
                candidates = Self.sortedAll(logits)
            }
        } else {
            candidates = (0..<logits.count).map { (Int32($0), logits[$0]) }
            sorted = false
        }

        // top-p over the softmax of the remaining candidates.
        if parameters.topP < 1 && !topPDone {
            let probabilities = Self.softmax(candidates.map(\.logit))
            var sum = 0.0
            var keep = candidates.count
            for (i, p) in probabilities.enumerated() {
                sum += p
                if sum >= Double(parameters.topP) {
                    keep = i + 1
                    break
                }
            }
            candidates.removeLast(candidates.count - keep)
        }

        // min-p relative to the most likely remaining candidate.
        if parameters.minP > 0 {
            if sorted {
                let threshold = candidates[0].logit + LibM.logf(parameters.minP)
                var keep = 1
                while keep < candidates.count && candidates[keep].logit >= threshold { keep += 1 }
                candidates.removeLast(candidates.count - keep)
            } else if let maxLogit = candidates.map(\.logit).max() {
                let threshold = maxLogit + LibM.logf(parameters.minP)
                candidates.removeAll { $0.logit < threshold }
            }
        }

        let probabilities = Self.softmax(candidates.map { $0.logit / parameters.temperature })
        let u = rng.nextUnit()
        var sum = 0.0
        for (i, p) in probabilities.enumerated() {
            sum += p
            if u < sum { return candidates[i].id }
        }
        // Rounding left the cumulative sum a hair below 1: the last candidate with any mass.
        return candidates[probabilities.lastIndex { $0 > 0 } ?? 0].id
    }

    /// The sorted candidates up to where the cumulative probability (softmax over all logits)
    /// reaches `p`, if that happens within the best 256; nil otherwise (then sort everything).
    private static func topPPrefix(_ logits: UnsafeBufferPointer<Float>, p: Float) -> [(id: Int32, logit: Float)]? {
        let best = topK(min(256, logits.count), logits)
        guard let maxLogit = best.first?.logit, maxLogit > -Float.infinity else { return nil }
        var total = 0.0
        for x in logits { total += Double(LibM.expf(x - maxLogit)) }
        var sum = 0.0
        for (i, candidate) in best.enumerated() {
            sum += Double(LibM.expf(candidate.logit - maxLogit)) / total
            if sum >= Double(p) { return Array(best[...i]) }
        }
        return nil
    }

    /// All candidates sorted (logit descending, id ascending) through one integer key per token.
    private static func sortedAll(_ logits: UnsafeBufferPointer<Float>) -> [(id: Int32, logit: Float)] {
        // Order-preserving map of a float to an unsigned integer, inverted for descending order.
        var keys = [UInt64](repeating: 0, count: logits.count)
        for i in 0..<logits.count {
            let bits = logits[i].bitPattern
            let orderable = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
            keys[i] = UInt64(~orderable) << 32 | UInt64(i)
        }
        keys.sort()
        return keys.map { key in
            let id = Int32(truncatingIfNeeded: key & 0xFFFF_FFFF)
            return (id, logits[Int(id)])
        }
    }

    private static func ordered(_ a: (id: Int32, logit: Float), _ b: (id: Int32, logit: Float)) -> Bool {
        a.logit != b.logit ? a.logit > b.logit : a.id < b.id
    }

    /// The `k` best candidates in order, selected with a size-k min-heap.
    private static func topK(_ k: Int, _ logits: UnsafeBufferPointer<Float>) -> [(id: Int32, logit: Float)] {
        // heap[0] is the worst kept candidate.
        var heap: [(id: Int32, logit: Float)] = []
        heap.reserveCapacity(k)
        func worse(_ a: (id: Int32, logit: Float), _ b: (id: Int32, logit: Float)) -> Bool { ordered(b, a) }
        func siftDown(_ start: Int) {
            var parent = start
            while true {
                let l = 2 * parent + 1
                let r = l + 1
                var worst = parent
                if l < heap.count && worse(heap[l], heap[worst]) { worst = l }
                if r < heap.count && worse(heap[r], heap[worst]) { worst = r }
                if worst == parent { return }
                heap.swapAt(parent, worst)
                parent = worst
            }
        }
        for i in 0..<logits.count {
            let candidate = (id: Int32(i), logit: logits[i])
            if heap.count < k {
                heap.append(candidate)
                var child = heap.count - 1
                while child > 0 {
                    let parent = (child - 1) / 2
                    guard worse(heap[child], heap[parent]) else { break }
                    heap.swapAt(child, parent)
                    child = parent
                }
            } else if ordered(candidate, heap[0]) {
                heap[0] = candidate
                siftDown(0)
            }
        }
        return heap.sorted(by: ordered)
    }

    /// Softmax in double precision (`-inf` logits get probability 0).
    static func softmax(_ logits: [Float]) -> [Double] {
        guard let maxLogit = logits.max(), maxLogit > -Float.infinity else {
            return [Double](repeating: 1 / Double(max(logits.count, 1)), count: logits.count)
        }
        let exps = logits.map { LibM.exp(Double($0 - maxLogit)) }
        let sum = exps.reduce(0, +)
        return exps.map { $0 / sum }
    }
}
